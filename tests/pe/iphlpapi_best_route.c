/* GetBestRoute, the IPv4 form of before Vista (a MIB_IPFORWARDROW), on the loopback: the route
 * to 127.0.0.1 is the loopback's on-link host route (127.0.0.1/255.255.255.255, DIRECT, LOCAL,
 * its next hop the interface's own address), 127.1.2.3 takes 127.0.0.0/255.0.0.0; the interface
 * is GetBestInterface's and GetBestRoute2's, Metric1 GetBestRoute2's Metric plus the interface
 * metric (`route print`'s 331 for 127.0.0.1), Metric2-5 unused (-1). A source address that is
 * one of the host's own keeps the route on its interface. A NULL row is
 * ERROR_INVALID_PARAMETER. Wine 8.0 answers with its default route (0.0.0.0/0 through the
 * gateway, Metric1 0, Metric2-5 0) for the loopback too, and its GetBestRoute2 is a stub. */
#include <winsock2.h>
#include <ws2ipdef.h>
#include <iphlpapi.h>
#include <netioapi.h>
#include <stdio.h>
#include <string.h>

static const char *dotted(DWORD a, char *buf)
{
    const unsigned char *b = (const unsigned char *)&a;
    sprintf(buf, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    return buf;
}

static void show(const char *what, const char *dest, const char *src)
{
    MIB_IPFORWARDROW row;
    char b1[20], b2[20], b3[20];
    memset(&row, 0xcc, sizeof row);
    DWORD d = inet_addr(dest);
    DWORD r = GetBestRoute(d, src ? inet_addr(src) : 0, &row);
    if (r) {
        printf("%s: %lu, row untouched %d\n", what, r, row.dwForwardMetric1 == 0xccccccccu);
        return;
    }
    DWORD best = 0;
    GetBestInterface(d, &best);
    SOCKADDR_INET sa, bsrc;
    MIB_IPFORWARD_ROW2 row2;
    memset(&sa, 0, sizeof sa);
    sa.Ipv4.sin_family = AF_INET;
    sa.Ipv4.sin_addr.s_addr = d;
    DWORD r2 = GetBestRoute2(NULL, 0, NULL, &sa, 0, &row2, &bsrc);
    printf("%s: %s/%s via %s, GetBestInterface's %d, type %lu proto %lu policy %lu as %lu\n", what,
           dotted(row.dwForwardDest, b1), dotted(row.dwForwardMask, b2),
           dotted(row.dwForwardNextHop, b3), row.dwForwardIfIndex == best, row.dwForwardType,
           row.dwForwardProto, row.dwForwardPolicy, row.dwForwardNextHopAS);
    printf("  metric1 %lu, 2-5 unused %d; GetBestRoute2 %lu: same interface %d, metric + 75 %d\n",
           row.dwForwardMetric1,
           row.dwForwardMetric2 == (DWORD)-1 && row.dwForwardMetric3 == (DWORD)-1 &&
               row.dwForwardMetric4 == (DWORD)-1 && row.dwForwardMetric5 == (DWORD)-1,
           r2, r2 == 0 && row2.InterfaceIndex == row.dwForwardIfIndex,
           r2 == 0 && row2.Metric + 75 == row.dwForwardMetric1);
}

int main(void)
{
    show("127.0.0.1", "127.0.0.1", NULL);
    show("127.1.2.3", "127.1.2.3", NULL);
    show("127.1.2.3 from 127.0.0.1", "127.1.2.3", "127.0.0.1");
    printf("NULL row: %lu\n", GetBestRoute(inet_addr("127.0.0.1"), 0, NULL));
    return 0;
}
