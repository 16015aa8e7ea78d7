/* The loopback TCP set-up the Winsock tests share (ws2_tcp, ws_eventselect, ws_blocking_wake,
 * ws_ready_on_demand, ws_transmitfile, ...): an IPv4 address on 127.0.0.1, a listener on a port
 * the system picks, that port, a client connected to it, a connected pair, and a wait for data
 * to read. A step that fails prints what failed with WSAGetLastError's code ("listen failed:
 * N", "connect failed: N", "accept failed: N") and the test goes on with the socket it has: its
 * expected output has no such line. WSAStartup is the test's. */
#ifndef NTRUN_TESTS_PE_WS_LOOPBACK_H
#define NTRUN_TESTS_PE_WS_LOOPBACK_H
#include <winsock2.h>
#include <stdio.h>
#include <string.h>

static inline struct sockaddr_in ws_loopback(u_short port)
{
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

/* The port a socket is bound to; 0 when getsockname fails. */
static inline u_short ws_port_of(SOCKET s)
{
    struct sockaddr_in a;
    int len = sizeof a;
    if (getsockname(s, (struct sockaddr *)&a, &len) != 0)
        return 0;
    return ntohs(a.sin_port);
}

/* A TCP socket (socket(): overlapped-capable, blocking) listening on 127.0.0.1, backlog 8. */
static inline SOCKET ws_listener(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in a = ws_loopback(0);
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 8) != 0)
        printf("listen failed: %d\n", WSAGetLastError());
    return s;
}

/* A new TCP socket connected (blocking) to 127.0.0.1:port. */
static inline SOCKET ws_connect_to(u_short port)
{
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in a = ws_loopback(port);
    if (connect(c, (struct sockaddr *)&a, sizeof a) != 0)
        printf("connect failed: %d\n", WSAGetLastError());
    return c;
}

/* A connected pair through the listener l: *c the client (ws_connect_to), *s the accepted end. */
static inline void ws_pair(SOCKET l, SOCKET *c, SOCKET *s)
{
    *c = ws_connect_to(ws_port_of(l));
    *s = accept(l, NULL, NULL);
    if (*s == INVALID_SOCKET)
        printf("accept failed: %d\n", WSAGetLastError());
}

/* Waits (10 ms steps, up to 10 s) until s has at least n bytes to read, by FIONREAD (which
 * consumes nothing and records no event); prints "wait_readable: timed out" if they never
 * come. */
static inline void ws_wait_readable(SOCKET s, u_long n)
{
    for (int i = 0; i < 1000; i++) {
        u_long avail = 0;
        ioctlsocket(s, FIONREAD, &avail);
        if (avail >= n)
            return;
        Sleep(10);
    }
    printf("wait_readable: timed out\n");
}
/* An overlapped WSARecv of len bytes into buf with ov zeroed first: 0 when it completed at once,
 * else WSAGetLastError() (WSA_IO_PENDING when it is pending). */
static inline int ws_recv_pending(SOCKET s, char *buf, ULONG len, OVERLAPPED *ov)
{
    WSABUF b = {len, buf};
    DWORD flags = 0, got = 0;
    memset(ov, 0, sizeof *ov);
    int r = WSARecv(s, &b, 1, &got, &flags, ov, NULL);
    return r == 0 ? 0 : WSAGetLastError();
}
#endif
