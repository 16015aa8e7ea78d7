/* GetThreadIOPendingFlag (NtQueryInformationThread's ThreadIsIoPending), which .NET's thread
 * pool asks before a worker thread retires:
 * - a thread with nothing pending: TRUE, *pending FALSE;
 * - an overlapped ReadFile of a named pipe with nothing to read (ERROR_IO_PENDING, no completion
 *   port) makes the issuing thread's flag TRUE, asked by itself or by another thread through a
 *   handle; the other thread's own flag stays FALSE; after CancelIo (and the request's end)
 *   FALSE again; likewise once data arrives and the read completes;
 * - a bad handle: FALSE, ERROR_INVALID_HANDLE.
 * Wine 8.0 answers TRUE with *pending FALSE in every case, the bad handle included. */
#include <stdio.h>
#include <windows.h>

static HANDLE main_thread;
static BOOL other_self, other_main;

static void flag(const char *what, HANDLE thread)
{
    BOOL pending = 0xcc;
    SetLastError(0);
    BOOL ok = GetThreadIOPendingFlag(thread, &pending);
    if (ok)
        printf("%s: %d pending %d\n", what, ok, pending);
    else
        printf("%s: %d error %lu\n", what, ok, GetLastError());
}

static DWORD WINAPI other(void *arg)
{
    (void)arg;
    GetThreadIOPendingFlag(GetCurrentThread(), &other_self);
    GetThreadIOPendingFlag(main_thread, &other_main);
    return 0;
}

int main(void)
{
    DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &main_thread,
                    0, FALSE, DUPLICATE_SAME_ACCESS);
    flag("idle", GetCurrentThread());

    const char *name = "\\\\.\\pipe\\ntrun_thread_io_pending";
    HANDLE s = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED, PIPE_TYPE_BYTE, 1,
                                4096, 4096, 0, NULL);
    HANDLE c = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (s == INVALID_HANDLE_VALUE || c == INVALID_HANDLE_VALUE) {
        printf("pipe: error %lu\n", GetLastError());
        return 1;
    }
    char buf[16];
    OVERLAPPED ov = {0};
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    BOOL ok = ReadFile(s, buf, sizeof buf, NULL, &ov);
    printf("ReadFile %d error %lu\n", ok, ok ? 0 : GetLastError());
    flag("read pending", GetCurrentThread());
    HANDLE t = CreateThread(NULL, 0, other, NULL, 0, NULL);
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
    printf("other thread: own %d, main's %d\n", other_self, other_main);
    CancelIo(s);
    DWORD n = 0xcc;
    ok = GetOverlappedResult(s, &ov, &n, TRUE);
    printf("after CancelIo: GetOverlappedResult %d error %lu\n", ok, ok ? 0 : GetLastError());
    flag("cancelled", GetCurrentThread());

    ResetEvent(ov.hEvent);
    ok = ReadFile(s, buf, sizeof buf, NULL, &ov);
    printf("ReadFile %d error %lu\n", ok, ok ? 0 : GetLastError());
    flag("read pending again", main_thread);
    WriteFile(c, "data", 4, &n, NULL);
    n = 0xcc;
    ok = GetOverlappedResult(s, &ov, &n, TRUE);
    printf("after data: GetOverlappedResult %d got %lu '%.*s'\n", ok, n, (int)n, buf);
    flag("completed", GetCurrentThread());

    flag("bad handle", (HANDLE)(ULONG_PTR)0x1230);
    CloseHandle(c);
    CloseHandle(s);
    CloseHandle(ov.hEvent);
    CloseHandle(main_thread);
    return 0;
}
