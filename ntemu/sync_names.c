/* SPDX-License-Identifier: MIT */
/* Named events, semaphores and mutants across processes: CreateMutexW/OpenMutexW (and the
 * event and semaphore calls) with one name in two ntrun processes of the user name one object.
 *
 * The namespace is the session's, as Windows keeps a session's names apart ("Local\", or no
 * prefix): the processes of one Linux session (a terminal's login, a CI job), so programs of
 * two sessions (two test runs side by side) do not meet; "Global\" names are the user's, in
 * every session.
 *
 * Every process that has such an object under a name offers it to the others: an AF_UNIX
 * SOCK_SEQPACKET socket in the abstract namespace, "ntrun-obj-<uid>-<session>-<hash>-<slot>"
 * (session: the Linux session id, 0 for "Global\"; hash: XXH3-128 of the upper-cased name;
 * slot: the first of NT_XNAME_SLOTS free), served by a thread of its
 * own (native, signals blocked) while the object lives there. A process that does not find the
 * name among its own objects asks each slot in turn; the first that answers sends the object as
 * it travels to another process (process_remote.c: its state moves into an eventfd, a mutant's
 * abandonment into a shared page; ntemu/sync.c), after comparing the name exactly (or without
 * case, as the asker asked) and the type (STATUS_OBJECT_TYPE_MISMATCH). As every holder offers
 * it, the name lives as long as some process has the object, as on Windows; a name whose
 * holders all have their slots taken by others of the same hash (more than NT_XNAME_SLOTS
 * processes at once) is found through the first ones. The names are visible to every user of
 * the network namespace: both sides check the other's uid (SO_PEERCRED).
 *
 * A mutant owned by a thread of a process that ends (its exit hooks, TerminateProcess from
 * another process, a signal: its waiters watch it, sync.c) is abandoned: the next owner, in
 * whatever process, gets WAIT_ABANDONED. Waitable timers travel too (timer.c). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"
#define XXH_INLINE_ALL /* Debian's libxxhash-dev, header-only */
#include <xxhash.h>

#define NT_XNAME_SLOTS 8
#define NT_XNAME_MAX 512 /* characters of a name offered */

struct nt_xname {
    pthread_mutex_t lock;
    nt_sync *obj; /* lock: NULL once the object has gone */
    int lfd;
    int refs;     /* lock: the object's and the thread's */
};

typedef struct xname_req {
    uint32_t type;
    uint32_t icase;
    uint32_t len; /* characters of the name that follows */
} xname_req;

typedef struct xname_rep {
    NTSTATUS status;
    char desc[60];
} xname_rep;

static socklen_t xname_addr(const WCHAR *name, size_t len, int slot, struct sockaddr_un *a)
{
    WCHAR up[NT_XNAME_MAX];
    for (size_t i = 0; i < len; i++)
        up[i] = name[i] >= 'a' && name[i] <= 'z' ? (WCHAR)(name[i] - 32) : name[i];
    XXH128_hash_t h = XXH3_128bits(up, len * sizeof *up);
    static const WCHAR global[] = u"GLOBAL\\";
    static pid_t session = -1;
    if (session < 0)
        session = getsid(0); /* (no Windows program can leave its session) */
    pid_t scope = len >= 7 && !memcmp(up, global, 7 * sizeof *up) ? 0 : session;
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    int n = snprintf(a->sun_path + 1, sizeof a->sun_path - 1,
                     "ntrun-obj-%u-%d-%016llx%016llx-%d", (unsigned)getuid(), (int)scope,
                     (unsigned long long)h.high64, (unsigned long long)h.low64, slot);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
}

static bool xname_peer_is_user(int fd)
{
    struct ucred cr;
    socklen_t len = sizeof cr;
    return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0 && cr.uid == getuid();
}

static void xname_unref(struct nt_xname *x)
{
    pthread_mutex_lock(&x->lock);
    bool last = --x->refs == 0;
    pthread_mutex_unlock(&x->lock);
    if (last) {
        close(x->lfd);
        pthread_mutex_destroy(&x->lock);
        free(x);
    }
}

static bool xname_same(const nt_sync *s, const WCHAR *name, size_t len, bool icase)
{
    return s->name_len == len &&
           (icase ? nt_wcsicmp_n(s->name, len, name, len) == 0
                  : memcmp(s->name, name, len * sizeof *name) == 0);
}

/* One request: the object, if it is ours under that name. */
static void xname_answer(struct nt_xname *x, int fd)
{
    uint8_t in[sizeof(xname_req) + NT_XNAME_MAX * sizeof(WCHAR)];
    xname_req req;
    xname_rep rep = {STATUS_OBJECT_NAME_NOT_FOUND, ""};
    int fds[2] = {-1, -1};
    struct pollfd p = {.fd = fd, .events = POLLIN};
    ssize_t n = xname_peer_is_user(fd) && poll(&p, 1, 2000) > 0
                    ? recv(fd, in, sizeof in, MSG_DONTWAIT)
                    : -1;
    if (n < (ssize_t)sizeof req)
        return;
    memcpy(&req, in, sizeof req);
    if (req.len > NT_XNAME_MAX || (size_t)n != sizeof req + req.len * sizeof(WCHAR))
        return;
    WCHAR name[NT_XNAME_MAX];
    memcpy(name, in + sizeof req, req.len * sizeof(WCHAR));
    nt_object *o = NULL;
    pthread_mutex_lock(&x->lock);
    if (x->obj && xname_same(x->obj, name, req.len, req.icase != 0) &&
        nt_object_try_ref(&x->obj->hdr)) /* (not if it is being destroyed) */
        o = &x->obj->hdr;
    pthread_mutex_unlock(&x->lock);
    if (o && o->type != req.type)
        rep.status = STATUS_OBJECT_TYPE_MISMATCH;
    else if (o && nt_object_export(o, rep.desc, sizeof rep.desc, fds))
        rep.status = STATUS_SUCCESS;
    else if (o)
        rep.status = STATUS_INSUFFICIENT_RESOURCES;
    if (o)
        nt_object_release(o);
    union {
        char buf[CMSG_SPACE(sizeof(int) * NT_RC_FDS_MAX)];
        struct cmsghdr align;
    } u;
    struct iovec iov = {&rep, sizeof rep};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
    int nfds = fds[1] >= 0 ? 2 : fds[0] >= 0 ? 1 : 0;
    nt_rc_put_fds(&mh, u.buf, fds, nfds);
    (void)!sendmsg(fd, &mh, MSG_NOSIGNAL);
    for (int i = 0; i < 2; i++)
        if (fds[i] >= 0)
            close(fds[i]);
}

static void *xname_serve(void *arg)
{
    struct nt_xname *x = arg;
    for (;;) {
        int fd = accept4(x->lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            break; /* withdrawn (shut down) */
        }
        xname_answer(x, fd);
        close(fd);
    }
    xname_unref(x);
    return NULL;
}

void nt_xname_offer(nt_sync *s)
{
    nt_obj_type t = s->hdr.type;
    if ((t != NT_OBJ_EVENT && t != NT_OBJ_SEMAPHORE && t != NT_OBJ_MUTANT && t != NT_OBJ_TIMER) ||
        !s->name ||
        s->name_len > NT_XNAME_MAX)
        return;
    pthread_mutex_lock(&nt_wait_lock);
    bool offered = s->xname != NULL;
    pthread_mutex_unlock(&nt_wait_lock);
    if (offered)
        return;
    struct nt_xname *x = calloc(1, sizeof *x);
    int lfd = x ? socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0) : -1;
    bool bound = false;
    for (int slot = 0; lfd >= 0 && slot < NT_XNAME_SLOTS && !bound; slot++) {
        struct sockaddr_un a;
        socklen_t len = xname_addr(s->name, s->name_len, slot, &a);
        bound = bind(lfd, (struct sockaddr *)&a, len) == 0;
    }
    if (!bound || listen(lfd, 16) != 0) {
        if (lfd >= 0)
            close(lfd);
        free(x);
        return; /* every slot taken: the others are found through their holders */
    }
    pthread_mutex_init(&x->lock, NULL);
    x->obj = s;
    x->lfd = lfd;
    x->refs = 2;
    pthread_mutex_lock(&nt_wait_lock);
    if (!s->xname) {
        s->xname = x;
        x = NULL;
    }
    pthread_mutex_unlock(&nt_wait_lock);
    if (x) { /* another thread offered it meanwhile */
        x->refs = 1;
        xname_unref(x);
        return;
    }
    if (rt_service_thread_start(xname_serve, s->xname, 64 * 1024, false) != 0)
        xname_unref(s->xname); /* (the thread's reference) */
}

void nt_xname_withdraw(nt_sync *s)
{
    struct nt_xname *x = s->xname;
    if (!x)
        return;
    s->xname = NULL;
    pthread_mutex_lock(&x->lock);
    x->obj = NULL;
    shutdown(x->lfd, SHUT_RDWR); /* the thread's accept ends */
    pthread_mutex_unlock(&x->lock);
    xname_unref(x);
}

NTSTATUS nt_xname_find(nt_obj_type type, const WCHAR *name, size_t len, bool icase,
                       nt_object **out)
{
    *out = NULL;
    if (len > NT_XNAME_MAX)
        return STATUS_OBJECT_NAME_NOT_FOUND;
    NTSTATUS st = STATUS_OBJECT_NAME_NOT_FOUND;
    uint8_t req[sizeof(xname_req) + NT_XNAME_MAX * sizeof(WCHAR)];
    xname_req head = {(uint32_t)type, icase, (uint32_t)len};
    memcpy(req, &head, sizeof head);
    memcpy(req + sizeof head, name, len * sizeof *name);
    for (int slot = 0; slot < NT_XNAME_SLOTS && st == STATUS_OBJECT_NAME_NOT_FOUND; slot++) {
        struct sockaddr_un a;
        socklen_t alen = xname_addr(name, len, slot, &a);
        int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (fd < 0)
            break;
        xname_rep rep;
        int fds[NT_RC_FDS_MAX], nfds = 0;
        union {
            char buf[CMSG_SPACE(sizeof(int) * NT_RC_FDS_MAX)];
            struct cmsghdr align;
        } u;
        struct iovec iov = {&rep, sizeof rep};
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                            .msg_controllen = sizeof u.buf};
        struct pollfd p = {.fd = fd, .events = POLLIN};
        ssize_t n = -1;
        if (connect(fd, (struct sockaddr *)&a, alen) == 0 && xname_peer_is_user(fd) &&
            send(fd, req, sizeof head + len * sizeof *name, MSG_NOSIGNAL) > 0 &&
            poll(&p, 1, 5000) > 0) {
            n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
            if (n > 0)
                nfds = nt_rc_take_fds(&mh, fds, NT_RC_FDS_MAX);
        }
        close(fd);
        if (n == (ssize_t)sizeof rep && rep.status == STATUS_SUCCESS && nfds > 0) {
            int two[2] = {fds[0], nfds > 1 ? fds[1] : -1};
            rep.desc[sizeof rep.desc - 1] = 0;
            st = nt_object_import(rep.desc, two, 0, out);
            for (int i = 0; i < 2; i++)
                if (two[i] >= 0)
                    close(two[i]);
            for (int i = 2; i < nfds; i++)
                close(fds[i]);
        } else {
            for (int i = 0; i < nfds; i++)
                close(fds[i]);
            if (n == (ssize_t)sizeof rep && rep.status == STATUS_OBJECT_TYPE_MISMATCH)
                st = rep.status;
        }
    }
    return st;
}
