/* A process terminated before it runs anything of its own ends with the code it was given:
 * TerminateProcess of a child created suspended (never resumed), TerminateJobObject of a job
 * that holds one, and TerminateProcess right after ResumeThread (the child still starting).
 * Each is done 12 times with a code of its own; GetExitCodeProcess, and the primary thread's
 * GetExitCodeThread, read that code every time (a round that reads another code, 1 for
 * instance, prints it). A second TerminateProcess, after the wait, fails with
 * ERROR_ACCESS_DENIED and leaves the code alone.
 *
 * Expected output: Windows' behaviour (TerminateProcess, TerminateJobObject: "the exit code
 * for the process ... terminated"; a terminated process cannot be terminated again). Before
 * 2026-12-07 ntrun read 1 now and then (pe.process_job_nested's "B ended with 1"): the code
 * was recorded after the child's answer, and the reaper of a child that ended first won. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "start_suspended.h"

static char self[MAX_PATH];

static PROCESS_INFORMATION start(void) { return start_suspended(self, "child"); }

/* How the child ended: its process and thread codes against `want`. */
static int check(const char *how, int round, PROCESS_INFORMATION *pi, DWORD want)
{
    DWORD w = WaitForSingleObject(pi->hProcess, 20000);
    DWORD pcode = 0, tcode = 0;
    GetExitCodeProcess(pi->hProcess, &pcode);
    WaitForSingleObject(pi->hThread, 20000);
    GetExitCodeThread(pi->hThread, &tcode);
    int ok = w == WAIT_OBJECT_0 && pcode == want && tcode == want;
    if (!ok)
        printf("%s round %d: wait %lu, process %lu, thread %lu, want %lu\n", how, round, w, pcode,
               tcode, want);
    return ok;
}

static void done(PROCESS_INFORMATION *pi)
{
    CloseHandle(pi->hThread);
    CloseHandle(pi->hProcess);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "child")) {
        Sleep(60000);
        return 5;
    }
    GetModuleFileNameA(NULL, self, MAX_PATH);
    enum { ROUNDS = 12 };

    int good = 0;
    for (int i = 0; i < ROUNDS; i++) {
        PROCESS_INFORMATION pi = start();
        TerminateProcess(pi.hProcess, 100 + i);
        good += check("suspended, TerminateProcess", i, &pi, 100 + i);
        if (i == 0) {
            SetLastError(0);
            BOOL again = TerminateProcess(pi.hProcess, 99);
            DWORD le = GetLastError(), code = 0;
            GetExitCodeProcess(pi.hProcess, &code);
            printf("terminated again: %d error %lu, code %lu\n", again, le, code);
        }
        done(&pi);
    }
    printf("suspended, TerminateProcess: %d of %d with their code\n", good, ROUNDS);

    good = 0;
    for (int i = 0; i < ROUNDS; i++) {
        HANDLE job = CreateJobObjectA(NULL, NULL);
        PROCESS_INFORMATION pi = start();
        if (!AssignProcessToJobObject(job, pi.hProcess))
            printf("assign: error %lu\n", GetLastError());
        TerminateJobObject(job, 200 + i);
        good += check("suspended in a job, TerminateJobObject", i, &pi, 200 + i);
        done(&pi);
        CloseHandle(job);
    }
    printf("suspended in a job, TerminateJobObject: %d of %d with their code\n", good, ROUNDS);

    good = 0;
    for (int i = 0; i < ROUNDS; i++) {
        PROCESS_INFORMATION pi = start();
        ResumeThread(pi.hThread);
        TerminateProcess(pi.hProcess, 300 + i);
        good += check("resumed, TerminateProcess", i, &pi, 300 + i);
        done(&pi);
    }
    printf("resumed, TerminateProcess at once: %d of %d with their code\n", good, ROUNDS);
    return 0;
}
