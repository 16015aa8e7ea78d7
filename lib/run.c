/* SPDX-License-Identifier: MIT */
/* libntrun in-process runs: ntrun_load, ntrun_run, the teardown that lets the next program run
 * in the same process, and the statistics.
 *
 * Life of a run, on the caller's thread:
 *   load   ntrun's signal handlers in; runtime, NT table and built-in DLLs initialised; cwd,
 *          drives, DLL path applied; the image mapped and bound; the process parameters and
 *          standard handles (fds or pumps) set up; the host's signal handlers back.
 *   run    handlers in again; this thread gets a TEB, gs base, SUD and a foreign stack; the
 *          program runs under rt_run_process until ExitProcess / return / unhandled exception.
 *   after  other foreign threads are stopped; the image and DLLs unmapped; the built-in DLLs'
 *          and ntemu's per-run state (CRT, heaps, TLS slots, handles, VirtualAlloc regions)
 *          released; the TEB and stack freed, SUD disarmed; cwd, drives, trace settings and
 *          the host's signal handlers put back; output pumps drained and joined. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "lib/lib_private.h"
#include "thunks/ntdll/thk_exception.h"
#include "loader/loader.h"
#include "ntemu/ntemu.h"
#include "programs/programs.h"
#include "thunks/thunks.h"

extern char **environ;

struct ntrun_program {
    ntrun_config *cfg;
    char *path;
    ldr_module *mod;
    prog_main_fn builtin; /* a built-in program (programs/programs.h) instead of mod */
    lib_pump pumps[3];
    int std_fds[3];
    bool cwd_set; /* the run's current directory is set (nt_cwd_set) */
    bool drive_saved[26];
    char *saved_drive[26];
    bool loaded, ran, torn_down;
    /* 1 while rt_run_process runs the program; changed and read under term_lock, so that
     * ntrun_program_terminate never signals the thread once the run is over (the host's
     * disposition of that signal may be "terminate the process"). */
    int running;
    /* ntrun_program_terminate before ntrun_run started it: ntrun_run returns term_code at once. */
    bool term_requested;
    uint32_t term_code;
    bool started; /* ntrun_run has decided to run it (or failed): too late to cancel */
    bool timed_out; /* the time limit's watchdog ended it */
    /* The time limit's watchdog thread: waits for `done` or the limit. */
    pthread_t limit_thread;
    pthread_cond_t limit_cond;
    bool limit_done;
    ntrun_exit_info exit;
    pthread_mutex_t term_lock;
    ntrun_stats stats;
    ntrun_nt_call *calls;         /* the program's own (trap or thunk), sorted */
    size_t ncalls;
    ntrun_nt_call_counts *counts; /* every route, sorted */
    size_t ncounts;
    lib_events events;
    /* Asynchronous runs (ntrun_program_start): the run's thread and its outcome. `done` (under
     * term_lock, with done_cond) and donefd (ntrun_program_fd) say the run is over. donefd is
     * made (under term_lock) when ntrun_program_fd first asks for it: most runs never do. */
    int donefd;
    bool async, joined, done;
    pthread_t run_thread;
    pthread_cond_t done_cond;
    ntrun_error async_result;
    uint32_t async_code;
    char async_message[1024];
};

static atomic_bool lib_loaded;
static atomic_uint lib_threads_started;
static bool lib_one_run; /* lib_set_one_run_process: the ntrun command */
/* rt_proc.exe_unix_path and exe_name of the last program loaded (malloc'd) */
static char *lib_exe_path, *lib_exe_name;

void lib_set_one_run_process(void)
{
#if !defined(__SANITIZE_ADDRESS__)
    lib_one_run = true; /* (a sanitizer build keeps the full teardown: its leak check) */
#endif
}

void lib_cli_program_ahead(void) { rt_populate_startup(); }

int lib_cli_message_fd(void)
{
    const char *v = getenv("NTRUN_CHILD_MESSAGE_FD");
    if (!v || !*v)
        return 2;
    char *end;
    long fd = strtol(v, &end, 10);
    unsetenv("NTRUN_CHILD_MESSAGE_FD");
    if (*end || fd < 3 || fd > INT_MAX || fcntl((int)fd, F_SETFD, FD_CLOEXEC) != 0)
        return 2;
    rt_set_message_fd((int)fd, true);
    return (int)fd;
}

bool lib_busy(void) { return atomic_load(&lib_loaded); }

static void lib_count_thread(void) { atomic_fetch_add(&lib_threads_started, 1); }

static void lib_trace_sink(void *ctx, const char *line, size_t len)
{
    const ntrun_config *cfg = ctx;
    cfg->trace_fn(cfg->trace_ctx, line, len);
}

/* The settings that live in process-wide runtime state while the program is loaded. */
static void lib_apply_runtime_settings(const ntrun_config *cfg)
{
    rt_trace_mask = cfg->trace_mask;
    rt_rewrite_enable(!cfg->no_rewrite);
    if (cfg->trace_fn)
        rt_set_message_sink(lib_trace_sink, (void *)cfg);
}

/* The options the program's CreateProcess children run with (ntemu/process.c starts them
 * as `ntrun --windows-build=N OPTIONS -- EXE`): a process tree is one run. The trap mode as
 * it was chosen: inclusive only when this run got it (a fallback is not said again by each
 * child), require and seccomp as asked; tracing, --strict, --no-rewrite and the DLL path as
 * given (docs/design.md, "What a child inherits"). */
static void lib_set_child_options(const ntrun_config *cfg)
{
    const char *opts[8];
    int n = 0;
    char *trace = NULL, *dll = NULL;
    if (rt_proc.sud_inclusive)
        opts[n++] = "--sud=inclusive";
    else if (cfg->syscall_trap == NTRUN_TRAP_SUD)
        opts[n++] = "--sud=require";
    else if (cfg->syscall_trap == NTRUN_TRAP_SECCOMP)
        opts[n++] = "--sud=seccomp";
    static const struct { uint32_t bit; const char *name; } ch[] = {
        {RT_TRACE_LOADER, "loader"}, {RT_TRACE_NT, "nt"}, {RT_TRACE_SUD, "sud"},
        {RT_TRACE_TIME, "time"}};
    if (cfg->trace_mask) {
        char buf[64] = "--trace=";
        for (size_t i = 0; i < sizeof ch / sizeof ch[0]; i++)
            if (cfg->trace_mask & ch[i].bit)
                snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s",
                         buf[8] ? "," : "", ch[i].name);
        if (buf[8] && (trace = strdup(buf)))
            opts[n++] = trace;
    }
    if (cfg->strict)
        opts[n++] = "--strict";
    if (cfg->no_rewrite)
        opts[n++] = "--no-rewrite";
    if (cfg->dll_path && asprintf(&dll, "--dll-path=%s", cfg->dll_path) >= 0)
        opts[n++] = dll;
    nt_process_set_child_options(opts, n);
    free(trace);
    free(dll);
}

static void lib_clear_runtime_settings(void)
{
    rt_set_message_sink(NULL, NULL);
    rt_trace_mask = 0;
}

static const char *lib_base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s && s[1] ? s + 1 : path;
}

/* Program lookup as Wine does it: `path` as a Linux path, or a Windows one ("C:\\Games\\x.exe",
 * "Z:\\tmp\\x.exe", "dir\\x.exe": through the drive mappings, case-insensitively), each also
 * with ".exe" appended when its last component has no extension. The first that exists wins;
 * if none does, the path as given (translated when it is a Windows one), so that the error
 * names it. Runs after the run's drives and working directory are in place. NULL: no memory. */
static bool lib_is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* The C: drive's seeder (ntemu/path.c): C:\windows\system32\NAME.exe for each built-in
 * program that has no file there, as ntrun's stand-in (programs/programs.h), so that programs
 * looking for cmd.exe before they start it find it. Written under a temporary name and linked
 * into place, so a concurrent process sees no half-written file and a file put there meanwhile
 * is kept. */
static void lib_seed_c_drive(const char *c_root)
{
    size_t len;
    const unsigned char *stub = prog_stub_image(&len);
    for (size_t i = 0; i < prog_count(); i++) {
        char *path = NULL, *tmp = NULL;
        if (asprintf(&path, "%s/windows/system32/%s.exe", c_root, prog_name(i)) < 0)
            return;
        if (access(path, F_OK) != 0 && errno == ENOENT &&
            asprintf(&tmp, "%s.ntrun-%d", path, (int)getpid()) >= 0) {
            int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
            if (fd >= 0) {
                bool ok = write(fd, stub, len) == (ssize_t)len;
                ok = close(fd) == 0 && ok;
                if (ok)
                    (void)link(tmp, path); /* EEXIST: another process was first */
                unlink(tmp);
            }
        }
        free(tmp);
        free(path);
    }
}

static bool lib_looks_windows(const char *p)
{
    bool drive = ((p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z') && p[1] == ':';
    return drive || strchr(p, '\\') != NULL;
}

static char *lib_find_program(const char *path)
{
    const char *last = path;
    for (const char *s = path; *s; s++)
        if (*s == '/' || *s == '\\' || (s == path + 1 && *s == ':'))
            last = s + 1;
    bool add_exe = *last && !strchr(last, '.');
    /* One candidate, a Linux path: it is the answer whether it exists or not (the loader's
     * open says which), so no stat here. */
    if (!add_exe && !lib_looks_windows(path))
        return strdup(path);
    char *fallback = NULL;
    for (int pass = 0; pass < 1 + add_exe; pass++) {
        char *cand = malloc(strlen(path) + 5);
        if (!cand)
            goto oom;
        strcpy(cand, path);
        if (pass)
            strcat(cand, ".exe");
        if (lib_is_file(cand)) {
            free(fallback);
            return cand;
        }
        if (lib_looks_windows(cand)) {
            char *unix_path = NULL;
            if (nt_path_to_unix_a(cand, &unix_path) == STATUS_SUCCESS && unix_path) {
                free(cand);
                cand = unix_path;
                if (lib_is_file(cand)) {
                    free(fallback);
                    return cand;
                }
            }
        }
        if (!fallback)
            fallback = cand;
        else
            free(cand);
    }
    return fallback;
oom:
    free(fallback);
    return NULL;
}

/* The loader says which step failed (the message is for people). */
static ntrun_error lib_load_error(ldr_error kind)
{
    switch (kind) {
    case LDR_E_NO_MEMORY: return NTRUN_E_NO_MEMORY;
    case LDR_E_FILE: return NTRUN_E_FILE;
    case LDR_E_IMPORT: return NTRUN_E_IMPORT;
    case LDR_E_RUNTIME: return NTRUN_E_RUNTIME;
    case LDR_E_FORMAT:
    case LDR_OK: break;
    }
    return NTRUN_E_FORMAT;
}

static void lib_restore_cwd_drives(ntrun_program *p)
{
    for (int i = 0; i < 26; i++) {
        if (!p->drive_saved[i])
            continue;
        nt_path_set_drive((char)('A' + i), p->saved_drive[i]);
        free(p->saved_drive[i]);
        p->saved_drive[i] = NULL;
        p->drive_saved[i] = false;
    }
    if (p->cwd_set)
        nt_cwd_set(NULL);
    p->cwd_set = false;
}

/* --trace=time: how long the phase that ends now took (and the next one starts). */
static void lib_phase_done(uint64_t *t, const char *what, const char *name)
{
    if (!RT_TRACING(RT_TRACE_TIME))
        return;
    uint64_t now = lib_now_ns();
    rt_trace("time", "%s%s%s: %.1f us", what, name ? " " : "", name ? name : "",
             (double)(now - *t) / 1e3);
    *t = now;
}

/* The function (.pdata entry) holding pc, for rewriting syscall sites (runtime/rewrite.c). */
static bool lib_function_bounds(uintptr_t pc, uintptr_t *begin, uintptr_t *end)
{
    DWORD64 base = 0;
    RUNTIME_FUNCTION *f = RtlLookupFunctionEntry(pc, &base, NULL);
    if (!f)
        return false;
    *begin = (uintptr_t)base + f->BeginAddress;
    *end = (uintptr_t)base + f->EndAddress;
    return true;
}

/* The loader's DLL notifications: NTRUN_EVENT_DLL_LOADED. */
static void lib_dll_observed(const char *name, const char *unix_path, const void *base,
                             size_t size, void *ctx)
{
    ntrun_program *p = ctx;
    lib_event_dll(&p->events, name, unix_path, (uint64_t)(uintptr_t)base, size);
}

/* Everything but the program object itself. Runs once, on the thread that loaded or ran. */
static void lib_teardown(ntrun_program *p)
{
    if (p->torn_down)
        return;
    p->torn_down = true;
    uint64_t t = lib_now_ns();
    /* Only when one was set (events asked for): clearing it takes the loader lock, which a
     * program thread that did not stop may hold for good (a TLS callback spinning in
     * DLL_THREAD_ATTACH), and the ntrun command would then never end (fuzz.mutation). */
    if (p->cfg && p->cfg->event_fn)
        ldr_set_dll_observer(NULL, NULL);
    rt_set_address_describer(NULL);
    thk_set_module_finder(NULL);
    rt_rewrite_set_function_finder(NULL);
    if (lib_one_run) {
        /* The process ends next (the ntrun command): what exit would not do, no more. */
        nt_process_teardown_at_exit();
    } else {
        if (p->mod)
            ldr_unload(p->mod);
        p->mod = NULL;
        thk_process_teardown();
        rt_rewrite_reset(); /* the program's code is gone: its rewritten sites and trampolines */
        nt_process_teardown();
        rt_thread_fini_current();
        lib_restore_cwd_drives(p);
    }
    for (int i = 0; i < 3; i++)
        lib_pump_stop(&p->pumps[i]);
    lib_phase_done(&t, "teardown", NULL); /* before the trace settings go */
    lib_clear_runtime_settings();
    if (!lib_one_run)
        rt_signals_restore();
    atomic_store(&lib_loaded, false);
}

static void lib_program_destroy_sync(ntrun_program *p)
{
    pthread_mutex_destroy(&p->term_lock);
    pthread_cond_destroy(&p->limit_cond);
    pthread_cond_destroy(&p->done_cond);
    lib_events_destroy(&p->events);
    if (p->donefd >= 0)
        close(p->donefd);
}

/* No way to trap the program's system calls (rt_trap_select's -errno r): at load, or for the
 * ntrun command at the main thread's set-up, where SUD's presumption meets the kernel. */
static ntrun_error lib_trap_failure(int trap, int r)
{
    if (trap == NTRUN_TRAP_SUD)
        return lib_fail(NTRUN_E_RUNTIME,
                        "cannot trap the program's system calls: Syscall User Dispatch is not "
                        "available (it needs Linux 5.11 or later, and no seccomp policy that "
                        "refuses it); --sud=auto would use a seccomp filter instead");
    if (trap == NTRUN_TRAP_SECCOMP)
        return lib_fail(NTRUN_E_RUNTIME,
                        "cannot trap the program's system calls: the seccomp filter was "
                        "refused: %s", strerror(-r));
    return lib_fail(NTRUN_E_RUNTIME,
                    "cannot trap the program's system calls: Syscall User Dispatch is not "
                    "available (it needs Linux 5.11 or later) and the seccomp fallback was "
                    "refused (%s); refusing to run the program", strerror(-r));
}

NTRUN_API ntrun_error ntrun_load(const ntrun_config *cfg, const char *path, ntrun_program **out)
{
    ntrun_error checked = lib_check_start(cfg, path, out);
    if (out)
        *out = NULL;
    if (checked != NTRUN_OK)
        return checked;
    bool expected = false;
    if (!atomic_compare_exchange_strong(&lib_loaded, &expected, true))
        return lib_fail(NTRUN_E_BUSY, "%s: another program is loaded in this process (one "
                                      "in-process run at a time)", lib_base_name(path));
    ntrun_program *p = calloc(1, sizeof *p);
    ntrun_error e = NTRUN_OK;
    if (p)
        p->donefd = -1;
    if (!p || !(p->cfg = lib_config_copy(cfg)) || !(p->path = strdup(path))) {
        if (p)
            ntrun_config_free(p->cfg);
        free(p);
        atomic_store(&lib_loaded, false);
        return lib_fail(NTRUN_E_NO_MEMORY, "out of memory");
    }
    for (int i = 0; i < 3; i++)
        p->pumps[i] = (lib_pump){.rfd = -1, .wfd = -1, .stopfd = -1};
    pthread_mutex_init(&p->term_lock, NULL);
    pthread_cond_init(&p->limit_cond, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->done_cond, &ca);
    pthread_condattr_destroy(&ca);
    lib_events_init(&p->events, cfg->event_fn, cfg->event_ctx);
    cfg = p->cfg;
    const char *name = lib_base_name(path);
    uint64_t t = lib_now_ns();

    /* The runtime: first use probes SUD and installs the handlers; later loads put them back
     * in (the previous run restored the host's). */
    rt_proc.windows_build = cfg->windows_build;
    if (lib_one_run)
        rt_sud_presume(); /* probed by the main thread's arming (ntrun_run) */
    int r = rt_process_init();
    if (r == 0)
        r = rt_signals_activate();
    if (r < 0) {
        e = lib_fail(NTRUN_E_RUNTIME, "cannot initialise the runtime: %s", strerror(-r));
        goto fail;
    }
    lib_apply_runtime_settings(cfg);
    /* Foreign `syscall`s must trap: otherwise NT numbers reach Linux (NtClose = rt_sigreturn). */
    _Static_assert((int)NTRUN_TRAP_AUTO == RT_TRAP_WANT_AUTO &&
                       (int)NTRUN_TRAP_SUD == RT_TRAP_WANT_SUD &&
                       (int)NTRUN_TRAP_SECCOMP == RT_TRAP_WANT_SECCOMP &&
                       (int)NTRUN_TRAP_SUD_INCLUSIVE == RT_TRAP_WANT_INCLUSIVE,
                   "the API's trap modes are the runtime's");
    r = rt_trap_select((rt_trap_want)cfg->syscall_trap);
    if (r < 0) {
        e = lib_trap_failure(cfg->syscall_trap, r);
        goto fail;
    }
    lib_set_child_options(cfg);
    lib_phase_done(&t, "runtime (SUD, signal handlers, PEB)", NULL);
    nt_syscalls_init(cfg->windows_build);
    lib_phase_done(&t, "NT system-call table and KUSER_SHARED_DATA", NULL);
    r = thk_init();
    if (r < 0) {
        e = lib_fail(NTRUN_E_RUNTIME, "cannot build the built-in DLLs: %s", strerror(-r));
        goto fail;
    }
    lib_phase_done(&t, "built-in DLLs", NULL);
    static bool counting;
    if (!counting) {
        counting = true;
        rt_on_thread_attach(lib_count_thread);
    }

    /* The run's current directory: its own (ntemu/path.c), the process's working directory
     * is the host's and stays as it is. Drives are process-wide: put back after the run. */
    nt_cwd_set(NULL); /* cfg->cwd relative to the host's, not to a directory left over */
    r = nt_cwd_set(cfg->cwd ? cfg->cwd : ".");
    if (r < 0) {
        e = lib_fail(NTRUN_E_INVALID_ARGUMENT, "cwd: cannot enter %s: %s",
                     cfg->cwd ? cfg->cwd : "the current directory", strerror(-r));
        goto fail;
    }
    p->cwd_set = true;
    for (int i = 0; i < 26; i++) {
        if (!cfg->drive_set[i])
            continue;
        const char *old = nt_path_get_drive((char)('A' + i));
        p->saved_drive[i] = old ? strdup(old) : NULL;
        p->drive_saved[i] = true;
        nt_path_set_drive((char)('A' + i), cfg->drive[i]);
    }
    ldr_set_dll_search_path(cfg->dll_path);
    nt_path_set_c_drive_seeder(lib_seed_c_drive);
    /* The program's own CreateProcess children run in the helper ntrun_spawn's run in, looked
     * for when the first child starts (a stat + access per place tried: most runs have none). */
    nt_process_set_runtime_exe_finder(lib_helper);

    /* The image: found as Wine would (p->path becomes the Linux path); a relative Linux path
     * from the run's directory, as a child (which starts there) finds it. */
    char *joined = NULL;
    if (cfg->cwd && path[0] != '/' && !lib_looks_windows(path) &&
        asprintf(&joined, "%s/%s", cfg->cwd, path) < 0)
        joined = NULL;
    char *found = lib_find_program(joined ? joined : path);
    free(joined);
    if (!found) {
        e = lib_fail(NTRUN_E_NO_MEMORY, "out of memory");
        goto fail;
    }
    const char *given = path; /* the default argv[0]: what the caller named */
    free(p->path);
    p->path = found;
    path = found;
    name = lib_base_name(path);
    /* No such file, or ntrun's stand-in for it, but a built-in program's name (cmd.exe): that
     * program, as the file C:\windows\system32\NAME.exe would be (programs/programs.h). */
    prog_main_fn builtin = prog_builtin_for(path); /* a name compare: before any stat */
    if (builtin && (!lib_is_file(path) || prog_is_stub_file(path))) {
        p->builtin = builtin;
        const char *base = path;
        for (const char *s = path; *s; s++)
            if (*s == '/' || *s == '\\')
                base = s + 1;
        char *win = NULL, *sys = NULL;
        if (asprintf(&win, "C:\\windows\\system32\\%s%s", base,
                     strchr(base, '.') ? "" : ".exe") >= 0 &&
            nt_path_to_unix_a(win, &sys) == STATUS_SUCCESS && sys) {
            free(p->path);
            p->path = sys;
            path = sys;
            name = lib_base_name(path);
        }
        free(win);
    }
    char err[1024];
    ldr_error kind = LDR_E_FORMAT;
    NTSTATUS load_status = STATUS_INVALID_IMAGE_FORMAT;
    ldr_options opts = {.strict = cfg->strict, .error = &kind, .status = &load_status};
    /* In the heap, whose first pages a start writes anyway: a static PATH_MAX buffer was a
     * 4 KB page of the binary's start-up block for ~30 bytes (docs/performance.md, issue 12,
     * twenty-fifth pass, second round). The previous run's are kept until this one's are set. */
    char *new_path = strndup(path, PATH_MAX - 1), *new_name = strndup(name, 255);
    if (new_path && new_name) {
        free(lib_exe_path);
        free(lib_exe_name);
        lib_exe_path = new_path;
        lib_exe_name = new_name;
    } else {
        free(new_path);
        free(new_name);
    }
    rt_proc.exe_unix_path = lib_exe_path ? lib_exe_path : "";
    rt_proc.exe_name = lib_exe_name ? lib_exe_name : "";
    if (cfg->event_fn)
        ldr_set_dll_observer(lib_dll_observed, p);
    p->mod = p->builtin ? NULL : ldr_load_exe(path, &opts, err, sizeof err);
    if (!p->mod && !p->builtin) {
        e = lib_fail(lib_load_error(kind), "%s", err);
        nt_process_report_load_failure(load_status); /* a child: its parent's exit code */
        goto fail;
    }
    lib_phase_done(&t, "load", name);
    rt_set_address_describer(ldr_describe_address);
    thk_set_module_finder(ldr_find_module_by_address);
    rt_rewrite_set_function_finder(lib_function_bounds);

    /* Standard handles. */
    for (int i = 0; i < 3; i++) {
        const lib_sink *s = &cfg->std[i];
        p->std_fds[i] = i;
        if (s->fn && i > 0) {
            e = lib_pump_start(&p->pumps[i], s->fn, s->ctx);
            if (e != NTRUN_OK)
                goto fail;
            p->pumps[i].events = &p->events; /* before any output: the program has not run */
            p->pumps[i].stream = i;
            p->std_fds[i] = p->pumps[i].wfd;
        } else if (s->rfn && i == 0) {
            e = lib_feed_start(&p->pumps[0], s->rfn, s->ctx);
            if (e != NTRUN_OK)
                goto fail;
            p->std_fds[0] = p->pumps[0].rfd;
        } else if (s->fd >= 0) {
            p->std_fds[i] = s->fd;
        }
    }
    if (!cfg->argc) { /* argv defaults to { path } */
        char **v = calloc(2, sizeof *v);
        if (!v || !(v[0] = strdup(given))) {
            free(v);
            e = lib_fail(NTRUN_E_NO_MEMORY, "out of memory");
            goto fail;
        }
        p->cfg->argv = v;
        p->cfg->argc = 1;
    }
    static char *no_env[1] = {NULL};
    thk_startup st = {
        .argc = cfg->argc,
        .argv = cfg->argv,
        .envp = cfg->env_set ? (cfg->envp ? cfg->envp : no_env) : environ,
        .exe_path = p->path,
        .exe_real_path = p->mod ? ldr_module_unix_path(p->mod) : NULL,
        .image_base = p->mod ? ldr_module_base(p->mod) : NULL,
        .std_fds = p->std_fds,
    };
    /* thk_process_setup keeps the pointers: they live in p->cfg until ntrun_program_free. */
    r = thk_process_setup(&st);
    if (r < 0) {
        e = lib_fail(NTRUN_E_RUNTIME, "%s: cannot set up the process environment: %s", name,
                     strerror(-r));
        goto fail;
    }
    lib_phase_done(&t, "process parameters and standard handles", NULL);
    p->loaded = true;
    /* Until ntrun_run, the host has its own signal handlers back (the ntrun command has none
     * of its own: ntrun's stay in, and ntrun_run installs nothing again). */
    lib_clear_runtime_settings();
    if (!lib_one_run)
        rt_signals_restore();
    *out = p;
    return NTRUN_OK;

fail:
    lib_teardown(p);
    ntrun_config_free(p->cfg);
    lib_program_destroy_sync(p);
    free(p->path);
    free(p);
    return e;
}

/* ---- the run ---- */
struct lib_run_args {
    ldr_module *mod;
    prog_main_fn builtin;
    void *stack_top;
};

static uint64_t lib_run_on_foreign_stack(void *arg)
{
    struct lib_run_args *ra = arg;
    thk_before_entry();
    return ra->builtin ? ra->builtin() : ldr_run_exe(ra->mod);
}

static uint32_t lib_run_body(void *arg)
{
    struct lib_run_args *ra = arg;
    uint32_t code = (uint32_t)rt_call_on_stack(ra->stack_top, lib_run_on_foreign_stack, ra);
    /* Returning from the entry point ends the process with that code, as on Windows. */
    rt_exit_process(code);
}

static void lib_collect_call(const char *name, const nt_call_counts *c, void *ctx)
{
    ntrun_program *p = ctx;
    ntrun_nt_call_counts *n = realloc(p->counts, (p->ncounts + 1) * sizeof *n);
    if (!n)
        return;
    p->counts = n;
    p->counts[p->ncounts++] = (ntrun_nt_call_counts){name, c->trap, c->thunk, c->builtin};
    p->stats.nt_calls_trap += c->trap;
    p->stats.nt_calls_thunk += c->thunk;
    p->stats.nt_calls_builtin += c->builtin;
    if (!c->trap && !c->thunk)
        return;
    ntrun_nt_call *o = realloc(p->calls, (p->ncalls + 1) * sizeof *o);
    if (!o)
        return;
    p->calls = o;
    p->calls[p->ncalls++] = (ntrun_nt_call){name, c->trap, c->thunk};
}

static int lib_cmp_calls(const void *a, const void *b)
{
    const ntrun_nt_call *x = a, *y = b;
    uint64_t nx = x->trap + x->thunk, ny = y->trap + y->thunk;
    if (nx != ny)
        return nx < ny ? 1 : -1;
    return strcmp(x->name, y->name);
}

static int lib_cmp_counts(const void *a, const void *b)
{
    const ntrun_nt_call_counts *x = a, *y = b;
    uint64_t nx = x->trap + x->thunk + x->builtin, ny = y->trap + y->thunk + y->builtin;
    if (nx != ny)
        return nx < ny ? 1 : -1;
    return strcmp(x->name, y->name);
}

void lib_sort_nt_call_counts(ntrun_nt_call_counts *v, size_t n)
{
    if (n)
        qsort(v, n, sizeof *v, lib_cmp_counts);
}

size_t lib_copy_nt_call_counts(const ntrun_nt_call_counts *v, size_t n,
                               ntrun_nt_call_counts *out, size_t max)
{
    for (size_t i = 0; out && i < max && i < n; i++)
        out[i] = v[i];
    return n;
}

/* TerminateProcess from another thread (the host's, or the time limit's watchdog). The request
 * is a flag and a signal: the signal is sent again until the run has ended, since a thread
 * busy inside a built-in only notices when it waits or returns. -ESRCH (rt_run_process not
 * entered yet, or just left) is retried while `running` says so. */
static ntrun_error lib_terminate(ntrun_program *p, uint32_t exit_code, int timeout_ms,
                                 bool time_limit)
{
    uint64_t deadline = lib_now_ns() + (uint64_t)(timeout_ms < 0 ? 0 : timeout_ms) * 1000000u;
    bool asked = false;
    for (;;) {
        pthread_mutex_lock(&p->term_lock);
        int running = p->running;
        if (running) {
            if (!asked && time_limit)
                p->timed_out = true;
            rt_process_terminate(exit_code);
            asked = true;
        } else if (!asked && p->loaded && !p->started) {
            /* Not started yet: ntrun_run will return the code without running it. */
            p->term_requested = true;
            p->term_code = exit_code;
            pthread_mutex_unlock(&p->term_lock);
            return NTRUN_OK;
        }
        pthread_mutex_unlock(&p->term_lock);
        if (!running)
            break;
        if (timeout_ms >= 0 && lib_now_ns() >= deadline)
            return lib_fail(NTRUN_E_TIMEOUT, "%s did not stop within %d ms",
                            lib_base_name(p->path), timeout_ms);
        struct timespec step = {0, 2 * 1000000};
        nanosleep(&step, NULL);
    }
    if (!asked)
        return lib_fail(NTRUN_E_STATE, "%s is not running", lib_base_name(p->path));
    return NTRUN_OK;
}

/* The time limit: a thread that ends the run when the limit passes first. */
static void *lib_limit_main(void *arg)
{
    ntrun_program *p = arg;
    struct timespec until = lib_deadline(p->cfg->time_limit_ms);
    pthread_mutex_lock(&p->term_lock);
    int r = 0;
    while (!p->limit_done && r != ETIMEDOUT)
        r = pthread_cond_timedwait(&p->limit_cond, &p->term_lock, &until);
    bool expired = !p->limit_done;
    pthread_mutex_unlock(&p->term_lock);
    if (expired)
        lib_terminate(p, LIB_TIMEOUT_EXIT_CODE, -1, true);
    return NULL;
}

static bool lib_limit_start(ntrun_program *p)
{
    if (!p->cfg->time_limit_ms)
        return false;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_destroy(&p->limit_cond);
    pthread_cond_init(&p->limit_cond, &ca);
    pthread_condattr_destroy(&ca);
    return pthread_create(&p->limit_thread, NULL, lib_limit_main, p) == 0;
}

static void lib_limit_stop(ntrun_program *p)
{
    pthread_mutex_lock(&p->term_lock);
    p->limit_done = true;
    pthread_cond_signal(&p->limit_cond);
    pthread_mutex_unlock(&p->term_lock);
    pthread_join(p->limit_thread, NULL);
}

/* How the run ended, from the runtime's record of it. */
static void lib_fill_exit_info(ntrun_program *p, uint32_t code, bool cancelled)
{
    ntrun_exit_info *x = &p->exit;
    memset(x, 0, sizeof *x);
    x->size = sizeof *x;
    x->exit_code = code;
    x->load_error = NTRUN_OK;
    int kind = cancelled ? RT_END_TERMINATED : rt_end_kind_get();
    const rt_end_info *ri = rt_end_info_get(); /* read only for an exception or an import */
    switch (kind) {
    case RT_END_EXCEPTION:
        x->reason = NTRUN_END_EXCEPTION;
        x->exception_code = ri->code;
        x->exception_address = ri->address;
        x->module_offset = ri->offset;
        snprintf(x->module, sizeof x->module, "%s", ri->module);
        snprintf(x->function, sizeof x->function, "%s", ri->function);
        break;
    case RT_END_UNIMPLEMENTED:
        x->reason = NTRUN_END_UNIMPLEMENTED;
        snprintf(x->function, sizeof x->function, "%s", ri->function);
        break;
    case RT_END_TERMINATED:
        x->reason = p->timed_out ? NTRUN_END_TIMED_OUT : NTRUN_END_TERMINATED;
        break;
    default:
        x->reason = NTRUN_END_EXITED;
        break;
    }
}

NTRUN_API ntrun_error ntrun_run(ntrun_program *p, uint32_t *exit_code)
{
    lib_clear_error();
    if (exit_code)
        *exit_code = 0;
    if (!p)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "program is NULL");
    if (p->ran || !p->loaded)
        return lib_fail(NTRUN_E_STATE, "%s: a program runs once; load it again",
                        lib_base_name(p->path));
    p->ran = true;
    const char *name = lib_base_name(p->path);
    ntrun_error e = NTRUN_OK;
    pthread_mutex_lock(&p->term_lock);
    bool will_run = !p->term_requested;
    pthread_mutex_unlock(&p->term_lock);
    if (will_run)
        lib_event_started(&p->events); /* on this thread, before ntrun's handlers go in */
    int r = rt_signals_activate();
    if (r < 0) {
        e = lib_fail(NTRUN_E_RUNTIME, "cannot install the signal handlers: %s", strerror(-r));
        goto out;
    }
    lib_apply_runtime_settings(p->cfg);
    struct lib_run_args ra = {.mod = p->mod, .builtin = p->builtin};
    r = rt_thread_init_current_stack(p->mod ? ldr_stack_reserve(p->mod) : (size_t)1 << 20,
                                     &ra.stack_top);
    if (r < 0) {
        if (rt_proc.trap == RT_TRAP_NONE) /* SUD refused at its first arming, seccomp too */
            e = lib_trap_failure(p->cfg->syscall_trap, r);
        else
            e = lib_fail(NTRUN_E_RUNTIME, "%s: cannot set up the main thread and its stack: %s",
                         name, strerror(-r));
        goto out;
    }
    nt_stats_reset();
    rt_thread *self = rt_current_thread();
    self->nt_calls_trap = self->nt_calls_thunk = 0;
    atomic_store(&lib_threads_started, 0);
    uint64_t t0 = lib_now_ns();
    pthread_mutex_lock(&p->term_lock);
    bool cancelled = p->term_requested;
    p->running = !cancelled;
    p->started = true;
    pthread_mutex_unlock(&p->term_lock);
    bool limited = !cancelled && lib_limit_start(p);
    if (lib_one_run)
        rt_process_ends_with_run(); /* (here: its variable's page is start-up's, present now) */
    uint32_t code = cancelled ? p->term_code : rt_run_process(lib_run_body, &ra);
    pthread_mutex_lock(&p->term_lock);
    p->running = 0;
    pthread_mutex_unlock(&p->term_lock);
    if (limited)
        lib_limit_stop(p);
    p->stats.wall_ns = lib_now_ns() - t0;
    lib_fill_exit_info(p, code, cancelled);
    /* ExitProcess on the main thread leaves other foreign threads running: stop them. */
    int left = rt_threads_terminate_all(code, 5000);
    if (left > 0)
        rt_message("%s: %d thread(s) did not stop; their memory is not released", name, left);
    if (exit_code)
        *exit_code = code;
    p->stats.size = sizeof p->stats;
    p->stats.threads = 1 + atomic_load(&lib_threads_started);
    /* The ntrun command (lib_one_run) never asks for the run's statistics: the per-call
     * counts (a realloc per NT call used, a sort) and the peak RSS (getrusage) are gathered
     * only for a host of libntrun, or for the sud trace that prints them. */
    if (!lib_one_run || RT_TRACING(RT_TRACE_SUD)) {
        nt_stats_for_each(lib_collect_call, p);
        if (p->ncalls)
            qsort(p->calls, p->ncalls, sizeof *p->calls, lib_cmp_calls);
        lib_sort_nt_call_counts(p->counts, p->ncounts);
        p->stats.crossings = rt_crossings_take();
        p->stats.nt_calls_rewritten = nt_stats_rewritten_calls();
        uint64_t sites_rw, sites_kept;
        rt_rewrite_stats(&sites_rw, &sites_kept);
        p->stats.syscall_sites_rewritten = (uint32_t)sites_rw;
        p->stats.syscall_sites_kept = (uint32_t)sites_kept;
        p->stats.peak_rss_bytes = lib_peak_rss();
    }
    if (RT_TRACING(RT_TRACE_SUD))
        rt_trace("sud", "run %s: syscall/int 2e sites rewritten %u, kept %u; NT calls by trap "
                 "%llu, of them through rewritten sites %llu", name,
                 p->stats.syscall_sites_rewritten, p->stats.syscall_sites_kept,
                 (unsigned long long)p->stats.nt_calls_trap,
                 (unsigned long long)p->stats.nt_calls_rewritten);
    if (RT_TRACING(RT_TRACE_TIME))
        rt_trace("time", "run %s (entry point to exit): %.1f us", name,
                 (double)p->stats.wall_ns / 1e3);
out:
    pthread_mutex_lock(&p->term_lock);
    p->started = true;
    pthread_mutex_unlock(&p->term_lock);
    lib_teardown(p); /* the output pumps are drained: all output delivered */
    if (p->exit.size)
        lib_event_exited(&p->events, &p->exit);
    pthread_mutex_lock(&p->term_lock);
    p->done = true;
    pthread_cond_broadcast(&p->done_cond);
    if (p->donefd >= 0) {
        uint64_t one = 1;
        ssize_t w = write(p->donefd, &one, sizeof one);
        (void)w;
    }
    pthread_mutex_unlock(&p->term_lock);
    return e;
}

/* ---- asynchronous runs ---- */
static void *lib_async_main(void *arg)
{
    ntrun_program *p = arg;
    p->async_result = ntrun_run(p, &p->async_code);
    snprintf(p->async_message, sizeof p->async_message, "%s", ntrun_error_message());
    return NULL;
}

NTRUN_API ntrun_error ntrun_program_start(ntrun_program *p)
{
    lib_clear_error();
    if (!p)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "program is NULL");
    if (p->ran || p->async || !p->loaded)
        return lib_fail(NTRUN_E_STATE, "%s: a program runs once; load it again",
                        lib_base_name(p->path));
    int r = pthread_create(&p->run_thread, NULL, lib_async_main, p);
    if (r != 0)
        return lib_fail(NTRUN_E_SYSTEM, "cannot start the run's thread: %s", strerror(r));
    p->async = true;
    return NTRUN_OK;
}

NTRUN_API ntrun_error ntrun_program_wait(ntrun_program *p, int timeout_ms, uint32_t *exit_code)
{
    lib_clear_error();
    if (!p)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "program is NULL");
    if (!p->async)
        return lib_fail(NTRUN_E_STATE, "%s: not started with ntrun_program_start",
                        lib_base_name(p->path));
    if (!lib_wait_flag(&p->term_lock, &p->done_cond, &p->done, timeout_ms))
        return lib_fail(NTRUN_E_TIMEOUT, "%s is still running", lib_base_name(p->path));
    if (!p->joined) {
        pthread_join(p->run_thread, NULL);
        p->joined = true;
    }
    if (exit_code)
        *exit_code = p->async_code;
    if (p->async_result != NTRUN_OK)
        return lib_fail(p->async_result, "%s", p->async_message);
    return NTRUN_OK;
}

NTRUN_API int ntrun_program_fd(const ntrun_program *p)
{
    lib_clear_error();
    if (!p)
        return -1;
    /* Made on first need; readable at once when the run is already over. `p` is the caller's
     * handle to a program it owns (never a const object): the fd is state of that program. */
    ntrun_program *q = (ntrun_program *)p;
    pthread_mutex_lock(&q->term_lock);
    if (q->donefd < 0) {
        q->donefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (q->donefd < 0)
            lib_fail(NTRUN_E_SYSTEM, "cannot create an eventfd: %s", strerror(errno));
        else if (q->done) {
            uint64_t one = 1;
            ssize_t w = write(q->donefd, &one, sizeof one);
            (void)w;
        }
    }
    int fd = q->donefd;
    pthread_mutex_unlock(&q->term_lock);
    return fd;
}

NTRUN_API ntrun_error ntrun_program_terminate(ntrun_program *p, uint32_t exit_code,
                                              int timeout_ms)
{
    lib_clear_error();
    if (!p)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "program is NULL");
    return lib_terminate(p, exit_code, timeout_ms, false);
}

NTRUN_API ntrun_error ntrun_get_exit_info(const ntrun_program *p, ntrun_exit_info *out)
{
    lib_clear_error();
    if (!p)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "program is NULL");
    if (!p->exit.size)
        return lib_fail(NTRUN_E_STATE, "%s: no exit information before it has run",
                        lib_base_name(p->path));
    return lib_copy_exit_info(&p->exit, out);
}

NTRUN_API void ntrun_program_free(ntrun_program *p)
{
    if (!p)
        return;
    if (p->async && !p->joined) { /* still running: end it first */
        lib_terminate(p, 1, -1, false);
        pthread_join(p->run_thread, NULL);
        p->joined = true;
    }
    lib_teardown(p);
    ntrun_config_free(p->cfg);
    lib_program_destroy_sync(p);
    free(p->calls);
    free(p->counts);
    free(p->path);
    free(p);
}

NTRUN_API ntrun_error ntrun_get_stats(const ntrun_program *p, ntrun_stats *out)
{
    if (!p || !out)
        return lib_fail(NTRUN_E_INVALID_ARGUMENT, "%s is NULL", p ? "out" : "program");
    if (!p->ran)
        return lib_fail(NTRUN_E_STATE, "%s: no statistics before ntrun_run",
                        lib_base_name(p->path));
    uint32_t size = out->size && out->size < sizeof *out ? out->size : sizeof *out;
    memcpy(out, &p->stats, size);
    out->size = size;
    return NTRUN_OK;
}

NTRUN_API size_t ntrun_get_nt_calls(const ntrun_program *p, ntrun_nt_call *out, size_t max)
{
    if (!p)
        return 0;
    for (size_t i = 0; out && i < max && i < p->ncalls; i++)
        out[i] = p->calls[i];
    return p->ncalls;
}

NTRUN_API size_t ntrun_get_nt_call_counts(const ntrun_program *p, ntrun_nt_call_counts *out,
                                          size_t max)
{
    return p ? lib_copy_nt_call_counts(p->counts, p->ncounts, out, max) : 0;
}

NTRUN_API ntrun_error ntrun_run_file(const ntrun_config *cfg, const char *path,
                                     uint32_t *exit_code, ntrun_stats *stats)
{
    ntrun_program *p;
    ntrun_error e = ntrun_load(cfg, path, &p);
    if (e != NTRUN_OK)
        return e;
    e = ntrun_run(p, exit_code);
    if (e == NTRUN_OK && stats)
        ntrun_get_stats(p, stats);
    ntrun_program_free(p);
    return e;
}
