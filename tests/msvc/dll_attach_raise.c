/* Exceptions that DllMain or a TLS callback leaves unhandled inside LoadLibrary. Windows'
 * loader calls both inside an __except (Application Verifier's stop 0x60D, "Unexpected
 * exception raised in DLL entry point routine": the loader catches and hides the exception
 * and unloads the DLL without DLL_PROCESS_DETACH; an exception in a TLS callback is caught and
 * the next callback runs):
 *  - attach_raise.dll's DllMain raises 0xE0000001: the caller's __except never sees it,
 *    LoadLibrary returns NULL, DllMain's own __finally ran, no DLL_PROCESS_DETACH, the DLL is
 *    not loaded afterwards;
 *  - attach_fault.dll's DllMain faults: the same;
 *  - attach_tls.dll's first TLS callback raises: the loader's __except is around its loop over
 *    the callbacks, so the second callback does not run; DllMain still does, and LoadLibrary
 *    succeeds.
 * (Wine 8.0 agrees but for calling attach_raise.dll's DLL_PROCESS_DETACH.) After each, the loader lock is free: another thread loads a DLL, looks one up, and a new
 * thread gets attach_count.dll's DLL_THREAD_ATTACH (a lock left held would block both; the
 * wait gives up after 20 s and says so). A vectored handler sees each exception first, as on
 * Windows. */
#include "ucrt.h"

__declspec(dllimport) void *__stdcall LoadLibraryA(const char *name);
__declspec(dllimport) int __stdcall FreeLibrary(void *mod);
__declspec(dllimport) void *__stdcall GetModuleHandleA(const char *name);
__declspec(dllimport) void *__stdcall GetProcAddress(void *mod, const char *name);
__declspec(dllimport) unsigned long __stdcall GetEnvironmentVariableA(const char *name,
                                                                     char *buf,
                                                                     unsigned long size);
__declspec(dllimport) void *__stdcall CreateThread(void *sa, size_t stack,
                                                   unsigned long(__stdcall *start)(void *),
                                                   void *arg, unsigned long flags,
                                                   unsigned long *id);
__declspec(dllimport) unsigned long __stdcall WaitForSingleObject(void *h, unsigned long ms);
__declspec(dllimport) int __stdcall GetExitCodeThread(void *h, unsigned long *code);
__declspec(dllimport) int __stdcall CloseHandle(void *h);
__declspec(dllimport) __declspec(noreturn) void __stdcall ExitProcess(unsigned code);

typedef struct {
    unsigned long ExceptionCode;
} exc_record_head;
typedef struct {
    exc_record_head *ExceptionRecord;
    void *ContextRecord;
} exc_pointers;

#define GetExceptionCode _exception_code
#define EXCEPTION_EXECUTE_HANDLER 1
#define EXCEPTION_CONTINUE_SEARCH 0

static volatile unsigned long vectored_code;
static long __stdcall vectored(exc_pointers *ptrs)
{
    vectored_code = ptrs->ExceptionRecord->ExceptionCode;
    return EXCEPTION_CONTINUE_SEARCH;
}

static long (*count_threads)(void);

static unsigned long __stdcall nothing(void *arg)
{
    (void)arg;
    return 0;
}

/* Another thread: LoadLibrary, GetModuleHandle, and a thread of its own (DLL_THREAD_ATTACH). */
static unsigned long __stdcall other(void *arg)
{
    (void)arg;
    void *m = LoadLibraryA("attach_count.dll");
    if (!m || GetModuleHandleA("attach_count.dll") != m)
        return 1;
    FreeLibrary(m);
    void *t = CreateThread(0, 0, nothing, 0, 0, 0);
    if (!t || WaitForSingleObject(t, 20000) != 0)
        return 2;
    CloseHandle(t);
    return 0;
}

static void other_thread(void)
{
    long before = count_threads();
    unsigned long rc = 99;
    void *h = CreateThread(0, 0, other, 0, 0, 0);
    if (WaitForSingleObject(h, 20000) != 0) {
        printf("  other thread: blocked, the loader lock is still held\n");
        fflush(stdout);
        ExitProcess(3);
    }
    GetExitCodeThread(h, &rc);
    CloseHandle(h);
    printf("  other thread: exit code %lu, attach_count.dll saw %ld thread attaches\n", rc,
           count_threads() - before);
}

static const char *env(const char *name)
{
    static char buf[64];
    if (!GetEnvironmentVariableA(name, buf, sizeof buf))
        return "(not set)";
    return buf;
}

static void load(const char *name)
{
    void *volatile m = (void *)1;
    vectored_code = 0;
    __try {
        m = LoadLibraryA(name);
        printf("%s: LoadLibrary returned %s", name, m ? "the module" : "NULL");
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        printf("%s: the caller's __except got 0x%08lX", name, GetExceptionCode());
    }
    printf("; vectored handler saw 0x%08lX; loaded afterwards: %s\n", vectored_code,
           GetModuleHandleA(name) ? "yes" : "no");
    fflush(stdout);
}

int main(void)
{
    void *k32 = GetModuleHandleA("kernel32.dll");
    void *(__stdcall *add_vectored)(unsigned long, long(__stdcall *)(exc_pointers *)) =
        (void *(__stdcall *)(unsigned long, long(__stdcall *)(exc_pointers *)))GetProcAddress(
            k32, "AddVectoredExceptionHandler");
    add_vectored(1, vectored);
    void *counter = LoadLibraryA("attach_count.dll");
    count_threads = (long (*)(void))GetProcAddress(counter, "attach_count_threads");
    printf("attach_count.dll: %s\n", count_threads ? "loaded" : "missing");
    other_thread();

    load("attach_raise.dll");
    printf("  its __finally: %s; its DLL_PROCESS_DETACH: %s\n", env("ATTACH_RAISE_FINALLY"),
           env("ATTACH_RAISE_DETACH"));
    other_thread();

    load("attach_fault.dll");
    other_thread();

    load("attach_tls.dll");
    printf("  second TLS callback: %s; DllMain: %s\n", env("ATTACH_TLS_SECOND"),
           env("ATTACH_TLS_DLLMAIN"));
    other_thread();
    printf("end\n");
    return 0;
}
