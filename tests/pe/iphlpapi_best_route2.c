/* GetBestRoute2 on the loopback (c-ares, Node.js's DNS resolver, ranks DNS servers by the
 * metric of the route to them): the route to 127.0.0.1 is the loopback interface's on-link host
 * route (127.0.0.1/32, no next hop, metric 256, Loopback set), 127.1.2.3 takes 127.0.0.0/8 and
 * ::1 ::1/128; the interface is the one GetBestInterface names and its LUID the one
 * GetAdaptersAddresses gives, also when asked through that LUID or its index; the source is
 * 127.0.0.1 (::1). A sockaddr_in of 16 bytes ending a page is enough for an IPv4 destination.
 * The route to one of the host's own addresses is a host route on that address's interface.
 * A NULL destination, route or source pointer or a family that is neither AF_INET nor AF_INET6
 * is ERROR_INVALID_PARAMETER, a LUID or index no interface has ERROR_FILE_NOT_FOUND (Microsoft's
 * page; Wine 8.0 answers ERROR_NOT_SUPPORTED to everything valid: a stub). */
#include <winsock2.h>
#include <ws2ipdef.h>
#include <iphlpapi.h>
#include <netioapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static IP_ADAPTER_ADDRESSES *adapters;

static const char *show_addr(const SOCKADDR_INET *sa, char *buf)
{
    if (sa->si_family == AF_INET) {
        const unsigned char *b = (const unsigned char *)&sa->Ipv4.sin_addr;
        sprintf(buf, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    } else if (sa->si_family == AF_INET6) {
        const unsigned char *b = sa->Ipv6.sin6_addr.s6_addr;
        int zero = 1;
        for (int i = 0; i < 15; i++)
            zero &= b[i] == 0;
        if (zero && b[15])
            sprintf(buf, "::%u", b[15]);
        else if (zero)
            sprintf(buf, "::");
        else
            sprintf(buf, "(an IPv6 address)");
    } else {
        sprintf(buf, "(family %u)", sa->si_family);
    }
    return buf;
}

static IP_ADAPTER_ADDRESSES *loopback(void)
{
    for (IP_ADAPTER_ADDRESSES *a = adapters; a; a = a->Next)
        if (a->IfType == IF_TYPE_SOFTWARE_LOOPBACK)
            return a;
    return NULL;
}

static void show(const char *what, NET_LUID *luid, NET_IFINDEX index, const SOCKADDR_INET *dest)
{
    SOCKADDR_INET src;
    MIB_IPFORWARD_ROW2 row;
    char b1[48], b2[48], b3[48];
    memset(&row, 0xcc, sizeof row);
    DWORD r = GetBestRoute2(luid, index, NULL, dest, 0, &row, &src);
    if (r) {
        printf("%s: %lu, row untouched %d\n", what, r, row.Metric == 0xccccccccu);
        return;
    }
    IP_ADAPTER_ADDRESSES *lo = loopback();
    printf("%s: 0, prefix %s/%u, next hop %s, metric %lu, loopback %d, protocol %d\n", what,
           show_addr(&row.DestinationPrefix.Prefix, b1), row.DestinationPrefix.PrefixLength,
           show_addr(&row.NextHop, b2), row.Metric, row.Loopback, (int)row.Protocol);
    printf("  the loopback's index %d and LUID %d, lifetimes infinite %d, source %s\n",
           lo && row.InterfaceIndex == lo->IfIndex, lo && row.InterfaceLuid.Value == lo->Luid.Value,
           row.ValidLifetime == 0xffffffffu && row.PreferredLifetime == 0xffffffffu,
           show_addr(&src, b3));
}

static SOCKADDR_INET v4(const char *text)
{
    SOCKADDR_INET sa;
    memset(&sa, 0, sizeof sa);
    sa.Ipv4.sin_family = AF_INET;
    sa.Ipv4.sin_addr.s_addr = inet_addr(text);
    return sa;
}

int main(void)
{
    ULONG size = 0;
    GetAdaptersAddresses(AF_UNSPEC, 0, NULL, NULL, &size);
    adapters = malloc(size);
    if (GetAdaptersAddresses(AF_UNSPEC, 0, NULL, adapters, &size) != 0 || !loopback()) {
        printf("GetAdaptersAddresses failed\n");
        return 1;
    }
    SOCKADDR_INET d = v4("127.0.0.1");
    show("127.0.0.1", NULL, 0, &d);
    DWORD index = 0;
    printf("  GetBestInterface agrees: %d\n",
           GetBestInterface(d.Ipv4.sin_addr.s_addr, &index) == 0 && index == loopback()->IfIndex);
    d = v4("127.1.2.3");
    show("127.1.2.3", NULL, 0, &d);
    SOCKADDR_INET d6;
    memset(&d6, 0, sizeof d6);
    d6.Ipv6.sin6_family = AF_INET6;
    d6.Ipv6.sin6_addr.s6_addr[15] = 1;
    show("::1", NULL, 0, &d6);

    NET_LUID lo = loopback()->Luid;
    d = v4("127.0.0.1");
    show("127.0.0.1 through the loopback's LUID", &lo, 0, &d);
    show("127.0.0.1 through the loopback's index", NULL, loopback()->IfIndex, &d);
    NET_LUID bogus = {.Value = 0x0123456789abcdefull};
    show("a LUID no interface has", &bogus, 0, &d);
    show("an index no interface has", NULL, 0x7ffffff0, &d);

    /* a sockaddr_in (16 bytes) at the end of a page, as c-ares passes one */
    unsigned char *pages = VirtualAlloc(NULL, 8192, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    DWORD old;
    VirtualProtect(pages + 4096, 4096, PAGE_NOACCESS, &old);
    struct sockaddr_in *tail = (struct sockaddr_in *)(pages + 4096 - sizeof(struct sockaddr_in));
    memset(tail, 0, sizeof *tail);
    tail->sin_family = AF_INET;
    tail->sin_addr.s_addr = inet_addr("127.0.0.1");
    show("a sockaddr_in ending a page", NULL, 0, (SOCKADDR_INET *)tail);

    /* the host's own IPv4 addresses: a host route on their own interface */
    int own = 0, own_ok = 0;
    for (IP_ADAPTER_ADDRESSES *a = adapters; a; a = a->Next) {
        if (a->IfType == IF_TYPE_SOFTWARE_LOOPBACK)
            continue;
        for (IP_ADAPTER_UNICAST_ADDRESS *u = a->FirstUnicastAddress; u; u = u->Next) {
            if (u->Address.lpSockaddr->sa_family != AF_INET)
                continue;
            SOCKADDR_INET dest, src;
            MIB_IPFORWARD_ROW2 row;
            memset(&dest, 0, sizeof dest);
            memcpy(&dest.Ipv4, u->Address.lpSockaddr, sizeof dest.Ipv4);
            own++;
            own_ok += GetBestRoute2(NULL, 0, NULL, &dest, 0, &row, &src) == 0 &&
                      row.InterfaceLuid.Value == a->Luid.Value &&
                      row.DestinationPrefix.PrefixLength == 32 &&
                      row.DestinationPrefix.Prefix.Ipv4.sin_addr.s_addr ==
                          dest.Ipv4.sin_addr.s_addr &&
                      src.Ipv4.sin_addr.s_addr == dest.Ipv4.sin_addr.s_addr;
        }
    }
    printf("the host's own addresses: host routes on their interfaces %d\n", own_ok == own);

    SOCKADDR_INET src;
    MIB_IPFORWARD_ROW2 row;
    d = v4("127.0.0.1");
    printf("NULL destination: %lu\n", GetBestRoute2(NULL, 0, NULL, NULL, 0, &row, &src));
    printf("NULL route: %lu\n", GetBestRoute2(NULL, 0, NULL, &d, 0, NULL, &src));
    printf("NULL source: %lu\n", GetBestRoute2(NULL, 0, NULL, &d, 0, &row, NULL));
    d.si_family = AF_UNSPEC;
    printf("AF_UNSPEC: %lu\n", GetBestRoute2(NULL, 0, NULL, &d, 0, &row, &src));
    free(adapters);
    return 0;
}
