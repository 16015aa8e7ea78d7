/* Byte-range locks (LockFile, LockFileEx, UnlockFile, UnlockFileEx) as Windows keeps them: owned
 * by the file object, so a second handle to the file is refused an overlapping lock
 * (ERROR_LOCK_VIOLATION) while a duplicated handle shares the first one's locks; an exclusive
 * lock overlaps no lock, not even the same handle's, shared locks overlap each other; an unlock
 * must name a locked range exactly (ERROR_NOT_LOCKED); closing the handle releases its locks;
 * a zero-length lock at X conflicts with the ranges holding X. Wine 8.0 prints the same but for
 * an unlock of a range that is not locked: ERROR_NOT_LOCKED (158, from NtUnlockFile's
 * STATUS_RANGE_NOT_LOCKED) where Wine says ERROR_LOCK_VIOLATION (33). */
#include <windows.h>
#include <stdio.h>

static HANDLE open_it(const char *name)
{
    return CreateFileA(name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                       NULL, OPEN_ALWAYS, 0, NULL);
}

static void lock(const char *what, HANDLE h, DWORD flags, DWORD off, DWORD len)
{
    OVERLAPPED ov = {0};
    ov.Offset = off;
    SetLastError(0);
    BOOL ok = LockFileEx(h, flags | LOCKFILE_FAIL_IMMEDIATELY, 0, len, 0, &ov);
    DWORD err = GetLastError();
    printf("%-44s %d", what, ok);
    if (!ok)
        printf(" error %lu", err);
    printf("\n");
}

static void unlock(const char *what, HANDLE h, DWORD off, DWORD len)
{
    SetLastError(0);
    BOOL ok = UnlockFile(h, off, 0, len, 0);
    DWORD err = GetLastError();
    printf("%-44s %d", what, ok);
    if (!ok)
        printf(" error %lu", err);
    printf("\n");
}

int main(void)
{
    const char *name = "file_lock.tmp";
    DeleteFileA(name);
    HANDLE a = open_it(name), b = open_it(name), dup;
    DuplicateHandle(GetCurrentProcess(), a, GetCurrentProcess(), &dup, 0, FALSE,
                    DUPLICATE_SAME_ACCESS);
    DWORD n;
    WriteFile(a, "0123456789abcdefghijklmnopqrstuvwxyz", 36, &n, NULL);

    lock("a exclusive 0+10", a, LOCKFILE_EXCLUSIVE_LOCK, 0, 10);
    lock("b shared 5+1 (a holds it)", b, 0, 5, 1);
    lock("b exclusive 9+5 (overlaps a's end)", b, LOCKFILE_EXCLUSIVE_LOCK, 9, 5);
    lock("b exclusive 10+5 (just after)", b, LOCKFILE_EXCLUSIVE_LOCK, 10, 5);
    lock("a exclusive 5+1 (its own lock)", a, LOCKFILE_EXCLUSIVE_LOCK, 5, 1);
    lock("a shared 5+1 (its own exclusive lock)", a, 0, 5, 1);
    lock("a shared 20+10", a, 0, 20, 10);
    lock("a shared 25+2 (over its own shared)", a, 0, 25, 2);
    lock("b shared 22+3 (over a's shared)", b, 0, 22, 3);
    lock("b exclusive 28+1 (over a's shared)", b, LOCKFILE_EXCLUSIVE_LOCK, 28, 1);
    lock("dup exclusive 0+10 (a's lock, same object)", dup, LOCKFILE_EXCLUSIVE_LOCK, 0, 10);
    lock("a exclusive 3+0 (zero length)", a, LOCKFILE_EXCLUSIVE_LOCK, 3, 0);
    lock("b exclusive 3+0 (zero length)", b, LOCKFILE_EXCLUSIVE_LOCK, 3, 0);
    unlock("a unlock 0+5 (not a locked range)", a, 0, 5);
    unlock("a unlock 40+1 (nothing there)", a, 40, 1);
    unlock("dup unlock 0+10 (a's lock)", dup, 0, 10);
    unlock("a unlock 0+10 again", a, 0, 10);
    lock("b shared 5+1 after the unlock", b, 0, 5, 1);
    unlock("a unlock 25+2", a, 25, 2);
    lock("b exclusive 26+1 (a's 20+10 still there)", b, LOCKFILE_EXCLUSIVE_LOCK, 26, 1);
    unlock("a unlock 20+10", a, 20, 10);
    unlock("b unlock 22+3", b, 22, 3);
    lock("b exclusive 26+1 now", b, LOCKFILE_EXCLUSIVE_LOCK, 26, 1);
    printf("LockFile a 26+1: %d\n", LockFile(a, 26, 0, 1, 0));
    CloseHandle(b);
    printf("LockFile a 26+1 after closing b: %d\n", LockFile(a, 26, 0, 1, 0));
    OVERLAPPED ov = {0};
    SetLastError(0);
    BOOL ok = LockFileEx(a, LOCKFILE_EXCLUSIVE_LOCK, 1, 1, 0, &ov);
    printf("LockFileEx reserved 1: %d error %lu\n", ok, GetLastError());
    CloseHandle(dup);
    CloseHandle(a);
    DeleteFileA(name);
    return 0;
}
