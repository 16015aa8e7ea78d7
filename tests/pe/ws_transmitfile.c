/* mswsock's TransmitFile and DisconnectEx, reached through WSAIoctl with their GUIDs:
 * TransmitFile of a whole file with head and tail buffers (blocking), of a range given by the
 * OVERLAPPED's offset (overlapped, with an event); DisconnectEx ends the connection (the peer
 * reads end of file) and with TF_REUSE_SOCKET the socket serves AcceptEx again.
 * Output as on Windows (Wine 8.0 stops after the AcceptEx on the reused socket).
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <stdio.h>
#include <string.h>
#include "ws_loopback.h"

static void *extension(SOCKET s, GUID guid)
{
    void *fn = NULL;
    DWORD n = 0;
    WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof guid, &fn, sizeof fn, &n,
             NULL, NULL);
    return fn;
}

/* Reads exactly n bytes (or to the end); the count. */
static int read_n(SOCKET s, char *buf, int n)
{
    int got = 0;
    while (got < n) {
        int r = recv(s, buf + got, n - got, 0);
        if (r <= 0)
            break;
        got += r;
    }
    return got;
}

static char data[100000], got[100016];

int main(void)
{
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    setvbuf(stdout, NULL, _IONBF, 0);
    for (int i = 0; i < (int)sizeof data; i++)
        data[i] = (char)('a' + (i * 7 + i / 26) % 26);
    char path[MAX_PATH], dir[MAX_PATH];
    GetTempPathA(MAX_PATH, dir);
    snprintf(path, sizeof path, "%sntrun-transmit-%lu.bin", dir, GetCurrentProcessId());
    HANDLE fh = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, NULL,
                            CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD w;
    WriteFile(fh, data, sizeof data, &w, NULL);
    SetFilePointer(fh, 0, NULL, FILE_BEGIN);

    SOCKET l = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    struct sockaddr_in any = ws_loopback(0);
    bind(l, (struct sockaddr *)&any, sizeof any);
    listen(l, 4);
    GUID gtf = WSAID_TRANSMITFILE, gdx = WSAID_DISCONNECTEX, gax = WSAID_ACCEPTEX;
    LPFN_TRANSMITFILE pTransmitFile = (LPFN_TRANSMITFILE)extension(l, gtf);
    LPFN_DISCONNECTEX pDisconnectEx = (LPFN_DISCONNECTEX)extension(l, gdx);
    LPFN_ACCEPTEX pAcceptEx = (LPFN_ACCEPTEX)extension(l, gax);
    printf("extensions: %d\n", pTransmitFile && pDisconnectEx && pAcceptEx);

    SOCKET c = ws_connect_to(ws_port_of(l));
    SOCKET a = accept(l, NULL, NULL);

    /* the whole file, head and tail */
    TRANSMIT_FILE_BUFFERS tb = {"HEAD", 4, "TAIL", 4};
    BOOL ok = pTransmitFile(a, fh, 0, 0, NULL, &tb, 0);
    printf("TransmitFile: %d\n", ok);
    int n = read_n(c, got, 4 + sizeof data + 4);
    printf("received %d: head %d, data %d, tail %d\n", n, !memcmp(got, "HEAD", 4),
           !memcmp(got + 4, data, sizeof data), !memcmp(got + 4 + sizeof data, "TAIL", 4));

    /* a range, overlapped */
    OVERLAPPED ov = {0};
    ov.Offset = 50000;
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    ok = pTransmitFile(a, fh, 1000, 0, &ov, NULL, 0);
    printf("TransmitFile overlapped: %d\n", ok || WSAGetLastError() == WSA_IO_PENDING);
    DWORD bytes = 0, flags = 0;
    WaitForSingleObject(ov.hEvent, 10000);
    ok = WSAGetOverlappedResult(a, &ov, &bytes, FALSE, &flags);
    n = read_n(c, got, 1000);
    printf("result %d bytes %lu, received %d, same %d\n", ok, bytes, n,
           !memcmp(got, data + 50000, 1000));

    /* DisconnectEx: the peer sees the end */
    ok = pDisconnectEx(a, NULL, TF_REUSE_SOCKET, 0);
    printf("DisconnectEx: %d\n", ok);
    n = recv(c, got, 16, 0);
    printf("peer recv: %d\n", n);
    closesocket(c);

    /* the socket serves AcceptEx again */
    static char abuf[2 * (sizeof(struct sockaddr_in6) + 16)];
    OVERLAPPED aov = {0};
    aov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    ok = pAcceptEx(l, a, abuf, 0, sizeof(struct sockaddr_in6) + 16,
                   sizeof(struct sockaddr_in6) + 16, &bytes, &aov);
    printf("AcceptEx on the reused socket: %d\n", ok || WSAGetLastError() == ERROR_IO_PENDING);
    SOCKET c2 = ws_connect_to(ws_port_of(l));
    printf("accepted: %lu\n", WaitForSingleObject(aov.hEvent, 10000));
    setsockopt(a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, sizeof l);
    send(a, "again", 5, 0);
    n = recv(c2, got, 16, 0);
    printf("over the reused socket: %d %.5s\n", n, got);

    closesocket(c2);
    closesocket(a);
    closesocket(l);
    CloseHandle(fh);
    DeleteFileA(path);
    WSACleanup();
    return 0;
}
