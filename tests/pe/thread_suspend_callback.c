/* SuspendThread and GetThreadContext of a thread that runs a foreign callback called from a
 * built-in (native -> foreign): a user APC run by an alertable wait, a qsort comparison, a
 * thread-pool callback. Each callback spins, counting, until released; the thread is suspended
 * in it: GetThreadContext must give an Rip inside the callback, and the count must not move
 * while the thread is suspended (looked at across a few Sleeps: a stopped thread never moves
 * it, whatever the timing).
 * The APC case first suspends the thread inside the alertable wait (SignalObjectAndWait has
 * signalled `ready`, so the thread is in the built-in), queues the APC and resumes it: ntrun
 * used to leave the thread "armed" to stop where that built-in returns, so the second
 * suspension, in the APC, did nothing and GetThreadContext reported the wait's return while
 * the APC ran on. Windows: every line as below. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

static volatile LONG running, release_cb;
static volatile LONG64 counter;
static HANDLE ready, never, worker_handle;

/* the callbacks: small, so Rip inside one is within CALLBACK_SPAN bytes of its address */
#define CALLBACK_SPAN 0x100

static void CALLBACK apc_spin(ULONG_PTR arg)
{
    (void)arg;
    running = 1;
    while (!release_cb)
        counter++;
}

static int __cdecl cmp_spin(const void *a, const void *b)
{
    if (!release_cb) {
        running = 1;
        while (!release_cb)
            counter++;
    }
    int x = *(const int *)a, y = *(const int *)b;
    return x < y ? -1 : x > y;
}

static void CALLBACK pool_spin(PTP_CALLBACK_INSTANCE inst, void *ctx)
{
    (void)inst, (void)ctx;
    DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(),
                    (HANDLE *)&worker_handle, 0, FALSE, DUPLICATE_SAME_ACCESS);
    running = 1;
    while (!release_cb)
        counter++;
}

static DWORD WINAPI apc_thread(void *arg)
{
    (void)arg;
    return SignalObjectAndWait(ready, never, INFINITE, TRUE);
}

static int sorted[64];
static DWORD WINAPI sort_thread(void *arg)
{
    (void)arg;
    for (int i = 0; i < 64; i++)
        sorted[i] = (i * 37) % 64;
    qsort(sorted, 64, sizeof *sorted, cmp_spin);
    for (int i = 0; i < 64; i++)
        if (sorted[i] != i)
            return 1;
    return 0;
}

static void wait_running(void)
{
    while (!running)
        Sleep(1);
}

/* Suspends `t` (in `fn`), checks its context and that it stays stopped, then releases it. */
static void check_stopped(const char *what, HANDLE t, void *fn)
{
    wait_running();
    DWORD prev = SuspendThread(t);
    CONTEXT c;
    memset(&c, 0xcc, sizeof c);
    c.ContextFlags = CONTEXT_CONTROL;
    BOOL got = GetThreadContext(t, &c);
    LONG64 before = counter;
    for (int i = 0; i < 5; i++) {
        Sleep(10);
        SwitchToThread();
    }
    LONG64 after = counter;
    printf("%s: SuspendThread %lu, GetThreadContext %d, Rip in the callback %s, "
           "count %s while suspended\n",
           what, prev, got,
           got && c.Rip - (DWORD64)(ULONG_PTR)fn < CALLBACK_SPAN ? "yes" : "NO",
           before == after ? "still" : "MOVED");
    release_cb = 1;
    printf("%s: ResumeThread %lu\n", what, ResumeThread(t));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    ready = CreateEventA(NULL, FALSE, FALSE, NULL);
    never = CreateEventA(NULL, FALSE, FALSE, NULL);

    /* 1. an APC run by an alertable wait in which the thread was suspended first */
    HANDLE t = CreateThread(NULL, 0, apc_thread, NULL, 0, NULL);
    WaitForSingleObject(ready, INFINITE); /* the thread is inside SignalObjectAndWait */
    DWORD prev = SuspendThread(t);
    CONTEXT c;
    c.ContextFlags = CONTEXT_CONTROL;
    BOOL got = GetThreadContext(t, &c);
    printf("apc: in the wait: SuspendThread %lu, GetThreadContext %d\n", prev, got);
    printf("apc: QueueUserAPC %d\n", QueueUserAPC(apc_spin, t, 0) != 0);
    printf("apc: ResumeThread %lu\n", ResumeThread(t));
    check_stopped("apc", t, (void *)apc_spin);
    WaitForSingleObject(t, INFINITE);
    DWORD code = 0;
    GetExitCodeThread(t, &code);
    printf("apc: the wait returned 0x%lx\n", code); /* WAIT_IO_COMPLETION */
    CloseHandle(t);

    /* 2. a qsort comparison */
    running = release_cb = 0;
    t = CreateThread(NULL, 0, sort_thread, NULL, 0, NULL);
    check_stopped("qsort", t, (void *)cmp_spin);
    WaitForSingleObject(t, INFINITE);
    GetExitCodeThread(t, &code);
    printf("qsort: %s\n", code == 0 ? "sorted" : "NOT SORTED");
    CloseHandle(t);

    /* 3. a thread-pool callback */
    running = release_cb = 0;
    printf("pool: TrySubmitThreadpoolCallback %d\n",
           TrySubmitThreadpoolCallback(pool_spin, NULL, NULL) != 0);
    wait_running();
    check_stopped("pool", worker_handle, (void *)pool_spin);
    CloseHandle(worker_handle);
    return 0;
}
