/* dll_host: a program that exports a function and a variable and loads plugin.dll, which
 * imports both from it (a plugin calling back into its host): the import resolves to the
 * program already loaded (not a second copy), LoadLibrary of the program's own name gives the
 * program's handle, and FreeLibrary of the plugin leaves the program alone. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

__declspec(dllexport) int host_value = 10;
__declspec(dllexport) int HostAdd(int a, int b) { return a + b; }

int main(void)
{
    HMODULE p = LoadLibraryA("plugin.dll");
    printf("LoadLibrary(plugin.dll): %s\n", p ? "loaded" : "NULL");
    if (!p)
        return 1;
    int (*run)(void) = (int (*)(void))GetProcAddress(p, "PluginRun");
    int result = run ? run() : -1;
    printf("PluginRun() = %d, host_value now %d\n", result, host_value);
    printf("LoadLibrary(dll_host.exe) is the program: %s\n",
           LoadLibraryA("dll_host.exe") == GetModuleHandleA(NULL) ? "yes" : "no");
    char path[MAX_PATH];
    GetModuleFileNameA(NULL, path, sizeof path);
    printf("LoadLibrary(<its full path>) is the program: %s\n",
           LoadLibraryA(path) == GetModuleHandleA(NULL) ? "yes" : "no");
    BOOL freed = FreeLibrary(p);
    printf("FreeLibrary(plugin): %d, plugin gone: %s, host still callable: %d\n", freed,
           GetModuleHandleA("plugin.dll") ? "no" : "yes", HostAdd(1, 2));
    return 0;
}
