/* SPDX-License-Identifier: MIT */
/* libntrun child-process runs, the launcher's side. A child is a fresh process: the `ntrun`
 * command in its child mode (lib/child_main.c), started with posix_spawn by a monitor thread
 * that lives as long as the child. The child gets the program's standard handles as fds 0-2
 * (the configured fds, or pipes whose other ends pumps in this process serve), a
 * SOCK_SEQPACKET socket as fd 3 (the protocol in lib_private.h), and nothing else: every other
 * fd is closed by the spawn. The monitor thread:
 *   - spawns (so PR_SET_PDEATHSIG, which follows the thread that created the child, fires
 *     only when the monitor ends, i.e. once the child is reaped, or when the launcher dies);
 *   - reads the socket: "started" (an event), trace lines (to the host's trace sink, crash
 *     reports among them), the final report (exit code, exit information, statistics);
 *   - kills the child when a stop request's grace period has passed;
 *   - waits on a pidfd, reaps with wait4, drains the output pumps, and then marks the child
 *     ended: the condition variable (ntrun_child_wait), the eventfd (ntrun_child_fd) and the
 *     "exited" event. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "lib/lib_private.h"
#include "ntemu/ntemu.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef NTRUN_HELPER_FROM_LIBDIR
#define NTRUN_HELPER_FROM_LIBDIR "../bin/ntrun"
#endif
#ifndef NTRUN_HELPER_INSTALLED
#define NTRUN_HELPER_INSTALLED "/usr/local/bin/ntrun"
#endif

extern char **environ;

struct ntrun_child {
    pid_t pid;
    int sock;               /* our end of the protocol socket */
    int wakefd;             /* eventfd: a stop request changed the kill deadline */
    int donefd;             /* eventfd: readable once ended (ntrun_child_fd) */
    lib_pump pumps[3];
    lib_events events;
    ntrun_write_fn trace_fn; /* NULL: trace lines go to our fd 2 */
    void *trace_ctx;
    uint32_t grace_ms;
    pthread_t monitor;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    /* The spawn, done by the monitor thread (under lock): */
    char **argv, **envp;
    const char *helper;
    char *cwd;
    int child_fds[4];       /* what becomes the child's fds 0-3 (-1: fd i is inherited) */
    int spawn_state;        /* 0: pending, 1: spawned, -1: failed (message in spawn_error) */
    char spawn_error[512];
    /* Under lock: */
    bool reaped, started, terminated, closed, have_report;
    uint32_t terminate_code;
    uint64_t kill_at_ns;    /* 0: no deadline */
    /* Set by the monitor before `reaped`: */
    ntrun_error result;
    uint32_t exit_code;
    ntrun_stats stats;
    ntrun_exit_info exit;
    char message[1024];
    uint64_t start_ns;
    ntrun_nt_call_counts *calls; /* from LIB_MSG_NT_CALLS, sorted once reaped */
    size_t ncalls;
};

/* ---- finding the helper ---- */

static bool lib_is_exe(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

static char lib_helper_path[PATH_MAX];
static pthread_once_t lib_helper_once = PTHREAD_ONCE_INIT;

/* $NTRUN_EXE; next to this library (<libdir>/<relative path to bindir>/ntrun as installed,
 * <dir>/ntrun in the build tree); the install prefix's; else "ntrun" on PATH (""). */
static void lib_helper_find(void)
{
    const char *env = getenv("NTRUN_EXE");
    if (env && *env && lib_is_exe(env)) {
        snprintf(lib_helper_path, sizeof lib_helper_path, "%s", env);
        return;
    }
    Dl_info info;
    if (dladdr((void *)ntrun_spawn, &info) && info.dli_fname && strchr(info.dli_fname, '/')) {
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s", info.dli_fname);
        *strrchr(dir, '/') = 0;
        const char *rel[] = {NTRUN_HELPER_FROM_LIBDIR, "ntrun"};
        for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
            char cand[PATH_MAX];
            if (snprintf(cand, sizeof cand, "%s/%s", dir, rel[i]) >= (int)sizeof cand)
                continue;
            if (lib_is_exe(cand)) {
                snprintf(lib_helper_path, sizeof lib_helper_path, "%s", cand);
                return;
            }
        }
    }
    if (lib_is_exe(NTRUN_HELPER_INSTALLED))
        snprintf(lib_helper_path, sizeof lib_helper_path, "%s", NTRUN_HELPER_INSTALLED);
}

const char *lib_helper(void)
{
    pthread_once(&lib_helper_once, lib_helper_find);
    return lib_helper_path[0] ? lib_helper_path : NULL;
}

/* ---- the child's command line ---- */

typedef struct lib_strv {
    char **v;
    size_t n, cap;
    bool oom;
} lib_strv;

static void lib_strv_add(lib_strv *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lib_strv_add(lib_strv *s, const char *fmt, ...)
{
    if (s->oom)
        return;
    if (s->n + 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        char **v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            s->oom = true;
            return;
        }
        s->v = v;
        s->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    int r = vasprintf(&s->v[s->n], fmt, ap);
    va_end(ap);
    if (r < 0) {
        s->oom = true;
        return;
    }
    s->v[++s->n] = NULL;
}

static void lib_strv_free(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

/* ntrun --libntrun-child VERSION PARENT [options] -- PATH ARGV... (lib/child_main.c) */
static char **lib_child_argv(const ntrun_config *cfg, const char *path)
{
    lib_strv s = {0};
    lib_strv_add(&s, "ntrun");
    lib_strv_add(&s, LIB_CHILD_MODE);
    lib_strv_add(&s, "%d", LIB_CHILD_PROTOCOL);
    lib_strv_add(&s, "%d", (int)getpid());
    lib_strv_add(&s, "--build=%d", cfg->windows_build);
    lib_strv_add(&s, "--trap=%d", cfg->syscall_trap);
    lib_strv_add(&s, "--trace-mask=%u", cfg->trace_mask);
    if (cfg->strict)
        lib_strv_add(&s, "--strict");
    if (cfg->no_rewrite)
        lib_strv_add(&s, "--no-rewrite");
    if (cfg->event_fn)
        lib_strv_add(&s, "--events"); /* send what only the child sees: DLLs loaded */
    if (cfg->time_limit_ms)
        lib_strv_add(&s, "--time-limit=%u", cfg->time_limit_ms);
    if (cfg->dll_path)
        lib_strv_add(&s, "--dll-path=%s", cfg->dll_path);
    for (int i = 0; i < 26; i++) {
        if (!cfg->drive_set[i])
            continue;
        if (cfg->drive[i])
            lib_strv_add(&s, "--drive=%c%s", 'A' + i, cfg->drive[i]);
        else
            lib_strv_add(&s, "--drive=%c", 'A' + i);
    }
    lib_strv_add(&s, "--");
    lib_strv_add(&s, "%s", path);
    if (cfg->argc)
        for (int i = 0; i < cfg->argc; i++)
            lib_strv_add(&s, "%s", cfg->argv[i]);
    else
        lib_strv_add(&s, "%s", path);
    if (s.oom) {
        lib_strv_free(s.v);
        return NULL;
    }
    return s.v;
}

static char **lib_child_envp(const ntrun_config *cfg)
{
    char *const *src = cfg->env_set ? cfg->envp : environ;
    lib_strv s = {0};
    lib_strv_add(&s, "NTRUN_CHILD_PROTOCOL=%d", LIB_CHILD_PROTOCOL); /* never empty */
    for (size_t i = 0; src && src[i]; i++)
        lib_strv_add(&s, "%s", src[i]);
    if (s.oom) {
        lib_strv_free(s.v);
        return NULL;
    }
    return s.v;
}

/* ---- the monitor thread ---- */

static void lib_child_kick(ntrun_child *c)
{
    uint64_t one = 1;
    ssize_t w = write(c->wakefd, &one, sizeof one);
    (void)w;
}

static int lib_child_spawn(ntrun_child *c)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    /* Every source is a CLOEXEC duplicate above 9 (lib_dup_high): no dup2 overwrites the
     * source of another, and the duplicates do not reach the child. */
    for (int i = 0; i < 4; i++)
        if (c->child_fds[i] >= 0)
            posix_spawn_file_actions_adddup2(&fa, c->child_fds[i], i);
    posix_spawn_file_actions_addclosefrom_np(&fa, LIB_CHILD_SOCK_FD + 1);
    if (c->cwd)
        posix_spawn_file_actions_addchdir_np(&fa, c->cwd);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all); /* no disposition of the launcher's */
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    int r = posix_spawn(&c->pid, c->helper, &fa, &attr, c->argv, c->envp);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    return r;
}

static void lib_child_trace(ntrun_child *c, const char *line, size_t len)
{
    if (!len)
        return;
    if (c->trace_fn) {
        c->trace_fn(c->trace_ctx, line, len);
        return;
    }
    ssize_t w = write(2, line, len);
    (void)w;
}

/* The static name of the NT call `name` (ntrun_nt_call_counts.name), NULL if unknown. */
static const char *lib_nt_name(const char *name)
{
    for (size_t i = 0; i < nt_syscall_count(); i++)
        if (!strcmp(nt_syscall_name_at(i), name))
            return nt_syscall_name_at(i);
    return NULL;
}

static void lib_child_add_nt_calls(ntrun_child *c, const lib_msg_nt_calls *m, size_t len)
{
    size_t head = offsetof(lib_msg_nt_calls, calls);
    if (len < head || m->count > LIB_NT_CALLS_PER_MSG || len != head + m->count * sizeof m->calls[0])
        return;
    ntrun_nt_call_counts *v = realloc(c->calls, (c->ncalls + m->count) * sizeof *v);
    if (!v)
        return;
    c->calls = v;
    for (uint32_t i = 0; i < m->count; i++) {
        lib_msg_nt_call e = m->calls[i];
        e.name[sizeof e.name - 1] = 0;
        const char *name = lib_nt_name(e.name);
        if (name)
            c->calls[c->ncalls++] = (ntrun_nt_call_counts){name, e.trap, e.thunk, e.builtin};
    }
}

/* One packet from the child: 1, 0 when there is none now, -1 when the socket is done (its
 * end closed, or an error). */
static int lib_child_read(ntrun_child *c)
{
    union {
        uint32_t type;
        lib_child_report report;
        lib_msg_nt_calls calls;
        char bytes[sizeof(lib_child_report) + sizeof(lib_msg_nt_calls) + sizeof(lib_msg_dll) +
                   4096];
    } m;
    ssize_t n = recv(c->sock, &m, sizeof m, MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return 0;
    if (n <= 0)
        return -1;
    if ((size_t)n < sizeof m.type)
        return 1;
    switch (m.type) {
    case LIB_MSG_STARTED:
        pthread_mutex_lock(&c->lock);
        c->started = true;
        pthread_mutex_unlock(&c->lock);
        lib_event_started(&c->events);
        break;
    case LIB_MSG_TRACE:
        lib_child_trace(c, m.bytes + sizeof m.type, (size_t)n - sizeof m.type);
        break;
    case LIB_MSG_DLL:
        if ((size_t)n == sizeof(lib_msg_dll)) {
            lib_msg_dll *d = (lib_msg_dll *)m.bytes;
            d->name[sizeof d->name - 1] = 0;
            d->path[sizeof d->path - 1] = 0;
            lib_event_dll(&c->events, d->name, d->builtin ? NULL : d->path, d->base, d->size);
        }
        break;
    case LIB_MSG_NT_CALLS:
        lib_child_add_nt_calls(c, &m.calls, (size_t)n);
        break;
    case LIB_MSG_REPORT:
        if ((size_t)n == sizeof m.report) {
            pthread_mutex_lock(&c->lock);
            c->result = (ntrun_error)m.report.error;
            c->exit_code = m.report.exit_code;
            c->stats = m.report.stats;
            c->exit = m.report.exit;
            m.report.message[sizeof m.report.message - 1] = 0;
            snprintf(c->message, sizeof c->message, "%s", m.report.message);
            c->have_report = true;
            pthread_mutex_unlock(&c->lock);
        }
        break;
    }
    return 1;
}

/* Exit code of a child that ended without a report (killed, or died hard). */
static uint32_t lib_code_from_status(int status)
{
    if (WIFEXITED(status))
        return (uint32_t)WEXITSTATUS(status);
    switch (WTERMSIG(status)) {
    case SIGSEGV: case SIGBUS: return (uint32_t)STATUS_ACCESS_VIOLATION;
    case SIGILL: return (uint32_t)STATUS_ILLEGAL_INSTRUCTION;
    case SIGFPE: return (uint32_t)STATUS_INTEGER_DIVIDE_BY_ZERO;
    case SIGINT: return 0xC000013Au; /* STATUS_CONTROL_C_EXIT */
    default: return 1;
    }
}

/* How it ended, from the report or, without one, from the Linux status. Under lock. */
static void lib_child_conclude(ntrun_child *c, int status)
{
    uint64_t wall = lib_now_ns() - c->start_ns;
    if (!c->have_report) {
        memset(&c->stats, 0, sizeof c->stats);
        memset(&c->exit, 0, sizeof c->exit);
        c->result = NTRUN_OK;
        if (c->terminated) {
            c->exit_code = c->terminate_code;
            c->exit.reason = NTRUN_END_TERMINATED;
        } else if (c->closed) { /* killed after the grace: as Windows ends it */
            c->exit_code = LIB_CLOSE_EXIT_CODE;
            c->exit.reason = NTRUN_END_CLOSED;
        } else if (WIFSIGNALED(status)) {
            c->exit_code = lib_code_from_status(status);
            c->exit.reason = NTRUN_END_SIGNALED;
            c->exit.signal = WTERMSIG(status);
        } else if (c->started) { /* the runtime ended it without a report (a fatal error) */
            c->exit_code = lib_code_from_status(status);
            c->exit.reason = NTRUN_END_EXITED;
        } else { /* the helper never got as far as loading */
            c->result = NTRUN_E_RUNTIME;
            c->exit_code = lib_code_from_status(status);
            c->exit.reason = NTRUN_END_LOAD_FAILED;
            c->exit.load_error = NTRUN_E_RUNTIME;
            snprintf(c->message, sizeof c->message,
                     "the helper %s ended (status %d) before loading the program: is it the "
                     "ntrun of this libntrun (%s)?",
                     c->helper, WIFEXITED(status) ? WEXITSTATUS(status) : -1, ntrun_version());
        }
    }
    /* Ended after a close (and no terminate before it): closed by the host, however the
     * program then left (its handler's ExitProcess, the default handler's 0xC000013A, not
     * started), unless it crashed. */
    if (c->have_report && c->closed && !c->terminated &&
        (c->exit.reason == NTRUN_END_EXITED || c->exit.reason == NTRUN_END_TERMINATED))
        c->exit.reason = NTRUN_END_CLOSED;
    c->exit.size = sizeof c->exit;
    c->exit.exit_code = c->exit_code;
    c->stats.size = sizeof c->stats;
    c->stats.wall_ns = wall;
    if (!c->have_report)
        c->ncalls = 0; /* what it sent before it was killed is not the whole run */
    lib_sort_nt_call_counts(c->calls, c->ncalls);
}

static void *lib_child_monitor(void *arg)
{
    ntrun_child *c = arg;
    int r = lib_child_spawn(c);
    pthread_mutex_lock(&c->lock);
    c->start_ns = lib_now_ns();
    if (r != 0) {
        snprintf(c->spawn_error, sizeof c->spawn_error, "cannot start the helper %s: %s",
                 c->helper, strerror(r));
        c->spawn_state = -1;
    } else {
        c->spawn_state = 1;
        c->events.pid = c->pid;
    }
    pthread_cond_broadcast(&c->cond);
    pthread_mutex_unlock(&c->lock);
    if (r != 0)
        return NULL;

    int pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
    bool sock_open = true;
    for (;;) {
        pthread_mutex_lock(&c->lock);
        uint64_t kill_at = c->kill_at_ns;
        pthread_mutex_unlock(&c->lock);
        int timeout = -1;
        if (kill_at) {
            uint64_t now = lib_now_ns();
            if (now >= kill_at) {
                kill(c->pid, SIGKILL);
                pthread_mutex_lock(&c->lock);
                c->kill_at_ns = 0;
                pthread_mutex_unlock(&c->lock);
                continue;
            }
            timeout = (int)((kill_at - now + 999999) / 1000000);
        }
        if (pidfd < 0 && (timeout < 0 || timeout > 10))
            timeout = 10; /* no pidfd (Linux < 5.3): look every 10 ms */
        struct pollfd pfd[3] = {{sock_open ? c->sock : -1, POLLIN, 0},
                                {c->wakefd, POLLIN, 0},
                                {pidfd, POLLIN, 0}};
        int n = poll(pfd, 3, timeout);
        if (n < 0 && errno != EINTR)
            break;
        if (n > 0 && pfd[0].revents)
            sock_open = lib_child_read(c) >= 0;
        if (!sock_open)
            lib_events_open_gate(&c->events);
        if (n > 0 && pfd[1].revents) {
            uint64_t v;
            ssize_t rd = read(c->wakefd, &v, sizeof v);
            (void)rd;
        }
        if (pidfd >= 0 ? (n > 0 && pfd[2].revents) : false)
            break;
        if (pidfd < 0) {
            siginfo_t si = {0};
            if (waitid(P_PID, (id_t)c->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid)
                break;
        }
    }
    /* Ended: what it sent last (its report) is in the socket. */
    while (sock_open && lib_child_read(c) > 0)
        ;
    lib_events_open_gate(&c->events);
    int status = 0;
    struct rusage ru;
    while (wait4(c->pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    if (pidfd >= 0)
        close(pidfd);
    for (int i = 0; i < 3; i++)
        lib_pump_stop(&c->pumps[i]); /* all of its output delivered */
    pthread_mutex_lock(&c->lock);
    lib_child_conclude(c, status);
    c->reaped = true;
    c->kill_at_ns = 0;
    pthread_cond_broadcast(&c->cond);
    pthread_mutex_unlock(&c->lock);
    lib_event_exited(&c->events, &c->exit);
    uint64_t one = 1;
    ssize_t w = write(c->donefd, &one, sizeof one);
    (void)w;
    return NULL;
}

/* ---- the API ---- */

static int lib_dup_high(int fd)
{
    return fcntl(fd, F_DUPFD_CLOEXEC, 10);
}

static void lib_child_destroy(ntrun_child *c)
{
    for (int i = 0; i < 3; i++)
        lib_pump_stop(&c->pumps[i]);
    for (int i = 0; i < 4; i++)
        if (c->child_fds[i] >= 0)
            close(c->child_fds[i]);
    if (c->sock >= 0)
        close(c->sock);
    if (c->wakefd >= 0)
        close(c->wakefd);
    if (c->donefd >= 0)
        close(c->donefd);
    lib_strv_free(c->argv);
    lib_strv_free(c->envp);
    free(c->cwd);
    free(c->calls);
    lib_events_destroy(&c->events);
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->cond);
    free(c);
}

NTRUN_API ntrun_error ntrun_spawn(const ntrun_config *cfg, const char *path, ntrun_child **out)
{
    ntrun_error checked = lib_check_start(cfg, path, out);
    if (out)
        *out = NULL;
    if (checked != NTRUN_OK)
        return checked;
    if (cfg->cwd) {
        struct stat st;
        if (stat(cfg->cwd, &st) != 0 || !S_ISDIR(st.st_mode))
            return lib_fail(NTRUN_E_INVALID_ARGUMENT, "cwd: cannot enter %s: %s", cfg->cwd,
                            errno ? strerror(errno) : "not a directory");
    }
    pthread_once(&lib_helper_once, lib_helper_find);
    ntrun_child *c = calloc(1, sizeof *c);
    if (!c)
        return lib_fail(NTRUN_E_NO_MEMORY, "out of memory");
    c->sock = c->wakefd = c->donefd = -1;
    for (int i = 0; i < 4; i++)
        c->child_fds[i] = -1;
    for (int i = 0; i < 3; i++)
        c->pumps[i] = (lib_pump){.rfd = -1, .wfd = -1, .stopfd = -1};
    pthread_mutex_init(&c->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&c->cond, &ca);
    pthread_condattr_destroy(&ca);
    lib_events_init(&c->events, cfg->event_fn, cfg->event_ctx);
    lib_events_gate(&c->events);
    c->trace_fn = cfg->trace_fn;
    c->trace_ctx = cfg->trace_ctx;
    c->grace_ms = cfg->terminate_grace_ms;
    c->helper = lib_helper_path[0] ? lib_helper_path : "ntrun";
    ntrun_error e = NTRUN_OK;
    c->argv = lib_child_argv(cfg, path);
    c->envp = lib_child_envp(cfg);
    if (!c->argv || !c->envp || (cfg->cwd && !(c->cwd = strdup(cfg->cwd)))) {
        e = lib_fail(NTRUN_E_NO_MEMORY, "out of memory");
        goto fail;
    }
    if (!lib_helper_path[0]) {
        /* posix_spawn does not search PATH: do it here. */
        e = lib_fail(NTRUN_E_RUNTIME, "cannot find the ntrun helper: not next to libntrun "
                     "(%s), not at %s, and $NTRUN_EXE is not set", NTRUN_HELPER_FROM_LIBDIR,
                     NTRUN_HELPER_INSTALLED);
        goto fail;
    }
    c->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    c->donefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    int sv[2];
    if (c->wakefd < 0 || c->donefd < 0 ||
        socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
        e = lib_fail(NTRUN_E_SYSTEM, "cannot create the child's socket: %s", strerror(errno));
        goto fail;
    }
    c->sock = sv[0];
    c->child_fds[LIB_CHILD_SOCK_FD] = lib_dup_high(sv[1]);
    close(sv[1]);
    /* The standard handles: a pump's pipe end, a configured fd, or inherited (fd i as is). */
    for (int i = 0; i < 3; i++) {
        const lib_sink *s = &cfg->std[i];
        int fd = -1;
        if (i == 0 && s->rfn) {
            e = lib_feed_start(&c->pumps[0], s->rfn, s->ctx);
            fd = c->pumps[0].rfd;
        } else if (i > 0 && s->fn) {
            e = lib_pump_start(&c->pumps[i], s->fn, s->ctx);
            c->pumps[i].events = &c->events; /* lib_pump_start resets the struct */
            c->pumps[i].stream = i;
            fd = c->pumps[i].wfd;
        } else if (s->fd >= 0) {
            fd = s->fd;
        }
        if (e != NTRUN_OK)
            goto fail;
        if (fd >= 0 && (c->child_fds[i] = lib_dup_high(fd)) < 0) {
            e = lib_fail(NTRUN_E_SYSTEM, "cannot duplicate fd %d: %s", fd, strerror(errno));
            goto fail;
        }
    }
    if (c->child_fds[LIB_CHILD_SOCK_FD] < 0) {
        e = lib_fail(NTRUN_E_SYSTEM, "cannot duplicate the socket: %s", strerror(errno));
        goto fail;
    }
    /* The monitor spawns: it has every signal blocked (the launcher's handlers never run on
     * it), and the default stack (it calls the launcher's trace sink and events callback). */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int r = pthread_create(&c->monitor, NULL, lib_child_monitor, c);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (r != 0) {
        e = lib_fail(NTRUN_E_SYSTEM, "cannot start the child's monitor thread: %s", strerror(r));
        goto fail;
    }
    pthread_mutex_lock(&c->lock);
    while (c->spawn_state == 0)
        pthread_cond_wait(&c->cond, &c->lock);
    bool spawned = c->spawn_state > 0;
    pthread_mutex_unlock(&c->lock);
    /* The child has its copies (or there is no child): ours go. */
    for (int i = 0; i < 4; i++) {
        if (c->child_fds[i] >= 0)
            close(c->child_fds[i]);
        c->child_fds[i] = -1;
    }
    for (int i = 0; i < 3; i++)
        lib_pump_close_write(&c->pumps[i]);
    if (!spawned) {
        pthread_join(c->monitor, NULL);
        e = lib_fail(NTRUN_E_RUNTIME, "%s", c->spawn_error);
        goto fail;
    }
    *out = c;
    return NTRUN_OK;
fail:
    lib_child_destroy(c);
    return e;
}

NTRUN_API int ntrun_child_pid(const ntrun_child *c) { return c ? c->pid : -1; }

NTRUN_API int ntrun_child_fd(const ntrun_child *c) { return c ? c->donefd : -1; }

NTRUN_API ntrun_error ntrun_child_wait(ntrun_child *c, int timeout_ms, uint32_t *exit_code)
{
    lib_clear_error();
    if (!c)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "child is NULL");
    if (!lib_wait_flag(&c->lock, &c->cond, &c->reaped, timeout_ms))
        return lib_fail(NTRUN_E_TIMEOUT, "child %d is still running", (int)c->pid);
    if (exit_code)
        *exit_code = c->exit_code;
    if (c->result != NTRUN_OK)
        return lib_fail(c->result, "%s", c->message);
    return NTRUN_OK;
}

/* A stop request: the kill deadline is `ms` from now (the earliest request wins). */
static void lib_child_deadline(ntrun_child *c, uint64_t ms)
{
    uint64_t at = lib_now_ns() + ms * 1000000u;
    if (!c->kill_at_ns || at < c->kill_at_ns)
        c->kill_at_ns = at;
}

NTRUN_API ntrun_error ntrun_child_terminate(ntrun_child *c, uint32_t exit_code)
{
    lib_clear_error();
    if (!c)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "child is NULL");
    pthread_mutex_lock(&c->lock);
    if (c->reaped || c->terminated) {
        /* already ended (Windows' TerminateProcess fails, nothing to do), or being ended */
        pthread_mutex_unlock(&c->lock);
        return NTRUN_OK;
    }
    c->terminated = true;
    c->terminate_code = exit_code;
    lib_child_deadline(c, c->grace_ms);
    lib_msg_terminate m = {.type = LIB_MSG_TERMINATE, .exit_code = exit_code};
    if (send(c->sock, &m, sizeof m, MSG_DONTWAIT | MSG_NOSIGNAL) != (ssize_t)sizeof m)
        c->kill_at_ns = lib_now_ns(); /* no way to ask (it is going already): kill it now */
    pthread_mutex_unlock(&c->lock);
    lib_child_kick(c);
    return NTRUN_OK;
}

#define LIB_CTRL_CLOSE_MS 5000u /* what Windows gives CTRL_CLOSE_EVENT handlers */

NTRUN_API ntrun_error ntrun_child_close(ntrun_child *c)
{
    lib_clear_error();
    if (!c)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "child is NULL");
    pthread_mutex_lock(&c->lock);
    if (c->reaped) {
        pthread_mutex_unlock(&c->lock);
        return NTRUN_OK;
    }
    lib_child_deadline(c, LIB_CTRL_CLOSE_MS + c->grace_ms);
    if (!c->terminated)
        c->closed = true;
    /* The child's control thread raises SIGTERM in it, CTRL_CLOSE_EVENT in its runtime
     * (thunks/kernel32/console_ctrl.c), or, while the program is still being loaded, keeps it
     * from starting: asked over the socket, so a close that comes before the child is ready
     * for the signal is not a kill by SIGTERM. */
    uint32_t m = LIB_MSG_CLOSE;
    if (send(c->sock, &m, sizeof m, MSG_DONTWAIT | MSG_NOSIGNAL) != (ssize_t)sizeof m)
        c->kill_at_ns = lib_now_ns(); /* it is going already */
    pthread_mutex_unlock(&c->lock);
    lib_child_kick(c);
    return NTRUN_OK;
}

NTRUN_API ntrun_error ntrun_child_stats(const ntrun_child *c, ntrun_stats *out)
{
    if (!c || !out)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "%s is NULL", c ? "out" : "child");
    if (!c->reaped)
        return lib_fail(NTRUN_E_STATE, "child %d: no statistics before it has been waited for",
                        (int)c->pid);
    uint32_t size = out->size && out->size < sizeof *out ? out->size : sizeof *out;
    memcpy(out, &c->stats, size);
    out->size = size;
    return NTRUN_OK;
}

NTRUN_API size_t ntrun_child_nt_call_counts(const ntrun_child *c, ntrun_nt_call_counts *out,
                                            size_t max)
{
    if (!c || !c->reaped)
        return 0;
    return lib_copy_nt_call_counts(c->calls, c->ncalls, out, max);
}

NTRUN_API ntrun_error ntrun_child_exit_info(const ntrun_child *c, ntrun_exit_info *out)
{
    lib_clear_error();
    if (!c)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "child is NULL");
    if (!c->reaped)
        return lib_fail(NTRUN_E_STATE, "child %d: no exit information before it has been "
                        "waited for", (int)c->pid);
    return lib_copy_exit_info(&c->exit, out);
}

NTRUN_API void ntrun_child_free(ntrun_child *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    if (!c->reaped)
        kill(c->pid, SIGKILL); /* not reaped yet: the pid is still the child's */
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->monitor, NULL);
    lib_child_destroy(c);
}
