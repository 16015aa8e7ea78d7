/* mydll.dll: the DLL of the DLL tests. DllMain logs every reason (with whether lpReserved is
 * NULL: it is non-NULL for a static load and for process exit), static TLS of its own (a
 * .tls$ variable read through TEB.ThreadLocalStoragePointer[_tls_index], as MSVC's
 * __declspec(thread) compiles) and a TLS callback, an import from mydll2.dll, and in
 * mydll.def: an export forwarded to kernel32 (MyGetTickCount = kernel32.GetTickCount), one
 * forwarded to itself by ordinal (MyAddAgain = mydll.#1) and one forwarded to mydll2.dll by
 * ordinal (MySquare = mydll2.#5). */
#include <stdio.h>
#include <windows.h>

int Mul2(int a, int b); /* from mydll2.dll */

extern ULONG _tls_index;
__attribute__((section(".tls$BBB"))) int dll_tls_value = 1000;

extern const IMAGE_TLS_DIRECTORY _tls_used;

/* This thread's copy of dll_tls_value (a static dummy when the thread has no block). */
static int *tls_slot(void)
{
    static int none = -1;
    void **array;
    __asm__("mov %%gs:0x58, %0" : "=r"(array)); /* TEB.ThreadLocalStoragePointer */
    if (!array || !array[_tls_index])
        return &none;
    char *block = array[_tls_index];
    return (int *)(block + ((char *)&dll_tls_value - (char *)_tls_used.StartAddressOfRawData));
}

static int thread_attaches, thread_detaches, tls_callback_calls;

__declspec(dllexport) int MyAdd(int a, int b) { return a + b; }
__declspec(dllexport) int MyTimesTwo(int a) { return Mul2(a, 2); }
/* This thread's copy of the TLS variable, then adds `add` to it. */
__declspec(dllexport) int MyTlsBump(int add)
{
    int *p = tls_slot();
    int old = *p;
    *p += add;
    return old;
}
__declspec(dllexport) int MyThreadAttaches(void) { return thread_attaches; }
__declspec(dllexport) int MyThreadDetaches(void) { return thread_detaches; }
__declspec(dllexport) int MyTlsCallbackCalls(void) { return tls_callback_calls; }
/* DisableThreadLibraryCalls on this DLL: fails, as it has static TLS. */
__declspec(dllexport) int MyDisableThreadCalls(void)
{
    return DisableThreadLibraryCalls(GetModuleHandleA("mydll.dll"));
}
__declspec(dllexport) int my_data_export = 42;

static const char *reason_name(DWORD reason)
{
    switch (reason) {
    case DLL_PROCESS_ATTACH: return "DLL_PROCESS_ATTACH";
    case DLL_PROCESS_DETACH: return "DLL_PROCESS_DETACH";
    case DLL_THREAD_ATTACH: return "DLL_THREAD_ATTACH";
    case DLL_THREAD_DETACH: return "DLL_THREAD_DETACH";
    default: return "?";
    }
}

static void NTAPI tls_callback(PVOID inst, DWORD reason, PVOID reserved)
{
    tls_callback_calls++;
}
__attribute__((section(".CRT$XLB"), used)) PIMAGE_TLS_CALLBACK mydll_tls_callback = tls_callback;

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
    if (reason == DLL_THREAD_ATTACH)
        thread_attaches++;
    if (reason == DLL_THREAD_DETACH)
        thread_detaches++;
    {
        printf("mydll: %s (lpReserved %s, TLS value %d, module handle %s)\n", reason_name(reason),
               reserved ? "non-NULL" : "NULL", *tls_slot(),
               inst == GetModuleHandleA("mydll.dll") ? "matches" : "differs");
        fflush(stdout);
    }
    return TRUE;
}
