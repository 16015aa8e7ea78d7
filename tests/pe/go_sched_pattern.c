/* The Go runtime's scheduler pattern on Windows (Go 1.23+), with every thread suspended and
 * resumed all along as Go's asynchronous preemption does (SuspendThread, GetThreadContext,
 * ResumeThread from another thread):
 * - semasleep/semawakeup: four threads pass a token around a ring of auto-reset events, waiting
 *   with WaitForSingleObject(INFINITE) or WaitForMultipleObjects with a time-out, as Go's M's do;
 * - the netpoller: three pollers wait on one completion port with GetQueuedCompletionStatusEx,
 *   one without a time-out, the others after arming a high-resolution waitable timer and
 *   associating it with the port through a wait completion packet (NtCancel/NtAssociate
 *   WaitCompletionPacket, as netpollQueueTimer does); another thread wakes them with
 *   PostQueuedCompletionStatus (netpollBreak) and waits until a poller received each one.
 * A lost wake-up or a suspension that never stops its thread hangs the program (ctest's time-out
 * reports it); nothing is timed. The scenario runs ROUNDS times with fresh threads.
 *
 * As a stress reproducer, loop it by hand (two loops at once add load), e.g.
 *   for i in $(seq 100); do timeout 60 build/ntrun build/tests/pe/go_sched_pattern.exe \
 *     > /dev/null || echo hang $i; done
 * Before the suspension fixes of runtime/thread.c (rt_suspend_wait, rt_thread_at_stop) about
 * one run in five hung with the preempting thread in GetThreadContext forever.
 *
 * The ring's end: a thread leaves after passing on a token that it received with ring_done set
 * (or that it set itself), judged from ring_done as read BEFORE passing it on. It used to read
 * ring_done again after SetEvent: a thread suspended in between (say ring 0, resumed only after
 * rings 1, 2 and 3 had passed the token on and ring 3 had set ring_done) then left without
 * waiting for the token already on its way to it; the two rings after it waited for ever for
 * a token that sat in the departed thread's event (about one run in 20 under load, 2026-12-05;
 * a bug of this program, not of ntrun: Windows would hang the same way). */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

typedef LONG(NTAPI *create_fn)(HANDLE *, ACCESS_MASK, void *);
typedef LONG(NTAPI *assoc_fn)(HANDLE, HANDLE, HANDLE, void *, void *, LONG, ULONG_PTR, BOOLEAN *);
typedef LONG(NTAPI *cancel_fn)(HANDLE, BOOLEAN);
static create_fn nt_create;
static assoc_fn nt_assoc;
static cancel_fn nt_cancel;

#define RING 4
#define RING_PASSES 20000
#define POLLERS 3
#define BREAKS 3000
#ifndef ROUNDS
#define ROUNDS 3 /* -DROUNDS=1 for a loop by hand */
#endif
#define STATUS_PENDING_ 0x103
#ifndef CREATE_WAITABLE_TIMER_HIGH_RESOLUTION
#define CREATE_WAITABLE_TIMER_HIGH_RESOLUTION 0x2
#endif
#define STATUS_CANCELLED_ ((LONG)0xC0000120)
enum { SRC_BREAK = 2, SRC_TIMER = 3, SRC_END = 4 };

static HANDLE ring_ev[RING], victims[RING + POLLERS], port, ack;
static volatile LONG passes, ring_done, wakesig, breaks_seen, nvictims;
static volatile LONG stop_preempt;
static volatile LONG finished[RING + POLLERS]; /* the thread's function has returned */
static LONG suspend_failures;

static DWORD WINAPI ring_thread(void *arg)
{
    int i = (int)(INT_PTR)arg;
    for (;;) {
        DWORD r;
        if (i & 1) {
            r = WaitForSingleObject(ring_ev[i], INFINITE);
        } else {
            HANDLE hs[1] = {ring_ev[i]};
            r = WaitForMultipleObjects(1, hs, FALSE, 7);
            if (r == WAIT_TIMEOUT)
                continue;
        }
        if (r != WAIT_OBJECT_0) {
            printf("ring %d: wait gave %lu\n", i, r);
            exit(3);
        }
        if (!ring_done && InterlockedIncrement(&passes) >= RING_PASSES)
            ring_done = 1;
        LONG leave = ring_done; /* before passing on: see the header comment */
        SetEvent(ring_ev[(i + 1) % RING]); /* passes the token on, also to end the ring */
        if (leave) {
            finished[i] = 1;
            return 0;
        }
    }
}

static DWORD WINAPI poller(void *arg)
{
    int me = (int)(INT_PTR)arg;
    HANDLE timer = CreateWaitableTimerExW(NULL, NULL, CREATE_WAITABLE_TIMER_HIGH_RESOLUTION,
                                          TIMER_ALL_ACCESS);
    HANDLE packet = NULL;
    if (!timer || nt_create(&packet, GENERIC_ALL, NULL) != 0) {
        printf("poller %d: no timer or packet\n", me);
        exit(4);
    }
    unsigned seed = (unsigned)me * 7919u + 1;
    for (;;) {
        seed = seed * 1103515245u + 12345u;
        LONGLONG delay = me == 0 ? -1 : 50000 + (LONGLONG)((seed >> 8) % 2000000); /* ns */
        DWORD wait = INFINITE;
        if (delay > 0) {
            LONG st = nt_cancel(packet, TRUE);
            if (st == 0 || st == STATUS_CANCELLED_) {
                LARGE_INTEGER due;
                BOOLEAN signalled = FALSE;
                due.QuadPart = -delay / 100;
                SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE);
                st = nt_assoc(packet, port, timer, (void *)SRC_TIMER, NULL, 0, 0, &signalled);
                if (st != 0) {
                    printf("poller %d: NtAssociateWaitCompletionPacket 0x%lx\n", me, st);
                    exit(5);
                }
                if (signalled)
                    continue;
            } else if (st != STATUS_PENDING_) {
                printf("poller %d: NtCancelWaitCompletionPacket 0x%lx\n", me, st);
                exit(6);
            }
            wait = delay < 1000000 ? 1 : (DWORD)(delay / 1000000);
        }
        OVERLAPPED_ENTRY e[8];
        ULONG n = 0;
        if (!GetQueuedCompletionStatusEx(port, e, 8, &n, wait, FALSE)) {
            if (GetLastError() != WAIT_TIMEOUT) {
                printf("poller %d: GetQueuedCompletionStatusEx error %lu\n", me, GetLastError());
                exit(7);
            }
            continue;
        }
        int ends = 0;
        for (ULONG i = 0; i < n; i++) {
            switch (e[i].lpCompletionKey) {
            case SRC_BREAK:
                wakesig = 0;
                InterlockedIncrement(&breaks_seen);
                SetEvent(ack);
                break;
            case SRC_TIMER:
                break;
            case SRC_END:
                ends++;
                break;
            default:
                printf("poller %d: key %lu\n", me, (unsigned long)e[i].lpCompletionKey);
                exit(8);
            }
        }
        if (ends) { /* one end per poller: hand back the others this call took */
            while (--ends > 0)
                PostQueuedCompletionStatus(port, 0, SRC_END, NULL);
            finished[RING + me] = 1;
            return 0;
        }
    }
}

static DWORD WINAPI preemptor(void *arg)
{
    (void)arg;
    CONTEXT c;
    while (!stop_preempt) {
        for (LONG i = 0; i < nvictims; i++) {
            if (SuspendThread(victims[i]) == (DWORD)-1)
                continue; /* ended */
            c.ContextFlags = CONTEXT_CONTROL;
            /* A thread whose function has returned may end while suspended: ntrun does not
             * stop a thread on its way out (Windows would, in ntdll's exit path). */
            if ((!GetThreadContext(victims[i], &c) || c.Rip == 0 || c.Rsp == 0) &&
                !finished[i])
                InterlockedIncrement(&suspend_failures);
            ResumeThread(victims[i]);
        }
    }
    return 0;
}

/* One run of the scenario with fresh threads, events and port. */
static void run_round(int round)
{
    passes = ring_done = wakesig = breaks_seen = nvictims = stop_preempt = 0;
    for (int i = 0; i < RING + POLLERS; i++)
        finished[i] = 0;
    suspend_failures = 0;
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0xffffffff);
    ack = CreateEventA(NULL, FALSE, FALSE, NULL);
    for (int i = 0; i < RING; i++)
        ring_ev[i] = CreateEventA(NULL, FALSE, FALSE, NULL);
    HANDLE threads[RING + POLLERS];
    for (int i = 0; i < RING; i++)
        threads[i] = CreateThread(NULL, 0, ring_thread, (void *)(INT_PTR)i, 0, NULL);
    for (int i = 0; i < POLLERS; i++)
        threads[RING + i] = CreateThread(NULL, 0, poller, (void *)(INT_PTR)i, 0, NULL);
    for (int i = 0; i < RING + POLLERS; i++)
        DuplicateHandle(GetCurrentProcess(), threads[i], GetCurrentProcess(), &victims[i], 0,
                        FALSE, DUPLICATE_SAME_ACCESS);
    nvictims = RING + POLLERS;
    HANDLE pre = CreateThread(NULL, 0, preemptor, NULL, 0, NULL);

    SetEvent(ring_ev[0]);
    for (int r = 0; r < BREAKS; r++) { /* netpollBreak, then wait for a poller to see it */
        if (InterlockedCompareExchange(&wakesig, 1, 0) == 0)
            PostQueuedCompletionStatus(port, 0, SRC_BREAK, NULL);
        WaitForSingleObject(ack, INFINITE);
    }
    for (int i = 0; i < POLLERS; i++)
        PostQueuedCompletionStatus(port, 0, SRC_END, NULL);
    WaitForMultipleObjects(RING + POLLERS, threads, TRUE, INFINITE);
    stop_preempt = 1;
    WaitForSingleObject(pre, INFINITE);
    printf("round %d: ring %d passes, netpoll %d breaks each received, "
           "%ld suspensions without a context\n",
           round, passes >= RING_PASSES ? RING_PASSES : (int)passes, (int)breaks_seen,
           suspend_failures);
    for (int i = 0; i < RING + POLLERS; i++) {
        CloseHandle(threads[i]);
        CloseHandle(victims[i]);
    }
    for (int i = 0; i < RING; i++)
        CloseHandle(ring_ev[i]);
    CloseHandle(pre);
    CloseHandle(ack);
    CloseHandle(port);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    nt_create = (create_fn)GetProcAddress(ntdll, "NtCreateWaitCompletionPacket");
    nt_assoc = (assoc_fn)GetProcAddress(ntdll, "NtAssociateWaitCompletionPacket");
    nt_cancel = (cancel_fn)GetProcAddress(ntdll, "NtCancelWaitCompletionPacket");
    if (!nt_create || !nt_assoc || !nt_cancel) {
        printf("no wait completion packets\n");
        return 1;
    }
    for (int round = 1; round <= ROUNDS; round++)
        run_round(round);
    return 0;
}
