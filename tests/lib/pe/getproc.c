/* GetProcAddress on the built-in kernel32 and ntdll (lib.hundred_runs_keep_builtin_images):
 * exit 0 when every lookup succeeds, else the number of the first that failed. */
#include <windows.h>

int main(void)
{
    HMODULE k32 = GetModuleHandleA("kernel32.dll"), nt = GetModuleHandleA("ntdll.dll");
    if (!k32 || !nt)
        return 1;
    if (!GetProcAddress(k32, "GetCurrentProcessId"))
        return 2;
    if (!GetProcAddress(k32, "GetProcAddress"))
        return 3;
    if (!GetProcAddress(nt, "RtlGetCurrentPeb"))
        return 4;
    if (!GetProcAddress(nt, "NtClose"))
        return 5;
    MEMORY_BASIC_INFORMATION mbi;
    if (!VirtualQuery(k32, &mbi, sizeof mbi) || mbi.Type != MEM_IMAGE)
        return 6;
    return 0;
}
