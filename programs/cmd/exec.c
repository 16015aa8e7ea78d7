/* SPDX-License-Identifier: MIT */
/* cmd: running the tree.
 *
 * A simple command is, after the run-time expansions, an internal command (builtins.c) when
 * its first word names one ("echo.", "cd..", "dir/b" too), else a program: the name as given
 * (a path), else in the current directory, then in each PATH directory, each time as written
 * (when it has an extension) then with each PATHEXT extension (.COM;.EXE;.BAT;.CMD by
 * default). A .bat or .cmd file runs in this cmd (from a batch file, without CALL, it does
 * not return to the caller); any other file is started with CreateProcess (the command text
 * as its command line, handles inherited, the standard handles of the command) and waited
 * for; its exit code is ERRORLEVEL. Not found: Windows' message, ERRORLEVEL 9009.
 *
 * Redirections open their files (NUL too) for the command only and are applied left to right
 * ("2>&1" after ">f" sends both to f). A pipeline starts all its stages first, right to left,
 * without waiting: programs directly; internal commands, batch files, parenthesised blocks, IF
 * and FOR each in a cmd.exe of its own, as Windows does ("set x=1 | ..." and "( set x=1 ) |
 * ..." change nothing in this cmd; a compound stage's text is made again from its tree). Its
 * result is the last stage's.
 *
 * A batch file runs line by line: each line %-expanded when read (a block spanning lines at
 * once), echoed with the prompt while ECHO is on (unless it starts with '@'), run. GOTO moves
 * to the line after the label; EXIT /B and GOTO :EOF end the batch (or the CALLed label). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "programs/cmd/cmd_private.h"

cmd_state cmd_st;

#define CMD_NOT_EXTERNAL (-1000)

static bool cmd_stopped(void) { return cmd_st.exiting || cmd_st.leave_batch || cmd_st.jumped; }

/* ---- redirections ---- */

typedef struct {
    HANDLE opened[16];
    size_t n;
} cmd_opened;

static void cmd_close_opened(cmd_opened *o)
{
    for (size_t i = 0; i < o->n; i++)
        CloseHandle(o->opened[i]);
    o->n = 0;
}

/* Applies `r` to a copy of `io`; false (message written) when a file cannot be opened. */
static bool cmd_apply_redirs(const cmd_redir *r, const cmd_io *io, cmd_io *out, cmd_opened *o)
{
    *out = *io;
    for (; r; r = r->next) {
        if (r->fd > 2) {
            cmd_errf(io, "ntrun cmd: redirection of handle %d is not supported\r\n", r->fd);
            goto fail;
        }
        if (r->kind == CMD_REDIR_DUP) {
            if (r->dup_fd > 2) {
                cmd_errf(io, "ntrun cmd: redirection to handle %d is not supported\r\n",
                         r->dup_fd);
                goto fail;
            }
            out->h[r->fd] = out->h[r->dup_fd];
            continue;
        }
        char *exp = cmd_expand_runtime(r->target);
        char *name = cmd_unquote(exp);
        free(exp);
        cmd_security_attributes sa = {sizeof sa, NULL, TRUE};
        HANDLE h;
        if (r->kind == CMD_REDIR_IN)
            h = CreateFileA(name, CMD_GENERIC_READ, CMD_SHARE_ALL, &sa, CMD_OPEN_EXISTING, 0x80,
                            NULL);
        else
            h = CreateFileA(name, CMD_GENERIC_WRITE | CMD_GENERIC_READ, CMD_SHARE_ALL, &sa,
                            r->kind == CMD_REDIR_APPEND ? CMD_OPEN_ALWAYS : CMD_CREATE_ALWAYS,
                            0x80, NULL);
        DWORD err = GetLastError();
        free(name);
        if (h == CMD_INVALID_HANDLE) {
            cmd_err(io, err == 2   ? "The system cannot find the file specified.\r\n"
                        : err == 3 ? "The system cannot find the path specified.\r\n"
                                   : "Access is denied.\r\n");
            goto fail;
        }
        if (r->kind == CMD_REDIR_APPEND) {
            LARGE_INTEGER zero = {.QuadPart = 0};
            SetFilePointerEx(h, zero, NULL, CMD_FILE_END);
        }
        if (o->n == sizeof o->opened / sizeof o->opened[0]) {
            CloseHandle(h);
            cmd_err(io, "ntrun cmd: too many redirections\r\n");
            goto fail;
        }
        o->opened[o->n++] = h;
        out->h[r->fd] = h;
    }
    return true;
fail:
    cmd_close_opened(o);
    return false;
}

/* ---- programs ---- */

static bool cmd_is_file(const char *path)
{
    DWORD a = GetFileAttributesA(path);
    return a != CMD_INVALID_ATTRS && !(a & CMD_ATTR_DIRECTORY);
}

static char *cmd_full_path(const char *path)
{
    char buf[1024];
    DWORD n = GetFullPathNameA(path, sizeof buf, buf, NULL);
    return n && n < sizeof buf ? cmd_strndup(buf, n) : cmd_strdup(path);
}

/* dir\name as written (with an extension) or with each PATHEXT extension. */
static char *cmd_try_dir(const char *dir, const char *name, bool has_ext, const char *exts)
{
    cmd_buf b = {0};
    if (dir && *dir) {
        cmd_buf_adds(&b, dir);
        if (dir[strlen(dir) - 1] != '\\' && dir[strlen(dir) - 1] != '/')
            cmd_buf_addc(&b, '\\');
    }
    cmd_buf_adds(&b, name);
    char *base = cmd_buf_take(&b);
    char *found = NULL;
    if (has_ext && cmd_is_file(base))
        found = cmd_full_path(base);
    for (const char *e = exts; !found && *e;) {
        const char *end = strchr(e, ';');
        size_t n = end ? (size_t)(end - e) : strlen(e);
        if (n) {
            cmd_buf c = {0};
            cmd_buf_adds(&c, base);
            cmd_buf_add(&c, e, n);
            char *cand = cmd_buf_take(&c);
            if (cmd_is_file(cand))
                found = cmd_full_path(cand);
            free(cand);
        }
        e = end ? end + 1 : e + n;
    }
    free(base);
    return found;
}

char *cmd_find_program(const char *name)
{
    if (!*name)
        return NULL;
    char *exts = cmd_getenv("PATHEXT");
    if (!exts)
        exts = cmd_strdup(".COM;.EXE;.BAT;.CMD");
    const char *last = name;
    bool has_path = false;
    for (const char *s = name; *s; s++)
        if (*s == '\\' || *s == '/' || *s == ':') {
            last = s + 1;
            has_path = true;
        }
    bool has_ext = strchr(last, '.') != NULL;
    char *found = cmd_try_dir(NULL, name, has_ext, exts);
    if (!found && !has_path) {
        char *path = cmd_getenv("PATH");
        for (const char *p = path ? path : ""; !found && *p;) {
            const char *end = strchr(p, ';');
            size_t n = end ? (size_t)(end - p) : strlen(p);
            char *dir = cmd_strndup(p, n);
            char *udir = cmd_unquote(dir);
            if (*udir)
                found = cmd_try_dir(udir, name, has_ext, exts);
            free(dir);
            free(udir);
            p = end ? end + 1 : p + n;
        }
        free(path);
    }
    free(exts);
    return found;
}

static bool cmd_is_batch_name(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && (cmd_ieq(path + n - 4, ".bat") || cmd_ieq(path + n - 4, ".cmd"));
}

/* A program that is this cmd: "cmd" or "cmd.exe" with no such file anywhere (ntrun's own). */
static bool cmd_is_self_name(const char *name)
{
    const char *last = name;
    for (const char *s = name; *s; s++)
        if (*s == '\\' || *s == '/' || *s == ':')
            last = s + 1;
    return last == name && (cmd_ieq(name, "cmd") || cmd_ieq(name, "cmd.exe"));
}

/* Starts a program; its process handle, or NULL (message written, *rc set). */
static HANDLE cmd_start_process(const char *app, const char *cmdline, const cmd_io *io,
                                int *rc)
{
    cmd_startupinfo si = {.cb = sizeof si, .dwFlags = CMD_STARTF_USESTDHANDLES,
                          .hStdInput = io->h[0], .hStdOutput = io->h[1], .hStdError = io->h[2]};
    cmd_process_information pi = {0};
    char *line = cmd_strdup(cmdline);
    BOOL ok = CreateProcessA(app, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    DWORD err = GetLastError();
    free(line);
    if (!ok) {
        if (err == 193) /* ERROR_BAD_EXE_FORMAT */
            cmd_errf(io, "ntrun cmd: %s is not a Windows x64 program\r\n", app ? app : cmdline);
        else
            cmd_errf(io, "ntrun cmd: cannot start %s (error %u)\r\n", app ? app : cmdline,
                     (unsigned)err);
        *rc = 9009;
        return NULL;
    }
    CloseHandle(pi.hThread);
    return pi.hProcess;
}

static int cmd_wait(HANDLE process)
{
    WaitForSingleObject(process, CMD_INFINITE);
    DWORD code = 1;
    GetExitCodeProcess(process, &code);
    CloseHandle(process);
    return (int)code;
}

/* The program word of a command: quoted or up to a delimiter. malloc'd, unquoted. */
static char *cmd_program_word(const char *text, const char **rest)
{
    const char *s = text;
    cmd_buf b = {0};
    if (*s == '"') {
        const char *e = strchr(s + 1, '"');
        size_t n = e ? (size_t)(e - s - 1) : strlen(s + 1);
        cmd_buf_add(&b, s + 1, n);
        s = e ? e + 1 : s + 1 + n;
    }
    bool q = false;
    for (; *s && (q || !cmd_is_delim(*s)); s++) {
        if (*s == '"') {
            q = !q;
            continue;
        }
        cmd_buf_addc(&b, *s);
    }
    *rest = s;
    return cmd_buf_take(&b);
}

/* Runs or (start_only) starts the program of `text`. start_only: a process handle in *proc, or
 * CMD_NOT_EXTERNAL when it is a batch file (nothing done). */
static int cmd_external(const char *text, const cmd_io *io, bool start_only, HANDLE *proc)
{
    const char *rest;
    char *name = cmd_program_word(text, &rest);
    char *path = cmd_find_program(name);
    int rc = 0;
    if (!path && cmd_is_self_name(name)) {
        char self[1024];
        DWORD n = GetModuleFileNameA(NULL, self, sizeof self);
        path = cmd_strdup(n && n < sizeof self ? self : "C:\\windows\\system32\\cmd.exe");
    }
    if (!path) {
        if (start_only) {
            free(name);
            return CMD_NOT_EXTERNAL;
        }
        cmd_errf(io, "'%s' is not recognized as an internal or external command,\r\n"
                     "operable program or batch file.\r\n", name);
        free(name);
        cmd_st.errorlevel = 9009;
        return 9009;
    }
    if (cmd_is_batch_name(path)) {
        if (start_only) {
            rc = CMD_NOT_EXTERNAL;
        } else {
            char *arg0 = cmd_strndup(text, (size_t)(rest - text));
            bool in_batch = cmd_st.batch != NULL, call = cmd_st.in_call;
            cmd_st.in_call = false;
            rc = cmd_run_batch(path, arg0, rest, io, call);
            if (in_batch && !call) /* without CALL, control does not come back */
                cmd_st.leave_batch = true;
            free(arg0);
        }
    } else {
        char *line = cmd_strdup(text);
        cmd_trim_right(line);
        HANDLE h = cmd_start_process(path, line, io, &rc);
        free(line);
        if (h) {
            if (start_only) {
                *proc = h;
                rc = 0;
            } else {
                rc = cmd_wait(h);
            }
        }
        cmd_st.errorlevel = rc;
    }
    free(name);
    free(path);
    return rc;
}

int cmd_run_external(const char *text, const cmd_io *io)
{
    return cmd_external(text, io, false, NULL);
}

int cmd_run_child_cmd(const char *text, const cmd_io *io, HANDLE *process_out)
{
    char self[1024];
    DWORD n = GetModuleFileNameA(NULL, self, sizeof self);
    if (!n || n >= sizeof self)
        snprintf(self, sizeof self, "C:\\windows\\system32\\cmd.exe");
    cmd_buf b = {0};
    cmd_buf_adds(&b, "cmd.exe /S /D /C\"");
    cmd_buf_adds(&b, text);
    cmd_buf_addc(&b, '"');
    char *line = cmd_buf_take(&b);
    int rc = 0;
    HANDLE h = cmd_start_process(self, line, io, &rc);
    free(line);
    if (!h)
        return rc;
    if (process_out) {
        *process_out = h;
        return 0;
    }
    return cmd_wait(h);
}

/* ---- simple commands ---- */

/* The internal command a text starts with ("echo", "echo.", "cd.."), and its arguments. */
static cmd_builtin_fn cmd_match_builtin(const char *text, const char **args, bool *unsupported,
                                        size_t *name_len)
{
    size_t n = 0;
    while (text[n] && !cmd_is_delim(text[n]) && text[n] != '"')
        n++;
    cmd_builtin_fn f = cmd_find_builtin(text, n, unsupported);
    if (!f && !*unsupported) {
        size_t k = 0;
        while (k < n && !strchr("./\\(+:[]", text[k]))
            k++;
        if (k && k < n) {
            f = cmd_find_builtin(text, k, unsupported);
            n = k;
        }
    }
    *args = text + n;
    *name_len = n;
    return f;
}

static int cmd_exec_simple(cmd_node *n, const cmd_io *io, bool start_only, HANDLE *proc)
{
    char *text = cmd_expand_runtime(n->text);
    const char *args;
    bool unsupported = false;
    size_t name_len = 0;
    cmd_builtin_fn f = *text ? cmd_match_builtin(text, &args, &unsupported, &name_len) : NULL;
    if (start_only && (f || unsupported || !*text)) {
        free(text);
        return CMD_NOT_EXTERNAL;
    }
    cmd_io rio;
    cmd_opened o = {0};
    int rc;
    if (!cmd_apply_redirs(n->redirs, io, &rio, &o)) {
        free(text);
        cmd_st.errorlevel = 1;
        return 1;
    }
    if (!*text) {
        rc = 0;
    } else if (unsupported) {
        char upper[16] = {0};
        for (size_t i = 0; i < name_len && i + 1 < sizeof upper; i++)
            upper[i] = (char)(text[i] >= 'a' && text[i] <= 'z' ? text[i] - 32 : text[i]);
        cmd_errf(&rio, "ntrun cmd: %s is not supported\r\n", upper);
        rc = cmd_st.errorlevel = 1;
    } else if (f) {
        rc = f(args, &rio);
        if (rc)
            cmd_st.errorlevel = rc;
    } else {
        rc = cmd_external(text, &rio, start_only, proc);
    }
    cmd_close_opened(&o);
    free(text);
    return rc;
}

/* ---- pipelines ---- */

static size_t cmd_pipe_stages(cmd_node *n, cmd_node **v, size_t cap)
{
    if (n->kind != CMD_N_PIPE) {
        if (cap)
            v[0] = n;
        return 1;
    }
    size_t k = cmd_pipe_stages(n->left, v, cap);
    return k + cmd_pipe_stages(n->right, v + k, cap > k ? cap - k : 0);
}

#define CMD_MAX_STAGES 32

/* A stage that is no program (an internal command, a batch file, a name not found, a block,
 * IF, FOR): as Windows runs it, in a cmd.exe of its own ("cmd /S /D /c" text""), not waited
 * for; a simple command's redirections are applied here to its standard handles, a compound
 * stage's are in its text (cmd_node_text). FOR variables are substituted here first (the
 * child cmd would not know them), and a simple command's !VAR!; a compound stage's !VAR! are
 * left to the child, which has no delayed expansion (as Windows' "(echo !x!) | more" shows
 * "!x!"). */
static int cmd_start_stage(cmd_node *n, const cmd_io *io, HANDLE *proc)
{
    if (n->kind != CMD_N_CMD) {
        char *whole = cmd_node_text(n);
        char *text = cmd_expand_forvars(whole);
        free(whole);
        int rc = *cmd_skip_spaces(text) ? cmd_run_child_cmd(text, io, proc) : CMD_NOT_EXTERNAL;
        free(text);
        return rc;
    }
    char *text = cmd_expand_runtime(n->text);
    if (!*cmd_skip_spaces(text)) {
        free(text);
        return CMD_NOT_EXTERNAL;
    }
    cmd_io rio;
    cmd_opened o = {0};
    int rc = 1;
    if (cmd_apply_redirs(n->redirs, io, &rio, &o))
        rc = cmd_run_child_cmd(text, &rio, proc);
    cmd_close_opened(&o);
    free(text);
    return rc;
}

static int cmd_exec_pipe(cmd_node *n, const cmd_io *io)
{
    cmd_node *st[CMD_MAX_STAGES];
    size_t ns = cmd_pipe_stages(n, st, CMD_MAX_STAGES);
    if (ns > CMD_MAX_STAGES) {
        cmd_err(io, "ntrun cmd: a pipeline of more than 32 commands is not supported\r\n");
        return cmd_st.errorlevel = 1;
    }
    HANDLE rd[CMD_MAX_STAGES] = {0}, wr[CMD_MAX_STAGES] = {0}; /* pipe i: stage i -> i + 1 */
    HANDLE proc[CMD_MAX_STAGES] = {0};
    int rc[CMD_MAX_STAGES] = {0};
    bool done[CMD_MAX_STAGES] = {0};
    /* not inheritable: a program must not hold a write end it was not given (no EOF) */
    for (size_t i = 0; i + 1 < ns; i++)
        if (!CreatePipe(&rd[i], &wr[i], NULL, 0)) {
            cmd_err(io, "ntrun cmd: cannot create a pipe\r\n");
            for (size_t j = 0; j < i; j++) {
                CloseHandle(rd[j]);
                CloseHandle(wr[j]);
            }
            return cmd_st.errorlevel = 1;
        }
    cmd_io sio[CMD_MAX_STAGES];
    for (size_t i = 0; i < ns; i++) {
        sio[i] = *io;
        if (i)
            sio[i].h[0] = rd[i - 1];
        if (i + 1 < ns)
            sio[i].h[1] = wr[i];
    }
    /* the programs, last first, without waiting */
    for (size_t i = ns; i-- > 0;) {
        if (st[i]->kind == CMD_N_NOP)
            continue;
        if (i) /* the ends it gets, inheritable as Windows wants standard handles */
            SetHandleInformation(rd[i - 1], CMD_HANDLE_FLAG_INHERIT, CMD_HANDLE_FLAG_INHERIT);
        if (i + 1 < ns)
            SetHandleInformation(wr[i], CMD_HANDLE_FLAG_INHERIT, CMD_HANDLE_FLAG_INHERIT);
        int r = st[i]->kind == CMD_N_CMD ? cmd_exec_simple(st[i], &sio[i], true, &proc[i])
                                         : CMD_NOT_EXTERNAL;
        if (r == CMD_NOT_EXTERNAL)
            r = cmd_start_stage(st[i], &sio[i], &proc[i]);
        if (i)
            SetHandleInformation(rd[i - 1], CMD_HANDLE_FLAG_INHERIT, 0);
        if (i + 1 < ns)
            SetHandleInformation(wr[i], CMD_HANDLE_FLAG_INHERIT, 0);
        if (r == CMD_NOT_EXTERNAL)
            continue;
        done[i] = true;
        rc[i] = r;
        if (i)
            CloseHandle(rd[i - 1]), rd[i - 1] = NULL;
        if (i + 1 < ns)
            CloseHandle(wr[i]), wr[i] = NULL;
    }
    /* the rest here, in order */
    for (size_t i = 0; i < ns; i++) {
        if (!done[i])
            rc[i] = cmd_stopped() ? 0 : cmd_exec(st[i], &sio[i]);
        if (i + 1 < ns && wr[i])
            CloseHandle(wr[i]), wr[i] = NULL;
        if (i && rd[i - 1])
            CloseHandle(rd[i - 1]), rd[i - 1] = NULL;
    }
    for (size_t i = 0; i < ns; i++)
        if (proc[i])
            rc[i] = cmd_wait(proc[i]);
    if (proc[ns - 1])
        cmd_st.errorlevel = rc[ns - 1];
    return rc[ns - 1];
}

/* ---- the tree ---- */

int cmd_exec(cmd_node *n, const cmd_io *io)
{
    if (!n || cmd_stopped())
        return 0;
    int rc = 0;
    switch (n->kind) {
    case CMD_N_NOP:
        return 0;
    case CMD_N_CMD:
        return cmd_exec_simple(n, io, false, NULL);
    case CMD_N_SEQ:
        cmd_exec(n->left, io);
        return cmd_exec(n->right, io);
    case CMD_N_AND:
        rc = cmd_exec(n->left, io);
        return rc == 0 ? cmd_exec(n->right, io) : rc;
    case CMD_N_OR:
        rc = cmd_exec(n->left, io);
        return rc != 0 ? cmd_exec(n->right, io) : rc;
    case CMD_N_PIPE:
        return cmd_exec_pipe(n, io);
    case CMD_N_BLOCK: {
        cmd_io rio;
        cmd_opened o = {0};
        if (!cmd_apply_redirs(n->redirs, io, &rio, &o))
            return cmd_st.errorlevel = 1;
        rc = cmd_exec(n->left, &rio);
        cmd_close_opened(&o);
        return rc;
    }
    case CMD_N_IF:
        if (cmd_if_test(n))
            return cmd_exec(n->left, io);
        return n->right ? cmd_exec(n->right, io) : 0;
    case CMD_N_FOR:
        return cmd_exec_for(n, io);
    }
    return 0;
}

static void cmd_syntax_error(const char *msg, const cmd_io *io)
{
    cmd_err(io, msg);
    cmd_err(io, "\r\n");
    cmd_st.errorlevel = 255;
}

int cmd_run_line(const char *line, const cmd_io *io)
{
    char *exp = cmd_expand_percent(line);
    char *error = NULL;
    cmd_node *n = cmd_parse(exp, NULL, NULL, &error);
    free(exp);
    if (!n) {
        cmd_syntax_error(error, io);
        free(error);
        return cmd_st.errorlevel;
    }
    cmd_exec(n, io);
    cmd_node_free(n);
    cmd_st.jumped = false;
    return cmd_st.errorlevel;
}

/* ---- batch files ---- */

/* The next raw line of the batch (without its CR LF); NULL at the end. */
static char *cmd_batch_raw_line(cmd_batch *bt)
{
    if (bt->pos >= bt->len)
        return NULL;
    const char *s = bt->text + bt->pos;
    const char *e = memchr(s, '\n', bt->len - bt->pos);
    size_t n = e ? (size_t)(e - s) : bt->len - bt->pos;
    bt->pos += n + (e != NULL);
    while (n && (s[n - 1] == '\r'))
        n--;
    return cmd_strndup(s, n);
}

static char *cmd_batch_more(void *ctx)
{
    char *raw = cmd_batch_raw_line(ctx);
    if (!raw)
        return NULL;
    char *exp = cmd_expand_percent(raw);
    free(raw);
    return exp;
}

static void cmd_echo_command(const char *line, const cmd_io *io)
{
    char *prompt = cmd_prompt_text();
    const char *s = cmd_skip_spaces(line);
    cmd_outf(io, "\r\n%s%s \r\n", prompt, s); /* a space after the command, as Windows shows it */
    free(prompt);
}

static int cmd_batch_loop(cmd_batch *bt, const cmd_io *io)
{
    cmd_batch *saved = cmd_st.batch;
    cmd_st.batch = bt;
    char *raw;
    while (!cmd_st.exiting && !cmd_st.leave_batch && (raw = cmd_batch_raw_line(bt)) != NULL) {
        char *exp = cmd_expand_percent(raw);
        free(raw);
        const char *s = cmd_skip_delims(exp);
        if (!*s || *s == ':') { /* an empty line, a label */
            free(exp);
            continue;
        }
        char *error = NULL;
        cmd_node *n = cmd_parse(exp, cmd_batch_more, bt, &error);
        if (cmd_st.echo_on && *s != '@' && !(n && n->kind == CMD_N_NOP))
            cmd_echo_command(exp, io);
        free(exp);
        if (!n) {
            cmd_syntax_error(error, io);
            free(error);
            break; /* Windows ends the batch at a syntax error */
        }
        cmd_exec(n, io);
        cmd_node_free(n);
        cmd_st.jumped = false;
    }
    cmd_st.leave_batch = false;
    cmd_locals_end_batch(bt->locals);
    cmd_st.batch = saved;
    return cmd_st.errorlevel;
}

/* The arguments of a batch: %1... split at delimiters, quotes kept. */
static void cmd_batch_args(cmd_batch *bt, const char *arg0, const char *args)
{
    size_t cap = 8;
    bt->args = malloc(cap * sizeof *bt->args);
    if (!bt->args)
        abort();
    bt->args[bt->nargs++] = cmd_strdup(arg0);
    const char *p = args;
    char *a;
    while ((a = cmd_next_arg(&p, false)) != NULL) {
        if (bt->nargs == cap) {
            cap *= 2;
            char **v = realloc(bt->args, cap * sizeof *v);
            if (!v)
                abort();
            bt->args = v;
        }
        bt->args[bt->nargs++] = a;
    }
    bt->all_args = cmd_strdup(cmd_skip_delims(args));
    cmd_trim_right(bt->all_args);
}

static void cmd_batch_free(cmd_batch *bt)
{
    for (size_t i = 0; i < bt->nargs; i++)
        free(bt->args[i]);
    free(bt->args);
    free(bt->all_args);
    if (bt->owns_text)
        free(bt->text);
    free(bt->path);
}

static char *cmd_read_file(const char *path, size_t *len)
{
    HANDLE h = CreateFileA(path, CMD_GENERIC_READ, CMD_SHARE_ALL, NULL, CMD_OPEN_EXISTING, 0x80,
                           NULL);
    if (h == CMD_INVALID_HANDLE)
        return NULL;
    cmd_buf b = {0};
    char chunk[8192];
    DWORD got;
    while (ReadFile(h, chunk, sizeof chunk, &got, NULL) && got)
        cmd_buf_add(&b, chunk, got);
    CloseHandle(h);
    *len = b.len;
    return cmd_buf_take(&b);
}

int cmd_run_batch(const char *path, const char *arg0, const char *args, const cmd_io *io,
                  bool call)
{
    (void)call;
    cmd_batch bt = {0};
    bt.text = cmd_read_file(path, &bt.len);
    if (!bt.text) {
        cmd_err(io, "The batch file cannot be found.\r\n");
        return cmd_st.errorlevel = 1;
    }
    bt.owns_text = true;
    bt.path = cmd_full_path(path);
    cmd_batch_args(&bt, arg0, args);
    int rc = cmd_batch_loop(&bt, io);
    cmd_batch_free(&bt);
    return rc;
}

/* Moves bt to the line after ":label"; false when there is none. */
bool cmd_batch_goto(cmd_batch *bt, const char *label)
{
    if (*label == ':')
        label++;
    size_t ln = 0;
    while (label[ln] && !cmd_is_delim(label[ln]))
        ln++;
    for (size_t pos = 0; pos < bt->len;) {
        const char *s = bt->text + pos;
        const char *e = memchr(s, '\n', bt->len - pos);
        size_t n = e ? (size_t)(e - s) : bt->len - pos;
        size_t next = pos + n + (e != NULL);
        size_t i = 0;
        while (i < n && cmd_is_delim(s[i]))
            i++;
        if (i < n && s[i] == ':' && n - i - 1 >= ln && !strncasecmp(s + i + 1, label, ln) &&
            (n - i - 1 == ln || cmd_is_delim(s[i + 1 + ln]) || s[i + 1 + ln] == '\r')) {
            bt->pos = next;
            return true;
        }
        pos = next;
    }
    return false;
}

int cmd_call_label(const char *label, const char *args, const cmd_io *io)
{
    cmd_batch *cur = cmd_st.batch;
    cmd_batch bt = {.path = cmd_strdup(cur->path), .text = cur->text, .len = cur->len};
    if (!cmd_batch_goto(&bt, label)) {
        cmd_errf(io, "The system cannot find the batch label specified - %s\r\n", label + 1);
        free(bt.path);
        return cmd_st.errorlevel = 1;
    }
    cmd_batch_args(&bt, label, args);
    int rc = cmd_batch_loop(&bt, io);
    cmd_batch_free(&bt);
    return rc;
}
