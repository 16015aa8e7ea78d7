/* A shared waitable timer armed by another process after our wait for it began, by a process
 * that ends before the first expiry: the timer keeps its schedule (the object lives while any
 * handle is open; Windows and Wine keep it in the kernel / server), so our wait is satisfied.
 *  - a child opens our synchronization timer, waits until we wait for it, then arms it
 *    (300 ms, one-shot) and ends at once: our wait, begun before the arming, is satisfied, not
 *    before the due time, and only once;
 *  - a keeper child arms our timer for 60 s and stays; while we wait (watching the keeper), a
 *    second child arms it again (300 ms, period 100 ms) and ends at once: our waits are
 *    satisfied three times;
 *  - the keeper arms it again (2 s); while we wait, a third child cancels it and ends: our
 *    wait is not satisfied (3 s).
 * The names carry our process id, so runs side by side do not meet. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include "xproc_name.h"
#include "xproc_start.h"
#include "xproc_role.h"

/* The parent's lines go out at once: the children's come between them. */
#define say(...) (printf(__VA_ARGS__), fflush(stdout))

static HANDLE open_event(const WCHAR *suffix)
{
    return OpenEventW(EVENT_MODIFY_STATE | SYNCHRONIZE, FALSE, xproc_name(suffix));
}

/* The child's timer, opened (which shares it), then "opened" set, then "go" waited for: the
 * parent waits for the timer by then. The 300 ms after "go" let its wait go to sleep. */
static HANDLE open_then_wait_for_go(const WCHAR *timer)
{
    HANDLE t = OpenWaitableTimerW(SYNCHRONIZE | TIMER_MODIFY_STATE, FALSE, xproc_name(timer));
    SetEvent(open_event(L"-opened"));
    WaitForSingleObject(open_event(L"-go"), 30000);
    Sleep(300);
    return t;
}

static int child(const char *role)
{
    if (!strcmp(role, "late")) {
        HANDLE t = open_then_wait_for_go(L"-late");
        printf("late: SetWaitableTimer %d\n", t && xproc_timer_arm(t, 300, 0));
        return 31;
    }
    if (!strcmp(role, "keeper")) {
        HANDLE t = OpenWaitableTimerW(SYNCHRONIZE | TIMER_MODIFY_STATE, FALSE,
                                      xproc_name(L"-kept"));
        printf("keeper: SetWaitableTimer %d\n", t && xproc_timer_arm(t, 60000, 0));
        fflush(stdout);
        SetEvent(open_event(L"-armed"));
        WaitForSingleObject(open_event(L"-again"), 30000);
        printf("keeper: SetWaitableTimer again %d\n", t && xproc_timer_arm(t, 2000, 0));
        fflush(stdout);
        SetEvent(open_event(L"-armed"));
        printf("keeper: the parent is done: %lu\n",
               WaitForSingleObject(open_event(L"-done"), 30000));
        return 32;
    }
    if (!strcmp(role, "rearmer")) {
        HANDLE t = open_then_wait_for_go(L"-kept");
        printf("rearmer: SetWaitableTimer %d\n", t && xproc_timer_arm(t, 300, 100));
        return 33;
    }
    if (!strcmp(role, "canceller")) {
        HANDLE t = open_then_wait_for_go(L"-kept");
        printf("canceller: CancelWaitableTimer %d\n", t && CancelWaitableTimer(t));
        return 34;
    }
    return 99;
}

int main(int argc, char **argv)
{
    const char *role = xproc_role(argc, argv, L"ntrun-xproc-timer-late");
    if (role)
        return child(role);
    HANDLE late = CreateWaitableTimerW(NULL, FALSE, xproc_name(L"-late"));
    HANDLE kept = CreateWaitableTimerW(NULL, FALSE, xproc_name(L"-kept"));
    HANDLE opened = CreateEventW(NULL, FALSE, FALSE, xproc_name(L"-opened"));
    HANDLE go = CreateEventW(NULL, FALSE, FALSE, xproc_name(L"-go"));
    HANDLE armed = CreateEventW(NULL, FALSE, FALSE, xproc_name(L"-armed"));
    HANDLE again = CreateEventW(NULL, FALSE, FALSE, xproc_name(L"-again"));
    HANDLE done = CreateEventW(NULL, TRUE, FALSE, xproc_name(L"-done"));
    if (!late || !kept || !opened || !go || !armed || !again || !done)
        return 1;

    /* armed after our wait began, by a process that is gone before the due time */
    HANDLE c = xproc_start_role("late");
    DWORD o = WaitForSingleObject(opened, 30000);
    SetEvent(go);
    ULONGLONG t0 = GetTickCount64();
    DWORD w1 = WaitForSingleObject(late, 5000);
    ULONGLONG took = GetTickCount64() - t0;
    DWORD w2 = WaitForSingleObject(late, 300);
    DWORD code = xproc_end_code(c);
    say("parent: opened %lu; armed after the wait began, the armer gone: %lu, after the due "
           "time: %d; then 300 ms: %lu; the armer's exit code %lu\n",
           o, w1, took >= 550, w2, code);
    if (took < 550)
        say("  (satisfied after %llu ms)\n", took);

    /* armed by a process we watch, then armed again by one that ends at once */
    HANDLE keeper = xproc_start_role("keeper");
    say("parent: keeper armed: %lu\n", WaitForSingleObject(armed, 30000));
    c = xproc_start_role("rearmer");
    o = WaitForSingleObject(opened, 30000);
    SetEvent(go);
    DWORD r[3];
    for (int i = 0; i < 3; i++)
        r[i] = WaitForSingleObject(kept, 5000);
    code = xproc_end_code(c);
    say("parent: opened %lu; armed again while we waited, the armer gone: %lu %lu %lu; its "
           "exit code %lu\n",
           o, r[0], r[1], r[2], code);
    CancelWaitableTimer(kept);
    WaitForSingleObject(kept, 0); /* a signal of the last period, if there was one */

    /* armed by the keeper (2 s), cancelled while we wait by a process that ends */
    c = xproc_start_role("canceller");
    o = WaitForSingleObject(opened, 30000);
    SetEvent(again);
    say("parent: keeper armed again: %lu\n", WaitForSingleObject(armed, 30000));
    SetEvent(go);
    w1 = WaitForSingleObject(kept, 3000);
    code = xproc_end_code(c);
    say("parent: opened %lu; cancelled while we waited: %lu; the canceller's exit code %lu\n",
           o, w1, code);

    SetEvent(done);
    say("parent: the keeper's exit code %lu\n", xproc_end_code(keeper));
    return 0;
}
