/* SPDX-License-Identifier: MIT */
/* Time: the performance counter (CLOCK_MONOTONIC in 100 ns units, NT_QPC_FREQUENCY), the system
 * time (CLOCK_REALTIME as 100 ns since 1601), sleeping and yielding. */
#include <errno.h>
#include <sched.h>
#include "ntemu/ntemu_private.h"

int64_t nt_time_from_timespec(const struct timespec *ts)
{
    return nt_ticks(ts) + WIN_EPOCH_DIFF_100NS;
}

/* ---- the clocks without the ABI tax (the inline half is in ntemu_private.h) ----
 * The proof that the vDSO's clock_gettime keeps xmm6-15 loads Zydis, so it waits for
 * NT_CLOCK_PROVE_AFTER calls through glibc: a program that reads the clock a few times at start
 * (the mingw CRT's security cookie) never pays for it, one that reads it in a loop soon does. */
#define NT_CLOCK_PROVE_AFTER 4096u
__attribute__((visibility("hidden"))) nt_clock_fn nt_clock_direct;
static uint32_t nt_clock_slow_calls;

__attribute__((ms_abi, noinline, cold, visibility("hidden"))) void nt_clock_slow(clockid_t clk, struct timespec *ts)
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

/* The import route's raw entries (syscall.c) inline the same bodies. */
NTSTATUS NTAPI NtQueryPerformanceCounter(LARGE_INTEGER *counter, LARGE_INTEGER *frequency)
{
    return nt_query_performance_counter(counter, frequency);
}

NTSTATUS NTAPI NtQuerySystemTime(LARGE_INTEGER *time)
{
    return nt_query_system_time(time);
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
