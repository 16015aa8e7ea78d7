/* memory_heap: virtual memory and heaps. VirtualAlloc reserve then commit part of it,
 * VirtualQuery of each part (BaseAddress, AllocationBase, AllocationProtect, RegionSize, State,
 * Protect, Type), committed pages are zero-filled, VirtualProtect returns the old protection
 * and splits the region, decommit, release, the errors of bad calls (ERROR_INVALID_PARAMETER,
 * ERROR_INVALID_ADDRESS); HeapAlloc/HeapReAlloc/HeapSize/HeapFree on the process heap and on a
 * private heap (HeapCreate/HeapDestroy), HEAP_ZERO_MEMORY; malloc/calloc/realloc/_msize/free
 * and errno ENOMEM for an impossible malloc.
 *
 * Expected output checked with Wine 8. Addresses are never printed, only offsets from the
 * allocation base. */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#define FAIL_SHOWS_LAST_ERROR
#include "fail_check.h"

static const char *state_name(DWORD s)
{
    switch (s) {
    case MEM_COMMIT: return "MEM_COMMIT";
    case MEM_RESERVE: return "MEM_RESERVE";
    case MEM_FREE: return "MEM_FREE";
    }
    return "?";
}

static const char *type_name(DWORD t)
{
    switch (t) {
    case 0: return "0";
    case MEM_PRIVATE: return "MEM_PRIVATE";
    case MEM_MAPPED: return "MEM_MAPPED";
    case MEM_IMAGE: return "MEM_IMAGE";
    }
    return "?";
}

static const char *protect_name(DWORD p)
{
    switch (p) {
    case 0: return "0";
    case PAGE_NOACCESS: return "PAGE_NOACCESS";
    case PAGE_READONLY: return "PAGE_READONLY";
    case PAGE_READWRITE: return "PAGE_READWRITE";
    case PAGE_EXECUTE: return "PAGE_EXECUTE";
    case PAGE_EXECUTE_READ: return "PAGE_EXECUTE_READ";
    case PAGE_EXECUTE_READWRITE: return "PAGE_EXECUTE_READWRITE";
    case PAGE_WRITECOPY: return "PAGE_WRITECOPY";
    }
    return "?";
}

/* VirtualQuery at base+offset, printed relative to base. */
static void query(const char *label, char *base, size_t offset)
{
    MEMORY_BASIC_INFORMATION mbi;
    SIZE_T n = VirtualQuery(base + offset, &mbi, sizeof mbi);
    CHECK(2, n == sizeof mbi);
    printf("%s: base +0x%llx", label, (unsigned long long)((char *)mbi.BaseAddress - base));
    if (mbi.State == MEM_FREE)
        printf(", %s, protect %s\n", state_name(mbi.State), protect_name(mbi.Protect));
    else
        printf(", alloc base +0x%llx, alloc protect %s, size 0x%llx, %s, protect %s, %s\n",
               (unsigned long long)((char *)mbi.AllocationBase - base),
               protect_name(mbi.AllocationProtect), (unsigned long long)mbi.RegionSize,
               state_name(mbi.State), protect_name(mbi.Protect), type_name(mbi.Type));
}

int main(void)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    printf("page size 0x%lx, allocation granularity 0x%lx\n", si.dwPageSize,
           si.dwAllocationGranularity);

    /* ---- reserve 256 KiB, commit two pages at +0x1000 ---- */
    char *base = VirtualAlloc(NULL, 0x40000, MEM_RESERVE, PAGE_NOACCESS);
    CHECK(10, base != NULL);
    printf("reserve: aligned to the allocation granularity: %s\n",
           ((uintptr_t)base & 0xffff) == 0 ? "yes" : "no");
    query("reserved", base, 0);
    char *p = VirtualAlloc(base + 0x1000, 0x2000, MEM_COMMIT, PAGE_READWRITE);
    printf("commit at +0x1000: returned +0x%llx\n", (unsigned long long)(p - base));
    CHECK(11, p == base + 0x1000);
    query("  +0x0000", base, 0);
    query("  +0x1000", base, 0x1000);
    query("  +0x2fff", base, 0x2fff);
    query("  +0x3000", base, 0x3000);
    /* Committed memory reads as zeros and is writable. */
    int zero = 1;
    for (int i = 0; i < 0x2000; i++)
        if (p[i] != 0)
            zero = 0;
    printf("committed pages are zero-filled: %s\n", zero ? "yes" : "no");
    memset(p, 0xab, 0x2000);
    /* Committing an unaligned range commits whole pages. */
    char *q = VirtualAlloc(base + 0x5010, 0x10, MEM_COMMIT, PAGE_READONLY);
    printf("commit 0x10 bytes at +0x5010: returned +0x%llx\n", (unsigned long long)(q - base));
    query("  +0x5000", base, 0x5000);

    /* ---- VirtualProtect ---- */
    DWORD old = 0;
    CHECK(12, VirtualProtect(base + 0x2000, 0x1000, PAGE_READONLY, &old));
    printf("VirtualProtect(+0x2000, READONLY): old protection %s\n", protect_name(old));
    query("  +0x1000", base, 0x1000);
    query("  +0x2000", base, 0x2000);
    printf("still readable after READONLY: 0x%02x\n", (unsigned char)base[0x2000]);
    CHECK(13, VirtualProtect(base + 0x1000, 0x2000, PAGE_EXECUTE_READWRITE, &old));
    printf("VirtualProtect over both pages: old protection (of the first page) %s\n",
           protect_name(old));
    query("  +0x1000", base, 0x1000);
    SetLastError(0xdeadbeef);
    BOOL ok = VirtualProtect(base + 0x8000, 0x1000, PAGE_READWRITE, &old);
    printf("VirtualProtect of reserved-only memory: %s, last error %lu\n", ok ? "TRUE" : "FALSE",
           GetLastError());
    SetLastError(0xdeadbeef);
    ok = VirtualProtect(base + 0x1000, 0x1000, 0x12345, &old);
    printf("VirtualProtect with a bad protection: %s, last error %lu\n", ok ? "TRUE" : "FALSE",
           GetLastError());

    /* ---- decommit, release ---- */
    CHECK(14, VirtualFree(base + 0x1000, 0x1000, MEM_DECOMMIT));
    query("after decommit +0x1000", base, 0x1000);
    SetLastError(0xdeadbeef);
    ok = VirtualFree(base, 0x1000, MEM_RELEASE);
    printf("VirtualFree(MEM_RELEASE) with a size: %s, last error %lu\n", ok ? "TRUE" : "FALSE",
           GetLastError());
    SetLastError(0xdeadbeef);
    ok = VirtualFree(base + 0x1000, 0, MEM_RELEASE);
    printf("VirtualFree(MEM_RELEASE) not at the allocation base: %s, last error %lu\n",
           ok ? "TRUE" : "FALSE", GetLastError());
    CHECK(15, VirtualFree(base, 0, MEM_RELEASE));
    printf("VirtualFree(base, 0, MEM_RELEASE): TRUE\n");
    query("after release", base, 0);

    /* ---- reserve+commit at once, and bad requests ---- */
    p = VirtualAlloc(NULL, 1, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    CHECK(16, p != NULL);
    query("reserve+commit of 1 byte", p, 0);
    CHECK(17, VirtualFree(p, 0, MEM_RELEASE));
    SetLastError(0xdeadbeef);
    p = VirtualAlloc(NULL, 0x1000, MEM_COMMIT | MEM_RESERVE, 0);
    printf("VirtualAlloc with protection 0: %s, last error %lu\n", p ? "memory" : "NULL",
           GetLastError());
    SetLastError(0xdeadbeef);
    p = VirtualAlloc(NULL, 0, MEM_RESERVE, PAGE_READWRITE);
    printf("VirtualAlloc of 0 bytes: %s, last error %lu\n", p ? "memory" : "NULL", GetLastError());
    SetLastError(0xdeadbeef);
    p = VirtualAlloc(NULL, 0x1000, 0x12345678, PAGE_READWRITE);
    printf("VirtualAlloc with bad flags: %s, last error %lu\n", p ? "memory" : "NULL",
           GetLastError());

    /* ---- process heap ---- */
    HANDLE heap = GetProcessHeap();
    CHECK(20, heap != NULL);
    unsigned char *h = HeapAlloc(heap, HEAP_ZERO_MEMORY, 100);
    CHECK(21, h != NULL);
    zero = 1;
    for (int i = 0; i < 100; i++)
        if (h[i])
            zero = 0;
    printf("HeapAlloc(HEAP_ZERO_MEMORY, 100): zeroed %s, HeapSize %llu, 16-byte aligned %s\n",
           zero ? "yes" : "no", (unsigned long long)HeapSize(heap, 0, h),
           ((uintptr_t)h & 15) == 0 ? "yes" : "no");
    for (int i = 0; i < 100; i++)
        h[i] = (unsigned char)i;
    h = HeapReAlloc(heap, HEAP_ZERO_MEMORY, h, 5000);
    CHECK(22, h != NULL);
    int kept = 1;
    for (int i = 0; i < 100; i++)
        if (h[i] != i)
            kept = 0;
    zero = 1;
    for (int i = 100; i < 5000; i++)
        if (h[i])
            zero = 0;
    printf("HeapReAlloc to 5000: contents kept %s, new part zeroed %s, HeapSize %llu\n",
           kept ? "yes" : "no", zero ? "yes" : "no", (unsigned long long)HeapSize(heap, 0, h));
    h = HeapReAlloc(heap, 0, h, 10);
    CHECK(23, h != NULL);
    printf("HeapReAlloc down to 10: HeapSize %llu, first bytes %d %d\n",
           (unsigned long long)HeapSize(heap, 0, h), h[0], h[9]);
    CHECK(24, HeapFree(heap, 0, h));
    printf("HeapFree: TRUE\n");
    printf("HeapFree(NULL pointer): %s\n", HeapFree(heap, 0, NULL) ? "TRUE" : "FALSE");
    void *zero_block = HeapAlloc(heap, 0, 0);
    printf("HeapAlloc of 0 bytes: %s, HeapSize %llu\n", zero_block ? "pointer" : "NULL",
           zero_block ? (unsigned long long)HeapSize(heap, 0, zero_block) : 0ULL);
    HeapFree(heap, 0, zero_block);

    /* ---- private heap ---- */
    HANDLE priv = HeapCreate(0, 0, 0);
    CHECK(30, priv != NULL && priv != heap);
    void *blocks[64];
    for (int i = 0; i < 64; i++) {
        blocks[i] = HeapAlloc(priv, 0, 32 + i * 16);
        CHECK(31, blocks[i] != NULL);
        memset(blocks[i], i, 32 + i * 16);
    }
    int sizes_ok = 1;
    for (int i = 0; i < 64; i++)
        if (HeapSize(priv, 0, blocks[i]) != (SIZE_T)(32 + i * 16) ||
            ((unsigned char *)blocks[i])[31] != i)
            sizes_ok = 0;
    printf("private heap: 64 blocks, sizes and contents right: %s\n", sizes_ok ? "yes" : "no");
    for (int i = 0; i < 64; i += 2)
        CHECK(32, HeapFree(priv, 0, blocks[i]));
    printf("HeapValidate after freeing half: %s\n", HeapValidate(priv, 0, NULL) ? "TRUE" : "FALSE");
    CHECK(33, HeapDestroy(priv));
    printf("HeapDestroy: TRUE\n");
    /* A heap with a maximum size cannot grow past it. */
    priv = HeapCreate(0, 0x10000, 0x10000);
    CHECK(34, priv != NULL);
    SetLastError(0xdeadbeef);
    void *big = HeapAlloc(priv, 0, 0x100000);
    printf("HeapAlloc beyond a fixed-size heap: %s\n", big ? "pointer" : "NULL");
    HeapDestroy(priv);

    /* ---- msvcrt ---- */
    char *m = malloc(37);
    CHECK(40, m != NULL);
    printf("malloc(37): _msize %llu\n", (unsigned long long)_msize(m));
    strcpy(m, "thirty-seven bytes are plenty");
    m = realloc(m, 100000);
    CHECK(41, m != NULL);
    printf("realloc to 100000: _msize %llu, contents kept: %s\n", (unsigned long long)_msize(m),
           strcmp(m, "thirty-seven bytes are plenty") == 0 ? "yes" : "no");
    free(m);
    int *c = calloc(1000, sizeof(int));
    CHECK(42, c != NULL);
    zero = 1;
    for (int i = 0; i < 1000; i++)
        if (c[i])
            zero = 0;
    printf("calloc(1000, 4): zeroed %s\n", zero ? "yes" : "no");
    free(c);
    m = realloc(NULL, 16);
    printf("realloc(NULL, 16): %s\n", m ? "pointer" : "NULL");
    free(m);
    free(NULL);
    printf("free(NULL): ok\n");
    volatile size_t huge = (size_t)-64, quarter = (size_t)1 << 62; /* hidden from gcc */
    errno = 0;
    m = malloc(huge);
    printf("malloc(huge): %s, errno %d\n", m ? "pointer" : "NULL", errno);
    errno = 0;
    c = calloc(quarter, 8);
    printf("calloc overflowing: %s, errno %d\n", c ? "pointer" : "NULL", errno);

    /* ---- last error after a failing call ---- */
    SetLastError(0);
    MEMORY_BASIC_INFORMATION mbi;
    SIZE_T n = VirtualQuery((void *)0xffff800000000000ULL, &mbi, sizeof mbi);
    printf("VirtualQuery of a kernel address: %llu, last error %lu\n", (unsigned long long)n,
           GetLastError());
    return 0;
}
