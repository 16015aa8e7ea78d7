/* System DLL names always resolve to the built-in DLL, even with a file of that name beside the
 * program (tests/pe/dlls/kernelbase.c builds one, whose DllMain would print): Windows'
 * KnownDLLs rule. */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    HMODULE h = LoadLibraryA("kernelbase.dll");
    char path[MAX_PATH] = "";
    GetModuleFileNameA(h, path, sizeof path);
    printf("kernelbase.dll: %s\n", path);
    typedef DWORD(WINAPI * pid_fn)(void);
    pid_fn pid = (pid_fn)(void (*)(void))GetProcAddress(h, "GetCurrentProcessId");
    printf("its GetCurrentProcessId is the real one: %s\n",
           pid && pid() == GetCurrentProcessId() && pid() != 4242 ? "yes" : "no");
    return 0;
}
