/* iphlpapi!GetAdaptersInfo: ERROR_INVALID_PARAMETER for a NULL size; the size protocol
 * (ERROR_BUFFER_OVERFLOW with the size needed for no buffer and for a buffer one byte short,
 * then success); the list agrees with GetAdaptersAddresses: no loopback adapter, each adapter's
 * AdapterName, Index, Type and physical address those of the GetAdaptersAddresses adapter of
 * the same name, its IP address list (every pointer inside the buffer) its IPv4 unicast
 * addresses as dotted strings with their masks, or "0.0.0.0" for none, and as many adapters.
 * On a host with no adapter but the loopback (a container without a network, as
 * GetAdaptersAddresses tells), every call but the NULL size's is ERROR_NO_DATA ("No adapter
 * information exists for the local computer", the GetAdaptersInfo page) and the list is empty.
 * Only invariants are printed, the same on both kinds of host: adapters are the host's. */
#include <winsock2.h>
#include <iphlpapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static BYTE *lo_buf, *hi_buf;

static int inside(const void *p, size_t n)
{
    return (const BYTE *)p >= lo_buf && (const BYTE *)p + n <= hi_buf;
}

static void dotted(const BYTE *b, char *out)
{
    sprintf(out, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
}

/* Does `info` agree with GetAdaptersAddresses' adapter of the same AdapterName? */
static int agrees(const IP_ADAPTER_INFO *info, IP_ADAPTER_ADDRESSES *list)
{
    for (IP_ADAPTER_ADDRESSES *a = list; a; a = a->Next) {
        if (strcmp(a->AdapterName, info->AdapterName))
            continue;
        if (a->IfType == IF_TYPE_SOFTWARE_LOOPBACK || a->IfIndex != info->Index ||
            a->IfType != info->Type || a->PhysicalAddressLength != info->AddressLength ||
            memcmp(a->PhysicalAddress, info->Address, info->AddressLength))
            return 0;
        const IP_ADDR_STRING *s = &info->IpAddressList;
        IP_ADAPTER_UNICAST_ADDRESS *u = a->FirstUnicastAddress;
        if (!u)
            return !strcmp(s->IpAddress.String, "0.0.0.0") && !s->Next;
        for (; u; u = u->Next) {
            if (!s || (s != &info->IpAddressList && !inside(s, sizeof *s)))
                return 0;
            char want[16], mask[16];
            dotted((const BYTE *)&((struct sockaddr_in *)u->Address.lpSockaddr)->sin_addr, want);
            ULONG m = u->OnLinkPrefixLength ? 0xffffffffu << (32 - u->OnLinkPrefixLength) : 0;
            BYTE mb[4] = {m >> 24, m >> 16, m >> 8, m};
            dotted(mb, mask);
            if (strcmp(s->IpAddress.String, want) || strcmp(s->IpMask.String, mask))
                return 0;
            s = s->Next;
        }
        return s == NULL;
    }
    return 0;
}

static int adapters; /* GetAdaptersAddresses' IPv4 adapters but the loopback */

/* A GetAdaptersInfo call's result `got` is `want` and `holds` (what else it must do) on a host
 * with adapters, ERROR_NO_DATA on one without. */
static void expect(const char *what, DWORD got, DWORD want, int holds)
{
    if (adapters ? got == want && holds : got == ERROR_NO_DATA)
        printf("%s: right\n", what);
    else
        printf("%s: %lu (%d adapters but the loopback; %lu expected, the rest %s)\n", what, got,
               adapters, adapters ? want : ERROR_NO_DATA, holds ? "right" : "wrong");
}

int main(void)
{
    ULONG gsize = 0;
    GetAdaptersAddresses(AF_INET, 0, NULL, NULL, &gsize);
    IP_ADAPTER_ADDRESSES *list = malloc(gsize);
    if (GetAdaptersAddresses(AF_INET, 0, NULL, list, &gsize) != NO_ERROR)
        return 2;
    for (IP_ADAPTER_ADDRESSES *a = list; a; a = a->Next)
        adapters += a->IfType != IF_TYPE_SOFTWARE_LOOPBACK;

    printf("NULL size: %lu\n", GetAdaptersInfo(NULL, NULL));
    ULONG size = 0;
    DWORD r = GetAdaptersInfo(NULL, &size);
    expect("NULL buffer, the size needed", r, ERROR_BUFFER_OVERFLOW,
           size >= sizeof(IP_ADAPTER_INFO));
    if (!adapters)
        size = sizeof(IP_ADAPTER_INFO); /* a buffer that could hold one */
    ULONG short_size = size - 1;
    BYTE *buf = malloc(size);
    memset(buf, 0xcc, size);
    r = GetAdaptersInfo((IP_ADAPTER_INFO *)buf, &short_size);
    expect("one byte short, the size asked again", r, ERROR_BUFFER_OVERFLOW, short_size == size);
    r = GetAdaptersInfo((IP_ADAPTER_INFO *)buf, &size);
    expect("filled", r, NO_ERROR, 1);
    lo_buf = buf;
    hi_buf = buf + size;
    int ok = 1, n = 0;
    for (IP_ADAPTER_INFO *a = r == NO_ERROR ? (IP_ADAPTER_INFO *)buf : NULL; a; a = a->Next) {
        if (!inside(a, sizeof *a)) {
            ok = 0;
            break;
        }
        n++;
        ok &= agrees(a, list);
    }
    printf("every adapter agrees with GetAdaptersAddresses: %d, as many: %d\n", ok, n == adapters);
    free(list);
    free(buf);
    return 0;
}
