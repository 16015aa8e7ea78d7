/* SPDX-License-Identifier: MIT */
/* The msvcrt heap: malloc/calloc/realloc/free/_msize/_expand/_recalloc, the _aligned_*
 * family, operator new/delete, and the _heap* queries. As on Windows (msvcrt's _crtheap and
 * the UCRT's heap are the process heap) every block is a block of the process heap
 * (thunks/ntdll/heap.c): the program's memory, not the runtime's, so HeapSize(GetProcessHeap())
 * of a malloc'd block is its _msize, and an overflow damages only the program's heap.
 * malloc(0) returns a unique block of size 0; realloc(p, 0) frees p and returns NULL, as
 * msvcrt does. Failures set errno to ENOMEM. free or realloc of a pointer that is not a live
 * block is heap corruption: the process ends with STATUS_HEAP_CORRUPTION, as Windows ends it. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/msvcrt/msvcrt_lib.h"
#include "thunks/ntdll/heap.h"

#define CRT_HEAP_MAXREQ 0xFFFFFFFFFFFFFFE0ull

/* Nothing to do at the end of a run: the process heap goes with the others (hp_reset_all). */
void crt_heap_reset(void) {}

/* errno for an allocation that failed, out of the exports' way, in their ABI. */
static __attribute__((ms_abi, noinline, cold)) void crt_enomem(void) { crt_set_errno(CRT_ENOMEM); }
static __attribute__((ms_abi, noinline, cold, noreturn)) void crt_bad_free(void *p)
{
    hp_corruption(p, "free of a pointer that is not a live heap block");
}

/* malloc and free: ms_abi through to the heap's lookaside (hp_crt_alloc/hp_crt_free), so
 * the exports' common case makes no ms_abi -> SysV call (no xmm6-15 spill). */
CRT_HOT void *crt_malloc_hot(size_t n)
{
    void *p = hp_crt_alloc(n);
    if (__builtin_expect(!p, 0))
        crt_enomem();
    return p;
}

CRT_HOT void crt_free_hot(void *p)
{
    if (p && __builtin_expect(hp_crt_free(p) != 0, 0))
        crt_bad_free(p);
}

void *crt_malloc(size_t n) { return crt_malloc_hot(n); }

void *crt_calloc(size_t count, size_t n)
{
    if (n && count > CRT_HEAP_MAXREQ / n) {
        crt_set_errno(CRT_ENOMEM);
        return NULL;
    }
    void *p = hp_alloc(hp_process_heap(), HP_ZERO_MEMORY, count * n);
    if (!p)
        crt_set_errno(CRT_ENOMEM);
    return p;
}

void crt_free(void *p) { crt_free_hot(p); }

void *crt_realloc(void *p, size_t n)
{
    if (!p)
        return crt_malloc_hot(n);
    if (!n) {
        crt_free_hot(p);
        return NULL;
    }
    bool bad;
    void *q = hp_realloc(hp_process_heap(), 0, p, n, &bad);
    if (bad)
        hp_corruption(p, "realloc of a pointer that is not a live heap block");
    if (!q)
        crt_set_errno(CRT_ENOMEM); /* the old block stays valid */
    return q;
}

static size_t crt_msize(void *p)
{
    if (!p) {
        crt_set_errno(CRT_EINVAL);
        return (size_t)-1;
    }
    return hp_size(hp_process_heap(), 0, p);
}

/* realloc with both a block and a size: the SysV heap, behind one ms_abi call. */
static __attribute__((ms_abi, noinline)) void *crt_realloc_resize(void *p, size_t n)
{
    return crt_realloc(p, n);
}

CRT_HOT void *crt_realloc_hot(void *p, size_t n)
{
    if (!p)
        return crt_malloc_hot(n);
    if (!n) {
        crt_free_hot(p);
        return NULL;
    }
    return crt_realloc_resize(p, n);
}

/* ---- exports ---- */
static void *WINAPI msvcrt_malloc(size_t n) { return crt_malloc_hot(n); }
THK_EXPORT_AS(msvcrt, malloc, msvcrt_malloc, 1);
static void *WINAPI msvcrt_calloc(size_t count, size_t n) { return crt_calloc(count, n); }
THK_EXPORT_AS(msvcrt, calloc, msvcrt_calloc, 2);
static void *WINAPI msvcrt_realloc(void *p, size_t n) { return crt_realloc_hot(p, n); }
THK_EXPORT_AS(msvcrt, realloc, msvcrt_realloc, 2);
static void WINAPI msvcrt_free(void *p) { crt_free_hot(p); }
THK_EXPORT_AS(msvcrt, free, msvcrt_free, 1);
static size_t WINAPI msvcrt__msize(void *p) { return crt_msize(p); }
THK_EXPORT_AS(msvcrt, _msize, msvcrt__msize, 1);

/* _expand: resize in place or fail (NULL, ENOMEM); shrinking always works. */
static void *WINAPI msvcrt__expand(void *p, size_t n)
{
    if (!p) {
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    bool bad;
    void *q = hp_realloc(hp_process_heap(), HP_REALLOC_IN_PLACE_ONLY, p, n, &bad);
    if (bad)
        hp_corruption(p, "_expand of a pointer that is not a live heap block");
    if (!q)
        crt_set_errno(CRT_ENOMEM);
    return q;
}
THK_EXPORT_AS(msvcrt, _expand, msvcrt__expand, 2);

/* _recalloc: realloc that zeroes the bytes beyond the old size. */
static void *WINAPI msvcrt__recalloc(void *p, size_t count, size_t n)
{
    if (n && count > CRT_HEAP_MAXREQ / n) {
        crt_set_errno(CRT_ENOMEM);
        return NULL;
    }
    size_t old = p ? crt_msize(p) : 0;
    if (old == (size_t)-1)
        return NULL;
    size_t want = count * n;
    void *q = crt_realloc(p, want);
    if (q && want > old)
        memset((char *)q + old, 0, want - old);
    return q;
}
THK_EXPORT_AS(msvcrt, _recalloc, msvcrt__recalloc, 3);

/* ---- aligned blocks: [ ... | size | base | user ] with user + offset aligned ---- */
static void *crt_aligned_offset_malloc(size_t n, size_t align, size_t offset)
{
    if (!align || (align & (align - 1)) || (offset && offset >= n)) {
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    if (align < sizeof(void *))
        align = sizeof(void *);
    size_t header = 2 * sizeof(uintptr_t);
    if (n > CRT_HEAP_MAXREQ - align - header - offset) {
        crt_set_errno(CRT_ENOMEM);
        return NULL;
    }
    char *base = crt_malloc(n + align + header + offset);
    if (!base)
        return NULL;
    uintptr_t user = (((uintptr_t)base + header + offset + align - 1) & ~(uintptr_t)(align - 1))
                     - offset;
    /* the two words before the user pointer, 8-byte aligned */
    uintptr_t *words = (uintptr_t *)((user & ~(uintptr_t)7) - header);
    words[0] = n;
    words[1] = (uintptr_t)base;
    return (void *)user;
}

static uintptr_t *crt_aligned_words(void *p)
{
    return (uintptr_t *)(((uintptr_t)p & ~(uintptr_t)7) - 2 * sizeof(uintptr_t));
}

static void crt_aligned_free(void *p)
{
    if (p)
        crt_free((void *)crt_aligned_words(p)[1]);
}

static void *crt_aligned_offset_realloc(void *p, size_t n, size_t align, size_t offset)
{
    if (!p)
        return crt_aligned_offset_malloc(n, align, offset);
    if (!n) {
        crt_aligned_free(p);
        return NULL;
    }
    size_t old = crt_aligned_words(p)[0];
    void *q = crt_aligned_offset_malloc(n, align, offset);
    if (!q)
        return NULL;
    memcpy(q, p, old < n ? old : n);
    crt_aligned_free(p);
    return q;
}

static void *WINAPI msvcrt__aligned_malloc(size_t n, size_t align)
{
    return crt_aligned_offset_malloc(n, align, 0);
}
THK_EXPORT_AS(msvcrt, _aligned_malloc, msvcrt__aligned_malloc, 2);
static void *WINAPI msvcrt__aligned_offset_malloc(size_t n, size_t align, size_t offset)
{
    return crt_aligned_offset_malloc(n, align, offset);
}
THK_EXPORT_AS(msvcrt, _aligned_offset_malloc, msvcrt__aligned_offset_malloc, 3);
static void WINAPI msvcrt__aligned_free(void *p) { crt_aligned_free(p); }
THK_EXPORT_AS(msvcrt, _aligned_free, msvcrt__aligned_free, 1);
static void *WINAPI msvcrt__aligned_realloc(void *p, size_t n, size_t align)
{
    return crt_aligned_offset_realloc(p, n, align, 0);
}
THK_EXPORT_AS(msvcrt, _aligned_realloc, msvcrt__aligned_realloc, 3);
static void *WINAPI msvcrt__aligned_offset_realloc(void *p, size_t n, size_t align,
                                                   size_t offset)
{
    return crt_aligned_offset_realloc(p, n, align, offset);
}
THK_EXPORT_AS(msvcrt, _aligned_offset_realloc, msvcrt__aligned_offset_realloc, 4);

/* ---- C++ operators (MSVC-mangled names): msvcrt's new returns NULL on failure ---- */
static void *WINAPI msvcrt_operator_new(size_t n) { return crt_malloc_hot(n); }
static void WINAPI msvcrt_operator_delete(void *p) { crt_free_hot(p); }
THK_EXPORT_NAMED(msvcrt, operator_new, "??2@YAPEAX_K@Z", msvcrt_operator_new, 1);
THK_EXPORT_NAMED(msvcrt, operator_new_array, "??_U@YAPEAX_K@Z", msvcrt_operator_new, 1);
THK_EXPORT_NAMED(msvcrt, operator_delete, "??3@YAXPEAX@Z", msvcrt_operator_delete, 1);
THK_EXPORT_NAMED(msvcrt, operator_delete_array, "??_V@YAXPEAX@Z", msvcrt_operator_delete, 1);

/* ---- heap queries ---- */
#define CRT_HEAPOK (-2)
#define CRT_HEAPEND (-5)
#define CRT_HEAPBADNODE (-4)
static int WINAPI msvcrt__heapchk(void)
{
    return hp_validate(hp_process_heap(), 0, NULL) ? CRT_HEAPOK : CRT_HEAPBADNODE;
}
THK_EXPORT_AS(msvcrt, _heapchk, msvcrt__heapchk, 0);
static int WINAPI msvcrt__heapset(unsigned fill) { return CRT_HEAPOK; }
THK_EXPORT_AS(msvcrt, _heapset, msvcrt__heapset, 1);
static int WINAPI msvcrt__heapmin(void) { return 0; }
THK_EXPORT_AS(msvcrt, _heapmin, msvcrt__heapmin, 0);
static int WINAPI msvcrt__heapwalk(void *entry) { return CRT_HEAPEND; }
THK_EXPORT_AS(msvcrt, _heapwalk, msvcrt__heapwalk, 1);
static size_t WINAPI msvcrt__get_sbh_threshold(void) { return 0; }
THK_EXPORT_AS(msvcrt, _get_sbh_threshold, msvcrt__get_sbh_threshold, 0);
static int WINAPI msvcrt__set_sbh_threshold(size_t n) { return 0; } /* no small-block heap */
THK_EXPORT_AS(msvcrt, _set_sbh_threshold, msvcrt__set_sbh_threshold, 1);
