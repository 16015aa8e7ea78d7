/* NT timers (ntemu/timer.c) from plain pthreads: a synchronization timer set a short relative
 * time ahead is signalled no earlier than its due time and reset by the wait it satisfies; the
 * timer thread that fires it asks the kernel for 1 ns of timer slack (/proc/TID/timerslack_ns
 * of the thread named "ntrun-timer"), since with the default 50 us every expiry of a
 * high-resolution timer could be up to 50 us late (ntbench pe.timer.wait). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ntemu/ntemu.h"

#define ST(x) ((uint32_t)(x))

static void setup(void) { cr_assert_eq(rt_process_init(), 0); }
TestSuite(timer, .init = setup);

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The id of this process's thread whose name is `name`, 0 if none (-1 if several). */
static long task_named(const char *name)
{
    DIR *d = opendir("/proc/self/task");
    cr_assert_not_null(d, "opendir /proc/self/task");
    long found = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        char path[300], comm[64] = "";
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        if (fgets(comm, sizeof comm, f))
            comm[strcspn(comm, "\n")] = 0;
        fclose(f);
        if (strcmp(comm, name) == 0)
            found = found ? -1 : atol(e->d_name);
    }
    closedir(d);
    return found;
}

Test(timer, sync_timer_relative_fires_not_before_due_and_resets)
{
    HANDLE t = NULL;
    cr_assert_eq(ST(NtCreateTimer(&t, 0x1f0003, NULL, 1)), ST(STATUS_SUCCESS));
    LARGE_INTEGER due = {.QuadPart = -20000}; /* 2 ms ahead */
    int64_t t0 = mono_ns();
    cr_assert_eq(ST(NtSetTimer(t, &due, NULL, NULL, 0, 0, NULL)), ST(STATUS_SUCCESS));
    NTSTATUS st = NtWaitForSingleObject(t, 0, NULL);
    int64_t waited = mono_ns() - t0;
    cr_assert_eq(ST(st), ST(STATUS_WAIT_0), "wait: %#x", ST(st));
    cr_assert_geq(waited, 2000000, "signalled after %lld ns, before its 2 ms due time",
                  (long long)waited);
    LARGE_INTEGER zero = {.QuadPart = 0};
    st = NtWaitForSingleObject(t, 0, &zero);
    cr_assert_eq(ST(st), ST(STATUS_TIMEOUT), "a synchronization timer stays signalled: %#x",
                 ST(st));
    cr_assert_eq(ST(NtClose(t)), ST(STATUS_SUCCESS));
}

Test(timer, timer_thread_asks_for_no_slack)
{
    HANDLE t = NULL;
    cr_assert_eq(ST(NtCreateTimer(&t, 0x1f0003, NULL, 0)), ST(STATUS_SUCCESS));
    LARGE_INTEGER due = {.QuadPart = -1000}; /* 100 us: starts the timer thread */
    cr_assert_eq(ST(NtSetTimer(t, &due, NULL, NULL, 0, 0, NULL)), ST(STATUS_SUCCESS));
    cr_assert_eq(ST(NtWaitForSingleObject(t, 0, NULL)), ST(STATUS_WAIT_0));
    long tid = task_named("ntrun-timer");
    cr_assert_gt(tid, 0, "threads named ntrun-timer: %s", tid ? "several" : "none");
    char path[64], buf[32] = "";
    snprintf(path, sizeof path, "/proc/%ld/timerslack_ns", tid);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "fopen %s", path);
    cr_assert_not_null(fgets(buf, sizeof buf, f), "read %s", path);
    fclose(f);
    cr_assert_eq(atol(buf), 1, "the timer thread's slack is %ld ns, want 1", atol(buf));
    cr_assert_eq(ST(NtClose(t)), ST(STATUS_SUCCESS));
}
