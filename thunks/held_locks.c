/* SPDX-License-Identifier: MIT */
/* The per-thread stack of locks built-ins hold within their own frames (see held_locks.h). */
#include "runtime/runtime.h"
#include "runtime/win.h"
#include "thunks/held_locks.h"

__thread thk_held_stack thk_held_locks __attribute__((tls_model("initial-exec")));

void WINAPI LeaveCriticalSection(CRITICAL_SECTION *cs);

void thk_held_leave_cs(void *cs) { LeaveCriticalSection(cs); }

void thk_held_unlock_mutex(void *mutex) { pthread_mutex_unlock(mutex); }

void thk_held_release_below(uintptr_t sp)
{
    thk_held_stack *h = &thk_held_locks;
    while (h->n) {
        uint32_t top = h->n - 1;
        if (top >= THK_HELD_MAX)
            break; /* more than were kept: where their frames are is not known */
        thk_held e = h->e[top];
        if (rt_stack_key(e.sp) >= rt_stack_key(sp))
            break;
        h->n = top; /* off the stack first: the release may take other locks */
        e.release(e.lock);
    }
}
