/* SPDX-License-Identifier: MIT */
/* The socket driver's helper device and its poll request (IOCTL_AFD_POLL), which Windows'
 * readiness libraries are built on: Rust's mio (tokio) and polling (async-io, smol), wepoll,
 * libuv's uv_poll. NtCreateFile of \Device\Afd or of any name under it (\Device\Afd\Mio,
 * \Device\Afd\Smol) gives a file object with no data, which the program binds to a completion
 * port and issues polls on; a poll issued on a socket handle works the same. A poll names up to
 * `count` sockets with the events wanted for each and completes when one of them has any:
 * the output (the same layout) lists only those sockets, with the events that hold now, and
 * the I/O status block's Information is the size written. Events, from the Linux socket's
 * state (poll(2), TCP_INFO, SO_ACCEPTCONN):
 *   RECEIVE (data, or the peer's end on a datagram socket), RECEIVE_EXPEDITED (urgent data not
 *   inline), SEND (room in the send buffer of a connected or datagram socket), DISCONNECT (the
 *   peer shut down its sending side), ABORT (a connection reset), LOCAL_CLOSE (the socket's
 *   last handle was closed while the poll waited: reported whether asked for or not),
 *   CONNECT (a connected stream socket), ACCEPT (a listening socket with a connection waiting),
 *   CONNECT_FAIL (a connection attempt that failed; the socket's status is its NTSTATUS, and
 *   the error stays for getsockopt(SO_ERROR), as on Windows).
 * Timeout is Windows' (100 ns units; negative relative, positive absolute system time,
 * INT64_MAX none): 0 answers at once (STATUS_SUCCESS, no socket when none is ready); an
 * expired one completes with STATUS_TIMEOUT, a poll issued with a time already past returns
 * STATUS_PENDING first, as Windows does. A poll of one socket without a timeout is retried on
 * every change of the socket's state (ntemu/async.c's readiness queue, no thread and no timer);
 * several sockets or a timeout make it a polled request (tried every millisecond while it
 * waits). Cancelled by CancelIoEx on the handle it was issued on; closing that handle (when it
 * is not the first socket polled) leaves the poll to run to its end, whose packet still goes to
 * the port that handle was bound to (Wine's test_poll and test_poll_completion_port, passing on
 * Windows: the poll completes with STATUS_TIMEOUT at its timeout).
 * LOCAL_CLOSE is reported for any socket of the poll whose last handle closes (the poll holds
 * no reference on its sockets: a socket's going is seen by nt_afd_socket_gone).
 * Exclusive polls, as Windows orders them (Wine's dlls/ws2_32/tests/afd.c, test_poll_exclusive,
 * which passes on Windows): each socket has at most one "main" poll, the first poll naming it
 * while it has none; a main poll stays main until it ends. An exclusive poll naming a socket
 * whose main poll is exclusive too ends that main poll (STATUS_SUCCESS, no socket) and becomes
 * the socket's main poll; a non-exclusive main poll is never ended that way, and polls queued
 * meanwhile are not looked at again when the main one ends. Checked against Wine's tests of
 * the device (which pass on Windows). Socket handles themselves are ws2_32's; this file reads
 * their fds only. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"

#define AFD_POLL_RECEIVE 0x001u
#define AFD_POLL_RECEIVE_EXPEDITED 0x002u
#define AFD_POLL_SEND 0x004u
#define AFD_POLL_DISCONNECT 0x008u
#define AFD_POLL_ABORT 0x010u
#define AFD_POLL_LOCAL_CLOSE 0x020u
#define AFD_POLL_CONNECT 0x040u
#define AFD_POLL_ACCEPT 0x080u
#define AFD_POLL_CONNECT_FAIL 0x100u

#ifndef STATUS_TIMEOUT
#define STATUS_TIMEOUT ((NTSTATUS)0x00000102)
#endif
#define AFD_STATUS_CONNECTION_RESET ((NTSTATUS)0xC000020D)
#define AFD_STATUS_CONNECTION_REFUSED ((NTSTATUS)0xC0000236)
#define AFD_STATUS_NETWORK_UNREACHABLE ((NTSTATUS)0xC000023C)
#define AFD_STATUS_HOST_UNREACHABLE ((NTSTATUS)0xC000023D)
#define AFD_MAX_SOCKETS 4096u

typedef struct {
    uint64_t socket; /* 0x00 HANDLE */
    uint32_t events; /* 0x08 */
    NTSTATUS status; /* 0x0c */
} afd_poll_socket;
typedef struct {
    int64_t timeout;    /* 0x00 */
    uint32_t count;     /* 0x08 */
    uint32_t exclusive; /* 0x0c BOOLEAN Exclusive, padding */
} afd_poll_header;      /* AFD_POLL_INFO without its sockets (0x10 of them follow) */
_Static_assert(sizeof(afd_poll_socket) == 0x10, "AFD_POLL_HANDLE_INFO");
_Static_assert(sizeof(afd_poll_header) == 0x10, "AFD_POLL_INFO header");

typedef struct {
    nt_file *file;   /* not referenced; NULL once the socket's last handle has closed */
    uint64_t handle; /* as the program gave it */
    uint32_t events;
    bool main;       /* this poll is the socket's main poll (see the top) */
} afd_poll_item;
typedef struct afd_poll_req {
    struct afd_poll_req *next, **pprev; /* afd_live */
    afd_poll_header hdr;   /* the input's, echoed in the output */
    uint8_t *out;          /* the program's output buffer */
    int64_t deadline;      /* CLOCK_MONOTONIC ns; INT64_MAX: none */
    bool immediate;        /* timeout 0 */
    bool tried;            /* the first attempt (at submission) never times out */
    bool ended;            /* a later exclusive poll ended it (atomic) */
    nt_file *first;        /* the file it is queued on (items[0].file as given) */
    uint32_t count;
    afd_poll_item items[];
} afd_poll_req;

/* Every poll between its submission and its end, for the main polls and the sockets' going.
 * The lock is taken after a file's async lock (an attempt), never before one; under it an
 * item's non-NULL file is alive (nt_afd_socket_gone clears it before the fd closes). */
static pthread_mutex_t afd_lock = PTHREAD_MUTEX_INITIALIZER;
static afd_poll_req *afd_live;

static WCHAR afd_upper(WCHAR c) { return c >= 'a' && c <= 'z' ? (WCHAR)(c - 32) : c; }

bool nt_afd_create_file(const OBJECT_ATTRIBUTES *user_attr, uint32_t access, uint32_t options,
                        HANDLE *out, NTSTATUS *st)
{
    static const char dev[] = "\\Device\\Afd";
    const size_t n = sizeof dev - 1;
    OBJECT_ATTRIBUTES a;
    UNICODE_STRING us;
    WCHAR name[sizeof dev];
    if (!user_attr || nt_copy_from_user(&a, user_attr, sizeof a) != 0 || a.RootDirectory ||
        !a.ObjectName || nt_copy_from_user(&us, a.ObjectName, sizeof us) != 0 ||
        us.Length / 2 < n || !us.Buffer)
        return false;
    size_t len = us.Length / 2;
    if (nt_copy_from_user(name, us.Buffer, (len > n ? n + 1 : n) * sizeof(WCHAR)) != 0)
        return false;
    for (size_t i = 0; i < n; i++) /* object names compare without case */
        if (afd_upper(name[i]) != afd_upper((WCHAR)dev[i]))
            return false;
    if (len > n && name[n] != '\\')
        return false;
    *st = STATUS_NO_MEMORY;
    int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        *st = nt_status_from_errno(errno);
        return true;
    }
    nt_file *f = nt_file_new_owned(fd, access);
    if (!f) {
        close(fd);
        return true;
    }
    nt_file_ext_of(f)->afd = true;
    f->options = options; /* synchronous or not, as asked */
    *st = nt_handle_alloc_inherit(&f->hdr, (a.Attributes & 0x2 /* OBJ_INHERIT */) != 0, out);
    nt_object_release(&f->hdr);
    return true;
}

static NTSTATUS afd_status_of(int err)
{
    switch (err) {
    case ECONNREFUSED: return AFD_STATUS_CONNECTION_REFUSED;
    case ECONNRESET: return AFD_STATUS_CONNECTION_RESET;
    case ENETUNREACH: return AFD_STATUS_NETWORK_UNREACHABLE;
    case EHOSTUNREACH: return AFD_STATUS_HOST_UNREACHABLE;
    case ETIMEDOUT: return STATUS_IO_TIMEOUT;
    default: return nt_status_from_errno(err);
    }
}

/* The events socket `fd` has now (fd < 0: its last handle was closed); *status the
 * socket's status for CONNECT_FAIL. */
static uint32_t afd_events(nt_file *f, int fd, NTSTATUS *status)
{
    *status = STATUS_SUCCESS;
    if (fd < 0)
        return AFD_POLL_LOCAL_CLOSE;
    struct pollfd p = {.fd = fd, .events = POLLIN | POLLOUT | POLLPRI | POLLRDHUP};
    if (poll(&p, 1, 0) < 0)
        return 0;
    short r = p.revents;
    int type = 0, listening = 0, oobinline = 0;
    socklen_t sl = sizeof type;
    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &sl);
    sl = sizeof listening;
    getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &sl);
    if (listening)
        return (r & POLLIN) ? AFD_POLL_ACCEPT : 0;
    uint32_t ev = 0;
    if (type != SOCK_STREAM) { /* datagrams: no connection to speak of */
        if (r & POLLIN)
            ev |= AFD_POLL_RECEIVE;
        if (r & POLLOUT)
            ev |= AFD_POLL_SEND;
        return ev;
    }
    /* A TCP socket's state says what happened: SYN_SENT connecting, CLOSE before a connection
     * (never, or refused: no options were negotiated) or after one (reset, or both ends shut
     * down), the others connected. */
    struct tcp_info ti;
    sl = sizeof ti;
    bool tcp = getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &sl) == 0;
    struct sockaddr_storage peer;
    socklen_t pl = sizeof peer;
    bool connected = tcp ? ti.tcpi_state != TCP_SYN_SENT && ti.tcpi_state != TCP_CLOSE
                         : getpeername(fd, (struct sockaddr *)&peer, &pl) == 0;
    bool before = tcp ? ti.tcpi_state == TCP_SYN_SENT ||
                            (ti.tcpi_state == TCP_CLOSE && !ti.tcpi_options)
                      : !connected;
    if (r & POLLERR) {
        int err = 0;
        sl = sizeof err;
        if (before && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) == 0 && err) {
            /* kept for the program's getsockopt(SO_ERROR) (ws2_32), which Linux clears */
            __atomic_store_n(&f->sock_error, err, __ATOMIC_RELEASE);
            *status = afd_status_of(err);
            return AFD_POLL_CONNECT_FAIL;
        }
        return AFD_POLL_ABORT;
    }
    if (!connected) {
        int err = __atomic_load_n(&f->sock_error, __ATOMIC_ACQUIRE);
        if (err && before) {
            *status = afd_status_of(err);
            return AFD_POLL_CONNECT_FAIL;
        }
        return !before && (r & POLLHUP) ? AFD_POLL_DISCONNECT : 0; /* closed both ways */
    }
    ev |= AFD_POLL_CONNECT;
    /* the peer's FIN: CLOSE_WAIT and later states (a local SHUT_RD leaves ESTABLISHED and
     * reports nothing, as on Windows) */
    bool peer_done = (r & POLLRDHUP) && (!tcp || ti.tcpi_state != TCP_ESTABLISHED);
    int avail = 0;
    if ((r & POLLIN) && ioctl(fd, FIONREAD, &avail) == 0 && avail > 0)
        ev |= AFD_POLL_RECEIVE;
    if (peer_done)
        ev |= AFD_POLL_DISCONNECT;
    if (r & POLLOUT)
        ev |= AFD_POLL_SEND;
    if (r & POLLPRI) {
        sl = sizeof oobinline;
        getsockopt(fd, SOL_SOCKET, SO_OOBINLINE, &oobinline, &sl);
        ev |= oobinline ? AFD_POLL_RECEIVE : AFD_POLL_RECEIVE_EXPEDITED;
    }
    return ev;
}

/* The readiness changes (epoll events) that may bring the AFD events `want` about; errors and
 * hang-ups are always reported (LOCAL_CLOSE comes from the close itself). */
static uint32_t afd_epoll_events(uint32_t want)
{
    uint32_t ev = 0;
    if (want & (AFD_POLL_RECEIVE | AFD_POLL_RECEIVE_EXPEDITED | AFD_POLL_ACCEPT))
        ev |= EPOLLIN | EPOLLPRI; /* urgent data is RECEIVE or EXPEDITED (SO_OOBINLINE) */
    if (want & AFD_POLL_DISCONNECT)
        ev |= EPOLLIN | EPOLLRDHUP;
    if (want & (AFD_POLL_SEND | AFD_POLL_CONNECT | AFD_POLL_CONNECT_FAIL))
        ev |= EPOLLOUT;
    if (want & AFD_POLL_ABORT)
        ev |= EPOLLIN | EPOLLRDHUP; /* a reset: EPOLLERR too */
    return ev ? ev : EPOLLERR;
}

/* Writes the answer: the header with `n` sockets, then theirs. */
static bool afd_answer(afd_poll_req *q, const afd_poll_socket *s, uint32_t n)
{
    afd_poll_header h = q->hdr;
    h.count = n;
    return nt_copy_to_user(q->out, &h, sizeof h) == 0 &&
           (!n || nt_copy_to_user(q->out + sizeof h, s, n * sizeof *s) == 0);
}

/* Under the first socket's async lock (ntemu/async.c): fd is its fd, -1 when its last handle
 * has been closed. The other sockets are read under afd_lock (their files may go meanwhile). */
static bool afd_attempt(int fd, void *arg, NTSTATUS *status, ULONG_PTR *info)
{
    afd_poll_req *q = arg;
    afd_poll_socket stack[8], *s = q->count <= 8 ? stack : malloc(q->count * sizeof *s);
    if (!s) {
        *status = STATUS_NO_MEMORY;
        *info = 0;
        return true;
    }
    uint32_t n = 0;
    bool ended = __atomic_load_n(&q->ended, __ATOMIC_ACQUIRE);
    if (q->count > 1)
        pthread_mutex_lock(&afd_lock);
    for (uint32_t i = 0; i < q->count && !ended; i++) {
        afd_poll_item *it = &q->items[i];
        NTSTATUS sst = STATUS_SUCCESS;
        uint32_t ev;
        if (i == 0 || it->file == q->first)
            ev = afd_events(q->first, fd, &sst);
        else
            ev = it->file ? afd_events(it->file, it->file->fd, &sst) : AFD_POLL_LOCAL_CLOSE;
        ev &= it->events | AFD_POLL_LOCAL_CLOSE;
        if (ev)
            s[n++] = (afd_poll_socket){.socket = it->handle, .events = ev, .status = sst};
    }
    if (q->count > 1)
        pthread_mutex_unlock(&afd_lock);
    bool first = !q->tried;
    q->tried = true;
    bool done = n || ended || q->immediate || (!first && nt_mono_now() >= q->deadline);
    if (done) {
        *status = n || ended || q->immediate ? STATUS_SUCCESS : STATUS_TIMEOUT;
        *info = sizeof(afd_poll_header) + n * sizeof(afd_poll_socket);
        if (!afd_answer(q, s, n)) {
            *status = STATUS_ACCESS_VIOLATION;
            *info = 0;
        }
    }
    if (s != stack)
        free(s);
    return done;
}

static void afd_free(void *arg)
{
    afd_poll_req *q = arg;
    pthread_mutex_lock(&afd_lock);
    if (q->pprev) {
        *q->pprev = q->next;
        if (q->next)
            q->next->pprev = q->pprev;
    }
    pthread_mutex_unlock(&afd_lock);
    free(q);
}

void nt_afd_socket_gone(nt_file *f)
{
    pthread_mutex_lock(&afd_lock);
    for (afd_poll_req *q = afd_live; q; q = q->next)
        for (uint32_t i = 0; i < q->count; i++)
            if (q->items[i].file == f) {
                q->items[i].file = NULL;
                q->items[i].main = false;
            }
    pthread_mutex_unlock(&afd_lock);
}

/* Under afd_lock: the main poll of socket f, NULL when it has none. */
static afd_poll_req *afd_main_of(nt_file *f, afd_poll_req *except)
{
    for (afd_poll_req *q = afd_live; q; q = q->next)
        for (uint32_t i = 0; q != except && i < q->count; i++)
            if (q->items[i].main && q->items[i].file == f)
                return q;
    return NULL;
}

/* Lists the new poll `q` and settles the main polls of its sockets (see the top). The polls it
 * ends are to be retried by the caller with no lock held: their files, each with a reference,
 * go to `ended` (room for q->count: one per socket at most); a poll whose file is being
 * destroyed is left to that (it ends anyway). Returns their number. */
static uint32_t afd_register(afd_poll_req *q, nt_file **ended)
{
    uint32_t n = 0;
    pthread_mutex_lock(&afd_lock);
    for (uint32_t i = 0; i < q->count; i++) {
        nt_file *f = q->items[i].file;
        afd_poll_req *m = afd_main_of(f, q);
        if (m && (m->hdr.exclusive & 0xff) && (q->hdr.exclusive & 0xff)) {
            __atomic_store_n(&m->ended, true, __ATOMIC_RELEASE);
            for (uint32_t j = 0; j < m->count; j++)
                m->items[j].main = false;
            /* a reference on its file unless that file is already going (refcount 0) */
            int rc = __atomic_load_n(&m->first->hdr.refcount, __ATOMIC_ACQUIRE);
            while (rc > 0 && !__atomic_compare_exchange_n(&m->first->hdr.refcount, &rc, rc + 1,
                                                          false, __ATOMIC_ACQ_REL,
                                                          __ATOMIC_ACQUIRE)) {
            }
            if (rc > 0)
                ended[n++] = m->first;
            m = NULL;
        }
        bool taken = false; /* the same socket twice in one poll: one main item */
        for (uint32_t j = 0; j < i; j++)
            taken |= q->items[j].main && q->items[j].file == f;
        if (!m && !taken)
            q->items[i].main = true;
    }
    q->next = afd_live;
    q->pprev = &afd_live;
    if (afd_live)
        afd_live->pprev = &q->next;
    afd_live = q;
    pthread_mutex_unlock(&afd_lock);
    return n;
}

/* Monotonic deadline of a poll's timeout (see the top); INT64_MAX none. */
static int64_t afd_deadline(int64_t timeout)
{
    if (timeout == INT64_MAX)
        return INT64_MAX;
    int64_t now = nt_mono_now(), wait100;
    if (timeout < 0) {
        wait100 = timeout == INT64_MIN ? INT64_MAX : -timeout;
    } else {
        LARGE_INTEGER sys;
        NtQuerySystemTime(&sys);
        wait100 = timeout > sys.QuadPart ? timeout - sys.QuadPart : 0;
    }
    return wait100 >= (INT64_MAX - now) / 100 ? INT64_MAX : now + wait100 * 100;
}

NTSTATUS nt_afd_poll(nt_file *f, HANDLE event, void *apc, void *apc_ctx, IO_STATUS_BLOCK *io,
                     void *in, uint32_t in_len, void *out, uint32_t out_len)
{
    afd_poll_header h;
    if (!in || !out || in_len < sizeof h || out_len < in_len)
        return STATUS_INVALID_PARAMETER;
    if (nt_copy_from_user(&h, in, sizeof h) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (!h.count || h.count > AFD_MAX_SOCKETS ||
        in_len < sizeof h + (uint64_t)h.count * sizeof(afd_poll_socket))
        return STATUS_INVALID_PARAMETER;
    afd_poll_req *q = calloc(1, sizeof *q + h.count * sizeof(afd_poll_item));
    afd_poll_socket *s = malloc(h.count * sizeof *s);
    nt_file **refs = malloc(h.count * sizeof *refs); /* the sockets' files, referenced */
    NTSTATUS st = STATUS_NO_MEMORY;
    if (!q || !s || !refs)
        goto free_req;
    st = STATUS_ACCESS_VIOLATION;
    if (nt_copy_from_user(s, (uint8_t *)in + sizeof h, h.count * sizeof *s) != 0)
        goto free_req;
    for (uint32_t i = 0; i < h.count; i++) {
        nt_file *sf;
        st = nt_file_get((HANDLE)(uintptr_t)s[i].socket, &sf);
        if (st == STATUS_SUCCESS && !sf->is_socket) {
            nt_object_release(&sf->hdr);
            st = STATUS_INVALID_HANDLE;
        }
        if (st != STATUS_SUCCESS)
            goto release_items;
        q->items[i] = (afd_poll_item){sf, s[i].socket, s[i].events, false};
        refs[i] = sf;
        q->count = i + 1;
    }
    q->hdr = h;
    q->out = out;
    q->immediate = h.timeout == 0;
    q->deadline = afd_deadline(h.timeout);
    q->first = q->items[0].file;
    nt_async_io aio = {.attempt = afd_attempt, .finish = afd_free, .arg = q,
                       .outlives_issuer = true};
    if (h.count == 1 && q->deadline == INT64_MAX) {
        aio.any_edge = true;
        aio.poll_events = afd_epoll_events(q->items[0].events);
    }
    else
        aio.polled = true;
    const uint32_t sync = FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT;
    nt_async_notify n = {.iosb = io, .event = event, .apc = apc, .apc_ctx = apc_ctx,
                         .wait = (f->options & sync) != 0,
                         .port_file = f != q->first ? f : NULL};
    /* ends earlier exclusive polls (before this one can complete and go) */
    nt_file **ended = (nt_file **)s; /* room for h.count pointers */
    uint32_t n_ended = afd_register(q, ended);
    for (uint32_t i = 0; i < n_ended; i++) {
        nt_async_retry(ended[i]);
        nt_object_release(&ended[i]->hdr);
    }
    free(s);
    /* The request holds no reference on its sockets (the first's queue holds it; the others'
     * going is seen by nt_afd_socket_gone): the ones taken above go once it is queued. */
    uint32_t n_refs = q->count;
    st = nt_async_submit(q->first, &aio, &n, NULL); /* frees q (finish) in every case */
    for (uint32_t i = 0; i < n_refs; i++)
        nt_object_release(&refs[i]->hdr);
    free(refs);
    return st;
release_items:
    for (uint32_t i = 0; i < q->count; i++)
        nt_object_release(&refs[i]->hdr);
free_req:
    free(q);
    free(s);
    free(refs);
    return st;
}
