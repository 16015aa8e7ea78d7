/* The Key of NtLockFile/NtUnlockFile/NtReadFile/NtWriteFile: a byte-range lock belongs to the
 * file object, the process and the key it was taken with.
 *  - an unlock names the same range and key, else STATUS_RANGE_NOT_LOCKED ([MS-FSA] 2.1.5.9:
 *    the lock's OwnerOpen and LockKey must match; Microsoft's NtUnlockFile page: Key is "the key
 *    value that was assigned to the byte-range lock when it was set"); UnlockFile (key 0) does
 *    not release a lock taken with key 1 (ERROR_NOT_LOCKED);
 *  - through the locking handle, a read or write with another key is refused over an exclusive
 *    lock (STATUS_FILE_LOCK_CONFLICT; ReadFile, key 0: ERROR_LOCK_VIOLATION), with the lock's
 *    key both pass; another handle is refused whatever its key ([MS-FSA] 2.1.4.10; FsRtl's
 *    FsRtlFastCheckLockForRead/Write take the Key, the file object and the process);
 *  - a shared lock may overlap the handle's exclusive lock taken with the same key (LockFileEx's
 *    page: "if both locks were created using the same file handle"), not one of another key
 *    (STATUS_LOCK_NOT_GRANTED); the unlock of the range then removes the exclusive lock first
 *    ([MS-FSA] 2.1.5.9), and the shared lock left still refuses writes, even with its key;
 *  - a bad Key pointer fails the read with STATUS_ACCESS_VIOLATION.
 * Wine 8.0 differs: its NtLockFile/NtUnlockFile return STATUS_NOT_IMPLEMENTED for a key or a
 * status block, and it checks no lock on reads and writes through the locking handle. */
#include <windows.h>
#include <winternl.h>
#include <stdio.h>

#define NAME "lockkey.bin"

typedef NTSTATUS(NTAPI *lock_fn)(HANDLE, HANDLE, PIO_APC_ROUTINE, void *, IO_STATUS_BLOCK *,
                                 LARGE_INTEGER *, LARGE_INTEGER *, ULONG, BOOLEAN, BOOLEAN);
typedef NTSTATUS(NTAPI *unlock_fn)(HANDLE, IO_STATUS_BLOCK *, LARGE_INTEGER *, LARGE_INTEGER *,
                                   ULONG);
typedef NTSTATUS(NTAPI *rw_fn)(HANDLE, HANDLE, PIO_APC_ROUTINE, void *, IO_STATUS_BLOCK *, void *,
                               ULONG, LARGE_INTEGER *, ULONG *);

static lock_fn pNtLockFile;
static unlock_fn pNtUnlockFile;
static rw_fn pNtReadFile, pNtWriteFile;

static NTSTATUS lock(HANDLE h, LONGLONG off, LONGLONG len, ULONG key, BOOLEAN exclusive)
{
    IO_STATUS_BLOCK io;
    LARGE_INTEGER o = {.QuadPart = off}, l = {.QuadPart = len};
    return pNtLockFile(h, NULL, NULL, NULL, &io, &o, &l, key, TRUE, exclusive);
}

static NTSTATUS unlock(HANDLE h, LONGLONG off, LONGLONG len, ULONG key)
{
    IO_STATUS_BLOCK io;
    LARGE_INTEGER o = {.QuadPart = off}, l = {.QuadPart = len};
    return pNtUnlockFile(h, &io, &o, &l, key);
}

/* NtReadFile/NtWriteFile of 4 bytes at off, with *key (NULL: none) */
static NTSTATUS rw(HANDLE h, BOOL write, LONGLONG off, ULONG *key)
{
    IO_STATUS_BLOCK io;
    char buf[4] = "abcd";
    LARGE_INTEGER o = {.QuadPart = off};
    return (write ? pNtWriteFile : pNtReadFile)(h, NULL, NULL, NULL, &io, buf, 4, &o, key);
}

int main(void)
{
    HMODULE nt = GetModuleHandleA("ntdll.dll");
    pNtLockFile = (lock_fn)GetProcAddress(nt, "NtLockFile");
    pNtUnlockFile = (unlock_fn)GetProcAddress(nt, "NtUnlockFile");
    pNtReadFile = (rw_fn)GetProcAddress(nt, "NtReadFile");
    pNtWriteFile = (rw_fn)GetProcAddress(nt, "NtWriteFile");
    HANDLE h = CreateFileA(NAME, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                           NULL, CREATE_ALWAYS, FILE_FLAG_DELETE_ON_CLOSE, NULL);
    HANDLE h2 = CreateFileA(NAME, GENERIC_READ | GENERIC_WRITE,
                            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                            OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE || h2 == INVALID_HANDLE_VALUE) {
        printf("CreateFile failed: %lu\n", GetLastError());
        return 1;
    }
    char data[64];
    DWORD done;
    memset(data, 'x', sizeof data);
    WriteFile(h, data, sizeof data, &done, NULL);
    ULONG k0 = 0, k1 = 1, k2 = 2;

    printf("exclusive 0+10 key 1: %08lx\n", lock(h, 0, 10, 1, TRUE));
    printf("unlock with key 2: %08lx\n", unlock(h, 0, 10, 2));
    SetLastError(0);
    BOOL ok = UnlockFile(h, 0, 0, 10, 0);
    printf("UnlockFile (key 0): %d error %lu\n", ok, GetLastError());
    printf("read, no key: %08lx\n", rw(h, FALSE, 2, NULL));
    printf("read key 0: %08lx\n", rw(h, FALSE, 2, &k0));
    printf("read key 1: %08lx\n", rw(h, FALSE, 2, &k1));
    printf("write key 1: %08lx\n", rw(h, TRUE, 2, &k1));
    printf("write key 2: %08lx\n", rw(h, TRUE, 2, &k2));
    printf("read key 2 past the range: %08lx\n", rw(h, FALSE, 10, &k2));
    printf("other handle, read key 1: %08lx\n", rw(h2, FALSE, 2, &k1));
    printf("other handle, write key 1: %08lx\n", rw(h2, TRUE, 2, &k1));
    SetFilePointer(h, 2, NULL, FILE_BEGIN);
    SetLastError(0);
    ok = ReadFile(h, data, 4, &done, NULL);
    printf("ReadFile: %d error %lu\n", ok, GetLastError());
    printf("read, bad key pointer: %08lx\n", rw(h, FALSE, 2, (ULONG *)0x10));

    printf("shared 0+10 key 2: %08lx\n", lock(h, 0, 10, 2, FALSE));
    printf("shared 0+10 key 1: %08lx\n", lock(h, 0, 10, 1, FALSE));
    printf("exclusive 4+2 key 1: %08lx\n", lock(h, 4, 2, 1, TRUE));
    printf("unlock 0+10 key 1: %08lx\n", unlock(h, 0, 10, 1));
    printf("read key 2 (shared lock left): %08lx\n", rw(h, FALSE, 2, &k2));
    printf("write key 1 (shared lock left): %08lx\n", rw(h, TRUE, 2, &k1));
    printf("other handle, exclusive 0+10: %08lx\n", lock(h2, 0, 10, 1, TRUE));
    printf("unlock 0+10 key 1: %08lx\n", unlock(h, 0, 10, 1));
    printf("unlock 0+10 key 1 again: %08lx\n", unlock(h, 0, 10, 1));
    printf("write key 2: %08lx\n", rw(h, TRUE, 2, &k2));

    ok = LockFile(h, 40, 0, 10, 0);
    printf("LockFile 40+10: %d\n", ok);
    printf("unlock 40+10 key 5: %08lx\n", unlock(h, 40, 10, 5));
    printf("read key 5: %08lx\n", rw(h, FALSE, 42, (ULONG[]){5}));
    printf("unlock 40+10 key 0: %08lx\n", unlock(h, 40, 10, 0));
    CloseHandle(h2);
    CloseHandle(h);
    return 0;
}
