/* SPDX-License-Identifier: MIT */
/* Locks a built-in holds within its own frames, released when an exception or a longjmp
 * leaves those frames. On Windows a system DLL that takes a lock releases it in a __finally
 * (ucrtbase's stream locks) or an equivalent handler, which runs when an exception raised
 * inside the DLL, or in a callback it called, unwinds past its frame. Built-ins are native
 * code without such handlers: each lock a built-in takes for the span of its own call is noted
 * on a per-thread stack with the stack pointer of the frame that took it, and foreign code
 * resuming above that frame (an unwind to a handler further up, a longjmp past it:
 * thunks/ntdll/exception.c) releases it, innermost first, as the unwind passes. A lock a
 * built-in returns holding on purpose (the _lock and _lock_file exports: the program's, as on
 * Windows) is dropped from the stack (thk_held_drop) and stays held.
 *
 * The push and the drop are inline and call nothing: ms_abi hot paths (msvcrt's per-character
 * stream locks) use them. */
#ifndef NTRUN_THUNKS_HELD_LOCKS_H
#define NTRUN_THUNKS_HELD_LOCKS_H

#include <pthread.h>
#include <stdint.h>

typedef struct thk_held {
    void (*release)(void *lock);
    void *lock;
    uintptr_t sp; /* the taking frame's stack pointer: the frame is gone once foreign code
                     runs above it */
} thk_held;

#define THK_HELD_MAX 16
typedef struct thk_held_stack {
    uint32_t n; /* may exceed THK_HELD_MAX: those beyond are counted, not kept */
    thk_held e[THK_HELD_MAX];
} thk_held_stack;
extern __thread thk_held_stack thk_held_locks __attribute__((tls_model("initial-exec")));

/* Notes `lock`, just taken by the calling built-in, with `release` to let go of it. */
static inline __attribute__((always_inline)) void thk_held_push(void (*release)(void *),
                                                                void *lock)
{
    thk_held_stack *h = &thk_held_locks;
    uint32_t n = h->n;
    if (__builtin_expect(n < THK_HELD_MAX, 1)) {
        uintptr_t sp;
        __asm__("mov %%rsp, %0" : "=r"(sp));
        h->e[n].release = release;
        h->e[n].lock = lock;
        h->e[n].sp = sp;
    }
    h->n = n + 1;
}

/* `lock` is released by its taker, or becomes the program's: its innermost note goes (none:
 * nothing happens, a lock the program took through an export). */
static inline __attribute__((always_inline)) void thk_held_drop(void *lock)
{
    thk_held_stack *h = &thk_held_locks;
    uint32_t n = h->n;
    if (__builtin_expect(n && n <= THK_HELD_MAX && h->e[n - 1].lock == lock, 1)) {
        h->n = n - 1;
        return;
    }
    if (n > THK_HELD_MAX) {
        h->n = n - 1;
        return;
    }
    for (uint32_t i = n; i-- > 0;) {
        if (h->e[i].lock == lock) {
            for (uint32_t k = i; k + 1 < n; k++)
                h->e[k] = h->e[k + 1];
            h->n = n - 1;
            return;
        }
    }
}

/* Foreign code is about to run at stack pointer `sp` (or a handler of a frame there, during an
 * unwind): releases the noted locks whose frames lie below it, innermost first. */
void thk_held_release_below(uintptr_t sp);

/* The release of a CRITICAL_SECTION (LeaveCriticalSection), for thk_held_push. */
void thk_held_leave_cs(void *cs);

/* The release of a pthread mutex, for thk_held_push. */
void thk_held_unlock_mutex(void *mutex);

/* A built-in's own pthread mutex (kernel32's environment lock, ...) taken and released with the
 * note: a fault while it is held (a bad output buffer the program passed) that the program
 * catches releases it. */
static inline __attribute__((always_inline)) void thk_held_mutex_lock(pthread_mutex_t *m)
{
    pthread_mutex_lock(m);
    thk_held_push(thk_held_unlock_mutex, m);
}

static inline __attribute__((always_inline)) void thk_held_mutex_unlock(pthread_mutex_t *m)
{
    thk_held_drop(m);
    pthread_mutex_unlock(m);
}

#endif
