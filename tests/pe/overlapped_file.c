/* Overlapped file I/O: ReadFile/WriteFile on a FILE_FLAG_OVERLAPPED handle with an event
 * (reset at the start, set at the end), GetOverlappedResult, a completion port
 * (CreateIoCompletionPort on the file: key and OVERLAPPED in the packet; no packet when hEvent's
 * low bit is set), FILE_SKIP_COMPLETION_PORT_ON_SUCCESS, ReadFileEx with its completion routine
 * run by an alertable SleepEx, end of file, CancelIoEx with nothing pending. Whether a request
 * pends or completes at once is up to the system, so the output does not depend on it. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

static char path[MAX_PATH];

/* The result of a request: completes it (waiting) when it pended. */
static BOOL finish(HANDLE h, OVERLAPPED *ov, BOOL ok, DWORD *n)
{
    if (!ok && GetLastError() != ERROR_IO_PENDING)
        return FALSE;
    return GetOverlappedResult(h, ov, n, TRUE);
}

static int routine_calls;
static DWORD routine_err, routine_bytes;
static OVERLAPPED *routine_ov;
static VOID CALLBACK done_routine(DWORD err, DWORD bytes, OVERLAPPED *ov)
{
    routine_calls++;
    routine_err = err;
    routine_bytes = bytes;
    routine_ov = ov;
}

int main(void)
{
    char dir[MAX_PATH];
    GetTempPathA(sizeof dir, dir);
    GetTempFileNameA(dir, "ovl", 0, path);
    HANDLE w = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD n;
    WriteFile(w, "0123456789abcdefghij", 20, &n, NULL);
    CloseHandle(w);

    HANDLE h = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, NULL,
                           OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    printf("open: %d\n", h != INVALID_HANDLE_VALUE);

    char buf[32] = {0};
    OVERLAPPED ov = {0};
    ov.Offset = 10;
    ov.hEvent = CreateEventA(NULL, TRUE, TRUE, NULL);
    BOOL ok = ReadFile(h, buf, 5, NULL, &ov);
    ok = finish(h, &ov, ok, &n);
    printf("read with event: %d %lu %s, event %d\n", ok, n, buf,
           WaitForSingleObject(ov.hEvent, 0) == WAIT_OBJECT_0);

    memset(&ov, 0, sizeof ov);
    ov.Offset = 2;
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    ok = WriteFile(h, "XY", 2, NULL, &ov);
    ok = finish(h, &ov, ok, &n);
    printf("write: %d %lu\n", ok, n);

    HANDLE port = CreateIoCompletionPort(h, NULL, 42, 0);
    printf("port: %d\n", port != NULL);
    memset(&ov, 0, sizeof ov);
    memset(buf, 0, sizeof buf);
    ok = ReadFile(h, buf, 6, NULL, &ov);
    printf("read on port: %d\n", ok || GetLastError() == ERROR_IO_PENDING);
    ULONG_PTR key = 0;
    OVERLAPPED *pov = NULL;
    ok = GetQueuedCompletionStatus(port, &n, &key, &pov, 5000);
    printf("packet: %d key %d ours %d bytes %lu %s\n", ok, (int)key, pov == &ov, n, buf);

    memset(&ov, 0, sizeof ov);
    ov.Offset = 100;
    ok = ReadFile(h, buf, 6, NULL, &ov);
    if (!ok && GetLastError() == ERROR_IO_PENDING) {
        ok = GetQueuedCompletionStatus(port, &n, &key, &pov, 5000);
        printf("end of file: %d %lu\n", ok, GetLastError());
    } else {
        printf("end of file: %d %lu\n", ok, GetLastError());
    }

    memset(&ov, 0, sizeof ov);
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    ov.hEvent = (HANDLE)((ULONG_PTR)ev | 1);
    ok = ReadFile(h, buf, 4, NULL, &ov);
    ok = finish(h, &ov, ok, &n);
    DWORD got = n;
    BOOL packet = GetQueuedCompletionStatus(port, &n, &key, &pov, 0);
    printf("low bit set: %d %lu, packet %d %lu\n", ok, got, packet, GetLastError());

    printf("skip mode: %d\n", SetFileCompletionNotificationModes(h, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    memset(&ov, 0, sizeof ov);
    ok = ReadFile(h, buf, 4, NULL, &ov);
    packet = GetQueuedCompletionStatus(port, &n, &key, &pov, ok ? 0 : 5000);
    printf("skip on success: %s\n", ok == !packet ? "ok" : "wrong");

    ok = CancelIoEx(h, &ov);
    printf("CancelIoEx nothing: %d %lu\n", ok, GetLastError());
    CloseHandle(port);
    CloseHandle(h);

    h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                    FILE_FLAG_OVERLAPPED, NULL);
    memset(&ov, 0, sizeof ov);
    memset(buf, 0, sizeof buf);
    ov.Offset = 0;
    ok = ReadFileEx(h, buf, 8, &ov, done_routine);
    printf("ReadFileEx: %d, routine before wait %d\n", ok, routine_calls);
    DWORD r = SleepEx(5000, TRUE);
    printf("SleepEx: %#lx, routine %d err %lu bytes %lu ours %d %s\n", r, routine_calls,
           routine_err, routine_bytes, routine_ov == &ov, buf);
    CloseHandle(h);
    CloseHandle(ev);
    DeleteFileA(path);
    return 0;
}
