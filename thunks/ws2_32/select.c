/* SPDX-License-Identifier: MIT */
/* Winsock readiness and control: select (Windows' fd_set: a count and an array of SOCKETs),
 * __WSAFDIsSet, WSAPoll (Windows' POLL* bits), WSAIoctl (FIONBIO, FIONREAD, SIOCATMARK,
 * SIO_GET_EXTENSION_FUNCTION_POINTER for AcceptEx/ConnectEx/GetAcceptExSockaddrs/DisconnectEx/
 * TransmitFile,
 * SIO_KEEPALIVE_VALS, SIO_UDP_CONNRESET, SIO_BASE_HANDLE, SIO_LOOPBACK_FAST_PATH). Waits poll
 * in slices of RT_WAIT_SLICE_NS so TerminateThread and ExitProcess are seen. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include "thunks/ws2_32/ws2_32_private.h"

int ws_ioctl_basic(nt_file *f, uint32_t cmd, uint32_t *arg); /* socket.c */

/* poll() that sees termination requests: timeout_ms < 0 infinite. */
static int ws_poll_wait(struct pollfd *p, nfds_t n, int64_t timeout_ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int64_t start = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
    for (;;) {
        int64_t slice = RT_WAIT_SLICE_NS / 1000000;
        int64_t left = slice;
        if (timeout_ms >= 0) {
            clock_gettime(CLOCK_MONOTONIC, &ts);
            int64_t now = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
            left = timeout_ms - (now - start);
            if (left < 0)
                left = 0;
            if (left > slice)
                left = slice;
        }
        int r = poll(p, n, (int)left);
        if (r < 0 && errno != EINTR)
            return -1;
        if (r > 0)
            return r;
        rt_thread_check_pending();
        if (timeout_ms >= 0) {
            clock_gettime(CLOCK_MONOTONIC, &ts);
            int64_t now = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
            if (now - start >= timeout_ms)
                return 0;
        }
    }
}

#define WS_FD_MAX 1024

typedef struct {
    uint32_t count;
    uint32_t pad;
    ws_socket sock[WS_FD_MAX];
} ws_fd_set;

typedef struct {
    int32_t tv_sec;
    int32_t tv_usec;
} ws_timeval;

static int ws_read_set(const void *user, ws_fd_set *set)
{
    set->count = 0;
    if (!user)
        return 0;
    if (nt_copy_from_user(set, user, 8) != 0)
        return WSAEFAULT;
    if (set->count > WS_FD_MAX)
        return WSAEINVAL;
    if (set->count && nt_copy_from_user(set->sock, (const uint8_t *)user + 8,
                                        sizeof(ws_socket) * set->count) != 0)
        return WSAEFAULT;
    return 0;
}

static int WINAPI ws_select(int nfds, void *rd, void *wr, void *ex, const ws_timeval *tv)
{
    (void)nfds;
    ws_fd_set *sets = malloc(sizeof(ws_fd_set) * 3);
    if (!sets)
        return ws_fail(WSAENOBUFS);
    void *user[3] = {rd, wr, ex};
    int err = 0;
    size_t total = 0;
    for (int i = 0; i < 3 && !err; i++) {
        err = ws_read_set(user[i], &sets[i]);
        total += sets[i].count;
    }
    ws_timeval t = {0, 0};
    if (!err && tv && nt_copy_from_user(&t, tv, sizeof t) != 0)
        err = WSAEFAULT;
    if (!err && total == 0)
        err = WSAEINVAL;
    struct pollfd *p = err ? NULL : calloc(total, sizeof *p);
    nt_file **files = err ? NULL : calloc(total, sizeof *files);
    if (!err && (!p || !files))
        err = WSAENOBUFS;
    size_t k = 0;
    for (int i = 0; i < 3 && !err; i++) {
        for (uint32_t j = 0; j < sets[i].count && !err; j++, k++) {
            files[k] = ws_get(sets[i].sock[j]);
            if (!files[k]) {
                err = WSAENOTSOCK;
                break;
            }
            p[k].fd = files[k]->fd;
            p[k].events = i == 0 ? POLLIN : i == 1 ? POLLOUT : POLLPRI;
        }
    }
    int ready = 0;
    if (!err) {
        int64_t ms = tv ? (int64_t)t.tv_sec * 1000 + t.tv_usec / 1000 : -1;
        if (ms < -1)
            ms = 0;
        if (ws_poll_wait(p, total, ms) < 0)
            err = ws_wsa_from_errno(errno);
    }
    k = 0;
    for (int i = 0; i < 3 && !err; i++) {
        uint32_t n = 0;
        for (uint32_t j = 0; j < sets[i].count; j++, k++) {
            short r = p[k].revents;
            bool hit = i == 0   ? (r & (POLLIN | POLLHUP)) || ((r & POLLERR) && !ex)
                       : i == 1 ? (r & POLLOUT) && !(r & POLLERR)
                                : (r & (POLLPRI | POLLERR)) != 0;
            if (i == 0 && (r & POLLERR) && ex) { /* a failed connect: in exceptfds only */
                int so = 0;
                socklen_t sl = sizeof so;
                getsockopt(p[k].fd, SOL_SOCKET, SO_ERROR, &so, &sl);
                hit = (r & POLLIN) != 0;
            }
            if (hit)
                sets[i].sock[n++] = sets[i].sock[j];
        }
        sets[i].count = n;
        ready += (int)n;
        if (user[i] && (nt_copy_to_user(user[i], &sets[i].count, 4) != 0 ||
                        (n && nt_copy_to_user((uint8_t *)user[i] + 8, sets[i].sock,
                                              sizeof(ws_socket) * n) != 0)))
            err = WSAEFAULT;
    }
    for (size_t i = 0; files && i < total; i++)
        if (files[i])
            nt_object_release(&files[i]->hdr);
    free(files);
    free(p);
    free(sets);
    return err ? ws_fail(err) : ready;
}
THK_EXPORT_AS(ws2_32, select, ws_select, 5);

static int WINAPI ws___WSAFDIsSet(ws_socket s, const void *set)
{
    ws_fd_set *fs = malloc(sizeof *fs);
    int r = 0;
    if (fs && ws_read_set(set, fs) == 0)
        for (uint32_t i = 0; i < fs->count; i++)
            r |= fs->sock[i] == s;
    free(fs);
    return r;
}
THK_EXPORT_AS(ws2_32, __WSAFDIsSet, ws___WSAFDIsSet, 2);

/* ---- WSAPoll ---- */
#define WS_POLLERR 0x0001
#define WS_POLLHUP 0x0002
#define WS_POLLNVAL 0x0004
#define WS_POLLWRNORM 0x0010
#define WS_POLLWRBAND 0x0020
#define WS_POLLRDNORM 0x0100
#define WS_POLLRDBAND 0x0200
#define WS_POLLPRI 0x0400

typedef struct {
    ws_socket fd;    /* 0x00 */
    int16_t events;  /* 0x08 */
    int16_t revents; /* 0x0a */
} ws_pollfd;
_Static_assert(sizeof(ws_pollfd) == 16, "WSAPOLLFD");

static int WINAPI ws_WSAPoll(ws_pollfd *fds, uint32_t n, int timeout)
{
    if (n == 0 || n > 65536)
        return ws_fail(WSAEINVAL);
    ws_pollfd *w = malloc(sizeof *w * n);
    struct pollfd *p = calloc(n, sizeof *p);
    nt_file **files = calloc(n, sizeof *files);
    int err = (!w || !p || !files) ? WSAENOBUFS : 0;
    if (!err && nt_copy_from_user(w, fds, sizeof *w * n) != 0)
        err = WSAEFAULT;
    for (uint32_t i = 0; i < n && !err; i++) {
        w[i].revents = 0;
        nt_file *f;
        if (nt_file_get((HANDLE)w[i].fd, &f) == STATUS_SUCCESS && f->is_socket) {
            files[i] = f;
            p[i].fd = f->fd;
        } else {
            if (nt_file_get((HANDLE)w[i].fd, &f) == STATUS_SUCCESS)
                nt_object_release(&f->hdr);
            p[i].fd = -1;
            w[i].revents = WS_POLLNVAL;
        }
        int16_t e = w[i].events;
        p[i].events = (short)(((e & WS_POLLRDNORM) ? POLLIN : 0) |
                              ((e & WS_POLLRDBAND) ? POLLPRI : 0) |
                              ((e & WS_POLLPRI) ? POLLPRI : 0) |
                              ((e & (WS_POLLWRNORM | WS_POLLWRBAND)) ? POLLOUT : 0));
    }
    int ready = 0;
    if (!err) {
        int nv = 0;
        for (uint32_t i = 0; i < n; i++)
            nv += w[i].revents != 0;
        if (ws_poll_wait(p, n, nv ? 0 : timeout < 0 ? -1 : timeout) < 0)
            err = ws_wsa_from_errno(errno);
    }
    for (uint32_t i = 0; i < n && !err; i++) {
        if (p[i].fd < 0) {
            ready++;
            continue;
        }
        short r = p[i].revents;
        int16_t e = w[i].events, out = 0;
        if (r & POLLIN)
            out |= e & WS_POLLRDNORM;
        if (r & POLLPRI)
            out |= e & (WS_POLLRDBAND | WS_POLLPRI);
        if (r & POLLOUT)
            out |= e & (WS_POLLWRNORM | WS_POLLWRBAND);
        if (r & POLLERR)
            out |= WS_POLLERR;
        if (r & POLLHUP)
            out |= WS_POLLHUP | (e & WS_POLLRDNORM);
        w[i].revents = out;
        ready += out != 0;
    }
    if (!err && nt_copy_to_user(fds, w, sizeof *w * n) != 0)
        err = WSAEFAULT;
    for (uint32_t i = 0; files && i < n; i++)
        if (files[i])
            nt_object_release(&files[i]->hdr);
    free(files);
    free(p);
    free(w);
    return err ? ws_fail(err) : ready;
}
THK_EXPORT_AS(ws2_32, WSAPoll, ws_WSAPoll, 3);

/* ---- WSAIoctl ---- */
#define WS_SIO_GET_EXTENSION_FUNCTION_POINTER 0xC8000006u
#define WS_SIO_KEEPALIVE_VALS 0x98000004u
#define WS_SIO_UDP_CONNRESET 0x9800000Cu
#define WS_SIO_LOOPBACK_FAST_PATH 0x98000010u
#define WS_SIO_BASE_HANDLE 0x48000022u

static const struct {
    uint8_t guid[16];
    const char *name;
} ws_extensions[] = {
    /* WSAID_ACCEPTEX {b5367df1-cbac-11cf-95ca-00805f48a192} */
    {{0xf1, 0x7d, 0x36, 0xb5, 0xac, 0xcb, 0xcf, 0x11, 0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1,
      0x92}, "AcceptEx"},
    /* WSAID_GETACCEPTEXSOCKADDRS {b5367df2-cbac-11cf-95ca-00805f48a192} */
    {{0xf2, 0x7d, 0x36, 0xb5, 0xac, 0xcb, 0xcf, 0x11, 0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1,
      0x92}, "GetAcceptExSockaddrs"},
    /* WSAID_CONNECTEX {25a207b9-ddf3-4660-8ee9-76e58c74063e} */
    {{0xb9, 0x07, 0xa2, 0x25, 0xf3, 0xdd, 0x60, 0x46, 0x8e, 0xe9, 0x76, 0xe5, 0x8c, 0x74, 0x06,
      0x3e}, "ConnectEx"},
    /* WSAID_DISCONNECTEX {7fda2e11-8630-436f-a031-f536a6eec157} */
    {{0x11, 0x2e, 0xda, 0x7f, 0x30, 0x86, 0x6f, 0x43, 0xa0, 0x31, 0xf5, 0x36, 0xa6, 0xee, 0xc1,
      0x57}, "DisconnectEx"},
    /* WSAID_TRANSMITFILE {b5367df0-cbac-11cf-95ca-00805f48a192} */
    {{0xf0, 0x7d, 0x36, 0xb5, 0xac, 0xcb, 0xcf, 0x11, 0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1,
      0x92}, "TransmitFile"},
};

static int WINAPI ws_WSAIoctl(ws_socket s, uint32_t code, void *in, uint32_t inlen, void *out,
                              uint32_t outlen, uint32_t *ret, ws_overlapped *ov, void *routine)
{
    (void)routine;
    nt_file *f = ws_get(s);
    if (!f)
        return WS_SOCKET_ERROR;
    int err = 0;
    uint32_t n = 0;
    uint8_t obuf[16];
    switch (code) {
    case WS_SIO_GET_EXTENSION_FUNCTION_POINTER: {
        uint8_t guid[16];
        void *fn = NULL;
        if (inlen < 16 || !in || nt_copy_from_user(guid, in, 16) != 0) {
            err = WSAEFAULT;
            break;
        }
        for (size_t i = 0; i < sizeof ws_extensions / sizeof ws_extensions[0]; i++)
            if (!memcmp(guid, ws_extensions[i].guid, 16))
                fn = thk_resolve("mswsock", ws_extensions[i].name);
        if (!fn) {
            err = WSAEINVAL;
            break;
        }
        if (outlen < sizeof fn) {
            err = WSAEFAULT;
            break;
        }
        memcpy(obuf, &fn, sizeof fn);
        n = sizeof fn;
        break;
    }
    case WS_SIO_KEEPALIVE_VALS: {
        uint32_t v[3]; /* onoff, keepalivetime (ms), keepaliveinterval (ms) */
        if (inlen < sizeof v || !in || nt_copy_from_user(v, in, sizeof v) != 0) {
            err = WSAEFAULT;
            break;
        }
        int on = v[0] != 0, idle = (int)(v[1] + 999) / 1000, intvl = (int)(v[2] + 999) / 1000;
        if (idle < 1)
            idle = 1;
        if (intvl < 1)
            intvl = 1;
        if (setsockopt(f->fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) != 0 ||
            (on && (setsockopt(f->fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle) != 0 ||
                    setsockopt(f->fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl) != 0)))
            err = ws_wsa_from_errno(errno);
        break;
    }
    case WS_SIO_UDP_CONNRESET:
    case WS_SIO_LOOPBACK_FAST_PATH:
        break; /* Linux' behaviour already is what these ask for */
    case WS_SIO_BASE_HANDLE:
        if (outlen < sizeof s) {
            err = WSAEFAULT;
            break;
        }
        memcpy(obuf, &s, sizeof s);
        n = sizeof s;
        break;
    default: {
        uint32_t arg = 0;
        if (inlen >= 4 && in)
            nt_copy_from_user(&arg, in, 4);
        err = ws_ioctl_basic(f, code, &arg);
        if (err == WSAEINVAL && code != 0x8004667Eu && code != 0x4004667Fu && code != 0x40047307u)
            err = WSAEOPNOTSUPP;
        if (!err && code != 0x8004667Eu) {
            if (outlen < 4) {
                err = WSAEFAULT;
                break;
            }
            memcpy(obuf, &arg, 4);
            n = 4;
        }
        break;
    }
    }
    nt_object_release(&f->hdr);
    if (!err && n && nt_copy_to_user(out, obuf, n) != 0)
        err = WSAEFAULT;
    if (!err && ret && nt_copy_to_user(ret, &n, sizeof n) != 0)
        err = WSAEFAULT;
    if (!err && ov) { /* finished at once: the OVERLAPPED says so */
        ULONG_PTR v[2] = {STATUS_SUCCESS, n};
        nt_copy_to_user(ov, v, sizeof v);
    }
    return err ? ws_fail(err) : 0;
}
THK_EXPORT_AS(ws2_32, WSAIoctl, ws_WSAIoctl, 9);
