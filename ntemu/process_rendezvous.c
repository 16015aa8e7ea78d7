/* SPDX-License-Identifier: MIT */
/* Finding another ntrun process of the user by its process id (OpenProcess, process handles
 * that travel): a listening AF_UNIX SOCK_SEQPACKET socket per process, in the abstract
 * namespace, named "ntrun-proc-<uid>-<pid>".
 *
 * An abstract name has no file: it exists while some fd of its socket is open and goes with the
 * last one, so a process that has ended (killed, crashed) leaves nothing behind, and a new
 * process that is given the same pid later binds the name afresh and is the one found (as
 * OpenProcess of a reused id finds the new process on Windows). The names are visible to every
 * user of the network namespace: the accepting side refuses a client of another uid and the
 * connecting side a listener of another uid (SO_PEERCRED), so the worst another user can do is
 * take a name first (that process then cannot be opened). There is no directory to create and
 * no file to clean up.
 *
 * Who listens (start-up makes no system call for this): a child of an ntrun process, whose
 * parent makes the socket before the spawn (the child inherits it), binds it to the child's pid
 * and listens right after posix_spawn returns, so the child can be found as soon as
 * CreateProcess returns, before its runtime has started; the child's runtime accepts on it
 * (nt_rdv_adopt). Any other process (a top-level one, a parent its grandchildren open) listens
 * when it is first asked for: a process that finds no listener at a pid checks that the process
 * is an ntrun process of the user that catches the runtime's thread signal and sends it that
 * signal tagged as a request (rt_defer_ask, runtime/defer.c); the process's handler starts
 * listening at once where the point it interrupted allows a thread to be started, else at its
 * next wait point or a safe point found within milliseconds (the deferred work of
 * runtime/defer.c), and the asker connects again meanwhile. A process also listens when it hands
 * a handle of itself to another one (nt_rdv_listen). So a process nobody opens makes no system
 * call and starts no thread for it, and nor does one that starts children.
 *
 * A connection says first what it is for, one byte; the listener answers both with a record
 * (running, or ended with its code):
 *   'W' a watch: kept open by this process, which writes the record {1, exit code} on it from
 *       its exit hook (or when another process terminates it); the other process learns the
 *       code from it and that the process has ended from the end of the connection (the
 *       kernel closes it when the process is gone). No thread serves it.
 *   'C' a control channel: served by the request server of process_remote.c (VM, handles,
 *       views, TerminateProcess), a thread for as long as the other process holds it. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"
#include "runtime/defer.h"
#include "runtime/kuser.h"

#define RDV_ANSWER_MS 5000 /* how long a client waits for the answer (a child still starting) */
#define RDV_KIND_MS 2000   /* how long the listener waits for a client's first byte */
#define RDV_NEW_MS 500     /* a process younger than this may not have run ntrun yet */

typedef struct rdv_rec {
    uint32_t ended;
    uint32_t code;
} rdv_rec;

static pthread_mutex_t rdv_lock = PTHREAD_MUTEX_INITIALIZER;
static int *rdv_watchers; /* rdv_lock: the watch connections */
static size_t rdv_nwatchers, rdv_cap;
static bool rdv_ended;    /* rdv_lock: the exit code has been told */
static uint32_t rdv_code;
/* 0 not listening, 1 being set up, 2 an accept thread runs, 3 cannot (the name is taken, no
 * thread): changed by compare-and-swap, no lock, as nt_rdv_listen may run in a signal handler
 * that interrupted this file's code (runtime/defer.c) */
static atomic_int rdv_state;

static socklen_t rdv_addr(pid_t pid, struct sockaddr_un *a)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    int n = snprintf(a->sun_path + 1, sizeof a->sun_path - 1, "ntrun-proc-%u-%d",
                     (unsigned)getuid(), (int)pid);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
}

static bool rdv_peer_is_user(int fd)
{
    struct ucred cr;
    socklen_t len = sizeof cr;
    return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0 && cr.uid == getuid();
}

/* Under rdv_lock: drops the watchers whose other end has gone (closed handles). */
static void rdv_prune(void)
{
    size_t k = 0;
    for (size_t i = 0; i < rdv_nwatchers; i++) {
        struct pollfd p = {.fd = rdv_watchers[i], .events = POLLIN};
        if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLIN)))
            close(rdv_watchers[i]);
        else
            rdv_watchers[k++] = rdv_watchers[i];
    }
    rdv_nwatchers = k;
}

/* Under rdv_lock: fd becomes a watcher (false: no memory; the caller closes it). */
static bool rdv_add_watcher(int fd)
{
    if (rdv_nwatchers == rdv_cap) {
        rdv_prune();
        if (rdv_nwatchers == rdv_cap) {
            size_t cap = rdv_cap ? rdv_cap * 2 : 8;
            int *w = realloc(rdv_watchers, cap * sizeof *w);
            if (!w)
                return false;
            rdv_watchers = w;
            rdv_cap = cap;
        }
    }
    rdv_watchers[rdv_nwatchers++] = fd;
    return true;
}

/* One accepted connection: its first byte says what for. */
static void rdv_serve_one(int fd)
{
    char kind = 0;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (!rdv_peer_is_user(fd) || poll(&p, 1, RDV_KIND_MS) <= 0 ||
        recv(fd, &kind, 1, MSG_DONTWAIT) != 1 || (kind != 'W' && kind != 'C')) {
        close(fd);
        return;
    }
    pthread_mutex_lock(&rdv_lock);
    rdv_rec rec = {rdv_ended, rdv_code};
    bool sent = send(fd, &rec, sizeof rec, MSG_NOSIGNAL) == (ssize_t)sizeof rec;
    bool keep = sent && !rdv_ended && kind == 'W' && rdv_add_watcher(fd);
    pthread_mutex_unlock(&rdv_lock);
    if (keep)
        return;
    if (sent && !rec.ended && kind == 'C')
        nt_rc_serve_start(fd); /* takes fd */
    else
        close(fd);
}

/* The accept thread (native, all signals blocked). A socket the parent made for a child may
 * not be listening yet when the child's runtime gets here (the parent listens right after the
 * spawn): EINVAL is waited out. */
static void *rdv_accept(void *arg)
{
    int lfd = (int)(intptr_t)arg;
    int not_yet = 0;
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EINVAL && not_yet++ < 5000) {
                struct timespec ts = {0, 1000000};
                nanosleep(&ts, NULL);
                continue;
            }
            break;
        }
        rdv_serve_one(fd);
    }
    close(lfd);
    return NULL;
}

/* With rdv_state 1 (ours): the accept thread on lfd, state 2; else 3. */
static void rdv_start(int lfd)
{
    if (lfd < 0 || rt_service_thread_start(rdv_accept, (void *)(intptr_t)lfd, 64 * 1024,
                                           false) != 0) {
        if (lfd >= 0)
            close(lfd);
        atomic_store(&rdv_state, 3);
        return;
    }
    atomic_store(&rdv_state, 2);
}

/* Ordinary context, or a signal handler where a thread may be started (rt_defer_run): takes no
 * lock, only the state's compare-and-swap. */
void nt_rdv_listen(void)
{
    int st = 0;
    if (!atomic_compare_exchange_strong(&rdv_state, &st, 1))
        return;
    struct sockaddr_un a;
    socklen_t len = rdv_addr(getpid(), &a);
    int lfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (lfd >= 0 && (bind(lfd, (struct sockaddr *)&a, len) != 0 || listen(lfd, 64) != 0)) {
        close(lfd); /* the name is taken (another user's?): this process cannot be opened */
        lfd = -1;
    }
    rdv_start(lfd);
}

void nt_rdv_init(void) { rt_defer_set(RT_DEFER_LISTEN, nt_rdv_listen); }

int nt_rdv_child_socket(void)
{
    return socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
}

void nt_rdv_child_bind(int fd, pid_t pid)
{
    struct sockaddr_un a;
    socklen_t len = rdv_addr(pid, &a);
    if (bind(fd, (struct sockaddr *)&a, len) == 0)
        listen(fd, 64);
}

void nt_rdv_adopt(int fd)
{
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    int st = 0;
    if (atomic_compare_exchange_strong(&rdv_state, &st, 1))
        rdv_start(fd);
    else
        close(fd);
}

int nt_rdv_watch_self(void)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return -1;
    pthread_mutex_lock(&rdv_lock);
    bool ok = !rdv_ended && rdv_add_watcher(sv[0]);
    pthread_mutex_unlock(&rdv_lock);
    if (!ok) {
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    return sv[1];
}

void nt_rdv_exiting(uint32_t code)
{
    pthread_mutex_lock(&rdv_lock);
    if (!rdv_ended) {
        rdv_ended = true;
        rdv_code = code;
        rdv_rec rec = {1, code};
        for (size_t i = 0; i < rdv_nwatchers; i++) /* non-blocking: a record always fits */
            (void)!send(rdv_watchers[i], &rec, sizeof rec, MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    pthread_mutex_unlock(&rdv_lock);
}

/* A connected socket to pid's rendezvous, or -1 with errno (ECONNREFUSED: nobody listens). */
static int rdv_try_connect(pid_t pid)
{
    struct sockaddr_un a;
    socklen_t len = rdv_addr(pid, &a);
    int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int r;
    while ((r = connect(fd, (struct sockaddr *)&a, len)) < 0 && errno == EINTR)
        ;
    if (r == 0)
        return fd;
    int e = errno;
    close(fd);
    errno = e;
    return -1;
}

/* The file our code is in (the ntrun CLI or libntrun), as /proc/self/maps names it. */
static bool rdv_own_object(char *path, size_t size)
{
    FILE *f = fopen("/proc/self/maps", "re");
    if (!f)
        return false;
    uintptr_t self = (uintptr_t)&rdv_own_object;
    char line[4096];
    bool found = false;
    while (!found && fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        int off = 0;
        if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %n", &lo, &hi, &off) >= 2 && off > 0 &&
            self >= lo && self < hi && line[off] == '/') {
            line[strcspn(line, "\n")] = 0;
            snprintf(path, size, "%s", line + off);
            found = true;
        }
    }
    fclose(f);
    return found;
}

/* Whether pid runs ntrun's code: the same executable as ours; or among its mappings the file
 * our code is in (a libntrun host that loads libntrun.so) or KUSER_SHARED_DATA's page at its
 * fixed address, which every ntrun run maps and other programs do not (a host linked with
 * libntrun.a). A process of another program is never sent the signal. */
static bool rdv_is_ntrun(pid_t pid)
{
    char path[64];
    struct stat mine, theirs;
    snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
    if (stat("/proc/self/exe", &mine) == 0 && stat(path, &theirs) == 0 &&
        mine.st_dev == theirs.st_dev && mine.st_ino == theirs.st_ino)
        return true;
    char own[4096], line[4096 + 128];
    if (!rdv_own_object(own, sizeof own))
        own[0] = 0;
    snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return false;
    bool found = false;
    size_t n = strlen(own);
    char kuser[32];
    int nk = snprintf(kuser, sizeof kuser, "%lx-", (unsigned long)RT_KUSER_ADDRESS);
    while (!found && fgets(line, sizeof line, f)) {
        char *p = strchr(line, '/');
        found = strncmp(line, kuser, (size_t)nk) == 0 ||
                (n && p && strncmp(p, own, n) == 0 && (p[n] == '\n' || p[n] == 0));
    }
    fclose(f);
    return found;
}

bool nt_rdv_is_ntrun(pid_t pid)
{
    return rdv_is_ntrun(pid);
}

/* Whether pid started less than RDV_NEW_MS ago (/proc/PID/stat's start time against the boot
 * clock): one that does not run ntrun yet may be between its fork and its exec of ntrun. */
static bool rdv_is_new(pid_t pid)
{
    unsigned long long f[NT_STAT_FIELDS + 1];
    struct timespec now;
    long hz = sysconf(_SC_CLK_TCK);
    if (hz <= 0 || !nt_proc_stat((unsigned)pid, f) || clock_gettime(CLOCK_BOOTTIME, &now) != 0)
        return false;
    long long age_ms = (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000 -
                       (long long)(f[22] * 1000 / (unsigned long long)hz);
    return age_ms < RDV_NEW_MS;
}

/* No listener at pid: asks the process to listen (rt_defer_ask) and connects again until it
 * does, it ends, or RDV_ANSWER_MS have passed. An ntrun process still starting, that does not
 * catch the signal yet, is asked as soon as it does, and a new process that has not run ntrun
 * yet (its fork's copy of a shell) is looked at again until it does or is RDV_NEW_MS old
 * (OpenProcess of a process that exists succeeds on Windows, however new: a shell's
 * `ntrun a.exe & ntrun b.exe $!` gave b 87 about one time in two). */
static int rdv_ask_and_connect(pid_t pid)
{
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0)
        return -1;
    int fd = -1;
    /* after the pidfd: a process found here is the pidfd's (or the pidfd's has ended) */
    while (!rdv_is_ntrun(pid)) { /* (a process just forked may not have run ntrun yet) */
        struct pollfd p = {.fd = pidfd, .events = POLLIN};
        if (!rdv_is_new(pid) || poll(&p, 1, 5) != 0)
            goto done; /* no ntrun process, or it has ended */
    }
    int asked = -1; /* when it was last asked (ms), -1: not yet */
    for (int ms = 0, wait = 1; ms < RDV_ANSWER_MS; ms += wait, wait = wait < 8 ? wait * 2 : 8) {
        /* asked again every 250 ms: one that came before its handler for it was set */
        if (asked < 0 || ms - asked >= 250) {
            int r = rt_defer_ask(pidfd, (int)pid, RT_DEFER_LISTEN);
            if (r == 0)
                asked = ms;
            else if (r != -EPERM)
                break; /* (-EPERM: it does not catch the signal yet, still starting) */
        }
        struct pollfd p = {.fd = pidfd, .events = POLLIN};
        if (poll(&p, 1, wait) > 0)
            break; /* it has ended */
        if ((fd = rdv_try_connect(pid)) >= 0 || errno != ECONNREFUSED)
            break;
    }
done:
    close(pidfd);
    return fd;
}

int nt_rdv_connect(pid_t pid, char kind, bool *ended, uint32_t *code)
{
    rdv_rec rec = {0, 0};
    *ended = false;
    *code = 0;
    int fd = rdv_try_connect(pid);
    if (fd < 0 && errno == ECONNREFUSED)
        fd = rdv_ask_and_connect(pid);
    if (fd < 0)
        return -1;
    int r;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (!rdv_peer_is_user(fd) || send(fd, &kind, 1, MSG_NOSIGNAL) != 1)
        goto fail;
    while ((r = poll(&p, 1, RDV_ANSWER_MS)) < 0 && errno == EINTR)
        ;
    if (r <= 0 || recv(fd, &rec, sizeof rec, MSG_DONTWAIT) != (ssize_t)sizeof rec)
        goto fail; /* it ended before it answered (or does not answer) */
    *ended = rec.ended != 0;
    *code = rec.code;
    return fd;
fail:
    close(fd);
    return -1;
}

bool nt_rdv_watch_wait(int fd, uint32_t *code)
{
    bool told = false;
    for (;;) {
        rdv_rec rec;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        ssize_t n = recv(fd, &rec, sizeof rec, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* the end of the process */
        if (n == (ssize_t)sizeof rec && rec.ended) {
            told = true;
            *code = rec.code;
        }
    }
    return told;
}
