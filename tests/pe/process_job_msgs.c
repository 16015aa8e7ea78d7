/* Job completion-port messages and the active-process limit. A job's port
 * (JobObjectAssociateCompletionPortInformation) gets, with the job's key as the completion key,
 * the message as the byte count and the process id as the OVERLAPPED pointer:
 * JOB_OBJECT_MSG_NEW_PROCESS when a process is assigned, JOB_OBJECT_MSG_EXIT_PROCESS when it
 * ends (JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS for an exception code), then
 * JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO. With JOB_OBJECT_LIMIT_ACTIVE_PROCESS 1, assigning a second
 * running process fails with ERROR_NOT_ENOUGH_QUOTA, ends that process (exit code 1816, as NT's
 * PspAddProcessToJob does) and posts
 * JOB_OBJECT_MSG_ACTIVE_PROCESS_LIMIT. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static char self[MAX_PATH];

static PROCESS_INFORMATION start(const char *mode)
{
    char cmd[MAX_PATH + 32];
    snprintf(cmd, sizeof cmd, "\"%s\" %s", self, mode);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi = {0};
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, CREATE_SUSPENDED, NULL, NULL, &si, &pi))
        printf("CreateProcess %s: error %lu\n", mode, GetLastError());
    return pi;
}

static void next(HANDLE port, const PROCESS_INFORMATION *pi)
{
    DWORD msg = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *ov = NULL;
    BOOL ok = GetQueuedCompletionStatus(port, &msg, &key, &ov, 20000);
    printf("message: %d, %lu, key %lu, %s\n", ok, msg, (unsigned long)key,
           !ov ? "no process" : (DWORD)(ULONG_PTR)ov == pi->dwProcessId ? "the child" : "another");
}

static HANDLE job_with_port(ULONG_PTR key, HANDLE *port)
{
    HANDLE job = CreateJobObjectA(NULL, NULL);
    *port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    JOBOBJECT_ASSOCIATE_COMPLETION_PORT a = {(void *)key, *port};
    BOOL ok = SetInformationJobObject(job, JobObjectAssociateCompletionPortInformation, &a,
                                      sizeof a);
    printf("port associated: %d\n", ok);
    return job;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "exit3"))
        return 3;
    if (argc > 1 && !strcmp(argv[1], "crash"))
        ExitProcess(0xC0000005);
    if (argc > 1 && !strcmp(argv[1], "sleep")) {
        Sleep(60000);
        return 1;
    }
    GetModuleFileNameA(NULL, self, MAX_PATH);
    HANDLE port;
    HANDLE job = job_with_port(42, &port);
    PROCESS_INFORMATION pi = start("exit3");
    printf("assign: %d\n", AssignProcessToJobObject(job, pi.hProcess));
    ResumeThread(pi.hThread);
    next(port, &pi);
    next(port, &pi);
    next(port, &pi);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);

    pi = start("crash");
    printf("assign: %d\n", AssignProcessToJobObject(job, pi.hProcess));
    ResumeThread(pi.hThread);
    next(port, &pi);
    next(port, &pi);
    next(port, &pi);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    CloseHandle(job);
    CloseHandle(port);

    HANDLE job2 = job_with_port(7, &port);
    JOBOBJECT_BASIC_LIMIT_INFORMATION lim = {0};
    lim.LimitFlags = JOB_OBJECT_LIMIT_ACTIVE_PROCESS;
    lim.ActiveProcessLimit = 1;
    printf("limit: %d\n", SetInformationJobObject(job2, JobObjectBasicLimitInformation, &lim,
                                                  sizeof lim));
    PROCESS_INFORMATION a = start("sleep"), b = start("sleep");
    printf("assign the first: %d\n", AssignProcessToJobObject(job2, a.hProcess));
    next(port, &a);
    SetLastError(0);
    BOOL ok = AssignProcessToJobObject(job2, b.hProcess);
    printf("assign the second: %d error %lu\n", ok, GetLastError());
    DWORD code = 0;
    DWORD w = WaitForSingleObject(b.hProcess, 20000);
    GetExitCodeProcess(b.hProcess, &code);
    printf("the second has ended: %s, exit code %lu\n", w == WAIT_OBJECT_0 ? "yes" : "no", code);
    next(port, &b);
    JOBOBJECT_BASIC_ACCOUNTING_INFORMATION acct;
    QueryInformationJobObject(job2, JobObjectBasicAccountingInformation, &acct, sizeof acct, NULL);
    printf("active processes: %lu\n", acct.ActiveProcesses);
    TerminateJobObject(job2, 5);
    WaitForSingleObject(a.hProcess, INFINITE);
    GetExitCodeProcess(a.hProcess, &code);
    printf("the first, terminated with the job: %lu\n", code);
    return 0;
}
