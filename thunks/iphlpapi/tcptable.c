/* SPDX-License-Identifier: MIT */
/* iphlpapi's IPv4 connection tables, as netstat reads them: GetTcpTable (MIB_TCPROW: state,
 * local and remote address and port) and GetUdpTable (MIB_UDPROW: local address and port), from
 * the kernel's /proc/net/tcp and /proc/net/udp (the sockets of the host's network namespace, as
 * Windows lists every process's). Addresses are in network order and ports in network order in
 * the low 16 bits, as Windows gives them; the rows are sorted by local address, local port,
 * remote address and remote port whatever bOrder says (Windows sorts them when asked). Linux's
 * states are mapped to MIB_TCP_STATE. IPv6 sockets (GetTcp6Table) are not listed here: a Linux
 * dual-stack socket is an IPv6 one, as on Windows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/iphlpapi/iphlpapi_private.h"
#include "thunks/thunks_private.h"

#define IPH_ERROR_INVALID_PARAMETER 87u
#define IPH_ERROR_NOACCESS 998u
#define IPH_ERROR_NOT_ENOUGH_MEMORY 8u

/* MIB_TCPROW (the first five fields of MIB_TCPROW_OWNER_PID too) */
typedef struct {
    uint32_t dwState;      /* 0x00 MIB_TCP_STATE */
    uint32_t dwLocalAddr;  /* 0x04 network order */
    uint32_t dwLocalPort;  /* 0x08 network order, low 16 bits */
    uint32_t dwRemoteAddr; /* 0x0c */
    uint32_t dwRemotePort; /* 0x10 */
} iph_tcprow;
_Static_assert(sizeof(iph_tcprow) == 0x14, "MIB_TCPROW");

/* MIB_UDPROW */
typedef struct {
    uint32_t dwLocalAddr; /* 0x00 network order */
    uint32_t dwLocalPort; /* 0x04 network order, low 16 bits */
} iph_udprow;
_Static_assert(sizeof(iph_udprow) == 8, "MIB_UDPROW");

/* Linux's TCP states (include/net/tcp_states.h, 1..11) as MIB_TCP_STATE */
static uint32_t iph_tcp_state(unsigned st)
{
    static const uint8_t map[12] = {
        0,
        5,  /* ESTABLISHED -> MIB_TCP_STATE_ESTAB */
        3,  /* SYN_SENT */
        4,  /* SYN_RECV -> SYN_RCVD */
        6,  /* FIN_WAIT1 */
        7,  /* FIN_WAIT2 */
        11, /* TIME_WAIT */
        1,  /* CLOSE -> CLOSED */
        8,  /* CLOSE_WAIT */
        10, /* LAST_ACK */
        2,  /* LISTEN */
        9,  /* CLOSING */
    };
    return st < 12 && map[st] ? map[st] : 1;
}

static int iph_cmp_tcp(const void *pa, const void *pb)
{
    const iph_tcprow *a = pa, *b = pb;
    uint32_t ka[4] = {__builtin_bswap32(a->dwLocalAddr), __builtin_bswap16((uint16_t)a->dwLocalPort),
                      __builtin_bswap32(a->dwRemoteAddr), __builtin_bswap16((uint16_t)a->dwRemotePort)};
    uint32_t kb[4] = {__builtin_bswap32(b->dwLocalAddr), __builtin_bswap16((uint16_t)b->dwLocalPort),
                      __builtin_bswap32(b->dwRemoteAddr), __builtin_bswap16((uint16_t)b->dwRemotePort)};
    for (int i = 0; i < 4; i++)
        if (ka[i] != kb[i])
            return ka[i] < kb[i] ? -1 : 1;
    return 0;
}

static int iph_cmp_udp(const void *pa, const void *pb)
{
    const iph_udprow *a = pa, *b = pb;
    uint32_t ka[2] = {__builtin_bswap32(a->dwLocalAddr), __builtin_bswap16((uint16_t)a->dwLocalPort)};
    uint32_t kb[2] = {__builtin_bswap32(b->dwLocalAddr), __builtin_bswap16((uint16_t)b->dwLocalPort)};
    for (int i = 0; i < 2; i++)
        if (ka[i] != kb[i])
            return ka[i] < kb[i] ? -1 : 1;
    return 0;
}

/* The rows of /proc/net/tcp (udp: false) or /proc/net/udp, malloc'd, sorted; -1 when out of
 * memory. A missing file (no IPv4) gives none. */
static long iph_read_sockets(bool udp, iph_tcprow **out)
{
    *out = NULL;
    FILE *f = fopen(udp ? "/proc/net/udp" : "/proc/net/tcp", "re");
    if (!f)
        return 0;
    char line[512];
    long n = 0, cap = 0;
    iph_tcprow *rows = NULL;
    if (!fgets(line, sizeof line, f)) /* the header */
        goto done;
    while (fgets(line, sizeof line, f)) {
        unsigned la, lp, ra, rp, st;
        if (sscanf(line, " %*u: %8x:%4x %8x:%4x %2x", &la, &lp, &ra, &rp, &st) != 5)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            iph_tcprow *r = realloc(rows, (size_t)cap * sizeof *rows);
            if (!r) {
                free(rows);
                fclose(f);
                return -1;
            }
            rows = r;
        }
        /* the kernel prints the address as the __be32 it holds, the port in host order */
        rows[n++] = (iph_tcprow){iph_tcp_state(st), la, __builtin_bswap16((uint16_t)lp), ra,
                                 __builtin_bswap16((uint16_t)rp)};
    }
done:
    fclose(f);
    if (n)
        qsort(rows, (size_t)n, sizeof *rows, iph_cmp_tcp);
    *out = rows;
    return n;
}

/* The caller's buffer size (*size_ptr), or the error for a missing or unreadable one. */
static uint32_t iph_size_in(const uint32_t *size_ptr, uint32_t *have)
{
    if (!size_ptr)
        return IPH_ERROR_INVALID_PARAMETER;
    if (nt_copy_from_user(have, size_ptr, sizeof *have) != 0)
        return IPH_ERROR_NOACCESS;
    return 0;
}

/* The start of GetTcpTable/GetUdpTable: the caller's size (iph_size_in) and the sockets' rows
 * (iph_read_sockets; *rows to be freed), or the error to return. */
static uint32_t iph_table_begin(const uint32_t *size_ptr, uint32_t *have, bool udp, iph_tcprow **rows,
                                long *n)
{
    uint32_t err = iph_size_in(size_ptr, have);
    if (err)
        return err;
    *n = iph_read_sockets(udp, rows);
    return *n < 0 ? IPH_ERROR_NOT_ENOUGH_MEMORY : 0;
}

/* DWORD GetTcpTable(PMIB_TCPTABLE table, PULONG size, BOOL order) */
static uint32_t WINAPI iph_GetTcpTable(void *out, uint32_t *size_ptr, int32_t order)
{
    (void)order;
    uint32_t have;
    iph_tcprow *rows;
    long n;
    uint32_t err = iph_table_begin(size_ptr, &have, false, &rows, &n);
    if (err)
        return err;
    uint8_t *buf;
    size_t need = 4 + (size_t)n * sizeof(iph_tcprow);
    uint32_t ret = iph_mib_table_get(out, size_ptr, have, need, (uint32_t)n, &buf);
    if (ret == 0) {
        memcpy(buf + 4, rows, (size_t)n * sizeof(iph_tcprow));
        ret = iph_mib_table_put(out, buf, need);
    }
    free(rows);
    return ret;
}
THK_EXPORT_AS(iphlpapi, GetTcpTable, iph_GetTcpTable, 3);

/* DWORD GetUdpTable(PMIB_UDPTABLE table, PULONG size, BOOL order) */
static uint32_t WINAPI iph_GetUdpTable(void *out, uint32_t *size_ptr, int32_t order)
{
    (void)order;
    uint32_t have;
    iph_tcprow *rows;
    long n;
    uint32_t err = iph_table_begin(size_ptr, &have, true, &rows, &n);
    if (err)
        return err;
    iph_udprow *udp = n ? malloc((size_t)n * sizeof *udp) : NULL;
    if (n && !udp) {
        free(rows);
        return IPH_ERROR_NOT_ENOUGH_MEMORY;
    }
    for (long i = 0; i < n; i++)
        udp[i] = (iph_udprow){rows[i].dwLocalAddr, rows[i].dwLocalPort};
    free(rows);
    if (n)
        qsort(udp, (size_t)n, sizeof *udp, iph_cmp_udp);
    uint8_t *buf;
    size_t need = 4 + (size_t)n * sizeof(iph_udprow);
    uint32_t ret = iph_mib_table_get(out, size_ptr, have, need, (uint32_t)n, &buf);
    if (ret == 0) {
        memcpy(buf + 4, udp, (size_t)n * sizeof(iph_udprow));
        ret = iph_mib_table_put(out, buf, need);
    }
    free(udp);
    return ret;
}
THK_EXPORT_AS(iphlpapi, GetUdpTable, iph_GetUdpTable, 3);
