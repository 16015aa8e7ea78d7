/* A fault inside a CRT stdio function that holds the stream's lock (a bad buffer given to
 * fwrite, a bad %s argument to fprintf, a bad string to fputs), caught by the program's
 * __except: as on Windows, where the UCRT releases the lock in a __finally while the exception
 * unwinds, the lock is free afterwards: another thread then writes to the same stream, and
 * the main thread goes on writing. The process has a second thread before the faults, so the
 * CRT really locks. (Wine 8.0's msvcrt takes the lock without a __finally: its other thread
 * blocks after the first fault.) */
#include "ucrt.h"

__declspec(dllimport) size_t __cdecl fwrite(const void *p, size_t size, size_t n, FILE *f);
__declspec(dllimport) int __cdecl fputs(const char *s, FILE *f);
__declspec(dllimport) void *__stdcall GetModuleHandleA(const char *name);
__declspec(dllimport) void *__stdcall GetProcAddress(void *mod, const char *name);
__declspec(dllimport) void *__stdcall CreateThread(void *sa, size_t stack,
                                                   unsigned long(__stdcall *start)(void *),
                                                   void *arg, unsigned long flags,
                                                   unsigned long *id);
__declspec(dllimport) unsigned long __stdcall WaitForSingleObject(void *h, unsigned long ms);
__declspec(dllimport) int __stdcall CloseHandle(void *h);
__declspec(dllimport) __declspec(noreturn) void __stdcall ExitProcess(unsigned code);

#define GetExceptionCode _exception_code
#define EXCEPTION_EXECUTE_HANDLER 1

static unsigned long code;
static int take(unsigned long c)
{
    code = c;
    return EXCEPTION_EXECUTE_HANDLER;
}

static void *(__stdcall *p_VirtualAlloc)(void *, size_t, unsigned long, unsigned long);
static size_t(__cdecl *volatile p_fwrite)(const void *, size_t, size_t, FILE *) = fwrite;
static int(__cdecl *volatile p_fputs)(const char *, FILE *) = fputs;

static unsigned long __stdcall nothing(void *arg)
{
    (void)arg;
    return 0;
}

static unsigned long __stdcall writer(void *arg)
{
    fprintf(stdout, "  other thread: writes to stdout (%s)\n", (const char *)arg);
    fflush(stdout);
    return 7;
}

/* Another thread writes to stdout; a lock left held would block it. */
static void other_thread(const char *after)
{
    void *h = CreateThread(0, 0, writer, (void *)after, 0, 0);
    if (WaitForSingleObject(h, 20000) != 0) {
        printf("  other thread: blocked, the stream lock is still held\n");
        fflush(stdout);
        ExitProcess(3);
    }
    CloseHandle(h);
    printf("  main thread: writes again\n");
    fflush(stdout);
}

__declspec(noinline) static void bad_fprintf(const char *bad)
{
    fprintf(stdout, "%.20s", bad);
}

int main(void)
{
    void *k32 = GetModuleHandleA("kernel32.dll");
    p_VirtualAlloc = (void *(__stdcall *)(void *, size_t, unsigned long, unsigned long))
        GetProcAddress(k32, "VirtualAlloc");
    const char *bad = (const char *)p_VirtualAlloc(0, 4096, 0x3000, 0x01 /* PAGE_NOACCESS */);

    void *h = CreateThread(0, 0, nothing, 0, 0, 0);
    WaitForSingleObject(h, 0xffffffff);
    CloseHandle(h);
    printf("start\n");
    fflush(stdout);

    __try {
        p_fwrite(bad, 1, 64, stdout);
        printf("fwrite: not caught\n");
    } __except (take(GetExceptionCode())) {
        printf("1: fwrite(bad buffer): caught 0x%08lX\n", code);
    }
    fflush(stdout);
    other_thread("after fwrite");

    __try {
        bad_fprintf(bad);
        printf("fprintf: not caught\n");
    } __except (take(GetExceptionCode())) {
        printf("2: fprintf(\"%%s\", bad string): caught 0x%08lX\n", code);
    }
    fflush(stdout);
    other_thread("after fprintf");

    __try {
        p_fputs(bad, stdout);
        printf("fputs: not caught\n");
    } __except (take(GetExceptionCode())) {
        printf("3: fputs(bad string): caught 0x%08lX\n", code);
    }
    fflush(stdout);
    other_thread("after fputs");
    printf("end\n");
    return 0;
}
