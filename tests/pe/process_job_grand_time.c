/* A job's per-process time limit holds for its members' own children: a member starts a
 * grandchild that spins in user mode, and waits for it. With JOB_OBJECT_LIMIT_PROCESS_TIME of
 * 100 ms the grandchild is ended with ERROR_NOT_ENOUGH_QUOTA (its exit code, as the member
 * reads it), the port gets JOB_OBJECT_MSG_END_OF_PROCESS_TIME with its id and no exit message
 * for it (as for a member: tests/pe/process_job_time.c), then the member's exit and
 * ACTIVE_PROCESS_ZERO; TotalTerminatedProcesses counts it. The grandchild spins until it is
 * ended: the test cannot pass without the limit.
 * Expected output: Windows' behaviour as the JOBOBJECT_BASIC_LIMIT_INFORMATION and
 * JOBOBJECT_ASSOCIATE_COMPLETION_PORT pages describe it (a process's children are in its job);
 * not run on Windows. The 20 s wait for a message only keeps a missing one from hanging the
 * test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static char self[MAX_PATH];

/* The grandchild: spins until it is ended. */
static int grand(void)
{
    volatile unsigned long long n = 0;
    while (n != ~0ull)
        n++;
    return 9;
}

/* The member: starts the grandchild, prints its id and (after it ends) its exit code. */
static int member(void)
{
    char cmd[MAX_PATH + 16];
    snprintf(cmd, sizeof cmd, "\"%s\" grand", self);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        printf("0 %lu\n", GetLastError());
        return 1;
    }
    printf("%lu\n", pi.dwProcessId);
    fflush(stdout);
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    printf("%lu\n", code);
    fflush(stdout);
    return 7;
}

static const char *msg_name(DWORD m)
{
    switch (m) {
    case JOB_OBJECT_MSG_NEW_PROCESS: return "NEW_PROCESS";
    case JOB_OBJECT_MSG_EXIT_PROCESS: return "EXIT_PROCESS";
    case JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS: return "ABNORMAL_EXIT_PROCESS";
    case JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO: return "ACTIVE_PROCESS_ZERO";
    case JOB_OBJECT_MSG_END_OF_PROCESS_TIME: return "END_OF_PROCESS_TIME";
    default: return "other";
    }
}

static DWORD read_number(HANDLE h)
{
    char line[64] = {0};
    DWORD n, got = 0;
    while (got < sizeof line - 1 && ReadFile(h, line + got, 1, &n, NULL) && n && line[got] != '\n')
        got++;
    return strtoul(line, NULL, 10);
}

static void run(const char *what)
{
    printf("-- %s\n", what);
    HANDLE job = CreateJobObjectA(NULL, NULL);
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    JOBOBJECT_ASSOCIATE_COMPLETION_PORT acp = {(void *)0x77, port};
    SetInformationJobObject(job, JobObjectAssociateCompletionPortInformation, &acp, sizeof acp);
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION lim;
    memset(&lim, 0, sizeof lim);
    lim.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_PROCESS_TIME;
    lim.BasicLimitInformation.PerProcessUserTimeLimit.QuadPart = 1000000; /* 100 ms */
    printf("set the limits: %d\n",
           SetInformationJobObject(job, JobObjectExtendedLimitInformation, &lim, sizeof lim));
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE out_r, out_w;
    CreatePipe(&out_r, &out_w, &sa, 0);
    SetHandleInformation(out_r, HANDLE_FLAG_INHERIT, 0);
    char cmd[MAX_PATH + 16];
    snprintf(cmd, sizeof cmd, "\"%s\" member", self);
    STARTUPINFOA si = {sizeof si};
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = out_w;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, CREATE_SUSPENDED, NULL, NULL, &si, &pi)) {
        printf("CreateProcess failed %lu\n", GetLastError());
        return;
    }
    CloseHandle(out_w);
    printf("assigned: %d\n", AssignProcessToJobObject(job, pi.hProcess));
    ResumeThread(pi.hThread);
    CloseHandle(pi.hThread);
    DWORD grand_pid = read_number(out_r);
    DWORD grand_code = read_number(out_r);
    WaitForSingleObject(pi.hProcess, INFINITE);
    printf("grandchild exit code %lu\n", grand_code);
    for (;;) {
        DWORD msg;
        ULONG_PTR key;
        OVERLAPPED *ov;
        if (!GetQueuedCompletionStatus(port, &msg, &key, &ov, 20000)) {
            printf("no more messages (error %lu)\n", GetLastError());
            break;
        }
        DWORD_PTR pid = (DWORD_PTR)ov;
        printf("%s %s key %#lx\n", msg_name(msg),
               pid == 0                ? "-"
               : pid == pi.dwProcessId ? "member"
               : pid == grand_pid      ? "grandchild"
                                       : "other",
               (unsigned long)key);
        if (msg == JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO)
            break;
    }
    JOBOBJECT_BASIC_ACCOUNTING_INFORMATION acc = {0};
    QueryInformationJobObject(job, JobObjectBasicAccountingInformation, &acc, sizeof acc, NULL);
    printf("total %lu active %lu terminated %lu\n", acc.TotalProcesses, acc.ActiveProcesses,
           acc.TotalTerminatedProcesses);
    CloseHandle(out_r);
    CloseHandle(pi.hProcess);
    CloseHandle(job);
    CloseHandle(port);
}

int main(int argc, char **argv)
{
    GetModuleFileNameA(NULL, self, sizeof self);
    if (argc >= 2 && !strcmp(argv[1], "member"))
        return member();
    if (argc >= 2 && !strcmp(argv[1], "grand"))
        return grand();
    run("process time limit 100 ms");
    return 0;
}
