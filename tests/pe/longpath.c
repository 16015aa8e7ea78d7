/* GetLongPathNameW/A and GetShortPathNameW/A on a file system without 8.3 names: an existing
 * relative or absolute path comes back as written (stays relative), the size
 * needed (with the terminator) when the buffer is short, the length without it otherwise, the
 * same buffer as input and output, a \\?\ path as written (libgit2's realpath),
 * ERROR_FILE_NOT_FOUND for a missing file or a missing directory on the way,
 * ERROR_PATH_NOT_FOUND for "", ERROR_INVALID_PARAMETER for NULL. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    WCHAR buf[MAX_PATH];
    char abuf[MAX_PATH];
    DWORD r;
    CreateDirectoryW(L"Long Directory Name", NULL);
    HANDLE h = CreateFileW(L"Long Directory Name\\Some File.txt", GENERIC_WRITE, 0, NULL,
                           CREATE_ALWAYS, 0, NULL);
    CloseHandle(h);

    r = GetLongPathNameW(L"Long Directory Name\\Some File.txt", buf, MAX_PATH);
    printf("long relative: %lu %ls\n", r, buf);
    r = GetLongPathNameW(L"Long Directory Name\\Some File.txt", NULL, 0);
    printf("long size query: %lu\n", r);
    r = GetLongPathNameW(L"Long Directory Name\\Some File.txt", buf, 33);
    printf("long buffer of 33: %lu\n", r);
    r = GetLongPathNameW(L"Long Directory Name\\Some File.txt", buf, 34);
    printf("long buffer of 34: %lu\n", r);

    WCHAR cwd[MAX_PATH], full[MAX_PATH];
    GetCurrentDirectoryW(MAX_PATH, cwd);
    swprintf(full, MAX_PATH, L"%ls\\Long Directory Name", cwd);
    r = GetLongPathNameW(full, buf, MAX_PATH);
    printf("long absolute: %s\n", r == wcslen(full) && !wcscmp(buf, full) ? "same" : "differs");
    WCHAR ext[MAX_PATH + 4];
    swprintf(ext, MAX_PATH + 4, L"\\\\?\\%ls", full);
    r = GetLongPathNameW(ext, buf, MAX_PATH);
    printf("long \\\\?\\ absolute: %s\n", r == wcslen(ext) && !wcscmp(buf, ext) ? "same" : "differs");
    r = GetShortPathNameW(ext, buf, MAX_PATH);
    printf("short \\\\?\\ absolute: %s\n", r == wcslen(ext) && !wcscmp(buf, ext) ? "same" : "differs");
    wcscpy(buf, L"Long Directory Name");
    r = GetLongPathNameW(buf, buf, MAX_PATH);
    printf("long in place: %lu %ls\n", r, buf);

    SetLastError(0xdeadbeef);
    r = GetLongPathNameW(L"Long Directory Name\\missing.txt", buf, MAX_PATH);
    printf("long missing file: %lu error %lu\n", r, GetLastError());
    SetLastError(0xdeadbeef);
    r = GetLongPathNameW(L"missing dir\\Some File.txt", buf, MAX_PATH);
    printf("long missing dir: %lu error %lu\n", r, GetLastError());
    SetLastError(0xdeadbeef);
    r = GetLongPathNameW(L"", buf, MAX_PATH);
    printf("long empty: %lu error %lu\n", r, GetLastError());
    SetLastError(0xdeadbeef);
    r = GetLongPathNameW(NULL, buf, MAX_PATH);
    printf("long NULL: %lu error %lu\n", r, GetLastError());

    r = GetShortPathNameW(L"Long Directory Name\\Some File.txt", buf, MAX_PATH);
    printf("short: %lu %ls\n", r, buf);
    SetLastError(0xdeadbeef);
    r = GetShortPathNameW(L"Long Directory Name\\missing.txt", buf, MAX_PATH);
    printf("short missing: %lu error %lu\n", r, GetLastError());

    r = GetLongPathNameA("Long Directory Name\\Some File.txt", abuf, MAX_PATH);
    printf("long A: %lu %s\n", r, abuf);
    r = GetLongPathNameA("Long Directory Name\\Some File.txt", abuf, 10);
    printf("long A buffer of 10: %lu\n", r);
    r = GetShortPathNameA("Long Directory Name", abuf, MAX_PATH);
    printf("short A: %lu %s\n", r, abuf);
    SetLastError(0xdeadbeef);
    r = GetShortPathNameA("nothing here", abuf, MAX_PATH);
    printf("short A missing: %lu error %lu\n", r, GetLastError());

    DeleteFileW(L"Long Directory Name\\Some File.txt");
    RemoveDirectoryW(L"Long Directory Name");
    return 0;
}
