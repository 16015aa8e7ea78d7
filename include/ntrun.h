/* SPDX-License-Identifier: MIT */
/* ntrun.h: libntrun, the embedding API of ntrun.
 *
 * libntrun runs Windows x86-64 console programs (PE32+) inside a Linux process, the same way the
 * `ntrun` command does (the command is a thin client of this library). A launcher uses it to
 * start a program, show its output and exit code, and keep running whatever the program does.
 *
 *     ntrun_config *cfg = ntrun_config_new();
 *     ntrun_config_set_stdout_callback(cfg, on_output, ctx);
 *     ntrun_program *prog;
 *     if (ntrun_load(cfg, "game.exe", &prog) != NTRUN_OK)
 *         fprintf(stderr, "%s\n", ntrun_error_message());
 *     uint32_t code;
 *     ntrun_run(prog, &code);             // blocks; the program's full 32-bit exit code
 *     ntrun_program_free(prog);
 *     ntrun_config_free(cfg);
 *
 * Two ways to run a program:
 *   - in-process (ntrun_load + ntrun_run): blocking, on the calling thread. ExitProcess, a
 *     return from main, exit() and an unhandled exception all give control back to the caller
 *     with the exit code (an unhandled exception's code is its NTSTATUS, e.g. 0xC0000005).
 *     When ntrun_run returns, the program's threads have been stopped and its memory (image
 *     mappings, heaps, VirtualAlloc regions, TEBs, stacks), handles and the signal handlers
 *     ntrun installed are released and restored; the next program can run.
 *   - in a child process (ntrun_spawn): a fresh process runs it; wait with a timeout or poll
 *     an fd, terminate. A program that corrupts memory cannot touch the launcher.
 *   Both can also run asynchronously (ntrun_program_start / ntrun_spawn, then poll an fd or
 *   wait with a timeout) and report events (ntrun_config_set_event_callback).
 *
 * Thread safety: one in-process run (from ntrun_load to ntrun_program_free) at a time per
 * process: ntrun_load returns NTRUN_E_BUSY while another program is loaded (children are not
 * affected: spawn as many as you like, from any thread, at any time). Configuration
 * objects are plain data: do not share one between threads while it is being changed. Child
 * objects (ntrun_spawn) may be used from any thread, one thread at a time per object; several
 * children may run at once. ntrun_error_message is per thread. Everything else (ntrun_version,
 * the host's own threads and signal handlers) is unaffected by a run: only the thread that
 * calls ntrun_run runs foreign code and has Syscall User Dispatch armed, only during the call.
 *
 * Signals: during an in-process run ntrun owns SIGSYS, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP
 * and one real-time signal (SIGRTMIN+3); a fault on a host thread is passed on to the handler
 * the host had installed. The host's dispositions are put back, exactly, when the run ends.
 *
 * Versioning: NTRUN_VERSION_* is the version of this header, ntrun_version() the version of the
 * library actually linked. The ABI follows MAJOR: structs passed in carry their size. */
#ifndef NTRUN_H
#define NTRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define NTRUN_API __attribute__((visibility("default")))
#else
#define NTRUN_API
#endif

#define NTRUN_VERSION_MAJOR 0
#define NTRUN_VERSION_MINOR 2
#define NTRUN_VERSION_PATCH 0

/* True when this header is at least version major.minor.patch:
 *     #if NTRUN_VERSION_ATLEAST(0, 2, 0)  ...use ntrun_program_start...  #endif */
#define NTRUN_VERSION_ATLEAST(major, minor, patch)                                            \
    ((NTRUN_VERSION_MAJOR * 10000 + NTRUN_VERSION_MINOR * 100 + NTRUN_VERSION_PATCH) >=        \
     ((major) * 10000 + (minor) * 100 + (patch)))

/* "MAJOR.MINOR.PATCH" of the linked library. */
NTRUN_API const char *ntrun_version(void);
/* MAJOR * 10000 + MINOR * 100 + PATCH of the linked library. */
NTRUN_API unsigned ntrun_version_number(void);

/* ---- errors ----
 * Functions that can fail return an ntrun_error; the message for people (naming the field, the
 * file, the DLL or DLL!function) is then available from ntrun_error_message() on the same
 * thread until the next failing call. */
typedef enum ntrun_error {
    NTRUN_OK = 0,
    NTRUN_E_INVALID_ARGUMENT = 1, /* a bad argument or configuration field (named) */
    NTRUN_E_NO_MEMORY = 2,
    NTRUN_E_BUSY = 3,             /* another program is loaded in this process */
    NTRUN_E_RUNTIME = 4,          /* the runtime could not start (TEB, signals, built-in DLLs) */
    NTRUN_E_FILE = 5,             /* the program cannot be opened or read */
    NTRUN_E_FORMAT = 6,           /* not a runnable x86-64 Windows program (PE32+ console/GUI) */
    NTRUN_E_IMPORT = 7,           /* a DLL or DLL!function it imports is missing (strict mode,
                                     or a foreign DLL that cannot be found or loaded) */
    NTRUN_E_STATE = 8,            /* wrong order of calls (e.g. running a program twice) */
    NTRUN_E_SYSTEM = 9,           /* a Linux call failed (fork, pipe, thread creation, ...) */
    NTRUN_E_TIMEOUT = 10,         /* ntrun_child_wait: the child is still running */
} ntrun_error;

/* The message of the last failing call on this thread ("" if none). Valid until the next call
 * into the library on this thread. */
NTRUN_API const char *ntrun_error_message(void);
/* A fixed name for a code: "NTRUN_E_FILE", ... */
NTRUN_API const char *ntrun_error_name(ntrun_error code);

/* ---- configuration ----
 * Defaults: argv is { program path }, the host's environment, the host's working directory,
 * drive C: at $NTRUN_C_DRIVE or ~/.ntrun/c and Z: at "/", Windows 10 system-call numbering,
 * no tracing, the program's standard handles on the host's fds 0, 1 and 2. */
typedef struct ntrun_config ntrun_config;

/* Receives output: `len` bytes at `data` (not NUL-terminated). Output sinks are called from a
 * thread the library owns, one call at a time per sink; all of a run's output has been
 * delivered when ntrun_run (or ntrun_child_wait) returns. */
typedef void (*ntrun_write_fn)(void *ctx, const char *data, size_t len);
/* Standard input from the host: fill buf with up to cap bytes and return how many; 0 (or a
 * negative value) is the end of the input. Called on a thread of ntrun's as the program reads. */
typedef long (*ntrun_read_fn)(void *ctx, char *buf, size_t cap);

NTRUN_API ntrun_config *ntrun_config_new(void);   /* NULL when out of memory */
NTRUN_API void ntrun_config_free(ntrun_config *cfg);

/* The program's argv (argv[0] is what the program sees as its name; GetCommandLine is built
 * from these with Windows quoting). argc 0 restores the default. Copied. */
NTRUN_API ntrun_error ntrun_config_set_argv(ntrun_config *cfg, int argc, const char *const *argv);
/* NULL-terminated "NAME=value" strings; NULL: the host's environment at load time. Copied. */
NTRUN_API ntrun_error ntrun_config_set_env(ntrun_config *cfg, const char *const *envp);
/* The program's current directory (a Linux path); NULL: the host's at load time. A relative
 * program path given to ntrun_load is found from it. The process's working directory is never
 * changed: an in-process run has a current directory of its own (SetCurrentDirectory, _chdir
 * change that one), the host's threads keep theirs. */
NTRUN_API ntrun_error ntrun_config_set_cwd(ntrun_config *cfg, const char *dir);
/* Maps drive `letter` (A-Z, any case) to a Linux directory; NULL removes the mapping. */
NTRUN_API ntrun_error ntrun_config_set_drive(ntrun_config *cfg, char letter, const char *unix_dir);
/* System-call numbering foreign code sees: 10 (Windows 10 22H2) or 11 (Windows 11 24H2). */
NTRUN_API ntrun_error ntrun_config_set_windows_build(ntrun_config *cfg, int build);
/* How the program's own `syscall` instructions are caught (ntrun --sud=MODE). Without either
 * mechanism ntrun refuses to run the program (NTRUN_E_RUNTIME): its NT-numbered calls would
 * reach Linux. The seccomp filter, once installed, stays for the life of the host process and
 * sets no_new_privs on it. */
typedef enum ntrun_syscall_trap {
    NTRUN_TRAP_AUTO = 0,  /* Syscall User Dispatch (Linux >= 5.11), else the seccomp filter */
    NTRUN_TRAP_SUD = 1,   /* Syscall User Dispatch or nothing */
    NTRUN_TRAP_SECCOMP = 2, /* the seccomp filter, even where SUD works */
    /* SUD's inclusive mode (Linux >= 6.17): every foreign image and executable allocation is
     * placed in one address range (0x10000-0x400000000000), and only system calls made from it
     * are dispatched; native code's, the host's included, are never looked at, and memory the
     * program asks for at a fixed address outside it cannot be made executable
     * (STATUS_CONFLICTING_ADDRESSES). Where the kernel lacks the mode, or native code lies in
     * that range, a message says so (trace sink) and the run uses NTRUN_TRAP_AUTO. */
    NTRUN_TRAP_SUD_INCLUSIVE = 3,
} ntrun_syscall_trap;
NTRUN_API ntrun_error ntrun_config_set_syscall_trap(ntrun_config *cfg, ntrun_syscall_trap how);
/* A `syscall` site in the program's code that trapped once is rewritten, where that is safe, to
 * reach the NT call without a signal on later calls (ntrun_stats counts the sites). On by
 * default; off (ntrun --no-rewrite) for programs that checksum their own code. */
NTRUN_API ntrun_error ntrun_config_set_rewrite_syscalls(ntrun_config *cfg, bool on);
/* Foreign DLL search directories, colon-separated, searched after the program's directory and
 * the current directory. NULL clears. */
NTRUN_API ntrun_error ntrun_config_set_dll_path(ntrun_config *cfg, const char *dirs);
/* Refuse to start when an import is missing (the error lists them); default: such imports are
 * bound to a stub that reports the call and ends the program. */
NTRUN_API ntrun_error ntrun_config_set_strict(ntrun_config *cfg, bool strict);
/* Trace channels: comma-separated "loader", "nt", "sud", "time" (phase durations), "all"; NULL
 * or "" for none. */
NTRUN_API ntrun_error ntrun_config_set_trace(ntrun_config *cfg, const char *channels);
/* Where trace lines and the runtime's own messages (crash reports, unimplemented calls) go, one
 * line per call including its "\n"; default: the host's fd 2. Called on the thread that
 * produced the line (also inside signal handlers: do not take locks the host may hold). */
NTRUN_API ntrun_error ntrun_config_set_trace_sink(ntrun_config *cfg, ntrun_write_fn fn, void *ctx);
/* The program's standard handles. An fd (>= 0) is used as is (not closed); a callback gets the
 * output, or supplies the input, through a pipe. The last call for a stream wins. A stdin
 * callback is not called once the run is over, but a call in progress then is waited for:
 * it must not wait for input indefinitely. */
NTRUN_API ntrun_error ntrun_config_set_stdin_fd(ntrun_config *cfg, int fd);
NTRUN_API ntrun_error ntrun_config_set_stdin_callback(ntrun_config *cfg, ntrun_read_fn fn,
                                                      void *ctx);
NTRUN_API ntrun_error ntrun_config_set_stdout_fd(ntrun_config *cfg, int fd);
NTRUN_API ntrun_error ntrun_config_set_stderr_fd(ntrun_config *cfg, int fd);
NTRUN_API ntrun_error ntrun_config_set_stdout_callback(ntrun_config *cfg, ntrun_write_fn fn,
                                                       void *ctx);
NTRUN_API ntrun_error ntrun_config_set_stderr_callback(ntrun_config *cfg, ntrun_write_fn fn,
                                                       void *ctx);

/* ---- in-process runs ---- */
typedef struct ntrun_program ntrun_program;

/* Loads `path` (validates, maps, relocates, resolves imports, prepares TLS) with a copy of the
 * configuration. `path` is found as Wine finds a program: a Linux path, or a Windows one
 * ("C:\\Games\\game.exe" through the configured drives, "Z:\\..." is "/", looked up
 * case-insensitively), each also tried with ".exe" appended when its last component has no
 * extension. NTRUN_OK and *out, or an error with a message such as
 * "game.exe: import MSVCP140.dll!?foo is not implemented" or "game.exe: not a PE file". */
NTRUN_API ntrun_error ntrun_load(const ntrun_config *cfg, const char *path, ntrun_program **out);
/* Runs a loaded program to its end on the calling thread and releases everything it used.
 * *exit_code (may be NULL) is its full 32-bit exit code. A program runs once. */
NTRUN_API ntrun_error ntrun_run(ntrun_program *prog, uint32_t *exit_code);
/* Ends a program that ntrun_run is running on another thread (TerminateProcess): ntrun_run
 * returns with `exit_code`; like on Windows, nothing of the program runs any more (no atexit
 * handlers, no stdio flush, no DLL detach). The program's threads leave at once from its own
 * code, or at their next wait point inside a built-in: a wait, a sleep, or a blocking read
 * (a program waiting for its stdin is ended at once). Returns once ntrun_run has let go of the
 * program, or NTRUN_E_TIMEOUT after timeout_ms (-1: no limit) when the program is stuck inside
 * a long built-in call that has no wait point (it is stopped when it next waits or returns to
 * its own code). Called after ntrun_load and before ntrun_run started it (a watchdog that
 * fires early), the request is kept: ntrun_run then returns `exit_code` at once without
 * running the program, and this returns NTRUN_OK at once. NTRUN_E_STATE once the run is over.
 * Thread-safe with respect to ntrun_run. */
NTRUN_API ntrun_error ntrun_program_terminate(ntrun_program *prog, uint32_t exit_code,
                                              int timeout_ms);
/* Unloads (also a program that never ran). NULL is fine. */
NTRUN_API void ntrun_program_free(ntrun_program *prog);
/* ntrun_load + ntrun_run + ntrun_program_free; stats (may be NULL) as from ntrun_get_stats. */
struct ntrun_stats;
NTRUN_API ntrun_error ntrun_run_file(const ntrun_config *cfg, const char *path,
                                     uint32_t *exit_code, struct ntrun_stats *stats);

/* ---- how a run ended ---- */
typedef enum ntrun_end_reason {
    NTRUN_END_NONE = 0,           /* not ended yet (or never run) */
    NTRUN_END_EXITED = 1,         /* by itself: ExitProcess, a return from main, exit(), abort() */
    NTRUN_END_EXCEPTION = 2,      /* an unhandled exception (a crash): exception_code,
                                     exception_address, module + module_offset; a fault inside
                                     a built-in function names it in `function` */
    NTRUN_END_UNIMPLEMENTED = 3,  /* it called an import ntrun does not implement: `function`
                                     ("KERNEL32.dll!GetFooW"); exit code 0xC0000139 */
    NTRUN_END_TERMINATED = 4,     /* ended by the host: ntrun_program_terminate,
                                     ntrun_child_terminate */
    NTRUN_END_SIGNALED = 5,       /* child runs: the child process was killed by a Linux
                                     signal (`signal`; 9 for the OOM killer or kill -9) */
    NTRUN_END_TIMED_OUT = 6,      /* ended by the library when the time limit passed
                                     (ntrun_config_set_time_limit); exit code 0x102 */
    NTRUN_END_LOAD_FAILED = 7,    /* child runs: it never started; load_error says why */
    NTRUN_END_CLOSED = 8,         /* child runs: ended after ntrun_child_close (its console
                                     closed): by its CTRL_CLOSE_EVENT handling (0xC000013A from
                                     the default handler), before it started (0xC000013A), or
                                     killed after the grace period (0xC000013A) */
} ntrun_end_reason;

typedef struct ntrun_exit_info {
    uint32_t size;                /* set to sizeof(ntrun_exit_info) before the call */
    uint32_t reason;              /* ntrun_end_reason */
    uint32_t exit_code;           /* the full 32-bit exit code, whatever the reason */
    int32_t load_error;           /* NTRUN_END_LOAD_FAILED: the ntrun_error; else NTRUN_OK */
    uint32_t exception_code;      /* NTRUN_END_EXCEPTION: the NTSTATUS (0xC0000005, ...) */
    int32_t signal;               /* NTRUN_END_SIGNALED: the Linux signal number */
    uint64_t exception_address;   /* NTRUN_END_EXCEPTION: the faulting instruction, or for a
                                     fault inside a built-in the program's call of it */
    uint64_t module_offset;       /* exception_address - base of `module` */
    char module[64];              /* the module holding exception_address ("" if none) */
    char function[160];           /* "DLL!function" (see the reasons), else "" */
} ntrun_exit_info;

/* After ntrun_run (NTRUN_E_STATE before). Fills up to out->size bytes. */
NTRUN_API ntrun_error ntrun_get_exit_info(const ntrun_program *prog, ntrun_exit_info *out);
/* A fixed name for a reason: "exited", "exception", ... */
NTRUN_API const char *ntrun_end_reason_name(uint32_t reason);
/* Ends the run when it has run for `ms` milliseconds (0: no limit, the default), as
 * ntrun_program_terminate would with exit code 0x102 (WAIT_TIMEOUT); the reason is then
 * NTRUN_END_TIMED_OUT. In-process and child runs alike. */
NTRUN_API ntrun_error ntrun_config_set_time_limit(ntrun_config *cfg, uint32_t ms);

/* ---- statistics of a run ---- */
typedef struct ntrun_stats {
    uint32_t size;              /* set to sizeof(ntrun_stats) before the call */
    uint32_t threads;           /* threads the program ran, its main thread included */
    uint64_t nt_calls_trap;     /* NT calls made with a `syscall` instruction (the SIGSYS
                                   route, or a rewritten site: nt_calls_rewritten) */
    uint64_t nt_calls_thunk;    /* NT calls made through ntdll's exports (no trap) */
    uint64_t crossings;         /* foreign->native calls of built-in functions plus
                                   native->foreign calls (entry point, callbacks) */
    uint64_t wall_ns;           /* from the start of ntrun_run to the program's end */
    uint64_t peak_rss_bytes;    /* child runs: the child's peak resident set. In-process: the
                                   process-wide high-water mark (VmHWM) at the end of the run,
                                   which includes the host's own memory */
    uint64_t nt_calls_rewritten; /* the part of nt_calls_trap that went through a rewritten
                                    `syscall` site, without a signal (a rewritten stub
                                    `mov r10, rcx; mov eax, N; syscall; ret` becomes a jump to
                                    ntdll's export: its calls count in nt_calls_thunk) */
    uint32_t syscall_sites_rewritten; /* `syscall` sites rewritten after their first trap */
    uint32_t syscall_sites_kept;      /* sites left on the trap path (not safe to rewrite) */
    uint64_t nt_calls_builtin;  /* NT calls the built-in DLLs (kernel32, msvcrt, ...) made on
                                   the program's behalf: WriteFile's NtWriteFile, a heap's
                                   NtAllocateVirtualMemory. Not part of trap or thunk */
} ntrun_stats;
/* After ntrun_run. NTRUN_E_STATE before. */
NTRUN_API ntrun_error ntrun_get_stats(const ntrun_program *prog, ntrun_stats *out);

/* One NT call's counts. `name` is static ("NtWriteFile"). */
typedef struct ntrun_nt_call {
    const char *name;
    uint64_t trap;
    uint64_t thunk;
} ntrun_nt_call;
/* The NT calls the program made itself (nonzero trap or thunk count), most frequent first:
 * fills up to `max` entries and returns how many there are in total. */
NTRUN_API size_t ntrun_get_nt_calls(const ntrun_program *prog, ntrun_nt_call *out, size_t max);

/* One NT call's counts by route, the built-in DLLs' included. `name` is static. */
typedef struct ntrun_nt_call_counts {
    const char *name;
    uint64_t trap;      /* by the program, with `syscall` (as ntrun_nt_call.trap) */
    uint64_t thunk;     /* by the program, through ntdll's exports (as ntrun_nt_call.thunk) */
    uint64_t builtin;   /* by built-in DLL code on the program's behalf */
} ntrun_nt_call_counts;
/* Every NT call of the run (any nonzero count), most frequent (trap + thunk + builtin) first:
 * fills up to `max` entries and returns how many there are in total. After ntrun_run. */
NTRUN_API size_t ntrun_get_nt_call_counts(const ntrun_program *prog, ntrun_nt_call_counts *out,
                                          size_t max);

/* ---- events ----
 * A run's events for a launcher's UI, as typed records. The callback is called from a thread
 * the library owns, one call at a time per run: NTRUN_EVENT_DLL_LOADED for each DLL the
 * program's imports bring in while it loads (before STARTED) and each one it loads later
 * (LoadLibrary, during the run: then on the program's thread that loads it, so the callback
 * must not wait for the run), NTRUN_EVENT_STARTED once the program is loaded and starts
 * (before any of its output), NTRUN_EVENT_OUTPUT for each piece of output of a stream that has
 * an output callback (after that callback, with the same bytes), NTRUN_EVENT_EXITED once,
 * last, when the run has ended (also when it never started: a child whose program could not
 * be loaded). The record and what it points to are valid during the call only. In-process
 * runs and children alike (an in-process load's DLL events come on the thread in ntrun_load). */
typedef enum ntrun_event_type {
    NTRUN_EVENT_STARTED = 1,
    NTRUN_EVENT_OUTPUT = 2,
    NTRUN_EVENT_EXITED = 3,
    NTRUN_EVENT_DLL_LOADED = 4,
} ntrun_event_type;

/* NTRUN_EVENT_DLL_LOADED: one DLL that joined the program. A built-in DLL is reported once per
 * run; a DLL file each time it is mapped (again after a FreeLibrary that unloaded it). */
typedef struct ntrun_dll_info {
    uint32_t size;                /* sizeof(ntrun_dll_info) of the library */
    uint32_t builtin;             /* 1: one of ntrun's built-in DLLs; 0: a DLL file */
    uint64_t base;                /* where it is in the program's address space */
    uint64_t image_size;          /* its SizeOfImage */
    const char *name;             /* "kernel32.dll", "game_engine.dll" */
    const char *path;             /* a file's Linux path; "" for a built-in DLL */
} ntrun_dll_info;

typedef struct ntrun_event {
    uint32_t size;                /* sizeof(ntrun_event) of the library: check before reading
                                     fields added later */
    uint32_t type;                /* ntrun_event_type */
    int32_t pid;                  /* children: the child's Linux pid; in-process: 0 */
    int32_t stream;               /* NTRUN_EVENT_OUTPUT: 1 (stdout) or 2 (stderr) */
    const char *data;             /* NTRUN_EVENT_OUTPUT: the bytes (not NUL-terminated) */
    size_t len;
    const ntrun_exit_info *exit;  /* NTRUN_EVENT_EXITED: how it ended */
    const ntrun_dll_info *dll;    /* NTRUN_EVENT_DLL_LOADED (added in 0.2) */
} ntrun_event;

typedef void (*ntrun_event_fn)(void *ctx, const ntrun_event *event);
/* NULL: no events (the default). */
NTRUN_API ntrun_error ntrun_config_set_event_callback(ntrun_config *cfg, ntrun_event_fn fn,
                                                      void *ctx);

/* ---- asynchronous in-process runs ----
 * ntrun_program_start runs a loaded program on a thread of the library and returns at once;
 * ntrun_program_wait waits for its end (timeout_ms -1: forever, 0: poll) and gives its exit
 * code (then ntrun_get_exit_info, ntrun_get_stats work as after ntrun_run); NTRUN_E_TIMEOUT
 * while it runs. ntrun_program_fd is an fd for poll/epoll that becomes readable when the run
 * has ended (ntrun_program_wait then returns at once); it belongs to the program object.
 * ntrun_program_terminate works on a started program as on one in ntrun_run, also before the
 * program's own code runs. ntrun_program_free on a started program ends it first. */
NTRUN_API ntrun_error ntrun_program_start(ntrun_program *prog);
NTRUN_API ntrun_error ntrun_program_wait(ntrun_program *prog, int timeout_ms,
                                         uint32_t *exit_code);
NTRUN_API int ntrun_program_fd(const ntrun_program *prog);

/* ---- child-process runs ----
 * The child is a fresh process: the `ntrun` command in its child mode, started with
 * posix_spawn ($NTRUN_EXE when set, else the ntrun installed with this libntrun, found from
 * the library's own directory (<libdir>/../bin/ntrun), else the install prefix's bin/ntrun;
 * looked up at the first spawn). It gets the configured
 * environment and working directory (the launcher's own stay as they are), the program's
 * standard handles, and a socket to the launcher; no other fd of the launcher and none of its
 * memory. It dies with the launcher (PR_SET_PDEATHSIG and the socket's end). Children may be
 * spawned from several threads at once and while an in-process program is loaded or running.
 * Output and stdin callbacks, the trace sink (crash reports) and events run in the launcher.
 * Load errors come back from ntrun_child_wait with their code and message. */
typedef struct ntrun_child ntrun_child;
NTRUN_API ntrun_error ntrun_spawn(const ntrun_config *cfg, const char *path, ntrun_child **out);
/* Linux pid of the child. */
NTRUN_API int ntrun_child_pid(const ntrun_child *child);
/* Waits up to timeout_ms (-1: forever, 0: poll). NTRUN_OK with *exit_code (the full 32-bit
 * code), NTRUN_E_TIMEOUT while it runs, or the child's load error (code and message). */
NTRUN_API ntrun_error ntrun_child_wait(ntrun_child *child, int timeout_ms, uint32_t *exit_code);
/* An fd for poll/epoll that becomes readable when the child has ended and its output has been
 * delivered (ntrun_child_wait then returns at once). It belongs to the child object. */
NTRUN_API int ntrun_child_fd(const ntrun_child *child);
/* Ends the child (TerminateProcess): asks its runtime to end the program with `exit_code` at
 * once (as ntrun_program_terminate does: a program blocked in a read or a wait ends now; one
 * still being loaded does not start); if the child has not ended after the grace period
 * (ntrun_config_set_terminate_grace) it is killed (SIGKILL). Returns at once; the reason is
 * NTRUN_END_TERMINATED either way. */
NTRUN_API ntrun_error ntrun_child_terminate(ntrun_child *child, uint32_t exit_code);
/* Closes the child's console as Windows does when its window is closed: CTRL_CLOSE_EVENT is
 * delivered to the program's console control handlers (SetConsoleCtrlHandler), which may clean
 * up; the default handler ends it with 0xC000013A (STATUS_CONTROL_C_EXIT). Windows gives the
 * handlers 5 seconds; the child is killed when it is still there the grace period after that.
 * A child still loading its program does not start it (exit code 0xC000013A). The reason is
 * NTRUN_END_CLOSED unless the program crashed first, or ntrun_child_terminate came first.
 * Returns at once. */
NTRUN_API ntrun_error ntrun_child_close(ntrun_child *child);
/* How long a child may take to end after ntrun_child_terminate (or the 5 s of
 * ntrun_child_close) before it is killed; default 2000 ms. */
NTRUN_API ntrun_error ntrun_config_set_terminate_grace(ntrun_config *cfg, uint32_t ms);
/* After a successful wait: the child's statistics. peak_rss_bytes is the child's own
 * high-water mark (0 when it was killed before reporting). */
NTRUN_API ntrun_error ntrun_child_stats(const ntrun_child *child, ntrun_stats *out);
/* After a successful wait: the child's NT calls by name, as ntrun_get_nt_call_counts (none
 * when it was killed before reporting). */
NTRUN_API size_t ntrun_child_nt_call_counts(const ntrun_child *child, ntrun_nt_call_counts *out,
                                            size_t max);
/* After a successful or failed wait: how the child's run ended (also NTRUN_END_LOAD_FAILED
 * with its load_error, NTRUN_END_SIGNALED). NTRUN_E_STATE before. */
NTRUN_API ntrun_error ntrun_child_exit_info(const ntrun_child *child, ntrun_exit_info *out);
/* Kills the child if it still runs, reaps it, frees the object. NULL is fine. */
NTRUN_API void ntrun_child_free(ntrun_child *child);

#ifdef __cplusplus
}
#endif
#endif
