/* Out-of-band data on a loopback TCP connection:
 *  - send(MSG_OOB) signals FD_OOB (with FD_READ for the normal data before it) to
 *    WSAEventSelect; recv(MSG_OOB) reads the urgent byte, normal recv the rest;
 *  - ioctlsocket(SIOCATMARK) is TRUE while no OOB data waits and FALSE while it does, with and
 *    without SO_OOBINLINE (inline, the urgent byte comes with the normal data).
 * The short sleeps only let the loopback data arrive. Output as on Windows (SIOCATMARK as
 * documented: TRUE when no OOB data is waiting to be read). Wine 8.0 differs: its SIOCATMARK
 * stays TRUE while OOB data waits (inline or not). */
#include <winsock2.h>
#include <stdio.h>

static SOCKET pair(SOCKET *c)
{
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int len = sizeof a;
    if (bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 1) ||
        getsockname(l, (struct sockaddr *)&a, &len))
        printf("listen failed: %d\n", WSAGetLastError());
    *c = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(*c, (struct sockaddr *)&a, sizeof a))
        printf("connect failed: %d\n", WSAGetLastError());
    SOCKET s = accept(l, NULL, NULL);
    closesocket(l);
    return s;
}

static unsigned long atmark(SOCKET s)
{
    u_long mark = 7;
    if (ioctlsocket(s, SIOCATMARK, &mark))
        printf("SIOCATMARK failed: %d\n", WSAGetLastError());
    return mark;
}

/* Reads until n bytes came (or an error), printing them together. */
static void read_all(const char *what, SOCKET s, int n)
{
    char b[16];
    int got = 0;
    while (got < n) {
        int r = recv(s, b + got, n - got, 0);
        if (r <= 0) {
            printf("%s: recv %d error %d\n", what, r, WSAGetLastError());
            return;
        }
        got += r;
    }
    printf("%s: '%.*s'\n", what, got, b);
}

int main(void)
{
    WSADATA wd;
    WSAStartup(MAKEWORD(2, 2), &wd);
    SOCKET c, s = pair(&c);
    WSAEVENT ev = WSACreateEvent();
    printf("WSAEventSelect: %d\n", WSAEventSelect(s, ev, FD_OOB | FD_READ));
    WSANETWORKEVENTS ne;
    WSAEnumNetworkEvents(s, ev, &ne);
    printf("events at first: %#lx\n", ne.lNetworkEvents);
    printf("atmark, nothing sent: %lu\n", atmark(s));
    int sent = send(c, "ab", 2, 0);
    printf("send: %d, send(MSG_OOB): %d\n", sent, send(c, "x", 1, MSG_OOB));
    printf("wait: %lu\n", WaitForSingleObject(ev, 5000));
    Sleep(100);
    WSAEnumNetworkEvents(s, ev, &ne);
    printf("events: %#lx, FD_OOB error %d\n", ne.lNetworkEvents, ne.iErrorCode[FD_OOB_BIT]);
    printf("atmark, OOB waiting: %lu\n", atmark(s));
    char b[8] = {0};
    int r = recv(s, b, sizeof b, MSG_OOB);
    printf("recv(MSG_OOB): %d '%.*s'\n", r, r > 0 ? r : 0, b);
    printf("atmark, OOB read: %lu\n", atmark(s));
    read_all("normal data", s, 2);
    WSAEventSelect(s, NULL, 0);
    closesocket(s);
    closesocket(c);

    s = pair(&c);
    BOOL on = TRUE;
    printf("SO_OOBINLINE: %d\n", setsockopt(s, SOL_SOCKET, SO_OOBINLINE, (char *)&on, sizeof on));
    printf("atmark inline, nothing sent: %lu\n", atmark(s));
    send(c, "ab", 2, 0);
    send(c, "y", 1, MSG_OOB);
    send(c, "z", 1, 0);
    Sleep(100);
    printf("atmark inline, OOB waiting: %lu\n", atmark(s));
    read_all("inline data", s, 4);
    printf("atmark inline, all read: %lu\n", atmark(s));
    closesocket(s);
    closesocket(c);
    WSACleanup();
    return 0;
}
