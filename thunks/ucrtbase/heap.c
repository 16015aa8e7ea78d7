/* SPDX-License-Identifier: MIT */
/* The UCRT's heap entry points: the _*_base functions (malloc and friends without the debug
 * heap's hooks: the same blocks as malloc, from msvcrt's shared heap, thunks/msvcrt/heap.c), and
 * the new handler that operator new consults through _callnewh when an allocation fails. */
#include "thunks/msvcrt/crt.h"
#include "thunks/ucrtbase/ucrtbase_private.h"

static void *WINAPI ucrtbase__malloc_base(size_t n) { return crt_malloc_hot(n); }
THK_EXPORT_AS(ucrtbase, _malloc_base, ucrtbase__malloc_base, 1);

static void *WINAPI ucrtbase__calloc_base(size_t count, size_t n) { return crt_calloc(count, n); }
THK_EXPORT_AS(ucrtbase, _calloc_base, ucrtbase__calloc_base, 2);

static void *WINAPI ucrtbase__realloc_base(void *p, size_t n) { return crt_realloc_hot(p, n); }
THK_EXPORT_AS(ucrtbase, _realloc_base, ucrtbase__realloc_base, 2);

static void WINAPI ucrtbase__free_base(void *p) { crt_free_hot(p); }
THK_EXPORT_AS(ucrtbase, _free_base, ucrtbase__free_base, 1);

/* The process's new handler (_set_new_handler): int handler(size_t). */
static void *ucrt_new_handler;

static void *WINAPI ucrtbase__set_new_handler(void *h)
{
    return __atomic_exchange_n(&ucrt_new_handler, h, __ATOMIC_ACQ_REL);
}
THK_EXPORT_AS(ucrtbase, _set_new_handler, ucrtbase__set_new_handler, 1);

static void *WINAPI ucrtbase__query_new_handler(void)
{
    return __atomic_load_n(&ucrt_new_handler, __ATOMIC_ACQUIRE);
}
THK_EXPORT_AS(ucrtbase, _query_new_handler, ucrtbase__query_new_handler, 0);

/* 1 when a handler ran and asks for another try, 0 when there is none or it gave up. */
static int WINAPI ucrtbase__callnewh(size_t n)
{
    void *h = __atomic_load_n(&ucrt_new_handler, __ATOMIC_ACQUIRE);
    if (!h)
        return 0;
    return (int)thk_call_foreign1(h, n) != 0;
}
THK_EXPORT_AS(ucrtbase, _callnewh, ucrtbase__callnewh, 1);
