/* SPDX-License-Identifier: MIT */
/* Trace channels and messages for people, on stderr. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "runtime/runtime_private.h"

uint32_t rt_trace_mask;

int rt_trace_parse(const char *spec, const char **bad)
{
    static const struct { const char *name; uint32_t bit; } channels[] = {
        {"loader", RT_TRACE_LOADER}, {"nt", RT_TRACE_NT},
        {"sud", RT_TRACE_SUD}, {"time", RT_TRACE_TIME}, {"all", ~0u},
    };
    uint32_t mask = 0;
    const char *p = spec;
    while (*p) {
        size_t n = strcspn(p, ",");
        bool found = false;
        for (size_t i = 0; i < sizeof channels / sizeof channels[0]; i++) {
            if (strlen(channels[i].name) == n && strncmp(channels[i].name, p, n) == 0) {
                mask |= channels[i].bit;
                found = true;
            }
        }
        if (!found && n > 0) {
            if (bad)
                *bad = p;
            return -EINVAL;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    rt_trace_mask = mask;
    return 0;
}

static void (*volatile rt_message_sink)(void *ctx, const char *line, size_t len);
static void *volatile rt_message_sink_ctx;
static int rt_message_fd = 2; /* rt_set_message_fd */
static int rt_message_pid;    /* a child's pid in its trace lines; 0: none */

void rt_set_message_fd(int fd, bool child)
{
    rt_message_fd = fd;
    rt_message_pid = child ? (int)getpid() : 0;
}

int rt_message_fd_for_children(void)
{
    return rt_message_sink ? -1 : rt_message_fd;
}

void rt_set_message_sink(void (*fn)(void *ctx, const char *line, size_t len), void *ctx)
{
    rt_message_sink_ctx = ctx;
    rt_message_sink = fn;
}

static void rt_write_line(const char *prefix, const char *fmt, va_list ap)
{
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "%s", prefix);
    if (n < 0)
        return;
    int m = vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
    if (m < 0)
        return;
    size_t len = (size_t)n + (size_t)m;
    if (len > sizeof buf - 2)
        len = sizeof buf - 2;
    buf[len++] = '\n';
    void (*sink)(void *, const char *, size_t) = rt_message_sink;
    if (sink) {
        sink(rt_message_sink_ctx, buf, len);
        return;
    }
    ssize_t w = write(rt_message_fd, buf, len);
    (void)w;
}

void rt_trace(const char *channel, const char *fmt, ...)
{
    char prefix[64];
    if (rt_message_pid)
        snprintf(prefix, sizeof prefix, "ntrun: [pid %d] [%s] ", rt_message_pid, channel);
    else
        snprintf(prefix, sizeof prefix, "ntrun: [%s] ", channel);
    va_list ap;
    va_start(ap, fmt);
    rt_write_line(prefix, fmt, ap);
    va_end(ap);
}

void rt_message(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rt_write_line("ntrun: ", fmt, ap);
    va_end(ap);
}
