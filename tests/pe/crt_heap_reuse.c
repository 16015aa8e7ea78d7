/* crt_heap_reuse: msvcrt's malloc/free/realloc/calloc when freed blocks come back: a churn of
 * small blocks of many sizes where every live block keeps its fill and its exact _msize (a
 * block handed out twice, or a freed block's bookkeeping written over a live one, shows here);
 * calloc of a size just freed full of 0xAB gives zeros; realloc across the small/large sizes
 * keeps the bytes; freed blocks are not reported busy by HeapWalk and the process heap
 * validates; then two threads churn at once (CreateThread after the churn above, so the heap
 * goes from one thread's calls to locked ones), each checking its own fills. Behaves the same
 * on Windows. */
#include <windows.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 64

static void *(*volatile alloc)(size_t) = malloc; /* opaque: the compiler keeps every call */
static void (*volatile release)(void *) = free;

/* One churn of n steps over SLOTS blocks; the fill byte of slot k is seed + k. 0 when good,
 * else the step that found a damaged block. */
static unsigned churn(unsigned seed, unsigned n, unsigned char **slot, size_t *size)
{
    unsigned x = seed * 2654435761u + 1;
    for (unsigned i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        unsigned k = (x >> 8) % SLOTS;
        unsigned char fill = (unsigned char)(seed + k);
        if (slot[k]) {
            if (_msize(slot[k]) != size[k])
                return i + 1;
            for (size_t j = 0; j < size[k]; j++)
                if (slot[k][j] != fill)
                    return i + 1;
            release(slot[k]);
            slot[k] = NULL;
        } else {
            size[k] = (x >> 16) % 700;
            slot[k] = alloc(size[k]);
            if (!slot[k])
                return i + 1;
            memset(slot[k], fill, size[k]);
        }
    }
    for (unsigned k = 0; k < SLOTS; k++) {
        release(slot[k]);
        slot[k] = NULL;
    }
    return 0;
}

static DWORD WINAPI worker(void *arg)
{
    unsigned char *slot[SLOTS] = {0};
    size_t size[SLOTS];
    return churn((unsigned)(uintptr_t)arg, 200000, slot, size);
}

int main(void)
{
    unsigned char *slot[SLOTS] = {0};
    size_t size[SLOTS];
    unsigned bad = churn(7, 200000, slot, size);
    printf("one thread: %s\n", bad ? "a block was damaged" : "every block kept its fill");

    void *freed[16];
    for (int i = 0; i < 16; i++) {
        freed[i] = alloc(48);
        memset(freed[i], 0xAB, 48);
    }
    for (int i = 0; i < 16; i++)
        release(freed[i]);
    int zero = 1;
    unsigned char *z[16];
    for (int i = 0; i < 16; i++) {
        z[i] = calloc(1, 48);
        for (int j = 0; j < 48; j++)
            zero &= z[i][j] == 0;
    }
    printf("calloc after free: %s\n", zero ? "zeros" : "old bytes");
    for (int i = 0; i < 16; i++)
        release(z[i]);

    char *r = alloc(24);
    strcpy(r, "keep these bytes");
    r = realloc(r, 5000);
    r = realloc(r, 600000);
    r = realloc(r, 40);
    printf("realloc: %s, _msize %u\n", r, (unsigned)_msize(r));
    release(r);

    for (int i = 0; i < 16; i++)
        freed[i] = alloc(100);
    for (int i = 0; i < 16; i++)
        release(freed[i]);
    PROCESS_HEAP_ENTRY e = {0};
    int busy_freed = 0;
    HANDLE heap = GetProcessHeap();
    HeapLock(heap);
    while (HeapWalk(heap, &e))
        if (e.wFlags & PROCESS_HEAP_ENTRY_BUSY)
            for (int i = 0; i < 16; i++)
                busy_freed += e.lpData == freed[i];
    HeapUnlock(heap);
    printf("freed blocks the walk calls busy: %d\n", busy_freed);
    printf("HeapValidate: %d\n", HeapValidate(heap, 0, NULL) != 0);

    HANDLE t[2];
    DWORD code[2];
    for (int i = 0; i < 2; i++)
        t[i] = CreateThread(NULL, 0, worker, (void *)(uintptr_t)(11 + i * 40), 0, NULL);
    bad = churn(91, 200000, slot, size);
    WaitForMultipleObjects(2, t, TRUE, INFINITE);
    for (int i = 0; i < 2; i++) {
        GetExitCodeThread(t[i], &code[i]);
        CloseHandle(t[i]);
    }
    printf("three threads: %s\n",
           bad || code[0] || code[1] ? "a block was damaged" : "every block kept its fill");
    printf("HeapValidate: %d\n", HeapValidate(heap, 0, NULL) != 0);
    return 0;
}
