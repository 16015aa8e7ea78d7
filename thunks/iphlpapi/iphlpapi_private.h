/* SPDX-License-Identifier: MIT */
/* What iphlpapi's files share: the host's interfaces as adapters.c reads them (getifaddrs,
 * /sys/class/net, /etc/resolv.conf, the routes) and the Windows views of them. */
#ifndef NTRUN_THUNKS_IPHLPAPI_PRIVATE_H
#define NTRUN_THUNKS_IPHLPAPI_PRIVATE_H
#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int v6;            /* 0 IPv4, 1 IPv6 */
    uint8_t addr[16];
    unsigned plen;
} iph_addr;

typedef struct {
    char name[IF_NAMESIZE + 1];
    unsigned index;
    unsigned flags;    /* IFF_* */
    int hatype;        /* ARPHRD_*, -1 unknown */
    uint8_t mac[8];
    unsigned maclen;
    iph_addr *addrs;
    size_t naddrs;
    iph_addr gw[4];
    size_t ngw;
} iph_if;

typedef struct {
    iph_if *ifs;       /* by ascending index */
    size_t nifs;
    iph_addr dns[8];
    size_t ndns;
    char suffix[256];
} iph_host;

/* 0, or -1 (no memory, getifaddrs failed) */
int iph_host_read(iph_host *h);
void iph_host_free(iph_host *h);
/* The start of the calls with a size protocol (GetAdaptersInfo, GetIfTable...): 87 without a
 * size, 998 for one that cannot be read, 8 when the host's state cannot be read; 0 with *have
 * (the caller's size) and *h set (iph_host_free it). */
uint32_t iph_sized_begin(const uint32_t *size_ptr, uint32_t *have, iph_host *h);
int iph_is_loopback(const iph_if *f);
/* IF_TYPE_* as Windows gives it (the loopback IF_TYPE_SOFTWARE_LOOPBACK) */
uint32_t iph_if_type(const iph_if *f);
/* NET_LUID: IfType in bits 48-63, NetLuidIndex (the interface index) in bits 24-47. */
uint64_t iph_luid(const iph_if *f);
/* A stable "{GUID}" for an interface name. */
void iph_guid(const char *name, char out[39]);
/* /sys/class/net/NAME/WHAT as a number, dflt if absent. */
long iph_sys_long(const char *name, const char *what, long dflt);

/* A route as iph_route_find chooses it (iftable.c). */
typedef struct {
    unsigned index;      /* the interface's */
    uint8_t prefix[16];  /* the destination prefix (4 bytes for IPv4) */
    unsigned plen;
    uint8_t gateway[16]; /* the next hop when has_gateway, else on-link */
    int has_gateway;
    unsigned metric;     /* the route's own, without the interface's */
} iph_route;
/* Windows' metric of the routes it makes for an interface's addresses (on-link, host routes). */
#define IPH_ONLINK_METRIC 256u
/* The route to dest (4 or 16 bytes) through interface `only` (0: any): its interface index,
 * 0 when no route leads there. */
unsigned iph_route_find(const iph_host *h, const uint8_t *dest, int v6, unsigned only,
                        iph_route *r);

/* The MIB_*TABLE size protocol (GetIfTable, GetIpAddrTable): a DWORD count, then `need` bytes
 * in all. With no buffer or `have` < `need`, *size_ptr = need and ERROR_INSUFFICIENT_BUFFER (or
 * ERROR_NOACCESS); else 0 and *buf a zeroed copy of the table to fill, the count written, for
 * iph_mib_table_put. */
uint32_t iph_mib_table_get(void *out, uint32_t *size_ptr, uint32_t have, size_t need,
                           uint32_t count, uint8_t **buf);
/* Copies the filled table to the caller's buffer and frees it: 0 or ERROR_NOACCESS. */
uint32_t iph_mib_table_put(void *out, uint8_t *buf, size_t need);

#endif
