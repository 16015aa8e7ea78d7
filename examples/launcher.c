/* SPDX-License-Identifier: MIT */
/* launcher: a small game launcher on top of libntrun (include/ntrun.h).
 *
 *   launcher DIR            lists the .exe files of DIR
 *   launcher DIR NAME.exe [TIMEOUT_MS]
 *                           runs DIR/NAME.exe in-process with its output captured, shows its
 *                           events, then prints its exit code, how it ended and statistics;
 *                           the launcher keeps running whatever the program does (ExitProcess,
 *                           a crash); its event loop (poll on the run's fd) ends the program
 *                           after TIMEOUT_MS.
 *   launcher --child DIR NAME.exe [TIMEOUT_MS]
 *                           the same in a child process (asked to stop after TIMEOUT_MS, killed
 *                           if it does not within the grace period).
 *
 * Build against the installed library:
 *   cc launcher.c $(pkg-config --cflags --libs ntrun) -o launcher */
#include <dirent.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ntrun.h"

/* Output sink: the launcher shows each line of the program's output with a prefix. Called on a
 * library thread, one call at a time per stream. */
typedef struct console {
    const char *prefix;
    int at_line_start;
} console;

static void show_output(void *ctx, const char *data, size_t len)
{
    console *c = ctx;
    for (size_t i = 0; i < len; i++) {
        if (c->at_line_start)
            fputs(c->prefix, stdout);
        c->at_line_start = data[i] == '\n';
        if (data[i] != '\r')
            putchar(data[i]);
    }
    fflush(stdout);
}

static int list_programs(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return 1;
    }
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcasecmp(e->d_name + len - 4, ".exe") == 0) {
            printf("  %s\n", e->d_name);
            n++;
        }
    }
    closedir(d);
    printf("%d program(s) in %s\n", n, dir);
    return 0;
}

/* Events: the launcher's status line. Called on a library thread, one call at a time. */
static void show_event(void *ctx, const ntrun_event *ev)
{
    (void)ctx;
    if (ev->type == NTRUN_EVENT_STARTED && ev->pid)
        printf("-- started (child process %d)\n", ev->pid);
    else if (ev->type == NTRUN_EVENT_STARTED)
        printf("-- started (in this process)\n");
    else if (ev->type == NTRUN_EVENT_EXITED)
        printf("-- ended: %s\n", ntrun_end_reason_name(ev->exit->reason));
    else if (ev->type == NTRUN_EVENT_DLL_LOADED)
        printf("-- loaded %s (%s) at 0x%llx\n", ev->dll->name,
               ev->dll->builtin ? "built-in" : ev->dll->path, (unsigned long long)ev->dll->base);
    fflush(stdout);
}

/* The launcher's event loop: poll the run's fd (a real launcher adds its UI's fds), stop the
 * program when the time is up. No watchdog thread: the stop is issued from the loop, and a
 * stop that comes before the program has started is kept. */
static void wait_in_loop(int fd, int timeout_ms, void (*stop)(void *), void *what)
{
    struct pollfd pfd = {fd, POLLIN, 0};
    if (poll(&pfd, 1, timeout_ms) == 1)
        return; /* ended */
    printf("still running after %d ms: stopping it\n", timeout_ms);
    stop(what);
    poll(&pfd, 1, -1);
}

static void stop_program(void *prog) { ntrun_program_terminate(prog, 1, 0); }
static void stop_child(void *child) { ntrun_child_terminate(child, 1); }

static void print_exit(const char *name, uint32_t code, const ntrun_exit_info *x)
{
    printf("%s exited with code %u (0x%08X): %s", name, code, code,
           ntrun_end_reason_name(x->reason));
    if (x->reason == NTRUN_END_EXCEPTION)
        printf(" 0x%08X at %s+0x%llx", x->exception_code, x->module[0] ? x->module : "?",
               (unsigned long long)x->module_offset);
    if (x->function[0])
        printf(" in %s", x->function);
    printf("\n");
}

/* The most frequent NT calls, whoever made them (the program or the built-in DLLs for it). */
static void print_calls(const ntrun_nt_call_counts *calls, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("  %-24s %llu by trap, %llu by thunk, %llu by built-ins\n", calls[i].name,
               (unsigned long long)calls[i].trap, (unsigned long long)calls[i].thunk,
               (unsigned long long)calls[i].builtin);
}

static void print_stats(const ntrun_stats *st)
{
    printf("  wall time      %.3f ms\n", st->wall_ns / 1e6);
    printf("  threads        %u\n", st->threads);
    printf("  NT calls       %llu by trap, %llu by thunk, %llu by built-ins\n",
           (unsigned long long)st->nt_calls_trap, (unsigned long long)st->nt_calls_thunk,
           (unsigned long long)st->nt_calls_builtin);
    printf("  crossings      %llu\n", (unsigned long long)st->crossings);
    printf("  peak memory    %llu KiB\n", (unsigned long long)(st->peak_rss_bytes / 1024));
}

int main(int argc, char **argv)
{
    int child = argc > 1 && strcmp(argv[1], "--child") == 0;
    if (argc < 2 + child) {
        fprintf(stderr, "usage: %s [--child] DIR [NAME.exe [TIMEOUT_MS]]\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1 + child];
    printf("libntrun %s\n", ntrun_version());
    if (argc < 3 + child)
        return list_programs(dir);

    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, argv[2 + child]);
    console out = {"[stdout] ", 1}, err = {"[stderr] ", 1};
    ntrun_config *cfg = ntrun_config_new();
    const char *args[] = {argv[2 + child], "from", "the launcher"};
    ntrun_config_set_argv(cfg, 3, args);
    ntrun_config_set_stdout_callback(cfg, show_output, &out);
    ntrun_config_set_stderr_callback(cfg, show_output, &err);
    ntrun_config_set_trace_sink(cfg, show_output, &err); /* crash reports too */

    ntrun_config_set_event_callback(cfg, show_event, NULL);

    uint32_t code = 0;
    ntrun_stats st = {.size = sizeof st};
    ntrun_exit_info x = {.size = sizeof x};
    ntrun_nt_call_counts calls[5];
    size_t ncalls = 0;
    ntrun_error e;
    int timeout = argc > 3 + child ? atoi(argv[3 + child]) : 10000;
    if (child) {
        ntrun_child *c;
        e = ntrun_spawn(cfg, path, &c);
        if (e == NTRUN_OK) {
            wait_in_loop(ntrun_child_fd(c), timeout, stop_child, c);
            e = ntrun_child_wait(c, 0, &code);
            ntrun_child_exit_info(c, &x);
            ntrun_child_stats(c, &st);
            ncalls = ntrun_child_nt_call_counts(c, calls, 5);
            ntrun_child_free(c);
        }
    } else {
        ntrun_program *prog;
        e = ntrun_load(cfg, path, &prog);
        if (e == NTRUN_OK) {
            e = ntrun_program_start(prog);
            if (e == NTRUN_OK) {
                wait_in_loop(ntrun_program_fd(prog), timeout, stop_program, prog);
                e = ntrun_program_wait(prog, -1, &code);
            }
            if (e == NTRUN_OK) {
                ntrun_get_exit_info(prog, &x);
                ntrun_get_stats(prog, &st);
                ncalls = ntrun_get_nt_call_counts(prog, calls, 5);
            }
            ntrun_program_free(prog);
        }
    }
    ntrun_config_free(cfg);
    if (e != NTRUN_OK) {
        printf("cannot run %s: %s (%s)\n", argv[2 + child], ntrun_error_message(),
               ntrun_error_name(e));
        return 1;
    }
    print_exit(argv[2 + child], code, &x);
    print_calls(calls, ncalls < 5 ? ncalls : 5);
    print_stats(&st);
    return 0;
}
