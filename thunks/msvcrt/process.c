/* SPDX-License-Identifier: MIT */
/* msvcrt's process functions: system, _popen/_pclose, the _spawn* and _exec* families, tmpnam.
 * The UCRT names reach them through ucrtbase's fallback to msvcrt.
 *
 * system and _popen run the command with the command interpreter as msvcrt does:
 * "%COMSPEC% /c command" (COMSPEC, else cmd.exe in the system directory), a Windows program run
 * by ntrun like any child (ntemu/process.c). When C:\windows\system32\cmd.exe is no file and
 * COMSPEC is unset or names it, that is ntrun's built-in cmd (programs/programs.h); a COMSPEC
 * naming no file fails (ENOENT). The child gets the CRT's fds 0, 1, 2 as its standard handles
 * and every inheritable handle.
 *
 * _spawn*: the command line is the arguments joined with single spaces, unquoted (msvcrt
 * quotes nothing; callers quote arguments with spaces themselves). The program is the path as
 * given, with ".exe" added when that does not exist and has no extension; the *p variants then
 * look in each PATH directory. _P_WAIT returns the exit code, _P_NOWAIT/_P_NOWAITO the process
 * handle (for _cwait), _P_OVERLAY (the _exec* functions) starts the program and ends the caller
 * with _exit(0), as msvcrt does: Windows cannot replace a process image.
 *
 * tmpnam: msvcrt's names ("\s1k4.2", L_tmpnam is 14) name files at the root of the current
 * drive; ntrun's Z: root is the Linux root, so the names here are relative to the current
 * directory ("s1k4.2") and still fit the 14 bytes programs reserve. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "thunks/msvcrt/msvcrt_lib.h"
#include "thunks/thunks_private.h"

#define CRT_P_WAIT 0
#define CRT_P_NOWAIT 1
#define CRT_P_OVERLAY 2
#define CRT_P_NOWAITO 3

static bool crt_is_file(const char *unix_path)
{
    struct stat sb;
    return unix_path && stat(unix_path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* A CRT environment variable's value (the program's _environ), or NULL. */
static const char *crt_getenv_raw(const char *name)
{
    size_t n = strlen(name);
    for (char **e = crt_env_get(); e && *e; e++)
        if (strncasecmp(*e, name, n) == 0 && (*e)[n] == '=')
            return *e + n + 1;
    return NULL;
}

/* The command interpreter: (Windows path, Linux path), malloc'd; false when there is none. */
static bool crt_comspec(char **win, char **unix_path)
{
    *win = *unix_path = NULL;
    const char *cs = crt_getenv_raw("COMSPEC");
    if (cs && *cs && NT_SUCCESS(nt_path_to_unix_a(cs, unix_path)) && crt_is_file(*unix_path)) {
        *win = strdup(cs);
        return *win != NULL;
    }
    free(*unix_path);
    *unix_path = NULL;
    /* cmd.exe in the system directory; ntrun's built-in one when that is no file */
    if ((!cs || !*cs || !strcasecmp(cs, "C:\\windows\\system32\\cmd.exe")) &&
        NT_SUCCESS(nt_path_to_unix_a("C:\\windows\\system32\\cmd.exe", unix_path))) {
        *win = strdup("C:\\windows\\system32\\cmd.exe");
        return *win != NULL;
    }
    free(*unix_path);
    *unix_path = NULL;
    return false;
}

/* The CRT's environment as envp (the program's _environ: putenv changes go along). */
static char *const *crt_spawn_env(void) { return crt_env_get(); }

/* Starts `unix_exe` (or /bin/sh when sh_command is set) with the command line, the std handles
 * of CRT fds 0-2 unless `std` overrides one. The process handle, or NULL with errno set. */
static HANDLE crt_start(const char *unix_exe, const char *cmdline, const char *sh_command,
                        char *const *envp, const HANDLE *std)
{
    nt_spawn sp = {
        .unix_exe = unix_exe,
        .cmdline = cmdline,
        .envp = envp ? envp : crt_spawn_env(),
        .inherit_handles = true,
        .ctrl_c_ignored = false,
        .native_command = sh_command,
    };
    for (int i = 0; i < 3; i++) {
        HANDLE h = std && std[i] ? std[i] : crt_fd_handle(i);
        sp.std_handles[i] = h == INVALID_HANDLE_VALUE ? NULL : h;
    }
    HANDLE process = NULL;
    uint32_t pid = 0;
    NTSTATUS st = nt_process_spawn(&sp, &process, &pid);
    if (!NT_SUCCESS(st)) {
        crt_set_errno(st == STATUS_NO_MEMORY ? CRT_ENOMEM : CRT_ENOENT);
        return NULL;
    }
    return process;
}

static int crt_wait_process(HANDLE process)
{
    NtWaitForSingleObject(process, 0, NULL);
    uint32_t pid = 0, code = 0;
    nt_process_query(process, &pid, &code);
    NtClose(process);
    return (int)code;
}

/* The command run by system/_popen: its process handle, or NULL (errno set). */
static HANDLE crt_start_command(const char *command, const HANDLE *std)
{
    char *win = NULL, *unix_path = NULL;
    HANDLE h;
    if (crt_comspec(&win, &unix_path)) {
        size_t n = strlen(win) + strlen(command) + 8;
        char *line = malloc(n);
        if (!line) {
            crt_set_errno(CRT_ENOMEM);
            h = NULL;
        } else {
            snprintf(line, n, "%s /c %s", win, command);
            h = crt_start(unix_path, line, NULL, NULL, std);
            free(line);
        }
    } else {
        crt_set_errno(CRT_ENOENT);
        h = NULL;
    }
    free(win);
    free(unix_path);
    return h;
}

static int WINAPI msvcrt_system(const char *command)
{
    if (!command) {
        char *win = NULL, *unix_path = NULL;
        bool have = crt_comspec(&win, &unix_path);
        free(win);
        free(unix_path);
        return have;
    }
    HANDLE h = crt_start_command(command, NULL);
    return h ? crt_wait_process(h) : -1;
}
THK_EXPORT_AS(msvcrt, system, msvcrt_system, 1);

static int WINAPI msvcrt__wsystem(const WCHAR *command)
{
    char *a = command ? crt_wide_to_utf8(command) : NULL;
    int r = msvcrt_system(a);
    free(a);
    return r;
}
THK_EXPORT_AS(msvcrt, _wsystem, msvcrt__wsystem, 1);

/* ---- _popen / _pclose ---- */

static pthread_mutex_t crt_popen_lock = PTHREAD_MUTEX_INITIALIZER;
static struct crt_popen {
    crt_FILE *f;
    HANDLE process;
} crt_popens[64];

static crt_FILE *WINAPI msvcrt__popen(const char *command, const char *mode)
{
    if (!command || !mode) {
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    bool reading = strchr(mode, 'r') != NULL;
    if (reading == (strchr(mode, 'w') != NULL)) {
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        crt_set_errno(CRT_EMFILE);
        return NULL;
    }
    nt_file *rf = nt_file_new_owned(fds[0], FILE_GENERIC_READ);
    nt_file *wf = nt_file_new_owned(fds[1], FILE_GENERIC_WRITE);
    HANDLE hr = NULL, hw = NULL;
    if (rf)
        nt_handle_alloc(&rf->hdr, &hr);
    if (wf)
        nt_handle_alloc(&wf->hdr, &hw);
    if (!rf)
        close(fds[0]);
    if (!wf)
        close(fds[1]);
    nt_object_release(rf ? &rf->hdr : NULL);
    nt_object_release(wf ? &wf->hdr : NULL);
    if (!hr || !hw) {
        if (hr)
            NtClose(hr);
        if (hw)
            NtClose(hw);
        crt_set_errno(CRT_ENOMEM);
        return NULL;
    }
    HANDLE std[3] = {NULL, NULL, NULL};
    std[reading ? 1 : 0] = reading ? hw : hr;
    HANDLE process = crt_start_command(command, std);
    NtClose(reading ? hw : hr); /* the child's end */
    HANDLE mine = reading ? hr : hw;
    if (!process) {
        NtClose(mine);
        return NULL;
    }
    bool binary = strchr(mode, 'b') != NULL;
    int fd = crt_fd_alloc(mine, (reading ? CRT_O_RDONLY : CRT_O_WRONLY) |
                                    (binary ? CRT_O_BINARY : CRT_O_TEXT));
    crt_FILE *f = fd >= 0 ? crt_fdopen(fd, reading ? (binary ? "rb" : "rt") : (binary ? "wb" : "wt"))
                          : NULL;
    if (!f) {
        if (fd >= 0)
            crt_fd_close(fd);
        else
            NtClose(mine);
        NtTerminateProcess(process, 1);
        NtClose(process);
        return NULL;
    }
    pthread_mutex_lock(&crt_popen_lock);
    for (size_t i = 0; i < sizeof crt_popens / sizeof crt_popens[0]; i++)
        if (!crt_popens[i].f) {
            crt_popens[i].f = f;
            crt_popens[i].process = process;
            process = NULL;
            break;
        }
    pthread_mutex_unlock(&crt_popen_lock);
    if (process) { /* no room to remember it: _pclose cannot wait for it */
        NtClose(process);
    }
    return f;
}
THK_EXPORT_AS(msvcrt, _popen, msvcrt__popen, 2);

static crt_FILE *WINAPI msvcrt__wpopen(const WCHAR *command, const WCHAR *mode)
{
    char *c = command ? crt_wide_to_utf8(command) : NULL, *m = mode ? crt_wide_to_utf8(mode) : NULL;
    crt_FILE *f = msvcrt__popen(c, m);
    free(c);
    free(m);
    return f;
}
THK_EXPORT_AS(msvcrt, _wpopen, msvcrt__wpopen, 2);

static int WINAPI msvcrt__pclose(crt_FILE *f)
{
    HANDLE process = NULL;
    pthread_mutex_lock(&crt_popen_lock);
    for (size_t i = 0; f && i < sizeof crt_popens / sizeof crt_popens[0]; i++)
        if (crt_popens[i].f == f) {
            process = crt_popens[i].process;
            crt_popens[i].f = NULL;
            crt_popens[i].process = NULL;
            break;
        }
    pthread_mutex_unlock(&crt_popen_lock);
    if (!process) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    crt_fclose(f);
    return crt_wait_process(process);
}
THK_EXPORT_AS(msvcrt, _pclose, msvcrt__pclose, 1);

/* ---- _spawn* / _exec* ---- */

/* The Linux path of a program for _spawn: as given, then with ".exe"; *p variants: then each
 * PATH directory. */
static char *crt_find_program(const char *name, bool search)
{
    char *u = NULL;
    size_t n = strlen(name);
    bool ext = false;
    for (size_t i = n; i-- > 0 && name[i] != '\\' && name[i] != '/';)
        if (name[i] == '.')
            ext = true;
    char *withexe = malloc(n + 5);
    if (!withexe)
        return NULL;
    snprintf(withexe, n + 5, "%s%s", name, ext ? "" : ".exe");
    const char *tries[2] = {name, withexe};
    for (int t = 0; t < 2; t++) {
        if (NT_SUCCESS(nt_path_to_unix_a(tries[t], &u)) && crt_is_file(u))
            goto found;
        free(u);
        u = NULL;
    }
    bool sep = strpbrk(name, "\\/:") != NULL;
    const char *path = search && !sep ? crt_getenv_raw("PATH") : NULL;
    while (path && *path) {
        const char *e = strchr(path, ';');
        size_t dl = e ? (size_t)(e - path) : strlen(path);
        for (int t = 0; t < 2 && dl; t++) {
            size_t len = dl + strlen(tries[t]) + 2;
            char *full = malloc(len);
            if (!full)
                break;
            snprintf(full, len, "%.*s\\%s", (int)dl, path, tries[t]);
            bool ok = NT_SUCCESS(nt_path_to_unix_a(full, &u)) && crt_is_file(u);
            free(full);
            if (ok)
                goto found;
            free(u);
            u = NULL;
        }
        path = e ? e + 1 : NULL;
    }
found:
    free(withexe);
    return u;
}

static intptr_t crt_spawn(int mode, const char *name, const char *const *argv,
                          const char *const *envp, bool search)
{
    if (!name || !argv || mode < CRT_P_WAIT || mode > CRT_P_NOWAITO) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    char *exe = crt_find_program(name, search);
    if (!exe) {
        crt_set_errno(CRT_ENOENT);
        return -1;
    }
    nt_sbuf line = {0};
    for (size_t i = 0; argv[i]; i++) {
        if (i)
            nt_sb_addc(&line, ' ');
        nt_sb_adds(&line, argv[i]);
    }
    char *cmd = nt_sb_take(&line);
    HANDLE process = cmd ? crt_start(exe, cmd, NULL, (char *const *)envp, NULL) : NULL;
    free(cmd);
    free(exe);
    if (!process)
        return -1;
    if (mode == CRT_P_WAIT)
        return crt_wait_process(process);
    if (mode == CRT_P_OVERLAY) {
        NtClose(process);
        crt_exit_quick(0);
    }
    return (intptr_t)process;
}

static intptr_t WINAPI msvcrt__spawnv(int mode, const char *name, const char *const *argv)
{ return crt_spawn(mode, name, argv, NULL, false); }
THK_EXPORT_AS(msvcrt, _spawnv, msvcrt__spawnv, 3);
static intptr_t WINAPI msvcrt__spawnve(int mode, const char *name, const char *const *argv,
                                       const char *const *envp)
{ return crt_spawn(mode, name, argv, envp, false); }
THK_EXPORT_AS(msvcrt, _spawnve, msvcrt__spawnve, 4);
static intptr_t WINAPI msvcrt__spawnvp(int mode, const char *name, const char *const *argv)
{ return crt_spawn(mode, name, argv, NULL, true); }
THK_EXPORT_AS(msvcrt, _spawnvp, msvcrt__spawnvp, 3);
static intptr_t WINAPI msvcrt__spawnvpe(int mode, const char *name, const char *const *argv,
                                        const char *const *envp)
{ return crt_spawn(mode, name, argv, envp, true); }
THK_EXPORT_AS(msvcrt, _spawnvpe, msvcrt__spawnvpe, 4);

static intptr_t WINAPI msvcrt__execv(const char *name, const char *const *argv)
{ return crt_spawn(CRT_P_OVERLAY, name, argv, NULL, false); }
THK_EXPORT_AS(msvcrt, _execv, msvcrt__execv, 2);
static intptr_t WINAPI msvcrt__execve(const char *name, const char *const *argv,
                                      const char *const *envp)
{ return crt_spawn(CRT_P_OVERLAY, name, argv, envp, false); }
THK_EXPORT_AS(msvcrt, _execve, msvcrt__execve, 3);
static intptr_t WINAPI msvcrt__execvp(const char *name, const char *const *argv)
{ return crt_spawn(CRT_P_OVERLAY, name, argv, NULL, true); }
THK_EXPORT_AS(msvcrt, _execvp, msvcrt__execvp, 2);
static intptr_t WINAPI msvcrt__execvpe(const char *name, const char *const *argv,
                                       const char *const *envp)
{ return crt_spawn(CRT_P_OVERLAY, name, argv, envp, true); }
THK_EXPORT_AS(msvcrt, _execvpe, msvcrt__execvpe, 3);

/* The l variants: arguments up to a NULL, then (e variants) the environment. */
#define CRT_MAX_LARGS 256
static intptr_t crt_spawn_l(int mode, const char *name, const char *arg0,
                            __builtin_ms_va_list ap, bool with_env, bool search)
{
    const char *argv[CRT_MAX_LARGS + 1];
    size_t n = 0;
    argv[n++] = arg0;
    const char *a = arg0;
    while (a && n < CRT_MAX_LARGS) {
        a = __builtin_va_arg(ap, const char *);
        argv[n++] = a;
    }
    argv[n] = NULL;
    const char *const *envp = with_env ? __builtin_va_arg(ap, const char *const *) : NULL;
    return crt_spawn(mode, name, argv, envp, search);
}

/* Each l variant collects its arguments with crt_spawn_l: the _spawnl family takes a mode,
 * the _execl family overlays (CRT_P_OVERLAY). */
#define CRT_SPAWN_L(fn, with_env, search)                                                     \
    static intptr_t WINAPI msvcrt_##fn(int mode, const char *name, const char *arg0, ...)     \
    {                                                                                         \
        __builtin_ms_va_list ap;                                                              \
        __builtin_ms_va_start(ap, arg0);                                                      \
        intptr_t r = crt_spawn_l(mode, name, arg0, ap, with_env, search);                     \
        __builtin_ms_va_end(ap);                                                              \
        return r;                                                                             \
    }                                                                                         \
    THK_EXPORT_AS(msvcrt, fn, msvcrt_##fn, THK_VARIADIC);
#define CRT_EXEC_L(fn, with_env, search)                                                      \
    static intptr_t WINAPI msvcrt_##fn(const char *name, const char *arg0, ...)               \
    {                                                                                         \
        __builtin_ms_va_list ap;                                                              \
        __builtin_ms_va_start(ap, arg0);                                                      \
        intptr_t r = crt_spawn_l(CRT_P_OVERLAY, name, arg0, ap, with_env, search);            \
        __builtin_ms_va_end(ap);                                                              \
        return r;                                                                             \
    }                                                                                         \
    THK_EXPORT_AS(msvcrt, fn, msvcrt_##fn, THK_VARIADIC);
CRT_SPAWN_L(_spawnl, false, false)
CRT_SPAWN_L(_spawnlp, false, true)
CRT_SPAWN_L(_spawnle, true, false)
CRT_SPAWN_L(_spawnlpe, true, true)
CRT_EXEC_L(_execl, false, false)
CRT_EXEC_L(_execlp, false, true)
CRT_EXEC_L(_execle, true, false)
CRT_EXEC_L(_execlpe, true, true)

/* _cwait: waits for a process handle from _spawn(_P_NOWAIT); its exit code in *status. */
static intptr_t WINAPI msvcrt__cwait(int *status, intptr_t process, int action)
{
    HANDLE h = (HANDLE)process;
    if (NtWaitForSingleObject(h, 0, NULL) != STATUS_SUCCESS) {
        crt_set_errno(CRT_ECHILD);
        return -1;
    }
    uint32_t pid = 0, code = 0;
    nt_process_query(h, &pid, &code);
    if (status)
        *status = (int)code;
    NtClose(h);
    return process;
}
THK_EXPORT_AS(msvcrt, _cwait, msvcrt__cwait, 3);

/* ---- tmpnam ---- */

static char crt_tmpnam_buf[16];

static char *WINAPI msvcrt_tmpnam(char *buf)
{
    static unsigned counter;
    static const char digits[] = "0123456789abcdefghijklmnopqrstuv";
    char *out = buf ? buf : crt_tmpnam_buf;
    for (int tries = 0; tries < 1000; tries++) {
        unsigned n = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
        char name[16];
        size_t k = 0;
        name[k++] = 's';
        unsigned pid = (unsigned)getpid() & 0x1ffffff; /* 5 base-32 digits at most */
        char tmp[8];
        size_t t = 0;
        do tmp[t++] = digits[pid % 32]; while ((pid /= 32) && t < 5);
        while (t)
            name[k++] = tmp[--t];
        name[k++] = '.';
        t = 0;
        unsigned c = n & 0x7fff;
        do tmp[t++] = digits[c % 32]; while ((c /= 32) && t < 3);
        while (t)
            name[k++] = tmp[--t];
        name[k] = 0;
        if (access(name, F_OK) != 0) { /* relative to the current directory, as the doc says */
            memcpy(out, name, k + 1);
            return out;
        }
    }
    crt_set_errno(CRT_EEXIST);
    return NULL;
}
THK_EXPORT_AS(msvcrt, tmpnam, msvcrt_tmpnam, 1);
