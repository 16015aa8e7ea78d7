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
 * inherited by clone) and never runs foreign code. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/platform/x86.h>
#include <time.h>
#include <unistd.h>
#include "runtime/kuser.h"
#include "runtime/xstate.h"
#include "runtime/runtime.h"

static KUSER_SHARED_DATA *kuser_rw;
static bool kuser_thread_started;
static bool kuser_start_failed; /* pthread_create refused: no updater in this process */
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

static volatile sig_atomic_t kuser_forked; /* see kuser_atfork_child */

/* An fd the updater watches besides its clock (rt_kuser_watch), and what it then runs. */
static atomic_int kuser_watch_fd = -1;
static void (*_Atomic kuser_watch_fn)(void);

/* Sleeps until `next` (CLOCK_MONOTONIC), running the watch's function if its fd becomes
 * readable first (once: the fd is then no longer watched). */
static void kuser_sleep_until(const struct timespec *next)
{
    for (;;) {
        int fd = atomic_load(&kuser_watch_fd);
        if (fd < 0) {
            while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL) == EINTR)
                ;
            return;
        }
        struct timespec now, rel;
        clock_gettime(CLOCK_MONOTONIC, &now);
        rel.tv_sec = next->tv_sec - now.tv_sec;
        rel.tv_nsec = next->tv_nsec - now.tv_nsec;
        if (rel.tv_nsec < 0) {
            rel.tv_nsec += 1000000000;
            rel.tv_sec--;
        }
        if (rel.tv_sec < 0)
            return;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int n = ppoll(&p, 1, &rel, NULL);
        if (n == 0)
            return;
        if (n < 0 && errno == EINTR)
            continue;
        /* readable, hung up or broken: the watcher's business from here on */
        void (*fn)(void) = atomic_exchange(&kuser_watch_fn, NULL);
        atomic_store(&kuser_watch_fd, -1);
        if (fn)
            fn();
    }
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

bool rt_kuser_watch(int fd, void (*fn)(void))
{
    pthread_mutex_lock(&kuser_lock);
    /* the updater runs, or starts with the run (rt_kuser_start) */
    bool ok = kuser_rw && !kuser_start_failed && !kuser_forked &&
              atomic_load(&kuser_watch_fd) < 0;
    if (ok) {
        atomic_store(&kuser_watch_fn, fn);
        atomic_store(&kuser_watch_fd, fd);
    }
    pthread_mutex_unlock(&kuser_lock);
    return ok;
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
    if (replace) {
        rw = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (rw == MAP_FAILED)
            return -errno;
        memcpy(rw, kuser_rw, 0x1000);
        ro = mremap(rw, 0, 0x1000, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)RT_KUSER_ADDRESS);
        if (ro == MAP_FAILED || mprotect(ro, 0x1000, PROT_READ) != 0) {
            int e = errno;
            munmap(rw, 0x1000);
            return -e;
        }
        munmap(kuser_rw, 0x1000);
        kuser_rw = rw;
        return 0;
    }
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
    rt_progmem_add(ro, 0x1000, RT_MEM_KUSER);
    kuser_rw = rw;
    return 0;
}

int rt_kuser_init(int windows_build)
{
    int ret = 0;
    pthread_mutex_lock(&kuser_lock);
    if (kuser_rw && kuser_forked) {
        kuser_forked = 0;
        if (kuser_map(true) == 0) {
            kuser_thread_started = kuser_start_failed = false;
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
    long pages = sysconf(_SC_PHYS_PAGES);
    long psize = sysconf(_SC_PAGESIZE);
    if (pages > 0 && psize > 0) {
        uint64_t win_pages = (uint64_t)pages * (uint64_t)psize / 0x1000;
        k->NumberOfPhysicalPages = win_pages > UINT32_MAX ? UINT32_MAX : (uint32_t)win_pages;
    }
    k->TestRetInstruction = 0xc3;
    k->QpcFrequency = 10000000; /* NT_QPC_FREQUENCY */
    k->SystemCall = 0; /* 1 once thunks/ has built ntdll's stubs with their fast route */
    k->Cookie = (uint32_t)ts_100ns(CLOCK_MONOTONIC) * 2654435761u;
    /* The PEB's count when it exists (sysconf reads /sys each time). */
    long ncpu = rt_proc.peb ? (long)rt_proc.peb->NumberOfProcessors
                            : sysconf(_SC_NPROCESSORS_ONLN);
    k->ActiveProcessorCount = ncpu > 0 ? (uint32_t)ncpu : 1;
    k->UnparkedProcessorCount = (uint16_t)k->ActiveProcessorCount;
    k->ActiveGroupCount = 1;
    pthread_atfork(NULL, NULL, kuser_atfork_child);
start_thread:
    kuser_set_build(kuser_rw, windows_build);
    rt_kuser_refresh();
    kuser_paused = false;
    /* The updater itself starts with the run (rt_kuser_start): loading makes many mprotect and
     * munmap calls, each a TLB shootdown on every other CPU the process runs on once it has a
     * second thread. */
unlock:
    pthread_mutex_unlock(&kuser_lock);
    return ret;
}

/* Starts the updater (kuser_lock held). A watch set before (rt_kuser_watch) is its first. */
static void kuser_start_thread(void)
{
    pthread_attr_t attr;
    pthread_t th;
    sigset_t all;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    /* A static stack: no mmap and guard-page mprotect on the start-up path. The thread never
     * exits; a forked child starts its own on the same (copied, unused) memory. */
    static uint8_t kuser_stack[64 * 1024] __attribute__((aligned(64)));
    pthread_attr_setstack(&attr, kuser_stack, sizeof kuser_stack);
    sigfillset(&all);
    /* The updater starts with every signal blocked: glibc's pthread_create blocks them around
     * the clone anyway and the new thread sets this mask as its first act, so no block/restore
     * pair of our own in the caller (two system calls of every start). */
    int r = pthread_attr_setsigmask_np(&attr, &all);
    if (r == 0)
        r = pthread_create(&th, &attr, kuser_updater, NULL);
    pthread_attr_destroy(&attr);
    if (r == 0) {
        kuser_thread_started = true;
        return;
    }
    kuser_start_failed = true;
    rt_message("KUSER_SHARED_DATA updater thread: %s (tick count stays still)", strerror(r));
}

void rt_kuser_start(void)
{
    void (*orphan)(void) = NULL;
    pthread_mutex_lock(&kuser_lock);
    if (kuser_rw && !kuser_forked && !kuser_thread_started && !kuser_start_failed) {
        rt_kuser_refresh();
        kuser_start_thread();
        if (!kuser_thread_started && atomic_load(&kuser_watch_fd) >= 0) {
            /* the watch's owner does without the updater: its function runs now */
            orphan = atomic_exchange(&kuser_watch_fn, NULL);
            atomic_store(&kuser_watch_fd, -1);
        }
    }
    pthread_mutex_unlock(&kuser_lock);
    if (orphan)
        orphan();
}

void rt_kuser_pause(void)
{
    pthread_mutex_lock(&kuser_lock);
    kuser_paused = true;
    pthread_mutex_unlock(&kuser_lock);
}
