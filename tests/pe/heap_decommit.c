/* heap_decommit: a heap gives freed memory back, as Windows' heap decommits free blocks. In a
 * growable private heap, 40 blocks of 128 KiB are written; after 20 of them in the middle are
 * freed, a page inside a freed block is MEM_RESERVE (decommitted) while the blocks around stay
 * committed with their contents, HeapWalk lists the freed memory as uncommitted ranges
 * (PROCESS_HEAP_UNCOMMITTED_RANGE, MEM_RESERVE pages, together each region's dwUnCommittedSize),
 * HeapSummary's committed size drops by at least 2 MiB and
 * HeapCompact's largest committed free block is smaller than what was freed. Allocated again,
 * the memory is committed and writable, and the heap validates and walks. A small block grows
 * in place (HEAP_REALLOC_IN_PLACE_ONLY) over a decommitted free neighbour. A freed block of the
 * process heap above the virtual-memory threshold is released (MEM_FREE). HeapCompact of a
 * heap with a freed 20 KiB block reports at least that much.
 *
 * Wine 8.0 (with HeapSummary, which it lacks, left out): keeps freed memory between busy
 * blocks committed (the page stays MEM_COMMIT), refuses the in-place growth and does not
 * implement HeapCompact (always 0); the rest is identical. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#define N 40
#define BLOCK (128 * 1024)

static const char *state(const void *p)
{
    MEMORY_BASIC_INFORMATION mbi;
    if (!VirtualQuery(p, &mbi, sizeof mbi))
        return "VirtualQuery failed";
    switch (mbi.State) {
    case MEM_COMMIT: return mbi.Protect == PAGE_READWRITE ? "MEM_COMMIT PAGE_READWRITE" : "MEM_COMMIT other";
    case MEM_RESERVE: return "MEM_RESERVE";
    case MEM_FREE: return "MEM_FREE";
    }
    return "?";
}

static int filled(const unsigned char *p, size_t n, unsigned char v)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != v)
            return 0;
    return 1;
}

static SIZE_T committed(HANDLE h)
{
    HEAP_SUMMARY s = {sizeof s};
    if (!HeapSummary(h, 0, &s))
        return 0;
    return s.cbCommitted;
}

int main(void)
{
    HANDLE h = HeapCreate(0, 0, 0);
    unsigned char *p[N];
    for (int i = 0; i < N; i++) {
        p[i] = HeapAlloc(h, 0, BLOCK);
        if (!p[i])
            return 1;
        memset(p[i], 0x5a, BLOCK);
    }
    SIZE_T before = committed(h);
    printf("40 blocks written; inside block 20: %s\n", state(p[20] + BLOCK / 2));
    for (int i = 10; i < 30; i++)
        HeapFree(h, 0, p[i]);
    printf("20 freed; inside freed block 20: %s\n", state(p[20] + BLOCK / 2));
    printf("inside busy blocks 9 and 30: %s, %s\n", state(p[9] + BLOCK / 2),
           state(p[30] + BLOCK / 2));
    printf("busy blocks 9 and 30 keep their contents: %s\n",
           filled(p[9], BLOCK, 0x5a) && filled(p[30], BLOCK, 0x5a) ? "yes" : "no");
    /* HeapWalk lists the decommitted memory as uncommitted ranges (reserved pages), which
     * make up each region's dwUnCommittedSize */
    PROCESS_HEAP_ENTRY w = {0};
    SIZE_T ucr_total = 0, region_ucr = 0, listed = 0;
    int reserved = 1, sums = 1;
    while (HeapWalk(h, &w)) {
        if (w.wFlags & PROCESS_HEAP_REGION) {
            sums = sums && listed == region_ucr;
            region_ucr = w.Region.dwUnCommittedSize;
            listed = 0;
        } else if (w.wFlags & PROCESS_HEAP_UNCOMMITTED_RANGE) {
            reserved = reserved && strcmp(state(w.lpData), "MEM_RESERVE") == 0 &&
                       strcmp(state((char *)w.lpData + w.cbData - 1), "MEM_RESERVE") == 0;
            ucr_total += w.cbData;
            listed += w.cbData;
        }
    }
    sums = sums && listed == region_ucr;
    printf("HeapWalk: uncommitted ranges reserved: %s, 2 MiB or more: %s, the regions' "
           "uncommitted sizes: %s\n", reserved ? "yes" : "no", ucr_total >= 2u << 20 ? "yes" : "no",
           sums ? "yes" : "no");
    SIZE_T after = committed(h);
    printf("HeapSummary: committed drops by 2 MiB or more: %s\n",
           before && after && before - after >= 2u << 20 ? "yes" : "no");
    SIZE_T largest = HeapCompact(h, 0);
    printf("HeapCompact below the 2.5 MiB freed: %s\n", largest < 20 * BLOCK ? "yes" : "no");

    for (int i = 10; i < 30; i++) {
        p[i] = HeapAlloc(h, 0, BLOCK);
        if (!p[i])
            return 2;
        memset(p[i], 0x33, BLOCK);
    }
    int ok = 1;
    for (int i = 0; i < N; i++)
        ok = ok && filled(p[i], BLOCK, i >= 10 && i < 30 ? 0x33 : 0x5a);
    printf("allocated and written again: %s; HeapValidate %s\n", ok ? "contents right" : "wrong",
           HeapValidate(h, 0, NULL) ? "TRUE" : "FALSE");
    PROCESS_HEAP_ENTRY e = {0};
    int busy = 0;
    while (HeapWalk(h, &e))
        if (e.wFlags & PROCESS_HEAP_ENTRY_BUSY)
            busy += e.cbData == BLOCK;
    printf("HeapWalk: %d busy blocks of 128 KiB, ends with error %lu\n", busy, GetLastError());

    HeapDestroy(h);

    /* growing in place over a decommitted neighbour: three blocks one after the other in a
     * fresh heap with room for them */
    h = HeapCreate(0, 4 << 20, 0);
    unsigned char *a = HeapAlloc(h, 0, 1024);
    unsigned char *b = HeapAlloc(h, 0, 256 * 1024);
    unsigned char *c = HeapAlloc(h, 0, 1024);
    memset(a, 1, 1024);
    memset(b, 2, 256 * 1024);
    memset(c, 3, 1024);
    HeapFree(h, 0, b);
    unsigned char *g = HeapReAlloc(h, HEAP_REALLOC_IN_PLACE_ONLY, a, 200 * 1024);
    if (g)
        memset(g + 1024, 4, 199 * 1024);
    printf("in-place growth over a freed neighbour: %s, first KiB kept: %s, next block kept: %s\n",
           g == a ? "same block" : g ? "moved" : "refused", filled(a, 1024, 1) ? "yes" : "no",
           filled(c, 1024, 3) ? "yes" : "no");
    printf("HeapValidate %s\n", HeapValidate(h, 0, NULL) ? "TRUE" : "FALSE");
    HeapDestroy(h);

    HANDLE h2 = HeapCreate(0, 0, 0);
    void *x = HeapAlloc(h2, 0, 20 * 1024), *y = HeapAlloc(h2, 0, 64);
    memset(x, 7, 20 * 1024);
    HeapFree(h2, 0, x);
    printf("HeapCompact with a freed 20 KiB block: at least 20 KiB: %s\n",
           HeapCompact(h2, 0) >= 20 * 1024 ? "yes" : "no");
    HeapFree(h2, 0, y);
    HeapDestroy(h2);

    unsigned char *big = HeapAlloc(GetProcessHeap(), 0, 4 << 20);
    memset(big, 9, 4 << 20);
    printf("process heap, 4 MiB block: %s\n", state(big + (2 << 20)));
    HeapFree(GetProcessHeap(), 0, big);
    printf("after HeapFree: %s\n", state(big + (2 << 20)));
    return 0;
}
