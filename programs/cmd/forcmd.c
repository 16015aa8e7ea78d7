/* SPDX-License-Identifier: MIT */
/* cmd's FOR.
 *   FOR %v IN (set) DO cmd       each word of the set (quotes kept); a word with * or ? is the
 *                                files it matches (with its directory part, as written)
 *   FOR /D %v IN (set) DO cmd    the same, matching directories
 *   FOR /R [root] %v IN (set) DO cmd  the set in root (default: the current directory) and
 *                                each directory below it, depth first: a word with * or ? the
 *                                files it matches there, another word dir\word
 *   FOR /L %v IN (a,s,b) DO cmd  a, a+s, ... up to b
 *   FOR /F ["opts"] %v IN (files | "string" | 'command') DO cmd
 *                                each line (of the files, the string, or the command's output,
 *                                the command run by a child cmd /c), split into tokens at
 *                                delims (default space and tab); opts: tokens=1,2-3*, delims=,
 *                                skip=, eol= (default ;), usebackq ("file", 'string', `cmd`).
 * The variables are substituted in the command each time it runs (cmd_expand_runtime); %v
 * takes the next letters for more tokens, as Windows does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "programs/cmd/cmd_private.h"

static bool cmd_for_stopped(void)
{
    return cmd_st.exiting || cmd_st.leave_batch || cmd_st.jumped;
}

static int cmd_for_run(cmd_node *n, const cmd_io *io, const char *const *values, size_t nv)
{
    cmd_forvar vars[64];
    size_t k = 0;
    for (; k < nv && k < 64; k++) {
        vars[k].name = (char)(n->for_var + k);
        vars[k].value = values[k];
        vars[k].prev = k ? &vars[k - 1] : cmd_st.forvars;
    }
    cmd_forvar *saved = cmd_st.forvars;
    cmd_st.forvars = k ? &vars[k - 1] : saved;
    int rc = cmd_exec(n->left, io);
    cmd_st.forvars = saved;
    return rc;
}

static int cmd_for_set(cmd_node *n, const char *set, const cmd_io *io)
{
    int rc = 0;
    const char *p = set;
    char *w;
    while (!cmd_for_stopped() && (w = cmd_next_arg(&p, false)) != NULL) {
        if (!strpbrk(w, "*?")) {
            if (n->for_kind != CMD_FOR_D) {
                const char *v = w;
                rc = cmd_for_run(n, io, &v, 1);
            }
            free(w);
            continue;
        }
        char *pat = cmd_unquote(w);
        size_t dlen = 0;
        for (size_t i = 0; pat[i]; i++)
            if (pat[i] == '\\' || pat[i] == '/' || (i == 1 && pat[i] == ':'))
                dlen = i + 1;
        cmd_find_data fd;
        HANDLE h = FindFirstFileA(pat, &fd);
        if (h != CMD_INVALID_HANDLE) {
            do {
                bool dir = fd.dwFileAttributes & CMD_ATTR_DIRECTORY;
                if (dir != (n->for_kind == CMD_FOR_D) || !strcmp(fd.cFileName, ".") ||
                    !strcmp(fd.cFileName, ".."))
                    continue;
                cmd_buf b = {0};
                cmd_buf_add(&b, pat, dlen);
                cmd_buf_adds(&b, fd.cFileName);
                char *v = cmd_buf_take(&b);
                const char *cv = v;
                rc = cmd_for_run(n, io, &cv, 1);
                free(v);
            } while (!cmd_for_stopped() && FindNextFileA(h, &fd));
            FindClose(h);
        }
        free(pat);
        free(w);
    }
    return rc;
}

/* FOR /R: the set in dir, then in each directory below it. */
static int cmd_for_r_dir(cmd_node *n, const char *dir, const char *set, const cmd_io *io)
{
    int rc = 0;
    const char *p = set;
    char *w;
    while (!cmd_for_stopped() && (w = cmd_next_arg(&p, true)) != NULL) {
        cmd_buf b = {0};
        cmd_buf_adds(&b, dir);
        if (b.len && b.s[b.len - 1] != '\\')
            cmd_buf_addc(&b, '\\');
        size_t dlen = b.len;
        cmd_buf_adds(&b, w);
        char *path = cmd_buf_take(&b);
        if (!strpbrk(w, "*?")) {
            const char *cv = path;
            rc = cmd_for_run(n, io, &cv, 1);
        } else {
            cmd_find_data fd;
            HANDLE h = FindFirstFileA(path, &fd);
            if (h != CMD_INVALID_HANDLE) {
                do {
                    if (fd.dwFileAttributes & CMD_ATTR_DIRECTORY)
                        continue;
                    cmd_buf f = {0};
                    cmd_buf_add(&f, path, dlen);
                    cmd_buf_adds(&f, fd.cFileName);
                    char *v = cmd_buf_take(&f);
                    const char *cv = v;
                    rc = cmd_for_run(n, io, &cv, 1);
                    free(v);
                } while (!cmd_for_stopped() && FindNextFileA(h, &fd));
                FindClose(h);
            }
        }
        free(path);
        free(w);
    }
    cmd_buf pb = {0};
    cmd_buf_adds(&pb, dir);
    if (pb.len && pb.s[pb.len - 1] != '\\')
        cmd_buf_addc(&pb, '\\');
    cmd_buf_addc(&pb, '*');
    char *pat = cmd_buf_take(&pb);
    cmd_find_data fd;
    HANDLE h = FindFirstFileA(pat, &fd);
    if (h != CMD_INVALID_HANDLE) {
        do {
            if (!(fd.dwFileAttributes & CMD_ATTR_DIRECTORY) || !strcmp(fd.cFileName, ".") ||
                !strcmp(fd.cFileName, ".."))
                continue;
            cmd_buf s = {0};
            cmd_buf_add(&s, pat, strlen(pat) - 1);
            cmd_buf_adds(&s, fd.cFileName);
            char *sub = cmd_buf_take(&s);
            rc = cmd_for_r_dir(n, sub, set, io);
            free(sub);
        } while (!cmd_for_stopped() && FindNextFileA(h, &fd));
        FindClose(h);
    }
    free(pat);
    return rc;
}

static int cmd_for_r(cmd_node *n, const char *set, const cmd_io *io)
{
    char *root = NULL;
    if (n->for_opts) {
        char *e = cmd_expand_runtime(n->for_opts);
        char *u = cmd_unquote(e);
        free(e);
        char buf[1024];
        DWORD len = GetFullPathNameA(u, sizeof buf, buf, NULL);
        root = len && len < sizeof buf ? cmd_strndup(buf, len) : cmd_strdup(u);
        free(u);
    } else {
        root = cmd_cwd();
    }
    int rc = cmd_for_r_dir(n, root, set, io);
    free(root);
    return rc;
}

static int cmd_for_l(cmd_node *n, const char *set, const cmd_io *io)
{
    long long v[3] = {0, 0, 0};
    const char *p = set;
    for (int i = 0; i < 3; i++) {
        char *w = cmd_next_arg(&p, true);
        if (w)
            v[i] = strtoll(w, NULL, 0);
        free(w);
    }
    int rc = 0;
    for (long long i = v[0]; !cmd_for_stopped() && (v[1] >= 0 ? i <= v[2] : i >= v[2]);
         i += v[1]) {
        char num[32];
        snprintf(num, sizeof num, "%lld", i);
        const char *cv = num;
        rc = cmd_for_run(n, io, &cv, 1);
        if (!v[1])
            break; /* Windows loops forever; one pass is enough to be useful */
    }
    return rc;
}

typedef struct {
    int tokens[32]; /* token numbers, 1-based, in order */
    size_t ntokens;
    bool rest;      /* '*': the rest of the line after the last token */
    char delims[64];
    char eol;
    long skip;
    bool usebackq;
} cmd_for_opts;

static bool cmd_parse_for_opts(const char *s, cmd_for_opts *o, const cmd_io *io)
{
    *o = (cmd_for_opts){.tokens = {1}, .ntokens = 1, .delims = " \t", .eol = ';'};
    while (s && *s) {
        s = cmd_skip_spaces(s);
        if (!strncasecmp(s, "tokens=", 7)) {
            s += 7;
            o->ntokens = 0;
            while (*s && !cmd_is_space(*s)) {
                if (*s == '*') {
                    o->rest = true;
                    s++;
                    continue;
                }
                char *end;
                long a = strtol(s, &end, 10), b = a;
                if (end == s)
                    goto bad;
                s = end;
                if (*s == '-') {
                    b = strtol(s + 1, &end, 10);
                    s = end;
                }
                for (long t = a; t <= b && o->ntokens < 32; t++)
                    o->tokens[o->ntokens++] = (int)t;
                if (*s == ',')
                    s++;
            }
        } else if (!strncasecmp(s, "delims=", 7)) {
            s += 7;
            size_t k = 0;
            while (*s && k + 1 < sizeof o->delims) /* to the end: a space may be a delimiter */
                o->delims[k++] = *s++;
            o->delims[k] = 0;
        } else if (!strncasecmp(s, "skip=", 5)) {
            o->skip = strtol(s + 5, (char **)&s, 10);
        } else if (!strncasecmp(s, "eol=", 4)) {
            o->eol = s[4];
            s += s[4] ? 5 : 4;
        } else if (!strncasecmp(s, "usebackq", 8)) {
            o->usebackq = true;
            s += 8;
        } else if (*s) {
            goto bad;
        }
    }
    return true;
bad:
    cmd_errf(io, "%s was unexpected at this time.\r\n", s);
    return false;
}

static int cmd_for_line(cmd_node *n, const cmd_for_opts *o, const char *line, const cmd_io *io)
{
    if (!*line || (o->eol && line[0] == o->eol))
        return 0;
    const char *tok_start[64];
    size_t tok_len[64], nt = 0;
    const char *s = line;
    while (*s && nt < 64) {
        while (*s && strchr(o->delims, *s))
            s++;
        if (!*s)
            break;
        tok_start[nt] = s;
        while (*s && !strchr(o->delims, *s))
            s++;
        tok_len[nt] = (size_t)(s - tok_start[nt]);
        nt++;
    }
    char *vals[33];
    size_t nv = 0;
    int last = 0;
    bool any = false;
    for (size_t i = 0; i < o->ntokens; i++) {
        int t = o->tokens[i];
        if (t >= 1 && (size_t)t <= nt) {
            vals[nv++] = cmd_strndup(tok_start[t - 1], tok_len[t - 1]);
            any = true;
        } else {
            vals[nv++] = cmd_strdup("");
        }
        if (t > last)
            last = t;
    }
    if (o->rest) {
        const char *r = "";
        if ((size_t)last < nt)
            r = tok_start[last];
        vals[nv++] = cmd_strdup(r);
        any |= *r != 0;
    }
    int rc = 0;
    if (any)
        rc = cmd_for_run(n, io, (const char *const *)vals, nv);
    for (size_t i = 0; i < nv; i++)
        free(vals[i]);
    return rc;
}

static int cmd_for_text(cmd_node *n, const cmd_for_opts *o, const char *text, size_t len,
                        long *skip, const cmd_io *io)
{
    int rc = 0;
    for (size_t pos = 0; pos < len && !cmd_for_stopped();) {
        const char *s = text + pos;
        const char *e = memchr(s, '\n', len - pos);
        size_t k = e ? (size_t)(e - s) : len - pos;
        pos += k + (e != NULL);
        while (k && s[k - 1] == '\r')
            k--;
        if (*skip > 0) {
            (*skip)--;
            continue;
        }
        char *line = cmd_strndup(s, k);
        rc = cmd_for_line(n, o, line, io);
        free(line);
    }
    return rc;
}

/* The output of a command run by a child cmd. */
static char *cmd_capture(const char *command, const cmd_io *io, size_t *len)
{
    HANDLE r, w;
    *len = 0;
    if (!CreatePipe(&r, &w, NULL, 0))
        return NULL;
    SetHandleInformation(w, CMD_HANDLE_FLAG_INHERIT, CMD_HANDLE_FLAG_INHERIT);
    cmd_io cio = *io;
    cio.h[1] = w;
    HANDLE proc = NULL;
    cmd_run_child_cmd(command, &cio, &proc);
    CloseHandle(w);
    cmd_buf b = {0};
    char chunk[4096];
    DWORD got;
    while (ReadFile(r, chunk, sizeof chunk, &got, NULL) && got)
        cmd_buf_add(&b, chunk, got);
    CloseHandle(r);
    if (proc) {
        WaitForSingleObject(proc, CMD_INFINITE);
        CloseHandle(proc);
    }
    *len = b.len;
    return cmd_buf_take(&b);
}

static int cmd_for_f(cmd_node *n, const char *set, const cmd_io *io)
{
    cmd_for_opts o;
    char *opts = n->for_opts ? cmd_expand_runtime(n->for_opts) : NULL;
    bool ok = cmd_parse_for_opts(opts, &o, io);
    free(opts);
    if (!ok)
        return cmd_st.errorlevel = 1;
    const char *s = cmd_skip_spaces(set);
    char *src = cmd_strdup(s);
    cmd_trim_right(src);
    size_t sl = strlen(src);
    char cmdq = o.usebackq ? '`' : '\'';
    long skip = o.skip;
    int rc = 0;
    if (sl >= 2 && src[0] == cmdq && src[sl - 1] == cmdq) {
        src[sl - 1] = 0;
        size_t len;
        char *out = cmd_capture(src + 1, io, &len);
        if (out)
            rc = cmd_for_text(n, &o, out, len, &skip, io);
        free(out);
    } else if (sl >= 2 && ((!o.usebackq && src[0] == '"') || (o.usebackq && src[0] == '\'')) &&
               src[sl - 1] == src[0]) {
        src[sl - 1] = 0;
        rc = cmd_for_text(n, &o, src + 1, sl - 2, &skip, io);
    } else {
        const char *p = src;
        char *f;
        while (!cmd_for_stopped() && (f = cmd_next_arg(&p, true)) != NULL) {
            HANDLE h = CreateFileA(f, CMD_GENERIC_READ, CMD_SHARE_ALL, NULL, CMD_OPEN_EXISTING,
                                   0x80, NULL);
            if (h == CMD_INVALID_HANDLE) {
                cmd_errf(io, "The system cannot find the file %s.\r\n", f);
                free(f);
                rc = cmd_st.errorlevel = 1;
                break;
            }
            cmd_buf b = {0};
            char chunk[8192];
            DWORD got;
            while (ReadFile(h, chunk, sizeof chunk, &got, NULL) && got)
                cmd_buf_add(&b, chunk, got);
            CloseHandle(h);
            size_t len = b.len;
            char *text = cmd_buf_take(&b);
            rc = cmd_for_text(n, &o, text, len, &skip, io);
            free(text);
            free(f);
        }
    }
    free(src);
    return rc;
}

int cmd_exec_for(cmd_node *n, const cmd_io *io)
{
    char *set = cmd_expand_runtime(n->text);
    int rc;
    switch (n->for_kind) {
    case CMD_FOR_L:
        rc = cmd_for_l(n, set, io);
        break;
    case CMD_FOR_F:
        rc = cmd_for_f(n, set, io);
        break;
    case CMD_FOR_R:
        rc = cmd_for_r(n, set, io);
        break;
    default:
        rc = cmd_for_set(n, set, io);
        break;
    }
    free(set);
    return rc;
}
