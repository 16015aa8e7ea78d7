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
    char *dll_path;
    bool strict;
    uint32_t time_limit_ms; /* 0: none */
    uint32_t trace_mask;
    ntrun_write_fn trace_fn;
    void *trace_ctx;
    lib_sink std[3];
};

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
    /* Line mode (a child's trace lines for the host's trace sink): fn gets one whole line per
     * call, as the sink's contract says; a line longer than the buffer is cut. */
    bool lines;
    size_t linelen;
    char line[2048];
} lib_pump;
/* Creates the pipe and starts the thread. NTRUN_OK or NTRUN_E_SYSTEM (message set). */
ntrun_error lib_pump_start(lib_pump *p, ntrun_write_fn fn, void *ctx);
/* The same in line mode. */
ntrun_error lib_pump_start_lines(lib_pump *p, ntrun_write_fn fn, void *ctx);
/* A trace sink that writes each line to the fd in ctx ((void *)(intptr_t)fd), with one
 * write(2): async-signal-safe, for a child whose lines a line pump forwards. */
void lib_fd_line_sink(void *ctx, const char *line, size_t len);
/* Closes the write end (if still open), lets the thread deliver what is in the pipe, joins it,
 * closes the rest. Safe on a pump that never started. */
void lib_pump_stop(lib_pump *p);
/* Closes the program's end (the write end of an output pump, the read end of a feed): after a
 * fork, the parent's copy. */
void lib_pump_close_write(lib_pump *p);
/* A feed: the pipe, and the thread that writes what fn returns into it until fn reports the
 * end (then it closes the write end: the program sees end of file). The program's end is rfd.
 * lib_pump_stop closes rfd first (a blocked write fails), waits for a call of fn in progress,
 * joins. NTRUN_OK or NTRUN_E_SYSTEM. */
ntrun_error lib_feed_start(lib_pump *p, ntrun_read_fn fn, void *ctx);
/* The same in two steps, for a fork between them: the thread must not run (and close its write
 * end, whose number may be reused) while the child's copy of the table is taken. */
ntrun_error lib_feed_pipe(lib_pump *p, ntrun_read_fn fn, void *ctx);
ntrun_error lib_feed_run(lib_pump *p);
/* Around ntrun_spawn's fork: the child closes every feed's write end (its own run's included:
 * the parent's thread feeds it), so no child keeps another run's input from ending. */
void lib_fork_prepare(void);
void lib_fork_parent(void);
void lib_fork_child(void);

/* Per-thread error message; returns code. */
ntrun_error lib_fail(ntrun_error code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lib_clear_error(void);

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

#endif
