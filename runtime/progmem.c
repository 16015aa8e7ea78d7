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
#include <stdlib.h>
#include <sys/mman.h>
#include "runtime/runtime_private.h"

typedef struct rt_progmem_rec {
    uintptr_t base;
    size_t size;
    rt_mem_kind kind;
} rt_progmem_rec;

static pthread_mutex_t rt_progmem_lock = PTHREAD_MUTEX_INITIALIZER;
static rt_progmem_rec *rt_progmem;
static size_t rt_progmem_count, rt_progmem_cap;

void rt_progmem_add(void *base, size_t size, rt_mem_kind kind)
{
    pthread_mutex_lock(&rt_progmem_lock);
    if (rt_progmem_count == rt_progmem_cap) {
        size_t cap = rt_progmem_cap ? rt_progmem_cap * 2 : 32;
        rt_progmem_rec *v = realloc(rt_progmem, cap * sizeof *v);
        if (!v)
            goto unlock; /* unrecorded: the program may not re-protect it, nothing worse */
        rt_progmem = v;
        rt_progmem_cap = cap;
    }
    rt_progmem[rt_progmem_count++] = (rt_progmem_rec){(uintptr_t)base, size, kind};
unlock:
    pthread_mutex_unlock(&rt_progmem_lock);
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

void *rt_progmem_alloc(size_t n)
{
    size_t size = (n + 0xfff) & ~(size_t)0xfff;
    if (!n || size < n)
        return NULL;
    void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    rt_progmem_add(m, size, RT_MEM_PEB);
    return m;
}

void rt_progmem_free(void *p)
{
    uintptr_t base;
    size_t size;
    if (!p || rt_progmem_find((uintptr_t)p, &base, &size) != RT_MEM_PEB || base != (uintptr_t)p)
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
