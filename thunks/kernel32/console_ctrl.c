/* SPDX-License-Identifier: MIT */
/* Console control events: SetConsoleCtrlHandler, GenerateConsoleCtrlEvent, and the Linux
 * signals that stand for them.
 *
 * SIGINT is CTRL_C_EVENT, SIGQUIT CTRL_BREAK_EVENT, SIGHUP and SIGTERM CTRL_CLOSE_EVENT. As on
 * Windows (kernel32's CtrlRoutine), each event runs on a new thread of the process, which calls
 * the registered handlers from the most recently added one down; the first that returns TRUE
 * ends the dispatch. The last handler is the default one: ExitProcess(STATUS_CONTROL_C_EXIT),
 * so with no handler returning TRUE the process ends with 0xC000013A (the shell sees 0x3A = 58,
 * ntrun's exit status being the low 8 bits) after the exit-time work ExitProcess does: DLLs
 * detach and msvcrt's DLL_PROCESS_DETACH runs _cexit (atexit handlers, stdio flushed).
 * For CTRL_CLOSE_EVENT a handler that returns TRUE does not save the process: Windows ends it
 * once the handler returns (or after 5 seconds), without exit-time work, and so does ntrun.
 * SetConsoleCtrlHandler(NULL, TRUE) makes the process ignore CTRL_C_EVENT (not the others);
 * a process started with SIGINT ignored starts that way (the flag Windows passes to children),
 * and one started with SIGHUP ignored (nohup) keeps ignoring it.
 *
 * The signal handler only hands off: it writes the event's number to a pipe (write(2) is
 * async-signal-safe) after setting the SUD selector to ALLOW, and restores the selector. A
 * native dispatcher thread (all signals blocked, never running foreign code) reads the pipe and
 * starts the CtrlRoutine thread with nt_thread_create_native, a foreign-capable thread with a
 * TEB, from which handlers are called with thk_call_foreign.
 *
 * The dispatcher is started when the program registers a handler (SetConsoleCtrlHandler, or
 * msvcrt's signal() for SIGINT/SIGBREAK), from ordinary code: a program with handlers pays the
 * thread then, and its events are dispatched at once wherever they land. A run that registers
 * none makes no thread for it until the first event (cli.startup_syscalls: hello starts no
 * thread); the signal handler then starts it itself when the code it interrupted cannot hold
 * the locks pthread_create takes (foreign code, ntrun's own, or a wait in a system call:
 * rt_signal_may_start_thread). Otherwise (glibc busy in a built-in: printf, malloc) it leaves
 * that to the next wait point (rt_defer_request) and to a timer that looks for a safe point
 * every 1 ms (rt_defer_retry). With no handler the event ends the process, so only that exit
 * waits. GenerateConsoleCtrlEvent starts it directly. */
#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "runtime/defer.h"
#include "thunks/kernel32/kernel32_private.h"

#define K32_CTRL_C_EVENT 0
#define K32_CTRL_BREAK_EVENT 1
#define K32_CTRL_CLOSE_EVENT 2
#define K32_STATUS_CONTROL_C_EXIT 0xC000013Au
#define K32_CTRL_CLOSE_TIMEOUT_MS 5000

typedef struct {
    const void *fn;            /* foreign HandlerRoutine, or NULL */
    k32_native_ctrl_fn native; /* a built-in's handler (msvcrt's signal()), or NULL */
} k32_ctrl_entry;

static pthread_mutex_t k32_ctrl_lock = PTHREAD_MUTEX_INITIALIZER;
static k32_ctrl_entry *k32_ctrl_list;
static size_t k32_ctrl_count, k32_ctrl_cap;
static bool k32_ctrl_c_ignored; /* SetConsoleCtrlHandler(NULL, TRUE) */

static int k32_ctrl_pipe[2] = {-1, -1};
/* The pipe: 0 not made, 1 being made, 2 made, 3 could not be made (k32_ctrl_pipe_make). */
static atomic_int k32_ctrl_pipe_state;
static bool k32_ctrl_started;   /* the signal handlers (k32_ctrl_lock) */
/* The dispatcher thread: 0 not started, 1 started (or starting), 2 could not start. */
static atomic_int k32_ctrl_dispatcher_state;
static volatile int k32_ctrl_running; /* a program runs: events are delivered */

/* ---- the handler list ---- */

static void k32_ctrl_start_dispatcher(void);

static BOOL k32_ctrl_add(const void *fn, k32_native_ctrl_fn native)
{
    pthread_mutex_lock(&k32_ctrl_lock);
    if (k32_ctrl_count == k32_ctrl_cap) {
        size_t cap = k32_ctrl_cap ? k32_ctrl_cap * 2 : 8;
        k32_ctrl_entry *n = realloc(k32_ctrl_list, cap * sizeof *n);
        if (!n) {
            pthread_mutex_unlock(&k32_ctrl_lock);
            thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
            return FALSE;
        }
        k32_ctrl_list = n;
        k32_ctrl_cap = cap;
    }
    k32_ctrl_list[k32_ctrl_count++] = (k32_ctrl_entry){fn, native};
    bool started = k32_ctrl_started;
    pthread_mutex_unlock(&k32_ctrl_lock);
    /* A handler to run: the dispatcher now, from ordinary code (see the top of the file).
     * Before k32_ctrl_setup made the pipe, the first event starts it as for a program without
     * handlers. */
    if (started)
        k32_ctrl_start_dispatcher();
    return TRUE;
}

/* Removes the most recent registration of the handler, as Windows does. */
static BOOL k32_ctrl_remove(const void *fn, k32_native_ctrl_fn native)
{
    pthread_mutex_lock(&k32_ctrl_lock);
    for (size_t i = k32_ctrl_count; i-- > 0;) {
        if (k32_ctrl_list[i].fn == fn && k32_ctrl_list[i].native == native) {
            memmove(&k32_ctrl_list[i], &k32_ctrl_list[i + 1],
                    (k32_ctrl_count - i - 1) * sizeof *k32_ctrl_list);
            k32_ctrl_count--;
            pthread_mutex_unlock(&k32_ctrl_lock);
            return TRUE;
        }
    }
    pthread_mutex_unlock(&k32_ctrl_lock);
    thk_set_last_error(ERROR_INVALID_PARAMETER);
    return FALSE;
}

BOOL WINAPI SetConsoleCtrlHandler(const void *handler, BOOL add)
{
    if (!handler) {
        pthread_mutex_lock(&k32_ctrl_lock);
        k32_ctrl_c_ignored = add != 0;
        pthread_mutex_unlock(&k32_ctrl_lock);
        return TRUE;
    }
    return add ? k32_ctrl_add(handler, NULL) : k32_ctrl_remove(handler, NULL);
}
THK_EXPORT(kernel32, SetConsoleCtrlHandler, 2);

void k32_ctrl_set_native(k32_native_ctrl_fn fn, bool add)
{
    pthread_mutex_lock(&k32_ctrl_lock);
    bool present = false;
    for (size_t i = 0; i < k32_ctrl_count; i++)
        present |= k32_ctrl_list[i].native == fn;
    pthread_mutex_unlock(&k32_ctrl_lock);
    if (add && !present)
        k32_ctrl_add(NULL, fn);
    else if (!add && present)
        k32_ctrl_remove(NULL, fn);
}

bool k32_ctrl_c_is_ignored(void)
{
    pthread_mutex_lock(&k32_ctrl_lock);
    bool r = k32_ctrl_c_ignored;
    pthread_mutex_unlock(&k32_ctrl_lock);
    return r;
}

void k32_ctrl_set_c_ignored(bool ignored)
{
    pthread_mutex_lock(&k32_ctrl_lock);
    k32_ctrl_c_ignored = ignored;
    pthread_mutex_unlock(&k32_ctrl_lock);
}

/* ---- CtrlRoutine: the thread that runs the handlers for one event ---- */

static uint32_t k32_ctrl_routine(void *ctx)
{
    uint32_t event = (uint32_t)(uintptr_t)ctx;
    pthread_mutex_lock(&k32_ctrl_lock);
    if (event == K32_CTRL_C_EVENT && k32_ctrl_c_ignored) {
        pthread_mutex_unlock(&k32_ctrl_lock);
        return 0;
    }
    /* A snapshot: a handler may add or remove handlers (Windows' lock is recursive). */
    size_t n = k32_ctrl_count;
    k32_ctrl_entry *snap = n ? malloc(n * sizeof *snap) : NULL;
    if (snap)
        memcpy(snap, k32_ctrl_list, n * sizeof *snap);
    else
        n = 0;
    pthread_mutex_unlock(&k32_ctrl_lock);
    bool handled = false;
    for (size_t i = n; i-- > 0 && !handled;) {
        if (snap[i].native)
            handled = snap[i].native(event) != 0;
        else
            handled = (int32_t)thk_call_foreign1(snap[i].fn, event) != 0;
    }
    free(snap);
    if (!handled)
        rt_exit_process(K32_STATUS_CONTROL_C_EXIT); /* the default handler: ExitProcess */
    if (event == K32_CTRL_CLOSE_EVENT)
        rt_exit_process_crashed(K32_STATUS_CONTROL_C_EXIT); /* the system ends it anyway */
    return 0;
}

/* ---- hand-off from the signal handler ---- */

/* The pipe, made with the first event (or the dispatcher's start), not at every start: pipe2
 * and fcntl were 2 of a start's system calls, ~0.8% of `ntrun hello.exe`'s samples, for events
 * most programs never get (docs/performance.md, twenty-second pass, second round).
 * Async-signal-safe (raw system calls, no lock). The caller that makes it blocks the
 * asynchronous signals meanwhile, so that a console event's handler cannot interrupt it on its
 * own thread and wait for it; another thread's caller waits for it to finish. True when the
 * pipe is there. */
static bool k32_ctrl_pipe_make(void)
{
    int st = atomic_load(&k32_ctrl_pipe_state);
    if (st == 2)
        return true;
    if (st == 3)
        return false;
    int expected = 0;
    if (atomic_compare_exchange_strong(&k32_ctrl_pipe_state, &expected, 1)) {
        /* all but the synchronous ones (SUD's SIGSYS, faults): the kernel forces those */
        uint64_t block = ~0ull, old = 0;
        static const int sync_sigs[] = {SIGSYS, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
        for (size_t i = 0; i < sizeof sync_sigs / sizeof sync_sigs[0]; i++)
            block &= ~(1ull << (sync_sigs[i] - 1));
        rt_raw_syscall6(SYS_rt_sigprocmask, SIG_BLOCK, (long)&block, (long)&old, 8, 0, 0);
        int fds[2];
        long r = rt_raw_syscall6(SYS_pipe2, (long)fds, O_CLOEXEC, 0, 0, 0, 0);
        if (r == 0) {
            rt_raw_syscall6(SYS_fcntl, fds[1], F_SETFL, O_NONBLOCK, 0, 0, 0);
            k32_ctrl_pipe[0] = fds[0];
            k32_ctrl_pipe[1] = fds[1];
        }
        atomic_store(&k32_ctrl_pipe_state, r == 0 ? 2 : 3);
        rt_raw_syscall6(SYS_rt_sigprocmask, SIG_SETMASK, (long)&old, 0, 8, 0, 0);
        return r == 0;
    }
    while ((st = atomic_load(&k32_ctrl_pipe_state)) == 1)
        rt_raw_syscall6(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
    return st == 2;
}

/* Async-signal-safe: reads the TEB pointer (initial-exec TLS), flips the selector, and makes
 * one write(2); errno is preserved. A signal that finds the pipe full is dropped (hundreds of
 * events are already waiting). The first one also starts the dispatcher (pthread_create), but
 * only where rt_signal_may_start_thread says the interrupted code holds none of glibc's locks. */
/* While k32_ctrl_hup_install finds out whether SIGHUP was ignored (nohup): a SIGHUP then is
 * only noted, and raised again once the answer is "not ignored". */
static atomic_int k32_hup_probing, k32_hup_seen;

static void k32_ctrl_signal(int sig, siginfo_t *si, void *uctx)
{
    (void)si;
    if (sig == SIGHUP && atomic_load(&k32_hup_probing)) {
        atomic_store(&k32_hup_seen, 1);
        return;
    }
    TEB *teb = rt_current_teb();
    rt_thread *t = teb ? rt_thread_of(teb) : NULL;
    uint8_t saved = t ? t->selector : RT_SEL_ALLOW;
    if (t)
        t->selector = RT_SEL_ALLOW;
    int saved_errno = errno;
    uint8_t event = sig == SIGINT    ? K32_CTRL_C_EVENT
                    : sig == SIGQUIT ? K32_CTRL_BREAK_EVENT
                                     : K32_CTRL_CLOSE_EVENT;
    if (k32_ctrl_pipe_make())
        rt_raw_syscall6(SYS_write, k32_ctrl_pipe[1], (long)&event, 1, 0, 0, 0);
    if (atomic_load(&k32_ctrl_dispatcher_state) == 0) {
        if (rt_signal_may_start_thread(uctx, saved)) {
            k32_ctrl_start_dispatcher();
        } else {
            rt_defer_request(RT_DEFER_CONSOLE);
            rt_defer_retry(RT_DEFER_RETRY_NS);
        }
    }
    errno = saved_errno;
    if (t)
        t->selector = saved;
}

static void k32_ctrl_deliver(uint32_t event)
{
    if (!__atomic_load_n(&k32_ctrl_running, __ATOMIC_ACQUIRE))
        return;
    HANDLE h = NULL;
    NTSTATUS st = nt_thread_create_native(k32_ctrl_routine, (void *)(uintptr_t)event, 0, false,
                                          &h, NULL);
    if (!NT_SUCCESS(st)) {
        /* The handlers cannot run (no memory or handle for a thread). The process still ends as
         * it would with no handler: a close event ends it anyway, and a Ctrl-C/Break nobody can
         * handle must not leave it running with the user's signal lost. */
        rt_message("console control event %u: no thread for the handlers (0x%08X); the process "
                   "ends",
                   event, (unsigned)st);
        rt_process_terminate(K32_STATUS_CONTROL_C_EXIT);
        return;
    }
    if (event == K32_CTRL_CLOSE_EVENT) {
        /* Windows gives close handlers 5 seconds, then ends the process. */
        LARGE_INTEGER timeout = {.QuadPart = -(int64_t)K32_CTRL_CLOSE_TIMEOUT_MS * 10000};
        if (NtWaitForSingleObject(h, FALSE, &timeout) == STATUS_TIMEOUT &&
            __atomic_load_n(&k32_ctrl_running, __ATOMIC_ACQUIRE))
            rt_process_terminate(K32_STATUS_CONTROL_C_EXIT);
    }
    NtClose(h);
}

static void *k32_ctrl_dispatcher(void *arg)
{
    (void)arg;
    prctl(PR_SET_NAME, "ntrun-ctrl"); /* in /proc/PID/task/TID/comm (cli.console_ctrl) */
    if (!k32_ctrl_pipe_make())
        return NULL;
    for (;;) {
        uint8_t event;
        ssize_t n = read(k32_ctrl_pipe[0], &event, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n != 1)
            return NULL;
        k32_ctrl_deliver(event);
    }
}

/* The dispatcher thread, once: from ordinary code, rt_defer_run, or the signal handler (see
 * there), so no lock; the state's compare-and-swap picks the caller that creates it. */
static void k32_ctrl_start_dispatcher(void)
{
    int expected = 0;
    if (!atomic_compare_exchange_strong(&k32_ctrl_dispatcher_state, &expected, 1))
        return;
    int r = rt_service_thread_start(k32_ctrl_dispatcher, NULL, 64 * 1024, false);
    if (r != 0) {
        atomic_store(&k32_ctrl_dispatcher_state, 2);
        rt_message("console control events: no dispatcher thread (error %d)", r);
    }
}

/* Once per process. The pipe and its reader, the dispatcher, come with the first event. */
static int k32_ctrl_start(void)
{
    rt_defer_set(RT_DEFER_CONSOLE, k32_ctrl_start_dispatcher);
    return 0;
}

/* SIGHUP's handler, unless SIGHUP was ignored (nohup), which stays ignored. The handler goes in
 * and the action it replaced says whether it was ignored; then SIG_IGN is put back (one system
 * call, and a second only under nohup, where a query and the install were two every time). A
 * SIGHUP meanwhile reaches no handler: k32_ctrl_signal only notes it (an ignored one is then
 * dropped, as the kernel would have; another is raised again for the handler). */
static void k32_ctrl_hup_install(void)
{
    atomic_store(&k32_hup_probing, 1);
    rt_install_signal_handler(SIGHUP, k32_ctrl_signal, SA_RESTART);
    bool ignored = rt_signal_host_ignored(SIGHUP);
    if (ignored)
        rt_install_signal_handler(SIGHUP, (void *)SIG_IGN, 0);
    atomic_store(&k32_hup_probing, 0);
    if (atomic_exchange(&k32_hup_seen, 0) && !ignored)
        kill(getpid(), SIGHUP);
}

void k32_ctrl_setup(void)
{
    /* Windows has no SIGPIPE: a write to a pipe or socket whose reader has gone fails
     * (EPIPE: ERROR_NO_DATA) and the writer lives on. A native child gets the default back
     * (ntemu/process.c). */
    rt_install_signal_handler(SIGPIPE, (void *)SIG_IGN, 0);
    pthread_mutex_lock(&k32_ctrl_lock);
    if (!k32_ctrl_started && k32_ctrl_start() == 0)
        k32_ctrl_started = true;
    bool ok = k32_ctrl_started, handlers = k32_ctrl_count > 0;
    pthread_mutex_unlock(&k32_ctrl_lock);
    if (!ok)
        return;
    if (handlers) /* registered before the pipe was there (k32_ctrl_add) */
        k32_ctrl_start_dispatcher();
    /* An ignored SIGINT (a background job of a shell, or a parent's CREATE_NEW_PROCESS_GROUP)
     * is Windows' inherited "Ctrl-C ignored" flag, read from the action the install replaced
     * (an event before k32_ctrl_running is set is not delivered). An ignored SIGHUP (nohup)
     * stays ignored (k32_ctrl_hup_install). */
    static const int sigs[] = {SIGINT, SIGQUIT, SIGHUP, SIGTERM};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        if (sigs[i] == SIGHUP) {
            k32_ctrl_hup_install();
            continue;
        }
        rt_install_signal_handler(sigs[i], k32_ctrl_signal, SA_RESTART);
        if (sigs[i] == SIGINT && rt_signal_host_ignored(SIGINT))
            k32_ctrl_set_c_ignored(true);
    }
    __atomic_store_n(&k32_ctrl_running, 1, __ATOMIC_RELEASE);
}

void k32_ctrl_reset(void)
{
    __atomic_store_n(&k32_ctrl_running, 0, __ATOMIC_RELEASE);
    rt_defer_retry_cancel(); /* its SIGINT must not outlive the handler (libntrun) */
    pthread_mutex_lock(&k32_ctrl_lock);
    free(k32_ctrl_list);
    k32_ctrl_list = NULL;
    k32_ctrl_count = k32_ctrl_cap = 0;
    k32_ctrl_c_ignored = false;
    pthread_mutex_unlock(&k32_ctrl_lock);
}

/* GenerateConsoleCtrlEvent: CTRL_C_EVENT or CTRL_BREAK_EVENT to the processes of the console
 * (group 0: this process and the children started on the same console) or to a process group
 * (a child started with CREATE_NEW_PROCESS_GROUP: its process id). */
DWORD WINAPI GetCurrentProcessId(void); /* process.c */

BOOL WINAPI GenerateConsoleCtrlEvent(DWORD event, DWORD group)
{
    if (event != K32_CTRL_C_EVENT && event != K32_CTRL_BREAK_EVENT) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    int sig = event == K32_CTRL_C_EVENT ? SIGINT : SIGQUIT;
    if (group == 0 || group == GetCurrentProcessId()) {
        k32_proc_signal_children(sig, 0);
        /* An ignored Ctrl-C is dropped here, when it is generated, not when its CtrlRoutine
         * thread gets to run: a program that stops ignoring it right after (pe.console_ctrl)
         * must not have the earlier event reach the handlers, or the default ExitProcess. */
        pthread_mutex_lock(&k32_ctrl_lock);
        bool dropped = event == K32_CTRL_C_EVENT && k32_ctrl_c_ignored;
        pthread_mutex_unlock(&k32_ctrl_lock);
        if (dropped)
            return TRUE;
        uint8_t e = (uint8_t)event;
        if (k32_ctrl_pipe_make() && write(k32_ctrl_pipe[1], &e, 1) != 1) {
            thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
            return FALSE;
        }
        k32_ctrl_start_dispatcher();
        return TRUE;
    }
    if (!k32_proc_signal_children(sig, group)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, GenerateConsoleCtrlEvent, 2);
