/* The legacy pool's handle is the caller's before its callback can run: RegisterWaitForSingleObject
 * on an object already signalled, and CreateTimerQueueTimer with a due time of 0, start the
 * callback on another thread at once, and libuv's console reading (uv_tty_post_raw_read)
 * unregisters the wait through the variable the call fills, then clears it
 * (WT_EXECUTEINWAITTHREAD | WT_EXECUTEONLYONCE). If the variable were filled after the wait was
 * armed, the callback could read NULL, and the variable keep a wait that fired and was never
 * unregistered (Node.js aborted on uv__tty_endgame's assertion, ~1 run in 10-20 under load).
 * Each round registers, waits for the callback's event (never for a time) and checks what the
 * callback saw and what the variable holds afterwards. Two busy threads run meanwhile so that
 * the registering thread is often preempted between the two steps, where the race was. Also:
 * UnregisterWait / DeleteTimerQueueTimer from inside the callback fail with ERROR_IO_PENDING
 * (the callback is running), as Microsoft documents; a wait unregistered before its object is
 * signalled never calls back; a wait without WT_EXECUTEONLYONCE on a signalled auto-reset event
 * calls back once per SetEvent. */
#include <windows.h>
#include <stdio.h>

#define ROUNDS 400

static HANDLE volatile wait_slot, timer_slot;
static HANDLE done_ev;
static volatile LONG saw_null, fired, stop_hogs;
static volatile DWORD unreg_ok = 2, unreg_err;

static void CALLBACK wait_cb(void *ctx, BOOLEAN timed_out)
{
    HANDLE w = wait_slot;
    if (!w || timed_out)
        InterlockedIncrement(&saw_null);
    BOOL ok = UnregisterWait(w);
    if (unreg_ok == 2) {
        unreg_err = ok ? 0 : GetLastError();
        unreg_ok = ok;
    }
    wait_slot = NULL;
    InterlockedIncrement(&fired);
    SetEvent(done_ev);
}

static void CALLBACK timer_cb(void *ctx, BOOLEAN timer)
{
    HANDLE t = timer_slot;
    if (!t)
        InterlockedIncrement(&saw_null);
    BOOL ok = DeleteTimerQueueTimer(NULL, t, NULL);
    if (unreg_ok == 2) {
        unreg_err = ok ? 0 : GetLastError();
        unreg_ok = ok;
    }
    timer_slot = NULL;
    InterlockedIncrement(&fired);
    SetEvent(done_ev);
}

static DWORD WINAPI hog(void *arg)
{
    volatile unsigned long n = 0;
    while (!stop_hogs)
        n++;
    return 0;
}

static volatile LONG repeat_count;
static HANDLE repeat_ev;

static void CALLBACK repeat_cb(void *ctx, BOOLEAN timed_out)
{
    if (!timed_out)
        InterlockedIncrement(&repeat_count);
    SetEvent(repeat_ev);
}

static void CALLBACK never_cb(void *ctx, BOOLEAN timed_out)
{
    InterlockedIncrement((LONG *)ctx);
}

int main(void)
{
    done_ev = CreateEventW(NULL, FALSE, FALSE, NULL);
    HANDLE set_ev = CreateEventW(NULL, TRUE, TRUE, NULL); /* signalled for good */
    HANDLE hogs[2];
    for (int i = 0; i < 2; i++)
        hogs[i] = CreateThread(NULL, 0, hog, NULL, 0, NULL);

    /* the wait: the callback unregisters through the variable and clears it */
    int stale = 0, lost = 0;
    for (int i = 0; i < ROUNDS; i++) {
        if (!RegisterWaitForSingleObject((HANDLE *)&wait_slot, set_ev, wait_cb, NULL, INFINITE,
                                         WT_EXECUTEINWAITTHREAD | WT_EXECUTEONLYONCE)) {
            printf("RegisterWaitForSingleObject failed: %lu\n", GetLastError());
            return 1;
        }
        if (WaitForSingleObject(done_ev, 10000) != WAIT_OBJECT_0)
            lost++;
        if (wait_slot) { /* a wait that fired, kept: what libuv asserts against */
            stale++;
            UnregisterWait(wait_slot);
            wait_slot = NULL;
        }
    }
    printf("waits: %d rounds, callbacks %ld, saw no handle %ld, handle left %d, lost %d\n",
           ROUNDS, fired, saw_null, stale, lost);
    printf("UnregisterWait in its callback: %lu, error %lu\n", unreg_ok, unreg_err);

    /* the timer queue's timer with a due time of 0: the same order */
    fired = saw_null = 0;
    unreg_ok = 2;
    stale = lost = 0;
    for (int i = 0; i < ROUNDS; i++) {
        if (!CreateTimerQueueTimer((HANDLE *)&timer_slot, NULL, timer_cb, NULL, 0, 0,
                                   WT_EXECUTEINTIMERTHREAD | WT_EXECUTEONLYONCE)) {
            printf("CreateTimerQueueTimer failed: %lu\n", GetLastError());
            return 1;
        }
        if (WaitForSingleObject(done_ev, 10000) != WAIT_OBJECT_0)
            lost++;
        if (timer_slot) {
            stale++;
            DeleteTimerQueueTimer(NULL, timer_slot, INVALID_HANDLE_VALUE);
            timer_slot = NULL;
        }
    }
    printf("timers: %d rounds, callbacks %ld, saw no handle %ld, handle left %d, lost %d\n",
           ROUNDS, fired, saw_null, stale, lost);
    printf("DeleteTimerQueueTimer in its callback: %lu, error %lu\n", unreg_ok, unreg_err);

    stop_hogs = 1;
    WaitForMultipleObjects(2, hogs, TRUE, INFINITE);

    /* unregistered before the object is signalled: no callback, ever */
    HANDLE quiet = CreateEventW(NULL, TRUE, FALSE, NULL), w = NULL;
    LONG never = 0;
    RegisterWaitForSingleObject(&w, quiet, never_cb, (void *)&never, INFINITE, WT_EXECUTEONLYONCE);
    BOOL ok = UnregisterWaitEx(w, INVALID_HANDLE_VALUE);
    SetEvent(quiet);
    HANDLE probe = NULL; /* a later wait on the same event calls back: the pool is alive */
    repeat_ev = CreateEventW(NULL, FALSE, FALSE, NULL);
    RegisterWaitForSingleObject(&probe, quiet, repeat_cb, NULL, INFINITE, WT_EXECUTEONLYONCE);
    WaitForSingleObject(repeat_ev, 10000);
    UnregisterWaitEx(probe, INVALID_HANDLE_VALUE);
    printf("unregistered before the signal: %d, callbacks %ld\n", ok, never);

    /* without WT_EXECUTEONLYONCE, on an auto-reset event: once per SetEvent */
    HANDLE auto_ev = CreateEventW(NULL, FALSE, FALSE, NULL);
    repeat_count = 0;
    RegisterWaitForSingleObject(&w, auto_ev, repeat_cb, NULL, INFINITE, WT_EXECUTEDEFAULT);
    for (int i = 0; i < 3; i++) {
        SetEvent(auto_ev);
        WaitForSingleObject(repeat_ev, 10000);
    }
    UnregisterWaitEx(w, INVALID_HANDLE_VALUE);
    printf("repeating wait: %ld callbacks for 3 signals\n", repeat_count);
    return 0;
}
