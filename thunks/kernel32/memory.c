/* SPDX-License-Identifier: MIT */
/* kernel32 memory: heaps (HeapCreate/HeapAlloc/... and ntdll's RtlAllocateHeap family, the
 * same code), LocalAlloc/GlobalAlloc and friends (fixed memory from the process heap), and
 * VirtualAlloc/VirtualFree/VirtualProtect/VirtualQuery on top of the NT virtual-memory calls,
 * and the working-set limits (Get/SetProcessWorkingSetSize(Ex)).
 *
 * The heaps themselves are thunks/ntdll/heap.c: the program's memory, apart from the
 * runtime's. What Windows does with a bad pointer is followed: HeapFree/HeapReAlloc of
 * something that is not a live block of the heap (a double free, a pointer of another heap or
 * none) is heap corruption and ends the process with STATUS_HEAP_CORRUPTION; HeapSize gives
 * (SIZE_T)-1 and HeapValidate FALSE; the Local and Global functions validate their handle
 * first and fail with ERROR_INVALID_HANDLE. HEAP_GENERATE_EXCEPTIONS raises STATUS_NO_MEMORY
 * where the allocation fails (heap_entry.S). */
#include <errno.h>
#include <stddef.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>
#include "thunks/kernel32/kernel32_private.h"
#include "thunks/ntdll/heap.h"

#define K32_STATUS_NO_MEMORY 0xC0000017u
#define K32_ERROR_NO_MORE_ITEMS 259

HANDLE k32_process_heap(void)
{
    return hp_process_heap();
}

/* A heap handle the program passed; NULL (last error set) for one that is not a live heap. */
static hp_heap *k32_heap(HANDLE handle)
{
    hp_heap *h = hp_from_handle(handle);
    if (!h)
        thk_set_last_error(ERROR_INVALID_HANDLE);
    return h;
}

/* The exported allocation entries (heap_entry.S calls these and raises STATUS_NO_MEMORY when
 * they return HP_RAISE_NO_MEMORY: HEAP_GENERATE_EXCEPTIONS in the call's or the heap's flags). */
#define HP_RAISE_NO_MEMORY ((void *)1)

void *WINAPI heap_export_alloc(HANDLE heap, DWORD flags, SIZE_T size);
void *WINAPI heap_export_alloc(HANDLE heap, DWORD flags, SIZE_T size)
{
    hp_heap *h = hp_from_handle(heap);
    if (!h)
        return NULL;
    void *p = hp_alloc(h, flags, size);
    if (!p && ((flags | hp_flags(h)) & HP_GENERATE_EXCEPTIONS))
        return HP_RAISE_NO_MEMORY;
    return p;
}

void *WINAPI heap_export_realloc(HANDLE heap, DWORD flags, void *p, SIZE_T size);
void *WINAPI heap_export_realloc(HANDLE heap, DWORD flags, void *p, SIZE_T size)
{
    hp_heap *h = hp_from_handle(heap);
    if (!h)
        return NULL;
    if (!p) /* Windows: no block to resize */
        return NULL;
    bool bad;
    void *q = hp_realloc(h, flags, p, size, &bad);
    if (bad)
        hp_corruption(p, "HeapReAlloc of a pointer that is not a block of this heap");
    if (!q && ((flags | hp_flags(h)) & HP_GENERATE_EXCEPTIONS))
        return HP_RAISE_NO_MEMORY;
    return q;
}

void heap_entry_alloc(void);   /* heap_entry.S */
void heap_entry_realloc(void);
THK_EXPORT_AS(kernel32, HeapAlloc, heap_entry_alloc, THK_RAW);
THK_EXPORT_AS(ntdll, RtlAllocateHeap, heap_entry_alloc, THK_RAW);
THK_EXPORT_AS(kernel32, HeapReAlloc, heap_entry_realloc, THK_RAW);
THK_EXPORT_AS(ntdll, RtlReAllocateHeap, heap_entry_realloc, THK_RAW);

void *WINAPI HeapAlloc(HANDLE heap, DWORD flags, SIZE_T size)
{
    hp_heap *h = hp_from_handle(heap);
    return h ? hp_alloc(h, flags, size) : NULL;
}

void *WINAPI HeapReAlloc(HANDLE heap, DWORD flags, void *p, SIZE_T size)
{
    void *q = heap_export_realloc(heap, flags & ~HP_GENERATE_EXCEPTIONS, p, size);
    return q == HP_RAISE_NO_MEMORY ? NULL : q;
}

BOOL WINAPI HeapFree(HANDLE heap, DWORD flags, void *p)
{
    if (!p)
        return TRUE;
    hp_heap *h = k32_heap(heap);
    if (!h)
        return FALSE;
    if (hp_free(h, flags, p) != 0)
        hp_corruption(p, "HeapFree of a pointer that is not a live block of this heap");
    return TRUE;
}
THK_EXPORT(kernel32, HeapFree, 3);
THK_EXPORT_AS(ntdll, RtlFreeHeap, HeapFree, 3);

SIZE_T WINAPI HeapSize(HANDLE heap, DWORD flags, const void *p)
{
    hp_heap *h = k32_heap(heap);
    size_t n = h ? hp_size(h, flags, p) : (size_t)-1;
    if (h && n == (size_t)-1)
        thk_set_last_error(ERROR_INVALID_PARAMETER);
    return n;
}
THK_EXPORT(kernel32, HeapSize, 3);
THK_EXPORT_AS(ntdll, RtlSizeHeap, HeapSize, 3);

BOOL WINAPI HeapValidate(HANDLE heap, DWORD flags, const void *p)
{
    hp_heap *h = hp_from_handle(heap);
    return h && hp_validate(h, flags, p);
}
THK_EXPORT(kernel32, HeapValidate, 3);
THK_EXPORT_AS(ntdll, RtlValidateHeap, HeapValidate, 3);

HANDLE WINAPI HeapCreate(DWORD flags, SIZE_T initial, SIZE_T max)
{
    if (max && initial > max) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    hp_heap *h = hp_create(flags, initial, max);
    if (!h)
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
    return h;
}
THK_EXPORT(kernel32, HeapCreate, 3);

BOOL WINAPI HeapDestroy(HANDLE heap)
{
    hp_heap *h = hp_from_handle(heap);
    if (!h || !hp_destroy(h)) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, HeapDestroy, 1);

/* RtlCreateHeap(flags, base, reserve, commit, lock, params): base/lock/params unsupported. */
static HANDLE WINAPI k32_RtlCreateHeap(ULONG flags, void *base, SIZE_T reserve, SIZE_T commit,
                                       void *lock, void *params)
{
    if (base || lock)
        return NULL;
    return hp_create(flags, commit, (flags & HP_GROWABLE) ? 0 : reserve);
}
THK_EXPORT_AS(ntdll, RtlCreateHeap, k32_RtlCreateHeap, 6);

/* RtlDestroyHeap: NULL on success, the heap on failure. */
static HANDLE WINAPI k32_RtlDestroyHeap(HANDLE heap)
{
    hp_heap *h = hp_from_handle(heap);
    return h && hp_destroy(h) ? NULL : heap;
}
THK_EXPORT_AS(ntdll, RtlDestroyHeap, k32_RtlDestroyHeap, 1);

HANDLE WINAPI GetProcessHeap(void)
{
    return hp_process_heap();
}
THK_EXPORT(kernel32, GetProcessHeap, 0);

DWORD WINAPI GetProcessHeaps(DWORD count, HANDLE *heaps)
{
    void *local[64];
    size_t n = hp_heaps(local, 64);
    for (size_t i = 0; i < n && i < count && i < 64; i++)
        if (rt_safe_copy(&heaps[i], &local[i], sizeof local[i]) != 0)
            return 0;
    return (DWORD)n;
}
THK_EXPORT(kernel32, GetProcessHeaps, 2);
THK_EXPORT_AS(ntdll, RtlGetProcessHeaps, GetProcessHeaps, 2);

BOOL WINAPI HeapLock(HANDLE heap)
{
    hp_heap *h = k32_heap(heap);
    if (!h)
        return FALSE;
    hp_lock(h);
    return TRUE;
}
THK_EXPORT(kernel32, HeapLock, 1);

BOOL WINAPI HeapUnlock(HANDLE heap)
{
    hp_heap *h = k32_heap(heap);
    if (!h)
        return FALSE;
    hp_unlock(h);
    return TRUE;
}
THK_EXPORT(kernel32, HeapUnlock, 1);

/* HeapWalk(heap, entry): the heap's regions and blocks in address order per region, then its
 * large blocks; FALSE with ERROR_NO_MORE_ITEMS at the end. */
BOOL WINAPI HeapWalk(HANDLE heap, hp_walk_entry *entry)
{
    hp_heap *h = k32_heap(heap);
    if (!h)
        return FALSE;
    hp_walk_entry e;
    if (rt_safe_copy(&e, entry, sizeof e) != 0) {
        thk_set_last_error(ERROR_NOACCESS);
        return FALSE;
    }
    bool bad;
    bool more = hp_walk(h, &e, &bad);
    if (!more) {
        thk_set_last_error(bad ? ERROR_INVALID_PARAMETER : K32_ERROR_NO_MORE_ITEMS);
        return FALSE;
    }
    if (rt_safe_copy(entry, &e, sizeof e) != 0) {
        thk_set_last_error(ERROR_NOACCESS);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, HeapWalk, 2);

/* HeapCompact(heap, flags): the largest committed free block (free blocks are coalesced and
 * large ones decommitted as they are freed); 0 with NO_ERROR when there is none. */
SIZE_T WINAPI HeapCompact(HANDLE heap, DWORD flags)
{
    hp_heap *h = k32_heap(heap);
    if (!h)
        return 0;
    size_t n = hp_compact(h, flags);
    if (!n)
        thk_set_last_error(0);
    return n;
}
THK_EXPORT(kernel32, HeapCompact, 2);

SIZE_T WINAPI RtlCompactHeap(HANDLE heap, DWORD flags)
{
    hp_heap *h = hp_from_handle(heap);
    return h ? hp_compact(h, flags) : 0;
}
THK_EXPORT(ntdll, RtlCompactHeap, 2);

typedef struct k32_heap_summary {
    DWORD cb;            /* 0x00 */
    SIZE_T cbAllocated;  /* 0x08 */
    SIZE_T cbCommitted;  /* 0x10 */
    SIZE_T cbReserved;   /* 0x18 */
    SIZE_T cbMaxReserve; /* 0x20 */
} k32_heap_summary;
_Static_assert(sizeof(k32_heap_summary) == 0x28, "HEAP_SUMMARY");

/* HeapSummary(heap, flags, summary): the bytes in live blocks, committed and reserved; the
 * caller sets summary->cb (ERROR_INVALID_PARAMETER otherwise). A growable heap's reserve is
 * what it has mapped: cbMaxReserve says the same. */
BOOL WINAPI HeapSummary(HANDLE heap, DWORD flags, k32_heap_summary *summary)
{
    hp_heap *h = k32_heap(heap);
    if (!h)
        return FALSE;
    k32_heap_summary s;
    if (rt_safe_copy(&s.cb, &summary->cb, sizeof s.cb) != 0) {
        thk_set_last_error(ERROR_NOACCESS);
        return FALSE;
    }
    if (s.cb != sizeof s) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    size_t allocated, committed, reserved;
    hp_summary(h, flags, &allocated, &committed, &reserved);
    s.cbAllocated = allocated;
    s.cbCommitted = committed;
    s.cbReserved = reserved;
    s.cbMaxReserve = reserved;
    if (rt_safe_copy(summary, &s, sizeof s) != 0) {
        thk_set_last_error(ERROR_NOACCESS);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, HeapSummary, 3);

/* HeapEnableTerminationOnCorruption (always on here), the low-fragmentation heap: accepted. */
BOOL WINAPI HeapSetInformation(HANDLE heap, int klass, void *info, SIZE_T len)
{
    return TRUE;
}
THK_EXPORT(kernel32, HeapSetInformation, 4);

void *k32_heap_alloc(size_t size, bool zero)
{
    return hp_alloc(hp_process_heap(), zero ? HP_ZERO_MEMORY : 0, size);
}

void k32_heap_free(void *p)
{
    if (p && hp_free(hp_process_heap(), 0, p) != 0)
        hp_corruption(p, "free of a pointer that is not a block of the process heap");
}

/* ---- LocalXxx and GlobalXxx: fixed memory from the process heap ----
 * LMEM_MOVEABLE/GMEM_MOVEABLE blocks are fixed too: the "handle" is the pointer, and
 * LocalLock/GlobalLock return it, so programs that lock before use work unchanged. Handles
 * are validated first, as Windows does: a bad one fails with ERROR_INVALID_HANDLE. */
#define K32_LMEM_MODIFY 0x0080

static bool k32_local_ok(const void *mem)
{
    return mem && hp_owns(hp_process_heap(), mem);
}

void *WINAPI LocalAlloc(UINT flags, SIZE_T size)
{
    void *p = hp_alloc(hp_process_heap(), (flags & K32_LMEM_ZEROINIT) ? HP_ZERO_MEMORY : 0, size);
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
    if (!k32_local_ok(mem) || hp_free(hp_process_heap(), 0, mem) != 0) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return mem;
    }
    return NULL;
}
THK_EXPORT(kernel32, LocalFree, 1);
THK_EXPORT_AS(kernel32, GlobalFree, LocalFree, 1);

void *WINAPI LocalReAlloc(void *mem, SIZE_T size, UINT flags)
{
    if (!k32_local_ok(mem)) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return NULL;
    }
    if (flags & K32_LMEM_MODIFY)
        return mem;
    DWORD hf = (flags & K32_LMEM_ZEROINIT) ? HP_ZERO_MEMORY : 0;
    if (!(flags & K32_LMEM_MOVEABLE))
        hf |= HP_REALLOC_IN_PLACE_ONLY; /* a fixed block cannot move */
    bool bad;
    void *p = hp_realloc(hp_process_heap(), hf, mem, size, &bad);
    if (!p)
        thk_set_last_error(bad ? ERROR_INVALID_HANDLE : ERROR_NOT_ENOUGH_MEMORY);
    return p;
}
THK_EXPORT(kernel32, LocalReAlloc, 3);
THK_EXPORT_AS(kernel32, GlobalReAlloc, LocalReAlloc, 3);

SIZE_T WINAPI LocalSize(void *mem)
{
    SIZE_T s = mem ? hp_size(hp_process_heap(), 0, mem) : (SIZE_T)-1;
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
    if (!k32_local_ok(mem)) {
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
    thk_set_last_error(k32_local_ok(mem) ? 158 : ERROR_INVALID_HANDLE);
    return FALSE;
}
THK_EXPORT(kernel32, LocalUnlock, 1);
THK_EXPORT_AS(kernel32, GlobalUnlock, LocalUnlock, 1);

void *WINAPI LocalHandle(const void *mem)
{
    if (!k32_local_ok(mem)) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return NULL;
    }
    return (void *)mem;
}
THK_EXPORT(kernel32, LocalHandle, 1);
THK_EXPORT_AS(kernel32, GlobalHandle, LocalHandle, 1);

UINT WINAPI LocalFlags(void *mem)
{
    if (!k32_local_ok(mem)) {
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

/* Another process: a child's runtime does it (ntemu/process_remote.c). */
BOOL WINAPI VirtualFreeEx(HANDLE process, void *addr, SIZE_T size, DWORD type)
{
    if ((type & MEM_RELEASE) && size != 0) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    void *base = addr;
    SIZE_T sz = size;
    NTSTATUS st = NtFreeVirtualMemory(process, &base, &sz, type);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, VirtualFreeEx, 4);

BOOL WINAPI VirtualProtectEx(HANDLE process, void *addr, SIZE_T size, DWORD protect, DWORD *old)
{
    void *base = addr;
    SIZE_T sz = size;
    NTSTATUS st = NtProtectVirtualMemory(process, &base, &sz, protect, old);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, VirtualProtectEx, 5);

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

/* As kernelbase: the pages are made writable for the copy when they are not, refused when they
 * were read-only or inaccessible. Memory the program was not given fails in the protection
 * change (ERROR_INVALID_ADDRESS), a failed copy with ERROR_PARTIAL_COPY or ERROR_NOACCESS. */
BOOL WINAPI WriteProcessMemory(HANDLE process, void *addr, const void *buf, SIZE_T size,
                               SIZE_T *written)
{
    const uint32_t writable = PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_READWRITE |
                              PAGE_EXECUTE_WRITECOPY;
    void *base = addr;
    SIZE_T sz = size, n = 0;
    uint32_t old = 0, ignored;
    NTSTATUS st = NtProtectVirtualMemory(process, &base, &sz, PAGE_EXECUTE_READWRITE, &old);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    if (old & writable) { /* it was writable: the old protection back, then the copy */
        NtProtectVirtualMemory(process, &base, &sz, old, &ignored);
        st = NtWriteVirtualMemory(process, addr, buf, size, &n);
    } else if (old & (PAGE_NOACCESS | PAGE_READONLY)) {
        NtProtectVirtualMemory(process, &base, &sz, old, &ignored);
        thk_set_last_status(STATUS_ACCESS_VIOLATION);
        return FALSE;
    } else { /* code: written while writable, then protected again */
        st = NtWriteVirtualMemory(process, addr, buf, size, &n);
        NtProtectVirtualMemory(process, &base, &sz, old, &ignored);
        if (!NT_SUCCESS(st))
            st = STATUS_ACCESS_VIOLATION;
    }
    if (written)
        *written = n;
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, WriteProcessMemory, 5);

BOOL WINAPI ReadProcessMemory(HANDLE process, const void *addr, void *buf, SIZE_T size,
                              SIZE_T *read)
{
    SIZE_T n = 0;
    NTSTATUS st = NtReadVirtualMemory(process, addr, buf, size, &n);
    if (read)
        *read = n;
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, ReadProcessMemory, 5);

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

SIZE_T WINAPI VirtualQueryEx(HANDLE process, const void *addr, MEMORY_BASIC_INFORMATION *info,
                             SIZE_T len)
{
    SIZE_T ret = 0;
    NTSTATUS st = NtQueryVirtualMemory(process, addr, 0 /* MemoryBasicInformation */, info, len,
                                       &ret);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return 0;
    }
    return ret;
}
THK_EXPORT(kernel32, VirtualQueryEx, 4);

BOOL WINAPI VirtualLock(void *addr, SIZE_T size) { return TRUE; }
THK_EXPORT(kernel32, VirtualLock, 2);
BOOL WINAPI VirtualUnlock(void *addr, SIZE_T size) { return TRUE; }
THK_EXPORT(kernel32, VirtualUnlock, 2);

/* The working-set limits: ntdll's ProcessQuotaLimits (QUOTA_LIMITS_EX), which ntemu records
 * and reports back (Linux has no such limits). SQLCipher (Delta Chat's database) raises them
 * before VirtualLock of its key memory. */
typedef struct {
    SIZE_T PagedPoolLimit, NonPagedPoolLimit;                 /* 0x00 */
    SIZE_T MinimumWorkingSetSize, MaximumWorkingSetSize;      /* 0x10 */
    SIZE_T PagefileLimit;                                     /* 0x20 */
    int64_t TimeLimit;                                        /* 0x28 */
    SIZE_T WorkingSetLimit, Reserved2, Reserved3, Reserved4;  /* 0x30 */
    DWORD Flags;                                              /* 0x50 */
    DWORD CpuRateLimit;                                       /* 0x54 */
} k32_quota_limits_ex;
_Static_assert(offsetof(k32_quota_limits_ex, Flags) == 0x50, "QUOTA_LIMITS_EX.Flags");
_Static_assert(sizeof(k32_quota_limits_ex) == 0x58, "QUOTA_LIMITS_EX");
#define K32_ProcessQuotaLimits 1

BOOL WINAPI GetProcessWorkingSetSizeEx(HANDLE process, SIZE_T *min, SIZE_T *max, DWORD *flags)
{
    k32_quota_limits_ex q;
    NTSTATUS st = NtQueryInformationProcess(process, K32_ProcessQuotaLimits, &q, sizeof q, NULL);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    *min = q.MinimumWorkingSetSize;
    *max = q.MaximumWorkingSetSize;
    *flags = q.Flags;
    return TRUE;
}
THK_EXPORT(kernel32, GetProcessWorkingSetSizeEx, 4);

BOOL WINAPI GetProcessWorkingSetSize(HANDLE process, SIZE_T *min, SIZE_T *max)
{
    DWORD flags;
    return GetProcessWorkingSetSizeEx(process, min, max, &flags);
}
THK_EXPORT(kernel32, GetProcessWorkingSetSize, 3);

BOOL WINAPI SetProcessWorkingSetSizeEx(HANDLE process, SIZE_T min, SIZE_T max, DWORD flags)
{
    k32_quota_limits_ex q = {.MinimumWorkingSetSize = min, .MaximumWorkingSetSize = max,
                             .Flags = flags};
    NTSTATUS st = NtSetInformationProcess(process, K32_ProcessQuotaLimits, &q, sizeof q);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, SetProcessWorkingSetSizeEx, 4);

BOOL WINAPI SetProcessWorkingSetSize(HANDLE process, SIZE_T min, SIZE_T max)
{
    return SetProcessWorkingSetSizeEx(process, min, max, 0);
}
THK_EXPORT(kernel32, SetProcessWorkingSetSize, 3);

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
    hp_reset_all();
}
