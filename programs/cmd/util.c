/* SPDX-License-Identifier: MIT */
/* cmd: strings, output and environment helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "programs/cmd/cmd_private.h"

void cmd_buf_add(cmd_buf *b, const char *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s)
            abort(); /* cmd cannot go on without memory */
        b->s = s;
        b->cap = cap;
    }
    memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = 0;
}

void cmd_buf_adds(cmd_buf *b, const char *p) { cmd_buf_add(b, p, strlen(p)); }
void cmd_buf_addc(cmd_buf *b, char c) { cmd_buf_add(b, &c, 1); }

char *cmd_buf_take(cmd_buf *b)
{
    if (!b->s)
        cmd_buf_add(b, "", 0);
    char *s = b->s;
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

char *cmd_strndup(const char *s, size_t n)
{
    cmd_buf b = {0};
    cmd_buf_add(&b, s, n);
    return cmd_buf_take(&b);
}

char *cmd_strdup(const char *s) { return cmd_strndup(s, strlen(s)); }

bool cmd_is_space(char c) { return c == ' ' || c == '\t'; }
bool cmd_is_delim(char c) { return c == ' ' || c == '\t' || c == ',' || c == ';' || c == '='; }

const char *cmd_skip_delims(const char *s)
{
    while (cmd_is_delim(*s))
        s++;
    return s;
}

const char *cmd_skip_spaces(const char *s)
{
    while (cmd_is_space(*s))
        s++;
    return s;
}

char *cmd_next_arg(const char **p, bool strip)
{
    const char *s = cmd_skip_delims(*p);
    if (!*s) {
        *p = s;
        return NULL;
    }
    cmd_buf b = {0};
    bool q = false;
    for (; *s && (q || !cmd_is_delim(*s)); s++) {
        if (*s == '"') {
            q = !q;
            if (strip)
                continue;
        }
        cmd_buf_addc(&b, *s);
    }
    *p = s;
    return cmd_buf_take(&b);
}

char *cmd_unquote(const char *s)
{
    cmd_buf b = {0};
    for (; *s; s++)
        if (*s != '"')
            cmd_buf_addc(&b, *s);
    return cmd_buf_take(&b);
}

bool cmd_ieq(const char *a, const char *b) { return strcasecmp(a, b) == 0; }

void cmd_trim_right(char *s)
{
    size_t n = strlen(s);
    while (n && cmd_is_space(s[n - 1]))
        s[--n] = 0;
}

/* ---- output ---- */

static void cmd_write(HANDLE h, const char *s, size_t n)
{
    if (!h || h == CMD_INVALID_HANDLE)
        return;
    while (n) {
        DWORD done = 0;
        if (!WriteFile(h, s, (DWORD)(n > 0x10000 ? 0x10000 : n), &done, NULL) || !done)
            return;
        s += done;
        n -= done;
    }
}

void cmd_outn(const cmd_io *io, const char *s, size_t n) { cmd_write(io->h[1], s, n); }
void cmd_out(const cmd_io *io, const char *s) { cmd_write(io->h[1], s, strlen(s)); }
void cmd_err(const cmd_io *io, const char *s) { cmd_write(io->h[2], s, strlen(s)); }

static void cmd_vwrite(HANDLE h, const char *fmt, va_list ap)
{
    char small[512];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n < 0) {
        va_end(ap2);
        return;
    }
    if ((size_t)n < sizeof small) {
        cmd_write(h, small, (size_t)n);
    } else {
        char *big = malloc((size_t)n + 1);
        if (big) {
            vsnprintf(big, (size_t)n + 1, fmt, ap2);
            cmd_write(h, big, (size_t)n);
            free(big);
        }
    }
    va_end(ap2);
}

void cmd_outf(const cmd_io *io, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cmd_vwrite(io->h[1], fmt, ap);
    va_end(ap);
}

void cmd_errf(const cmd_io *io, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cmd_vwrite(io->h[2], fmt, ap);
    va_end(ap);
}

/* ---- environment ---- */

char *cmd_getenv(const char *name)
{
    if (!*name)
        return NULL;
    char small[256];
    DWORD n = GetEnvironmentVariableA(name, small, sizeof small);
    if (!n && GetLastError() == 203) /* ERROR_ENVVAR_NOT_FOUND */
        return NULL;
    if (n < sizeof small)
        return cmd_strndup(small, n);
    char *big = malloc(n);
    if (!big)
        abort();
    DWORD m = GetEnvironmentVariableA(name, big, n);
    if (m >= n) {
        free(big);
        return NULL;
    }
    return big;
}

char *cmd_cwd(void)
{
    char buf[1024];
    DWORD n = GetCurrentDirectoryA(sizeof buf, buf);
    if (n && n < sizeof buf)
        return cmd_strndup(buf, n);
    char *big = malloc(n + 1);
    if (!big)
        abort();
    GetCurrentDirectoryA(n + 1, big);
    return big;
}

char *cmd_read_line(const cmd_io *io, bool *eof)
{
    cmd_buf line = {0};
    char c;
    DWORD got;
    bool end = true;
    while (ReadFile(io->h[0], &c, 1, &got, NULL) && got == 1) {
        if (c == '\n') {
            end = false;
            break;
        }
        if (c != '\r')
            cmd_buf_addc(&line, c);
    }
    if (eof)
        *eof = end && !line.len;
    return cmd_buf_take(&line);
}
