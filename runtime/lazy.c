/* SPDX-License-Identifier: MIT */
/* Read-only pages filled on first access.
 *
 * mingw-w64 links ~200 KB of DWARF (.debug_* sections) into every program; Windows maps an
 * image's sections on demand, and a program never reads its own DWARF in normal operation, so
 * copying it at load was ~9% of `ntrun hello.exe`. The loader instead leaves such a section's
 * pages PROT_NONE and registers them here with the file bytes they hold. The first access to
 * one of those pages, by foreign or native code on any thread, faults; rt_lazy_fault() (the
 * first thing the SIGSEGV handler asks) fills that page and the access is retried.
 *
 * A page is filled on a private scratch page that gets the final protection and is then moved
 * over the PROT_NONE page with mremap: another thread touching the page at the same moment
 * either faults (and waits for the filler) or sees the whole page, never half of it. Each page
 * has a state: 0 pending, 1 being filled, 2 filled (or handed back: an ordinary page since).
 *
 * Everything the fault path does is a handful of raw-enough system calls (mmap, mprotect,
 * mremap through libc with the selector at ALLOW, set by the caller) and memcpy: it is
 * async-signal-safe. Ranges are added and removed by the loader while no foreign code can be
 * touching them (load, unload). System calls do not fault: a buffer in a pending page passed
 * to the kernel gives EFAULT, so ntemu fills a buffer's pending pages before handing it over
 * (rt_lazy_fill: NtWriteFile, NtProtectVirtualMemory), and VirtualQuery reports a pending page
 * with the protection it will have (rt_lazy_span). */
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "runtime/kuser.h"
#include "runtime/runtime_private.h"

#define RT_LAZY_MAX 32
#define RT_LAZY_PAGE 4096u

enum { RT_LAZY_PENDING, RT_LAZY_FILLING, RT_LAZY_DONE };

typedef struct rt_lazy_range {
    _Atomic uintptr_t start; /* 0: a free slot */
    uintptr_t end;
    const uint8_t *src;      /* the bytes of [start, start + src_len); the rest is zero */
    size_t src_len;
    int prot;
    _Atomic uint8_t *state;  /* one per page */
    unsigned gen;            /* which registration (the same addresses come back next run) */
} rt_lazy_range;

static rt_lazy_range rt_lazy[RT_LAZY_MAX];
static bool rt_lazy_on;
static _Atomic unsigned rt_lazy_gen;

void rt_lazy_enable(void) { rt_lazy_on = true; }
bool rt_lazy_available(void) { return rt_lazy_on; }

int rt_lazy_add(void *start, size_t len, const void *src, size_t src_len, int prot)
{
    uintptr_t s = (uintptr_t)start;
    if (!rt_lazy_on)
        return -ENOSYS;
    if (!len || (s | len) % RT_LAZY_PAGE || src_len > len)
        return -EINVAL;
    for (int i = 0; i < RT_LAZY_MAX; i++) {
        rt_lazy_range *r = &rt_lazy[i];
        if (atomic_load(&r->start))
            continue;
        _Atomic uint8_t *state = calloc(len / RT_LAZY_PAGE, sizeof *state);
        if (!state)
            return -ENOMEM;
        r->end = s + len;
        r->src = src;
        r->src_len = src_len;
        r->prot = prot;
        r->state = state;
        r->gen = atomic_fetch_add(&rt_lazy_gen, 1) + 1;
        atomic_store(&r->start, s); /* published last: the fault path reads start first */
        return 0;
    }
    return -ENOSPC;
}

void rt_lazy_remove(void *start, size_t len)
{
    uintptr_t s = (uintptr_t)start, e = s + len;
    for (int i = 0; i < RT_LAZY_MAX; i++) {
        rt_lazy_range *r = &rt_lazy[i];
        uintptr_t rs = atomic_load(&r->start);
        if (!rs || rs >= e || r->end <= s)
            continue;
        atomic_store(&r->start, 0);
        free((void *)r->state);
        r->state = NULL;
    }
}

static rt_lazy_range *rt_lazy_find(uintptr_t addr)
{
    for (int i = 0; i < RT_LAZY_MAX; i++) {
        rt_lazy_range *r = &rt_lazy[i];
        uintptr_t rs = atomic_load(&r->start);
        if (rs && addr >= rs && addr < r->end)
            return r;
    }
    return NULL;
}

/* Puts the page's bytes in place with its final protection. */
static void rt_lazy_materialise(const rt_lazy_range *r, uintptr_t page)
{
    size_t off = page - atomic_load(&r->start);
    size_t n = off < r->src_len ? r->src_len - off : 0;
    if (n > RT_LAZY_PAGE)
        n = RT_LAZY_PAGE;
    uint8_t *tmp = mmap(NULL, RT_LAZY_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                        -1, 0);
    if (tmp != MAP_FAILED) {
        memcpy(tmp, r->src + off, n);
        if (mprotect(tmp, RT_LAZY_PAGE, r->prot) == 0 &&
            mremap(tmp, RT_LAZY_PAGE, RT_LAZY_PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
                   (void *)page) != MAP_FAILED)
            return;
        munmap(tmp, RT_LAZY_PAGE);
    }
    /* No scratch page: fill in place (another thread may briefly see it half written). */
    if (mprotect((void *)page, RT_LAZY_PAGE, PROT_READ | PROT_WRITE) == 0) {
        memcpy((void *)page, r->src + off, n);
        mprotect((void *)page, RT_LAZY_PAGE, r->prot);
    }
}

/* Fills the page if it is pending, waits if another thread is filling it. false: the page was
 * filled before. */
static bool rt_lazy_fill_page(rt_lazy_range *r, uintptr_t page)
{
    _Atomic uint8_t *st = &r->state[(page - atomic_load(&r->start)) / RT_LAZY_PAGE];
    uint8_t expect = RT_LAZY_PENDING;
    if (atomic_compare_exchange_strong(st, &expect, RT_LAZY_FILLING)) {
        rt_lazy_materialise(r, page);
        atomic_store(st, RT_LAZY_DONE);
        return true;
    }
    if (expect == RT_LAZY_DONE)
        return false;
    while (atomic_load(st) == RT_LAZY_FILLING)
        sched_yield();
    return true;
}

/* The page (and registration) of this thread's last retry after finding its page filled. */
static __thread uintptr_t rt_lazy_retried;
static __thread unsigned rt_lazy_retried_gen;

bool rt_lazy_fault(uintptr_t addr)
{
    uintptr_t page = addr & ~(uintptr_t)(RT_LAZY_PAGE - 1);
    rt_lazy_range *r = rt_lazy_find(addr);
    if (!r)
        return false;
    if (rt_lazy_fill_page(r, page))
        return true;
    /* Filled already: this thread may have faulted while the page was pending and reached the
     * handler only after another thread finished it — retry the access once. Faulting again
     * at the same page right after is a real fault (a write to the read-only page, or a
     * protection the program changed since). */
    if (rt_lazy_retried == page && rt_lazy_retried_gen == r->gen) {
        rt_lazy_retried = 0;
        return false;
    }
    rt_lazy_retried = page;
    rt_lazy_retried_gen = r->gen;
    return true;
}

void rt_lazy_fill(const void *addr, size_t len)
{
    uintptr_t a = (uintptr_t)addr & ~(uintptr_t)(RT_LAZY_PAGE - 1), e = (uintptr_t)addr + len;
    if (!len || e < a)
        return;
    if (a < RT_KUSER_ADDRESS + 0x1000 && e > RT_KUSER_ADDRESS)
        rt_kuser_show(); /* KUSER_SHARED_DATA, hidden until its first read */
    for (int i = 0; i < RT_LAZY_MAX; i++) {
        rt_lazy_range *r = &rt_lazy[i];
        uintptr_t rs = atomic_load(&r->start);
        if (!rs || rs >= e || r->end <= a)
            continue;
        for (uintptr_t p = a > rs ? a : rs; p < e && p < r->end; p += RT_LAZY_PAGE)
            rt_lazy_fill_page(r, p);
    }
}

size_t rt_lazy_span(uintptr_t page, uintptr_t end, int *prot)
{
    *prot = -1;
    if (end <= page)
        return 0;
    uintptr_t stop = end;
    for (int i = 0; i < RT_LAZY_MAX; i++) {
        rt_lazy_range *r = &rt_lazy[i];
        uintptr_t rs = atomic_load(&r->start);
        if (!rs || r->end <= page || rs >= stop)
            continue;
        for (uintptr_t p = page > rs ? page : rs; p < r->end && p < stop; p += RT_LAZY_PAGE) {
            bool pending = atomic_load(&r->state[(p - rs) / RT_LAZY_PAGE]) != RT_LAZY_DONE;
            if (p == page && pending) { /* a pending run starts here */
                uintptr_t q = p + RT_LAZY_PAGE;
                while (q < r->end && q < end &&
                       atomic_load(&r->state[(q - rs) / RT_LAZY_PAGE]) != RT_LAZY_DONE)
                    q += RT_LAZY_PAGE;
                *prot = r->prot;
                return q - page;
            }
            if (pending) { /* an ordinary run up to the first pending page */
                stop = p;
                break;
            }
        }
    }
    return stop - page;
}
