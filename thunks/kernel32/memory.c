/* SPDX-License-Identifier: MIT */
/* kernel32 memory: heaps (HeapCreate/HeapAlloc/... and ntdll's RtlAllocateHeap family, the
 * same code), LocalAlloc/GlobalAlloc and friends (fixed memory from the process heap), and
 * VirtualAlloc/VirtualFree/VirtualProtect/VirtualQuery on top of the NT virtual-memory calls.
 *
 * A heap is a list of blocks from the host allocator, each with a 32-byte header in front of
 * the pointer handed out (16-byte aligned, as on Windows x64), so HeapSize is exact and
 * HeapDestroy frees what is left. Headers are read with a fault-safe copy: a foreign pointer
 * that is not a heap block gives FALSE/ERROR_INVALID_PARAMETER rather than a runtime crash.
 * The process heap is created at first use and recorded in PEB->ProcessHeap.
 * HEAP_NO_SERIALIZE is accepted but every heap is locked. HEAP_GENERATE_EXCEPTIONS does not
 * raise yet (no exception dispatch): failures return NULL. */
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_HEAP_MAGIC 0x50414548u /* "HEAP" */
#define K32_BLOCK_MAGIC 0x4b4c4248504145a5ull

typedef struct k32_block {
    struct k32_block *next; /* 0x00: circular list of the heap's blocks */
    struct k32_block *prev; /* 0x08 */
    SIZE_T size;            /* 0x10: bytes asked for */
    uint64_t owner;         /* 0x18: heap address ^ K32_BLOCK_MAGIC; 0 once freed */
} k32_block;
_Static_assert(sizeof(k32_block) == 32, "heap block header keeps 16-byte alignment");

typedef struct k32_heap {
    uint32_t magic;
    DWORD flags;
    SIZE_T max_size; /* 0: growable */
    SIZE_T used;
    pthread_mutex_t lock;
    k32_block blocks; /* list head */
    struct k32_heap *next_heap;
} k32_heap;

static pthread_mutex_t k32_heaps_lock = PTHREAD_MUTEX_INITIALIZER;
static k32_heap *k32_heaps; /* every live heap, for GetProcessHeaps and handle checks */
static k32_heap *k32_proc_heap;
static pthread_once_t k32_proc_heap_once = PTHREAD_ONCE_INIT;

static k32_heap *k32_heap_new(DWORD flags, SIZE_T max_size)
{
    k32_heap *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->magic = K32_HEAP_MAGIC;
    h->flags = flags;
    h->max_size = max_size;
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE); /* HeapLock nests */
    pthread_mutex_init(&h->lock, &attr);
    pthread_mutexattr_destroy(&attr);
    h->blocks.next = h->blocks.prev = &h->blocks;
    pthread_mutex_lock(&k32_heaps_lock);
    h->next_heap = k32_heaps;
    k32_heaps = h;
    pthread_mutex_unlock(&k32_heaps_lock);
    return h;
}

static void k32_proc_heap_create(void)
{
    k32_proc_heap = k32_heap_new(0, 0);
    if (rt_proc.peb)
        rt_proc.peb->ProcessHeap = k32_proc_heap;
}

HANDLE k32_process_heap(void)
{
    pthread_once(&k32_proc_heap_once, k32_proc_heap_create);
    return k32_proc_heap;
}

/* The heap behind a handle, or NULL. */
static k32_heap *k32_heap_get(HANDLE handle)
{
    k32_heap *found = NULL;
    pthread_mutex_lock(&k32_heaps_lock);
    for (k32_heap *h = k32_heaps; h; h = h->next_heap)
        if (h == handle) {
            found = h;
            break;
        }
    pthread_mutex_unlock(&k32_heaps_lock);
    return found;
}

/* The block header of `p` if p is a live block of `h` (read fault-safely), else NULL. */
static k32_block *k32_block_of(k32_heap *h, const void *p)
{
    if (!p || ((uintptr_t)p & 15))
        return NULL;
    k32_block copy;
    k32_block *b = (k32_block *)p - 1;
    if (rt_safe_copy(&copy, b, sizeof copy) != 0)
        return NULL;
    if (copy.owner != ((uint64_t)(uintptr_t)h ^ K32_BLOCK_MAGIC))
        return NULL;
    return b;
}

static void k32_link(k32_heap *h, k32_block *b)
{
    b->next = h->blocks.next;
    b->prev = &h->blocks;
    h->blocks.next->prev = b;
    h->blocks.next = b;
}

static void k32_unlink(k32_block *b)
{
    b->prev->next = b->next;
    b->next->prev = b->prev;
}

static void *k32_alloc_in(k32_heap *h, DWORD flags, SIZE_T size)
{
    if (size > (SIZE_T)INT64_MAX - sizeof(k32_block) ||
        (h->max_size && size > h->max_size))
        return NULL;
    k32_block *b = malloc(sizeof *b + (size ? size : 1));
    if (!b)
        return NULL;
    if (flags & K32_HEAP_ZERO_MEMORY)
        memset(b + 1, 0, size);
    b->size = size;
    b->owner = (uint64_t)(uintptr_t)h ^ K32_BLOCK_MAGIC;
    pthread_mutex_lock(&h->lock);
    k32_link(h, b);
    h->used += size;
    pthread_mutex_unlock(&h->lock);
    return b + 1;
}

void *WINAPI HeapAlloc(HANDLE heap, DWORD flags, SIZE_T size)
{
    k32_heap *h = k32_heap_get(heap);
    if (!h)
        return NULL;
    return k32_alloc_in(h, flags | h->flags, size);
}
THK_EXPORT(kernel32, HeapAlloc, 3);
THK_EXPORT_AS(ntdll, RtlAllocateHeap, HeapAlloc, 3);

BOOL WINAPI HeapFree(HANDLE heap, DWORD flags, void *p)
{
    if (!p)
        return TRUE;
    k32_heap *h = k32_heap_get(heap);
    k32_block *b = h ? k32_block_of(h, p) : NULL;
    if (!b) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    pthread_mutex_lock(&h->lock);
    if (b->owner != ((uint64_t)(uintptr_t)h ^ K32_BLOCK_MAGIC)) { /* freed meanwhile */
        pthread_mutex_unlock(&h->lock);
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    k32_unlink(b);
    h->used -= b->size;
    b->owner = 0;
    pthread_mutex_unlock(&h->lock);
    free(b);
    return TRUE;
}
THK_EXPORT(kernel32, HeapFree, 3);
THK_EXPORT_AS(ntdll, RtlFreeHeap, HeapFree, 3);

void *WINAPI HeapReAlloc(HANDLE heap, DWORD flags, void *p, SIZE_T size)
{
    k32_heap *h = k32_heap_get(heap);
    k32_block *b = h ? k32_block_of(h, p) : NULL;
    if (!b) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    flags |= h->flags;
    if (size > (SIZE_T)INT64_MAX - sizeof(k32_block) || (h->max_size && size > h->max_size))
        return NULL;
    pthread_mutex_lock(&h->lock);
    SIZE_T old = b->size;
    size_t usable = malloc_usable_size(b) - sizeof *b;
    void *result = NULL;
    if (size <= usable) {
        b->size = size;
        result = b + 1;
    } else if (!(flags & K32_HEAP_REALLOC_IN_PLACE_ONLY)) {
        k32_unlink(b);
        k32_block *nb = realloc(b, sizeof *b + size);
        if (!nb) {
            k32_link(h, b);
        } else {
            b = nb;
            b->size = size;
            k32_link(h, b);
            result = b + 1;
        }
    }
    if (result) {
        h->used += size;
        h->used -= old;
        if ((flags & K32_HEAP_ZERO_MEMORY) && size > old)
            memset((char *)result + old, 0, size - old);
    }
    pthread_mutex_unlock(&h->lock);
    return result; /* like HeapAlloc, no last error on failure */
}
THK_EXPORT(kernel32, HeapReAlloc, 4);
THK_EXPORT_AS(ntdll, RtlReAllocateHeap, HeapReAlloc, 4);

SIZE_T WINAPI HeapSize(HANDLE heap, DWORD flags, const void *p)
{
    k32_heap *h = k32_heap_get(heap);
    k32_block *b = h ? k32_block_of(h, p) : NULL;
    if (!b) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return (SIZE_T)-1;
    }
    return b->size;
}
THK_EXPORT(kernel32, HeapSize, 3);
THK_EXPORT_AS(ntdll, RtlSizeHeap, HeapSize, 3);

BOOL WINAPI HeapValidate(HANDLE heap, DWORD flags, const void *p)
{
    k32_heap *h = k32_heap_get(heap);
    if (!h)
        return FALSE;
    return !p || k32_block_of(h, p) != NULL;
}
THK_EXPORT(kernel32, HeapValidate, 3);
THK_EXPORT_AS(ntdll, RtlValidateHeap, HeapValidate, 3);

HANDLE WINAPI HeapCreate(DWORD flags, SIZE_T initial, SIZE_T max)
{
    if (max && initial > max) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    k32_heap *h = k32_heap_new(flags & (K32_HEAP_NO_SERIALIZE | K32_HEAP_GENERATE_EXCEPTIONS), max);
    if (!h)
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
    return h;
}
THK_EXPORT(kernel32, HeapCreate, 3);

BOOL WINAPI HeapDestroy(HANDLE heap)
{
    k32_heap *h = k32_heap_get(heap);
    if (!h || h == k32_proc_heap) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    pthread_mutex_lock(&k32_heaps_lock);
    for (k32_heap **pp = &k32_heaps; *pp; pp = &(*pp)->next_heap)
        if (*pp == h) {
            *pp = h->next_heap;
            break;
        }
    pthread_mutex_unlock(&k32_heaps_lock);
    pthread_mutex_lock(&h->lock);
    for (k32_block *b = h->blocks.next, *next; b != &h->blocks; b = next) {
        next = b->next;
        b->owner = 0;
        free(b);
    }
    pthread_mutex_unlock(&h->lock);
    pthread_mutex_destroy(&h->lock);
    h->magic = 0;
    free(h);
    return TRUE;
}
THK_EXPORT(kernel32, HeapDestroy, 1);

/* RtlCreateHeap(flags, base, reserve, commit, lock, params): base/lock/params unsupported. */
static HANDLE WINAPI k32_RtlCreateHeap(ULONG flags, void *base, SIZE_T reserve, SIZE_T commit,
                                       void *lock, void *params)
{
    if (base || lock)
        return NULL;
    return k32_heap_new(flags & (K32_HEAP_NO_SERIALIZE | K32_HEAP_GENERATE_EXCEPTIONS),
                        (flags & 2 /* HEAP_GROWABLE */) ? 0 : reserve);
}
THK_EXPORT_AS(ntdll, RtlCreateHeap, k32_RtlCreateHeap, 6);

/* RtlDestroyHeap: NULL on success, the heap on failure. */
static HANDLE WINAPI k32_RtlDestroyHeap(HANDLE heap)
{
    uint32_t saved = thk_get_last_error();
    BOOL ok = HeapDestroy(heap);
    thk_set_last_error(saved);
    return ok ? NULL : heap;
}
THK_EXPORT_AS(ntdll, RtlDestroyHeap, k32_RtlDestroyHeap, 1);

HANDLE WINAPI GetProcessHeap(void)
{
    return k32_process_heap();
}
THK_EXPORT(kernel32, GetProcessHeap, 0);

DWORD WINAPI GetProcessHeaps(DWORD count, HANDLE *heaps)
{
    k32_process_heap();
    DWORD n = 0;
    pthread_mutex_lock(&k32_heaps_lock);
    for (k32_heap *h = k32_heaps; h; h = h->next_heap) {
        if (n < count && heaps)
            heaps[n] = h;
        n++;
    }
    pthread_mutex_unlock(&k32_heaps_lock);
    return n;
}
THK_EXPORT(kernel32, GetProcessHeaps, 2);

BOOL WINAPI HeapLock(HANDLE heap)
{
    k32_heap *h = k32_heap_get(heap);
    if (!h) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    pthread_mutex_lock(&h->lock);
    return TRUE;
}
THK_EXPORT(kernel32, HeapLock, 1);

BOOL WINAPI HeapUnlock(HANDLE heap)
{
    k32_heap *h = k32_heap_get(heap);
    if (!h) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    pthread_mutex_unlock(&h->lock);
    return TRUE;
}
THK_EXPORT(kernel32, HeapUnlock, 1);

SIZE_T WINAPI HeapCompact(HANDLE heap, DWORD flags)
{
    if (!k32_heap_get(heap)) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return 0;
    }
    return 0x100000; /* largest committed free block: nominal, the host allocator owns it */
}
THK_EXPORT(kernel32, HeapCompact, 2);

/* HeapEnableTerminationOnCorruption, the low-fragmentation heap: accepted, nothing to do. */
BOOL WINAPI HeapSetInformation(HANDLE heap, int klass, void *info, SIZE_T len)
{
    return TRUE;
}
THK_EXPORT(kernel32, HeapSetInformation, 4);

void *k32_heap_alloc(size_t size, bool zero)
{
    return HeapAlloc(k32_process_heap(), zero ? K32_HEAP_ZERO_MEMORY : 0, size);
}

void k32_heap_free(void *p)
{
    HeapFree(k32_process_heap(), 0, p);
}

/* ---- LocalXxx and GlobalXxx: fixed memory from the process heap ----
 * LMEM_MOVEABLE/GMEM_MOVEABLE blocks are fixed too: the "handle" is the pointer, and
 * LocalLock/GlobalLock return it, so programs that lock before use work unchanged. */
#define K32_LMEM_MODIFY 0x0080

void *WINAPI LocalAlloc(UINT flags, SIZE_T size)
{
    void *p = HeapAlloc(k32_process_heap(), (flags & K32_LMEM_ZEROINIT) ? K32_HEAP_ZERO_MEMORY : 0,
                        size);
    if (!p)
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
    return p;
}
THK_EXPORT(kernel32, LocalAlloc, 2);
THK_EXPORT_AS(kernel32, GlobalAlloc, LocalAlloc, 2);

void *WINAPI LocalFree(void *mem)
{
    if (!mem)
        return NULL;
    if (!HeapFree(k32_process_heap(), 0, mem)) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return mem;
    }
    return NULL;
}
THK_EXPORT(kernel32, LocalFree, 1);
THK_EXPORT_AS(kernel32, GlobalFree, LocalFree, 1);

void *WINAPI LocalReAlloc(void *mem, SIZE_T size, UINT flags)
{
    if (flags & K32_LMEM_MODIFY)
        return mem;
    DWORD hf = (flags & K32_LMEM_ZEROINIT) ? K32_HEAP_ZERO_MEMORY : 0;
    if (!(flags & K32_LMEM_MOVEABLE))
        hf |= K32_HEAP_REALLOC_IN_PLACE_ONLY; /* a fixed block cannot move */
    void *p = HeapReAlloc(k32_process_heap(), hf, mem, size);
    if (!p)
        thk_set_last_error(k32_block_of(k32_process_heap(), mem) ? ERROR_NOT_ENOUGH_MEMORY
                                                                 : ERROR_INVALID_HANDLE);
    return p;
}
THK_EXPORT(kernel32, LocalReAlloc, 3);
THK_EXPORT_AS(kernel32, GlobalReAlloc, LocalReAlloc, 3);

SIZE_T WINAPI LocalSize(void *mem)
{
    SIZE_T s = HeapSize(k32_process_heap(), 0, mem);
    if (s == (SIZE_T)-1) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return 0;
    }
    return s;
}
THK_EXPORT(kernel32, LocalSize, 1);
THK_EXPORT_AS(kernel32, GlobalSize, LocalSize, 1);

void *WINAPI LocalLock(void *mem)
{
    if (!k32_block_of(k32_process_heap(), mem)) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return NULL;
    }
    return mem;
}
THK_EXPORT(kernel32, LocalLock, 1);
THK_EXPORT_AS(kernel32, GlobalLock, LocalLock, 1);

/* Unlocking a fixed block: FALSE with ERROR_NOT_LOCKED, as Windows reports (158). */
BOOL WINAPI LocalUnlock(void *mem)
{
    thk_set_last_error(k32_block_of(k32_process_heap(), mem) ? 158 : ERROR_INVALID_HANDLE);
    return FALSE;
}
THK_EXPORT(kernel32, LocalUnlock, 1);
THK_EXPORT_AS(kernel32, GlobalUnlock, LocalUnlock, 1);

void *WINAPI LocalHandle(const void *mem)
{
    if (!k32_block_of(k32_process_heap(), mem)) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return NULL;
    }
    return (void *)mem;
}
THK_EXPORT(kernel32, LocalHandle, 1);
THK_EXPORT_AS(kernel32, GlobalHandle, LocalHandle, 1);

UINT WINAPI LocalFlags(void *mem)
{
    if (!k32_block_of(k32_process_heap(), mem)) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return 0x8000; /* LMEM_INVALID_HANDLE */
    }
    return 0;
}
THK_EXPORT(kernel32, LocalFlags, 1);
THK_EXPORT_AS(kernel32, GlobalFlags, LocalFlags, 1);

typedef struct {
    DWORD dwLength;                  /* 0x00 */
    DWORD dwMemoryLoad;              /* 0x04 */
    uint64_t ullTotalPhys;           /* 0x08 */
    uint64_t ullAvailPhys;           /* 0x10 */
    uint64_t ullTotalPageFile;       /* 0x18 */
    uint64_t ullAvailPageFile;       /* 0x20 */
    uint64_t ullTotalVirtual;        /* 0x28 */
    uint64_t ullAvailVirtual;        /* 0x30 */
    uint64_t ullAvailExtendedVirtual;/* 0x38 */
} MEMORYSTATUSEX;
_Static_assert(sizeof(MEMORYSTATUSEX) == 0x40, "MEMORYSTATUSEX");

BOOL WINAPI GlobalMemoryStatusEx(MEMORYSTATUSEX *ms)
{
    if (!ms || ms->dwLength != sizeof *ms) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    struct sysinfo si;
    if (sysinfo(&si) != 0) {
        thk_set_last_error(ERROR_INVALID_FUNCTION);
        return FALSE;
    }
    uint64_t unit = si.mem_unit ? si.mem_unit : 1;
    ms->ullTotalPhys = (uint64_t)si.totalram * unit;
    ms->ullAvailPhys = ((uint64_t)si.freeram + si.bufferram) * unit;
    ms->ullTotalPageFile = ms->ullTotalPhys + (uint64_t)si.totalswap * unit;
    ms->ullAvailPageFile = ms->ullAvailPhys + (uint64_t)si.freeswap * unit;
    ms->ullTotalVirtual = 0x7ffffffe0000ull;
    ms->ullAvailVirtual = 0x7ffffffe0000ull - 0x10000000ull;
    ms->ullAvailExtendedVirtual = 0;
    ms->dwMemoryLoad = ms->ullTotalPhys
                           ? (DWORD)(100 - ms->ullAvailPhys * 100 / ms->ullTotalPhys)
                           : 0;
    return TRUE;
}
THK_EXPORT(kernel32, GlobalMemoryStatusEx, 1);

/* ---- VirtualXxx ---- */
void *WINAPI VirtualAlloc(void *addr, SIZE_T size, DWORD type, DWORD protect)
{
    void *base = addr;
    SIZE_T sz = size;
    NTSTATUS st = NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &sz, type, protect);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return NULL;
    }
    return base;
}
THK_EXPORT(kernel32, VirtualAlloc, 4);

void *WINAPI VirtualAllocEx(HANDLE process, void *addr, SIZE_T size, DWORD type, DWORD protect)
{
    void *base = addr;
    SIZE_T sz = size;
    NTSTATUS st = NtAllocateVirtualMemory(process, &base, 0, &sz, type, protect);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return NULL;
    }
    return base;
}
THK_EXPORT(kernel32, VirtualAllocEx, 5);

BOOL WINAPI VirtualFree(void *addr, SIZE_T size, DWORD type)
{
    /* MEM_RELEASE frees the whole reservation: Windows insists on size 0. */
    if ((type & MEM_RELEASE) && size != 0) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    void *base = addr;
    SIZE_T sz = size;
    NTSTATUS st = NtFreeVirtualMemory(NtCurrentProcess(), &base, &sz, type);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, VirtualFree, 3);

BOOL WINAPI VirtualProtect(void *addr, SIZE_T size, DWORD protect, DWORD *old)
{
    void *base = addr;
    SIZE_T sz = size;
    NTSTATUS st = NtProtectVirtualMemory(NtCurrentProcess(), &base, &sz, protect, old);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, VirtualProtect, 4);

SIZE_T WINAPI VirtualQuery(const void *addr, MEMORY_BASIC_INFORMATION *info, SIZE_T len)
{
    SIZE_T ret = 0;
    NTSTATUS st = NtQueryVirtualMemory(NtCurrentProcess(), addr, 0 /* MemoryBasicInformation */,
                                       info, len, &ret);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return 0;
    }
    return ret;
}
THK_EXPORT(kernel32, VirtualQuery, 3);

BOOL WINAPI VirtualLock(void *addr, SIZE_T size) { return TRUE; }
THK_EXPORT(kernel32, VirtualLock, 2);
BOOL WINAPI VirtualUnlock(void *addr, SIZE_T size) { return TRUE; }
THK_EXPORT(kernel32, VirtualUnlock, 2);

/* x86 keeps instruction caches coherent: nothing to flush. */
BOOL WINAPI FlushInstructionCache(HANDLE process, const void *addr, SIZE_T size) { return TRUE; }
THK_EXPORT(kernel32, FlushInstructionCache, 3);

/* IsBadReadPtr/IsBadWritePtr: probe each page of the range (reading never changes the memory). */
static bool k32_range_ok(const void *p, uint64_t n, bool write)
{
    if (!n)
        return true;
    if (!p)
        return false;
    const uint8_t *b = p;
    for (uint64_t off = 0; off < n;) {
        uint8_t c;
        if (rt_safe_copy(&c, b + off, 1) != 0)
            return false;
        if (write) {
            MEMORY_BASIC_INFORMATION mbi;
            if (VirtualQuery(b + off, &mbi, sizeof mbi) && mbi.State == MEM_COMMIT &&
                !(mbi.Protect & (PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_READWRITE |
                                 PAGE_EXECUTE_WRITECOPY)))
                return false; /* memory ntemu does not track: readable is all we know */
        }
        uint64_t next = (((uintptr_t)(b + off)) | 0xfff) + 1 - (uintptr_t)b;
        off = next;
    }
    uint8_t c;
    return rt_safe_copy(&c, b + n - 1, 1) == 0;
}

BOOL WINAPI IsBadReadPtr(const void *p, ULONG_PTR n) { return !k32_range_ok(p, n, false); }
THK_EXPORT(kernel32, IsBadReadPtr, 2);
BOOL WINAPI IsBadWritePtr(void *p, ULONG_PTR n) { return !k32_range_ok(p, n, true); }
THK_EXPORT(kernel32, IsBadWritePtr, 2);

/* IsBadStringPtr: the string is readable up to its terminator or `max` characters. */
static BOOL k32_bad_string(const void *p, ULONG_PTR max, size_t unit)
{
    if (!max)
        return FALSE;
    if (!p)
        return TRUE;
    const uint8_t *b = p;
    for (ULONG_PTR i = 0; i < max; i++) {
        uint16_t c = 0;
        if (rt_safe_copy(&c, b + i * unit, unit) != 0)
            return TRUE;
        if (!c)
            break;
    }
    return FALSE;
}

BOOL WINAPI IsBadStringPtrW(const WCHAR *p, ULONG_PTR max) { return k32_bad_string(p, max, 2); }
THK_EXPORT(kernel32, IsBadStringPtrW, 2);
BOOL WINAPI IsBadStringPtrA(const char *p, ULONG_PTR max) { return k32_bad_string(p, max, 1); }
THK_EXPORT(kernel32, IsBadStringPtrA, 2);

/* libntrun teardown (thk_process_teardown): every heap, the process heap included, and all
 * their blocks are freed; the next run creates its process heap again. The locks are not
 * taken: no foreign thread is left, and one may have died holding one. */
void k32_heaps_reset(void)
{
    for (k32_heap *h = k32_heaps, *next; h; h = next) {
        next = h->next_heap;
        for (k32_block *b = h->blocks.next, *bn; b != &h->blocks; b = bn) {
            bn = b->next;
            b->owner = 0;
            free(b);
        }
        pthread_mutex_destroy(&h->lock);
        h->magic = 0;
        free(h);
    }
    k32_heaps = NULL;
    k32_proc_heap = NULL;
    if (rt_proc.peb)
        rt_proc.peb->ProcessHeap = NULL;
    static const pthread_once_t once_init = PTHREAD_ONCE_INIT;
    k32_proc_heap_once = once_init;
    pthread_mutex_t unlocked = PTHREAD_MUTEX_INITIALIZER;
    k32_heaps_lock = unlocked;
}
