/* SPDX-License-Identifier: MIT */
/* Time: the performance counter (CLOCK_MONOTONIC in 100 ns units, NT_QPC_FREQUENCY), the system
 * time (CLOCK_REALTIME as 100 ns since 1601), sleeping and yielding. */
#include <errno.h>
#include <sched.h>
#include "ntemu/ntemu_private.h"

#define NT_TICKS_PER_SEC 10000000LL

static inline int64_t nt_ticks(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * NT_TICKS_PER_SEC + ts->tv_nsec / 100;
}

int64_t nt_time_from_timespec(const struct timespec *ts)
{
    return nt_ticks(ts) + WIN_EPOCH_DIFF_100NS;
}

/* ---- the clocks without the ABI tax ----
 * NtQuerySystemTime and NtQueryPerformanceCounter are ms_abi; a call from them to any SysV
 * function (glibc's clock_gettime, rt_safe_copy) makes GCC save and restore xmm6-15 around it,
 * ~5% of an imported NtQuerySystemTime (docs/performance.md, seventeenth pass). Instead they
 * call the vDSO's clock_gettime and rt_safe_store8 from inline assembly that names what those
 * change: rt_safe_store8 only %rax (rt_asm.S); the vDSO function only what a SysV call may
 * change apart from the vector registers, which runtime/vdso.c proves it leaves alone by
 * decoding it. Until that proof is made, and where it fails, glibc's clock_gettime is called
 * from a cold ms_abi helper (the spill stays there). The proof loads Zydis, so it waits for
 * NT_CLOCK_PROVE_AFTER such calls: a program that reads the clock a few times at start (the
 * mingw CRT's security cookie) never pays for it, one that reads it in a loop soon does. */
#define NT_CLOCK_PROVE_AFTER 4096u
typedef int (*nt_clock_fn)(clockid_t clk, struct timespec *ts);
static nt_clock_fn nt_clock_direct; /* the proven vDSO function (atomic), NULL until then */
static uint32_t nt_clock_slow_calls;

static __attribute__((ms_abi, noinline, cold)) void nt_clock_slow(clockid_t clk,
                                                                 struct timespec *ts)
{
    clock_gettime(clk, ts);
    if (__atomic_add_fetch(&nt_clock_slow_calls, 1, __ATOMIC_RELAXED) >= NT_CLOCK_PROVE_AFTER) {
        nt_clock_fn fn = (nt_clock_fn)rt_vdso_clock_gettime_plain();
        if (fn)
            __atomic_store_n(&nt_clock_direct, fn, __ATOMIC_RELAXED);
        else /* proven unusable (or being proven): count again from zero */
            __atomic_store_n(&nt_clock_slow_calls, 0, __ATOMIC_RELAXED);
    }
}

/* clock_gettime(clk, ts) for the ms_abi handlers below. The call is made on a 16-byte aligned
 * stack 128 bytes below ours (a SysV caller's red zone, should one inline this). */
static inline void nt_clock_read(clockid_t clk, struct timespec *ts)
{
    nt_clock_fn fn = __atomic_load_n(&nt_clock_direct, __ATOMIC_RELAXED);
    if (__builtin_expect(fn == NULL, 0)) {
        nt_clock_slow(clk, ts);
        return;
    }
    register long a0 __asm__("rdi") = clk;
    register struct timespec *a1 __asm__("rsi") = ts;
    __asm__ volatile("mov %%rsp, %%r12\n\t"
                     "sub $128, %%rsp\n\t"
                     "and $-16, %%rsp\n\t"
                     "call *%%rax\n\t"
                     "mov %%r12, %%rsp"
                     : "+a"(fn), "+D"(a0), "+S"(a1)
                     :
                     : "rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "memory", "cc", "xmm0",
                       "xmm1", "xmm2", "xmm3", "xmm4", "xmm5");
}

/* *dst = v for a pointer from foreign code: 0, or -EFAULT (NULL included). */
static inline int nt_put_u64(void *dst, uint64_t v)
{
    if (!dst)
        return -EFAULT;
    int r;
    register void *d __asm__("rdi") = dst;
    register uint64_t val __asm__("rsi") = v;
    __asm__ volatile("sub $128, %%rsp\n\t"
                     "call rt_safe_store8\n\t"
                     "add $128, %%rsp"
                     : "=a"(r)
                     : "D"(d), "S"(val)
                     : "memory", "cc");
    return r;
}

struct timespec nt_timespec_from_time(int64_t t)
{
    int64_t u = t - WIN_EPOCH_DIFF_100NS;
    int64_t sec = u / NT_TICKS_PER_SEC, rem = u % NT_TICKS_PER_SEC;
    if (rem < 0) { /* floor division for times before 1970 */
        sec -= 1;
        rem += NT_TICKS_PER_SEC;
    }
    return (struct timespec){.tv_sec = (time_t)sec, .tv_nsec = (long)(rem * 100)};
}

/* Both without a call to SysV code on their path (see nt_clock_read). */
NTSTATUS NTAPI NtQueryPerformanceCounter(LARGE_INTEGER *counter, LARGE_INTEGER *frequency)
{
    struct timespec ts;
    nt_clock_read(CLOCK_MONOTONIC, &ts);
    if (nt_put_u64(counter, (uint64_t)nt_ticks(&ts)) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (frequency && nt_put_u64(frequency, NT_QPC_FREQUENCY) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtQuerySystemTime(LARGE_INTEGER *time)
{
    struct timespec ts;
    nt_clock_read(CLOCK_REALTIME, &ts);
    if (nt_put_u64(time, (uint64_t)(nt_ticks(&ts) + WIN_EPOCH_DIFF_100NS)) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

/* Negative: relative, in 100 ns units; positive: absolute system time; zero: give up the rest
 * of the time slice. APCs are not emulated, so `alertable` changes nothing. */
NTSTATUS NTAPI NtDelayExecution(BOOLEAN alertable, const LARGE_INTEGER *timeout)
{
    LARGE_INTEGER t;
    struct timespec deadline;
    clockid_t clock;
    if (nt_copy_from_user(&t, timeout, sizeof t) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (alertable)
        return nt_delay_alertable(timeout); /* user APCs end it (sync.c) */
    if (t.QuadPart == 0) {
        sched_yield();
        return STATUS_SUCCESS;
    }
    if (t.QuadPart < 0) {
        uint64_t rel = 0 - (uint64_t)t.QuadPart; /* INT64_MIN (infinite) included */
        clock = CLOCK_MONOTONIC;
        clock_gettime(clock, &deadline);
        deadline.tv_sec += (time_t)(rel / NT_TICKS_PER_SEC);
        deadline.tv_nsec += (long)(rel % NT_TICKS_PER_SEC) * 100;
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000L;
        }
    } else {
        clock = CLOCK_REALTIME;
        deadline = nt_timespec_from_time(t.QuadPart);
        if (deadline.tv_sec < 0)
            return STATUS_SUCCESS; /* long past */
    }
    /* In slices, so that TerminateThread / ExitProcess on another thread is seen. */
    for (;;) {
        struct timespec now, until;
        rt_thread_check_pending();
        clock_gettime(clock, &now);
        if (now.tv_sec > deadline.tv_sec ||
            (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec))
            break;
        until = now;
        until.tv_nsec += RT_WAIT_SLICE_NS;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        if (until.tv_sec > deadline.tv_sec ||
            (until.tv_sec == deadline.tv_sec && until.tv_nsec > deadline.tv_nsec))
            until = deadline;
        clock_nanosleep(clock, TIMER_ABSTIME, &until, NULL);
    }
    return STATUS_SUCCESS;
}

/* Windows returns STATUS_NO_YIELD_PERFORMED when no other thread was ready; Linux does not say,
 * so this always reports that a yield happened. */
NTSTATUS NTAPI NtYieldExecution(void)
{
    sched_yield();
    return STATUS_SUCCESS;
}
