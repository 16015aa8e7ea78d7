/* SPDX-License-Identifier: MIT */
/* Per-thread state: the TEB (+ ntrun's private area), the gs base, the foreign stack. */
#include <asm/prctl.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/single_threaded.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "runtime/defer.h"
#include "runtime/runtime_private.h"
#include "runtime/exception.h"
#include "runtime/xstate.h"

__thread TEB *rt_tls_teb __attribute__((tls_model("initial-exec")));

TEB *rt_current_teb(void) { return rt_tls_teb; }

/* The calling thread's id, kept per thread after the first ask: start-up and the exit path
 * asked the kernel six times for the same number. A copy is good only in the process that
 * made it: fork() bumps the generation (the atfork child handler rt_tid_fork_init registers,
 * before which nothing is kept), so the forked thread of a libntrun host asks again. A thread's
 * copy starts zero (generation 0 is never current). Async-signal-safe: an initial-exec TLS
 * read, an atomic load, a raw system call. */
static uint32_t rt_tid_gen; /* 0 until the handler is registered; then 1, 2, ... per fork */
static __thread struct {
    uint32_t gen;
    int32_t tid;
} rt_tid_copy __attribute__((tls_model("initial-exec")));

static void rt_tid_forked(void) { __atomic_add_fetch(&rt_tid_gen, 1, __ATOMIC_RELAXED); }

void rt_tid_fork_init(void)
{
    if (__atomic_load_n(&rt_tid_gen, __ATOMIC_RELAXED) == 0 &&
        pthread_atfork(NULL, NULL, rt_tid_forked) == 0)
        __atomic_store_n(&rt_tid_gen, 1, __ATOMIC_RELAXED);
}

uint32_t rt_fork_generation(void) { return __atomic_load_n(&rt_tid_gen, __ATOMIC_RELAXED); }

/* tid is the calling thread's id, known without asking (rt_teb_setup's main thread): kept. */
static int32_t rt_gettid_known(int32_t tid)
{
    uint32_t gen = __atomic_load_n(&rt_tid_gen, __ATOMIC_RELAXED);
    if (gen) {
        rt_tid_copy.tid = tid;
        rt_tid_copy.gen = gen;
    }
    return tid;
}

int32_t rt_gettid(void)
{
    uint32_t gen = __atomic_load_n(&rt_tid_gen, __ATOMIC_RELAXED);
    if (gen && rt_tid_copy.gen == gen)
        return rt_tid_copy.tid;
    int32_t tid = (int32_t)rt_raw_syscall6(SYS_gettid, 0, 0, 0, 0, 0, 0);
    if (gen) {
        rt_tid_copy.tid = tid;
        rt_tid_copy.gen = gen;
    }
    return tid;
}

rt_thread *rt_current_thread(void)
{
    TEB *teb = rt_tls_teb;
    return teb ? rt_thread_of(teb) : NULL;
}

/* No FSGSBASE on these machines (wrgsbase faults): the kernel sets the gs base. */
static int rt_set_gs_base(void *base)
{
    long r = rt_raw_syscall6(SYS_arch_prctl, ARCH_SET_GS, (long)base, 0, 0, 0, 0);
    return r < 0 ? (int)r : 0;
}

static const void *rt_thk_entries[RT_THK_NENTRIES];

void rt_set_thread_entries(const void *const entries[RT_THK_NENTRIES])
{
    memcpy(rt_thk_entries, entries, sizeof rt_thk_entries);
    rt_thread *t = rt_current_thread();
    if (t)
        memcpy(t->thk_entry, rt_thk_entries, sizeof rt_thk_entries);
}

/* The calling thread's TEB at `teb` (RT_TEB_ALLOC_SIZE bytes, mapped read-write and recorded by
 * the caller): filled, the gs base pointed at it. 0 or -errno (nothing to undo but the mapping). */
static int rt_teb_setup(TEB *teb)
{
    rt_thread *t = rt_thread_of(teb);
    teb->NtTib.Self = teb;
    teb->NtTib.ExceptionList = (void *)~(uintptr_t)0;
    teb->ProcessEnvironmentBlock = rt_proc.peb;
    /* A process that never made a thread (glibc's __libc_single_threaded, cleared by the first
     * pthread_create and never set again) is running on its first thread, whose id is the
     * process's: the ntrun command's main thread asks the kernel once, not twice. */
    int32_t pid = getpid();
    t->tid = __libc_single_threaded ? rt_gettid_known(pid) : rt_gettid();
    teb->ClientId.UniqueProcess = (HANDLE)(uintptr_t)pid;
    teb->ClientId.UniqueThread = (HANDLE)(uintptr_t)t->tid;
    t->teb = teb;
    t->selector = RT_SEL_ALLOW;
    memcpy(t->thk_entry, rt_thk_entries, sizeof rt_thk_entries);
    int r = rt_set_gs_base(teb);
    if (r < 0)
        return r;
    rt_tls_teb = teb;
    return 0;
}

/* Arms SUD for the thread whose TEB rt_teb_setup just made; undoes the gs base if it fails. */
static int rt_teb_arm(void)
{
    /* The first arm of the ntrun command is SUD's probe: refused, the seccomp filter instead. */
    if (rt_proc.trap == RT_TRAP_SUD && !rt_sud_arm_current() && rt_sud_presumption_failed() < 0) {
        rt_tls_teb = NULL;
        rt_set_gs_base(NULL);
        return -EPERM;
    }
    return 0;
}

int rt_thread_init_current(void)
{
    if (rt_tls_teb)
        return 0;
    /* both pages are written at once (the TEB, the private area): present, not a fault each */
    TEB *teb = mmap(NULL, RT_TEB_ALLOC_SIZE, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (teb == MAP_FAILED)
        return -errno;
    rt_progmem_add(teb, RT_TEB_ALLOC_SIZE, RT_MEM_TEB);
    int r = rt_teb_setup(teb);
    if (r == 0)
        r = rt_teb_arm();
    if (r < 0) {
        rt_progmem_remove(teb);
        munmap(teb, RT_TEB_ALLOC_SIZE);
        return r;
    }
    rt_exc_thread_init(); /* failure only costs stack-overflow reports */
    return 0;
}

static uint64_t rt_crossings_ended; /* of threads that ended (atomic) */
static void rt_threads_forget(rt_thread *t);

uint64_t rt_crossings_take(void)
{
    uint64_t n = __atomic_exchange_n(&rt_crossings_ended, 0, __ATOMIC_RELAXED);
    TEB *teb = rt_tls_teb;
    if (teb) {
        n += rt_thread_of(teb)->crossings;
        rt_thread_of(teb)->crossings = 0;
    }
    return n;
}

/* The thread's foreign stack mapping goes. */
static void rt_stack_unmap(rt_thread *t)
{
    rt_progmem_remove(t->stack_alloc);
    rt_asan_unpoison(t->stack_alloc, t->stack_alloc_size); /* for what is mapped there next */
    munmap(t->stack_alloc, t->stack_alloc_size);
    t->stack_alloc = NULL;
}

uintptr_t rt_stack_key(uintptr_t addr)
{
    uintptr_t lo, hi;
    if (rt_dispatch_stack(&lo, &hi) && addr >= lo && addr < hi)
        return addr - lo;
    return addr;
}

void rt_thread_fini_current(void)
{
    TEB *teb = rt_tls_teb;
    if (!teb)
        return;
    rt_thread *t = rt_thread_of(teb);
    __atomic_fetch_add(&rt_crossings_ended, t->crossings, __ATOMIC_RELAXED);
    rt_sud_disarm_current();
    rt_exc_thread_fini();
    rt_threads_forget(t);
    if (t->stack_alloc)
        rt_stack_unmap(t);
    rt_tls_teb = NULL;
    rt_set_gs_base(NULL);
    rt_progmem_remove(teb);
    munmap(teb, RT_TEB_ALLOC_SIZE);
}

bool rt_stack_layout(uintptr_t addr, rt_stack_regions *out)
{
    uintptr_t base;
    size_t size;
    if (rt_progmem_find(addr, &base, &size) != RT_MEM_STACK)
        return false;
    out->base = base;
    out->guard = base + RT_STACK_NOACCESS;
    out->committed = out->guard + RT_STACK_GUARD;
    out->end = base + size;
    return true;
}

void rt_stack_frames_over(uintptr_t sp)
{
    /* The dispatches on the dispatch stack this resume ends are over; with none left, the
     * TEB's limits are the program's again. */
    rt_exc_frames_over(sp, (uintptr_t)__builtin_frame_address(0));
#ifdef RT_ASAN
    uintptr_t dlo, dhi;
    bool on_dispatch = rt_dispatch_stack(&dlo, &dhi) && sp >= dlo && sp <= dhi;
    rt_stack_regions sr;
    if (on_dispatch)
        rt_asan_unpoison((void *)dlo, sp - dlo);
    else if (rt_stack_layout(sp, &sr) && sp > sr.guard)
        rt_asan_unpoison((void *)sr.guard, sp - sr.guard);
#endif
}

void rt_asan_forget(const void *addr, size_t size)
{
    rt_asan_unpoison(addr, size);
}

/* The top of a new stack made present at once: RT_STACK_HEADROOM and then the first frames, the
 * same 12 KB of them for any program (written by every thread: the start-up code, its first
 * calls). The headroom was a whole page, written by nobody (read, if ever, by a variadic thunk
 * called from the topmost frame): the 16 KB populated held a page of zeros in every start
 * (pagemap at exit; docs/performance.md, twenty-third pass, third round). */
#define RT_STACK_POPULATE 0x3000

/* A foreign stack's size from the program's reserve: at least 1 MiB, in 64 KiB steps, and its
 * no-access page below. */
static size_t rt_stack_total(size_t reserve)
{
    if (reserve < 0x100000)
        reserve = 0x100000;
    reserve = (reserve + 0xffff) & ~(size_t)0xffff;
    return reserve + RT_STACK_NOACCESS;
}

/* The stack [base, base + total), mapped read-write by the caller, becomes the thread's: its
 * no-access page, the records; its top populated by the caller. Returns the initial top. */
static void *rt_stack_setup(TEB *teb, char *base, size_t total)
{
    rt_thread *t = rt_thread_of(teb);
    const size_t guard = RT_STACK_NOACCESS, headroom = RT_STACK_HEADROOM;
    mprotect(base, guard, PROT_NONE);
    /* Native code (built-ins, dispatchers) runs on this stack too. Under ASan, the shadow of an
     * address range reused from an earlier mapping may still hold another stack's poison. */
    rt_asan_unpoison(base + guard, total - guard);
    if (t->stack_alloc)
        rt_stack_unmap(t);
    t->stack_guard_gone = 0;
    t->limit_lowered = 0;
    t->zones = 0;
    rt_progmem_add(base, total, RT_MEM_STACK);
    t->stack_alloc = base;
    t->stack_alloc_size = total;
    teb->NtTib.StackBase = base + total;
    /* Windows' layout of a stack committed whole: the guard page(s) below StackLimit. */
    teb->NtTib.StackLimit = base + guard + RT_STACK_GUARD;
    /* Headroom at the top: variadic thunks copy a fixed number of slots above the caller. */
    return base + total - headroom;
}

void *rt_thread_alloc_stack(size_t reserve)
{
    TEB *teb = rt_tls_teb;
    if (!teb)
        return NULL;
    size_t total = rt_stack_total(reserve);
    char *base = mmap(NULL, total, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED)
        return NULL;
    /* Its top pages are written by any thread at once (the start-up code and the first calls):
     * present in one call instead of a fault each (best effort, Linux >= 5.14). */
    madvise(base + total - RT_STACK_POPULATE, RT_STACK_POPULATE, MADV_POPULATE_WRITE);
    return rt_stack_setup(teb, base, total);
}

/* One mapping for all three (docs/performance.md, twenty-fourth pass), low to high:
 *   [no access][foreign stack of `reserve`]             (rt_stack_setup's)
 *   [no access][dispatch stack][alternate signal stack] (exception.c's region)
 *   [TEB + private area]                                (RT_TEB_ALLOC_SIZE)
 * one mmap, the two no-access pages' mprotects and two populates (the stack's top, the TEB):
 * three mmaps and two populates before (one VMA fewer; ~15-21 us a thread in a microbenchmark,
 * docs/performance.md's second round). The TEB is never right
 * above the foreign stack's top (as it is not on Windows, where it is an allocation of its own):
 * a write above the stack's top (an overrun in the first frames: RT_STACK_HEADROOM only) hits
 * the alternate stack region's no-access page and faults, as it did when the three were mapped
 * apart; a stack overflow hits the stack's own no-access page at the mapping's start; the
 * alternate signal stack grows down, away from the TEB, into the dispatch stack and then its
 * region's no-access page (that region's layout is unchanged).
 * The dispatch stack, alternate stack and TEB make one read-write VMA (four VMAs in all).
 * Each part is unmapped on its own as before (rt_thread_fini_current, rt_stack_unmap,
 * rt_exc_thread_fini): munmap takes part of a mapping. */
int rt_thread_init_current_stack(size_t reserve, void **stack_top)
{
    *stack_top = NULL;
    if (rt_tls_teb) {
        *stack_top = rt_thread_alloc_stack(reserve);
        return *stack_top ? 0 : -ENOMEM;
    }
    size_t exc = rt_exc_region_size(), stack = rt_stack_total(reserve);
    size_t size = stack + exc + RT_TEB_ALLOC_SIZE;
    char *block = mmap(NULL, size, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (block == MAP_FAILED)
        return -errno;
    char *stack_base = block, *exc_region = block + stack;
    TEB *teb = (TEB *)(exc_region + exc);
    /* the TEB's two pages and the stack's top: written at once by any thread (two ranges:
     * the alternate stack's region lies between them, its no-access page included) */
    madvise(teb, RT_TEB_ALLOC_SIZE, MADV_POPULATE_WRITE);
    madvise(exc_region - RT_STACK_POPULATE, RT_STACK_POPULATE, MADV_POPULATE_WRITE);
    rt_progmem_add(teb, RT_TEB_ALLOC_SIZE, RT_MEM_TEB);
    int r = rt_teb_setup(teb);
    if (r < 0) {
        rt_progmem_remove(teb);
        munmap(block, size);
        return r;
    }
    *stack_top = rt_stack_setup(teb, stack_base, stack);
    if (rt_exc_thread_init_in(exc_region) < 0) /* failure only costs stack-overflow reports */
        munmap(exc_region, exc);
    /* Armed last: every system call of an armed thread takes the kernel's slow entry (~0.25 us
     * more each, measured), and the calls above are native. */
    r = rt_teb_arm();
    if (r < 0) {
        rt_exc_thread_fini();
        rt_thread *t = rt_thread_of(teb);
        rt_progmem_remove(t->stack_alloc);
        rt_progmem_remove(teb);
        t->stack_alloc = NULL;
        munmap(block, size); /* what is left of it: the stack and the TEB */
        *stack_top = NULL;
        return r;
    }
    return 0;
}

/* ==== foreign threads ====
 * Each thread made by rt_thread_create has an rt_thread_ctl (malloc'd, owned by the thread)
 * linked into a registry under rt_threads_lock. The ctl holds the sigsetjmp point that
 * rt_exit_thread and a termination request jump to.
 *
 * Termination of another thread (rt_thread_terminate, ExitProcess on a secondary thread) uses
 * a real-time signal (rt_thread_signal()). Its handler jumps out at once when it interrupted
 * foreign code (selector BLOCK: no runtime lock can be held there); when it interrupted a
 * built-in it only records the request, and the built-in's next wait point (an interrupted
 * futex wait or sleep returns EINTR: the handler is installed without SA_RESTART) calls
 * rt_thread_check_pending(), which jumps from ordinary context. */
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

enum { RT_PHASE_START, RT_PHASE_RUN, RT_PHASE_DETACH, RT_PHASE_DONE };

struct rt_thread_ctl {
    sigjmp_buf jmp;
    rt_thread_params p;
    rt_thread *t;
    void *stack_top;
    volatile int phase;
    volatile uint32_t exit_code;
    atomic_int kill_requested;   /* 1: end with kill_code at the next chance */
    volatile uint32_t kill_code;
    struct rt_thread_ctl *prev, *next;
    int timer;                   /* re-interrupt timer (kernel id), -1 if none */
    /* start handshake with the creator (its stack; not touched after the post) */
    sem_t *started;
    int *start_status;
};

static pthread_mutex_t rt_threads_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rt_thread_ctl *rt_threads_head;
static atomic_int rt_threads_count;  /* futex word: live foreign threads */
static atomic_uint rt_last_exit_code;

#define RT_MAX_THREAD_HOOKS 16
static void (*rt_attach_hooks[RT_MAX_THREAD_HOOKS])(void);
static void (*rt_detach_hooks[RT_MAX_THREAD_HOOKS])(void);
static atomic_int rt_attach_count, rt_detach_count;

static void rt_add_hook(void (**hooks)(void), atomic_int *count, void (*fn)(void))
{
    pthread_mutex_lock(&rt_threads_lock);
    int n = atomic_load(count);
    bool present = false;
    for (int i = 0; i < n; i++)
        present |= hooks[i] == fn;
    if (!present && n < RT_MAX_THREAD_HOOKS) {
        hooks[n] = fn;
        atomic_store(count, n + 1);
    }
    pthread_mutex_unlock(&rt_threads_lock);
}

static void (*_Atomic rt_main_end_hook)(uint32_t code);
void rt_on_main_thread_end(void (*fn)(uint32_t code)) { atomic_store(&rt_main_end_hook, fn); }

void rt_main_thread_ended(uint32_t code)
{
    void (*fn)(uint32_t) = atomic_load(&rt_main_end_hook);
    if (fn)
        fn(code);
}

void rt_on_thread_attach(void (*fn)(void)) { rt_add_hook(rt_attach_hooks, &rt_attach_count, fn); }
void rt_on_thread_detach(void (*fn)(void)) { rt_add_hook(rt_detach_hooks, &rt_detach_count, fn); }

static long rt_futex(atomic_int *word, int op, int val, const struct timespec *ts)
{
    return syscall(SYS_futex, word, op | FUTEX_PRIVATE_FLAG, val, ts, NULL, 0);
}

/* The real-time signal that interrupts a thread to end it (one above glibc's reserved ones). */
int rt_thread_signal(void) { return SIGRTMIN + 3; }

/* Main-thread exit request (process.c sets it through rt_threads_request_main_exit). */
static atomic_int rt_main_exit_requested;
static atomic_int rt_main_tid;

static rt_thread *rt_main_rt;

/* ---- the re-interrupt timer ----
 * A termination request that finds its thread inside a built-in (selector ALLOW) cannot act at
 * once; if that built-in returns to foreign code without ever waiting, nothing would look at the
 * request again. So the handler then arms a one-shot per-thread timer (SIGEV_THREAD_ID, the
 * same signal) that interrupts the thread again 10 ms later, until the request is acted upon.
 * The timer calls are raw system calls: async-signal-safe, no libc state. */
struct rt_ksigevent {
    uint64_t value;
    int32_t signo, notify;
    int32_t tid;
    int32_t pad[11];
};
_Static_assert(sizeof(struct rt_ksigevent) == 64, "kernel sigevent");
#define RT_SIGEV_THREAD_ID 4
#define RT_REINTERRUPT_NS (10 * 1000000L)

static int rt_timer_create_self(void)
{
    struct rt_ksigevent sev = {.signo = rt_thread_signal(), .notify = RT_SIGEV_THREAD_ID,
                               .tid = rt_gettid()};
    int id = -1;
    long r = rt_raw_syscall6(SYS_timer_create, CLOCK_MONOTONIC, (long)&sev, (long)&id, 0, 0, 0);
    return r < 0 ? -1 : id;
}

static void rt_timer_arm(int id, long ns)
{
    if (id < 0)
        return;
    struct itimerspec its = {.it_value = {0, ns}};
    rt_raw_syscall6(SYS_timer_settime, id, 0, (long)&its, 0, 0, 0);
}

static void rt_timer_delete(int id)
{
    if (id >= 0)
        rt_raw_syscall6(SYS_timer_delete, id, 0, 0, 0, 0, 0);
}

static int rt_main_timer = -1;
static int32_t rt_main_timer_tid;
static void rt_thread_signal_install(void);

void rt_threads_set_main(int32_t tid)
{
    atomic_store(&rt_main_exit_requested, 0); /* a new run (libntrun runs several) */
    atomic_store(&rt_main_tid, tid);
    rt_main_rt = rt_current_thread();
    rt_thread_signal_install(); /* before anything can send it to this thread */
    if (rt_main_timer >= 0 && rt_main_timer_tid != tid) {
        rt_timer_delete(rt_main_timer);
        rt_main_timer = -1;
    }
    /* The main thread's timer is made the first time it is armed (rt_own_timer): most runs
     * never interrupt the main thread, and start-up saves a system call. */
}

/* The calling thread's re-interrupt timer, or -1. The main thread's is created here, on that
 * thread, the first time `arm` asks for it (raw system calls: async-signal-safe). */
static int rt_own_timer(rt_thread *t, bool arm)
{
    if (t->ctl)
        return t->ctl->timer;
    if (t != rt_main_rt)
        return -1;
    if (rt_main_timer < 0 && arm) {
        rt_main_timer = rt_timer_create_self();
        rt_main_timer_tid = rt_gettid();
    }
    return rt_main_timer;
}

rt_thread *rt_thread_main(void) { return rt_main_rt; }

bool rt_thread_is_main(void) { return rt_gettid() == atomic_load(&rt_main_tid); }

static __attribute__((noreturn)) void rt_thread_jump_out(struct rt_thread_ctl *ctl, uint32_t code)
{
    ctl->exit_code = code;
    if (ctl->phase == RT_PHASE_RUN || ctl->phase == RT_PHASE_START)
        ctl->phase = RT_PHASE_DETACH + 10; /* terminated: skip the detach hooks */
    siglongjmp(ctl->jmp, 1);
}

bool rt_thread_pending(void)
{
    rt_thread *t = rt_current_thread();
    if (!t)
        return false;
    if (t->ctl)
        return atomic_load(&t->ctl->kill_requested) != 0;
    return atomic_load(&rt_main_exit_requested) && t == rt_main_rt;
}

void rt_thread_check_pending(void)
{
    if (rt_defer_pending())
        rt_defer_run(); /* a helper thread a signal handler could not start (defer.c) */
    if (!rt_thread_pending())
        return;
    rt_thread *t = rt_current_thread();
    rt_timer_arm(rt_own_timer(t, false), 0); /* acted upon: no more re-interrupts */
    if (t->ctl)
        rt_thread_jump_out(t->ctl, t->ctl->kill_code);
    atomic_store(&rt_main_exit_requested, 0);
    rt_process_exit_jump();
}

/* ---- suspension (SuspendThread, ResumeThread, Get/SetThreadContext) ----
 * rt_thread.suspend_count is the count (changed only under rt_threads_lock); t->susp (allocated
 * by the first suspension, freed with the TEB) says where the thread stopped:
 *   RUNNING   not stopped (yet): the count may be > 0 while the signal is on its way or while
 *             the thread is somewhere no stop is possible (it is interrupted again soon);
 *   SIGNAL    stopped in the signal handler, in foreign code: `uc` is its interrupted context;
 *   ARMED     inside a built-in: the return of the innermost foreign -> native crossing now
 *             leads to rt_boundary_stop_*; `snap` holds the context it will have there (Rip,
 *             Rsp, Rbp; the other registers are known only once it arrives) plus whatever
 *             SetThreadContext wrote meanwhile (`set_flags`);
 *   BOUNDARY  stopped at that return: `bctx` is its full foreign context.
 * A stopped thread leaves its state under rt_threads_lock, so a reader holding the lock with the
 * count above zero sees a context that stays valid. */
enum { RT_SUSP_RUNNING, RT_SUSP_SIGNAL, RT_SUSP_ARMED, RT_SUSP_BOUNDARY };
struct rt_suspend {
    int state;        /* atomic */
    ucontext_t *uc;
    CONTEXT *bctx;
    uint32_t set_flags;
    CONTEXT snap;
    uintptr_t slot, slot_orig, stop; /* ARMED: the return address replaced, and by what */
};
#define RT_SUSPEND_RETRY_NS (2 * 1000000L)
#define RT_STOP_POLL_NS 100000L /* how often rt_thread_at_stop looks at a thread still on its way */

/* thunk_asm.S's layout, given by rt_set_builtin_describer (signal.c) */
void rt_f2n_returns(uintptr_t *regs_ret, uintptr_t *stack_ret);
void rt_boundary_stop_regs(void);  /* rt_asm.S */
void rt_boundary_stop_stack(void);

static bool rt_suspended(rt_thread *t)
{
    return __atomic_load_n(&t->suspend_count, __ATOMIC_ACQUIRE) > 0;
}

static void rt_suspend_set_state(rt_thread *t, int state)
{
    __atomic_store_n(&t->susp_armed, state == RT_SUSP_ARMED, __ATOMIC_RELAXED);
    __atomic_store_n(&t->susp->state, state, __ATOMIC_RELEASE);
}

/* Waits while the count is above zero; a termination request ends the thread from here.
 * Async-signal-safe when called from the handler on foreign code (raw futex; the lock is
 * taken only when leaving, and no lock can be held by the interrupted foreign code).
 * The count is looked at again under rt_threads_lock before the thread leaves its stop: a
 * SuspendThread that came between the resumption and the lock found the thread stopped
 * (state SIGNAL or BOUNDARY), so its signal did nothing and only staying stopped serves it.
 * Leaving anyway lost that suspension: the thread ran on with the count above zero and state
 * RUNNING, and GetThreadContext waited for it forever (Go's preemptM holds its suspendLock
 * meanwhile, so every Go thread ended up waiting: tests/stress/go_sched_pattern.c). */
static void rt_suspend_wait(rt_thread *t)
{
    for (;;) {
        int32_t n = __atomic_load_n(&t->suspend_count, __ATOMIC_ACQUIRE);
        if (n <= 0) {
            pthread_mutex_lock(&rt_threads_lock);
            if (__atomic_load_n(&t->suspend_count, __ATOMIC_ACQUIRE) <= 0)
                break; /* still resumed, and the lock is held: no suspension can come now */
            pthread_mutex_unlock(&rt_threads_lock);
            continue; /* suspended again meanwhile: stay stopped */
        }
        struct timespec ts = {0, RT_WAIT_SLICE_NS};
        rt_raw_syscall6(SYS_futex, (long)&t->suspend_count, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, n,
                        (long)&ts, 0, 0);
        if (rt_thread_pending()) {
            pthread_mutex_lock(&rt_threads_lock);
            rt_suspend_set_state(t, RT_SUSP_RUNNING);
            pthread_mutex_unlock(&rt_threads_lock);
            rt_thread_check_pending(); /* does not return */
        }
    }
    rt_suspend_set_state(t, RT_SUSP_RUNNING);
    t->susp->uc = NULL;
    t->susp->bctx = NULL;
    pthread_mutex_unlock(&rt_threads_lock);
}

/* The innermost foreign -> native crossing above native frame `rbp` (the frame-pointer chain,
 * as rt_foreign_caller in signal.c follows it): *slot is where its native callee's return
 * address lies, *stop the rt_boundary_stop_* entry that replaces it, and `c` gets the foreign
 * context that the crossing returns into (Rip, Rsp, Rbp). False when the chain leaves native
 * code or breaks first (libc without frame pointers, a signal frame). Async-signal-safe. */
static bool rt_crossing_find(uintptr_t rbp, CONTEXT *c, uintptr_t *slot, uintptr_t *stop)
{
    uintptr_t regs_ret = 0, stack_ret = 0;
    rt_f2n_returns(&regs_ret, &stack_ret);
    if (!regs_ret)
        return false;
    for (int depth = 0; depth < 64 && rbp; depth++) {
        uintptr_t frame[2], fr[2], rip, rsp, fbp;
        if (rt_safe_copy(frame, (const void *)rbp, sizeof frame) != 0)
            return false;
        if (frame[1] == regs_ret) {
            /* thk_f2n_regs: 0x28 bytes of home space above the return into the thunk, then
             * the foreign return address; the callee saved the foreign %rbp */
            if (rt_safe_copy(&rip, (const void *)(rbp + 0x38), 8) != 0)
                return false;
            rsp = rbp + 0x40, fbp = frame[0], *stop = (uintptr_t)rt_boundary_stop_regs;
        } else if (frame[1] == stack_ret) {
            /* thk_f2n_stack: its own frame holds the foreign %rbp and return address */
            if (rt_safe_copy(fr, (const void *)frame[0], sizeof fr) != 0)
                return false;
            rip = fr[1], rsp = frame[0] + 16, fbp = fr[0];
            *stop = (uintptr_t)rt_boundary_stop_stack;
        } else {
            if (rt_addr_is_foreign(frame[1]) || frame[0] <= rbp)
                return false;
            rbp = frame[0];
            continue;
        }
        *slot = rbp + 8;
        memset(c, 0, sizeof *c);
        c->ContextFlags = CONTEXT_ALL;
        c->Rip = rip, c->Rsp = rsp, c->Rbp = fbp;
        c->EFlags = 0x202;
        c->SegCs = 0x33, c->SegSs = c->SegDs = c->SegEs = c->SegGs = 0x2b, c->SegFs = 0x53;
        c->MxCsr = c->FltSave.MxCsr = 0x1f80;
        c->FltSave.ControlWord = 0x27f;
        return true;
    }
    return false;
}

/* Makes the innermost crossing above `rbp` stop at its return (state ARMED). Async-signal-
 * safe: the thread's own stack, rt_safe_copy. */
static bool rt_suspend_arm(rt_thread *t, uintptr_t rbp)
{
    struct rt_suspend *s = t->susp;
    uintptr_t slot, stop, orig;
    if (!rt_crossing_find(rbp, &s->snap, &slot, &stop) ||
        rt_safe_copy(&orig, (const void *)slot, 8) != 0)
        return false;
    s->set_flags = 0;
    s->slot = slot, s->slot_orig = orig, s->stop = stop;
    rt_suspend_set_state(t, RT_SUSP_ARMED);
    return rt_safe_copy((void *)slot, &stop, 8) == 0;
}

/* Under rt_threads_lock, on the thread itself, ARMED and no longer suspended: its crossing
 * returns normally again (state RUNNING). */
static void rt_suspend_disarm(rt_thread *t)
{
    struct rt_suspend *s = t->susp;
    uintptr_t cur;
    if (rt_safe_copy(&cur, (const void *)s->slot, 8) == 0 && cur == s->stop)
        rt_safe_copy((void *)s->slot, &s->slot_orig, 8);
    rt_suspend_set_state(t, RT_SUSP_RUNNING);
}

/* From the signal handler, the count above zero and the thread not stopped yet. */
static void rt_suspend_on_signal(rt_thread *t, ucontext_t *uc, uint8_t selector)
{
    uintptr_t ip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    if (selector == RT_SEL_BLOCK && rt_addr_is_foreign(ip)) {
        t->susp->uc = uc;
        rt_suspend_set_state(t, RT_SUSP_SIGNAL);
        rt_suspend_wait(t);
        return;
    }
    if (selector == RT_SEL_ALLOW && rt_suspend_arm(t, (uintptr_t)uc->uc_mcontext.gregs[REG_RBP]))
        return;
    /* A crossing in progress, an NT call by trap, thread start-up: look again soon. */
    rt_timer_arm(rt_own_timer(t, true), RT_SUSPEND_RETRY_NS);
}

/* Reached from rt_boundary_stop_* (rt_asm.S) on the thread's own stack, selector ALLOW, with
 * the foreign context its built-in call returns into; rt_asm.S continues with whatever ctx
 * holds afterwards (SetThreadContext may have changed it). */
void rt_suspend_boundary(CONTEXT *ctx)
{
    rt_thread *t = rt_current_thread();
    struct rt_suspend *s = t->susp;
    pthread_mutex_lock(&rt_threads_lock);
    rt_context_merge(ctx, &s->snap, s->set_flags);
    s->set_flags = 0;
    if (rt_suspended(t)) {
        s->bctx = ctx;
        rt_suspend_set_state(t, RT_SUSP_BOUNDARY);
        pthread_mutex_unlock(&rt_threads_lock);
        rt_suspend_wait(t);
        return;
    }
    rt_suspend_set_state(t, RT_SUSP_RUNNING);
    pthread_mutex_unlock(&rt_threads_lock);
}

/* thk_call_foreign (thunk_asm.S), about to run a foreign callback from a built-in (qsort's
 * comparison, an APC, a thread-pool callback), when the thread's suspend count is above zero
 * or it is ARMED. A thread cannot run foreign code while ARMED: GetThreadContext would report
 * the boundary's context and the thread stopped while the callback runs on, and a suspension
 * that came meanwhile would find the thread not RUNNING and do nothing (the callback ran on,
 * suspended, for good). So the thread stops here while suspended, the context still the
 * boundary's, then its crossing returns normally again (RUNNING): in the callback a suspension
 * stops it as in any foreign code. A suspension on its way (count above zero, RUNNING) arms the
 * innermost crossing and stops here the same way. Returns 1 when the caller must look again
 * (after setting BLOCK: a suspension that arrives while the selector is still ALLOW would arm
 * the crossing again), 0 to go ahead: a thread with no crossing to stop at (a thread-pool
 * worker's own loop) is stopped by the signal or its retry timer once in foreign code. */
int rt_suspend_before_foreign(void)
{
    rt_thread *t = rt_current_thread();
    if (!t || !t->susp)
        return 0;
    pthread_mutex_lock(&rt_threads_lock);
    int state = __atomic_load_n(&t->susp->state, __ATOMIC_ACQUIRE);
    if (state == RT_SUSP_RUNNING && rt_suspended(t) &&
        rt_suspend_arm(t, (uintptr_t)__builtin_frame_address(0)))
        state = RT_SUSP_ARMED;
    if (state != RT_SUSP_ARMED) {
        pthread_mutex_unlock(&rt_threads_lock);
        return 0;
    }
    while (rt_suspended(t)) {
        int32_t n = __atomic_load_n(&t->suspend_count, __ATOMIC_ACQUIRE);
        pthread_mutex_unlock(&rt_threads_lock);
        struct timespec ts = {0, RT_WAIT_SLICE_NS};
        syscall(SYS_futex, &t->suspend_count, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, n, &ts, NULL, 0);
        rt_thread_check_pending();
        pthread_mutex_lock(&rt_threads_lock);
    }
    if (t->susp->set_flags) { /* SetThreadContext wrote the boundary's context meanwhile: it
                                 stays ARMED to apply it there (the callback runs ARMED) */
        pthread_mutex_unlock(&rt_threads_lock);
        return 0;
    }
    rt_suspend_disarm(t);
    pthread_mutex_unlock(&rt_threads_lock);
    return 1;
}

/* Under rt_threads_lock: the live thread with Linux tid `tid`, or NULL. */
static rt_thread *rt_thread_by_tid(int32_t tid)
{
    if (rt_main_rt && rt_main_rt->tid == tid)
        return rt_main_rt;
    for (struct rt_thread_ctl *c = rt_threads_head; c; c = c->next)
        if (c->t->tid == tid)
            return c->t;
    return NULL;
}

/* A thread's TEB goes away: no suspension can find it any more. */
static void rt_threads_forget(rt_thread *t)
{
    pthread_mutex_lock(&rt_threads_lock);
    if (rt_main_rt == t)
        rt_main_rt = NULL;
    free(t->susp);
    t->susp = NULL;
    pthread_mutex_unlock(&rt_threads_lock);
}

int rt_thread_suspend(int32_t tid, uint32_t *prev)
{
    rt_thread *self = rt_current_thread();
    struct rt_suspend *fresh = calloc(1, sizeof *fresh);
    pthread_mutex_lock(&rt_threads_lock);
    rt_thread *t = rt_thread_by_tid(tid);
    if (!t || (!t->susp && !fresh)) {
        pthread_mutex_unlock(&rt_threads_lock);
        free(fresh);
        return t ? -ENOMEM : -ESRCH;
    }
    if (!t->susp) {
        t->susp = fresh;
        fresh = NULL;
    }
    int32_t old = __atomic_fetch_add(&t->suspend_count, 1, __ATOMIC_ACQ_REL);
    if (prev)
        *prev = (uint32_t)old;
    if (old == 0 && t != self)
        rt_raw_syscall6(SYS_tgkill, getpid(), tid, rt_thread_signal(), 0, 0, 0);
    bool armed = true;
    if (old == 0 && t == self &&
        __atomic_load_n(&t->susp->state, __ATOMIC_ACQUIRE) == RT_SUSP_RUNNING)
        armed = rt_suspend_arm(t, (uintptr_t)__builtin_frame_address(0));
    pthread_mutex_unlock(&rt_threads_lock);
    free(fresh);
    if (!armed) /* no crossing to stop at (an NT call by trap): wait here, in native code */
        while (rt_suspended(t)) {
            struct timespec ts = {0, RT_WAIT_SLICE_NS};
            int32_t n = __atomic_load_n(&t->suspend_count, __ATOMIC_ACQUIRE);
            syscall(SYS_futex, &t->suspend_count, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, n, &ts, NULL, 0);
            rt_thread_check_pending();
        }
    return 0;
}

int rt_thread_resume(int32_t tid, uint32_t *prev)
{
    pthread_mutex_lock(&rt_threads_lock);
    rt_thread *t = rt_thread_by_tid(tid);
    if (!t) {
        pthread_mutex_unlock(&rt_threads_lock);
        return -ESRCH;
    }
    int32_t old = __atomic_load_n(&t->suspend_count, __ATOMIC_ACQUIRE);
    if (old > 0)
        __atomic_store_n(&t->suspend_count, old - 1, __ATOMIC_RELEASE);
    if (prev)
        *prev = old > 0 ? (uint32_t)old : 0;
    if (old == 1)
        syscall(SYS_futex, &t->suspend_count, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT32_MAX, NULL,
                NULL, 0);
    pthread_mutex_unlock(&rt_threads_lock);
    return 0;
}

/* Waits until thread `tid` is at a stop point (or, for a context read, ARMED: its boundary
 * context is known) and calls fn under rt_threads_lock. */
static int rt_thread_at_stop(int32_t tid, bool set, void (*fn)(struct rt_suspend *s, void *arg),
                             void *arg)
{
    unsigned polls = 0;
    for (;;) {
        pthread_mutex_lock(&rt_threads_lock);
        rt_thread *t = rt_thread_by_tid(tid);
        if (!t) {
            pthread_mutex_unlock(&rt_threads_lock);
            return -ESRCH;
        }
        if (!rt_suspended(t) || !t->susp) {
            pthread_mutex_unlock(&rt_threads_lock);
            return -EINVAL;
        }
        int state = __atomic_load_n(&t->susp->state, __ATOMIC_ACQUIRE);
        if (state != RT_SUSP_RUNNING || (t == rt_current_thread() && !set)) {
            fn(t->susp, arg);
            pthread_mutex_unlock(&rt_threads_lock);
            return 0;
        }
        /* Not stopped yet: interrupt it again every RT_SUSPEND_RETRY_NS. Its own retry timer
         * covers the places where it cannot stop, but an interruption that came while it was
         * leaving a stop point or a boundary could be lost, and then nothing interrupted it
         * again: it ran on with the count above zero and this wait never ended (Go's
         * preemptM, tests/stress/go_sched_pattern.c). An extra interruption is harmless: the
         * handler stops, arms the boundary or re-arms its timer. */
        if (++polls % (RT_SUSPEND_RETRY_NS / RT_STOP_POLL_NS) == 0)
            rt_raw_syscall6(SYS_tgkill, getpid(), tid, rt_thread_signal(), 0, 0, 0);
        pthread_mutex_unlock(&rt_threads_lock);
        rt_thread_check_pending(); /* the caller may be asked to end while it waits */
        struct timespec ts = {0, RT_STOP_POLL_NS}; /* the target stops within microseconds, or
                                                      after a retry interval */
        nanosleep(&ts, NULL);
    }
}

struct rt_get_op {
    CONTEXT *out;
    M128A *ymmh;   /* NULL: not asked for */
    bool have_ymmh;
};

static void rt_get_at_stop(struct rt_suspend *s, void *arg)
{
    struct rt_get_op *op = arg;
    CONTEXT *out = op->out;
    switch (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE)) {
    case RT_SUSP_SIGNAL:
        rt_context_from_ucontext(out, s->uc);
        if (op->ymmh)
            op->have_ymmh = rt_ymmh_from_ucontext(s->uc, op->ymmh);
        break;
    case RT_SUSP_BOUNDARY:
        memcpy(out, s->bctx, sizeof *out);
        break;
    default:
        memcpy(out, &s->snap, sizeof *out);
        break;
    }
}

struct rt_set_op {
    const CONTEXT *in;
    uint32_t flags;
    const M128A *ymmh; /* NULL: the upper halves stay */
};

static void rt_set_at_stop(struct rt_suspend *s, void *arg)
{
    struct rt_set_op *op = arg;
    switch (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE)) {
    case RT_SUSP_SIGNAL:
        rt_context_to_ucontext(s->uc, op->in, op->flags);
        if (op->ymmh)
            rt_ymmh_to_ucontext(s->uc, op->ymmh);
        break;
    case RT_SUSP_BOUNDARY:
        rt_context_merge(s->bctx, op->in, op->flags);
        break;
    default: /* ARMED: applied when the thread reaches the boundary */
        rt_context_merge(&s->snap, op->in, op->flags);
        s->set_flags |= op->flags & ~CONTEXT_AMD64;
        break;
    }
}

int rt_thread_get_context_ymmh(int32_t tid, CONTEXT *out, void *ymmh, bool *have_ymmh)
{
    rt_thread *self = rt_current_thread();
    if (have_ymmh)
        *have_ymmh = false;
    if (self && self->tid == tid && rt_trap_context(self)) { /* a `syscall`: where it returns */
        rt_context_from_ucontext(out, rt_trap_context(self));
        if (ymmh)
            *have_ymmh = rt_ymmh_from_ucontext(rt_trap_context(self), ymmh);
        return 0;
    }
    if (self && self->tid == tid) { /* our own return to foreign code */
        uintptr_t slot, stop;
        if (!rt_crossing_find((uintptr_t)__builtin_frame_address(0), out, &slot, &stop))
            memset(out, 0, sizeof *out);
        return 0;
    }
    /* A thread stopped at a boundary is inside a call, whose upper halves are volatile. */
    struct rt_get_op op = {out, ymmh, false};
    int r = rt_thread_at_stop(tid, false, rt_get_at_stop, &op);
    if (have_ymmh)
        *have_ymmh = op.have_ymmh;
    return r;
}

int rt_thread_get_context(int32_t tid, CONTEXT *out)
{
    return rt_thread_get_context_ymmh(tid, out, NULL, NULL);
}

int rt_thread_set_context_ymmh(int32_t tid, const CONTEXT *in, uint32_t flags,
                               const void *ymmh)
{
    struct rt_set_op op = {in, flags, ymmh};
    return rt_thread_at_stop(tid, true, rt_set_at_stop, &op);
}

int rt_thread_set_context(int32_t tid, const CONTEXT *in, uint32_t flags)
{
    return rt_thread_set_context_ymmh(tid, in, flags, NULL);
}

static void rt_single_probe_answer(ucontext_t *uc);

/* Async-signal-safety: touches only the interrupted thread's own TEB and ctl (atomics and a
 * siglongjmp); it jumps only when the interrupted code is foreign (selector BLOCK), which holds
 * no runtime or libc lock. */
static void rt_thread_signal_handler(int sig, siginfo_t *si, void *uctx)
{
    TEB *teb = rt_tls_teb;
    if (teb)
        rt_single_probe_answer(uctx); /* before anything else: the probe's waiter spins */
    /* no request to this thread: deferred work, or work another process asks for (defer.c) */
    if (rt_defer_is_retry(si) || rt_defer_take_remote(si)) {
        rt_thread *dt = teb ? rt_thread_of(teb) : NULL;
        uint8_t dsaved = dt ? dt->selector : RT_SEL_ALLOW;
        if (dt)
            dt->selector = RT_SEL_ALLOW;
        int saved_errno = errno;
        rt_defer_retry_tick(uctx, dsaved);
        errno = saved_errno;
        if (dt)
            dt->selector = dsaved;
        return;
    }
    if (!teb)
        return;
    rt_thread *t = rt_thread_of(teb);
    uint8_t saved = t->selector;
    t->selector = RT_SEL_ALLOW;
    if (saved == RT_SEL_BLOCK)
        rt_thread_check_pending(); /* does not return when a request is pending */
    else if (rt_thread_pending())
        rt_timer_arm(rt_own_timer(t, true), RT_REINTERRUPT_NS); /* look again soon */
    if (rt_suspended(t) && t->susp &&
        __atomic_load_n(&t->susp->state, __ATOMIC_ACQUIRE) == RT_SUSP_RUNNING)
        rt_suspend_on_signal(t, uctx, saved);
    t->selector = saved;
}

static atomic_bool rt_thread_signal_installed;
bool rt_thread_signal_ready(void) { return atomic_load(&rt_thread_signal_installed); }

static void rt_thread_signal_install_once(void)
{
    rt_install_signal_handler(rt_thread_signal(), rt_thread_signal_handler, 0); /* no SA_RESTART */
    atomic_store(&rt_thread_signal_installed, true);
}

static void rt_thread_signal_install(void)
{
    static rt_once_t once = RT_ONCE_INIT;
    rt_once(&once, rt_thread_signal_install_once);
}

static uint64_t rt_thread_run_foreign(void *arg)
{
    struct rt_thread_ctl *ctl = arg;
    if (ctl->p.prologue)
        ctl->p.prologue(ctl->p.arg);
    int n = atomic_load(&rt_attach_count);
    for (int i = 0; i < n; i++)
        rt_attach_hooks[i]();
    return ctl->p.body(ctl->p.arg);
}

static uint64_t rt_thread_run_detach(void *arg)
{
    (void)arg;
    for (int i = atomic_load(&rt_detach_count) - 1; i >= 0; i--)
        rt_detach_hooks[i]();
    return 0;
}

static void *rt_thread_start_routine(void *arg)
{
    struct rt_thread_ctl *ctl = arg;
    int r = rt_thread_init_current_stack(ctl->p.stack_reserve, &ctl->stack_top);
    if (r < 0) {
        *ctl->start_status = r;
        sem_post(ctl->started);
        free(ctl);
        return NULL;
    }
    rt_thread *volatile t = rt_thread_of(rt_tls_teb); /* volatile: used after siglongjmp */
    ctl->t = t;
    ctl->timer = rt_timer_create_self();
    t->ctl = ctl;
    pthread_mutex_lock(&rt_threads_lock);
    ctl->next = rt_threads_head;
    if (rt_threads_head)
        rt_threads_head->prev = ctl;
    rt_threads_head = ctl;
    pthread_mutex_unlock(&rt_threads_lock);
    if (ctl->p.on_start)
        ctl->p.on_start(ctl->p.arg, t);
    *ctl->start_status = 0;
    sem_post(ctl->started); /* the creator's semaphore: not touched again */

    if (sigsetjmp(ctl->jmp, 1) == 0) {
        ctl->phase = RT_PHASE_RUN;
        ctl->exit_code = (uint32_t)rt_call_on_stack(ctl->stack_top, rt_thread_run_foreign, ctl);
    }
    t->selector = RT_SEL_ALLOW;
    if (ctl->phase == RT_PHASE_RUN) {
        ctl->phase = RT_PHASE_DETACH;
        if (sigsetjmp(ctl->jmp, 1) == 0)
            rt_call_on_stack(ctl->stack_top, rt_thread_run_detach, ctl);
        t->selector = RT_SEL_ALLOW;
    }
    ctl->phase = RT_PHASE_DONE;
    uint32_t code = ctl->exit_code;

    pthread_mutex_lock(&rt_threads_lock);
    if (ctl->prev)
        ctl->prev->next = ctl->next;
    else
        rt_threads_head = ctl->next;
    if (ctl->next)
        ctl->next->prev = ctl->prev;
    pthread_mutex_unlock(&rt_threads_lock);
    if (ctl->p.on_exit)
        ctl->p.on_exit(ctl->p.arg, code);
    atomic_store(&rt_last_exit_code, code);
    t->ctl = NULL; /* from here the handler sees no request: the timer cannot re-arm */
    rt_timer_delete(ctl->timer);
    rt_thread_fini_current();
    free(ctl);
    atomic_fetch_sub(&rt_threads_count, 1);
    rt_futex(&rt_threads_count, FUTEX_WAKE, INT32_MAX, NULL);
    return NULL;
}

rt_single_state rt_single;

/* Every thread of the process executes a full memory barrier before this returns. */
static void rt_process_barrier(void)
{
    enum { MB_GLOBAL = 1, MB_PRIVATE_EXPEDITED = 8, MB_REGISTER_PRIVATE_EXPEDITED = 16 };
    if (syscall(SYS_membarrier, MB_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0 &&
        syscall(SYS_membarrier, MB_PRIVATE_EXPEDITED, 0, 0) == 0)
        return;
    if (syscall(SYS_membarrier, MB_GLOBAL, 0, 0) == 0)
        return;
    /* No membarrier (Linux < 4.3, or filtered): taking write access away from a page that was
     * written makes the kernel flush its TLB on every CPU running a thread of this process,
     * an interrupt each, which orders their memory accesses (what .NET's
     * FlushProcessWriteBuffers does). */
    static char *page;
    if (!page) {
        void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED)
            return;
        page = m;
    }
    mprotect(page, 4096, PROT_READ | PROT_WRITE);
    __atomic_add_fetch(page, 1, __ATOMIC_SEQ_CST);
    mprotect(page, 4096, PROT_NONE);
}

/* ---- restartable regions (runtime.h) ----
 * A probe: the creator publishes the regions and a new sequence number, then sends the thread
 * signal to the sole foreign thread; its handler (rt_single_probe_answer, first thing) moves an
 * interrupted region to its abort address and answers with the sequence number. */
enum { RT_PROBE_OUTSIDE, RT_PROBE_RESTARTED, RT_PROBE_TAIL };
static struct {
    uint32_t seq, ack; /* ack == seq: no question open */
    int answer;        /* RT_PROBE_*, valid once ack == seq */
    int n;
    rt_single_region r[RT_SINGLE_REGIONS];
} rt_probe;
static rt_single_revoke_fn rt_single_revoke;

void rt_single_set_revoke(rt_single_revoke_fn fn) { __atomic_store_n(&rt_single_revoke, fn, __ATOMIC_RELEASE); }

/* Async-signal-safe: reads the probe, writes the interrupted context and the answer. Only the
 * sole foreign thread answers (the caller checks it has a TEB: no other thread can while the
 * probe is open, since rt_single_go_multi runs before a second one exists). */
static void rt_single_probe_answer(ucontext_t *uc)
{
    uint32_t seq = __atomic_load_n(&rt_probe.seq, __ATOMIC_ACQUIRE);
    if (seq == __atomic_load_n(&rt_probe.ack, __ATOMIC_RELAXED))
        return;
    greg_t *ip = &uc->uc_mcontext.gregs[REG_RIP];
    int answer = RT_PROBE_OUTSIDE;
    for (int i = 0; i < rt_probe.n; i++) {
        const rt_single_region *r = &rt_probe.r[i];
        if ((uintptr_t)*ip >= r->start && (uintptr_t)*ip < r->tail) {
            *ip = (greg_t)r->abort;
            answer = RT_PROBE_RESTARTED;
        } else if ((uintptr_t)*ip >= r->tail && (uintptr_t)*ip < r->end) {
            answer = RT_PROBE_TAIL;
        }
    }
    rt_probe.answer = answer;
    __atomic_store_n(&rt_probe.ack, seq, __ATOMIC_RELEASE);
}

static int64_t rt_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Called by rt_single_go_multi on a thread other than the sole foreign one, its lock held:
 * returns once that thread is in none of the regions, or has no thread to ask. A thread that
 * does not answer for a second runs no foreign code (it has the signal blocked in native code,
 * or is past its TEB at the end of a run): it is in no region either. */
static void rt_single_probe(int n, const rt_single_region *r)
{
    int32_t tid = atomic_load(&rt_main_tid);
    if (n <= 0 || tid <= 0 || !atomic_load(&rt_thread_signal_installed))
        return;
    rt_probe.n = n;
    memcpy(rt_probe.r, r, (size_t)n * sizeof *r);
    int64_t deadline = rt_mono_ns() + 1000000000;
    for (;;) {
        uint32_t seq = rt_probe.seq + 1;
        __atomic_store_n(&rt_probe.seq, seq, __ATOMIC_RELEASE);
        for (unsigned spins = 0; __atomic_load_n(&rt_probe.ack, __ATOMIC_ACQUIRE) != seq; spins++) {
            /* a real-time signal queues: sent again only after a long wait (a thread stopped
             * or suspended inside its handler answers when it runs again) */
            if (spins % 4096 == 0 &&
                (syscall(SYS_tgkill, getpid(), tid, rt_thread_signal()) != 0 ||
                 (spins && rt_mono_ns() > deadline))) {
                /* no such thread, or no answer: no question open any more */
                __atomic_store_n(&rt_probe.ack, seq, __ATOMIC_RELEASE);
                rt_probe.answer = RT_PROBE_OUTSIDE;
                break;
            }
            sched_yield();
        }
        if (rt_probe.answer != RT_PROBE_TAIL)
            break;
    }
    if (RT_TRACING(RT_TRACE_SUD))
        rt_trace("sud", "second thread: thread %d was %s", (int)tid,
                 rt_probe.answer == RT_PROBE_RESTARTED ? "restarted in a fast path"
                                                      : "in no fast path");
}

void rt_single_go_multi(void)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    if (__atomic_load_n(&rt_single.multi, __ATOMIC_ACQUIRE))
        return;
    pthread_mutex_lock(&lock);
    if (!rt_single.multi) {
        __atomic_store_n(&rt_single.multi, 1, __ATOMIC_SEQ_CST);
        rt_single_revoke_fn revoke = __atomic_load_n(&rt_single_revoke, __ATOMIC_ACQUIRE);
        if (rt_tls_teb) {
            /* The sole foreign thread calling this is in no unlocked region (it is here), and
             * reads its own stores. */
            if (revoke)
                revoke(NULL);
        } else {
            /* Any other thread must make sure that thread has seen `multi`, and wait for
             * what it began before; then the restartable regions' permission goes, and a
             * region that tested it before is restarted or let finish. */
            rt_process_barrier();
            while (__atomic_load_n(&rt_single.busy, __ATOMIC_ACQUIRE))
                sched_yield(); /* a few instructions long: a byte copied in or out of a buffer */
            if (revoke) {
                rt_single_region r[RT_SINGLE_REGIONS];
                rt_single_probe(revoke(r), r);
            }
        }
    }
    pthread_mutex_unlock(&lock);
}

int rt_service_thread_start(void *(*fn)(void *), void *arg, size_t stack_size, bool fault_fixups)
{
    sigset_t mask;
    sigfillset(&mask);
    if (fault_fixups) {
        sigdelset(&mask, SIGSEGV);
        sigdelset(&mask, SIGBUS);
    }
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, stack_size);
    int r = pthread_attr_setsigmask_np(&attr, &mask);
    pthread_t t;
    if (r == 0)
        r = pthread_create(&t, &attr, fn, arg);
    pthread_attr_destroy(&attr);
    return r;
}

int rt_thread_create(const rt_thread_params *p)
{
    rt_single_go_multi();
    struct rt_thread_ctl *ctl = calloc(1, sizeof *ctl);
    if (!ctl)
        return -ENOMEM;
    rt_thread_signal_install();
    sem_t started;
    int status = -EAGAIN;
    sem_init(&started, 0, 0);
    ctl->p = *p;
    ctl->started = &started;
    ctl->start_status = &status;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024); /* native side only: foreign code has its own */
    atomic_fetch_add(&rt_threads_count, 1);
    pthread_t th;
    int r = pthread_create(&th, &attr, rt_thread_start_routine, ctl);
    pthread_attr_destroy(&attr);
    if (r != 0) {
        atomic_fetch_sub(&rt_threads_count, 1);
        free(ctl);
        sem_destroy(&started);
        return -r;
    }
    while (sem_wait(&started) != 0)
        ;
    sem_destroy(&started);
    if (status < 0) {
        atomic_fetch_sub(&rt_threads_count, 1);
        rt_futex(&rt_threads_count, FUTEX_WAKE, INT32_MAX, NULL);
    }
    return status;
}

int rt_threads_live(void) { return atomic_load(&rt_threads_count); }

/* Waits until no foreign thread is live, or until the deadline (NULL: none). */
static int rt_threads_wait_none(const struct timespec *deadline)
{
    for (;;) {
        int n = atomic_load(&rt_threads_count);
        if (n == 0)
            return 0;
        struct timespec rel, now, *tsp = NULL;
        if (deadline) {
            clock_gettime(CLOCK_MONOTONIC, &now);
            int64_t ns = (int64_t)(deadline->tv_sec - now.tv_sec) * 1000000000 +
                         (deadline->tv_nsec - now.tv_nsec);
            if (ns <= 0)
                return n;
            rel.tv_sec = ns / 1000000000;
            rel.tv_nsec = ns % 1000000000;
            tsp = &rel;
        }
        struct timespec slice = {0, RT_WAIT_SLICE_NS};
        if (!tsp || rel.tv_sec > 0 || rel.tv_nsec > slice.tv_nsec)
            tsp = &slice;
        rt_thread_check_pending();
        rt_futex(&rt_threads_count, FUTEX_WAIT, n, tsp);
    }
}

void rt_exit_thread(uint32_t code)
{
    rt_thread *t = rt_current_thread();
    if (t)
        t->selector = RT_SEL_ALLOW;
    if (t && t->ctl) {
        t->ctl->exit_code = code;
        siglongjmp(t->ctl->jmp, 1);
    }
    /* The main thread: the process lives on while other threads run; for them it has ended
     * (its handle is signalled now). */
    atomic_store(&rt_last_exit_code, code);
    if (rt_threads_live() > 0)
        rt_main_thread_ended(code);
    rt_threads_wait_none(NULL);
    rt_exit_process(atomic_load(&rt_last_exit_code));
}

void rt_threads_for_each(void (*fn)(rt_thread *t, void *ctx), void *ctx)
{
    pthread_mutex_lock(&rt_threads_lock);
    for (struct rt_thread_ctl *c = rt_threads_head; c; c = c->next)
        fn(c->t, ctx);
    pthread_mutex_unlock(&rt_threads_lock);
}

static int rt_thread_signal_tid(int32_t tid)
{
    return (int)rt_raw_syscall6(SYS_tgkill, getpid(), tid, rt_thread_signal(), 0, 0, 0);
}

int rt_thread_terminate(int32_t tid, uint32_t code)
{
    rt_thread *self = rt_current_thread();
    if (self && self->ctl && self->tid == tid)
        rt_thread_jump_out(self->ctl, code);
    int r = -ESRCH;
    pthread_mutex_lock(&rt_threads_lock);
    for (struct rt_thread_ctl *c = rt_threads_head; c; c = c->next) {
        if (c->t->tid != tid)
            continue;
        c->kill_code = code;
        atomic_store(&c->kill_requested, 1);
        r = rt_thread_signal_tid(tid);
        break;
    }
    pthread_mutex_unlock(&rt_threads_lock);
    return r < 0 ? r : 0;
}

int rt_threads_terminate_all(uint32_t code, int timeout_ms)
{
    rt_thread *self = rt_current_thread();
    int others = 0;
    pthread_mutex_lock(&rt_threads_lock);
    for (struct rt_thread_ctl *c = rt_threads_head; c; c = c->next) {
        if (c->t == self)
            continue;
        c->kill_code = code;
        atomic_store(&c->kill_requested, 1);
        rt_thread_signal_tid(c->t->tid);
    }
    pthread_mutex_unlock(&rt_threads_lock);
    if (self && self->ctl)
        others = 1; /* the caller itself stays counted */
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    for (;;) {
        int n = atomic_load(&rt_threads_count);
        if (n <= others)
            return n - others;
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (timeout_ms >= 0 && (now.tv_sec > deadline.tv_sec ||
                                (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec)))
            return n - others;
        struct timespec step = {0, 10 * 1000000}; /* re-check: the count may never reach `n` */
        rt_futex(&rt_threads_count, FUTEX_WAIT, n, &step);
        /* Interrupt again the threads that were inside a built-in (or a signal handler, e.g.
         * an NT call that arrived by trap) when asked and have been running foreign code
         * since without reaching a wait point. */
        pthread_mutex_lock(&rt_threads_lock);
        for (struct rt_thread_ctl *c = rt_threads_head; c; c = c->next)
            if (c->t != self && c->phase == RT_PHASE_RUN)
                rt_thread_signal_tid(c->t->tid);
        pthread_mutex_unlock(&rt_threads_lock);
    }
}

/* rt_process_terminate (process.c): interrupt the thread in rt_run_process so that it leaves
 * at once from foreign code, or at its next wait point. 0, or -ESRCH when there is none. */
int rt_threads_request_main_exit(void)
{
    rt_thread_signal_install(); /* a program without threads has not needed it yet */
    atomic_store(&rt_main_exit_requested, 1);
    int32_t main_tid = atomic_load(&rt_main_tid);
    return main_tid ? rt_thread_signal_tid(main_tid) : -ESRCH;
}

void rt_threads_stop_main(void)
{
    atomic_store(&rt_main_exit_requested, 1);
    int32_t main_tid = atomic_load(&rt_main_tid);
    if (main_tid)
        rt_thread_signal_tid(main_tid);
}

/* ExitProcess on a thread other than the one in rt_run_process (process.c): the exit hooks have
 * run; make the main thread leave rt_run_process, then end this thread. */
void rt_threads_exit_from_secondary(uint32_t code)
{
    rt_threads_stop_main();
    rt_thread *t = rt_current_thread();
    if (t && t->ctl)
        rt_thread_jump_out(t->ctl, code);
    for (;;)
        pause(); /* a host thread: the main thread ends the run */
}
