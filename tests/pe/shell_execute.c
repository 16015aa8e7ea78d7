/* shell32's ShellExecuteExW/ShellExecuteW/ShellExecuteA starting a program: this program runs
 * itself as the child with parameters and a directory (the child writes a file there, its
 * parameter inside, which the parent reads after waiting), and SEE_MASK_NOCLOSEPROCESS gives the process handle to wait for and read
 * the exit code from (without it hProcess is NULL); hInstApp is above 32 on success; a file that
 * is not there is SE_ERR_FNF with ERROR_FILE_NOT_FOUND. Identical under Wine 8.0. */
#include <windows.h>
#include <shellapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static WCHAR dir[MAX_PATH];

static void marker(const char *what)
{
    WCHAR path[MAX_PATH];
    lstrcpyW(path, dir);
    lstrcatW(path, L"\\marker.txt");
    char buf[64] = "";
    DWORD got = 0;
    HANDLE h = CreateFileW(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (h != INVALID_HANDLE_VALUE) {
        ReadFile(h, buf, sizeof buf - 1, &got, NULL);
        buf[got] = 0;
        CloseHandle(h);
        DeleteFileW(path);
    }
    printf("%s: marker \"%s\"\n", what, buf);
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "child")) {
        char cwd[MAX_PATH];
        GetCurrentDirectoryA(MAX_PATH, cwd);
        size_t n = strlen(cwd);
        FILE *f = n >= 10 && !strcmp(cwd + n - 10, "shexec_dir") ? fopen("marker.txt", "w") : NULL;
        if (f) { /* only in the directory it was given */
            fprintf(f, "%s", argv[2]);
            fclose(f);
        }
        return atoi(argv[2]);
    }
    WCHAR self[MAX_PATH];
    GetModuleFileNameW(NULL, self, MAX_PATH);
    GetTempPathW(MAX_PATH, dir);
    lstrcatW(dir, L"shexec_dir");
    CreateDirectoryW(dir, NULL);

    SHELLEXECUTEINFOW info;
    memset(&info, 0, sizeof info);
    info.cbSize = sizeof info;
    info.fMask = SEE_MASK_NOCLOSEPROCESS | SEE_MASK_NOASYNC | SEE_MASK_NO_CONSOLE;
    info.lpFile = self;
    info.lpParameters = L"child 7";
    info.lpDirectory = dir;
    info.nShow = SW_SHOWNORMAL;
    BOOL ok = ShellExecuteExW(&info);
    printf("ShellExecuteExW: %d hInstApp>32 %d process %d\n", ok,
           (INT_PTR)info.hInstApp > 32, info.hProcess != NULL);
    if (ok && info.hProcess) {
        WaitForSingleObject(info.hProcess, INFINITE);
        DWORD code = 0;
        GetExitCodeProcess(info.hProcess, &code);
        printf("exit code %lu\n", code);
        CloseHandle(info.hProcess);
    }
    marker("ShellExecuteExW");

    /* without SEE_MASK_NOCLOSEPROCESS there is no handle */
    info.fMask = SEE_MASK_NOASYNC | SEE_MASK_NO_CONSOLE;
    info.hProcess = (HANDLE)0x1234;
    info.lpParameters = L"child 5";
    info.lpDirectory = NULL; /* its marker goes where we are not looking */
    ok = ShellExecuteExW(&info);
    printf("no handle asked: %d hProcess NULL %d\n", ok, info.hProcess == NULL);

    WCHAR missing[MAX_PATH];
    lstrcpyW(missing, dir);
    lstrcatW(missing, L"\\missing.exe");
    HINSTANCE r = ShellExecuteW(NULL, L"open", missing, NULL, NULL, SW_SHOWNORMAL);
    printf("missing: %d err %lu\n", (int)(INT_PTR)r, GetLastError());

    char selfa[MAX_PATH];
    GetModuleFileNameA(NULL, selfa, MAX_PATH);
    r = ShellExecuteA(NULL, NULL, selfa, "child 3", NULL, SW_SHOWNORMAL);
    printf("ShellExecuteA > 32: %d\n", (INT_PTR)r > 32);
    RemoveDirectoryW(dir);
    return 0;
}
