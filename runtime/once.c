/* SPDX-License-Identifier: MIT */
/* rt_once (runtime/runtime.h): the first caller runs the function; a caller that finds it
 * running waits on the word (FUTEX_WAIT) and is woken when it ends, the only FUTEX_WAKE. */
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "runtime/runtime.h"

void rt_once_slow(rt_once_t *o, void (*fn)(void))
{
    uint32_t s = 0;
    if (__atomic_compare_exchange_n(&o->state, &s, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)) {
        fn();
        if (__atomic_exchange_n(&o->state, 3, __ATOMIC_RELEASE) == 2)
            syscall(SYS_futex, &o->state, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
        return;
    }
    while (s != 3) {
        if (s == 1 && !__atomic_compare_exchange_n(&o->state, &s, 2, false, __ATOMIC_ACQUIRE,
                                                   __ATOMIC_ACQUIRE))
            continue; /* s reloaded: done meanwhile, or already 2 */
        if (s != 3)
            syscall(SYS_futex, &o->state, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
        s = __atomic_load_n(&o->state, __ATOMIC_ACQUIRE);
    }
}
