/* Winsock over loopback: getaddrinfo("localhost"), error codes (WSAENOTSOCK, WSAECONNREFUSED,
 * WSAEWOULDBLOCK, WSAHOST_NOT_FOUND), a blocking TCP echo with a server thread, a non-blocking
 * exchange driven by select, and an overlapped one on a completion port (AcceptEx and
 * GetAcceptExSockaddrs through WSAIoctl, WSARecv/WSASend, CancelIoEx). Output as on Windows. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <stdio.h>
#include <string.h>
#include "ws_loopback.h"

/* A call's result and the error it left, in this order (printf's arguments have none). */
#define SHOW(label, expr)                                                                    \
    do {                                                                                     \
        long long v_ = (long long)(expr);                                                    \
        int e_ = WSAGetLastError();                                                          \
        printf("%s: %lld %d\n", label, v_, v_ == -1 || v_ == 0 ? e_ : 0);                   \
    } while (0)

static DWORD WINAPI echo_server(void *arg)
{
    SOCKET l = (SOCKET)arg;
    SOCKET c = accept(l, NULL, NULL);
    char buf[256];
    int n;
    while ((n = recv(c, buf, sizeof buf, 0)) > 0)
        send(c, buf, n, 0);
    closesocket(c);
    return 0;
}

static void test_names(void)
{
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    int r = getaddrinfo("localhost", "80", &hints, &res);
    printf("getaddrinfo localhost: %d\n", r);
    if (r == 0) {
        struct sockaddr_in *a = (struct sockaddr_in *)res->ai_addr;
        char text[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
        printf("  family %d socktype %d addrlen %d %s port %d\n", res->ai_family,
               res->ai_socktype, (int)res->ai_addrlen, text, ntohs(a->sin_port));
        freeaddrinfo(res);
    }
    hints.ai_family = AF_INET6;
    hints.ai_flags = AI_NUMERICHOST;
    r = getaddrinfo("::1", NULL, &hints, &res);
    printf("getaddrinfo ::1: %d", r);
    if (r == 0) {
        printf(" family %d addrlen %d sin6_family %d\n", res->ai_family, (int)res->ai_addrlen,
               res->ai_addr->sa_family);
        freeaddrinfo(res);
    }
    r = getaddrinfo("not an address", NULL, &hints, &res);
    printf("getaddrinfo numeric junk: %d (WSAHOST_NOT_FOUND %d)\n", r, WSAHOST_NOT_FOUND);
    unsigned char a6[16];
    printf("inet_pton ::1 %d last %d\n", inet_pton(AF_INET6, "::1", a6), a6[15]);
    printf("htons %#x htonl %#lx\n", htons(0x1234), (unsigned long)htonl(0x12345678));
    char host[256];
    printf("gethostname %d\n", gethostname(host, sizeof host));
}

static void test_errors(void)
{
    SHOW("closesocket(bad)", closesocket((SOCKET)0x1234));
    HANDLE ev = CreateEventA(NULL, FALSE, FALSE, NULL);
    SHOW("send(event handle)", send((SOCKET)ev, "x", 1, 0));
    CloseHandle(ev);
    SOCKET l = ws_listener();
    u_short port = ws_port_of(l);
    closesocket(l);
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    SHOW("connect refused", connect(c, (struct sockaddr *)&a, sizeof a));
    closesocket(c);
    SOCKET u = socket(AF_INET, SOCK_STREAM, 0);
    SHOW("listen unbound", listen(u, 1));
    int type = 0, len = sizeof type;
    int r = getsockopt(u, SOL_SOCKET, SO_TYPE, (char *)&type, &len);
    printf("SO_TYPE: %d %d %d\n", r, type, len);
    BOOL on = TRUE;
    printf("TCP_NODELAY: %d\n", setsockopt(u, IPPROTO_TCP, TCP_NODELAY, (char *)&on, sizeof on));
    SHOW("bad option", setsockopt(u, SOL_SOCKET, 0x7777, (char *)&on, sizeof on));
    printf("CloseHandle on a socket: %d\n", CloseHandle((HANDLE)u));
}

static void test_blocking(void)
{
    SOCKET l = ws_listener();
    HANDLE t = CreateThread(NULL, 0, echo_server, (void *)l, 0, NULL);
    SOCKET c = ws_connect_to(ws_port_of(l));
    const char *msgs[] = {"hello", "blocking", "world"};
    for (int i = 0; i < 3; i++) {
        char buf[64] = {0};
        send(c, msgs[i], (int)strlen(msgs[i]), 0);
        int n = recv(c, buf, sizeof buf - 1, 0);
        printf("blocking echo: %d %s\n", n, buf);
    }
    shutdown(c, SD_SEND);
    char b;
    printf("recv after server close: %d\n", recv(c, &b, 1, 0));
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
    closesocket(c);
    closesocket(l);
}

static void test_select(void)
{
    SOCKET l = ws_listener();
    u_long on = 1;
    ioctlsocket(l, FIONBIO, &on);
    SHOW("accept nothing", (int)accept(l, NULL, NULL));
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    int r;
    ioctlsocket(c, FIONBIO, &on);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons(ws_port_of(l));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    r = connect(c, (struct sockaddr *)&a, sizeof a);
    printf("non-blocking connect: %d %s\n", r,
           r == 0 || WSAGetLastError() == WSAEWOULDBLOCK ? "ok" : "unexpected error");
    fd_set rd, wr;
    FD_ZERO(&rd);
    FD_SET(l, &rd);
    r = select(0, &rd, NULL, NULL, NULL);
    printf("select listener: %d %d\n", r, FD_ISSET(l, &rd));
    FD_ZERO(&wr);
    FD_SET(c, &wr);
    r = select(0, NULL, &wr, NULL, NULL);
    printf("select connected: %d %d\n", r, FD_ISSET(c, &wr));
    SOCKET s = accept(l, NULL, NULL);
    ioctlsocket(s, FIONBIO, &on);
    char buf[64] = {0};
    SHOW("recv nothing", recv(s, buf, sizeof buf, 0));
    struct timeval tv = {0, 0};
    FD_ZERO(&rd);
    FD_SET(s, &rd);
    printf("select poll: %d\n", select(0, &rd, NULL, NULL, &tv));
    send(c, "selected", 8, 0);
    FD_ZERO(&rd);
    FD_SET(s, &rd);
    FD_SET(l, &rd);
    r = select(0, &rd, NULL, NULL, NULL);
    printf("select data: %d %d %d\n", r, FD_ISSET(s, &rd), FD_ISSET(l, &rd));
    u_long avail = 0;
    ioctlsocket(s, FIONREAD, &avail);
    printf("FIONREAD %lu\n", avail);
    r = recv(s, buf, sizeof buf - 1, 0);
    printf("recv: %d %s\n", r, buf);
    WSAPOLLFD p[2] = {{s, POLLRDNORM, 0}, {c, POLLWRNORM, 0}};
    r = WSAPoll(p, 2, 1000);
    printf("WSAPoll: %d %#x %#x\n", r, p[0].revents, p[1].revents);
    closesocket(s);
    closesocket(c);
    closesocket(l);
}

static void test_overlapped(void)
{
    SOCKET l = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(l, (struct sockaddr *)&a, sizeof a);
    listen(l, 8);
    HANDLE port = CreateIoCompletionPort((HANDLE)l, NULL, 7, 0);
    printf("port: %d\n", port != NULL);
    GUID gaccept = WSAID_ACCEPTEX, gaddrs = WSAID_GETACCEPTEXSOCKADDRS;
    LPFN_ACCEPTEX pAcceptEx = NULL;
    LPFN_GETACCEPTEXSOCKADDRS pAddrs = NULL;
    DWORD n = 0;
    int r = WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, &gaccept, sizeof gaccept, &pAcceptEx,
                     sizeof pAcceptEx, &n, NULL, NULL);
    printf("AcceptEx pointer: %d %lu %d\n", r, n, pAcceptEx != NULL);
    WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, &gaddrs, sizeof gaddrs, &pAddrs,
             sizeof pAddrs, &n, NULL, NULL);
    SOCKET as = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    char abuf[2 * (sizeof(struct sockaddr_in6) + 16)];
    OVERLAPPED ov = {0};
    DWORD got = 0;
    BOOL ok = pAcceptEx(l, as, abuf, 0, sizeof(struct sockaddr_in6) + 16,
                        sizeof(struct sockaddr_in6) + 16, &got, &ov);
    printf("AcceptEx: %d %d\n", ok, ok ? 0 : WSAGetLastError());
    SOCKET c = ws_connect_to(ws_port_of(l));
    ULONG_PTR key = 0;
    OVERLAPPED *pov = NULL;
    ok = GetQueuedCompletionStatus(port, &got, &key, &pov, 5000);
    printf("accept completion: %d key %d ours %d bytes %lu\n", ok, (int)key, pov == &ov, got);
    struct sockaddr *local, *remote;
    int llen, rlen;
    pAddrs(abuf, 0, sizeof(struct sockaddr_in6) + 16, sizeof(struct sockaddr_in6) + 16, &local,
           &llen, &remote, &rlen);
    printf("addresses: local %d %s port ok %d, remote %d %s\n", llen,
           inet_ntoa(((struct sockaddr_in *)local)->sin_addr),
           ntohs(((struct sockaddr_in *)local)->sin_port) == ws_port_of(l), rlen,
           inet_ntoa(((struct sockaddr_in *)remote)->sin_addr));
    printf("SO_UPDATE_ACCEPT_CONTEXT: %d\n",
           setsockopt(as, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, sizeof l));
    printf("bind to port: %d\n", CreateIoCompletionPort((HANDLE)as, port, 8, 0) == port);

    char rbuf[64] = {0};
    WSABUF wb = {sizeof rbuf - 1, rbuf};
    DWORD flags = 0;
    OVERLAPPED rov = {0};
    r = WSARecv(as, &wb, 1, &got, &flags, &rov, NULL);
    printf("WSARecv pending: %d %d\n", r, r ? WSAGetLastError() : 0);
    send(c, "ping", 4, 0);
    ok = GetQueuedCompletionStatus(port, &got, &key, &pov, 5000);
    printf("recv completion: %d key %d ours %d bytes %lu %s\n", ok, (int)key, pov == &rov, got,
           rbuf);
    ok = WSAGetOverlappedResult(as, &rov, &got, FALSE, &flags);
    printf("WSAGetOverlappedResult: %d %lu\n", ok, got);

    OVERLAPPED sov = {0};
    WSABUF sb = {4, "pong"};
    r = WSASend(as, &sb, 1, &got, 0, &sov, NULL);
    printf("WSASend: %d\n", r == 0 || WSAGetLastError() == WSA_IO_PENDING);
    ok = GetQueuedCompletionStatus(port, &got, &key, &pov, 5000);
    printf("send completion: %d ours %d bytes %lu\n", ok, pov == &sov, got);
    char cbuf[8] = {0};
    r = recv(c, cbuf, sizeof cbuf - 1, 0);
    printf("client got: %d %s\n", r, cbuf);

    memset(&rov, 0, sizeof rov);
    rov.hEvent = CreateEventA(NULL, TRUE, TRUE, NULL);
    r = WSARecv(as, &wb, 1, &got, &flags, &rov, NULL);
    printf("second WSARecv: %d %d, event reset %d\n", r, r ? WSAGetLastError() : 0,
           WaitForSingleObject(rov.hEvent, 0) == WAIT_TIMEOUT);
    SHOW("incomplete", WSAGetOverlappedResult(as, &rov, &got, FALSE, &flags));
    printf("CancelIoEx: %d\n", CancelIoEx((HANDLE)as, &rov));
    ok = GetQueuedCompletionStatus(port, &got, &key, &pov, 5000);
    printf("cancel completion: %d error %lu ours %d, event set %d\n", ok, GetLastError(),
           pov == &rov, WaitForSingleObject(rov.hEvent, 0) == WAIT_OBJECT_0);
    SHOW("CancelIoEx nothing", CancelIoEx((HANDLE)as, &rov));
    SHOW("nothing queued", GetQueuedCompletionStatus(port, &got, &key, &pov, 0));
    CloseHandle(rov.hEvent);
    closesocket(c);
    closesocket(as);
    closesocket(l);
    CloseHandle(port);
}

int main(void)
{
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;
    test_names();
    test_errors();
    test_blocking();
    test_select();
    test_overlapped();
    WSACleanup();
    return 0;
}
