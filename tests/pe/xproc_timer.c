/* Waitable timers shared by processes: one name in two processes is one timer, set in one and
 * waited for in the other.
 *  - a child's CreateWaitableTimerW of our manual-reset timer's name opens ours
 *    (ERROR_ALREADY_EXISTS, not signalled); it sets it (100 ms) and waits for it; here it is
 *    signalled afterwards, and stays so (notification timer); names of another type fail
 *    (ERROR_INVALID_HANDLE both ways);
 *  - our periodic synchronization timer (50 ms) is waited for three times by a child that opened
 *    it by name; the child cancels it and takes the last signal: here it then stays unsignalled;
 *  - a timer set here (300 ms) and set again by a child (60 s) follows the child's arming: it is
 *    not signalled here after 1 s;
 *  - an unnamed timer armed here before a child inherits it (200 ms) signals in the child.
 * The names carry our process id, so runs side by side do not meet. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include "xproc_name.h"
#include "xproc_start.h"

static HANDLE start_role(const char *role, const char *arg, BOOL inherit)
{
    char args[200];
    snprintf(args, sizeof args, "%s %ls %s", role, xproc_base, arg);
    return xproc_start(args, inherit);
}

static LARGE_INTEGER ms_from_now(LONGLONG ms)
{
    LARGE_INTEGER due;
    due.QuadPart = -ms * 10000;
    return due;
}

static int setter(void)
{
    HANDLE t = CreateWaitableTimerW(NULL, TRUE, xproc_name(L"-manual"));
    DWORD err = GetLastError();
    printf("setter: CreateWaitableTimerW %d, error %lu, wait 0 ms: %lu\n", t != NULL, err,
           WaitForSingleObject(t, 0));
    SetLastError(0xdeadbeef);
    HANDLE wrong = OpenEventW(SYNCHRONIZE, FALSE, xproc_name(L"-manual"));
    err = GetLastError();
    printf("setter: OpenEventW of the timer's name: %d, error %lu\n", wrong != NULL, err);
    SetLastError(0xdeadbeef);
    wrong = OpenWaitableTimerW(SYNCHRONIZE, FALSE, xproc_name(L"-event"));
    err = GetLastError();
    printf("setter: OpenWaitableTimerW of an event's name: %d, error %lu\n", wrong != NULL, err);
    LARGE_INTEGER due = ms_from_now(100);
    BOOL ok = SetWaitableTimer(t, &due, 0, NULL, NULL, FALSE);
    printf("setter: SetWaitableTimer %d, wait %lu\n", ok, WaitForSingleObject(t, 5000));
    fflush(stdout);
    return 11;
}

static int periodic(void)
{
    HANDLE t = OpenWaitableTimerW(SYNCHRONIZE | TIMER_MODIFY_STATE, FALSE, xproc_name(L"-sync"));
    printf("periodic: OpenWaitableTimerW %d, waits", t != NULL);
    for (int i = 0; i < 3; i++)
        printf(" %lu", WaitForSingleObject(t, 5000));
    BOOL ok = CancelWaitableTimer(t);
    WaitForSingleObject(t, 0); /* a signal of the last period, if there was one */
    printf(", CancelWaitableTimer %d\n", ok);
    fflush(stdout);
    return 12;
}

static int replacer(void)
{
    HANDLE t = OpenWaitableTimerW(TIMER_MODIFY_STATE, FALSE, xproc_name(L"-manual"));
    LARGE_INTEGER due = ms_from_now(60000);
    BOOL ok = t && SetWaitableTimer(t, &due, 0, NULL, NULL, FALSE);
    printf("replacer: SetWaitableTimer for 60 s %d\n", ok);
    fflush(stdout);
    return 13;
}

static int inheritor(const char *handle)
{
    HANDLE t = (HANDLE)(ULONG_PTR)_strtoui64(handle, NULL, 16);
    printf("inheritor: wait %lu\n", WaitForSingleObject(t, 5000));
    fflush(stdout);
    return 14;
}

int main(int argc, char **argv)
{
    if (argc == 4) {
        swprintf(xproc_base, 64, L"%hs", argv[2]);
        if (!strcmp(argv[1], "setter"))
            return setter();
        if (!strcmp(argv[1], "periodic"))
            return periodic();
        if (!strcmp(argv[1], "replacer"))
            return replacer();
        if (!strcmp(argv[1], "inheritor"))
            return inheritor(argv[3]);
        return 99;
    }
    swprintf(xproc_base, 64, L"ntrun-xproc-timer-%lu", GetCurrentProcessId());
    HANDLE manual = CreateWaitableTimerW(NULL, TRUE, xproc_name(L"-manual"));
    HANDLE sync = CreateWaitableTimerW(NULL, FALSE, xproc_name(L"-sync"));
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, xproc_name(L"-event"));
    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    HANDLE unnamed = CreateWaitableTimerW(&inherit, TRUE, NULL);
    if (!manual || !sync || !ev || !unnamed)
        return 1;

    HANDLE c = start_role("setter", "-", FALSE);
    DWORD code = xproc_end_code(c);
    DWORD w1 = WaitForSingleObject(manual, 0), w2 = WaitForSingleObject(manual, 0);
    printf("parent: the setter's exit code %lu, the timer here: %lu %lu\n", code, w1, w2);

    LARGE_INTEGER due = ms_from_now(50);
    BOOL ok = SetWaitableTimer(sync, &due, 50, NULL, NULL, FALSE);
    c = start_role("periodic", "-", FALSE);
    code = xproc_end_code(c);
    printf("parent: periodic SetWaitableTimer %d, the child's exit code %lu, then 300 ms: %lu\n",
           ok, code, WaitForSingleObject(sync, 300));

    due = ms_from_now(300);
    ok = SetWaitableTimer(manual, &due, 0, NULL, NULL, FALSE);
    printf("parent: SetWaitableTimer for 300 ms %d, reset: %lu\n", ok,
           WaitForSingleObject(manual, 0));
    c = start_role("replacer", "-", FALSE);
    code = xproc_end_code(c);
    printf("parent: the replacer's exit code %lu, 1 s: %lu, CancelWaitableTimer %d\n", code,
           WaitForSingleObject(manual, 1000), CancelWaitableTimer(manual));

    due = ms_from_now(200);
    ok = SetWaitableTimer(unnamed, &due, 0, NULL, NULL, FALSE);
    char arg[32];
    snprintf(arg, sizeof arg, "%llx", (unsigned long long)(ULONG_PTR)unnamed);
    c = start_role("inheritor", arg, TRUE);
    code = xproc_end_code(c);
    printf("parent: SetWaitableTimer %d, the inheritor's exit code %lu, here: %lu\n", ok, code,
           WaitForSingleObject(unnamed, 0));
    return 0;
}
