/* mswsock extensions reached through WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) with the
 * real GUIDs, completing on a completion port and on events: AcceptEx with a receive buffer
 * (the request completes only once the first data block has arrived, with its size, and
 * GetAcceptExSockaddrs finds the addresses after it), ConnectEx sending data with the
 * connection; WSADuplicateSocketW + WSASocketW(FROM_PROTOCOL_INFO) within the process (the
 * duplicate outlives the original) and into a child process (which sends on it).
 * Output as on Windows. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <stdio.h>
#include <string.h>
#include "ws_loopback.h"
#include "xproc_start.h"

static LPFN_ACCEPTEX pAcceptEx;
static LPFN_CONNECTEX pConnectEx;
static LPFN_GETACCEPTEXSOCKADDRS pGetAcceptExSockaddrs;

static void *extension(SOCKET s, GUID guid)
{
    void *fn = NULL;
    DWORD n = 0;
    int r = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof guid, &fn, sizeof fn,
                     &n, NULL, NULL);
    if (r != 0 || n != sizeof fn || !fn)
        printf("extension: %d %lu %d\n", r, n, WSAGetLastError());
    return fn;
}

static SOCKET tcp(void)
{
    return WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
}

static SOCKET listener(void)
{
    SOCKET s = tcp();
    struct sockaddr_in a = ws_loopback(0);
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 8) != 0)
        printf("listen failed: %d\n", WSAGetLastError());
    return s;
}

static int child_main(void)
{
    WSAPROTOCOL_INFOW info;
    DWORD got = 0, n;
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    while (got < sizeof info && ReadFile(in, (char *)&info + got, sizeof info - got, &n, NULL) && n)
        got += n;
    if (got != sizeof info)
        return 10;
    SOCKET s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0,
                          WSA_FLAG_OVERLAPPED);
    if (s == INVALID_SOCKET)
        return 20;
    if (send(s, "from child", 10, 0) != 10)
        return 30;
    closesocket(s);
    return 0;
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    if (argc > 1 && !strcmp(argv[1], "child"))
        return child_main();
    setvbuf(stdout, NULL, _IONBF, 0);

    SOCKET l = listener();
    u_short port = ws_port_of(l);
    GUID gaccept = WSAID_ACCEPTEX, gconnect = WSAID_CONNECTEX, gaddrs = WSAID_GETACCEPTEXSOCKADDRS;
    pAcceptEx = (LPFN_ACCEPTEX)extension(l, gaccept);
    pConnectEx = (LPFN_CONNECTEX)extension(l, gconnect);
    pGetAcceptExSockaddrs = (LPFN_GETACCEPTEXSOCKADDRS)extension(l, gaddrs);
    printf("extensions: %d\n", pAcceptEx && pConnectEx && pGetAcceptExSockaddrs);

    /* ---- AcceptEx + ConnectEx with data, on a port ---- */
    HANDLE port_h = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    CreateIoCompletionPort((HANDLE)l, port_h, 1, 0);
    SOCKET as = tcp();
    static char abuf[64 + 2 * (sizeof(struct sockaddr_in6) + 16)];
    OVERLAPPED aov = {0}, cov = {0};
    DWORD n = 0xdead;
    BOOL ok = pAcceptEx(l, as, abuf, 64, sizeof(struct sockaddr_in6) + 16,
                        sizeof(struct sockaddr_in6) + 16, &n, &aov);
    printf("AcceptEx: %d %d\n", ok, ok ? 0 : WSAGetLastError());

    SOCKET c = tcp();
    struct sockaddr_in any = ws_loopback(0);
    bind(c, (struct sockaddr *)&any, sizeof any);
    CreateIoCompletionPort((HANDLE)c, port_h, 2, 0);
    struct sockaddr_in to = ws_loopback(port);
    ok = pConnectEx(c, (struct sockaddr *)&to, sizeof to, "hello, acceptex", 15, &n, &cov);
    printf("ConnectEx: %d\n", ok || WSAGetLastError() == ERROR_IO_PENDING);
    DWORD bytes[3] = {0};
    for (int i = 0; i < 2; i++) {
        DWORD b;
        ULONG_PTR key;
        OVERLAPPED *ov;
        ok = GetQueuedCompletionStatus(port_h, &b, &key, &ov, 10000);
        if (!ok || key > 2) {
            printf("GQCS: %d %lu\n", ok, GetLastError());
            break;
        }
        bytes[key] = b;
        printf("completion %d: key %d, its overlapped %d\n", i, key > 0,
               ov == (key == 1 ? &aov : &cov));
    }
    printf("accept got %lu bytes: %.*s\n", bytes[1], (int)bytes[1], abuf);
    printf("connect sent %lu bytes\n", bytes[2]);
    struct sockaddr *la, *ra;
    int ll = 0, rl = 0;
    pGetAcceptExSockaddrs(abuf, 64, sizeof(struct sockaddr_in6) + 16,
                          sizeof(struct sockaddr_in6) + 16, &la, &ll, &ra, &rl);
    printf("addresses: %d %d, local port ok %d, remote port ok %d\n", ll, rl,
           ntohs(((struct sockaddr_in *)la)->sin_port) == port,
           ntohs(((struct sockaddr_in *)ra)->sin_port) == ws_port_of(c));
    int r = setsockopt(as, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, sizeof l);
    struct sockaddr_in peer;
    int pl = sizeof peer;
    r |= getpeername(as, (struct sockaddr *)&peer, &pl);
    printf("accepted socket: %d, peer port ok %d\n", r, ntohs(peer.sin_port) == ws_port_of(c));
    r = setsockopt(c, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0);
    printf("SO_UPDATE_CONNECT_CONTEXT: %d\n", r);

    /* ---- AcceptEx waits for the data: with an event ---- */
    SOCKET as2 = tcp();
    OVERLAPPED eov = {0};
    eov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    static char ebuf[16 + 2 * (sizeof(struct sockaddr_in6) + 16)];
    SOCKET l2 = listener();
    ok = pAcceptEx(l2, as2, ebuf, 16, sizeof(struct sockaddr_in6) + 16,
                   sizeof(struct sockaddr_in6) + 16, &n, &eov);
    printf("AcceptEx (event): %d %d\n", ok, ok ? 0 : WSAGetLastError());
    SOCKET c2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in to2 = ws_loopback(ws_port_of(l2));
    r = connect(c2, (struct sockaddr *)&to2, sizeof to2);
    printf("connect: %d\n", r);
    Sleep(100);
    printf("connected, no data yet: complete %d, event %lu\n", HasOverlappedIoCompleted(&eov),
           WaitForSingleObject(eov.hEvent, 0));
    send(c2, "0123456789abcdefXYZ", 19, 0);
    printf("event: %lu\n", WaitForSingleObject(eov.hEvent, 10000));
    DWORD flags = 0;
    ok = WSAGetOverlappedResult(l2, &eov, &n, FALSE, &flags);
    printf("result: %d bytes %lu: %.*s\n", ok, n, (int)n, ebuf);
    char rest[16];
    r = recv(as2, rest, sizeof rest, 0);
    printf("rest: %d %.*s\n", r, r > 0 ? r : 0, rest);

    /* ---- WSADuplicateSocketW within the process ---- */
    WSAPROTOCOL_INFOW info;
    memset(&info, 0, sizeof info);
    r = WSADuplicateSocketW(as2, GetCurrentProcessId(), &info);
    printf("duplicate: %d, af %d type %d proto %d\n", r, info.iAddressFamily, info.iSocketType,
           info.iProtocol);
    SOCKET d = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0,
                          WSA_FLAG_OVERLAPPED);
    printf("from protocol info: %d, distinct %d\n", d != INVALID_SOCKET, d != as2);
    closesocket(as2);
    r = send(d, "via dup", 7, 0);
    char got[32];
    int gn = recv(c2, got, sizeof got, 0);
    printf("send on the duplicate after closing the original: %d, peer got %.*s\n", r,
           gn > 0 ? gn : 0, got);
    r = WSADuplicateSocketW(d, GetCurrentProcessId(), NULL);
    printf("duplicate NULL info: %d %d\n", r, WSAGetLastError());

    /* ---- into a child process ---- */
    HANDLE wr;
    PROCESS_INFORMATION pi;
    if (!xproc_start_piped("child", &wr, &pi)) {
        printf("CreateProcess: %lu\n", GetLastError());
        return 1;
    }
    r = WSADuplicateSocketW(d, pi.dwProcessId, &info);
    DWORD w;
    WriteFile(wr, &info, sizeof info, &w, NULL);
    CloseHandle(wr);
    WaitForSingleObject(pi.hProcess, 20000);
    DWORD code = 99;
    GetExitCodeProcess(pi.hProcess, &code);
    gn = recv(c2, got, sizeof got, 0);
    printf("child: duplicate %d, exit %lu, peer got %.*s\n", r, code, gn > 0 ? gn : 0, got);

    closesocket(d);
    closesocket(c2);
    closesocket(l2);
    closesocket(as);
    closesocket(c);
    closesocket(l);
    CloseHandle(port_h);
    WSACleanup();
    return 0;
}
