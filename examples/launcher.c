/* SPDX-License-Identifier: MIT */
/* launcher: a small game launcher on top of libntrun (include/ntrun.h).
 *
 *   launcher DIR            lists the .exe files of DIR
 *   launcher DIR NAME.exe [TIMEOUT_MS]
 *                           runs DIR/NAME.exe in-process with its output captured, then prints
 *                           its exit code and statistics; the launcher keeps running whatever
 *                           the program does (ExitProcess, a crash), and a watchdog thread ends
 *                           it after TIMEOUT_MS.
 *   launcher --child DIR NAME.exe [TIMEOUT_MS]
 *                           the same in a child process, terminated after TIMEOUT_MS.
 *
 * Build against the installed library:
 *   cc launcher.c $(pkg-config --cflags --libs ntrun) -lpthread -o launcher */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
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

/* In-process watchdog: TerminateProcess after a timeout, from another thread. */
typedef struct watchdog {
    ntrun_program *prog;
    int timeout_ms;
    pthread_mutex_t lock;
    pthread_cond_t done_cond;
    int done;
} watchdog;

static void *watchdog_main(void *arg)
{
    watchdog *w = arg;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += w->timeout_ms / 1000;
    until.tv_nsec += (long)(w->timeout_ms % 1000) * 1000000;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&w->lock);
    int r = 0;
    while (!w->done && r == 0)
        r = pthread_cond_timedwait(&w->done_cond, &w->lock, &until);
    int expired = !w->done;
    pthread_mutex_unlock(&w->lock);
    if (expired) {
        printf("still running after %d ms: terminating it\n", w->timeout_ms);
        ntrun_program_terminate(w->prog, 1, -1);
    }
    return NULL;
}

static ntrun_error run_in_process(ntrun_config *cfg, const char *path, int timeout_ms,
                                  uint32_t *code, ntrun_stats *st)
{
    ntrun_program *prog;
    ntrun_error e = ntrun_load(cfg, path, &prog);
    if (e != NTRUN_OK)
        return e;
    watchdog w = {prog, timeout_ms, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
    pthread_t th;
    pthread_create(&th, NULL, watchdog_main, &w);
    e = ntrun_run(prog, code);
    pthread_mutex_lock(&w.lock);
    w.done = 1;
    pthread_cond_signal(&w.done_cond);
    pthread_mutex_unlock(&w.lock);
    pthread_join(th, NULL);
    if (e == NTRUN_OK) {
        ntrun_get_stats(prog, st);
        ntrun_nt_call calls[5];
        size_t n = ntrun_get_nt_calls(prog, calls, 5);
        for (size_t i = 0; i < n && i < 5; i++)
            printf("  %-24s %llu by trap, %llu by thunk\n", calls[i].name,
                   (unsigned long long)calls[i].trap, (unsigned long long)calls[i].thunk);
    }
    ntrun_program_free(prog);
    return e;
}

static void print_stats(const ntrun_stats *st)
{
    printf("  wall time      %.3f ms\n", st->wall_ns / 1e6);
    printf("  threads        %u\n", st->threads);
    printf("  NT calls       %llu by trap, %llu by thunk\n",
           (unsigned long long)st->nt_calls_trap, (unsigned long long)st->nt_calls_thunk);
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

    uint32_t code = 0;
    ntrun_stats st = {.size = sizeof st};
    ntrun_error e;
    int timeout = argc > 3 + child ? atoi(argv[3 + child]) : 10000;
    if (child) {
        ntrun_child *c;
        e = ntrun_spawn(cfg, path, &c);
        if (e == NTRUN_OK) {
            e = ntrun_child_wait(c, timeout, &code);
            if (e == NTRUN_E_TIMEOUT) {
                printf("still running after %d ms: terminating it\n", timeout);
                ntrun_child_terminate(c, 1);
                e = ntrun_child_wait(c, -1, &code);
            }
            ntrun_child_stats(c, &st);
            ntrun_child_free(c);
        }
    } else {
        e = run_in_process(cfg, path, timeout, &code, &st);
    }
    ntrun_config_free(cfg);
    if (e != NTRUN_OK) {
        printf("cannot run %s: %s (%s)\n", argv[2 + child], ntrun_error_message(),
               ntrun_error_name(e));
        return 1;
    }
    printf("%s exited with code %u (0x%08X)\n", argv[2 + child], code, code);
    print_stats(&st);
    return 0;
}
