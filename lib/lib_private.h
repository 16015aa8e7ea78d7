/* SPDX-License-Identifier: MIT */
/* Private to lib/ (libntrun's implementation of include/ntrun.h). */
#ifndef NTRUN_LIB_PRIVATE_H
#define NTRUN_LIB_PRIVATE_H

#include <pthread.h>
#include <stdarg.h>
#include "ntrun.h"

/* One standard stream's destination: a callback (through a pipe and a pump thread), an fd, or
 * the default (the host's fd 0, 1 or 2). */
typedef struct lib_sink {
    int fd;              /* -1: not set */
    ntrun_write_fn fn;   /* NULL: not set (stdout, stderr) */
    ntrun_read_fn rfn;   /* NULL: not set (stdin) */
    void *ctx;
} lib_sink;

struct ntrun_config {
    int argc;            /* 0: { program path } */
    char **argv;
    bool env_set;
    char **envp;         /* NULL-terminated copy; NULL with env_set: empty */
    char *cwd;
    bool drive_set[26];
    char *drive[26];     /* NULL with drive_set: remove */
    int windows_build;
    int syscall_trap;    /* ntrun_syscall_trap */
    bool no_rewrite;     /* keep every foreign `syscall` on the trap path */
    char *dll_path;
    bool strict;
    uint32_t time_limit_ms; /* 0: none */
    uint32_t trace_mask;
    ntrun_write_fn trace_fn;
    void *trace_ctx;
    lib_sink std[3];
    uint32_t terminate_grace_ms; /* children: kill this long after a stop request */
    ntrun_event_fn event_fn;
    void *event_ctx;
};

/* A run's events callback: one call at a time per run (the lock), "started" before the first
 * "output" whichever thread sees the program first. */
typedef struct lib_events {
    ntrun_event_fn fn;
    void *ctx;
    int pid;              /* children: the child's pid; in-process runs: 0 */
    bool started;         /* NTRUN_EVENT_STARTED delivered */
    /* Children: output events wait for STARTED, which the monitor reads from the socket after
     * the DLL events, while the output comes through the pumps' pipes: without the wait a
     * pump could report output (and so STARTED) before DLLs the child loaded first. Opened
     * when the socket is done, so output of a child that never starts is still reported. */
    bool gated, gate_open;
    pthread_cond_t cond;
    pthread_mutex_t lock;
    /* NTRUN_EVENT_DLL_LOADED: the built-ins reported (LIB_BUILTINS_SEEN of them), made at the
     * first: 2 KB that a run without an event callback never writes. */
    char (*builtins_seen)[32];
    size_t nbuiltins_seen;
} lib_events;
void lib_events_init(lib_events *ev, ntrun_event_fn fn, void *ctx);
void lib_events_destroy(lib_events *ev);
/* Children: output events wait (up to 5 s) for STARTED; lib_events_open_gate ends the wait. */
void lib_events_gate(lib_events *ev);
void lib_events_open_gate(lib_events *ev);
/* NTRUN_EVENT_STARTED (once), NTRUN_EVENT_OUTPUT (after STARTED), NTRUN_EVENT_EXITED. */
void lib_event_started(lib_events *ev);
void lib_event_output(lib_events *ev, int stream, const char *data, size_t len);
void lib_event_exited(lib_events *ev, const ntrun_exit_info *exit);
/* NTRUN_EVENT_DLL_LOADED; path NULL or "" for a built-in (reported once per run: the name is
 * compared without case). */
void lib_event_dll(lib_events *ev, const char *name, const char *path, uint64_t base,
                   uint64_t size);

/* A pipe whose read end a thread drains into a callback (stdout/stderr callbacks), or whose
 * write end a thread fills from one (stdin: a "feed", rfn set, the program reads rfd). */
typedef struct lib_pump {
    int rfd, wfd, stopfd;
    ntrun_write_fn fn;
    ntrun_read_fn rfn;
    _Atomic bool stopping; /* feed: the run is over, call rfn no more */
    void *ctx;
    pthread_t thread;
    bool running;
    lib_events *events;   /* output pumps: NTRUN_EVENT_OUTPUT of `stream` after fn */
    int stream;
    /* Line mode (a child's trace lines for the host's trace sink): fn gets one whole line per
     * call, as the sink's contract says; a line longer than the buffer is cut. */
    bool lines;
    size_t linelen;
    char *line; /* LIB_PUMP_LINE bytes, made by lib_pump_start_lines, freed by lib_pump_stop */
} lib_pump;
/* A line pump's buffer, and the built-in names an event sink is told of. Not in the structs:
 * a start of the ntrun command zeroed 8 KB of them in ntrun_program (docs/performance.md,
 * issue 12, twenty-fourth pass). */
enum { LIB_PUMP_LINE = 2048, LIB_BUILTINS_SEEN = 64 };
/* Creates the pipe and starts the thread. NTRUN_OK or NTRUN_E_SYSTEM (message set). */
ntrun_error lib_pump_start(lib_pump *p, ntrun_write_fn fn, void *ctx);
/* The same in line mode. */
ntrun_error lib_pump_start_lines(lib_pump *p, ntrun_write_fn fn, void *ctx);
/* Closes the write end (if still open), lets the thread deliver what is in the pipe, joins it,
 * closes the rest. Safe on a pump that never started. */
void lib_pump_stop(lib_pump *p);
/* Closes the program's end (the write end of an output pump, the read end of a feed): after a
 * spawn, the parent's copy. */
void lib_pump_close_write(lib_pump *p);
/* A feed: the pipe, and the thread that writes what fn returns into it until fn reports the
 * end (then it closes the write end: the program sees end of file). The program's end is rfd.
 * lib_pump_stop closes rfd first (a blocked write fails), waits for a call of fn in progress,
 * joins. NTRUN_OK or NTRUN_E_SYSTEM. */
ntrun_error lib_feed_start(lib_pump *p, ntrun_read_fn fn, void *ctx);

/* Per-thread error message; returns code. */
ntrun_error lib_fail(ntrun_error code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lib_clear_error(void);
/* The first checks of ntrun_load and ntrun_spawn: clears the thread's error; then out (the
 * caller's result pointer, which the caller sets to NULL whenever it is given), cfg and a path
 * that is not empty must be given. NTRUN_OK, or NTRUN_E_INVALID_ARGUMENT with the message
 * naming the first that is missing. */
ntrun_error lib_check_start(const ntrun_config *cfg, const char *path, const void *out);

/* Deep copy of a configuration (NULL when out of memory). */
ntrun_config *lib_config_copy(const ntrun_config *src);

/* WAIT_TIMEOUT: the exit code of a run ended by its time limit. */
#define LIB_TIMEOUT_EXIT_CODE 0x102u

/* Fills out (up to its size field) from a complete record. */
ntrun_error lib_copy_exit_info(const ntrun_exit_info *from, ntrun_exit_info *out);

/* Is an in-process program loaded (ntrun_load .. ntrun_program_free)? */
bool lib_busy(void);

/* Peak resident set of this process (VmHWM), bytes; 0 if unknown. */
uint64_t lib_peak_rss(void);
/* The same for this address space only (VmHWM of /proc/self/status): after an exec, without
 * the high-water mark of the image the process had before (getrusage keeps that one). */
uint64_t lib_peak_rss_own(void);

uint64_t lib_now_ns(void); /* CLOCK_MONOTONIC */
/* CLOCK_MONOTONIC, `ms` from now: a deadline for a condition variable on that clock. */
struct timespec lib_deadline(uint32_t ms);
/* Takes `lock`, waits on `cond` (a CLOCK_MONOTONIC one) until *flag or timeout_ms has passed
 * (-1: no limit, 0: only looks), releases it; returns *flag. ntrun_program_wait and
 * ntrun_child_wait. */
bool lib_wait_flag(pthread_mutex_t *lock, pthread_cond_t *cond, const bool *flag,
                   int timeout_ms);

/* NT-call counts by name (lib/run.c): most frequent first; the API's copy-out. */
void lib_sort_nt_call_counts(ntrun_nt_call_counts *v, size_t n);
size_t lib_copy_nt_call_counts(const ntrun_nt_call_counts *v, size_t n,
                               ntrun_nt_call_counts *out, size_t max);

/* ---- child runs: the helper protocol (lib/child.c, parent; lib/child_main.c, child) ----
 * A child is the `ntrun` command in its child mode, started with posix_spawn:
 *   ntrun --libntrun-child VERSION PARENT_PID [options] -- PATH ARGV0 ARGV1 ...
 * with the configured environment and working directory, the program's standard handles as
 * fds 0, 1 and 2, and fd 3 a SOCK_SEQPACKET socket to the launcher; nothing else is inherited.
 * Each packet starts with a uint32_t type. */
#define LIB_CHILD_PROTOCOL 1
#define LIB_CHILD_MODE "--libntrun-child"
#define LIB_CHILD_SOCK_FD 3
enum lib_msg {
    LIB_MSG_STARTED = 1,   /* child -> launcher: loaded, the program starts now */
    LIB_MSG_TRACE = 2,     /* child -> launcher: one trace line (text follows) */
    LIB_MSG_REPORT = 3,    /* child -> launcher: lib_child_report, the last packet */
    LIB_MSG_TERMINATE = 4, /* launcher -> child: TerminateProcess(uint32_t exit code) */
    LIB_MSG_NT_CALLS = 5,  /* child -> launcher: lib_msg_nt_calls, before the report */
    LIB_MSG_DLL = 6,       /* child -> launcher: lib_msg_dll, a DLL loaded */
    LIB_MSG_CLOSE = 7,     /* launcher -> child: CTRL_CLOSE_EVENT (uint32_t type only) */
};
#define LIB_CLOSE_EXIT_CODE 0xC000013Au /* STATUS_CONTROL_C_EXIT */
typedef struct lib_msg_dll {
    uint32_t type;           /* LIB_MSG_DLL */
    uint32_t builtin;
    uint64_t base, size;
    char name[256];
    char path[2048];
} lib_msg_dll;
/* Some of the run's NT-call counts by name (several packets when there are many). */
#define LIB_NT_CALLS_PER_MSG 32
typedef struct lib_msg_nt_call {
    char name[56];           /* "NtWriteFile" */
    uint64_t trap, thunk, builtin;
} lib_msg_nt_call;
typedef struct lib_msg_nt_calls {
    uint32_t type;           /* LIB_MSG_NT_CALLS */
    uint32_t count;          /* entries used */
    lib_msg_nt_call calls[LIB_NT_CALLS_PER_MSG];
} lib_msg_nt_calls;
typedef struct lib_child_report {
    uint32_t type;           /* LIB_MSG_REPORT */
    int32_t error;           /* ntrun_error of the load or run */
    uint32_t exit_code;
    ntrun_stats stats;
    ntrun_exit_info exit;
    char message[1024];
} lib_child_report;
typedef struct lib_msg_terminate {
    uint32_t type;           /* LIB_MSG_TERMINATE */
    uint32_t exit_code;
} lib_msg_terminate;
/* The ntrun helper binary children run in (lib/child.c: $NTRUN_EXE, next to the library, the
 * install prefix's), NULL when there is none. */
const char *lib_helper(void);
/* The ntrun command: this process runs one program and ends (tools/ntrun.c calls it first).
 * ntrun's signal handlers then stay in from the load to the end (an embedding program gets its
 * own back between load and run, and after), and the end of a run does only what is seen
 * outside the process (nt_process_teardown_at_exit): no unmapping or freeing that exit does
 * anyway. In-process runs of libntrun never set it, and always tear down fully. */
void lib_set_one_run_process(void);
/* The ntrun command has parsed its options and loads a program next: start-up's pages are made
 * present now (rt_populate_startup), one call for many faults. Not for --version, --help or a
 * usage error, which touch few of those pages (docs/performance.md, twenty-first pass). */
void lib_cli_program_ahead(void);
/* The ntrun command started for a program's CreateProcess child (ntemu/process.c): ntrun's
 * messages and trace lines go to the fd named by NTRUN_CHILD_MESSAGE_FD, where the parent's go,
 * not to fd 2 (the program's stderr, which its parent may be reading). Returns the fd for the
 * command's own messages: that one, or 2. */
int lib_cli_message_fd(void);

/* The child mode's main (tools/ntrun.c calls it when argv[1] is LIB_CHILD_MODE). */
int lib_child_main(int argc, char **argv);

#endif
