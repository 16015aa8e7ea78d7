/* SPDX-License-Identifier: MIT */
/* Private to thunks/ws2_32/: Winsock on Linux sockets.
 *
 * A SOCKET is an ntemu file handle over a non-blocking Linux socket (nt_file.is_socket), so
 * CloseHandle, DuplicateHandle and CreateIoCompletionPort take it as Windows' do. Blocking calls
 * and overlapped requests both go through ntemu/async.c (a blocking call is a request its caller
 * waits for). Windows constants and layouts that differ from Linux' (AF_INET6 23, SOL_SOCKET
 * 0xffff, the option numbers, fd_set, addrinfo, WSAPOLLFD) are translated here; errors are WSA
 * codes (WSAEWOULDBLOCK 10035, ...) in the thread's last error. */
#ifndef NTRUN_WS2_32_PRIVATE_H
#define NTRUN_WS2_32_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include "thunks/thunks_private.h"

#ifndef TRUE
#define TRUE 1
#define FALSE 0
#endif

typedef ULONG_PTR ws_socket; /* SOCKET */
#define WS_INVALID_SOCKET (~(ws_socket)0)
#define WS_SOCKET_ERROR (-1)

/* Windows address families that differ from Linux'. */
#define WS_AF_UNSPEC 0
#define WS_AF_UNIX 1
#define WS_AF_INET 2
#define WS_AF_INET6 23

/* WSA error codes */
#define WSA_IO_PENDING 997
#define WSA_IO_INCOMPLETE 996
#define WSA_OPERATION_ABORTED 995
#define WSA_NOT_ENOUGH_MEMORY 8
#define WSAEINTR 10004
#define WSAEBADF 10009
#define WSAEACCES 10013
#define WSAEFAULT 10014
#define WSAEINVAL 10022
#define WSAEMFILE 10024
#define WSAEWOULDBLOCK 10035
#define WSAEINPROGRESS 10036
#define WSAEALREADY 10037
#define WSAENOTSOCK 10038
#define WSAEDESTADDRREQ 10039
#define WSAEMSGSIZE 10040
#define WSAEPROTOTYPE 10041
#define WSAENOPROTOOPT 10042
#define WSAEPROTONOSUPPORT 10043
#define WSAESOCKTNOSUPPORT 10044
#define WSAEOPNOTSUPP 10045
#define WSAEPFNOSUPPORT 10046
#define WSAEAFNOSUPPORT 10047
#define WSAEADDRINUSE 10048
#define WSAEADDRNOTAVAIL 10049
#define WSAENETDOWN 10050
#define WSAENETUNREACH 10051
#define WSAENETRESET 10052
#define WSAECONNABORTED 10053
#define WSAECONNRESET 10054
#define WSAENOBUFS 10055
#define WSAEISCONN 10056
#define WSAENOTCONN 10057
#define WSAESHUTDOWN 10058
#define WSAETIMEDOUT 10060
#define WSAECONNREFUSED 10061
#define WSAELOOP 10062
#define WSAENAMETOOLONG 10063
#define WSAEHOSTDOWN 10064
#define WSAEHOSTUNREACH 10065
#define WSATYPE_NOT_FOUND 10109
#define WSAHOST_NOT_FOUND 11001
#define WSATRY_AGAIN 11002
#define WSANO_RECOVERY 11003
#define WSANO_DATA 11004

/* NTSTATUS values of socket errors (as Windows' afd reports them in OVERLAPPED.Internal). */
#define WS_STATUS_CONNECTION_REFUSED ((NTSTATUS)0xC0000236)
#define WS_STATUS_CONNECTION_RESET ((NTSTATUS)0xC000020D)
#define WS_STATUS_CONNECTION_ABORTED ((NTSTATUS)0xC0000241)
#define WS_STATUS_INVALID_CONNECTION ((NTSTATUS)0xC0000140)
#define WS_STATUS_IO_TIMEOUT ((NTSTATUS)0xC00000B5)
#define WS_STATUS_HOST_UNREACHABLE ((NTSTATUS)0xC000023D)
#define WS_STATUS_NETWORK_UNREACHABLE ((NTSTATUS)0xC000023C)
#define WS_STATUS_ADDRESS_ALREADY_EXISTS ((NTSTATUS)0xC000020A)
#define WS_STATUS_INVALID_ADDRESS_COMPONENT ((NTSTATUS)0xC0000207)
#define WS_STATUS_CANCELLED ((NTSTATUS)0xC0000120)
#define WS_STATUS_BUFFER_OVERFLOW ((NTSTATUS)0x80000005)
#define WS_STATUS_NOT_SUPPORTED ((NTSTATUS)0xC00000BB)
#define WS_STATUS_WSA_ERROR(e) ((NTSTATUS)(0xE0000000u | (uint32_t)(e))) /* internal: a WSA code */

typedef struct {
    uint32_t len;  /* 0x00 */
    char *buf;     /* 0x08 */
} ws_wsabuf;
_Static_assert(sizeof(ws_wsabuf) == 16, "WSABUF");

typedef struct {
    ULONG_PTR Internal;     /* 0x00: NTSTATUS */
    ULONG_PTR InternalHigh; /* 0x08: bytes transferred */
    uint32_t Offset;        /* 0x10 */
    uint32_t OffsetHigh;    /* 0x14 */
    HANDLE hEvent;          /* 0x18 */
} ws_overlapped;
_Static_assert(sizeof(ws_overlapped) == 0x20, "WSAOVERLAPPED");

/* errno -> WSA error (synchronous failures), errno -> NTSTATUS (requests), NTSTATUS -> WSA. */
int ws_wsa_from_errno(int err);
NTSTATUS ws_status_from_errno(int err);
int ws_wsa_from_status(NTSTATUS st);
/* Sets the last error and returns SOCKET_ERROR. */
int ws_fail(int wsa);

/* The socket object behind s with a reference (release with nt_object_release(&f->hdr)); NULL
 * with WSAENOTSOCK set when s is not a socket. */
nt_file *ws_get(ws_socket s);
/* A new SOCKET over a fresh non-blocking Linux socket fd (taken over); WS_INVALID_SOCKET with
 * the error set on failure (fd closed). */
ws_socket ws_new_socket(int fd, bool inherit);

/* Windows sockaddr (foreign) <-> Linux sockaddr: the family field translated, lengths checked.
 * ws_addr_in: 0 or a WSA error. ws_addr_out: writes at most *user_len bytes (WSAEFAULT when it
 * is too small, as Windows) and sets *user_len; 0 or a WSA error. */
int ws_addr_in(const void *user, int len, struct sockaddr_storage *out, socklen_t *out_len);
int ws_addr_out(const struct sockaddr *sa, socklen_t len, void *user, int *user_len);
/* Linux family -> Windows and back (-1 unknown). */
int ws_family_to_win(int af);
int ws_family_from_win(int af);

/* The overlapped/blocking machinery: submits `io` for socket f, with ov (NULL: a blocking call
 * unless the socket is non-blocking, then a single attempt giving WSAEWOULDBLOCK), ov's event,
 * the WSA completion routine. Returns 0 with *bytes (when done at once), or SOCKET_ERROR with
 * the last error (WSA_IO_PENDING when the request runs on). */
int ws_submit(nt_file *f, nt_async_io *io, ws_overlapped *ov, void *routine, uint32_t *bytes,
              bool receive);

/* WSAEventSelect (events.c). The FD_* bits. */
#define WS_FD_READ 0x01u
#define WS_FD_WRITE 0x02u
#define WS_FD_OOB 0x04u
#define WS_FD_ACCEPT 0x08u
#define WS_FD_CONNECT 0x10u
#define WS_FD_CLOSE 0x20u
/* NtDeviceIoControlFile on a socket (io.c): AFD's receive requests (nt_socket_ioctl_fn). */
NTSTATUS ws_afd_ioctl(nt_file *f, HANDLE event, void *apc, void *apc_ctx, IO_STATUS_BLOCK *io,
                      uint32_t code, void *in, uint32_t in_len, void *out, uint32_t out_len);
/* A re-enabling call was made on f (recv: FD_READ, accept: FD_ACCEPT, a send that would block:
 * FD_WRITE, connect under way: FD_CONNECT); the state is looked at again. No-op without
 * WSAEventSelect. */
void ws_es_reenable(nt_file *f, uint32_t bits);
/* A connect failed at once on an event-selected socket: FD_CONNECT with that error. */
void ws_es_connect_failed(nt_file *f, int wsa);
/* WSAEventSelect with a nonzero mask is in force (ioctlsocket cannot make it blocking). */
bool ws_es_selected(nt_file *f);
/* accept: the new socket (handle sock) takes the listening socket's selection (its event, or
 * WSAAsyncSelect's window and message). */
void ws_es_inherit(nt_file *listener, nt_file *accepted, ws_socket sock);

#endif
