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
 * It needs nothing of ctest's (no variable, no working directory: tests/pe/run-pe-test.sh runs
 * it in a scratch directory of its own either way); a stuck member or a missing message is
 * said after 60 s or 20 s (tests/pe/job_grand.h), not waited for in silence. */
#include "job_grand.h"

#define MiB (1024 * 1024)

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

static void run(const char *what, DWORD flag, SIZE_T process_limit, SIZE_T job_limit, int most)
{
    printf("-- %s\n", what);
    HANDLE port, job = job_with_port(&port);
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION lim;
    memset(&lim, 0, sizeof lim);
    lim.BasicLimitInformation.LimitFlags = flag;
    lim.ProcessMemoryLimit = process_limit;
    lim.JobMemoryLimit = job_limit;
    printf("set the limits: %d\n",
           SetInformationJobObject(job, JobObjectExtendedLimitInformation, &lim, sizeof lim));
    PROCESS_INFORMATION pi;
    DWORD grand_pid, grand_code;
    if (!run_member(job, &pi, &grand_pid, &grand_code))
        return;
    int n = grand_code & 0xff;
    printf("grandchild: blocks %s, ERROR_COMMITMENT_LIMIT %s\n",
           n >= 1 && n <= most ? "within the limit" : "wrong", grand_code & 0x100 ? "yes" : "no");
    print_messages(port, pi.dwProcessId, grand_pid);
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
