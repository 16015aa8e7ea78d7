/* heapbench: malloc/free and HeapAlloc/HeapFree of small blocks, ns per operation in thread CPU
 * time (GetThreadTimes). Built by hand, not by the build (docs/performance.md "The program's
 * heap"): x86_64-w64-mingw32-gcc -O2 -o heapbench.exe heapbench.c; ntrun heapbench.exe */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>
static double now_ns(void) { FILETIME a, b, k, u; GetThreadTimes(GetCurrentThread(), &a, &b, &k, &u); return ((double)(((ULONGLONG)k.dwHighDateTime << 32) | k.dwLowDateTime) + (double)(((ULONGLONG)u.dwHighDateTime << 32) | u.dwLowDateTime)) * 100.0; }
static void *(*volatile m_)(size_t) = malloc; static void (*volatile f_)(void *) = free;
int main(void)
{
    enum { N = 2000000, S = 256 };
    static void *slot[S];
    HANDLE ph = GetProcessHeap();
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now_ns();
        for (int i = 0; i < N; i++) { void *p = m_(32); f_(p); }
        double t1 = now_ns();
        unsigned x = 1;
        for (int i = 0; i < N; i++) { x = x * 1103515245u + 12345u; unsigned k = (x >> 8) % S; if (slot[k]) { free(slot[k]); slot[k] = 0; } else slot[k] = malloc(16 + (x >> 20) % 240); }
        double t2 = now_ns();
        for (int i = 0; i < N; i++) { void *p = HeapAlloc(ph, 0, 48); HeapFree(ph, 0, p); }
        double t3 = now_ns();
        printf("malloc+free(32): %.1f ns  mixed 16..256 x256 live: %.1f ns/op  HeapAlloc+HeapFree(48): %.1f ns\n",
               (t1 - t0) / N, (t2 - t1) / N, (t3 - t2) / N);
    }
    return 0;
}
