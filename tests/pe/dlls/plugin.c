/* plugin.dll: a DLL that imports from the program that loads it (dll_host.exe, import library
 * made from dll_host.exe.def): a function and a variable of the program. */
#include <stdio.h>
#include <windows.h>

__declspec(dllimport) int HostAdd(int a, int b);
__declspec(dllimport) extern int host_value;

__declspec(dllexport) int PluginRun(void)
{
    host_value += 1;
    return HostAdd(40, 2);
}
