/* SPDX-License-Identifier: MIT */
/* KUSER_SHARED_DATA at 0x7FFE0000: a shared page mapped twice, read-only at the Windows address
 * for foreign code and read-write elsewhere for the runtime, and a small native updater thread
 * that keeps the tick count, interrupt time and system time current.
 *
 * Why a thread and not a refresh on every NT call: programs (and Windows' own GetTickCount,
 * which ntrun does not use) read these fields in loops without making any call at all, e.g.
 * spinning until TickCount advances; only an independent writer makes that terminate. The
 * updater wakes once per Windows clock tick (15.625 ms, 64 Hz, the same granularity Windows
 * gives the fields) and does three clock_gettime (vDSO) and a few stores: 64 wake-ups a second
 * and nothing at all on the NT call path. Measured with /proc/PID/task/TID/schedstat while a
 * program slept: 161 wake-ups and 3.6 ms of CPU in 2.5 s, about 0.15% of one core, scheduling
 * included. It is a plain pthread with every signal blocked, never arms SUD (SUD is not
 * inherited by clone) and never runs foreign code.
 *
 * Started only when the program reads the page. Most programs never do (the built-ins read the
 * clocks themselves), and creating a thread is a sizeable part of a start (clone3, glibc's
 * first-thread set-up, its stack's faults). Once the fault handler is installed, the Windows
 * view is mapped PROT_NONE: the first read of it, by foreign code or by a built-in handed a
 * pointer into it, faults; rt_kuser_fault refreshes the times, makes the view readable and
 * starts the updater (from the handler when rt_signal_may_start_thread allows it, else at the
 * next wait point, defer.c). The reader therefore sees the current time from its first read on,
 * and a loop waiting for TickCount to move ends as before.
 *
 * The shared page itself is made at that first read too (docs/performance.md, twenty-third
 * pass): a shared anonymous mapping is a shmem file of its own, and its mmap, mremap, mprotect
 * and populate were ~3.4% of `ntrun hello.exe`'s samples. Until then the Windows address holds a
 * private PROT_NONE reservation (one mmap: nothing else may map there, and a read faults as
 * before) and the runtime writes the fields into kuser_boot, a static copy; kuser_share then
 * makes the two views, copies the fields and moves the read-only view over the reservation. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/mman.h>
#include <sys/platform/x86.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>
#include "runtime/kuser.h"
#include "runtime/xstate.h"
#include "runtime/defer.h"
#include "runtime/runtime_private.h"

static KUSER_SHARED_DATA *kuser_rw;
/* The fields until the program first reads the page (kuser_share); kuser_rw points here then. */
static KUSER_SHARED_DATA kuser_boot;
/* kuser_boot -> the shared page: 0 not made, 1 being made (by one faulting thread; others wait),
 * 2 made, 3 refused (the read is reported as the access violation it then is). */
static atomic_int kuser_share_state;
/* The updater: 0 not started, 1 started (or starting), 2 pthread_create refused (no updater in
 * this process). Changed with atomics: signal handlers start it (rt_kuser_fault). */
static atomic_int kuser_thread_state;
/* The Windows view: 1 while PROT_NONE (no read yet, see above), 0 readable. */
static atomic_int kuser_view_hidden;
/* Between rt_kuser_start and rt_kuser_pause: the updater may start. */
static atomic_bool kuser_run;
static pthread_mutex_t kuser_lock = PTHREAD_MUTEX_INITIALIZER;
/* Between libntrun runs no foreign code reads the page: the updater sleeps on kuser_wake
 * instead of waking 64 times a second in the host. */
static bool kuser_paused;
static pthread_cond_t kuser_wake = PTHREAD_COND_INITIALIZER;

#define KUSER_UNIX_EPOCH_100NS 116444736000000000ull /* 1601-01-01 -> 1970-01-01 */

KUSER_SHARED_DATA *rt_kuser_rw(void) { return kuser_rw; }

static uint64_t ts_100ns(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (uint64_t)ts.tv_sec * 10000000u + (uint64_t)ts.tv_nsec / 100u;
}

/* The KSYSTEM_TIME writer protocol: High2Time, LowPart, High1Time, in that order. */
static void kst_store(volatile KSYSTEM_TIME *t, uint64_t v)
{
    t->High2Time = (int32_t)(v >> 32);
    atomic_signal_fence(memory_order_release);
    t->LowPart = (uint32_t)v;
    atomic_signal_fence(memory_order_release);
    t->High1Time = (int32_t)(v >> 32);
}

/* Single writer: the updater thread (and rt_kuser_init before that thread exists).
 * Async-signal-safe: clock_gettime and plain stores. */
void rt_kuser_refresh(void)
{
    KUSER_SHARED_DATA *k = kuser_rw;
    if (!k)
        return;
    uint64_t boot = ts_100ns(CLOCK_BOOTTIME);
    uint64_t now = ts_100ns(CLOCK_REALTIME) + KUSER_UNIX_EPOCH_100NS;
    uint64_t ticks = boot / RT_KUSER_TICK_100NS;
    kst_store(&k->InterruptTime, boot);
    kst_store(&k->SystemTime, now);
    kst_store(&k->TickCount, ticks);
    k->TickCountLowDeprecated = (uint32_t)ticks;
}

/* NumberOfPhysicalPages from sysinfo, as sysconf(_SC_PHYS_PAGES) counts them, in Windows' 4 KB
 * pages. Filled when the page is first shown or the field first asked for, not at every start
 * (one system call: most programs never read it). Async-signal-safe: a raw sysinfo and a store;
 * two threads at once store the same value. */
static void kuser_fill_phys_pages(KUSER_SHARED_DATA *k)
{
    struct sysinfo si;
    if (__atomic_load_n(&k->NumberOfPhysicalPages, __ATOMIC_RELAXED) ||
        rt_raw_syscall6(SYS_sysinfo, (long)&si, 0, 0, 0, 0, 0) != 0)
        return;
    uint64_t win_pages = (uint64_t)si.totalram * (si.mem_unit ? si.mem_unit : 1) / 0x1000;
    __atomic_store_n(&k->NumberOfPhysicalPages,
                     win_pages > UINT32_MAX ? UINT32_MAX : (uint32_t)win_pages, __ATOMIC_RELAXED);
}

uint32_t rt_kuser_phys_pages(void)
{
    KUSER_SHARED_DATA *k = kuser_rw;
    if (!k)
        return 0;
    kuser_fill_phys_pages(k);
    return k->NumberOfPhysicalPages;
}

static volatile sig_atomic_t kuser_forked; /* see kuser_atfork_child */

static void kuser_sleep_until(const struct timespec *next)
{
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL) == EINTR)
        ;
}

static void *kuser_updater(void *arg)
{
    (void)arg;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (;;) {
        next.tv_nsec += RT_KUSER_TICK_100NS * 100;
        if (next.tv_nsec >= 1000000000) {
            next.tv_nsec -= 1000000000;
            next.tv_sec++;
        }
        kuser_sleep_until(&next);
        pthread_mutex_lock(&kuser_lock);
        if (kuser_paused) {
            while (kuser_paused)
                pthread_cond_wait(&kuser_wake, &kuser_lock);
            clock_gettime(CLOCK_MONOTONIC, &next); /* a new run: tick from now */
        }
        pthread_mutex_unlock(&kuser_lock);
        rt_kuser_refresh();
    }
    return NULL;
}

/* CPU_FEATURE_ACTIVE reads the feature bits glibc's loader already collected: no `cpuid` at
 * start-up. (__builtin_cpu_supports linked libgcc's constructor, which executes a dozen cpuid
 * instructions in every process; each is a VM exit here, ~0.06 ms of `ntrun hello.exe`.) */
static void kuser_fill_cpu_features(KUSER_SHARED_DATA *k)
{
    /* PF_* indices from winnt.h */
    k->ProcessorFeatures[2] = 1;  /* PF_COMPARE_EXCHANGE_DOUBLE */
    k->ProcessorFeatures[3] = 1;  /* PF_MMX_INSTRUCTIONS_AVAILABLE */
    k->ProcessorFeatures[6] = 1;  /* PF_XMMI_INSTRUCTIONS_AVAILABLE (SSE) */
    k->ProcessorFeatures[8] = 1;  /* PF_RDTSC_INSTRUCTION_AVAILABLE */
    k->ProcessorFeatures[10] = 1; /* PF_XMMI64_INSTRUCTIONS_AVAILABLE (SSE2) */
    k->ProcessorFeatures[12] = 1; /* PF_NX_ENABLED */
    k->ProcessorFeatures[13] = CPU_FEATURE_ACTIVE(SSE3) ? 1 : 0;
    k->ProcessorFeatures[14] = 1; /* PF_COMPARE_EXCHANGE128 */
    k->ProcessorFeatures[23] = 1; /* PF_FASTFAIL_AVAILABLE */
    k->ProcessorFeatures[36] = CPU_FEATURE_ACTIVE(SSSE3) ? 1 : 0;
    k->ProcessorFeatures[37] = CPU_FEATURE_ACTIVE(SSE4_1) ? 1 : 0;
    k->ProcessorFeatures[38] = CPU_FEATURE_ACTIVE(SSE4_2) ? 1 : 0;
    k->ProcessorFeatures[39] = CPU_FEATURE_ACTIVE(AVX) ? 1 : 0;
    k->ProcessorFeatures[40] = CPU_FEATURE_ACTIVE(AVX2) ? 1 : 0;
    k->ProcessorFeatures[41] = CPU_FEATURE_ACTIVE(AVX512F) ? 1 : 0;
}

static void kuser_set_build(KUSER_SHARED_DATA *k, int windows_build)
{
    k->NtMajorVersion = 10;
    k->NtMinorVersion = 0;
    k->NtBuildNumber = windows_build == 11 ? 26100 : 19045;
}

/* After fork() the child shares the page with its parent (MAP_SHARED) but has no
 * updater thread: the atfork handler only notes it (it runs where only async-signal-safe
 * calls are allowed); the child's next rt_kuser_init gives it a page and an updater of its own,
 * so a child run with another --windows-build does not change the parent's page. */
static volatile sig_atomic_t kuser_forked;
static void kuser_atfork_child(void) { kuser_forked = 1; }

/* Maps the page: fresh (0x7FFE0000 must be free) or, with `replace`, over the inherited one,
 * copying its contents. One shared anonymous page seen twice: mremap with an old size of 0
 * makes a second mapping of the same pages (a shared mapping only), so no memfd to create,
 * size and close (3 system calls where the memfd took 5). */
static int kuser_map(bool replace)
{
    void *ro, *rw;
    /* Hidden until read when the fault handler can show it (rt_kuser_fault). */
    bool hide = rt_fault_handler_installed();
    if (replace && kuser_rw == &kuser_boot) /* not shared yet: the child's copy is its own */
        return 0;
    if (!replace && hide) {
        /* The reservation; the page is made at the first read (kuser_share). */
        ro = mmap((void *)RT_KUSER_ADDRESS, 0x1000, PROT_NONE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
        if (ro == MAP_FAILED || ro != (void *)RT_KUSER_ADDRESS) {
            if (ro != MAP_FAILED)
                munmap(ro, 0x1000); /* an old kernel ignored the hint */
            return ro == MAP_FAILED ? -errno : -EEXIST;
        }
        rt_progmem_add(ro, 0x1000, RT_MEM_KUSER);
        kuser_rw = &kuser_boot;
        atomic_store(&kuser_view_hidden, 1);
        return 0;
    }
    if (replace) {
        rw = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (rw == MAP_FAILED)
            return -errno;
        memcpy(rw, kuser_rw, 0x1000);
        kuser_fill_phys_pages(rw); /* readable at once (below): the parent may not have asked */
        ro = mremap(rw, 0, 0x1000, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)RT_KUSER_ADDRESS);
        if (ro == MAP_FAILED || mprotect(ro, 0x1000, PROT_READ) != 0) {
            int e = errno;
            munmap(rw, 0x1000);
            return -e;
        }
        munmap(kuser_rw, 0x1000);
        kuser_rw = rw;
        atomic_store(&kuser_view_hidden, 0);
        return 0;
    }
    /* No fault handler to show the page on its first read: made readable now. */
    ro = mmap((void *)RT_KUSER_ADDRESS, 0x1000, PROT_READ,
              MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (ro == MAP_FAILED || ro != (void *)RT_KUSER_ADDRESS) {
        if (ro != MAP_FAILED)
            munmap(ro, 0x1000); /* an old kernel ignored the hint */
        return ro == MAP_FAILED ? -errno : -EEXIST;
    }
    rw = mremap(ro, 0, 0x1000, MREMAP_MAYMOVE);
    if (rw == MAP_FAILED || mprotect(rw, 0x1000, PROT_READ | PROT_WRITE) != 0) {
        int e = errno;
        if (rw != MAP_FAILED)
            munmap(rw, 0x1000);
        munmap(ro, 0x1000);
        return -e;
    }
    /* written next (rt_kuser_init): present at once, not a fault (best effort, >= 5.14) */
    madvise(rw, 0x1000, MADV_POPULATE_WRITE);
    rt_progmem_add(ro, 0x1000, RT_MEM_KUSER);
    kuser_rw = rw;
    atomic_store(&kuser_share_state, 2);
    atomic_store(&kuser_view_hidden, 0);
    return 0;
}

int rt_kuser_init(int windows_build)
{
    int ret = 0;
    pthread_mutex_lock(&kuser_lock);
    if (kuser_rw && kuser_forked) {
        kuser_forked = 0;
        if (kuser_map(true) == 0) {
            atomic_store(&kuser_thread_state, 0);
            goto start_thread;
        }
    }
    if (kuser_rw) {
        kuser_set_build(kuser_rw, windows_build);
        rt_kuser_refresh();
        kuser_paused = false;
        pthread_cond_signal(&kuser_wake);
        goto unlock;
    }
    ret = kuser_map(false);
    if (ret < 0) {
        rt_message("KUSER_SHARED_DATA cannot be mapped at %#lx (%s): programs that read it "
                   "directly, and calls into ntdll's syscall stubs, will fault",
                   RT_KUSER_ADDRESS, strerror(-ret));
        goto unlock;
    }
    KUSER_SHARED_DATA *k = kuser_rw;
    k->TickCountMultiplier = RT_KUSER_TICK_MULTIPLIER;
    k->ImageNumberLow = k->ImageNumberHigh = 0x8664;
    static const char root[] = "C:\\Windows";
    for (size_t i = 0; i < sizeof root; i++)
        k->NtSystemRoot[i] = (WCHAR)root[i];
    k->MaxStackTraceDepth = 0;
    k->CryptoExponent = 0x10001;
    k->LargePageMinimum = 0x200000;
    kuser_set_build(k, windows_build);
    k->NtProductType = 1; /* NtProductWinNt */
    k->ProductTypeIsValid = 1;
    k->NativeProcessorArchitecture = 9; /* PROCESSOR_ARCHITECTURE_AMD64 */
    kuser_fill_cpu_features(k);
    memcpy(k->XState_and_rest, rt_xstate_config(), sizeof(XSTATE_CONFIGURATION));
    k->SuiteMask = 0x110; /* VER_SUITE_SINGLEUSERTS | VER_SUITE_TERMINAL (a workstation) */
    k->ActiveConsoleId = 1;
    /* NumberOfPhysicalPages: when the page is shown (kuser_show), or now if it is readable */
    if (!atomic_load(&kuser_view_hidden))
        kuser_fill_phys_pages(k);
    k->TestRetInstruction = 0xc3;
    k->QpcFrequency = 10000000; /* NT_QPC_FREQUENCY */
    k->SystemCall = 0; /* 1 once thunks/ has built ntdll's stubs with their fast route */
    k->Cookie = (uint32_t)ts_100ns(CLOCK_MONOTONIC) * 2654435761u;
    /* The PEB's count when it exists (the online file is read each time). */
    long ncpu = rt_proc.peb ? (long)rt_proc.peb->NumberOfProcessors : rt_cpus_online();
    k->ActiveProcessorCount = ncpu > 0 ? (uint32_t)ncpu : 1;
    k->UnparkedProcessorCount = (uint16_t)k->ActiveProcessorCount;
    k->ActiveGroupCount = 1;
    pthread_atfork(NULL, NULL, kuser_atfork_child);
start_thread:
    kuser_set_build(kuser_rw, windows_build);
    rt_kuser_refresh();
    kuser_paused = false;
    /* The updater starts at the program's first read of the page (rt_kuser_fault), or with the
     * run when the page is readable from the start (rt_kuser_start); never during the load,
     * whose mprotect and munmap calls would each be a TLB shootdown on every other CPU the
     * process runs on once it has a second thread. */
unlock:
    pthread_mutex_unlock(&kuser_lock);
    return ret;
}

/* Starts the updater, once. Called from ordinary code, from the fault handler and from
 * rt_defer_run, so no lock: the state's compare-and-swap picks the one caller that creates it.
 * In a handler only where rt_signal_may_start_thread allowed it. */
static void kuser_start_thread(void)
{
    if (!kuser_rw || kuser_forked)
        return;
    int expected = 0;
    if (!atomic_compare_exchange_strong(&kuser_thread_state, &expected, 1))
        return;
    pthread_attr_t attr;
    pthread_t th;
    sigset_t all;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    /* A static stack: no mmap and guard-page mprotect. The thread never exits; a forked child
     * starts its own on the same (copied, unused) memory. */
    static uint8_t kuser_stack[64 * 1024] __attribute__((aligned(64)));
    pthread_attr_setstack(&attr, kuser_stack, sizeof kuser_stack);
    sigfillset(&all);
    /* The updater starts with every signal blocked: glibc's pthread_create blocks them around
     * the clone anyway and the new thread sets this mask as its first act, so no block/restore
     * pair of our own in the caller. */
    int r = pthread_attr_setsigmask_np(&attr, &all);
    if (r == 0)
        r = pthread_create(&th, &attr, kuser_updater, NULL);
    pthread_attr_destroy(&attr);
    if (r == 0)
        return;
    atomic_store(&kuser_thread_state, 2);
    rt_message("KUSER_SHARED_DATA updater thread: error %d (tick count stays still)", r);
}

void rt_kuser_start(void)
{
    rt_defer_set(RT_DEFER_KUSER, kuser_start_thread);
    atomic_store(&kuser_run, true);
    /* Readable already (no fault handler, or read before the run): the updater starts now. */
    if (kuser_rw && !atomic_load(&kuser_view_hidden) &&
        atomic_load(&kuser_thread_state) == 0) {
        rt_kuser_refresh();
        kuser_start_thread();
    }
}

/* The SIGSEGV handler's question for an access fault at addr (selector ALLOW, the interrupted
 * selector in saved_selector). Async-signal-safe: the clock reads and stores of
 * rt_kuser_refresh, one raw mprotect, and pthread_create only where the interrupted code holds
 * none of glibc's locks. Two threads faulting at once both make it readable (idempotent); the
 * refresh before that is the only one without the updater, so the single-writer protocol of the
 * KSYSTEM_TIMEs holds but for that instant, where both write the same clocks. */
/* Makes the shared page from kuser_boot, once: a read-only view (not yet at the Windows
 * address), its writable twin (mremap with an old size of 0: a second mapping of the same
 * shmem page), the fields copied there, then the read-only view moved over the reservation in
 * one step, so a reader never sees a half-made or writable page. Async-signal-safe (raw system
 * calls, a copy, atomics); a thread that faults while another makes it waits for it. */
static bool kuser_share(void)
{
    int st = atomic_load(&kuser_share_state);
    if (kuser_rw != &kuser_boot && st != 1)
        return true; /* mapped at start (no fault handler then) or made already */
    int expected = 0;
    if (!atomic_compare_exchange_strong(&kuser_share_state, &expected, 1)) {
        while ((st = atomic_load(&kuser_share_state)) == 1)
            rt_raw_syscall6(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
        return st == 2;
    }
    /* user addresses are positive as longs; a refusal is -errno */
    long ro = rt_raw_syscall6(SYS_mmap, 0, 0x1000, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    long rw = ro < 0 ? ro : rt_raw_syscall6(SYS_mremap, ro, 0, 0x1000, MREMAP_MAYMOVE, 0, 0);
    if (rw >= 0) {
        if (rt_raw_syscall6(SYS_mprotect, rw, 0x1000, PROT_READ | PROT_WRITE, 0, 0, 0) == 0) {
            memcpy((void *)rw, &kuser_boot, sizeof kuser_boot);
            if (rt_raw_syscall6(SYS_mremap, ro, 0x1000, 0x1000, MREMAP_MAYMOVE | MREMAP_FIXED,
                                (long)RT_KUSER_ADDRESS, 0) == (long)RT_KUSER_ADDRESS) {
                __atomic_store_n(&kuser_rw, (KUSER_SHARED_DATA *)rw, __ATOMIC_RELEASE);
                atomic_store(&kuser_share_state, 2);
                return true;
            }
        }
        rt_raw_syscall6(SYS_munmap, rw, 0x1000, 0, 0, 0, 0);
    }
    if (ro >= 0)
        rt_raw_syscall6(SYS_munmap, ro, 0x1000, 0, 0, 0, 0);
    atomic_store(&kuser_share_state, 3);
    return false;
}

static bool kuser_show(const void *uctx, uint8_t saved_selector)
{
    /* readable once made: the view moved to the Windows address is the read-only one */
    if (!kuser_share())
        return false; /* reported as the access violation it then is */
    rt_kuser_refresh();
    kuser_fill_phys_pages(kuser_rw);
    atomic_store(&kuser_view_hidden, 0);
    if (atomic_load(&kuser_run) && atomic_load(&kuser_thread_state) == 0) {
        if (!uctx || rt_signal_may_start_thread(uctx, saved_selector))
            kuser_start_thread();
        else {
            rt_defer_request(RT_DEFER_KUSER);
            rt_defer_retry(RT_DEFER_RETRY_NS);
        }
    }
    return true;
}

bool rt_kuser_fault(uintptr_t addr, const void *uctx, uint8_t saved_selector)
{
    if (addr - RT_KUSER_ADDRESS >= 0x1000 || !kuser_rw)
        return false;
    if (atomic_load(&kuser_view_hidden))
        return kuser_show(uctx, saved_selector);
    /* Shown already: by another thread that faulted on the hidden page at the same time, whose
     * handler made it readable between this thread's fault and this handler (several threads
     * entering ntdll's stubs at once read 0x7FFE0308 together: pe.go_sched_pattern died of an
     * access violation there about once in 20 runs under load). A read is tried again (the
     * mprotect is idempotent, so a read can never fault twice here); a write is the program's
     * access violation, as the page is read-only on Windows. */
    const ucontext_t *uc = uctx;
    if (uc && (uc->uc_mcontext.gregs[REG_ERR] & 2))
        return false;
    return rt_raw_syscall6(SYS_mprotect, (long)RT_KUSER_ADDRESS, 0x1000, PROT_READ, 0, 0, 0) == 0;
}

void rt_kuser_show(void)
{
    if (atomic_load(&kuser_view_hidden))
        kuser_show(NULL, RT_SEL_ALLOW);
}

void rt_kuser_pause(void)
{
    atomic_store(&kuser_run, false);
    rt_defer_retry_cancel();
    pthread_mutex_lock(&kuser_lock);
    kuser_paused = true;
    pthread_mutex_unlock(&kuser_lock);
}
