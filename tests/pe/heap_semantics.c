/* heap_semantics: the program's heaps as Windows x64 gives them. malloc'd blocks are blocks of
 * the process heap (HeapSize(GetProcessHeap()) == _msize), 16-byte aligned, sizes exact for
 * every size 0..300; VirtualQuery of a block: committed MEM_PRIVATE read-write memory;
 * HEAP_REALLOC_IN_PLACE_ONLY fails with a busy neighbour and works once it is freed; HEAP_ZERO_MEMORY
 * on HeapAlloc and HeapReAlloc; HeapWalk sees a region and the busy blocks of a private heap
 * and ends with ERROR_NO_MORE_ITEMS; HeapValidate finds a block overflow into the next block's
 * header; GetProcessHeaps lists the process heap and the private heap; a non-growable heap
 * refuses a 2 MiB block; HEAP_GENERATE_EXCEPTIONS raises STATUS_NO_MEMORY (seen by a vectored
 * handler, continued: HeapAlloc returns NULL); _expand grows in place or fails, and shrinks in place. */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static DWORD seen_code;

static LONG CALLBACK on_exception(EXCEPTION_POINTERS *ep)
{
    if (ep->ExceptionRecord->ExceptionCode == STATUS_NO_MEMORY) {
        seen_code = ep->ExceptionRecord->ExceptionCode;
        return EXCEPTION_CONTINUE_EXECUTION;
    }
    return EXCEPTION_CONTINUE_SEARCH;
}

int main(void)
{
    HANDLE ph = GetProcessHeap();
    int aligned = 1, exact = 1;
    void *blocks[301];
    for (int i = 0; i <= 300; i++) {
        blocks[i] = malloc(i);
        aligned &= ((uintptr_t)blocks[i] & 15) == 0;
        exact &= _msize(blocks[i]) == (size_t)i && HeapSize(ph, 0, blocks[i]) == (SIZE_T)i;
    }
    printf("malloc 0..300: 16-byte aligned %s, _msize == HeapSize(process heap) == size %s\n",
           aligned ? "yes" : "no", exact ? "yes" : "no");
    for (int i = 0; i <= 300; i++)
        free(blocks[i]);

    char *m = malloc(100);
    MEMORY_BASIC_INFORMATION mbi;
    VirtualQuery(m, &mbi, sizeof mbi);
    printf("VirtualQuery(malloc'd block): %s %s %s\n",
           mbi.State == MEM_COMMIT ? "MEM_COMMIT" : "?", mbi.Type == MEM_PRIVATE ? "MEM_PRIVATE" : "?",
           mbi.Protect == PAGE_READWRITE ? "PAGE_READWRITE" : "?");
    free(m);

    HANDLE h = HeapCreate(0, 0, 0);
    char *a = HeapAlloc(h, 0, 64), *b = HeapAlloc(h, 0, 64), *c = HeapAlloc(h, 0, 64);
    memset(a, 'a', 64);
    printf("HeapReAlloc in place with a busy neighbour: %s\n",
           HeapReAlloc(h, HEAP_REALLOC_IN_PLACE_ONLY, a, 100) ? "grew" : "NULL");
    HeapFree(h, 0, b);
    char *a2 = HeapReAlloc(h, HEAP_REALLOC_IN_PLACE_ONLY | HEAP_ZERO_MEMORY, a, 100);
    printf("after freeing it: %s, HeapSize %lu, kept %s, zeroed %s\n",
           a2 == a ? "same address" : "NULL or moved", (unsigned long)HeapSize(h, 0, a),
           a[63] == 'a' ? "yes" : "no", a[64] == 0 && a[99] == 0 ? "yes" : "no");
    char *z = HeapAlloc(h, HEAP_ZERO_MEMORY, 5000);
    int zero = 1;
    for (int i = 0; i < 5000; i++)
        zero &= z[i] == 0;
    printf("HEAP_ZERO_MEMORY 5000: %s\n", zero ? "zeroed" : "not zeroed");

    PROCESS_HEAP_ENTRY e = {0};
    int regions = 0, busy = 0;
    while (HeapWalk(h, &e)) {
        if (e.wFlags & PROCESS_HEAP_REGION)
            regions++;
        else if (e.wFlags & PROCESS_HEAP_ENTRY_BUSY)
            busy++;
    }
    printf("HeapWalk: %d region, %d busy blocks, ends with %lu\n", regions, busy, GetLastError());

    printf("HeapValidate before the overflow: %s\n", HeapValidate(h, 0, NULL) ? "TRUE" : "FALSE");
    memset(c, 'x', 64 + 16 + 8); /* past the end of c, into z's header */
    printf("HeapValidate after it: %s\n", HeapValidate(h, 0, NULL) ? "TRUE" : "FALSE");

    HANDLE heaps[8];
    DWORD n = GetProcessHeaps(8, heaps);
    int has_ph = 0, has_h = 0;
    for (DWORD i = 0; i < n && i < 8; i++) {
        has_ph |= heaps[i] == ph;
        has_h |= heaps[i] == h;
    }
    printf("GetProcessHeaps: process heap %s, private heap %s\n", has_ph ? "yes" : "no",
           has_h ? "yes" : "no");
    printf("HeapDestroy: %s\n", HeapDestroy(h) ? "TRUE" : "FALSE");

    HANDLE fixed = HeapCreate(0, 0x10000, 0x400000);
    printf("non-growable heap, 2 MiB block: %s\n", HeapAlloc(fixed, 0, 2 << 20) ? "pointer" : "NULL");
    printf("non-growable heap, 100 KiB block: %s\n", HeapAlloc(fixed, 0, 100 << 10) ? "pointer" : "NULL");
    HeapDestroy(fixed);

    AddVectoredExceptionHandler(1, on_exception);
    void *huge = HeapAlloc(ph, HEAP_GENERATE_EXCEPTIONS, (SIZE_T)1 << 50);
    printf("HEAP_GENERATE_EXCEPTIONS: exception 0x%08lX, returned %s\n", seen_code,
           huge ? "pointer" : "NULL");
    seen_code = 0;
    HANDLE gh = HeapCreate(HEAP_GENERATE_EXCEPTIONS, 0, 0);
    huge = HeapReAlloc(gh, 0, HeapAlloc(gh, 0, 10), (SIZE_T)1 << 50);
    printf("heap created with it, HeapReAlloc: exception 0x%08lX, returned %s\n", seen_code,
           huge ? "pointer" : "NULL");
    seen_code = 0;
    huge = HeapAlloc(ph, 0, (SIZE_T)1 << 50);
    printf("without it: exception 0x%08lX, returned %s\n", seen_code, huge ? "pointer" : "NULL");

    char *x = malloc(40), *y = malloc(40);
    void *ex = _expand(x, 400);
    printf("_expand growing: %s\n", ex == NULL || ex == x ? "in place or NULL" : "moved");
    void *shrunk = _expand(x, 8);
    printf("_expand shrinking: %s, _msize %u\n", shrunk == x ? "same block" : "?",
           (unsigned)_msize(x));
    free(y);
    free(x);
    return 0;
}
