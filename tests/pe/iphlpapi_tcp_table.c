/* GetTcpTable and GetUdpTable, as netstat reads them: the size protocol (no buffer:
 * ERROR_INSUFFICIENT_BUFFER and the size needed; NULL size: ERROR_INVALID_PARAMETER), a
 * listening socket of this process on 127.0.0.1 (MIB_TCP_STATE_LISTEN, the port in network
 * order), both ends of a connection to it (MIB_TCP_STATE_ESTAB, each the other's remote), a bound
 * UDP socket, and the rows in ascending order when bOrder asks for it. Printed alike by Wine 8.0. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <stdio.h>
#include <stdlib.h>

static MIB_TCPTABLE *tcp_table(void)
{
    ULONG size = 0;
    DWORD r = GetTcpTable(NULL, &size, TRUE);
    if (r != ERROR_INSUFFICIENT_BUFFER || size < sizeof(DWORD)) {
        printf("GetTcpTable(NULL): %lu size %lu\n", (unsigned long)r, (unsigned long)size);
        return NULL;
    }
    size += 50 * sizeof(MIB_TCPROW); /* room for sockets made meanwhile */
    MIB_TCPTABLE *t = malloc(size);
    r = GetTcpTable(t, &size, TRUE);
    if (r) {
        printf("GetTcpTable: %lu\n", (unsigned long)r);
        return NULL;
    }
    return t;
}

static int sorted_tcp(const MIB_TCPTABLE *t)
{
    for (DWORD i = 1; i < t->dwNumEntries; i++) {
        const MIB_TCPROW *a = &t->table[i - 1], *b = &t->table[i];
        unsigned long long ka = (unsigned long long)ntohl(a->dwLocalAddr) << 16 | ntohs((u_short)a->dwLocalPort);
        unsigned long long kb = (unsigned long long)ntohl(b->dwLocalAddr) << 16 | ntohs((u_short)b->dwLocalPort);
        if (ka > kb)
            return 0;
    }
    return 1;
}

int main(void)
{
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    printf("GetTcpTable without a size: %lu\n", (unsigned long)GetTcpTable(NULL, NULL, TRUE));

    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(l, (struct sockaddr *)&sa, sizeof sa);
    listen(l, 4);
    int len = sizeof sa;
    getsockname(l, (struct sockaddr *)&sa, &len);
    u_short port = sa.sin_port; /* network order */

    MIB_TCPTABLE *t = tcp_table();
    int listening = 0;
    for (DWORD i = 0; t && i < t->dwNumEntries; i++)
        if ((u_short)t->table[i].dwLocalPort == port)
            listening += t->table[i].dwState == MIB_TCP_STATE_LISTEN &&
                         t->table[i].dwLocalAddr == htonl(INADDR_LOOPBACK);
    printf("the listener: %d row(s) in state LISTEN on 127.0.0.1, sorted %d\n", listening,
           t && sorted_tcp(t));
    free(t);

    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    connect(c, (struct sockaddr *)&sa, sizeof sa);
    SOCKET s = accept(l, NULL, NULL);
    struct sockaddr_in ca;
    len = sizeof ca;
    getsockname(c, (struct sockaddr *)&ca, &len);
    t = tcp_table();
    int client = 0, server = 0;
    for (DWORD i = 0; t && i < t->dwNumEntries; i++) {
        const MIB_TCPROW *r = &t->table[i];
        if (r->dwState != MIB_TCP_STATE_ESTAB)
            continue;
        client += (u_short)r->dwLocalPort == ca.sin_port && (u_short)r->dwRemotePort == port;
        server += (u_short)r->dwLocalPort == port && (u_short)r->dwRemotePort == ca.sin_port;
    }
    printf("the connection: client end %d, server end %d, sorted %d\n", client, server,
           t && sorted_tcp(t));
    free(t);
    closesocket(c);
    closesocket(s);
    closesocket(l);

    SOCKET u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_in ua = {0};
    ua.sin_family = AF_INET;
    ua.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(u, (struct sockaddr *)&ua, sizeof ua);
    len = sizeof ua;
    getsockname(u, (struct sockaddr *)&ua, &len);
    ULONG size = 0;
    DWORD r = GetUdpTable(NULL, &size, TRUE);
    printf("GetUdpTable(NULL): %lu, size given %d\n", (unsigned long)r, size >= sizeof(DWORD));
    size += 50 * sizeof(MIB_UDPROW);
    MIB_UDPTABLE *ut = malloc(size);
    r = GetUdpTable(ut, &size, TRUE);
    int bound = 0;
    for (DWORD i = 0; !r && i < ut->dwNumEntries; i++)
        bound += (u_short)ut->table[i].dwLocalPort == ua.sin_port &&
                 ut->table[i].dwLocalAddr == htonl(INADDR_LOOPBACK);
    printf("GetUdpTable: %lu, the bound socket: %d row(s)\n", (unsigned long)r, bound);
    free(ut);
    closesocket(u);
    WSACleanup();
    return 0;
}
