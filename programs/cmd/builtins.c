/* SPDX-License-Identifier: MIT */
/* cmd's internal commands. Each gets the text after its name (the separator included: "echo."
 * gives ".x" for "echo.x") and the command's standard handles; it returns 0 for success (&&
 * runs the next command; ERRORLEVEL is left as it was) or the ERRORLEVEL of its failure.
 * Messages are Windows' (English). Known commands ntrun's cmd does not do (START, SET /A, ...)
 * say so and fail with 1 rather than doing something else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "programs/cmd/cmd_private.h"

/* ---- small helpers ---- */

/* The arguments as one string, spaces around trimmed, quotes kept. */
char *cmd_arg_text(const char *args)
{
    char *s = cmd_strdup(cmd_skip_spaces(args));
    cmd_trim_right(s);
    return s;
}

/* Splits args into words (quotes stripped); switches (/x) go to *switches, lower-cased. */
static size_t cmd_split(const char *args, char ***out, char *switches, size_t swcap)
{
    size_t n = 0, cap = 4, ns = 0;
    char **v = malloc(cap * sizeof *v);
    if (!v)
        abort();
    const char *p = args;
    char *a;
    while ((a = cmd_next_arg(&p, false)) != NULL) {
        if (a[0] == '/' && a[1] && !a[2] && switches) {
            if (ns + 1 < swcap)
                switches[ns++] = (char)(a[1] | 0x20);
            free(a);
            continue;
        }
        char *u = cmd_unquote(a);
        free(a);
        if (n == cap) {
            cap *= 2;
            char **w = realloc(v, cap * sizeof *w);
            if (!w)
                abort();
            v = w;
        }
        v[n++] = u;
    }
    if (switches)
        switches[ns] = 0;
    *out = v;
    return n;
}

/* 0 when a command that needs arguments has some (n), else 1 and the message. */
static int cmd_any_words(size_t n, const cmd_io *io)
{
    if (!n)
        cmd_err(io, "The syntax of the command is incorrect.\r\n");
    return n ? 0 : 1;
}

static void cmd_free_words(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static bool cmd_has_wild(const char *s) { return strpbrk(s, "*?") != NULL; }

static char *cmd_join(const char *dir, const char *name)
{
    cmd_buf b = {0};
    cmd_buf_adds(&b, dir);
    if (b.len && b.s[b.len - 1] != '\\' && b.s[b.len - 1] != '/' && b.s[b.len - 1] != ':')
        cmd_buf_addc(&b, '\\');
    cmd_buf_adds(&b, name);
    return cmd_buf_take(&b);
}

/* The directory part of a pattern ("" for none), malloc'd. */
static char *cmd_dir_of(const char *path)
{
    const char *last = NULL;
    for (const char *s = path; *s; s++)
        if (*s == '\\' || *s == '/' || (s == path + 1 && *s == ':'))
            last = s;
    if (!last)
        return cmd_strdup("");
    return cmd_strndup(path, (size_t)(last - path) + (*last == ':' ? 1 : 1));
}

static bool cmd_is_dir(const char *path)
{
    DWORD a = GetFileAttributesA(path);
    return a != CMD_INVALID_ATTRS && (a & CMD_ATTR_DIRECTORY);
}

static char *cmd_fullpath(const char *path)
{
    char buf[1024];
    DWORD n = GetFullPathNameA(path, sizeof buf, buf, NULL);
    return n && n < sizeof buf ? cmd_strndup(buf, n) : cmd_strdup(path);
}

/* The files (not directories) a name or wildcard pattern matches, full paths. */
static size_t cmd_glob(const char *pattern, char ***out)
{
    size_t n = 0, cap = 4;
    char **v = malloc(cap * sizeof *v);
    if (!v)
        abort();
    cmd_find_data fd;
    HANDLE h = FindFirstFileA(pattern, &fd);
    if (h != CMD_INVALID_HANDLE) {
        char *dir = cmd_dir_of(pattern);
        do {
            if (fd.dwFileAttributes & CMD_ATTR_DIRECTORY)
                continue;
            if (n == cap) {
                cap *= 2;
                char **w = realloc(v, cap * sizeof *w);
                if (!w)
                    abort();
                v = w;
            }
            char *rel = cmd_join(dir, fd.cFileName);
            v[n++] = cmd_fullpath(rel);
            free(rel);
        } while (FindNextFileA(h, &fd));
        FindClose(h);
        free(dir);
    }
    *out = v;
    return n;
}

/* UTF-16 (an environment block's) to UTF-8, malloc'd. */
static char *cmd_w_to_utf8(const WCHAR *w, size_t n)
{
    cmd_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        uint32_t c = w[i];
        if (c >= 0xd800 && c < 0xdc00 && i + 1 < n && w[i + 1] >= 0xdc00 && w[i + 1] < 0xe000)
            c = 0x10000 + ((c - 0xd800) << 10) + (uint32_t)(w[++i] - 0xdc00);
        char u[4];
        size_t k = 0;
        if (c < 0x80) {
            u[k++] = (char)c;
        } else if (c < 0x800) {
            u[k++] = (char)(0xc0 | (c >> 6));
            u[k++] = (char)(0x80 | (c & 0x3f));
        } else if (c < 0x10000) {
            u[k++] = (char)(0xe0 | (c >> 12));
            u[k++] = (char)(0x80 | ((c >> 6) & 0x3f));
            u[k++] = (char)(0x80 | (c & 0x3f));
        } else {
            u[k++] = (char)(0xf0 | (c >> 18));
            u[k++] = (char)(0x80 | ((c >> 12) & 0x3f));
            u[k++] = (char)(0x80 | ((c >> 6) & 0x3f));
            u[k++] = (char)(0x80 | (c & 0x3f));
        }
        cmd_buf_add(&b, u, k);
    }
    return cmd_buf_take(&b);
}

/* ---- ECHO ---- */

static int cmd_echo(const char *args, const cmd_io *io)
{
    const char *t = cmd_skip_spaces(args);
    if (!*t) {
        cmd_out(io, cmd_st.echo_on ? "ECHO is on.\r\n" : "ECHO is off.\r\n");
        return 0;
    }
    const char *text = args + 1; /* the separator goes */
    char *w = cmd_strdup(t);
    cmd_trim_right(w);
    if (cmd_is_space(args[0]) && (cmd_ieq(w, "on") || cmd_ieq(w, "off"))) {
        cmd_st.echo_on = cmd_ieq(w, "on");
        free(w);
        return 0;
    }
    free(w);
    cmd_out(io, text);
    cmd_out(io, "\r\n");
    return 0;
}

/* ---- SET, PATH ---- */

static int cmd_cmp_env(const void *a, const void *b)
{
    return strcasecmp(*(char *const *)a, *(char *const *)b);
}

/* Shows the variables whose names start with prefix (all for ""); false when none does. */
static bool cmd_show_vars(const char *prefix, const cmd_io *io)
{
    WCHAR *env = GetEnvironmentStringsW();
    if (!env)
        return false;
    size_t n = 0, cap = 64;
    char **v = malloc(cap * sizeof *v);
    if (!v)
        abort();
    for (const WCHAR *e = env; *e;) {
        size_t len = 0;
        while (e[len])
            len++;
        if (*e != u'=') {
            char *s = cmd_w_to_utf8(e, len);
            if (!strncasecmp(s, prefix, strlen(prefix))) {
                if (n == cap) {
                    cap *= 2;
                    char **w = realloc(v, cap * sizeof *w);
                    if (!w)
                        abort();
                    v = w;
                }
                v[n++] = s;
            } else {
                free(s);
            }
        }
        e += len + 1;
    }
    FreeEnvironmentStringsW(env);
    qsort(v, n, sizeof *v, cmd_cmp_env);
    for (size_t i = 0; i < n; i++) {
        cmd_out(io, v[i]);
        cmd_out(io, "\r\n");
    }
    cmd_free_words(v, n);
    return n > 0;
}

static int cmd_set_p(const char *spec, const cmd_io *io)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec) {
        cmd_err(io, "The syntax of the command is incorrect.\r\n");
        return 1;
    }
    char *name = cmd_strndup(spec, (size_t)(eq - spec));
    cmd_out(io, eq + 1);
    char *v = cmd_read_line(io, NULL);
    int rc = 0;
    if (*v)
        SetEnvironmentVariableA(name, v);
    else
        rc = 1;
    free(v);
    free(name);
    return rc;
}

/* ---- SET /A ---- */

typedef struct {
    const char *p;
    const char *error; /* the first error's message */
} cmd_arith;

static long long cmd_ar_assign(cmd_arith *a);

static void cmd_ar_ws(cmd_arith *a)
{
    while (cmd_is_space(*a->p))
        a->p++;
}

static bool cmd_ar_namech(char c)
{
    return c && !cmd_is_space(c) && !strchr("()!~-*/%+<>&^|=,\"", c);
}

static long long cmd_ar_var(const char *name, size_t n)
{
    char *nm = cmd_strndup(name, n);
    char *v = cmd_getenv(nm);
    long long r = v ? strtoll(v, NULL, 0) : 0;
    free(v);
    free(nm);
    return r;
}

static long long cmd_ar_primary(cmd_arith *a)
{
    cmd_ar_ws(a);
    char c = *a->p;
    if (c == '(') {
        a->p++;
        long long v = cmd_ar_assign(a);
        while (!a->error && (cmd_ar_ws(a), *a->p == ','))
            a->p++, v = cmd_ar_assign(a);
        cmd_ar_ws(a);
        if (*a->p != ')') {
            a->error = "Missing closing parenthesis.";
            return 0;
        }
        a->p++;
        return v;
    }
    if (c == '!' || c == '~' || c == '-' || c == '+') {
        a->p++;
        long long v = cmd_ar_primary(a);
        return c == '!' ? !v : c == '~' ? ~v : c == '-' ? -v : v;
    }
    if (c >= '0' && c <= '9') {
        char *end;
        long long v = strtoll(a->p, &end, 0);
        if (cmd_ar_namech(*end)) {
            a->error = "Invalid number.  Numbers are limited to 32-bits of precision.";
            return 0;
        }
        a->p = end;
        return (int32_t)v;
    }
    if (cmd_ar_namech(c)) {
        const char *s = a->p;
        while (cmd_ar_namech(*a->p))
            a->p++;
        return cmd_ar_var(s, (size_t)(a->p - s));
    }
    a->error = "Missing operand.";
    return 0;
}

/* The binary operator at p (not one followed by '=', an assignment): its level, 0 for none. */
static int cmd_ar_binop(const char *p, size_t *len)
{
    static const struct {
        const char *op;
        int level;
    } ops[] = {{"<<", 4}, {">>", 4}, {"|", 1}, {"^", 2}, {"&", 3}, {"+", 5},
               {"-", 5},  {"*", 6},  {"/", 6}, {"%", 6}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        size_t n = strlen(ops[i].op);
        if (!strncmp(p, ops[i].op, n) && p[n] != '=') {
            *len = n;
            return ops[i].level;
        }
    }
    return 0;
}

static long long cmd_ar_apply(cmd_arith *a, const char *op, long long x, long long y)
{
    int32_t l = (int32_t)x, r = (int32_t)y;
    switch (op[0]) {
    case '<': return (int32_t)((uint32_t)l << (r & 31));
    case '>': return l >> (r & 31);
    case '|': return l | r;
    case '^': return l ^ r;
    case '&': return l & r;
    case '+': return (int32_t)((uint32_t)l + (uint32_t)r);
    case '-': return (int32_t)((uint32_t)l - (uint32_t)r);
    case '*': return (int32_t)((int64_t)l * r);
    default:
        if (!r) {
            a->error = "Divide by zero error.";
            return 0;
        }
        return op[0] == '/' ? l / r : l % r;
    }
}

static long long cmd_ar_binary(cmd_arith *a, int min_level)
{
    long long v = cmd_ar_primary(a);
    for (;;) {
        cmd_ar_ws(a);
        size_t n;
        int level = cmd_ar_binop(a->p, &n);
        if (a->error || !level || level < min_level)
            return v;
        const char *op = a->p;
        a->p += n;
        long long r = cmd_ar_binary(a, level + 1);
        v = cmd_ar_apply(a, op, v, r);
    }
}

static long long cmd_ar_assign(cmd_arith *a)
{
    cmd_ar_ws(a);
    const char *s = a->p, *e = s;
    while (cmd_ar_namech(*e))
        e++;
    if (e > s && !(s[0] >= '0' && s[0] <= '9')) {
        const char *q = e;
        while (cmd_is_space(*q))
            q++;
        static const char *const aops[] = {"<<=", ">>=", "*=", "/=", "%=", "+=", "-=",
                                           "&=",  "^=",  "|=", "="};
        for (size_t i = 0; i < sizeof aops / sizeof aops[0]; i++) {
            size_t n = strlen(aops[i]);
            if (strncmp(q, aops[i], n) || (n == 1 && q[1] == '='))
                continue;
            a->p = q + n;
            long long v = cmd_ar_assign(a);
            if (n > 1)
                v = cmd_ar_apply(a, aops[i], cmd_ar_var(s, (size_t)(e - s)), v);
            if (a->error)
                return 0;
            char *name = cmd_strndup(s, (size_t)(e - s));
            char num[32];
            snprintf(num, sizeof num, "%d", (int32_t)v);
            SetEnvironmentVariableA(name, num);
            free(name);
            return (int32_t)v;
        }
    }
    return cmd_ar_binary(a, 1);
}

/* SET /A expr[, expr...]: 32-bit integer arithmetic with C's operators and assignments;
 * names are variables (undefined: 0). On the command line (not in a batch file) the last
 * value is printed, without a newline, as Windows does. */
static int cmd_set_a(const char *expr, const cmd_io *io)
{
    char *text = cmd_unquote(expr);
    cmd_arith a = {.p = text};
    long long v = 0;
    for (;;) {
        v = cmd_ar_assign(&a);
        cmd_ar_ws(&a);
        if (a.error || *a.p != ',')
            break;
        a.p++;
    }
    if (!a.error && *a.p)
        a.error = "Missing operator.";
    int rc = 0;
    if (a.error) {
        cmd_errf(io, "%s\r\n", a.error);
        rc = strcmp(a.error, "Divide by zero error.") ? 1073750988 : 1073750993;
    } else if (!cmd_st.batch) {
        cmd_outf(io, "%d", (int32_t)v);
    }
    free(text);
    return rc;
}

static int cmd_set(const char *args, const cmd_io *io)
{
    const char *s = cmd_skip_delims(args);
    if (!*s) {
        cmd_show_vars("", io);
        return 0;
    }
    if (s[0] == '/' && (s[1] | 0x20) == 'a' && (cmd_is_space(s[2]) || s[2] == '"')) {
        char *e = cmd_strdup(s + 2);
        cmd_trim_right(e);
        int rc = cmd_set_a(e, io);
        free(e);
        return rc;
    }
    if (s[0] == '/' && (s[1] | 0x20) == 'p' && cmd_is_space(s[2])) {
        char *spec = cmd_strdup(cmd_skip_spaces(s + 2));
        if (spec[0] == '"') {
            char *last = strrchr(spec, '"');
            if (last && last != spec)
                *last = 0;
            memmove(spec, spec + 1, strlen(spec));
        }
        int rc = cmd_set_p(spec, io);
        free(spec);
        return rc;
    }
    char *spec = cmd_strdup(s);
    if (spec[0] == '"') { /* set "name=value": up to the last quote */
        char *last = strrchr(spec, '"');
        if (last && last != spec)
            *last = 0;
        memmove(spec, spec + 1, strlen(spec));
    }
    char *eq = strchr(spec, '=');
    int rc = 0;
    if (!eq) {
        cmd_trim_right(spec);
        if (!cmd_show_vars(spec, io)) {
            cmd_errf(io, "Environment variable %s not defined\r\n", spec);
            rc = 1;
        }
    } else if (eq == spec) {
        cmd_err(io, "The syntax of the command is incorrect.\r\n");
        rc = 1;
    } else {
        *eq = 0;
        SetEnvironmentVariableA(spec, eq[1] ? eq + 1 : NULL);
    }
    free(spec);
    return rc;
}

static int cmd_path(const char *args, const cmd_io *io)
{
    const char *s = cmd_skip_delims(args);
    if (!*s) {
        char *p = cmd_getenv("PATH");
        if (p)
            cmd_outf(io, "PATH=%s\r\n", p);
        else
            cmd_out(io, "No Path\r\n");
        free(p);
        return 0;
    }
    char *v = cmd_strdup(s);
    cmd_trim_right(v);
    SetEnvironmentVariableA("PATH", strcmp(v, ";") ? v : NULL);
    free(v);
    return 0;
}

/* ---- directories ---- */

static int cmd_chdir_to(const char *path, bool drive_too, const cmd_io *io)
{
    char *cwd = cmd_cwd();
    bool other_drive = path[0] && path[1] == ':' && cwd[1] == ':' &&
                       (path[0] | 0x20) != (cwd[0] | 0x20);
    free(cwd);
    if (path[0] && path[1] == ':' && !path[2]) { /* "D:": that drive's directory */
        if (!other_drive) {
            char *c = cmd_cwd();
            cmd_outf(io, "%s\r\n", c);
            free(c);
            return 0;
        }
        if (!drive_too) {
            cmd_outf(io, "%c:\\\r\n", path[0] & ~0x20);
            return 0;
        }
    }
    if (!cmd_is_dir(path)) {
        cmd_err(io, "The system cannot find the path specified.\r\n");
        return 1;
    }
    if (other_drive && !drive_too) { /* that drive's current directory; this one stays */
        char var[4] = {'=', (char)(path[0] & ~0x20), ':', 0};
        char *full = cmd_fullpath(path);
        SetEnvironmentVariableA(var, full);
        free(full);
        return 0;
    }
    if (!SetCurrentDirectoryA(path)) {
        cmd_err(io, "The system cannot find the path specified.\r\n");
        return 1;
    }
    return 0;
}

static int cmd_cd(const char *args, const cmd_io *io)
{
    const char *s = cmd_skip_spaces(args);
    bool drive = false;
    if (s[0] == '/' && (s[1] | 0x20) == 'd' && (!s[2] || cmd_is_space(s[2]))) {
        drive = true;
        s = cmd_skip_spaces(s + 2);
    }
    char *t = cmd_strdup(s);
    cmd_trim_right(t);
    char *path = cmd_unquote(t);
    free(t);
    int rc;
    if (!*path) {
        char *c = cmd_cwd();
        cmd_outf(io, "%s\r\n", c);
        free(c);
        rc = 0;
    } else {
        rc = cmd_chdir_to(path, drive, io);
    }
    free(path);
    return rc;
}

static int cmd_pushd(const char *args, const cmd_io *io)
{
    char *t = cmd_arg_text(args);
    char *path = cmd_unquote(t);
    free(t);
    if (!*path) {
        free(path);
        return 0;
    }
    char *cwd = cmd_cwd();
    int rc = cmd_chdir_to(path, true, io);
    free(path);
    if (rc) {
        free(cwd);
        return rc;
    }
    char **v = realloc(cmd_st.dirstack, (cmd_st.ndirs + 1) * sizeof *v);
    if (!v)
        abort();
    cmd_st.dirstack = v;
    v[cmd_st.ndirs++] = cwd;
    return 0;
}

static int cmd_popd(const char *args, const cmd_io *io)
{
    (void)args;
    if (!cmd_st.ndirs)
        return 0;
    char *dir = cmd_st.dirstack[--cmd_st.ndirs];
    int rc = SetCurrentDirectoryA(dir) ? 0 : 1;
    if (rc)
        cmd_err(io, "The system cannot find the path specified.\r\n");
    free(dir);
    return rc;
}

/* Creates path and its missing parents. */
static bool cmd_mkdir_p(const char *path)
{
    if (CreateDirectoryA(path, NULL))
        return true;
    DWORD err = GetLastError();
    if (err != 3) /* ERROR_PATH_NOT_FOUND: a parent is missing */
        return false;
    char *dir = cmd_dir_of(path);
    size_t n = strlen(dir);
    while (n && (dir[n - 1] == '\\' || dir[n - 1] == '/'))
        dir[--n] = 0;
    bool ok = n && strcmp(dir, path) && !(n == 2 && dir[1] == ':') && cmd_mkdir_p(dir) &&
              CreateDirectoryA(path, NULL);
    free(dir);
    return ok;
}

static int cmd_mkdir(const char *args, const cmd_io *io)
{
    char **v;
    size_t n = cmd_split(args, &v, NULL, 0);
    int rc = cmd_any_words(n, io);
    for (size_t i = 0; i < n; i++) {
        if (GetFileAttributesA(v[i]) != CMD_INVALID_ATTRS) {
            cmd_errf(io, "A subdirectory or file %s already exists.\r\n", v[i]);
            rc = 1;
        } else if (!cmd_mkdir_p(v[i])) {
            cmd_err(io, "The system cannot find the path specified.\r\n");
            rc = 1;
        }
    }
    cmd_free_words(v, n);
    return rc;
}

/* Deletes a directory and everything in it. */
static bool cmd_rmtree(const char *dir)
{
    char *pat = cmd_join(dir, "*");
    cmd_find_data fd;
    HANDLE h = FindFirstFileA(pat, &fd);
    free(pat);
    bool ok = true;
    if (h != CMD_INVALID_HANDLE) {
        do {
            if (!strcmp(fd.cFileName, ".") || !strcmp(fd.cFileName, ".."))
                continue;
            char *p = cmd_join(dir, fd.cFileName);
            ok &= (fd.dwFileAttributes & CMD_ATTR_DIRECTORY) ? cmd_rmtree(p) : DeleteFileA(p);
            free(p);
        } while (FindNextFileA(h, &fd));
        FindClose(h);
    }
    return RemoveDirectoryA(dir) && ok;
}

static int cmd_rmdir(const char *args, const cmd_io *io)
{
    char **v, sw[16];
    size_t n = cmd_split(args, &v, sw, sizeof sw);
    bool tree = strchr(sw, 's') != NULL;
    int rc = cmd_any_words(n, io);
    for (size_t i = 0; i < n; i++) {
        if (!cmd_is_dir(v[i])) {
            cmd_err(io, GetFileAttributesA(v[i]) == CMD_INVALID_ATTRS
                            ? "The system cannot find the file specified.\r\n"
                            : "The directory name is invalid.\r\n");
            rc = 2;
        } else if (tree ? !cmd_rmtree(v[i]) : !RemoveDirectoryA(v[i])) {
            DWORD err = GetLastError();
            cmd_err(io, err == 145 ? "The directory is not empty.\r\n" : "Access is denied.\r\n");
            rc = err == 145 ? 145 : 5;
        }
    }
    cmd_free_words(v, n);
    return rc;
}

/* ---- files ---- */

static int cmd_type(const char *args, const cmd_io *io)
{
    char **v;
    size_t n = cmd_split(args, &v, NULL, 0);
    int rc = cmd_any_words(n, io);
    for (size_t i = 0; i < n; i++) {
        HANDLE h = CreateFileA(v[i], CMD_GENERIC_READ, CMD_SHARE_ALL, NULL, CMD_OPEN_EXISTING,
                               0x80, NULL);
        if (h == CMD_INVALID_HANDLE) {
            cmd_err(io, "The system cannot find the file specified.\r\n");
            if (n > 1)
                cmd_errf(io, "Error occurred while processing: %s.\r\n", v[i]);
            rc = 1;
            continue;
        }
        if (n > 1)
            cmd_errf(io, "\r\n%s\r\n\r\n\r\n", v[i]);
        char chunk[8192];
        DWORD got;
        while (ReadFile(h, chunk, sizeof chunk, &got, NULL) && got)
            cmd_outn(io, chunk, got);
        CloseHandle(h);
    }
    cmd_free_words(v, n);
    return rc;
}

static int cmd_del(const char *args, const cmd_io *io)
{
    char **v, sw[16];
    size_t n = cmd_split(args, &v, sw, sizeof sw);
    if (strchr(sw, 's') || strchr(sw, 'p')) {
        cmd_err(io, "ntrun cmd: DEL /S and /P are not supported\r\n");
        cmd_free_words(v, n);
        return 1;
    }
    int rc = cmd_any_words(n, io);
    for (size_t i = 0; i < n; i++) {
        char *pat = cmd_is_dir(v[i]) ? cmd_join(v[i], "*") : cmd_strdup(v[i]);
        char **files;
        size_t nf = cmd_glob(pat, &files);
        if (!nf) {
            char *full = cmd_fullpath(v[i]);
            cmd_errf(io, "Could Not Find %s\r\n", full);
            free(full);
        }
        for (size_t k = 0; k < nf; k++)
            if (!DeleteFileA(files[k]))
                cmd_errf(io, "%s\r\nAccess is denied.\r\n", files[k]);
        cmd_free_words(files, nf);
        free(pat);
    }
    cmd_free_words(v, n);
    return rc;
}

/* COPY and MOVE: src [dst]; src may be a pattern; dst a directory or a file. */
static int cmd_copy_move(const char *args, const cmd_io *io, bool move)
{
    char **v, sw[16];
    size_t n = cmd_split(args, &v, sw, sizeof sw);
    int rc = 0;
    if (!n || n > 2) {
        cmd_err(io, "The syntax of the command is incorrect.\r\n");
        cmd_free_words(v, n);
        return 1;
    }
    if (strchr(v[0], '+')) {
        cmd_err(io, "ntrun cmd: COPY a+b (concatenation) is not supported\r\n");
        cmd_free_words(v, n);
        return 1;
    }
    char *src_pat = cmd_is_dir(v[0]) && !move ? cmd_join(v[0], "*") : cmd_strdup(v[0]);
    char **files;
    size_t nf = 0;
    if (move && cmd_is_dir(v[0])) { /* a directory moves whole */
        files = malloc(sizeof *files);
        if (!files)
            abort();
        files[nf++] = cmd_fullpath(v[0]);
    } else {
        nf = cmd_glob(src_pat, &files);
    }
    const char *dst = n > 1 ? v[1] : ".";
    bool dst_dir = cmd_is_dir(dst);
    size_t done = 0;
    if (!nf) {
        cmd_err(io, "The system cannot find the file specified.\r\n");
        rc = 1;
    }
    for (size_t i = 0; i < nf; i++) {
        const char *name = files[i];
        for (const char *s = files[i]; *s; s++)
            if (*s == '\\')
                name = s + 1;
        char *target = dst_dir ? cmd_join(dst, name) : cmd_strdup(dst);
        BOOL ok = move ? MoveFileExA(files[i], target,
                                     CMD_MOVEFILE_REPLACE_EXISTING | CMD_MOVEFILE_COPY_ALLOWED)
                       : CopyFileA(files[i], target, FALSE);
        if (ok)
            done++;
        else {
            cmd_err(io, GetLastError() == 3 ? "The system cannot find the path specified.\r\n"
                                            : "Access is denied.\r\n");
            rc = 1;
        }
        if (!move && nf > 1 && ok)
            cmd_outf(io, "%s\r\n", files[i]);
        free(target);
    }
    if (move && nf == 1 && done == 1 && cmd_is_dir(v[0]))
        cmd_out(io, "        1 dir(s) moved.\r\n");
    else
        cmd_outf(io, "%9zu file(s) %s.\r\n", done, move ? "moved" : "copied");
    cmd_free_words(files, nf);
    free(src_pat);
    cmd_free_words(v, n);
    return rc;
}

static int cmd_copy(const char *args, const cmd_io *io) { return cmd_copy_move(args, io, false); }
static int cmd_move(const char *args, const cmd_io *io) { return cmd_copy_move(args, io, true); }

static int cmd_ren(const char *args, const cmd_io *io)
{
    char **v;
    size_t n = cmd_split(args, &v, NULL, 0);
    int rc = 0;
    if (n != 2 || strpbrk(v[1], "\\/:")) {
        cmd_err(io, "The syntax of the command is incorrect.\r\n");
        rc = 1;
    } else if (cmd_has_wild(v[0]) || cmd_has_wild(v[1])) {
        cmd_err(io, "ntrun cmd: REN with wildcards is not supported\r\n");
        rc = 1;
    } else {
        char *dir = cmd_dir_of(v[0]);
        char *target = cmd_join(dir, v[1]);
        if (!*dir) {
            free(target);
            target = cmd_strdup(v[1]);
        }
        if (GetFileAttributesA(v[0]) == CMD_INVALID_ATTRS) {
            cmd_err(io, "The system cannot find the file specified.\r\n");
            rc = 1;
        } else if (!MoveFileExA(v[0], target, 0)) {
            cmd_err(io, "A duplicate file name exists, or the file\r\ncannot be found.\r\n");
            rc = 1;
        }
        free(target);
        free(dir);
    }
    cmd_free_words(v, n);
    return rc;
}

static void cmd_fmt_time(const FILETIME *ft, char *out, size_t cap)
{
    FILETIME local;
    cmd_systemtime t = {0};
    FileTimeToLocalFileTime(ft, &local);
    FileTimeToSystemTime(&local, &t);
    unsigned h = t.wHour % 12 ? t.wHour % 12 : 12;
    snprintf(out, cap, "%02u/%02u/%04u  %02u:%02u %s", t.wMonth, t.wDay, t.wYear, h, t.wMinute,
             t.wHour < 12 ? "AM" : "PM");
}

/* The PrintName of reparse point dir\\name (FSCTL_GET_REPARSE_POINT), as UTF-8 into out. */
static void cmd_link_target(const char *dir, const char *name, char *out, size_t cap)
{
    static uint8_t buf[16 * 1024];
    char *path = cmd_join(dir, name);
    HANDLE h = CreateFileA(path, 0, 7 /* share all */, NULL, 3 /* OPEN_EXISTING */,
                           CMD_OPEN_REPARSE_POINT, NULL);
    free(path);
    *out = 0;
    DWORD got = 0;
    bool ok = h != CMD_INVALID_HANDLE &&
              DeviceIoControl(h, CMD_FSCTL_GET_REPARSE_POINT, NULL, 0, buf, sizeof buf, &got, NULL);
    if (h != CMD_INVALID_HANDLE)
        CloseHandle(h);
    if (!ok || got < 16)
        return;
    uint32_t tag;
    uint16_t po, pl;
    memcpy(&tag, buf, 4);
    memcpy(&po, buf + 12, 2);
    memcpy(&pl, buf + 14, 2);
    size_t names = tag == CMD_IO_REPARSE_TAG_MOUNT_POINT ? 16 : 20;
    if (names + po + pl > got)
        return;
    int n = WideCharToMultiByte(0, 0, (const WCHAR *)(buf + names + po), pl / 2, out,
                                (int)cap - 1, NULL, NULL);
    out[n > 0 ? n : 0] = 0;
}

static int cmd_dir(const char *args, const cmd_io *io)
{
    char **v, sw[16];
    size_t n = cmd_split(args, &v, sw, sizeof sw);
    bool bare = strchr(sw, 'b') != NULL;
    for (const char *s = sw; *s; s++)
        if (*s != 'b') {
            cmd_errf(io, "ntrun cmd: DIR /%c is not supported\r\n", *s);
            cmd_free_words(v, n);
            return 1;
        }
    const char *target = n ? v[0] : ".";
    char *pat = cmd_is_dir(target) ? cmd_join(target, "*") : cmd_strdup(target);
    char *dir = cmd_is_dir(target) ? cmd_fullpath(target) : cmd_dir_of(pat);
    if (!*dir) {
        free(dir);
        dir = cmd_cwd();
    } else if (!cmd_is_dir(target)) {
        char *f = cmd_fullpath(dir);
        free(dir);
        dir = f;
        size_t l = strlen(dir);
        if (l > 3 && dir[l - 1] == '\\')
            dir[l - 1] = 0;
    }
    cmd_find_data fd;
    HANDLE h = FindFirstFileA(pat, &fd);
    if (!bare)
        cmd_outf(io, " Directory of %s\r\n\r\n", dir);
    unsigned long long bytes = 0;
    size_t files = 0, dirs = 0;
    if (h != CMD_INVALID_HANDLE) {
        do {
            bool isdir = fd.dwFileAttributes & CMD_ATTR_DIRECTORY;
            if (bare) {
                if (strcmp(fd.cFileName, ".") && strcmp(fd.cFileName, ".."))
                    cmd_outf(io, "%s\r\n", fd.cFileName);
                continue;
            }
            char when[64];
            cmd_fmt_time(&fd.ftLastWriteTime, when, sizeof when);
            unsigned long long size = ((unsigned long long)fd.nFileSizeHigh << 32) |
                                      fd.nFileSizeLow;
            if (fd.dwFileAttributes & CMD_ATTR_REPARSE_POINT) { /* a link: its kind, its target */
                char to[1024];
                cmd_link_target(dir, fd.cFileName, to, sizeof to);
                const char *kind = fd.dwReserved0 == CMD_IO_REPARSE_TAG_MOUNT_POINT ? "<JUNCTION>"
                                   : isdir                                          ? "<SYMLINKD>"
                                                                                    : "<SYMLINK>";
                if (isdir)
                    dirs++;
                else
                    files++;
                cmd_outf(io, "%s    %-15s%s [%s]\r\n", when, kind, fd.cFileName, to);
            } else if (isdir) {
                dirs++;
                cmd_outf(io, "%s    <DIR>          %s\r\n", when, fd.cFileName);
            } else {
                files++;
                bytes += size;
                cmd_outf(io, "%s %17llu %s\r\n", when, size, fd.cFileName);
            }
        } while (FindNextFileA(h, &fd));
        FindClose(h);
    }
    int rc = 0;
    if (h == CMD_INVALID_HANDLE) {
        cmd_err(io, "File Not Found\r\n");
        rc = 1;
    } else if (!bare) {
        cmd_outf(io, "%16zu File(s) %14llu bytes\r\n%16zu Dir(s)\r\n", files, bytes, dirs);
    }
    free(pat);
    free(dir);
    cmd_free_words(v, n);
    return rc;
}

/* ---- control ---- */

static int cmd_exit(const char *args, const cmd_io *io)
{
    (void)io;
    const char *s = cmd_skip_spaces(args);
    bool b = false;
    if (s[0] == '/' && (s[1] | 0x20) == 'b' && (!s[2] || cmd_is_delim(s[2]))) {
        b = true;
        s = cmd_skip_spaces(s + 2);
    }
    int code = *s ? (int)strtol(s, NULL, 10) : cmd_st.errorlevel;
    cmd_st.errorlevel = code;
    if (b && cmd_st.batch) {
        cmd_st.leave_batch = true;
    } else {
        cmd_st.exiting = true;
        cmd_st.exit_code = code;
    }
    return code;
}

static int cmd_goto(const char *args, const cmd_io *io)
{
    const char *s = cmd_skip_delims(args);
    size_t n = 0;
    while (s[n] && !cmd_is_delim(s[n]))
        n++;
    char *label = cmd_strndup(s, n);
    int rc = 0;
    if (!cmd_st.batch) {
        rc = 1; /* outside a batch file GOTO does nothing */
    } else if (!*label) {
        cmd_err(io, "No batch label specified to GOTO command.\r\n");
        cmd_st.leave_batch = true;
        rc = 1;
    } else if (cmd_ieq(label, ":eof")) {
        cmd_st.leave_batch = true;
    } else if (cmd_batch_goto(cmd_st.batch, label)) {
        cmd_st.jumped = true;
    } else {
        cmd_errf(io, "The system cannot find the batch label specified - %s\r\n",
                 label[0] == ':' ? label + 1 : label);
        cmd_st.leave_batch = true;
        rc = 1;
    }
    free(label);
    return rc;
}

static int cmd_call(const char *args, const cmd_io *io)
{
    const char *s = cmd_skip_spaces(args);
    if (!*s)
        return 0;
    if (*s == ':') {
        if (!cmd_st.batch) {
            cmd_err(io, "Invalid attempt to call batch label outside of batch script.\r\n");
            return 1;
        }
        size_t n = 0;
        while (s[n] && !cmd_is_delim(s[n]))
            n++;
        char *label = cmd_strndup(s, n);
        int rc = cmd_call_label(label, s + n, io);
        free(label);
        return rc;
    }
    /* CALL expands %VAR% once more, then runs the command; a batch file returns here */
    char *again = cmd_expand_percent(s);
    char *error = NULL;
    cmd_node *n = cmd_parse(again, NULL, NULL, &error);
    free(again);
    if (!n) {
        cmd_errf(io, "%s\r\n", error);
        free(error);
        return 1;
    }
    int before = cmd_st.errorlevel;
    (void)before;
    cmd_st.in_call = true;
    int rc = cmd_exec(n, io);
    cmd_st.in_call = false;
    cmd_node_free(n);
    cmd_st.leave_batch = false; /* an EXIT /B of the called batch ends only that one */
    return rc;
}

static int cmd_shift(const char *args, const cmd_io *io)
{
    if (*cmd_skip_spaces(args)) {
        cmd_err(io, "ntrun cmd: SHIFT /n is not supported\r\n");
        return 1;
    }
    if (cmd_st.batch)
        cmd_st.batch->shift++;
    return 0;
}

/* ---- SETLOCAL / ENDLOCAL ---- */

struct cmd_local {
    WCHAR *env;  /* the block as it was */
    size_t env_len;
    char *cwd;
    bool delayed, extensions;
    cmd_local *prev;
};

static int cmd_setlocal(const char *args, const cmd_io *io)
{
    char **v;
    size_t n = cmd_split(args, &v, NULL, 0);
    bool delayed = cmd_st.delayed, ext = cmd_st.extensions;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (cmd_ieq(v[i], "enabledelayedexpansion"))
            delayed = true;
        else if (cmd_ieq(v[i], "disabledelayedexpansion"))
            delayed = false;
        else if (cmd_ieq(v[i], "enableextensions"))
            ext = true;
        else if (cmd_ieq(v[i], "disableextensions"))
            ext = false;
        else {
            cmd_err(io, "Invalid parameter to SETLOCAL command\r\n");
            rc = 1;
        }
    }
    cmd_free_words(v, n);
    if (rc || !cmd_st.batch) /* outside a batch file SETLOCAL does nothing */
        return rc;
    cmd_local *l = calloc(1, sizeof *l);
    if (!l)
        abort();
    WCHAR *env = GetEnvironmentStringsW();
    size_t len = 0;
    while (env && (env[len] || env[len + 1]))
        len++;
    l->env_len = env ? len + 2 : 0;
    l->env = malloc((l->env_len + 1) * sizeof(WCHAR));
    if (!l->env)
        abort();
    if (env)
        memcpy(l->env, env, l->env_len * sizeof(WCHAR));
    FreeEnvironmentStringsW(env);
    l->cwd = cmd_cwd();
    l->delayed = cmd_st.delayed;
    l->extensions = cmd_st.extensions;
    l->prev = cmd_st.locals;
    cmd_st.locals = l;
    cmd_st.batch->locals++;
    cmd_st.delayed = delayed;
    cmd_st.extensions = ext;
    return 0;
}

/* Each "NAME=value" of a block (names starting with '=' skipped). */
static void cmd_env_each(const WCHAR *env, void (*fn)(const char *name, const char *value))
{
    for (const WCHAR *e = env; e && *e;) {
        size_t len = 0;
        while (e[len])
            len++;
        if (*e != u'=') {
            char *s = cmd_w_to_utf8(e, len);
            char *eq = strchr(s, '=');
            if (eq) {
                *eq = 0;
                fn(s, eq + 1);
            }
            free(s);
        }
        e += len + 1;
    }
}

static void cmd_env_unset(const char *name, const char *value)
{
    (void)value;
    SetEnvironmentVariableA(name, NULL);
}

static void cmd_env_set(const char *name, const char *value)
{
    SetEnvironmentVariableA(name, value);
}

static void cmd_endlocal_one(void)
{
    cmd_local *l = cmd_st.locals;
    if (!l)
        return;
    cmd_st.locals = l->prev;
    WCHAR *now = GetEnvironmentStringsW();
    cmd_env_each(now, cmd_env_unset);
    FreeEnvironmentStringsW(now);
    cmd_env_each(l->env, cmd_env_set);
    SetCurrentDirectoryA(l->cwd);
    cmd_st.delayed = l->delayed;
    cmd_st.extensions = l->extensions;
    free(l->env);
    free(l->cwd);
    free(l);
}

void cmd_locals_end_batch(size_t count)
{
    while (count--)
        cmd_endlocal_one();
}

static int cmd_endlocal(const char *args, const cmd_io *io)
{
    (void)args, (void)io;
    if (cmd_st.batch && cmd_st.batch->locals) {
        cmd_st.batch->locals--;
        cmd_endlocal_one();
    }
    return 0;
}

/* ---- IF ---- */

static bool cmd_number(const char *s, long long *out)
{
    if (!*s)
        return false;
    char *end;
    *out = strtoll(s, &end, 0);
    return !*end;
}

bool cmd_if_test(const cmd_node *n)
{
    char *a = cmd_expand_runtime(n->a);
    char *b = n->b ? cmd_expand_runtime(n->b) : NULL;
    bool r = false;
    long long x, y;
    switch (n->if_op) {
    case CMD_IF_ERRORLEVEL:
        r = cmd_number(a, &x) && cmd_st.errorlevel >= x;
        break;
    case CMD_IF_CMDEXTVERSION:
        r = cmd_number(a, &x) && 2 >= x;
        break;
    case CMD_IF_EXIST: {
        char *u = cmd_unquote(a);
        if (cmd_has_wild(u)) {
            cmd_find_data fd;
            HANDLE h = FindFirstFileA(u, &fd);
            r = h != CMD_INVALID_HANDLE;
            if (r)
                FindClose(h);
        } else {
            r = GetFileAttributesA(u) != CMD_INVALID_ATTRS;
        }
        free(u);
        break;
    }
    case CMD_IF_DEFINED: {
        char *v = cmd_getenv(a);
        r = v != NULL;
        free(v);
        break;
    }
    case CMD_IF_EQ:
        r = n->if_ci ? !strcasecmp(a, b) : !strcmp(a, b);
        break;
    default: {
        int c;
        if (cmd_number(a, &x) && cmd_number(b, &y))
            c = x < y ? -1 : x > y;
        else
            c = n->if_ci ? strcasecmp(a, b) : strcmp(a, b);
        r = n->if_op == CMD_IF_EQU   ? c == 0
            : n->if_op == CMD_IF_NEQ ? c != 0
            : n->if_op == CMD_IF_LSS ? c < 0
            : n->if_op == CMD_IF_LEQ ? c <= 0
            : n->if_op == CMD_IF_GTR ? c > 0
                                     : c >= 0;
        break;
    }
    }
    free(a);
    free(b);
    return r != n->if_not;
}

/* ---- START ---- */

/* START ["title"] [/D dir] [/B] [/WAIT] [/MIN /MAX /LOW /NORMAL /HIGH ...] program [args]: the
 * program starts without being waited for (with /WAIT: waited for, its exit code is
 * ERRORLEVEL); a batch file or an internal command runs in a child cmd /C. There is one
 * console under ntrun: without /B the program still gets this cmd's standard handles, where
 * Windows gives it a new console window. START alone (a new cmd window) is not done. */
static int cmd_start(const char *args, const cmd_io *io)
{
    const char *s = cmd_skip_delims(args);
    char *dir = NULL;
    bool wait = false;
    if (*s == '"') { /* the title */
        const char *e = strchr(s + 1, '"');
        s = cmd_skip_delims(e ? e + 1 : s + strlen(s));
    }
    while (*s == '/') {
        const char *e = s + 1;
        while (*e && !cmd_is_delim(*e))
            e++;
        size_t n = (size_t)(e - s - 1);
        if (n == 4 && !strncasecmp(s + 1, "wait", 4)) {
            wait = true;
        } else if (n >= 1 && (s[1] | 0x20) == 'd') {
            const char *p = n > 1 ? s + 2 : cmd_skip_delims(e);
            if (n == 1) {
                char *d = cmd_next_arg(&p, true);
                free(dir);
                dir = d;
                e = p;
            } else {
                free(dir);
                dir = cmd_strndup(s + 2, n - 1);
            }
        }
        s = cmd_skip_delims(e);
    }
    if (!*s) {
        cmd_err(io, "ntrun cmd: START without a program (a new cmd window) is not supported\r\n");
        free(dir);
        return 1;
    }
    char *line = cmd_strdup(s);
    cmd_trim_right(line);
    const char *rest = line;
    char *name = cmd_next_arg(&rest, true);
    char *path = name ? cmd_find_program(name) : NULL;
    size_t pl = path ? strlen(path) : 0;
    bool batch = pl > 4 && (cmd_ieq(path + pl - 4, ".bat") || cmd_ieq(path + pl - 4, ".cmd"));
    char *saved = NULL;
    int rc = 0;
    if (dir) {
        saved = cmd_cwd();
        if (!SetCurrentDirectoryA(dir)) {
            cmd_err(io, "The system cannot find the path specified.\r\n");
            rc = 1;
        }
    }
    HANDLE proc = NULL;
    if (!rc && path && !batch) {
        cmd_startupinfo si = {.cb = sizeof si, .dwFlags = CMD_STARTF_USESTDHANDLES,
                              .hStdInput = io->h[0], .hStdOutput = io->h[1],
                              .hStdError = io->h[2]};
        cmd_process_information pi = {0};
        if (CreateProcessA(path, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
            CloseHandle(pi.hThread);
            proc = pi.hProcess;
        } else {
            cmd_errf(io, "ntrun cmd: cannot start %s (error %u)\r\n", path,
                     (unsigned)GetLastError());
            rc = 1;
        }
    } else if (!rc) { /* a batch file, an internal command, or not found: cmd /C decides */
        cmd_run_child_cmd(line, io, &proc);
    }
    if (saved) {
        SetCurrentDirectoryA(saved);
        free(saved);
    }
    if (proc) {
        if (wait) {
            WaitForSingleObject(proc, CMD_INFINITE);
            DWORD code = 0;
            GetExitCodeProcess(proc, &code);
            rc = (int)code;
        }
        CloseHandle(proc);
    }
    free(path);
    free(name);
    free(line);
    free(dir);
    return rc;
}

/* ---- the rest ---- */

static int cmd_cls(const char *args, const cmd_io *io)
{
    (void)args;
    cmd_out(io, "\f");
    return 0;
}

static int cmd_ver(const char *args, const cmd_io *io)
{
    (void)args;
    uint8_t vi[0x11c] = {0}; /* OSVERSIONINFOEXW */
    DWORD size = sizeof vi, major = 10, minor = 0, build = 19045;
    memcpy(vi, &size, 4);
    BOOL WINAPI GetVersionExW(void *info);
    if (GetVersionExW(vi)) {
        memcpy(&major, vi + 4, 4);
        memcpy(&minor, vi + 8, 4);
        memcpy(&build, vi + 12, 4);
    }
    cmd_outf(io, "\r\nMicrosoft Windows [Version %u.%u.%u]\r\n", (unsigned)major,
             (unsigned)minor, (unsigned)build);
    return 0;
}

static int cmd_title(const char *args, const cmd_io *io)
{
    (void)io;
    char *t = cmd_arg_text(args);
    SetConsoleTitleA(t);
    free(t);
    return 0;
}

static int cmd_pause(const char *args, const cmd_io *io)
{
    (void)args;
    cmd_out(io, "Press any key to continue . . . ");
    char c;
    DWORD got;
    ReadFile(io->h[0], &c, 1, &got, NULL);
    cmd_out(io, "\r\n");
    return 0;
}

static int cmd_nothing(const char *args, const cmd_io *io)
{
    (void)args, (void)io;
    return 0;
}

static const struct {
    const char *name;
    cmd_builtin_fn fn; /* NULL: a cmd command ntrun's cmd does not do */
} cmd_builtins[] = {
    {"echo", cmd_echo},       {"set", cmd_set},         {"cd", cmd_cd},
    {"chdir", cmd_cd},        {"exit", cmd_exit},       {"type", cmd_type},
    {"del", cmd_del},         {"erase", cmd_del},       {"copy", cmd_copy},
    {"move", cmd_move},       {"mkdir", cmd_mkdir},     {"md", cmd_mkdir},
    {"rmdir", cmd_rmdir},     {"rd", cmd_rmdir},        {"ren", cmd_ren},
    {"rename", cmd_ren},      {"cls", cmd_cls},         {"ver", cmd_ver},
    {"call", cmd_call},       {"pushd", cmd_pushd},     {"popd", cmd_popd},
    {"title", cmd_title},     {"dir", cmd_dir},         {"goto", cmd_goto},
    {"shift", cmd_shift},     {"setlocal", cmd_setlocal}, {"endlocal", cmd_endlocal},
    {"path", cmd_path},       {"pause", cmd_pause},     {"verify", cmd_nothing},
    {"break", cmd_nothing},   {"start", cmd_start},     {"mklink", cmd_mklink},
    {"color", cmd_color},     {"prompt", cmd_prompt},   {"date", cmd_date},
    {"time", cmd_time},       {"vol", cmd_vol},         {"label", NULL},
    {"assoc", cmd_assoc},     {"ftype", cmd_ftype},     {"dpath", NULL},
    {"keys", NULL},
};

cmd_builtin_fn cmd_find_builtin(const char *name, size_t n, bool *unsupported)
{
    *unsupported = false;
    for (size_t i = 0; i < sizeof cmd_builtins / sizeof cmd_builtins[0]; i++)
        if (strlen(cmd_builtins[i].name) == n && !strncasecmp(name, cmd_builtins[i].name, n)) {
            *unsupported = cmd_builtins[i].fn == NULL;
            return cmd_builtins[i].fn;
        }
    return NULL;
}
