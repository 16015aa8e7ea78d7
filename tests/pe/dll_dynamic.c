/* dll_dynamic: run-time loading of DLLs of our own (tests/pe/dlls). LoadLibrary of a missing
 * DLL (ERROR_MOD_NOT_FOUND); LoadLibrary("MyDll") without extension and in another case loads
 * mydll.dll and, first, its import mydll2.dll, whose DllMains run with lpReserved NULL;
 * GetProcAddress by name, by ordinal, through forwarders (to itself and to mydll2 by ordinal, to
 * kernel32 by name), of a data export, and for absent names and ordinals
 * (ERROR_PROC_NOT_FOUND); GetModuleHandle in any case; a second LoadLibrary gives the same
 * handle; FreeLibrary counts references: the first keeps the DLL, the second detaches and
 * unloads it and mydll2 (GetModuleHandle fails afterwards); a DLL whose DllMain returns FALSE
 * fails with ERROR_DLL_INIT_FAILED after its DllMain ran with DLL_PROCESS_DETACH too and is not
 * left loaded; an API-set name resolves; a DLL loaded again (also by full path) and left
 * loaded is detached at exit with lpReserved non-NULL. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

typedef int (*add_fn)(int, int);
typedef int (*one_fn)(int);

int main(void)
{
    SetLastError(0);
    HMODULE none = LoadLibraryA("no_such_library.dll");
    DWORD none_error = GetLastError();
    printf("LoadLibrary(no_such_library.dll): %s, error %lu\n", none ? "loaded" : "NULL",
           none_error);

    printf("GetModuleHandle(mydll.dll) before loading: %s\n",
           GetModuleHandleA("mydll.dll") ? "found" : "NULL");
    HMODULE h = LoadLibraryA("MyDll");
    printf("LoadLibrary(MyDll): %s\n", h ? "loaded" : "NULL");
    if (!h)
        return 1;
    add_fn add = (add_fn)GetProcAddress(h, "MyAdd");
    printf("MyAdd(20, 22) = %d\n", add ? add(20, 22) : -1);
    printf("ordinal 1 is MyAdd: %s\n", (void *)GetProcAddress(h, (LPCSTR)1) == (void *)add ? "yes" : "no");
    printf("MyAddAgain (mydll.#1) is MyAdd: %s\n",
           (void *)GetProcAddress(h, "MyAddAgain") == (void *)add ? "yes" : "no");
    one_fn sq = (one_fn)GetProcAddress(h, "MySquare");
    HMODULE h2 = GetModuleHandleA("MYDLL2.dll");
    printf("MySquare(9) = %d, is mydll2's Square: %s\n", sq ? sq(9) : -1,
           h2 && (void *)sq == (void *)GetProcAddress(h2, "Square") ? "yes" : "no");
    printf("ordinal 12 is MySquare: %s\n",
           (void *)GetProcAddress(h, (LPCSTR)12) == (void *)sq ? "yes" : "no");
    printf("MyGetTickCount is kernel32's GetTickCount: %s\n",
           (void *)GetProcAddress(h, "MyGetTickCount") ==
                   (void *)GetProcAddress(GetModuleHandleA("kernel32.dll"), "GetTickCount")
               ? "yes" : "no");
    int *data = (int *)GetProcAddress(h, "my_data_export");
    printf("my_data_export = %d\n", data ? *data : -1);
    SetLastError(0);
    void *p = (void *)GetProcAddress(h, "NoSuchExport");
    DWORD error = GetLastError();
    printf("GetProcAddress(NoSuchExport): %s, error %lu\n", p ? "found" : "NULL", error);
    SetLastError(0);
    p = (void *)GetProcAddress(h, (LPCSTR)99);
    error = GetLastError();
    printf("GetProcAddress(#99): %s, error %lu\n", p ? "found" : "NULL", error);
    printf("GetModuleHandle(mydll.DLL) is the handle: %s\n",
           GetModuleHandleA("mydll.DLL") == h ? "yes" : "no");
    printf("GetModuleHandleW(L\"MYDLL\") is the handle: %s\n",
           GetModuleHandleW(L"MYDLL") == h ? "yes" : "no");
    char path[MAX_PATH];
    GetModuleFileNameA(h, path, sizeof path);
    const char *base = strrchr(path, '\\');
    printf("GetModuleFileName: %s\n", base ? base + 1 : path);

    HMODULE again = LoadLibraryA("mydll.dll");
    printf("second LoadLibrary gives the same handle: %s\n", again == h ? "yes" : "no");
    printf("FreeLibrary: %d\n", FreeLibrary(h));
    printf("still loaded after one FreeLibrary: %s\n", GetModuleHandleA("mydll.dll") ? "yes" : "no");
    printf("FreeLibrary: %d\n", FreeLibrary(h));
    SetLastError(0);
    HMODULE gone = GetModuleHandleA("mydll.dll");
    DWORD gone_error = GetLastError();
    printf("after the last FreeLibrary: mydll %s (error %lu), ", gone ? "loaded" : "gone",
           gone_error);
    printf("mydll2 %s\n", GetModuleHandleA("mydll2.dll") ? "loaded" : "gone");

    SetLastError(0);
    HMODULE f = LoadLibraryA("dllfail.dll");
    error = GetLastError();
    printf("LoadLibrary(dllfail.dll): %s, error %lu\n", f ? "loaded" : "NULL", error);
    printf("dllfail.dll left loaded: %s\n", GetModuleHandleA("dllfail.dll") ? "yes" : "no");

    HMODULE core = LoadLibraryA("api-ms-win-core-synch-l1-2-0.dll");
    printf("API set api-ms-win-core-synch-l1-2-0.dll: %s, exports Sleep: %s\n",
           core ? "loaded" : "NULL", core && GetProcAddress(core, "Sleep") ? "yes" : "no");

    h = LoadLibraryW(L"mydll.dll");
    printf("loaded again: %s\n", h ? "yes" : "no");
    /* By full path, in another case: the same module. */
    char full[MAX_PATH];
    GetModuleFileNameA(NULL, full, sizeof full);
    char *slash = strrchr(full, '\\');
    if (slash)
        strcpy(slash + 1, "MYDLL.DLL");
    HMODULE by_path = LoadLibraryA(full);
    printf("LoadLibrary(<program's directory>\\MYDLL.DLL) is the same module: %s\n",
           by_path == h ? "yes" : "no");
    FreeLibrary(by_path);
    printf("main: end\n");
    return 0;
}
