/* GetVolumePathNameW/A: the mount point of the volume a path is on, with its backslash, for
 * paths that exist and paths that do not ("C:\" for C:\windows\NoSuchFolder), a lower-case
 * drive letter (upper-cased, but kept in a \\?\ path, which keeps its prefix), forward
 * slashes, a drive without a backslash, a relative path or a \??\ path (the current directory's
 * drive); a buffer one short gets the root without its backslash ("C:", as Windows gives it),
 * a shorter one ERROR_FILENAME_EXCED_RANGE; ERROR_INVALID_PARAMETER for a NULL or empty name or
 * a zero size, ERROR_FILE_NOT_FOUND for a drive that is not there, ERROR_INVALID_NAME for a
 * server that does not answer. LLVM's sys::fs::is_local (clang-format -i) asks it before GetDriveTypeW. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

static void show(const char *what, const WCHAR *path, DWORD size)
{
    WCHAR buf[MAX_PATH];
    wcscpy(buf, L"(untouched)");
    SetLastError(0xdeadbeef);
    BOOL ok = GetVolumePathNameW(path, size ? buf : NULL, size);
    if (ok)
        printf("%s: %ls\n", what, buf);
    else
        printf("%s: FALSE error %lu\n", what, GetLastError());
}

int main(void)
{
    show("missing folder", L"C:\\windows\\NoSuchFolder\\file.txt", MAX_PATH);
    show("root", L"C:\\", MAX_PATH);
    show("lower case", L"c:\\windows", MAX_PATH);
    show("drive alone", L"C:", MAX_PATH);
    show("verbatim", L"\\\\?\\C:\\NoSuchFolder", MAX_PATH);
    show("verbatim lower case", L"\\\\?\\c:\\NoSuchFolder", MAX_PATH);
    show("forward slashes", L"C:/windows/NoSuchFolder", MAX_PATH);
    show("no such drive", L"M:\\NoSuchFolder", MAX_PATH);
    show("no such server", L"\\\\NoSuchServer.invalid\\share\\dir", MAX_PATH);
    show("size 4", L"C:\\windows", 4);
    show("size 3", L"C:\\windows", 3);
    show("size 2", L"C:\\windows", 2);
    show("size 0", L"C:\\windows", 0);
    show("empty", L"", MAX_PATH);
    show("NULL", NULL, MAX_PATH);

    WCHAR cwd[MAX_PATH], buf[MAX_PATH];
    GetCurrentDirectoryW(MAX_PATH, cwd);
    static const WCHAR *on_current[] = {L"some\\relative.txt", L"\\??\\M:\\NoSuchFolder"};
    for (int i = 0; i < 2; i++) {
        BOOL ok = GetVolumePathNameW(on_current[i], buf, MAX_PATH);
        printf("%ls: %s\n", on_current[i],
               ok && wcslen(buf) == 3 && !wcsncmp(buf, cwd, 2) && buf[2] == '\\'
                   ? "the current drive's root" : "differs");
    }

    char abuf[MAX_PATH];
    BOOL ok = GetVolumePathNameA("c:\\windows\\system32", abuf, MAX_PATH);
    printf("A: %d %s\n", ok, ok ? abuf : "");
    ok = GetVolumePathNameA("C:\\windows", abuf, 3);
    printf("A size 3: %d %s\n", ok, ok ? abuf : "");
    SetLastError(0xdeadbeef);
    ok = GetVolumePathNameA("C:\\windows", abuf, 2);
    printf("A size 2: %d error %lu\n", ok, GetLastError());
    return 0;
}
