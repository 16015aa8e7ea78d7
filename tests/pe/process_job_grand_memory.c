/* A job's memory limits hold for its members' own children, and the job's port hears of them
 * as of its members: a member starts a grandchild that commits 1 MiB blocks with VirtualAlloc
 * until one fails (ERROR_COMMITMENT_LIMIT), then exits; the member waits for it and exits.
 * - JOB_OBJECT_LIMIT_PROCESS_MEMORY, 8 MiB: the port gets JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT
 *   with the grandchild's id, between its NEW_PROCESS and its EXIT_PROCESS;
 * - JOB_OBJECT_LIMIT_JOB_MEMORY, 12 MiB: JOB_OBJECT_MSG_JOB_MEMORY_LIMIT likewise.
 * Messages are named by role (the member's pid, the grandchild's as the member reports it);
 * "blocks" says whether the grandchild got some blocks and no more than the limit allows.
 * Expected output: Windows' behaviour as the JOBOBJECT_EXTENDED_LIMIT_INFORMATION and
 * JOBOBJECT_ASSOCIATE_COMPLETION_PORT pages describe it (a job's limits and messages cover
 * every process in it, and a process's children are in its job); not run on Windows.
 * The 20 s wait for a message only keeps a missing one from hanging the test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#define MiB (1024 * 1024)

static char self[MAX_PATH];

/* The grandchild: commits blocks until one fails; exit code: the count, 0x100 if the failure
 * was ERROR_COMMITMENT_LIMIT. */
static int grand(void)
{
    int n = 0;
    DWORD err = 0;
    while (n < 64) {
        void *p = VirtualAlloc(NULL, MiB, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        if (!p) {
            err = GetLastError();
            break;
        }
        memset(p, 1, MiB);
        n++;
    }
    return n | (err == ERROR_COMMITMENT_LIMIT ? 0x100 : 0);
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
    case JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT: return "PROCESS_MEMORY_LIMIT";
    case JOB_OBJECT_MSG_JOB_MEMORY_LIMIT: return "JOB_MEMORY_LIMIT";
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

static void run(const char *what, DWORD flag, SIZE_T process_limit, SIZE_T job_limit, int most)
{
    printf("-- %s\n", what);
    HANDLE job = CreateJobObjectA(NULL, NULL);
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    JOBOBJECT_ASSOCIATE_COMPLETION_PORT acp = {(void *)0x77, port};
    SetInformationJobObject(job, JobObjectAssociateCompletionPortInformation, &acp, sizeof acp);
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION lim;
    memset(&lim, 0, sizeof lim);
    lim.BasicLimitInformation.LimitFlags = flag;
    lim.ProcessMemoryLimit = process_limit;
    lim.JobMemoryLimit = job_limit;
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
    int n = grand_code & 0xff;
    printf("grandchild: blocks %s, ERROR_COMMITMENT_LIMIT %s\n",
           n >= 1 && n <= most ? "within the limit" : "wrong", grand_code & 0x100 ? "yes" : "no");
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
    run("process memory limit 8 MiB", JOB_OBJECT_LIMIT_PROCESS_MEMORY, 8 * MiB, 0, 8);
    run("job memory limit 12 MiB", JOB_OBJECT_LIMIT_JOB_MEMORY, 0, 12 * MiB, 12);
    return 0;
}
