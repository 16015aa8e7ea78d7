/* iphlpapi's interface table and route choice: GetIfTable (ERROR_INVALID_PARAMETER for a NULL
 * size, the size protocol with ERROR_INSUFFICIENT_BUFFER, then the table; every adapter
 * GetAdaptersAddresses lists has a row with its index, type, MTU and physical address; rows
 * by ascending index with bOrder), GetNumberOfInterfaces, GetIfEntry (the loopback's row as
 * in the table, ERROR_INVALID_PARAMETER for NULL, ERROR_INVALID_DATA for an unknown index),
 * GetIfTable2/GetIfEntry2/FreeMibTable (as many rows; the loopback's MIB_IF_ROW2 with
 * GetAdaptersAddresses' LUID and GUID, found by LUID and by index; ERROR_FILE_NOT_FOUND for an
 * unknown index, ERROR_INVALID_PARAMETER for NULL), GetBestInterface/GetBestInterfaceEx
 * (127.0.0.1 and ::1 go to the loopback; a public address to an adapter with a default
 * gateway, or fails when none has one).
 * Only invariants and the loopback row are printed: the rest is the host's. Expected values:
 * Microsoft's pages of GetIfTable, GetIfEntry (ERROR_INVALID_DATA for an unknown index) and
 * MIB_IFROW (wszName "\DEVICE\TCPIP_{GUID}"); the loopback row as Windows 10 has it (type 24,
 * MTU 4294967295, speed 1073741824, "Software Loopback Interface 1", admin up, operational;
 * dwDescrLen without the NUL, as Wine 8.0 gives it). Wine 8.0 agrees on the size protocol, the
 * invariants and the errors but for: the loopback's MTU, speed, description and alias (Linux's:
 * 65536, 0, "lo"), GetIfEntry of an unknown index (ERROR_FILE_NOT_FOUND) and the best interface of
 * 127.0.0.1 and ::1 (not its loopback; ERROR_NOT_SUPPORTED for IPv6). */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A number as a DWORD in network order (no ws2_32 import for htonl). */
static DWORD net32(DWORD v)
{
    return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}

static IP_ADAPTER_ADDRESSES *adapters(void)
{
    ULONG size = 0;
    GetAdaptersAddresses(AF_UNSPEC, GAA_FLAG_INCLUDE_GATEWAYS, NULL, NULL, &size);
    IP_ADAPTER_ADDRESSES *list = malloc(size);
    if (!list || GetAdaptersAddresses(AF_UNSPEC, GAA_FLAG_INCLUDE_GATEWAYS, NULL, list, &size))
        return NULL;
    return list;
}

static const MIB_IFROW *find(const MIB_IFTABLE *t, DWORD index)
{
    for (DWORD i = 0; i < t->dwNumEntries; i++)
        if (t->table[i].dwIndex == index)
            return &t->table[i];
    return NULL;
}

int main(void)
{
    printf("NULL size: %lu\n", GetIfTable(NULL, NULL, FALSE));
    ULONG size = 0;
    DWORD r = GetIfTable(NULL, &size, FALSE);
    printf("NULL table: %lu, size holds a row %d\n", r, size >= sizeof(MIB_IFTABLE));
    MIB_IFTABLE *t = malloc(size);
    ULONG short_size = size - 1;
    r = GetIfTable(t, &short_size, FALSE);
    printf("one byte short: %lu, size asked again %d\n", r, short_size == size);
    r = GetIfTable(t, &size, TRUE);
    printf("filled: %lu\n", r);
    if (r)
        return 1;
    int ascending = 1;
    for (DWORD i = 1; i < t->dwNumEntries; i++)
        ascending &= t->table[i - 1].dwIndex < t->table[i].dwIndex;
    printf("bOrder: ascending indices %d\n", ascending);
    DWORD count = 0;
    r = GetNumberOfInterfaces(&count);
    printf("GetNumberOfInterfaces: %lu, at least one %d\n", r, count >= 1);
    printf("GetNumberOfInterfaces(NULL): %lu\n", GetNumberOfInterfaces(NULL));

    IP_ADAPTER_ADDRESSES *list = adapters();
    int all = list != NULL;
    DWORD lo = 0;
    for (IP_ADAPTER_ADDRESSES *a = list; a; a = a->Next) {
        const MIB_IFROW *row = find(t, a->IfIndex);
        all &= row && row->dwType == a->IfType && row->dwMtu == a->Mtu &&
               row->dwPhysAddrLen == a->PhysicalAddressLength &&
               !memcmp(row->bPhysAddr, a->PhysicalAddress, a->PhysicalAddressLength);
        if (a->IfType == IF_TYPE_SOFTWARE_LOOPBACK)
            lo = a->IfIndex;
    }
    printf("every adapter has its row: %d\n", all);

    const MIB_IFROW *row = find(t, lo);
    if (!row)
        return 1;
    char name[512];
    WideCharToMultiByte(CP_UTF8, 0, row->wszName, -1, name, sizeof name, NULL, NULL);
    printf("loopback: type %lu, mtu %lu, speed %lu, physaddr %lu, admin %lu, oper %lu\n",
           row->dwType, row->dwMtu, row->dwSpeed, row->dwPhysAddrLen, row->dwAdminStatus,
           row->dwOperStatus);
    printf("  descr %lu [%s], name is \\DEVICE\\TCPIP_{GUID} %d\n", row->dwDescrLen,
           (const char *)row->bDescr,
           !strncmp(name, "\\DEVICE\\TCPIP_{", 15) && strlen(name) == 52 && name[51] == '}');

    MIB_IFROW e;
    memset(&e, 0xcc, sizeof e);
    e.dwIndex = lo;
    r = GetIfEntry(&e);
    printf("GetIfEntry(loopback): %lu, same row %d\n", r,
           !memcmp(e.wszName, row->wszName, sizeof e.wszName) && e.dwType == row->dwType &&
               e.dwMtu == row->dwMtu && e.dwSpeed == row->dwSpeed &&
               e.dwDescrLen == row->dwDescrLen &&
               !memcmp(e.bDescr, row->bDescr, row->dwDescrLen));
    printf("GetIfEntry(NULL): %lu\n", GetIfEntry(NULL));
    e.dwIndex = 0x7ffffff0;
    printf("GetIfEntry(unknown index): %lu\n", GetIfEntry(&e));

    DWORD best = 0xcccccccc;
    r = GetBestInterface(net32(0x7f000001), &best);
    printf("GetBestInterface(127.0.0.1): %lu, the loopback %d\n", r, best == lo);
    printf("GetBestInterface(NULL): %lu\n", GetBestInterface(net32(0x7f000001), NULL));
    struct sockaddr_in6 s6 = {.sin6_family = AF_INET6};
    s6.sin6_addr.s6_addr[15] = 1;
    best = 0xcccccccc;
    r = GetBestInterfaceEx((struct sockaddr *)&s6, &best);
    printf("GetBestInterfaceEx(::1): %lu, the loopback %d\n", r, best == lo);
    struct sockaddr_in s4 = {.sin_family = AF_INET};
    s4.sin_addr.s_addr = net32(0x7f000001);
    best = 0xcccccccc;
    r = GetBestInterfaceEx((struct sockaddr *)&s4, &best);
    printf("GetBestInterfaceEx(127.0.0.1): %lu, the loopback %d\n", r, best == lo);

    /* MIB_IF_ROW2 */
    MIB_IF_TABLE2 *t2 = NULL;
    r = GetIfTable2(&t2);
    printf("GetIfTable2: %lu, rows as GetIfTable %d\n", r, t2 && t2->NumEntries == t->dwNumEntries);
    printf("GetIfTable2(NULL): %lu\n", GetIfTable2(NULL));
    const MIB_IF_ROW2 *lo2 = NULL;
    for (ULONG i = 0; t2 && i < t2->NumEntries; i++)
        if (t2->Table[i].InterfaceIndex == lo)
            lo2 = &t2->Table[i];
    IP_ADAPTER_ADDRESSES *loa = NULL;
    for (IP_ADAPTER_ADDRESSES *a = list; a; a = a->Next)
        if (a->IfIndex == lo)
            loa = a;
    if (!lo2 || !loa)
        return 1;
    char alias[300], descr[300], guid[64];
    WideCharToMultiByte(CP_UTF8, 0, lo2->Alias, -1, alias, sizeof alias, NULL, NULL);
    WideCharToMultiByte(CP_UTF8, 0, lo2->Description, -1, descr, sizeof descr, NULL, NULL);
    const GUID *gu = &lo2->InterfaceGuid;
    snprintf(guid, sizeof guid, "{%08lX-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
             gu->Data1, gu->Data2, gu->Data3, gu->Data4[0], gu->Data4[1], gu->Data4[2],
             gu->Data4[3], gu->Data4[4], gu->Data4[5], gu->Data4[6], gu->Data4[7]);
    printf("loopback row2: [%s] [%s], type %lu, mtu %lu, speed %llu, oper %d, admin %d, "
           "media %d, access %d\n", alias, descr, lo2->Type, lo2->Mtu,
           (unsigned long long)lo2->TransmitLinkSpeed, (int)lo2->OperStatus,
           (int)lo2->AdminStatus, (int)lo2->MediaConnectState, (int)lo2->AccessType);
    printf("  LUID as GetAdaptersAddresses %d, GUID its AdapterName %d\n",
           lo2->InterfaceLuid.Value == loa->Luid.Value, !_stricmp(guid, loa->AdapterName));
    MIB_IF_ROW2 e2;
    memset(&e2, 0, sizeof e2);
    e2.InterfaceLuid = lo2->InterfaceLuid;
    r = GetIfEntry2(&e2);
    printf("GetIfEntry2 by LUID: %lu, index %d\n", r, e2.InterfaceIndex == lo);
    memset(&e2, 0, sizeof e2);
    e2.InterfaceIndex = lo;
    r = GetIfEntry2(&e2);
    printf("GetIfEntry2 by index: %lu, LUID %d\n", r,
           e2.InterfaceLuid.Value == lo2->InterfaceLuid.Value);
    memset(&e2, 0, sizeof e2);
    e2.InterfaceIndex = 0x7ffffff0;
    printf("GetIfEntry2(unknown index): %lu\n", GetIfEntry2(&e2));
    printf("GetIfEntry2(NULL): %lu\n", GetIfEntry2(NULL));
    FreeMibTable(t2);

    /* 192.0.2.1 (TEST-NET-1) leaves by the default route, if there is one */
    best = 0xcccccccc;
    r = GetBestInterface(net32(0xc0000201), &best);
    int gateway = 0, chosen_has_gateway = 0;
    for (IP_ADAPTER_ADDRESSES *a = list; a; a = a->Next)
        for (IP_ADAPTER_GATEWAY_ADDRESS *g = a->FirstGatewayAddress; g; g = g->Next)
            if (g->Address.lpSockaddr->sa_family == AF_INET) {
                gateway = 1;
                chosen_has_gateway |= a->IfIndex == best;
            }
    printf("GetBestInterface(192.0.2.1) agrees with the gateways: %d\n",
           gateway ? r == 0 && chosen_has_gateway : r != 0);
    free(list);
    free(t);
    return 0;
}
