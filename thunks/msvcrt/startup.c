/* SPDX-License-Identifier: MIT */
/* msvcrt's process start-up and exit, as mingw-w64's crtexe.c uses them: the command line
 * (_acmdln, _wcmdln) and its arguments (__getmainargs, __wgetmainargs, __argc/__argv/__wargv,
 * parsed with msvcrt.dll's rules), __initenv, _pgmptr, __set_app_type, __setusermatherr,
 * _initterm, the _onexit/atexit table (__dllonexit for DLLs), exit/_exit/_cexit/_c_exit,
 * abort, _amsg_exit, _XcptFilter and __C_specific_handler (no exception dispatch yet),
 * _configthreadlocale.
 *
 * Exit follows msvcrt: exit() runs the _onexit table last-in first-out, flushes every stream
 * and ends the process; _exit() does neither. When the process ends some other way
 * (ExitProcess), msvcrt.dll's DLL_PROCESS_DETACH does what exit() would have done: here that
 * is the rt_on_exit hook. Every foreign function (table entries, handlers) is called through
 * thk_call_foreign*. */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ntemu/ntemu.h"
#include "thunks/msvcrt/crt.h"
#include "thunks/thunks_private.h"

/* ---- the variables the program reads directly ----
 * In crt_g's page of program memory (crt.h). A data export's table entry names a pointer to
 * the variable, which the constructor below sets once the page is mapped: before the loader
 * binds any import (it runs at ntrun's start, or at libntrun's load). The page lasts as long as
 * the host process; every run fills it afresh. */
static crt_globals crt_g_fallback; /* only if that one mmap fails: the runtime's data then */
crt_globals *crt_g = &crt_g_fallback;
static int32_t crt_app_type; /* _UNKNOWN_APP until __set_app_type */
static void *crt_usermatherr;

#define CRT_EXPORT_GLOBAL(name, field)                                                         \
    static void *crt_export_##name __attribute__((used)) = &crt_g_fallback.field;            \
    THK_EXPORT_ASM_(msvcrt, #name, "crt_export_" #name, THK_DATA)
CRT_EXPORT_GLOBAL(__argc, argc);
CRT_EXPORT_GLOBAL(__argv, argv);
CRT_EXPORT_GLOBAL(__wargv, wargv);
CRT_EXPORT_GLOBAL(_acmdln, acmdln);
CRT_EXPORT_GLOBAL(_wcmdln, wcmdln);
CRT_EXPORT_GLOBAL(__initenv, initenv);
CRT_EXPORT_GLOBAL(__winitenv, winitenv);
CRT_EXPORT_GLOBAL(_pgmptr, pgmptr);
CRT_EXPORT_GLOBAL(_wpgmptr, wpgmptr);
CRT_EXPORT_GLOBAL(_environ, environ_);
CRT_EXPORT_GLOBAL(_wenviron, wenviron);

__attribute__((constructor)) static void crt_globals_map(void)
{
    crt_globals *g = rt_progmem_alloc(sizeof *g);
    if (!g)
        return;
    crt_g = g;
    crt_export___argc = &g->argc;
    crt_export___argv = &g->argv;
    crt_export___wargv = &g->wargv;
    crt_export__acmdln = &g->acmdln;
    crt_export__wcmdln = &g->wcmdln;
    crt_export___initenv = &g->initenv;
    crt_export___winitenv = &g->winitenv;
    crt_export__pgmptr = &g->pgmptr;
    crt_export__wpgmptr = &g->wpgmptr;
    crt_export__environ = &g->environ_;
    crt_export__wenviron = &g->wenviron;
}

/* Copies into the process heap (the program's memory); src is glibc's and freed. NULL: none. */
static WCHAR *crt_heap_wstr(WCHAR *src)
{
    WCHAR *d = NULL;
    if (src) {
        size_t n = (nt_wcslen(src) + 1) * sizeof(WCHAR);
        d = crt_malloc(n);
        if (d)
            memcpy(d, src, n);
        free(src);
    }
    return d;
}

static char *crt_heap_str(char *src)
{
    char *d = NULL;
    if (src) {
        size_t n = strlen(src) + 1;
        d = crt_malloc(n);
        if (d)
            memcpy(d, src, n);
        free(src);
    }
    return d;
}

/* ---- the command line ---- */

/* msvcrt.dll's parse_cmdline: the program name ends at the closing quote, or unquoted at the
 * first character <= ' '; in arguments 2n backslashes + '"' give n backslashes and toggle
 * quoting, 2n+1 give n backslashes and a literal '"', other backslashes are literal, and '""'
 * inside quotes is a literal '"' that also ends the quoted part. Counts arguments (plus the
 * NULL) and characters (with terminators); fills argv/args when they are not NULL. */
static void crt_parse_cmdline(const WCHAR *p, WCHAR **argv, WCHAR *args, size_t *nargs,
                              size_t *nchars)
{
    *nargs = 1;
    *nchars = 0;
    if (argv)
        *argv++ = args;
    if (*p == '"') {
        while (*++p != '"' && *p) {
            ++*nchars;
            if (args)
                *args++ = *p;
        }
        ++*nchars;
        if (args)
            *args++ = 0;
        if (*p == '"')
            p++;
    } else {
        WCHAR c;
        do {
            ++*nchars;
            if (args)
                *args++ = *p;
            c = *p++;
        } while (c > ' ');
        if (c == 0)
            p--;
        else if (args)
            args[-1] = 0;
    }

    bool inquote = false;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (argv)
            *argv++ = args;
        ++*nargs;
        for (;;) {
            bool copy = true;
            size_t slashes = 0;
            while (*p == '\\') {
                p++;
                slashes++;
            }
            if (*p == '"') {
                if (slashes % 2 == 0) {
                    if (inquote && p[1] == '"')
                        p++; /* "" inside quotes: a literal quote */
                    else
                        copy = false;
                    inquote = !inquote;
                }
                slashes /= 2;
            }
            while (slashes--) {
                ++*nchars;
                if (args)
                    *args++ = '\\';
            }
            if (!*p || (!inquote && (*p == ' ' || *p == '\t')))
                break;
            if (copy) {
                ++*nchars;
                if (args)
                    *args++ = *p;
            }
            p++;
        }
        ++*nchars;
        if (args)
            *args++ = 0;
    }
    if (argv)
        *argv = NULL;
}

/* The arguments of a command line: a NULL-terminated array in one process-heap block. */
static WCHAR **crt_split_cmdline(const WCHAR *cmd, size_t *argc)
{
    size_t nargs, nchars;
    crt_parse_cmdline(cmd, NULL, NULL, &nargs, &nchars);
    WCHAR **argv = crt_malloc((nargs + 1) * sizeof(WCHAR *) + (nchars + 1) * sizeof(WCHAR));
    if (!argv)
        return NULL;
    crt_parse_cmdline(cmd, argv, (WCHAR *)(argv + nargs + 1), &nargs, &nchars);
    *argc = nargs;
    return argv;
}

/* Appends s to a growing UTF-16 buffer. */
typedef struct {
    WCHAR *s;
    size_t len, cap;
    bool oom;
} crt_wbuf;

static void crt_wbuf_add(crt_wbuf *b, const WCHAR *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        WCHAR *p = realloc(b->s, cap * sizeof(WCHAR));
        if (!p) {
            b->oom = true;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n * sizeof(WCHAR));
    b->len += n;
    b->s[b->len] = 0;
}

static void crt_wbuf_addc(crt_wbuf *b, WCHAR c) { crt_wbuf_add(b, &c, 1); }

/* A command line for argv when the process parameters have none: Windows' quoting (quote an
 * argument that is empty or holds a blank; backslashes double before a quote). */
static WCHAR *crt_quote_argv(char **argv)
{
    crt_wbuf b = {0};
    for (int i = 0; argv && argv[i]; i++) {
        size_t len;
        WCHAR *w = nt_utf8_to_utf16(argv[i], strlen(argv[i]), &len);
        if (!w) {
            free(b.s);
            return NULL;
        }
        if (i)
            crt_wbuf_addc(&b, ' ');
        bool quote = len == 0;
        for (size_t k = 0; k < len; k++)
            if (w[k] == ' ' || w[k] == '\t')
                quote = true;
        if (quote)
            crt_wbuf_addc(&b, '"');
        size_t slashes = 0;
        for (size_t k = 0; k < len; k++) {
            if (w[k] == '\\') {
                slashes++;
            } else {
                if (w[k] == '"')
                    for (size_t s = 0; s < slashes + 1; s++)
                        crt_wbuf_addc(&b, '\\');
                slashes = 0;
            }
            crt_wbuf_addc(&b, w[k]);
        }
        if (quote) {
            for (size_t s = 0; s < slashes; s++)
                crt_wbuf_addc(&b, '\\');
            crt_wbuf_addc(&b, '"');
        }
        free(w);
    }
    if (!b.s)
        crt_wbuf_add(&b, u"", 0);
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

static rt_once_t crt_cmdline_once = RT_ONCE_INIT;

/* _wcmdln and _acmdln from the process parameters; __argc/__argv/__wargv from them. All in
 * the process heap: the program may write, and overrun, them as its own. */
static void crt_cmdline_build(void)
{
    RTL_USER_PROCESS_PARAMETERS *pp = rt_proc.peb ? rt_proc.peb->ProcessParameters : NULL;
    crt_globals *g = crt_g;
    WCHAR *w = NULL;
    if (pp && pp->CommandLine.Buffer) {
        size_t n = pp->CommandLine.Length / sizeof(WCHAR);
        w = crt_malloc((n + 1) * sizeof(WCHAR));
        if (w) {
            memcpy(w, pp->CommandLine.Buffer, n * sizeof(WCHAR));
            w[n] = 0;
        }
    } else {
        w = crt_heap_wstr(crt_quote_argv(thk_startup_info.argv));
    }
    if (!w)
        w = crt_calloc(1, sizeof(WCHAR));
    if (!w)
        return;
    g->wcmdln = w;
    g->acmdln = crt_heap_str(nt_utf16_to_utf8(w, nt_wcslen(w), NULL));

    size_t argc = 0;
    WCHAR **wargv = crt_split_cmdline(w, &argc);
    char **argv = wargv ? crt_calloc(argc + 1, sizeof(char *)) : NULL;
    if (!argv) {
        crt_free(wargv);
        return;
    }
    for (size_t i = 0; i < argc; i++) {
        argv[i] = crt_heap_str(nt_utf16_to_utf8(wargv[i], nt_wcslen(wargv[i]), NULL));
        if (!argv[i])
            argv[i] = crt_calloc(1, 1);
    }
    g->wargv = wargv;
    g->argv = argv;
    g->argc = (int32_t)argc;

    if (thk_startup_info.exe_path) {
        /* The loader's absolute name of the file when it has one (the PEB's ImagePathName is
         * made from it too): a relative name would be joined to the current directory, read
         * from /proc once more at every start. */
        const char *exe = thk_startup_info.exe_real_path ? thk_startup_info.exe_real_path
                                                         : thk_startup_info.exe_path;
        g->wpgmptr = crt_heap_wstr(nt_path_from_unix(exe));
        if (g->wpgmptr)
            g->pgmptr = crt_heap_str(nt_utf16_to_utf8(g->wpgmptr, nt_wcslen(g->wpgmptr), NULL));
    } else if (argc) {
        g->pgmptr = argv[0];
        g->wpgmptr = wargv[0];
    }
}

void crt_cmdline_init(void) { rt_once(&crt_cmdline_once, crt_cmdline_build); }

/* _startupinfo: { int newmode; } (the heap's new-handler mode; nothing to do with it here). */
static int WINAPI msvcrt___getmainargs(int32_t *argc, char ***argv, char ***env, int dowildcard,
                                       void *startinfo)
{
    crt_cmdline_init();
    crt_env_init();
    crt_g->initenv = crt_env_get();
    if (!crt_g->argv)
        return -1;
    *argc = crt_g->argc;
    *argv = crt_g->argv;
    *env = crt_g->initenv;
    return 0;
}
THK_EXPORT_AS(msvcrt, __getmainargs, msvcrt___getmainargs, 5);

static int WINAPI msvcrt___wgetmainargs(int32_t *argc, WCHAR ***argv, WCHAR ***env,
                                        int dowildcard, void *startinfo)
{
    crt_cmdline_init();
    crt_env_init();
    crt_g->winitenv = crt_wenv_get();
    if (!crt_g->wargv)
        return -1;
    *argc = crt_g->argc;
    *argv = crt_g->wargv;
    *env = crt_g->winitenv;
    return 0;
}
THK_EXPORT_AS(msvcrt, __wgetmainargs, msvcrt___wgetmainargs, 5);

static int32_t *WINAPI msvcrt___p___argc(void) { crt_cmdline_init(); return &crt_g->argc; }
THK_EXPORT_AS(msvcrt, __p___argc, msvcrt___p___argc, 0);
static char ***WINAPI msvcrt___p___argv(void) { crt_cmdline_init(); return &crt_g->argv; }
THK_EXPORT_AS(msvcrt, __p___argv, msvcrt___p___argv, 0);
static WCHAR ***WINAPI msvcrt___p___wargv(void) { crt_cmdline_init(); return &crt_g->wargv; }
THK_EXPORT_AS(msvcrt, __p___wargv, msvcrt___p___wargv, 0);
static char **WINAPI msvcrt___p__acmdln(void) { crt_cmdline_init(); return &crt_g->acmdln; }
THK_EXPORT_AS(msvcrt, __p__acmdln, msvcrt___p__acmdln, 0);
static WCHAR **WINAPI msvcrt___p__wcmdln(void) { crt_cmdline_init(); return &crt_g->wcmdln; }
THK_EXPORT_AS(msvcrt, __p__wcmdln, msvcrt___p__wcmdln, 0);
static char **WINAPI msvcrt___p__pgmptr(void) { crt_cmdline_init(); return &crt_g->pgmptr; }
THK_EXPORT_AS(msvcrt, __p__pgmptr, msvcrt___p__pgmptr, 0);
static WCHAR **WINAPI msvcrt___p__wpgmptr(void) { crt_cmdline_init(); return &crt_g->wpgmptr; }
THK_EXPORT_AS(msvcrt, __p__wpgmptr, msvcrt___p__wpgmptr, 0);

static char ***WINAPI msvcrt___p___initenv(void)
{
    if (!crt_g->initenv) {
        crt_env_init();
        crt_g->initenv = crt_env_get();
    }
    return &crt_g->initenv;
}
THK_EXPORT_AS(msvcrt, __p___initenv, msvcrt___p___initenv, 0);

static WCHAR ***WINAPI msvcrt___p___winitenv(void) { return &crt_g->winitenv; }
THK_EXPORT_AS(msvcrt, __p___winitenv, msvcrt___p___winitenv, 0);

static void WINAPI msvcrt___set_app_type(int type) { crt_app_type = type; }
THK_EXPORT_AS(msvcrt, __set_app_type, msvcrt___set_app_type, 1);

/* The program's _matherr; recorded (the math functions do not report through it yet). */
static void WINAPI msvcrt___setusermatherr(void *fn) { crt_usermatherr = fn; }
THK_EXPORT_AS(msvcrt, __setusermatherr, msvcrt___setusermatherr, 1);

/* ---- initializer tables ---- */

static void WINAPI msvcrt__initterm(void **start, void **end)
{
    for (; start < end; start++)
        if (*start)
            thk_call_foreign0(*start);
}
THK_EXPORT_AS(msvcrt, _initterm, msvcrt__initterm, 2);

/* Like _initterm for int-returning entries: the first non-zero result stops it. */
static int WINAPI msvcrt__initterm_e(void **start, void **end)
{
    for (; start < end; start++)
        if (*start) {
            int r = (int)thk_call_foreign0(*start);
            if (r)
                return r;
        }
    return 0;
}
THK_EXPORT_AS(msvcrt, _initterm_e, msvcrt__initterm_e, 2);

/* ---- the _onexit table and exit ---- */

static void **crt_onexit_table;
static size_t crt_onexit_count, crt_onexit_cap;
static bool crt_onexit_done;  /* exit()/_cexit ran the table (msvcrt's _C_Exit_Done) */
static bool crt_quick_exit;   /* _exit/_c_exit: nothing more at process exit */
static bool crt_hook_registered;

static void *WINAPI msvcrt__onexit(void *fn)
{
    if (!fn)
        return NULL;
    void *r = fn;
    crt_lock(CRT_EXIT_LOCK);
    if (crt_onexit_count == crt_onexit_cap) {
        size_t cap = crt_onexit_cap ? crt_onexit_cap * 2 : 32;
        void **t = realloc(crt_onexit_table, cap * sizeof *t);
        if (!t) {
            r = NULL;
            goto unlock;
        }
        crt_onexit_table = t;
        crt_onexit_cap = cap;
    }
    crt_onexit_table[crt_onexit_count++] = fn;
unlock:
    crt_unlock(CRT_EXIT_LOCK);
    return r;
}
THK_EXPORT_AS(msvcrt, _onexit, msvcrt__onexit, 1);

static int WINAPI msvcrt_atexit(void *fn) { return msvcrt__onexit(fn) ? 0 : -1; }
THK_EXPORT_AS(msvcrt, atexit, msvcrt_atexit, 1);

/* A DLL's own _onexit table: *begin .. *end, an array on the CRT heap that grows here. */
static void *WINAPI msvcrt___dllonexit(void *fn, void ***begin, void ***end)
{
    if (!fn || !begin || !end)
        return NULL;
    crt_lock(CRT_EXIT_LOCK);
    void *r = fn;
    size_t count = *begin && *end ? (size_t)(*end - *begin) : 0;
    void **t = crt_realloc(*begin, (count + 1) * sizeof *t);
    if (!t) {
        r = NULL;
    } else {
        t[count] = fn;
        *begin = t;
        *end = t + count + 1;
    }
    crt_unlock(CRT_EXIT_LOCK);
    return r;
}
THK_EXPORT_AS(msvcrt, __dllonexit, msvcrt___dllonexit, 3);

/* Runs the table last-in first-out; entries added meanwhile run too. Caller holds the exit
 * lock (recursive: a handler may call exit). */
static void crt_run_onexit(void)
{
    crt_onexit_done = true;
    for (;;) {
        if (!crt_onexit_count)
            break;
        void *fn = crt_onexit_table[--crt_onexit_count];
        thk_call_foreign0(fn);
    }
}

/* msvcrt's doexit: `quick` skips the table and the stream flush; `ret` returns to the caller
 * instead of ending the process. */
static void crt_doexit(uint32_t code, bool quick, bool ret)
{
    crt_lock(CRT_EXIT_LOCK);
    if (quick) {
        crt_quick_exit = true;
    } else {
        crt_run_onexit();
        crt_flush_all();
    }
    /* Released before the process ends: rt_exit_process waits for a thread that is already
     * ending the process (a console-control thread after SIGINT/SIGTERM), whose exit hook
     * (crt_on_process_exit) takes this lock; held here, both waited for ever. The table has
     * run and the streams are flushed, so the hook finds nothing left to do. */
    crt_unlock(CRT_EXIT_LOCK);
    if (ret)
        return;
    rt_exit_process(code);
}

/* Process exit by another road (ExitProcess, the last thread ending): what msvcrt.dll's
 * DLL_PROCESS_DETACH does, _cexit() unless exit or _exit already ran. */
static void crt_on_process_exit(uint32_t code)
{
    (void)code;
    if (crt_quick_exit)
        return;
    crt_lock(CRT_EXIT_LOCK);
    if (!crt_onexit_done)
        crt_run_onexit();
    crt_flush_all();
    crt_unlock(CRT_EXIT_LOCK);
}

void crt_exit_quick(uint32_t code)
{
    crt_doexit(code, true, false);
    __builtin_unreachable();
}

static void WINAPI msvcrt_exit(int code) { crt_doexit((uint32_t)code, false, false); }
THK_EXPORT_AS(msvcrt, exit, msvcrt_exit, 1);

static void WINAPI msvcrt__exit(int code) { crt_doexit((uint32_t)code, true, false); }
THK_EXPORT_AS(msvcrt, _exit, msvcrt__exit, 1);

static void WINAPI msvcrt__cexit(void) { crt_doexit(0, false, true); }
THK_EXPORT_AS(msvcrt, _cexit, msvcrt__cexit, 0);

static void WINAPI msvcrt__c_exit(void) { crt_doexit(0, true, true); }
THK_EXPORT_AS(msvcrt, _c_exit, msvcrt__c_exit, 0);

/* Straight to the standard error handle, as msvcrt writes its run-time messages (their lines
 * end in CR LF in msvcrt's message table). */
static void crt_message(const char *s)
{
    RTL_USER_PROCESS_PARAMETERS *pp = rt_proc.peb ? rt_proc.peb->ProcessParameters : NULL;
    HANDLE h = pp ? pp->StandardError : NULL;
    if (!h || h == INVALID_HANDLE_VALUE)
        return;
    IO_STATUS_BLOCK io;
    NtWriteFile(h, NULL, NULL, NULL, &io, s, (uint32_t)strlen(s), NULL, NULL);
}

/* ---- abort ----
 * signal/raise live in thunks/msvcrt/signal.c; abort reaches raise through its export. */

#define CRT_SIGABRT 22

static void WINAPI msvcrt_abort(void)
{
    crt_message("\r\nThis application has requested the Runtime to terminate it in an unusual "
                "way.\r\nPlease contact the application's support team for more "
                "information.\r\n");
    /* From here on the process ends as _exit(3) ends it, whatever raise does: a SIGABRT
     * handler runs, the default action (_exit(3)) ends the process at once. */
    crt_lock(CRT_EXIT_LOCK);
    crt_quick_exit = true;
    crt_unlock(CRT_EXIT_LOCK);
    void *raise_fn = thk_resolve("msvcrt.dll", "raise");
    if (raise_fn)
        thk_call_foreign1(raise_fn, CRT_SIGABRT);
    crt_doexit(3, true, false);
}
THK_EXPORT_AS(msvcrt, abort, msvcrt_abort, 0);

/* A run-time error: "runtime error R60nn" and its text on stderr, then _exit(255). */
static void WINAPI msvcrt__amsg_exit(int err)
{
    static const struct { int n; const char *text; } msgs[] = {
        {2, "floating point not loaded"},
        {8, "not enough space for arguments"},
        {9, "not enough space for environment"},
        {10, "abnormal program termination"},
        {16, "not enough space for thread data"},
        {17, "unexpected multithread lock error"},
        {18, "unexpected heap error"},
        {19, "unable to open console device"},
        {24, "not enough space for _onexit/atexit table"},
        {25, "pure virtual function call"},
        {26, "not enough space for stdio initialization"},
        {27, "not enough space for lowio initialization"},
        {28, "unable to initialize heap"},
        {32, "not enough space for locale information"},
    };
    const char *text = "unknown error";
    for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++)
        if (msgs[i].n == err)
            text = msgs[i].text;
    char buf[160];
    snprintf(buf, sizeof buf, "\r\nruntime error R60%02d\r\n- %s\r\n", err, text);
    crt_message(buf);
    crt_doexit(255, true, false);
}
THK_EXPORT_AS(msvcrt, _amsg_exit, msvcrt__amsg_exit, 1);

/* ---- exceptions (no dispatch yet) ---- */

#define CRT_EXCEPTION_CONTINUE_SEARCH 0

/* msvcrt's _XcptFilter hands exceptions that have a signal handler (SIGSEGV, SIGILL, SIGFPE) to
 * it; the handlers live in thunks/msvcrt/signal.c and exceptions are not dispatched yet, so the
 * search always goes on. */
static int WINAPI msvcrt__XcptFilter(uint32_t code, void *pointers)
{
    return CRT_EXCEPTION_CONTINUE_SEARCH;
}
THK_EXPORT_AS(msvcrt, _XcptFilter, msvcrt__XcptFilter, 2);

/* _resetstkoflw: puts back the guard page a stack overflow took, so that the next overflow
 * raises STATUS_STACK_OVERFLOW again (without it the process ends: runtime/exception.c). Nonzero
 * for success, as Windows answers when the stack pointer is above the guard region. */
static int WINAPI msvcrt__resetstkoflw(void)
{
    rt_thread *t = rt_current_thread();
    if (t)
        t->stack_guard_gone = 0;
    return 1;
}
THK_EXPORT_AS(msvcrt, _resetstkoflw, msvcrt__resetstkoflw, 0);
THK_EXPORT_AS(ucrtbase, _resetstkoflw, msvcrt__resetstkoflw, 0);

/* __C_specific_handler: thunks/ntdll/exception.c. */

/* ---- locale odds and ends ---- */

static int crt_threadlocale = 2; /* _DISABLE_PER_THREAD_LOCALE */

static int WINAPI msvcrt__configthreadlocale(int type)
{
    int old = crt_threadlocale;
    switch (type) {
    case 0:
        break;
    case 1: /* _ENABLE_PER_THREAD_LOCALE */
    case 2: /* _DISABLE_PER_THREAD_LOCALE */
        crt_threadlocale = type;
        break;
    default:
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    return old;
}
THK_EXPORT_AS(msvcrt, _configthreadlocale, msvcrt__configthreadlocale, 1);

/* ---- shared with ucrtbase (crt.h) ---- */

const char *crt_command_line(void)
{
    crt_cmdline_init();
    return crt_g->acmdln;
}

const WCHAR *crt_wcommand_line(void)
{
    crt_cmdline_init();
    return crt_g->wcmdln;
}

char **crt_initial_environ(void)
{
    if (!crt_g->initenv) {
        crt_env_init();
        crt_g->initenv = crt_env_get();
    }
    return crt_g->initenv;
}

WCHAR **crt_initial_wenviron(void)
{
    if (!crt_g->winitenv) {
        crt_env_init();
        crt_g->winitenv = crt_wenv_get();
    }
    return crt_g->winitenv;
}

int crt_atexit_add(void *fn) { return msvcrt__onexit(fn) ? 0 : -1; }

void crt_set_app_type(int type) { crt_app_type = type; }

void crt_exit_common(uint32_t code, bool quick, bool ret) { crt_doexit(code, quick, ret); }

/* ---- start-up ---- */

void crt_startup_init(void)
{
    crt_time_start();
    crt_fd_flags(0); /* fds 0-2 take the standard handles now */
    crt_cmdline_init();
    crt_env_init();
    crt_g->initenv = crt_env_get();
    crt_lock(CRT_EXIT_LOCK);
    if (!crt_hook_registered) {
        crt_hook_registered = true;
        rt_on_exit(crt_on_process_exit);
    }
    crt_unlock(CRT_EXIT_LOCK);
}

/* libntrun teardown (thk_process_teardown): the _onexit table, the command line and the
 * start-up variables go; the next run builds them again from its own process parameters. */
void crt_startup_reset(void)
{
    free(crt_onexit_table);
    crt_onexit_table = NULL;
    crt_onexit_count = crt_onexit_cap = 0;
    crt_onexit_done = false;
    crt_quick_exit = false;
    crt_cmdline_once = (rt_once_t)RT_ONCE_INIT;
    /* No free: the strings and arrays are process-heap blocks, which go with the heap
     * (k32_heaps_reset), and the program may have pointed these anywhere. */
    memset(crt_g, 0, offsetof(crt_globals, environ_)); /* _environ, _wenviron: env.c's */
    crt_app_type = 0;
    crt_usermatherr = NULL;
}
