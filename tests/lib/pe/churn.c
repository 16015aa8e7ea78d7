/* libntrun test program: uses what a run must give back (heaps, VirtualAlloc, files, handles,
 * TLS indexes, atexit, a thread, both output streams) and returns 7. */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

static DWORD WINAPI worker(void *arg)
{
    *(int *)arg = 1;
    return 0;
}

static void bye(void) { printf("atexit ran\n"); }

int main(int argc, char **argv)
{
    atexit(bye);
    HANDLE heap = HeapCreate(0, 0, 0);
    void *leak = HeapAlloc(heap, 0, 100000);          /* never freed: the run gives it back */
    void *vm = VirtualAlloc(NULL, 1 << 20, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    DWORD tls = TlsAlloc();
    char *m = malloc(1000);
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL); /* never closed */
    int flag = 0;
    HANDLE th = CreateThread(NULL, 0, worker, &flag, 0, NULL);
    WaitForSingleObject(th, INFINITE);
    printf("argc=%d heap=%d vm=%d tls=%d malloc=%d event=%d thread=%d\n", argc, leak != NULL,
           vm != NULL, tls != TLS_OUT_OF_INDEXES, m != NULL, ev != NULL, flag);
    fprintf(stderr, "to stderr\n");
    return 7;
}
