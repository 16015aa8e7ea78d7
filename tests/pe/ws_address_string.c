/* WSAAddressToStringW/A, as ipconfig prints its addresses: IPv4 without and with a port, IPv6
 * (the loopback, an address with a scope id, one with a port in brackets), the length protocol
 * (a buffer one short gets WSAEFAULT and the length needed, with the NUL), a NULL length
 * (WSAEFAULT), a family that is neither (WSAEINVAL), a sockaddr shorter than its family's
 * (WSAEINVAL). Printed alike by Wine 8.0. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>

static void show(const char *what, const void *sa, int salen)
{
    WCHAR buf[64];
    DWORD len = 64;
    int r = WSAAddressToStringW((SOCKADDR *)sa, salen, NULL, buf, &len);
    if (r)
        printf("%s: %d error %d len %lu\n", what, r, WSAGetLastError(), (unsigned long)len);
    else
        printf("%s: %ls (len %lu)\n", what, buf, (unsigned long)len);
}

int main(void)
{
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    struct sockaddr_in v4 = {0};
    v4.sin_family = AF_INET;
    v4.sin_addr.s_addr = htonl(0xc0a80102);
    show("IPv4", &v4, sizeof v4);
    v4.sin_port = htons(8080);
    show("IPv4 with a port", &v4, sizeof v4);

    struct sockaddr_in6 v6 = {0};
    v6.sin6_family = AF_INET6;
    v6.sin6_addr.s6_addr[15] = 1;
    show("IPv6 loopback", &v6, sizeof v6);
    v6.sin6_addr.s6_addr[0] = 0xfe;
    v6.sin6_addr.s6_addr[1] = 0x80;
    v6.sin6_addr.s6_addr[15] = 0x2a;
    v6.sin6_scope_id = 7;
    show("IPv6 with a scope", &v6, sizeof v6);
    v6.sin6_port = htons(443);
    show("IPv6 with a port", &v6, sizeof v6);

    char a[64];
    DWORD len = 64;
    v4.sin_port = 0;
    int r = WSAAddressToStringA((SOCKADDR *)&v4, sizeof v4, NULL, a, &len);
    printf("A form: %d %s (len %lu)\n", r, r ? "-" : a, (unsigned long)len);
    len = 11; /* "192.168.1.2" needs 12 with the NUL */
    r = WSAAddressToStringA((SOCKADDR *)&v4, sizeof v4, NULL, a, &len);
    printf("one short: %d error %d len %lu\n", r, WSAGetLastError(), (unsigned long)len);
    r = WSAAddressToStringA((SOCKADDR *)&v4, sizeof v4, NULL, a, NULL);
    printf("NULL length: %d error %d\n", r, WSAGetLastError());
    struct sockaddr other = {0};
    other.sa_family = AF_UNIX;
    show("AF_UNIX", &other, sizeof other);
    show("short IPv4", &v4, 8);
    WSACleanup();
    return 0;
}
