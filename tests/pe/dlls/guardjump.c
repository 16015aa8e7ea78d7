/* guardjump.dll (pe.seh_guard_jump): at DLL_PROCESS_ATTACH its DllMain leaves the loader's
 * guarded call by a jump of its own (__builtin_longjmp, which no runtime sees) to the
 * __builtin_setjmp buffer whose address the program put, in hex, in the environment variable
 * GUARDJUMP_BUF; without it, it returns TRUE. */
#include <stdint.h>
#include <stdlib.h>
#include <windows.h>

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
    char buf[32];
    if (reason == DLL_PROCESS_ATTACH &&
        GetEnvironmentVariableA("GUARDJUMP_BUF", buf, sizeof buf) - 1 < sizeof buf - 1)
        __builtin_longjmp((void **)(uintptr_t)strtoull(buf, NULL, 16), 1);
    return TRUE;
}
