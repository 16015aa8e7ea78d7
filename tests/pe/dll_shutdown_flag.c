/* dll_shutdown_flag: ntdll!RtlDllShutdownInProgress (the .NET runtime asks it in its DLL
 * detach): FALSE while the program runs and in the DLL_PROCESS_DETACH of a FreeLibrary, TRUE in
 * the detach the end of the process brings (lpReserved non-NULL then). shutdown_probe.dll
 * prints from its DllMain. Wine 8.0 prints the same. */
#include <stdio.h>
#include <windows.h>

int main(void)
{
    BOOLEAN(WINAPI * in_progress)(void) = (BOOLEAN(WINAPI *)(void))GetProcAddress(
        GetModuleHandleA("ntdll.dll"), "RtlDllShutdownInProgress");
    if (!in_progress) {
        printf("RtlDllShutdownInProgress missing\n");
        return 1;
    }
    printf("running: shutdown %d\n", in_progress());
    fflush(stdout);
    HMODULE m = LoadLibraryA("shutdown_probe.dll");
    if (!m) {
        printf("LoadLibrary failed %lu\n", GetLastError());
        return 1;
    }
    printf("FreeLibrary: %d\n", FreeLibrary(m));
    fflush(stdout);
    if (!LoadLibraryA("shutdown_probe.dll")) {
        printf("LoadLibrary failed %lu\n", GetLastError());
        return 1;
    }
    printf("returning from main: shutdown %d\n", in_progress());
    fflush(stdout);
    return 0;
}
