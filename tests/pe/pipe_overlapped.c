/* Named pipes as Windows has them beyond plain synchronous use: WaitNamedPipe (no such name:
 * ERROR_FILE_NOT_FOUND; a listening instance: at once; all instances busy: ERROR_SEM_TIMEOUT;
 * an instance created while it waits), ERROR_PIPE_BUSY for a client when every instance is
 * connected, ERROR_PIPE_CONNECTED and ERROR_NO_DATA (a client came and went) from
 * ConnectNamedPipe, and overlapped pipes: ConnectNamedPipe pends (ERROR_IO_PENDING) until a
 * client comes and completes through its event; ReadFile pends until data arrives (event, and
 * through a completion port with its key and OVERLAPPED); WriteFile completes; a read after
 * the client has gone fails with ERROR_BROKEN_PIPE; DisconnectNamedPipe then a pending
 * ConnectNamedPipe again. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#define NAME "\\\\.\\pipe\\ntrun_pipe_overlapped_test"

static HANDLE client(void)
{
    return CreateFileA(NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
}

static DWORD WINAPI make_instance(void *arg)
{
    *(HANDLE *)arg = CreateNamedPipeA(NAME, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 2, 512, 512, 0,
                                      NULL);
    return 0;
}

int main(void)
{
    SetLastError(0);
    BOOL ok = WaitNamedPipeA(NAME, 0);
    printf("wait, no pipe: %d error %lu\n", ok, GetLastError());

    HANDLE s1 = CreateNamedPipeA(NAME, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 2, 512, 512, 0, NULL);
    ok = WaitNamedPipeA(NAME, NMPWAIT_WAIT_FOREVER);
    printf("wait, one listening: %d\n", ok);
    HANDLE c1 = client();
    printf("client 1: %s\n", c1 != INVALID_HANDLE_VALUE ? "ok" : "failed");
    ok = ConnectNamedPipe(s1, NULL);
    printf("connect after the client: %d error %lu\n", ok, GetLastError());
    HANDLE c2 = client();
    printf("client 2, every instance busy: %s error %lu\n",
           c2 == INVALID_HANDLE_VALUE ? "failed" : "ok", GetLastError());
    ok = WaitNamedPipeA(NAME, 100);
    printf("wait, every instance busy: %d error %lu\n", ok, GetLastError());
    HANDLE s2 = NULL;
    HANDLE t = CreateThread(NULL, 0, make_instance, &s2, 0, NULL);
    ok = WaitNamedPipeA(NAME, NMPWAIT_WAIT_FOREVER);
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
    printf("wait, a second instance comes: %d\n", ok);
    c2 = client();
    CloseHandle(c2);
    ok = ConnectNamedPipe(s2, NULL);
    printf("connect, the client came and went: %d error %lu\n", ok, GetLastError());
    CloseHandle(s2);
    CloseHandle(c1);
    CloseHandle(s1);

    /* overlapped */
    HANDLE s = CreateNamedPipeA(NAME, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED, PIPE_TYPE_BYTE,
                                1, 512, 512, 0, NULL);
    OVERLAPPED ov = {0};
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    ok = ConnectNamedPipe(s, &ov);
    printf("overlapped connect: %d error %lu, event %lu\n", ok, GetLastError(),
           WaitForSingleObject(ov.hEvent, 0));
    HANDLE c = client();
    DWORD n = 0;
    printf("a client came: event %lu, result %d\n", WaitForSingleObject(ov.hEvent, INFINITE),
           GetOverlappedResult(s, &ov, &n, TRUE));

    char buf[64] = "";
    ResetEvent(ov.hEvent);
    ok = ReadFile(s, buf, sizeof buf, &n, &ov);
    printf("overlapped read: %d error %lu, event %lu\n", ok, GetLastError(),
           WaitForSingleObject(ov.hEvent, 0));
    WriteFile(c, "hello", 5, &n, NULL);
    ok = GetOverlappedResult(s, &ov, &n, TRUE);
    printf("read completes: %d, %lu bytes [%.*s]\n", ok, n, (int)n, buf);

    HANDLE port = CreateIoCompletionPort(s, NULL, 7, 0);
    OVERLAPPED ov2 = {0};
    ok = ReadFile(s, buf, sizeof buf, &n, &ov2);
    printf("read with a port: %d error %lu\n", ok, GetLastError());
    WriteFile(c, "via port", 8, &n, NULL);
    ULONG_PTR key = 0;
    OVERLAPPED *got = NULL;
    ok = GetQueuedCompletionStatus(port, &n, &key, &got, INFINITE);
    printf("port: %d, %lu bytes, key %lu, our overlapped %s [%.*s]\n", ok, n, (unsigned long)key,
           got == &ov2 ? "yes" : "no", (int)n, buf);

    OVERLAPPED ov3 = {0};
    ov3.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    ok = WriteFile(s, "answer", 6, &n, &ov3);
    if (!ok && GetLastError() == ERROR_IO_PENDING)
        ok = GetOverlappedResult(s, &ov3, &n, TRUE);
    printf("overlapped write: %d, %lu bytes\n", ok, n);
    ok = GetQueuedCompletionStatus(port, &n, &key, &got, INFINITE);
    printf("its packet: %d, %lu bytes, key %lu\n", ok, n, (unsigned long)key);
    ok = ReadFile(c, buf, sizeof buf, &n, NULL);
    printf("client read: %d [%.*s]\n", ok, (int)n, buf);

    CloseHandle(c);
    OVERLAPPED ov4 = {0};
    ov4.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    ok = ReadFile(s, buf, sizeof buf, &n, &ov4);
    DWORD err = GetLastError();
    if (!ok && err == ERROR_IO_PENDING) {
        ok = GetOverlappedResult(s, &ov4, &n, TRUE);
        err = GetLastError();
    }
    printf("read, client gone: %d error %lu\n", ok, err);

    ok = DisconnectNamedPipe(s);
    ResetEvent(ov.hEvent);
    BOOL ok2 = ConnectNamedPipe(s, &ov);
    printf("disconnect %d, connect again: %d error %lu\n", ok, ok2, GetLastError());
    c = client();
    printf("a new client: event %lu, result %d\n", WaitForSingleObject(ov.hEvent, INFINITE),
           GetOverlappedResult(s, &ov, &n, TRUE));
    CloseHandle(c);
    CloseHandle(s);
    CloseHandle(port);
    return 0;
}
