/* shutdown_probe.dll: its DllMain prints, at DLL_PROCESS_DETACH, what ntdll's
 * RtlDllShutdownInProgress says and whether lpReserved is non-NULL (the process is ending).
 * tests/pe/dll_shutdown_flag.c loads it. */
#include <stdio.h>
#include <windows.h>

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
    if (reason != DLL_PROCESS_DETACH)
        return TRUE;
    BOOLEAN(WINAPI * in_progress)(void) = (BOOLEAN(WINAPI *)(void))GetProcAddress(
        GetModuleHandleA("ntdll.dll"), "RtlDllShutdownInProgress");
    char line[96];
    int n = snprintf(line, sizeof line, "shutdown_probe detach: reserved %s, shutdown %d\r\n",
                     reserved ? "non-NULL" : "NULL", in_progress ? in_progress() : -1);
    DWORD done;
    WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), line, n, &done, NULL);
    return TRUE;
}
