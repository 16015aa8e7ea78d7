/* SPDX-License-Identifier: MIT */
/* Winsock data transfer and connections: accept, connect, send, recv, sendto, recvfrom,
 * WSASend/WSARecv/WSASendTo/WSARecvFrom (blocking, non-blocking or overlapped with an event,
 * a completion routine or a completion port), WSAGetOverlappedResult, and mswsock's AcceptEx,
 * ConnectEx (also through WSAIoctl's SIO_GET_EXTENSION_FUNCTION_POINTER) and
 * GetAcceptExSockaddrs. Every operation is an attempt function for ntemu/async.c. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include "thunks/ws2_32/ws2_32_private.h"

#define WS_MSG_OOB 1
#define WS_MSG_PEEK 2
#define WS_MSG_DONTROUTE 4
#define WS_MSG_WAITALL 8

static int ws_msg_flags(uint32_t w)
{
    int l = 0;
    if (w & WS_MSG_OOB)
        l |= MSG_OOB;
    if (w & WS_MSG_PEEK)
        l |= MSG_PEEK;
    if (w & WS_MSG_DONTROUTE)
        l |= MSG_DONTROUTE;
    if (w & WS_MSG_WAITALL)
        l |= MSG_WAITALL;
    return l;
}

int ws_submit(nt_file *f, nt_async_io *io, ws_overlapped *ov, void *routine, uint32_t *bytes,
              bool receive)
{
    IO_STATUS_BLOCK res = {0};
    NTSTATUS st;
    if (ov) {
        ws_overlapped o;
        if (nt_copy_from_user(&o, ov, sizeof o) != 0) {
            if (io->finish)
                io->finish(io->arg);
            return ws_fail(WSAEFAULT);
        }
        o.Internal = (ULONG_PTR)(uint32_t)STATUS_PENDING;
        o.InternalHigh = 0;
        nt_copy_to_user(ov, &o, 16);
        HANDLE ev = (HANDLE)((ULONG_PTR)o.hEvent & ~(ULONG_PTR)1);
        void *ctx = ((ULONG_PTR)o.hEvent & 1) ? NULL : ov;
        nt_async_notify n = {.iosb = (IO_STATUS_BLOCK *)ov, .event = routine ? NULL : ev,
                             .apc = routine, .apc_ctx = routine ? NULL : ctx, .apc_win32 = true};
        st = nt_async_submit(f, io, &n, &res);
        if (st == STATUS_PENDING)
            return ws_fail(WSA_IO_PENDING);
    } else if (f->sock_nonblocking) {
        ULONG_PTR info = 0;
        bool done = io->attempt(f->fd, io->arg, &st, &info);
        if (io->finish)
            io->finish(io->arg);
        if (!done)
            return ws_fail(WSAEWOULDBLOCK);
        res.Information = info;
    } else {
        /* Winsock's blocking calls wait alertably: user APCs run, the call goes on */
        nt_async_notify n = {.wait = true, .alertable = true,
                             .timeout_ms = receive ? f->sock_rcvtimeo : f->sock_sndtimeo};
        st = nt_async_submit(f, io, &n, &res);
        if (st == WS_STATUS_CANCELLED && __atomic_load_n(&f->sock_closing, __ATOMIC_ACQUIRE))
            return ws_fail(WSAEINTR); /* closesocket in another thread */
    }
    if (st == WS_STATUS_BUFFER_OVERFLOW || NT_ERROR(st)) {
        if (bytes && st == WS_STATUS_BUFFER_OVERFLOW) {
            uint32_t b = (uint32_t)res.Information;
            nt_copy_to_user(bytes, &b, sizeof b);
        }
        return ws_fail(ws_wsa_from_status(st));
    }
    if (bytes) {
        uint32_t b = (uint32_t)res.Information;
        if (nt_copy_to_user(bytes, &b, sizeof b) != 0)
            return ws_fail(WSAEFAULT);
    }
    return 0;
}

/* ---- send and receive ---- */
typedef struct {
    struct iovec *iov;
    int iovcnt;
    int flags;
    bool stream;
    bool partial_ok;               /* a non-blocking send: what went out before EAGAIN counts */
    size_t done;                   /* sends: bytes sent so far */
    struct sockaddr_storage to;    /* sends */
    socklen_t tolen;
    void *from;                    /* receives: the caller's address buffer and length */
    int *fromlen;
} ws_xfer;

static void ws_xfer_free(void *p)
{
    ws_xfer *x = p;
    free(x->iov);
    free(x);
}

/* A transfer over the caller's WSABUF array (copied now, as Windows does). */
static ws_xfer *ws_xfer_new(nt_file *f, const ws_wsabuf *bufs, uint32_t count, int *err)
{
    if (count > 1024 || (count && !bufs)) {
        *err = WSAEINVAL;
        return NULL;
    }
    ws_xfer *x = calloc(1, sizeof *x);
    ws_wsabuf *wb = malloc(sizeof *wb * (count ? count : 1));
    struct iovec *iov = malloc(sizeof *iov * (count ? count : 1));
    if (!x || !wb || !iov) {
        free(x), free(wb), free(iov);
        *err = WSAENOBUFS;
        return NULL;
    }
    if (count && nt_copy_from_user(wb, bufs, sizeof *wb * count) != 0) {
        free(x), free(wb), free(iov);
        *err = WSAEFAULT;
        return NULL;
    }
    for (uint32_t i = 0; i < count; i++) {
        iov[i].iov_base = wb[i].buf;
        iov[i].iov_len = wb[i].len;
    }
    free(wb);
    x->iov = iov;
    x->iovcnt = (int)count;
    x->stream = f->sock_stream;
    return x;
}

static bool ws_recv_attempt(int fd, void *p, NTSTATUS *st, ULONG_PTR *info)
{
    ws_xfer *x = p;
    struct sockaddr_storage sa;
    struct msghdr m = {0};
    m.msg_iov = x->iov;
    m.msg_iovlen = (size_t)x->iovcnt;
    if (x->from) {
        m.msg_name = &sa;
        m.msg_namelen = sizeof sa;
    }
    ssize_t n;
    do
        n = recvmsg(fd, &m, x->flags | MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return false;
    *info = 0;
    if (n < 0) {
        *st = ws_status_from_errno(errno);
        return true;
    }
    *info = (ULONG_PTR)n;
    *st = (m.msg_flags & MSG_TRUNC) && !x->stream ? WS_STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
    if (x->from && m.msg_namelen > 0)
        ws_addr_out((struct sockaddr *)&sa, m.msg_namelen, x->from, x->fromlen);
    return true;
}

static bool ws_send_attempt(int fd, void *p, NTSTATUS *st, ULONG_PTR *info)
{
    ws_xfer *x = p;
    for (;;) {
        struct msghdr m = {0};
        m.msg_iov = x->iov;
        m.msg_iovlen = (size_t)x->iovcnt;
        if (x->tolen) {
            m.msg_name = &x->to;
            m.msg_namelen = x->tolen;
        }
        ssize_t n;
        do
            n = sendmsg(fd, &m, x->flags | MSG_DONTWAIT | MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && !(x->partial_ok && x->done))
            return false;
        if (n < 0) {
            *info = x->done;
            *st = x->done ? STATUS_SUCCESS : ws_status_from_errno(errno);
            return true;
        }
        x->done += (size_t)n;
        /* a stream socket sends everything, as Windows' blocking and overlapped sends do */
        size_t left = (size_t)n;
        while (x->iovcnt && left >= x->iov[0].iov_len) {
            left -= x->iov[0].iov_len;
            x->iov++;
            x->iovcnt--;
        }
        if (x->iovcnt) {
            x->iov[0].iov_base = (char *)x->iov[0].iov_base + left;
            x->iov[0].iov_len -= left;
        }
        if (!x->stream || !x->iovcnt) {
            *st = STATUS_SUCCESS;
            *info = x->done;
            return true;
        }
    }
}

/* ws_xfer's iov may have moved forward: keep the allocation's start for free(). */
typedef struct {
    ws_xfer x;
    struct iovec *base;
} ws_xfer_box;

static void ws_send_free(void *p)
{
    ws_xfer_box *b = p;
    free(b->base);
    free(b);
}

static int ws_transfer(ws_socket s, const ws_wsabuf *bufs, uint32_t count, uint32_t *bytes,
                       uint32_t *flagsp, const void *to, int tolen, void *from, int *fromlen,
                       ws_overlapped *ov, void *routine, bool send)
{
    nt_file *f = ws_get(s);
    if (!f)
        return WS_SOCKET_ERROR;
    int err = 0;
    uint32_t wflags = 0;
    if (flagsp && !send && nt_copy_from_user(&wflags, flagsp, sizeof wflags) != 0)
        err = WSAEFAULT;
    ws_xfer *x = err ? NULL : ws_xfer_new(f, bufs, count, &err);
    if (!x) {
        nt_object_release(&f->hdr);
        return ws_fail(err);
    }
    ws_xfer_box *box = realloc(x, sizeof *box);
    if (!box) {
        ws_xfer_free(x);
        nt_object_release(&f->hdr);
        return ws_fail(WSAENOBUFS);
    }
    box->base = box->x.iov;
    x = &box->x;
    x->flags = ws_msg_flags(send ? (uint32_t)(uintptr_t)flagsp : wflags);
    x->partial_ok = send && !ov && f->sock_nonblocking;
    if (send && to) {
        err = ws_addr_in(to, tolen, &x->to, &x->tolen);
        if (err) {
            ws_send_free(box);
            nt_object_release(&f->hdr);
            return ws_fail(err);
        }
    }
    if (!send && from) {
        int fl;
        if (!fromlen || nt_copy_from_user(&fl, fromlen, sizeof fl) != 0) {
            ws_send_free(box);
            nt_object_release(&f->hdr);
            return ws_fail(WSAEFAULT);
        }
        x->from = from;
        x->fromlen = fromlen;
    }
    nt_async_io io = {.attempt = send ? ws_send_attempt : ws_recv_attempt,
                      .finish = ws_send_free, .arg = box, .write = send, .waiter_polls = true};
    int r = ws_submit(f, &io, ov, routine, bytes, !send);
    if (r == 0 && flagsp && !send) {
        uint32_t zero = 0;
        nt_copy_to_user(flagsp, &zero, sizeof zero);
    }
    if (!send) /* WSAEventSelect's re-enabling calls */
        ws_es_reenable(f, (wflags & WS_MSG_OOB) ? WS_FD_OOB : WS_FD_READ);
    else if (r != 0 && thk_get_last_error() == WSAEWOULDBLOCK)
        ws_es_reenable(f, WS_FD_WRITE);
    nt_object_release(&f->hdr);
    return r;
}

/* ---- AFD's receive requests (NtDeviceIoControlFile on a socket) ---- */
/* libuv receives on a UDP socket through them once SetFileCompletionNotificationModes has
 * succeeded (uv__wsarecv_workaround, uv__wsarecvfrom_workaround), as Windows' own msafd does
 * under WSARecv. IOCTL_AFD_RECEIVE takes AFD_RECV_INFO, IOCTL_AFD_RECEIVE_DATAGRAM
 * AFD_RECV_DATAGRAM_INFO (also the sender's address and its length); TdiFlags
 * TDI_RECEIVE_PEEK and _EXPEDITED are MSG_PEEK and MSG_OOB. With AfdFlags' AFD_OVERLAPPED the
 * request is the file's overlapped I/O (event, APC or completion port, STATUS_PENDING), else it
 * waits, or on a non-blocking socket fails with STATUS_DEVICE_NOT_READY (WSAEWOULDBLOCK) when
 * nothing is there. A datagram longer than the buffers: STATUS_BUFFER_OVERFLOW. */
#define WS_IOCTL_AFD_RECEIVE 0x12017u
#define WS_IOCTL_AFD_RECEIVE_DATAGRAM 0x1201bu
#define WS_AFD_OVERLAPPED 0x2u
#define WS_TDI_RECEIVE_EXPEDITED 0x10u
#define WS_TDI_RECEIVE_PEEK 0x80u
#define WS_STATUS_DEVICE_NOT_READY ((NTSTATUS)0xC00000A3)

typedef struct {
    uint64_t BufferArray;   /* 0x00 WSABUF * */
    uint32_t BufferCount;   /* 0x08 */
    uint32_t AfdFlags;      /* 0x0c */
    uint32_t TdiFlags;      /* 0x10 */
    uint32_t pad;
    uint64_t Address;       /* 0x18 AFD_RECV_DATAGRAM_INFO: struct sockaddr * */
    uint64_t AddressLength; /* 0x20 int * */
} ws_afd_recv_info;
_Static_assert(offsetof(ws_afd_recv_info, Address) == 0x18, "AFD_RECV_DATAGRAM_INFO.Address");
#define WS_AFD_RECV_INFO_SIZE 0x18
#define WS_AFD_RECV_DATAGRAM_INFO_SIZE 0x28

NTSTATUS ws_afd_ioctl(nt_file *f, HANDLE event, void *apc, void *apc_ctx, IO_STATUS_BLOCK *io,
                      uint32_t code, void *in, uint32_t in_len, void *out, uint32_t out_len)
{
    (void)out;
    (void)out_len;
    if (code != WS_IOCTL_AFD_RECEIVE && code != WS_IOCTL_AFD_RECEIVE_DATAGRAM)
        return STATUS_INVALID_DEVICE_REQUEST;
    bool dgram = code == WS_IOCTL_AFD_RECEIVE_DATAGRAM;
    uint32_t need = dgram ? WS_AFD_RECV_DATAGRAM_INFO_SIZE : WS_AFD_RECV_INFO_SIZE;
    ws_afd_recv_info info = {0};
    if (!in || in_len < need)
        return STATUS_INVALID_PARAMETER;
    if (nt_copy_from_user(&info, in, need) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (!info.BufferCount || !info.BufferArray || (dgram && info.Address && !info.AddressLength))
        return STATUS_INVALID_PARAMETER;
    int err = 0;
    ws_xfer *x = ws_xfer_new(f, (const ws_wsabuf *)(uintptr_t)info.BufferArray,
                             info.BufferCount, &err);
    if (!x)
        return err == WSAEFAULT ? STATUS_ACCESS_VIOLATION
               : err == WSAENOBUFS ? STATUS_NO_MEMORY
                                   : STATUS_INVALID_PARAMETER;
    x->flags = ((info.TdiFlags & WS_TDI_RECEIVE_PEEK) ? MSG_PEEK : 0) |
               ((info.TdiFlags & WS_TDI_RECEIVE_EXPEDITED) ? MSG_OOB : 0);
    if (dgram && info.Address) {
        x->from = (void *)(uintptr_t)info.Address;
        x->fromlen = (int *)(uintptr_t)info.AddressLength;
    }
    ws_es_reenable(f, (info.TdiFlags & WS_TDI_RECEIVE_EXPEDITED) ? WS_FD_OOB : WS_FD_READ);
    nt_async_io aio = {.attempt = ws_recv_attempt, .finish = ws_xfer_free, .arg = x,
                       .waiter_polls = true};
    if (info.AfdFlags & WS_AFD_OVERLAPPED) {
        nt_async_notify n = {.iosb = io, .event = event, .apc = apc, .apc_ctx = apc_ctx};
        return nt_async_submit(f, &aio, &n, NULL);
    }
    IO_STATUS_BLOCK res = {0};
    NTSTATUS st;
    if (f->sock_nonblocking) {
        ULONG_PTR got = 0;
        bool done = ws_recv_attempt(f->fd, x, &st, &got);
        ws_xfer_free(x);
        if (!done)
            st = WS_STATUS_DEVICE_NOT_READY;
        res.Information = done ? got : 0;
    } else {
        nt_async_notify n = {.wait = true, .timeout_ms = f->sock_rcvtimeo};
        st = nt_async_submit(f, &aio, &n, &res);
    }
    res.Status = st;
    if (io && nt_copy_to_user(io, &res, sizeof res) != 0)
        return STATUS_ACCESS_VIOLATION;
    return st;
}

static int WINAPI ws_WSARecv(ws_socket s, ws_wsabuf *bufs, uint32_t count, uint32_t *recvd,
                             uint32_t *flags, ws_overlapped *ov, void *routine)
{
    return ws_transfer(s, bufs, count, recvd, flags, NULL, 0, NULL, NULL, ov, routine, false);
}
THK_EXPORT_AS(ws2_32, WSARecv, ws_WSARecv, 7);

static int WINAPI ws_WSARecvFrom(ws_socket s, ws_wsabuf *bufs, uint32_t count, uint32_t *recvd,
                                 uint32_t *flags, void *from, int *fromlen, ws_overlapped *ov,
                                 void *routine)
{
    return ws_transfer(s, bufs, count, recvd, flags, NULL, 0, from, fromlen, ov, routine, false);
}
THK_EXPORT_AS(ws2_32, WSARecvFrom, ws_WSARecvFrom, 9);

static int WINAPI ws_WSASend(ws_socket s, ws_wsabuf *bufs, uint32_t count, uint32_t *sent,
                             uint32_t flags, ws_overlapped *ov, void *routine)
{
    return ws_transfer(s, bufs, count, sent, (uint32_t *)(uintptr_t)flags, NULL, 0, NULL, NULL,
                       ov, routine, true);
}
THK_EXPORT_AS(ws2_32, WSASend, ws_WSASend, 7);

static int WINAPI ws_WSASendTo(ws_socket s, ws_wsabuf *bufs, uint32_t count, uint32_t *sent,
                               uint32_t flags, const void *to, int tolen, ws_overlapped *ov,
                               void *routine)
{
    return ws_transfer(s, bufs, count, sent, (uint32_t *)(uintptr_t)flags, to, tolen, NULL, NULL,
                       ov, routine, true);
}
THK_EXPORT_AS(ws2_32, WSASendTo, ws_WSASendTo, 9);

static int ws_simple(ws_socket s, char *buf, int len, int flags, const void *to, int tolen,
                     void *from, int *fromlen, bool send)
{
    if (len < 0)
        return ws_fail(WSAEFAULT);
    ws_wsabuf wb = {(uint32_t)len, buf};
    uint32_t n = 0, fl = (uint32_t)flags;
    int r = send ? ws_transfer(s, &wb, 1, &n, (uint32_t *)(uintptr_t)fl, to, tolen, NULL, NULL,
                               NULL, NULL, true)
                 : ws_transfer(s, &wb, 1, &n, &fl, NULL, 0, from, fromlen, NULL, NULL, false);
    return r == 0 ? (int)n : WS_SOCKET_ERROR;
}

static int WINAPI ws_recv(ws_socket s, char *buf, int len, int flags)
{
    return ws_simple(s, buf, len, flags, NULL, 0, NULL, NULL, false);
}
THK_EXPORT_AS(ws2_32, recv, ws_recv, 4);

static int WINAPI ws_recvfrom(ws_socket s, char *buf, int len, int flags, void *from,
                              int *fromlen)
{
    return ws_simple(s, buf, len, flags, NULL, 0, from, fromlen, false);
}
THK_EXPORT_AS(ws2_32, recvfrom, ws_recvfrom, 6);

static int WINAPI ws_send(ws_socket s, const char *buf, int len, int flags)
{
    return ws_simple(s, (char *)buf, len, flags, NULL, 0, NULL, NULL, true);
}
THK_EXPORT_AS(ws2_32, send, ws_send, 4);

static int WINAPI ws_sendto(ws_socket s, const char *buf, int len, int flags, const void *to,
                            int tolen)
{
    return ws_simple(s, (char *)buf, len, flags, to, tolen, NULL, NULL, true);
}
THK_EXPORT_AS(ws2_32, sendto, ws_sendto, 6);

/* ---- connect ---- */
typedef struct {
    struct sockaddr_storage sa;
    socklen_t len;
    bool started;
    bool connected;
    const uint8_t *data;  /* ConnectEx: sent once connected (the caller's buffer) */
    uint32_t data_len, data_sent;
} ws_connect_arg;

/* ConnectEx's data, once connected: all of it, as Windows sends it. */
static bool ws_connect_send(int fd, ws_connect_arg *c, NTSTATUS *st, ULONG_PTR *info)
{
    while (c->data_sent < c->data_len) {
        ssize_t n = send(fd, c->data + c->data_sent, c->data_len - c->data_sent,
                         MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return false;
        if (n < 0) {
            *st = c->data_sent ? STATUS_SUCCESS : ws_status_from_errno(errno);
            *info = c->data_sent;
            return true;
        }
        c->data_sent += (uint32_t)n;
    }
    *st = STATUS_SUCCESS;
    *info = c->data_sent;
    return true;
}

static bool ws_connect_attempt(int fd, void *p, NTSTATUS *st, ULONG_PTR *info)
{
    ws_connect_arg *c = p;
    *info = 0;
    if (c->connected)
        return ws_connect_send(fd, c, st, info);
    if (!c->started) {
        int r;
        do
            r = connect(fd, (struct sockaddr *)&c->sa, c->len);
        while (r < 0 && errno == EINTR);
        if (r == 0) {
            c->connected = true;
            return ws_connect_send(fd, c, st, info);
        }
        if (errno != EINPROGRESS) {
            *st = ws_status_from_errno(errno);
            return true;
        }
        c->started = true;
        return false;
    }
    struct pollfd pfd = {fd, POLLOUT, 0};
    if (poll(&pfd, 1, 0) <= 0)
        return false;
    int err = 0;
    socklen_t el = sizeof err;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el);
    if (err) {
        *st = ws_status_from_errno(err);
        return true;
    }
    c->connected = true;
    return ws_connect_send(fd, c, st, info);
}

static int WINAPI ws_connect(ws_socket s, const void *addr, int len)
{
    nt_file *f = ws_get(s);
    if (!f)
        return WS_SOCKET_ERROR;
    ws_connect_arg *c = calloc(1, sizeof *c);
    int err = c ? ws_addr_in(addr, len, &c->sa, &c->len) : WSAENOBUFS;
    if (err) {
        free(c);
        nt_object_release(&f->hdr);
        return ws_fail(err);
    }
    if (f->sock_events) { /* WSAEventSelect: the end of the connect is FD_CONNECT */
        int r;
        do
            r = connect(f->fd, (struct sockaddr *)&c->sa, c->len);
        while (r < 0 && errno == EINTR);
        int e = r == 0 ? 0 : errno;
        free(c);
        if (e == 0 || e == EINPROGRESS) {
            ws_es_reenable(f, WS_FD_CONNECT);
            e = 0;
        } else if (e == ECONNREFUSED || e == ETIMEDOUT || e == ENETUNREACH ||
                   e == EHOSTUNREACH) {
            ws_es_connect_failed(f, ws_wsa_from_errno(e));
            e = 0;
        }
        nt_object_release(&f->hdr);
        /* Windows' non-blocking connect always says WSAEWOULDBLOCK */
        return ws_fail(e ? ws_wsa_from_errno(e) : WSAEWOULDBLOCK);
    }
    nt_async_io io = {.attempt = ws_connect_attempt, .finish = free, .arg = c, .write = true};
    int r = ws_submit(f, &io, NULL, NULL, NULL, false);
    nt_object_release(&f->hdr);
    return r;
}
THK_EXPORT_AS(ws2_32, connect, ws_connect, 3);

static int WINAPI ws_WSAConnect(ws_socket s, const void *addr, int len, void *caller,
                                void *callee, void *sqos, void *gqos)
{
    (void)caller, (void)callee, (void)sqos, (void)gqos;
    return ws_connect(s, addr, len);
}
THK_EXPORT_AS(ws2_32, WSAConnect, ws_WSAConnect, 7);

/* BOOL ConnectEx(SOCKET s, const sockaddr *name, int namelen, PVOID send_buf, DWORD send_len,
 * LPDWORD sent, LPOVERLAPPED ov): the socket must be bound; send_buf (when send_len > 0) is
 * sent once the connection is made, and the request completes with the bytes sent. */
static BOOL WINAPI ws_ConnectEx(ws_socket s, const void *addr, int len, void *sendbuf,
                                uint32_t sendlen, uint32_t *sent, ws_overlapped *ov)
{
    nt_file *f = ws_get(s);
    if (!f)
        return FALSE;
    struct sockaddr_storage local;
    socklen_t ll = sizeof local;
    int err = 0;
    if (!ov)
        err = WSAEINVAL;
    else if (sendlen && !sendbuf)
        err = WSAEFAULT;
    else if (getsockname(f->fd, (struct sockaddr *)&local, &ll) != 0 ||
             (local.ss_family == AF_INET && ((struct sockaddr_in *)&local)->sin_port == 0) ||
             (local.ss_family == AF_INET6 && ((struct sockaddr_in6 *)&local)->sin6_port == 0))
        err = WSAEINVAL; /* not bound */
    ws_connect_arg *c = err ? NULL : calloc(1, sizeof *c);
    if (!err && !c)
        err = WSAENOBUFS;
    if (!err)
        err = ws_addr_in(addr, len, &c->sa, &c->len);
    if (err) {
        free(c);
        nt_object_release(&f->hdr);
        ws_fail(err);
        return FALSE;
    }
    c->data = sendbuf;
    c->data_len = sendlen;
    nt_async_io io = {.attempt = ws_connect_attempt, .finish = free, .arg = c, .write = true};
    int r = ws_submit(f, &io, ov, NULL, sent, false);
    nt_object_release(&f->hdr);
    return r == 0;
}
THK_EXPORT_AS(mswsock, ConnectEx, ws_ConnectEx, 7);

/* ---- accept ---- */
typedef struct {
    nt_file *target;    /* AcceptEx: the accept socket (referenced); NULL: a new socket */
    void *addr;         /* accept: the caller's address buffer and length */
    int *addrlen;
    uint8_t *buf;       /* AcceptEx: the output buffer and its parts */
    uint32_t recvlen, locallen, remotelen;
    /* AcceptEx with recvlen > 0: once accepted, the wait for the first data is handed over to
     * a request of the accept socket carrying the same notifications */
    nt_file *listener;  /* referenced */
    ws_overlapped *ov;
    bool handed_over;
} ws_accept_arg;

/* The first data block of an AcceptEx connection, into the start of its buffer. A failed
 * receive (the client reset the connection) completes with 0 bytes. */
typedef struct {
    uint8_t *buf;
    uint32_t len;
} ws_first_data;

static bool ws_first_data_attempt(int fd, void *p, NTSTATUS *st, ULONG_PTR *info)
{
    ws_first_data *d = p;
    ssize_t n;
    do
        n = recv(fd, d->buf, d->len, MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return false;
    *st = STATUS_SUCCESS;
    *info = n > 0 ? (ULONG_PTR)n : 0;
    return true;
}

/* The hand-over, with no lock held (a request's finish). */
static void ws_accept_hand_over(ws_accept_arg *a)
{
    ws_first_data *d = malloc(sizeof *d);
    ws_overlapped o;
    if (!d || nt_copy_from_user(&o, a->ov, sizeof o) != 0) {
        free(d);
        return;
    }
    d->buf = a->buf;
    d->len = a->recvlen;
    HANDLE ev = (HANDLE)((ULONG_PTR)o.hEvent & ~(ULONG_PTR)1);
    void *ctx = ((ULONG_PTR)o.hEvent & 1) ? NULL : a->ov;
    nt_async_notify n = {.iosb = (IO_STATUS_BLOCK *)a->ov, .event = ev, .apc_ctx = ctx,
                         .port_file = a->listener};
    nt_async_io io = {.attempt = ws_first_data_attempt, .finish = free, .arg = d};
    IO_STATUS_BLOCK res;
    nt_async_submit(a->target, &io, &n, &res);
}

static void ws_accept_free(void *p)
{
    ws_accept_arg *a = p;
    if (a->handed_over)
        ws_accept_hand_over(a);
    if (a->target)
        nt_object_release(&a->target->hdr);
    if (a->listener)
        nt_object_release(&a->listener->hdr);
    free(a);
}

/* AcceptEx's address block, as GetAcceptExSockaddrs reads it: an int length, then the Windows
 * sockaddr. */
static void ws_put_acceptex_addr(uint8_t *dst, uint32_t room, const struct sockaddr_storage *sa,
                                 socklen_t len)
{
    uint8_t block[sizeof(int) + sizeof(struct sockaddr_storage)];
    int l = (int)len;
    if (sizeof l + len > room)
        return;
    memcpy(block, &l, sizeof l);
    memcpy(block + sizeof l, sa, len);
    uint16_t wf = (uint16_t)ws_family_to_win(sa->ss_family);
    memcpy(block + sizeof l, &wf, 2);
    nt_copy_to_user(dst, block, sizeof l + len);
}

static bool ws_accept_attempt(int fd, void *p, NTSTATUS *st, ULONG_PTR *info)
{
    ws_accept_arg *a = p;
    struct sockaddr_storage sa;
    socklen_t sl = sizeof sa;
    int nfd;
    do
        nfd = accept4(fd, (struct sockaddr *)&sa, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
    while (nfd < 0 && errno == EINTR);
    if (nfd < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return false;
    *info = 0;
    if (nfd < 0) {
        *st = ws_status_from_errno(errno);
        return true;
    }
    if (a->target) { /* AcceptEx: the connection takes over the accept socket's fd */
        if (dup3(nfd, a->target->fd, O_CLOEXEC) < 0) {
            *st = ws_status_from_errno(errno);
            close(nfd);
            return true;
        }
        close(nfd);
        a->target->sock_stream = true; /* whatever the program made it as */
        nt_async_fd_replaced(a->target);
        struct sockaddr_storage local;
        socklen_t ll = sizeof local;
        getsockname(a->target->fd, (struct sockaddr *)&local, &ll);
        ws_put_acceptex_addr(a->buf + a->recvlen, a->locallen, &local, ll);
        ws_put_acceptex_addr(a->buf + a->recvlen + a->locallen, a->remotelen, &sa, sl);
        *st = STATUS_SUCCESS;
        if (a->recvlen && a->listener) { /* now wait for the first data */
            a->handed_over = true;
            *st = NT_ASYNC_HANDED_OVER;
        }
        return true;
    }
    ws_socket ns = ws_new_socket(nfd, false);
    if (ns == WS_INVALID_SOCKET) {
        *st = STATUS_NO_MEMORY;
        return true;
    }
    if (a->addr)
        ws_addr_out((struct sockaddr *)&sa, sl, a->addr, a->addrlen);
    *st = STATUS_SUCCESS;
    *info = ns;
    return true;
}

static ws_socket WINAPI ws_accept(ws_socket s, void *addr, int *addrlen)
{
    nt_file *f = ws_get(s);
    if (!f)
        return WS_INVALID_SOCKET;
    int have;
    if (addr && (!addrlen || nt_copy_from_user(&have, addrlen, sizeof have) != 0 ||
                 have < (int)sizeof(struct sockaddr_in))) {
        nt_object_release(&f->hdr);
        ws_fail(WSAEFAULT);
        return WS_INVALID_SOCKET;
    }
    int listening = 0;
    socklen_t ll = sizeof listening;
    getsockopt(f->fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &ll);
    ws_accept_arg *a = listening ? calloc(1, sizeof *a) : NULL;
    if (!a) {
        nt_object_release(&f->hdr);
        ws_fail(listening ? WSAENOBUFS : WSAEINVAL);
        return WS_INVALID_SOCKET;
    }
    a->addr = addr;
    a->addrlen = addrlen;
    /* the new socket travels in Information; on a cancelled or failed request there is none */
    nt_async_io io = {.attempt = ws_accept_attempt, .finish = ws_accept_free, .arg = a,
                      .waiter_polls = true};
    uint32_t ns = 0;
    ULONG_PTR sock = 0;
    IO_STATUS_BLOCK res = {0};
    int r;
    if (f->sock_nonblocking) {
        NTSTATUS st;
        bool done = ws_accept_attempt(f->fd, a, &st, &sock);
        ws_accept_free(a);
        r = !done ? ws_fail(WSAEWOULDBLOCK)
            : NT_ERROR(st) ? ws_fail(ws_wsa_from_status(st)) : 0;
    } else {
        nt_async_notify n = {.wait = true, .alertable = true, .timeout_ms = 0};
        NTSTATUS st = nt_async_submit(f, &io, &n, &res);
        sock = res.Information;
        if (st == WS_STATUS_CANCELLED && __atomic_load_n(&f->sock_closing, __ATOMIC_ACQUIRE))
            r = ws_fail(WSAEINTR); /* closesocket in another thread */
        else
            r = NT_ERROR(st) ? ws_fail(ws_wsa_from_status(st)) : 0;
    }
    (void)ns;
    if (r == 0) {
        /* The new socket has the listener's properties (accept's remarks on Microsoft's page):
         * its blocking mode (mio, tokio's reactor, accepts on a non-blocking listener and
         * never sets the accepted socket non-blocking itself) and its WSAEventSelect or
         * WSAAsyncSelect registration. */
        nt_file *nf = ws_get((ws_socket)sock);
        if (nf) {
            nf->sock_nonblocking = f->sock_nonblocking;
            if (f->sock_events)
                ws_es_inherit(f, nf, (ws_socket)sock);
            nt_object_release(&nf->hdr);
        }
    }
    ws_es_reenable(f, WS_FD_ACCEPT);
    nt_object_release(&f->hdr);
    return r == 0 ? (ws_socket)sock : WS_INVALID_SOCKET;
}
THK_EXPORT_AS(ws2_32, accept, ws_accept, 3);

static ws_socket WINAPI ws_WSAAccept(ws_socket s, void *addr, int *addrlen, void *cond,
                                     ULONG_PTR data)
{
    (void)cond, (void)data;
    return ws_accept(s, addr, addrlen);
}
THK_EXPORT_AS(ws2_32, WSAAccept, ws_WSAAccept, 5);

/* BOOL AcceptEx(SOCKET listen, SOCKET accept, PVOID buf, DWORD recv_len, DWORD local_len,
 * DWORD remote_len, LPDWORD received, LPOVERLAPPED ov). With recv_len > 0 the request
 * completes once the first data block has arrived in buf (its size the byte count), as on
 * Windows; the addresses follow at buf + recv_len. That wait is a request of the accept
 * socket, so a connection that sends nothing does not hold up the listener's other accepts. */
static BOOL WINAPI ws_AcceptEx(ws_socket ls, ws_socket as, void *buf, uint32_t recvlen,
                               uint32_t locallen, uint32_t remotelen, uint32_t *received,
                               ws_overlapped *ov)
{
    nt_file *f = ws_get(ls);
    if (!f)
        return FALSE;
    nt_file *t = ws_get(as);
    if (!t) {
        nt_object_release(&f->hdr);
        return FALSE;
    }
    int err = 0;
    if (!ov || !buf)
        err = WSAEFAULT;
    else if (locallen < 16 + 16 || remotelen < 16 + 16)
        err = WSAEINVAL; /* sizeof(sockaddr) + 16 at least */
    else if (t == f)
        err = WSAEINVAL; /* the listener as its own accept socket: it is bound */
    ws_accept_arg *a = err ? NULL : calloc(1, sizeof *a);
    if (!err && !a)
        err = WSAENOBUFS;
    if (err) {
        nt_object_release(&t->hdr);
        nt_object_release(&f->hdr);
        ws_fail(err);
        return FALSE;
    }
    a->target = t;
    a->buf = buf;
    a->recvlen = 0;
    a->locallen = locallen;
    a->remotelen = remotelen;
    a->recvlen = recvlen;
    if (recvlen) {
        a->listener = f;
        nt_object_ref(&f->hdr);
        a->ov = ov;
    }
    nt_async_io io = {.attempt = ws_accept_attempt, .finish = ws_accept_free, .arg = a};
    int r = ws_submit(f, &io, ov, NULL, received, true);
    nt_object_release(&f->hdr);
    return r == 0;
}
THK_EXPORT_AS(mswsock, AcceptEx, ws_AcceptEx, 8);

static void WINAPI ws_GetAcceptExSockaddrs(void *buf, uint32_t recvlen, uint32_t locallen,
                                           uint32_t remotelen, void **local, int *local_len,
                                           void **remote, int *remote_len)
{
    uint8_t *p = (uint8_t *)buf + recvlen;
    int l = 0;
    nt_copy_from_user(&l, p, sizeof l);
    void *addr = p + sizeof(int);
    if (local)
        nt_copy_to_user(local, &addr, sizeof addr);
    if (local_len)
        nt_copy_to_user(local_len, &l, sizeof l);
    p += locallen;
    nt_copy_from_user(&l, p, sizeof l);
    addr = p + sizeof(int);
    if (remote)
        nt_copy_to_user(remote, &addr, sizeof addr);
    if (remote_len)
        nt_copy_to_user(remote_len, &l, sizeof l);
    (void)remotelen;
}
THK_EXPORT_AS(mswsock, GetAcceptExSockaddrs, ws_GetAcceptExSockaddrs, 8);

/* ---- WSAGetOverlappedResult ---- */
static BOOL WINAPI ws_WSAGetOverlappedResult(ws_socket s, ws_overlapped *ov, uint32_t *bytes,
                                             BOOL wait, uint32_t *flags)
{
    ws_overlapped o;
    if (!ov || nt_copy_from_user(&o, ov, sizeof o) != 0) {
        ws_fail(WSAEFAULT);
        return FALSE;
    }
    NTSTATUS st = (NTSTATUS)(uint32_t)o.Internal;
    if (st == STATUS_PENDING && !wait) { /* a poll: under a port's lease it does the I/O */
        nt_async_poll_soon((HANDLE)s);
        if (nt_copy_from_user(&o, ov, sizeof o) != 0) {
            ws_fail(WSAEFAULT);
            return FALSE;
        }
        st = (NTSTATUS)(uint32_t)o.Internal;
    }
    if (st == STATUS_PENDING && wait) {
        HANDLE ev = (HANDLE)((ULONG_PTR)o.hEvent & ~(ULONG_PTR)1);
        if (ev) {
            nt_async_wait_soon((HANDLE)s); /* the epoll thread serves a port's set under a lease */
            NtWaitForSingleObject(ev, 0, NULL);
        }
        nt_async_wait_iosb((HANDLE)s, (IO_STATUS_BLOCK *)ov, INT64_MAX);
        if (nt_copy_from_user(&o, ov, sizeof o) != 0) {
            ws_fail(WSAEFAULT);
            return FALSE;
        }
        st = (NTSTATUS)(uint32_t)o.Internal;
    }
    uint32_t n = (uint32_t)o.InternalHigh, fl = 0;
    if ((bytes && nt_copy_to_user(bytes, &n, sizeof n) != 0) ||
        (flags && nt_copy_to_user(flags, &fl, sizeof fl) != 0)) {
        ws_fail(WSAEFAULT);
        return FALSE;
    }
    if (st == STATUS_PENDING) {
        ws_fail(WSA_IO_INCOMPLETE);
        return FALSE;
    }
    if (st == WS_STATUS_BUFFER_OVERFLOW || NT_ERROR(st)) {
        ws_fail(ws_wsa_from_status(st));
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT_AS(ws2_32, WSAGetOverlappedResult, ws_WSAGetOverlappedResult, 5);

/* ---- DisconnectEx, TransmitFile ---- */
#define WS_TF_DISCONNECT 0x01u
#define WS_TF_REUSE_SOCKET 0x02u

/* The connection ends (both directions shut down); with TF_REUSE_SOCKET the handle gets a
 * fresh unconnected socket of the same kind, ready for AcceptEx or ConnectEx again. */
static NTSTATUS ws_disconnect_fd(int fd, uint32_t flags)
{
    shutdown(fd, SHUT_RDWR);
    if (!(flags & WS_TF_REUSE_SOCKET))
        return STATUS_SUCCESS;
    int dom = 0, type = 0, proto = 0;
    socklen_t l = sizeof dom;
    getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &l);
    l = sizeof type;
    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &l);
    l = sizeof proto;
    getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &l);
    int nfd = socket(dom, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
    if (nfd < 0)
        return ws_status_from_errno(errno);
    int r = dup3(nfd, fd, O_CLOEXEC);
    int e = errno;
    close(nfd);
    return r < 0 ? ws_status_from_errno(e) : STATUS_SUCCESS;
}

typedef struct {
    uint32_t flags;
    nt_file *f; /* for nt_async_fd_replaced (referenced) */
} ws_disconnect_arg;

static bool ws_disconnect_attempt(int fd, void *p, NTSTATUS *st, ULONG_PTR *info)
{
    ws_disconnect_arg *d = p;
    *st = ws_disconnect_fd(fd, d->flags);
    *info = 0;
    return true;
}

static void ws_disconnect_free(void *p)
{
    ws_disconnect_arg *d = p;
    if (d->flags & WS_TF_REUSE_SOCKET)
        nt_async_fd_replaced(d->f);
    nt_object_release(&d->f->hdr);
    free(d);
}

/* BOOL DisconnectEx(SOCKET s, LPOVERLAPPED ov, DWORD flags, DWORD reserved) */
static BOOL WINAPI ws_DisconnectEx(ws_socket s, ws_overlapped *ov, uint32_t flags,
                                   uint32_t reserved)
{
    if (reserved || (flags & ~WS_TF_REUSE_SOCKET)) {
        ws_fail(WSAEINVAL);
        return FALSE;
    }
    nt_file *f = ws_get(s);
    if (!f)
        return FALSE;
    ws_disconnect_arg *d = malloc(sizeof *d);
    if (!d) {
        nt_object_release(&f->hdr);
        ws_fail(WSAENOBUFS);
        return FALSE;
    }
    d->flags = flags;
    d->f = f;
    nt_object_ref(&f->hdr);
    nt_async_io io = {.attempt = ws_disconnect_attempt, .finish = ws_disconnect_free, .arg = d,
                      .write = true};
    int r = ws_submit(f, &io, ov, NULL, NULL, false);
    nt_object_release(&f->hdr);
    return r == 0;
}
THK_EXPORT_AS(mswsock, DisconnectEx, ws_DisconnectEx, 4);

typedef struct {
    void *Head;        /* 0x00 */
    uint32_t HeadLength; /* 0x08 */
    void *Tail;        /* 0x10 */
    uint32_t TailLength; /* 0x18 */
} ws_transmit_buffers;
_Static_assert(sizeof(ws_transmit_buffers) == 0x20, "TRANSMIT_FILE_BUFFERS");

/* TransmitFile's work: the head buffer, the file's bytes (from its current position, or the
 * OVERLAPPED's offset), the tail; then TF_DISCONNECT / TF_REUSE_SOCKET. */
typedef struct {
    const uint8_t *head, *tail;
    uint32_t head_len, tail_len;
    int file_fd;
    int64_t off;         /* the next file byte */
    uint64_t file_left;  /* UINT64_MAX: to the end */
    uint32_t phase;      /* 0 head, 1 file, 2 tail, 3 done */
    uint32_t pos;        /* within head or tail */
    uint64_t sent;
    uint32_t flags;
    uint32_t per_send;   /* the file's bytes go in sends of at most this much */
    nt_file *f, *file;   /* referenced */
} ws_transmit_arg;

static bool ws_send_some(int fd, const uint8_t *p, uint32_t len, uint32_t *pos, uint64_t *sent,
                         NTSTATUS *st, bool *failed)
{
    while (*pos < len) {
        ssize_t n = send(fd, p + *pos, len - *pos, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return false;
        if (n < 0) {
            *st = ws_status_from_errno(errno);
            *failed = true;
            return true;
        }
        *pos += (uint32_t)n;
        *sent += (uint64_t)n;
    }
    return true;
}

static bool ws_transmit_attempt(int fd, void *p, NTSTATUS *st, ULONG_PTR *info)
{
    ws_transmit_arg *t = p;
    bool failed = false;
    *st = STATUS_SUCCESS;
    while (t->phase < 3 && !failed) {
        if (t->phase == 0 || t->phase == 2) {
            const uint8_t *b = t->phase == 0 ? t->head : t->tail;
            uint32_t len = t->phase == 0 ? t->head_len : t->tail_len;
            if (b && !ws_send_some(fd, b, len, &t->pos, &t->sent, st, &failed))
                return false;
            t->pos = 0;
            t->phase++;
            continue;
        }
        char buf[65536];
        size_t want = t->file_left < t->per_send ? (size_t)t->file_left : t->per_send;
        ssize_t got = want ? pread(t->file_fd, buf, want, (off_t)t->off) : 0;
        if (got < 0) {
            *st = ws_status_from_errno(errno);
            failed = true;
            break;
        }
        if (got == 0) {
            t->phase = 2;
            continue;
        }
        ssize_t n = send(fd, buf, (size_t)got, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return false;
        if (n < 0) {
            *st = ws_status_from_errno(errno);
            failed = true;
            break;
        }
        t->off += n;
        t->sent += (uint64_t)n;
        if (t->file_left != UINT64_MAX)
            t->file_left -= (uint64_t)n;
    }
    if (!failed && (t->flags & (WS_TF_DISCONNECT | WS_TF_REUSE_SOCKET)))
        *st = ws_disconnect_fd(fd, t->flags);
    *info = (ULONG_PTR)t->sent;
    return true;
}

static void ws_transmit_free(void *p)
{
    ws_transmit_arg *t = p;
    if (t->flags & WS_TF_REUSE_SOCKET)
        nt_async_fd_replaced(t->f);
    nt_object_release(&t->f->hdr);
    if (t->file)
        nt_object_release(&t->file->hdr);
    free(t);
}

/* BOOL TransmitFile(SOCKET s, HANDLE file, DWORD bytes (0: all), DWORD per_send, LPOVERLAPPED
 * ov, LPTRANSMIT_FILE_BUFFERS buffers, DWORD flags). Without ov the file is read from its
 * current position, which moves past what was sent; with ov from ov's offset. The file goes
 * out in sends of per_send bytes at most (the last one shorter). */
static BOOL WINAPI ws_TransmitFile(ws_socket s, HANDLE file, uint32_t bytes, uint32_t per_send,
                                   ws_overlapped *ov, const ws_transmit_buffers *buffers,
                                   uint32_t flags)
{
    nt_file *f = ws_get(s);
    if (!f)
        return FALSE;
    ws_transmit_arg *t = calloc(1, sizeof *t);
    int err = t ? 0 : WSAENOBUFS;
    ws_transmit_buffers tb = {0};
    if (!err && buffers && nt_copy_from_user(&tb, buffers, sizeof tb) != 0)
        err = WSAEFAULT;
    if (!err && file && nt_file_get(file, &t->file) != STATUS_SUCCESS)
        err = WSAEINVAL;
    if (err) {
        free(t);
        nt_object_release(&f->hdr);
        ws_fail(err);
        return FALSE;
    }
    t->f = f;
    nt_object_ref(&f->hdr);
    t->head = tb.Head;
    t->head_len = tb.HeadLength;
    t->tail = tb.Tail;
    t->tail_len = tb.TailLength;
    t->flags = flags;
    /* nNumberOfBytesPerSend: 0 is the default send size (one 64 KiB buffer here) */
    t->per_send = per_send && per_send < 65536 ? per_send : 65536;
    t->file_fd = t->file ? t->file->fd : -1;
    t->file_left = !t->file ? 0 : bytes ? bytes : UINT64_MAX;
    if (ov) {
        ws_overlapped o;
        if (nt_copy_from_user(&o, ov, sizeof o) == 0)
            t->off = (int64_t)(((uint64_t)o.OffsetHigh << 32) | o.Offset);
    } else if (t->file) {
        off_t cur = lseek(t->file_fd, 0, SEEK_CUR);
        t->off = cur < 0 ? 0 : cur;
    }
    int64_t start = t->off;
    int file_fd = t->file_fd;
    nt_async_io io = {.attempt = ws_transmit_attempt, .finish = ws_transmit_free, .arg = t,
                      .write = true};
    uint32_t sent = 0;
    /* without ov a blocking call even on a non-blocking socket, as Windows' TransmitFile is */
    bool nb = f->sock_nonblocking;
    if (!ov)
        f->sock_nonblocking = false;
    int r = ws_submit(f, &io, ov, NULL, ov ? NULL : &sent, false);
    f->sock_nonblocking = nb;
    if (r == 0 && !ov && file_fd >= 0) {
        uint64_t file_part = sent; /* the head and tail are not file bytes */
        file_part -= tb.Head ? tb.HeadLength : 0;
        file_part -= tb.Tail ? tb.TailLength : 0;
        lseek(file_fd, (off_t)(start + (int64_t)file_part), SEEK_SET);
    }
    nt_object_release(&f->hdr);
    return r == 0;
}
THK_EXPORT_AS(mswsock, TransmitFile, ws_TransmitFile, 7);
