/* Winsock without a network: gethostbyname of a literal address and of localhost, getnameinfo
 * and GetNameInfoW in numeric form (IPv4 and IPv6), with small buffers (WSAEFAULT), a short
 * address (WSAEFAULT) and nothing asked (WSAHOST_NOT_FOUND); UDP over loopback with
 * sendto/recvfrom and WSASendTo/WSARecvFrom (two buffers, the sender's address, a datagram too
 * big for the buffer: WSAEMSGSIZE and the truncated data); WSA events and
 * WSAWaitForMultipleEvents (timeout, signalled, bad count, closed handle). */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    WSADATA wd;
    WSAStartup(MAKEWORD(2, 2), &wd);

    struct hostent *he = gethostbyname("127.0.0.1");
    printf("literal: %s type %d length %d first %s second %p\n", he ? he->h_name : "(null)",
           he ? he->h_addrtype : -1, he ? he->h_length : -1,
           he ? inet_ntoa(*(struct in_addr *)he->h_addr_list[0]) : "-",
           he ? (void *)he->h_addr_list[1] : (void *)1);
    he = gethostbyname("localhost");
    int loop = 0;
    for (int i = 0; he && he->h_addr_list[i]; i++)
        loop |= ((struct in_addr *)he->h_addr_list[i])->s_addr == htonl(INADDR_LOOPBACK);
    printf("localhost: found %d, 127.0.0.1 among its addresses %d\n", he != NULL, loop);

    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(80)};
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    char host[64], serv[16];
    int r = getnameinfo((struct sockaddr *)&sin, sizeof sin, host, sizeof host, serv, sizeof serv,
                        NI_NUMERICHOST | NI_NUMERICSERV);
    printf("getnameinfo: %d %s %s\n", r, host, serv);
    r = getnameinfo((struct sockaddr *)&sin, sizeof sin, host, 4, NULL, 0, NI_NUMERICHOST);
    printf("small host buffer: %d last error %d\n", r, WSAGetLastError());
    r = getnameinfo((struct sockaddr *)&sin, 4, host, sizeof host, NULL, 0, NI_NUMERICHOST);
    printf("short address: %d\n", r);
    r = getnameinfo((struct sockaddr *)&sin, sizeof sin, NULL, 0, NULL, 0, 0);
    printf("nothing asked: %d\n", r);
    struct sockaddr_in6 s6 = {.sin6_family = AF_INET6, .sin6_port = htons(8080)};
    s6.sin6_addr.s6_addr[15] = 1;
    wchar_t whost[64], wserv[16];
    r = GetNameInfoW((struct sockaddr *)&s6, sizeof s6, whost, 64, wserv, 16,
                     NI_NUMERICHOST | NI_NUMERICSERV);
    printf("GetNameInfoW: %d %ls %ls\n", r, whost, wserv);

    /* UDP over loopback */
    SOCKET a = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), b = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in aa = {.sin_family = AF_INET}, ba = {.sin_family = AF_INET};
    aa.sin_addr.s_addr = ba.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(a, (struct sockaddr *)&aa, sizeof aa);
    bind(b, (struct sockaddr *)&ba, sizeof ba);
    int al = sizeof aa, bl = sizeof ba;
    getsockname(a, (struct sockaddr *)&aa, &al);
    getsockname(b, (struct sockaddr *)&ba, &bl);
    r = sendto(a, "hello", 5, 0, (struct sockaddr *)&ba, sizeof ba);
    char buf[64];
    struct sockaddr_in from;
    int fl = sizeof from;
    int n = recvfrom(b, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    printf("sendto %d, recvfrom %d '%.*s', from the sender %d, length %d\n", r, n, n > 0 ? n : 0,
           buf, from.sin_port == aa.sin_port && from.sin_addr.s_addr == aa.sin_addr.s_addr, fl);

    WSABUF out[2] = {{3, "abc"}, {4, "defg"}};
    DWORD sent = 0, got = 0, flags = 0;
    r = WSASendTo(b, out, 2, &sent, 0, (struct sockaddr *)&aa, sizeof aa, NULL, NULL);
    char p1[2], p2[16];
    WSABUF in[2] = {{2, p1}, {16, p2}};
    fl = sizeof from;
    int r2 = WSARecvFrom(a, in, 2, &got, &flags, (struct sockaddr *)&from, &fl, NULL, NULL);
    printf("WSASendTo %d sent %lu, WSARecvFrom %d got %lu '%.2s%.*s' from b %d\n", r, sent, r2,
           got, p1, (int)(got > 2 ? got - 2 : 0), p2, from.sin_port == ba.sin_port);

    sendto(a, "0123456789", 10, 0, (struct sockaddr *)&ba, sizeof ba);
    memset(buf, 0, sizeof buf);
    n = recvfrom(b, buf, 4, 0, NULL, NULL);
    int err = WSAGetLastError();
    printf("too big: %d error %d data '%s'\n", n, err, buf);
    closesocket(a);
    closesocket(b);

    /* events */
    WSAEVENT ev = WSACreateEvent();
    printf("event: %d\n", ev != WSA_INVALID_EVENT);
    DWORD w = WSAWaitForMultipleEvents(1, &ev, FALSE, 0, FALSE);
    printf("not signalled: %lu\n", w);
    WSASetEvent(ev);
    w = WSAWaitForMultipleEvents(1, &ev, FALSE, 0, FALSE);
    printf("signalled: %lu, still (manual reset): %lu\n", w,
           WSAWaitForMultipleEvents(1, &ev, TRUE, 0, FALSE));
    WSAResetEvent(ev);
    printf("reset: %lu\n", WSAWaitForMultipleEvents(1, &ev, FALSE, 0, FALSE));
    w = WSAWaitForMultipleEvents(0, &ev, FALSE, 0, FALSE);
    err = WSAGetLastError();
    printf("no events: 0x%lx error %d\n", w, err);
    printf("close: %d\n", WSACloseEvent(ev));
    BOOL ok = WSACloseEvent(ev);
    err = WSAGetLastError();
    printf("close again: %d error %d\n", ok, err);
    WSACleanup();
    return 0;
}
