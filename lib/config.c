/* SPDX-License-Identifier: MIT */
/* libntrun configuration objects: plain data, checked field by field as they are set. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lib/lib_private.h"
#include "runtime/runtime.h"

static void lib_free_strv(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

/* NULL-terminated copy of n strings (n < 0: up to the NULL). */
static char **lib_copy_strv(const char *const *v, long n, bool *oom)
{
    *oom = false;
    if (!v)
        return NULL;
    size_t count = 0;
    if (n < 0)
        while (v[count])
            count++;
    else
        count = (size_t)n;
    char **out = calloc(count + 1, sizeof *out);
    if (!out)
        goto oom;
    for (size_t i = 0; i < count; i++) {
        out[i] = strdup(v[i] ? v[i] : "");
        if (!out[i]) {
            lib_free_strv(out);
            goto oom;
        }
    }
    return out;
oom:
    *oom = true;
    return NULL;
}

static void lib_config_init(ntrun_config *c)
{
    memset(c, 0, sizeof *c);
    c->windows_build = 10;
    c->terminate_grace_ms = 2000;
    for (int i = 0; i < 3; i++)
        c->std[i].fd = -1;
}

NTRUN_API ntrun_config *ntrun_config_new(void)
{
    ntrun_config *c = malloc(sizeof *c);
    if (c)
        lib_config_init(c);
    return c;
}

NTRUN_API void ntrun_config_free(ntrun_config *c)
{
    if (!c)
        return;
    lib_free_strv(c->argv);
    lib_free_strv(c->envp);
    free(c->cwd);
    for (int i = 0; i < 26; i++)
        free(c->drive[i]);
    free(c->dll_path);
    free(c);
}

static char *lib_dup_opt(const char *s, bool *oom)
{
    *oom = false;
    if (!s)
        return NULL;
    char *d = strdup(s);
    *oom = !d;
    return d;
}

ntrun_config *lib_config_copy(const ntrun_config *src)
{
    ntrun_config *c = ntrun_config_new();
    if (!c)
        return NULL;
    bool oom = false, o;
    *c = *src;
    c->argv = NULL;
    c->envp = NULL;
    c->cwd = NULL;
    c->dll_path = NULL;
    memset(c->drive, 0, sizeof c->drive);
    c->argv = lib_copy_strv((const char *const *)src->argv, src->argc, &o);
    oom |= o;
    c->envp = lib_copy_strv((const char *const *)src->envp, -1, &o);
    oom |= o;
    c->cwd = lib_dup_opt(src->cwd, &o);
    oom |= o;
    c->dll_path = lib_dup_opt(src->dll_path, &o);
    oom |= o;
    for (int i = 0; i < 26; i++) {
        c->drive[i] = lib_dup_opt(src->drive[i], &o);
        oom |= o;
    }
    if (oom) {
        ntrun_config_free(c);
        return NULL;
    }
    return c;
}

#define LIB_CHECK_CFG(c)                                                                      \
    do {                                                                                      \
        if (!(c))                                                                             \
            return lib_fail(NTRUN_E_INVALID_ARGUMENT, "config is NULL");                      \
    } while (0)

NTRUN_API ntrun_error ntrun_config_set_argv(ntrun_config *c, int argc, const char *const *argv)
{
    LIB_CHECK_CFG(c);
    if (argc < 0 || (argc > 0 && !argv))
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "argv: argc is %d and argv is %p", argc,
                        (const void *)argv);
    bool oom;
    char **v = argc ? lib_copy_strv(argv, argc, &oom) : NULL;
    if (argc && !v)
        return lib_fail(NTRUN_E_NO_MEMORY, "argv: out of memory");
    lib_free_strv(c->argv);
    c->argv = v;
    c->argc = argc;
    return NTRUN_OK;
}

NTRUN_API ntrun_error ntrun_config_set_env(ntrun_config *c, const char *const *envp)
{
    LIB_CHECK_CFG(c);
    bool oom;
    char **v = lib_copy_strv(envp, -1, &oom);
    if (oom)
        return lib_fail(NTRUN_E_NO_MEMORY, "env: out of memory");
    for (size_t i = 0; v && v[i]; i++) {
        if (!strchr(v[i], '=')) {
            ntrun_error e = lib_fail(NTRUN_E_INVALID_ARGUMENT,
                                     "env: entry %zu ('%s') is not NAME=value", i, v[i]);
            lib_free_strv(v);
            return e;
        }
    }
    lib_free_strv(c->envp);
    c->envp = v;
    c->env_set = envp != NULL;
    return NTRUN_OK;
}

static ntrun_error lib_set_str(char **field, const char *value, const char *name)
{
    char *d = NULL;
    if (value && !(d = strdup(value)))
        return lib_fail(NTRUN_E_NO_MEMORY, "%s: out of memory", name);
    free(*field);
    *field = d;
    return NTRUN_OK;
}

NTRUN_API ntrun_error ntrun_config_set_cwd(ntrun_config *c, const char *dir)
{
    LIB_CHECK_CFG(c);
    if (dir && !*dir)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "cwd: empty directory name");
    return lib_set_str(&c->cwd, dir, "cwd");
}

NTRUN_API ntrun_error ntrun_config_set_drive(ntrun_config *c, char letter, const char *unix_dir)
{
    LIB_CHECK_CFG(c);
    char up = letter >= 'a' && letter <= 'z' ? (char)(letter - 'a' + 'A') : letter;
    if (up < 'A' || up > 'Z')
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "drive: '%c' is not a drive letter (A-Z)",
                        letter);
    if (unix_dir && !*unix_dir)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "drive %c: empty directory name", up);
    ntrun_error e = lib_set_str(&c->drive[up - 'A'], unix_dir, "drive");
    if (e == NTRUN_OK)
        c->drive_set[up - 'A'] = true;
    return e;
}

NTRUN_API ntrun_error ntrun_config_set_windows_build(ntrun_config *c, int build)
{
    LIB_CHECK_CFG(c);
    if (build != 10 && build != 11)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "windows_build must be 10 or 11, not %d",
                        build);
    c->windows_build = build;
    return NTRUN_OK;
}

NTRUN_API ntrun_error ntrun_config_set_syscall_trap(ntrun_config *c, ntrun_syscall_trap how)
{
    LIB_CHECK_CFG(c);
    if (how != NTRUN_TRAP_AUTO && how != NTRUN_TRAP_SUD && how != NTRUN_TRAP_SECCOMP &&
        how != NTRUN_TRAP_SUD_INCLUSIVE)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "syscall_trap must be NTRUN_TRAP_AUTO, "
                        "NTRUN_TRAP_SUD, NTRUN_TRAP_SECCOMP or NTRUN_TRAP_SUD_INCLUSIVE, not %d",
                        (int)how);
    c->syscall_trap = how;
    return NTRUN_OK;
}

NTRUN_API ntrun_error ntrun_config_set_rewrite_syscalls(ntrun_config *c, bool on)
{
    LIB_CHECK_CFG(c);
    c->no_rewrite = !on;
    return NTRUN_OK;
}

NTRUN_API ntrun_error ntrun_config_set_dll_path(ntrun_config *c, const char *dirs)
{
    LIB_CHECK_CFG(c);
    return lib_set_str(&c->dll_path, dirs && *dirs ? dirs : NULL, "dll_path");
}

NTRUN_API ntrun_error ntrun_config_set_strict(ntrun_config *c, bool strict)
{
    LIB_CHECK_CFG(c);
    c->strict = strict;
    return NTRUN_OK;
}

NTRUN_API ntrun_error ntrun_config_set_time_limit(ntrun_config *c, uint32_t ms)
{
    LIB_CHECK_CFG(c);
    c->time_limit_ms = ms;
    return NTRUN_OK;
}

NTRUN_API ntrun_error ntrun_config_set_trace(ntrun_config *c, const char *channels)
{
    LIB_CHECK_CFG(c);
    /* rt_trace_parse sets the live mask: parse, take the result, put the live one back. */
    uint32_t live = rt_trace_mask;
    const char *bad = NULL;
    int r = rt_trace_parse(channels ? channels : "", &bad);
    uint32_t mask = rt_trace_mask;
    rt_trace_mask = live;
    if (r < 0)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT,
                        "unknown trace channel in '%s' (known: loader, nt, sud, all)", channels);
    c->trace_mask = mask;
    return NTRUN_OK;
}

NTRUN_API ntrun_error ntrun_config_set_trace_sink(ntrun_config *c, ntrun_write_fn fn, void *ctx)
{
    LIB_CHECK_CFG(c);
    c->trace_fn = fn;
    c->trace_ctx = ctx;
    return NTRUN_OK;
}

static ntrun_error lib_set_fd(ntrun_config *c, int which, int fd, const char *name)
{
    LIB_CHECK_CFG(c);
    if (fd < 0)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "%s: fd %d is not a file descriptor", name, fd);
    c->std[which] = (lib_sink){.fd = fd};
    return NTRUN_OK;
}

static ntrun_error lib_set_cb(ntrun_config *c, int which, ntrun_write_fn fn, void *ctx)
{
    LIB_CHECK_CFG(c);
    c->std[which] = (lib_sink){.fd = -1, .fn = fn, .ctx = ctx};
    return NTRUN_OK;
}

NTRUN_API ntrun_error ntrun_config_set_stdin_fd(ntrun_config *c, int fd)
{
    return lib_set_fd(c, 0, fd, "stdin");
}

NTRUN_API ntrun_error ntrun_config_set_stdin_callback(ntrun_config *c, ntrun_read_fn fn,
                                                      void *ctx)
{
    LIB_CHECK_CFG(c);
    if (!fn)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "stdin callback: fn is NULL");
    c->std[0] = (lib_sink){.fd = -1, .rfn = fn, .ctx = ctx};
    return NTRUN_OK;
}

NTRUN_API ntrun_error ntrun_config_set_stdout_fd(ntrun_config *c, int fd)
{
    return lib_set_fd(c, 1, fd, "stdout");
}
NTRUN_API ntrun_error ntrun_config_set_stderr_fd(ntrun_config *c, int fd)
{
    return lib_set_fd(c, 2, fd, "stderr");
}
NTRUN_API ntrun_error ntrun_config_set_stdout_callback(ntrun_config *c, ntrun_write_fn fn,
                                                       void *ctx)
{
    return lib_set_cb(c, 1, fn, ctx);
}
NTRUN_API ntrun_error ntrun_config_set_stderr_callback(ntrun_config *c, ntrun_write_fn fn,
                                                       void *ctx)
{
    return lib_set_cb(c, 2, fn, ctx);
}

NTRUN_API ntrun_error ntrun_config_set_event_callback(ntrun_config *c, ntrun_event_fn fn,
                                                      void *ctx)
{
    LIB_CHECK_CFG(c);
    c->event_fn = fn;
    c->event_ctx = ctx;
    return NTRUN_OK;
}

NTRUN_API ntrun_error ntrun_config_set_terminate_grace(ntrun_config *c, uint32_t ms)
{
    LIB_CHECK_CFG(c);
    c->terminate_grace_ms = ms;
    return NTRUN_OK;
}
