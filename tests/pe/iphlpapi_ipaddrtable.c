/* iphlpapi!GetIpAddrTable: ERROR_INVALID_PARAMETER for a NULL size; the size protocol
 * (ERROR_INSUFFICIENT_BUFFER with the size needed for no table and for a buffer one byte short,
 * then success); one row per IPv4 address GetAdaptersAddresses(AF_INET) lists, each with the
 * IfIndex of its adapter; ascending addresses with bOrder; the loopback row as Windows has it
 * (127.0.0.1, mask 255.0.0.0, broadcast field 1, reassembly size 65535, MIB_IPADDR_PRIMARY).
 * Only invariants and the loopback row are printed: other addresses are the host's. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A DWORD in network order as a number (no ws2_32 import for ntohl). */
static DWORD net32(DWORD v)
{
    const BYTE *b = (const BYTE *)&v;
    return (DWORD)b[0] << 24 | (DWORD)b[1] << 16 | (DWORD)b[2] << 8 | b[3];
}

/* The IPv4 unicast addresses GetAdaptersAddresses lists, with their adapter's IfIndex. */
static size_t gaa_ipv4(DWORD *addrs, DWORD *index, size_t max)
{
    ULONG size = 0;
    if (GetAdaptersAddresses(AF_INET, 0, NULL, NULL, &size) != ERROR_BUFFER_OVERFLOW)
        return 0;
    IP_ADAPTER_ADDRESSES *list = malloc(size);
    if (!list || GetAdaptersAddresses(AF_INET, 0, NULL, list, &size) != NO_ERROR)
        return 0;
    size_t n = 0;
    for (IP_ADAPTER_ADDRESSES *a = list; a; a = a->Next)
        for (IP_ADAPTER_UNICAST_ADDRESS *u = a->FirstUnicastAddress; u; u = u->Next)
            if (n < max) {
                addrs[n] = ((struct sockaddr_in *)u->Address.lpSockaddr)->sin_addr.s_addr;
                index[n++] = a->IfIndex;
            }
    free(list);
    return n;
}

int main(void)
{
    printf("NULL size: %lu\n", GetIpAddrTable(NULL, NULL, FALSE));

    ULONG size = 0;
    DWORD r = GetIpAddrTable(NULL, &size, FALSE);
    printf("NULL table: %lu, size holds a row %d\n", r, size >= sizeof(MIB_IPADDRTABLE));

    ULONG short_size = size - 1;
    MIB_IPADDRTABLE *t = malloc(size);
    memset(t, 0xcc, size);
    r = GetIpAddrTable(t, &short_size, FALSE);
    printf("one byte short: %lu, size asked again %d\n", r, short_size == size);

    r = GetIpAddrTable(t, &size, FALSE);
    printf("filled: %lu\n", r);
    if (r != NO_ERROR)
        return 1;

    DWORD gaddr[64], gindex[64];
    size_t gn = gaa_ipv4(gaddr, gindex, 64);
    int same = gn == t->dwNumEntries;
    for (DWORD i = 0; same && i < t->dwNumEntries; i++) {
        int found = 0;
        for (size_t k = 0; k < gn; k++)
            found |= gaddr[k] == t->table[i].dwAddr && gindex[k] == t->table[i].dwIndex;
        same &= found;
    }
    printf("rows = GetAdaptersAddresses(AF_INET) unicast addresses with their IfIndex: %d\n",
           same);

    int lo = 0;
    for (DWORD i = 0; i < t->dwNumEntries; i++) {
        const MIB_IPADDRROW *row = &t->table[i];
        if (net32(row->dwAddr) != 0x7f000001)
            continue;
        lo++;
        const BYTE *m = (const BYTE *)&row->dwMask;
        printf("loopback: mask %u.%u.%u.%u, bcast %lu, reasm %lu, type %#x\n", m[0], m[1], m[2],
               m[3], row->dwBCastAddr, row->dwReasmSize, row->wType);
    }
    printf("loopback rows: %d\n", lo);

    r = GetIpAddrTable(t, &size, TRUE);
    int sorted = r == NO_ERROR;
    for (DWORD i = 1; sorted && i < t->dwNumEntries; i++)
        sorted = net32(t->table[i - 1].dwAddr) <= net32(t->table[i].dwAddr);
    printf("bOrder: %lu, ascending %d\n", r, sorted);
    free(t);
    return 0;
}
