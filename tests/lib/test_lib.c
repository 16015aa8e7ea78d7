/* libntrun (include/ntrun.h), linked against libntrun.so: repeated in-process runs with a
 * stable fd count and memory, output captured by callback, ExitProcess(42), an unhandled
 * crash, spawn with wait/terminate, load errors (missing file, garbage, missing DLL) that
 * leave the host untouched, the host's SIGINT/SIGSEGV handlers identical after a run, one
 * in-process run at a time, the per-run statistics, and programs whose TLS callback or .CRT
 * initializer is not an address (their access violation, not the host's end), and GetProcAddress
 * on the built-in DLLs over 100 runs and in a child spawned after them. Children as fresh
 * processes: their own peak RSS and fds, dying with the launcher, spawned while an in-process
 * program runs and from two threads at once, stopped while blocked in a read (terminate) or
 * through CTRL_CLOSE_EVENT (close); asynchronous runs polled on their fd, and the events; the
 * run's drive mappings as its programs' own children see them. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ntrun.h"

#define PE(name) NTRUN_TEST_PE_DIR "/" name

typedef struct capture {
    char buf[65536];
    size_t len;
} capture;

static void cap_write(void *ctx, const char *data, size_t n)
{
    capture *c = ctx;
    if (n > sizeof c->buf - 1 - c->len)
        n = sizeof c->buf - 1 - c->len;
    memcpy(c->buf + c->len, data, n);
    c->len += n;
    c->buf[c->len] = 0;
}

static int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    return n - 1; /* the directory stream's own fd */
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, rss = 0;
    cr_assert(f);
    cr_assert_eq(fscanf(f, "%ld %ld", &pages, &rss), 2);
    fclose(f);
    return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

/* A run with stdout and stderr captured; returns the exit code. */
static uint32_t run_captured(const char *exe, capture *out, capture *err, ntrun_stats *stats)
{
    ntrun_config *cfg = ntrun_config_new();
    cr_assert(cfg);
    ntrun_config_set_stdout_callback(cfg, cap_write, out);
    ntrun_config_set_stderr_callback(cfg, cap_write, err);
    const char *argv[] = {"prog.exe", "one", "two"};
    ntrun_config_set_argv(cfg, 3, argv);
    uint32_t code = 0xdeadbeef;
    ntrun_error e = ntrun_run_file(cfg, exe, &code, stats);
    cr_assert_eq(e, NTRUN_OK, "%s: %s", ntrun_error_name(e), ntrun_error_message());
    ntrun_config_free(cfg);
    return code;
}

Test(lib, version_matches_the_header)
{
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", NTRUN_VERSION_MAJOR, NTRUN_VERSION_MINOR,
             NTRUN_VERSION_PATCH);
    cr_assert_str_eq(ntrun_version(), want);
}

/* msvcrt's stream pool is per run: fopen_many.exe (eight streams open at once, two of them
 * still open at exit) prints the same at each of three runs in one process, each in a
 * directory of its own (crt_stdio_reset walks the pool up to the slots ever handed out and
 * starts it over), and the two streams left open were flushed at each exit. */
Test(lib, fopen_streams_are_per_run)
{
    const char *want = "pool0.txt: stream 0\r\npool1.txt: stream 1\r\npool2.txt: stream 2\r\n"
                       "pool3.txt: stream 3\r\npool4.txt: stream 4\r\npool5.txt: stream 5\r\n"
                       "two left open\r\n";
    for (int i = 0; i < 3; i++) {
        char dir[] = "/tmp/ntrun-pool-XXXXXX";
        cr_assert(mkdtemp(dir));
        static capture out;
        out.len = 0;
        out.buf[0] = 0;
        ntrun_config *cfg = ntrun_config_new();
        ntrun_config_set_stdout_callback(cfg, cap_write, &out);
        ntrun_config_set_cwd(cfg, dir);
        uint32_t code = 0xdeadbeef;
        ntrun_error e = ntrun_run_file(cfg, PE("fopen_many.exe"), &code, NULL);
        ntrun_config_free(cfg);
        char left[2][96], text[2][64] = {"", ""};
        for (int k = 0; k < 2; k++) {
            snprintf(left[k], sizeof left[k], "%s/pool%d.txt", dir, 6 + k);
            FILE *f = fopen(left[k], "rb");
            if (f) {
                size_t n = fread(text[k], 1, sizeof text[k] - 1, f);
                text[k][n] = 0;
                fclose(f);
            }
            unlink(left[k]);
        }
        rmdir(dir);
        cr_assert_eq(e, NTRUN_OK, "%s: %s", ntrun_error_name(e), ntrun_error_message());
        cr_assert_eq(code, 0, "run %d: exit code %#x, stdout [%s]", i, code, out.buf);
        cr_assert_str_eq(out.buf, want, "run %d", i);
        cr_assert_str_eq(text[0], "stream 6\r\n", "run %d", i);
        cr_assert_str_eq(text[1], "stream 7\r\n", "run %d", i);
    }
}

Test(lib, fifty_runs_in_one_process_keep_fds_and_memory_stable)
{
    int fds_after_first = 0;
    long rss_after_10 = 0;
    for (int i = 1; i <= 50; i++) {
        capture out = {0}, err = {0};
        ntrun_stats st = {.size = sizeof st};
        uint32_t code = run_captured(PE("churn.exe"), &out, &err, &st);
        cr_assert_eq(code, 7, "run %d: exit code %#x", i, code);
        cr_assert_str_eq(out.buf,
                         "argc=3 heap=1 vm=1 tls=1 malloc=1 event=1 thread=1\r\natexit ran\r\n",
                         "run %d: stdout [%s]", i, out.buf);
        cr_assert_str_eq(err.buf, "to stderr\r\n", "run %d: stderr [%s]", i, err.buf);
        cr_assert_eq(st.threads, 2, "run %d: %u threads", i, st.threads);
        if (i == 1)
            fds_after_first = open_fds();
        else
            cr_assert_eq(open_fds(), fds_after_first, "run %d: %d fds open, %d after run 1", i,
                         open_fds(), fds_after_first);
        if (i == 10)
            rss_after_10 = rss_kb();
    }
    long grown = rss_kb() - rss_after_10;
#if defined(__SANITIZE_ADDRESS__)
    /* ASan's quarantine keeps freed blocks resident: the leak check is LeakSanitizer's. */
    cr_log_info("RSS grew by %ld kB from run 10 to run 50 (not checked under ASan)", grown);
    return;
#endif
    /* Each run maps and uses several MiB (image, 1 MiB VirtualAlloc, 100 kB heap, stacks);
     * a leak of any of them would add far more than this over 40 runs. */
    cr_assert_lt(grown, 4096, "RSS grew by %ld kB from run 10 to run 50", grown);
}

/* Built-in DLL images stay MEM_IMAGE from run to run (a run's teardown forgets every memory
 * region; kernel32 recognizes modules by MEM_IMAGE): GetProcAddress on kernel32 and ntdll works
 * on each of 100 in-process runs and in a child spawned after them. */
Test(lib, hundred_runs_keep_builtin_images)
{
    for (int i = 1; i <= 100; i++) {
        capture out = {0}, err = {0};
        uint32_t code = run_captured(PE("getproc.exe"), &out, &err, NULL);
        cr_assert_eq(code, 0, "run %d: lookup %u failed [%s]", i, code, err.buf);
    }
    ntrun_config *cfg = ntrun_config_new();
    ntrun_child *c = NULL;
    cr_assert_eq(ntrun_spawn(cfg, PE("getproc.exe"), &c), NTRUN_OK, "%s", ntrun_error_message());
    uint32_t code = 0xdeadbeef;
    cr_assert_eq(ntrun_child_wait(c, 30000, &code), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(code, 0, "child: lookup %u failed", code);
    ntrun_child_free(c);
    ntrun_config_free(cfg);
}

Test(lib, exit_process_42_returns_to_the_host_with_output_flushed)
{
    capture out = {0}, err = {0};
    cr_assert_eq(run_captured(PE("exit42.exe"), &out, &err, NULL), 42);
    cr_assert_str_eq(out.buf, "about to call ExitProcess(42)\r\n");
}

/* Per-run process state that a host's long life must not leak into: msvcrt's clock() counts
 * from the program's start, not from the host's (clock_start.exe fails when clock() > 500). */
Test(lib, clock_counts_from_the_run_not_from_the_host_start)
{
    usleep(1100 * 1000);
    static capture out, err;
    uint32_t code = run_captured(PE("clock_start.exe"), &out, &err, NULL);
    cr_assert_eq(code, 0, "exit %u, stdout: %.*s", code, (int)out.len, out.buf);
}

Test(lib, crash_returns_access_violation_and_the_host_continues)
{
    capture out = {0};
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_stdout_callback(cfg, cap_write, &out);
    capture trace = {0};
    ntrun_config_set_trace_sink(cfg, cap_write, &trace);
    uint32_t code = 0;
    cr_assert_eq(ntrun_run_file(cfg, PE("crash.exe"), &code, NULL), NTRUN_OK, "%s",
                 ntrun_error_message());
    cr_assert_eq(code, 0xC0000005u, "exit code %#x", code);
    cr_assert_str_eq(out.buf, "about to crash\r\n");
    cr_assert(strstr(trace.buf, "unhandled exception 0xC0000005"), "report: [%s]", trace.buf);
    ntrun_config_free(cfg);
    /* the host goes on: another program runs normally */
    capture out2 = {0}, err2 = {0};
    cr_assert_eq(run_captured(PE("exit42.exe"), &out2, &err2, NULL), 42);
}

static volatile sig_atomic_t host_segv_seen;
static void host_sigint(int sig) { (void)sig; }
static void host_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)si;
    (void)uc;
    host_segv_seen = 1;
}

static void assert_same_action(int sig, const struct sigaction *a, const struct sigaction *b)
{
    cr_assert_eq((void *)a->sa_sigaction, (void *)b->sa_sigaction, "signal %d: handler", sig);
    cr_assert_eq(a->sa_flags, b->sa_flags, "signal %d: flags %#x vs %#x", sig, a->sa_flags,
                 b->sa_flags);
    for (int s = 1; s < 65; s++) /* only the kernel's 64 bits of sa_mask are meaningful */
        cr_assert_eq(sigismember(&a->sa_mask, s), sigismember(&b->sa_mask, s),
                     "signal %d: mask bit %d", sig, s);
}

/* A fault inside a built-in (a bad pointer given to msvcrt's _strrev) ends the program with
 * 0xC0000005 and a message naming the call; the host is not taken down with it, and the next
 * run works (stream locks and state the interrupted call held were reset by the teardown). */
Test(lib, fault_inside_a_builtin_ends_the_run_not_the_host)
{
    static capture msg;
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_trace_sink(cfg, cap_write, &msg); /* the runtime's own messages */
    uint32_t code = 0;
    cr_assert_eq(ntrun_run_file(cfg, PE("badptr.exe"), &code, NULL), NTRUN_OK, "%s",
                 ntrun_error_message());
    ntrun_config_free(cfg);
    cr_assert_eq(code, 0xC0000005u, "exit code %#x", code);
    cr_assert(strstr(msg.buf, "in msvcrt.dll!_strrev, called from badptr.exe+0x"), "message: %s",
              msg.buf);
    cr_assert(!strstr(msg.buf, "bug in the runtime"), "message: %s", msg.buf);
    static capture out2, err2;
    cr_assert_eq(run_captured(PE("exit42.exe"), &out2, &err2, NULL), 42);
    cr_assert_str_eq(out2.buf, "about to call ExitProcess(42)\r\n");
}

/* A .CRT initializer pointer that is no address (non-canonical: the fault is on the runtime's
 * own call instruction; unmapped: at the target) is the program's access violation: the run
 * ends with 0xC0000005, the report names the target, the host goes on. A TLS callback's is
 * taken by the loader (as on Windows): the run ends normally. */
Test(lib, bad_callback_pointers_end_the_run_with_an_access_violation)
{
    static const char *const tls_files[] = {"tls_noncanonical", "tls_unmapped"};
    for (size_t i = 0; i < sizeof tls_files / sizeof tls_files[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s.exe", NTRUN_TEST_BADPTR_DIR, tls_files[i]);
        ntrun_config *cfg = ntrun_config_new();
        uint32_t code = 99;
        cr_assert_eq(ntrun_run_file(cfg, path, &code, NULL), NTRUN_OK, "%s: %s", tls_files[i],
                     ntrun_error_message());
        ntrun_config_free(cfg);
        cr_assert_eq(code, 0, "%s: exit code %#x", tls_files[i], code);
    }
    static const char *const files[] = {"crt_noncanonical", "crt_unmapped"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        static capture msg;
        char path[512];
        snprintf(path, sizeof path, "%s/%s.exe", NTRUN_TEST_BADPTR_DIR, files[i]);
        msg.len = 0;
        msg.buf[0] = 0;
        ntrun_config *cfg = ntrun_config_new();
        ntrun_config_set_trace_sink(cfg, cap_write, &msg);
        uint32_t code = 0;
        cr_assert_eq(ntrun_run_file(cfg, path, &code, NULL), NTRUN_OK, "%s: %s", files[i],
                     ntrun_error_message());
        ntrun_config_free(cfg);
        cr_assert_eq(code, 0xC0000005u, "%s: exit code %#x", files[i], code);
        cr_assert(strstr(msg.buf, "unhandled exception 0xC0000005") &&
                      strstr(msg.buf, "execute at 0x"),
                  "%s: message: %s", files[i], msg.buf);
        cr_assert(!strstr(msg.buf, "bug in the runtime"), "%s: message: %s", files[i], msg.buf);
    }
    static capture out2, err2;
    cr_assert_eq(run_captured(PE("exit42.exe"), &out2, &err2, NULL), 42);
}

/* stdin from a callback: chunks as the callback hands them, the end when it returns 0. */
typedef struct feed {
    const char *const *chunks;
    int next;
    int calls;
} feed;

static long feed_read(void *ctx, char *buf, size_t cap)
{
    feed *f = ctx;
    f->calls++;
    const char *c = f->chunks[f->next];
    if (!c)
        return 0;
    f->next++;
    size_t n = strlen(c) < cap ? strlen(c) : cap;
    memcpy(buf, c, n);
    return (long)n;
}

static long endless_read(void *ctx, char *buf, size_t cap)
{
    (void)ctx;
    memset(buf, 'x', cap);
    return (long)cap;
}

Test(lib, stdin_callback_feeds_the_program_in_process_and_in_a_child)
{
    static const char *const chunks[] = {"hello\n", "wor", "ld\n", "third line\n", NULL};
    for (int child = 0; child < 2; child++) {
        static capture out;
        out.len = 0;
        out.buf[0] = 0;
        feed f = {chunks, 0, 0};
        ntrun_config *cfg = ntrun_config_new();
        ntrun_config_set_stdin_callback(cfg, feed_read, &f);
        ntrun_config_set_stdout_callback(cfg, cap_write, &out);
        uint32_t code = 0xdeadbeef;
        if (child) {
            ntrun_child *c;
            cr_assert_eq(ntrun_spawn(cfg, PE("echo_stdin.exe"), &c), NTRUN_OK, "%s",
                         ntrun_error_message());
            ntrun_error e = ntrun_child_wait(c, 10000, &code);
            ntrun_child_free(c); /* kills it if it still waits: no child outlives the test */
            cr_assert_eq(e, NTRUN_OK, "%s", ntrun_error_message());
        } else {
            cr_assert_eq(ntrun_run_file(cfg, PE("echo_stdin.exe"), &code, NULL), NTRUN_OK, "%s",
                         ntrun_error_message());
        }
        ntrun_config_free(cfg);
        cr_assert_eq(code, 0, "%s: exit code %u", child ? "child" : "in-process", code);
        cr_assert_str_eq(out.buf, "3 lines, 23 bytes: hello\r\nworld\r\nthird line\r\n",
                         "%s: %s", child ? "child" : "in-process", out.buf);
        cr_assert_eq(f.calls, 5, "%s: the callback runs in this process, until it says the end",
                     child ? "child" : "in-process");
    }
}

static long slow_read(void *ctx, char *buf, size_t cap)
{
    int *calls = ctx;
    if ((*calls)++ == 0) {
        memcpy(buf, "one line\n", 9);
        return 9;
    }
    usleep(200 * 1000); /* the write end stays open meanwhile: another spawn happens now */
    return 0;
}

/* Two children at once: the second one must not hold the first one's stdin pipe open (its
 * program would wait for the end of its input as long as the second child lives). */
Test(lib, stdin_of_a_child_ends_while_another_child_runs)
{
    int calls = 0;
    static capture out;
    ntrun_config *a_cfg = ntrun_config_new(), *b_cfg = ntrun_config_new();
    ntrun_config_set_stdin_callback(a_cfg, slow_read, &calls);
    ntrun_config_set_stdout_callback(a_cfg, cap_write, &out);
    ntrun_child *a, *b;
    cr_assert_eq(ntrun_spawn(a_cfg, PE("echo_stdin.exe"), &a), NTRUN_OK, "%s",
                 ntrun_error_message());
    cr_assert_eq(ntrun_spawn(b_cfg, PE("sleeper.exe"), &b), NTRUN_OK, "%s",
                 ntrun_error_message());
    uint32_t code = 0xdeadbeef;
    ntrun_error e = ntrun_child_wait(a, 3000, &code);
    ntrun_child_free(b); /* kills the sleeper; before any assertion, so none is left behind */
    ntrun_child_free(a);
    ntrun_config_free(a_cfg);
    ntrun_config_free(b_cfg);
    cr_assert_eq(e, NTRUN_OK, "the first child was still waiting for its input: %s",
                 ntrun_error_name(e));
    cr_assert_eq(code, 0);
    cr_assert_str_eq(out.buf, "1 lines, 9 bytes: one line\r\n");
}

/* A program that exits without reading: the run ends, the endless callback is not called
 * again, its thread does not hang on the full pipe, and SIGPIPE does not reach the host. */
Test(lib, stdin_callback_of_a_program_that_does_not_read_ends_with_the_run)
{
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_stdin_callback(cfg, endless_read, NULL);
    static capture out;
    ntrun_config_set_stdout_callback(cfg, cap_write, &out);
    const char *argv[] = {"echo_stdin.exe", "-"};
    ntrun_config_set_argv(cfg, 2, argv);
    uint32_t code = 0;
    cr_assert_eq(ntrun_run_file(cfg, PE("echo_stdin.exe"), &code, NULL), NTRUN_OK, "%s",
                 ntrun_error_message());
    ntrun_config_free(cfg);
    cr_assert_eq(code, 3);
    cr_assert_str_eq(out.buf, "not reading\r\n");
}

Test(lib, host_sigint_and_sigsegv_handlers_are_the_same_after_runs)
{
    struct sigaction si = {.sa_handler = host_sigint}, sv = {.sa_sigaction = host_segv};
    sigemptyset(&si.sa_mask);
    sigaddset(&si.sa_mask, SIGUSR1);
    sv.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sv.sa_mask);
    cr_assert_eq(sigaction(SIGINT, &si, NULL), 0);
    cr_assert_eq(sigaction(SIGSEGV, &sv, NULL), 0);
    struct sigaction before[3], after[3];
    const int sigs[3] = {SIGINT, SIGSEGV, SIGSYS};
    for (int i = 0; i < 3; i++)
        sigaction(sigs[i], NULL, &before[i]);
    capture out = {0}, err = {0};
    run_captured(PE("crash.exe"), &out, &err, NULL);
    run_captured(PE("churn.exe"), &out, &err, NULL);
    for (int i = 0; i < 3; i++) {
        sigaction(sigs[i], NULL, &after[i]);
        assert_same_action(sigs[i], &before[i], &after[i]);
    }
    /* and the host's SIGSEGV handler is the one that runs */
    raise(SIGSEGV);
    cr_assert_eq(host_segv_seen, 1);
}

Test(lib, spawn_waits_with_timeout_and_terminates)
{
    capture out = {0};
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_stdout_callback(cfg, cap_write, &out);
    ntrun_child *c;
    cr_assert_eq(ntrun_spawn(cfg, PE("sleeper.exe"), &c), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_gt(ntrun_child_pid(c), 0);
    uint32_t code = 0;
    cr_assert_eq(ntrun_child_wait(c, 50, &code), NTRUN_E_TIMEOUT);
    cr_assert_eq(ntrun_child_terminate(c, 0x1234), NTRUN_OK);
    cr_assert_eq(ntrun_child_wait(c, -1, &code), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(code, 0x1234, "exit code %#x", code);
    ntrun_child_free(c);

    /* a child that ends by itself: full 32-bit code, its output, statistics */
    capture out2 = {0};
    ntrun_config_set_stdout_callback(cfg, cap_write, &out2);
    cr_assert_eq(ntrun_spawn(cfg, PE("crash.exe"), &c), NTRUN_OK);
    cr_assert_eq(ntrun_child_wait(c, -1, &code), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(code, 0xC0000005u, "exit code %#x", code);
    cr_assert_str_eq(out2.buf, "about to crash\r\n");
    ntrun_stats st = {.size = sizeof st};
    cr_assert_eq(ntrun_child_stats(c, &st), NTRUN_OK);
    cr_assert_gt(st.peak_rss_bytes, 0);
    cr_assert_gt(st.crossings, 0);
    ntrun_child_free(c);

    /* load errors come back from the wait */
    cr_assert_eq(ntrun_spawn(cfg, PE("no-such.exe"), &c), NTRUN_OK);
    cr_assert_eq(ntrun_child_wait(c, -1, &code), NTRUN_E_FILE);
    cr_assert(strstr(ntrun_error_message(), "no-such.exe"), "%s", ntrun_error_message());
    ntrun_child_free(c);
    ntrun_config_free(cfg);
}

/* The host's view that a failed load must not change. */
typedef struct host_state {
    int fds;
    char cwd[4096];
    struct sigaction segv, sys;
} host_state;

static void host_snapshot(host_state *h)
{
    h->fds = open_fds();
    cr_assert(getcwd(h->cwd, sizeof h->cwd));
    sigaction(SIGSEGV, NULL, &h->segv);
    sigaction(SIGSYS, NULL, &h->sys);
}

static void expect_load_error(ntrun_config *cfg, const char *path, ntrun_error want,
                              const char *says)
{
    host_state a, b;
    host_snapshot(&a);
    ntrun_program *p = (ntrun_program *)1;
    ntrun_error e = ntrun_load(cfg, path, &p);
    cr_assert_eq(e, want, "%s: %s (%s), wanted %s", path, ntrun_error_name(e),
                 ntrun_error_message(), ntrun_error_name(want));
    cr_assert_null(p);
    cr_assert(strstr(ntrun_error_message(), says), "message [%s] does not say [%s]",
              ntrun_error_message(), says);
    host_snapshot(&b);
    cr_assert_eq(a.fds, b.fds, "fds %d -> %d", a.fds, b.fds);
    cr_assert_str_eq(a.cwd, b.cwd);
    assert_same_action(SIGSEGV, &a.segv, &b.segv);
    assert_same_action(SIGSYS, &a.sys, &b.sys);
}

Test(lib, load_errors_are_returned_and_leave_the_host_untouched)
{
    ntrun_config *cfg = ntrun_config_new();
    expect_load_error(cfg, PE("no-such.exe"), NTRUN_E_FILE, "no-such.exe: cannot open");
    char garbage[] = "/tmp/ntrun-lib-garbage.XXXXXX";
    int fd = mkstemp(garbage);
    for (int i = 0; i < 64; i++) {
        char block[64];
        for (int j = 0; j < 64; j++)
            block[j] = (char)(i * 31 + j * 7 + 1);
        cr_assert_eq(write(fd, block, sizeof block), (ssize_t)sizeof block);
    }
    close(fd);
    expect_load_error(cfg, garbage, NTRUN_E_FORMAT, "not a PE file");
    unlink(garbage);
    ntrun_config_set_strict(cfg, true);
    expect_load_error(cfg, PE("missing_dll.exe"), NTRUN_E_IMPORT, "nosuch.dll");
    /* a bad configuration field is named */
    cr_assert_eq(ntrun_config_set_windows_build(cfg, 7), NTRUN_E_INVALID_ARGUMENT);
    cr_assert(strstr(ntrun_error_message(), "windows_build"));
    cr_assert_eq(ntrun_config_set_trace(cfg, "loader,bogus"), NTRUN_E_INVALID_ARGUMENT);
    cr_assert(strstr(ntrun_error_message(), "bogus"));
    /* and after all that, a program runs */
    ntrun_config_set_strict(cfg, false);
    uint32_t code = 0;
    cr_assert_eq(ntrun_run_file(cfg, PE("exit42.exe"), &code, NULL), NTRUN_OK);
    cr_assert_eq(code, 42);
    ntrun_config_free(cfg);
}

Test(lib, one_loaded_program_at_a_time_and_a_program_runs_once)
{
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_stdout_fd(cfg, open("/dev/null", O_WRONLY | O_CLOEXEC));
    ntrun_program *a, *b;
    cr_assert_eq(ntrun_load(cfg, PE("exit42.exe"), &a), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(ntrun_load(cfg, PE("exit42.exe"), &b), NTRUN_E_BUSY);
    uint32_t code;
    cr_assert_eq(ntrun_run(a, &code), NTRUN_OK);
    cr_assert_eq(code, 42);
    cr_assert_eq(ntrun_run(a, &code), NTRUN_E_STATE);
    ntrun_stats st = {.size = sizeof st};
    cr_assert_eq(ntrun_get_stats(a, &st), NTRUN_OK);
    cr_assert_gt(st.crossings, 0);
    cr_assert_gt(st.wall_ns, 0);
    cr_assert_gt(st.peak_rss_bytes, 0);
    ntrun_program_free(a);
    /* freed: the next one loads */
    cr_assert_eq(ntrun_load(cfg, PE("exit42.exe"), &b), NTRUN_OK);
    ntrun_program_free(b); /* never ran: unloaded all the same */
    ntrun_config_free(cfg);
}

/* A run on a host thread while the host's main thread goes on: a fault the host raises on its
 * own thread during the run reaches the host's handler (the thread has no TEB), and the run
 * still ends with its code. */
static void *run_nap(void *arg)
{
    uint32_t *code = arg;
    ntrun_config *cfg = ntrun_config_new();
    cr_assert_eq(ntrun_run_file(cfg, PE("nap.exe"), code, NULL), NTRUN_OK, "%s",
                 ntrun_error_message());
    ntrun_config_free(cfg);
    return NULL;
}

Test(lib, host_thread_signals_reach_the_host_during_a_run_on_another_thread)
{
    struct sigaction sv = {.sa_sigaction = host_segv, .sa_flags = SA_SIGINFO};
    sigemptyset(&sv.sa_mask);
    cr_assert_eq(sigaction(SIGSEGV, &sv, NULL), 0);
    uint32_t code = 0;
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, run_nap, &code), 0);
    /* wait until the run has installed ntrun's handler, then fault on this (host) thread */
    struct sigaction cur;
    for (int i = 0; i < 2000; i++) {
        sigaction(SIGSEGV, NULL, &cur);
        if ((void *)cur.sa_sigaction != (void *)host_segv)
            break;
        usleep(100);
    }
    cr_assert_neq((void *)cur.sa_sigaction, (void *)host_segv, "the run never started");
    usleep(100 * 1000); /* past the load: the program is in its Sleep(300) */
    sigaction(SIGSEGV, NULL, &cur);
    cr_assert_neq((void *)cur.sa_sigaction, (void *)host_segv, "ntrun's handler during the run");
    host_segv_seen = 0;
    raise(SIGSEGV);
    cr_assert_eq(host_segv_seen, 1, "the host's handler did not run");
    pthread_join(th, NULL);
    cr_assert_eq(code, 5);
    sigaction(SIGSEGV, NULL, &cur);
    cr_assert_eq((void *)cur.sa_sigaction, (void *)host_segv, "host handler back after the run");
}

/* TerminateProcess of an in-process run from another host thread: ntrun_run returns with the
 * given code, the program's output so far was delivered, and the next run works. */
struct run_arg {
    ntrun_program *prog;
    uint32_t code;
    ntrun_error e;
};

static void *run_loaded(void *arg)
{
    struct run_arg *a = arg;
    a->e = ntrun_run(a->prog, &a->code);
    return NULL;
}

Test(lib, terminate_ends_an_in_process_run_from_another_thread)
{
    capture out = {0};
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_stdout_callback(cfg, cap_write, &out);
    struct run_arg a = {0};
    cr_assert_eq(ntrun_load(cfg, PE("sleeper.exe"), &a.prog), NTRUN_OK, "%s",
                 ntrun_error_message());
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, run_loaded, &a), 0);
    while (!strstr(out.buf, "sleeping"))
        usleep(1000); /* until the program runs */
    ntrun_error e = ntrun_program_terminate(a.prog, 0x7700, -1);
    cr_assert_eq(e, NTRUN_OK, "%s", ntrun_error_message());
    pthread_join(th, NULL);
    cr_assert_eq(a.e, NTRUN_OK, "%s", ntrun_error_name(a.e));
    cr_assert_eq(a.code, 0x7700, "exit code %#x", a.code);
    ntrun_program_free(a.prog);
    ntrun_config_free(cfg);
    capture out2 = {0}, err2 = {0};
    cr_assert_eq(run_captured(PE("exit42.exe"), &out2, &err2, NULL), 42);
}

/* Wait until `cap` has received `what` (output callbacks run on a library thread). */
static void wait_for_output(capture *cap, const char *what)
{
    for (int i = 0; i < 10000 && !strstr(cap->buf, what); i++)
        usleep(1000);
    cr_assert(strstr(cap->buf, what), "no [%s] in the output: [%s]", what, cap->buf);
}

/* A program blocked reading a pipe the host keeps open (its stdin): terminate ends it
 * promptly, not when the pipe closes (the read is a wait point). Then the next run works. */
Test(lib, terminate_ends_a_program_blocked_reading_stdin)
{
    static capture out;
    int pfd[2];
    cr_assert_eq(pipe(pfd), 0);
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_stdin_fd(cfg, pfd[0]);
    ntrun_config_set_stdout_callback(cfg, cap_write, &out);
    struct run_arg a = {0};
    cr_assert_eq(ntrun_load(cfg, PE("read_wait.exe"), &a.prog), NTRUN_OK, "%s",
                 ntrun_error_message());
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, run_loaded, &a), 0);
    wait_for_output(&out, "waiting for input");
    usleep(20 * 1000); /* into the read */
    ntrun_error e = ntrun_program_terminate(a.prog, 0x99, 10000);
    if (e != NTRUN_OK)
        close(pfd[1]); /* let the run end, so that the test can report */
    pthread_join(th, NULL);
    cr_assert_eq(e, NTRUN_OK, "terminate: %s: %s", ntrun_error_name(e), ntrun_error_message());
    cr_assert_eq(a.code, 0x99, "exit code %#x", a.code);
    ntrun_program_free(a.prog);
    ntrun_config_free(cfg);
    close(pfd[0]);
    close(pfd[1]);
    capture out2 = {0}, err2 = {0};
    cr_assert_eq(run_captured(PE("exit42.exe"), &out2, &err2, NULL), 42);
}

/* The same with stdin from a callback that has nothing to give yet (it waits, in short
 * slices, until the host says the run is over). */
static _Atomic int input_gone;
static long waiting_read(void *ctx, char *buf, size_t cap)
{
    (void)ctx;
    (void)buf;
    (void)cap;
    while (!input_gone)
        usleep(5 * 1000);
    return 0;
}

Test(lib, terminate_ends_a_program_blocked_on_a_stdin_callback)
{
    static capture out;
    input_gone = 0;
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_stdin_callback(cfg, waiting_read, NULL);
    ntrun_config_set_stdout_callback(cfg, cap_write, &out);
    struct run_arg a = {0};
    cr_assert_eq(ntrun_load(cfg, PE("read_wait.exe"), &a.prog), NTRUN_OK, "%s",
                 ntrun_error_message());
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, run_loaded, &a), 0);
    wait_for_output(&out, "waiting for input");
    usleep(20 * 1000);
    ntrun_error e = ntrun_program_terminate(a.prog, 0x98, 10000);
    input_gone = 1; /* the callback returns: the teardown waits for a call in progress */
    pthread_join(th, NULL);
    cr_assert_eq(e, NTRUN_OK, "terminate: %s: %s", ntrun_error_name(e), ntrun_error_message());
    cr_assert_eq(a.code, 0x98, "exit code %#x", a.code);
    ntrun_program_free(a.prog);
    ntrun_config_free(cfg);
}

/* A terminate issued after the load but before ntrun_run (a launcher's watchdog that fires
 * early) is kept: ntrun_run returns its code at once, without running the program. After the
 * run, terminate says the program is not running. */
Test(lib, terminate_before_the_run_starts_is_not_dropped)
{
    static capture out;
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_stdout_callback(cfg, cap_write, &out);
    ntrun_program *p;
    cr_assert_eq(ntrun_load(cfg, PE("sleeper.exe"), &p), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(ntrun_program_terminate(p, 0x55, 0), NTRUN_OK, "%s", ntrun_error_message());
    uint32_t code = 0;
    cr_assert_eq(ntrun_run(p, &code), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(code, 0x55, "exit code %#x", code);
    cr_assert_str_eq(out.buf, "", "the program ran: [%s]", out.buf);
    cr_assert_eq(ntrun_program_terminate(p, 1, 0), NTRUN_E_STATE);
    ntrun_program_free(p);
    ntrun_config_free(cfg);
    capture out2 = {0}, err2 = {0};
    cr_assert_eq(run_captured(PE("exit42.exe"), &out2, &err2, NULL), 42);
}

/* ---- how a run ended (ntrun_exit_info) ---- */
static ntrun_exit_info run_for_exit_info(ntrun_config *cfg, const char *exe)
{
    ntrun_program *p;
    ntrun_error e = ntrun_load(cfg, exe, &p);
    cr_assert_eq(e, NTRUN_OK, "%s: %s", ntrun_error_name(e), ntrun_error_message());
    ntrun_exit_info x = {.size = sizeof x};
    cr_assert_eq(ntrun_get_exit_info(p, &x), NTRUN_E_STATE, "before the run");
    uint32_t code = 0;
    cr_assert_eq(ntrun_run(p, &code), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(ntrun_get_exit_info(p, &x), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(x.size, sizeof x);
    cr_assert_eq(x.exit_code, code, "exit_code %#x, ntrun_run said %#x", x.exit_code, code);
    ntrun_program_free(p);
    return x;
}

/* TerminateProcess on the program itself ends the run at once, as Windows ends the process:
 * the line in stdout's buffer is never written, and the host runs the next program normally. */
Test(lib, terminate_self_ends_the_run_without_flushing_and_the_host_continues)
{
    capture out = {0}, err = {0};
    cr_assert_eq(run_captured(PE("terminate_self.exe"), &out, &err, NULL), 7);
    cr_assert_str_eq(out.buf, "", "got \"%s\"", out.buf);
    capture out2 = {0};
    cr_assert_eq(run_captured(PE("exit42.exe"), &out2, &err, NULL), 42);
    cr_assert_str_eq(out2.buf, "about to call ExitProcess(42)\r\n");
}

/* Memory peaks belong to a run: after a program touched 96 MiB, the next one in the same host
 * starts with peaks of its own (at least 64 MiB lower), not the earlier run's. */
Test(lib, memory_peaks_do_not_carry_over_to_the_next_run)
{
    unsigned long long a[2][3], b[2][3];
    capture out = {0}, err = {0};
    cr_assert_eq(run_captured(PE("mem_peaks.exe"), &out, &err, NULL), 0);
    cr_assert_eq(sscanf(out.buf, "ws=%llu commit=%llu virt=%llu\r\nws=%llu commit=%llu virt=%llu",
                        &a[0][0], &a[0][1], &a[0][2], &a[1][0], &a[1][1], &a[1][2]), 6, "%s",
                 out.buf);
    capture out2 = {0};
    cr_assert_eq(run_captured(PE("mem_peaks.exe"), &out2, &err, NULL), 0);
    cr_assert_eq(sscanf(out2.buf, "ws=%llu commit=%llu virt=%llu\r\nws=%llu commit=%llu virt=%llu",
                        &b[0][0], &b[0][1], &b[0][2], &b[1][0], &b[1][1], &b[1][2]), 6, "%s",
                 out2.buf);
    for (int k = 0; k < 3; k++) {
        if (k < 2) /* the virtual peak may start above the host's current size */
            cr_assert_geq(a[1][k], a[0][k] + 90, "first run, figure %d: %llu -> %llu", k,
                          a[0][k], a[1][k]);
        cr_assert_leq(b[0][k] + 64, a[1][k], "second run starts at %llu, first peaked at %llu (%d)",
                      b[0][k], a[1][k], k);
    }
}

Test(lib, exit_info_says_exited_with_the_code)
{
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_stdout_fd(cfg, open("/dev/null", O_WRONLY | O_CLOEXEC));
    ntrun_exit_info x = run_for_exit_info(cfg, PE("exit42.exe"));
    cr_assert_eq(x.reason, NTRUN_END_EXITED, "reason %s", ntrun_end_reason_name(x.reason));
    cr_assert_eq(x.exit_code, 42);
    cr_assert_eq(x.load_error, NTRUN_OK);
    cr_assert_str_eq(x.function, "");
    ntrun_config_free(cfg);
}

/* An unhandled exception: its code, the faulting address inside the program's image, the
 * module and offset; and the same exit code as a program that exits with 0xC0000005 would
 * have (which is why the reason is needed). */
Test(lib, exit_info_says_unhandled_exception_with_module_and_offset)
{
    static capture trace;
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_stdout_fd(cfg, open("/dev/null", O_WRONLY | O_CLOEXEC));
    ntrun_config_set_trace_sink(cfg, cap_write, &trace);
    ntrun_exit_info x = run_for_exit_info(cfg, PE("crash.exe"));
    cr_assert_eq(x.reason, NTRUN_END_EXCEPTION, "reason %s", ntrun_end_reason_name(x.reason));
    cr_assert_eq(x.exit_code, 0xC0000005u, "%#x", x.exit_code);
    cr_assert_eq(x.exception_code, 0xC0000005u, "%#x", x.exception_code);
    cr_assert_str_eq(x.module, "crash.exe");
    cr_assert_gt(x.module_offset, 0x1000, "offset %#llx", (unsigned long long)x.module_offset);
    cr_assert_lt(x.module_offset, 0x100000, "offset %#llx", (unsigned long long)x.module_offset);
    cr_assert_eq(x.exception_address - x.module_offset, x.exception_address & ~0xffffull,
                 "address %#llx offset %#llx: not from the image base",
                 (unsigned long long)x.exception_address, (unsigned long long)x.module_offset);
    char where[64];
    snprintf(where, sizeof where, "crash.exe+0x%llx", (unsigned long long)x.module_offset);
    cr_assert(strstr(trace.buf, where), "report [%s] does not say %s", trace.buf, where);
    ntrun_config_free(cfg);
}

/* The end record is per run: after a run that ended by an unhandled exception, the next run
 * in the same process that exits says so with no exception code, module or function left
 * over (the runtime clears the record only when a run noted something: rt_end_kind). */
Test(lib, exit_info_after_a_crash_is_the_next_runs_own)
{
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_stdout_fd(cfg, open("/dev/null", O_WRONLY | O_CLOEXEC));
    ntrun_config_set_stderr_fd(cfg, open("/dev/null", O_WRONLY | O_CLOEXEC));
    ntrun_exit_info x = run_for_exit_info(cfg, PE("crash.exe"));
    cr_assert_eq(x.reason, NTRUN_END_EXCEPTION, "reason %s", ntrun_end_reason_name(x.reason));
    x = run_for_exit_info(cfg, PE("exit42.exe"));
    cr_assert_eq(x.reason, NTRUN_END_EXITED, "reason %s", ntrun_end_reason_name(x.reason));
    cr_assert_eq(x.exit_code, 42);
    cr_assert_eq(x.exception_code, 0, "%#x", x.exception_code);
    cr_assert_eq(x.exception_address, 0);
    cr_assert_str_eq(x.module, "");
    cr_assert_str_eq(x.function, "");
    x = run_for_exit_info(cfg, PE("crash.exe"));
    cr_assert_eq(x.reason, NTRUN_END_EXCEPTION, "reason %s", ntrun_end_reason_name(x.reason));
    cr_assert_str_eq(x.module, "crash.exe");
    ntrun_config_free(cfg);
}

/* A fault inside a built-in: the call that led there (the program's module and offset) and
 * the built-in's name. */
Test(lib, exit_info_names_the_builtin_a_fault_happened_in)
{
    static capture trace;
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_trace_sink(cfg, cap_write, &trace);
    ntrun_exit_info x = run_for_exit_info(cfg, PE("badptr.exe"));
    cr_assert_eq(x.reason, NTRUN_END_EXCEPTION, "reason %s", ntrun_end_reason_name(x.reason));
    cr_assert_eq(x.exception_code, 0xC0000005u, "%#x", x.exception_code);
    cr_assert_str_eq(x.function, "msvcrt.dll!_strrev");
    cr_assert_str_eq(x.module, "badptr.exe");
    ntrun_config_free(cfg);
}

Test(lib, exit_info_names_the_unimplemented_function)
{
    static capture trace;
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_stdout_fd(cfg, open("/dev/null", O_WRONLY | O_CLOEXEC));
    ntrun_config_set_trace_sink(cfg, cap_write, &trace);
    ntrun_exit_info x = run_for_exit_info(cfg, PE("unimpl.exe"));
    cr_assert_eq(x.reason, NTRUN_END_UNIMPLEMENTED, "reason %s (%s)",
                 ntrun_end_reason_name(x.reason), trace.buf);
    cr_assert_str_eq(x.function, "KERNEL32.dll!NtrunTestNoSuchFunction");
    cr_assert_eq(x.exit_code, 0xC0000139u, "%#x", x.exit_code);
    ntrun_config_free(cfg);
}

Test(lib, exit_info_says_terminated_by_the_host)
{
    static capture out;
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_stdout_callback(cfg, cap_write, &out);
    struct run_arg a = {0};
    cr_assert_eq(ntrun_load(cfg, PE("sleeper.exe"), &a.prog), NTRUN_OK);
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, run_loaded, &a), 0);
    wait_for_output(&out, "sleeping");
    cr_assert_eq(ntrun_program_terminate(a.prog, 0xC0000005u, -1), NTRUN_OK);
    pthread_join(th, NULL);
    ntrun_exit_info x = {.size = sizeof x};
    cr_assert_eq(ntrun_get_exit_info(a.prog, &x), NTRUN_OK);
    cr_assert_eq(x.reason, NTRUN_END_TERMINATED, "reason %s", ntrun_end_reason_name(x.reason));
    cr_assert_eq(x.exit_code, 0xC0000005u, "same code as a crash, but not one");
    ntrun_program_free(a.prog);
    /* cancelled before it ran: terminated too */
    ntrun_program *p;
    cr_assert_eq(ntrun_load(cfg, PE("sleeper.exe"), &p), NTRUN_OK);
    cr_assert_eq(ntrun_program_terminate(p, 9, 0), NTRUN_OK);
    uint32_t code;
    cr_assert_eq(ntrun_run(p, &code), NTRUN_OK);
    cr_assert_eq(ntrun_get_exit_info(p, &x), NTRUN_OK);
    cr_assert_eq(x.reason, NTRUN_END_TERMINATED, "reason %s", ntrun_end_reason_name(x.reason));
    cr_assert_eq(x.exit_code, 9);
    ntrun_program_free(p);
    ntrun_config_free(cfg);
}

/* The time limit ends a program that would sleep forever, in-process and in a child. */
Test(lib, time_limit_ends_the_run_with_reason_timed_out)
{
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_stdout_fd(cfg, open("/dev/null", O_WRONLY | O_CLOEXEC));
    cr_assert_eq(ntrun_config_set_time_limit(cfg, 100), NTRUN_OK);
    ntrun_exit_info x = run_for_exit_info(cfg, PE("sleeper.exe"));
    cr_assert_eq(x.reason, NTRUN_END_TIMED_OUT, "reason %s", ntrun_end_reason_name(x.reason));
    cr_assert_eq(x.exit_code, 0x102, "%#x", x.exit_code);
    /* a program that ends first is not affected */
    ntrun_config_set_time_limit(cfg, 60000);
    x = run_for_exit_info(cfg, PE("exit42.exe"));
    cr_assert_eq(x.reason, NTRUN_END_EXITED, "reason %s", ntrun_end_reason_name(x.reason));
    ntrun_config_set_time_limit(cfg, 100);
    ntrun_child *c;
    cr_assert_eq(ntrun_spawn(cfg, PE("sleeper.exe"), &c), NTRUN_OK);
    uint32_t code = 0;
    ntrun_error e = ntrun_child_wait(c, 20000, &code);
    if (e != NTRUN_OK)
        ntrun_child_terminate(c, 1);
    cr_assert_eq(e, NTRUN_OK, "%s", ntrun_error_name(e));
    cr_assert_eq(ntrun_child_exit_info(c, &x), NTRUN_OK);
    cr_assert_eq(x.reason, NTRUN_END_TIMED_OUT, "reason %s", ntrun_end_reason_name(x.reason));
    cr_assert_eq(code, 0x102);
    ntrun_child_free(c);
    ntrun_config_free(cfg);
}

/* Children: a crash's report reaches the host's trace sink (not the child's copy of it) and
 * the exit information says where; a child killed by a signal (kill -9, the OOM killer) says
 * so; a child that could not load says which error; a host terminate says terminated. */
Test(lib, child_exit_info_and_crash_report_reach_the_host)
{
    static capture trace;
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_stdout_fd(cfg, open("/dev/null", O_WRONLY | O_CLOEXEC));
    ntrun_config_set_trace_sink(cfg, cap_write, &trace);
    ntrun_child *c;
    uint32_t code = 0;
    ntrun_exit_info x = {.size = sizeof x};
    cr_assert_eq(ntrun_spawn(cfg, PE("crash.exe"), &c), NTRUN_OK);
    cr_assert_eq(ntrun_child_exit_info(c, &x), NTRUN_E_STATE, "before the wait");
    cr_assert_eq(ntrun_child_wait(c, -1, &code), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(ntrun_child_exit_info(c, &x), NTRUN_OK);
    ntrun_child_free(c);
    cr_assert_eq(x.reason, NTRUN_END_EXCEPTION, "reason %s", ntrun_end_reason_name(x.reason));
    cr_assert_eq(x.exception_code, 0xC0000005u);
    cr_assert_str_eq(x.module, "crash.exe");
    cr_assert(strstr(trace.buf, "crash.exe: unhandled exception 0xC0000005"), "host sink: [%s]",
              trace.buf);
    cr_assert_eq(trace.buf[trace.len - 1], '\n');

    cr_assert_eq(ntrun_spawn(cfg, PE("sleeper.exe"), &c), NTRUN_OK);
    cr_assert_eq(kill(ntrun_child_pid(c), SIGKILL), 0);
    cr_assert_eq(ntrun_child_wait(c, -1, &code), NTRUN_OK);
    cr_assert_eq(ntrun_child_exit_info(c, &x), NTRUN_OK);
    ntrun_child_free(c);
    cr_assert_eq(x.reason, NTRUN_END_SIGNALED, "reason %s", ntrun_end_reason_name(x.reason));
    cr_assert_eq(x.signal, SIGKILL);

    cr_assert_eq(ntrun_spawn(cfg, PE("sleeper.exe"), &c), NTRUN_OK);
    cr_assert_eq(ntrun_child_terminate(c, 77), NTRUN_OK);
    cr_assert_eq(ntrun_child_wait(c, -1, &code), NTRUN_OK);
    cr_assert_eq(ntrun_child_exit_info(c, &x), NTRUN_OK);
    ntrun_child_free(c);
    cr_assert_eq(x.reason, NTRUN_END_TERMINATED, "reason %s", ntrun_end_reason_name(x.reason));
    cr_assert_eq(x.exit_code, 77);

    cr_assert_eq(ntrun_spawn(cfg, PE("no-such.exe"), &c), NTRUN_OK);
    cr_assert_eq(ntrun_child_wait(c, -1, &code), NTRUN_E_FILE);
    cr_assert_eq(ntrun_child_exit_info(c, &x), NTRUN_OK);
    ntrun_child_free(c);
    cr_assert_eq(x.reason, NTRUN_END_LOAD_FAILED, "reason %s", ntrun_end_reason_name(x.reason));
    cr_assert_eq(x.load_error, NTRUN_E_FILE);
    ntrun_config_free(cfg);
}

/* The load error's code comes from the step that failed, not from words in the message: a
 * garbage file whose name says "import" or ".dll" is a format error, a missing DLL an import
 * error. */
Test(lib, load_error_code_does_not_depend_on_the_file_name)
{
    char dir[] = "/tmp/ntrun-lib-names.XXXXXX";
    cr_assert(mkdtemp(dir));
    const char *names[] = {"save-importer.exe", "my.dll.exe", "DLL loader.exe"};
    ntrun_config *cfg = ntrun_config_new();
    for (int i = 0; i < 3; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "w");
        cr_assert(f);
        fputs("this is not a program, it just has an unlucky name\n", f);
        fclose(f);
        ntrun_program *p = NULL;
        ntrun_error e = ntrun_load(cfg, path, &p);
        cr_assert_eq(e, NTRUN_E_FORMAT, "%s: %s (%s)", names[i], ntrun_error_name(e),
                     ntrun_error_message());
        unlink(path);
    }
    rmdir(dir);
    ntrun_program *p = NULL;
    cr_assert_eq(ntrun_load(cfg, PE("missing_dll.exe"), &p), NTRUN_E_IMPORT, "%s",
                 ntrun_error_message());
    ntrun_config_free(cfg);
}

/* ---- children as fresh processes ---- */

/* A child is not a copy of the launcher: a trivial program's peak RSS is its own, not the
 * 256 MiB the launcher holds, and none of the launcher's fds (even without O_CLOEXEC) is
 * open in it. */
Test(lib, child_has_its_own_memory_and_no_fd_of_the_launcher)
{
    size_t big = 256u << 20;
    char *mem = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert(mem != MAP_FAILED);
    memset(mem, 1, big); /* resident */
    int leak = open("/dev/null", O_RDONLY); /* no O_CLOEXEC */
    cr_assert_geq(leak, 0);
    cr_assert_geq(dup2(leak, 77), 0);
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_stdout_fd(cfg, open("/dev/null", O_WRONLY | O_CLOEXEC));
    ntrun_child *c;
    cr_assert_eq(ntrun_spawn(cfg, PE("sleeper.exe"), &c), NTRUN_OK, "%s", ntrun_error_message());
    /* its fds while it sleeps: 0-2, the socket (3), and what its runtime opened itself */
    char dir[64], self_dev[256] = "";
    snprintf(dir, sizeof dir, "/proc/%d/fd", ntrun_child_pid(c));
    cr_assert_gt(readlink("/proc/self/fd/77", self_dev, sizeof self_dev - 1), 0);
    bool saw_77 = false;
    for (int tries = 0; tries < 200 && !saw_77; tries++) {
        DIR *d = opendir(dir);
        cr_assert(d, "%s", dir);
        for (struct dirent *e; (e = readdir(d));)
            saw_77 |= !strcmp(e->d_name, "77") || !strcmp(e->d_name, "78");
        closedir(d);
        usleep(1000);
    }
    cr_assert_eq(ntrun_child_terminate(c, 0), NTRUN_OK);
    uint32_t code;
    cr_assert_eq(ntrun_child_wait(c, 20000, &code), NTRUN_OK, "%s", ntrun_error_message());
    ntrun_child_free(c);
    cr_assert(!saw_77, "the child has the launcher's fd 77 (%s)", self_dev);

    cr_assert_eq(ntrun_spawn(cfg, PE("exit42.exe"), &c), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(ntrun_child_wait(c, 20000, &code), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(code, 42);
    ntrun_stats st = {.size = sizeof st};
    cr_assert_eq(ntrun_child_stats(c, &st), NTRUN_OK);
    ntrun_child_free(c);
    cr_log_info("child peak RSS %llu kB while the launcher holds %zu kB",
                (unsigned long long)st.peak_rss_bytes / 1024, big / 1024);
    cr_assert_gt(st.peak_rss_bytes, 0);
    cr_assert_lt(st.peak_rss_bytes, big / 4, "the child's peak RSS is %llu bytes",
                 (unsigned long long)st.peak_rss_bytes);
    close(leak);
    close(77);
    munmap(mem, big);
    ntrun_config_free(cfg);
}

/* A launcher killed with SIGKILL takes its children along (PR_SET_PDEATHSIG): a launcher
 * process (a fork of this one) spawns a sleeper, says its pid, and is killed. */
Test(lib, child_dies_when_the_launcher_is_killed)
{
    int p[2];
    cr_assert_eq(pipe(p), 0);
    pid_t launcher = fork();
    cr_assert_geq(launcher, 0);
    if (launcher == 0) {
        close(p[0]);
        ntrun_config *cfg = ntrun_config_new();
        ntrun_config_set_stdout_fd(cfg, open("/dev/null", O_WRONLY | O_CLOEXEC));
        ntrun_child *c;
        int pid = ntrun_spawn(cfg, PE("sleeper.exe"), &c) == NTRUN_OK ? ntrun_child_pid(c) : -1;
        if (write(p[1], &pid, sizeof pid) != sizeof pid)
            _exit(1);
        for (;;)
            pause();
    }
    close(p[1]);
    int child = -1;
    cr_assert_eq(read(p[0], &child, sizeof child), (ssize_t)sizeof child);
    close(p[0]);
    cr_assert_gt(child, 0, "the launcher could not spawn");
    int pidfd = (int)syscall(SYS_pidfd_open, child, 0);
    cr_assert_geq(pidfd, 0, "pidfd_open(%d)", child);
    kill(launcher, SIGKILL);
    waitpid(launcher, NULL, 0);
    struct pollfd pfd = {pidfd, POLLIN, 0};
    int r = poll(&pfd, 1, 20000);
    if (r != 1)
        kill(child, SIGKILL); /* leave nothing behind */
    close(pidfd);
    cr_assert_eq(r, 1, "the child %d outlived its launcher", child);
}

/* Children are spawned while an in-process program is loaded and running. */
Test(lib, spawn_while_an_in_process_program_runs)
{
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_stdout_fd(cfg, open("/dev/null", O_WRONLY | O_CLOEXEC));
    ntrun_program *prog;
    cr_assert_eq(ntrun_load(cfg, PE("sleeper.exe"), &prog), NTRUN_OK, "%s", ntrun_error_message());
    ntrun_child *c;
    uint32_t code = 0;
    cr_assert_eq(ntrun_spawn(cfg, PE("exit42.exe"), &c), NTRUN_OK, "loaded: %s",
                 ntrun_error_message());
    cr_assert_eq(ntrun_child_wait(c, 20000, &code), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(code, 42);
    ntrun_child_free(c);
    cr_assert_eq(ntrun_program_start(prog), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(ntrun_spawn(cfg, PE("exit42.exe"), &c), NTRUN_OK, "running: %s",
                 ntrun_error_message());
    cr_assert_eq(ntrun_child_wait(c, 20000, &code), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(code, 42);
    ntrun_child_free(c);
    cr_assert_eq(ntrun_program_wait(prog, 0, &code), NTRUN_E_TIMEOUT, "the sleeper ended");
    cr_assert_eq(ntrun_program_terminate(prog, 9, 10000), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(ntrun_program_wait(prog, -1, &code), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(code, 9);
    ntrun_program_free(prog);
    ntrun_config_free(cfg);
}

typedef struct spawner {
    int ok, runs;
    char why[256];
} spawner;

static void *spawn_some(void *arg)
{
    spawner *s = arg;
    for (int i = 0; i < s->runs; i++) {
        capture out = {0};
        ntrun_config *cfg = ntrun_config_new();
        ntrun_config_set_stdout_callback(cfg, cap_write, &out);
        ntrun_child *c;
        uint32_t code = 0;
        ntrun_error e = ntrun_spawn(cfg, PE("exit42.exe"), &c);
        if (e == NTRUN_OK) {
            e = ntrun_child_wait(c, 30000, &code);
            ntrun_child_free(c);
        }
        ntrun_config_free(cfg);
        if (e == NTRUN_OK && code == 42 && !strcmp(out.buf, "about to call ExitProcess(42)\r\n"))
            s->ok++;
        else
            snprintf(s->why, sizeof s->why, "run %d: %s, code %u, output [%.100s]", i,
                     ntrun_error_name(e), code, out.buf);
    }
    return NULL;
}

/* Two launcher threads spawn children at the same time; each thread ends while children of
 * the other still run (PR_SET_PDEATHSIG follows the library's thread, not the caller's). */
Test(lib, two_threads_spawn_children_at_once)
{
    spawner s[2] = {{.runs = 6}, {.runs = 3}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, spawn_some, &s[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 2; i++)
        cr_assert_eq(s[i].ok, s[i].runs, "thread %d: %d of %d runs right; %s", i, s[i].ok,
                     s[i].runs, s[i].why);
}

typedef struct event_log {
    char types[64];     /* 'D', 'S', 'O', 'X' in order (a run of D or O once) */
    size_t n;
    capture out;
    ntrun_exit_info exit;
    int pid;
    char dlls[1024];    /* "name:builtin " for each DLL_LOADED */
    bool dll_bad;       /* a DLL record without base or size, or with a wrong path */
} event_log;

static void log_event(void *ctx, const ntrun_event *ev)
{
    event_log *l = ctx;
    char t = ev->type == NTRUN_EVENT_STARTED ? 'S'
             : ev->type == NTRUN_EVENT_OUTPUT ? 'O'
             : ev->type == NTRUN_EVENT_EXITED ? 'X'
             : ev->type == NTRUN_EVENT_DLL_LOADED ? 'D'
                                               : '?';
    if (ev->size < sizeof *ev)
        t = '!';
    bool again = (t == 'O' || t == 'D') && l->n && l->types[l->n - 1] == t;
    if (l->n + 1 < sizeof l->types && !again)
        l->types[l->n++] = t;
    if (ev->type == NTRUN_EVENT_DLL_LOADED) {
        const ntrun_dll_info *d = ev->dll;
        size_t len = strlen(l->dlls);
        snprintf(l->dlls + len, sizeof l->dlls - len, "%s:%u ", d->name, d->builtin);
        if (d->size < sizeof *d || !d->base || !d->image_size || (d->builtin != !d->path[0]))
            l->dll_bad = true;
    }
    l->pid = ev->pid;
    if (ev->type == NTRUN_EVENT_OUTPUT)
        cap_write(&l->out, ev->data, ev->len);
    if (ev->type == NTRUN_EVENT_EXITED)
        l->exit = *ev->exit;
}

static void discard(void *ctx, const char *data, size_t len)
{
    (void)ctx;
    (void)data;
    (void)len;
}

/* Asynchronous runs: start, poll the fd as an event loop would, then the wait returns at
 * once; events started, output, exited, in that order, in-process and in a child. */
Test(lib, async_runs_poll_on_their_fd_and_report_events)
{
    for (int child = 0; child < 2; child++) {
        static event_log log;
        memset(&log, 0, sizeof log);
        ntrun_config *cfg = ntrun_config_new();
        ntrun_config_set_stdout_callback(cfg, discard, NULL);
        ntrun_config_set_event_callback(cfg, log_event, &log);
        ntrun_program *prog = NULL;
        ntrun_child *c = NULL;
        int fd;
        if (child) {
            cr_assert_eq(ntrun_spawn(cfg, PE("exit42.exe"), &c), NTRUN_OK, "%s",
                         ntrun_error_message());
            fd = ntrun_child_fd(c);
        } else {
            cr_assert_eq(ntrun_load(cfg, PE("exit42.exe"), &prog), NTRUN_OK, "%s",
                         ntrun_error_message());
            fd = ntrun_program_fd(prog);
            struct pollfd pfd = {fd, POLLIN, 0};
            cr_assert_eq(poll(&pfd, 1, 0), 0, "readable before the start");
            cr_assert_eq(ntrun_program_start(prog), NTRUN_OK, "%s", ntrun_error_message());
            cr_assert_eq(ntrun_program_start(prog), NTRUN_E_STATE);
        }
        cr_assert_geq(fd, 0);
        struct pollfd pfd = {fd, POLLIN, 0};
        int r = poll(&pfd, 1, 30000);
        uint32_t code = 0;
        ntrun_error e = child ? ntrun_child_wait(c, 0, &code) : ntrun_program_wait(prog, 0, &code);
        const char *what = child ? "child" : "in-process";
        if (child)
            ntrun_child_free(c);
        else
            ntrun_program_free(prog);
        ntrun_config_free(cfg);
        cr_assert_eq(r, 1, "%s: the fd did not become readable", what);
        cr_assert_eq(e, NTRUN_OK, "%s: %s", what, ntrun_error_name(e));
        cr_assert_eq(code, 42, "%s", what);
        /* the DLLs its imports bring in, while it loads: then it starts */
        cr_assert_str_eq(log.types, "DSOX", "%s: events %s", what, log.types);
        cr_assert(strcasestr(log.dlls, "msvcrt.dll:1 "), "%s: DLLs %s", what, log.dlls);
        cr_assert(strcasestr(log.dlls, "kernel32.dll:1 "), "%s: DLLs %s", what, log.dlls);
        cr_assert(!log.dll_bad, "%s: a DLL record without base/size or a wrong path: %s", what,
                  log.dlls);
        cr_assert_null(strcasestr(strcasestr(log.dlls, "msvcrt.dll") + 1, "msvcrt.dll"),
                       "%s: a built-in reported twice: %s", what, log.dlls);
        cr_assert_str_eq(log.out.buf, "about to call ExitProcess(42)\r\n", "%s", what);
        cr_assert_eq(log.exit.reason, NTRUN_END_EXITED, "%s", what);
        cr_assert_eq(log.exit.exit_code, 42, "%s", what);
        cr_assert_eq(log.pid != 0, child == 1, "%s: pid %d", what, log.pid);
    }
}

/* Terminate asks first: a child blocked reading its stdin (a pipe the launcher keeps open)
 * ends at once through its runtime, long before the grace period would have it killed, and
 * reports its statistics (a killed child could not). Close delivers CTRL_CLOSE_EVENT: the
 * default handler ends the program with STATUS_CONTROL_C_EXIT. */
Test(lib, child_terminate_ends_a_read_and_close_delivers_ctrl_close)
{
    int in[2];
    cr_assert_eq(pipe2(in, O_CLOEXEC), 0);
    static capture out;
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_stdin_fd(cfg, in[0]);
    ntrun_config_set_stdout_callback(cfg, cap_write, &out);
    ntrun_config_set_terminate_grace(cfg, 60000);
    ntrun_child *c;
    cr_assert_eq(ntrun_spawn(cfg, PE("read_wait.exe"), &c), NTRUN_OK, "%s", ntrun_error_message());
    for (int i = 0; i < 2000 && !strstr(out.buf, "waiting for input"); i++)
        usleep(5000);
    cr_assert_eq(ntrun_child_terminate(c, 5), NTRUN_OK);
    uint32_t code = 0;
    ntrun_error e = ntrun_child_wait(c, 20000, &code);
    ntrun_exit_info x = {.size = sizeof x};
    ntrun_stats st = {.size = sizeof st};
    if (e == NTRUN_OK) {
        ntrun_child_exit_info(c, &x);
        ntrun_child_stats(c, &st);
    }
    ntrun_child_free(c);
    cr_assert_eq(e, NTRUN_OK, "the blocked child did not end: %s", ntrun_error_name(e));
    cr_assert_eq(code, 5);
    cr_assert_eq(x.reason, NTRUN_END_TERMINATED, "reason %s", ntrun_end_reason_name(x.reason));
    cr_assert_gt(st.peak_rss_bytes, 0, "no report: it was killed, not asked");
    cr_assert_str_eq(out.buf, "waiting for input\r\n");

    out.len = 0;
    out.buf[0] = 0;
    cr_assert_eq(ntrun_spawn(cfg, PE("sleeper.exe"), &c), NTRUN_OK, "%s", ntrun_error_message());
    for (int i = 0; i < 2000 && !strstr(out.buf, "sleeping"); i++)
        usleep(5000);
    cr_assert_eq(ntrun_child_close(c), NTRUN_OK);
    e = ntrun_child_wait(c, 20000, &code);
    if (e == NTRUN_OK)
        ntrun_child_exit_info(c, &x);
    ntrun_child_free(c);
    cr_assert_eq(e, NTRUN_OK, "CTRL_CLOSE did not end the sleeper: %s", ntrun_error_name(e));
    cr_assert_eq(code, 0xC000013Au, "%#x", code);
    cr_assert_eq(x.reason, NTRUN_END_CLOSED, "reason %s", ntrun_end_reason_name(x.reason));
    close(in[0]);
    close(in[1]);
    ntrun_config_free(cfg);
}

/* The helper is found without help, and its failures are load failures with a message. */
Test(lib, spawn_with_a_bad_cwd_fails_before_starting)
{
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_cwd(cfg, "/no/such/dir");
    ntrun_child *c = NULL;
    cr_assert_eq(ntrun_spawn(cfg, PE("exit42.exe"), &c), NTRUN_E_INVALID_ARGUMENT);
    cr_assert(strstr(ntrun_error_message(), "/no/such/dir"), "%s", ntrun_error_message());
    ntrun_config_free(cfg);
}

/* ntrun_load and ntrun_spawn refuse a missing result pointer, configuration or program with
 * NTRUN_E_INVALID_ARGUMENT and a message naming it, and set the result to NULL when there is
 * one. */
Test(lib, load_and_spawn_without_out_config_or_path_fail_with_a_message)
{
    ntrun_config *cfg = ntrun_config_new();
    ntrun_program *p = (ntrun_program *)cfg; /* not NULL: the call must clear it */
    ntrun_child *c = (ntrun_child *)cfg;
    cr_assert_eq(ntrun_load(cfg, PE("exit42.exe"), NULL), NTRUN_E_INVALID_ARGUMENT);
    cr_assert_str_eq(ntrun_error_message(), "out is NULL");
    cr_assert_eq(ntrun_spawn(cfg, PE("exit42.exe"), NULL), NTRUN_E_INVALID_ARGUMENT);
    cr_assert_str_eq(ntrun_error_message(), "out is NULL");
    cr_assert_eq(ntrun_load(NULL, PE("exit42.exe"), &p), NTRUN_E_INVALID_ARGUMENT);
    cr_assert_str_eq(ntrun_error_message(), "config is NULL");
    cr_assert_null(p);
    cr_assert_eq(ntrun_spawn(NULL, PE("exit42.exe"), &c), NTRUN_E_INVALID_ARGUMENT);
    cr_assert_str_eq(ntrun_error_message(), "config is NULL");
    cr_assert_null(c);
    p = (ntrun_program *)cfg;
    c = (ntrun_child *)cfg;
    cr_assert_eq(ntrun_load(cfg, "", &p), NTRUN_E_INVALID_ARGUMENT);
    cr_assert_str_eq(ntrun_error_message(), "path: no program given");
    cr_assert_null(p);
    cr_assert_eq(ntrun_spawn(cfg, NULL, &c), NTRUN_E_INVALID_ARGUMENT);
    cr_assert_str_eq(ntrun_error_message(), "path: no program given");
    cr_assert_null(c);
    ntrun_config_free(cfg);
}

/* NT calls the built-in DLLs make for the program (printf's NtWriteFile through msvcrt and
 * kernel32) are counted apart from the program's own, in the totals and by name, in-process
 * and in a child (whose counts come over its socket). */
static const ntrun_nt_call_counts *find_call(const ntrun_nt_call_counts *v, size_t n,
                                             const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].name, name))
            return &v[i];
    return NULL;
}

static void expect_builtin_write(const ntrun_stats *st, const ntrun_nt_call_counts *v, size_t n)
{
    cr_assert_gt(st->nt_calls_builtin, 0, "nt_calls_builtin %llu",
                 (unsigned long long)st->nt_calls_builtin);
    const ntrun_nt_call_counts *w = find_call(v, n, "NtWriteFile");
    cr_assert(w, "no NtWriteFile among %zu calls", n);
    cr_assert_geq(w->builtin, 1, "NtWriteFile by built-ins: %llu", (unsigned long long)w->builtin);
    cr_assert_eq(w->trap + w->thunk, 0, "the program did not call NtWriteFile itself");
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        total += v[i].builtin;
        if (i)
            cr_assert_geq(v[i - 1].trap + v[i - 1].thunk + v[i - 1].builtin,
                          v[i].trap + v[i].thunk + v[i].builtin, "most frequent first");
    }
    cr_assert_eq(total, st->nt_calls_builtin, "by name %llu, total %llu",
                 (unsigned long long)total, (unsigned long long)st->nt_calls_builtin);
}

Test(lib, builtin_nt_calls_are_counted_by_name_in_process_and_in_a_child)
{
    capture out = {0};
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_stdout_callback(cfg, cap_write, &out);
    ntrun_program *p;
    cr_assert_eq(ntrun_load(cfg, PE("exit42.exe"), &p), NTRUN_OK, "%s", ntrun_error_message());
    uint32_t code;
    cr_assert_eq(ntrun_run(p, &code), NTRUN_OK);
    cr_assert(strstr(out.buf, "about to call ExitProcess(42)"), "%s", out.buf);
    ntrun_stats st = {.size = sizeof st};
    cr_assert_eq(ntrun_get_stats(p, &st), NTRUN_OK);
    ntrun_nt_call_counts v[64];
    size_t n = ntrun_get_nt_call_counts(p, v, 64);
    cr_assert_leq(n, 64);
    expect_builtin_write(&st, v, n);
    /* the old list keeps its meaning: only what the program called itself */
    ntrun_nt_call own[64];
    size_t nown = ntrun_get_nt_calls(p, own, 64);
    for (size_t i = 0; i < nown && i < 64; i++)
        cr_assert_gt(own[i].trap + own[i].thunk, 0, "%s", own[i].name);
    ntrun_program_free(p);

    capture out2 = {0};
    ntrun_config_set_stdout_callback(cfg, cap_write, &out2);
    ntrun_child *c;
    cr_assert_eq(ntrun_spawn(cfg, PE("exit42.exe"), &c), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(ntrun_child_nt_call_counts(c, v, 64), 0, "nothing before the wait");
    cr_assert_eq(ntrun_child_wait(c, -1, &code), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(code, 42);
    ntrun_stats cst = {.size = sizeof cst};
    cr_assert_eq(ntrun_child_stats(c, &cst), NTRUN_OK);
    n = ntrun_child_nt_call_counts(c, v, 64);
    cr_assert_leq(n, 64);
    expect_builtin_write(&cst, v, n);
    ntrun_child_free(c);
    ntrun_config_free(cfg);
}

/* A stop that comes while the child is still starting (the request is sent at once after the
 * spawn, so usually before the program is loaded) is graceful whenever it lands: the child
 * reports (it was not killed: its report has a peak RSS) with the terminate's code and reason,
 * or for a close 0xC000013A and "closed by the host", never a kill by a signal. */
Test(lib, stop_during_a_childs_load_is_graceful)
{
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_stdout_callback(cfg, discard, NULL);
    ntrun_config_set_terminate_grace(cfg, 60000); /* a kill would take a minute: none comes */
    for (int close_it = 0; close_it < 2; close_it++) {
        ntrun_child *c;
        cr_assert_eq(ntrun_spawn(cfg, PE("sleeper.exe"), &c), NTRUN_OK, "%s",
                     ntrun_error_message());
        cr_assert_eq(close_it ? ntrun_child_close(c) : ntrun_child_terminate(c, 7), NTRUN_OK);
        uint32_t code = 0;
        ntrun_error e = ntrun_child_wait(c, 30000, &code);
        ntrun_exit_info x = {.size = sizeof x};
        ntrun_stats st = {.size = sizeof st};
        if (e == NTRUN_OK) {
            ntrun_child_exit_info(c, &x);
            ntrun_child_stats(c, &st);
        }
        ntrun_child_free(c);
        const char *what = close_it ? "close" : "terminate";
        cr_assert_eq(e, NTRUN_OK, "%s: the child did not end: %s", what, ntrun_error_name(e));
        cr_assert_eq(code, close_it ? 0xC000013Au : 7u, "%s: code %#x", what, code);
        cr_assert_eq(x.reason, close_it ? NTRUN_END_CLOSED : NTRUN_END_TERMINATED,
                     "%s: reason %s", what, ntrun_end_reason_name(x.reason));
        cr_assert_eq(x.signal, 0, "%s: signal %d", what, x.signal);
        cr_assert_gt(st.peak_rss_bytes, 0, "%s: no report: it was killed, not asked", what);
    }
    cr_assert_str_eq(ntrun_end_reason_name(NTRUN_END_CLOSED), "closed by the host");
    ntrun_config_free(cfg);
}

/* Runs `exe` to its end in-process (ntrun_run_file) or in a child run (ntrun_spawn and
 * ntrun_child_wait): its exit code. */
static uint32_t run_or_spawn(const ntrun_config *cfg, const char *exe, bool spawn)
{
    uint32_t code = 1;
    if (spawn) {
        ntrun_child *c;
        cr_assert_eq(ntrun_spawn(cfg, exe, &c), NTRUN_OK, "%s", ntrun_error_message());
        cr_assert_eq(ntrun_child_wait(c, -1, &code), NTRUN_OK, "%s", ntrun_error_message());
        ntrun_child_free(c);
    } else {
        cr_assert_eq(ntrun_run_file(cfg, exe, &code, NULL), NTRUN_OK, "%s",
                     ntrun_error_message());
    }
    return code;
}

/* A program whose imports bring in DLL files (dll_static.exe: mydll.dll, which imports
 * mydll2.dll): each is reported with its path, base and size, before "started", in-process
 * and from a child. */
Test(lib, dll_files_are_reported_with_their_path_before_the_start)
{
    for (int child = 0; child < 2; child++) {
        static event_log log;
        memset(&log, 0, sizeof log);
        ntrun_config *cfg = ntrun_config_new();
        int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
        ntrun_config_set_stdout_fd(cfg, devnull); /* no output events: D S X */
        ntrun_config_set_event_callback(cfg, log_event, &log);
        const char *exe = NTRUN_TEST_CORPUS_DIR "/dll_static.exe";
        uint32_t code = run_or_spawn(cfg, exe, child);
        ntrun_config_free(cfg);
        close(devnull);
        const char *what = child ? "child" : "in-process";
        cr_assert_eq(code, 0, "%s: exit code %u", what, code);
        cr_assert_str_eq(log.types, "DSX", "%s: events %s", what, log.types);
        cr_assert(strstr(log.dlls, "mydll.dll:0 "), "%s: DLLs %s", what, log.dlls);
        cr_assert(strstr(log.dlls, "mydll2.dll:0 "), "%s: DLLs %s", what, log.dlls);
        cr_assert(!log.dll_bad, "%s: a DLL record without base/size or path: %s", what,
                  log.dlls);
    }
}

/* A DLL named without a path is found in the run's current directory (Windows' search order:
 * the program's directory, the system directories, then the current directory), the run's own
 * (ntrun_config_set_cwd), not the host's: run in a directory holding mydll2.dll, the program
 * loads it; run in an empty directory, LoadLibrary fails with ERROR_MOD_NOT_FOUND (126, which
 * the program reports capped as 155), both in-process and as a child. */
Test(lib, dll_search_uses_the_runs_directory)
{
    char with[] = "/tmp/ntrun-dllcwd-a-XXXXXX", without[] = "/tmp/ntrun-dllcwd-b-XXXXXX";
    cr_assert(mkdtemp(with) && mkdtemp(without));
    char dst[256];
    snprintf(dst, sizeof dst, "%s/mydll2.dll", with);
    int in = open(NTRUN_TEST_CORPUS_DIR "/mydll2.dll", O_RDONLY | O_CLOEXEC);
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    cr_assert(in >= 0 && out >= 0);
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        cr_assert_eq(write(out, buf, (size_t)n), n);
    close(in);
    close(out);
    cr_assert_neq(access("mydll2.dll", F_OK), 0, "the host's cwd holds mydll2.dll");
    for (int child = 0; child < 2; child++) {
        for (int has = 1; has >= 0; has--) {
            ntrun_config *cfg = ntrun_config_new();
            const char *args[] = {"loadlib.exe", "mydll2.dll", "Square"};
            ntrun_config_set_argv(cfg, 3, args);
            ntrun_config_set_cwd(cfg, has ? with : without);
            int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
            ntrun_config_set_stdout_fd(cfg, devnull); /* mydll2's DllMain prints */
            uint32_t code = run_or_spawn(cfg, PE("loadlib.exe"), child);
            ntrun_config_free(cfg);
            close(devnull);
            cr_assert_eq(code, has ? 0u : 155u, "%s, %s the DLL: exit code %u",
                         child ? "child" : "in-process", has ? "with" : "without", code);
        }
    }
    unlink(dst);
    rmdir(with);
    rmdir(without);
}

/* "/tmp/x" -> "Z:\tmp\x" */
static void windows_form(const char *dir, char *out, size_t size)
{
    snprintf(out, size, "Z:%s", dir);
    for (char *c = out; *c; c++)
        if (*c == '/')
            *c = '\\';
}

/* The run's current directory is its own: a program started in directory A (set_cwd) sees A in
 * GetCurrentDirectory, _getcwd and _wgetcwd and opens A's files by relative names; after
 * SetCurrentDirectory(B) and _chdir("sub") it creates files by relative names (CreateFile,
 * fopen) there, and a child it starts without a directory starts there too. Meanwhile, and
 * after the run, the host's working directory (every launcher thread's) is what it was and
 * nothing was created in it. */
Test(lib, set_current_directory_in_a_run_leaves_the_hosts_cwd_alone)
{
    char host[4096], now[4096];
    cr_assert(getcwd(host, sizeof host));
    char a[] = "/tmp/ntrun-cwd-a-XXXXXX", b[] = "/tmp/ntrun-cwd-b-XXXXXX";
    cr_assert(mkdtemp(a) && mkdtemp(b));
    char path[256];
    snprintf(path, sizeof path, "%s/input.txt", a);
    FILE *in_file = fopen(path, "w");
    cr_assert(in_file);
    fputs("from A\n", in_file);
    fclose(in_file);
    char win_a[64], win_b[64];
    windows_form(a, win_a, sizeof win_a);
    windows_form(b, win_b, sizeof win_b);
    int in[2];
    cr_assert_eq(pipe2(in, O_CLOEXEC), 0);
    static capture out;
    ntrun_config *cfg = ntrun_config_new();
    const char *args[] = {"cwd_change.exe", win_b};
    ntrun_config_set_argv(cfg, 2, args);
    ntrun_config_set_cwd(cfg, a);
    ntrun_config_set_stdin_fd(cfg, in[0]);
    ntrun_config_set_stdout_callback(cfg, cap_write, &out);
    ntrun_program *p;
    cr_assert_eq(ntrun_load(cfg, PE("cwd_change.exe"), &p), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert(getcwd(now, sizeof now));
    cr_assert_str_eq(now, host, "the host's cwd after the load");
    cr_assert_eq(ntrun_program_start(p), NTRUN_OK);
    uint32_t code = 1;
    bool ended = false;
    for (int i = 0; i < 4000 && !strstr(out.buf, "child ") && !ended; i++)
        ended = ntrun_program_wait(p, 5, &code) == NTRUN_OK;
    for (int i = 0; i < 400 && !ended && !strchr(strstr(out.buf, "child ") ?: "", '\n'); i++)
        ended = ntrun_program_wait(p, 5, &code) == NTRUN_OK;
    cr_assert(getcwd(now, sizeof now));
    cr_assert_str_eq(now, host, "the host's cwd during the run");
    cr_assert_eq(write(in[1], "\n", 1), 1);
    cr_assert_eq(ntrun_program_wait(p, -1, &code), NTRUN_OK, "%s", ntrun_error_message());
    ntrun_program_free(p);
    ntrun_config_free(cfg);
    close(in[0]);
    close(in[1]);
    cr_assert_eq(code, 0, "exit code %u (the step that failed); output:\n%s", code, out.buf);
    cr_assert(getcwd(now, sizeof now));
    cr_assert_str_eq(now, host, "the host's cwd after the run");
    char want[1024];
    snprintf(want, sizeof want,
             "start %s\r\ngetcwd %s wgetcwd %s\r\nread from A\r\ncwd %s\\sub\r\nchild %s\\sub\r\n",
             win_a, win_a, win_a, win_b, win_b);
    cr_assert_str_eq(out.buf, want);
    const char *made[] = {"by_createfile.txt", "by_fopen.txt", "sub/in_sub.txt",
                          "sub/child_cwd.txt"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", b, made[i]);
        cr_assert_eq(access(path, F_OK), 0, "%s was not created", path);
        cr_assert_neq(access(made[i], F_OK), 0, "%s was created in the host's cwd", made[i]);
        cr_assert_neq(access(strchr(made[i], '/') ? strchr(made[i], '/') + 1 : made[i], F_OK), 0,
                      "%s was created in the host's cwd", made[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/sub", b);
    rmdir(path);
    rmdir(b);
    snprintf(path, sizeof path, "%s/input.txt", a);
    unlink(path);
    rmdir(a);
}

/* While an in-process program runs (started asynchronously), a second in-process load fails
 * cleanly with NTRUN_E_BUSY and a message that says why, and a child can still run. */
Test(lib, second_in_process_run_while_one_runs_is_busy_and_children_are_not)
{
    ntrun_config *cfg = ntrun_config_new();
    ntrun_config_set_stdout_callback(cfg, discard, NULL);
    ntrun_program *a, *b = (ntrun_program *)1;
    cr_assert_eq(ntrun_load(cfg, PE("sleeper.exe"), &a), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(ntrun_program_start(a), NTRUN_OK);
    cr_assert_eq(ntrun_load(cfg, PE("exit42.exe"), &b), NTRUN_E_BUSY);
    cr_assert_null(b);
    cr_assert(strstr(ntrun_error_message(), "one in-process run at a time"), "%s",
              ntrun_error_message());
    ntrun_child *c;
    uint32_t code = 0;
    cr_assert_eq(ntrun_spawn(cfg, PE("exit42.exe"), &c), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(ntrun_child_wait(c, -1, &code), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(code, 42);
    ntrun_child_free(c);
    cr_assert_eq(ntrun_program_terminate(a, 9, -1), NTRUN_OK, "%s", ntrun_error_message());
    cr_assert_eq(ntrun_program_wait(a, -1, &code), NTRUN_OK);
    cr_assert_eq(code, 9);
    ntrun_program_free(a);
    ntrun_config_free(cfg);
}

/* A process that ends again while it ends (tests/pe/exit_hook_exception.c: an atexit handler
 * that msvcrt's detach runs during ExitProcess(7) calls ExitProcess(5)) ends with the second
 * code in-process too, and the host's next runs (the same case, then another program) end
 * normally: the exit state of the run is not left half done. */
Test(lib, exit_during_the_exit_returns_the_second_code_and_the_host_continues)
{
    for (int run = 0; run < 2; run++) {
        static capture out, err;
        out.len = err.len = 0;
        out.buf[0] = err.buf[0] = 0;
        ntrun_config *cfg = ntrun_config_new();
        ntrun_config_set_stdout_callback(cfg, cap_write, &out);
        ntrun_config_set_stderr_callback(cfg, cap_write, &err);
        const char *argv[] = {"exit_hook_exception.exe", "exit-in-exit"};
        ntrun_config_set_argv(cfg, 2, argv);
        uint32_t code = 0xdeadbeef;
        cr_assert_eq(ntrun_run_file(cfg, NTRUN_TEST_CORPUS_DIR "/exit_hook_exception.exe", &code,
                                    NULL),
                     NTRUN_OK, "%s", ntrun_error_message());
        ntrun_config_free(cfg);
        cr_assert_eq(code, 5, "run %d: exit code %#x, stdout: %s", run, code, out.buf);
        cr_assert(strstr(out.buf, "atexit handler calls ExitProcess(5)"), "run %d: %s", run,
                  out.buf);
    }
    static capture out2, err2;
    cr_assert_eq(run_captured(PE("exit42.exe"), &out2, &err2, NULL), 42);
    cr_assert_str_eq(out2.buf, "about to call ExitProcess(42)\r\n");
}

/* msvcrt's _acmdln/__argv/_environ & co. live in the program's memory (tests/pe/
 * crt_globals_contain.c rewrites them with its own and with garbage pointers): the teardown
 * frees nothing through them, the host survives, and the next run has its own fresh values. */
Test(lib, crt_globals_rewritten_by_a_program_do_not_reach_the_next_run)
{
    for (int run = 0; run < 3; run++) {
        capture out = {0}, err = {0};
        uint32_t code =
            run_captured(NTRUN_TEST_CORPUS_DIR "/crt_globals_contain.exe", &out, &err, NULL);
        cr_assert_eq(code, 0, "run %d: exit %u, stdout: %.*s", run, code, (int)out.len, out.buf);
        cr_assert(strstr(out.buf, "argc 3: [one] [two]\r\n"), "run %d: %s", run, out.buf);
        cr_assert(strstr(out.buf, "0 problems\r\natexit handler ran\r\n"), "run %d: %s", run,
                  out.buf);
    }
}

/* A program's own children (CreateProcess) see the run's drive mappings, not the defaults:
 * with C: and D: mapped to directories of the host's, each holding a marker.txt, the program
 * and its child read both markers; with C: unmapped, neither has a C:. In-process and in a
 * child run (ntrun_spawn, whose options carry the drives to the helper). */
Test(lib, drive_mappings_reach_the_programs_children)
{
    char c[] = "/tmp/ntrun-drive-c-XXXXXX", d[] = "/tmp/ntrun-drive-d-XXXXXX";
    cr_assert(mkdtemp(c) && mkdtemp(d));
    char path[256];
    const char *dirs[] = {c, d}, *marks[] = {"on C\n", "on D\n"};
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/marker.txt", dirs[i]);
        FILE *f = fopen(path, "w");
        cr_assert(f);
        fputs(marks[i], f);
        fclose(f);
    }
    for (int spawn = 0; spawn < 2; spawn++) {
        for (int no_c = 0; no_c < 2; no_c++) {
            static capture out;
            memset(&out, 0, sizeof out);
            ntrun_config *cfg = ntrun_config_new();
            const char *args[] = {"drive_child.exe"};
            ntrun_config_set_argv(cfg, 1, args);
            ntrun_config_set_drive(cfg, 'C', no_c ? NULL : c);
            ntrun_config_set_drive(cfg, 'D', d);
            ntrun_config_set_stdout_callback(cfg, cap_write, &out);
            uint32_t code = run_or_spawn(cfg, PE("drive_child.exe"), spawn);
            ntrun_config_free(cfg);
            const char *cl = no_c ? "unmapped" : "on C";
            char want[512];
            snprintf(want, sizeof want,
                     "parent C: %s\r\nparent D: on D\r\nchild C: %s\r\nchild D: on D\r\n", cl, cl);
            cr_assert_eq(code, 0, "%s, C: %s: exit code %u; output:\n%s",
                         spawn ? "spawned" : "in-process", no_c ? "unmapped" : "mapped", code,
                         out.buf);
            cr_assert_str_eq(out.buf, want, "%s, C: %s", spawn ? "spawned" : "in-process",
                             no_c ? "unmapped" : "mapped");
        }
    }
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/marker.txt", dirs[i]);
        unlink(path);
        rmdir(dirs[i]);
    }
}
