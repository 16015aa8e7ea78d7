/* kernel32's environment functions given an output buffer the program cannot write (a
 * PAGE_NOACCESS page), under the program's __try/__except: whether the call raises or returns
 * (Windows' Rtl environment routines catch the fault themselves and fail with
 * ERROR_NOACCESS), the environment's lock is not left held. Another thread then reads and sets
 * variables (a lock left held would block it; the wait gives up after 20 s and says so). */
#include "ucrt.h"

__declspec(dllimport) unsigned long __stdcall GetEnvironmentVariableA(const char *name,
                                                                     char *buf,
                                                                     unsigned long size);
__declspec(dllimport) int __stdcall SetEnvironmentVariableA(const char *name,
                                                            const char *value);
__declspec(dllimport) void *__stdcall VirtualAlloc(void *p, size_t n, unsigned long type,
                                                   unsigned long prot);
__declspec(dllimport) void *__stdcall CreateThread(void *sa, size_t stack,
                                                   unsigned long(__stdcall *start)(void *),
                                                   void *arg, unsigned long flags,
                                                   unsigned long *id);
__declspec(dllimport) unsigned long __stdcall WaitForSingleObject(void *h, unsigned long ms);
__declspec(dllimport) int __stdcall GetExitCodeThread(void *h, unsigned long *code);
__declspec(dllimport) int __stdcall CloseHandle(void *h);
__declspec(dllimport) __declspec(noreturn) void __stdcall ExitProcess(unsigned code);

#define EXCEPTION_EXECUTE_HANDLER 1

static unsigned long __stdcall reader(void *arg)
{
    char buf[32];
    (void)arg;
    if (!SetEnvironmentVariableA("SEH_ENV_OTHER", "other"))
        return 1;
    if (GetEnvironmentVariableA("SEH_ENV_OTHER", buf, sizeof buf) != 5)
        return 2;
    if (GetEnvironmentVariableA("SEH_ENV_VALUE", buf, sizeof buf) != 9)
        return 3;
    return 0;
}

int main(void)
{
    char *bad = (char *)VirtualAlloc(0, 4096, 0x3000, 0x01 /* PAGE_NOACCESS */);
    SetEnvironmentVariableA("SEH_ENV_VALUE", "something");
    __try {
        GetEnvironmentVariableA("SEH_ENV_VALUE", bad, 64);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
    }
    unsigned long rc = 99;
    void *t = CreateThread(0, 0, reader, 0, 0, 0);
    if (WaitForSingleObject(t, 20000) != 0) {
        printf("other thread blocked, the environment lock is still held\n");
        fflush(stdout);
        ExitProcess(3);
    }
    GetExitCodeThread(t, &rc);
    CloseHandle(t);
    printf("other thread read and set variables, exit code %lu\n", rc);
    return 0;
}
