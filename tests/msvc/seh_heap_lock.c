/* A fault inside a heap function while it holds the heap's lock (the header of the block it is
 * given lies on a page the program made inaccessible), under the program's __try/__except:
 * whether the function raises or returns, the heap's lock is not left held. Another thread
 * then allocates from and frees to the same heap (a lock left held would block it; the wait
 * gives up after 20 s and says so), and once the page is accessible again the block is freed
 * and the heap destroyed. The output does not depend on whether the call raised (Windows'
 * heap catches some faults itself); under ntrun each of them does. */
#include "ucrt.h"

__declspec(dllimport) void *__stdcall HeapCreate(unsigned long flags, size_t initial,
                                                 size_t max);
__declspec(dllimport) int __stdcall HeapDestroy(void *heap);
__declspec(dllimport) void *__stdcall HeapAlloc(void *heap, unsigned long flags, size_t n);
__declspec(dllimport) int __stdcall HeapFree(void *heap, unsigned long flags, void *p);
__declspec(dllimport) size_t __stdcall HeapSize(void *heap, unsigned long flags, const void *p);
__declspec(dllimport) void *__stdcall HeapReAlloc(void *heap, unsigned long flags, void *p,
                                                  size_t n);
__declspec(dllimport) int __stdcall VirtualProtect(void *p, size_t n, unsigned long prot,
                                                   unsigned long *old);
__declspec(dllimport) void *__stdcall CreateThread(void *sa, size_t stack,
                                                   unsigned long(__stdcall *start)(void *),
                                                   void *arg, unsigned long flags,
                                                   unsigned long *id);
__declspec(dllimport) unsigned long __stdcall WaitForSingleObject(void *h, unsigned long ms);
__declspec(dllimport) int __stdcall GetExitCodeThread(void *h, unsigned long *code);
__declspec(dllimport) int __stdcall CloseHandle(void *h);
__declspec(dllimport) __declspec(noreturn) void __stdcall ExitProcess(unsigned code);

#define EXCEPTION_EXECUTE_HANDLER 1
#define PAGE_NOACCESS 0x01
#define PAGE_READWRITE 0x04

static void *heap;

static unsigned long __stdcall allocator(void *arg)
{
    (void)arg;
    for (int i = 0; i < 16; i++) {
        char *p = (char *)HeapAlloc(heap, 0, 48);
        if (!p)
            return 1;
        p[0] = p[47] = (char)i;
        if (!HeapFree(heap, 0, p))
            return 2;
    }
    return 0;
}

static void other_thread(const char *after)
{
    unsigned long rc = 99;
    void *t = CreateThread(0, 0, allocator, 0, 0, 0);
    if (WaitForSingleObject(t, 20000) != 0) {
        printf("%s: other thread blocked, the heap lock is still held\n", after);
        fflush(stdout);
        ExitProcess(3);
    }
    GetExitCodeThread(t, &rc);
    CloseHandle(t);
    printf("%s: other thread allocated and freed, exit code %lu\n", after, rc);
    fflush(stdout);
}

int main(void)
{
    unsigned long old;
    heap = HeapCreate(0, 0, 0);
    char *pad = (char *)HeapAlloc(heap, 0, 16384);
    char *block = (char *)HeapAlloc(heap, 0, 16384);
    char *tail = (char *)HeapAlloc(heap, 0, 64);
    if (!heap || !pad || !block || !tail) {
        printf("set-up failed\n");
        return 1;
    }
    /* the page(s) holding the block's header (the 16 bytes before it) */
    if (!VirtualProtect(block - 16, 16, PAGE_NOACCESS, &old)) {
        printf("VirtualProtect failed\n");
        return 1;
    }
    __try {
        HeapFree(heap, 0, block);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
    }
    other_thread("HeapFree");
    __try {
        HeapSize(heap, 0, block);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
    }
    other_thread("HeapSize");
    __try {
        HeapReAlloc(heap, 0, block, 65536);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
    }
    other_thread("HeapReAlloc");
    VirtualProtect(block - 16, 16, PAGE_READWRITE, &old);
    printf("size after: %s\n", HeapSize(heap, 0, block) == 16384 ? "16384" : "other");
    int freed = HeapFree(heap, 0, block) != 0;
    printf("free: %d, destroy: %d\n", freed, HeapDestroy(heap) != 0);
    return 0;
}
