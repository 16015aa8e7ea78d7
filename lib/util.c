/* SPDX-License-Identifier: MIT */
/* libntrun helpers: per-thread error messages, output pumps (pipe + thread -> callback),
 * version, peak memory. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "lib/lib_private.h"

#define LIB_STR2(x) #x
#define LIB_STR(x) LIB_STR2(x)

NTRUN_API const char *ntrun_version(void)
{
    return LIB_STR(NTRUN_VERSION_MAJOR) "." LIB_STR(NTRUN_VERSION_MINOR) "." LIB_STR(
        NTRUN_VERSION_PATCH);
}

NTRUN_API unsigned ntrun_version_number(void)
{
    return NTRUN_VERSION_MAJOR * 10000u + NTRUN_VERSION_MINOR * 100u + NTRUN_VERSION_PATCH;
}

static __thread char lib_errmsg[1024];

ntrun_error lib_fail(ntrun_error code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(lib_errmsg, sizeof lib_errmsg, fmt, ap);
    va_end(ap);
    return code;
}

void lib_clear_error(void) { lib_errmsg[0] = 0; }

ntrun_error lib_check_start(const ntrun_config *cfg, const char *path, const void *out)
{
    lib_clear_error();
    if (!out)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "out is NULL");
    if (!cfg)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "config is NULL");
    if (!path || !*path)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "path: no program given");
    return NTRUN_OK;
}

NTRUN_API const char *ntrun_error_message(void) { return lib_errmsg; }

NTRUN_API const char *ntrun_error_name(ntrun_error code)
{
    switch (code) {
    case NTRUN_OK: return "NTRUN_OK";
    case NTRUN_E_INVALID_ARGUMENT: return "NTRUN_E_INVALID_ARGUMENT";
    case NTRUN_E_NO_MEMORY: return "NTRUN_E_NO_MEMORY";
    case NTRUN_E_BUSY: return "NTRUN_E_BUSY";
    case NTRUN_E_RUNTIME: return "NTRUN_E_RUNTIME";
    case NTRUN_E_FILE: return "NTRUN_E_FILE";
    case NTRUN_E_FORMAT: return "NTRUN_E_FORMAT";
    case NTRUN_E_IMPORT: return "NTRUN_E_IMPORT";
    case NTRUN_E_STATE: return "NTRUN_E_STATE";
    case NTRUN_E_SYSTEM: return "NTRUN_E_SYSTEM";
    case NTRUN_E_TIMEOUT: return "NTRUN_E_TIMEOUT";
    }
    return "NTRUN_E_?";
}

struct timespec lib_deadline(uint32_t ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (long)(ms % 1000) * 1000000;
    if (t.tv_nsec >= 1000000000) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000;
    }
    return t;
}

bool lib_wait_flag(pthread_mutex_t *lock, pthread_cond_t *cond, const bool *flag,
                   int timeout_ms)
{
    struct timespec until = lib_deadline(timeout_ms > 0 ? (uint32_t)timeout_ms : 0);
    pthread_mutex_lock(lock);
    int r = 0;
    while (!*flag && r != ETIMEDOUT) {
        if (timeout_ms < 0)
            pthread_cond_wait(cond, lock);
        else if (timeout_ms == 0)
            r = ETIMEDOUT;
        else
            r = pthread_cond_timedwait(cond, lock, &until);
    }
    bool done = *flag;
    pthread_mutex_unlock(lock);
    return done;
}

NTRUN_API const char *ntrun_end_reason_name(uint32_t reason)
{
    switch (reason) {
    case NTRUN_END_NONE: return "not ended";
    case NTRUN_END_EXITED: return "exited";
    case NTRUN_END_EXCEPTION: return "unhandled exception";
    case NTRUN_END_UNIMPLEMENTED: return "unimplemented function";
    case NTRUN_END_TERMINATED: return "terminated";
    case NTRUN_END_SIGNALED: return "killed by a signal";
    case NTRUN_END_TIMED_OUT: return "timed out";
    case NTRUN_END_LOAD_FAILED: return "load failed";
    case NTRUN_END_CLOSED: return "closed by the host";
    }
    return "?";
}

ntrun_error lib_copy_exit_info(const ntrun_exit_info *from, ntrun_exit_info *out)
{
    if (!out)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "out is NULL");
    uint32_t size = out->size && out->size < sizeof *out ? out->size : sizeof *out;
    memcpy(out, from, size);
    out->size = size;
    return NTRUN_OK;
}

/* ---- pumps ----
 * The thread polls the pipe and an eventfd. Data goes to the callback as it arrives. Once the
 * eventfd is signalled (lib_pump_stop: the run is over and its write ends are closed), it reads
 * what is left without waiting and ends, so a copy of the write end that the program leaked
 * (or a grandchild holds) cannot keep it alive. */
static void lib_pump_deliver(lib_pump *p, const char *buf, size_t n)
{
    if (!p->lines) {
        p->fn(p->ctx, buf, n);
        if (p->events)
            lib_event_output(p->events, p->stream, buf, n);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (p->linelen < LIB_PUMP_LINE)
            p->line[p->linelen++] = buf[i];
        if (buf[i] == '\n') {
            if (p->line[p->linelen - 1] != '\n') /* cut: still ends the line */
                p->line[p->linelen - 1] = '\n';
            p->fn(p->ctx, p->line, p->linelen);
            p->linelen = 0;
        }
    }
}

static void lib_pump_flush_line(lib_pump *p)
{
    if (p->lines && p->linelen) {
        if (p->linelen == LIB_PUMP_LINE)
            p->linelen--;
        p->line[p->linelen++] = '\n';
        p->fn(p->ctx, p->line, p->linelen);
        p->linelen = 0;
    }
}

static bool lib_pump_drain(lib_pump *p)
{
    char buf[4096];
    for (;;) {
        ssize_t n = read(p->rfd, buf, sizeof buf);
        if (n > 0) {
            lib_pump_deliver(p, buf, (size_t)n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        return n == 0; /* true: end of file */
    }
}

static void *lib_pump_main(void *arg)
{
    lib_pump *p = arg;
    for (;;) {
        struct pollfd fds[2] = {{p->rfd, POLLIN, 0}, {p->stopfd, POLLIN, 0}};
        int r = poll(fds, 2, -1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            break;
        if (fds[0].revents && lib_pump_drain(p))
            break;
        if (fds[1].revents) {
            lib_pump_drain(p);
            break;
        }
    }
    lib_pump_flush_line(p);
    return NULL;
}

/* A fresh pump (output: fn, or feed: rfn) with its pipe. */
static ntrun_error lib_pump_pipe(lib_pump *p, ntrun_write_fn fn, ntrun_read_fn rfn, void *ctx)
{
    int fds[2];
    *p = (lib_pump){.rfd = -1, .wfd = -1, .stopfd = -1, .fn = fn, .rfn = rfn, .ctx = ctx};
    if (pipe2(fds, O_CLOEXEC) != 0)
        return lib_fail(NTRUN_E_SYSTEM, "cannot create an %s pipe: %s", rfn ? "input" : "output",
                        strerror(errno));
    p->rfd = fds[0];
    p->wfd = fds[1];
    return NTRUN_OK;
}

static ntrun_error lib_pump_run(lib_pump *p);

ntrun_error lib_pump_start(lib_pump *p, ntrun_write_fn fn, void *ctx)
{
    ntrun_error e = lib_pump_pipe(p, fn, NULL, ctx);
    return e == NTRUN_OK ? lib_pump_run(p) : e;
}

/* Output pump of a fresh pipe: the eventfd and the thread. */
static ntrun_error lib_pump_run(lib_pump *p)
{
    fcntl(p->rfd, F_SETFL, O_NONBLOCK);
    p->stopfd = eventfd(0, EFD_CLOEXEC);
    if (p->stopfd < 0) {
        int e = errno;
        lib_pump_stop(p);
        return lib_fail(NTRUN_E_SYSTEM, "cannot create an eventfd: %s", strerror(e));
    }
    int r = pthread_create(&p->thread, NULL, lib_pump_main, p);
    if (r != 0) {
        lib_pump_stop(p);
        return lib_fail(NTRUN_E_SYSTEM, "cannot start the output thread: %s", strerror(r));
    }
    p->running = true;
    return NTRUN_OK;
}

ntrun_error lib_pump_start_lines(lib_pump *p, ntrun_write_fn fn, void *ctx)
{
    /* The flag must be set before the thread starts: lib_pump_start would reset it. */
    ntrun_error e = lib_pump_pipe(p, fn, NULL, ctx);
    if (e != NTRUN_OK)
        return e;
    if (!(p->line = malloc(LIB_PUMP_LINE))) {
        lib_pump_stop(p);
        return lib_fail(NTRUN_E_NO_MEMORY, "out of memory");
    }
    p->lines = true;
    return lib_pump_run(p);
}

static void *lib_feed_main(void *arg)
{
    lib_pump *p = arg;
    sigset_t pipe_set;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE); /* a program that stops reading must not kill the host */
    pthread_sigmask(SIG_BLOCK, &pipe_set, NULL);
    char buf[4096];
    while (!atomic_load(&p->stopping)) {
        long n = p->rfn(p->ctx, buf, sizeof buf);
        if (n <= 0)
            break;
        if ((size_t)n > sizeof buf)
            n = sizeof buf;
        for (long done = 0; done < n;) {
            ssize_t w = write(p->wfd, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                goto out; /* EPIPE: the program's end is closed */
            done += w;
        }
    }
out:
    close(p->wfd);
    p->wfd = -1;
    return NULL;
}

static ntrun_error lib_feed_run(lib_pump *p)
{
    int r = pthread_create(&p->thread, NULL, lib_feed_main, p);
    if (r != 0) {
        close(p->rfd);
        close(p->wfd);
        p->rfd = p->wfd = -1;
        return lib_fail(NTRUN_E_SYSTEM, "cannot start the input thread: %s", strerror(r));
    }
    p->running = true;
    return NTRUN_OK;
}

ntrun_error lib_feed_start(lib_pump *p, ntrun_read_fn fn, void *ctx)
{
    ntrun_error e = lib_pump_pipe(p, NULL, fn, ctx);
    return e == NTRUN_OK ? lib_feed_run(p) : e;
}

void lib_pump_close_write(lib_pump *p)
{
    int *end = p->rfn ? &p->rfd : &p->wfd; /* the program's end */
    if (*end >= 0)
        close(*end);
    *end = -1;
}

void lib_pump_stop(lib_pump *p)
{
    if (p->rfn) { /* a feed: the thread owns the write end */
        atomic_store(&p->stopping, true);
        if (p->rfd >= 0)
            close(p->rfd);
        p->rfd = -1;
        if (p->running)
            pthread_join(p->thread, NULL);
        else if (p->wfd >= 0) { /* never started: the write end is still ours */
            close(p->wfd);
            p->wfd = -1;
        }
        p->running = false;
        return;
    }
    lib_pump_close_write(p);
    if (p->running) {
        uint64_t one = 1;
        ssize_t w = write(p->stopfd, &one, sizeof one);
        (void)w;
        pthread_join(p->thread, NULL);
        p->running = false;
    }
    if (p->rfd >= 0)
        close(p->rfd);
    if (p->stopfd >= 0)
        close(p->stopfd);
    p->rfd = p->stopfd = -1;
    free(p->line); /* the thread has ended: no more lines */
    p->line = NULL;
    p->lines = false;
    p->linelen = 0;
}

uint64_t lib_peak_rss(void)
{
    /* ru_maxrss is the kernel's RSS high-water mark (VmHWM), without parsing /proc. */
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return (uint64_t)ru.ru_maxrss * 1024;
}

uint64_t lib_peak_rss_own(void)
{
    FILE *f = fopen("/proc/self/status", "re");
    if (!f)
        return 0;
    char line[256];
    unsigned long long kb = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %llu kB", &kb) == 1)
            break;
    fclose(f);
    return (uint64_t)kb * 1024;
}

uint64_t lib_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- events ---- */
void lib_events_init(lib_events *ev, ntrun_event_fn fn, void *ctx)
{
    *ev = (lib_events){.fn = fn, .ctx = ctx};
    pthread_mutex_init(&ev->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&ev->cond, &ca);
    pthread_condattr_destroy(&ca);
}

void lib_events_destroy(lib_events *ev)
{
    free(ev->builtins_seen);
    ev->builtins_seen = NULL;
    pthread_cond_destroy(&ev->cond);
    pthread_mutex_destroy(&ev->lock);
}

void lib_events_gate(lib_events *ev) { ev->gated = true; }

void lib_events_open_gate(lib_events *ev)
{
    pthread_mutex_lock(&ev->lock);
    ev->gate_open = true;
    pthread_cond_broadcast(&ev->cond);
    pthread_mutex_unlock(&ev->lock);
}

static void lib_event_send(lib_events *ev, ntrun_event *e)
{
    e->size = sizeof *e;
    e->pid = ev->pid;
    ev->fn(ev->ctx, e);
}

/* ev->lock held. */
static void lib_event_started_locked(lib_events *ev)
{
    if (ev->started)
        return;
    ev->started = true;
    pthread_cond_broadcast(&ev->cond);
    ntrun_event e = {.type = NTRUN_EVENT_STARTED};
    lib_event_send(ev, &e);
}

void lib_event_started(lib_events *ev)
{
    if (!ev->fn)
        return;
    pthread_mutex_lock(&ev->lock);
    lib_event_started_locked(ev);
    pthread_mutex_unlock(&ev->lock);
}

void lib_event_output(lib_events *ev, int stream, const char *data, size_t len)
{
    if (!ev->fn)
        return;
    pthread_mutex_lock(&ev->lock);
    if (ev->gated && !ev->started && !ev->gate_open) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += 5; /* a bound, should the monitor never get to the socket */
        while (!ev->started && !ev->gate_open &&
               pthread_cond_timedwait(&ev->cond, &ev->lock, &until) != ETIMEDOUT)
            ;
    }
    lib_event_started_locked(ev); /* output means it started, whoever saw it first */
    ntrun_event e = {.type = NTRUN_EVENT_OUTPUT, .stream = stream, .data = data, .len = len};
    lib_event_send(ev, &e);
    pthread_mutex_unlock(&ev->lock);
}

void lib_event_dll(lib_events *ev, const char *name, const char *path, uint64_t base,
                   uint64_t size)
{
    if (!ev->fn)
        return;
    bool builtin = !path || !*path;
    pthread_mutex_lock(&ev->lock);
    if (builtin) {
        for (size_t i = 0; i < ev->nbuiltins_seen; i++)
            if (!strcasecmp(ev->builtins_seen[i], name)) {
                pthread_mutex_unlock(&ev->lock);
                return;
            }
        if (!ev->builtins_seen)
            ev->builtins_seen = calloc(LIB_BUILTINS_SEEN, sizeof ev->builtins_seen[0]);
        if (ev->builtins_seen && ev->nbuiltins_seen < LIB_BUILTINS_SEEN)
            snprintf(ev->builtins_seen[ev->nbuiltins_seen++], sizeof ev->builtins_seen[0], "%s",
                     name);
    }
    ntrun_dll_info d = {.size = sizeof d, .builtin = builtin, .base = base, .image_size = size,
                        .name = name, .path = builtin ? "" : path};
    ntrun_event e = {.type = NTRUN_EVENT_DLL_LOADED, .dll = &d};
    lib_event_send(ev, &e);
    pthread_mutex_unlock(&ev->lock);
}

void lib_event_exited(lib_events *ev, const ntrun_exit_info *exit)
{
    if (!ev->fn)
        return;
    pthread_mutex_lock(&ev->lock);
    ntrun_event e = {.type = NTRUN_EVENT_EXITED, .exit = exit};
    lib_event_send(ev, &e);
    pthread_mutex_unlock(&ev->lock);
}
