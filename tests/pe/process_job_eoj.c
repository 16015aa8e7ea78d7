/* What passing a job's time limit does (JobObjectEndOfJobTimeInformation): with
 * JOB_OBJECT_POST_AT_END_OF_JOB and a completion port, a job whose processes' user time passes
 * PerJobUserTimeLimit is not ended: the port gets JOB_OBJECT_MSG_END_OF_JOB_TIME, the limit is
 * cancelled (LimitFlags reads back without JOB_OBJECT_LIMIT_JOB_TIME) and the process goes on
 * until it is terminated (with our exit code). Without a port, the action is
 * JOB_OBJECT_TERMINATE_AT_END_OF_JOB's: the process ends with ERROR_NOT_ENOUGH_QUOTA. An action
 * other than 0 or 1 is ERROR_INVALID_PARAMETER; the action reads back. The children spin until
 * they are ended. Wine 8.0 enforces no time limit; the expected output is Windows'. */
#include "job_spin.h"

static HANDLE time_limited_job(DWORD action)
{
    HANDLE job = CreateJobObjectA(NULL, NULL);
    JOBOBJECT_END_OF_JOB_TIME_INFORMATION eoj = {action};
    if (!SetInformationJobObject(job, JobObjectEndOfJobTimeInformation, &eoj, sizeof eoj))
        printf("end of job action %lu: error %lu\n", action, GetLastError());
    JOBOBJECT_BASIC_LIMIT_INFORMATION bl = {0};
    bl.LimitFlags = JOB_OBJECT_LIMIT_JOB_TIME;
    bl.PerJobUserTimeLimit.QuadPart = LIMIT;
    if (!SetInformationJobObject(job, JobObjectBasicLimitInformation, &bl, sizeof bl))
        printf("job time limit: error %lu\n", GetLastError());
    return job;
}

int main(int argc, char **argv)
{
    spin_or_init(argc, argv);
    PROCESS_INFORMATION pi;

    HANDLE job = CreateJobObjectA(NULL, NULL);
    JOBOBJECT_END_OF_JOB_TIME_INFORMATION eoj = {2};
    SetLastError(0);
    BOOL ok = SetInformationJobObject(job, JobObjectEndOfJobTimeInformation, &eoj, sizeof eoj);
    printf("action 2: %d error %lu\n", ok, GetLastError());
    CloseHandle(job);

    /* post at the end of the job, with a port */
    job = time_limited_job(JOB_OBJECT_POST_AT_END_OF_JOB);
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    JOBOBJECT_ASSOCIATE_COMPLETION_PORT acp = {(void *)42, port};
    SetInformationJobObject(job, JobObjectAssociateCompletionPortInformation, &acp, sizeof acp);
    memset(&eoj, 0xcc, sizeof eoj);
    DWORD len = 0;
    ok = QueryInformationJobObject(job, JobObjectEndOfJobTimeInformation, &eoj, sizeof eoj, &len);
    printf("action reads back: %d %lu (%lu bytes)\n", ok, eoj.EndOfJobTimeAction, len);
    HANDLE child = spawn_in(job, &pi);
    DWORD msg = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *ov;
    while (GetQueuedCompletionStatus(port, &msg, &key, &ov, INFINITE) &&
           msg != JOB_OBJECT_MSG_END_OF_JOB_TIME)
        if (msg != JOB_OBJECT_MSG_NEW_PROCESS)
            printf("message %lu\n", msg);
    printf("END_OF_JOB_TIME, key %lu\n", (unsigned long)key);
    Sleep(300); /* a limit still in force would have ended the child by now */
    printf("the child runs on: %s\n", WaitForSingleObject(child, 0) == WAIT_TIMEOUT ? "yes" : "no");
    JOBOBJECT_BASIC_LIMIT_INFORMATION bl;
    QueryInformationJobObject(job, JobObjectBasicLimitInformation, &bl, sizeof bl, NULL);
    printf("the limit is cancelled: %s\n", bl.LimitFlags & JOB_OBJECT_LIMIT_JOB_TIME ? "no" : "yes");
    TerminateProcess(child, 5);
    WaitForSingleObject(child, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(child, &code);
    printf("exit code %lu\n", code);
    CloseHandle(child);
    CloseHandle(job);
    CloseHandle(port);

    /* post at the end of the job, without a port: ended all the same */
    job = time_limited_job(JOB_OBJECT_POST_AT_END_OF_JOB);
    child = spawn_in(job, &pi);
    WaitForSingleObject(child, INFINITE);
    GetExitCodeProcess(child, &code);
    printf("without a port: exit code %lu\n", code);
    CloseHandle(child);
    CloseHandle(job);
    return 0;
}
