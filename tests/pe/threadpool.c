/* The Win32 thread pool (CreateThreadpoolWork & co, timers, waits, I/O, cleanup groups, the
 * *WhenCallbackReturns actions, CallbackMayRunLong, DisassociateCurrentThreadFromCallback) and the
 * legacy pool on top of it (QueueUserWorkItem, RegisterWaitForSingleObject, timer queues). Every
 * check waits for an event or for the callbacks, never for a time. */
#define _WIN32_WINNT 0x0602
#include <windows.h>
#include <stdio.h>

static volatile LONG count;
static HANDLE done_ev, go_ev;
static DWORD main_tid;
static volatile DWORD cb_tid;
static int order[8];
static volatile LONG norder;

static void CALLBACK work_cb(PTP_CALLBACK_INSTANCE inst, PVOID ctx, PTP_WORK work)
{
    if (ctx == (void *)0x1234 && GetCurrentThreadId() != main_tid)
        InterlockedIncrement(&count);
}

static void CALLBACK order_cb(PTP_CALLBACK_INSTANCE inst, PVOID ctx, PTP_WORK work)
{
    LONG i = InterlockedIncrement(&norder) - 1;
    order[i] = (int)(INT_PTR)ctx;
    if (i == 0)
        cb_tid = GetCurrentThreadId();
    else if (cb_tid != GetCurrentThreadId())
        order[i] = -1; /* a pool of one thread runs everything on that thread */
}

static void CALLBACK block_cb(PTP_CALLBACK_INSTANCE inst, PVOID ctx, PTP_WORK work)
{
    SetEvent(done_ev);
    WaitForSingleObject(go_ev, INFINITE);
}

static void CALLBACK simple_cb(PTP_CALLBACK_INSTANCE inst, PVOID ctx)
{
    *(int *)ctx = 42;
    SetEventWhenCallbackReturns(inst, done_ev);
}

static void CALLBACK actions_cb(PTP_CALLBACK_INSTANCE inst, PVOID ctx, PTP_WORK work)
{
    static CRITICAL_SECTION *cs;
    cs = ctx;
    EnterCriticalSection(cs);
    LeaveCriticalSectionWhenCallbackReturns(inst, cs);
    ReleaseSemaphoreWhenCallbackReturns(inst, go_ev, 2);
    count = CallbackMayRunLong(inst) ? 1 : 0;
}

static void CALLBACK disassoc_cb(PTP_CALLBACK_INSTANCE inst, PVOID ctx, PTP_WORK work)
{
    DisassociateCurrentThreadFromCallback(inst);
    SetEvent(done_ev);
    WaitForSingleObject(go_ev, INFINITE);
    InterlockedIncrement(&count);
    SetEvent(done_ev);
}

static void CALLBACK timer_cb(PTP_CALLBACK_INSTANCE inst, PVOID ctx, PTP_TIMER timer)
{
    if (InterlockedIncrement(&count) == 3 || ctx == NULL)
        SetEvent(done_ev);
}

static volatile ULONG wait_result;
static void CALLBACK wait_cb(PTP_CALLBACK_INSTANCE inst, PVOID ctx, PTP_WAIT wait, TP_WAIT_RESULT r)
{
    wait_result = r;
    InterlockedIncrement(&count);
    SetEvent(done_ev);
}

static volatile ULONG io_result;
static volatile ULONG_PTR io_bytes;
static void *volatile io_ov;
static void CALLBACK io_cb(PTP_CALLBACK_INSTANCE inst, PVOID ctx, PVOID ov, ULONG result,
                           ULONG_PTR bytes, PTP_IO io)
{
    io_result = result;
    io_bytes = bytes;
    io_ov = ov;
    SetEvent(done_ev);
}

static DWORD WINAPI legacy_work(void *ctx)
{
    *(int *)ctx = 7;
    SetEvent(done_ev);
    return 0;
}

static volatile int legacy_fired = -1;
static void CALLBACK legacy_wait_cb(void *ctx, BOOLEAN timed_out)
{
    legacy_fired = timed_out;
    InterlockedIncrement(&count);
    SetEvent(done_ev);
}

static void wait_done(void)
{
    if (WaitForSingleObject(done_ev, 10000) != WAIT_OBJECT_0)
        printf("timed out waiting for a callback\n");
}

int main(void)
{
    main_tid = GetCurrentThreadId();
    done_ev = CreateEventW(NULL, FALSE, FALSE, NULL);
    go_ev = CreateEventW(NULL, TRUE, FALSE, NULL);

    /* work: five submissions, five callbacks on pool threads */
    PTP_WORK work = CreateThreadpoolWork(work_cb, (void *)0x1234, NULL);
    for (int i = 0; i < 5; i++)
        SubmitThreadpoolWork(work);
    WaitForThreadpoolWorkCallbacks(work, FALSE);
    CloseThreadpoolWork(work);
    printf("work: %ld\n", count);

    /* a private pool of one thread: FIFO on that thread; cancelling queued callbacks */
    PTP_POOL pool = CreateThreadpool(NULL);
    SetThreadpoolThreadMaximum(pool, 1);
    printf("minimum: %d\n", SetThreadpoolThreadMinimum(pool, 1));
    TP_CALLBACK_ENVIRON env;
    InitializeThreadpoolEnvironment(&env);
    SetThreadpoolCallbackPool(&env, pool);
    PTP_WORK blocker = CreateThreadpoolWork(block_cb, NULL, &env);
    PTP_WORK w[3];
    for (int i = 0; i < 3; i++)
        w[i] = CreateThreadpoolWork(order_cb, (void *)(INT_PTR)(i + 1), &env);
    SubmitThreadpoolWork(blocker);
    wait_done(); /* the only thread is now blocked */
    for (int i = 0; i < 3; i++)
        SubmitThreadpoolWork(w[i]);
    SubmitThreadpoolWork(w[1]);
    WaitForThreadpoolWorkCallbacks(w[1], TRUE); /* both of w[1]'s queued callbacks go */
    SetEvent(go_ev);
    WaitForThreadpoolWorkCallbacks(blocker, FALSE);
    WaitForThreadpoolWorkCallbacks(w[0], FALSE);
    WaitForThreadpoolWorkCallbacks(w[2], FALSE);
    printf("order: %ld:", norder);
    for (int i = 0; i < norder; i++)
        printf(" %d", order[i]);
    printf("\n");
    for (int i = 0; i < 3; i++)
        CloseThreadpoolWork(w[i]);
    CloseThreadpoolWork(blocker);
    ResetEvent(go_ev);

    /* cleanup group: its members are waited for and closed together */
    PTP_CLEANUP_GROUP group = CreateThreadpoolCleanupGroup();
    SetThreadpoolCallbackCleanupGroup(&env, group, NULL);
    count = 0;
    PTP_WORK g1 = CreateThreadpoolWork(work_cb, (void *)0x1234, &env);
    PTP_WORK g2 = CreateThreadpoolWork(work_cb, (void *)0x1234, &env);
    SubmitThreadpoolWork(g1);
    SubmitThreadpoolWork(g2);
    SubmitThreadpoolWork(g2);
    CloseThreadpoolCleanupGroupMembers(group, FALSE, NULL);
    CloseThreadpoolCleanupGroup(group);
    printf("group: %ld\n", count);
    DestroyThreadpoolEnvironment(&env);
    CloseThreadpool(pool);

    /* a simple callback and SetEventWhenCallbackReturns */
    int value = 0;
    printf("simple: %d", TrySubmitThreadpoolCallback(simple_cb, &value, NULL));
    wait_done();
    printf(" %d\n", value);

    /* completion actions happen before the callback counts as finished */
    CRITICAL_SECTION cs;
    InitializeCriticalSection(&cs);
    HANDLE sem = CreateSemaphoreW(NULL, 0, 10, NULL);
    HANDLE saved_go = go_ev;
    go_ev = sem;
    count = 0;
    work = CreateThreadpoolWork(actions_cb, &cs, NULL);
    SubmitThreadpoolWork(work);
    WaitForThreadpoolWorkCallbacks(work, FALSE);
    CloseThreadpoolWork(work);
    go_ev = saved_go;
    BOOL entered = TryEnterCriticalSection(&cs);
    DWORD s1 = WaitForSingleObject(sem, 0), s2 = WaitForSingleObject(sem, 0),
          s3 = WaitForSingleObject(sem, 0);
    printf("actions: cs %d sem %lu %lu %lu runlong %ld\n", entered, s1, s2, s3, count);
    if (entered)
        LeaveCriticalSection(&cs);

    /* a disassociated callback is not waited for */
    count = 0;
    work = CreateThreadpoolWork(disassoc_cb, NULL, NULL);
    SubmitThreadpoolWork(work);
    wait_done();
    WaitForThreadpoolWorkCallbacks(work, FALSE);
    printf("disassociated: still running %ld\n", count);
    SetEvent(go_ev);
    wait_done();
    CloseThreadpoolWork(work);
    count = 0;

    /* timers: one-shot relative and absolute, periodic, IsThreadpoolTimerSet, SetThreadpoolTimerEx */
    PTP_TIMER timer = CreateThreadpoolTimer(timer_cb, NULL, NULL);
    printf("timer set before: %d\n", IsThreadpoolTimerSet(timer));
    ULARGE_INTEGER due;
    due.QuadPart = (ULONGLONG)-100000; /* 10 ms from now */
    FILETIME ft = {due.LowPart, due.HighPart};
    SetThreadpoolTimer(timer, &ft, 0, 0);
    printf("timer set: %d\n", IsThreadpoolTimerSet(timer));
    wait_done();
    WaitForThreadpoolTimerCallbacks(timer, FALSE);
    GetSystemTimeAsFileTime(&ft);
    due.LowPart = ft.dwLowDateTime;
    due.HighPart = ft.dwHighDateTime;
    due.QuadPart += 100000;
    ft.dwLowDateTime = due.LowPart;
    ft.dwHighDateTime = due.HighPart;
    SetThreadpoolTimer(timer, &ft, 0, 0);
    wait_done();
    WaitForThreadpoolTimerCallbacks(timer, FALSE);
    printf("timer fired twice: %ld\n", count);
    SetThreadpoolTimer(timer, NULL, 0, 0);
    printf("timer set after cancel: %d\n", IsThreadpoolTimerSet(timer));
    CloseThreadpoolTimer(timer);

    count = 0;
    timer = CreateThreadpoolTimer(timer_cb, (void *)1, NULL);
    due.QuadPart = (ULONGLONG)-10000;
    ft.dwLowDateTime = due.LowPart;
    ft.dwHighDateTime = due.HighPart;
    printf("timer ex was set: %d\n", SetThreadpoolTimerEx(timer, &ft, 2, 0));
    wait_done(); /* the third period */
    printf("timer ex cancel was set: %d\n", SetThreadpoolTimerEx(timer, NULL, 0, 0));
    WaitForThreadpoolTimerCallbacks(timer, TRUE);
    LONG after = count;
    Sleep(30);
    printf("periodic: at least 3 %d, stopped %d\n", after >= 3, count == after);
    CloseThreadpoolTimer(timer);

    /* waits: signalled, timed out, SetThreadpoolWaitEx on an armed wait */
    HANDLE ev = CreateEventW(NULL, FALSE, FALSE, NULL);
    count = 0;
    PTP_WAIT wait = CreateThreadpoolWait(wait_cb, NULL, NULL);
    SetThreadpoolWait(wait, ev, NULL);
    SetEvent(ev);
    wait_done();
    printf("wait: result %lu, event consumed %lu\n", wait_result, WaitForSingleObject(ev, 0));
    due.QuadPart = (ULONGLONG)-100000;
    ft.dwLowDateTime = due.LowPart;
    ft.dwHighDateTime = due.HighPart;
    SetThreadpoolWait(wait, ev, &ft);
    wait_done();
    printf("wait timeout: result 0x%lx\n", wait_result);
    WaitForThreadpoolWaitCallbacks(wait, FALSE);
    SetThreadpoolWait(wait, ev, NULL);
    printf("wait ex was armed: %d\n", SetThreadpoolWaitEx(wait, NULL, NULL, NULL));
    printf("wait ex was armed again: %d\n", SetThreadpoolWaitEx(wait, NULL, NULL, NULL));
    SetEvent(ev); /* nobody waits any more: the event stays signalled */
    printf("wait callbacks: %ld, event left %lu\n", count, WaitForSingleObject(ev, 0));
    CloseThreadpoolWait(wait);

    /* I/O on a file bound to the pool */
    char path[MAX_PATH], dir[MAX_PATH];
    GetTempPathA(sizeof dir, dir);
    GetTempFileNameA(dir, "tpi", 0, path);
    HANDLE f = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           FILE_FLAG_OVERLAPPED | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    PTP_IO io = CreateThreadpoolIo(f, io_cb, NULL, NULL);
    printf("io: %d\n", io != NULL);
    OVERLAPPED ov = {0};
    StartThreadpoolIo(io);
    DWORD n = 0;
    BOOL ok = WriteFile(f, "hello pool", 10, &n, &ov);
    if (ok || GetLastError() == ERROR_IO_PENDING) {
        wait_done();
        WaitForThreadpoolIoCallbacks(io, FALSE);
        printf("io done: result %lu bytes %lu overlapped %d\n", io_result, (unsigned long)io_bytes,
               io_ov == &ov);
    } else {
        CancelThreadpoolIo(io);
        printf("io write failed %lu\n", GetLastError());
    }
    CloseThreadpoolIo(io);
    CloseHandle(f);

    /* the legacy pool */
    value = 0;
    printf("QueueUserWorkItem: %d", QueueUserWorkItem(legacy_work, &value, WT_EXECUTEDEFAULT));
    wait_done();
    printf(" %d\n", value);
    HANDLE reg;
    count = 0;
    printf("RegisterWait: %d", RegisterWaitForSingleObject(&reg, ev, legacy_wait_cb, NULL, INFINITE,
                                                           WT_EXECUTEONLYONCE));
    SetEvent(ev);
    wait_done();
    printf(" timed out %d\n", legacy_fired);
    printf("UnregisterWaitEx: %d\n", UnregisterWaitEx(reg, INVALID_HANDLE_VALUE));
    RegisterWaitForSingleObject(&reg, ev, legacy_wait_cb, NULL, 10, WT_EXECUTEONLYONCE);
    wait_done();
    printf("RegisterWait timeout: timed out %d\n", legacy_fired);
    UnregisterWaitEx(reg, INVALID_HANDLE_VALUE);
    /* without WT_EXECUTEONLYONCE the wait stays registered */
    count = 0;
    RegisterWaitForSingleObject(&reg, ev, legacy_wait_cb, NULL, INFINITE, WT_EXECUTEDEFAULT);
    SetEvent(ev);
    wait_done();
    SetEvent(ev);
    wait_done();
    UnregisterWaitEx(reg, INVALID_HANDLE_VALUE);
    printf("RegisterWait repeating: %ld\n", count);

    HANDLE t;
    legacy_fired = -1;
    printf("CreateTimerQueueTimer: %d", CreateTimerQueueTimer(&t, NULL, legacy_wait_cb, NULL, 10, 0,
                                                              WT_EXECUTEDEFAULT));
    wait_done();
    printf(" fired %d\n", legacy_fired);
    printf("DeleteTimerQueueTimer: %d\n", DeleteTimerQueueTimer(NULL, t, INVALID_HANDLE_VALUE));
    HANDLE q = CreateTimerQueue();
    count = 0;
    CreateTimerQueueTimer(&t, q, legacy_wait_cb, NULL, 1, 1, WT_EXECUTEDEFAULT);
    wait_done();
    wait_done();
    printf("ChangeTimerQueueTimer: %d\n", ChangeTimerQueueTimer(q, t, 1000000, 0));
    printf("DeleteTimerQueueEx: %d\n", DeleteTimerQueueEx(q, INVALID_HANDLE_VALUE));
    LONG c = count;
    Sleep(20);
    printf("timer queue stopped: %d\n", c == count && c >= 2);
    return 0;
}
