/* SPDX-License-Identifier: MIT */
/* runtime/: process and thread state, Syscall User Dispatch, signals, the switch into foreign code.
 * Public to ntemu/, thunks/, loader/ and tools/. */
#ifndef NTRUN_RUNTIME_H
#define NTRUN_RUNTIME_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <sys/types.h>
#include "runtime/win.h"
#include "runtime/teb.h"

/* ---- per-thread state ---- (layout constants in rt_layout.h, shared with assembly) */
#include "runtime/rt_layout.h"
_Static_assert(RT_SEL_OFFSET == RT_TEB_PRIV_OFFSET, "the selector is the private area's first byte");

typedef struct rt_thread {
    volatile uint8_t selector; /* +0x00: SUD selector, exactly 0 or 1 */
    uint8_t sud_armed;         /* +0x01 */
    uint8_t trap_keep_site;    /* +0x02: set by an NT call that signal.c serves for a foreign
                                  `syscall` when the site must stay on the trap path (the
                                  context calls need trap_uc); signal.c clears it */
    uint8_t stack_guard_gone;  /* +0x03: a stack overflow was raised and the guard page not
                                  put back since (_resetstkoflw): the next one ends the process */
    uint8_t limit_lowered;     /* +0x04: the dispatcher runs on the dispatch stack: the TEB's
                                  stack limits take it in until foreign code resumes outside */
    uint8_t pad[3];
    TEB *teb;                  /* +0x08 */
    void *stack_alloc;         /* +0x10: foreign stack mapping (guard page included) */
    size_t stack_alloc_size;   /* +0x18 */
    int32_t tid;               /* +0x20: Linux tid */
    uint32_t pad2;
    uint64_t nt_calls_trap;    /* +0x28: NT calls that arrived by SIGSYS */
    uint64_t nt_calls_thunk;   /* +0x30: NT calls that arrived through an import */
    struct rt_thread_ctl *ctl; /* +0x38: foreign-thread control (thread.c), NULL on the main thread */
    uint64_t crossings;        /* +0x40: boundary crossings (thunk_asm.S counts, RT_CROSS_OFFSET) */
    int32_t suspend_count;     /* +0x48: SuspendThread count of a running thread (futex word;
                                  thunk_asm.S reads it as RT_SUSPEND_OFFSET) */
    uint32_t susp_armed;       /* +0x4c: 1 while state ARMED (thread.c): thk_call_foreign reads
                                  it with suspend_count as one 64-bit word, RT_SUSPEND_OFFSET */
    struct rt_suspend *susp;   /* +0x50: where a suspended thread stopped (thread.c), or NULL */
    void *trap_uc;             /* +0x58: while signal.c serves a foreign `syscall` / `int 2e`,
                                  the interrupted context (ucontext_t *), else NULL */
    struct _CONTEXT *trap_resume; /* +0x60: set (malloc'd) meanwhile by NtContinue or
                                     NtSetContextThread on the thread itself: signal.c resumes
                                     the thread there (its ContextFlags parts; an
                                     rt_context_ymmh, runtime/xstate.h) and frees it */
    uint64_t trap_crossings;   /* +0x68: `crossings` when trap_uc was set */
    void *saved_stack_limit;   /* +0x70: the TEB's StackLimit and StackBase while */
    void *saved_stack_base;    /* +0x78: limit_lowered */
    void *lowered_limit;       /* +0x80: and the values the dispatch put there (put back only */
    void *lowered_base;        /* +0x88: if the TEB still holds them: a fiber switch changes them) */
    uint32_t zones;            /* +0x90: live dispatches placed on the dispatch stack from another
                                  stack (runtime/exception.c, RT_DISPATCH_ZONES at most) */
    uint32_t pad3;
    uintptr_t zone_origin[16]; /* +0x98: the stack pointer of each one's exception */
    const void *thk_entry[RT_THK_NENTRIES]; /* +0x118: thunks' generic entries (rt_layout.h,
                                               rt_set_thread_entries), as every thread has them */
} rt_thread;
_Static_assert(offsetof(rt_thread, thk_entry) == RT_THK_ENTRY_OFFSET - RT_TEB_PRIV_OFFSET,
               "the generic entries where the built-in images' stubs read them");
_Static_assert(offsetof(rt_thread, stack_alloc) == RT_STACK_ALLOC_OFFSET - RT_TEB_PRIV_OFFSET,
               "the stack's mapping where exc_capture.inc reads it");
/* The interrupted context of the foreign `syscall` whose NT call the thread is serving, or NULL:
 * also NULL inside foreign code that call runs meanwhile (an APC: its own calls, through an
 * import, are not the trapped one; every crossing counts in `crossings`). */
static inline void *rt_trap_context(const rt_thread *t)
{
    return t && t->trap_uc && t->crossings == t->trap_crossings ? t->trap_uc : NULL;
}
_Static_assert(offsetof(rt_thread, suspend_count) == RT_SUSPEND_OFFSET - RT_TEB_PRIV_OFFSET,
               "suspend count where thunk_asm.S reads it");
_Static_assert(offsetof(rt_thread, susp_armed) == offsetof(rt_thread, suspend_count) + 4,
               "thk_call_foreign tests the count and the armed flag in one 64-bit compare");
_Static_assert(offsetof(rt_thread, crossings) == RT_CROSS_OFFSET - RT_TEB_PRIV_OFFSET,
               "crossing counter where thunk_asm.S increments it");
_Static_assert(RT_TEB_PRIV_OFFSET >= sizeof(TEB), "private area after the Windows TEB");
_Static_assert(RT_TEB_PRIV_OFFSET + sizeof(rt_thread) <= RT_TEB_ALLOC_SIZE, "private area fits");
_Static_assert(offsetof(rt_thread, selector) == 0, "selector first");

/* The current thread's TEB and ntrun thread state, or NULL on a thread ntrun does not run. */
TEB *rt_current_teb(void);
rt_thread *rt_current_thread(void);
/* gettid() without the system call after a thread's first (async-signal-safe; fork-safe once
 * rt_tid_fork_init has run: rt_process_init calls it). */
int32_t rt_gettid(void);
void rt_tid_fork_init(void);
/* 0 until rt_tid_fork_init has run, then 1, 2, ...: a new value in each fork()ed child. */
uint32_t rt_fork_generation(void);
/* The number of CPUs a cpulist text ("0-1,3,5-7", /sys/devices/system/cpu/online) names, as
 * glibc's get_nprocs counts them; 0 when the text is not such a list (cpus.c). */
uint32_t rt_cpu_list_count(const char *s, size_t n);
/* sysconf(_SC_NPROCESSORS_ONLN)'s value without its strtoul (whose C-ctype table read is a
 * page fault at every start): the online file parsed here, glibc asked when that fails. */
long rt_cpus_online(void);
/* The ntrun command's first call: start-up's variables and the first pages of glibc's heap
 * made present at once instead of a page fault each (populate.c). */
void rt_populate_startup(void);
/* Writes n bytes from src at dst in this process's memory through /proc/self/mem, whatever
 * dst's protection (a private page is copied on write, as a debugger's write would be): a page
 * that gets its final protection before it is ever written is never made present writable
 * and then downgraded, which costs a TLB flush per page (populate.c). 0, or -errno when the
 * file cannot be used (no /proc, writes to read-only pages refused by the kernel's
 * proc_mem.force_override): the caller then writes through a writable mapping itself. */
int rt_mem_write(void *dst, const void *src, size_t n);
static inline rt_thread *rt_thread_of(TEB *teb) { return (rt_thread *)((char *)teb + RT_TEB_PRIV_OFFSET); }

/* ---- process ---- */
typedef struct rt_process {
    PEB *peb;
    const char *exe_unix_path;   /* as given on the command line, resolved */
    const char *exe_name;        /* base name, for messages ("prog.exe") */
    int windows_build;           /* 10 or 11: which system-call numbering foreign code sees */
    bool sud_available;          /* kernel accepted PR_SET_SYSCALL_USER_DISPATCH */
    bool sud_inclusive;          /* --sud=inclusive in use: armed over the foreign range */
    int trap;                    /* rt_trap: how foreign system calls are trapped now */
    uintptr_t bypass_start, bypass_end; /* the runtime's own text */
} rt_process;
extern rt_process rt_proc;

/* One-time set-up: probe SUD, find the runtime's text, install signal handlers. 0 or -errno. */
int rt_process_init(void);
/* PR_SYS_DISPATCH_INCLUSIVE_ON works (Linux >= 6.17): probed on the first call (after
 * rt_process_init), not at every start, since nothing at start-up needs it. The probe ends with
 * PR_SYS_DISPATCH_OFF: make the first call on a thread that is not armed. */
bool rt_sud_inclusive_available(void);

/* Allocate a TEB (+ private area) for the calling thread, point gs at it, arm SUD with the
 * selector at ALLOW. The TEB's PEB pointer is rt_proc.peb. 0 or -errno. */
int rt_thread_init_current(void);
/* Undo rt_thread_init_current: disarm SUD, gs base 0, free the TEB and stack. */
void rt_thread_fini_current(void);
/* Boundary crossings (foreign->native built-in calls and native->foreign calls) of the threads
 * that ended since the last call plus the calling thread's so far; resets both. libntrun. */
uint64_t rt_crossings_take(void);

/* Map a foreign stack of `reserve` bytes (with a guard page below it) for the current thread and
 * record it in the TEB (StackBase/StackLimit). Returns the initial stack top (16-byte aligned),
 * RT_STACK_HEADROOM below StackBase: a variadic thunk called by the topmost foreign frame reads
 * its caller's stack arguments above that frame (the return address, the home space and
 * THK_VARIADIC_SLOTS slots: 0x108 bytes; thunks/thunks.h asserts they fit). */
#define RT_STACK_HEADROOM 0x200
void *rt_thread_alloc_stack(size_t reserve);
/* rt_thread_init_current and rt_thread_alloc_stack(reserve) in one mapping (with the alternate
 * signal stack's region): 0 and *stack_top, or -errno with nothing left behind. A thread that
 * has its TEB already gets only the stack. */
int rt_thread_init_current_stack(size_t reserve, void **stack_top);

/* ---- memory mapped for the program (progmem.c) ----
 * The anonymous mappings the runtime makes for the program, so that ntemu can tell them from
 * the runtime's own (heap arenas, native stacks, trampolines), which the program may not touch. */
typedef enum rt_mem_kind {
    RT_MEM_NONE,  /* not recorded: the runtime's, or not anonymous runtime memory at all */
    RT_MEM_STACK, /* a foreign thread stack (guard page included) */
    RT_MEM_TEB,   /* a TEB allocation (TEB + ntrun's private area) */
    RT_MEM_PEB,   /* the PEB, its loader data and process parameters; other data the runtime
                   * makes for the program to read (rt_progmem_alloc: loader entries) */
    RT_MEM_KUSER, /* KUSER_SHARED_DATA */
} rt_mem_kind;
void rt_progmem_add(void *base, size_t size, rt_mem_kind kind);
void rt_progmem_remove(void *base);
/* n zeroed bytes in pages recorded as RT_MEM_PEB: data the runtime hands the program to read
 * (PEB->Ldr's module entries), which VirtualQuery must show committed and readable, as
 * Windows' are (glibc's heap is the runtime's, a reservation to the program). Blocks of at most
 * 1 KB share pages, larger ones have their own. NULL when out of memory. rt_progmem_free gives
 * such a block back (its own pages unmapped; NULL or anything else: nothing). */
void *rt_progmem_alloc(size_t n);
void rt_progmem_free(void *p);
/* The kind of the recorded mapping containing addr and its extent, or RT_MEM_NONE. */
rt_mem_kind rt_progmem_find(uintptr_t addr, uintptr_t *base, size_t *size);
/* Around addr (in no record): the end of the nearest record below it (*prev_end, left alone
 * when none is higher) and the start of the nearest above (*next_start, likewise). */
void rt_progmem_neighbours(uintptr_t addr, uintptr_t *prev_end, uintptr_t *next_start);

/* A foreign stack (RT_MEM_STACK) as NtQueryVirtualMemory reports it, Windows' layout of a stack
 * committed whole: [base, guard) reserved (really PROT_NONE: overflows fault there), [guard,
 * committed) PAGE_GUARD page(s) (reported; accessible, as ntemu's PAGE_GUARD is not enforced),
 * [committed, end) committed read-write. StackLimit is `committed`. Programs size their stack
 * from this (hermesc takes the allocation's second region for its guard). */
#define RT_STACK_NOACCESS 0x1000u
#define RT_STACK_GUARD    0x1000u
_Static_assert(RT_STACK_NOACCESS + RT_STACK_GUARD == RT_STACK_GUARD_REGION, "rt_layout.h");
/* Each thread's dispatch stack (runtime/exception.c: 256 KiB in the mapping of its alternate
 * signal stack, above a no-access page): where the exception dispatcher runs when the
 * program's stack has no room for it (a stack overflow, a fault near the stack's end, a program
 * running on a small stack of its own). Its frames count as deeper than all of the program's
 * (rt_stack_key), as the dispatcher's are on Windows. */
/* The calling thread's dispatch stack [*lo, *hi), false if it has none. */
bool rt_dispatch_stack(uintptr_t *lo, uintptr_t *hi);
/* A stack address as an order of depth for comparisons between frames, dispatch records and
 * stack pointers ("below" = deeper, entered later): the dispatch stack's addresses come below
 * all others, wherever the stack the program runs on lies (a coroutine's stack may lie below
 * the dispatch stack). Any other value is itself. */
uintptr_t rt_stack_key(uintptr_t addr);
typedef struct rt_stack_regions {
    uintptr_t base, guard, committed, end;
} rt_stack_regions;
/* True with the regions of the foreign stack holding addr. */
bool rt_stack_layout(uintptr_t addr, rt_stack_regions *out);
/* The frames below sp on the foreign stack holding it are over (foreign code resumes at sp: an
 * exception, RtlUnwind, longjmp). Back on the program's stack from the dispatch stack, the TEB's
 * StackLimit is put back. AddressSanitizer builds: their redzones must not stay poisoned for
 * the program's buffers or uninstrumented frames that use the space next; rt_asan_forget clears
 * any range's shadow the same way (a no-op in other builds). Callable from files built without
 * ASan. Async-signal-safe (rt_asan_forget) or not (a lock). */
void rt_stack_frames_over(uintptr_t sp);
void rt_asan_forget(const void *addr, size_t size);

/* Run fn(arg) on the stack whose top is `stack_top` and come back to the native stack. */
uint64_t rt_call_on_stack(void *stack_top, uint64_t (*fn)(void *), void *arg);

/* ---- foreign threads (thread.c) ----
 * rt_thread_create starts a pthread that runs foreign code: its own TEB (rt_thread_init_current,
 * so its own gs base and SUD arming with the selector in its TEB), its own foreign stack of
 * `stack_reserve` bytes, and a sigsetjmp point so rt_exit_thread() from any depth of foreign
 * code unwinds back to the native wrapper. On the new thread, in order:
 *   on_start (native stack, before rt_thread_create returns to its caller)
 *   prologue, the attach hooks (rt_on_thread_attach), body   -- on the foreign stack
 *   the detach hooks (reverse order)                           -- on the foreign stack
 *   on_exit(arg, exit code) (native stack), then the TEB and stacks are freed.
 * body, prologue and hooks run with the selector at ALLOW (native code); they reach foreign
 * code through thunks/. The exit code is body's return value or rt_exit_thread's argument.
 * Every live foreign thread is in a registry (rt_threads_for_each). */
typedef struct rt_thread_params {
    size_t stack_reserve;                        /* foreign stack; 0: 1 MiB */
    void (*on_start)(void *arg, rt_thread *t);   /* optional */
    void (*prologue)(void *arg);                 /* optional: e.g. wait until resumed */
    uint32_t (*body)(void *arg);
    void (*on_exit)(void *arg, uint32_t code);   /* optional */
    void *arg;
} rt_thread_params;
/* 0 (the thread runs; on_start has run) or -errno (nothing ran). */
int rt_thread_create(const rt_thread_params *p);

/* Starts a detached native service thread (a watcher, an acceptor, a request server): fn(arg) on
 * a stack of stack_size bytes with every signal blocked, so no program signal or Ctrl-C handler
 * ever runs on it; with fault_fixups SIGSEGV and SIGBUS stay open for rt_safe_copy's fix-ups (it
 * touches program memory). The mask is the new thread's own from its first instruction: the
 * caller's is never changed. 0, or pthread_create's error. */
int rt_service_thread_start(void *(*fn)(void *), void *arg, size_t stack_size, bool fault_fixups);

/* pthread_once without its system call: glibc's wakes the once-word's waiters (FUTEX_WAKE)
 * after every first run, waiters or not, and start-up runs several. Here only a thread that
 * found the function running waits, and only then is anyone woken. Not async-signal-safe
 * (the function may take locks); `fn` must not use the same once-word. */
typedef struct rt_once {
    uint32_t state; /* 0 not run, 1 running, 2 running with waiters, 3 done */
} rt_once_t;
#define RT_ONCE_INIT {0}
void rt_once_slow(rt_once_t *o, void (*fn)(void));
static inline void rt_once(rt_once_t *o, void (*fn)(void))
{
    if (__builtin_expect(__atomic_load_n(&o->state, __ATOMIC_ACQUIRE) != 3, 0))
        rt_once_slow(o, fn);
}

/* ---- the single-thread fast paths (thread.c; glibc's SINGLE_THREAD_P) ----
 * While the process has one thread that can run foreign code, built-ins may skip a lock on
 * their hottest paths (msvcrt's getc/putc): rt_single.multi is set, before the second such
 * thread exists, by rt_single_go_multi() (rt_thread_create calls it: CreateThread, thread-pool
 * workers, the console control thread, a remote thread of our own process), and never cleared.
 *
 * A fast path brackets its unlocked work with rt_single_enter()/rt_single_leave(): work that
 * neither blocks nor calls out (a byte into or out of a stream buffer); anything slower takes
 * the real lock. rt_single_go_multi() called by the sole foreign thread itself is between two
 * such regions by construction. Called by any other thread (the native console-control
 * dispatcher, a host thread of libntrun), it stores `multi`, makes every thread of the process
 * execute a memory barrier (membarrier(2), or an mprotect's TLB shoot-down where that is
 * missing), and waits until `busy` is clear: either the foreign thread's store to `busy` was
 * seen, or its load of `multi` comes after the barrier and sees 1 (an asymmetric Dekker: the
 * fast path itself pays two plain stores and a load, no locked instruction). Once `multi` is
 * set the fast path costs one load and writes nothing. */
typedef struct rt_single_state {
    volatile uint8_t multi; /* a second foreign-capable thread exists, or is being made */
    volatile uint8_t busy;  /* the sole foreign thread is inside an unlocked region */
} rt_single_state;
extern rt_single_state rt_single __attribute__((visibility("hidden")));

/* true: the caller may do its unlocked work, then must call rt_single_leave(). false: take the
 * lock. Async-signal-safe, no call, no locked instruction (usable from ms_abi fast paths). */
static inline __attribute__((always_inline)) bool rt_single_enter(void)
{
    if (__builtin_expect(rt_single.multi, 0))
        return false;
    rt_single.busy = 1;
    __atomic_signal_fence(__ATOMIC_SEQ_CST); /* the store before the load (asymmetric fence) */
    if (__builtin_expect(rt_single.multi, 0)) {
        rt_single.busy = 0;
        return false;
    }
    return true;
}

static inline __attribute__((always_inline)) void rt_single_leave(void)
{
    __atomic_signal_fence(__ATOMIC_SEQ_CST); /* the unlocked work before the release */
    rt_single.busy = 0;
}

/* Marks the process multi-threaded (see above); returns once no unlocked region that began
 * before is still running. Idempotent. */
void rt_single_go_multi(void);

/* Restartable regions: foreign code that tests a permission of its own instead of storing
 * `busy` (msvcrt's inline getc: one compare with the stream it may read unlocked, then the
 * stream's two stores). The built-in that owns them registers a revoke function once;
 * rt_single_go_multi calls it after `multi` is set and every `busy` region ended, under its
 * lock. It withdraws the permission (no region is entered again after the next barrier) and,
 * when `out` is not NULL, writes where its regions are now (at most RT_SINGLE_REGIONS) and
 * returns their count. When the caller of rt_single_go_multi is not the sole foreign thread, it
 * then interrupts that thread (the thread signal, rt_single_probe in thread.c): interrupted at
 * an address in [start, tail) the thread resumes at `abort`, which must redo the region's work
 * from the registers it had at `start` (the region changes none of those before `tail`); at
 * an address in [tail, end) (its last stores) it is let run and asked again. A fault inside a
 * region that a handler continues after the process went multi-threaded is beyond what this
 * promises (as for a built-in interrupted inside rt_single_enter). */
typedef struct rt_single_region {
    uintptr_t start, tail, end, abort;
} rt_single_region;
#define RT_SINGLE_REGIONS 16
typedef int (*rt_single_revoke_fn)(rt_single_region *out);
void rt_single_set_revoke(rt_single_revoke_fn fn);
/* Ends the calling thread with `code`: on a thread made by rt_thread_create, jumps back to its
 * wrapper (detach hooks, on_exit). On the main thread, waits until every other foreign thread
 * has ended, then ends the process with `code` (Windows: the process ends with its last
 * thread). */
__attribute__((noreturn)) void rt_exit_thread(uint32_t code);
/* Hooks run on every thread made by rt_thread_create: attach in order of registration before
 * the body, detach in reverse order after it (PE TLS blocks and DLL_THREAD_ATTACH/DETACH
 * callbacks, per-thread built-in state). Registration is idempotent. */
void rt_on_thread_attach(void (*fn)(void));
void rt_on_thread_detach(void (*fn)(void));
/* One hook (ntemu's) told when the main thread has ended for the program while the process
 * lives on: ExitThread on it while other threads run (`code` its exit code), or another
 * thread's ExitProcess that stopped it before the DLLs detach (`code` the process's). Its handle
 * is signalled then, as on Windows, not at the run's end. Called on the ending thread. */
void rt_on_main_thread_end(void (*fn)(uint32_t code));
/* Calls fn for every live thread made by rt_thread_create, under the registry lock (fn must
 * not create or end threads). For an embedder that wants to list or stop them. */
void rt_threads_for_each(void (*fn)(rt_thread *t, void *ctx), void *ctx);
/* The main thread (the one in rt_run_process), or NULL outside a run. */
rt_thread *rt_thread_main(void);
/* Number of live threads made by rt_thread_create. */
int rt_threads_live(void);
/* Asks the foreign thread with Linux tid `tid` to end with `code` (TerminateThread): it is
 * interrupted by a signal and jumps back to its wrapper at once when it is running foreign code,
 * or at its next wait point (rt_thread_check_pending) when it is inside a built-in. No detach
 * hooks run for it, as on Windows. 0, or -ESRCH when no such foreign thread is live. */
int rt_thread_terminate(int32_t tid, uint32_t code);
/* SuspendThread / ResumeThread of a running thread (the main thread or one made by
 * rt_thread_create), by Linux tid: the count goes up or down and *prev gets its old value.
 * The first suspension interrupts the thread with rt_thread_signal(). In foreign code it stops
 * inside the handler at once. Inside a built-in it is never stopped halfway (kernel work on
 * Windows is not either): the return of the innermost foreign -> native crossing is redirected
 * so that the thread stops exactly at the boundary back to foreign code, and until then its
 * context is that boundary's (Rip the foreign return address, Rsp after the return). Where no
 * crossing frame is found (an NT call that arrived by trap, thread start-up) it is interrupted
 * again every few ms until it is in foreign code. A stopped thread still ends on
 * TerminateThread / ExitProcess. Suspending oneself stops at the return to foreign code.
 * 0 or -ESRCH. */
int rt_thread_suspend(int32_t tid, uint32_t *prev);
int rt_thread_resume(int32_t tid, uint32_t *prev);
/* The registers of a thread suspended with rt_thread_suspend, as a Windows CONTEXT (all of
 * it; the caller picks the parts), and SetThreadContext: `flags` (CONTEXT_CONTROL, _INTEGER,
 * _FLOATING_POINT) selects what is written. Waits until the thread has reached its stop point.
 * The calling thread gets the context of its own return to foreign code (Windows gives no
 * reliable one either). 0, -ESRCH, or -EINVAL when the thread is not suspended. */
struct _CONTEXT;
int rt_thread_get_context(int32_t tid, struct _CONTEXT *out);
int rt_thread_set_context(int32_t tid, const struct _CONTEXT *in, uint32_t flags);
/* The same with the AVX upper halves of ymm0-15 (runtime/xstate.h): read into ymmh (16 M128A)
 * when the thread's stop has them (*have_ymmh; a thread stopped at a boundary has none: they
 * are volatile across its call), written from ymmh when not NULL (a stop in foreign code). */
int rt_thread_get_context_ymmh(int32_t tid, struct _CONTEXT *out, void *ymmh, bool *have_ymmh);
int rt_thread_set_context_ymmh(int32_t tid, const struct _CONTEXT *in, uint32_t flags,
                               const void *ymmh);

/* rt_thread_terminate for every live foreign thread except the caller, then waits up to
 * timeout_ms (-1: forever) for them to end. Returns the number still live. Use when a run ends
 * (libntrun teardown). */
int rt_threads_terminate_all(uint32_t code, int timeout_ms);
/* Wait points of built-ins call this before they sleep and after an interrupted wait (EINTR):
 * when the calling thread has been asked to end (rt_thread_terminate, or ExitProcess on another
 * thread), it does not return. The caller must hold no lock and have nothing registered that
 * lives on its stack. A request that arrives between the check and the sleep interrupts
 * nothing, so wait points sleep at most RT_WAIT_SLICE_NS at a time and check again (or call
 * rt_thread_pending, which only tells). */
void rt_thread_check_pending(void);
bool rt_thread_pending(void);
#define RT_WAIT_SLICE_NS 100000000L /* 100 ms */

/* ---- process exit ----
 * rt_run_process() runs body(arg) and returns the process exit code, whether body returns or
 * something calls rt_exit_process() (ExitProcess, exit(), NtTerminateProcess on self). */
uint32_t rt_run_process(uint32_t (*body)(void *), void *arg);
/* The process ends when its run does (the ntrun command): rt_run_process's exit jump leaves the
 * signal mask as it finds it instead of saving and restoring it (two system calls). */
void rt_process_ends_with_run(void);
__attribute__((noreturn)) void rt_exit_process(uint32_t code);
/* The same without the exit hooks: after a fault inside native code run for the program. */
__attribute__((noreturn)) void rt_exit_process_crashed(uint32_t code);
/* TerminateProcess on self: only the rt_on_exit_always hooks run (no DLL detach, no CRT). */
__attribute__((noreturn)) void rt_terminate_process(uint32_t code);
/* TerminateProcess of the running program from any thread, a host thread included (libntrun):
 * rt_run_process returns `code` without running the exit hooks. The thread in rt_run_process
 * leaves at once from foreign code or at its next wait point; call again until it has. 0, or
 * -ESRCH when no program runs. */
int rt_process_terminate(uint32_t code);
/* How the run is ending, for an embedder (libntrun's ntrun_exit_info), recorded by whoever
 * ends it abnormally just before rt_exit_process: the first note of a run stays (a fault while
 * reporting a fault does not replace it), except that rt_process_terminate, when it is what
 * ends the run, overrides. rt_run_process clears it. Async-signal-safe: plain stores into one
 * static record, rt_describe_address for the module. */
enum {
    RT_END_NONE = 0,          /* ended by itself (ExitProcess, return from main) */
    RT_END_EXCEPTION,         /* unhandled exception: code, address, module+offset */
    RT_END_UNIMPLEMENTED,     /* called an import ntrun does not implement: dll!function */
    RT_END_TERMINATED,        /* rt_process_terminate (TerminateProcess from the host) */
};
typedef struct rt_end_info {
    int kind;                 /* RT_END_* */
    uint32_t code;            /* exception code (RT_END_EXCEPTION) */
    uintptr_t address;        /* where: the faulting instruction, or for a fault inside a
                                 built-in the program's call of it */
    char module[64];          /* the module holding `address` ("" if none) */
    uintptr_t offset;         /* address - the module's base */
    char function[160];       /* "DLL!function": the unimplemented import, or the built-in
                                 inside which the fault happened ("" if none) */
} rt_end_info;
void rt_note_exception(uint32_t code, uintptr_t address, const char *dll, const char *function);
void rt_note_unimplemented(const char *dll, const char *function);
const rt_end_info *rt_end_info_get(void);
/* rt_end_info_get()->kind, without reading the record (not written by a run that exited) */
int rt_end_kind_get(void);

/* Hooks run by rt_exit_process in reverse order of registration (stdio flush, DLL detach). */
void rt_on_exit(void (*fn)(uint32_t code));
/* The same for a hook that belongs to the system's side of any exit, TerminateProcess on self
 * included (the exit code for a parent, kill-on-close jobs). */
void rt_on_exit_always(void (*fn)(uint32_t code));

/* ---- Syscall User Dispatch ---- */
/* How the program's `syscall`s are caught: Syscall User Dispatch (per thread, armed by
 * rt_thread_init_current), a seccomp filter on the instruction pointer (process-wide and for
 * good: runtime/seccomp.c), or not at all (nothing may run then). */
typedef enum rt_trap { RT_TRAP_NONE, RT_TRAP_SUD, RT_TRAP_SECCOMP } rt_trap;
typedef enum rt_trap_want {
    RT_TRAP_WANT_AUTO,    /* SUD, else the seccomp filter */
    RT_TRAP_WANT_SUD,     /* SUD or nothing */
    RT_TRAP_WANT_SECCOMP, /* the seccomp filter even when SUD works */
    RT_TRAP_WANT_INCLUSIVE, /* SUD in inclusive mode over the foreign range; else as AUTO, said */
} rt_trap_want;
/* After rt_process_init: sets rt_proc.trap. 0, -ENOSYS (SUD wanted and missing) or the
 * seccomp filter's -errno; rt_proc.trap stays as it was then. */
int rt_trap_select(rt_trap_want want);
/* The ntrun command, before rt_process_init: SUD is presumed there (rt_proc.sud_available, trap
 * SUD) without the probe's two prctls; the first thread's arming probes it. A refusal there calls
 * rt_sud_presumption_failed, which chooses as rt_trap_select(RT_TRAP_WANT_AUTO) would (the
 * seccomp filter): 0, or its -errno with rt_proc.trap RT_TRAP_NONE; -EPERM when nothing was
 * presumed. An explicit mode (rt_trap_select's want, not AUTO), rt_sud_inclusive_available and
 * the sud trace probe at once. */
void rt_sud_presume(void);
int rt_sud_presumption_failed(void);
bool rt_sud_arm_current(void);     /* selector ALLOW afterwards; false if the kernel refused */
void rt_sud_disarm_current(void);

/* The foreign range of --sud=inclusive (sud.c): every foreign image, executable allocation and
 * built-in DLL image lies inside it while rt_foreign_confined(). */
#define RT_FOREIGN_START 0x10000ul         /* Windows' lowest user address */
#define RT_FOREIGN_PLACE 0x200000000000ul  /* "anywhere" starts here: 32 TiB, above ASan's shadow */
#define RT_FOREIGN_END 0x400000000000ul    /* 64 TiB: below PIE executables and libraries */
bool rt_foreign_confined(void);    /* inclusive mode in use: foreign code must stay in the range */
/* [start, end) may hold foreign code: inside the range, or any address when not confined. */
bool rt_foreign_range_has(uintptr_t start, uintptr_t end);
/* An anonymous mapping (MAP_PRIVATE | MAP_ANONYMOUS | flags, prot) of len bytes, aligned to align
 * (a power of two) and 64 KiB at least, for foreign memory at no particular address: bottom-up
 * from RT_FOREIGN_PLACE, away from native mappings (sud.c); unconfined, where the kernel likes
 * once that range is full or unusable. MAP_FAILED and errno on failure. */
void *rt_foreign_mmap(size_t len, int prot, int flags, size_t align);
/* The same placement for a private mapping of a file (MAP_PRIVATE | flags; 64 KiB aligned):
 * an image laid out in a file as in memory is then one mmap, with no anonymous reservation
 * replaced under it. */
void *rt_foreign_mmap_file(size_t len, int prot, int flags, int fd, off_t off);
/* The built-in DLLs' images (thunks/builtin.c): bottom-up from RT_BUILTIN_PLACE, 64 KiB
 * aligned, in the 1 GiB of the usual executable base 0x140000000, so that a start's images
 * share page-table pages with the program's (docs/performance.md, issue 12, twenty-fifth
 * pass); as rt_foreign_mmap (or rt_foreign_mmap_file with fd >= 0) once that zone is full or
 * taken. Every start, and the generator of the images' templates, places the same DLLs in the
 * same order at the same addresses, as Windows maps its system DLLs alike in every process. */
#define RT_BUILTIN_PLACE 0x17f000000ul /* below 0x180000000, MSVC's default DLL base */
#define RT_BUILTIN_END 0x180000000ul
void *rt_builtin_mmap(size_t len, int prot, int flags, int fd, off_t off);

/* Set by the NT layer: asked about an access fault (SEGV_ACCERR, any code, selector ALLOW)
 * before it becomes an exception; true when it made the page accessible and the access is to
 * be retried (a SEC_RESERVE view's page another process committed). It must not wait on a
 * lock the interrupted code may hold. */
extern bool (*rt_access_fault_hook)(uintptr_t addr);

/* The NT dispatcher that the SIGSYS handler calls for a `syscall` executed by foreign code.
 * args[0..3] = r10, rdx, r8, r9; args[4..] = the caller's stack from rsp+0x28.
 * Returns the NTSTATUS (zero-extended into rax). Registered by ntemu/. */
typedef uint64_t (*rt_nt_dispatch_fn)(uint32_t number, const uint64_t *stack_args, uint64_t a0,
                                      uint64_t a1, uint64_t a2, uint64_t a3);
void rt_set_nt_dispatcher(rt_nt_dispatch_fn fn);
/* The same call for rewritten `syscall` sites (rewrite.c, rt_asm.S), with no signal: ms_abi
 * so that the crossing saves no more than a Windows call would. */
typedef uint64_t(__attribute__((ms_abi)) *rt_nt_fast_fn)(uint64_t a0, uint64_t a1, uint64_t a2,
                                                         uint64_t a3, const uint64_t *stack_args,
                                                         uint64_t number);
void rt_set_nt_fast_dispatcher(rt_nt_fast_fn fn);

/* ---- rewriting of trapped `syscall` sites (rewrite.c) ----
 * On by default; off: every foreign `syscall` keeps taking the SIGSYS route (for programs that
 * checksum their own code). rt_rewrite_site is the SIGSYS handler's (after the call is served);
 * rt_rewrite_trap_fixup the SIGTRAP handler's (an int3 of a site being written: true when it
 * redirected the thread). The finder gives the function (its .pdata entry) that holds pc, so
 * that instruction boundaries can be proven by decoding from its start. */
void rt_rewrite_enable(bool on);
bool rt_rewrite_enabled(void);
void rt_rewrite_set_function_finder(bool (*fn)(uintptr_t pc, uintptr_t *begin, uintptr_t *end));
void rt_rewrite_site(uintptr_t after);
/* The same for an `int 2e` (the SIGSEGV handler's, after it served the call): only the one of
 * Windows 10/11's stub shape is rewritten; any other stays on the trap path (kept). */
void rt_rewrite_int2e_site(uintptr_t after);
bool rt_rewrite_trap_fixup(void *uctx);
/* Sites rewritten and sites kept on the trap path since the last reset. */
void rt_rewrite_stats(uint64_t *rewritten, uint64_t *kept);
/* Forgets every site and unmaps the trampolines (between libntrun runs). */
void rt_rewrite_reset(void);

/* Installs `handler` for `sig` with raw rt_sigaction and ntrun's own sa_restorer (inside the
 * bypass range). A handler that may run while the selector is BLOCK must not make system calls
 * unless it sets ALLOW first. rt_signals_reinstall() puts ntrun's handlers back. 0 or -errno. */
int rt_install_signal_handler(int sig, void (*handler)(int, siginfo_t *, void *), int flags);
/* Was `sig` ignored (SIG_IGN) by the host when ntrun first replaced its disposition (the action
 * the first rt_install_signal_handler since the last rt_signals_restore saved)? false when ntrun
 * has replaced none: install first, then ask, instead of a query before every install. */
bool rt_signal_host_ignored(int sig);
int rt_signals_reinstall(void);
/* libntrun: puts back, exactly, every disposition ntrun replaced (the host's handlers), and
 * installs ntrun's handlers again for the next run. A signal on a thread without a TEB (a host
 * thread) is always passed on to the host's handler. 0 or -errno. */
void rt_signals_restore(void);
int rt_signals_activate(void);

/* Raw Linux system call from inside the bypass range: never trapped, whatever the selector. */
long rt_raw_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

/* Copy that survives a bad source or destination (SIGSEGV fix-up inside the runtime):
 * 0, or -EFAULT when a byte is not accessible. Async-signal-safe. */
int rt_safe_copy(void *dst, const void *src, size_t n);
/* 0 when the byte at p can be written (tested with a write that changes nothing), else -EFAULT. */
int rt_safe_probe_write(void *p);
/* 0 when v was stored at dst, else -EFAULT. Changes only %rax and the flags (for inline
 * assembly calls from ms_abi code: see rt_asm.S). */
int rt_safe_store8(void *dst, uint64_t v);
/* The vDSO's clock_gettime when its code, decoded with Zydis, provably touches no vector, MMX
 * or x87 register and makes no indirect branch: an ms_abi caller may then call it without
 * saving xmm6-15 (ntemu/time.c). NULL when there is no vDSO, no such symbol, no Zydis, or the
 * code does anything else. Decoded once per process (the first call); thread-safe. */
void *rt_vdso_clock_gettime_plain(void);
/* The check itself, on code in [lo, hi) entered at `entry` (for tests): every path from the
 * entry, through direct branches and calls, stays in [lo, hi), touches no vector/MMX/x87/mask
 * register and has no indirect branch or call. */
bool rt_code_is_plain(const void *entry, const void *lo, const void *hi);

/* ---- read-only pages filled on first access (lazy.c) ----
 * The loader leaves a PE image's DWARF sections PROT_NONE and registers them; the first access
 * to a page (any thread, foreign or native code) fills it from `src` and gives it `prot`.
 * Available once ntrun's fault handler is installed (rt_process_init). */
bool rt_lazy_available(void);
/* [start, start + len) (page-aligned, PROT_NONE already) holds src[0 .. src_len) and zeros;
 * `src` must stay readable until rt_lazy_remove. 0, or -errno (then fill it yourself). */
int rt_lazy_add(void *start, size_t len, const void *src, size_t src_len, int prot);
/* Forgets every range overlapping [start, start + len) (before unmapping it). */
void rt_lazy_remove(void *start, size_t len);
/* Fills the pending pages of [addr, addr + len): before the kernel is given the buffer or the
 * protection changes. Cheap when nothing is registered. */
void rt_lazy_fill(const void *addr, size_t len);
/* From `page` (below `end`): the length of the run of pending pages starting there (*prot =
 * their protection to be), or of the run up to the next pending page (*prot = -1). */
size_t rt_lazy_span(uintptr_t page, uintptr_t end, int *prot);

/* Is `addr` inside foreign code (not in any ELF object of this process)? Async-signal-safe. */
bool rt_addr_is_foreign(uintptr_t addr);

/* The `call *%reg` of the native -> foreign crossing (thunks/thunk_asm.S) and the register
 * holding its target (REG_R12 of ucontext.h): a target that is no address at all faults on
 * the call itself, and the fault handler then completes the call before it raises the
 * program's access violation at the target. */
void rt_set_foreign_call_site(uintptr_t insn, uintptr_t insn_end, int target_reg);

/* The entries every thread's rt_thread.thk_entry holds (RT_THK_ENTRY_*): thunks/ registers
 * them before any thread exists (a constructor); a thread set up already gets them too. */
void rt_set_thread_entries(const void *const entries[RT_THK_NENTRIES]);

/* Crash reports name "module+offset": the loader registers how to find it. */
void rt_set_address_describer(bool (*fn)(uintptr_t addr, const char **name, uintptr_t *offset));
/* ...and "dll!function" for a built-in's export stub: thunks/ registers that, with the return
 * addresses inside its generic thunks (thunk_asm.S) that mark a foreign -> native call on the
 * stack, so a fault inside a built-in can name the call that led there. */
void rt_set_builtin_describer(bool (*fn)(uintptr_t stub, const char **dll, const char **name),
                              uintptr_t f2n_regs_return, uintptr_t f2n_stack_return);

/* ---- tracing ---- */
enum {
    RT_TRACE_LOADER = 1u << 0,
    RT_TRACE_NT     = 1u << 1,
    RT_TRACE_SUD    = 1u << 2,
    RT_TRACE_TIME   = 1u << 3, /* how long each phase of loading and running took */
};
extern uint32_t rt_trace_mask;
#define RT_TRACING(ch) (__builtin_expect(rt_trace_mask & (ch), 0))
/* Parse "loader,nt,sud,time,all". 0, or -EINVAL naming nothing (bad is set to the bad word). */
int rt_trace_parse(const char *spec, const char **bad);
/* One line to stderr, prefixed "ntrun: [channel] ", written with a single write(2).
 * Formats with vsnprintf into a stack buffer: safe on the SIGSYS path because that signal is
 * only ever raised synchronously by foreign code, never inside libc. */
void rt_trace(const char *channel, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A message for people on stderr: "ntrun: <text>\n". */
void rt_message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* libntrun: trace lines and messages go to fn (one whole line with its "\n" per call) instead
 * of fd 2; NULL restores fd 2. fn may be called inside signal handlers. */
void rt_set_message_sink(void (*fn)(void *ctx, const char *line, size_t len), void *ctx);
/* Without a sink, trace lines and messages go to fd (default 2). A CreateProcess child of an
 * ntrun run writes them where its parent does (its own fd 2 is the program's stderr, which
 * the parent program may be reading): child = true also puts "[pid N] " in its trace lines. */
void rt_set_message_fd(int fd, bool child);
/* The fd a child process should write its messages to: the one in use, or -1 when a sink
 * takes them (libntrun's callback or child socket: the child keeps its own fd 2). */
int rt_message_fd_for_children(void);

#endif
