/* iphlpapi!GetNetworkParams: the size protocol (ERROR_BUFFER_OVERFLOW with the size needed for
 * no buffer or a short one, at least sizeof(FIXED_INFO); ERROR_INVALID_PARAMETER for no size),
 * then the host name (GetComputerNameEx's DNS host name), CurrentDnsServer pointing at the
 * first entry of DnsServerList inside the structure, every listed server an IPv4 address, and
 * the NetBIOS fields. Node.js 18's c-ares looks it up as it starts. */
#include <winsock2.h>
#include <windows.h>
#include <iphlpapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    ULONG size = 0;
    DWORD r = GetNetworkParams(NULL, &size);
    printf("no buffer: %lu, size at least sizeof(FIXED_INFO): %d\n", r,
           size >= sizeof(FIXED_INFO));
    ULONG small = 16;
    FIXED_INFO tiny;
    r = GetNetworkParams(&tiny, &small);
    printf("16 bytes: %lu, size back: %d\n", r, small == size);
    printf("no size: %lu\n", GetNetworkParams(NULL, NULL));
    FIXED_INFO *fi = malloc(size);
    r = GetNetworkParams(fi, &size);
    printf("call: %lu\n", r);
    WCHAR host[256];
    DWORD n = 256;
    GetComputerNameExW(ComputerNameDnsHostname, host, &n);
    char ahost[256];
    WideCharToMultiByte(CP_UTF8, 0, host, -1, ahost, sizeof ahost, NULL, NULL);
    printf("host name is the DNS host name: %d\n", !strcmp(fi->HostName, ahost));
    printf("CurrentDnsServer is &DnsServerList: %d\n",
           fi->CurrentDnsServer == &fi->DnsServerList);
    int ok = 1, count = 0;
    for (IP_ADDR_STRING *s = &fi->DnsServerList; s; s = s->Next) {
        if (!s->IpAddress.String[0])
            break;
        count++;
        if (inet_addr(s->IpAddress.String) == INADDR_NONE)
            ok = 0;
    }
    printf("DNS servers are IPv4 addresses: %d\n", ok);
    printf("node type %u, scope \"%s\", routing %u, proxy %u, dns %u\n", fi->NodeType,
           fi->ScopeId, fi->EnableRouting, fi->EnableProxy, fi->EnableDns);
    free(fi);
    return 0;
}
