/* sync_objects: kernel32 events, mutexes, semaphores, waits and threads, checking return values
 * and GetLastError as Windows gives them: auto/manual events, PulseEvent, timeouts
 * (WAIT_TIMEOUT 258, the last error untouched), bad handles and wrong object types
 * (ERROR_INVALID_HANDLE 6, WAIT_FAILED), mutex recursion, ownership (ERROR_NOT_OWNER 288) and
 * abandonment (WAIT_ABANDONED), semaphore limits (ERROR_TOO_MANY_POSTS 298) and parameters
 * (ERROR_INVALID_PARAMETER 87), WaitForMultipleObjects any/all, named objects
 * (ERROR_ALREADY_EXISTS 183, a different type's name gives ERROR_INVALID_HANDLE, a missing name
 * ERROR_FILE_NOT_FOUND 2), DuplicateHandle, thread handles (STILL_ACTIVE, waitable, exit codes
 * from a return, ExitThread deep in calls, _endthreadex), CREATE_SUSPENDED + ResumeThread,
 * TerminateThread of a thread spinning in its own code and of one blocked in a wait,
 * _beginthread, OpenThread, SignalObjectAndWait, QueueUserAPC with alertable waits (SleepEx,
 * WaitForSingleObjectEx: WAIT_IO_COMPLETION 192), SRW locks with a condition variable,
 * interlocked SLists under contention.
 *
 * The expected output follows Windows' documented behaviour of these calls (last errors as set
 * by kernelbase: a successful Create* sets 0). */
#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

#define MARK 0xdeadbeef

static void show(const char *what, DWORD r)
{
    printf("%-44s -> %lu, last error %lu\n", what, r, GetLastError());
}
#define SHOW(expr) do { SetLastError(MARK); DWORD r_ = (DWORD)(ULONG_PTR)(expr); show(#expr, r_); } while (0)
#define SHOWB(expr) do { SetLastError(MARK); DWORD r_ = (expr) ? 1 : 0; show(#expr, r_); } while (0)

static HANDLE ev_auto, ev_manual, mtx, sem;

/* ---- threads ---- */
static HANDLE gate;
static DWORD WINAPI wait_gate(void *arg)
{
    WaitForSingleObject(gate, INFINITE);
    return (DWORD)(ULONG_PTR)arg;
}

static void(WINAPI *volatile exit_thread)(DWORD) = ExitThread; /* no noreturn for gcc to see */
static void deep_exit(int depth)
{
    if (depth == 0)
        exit_thread(77);
    else
        deep_exit(depth - 1);
    printf("not reached\n");
}
static DWORD WINAPI exit_deep(void *arg)
{
    deep_exit(20);
    return 1;
}

static unsigned __stdcall crt_thread(void *arg)
{
    if (arg)
        _endthreadex(9);
    return 8;
}

static struct mutex_report { DWORD wait, release, error; } mrep;
static DWORD WINAPI mutex_other(void *arg)
{
    SetLastError(MARK);
    mrep.wait = WaitForSingleObject(mtx, 10);
    mrep.release = ReleaseMutex(mtx);
    mrep.error = GetLastError();
    return 0;
}

static DWORD WINAPI take_and_leave(void *arg)
{
    return WaitForSingleObject((HANDLE)arg, INFINITE);
}

static volatile LONG started_flag;
static DWORD WINAPI set_flag(void *arg)
{
    InterlockedExchange(&started_flag, 1);
    return 5;
}

static volatile LONG spin_ready;
static DWORD WINAPI spin_forever(void *arg)
{
    InterlockedExchange(&spin_ready, 1);
    for (volatile unsigned long i = 0;; i++)
        ;
    return 0;
}

static volatile LONG busy_ready;
static DWORD WINAPI busy_in_builtins(void *arg)
{
    InterlockedExchange(&busy_ready, 1);
    for (;;) {
        LARGE_INTEGER li;
        GetCurrentProcessorNumber();
        QueryPerformanceCounter(&li);
        lstrlenA(GetCommandLineA());
    }
    return 0;
}

/* User APCs */
static volatile LONG apc_sum;
static volatile DWORD apc_seen_on;
static void CALLBACK apc_fn(ULONG_PTR data)
{
    apc_sum += (LONG)data;
    apc_seen_on = GetCurrentThreadId();
}
static HANDLE apc_ready;
static DWORD WINAPI alertable_sleeper(void *arg)
{
    SetEvent(apc_ready);
    return SleepEx(INFINITE, TRUE);
}

static void __cdecl plain_thread(void *arg)
{
    SetEvent((HANDLE)arg);
}

/* SRW + condition variable: a bounded counter between a producer and a consumer. */
static SRWLOCK srw = SRWLOCK_INIT;
static CONDITION_VARIABLE cv = CONDITION_VARIABLE_INIT;
static int queue, produced, consumed_total;
static DWORD WINAPI producer(void *arg)
{
    for (int i = 0; i < 2000; i++) {
        AcquireSRWLockExclusive(&srw);
        while (queue >= 4)
            SleepConditionVariableSRW(&cv, &srw, INFINITE, 0);
        queue++;
        produced++;
        WakeAllConditionVariable(&cv);
        ReleaseSRWLockExclusive(&srw);
    }
    return 0;
}
static DWORD WINAPI consumer(void *arg)
{
    for (int i = 0; i < 2000; i++) {
        AcquireSRWLockExclusive(&srw);
        while (queue == 0)
            SleepConditionVariableSRW(&cv, &srw, INFINITE, 0);
        queue--;
        consumed_total++;
        WakeAllConditionVariable(&cv);
        ReleaseSRWLockExclusive(&srw);
    }
    return 0;
}

/* Interlocked SLists: 4 threads push 1000 entries each, then 4 threads pop until empty. */
#define SL_PER_THREAD 1000
static SLIST_HEADER slist;
static struct sl_item { SLIST_ENTRY entry; int value; } __attribute__((aligned(16)))
    sl_items[4][SL_PER_THREAD];
static volatile LONG sl_popped, sl_sum;
static DWORD WINAPI sl_pusher(void *arg)
{
    int t = (int)(ULONG_PTR)arg;
    for (int i = 0; i < SL_PER_THREAD; i++) {
        sl_items[t][i].value = t * SL_PER_THREAD + i;
        InterlockedPushEntrySList(&slist, &sl_items[t][i].entry);
    }
    return 0;
}
static DWORD WINAPI sl_popper(void *arg)
{
    SLIST_ENTRY *e;
    while ((e = InterlockedPopEntrySList(&slist)) != NULL) {
        InterlockedIncrement(&sl_popped);
        InterlockedExchangeAdd(&sl_sum, ((struct sl_item *)e)->value);
    }
    return 0;
}

int main(void)
{
    DWORD code;
    printf("-- events\n");
    SetLastError(MARK);
    ev_auto = CreateEventA(NULL, FALSE, FALSE, NULL);
    printf("CreateEventA(auto): %s, last error %lu\n", ev_auto ? "handle" : "NULL", GetLastError());
    ev_manual = CreateEventW(NULL, TRUE, TRUE, NULL);
    SHOW(WaitForSingleObject(ev_auto, 0));
    SHOW(WaitForSingleObject(ev_auto, 20));
    SHOWB(SetEvent(ev_auto));
    SHOW(WaitForSingleObject(ev_auto, 0));
    SHOW(WaitForSingleObject(ev_auto, 0));
    SHOW(WaitForSingleObject(ev_manual, 0));
    SHOW(WaitForSingleObject(ev_manual, INFINITE));
    SHOWB(ResetEvent(ev_manual));
    SHOW(WaitForSingleObject(ev_manual, 0));
    SHOWB(PulseEvent(ev_manual));
    SHOW(WaitForSingleObject(ev_manual, 0));
    SHOWB(SetEvent((HANDLE)(ULONG_PTR)0xbad0));
    SHOWB(SetEvent(NULL));
    SHOW(WaitForSingleObject((HANDLE)(ULONG_PTR)0xbad0, 0));

    printf("-- mutexes\n");
    mtx = CreateMutexA(NULL, TRUE, NULL);
    SHOW(WaitForSingleObject(mtx, 0));
    HANDLE th = CreateThread(NULL, 0, mutex_other, NULL, 0, NULL);
    WaitForSingleObject(th, INFINITE);
    CloseHandle(th);
    printf("other thread: wait %lu, ReleaseMutex %lu, last error %lu\n", mrep.wait,
           mrep.release, mrep.error);
    SHOWB(ReleaseMutex(mtx));
    SHOWB(ReleaseMutex(mtx));
    SHOWB(ReleaseMutex(mtx));
    SHOWB(SetEvent(mtx));
    th = CreateThread(NULL, 0, take_and_leave, mtx, 0, NULL);
    WaitForSingleObject(th, INFINITE);
    GetExitCodeThread(th, &code);
    CloseHandle(th);
    printf("thread took the mutex and ended: wait result %lu\n", code);
    SHOW(WaitForSingleObject(mtx, 0));
    SHOWB(ReleaseMutex(mtx));
    SHOW(WaitForSingleObject(mtx, 0));
    SHOWB(ReleaseMutex(mtx));

    printf("-- semaphores\n");
    sem = CreateSemaphoreA(NULL, 1, 2, NULL);
    LONG prev = -5;
    SHOWB(ReleaseSemaphore(sem, 2, &prev));
    printf("previous count after a failed release: %ld\n", prev);
    SHOWB(ReleaseSemaphore(sem, 1, &prev));
    printf("previous count: %ld\n", prev);
    SHOWB(ReleaseSemaphore(sem, 0, NULL));
    SHOW(WaitForSingleObject(sem, 0));
    SHOW(WaitForSingleObject(sem, 0));
    SHOW(WaitForSingleObject(sem, 10));
    SHOW(CreateSemaphoreA(NULL, 3, 2, NULL));
    SHOW(CreateSemaphoreA(NULL, 0, 0, NULL));

    printf("-- WaitForMultipleObjects\n");
    HANDLE set[3] = {ev_auto, sem, ev_manual};
    SHOW(WaitForMultipleObjects(3, set, FALSE, 0));
    SHOW(WaitForMultipleObjects(3, set, TRUE, 10));
    SetEvent(ev_manual);
    ReleaseSemaphore(sem, 1, NULL);
    SHOW(WaitForMultipleObjects(3, set, FALSE, 0));
    SetEvent(ev_auto);
    ReleaseSemaphore(sem, 1, NULL);
    SHOW(WaitForMultipleObjects(3, set, TRUE, 0));
    SHOW(WaitForSingleObject(ev_auto, 0));
    SHOW(WaitForMultipleObjects(0, set, FALSE, 0));
    HANDLE many[65];
    for (int i = 0; i < 65; i++)
        many[i] = ev_manual;
    SHOW(WaitForMultipleObjects(65, many, FALSE, 0));
    SHOW(WaitForMultipleObjects(64, many, FALSE, 0));
    set[1] = (HANDLE)(ULONG_PTR)0xbad0;
    SHOW(WaitForMultipleObjects(3, set, FALSE, 0));

    printf("-- names\n");
    SetLastError(MARK);
    HANDLE n1 = CreateEventA(NULL, TRUE, FALSE, "ntrun-sync-objects");
    printf("first CreateEventA(name): %s, last error %lu\n", n1 ? "handle" : "NULL", GetLastError());
    SetLastError(MARK);
    HANDLE n2 = CreateEventA(NULL, FALSE, TRUE, "ntrun-sync-objects");
    printf("second CreateEventA(name): %s, last error %lu\n", n2 ? "handle" : "NULL", GetLastError());
    SHOW(WaitForSingleObject(n1, 0));
    SetEvent(n2);
    SHOW(WaitForSingleObject(n1, 0));
    SHOW(CreateMutexA(NULL, FALSE, "ntrun-sync-objects"));
    SHOW(OpenEventA(EVENT_ALL_ACCESS, FALSE, "ntrun-sync-objects-missing"));
    HANDLE n3 = OpenEventA(EVENT_ALL_ACCESS, FALSE, "ntrun-sync-objects");
    printf("OpenEventA(existing): %s\n", n3 ? "handle" : "NULL");
    CloseHandle(n1);
    CloseHandle(n2);
    CloseHandle(n3);

    printf("-- DuplicateHandle\n");
    HANDLE dup = NULL;
    SHOWB(DuplicateHandle(GetCurrentProcess(), ev_auto, GetCurrentProcess(), &dup, 0, FALSE,
                          DUPLICATE_SAME_ACCESS));
    SetEvent(dup);
    SHOW(WaitForSingleObject(ev_auto, 0));
    HANDLE dup2 = NULL;
    SHOWB(DuplicateHandle(GetCurrentProcess(), dup, GetCurrentProcess(), &dup2, 0, FALSE,
                          DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
    SHOWB(SetEvent(dup));
    SHOWB(CloseHandle(dup2));
    SHOWB(DuplicateHandle(GetCurrentProcess(), (HANDLE)(ULONG_PTR)0xbad0, GetCurrentProcess(),
                          &dup, 0, FALSE, DUPLICATE_SAME_ACCESS));
    HANDLE me = NULL;
    DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &me, 0, FALSE,
                    DUPLICATE_SAME_ACCESS);
    printf("duplicated GetCurrentThread() names this thread: %s\n",
           GetThreadId(me) == GetCurrentThreadId() ? "yes" : "no");
    SHOW(WaitForSingleObject(me, 0));
    CloseHandle(me);

    printf("-- OpenThread, SignalObjectAndWait\n");
    HANDLE self = OpenThread(THREAD_ALL_ACCESS, FALSE, GetCurrentThreadId());
    printf("OpenThread(own id) names this thread: %s\n",
           self && GetThreadId(self) == GetCurrentThreadId() ? "yes" : "no");
    CloseHandle(self);
    SHOW(OpenThread(THREAD_ALL_ACCESS, FALSE, 0xfffffff0));
    HANDLE sig = CreateEventA(NULL, TRUE, FALSE, NULL), wt = CreateEventA(NULL, TRUE, FALSE, NULL);
    SHOW(SignalObjectAndWait(sig, wt, 10, FALSE));
    SHOW(WaitForSingleObject(sig, 0));
    SetEvent(wt);
    SHOW(SignalObjectAndWait(sem, wt, 0, FALSE));
    SHOW(SignalObjectAndWait((HANDLE)(ULONG_PTR)0xbad0, wt, 0, FALSE));
    CloseHandle(sig);
    CloseHandle(wt);

    printf("-- threads\n");
    gate = CreateEventA(NULL, TRUE, FALSE, NULL);
    DWORD tid = 0;
    th = CreateThread(NULL, 0, wait_gate, (void *)33, 0, &tid);
    printf("GetThreadId matches CreateThread's id: %s\n", GetThreadId(th) == tid ? "yes" : "no");
    HANDLE th2 = OpenThread(SYNCHRONIZE | THREAD_QUERY_INFORMATION, FALSE, tid);
    printf("OpenThread(its id): %s\n", th2 && GetThreadId(th2) == tid ? "the same thread" : "no");
    SHOWB(GetExitCodeThread(th, &code));
    printf("exit code while running: %lu\n", code);
    SHOW(WaitForSingleObject(th, 0));
    SetEvent(gate);
    SHOW(WaitForSingleObject(th, INFINITE));
    GetExitCodeThread(th2, &code);
    printf("exit code after return, through OpenThread's handle: %lu\n", code);
    CloseHandle(th);
    CloseHandle(th2);
    SHOWB(GetExitCodeThread((HANDLE)(ULONG_PTR)0xbad0, &code));
    SHOWB(GetExitCodeThread(ev_auto, &code));

    th = CreateThread(NULL, 0, exit_deep, NULL, 0, NULL);
    WaitForSingleObject(th, INFINITE);
    GetExitCodeThread(th, &code);
    printf("ExitThread 21 calls deep: exit code %lu\n", code);
    CloseHandle(th);

    HANDLE ct = (HANDLE)_beginthreadex(NULL, 0, crt_thread, NULL, 0, NULL);
    WaitForSingleObject(ct, INFINITE);
    GetExitCodeThread(ct, &code);
    printf("_beginthreadex returning 8: exit code %lu\n", code);
    CloseHandle(ct);
    ct = (HANDLE)_beginthreadex(NULL, 0, crt_thread, (void *)1, 0, NULL);
    WaitForSingleObject(ct, INFINITE);
    GetExitCodeThread(ct, &code);
    printf("_endthreadex(9): exit code %lu\n", code);
    CloseHandle(ct);

    th = CreateThread(NULL, 0, set_flag, NULL, CREATE_SUSPENDED, NULL);
    SHOW(WaitForSingleObject(th, 20));
    printf("suspended thread has not run: %s\n", started_flag == 0 ? "yes" : "no");
    SHOW(ResumeThread(th));
    SHOW(WaitForSingleObject(th, INFINITE));
    printf("after ResumeThread it ran: %s\n", started_flag == 1 ? "yes" : "no");
    CloseHandle(th);

    th = CreateThread(NULL, 0, spin_forever, NULL, 0, NULL);
    while (!spin_ready)
        Sleep(1);
    SHOWB(TerminateThread(th, 55));
    SHOW(WaitForSingleObject(th, INFINITE));
    GetExitCodeThread(th, &code);
    printf("terminated spinning thread: exit code %lu\n", code);
    CloseHandle(th);
    ResetEvent(gate);
    th = CreateThread(NULL, 0, wait_gate, NULL, 0, NULL);
    SHOW(WaitForSingleObject(th, 20));
    SHOWB(TerminateThread(th, 56));
    SHOW(WaitForSingleObject(th, INFINITE));
    GetExitCodeThread(th, &code);
    printf("terminated waiting thread: exit code %lu\n", code);
    CloseHandle(th);

    th = CreateThread(NULL, 0, busy_in_builtins, NULL, 0, NULL);
    while (!busy_ready)
        Sleep(1);
    SHOWB(TerminateThread(th, 57));
    SHOW(WaitForSingleObject(th, INFINITE));
    GetExitCodeThread(th, &code);
    printf("terminated thread busy in built-in calls: exit code %lu\n", code);
    CloseHandle(th);

    HANDLE plain_done = CreateEventA(NULL, FALSE, FALSE, NULL);
    uintptr_t pt = _beginthread(plain_thread, 0, plain_done);
    printf("_beginthread: %s\n", pt != (uintptr_t)-1 ? "started" : "failed");
    SHOW(WaitForSingleObject(plain_done, INFINITE));

    printf("-- APCs\n");
    SHOWB(QueueUserAPC(apc_fn, GetCurrentThread(), 5));
    Sleep(0);
    printf("after a non-alertable Sleep(0): sum %ld\n", apc_sum);
    SHOW(SleepEx(0, TRUE));
    printf("after SleepEx(0, TRUE): sum %ld, on this thread: %s\n", apc_sum,
           apc_seen_on == GetCurrentThreadId() ? "yes" : "no");
    SHOW(SleepEx(0, TRUE));
    apc_ready = CreateEventA(NULL, TRUE, FALSE, NULL);
    th = CreateThread(NULL, 0, alertable_sleeper, NULL, 0, &tid);
    WaitForSingleObject(apc_ready, INFINITE);
    SHOWB(QueueUserAPC(apc_fn, th, 7));
    SHOW(WaitForSingleObject(th, INFINITE));
    GetExitCodeThread(th, &code);
    printf("SleepEx(INFINITE, TRUE) on the thread returned %lu; sum %ld, ran on it: %s\n", code,
           apc_sum, apc_seen_on == tid ? "yes" : "no");
    CloseHandle(th);
    HANDLE never_set = CreateEventA(NULL, TRUE, FALSE, NULL);
    QueueUserAPC(apc_fn, GetCurrentThread(), 30);
    SHOW(WaitForSingleObjectEx(never_set, INFINITE, TRUE));
    printf("sum %ld\n", apc_sum);
    SHOW(WaitForSingleObjectEx(never_set, 0, TRUE));
    SHOWB(QueueUserAPC(apc_fn, (HANDLE)(ULONG_PTR)0xbad0, 1));
    CloseHandle(never_set);
    CloseHandle(apc_ready);

    printf("-- SRW lock and condition variable\n");
    HANDLE pc[2] = {CreateThread(NULL, 0, producer, NULL, 0, NULL),
                    CreateThread(NULL, 0, consumer, NULL, 0, NULL)};
    SHOW(WaitForMultipleObjects(2, pc, TRUE, INFINITE));
    printf("produced %d, consumed %d, left %d\n", produced, consumed_total, queue);
    SHOW(TryAcquireSRWLockShared(&srw));
    SHOW(TryAcquireSRWLockShared(&srw));
    SHOW(TryAcquireSRWLockExclusive(&srw));
    ReleaseSRWLockShared(&srw);
    ReleaseSRWLockShared(&srw);
    SHOW(TryAcquireSRWLockExclusive(&srw));
    ReleaseSRWLockExclusive(&srw);
    CloseHandle(pc[0]);
    CloseHandle(pc[1]);

    printf("-- SList\n");
    InitializeSListHead(&slist);
    HANDLE sl[4];
    for (int i = 0; i < 4; i++)
        sl[i] = CreateThread(NULL, 0, sl_pusher, (void *)(ULONG_PTR)i, 0, NULL);
    WaitForMultipleObjects(4, sl, TRUE, INFINITE);
    printf("depth after 4 x %d pushes: %u\n", SL_PER_THREAD, QueryDepthSList(&slist));
    for (int i = 0; i < 4; i++) {
        CloseHandle(sl[i]);
        sl[i] = CreateThread(NULL, 0, sl_popper, NULL, 0, NULL);
    }
    WaitForMultipleObjects(4, sl, TRUE, INFINITE);
    printf("popped %ld, sum of values %ld, depth %u\n", sl_popped, sl_sum, QueryDepthSList(&slist));
    for (int i = 0; i < 4; i++)
        CloseHandle(sl[i]);
    InterlockedPushEntrySList(&slist, &sl_items[0][0].entry);
    InterlockedPushEntrySList(&slist, &sl_items[0][1].entry);
    SLIST_ENTRY *all = InterlockedFlushSList(&slist);
    printf("flush returns the last pushed: %s, depth %u\n",
           all == &sl_items[0][1].entry ? "yes" : "no", QueryDepthSList(&slist));
    printf("done\n");
    return 0;
}
