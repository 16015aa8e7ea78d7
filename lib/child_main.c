/* SPDX-License-Identifier: MIT */
/* libntrun child runs, the child's side: `ntrun --libntrun-child ...` (lib/child.c starts it;
 * the protocol is in lib_private.h). It dies with the launcher (PR_SET_PDEATHSIG, and the end
 * of the socket), loads and runs the program as ntrun_load + ntrun_run would in the launcher,
 * sends its trace lines (crash reports among them) over the socket, ends the program when the
 * launcher asks (TerminateProcess), and reports the outcome before it exits. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include "lib/lib_private.h"
#include "runtime/runtime.h"

static int lib_sock = LIB_CHILD_SOCK_FD;

/* The trace sink: one packet per line. Async-signal-safe (one sendmsg), as the sink must be. */
static void lib_sock_line_sink(void *ctx, const char *line, size_t len)
{
    (void)ctx;
    uint32_t type = LIB_MSG_TRACE;
    struct iovec iov[2] = {{&type, sizeof type}, {(void *)line, len}};
    struct msghdr mh = {.msg_iov = iov, .msg_iovlen = 2};
    while (sendmsg(lib_sock, &mh, MSG_NOSIGNAL) < 0 && errno == EINTR)
        ;
}

static void lib_send(const void *msg, size_t len)
{
    while (send(lib_sock, msg, len, MSG_NOSIGNAL) < 0 && errno == EINTR)
        ;
}

/* The program once loaded, and a stop request that came while it was being loaded (under
 * lib_ctl_lock): the program then does not start (ntrun_program_terminate before ntrun_run). */
static pthread_mutex_t lib_ctl_lock = PTHREAD_MUTEX_INITIALIZER;
static ntrun_program *lib_prog;
static bool lib_stop_pending;
static uint32_t lib_stop_code;
/* A SIGTERM that reached our own handler, not kernel32's CTRL_CLOSE_EVENT one: the program is
 * not (or no longer) where it can get the event. The handler only writes a byte here
 * (async-signal-safe); the control thread acts on it. */
static int lib_term_pipe[2] = {-1, -1};

static void lib_child_sigterm(int sig)
{
    (void)sig;
    int saved = errno;
    char b = 1;
    ssize_t w = write(lib_term_pipe[1], &b, 1);
    (void)w;
    errno = saved;
}

/* TerminateProcess with `code`, or, before the program is loaded, the promise that it will not
 * start. */
static void lib_child_stop(uint32_t code)
{
    pthread_mutex_lock(&lib_ctl_lock);
    ntrun_program *p = lib_prog;
    if (!p && !lib_stop_pending) {
        lib_stop_pending = true;
        lib_stop_code = code;
    }
    pthread_mutex_unlock(&lib_ctl_lock);
    if (p)
        ntrun_program_terminate(p, code, -1);
}

/* The launcher's requests, on a thread of their own (every signal blocked, never foreign
 * code), from before the load: a stop during the load is not lost, and is not a kill. The end
 * of the socket is the launcher's end: nobody is left to report to. */
static void *lib_child_control(void *arg)
{
    (void)arg;
    for (;;) {
        struct pollfd pfd[2] = {{lib_sock, POLLIN, 0}, {lib_term_pipe[0], POLLIN, 0}};
        if (poll(pfd, 2, -1) < 0)
            continue; /* EINTR */
        if (pfd[1].revents) {
            char b[16];
            if (read(lib_term_pipe[0], b, sizeof b) > 0)
                lib_child_stop(LIB_CLOSE_EXIT_CODE);
        }
        if (!pfd[0].revents)
            continue;
        lib_msg_terminate m;
        ssize_t n = recv(lib_sock, &m, sizeof m, MSG_DONTWAIT);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            _exit(127);
        if ((size_t)n == sizeof m && m.type == LIB_MSG_TERMINATE) {
            lib_child_stop(m.exit_code);
        } else if ((size_t)n >= sizeof m.type && m.type == LIB_MSG_CLOSE) {
            pthread_mutex_lock(&lib_ctl_lock);
            bool loaded = lib_prog != NULL;
            pthread_mutex_unlock(&lib_ctl_lock);
            if (loaded)
                kill(getpid(), SIGTERM); /* CTRL_CLOSE_EVENT, or our handler: see above */
            else
                lib_child_stop(LIB_CLOSE_EXIT_CODE);
        }
    }
    return NULL;
}

/* The run's NT calls by name, in packets of LIB_NT_CALLS_PER_MSG. */
static void lib_child_send_nt_calls(const ntrun_program *prog)
{
    size_t n = ntrun_get_nt_call_counts(prog, NULL, 0);
    ntrun_nt_call_counts *v = n ? calloc(n, sizeof *v) : NULL;
    if (!v)
        return;
    n = ntrun_get_nt_call_counts(prog, v, n);
    for (size_t i = 0; i < n; i += LIB_NT_CALLS_PER_MSG) {
        lib_msg_nt_calls m = {.type = LIB_MSG_NT_CALLS};
        for (size_t k = i; k < n && m.count < LIB_NT_CALLS_PER_MSG; k++, m.count++) {
            lib_msg_nt_call *c = &m.calls[m.count];
            snprintf(c->name, sizeof c->name, "%s", v[k].name);
            c->trap = v[k].trap;
            c->thunk = v[k].thunk;
            c->builtin = v[k].builtin;
        }
        lib_send(&m, offsetof(lib_msg_nt_calls, calls) + m.count * sizeof m.calls[0]);
    }
    free(v);
}

/* The events only the child sees, for the launcher's callback: DLLs loaded. (Started, output
 * and exited the launcher sees itself.) */
static void lib_child_event(void *ctx, const ntrun_event *ev)
{
    (void)ctx;
    if (ev->type != NTRUN_EVENT_DLL_LOADED)
        return;
    lib_msg_dll m = {.type = LIB_MSG_DLL, .builtin = ev->dll->builtin, .base = ev->dll->base,
                     .size = ev->dll->image_size};
    snprintf(m.name, sizeof m.name, "%s", ev->dll->name);
    snprintf(m.path, sizeof m.path, "%s", ev->dll->path);
    lib_send(&m, sizeof m);
}

static __attribute__((noreturn)) void lib_child_report_and_exit(lib_child_report *rep)
{
    rep->type = LIB_MSG_REPORT;
    rep->stats.size = sizeof rep->stats;
    rep->exit.size = sizeof rep->exit;
    lib_send(rep, sizeof *rep);
    _exit(rep->error == NTRUN_OK ? (int)(rep->exit_code & 0xff) : 126);
}

static __attribute__((noreturn)) void lib_child_fail(ntrun_error e, const char *msg)
{
    lib_child_report rep = {0};
    rep.error = e;
    rep.exit.reason = NTRUN_END_LOAD_FAILED;
    rep.exit.load_error = e;
    snprintf(rep.message, sizeof rep.message, "%s", msg);
    lib_child_report_and_exit(&rep);
}

/* argv: ntrun --libntrun-child VERSION PARENT [options] -- PATH ARGV... */
int lib_child_main(int argc, char **argv)
{
    if (argc < 4 || atoi(argv[2]) != LIB_CHILD_PROTOCOL) {
        fprintf(stderr, "ntrun: %s is for libntrun %s (protocol %d), not a command\n",
                LIB_CHILD_MODE, ntrun_version(), LIB_CHILD_PROTOCOL);
        return 2;
    }
    /* Die with the launcher: the signal when the thread that spawned us ends (lib/child.c's
     * monitor, which ends only after reaping us, or the whole launcher); if the launcher
     * ended before this call, we are already orphaned. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != (pid_t)atoi(argv[3]))
        _exit(127);
    /* Nothing of ours reaches the program's own children. */
    fcntl(lib_sock, F_SETFD, FD_CLOEXEC);
    unsetenv("NTRUN_CHILD_PROTOCOL");

    rt_populate_startup();
    ntrun_config *cfg = ntrun_config_new();
    if (!cfg)
        lib_child_fail(NTRUN_E_NO_MEMORY, "out of memory");
    int i = 4;
    for (; i < argc && strcmp(argv[i], "--"); i++) {
        const char *a = argv[i];
        if (!strncmp(a, "--build=", 8))
            cfg->windows_build = atoi(a + 8);
        else if (!strncmp(a, "--trap=", 7))
            cfg->syscall_trap = atoi(a + 7);
        else if (!strncmp(a, "--trace-mask=", 13))
            cfg->trace_mask = (uint32_t)strtoul(a + 13, NULL, 10);
        else if (!strcmp(a, "--strict"))
            cfg->strict = true;
        else if (!strcmp(a, "--no-rewrite"))
            cfg->no_rewrite = true;
        else if (!strcmp(a, "--events"))
            ntrun_config_set_event_callback(cfg, lib_child_event, NULL);
        else if (!strncmp(a, "--time-limit=", 13))
            cfg->time_limit_ms = (uint32_t)strtoul(a + 13, NULL, 10);
        else if (!strncmp(a, "--dll-path=", 11))
            ntrun_config_set_dll_path(cfg, a + 11);
        else if (!strncmp(a, "--drive=", 8) && a[8])
            ntrun_config_set_drive(cfg, a[8], a[9] ? a + 9 : NULL);
    }
    if (i + 2 >= argc)
        lib_child_fail(NTRUN_E_INVALID_ARGUMENT, "child mode: no program given");
    const char *path = argv[i + 1];
    ntrun_config_set_argv(cfg, argc - i - 2, (const char *const *)argv + i + 2);
    /* Every line for the launcher's trace sink (or its fd 2) goes over the socket: the
     * program's fd 2 is not the launcher's. */
    ntrun_config_set_trace_sink(cfg, lib_sock_line_sink, NULL);

    /* SIGTERM (a close) during the load, or while kernel32's handler is not in: ours. */
    if (pipe2(lib_term_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        lib_child_fail(NTRUN_E_SYSTEM, "cannot create a pipe");
    struct sigaction sa = {.sa_handler = lib_child_sigterm, .sa_flags = SA_RESTART};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 128 * 1024);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int r = pthread_create(&t, &attr, lib_child_control, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    if (r != 0)
        lib_child_fail(NTRUN_E_SYSTEM, "cannot start the control thread");

    lib_child_report rep = {0};
    ntrun_program *prog;
    ntrun_error e = ntrun_load(cfg, path, &prog);
    if (e != NTRUN_OK)
        lib_child_fail(e, ntrun_error_message());
    pthread_mutex_lock(&lib_ctl_lock);
    lib_prog = prog;
    bool stopped = lib_stop_pending;
    pthread_mutex_unlock(&lib_ctl_lock);
    if (stopped) /* asked to stop while loading: ntrun_run returns the code, nothing runs */
        ntrun_program_terminate(prog, lib_stop_code, 0);
    uint32_t started = LIB_MSG_STARTED;
    if (!stopped)
        lib_send(&started, sizeof started);
    e = ntrun_run(prog, &rep.exit_code);
    if (e == NTRUN_OK) {
        rep.stats.size = sizeof rep.stats;
        ntrun_get_stats(prog, &rep.stats);
        rep.exit.size = sizeof rep.exit;
        ntrun_get_exit_info(prog, &rep.exit);
        lib_child_send_nt_calls(prog);
    } else {
        rep.exit.reason = NTRUN_END_LOAD_FAILED;
        rep.exit.load_error = e;
        snprintf(rep.message, sizeof rep.message, "%s", ntrun_error_message());
    }
    /* Our own high-water mark: getrusage's would include the launcher's, from before exec. */
    rep.stats.peak_rss_bytes = lib_peak_rss_own();
    rep.error = e;
    lib_child_report_and_exit(&rep);
}
