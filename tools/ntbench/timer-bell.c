/* SPDX-License-Identifier: MIT */
/* A by-hand measurement of a shared waitable timer's "arming changed" wake-up (ntemu/timer.c's
 * bell), not built with the project (docs/performance.md, "Timer doorbell"):
 *   x86_64-w64-mingw32-gcc -O2 -o timer-bell.exe tools/ntbench/timer-bell.c
 *   ntrun timer-bell.exe late [ROUNDS]   the take-over delay
 *   ntrun timer-bell.exe idle [MS]       an idle wait on a shared timer (run under perf stat)
 *   ntrun timer-bell.exe apc [ROUNDS]    an APC queued to a thread in an alertable wait on one
 *   ntrun timer-bell.exe stale           a wait after one a local object ended (perf stat)
 * late: each round the parent waits on a named timer that nobody has armed; a child opens it,
 * notes QueryPerformanceCounter in a named mapping, arms the timer 1 ms ahead and closes its
 * handle at once (the armer lets go of it: the waiting process must take the schedule over),
 * then sleeps 300 ms. The parent prints the median and worst of (its wake-up - the child's
 * arming - 1 ms), the time the timer fired beyond its due time. Before the bell the waiting
 * process noticed the new arming only at its next look, every 20 ms.
 * idle: waits MS ms (2000) on a named timer a child holds unarmed: the number of wake-ups the
 * waiting process takes is `perf stat -e context-switches`'s.
 * apc: a thread waits alertable (WaitForSingleObjectEx) on a named timer a child holds unarmed;
 * another thread queues it an APC; the median and worst of (the APC's start - QueueUserAPC).
 * Before the wait's poll was woken by the APC, it looked every 10 ms.
 * stale: 20 times, WaitForMultipleObjects on a shared timer and a local event another thread
 * sets (the waker rings the waiting thread's eventfd), then a 50 ms wait on the timer alone:
 * the process's CPU time for the whole (GetProcessTimes; a stale ring used to make the next
 * wait's poll return at once until it ended: ~1 s of CPU). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static double qpc_us(LONGLONG c)
{
    static LARGE_INTEGER f;
    if (!f.QuadPart)
        QueryPerformanceFrequency(&f);
    return (double)c * 1e6 / (double)f.QuadPart;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static LARGE_INTEGER apc_queued, apc_ran;
static void CALLBACK apc_routine(ULONG_PTR arg)
{
    (void)arg;
    QueryPerformanceCounter(&apc_ran);
}

static HANDLE apc_target;
static DWORD WINAPI apc_queuer(void *arg)
{
    (void)arg;
    Sleep(20); /* the target's wait has begun */
    QueryPerformanceCounter(&apc_queued);
    QueueUserAPC(apc_routine, apc_target, 0);
    return 0;
}

static DWORD WINAPI set_later(void *arg)
{
    (void)arg;
    Sleep(10);
    SetEvent(apc_target);
    return 0;
}

static PROCESS_INFORMATION spawn(const char *self, const char *arg)
{
    char cmd[MAX_PATH + 64];
    snprintf(cmd, sizeof cmd, "\"%s\" %s", self, arg);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi = {0};
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        printf("CreateProcess: error %lu\n", GetLastError());
        exit(1);
    }
    return pi;
}

int main(int argc, char **argv)
{
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    if (argc > 2 && !strcmp(argv[1], "arm")) { /* the child of "late" */
        HANDLE t = OpenWaitableTimerA(TIMER_ALL_ACCESS, FALSE, argv[2]);
        HANDLE m = OpenFileMappingA(FILE_MAP_ALL_ACCESS, FALSE, "timer-bell-map");
        volatile LONGLONG *at = MapViewOfFile(m, FILE_MAP_ALL_ACCESS, 0, 0, 8);
        Sleep(30); /* the parent's wait has begun */
        LARGE_INTEGER due = {.QuadPart = -10000}, now;
        QueryPerformanceCounter(&now);
        *at = now.QuadPart;
        SetWaitableTimer(t, &due, 0, NULL, NULL, FALSE);
        CloseHandle(t);
        Sleep(300);
        return 0;
    }
    if (argc > 2 && !strcmp(argv[1], "hold")) { /* the child of "idle" */
        HANDLE t = OpenWaitableTimerA(TIMER_ALL_ACCESS, FALSE, argv[2]);
        Sleep(atoi(argv[3]) + 500);
        CloseHandle(t);
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "idle")) {
        int ms = argc > 2 ? atoi(argv[2]) : 2000;
        HANDLE t = CreateWaitableTimerA(NULL, TRUE, "timer-bell-idle");
        char arg[64];
        snprintf(arg, sizeof arg, "hold timer-bell-idle %d", ms);
        PROCESS_INFORMATION pi = spawn(self, arg);
        Sleep(200); /* the child has opened it: shared */
        DWORD w = WaitForSingleObject(t, ms);
        printf("idle: waited %d ms on a shared timer: %lu\n", ms, w);
        WaitForSingleObject(pi.hProcess, INFINITE);
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "stale")) {
        HANDLE t = CreateWaitableTimerA(NULL, TRUE, "timer-bell-stale");
        PROCESS_INFORMATION pi = spawn(self, "hold timer-bell-stale 20000");
        Sleep(200);
        HANDLE ev = CreateEventA(NULL, FALSE, FALSE, NULL);
        FILETIME c, e, k0, u0, k1, u1;
        GetProcessTimes(GetCurrentProcess(), &c, &e, &k0, &u0);
        for (int r = 0; r < 20; r++) {
            apc_target = ev;
            HANDLE q = CreateThread(NULL, 0, set_later, NULL, 0, NULL);
            HANDLE both[2] = {t, ev};
            WaitForMultipleObjects(2, both, FALSE, 5000);
            WaitForSingleObject(t, 50);
            WaitForSingleObject(q, INFINITE);
            CloseHandle(q);
        }
        GetProcessTimes(GetCurrentProcess(), &c, &e, &k1, &u1);
        double cpu = ((double)(((ULONGLONG)k1.dwHighDateTime << 32 | k1.dwLowDateTime) -
                               ((ULONGLONG)k0.dwHighDateTime << 32 | k0.dwLowDateTime)) +
                      (double)(((ULONGLONG)u1.dwHighDateTime << 32 | u1.dwLowDateTime) -
                               ((ULONGLONG)u0.dwHighDateTime << 32 | u0.dwLowDateTime))) / 1e4;
        printf("stale: 20 rounds (a 50 ms wait each after a local wake): CPU %.1f ms\n", cpu);
        TerminateProcess(pi.hProcess, 0);
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "apc")) {
        int rounds = argc > 2 ? atoi(argv[2]) : 30;
        if (rounds < 1 || rounds > 200)
            rounds = 30;
        HANDLE t = CreateWaitableTimerA(NULL, TRUE, "timer-bell-apc");
        PROCESS_INFORMATION pi = spawn(self, "hold timer-bell-apc 20000");
        Sleep(200); /* the child has opened it: shared */
        DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &apc_target,
                        0, FALSE, DUPLICATE_SAME_ACCESS);
        double us[200];
        for (int r = 0; r < rounds; r++) {
            HANDLE q = CreateThread(NULL, 0, apc_queuer, NULL, 0, NULL);
            DWORD w = WaitForSingleObjectEx(t, 5000, TRUE);
            us[r] = w == WAIT_IO_COMPLETION ? qpc_us(apc_ran.QuadPart - apc_queued.QuadPart) : 1e9;
            WaitForSingleObject(q, INFINITE);
            CloseHandle(q);
        }
        qsort(us, (size_t)rounds, sizeof us[0], cmp);
        printf("apc: %d rounds, queued to running: median %.0f us, best %.0f us, worst %.0f us\n",
               rounds, us[rounds / 2], us[0], us[rounds - 1]);
        TerminateProcess(pi.hProcess, 0);
        return 0;
    }
    int rounds = argc > 2 ? atoi(argv[2]) : 15;
    if (rounds < 1 || rounds > 200)
        rounds = 15;
    HANDLE m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096,
                                  "timer-bell-map");
    volatile LONGLONG *at = MapViewOfFile(m, FILE_MAP_ALL_ACCESS, 0, 0, 8);
    double late[200];
    for (int r = 0; r < rounds; r++) {
        char name[64], arg[96];
        snprintf(name, sizeof name, "timer-bell-%d", r);
        HANDLE t = CreateWaitableTimerA(NULL, TRUE, name);
        snprintf(arg, sizeof arg, "arm %s", name);
        *at = 0;
        PROCESS_INFORMATION pi = spawn(self, arg);
        DWORD w = WaitForSingleObject(t, 5000);
        LARGE_INTEGER now;
        QueryPerformanceCounter(&now);
        late[r] = w == WAIT_OBJECT_0 && *at ? qpc_us(now.QuadPart - *at) - 1000 : 1e9;
        WaitForSingleObject(pi.hProcess, INFINITE);
        CloseHandle(pi.hProcess);
        CloseHandle(pi.hThread);
        CloseHandle(t);
    }
    qsort(late, (size_t)rounds, sizeof late[0], cmp);
    printf("late: %d rounds, fired beyond its due time: median %.0f us, best %.0f us, worst "
           "%.0f us\n", rounds, late[rounds / 2], late[0], late[rounds - 1]);
    return 0;
}
