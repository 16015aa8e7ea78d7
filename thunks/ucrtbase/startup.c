/* SPDX-License-Identifier: MIT */
/* The Universal CRT's process start-up and exit, as MSVC's start-up code (vcstartup's
 * __scrt_common_main_seh) calls them: _set_app_type, _configure_narrow_argv/_wide_argv,
 * _initialize_narrow/wide_environment, _get_initial_narrow/wide_environment, the winmain
 * command lines, _crt_atexit and the onexit tables DLLs keep (_initialize_onexit_table,
 * _register_onexit_function, _execute_onexit_table), quick_exit/_crt_at_quick_exit, exit/_cexit
 * with the thread_local destructor callback, _seh_filter_exe, _set_new_mode, _set_fmode,
 * terminate/abort and the invalid-parameter handlers.
 *
 * The command line, the environment, the atexit table and the streams are msvcrt's
 * (thunks/msvcrt/startup.c): one process state whichever CRT a module imports. What differs is
 * the UCRT's failure path: an invalid parameter with no handler and abort() end the process with
 * __fastfail (STATUS_STACK_BUFFER_OVERRUN, nothing flushed), where msvcrt returns EINVAL or
 * exits with 3. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/msvcrt/crt.h"
#include "thunks/thunks_private.h"
#include "thunks/ucrtbase/ucrtbase_private.h"

/* ---- failure paths ---- */

void ucrt_fastfail(void)
{
    crt_exit_quick(UCRT_STATUS_STACK_BUFFER_OVERRUN);
}

static void *ucrt_invalid_handler;                /* _set_invalid_parameter_handler */
static __thread void *ucrt_thread_invalid_handler; /* _set_thread_local_... */

void ucrt_invalid_parameter(int err)
{
    void *h = ucrt_thread_invalid_handler;
    if (!h)
        h = __atomic_load_n(&ucrt_invalid_handler, __ATOMIC_ACQUIRE);
    if (!h)
        ucrt_fastfail();
    /* handler(expression, function, file, line, reserved): all empty in release builds */
    uint64_t args[5] = {0, 0, 0, 0, 0};
    thk_call_foreign(h, 5, args);
    crt_set_errno(err);
}

static void WINAPI ucrtbase__invalid_parameter_noinfo(void)
{
    ucrt_invalid_parameter(CRT_EINVAL);
}
THK_EXPORT_AS(ucrtbase, _invalid_parameter_noinfo, ucrtbase__invalid_parameter_noinfo, 0);

static void WINAPI ucrtbase__invalid_parameter_noinfo_noreturn(void)
{
    ucrt_invalid_parameter(CRT_EINVAL);
    ucrt_fastfail(); /* _invoke_watson after the handler */
}
THK_EXPORT_AS(ucrtbase, _invalid_parameter_noinfo_noreturn,
              ucrtbase__invalid_parameter_noinfo_noreturn, 0);

static void WINAPI ucrtbase__invalid_parameter(const WCHAR *expr, const WCHAR *func,
                                               const WCHAR *file, uint32_t line,
                                               uintptr_t reserved)
{
    ucrt_invalid_parameter(CRT_EINVAL);
}
THK_EXPORT_AS(ucrtbase, _invalid_parameter, ucrtbase__invalid_parameter, 5);

static void WINAPI ucrtbase__invoke_watson(const WCHAR *expr, const WCHAR *func,
                                           const WCHAR *file, uint32_t line, uintptr_t reserved)
{
    ucrt_fastfail();
}
THK_EXPORT_AS(ucrtbase, _invoke_watson, ucrtbase__invoke_watson, 5);

static void *WINAPI ucrtbase__set_invalid_parameter_handler(void *h)
{
    return __atomic_exchange_n(&ucrt_invalid_handler, h, __ATOMIC_ACQ_REL);
}
THK_EXPORT_AS(ucrtbase, _set_invalid_parameter_handler, ucrtbase__set_invalid_parameter_handler,
              1);

static void *WINAPI ucrtbase__get_invalid_parameter_handler(void)
{
    return __atomic_load_n(&ucrt_invalid_handler, __ATOMIC_ACQUIRE);
}
THK_EXPORT_AS(ucrtbase, _get_invalid_parameter_handler, ucrtbase__get_invalid_parameter_handler,
              0);

static void *WINAPI ucrtbase__set_thread_local_invalid_parameter_handler(void *h)
{
    void *old = ucrt_thread_invalid_handler;
    ucrt_thread_invalid_handler = h;
    return old;
}
THK_EXPORT_AS(ucrtbase, _set_thread_local_invalid_parameter_handler,
              ucrtbase__set_thread_local_invalid_parameter_handler, 1);

static void *WINAPI ucrtbase__get_thread_local_invalid_parameter_handler(void)
{
    return ucrt_thread_invalid_handler;
}
THK_EXPORT_AS(ucrtbase, _get_thread_local_invalid_parameter_handler,
              ucrtbase__get_thread_local_invalid_parameter_handler, 0);

/* abort: the SIGABRT handler if the program set one, then __fastfail(FAST_FAIL_FATAL_APP_EXIT)
 * (the release UCRT's default _CALL_REPORTFAULT behaviour); without _CALL_REPORTFAULT, _exit(3).
 * Release builds print no message. */
#define UCRT_SIGABRT 22
#define UCRT_CALL_REPORTFAULT 0x2u
#define UCRT_WRITE_ABORT_MSG 0x1u
static uint32_t ucrt_abort_behavior = UCRT_WRITE_ABORT_MSG | UCRT_CALL_REPORTFAULT;

static void WINAPI ucrtbase_abort(void)
{
    if (crt_signal_handled(UCRT_SIGABRT)) {
        void *raise_fn = thk_resolve("msvcrt.dll", "raise");
        if (raise_fn)
            thk_call_foreign1(raise_fn, UCRT_SIGABRT);
    }
    if (__atomic_load_n(&ucrt_abort_behavior, __ATOMIC_ACQUIRE) & UCRT_CALL_REPORTFAULT)
        ucrt_fastfail();
    crt_exit_quick(3);
}
THK_EXPORT_AS(ucrtbase, abort, ucrtbase_abort, 0);

static uint32_t WINAPI ucrtbase__set_abort_behavior(uint32_t flags, uint32_t mask)
{
    uint32_t old = ucrt_abort_behavior;
    __atomic_store_n(&ucrt_abort_behavior, (old & ~mask) | (flags & mask), __ATOMIC_RELEASE);
    return old;
}
THK_EXPORT_AS(ucrtbase, _set_abort_behavior, ucrtbase__set_abort_behavior, 2);

/* terminate: the thread's terminate handler (set_terminate), then abort if it returns. */
static __thread void *ucrt_terminate_handler;

static void WINAPI ucrtbase_terminate(void)
{
    void *h = ucrt_terminate_handler;
    if (h)
        thk_call_foreign0(h);
    ucrtbase_abort();
}
THK_EXPORT_AS(ucrtbase, terminate, ucrtbase_terminate, 0);

static void *WINAPI ucrtbase_set_terminate(void *h)
{
    void *old = ucrt_terminate_handler;
    ucrt_terminate_handler = h;
    return old;
}
THK_EXPORT_AS(ucrtbase, set_terminate, ucrtbase_set_terminate, 1);

static void *WINAPI ucrtbase__get_terminate(void) { return ucrt_terminate_handler; }
THK_EXPORT_AS(ucrtbase, _get_terminate, ucrtbase__get_terminate, 0);

/* ---- arguments and environment ---- */

static void WINAPI ucrtbase__set_app_type(int type) { crt_set_app_type(type); }
THK_EXPORT_AS(ucrtbase, _set_app_type, ucrtbase__set_app_type, 1);

/* _crt_argv_mode: 0 no arguments, 1 unexpanded, 2 expanded (wildcards: not done). */
static int WINAPI ucrtbase__configure_narrow_argv(int mode)
{
    if (mode < 0 || mode > 2) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return CRT_EINVAL;
    }
    crt_cmdline_init();
    return 0;
}
THK_EXPORT_AS(ucrtbase, _configure_narrow_argv, ucrtbase__configure_narrow_argv, 1);
THK_EXPORT_AS(ucrtbase, _configure_wide_argv, ucrtbase__configure_narrow_argv, 1);

static int WINAPI ucrtbase__initialize_narrow_environment(void)
{
    return crt_initial_environ() ? 0 : -1;
}
THK_EXPORT_AS(ucrtbase, _initialize_narrow_environment, ucrtbase__initialize_narrow_environment,
              0);

static int WINAPI ucrtbase__initialize_wide_environment(void)
{
    return crt_initial_wenviron() ? 0 : -1;
}
THK_EXPORT_AS(ucrtbase, _initialize_wide_environment, ucrtbase__initialize_wide_environment, 0);

static char **WINAPI ucrtbase__get_initial_narrow_environment(void)
{
    return crt_initial_environ();
}
THK_EXPORT_AS(ucrtbase, _get_initial_narrow_environment,
              ucrtbase__get_initial_narrow_environment, 0);

static WCHAR **WINAPI ucrtbase__get_initial_wide_environment(void)
{
    return crt_initial_wenviron();
}
THK_EXPORT_AS(ucrtbase, _get_initial_wide_environment, ucrtbase__get_initial_wide_environment,
              0);

/* WinMain's lpCmdLine: past the program name (quotes group, unquoted it ends at a character
 * <= ' ') and the blanks after it. */
static const void *ucrt_winmain_args(const void *cmd, bool wide)
{
    static const WCHAR wempty[1];
    if (!cmd)
        return wide ? (const void *)wempty : "";
    size_t i = 0;
    bool quoted = false;
#define UCRT_AT(k) (wide ? ((const WCHAR *)cmd)[k] : ((const unsigned char *)cmd)[k])
    while (UCRT_AT(i) > ' ' || (UCRT_AT(i) != 0 && quoted)) {
        if (UCRT_AT(i) == '"')
            quoted = !quoted;
        i++;
    }
    while (UCRT_AT(i) != 0 && UCRT_AT(i) <= ' ')
        i++;
#undef UCRT_AT
    return wide ? (const void *)((const WCHAR *)cmd + i) : (const void *)((const char *)cmd + i);
}

static const char *WINAPI ucrtbase__get_narrow_winmain_command_line(void)
{
    return ucrt_winmain_args(crt_command_line(), false);
}
THK_EXPORT_AS(ucrtbase, _get_narrow_winmain_command_line,
              ucrtbase__get_narrow_winmain_command_line, 0);

static const WCHAR *WINAPI ucrtbase__get_wide_winmain_command_line(void)
{
    return ucrt_winmain_args(crt_wcommand_line(), true);
}
THK_EXPORT_AS(ucrtbase, _get_wide_winmain_command_line, ucrtbase__get_wide_winmain_command_line,
              0);

/* ---- small settings ---- */

static int ucrt_new_mode;
static int WINAPI ucrtbase__set_new_mode(int mode)
{
    if (mode != 0 && mode != 1) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return -1;
    }
    return __atomic_exchange_n(&ucrt_new_mode, mode, __ATOMIC_ACQ_REL);
}
THK_EXPORT_AS(ucrtbase, _set_new_mode, ucrtbase__set_new_mode, 1);

static int WINAPI ucrtbase__query_new_mode(void) { return ucrt_new_mode; }
THK_EXPORT_AS(ucrtbase, _query_new_mode, ucrtbase__query_new_mode, 0);

static int WINAPI ucrtbase__set_fmode(int mode)
{
    if (mode != CRT_O_TEXT && mode != CRT_O_BINARY && mode != 0x10000 /* _O_WTEXT */) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return CRT_EINVAL;
    }
    __atomic_store_n(&crt_fmode, mode, __ATOMIC_RELEASE);
    return 0;
}
THK_EXPORT_AS(ucrtbase, _set_fmode, ucrtbase__set_fmode, 1);

static int WINAPI ucrtbase__get_fmode(int *mode)
{
    if (!mode) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return CRT_EINVAL;
    }
    *mode = crt_fmode;
    return 0;
}
THK_EXPORT_AS(ucrtbase, _get_fmode, ucrtbase__get_fmode, 1);

/* vcstartup's exception filter around main: nothing the CRT turns into a signal here, so the
 * search goes on (the process's unhandled-exception path). */
static int WINAPI ucrtbase__seh_filter_exe(uint32_t code, void *pointers) { return 0; }
THK_EXPORT_AS(ucrtbase, _seh_filter_exe, ucrtbase__seh_filter_exe, 2);
THK_EXPORT_AS(ucrtbase, _seh_filter_dll, ucrtbase__seh_filter_exe, 2);

/* ---- atexit, onexit tables, exit ---- */

static int WINAPI ucrtbase__crt_atexit(void *fn) { return crt_atexit_add(fn); }
THK_EXPORT_AS(ucrtbase, _crt_atexit, ucrtbase__crt_atexit, 1);
THK_EXPORT_AS(ucrtbase, atexit, ucrtbase__crt_atexit, 1);

/* _onexit_table_t: a module's own table (DLLs, and executables linked with the static CRT):
 * {first, last, end}, plain pointers to a CRT-heap array (the program never looks inside). */
typedef struct ucrt_onexit_table {
    void **first, **last, **end;
} ucrt_onexit_table;

static pthread_mutex_t ucrt_table_lock = PTHREAD_MUTEX_INITIALIZER;

static int WINAPI ucrtbase__initialize_onexit_table(ucrt_onexit_table *t)
{
    if (!t)
        return -1;
    if (t->first != t->end) /* a table in use is left alone (zero-filled ones are not) */
        return 0;
    t->first = t->last = t->end = NULL;
    return 0;
}
THK_EXPORT_AS(ucrtbase, _initialize_onexit_table, ucrtbase__initialize_onexit_table, 1);

static int WINAPI ucrtbase__register_onexit_function(ucrt_onexit_table *t, void *fn)
{
    if (!t)
        return -1;
    int r = 0;
    pthread_mutex_lock(&ucrt_table_lock);
    if (t->last == t->end) {
        size_t n = t->first ? (size_t)(t->end - t->first) : 0, cap = n ? n * 2 : 32;
        void **p = crt_realloc(t->first, cap * sizeof *p);
        if (!p) {
            r = -1;
            goto out;
        }
        t->last = p + n;
        t->first = p;
        t->end = p + cap;
    }
    *t->last++ = fn;
out:
    pthread_mutex_unlock(&ucrt_table_lock);
    return r;
}
THK_EXPORT_AS(ucrtbase, _register_onexit_function, ucrtbase__register_onexit_function, 2);

/* Runs the table last-in first-out and empties it; functions registered meanwhile run too. */
static int WINAPI ucrtbase__execute_onexit_table(ucrt_onexit_table *t)
{
    if (!t)
        return -1;
    for (;;) {
        pthread_mutex_lock(&ucrt_table_lock);
        void *fn = NULL;
        if (t->first && t->last > t->first)
            fn = *--t->last;
        if (!fn) {
            crt_free(t->first);
            t->first = t->last = t->end = NULL;
        }
        pthread_mutex_unlock(&ucrt_table_lock);
        if (!fn)
            return 0;
        thk_call_foreign0(fn);
    }
}
THK_EXPORT_AS(ucrtbase, _execute_onexit_table, ucrtbase__execute_onexit_table, 1);

static ucrt_onexit_table ucrt_quick_exit_table;

static int WINAPI ucrtbase__crt_at_quick_exit(void *fn)
{
    return ucrtbase__register_onexit_function(&ucrt_quick_exit_table, fn);
}
THK_EXPORT_AS(ucrtbase, _crt_at_quick_exit, ucrtbase__crt_at_quick_exit, 1);
THK_EXPORT_AS(ucrtbase, at_quick_exit, ucrtbase__crt_at_quick_exit, 1);

/* thread_local destructors of the executable: called with DLL_PROCESS_DETACH at exit, before
 * the atexit table. */
static void *ucrt_tls_exit_callback;

static void WINAPI ucrtbase__register_thread_local_exe_atexit_callback(void *fn)
{
    __atomic_store_n(&ucrt_tls_exit_callback, fn, __ATOMIC_RELEASE);
}
THK_EXPORT_AS(ucrtbase, _register_thread_local_exe_atexit_callback,
              ucrtbase__register_thread_local_exe_atexit_callback, 1);

static void ucrt_exit(uint32_t code, bool quick, bool ret)
{
    if (!quick) {
        void *cb = __atomic_exchange_n(&ucrt_tls_exit_callback, NULL, __ATOMIC_ACQ_REL);
        if (cb)
            thk_call_foreign3(cb, 0, 0 /* DLL_PROCESS_DETACH */, 0);
    }
    crt_exit_common(code, quick, ret);
}

static void WINAPI ucrtbase_exit(int code) { ucrt_exit((uint32_t)code, false, false); }
THK_EXPORT_AS(ucrtbase, exit, ucrtbase_exit, 1);

static void WINAPI ucrtbase__cexit(void) { ucrt_exit(0, false, true); }
THK_EXPORT_AS(ucrtbase, _cexit, ucrtbase__cexit, 0);

static void WINAPI ucrtbase_quick_exit(int code)
{
    ucrtbase__execute_onexit_table(&ucrt_quick_exit_table);
    crt_exit_common((uint32_t)code, true, false);
}
THK_EXPORT_AS(ucrtbase, quick_exit, ucrtbase_quick_exit, 1);

/* libntrun teardown: the UCRT's own per-run state (the caller frees the CRT heap). */
void ucrt_startup_reset(void)
{
    ucrt_quick_exit_table = (ucrt_onexit_table){0};
    ucrt_tls_exit_callback = NULL;
    ucrt_invalid_handler = NULL;
    ucrt_new_mode = 0;
    ucrt_abort_behavior = UCRT_WRITE_ABORT_MSG | UCRT_CALL_REPORTFAULT;
}
