/* AFD's receive requests, NtDeviceIoControlFile(IOCTL_AFD_RECEIVE / _RECEIVE_DATAGRAM) on a UDP
 * socket, as libuv (Node.js's dgram) makes them once SetFileCompletionNotificationModes has
 * succeeded: a zero-byte MSG_PEEK receive with AFD_OVERLAPPED on a socket of a completion port
 * is pending, then completes through the port with our OVERLAPPED when a datagram arrives
 * (the datagram stays: it was only peeked); a receive with the sender's address on the
 * non-blocking socket gets the datagram, its length and 127.0.0.1 with the sender's port;
 * again, with nothing left: STATUS_DEVICE_NOT_READY (WSAEWOULDBLOCK); a datagram longer than
 * the buffer: STATUS_BUFFER_OVERFLOW with the bytes that fit; too short an input buffer:
 * STATUS_INVALID_PARAMETER. Wine 8.0 prints the same for IOCTL_AFD_RECEIVE; it has no
 * IOCTL_AFD_RECEIVE_DATAGRAM (STATUS_INVALID_DEVICE_REQUEST). */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <winternl.h>
#include <stdio.h>
#include <string.h>

#define IOCTL_AFD_RECEIVE 0x12017
#define IOCTL_AFD_RECEIVE_DATAGRAM 0x1201b
#define AFD_OVERLAPPED 0x2
#define TDI_RECEIVE_NORMAL 0x20
#define TDI_RECEIVE_PEEK 0x80

typedef struct {
    WSABUF *BufferArray;
    ULONG BufferCount, AfdFlags, TdiFlags;
    struct sockaddr *Address;
    int *AddressLength;
} afd_recv_datagram_info; /* AFD_RECV_INFO is its first three fields */

typedef NTSTATUS(NTAPI *ioctl_fn)(HANDLE, HANDLE, PIO_APC_ROUTINE, void *, IO_STATUS_BLOCK *,
                                  ULONG, void *, ULONG, void *, ULONG);

static SOCKET udp(unsigned short *port)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(s, (struct sockaddr *)&a, sizeof a);
    int len = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &len);
    *port = ntohs(a.sin_port);
    return s;
}

int main(void)
{
    WSADATA wd;
    WSAStartup(MAKEWORD(2, 2), &wd);
    ioctl_fn ioctl = (ioctl_fn)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtDeviceIoControlFile");
    unsigned short rport, sport;
    SOCKET r = udp(&rport), s = udp(&sport);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(rport)};
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    HANDLE port = CreateIoCompletionPort((HANDLE)r, NULL, 7, 0);
    printf("SetFileCompletionNotificationModes: %d\n",
           SetFileCompletionNotificationModes((HANDLE)r, FILE_SKIP_SET_EVENT_ON_HANDLE |
                                                             FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    /* libuv's zero read: a zero-byte peek, overlapped */
    char zero = 0;
    WSABUF zb = {0, &zero};
    afd_recv_datagram_info info = {&zb, 1, AFD_OVERLAPPED, TDI_RECEIVE_NORMAL | TDI_RECEIVE_PEEK};
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    IO_STATUS_BLOCK *iosb = (IO_STATUS_BLOCK *)&ov;
    NTSTATUS st = ioctl((HANDLE)r, NULL, NULL, &ov, iosb, IOCTL_AFD_RECEIVE, &info, 0x18, NULL, 0);
    printf("zero-byte peek: %#lx\n", (unsigned long)st);
    sendto(s, "hello", 5, 0, (struct sockaddr *)&to, sizeof to);
    DWORD bytes;
    ULONG_PTR key = 0;
    OVERLAPPED *got = NULL;
    BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000);
    printf("completed through the port: key %lu, our OVERLAPPED %d, ok or more data %d\n",
           (unsigned long)key, got == &ov, ok || GetLastError() == ERROR_MORE_DATA);

    u_long nb = 1;
    ioctlsocket(r, FIONBIO, &nb);
    char buf[64] = {0};
    WSABUF wb = {sizeof buf, buf};
    struct sockaddr_in from;
    int fromlen = sizeof from;
    memset(&from, 0xcc, sizeof from);
    afd_recv_datagram_info dinfo = {&wb, 1, 0, TDI_RECEIVE_NORMAL, (struct sockaddr *)&from,
                                    &fromlen};
    IO_STATUS_BLOCK io;
    st = ioctl((HANDLE)r, NULL, NULL, NULL, &io, IOCTL_AFD_RECEIVE_DATAGRAM, &dinfo, sizeof dinfo,
               NULL, 0);
    printf("datagram: %#lx, %lu bytes [%s], from 127.0.0.1 %d, the sender's port %d, length %d\n",
           (unsigned long)st, (unsigned long)io.Information, buf,
           from.sin_addr.s_addr == htonl(INADDR_LOOPBACK), ntohs(from.sin_port) == sport,
           fromlen);
    st = ioctl((HANDLE)r, NULL, NULL, NULL, &io, IOCTL_AFD_RECEIVE_DATAGRAM, &dinfo, sizeof dinfo,
               NULL, 0);
    printf("nothing left: %#lx, WSAEWOULDBLOCK's status\n", (unsigned long)st);

    sendto(s, "0123456789", 10, 0, (struct sockaddr *)&to, sizeof to);
    Sleep(50);
    char small[4];
    WSABUF sb = {sizeof small, small};
    info.BufferArray = &sb;
    info.TdiFlags = TDI_RECEIVE_NORMAL;
    info.AfdFlags = 0;
    st = ioctl((HANDLE)r, NULL, NULL, NULL, &io, IOCTL_AFD_RECEIVE, &info, 0x18, NULL, 0);
    printf("longer than the buffer: %#lx, %lu bytes [%.4s]\n", (unsigned long)st,
           (unsigned long)io.Information, small);
    st = ioctl((HANDLE)r, NULL, NULL, NULL, &io, IOCTL_AFD_RECEIVE, &info, 0x10, NULL, 0);
    printf("input too short: %#lx\n", (unsigned long)st);
    closesocket(r);
    closesocket(s);
    CloseHandle(port);
    return 0;
}
