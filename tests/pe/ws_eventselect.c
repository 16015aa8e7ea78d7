/* WSAEventSelect and WSAEnumNetworkEvents over loopback: FD_ACCEPT re-armed by accept, an
 * accepted socket inheriting the listener's selection, FD_WRITE at once on a connected socket
 * and again only after a send that would block, FD_READ re-armed by recv (data left over
 * records it again), FD_CLOSE after a graceful close (error 0) and after a reset
 * (WSAECONNRESET), FD_CONNECT for a non-blocking connect (0, and WSAECONNREFUSED), the socket
 * made non-blocking (ioctlsocket cannot make it blocking until lNetworkEvents is 0), the event
 * seen by WaitForSingleObject and WSAWaitForMultipleEvents. Output as on Windows. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#include <string.h>
#include "ws_loopback.h"

/* Waits (up to 10 s) for the event, then reads the record. */
static void show_events(const char *label, SOCKET s, WSAEVENT ev, long want_mask)
{
    DWORD w = WSAWaitForMultipleEvents(1, &ev, FALSE, 10000, FALSE);
    WSANETWORKEVENTS ne;
    memset(&ne, 0xcc, sizeof ne);
    int r = WSAEnumNetworkEvents(s, ev, &ne);
    printf("%s: wait %lu enum %d events 0x%lx", label, w, r, ne.lNetworkEvents & want_mask);
    for (int i = 0; i < FD_MAX_EVENTS; i++)
        if (ne.lNetworkEvents & want_mask & (1 << i))
            printf(" err[%d]=%d", i, ne.iErrorCode[i]);
    printf(" signalled-after %d\n", WaitForSingleObject(ev, 0) == WAIT_OBJECT_0);
}

/* The record without waiting. */
static void show_now(const char *label, SOCKET s, WSAEVENT ev)
{
    int sig = WaitForSingleObject(ev, 0) == WAIT_OBJECT_0;
    WSANETWORKEVENTS ne;
    memset(&ne, 0xcc, sizeof ne);
    int r = WSAEnumNetworkEvents(s, NULL, &ne);
    printf("%s: signalled %d enum %d events 0x%lx\n", label, sig, r, ne.lNetworkEvents);
}

int main(void)
{
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    setvbuf(stdout, NULL, _IONBF, 0);

    /* ---- errors ---- */
    WSAEVENT ev = WSACreateEvent();
    int r = WSAEventSelect((SOCKET)0x1234, ev, FD_READ);
    printf("not a socket: %d %d\n", r, WSAGetLastError());

    /* ---- FD_ACCEPT ---- */
    SOCKET l = ws_listener();
    u_short port = ws_port_of(l);
    printf("select listener: %d\n", WSAEventSelect(l, ev, FD_ACCEPT | FD_CLOSE));
    show_now("idle listener", l, ev);
    SOCKET c1 = ws_connect_to(port);
    show_events("first connection", l, ev, FD_ALL_EVENTS);
    SOCKET c2 = ws_connect_to(port);
    Sleep(100);
    show_now("second connection, no accept yet", l, ev);
    SOCKET a1 = accept(l, NULL, NULL);
    printf("accept: %d\n", a1 != INVALID_SOCKET);
    show_events("after accept (one pending)", l, ev, FD_ALL_EVENTS);
    SOCKET a2 = accept(l, NULL, NULL);
    printf("accept: %d\n", a2 != INVALID_SOCKET);
    show_now("nothing pending", l, ev);
    r = accept(l, NULL, NULL) == INVALID_SOCKET;
    printf("accept non-blocking: %d %d\n", r, WSAGetLastError());

    /* the accepted socket has the listener's selection: non-blocking, cannot be made blocking */
    u_long nb = 0;
    r = ioctlsocket(a1, FIONBIO, &nb);
    printf("accepted FIONBIO 0: %d %d\n", r, WSAGetLastError());

    /* ---- FD_WRITE, FD_READ ---- */
    WSAEVENT ev2 = WSACreateEvent();
    printf("select a1: %d\n", WSAEventSelect(a1, ev2, FD_READ | FD_WRITE | FD_CLOSE));
    show_events("connected", a1, ev2, FD_ALL_EVENTS);
    char buf[64];
    r = recv(a1, buf, sizeof buf, 0);
    printf("recv nothing: %d %d\n", r, WSAGetLastError());
    show_now("after empty recv", a1, ev2);
    send(c1, "hello", 5, 0);
    show_events("data", a1, ev2, FD_ALL_EVENTS);
    send(c1, "world", 5, 0);
    ws_wait_readable(a1, 10);
    show_now("more data, no recv yet", a1, ev2);
    r = recv(a1, buf, 3, 0);
    printf("recv 3: %d %.3s\n", r, buf);
    show_events("data left", a1, ev2, FD_ALL_EVENTS);
    r = recv(a1, buf, sizeof buf, 0);
    printf("recv rest: %d %.7s\n", r, buf);
    show_now("all read", a1, ev2);
    HANDLE both[2] = {ev, ev2};
    printf("wait both: %lu\n", WSAWaitForMultipleEvents(2, both, FALSE, 0, FALSE));

    /* FD_WRITE again only after a send that would block */
    static char big[65536];
    long total = 0;
    int blocked = 0;
    for (int i = 0; i < 10000; i++) {
        int n = send(a1, big, sizeof big, 0);
        if (n < 0) {
            blocked = WSAGetLastError();
            break;
        }
        total += n;
    }
    printf("send until full: %d\n", blocked);
    show_now("full", a1, ev2);
    long got = 0;
    while (got < total) {
        int n = recv(c1, big, sizeof big, 0);
        if (n <= 0)
            break;
        got += n;
    }
    printf("drained: %d\n", got == total);
    show_events("room again", a1, ev2, FD_WRITE);

    /* ---- FD_CLOSE ---- */
    shutdown(c1, SD_SEND);
    show_events("peer shut down", a1, ev2, FD_CLOSE);
    r = recv(a1, buf, sizeof buf, 0);
    printf("recv at end: %d\n", r);
    closesocket(c1);
    closesocket(a1);

    WSAEventSelect(a2, ev2, FD_CLOSE);
    struct linger lg = {1, 0};
    setsockopt(c2, SOL_SOCKET, SO_LINGER, (char *)&lg, sizeof lg);
    closesocket(c2);
    show_events("peer reset", a2, ev2, FD_CLOSE);
    r = recv(a2, buf, sizeof buf, 0);
    printf("recv after reset: %d %d\n", r, WSAGetLastError());
    closesocket(a2);

    /* ---- FD_CONNECT ---- */
    SOCKET c3 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAEVENT ev3 = WSACreateEvent();
    printf("select c3: %d\n", WSAEventSelect(c3, ev3, FD_CONNECT | FD_WRITE));
    show_now("unconnected", c3, ev3);
    struct sockaddr_in to = ws_loopback(port);
    r = connect(c3, (struct sockaddr *)&to, sizeof to);
    printf("connect: %d %d\n", r, WSAGetLastError());
    long seen = 0;
    for (int i = 0; i < 2 && seen != (FD_CONNECT | FD_WRITE); i++) {
        WSANETWORKEVENTS ne;
        WaitForSingleObject(ev3, 10000);
        WSAEnumNetworkEvents(c3, ev3, &ne);
        if (ne.lNetworkEvents & FD_CONNECT)
            printf("FD_CONNECT err %d\n", ne.iErrorCode[FD_CONNECT_BIT]);
        seen |= ne.lNetworkEvents;
    }
    printf("connect events: 0x%lx\n", seen);
    SOCKET a3 = accept(l, NULL, NULL);
    /* back to blocking: lNetworkEvents 0 first */
    r = ioctlsocket(c3, FIONBIO, &nb);
    printf("FIONBIO 0 while selected: %d %d\n", r, WSAGetLastError());
    printf("deselect: %d\n", WSAEventSelect(c3, NULL, 0));
    r = ioctlsocket(c3, FIONBIO, &nb);
    printf("FIONBIO 0 after: %d\n", r);
    send(a3, "x", 1, 0);
    r = recv(c3, buf, sizeof buf, 0); /* blocking again */
    printf("blocking recv: %d\n", r);
    closesocket(a3);
    closesocket(c3);

    /* refused: nothing listens on the port any more */
    closesocket(l);
    SOCKET c4 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAEventSelect(c4, ev3, FD_CONNECT | FD_CLOSE);
    r = connect(c4, (struct sockaddr *)&to, sizeof to);
    printf("connect refused: %d %d\n", r, WSAGetLastError());
    show_events("refused", c4, ev3, FD_ALL_EVENTS);
    closesocket(c4);

    WSACloseEvent(ev);
    WSACloseEvent(ev2);
    WSACloseEvent(ev3);
    WSACleanup();
    return 0;
}
