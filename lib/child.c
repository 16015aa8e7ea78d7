/* SPDX-License-Identifier: MIT */
/* libntrun child-process runs: the child is a fork of the caller that runs the program with
 * ntrun_load + ntrun_run and reports the outcome (load error and message, full exit code,
 * statistics) through a pipe before it exits. The parent waits on a pidfd (poll with a
 * timeout), reaps with wait4 (the child's peak RSS), and pumps callback output in its own
 * threads. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "lib/lib_private.h"
#include "runtime/win.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* What the child writes to the status pipe, once. */
typedef struct lib_child_report {
    int32_t error;          /* ntrun_error */
    uint32_t exit_code;
    ntrun_stats stats;
    ntrun_exit_info exit;
    char message[1024];
} lib_child_report;

struct ntrun_child {
    pid_t pid;
    int pidfd;              /* -1: not available, poll with waitpid */
    int status_fd;          /* read end of the report pipe */
    lib_pump pumps[3];
    lib_pump trace;         /* the child's trace lines, to the host's trace sink */
    bool reaped, terminated;
    uint32_t terminate_code;
    ntrun_error result;
    uint32_t exit_code;
    ntrun_stats stats;
    ntrun_exit_info exit;
    char message[1024];
    uint64_t start_ns;
};

static uint64_t lib_child_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void lib_write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

/* In the child: run and report. Never returns. */
static __attribute__((noreturn)) void lib_child_main(ntrun_config *cfg, const char *path,
                                                      int report_fd)
{
    lib_child_report rep = {0};
    rep.stats.size = sizeof rep.stats;
    rep.exit.size = sizeof rep.exit;
    ntrun_program *prog;
    ntrun_error e = ntrun_load(cfg, path, &prog);
    if (e == NTRUN_OK) {
        e = ntrun_run(prog, &rep.exit_code);
        if (e == NTRUN_OK) {
            ntrun_get_stats(prog, &rep.stats);
            ntrun_get_exit_info(prog, &rep.exit);
        }
    }
    if (e != NTRUN_OK) {
        rep.exit.reason = NTRUN_END_LOAD_FAILED;
        rep.exit.load_error = e;
    }
    rep.error = e;
    snprintf(rep.message, sizeof rep.message, "%s", e == NTRUN_OK ? "" : ntrun_error_message());
    lib_write_all(report_fd, &rep, sizeof rep);
    _exit(e == NTRUN_OK ? (int)(rep.exit_code & 0xff) : 126);
}

NTRUN_API ntrun_error ntrun_spawn(const ntrun_config *cfg, const char *path, ntrun_child **out)
{
    lib_clear_error();
    if (!out)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!cfg)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "config is NULL");
    if (!path || !*path)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "path: no program given");
    if (lib_busy())
        return lib_fail(NTRUN_E_BUSY, "cannot fork while a program is loaded in this process");
    ntrun_child *c = calloc(1, sizeof *c);
    ntrun_config *ccfg = lib_config_copy(cfg);
    if (!c || !ccfg) {
        free(c);
        ntrun_config_free(ccfg);
        return lib_fail(NTRUN_E_NO_MEMORY, "out of memory");
    }
    c->pidfd = c->status_fd = -1;
    for (int i = 0; i < 3; i++)
        c->pumps[i] = (lib_pump){.rfd = -1, .wfd = -1, .stopfd = -1};
    c->trace = (lib_pump){.rfd = -1, .wfd = -1, .stopfd = -1};
    ntrun_error e = NTRUN_OK;
    int rep[2] = {-1, -1};
    if (cfg->std[0].rfn) { /* its thread starts after the fork */
        e = lib_feed_pipe(&c->pumps[0], cfg->std[0].rfn, cfg->std[0].ctx);
        if (e != NTRUN_OK)
            goto fail;
        ccfg->std[0] = (lib_sink){.fd = c->pumps[0].rfd}; /* the child reads the pipe */
    }
    for (int i = 1; i < 3; i++) {
        if (!cfg->std[i].fn)
            continue;
        e = lib_pump_start(&c->pumps[i], cfg->std[i].fn, cfg->std[i].ctx);
        if (e != NTRUN_OK)
            goto fail;
        /* The child writes into the pipe itself. */
        ccfg->std[i] = (lib_sink){.fd = c->pumps[i].wfd};
    }
    if (cfg->trace_fn) { /* crash reports and traces come back line by line */
        e = lib_pump_start_lines(&c->trace, cfg->trace_fn, cfg->trace_ctx);
        if (e != NTRUN_OK)
            goto fail;
        ccfg->trace_fn = lib_fd_line_sink;
        ccfg->trace_ctx = (void *)(intptr_t)c->trace.wfd;
    }
    if (pipe2(rep, O_CLOEXEC) != 0) {
        e = lib_fail(NTRUN_E_SYSTEM, "cannot create the status pipe: %s", strerror(errno));
        goto fail;
    }
    c->start_ns = lib_child_now_ns();
    lib_fork_prepare();
    pid_t pid = fork();
    if (pid == 0)
        lib_fork_child(); /* closes the feeds' write ends, this run's among them */
    else
        lib_fork_parent();
    if (pid < 0) {
        e = lib_fail(NTRUN_E_SYSTEM, "fork: %s", strerror(errno));
        goto fail;
    }
    if (pid == 0) {
        close(rep[0]);
        for (int i = 0; i < 3; i++) {
            if (c->pumps[i].rfn)
                continue; /* a feed: its write end went in lib_fork_child */
            if (c->pumps[i].rfd >= 0)
                close(c->pumps[i].rfd);
            if (c->pumps[i].stopfd >= 0)
                close(c->pumps[i].stopfd);
        }
        if (c->trace.rfd >= 0)
            close(c->trace.rfd);
        if (c->trace.stopfd >= 0)
            close(c->trace.stopfd);
        lib_child_main(ccfg, path, rep[1]);
    }
    close(rep[1]);
    c->status_fd = rep[0];
    c->pid = pid;
    for (int i = 0; i < 3; i++)
        lib_pump_close_write(&c->pumps[i]);
    lib_pump_close_write(&c->trace);
    c->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (c->pumps[0].rfn && lib_feed_run(&c->pumps[0]) != NTRUN_OK)
        lib_pump_stop(&c->pumps[0]); /* no input for the child: it sees its end at once */
    ntrun_config_free(ccfg);
    *out = c;
    return NTRUN_OK;
fail:
    if (rep[0] >= 0)
        close(rep[0]);
    if (rep[1] >= 0)
        close(rep[1]);
    for (int i = 0; i < 3; i++)
        lib_pump_stop(&c->pumps[i]);
    lib_pump_stop(&c->trace);
    ntrun_config_free(ccfg);
    free(c);
    return e;
}

NTRUN_API int ntrun_child_pid(const ntrun_child *c) { return c ? c->pid : -1; }

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

static void lib_child_reap(ntrun_child *c)
{
    int status = 0;
    struct rusage ru = {0};
    while (wait4(c->pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    c->reaped = true;
    uint64_t wall = lib_child_now_ns() - c->start_ns;
    lib_child_report rep;
    size_t got = 0;
    while (got < sizeof rep) {
        ssize_t n = read(c->status_fd, (char *)&rep + got, sizeof rep - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    memset(&c->exit, 0, sizeof c->exit);
    if (got == sizeof rep) { /* it ended by itself (maybe just before a terminate) */
        c->result = (ntrun_error)rep.error;
        c->exit_code = rep.exit_code;
        c->stats = rep.stats;
        c->exit = rep.exit;
        snprintf(c->message, sizeof c->message, "%s", rep.message);
    } else if (c->terminated) {
        c->result = NTRUN_OK;
        c->exit_code = c->terminate_code;
        c->exit.reason = NTRUN_END_TERMINATED;
        memset(&c->stats, 0, sizeof c->stats);
    } else {
        c->result = NTRUN_OK;
        c->exit_code = lib_code_from_status(status);
        c->exit.reason = WIFSIGNALED(status) ? NTRUN_END_SIGNALED : NTRUN_END_EXITED;
        c->exit.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
        memset(&c->stats, 0, sizeof c->stats);
    }
    c->exit.size = sizeof c->exit;
    c->exit.exit_code = c->exit_code;
    c->stats.size = sizeof c->stats;
    c->stats.wall_ns = wall;
    c->stats.peak_rss_bytes = (uint64_t)ru.ru_maxrss * 1024;
    for (int i = 0; i < 3; i++)
        lib_pump_stop(&c->pumps[i]);
    lib_pump_stop(&c->trace);
    close(c->status_fd);
    c->status_fd = -1;
    if (c->pidfd >= 0)
        close(c->pidfd);
    c->pidfd = -1;
}

/* Has the child ended? Waits up to timeout_ms (-1: forever). */
static bool lib_child_ended(ntrun_child *c, int timeout_ms)
{
    if (c->pidfd >= 0) {
        struct pollfd pfd = {c->pidfd, POLLIN, 0};
        for (;;) {
            int r = poll(&pfd, 1, timeout_ms);
            if (r < 0 && errno == EINTR)
                continue;
            return r > 0;
        }
    }
    /* No pidfd (Linux < 5.3): look every 5 ms. */
    uint64_t deadline = lib_child_now_ns() + (uint64_t)(timeout_ms < 0 ? 0 : timeout_ms) * 1000000u;
    for (;;) {
        siginfo_t si = {0};
        if (waitid(P_PID, (id_t)c->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid)
            return true;
        if (timeout_ms >= 0 && lib_child_now_ns() >= deadline)
            return false;
        struct timespec step = {0, 5000000};
        nanosleep(&step, NULL);
    }
}

NTRUN_API ntrun_error ntrun_child_wait(ntrun_child *c, int timeout_ms, uint32_t *exit_code)
{
    lib_clear_error();
    if (!c)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "child is NULL");
    if (!c->reaped) {
        if (!lib_child_ended(c, timeout_ms))
            return lib_fail(NTRUN_E_TIMEOUT, "child %d is still running", (int)c->pid);
        lib_child_reap(c);
    }
    if (exit_code)
        *exit_code = c->exit_code;
    if (c->result != NTRUN_OK)
        return lib_fail(c->result, "%s", c->message);
    return NTRUN_OK;
}

NTRUN_API ntrun_error ntrun_child_terminate(ntrun_child *c, uint32_t exit_code)
{
    lib_clear_error();
    if (!c)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "child is NULL");
    if (c->reaped)
        return NTRUN_OK; /* already ended: Windows' TerminateProcess fails, nothing to do */
    c->terminated = true;
    c->terminate_code = exit_code;
    if (kill(c->pid, SIGKILL) != 0 && errno != ESRCH)
        return lib_fail(NTRUN_E_SYSTEM, "kill %d: %s", (int)c->pid, strerror(errno));
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
    if (!c->reaped) {
        kill(c->pid, SIGKILL);
        lib_child_reap(c);
    }
    free(c);
}
