/* SPDX-License-Identifier: MIT */
/* Named pipes (\\.\pipe\NAME): server instances, client ends, message and byte modes, and the
 * pipe queries shared with anonymous pipes (peek, information).
 *
 * A pipe name is a Unix socket in a per-user runtime directory ($XDG_RUNTIME_DIR/ntrun-pipes,
 * else /tmp/ntrun-pipes-UID), so clients in other ntrun processes find it: the lowercased name
 * when it is short and plain, else "h-" and a hash of it. Byte pipes are SOCK_STREAM sockets,
 * message pipes (PIPE_TYPE_MESSAGE) SOCK_SEQPACKET ones, whose packets keep the message
 * boundaries. A client tries both types (connect fails with EPROTOTYPE on the other).
 *
 * All instances of a name in this process share one listening socket (nt_pipe_listener),
 * bound while at least one instance exists; a lock file beside it (flock) says which process
 * serves the name, so a stale socket left by a process that died is replaced, and another
 * process's instances make CreateNamedPipe fail with ERROR_PIPE_BUSY (Windows would let two
 * processes share instances; that is not done). An instance is an nt_file whose fd number
 * stays fixed: an unconnected socket while it listens, the accepted connection (dup2 over the
 * same number) once ConnectNamedPipe has a client, an unconnected socket again after
 * DisconnectNamedPipe.
 *
 * A read in message mode returns one message; when it does not fit, the rest waits in the
 * end's buffer and the read ends with STATUS_BUFFER_OVERFLOW (ERROR_MORE_DATA) and the bytes
 * that fitted, as Windows does. Everything is synchronous; the state each call needs is in
 * nt_pipe_end so overlapped completion can be added around it. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"

typedef struct nt_pipe_listener {
    char *key;               /* the lowercased name (UTF-8) */
    char sock_path[108];
    int fd;                  /* the listening socket */
    int lock_fd;             /* the flock'd lock file */
    int sock_type;
    uint32_t instances, max_instances;
    uint32_t out_size, in_size;
    struct nt_pipe_listener *next;
} nt_pipe_listener;

struct nt_pipe_end {
    nt_pipe_listener *listener; /* server ends; NULL for a client */
    int state;                  /* NT_PIPE_STATE_* */
    bool message_type;          /* PIPE_TYPE_MESSAGE */
    bool read_message;          /* PIPE_READMODE_MESSAGE */
    bool nowait;                /* PIPE_NOWAIT */
    uint32_t out_size, in_size, max_instances;
    char *rest;                 /* the unread part of a message */
    size_t rest_len, rest_off;
};

static pthread_mutex_t nt_pipe_lock = PTHREAD_MUTEX_INITIALIZER;
static nt_pipe_listener *nt_pipe_listeners;

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

static void nt_pipe_sock_path(const char *key, char *out, size_t size, const char *suffix)
{
    bool plain = strlen(key) <= 48 && *key;
    for (const char *p = key; plain && *p; p++)
        plain = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' ||
                *p == '_' || *p == '-';
    if (plain && strcmp(key, ".") && strcmp(key, "..")) {
        snprintf(out, size, "%s/%s%s", nt_pipe_dir(), key, suffix);
        return;
    }
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
    for (const char *p = key; *p; p++)
        h = (h ^ (uint8_t)*p) * 0x100000001b3ull;
    snprintf(out, size, "%s/h-%016llx%s", nt_pipe_dir(), (unsigned long long)h, suffix);
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

/* ---- ends ---- */

static nt_pipe_end *nt_pipe_of(nt_file *f) { return nt_file_ext_of(f)->pipe; }

void nt_pipe_end_free(nt_pipe_end *p)
{
    if (!p)
        return;
    nt_pipe_listener *l = p->listener;
    if (l) {
        pthread_mutex_lock(&nt_pipe_lock);
        if (--l->instances == 0) {
            for (nt_pipe_listener **q = &nt_pipe_listeners; *q; q = &(*q)->next)
                if (*q == l) {
                    *q = l->next;
                    break;
                }
            unlink(l->sock_path);
            close(l->fd);
            close(l->lock_fd);
            free(l->key);
            free(l);
        }
        pthread_mutex_unlock(&nt_pipe_lock);
    }
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
    nt_file_ext_of(f)->pipe = p;
    NTSTATUS st = nt_handle_alloc_inherit(&f->hdr, inherit, out);
    nt_object_release(&f->hdr);
    return st;
}

/* ---- the server ---- */

static NTSTATUS nt_listener_open(const char *key, int sock_type, const nt_pipe_params *pp,
                                 nt_pipe_listener **out)
{
    for (nt_pipe_listener *l = nt_pipe_listeners; l; l = l->next)
        if (!strcmp(l->key, key)) {
            if (pp->first_instance)
                return STATUS_ACCESS_DENIED; /* FILE_FLAG_FIRST_PIPE_INSTANCE */
            if (l->sock_type != sock_type)
                return STATUS_ACCESS_DENIED;
            if (l->max_instances != 255 && l->instances >= l->max_instances)
                return STATUS_INSTANCE_NOT_AVAILABLE;
            *out = l;
            return STATUS_SUCCESS;
        }
    nt_pipe_listener *l = calloc(1, sizeof *l);
    char lock_path[160];
    if (!l || !(l->key = strdup(key))) {
        free(l);
        return STATUS_NO_MEMORY;
    }
    nt_pipe_sock_path(key, l->sock_path, sizeof l->sock_path, "");
    nt_pipe_sock_path(key, lock_path, sizeof lock_path, ".lock");
    l->lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (l->lock_fd < 0 || flock(l->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        NTSTATUS st = l->lock_fd < 0 ? nt_status_from_errno(errno) : STATUS_PIPE_BUSY;
        if (l->lock_fd >= 0)
            close(l->lock_fd);
        free(l->key);
        free(l);
        return st; /* another process serves this name */
    }
    unlink(l->sock_path); /* a stale socket of a process that has ended */
    l->fd = socket(AF_UNIX, sock_type | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    memcpy(sa.sun_path, l->sock_path, sizeof sa.sun_path);
    if (l->fd < 0 || bind(l->fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        listen(l->fd, pp->max_instances == 255 ? 64 : (int)pp->max_instances) != 0) {
        NTSTATUS st = nt_status_from_errno(errno);
        if (l->fd >= 0)
            close(l->fd);
        close(l->lock_fd);
        free(l->key);
        free(l);
        return st;
    }
    l->sock_type = sock_type;
    l->max_instances = pp->max_instances;
    l->next = nt_pipe_listeners;
    nt_pipe_listeners = l;
    *out = l;
    return STATUS_SUCCESS;
}

NTSTATUS nt_pipe_create_server(const WCHAR *name, size_t len, const nt_pipe_params *pp,
                               HANDLE *out)
{
    *out = NULL;
    if (pp->max_instances == 0 || pp->max_instances > 255)
        return STATUS_INVALID_PARAMETER;
    if (!len)
        return STATUS_OBJECT_NAME_INVALID;
    char *key = nt_pipe_key(name, len);
    nt_pipe_end *p = calloc(1, sizeof *p);
    if (!key || !p) {
        free(key);
        free(p);
        return STATUS_NO_MEMORY;
    }
    int type = pp->message_type ? SOCK_SEQPACKET : SOCK_STREAM;
    pthread_mutex_lock(&nt_pipe_lock);
    nt_pipe_listener *l = NULL;
    NTSTATUS st = nt_listener_open(key, type, pp, &l);
    if (st == STATUS_SUCCESS)
        l->instances++;
    pthread_mutex_unlock(&nt_pipe_lock);
    free(key);
    if (st != STATUS_SUCCESS) {
        free(p);
        return st;
    }
    p->listener = l;
    p->state = NT_PIPE_STATE_LISTENING;
    p->message_type = pp->message_type;
    p->read_message = pp->read_message;
    p->nowait = pp->nowait;
    p->out_size = pp->out_size;
    p->in_size = pp->in_size;
    p->max_instances = pp->max_instances;
    /* Until a client comes: an unconnected socket at the fd number the instance keeps. */
    int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        nt_pipe_end_free(p);
        return nt_status_from_errno(errno);
    }
    return nt_pipe_handle(fd, pp->access, p, pp->inherit, out);
}

NTSTATUS nt_pipe_listen(HANDLE h)
{
    nt_file *f;
    NTSTATUS st = nt_file_get(h, &f);
    if (st != STATUS_SUCCESS)
        return st;
    nt_pipe_end *p = nt_pipe_of(f);
    if (!p || !p->listener) {
        nt_object_release(&f->hdr);
        return STATUS_INVALID_PARAMETER; /* not a server end: ERROR_INVALID_PARAMETER */
    }
    if (p->state == NT_PIPE_STATE_CONNECTED) {
        nt_object_release(&f->hdr);
        return STATUS_PIPE_CONNECTED;
    }
    /* A client that came before the call: ERROR_PIPE_CONNECTED, as on Windows. */
    int c = accept4(p->listener->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    st = c >= 0 ? STATUS_PIPE_CONNECTED : STATUS_SUCCESS;
    if (c < 0 && p->nowait) {
        nt_object_release(&f->hdr);
        return STATUS_PIPE_LISTENING;
    }
    if (c < 0) {
        struct pollfd pfd = {.fd = p->listener->fd, .events = POLLIN};
        for (;;) {
            int r = poll(&pfd, 1, -1);
            if (r < 0 && errno == EINTR && rt_thread_pending()) {
                nt_object_release(&f->hdr);
                rt_thread_check_pending();
                if ((st = nt_file_get(h, &f)) != STATUS_SUCCESS)
                    return st;
            }
            if (r < 0 && errno != EINTR) {
                nt_object_release(&f->hdr);
                return nt_status_from_errno(errno);
            }
            if (r <= 0)
                continue;
            c = accept4(p->listener->fd, NULL, NULL, SOCK_CLOEXEC);
            if (c >= 0)
                break;
            if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) {
                nt_object_release(&f->hdr);
                return nt_status_from_errno(errno);
            }
        }
    }
    int fl = fcntl(c, F_GETFL);
    fcntl(c, F_SETFL, fl & ~O_NONBLOCK);
    dup3(c, f->fd, O_CLOEXEC);
    close(c);
    p->state = NT_PIPE_STATE_CONNECTED;
    free(p->rest);
    p->rest = NULL;
    p->rest_len = p->rest_off = 0;
    nt_object_release(&f->hdr);
    return st;
}

NTSTATUS nt_pipe_disconnect(HANDLE h)
{
    nt_file *f;
    NTSTATUS st = nt_file_get(h, &f);
    if (st != STATUS_SUCCESS)
        return st;
    nt_pipe_end *p = nt_pipe_of(f);
    if (!p || !p->listener) {
        nt_object_release(&f->hdr);
        return STATUS_INVALID_PARAMETER;
    }
    int s = socket(AF_UNIX, p->listener->sock_type | SOCK_CLOEXEC, 0);
    if (s >= 0) {
        dup3(s, f->fd, O_CLOEXEC); /* drops the connection: the client's reads end */
        close(s);
    }
    p->state = NT_PIPE_STATE_DISCONNECTED;
    free(p->rest);
    p->rest = NULL;
    p->rest_len = p->rest_off = 0;
    nt_object_release(&f->hdr);
    return STATUS_SUCCESS;
}

/* ---- the client ---- */

NTSTATUS nt_pipe_open_client(const WCHAR *name, size_t len, uint32_t access, bool inherit,
                             HANDLE *out)
{
    *out = NULL;
    char *key = nt_pipe_key(name, len);
    if (!key)
        return STATUS_NO_MEMORY;
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    nt_pipe_sock_path(key, sa.sun_path, sizeof sa.sun_path, "");
    free(key);
    static const int types[2] = {SOCK_STREAM, SOCK_SEQPACKET};
    int fd = -1, err = ENOENT, type = 0;
    for (int i = 0; i < 2 && fd < 0; i++) {
        fd = socket(AF_UNIX, types[i] | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
            return nt_status_from_errno(errno);
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
            type = types[i];
            break;
        }
        err = errno;
        close(fd);
        fd = -1;
        if (err != EPROTOTYPE)
            break;
    }
    if (fd < 0)
        return err == EAGAIN ? STATUS_PIPE_NOT_AVAILABLE /* ERROR_PIPE_BUSY */
                             : STATUS_OBJECT_NAME_NOT_FOUND;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    nt_pipe_end *p = calloc(1, sizeof *p);
    if (!p) {
        close(fd);
        return STATUS_NO_MEMORY;
    }
    p->state = NT_PIPE_STATE_CONNECTED;
    p->message_type = type == SOCK_SEQPACKET;
    p->max_instances = 0;
    return nt_pipe_handle(fd, access, p, inherit, out);
}

NTSTATUS nt_pipe_wait(const WCHAR *name, size_t len, int64_t timeout_ms)
{
    char *key = nt_pipe_key(name, len);
    if (!key)
        return STATUS_NO_MEMORY;
    char path[160];
    nt_pipe_sock_path(key, path, sizeof path, "");
    free(key);
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISSOCK(sb.st_mode))
        return STATUS_OBJECT_NAME_NOT_FOUND;
    (void)timeout_ms; /* an instance exists: a connection may be tried */
    return STATUS_SUCCESS;
}

/* ---- I/O on an end ---- */

bool nt_pipe_is_named(nt_file *f) { return nt_pipe_of(f) != NULL; }

/* A client that connected to a listening instance before anyone called ConnectNamedPipe: on
 * Windows the instance is connected from then on (Rust's std creates its pipes this way). */
static void nt_pipe_adopt(nt_file *f, nt_pipe_end *p)
{
    if (p->state != NT_PIPE_STATE_LISTENING || !p->listener)
        return;
    int c = accept4(p->listener->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (c < 0)
        return;
    fcntl(c, F_SETFL, fcntl(c, F_GETFL) & ~O_NONBLOCK);
    dup3(c, f->fd, O_CLOEXEC);
    close(c);
    p->state = NT_PIPE_STATE_CONNECTED;
}

static NTSTATUS nt_pipe_state_status(nt_file *f, nt_pipe_end *p)
{
    nt_pipe_adopt(f, p);
    if (p->state == NT_PIPE_STATE_LISTENING)
        return STATUS_PIPE_LISTENING;
    if (p->state == NT_PIPE_STATE_DISCONNECTED)
        return STATUS_PIPE_DISCONNECTED;
    return STATUS_SUCCESS;
}

/* Bytes of the next message (message pipes) or all buffered bytes; -1 at the end. */
static ssize_t nt_pipe_next_len(int fd, bool message, bool block)
{
    if (message) {
        ssize_t n;
        do
            n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC | (block ? 0 : MSG_DONTWAIT));
        while (n < 0 && errno == EINTR && !rt_thread_pending());
        return n;
    }
    int avail = 0;
    return ioctl(fd, FIONREAD, &avail) == 0 ? avail : -1;
}

NTSTATUS nt_pipe_read(nt_file *f, void *buffer, uint32_t length, size_t *got)
{
    nt_pipe_end *p = nt_pipe_of(f);
    *got = 0;
    NTSTATUS st = nt_pipe_state_status(f, p);
    if (st != STATUS_SUCCESS)
        return st;
    if (!p->message_type && !p->rest_len)
        return STATUS_MORE_PROCESSING_REQUIRED; /* a plain read of the stream */
    if (!p->rest_len) {
        ssize_t n = nt_pipe_next_len(f->fd, true, !p->nowait);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return STATUS_PIPE_EMPTY; /* PIPE_NOWAIT: ERROR_NO_DATA */
        if (n < 0)
            return errno == EINTR ? STATUS_MORE_PROCESSING_REQUIRED : nt_status_from_errno(errno);
        if (n == 0) {
            char c;
            if (recv(f->fd, &c, 1, MSG_DONTWAIT) < 0 && errno == EAGAIN)
                return STATUS_SUCCESS; /* an empty message */
            return STATUS_PIPE_BROKEN;
        }
        if ((size_t)n <= length) {
            ssize_t r = recv(f->fd, buffer, (size_t)n, 0);
            if (r < 0)
                return errno == EFAULT ? STATUS_ACCESS_VIOLATION : nt_status_from_errno(errno);
            *got = (size_t)r;
            return STATUS_SUCCESS;
        }
        char *m = malloc((size_t)n);
        if (!m)
            return STATUS_NO_MEMORY;
        ssize_t r = recv(f->fd, m, (size_t)n, 0);
        if (r < 0) {
            free(m);
            return nt_status_from_errno(errno);
        }
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

NTSTATUS nt_pipe_write(nt_file *f, const void *buffer, uint32_t length, size_t *done)
{
    nt_pipe_end *p = nt_pipe_of(f);
    *done = 0;
    NTSTATUS st = nt_pipe_state_status(f, p);
    if (st != STATUS_SUCCESS)
        return st;
    rt_lazy_fill(buffer, length);
    while (*done < length || (!length && !*done)) {
        ssize_t n = send(f->fd, (const char *)buffer + *done, length - *done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno == EPIPE || errno == ECONNRESET ? STATUS_PIPE_CLOSING
                   : errno == EFAULT                     ? STATUS_ACCESS_VIOLATION
                                                         : nt_status_from_errno(errno);
        *done += (size_t)n;
        if (!length)
            break;
    }
    return STATUS_SUCCESS;
}

/* ---- queries (named and anonymous pipes) ---- */

NTSTATUS nt_pipe_peek(HANDLE h, void *buffer, uint32_t length, uint32_t *nread,
                      uint32_t *avail, uint32_t *left)
{
    nt_file *f;
    NTSTATUS st = nt_file_get(h, &f);
    *nread = *avail = *left = 0;
    if (st != STATUS_SUCCESS)
        return st;
    nt_pipe_end *p = nt_pipe_of(f);
    struct stat sb;
    if (!p && (fstat(f->fd, &sb) != 0 || !S_ISFIFO(sb.st_mode))) {
        nt_object_release(&f->hdr);
        return STATUS_INVALID_PARAMETER; /* not a pipe: ERROR_INVALID_FUNCTION on Windows */
    }
    if (p && (st = nt_pipe_state_status(f, p)) != STATUS_SUCCESS) {
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
            st = STATUS_PIPE_BROKEN;
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
    memset(info, 0, sizeof *info);
    NTSTATUS st = nt_file_get(h, &f);
    if (st != STATUS_SUCCESS)
        return st;
    nt_pipe_end *p = nt_pipe_of(f);
    struct stat sb;
    if (!p && (fstat(f->fd, &sb) != 0 || !S_ISFIFO(sb.st_mode))) {
        nt_object_release(&f->hdr);
        return STATUS_INVALID_PARAMETER;
    }
    if (p) {
        nt_pipe_adopt(f, p);
        info->server = p->listener != NULL;
        info->message_type = p->message_type;
        info->read_message = p->read_message;
        info->nowait = p->nowait;
        info->out_size = p->out_size;
        info->in_size = p->in_size;
        info->max_instances = p->listener ? p->max_instances : 0;
        info->state = p->state;
        pthread_mutex_lock(&nt_pipe_lock);
        info->instances = p->listener ? p->listener->instances : 0;
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

NTSTATUS nt_pipe_set_mode(HANDLE h, bool read_message, bool nowait)
{
    nt_file *f;
    NTSTATUS st = nt_file_get(h, &f);
    if (st != STATUS_SUCCESS)
        return st;
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
    } else if (read_message && !p->message_type) {
        st = STATUS_INVALID_PARAMETER; /* a byte pipe cannot be read in message mode */
    } else {
        p->read_message = read_message;
        p->nowait = nowait;
    }
    nt_object_release(&f->hdr);
    return st;
}

/* NtCreateFile on a pipe name opens a client end: true when `user_attr` names a pipe, with
 * the status in *st (and the handle in *out). */
bool nt_pipe_create_file(const OBJECT_ATTRIBUTES *user_attr, uint32_t access, HANDLE *out,
                         NTSTATUS *st)
{
    OBJECT_ATTRIBUTES a;
    UNICODE_STRING us;
    if (nt_copy_from_user(&a, user_attr, sizeof a) != 0 || a.Length != sizeof a ||
        a.RootDirectory || !a.ObjectName || nt_copy_from_user(&us, a.ObjectName, sizeof us) != 0 ||
        us.Length < 2 * 9 || (us.Length & 1))
        return false; /* NtCreateFile reports what is wrong */
    WCHAR *w = malloc(us.Length);
    if (!w || nt_copy_from_user(w, us.Buffer, us.Length) != 0) {
        free(w);
        return false;
    }
    const WCHAR *name;
    size_t len;
    bool pipe = nt_pipe_name_of(w, us.Length / 2, &name, &len);
    if (pipe)
        *st = len ? nt_pipe_open_client(name, len, access, (a.Attributes & 0x2) != 0, out)
                  : STATUS_OBJECT_NAME_INVALID;
    free(w);
    return pipe;
}
