/* dllfail.dll: DllMain returns FALSE for DLL_PROCESS_ATTACH, which it logs. (The C runtime's
 * entry point then calls DllMain with DLL_PROCESS_DETACH itself; whether the loader does too
 * is not logged, so the tests do not depend on it.) */
#include <stdio.h>
#include <windows.h>

__declspec(dllexport) int FailValue(void) { return 7; }

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
    if (reason == DLL_PROCESS_ATTACH) {
        printf("dllfail: DllMain reason %lu\n", reason);
        fflush(stdout);
    }
    return reason != DLL_PROCESS_ATTACH;
}
