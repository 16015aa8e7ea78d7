/* A named mutex shared with processes that are killed while they use it (TerminateJobObject:
 * under ntrun a SIGKILL, which runs no code in the process killed).
 *  - a child that holds the mutex when it is killed: our next wait gets WAIT_ABANDONED, and the
 *    mutex is ours (ReleaseMutex succeeds);
 *  - children that take and release the mutex as fast as they can, each killed after a while at
 *    whatever point it has reached (between taking the mutex and anything else too): after every
 *    kill our wait gets the mutex (WAIT_OBJECT_0, or WAIT_ABANDONED when the child held it),
 *    never a timeout, and ReleaseMutex succeeds.
 * The name carries our process id, so runs side by side do not meet. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include "xproc_name.h"
#include "xproc_start.h"
#include "xproc_role.h"

#define KILLS 40

/* Takes the mutex, says so, and waits to be killed. */
static int holder(void)
{
    HANDLE m = OpenMutexW(SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, xproc_name(L"-mutex"));
    HANDLE ready = OpenEventW(EVENT_MODIFY_STATE, FALSE, xproc_name(L"-ready"));
    if (!m || !ready || WaitForSingleObject(m, 10000) != WAIT_OBJECT_0)
        return 20;
    SetEvent(ready);
    Sleep(30000);
    return 21;
}

/* Takes and releases the mutex until it is killed; says so after the first round. */
static int spinner(void)
{
    HANDLE m = OpenMutexW(SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, xproc_name(L"-mutex"));
    HANDLE ready = OpenEventW(EVENT_MODIFY_STATE, FALSE, xproc_name(L"-ready"));
    if (!m || !ready)
        return 30;
    for (unsigned long n = 0;; n++) {
        DWORD r = WaitForSingleObject(m, 10000);
        if (r != WAIT_OBJECT_0 && r != WAIT_ABANDONED)
            return 31;
        if (!ReleaseMutex(m))
            return 32;
        if (n == 0)
            SetEvent(ready);
    }
}

/* A child in the job, started suspended so it is in the job before it runs. */
static HANDLE start_in_job(HANDLE job, const char *role)
{
    char self[MAX_PATH], cmd[MAX_PATH + 200];
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(cmd, sizeof cmd, "\"%s\" %s %ls", self, role, xproc_base);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(self, cmd, NULL, NULL, FALSE, CREATE_SUSPENDED, NULL, NULL, &si, &pi))
        return NULL;
    if (!AssignProcessToJobObject(job, pi.hProcess)) {
        TerminateProcess(pi.hProcess, 1);
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
        return NULL;
    }
    ResumeThread(pi.hThread);
    CloseHandle(pi.hThread);
    return pi.hProcess;
}

int main(int argc, char **argv)
{
    const char *role = xproc_role(argc, argv, L"ntrun-xproc-mutex-kill");
    if (role) {
        if (!strcmp(role, "holder"))
            return holder();
        if (!strcmp(role, "spinner"))
            return spinner();
        return 99;
    }
    HANDLE m = CreateMutexW(NULL, FALSE, xproc_name(L"-mutex"));
    HANDLE ready = CreateEventW(NULL, FALSE, FALSE, xproc_name(L"-ready"));
    HANDLE job = CreateJobObjectW(NULL, NULL);
    if (!m || !ready || !job)
        return 1;

    HANDLE c = start_in_job(job, "holder");
    DWORD r = c ? WaitForSingleObject(ready, 30000) : WAIT_FAILED;
    BOOL killed = TerminateJobObject(job, 7);
    DWORD ended = WaitForSingleObject(c, 30000);
    printf("holder: ready %lu, TerminateJobObject %d, ended %lu\n", r, killed, ended);
    r = WaitForSingleObject(m, 10000);
    printf("the mutex after the holder was killed: %#lx, ReleaseMutex %d\n", r,
           ReleaseMutex(m));
    CloseHandle(c);

    int got = 0, failures = 0;
    srand(GetCurrentProcessId());
    for (int i = 0; i < KILLS; i++) {
        c = start_in_job(job, "spinner");
        if (!c || WaitForSingleObject(ready, 30000) != WAIT_OBJECT_0) {
            printf("spinner %d did not start\n", i);
            return 2;
        }
        Sleep(1 + rand() % 15);
        TerminateJobObject(job, 7);
        WaitForSingleObject(c, 30000);
        DWORD code = 0;
        GetExitCodeProcess(c, &code);
        CloseHandle(c);
        r = WaitForSingleObject(m, 10000);
        BOOL ok = ReleaseMutex(m);
        if ((r == WAIT_OBJECT_0 || r == WAIT_ABANDONED) && ok && code == 7) {
            got++;
        } else {
            printf("kill %d: the child's exit code %lu, wait %#lx, ReleaseMutex %d\n", i, code, r,
                   ok);
            if (++failures == 3)
                break;
        }
    }
    printf("after %d kills of a spinning child the mutex was ours %d times\n", KILLS, got);
    return 0;
}
