/* A job's completion port hears of its members' own children as of its members, and its
 * active-process limit counts them:
 * - a member that starts a grandchild and waits for it: JOB_OBJECT_MSG_NEW_PROCESS for the
 *   member, then for the grandchild, JOB_OBJECT_MSG_EXIT_PROCESS for the grandchild, then for
 *   the member, then JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO;
 * - a grandchild that ends with an exception code: JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS;
 * - a member that starts a grandchild and ends first: the grandchild's exit comes after the
 *   member's, and ACTIVE_PROCESS_ZERO only after the grandchild's;
 * - (`process_job_grand_port killed`, tests/cli/job-orphan.sh) a grandchild that outlives the
 *   member and is then ended from outside (kill -9 on Linux, as TerminateProcess by another
 *   program would on Windows): its EXIT_PROCESS after the member's, then ACTIVE_PROCESS_ZERO;
 * - JOB_OBJECT_LIMIT_ACTIVE_PROCESS with a limit of 1: the member's CreateProcess fails with
 *   ERROR_NOT_ENOUGH_QUOTA and the port gets JOB_OBJECT_MSG_ACTIVE_PROCESS_LIMIT (no process).
 * Messages are named by role (the member's pid, the grandchild's as the member reports it).
 * The 20 s wait for a message only keeps a missing one from hanging the test.
 * Wine 8.0: EXIT_PROCESS rather than ABNORMAL_EXIT_PROCESS for the exception code (as for its
 * members), and the grandchild starts past the active-process limit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static char self[MAX_PATH];

/* mode 0: wait for the grandchild; 1, 2: do not wait. The grandchild exits with `code`. */
static int child(int mode, DWORD code)
{
    char cmd[MAX_PATH + 32];
    snprintf(cmd, sizeof cmd, "\"%s\" grand %lu", self, code);
    STARTUPINFOA si = {sizeof si};
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        printf("0 %lu\n", GetLastError());
        fflush(stdout);
        return 1;
    }
    printf("%lu\n", pi.dwProcessId);
    fflush(stdout);
    if (mode == 0)
        WaitForSingleObject(pi.hProcess, INFINITE);
    return 7;
}

/* The grandchild: after its parent's line, waits for the end of its input when told to
 * outlive its parent (code 9), then exits. */
static int grand(DWORD code)
{
    if (code == 9) {
        char c;
        DWORD n;
        while (ReadFile(GetStdHandle(STD_INPUT_HANDLE), &c, 1, &n, NULL) && n)
            ;
    }
    ExitProcess(code);
}

static const char *msg_name(DWORD m)
{
    switch (m) {
    case JOB_OBJECT_MSG_NEW_PROCESS: return "NEW_PROCESS";
    case JOB_OBJECT_MSG_EXIT_PROCESS: return "EXIT_PROCESS";
    case JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS: return "ABNORMAL_EXIT_PROCESS";
    case JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO: return "ACTIVE_PROCESS_ZERO";
    case JOB_OBJECT_MSG_ACTIVE_PROCESS_LIMIT: return "ACTIVE_PROCESS_LIMIT";
    default: return "other";
    }
}

static void run(const char *what, int mode, DWORD code, DWORD active_limit)
{
    printf("-- %s\n", what);
    HANDLE job = CreateJobObjectA(NULL, NULL);
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    JOBOBJECT_ASSOCIATE_COMPLETION_PORT acp = {(void *)0x77, port};
    if (!SetInformationJobObject(job, JobObjectAssociateCompletionPortInformation, &acp,
                                 sizeof acp))
        printf("port: error %lu\n", GetLastError());
    if (active_limit) {
        JOBOBJECT_BASIC_LIMIT_INFORMATION bl = {0};
        bl.LimitFlags = JOB_OBJECT_LIMIT_ACTIVE_PROCESS;
        bl.ActiveProcessLimit = active_limit;
        if (!SetInformationJobObject(job, JobObjectBasicLimitInformation, &bl, sizeof bl))
            printf("limit: error %lu\n", GetLastError());
    }
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE out_r, out_w, in_r, in_w;
    CreatePipe(&out_r, &out_w, &sa, 0);
    CreatePipe(&in_r, &in_w, &sa, 0);
    SetHandleInformation(out_r, HANDLE_FLAG_INHERIT, 0);
    SetHandleInformation(in_w, HANDLE_FLAG_INHERIT, 0);
    char cmd[MAX_PATH + 32];
    snprintf(cmd, sizeof cmd, "\"%s\" child %d %lu", self, mode, code);
    STARTUPINFOA si = {sizeof si};
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = in_r;
    si.hStdOutput = out_w;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, CREATE_SUSPENDED, NULL, NULL, &si, &pi)) {
        printf("CreateProcess failed %lu\n", GetLastError());
        return;
    }
    CloseHandle(out_w);
    CloseHandle(in_r);
    if (!AssignProcessToJobObject(job, pi.hProcess))
        printf("AssignProcessToJobObject failed %lu\n", GetLastError());
    ResumeThread(pi.hThread);
    CloseHandle(pi.hThread);
    char line[64] = {0};
    DWORD n, got = 0;
    while (got < sizeof line - 1 && ReadFile(out_r, line + got, 1, &n, NULL) && n &&
           line[got] != '\n')
        got++;
    DWORD grand_pid = strtoul(line, NULL, 10);
    if (!grand_pid)
        printf("the grandchild did not start: error %lu\n",
               strtoul(strchr(line, ' ') ? strchr(line, ' ') : "0", NULL, 10));
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD member_code = 0;
    GetExitCodeProcess(pi.hProcess, &member_code);
    printf("member exit code %lu\n", member_code);
    if (mode == 0)
        CloseHandle(in_w);
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
        if (mode == 1 && msg == JOB_OBJECT_MSG_EXIT_PROCESS && pid == pi.dwProcessId)
            CloseHandle(in_w); /* the grandchild, told to outlive the member, ends now */
        if (mode == 2 && msg == JOB_OBJECT_MSG_EXIT_PROCESS && pid == pi.dwProcessId) {
            fprintf(stderr, "kill the grandchild: %lu\n", grand_pid); /* the script does */
            fflush(stderr);
        }
        if (msg == JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO)
            break;
    }
    if (mode == 2)
        CloseHandle(in_w); /* (not killed: it ends now) */
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
    if (argc >= 4 && !strcmp(argv[1], "child"))
        return child(atoi(argv[2]), strtoul(argv[3], NULL, 10));
    if (argc >= 3 && !strcmp(argv[1], "grand"))
        return grand(strtoul(argv[2], NULL, 10));
    if (argc >= 2 && !strcmp(argv[1], "killed")) {
        run("child outlives the member and is killed", 2, 9, 0);
        return 0;
    }
    run("member waits for its child", 0, 5, 0);
    run("child ends with an exception code", 0, 0xC0000005, 0);
    run("child outlives the member", 1, 9, 0);
    run("active-process limit 1", 0, 5, 1);
    return 0;
}
