/* C++ exceptions on several threads at once: each thread throws, rethrows and catches in a loop
 * while the others do the same; the catch-in-progress state (what `throw;` rethrows,
 * uncaught_exceptions) is per thread. */
#include "ucrt.h"

extern "C" {
__declspec(dllimport) void *__stdcall CreateThread(void *sa, size_t stack,
                                                   unsigned long(__stdcall *start)(void *),
                                                   void *arg, unsigned long flags,
                                                   unsigned long *id);
__declspec(dllimport) unsigned long __stdcall WaitForSingleObject(void *h, unsigned long ms);
__declspec(dllimport) int __stdcall CloseHandle(void *h);
__declspec(dllimport) int __stdcall GetExitCodeThread(void *h, unsigned long *code);
__declspec(dllimport) int __cdecl __uncaught_exceptions(void);
}

struct Err {
    int thread, round;
};

__declspec(noinline) static void inner(int thread, int round)
{
    try {
        throw Err{thread, round};
    } catch (Err &) {
        throw; /* rethrows this thread's exception, whatever the others are handling */
    }
}

static unsigned long __stdcall worker(void *arg)
{
    int id = (int)(size_t)arg;
    int ok = 0;
    for (int round = 0; round < 2000; round++) {
        try {
            inner(id, round);
        } catch (const Err &e) {
            if (e.thread == id && e.round == round && __uncaught_exceptions() == 0)
                ok++;
        }
    }
    return (unsigned long)ok;
}

int main()
{
    void *threads[3];
    for (int i = 0; i < 3; i++)
        threads[i] = CreateThread(nullptr, 0, worker, (void *)(size_t)(i + 1), 0, nullptr);
    unsigned long mine = worker((void *)0);
    printf("main thread: %lu of 2000 rounds right\n", mine);
    for (int i = 0; i < 3; i++) {
        unsigned long code = 0;
        WaitForSingleObject(threads[i], 0xFFFFFFFF);
        GetExitCodeThread(threads[i], &code);
        printf("thread %d: %lu of 2000 rounds right\n", i + 1, code);
        CloseHandle(threads[i]);
    }
    printf("threads done, uncaught %d\n", __uncaught_exceptions());
    return 0;
}
