/* Thread-pool waits on objects shared with another process are satisfied by what that process
 * does: CreateThreadpoolWait/SetThreadpoolWait on an auto-reset event and on a synchronization
 * timer, RegisterWaitForSingleObject on a semaphore, each registered here before a child opens
 * the object by name and signals it (SetEvent, ReleaseSemaphore, SetWaitableTimer); and a
 * thread-pool wait on a mutex a child owns is satisfied when the child ends holding it (the
 * callback is told WAIT_OBJECT_0 as for any signal; a plain wait after it sees the mutex owned
 * by the pool); likewise a wait completion packet (NtAssociateWaitCompletionPacket, as Go's
 * runtime uses it) on a shared event the child sets and on a mutex a child ends holding: each
 * posts to our completion port. The names carry our process id, so runs side by side do not
 * meet. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include "xproc_name.h"
#include "xproc_start.h"
#include "xproc_role.h"

typedef struct {
    HANDLE done;
    volatile LONG calls;
    volatile DWORD result;
} item;

static void CALLBACK on_wait(PTP_CALLBACK_INSTANCE inst, void *ctx, PTP_WAIT wait,
                             TP_WAIT_RESULT result)
{
    (void)inst;
    (void)wait;
    item *it = ctx;
    it->result = result;
    InterlockedIncrement(&it->calls);
    SetEvent(it->done);
}

static void CALLBACK on_registered(void *ctx, BOOLEAN timed_out)
{
    item *it = ctx;
    it->result = timed_out;
    InterlockedIncrement(&it->calls);
    SetEvent(it->done);
}

typedef LONG(NTAPI *create_fn)(HANDLE *, ACCESS_MASK, void *);
typedef LONG(NTAPI *assoc_fn)(HANDLE, HANDLE, HANDLE, void *, void *, LONG, ULONG_PTR, BOOLEAN *);

static create_fn nt_create_packet;
static assoc_fn nt_associate;

/* A packet waiting for `obj`, posting key `key` to port. */
static void packet(HANDLE port, HANDLE obj, ULONG_PTR key)
{
    HANDLE pk = NULL;
    BOOLEAN already = 2;
    LONG st = nt_create_packet(&pk, GENERIC_ALL, NULL);
    LONG st2 = nt_associate(pk, port, obj, (void *)key, NULL, 0, 0, &already);
    printf("parent: packet %lu: 0x%lx 0x%lx already %d\n", (unsigned long)key, st, st2, already);
}

/* What the port has within 10 s: its key. */
static void take(HANDLE port, const char *what)
{
    DWORD n = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *ov = NULL;
    BOOL ok = GetQueuedCompletionStatus(port, &n, &key, &ov, 10000);
    printf("parent: %s: %d key %lu\n", what, ok, (unsigned long)key);
}

static int child(const char *role)
{
    if (!strcmp(role, "signaller")) {
        HANDLE ev = OpenEventW(EVENT_MODIFY_STATE, FALSE, xproc_name(L"-ev"));
        HANDLE sem = OpenSemaphoreW(SEMAPHORE_MODIFY_STATE, FALSE, xproc_name(L"-sem"));
        HANDLE tmr = OpenWaitableTimerW(TIMER_MODIFY_STATE, FALSE, xproc_name(L"-tmr"));
        HANDLE pk = OpenEventW(EVENT_MODIFY_STATE, FALSE, xproc_name(L"-pk"));
        HANDLE go = OpenEventW(SYNCHRONIZE, FALSE, xproc_name(L"-go"));
        HANDLE done = OpenEventW(SYNCHRONIZE, FALSE, xproc_name(L"-done"));
        LARGE_INTEGER due;
        due.QuadPart = -100 * 10000;
        printf("signaller: go %lu\n", WaitForSingleObject(go, 30000));
        printf("signaller: SetEvent %d, ReleaseSemaphore %d, SetWaitableTimer %d\n", SetEvent(ev),
               ReleaseSemaphore(sem, 1, NULL), SetWaitableTimer(tmr, &due, 0, NULL, NULL, FALSE));
        printf("signaller: SetEvent for the packet %d\n", SetEvent(pk));
        fflush(stdout);
        printf("signaller: done %lu\n", WaitForSingleObject(done, 30000));
        return 31;
    }
    if (!strcmp(role, "owner")) {
        HANDLE mtx = OpenMutexW(SYNCHRONIZE, FALSE, xproc_name(L"-mtx"));
        HANDLE mtx2 = OpenMutexW(SYNCHRONIZE, FALSE, xproc_name(L"-mtx2"));
        HANDLE owned = OpenEventW(EVENT_MODIFY_STATE, FALSE, xproc_name(L"-owned"));
        HANDLE die = OpenEventW(SYNCHRONIZE, FALSE, xproc_name(L"-die"));
        DWORD w1 = WaitForSingleObject(mtx, 5000), w2 = WaitForSingleObject(mtx2, 5000);
        printf("owner: wait for the mutexes %lu %lu\n", w1, w2);
        fflush(stdout);
        SetEvent(owned);
        WaitForSingleObject(die, 30000);
        return 32; /* ends holding it */
    }
    return 99;
}

static item new_item(void)
{
    item it = {CreateEventW(NULL, FALSE, FALSE, NULL), 0, 0xdeadbeef};
    return it;
}

int main(int argc, char **argv)
{
    const char *role = xproc_role(argc, argv, L"ntrun-xproc-tpwait");
    if (role)
        return child(role);
    HANDLE ev = CreateEventW(NULL, FALSE, FALSE, xproc_name(L"-ev"));
    HANDLE sem = CreateSemaphoreW(NULL, 0, 10, xproc_name(L"-sem"));
    HANDLE tmr = CreateWaitableTimerW(NULL, FALSE, xproc_name(L"-tmr"));
    HANDLE mtx = CreateMutexW(NULL, FALSE, xproc_name(L"-mtx"));
    HANDLE mtx2 = CreateMutexW(NULL, FALSE, xproc_name(L"-mtx2"));
    HANDLE go = CreateEventW(NULL, TRUE, FALSE, xproc_name(L"-go"));
    HANDLE done = CreateEventW(NULL, TRUE, FALSE, xproc_name(L"-done"));
    HANDLE owned = CreateEventW(NULL, TRUE, FALSE, xproc_name(L"-owned"));
    HANDLE die = CreateEventW(NULL, TRUE, FALSE, xproc_name(L"-die"));
    HANDLE pkev = CreateEventW(NULL, FALSE, FALSE, xproc_name(L"-pk"));
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    nt_create_packet = (create_fn)GetProcAddress(ntdll, "NtCreateWaitCompletionPacket");
    nt_associate = (assoc_fn)GetProcAddress(ntdll, "NtAssociateWaitCompletionPacket");
    if (!pkev || !mtx2 || !port || !nt_create_packet || !nt_associate)
        return 3;
    if (!ev || !sem || !tmr || !mtx || !go || !done || !owned || !die)
        return 1;

    item iev = new_item(), isem = new_item(), itmr = new_item(), imtx = new_item();
    PTP_WAIT wev = CreateThreadpoolWait(on_wait, &iev, NULL);
    PTP_WAIT wtmr = CreateThreadpoolWait(on_wait, &itmr, NULL);
    HANDLE rsem = NULL;
    BOOL ok = RegisterWaitForSingleObject(&rsem, sem, on_registered, &isem, INFINITE,
                                          WT_EXECUTEONLYONCE);
    if (!wev || !wtmr || !ok)
        return 2;
    SetThreadpoolWait(wev, ev, NULL);
    SetThreadpoolWait(wtmr, tmr, NULL);
    packet(port, pkev, 7);

    HANDLE c = xproc_start_role("signaller");
    Sleep(200); /* the waits sleep before the child signals (no signal yet: checked below) */
    printf("parent: before the signals: calls %ld %ld %ld\n", iev.calls, isem.calls, itmr.calls);
    fflush(stdout);
    SetEvent(go);
    DWORD w1 = WaitForSingleObject(iev.done, 10000), w2 = WaitForSingleObject(isem.done, 10000),
          w3 = WaitForSingleObject(itmr.done, 10000);
    printf("parent: event wait %lu (result %lu), semaphore wait %lu (timed out %lu), timer wait "
           "%lu (result %lu)\n", w1, iev.result, w2, isem.result, w3, itmr.result);
    printf("parent: taken by the pool: event %lu, semaphore %lu, timer %lu\n",
           WaitForSingleObject(ev, 0), WaitForSingleObject(sem, 0), WaitForSingleObject(tmr, 0));
    take(port, "the event's packet");
    printf("parent: the packet's event taken: %lu\n", WaitForSingleObject(pkev, 0));
    fflush(stdout);
    SetEvent(done);
    printf("parent: the signaller's exit code %lu\n", xproc_end_code(c));
    fflush(stdout);

    c = xproc_start_role("owner");
    printf("parent: owned %lu\n", WaitForSingleObject(owned, 30000));
    fflush(stdout);
    PTP_WAIT wmtx = CreateThreadpoolWait(on_wait, &imtx, NULL);
    SetThreadpoolWait(wmtx, mtx, NULL);
    packet(port, mtx2, 8);
    Sleep(200);
    printf("parent: while the owner lives: calls %ld\n", imtx.calls);
    fflush(stdout);
    SetEvent(die);
    w1 = WaitForSingleObject(imtx.done, 10000);
    printf("parent: the owner's exit code %lu, mutex wait %lu (result %lu), here: %lu\n",
           xproc_end_code(c), w1, imtx.result, WaitForSingleObject(mtx, 0));
    take(port, "the mutex's packet");
    WaitForThreadpoolWaitCallbacks(wev, TRUE);
    WaitForThreadpoolWaitCallbacks(wtmr, TRUE);
    WaitForThreadpoolWaitCallbacks(wmtx, TRUE);
    UnregisterWaitEx(rsem, INVALID_HANDLE_VALUE);
    printf("parent: calls %ld %ld %ld %ld\n", iev.calls, isem.calls, itmr.calls, imtx.calls);
    return 0;
}
