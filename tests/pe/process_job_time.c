/* Job time limits: JOB_OBJECT_LIMIT_PROCESS_TIME ends a process whose user-mode time passes
 * PerProcessUserTimeLimit with ERROR_NOT_ENOUGH_QUOTA and posts
 * JOB_OBJECT_MSG_END_OF_PROCESS_TIME with its process id (and no exit message for it);
 * JOB_OBJECT_LIMIT_JOB_TIME ends every process of the job once their user time together passes
 * PerJobUserTimeLimit. The limits read back, the accounting counts the terminated processes and
 * the user time. The children spin until they are ended: the test cannot pass without them.
 * Wine 8.0 enforces no time limit (its children spin on); the expected output is Windows' (the
 * NT kernel ends such a process with ERROR_NOT_ENOUGH_QUOTA, as for the active-process limit). */
#include <stdbool.h>
#include "job_spin.h"

static DWORD wait_code(HANDLE p)
{
    DWORD code = 0;
    WaitForSingleObject(p, INFINITE);
    GetExitCodeProcess(p, &code);
    CloseHandle(p);
    return code;
}

int main(int argc, char **argv)
{
    spin_or_init(argc, argv);

    /* per process */
    HANDLE job = CreateJobObjectA(NULL, NULL);
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    JOBOBJECT_ASSOCIATE_COMPLETION_PORT cp = {(void *)7, port};
    SetInformationJobObject(job, JobObjectAssociateCompletionPortInformation, &cp, sizeof cp);
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION e = {0};
    e.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_PROCESS_TIME;
    e.BasicLimitInformation.PerProcessUserTimeLimit.QuadPart = LIMIT;
    if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation, &e, sizeof e))
        printf("SetInformationJobObject failed %lu\n", GetLastError());
    memset(&e, 0, sizeof e);
    QueryInformationJobObject(job, JobObjectExtendedLimitInformation, &e, sizeof e, NULL);
    printf("limit flags %#lx, per-process limit %lld\n", e.BasicLimitInformation.LimitFlags,
           e.BasicLimitInformation.PerProcessUserTimeLimit.QuadPart);
    PROCESS_INFORMATION pi;
    HANDLE p = spawn_in(job, &pi);
    if (!p)
        return 1;
    printf("process time: exit code %lu\n", wait_code(p));
    DWORD msg;
    ULONG_PTR key;
    OVERLAPPED *ov;
    bool end_time = false, exit_msg = false;
    while (GetQueuedCompletionStatus(port, &msg, &key, &ov, 0)) {
        if (msg == JOB_OBJECT_MSG_END_OF_PROCESS_TIME)
            end_time = (DWORD)(ULONG_PTR)ov == pi.dwProcessId && key == 7;
        if (msg == JOB_OBJECT_MSG_EXIT_PROCESS || msg == JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS)
            exit_msg = true;
    }
    printf("END_OF_PROCESS_TIME for it: %s, an exit message: %s\n", end_time ? "yes" : "no",
           exit_msg ? "yes" : "no");
    JOBOBJECT_BASIC_ACCOUNTING_INFORMATION acc = {0};
    QueryInformationJobObject(job, JobObjectBasicAccountingInformation, &acc, sizeof acc, NULL);
    printf("total %lu, terminated %lu, user time over the limit: %s\n", acc.TotalProcesses,
           acc.TotalTerminatedProcesses, acc.TotalUserTime.QuadPart >= LIMIT ? "yes" : "no");
    CloseHandle(job);

    /* per job: two processes, ended together */
    job = CreateJobObjectA(NULL, NULL);
    memset(&e, 0, sizeof e);
    e.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_JOB_TIME;
    e.BasicLimitInformation.PerJobUserTimeLimit.QuadPart = LIMIT;
    SetInformationJobObject(job, JobObjectExtendedLimitInformation, &e, sizeof e);
    PROCESS_INFORMATION p1, p2;
    HANDLE a = spawn_in(job, &p1), b = spawn_in(job, &p2);
    if (!a || !b)
        return 1;
    DWORD ca = wait_code(a), cb = wait_code(b);
    printf("job time: exit codes %lu %lu\n", ca, cb);
    QueryInformationJobObject(job, JobObjectBasicAccountingInformation, &acc, sizeof acc, NULL);
    printf("terminated %lu\n", acc.TotalTerminatedProcesses);
    return 0;
}
