/* Overlapped socket I/O through a completion port around the times when nothing is queued on the
 * socket (ntrun watches a socket's readiness only while a request waits on it): data that comes
 * while nothing waits is there for a later WSARecv (done at once); a pending WSARecv completes
 * when data comes, again and again (the watch re-armed each time); a WSASend too big for the
 * socket buffers stays pending until the peer reads, in many partial steps, while a WSARecv is
 * pending on the same socket; a pending WSARecv sees the peer's shutdown (0 bytes); an AFD-style
 * wait through WSAEventSelect and select still see data that came while nothing was queued.
 * Output as on Windows. */
#include <winsock2.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include "ws_loopback.h"

/* One packet from the port within 5 s: its key, bytes and status. */
static void show_packet(HANDLE port, const char *label)
{
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *ov = NULL;
    BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &ov, 5000);
    printf("%s: ok %d key %d bytes %lu error %lu\n", label, ok, (int)key, bytes,
           ok ? 0 : GetLastError());
}

int main(void)
{
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    SOCKET l = ws_listener(), c, s;
    ws_pair(l, &c, &s);
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 7, 0);
    char buf[64];
    OVERLAPPED ov;

    /* 1. data sent while nothing waits on s, then a WSARecv: done at once, its packet queued */
    send(c, "early", 5, 0);
    Sleep(50);
    int r = ws_recv_pending(s, buf, sizeof buf, &ov);
    printf("recv after idle data: %d\n", r);
    show_packet(port, "packet");
    printf("data: %.5s\n", buf);

    /* 2. a pending WSARecv completed by data, ten times in a row */
    int good = 0;
    for (int i = 0; i < 10; i++) {
        r = ws_recv_pending(s, buf, sizeof buf, &ov);
        Sleep(i % 3 == 0 ? 20 : 0);
        char m = (char)('0' + i);
        send(c, &m, 1, 0);
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        OVERLAPPED *got = NULL;
        BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000);
        if (r == WSA_IO_PENDING && ok && got == &ov && bytes == 1 && buf[0] == m)
            good++;
    }
    printf("pending recvs completed by data: %d of 10\n", good);

    /* 3. a WSASend of 16 MB (pending: more than the buffers hold) beside a pending WSARecv;
     * the peer reads it all, then sends one byte */
    static char big[16 << 20];
    memset(big, 'b', sizeof big);
    OVERLAPPED ovs;
    memset(&ovs, 0, sizeof ovs);
    WSABUF bb = {sizeof big, big};
    DWORD sent = 0;
    r = WSASend(s, &bb, 1, &sent, 0, &ovs, NULL);
    int e = r == 0 ? 0 : WSAGetLastError();
    printf("big send accepted: %d\n", e == 0 || e == WSA_IO_PENDING); /* 997 here, 0 allowed */
    r = ws_recv_pending(s, buf, sizeof buf, &ov);
    printf("recv beside it: %d\n", r);
    static char sink[1 << 16];
    long long total = 0;
    while (total < (long long)sizeof big) {
        int n = recv(c, sink, sizeof sink, 0);
        if (n <= 0) {
            printf("peer recv failed: %d %d\n", n, WSAGetLastError());
            break;
        }
        total += n;
    }
    printf("peer read: %lld\n", total);
    send(c, "z", 1, 0);
    for (int i = 0; i < 2; i++) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        OVERLAPPED *got = NULL;
        BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000);
        printf("packet: ok %d %s bytes %lu\n", ok,
               got == &ovs ? "send" : got == &ov ? "recv" : "?", bytes);
    }

    /* 4. a pending WSARecv and the peer's shutdown: 0 bytes */
    r = ws_recv_pending(s, buf, sizeof buf, &ov);
    printf("recv before shutdown: %d\n", r);
    shutdown(c, SD_SEND);
    show_packet(port, "shutdown packet");

    /* 5. another pair: data that came while nothing waited, seen by select, then by
     * WSAEventSelect's FD_READ, then read */
    SOCKET c2, s2;
    ws_pair(l, &c2, &s2);
    send(c2, "seen", 4, 0);
    Sleep(50);
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(s2, &rd);
    struct timeval tv = {2, 0};
    printf("select: %d\n", select(0, &rd, NULL, NULL, &tv));
    WSAEVENT ev = WSACreateEvent();
    WSAEventSelect(s2, ev, FD_READ);
    printf("event: %lu\n", WaitForSingleObject(ev, 2000));
    WSANETWORKEVENTS ne;
    WSAEnumNetworkEvents(s2, ev, &ne);
    printf("network events: %ld\n", ne.lNetworkEvents);
    printf("recv: %d\n", recv(s2, buf, sizeof buf, 0));

    closesocket(c2);
    closesocket(s2);
    WSACloseEvent(ev);
    closesocket(c);
    closesocket(s);
    closesocket(l);
    CloseHandle(port);
    WSACleanup();
    return 0;
}
