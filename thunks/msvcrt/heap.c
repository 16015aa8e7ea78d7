/* SPDX-License-Identifier: MIT */
/* The msvcrt heap: malloc/calloc/realloc/free/_msize/_expand/_recalloc, the _aligned_*
 * family, operator new/delete, and the _heap* queries. Blocks come from glibc's allocator
 * with a 16-byte header in front (the requested size, so _msize is exact, and a tag that
 * catches frees of pointers that are not ours); user pointers stay 16-byte aligned.
 * malloc(0) returns a unique block of size 0; realloc(p, 0) frees p and returns NULL, as
 * msvcrt does. Failures set errno to ENOMEM. */
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/msvcrt/msvcrt_lib.h"

#define CRT_HEAP_TAG 0x6e74726eu  /* live block */
#define CRT_HEAP_FREED 0x66726565u /* freed block */
#define CRT_HEAP_MAXREQ 0xFFFFFFFFFFFFFFE0ull

typedef struct crt_block {
    struct crt_block *prev, *next; /* live blocks, under crt_heap_lock */
    uint64_t size;                 /* bytes asked for */
    uint32_t tag;
    uint32_t pad;
} crt_block;
_Static_assert(sizeof(crt_block) % 16 == 0, "keeps user pointers 16-byte aligned");

static pthread_mutex_t crt_heap_lock = PTHREAD_MUTEX_INITIALIZER;
static crt_block crt_heap_live = {&crt_heap_live, &crt_heap_live, 0, 0, 0};

static void crt_block_link(crt_block *b)
{
    pthread_mutex_lock(&crt_heap_lock);
    b->prev = &crt_heap_live;
    b->next = crt_heap_live.next;
    b->next->prev = b;
    crt_heap_live.next = b;
    pthread_mutex_unlock(&crt_heap_lock);
}

/* Unlinks b, unless another thread freed it first (double free): false then. */
static bool crt_block_unlink(crt_block *b)
{
    pthread_mutex_lock(&crt_heap_lock);
    bool live = b->tag == CRT_HEAP_TAG;
    if (live) {
        b->prev->next = b->next;
        b->next->prev = b->prev;
    }
    pthread_mutex_unlock(&crt_heap_lock);
    return live;
}

/* Frees every block still live: the end of a run (thk_process_teardown). No foreign code runs. */
void crt_heap_reset(void)
{
    pthread_mutex_lock(&crt_heap_lock);
    crt_block *b = crt_heap_live.next;
    while (b != &crt_heap_live) {
        crt_block *next = b->next;
        b->tag = CRT_HEAP_FREED;
        free(b);
        b = next;
    }
    crt_heap_live.next = crt_heap_live.prev = &crt_heap_live;
    pthread_mutex_unlock(&crt_heap_lock);
}

static crt_block *crt_block_of(void *p) { return (crt_block *)p - 1; }

/* NULL (with a message) for a pointer that is not a live block of ours. */
static crt_block *crt_block_check(void *p, const char *what)
{
    crt_block *b = crt_block_of(p);
    if (b->tag == CRT_HEAP_TAG)
        return b;
    static int reported;
    if (!__atomic_exchange_n(&reported, 1, __ATOMIC_RELAXED))
        rt_message("msvcrt: %s(%p): %s", what, p,
                   b->tag == CRT_HEAP_FREED ? "block already freed" : "not a heap block");
    return NULL;
}

void *crt_malloc(size_t n)
{
    if (n > CRT_HEAP_MAXREQ - sizeof(crt_block)) {
        crt_set_errno(CRT_ENOMEM);
        return NULL;
    }
    crt_block *b = malloc(n + sizeof(crt_block));
    if (!b) {
        crt_set_errno(CRT_ENOMEM);
        return NULL;
    }
    b->size = n;
    b->tag = CRT_HEAP_TAG;
    b->pad = 0;
    crt_block_link(b);
    return b + 1;
}

void *crt_calloc(size_t count, size_t n)
{
    if (n && count > CRT_HEAP_MAXREQ / n) {
        crt_set_errno(CRT_ENOMEM);
        return NULL;
    }
    void *p = crt_malloc(count * n);
    if (p)
        memset(p, 0, count * n);
    return p;
}

void crt_free(void *p)
{
    if (!p)
        return;
    crt_block *b = crt_block_check(p, "free");
    if (!b || !crt_block_unlink(b))
        return;
    b->tag = CRT_HEAP_FREED;
    free(b);
}

void *crt_realloc(void *p, size_t n)
{
    if (!p)
        return crt_malloc(n);
    if (!n) {
        crt_free(p);
        return NULL;
    }
    crt_block *b = crt_block_check(p, "realloc");
    if (!b)
        return NULL;
    if (n > CRT_HEAP_MAXREQ - sizeof(crt_block)) {
        crt_set_errno(CRT_ENOMEM);
        return NULL;
    }
    if (!crt_block_unlink(b))
        return NULL;
    crt_block *nb = realloc(b, n + sizeof(crt_block));
    if (!nb) {
        crt_block_link(b);
        crt_set_errno(CRT_ENOMEM);
        return NULL; /* the old block stays valid */
    }
    nb->size = n;
    crt_block_link(nb);
    return nb + 1;
}

static size_t crt_msize(void *p)
{
    if (!p) {
        crt_set_errno(CRT_EINVAL);
        return (size_t)-1;
    }
    crt_block *b = crt_block_check(p, "_msize");
    return b ? b->size : (size_t)-1;
}

/* ---- exports ---- */
static void *WINAPI msvcrt_malloc(size_t n) { return crt_malloc(n); }
THK_EXPORT_AS(msvcrt, malloc, msvcrt_malloc, 1);
static void *WINAPI msvcrt_calloc(size_t count, size_t n) { return crt_calloc(count, n); }
THK_EXPORT_AS(msvcrt, calloc, msvcrt_calloc, 2);
static void *WINAPI msvcrt_realloc(void *p, size_t n) { return crt_realloc(p, n); }
THK_EXPORT_AS(msvcrt, realloc, msvcrt_realloc, 2);
static void WINAPI msvcrt_free(void *p) { crt_free(p); }
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
    crt_block *b = crt_block_check(p, "_expand");
    if (!b)
        return NULL;
    if (n > malloc_usable_size(b) - sizeof(crt_block)) {
        crt_set_errno(CRT_ENOMEM);
        return NULL;
    }
    b->size = n;
    return p;
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
static void *WINAPI msvcrt_operator_new(size_t n) { return crt_malloc(n); }
static void WINAPI msvcrt_operator_delete(void *p) { crt_free(p); }
THK_EXPORT_NAMED(msvcrt, operator_new, "??2@YAPEAX_K@Z", msvcrt_operator_new, 1);
THK_EXPORT_NAMED(msvcrt, operator_new_array, "??_U@YAPEAX_K@Z", msvcrt_operator_new, 1);
THK_EXPORT_NAMED(msvcrt, operator_delete, "??3@YAXPEAX@Z", msvcrt_operator_delete, 1);
THK_EXPORT_NAMED(msvcrt, operator_delete_array, "??_V@YAXPEAX@Z", msvcrt_operator_delete, 1);

/* ---- heap queries: one consistent heap, nothing to walk or repair ---- */
#define CRT_HEAPOK (-2)
#define CRT_HEAPEND (-5)
static int WINAPI msvcrt__heapchk(void) { return CRT_HEAPOK; }
THK_EXPORT_AS(msvcrt, _heapchk, msvcrt__heapchk, 0);
static int WINAPI msvcrt__heapset(unsigned fill) { return CRT_HEAPOK; }
THK_EXPORT_AS(msvcrt, _heapset, msvcrt__heapset, 1);
static int WINAPI msvcrt__heapmin(void)
{
    malloc_trim(0);
    return 0;
}
THK_EXPORT_AS(msvcrt, _heapmin, msvcrt__heapmin, 0);
static int WINAPI msvcrt__heapwalk(void *entry) { return CRT_HEAPEND; }
THK_EXPORT_AS(msvcrt, _heapwalk, msvcrt__heapwalk, 1);
static size_t WINAPI msvcrt__get_sbh_threshold(void) { return 0; }
THK_EXPORT_AS(msvcrt, _get_sbh_threshold, msvcrt__get_sbh_threshold, 0);
static int WINAPI msvcrt__set_sbh_threshold(size_t n) { return 0; } /* no small-block heap */
THK_EXPORT_AS(msvcrt, _set_sbh_threshold, msvcrt__set_sbh_threshold, 1);
