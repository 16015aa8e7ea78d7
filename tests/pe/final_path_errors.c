/* GetFinalPathNameByHandleW's buffer, flag and handle protocol, as ReactOS's apitest
 * kernel32/GetFinalPathNameByHandle.c (2025, written and checked against Windows) states it:
 * - a buffer too small (0 or 9 characters, and NULL with size 0) returns the length needed
 *   with the terminator, leaves the buffer untouched and sets ERROR_NOT_ENOUGH_MEMORY, for
 *   VOLUME_NAME_DOS and VOLUME_NAME_NONE alike;
 * - success with VOLUME_NAME_DOS sets the last error to 0; with VOLUME_NAME_NT or
 *   VOLUME_NAME_NONE it leaves it as it was;
 * - more than one volume form (7) is ERROR_INVALID_PARAMETER, checked before the handle (a NULL
 *   handle with VOLUME_NAME_NT | VOLUME_NAME_GUID), the buffer untouched; an unknown bit
 *   (0x1000) is ignored: the VOLUME_NAME_DOS path;
 * - a NULL handle, INVALID_HANDLE_VALUE and the current-process pseudo handle are
 *   ERROR_INVALID_HANDLE.
 * The file is this program; its DOS form is \\?\ and GetModuleFileNameW's path.
 * Wine 8.0 differs in four lines: no ERROR_NOT_ENOUGH_MEMORY for VOLUME_NAME_NONE, the last
 * error not cleared for VOLUME_NAME_DOS, 0x1000 refused (ERROR_INVALID_PARAMETER), and the NULL
 * handle checked before the flags. */
#include <stdio.h>
#include <wchar.h>
#include <windows.h>

static void result(const char *what, DWORD r, const WCHAR *buf, DWORD expect_len)
{
    DWORD e = GetLastError();
    printf("%s: %s, buffer %s, error %lu\n", what,
           r == expect_len ? "the length" : r == expect_len + 1 ? "the size needed" : r ? "?" : "0",
           buf[0] == 0xcccc ? "untouched" : "written", e == 0xdeadbeef ? 0xdeadbeefUL : e);
}

int main(void)
{
    WCHAR self[MAX_PATH], expect[MAX_PATH + 8], buf[MAX_PATH + 8];
    GetModuleFileNameW(NULL, self, MAX_PATH);
    swprintf(expect, MAX_PATH + 8, L"\\\\?\\%ls", self);
    DWORD len = (DWORD)wcslen(expect);
    HANDLE f = CreateFileW(self, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (f == INVALID_HANDLE_VALUE) {
        printf("CreateFileW: %lu\n", GetLastError());
        return 1;
    }
    static const struct {
        const char *what;
        DWORD size, flags;
    } small[] = {
        {"DOS, size 0", 0, VOLUME_NAME_DOS},
        {"DOS, size 9", 9, VOLUME_NAME_DOS},
        {"NONE|OPENED, size 1", 1, VOLUME_NAME_NONE | FILE_NAME_OPENED},
    };
    DWORD none_len = len - 6; /* without \\?\C: */
    for (int i = 0; i < 3; i++) {
        memset(buf, 0xcc, sizeof buf);
        SetLastError(0xdeadbeef);
        DWORD r = GetFinalPathNameByHandleW(f, buf, small[i].size, small[i].flags);
        result(small[i].what, r, buf, i < 2 ? len : none_len);
    }
    SetLastError(0xdeadbeef);
    DWORD r = GetFinalPathNameByHandleW(f, NULL, 0, VOLUME_NAME_DOS);
    printf("DOS, NULL buffer of 0: %s, error %lu\n", r == len + 1 ? "the size needed" : "?",
           GetLastError());

    memset(buf, 0xcc, sizeof buf);
    SetLastError(0xdeadbeef);
    r = GetFinalPathNameByHandleW(f, buf, MAX_PATH, VOLUME_NAME_DOS);
    result("DOS", r, buf, len);
    printf("  the path: %s\n", r == len && !wcscmp(buf, expect) ? "\\\\?\\ + the module's" : "?");
    memset(buf, 0xcc, sizeof buf);
    SetLastError(0xdeadbeef);
    r = GetFinalPathNameByHandleW(f, buf, MAX_PATH, 0x1000);
    result("flag 0x1000", r, buf, len);
    printf("  the path: %s\n", r == len && !wcscmp(buf, expect) ? "\\\\?\\ + the module's" : "?");
    memset(buf, 0xcc, sizeof buf);
    SetLastError(0xdeadbeef);
    r = GetFinalPathNameByHandleW(f, buf, MAX_PATH, VOLUME_NAME_NONE);
    result("NONE", r, buf, none_len);
    printf("  the path: %s\n", r == none_len && !wcscmp(buf, expect + 6) ? "the module's without the drive" : "?");
    memset(buf, 0xcc, sizeof buf);
    SetLastError(0xdeadbeef);
    r = GetFinalPathNameByHandleW(f, buf, MAX_PATH, VOLUME_NAME_NT);
    printf("NT: %s, error %#lx\n", r && !wcsncmp(buf, L"\\Device\\HarddiskVolume", 22) ? "\\Device\\HarddiskVolumeN..." : "?",
           GetLastError());

    memset(buf, 0xcc, sizeof buf);
    SetLastError(0xdeadbeef);
    r = GetFinalPathNameByHandleW(f, buf, MAX_PATH, 7);
    result("flags 7", r, buf, len);
    SetLastError(0xdeadbeef);
    r = GetFinalPathNameByHandleW(NULL, buf, MAX_PATH, VOLUME_NAME_NT | VOLUME_NAME_GUID);
    printf("NULL handle, NT|GUID: %lu, error %lu\n", r, GetLastError());
    SetLastError(0xdeadbeef);
    r = GetFinalPathNameByHandleW(NULL, buf, MAX_PATH, VOLUME_NAME_DOS);
    printf("NULL handle: %lu, error %lu\n", r, GetLastError());
    memset(buf, 0xcc, sizeof buf);
    SetLastError(0xdeadbeef);
    r = GetFinalPathNameByHandleW(INVALID_HANDLE_VALUE, buf, MAX_PATH, VOLUME_NAME_DOS);
    result("INVALID_HANDLE_VALUE", r, buf, len);
    memset(buf, 0xcc, sizeof buf);
    SetLastError(0xdeadbeef);
    r = GetFinalPathNameByHandleW(GetCurrentProcess(), buf, MAX_PATH, VOLUME_NAME_NT);
    result("current process", r, buf, len);
    CloseHandle(f);
    return 0;
}
