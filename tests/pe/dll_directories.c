/* The DLL search's directories: ghost.dll lives in the subdirectory "elsewhere" of the program's
 * directory (tests/pe/dlls/ghost.dir), where the default search does not look.
 * SetDllDirectory adds a directory for LoadLibrary; AddDllDirectory's directories count only with
 * LOAD_LIBRARY_SEARCH_USER_DIRS / DEFAULT_DIRS (passed to LoadLibraryEx or made the default by
 * SetDefaultDllDirectories); RemoveDllDirectory takes one away; LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR
 * searches the directory of a DLL named by path; relative directories and zero flags are
 * refused with ERROR_INVALID_PARAMETER. */
#define _WIN32_WINNT 0x0602
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

static WCHAR dir[MAX_PATH];

static void try_load(const char *what, DWORD flags)
{
    SetLastError(0);
    HMODULE h = LoadLibraryExW(L"ghost.dll", NULL, flags);
    DWORD err = GetLastError();
    printf("%s: %s", what, h ? "loaded" : "not found");
    if (!h)
        printf(" (error %lu)", err);
    else if (!GetProcAddress(h, "GhostGreeting"))
        printf(" without GhostGreeting");
    printf("\n");
    if (h)
        FreeLibrary(h);
}

int main(void)
{
    GetModuleFileNameW(NULL, dir, MAX_PATH);
    *wcsrchr(dir, L'\\') = 0;
    wcscat(dir, L"\\elsewhere");

    try_load("default", 0);
    printf("SetDllDirectory: %d\n", SetDllDirectoryW(dir));
    try_load("with a DLL directory", 0);
    try_load("user dirs include it", LOAD_LIBRARY_SEARCH_USER_DIRS);
    SetDllDirectoryW(NULL);
    try_load("DLL directory unset", 0);

    DLL_DIRECTORY_COOKIE c = AddDllDirectory(dir);
    printf("AddDllDirectory: %d\n", c != NULL);
    try_load("added, no flags", 0);
    try_load("added, user dirs", LOAD_LIBRARY_SEARCH_USER_DIRS);
    try_load("added, default dirs", LOAD_LIBRARY_SEARCH_DEFAULT_DIRS);
    try_load("added, application dir only", LOAD_LIBRARY_SEARCH_APPLICATION_DIR);
    printf("SetDefaultDllDirectories: %d\n", SetDefaultDllDirectories(LOAD_LIBRARY_SEARCH_DEFAULT_DIRS));
    try_load("default dirs by default", 0);
    printf("RemoveDllDirectory: %d\n", RemoveDllDirectory(c));
    try_load("removed", 0);

    WCHAR full[MAX_PATH];
    swprintf(full, MAX_PATH, L"%ls\\ghost.dll", dir);
    HMODULE h = LoadLibraryExW(full, NULL, LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR | LOAD_LIBRARY_SEARCH_SYSTEM32);
    printf("by path with DLL_LOAD_DIR: %d\n", h != NULL);
    if (h)
        FreeLibrary(h);

    SetLastError(0);
    c = AddDllDirectory(L"elsewhere");
    DWORD err = GetLastError();
    printf("relative AddDllDirectory: %d error %lu\n", c != NULL, err);
    SetLastError(0);
    BOOL ok = SetDefaultDllDirectories(0);
    err = GetLastError();
    printf("SetDefaultDllDirectories(0): %d error %lu\n", ok, err);
    return 0;
}
