/* A socket that accept() returns has the listening socket's blocking mode (accept's remarks on
 * Microsoft's page: the new socket "has the same properties as socket s"); Rust's mio, under
 * tokio (Deno's HTTP server), accepts on a non-blocking listener and reads the accepted socket
 * without setting its mode again:
 *  - a non-blocking listener (ioctlsocket FIONBIO 1): accept with no connection waiting fails
 *    with WSAEWOULDBLOCK; the accepted socket's recv with no data fails with WSAEWOULDBLOCK at
 *    once, then reads the client's data once it is there; FIONBIO 0 makes it blocking again;
 *  - a blocking listener: the accepted socket's recv waits for the data a thread sends 100 ms
 *    later.
 * The sleeps only let the loopback data arrive; SO_RCVTIMEO ends a recv that blocks by mistake.
 * Printed alike by Wine 8.0. */
#include <winsock2.h>
#include <stdio.h>

static SOCKET listener(struct sockaddr_in *a, u_long nonblocking)
{
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0);
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int len = sizeof *a;
    if (bind(l, (struct sockaddr *)a, sizeof *a) || listen(l, 4) ||
        getsockname(l, (struct sockaddr *)a, &len))
        printf("listen failed: %d\n", WSAGetLastError());
    if (ioctlsocket(l, FIONBIO, &nonblocking))
        printf("FIONBIO failed: %d\n", WSAGetLastError());
    return l;
}

static SOCKET connected(const struct sockaddr_in *a)
{
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(c, (const struct sockaddr *)a, sizeof *a))
        printf("connect failed: %d\n", WSAGetLastError());
    return c;
}

static void try_recv(const char *what, SOCKET s)
{
    char b[16];
    DWORD t0 = GetTickCount();
    int r = recv(s, b, sizeof b, 0);
    DWORD ms = GetTickCount() - t0;
    if (r > 0)
        printf("%s: '%.*s'%s\n", what, r, b, ms >= 50 ? " (after waiting)" : "");
    else
        printf("%s: %d, error %d%s\n", what, r, WSAGetLastError(), ms >= 1000 ? " (waited)" : "");
}

static DWORD WINAPI send_later(void *arg)
{
    Sleep(100);
    send((SOCKET)(ULONG_PTR)arg, "late", 4, 0);
    return 0;
}

int main(void)
{
    WSADATA wd;
    WSAStartup(MAKEWORD(2, 2), &wd);
    struct sockaddr_in a;

    SOCKET l = listener(&a, 1);
    SOCKET s = accept(l, NULL, NULL);
    printf("accept, nothing waiting: %s, error %d\n", s == INVALID_SOCKET ? "INVALID_SOCKET" : "a socket",
           WSAGetLastError());
    SOCKET c = connected(&a);
    Sleep(100);
    s = accept(l, NULL, NULL);
    printf("accept, a connection waiting: %s\n", s == INVALID_SOCKET ? "INVALID_SOCKET" : "a socket");
    DWORD limit = 3000; /* a blocking recv by mistake ends (WSAETIMEDOUT) instead of hanging */
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&limit, sizeof limit);
    try_recv("non-blocking listener, recv with no data", s);
    send(c, "hello", 5, 0);
    Sleep(100);
    try_recv("recv after the client sent", s);
    u_long off = 0;
    printf("FIONBIO 0: %d\n", ioctlsocket(s, FIONBIO, &off));
    HANDLE t = CreateThread(NULL, 0, send_later, (void *)(ULONG_PTR)c, 0, NULL);
    try_recv("made blocking, recv", s);
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
    closesocket(s);
    closesocket(c);
    closesocket(l);

    l = listener(&a, 0);
    c = connected(&a);
    s = accept(l, NULL, NULL);
    printf("blocking listener, accept: %s\n", s == INVALID_SOCKET ? "INVALID_SOCKET" : "a socket");
    t = CreateThread(NULL, 0, send_later, (void *)(ULONG_PTR)c, 0, NULL);
    try_recv("blocking listener, recv", s);
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
    closesocket(s);
    closesocket(c);
    closesocket(l);
    WSACleanup();
    return 0;
}
