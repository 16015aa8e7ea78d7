/* SPDX-License-Identifier: MIT */
/* Winsock sockets: WSASocketW/A, socket, closesocket, bind, listen, getsockname, getpeername,
 * shutdown, ioctlsocket (FIONBIO, FIONREAD, SIOCATMARK), setsockopt/getsockopt (Windows'
 * SOL_SOCKET, IPPROTO_TCP, IPPROTO_IP and IPPROTO_IPV6 options translated), WSAEnumProtocolsW,
 * WSADuplicateSocketW, and the error translation the other files share. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "thunks/ws2_32/ws2_32_private.h"

/* ---- errors ---- */
int ws_wsa_from_errno(int err)
{
    switch (err) {
    case EINTR: return WSAEINTR;
    case EBADF: return WSAENOTSOCK;
    case EACCES: case EPERM: return WSAEACCES;
    case EFAULT: return WSAEFAULT;
    case EINVAL: return WSAEINVAL;
    case EMFILE: case ENFILE: return WSAEMFILE;
    case EAGAIN: return WSAEWOULDBLOCK;
    case EINPROGRESS: return WSAEWOULDBLOCK; /* a non-blocking connect, as Windows says it */
    case EALREADY: return WSAEALREADY;
    case ENOTSOCK: return WSAENOTSOCK;
    case EDESTADDRREQ: return WSAEDESTADDRREQ;
    case EMSGSIZE: return WSAEMSGSIZE;
    case EPROTOTYPE: return WSAEPROTOTYPE;
    case ENOPROTOOPT: return WSAENOPROTOOPT;
    case EPROTONOSUPPORT: return WSAEPROTONOSUPPORT;
    case ESOCKTNOSUPPORT: return WSAESOCKTNOSUPPORT;
    case EOPNOTSUPP: return WSAEOPNOTSUPP;
    case EPFNOSUPPORT: return WSAEPFNOSUPPORT;
    case EAFNOSUPPORT: return WSAEAFNOSUPPORT;
    case EADDRINUSE: return WSAEADDRINUSE;
    case EADDRNOTAVAIL: return WSAEADDRNOTAVAIL;
    case ENETDOWN: return WSAENETDOWN;
    case ENETUNREACH: return WSAENETUNREACH;
    case ENETRESET: return WSAENETRESET;
    case ECONNABORTED: return WSAECONNABORTED;
    case ECONNRESET: case EPIPE: return WSAECONNRESET;
    case ENOBUFS: case ENOMEM: return WSAENOBUFS;
    case EISCONN: return WSAEISCONN;
    case ENOTCONN: return WSAENOTCONN;
    case ESHUTDOWN: return WSAESHUTDOWN;
    case ETIMEDOUT: return WSAETIMEDOUT;
    case ECONNREFUSED: return WSAECONNREFUSED;
    case ELOOP: return WSAELOOP;
    case ENAMETOOLONG: return WSAENAMETOOLONG;
    case EHOSTDOWN: return WSAEHOSTDOWN;
    case EHOSTUNREACH: return WSAEHOSTUNREACH;
    default: return WSAEINVAL;
    }
}

NTSTATUS ws_status_from_errno(int err)
{
    switch (err) {
    case ECONNREFUSED: return WS_STATUS_CONNECTION_REFUSED;
    case ECONNRESET: case EPIPE: return WS_STATUS_CONNECTION_RESET;
    case ECONNABORTED: return WS_STATUS_CONNECTION_ABORTED;
    case ENOTCONN: return WS_STATUS_INVALID_CONNECTION;
    case ETIMEDOUT: return WS_STATUS_IO_TIMEOUT;
    case EHOSTUNREACH: return WS_STATUS_HOST_UNREACHABLE;
    case ENETUNREACH: return WS_STATUS_NETWORK_UNREACHABLE;
    case EADDRINUSE: return WS_STATUS_ADDRESS_ALREADY_EXISTS;
    case EADDRNOTAVAIL: return WS_STATUS_INVALID_ADDRESS_COMPONENT;
    case EMSGSIZE: return WS_STATUS_BUFFER_OVERFLOW;
    case EFAULT: return STATUS_ACCESS_VIOLATION;
    default: return WS_STATUS_WSA_ERROR(ws_wsa_from_errno(err));
    }
}

int ws_wsa_from_status(NTSTATUS st)
{
    if (((uint32_t)st & 0xffff0000u) == 0xE0000000u)
        return (int)((uint32_t)st & 0xffff);
    switch ((uint32_t)st) {
    case 0xC0000236: return WSAECONNREFUSED;
    case 0xC000020D: case 0xC000020C: return WSAECONNRESET;
    case 0xC0000241: return WSAECONNABORTED;
    case 0xC0000140: return WSAENOTCONN;
    case 0xC00000B5: return WSAETIMEDOUT;
    case 0xC000023D: return WSAEHOSTUNREACH;
    case 0xC000023C: return WSAENETUNREACH;
    case 0xC000020A: return WSAEADDRINUSE;
    case 0xC0000207: return WSAEADDRNOTAVAIL;
    case 0xC0000120: return WSA_OPERATION_ABORTED;
    case 0x80000005: return WSAEMSGSIZE;
    case 0xC0000005: return WSAEFAULT;
    case 0xC000000D: return WSAEINVAL;
    case 0xC0000008: case 0xC0000024: return WSAENOTSOCK;
    case 0xC0000017: return WSAENOBUFS;
    case 0xC00000BB: return WSAEOPNOTSUPP;
    case 0xC000014B: return WSAECONNRESET;
    default: return (int)nt_status_to_win32(st);
    }
}

int ws_fail(int wsa)
{
    thk_set_last_error((uint32_t)wsa);
    return WS_SOCKET_ERROR;
}

/* ---- socket objects ---- */
nt_file *ws_get(ws_socket s)
{
    nt_file *f;
    if (nt_file_get((HANDLE)s, &f) != STATUS_SUCCESS) {
        thk_set_last_error(WSAENOTSOCK);
        return NULL;
    }
    if (!f->is_socket) {
        nt_object_release(&f->hdr);
        thk_set_last_error(WSAENOTSOCK);
        return NULL;
    }
    return f;
}

ws_socket ws_new_socket(int fd, bool inherit)
{
    nt_file *f = nt_file_new_owned(fd, GENERIC_READ | GENERIC_WRITE);
    if (!f) {
        close(fd);
        thk_set_last_error(WSAENOBUFS);
        return WS_INVALID_SOCKET;
    }
    f->options = 0; /* overlapped: requests may pend */
    f->is_socket = true;
    int type = 0; /* a socket's type never changes (AcceptEx's dup3 sets it again) */
    socklen_t tl = sizeof type;
    f->sock_stream = getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) == 0 && type == SOCK_STREAM;
    HANDLE h = NULL;
    NTSTATUS st = nt_handle_alloc_inherit(&f->hdr, inherit, &h);
    nt_object_release(&f->hdr);
    if (st != STATUS_SUCCESS) {
        thk_set_last_error(WSAEMFILE);
        return WS_INVALID_SOCKET;
    }
    return (ws_socket)h;
}

/* ---- addresses ---- */
int ws_family_to_win(int af)
{
    switch (af) {
    case AF_UNSPEC: return WS_AF_UNSPEC;
    case AF_UNIX: return WS_AF_UNIX;
    case AF_INET: return WS_AF_INET;
    case AF_INET6: return WS_AF_INET6;
    default: return -1;
    }
}

int ws_family_from_win(int af)
{
    switch (af) {
    case WS_AF_UNSPEC: return AF_UNSPEC;
    case WS_AF_UNIX: return AF_UNIX;
    case WS_AF_INET: return AF_INET;
    case WS_AF_INET6: return AF_INET6;
    default: return -1;
    }
}

int ws_addr_in(const void *user, int len, struct sockaddr_storage *out, socklen_t *out_len)
{
    memset(out, 0, sizeof *out);
    if (!user || len < 2 || (size_t)len > sizeof *out)
        return user ? WSAEFAULT : WSAEFAULT;
    if (nt_copy_from_user(out, user, (size_t)len) != 0)
        return WSAEFAULT;
    uint16_t wf;
    memcpy(&wf, out, 2);
    int af = ws_family_from_win(wf);
    if (af < 0)
        return WSAEAFNOSUPPORT;
    if ((af == AF_INET && len < (int)sizeof(struct sockaddr_in)) ||
        (af == AF_INET6 && len < (int)sizeof(struct sockaddr_in6)))
        return WSAEFAULT;
    out->ss_family = (sa_family_t)af;
    *out_len = (socklen_t)len;
    if (af == AF_INET)
        *out_len = sizeof(struct sockaddr_in);
    else if (af == AF_INET6)
        *out_len = sizeof(struct sockaddr_in6);
    return 0;
}

int ws_addr_out(const struct sockaddr *sa, socklen_t len, void *user, int *user_len)
{
    int have;
    if (!user || !user_len || nt_copy_from_user(&have, user_len, sizeof have) != 0)
        return WSAEFAULT;
    struct sockaddr_storage tmp;
    if (len > sizeof tmp)
        len = sizeof tmp;
    memcpy(&tmp, sa, len);
    uint16_t wf = (uint16_t)ws_family_to_win(sa->sa_family);
    memcpy(&tmp, &wf, 2);
    if (have < (int)len)
        return WSAEFAULT;
    int l = (int)len;
    if (nt_copy_to_user(user, &tmp, len) != 0 || nt_copy_to_user(user_len, &l, sizeof l) != 0)
        return WSAEFAULT;
    return 0;
}

/* ---- creation ---- */
#define WS_WSA_FLAG_NO_HANDLE_INHERIT 0x80u
#define WS_FROM_PROTOCOL_INFO (-1)

typedef struct {
    uint32_t dwServiceFlags1;      /* 0x00 */
    uint32_t dwServiceFlags2;      /* 0x04 */
    uint32_t dwServiceFlags3;      /* 0x08 */
    uint32_t dwServiceFlags4;      /* 0x0c */
    uint32_t dwProviderFlags;      /* 0x10 */
    uint8_t ProviderId[16];        /* 0x14 */
    uint32_t dwCatalogEntryId;     /* 0x24 */
    int32_t ChainLen;              /* 0x28 */
    uint32_t ChainEntries[7];      /* 0x2c */
    int32_t iVersion;              /* 0x48 */
    int32_t iAddressFamily;        /* 0x4c */
    int32_t iMaxSockAddr;          /* 0x50 */
    int32_t iMinSockAddr;          /* 0x54 */
    int32_t iSocketType;           /* 0x58 */
    int32_t iProtocol;             /* 0x5c */
    int32_t iProtocolMaxOffset;    /* 0x60 */
    int32_t iNetworkByteOrder;     /* 0x64 */
    int32_t iSecurityScheme;       /* 0x68 */
    uint32_t dwMessageSize;        /* 0x6c */
    uint32_t dwProviderReserved;   /* 0x70 */
    WCHAR szProtocol[256];         /* 0x74 */
} ws_protocol_infow;
_Static_assert(sizeof(ws_protocol_infow) == 628, "WSAPROTOCOL_INFOW");
_Static_assert(offsetof(ws_protocol_infow, iAddressFamily) == 0x4c, "iAddressFamily");

/* ---- WSADuplicateSocketW: a socket for another process (or this one) ----
 * The WSAPROTOCOL_INFOW it fills describes the socket and, in ProviderId, where to get it:
 * the magic "ntrun-wsdup", the source process id and a serial number (also in
 * dwProviderReserved). For this process, the serial names a duplicate handle made at once;
 * for another, a native thread serves the fd over an abstract Unix socket
 * ("\0ntrun-wsdup-PID-SERIAL") with SCM_RIGHTS, once, to whoever connects first (for up to
 * ten minutes). WSASocketW(FROM_PROTOCOL_INFO) with such an info in the target process takes
 * it: a new SOCKET sharing the open socket, as on Windows. */
#define WS_DUP_MAGIC "ntrun-wsdup"

typedef struct {
    int listen_fd;
    int fd;
} ws_dup_server;

static void ws_dup_name(struct sockaddr_un *sun, socklen_t *len, uint32_t pid, uint32_t serial)
{
    memset(sun, 0, sizeof *sun);
    sun->sun_family = AF_UNIX;
    int n = snprintf(sun->sun_path + 1, sizeof sun->sun_path - 1, "ntrun-wsdup-%u-%u", pid,
                     serial);
    *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
}

static void *ws_dup_serve(void *p)
{
    ws_dup_server *srv = p;
    struct pollfd pfd = {srv->listen_fd, POLLIN, 0};
    if (poll(&pfd, 1, 600 * 1000) == 1) {
        int c = accept4(srv->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (c >= 0) {
            char byte = 'S';
            struct iovec iov = {&byte, 1};
            union {
                struct cmsghdr h;
                char space[CMSG_SPACE(sizeof(int))];
            } cm;
            memset(&cm, 0, sizeof cm);
            struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cm.space,
                               .msg_controllen = sizeof cm.space};
            struct cmsghdr *h = CMSG_FIRSTHDR(&m);
            h->cmsg_level = SOL_SOCKET;
            h->cmsg_type = SCM_RIGHTS;
            h->cmsg_len = CMSG_LEN(sizeof(int));
            memcpy(CMSG_DATA(h), &srv->fd, sizeof(int));
            sendmsg(c, &m, MSG_NOSIGNAL);
            close(c);
        }
    }
    close(srv->listen_fd);
    close(srv->fd);
    free(srv);
    return NULL;
}

/* Starts serving a duplicate of fd; 0 or a WSA error. */
static int ws_dup_offer(int fd, uint32_t serial)
{
    ws_dup_server *srv = malloc(sizeof *srv);
    if (!srv)
        return WSAENOBUFS;
    srv->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    srv->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sun;
    socklen_t sl;
    ws_dup_name(&sun, &sl, (uint32_t)getpid(), serial);
    if (srv->fd < 0 || srv->listen_fd < 0 || bind(srv->listen_fd, (struct sockaddr *)&sun, sl) != 0 ||
        listen(srv->listen_fd, 1) != 0)
        goto fail;
    if (rt_service_thread_start(ws_dup_serve, srv, 64 * 1024, false) == 0)
        return 0;
fail:
    if (srv->fd >= 0)
        close(srv->fd);
    if (srv->listen_fd >= 0)
        close(srv->listen_fd);
    free(srv);
    return WSAENOBUFS;
}

/* The fd offered by process pid under serial (-1 with the error set). */
static int ws_dup_take(uint32_t pid, uint32_t serial)
{
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sun;
    socklen_t sl;
    ws_dup_name(&sun, &sl, pid, serial);
    if (s < 0 || connect(s, (struct sockaddr *)&sun, sl) != 0) {
        if (s >= 0)
            close(s);
        thk_set_last_error(WSAEINVAL);
        return -1;
    }
    char byte;
    struct iovec iov = {&byte, 1};
    union {
        struct cmsghdr h;
        char space[CMSG_SPACE(sizeof(int))];
    } cm;
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cm.space,
                       .msg_controllen = sizeof cm.space};
    ssize_t n;
    do
        n = recvmsg(s, &m, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    close(s);
    struct cmsghdr *h = n > 0 ? CMSG_FIRSTHDR(&m) : NULL;
    if (!h || h->cmsg_type != SCM_RIGHTS) {
        thk_set_last_error(WSAEINVAL);
        return -1;
    }
    int fd;
    memcpy(&fd, CMSG_DATA(h), sizeof fd);
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    return fd;
}

static uint32_t ws_dup_serial;

static void ws_protocol_info_of(int fd, ws_protocol_infow *pi);

/* WSAPROTOCOL_INFOA: WSAPROTOCOL_INFOW with szProtocol in chars (PostgreSQL's postmaster gives
 * a backend its client's socket through it: WSADuplicateSocketA, then WSASocketA in the backend). */
#define WS_PROTOCOL_INFOA_SIZE (offsetof(ws_protocol_infow, szProtocol) + 256)

/* WSADuplicateSocketW/A: the info in *pi; 0 or SOCKET_ERROR with the error set. */
static int ws_duplicate(ws_socket s, uint32_t pid, ws_protocol_infow *out)
{
    if (!out)
        return ws_fail(WSAEFAULT);
    nt_file *f = ws_get(s);
    if (!f)
        return WS_SOCKET_ERROR;
    ws_protocol_infow pi;
    ws_protocol_info_of(f->fd, &pi);
    uint32_t serial = __atomic_add_fetch(&ws_dup_serial, 1, __ATOMIC_RELAXED);
    uint32_t self = (uint32_t)getpid();
    int err = 0;
    if (pid == self) {
        HANDLE h = NULL;
        if (nt_handle_alloc_inherit(&f->hdr, false, &h) != STATUS_SUCCESS)
            err = WSAEMFILE;
        serial = (uint32_t)(ULONG_PTR)h;
    } else if (pid == 0) {
        err = WSAEINVAL;
    } else {
        err = ws_dup_offer(f->fd, serial);
    }
    nt_object_release(&f->hdr);
    if (err)
        return ws_fail(err);
    memcpy(pi.ProviderId, WS_DUP_MAGIC, 11);
    pi.ProviderId[11] = 0;
    memcpy(pi.ProviderId + 12, &self, 4);
    pi.dwProviderReserved = serial;
    *out = pi;
    return 0;
}

static int WINAPI ws_WSADuplicateSocketW(ws_socket s, uint32_t pid, ws_protocol_infow *out)
{
    ws_protocol_infow pi;
    if (!out)
        return ws_fail(WSAEFAULT);
    if (ws_duplicate(s, pid, &pi) != 0)
        return WS_SOCKET_ERROR;
    if (nt_copy_to_user(out, &pi, sizeof pi) != 0)
        return ws_fail(WSAEFAULT);
    return 0;
}
THK_EXPORT_AS(ws2_32, WSADuplicateSocketW, ws_WSADuplicateSocketW, 3);

static int WINAPI ws_WSADuplicateSocketA(ws_socket s, uint32_t pid, void *out)
{
    ws_protocol_infow pi;
    uint8_t a[WS_PROTOCOL_INFOA_SIZE];
    if (!out)
        return ws_fail(WSAEFAULT);
    if (ws_duplicate(s, pid, &pi) != 0)
        return WS_SOCKET_ERROR;
    memcpy(a, &pi, offsetof(ws_protocol_infow, szProtocol));
    for (size_t i = 0; i < 256; i++) /* the names are ASCII */
        a[offsetof(ws_protocol_infow, szProtocol) + i] = (uint8_t)pi.szProtocol[i];
    if (nt_copy_to_user(out, a, sizeof a) != 0)
        return ws_fail(WSAEFAULT);
    return 0;
}
THK_EXPORT_AS(ws2_32, WSADuplicateSocketA, ws_WSADuplicateSocketA, 3);

/* WSASocketW(FROM_PROTOCOL_INFO) of an info from WSADuplicateSocketW: the shared socket, or
 * WS_INVALID_SOCKET with the error; *taken false when info is not one. */
static ws_socket ws_from_duplicate(const ws_protocol_infow *pi, bool *taken)
{
    *taken = memcmp(pi->ProviderId, WS_DUP_MAGIC, 11) == 0;
    if (!*taken)
        return WS_INVALID_SOCKET;
    uint32_t pid;
    memcpy(&pid, pi->ProviderId + 12, 4);
    if (pid == (uint32_t)getpid())
        return (ws_socket)(ULONG_PTR)pi->dwProviderReserved; /* the handle made for it */
    int fd = ws_dup_take(pid, pi->dwProviderReserved);
    return fd < 0 ? WS_INVALID_SOCKET : ws_new_socket(fd, false);
}

static ws_socket ws_create(int af, int type, int proto, const ws_protocol_infow *info,
                           uint32_t flags)
{
    if (info) {
        ws_protocol_infow pi;
        if (nt_copy_from_user(&pi, info, sizeof pi) != 0) {
            thk_set_last_error(WSAEFAULT);
            return WS_INVALID_SOCKET;
        }
        bool taken;
        ws_socket dup = ws_from_duplicate(&pi, &taken);
        if (taken)
            return dup;
        if (af == WS_FROM_PROTOCOL_INFO)
            af = pi.iAddressFamily;
        if (type == WS_FROM_PROTOCOL_INFO)
            type = pi.iSocketType;
        if (proto == WS_FROM_PROTOCOL_INFO)
            proto = pi.iProtocol;
    }
    int laf = ws_family_from_win(af);
    if (laf < 0 || laf == AF_UNSPEC) {
        thk_set_last_error(WSAEAFNOSUPPORT);
        return WS_INVALID_SOCKET;
    }
    if (type < 1 || type > 5) {
        thk_set_last_error(WSAESOCKTNOSUPPORT);
        return WS_INVALID_SOCKET;
    }
    int fd = socket(laf, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
    if (fd < 0) {
        thk_set_last_error((uint32_t)ws_wsa_from_errno(errno));
        return WS_INVALID_SOCKET;
    }
    (void)flags; /* WSA_FLAG_NO_HANDLE_INHERIT: our socket handles are not inherited anyway */
    return ws_new_socket(fd, false);
}

static ws_socket WINAPI ws_WSASocketW(int af, int type, int proto, const ws_protocol_infow *info,
                                      uint32_t group, uint32_t flags)
{
    (void)group;
    return ws_create(af, type, proto, info, flags);
}
THK_EXPORT_AS(ws2_32, WSASocketW, ws_WSASocketW, 6);

static ws_socket WINAPI ws_WSASocketA(int af, int type, int proto, const void *info,
                                      uint32_t group, uint32_t flags)
{
    (void)group;
    if (info) { /* WSAPROTOCOL_INFOA from WSADuplicateSocketA: the shared socket */
        ws_protocol_infow pi;
        memset(&pi, 0, sizeof pi);
        if (nt_copy_from_user(&pi, info, offsetof(ws_protocol_infow, szProtocol)) != 0) {
            thk_set_last_error(WSAEFAULT);
            return WS_INVALID_SOCKET;
        }
        bool taken;
        ws_socket dup = ws_from_duplicate(&pi, &taken);
        if (taken)
            return dup;
    }
    if (info && (af == -1 || type == -1 || proto == -1)) { /* WSAPROTOCOL_INFOA: ints at the same offsets */
        int32_t v[4];
        if (nt_copy_from_user(v, (const uint8_t *)info + 0x4c, sizeof v) != 0) {
            thk_set_last_error(WSAEFAULT);
            return WS_INVALID_SOCKET;
        }
        if (af == -1)
            af = v[0];
        if (type == -1)
            type = v[3];
        if (proto == -1) {
            int32_t p;
            nt_copy_from_user(&p, (const uint8_t *)info + 0x5c, sizeof p);
            proto = p;
        }
    }
    return ws_create(af, type, proto, NULL, flags);
}
THK_EXPORT_AS(ws2_32, WSASocketA, ws_WSASocketA, 6);

static ws_socket WINAPI ws_socket_(int af, int type, int proto)
{
    return ws_create(af, type, proto, NULL, 0);
}
THK_EXPORT_AS(ws2_32, socket, ws_socket_, 3);

static int WINAPI ws_closesocket(ws_socket s)
{
    nt_file *f = ws_get(s);
    if (!f)
        return WS_SOCKET_ERROR;
    /* The last handle: the blocking calls of other threads (which hold the object until they
     * return) end now with WSAEINTR, as on Windows; the overlapped ones end when the object
     * goes, just after (WSA_OPERATION_ABORTED; AFD polls see LOCAL_CLOSE). */
    nt_handle_desc d;
    if (nt_handle_describe((HANDLE)s, &d) == STATUS_SUCCESS && d.handles == 1) {
        __atomic_store_n(&f->sock_closing, true, __ATOMIC_RELEASE);
        nt_async_end_waiters(f);
    }
    if (d.obj)
        nt_object_release(d.obj);
    nt_object_release(&f->hdr);
    if (NtClose((HANDLE)s) != STATUS_SUCCESS)
        return ws_fail(WSAENOTSOCK);
    return 0;
}
THK_EXPORT_AS(ws2_32, closesocket, ws_closesocket, 1);

static int WINAPI ws_bind(ws_socket s, const void *addr, int len)
{
    struct sockaddr_storage sa;
    socklen_t sl;
    nt_file *f = ws_get(s);
    if (!f)
        return WS_SOCKET_ERROR;
    int err = ws_addr_in(addr, len, &sa, &sl);
    if (!err && bind(f->fd, (struct sockaddr *)&sa, sl) != 0)
        err = errno == EINVAL ? WSAEINVAL : ws_wsa_from_errno(errno);
    nt_object_release(&f->hdr);
    return err ? ws_fail(err) : 0;
}
THK_EXPORT_AS(ws2_32, bind, ws_bind, 3);

static int WINAPI ws_listen(ws_socket s, int backlog)
{
    nt_file *f = ws_get(s);
    if (!f)
        return WS_SOCKET_ERROR;
    if (backlog < 0 || backlog > 4096)
        backlog = 4096; /* SOMAXCONN (0x7fffffff) and SOMAXCONN_HINT */
    int err = 0;
    struct sockaddr_storage sa;
    socklen_t sl = sizeof sa;
    if (getsockname(f->fd, (struct sockaddr *)&sa, &sl) == 0 && sa.ss_family != AF_UNIX) {
        /* Windows refuses to listen on an unbound socket (Linux would bind it) */
        bool unbound = (sa.ss_family == AF_INET && ((struct sockaddr_in *)&sa)->sin_port == 0) ||
                       (sa.ss_family == AF_INET6 && ((struct sockaddr_in6 *)&sa)->sin6_port == 0);
        if (unbound)
            err = WSAEINVAL;
    }
    if (!err && listen(f->fd, backlog) != 0)
        err = errno == EOPNOTSUPP ? WSAEOPNOTSUPP : ws_wsa_from_errno(errno);
    nt_object_release(&f->hdr);
    return err ? ws_fail(err) : 0;
}
THK_EXPORT_AS(ws2_32, listen, ws_listen, 2);

static int ws_name(ws_socket s, void *addr, int *len, bool peer)
{
    nt_file *f = ws_get(s);
    if (!f)
        return WS_SOCKET_ERROR;
    struct sockaddr_storage sa;
    socklen_t sl = sizeof sa;
    int err = 0;
    int r = peer ? getpeername(f->fd, (struct sockaddr *)&sa, &sl)
                 : getsockname(f->fd, (struct sockaddr *)&sa, &sl);
    if (r != 0)
        err = ws_wsa_from_errno(errno);
    else if (!peer && sa.ss_family == AF_INET && ((struct sockaddr_in *)&sa)->sin_port == 0 &&
             ((struct sockaddr_in *)&sa)->sin_addr.s_addr == 0)
        err = WSAEINVAL; /* not bound yet */
    else if (!peer && sa.ss_family == AF_INET6 && ((struct sockaddr_in6 *)&sa)->sin6_port == 0 &&
             IN6_IS_ADDR_UNSPECIFIED(&((struct sockaddr_in6 *)&sa)->sin6_addr))
        err = WSAEINVAL;
    else
        err = ws_addr_out((struct sockaddr *)&sa, sl, addr, len);
    nt_object_release(&f->hdr);
    return err ? ws_fail(err) : 0;
}

static int WINAPI ws_getsockname(ws_socket s, void *addr, int *len)
{
    return ws_name(s, addr, len, false);
}
THK_EXPORT_AS(ws2_32, getsockname, ws_getsockname, 3);

static int WINAPI ws_getpeername(ws_socket s, void *addr, int *len)
{
    return ws_name(s, addr, len, true);
}
THK_EXPORT_AS(ws2_32, getpeername, ws_getpeername, 3);

static int WINAPI ws_shutdown(ws_socket s, int how)
{
    nt_file *f = ws_get(s);
    if (!f)
        return WS_SOCKET_ERROR;
    int err = 0;
    if (how < 0 || how > 2) /* SD_RECEIVE 0, SD_SEND 1, SD_BOTH 2: Linux' values */
        err = WSAEINVAL;
    else if (shutdown(f->fd, how) != 0)
        err = ws_wsa_from_errno(errno);
    nt_object_release(&f->hdr);
    return err ? ws_fail(err) : 0;
}
THK_EXPORT_AS(ws2_32, shutdown, ws_shutdown, 2);

/* ---- ioctlsocket ---- */
#define WS_FIONBIO 0x8004667Eu
#define WS_FIONREAD 0x4004667Fu
#define WS_SIOCATMARK 0x40047307u

int ws_ioctl_basic(nt_file *f, uint32_t cmd, uint32_t *arg);
int ws_ioctl_basic(nt_file *f, uint32_t cmd, uint32_t *arg)
{
    int v = 0;
    switch (cmd) {
    case WS_FIONBIO:
        if (*arg == 0 && ws_es_selected(f))
            return WSAEINVAL; /* WSAEventSelect first needs lNetworkEvents 0 */
        f->sock_nonblocking = *arg != 0;
        return 0;
    case WS_FIONREAD:
        if (ioctl(f->fd, FIONREAD, &v) != 0)
            return ws_wsa_from_errno(errno);
        *arg = (uint32_t)v;
        return 0;
    case WS_SIOCATMARK: { /* Windows: TRUE when no OOB data waits to be read (inline or not);
                          * Linux's SIOCATMARK says "at the mark" instead. POLLPRI stands
                          * while urgent data is unread. */
        struct pollfd p = {.fd = f->fd, .events = POLLPRI};
        int r;
        do
            r = poll(&p, 1, 0);
        while (r < 0 && errno == EINTR);
        if (r < 0)
            return ws_wsa_from_errno(errno);
        *arg = r > 0 && (p.revents & POLLPRI) ? 0u : 1u;
        return 0;
    }
    default:
        return WSAEINVAL;
    }
}

static int WINAPI ws_ioctlsocket(ws_socket s, int32_t cmd, uint32_t *argp)
{
    uint32_t arg;
    if (!argp || nt_copy_from_user(&arg, argp, sizeof arg) != 0)
        return ws_fail(WSAEFAULT);
    nt_file *f = ws_get(s);
    if (!f)
        return WS_SOCKET_ERROR;
    int err = ws_ioctl_basic(f, (uint32_t)cmd, &arg);
    nt_object_release(&f->hdr);
    if (!err && nt_copy_to_user(argp, &arg, sizeof arg) != 0)
        err = WSAEFAULT;
    return err ? ws_fail(err) : 0;
}
THK_EXPORT_AS(ws2_32, ioctlsocket, ws_ioctlsocket, 3);

/* ---- options ---- */
#define WS_SOL_SOCKET 0xffff
#define WS_IPPROTO_IP 0
#define WS_IPPROTO_TCP 6
#define WS_IPPROTO_UDP 17
#define WS_IPPROTO_IPV6 41
#define WS_SO_DEBUG 0x0001
#define WS_SO_ACCEPTCONN 0x0002
#define WS_SO_REUSEADDR 0x0004
#define WS_SO_KEEPALIVE 0x0008
#define WS_SO_DONTROUTE 0x0010
#define WS_SO_BROADCAST 0x0020
#define WS_SO_LINGER 0x0080
#define WS_SO_OOBINLINE 0x0100
#define WS_SO_DONTLINGER ((int)(~0x0080u))
#define WS_SO_EXCLUSIVEADDRUSE ((int)(~0x0004u))
#define WS_SO_SNDBUF 0x1001
#define WS_SO_RCVBUF 0x1002
#define WS_SO_SNDLOWAT 0x1003
#define WS_SO_RCVLOWAT 0x1004
#define WS_SO_SNDTIMEO 0x1005
#define WS_SO_RCVTIMEO 0x1006
#define WS_SO_ERROR 0x1007
#define WS_SO_TYPE 0x1008
#define WS_SO_PROTOCOL_INFOW 0x2005
#define WS_SO_UPDATE_ACCEPT_CONTEXT 0x700B
#define WS_SO_CONNECT_TIME 0x700C
#define WS_SO_UPDATE_CONNECT_CONTEXT 0x7010

/* Windows (level, name) -> Linux; false when unknown. */
static bool ws_map_opt(int level, int name, int *llevel, int *lname)
{
    switch (level) {
    case WS_SOL_SOCKET:
        *llevel = SOL_SOCKET;
        switch (name) {
        case WS_SO_DEBUG: *lname = SO_DEBUG; return true;
        case WS_SO_ACCEPTCONN: *lname = SO_ACCEPTCONN; return true;
        case WS_SO_REUSEADDR: *lname = SO_REUSEADDR; return true;
        case WS_SO_KEEPALIVE: *lname = SO_KEEPALIVE; return true;
        case WS_SO_DONTROUTE: *lname = SO_DONTROUTE; return true;
        case WS_SO_BROADCAST: *lname = SO_BROADCAST; return true;
        case WS_SO_OOBINLINE: *lname = SO_OOBINLINE; return true;
        case WS_SO_SNDBUF: *lname = SO_SNDBUF; return true;
        case WS_SO_RCVBUF: *lname = SO_RCVBUF; return true;
        case WS_SO_SNDLOWAT: *lname = SO_SNDLOWAT; return true;
        case WS_SO_RCVLOWAT: *lname = SO_RCVLOWAT; return true;
        case WS_SO_ERROR: *lname = SO_ERROR; return true;
        case WS_SO_TYPE: *lname = SO_TYPE; return true;
        default: return false;
        }
    case WS_IPPROTO_TCP:
        *llevel = IPPROTO_TCP;
        switch (name) {
        case 1: *lname = TCP_NODELAY; return true;
        case 3: *lname = TCP_KEEPIDLE; return true; /* TCP_KEEPALIVE (seconds) */
        case 16: *lname = TCP_KEEPCNT; return true;
        case 17: *lname = TCP_KEEPINTVL; return true;
        default: return false;
        }
    case WS_IPPROTO_IP:
        *llevel = IPPROTO_IP;
        switch (name) {
        case 2: *lname = IP_HDRINCL; return true;
        case 3: *lname = IP_TOS; return true;
        case 4: *lname = IP_TTL; return true;
        case 9: *lname = IP_MULTICAST_IF; return true;
        case 10: *lname = IP_MULTICAST_TTL; return true;
        case 11: *lname = IP_MULTICAST_LOOP; return true;
        case 12: *lname = IP_ADD_MEMBERSHIP; return true;
        case 13: *lname = IP_DROP_MEMBERSHIP; return true;
        default: return false;
        }
    case WS_IPPROTO_IPV6:
        *llevel = IPPROTO_IPV6;
        switch (name) {
        case 4: *lname = IPV6_UNICAST_HOPS; return true;
        case 9: *lname = IPV6_MULTICAST_IF; return true;
        case 10: *lname = IPV6_MULTICAST_HOPS; return true;
        case 11: *lname = IPV6_MULTICAST_LOOP; return true;
        case 12: *lname = IPV6_ADD_MEMBERSHIP; return true;
        case 13: *lname = IPV6_DROP_MEMBERSHIP; return true;
        case 27: *lname = IPV6_V6ONLY; return true;
        default: return false;
        }
    default:
        return false;
    }
}

static int WINAPI ws_setsockopt(ws_socket s, int level, int name, const char *val, int len)
{
    nt_file *f = ws_get(s);
    if (!f)
        return WS_SOCKET_ERROR;
    int err = 0;
    uint8_t buf[64] = {0};
    if (len < 0 || (len > 0 && !val))
        err = WSAEFAULT;
    else if ((size_t)len > sizeof buf)
        len = sizeof buf;
    if (!err && len && nt_copy_from_user(buf, val, (size_t)len) != 0)
        err = WSAEFAULT;
    int ival = 0;
    if (len >= 4)
        memcpy(&ival, buf, 4);
    else if (len > 0)
        ival = buf[0]; /* Windows takes a one-byte BOOL */
    int llevel, lname;
    if (err) {
    } else if (level == WS_SOL_SOCKET && (name == WS_SO_UPDATE_ACCEPT_CONTEXT ||
                                          name == WS_SO_UPDATE_CONNECT_CONTEXT ||
                                          name == WS_SO_EXCLUSIVEADDRUSE)) {
        /* the accepted/connected socket already is complete on Linux */
    } else if (level == WS_SOL_SOCKET && (name == WS_SO_RCVTIMEO || name == WS_SO_SNDTIMEO)) {
        if (len < 4)
            err = WSAEFAULT;
        else if (name == WS_SO_RCVTIMEO)
            f->sock_rcvtimeo = (uint32_t)ival;
        else
            f->sock_sndtimeo = (uint32_t)ival;
    } else if (level == WS_SOL_SOCKET && (name == WS_SO_LINGER || name == WS_SO_DONTLINGER)) {
        struct linger l = {0, 0};
        if (name == WS_SO_LINGER) {
            uint16_t w[2];
            if (len < 4) {
                err = WSAEFAULT;
            } else {
                memcpy(w, buf, 4);
                l.l_onoff = w[0] != 0;
                l.l_linger = w[1];
            }
        } else {
            l.l_onoff = ival == 0;
        }
        if (!err && setsockopt(f->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l) != 0)
            err = ws_wsa_from_errno(errno);
    } else if (!ws_map_opt(level, name, &llevel, &lname)) {
        err = WSAENOPROTOOPT;
    } else if ((llevel == IPPROTO_IP && (lname == IP_ADD_MEMBERSHIP || lname == IP_DROP_MEMBERSHIP ||
                                          lname == IP_MULTICAST_IF)) ||
               (llevel == IPPROTO_IPV6 && (lname == IPV6_ADD_MEMBERSHIP ||
                                            lname == IPV6_DROP_MEMBERSHIP))) {
        if (setsockopt(f->fd, llevel, lname, buf, (socklen_t)len) != 0)
            err = ws_wsa_from_errno(errno); /* same layouts (in_addr pairs, ipv6_mreq) */
    } else {
        if (len < 1)
            err = WSAEFAULT;
        else if (setsockopt(f->fd, llevel, lname, &ival, sizeof ival) != 0)
            err = errno == ENOPROTOOPT ? WSAENOPROTOOPT : ws_wsa_from_errno(errno);
    }
    nt_object_release(&f->hdr);
    return err ? ws_fail(err) : 0;
}
THK_EXPORT_AS(ws2_32, setsockopt, ws_setsockopt, 5);

static int WINAPI ws_getsockopt(ws_socket s, int level, int name, char *val, int *lenp)
{
    int len;
    if (!lenp || !val || nt_copy_from_user(&len, lenp, sizeof len) != 0)
        return ws_fail(WSAEFAULT);
    nt_file *f = ws_get(s);
    if (!f)
        return WS_SOCKET_ERROR;
    int err = 0, llevel, lname, ival = 0;
    uint8_t out[sizeof(ws_protocol_infow)];
    int outlen = 4;
    socklen_t sl = sizeof ival;
    if (level == WS_SOL_SOCKET && (name == WS_SO_RCVTIMEO || name == WS_SO_SNDTIMEO)) {
        ival = (int)(name == WS_SO_RCVTIMEO ? f->sock_rcvtimeo : f->sock_sndtimeo);
    } else if (level == WS_SOL_SOCKET && name == WS_SO_LINGER) {
        struct linger l;
        socklen_t ll = sizeof l;
        if (getsockopt(f->fd, SOL_SOCKET, SO_LINGER, &l, &ll) != 0) {
            err = ws_wsa_from_errno(errno);
        } else {
            uint16_t w[2] = {(uint16_t)(l.l_onoff != 0), (uint16_t)l.l_linger};
            memcpy(&ival, w, 4);
        }
    } else if (level == WS_SOL_SOCKET && name == WS_SO_DONTLINGER) {
        struct linger l;
        socklen_t ll = sizeof l;
        if (getsockopt(f->fd, SOL_SOCKET, SO_LINGER, &l, &ll) != 0)
            err = ws_wsa_from_errno(errno);
        ival = !l.l_onoff;
    } else if (level == WS_SOL_SOCKET && name == WS_SO_CONNECT_TIME) {
        ival = -1;
    } else if (level == WS_SOL_SOCKET && name == WS_SO_PROTOCOL_INFOW) {
        ws_protocol_info_of(f->fd, (ws_protocol_infow *)out);
        outlen = sizeof(ws_protocol_infow);
    } else if (!ws_map_opt(level, name, &llevel, &lname)) {
        err = WSAENOPROTOOPT;
    } else if (getsockopt(f->fd, llevel, lname, &ival, &sl) != 0) {
        err = ws_wsa_from_errno(errno);
    } else if (llevel == SOL_SOCKET && lname == SO_ERROR) {
        /* a failed connect's error an AFD poll took from Linux first (ntemu/afd.c) */
        int taken = __atomic_exchange_n(&f->sock_error, 0, __ATOMIC_ACQ_REL);
        if (!ival)
            ival = taken;
        ival = ival ? ws_wsa_from_errno(ival) : 0;
    } else if (llevel == SOL_SOCKET && (lname == SO_KEEPALIVE || lname == SO_REUSEADDR ||
                                        lname == SO_BROADCAST || lname == SO_ACCEPTCONN ||
                                        lname == SO_OOBINLINE || lname == SO_DEBUG ||
                                        lname == SO_DONTROUTE)) {
        ival = ival != 0;
    } else if (llevel == IPPROTO_TCP && lname == TCP_NODELAY) {
        ival = ival != 0;
    }
    if (outlen == 4)
        memcpy(out, &ival, 4);
    if (!err && len < outlen)
        err = WSAEFAULT;
    if (!err && (nt_copy_to_user(val, out, (size_t)outlen) != 0 ||
                 nt_copy_to_user(lenp, &outlen, sizeof outlen) != 0))
        err = WSAEFAULT;
    nt_object_release(&f->hdr);
    return err ? ws_fail(err) : 0;
}
THK_EXPORT_AS(ws2_32, getsockopt, ws_getsockopt, 5);

/* ---- WSAEnumProtocolsW: TCP and UDP over IPv4 and IPv6, IFS handles (Go checks the flag
 * before it uses FILE_SKIP_COMPLETION_PORT_ON_SUCCESS) ---- */
static int WINAPI ws_WSAEnumProtocolsW(const int32_t *protos, ws_protocol_infow *buf,
                                       uint32_t *len)
{
    static const struct { int af, type, proto; const char *name; } all[] = {
        {WS_AF_INET, 1, 6, "MSAFD Tcpip [TCP/IP]"},
        {WS_AF_INET, 2, 17, "MSAFD Tcpip [UDP/IP]"},
        {WS_AF_INET6, 1, 6, "MSAFD Tcpip [TCP/IPv6]"},
        {WS_AF_INET6, 2, 17, "MSAFD Tcpip [UDP/IPv6]"},
    };
    int32_t want[16];
    int nwant = 0;
    if (protos) {
        while (nwant < 16) {
            if (nt_copy_from_user(&want[nwant], protos + nwant, sizeof want[0]) != 0)
                return ws_fail(WSAEFAULT);
            if (want[nwant] == 0)
                break;
            nwant++;
        }
    }
    ws_protocol_infow out[4];
    int n = 0;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        bool match = !protos;
        for (int k = 0; k < nwant; k++)
            match |= want[k] == all[i].proto;
        if (!match)
            continue;
        ws_protocol_infow *pi = &out[n++];
        memset(pi, 0, sizeof *pi);
        pi->dwServiceFlags1 = all[i].type == 1 ? 0x20066u : 0x20609u; /* XP1_IFS_HANDLES 0x20000 */
        pi->dwProviderFlags = 8; /* PFL_MATCHES_PROTOCOL_ZERO */
        pi->dwCatalogEntryId = 1001 + (uint32_t)i;
        pi->ChainLen = 1;
        pi->iVersion = 2;
        pi->iAddressFamily = all[i].af;
        pi->iMaxSockAddr = all[i].af == WS_AF_INET6 ? 28 : 16;
        pi->iMinSockAddr = pi->iMaxSockAddr;
        pi->iSocketType = all[i].type;
        pi->iProtocol = all[i].proto;
        pi->iNetworkByteOrder = 0; /* BIGENDIAN */
        pi->dwMessageSize = all[i].type == 1 ? 0 : 65467;
        for (int c = 0; all[i].name[c] && c < 255; c++)
            pi->szProtocol[c] = (WCHAR)all[i].name[c];
    }
    uint32_t have;
    if (!len || nt_copy_from_user(&have, len, sizeof have) != 0)
        return ws_fail(WSAEFAULT);
    uint32_t need = (uint32_t)(n * (int)sizeof(ws_protocol_infow));
    if (!buf || have < need) {
        nt_copy_to_user(len, &need, sizeof need);
        return ws_fail(WSAENOBUFS);
    }
    if (nt_copy_to_user(buf, out, need) != 0)
        return ws_fail(WSAEFAULT);
    return n;
}
THK_EXPORT_AS(ws2_32, WSAEnumProtocolsW, ws_WSAEnumProtocolsW, 3);

static void ws_protocol_info_of(int fd, ws_protocol_infow *pi)
{
    memset(pi, 0, sizeof *pi);
    int v = 0;
    socklen_t vl = sizeof v;
    getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &vl);
    pi->iAddressFamily = ws_family_to_win(v);
    vl = sizeof v;
    getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &vl);
    pi->iSocketType = v;
    vl = sizeof v;
    getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &vl);
    pi->iProtocol = v;
    pi->dwServiceFlags1 = v == 6 ? 0x20066u : 0x20609u; /* XP1_IFS_HANDLES 0x20000 */
    pi->dwProviderFlags = 8;
    pi->iVersion = 2;
    pi->iMaxSockAddr = pi->iAddressFamily == WS_AF_INET6 ? 28 : 16;
    pi->iMinSockAddr = pi->iMaxSockAddr;
    pi->ChainLen = 1;
    static const char *const names[] = {"MSAFD Tcpip [TCP/IP]", "MSAFD Tcpip [UDP/IP]",
                                        "MSAFD Tcpip [TCP/IPv6]", "MSAFD Tcpip [UDP/IPv6]"};
    /* The base providers' GUIDs (MSAFD's: {E70F1AA0-AB8B-11CF-8CA3-00805F48A192} for IPv4,
     * {F9EAB0C0-26D4-11D0-BBBF-00AA006C34E4} for IPv6) and Windows' catalog entries: libuv
     * polls a socket through the AFD driver only when its provider is one of MSAFD's
     * (uv_poll_init_socket), else with select() in a thread of its own. */
    static const uint8_t msafd_ipv4[16] = {0xa0, 0x1a, 0x0f, 0xe7, 0x8b, 0xab, 0xcf, 0x11,
                                           0x8c, 0xa3, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92};
    static const uint8_t msafd_ipv6[16] = {0xc0, 0xb0, 0xea, 0xf9, 0xd4, 0x26, 0xd0, 0x11,
                                           0xbb, 0xbf, 0x00, 0xaa, 0x00, 0x6c, 0x34, 0xe4};
    int entry = (pi->iAddressFamily == WS_AF_INET6 ? 2 : 0) + (v == 6 ? 0 : 1);
    memcpy(pi->ProviderId, pi->iAddressFamily == WS_AF_INET6 ? msafd_ipv6 : msafd_ipv4, 16);
    pi->dwCatalogEntryId = pi->iAddressFamily == WS_AF_INET6 ? 1004u + (v == 6 ? 0 : 1)
                                                              : 1001u + (v == 6 ? 0 : 1);
    const char *name = names[entry];
    for (int c = 0; name[c]; c++)
        pi->szProtocol[c] = (WCHAR)name[c];
}
