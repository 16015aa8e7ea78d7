/* SPDX-License-Identifier: MIT */
/* Virtual memory: NtAllocateVirtualMemory, NtFreeVirtualMemory, NtProtectVirtualMemory,
 * NtQueryVirtualMemory, and the bookkeeping that makes the query honest.
 *
 * Reservations are PROT_NONE anonymous mappings (MAP_NORESERVE) at 64 KiB-aligned addresses;
 * committing is mprotect to the requested protection, decommitting maps fresh PROT_NONE pages
 * over the range (so a later commit sees zeros). Each allocation made here (or registered with
 * nt_vm_register_region) keeps a run list of page states and protections, the source of
 * MEMORY_BASIC_INFORMATION for it. Images registered by the loader (nt_vm_register_image) are
 * MEM_IMAGE with their base as AllocationBase; their per-page protection comes from
 * /proc/self/maps, since the loader sets it with mprotect directly. What the runtime mapped for
 * the program (runtime/progmem.c: foreign stacks, TEBs, the PEB block, KUSER_SHARED_DATA) is
 * reported from /proc/self/maps as it is mapped; every other Linux mapping is the runtime's own
 * and looks to the program like a reservation it did not make (MEM_RESERVE, PAGE_NOACCESS: see
 * query_other); unmapped space is MEM_FREE up to the next mapping.
 *
 * Another process's handle (a child's: VirtualAllocEx, ReadProcessMemory, ...) hands the call to
 * that process's runtime (ntemu/process_remote.c), which makes it on itself.
 * PAGE_GUARD is recorded and reported but not enforced (the page is simply accessible). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"

#define NT_PAGE         0x1000ull
#define NT_GRANULARITY  0x10000ull
#define NT_MIN_ADDRESS  0x10000ull
#define NT_USER_LIMIT   0x7FFFFFFF0000ull /* MmHighestUserAddress + 1 */

#define NT_MEM_WRITE_WATCH   0x00200000u
#define NT_MEM_PHYSICAL      0x00400000u
#define NT_MEM_RESET_UNDO    0x01000000u
#define NT_MEM_LARGE_PAGES   0x20000000u
#define NT_PAGE_NOCACHE      0x200u
#define NT_PAGE_WRITECOMBINE 0x400u
#define NT_PAGE_TARGETS_INVALID 0x40000000u

static inline uintptr_t page_down(uintptr_t a) { return a & ~(uintptr_t)(NT_PAGE - 1); }
static inline uintptr_t page_up(uintptr_t a) { return (a + NT_PAGE - 1) & ~(uintptr_t)(NT_PAGE - 1); }

typedef struct vm_run {
    uintptr_t end;    /* the run starts where the previous one ends (or at the base) */
    uint32_t state;   /* MEM_COMMIT or MEM_RESERVE */
    uint32_t protect; /* PAGE_*, 0 for reserved pages */
} vm_run;

typedef struct vm_alloc {
    uintptr_t base, size;
    uint32_t type;          /* MEM_PRIVATE, MEM_MAPPED or MEM_IMAGE */
    uint32_t alloc_protect;
    bool freeable;          /* NtFreeVirtualMemory may release or decommit it */
    vm_run *runs;           /* not used for MEM_IMAGE */
    size_t nruns;
    char *name;
    /* MEM_IMAGE mapped read-execute whole (nt_vm_image_mapped_rx): Windows' protection of the
     * pages outside [code_lo, code_hi) is PAGE_READONLY; 0, 0 when the maps say it as it is */
    uintptr_t code_lo, code_hi;
} vm_alloc;

static pthread_mutex_t vm_lock = PTHREAD_MUTEX_INITIALIZER;
static vm_alloc **vm_allocs; /* sorted by base, non-overlapping */
static size_t vm_count, vm_cap;

/* ---- protections ---- */
int nt_vm_prot_to_unix(uint32_t protect)
{
    uint32_t mods = protect & ~0xffu;
    if (mods & ~(PAGE_GUARD | NT_PAGE_NOCACHE | NT_PAGE_WRITECOMBINE | NT_PAGE_TARGETS_INVALID))
        return -1;
    if ((mods & NT_PAGE_WRITECOMBINE) && (mods & (PAGE_GUARD | NT_PAGE_NOCACHE)))
        return -1;
    if ((mods & PAGE_GUARD) && (mods & NT_PAGE_NOCACHE))
        return -1;
    switch (protect & 0xff) {
    case PAGE_NOACCESS:
        return mods & PAGE_GUARD ? -1 : PROT_NONE;
    case PAGE_READONLY:          return PROT_READ;
    case PAGE_READWRITE:
    case PAGE_WRITECOPY:         return PROT_READ | PROT_WRITE;
    case PAGE_EXECUTE:
    case PAGE_EXECUTE_READ:      return PROT_READ | PROT_EXEC;
    case PAGE_EXECUTE_READWRITE:
    case PAGE_EXECUTE_WRITECOPY: return PROT_READ | PROT_WRITE | PROT_EXEC;
    }
    return -1;
}

static uint32_t page_prot_of_unix(int prot)
{
    bool r = prot & PROT_READ, w = prot & PROT_WRITE, x = prot & PROT_EXEC;
    if (x)
        return w ? PAGE_EXECUTE_READWRITE : r ? PAGE_EXECUTE_READ : PAGE_EXECUTE;
    if (w)
        return PAGE_READWRITE;
    return r ? PAGE_READONLY : PAGE_NOACCESS;
}

/* ---- /proc/self/maps ---- */
typedef struct vm_map {
    uintptr_t start, end;
    int prot;
    bool anon;         /* no backing file */
    const char *path;  /* into the buffer, "" when none */
} vm_map;

typedef struct vm_maps {
    char *buf;
    vm_map *v;
    size_t n;
} vm_maps;

static void maps_free(vm_maps *m)
{
    free(m->buf);
    free(m->v);
    m->buf = NULL;
    m->v = NULL;
    m->n = 0;
}

static bool maps_read(vm_maps *m)
{
    size_t cap = 1 << 16, len = 0, vcap = 0;
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    memset(m, 0, sizeof *m);
    if (fd < 0)
        return false;
    m->buf = malloc(cap);
    while (m->buf) {
        if (len + 1 >= cap) {
            char *b = realloc(m->buf, cap * 2);
            if (!b)
                break;
            m->buf = b;
            cap *= 2;
        }
        ssize_t n = read(fd, m->buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    if (!m->buf)
        return false;
    m->buf[len] = 0;
    for (char *line = m->buf; *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        unsigned long start, end, ino;
        char perms[5];
        int path_off = 0;
        if (sscanf(line, "%lx-%lx %4s %*x %*x:%*x %lu %n", &start, &end, perms, &ino,
                   &path_off) >= 4) {
            if (m->n == vcap) {
                size_t c = vcap ? vcap * 2 : 256;
                vm_map *v = realloc(m->v, c * sizeof *v);
                if (!v) {
                    maps_free(m);
                    return false;
                }
                m->v = v;
                vcap = c;
            }
            const char *path = path_off ? line + path_off : "";
            m->v[m->n++] = (vm_map){
                .start = start,
                .end = end,
                .prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) |
                        (perms[2] == 'x' ? PROT_EXEC : 0),
                .anon = ino == 0 && path[0] != '/',
                .path = path,
            };
        }
        if (!nl)
            break;
        line = nl + 1;
    }
    return true;
}

/* Index of the first mapping ending after addr (it contains addr when start <= addr). */
static size_t maps_find(const vm_maps *m, uintptr_t addr)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->v[mid].end <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---- allocation records (vm_lock held) ---- */

/* Index of the record containing addr, or -1. */
static ssize_t vm_find(uintptr_t addr)
{
    size_t lo = 0, hi = vm_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (vm_allocs[mid]->base + vm_allocs[mid]->size <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < vm_count && vm_allocs[lo]->base <= addr)
        return (ssize_t)lo;
    return -1;
}

/* Start of the first record at or after addr, or UINTPTR_MAX. */
static uintptr_t vm_next_base(uintptr_t addr)
{
    for (size_t i = 0; i < vm_count; i++)
        if (vm_allocs[i]->base + vm_allocs[i]->size > addr)
            return vm_allocs[i]->base > addr ? vm_allocs[i]->base : addr;
    return UINTPTR_MAX;
}

static void alloc_free(vm_alloc *a)
{
    free(a->runs);
    free(a->name);
    free(a);
}

static void vm_remove_at(size_t i)
{
    alloc_free(vm_allocs[i]);
    memmove(&vm_allocs[i], &vm_allocs[i + 1], (vm_count - i - 1) * sizeof *vm_allocs);
    vm_count--;
}

/* Forgets records overlapping [start, end): the memory was evidently unmapped behind our back
 * (Linux just handed it out again, or the caller registers something new there). */
static void vm_forget(uintptr_t start, uintptr_t end)
{
    for (size_t i = 0; i < vm_count;) {
        vm_alloc *a = vm_allocs[i];
        if (a->base < end && a->base + a->size > start)
            vm_remove_at(i);
        else
            i++;
    }
}

static bool vm_insert(vm_alloc *a)
{
    size_t i = 0;
    if (vm_count == vm_cap) {
        size_t c = vm_cap ? vm_cap * 2 : 64;
        vm_alloc **v = realloc(vm_allocs, c * sizeof *v);
        if (!v)
            return false;
        vm_allocs = v;
        vm_cap = c;
    }
    while (i < vm_count && vm_allocs[i]->base < a->base)
        i++;
    memmove(&vm_allocs[i + 1], &vm_allocs[i], (vm_count - i) * sizeof *vm_allocs);
    vm_allocs[i] = a;
    vm_count++;
    return true;
}

static vm_alloc *alloc_new(uintptr_t base, uintptr_t size, uint32_t type, uint32_t alloc_protect)
{
    vm_alloc *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->base = base;
    a->size = size;
    a->type = type;
    a->alloc_protect = alloc_protect;
    a->freeable = type == MEM_PRIVATE; /* images and section views are unmapped their own way */
    if (type != MEM_IMAGE) {
        a->runs = malloc(sizeof *a->runs);
        if (!a->runs) {
            free(a);
            return NULL;
        }
        a->runs[0] = (vm_run){base + size, MEM_RESERVE, 0};
        a->nruns = 1;
    }
    return a;
}

/* Sets [start, end) (inside the allocation) to state/protect, merging equal neighbours. */
static bool runs_set(vm_alloc *a, uintptr_t start, uintptr_t end, uint32_t state,
                     uint32_t protect)
{
    vm_run *out = malloc((a->nruns + 2) * sizeof *out);
    size_t n = 0;
    uintptr_t rs = a->base;
    bool placed = false;
    if (!out)
        return false;
    for (size_t i = 0; i < a->nruns; i++) {
        vm_run r = a->runs[i];
        if (r.end <= start || rs >= end) {
            out[n++] = r;
        } else {
            if (rs < start)
                out[n++] = (vm_run){start, r.state, r.protect};
            if (!placed) {
                out[n++] = (vm_run){end, state, protect};
                placed = true;
            }
            if (r.end > end)
                out[n++] = r;
        }
        rs = r.end;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && out[m - 1].state == out[i].state && out[m - 1].protect == out[i].protect)
            out[m - 1].end = out[i].end;
        else
            out[m++] = out[i];
    }
    free(a->runs);
    a->runs = out;
    a->nruns = m;
    return true;
}

/* The run containing addr; *start its first address. */
static const vm_run *run_at(const vm_alloc *a, uintptr_t addr, uintptr_t *start)
{
    uintptr_t rs = a->base;
    for (size_t i = 0; i < a->nruns; i++) {
        if (addr < a->runs[i].end) {
            *start = rs;
            return &a->runs[i];
        }
        rs = a->runs[i].end;
    }
    return NULL;
}

static bool all_committed(const vm_alloc *a, uintptr_t start, uintptr_t end)
{
    uintptr_t rs = a->base;
    for (size_t i = 0; i < a->nruns; i++) {
        if (a->runs[i].end > start && rs < end && a->runs[i].state != MEM_COMMIT)
            return false;
        rs = a->runs[i].end;
    }
    return true;
}

/* The committed bytes of [start, end) in `a` (job memory accounting, ntemu/job_memory.c). */
static uint64_t committed_in(const vm_alloc *a, uintptr_t start, uintptr_t end)
{
    uint64_t n = 0;
    uintptr_t rs = a->base;
    for (size_t i = 0; i < a->nruns; i++) {
        uintptr_t b = rs > start ? rs : start, e = a->runs[i].end < end ? a->runs[i].end : end;
        if (a->runs[i].state == MEM_COMMIT && e > b)
            n += e - b;
        rs = a->runs[i].end;
    }
    return n;
}

/* Is [start, end) covered by mappings without a hole? *first_prot: protection of the first. */
static bool maps_cover(const vm_maps *m, uintptr_t start, uintptr_t end, int *first_prot)
{
    size_t i = maps_find(m, start);
    uintptr_t at = start;
    if (i >= m->n || m->v[i].start > start)
        return false;
    *first_prot = m->v[i].prot;
    for (; i < m->n && at < end; i++) {
        if (m->v[i].start > at)
            return false;
        at = m->v[i].end;
    }
    return at >= end;
}

/* Memory no allocation record covers. The program may change the protection of what the
 * runtime mapped for it (thread stacks; the TEBs and the PEB only to read-write, as Windows'
 * secured NoChange regions answer STATUS_INVALID_PAGE_PROTECTION otherwise, KUSER_SHARED_DATA
 * never) and of nothing else: the runtime's own mappings (its code and data, glibc's heap
 * arenas, native thread stacks, trampolines, sanitizer shadow) are not the program's, so they
 * answer as address space it never allocated does (STATUS_CONFLICTING_ADDRESSES). */
static NTSTATUS progmem_check(uintptr_t start, uintptr_t end, uint32_t new_protect)
{
    uintptr_t pb;
    size_t ps;
    switch (rt_progmem_find(start, &pb, &ps)) {
    case RT_MEM_STACK:
        return end - pb <= ps ? STATUS_SUCCESS : STATUS_CONFLICTING_ADDRESSES;
    case RT_MEM_TEB:
    case RT_MEM_PEB:
        if (end - pb > ps)
            return STATUS_CONFLICTING_ADDRESSES;
        return new_protect == PAGE_READWRITE || new_protect == PAGE_EXECUTE_READWRITE
                   ? STATUS_SUCCESS
                   : STATUS_INVALID_PAGE_PROTECTION;
    case RT_MEM_KUSER:
        return STATUS_INVALID_PAGE_PROTECTION;
    case RT_MEM_NONE:
        break;
    }
    return STATUS_CONFLICTING_ADDRESSES;
}

/* Under --sud=inclusive only the foreign range traps system calls: code the program runs from
 * anywhere else would make Linux calls with NT numbers. Memory outside it (a fixed address the
 * program chose) is refused execute protection, and said once. */
bool nt_vm_exec_allowed(uintptr_t start, size_t len)
{
    if (rt_foreign_range_has(start, start + len))
        return true;
    static int said;
    if (!__atomic_exchange_n(&said, 1, __ATOMIC_RELAXED))
        rt_message("--sud=inclusive: executable memory at %#lx-%#lx is outside the foreign range "
                   "%#lx-%#lx; refused (STATUS_CONFLICTING_ADDRESSES)", (unsigned long)start,
                   (unsigned long)(start + len), (unsigned long)RT_FOREIGN_START,
                   (unsigned long)RT_FOREIGN_END);
    return false;
}

/* ---- registration ---- */
void nt_vm_register_image(void *base, size_t size, const char *name)
{
    uintptr_t b = page_down((uintptr_t)base), e = page_up((uintptr_t)base + size);
    pthread_mutex_lock(&vm_lock);
    vm_forget(b, e);
    vm_alloc *a = alloc_new(b, e - b, MEM_IMAGE, PAGE_EXECUTE_WRITECOPY);
    if (a) {
        a->name = name ? strdup(name) : NULL;
        if (!vm_insert(a))
            alloc_free(a);
    }
    pthread_mutex_unlock(&vm_lock);
}

/* An image registered above that was mapped read-execute in one call (a built-in DLL:
 * thunks/builtin.c), though only [code, code + code_size) is code: a query answers
 * PAGE_READONLY for its other pages while the maps say read-execute there, and the first
 * NtProtectVirtualMemory on the image gives those pages their read-only protection for real
 * (image_narrow) before it reads the old one. */
void nt_vm_image_mapped_rx(void *base, void *code, size_t code_size)
{
    pthread_mutex_lock(&vm_lock);
    ssize_t i = vm_find((uintptr_t)base);
    if (i >= 0 && vm_allocs[i]->type == MEM_IMAGE && vm_allocs[i]->base == (uintptr_t)base) {
        vm_allocs[i]->code_lo = (uintptr_t)code;
        vm_allocs[i]->code_hi = (uintptr_t)code + code_size;
    }
    pthread_mutex_unlock(&vm_lock);
}

/* The pages of an image mapped read-execute whole that are not code made read-only, as
 * Windows has them, and the record forgotten. 0 or -errno. Called with vm_lock held. */
static int image_narrow(vm_alloc *a)
{
    if (!a->code_hi)
        return 0;
    if (mprotect((void *)a->base, a->code_lo - a->base, PROT_READ) != 0 ||
        (a->base + a->size > a->code_hi &&
         mprotect((void *)a->code_hi, a->base + a->size - a->code_hi, PROT_READ) != 0))
        return -errno;
    a->code_lo = a->code_hi = 0;
    return 0;
}

void nt_vm_unregister_image(void *base, size_t size)
{
    uintptr_t b = page_down((uintptr_t)base), e = page_up((uintptr_t)base + size);
    pthread_mutex_lock(&vm_lock);
    vm_forget(b, e);
    pthread_mutex_unlock(&vm_lock);
}

void nt_vm_register_region(void *base, size_t size, uint32_t state, uint32_t protect,
                           uint32_t type, void *alloc_base, uint32_t alloc_protect)
{
    uintptr_t b = page_down((uintptr_t)base), e = page_up((uintptr_t)base + size);
    uintptr_t ab = alloc_base ? page_down((uintptr_t)alloc_base) : b;
    vm_alloc *a = NULL;
    if (type == MEM_IMAGE) {
        nt_vm_register_image(alloc_base ? alloc_base : base, e - ab, NULL);
        return;
    }
    if (ab > b)
        ab = b;
    pthread_mutex_lock(&vm_lock);
    ssize_t i = vm_find(ab);
    if (i >= 0 && vm_allocs[i]->base == ab && vm_allocs[i]->type != MEM_IMAGE) {
        a = vm_allocs[i];
        if (a->base + a->size < e) { /* grows: the new part starts reserved */
            vm_run *last = &a->runs[a->nruns - 1];
            vm_forget(a->base + a->size, e);
            if (last->state == MEM_RESERVE) {
                last->end = e;
                a->size = e - a->base;
            } else {
                vm_run *r = realloc(a->runs, (a->nruns + 1) * sizeof *r);
                if (r) {
                    a->runs = r;
                    a->runs[a->nruns++] = (vm_run){e, MEM_RESERVE, 0};
                    a->size = e - a->base;
                }
            }
        }
    } else {
        vm_forget(ab, e);
        a = alloc_new(ab, e - ab, type ? type : MEM_PRIVATE, alloc_protect);
        if (a && !vm_insert(a)) {
            alloc_free(a);
            a = NULL;
        }
    }
    if (a && b < a->base + a->size)
        runs_set(a, b, e, state == MEM_COMMIT ? MEM_COMMIT : MEM_RESERVE,
                 state == MEM_COMMIT ? protect : 0);
    pthread_mutex_unlock(&vm_lock);
}

void nt_vm_register_heap(void *base, size_t size, uint32_t protect)
{
    uintptr_t b = page_down((uintptr_t)base), e = page_up((uintptr_t)base + size);
    pthread_mutex_lock(&vm_lock);
    vm_forget(b, e);
    vm_alloc *a = alloc_new(b, e - b, MEM_PRIVATE, protect);
    if (a) {
        a->freeable = false;
        if (!runs_set(a, b, e, MEM_COMMIT, protect) || !vm_insert(a))
            alloc_free(a);
    }
    pthread_mutex_unlock(&vm_lock);
}

/* ---- allocation ---- */

/* A PROT_NONE reservation of len bytes at a 64 KiB-aligned address below limit (0: anywhere;
 * under --sud=inclusive, anywhere in the foreign range: the program may make it executable). */
static uintptr_t reserve_anywhere(size_t len, uintptr_t limit)
{
    const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    if (!limit) {
        void *p = rt_foreign_mmap(len, PROT_NONE, MAP_NORESERVE, NT_GRANULARITY);
        return p == MAP_FAILED ? 0 : (uintptr_t)p;
    }
    if (rt_foreign_confined() && limit > RT_FOREIGN_END)
        limit = RT_FOREIGN_END;
    for (int attempt = 0; attempt < 4; attempt++) { /* the lowest free gap that fits */
        vm_maps m;
        uintptr_t prev_end = NT_MIN_ADDRESS;
        if (!maps_read(&m))
            return 0;
        for (size_t i = 0; i <= m.n; i++) {
            uintptr_t next = i < m.n ? m.v[i].start : NT_USER_LIMIT;
            uintptr_t cand = (prev_end + NT_GRANULARITY - 1) & ~(uintptr_t)(NT_GRANULARITY - 1);
            if (cand + len <= next && cand + len <= limit) {
                void *p = mmap((void *)cand, len, PROT_NONE, flags | MAP_FIXED_NOREPLACE, -1, 0);
                if (p == (void *)cand) {
                    maps_free(&m);
                    return cand;
                }
                if (p != MAP_FAILED)
                    munmap(p, len);
                break; /* raced with another mapping: read the maps again */
            }
            if (i < m.n && m.v[i].end > prev_end)
                prev_end = m.v[i].end;
            if (prev_end >= limit)
                break;
        }
        maps_free(&m);
    }
    return 0;
}

/* The highest address + 1 that zero_bits allows (0: no limit), or 1 for an invalid value. */
static uintptr_t zero_bits_limit(ULONG_PTR zero_bits)
{
    if (zero_bits == 0)
        return 0;
    if (zero_bits <= 21)
        return (uintptr_t)1 << (32 - zero_bits);
    if (zero_bits < 32)
        return 1;
    return (uintptr_t)1 << (64 - __builtin_clzll(zero_bits)); /* a mask of allowed bits */
}

NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE process, void **base, ULONG_PTR zero_bits,
                                       SIZE_T *size, uint32_t type, uint32_t protect)
{
    const uint32_t allowed = MEM_COMMIT | MEM_RESERVE | MEM_RESET | MEM_TOP_DOWN |
                             NT_MEM_WRITE_WATCH | NT_MEM_PHYSICAL | NT_MEM_RESET_UNDO |
                             NT_MEM_LARGE_PAGES;
    void *ubase;
    SIZE_T usize;
    uintptr_t start, end, limit;
    int uprot;
    NTSTATUS st = STATUS_SUCCESS;
    bool in_view = false;

    {
        nt_child *c;
        NTSTATUS tst = nt_process_target(process, 0x8u /* PROCESS_VM_OPERATION */, &c);
        if (tst != STATUS_SUCCESS)
            return tst;
        if (c) {
            tst = nt_rc_vm_alloc(c, base, zero_bits, size, type, protect);
            nt_process_target_done(c);
            return tst;
        }
    }
    if (nt_copy_from_user(&ubase, base, sizeof ubase) != 0 ||
        nt_copy_from_user(&usize, size, sizeof usize) != 0 || !nt_probe_write(base, sizeof ubase) ||
        !nt_probe_write(size, sizeof usize))
        return STATUS_ACCESS_VIOLATION;
    if ((type & ~allowed) || !(type & (MEM_COMMIT | MEM_RESERVE | MEM_RESET | NT_MEM_RESET_UNDO)))
        return STATUS_INVALID_PARAMETER_5; /* AllocationType, as Windows names it */
    if ((type & (MEM_RESET | NT_MEM_RESET_UNDO)) &&
        (type & (MEM_COMMIT | MEM_RESERVE | MEM_RESET | NT_MEM_RESET_UNDO)) != (type & (MEM_RESET | NT_MEM_RESET_UNDO)))
        return STATUS_INVALID_PARAMETER;
    limit = zero_bits_limit(zero_bits);
    if (limit == 1)
        return STATUS_INVALID_PARAMETER;
    if (usize == 0 || usize > NT_USER_LIMIT || (uintptr_t)ubase >= NT_USER_LIMIT ||
        (uintptr_t)ubase + usize > NT_USER_LIMIT)
        return STATUS_INVALID_PARAMETER;
    uprot = nt_vm_prot_to_unix(protect);
    if (!(type & (MEM_RESET | NT_MEM_RESET_UNDO)) &&
        (uprot < 0 || (protect & 0xff) == PAGE_WRITECOPY ||
         (protect & 0xff) == PAGE_EXECUTE_WRITECOPY))
        return STATUS_INVALID_PAGE_PROTECTION;
    if (ubase && uprot > 0 && (uprot & PROT_EXEC) && !nt_vm_exec_allowed((uintptr_t)ubase, usize))
        return STATUS_CONFLICTING_ADDRESSES;

    pthread_mutex_lock(&vm_lock);
    if (type & (MEM_RESET | NT_MEM_RESET_UNDO)) {
        if (!ubase) {
            st = STATUS_INVALID_PARAMETER;
            goto unlock;
        }
        start = page_down((uintptr_t)ubase);
        end = page_up((uintptr_t)ubase + usize);
        ssize_t i = vm_find(start);
        if (i < 0 || vm_allocs[i]->type == MEM_IMAGE ||
            end > vm_allocs[i]->base + vm_allocs[i]->size || !all_committed(vm_allocs[i], start, end)) {
            st = i < 0 ? STATUS_CONFLICTING_ADDRESSES : STATUS_NOT_COMMITTED;
            goto unlock;
        }
        if (type & MEM_RESET) /* contents may be discarded; the pages stay committed */
            madvise((void *)start, end - start, MADV_FREE);
        goto out;
    }
    if (!ubase && (type & MEM_COMMIT))
        type |= MEM_RESERVE; /* committing at no particular address reserves too */
    if (type & MEM_RESERVE) {
        vm_alloc *a;
        if (ubase) {
            start = (uintptr_t)ubase & ~(uintptr_t)(NT_GRANULARITY - 1);
            end = page_up((uintptr_t)ubase + usize);
            if (start < NT_MIN_ADDRESS) {
                st = STATUS_INVALID_PARAMETER;
                goto unlock;
            }
            void *p = mmap((void *)start, end - start, PROT_NONE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
            if (p != (void *)start) {
                if (p != MAP_FAILED) /* an old kernel took it as a hint */
                    munmap(p, end - start);
                st = p == MAP_FAILED && errno != EEXIST ? nt_status_from_errno(errno)
                                                        : STATUS_CONFLICTING_ADDRESSES;
                goto unlock;
            }
        } else {
            size_t len = page_up(usize);
            start = reserve_anywhere(len, limit);
            if (!start) {
                st = STATUS_NO_MEMORY;
                goto unlock;
            }
            end = start + len;
        }
        vm_forget(start, end);
        a = alloc_new(start, end - start, MEM_PRIVATE, protect);
        if (!a || !vm_insert(a)) {
            if (a)
                alloc_free(a);
            munmap((void *)start, end - start);
            st = STATUS_NO_MEMORY;
            goto unlock;
        }
        if ((type & MEM_COMMIT) &&
            ((st = nt_jobmem_charge(end - start)) != STATUS_SUCCESS || /* a job's limits */
             mprotect((void *)start, end - start, uprot) != 0 ||
             !runs_set(a, start, end, MEM_COMMIT, protect))) {
            if (st == STATUS_SUCCESS) {
                nt_jobmem_uncharge(end - start);
                st = STATUS_NO_MEMORY;
            }
            munmap((void *)start, end - start);
            vm_remove_at((size_t)vm_find(start));
            goto unlock;
        }
    } else { /* commit inside an existing reservation */
        start = page_down((uintptr_t)ubase);
        end = page_up((uintptr_t)ubase + usize);
        ssize_t i = vm_find(start);
        if (i < 0 && vm_next_base(start) >= end &&
            progmem_check(start, end, protect) == STATUS_SUCCESS) {
            /* a thread stack (or the TEB/PEB read-write): committed already, as on Windows
             * committing committed pages only sets their protection */
            if (mprotect((void *)start, end - start, uprot) != 0) {
                st = nt_status_from_errno(errno);
                goto unlock;
            }
            goto out;
        }
        if (i < 0 || vm_allocs[i]->type == MEM_IMAGE ||
            end > vm_allocs[i]->base + vm_allocs[i]->size) {
            st = STATUS_CONFLICTING_ADDRESSES;
            goto unlock;
        }
        uint64_t fresh = vm_allocs[i]->freeable /* private memory, not a view or the heap */
                             ? (end - start) - committed_in(vm_allocs[i], start, end)
                             : 0;
        if ((st = nt_jobmem_charge(fresh)) != STATUS_SUCCESS) /* a job's limits */
            goto unlock;
        if (mprotect((void *)start, end - start, uprot) != 0) {
            nt_jobmem_uncharge(fresh);
            st = nt_status_from_errno(errno);
            goto unlock;
        }
        if (!runs_set(vm_allocs[i], start, end, MEM_COMMIT, protect)) {
            nt_jobmem_uncharge(fresh);
            st = STATUS_NO_MEMORY;
            goto unlock;
        }
        in_view = vm_allocs[i]->type == MEM_MAPPED;
    }
out:
    ubase = (void *)start;
    usize = end - start;
    nt_copy_to_user(base, &ubase, sizeof ubase);
    nt_copy_to_user(size, &usize, sizeof usize);
unlock:
    pthread_mutex_unlock(&vm_lock);
    if (in_view) /* a SEC_RESERVE section's pages: committed for its every view */
        nt_section_committed(start, end);
    return st;
}

NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE process, void **base, SIZE_T *size, uint32_t type)
{
    void *ubase;
    SIZE_T usize;
    uintptr_t start, end;
    NTSTATUS st = STATUS_SUCCESS;
    vm_alloc *a;
    ssize_t i;

    {
        nt_child *c;
        NTSTATUS tst = nt_process_target(process, 0x8u /* PROCESS_VM_OPERATION */, &c);
        if (tst != STATUS_SUCCESS)
            return tst;
        if (c) {
            tst = nt_rc_vm_free(c, base, size, type);
            nt_process_target_done(c);
            return tst;
        }
    }
    if (nt_copy_from_user(&ubase, base, sizeof ubase) != 0 ||
        nt_copy_from_user(&usize, size, sizeof usize) != 0 || !nt_probe_write(base, sizeof ubase) ||
        !nt_probe_write(size, sizeof usize))
        return STATUS_ACCESS_VIOLATION;
    if (type != MEM_RELEASE && type != MEM_DECOMMIT)
        return STATUS_INVALID_PARAMETER_4; /* FreeType: one of the two, as Windows names it */

    pthread_mutex_lock(&vm_lock);
    i = vm_find((uintptr_t)ubase);
    if (i < 0) {
        uintptr_t pb;
        size_t ps;
        switch (rt_progmem_find((uintptr_t)ubase, &pb, &ps)) {
        case RT_MEM_TEB: /* secured (NoChange) regions: deleting them is a protection change */
        case RT_MEM_PEB:
        case RT_MEM_KUSER:
            st = STATUS_INVALID_PAGE_PROTECTION;
            break;
        case RT_MEM_STACK: /* built-ins run on it too: it goes with its thread */
            st = STATUS_UNABLE_TO_FREE_VM;
            break;
        case RT_MEM_NONE: /* unallocated, or the runtime's own memory */
            st = STATUS_MEMORY_NOT_ALLOCATED;
            break;
        }
        goto unlock;
    }
    a = vm_allocs[i];
    if (!a->freeable) { /* an image or a view goes by NtUnmapViewOfSection; a heap with it */
        st = a->type == MEM_PRIVATE ? STATUS_UNABLE_TO_FREE_VM : STATUS_UNABLE_TO_DELETE_SECTION;
        goto unlock;
    }
    if (type == MEM_RELEASE) {
        if (usize == 0 && (uintptr_t)ubase != a->base) {
            st = STATUS_FREE_VM_NOT_AT_BASE;
            goto unlock;
        }
        if (usize && (page_down((uintptr_t)ubase) != a->base ||
                      page_up((uintptr_t)ubase + usize) < a->base + a->size)) {
            st = STATUS_UNABLE_TO_FREE_VM; /* only whole allocations are released */
            goto unlock;
        }
        start = a->base;
        end = a->base + a->size;
        if (a->type == MEM_PRIVATE)
            nt_jobmem_uncharge(committed_in(a, start, end));
        munmap((void *)start, end - start);
        vm_remove_at((size_t)i);
    } else {
        start = page_down((uintptr_t)ubase);
        end = usize ? page_up((uintptr_t)ubase + usize) : a->base + a->size;
        if (end > a->base + a->size) {
            st = STATUS_UNABLE_TO_FREE_VM;
            goto unlock;
        }
        /* fresh PROT_NONE pages: the contents are gone, a new commit reads zeros */
        if (mmap((void *)start, end - start, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0) == MAP_FAILED) {
            st = nt_status_from_errno(errno);
            goto unlock;
        }
        if (a->type == MEM_PRIVATE)
            nt_jobmem_uncharge(committed_in(a, start, end));
        runs_set(a, start, end, MEM_RESERVE, 0);
    }
    ubase = (void *)start;
    usize = end - start;
    nt_copy_to_user(base, &ubase, sizeof ubase);
    nt_copy_to_user(size, &usize, sizeof usize);
unlock:
    pthread_mutex_unlock(&vm_lock);
    return st;
}

NTSTATUS NTAPI NtProtectVirtualMemory(HANDLE process, void **base, SIZE_T *size,
                                      uint32_t new_protect, uint32_t *old_protect)
{
    void *ubase;
    SIZE_T usize;
    uintptr_t start, end;
    uint32_t old = 0;
    int uprot, first_prot;
    NTSTATUS st = STATUS_SUCCESS;
    vm_maps m = {0};
    ssize_t i;

    {
        nt_child *c;
        NTSTATUS tst = nt_process_target(process, 0x8u /* PROCESS_VM_OPERATION */, &c);
        if (tst != STATUS_SUCCESS)
            return tst;
        if (c) {
            tst = nt_rc_vm_protect(c, base, size, new_protect, old_protect);
            nt_process_target_done(c);
            return tst;
        }
    }
    if (nt_copy_from_user(&ubase, base, sizeof ubase) != 0 ||
        nt_copy_from_user(&usize, size, sizeof usize) != 0 || !nt_probe_write(base, sizeof ubase) ||
        !nt_probe_write(size, sizeof usize) || !nt_probe_write(old_protect, sizeof *old_protect))
        return STATUS_ACCESS_VIOLATION;
    uprot = nt_vm_prot_to_unix(new_protect);
    if (uprot < 0)
        return STATUS_INVALID_PAGE_PROTECTION;
    start = page_down((uintptr_t)ubase);
    end = page_up((uintptr_t)ubase + (usize ? usize : 1));
    if (end > NT_USER_LIMIT || end <= start)
        return STATUS_INVALID_PARAMETER;
    if ((uprot & PROT_EXEC) && !nt_vm_exec_allowed(start, end - start))
        return STATUS_CONFLICTING_ADDRESSES;
    /* Pages the loader left to be filled on first access get their bytes before their
     * protection changes (and the old protection read below is then the real one). */
    rt_lazy_fill((const void *)start, end - start);

    pthread_mutex_lock(&vm_lock);
    i = vm_find(start);
    if (i >= 0 && vm_allocs[i]->type != MEM_IMAGE) {
        vm_alloc *a = vm_allocs[i];
        uintptr_t rs;
        if (end > a->base + a->size) {
            st = STATUS_CONFLICTING_ADDRESSES;
            goto unlock;
        }
        if (!all_committed(a, start, end)) {
            st = STATUS_NOT_COMMITTED;
            goto unlock;
        }
        old = run_at(a, start, &rs)->protect;
        if (mprotect((void *)start, end - start, uprot) != 0) {
            st = nt_status_from_errno(errno);
            goto unlock;
        }
        runs_set(a, start, end, MEM_COMMIT, new_protect);
    } else {
        if (i >= 0 && end > vm_allocs[i]->base + vm_allocs[i]->size) {
            st = STATUS_CONFLICTING_ADDRESSES;
            goto unlock;
        }
        if (i < 0 && vm_next_base(start) < end) { /* runs into one of ours */
            st = STATUS_CONFLICTING_ADDRESSES;
            goto unlock;
        }
        if (i < 0) { /* only what the runtime mapped for the program: not its own memory */
            st = progmem_check(start, end, new_protect);
            if (st != STATUS_SUCCESS)
                goto unlock;
        }
        if (i >= 0 && image_narrow(vm_allocs[i]) != 0) {
            st = nt_status_from_errno(errno);
            goto unlock;
        }
        if (!maps_read(&m)) {
            st = STATUS_NO_MEMORY;
            goto unlock;
        }
        if (!maps_cover(&m, start, end, &first_prot)) {
            st = i >= 0 ? STATUS_NOT_COMMITTED : STATUS_CONFLICTING_ADDRESSES;
            goto unlock;
        }
        old = page_prot_of_unix(first_prot);
        if (mprotect((void *)start, end - start, uprot) != 0) {
            st = nt_status_from_errno(errno);
            goto unlock;
        }
    }
    ubase = (void *)start;
    usize = end - start;
    nt_copy_to_user(base, &ubase, sizeof ubase);
    nt_copy_to_user(size, &usize, sizeof usize);
    nt_copy_to_user(old_protect, &old, sizeof old);
unlock:
    pthread_mutex_unlock(&vm_lock);
    maps_free(&m);
    return st;
}

/* ---- NtQueryVirtualMemory ---- */

/* An allocation of ours: everything from the run list. */
static void query_ours(const vm_alloc *a, uintptr_t page, MEMORY_BASIC_INFORMATION *mbi)
{
    uintptr_t rs;
    const vm_run *r = run_at(a, page, &rs);
    mbi->AllocationBase = (void *)a->base;
    mbi->AllocationProtect = a->alloc_protect;
    mbi->RegionSize = r->end - page;
    mbi->State = r->state;
    mbi->Protect = r->state == MEM_COMMIT ? r->protect : 0;
    mbi->Type = a->type;
}

/* An image: bookkeeping for the allocation, the maps for the pages. */
static void query_image(const vm_alloc *a, const vm_maps *m, uintptr_t page,
                        MEMORY_BASIC_INFORMATION *mbi)
{
    uintptr_t limit = a->base + a->size, end;
    size_t i = maps_find(m, page);
    mbi->AllocationBase = (void *)a->base;
    mbi->AllocationProtect = a->alloc_protect;
    mbi->Type = MEM_IMAGE;
    if (i < m->n && m->v[i].start <= page) {
        int prot = m->v[i].prot;
        end = m->v[i].end;
        while (++i < m->n && m->v[i].start == end && m->v[i].prot == prot && end < limit)
            end = m->v[i].end;
        /* DWARF pages not filled yet (runtime/lazy.c) are PROT_NONE in the maps: report the
         * protection they get on first access, as one region apart from their neighbours. */
        int lazy_prot;
        size_t span = rt_lazy_span(page, end < limit ? end : limit, &lazy_prot);
        if (lazy_prot >= 0)
            prot = lazy_prot;
        end = page + span;
        /* mapped read-execute whole: the pages outside the code are Windows' read-only ones */
        if (a->code_hi && prot == (PROT_READ | PROT_EXEC)) {
            if (page < a->code_lo) {
                prot = PROT_READ;
                end = end < a->code_lo ? end : a->code_lo;
            } else if (page >= a->code_hi) {
                prot = PROT_READ;
            } else {
                end = end < a->code_hi ? end : a->code_hi;
            }
        }
        mbi->State = MEM_COMMIT;
        mbi->Protect = page_prot_of_unix(prot);
    } else {
        end = i < m->n ? m->v[i].start : limit;
        mbi->State = MEM_RESERVE;
        mbi->Protect = 0;
    }
    mbi->RegionSize = (end < limit ? end : limit) - page;
}

/* A thread's foreign stack (runtime/thread.c): Windows' layout of a stack committed whole. */
static void query_stack(const rt_stack_regions *sr, uintptr_t page, MEMORY_BASIC_INFORMATION *mbi)
{
    mbi->AllocationBase = (void *)sr->base;
    mbi->AllocationProtect = PAGE_READWRITE;
    mbi->Type = MEM_PRIVATE;
    if (page < sr->guard) {
        mbi->State = MEM_RESERVE;
        mbi->Protect = 0;
        mbi->RegionSize = sr->guard - page;
    } else if (page < sr->committed) {
        mbi->State = MEM_COMMIT;
        mbi->Protect = PAGE_READWRITE | PAGE_GUARD;
        mbi->RegionSize = sr->committed - page;
    } else {
        mbi->State = MEM_COMMIT;
        mbi->Protect = PAGE_READWRITE;
        mbi->RegionSize = sr->end - page;
    }
}

/* End of the last record ending at or below addr, or 0. */
static uintptr_t vm_prev_end(uintptr_t addr)
{
    uintptr_t end = 0;
    for (size_t i = 0; i < vm_count && vm_allocs[i]->base < addr; i++)
        if (vm_allocs[i]->base + vm_allocs[i]->size <= addr)
            end = vm_allocs[i]->base + vm_allocs[i]->size;
    return end;
}

/* Anything else: the maps, and whose memory it is. Memory the runtime mapped for the program
 * (runtime/progmem.c: the TEBs, the PEB block, KUSER_SHARED_DATA) is reported as it is mapped,
 * one allocation per record. Every other mapping is the runtime's own (its code and data,
 * glibc's heap, native stacks, the rewrite trampolines, [vvar], sanitizer shadow): the program
 * sees it as address space reserved by someone else, MEM_RESERVE + PAGE_NOACCESS, as Windows
 * shows reservations a process did not make itself (the CFG bitmap's). Not MEM_FREE: a
 * program that looks for room with VirtualQuery (hooking libraries, JITs placing code near an
 * image) would be told an allocation there can succeed, and it cannot; not committed memory:
 * a scanner or minidump writer reading every committed page would read the runtime's
 * secrets, and fault on [vvar]'s unreadable pages. Contiguous runtime mappings are one region,
 * whose AllocationBase is its start; MEM_FREE is only address space nothing occupies, where a
 * reservation succeeds. */
static void query_other(const vm_maps *m, uintptr_t page, MEMORY_BASIC_INFORMATION *mbi)
{
    uintptr_t limit = vm_next_base(page), end, pb;
    size_t i = maps_find(m, page), ps;
    if (limit == UINTPTR_MAX || limit > NT_USER_LIMIT)
        limit = NT_USER_LIMIT;
    if (i >= m->n || m->v[i].start > page) { /* free space up to the next mapping */
        end = i < m->n ? m->v[i].start : NT_USER_LIMIT;
        mbi->AllocationBase = NULL;
        mbi->AllocationProtect = 0;
        mbi->State = MEM_FREE;
        mbi->Protect = PAGE_NOACCESS;
        mbi->Type = 0;
        mbi->RegionSize = (end < limit ? end : limit) - page;
        return;
    }
    const vm_map *v = &m->v[i];
    if (rt_progmem_find(page, &pb, &ps) != RT_MEM_NONE) { /* the program's: as mapped */
        if (pb + ps < limit)
            limit = pb + ps;
        end = v->end;
        for (size_t j = i + 1; j < m->n && m->v[j].start == end && m->v[j].prot == v->prot &&
                               m->v[j].anon == v->anon;
             j++)
            end = m->v[j].end;
        bool reserved = v->anon && v->prot == PROT_NONE;
        size_t first = maps_find(m, pb);
        mbi->AllocationBase = (void *)pb;
        mbi->AllocationProtect =
            first < m->n && m->v[first].start <= pb ? page_prot_of_unix(m->v[first].prot) : 0;
        mbi->State = reserved ? MEM_RESERVE : MEM_COMMIT;
        mbi->Protect = reserved ? 0 : page_prot_of_unix(v->prot);
        mbi->Type = v->anon ? MEM_PRIVATE : MEM_MAPPED;
        mbi->RegionSize = (end < limit ? end : limit) - page;
        return;
    }
    /* The runtime's: from the end of the nearest allocation, record or hole below, to the
     * start of the nearest above. */
    uintptr_t lo = vm_prev_end(page), hi = limit;
    rt_progmem_neighbours(page, &lo, &hi);
    size_t first = i;
    while (first > 0 && m->v[first - 1].end == m->v[first].start && m->v[first].start > lo)
        first--;
    uintptr_t base = m->v[first].start > lo ? m->v[first].start : lo;
    end = v->end;
    for (size_t j = i + 1; j < m->n && m->v[j].start == end && end < hi; j++)
        end = m->v[j].end;
    mbi->AllocationBase = (void *)base;
    mbi->AllocationProtect = PAGE_NOACCESS;
    mbi->State = MEM_RESERVE;
    mbi->Protect = 0;
    mbi->Type = MEM_PRIVATE;
    mbi->RegionSize = (end < hi ? end : hi) - page;
}

NTSTATUS NTAPI NtQueryVirtualMemory(HANDLE process, const void *addr, uint32_t klass, void *info,
                                    SIZE_T len, SIZE_T *ret_len)
{
    MEMORY_BASIC_INFORMATION mbi = {0};
    uintptr_t page = page_down((uintptr_t)addr);
    SIZE_T out_len = sizeof mbi;
    vm_maps m = {0};
    ssize_t i;

    {
        nt_child *c;
        NTSTATUS tst = nt_process_target(process, 0x400u /* PROCESS_QUERY_INFORMATION */, &c);
        if (tst != STATUS_SUCCESS)
            return tst;
        if (c) {
            tst = nt_rc_vm_query(c, addr, klass, info, len, ret_len);
            nt_process_target_done(c);
            return tst;
        }
    }
    process = NtCurrentProcess(); /* a handle of our own process */
    if (klass == 2) /* MemoryMappedFilenameInformation: ntemu/vmname.c */
        return nt_query_mapped_filename(process, addr, info, len, ret_len);
    if (klass != 0) /* MemoryBasicInformation */
        return STATUS_INVALID_INFO_CLASS;
    if (len < sizeof mbi)
        return STATUS_INFO_LENGTH_MISMATCH;
    if ((uintptr_t)addr >= NT_USER_LIMIT)
        return STATUS_INVALID_PARAMETER;
    /* The whole buffer, as Windows probes MemoryInformationLength bytes before writing. */
    if (!nt_probe_write(info, len) || (ret_len && !nt_probe_write(ret_len, sizeof *ret_len)))
        return STATUS_ACCESS_VIOLATION;

    mbi.BaseAddress = (void *)page;
    nt_section_sync(page); /* pages another process committed in a SEC_RESERVE view */
    rt_stack_regions stack;
    bool on_stack = rt_stack_layout(page, &stack);
    pthread_mutex_lock(&vm_lock);
    i = vm_find(page);
    if (i >= 0 && vm_allocs[i]->type != MEM_IMAGE) {
        query_ours(vm_allocs[i], page, &mbi);
    } else if (i < 0 && on_stack) {
        query_stack(&stack, page, &mbi);
    } else if (!maps_read(&m)) {
        pthread_mutex_unlock(&vm_lock);
        return STATUS_NO_MEMORY;
    } else if (i >= 0) {
        query_image(vm_allocs[i], &m, page, &mbi);
    } else {
        query_other(&m, page, &mbi);
    }
    pthread_mutex_unlock(&vm_lock);
    maps_free(&m);
    if (nt_copy_to_user(info, &mbi, sizeof mbi) != 0 ||
        (ret_len && nt_copy_to_user(ret_len, &out_len, sizeof out_len) != 0))
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

/* ---- NtReadVirtualMemory / NtWriteVirtualMemory ---- */

/* Is [start, end) all memory the program was given? (vm_lock held) */
static bool program_owns(uintptr_t start, uintptr_t end)
{
    uintptr_t at = start;
    while (at < end) {
        ssize_t i = vm_find(at);
        uintptr_t pb;
        size_t ps;
        if (i >= 0)
            at = vm_allocs[i]->base + vm_allocs[i]->size;
        else if (rt_progmem_find(at, &pb, &ps) != RT_MEM_NONE)
            at = pb + ps;
        else
            return false;
    }
    return true;
}

static NTSTATUS vm_copy(HANDLE process, uintptr_t addr, void *to, const void *from, SIZE_T size,
                        bool write, SIZE_T *done)
{
    SIZE_T n = 0;
    NTSTATUS st = STATUS_SUCCESS;
    {
        nt_child *c;
        NTSTATUS tst = nt_process_target(process, write ? 0x20u /* PROCESS_VM_WRITE */ : 0x10u /* PROCESS_VM_READ */, &c);
        if (tst != STATUS_SUCCESS)
            return tst;
        if (c) {
            tst = nt_rc_vm_copy(c, addr, write ? (void *)from : to, size, write, done);
            nt_process_target_done(c);
            return tst;
        }
    }
    if (done && !nt_probe_write(done, sizeof *done))
        return STATUS_ACCESS_VIOLATION;
    if (addr + size < addr || addr + size > NT_USER_LIMIT)
        st = STATUS_ACCESS_VIOLATION;
    else if (size) {
        pthread_mutex_lock(&vm_lock);
        bool owned = program_owns(page_down(addr), page_up(addr + size));
        pthread_mutex_unlock(&vm_lock);
        if (!owned || rt_safe_copy(to, from, size) != 0)
            st = STATUS_PARTIAL_COPY;
        else
            n = size;
    }
    if (done)
        nt_copy_to_user(done, &n, sizeof n);
    return st;
}

NTSTATUS NTAPI NtReadVirtualMemory(HANDLE process, const void *addr, void *buffer, SIZE_T size,
                                   SIZE_T *done)
{
    return vm_copy(process, (uintptr_t)addr, buffer, addr, size, false, done);
}

NTSTATUS NTAPI NtWriteVirtualMemory(HANDLE process, void *addr, const void *buffer, SIZE_T size,
                                    SIZE_T *done)
{
    return vm_copy(process, (uintptr_t)addr, addr, buffer, size, true, done);
}

/* libntrun teardown (nt_process_teardown): releases every region NtAllocateVirtualMemory made
 * and forgets every record (images are unmapped by the loader). */
void nt_vm_release_all(void)
{
    pthread_mutex_lock(&vm_lock);
    while (vm_count) {
        vm_alloc *a = vm_allocs[vm_count - 1];
        if (a->freeable)
            munmap((void *)a->base, a->size);
        vm_remove_at(vm_count - 1);
    }
    free(vm_allocs);
    vm_allocs = NULL;
    vm_cap = 0;
    pthread_mutex_unlock(&vm_lock);
}
