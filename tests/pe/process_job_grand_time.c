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
#include "job_grand.h"

/* The grandchild: spins until it is ended. */
static int grand(void)
{
    volatile unsigned long long n = 0;
    while (n != ~0ull)
        n++;
    return 9;
}

static void run(const char *what)
{
    printf("-- %s\n", what);
    HANDLE port, job = job_with_port(&port);
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION lim;
    memset(&lim, 0, sizeof lim);
    lim.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_PROCESS_TIME;
    lim.BasicLimitInformation.PerProcessUserTimeLimit.QuadPart = 1000000; /* 100 ms */
    printf("set the limits: %d\n",
           SetInformationJobObject(job, JobObjectExtendedLimitInformation, &lim, sizeof lim));
    PROCESS_INFORMATION pi;
    DWORD grand_pid, grand_code;
    if (!run_member(job, &pi, &grand_pid, &grand_code))
        return;
    printf("grandchild exit code %lu\n", grand_code);
    print_messages(port, pi.dwProcessId, grand_pid);
    print_accounting(job);
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
