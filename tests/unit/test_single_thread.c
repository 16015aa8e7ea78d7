/* The single-thread fast-path protocol (runtime/runtime.h, rt_single_*): a thread counting in
 * unlocked regions while it is the only one, and another thread that switches the process to
 * multi-threaded (rt_single_go_multi, as the console-control dispatcher does) and then counts
 * under the lock, lose no count across the switch; once switched, rt_single_enter refuses. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <sched.h>
#include "runtime/runtime.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile long counter;
static volatile int stop;

/* One step of a fast path: an unlocked increment while alone, else under the lock. */
static void count_once(void)
{
    if (rt_single_enter()) {
        long v = counter;
        __atomic_signal_fence(__ATOMIC_SEQ_CST);
        counter = v + 1;
        rt_single_leave();
        return;
    }
    pthread_mutex_lock(&lock);
    counter++;
    pthread_mutex_unlock(&lock);
}

static void *switcher(void *arg)
{
    long spins = (long)arg;
    for (volatile long i = 0; i < spins; i++)
        ;
    rt_single_go_multi();
    for (int i = 0; i < 20000; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    __atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
    return NULL;
}

Test(single_thread, switch_while_counting_loses_nothing)
{
    for (int round = 0; round < 50; round++) {
        rt_single.multi = 0; /* a test-only reset: the process never goes back */
        rt_single.busy = 0;
        counter = 0;
        stop = 0;
        long mine = 0;
        pthread_t t;
        cr_assert_eq(pthread_create(&t, NULL, switcher, (void *)(long)(round * 2000)), 0);
        while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
            count_once();
            mine++;
        }
        pthread_join(t, NULL);
        cr_assert_eq(counter, mine + 20000, "round %d: counter %ld, expected %ld", round,
                     counter, mine + 20000);
        cr_assert(rt_single.multi, "round %d: still single-threaded", round);
        cr_assert(!rt_single_enter(), "round %d: fast path allowed after the switch", round);
        cr_assert_eq(rt_single.busy, 0, "round %d: busy %d", round, rt_single.busy);
    }
}

Test(single_thread, enter_leave_alone_allows_fast_path)
{
    rt_single.multi = 0;
    rt_single.busy = 0;
    cr_assert(rt_single_enter());
    cr_assert_eq(rt_single.busy, 1, "busy %d inside the region", rt_single.busy);
    rt_single_leave();
    cr_assert_eq(rt_single.busy, 0, "busy %d after the region", rt_single.busy);
}
