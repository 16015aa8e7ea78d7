/* Windows' byte-range locks are mandatory: ReadFile/WriteFile through another handle of the
 * file fail with ERROR_LOCK_VIOLATION (33) on a range it does not own: an exclusive lock denies
 * other handles reading and writing, a shared lock denies everyone writing (its own handle
 * too) and nobody reading; ranges outside the locks stay open, a zero-length lock denies
 * nothing, UnlockFile and closing the locking handle give the range back. LockFileEx without
 * LOCKFILE_FAIL_IMMEDIATELY waits for the holder to unlock. Across processes: a child process
 * (this program with an argument) is refused the range its parent locked, and reads it once
 * the parent unlocked it. A handle opened for reading only may take an exclusive lock. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xproc_start.h"

#define NAME "lockmand.bin"

static HANDLE open_it(void)
{
    return CreateFileA(NAME, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                       NULL, OPEN_ALWAYS, 0, NULL);
}

/* ReadFile or WriteFile of len bytes at off; 0 or the error. */
static DWORD io(HANDLE h, BOOL write, DWORD off, DWORD len)
{
    char buf[64] = "0123456789012345678901234567890123456789012345678901234567890123";
    DWORD done = 0;
    SetFilePointer(h, off, NULL, FILE_BEGIN);
    SetLastError(0);
    BOOL ok = write ? WriteFile(h, buf, len, &done, NULL) : ReadFile(h, buf, len, &done, NULL);
    return ok ? (done == len ? 0 : 0xdead) : GetLastError();
}

static void show(const char *what, HANDLE h, BOOL write, DWORD off, DWORD len)
{
    printf("%-46s %lu\n", what, io(h, write, off, len));
}

static BOOL lock(HANDLE h, DWORD flags, DWORD off, DWORD len)
{
    OVERLAPPED ov = {0};
    ov.Offset = off;
    return LockFileEx(h, flags, 0, len, 0, &ov);
}

static HANDLE waiter_file;
static HANDLE waiter_started;

static DWORD WINAPI waiter(void *arg)
{
    SetEvent(waiter_started);
    /* exclusive, waiting: granted when the main thread unlocks */
    BOOL ok = lock(waiter_file, LOCKFILE_EXCLUSIVE_LOCK, 40, 10);
    return ok ? 1 : 100 + GetLastError();
}

int main(int argc, char **argv)
{
    if (argc == 2) { /* the child: read or write 5 bytes at 12 in its own handle */
        HANDLE h = open_it();
        DWORD r = io(h, !strcmp(argv[1], "write"), 12, 5);
        CloseHandle(h);
        return (int)r;
    }
    DeleteFileA(NAME);
    HANDLE a = open_it(), b = open_it();
    io(a, TRUE, 0, 64);

    printf("exclusive lock 10+10 on A: %d\n", lock(a, LOCKFILE_EXCLUSIVE_LOCK, 10, 10));
    show("B reads 12+5", b, FALSE, 12, 5);
    show("B writes 12+5", b, TRUE, 12, 5);
    show("B reads 5+10 (overlaps the start)", b, FALSE, 5, 10);
    show("B writes 19+4 (overlaps the end)", b, TRUE, 19, 4);
    show("B reads 0+10 (before)", b, FALSE, 0, 10);
    show("B writes 20+5 (after)", b, TRUE, 20, 5);
    show("A reads 12+5", a, FALSE, 12, 5);
    show("A writes 12+5", a, TRUE, 12, 5);
    HANDLE dup;
    DuplicateHandle(GetCurrentProcess(), a, GetCurrentProcess(), &dup, 0, FALSE,
                    DUPLICATE_SAME_ACCESS);
    show("a duplicate of A writes 12+5", dup, TRUE, 12, 5);
    CloseHandle(dup);
    printf("child process reads 12+5: %lu\n", xproc_run("read"));
    printf("child process writes 12+5: %lu\n", xproc_run("write"));
    printf("UnlockFile A 10+10: %d\n", UnlockFile(a, 10, 0, 10, 0));
    show("B reads 12+5", b, FALSE, 12, 5);
    show("B writes 12+5", b, TRUE, 12, 5);
    printf("child process reads 12+5: %lu\n", xproc_run("read"));

    printf("shared lock 30+10 on A: %d\n", lock(a, 0, 30, 10));
    show("B reads 32+4", b, FALSE, 32, 4);
    show("B writes 32+4", b, TRUE, 32, 4);
    show("A reads 32+4", a, FALSE, 32, 4);
    show("A writes 32+4", a, TRUE, 32, 4);
    printf("shared lock 30+10 on B too: %d\n", lock(b, 0, 30, 10));
    show("B reads 32+4", b, FALSE, 32, 4);
    printf("UnlockFile A, B 30+10: %d %d\n", UnlockFile(a, 30, 0, 10, 0),
           UnlockFile(b, 30, 0, 10, 0));
    show("A writes 32+4", a, TRUE, 32, 4);

    printf("zero-length lock at 50 on A: %d\n", lock(a, LOCKFILE_EXCLUSIVE_LOCK, 50, 0));
    show("B reads 48+4", b, FALSE, 48, 4);
    show("B writes 48+4", b, TRUE, 48, 4);
    UnlockFile(a, 50, 0, 0, 0);

    /* A waiting lock: granted once the holder lets go. */
    printf("exclusive lock 40+10 on A: %d\n", lock(a, LOCKFILE_EXCLUSIVE_LOCK, 40, 10));
    SetLastError(0);
    BOOL now = lock(b, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 40, 10);
    printf("B with LOCKFILE_FAIL_IMMEDIATELY: %d error %lu\n", now, GetLastError());
    waiter_file = b;
    waiter_started = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE t = CreateThread(NULL, 0, waiter, NULL, 0, NULL);
    WaitForSingleObject(waiter_started, INFINITE);
    Sleep(50); /* likely waiting by now; the result is the same if not */
    printf("UnlockFile A 40+10: %d\n", UnlockFile(a, 40, 0, 10, 0));
    WaitForSingleObject(t, INFINITE);
    DWORD code = 0;
    GetExitCodeThread(t, &code);
    printf("B's waiting lock: %lu\n", code);
    CloseHandle(t);
    show("A reads 42+4 (B holds it now)", a, FALSE, 42, 4);
    CloseHandle(b); /* closing the handle releases its locks */
    show("A reads 42+4 after B closed", a, FALSE, 42, 4);
    show("A writes 42+4 after B closed", a, TRUE, 42, 4);

    /* an exclusive lock through a handle that may only read */
    HANDLE r = CreateFileA(NAME, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, 0, NULL);
    printf("read-only handle, exclusive lock 40+4: %d\n",
           lock(r, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 40, 4));
    show("A reads 40+4", a, FALSE, 40, 4);
    CloseHandle(r);
    show("A reads 40+4 after the read-only handle closed", a, FALSE, 40, 4);
    CloseHandle(a);
    DeleteFileA(NAME);
    return 0;
}
