/* A file named like a system DLL, next to the test programs (as Wine's own kernelbase.dll sits
 * next to Wine's tools): ntrun must never load it (KnownDLLs rule, pe.known_dlls). If it did,
 * its DllMain would say so. */
#include <windows.h>
#include <stdio.h>

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
    if (reason == DLL_PROCESS_ATTACH)
        printf("the kernelbase.dll file was loaded\n");
    return TRUE;
}

__declspec(dllexport) DWORD WINAPI GetCurrentProcessId(void) { return 4242; }
