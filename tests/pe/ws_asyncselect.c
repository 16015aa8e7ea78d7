/* WSAAsyncSelect over loopback TCP, the events as window messages (wParam the socket, lParam
 * WSAMAKESELECTREPLY(event, error)) to a message-only window: FD_ACCEPT not posted again until
 * accept (then at once for a second waiting connection), the accepted socket taking the
 * listener's selection, FD_WRITE at once when a connected socket is selected, FD_READ posted
 * again after a recv that leaves data and not after one that empties the socket, FD_CONNECT then
 * FD_WRITE for a non-blocking connect (WSAEWOULDBLOCK), FD_CONNECT with WSAECONNREFUSED,
 * FD_CLOSE after a graceful close (error 0), lEvent 0 stopping the messages and the socket
 * non-blocking until then (ioctlsocket FIONBIO 0: WSAEINVAL). Output as on Windows. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include "ws_loopback.h"

#define WM_SOCK (WM_USER + 10)   /* connected sockets */
#define WM_LISTEN (WM_USER + 11) /* the listener: its messages never mix with the others' */

static SOCKET names[8];
static const char *labels[8];
static int nnames;

static void name(SOCKET s, const char *label)
{
    names[nnames] = s;
    labels[nnames++] = label;
}

/* The latest name (a closed socket's handle value may come back for a new one). */
static const char *label_of(SOCKET s)
{
    for (int i = nnames - 1; i >= 0; i--)
        if (names[i] == s)
            return labels[i];
    return "?";
}

static const char *event_name(int e)
{
    switch (e) {
    case FD_READ: return "FD_READ";
    case FD_WRITE: return "FD_WRITE";
    case FD_OOB: return "FD_OOB";
    case FD_ACCEPT: return "FD_ACCEPT";
    case FD_CONNECT: return "FD_CONNECT";
    case FD_CLOSE: return "FD_CLOSE";
    default: return "?";
    }
}

/* The next message `msg` (waiting up to 10 s), printed. */
static void expect_msg(const char *label, UINT msg)
{
    MSG m;
    for (;;) {
        if (PeekMessageW(&m, NULL, msg, msg, PM_REMOVE)) {
            printf("%s: %s %s error %d\n", label, label_of((SOCKET)m.wParam),
                   event_name(WSAGETSELECTEVENT(m.lParam)), WSAGETSELECTERROR(m.lParam));
            return;
        }
        if (MsgWaitForMultipleObjects(0, NULL, FALSE, 10000, QS_POSTMESSAGE) == WAIT_TIMEOUT) {
            printf("%s: no message in 10 s\n", label);
            return;
        }
    }
}

/* No message `msg` is waiting now. */
static void expect_none_msg(const char *label, UINT msg)
{
    MSG m;
    if (PeekMessageW(&m, NULL, msg, msg, PM_REMOVE))
        printf("%s: unexpected %s %s\n", label, label_of((SOCKET)m.wParam),
               event_name(WSAGETSELECTEVENT(m.lParam)));
    else
        printf("%s: none\n", label);
}

#define expect(label) expect_msg(label, WM_SOCK)
#define expect_none(label) expect_none_msg(label, WM_SOCK)
#define expect_listener(label) expect_msg(label, WM_LISTEN)
#define expect_none_listener(label) expect_none_msg(label, WM_LISTEN)

int main(void)
{
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    WNDCLASSW wc = {0};
    wc.lpfnWndProc = DefWindowProcW;
    wc.hInstance = GetModuleHandleW(NULL);
    wc.lpszClassName = L"NtrunSocketWindow";
    RegisterClassW(&wc);
    HWND hwnd = CreateWindowExW(0, wc.lpszClassName, NULL, 0, 0, 0, 0, 0, HWND_MESSAGE, NULL,
                                wc.hInstance, NULL);

    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    name(l, "listener");
    struct sockaddr_in a = ws_loopback(0);
    bind(l, (struct sockaddr *)&a, sizeof a);
    listen(l, 8);
    int r = WSAAsyncSelect(l, hwnd, WM_LISTEN, FD_ACCEPT | FD_CLOSE);
    printf("WSAAsyncSelect(listener): %d\n", r);
    expect_none_listener("nothing yet");

    SOCKET c1 = ws_connect_to(ws_port_of(l));
    name(c1, "client1");
    expect_listener("first connection");
    SOCKET c2 = ws_connect_to(ws_port_of(l));
    name(c2, "client2");
    Sleep(100); /* the second connection is queued by now; no message for it before accept */
    expect_none_listener("second connection before accept");
    SOCKET s1 = accept(l, NULL, NULL);
    name(s1, "server1");
    expect_listener("after accept (second one waiting)");
    SOCKET s2 = accept(l, NULL, NULL);
    name(s2, "server2");
    expect_none_listener("after the second accept");

    /* the accepted socket has the listener's selection (FD_ACCEPT|FD_CLOSE, WM_LISTEN): FD_READ
     * is not in it, so data gives no message until it is selected */
    send(c1, "abc", 3, 0);
    ws_wait_readable(s1, 3);
    expect_none_listener("data before selecting FD_READ");
    r = WSAAsyncSelect(s1, hwnd, WM_SOCK, FD_READ | FD_WRITE | FD_CLOSE);
    printf("WSAAsyncSelect(server1): %d\n", r);
    expect("selected with data waiting");
    expect("selected, connected");
    expect_none("then");
    send(c1, "def", 3, 0);
    ws_wait_readable(s1, 6);
    expect_none("more data before recv");
    char buf[16];
    int n = recv(s1, buf, 2, 0);
    printf("recv 2: %d \"%.2s\"\n", n, buf);
    expect("data left after recv");
    n = recv(s1, buf, sizeof buf, 0);
    printf("recv all: %d \"%.*s\"\n", n, n > 0 ? n : 0, buf);
    expect_none("nothing left");
    n = recv(s1, buf, sizeof buf, 0);
    printf("recv empty: %d error %d\n", n, WSAGetLastError());
    u_long zero = 0;
    r = ioctlsocket(s1, FIONBIO, &zero);
    printf("ioctlsocket FIONBIO 0 while selected: %d error %d\n", r, WSAGetLastError());

    /* a graceful close */
    closesocket(c1);
    expect("peer closed");
    expect_none("then");

    /* lEvent 0: no more messages */
    r = WSAAsyncSelect(s2, hwnd, WM_SOCK, FD_READ);
    printf("WSAAsyncSelect(server2, FD_READ): %d\n", r);
    r = WSAAsyncSelect(s2, hwnd, 0, 0);
    printf("WSAAsyncSelect(server2, 0): %d\n", r);
    send(c2, "x", 1, 0);
    ws_wait_readable(s2, 1);
    expect_none("after lEvent 0");
    r = ioctlsocket(s2, FIONBIO, &zero);
    printf("ioctlsocket FIONBIO 0 after lEvent 0: %d\n", r);

    /* a non-blocking connect */
    SOCKET c3 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    name(c3, "client3");
    r = WSAAsyncSelect(c3, hwnd, WM_SOCK, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE);
    printf("WSAAsyncSelect(client3): %d\n", r);
    struct sockaddr_in to = ws_loopback(ws_port_of(l));
    r = connect(c3, (struct sockaddr *)&to, sizeof to);
    printf("connect: %d error %d\n", r, WSAGetLastError());
    expect("connected");
    expect("then");
    expect_listener("the listener");
    SOCKET s3 = accept(l, NULL, NULL);
    name(s3, "server3");
    expect_none_listener("accept's re-enabling with none waiting");

    /* refused */
    SOCKET gone = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in ga = ws_loopback(0);
    bind(gone, (struct sockaddr *)&ga, sizeof ga);
    u_short dead = ws_port_of(gone);
    closesocket(gone);
    SOCKET c4 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    name(c4, "client4");
    WSAAsyncSelect(c4, hwnd, WM_SOCK, FD_CONNECT | FD_WRITE | FD_CLOSE);
    to = ws_loopback(dead);
    r = connect(c4, (struct sockaddr *)&to, sizeof to);
    printf("connect to a closed port: %d error %d\n", r, WSAGetLastError());
    expect("refused");

    SetLastError(0xdeadbeef);
    r = WSAAsyncSelect(c4, (HWND)(ULONG_PTR)0x12340, WM_SOCK, FD_READ);
    printf("WSAAsyncSelect bad window: %d error %d\n", r, WSAGetLastError());

    closesocket(c2);
    closesocket(c3);
    closesocket(c4);
    closesocket(s1);
    closesocket(s2);
    closesocket(s3);
    closesocket(l);
    DestroyWindow(hwnd);
    WSACleanup();
    return 0;
}
