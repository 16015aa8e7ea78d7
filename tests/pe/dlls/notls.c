/* notls.dll: a DLL without the C runtime's start-up code (built with -nostartfiles, entry point
 * DllEntry), hence without a TLS directory: DisableThreadLibraryCalls works on it. It counts
 * the DLL_THREAD_* calls of its entry point. */
#include <windows.h>

static int thread_calls;

BOOL WINAPI DllEntry(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
    if (reason == DLL_THREAD_ATTACH || reason == DLL_THREAD_DETACH)
        thread_calls++;
    return TRUE;
}

__declspec(dllexport) int NotlsThreadCalls(void) { return thread_calls; }
__declspec(dllexport) int NotlsDisableThreadCalls(void)
{
    return DisableThreadLibraryCalls(GetModuleHandleA("notls.dll"));
}
