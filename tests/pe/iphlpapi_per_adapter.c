/* iphlpapi!GetPerAdapterInfo (.NET's NetworkInterface.GetIPProperties asks it for every adapter,
 * the loopback included): ERROR_INVALID_PARAMETER for a NULL size, ERROR_NO_DATA for an index no
 * adapter has, the size protocol (ERROR_BUFFER_OVERFLOW with the size needed for no buffer and
 * for a buffer one byte short), then success. The loopback (IF_TYPE_SOFTWARE_LOOPBACK, index 1
 * on Windows and Linux alike) has a bare IP_PER_ADAPTER_INFO: no DNS server, CurrentDnsServer
 * pointing at the empty list. Every other adapter's DNS server list (its pointers inside the
 * buffer) is GetNetworkParams' list, CurrentDnsServer its first entry. Only invariants are printed: the adapters and DNS
 * servers are the host's. Wine 8.0 prints the same. */
#include <winsock2.h>
#include <iphlpapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FIXED_INFO *params;

/* Does the adapter's list hold GetNetworkParams' servers, in order, inside [buf, buf+size)? */
static int same_servers(const IP_PER_ADAPTER_INFO *pi, ULONG size)
{
    const BYTE *lo = (const BYTE *)pi, *hi = lo + size;
    const IP_ADDR_STRING *a = &pi->DnsServerList, *b = &params->DnsServerList;
    if (pi->CurrentDnsServer != &pi->DnsServerList)
        return 0;
    if (!b->IpAddress.String[0]) /* no DNS server configured */
        return !a->IpAddress.String[0] && !a->Next;
    for (; a && b; a = a->Next, b = b->Next) {
        if (a != &pi->DnsServerList && ((const BYTE *)a < lo || (const BYTE *)(a + 1) > hi))
            return 0;
        if (strcmp(a->IpAddress.String, b->IpAddress.String))
            return 0;
    }
    return !a && !b;
}

int main(void)
{
    ULONG size = 0;
    if (GetNetworkParams(NULL, &size) != ERROR_BUFFER_OVERFLOW ||
        !(params = malloc(size)) || GetNetworkParams(params, &size) != NO_ERROR) {
        printf("GetNetworkParams failed\n");
        return 1;
    }
    ULONG asize = 0;
    GetAdaptersAddresses(AF_UNSPEC, 0, NULL, NULL, &asize);
    IP_ADAPTER_ADDRESSES *list = malloc(asize);
    if (!list || GetAdaptersAddresses(AF_UNSPEC, 0, NULL, list, &asize) != NO_ERROR) {
        printf("GetAdaptersAddresses failed\n");
        return 1;
    }
    printf("null size: %lu\n", GetPerAdapterInfo(1, NULL, NULL));
    size = 0;
    printf("no such adapter: %lu\n", GetPerAdapterInfo(0x7ffffff0, NULL, &size));
    int others = 0, others_ok = 0;
    for (IP_ADAPTER_ADDRESSES *a = list; a; a = a->Next) {
        ULONG need = 0;
        DWORD r1 = GetPerAdapterInfo(a->IfIndex, NULL, &need);
        ULONG short_size = need - 1;
        IP_PER_ADAPTER_INFO *pi = malloc(need + 64);
        memset(pi, 0xcc, need + 64);
        DWORD r2 = GetPerAdapterInfo(a->IfIndex, pi, &short_size);
        ULONG size2 = need + 64;
        DWORD r3 = GetPerAdapterInfo(a->IfIndex, pi, &size2);
        if (a->IfType == IF_TYPE_SOFTWARE_LOOPBACK) {
            printf("loopback (index %lu): no buffer %lu size %lu; one byte short %lu size %lu; "
                   "full %lu\n", a->IfIndex, r1, need, r2, short_size, r3);
            printf("  autoconfig %u/%u, current DNS server %s, first \"%s\", next %s\n",
                   pi->AutoconfigEnabled, pi->AutoconfigActive,
                   pi->CurrentDnsServer == &pi->DnsServerList ? "its list"
                   : pi->CurrentDnsServer                       ? "elsewhere"
                                                                : "NULL", pi->DnsServerList.IpAddress.String,
                   pi->DnsServerList.Next ? "set" : "NULL");
        } else {
            others++;
            others_ok += r1 == ERROR_BUFFER_OVERFLOW && need >= sizeof *pi &&
                         r2 == ERROR_BUFFER_OVERFLOW && short_size == need && r3 == NO_ERROR &&
                         same_servers(pi, need);
        }
        free(pi);
    }
    printf("other adapters agree with GetNetworkParams: %s\n",
           others == others_ok ? "all" : "NOT ALL"); /* (all of none on a host without any) */
    return 0;
}
