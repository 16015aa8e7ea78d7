/* What the job time-limit tests (process_job_time.c, process_job_eoj.c) share: a child that
 * spins in user mode until it is ended ("spin"), started suspended in a job. */
#ifndef NTRUN_TESTS_JOB_SPIN_H
#define NTRUN_TESTS_JOB_SPIN_H
#include <stdio.h>
#include <string.h>
#include <windows.h>

#define LIMIT 1000000LL /* 100 ms in 100 ns units */

static char self[MAX_PATH];

/* In main, first: runs the spinning child when this is one, else notes the program's path. */
static void spin_or_init(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "spin")) {
        volatile unsigned long long n = 0;
        for (;;)
            n++;
    }
    GetModuleFileNameA(NULL, self, MAX_PATH);
}

/* A spinning child in `job` (*pi: its ids; the thread handle closed): its process handle. */
static HANDLE spawn_in(HANDLE job, PROCESS_INFORMATION *pi)
{
    char cmd[MAX_PATH + 16];
    snprintf(cmd, sizeof cmd, "\"%s\" spin", self);
    STARTUPINFOA si = {sizeof si};
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, CREATE_SUSPENDED, NULL, NULL, &si, pi)) {
        printf("CreateProcess failed %lu\n", GetLastError());
        return NULL;
    }
    if (!AssignProcessToJobObject(job, pi->hProcess))
        printf("AssignProcessToJobObject failed %lu\n", GetLastError());
    ResumeThread(pi->hThread);
    CloseHandle(pi->hThread);
    return pi->hProcess;
}
#endif
