/* guardfault.dll (pe.seh_guard_jump): its DllMain reads address 0 at DLL_PROCESS_ATTACH; the
 * loader's __except around the call takes the access violation and LoadLibrary fails. */
#include <windows.h>

static volatile ULONG_PTR bad_address; /* 0, read through a variable: a real load */

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
    if (reason == DLL_PROCESS_ATTACH)
        return *(volatile int *)bad_address;
    return TRUE;
}
