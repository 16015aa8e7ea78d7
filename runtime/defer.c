/* SPDX-License-Identifier: MIT */
/* Helper threads started on demand from signal handlers.
 *
 * Three native helpers have work only in some runs and then need a thread of their own: the
 * KUSER_SHARED_DATA clock updater (once the program reads the page itself), the console
 * control dispatcher (at the first Ctrl-C, Ctrl-Break or SIGTERM) and the listener at the
 * process's rendezvous (when another process first asks for this one: ntemu/
 * process_rendezvous.c, rt_defer_ask below). All learn that they are needed inside a signal
 * handler (the program's first read of the page faults; the console
 * event is a signal), where pthread_create is not async-signal-safe: it allocates the new
 * thread's DTV with calloc (malloc's arena lock), takes the dynamic loader's TLS lock and the
 * stack-cache lock. A handler that interrupted glibc while it held one of those would wait for
 * itself forever. So the runtime used to start the updater thread at every run and let it
 * watch for console events (~5% of a hello.exe start).
 *
 * rt_signal_may_start_thread() tells when the interrupted code cannot hold those locks:
 *  - foreign code (the thread's selector was BLOCK): it reaches glibc only through built-ins;
 *  - the runtime's own code (the bypass range, ntrun's text): glibc's locks are taken and
 *    released inside glibc (its callbacks into ntrun, qsort's or pthread_once's, hold none of
 *    the three);
 *  - glibc stopped at a system call that waits for an event (read, poll, nanosleep, a futex
 *    wait on a condition variable or an NT object, ...): with SA_RESTART the kernel gives the
 *    handler such an interrupted call rewound to its `syscall` instruction with its number in
 *    rax (restart_syscall's for sleeps), or, for ppoll/select/epoll, returning -EINTR just
 *    after it. glibc holds none of the three locks across those calls. A plain FUTEX_WAIT can
 *    be glibc waiting for one of its locks while it holds another, so that one does not count.
 * Otherwise (glibc busy: printf, malloc) the handler records the work with rt_defer_request;
 * rt_defer_run starts it at the next wait point of a runtime thread (rt_thread_check_pending)
 * or from a later handler that finds a safe point: rt_defer_retry arms a one-shot timer that
 * sends the runtime's thread signal, tagged, 1 ms later, again and again until the work ran. */
#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include "runtime/defer.h"
#include "runtime/runtime_private.h"

#define RT_DEFER_SLOTS 4
static void (*_Atomic rt_defer_fns[RT_DEFER_SLOTS])(void);
static atomic_uint rt_defer_bits;

void rt_defer_set(unsigned slot, void (*fn)(void))
{
    if (slot < RT_DEFER_SLOTS)
        atomic_store(&rt_defer_fns[slot], fn);
}

/* Async-signal-safe: one atomic or. */
void rt_defer_request(unsigned slot)
{
    if (slot < RT_DEFER_SLOTS)
        atomic_fetch_or(&rt_defer_bits, 1u << slot);
}

bool rt_defer_pending(void) { return atomic_load_explicit(&rt_defer_bits, memory_order_relaxed); }

/* Ordinary context, or a handler for which rt_signal_may_start_thread said yes. Each function
 * runs once per request; the functions themselves start their thread at most once. */
void rt_defer_run(void)
{
    unsigned bits = atomic_exchange(&rt_defer_bits, 0);
    for (unsigned i = 0; bits; i++, bits >>= 1) {
        void (*fn)(void) = atomic_load(&rt_defer_fns[i]);
        if ((bits & 1) && fn)
            fn();
    }
}

/* Reads only the interrupted registers and the two code bytes around the interrupted rip
 * (native code: always mapped): async-signal-safe. */
bool rt_signal_may_start_thread(const void *uctx, uint8_t saved_selector)
{
    if (saved_selector == RT_SEL_BLOCK)
        return true;
    const greg_t *g = ((const ucontext_t *)uctx)->uc_mcontext.gregs;
    uintptr_t ip = (uintptr_t)g[REG_RIP];
    if (ip >= rt_proc.bypass_start && ip < rt_proc.bypass_end)
        return true;
    /* The two bytes read stay on the page of ip (the one before or after may be unmapped). */
    const uint8_t *p = (const uint8_t *)ip;
    unsigned off = (unsigned)(ip & 0xfff);
    if (off >= 2 && p[-2] == 0x0f && p[-1] == 0x05 && g[REG_RAX] == -EINTR)
        return true; /* an event wait that returns EINTR to glibc (ppoll, select, epoll_wait) */
    if (off > 0xffe || p[0] != 0x0f || p[1] != 0x05)
        return false;
    switch (g[REG_RAX]) {
    case SYS_read: case SYS_readv: case SYS_pread64: case SYS_preadv:
    case SYS_write: case SYS_writev: case SYS_pwrite64:
    case SYS_recvfrom: case SYS_recvmsg: case SYS_sendto: case SYS_sendmsg:
    case SYS_accept: case SYS_accept4: case SYS_connect:
    case SYS_poll: case SYS_ppoll: case SYS_select: case SYS_pselect6:
    case SYS_epoll_wait: case SYS_epoll_pwait:
    case SYS_nanosleep: case SYS_clock_nanosleep: case SYS_restart_syscall:
    case SYS_wait4: case SYS_waitid: case SYS_pause: case SYS_rt_sigsuspend:
    case SYS_rt_sigtimedwait:
        return true;
    case SYS_futex: /* a condition variable, a semaphore, an NT wait; not a lock */
        return (g[REG_RSI] & FUTEX_CMD_MASK) == FUTEX_WAIT_BITSET;
    default:
        return false;
    }
}

/* ---- the retry timer: a process-directed one-shot POSIX timer, made on first use with raw
 * system calls (async-signal-safe), whose signal is the runtime's thread signal tagged with
 * rt_defer_tag's address; thread.c's handler passes tagged ones to rt_defer_retry_tick ---- */
static char rt_defer_tag;
static atomic_int rt_defer_timer_state; /* 0 none, 1 being made, 2 made */
static int rt_defer_timer_id;

struct rt_defer_ksigevent {
    uint64_t value;
    int32_t signo, notify;
    int32_t pad[12];
};
_Static_assert(sizeof(struct rt_defer_ksigevent) == 64, "kernel sigevent");

void rt_defer_retry(long ns)
{
    if (!rt_thread_signal_ready())
        return; /* no handler for it: the work waits for a wait point */
    int st = atomic_load(&rt_defer_timer_state);
    if (st == 0) {
        if (!atomic_compare_exchange_strong(&rt_defer_timer_state, &st, 1))
            return; /* another thread makes it and arms it */
        struct rt_defer_ksigevent sev = {.value = (uint64_t)(uintptr_t)&rt_defer_tag,
                                         .signo = rt_thread_signal(), .notify = SIGEV_SIGNAL};
        int id = -1;
        if (rt_raw_syscall6(SYS_timer_create, CLOCK_MONOTONIC, (long)&sev, (long)&id, 0, 0,
                            0) < 0) {
            atomic_store(&rt_defer_timer_state, 0);
            return;
        }
        rt_defer_timer_id = id;
        atomic_store(&rt_defer_timer_state, 2);
    } else if (st != 2) {
        return;
    }
    struct itimerspec its = {.it_value = {0, ns}};
    rt_raw_syscall6(SYS_timer_settime, rt_defer_timer_id, 0, (long)&its, 0, 0, 0);
}

void rt_defer_retry_cancel(void)
{
    if (atomic_load(&rt_defer_timer_state) != 2)
        return;
    struct itimerspec its = {{0, 0}, {0, 0}};
    rt_raw_syscall6(SYS_timer_settime, rt_defer_timer_id, 0, (long)&its, 0, 0, 0);
}

bool rt_defer_is_retry(const siginfo_t *si)
{
    return si && si->si_code == SI_TIMER && si->si_value.sival_ptr == (void *)&rt_defer_tag;
}

/* The tagged signal's handling, whatever thread it lands on (selector already ALLOW): run the
 * work where that is safe now, else look again 1 ms later. The thread signal has no SA_RESTART:
 * a wait it interrupts returns EINTR, which the runtime's wait points take as a wait point. */
void rt_defer_retry_tick(const void *uctx, uint8_t saved_selector)
{
    if (!rt_defer_pending())
        return;
    if (rt_signal_may_start_thread(uctx, saved_selector))
        rt_defer_run();
    else
        rt_defer_retry(RT_DEFER_RETRY_NS);
}

/* ---- work asked for by another process ---- */
bool rt_defer_take_remote(const siginfo_t *si)
{
    if (!si || si->si_code != SI_QUEUE ||
        si->si_value.sival_int != RT_DEFER_REMOTE_TAG + RT_DEFER_LISTEN)
        return false;
    rt_defer_request(RT_DEFER_LISTEN);
    return true;
}

/* Whether process pid catches signal sig (its SigCgt mask in /proc/PID/status). */
static bool rt_process_catches(int pid, int sig)
{
    char path[64], buf[2048];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return false;
    bool caught = false;
    while (fgets(buf, sizeof buf, f)) {
        unsigned long long mask;
        if (sscanf(buf, "SigCgt: %llx", &mask) == 1) {
            caught = sig >= 1 && sig <= 64 && (mask >> (sig - 1)) & 1;
            break;
        }
    }
    fclose(f);
    return caught;
}

int rt_defer_ask(int pidfd, int pid, unsigned slot)
{
    if (slot != RT_DEFER_LISTEN)
        return -EINVAL;
    if (!rt_process_catches(pid, rt_thread_signal()))
        return -EPERM;
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = rt_thread_signal();
    si.si_code = SI_QUEUE;
    si.si_pid = getpid();
    si.si_uid = getuid();
    si.si_value.sival_int = (int)(RT_DEFER_REMOTE_TAG + slot);
#ifdef SYS_pidfd_send_signal
    /* to the pidfd: if the process has ended meanwhile (and its id is reused) nobody gets it */
    if (syscall(SYS_pidfd_send_signal, pidfd, si.si_signo, &si, 0) == 0)
        return 0;
    return -errno;
#else
    (void)pidfd;
    return -ENOSYS;
#endif
}
