/* SPDX-License-Identifier: MIT */
/* iphlpapi!GetAdaptersAddresses (and GetIpAddrTable, GetAdaptersInfo, GetNetworkParams at the
 * end) from the host's interfaces: Go's net package (Interfaces, InterfaceAddrs and, on
 * Windows, the DNS configuration of its resolver) and Rust crates (if-addrs, local-ip-address, hickory's system
 * config) call it.
 *
 * Where it comes from: getifaddrs (names, flags, index, MAC and link type, IPv4/IPv6 addresses
 * with their masks), /sys/class/net/NAME/{mtu,speed,wireless}, /etc/resolv.conf (DNS servers and
 * suffix), /proc/net/route and /proc/net/ipv6_route (default gateways). Every adapter and
 * everything it points to (names, sockaddrs, address lists) is laid out in the caller's buffer
 * as Windows does; the lists are built in a native buffer with the pointers already set to the
 * caller's addresses, then copied in one fault-safe copy.
 *
 * Windows' shapes kept: AdapterName a "{GUID}" (here derived from the Linux name, stable across
 * runs), FriendlyName and Description the Linux name (the loopback is "Loopback
 * Pseudo-Interface 1" / "Software Loopback Interface 1", IF_TYPE_SOFTWARE_LOOPBACK, MTU
 * 0xffffffff and multicast-capable as on Windows), the Luid's IfType and index, the zone
 * indices, and with GAA_FLAG_INCLUDE_PREFIX the host, subnet and (IPv4) broadcast prefix of each
 * address, then the multicast and broadcast prefixes of the adapter. DNS servers go on every up,
 * non-loopback adapter (Linux keeps one list). Not listed: multicast group memberships, anycast
 * and WINS addresses, DHCP servers. */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "thunks/iphlpapi/iphlpapi_private.h"
#include "thunks/thunks_private.h"

#define IPH_ERROR_NOACCESS 998u
#define IPH_ERROR_INVALID_PARAMETER 87u
#define IPH_ERROR_NOT_ENOUGH_MEMORY 8u
#define IPH_ERROR_BUFFER_OVERFLOW 111u
#define IPH_ERROR_NO_DATA 232u

#define IPH_WIN_AF_UNSPEC 0u
#define IPH_WIN_AF_INET 2u
#define IPH_WIN_AF_INET6 23u

#define GAA_FLAG_SKIP_UNICAST 0x1u
#define GAA_FLAG_SKIP_DNS_SERVER 0x8u
#define GAA_FLAG_INCLUDE_PREFIX 0x10u
#define GAA_FLAG_SKIP_FRIENDLY_NAME 0x20u
#define GAA_FLAG_INCLUDE_GATEWAYS 0x80u

#define IPH_IF_TYPE_OTHER 1u
#define IPH_IF_TYPE_ETHERNET_CSMACD 6u
#define IPH_IF_TYPE_PPP 23u
#define IPH_IF_TYPE_SOFTWARE_LOOPBACK 24u
#define IPH_IF_TYPE_IEEE80211 71u
#define IPH_IF_TYPE_TUNNEL 131u

#define IPH_ADAPTER_NO_MULTICAST 0x10u
#define IPH_ADAPTER_IPV4_ENABLED 0x80u
#define IPH_ADAPTER_IPV6_ENABLED 0x100u
#define IPH_ADDRESS_DNS_ELIGIBLE 0x1u

/* SOCKET_ADDRESS */
typedef struct {
    uint64_t lpSockaddr;     /* 0x0 */
    int32_t iSockaddrLength; /* 0x8 */
    uint32_t pad;
} iph_socket_address;
_Static_assert(sizeof(iph_socket_address) == 0x10, "SOCKET_ADDRESS");

/* IP_ADAPTER_ADDRESSES_LH (Length 0x1c0 on x64) */
typedef struct {
    uint32_t Length;                 /* 0x000 */
    uint32_t IfIndex;                /* 0x004 */
    uint64_t Next;                   /* 0x008 */
    uint64_t AdapterName;            /* 0x010 char* */
    uint64_t FirstUnicastAddress;    /* 0x018 */
    uint64_t FirstAnycastAddress;    /* 0x020 */
    uint64_t FirstMulticastAddress;  /* 0x028 */
    uint64_t FirstDnsServerAddress;  /* 0x030 */
    uint64_t DnsSuffix;              /* 0x038 WCHAR* */
    uint64_t Description;            /* 0x040 WCHAR* */
    uint64_t FriendlyName;           /* 0x048 WCHAR* */
    uint8_t PhysicalAddress[8];      /* 0x050 */
    uint32_t PhysicalAddressLength;  /* 0x058 */
    uint32_t Flags;                  /* 0x05c */
    uint32_t Mtu;                    /* 0x060 */
    uint32_t IfType;                 /* 0x064 */
    uint32_t OperStatus;             /* 0x068 */
    uint32_t Ipv6IfIndex;            /* 0x06c */
    uint32_t ZoneIndices[16];        /* 0x070 */
    uint64_t FirstPrefix;            /* 0x0b0 */
    uint64_t TransmitLinkSpeed;      /* 0x0b8 */
    uint64_t ReceiveLinkSpeed;       /* 0x0c0 */
    uint64_t FirstWinsServerAddress; /* 0x0c8 */
    uint64_t FirstGatewayAddress;    /* 0x0d0 */
    uint32_t Ipv4Metric;             /* 0x0d8 */
    uint32_t Ipv6Metric;             /* 0x0dc */
    uint64_t Luid;                   /* 0x0e0 */
    iph_socket_address Dhcpv4Server; /* 0x0e8 */
    uint32_t CompartmentId;          /* 0x0f8 */
    uint8_t NetworkGuid[16];         /* 0x0fc */
    uint32_t ConnectionType;         /* 0x10c */
    uint32_t TunnelType;             /* 0x110 */
    uint32_t pad;
    iph_socket_address Dhcpv6Server; /* 0x118 */
    uint8_t Dhcpv6ClientDuid[130];   /* 0x128 */
    uint8_t pad2[2];
    uint32_t Dhcpv6ClientDuidLength; /* 0x1ac */
    uint32_t Dhcpv6Iaid;             /* 0x1b0 */
    uint32_t pad3;
    uint64_t FirstDnsSuffix;         /* 0x1b8 */
} iph_adapter;
_Static_assert(offsetof(iph_adapter, PhysicalAddress) == 0x50, "PhysicalAddress");
_Static_assert(offsetof(iph_adapter, ZoneIndices) == 0x70, "ZoneIndices");
_Static_assert(offsetof(iph_adapter, FirstPrefix) == 0xb0, "FirstPrefix");
_Static_assert(offsetof(iph_adapter, Luid) == 0xe0, "Luid");
_Static_assert(offsetof(iph_adapter, CompartmentId) == 0xf8, "CompartmentId");
_Static_assert(offsetof(iph_adapter, ConnectionType) == 0x10c, "ConnectionType");
_Static_assert(offsetof(iph_adapter, Dhcpv6Server) == 0x118, "Dhcpv6Server");
_Static_assert(offsetof(iph_adapter, Dhcpv6ClientDuidLength) == 0x1ac, "DuidLength");
_Static_assert(offsetof(iph_adapter, FirstDnsSuffix) == 0x1b8, "FirstDnsSuffix");
_Static_assert(sizeof(iph_adapter) == 0x1c0, "IP_ADAPTER_ADDRESSES_LH");

/* IP_ADAPTER_UNICAST_ADDRESS_LH */
typedef struct {
    uint32_t Length;             /* 0x00 */
    uint32_t Flags;              /* 0x04 */
    uint64_t Next;               /* 0x08 */
    iph_socket_address Address;  /* 0x10 */
    uint32_t PrefixOrigin;       /* 0x20 */
    uint32_t SuffixOrigin;       /* 0x24 */
    uint32_t DadState;           /* 0x28 */
    uint32_t ValidLifetime;      /* 0x2c */
    uint32_t PreferredLifetime;  /* 0x30 */
    uint32_t LeaseLifetime;      /* 0x34 */
    uint8_t OnLinkPrefixLength;  /* 0x38 */
    uint8_t pad[7];
} iph_unicast;
_Static_assert(offsetof(iph_unicast, OnLinkPrefixLength) == 0x38, "OnLinkPrefixLength");
_Static_assert(sizeof(iph_unicast) == 0x40, "IP_ADAPTER_UNICAST_ADDRESS_LH");

/* IP_ADAPTER_PREFIX_XP */
typedef struct {
    uint32_t Length;            /* 0x00 */
    uint32_t Flags;             /* 0x04 */
    uint64_t Next;              /* 0x08 */
    iph_socket_address Address; /* 0x10 */
    uint32_t PrefixLength;      /* 0x20 */
    uint32_t pad;
} iph_prefix;
_Static_assert(sizeof(iph_prefix) == 0x28, "IP_ADAPTER_PREFIX_XP");

/* IP_ADAPTER_DNS_SERVER_ADDRESS_XP and IP_ADAPTER_GATEWAY_ADDRESS_LH */
typedef struct {
    uint32_t Length;            /* 0x00 */
    uint32_t Reserved;          /* 0x04 */
    uint64_t Next;              /* 0x08 */
    iph_socket_address Address; /* 0x10 */
} iph_server;
_Static_assert(sizeof(iph_server) == 0x20, "IP_ADAPTER_DNS_SERVER_ADDRESS_XP");

/* ---- what the host says (the types: iphlpapi_private.h) ---- */

static iph_if *iph_find(iph_host *h, const char *name)
{
    for (size_t i = 0; i < h->nifs; i++)
        if (!strcmp(h->ifs[i].name, name))
            return &h->ifs[i];
    iph_if *v = realloc(h->ifs, (h->nifs + 1) * sizeof *v);
    if (!v)
        return NULL;
    h->ifs = v;
    iph_if *f = &v[h->nifs++];
    memset(f, 0, sizeof *f);
    snprintf(f->name, sizeof f->name, "%s", name);
    f->index = if_nametoindex(name);
    f->hatype = -1;
    return f;
}

static unsigned iph_mask_len(const uint8_t *m, size_t n)
{
    unsigned len = 0;
    for (size_t i = 0; i < n; i++)
        len += (unsigned)__builtin_popcount(m[i]);
    return len;
}

long iph_sys_long(const char *name, const char *what, long dflt)
{
    char path[128], buf[64];
    snprintf(path, sizeof path, "/sys/class/net/%s/%s", name, what);
    FILE *f = fopen(path, "re");
    if (!f)
        return dflt;
    long v = dflt;
    if (fgets(buf, sizeof buf, f)) {
        char *end;
        long x = strtol(buf, &end, 10);
        if (end != buf)
            v = x;
    }
    fclose(f);
    return v;
}

static int iph_sys_exists(const char *name, const char *what)
{
    char path[128];
    snprintf(path, sizeof path, "/sys/class/net/%s/%s", name, what);
    return access(path, F_OK) == 0;
}

static void iph_read_resolv(iph_host *h)
{
    FILE *f = fopen("/etc/resolv.conf", "re");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        char key[32], val[256];
        if (sscanf(line, "%31s %255s", key, val) != 2)
            continue;
        if (!strcmp(key, "nameserver") && h->ndns < sizeof h->dns / sizeof h->dns[0]) {
            iph_addr *a = &h->dns[h->ndns];
            char *pct = strchr(val, '%'); /* fe80::1%eth0 */
            if (pct)
                *pct = 0;
            if (inet_pton(AF_INET, val, a->addr) == 1) {
                a->v6 = 0;
                h->ndns++;
            } else if (inet_pton(AF_INET6, val, a->addr) == 1) {
                a->v6 = 1;
                h->ndns++;
            }
        } else if ((!strcmp(key, "search") || !strcmp(key, "domain")) && !h->suffix[0]) {
            snprintf(h->suffix, sizeof h->suffix, "%s", val);
        }
    }
    fclose(f);
}

static void iph_add_gw(iph_host *h, const char *dev, const iph_addr *a)
{
    for (size_t i = 0; i < h->nifs; i++) {
        iph_if *f = &h->ifs[i];
        if (!strcmp(f->name, dev) && f->ngw < sizeof f->gw / sizeof f->gw[0])
            f->gw[f->ngw++] = *a;
    }
}

static void iph_read_routes(iph_host *h)
{
    char line[512];
    FILE *f = fopen("/proc/net/route", "re");
    if (f) {
        /* Iface Destination Gateway Flags ...; addresses are the in_addr's bytes as a host-order
         * hex number */
        while (fgets(line, sizeof line, f)) {
            char dev[IF_NAMESIZE + 1];
            unsigned dst, gw, flags;
            if (sscanf(line, "%16s %x %x %x", dev, &dst, &gw, &flags) != 4)
                continue;
            if (dst != 0 || gw == 0 || !(flags & 0x2)) /* RTF_GATEWAY */
                continue;
            iph_addr a = {.v6 = 0};
            memcpy(a.addr, &gw, 4);
            iph_add_gw(h, dev, &a);
        }
        fclose(f);
    }
    f = fopen("/proc/net/ipv6_route", "re");
    if (f) {
        /* dst dst_len src src_len next_hop metric refcnt use flags dev */
        while (fgets(line, sizeof line, f)) {
            char dst[33], src[33], hop[33], dev[IF_NAMESIZE + 1];
            unsigned dlen, slen, metric, ref, use, flags;
            if (sscanf(line, "%32s %x %32s %x %32s %x %x %x %x %16s", dst, &dlen, src, &slen, hop,
                       &metric, &ref, &use, &flags, dev) != 10)
                continue;
            if (dlen != 0 || !(flags & 0x2) || !strcmp(hop, "00000000000000000000000000000000"))
                continue;
            iph_addr a = {.v6 = 1};
            for (int i = 0; i < 16; i++) {
                unsigned b;
                sscanf(hop + 2 * i, "%2x", &b);
                a.addr[i] = (uint8_t)b;
            }
            iph_add_gw(h, dev, &a);
        }
        fclose(f);
    }
}

static int iph_cmp_index(const void *a, const void *b)
{
    const iph_if *x = a, *y = b;
    return x->index < y->index ? -1 : x->index > y->index;
}

void iph_host_free(iph_host *h)
{
    for (size_t i = 0; i < h->nifs; i++)
        free(h->ifs[i].addrs);
    free(h->ifs);
}

/* 0, or -errno */
int iph_host_read(iph_host *h)
{
    memset(h, 0, sizeof *h);
    struct ifaddrs *list;
    if (getifaddrs(&list) != 0)
        return -1;
    for (struct ifaddrs *e = list; e; e = e->ifa_next) {
        if (!e->ifa_name)
            continue;
        iph_if *f = iph_find(h, e->ifa_name);
        if (!f) {
            freeifaddrs(list);
            iph_host_free(h);
            return -1;
        }
        f->flags = e->ifa_flags;
        if (!e->ifa_addr)
            continue;
        int fam = e->ifa_addr->sa_family;
        if (fam == AF_PACKET) {
            const struct sockaddr_ll *ll = (const void *)e->ifa_addr;
            f->hatype = ll->sll_hatype;
            f->maclen = ll->sll_halen <= 8 ? ll->sll_halen : 8;
            memcpy(f->mac, ll->sll_addr, f->maclen);
        } else if (fam == AF_INET || fam == AF_INET6) {
            iph_addr a = {.v6 = fam == AF_INET6};
            if (fam == AF_INET) {
                memcpy(a.addr, &((const struct sockaddr_in *)e->ifa_addr)->sin_addr, 4);
                a.plen = e->ifa_netmask
                             ? iph_mask_len((const uint8_t *)&((const struct sockaddr_in *)
                                                                   e->ifa_netmask)->sin_addr, 4)
                             : 32;
            } else {
                memcpy(a.addr, &((const struct sockaddr_in6 *)e->ifa_addr)->sin6_addr, 16);
                a.plen = e->ifa_netmask
                             ? iph_mask_len((const uint8_t *)&((const struct sockaddr_in6 *)
                                                                   e->ifa_netmask)->sin6_addr, 16)
                             : 128;
            }
            iph_addr *v = realloc(f->addrs, (f->naddrs + 1) * sizeof *v);
            if (!v) {
                freeifaddrs(list);
                iph_host_free(h);
                return -1;
            }
            f->addrs = v;
            v[f->naddrs++] = a;
        }
    }
    freeifaddrs(list);
    qsort(h->ifs, h->nifs, sizeof *h->ifs, iph_cmp_index);
    iph_read_resolv(h);
    iph_read_routes(h);
    return 0;
}

uint32_t iph_sized_begin(const uint32_t *size_ptr, uint32_t *have, iph_host *h)
{
    if (!size_ptr)
        return IPH_ERROR_INVALID_PARAMETER;
    if (nt_copy_from_user(have, size_ptr, sizeof *have) != 0)
        return IPH_ERROR_NOACCESS;
    if (iph_host_read(h) != 0)
        return IPH_ERROR_NOT_ENOUGH_MEMORY;
    return 0;
}

/* ---- the caller's buffer, built natively ---- */

typedef struct {
    uint8_t *buf;  /* NULL: only measure */
    size_t len;
    uint64_t user; /* the caller's buffer address: pointers are made against it */
} iph_blob;

static size_t iph_alloc(iph_blob *b, size_t n, size_t align)
{
    size_t off = (b->len + align - 1) & ~(align - 1);
    b->len = off + n;
    return off;
}

static void *iph_at(iph_blob *b, size_t off)
{
    return b->buf ? b->buf + off : NULL;
}

static uint64_t iph_ptr(const iph_blob *b, size_t off)
{
    return b->user + off;
}

static uint64_t iph_wstr(iph_blob *b, const char *s)
{
    size_t n = strlen(s);
    size_t off = iph_alloc(b, (n + 1) * 2, 2);
    uint8_t *p = iph_at(b, off);
    if (p)
        for (size_t i = 0; i <= n; i++) {
            p[2 * i] = (uint8_t)s[i]; /* names are ASCII */
            p[2 * i + 1] = 0;
        }
    return iph_ptr(b, off);
}

static uint64_t iph_astr(iph_blob *b, const char *s)
{
    size_t n = strlen(s);
    size_t off = iph_alloc(b, n + 1, 1);
    if (b->buf)
        memcpy(b->buf + off, s, n + 1);
    return iph_ptr(b, off);
}

/* a Windows sockaddr_in / sockaddr_in6 (family 2 / 23) */
static void iph_sockaddr(iph_blob *b, iph_socket_address *out, const iph_addr *a, uint32_t scope)
{
    size_t n = a->v6 ? 28 : 16;
    size_t off = iph_alloc(b, n, 4);
    uint8_t *p = iph_at(b, off);
    if (p) {
        uint16_t fam = a->v6 ? IPH_WIN_AF_INET6 : IPH_WIN_AF_INET;
        memcpy(p, &fam, 2);
        if (a->v6) {
            memcpy(p + 8, a->addr, 16);
            memcpy(p + 24, &scope, 4);
        } else {
            memcpy(p + 4, a->addr, 4);
        }
    }
    if (out) {
        out->lpSockaddr = iph_ptr(b, off);
        out->iSockaddrLength = (int32_t)n;
    }
}

int iph_is_loopback(const iph_if *f)
{
    return (f->flags & IFF_LOOPBACK) || f->hatype == 772; /* ARPHRD_LOOPBACK */
}

static int iph_link_local(const iph_addr *a)
{
    return a->v6 ? (a->addr[0] == 0xfe && (a->addr[1] & 0xc0) == 0x80)
                 : (a->addr[0] == 169 && a->addr[1] == 254);
}

uint64_t iph_luid(const iph_if *f)
{
    return ((uint64_t)iph_if_type(f) << 48) | ((uint64_t)(f->index & 0xffffff) << 24);
}

uint32_t iph_if_type(const iph_if *f)
{
    if (iph_is_loopback(f))
        return IPH_IF_TYPE_SOFTWARE_LOOPBACK;
    switch (f->hatype) {
    case 1: /* ARPHRD_ETHER */
        return iph_sys_exists(f->name, "wireless") ? IPH_IF_TYPE_IEEE80211
                                                   : IPH_IF_TYPE_ETHERNET_CSMACD;
    case 801: /* ARPHRD_IEEE80211 */
        return IPH_IF_TYPE_IEEE80211;
    case 512: /* ARPHRD_PPP */
        return IPH_IF_TYPE_PPP;
    case 768: case 769: case 776: case 778: case 823: case 65534: /* tunnels, tun */
        return IPH_IF_TYPE_TUNNEL;
    default:
        return IPH_IF_TYPE_OTHER;
    }
}

static int iph_family_wanted(uint32_t family, int v6)
{
    return family == IPH_WIN_AF_UNSPEC || (family == IPH_WIN_AF_INET6) == (v6 != 0);
}

/* a generic list node: Length, a second ULONG, Next, then the node's own fields */
static size_t iph_node(iph_blob *b, size_t size, size_t *link)
{
    size_t off = iph_alloc(b, size, 8);
    uint8_t *p = iph_at(b, off);
    if (p) {
        uint32_t len = (uint32_t)size;
        memcpy(p, &len, 4);
        uint64_t v = iph_ptr(b, off);
        memcpy(b->buf + *link, &v, 8); /* the previous node's Next, or the adapter's First... */
    }
    *link = off + 8;
    return off;
}

static void iph_prefix_node(iph_blob *b, size_t *link, const iph_addr *a, unsigned plen,
                            uint32_t scope)
{
    size_t off = iph_node(b, sizeof(iph_prefix), link);
    iph_socket_address sa;
    iph_sockaddr(b, &sa, a, scope);
    iph_prefix *p = iph_at(b, off);
    if (p) {
        p->Address = sa;
        p->PrefixLength = plen;
    }
}

static void iph_prefixes(iph_blob *b, size_t *link, const iph_if *f, uint32_t family)
{
    for (int v6 = 0; v6 <= 1; v6++) {
        if (!iph_family_wanted(family, v6))
            continue;
        int any = 0;
        for (size_t i = 0; i < f->naddrs; i++) {
            const iph_addr *a = &f->addrs[i];
            if (a->v6 != v6)
                continue;
            any = 1;
            unsigned bits = v6 ? 128 : 32;
            iph_addr net = *a, bcast = *a;
            for (unsigned k = a->plen; k < bits; k++) {
                net.addr[k / 8] &= (uint8_t)~(0x80u >> (k % 8));
                bcast.addr[k / 8] |= (uint8_t)(0x80u >> (k % 8));
            }
            uint32_t scope = v6 && iph_link_local(a) ? f->index : 0;
            iph_prefix_node(b, link, &net, a->plen, scope);
            iph_prefix_node(b, link, a, bits, scope);
            if (!v6)
                iph_prefix_node(b, link, &bcast, 32, 0);
        }
        if (!any)
            continue;
        iph_addr mc = {.v6 = v6};
        if (v6) {
            mc.addr[0] = 0xff;
            iph_prefix_node(b, link, &mc, 8, 0);
        } else {
            mc.addr[0] = 224;
            iph_prefix_node(b, link, &mc, 4, 0);
            iph_addr all = {.v6 = 0, .addr = {255, 255, 255, 255}};
            iph_prefix_node(b, link, &all, 32, 0);
        }
    }
}

/* A stable "{GUID}" for an interface name (FNV-1a, two seeds). */
void iph_guid(const char *name, char out[39])
{
    uint64_t h1 = 0xcbf29ce484222325ull, h2 = 0x84222325cbf29ce4ull;
    for (const char *p = name; *p; p++) {
        h1 = (h1 ^ (uint8_t)*p) * 0x100000001b3ull;
        h2 = (h2 ^ (uint8_t)*p) * 0x100000001b3ull;
    }
    h2 = (h2 & ~(0xfull << 60)) | (0x8ull << 60); /* variant bits */
    snprintf(out, 39, "{%08X-%04X-%04X-%04X-%012llX}", (unsigned)(h1 >> 32),
             (unsigned)(h1 >> 16) & 0xffff, (unsigned)(h1 & 0x0fff) | 0x4000,
             (unsigned)(h2 >> 48), (unsigned long long)(h2 & 0xffffffffffffull));
}

static void iph_build(iph_blob *b, const iph_host *h, uint32_t family, uint32_t flags)
{
    size_t link_adapter = (size_t)-1;
    for (size_t n = 0; n < h->nifs; n++) {
        const iph_if *f = &h->ifs[n];
        int lo = iph_is_loopback(f);
        int up = (f->flags & IFF_UP) && (lo || (f->flags & IFF_RUNNING));
        int has4 = 0, has6 = 0;
        for (size_t i = 0; i < f->naddrs; i++)
            *(f->addrs[i].v6 ? &has6 : &has4) = 1;
        uint32_t type = iph_if_type(f);

        size_t off = iph_alloc(b, sizeof(iph_adapter), 8);
        if (b->buf && link_adapter != (size_t)-1) {
            uint64_t v = iph_ptr(b, off);
            memcpy(b->buf + link_adapter, &v, 8);
        }
        link_adapter = off + offsetof(iph_adapter, Next);
        iph_adapter ad;
        memset(&ad, 0, sizeof ad);
        ad.Length = sizeof ad;
        ad.IfIndex = f->index;
        ad.Ipv6IfIndex = has6 ? f->index : 0;
        char guid[39];
        iph_guid(f->name, guid);
        ad.AdapterName = iph_astr(b, guid);
        ad.DnsSuffix = iph_wstr(b, lo ? "" : h->suffix);
        ad.Description = iph_wstr(b, lo ? "Software Loopback Interface 1" : f->name);
        ad.FriendlyName = iph_wstr(b, (flags & GAA_FLAG_SKIP_FRIENDLY_NAME) ? ""
                                      : lo ? "Loopback Pseudo-Interface 1" : f->name);
        if (!lo) {
            memcpy(ad.PhysicalAddress, f->mac, f->maclen);
            ad.PhysicalAddressLength = f->maclen;
        }
        ad.Flags = (has4 ? IPH_ADAPTER_IPV4_ENABLED : 0) | (has6 ? IPH_ADAPTER_IPV6_ENABLED : 0) |
                   (!lo && !(f->flags & IFF_MULTICAST) ? IPH_ADAPTER_NO_MULTICAST : 0);
        long mtu = iph_sys_long(f->name, "mtu", 1500);
        ad.Mtu = lo ? 0xffffffffu : (uint32_t)mtu;
        ad.IfType = type;
        ad.OperStatus = up ? 1 : 2; /* IfOperStatusUp, IfOperStatusDown */
        for (int z = 1; z <= 3; z++) /* interface, link, subnet */
            ad.ZoneIndices[z] = f->index;
        for (int z = 4; z <= 13; z++) /* admin .. organization */
            ad.ZoneIndices[z] = 1;
        long speed = lo ? 0 : iph_sys_long(f->name, "speed", -1); /* Mb/s */
        ad.TransmitLinkSpeed = ad.ReceiveLinkSpeed =
            lo ? 1073741824ull : speed > 0 ? (uint64_t)speed * 1000000u : 0;
        ad.Ipv4Metric = ad.Ipv6Metric = lo ? 75 : 25; /* Windows' automatic metrics */
        ad.Luid = iph_luid(f);
        ad.CompartmentId = 1;
        ad.ConnectionType = 1; /* NET_IF_CONNECTION_DEDICATED */

        size_t link;
        if (!(flags & GAA_FLAG_SKIP_UNICAST)) {
            link = off + offsetof(iph_adapter, FirstUnicastAddress);
            for (size_t i = 0; i < f->naddrs; i++) {
                const iph_addr *a = &f->addrs[i];
                if (!iph_family_wanted(family, a->v6))
                    continue;
                int ll = iph_link_local(a);
                size_t u = iph_node(b, sizeof(iph_unicast), &link);
                iph_socket_address sa;
                iph_sockaddr(b, &sa, a, a->v6 && ll ? f->index : 0);
                iph_unicast *p = iph_at(b, u);
                if (p) {
                    p->Flags = lo || ll ? 0 : IPH_ADDRESS_DNS_ELIGIBLE;
                    p->Address = sa;
                    p->PrefixOrigin = lo || ll ? 2 : 1;                 /* WellKnown, Manual */
                    p->SuffixOrigin = lo ? 2 : ll && a->v6 ? 4 : 1;     /* .., LinkLayerAddress */
                    p->DadState = 4;                                  /* IpDadStatePreferred */
                    p->ValidLifetime = p->PreferredLifetime = p->LeaseLifetime = 0xffffffffu;
                    p->OnLinkPrefixLength = (uint8_t)a->plen;
                }
            }
        }
        if (!(flags & GAA_FLAG_SKIP_DNS_SERVER) && !lo && up) {
            link = off + offsetof(iph_adapter, FirstDnsServerAddress);
            for (size_t i = 0; i < h->ndns; i++) {
                if (!iph_family_wanted(family, h->dns[i].v6))
                    continue;
                size_t s = iph_node(b, sizeof(iph_server), &link);
                iph_socket_address sa;
                iph_sockaddr(b, &sa, &h->dns[i], 0);
                iph_server *p = iph_at(b, s);
                if (p)
                    p->Address = sa;
            }
        }
        if (flags & GAA_FLAG_INCLUDE_PREFIX) {
            link = off + offsetof(iph_adapter, FirstPrefix);
            iph_prefixes(b, &link, f, family);
        }
        if (flags & GAA_FLAG_INCLUDE_GATEWAYS) {
            link = off + offsetof(iph_adapter, FirstGatewayAddress);
            for (size_t i = 0; i < f->ngw; i++) {
                if (!iph_family_wanted(family, f->gw[i].v6))
                    continue;
                size_t s = iph_node(b, sizeof(iph_server), &link);
                iph_socket_address sa;
                iph_sockaddr(b, &sa, &f->gw[i], 0);
                iph_server *p = iph_at(b, s);
                if (p)
                    p->Address = sa;
            }
        }
        /* the fields set above through links are in the buffer already; merge the rest */
        if (b->buf) {
            iph_adapter *dst = (iph_adapter *)(b->buf + off);
            ad.Next = dst->Next;
            ad.FirstUnicastAddress = dst->FirstUnicastAddress;
            ad.FirstDnsServerAddress = dst->FirstDnsServerAddress;
            ad.FirstPrefix = dst->FirstPrefix;
            ad.FirstGatewayAddress = dst->FirstGatewayAddress;
            memcpy(dst, &ad, sizeof ad);
        }
    }
}

/* What a GetAdapters* call lays out: the host's data and the call's filters. */
typedef struct {
    const iph_host *h;
    uint32_t family, flags;
    uint32_t index; /* GetPerAdapterInfo's adapter */
} iph_query;

typedef void (*iph_builder)(iph_blob *b, const iph_query *q);

static void iph_addresses_builder(iph_blob *b, const iph_query *q)
{
    iph_build(b, q->h, q->family, q->flags);
}

/* The size protocol GetAdaptersAddresses and GetAdaptersInfo share, after a first layout that
 * only measured (b->buf NULL): the size goes back with ERROR_BUFFER_OVERFLOW when the caller
 * gave no buffer or a short one; otherwise the answer is laid out again, into a copy that then
 * goes to the caller's buffer (its pointers made against OUT). */
static uint32_t iph_deliver(iph_blob *b, void *out, uint32_t *size_ptr, uint32_t have,
                            iph_builder build, const iph_query *q)
{
    if (b->len > UINT32_MAX)
        return IPH_ERROR_NOT_ENOUGH_MEMORY;
    uint32_t need = (uint32_t)b->len;
    if (!out || have < need)
        return nt_copy_to_user(size_ptr, &need, sizeof need) != 0 ? IPH_ERROR_NOACCESS
                                                                  : IPH_ERROR_BUFFER_OVERFLOW;
    b->buf = calloc(1, need);
    if (!b->buf)
        return IPH_ERROR_NOT_ENOUGH_MEMORY;
    b->len = 0;
    build(b, q);
    uint32_t ret = nt_copy_to_user(out, b->buf, need) != 0 ? IPH_ERROR_NOACCESS : 0;
    free(b->buf);
    b->buf = NULL;
    return ret;
}

/* ULONG GetAdaptersAddresses(ULONG Family, ULONG Flags, PVOID Reserved,
 *                            PIP_ADAPTER_ADDRESSES AdapterAddresses, PULONG SizePointer) */
static uint32_t WINAPI iph_GetAdaptersAddresses(uint32_t family, uint32_t flags, void *reserved,
                                                void *out, uint32_t *size_ptr)
{
    (void)reserved; /* "should be NULL"; not checked (Wine does not either) */
    if (family != IPH_WIN_AF_UNSPEC && family != IPH_WIN_AF_INET && family != IPH_WIN_AF_INET6)
        return IPH_ERROR_INVALID_PARAMETER;
    uint32_t have;
    iph_host h;
    uint32_t err = iph_sized_begin(size_ptr, &have, &h);
    if (err)
        return err;
    uint32_t ret;
    if (!h.nifs) {
        ret = IPH_ERROR_NO_DATA;
        goto free_host;
    }
    iph_query q = {.h = &h, .family = family, .flags = flags};
    iph_blob b = {.buf = NULL, .len = 0, .user = (uint64_t)(uintptr_t)out};
    iph_addresses_builder(&b, &q);
    ret = iph_deliver(&b, out, size_ptr, have, iph_addresses_builder, &q);
free_host:
    iph_host_free(&h);
    return ret;
}
THK_EXPORT_AS(iphlpapi, GetAdaptersAddresses, iph_GetAdaptersAddresses, 5);

/* ---- GetIpAddrTable: the IPv4 addresses, one MIB_IPADDRROW each ---- */

#define IPH_ERROR_INSUFFICIENT_BUFFER 122u

uint32_t iph_mib_table_get(void *out, uint32_t *size_ptr, uint32_t have, size_t need,
                           uint32_t count, uint8_t **buf)
{
    *buf = NULL;
    if (need > UINT32_MAX)
        return IPH_ERROR_NOT_ENOUGH_MEMORY;
    if (!out || have < need) {
        uint32_t need32 = (uint32_t)need;
        return nt_copy_to_user(size_ptr, &need32, sizeof need32) != 0
                   ? IPH_ERROR_NOACCESS
                   : IPH_ERROR_INSUFFICIENT_BUFFER;
    }
    *buf = calloc(1, need);
    if (!*buf)
        return IPH_ERROR_NOT_ENOUGH_MEMORY;
    memcpy(*buf, &count, 4);
    return 0;
}

uint32_t iph_mib_table_put(void *out, uint8_t *buf, size_t need)
{
    uint32_t ret = nt_copy_to_user(out, buf, need) != 0 ? IPH_ERROR_NOACCESS : 0;
    free(buf);
    return ret;
}
#define IPH_MIB_IPADDR_PRIMARY 0x0001u
#define IPH_MIB_IPADDR_DISCONNECTED 0x0008u

/* MIB_IPADDRROW */
typedef struct {
    uint32_t dwAddr;      /* 0x00 network order */
    uint32_t dwIndex;     /* 0x04 */
    uint32_t dwMask;      /* 0x08 network order */
    uint32_t dwBCastAddr; /* 0x0c */
    uint32_t dwReasmSize; /* 0x10 */
    uint16_t unused1;     /* 0x14 */
    uint16_t wType;       /* 0x16 MIB_IPADDR_* */
} iph_ipaddr_row;
_Static_assert(offsetof(iph_ipaddr_row, wType) == 0x16, "wType");
_Static_assert(sizeof(iph_ipaddr_row) == 0x18, "MIB_IPADDRROW");

static int iph_cmp_row_addr(const void *a, const void *b)
{
    uint32_t x = ntohl(((const iph_ipaddr_row *)a)->dwAddr);
    uint32_t y = ntohl(((const iph_ipaddr_row *)b)->dwAddr);
    return x < y ? -1 : x > y;
}

/* DWORD GetIpAddrTable(PMIB_IPADDRTABLE pIpAddrTable, PULONG pdwSize, BOOL bOrder)
 * Rows in interface-index order, or ascending by address with bOrder. As Windows fills them:
 * dwBCastAddr 1 (Windows documents that the real broadcast address is not returned, and
 * gives 1), dwReasmSize 65535, wType MIB_IPADDR_PRIMARY (| MIB_IPADDR_DISCONNECTED when the
 * interface is down). */
static uint32_t WINAPI iph_GetIpAddrTable(void *out, uint32_t *size_ptr, int32_t order)
{
    uint32_t have;
    iph_host h;
    uint32_t err = iph_sized_begin(size_ptr, &have, &h);
    if (err)
        return err;
    size_t n = 0;
    for (size_t i = 0; i < h.nifs; i++)
        for (size_t k = 0; k < h.ifs[i].naddrs; k++)
            n += !h.ifs[i].addrs[k].v6;
    uint8_t *buf;
    size_t need = 4 + n * sizeof(iph_ipaddr_row);
    uint32_t ret = iph_mib_table_get(out, size_ptr, have, need, (uint32_t)n, &buf);
    if (ret != 0)
        goto free_host;
    iph_ipaddr_row *rows = (iph_ipaddr_row *)(buf + 4);
    size_t r = 0;
    for (size_t i = 0; i < h.nifs; i++) {
        const iph_if *f = &h.ifs[i];
        int up = (f->flags & IFF_UP) && (iph_is_loopback(f) || (f->flags & IFF_RUNNING));
        for (size_t k = 0; k < f->naddrs; k++) {
            const iph_addr *a = &f->addrs[k];
            if (a->v6)
                continue;
            iph_ipaddr_row *row = &rows[r++];
            memcpy(&row->dwAddr, a->addr, 4);
            row->dwIndex = f->index;
            row->dwMask = a->plen ? htonl(0xffffffffu << (32 - a->plen)) : 0;
            row->dwBCastAddr = 1;
            row->dwReasmSize = 65535;
            row->wType =
                (uint16_t)(IPH_MIB_IPADDR_PRIMARY | (up ? 0 : IPH_MIB_IPADDR_DISCONNECTED));
        }
    }
    if (order)
        qsort(rows, n, sizeof *rows, iph_cmp_row_addr);
    ret = iph_mib_table_put(out, buf, need);
free_host:
    iph_host_free(&h);
    return ret;
}
THK_EXPORT_AS(iphlpapi, GetIpAddrTable, iph_GetIpAddrTable, 3);

/* ---- GetAdaptersInfo: the IPv4 view, one IP_ADAPTER_INFO per non-loopback adapter ---- */

/* IP_ADDR_STRING */
typedef struct {
    uint64_t Next;      /* 0x00 */
    char IpAddress[16]; /* 0x08 */
    char IpMask[16];    /* 0x18 */
    uint32_t Context;   /* 0x28 */
    uint32_t pad;
} iph_addr_string;
_Static_assert(sizeof(iph_addr_string) == 0x30, "IP_ADDR_STRING");

/* IP_ADAPTER_INFO */
typedef struct {
    uint64_t Next;                       /* 0x000 */
    uint32_t ComboIndex;                 /* 0x008 */
    char AdapterName[260];               /* 0x00c */
    char Description[132];               /* 0x110 */
    uint32_t AddressLength;              /* 0x194 */
    uint8_t Address[8];                  /* 0x198 */
    uint32_t Index;                      /* 0x1a0 */
    uint32_t Type;                       /* 0x1a4 */
    uint32_t DhcpEnabled;                /* 0x1a8 */
    uint32_t pad;
    uint64_t CurrentIpAddress;           /* 0x1b0 */
    iph_addr_string IpAddressList;       /* 0x1b8 */
    iph_addr_string GatewayList;         /* 0x1e8 */
    iph_addr_string DhcpServer;          /* 0x218 */
    int32_t HaveWins;                    /* 0x248 */
    uint32_t pad2;
    iph_addr_string PrimaryWinsServer;   /* 0x250 */
    iph_addr_string SecondaryWinsServer; /* 0x280 */
    int64_t LeaseObtained;               /* 0x2b0 */
    int64_t LeaseExpires;                /* 0x2b8 */
} iph_adapter_info;
_Static_assert(offsetof(iph_adapter_info, Description) == 0x110, "Description");
_Static_assert(offsetof(iph_adapter_info, IpAddressList) == 0x1b8, "IpAddressList");
_Static_assert(offsetof(iph_adapter_info, PrimaryWinsServer) == 0x250, "PrimaryWinsServer");
_Static_assert(sizeof(iph_adapter_info) == 0x2c0, "IP_ADAPTER_INFO");

static void iph_addr_str(iph_addr_string *s, const uint8_t *addr, unsigned plen)
{
    uint32_t m = plen ? 0xffffffffu << (32 - plen) : 0;
    snprintf(s->IpAddress, sizeof s->IpAddress, "%u.%u.%u.%u", addr[0], addr[1], addr[2],
             addr[3]);
    snprintf(s->IpMask, sizeof s->IpMask, "%u.%u.%u.%u", m >> 24, (m >> 16) & 0xff,
             (m >> 8) & 0xff, m & 0xff);
}

/* Lays out the adapters at b (measures only when b->buf is NULL); returns how many. Windows
 * lists no loopback; an adapter without IPv4 address lists "0.0.0.0"/"0.0.0.0", and so do an
 * empty gateway, DHCP server and WINS lists. The extra addresses of an adapter follow the
 * adapters. */
static size_t iph_build_info(iph_blob *b, const iph_host *h)
{
    size_t count = 0, prev = (size_t)-1;
    for (size_t n = 0; n < h->nifs; n++) {
        const iph_if *f = &h->ifs[n];
        if (iph_is_loopback(f))
            continue;
        size_t off = iph_alloc(b, sizeof(iph_adapter_info), 8);
        count++;
        if (!b->buf) {
            size_t n4 = 0;
            for (size_t i = 0; i < f->naddrs; i++)
                n4 += !f->addrs[i].v6;
            for (size_t i = 1; i < n4; i++)
                iph_alloc(b, sizeof(iph_addr_string), 8);
            continue;
        }
        iph_adapter_info *ai = (iph_adapter_info *)(b->buf + off);
        if (prev != (size_t)-1)
            ((iph_adapter_info *)(b->buf + prev))->Next = iph_ptr(b, off);
        prev = off;
        ai->ComboIndex = f->index;
        iph_guid(f->name, ai->AdapterName);
        snprintf(ai->Description, sizeof ai->Description, "%s", f->name);
        ai->AddressLength = f->maclen;
        memcpy(ai->Address, f->mac, f->maclen);
        ai->Index = f->index;
        ai->Type = iph_if_type(f);
        iph_addr_str(&ai->IpAddressList, (const uint8_t[4]){0}, 0);
        iph_addr_str(&ai->DhcpServer, (const uint8_t[4]){0}, 0);
        iph_addr_str(&ai->PrimaryWinsServer, (const uint8_t[4]){0}, 0);
        iph_addr_str(&ai->SecondaryWinsServer, (const uint8_t[4]){0}, 0);
        iph_addr_str(&ai->GatewayList, (const uint8_t[4]){0}, 0);
        for (size_t i = 0; i < f->ngw; i++)
            if (!f->gw[i].v6) {
                iph_addr_str(&ai->GatewayList, f->gw[i].addr, 0);
                snprintf(ai->GatewayList.IpMask, sizeof ai->GatewayList.IpMask,
                         "255.255.255.255");
                break;
            }
        int first = 1;
        size_t link = off + offsetof(iph_adapter_info, IpAddressList);
        for (size_t i = 0; i < f->naddrs; i++) {
            const iph_addr *a = &f->addrs[i];
            if (a->v6)
                continue;
            if (first) {
                iph_addr_str(&ai->IpAddressList, a->addr, a->plen);
                first = 0;
                continue;
            }
            size_t s = iph_alloc(b, sizeof(iph_addr_string), 8);
            iph_addr_string *as = (iph_addr_string *)(b->buf + s);
            iph_addr_str(as, a->addr, a->plen);
            uint64_t v = iph_ptr(b, s);
            memcpy(b->buf + link, &v, 8);
            link = s;
        }
    }
    return count;
}

static void iph_info_builder(iph_blob *b, const iph_query *q)
{
    iph_build_info(b, q->h);
}

/* ULONG GetAdaptersInfo(PIP_ADAPTER_INFO AdapterInfo, PULONG SizePointer) */
static uint32_t WINAPI iph_GetAdaptersInfo(void *out, uint32_t *size_ptr)
{
    uint32_t have;
    iph_host h;
    uint32_t err = iph_sized_begin(size_ptr, &have, &h);
    if (err)
        return err;
    uint32_t ret;
    iph_query q = {.h = &h};
    iph_blob b = {.buf = NULL, .len = 0, .user = (uint64_t)(uintptr_t)out};
    if (!iph_build_info(&b, &h)) {
        ret = IPH_ERROR_NO_DATA;
        goto free_host;
    }
    ret = iph_deliver(&b, out, size_ptr, have, iph_info_builder, &q);
free_host:
    iph_host_free(&h);
    return ret;
}
THK_EXPORT_AS(iphlpapi, GetAdaptersInfo, iph_GetAdaptersInfo, 2);

/* FIXED_INFO (FIXED_INFO_W2KSP1) */
typedef struct {
    char HostName[132];              /* 0x000: MAX_HOSTNAME_LEN + 4 */
    char DomainName[132];            /* 0x084 */
    uint64_t CurrentDnsServer;       /* 0x108: PIP_ADDR_STRING */
    iph_addr_string DnsServerList;   /* 0x110 */
    uint32_t NodeType;               /* 0x140 */
    char ScopeId[260];               /* 0x144 */
    uint32_t EnableRouting;          /* 0x248 */
    uint32_t EnableProxy;            /* 0x24c */
    uint32_t EnableDns;              /* 0x250 */
    uint32_t pad;
} iph_fixed_info;
_Static_assert(offsetof(iph_fixed_info, CurrentDnsServer) == 0x108, "CurrentDnsServer");
_Static_assert(offsetof(iph_fixed_info, NodeType) == 0x140, "NodeType");
_Static_assert(offsetof(iph_fixed_info, EnableDns) == 0x250, "EnableDns");
_Static_assert(sizeof(iph_fixed_info) == 0x258, "FIXED_INFO");

#define IPH_HYBRID_NODETYPE 8u

/* Lays out h's IPv4 name servers as a chain of IP_ADDR_STRING at b (measures only when b->buf
 * is NULL): the first one in the structure's own list at offset head (left empty when there is
 * none), the others after it, linked by Next; no masks. */
static void iph_dns_list(iph_blob *b, size_t head, const iph_host *h)
{
    size_t link = head;
    int first = 1;
    for (size_t i = 0; i < h->ndns; i++) {
        const iph_addr *a = &h->dns[i];
        if (a->v6)
            continue;
        size_t so = head;
        if (!first)
            so = iph_alloc(b, sizeof(iph_addr_string), 8);
        if (b->buf) {
            iph_addr_string *as = (iph_addr_string *)(b->buf + so);
            iph_addr_str(as, a->addr, 0);
            as->IpMask[0] = 0;
            if (!first) {
                uint64_t v = iph_ptr(b, so);
                memcpy(b->buf + link, &v, 8);
            }
        }
        link = so;
        first = 0;
    }
}

/* Lays out FIXED_INFO at b (measures only when b->buf is NULL): the host name up to its first
 * dot as the system spells it, the DNS suffix of /etc/resolv.conf as the domain, its IPv4
 * name servers as DnsServerList (the first one inside the structure, CurrentDnsServer
 * pointing at it, the others after it; empty strings when there is none), a hybrid NetBIOS
 * node (what Windows reports without WINS servers configured), no scope, routing, proxy or
 * NetBIOS-over-DNS. */
static void iph_build_params(iph_blob *b, const iph_host *h)
{
    size_t off = iph_alloc(b, sizeof(iph_fixed_info), 8);
    size_t head = off + offsetof(iph_fixed_info, DnsServerList);
    if (b->buf) {
        iph_fixed_info *fi = (iph_fixed_info *)(b->buf + off);
        char host[256] = "";
        gethostname(host, sizeof host - 1);
        char *dot = strchr(host, '.');
        if (dot)
            *dot = 0;
        snprintf(fi->HostName, sizeof fi->HostName, "%.128s", host);
        snprintf(fi->DomainName, sizeof fi->DomainName, "%.128s", h->suffix);
        fi->CurrentDnsServer = iph_ptr(b, head);
        fi->NodeType = IPH_HYBRID_NODETYPE;
    }
    iph_dns_list(b, head, h);
}

static void iph_params_builder(iph_blob *b, const iph_query *q)
{
    iph_build_params(b, q->h);
}

/* DWORD GetNetworkParams(PFIXED_INFO pFixedInfo, PULONG pOutBufLen): the size protocol of
 * GetAdaptersInfo (ERROR_BUFFER_OVERFLOW and the size needed for no buffer or a short one,
 * ERROR_INVALID_PARAMETER for no size). c-ares (Node.js 18's dns) looks it up when it starts and
 * fails every resolver with EADDRGETNETWORKPARAMS without it. */
static uint32_t WINAPI iph_GetNetworkParams(void *out, uint32_t *size_ptr)
{
    uint32_t have;
    iph_host h;
    uint32_t err = iph_sized_begin(size_ptr, &have, &h);
    if (err)
        return err;
    iph_query q = {.h = &h};
    iph_blob b = {.buf = NULL, .len = 0, .user = (uint64_t)(uintptr_t)out};
    iph_build_params(&b, &h);
    uint32_t ret = iph_deliver(&b, out, size_ptr, have, iph_params_builder, &q);
    iph_host_free(&h);
    return ret;
}
THK_EXPORT_AS(iphlpapi, GetNetworkParams, iph_GetNetworkParams, 2);

/* ---- GetPerAdapterInfo: one adapter's DNS servers ---- */

/* IP_PER_ADAPTER_INFO (IP_PER_ADAPTER_INFO_W2KSP1) */
typedef struct {
    uint32_t AutoconfigEnabled;    /* 0x00 */
    uint32_t AutoconfigActive;     /* 0x04 */
    uint64_t CurrentDnsServer;     /* 0x08: PIP_ADDR_STRING */
    iph_addr_string DnsServerList; /* 0x10 */
} iph_per_adapter_info;
_Static_assert(offsetof(iph_per_adapter_info, DnsServerList) == 0x10, "DnsServerList");
_Static_assert(sizeof(iph_per_adapter_info) == 0x40, "IP_PER_ADAPTER_INFO");

/* Lays out the adapter's IP_PER_ADAPTER_INFO at b (measures only when b->buf is NULL):
 * CurrentDnsServer points at DnsServerList; for the loopback that list is empty (as Wine
 * answers); for another adapter it holds the IPv4 name servers of /etc/resolv.conf
 * (GetNetworkParams' list: the first inside the structure, the others after it, no masks). No
 * autoconfiguration (169.254/16) is reported. */
static void iph_build_per_adapter(iph_blob *b, const iph_query *q)
{
    const iph_host *h = q->h;
    const iph_if *f = NULL;
    for (size_t n = 0; n < h->nifs && !f; n++)
        if (h->ifs[n].index == q->index)
            f = &h->ifs[n];
    size_t off = iph_alloc(b, sizeof(iph_per_adapter_info), 8);
    size_t head = off + offsetof(iph_per_adapter_info, DnsServerList);
    if (b->buf)
        ((iph_per_adapter_info *)(b->buf + off))->CurrentDnsServer = iph_ptr(b, head);
    if (f && !iph_is_loopback(f))
        iph_dns_list(b, head, h);
}

/* DWORD GetPerAdapterInfo(ULONG IfIndex, PIP_PER_ADAPTER_INFO pPerAdapterInfo, PULONG
 * pOutBufLen): ERROR_INVALID_PARAMETER for no size, ERROR_NO_DATA for an index no adapter has,
 * then GetAdaptersInfo's size protocol (ERROR_BUFFER_OVERFLOW and the size needed). .NET's
 * NetworkInterface.GetIPProperties asks it for every adapter GetAdaptersAddresses lists, the
 * loopback (index 1) included. */
static uint32_t WINAPI iph_GetPerAdapterInfo(uint32_t index, void *out, uint32_t *size_ptr)
{
    uint32_t have;
    iph_host h;
    uint32_t err = iph_sized_begin(size_ptr, &have, &h);
    if (err)
        return err;
    uint32_t ret = IPH_ERROR_NO_DATA;
    for (size_t n = 0; n < h.nifs; n++)
        if (h.ifs[n].index == index)
            ret = 0;
    if (!ret) {
        iph_query q = {.h = &h, .index = index};
        iph_blob b = {.buf = NULL, .len = 0, .user = (uint64_t)(uintptr_t)out};
        iph_build_per_adapter(&b, &q);
        ret = iph_deliver(&b, out, size_ptr, have, iph_build_per_adapter, &q);
    }
    iph_host_free(&h);
    return ret;
}
THK_EXPORT_AS(iphlpapi, GetPerAdapterInfo, iph_GetPerAdapterInfo, 3);
