/* A pending AcceptEx (overlapped, with an event) ends with ERROR_OPERATION_ABORTED (995) when:
 *  - CancelIoEx(listener, &ov) cancels it before any client came (TRUE; a second CancelIoEx
 *    of the same OVERLAPPED finds nothing: ERROR_NOT_FOUND, 1168);
 *  - CancelIoEx(listener, &ov) cancels it after a client connected but sent nothing (AcceptEx
 *    with a receive buffer waits for the first data);
 *  - CancelIo(listener) from the issuing thread;
 *  - the listener is closed (the status block says STATUS_CANCELLED).
 * The short sleeps only make "the client connected" likely; the results are the same either
 * way. Output as on Windows. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <stdio.h>
#include <string.h>
#include "ws_loopback.h"

static LPFN_ACCEPTEX pAcceptEx;

static SOCKET tcp(void)
{
    return WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
}

static SOCKET listener(u_short *port)
{
    SOCKET s = tcp();
    struct sockaddr_in a = ws_loopback(0);
    int len = sizeof a;
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 8) != 0 ||
        getsockname(s, (struct sockaddr *)&a, &len) != 0)
        printf("listen failed: %d\n", WSAGetLastError());
    *port = ntohs(a.sin_port);
    return s;
}

static char buf[256];

/* Starts an AcceptEx on ls into a new socket (*as); prints how the call went. */
static void start(const char *what, SOCKET ls, SOCKET *as, OVERLAPPED *ov, DWORD recvlen)
{
    *as = tcp();
    memset(ov, 0, sizeof *ov);
    ov->hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    DWORD got = 0;
    BOOL ok = pAcceptEx(ls, *as, buf, recvlen, sizeof(struct sockaddr_in) + 16,
                        sizeof(struct sockaddr_in) + 16, &got, ov);
    printf("%s: AcceptEx %d, error %d\n", what, ok, ok ? 0 : WSAGetLastError());
}

static void result(const char *what, SOCKET ls, OVERLAPPED *ov)
{
    DWORD n = 7;
    DWORD w = WaitForSingleObject(ov->hEvent, 10000);
    BOOL ok = GetOverlappedResult((HANDLE)ls, ov, &n, FALSE);
    printf("%s: wait %lu, result %d, error %lu, bytes %lu\n", what, w, ok,
           ok ? 0 : GetLastError(), n);
}

static SOCKET client(u_short port)
{
    SOCKET c = tcp();
    struct sockaddr_in a = ws_loopback(port);
    if (connect(c, (struct sockaddr *)&a, sizeof a) != 0)
        printf("connect failed: %d\n", WSAGetLastError());
    return c;
}

int main(void)
{
    WSADATA wd;
    WSAStartup(MAKEWORD(2, 2), &wd);
    u_short port;
    SOCKET ls = listener(&port), as, c;
    GUID guid = WSAID_ACCEPTEX;
    DWORD n;
    WSAIoctl(ls, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof guid, &pAcceptEx,
             sizeof pAcceptEx, &n, NULL, NULL);
    OVERLAPPED ov;

    start("no client", ls, &as, &ov, 0);
    printf("CancelIoEx: %d\n", CancelIoEx((HANDLE)ls, &ov));
    result("no client", ls, &ov);
    SetLastError(0);
    BOOL again = CancelIoEx((HANDLE)ls, &ov);
    printf("CancelIoEx again: %d, error %lu\n", again, GetLastError());
    closesocket(as);
    CloseHandle(ov.hEvent);

    start("client sends nothing", ls, &as, &ov, 64);
    c = client(port);
    Sleep(100);
    printf("pending: %d\n", !HasOverlappedIoCompleted(&ov));
    printf("CancelIoEx: %d\n", CancelIoEx((HANDLE)ls, &ov));
    result("client sends nothing", ls, &ov);
    closesocket(as);
    closesocket(c);
    CloseHandle(ov.hEvent);

    start("CancelIo", ls, &as, &ov, 64);
    printf("CancelIo: %d\n", CancelIo((HANDLE)ls));
    result("CancelIo", ls, &ov);
    closesocket(as);
    CloseHandle(ov.hEvent);

    start("listener closed", ls, &as, &ov, 64);
    c = client(port);
    Sleep(100);
    closesocket(ls);
    DWORD w = WaitForSingleObject(ov.hEvent, 10000);
    printf("listener closed: wait %lu, status 0x%08lx\n", w, (unsigned long)ov.Internal);
    closesocket(as);
    closesocket(c);
    CloseHandle(ov.hEvent);
    WSACleanup();
    return 0;
}
