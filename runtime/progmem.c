/* SPDX-License-Identifier: MIT */
/* Memory the runtime maps for the program itself rather than for its own use: the foreign
 * thread stacks, the TEBs, the PEB block and KUSER_SHARED_DATA. ntemu/virtual.c asks here which
 * of the anonymous mappings it did not make belong to the program: any other one (glibc's heap
 * arenas, native thread stacks, the rewrite trampolines, sanitizer shadow) is the runtime's:
 * the program's NtProtectVirtualMemory/NtFreeVirtualMemory must not touch it, and
 * NtQueryVirtualMemory shows it as a reservation the program does not own.
 *
 * Not async-signal-safe (a mutex): used from ordinary context only (thread set-up and
 * teardown, NT calls). */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "runtime/runtime_private.h"

typedef struct rt_progmem_rec {
    uintptr_t base;
    size_t size;
    rt_mem_kind kind;
    bool pool; /* a page of small blocks (rt_pool_alloc) */
} rt_progmem_rec;

static pthread_mutex_t rt_progmem_lock = PTHREAD_MUTEX_INITIALIZER;
static rt_progmem_rec *rt_progmem;
static size_t rt_progmem_count, rt_progmem_cap;

static void rt_progmem_add_locked(void *base, size_t size, rt_mem_kind kind, bool pool)
{
    if (rt_progmem_count == rt_progmem_cap) {
        size_t cap = rt_progmem_cap ? rt_progmem_cap * 2 : 32;
        rt_progmem_rec *v = realloc(rt_progmem, cap * sizeof *v);
        if (!v)
            return; /* unrecorded: the program may not re-protect it, nothing worse */
        rt_progmem = v;
        rt_progmem_cap = cap;
    }
    rt_progmem[rt_progmem_count++] = (rt_progmem_rec){(uintptr_t)base, size, kind, pool};
}

void rt_progmem_add(void *base, size_t size, rt_mem_kind kind)
{
    pthread_mutex_lock(&rt_progmem_lock);
    rt_progmem_add_locked(base, size, kind, false);
    pthread_mutex_unlock(&rt_progmem_lock);
}

/* The record containing addr, or NULL. Called with rt_progmem_lock held. */
static const rt_progmem_rec *rt_progmem_rec_of(uintptr_t addr)
{
    for (size_t i = 0; i < rt_progmem_count; i++)
        if (addr >= rt_progmem[i].base && addr - rt_progmem[i].base < rt_progmem[i].size)
            return &rt_progmem[i];
    return NULL;
}

void rt_progmem_remove(void *base)
{
    pthread_mutex_lock(&rt_progmem_lock);
    for (size_t i = 0; i < rt_progmem_count; i++) {
        if (rt_progmem[i].base == (uintptr_t)base) {
            rt_progmem[i] = rt_progmem[--rt_progmem_count];
            break;
        }
    }
    pthread_mutex_unlock(&rt_progmem_lock);
}

/* Small blocks (a loader entry with its name, msvcrt's exported globals: a few hundred bytes
 * each) are carved from shared pages, one mapping and one first-write fault for all of them
 * instead of one of each per block (hello.exe made five). Blocks come in multiples of 64 bytes;
 * a freed one is reused for the next block of its size. Their list is the runtime's own memory:
 * the program can write the blocks, so nothing about them is kept inside them. Pool pages stay
 * mapped (RT_MEM_PEB, as the blocks' own pages were). Called with rt_progmem_lock held. */
#define RT_POOL_UNIT 64
#define RT_POOL_MAX 1024 /* larger blocks get pages of their own */
#define RT_POOL_PAGE 0x1000
typedef struct rt_pool_block {
    uintptr_t addr;
    uint32_t units;
    bool free;
} rt_pool_block;
static rt_pool_block *rt_pool;
static size_t rt_pool_count, rt_pool_cap;
static uint8_t *rt_pool_next; /* the unused tail of the newest pool page */
static size_t rt_pool_left;

static void *rt_pool_alloc(size_t n)
{
    uint32_t units = (uint32_t)((n + RT_POOL_UNIT - 1) / RT_POOL_UNIT);
    for (size_t i = 0; i < rt_pool_count; i++) {
        if (rt_pool[i].free && rt_pool[i].units == units) {
            rt_pool[i].free = false;
            memset((void *)rt_pool[i].addr, 0, (size_t)units * RT_POOL_UNIT);
            return (void *)rt_pool[i].addr;
        }
    }
    if (rt_pool_count == rt_pool_cap) {
        size_t cap = rt_pool_cap ? rt_pool_cap * 2 : 16;
        rt_pool_block *v = realloc(rt_pool, cap * sizeof *v);
        if (!v)
            return NULL;
        rt_pool = v;
        rt_pool_cap = cap;
    }
    if (rt_pool_left < (size_t)units * RT_POOL_UNIT) {
        /* the first page: the ntrun command's page for it (no mmap) */
        void *m = rt_cmd_pages && !rt_pool_next
                      ? rt_cmd_pages + RT_CMD_PAGE_POOL * RT_POOL_PAGE
                      : mmap(NULL, RT_POOL_PAGE, PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED)
            return NULL;
        rt_progmem_add_locked(m, RT_POOL_PAGE, RT_MEM_PEB, true);
        rt_pool_next = m; /* the old page's tail is left unused */
        rt_pool_left = RT_POOL_PAGE;
    }
    void *p = rt_pool_next;
    rt_pool_next += (size_t)units * RT_POOL_UNIT;
    rt_pool_left -= (size_t)units * RT_POOL_UNIT;
    rt_pool[rt_pool_count++] = (rt_pool_block){(uintptr_t)p, units, false};
    return p;
}

/* p as a live pool block: made free, true; false if p is none. */
static bool rt_pool_release(void *p)
{
    for (size_t i = 0; i < rt_pool_count; i++) {
        if (rt_pool[i].addr == (uintptr_t)p && !rt_pool[i].free) {
            rt_pool[i].free = true;
            return true;
        }
    }
    return false;
}

void *rt_progmem_alloc(size_t n)
{
    size_t size = (n + 0xfff) & ~(size_t)0xfff;
    if (!n || size < n)
        return NULL;
    if (n <= RT_POOL_MAX) {
        pthread_mutex_lock(&rt_progmem_lock);
        void *p = rt_pool_alloc(n);
        pthread_mutex_unlock(&rt_progmem_lock);
        return p;
    }
    void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    rt_progmem_add(m, size, RT_MEM_PEB);
    return m;
}

void rt_progmem_free(void *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&rt_progmem_lock);
    const rt_progmem_rec *r = rt_progmem_rec_of((uintptr_t)p);
    bool own_pages = r && r->kind == RT_MEM_PEB && !r->pool && r->base == (uintptr_t)p;
    size_t size = own_pages ? r->size : 0;
    if (r && r->pool)
        rt_pool_release(p);
    pthread_mutex_unlock(&rt_progmem_lock);
    if (!own_pages)
        return;
    rt_progmem_remove(p);
    munmap(p, size);
}

rt_mem_kind rt_progmem_find(uintptr_t addr, uintptr_t *base, size_t *size)
{
    rt_mem_kind kind = RT_MEM_NONE;
    pthread_mutex_lock(&rt_progmem_lock);
    for (size_t i = 0; i < rt_progmem_count; i++) {
        const rt_progmem_rec *r = &rt_progmem[i];
        if (addr >= r->base && addr - r->base < r->size) {
            *base = r->base;
            *size = r->size;
            kind = r->kind;
            break;
        }
    }
    pthread_mutex_unlock(&rt_progmem_lock);
    return kind;
}

void rt_progmem_neighbours(uintptr_t addr, uintptr_t *prev_end, uintptr_t *next_start)
{
    pthread_mutex_lock(&rt_progmem_lock);
    for (size_t i = 0; i < rt_progmem_count; i++) {
        const rt_progmem_rec *r = &rt_progmem[i];
        if (r->base + r->size <= addr && r->base + r->size > *prev_end)
            *prev_end = r->base + r->size;
        if (r->base > addr && r->base < *next_start)
            *next_start = r->base;
    }
    pthread_mutex_unlock(&rt_progmem_lock);
}
