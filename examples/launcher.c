/* launcher: a small game launcher on top of libntrun (include/ntrun.h).
 *
 *   launcher DIR            lists the .exe files of DIR
 *   launcher DIR NAME.exe   runs DIR/NAME.exe in-process with its output captured, then prints
 *                           its exit code and statistics; the launcher keeps running whatever
 *                           the program does (ExitProcess, a crash).
 *   launcher --child DIR NAME.exe [TIMEOUT_MS]
 *                           the same in a child process, terminated after TIMEOUT_MS.
 *
 * Build against the installed library:
 *   cc launcher.c $(pkg-config --cflags --libs ntrun) -o launcher */
#include <dirent.h>
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
    if (child) {
        ntrun_child *c;
        int timeout = argc > 3 + child ? atoi(argv[3 + child]) : 10000;
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
        e = ntrun_run_file(cfg, path, &code, &st);
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
