/* A shared waitable timer outlives the process that armed it: the timer object lives while any
 * handle to it is open, and keeps its schedule (Windows and Wine keep it in the kernel / server).
 *  - a child arms our periodic synchronization timer (50 ms), takes two signals and ends: here
 *    it then signals four more times, and stops after CancelWaitableTimer;
 *  - a child arms our periodic timer for 400 ms from now (period 100 ms), says so and ends at
 *    once, while we already wait for the timer: the waits here are satisfied three times;
 *  - a child arms a one-shot timer (200 ms) and ends: it signals here once;
 *  - a child arms a periodic timer (100 ms), closes its handle and stays: our waits are
 *    satisfied three times.
 * The names carry our process id, so runs side by side do not meet. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include "xproc_name.h"
#include "xproc_start.h"
#include "xproc_role.h"

static HANDLE open_timer(const WCHAR *suffix)
{
    return OpenWaitableTimerW(SYNCHRONIZE | TIMER_MODIFY_STATE, FALSE, xproc_name(suffix));
}

static int child(const char *role)
{
    HANDLE armed = OpenEventW(EVENT_MODIFY_STATE | SYNCHRONIZE, FALSE, xproc_name(L"-armed"));
    if (!strcmp(role, "armer")) {
        HANDLE t = open_timer(L"-sync");
        BOOL ok = t && xproc_timer_arm(t, 50, 50);
        DWORD w1 = WaitForSingleObject(t, 5000), w2 = WaitForSingleObject(t, 5000);
        printf("armer: SetWaitableTimer %d, waits %lu %lu\n", ok, w1, w2);
        return 21;
    }
    if (!strcmp(role, "quitter")) {
        HANDLE t = open_timer(L"-late");
        printf("quitter: SetWaitableTimer %d\n", t && xproc_timer_arm(t, 400, 100));
        fflush(stdout);
        SetEvent(armed);
        return 22;
    }
    if (!strcmp(role, "oneshot")) {
        HANDLE t = open_timer(L"-once");
        printf("oneshot: SetWaitableTimer %d\n", t && xproc_timer_arm(t, 200, 0));
        return 23;
    }
    if (!strcmp(role, "closer")) {
        HANDLE t = open_timer(L"-closed");
        HANDLE done = OpenEventW(SYNCHRONIZE, FALSE, xproc_name(L"-done"));
        BOOL ok = t && xproc_timer_arm(t, 100, 100);
        printf("closer: SetWaitableTimer %d, CloseHandle %d\n", ok, CloseHandle(t));
        fflush(stdout);
        SetEvent(armed);
        printf("closer: the parent is done: %lu\n", WaitForSingleObject(done, 30000));
        return 24;
    }
    return 99;
}

static void waits(const char *what, HANDLE t, int n)
{
    printf("parent: %s:", what);
    for (int i = 0; i < n; i++)
        printf(" %lu", WaitForSingleObject(t, 5000));
    printf("\n");
    fflush(stdout);
}

int main(int argc, char **argv)
{
    const char *role = xproc_role(argc, argv, L"ntrun-xproc-timer-period");
    if (role)
        return child(role);
    HANDLE sync = CreateWaitableTimerW(NULL, FALSE, xproc_name(L"-sync"));
    HANDLE late = CreateWaitableTimerW(NULL, FALSE, xproc_name(L"-late"));
    HANDLE once = CreateWaitableTimerW(NULL, FALSE, xproc_name(L"-once"));
    HANDLE closed = CreateWaitableTimerW(NULL, FALSE, xproc_name(L"-closed"));
    HANDLE armed = CreateEventW(NULL, FALSE, FALSE, xproc_name(L"-armed"));
    HANDLE done = CreateEventW(NULL, TRUE, FALSE, xproc_name(L"-done"));
    if (!sync || !late || !once || !closed || !armed || !done)
        return 1;

    DWORD code = xproc_end_code(xproc_start_role("armer"));
    printf("parent: the armer's exit code %lu\n", code);
    waits("after the armer ended", sync, 4);
    BOOL ok = CancelWaitableTimer(sync);
    WaitForSingleObject(sync, 0); /* a signal of the last period, if there was one */
    printf("parent: CancelWaitableTimer %d, then 300 ms: %lu\n", ok, WaitForSingleObject(sync, 300));

    HANDLE c = xproc_start_role("quitter");
    printf("parent: armed: %lu\n", WaitForSingleObject(armed, 30000));
    waits("while the quitter ends", late, 3);
    printf("parent: the quitter's exit code %lu\n", xproc_end_code(c));
    CancelWaitableTimer(late);

    code = xproc_end_code(xproc_start_role("oneshot"));
    DWORD w1 = WaitForSingleObject(once, 5000), w2 = WaitForSingleObject(once, 300);
    printf("parent: the one-shot's exit code %lu, waits %lu %lu\n", code, w1, w2);

    c = xproc_start_role("closer");
    printf("parent: armed: %lu\n", WaitForSingleObject(armed, 30000));
    waits("after the closer closed its handle", closed, 3);
    CancelWaitableTimer(closed);
    SetEvent(done);
    printf("parent: the closer's exit code %lu\n", xproc_end_code(c));
    return 0;
}
