/* LockFileEx on a handle opened with FILE_FLAG_OVERLAPPED does not wait: a lock another handle
 * holds gives FALSE with ERROR_IO_PENDING (OVERLAPPED.Internal STATUS_PENDING, the event
 * reset, GetOverlappedResult ERROR_IO_INCOMPLETE), and when the holder unlocks the lock is
 * granted: the event is set, Internal is 0 and the new holder's range is refused to the
 * others. With the handle bound to a completion port the grant is a packet (the OVERLAPPED and
 * the port's key; the "I/O Completion Ports" page lists LockFileEx among the calls that
 * complete through ports), none when hEvent has its low bit set. CancelIoEx ends a pending lock
 * with ERROR_OPERATION_ABORTED and it is never granted; LOCKFILE_FAIL_IMMEDIATELY fails at once
 * with ERROR_LOCK_VIOLATION. Wine 8.0 differs: its locks do not refuse reads, an overlapped
 * lock that must wait completes at once without the lock, and CancelIoEx finds nothing. */
#include <windows.h>
#include <stdio.h>

#define NAME "lockov.bin"

static HANDLE open_it(DWORD flags)
{
    return CreateFileA(NAME, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                       NULL, OPEN_ALWAYS, flags, NULL);
}

static BOOL lock(HANDLE h, DWORD flags, DWORD off, DWORD len, OVERLAPPED *ov, HANDLE ev)
{
    ZeroMemory(ov, sizeof *ov);
    ov->Offset = off;
    ov->hEvent = ev;
    SetLastError(0);
    return LockFileEx(h, flags, 0, len, 0, ov);
}

/* A synchronous read of len bytes at off: 0 or the error. */
static DWORD sync_read(HANDLE h, DWORD off, DWORD len)
{
    char buf[16];
    DWORD done = 0;
    SetFilePointer(h, off, NULL, FILE_BEGIN);
    return ReadFile(h, buf, len, &done, NULL) ? 0 : GetLastError();
}

static const char *signalled(HANDLE ev)
{
    return WaitForSingleObject(ev, 0) == WAIT_OBJECT_0 ? "signalled" : "not signalled";
}

int main(void)
{
    DeleteFileA(NAME);
    HANDLE a = open_it(FILE_FLAG_OVERLAPPED), b = open_it(FILE_FLAG_OVERLAPPED),
           c = open_it(0);
    if (a == INVALID_HANDLE_VALUE || b == INVALID_HANDLE_VALUE || c == INVALID_HANDLE_VALUE) {
        printf("CreateFile failed: %lu\n", GetLastError());
        return 1;
    }
    char data[100] = {0};
    DWORD n;
    WriteFile(c, data, sizeof data, &n, NULL);
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    OVERLAPPED oa, ob, oc;

    BOOL ok = lock(a, LOCKFILE_EXCLUSIVE_LOCK, 0, 10, &oa, NULL);
    printf("A locks 0+10: %d\n", ok);
    SetEvent(ev); /* LockFileEx resets it */
    ok = lock(b, LOCKFILE_EXCLUSIVE_LOCK, 0, 10, &ob, ev);
    printf("B's lock 0+10: %d error %lu Internal 0x%lx, event %s\n", ok, GetLastError(),
           (unsigned long)ob.Internal, signalled(ev));
    ok = GetOverlappedResult(b, &ob, &n, FALSE);
    printf("GetOverlappedResult: %d error %lu\n", ok, GetLastError());
    ok = lock(b, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 10, &oc, NULL);
    printf("B with LOCKFILE_FAIL_IMMEDIATELY: %d error %lu\n", ok, GetLastError());
    printf("C reads 2+4 (A holds it): %lu\n", sync_read(c, 2, 4));
    printf("UnlockFile A 0+10: %d\n", UnlockFile(a, 0, 0, 10, 0));
    DWORD w = WaitForSingleObject(ev, 10000);
    ok = GetOverlappedResult(b, &ob, &n, FALSE);
    printf("granted: wait %lu Internal 0x%lx GetOverlappedResult %d\n", w,
           (unsigned long)ob.Internal, ok);
    printf("C reads 2+4 (B holds it): %lu\n", sync_read(c, 2, 4));
    ok = lock(a, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 10, &oa, NULL);
    printf("A with LOCKFILE_FAIL_IMMEDIATELY: %d error %lu\n", ok, GetLastError());
    printf("UnlockFile B 0+10: %d\n", UnlockFile(b, 0, 0, 10, 0));
    printf("C reads 2+4 after: %lu\n", sync_read(c, 2, 4));

    /* through a completion port */
    HANDLE port = CreateIoCompletionPort(b, NULL, 7, 0);
    printf("port: %d\n", port != NULL);
    ok = lock(a, LOCKFILE_EXCLUSIVE_LOCK, 20, 10, &oa, NULL);
    printf("A locks 20+10: %d\n", ok);
    ok = lock(b, LOCKFILE_EXCLUSIVE_LOCK, 20, 10, &ob, NULL);
    printf("B's lock 20+10: %d error %lu\n", ok, GetLastError());
    ULONG_PTR key = 0;
    OVERLAPPED *got = NULL;
    ok = GetQueuedCompletionStatus(port, &n, &key, &got, 0);
    printf("packet before the unlock: %d error %lu\n", ok, GetLastError());
    printf("UnlockFile A 20+10: %d\n", UnlockFile(a, 20, 0, 10, 0));
    n = 99;
    ok = GetQueuedCompletionStatus(port, &n, &key, &got, 10000);
    printf("packet: %d key %lu bytes %lu overlapped is B's %d Internal 0x%lx\n", ok,
           (unsigned long)key, n, got == &ob, (unsigned long)ob.Internal);
    printf("C reads 22+4 (B holds it): %lu\n", sync_read(c, 22, 4));
    printf("UnlockFile B 20+10: %d\n", UnlockFile(b, 20, 0, 10, 0));

    /* hEvent with its low bit set: the event, no packet */
    ok = lock(a, LOCKFILE_EXCLUSIVE_LOCK, 40, 10, &oa, NULL);
    printf("A locks 40+10: %d\n", ok);
    ok = lock(b, LOCKFILE_EXCLUSIVE_LOCK, 40, 10, &ob, (HANDLE)((ULONG_PTR)ev | 1));
    printf("B's lock 40+10 (event | 1): %d error %lu\n", ok, GetLastError());
    printf("UnlockFile A 40+10: %d\n", UnlockFile(a, 40, 0, 10, 0));
    w = WaitForSingleObject(ev, 10000);
    ok = GetQueuedCompletionStatus(port, &n, &key, &got, 0);
    printf("granted: wait %lu Internal 0x%lx, packet %d error %lu\n", w,
           (unsigned long)ob.Internal, ok, GetLastError());
    printf("UnlockFile B 40+10: %d\n", UnlockFile(b, 40, 0, 10, 0));

    /* a pending lock cancelled */
    ok = lock(a, LOCKFILE_EXCLUSIVE_LOCK, 60, 10, &oa, NULL);
    printf("A locks 60+10: %d\n", ok);
    ok = lock(b, LOCKFILE_EXCLUSIVE_LOCK, 60, 10, &ob, ev);
    printf("B's lock 60+10: %d error %lu\n", ok, GetLastError());
    printf("CancelIoEx: %d\n", CancelIoEx(b, &ob));
    ok = GetOverlappedResult(b, &ob, &n, TRUE);
    printf("GetOverlappedResult: %d error %lu\n", ok, GetLastError());
    printf("UnlockFile A 60+10: %d\n", UnlockFile(a, 60, 0, 10, 0));
    ok = lock(a, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 60, 10, &oa, NULL);
    printf("A locks 60+10 again (B never got it): %d\n", ok);
    ok = UnlockFile(b, 60, 0, 10, 0);
    printf("UnlockFile B 60+10: %d error %lu\n", ok, GetLastError());

    CloseHandle(a);
    CloseHandle(b);
    CloseHandle(c);
    CloseHandle(port);
    CloseHandle(ev);
    DeleteFileA(NAME);
    return 0;
}
