/* SPDX-License-Identifier: MIT */
/* iphlpapi's GetBestRoute (the IPv4 form of before Vista, as a MIB_IPFORWARDROW) and
 * GetBestRoute2: the route the host would take to an address, as a
 * MIB_IPFORWARD_ROW2, and the source address it would use. c-ares (Node.js's DNS resolver, set
 * up by the first net, http or dns call) ranks the DNS servers of each adapter by the metric of
 * the route to them through that adapter's LUID.
 *
 * The route is iftable.c's choice (iph_route_find): the loopback's for 127.0.0.0/8 and ::1 and
 * the owning interface's for one of the host's own addresses, as the on-link routes Windows
 * keeps for them (127.0.0.0/8, host routes /32 and /128, metric 256), else the longest match of
 * the kernel's routing table with its metric (Linux's, without the interface metric, as
 * Windows' Metric field is) and next hop; restricted to the interface that InterfaceLuid
 * (GetAdaptersAddresses' LUIDs) or else a nonzero InterfaceIndex names. The source address is
 * SourceAddress when it is one of that interface's addresses, else the interface's address in
 * the destination's subnet, else its first of the family that is not link-local (the
 * destination itself for one of the host's own). Lifetimes are infinite, Protocol is
 * RouteProtocolLocal for an on-link route and RouteProtocolNetMgmt for one through a gateway
 * (ntrun cannot tell which ones DHCP or router advertisements made), Origin NlroManual.
 * Errors as Microsoft documents them: ERROR_INVALID_PARAMETER for a NULL DestinationAddress,
 * BestRoute or BestSourceAddress or a destination family that is neither AF_INET nor AF_INET6;
 * ERROR_FILE_NOT_FOUND when the interface named does not exist (the page's present text, as
 * GetIfEntry2 answers for an unknown interface; its earlier versions said ERROR_NOT_FOUND).
 * No route there gives ERROR_NETWORK_UNREACHABLE (the stack's
 * STATUS_NETWORK_UNREACHABLE; not confirmed on Windows). Outputs are written only on success.
 * Wine 8.0's GetBestRoute2 is a stub (ERROR_NOT_SUPPORTED). */
#include <stdbool.h>
#include <string.h>
#include "thunks/iphlpapi/iphlpapi_private.h"
#include "thunks/thunks_private.h"

#define IPH_ERROR_NOT_ENOUGH_MEMORY 8u
#define IPH_ERROR_INVALID_PARAMETER 87u
#define IPH_ERROR_NOACCESS 998u
#define IPH_ERROR_FILE_NOT_FOUND 2u
#define IPH_ERROR_NETWORK_UNREACHABLE 1231u
#define IPH_AF_INET 2u
#define IPH_AF_INET6 23u
#define IPH_ROUTE_PROTOCOL_LOCAL 2u
#define IPH_ROUTE_PROTOCOL_NETMGMT 3u
#define IPH_INFINITE_LIFETIME 0xffffffffu
#define IPH_ERROR_CAN_NOT_COMPLETE 1003u
#define IPH_MIB_IPROUTE_TYPE_DIRECT 3u
#define IPH_MIB_IPROUTE_TYPE_INDIRECT 4u
#define IPH_MIB_IPROUTE_METRIC_UNUSED 0xffffffffu

/* SOCKADDR_INET: SOCKADDR_IN or SOCKADDR_IN6, by family */
typedef struct {
    uint16_t family; /* 0x00 */
    uint16_t port;   /* 0x02 */
    union {
        struct {
            uint8_t addr[4]; /* 0x04 sin_addr */
            uint8_t zero[8];
        } v4;
        struct {
            uint32_t flowinfo; /* 0x04 */
            uint8_t addr[16];  /* 0x08 */
            uint32_t scope_id; /* 0x18 */
        } v6;
    } u;
} iph_sockaddr_inet;
_Static_assert(sizeof(iph_sockaddr_inet) == 28, "SOCKADDR_INET");

/* MIB_IPFORWARD_ROW2 */
typedef struct {
    uint64_t InterfaceLuid;      /* 0x00 */
    uint32_t InterfaceIndex;     /* 0x08 */
    iph_sockaddr_inet Prefix;    /* 0x0c DestinationPrefix.Prefix */
    uint8_t PrefixLength;        /* 0x28 DestinationPrefix.PrefixLength */
    uint8_t pad1[3];
    iph_sockaddr_inet NextHop;   /* 0x2c */
    uint8_t SitePrefixLength;    /* 0x48 */
    uint8_t pad2[3];
    uint32_t ValidLifetime;      /* 0x4c */
    uint32_t PreferredLifetime;  /* 0x50 */
    uint32_t Metric;             /* 0x54 */
    uint32_t Protocol;           /* 0x58 NL_ROUTE_PROTOCOL */
    uint8_t Loopback;            /* 0x5c */
    uint8_t AutoconfigureAddress;/* 0x5d */
    uint8_t Publish;             /* 0x5e */
    uint8_t Immortal;            /* 0x5f */
    uint32_t Age;                /* 0x60 */
    uint32_t Origin;             /* 0x64 NL_ROUTE_ORIGIN: NlroManual 0 */
} iph_forward_row2;
_Static_assert(offsetof(iph_forward_row2, PrefixLength) == 0x28, "PrefixLength");
_Static_assert(offsetof(iph_forward_row2, NextHop) == 0x2c, "MIB_IPFORWARD_ROW2.NextHop");
_Static_assert(offsetof(iph_forward_row2, Metric) == 0x54, "MIB_IPFORWARD_ROW2.Metric");
_Static_assert(offsetof(iph_forward_row2, Origin) == 0x64, "MIB_IPFORWARD_ROW2.Origin");
_Static_assert(sizeof(iph_forward_row2) == 0x68, "MIB_IPFORWARD_ROW2");

/* A SOCKADDR_INET from foreign memory: only as many bytes as its family's sockaddr has (c-ares
 * passes a 16-byte sockaddr_in). 0, 1 for a family that is neither, or -1 unreadable. */
static int iph_read_sockaddr(iph_sockaddr_inet *sa, const void *src)
{
    memset(sa, 0, sizeof *sa);
    if (nt_copy_from_user(&sa->family, src, 2) != 0)
        return -1;
    size_t len = sa->family == IPH_AF_INET ? 16 : sa->family == IPH_AF_INET6 ? 28 : 0;
    if (!len)
        return 1;
    return nt_copy_from_user(sa, src, len) != 0 ? -1 : 0;
}

static void iph_put_addr(iph_sockaddr_inet *sa, int v6, const uint8_t *addr)
{
    memset(sa, 0, sizeof *sa);
    sa->family = v6 ? IPH_AF_INET6 : IPH_AF_INET;
    if (v6)
        memcpy(sa->u.v6.addr, addr, 16);
    else
        memcpy(sa->u.v4.addr, addr, 4);
}

static bool iph_in_prefix(const uint8_t *a, const uint8_t *b, unsigned plen)
{
    for (unsigned i = 0; i < plen; i++)
        if ((a[i / 8] ^ b[i / 8]) & (0x80u >> (i % 8)))
            return false;
    return true;
}

/* The source address for dest through f (see the file's comment), NULL if f has none. */
static const iph_addr *iph_source(const iph_if *f, const uint8_t *dest, int v6,
                                  const iph_sockaddr_inet *want)
{
    const iph_addr *subnet = NULL, *plain = NULL, *any = NULL;
    size_t n = v6 ? 16 : 4;
    for (size_t k = 0; k < f->naddrs; k++) {
        const iph_addr *a = &f->addrs[k];
        if (a->v6 != v6)
            continue;
        if (!memcmp(a->addr, dest, n))
            return a; /* one of our own: itself */
        if (want && !memcmp(a->addr, v6 ? want->u.v6.addr : want->u.v4.addr, n))
            return a;
        bool ll = v6 ? a->addr[0] == 0xfe && (a->addr[1] & 0xc0) == 0x80
                     : a->addr[0] == 169 && a->addr[1] == 254;
        if (!subnet && a->plen && iph_in_prefix(a->addr, dest, a->plen))
            subnet = a;
        if (!plain && !ll)
            plain = a;
        if (!any)
            any = a;
    }
    return subnet ? subnet : plain ? plain : any;
}

/* NETIOAPI_API GetBestRoute2(NET_LUID *InterfaceLuid, NET_IFINDEX InterfaceIndex,
 *     const SOCKADDR_INET *SourceAddress, const SOCKADDR_INET *DestinationAddress,
 *     ULONG AddressSortOptions, PMIB_IPFORWARD_ROW2 BestRoute, SOCKADDR_INET *BestSourceAddress) */
static uint32_t WINAPI iph_GetBestRoute2(const uint64_t *luid_in, uint32_t index_in,
                                         const void *src_in, const void *dest_in, uint32_t options,
                                         void *row_out, void *src_out)
{
    (void)options; /* "currently not used" */
    iph_sockaddr_inet dest, want;
    uint64_t luid = 0;
    if (!dest_in || !row_out || !src_out)
        return IPH_ERROR_INVALID_PARAMETER;
    int rc = iph_read_sockaddr(&dest, dest_in);
    if (rc)
        return rc < 0 ? IPH_ERROR_NOACCESS : IPH_ERROR_INVALID_PARAMETER;
    int v6 = dest.family == IPH_AF_INET6;
    bool use_want = false;
    if (src_in) {
        rc = iph_read_sockaddr(&want, src_in);
        if (rc < 0)
            return IPH_ERROR_NOACCESS;
        use_want = rc == 0 && want.family == dest.family;
    }
    if (luid_in && nt_copy_from_user(&luid, luid_in, sizeof luid) != 0)
        return IPH_ERROR_NOACCESS;
    const uint8_t *daddr = v6 ? dest.u.v6.addr : dest.u.v4.addr;

    iph_host h;
    if (iph_host_read(&h) != 0)
        return IPH_ERROR_NOT_ENOUGH_MEMORY;
    uint32_t ret = IPH_ERROR_FILE_NOT_FOUND;
    unsigned only = 0;
    if (luid || index_in) { /* the LUID when there is one, else the index */
        for (size_t i = 0; i < h.nifs && !only; i++)
            if (luid ? iph_luid(&h.ifs[i]) == luid : h.ifs[i].index == index_in)
                only = h.ifs[i].index;
        if (!only)
            goto out;
    }
    ret = IPH_ERROR_NETWORK_UNREACHABLE;
    iph_route r;
    const iph_if *f = NULL;
    if (iph_route_find(&h, daddr, v6, only, &r))
        for (size_t i = 0; i < h.nifs && !f; i++)
            if (h.ifs[i].index == r.index)
                f = &h.ifs[i];
    if (!f)
        goto out;

    iph_forward_row2 row;
    memset(&row, 0, sizeof row);
    row.InterfaceLuid = iph_luid(f);
    row.InterfaceIndex = f->index;
    iph_put_addr(&row.Prefix, v6, r.prefix);
    row.PrefixLength = (uint8_t)r.plen;
    static const uint8_t none[16];
    iph_put_addr(&row.NextHop, v6, r.has_gateway ? r.gateway : none);
    row.ValidLifetime = row.PreferredLifetime = IPH_INFINITE_LIFETIME;
    row.Metric = r.metric;
    row.Protocol = r.has_gateway ? IPH_ROUTE_PROTOCOL_NETMGMT : IPH_ROUTE_PROTOCOL_LOCAL;
    row.Loopback = iph_is_loopback(f) != 0;

    iph_sockaddr_inet best;
    const iph_addr *a = iph_source(f, daddr, v6, use_want ? &want : NULL);
    iph_put_addr(&best, v6, a ? a->addr : none);
    if (v6 && a && a->addr[0] == 0xfe && (a->addr[1] & 0xc0) == 0x80)
        best.u.v6.scope_id = f->index; /* a link-local source names its link */
    ret = nt_copy_to_user(row_out, &row, sizeof row) != 0 ||
                  nt_copy_to_user(src_out, &best, sizeof best) != 0
              ? IPH_ERROR_NOACCESS
              : 0;
out:
    iph_host_free(&h);
    return ret;
}
THK_EXPORT_AS(iphlpapi, GetBestRoute2, iph_GetBestRoute2, 7);

/* MIB_IPFORWARDROW: addresses in network order */
typedef struct {
    uint32_t dwForwardDest;      /* 0x00 */
    uint32_t dwForwardMask;      /* 0x04 */
    uint32_t dwForwardPolicy;    /* 0x08 */
    uint32_t dwForwardNextHop;   /* 0x0c */
    uint32_t dwForwardIfIndex;   /* 0x10 */
    uint32_t dwForwardType;      /* 0x14 MIB_IPROUTE_TYPE_* */
    uint32_t dwForwardProto;     /* 0x18 MIB_IPPROTO_*: NL_ROUTE_PROTOCOL's values */
    uint32_t dwForwardAge;       /* 0x1c */
    uint32_t dwForwardNextHopAS; /* 0x20 */
    uint32_t dwForwardMetric[5]; /* 0x24 */
} iph_forward_row;
_Static_assert(offsetof(iph_forward_row, dwForwardIfIndex) == 0x10, "dwForwardIfIndex");
_Static_assert(offsetof(iph_forward_row, dwForwardMetric) == 0x24, "dwForwardMetric1");
_Static_assert(sizeof(iph_forward_row) == 0x38, "MIB_IPFORWARDROW");

/* DWORD GetBestRoute(DWORD dwDestAddr, DWORD dwSourceAddr, PMIB_IPFORWARDROW pBestRoute): the
 * route GetBestRoute2 takes, in the old row. A nonzero dwSourceAddr that is one of the host's
 * addresses keeps the route to that address's interface. An on-link route (no gateway) is
 * MIB_IPROUTE_TYPE_DIRECT with the interface's own address as its next hop, as the IPv4 route
 * table of before Vista has them (not confirmed on Windows); one through a gateway
 * MIB_IPROUTE_TYPE_INDIRECT. Metric1 is the route's metric plus the interface's (Ipv4Metric of
 * GetAdaptersAddresses: 75 for the loopback, 25 else), as `route print` shows it (331 for
 * 127.0.0.1), where GetBestRoute2's Metric is the route's alone; Metric2-5 unused (-1). No route:
 * ERROR_CAN_NOT_COMPLETE (as GetBestInterface); a NULL row ERROR_INVALID_PARAMETER. */
static uint32_t WINAPI iph_GetBestRoute(uint32_t dest, uint32_t source, void *row_out)
{
    if (!row_out)
        return IPH_ERROR_INVALID_PARAMETER;
    uint8_t daddr[4], saddr[4];
    memcpy(daddr, &dest, 4);
    memcpy(saddr, &source, 4);
    iph_host h;
    if (iph_host_read(&h) != 0)
        return IPH_ERROR_NOT_ENOUGH_MEMORY;
    unsigned only = 0;
    for (size_t i = 0; i < h.nifs && source && !only; i++)
        for (size_t k = 0; k < h.ifs[i].naddrs && !only; k++)
            if (!h.ifs[i].addrs[k].v6 && !memcmp(h.ifs[i].addrs[k].addr, saddr, 4))
                only = h.ifs[i].index;
    uint32_t ret = IPH_ERROR_CAN_NOT_COMPLETE;
    iph_route r;
    const iph_if *f = NULL;
    if (iph_route_find(&h, daddr, 0, only, &r))
        for (size_t i = 0; i < h.nifs && !f; i++)
            if (h.ifs[i].index == r.index)
                f = &h.ifs[i];
    if (!f)
        goto out;
    iph_forward_row row;
    memset(&row, 0, sizeof row);
    memcpy(&row.dwForwardDest, r.prefix, 4);
    uint32_t mask = r.plen ? 0xffffffffu << (32 - r.plen) : 0;
    row.dwForwardMask = __builtin_bswap32(mask);
    if (r.has_gateway) {
        memcpy(&row.dwForwardNextHop, r.gateway, 4);
    } else {
        const iph_addr *a = iph_source(f, daddr, 0, NULL);
        if (a)
            memcpy(&row.dwForwardNextHop, a->addr, 4);
    }
    row.dwForwardIfIndex = f->index;
    row.dwForwardType = r.has_gateway ? IPH_MIB_IPROUTE_TYPE_INDIRECT : IPH_MIB_IPROUTE_TYPE_DIRECT;
    row.dwForwardProto = r.has_gateway ? IPH_ROUTE_PROTOCOL_NETMGMT : IPH_ROUTE_PROTOCOL_LOCAL;
    row.dwForwardMetric[0] = r.metric + (iph_is_loopback(f) ? 75u : 25u); /* + Ipv4Metric */
    for (int i = 1; i < 5; i++)
        row.dwForwardMetric[i] = IPH_MIB_IPROUTE_METRIC_UNUSED;
    ret = nt_copy_to_user(row_out, &row, sizeof row) != 0 ? IPH_ERROR_NOACCESS : 0;
out:
    iph_host_free(&h);
    return ret;
}
THK_EXPORT_AS(iphlpapi, GetBestRoute, iph_GetBestRoute, 3);
