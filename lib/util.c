/* libntrun helpers: per-thread error messages, output pumps (pipe + thread -> callback),
 * version, peak memory. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
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

/* ---- pumps ----
 * The thread polls the pipe and an eventfd. Data goes to the callback as it arrives. Once the
 * eventfd is signalled (lib_pump_stop: the run is over and its write ends are closed), it reads
 * what is left without waiting and ends, so a copy of the write end that the program leaked
 * (or a grandchild holds) cannot keep it alive. */
static bool lib_pump_drain(lib_pump *p)
{
    char buf[4096];
    for (;;) {
        ssize_t n = read(p->rfd, buf, sizeof buf);
        if (n > 0) {
            p->fn(p->ctx, buf, (size_t)n);
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
    return NULL;
}

ntrun_error lib_pump_start(lib_pump *p, ntrun_write_fn fn, void *ctx)
{
    int fds[2];
    *p = (lib_pump){.rfd = -1, .wfd = -1, .stopfd = -1, .fn = fn, .ctx = ctx};
    if (pipe2(fds, O_CLOEXEC) != 0)
        return lib_fail(NTRUN_E_SYSTEM, "cannot create an output pipe: %s", strerror(errno));
    p->rfd = fds[0];
    p->wfd = fds[1];
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

void lib_pump_close_write(lib_pump *p)
{
    if (p->wfd >= 0)
        close(p->wfd);
    p->wfd = -1;
}

void lib_pump_stop(lib_pump *p)
{
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
}

uint64_t lib_peak_rss(void)
{
    /* ru_maxrss is the kernel's RSS high-water mark (VmHWM), without parsing /proc. */
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return (uint64_t)ru.ru_maxrss * 1024;
}
