/* SPDX-License-Identifier: MIT */
/* iphlpapi's interface tables and route choice: GetIfTable, GetIfEntry, GetNumberOfInterfaces
 * (one MIB_IFROW per host interface, from adapters.c's view of the host plus
 * /sys/class/net/NAME/statistics), GetBestInterface and GetBestInterfaceEx (the interface of
 * iph_route_find's route: the longest matching route in /proc/net/route or
 * /proc/net/ipv6_route; the loopback for 127.0.0.0/8 and ::1, the owning interface for one of
 * the host's own addresses; route.c's GetBestRoute2 gives the whole route).
 *
 * Windows' shapes kept: wszName "\DEVICE\TCPIP_{GUID}" (the GUID GetAdaptersAddresses gives as
 * AdapterName), the loopback "Software Loopback Interface 1" with type 24, MTU 0xffffffff and
 * a speed of 1073741824, no physical address; dwDescrLen without bDescr's NUL; admin status
 * MIB_IF_ADMIN_STATUS_UP/DOWN, oper status MIB_IF_OPER_STATUS_OPERATIONAL for an interface up
 * (and running), else MIB_IF_OPER_STATUS_NON_OPERATIONAL; counters truncated to 32 bits.
 * GetIfTable2/GetIfTable2Ex/GetIfEntry2 give MIB_IF_ROW2 rows with GetAdaptersAddresses'
 * LUID, GUID, alias (FriendlyName) and description, 64-bit counters, in LocalAlloc'd memory
 * FreeMibTable frees.
 * Not done: dwLastChange (0), dwOutQLen (0), the per-cast octet counters of MIB_IF_ROW2,
 * Windows' hidden pseudo-interfaces (Teredo, ISATAP), which it lists here and ntrun has none
 * of. */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "thunks/iphlpapi/iphlpapi_private.h"
#include "thunks/thunks_private.h"

#define IPH_ERROR_INVALID_DATA 13u
#define IPH_ERROR_INVALID_PARAMETER 87u
#define IPH_ERROR_NOT_ENOUGH_MEMORY 8u
#define IPH_ERROR_INSUFFICIENT_BUFFER 122u
#define IPH_ERROR_NOACCESS 998u
#define IPH_ERROR_CAN_NOT_COMPLETE 1003u

#define IPH_MIB_IF_ADMIN_STATUS_UP 1u
#define IPH_MIB_IF_ADMIN_STATUS_DOWN 2u
#define IPH_MIB_IF_OPER_STATUS_NON_OPERATIONAL 0u
#define IPH_MIB_IF_OPER_STATUS_OPERATIONAL 5u

/* MIB_IFROW */
typedef struct {
    uint16_t wszName[256];      /* 0x000 */
    uint32_t dwIndex;           /* 0x200 */
    uint32_t dwType;            /* 0x204 */
    uint32_t dwMtu;             /* 0x208 */
    uint32_t dwSpeed;           /* 0x20c */
    uint32_t dwPhysAddrLen;     /* 0x210 */
    uint8_t bPhysAddr[8];       /* 0x214 */
    uint32_t dwAdminStatus;     /* 0x21c */
    uint32_t dwOperStatus;      /* 0x220 */
    uint32_t dwLastChange;      /* 0x224 */
    uint32_t dwInOctets;        /* 0x228 */
    uint32_t dwInUcastPkts;     /* 0x22c */
    uint32_t dwInNUcastPkts;    /* 0x230 */
    uint32_t dwInDiscards;      /* 0x234 */
    uint32_t dwInErrors;        /* 0x238 */
    uint32_t dwInUnknownProtos; /* 0x23c */
    uint32_t dwOutOctets;       /* 0x240 */
    uint32_t dwOutUcastPkts;    /* 0x244 */
    uint32_t dwOutNUcastPkts;   /* 0x248 */
    uint32_t dwOutDiscards;     /* 0x24c */
    uint32_t dwOutErrors;       /* 0x250 */
    uint32_t dwOutQLen;         /* 0x254 */
    uint32_t dwDescrLen;        /* 0x258 */
    uint8_t bDescr[256];        /* 0x25c */
} iph_ifrow;
_Static_assert(offsetof(iph_ifrow, dwIndex) == 0x200, "MIB_IFROW.dwIndex");
_Static_assert(offsetof(iph_ifrow, dwAdminStatus) == 0x21c, "MIB_IFROW.dwAdminStatus");
_Static_assert(offsetof(iph_ifrow, bDescr) == 0x25c, "MIB_IFROW.bDescr");
_Static_assert(sizeof(iph_ifrow) == 0x35c, "MIB_IFROW");

static void iph_put_w(uint16_t *dst, size_t cap, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++)
        dst[i] = (uint8_t)s[i];
    dst[i] = 0;
}

/* What MIB_IFROW and MIB_IF_ROW2 both say of an interface, read once from its flags and
 * /sys/class/net/NAME (mtu, speed, statistics/): MIB_IF_ROW2 takes the counters as they are,
 * MIB_IFROW their low 32 bits. */
typedef struct {
    bool lo, up, running;  /* IFF_UP; IFF_RUNNING, which the loopback always is */
    uint32_t mtu;          /* 0xffffffff for the loopback */
    long speed;            /* Mb/s, <= 0 unknown; 0 for the loopback */
    uint64_t in_octets, in_ucast, in_nucast, in_discards, in_errors;
    uint64_t out_octets, out_ucast, out_discards, out_errors;
} iph_link;

static uint64_t iph_stat(const iph_if *f, const char *what)
{
    char path[64];
    snprintf(path, sizeof path, "statistics/%s", what);
    long v = iph_sys_long(f->name, path, 0);
    return v > 0 ? (uint64_t)v : 0;
}

static void iph_link_read(iph_link *k, const iph_if *f)
{
    k->lo = iph_is_loopback(f);
    k->up = (f->flags & IFF_UP) != 0;
    k->running = k->lo || (f->flags & IFF_RUNNING);
    long mtu = iph_sys_long(f->name, "mtu", 1500);
    k->mtu = k->lo ? 0xffffffffu : (uint32_t)mtu;
    k->speed = k->lo ? 0 : iph_sys_long(f->name, "speed", -1);
    uint64_t multicast = iph_stat(f, "multicast"), rx = iph_stat(f, "rx_packets");
    k->in_octets = iph_stat(f, "rx_bytes");
    k->in_ucast = rx > multicast ? rx - multicast : 0;
    k->in_nucast = multicast;
    k->in_discards = iph_stat(f, "rx_dropped");
    k->in_errors = iph_stat(f, "rx_errors");
    k->out_octets = iph_stat(f, "tx_bytes");
    k->out_ucast = iph_stat(f, "tx_packets");
    k->out_discards = iph_stat(f, "tx_dropped");
    k->out_errors = iph_stat(f, "tx_errors");
}

static void iph_fill_row(iph_ifrow *row, const iph_if *f)
{
    memset(row, 0, sizeof *row);
    iph_link k;
    iph_link_read(&k, f);
    char name[64], guid[39];
    iph_guid(f->name, guid);
    snprintf(name, sizeof name, "\\DEVICE\\TCPIP_%s", guid);
    iph_put_w(row->wszName, 256, name);
    row->dwIndex = f->index;
    row->dwType = iph_if_type(f);
    row->dwMtu = k.mtu;
    row->dwSpeed = k.lo          ? 1073741824u
                   : k.speed <= 0 ? 0
                   : k.speed >= 4294 ? 0xffffffffu
                                     : (uint32_t)k.speed * 1000000u;
    if (!k.lo) {
        row->dwPhysAddrLen = f->maclen;
        memcpy(row->bPhysAddr, f->mac, f->maclen);
    }
    row->dwAdminStatus = k.up ? IPH_MIB_IF_ADMIN_STATUS_UP : IPH_MIB_IF_ADMIN_STATUS_DOWN;
    row->dwOperStatus = k.up && k.running ? IPH_MIB_IF_OPER_STATUS_OPERATIONAL
                                          : IPH_MIB_IF_OPER_STATUS_NON_OPERATIONAL;
    row->dwInOctets = (uint32_t)k.in_octets;
    row->dwInUcastPkts = (uint32_t)k.in_ucast;
    row->dwInNUcastPkts = (uint32_t)k.in_nucast;
    row->dwInDiscards = (uint32_t)k.in_discards;
    row->dwInErrors = (uint32_t)k.in_errors;
    row->dwOutOctets = (uint32_t)k.out_octets;
    row->dwOutUcastPkts = (uint32_t)k.out_ucast;
    row->dwOutDiscards = (uint32_t)k.out_discards;
    row->dwOutErrors = (uint32_t)k.out_errors;
    const char *descr = k.lo ? "Software Loopback Interface 1" : f->name;
    size_t n = strlen(descr);
    memcpy(row->bDescr, descr, n + 1);
    row->dwDescrLen = (uint32_t)n; /* without the NUL, as Wine 8.0 (whose tests run on Windows) */
}

/* DWORD GetIfTable(PMIB_IFTABLE pIfTable, PULONG pdwSize, BOOL bOrder): rows by ascending
 * index whatever bOrder says (the host's list is in that order). */
static uint32_t WINAPI iph_GetIfTable(void *out, uint32_t *size_ptr, int32_t order)
{
    (void)order;
    uint32_t have;
    iph_host h;
    uint32_t err = iph_sized_begin(size_ptr, &have, &h);
    if (err)
        return err;
    /* dwNumEntries, padded to the rows' 4-byte alignment: the rows follow at 4 */
    size_t need = 4 + h.nifs * sizeof(iph_ifrow);
    uint8_t *buf;
    uint32_t ret = iph_mib_table_get(out, size_ptr, have, need, (uint32_t)h.nifs, &buf);
    if (ret != 0)
        goto free_host;
    for (size_t i = 0; i < h.nifs; i++)
        iph_fill_row((iph_ifrow *)(buf + 4 + i * sizeof(iph_ifrow)), &h.ifs[i]);
    ret = iph_mib_table_put(out, buf, need);
free_host:
    iph_host_free(&h);
    return ret;
}
THK_EXPORT_AS(iphlpapi, GetIfTable, iph_GetIfTable, 3);

/* DWORD GetIfEntry(PMIB_IFROW pIfRow): the row of pIfRow->dwIndex; ERROR_INVALID_DATA for an
 * index the host has not (Microsoft's GetIfEntry page). */
static uint32_t WINAPI iph_GetIfEntry(void *row)
{
    if (!row)
        return IPH_ERROR_INVALID_PARAMETER;
    uint32_t index;
    if (nt_copy_from_user(&index, (uint8_t *)row + offsetof(iph_ifrow, dwIndex), 4) != 0)
        return IPH_ERROR_NOACCESS;
    iph_host h;
    if (iph_host_read(&h) != 0)
        return IPH_ERROR_NOT_ENOUGH_MEMORY;
    uint32_t ret = IPH_ERROR_INVALID_DATA;
    for (size_t i = 0; i < h.nifs; i++) {
        if (h.ifs[i].index != index)
            continue;
        iph_ifrow r;
        iph_fill_row(&r, &h.ifs[i]);
        ret = nt_copy_to_user(row, &r, sizeof r) != 0 ? IPH_ERROR_NOACCESS : 0;
        break;
    }
    iph_host_free(&h);
    return ret;
}
THK_EXPORT_AS(iphlpapi, GetIfEntry, iph_GetIfEntry, 1);

static uint32_t WINAPI iph_GetNumberOfInterfaces(uint32_t *out)
{
    if (!out)
        return IPH_ERROR_INVALID_PARAMETER;
    iph_host h;
    if (iph_host_read(&h) != 0)
        return IPH_ERROR_NOT_ENOUGH_MEMORY;
    uint32_t n = (uint32_t)h.nifs;
    iph_host_free(&h);
    return nt_copy_to_user(out, &n, sizeof n) != 0 ? IPH_ERROR_NOACCESS : 0;
}
THK_EXPORT_AS(iphlpapi, GetNumberOfInterfaces, iph_GetNumberOfInterfaces, 1);

/* ---- the best interface for a destination ---- */

static bool iph_prefix_match(const uint8_t *a, const uint8_t *b, unsigned plen)
{
    unsigned full = plen / 8, rest = plen % 8;
    if (memcmp(a, b, full))
        return false;
    return !rest || ((a[full] ^ b[full]) & (0xff00u >> rest) & 0xff) == 0;
}

/* The route to dest (4 or 16 bytes), through interface `only` when it is not 0: its
 * interface index (0 if no route leads there), prefix, next hop and metric in *r. The loopback
 * for 127.0.0.0/8 and ::1 and the owning interface for one of the host's own addresses come
 * first (on-link routes: 127.0.0.0/8, or a host route /32 or /128, as Windows keeps them), then
 * the longest match of /proc/net/route or ipv6_route, the lower metric between equals. */
unsigned iph_route_find(const iph_host *h, const uint8_t *dest, int v6, unsigned only,
                        iph_route *r)
{
    static const uint8_t loop6[16] = {[15] = 1}, lo4[4] = {127, 0, 0, 1};
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < h->nifs; i++) {
        const iph_if *f = &h->ifs[i];
        if (only && f->index != only)
            continue;
        bool lo = iph_is_loopback(f) && (v6 ? !memcmp(dest, loop6, 16) : dest[0] == 127);
        bool own = false;
        for (size_t k = 0; !lo && !own && k < f->naddrs; k++) /* one of the host's own */
            own = f->addrs[k].v6 == v6 && !memcmp(f->addrs[k].addr, dest, v6 ? 16 : 4);
        if (!lo && !own)
            continue;
        if (lo && !v6 && memcmp(dest, lo4, 4) != 0) {
            r->prefix[0] = 127; /* 127.0.0.0/8, the loopback's network route */
            r->plen = 8;
        } else { /* a host route: 127.0.0.1, ::1, one of the host's own addresses */
            memcpy(r->prefix, dest, v6 ? 16 : 4);
            r->plen = v6 ? 128 : 32;
        }
        r->metric = IPH_ONLINK_METRIC;
        r->index = f->index;
        return r->index;
    }
    bool found = false;
    char line[512];
    FILE *fp = fopen(v6 ? "/proc/net/ipv6_route" : "/proc/net/route", "re");
    if (!fp)
        return 0;
    while (fgets(line, sizeof line, fp)) {
        char dev[IF_NAMESIZE + 1];
        uint8_t dst[16] = {0}, gw[16] = {0};
        unsigned plen, metric, flags;
        if (v6) {
            /* dst dst_len src src_len next_hop metric refcnt use flags dev */
            char d[33], src[33], hop[33];
            unsigned slen, ref, use;
            if (sscanf(line, "%32s %x %32s %x %32s %x %x %x %x %16s", d, &plen, src, &slen, hop,
                       &metric, &ref, &use, &flags, dev) != 10 || plen > 128)
                continue;
            for (int i = 0; i < 16; i++) {
                unsigned b, g;
                if (sscanf(d + 2 * i, "%2x", &b) != 1 || sscanf(hop + 2 * i, "%2x", &g) != 1)
                    b = g = 0;
                dst[i] = (uint8_t)b;
                gw[i] = (uint8_t)g;
            }
        } else {
            /* Iface Destination Gateway Flags RefCnt Use Metric Mask: addresses are the
             * in_addr's bytes as a host-order hex number */
            unsigned d, g, ref, use, mask;
            if (sscanf(line, "%16s %x %x %x %x %x %x %x", dev, &d, &g, &flags, &ref, &use,
                       &metric, &mask) != 8)
                continue;
            memcpy(dst, &d, 4);
            memcpy(gw, &g, 4);
            uint8_t m[4];
            memcpy(m, &mask, 4);
            plen = 0;
            for (int i = 0; i < 4; i++)
                plen += (unsigned)__builtin_popcount(m[i]);
        }
        if (!(flags & 0x1) || !strcmp(dev, "lo")) /* RTF_UP; lo's routes are the unreachables */
            continue;
        if (!iph_prefix_match(dst, dest, plen))
            continue;
        if (found && (plen < r->plen || (plen == r->plen && metric >= r->metric)))
            continue;
        unsigned index = if_nametoindex(dev);
        if (!index || (only && index != only))
            continue;
        found = true;
        r->index = index, r->plen = plen, r->metric = metric;
        memcpy(r->prefix, dst, 16);
        memcpy(r->gateway, gw, 16);
        r->has_gateway = (flags & 0x2) != 0; /* RTF_GATEWAY */
    }
    fclose(fp);
    return r->index;
}

/* The interface index for dest (4 or 16 bytes), 0 if no route leads there. */
static unsigned iph_best(const iph_host *h, const uint8_t *dest, int v6)
{
    iph_route r;
    return iph_route_find(h, dest, v6, 0, &r);
}

static uint32_t iph_best_answer(const uint8_t *dest, int v6, uint32_t *out)
{
    iph_host h;
    if (iph_host_read(&h) != 0)
        return IPH_ERROR_NOT_ENOUGH_MEMORY;
    uint32_t index = iph_best(&h, dest, v6);
    iph_host_free(&h);
    if (!index)
        return IPH_ERROR_CAN_NOT_COMPLETE;
    return nt_copy_to_user(out, &index, sizeof index) != 0 ? IPH_ERROR_NOACCESS : 0;
}

/* DWORD GetBestInterface(IPAddr dwDestAddr, PDWORD pdwBestIfIndex); the address in network
 * order. ERROR_CAN_NOT_COMPLETE when no route leads there. */
static uint32_t WINAPI iph_GetBestInterface(uint32_t dest, uint32_t *out)
{
    if (!out)
        return IPH_ERROR_INVALID_PARAMETER;
    uint8_t a[4];
    memcpy(a, &dest, 4);
    return iph_best_answer(a, 0, out);
}
THK_EXPORT_AS(iphlpapi, GetBestInterface, iph_GetBestInterface, 2);

/* DWORD GetBestInterfaceEx(struct sockaddr *pDestAddr, PDWORD pdwBestIfIndex): AF_INET (2)
 * or AF_INET6 (23). */
static uint32_t WINAPI iph_GetBestInterfaceEx(const void *sa, uint32_t *out)
{
    uint8_t buf[24];
    uint16_t family;
    if (!sa || !out || nt_copy_from_user(&family, sa, 2) != 0)
        return IPH_ERROR_INVALID_PARAMETER;
    size_t len = family == 2 ? 8 : family == 23 ? 24 : 0; /* through the address */
    if (!len || nt_copy_from_user(buf, sa, len) != 0)
        return IPH_ERROR_INVALID_PARAMETER;
    return family == 2 ? iph_best_answer(buf + 4, 0, out) : iph_best_answer(buf + 8, 1, out);
}
THK_EXPORT_AS(iphlpapi, GetBestInterfaceEx, iph_GetBestInterfaceEx, 2);

/* ---- GetIfTable2, GetIfTable2Ex, GetIfEntry2, FreeMibTable: MIB_IF_ROW2 ---- */

#define IPH_ERROR_FILE_NOT_FOUND 2u
#define IPH_LMEM_ZEROINIT 0x40u

void *WINAPI LocalAlloc(uint32_t flags, size_t size); /* kernel32 */
void *WINAPI LocalFree(void *mem);

/* MIB_IF_ROW2 */
typedef struct {
    uint64_t InterfaceLuid;                /* 0x000 */
    uint32_t InterfaceIndex;               /* 0x008 */
    uint8_t InterfaceGuid[16];             /* 0x00c */
    uint16_t Alias[257];                   /* 0x01c */
    uint16_t Description[257];             /* 0x21e */
    uint32_t PhysicalAddressLength;        /* 0x420 */
    uint8_t PhysicalAddress[32];           /* 0x424 */
    uint8_t PermanentPhysicalAddress[32];  /* 0x444 */
    uint32_t Mtu;                          /* 0x464 */
    uint32_t Type;                         /* 0x468 */
    uint32_t TunnelType;                   /* 0x46c */
    uint32_t MediaType;                    /* 0x470 NDIS_MEDIUM */
    uint32_t PhysicalMediumType;           /* 0x474 */
    uint32_t AccessType;                   /* 0x478 */
    uint32_t DirectionType;                /* 0x47c */
    uint8_t InterfaceAndOperStatusFlags;   /* 0x480 */
    uint8_t pad[3];
    uint32_t OperStatus;                   /* 0x484 */
    uint32_t AdminStatus;                  /* 0x488 */
    uint32_t MediaConnectState;            /* 0x48c */
    uint8_t NetworkGuid[16];               /* 0x490 */
    uint32_t ConnectionType;               /* 0x4a0 */
    uint32_t pad2;
    uint64_t TransmitLinkSpeed;            /* 0x4a8 */
    uint64_t ReceiveLinkSpeed;             /* 0x4b0 */
    uint64_t InOctets, InUcastPkts, InNUcastPkts, InDiscards, InErrors, InUnknownProtos,
        InUcastOctets, InMulticastOctets, InBroadcastOctets; /* 0x4b8 .. */
    uint64_t OutOctets, OutUcastPkts, OutNUcastPkts, OutDiscards, OutErrors, OutUcastOctets,
        OutMulticastOctets, OutBroadcastOctets, OutQLen;     /* 0x500 .. */
} iph_ifrow2;
_Static_assert(offsetof(iph_ifrow2, Description) == 0x21e, "MIB_IF_ROW2.Description");
_Static_assert(offsetof(iph_ifrow2, Mtu) == 0x464, "MIB_IF_ROW2.Mtu");
_Static_assert(offsetof(iph_ifrow2, OperStatus) == 0x484, "MIB_IF_ROW2.OperStatus");
_Static_assert(offsetof(iph_ifrow2, TransmitLinkSpeed) == 0x4a8, "MIB_IF_ROW2.TransmitLinkSpeed");
_Static_assert(offsetof(iph_ifrow2, InOctets) == 0x4b8, "MIB_IF_ROW2.InOctets");
_Static_assert(offsetof(iph_ifrow2, OutOctets) == 0x500, "MIB_IF_ROW2.OutOctets");
_Static_assert(sizeof(iph_ifrow2) == 0x548, "MIB_IF_ROW2");

/* GetAdaptersAddresses's AdapterName "{GUID}" as a GUID's bytes */
static void iph_guid_bytes(const iph_if *f, uint8_t out[16])
{
    char s[39];
    iph_guid(f->name, s);
    unsigned d1, d2, d3, b[8];
    sscanf(s, "{%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x}", &d1, &d2, &d3, &b[0], &b[1], &b[2],
           &b[3], &b[4], &b[5], &b[6], &b[7]);
    uint16_t w2 = (uint16_t)d2, w3 = (uint16_t)d3;
    memcpy(out, &d1, 4);
    memcpy(out + 4, &w2, 2);
    memcpy(out + 6, &w3, 2);
    for (int i = 0; i < 8; i++)
        out[8 + i] = (uint8_t)b[i];
}

/* The row of one interface: the names, LUID and statuses GetAdaptersAddresses gives it. */
static void iph_fill_row2(iph_ifrow2 *r, const iph_if *f)
{
    memset(r, 0, sizeof *r);
    iph_link k;
    iph_link_read(&k, f);
    uint32_t type = iph_if_type(f);
    r->InterfaceLuid = iph_luid(f);
    r->InterfaceIndex = f->index;
    iph_guid_bytes(f, r->InterfaceGuid);
    iph_put_w(r->Alias, 257, k.lo ? "Loopback Pseudo-Interface 1" : f->name);
    iph_put_w(r->Description, 257, k.lo ? "Software Loopback Interface 1" : f->name);
    if (!k.lo) {
        r->PhysicalAddressLength = f->maclen;
        memcpy(r->PhysicalAddress, f->mac, f->maclen);
        memcpy(r->PermanentPhysicalAddress, f->mac, f->maclen);
    }
    r->Mtu = k.mtu;
    r->Type = type;
    r->MediaType = 0; /* NdisMedium802_3, as Windows gives the loopback too */
    r->PhysicalMediumType = type == 71 ? 9 : type == 6 ? 14 : 0; /* Native802_11, 802_3 */
    r->AccessType = k.lo ? 1 : 2;     /* NET_IF_ACCESS_LOOPBACK, NET_IF_ACCESS_BROADCAST */
    r->DirectionType = 0;             /* NET_IF_DIRECTION_SENDRECEIVE */
    char dev[80];
    snprintf(dev, sizeof dev, "/sys/class/net/%s/device", f->name);
    bool hardware = !k.lo && access(dev, F_OK) == 0;
    /* HardwareInterface, ConnectorPresent, NotMediaConnected */
    r->InterfaceAndOperStatusFlags =
        (uint8_t)((hardware ? 0x1 | 0x4 : 0) | (k.running ? 0 : 0x10));
    r->OperStatus = k.up && k.running ? 1 : 2; /* IfOperStatusUp, IfOperStatusDown */
    r->AdminStatus = k.up ? 1 : 2;             /* NET_IF_ADMIN_STATUS_UP / DOWN */
    r->MediaConnectState = k.running ? 1 : 2;  /* MediaConnectStateConnected / Disconnected */
    r->ConnectionType = 1;                     /* NET_IF_CONNECTION_DEDICATED */
    r->TransmitLinkSpeed = r->ReceiveLinkSpeed =
        k.lo ? 1073741824ull : k.speed > 0 ? (uint64_t)k.speed * 1000000u : 0;
    r->InOctets = k.in_octets;
    r->InUcastPkts = k.in_ucast;
    r->InNUcastPkts = k.in_nucast;
    r->InDiscards = k.in_discards;
    r->InErrors = k.in_errors;
    r->OutOctets = k.out_octets;
    r->OutUcastPkts = k.out_ucast;
    r->OutDiscards = k.out_discards;
    r->OutErrors = k.out_errors;
}

/* MIB_IF_TABLE2: NumEntries, then the rows at 8 */
static uint32_t iph_table2(void **table_ptr)
{
    if (!table_ptr)
        return IPH_ERROR_INVALID_PARAMETER;
    iph_host h;
    if (iph_host_read(&h) != 0)
        return IPH_ERROR_NOT_ENOUGH_MEMORY;
    size_t need = 8 + (h.nifs ? h.nifs : 1) * sizeof(iph_ifrow2);
    uint8_t *t = LocalAlloc(IPH_LMEM_ZEROINIT, need);
    uint32_t ret = IPH_ERROR_NOT_ENOUGH_MEMORY;
    if (t) {
        uint32_t n = (uint32_t)h.nifs;
        memcpy(t, &n, 4);
        for (size_t i = 0; i < h.nifs; i++) {
            iph_ifrow2 r;
            iph_fill_row2(&r, &h.ifs[i]);
            memcpy(t + 8 + i * sizeof r, &r, sizeof r);
        }
        ret = nt_copy_to_user(table_ptr, &t, sizeof t) != 0 ? IPH_ERROR_NOACCESS : 0;
        if (ret)
            LocalFree(t);
    }
    iph_host_free(&h);
    return ret;
}

/* NETIO_STATUS GetIfTable2(PMIB_IF_TABLE2 *Table): the table in memory FreeMibTable frees. */
static uint32_t WINAPI iph_GetIfTable2(void **table_ptr)
{
    return iph_table2(table_ptr);
}
THK_EXPORT_AS(iphlpapi, GetIfTable2, iph_GetIfTable2, 1);

/* GetIfTable2Ex(MIB_IF_TABLE_LEVEL Level, PMIB_IF_TABLE2 *Table): MibIfTableNormal (0) and
 * MibIfTableRaw (1) give the same rows here (ntrun has no filter drivers). */
static uint32_t WINAPI iph_GetIfTable2Ex(uint32_t level, void **table_ptr)
{
    if (level > 2)
        return IPH_ERROR_INVALID_PARAMETER;
    return iph_table2(table_ptr);
}
THK_EXPORT_AS(iphlpapi, GetIfTable2Ex, iph_GetIfTable2Ex, 2);

/* NETIO_STATUS GetIfEntry2(PMIB_IF_ROW2 Row): by InterfaceLuid, or InterfaceIndex when the LUID
 * is 0; ERROR_FILE_NOT_FOUND for neither (Microsoft's GetIfEntry2 page). */
static uint32_t WINAPI iph_GetIfEntry2(void *row)
{
    uint8_t key[12];
    if (!row || nt_copy_from_user(key, row, sizeof key) != 0)
        return IPH_ERROR_INVALID_PARAMETER;
    uint64_t luid;
    uint32_t index;
    memcpy(&luid, key, 8);
    memcpy(&index, key + 8, 4);
    iph_host h;
    if (iph_host_read(&h) != 0)
        return IPH_ERROR_NOT_ENOUGH_MEMORY;
    uint32_t ret = IPH_ERROR_FILE_NOT_FOUND;
    for (size_t i = 0; i < h.nifs; i++) {
        iph_ifrow2 r;
        iph_fill_row2(&r, &h.ifs[i]);
        if (luid ? r.InterfaceLuid != luid : r.InterfaceIndex != index)
            continue;
        ret = nt_copy_to_user(row, &r, sizeof r) != 0 ? IPH_ERROR_NOACCESS : 0;
        break;
    }
    iph_host_free(&h);
    return ret;
}
THK_EXPORT_AS(iphlpapi, GetIfEntry2, iph_GetIfEntry2, 1);

/* VOID FreeMibTable(PVOID Memory) */
static void WINAPI iph_FreeMibTable(void *mem)
{
    if (mem)
        LocalFree(mem);
}
THK_EXPORT_AS(iphlpapi, FreeMibTable, iph_FreeMibTable, 1);
