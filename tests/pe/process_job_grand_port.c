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
#include "job_grand.h"

/* mode 0: wait for the grandchild; 1, 2: do not wait. The grandchild exits with `code`. */
static int child(int mode, DWORD code)
{
    char args[16];
    snprintf(args, sizeof args, "%lu", code);
    return member_inherit(args, mode == 0);
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

static void run(const char *what, int mode, DWORD code, DWORD active_limit)
{
    printf("-- %s\n", what);
    HANDLE port, job = job_with_port(&port);
    if (active_limit) {
        JOBOBJECT_BASIC_LIMIT_INFORMATION bl = {0};
        bl.LimitFlags = JOB_OBJECT_LIMIT_ACTIVE_PROCESS;
        bl.ActiveProcessLimit = active_limit;
        if (!SetInformationJobObject(job, JobObjectBasicLimitInformation, &bl, sizeof bl))
            printf("limit: error %lu\n", GetLastError());
    }
    char args[32];
    snprintf(args, sizeof args, "child %d %lu", mode, code);
    HANDLE out_r, in_w;
    PROCESS_INFORMATION pi;
    char line[64];
    DWORD grand_pid;
    if (!start_port_member(job, args, &pi, &out_r, &in_w, line, &grand_pid))
        return;
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
        DWORD_PTR pid;
        if (!next_message(port, pi.dwProcessId, grand_pid, &msg, &pid))
            break;
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
    print_accounting(job);
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
