/* A handle a child process inherits names its parent's file object (the file position is
 * shared), but Windows' byte-range locks belong to the file object and the process together
 * (FsRtl's checks take both): through the same handle value the child is refused the range
 * its parent locked (ERROR_LOCK_VIOLATION for reads, writes and a lock; ERROR_NOT_LOCKED for
 * an unlock), the parent is refused the range the child locked, each still uses its own
 * ranges, and the child's locks end with the child. Wine 8.0 differs: its locks do not refuse
 * reads and belong to the file object alone (the child unlocks its parent's range). */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME "lockinh.bin"

/* ReadFile or WriteFile of len bytes at off: 0 or the error. */
static DWORD io(HANDLE h, BOOL write, DWORD off, DWORD len)
{
    char buf[16] = "0123456789abcdef";
    DWORD done = 0;
    SetFilePointer(h, off, NULL, FILE_BEGIN);
    BOOL ok = write ? WriteFile(h, buf, len, &done, NULL) : ReadFile(h, buf, len, &done, NULL);
    return ok ? (done == len ? 0 : 0xdead) : GetLastError();
}

static BOOL lock(HANDLE h, DWORD flags, DWORD off, DWORD len)
{
    OVERLAPPED ov = {0};
    ov.Offset = off;
    SetLastError(0);
    return LockFileEx(h, flags, 0, len, 0, &ov);
}

/* The child tells its parent it has locked with a byte on one inherited pipe, and waits for
 * a byte on the other before it ends. */
static int child(HANDLE h, HANDLE locked, HANDLE go)
{
    printf("child reads 12+5 (parent's lock): %lu\n", io(h, FALSE, 12, 5));
    printf("child writes 12+5: %lu\n", io(h, TRUE, 12, 5));
    BOOL ok = lock(h, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 10, 10);
    printf("child locks 10+10: %d error %lu\n", ok, GetLastError());
    ok = UnlockFile(h, 10, 0, 10, 0);
    printf("child unlocks 10+10: %d error %lu\n", ok, GetLastError());
    printf("child reads 0+8 (no lock): %lu\n", io(h, FALSE, 0, 8));
    ok = lock(h, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 30, 10);
    printf("child locks 30+10: %d\n", ok);
    printf("child reads 32+4 (its lock): %lu\n", io(h, FALSE, 32, 4));
    fflush(stdout);
    char c = 'L';
    DWORD n;
    WriteFile(locked, &c, 1, &n, NULL);
    ReadFile(go, &c, 1, &n, NULL);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && !strcmp(argv[1], "child"))
        return child((HANDLE)(ULONG_PTR)strtoull(argv[2], NULL, 16),
                     (HANDLE)(ULONG_PTR)strtoull(argv[3], NULL, 16),
                     (HANDLE)(ULONG_PTR)strtoull(argv[4], NULL, 16));
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    DeleteFileA(NAME);
    HANDLE h = CreateFileA(NAME, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                           &sa, CREATE_ALWAYS, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        printf("CreateFile failed: %lu\n", GetLastError());
        return 1;
    }
    char data[64] = {0};
    DWORD n;
    WriteFile(h, data, sizeof data, &n, NULL);
    HANDLE locked_r, locked_w, go_r, go_w;
    if (!CreatePipe(&locked_r, &locked_w, &sa, 0) || !CreatePipe(&go_r, &go_w, &sa, 0)) {
        printf("CreatePipe failed: %lu\n", GetLastError());
        return 1;
    }
    printf("parent locks 10+10: %d\n", lock(h, LOCKFILE_EXCLUSIVE_LOCK, 10, 10));

    char cmd[MAX_PATH + 96];
    snprintf(cmd, sizeof cmd, "\"%s\" child %llx %llx %llx", argv[0],
             (unsigned long long)(ULONG_PTR)h, (unsigned long long)(ULONG_PTR)locked_w,
             (unsigned long long)(ULONG_PTR)go_r);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    fflush(stdout);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        printf("CreateProcess failed: %lu\n", GetLastError());
        return 1;
    }
    CloseHandle(locked_w);
    CloseHandle(go_r);
    char c = 0;
    if (!ReadFile(locked_r, &c, 1, &n, NULL) || c != 'L') {
        printf("the child did not lock\n");
        return 1;
    }
    printf("parent reads 32+4 (child's lock): %lu\n", io(h, FALSE, 32, 4));
    BOOL ok = lock(h, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 30, 10);
    printf("parent locks 30+10: %d error %lu\n", ok, GetLastError());
    ok = UnlockFile(h, 30, 0, 10, 0);
    printf("parent unlocks 30+10: %d error %lu\n", ok, GetLastError());
    printf("parent reads 12+5 (its lock): %lu\n", io(h, FALSE, 12, 5));
    WriteFile(go_w, "G", 1, &n, NULL);
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 99;
    GetExitCodeProcess(pi.hProcess, &code);
    printf("child exit %lu\n", code);
    ok = lock(h, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 30, 10);
    printf("parent locks 30+10 after the child ended: %d\n", ok);
    ok = UnlockFile(h, 10, 0, 10, 0);
    BOOL ok2 = UnlockFile(h, 30, 0, 10, 0);
    printf("parent unlocks 10+10, 30+10: %d %d\n", ok, ok2);
    CloseHandle(h);
    DeleteFileA(NAME);
    return 0;
}
