/* iphlpapi!GetAdaptersAddresses as Go's net package and Rust crates call it: the size
 * protocol (ERROR_BUFFER_OVERFLOW with the size needed for no buffer and for a buffer one byte
 * short, then success), ERROR_INVALID_PARAMETER for a NULL size and for a family other than
 * AF_UNSPEC/AF_INET/AF_INET6 (as documented; Wine 8.0 does not check it); every adapter and what it points to inside the caller's buffer, Length
 * 0x1c0 / 0x40 / 0x28, a "{GUID}" AdapterName, the Luid's IfType; the loopback adapter as
 * Windows has it (IF_TYPE_SOFTWARE_LOOPBACK, up, no physical address, MTU 0xffffffff,
 * 127.0.0.1/8, with AF_INET no IPv6 address and with AF_INET6 no IPv4 one), its IPv4 prefixes
 * with GAA_FLAG_INCLUDE_PREFIX (subnet, host, broadcast, multicast, all-ones broadcast) and no
 * unicast list with GAA_FLAG_SKIP_UNICAST. Only the loopback is printed: other adapters are
 * the host's. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static BYTE *lo_buf, *hi_buf;

static int inside(const void *p, size_t n)
{
    return (const BYTE *)p >= lo_buf && (const BYTE *)p + n <= hi_buf;
}

static const char *addr_str(const SOCKET_ADDRESS *sa, char *out, size_t n)
{
    if (!sa->lpSockaddr || !inside(sa->lpSockaddr, sa->iSockaddrLength))
        return "(outside)";
    if (sa->lpSockaddr->sa_family == AF_INET && sa->iSockaddrLength == sizeof(struct sockaddr_in)) {
        const BYTE *b = (const BYTE *)&((struct sockaddr_in *)sa->lpSockaddr)->sin_addr;
        snprintf(out, n, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    } else if (sa->lpSockaddr->sa_family == AF_INET6 &&
               sa->iSockaddrLength == sizeof(struct sockaddr_in6)) {
        snprintf(out, n, "(IPv6)");
    } else {
        snprintf(out, n, "(family %d, length %d)", sa->lpSockaddr->sa_family, sa->iSockaddrLength);
    }
    return out;
}

static IP_ADAPTER_ADDRESSES *query(ULONG family, ULONG flags, ULONG *size_out)
{
    ULONG size = 0;
    ULONG r = GetAdaptersAddresses(family, flags, NULL, NULL, &size);
    if (r != ERROR_BUFFER_OVERFLOW || size < sizeof(IP_ADAPTER_ADDRESSES)) {
        printf("size query: %lu, size %lu\n", r, size);
        exit(1);
    }
    ULONG need = size;
    BYTE *buf = malloc(need + 64);
    size = need - 1;
    r = GetAdaptersAddresses(family, flags, NULL, (IP_ADAPTER_ADDRESSES *)buf, &size);
    if (r != ERROR_BUFFER_OVERFLOW || size != need) {
        printf("one byte short: %lu, size %lu of %lu\n", r, size, need);
        exit(1);
    }
    size = need;
    r = GetAdaptersAddresses(family, flags, NULL, (IP_ADAPTER_ADDRESSES *)buf, &size);
    if (r != NO_ERROR) {
        printf("query: %lu\n", r);
        exit(1);
    }
    lo_buf = buf;
    hi_buf = buf + need;
    *size_out = need;
    return (IP_ADAPTER_ADDRESSES *)buf;
}

/* checks every adapter; returns the loopback one */
static IP_ADAPTER_ADDRESSES *walk(IP_ADAPTER_ADDRESSES *a, ULONG family, int *bad)
{
    IP_ADAPTER_ADDRESSES *lo = NULL;
    for (; a; a = a->Next) {
        if (!inside(a, sizeof *a) || a->Length != sizeof *a) {
            printf("adapter outside the buffer or Length %lu\n", a->Length);
            *bad = 1;
            return NULL;
        }
        if (!inside(a->AdapterName, 39) || a->AdapterName[0] != '{' ||
            strlen(a->AdapterName) != 38 || a->AdapterName[37] != '}')
            *bad = 1;
        if (!inside(a->FriendlyName, 2) || !inside(a->Description, 2) ||
            !inside(a->DnsSuffix, 2))
            *bad = 1;
        if (a->Luid.Info.IfType != a->IfType || !a->Luid.Info.NetLuidIndex)
            *bad = 1;
        for (IP_ADAPTER_UNICAST_ADDRESS *u = a->FirstUnicastAddress; u; u = u->Next) {
            if (!inside(u, sizeof *u) || u->Length != sizeof *u ||
                !inside(u->Address.lpSockaddr, u->Address.iSockaddrLength))
                *bad = 1;
            int fam = u->Address.lpSockaddr->sa_family;
            if ((family == AF_INET && fam != AF_INET) || (family == AF_INET6 && fam != AF_INET6))
                *bad = 2;
        }
        for (IP_ADAPTER_DNS_SERVER_ADDRESS *d = a->FirstDnsServerAddress; d; d = d->Next)
            if (!inside(d, sizeof *d) || !inside(d->Address.lpSockaddr, d->Address.iSockaddrLength))
                *bad = 1;
        for (IP_ADAPTER_PREFIX *p = a->FirstPrefix; p; p = p->Next)
            if (!inside(p, sizeof *p) || p->Length != sizeof *p)
                *bad = 1;
        if (a->IfType == IF_TYPE_SOFTWARE_LOOPBACK && !lo)
            lo = a;
    }
    return lo;
}

int main(void)
{
    ULONG size = 1000;
    printf("NULL size: %lu\n", GetAdaptersAddresses(AF_UNSPEC, 0, NULL, NULL, NULL));
    printf("family 99: %lu\n", GetAdaptersAddresses(99, 0, NULL, NULL, &size));
    printf("sizes: adapter %zu, unicast %zu, prefix %zu\n", sizeof(IP_ADAPTER_ADDRESSES),
           sizeof(IP_ADAPTER_UNICAST_ADDRESS), sizeof(IP_ADAPTER_PREFIX));

    int bad = 0;
    ULONG need;
    IP_ADAPTER_ADDRESSES *all = query(AF_UNSPEC, GAA_FLAG_INCLUDE_PREFIX | GAA_FLAG_INCLUDE_GATEWAYS,
                                      &need);
    IP_ADAPTER_ADDRESSES *lo = walk(all, AF_UNSPEC, &bad);
    printf("AF_UNSPEC: every adapter well formed %d, loopback found %d\n", !bad, lo != NULL);
    if (!lo)
        return 1;
    char s[64];
    printf("loopback: %ls / %ls, type %lu, oper %d, mtu %lx, physical length %lu, "
           "ipv4 index = IfIndex %d\n",
           lo->FriendlyName, lo->Description, lo->IfType, lo->OperStatus, lo->Mtu,
           lo->PhysicalAddressLength, lo->IfIndex != 0);
    free(all);

    all = query(AF_INET, GAA_FLAG_INCLUDE_PREFIX, &need);
    bad = 0;
    lo = walk(all, AF_INET, &bad);
    printf("AF_INET: well formed %d, only IPv4 addresses %d\n", bad != 1, bad != 2);
    IP_ADAPTER_UNICAST_ADDRESS *u = lo->FirstUnicastAddress;
    printf("loopback unicast: %s/%u, origin %d/%d, dad %d, valid %lx\n",
           addr_str(&u->Address, s, sizeof s), u->OnLinkPrefixLength, u->PrefixOrigin,
           u->SuffixOrigin, u->DadState, u->ValidLifetime);
    printf("loopback prefixes:");
    for (IP_ADAPTER_PREFIX *p = lo->FirstPrefix; p; p = p->Next)
        printf(" %s/%lu", addr_str(&p->Address, s, sizeof s), p->PrefixLength);
    printf("\n");
    free(all);

    all = query(AF_INET6, 0, &need);
    bad = 0;
    lo = walk(all, AF_INET6, &bad);
    printf("AF_INET6: well formed %d, only IPv6 addresses %d\n", bad != 1, bad != 2);
    free(all);

    all = query(AF_UNSPEC, GAA_FLAG_SKIP_UNICAST | GAA_FLAG_SKIP_DNS_SERVER, &need);
    bad = 0;
    lo = walk(all, AF_UNSPEC, &bad);
    int none = 1;
    for (IP_ADAPTER_ADDRESSES *a = all; a; a = a->Next)
        if (a->FirstUnicastAddress || a->FirstDnsServerAddress || a->FirstPrefix)
            none = 0;
    printf("SKIP_UNICAST|SKIP_DNS_SERVER: no unicast, DNS or prefix list %d\n", none);
    free(all);
    return 0;
}
