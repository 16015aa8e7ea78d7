/* binary_type: GetBinaryTypeW/A (start.exe asks it before it starts a program): this program is
 * SCS_64BIT_BINARY (6); a DLL (mydll.dll, beside it) is no program: FALSE with
 * ERROR_BAD_EXE_FORMAT (193); an MZ header with no new header is a DOS program (1); a file with
 * no MZ header counts by its suffix, .com a DOS program, .pif SCS_PIF_BINARY (3), anything else
 * ERROR_BAD_EXE_FORMAT; a file that is not there ERROR_FILE_NOT_FOUND (2). */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static void show(const char *what, const char *path)
{
    DWORD type = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    BOOL ok = GetBinaryTypeA(path, &type);
    if (ok)
        printf("%s: %lu\n", what, type);
    else
        printf("%s: FALSE, error %lu\n", what, GetLastError());
}

static void put(const char *name, const void *data, DWORD n)
{
    HANDLE h = CreateFileA(name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD done;
    WriteFile(h, data, n, &done, NULL);
    CloseHandle(h);
}

int main(void)
{
    char self[MAX_PATH], dir[MAX_PATH], dll[MAX_PATH + 16];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    strcpy(dir, self);
    *strrchr(dir, '\\') = 0;
    snprintf(dll, sizeof dll, "%s\\mydll.dll", dir);
    WCHAR wself[MAX_PATH];
    GetModuleFileNameW(NULL, wself, MAX_PATH);
    DWORD type = 0;
    BOOL ok = GetBinaryTypeW(wself, &type);
    printf("this program (W): %d, %lu\n", ok, type);
    show("this program (A)", self);
    show("a DLL", dll);

    char tmp[MAX_PATH];
    GetTempPathA(MAX_PATH, tmp);
    SetCurrentDirectoryA(tmp);
    CreateDirectoryA("ntrun_binary_type", NULL);
    SetCurrentDirectoryA("ntrun_binary_type");
    unsigned char mz[0x40] = {'M', 'Z'};
    put("dos.exe", mz, sizeof mz);
    put("text.com", "echo\r\n", 6);
    put("text.pif", "echo\r\n", 6);
    put("text.txt", "echo\r\n", 6);
    put("text.exe", "echo\r\n", 6);
    show("an MZ header alone", "dos.exe");
    show("text named .com", "text.com");
    show("text named .pif", "text.pif");
    show("text named .txt", "text.txt");
    show("text named .exe", "text.exe");
    show("a file that is not there", "missing.exe");
    DeleteFileA("dos.exe");
    DeleteFileA("text.com");
    DeleteFileA("text.pif");
    DeleteFileA("text.txt");
    DeleteFileA("text.exe");
    SetCurrentDirectoryA("..");
    RemoveDirectoryA("ntrun_binary_type");
    return 0;
}
