/* SPDX-License-Identifier: MIT */
/* Time: the performance counter (CLOCK_MONOTONIC in 100 ns units, NT_QPC_FREQUENCY), the system
 * time (CLOCK_REALTIME as 100 ns since 1601), sleeping and yielding. */
#include <errno.h>
#include <sched.h>
#include "ntemu/ntemu_private.h"

#define NT_TICKS_PER_SEC 10000000LL

int64_t nt_time_from_timespec(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * NT_TICKS_PER_SEC + ts->tv_nsec / 100 + WIN_EPOCH_DIFF_100NS;
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

NTSTATUS NTAPI NtQueryPerformanceCounter(LARGE_INTEGER *counter, LARGE_INTEGER *frequency)
{
    struct timespec ts;
    LARGE_INTEGER c, f = {.QuadPart = NT_QPC_FREQUENCY};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    c.QuadPart = (int64_t)ts.tv_sec * NT_TICKS_PER_SEC + ts.tv_nsec / 100;
    if (nt_copy_to_user(counter, &c, sizeof c) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (frequency && nt_copy_to_user(frequency, &f, sizeof f) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtQuerySystemTime(LARGE_INTEGER *time)
{
    struct timespec ts;
    LARGE_INTEGER t;
    clock_gettime(CLOCK_REALTIME, &ts);
    t.QuadPart = nt_time_from_timespec(&ts);
    if (nt_copy_to_user(time, &t, sizeof t) != 0)
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
