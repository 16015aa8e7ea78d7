/* SPDX-License-Identifier: MIT */
/* Named pipes (\\.\pipe\NAME): server instances, client ends, message and byte modes, and the
 * pipe queries shared with anonymous pipes (peek, information).
 *
 * A pipe name is a Unix socket per serving process in a per-user runtime directory
 * ($XDG_RUNTIME_DIR/ntrun-pipes, else /tmp/ntrun-pipes-UID), "BASE@PID", so clients in other
 * ntrun processes find every process that has instances of the name: BASE is the lowercased
 * name when it is short and plain, else "h-" and a hash of it. Byte pipes are SOCK_STREAM
 * sockets, message pipes (PIPE_TYPE_MESSAGE) SOCK_SEQPACKET ones, whose packets keep the
 * message boundaries. A client tries both types (connect fails with EPROTOTYPE on the other).
 * A socket is bound under a temporary name and renamed once it listens, so a socket a client
 * cannot connect to (ECONNREFUSED) is one a process that ended left behind: it is removed.
 *
 * All instances of a name in this process share one listening socket (nt_pipe_listener).
 * An acceptor thread (one per process, started with the first instance) takes each connection
 * and its one-byte request: 'C' (CreateFile) gets 'K' and becomes the connection of an instance
 * that listens, or gets 'B' (busy: ERROR_PIPE_BUSY) when none does; 'W' (WaitNamedPipe) gets
 * 'Y' as soon as an instance listens (when none does yet, 'T' and the pipe's default time-out
 * come first, for NMPWAIT_USE_DEFAULT_WAIT). With 'K' comes an eventfd (SCM_RIGHTS) the
 * instance and its client share: DisconnectNamedPipe signals it before it drops the
 * connection, so the client, which then only sees the end of its socket, knows it was
 * disconnected (ERROR_PIPE_NOT_CONNECTED) and not left by a closed server (ERROR_BROKEN_PIPE).
 * An instance is an nt_file whose fd number stays fixed: an
 * unconnected socket while it listens, the accepted connection (dup3 over the same number) once
 * a client has come, an unconnected socket again after DisconnectNamedPipe. A client that comes
 * before ConnectNamedPipe connects the instance at once, as on Windows (ConnectNamedPipe then
 * says ERROR_PIPE_CONNECTED). ConnectNamedPipe waits through ntemu/async.c: a request that
 * completes when the instance is connected, so an overlapped one returns STATUS_PENDING and
 * completes by event, APC or completion port.
 *
 * A read in message mode returns one message; when it does not fit, the rest waits in the
 * end's buffer and the read ends with STATUS_BUFFER_OVERFLOW (ERROR_MORE_DATA) and the bytes
 * that fitted, as Windows does. On an overlapped handle (no FILE_SYNCHRONOUS_IO_*) byte-mode
 * reads and all writes with a notification (event, APC, port) go through ntemu/async.c.
 *
 * The NT calls (NtCreateNamedPipeFile, and NtCreateFile/NtOpenFile in the pipe file system)
 * come last. A handle to \??\PIPE\ or \Device\NamedPipe\ (the root directory) is a file
 * whose end is marked is_dir (an unconnected socket: it reads and writes nothing); names given
 * relative to it are pipe names, and an empty one makes NtCreateNamedPipeFile create an
 * anonymous pipe: a server end with no listener, which only NtCreateFile with the end's handle
 * as RootDirectory and an empty name can connect. Such a relative open connects a listening
 * instance of this process directly (a socket pair, one side dup3'd over the instance's fd, as
 * the acceptor does), so Rust's std (which makes a child's stdio pipes this way) costs no
 * listening socket. Without the trailing backslash the handle is the device, under which
 * nothing is named (STATUS_OBJECT_NAME_INVALID), as on Windows. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"

/* CreateFile's requests say what the client will do, so the server checks it against the
 * pipe's direction before it connects an instance: */
#define NT_PIPE_REQ_CONNECT 'C'       /* neither read nor write data */
#define NT_PIPE_REQ_CONNECT_READ 'R'
#define NT_PIPE_REQ_CONNECT_WRITE 'T'
#define NT_PIPE_REQ_CONNECT_BOTH 'D'
#define NT_PIPE_REQ_WAIT 'W'
#define NT_PIPE_ANS_OK 'K'     /* followed by the pipe's description (nt_pipe_desc) */
#define NT_PIPE_ANS_BUSY 'B'
#define NT_PIPE_ANS_DENIED 'A' /* the direction does not allow that access */
#define NT_PIPE_ANS_FREE 'Y'
#define NT_PIPE_ANS_TIMEOUT 'T' /* followed by the pipe's default time-out (uint32_t, ms) */
#ifndef STATUS_ILLEGAL_FUNCTION
#define STATUS_ILLEGAL_FUNCTION ((NTSTATUS)0xC00000AF)
#endif
#define NT_PIPE_HELLO_MS 2000    /* the request byte follows connect at once */
#define NT_PIPE_ANSWER_MS 10000  /* a live server's acceptor answers at once */
#define NT_PIPE_DEFAULT_WAIT_MS 50 /* a default time-out of 0, as CreateNamedPipe makes it */

/* What a client learns of the pipe with 'K': what FilePipeLocalInformation reports. */
typedef struct nt_pipe_desc {
    char answer;             /* NT_PIPE_ANS_OK */
    uint8_t config;          /* NT_PIPE_INBOUND, ... */
    uint8_t pad[2];
    uint32_t in_size, out_size, max_instances, instances;
} nt_pipe_desc;
_Static_assert(sizeof(nt_pipe_desc) == 20, "nt_pipe_desc");

typedef struct nt_pipe_listener {
    uint64_t id;             /* the acceptor's epoll key */
    char *key;               /* the lowercased name (UTF-8) */
    char sock_path[108];
    int fd;                  /* the listening socket */
    int sock_type;
    uint32_t config;         /* NT_PIPE_INBOUND, ...: a new instance must have the same */
    uint32_t instances, max_instances;
    uint32_t default_wait_ms; /* the first instance's default time-out (WaitNamedPipe) */
    struct nt_pipe_end *ends; /* the instances */
    int *waiters;            /* WaitNamedPipe connections waiting for a listening instance */
    size_t nwaiters, cap;
    struct nt_pipe_listener *next;
} nt_pipe_listener;

struct nt_pipe_end {
    nt_pipe_listener *listener; /* named server ends; NULL for a client or an anonymous pipe */
    bool server;                /* a server end, named or anonymous (NtCreateNamedPipeFile) */
    bool is_dir;                /* not an end: the pipe file system (NtOpenFile of \??\PIPE\) */
    bool dir_root;              /* is_dir opened as the root directory (a trailing backslash),
                                   under which pipes are named; else the device itself */
    int sock_type;              /* SOCK_STREAM (byte pipes) or SOCK_SEQPACKET (message pipes) */
    uint32_t config;            /* NT_PIPE_INBOUND, _OUTBOUND, _DUPLEX: the server's direction */
    struct nt_pipe_end *next_end; /* in listener->ends */
    nt_file *file;              /* the end's file (not referenced: the file owns the end) */
    int state;                  /* NT_PIPE_STATE_*, read without the lock by async attempts */
    bool message_type;          /* PIPE_TYPE_MESSAGE */
    bool read_message;          /* PIPE_READMODE_MESSAGE */
    bool nowait;                /* PIPE_NOWAIT */
    uint32_t client_instances;  /* a client end: the instances when it connected */
    bool overlapped;            /* the handle is not synchronous */
    uint32_t out_size, in_size, max_instances;
    char *rest;                 /* the unread part of a message */
    size_t rest_len, rest_off;
    uint32_t empties[32];       /* byte offsets in the socket's queue (0: behind an empty first
                                   message) of the empty messages a count found behind the first
                                   one: the kernel shows each only once (nt_pipe_count_messages) */
    uint32_t nempties;
    int dc_fd;                  /* -1, or an eventfd a connected server and its client share:
                                   the server's DisconnectNamedPipe writes to it before it drops
                                   the connection, so the client tells a disconnection
                                   (ERROR_PIPE_NOT_CONNECTED) from a closed server end
                                   (ERROR_BROKEN_PIPE), in any process */
};

static pthread_mutex_t nt_pipe_lock = PTHREAD_MUTEX_INITIALIZER;
static nt_pipe_listener *nt_pipe_listeners;
static uint64_t nt_pipe_next_id = 1;
static int nt_pipe_epfd = -1;

/* ---- names ---- */

static char nt_pipe_dir_buf[80];

static void nt_pipe_dir_init(void)
{
    const char *rt = getenv("XDG_RUNTIME_DIR");
    struct stat sb;
    if (rt && *rt && strlen(rt) < 50 && stat(rt, &sb) == 0 && S_ISDIR(sb.st_mode))
        snprintf(nt_pipe_dir_buf, sizeof nt_pipe_dir_buf, "%s/ntrun-pipes", rt);
    else
        snprintf(nt_pipe_dir_buf, sizeof nt_pipe_dir_buf, "/tmp/ntrun-pipes-%u",
                 (unsigned)getuid());
    mkdir(nt_pipe_dir_buf, 0700);
}

static const char *nt_pipe_dir(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, nt_pipe_dir_init);
    return nt_pipe_dir_buf;
}

/* The key of a pipe name: lowercase ASCII (Windows compares pipe names case-insensitively). */
static char *nt_pipe_key(const WCHAR *name, size_t len)
{
    WCHAR *w = malloc((len + 1) * sizeof *w);
    if (!w)
        return NULL;
    for (size_t i = 0; i < len; i++)
        w[i] = name[i] >= u'A' && name[i] <= u'Z' ? (WCHAR)(name[i] + 32) : name[i];
    char *key = nt_utf16_to_utf8(w, len, NULL);
    free(w);
    return key;
}

/* The socket file name's BASE for a key (without the directory and "@PID"). */
static void nt_pipe_base(const char *key, char *out, size_t size)
{
    bool plain = strlen(key) <= 48 && *key;
    for (const char *p = key; plain && *p; p++)
        plain = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' ||
                *p == '_' || *p == '-';
    if (plain && strcmp(key, ".") && strcmp(key, "..")) {
        snprintf(out, size, "%s", key);
        return;
    }
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
    for (const char *p = key; *p; p++)
        h = (h ^ (uint8_t)*p) * 0x100000001b3ull;
    snprintf(out, size, "h-%016llx", (unsigned long long)h);
}

bool nt_pipe_name_of(const WCHAR *path, size_t len, const WCHAR **name, size_t *name_len)
{
    static const WCHAR *const prefixes[] = {u"\\??\\pipe\\", u"\\device\\namedpipe\\",
                                            u"\\\\.\\pipe\\", u"\\\\?\\pipe\\"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = nt_wcslen(prefixes[i]), k = 0;
        if (len < n)
            continue;
        while (k < n) {
            WCHAR c = path[k];
            if (c >= u'A' && c <= u'Z')
                c = (WCHAR)(c + 32);
            if (c != prefixes[i][k])
                break;
            k++;
        }
        if (k == n) {
            *name = path + n;
            *name_len = len - n;
            return true;
        }
    }
    return false;
}

/* ---- the servers of a name (for clients): connections to each "BASE@PID" socket ---- */

/* Connects to every live server socket of `key` not named in `skip` (a list of `nskip`
 * names) and sends `req`; the connected fds (up to `max`), their socket types and, when `names`
 * is given, their file names (malloc'd), their count. Stale sockets (ECONNREFUSED) are
 * removed. */
static size_t nt_pipe_servers(const char *key, char req, int *fds, int *types, char **names,
                              size_t max, char *const *skip, size_t nskip)
{
    char base[64], path[sizeof ((struct sockaddr_un *)0)->sun_path];
    nt_pipe_base(key, base, sizeof base);
    size_t blen = strlen(base), n = 0;
    DIR *d = opendir(nt_pipe_dir());
    if (!d)
        return 0;
    struct dirent *e;
    while (n < max && (e = readdir(d))) {
        if (strncmp(e->d_name, base, blen) || e->d_name[blen] != '@' ||
            strspn(e->d_name + blen + 1, "0123456789") != strlen(e->d_name + blen + 1))
            continue;
        bool known = false;
        for (size_t i = 0; i < nskip && !known; i++)
            known = skip[i] && !strcmp(skip[i], e->d_name);
        if (known)
            continue;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", nt_pipe_dir(), e->d_name) >= sizeof path)
            continue;
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        memcpy(sa.sun_path, path, sizeof sa.sun_path);
        static const int kinds[2] = {SOCK_STREAM, SOCK_SEQPACKET};
        for (int i = 0; i < 2; i++) {
            int fd = socket(AF_UNIX, kinds[i] | SOCK_CLOEXEC, 0);
            if (fd < 0)
                break;
            if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
                if ((!req || send(fd, &req, 1, MSG_NOSIGNAL) == 1) &&
                    (!names || (names[n] = strdup(e->d_name)))) {
                    fds[n] = fd;
                    types[n++] = kinds[i];
                } else {
                    close(fd);
                }
                break;
            }
            int err = errno;
            close(fd);
            if (err == ECONNREFUSED)
                unlink(path); /* its process has ended */
            if (err != EPROTOTYPE)
                break;
        }
    }
    closedir(d);
    return n;
}

/* ---- the acceptor ---- */

static nt_pipe_listener *nt_listener_by_id(uint64_t id)
{
    for (nt_pipe_listener *l = nt_pipe_listeners; l; l = l->next)
        if (l->id == id)
            return l;
    return NULL;
}

static nt_pipe_end *nt_listener_free_end(nt_pipe_listener *l)
{
    for (nt_pipe_end *p = l->ends; p; p = p->next_end)
        if (__atomic_load_n(&p->state, __ATOMIC_ACQUIRE) == NT_PIPE_STATE_LISTENING)
            return p;
    return NULL;
}

/* An instance listens again (new, or ConnectNamedPipe after a disconnection): WaitNamedPipe
 * callers hear of it. Under nt_pipe_lock. */
static void nt_listener_wake_waiters(nt_pipe_listener *l)
{
    char y = NT_PIPE_ANS_FREE;
    for (size_t i = 0; i < l->nwaiters; i++) {
        (void)!send(l->waiters[i], &y, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
        close(l->waiters[i]);
    }
    l->nwaiters = 0;
}

static bool nt_pipe_req_is_connect(char req)
{
    return req == NT_PIPE_REQ_CONNECT || req == NT_PIPE_REQ_CONNECT_READ ||
           req == NT_PIPE_REQ_CONNECT_WRITE || req == NT_PIPE_REQ_CONNECT_BOTH;
}

/* Sends `len` bytes at `buf` on `c` with the descriptor `fd` (when >= 0) as SCM_RIGHTS. */
static ssize_t nt_pipe_send_fd(int c, const void *buf, size_t len, int fd)
{
    union {
        struct cmsghdr h;
        char b[CMSG_SPACE(sizeof(int))];
    } ctl;
    struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    if (fd >= 0) {
        memset(&ctl, 0, sizeof ctl);
        m.msg_control = ctl.b;
        m.msg_controllen = sizeof ctl.b;
        struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &fd, sizeof fd);
    }
    return sendmsg(c, &m, MSG_NOSIGNAL | MSG_DONTWAIT);
}

/* A server instance has a new client: a new disconnection eventfd, whose other copy goes to
 * the client (-1 when none could be made). Under nt_pipe_lock. */
static int nt_pipe_new_dc(nt_pipe_end *p)
{
    if (p->dc_fd >= 0)
        close(p->dc_fd);
    p->dc_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return p->dc_fd;
}

/* A new connection to listener `id`: its request, answered. */
static void nt_pipe_accept_one(uint64_t id, int c)
{
    char req = 0;
    struct pollfd pfd = {.fd = c, .events = POLLIN};
    if (poll(&pfd, 1, NT_PIPE_HELLO_MS) != 1 || recv(c, &req, 1, MSG_DONTWAIT) != 1) {
        close(c); /* a probe (FILE_FLAG_FIRST_PIPE_INSTANCE) or a client that went */
        return;
    }
    pthread_mutex_lock(&nt_pipe_lock);
    nt_pipe_listener *l = nt_listener_by_id(id);
    nt_pipe_end *p = l ? nt_listener_free_end(l) : NULL;
    if (req == NT_PIPE_REQ_WAIT && l && !p) {
        int *w = l->nwaiters < l->cap ? l->waiters
                                      : realloc(l->waiters, (l->cap * 2 + 4) * sizeof *w);
        /* the waiter learns the pipe's default time-out first (NMPWAIT_USE_DEFAULT_WAIT) */
        char t[5] = {NT_PIPE_ANS_TIMEOUT};
        memcpy(t + 1, &l->default_wait_ms, 4);
        (void)!send(c, t, sizeof t, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w) {
            l->waiters = w;
            if (l->nwaiters >= l->cap)
                l->cap = l->cap * 2 + 4;
            l->waiters[l->nwaiters++] = c;
            c = -1;
        }
    } else if (req == NT_PIPE_REQ_WAIT && p) {
        char y = NT_PIPE_ANS_FREE;
        (void)!send(c, &y, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    } else if (nt_pipe_req_is_connect(req) && l &&
               (((req == NT_PIPE_REQ_CONNECT_READ || req == NT_PIPE_REQ_CONNECT_BOTH) &&
                 l->config == NT_PIPE_INBOUND) ||
                ((req == NT_PIPE_REQ_CONNECT_WRITE || req == NT_PIPE_REQ_CONNECT_BOTH) &&
                 l->config == NT_PIPE_OUTBOUND))) {
        /* the server's direction does not allow it: checked before any instance connects */
        char a = NT_PIPE_ANS_DENIED;
        (void)!send(c, &a, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    } else if (nt_pipe_req_is_connect(req) && p) {
        /* 'K' goes first, while the connection is still only ours: nothing the server writes
         * can come before it on the stream (a server that saw the instance connected and wrote
         * at once used to put its data ahead of 'K', and the client took it for its answer). The
         * instance is connected once the accepted socket is at its fd number; all of this under
         * nt_pipe_lock, which nt_pipe_state_status takes before saying "listening", so no one
         * sees the instance listening once its client has heard 'K'. */
        nt_pipe_desc d = {.answer = NT_PIPE_ANS_OK, .config = (uint8_t)l->config,
                          .in_size = p->in_size, .out_size = p->out_size,
                          .max_instances = l->max_instances, .instances = l->instances};
        int dc = nt_pipe_new_dc(p);
        if (nt_pipe_send_fd(c, &d, sizeof d, dc) == (ssize_t)sizeof d) {
            int fl = fcntl(c, F_GETFL);
            fcntl(c, F_SETFL, p->overlapped ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
            dup3(c, p->file->fd, O_CLOEXEC);
            /* the accepted copy goes now, under the lock: the instance's fd must be the only
             * server-side descriptor of the connection once the client can see 'K'. The
             * last CloseHandle of the server end waits for this lock (file_destroy's
             * nt_pipe_end_detach) and then closes that fd; a copy still open here would keep
             * the connection up after CloseHandle returned, and the client would still see
             * itself connected (FILE_PIPE_CONNECTED_STATE, not CLOSING) until this thread ran
             * again (pe.pipe_disconnect, under load). */
            close(c);
            c = -1;
            free(p->rest);
            p->rest = NULL;
            p->rest_len = p->rest_off = 0;
            __atomic_store_n(&p->state, NT_PIPE_STATE_CONNECTED, __ATOMIC_RELEASE);
            nt_async_fd_replaced(p->file); /* a pending ConnectNamedPipe completes */
        }
    } else if (nt_pipe_req_is_connect(req)) {
        char b = NT_PIPE_ANS_BUSY;
        (void)!send(c, &b, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    pthread_mutex_unlock(&nt_pipe_lock);
    if (c >= 0)
        close(c);
}

static void *nt_pipe_acceptor(void *unused)
{
    (void)unused;
    struct epoll_event ev[16];
    for (;;) {
        int n = epoll_wait(nt_pipe_epfd, ev, 16, -1);
        for (int i = 0; i < n; i++) {
            uint64_t id = ev[i].data.u64;
            for (;;) {
                pthread_mutex_lock(&nt_pipe_lock);
                nt_pipe_listener *l = nt_listener_by_id(id);
                int c = l ? accept4(l->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK) : -1;
                pthread_mutex_unlock(&nt_pipe_lock);
                if (c < 0)
                    break;
                nt_pipe_accept_one(id, c);
            }
        }
    }
    return NULL;
}

static void nt_pipe_acceptor_start(void)
{
    nt_pipe_epfd = epoll_create1(EPOLL_CLOEXEC);
    if (nt_pipe_epfd < 0)
        return;
    if (rt_service_thread_start(nt_pipe_acceptor, NULL, 128 * 1024, false) != 0) {
        close(nt_pipe_epfd);
        nt_pipe_epfd = -1;
    }
}

/* ---- ends ---- */

static nt_pipe_end *nt_pipe_of(nt_file *f) { return nt_file_ext_of(f)->pipe; }

void nt_pipe_end_detach(nt_pipe_end *p)
{
    if (!p || !p->listener)
        return;
    pthread_mutex_lock(&nt_pipe_lock);
    for (nt_pipe_end **q = &p->listener->ends; *q; q = &(*q)->next_end)
        if (*q == p) {
            *q = p->next_end;
            break;
        }
    pthread_mutex_unlock(&nt_pipe_lock);
}

void nt_pipe_end_free(nt_pipe_end *p)
{
    if (!p)
        return;
    nt_pipe_end_detach(p);
    nt_pipe_listener *l = p->listener;
    if (l) {
        pthread_mutex_lock(&nt_pipe_lock);
        if (--l->instances == 0) {
            for (nt_pipe_listener **q = &nt_pipe_listeners; *q; q = &(*q)->next)
                if (*q == l) {
                    *q = l->next;
                    break;
                }
            epoll_ctl(nt_pipe_epfd, EPOLL_CTL_DEL, l->fd, NULL);
            unlink(l->sock_path);
            close(l->fd);
            for (size_t i = 0; i < l->nwaiters; i++)
                close(l->waiters[i]); /* their WaitNamedPipe: the name is gone */
            free(l->waiters);
            free(l->key);
            free(l);
        }
        pthread_mutex_unlock(&nt_pipe_lock);
    }
    if (p->dc_fd >= 0)
        close(p->dc_fd); /* (a closed server end does not disconnect its client) */
    free(p->rest);
    free(p);
}

/* A new file object for `fd` with pipe state `p`, in the handle table. */
static NTSTATUS nt_pipe_handle(int fd, uint32_t access, nt_pipe_end *p, bool inherit,
                               HANDLE *out)
{
    nt_file *f = nt_file_new_owned(fd, access);
    if (!f) {
        close(fd);
        nt_pipe_end_free(p);
        return STATUS_NO_MEMORY;
    }
    if (p->overlapped)
        f->options &= ~(uint32_t)(FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT);
    p->file = f;
    nt_file_ext_of(f)->pipe = p;
    NTSTATUS st = nt_handle_alloc_inherit(&f->hdr, inherit, out);
    nt_object_release(&f->hdr);
    return st;
}

/* ---- the server ---- */

/* The direction of a new pipe: NtCreateNamedPipeFile's sharing says what clients may do
 * (FILE_SHARE_READ: read, so the server writes), CreateNamedPipe's access what the server does. */
static uint32_t nt_pipe_config(const nt_pipe_params *pp)
{
    bool in, out;
    if (pp->share) {
        in = pp->share & FILE_SHARE_WRITE;
        out = pp->share & FILE_SHARE_READ;
    } else {
        in = pp->access & FILE_READ_DATA;
        out = pp->access & FILE_WRITE_DATA;
    }
    return in && out ? NT_PIPE_DUPLEX : out ? NT_PIPE_OUTBOUND : NT_PIPE_INBOUND;
}

/* Whether another process serves `key` (FILE_FLAG_FIRST_PIPE_INSTANCE). */
static bool nt_pipe_served_elsewhere(const char *key)
{
    int fds[4], types[4];
    size_t n = nt_pipe_servers(key, 'P', fds, types, NULL, 4, NULL, 0); /* a probe */
    for (size_t i = 0; i < n; i++)
        close(fds[i]);
    return n > 0;
}

static NTSTATUS nt_listener_open(const char *key, int sock_type, const nt_pipe_params *pp,
                                 nt_pipe_listener **out)
{
    for (nt_pipe_listener *l = nt_pipe_listeners; l; l = l->next)
        if (!strcmp(l->key, key)) { /* in the order of Windows' checks */
            if (l->max_instances != 255 && l->instances >= l->max_instances)
                return STATUS_INSTANCE_NOT_AVAILABLE;
            if (pp->first_instance)
                return STATUS_ACCESS_DENIED; /* FILE_FLAG_FIRST_PIPE_INSTANCE, FILE_CREATE */
            if (l->sock_type != sock_type || l->config != nt_pipe_config(pp))
                return STATUS_ACCESS_DENIED; /* another type, another direction */
            *out = l;
            return STATUS_SUCCESS;
        }
    if (pp->first_instance && nt_pipe_served_elsewhere(key))
        return STATUS_ACCESS_DENIED;
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, nt_pipe_acceptor_start);
    if (nt_pipe_epfd < 0)
        return STATUS_INSUFFICIENT_RESOURCES;
    nt_pipe_listener *l = calloc(1, sizeof *l);
    if (!l || !(l->key = strdup(key))) {
        free(l);
        return STATUS_NO_MEMORY;
    }
    char base[64];
    nt_pipe_base(key, base, sizeof base);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if ((size_t)snprintf(l->sock_path, sizeof l->sock_path, "%s/%s@%d", nt_pipe_dir(), base,
                         (int)getpid()) >= sizeof l->sock_path ||
        (size_t)snprintf(sa.sun_path, sizeof sa.sun_path, "%s/.new-%d-%llu", nt_pipe_dir(),
                         (int)getpid(), (unsigned long long)nt_pipe_next_id) >=
            sizeof sa.sun_path) {
        free(l->key);
        free(l);
        return STATUS_NAME_TOO_LONG; /* the runtime directory's path is too long */
    }
    unlink(sa.sun_path);
    l->fd = socket(AF_UNIX, sock_type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    /* bound under a temporary name and renamed once it listens: a client never finds a socket
     * that refuses connections unless its process has ended */
    if (l->fd < 0 || bind(l->fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        listen(l->fd, 64) != 0 || rename(sa.sun_path, l->sock_path) != 0) {
        NTSTATUS st = nt_status_from_errno(errno);
        unlink(sa.sun_path);
        if (l->fd >= 0)
            close(l->fd);
        free(l->key);
        free(l);
        return st;
    }
    l->id = nt_pipe_next_id++;
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = l->id};
    if (epoll_ctl(nt_pipe_epfd, EPOLL_CTL_ADD, l->fd, &ev) != 0) {
        NTSTATUS st = nt_status_from_errno(errno);
        unlink(l->sock_path);
        close(l->fd);
        free(l->key);
        free(l);
        return st;
    }
    l->sock_type = sock_type;
    l->config = nt_pipe_config(pp);
    l->max_instances = pp->max_instances;
    l->default_wait_ms = pp->default_wait_ms ? pp->default_wait_ms : NT_PIPE_DEFAULT_WAIT_MS;
    l->next = nt_pipe_listeners;
    nt_pipe_listeners = l;
    *out = l;
    return STATUS_SUCCESS;
}

/* A new server instance: of the pipe `name` (len > 0), or of a new anonymous pipe (name NULL),
 * which no one can open by name. *created: the name was new (FILE_CREATED, else FILE_OPENED). */
/* A named pipe end's file name, "\\name" (FileNameInformation; ObjectNameInformation puts
 * \Device\NamedPipe before it): set once the handle exists, `st` passed through. */
static NTSTATUS nt_pipe_name_handle(HANDLE h, const WCHAR *name, size_t len, NTSTATUS st)
{
    nt_file *f;
    if (st != STATUS_SUCCESS || !name || !len || nt_file_get(h, &f) != STATUS_SUCCESS)
        return st;
    WCHAR *w = malloc((len + 2) * sizeof *w);
    if (w) {
        w[0] = u'\\';
        memcpy(w + 1, name, len * sizeof *w);
        w[len + 1] = 0;
        nt_file_ext *fx = nt_file_ext_of(f);
        pthread_mutex_lock(&fx->lock);
        free(f->nt_name);
        f->nt_name = w;
        pthread_mutex_unlock(&fx->lock);
    }
    nt_object_release(&f->hdr);
    return st;
}

bool nt_file_is_pipe(nt_file *f)
{
    nt_pipe_end *p = nt_file_ext_of(f)->pipe;
    return p && !p->is_dir;
}

static NTSTATUS nt_pipe_new_server_unnamed(const WCHAR *name, size_t len, const nt_pipe_params *pp,
                                           HANDLE *out, bool *created);

static NTSTATUS nt_pipe_new_server(const WCHAR *name, size_t len, const nt_pipe_params *pp,
                                   HANDLE *out, bool *created)
{
    NTSTATUS st = nt_pipe_new_server_unnamed(name, len, pp, out, created);
    return nt_pipe_name_handle(*out, name, len, st);
}

static NTSTATUS nt_pipe_new_server_unnamed(const WCHAR *name, size_t len, const nt_pipe_params *pp,
                                           HANDLE *out, bool *created)
{
    *out = NULL;
    *created = true;
    if (pp->max_instances == 0 || pp->max_instances > 255)
        return STATUS_INVALID_PARAMETER;
    if (name && !len)
        return STATUS_OBJECT_NAME_INVALID;
    char *key = name ? nt_pipe_key(name, len) : NULL;
    nt_pipe_end *p = calloc(1, sizeof *p);
    if ((name && !key) || !p) {
        free(key);
        free(p);
        return STATUS_NO_MEMORY;
    }
    int type = pp->message_type ? SOCK_SEQPACKET : SOCK_STREAM;
    p->server = true;
    p->dc_fd = -1;
    p->sock_type = type;
    p->config = nt_pipe_config(pp);
    p->state = NT_PIPE_STATE_LISTENING;
    p->message_type = pp->message_type;
    p->read_message = pp->read_message;
    p->nowait = pp->nowait;
    p->overlapped = pp->overlapped;
    p->out_size = pp->out_size;
    p->in_size = pp->in_size;
    p->max_instances = pp->max_instances;
    /* Until a client comes: an unconnected socket at the fd number the instance keeps. */
    int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        free(key);
        free(p);
        return nt_status_from_errno(errno);
    }
    nt_file *f = nt_file_new_owned(fd, pp->access);
    if (!f) {
        close(fd);
        free(key);
        free(p);
        return STATUS_NO_MEMORY;
    }
    if (p->overlapped)
        f->options &= ~(uint32_t)(FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT);
    p->file = f;
    NTSTATUS st = STATUS_SUCCESS;
    if (!key) { /* anonymous: listening, for a client opened relative to this handle only */
        nt_file_ext_of(f)->pipe = p;
    } else {
        pthread_mutex_lock(&nt_pipe_lock);
        nt_pipe_listener *l = NULL;
        bool local = false;
        for (nt_pipe_listener *k = nt_pipe_listeners; k && !local; k = k->next)
            local = !strcmp(k->key, key);
        *created = !local && !pp->must_exist; /* (a name only other processes serve is new) */
        if (pp->must_exist && !local && !nt_pipe_served_elsewhere(key))
            st = STATUS_OBJECT_NAME_NOT_FOUND; /* FILE_OPEN */
        else
            st = nt_listener_open(key, type, pp, &l);
        if (st == STATUS_SUCCESS) {
            l->instances++;
            p->listener = l;
            nt_file_ext_of(f)->pipe = p;
            p->next_end = l->ends; /* listening from now on: a client may connect it */
            l->ends = p;
            nt_listener_wake_waiters(l);
        }
        pthread_mutex_unlock(&nt_pipe_lock);
        free(key);
    }
    if (st != STATUS_SUCCESS) {
        free(p);
        nt_object_release(&f->hdr);
        return st;
    }
    st = nt_handle_alloc_inherit(&f->hdr, pp->inherit, out);
    nt_object_release(&f->hdr);
    return st;
}

NTSTATUS nt_pipe_create_server(const WCHAR *name, size_t len, const nt_pipe_params *pp,
                               HANDLE *out)
{
    bool created;
    return nt_pipe_new_server(name, len, pp, out, &created);
}

/* The async attempt of ConnectNamedPipe: over when the instance is connected. */
static bool nt_pipe_connect_attempt(int fd, void *arg, NTSTATUS *status, ULONG_PTR *info)
{
    (void)fd;
    nt_pipe_end *p = arg;
    *info = 0;
    int state = __atomic_load_n(&p->state, __ATOMIC_ACQUIRE);
    if (state == NT_PIPE_STATE_LISTENING)
        return false;
    *status = state == NT_PIPE_STATE_CONNECTED ? STATUS_SUCCESS : STATUS_PIPE_DISCONNECTED;
    return true;
}

/* The server end of a named pipe behind h (FSCTL_PIPE_LISTEN, FSCTL_PIPE_DISCONNECT): *f
 * referenced (the caller releases it) and *p. A client end: STATUS_ILLEGAL_FUNCTION
 * (ERROR_INVALID_FUNCTION); not a pipe: STATUS_INVALID_PARAMETER; nothing held then. */
static NTSTATUS pipe_server_get(HANDLE h, nt_file **f, nt_pipe_end **p)
{
    NTSTATUS st = nt_file_get(h, f);
    if (st != STATUS_SUCCESS)
        return st;
    *p = nt_pipe_of(*f);
    if (!*p || !(*p)->server) {
        st = *p && !(*p)->is_dir ? STATUS_ILLEGAL_FUNCTION : STATUS_INVALID_PARAMETER;
        nt_object_release(&(*f)->hdr);
        return st;
    }
    return STATUS_SUCCESS;
}

NTSTATUS nt_pipe_listen(HANDLE h, const nt_async_notify *n)
{
    nt_file *f;
    nt_pipe_end *p;
    NTSTATUS st = pipe_server_get(h, &f, &p);
    if (st != STATUS_SUCCESS)
        return st;
    pthread_mutex_lock(&nt_pipe_lock);
    int state = p->state;
    if (state == NT_PIPE_STATE_DISCONNECTED) {
        __atomic_store_n(&p->state, NT_PIPE_STATE_LISTENING, __ATOMIC_RELEASE);
        if (p->listener)
            nt_listener_wake_waiters(p->listener);
    }
    pthread_mutex_unlock(&nt_pipe_lock);
    if (state == NT_PIPE_STATE_CONNECTED) {
        /* a client came before the call: ERROR_PIPE_CONNECTED; one that has gone again:
         * ERROR_NO_DATA, as on Windows */
        struct pollfd pfd = {.fd = f->fd, .events = POLLIN | POLLRDHUP};
        st = poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLHUP | POLLRDHUP)) ? STATUS_PIPE_CLOSING
                                                                           : STATUS_PIPE_CONNECTED;
        nt_object_release(&f->hdr);
        return st;
    }
    if (p->nowait) {
        nt_object_release(&f->hdr);
        return STATUS_PIPE_LISTENING;
    }
    nt_async_io io = {.attempt = nt_pipe_connect_attempt, .arg = p, .write = true};
    nt_async_notify sync = {.wait = true};
    bool wait = !p->overlapped || !n || (!n->event && !n->apc && !n->apc_ctx);
    if (wait && n) {
        sync = *n;
        sync.wait = true;
    }
    st = nt_async_submit(f, &io, wait ? &sync : n, NULL);
    nt_object_release(&f->hdr);
    return st;
}

NTSTATUS nt_pipe_disconnect(HANDLE h)
{
    nt_file *f;
    nt_pipe_end *p;
    NTSTATUS st = pipe_server_get(h, &f, &p);
    if (st != STATUS_SUCCESS)
        return st;
    pthread_mutex_lock(&nt_pipe_lock);
    if (p->dc_fd >= 0) { /* the client hears of it before its reads end */
        uint64_t one = 1;
        (void)!write(p->dc_fd, &one, sizeof one);
        close(p->dc_fd);
        p->dc_fd = -1;
    }
    int s = socket(AF_UNIX, p->sock_type | SOCK_CLOEXEC, 0);
    if (s >= 0) {
        dup3(s, f->fd, O_CLOEXEC); /* drops the connection: the client's reads end */
        close(s);
    }
    __atomic_store_n(&p->state, NT_PIPE_STATE_DISCONNECTED, __ATOMIC_RELEASE);
    free(p->rest);
    p->rest = NULL;
    p->rest_len = p->rest_off = 0;
    p->nempties = 0;
    pthread_mutex_unlock(&nt_pipe_lock);
    nt_async_fd_replaced(f); /* a pending ConnectNamedPipe ends (ERROR_PIPE_NOT_CONNECTED) */
    nt_object_release(&f->hdr);
    return STATUS_SUCCESS;
}

/* ---- the client ---- */

/* A client end's handle for the connected socket `fd` (its type SOCK_STREAM or
 * SOCK_SEQPACKET) and the server's disconnection eventfd `dc` (-1: none), both taken;
 * `options`: NtCreateFile's, which say whether it is overlapped. */
static NTSTATUS nt_pipe_client_handle(int fd, int dc, int type, const nt_pipe_desc *d,
                                      uint32_t access, uint32_t options, bool inherit,
                                      HANDLE *out)
{
    nt_pipe_end *p = calloc(1, sizeof *p);
    if (!p) {
        close(fd);
        if (dc >= 0)
            close(dc);
        return STATUS_NO_MEMORY;
    }
    p->dc_fd = dc;
    p->state = NT_PIPE_STATE_CONNECTED;
    p->message_type = type == SOCK_SEQPACKET;
    p->sock_type = type;
    p->config = d->config;
    p->in_size = d->in_size;
    p->out_size = d->out_size;
    p->max_instances = d->max_instances;
    p->client_instances = d->instances;
    p->overlapped = !(options & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT));
    if (p->overlapped)
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return nt_pipe_handle(fd, access, p, inherit, out);
}

/* The answer to a connect request: 'K' and the pipe's description in *d (and in *dc the
 * disconnection eventfd that came with it, else -1), 'B', 'A'; 0 at the end, -1 on a
 * timeout. */
static int nt_pipe_connect_answer(int fd, int ms, nt_pipe_desc *d, int *dc)
{
    *dc = -1;
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    int r;
    do
        r = poll(&pfd, 1, ms);
    while (r < 0 && errno == EINTR);
    if (r != 1)
        return -1;
    memset(d, 0, sizeof *d);
    union {
        struct cmsghdr h;
        char b[CMSG_SPACE(sizeof(int))];
    } ctl;
    struct iovec iov = {.iov_base = d, .iov_len = sizeof *d};
    struct msghdr m;
    ssize_t got;
    do { /* one send: a packet, or the stream's first bytes, all there or the end */
        m = (struct msghdr){.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b,
                            .msg_controllen = sizeof ctl.b};
        got = recvmsg(fd, &m, MSG_WAITALL | MSG_CMSG_CLOEXEC);
    } while (got < 0 && errno == EINTR);
    for (struct cmsghdr *cm = got > 0 ? CMSG_FIRSTHDR(&m) : NULL; cm; cm = CMSG_NXTHDR(&m, cm))
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
            cm->cmsg_len == CMSG_LEN(sizeof(int)))
            memcpy(dc, CMSG_DATA(cm), sizeof *dc);
    if (got <= 0 || (d->answer == NT_PIPE_ANS_OK && got != (ssize_t)sizeof *d)) {
        if (*dc >= 0)
            close(*dc);
        *dc = -1;
        return 0;
    }
    return (uint8_t)d->answer;
}

NTSTATUS nt_pipe_open_client(const WCHAR *name, size_t len, uint32_t access, uint32_t options,
                             bool inherit, HANDLE *out)
{
    *out = NULL;
    char *key = nt_pipe_key(name, len);
    if (!key)
        return STATUS_NO_MEMORY;
    bool rd = access & FILE_READ_DATA, wr = access & FILE_WRITE_DATA;
    char req = rd && wr ? NT_PIPE_REQ_CONNECT_BOTH
               : rd     ? NT_PIPE_REQ_CONNECT_READ
               : wr     ? NT_PIPE_REQ_CONNECT_WRITE
                        : NT_PIPE_REQ_CONNECT;
    int fds[16], types[16];
    size_t n = nt_pipe_servers(key, req, fds, types, NULL, 16, NULL, 0);
    free(key);
    int fd = -1, type = 0, dc = -1;
    bool busy = false, denied = false;
    nt_pipe_desc d = {0};
    for (size_t i = 0; i < n; i++) {
        int got_dc = -1;
        int a = fd < 0 ? nt_pipe_connect_answer(fds[i], NT_PIPE_ANSWER_MS, &d, &got_dc) : -1;
        if (a == NT_PIPE_ANS_OK) {
            fd = fds[i];
            type = types[i];
            dc = got_dc;
            continue;
        }
        if (got_dc >= 0)
            close(got_dc);
        denied |= a == NT_PIPE_ANS_DENIED;
        busy |= a == NT_PIPE_ANS_BUSY || (a < 0 && fd < 0);
        close(fds[i]);
    }
    if (fd < 0)
        return denied ? STATUS_ACCESS_DENIED /* the pipe's direction */
               : busy ? STATUS_PIPE_NOT_AVAILABLE /* ERROR_PIPE_BUSY */
                      : STATUS_OBJECT_NAME_NOT_FOUND;
    NTSTATUS st = nt_pipe_client_handle(fd, dc, type, &d, access, options, inherit, out);
    return nt_pipe_name_handle(*out, name, len, st);
}

#define NT_PIPE_WAIT_MAX 32

NTSTATUS nt_pipe_wait(const WCHAR *name, size_t len, int64_t timeout_ms)
{
    char *key = nt_pipe_key(name, len);
    if (!key)
        return STATUS_NO_MEMORY;
    int fds[NT_PIPE_WAIT_MAX], types[NT_PIPE_WAIT_MAX];
    char *names[NT_PIPE_WAIT_MAX] = {0};
    struct pollfd pfd[NT_PIPE_WAIT_MAX];
    size_t n = nt_pipe_servers(key, NT_PIPE_REQ_WAIT, fds, types, names, NT_PIPE_WAIT_MAX, NULL, 0);
    NTSTATUS st = n ? STATUS_IO_TIMEOUT /* ERROR_SEM_TIMEOUT */ : STATUS_OBJECT_NAME_NOT_FOUND;
    for (size_t i = 0; i < n; i++)
        pfd[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
    int64_t start = nt_mono_now();
    /* the default time-out comes first from a server with no instance free ('T'); until it
     * has, a server that does not say gets its answer time */
    bool use_default = timeout_ms == NT_PIPE_WAIT_DEFAULT;
    int64_t deadline = use_default      ? start + NT_PIPE_ANSWER_MS * 1000000LL
                       : timeout_ms < 0 ? INT64_MAX
                                        : start + timeout_ms * 1000000LL;
    bool interrupted = false;
    size_t live = n;
    while (live) {
        int64_t now = nt_mono_now();
        if (now >= deadline)
            break;
        int64_t slice = deadline - now < RT_WAIT_SLICE_NS ? deadline - now : RT_WAIT_SLICE_NS;
        int r = poll(pfd, n, (int)((slice + 999999) / 1000000));
        if (r < 0 && errno != EINTR)
            break;
        if (rt_thread_pending()) {
            interrupted = true;
            break;
        }
        bool free_now = false;
        for (size_t i = 0; r > 0 && i < n; i++) {
            if (pfd[i].fd < 0 || !pfd[i].revents)
                continue;
            char b[5];
            uint32_t ms;
            ssize_t got = recv(pfd[i].fd, b, sizeof b, MSG_PEEK | MSG_DONTWAIT);
            if (got == (ssize_t)sizeof b && b[0] == NT_PIPE_ANS_TIMEOUT) {
                (void)!recv(pfd[i].fd, b, sizeof b, MSG_DONTWAIT); /* one send: all there */
                memcpy(&ms, b + 1, sizeof ms);
                if (use_default) {
                    use_default = false;
                    deadline = start + (int64_t)ms * 1000000LL;
                }
            } else if (got >= 1 && b[0] == NT_PIPE_ANS_FREE) {
                (void)!recv(pfd[i].fd, b, 1, MSG_DONTWAIT);
                free_now = true;
            } else { /* that server's last instance has gone */
                close(pfd[i].fd);
                pfd[i].fd = -1;
                live--;
            }
        }
        if (free_now) {
            st = STATUS_SUCCESS;
            break;
        }
        /* a process that started serving the name since: its instances count too */
        size_t more = nt_pipe_servers(key, NT_PIPE_REQ_WAIT, fds + n, types + n, names + n,
                                      NT_PIPE_WAIT_MAX - n, names, n);
        for (size_t i = n; i < n + more; i++)
            pfd[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
        n += more;
        live += more;
    }
    if (!live && st == STATUS_IO_TIMEOUT)
        st = STATUS_OBJECT_NAME_NOT_FOUND;
    for (size_t i = 0; i < n; i++) {
        if (pfd[i].fd >= 0)
            close(pfd[i].fd);
        free(names[i]);
    }
    free(key);
    if (interrupted)
        rt_thread_check_pending();
    return st;
}

/* ---- I/O on an end ---- */

bool nt_pipe_is_named(nt_file *f) { return nt_pipe_of(f) != NULL; }

/* ---- inheritance ---- */

/* A pipe end's description for a child that inherits it (NTRUN_CHILD_HANDLES, ntemu/process.c):
 * "P" and its mode, sizes and state; its disconnection eventfd travels as an fd of its own, so
 * a client end in the child hears of DisconnectNamedPipe as the parent's does. */
bool nt_pipe_inherit_desc(nt_file *f, char *buf, size_t size, int *dc)
{
    nt_pipe_end *p = nt_pipe_of(f);
    *dc = -1;
    if (!p || p->is_dir)
        return false;
    snprintf(buf, size, "P%d.%d.%d.%d.%d.%d.%u.%u.%u.%u.%u.%d", p->server, p->sock_type,
             p->message_type, p->read_message, p->nowait, p->overlapped, p->config, p->in_size,
             p->out_size, p->max_instances, p->client_instances,
             __atomic_load_n(&p->state, __ATOMIC_ACQUIRE));
    *dc = p->dc_fd;
    return true;
}

void nt_pipe_inherited(nt_file *f, const char *desc, int dc)
{
    int server, type, msg, rmsg, nowait, ovl, state;
    unsigned config, in, out, maxi, inst;
    if (sscanf(desc, "P%d.%d.%d.%d.%d.%d.%u.%u.%u.%u.%u.%d", &server, &type, &msg, &rmsg,
               &nowait, &ovl, &config, &in, &out, &maxi, &inst, &state) != 12) {
        if (dc >= 0)
            close(dc);
        return;
    }
    nt_pipe_end *p = calloc(1, sizeof *p);
    if (!p) {
        if (dc >= 0)
            close(dc);
        return;
    }
    /* a server end in the child has no listener: no client connects it again there */
    p->server = server;
    p->sock_type = type;
    p->message_type = msg;
    p->read_message = rmsg;
    p->nowait = nowait;
    p->overlapped = ovl;
    p->config = config;
    p->in_size = in;
    p->out_size = out;
    p->max_instances = maxi;
    p->client_instances = inst;
    p->state = state;
    p->dc_fd = dc;
    p->file = f;
    if (p->overlapped)
        f->options &= ~(uint32_t)(FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT);
    nt_file_ext_of(f)->pipe = p;
}

/* The end's state: a client end whose server has disconnected it (its eventfd is readable: it
 * is only polled, never read, so every copy of the end, in this process or in a child that
 * inherited it, sees it) is disconnected from then on. */
static int nt_pipe_refresh_state(nt_pipe_end *p)
{
    int state = __atomic_load_n(&p->state, __ATOMIC_ACQUIRE);
    if (state == NT_PIPE_STATE_CONNECTED && !p->server && p->dc_fd >= 0) {
        struct pollfd pfd = {.fd = p->dc_fd, .events = POLLIN};
        if (poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN))
            __atomic_store_n(&p->state, NT_PIPE_STATE_DISCONNECTED, __ATOMIC_RELEASE);
        state = __atomic_load_n(&p->state, __ATOMIC_ACQUIRE);
    }
    return state;
}

/* A client end disconnected by its server (STATUS_PIPE_DISCONNECTED for everything but
 * closing it, as NPFS no longer knows its file object). */
static bool nt_pipe_client_cut(nt_pipe_end *p)
{
    return p && !p->server && !p->is_dir &&
           nt_pipe_refresh_state(p) == NT_PIPE_STATE_DISCONNECTED;
}

NTSTATUS nt_pipe_eof_status(nt_file *f)
{
    nt_pipe_end *p = nt_pipe_of(f);
    return p && !p->is_dir && nt_pipe_refresh_state(p) == NT_PIPE_STATE_DISCONNECTED
               ? STATUS_PIPE_DISCONNECTED
               : STATUS_PIPE_BROKEN;
}

/* FlushFileBuffers on an end: waits until the other end has read what this one wrote, as NPFS
 * does. PostgreSQL's signal pipe (pgwin32's pg_signal_thread) writes its answer, flushes and
 * disconnects: a disconnection before the client's read would lose the answer, and the
 * client's kill() would take the process for gone (ERROR_PIPE_NOT_CONNECTED). The unread bytes
 * are the socket's SIOCOUTQ (for a Unix socket: what sits in the peer's receive queue), which
 * nothing signals when it drops: looked at again every few milliseconds. Not connected (the
 * other end gone, or never come): nothing to wait for. */
NTSTATUS nt_pipe_flush(nt_file *f)
{
    nt_pipe_end *p = nt_pipe_of(f);
    if (!p || p->is_dir)
        return STATUS_SUCCESS;
    for (long ns = 500000; nt_pipe_refresh_state(p) == NT_PIPE_STATE_CONNECTED;) {
        int queued = 0;
        if (ioctl(f->fd, SIOCOUTQ, &queued) != 0 || queued <= 0)
            break;
        struct timespec ts = {0, ns};
        nanosleep(&ts, NULL);
        if (ns < 8000000)
            ns *= 2;
    }
    return STATUS_SUCCESS;
}

/* The end's state as a status. "Listening" is said under nt_pipe_lock: the acceptor answers a
 * client and connects the instance under it, so a client that has its handle always finds
 * the instance connected. */
static NTSTATUS nt_pipe_state_status(nt_pipe_end *p)
{
    if (p->is_dir)
        return STATUS_INVALID_PARAMETER; /* the pipe file system has no data */
    int state = nt_pipe_refresh_state(p);
    if (state == NT_PIPE_STATE_LISTENING) {
        pthread_mutex_lock(&nt_pipe_lock);
        state = __atomic_load_n(&p->state, __ATOMIC_ACQUIRE);
        pthread_mutex_unlock(&nt_pipe_lock);
    }
    if (state == NT_PIPE_STATE_LISTENING)
        return STATUS_PIPE_LISTENING;
    if (state == NT_PIPE_STATE_DISCONNECTED)
        return STATUS_PIPE_DISCONNECTED;
    return STATUS_SUCCESS;
}

/* On an overlapped end (a non-blocking fd) used without a notification, the call is
 * synchronous: waits until the fd is ready for `events`. A wait point (thread termination). */
static void nt_pipe_wait_ready(int fd, short events)
{
    struct pollfd pfd = {.fd = fd, .events = events};
    while (poll(&pfd, 1, (int)(RT_WAIT_SLICE_NS / 1000000)) <= 0)
        if (rt_thread_pending())
            rt_thread_check_pending();
}

bool nt_pipe_goes_async(nt_file *f, bool write, bool notify)
{
    nt_pipe_end *p = nt_pipe_of(f);
    return p && p->overlapped && notify && nt_pipe_state_status(p) == STATUS_SUCCESS &&
           (write || !p->nowait);
}

/* Bytes of the next message (message pipes) or all buffered bytes; -1 at the end. */
static ssize_t nt_pipe_next_len(int fd, bool message, bool block)
{
    if (message) {
        ssize_t n;
        if (block && (fcntl(fd, F_GETFL) & O_NONBLOCK))
            nt_pipe_wait_ready(fd, POLLIN); /* an overlapped end read synchronously */
        do
            n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC | (block ? 0 : MSG_DONTWAIT));
        while (n < 0 && errno == EINTR && !rt_thread_pending());
        return n;
    }
    int avail = 0;
    return ioctl(fd, FIONREAD, &avail) == 0 ? avail : -1;
}

static void nt_pipe_empties_taken(nt_pipe_end *p, size_t len);

/* A read of a message (message pipes) or of the rest of one: STATUS_PENDING when `block` is
 * false and nothing has come. */
static NTSTATUS nt_pipe_read_message(nt_file *f, nt_pipe_end *p, void *buffer, uint32_t length,
                                     size_t *got, bool block)
{
    if (!p->rest_len) {
        ssize_t n = nt_pipe_next_len(f->fd, true, block);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return block ? STATUS_PIPE_EMPTY /* PIPE_NOWAIT: ERROR_NO_DATA */
                         : STATUS_PENDING;
        if (n < 0)
            return errno == EINTR ? STATUS_MORE_PROCESSING_REQUIRED : nt_status_from_errno(errno);
        if (n == 0) { /* an empty message (taken), or the end once the writer has gone */
            struct pollfd pfd = {.fd = f->fd, .events = POLLIN | POLLRDHUP};
            bool gone = poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLRDHUP | POLLHUP));
            char c;
            if (!gone && recv(f->fd, &c, 1, MSG_DONTWAIT) == 0) {
                nt_pipe_empties_taken(p, 0);
                return STATUS_SUCCESS;
            }
            return nt_pipe_eof_status(f);
        }
        if ((size_t)n <= length) {
            ssize_t r = recv(f->fd, buffer, (size_t)n, MSG_DONTWAIT);
            if (r < 0)
                return errno == EFAULT ? STATUS_ACCESS_VIOLATION : nt_status_from_errno(errno);
            nt_pipe_empties_taken(p, (size_t)r);
            *got = (size_t)r;
            return STATUS_SUCCESS;
        }
        char *m = malloc((size_t)n);
        if (!m)
            return STATUS_NO_MEMORY;
        ssize_t r = recv(f->fd, m, (size_t)n, MSG_DONTWAIT);
        if (r < 0) {
            free(m);
            return nt_status_from_errno(errno);
        }
        nt_pipe_empties_taken(p, (size_t)r);
        p->rest = m;
        p->rest_len = (size_t)r;
        p->rest_off = 0;
    }
    size_t take = p->rest_len - p->rest_off;
    if (take > length)
        take = length;
    if (nt_copy_to_user(buffer, p->rest + p->rest_off, take) != 0)
        return STATUS_ACCESS_VIOLATION;
    p->rest_off += take;
    *got = take;
    if (p->rest_off < p->rest_len)
        return p->read_message ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
    free(p->rest);
    p->rest = NULL;
    p->rest_len = p->rest_off = 0;
    return STATUS_SUCCESS;
}

NTSTATUS nt_pipe_read(nt_file *f, void *buffer, uint32_t length, size_t *got)
{
    nt_pipe_end *p = nt_pipe_of(f);
    *got = 0;
    NTSTATUS st = nt_pipe_state_status(p);
    if (st != STATUS_SUCCESS)
        return st;
    if (!p->message_type && !p->rest_len) {
        if (p->overlapped && length)
            nt_pipe_wait_ready(f->fd, POLLIN);
        return STATUS_MORE_PROCESSING_REQUIRED; /* a plain read of the stream */
    }
    return nt_pipe_read_message(f, p, buffer, length, got, !p->nowait);
}

/* An overlapped read: pending until data comes, the other end goes (ERROR_BROKEN_PIPE) or the
 * server disconnects (ERROR_PIPE_NOT_CONNECTED: the disconnection eventfd is signalled before
 * the socket ends, and a server's own read ends when its fd is replaced), as NPFS completes
 * the reads it holds. */
typedef struct nt_pipe_read_req {
    nt_file *f; /* referenced */
    void *buf;
    uint32_t len;
} nt_pipe_read_req;

static bool nt_pipe_read_attempt(int fd, void *arg, NTSTATUS *status, ULONG_PTR *info)
{
    nt_pipe_read_req *r = arg;
    nt_pipe_end *p = nt_pipe_of(r->f);
    size_t got = 0;
    NTSTATUS st;
    int state = nt_pipe_refresh_state(p);
    if (state != NT_PIPE_STATE_CONNECTED) {
        st = state == NT_PIPE_STATE_LISTENING ? STATUS_PIPE_LISTENING : STATUS_PIPE_DISCONNECTED;
    } else if (p->message_type || p->rest_len) {
        st = nt_pipe_read_message(r->f, p, r->buf, r->len, &got, false);
        if (st == STATUS_PENDING || st == STATUS_MORE_PROCESSING_REQUIRED)
            return false;
    } else {
        ssize_t n;
        do
            n = read(fd, r->buf, r->len);
        while (n < 0 && errno == EINTR);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return false;
        st = n < 0             ? (errno == EFAULT ? STATUS_ACCESS_VIOLATION
                                                  : nt_status_from_errno(errno))
             : !n && r->len ? nt_pipe_eof_status(r->f)
                            : STATUS_SUCCESS;
        got = n > 0 ? (size_t)n : 0;
    }
    *status = st;
    *info = got;
    return true;
}

static void nt_pipe_read_finish(void *arg)
{
    nt_pipe_read_req *r = arg;
    nt_object_release(&r->f->hdr);
    free(r);
}

NTSTATUS nt_pipe_read_async(nt_file *f, const nt_async_notify *n, void *buffer, uint32_t length)
{
    nt_pipe_read_req *r = malloc(sizeof *r);
    if (!r)
        return STATUS_NO_MEMORY;
    nt_object_ref(&f->hdr);
    *r = (nt_pipe_read_req){.f = f, .buf = buffer, .len = length};
    nt_async_io io = {.attempt = nt_pipe_read_attempt, .finish = nt_pipe_read_finish, .arg = r};
    return nt_async_submit(f, &io, n, NULL);
}

NTSTATUS nt_pipe_write(nt_file *f, const void *buffer, uint32_t length, size_t *done)
{
    nt_pipe_end *p = nt_pipe_of(f);
    *done = 0;
    NTSTATUS st = nt_pipe_state_status(p);
    if (st != STATUS_SUCCESS)
        return st;
    rt_lazy_fill(buffer, length);
    while (*done < length || (!length && !*done)) {
        ssize_t n = send(f->fd, (const char *)buffer + *done, length - *done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN && p->overlapped) {
            nt_pipe_wait_ready(f->fd, POLLOUT);
            continue;
        }
        if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) /* the reader has gone */
            return nt_pipe_eof_status(f) == STATUS_PIPE_DISCONNECTED ? STATUS_PIPE_DISCONNECTED
                                                                     : STATUS_PIPE_CLOSING;
        if (n < 0)
            return errno == EFAULT ? STATUS_ACCESS_VIOLATION : nt_status_from_errno(errno);
        *done += (size_t)n;
        if (!length)
            break;
    }
    return STATUS_SUCCESS;
}

/* ---- queries (named and anonymous pipes) ---- */

static bool nt_pipe_is_fifo(nt_file *f);

/* The pipe behind h for a query that takes either kind: *f referenced (the caller releases
 * it), *p its named-pipe end, or NULL for an anonymous pipe (a FIFO). Anything else:
 * STATUS_INVALID_PARAMETER (ERROR_INVALID_FUNCTION on Windows), nothing held. */
static NTSTATUS pipe_any_get(HANDLE h, nt_file **f, nt_pipe_end **p)
{
    NTSTATUS st = nt_file_get(h, f);
    if (st != STATUS_SUCCESS)
        return st;
    *p = nt_pipe_of(*f);
    if (!*p && !nt_pipe_is_fifo(*f)) {
        nt_object_release(&(*f)->hdr);
        return STATUS_INVALID_PARAMETER;
    }
    return STATUS_SUCCESS;
}

NTSTATUS nt_pipe_peek(HANDLE h, void *buffer, uint32_t length, uint32_t *nread,
                      uint32_t *avail, uint32_t *left)
{
    nt_file *f;
    nt_pipe_end *p;
    *nread = *avail = *left = 0;
    NTSTATUS st = pipe_any_get(h, &f, &p);
    if (st != STATUS_SUCCESS)
        return st;
    if (p && (st = nt_pipe_state_status(p)) != STATUS_SUCCESS) {
        nt_object_release(&f->hdr);
        return st;
    }
    size_t rest = p ? p->rest_len - p->rest_off : 0;
    int queued = 0;
    ioctl(f->fd, FIONREAD, &queued);
    ssize_t next = rest ? (ssize_t)rest : p && p->message_type ? nt_pipe_next_len(f->fd, true, false)
                                                              : queued;
    if (next < 0)
        next = 0;
    *avail = (uint32_t)(rest + (size_t)queued);
    if (p && p->message_type)
        *left = (uint32_t)next;
    if (!*avail) {
        /* nothing buffered: a writer that has gone makes the pipe broken */
        struct pollfd pfd = {.fd = f->fd, .events = POLLIN};
        if (poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLHUP | POLLERR)))
            st = nt_pipe_eof_status(f);
        nt_object_release(&f->hdr);
        return st;
    }
    size_t want = length;
    if (p && p->message_type && want > (size_t)next)
        want = (size_t)next;
    if (buffer && want) {
        char *tmp = malloc(want);
        ssize_t n = 0;
        if (!tmp) {
            st = STATUS_NO_MEMORY;
        } else if (rest) {
            n = (ssize_t)(rest < want ? rest : want);
            memcpy(tmp, p->rest + p->rest_off, (size_t)n);
        } else if (p) {
            n = recv(f->fd, tmp, want, MSG_PEEK | MSG_DONTWAIT);
        } else { /* a FIFO: tee(2) copies without consuming */
            int t[2];
            if (pipe2(t, O_CLOEXEC | O_NONBLOCK) == 0) {
                ssize_t c = tee(f->fd, t[1], want, SPLICE_F_NONBLOCK);
                n = c > 0 ? read(t[0], tmp, (size_t)c) : 0;
                close(t[0]);
                close(t[1]);
            }
        }
        if (n > 0 && nt_copy_to_user(buffer, tmp, (size_t)n) != 0)
            st = STATUS_ACCESS_VIOLATION;
        else if (n > 0)
            *nread = (uint32_t)n;
        free(tmp);
    }
    if (p && p->message_type && *nread)
        *left = (uint32_t)next - *nread;
    nt_object_release(&f->hdr);
    return st;
}

NTSTATUS nt_pipe_info(HANDLE h, nt_pipe_information *info)
{
    nt_file *f;
    nt_pipe_end *p;
    memset(info, 0, sizeof *info);
    NTSTATUS st = pipe_any_get(h, &f, &p);
    if (st != STATUS_SUCCESS)
        return st;
    if ((p && p->is_dir) || nt_pipe_client_cut(p)) {
        nt_object_release(&f->hdr);
        return p->is_dir ? STATUS_INVALID_PARAMETER : STATUS_PIPE_DISCONNECTED;
    }
    if (p) {
        info->server = p->server;
        info->message_type = p->message_type;
        info->read_message = p->read_message;
        info->nowait = p->nowait;
        info->out_size = p->out_size;
        info->in_size = p->in_size;
        info->max_instances = p->server ? p->max_instances : 0;
        info->state = __atomic_load_n(&p->state, __ATOMIC_ACQUIRE);
        pthread_mutex_lock(&nt_pipe_lock);
        info->instances = p->listener ? p->listener->instances : p->server;
        pthread_mutex_unlock(&nt_pipe_lock);
    } else {
        int size = fcntl(f->fd, F_GETPIPE_SZ);
        info->out_size = info->in_size = size > 0 ? (uint32_t)size : 4096;
        info->server = (f->access & FILE_READ_DATA) != 0; /* CreatePipe: the read end serves */
        info->max_instances = 1;
        info->instances = 1;
        info->state = NT_PIPE_STATE_CONNECTED;
    }
    nt_object_release(&f->hdr);
    return STATUS_SUCCESS;
}

static NTSTATUS nt_pipe_set_mode_of(nt_file *f, bool read_message, bool nowait)
{
    NTSTATUS st = STATUS_SUCCESS;
    nt_pipe_end *p = nt_pipe_of(f);
    if (!p) {
        struct stat sb;
        st = fstat(f->fd, &sb) == 0 && S_ISFIFO(sb.st_mode) && !read_message
                 ? STATUS_SUCCESS
                 : STATUS_INVALID_PARAMETER;
        if (st == STATUS_SUCCESS) {
            int fl = fcntl(f->fd, F_GETFL);
            fcntl(f->fd, F_SETFL, nowait ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
        }
    } else if (p->is_dir) {
        st = STATUS_INVALID_PARAMETER;
    } else if (read_message && !p->message_type) {
        st = STATUS_INVALID_PARAMETER; /* a byte pipe cannot be read in message mode */
    } else {
        p->read_message = read_message;
        p->nowait = nowait;
    }
    return st;
}

NTSTATUS nt_pipe_set_mode(HANDLE h, bool read_message, bool nowait)
{
    nt_file *f;
    NTSTATUS st = nt_file_get(h, &f);
    if (st != STATUS_SUCCESS)
        return st;
    st = nt_pipe_set_mode_of(f, read_message, nowait);
    nt_object_release(&f->hdr);
    return st;
}

/* ---- the NT calls: the pipe file system, anonymous pipes, NtCreateNamedPipeFile ---- */

/* What an OBJECT_ATTRIBUTES names in the pipe file system. */
enum nt_pipe_target_kind {
    NT_PIPE_T_NONE,   /* not a pipe: the caller's usual path */
    NT_PIPE_T_NAME,   /* a pipe name (name, len > 0) */
    NT_PIPE_T_ROOT,   /* the root directory by its path (\??\PIPE\, \Device\NamedPipe\) */
    NT_PIPE_T_DEVICE, /* the device (\??\PIPE, \Device\NamedPipe): names nothing under it */
    NT_PIPE_T_ANON,   /* an empty name under a root directory handle: an anonymous pipe */
    NT_PIPE_T_END,    /* an empty name under a pipe end's handle (root): its pipe */
    NT_PIPE_T_BAD,    /* a name under a pipe end or the device: STATUS_OBJECT_NAME_INVALID */
};
typedef struct nt_pipe_target {
    enum nt_pipe_target_kind kind;
    WCHAR *buf;             /* the name's characters (malloc'd) */
    const WCHAR *name;      /* NT_PIPE_T_NAME: the pipe's name within buf */
    size_t len;
    nt_file *root;          /* NT_PIPE_T_END: the end's file (referenced) */
    bool inherit;           /* OBJ_INHERIT */
    NTSTATUS attr_status;   /* NT_PIPE_T_NONE: what is wrong with the attributes, if anything */
} nt_pipe_target;

#define NT_OBJ_INHERIT_ATTR 0x2

static void nt_pipe_target_free(nt_pipe_target *t)
{
    free(t->buf);
    if (t->root)
        nt_object_release(&t->root->hdr);
}

/* Whether `w` (len characters) is `lit` (lowercase ASCII), ignoring case. */
static bool nt_pipe_name_is(const WCHAR *w, size_t len, const WCHAR *lit)
{
    size_t n = nt_wcslen(lit);
    if (len != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        WCHAR c = w[i] >= u'A' && w[i] <= u'Z' ? (WCHAR)(w[i] + 32) : w[i];
        if (c != lit[i])
            return false;
    }
    return true;
}

/* Reads and classifies `user_attr`. STATUS_SUCCESS with kind NT_PIPE_T_NONE for anything that
 * is not in the pipe file system, or when the attributes themselves are bad (the usual path
 * says what is wrong with them). */
static NTSTATUS nt_pipe_resolve(const OBJECT_ATTRIBUTES *user_attr, nt_pipe_target *t)
{
    OBJECT_ATTRIBUTES a;
    UNICODE_STRING us = {0};
    memset(t, 0, sizeof *t);
    t->attr_status = STATUS_ACCESS_VIOLATION;
    if (!user_attr || nt_copy_from_user(&a, user_attr, sizeof a) != 0 ||
        (a.ObjectName && nt_copy_from_user(&us, a.ObjectName, sizeof us) != 0))
        return STATUS_SUCCESS;
    t->attr_status = STATUS_INVALID_PARAMETER;
    if (a.Length != sizeof a || (us.Length & 1) || (!a.ObjectName && !a.RootDirectory))
        return STATUS_SUCCESS;
    t->attr_status = STATUS_OBJECT_NAME_INVALID;
    if (!a.RootDirectory && us.Length < 2 * 8) /* shorter than \??\pipe */
        return STATUS_SUCCESS;
    size_t len = us.Length / 2;
    if (len && !(t->buf = malloc(us.Length)))
        return STATUS_NO_MEMORY;
    if (len && nt_copy_from_user(t->buf, us.Buffer, us.Length) != 0) {
        free(t->buf);
        t->buf = NULL;
        t->attr_status = STATUS_ACCESS_VIOLATION;
        return STATUS_SUCCESS;
    }
    t->inherit = (a.Attributes & NT_OBJ_INHERIT_ATTR) != 0;
    if (a.RootDirectory) {
        nt_file *root;
        nt_pipe_end *rp;
        if (nt_file_get(a.RootDirectory, &root) != STATUS_SUCCESS)
            return STATUS_SUCCESS;
        if (!(rp = nt_pipe_of(root))) {
            nt_object_release(&root->hdr);
            return STATUS_SUCCESS;
        }
        if (rp->is_dir && rp->dir_root) {
            t->kind = len ? NT_PIPE_T_NAME : NT_PIPE_T_ANON;
            t->name = t->buf;
            t->len = len;
        } else if (!rp->is_dir && !len) {
            t->kind = NT_PIPE_T_END;
            t->root = root;
            return STATUS_SUCCESS;
        } else {
            t->kind = NT_PIPE_T_BAD;
        }
        nt_object_release(&root->hdr);
        return STATUS_SUCCESS;
    }
    if (nt_pipe_name_of(t->buf, len, &t->name, &t->len))
        t->kind = t->len ? NT_PIPE_T_NAME : NT_PIPE_T_ROOT;
    else if (len && (nt_pipe_name_is(t->buf, len, u"\\??\\pipe") ||
                     nt_pipe_name_is(t->buf, len, u"\\device\\namedpipe") ||
                     nt_pipe_name_is(t->buf, len, u"\\\\.\\pipe")))
        t->kind = NT_PIPE_T_DEVICE;
    return STATUS_SUCCESS;
}

/* A handle to the pipe file system (the root directory or the device). Its file is an
 * unconnected socket: it reads and writes nothing, and says "named pipe" for its device. */
static NTSTATUS nt_pipe_open_dir(bool root, uint32_t access, uint32_t options, bool inherit,
                                 HANDLE *out)
{
    nt_pipe_end *p = calloc(1, sizeof *p);
    if (!p)
        return STATUS_NO_MEMORY;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        free(p);
        return nt_status_from_errno(errno);
    }
    p->is_dir = true;
    p->dc_fd = -1;
    p->dir_root = root;
    p->sock_type = SOCK_STREAM;
    p->overlapped = !(options & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT));
    return nt_pipe_handle(fd, access, p, inherit, out);
}

/* A client end of the pipe whose end `rf` is (NtCreateFile relative to a pipe handle with an
 * empty name): that instance when it is a server listening in this process, connected directly
 * (a socket pair, one side at the instance's fd number); else another listening instance of
 * its name, by name. STATUS_PIPE_NOT_AVAILABLE: none listens. */
static NTSTATUS nt_pipe_open_relative(nt_file *rf, uint32_t access, uint32_t options,
                                      bool inherit, HANDLE *out)
{
    nt_pipe_end *rp = nt_pipe_of(rf);
    *out = NULL;
    pthread_mutex_lock(&nt_pipe_lock);
    nt_pipe_end *srv = NULL;
    if (rp->server && rp->listener)
        srv = nt_listener_free_end(rp->listener);
    else if (rp->server && __atomic_load_n(&rp->state, __ATOMIC_ACQUIRE) == NT_PIPE_STATE_LISTENING)
        srv = rp;
    char *key = !srv && rp->listener ? strdup(rp->listener->key) : NULL;
    if (srv && (((access & FILE_WRITE_DATA) && srv->config == NT_PIPE_OUTBOUND) ||
                ((access & FILE_READ_DATA) && srv->config == NT_PIPE_INBOUND))) {
        pthread_mutex_unlock(&nt_pipe_lock);
        return STATUS_ACCESS_DENIED; /* the server's sharing does not allow that direction */
    }
    int sv[2] = {-1, -1};
    NTSTATUS st = STATUS_PIPE_NOT_AVAILABLE;
    if (srv && socketpair(AF_UNIX, srv->sock_type | SOCK_CLOEXEC, 0, sv) != 0) {
        st = nt_status_from_errno(errno);
        srv = NULL;
    }
    int dc = -1;
    if (srv) {
        int own = nt_pipe_new_dc(srv);
        dc = own >= 0 ? fcntl(own, F_DUPFD_CLOEXEC, 0) : -1;
        int fl = fcntl(sv[0], F_GETFL);
        fcntl(sv[0], F_SETFL, srv->overlapped ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
        dup3(sv[0], srv->file->fd, O_CLOEXEC);
        close(sv[0]);
        free(srv->rest);
        srv->rest = NULL;
        srv->rest_len = srv->rest_off = 0;
        __atomic_store_n(&srv->state, NT_PIPE_STATE_CONNECTED, __ATOMIC_RELEASE);
        nt_async_fd_replaced(srv->file); /* a pending ConnectNamedPipe completes */
    }
    bool message = srv ? srv->message_type : false;
    nt_pipe_desc d = {.config = NT_PIPE_DUPLEX};
    if (srv) {
        d.config = (uint8_t)srv->config;
        d.in_size = srv->in_size;
        d.out_size = srv->out_size;
        d.max_instances = srv->max_instances;
        d.instances = srv->listener ? srv->listener->instances : 1;
    }
    pthread_mutex_unlock(&nt_pipe_lock);
    if (key) { /* a named pipe with no instance listening here: other processes' */
        WCHAR *w = nt_utf8_to_utf16(key, strlen(key), NULL);
        free(key);
        if (!w)
            return STATUS_NO_MEMORY;
        st = nt_pipe_open_client(w, nt_wcslen(w), access, options, inherit, out);
        free(w);
        return st == STATUS_OBJECT_NAME_NOT_FOUND ? STATUS_PIPE_NOT_AVAILABLE : st;
    }
    if (!srv)
        return st;
    return nt_pipe_client_handle(sv[1], dc, message ? SOCK_SEQPACKET : SOCK_STREAM, &d, access,
                                 options, inherit, out);
}

/* NtCreateFile in the pipe file system: true when `user_attr` names something there, with the
 * status in *st (and the handle in *out): a client end of a named pipe, of the pipe of a handle
 * (RootDirectory, empty name), or a handle to the pipe file system itself. */
bool nt_pipe_create_file(const OBJECT_ATTRIBUTES *user_attr, uint32_t access, uint32_t options,
                         HANDLE *out, NTSTATUS *st)
{
    nt_pipe_target t;
    *st = nt_pipe_resolve(user_attr, &t);
    if (*st != STATUS_SUCCESS)
        return true;
    switch (t.kind) {
    case NT_PIPE_T_NONE: /* (t holds the name's copy, and a root handle's file) */
        nt_pipe_target_free(&t);
        return false;
    case NT_PIPE_T_NAME:
        *st = nt_pipe_open_client(t.name, t.len, access, options, t.inherit, out);
        break;
    case NT_PIPE_T_ROOT:
    case NT_PIPE_T_ANON: /* the root directory again */
    case NT_PIPE_T_DEVICE:
        *st = nt_pipe_open_dir(t.kind != NT_PIPE_T_DEVICE, access, options, t.inherit, out);
        break;
    case NT_PIPE_T_END:
        *st = nt_pipe_open_relative(t.root, access, options, t.inherit, out);
        break;
    case NT_PIPE_T_BAD:
        *st = STATUS_OBJECT_NAME_INVALID;
        break;
    }
    nt_pipe_target_free(&t);
    return true;
}

#define NT_FILE_PIPE_MESSAGE_TYPE 1      /* FILE_PIPE_MESSAGE_TYPE (NamedPipeType) */
#define NT_FILE_PIPE_MESSAGE_MODE 1      /* FILE_PIPE_MESSAGE_MODE (ReadMode) */
#define NT_FILE_PIPE_COMPLETE_OPERATION 1 /* CompletionMode: PIPE_NOWAIT */

NTSTATUS NTAPI NtCreateNamedPipeFile(HANDLE *handle, uint32_t access, OBJECT_ATTRIBUTES *attr,
                                     IO_STATUS_BLOCK *io, uint32_t sharing, uint32_t disposition,
                                     uint32_t options, uint32_t pipe_type, uint32_t read_mode,
                                     uint32_t completion_mode, uint32_t max_instances,
                                     uint32_t inbound_quota, uint32_t outbound_quota,
                                     LARGE_INTEGER *timeout)
{
    HANDLE h = NULL;
    LARGE_INTEGER to = {0};
    const uint32_t sync = FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT;
    if (nt_copy_to_user(handle, &h, sizeof h) != 0 || !nt_probe_write(io, sizeof *io) ||
        (timeout && nt_copy_from_user(&to, timeout, sizeof to) != 0))
        return STATUS_ACCESS_VIOLATION;
    /* (a pipe's sharing is its direction: read, write or both, nothing else) */
    if ((disposition != FILE_CREATE && disposition != FILE_OPEN && disposition != FILE_OPEN_IF) ||
        !sharing || (sharing & ~(uint32_t)(FILE_SHARE_READ | FILE_SHARE_WRITE)) ||
        !timeout || to.QuadPart >= 0 || /* a default wait, relative (negative) */
        pipe_type > NT_FILE_PIPE_MESSAGE_TYPE || read_mode > NT_FILE_PIPE_MESSAGE_MODE ||
        completion_mode > NT_FILE_PIPE_COMPLETE_OPERATION || !max_instances ||
        (read_mode == NT_FILE_PIPE_MESSAGE_MODE && pipe_type != NT_FILE_PIPE_MESSAGE_TYPE) ||
        (options & sync) == sync || ((options & sync) && !(access & SYNCHRONIZE)) ||
        (options & ~(uint32_t)(sync | FILE_WRITE_THROUGH))) /* FILE_VALID_PIPE_OPTION_FLAGS */
        return STATUS_INVALID_PARAMETER;
    nt_pipe_target t;
    NTSTATUS st = nt_pipe_resolve(attr, &t);
    if (st != STATUS_SUCCESS)
        return st;
    nt_pipe_params pp = {
        .access = access,
        .message_type = pipe_type == NT_FILE_PIPE_MESSAGE_TYPE,
        .read_message = read_mode == NT_FILE_PIPE_MESSAGE_MODE,
        .nowait = completion_mode == NT_FILE_PIPE_COMPLETE_OPERATION,
        .first_instance = disposition == FILE_CREATE,
        .inherit = t.inherit,
        /* instances beyond 254 (-1: unlimited) are unlimited here */
        .max_instances = max_instances >= 255 ? 255 : max_instances,
        .out_size = outbound_quota,
        .in_size = inbound_quota,
        .overlapped = !(options & sync),
        .share = sharing,
        .must_exist = disposition == FILE_OPEN,
        /* (relative, in 100 ns units; checked negative above) */
        .default_wait_ms = -to.QuadPart / 10000 >= UINT32_MAX
                               ? UINT32_MAX
                               : (uint32_t)((-to.QuadPart + 9999) / 10000),
    };
    bool created = true;
    switch (t.kind) {
    case NT_PIPE_T_NAME:
        st = nt_pipe_new_server(t.name, t.len, &pp, &h, &created);
        break;
    case NT_PIPE_T_ANON: /* a new pipe no one can open by name: FILE_OPEN finds none */
        st = pp.must_exist ? STATUS_OBJECT_NAME_NOT_FOUND
                           : nt_pipe_new_server(NULL, 0, &pp, &h, &created);
        break;
    default: /* the file system itself, the device, a name under a pipe, a disk path */
        st = t.kind == NT_PIPE_T_NONE ? t.attr_status : STATUS_OBJECT_NAME_INVALID;
        break;
    }
    nt_pipe_target_free(&t);
    if (st != STATUS_SUCCESS)
        return st;
    if (nt_copy_to_user(handle, &h, sizeof h) != 0) {
        nt_handle_close(h);
        return STATUS_ACCESS_VIOLATION;
    }
    IO_STATUS_BLOCK v = {.Status = STATUS_SUCCESS, .Information = created ? FILE_CREATED
                                                                          : FILE_OPENED};
    if (nt_copy_to_user(io, &v, sizeof v) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

/* ---- NtFsControlFile and the pipe information classes ---- */

#define NT_FSCTL_PIPE_DISCONNECT 0x110004
#define NT_FSCTL_PIPE_LISTEN 0x110008
#define NT_FSCTL_PIPE_PEEK 0x11400c
#define NT_FSCTL_PIPE_TRANSCEIVE 0x11c017
#define NT_FSCTL_PIPE_WAIT 0x110018
#define NT_FILE_PIPE_CLOSING_STATE 4
#define NT_FILE_PIPE_SERVER_END 1
#define NT_PEEK_HEADER 16 /* FILE_PIPE_PEEK_BUFFER up to Data */
#define NT_WAIT_HEADER 14 /* FILE_PIPE_WAIT_FOR_BUFFER up to Name */
#define NT_FilePipeInformation 23
#define NT_FilePipeLocalInformation 24
#define NT_FilePipeRemoteInformation 25
#ifndef STATUS_INVALID_PIPE_STATE
#define STATUS_INVALID_PIPE_STATE ((NTSTATUS)0xC00000AD)
#endif
#ifndef STATUS_NOT_A_REPARSE_POINT
#define STATUS_NOT_A_REPARSE_POINT ((NTSTATUS)0xC0000275)
#endif

/* An anonymous pipe made by CreatePipe (a Linux FIFO, no nt_pipe_end). */
static bool nt_pipe_is_fifo(nt_file *f)
{
    struct stat sb;
    return fstat(f->fd, &sb) == 0 && S_ISFIFO(sb.st_mode);
}

/* The end's state as FilePipeLocalInformation and PEEK say it: a connected end whose other
 * end has gone is closing. */
static uint32_t nt_pipe_state_of(nt_file *f, nt_pipe_end *p)
{
    uint32_t state = p ? (uint32_t)nt_pipe_refresh_state(p) : NT_PIPE_STATE_CONNECTED;
    if (state == NT_PIPE_STATE_CONNECTED) {
        struct pollfd pfd = {.fd = f->fd, .events = p ? POLLRDHUP : POLLIN};
        if (poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLHUP | POLLRDHUP | POLLERR)))
            state = NT_FILE_PIPE_CLOSING_STATE;
    }
    return state;
}

/* The messages queued for a message pipe's end (NumberOfMessages): the one partly read, then
 * the socket's packets: the first by a plain peek, the others by peeking at the offset where
 * each begins (SO_PEEK_OFF). At an offset the kernel returns an empty packet only the first
 * time it is peeked at (an skb's "peeked" flag): afterwards it passes over it. So the empty
 * messages found behind the first one are remembered by offset (p->empties) and counted from
 * there; a read of the first message moves them up (nt_pipe_empties_taken). The record is
 * this end's: a copy of the handle that reads in another process leaves it stale. */
static uint32_t nt_pipe_count_messages(nt_file *f, nt_pipe_end *p)
{
    uint32_t count = p->rest_len ? 1 : 0;
    ssize_t n = nt_pipe_next_len(f->fd, true, false);
    if (n < 0) {
        p->nempties = 0; /* nothing queued */
        return count;
    }
    count++;
    int off = (int)(n < INT32_MAX ? n : INT32_MAX), none = -1;
    /* (at offset 0 the first message, peeked above, is passed over) */
    while (setsockopt(f->fd, SOL_SOCKET, SO_PEEK_OFF, &off, sizeof off) == 0) {
        n = recv(f->fd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
        if (n < 0 || n > INT32_MAX - off)
            break;
        if (n == 0) { /* an empty message seen for the first time */
            if (p->nempties == sizeof p->empties / sizeof p->empties[0])
                break;
            p->empties[p->nempties++] = (uint32_t)off;
            continue;
        }
        count++;
        off += (int)n;
    }
    setsockopt(f->fd, SOL_SOCKET, SO_PEEK_OFF, &none, sizeof none);
    return count + p->nempties;
}

/* The first message of the socket's queue, `len` bytes, has been read: the empty messages
 * remembered behind it move up, and the first of those right behind it is now the first. */
static void nt_pipe_empties_taken(nt_pipe_end *p, size_t len)
{
    bool head = false;
    uint32_t k = 0;
    for (uint32_t i = 0; i < p->nempties; i++) {
        if (p->empties[i] < len || (p->empties[i] == len && !head)) {
            head |= p->empties[i] == len;
            continue;
        }
        p->empties[k++] = p->empties[i] - (uint32_t)len;
    }
    p->nempties = k;
}

/* FSCTL_PIPE_PEEK: FILE_PIPE_PEEK_BUFFER then the data, into `out` (foreign). NumberOfMessages
 * and MessageLength are a message pipe's only (whatever its read mode), as in NPFS. */
static NTSTATUS nt_pipe_fsctl_peek(HANDLE h, nt_file *f, nt_pipe_end *p, uint8_t *out,
                                   uint32_t out_len, ULONG_PTR *info)
{
    if (nt_pipe_client_cut(p))
        return STATUS_PIPE_DISCONNECTED;
    if (out_len < NT_PEEK_HEADER)
        return STATUS_INFO_LENGTH_MISMATCH;
    if (p && nt_pipe_state_of(f, p) != NT_PIPE_STATE_CONNECTED &&
        nt_pipe_state_of(f, p) != NT_FILE_PIPE_CLOSING_STATE)
        return STATUS_INVALID_PIPE_STATE;
    if (!(f->access & FILE_READ_DATA))
        return STATUS_ACCESS_DENIED;
    uint32_t nread, avail, left;
    NTSTATUS st = nt_pipe_peek(h, out + NT_PEEK_HEADER, out_len - NT_PEEK_HEADER, &nread, &avail,
                               &left);
    if (st != STATUS_SUCCESS)
        return st;
    uint32_t hdr[4] = {nt_pipe_state_of(f, p), avail, 0, 0};
    if (p && p->message_type) {
        hdr[3] = left + nread; /* what is left of the first message */
        hdr[2] = nt_pipe_count_messages(f, p);
    }
    if (nt_copy_to_user(out, hdr, sizeof hdr) != 0)
        return STATUS_ACCESS_VIOLATION;
    *info = NT_PEEK_HEADER + nread;
    uint32_t first = p && p->message_type ? hdr[3] : avail;
    return nread < first ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

/* FSCTL_PIPE_TRANSCEIVE: one message out, one message back, on a message-mode end with
 * nothing unread. */
static NTSTATUS nt_pipe_fsctl_transceive(nt_file *f, nt_pipe_end *p, const void *in,
                                         uint32_t in_len, void *out, uint32_t out_len,
                                         ULONG_PTR *info)
{
    if ((f->access & (FILE_READ_DATA | FILE_WRITE_DATA)) != (FILE_READ_DATA | FILE_WRITE_DATA))
        return STATUS_ACCESS_DENIED;
    if (!p || p->is_dir)
        return p ? STATUS_PIPE_DISCONNECTED : STATUS_INVALID_PIPE_STATE;
    NTSTATUS st = nt_pipe_state_status(p);
    if (st != STATUS_SUCCESS)
        return st == STATUS_PIPE_LISTENING ? STATUS_INVALID_PIPE_STATE : st;
    if (!p->read_message || p->config != NT_PIPE_DUPLEX)
        return STATUS_INVALID_PIPE_STATE; /* ERROR_BAD_PIPE */
    struct pollfd pfd = {.fd = f->fd, .events = POLLIN};
    if (p->rest_len || (poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN)))
        return STATUS_PIPE_BUSY; /* a message waits to be read */
    size_t done = 0;
    st = nt_pipe_write(f, in, in_len, &done);
    if (st != STATUS_SUCCESS)
        return st;
    size_t got = 0;
    st = nt_pipe_read(f, out, out_len, &got);
    *info = got;
    return st;
}

/* FSCTL_PIPE_WAIT on the pipe file system's root: FILE_PIPE_WAIT_FOR_BUFFER names the pipe. */
static NTSTATUS nt_pipe_fsctl_wait(nt_pipe_end *p, const uint8_t *in, uint32_t in_len)
{
    if (!p || !p->is_dir || !p->dir_root)
        return STATUS_ILLEGAL_FUNCTION;
    struct {
        int64_t timeout;
        uint32_t name_len;
        uint8_t specified;
    } hdr;
    if (in_len < NT_WAIT_HEADER)
        return STATUS_INVALID_PARAMETER;
    if (nt_copy_from_user(&hdr, in, NT_WAIT_HEADER) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (hdr.name_len > in_len - NT_WAIT_HEADER || (hdr.name_len & 1))
        return STATUS_INVALID_PARAMETER;
    size_t n = hdr.name_len / sizeof(WCHAR);
    WCHAR *name = malloc((n + 1) * sizeof *name);
    if (!name)
        return STATUS_NO_MEMORY;
    if (nt_copy_from_user(name, in + NT_WAIT_HEADER, hdr.name_len) != 0) {
        free(name);
        return STATUS_ACCESS_VIOLATION;
    }
    /* no timeout given: the pipe's default, which the servers tell */
    int64_t ms = !hdr.specified ? NT_PIPE_WAIT_DEFAULT
                 : hdr.timeout == INT64_MIN ? -1
                 : hdr.timeout < 0 ? (-hdr.timeout + 9999) / 10000
                                   : 0; /* an absolute time: already passed or soon */
    NTSTATUS st = n ? nt_pipe_wait(name, n, ms) : STATUS_OBJECT_NAME_INVALID;
    free(name);
    return st;
}

/* The synchronous result of an FSCTL, delivered through nt_async_submit so that an event,
 * an APC or a completion port hears of it as of any completed request. */
typedef struct {
    NTSTATUS status;
    ULONG_PTR info;
} nt_fsctl_done;

static bool nt_fsctl_done_attempt(int fd, void *arg, NTSTATUS *status, ULONG_PTR *info)
{
    (void)fd;
    nt_fsctl_done *d = arg;
    *status = d->status;
    *info = d->info;
    return true;
}

NTSTATUS NTAPI NtFsControlFile(HANDLE h, HANDLE event, void *apc, void *apc_ctx,
                               IO_STATUS_BLOCK *io, uint32_t code, void *in, uint32_t in_len,
                               void *out, uint32_t out_len)
{
    nt_file *f;
    NTSTATUS st = nt_file_get(h, &f);
    if (st != STATUS_SUCCESS)
        return st;
    if (!nt_probe_write(io, sizeof *io) || !nt_probe_ioctl(code, in, in_len, out, out_len)) {
        nt_object_release(&f->hdr);
        return STATUS_ACCESS_VIOLATION;
    }
    nt_pipe_end *p = nt_pipe_of(f);
    bool fifo = !p && nt_pipe_is_fifo(f);
    nt_async_notify n = {.iosb = io, .event = event, .apc = apc, .apc_ctx = apc_ctx};
    nt_fsctl_done d = {STATUS_SUCCESS, 0};
    if (!p && !fifo) {
        /* a disk file (reparse points: ntemu/reparse.c) or a device: no other control */
        d.status = f->unix_path ? nt_reparse_fsctl(f, code, in, in_len, out, out_len, &d.info)
                                : STATUS_INVALID_DEVICE_REQUEST;
    } else if (code == NT_FSCTL_PIPE_LISTEN) {
        bool server = p && p->server && !p->is_dir;
        nt_object_release(&f->hdr);
        return server ? nt_pipe_listen(h, &n) : STATUS_ILLEGAL_FUNCTION;
    } else if (code == NT_FSCTL_PIPE_DISCONNECT) {
        d.status = p && p->is_dir          ? STATUS_PIPE_DISCONNECTED
                   : !p || !p->server ? STATUS_ILLEGAL_FUNCTION
                                      : nt_pipe_disconnect(h);
    } else if (code == NT_FSCTL_PIPE_PEEK) {
        d.status = p && p->is_dir ? STATUS_ILLEGAL_FUNCTION
                                  : nt_pipe_fsctl_peek(h, f, p, out, out_len, &d.info);
    } else if (code == NT_FSCTL_PIPE_TRANSCEIVE) {
        d.status = nt_pipe_fsctl_transceive(f, p, in, in_len, out, out_len, &d.info);
    } else if (code == NT_FSCTL_PIPE_WAIT) {
        d.status = nt_pipe_fsctl_wait(p, in, in_len);
    } else {
        d.status = STATUS_INVALID_DEVICE_REQUEST;
    }
    if (NT_ERROR(d.status)) { /* refused: nothing is notified, the status block untouched */
        nt_object_release(&f->hdr);
        return d.status;
    }
    nt_async_io aio = {.attempt = nt_fsctl_done_attempt, .arg = &d};
    bool notify = event || apc || apc_ctx;
    n.wait = !notify;
    st = nt_async_submit(f, &aio, &n, NULL);
    nt_object_release(&f->hdr);
    return st;
}

/* NtQueryInformationFile's pipe classes (FilePipeInformation, FilePipeLocalInformation,
 * FilePipeRemoteInformation) into buf (len bytes, zeroed); *used: the bytes filled. */
NTSTATUS nt_pipe_query_class(nt_file *f, uint32_t klass, uint8_t *buf, size_t len, size_t *used)
{
    nt_pipe_end *p = nt_pipe_of(f);
    if ((!p && !nt_pipe_is_fifo(f)) || (p && p->is_dir))
        return STATUS_INVALID_PARAMETER;
    if (nt_pipe_client_cut(p))
        return STATUS_PIPE_DISCONNECTED;
    uint32_t v[10] = {0};
    size_t size = klass == NT_FilePipeInformation        ? 8
                  : klass == NT_FilePipeLocalInformation ? 40
                                                         : 16;
    if (len < size) /* (the I/O manager's checks: the length, then the handle's access) */
        return STATUS_INFO_LENGTH_MISMATCH;
    if (!(f->access & FILE_READ_ATTRIBUTES))
        return STATUS_ACCESS_DENIED;
    switch (klass) {
    case NT_FilePipeInformation:
        v[0] = p && p->read_message;
        v[1] = p ? p->nowait : (fcntl(f->fd, F_GETFL) & O_NONBLOCK) != 0;
        break;
    case NT_FilePipeLocalInformation: {
        int queued = 0;
        ioctl(f->fd, FIONREAD, &queued);
        if (p) {
            v[0] = p->message_type;
            v[1] = p->config;
            v[2] = p->max_instances == 255 ? 0xffffffffu : p->max_instances;
            pthread_mutex_lock(&nt_pipe_lock);
            v[3] = p->listener ? p->listener->instances : p->server ? 1 : p->client_instances;
            pthread_mutex_unlock(&nt_pipe_lock);
            v[4] = p->in_size;
            v[5] = (uint32_t)(p->rest_len - p->rest_off) + (queued > 0 ? (uint32_t)queued : 0);
            v[6] = p->out_size;
            int unsent = 0;
            ioctl(f->fd, SIOCOUTQ, &unsent);
            v[7] = p->out_size > (uint32_t)unsent ? p->out_size - (uint32_t)unsent : 0;
            v[8] = nt_pipe_state_of(f, p);
            v[9] = p->server ? NT_FILE_PIPE_SERVER_END : 0;
        } else {
            int size_fifo = fcntl(f->fd, F_GETPIPE_SZ);
            v[0] = 0;
            v[1] = NT_PIPE_INBOUND; /* CreatePipe's pipe: the read end serves, clients write */
            v[2] = v[3] = 1;
            v[4] = v[6] = v[7] = size_fifo > 0 ? (uint32_t)size_fifo : 4096;
            v[5] = queued > 0 ? (uint32_t)queued : 0;
            v[8] = nt_pipe_state_of(f, NULL);
            v[9] = (f->access & FILE_READ_DATA) ? NT_FILE_PIPE_SERVER_END : 0;
        }
        break;
    }
    case NT_FilePipeRemoteInformation: /* a remote pipe's (collection over the network) */
        return STATUS_INVALID_PARAMETER;
    default:
        return STATUS_INVALID_INFO_CLASS;
    }
    memcpy(buf, v, size);
    *used = size;
    return STATUS_SUCCESS;
}

/* NtSetInformationFile FilePipeInformation: the read mode and the completion mode. */
NTSTATUS nt_pipe_set_class(nt_file *f, const uint8_t *buf, size_t len)
{
    if (!nt_pipe_of(f) && !nt_pipe_is_fifo(f))
        return STATUS_INVALID_PARAMETER;
    if (len < 8)
        return STATUS_INFO_LENGTH_MISMATCH;
    uint32_t v[2];
    memcpy(v, buf, sizeof v);
    if (v[0] > 1 || v[1] > 1)
        return STATUS_INVALID_PARAMETER;
    if (!(f->access & FILE_WRITE_ATTRIBUTES))
        return STATUS_ACCESS_DENIED;
    return nt_pipe_set_mode_of(f, v[0] == 1, v[1] == 1);
}

/* ---- a listening instance put into another process (DuplicateHandle into a child) ----
 * A named server end that waits for a client is served by this process's listener, which
 * the other process cannot use: it travels as "L<config>.<type>.<read mode>.<nowait>.
 * <overlapped>.<in>.<out>.<max>.<wait ms>.<name as UTF-16 hex>" and the other process makes a
 * listening instance of that name of its own (PostgreSQL's postmaster creates each child's
 * signal pipe and hands it over so; the child then waits in ConnectNamedPipe). False: not such
 * an end (it travels as its fd), or its name is too long for buf. */
bool nt_pipe_export_listening(nt_file *f, char *buf, size_t size)
{
    nt_pipe_end *p = nt_pipe_of(f);
    if (!p || !p->server || !p->listener || !f->nt_name || f->nt_name[0] != u'\\' ||
        __atomic_load_n(&p->state, __ATOMIC_ACQUIRE) != NT_PIPE_STATE_LISTENING)
        return false;
    int n = snprintf(buf, size, "L%u.%d.%d.%d.%d.%u.%u.%u.%u.", p->config, p->message_type,
                     p->read_message, p->nowait, p->overlapped, p->in_size, p->out_size,
                     p->max_instances, p->listener->default_wait_ms);
    if (n < 0 || (size_t)n >= size)
        return false;
    for (const WCHAR *w = f->nt_name + 1; *w; w++) {
        if ((size_t)n + 5 >= size)
            return false;
        n += snprintf(buf + n, size - (size_t)n, "%04x", (unsigned)*w);
    }
    return true;
}

NTSTATUS nt_pipe_import_listening(const char *desc, uint32_t access, nt_object **out)
{
    unsigned config, in, out_size, maxi, wait_ms;
    int msg, rmsg, nowait, ovl, used = 0;
    *out = NULL;
    if (sscanf(desc, "L%u.%d.%d.%d.%d.%u.%u.%u.%u.%n", &config, &msg, &rmsg, &nowait, &ovl, &in,
               &out_size, &maxi, &wait_ms, &used) != 9 || !used)
        return STATUS_INVALID_PARAMETER;
    const char *hex = desc + used;
    size_t len = strlen(hex) / 4;
    WCHAR *name = calloc(len + 1, sizeof *name);
    if (!name)
        return STATUS_NO_MEMORY;
    for (size_t i = 0; i < len; i++) {
        unsigned v;
        char four[5] = {hex[4 * i], hex[4 * i + 1], hex[4 * i + 2], hex[4 * i + 3], 0};
        sscanf(four, "%x", &v);
        name[i] = (WCHAR)v;
    }
    nt_pipe_params pp = {
        .access = access, .message_type = msg, .read_message = rmsg, .nowait = nowait,
        .max_instances = maxi, .out_size = out_size, .in_size = in, .overlapped = ovl,
        .share = config == NT_PIPE_DUPLEX     ? FILE_SHARE_READ | FILE_SHARE_WRITE
                 : config == NT_PIPE_OUTBOUND ? FILE_SHARE_READ
                                              : FILE_SHARE_WRITE,
        .default_wait_ms = wait_ms};
    HANDLE h;
    bool created;
    NTSTATUS st = nt_pipe_new_server(name, len, &pp, &h, &created);
    free(name);
    if (st != STATUS_SUCCESS)
        return st;
    st = nt_handle_get(h, NT_OBJ_FILE, out);
    nt_handle_close(h);
    return st;
}
