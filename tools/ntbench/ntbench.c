/* SPDX-License-Identifier: MIT */
/* ntbench: the cost of crossing between foreign and native code, measured honestly.
 *
 * Native cases run in this process on a thread set up exactly like a foreign thread (TEB, gs,
 * SUD armed). Cases named pe.* run inside ntbench-pe.exe, a real mingw-w64 program, under ntrun
 * (it times itself with QueryPerformanceCounter and prints its figures; --compare-wine runs it
 * under wine64 too). Start-up cases spawn whole processes (native hello ELF vs ntrun hello.exe,
 * wall and CPU time, peak RSS) and run hello.exe repeatedly in-process through libntrun.
 * Cases named stdio.* spawn one C source built twice (tools/ntbench/stdio-bench.c): under
 * ntrun against the built-in msvcrt and natively against glibc (putc/getc, lines).
 * Every case is calibrated (one repetition lasts >= 20 ms, 2 ms with --quick), then repeated in
 * rounds (7, 3 with --quick; one repetition of every case per round, so load changes on a
 * shared machine hit a case and its baseline alike), and reported as median and best ns per
 * operation, with its baseline case and the ratio of the medians. docs/performance.md has the
 * figures and how to read them. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/timerfd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include "ntrun.h"
#include "runtime/runtime.h"
#include "kernel.h"

extern char **environ;

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#endif
#define NTB_DISPATCH_INCLUSIVE_ON 2

typedef struct result {
    char name[64];
    const char *baseline;
    const char *what;
    double median_ns, best_ns;
    long iterations;
    long rss_kb;  /* start-up cases: peak RSS of the child, else 0 */
    double cpu_ns; /* process start-up cases: median user+system CPU time of the child; issue 11's
                    * service cases: the process's CPU time per operation, all its threads;
                    * else NAN (wall time suffers most from other load on a shared machine) */
    double wine_median_ns; /* --compare-wine, else NAN */
    int ok;
    const char *skipped; /* why the case cannot run on this machine (not a failure) */
} result;

static struct {
    int quick, json, compare_wine, progress;
    const char *filter;
    const char *ntrun, *pe, *hello_exe, *hello_native, *stdio_exe, *stdio_native;
    const char *lua_exe, *lua_native, *lua_script;
} opt;

#define MAX_RESULTS 128 /* every case of a full run (66 with issue 11's services) */
static result results[MAX_RESULTS];
static int nresults;

/* ---- timing ---- */
static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double cpu_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* CPU time of the whole process, every thread (an echo thread's too), in ns. */
static double process_cpu_ns(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e9 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Calibration: the iteration count for which one repetition lasts >= 20 ms (2 ms --quick). */
static long calibrate(void (*run)(long n))
{
    const double target = opt.quick ? 2e6 : 20e6;
    long n = 64;
    for (;;) {
        double t0 = now_ns();
        run(n);
        double dt = now_ns() - t0;
        if (dt >= target || n > (1L << 40))
            return n;
        n = dt < target / 16 ? n * 16 : n * 2;
    }
}

static void summarize(result *r, double *per, int reps, long n)
{
    qsort(per, (size_t)reps, sizeof per[0], cmp_double);
    r->median_ns = per[reps / 2];
    r->best_ns = per[0];
    r->iterations = n;
    r->ok = 1;
}

/* ---- native cases ---- */
static volatile long sink;
static __attribute__((noinline)) long plain_function(long x) { return x + 1; }
static long (*volatile plain_ptr)(long) = plain_function;

static void run_call_indirect(long n) { for (long i = 0; i < n; i++) sink = plain_ptr(i); }

/* the host's clock as NtQuerySystemTime reads it (the vDSO's CLOCK_REALTIME) */
static void run_clock_gettime(long n)
{
    struct timespec ts;
    for (long i = 0; i < n; i++)
        clock_gettime(CLOCK_REALTIME, &ts);
    sink = ts.tv_nsec;
}

static void run_selector_flip(long n)
{
    for (long i = 0; i < n; i++)
        __asm__ volatile("movb $1, %%gs:%c0\n\tmovb $0, %%gs:%c0" ::"i"(RT_SEL_OFFSET) : "memory");
}

static void run_sysinfo(long n)
{
    struct sysinfo si;
    for (long i = 0; i < n; i++)
        sysinfo(&si);
    sink = si.procs;
}

/* sysinfo from inside the bypass range (ntrun's own text) with the selector at BLOCK */
static void run_sysinfo_in_range_block(long n)
{
    struct sysinfo si;
    rt_current_thread()->selector = RT_SEL_BLOCK;
    for (long i = 0; i < n; i++)
        rt_raw_syscall6(SYS_sysinfo, (long)&si, 0, 0, 0, 0, 0);
    rt_current_thread()->selector = RT_SEL_ALLOW;
    sink = si.procs;
}

/* The bare SIGSYS round trip: trap, an empty handler, sigreturn through ntrun's restorer. */
static void bare_sigsys(int sig, siginfo_t *si, void *uc)
{
    ((ucontext_t *)uc)->uc_mcontext.gregs[REG_RAX] = 0;
}

static void run_sigsys_bare(long n)
{
    rt_current_thread()->selector = RT_SEL_BLOCK;
    for (long i = 0; i < n; i++)
        syscall(SYS_getppid); /* libc's syscall(): outside the range, so it traps */
    rt_current_thread()->selector = RT_SEL_ALLOW;
}

static void run_cpu_native(long n) { sink = (long)ntbench_cpu_kernel((uint64_t)n); }
/* glibc's malloc(32) + free: what the program's heap (thunks/ntdll/heap.c) is measured against. */
static void run_malloc_native(long n)
{
    for (long i = 0; i < n; i++) {
        void *p = malloc(32);
        sink = (long)(uintptr_t)p;
        free(p);
    }
}
/* posix_spawn of the native hello, its stdout to /dev/null, then waitpid: the native twin of
 * pe.process.create (CreateProcessW of hello.exe from a program under ntrun). */
static void run_spawn_native(long n)
{
    char *argv[] = {(char *)opt.hello_native, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    for (long i = 0; i < n; i++) {
        pid_t pid;
        int status;
        if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0 ||
            waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "ntbench: native.process.spawn: %s did not run\n", argv[0]);
            break;
        }
    }
    posix_spawn_file_actions_destroy(&fa);
}

/* ---- the native twins of issue 11's services (ntbench-pe.c: pe.iocp.*, pe.timer.wait,
 * pe.tcp.*). Each sets itself up on its first call (calibration's); a failure ends ntbench
 * with the call named, so a broken case is never timed as a fast one. ---- */
static void native_die(const char *what)
{
    fprintf(stderr, "ntbench: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* pread of 4 KiB at offset 0 of a temporary file: what ntrun does underneath an overlapped
 * ReadFile of a regular file (ntemu/async.c completes it at once; epoll refuses regular files),
 * before it queues the completion packet. */
static int pread_fd = -1;
static void run_iocp_pread(long n)
{
    static char buf[4096];
    if (pread_fd < 0) {
        char path[] = "/tmp/ntbench-pread-XXXXXX";
        pread_fd = mkstemp(path);
        if (pread_fd < 0)
            native_die("native.iocp.pread: mkstemp");
        unlink(path);
        memset(buf, 'x', sizeof buf);
        if (pwrite(pread_fd, buf, sizeof buf, 0) != (ssize_t)sizeof buf)
            native_die("native.iocp.pread: pwrite");
    }
    for (long i = 0; i < n; i++)
        if (pread(pread_fd, buf, sizeof buf, 0) != (ssize_t)sizeof buf)
            native_die("native.iocp.pread: pread");
    sink = buf[0];
}

/* A 1-byte write into an AF_UNIX stream pair (what ntrun makes a byte-mode named pipe of),
 * epoll_wait for the other end to be readable, then its 1-byte read: the twin of pe.iocp.pipe. */
static int upipe[2] = {-1, -1}, upipe_ep = -1;
static void run_iocp_pipe_native(long n)
{
    if (upipe_ep < 0) {
        struct epoll_event ev = {.events = EPOLLIN};
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, upipe) != 0 ||
            (upipe_ep = epoll_create1(EPOLL_CLOEXEC)) < 0 ||
            epoll_ctl(upipe_ep, EPOLL_CTL_ADD, upipe[0], &ev) != 0)
            native_die("native.iocp.pipe: socketpair/epoll");
    }
    for (long i = 0; i < n; i++) {
        char out = (char)i, in = 0;
        struct epoll_event ev;
        if (write(upipe[1], &out, 1) != 1 || epoll_wait(upipe_ep, &ev, 1, -1) != 1 ||
            read(upipe[0], &in, 1) != 1 || in != out)
            native_die("native.iocp.pipe: write/epoll_wait/read");
    }
}

/* A timer 100 us ahead, waited for; reported beyond the 100 us (as pe.timer.wait). timerfd:
 * timerfd_settime (relative) + read; nanosleep: clock_nanosleep(CLOCK_MONOTONIC), relative,
 * which the thread's timer slack (50 us by default) may lengthen. */
#define TIMER_DUE_NS 100000
static void run_timer_timerfd(long n)
{
    static int tfd = -1;
    if (tfd < 0 && (tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC)) < 0)
        native_die("native.timer.timerfd: timerfd_create");
    struct itimerspec its = {.it_value = {.tv_nsec = TIMER_DUE_NS}};
    for (long i = 0; i < n; i++) {
        uint64_t ticks;
        if (timerfd_settime(tfd, 0, &its, NULL) != 0 || read(tfd, &ticks, sizeof ticks) != 8)
            native_die("native.timer.timerfd: timerfd_settime/read");
    }
}
static void run_timer_nanosleep(long n)
{
    struct timespec ts = {.tv_nsec = TIMER_DUE_NS};
    for (long i = 0; i < n; i++)
        clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
}

/* A loopback TCP round trip (TCP_NODELAY): send 1 byte, recv it back from an echo thread
 * (blocking recv, send); tcp.rtt1t: both ends in this thread, the data there when recv runs. */
static void tcp_pair_native(int *client, int *server)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    int one = 1, l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(l, 1) != 0 ||
        getsockname(l, (struct sockaddr *)&sa, &len) != 0)
        native_die("native.tcp: listen socket");
    *client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (*client < 0 || connect(*client, (struct sockaddr *)&sa, sizeof sa) != 0)
        native_die("native.tcp: connect");
    if ((*server = accept4(l, NULL, NULL, SOCK_CLOEXEC)) < 0)
        native_die("native.tcp: accept");
    close(l);
    setsockopt(*client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(*server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}
static void *tcp_echo_native(void *arg)
{
    int s = (int)(intptr_t)arg;
    char c;
    while (recv(s, &c, 1, 0) == 1)
        if (send(s, &c, 1, MSG_NOSIGNAL) != 1)
            break;
    return NULL;
}
static void run_tcp_rtt_native(long n)
{
    static int a = -1;
    if (a < 0) {
        int b;
        pthread_t t;
        tcp_pair_native(&a, &b);
        if (pthread_create(&t, NULL, tcp_echo_native, (void *)(intptr_t)b) != 0)
            native_die("native.tcp.rtt: pthread_create");
        pthread_detach(t);
    }
    for (long i = 0; i < n; i++) {
        char out = (char)i, in = 0;
        if (send(a, &out, 1, MSG_NOSIGNAL) != 1 || recv(a, &in, 1, 0) != 1 || in != out)
            native_die("native.tcp.rtt: send/recv");
    }
}
/* The twin of pe.tcp.rtt.port: send 1 byte, epoll_wait for the echo, recv it. */
static void run_tcp_rtt_epoll_native(long n)
{
    static int a = -1, ep = -1;
    if (a < 0) {
        int b;
        pthread_t t;
        struct epoll_event ev = {.events = EPOLLIN};
        tcp_pair_native(&a, &b);
        if (pthread_create(&t, NULL, tcp_echo_native, (void *)(intptr_t)b) != 0)
            native_die("native.tcp.rtt.epoll: pthread_create");
        pthread_detach(t);
        if ((ep = epoll_create1(EPOLL_CLOEXEC)) < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, a, &ev) != 0)
            native_die("native.tcp.rtt.epoll: epoll");
    }
    for (long i = 0; i < n; i++) {
        char out = (char)i, in = 0;
        struct epoll_event ev;
        if (send(a, &out, 1, MSG_NOSIGNAL) != 1 || epoll_wait(ep, &ev, 1, -1) != 1 ||
            recv(a, &in, 1, 0) != 1 || in != out)
            native_die("native.tcp.rtt.epoll: send/epoll_wait/recv");
    }
}
static void run_tcp_rtt1t_native(long n)
{
    static int c = -1, d = -1;
    if (c < 0)
        tcp_pair_native(&c, &d);
    for (long i = 0; i < n; i++) {
        char out = (char)i, in = 0, back = 0;
        if (send(c, &out, 1, MSG_NOSIGNAL) != 1 || recv(d, &in, 1, 0) != 1 ||
            send(d, &in, 1, MSG_NOSIGNAL) != 1 || recv(c, &back, 1, 0) != 1 || back != out)
            native_die("native.tcp.rtt1t: send/recv");
    }
}

static int sud_prctl(unsigned long mode, void *start, unsigned long len)
{
    return prctl(PR_SET_SYSCALL_USER_DISPATCH, mode, (unsigned long)start, len,
                 mode ? &rt_current_thread()->selector : NULL);
}

static result *new_result(const char *name, const char *baseline, const char *what)
{
    if (nresults == MAX_RESULTS) { /* a table that outgrew the array: say so, never overrun */
        fprintf(stderr, "ntbench: more than %d cases: raise MAX_RESULTS\n", MAX_RESULTS);
        exit(1);
    }
    result *r = &results[nresults++];
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    r->baseline = baseline;
    r->what = what;
    r->wine_median_ns = NAN;
    r->cpu_ns = NAN;
    return r;
}

static int selected(const char *name)
{
    if (!opt.filter)
        return 1;
    /* comma-separated substrings */
    const char *p = opt.filter;
    while (*p) {
        size_t len = strcspn(p, ",");
        if (len && memmem(name, strlen(name), p, len))
            return 1;
        p += len + (p[len] == ',');
    }
    return 0;
}

/* One line on stderr, rewritten in place, naming the case being measured and the time so far
 * (a full run takes about a minute). On by default when stderr is a terminal. */
static double start_ns;
static void progress(const char *name)
{
    static int step;
    if (opt.progress)
        fprintf(stderr, "\rntbench: [%2d] %6.1f s  %-40s", ++step, (now_ns() - start_ns) / 1e9,
                name);
}

/* The native cases. Each has optional hooks run around every repetition (outside the timed
 * region) to put the thread in the state the case measures. */
static void sud_off_before(void) { rt_sud_disarm_current(); }
static void sud_off_after(void) { rt_sud_arm_current(); }
static void inclusive_before(void)
{
    rt_sud_disarm_current();
    /* as ntrun --sud=inclusive arms a thread: the foreign range */
    if (sud_prctl(NTB_DISPATCH_INCLUSIVE_ON, (void *)RT_FOREIGN_START,
                  RT_FOREIGN_END - RT_FOREIGN_START) != 0)
        rt_sud_arm_current();
}
static void inclusive_after(void)
{
    sud_prctl(0, NULL, 0);
    rt_sud_arm_current();
}
static void sigsys_before(void) { rt_install_signal_handler(SIGSYS, bare_sigsys, 0); }
static void sigsys_after(void) { rt_signals_reinstall(); }

enum { NEED_NOTHING, NEED_SUD, NEED_INCLUSIVE };
static const struct native_case {
    const char *name, *baseline, *what;
    void (*run)(long n);
    int need;
    void (*before)(void), (*after)(void);
    int cpu; /* timed in this thread's CPU time (the baseline of the CPU-timed pe.* cases) */
    double minus_ns; /* reported beyond this much per operation (a timer's due time) */
    int proc_cpu; /* also the process's CPU time per operation (all threads: getrusage) */
} native_cases[] = {
    {"native.call.indirect", NULL, "plain indirect call (baseline)", run_call_indirect,
     NEED_NOTHING, NULL, NULL},
    {"native.selector.flip", "native.call.indirect",
     "selector BLOCK then ALLOW (one crossing's flips)", run_selector_flip, NEED_NOTHING, NULL,
     NULL},
    {"native.syscall.sud_off", NULL, "sysinfo(), SUD off", run_sysinfo, NEED_NOTHING,
     sud_off_before, sud_off_after},
    {"native.syscall.allow", "native.syscall.sud_off", "sysinfo(), SUD armed, selector ALLOW",
     run_sysinfo, NEED_SUD, NULL, NULL},
    {"native.syscall.block_in_range", "native.syscall.sud_off",
     "sysinfo() from the bypass range, selector BLOCK", run_sysinfo_in_range_block, NEED_SUD,
     NULL, NULL},
    {"native.syscall.inclusive", "native.syscall.sud_off",
     "sysinfo(), armed as --sud=inclusive arms (Linux >= 6.17)", run_sysinfo, NEED_INCLUSIVE,
     inclusive_before, inclusive_after},
    {"native.sigsys.bare", "native.syscall.sud_off", "trap + empty SIGSYS handler + sigreturn",
     run_sigsys_bare, NEED_SUD, sigsys_before, sigsys_after},
    {"native.cpu", NULL, "CPU-bound kernel, native build (per iteration)", run_cpu_native,
     NEED_NOTHING, NULL, NULL},
    {"native.clock_gettime", NULL, "clock_gettime(CLOCK_REALTIME), the vDSO: CPU time per call",
     run_clock_gettime, NEED_NOTHING, NULL, NULL, 1},
    {"native.heap.malloc32", NULL, "glibc malloc(32) + free pair, native", run_malloc_native,
     NEED_NOTHING, NULL, NULL, 0},
    {"native.process.spawn", NULL,
     "posix_spawn + waitpid of the native hello (stdout /dev/null), per process", run_spawn_native,
     NEED_NOTHING, NULL, NULL},
    {"native.iocp.pread", NULL,
     "pread of 4 KiB from a file (what ntrun does under pe.iocp.read)", run_iocp_pread,
     NEED_NOTHING, NULL, NULL, 0, 0, 1},
    {"native.iocp.pipe", NULL,
     "1-byte write into an AF_UNIX stream pair, epoll_wait, 1-byte read", run_iocp_pipe_native,
     NEED_NOTHING, NULL, NULL, 0, 0, 1},
    {"native.timer.timerfd", NULL,
     "timerfd 100 us ahead + read: ns beyond the 100 us", run_timer_timerfd, NEED_NOTHING, NULL,
     NULL, 0, TIMER_DUE_NS, 1},
    {"native.timer.nanosleep", "native.timer.timerfd",
     "clock_nanosleep 100 us (timer slack applies): ns beyond the 100 us", run_timer_nanosleep,
     NEED_NOTHING, NULL, NULL, 0, TIMER_DUE_NS, 1},
    {"native.tcp.rtt", NULL,
     "loopback TCP round trip, 1 byte to an echo thread and back (TCP_NODELAY)",
     run_tcp_rtt_native, NEED_NOTHING, NULL, NULL, 0, 0, 1},
    {"native.tcp.rtt1t", NULL,
     "loopback TCP, one thread: send/recv/send/recv of 1 byte, no wake-ups",
     run_tcp_rtt1t_native, NEED_NOTHING, NULL, NULL, 0, 0, 1},    {"native.tcp.rtt.epoll", NULL,
     "loopback TCP round trip to an echo thread: send, epoll_wait, recv of 1 byte",
     run_tcp_rtt_epoll_native, NEED_NOTHING, NULL, NULL, 0, 0, 1},
};
#define NNATIVE (sizeof native_cases / sizeof native_cases[0])

/* Calibrates every selected case, then runs the repetitions in rounds (one repetition of each
 * case per round), so that a change of load on the shared machine hits a case and its baseline
 * alike instead of whichever case happened to run at the time. */
static void run_native_cases(void)
{
    const int reps = opt.quick ? 3 : 7;
    result *res[NNATIVE] = {0};
    long iters[NNATIVE] = {0};
    double per[NNATIVE][16], cpu[NNATIVE][16];
    for (size_t i = 0; i < NNATIVE; i++) {
        const struct native_case *c = &native_cases[i];
        if (!selected(c->name))
            continue;
        result *r = new_result(c->name, c->baseline, c->what);
        if (c->need != NEED_NOTHING && !rt_proc.sud_available) {
            r->skipped = "needs Syscall User Dispatch";
            continue;
        }
        if (c->need == NEED_INCLUSIVE && !rt_sud_inclusive_available()) {
            r->skipped = "needs SUD inclusive mode, Linux >= 6.17";
            continue;
        }
        progress(c->name);
        if (c->before)
            c->before();
        iters[i] = calibrate(c->run);
        if (c->after)
            c->after();
        res[i] = r;
    }
    for (int k = 0; k < reps; k++) {
        progress("native.* (rounds)");
        for (size_t i = 0; i < NNATIVE; i++) {
            const struct native_case *c = &native_cases[i];
            if (!res[i])
                continue;
            if (c->before)
                c->before();
            double c0 = c->proc_cpu ? process_cpu_ns() : 0;
            double t0 = c->cpu ? cpu_now_ns() : now_ns();
            c->run(iters[i]);
            per[i][k] = ((c->cpu ? cpu_now_ns() : now_ns()) - t0) / (double)iters[i] - c->minus_ns;
            if (c->proc_cpu)
                cpu[i][k] = (process_cpu_ns() - c0) / (double)iters[i];
            if (c->after)
                c->after();
        }
    }
    for (size_t i = 0; i < NNATIVE; i++) {
        if (!res[i])
            continue;
        summarize(res[i], per[i], reps, iters[i]);
        if (native_cases[i].proc_cpu) {
            qsort(cpu[i], (size_t)reps, sizeof cpu[i][0], cmp_double);
            res[i]->cpu_ns = cpu[i][reps / 2];
        }
    }
}

/* ---- child processes ---- */
/* Runs argv with stdout captured into buf (NUL-terminated); returns the exit status or -1. */
static int run_child(char *const argv[], char *buf, size_t size, struct rusage *ru)
{
    int pipefd[2];
    if (pipe(pipefd) != 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
    posix_spawn_file_actions_addclose(&fa, pipefd[0]);
    pid_t pid;
    int e = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pipefd[1]);
    if (e != 0) {
        close(pipefd[0]);
        return -1;
    }
    size_t used = 0;
    for (;;) {
        ssize_t k = read(pipefd[0], buf + used, size - 1 - used);
        if (k <= 0)
            break;
        used += (size_t)k;
        if (used == size - 1)
            break;
    }
    buf[used] = 0;
    close(pipefd[0]);
    int status;
    struct rusage dummy;
    if (wait4(pid, &status, 0, ru ? ru : &dummy) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static result *find_result(const char *name)
{
    for (int i = 0; i < nresults; i++)
        if (strcmp(results[i].name, name) == 0)
            return &results[i];
    return NULL;
}

static const struct {
    const char *name, *baseline, *what;
} pe_cases[] = {
    {"pe.call.indirect", NULL, "foreign: plain indirect call (baseline)"},
    {"pe.import.trivial", "pe.call.indirect", "GetLastError via import (a raw entry: no crossing)"},
    {"pe.import.pid", "pe.call.indirect", "GetCurrentProcessId via import"},
    {"pe.callback", "pe.call.indirect", "native->foreign->native: _initterm callback"},
    {"pe.nt.qpc.trap", "native.sigsys.bare", "NtQueryPerformanceCounter by raw syscall (trap)"},
    {"pe.nt.qpc.rewritten", "pe.nt.qpc.import",
     "NtQueryPerformanceCounter by raw syscall, the site rewritten after its first trap"},
    {"pe.nt.qpc.import", "pe.nt.qpc.trap", "NtQueryPerformanceCounter through ntdll import"},
    {"pe.nt.qpc.getproc", "pe.nt.qpc.import",
     "NtQueryPerformanceCounter via GetProcAddress(ntdll)"},
    {"pe.nt.systime.trap", "native.sigsys.bare", "NtQuerySystemTime by raw syscall (trap)"},
    {"pe.nt.systime.rewritten", "pe.nt.systime.import",
     "NtQuerySystemTime by raw syscall in a stub, rewritten after its first trap"},
    {"pe.nt.systime.inline", "pe.nt.systime.import",
     "NtQuerySystemTime by an inline syscall in a loop, rewritten after its first trap"},
    {"pe.nt.systime.stub1011", "pe.nt.systime.import",
     "NtQuerySystemTime through Windows 10/11's stub bytes (int 2e route), rewritten"},
    {"pe.nt.systime.stub1011.trap", "pe.nt.systime.trap",
     "the same stub under --no-rewrite: an int 2e trap (SIGSEGV) per call"},
    {"pe.nt.systime.import", "pe.call.indirect", "NtQuerySystemTime through ntdll import"},
    {"pe.nt.systime.getproc", "pe.nt.systime.import",
     "NtQuerySystemTime via GetProcAddress(ntdll)"},
    {"pe.nt.systime.import2t", "pe.nt.systime.import",
     "NtQuerySystemTime through ntdll import, two threads at once (per call of one)"},
    {"pe.nt.systime.import.cpu1t", "native.clock_gettime",
     "NtQuerySystemTime through ntdll import, 1 worker thread: CPU time per call"},
    {"pe.nt.systime.import.cpu2t", "pe.nt.systime.import.cpu1t",
     "the same, 2 threads at once: CPU time per call of one"},
    {"pe.nt.systime.import.cpu4t", "pe.nt.systime.import.cpu1t",
     "the same, 4 threads at once: CPU time per call of one"},
    {"pe.nt.systime.import.cpu8t", "pe.nt.systime.import.cpu1t",
     "the same, 8 threads at once: CPU time per call of one"},
    {"pe.cs.enter_leave", "pe.import.trivial",
     "uncontended EnterCriticalSection + LeaveCriticalSection pair (kernel32 imports)"},
    {"pe.cpu", "native.cpu", "CPU-bound kernel as foreign code (per iteration)"},
    {"pe.heap.malloc32", "native.heap.malloc32",
     "msvcrt malloc(32) + free pair: the program's own heap, through imports"},
    {"pe.heap.heapalloc48", "pe.heap.malloc32",
     "HeapAlloc(GetProcessHeap(), 0, 48) + HeapFree pair (kernel32 imports)"},
    {"pe.process.create", "native.process.spawn",
     "CreateProcessW of hello.exe + wait for its exit (stdout NUL), per process"},
    {"pe.iocp.read", "native.iocp.pread",
     "overlapped ReadFile 4 KiB (FILE_FLAG_OVERLAPPED file) + GetQueuedCompletionStatus"},
    {"pe.iocp.pipe", "native.iocp.pipe",
     "overlapped ReadFile 1 byte on a named pipe (pending), WriteFile 1 byte, "
     "GetQueuedCompletionStatus"},
    {"pe.timer.wait", "native.timer.timerfd",
     "high-resolution waitable timer 100 us ahead + WaitForSingleObject: ns beyond the 100 us"},
    {"pe.tcp.rtt", "native.tcp.rtt",
     "loopback TCP round trip via ws2_32 send/recv, 1 byte to an echo thread and back"},
    {"pe.tcp.rtt1t", "native.tcp.rtt1t",
     "loopback TCP, one thread: ws2_32 send/recv/send/recv of 1 byte, no wake-ups"},    {"pe.tcp.rtt.port", "native.tcp.rtt.epoll",
     "loopback TCP round trip: WSARecv overlapped via a completion port, send, "
     "GetQueuedCompletionStatus"},
    {"pe.tcp.rtt.afd", "native.tcp.rtt.epoll",
     "loopback TCP round trip as mio makes it: send, IOCTL_AFD_POLL via a \\Device\\Afd handle "
     "bound to a port, GetQueuedCompletionStatus, recv"},
    {"pe.tcp.rtt.poll", "native.tcp.rtt.epoll",
     "loopback TCP round trip: WSARecv overlapped via a completion port, send, a spin on "
     "HasOverlappedIoCompleted, GetQueuedCompletionStatus"},
};
#define NPE (sizeof pe_cases / sizeof pe_cases[0])

/* The crossings again under ntrun --sud=inclusive, side by side with the default mode's: each
 * result is "incl." + the case's name, its baseline the same case in the default mode. */
static const char *const pe_inclusive_cases[] = {
    "pe.import.trivial", "pe.callback", "pe.nt.qpc.trap", "pe.nt.qpc.rewritten",
    "pe.nt.qpc.import", "pe.nt.systime.trap", "pe.nt.systime.import", "pe.cs.enter_leave",
};
#define NPE_INCL (sizeof pe_inclusive_cases / sizeof pe_inclusive_cases[0])

/* Lines "NAME ITERATIONS MEDIAN BEST" into the result named prefix + NAME. */
static void parse_pe_output_as(char *out, int wine, const char *prefix)
{
    for (char *line = strtok(out, "\r\n"); line; line = strtok(NULL, "\r\n")) {
        char name[64], full[80];
        long n;
        double med, best, cpu = NAN;
        int fields = sscanf(line, "%63s %ld %lf %lf %lf", name, &n, &med, &best, &cpu);
        if (fields < 4)
            continue;
        snprintf(full, sizeof full, "%s%s", prefix, name);
        result *r = find_result(full);
        if (!r)
            continue;
        if (wine) {
            r->wine_median_ns = med;
        } else {
            r->median_ns = med;
            r->best_ns = best;
            r->iterations = n;
            r->cpu_ns = fields == 5 ? cpu : NAN; /* the process's CPU time per operation */
            r->ok = 1;
        }
    }
}

static void parse_pe_output(char *out, int wine) { parse_pe_output_as(out, wine, ""); }

static bool is_trap_case(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".trap") == 0;
}

static void run_pe_cases(void)
{
    char *argv[4 + NPE + 2];
    int argc = 0;
    argv[argc++] = (char *)opt.ntrun;
    argv[argc++] = (char *)opt.pe;
    if (opt.quick)
        argv[argc++] = "--quick";
    /* The *.trap cases measure the SIGSYS route: their sites must stay unrewritten, so they
     * run in a second process under --no-rewrite. */
    char *targv[5 + NPE + 2];
    int targc = 0;
    targv[targc++] = (char *)opt.ntrun;
    targv[targc++] = "--no-rewrite";
    targv[targc++] = (char *)opt.pe;
    if (opt.quick)
        targv[targc++] = "--quick";
    int any = 0, ntrap = 0;
    for (size_t i = 0; i < NPE; i++) {
        if (!selected(pe_cases[i].name))
            continue;
        new_result(pe_cases[i].name, pe_cases[i].baseline, pe_cases[i].what);
        if (is_trap_case(pe_cases[i].name))
            targv[targc++] = (char *)pe_cases[i].name, ntrap++;
        else
            argv[argc++] = (char *)pe_cases[i].name;
        any = 1;
    }
    argv[argc] = NULL;
    targv[targc] = NULL;
    if (!any)
        return;
    progress("pe.* (under ntrun)");
    static char out[65536];
    int st = 0;
    if (ntrap) {
        st = run_child(targv, out, sizeof out, NULL);
        if (st != 0)
            fprintf(stderr, "ntbench: %s --no-rewrite %s exited with status %d\n", opt.ntrun,
                    opt.pe, st);
        parse_pe_output(out, 0);
    }
    st = argc > (opt.quick ? 3 : 2) ? run_child(argv, out, sizeof out, NULL) : 0;
    if (st != 0)
        fprintf(stderr, "ntbench: %s %s exited with status %d\n", opt.ntrun, opt.pe, st);
    parse_pe_output(out, 0);
    if (opt.compare_wine) {
        /* $NTBENCH_WINE, then the usual places (Debian's wine64 package installs only
         * /usr/lib/wine/wine64; /usr/bin/wine comes with the "wine" package). */
        static const char *const candidates[] = {"/usr/bin/wine64", "/usr/lib/wine/wine64",
                                                 "/usr/bin/wine"};
        const char *wine = getenv("NTBENCH_WINE");
        for (size_t i = 0; !wine && i < sizeof candidates / sizeof candidates[0]; i++)
            if (access(candidates[i], X_OK) == 0)
                wine = candidates[i];
        if (!wine) {
            fprintf(stderr, "ntbench: --compare-wine: wine64 is not installed\n");
            return;
        }
        progress("pe.* (under wine)");
        argv[0] = (char *)wine;
        /* Raw system calls would reach the Linux kernel under Wine: skip those cases there. */
        char *wargv[4 + NPE + 3];
        int w = 0;
        wargv[w++] = (char *)wine;
        wargv[w++] = (char *)opt.pe;
        wargv[w++] = "--no-trap";
        for (int i = 2; i < argc; i++)
            wargv[w++] = argv[i];
        wargv[w] = NULL;
        setenv("WINEDEBUG", "-all", 0);
        run_child(wargv, out, sizeof out, NULL);
        parse_pe_output(out, 1);
    }
}

static void run_pe_inclusive_cases(void)
{
    char *argv[6 + NPE_INCL], *targv[6 + NPE_INCL];
    int argc = 0, targc = 0, any = 0;
    argv[argc++] = targv[targc++] = (char *)opt.ntrun;
    argv[argc++] = targv[targc++] = "--sud=inclusive";
    targv[targc++] = "--no-rewrite";
    argv[argc++] = targv[targc++] = (char *)opt.pe;
    if (opt.quick)
        argv[argc++] = targv[targc++] = "--quick";
    int first = argc, tfirst = targc;
    bool have = rt_proc.sud_available && rt_sud_inclusive_available();
    for (size_t i = 0; i < NPE_INCL; i++) {
        char name[80];
        snprintf(name, sizeof name, "incl.%s", pe_inclusive_cases[i]);
        if (!selected(name))
            continue;
        result *r = new_result(name, pe_inclusive_cases[i], "the same under ntrun --sud=inclusive");
        if (!have) {
            r->skipped = "needs SUD inclusive mode, Linux >= 6.17";
            continue;
        }
        if (is_trap_case(pe_inclusive_cases[i]))
            targv[targc++] = (char *)pe_inclusive_cases[i];
        else
            argv[argc++] = (char *)pe_inclusive_cases[i];
        any = 1;
    }
    argv[argc] = targv[targc] = NULL;
    if (!any)
        return;
    progress("incl.pe.* (under ntrun --sud=inclusive)");
    static char out[65536];
    char *const *runs[2] = {targv, argv};
    int counts[2] = {targc - tfirst, argc - first};
    for (int k = 0; k < 2; k++) {
        if (!counts[k])
            continue;
        int st = run_child(runs[k], out, sizeof out, NULL);
        if (st != 0)
            fprintf(stderr, "ntbench: %s --sud=inclusive %s exited with status %d\n", opt.ntrun,
                    opt.pe, st);
        parse_pe_output_as(out, 0, "incl.");
    }
}

/* Whole processes, spawned in turn (one run of each case per round, so load changes hit a
 * case and its baseline alike): wall time, and the child's CPU time and peak RSS. */
typedef struct {
    const char *name, *baseline, *what;
} proc_case;

static void process_cases(const proc_case *cases, int ncases, char *const *const argvs[],
                          int reps, const char *label)
{
    result *res[8] = {NULL};
    int any = 0;
    for (int c = 0; c < ncases; c++)
        if (selected(cases[c].name))
            res[c] = new_result(cases[c].name, cases[c].baseline, cases[c].what), any = 1;
    if (!any)
        return;
    double per[8][64], cpu[8][64];
    long rss[8] = {0};
    static char out[4096];
    for (int i = 0; i < reps; i++) {
        progress(label);
        for (int c = 0; c < ncases; c++) {
            if (!res[c])
                continue;
            struct rusage ru;
            double t0 = now_ns();
            int st = run_child(argvs[c], out, sizeof out, &ru);
            per[c][i] = now_ns() - t0;
            cpu[c][i] = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e9 +
                        (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e3;
            if (st != 0) {
                fprintf(stderr, "ntbench: %s %s exited with status %d\n", argvs[c][0],
                        argvs[c][1] ? argvs[c][1] : "", st);
                res[c]->ok = 0;
                res[c] = NULL;
                continue;
            }
            if (ru.ru_maxrss > rss[c])
                rss[c] = ru.ru_maxrss;
        }
    }
    for (int c = 0; c < ncases; c++) {
        if (!res[c])
            continue;
        qsort(cpu[c], (size_t)reps, sizeof cpu[c][0], cmp_double);
        summarize(res[c], per[c], reps, reps);
        res[c]->cpu_ns = cpu[c][reps / 2];
        res[c]->rss_kb = rss[c];
    }
}

/* Process start-up: spawn + run + exit. */
static void startup_cases(void)
{
    static const proc_case cases[3] = {
        {"startup.native_hello", NULL, "spawn + run + exit: native hello ELF"},
        {"startup.ntrun_hello", "startup.native_hello",
         "spawn + run + exit: ntrun hello.exe (same source)"},
        {"startup.ntrun_floor", "startup.native_hello",
         "spawn + exit: ntrun --version (exec, dynamic linking, no runtime work)"},
    };
    char *native[] = {(char *)opt.hello_native, NULL};
    char *ntrun[] = {(char *)opt.ntrun, (char *)opt.hello_exe, NULL};
    char *floor[] = {(char *)opt.ntrun, "--version", NULL};
    char *const *const argvs[3] = {native, ntrun, floor};
    process_cases(cases, 3, argvs, opt.quick ? 5 : 31, "startup.* (process)");
}

/* Stream I/O through the C runtime: tools/ntbench/stdio-bench.c built by mingw-w64 (msvcrt's
 * built-in stdio under ntrun) and natively (glibc), whole processes in a scratch directory
 * under /tmp (the file name is relative: Z:\ is / for the program). */
static void stdio_cases(void)
{
    static const proc_case cases[4] = {
        {"stdio.putc_getc.native", NULL,
         "putc N bytes to a text file, getc them back: native build (glibc), whole process"},
        {"stdio.putc_getc", "stdio.putc_getc.native",
         "the same under ntrun: msvcrt putc/getc, one stream lock per call"},
        {"stdio.lines.native", NULL,
         "fputs numbered lines up to N bytes, fgets them back: native build, whole process"},
        {"stdio.lines", "stdio.lines.native", "the same under ntrun: msvcrt fputs/fgets"},
    };
    int any = 0;
    for (int c = 0; c < 4; c++)
        any |= selected(cases[c].name);
    if (!any)
        return;
    char ntrun[4096], exe[4096], native[4096], dir[] = "/tmp/ntbench-stdio-XXXXXX";
    if (!realpath(opt.ntrun, ntrun) || !realpath(opt.stdio_exe, exe) ||
        !realpath(opt.stdio_native, native) || !mkdtemp(dir)) {
        fprintf(stderr, "ntbench: stdio cases: %s\n", strerror(errno));
        return;
    }
    int here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (here < 0 || chdir(dir) != 0) {
        fprintf(stderr, "ntbench: stdio cases: %s: %s\n", dir, strerror(errno));
        return;
    }
    /* 20 MB through putc and back (40e6 calls), 50 MB of lines (~1.1e6 each way) */
    char *putc_n = opt.quick ? "1000000" : "20000000";
    char *lines_n = opt.quick ? "1000000" : "50000000";
    char *a0[] = {native, "putc", "putc.txt", putc_n, NULL};
    char *a1[] = {ntrun, exe, "putc", "putc.txt", putc_n, NULL};
    char *a2[] = {native, "lines", "lines.txt", lines_n, NULL};
    char *a3[] = {ntrun, exe, "lines", "lines.txt", lines_n, NULL};
    char *const *const argvs[4] = {a0, a1, a2, a3};
    process_cases(cases, 4, argvs, opt.quick ? 2 : 5, "stdio.* (process)");
    if (fchdir(here) != 0)
        fprintf(stderr, "ntbench: stdio cases: cannot return to the working directory\n");
    close(here);
    rmdir(dir);
}

/* A real program's stream I/O: Lua 5.4 (tools/ntbench/lines.lua: 50 MB written line by line
 * with f:write, read back with io.lines; Lua reads with one getc per character), built by
 * mingw-w64 and natively from a Lua source tree given at configure time
 * (-DNTBENCH_LUA_SOURCE=DIR, e.g. Debian's `apt-get source lua5.4`). Without one the cases are
 * listed as skipped. */
static void lua_cases(void)
{
    static const proc_case cases[2] = {
        {"stdio.lua_lines.native", NULL,
         "Lua 5.4: f:write 50 MB of lines, read back with io.lines: native build (glibc)"},
        {"stdio.lua_lines", "stdio.lua_lines.native",
         "the same Lua source built by mingw-w64, under ntrun (msvcrt getc per character)"},
    };
    if (!selected(cases[0].name) && !selected(cases[1].name))
        return;
    char ntrun[4096], exe[4096], native[4096], script[4096], dir[] = "/tmp/ntbench-lua-XXXXXX";
    if (!realpath(opt.lua_exe, exe) || !realpath(opt.lua_native, native) ||
        !realpath(opt.lua_script, script)) {
        for (int c = 0; c < 2; c++)
            if (selected(cases[c].name))
                new_result(cases[c].name, cases[c].baseline, cases[c].what)->skipped =
                    "no Lua source at configure time (cmake -DNTBENCH_LUA_SOURCE=DIR)";
        return;
    }
    if (!realpath(opt.ntrun, ntrun) || !mkdtemp(dir)) {
        fprintf(stderr, "ntbench: lua cases: %s\n", strerror(errno));
        return;
    }
    int here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (here < 0 || chdir(dir) != 0) {
        fprintf(stderr, "ntbench: lua cases: %s: %s\n", dir, strerror(errno));
        return;
    }
    char *n = opt.quick ? "1000000" : "50000000";
    char *a0[] = {native, script, "lines.txt", n, NULL};
    char *a1[] = {ntrun, exe, script, "lines.txt", n, NULL};
    char *const *const argvs[2] = {a0, a1};
    process_cases(cases, 2, argvs, opt.quick ? 2 : 5, "stdio.lua_* (process)");
    if (fchdir(here) != 0)
        fprintf(stderr, "ntbench: lua cases: cannot return to the working directory\n");
    close(here);
    rmdir(dir);
}

/* Hidden mode (--inprocess-child=N): a fresh ntbench process that has not touched the runtime
 * runs hello.exe N times in-process with libntrun (ntrun_run_file), its output to /dev/null,
 * and prints "RUN NS" per run. */
static int inprocess_child(int runs)
{
    ntrun_config *cfg = ntrun_config_new();
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (!cfg || devnull < 0)
        return 1;
    ntrun_config_set_stdout_fd(cfg, devnull);
    const char *argv[] = {"ntbench-hello.exe"};
    ntrun_config_set_argv(cfg, 1, argv);
    for (int i = 0; i < runs; i++) {
        uint32_t code = 0;
        double t0 = now_ns();
        ntrun_error e = ntrun_run_file(cfg, opt.hello_exe, &code, NULL);
        double dt = now_ns() - t0;
        if (e != NTRUN_OK || code != 0) {
            fprintf(stderr, "ntbench: in-process run %d of %s: %s (exit code %u)\n", i,
                    opt.hello_exe, e != NTRUN_OK ? ntrun_error_message() : "ok", code);
            return 1;
        }
        printf("%d %.0f\n", i, dt);
    }
    fflush(stdout);
    ntrun_config_free(cfg);
    return 0;
}

/* startup.inprocess_first: the first ntrun_run_file in a process (runtime and built-in DLLs
 * initialised on the way); startup.inprocess_repeat: the later ones (load + run + teardown). */
static void inprocess_cases(void)
{
    int want_first = selected("startup.inprocess_first");
    int want_repeat = selected("startup.inprocess_repeat");
    if (!want_first && !want_repeat)
        return;
    progress("startup.inprocess_*");
    result *first = want_first ? new_result("startup.inprocess_first", "startup.native_hello",
                                            "libntrun: first load + run + teardown in a process")
                               : NULL;
    result *rep = want_repeat ? new_result("startup.inprocess_repeat", "startup.native_hello",
                                           "libntrun: repeated load + run + teardown, in-process")
                              : NULL;
    const int procs = opt.quick ? 2 : 5, runs = opt.quick ? 10 : 50;
    double firsts[8], later[8 * 64];
    int nfirst = 0, nlater = 0;
    long rss = 0;
    char self[4096], arg[64];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0)
        return;
    self[len] = 0;
    snprintf(arg, sizeof arg, "--inprocess-child=%d", runs);
    char hello[4200];
    snprintf(hello, sizeof hello, "--hello-exe=%s", opt.hello_exe);
    char *argv[] = {self, arg, hello, NULL};
    static char out[65536];
    for (int p = 0; p < procs; p++) {
        struct rusage ru;
        int st = run_child(argv, out, sizeof out, &ru);
        if (st != 0) {
            fprintf(stderr, "ntbench: in-process start-up child exited with status %d\n", st);
            return;
        }
        if (ru.ru_maxrss > rss)
            rss = ru.ru_maxrss;
        for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
            int i;
            double ns;
            if (sscanf(line, "%d %lf", &i, &ns) != 2)
                continue;
            if (i == 0)
                firsts[nfirst++] = ns;
            else if (nlater < (int)(sizeof later / sizeof later[0]))
                later[nlater++] = ns;
        }
    }
    if (nfirst == 0 || nlater == 0)
        return;
    qsort(firsts, (size_t)nfirst, sizeof firsts[0], cmp_double);
    qsort(later, (size_t)nlater, sizeof later[0], cmp_double);
    if (first) {
        first->median_ns = firsts[nfirst / 2];
        first->best_ns = firsts[0];
        first->iterations = nfirst;
        first->rss_kb = rss;
        first->ok = 1;
    }
    if (rep) {
        rep->median_ns = later[nlater / 2];
        rep->best_ns = later[0];
        rep->iterations = nlater;
        rep->rss_kb = rss;
        rep->ok = 1;
    }
}

static void run_startup_cases(void)
{
    startup_cases();
    inprocess_cases();
}

/* ---- output ---- */
static double ratio_of(const result *r)
{
    if (!r->baseline || !r->ok)
        return NAN;
    const result *b = find_result(r->baseline);
    if (!b || !b->ok || b->median_ns <= 0)
        return NAN;
    return r->median_ns / b->median_ns;
}

/* The baseline's median in ns, shown next to the ratio; NAN without one. */
static double baseline_ns(const result *r)
{
    const result *b = r->baseline ? find_result(r->baseline) : NULL;
    return b && b->ok ? b->median_ns : NAN;
}

static void print_table(void)
{
    if (opt.progress)
        fprintf(stderr, "\r%60s\r", "");
    printf("%-30s %12s %12s  %-26s %12s %7s", "case", "median ns", "best ns", "baseline",
           "baseline ns", "ratio");
    if (opt.compare_wine)
        printf(" %12s", "wine ns");
    printf("\n");
    for (int i = 0; i < nresults; i++) {
        const result *r = &results[i];
        if (!r->ok) {
            printf("%-30s %12s %12s  (%s)\n", r->name, "-", "-",
                   r->skipped ? r->skipped : "failed: see messages above");
            continue;
        }
        double ratio = ratio_of(r), base = baseline_ns(r);
        printf("%-30s %12.2f %12.2f  %-26s", r->name, r->median_ns, r->best_ns,
               r->baseline ? r->baseline : "");
        isnan(base) ? printf(" %12s", "") : printf(" %12.2f", base);
        if (isnan(ratio))
            printf(" %7s", "");
        else
            printf(" %6.2fx", ratio);
        if (opt.compare_wine)
            isnan(r->wine_median_ns) ? printf(" %12s", "-") : printf(" %12.2f", r->wine_median_ns);
        if (!isnan(r->cpu_ns))
            printf("  cpu %.0f ns", r->cpu_ns);
        if (r->rss_kb)
            printf("  rss %ld KiB", r->rss_kb);
        printf("\n");
    }
}

static void json_string(const char *s)
{
    putchar('"');
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            putchar('\\');
        putchar(*s);
    }
    putchar('"');
}

static void json_number(double v)
{
    if (isnan(v))
        printf("null");
    else
        printf("%.3f", v);
}

static void print_json(void)
{
    struct utsname u;
    uname(&u);
    printf("{\n  \"tool\": \"ntbench\",\n  \"version\": \"%s\",\n  \"kernel\": ", NTRUN_VERSION_STRING);
    json_string(u.release);
    printf(",\n  \"cpus\": %ld,\n  \"quick\": %s,\n  \"sud\": %s,\n  \"sud_inclusive\": %s,\n",
           sysconf(_SC_NPROCESSORS_ONLN), opt.quick ? "true" : "false",
           rt_proc.sud_available ? "true" : "false", rt_sud_inclusive_available() ? "true" : "false");
    printf("  \"cases\": [\n");
    for (int i = 0; i < nresults; i++) {
        const result *r = &results[i];
        printf("    {\"name\": ");
        json_string(r->name);
        printf(", \"what\": ");
        json_string(r->what);
        printf(", \"available\": %s, \"skipped\": ", r->ok ? "true" : "false");
        if (r->skipped)
            json_string(r->skipped);
        else
            printf("null");
        printf(", \"median_ns\": ");
        json_number(r->ok ? r->median_ns : NAN);
        printf(", \"best_ns\": ");
        json_number(r->ok ? r->best_ns : NAN);
        printf(", \"iterations\": %ld, \"baseline\": ", r->iterations);
        if (r->baseline)
            json_string(r->baseline);
        else
            printf("null");
        printf(", \"baseline_median_ns\": ");
        json_number(baseline_ns(r));
        printf(", \"ratio\": ");
        json_number(ratio_of(r));
        printf(", \"wine_median_ns\": ");
        json_number(r->wine_median_ns);
        printf(", \"cpu_ns\": ");
        json_number(r->cpu_ns);
        printf(", \"rss_kb\": %ld}%s\n", r->rss_kb, i + 1 < nresults ? "," : "");
    }
    printf("  ]\n}\n");
}

/* ---- main ---- */
static const char *beside_self(const char *name)
{
    static char paths[16][4096];
    static int next;
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return name;
    self[n] = 0;
    char *slash = strrchr(self, '/');
    if (slash)
        *slash = 0;
    char *p = paths[next++ & 15];
    if ((size_t)snprintf(p, sizeof paths[0], "%s/%s", self, name) >= sizeof paths[0])
        return name; /* absurdly long install path: fall back to $PATH lookup */
    return p;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: ntbench [--quick] [--json] [--filter=SUBSTR[,SUBSTR...]] [--compare-wine]\n"
            "               [--progress|--no-progress] [--ntrun=PATH] [--pe=PATH]\n"
            "               [--hello-exe=PATH] [--hello-native=PATH]\n"

            "Measures foreign/native boundary crossings, system calls under Syscall User\n"
            "Dispatch, and start-up. Figures are ns per operation (median and best of several\n"
            "calibrated repetitions) with the ratio to each case's baseline.\n");
}

int main(int argc, char **argv)
{
    opt.ntrun = beside_self("ntrun");
    opt.pe = beside_self("ntbench-pe.exe");
    opt.hello_exe = beside_self("ntbench-hello.exe");
    opt.hello_native = beside_self("ntbench-hello-native");
    opt.stdio_exe = beside_self("ntbench-stdio.exe");
    opt.stdio_native = beside_self("ntbench-stdio-native");
    opt.lua_exe = beside_self("ntbench-lua.exe");
    opt.lua_native = beside_self("ntbench-lua-native");
    opt.lua_script = beside_self("ntbench-lines.lua");
    opt.progress = isatty(2);
    int inprocess_runs = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--quick") == 0)
            opt.quick = 1;
        else if (strcmp(a, "--json") == 0)
            opt.json = 1;
        else if (strcmp(a, "--compare-wine") == 0)
            opt.compare_wine = 1;
        else if (strcmp(a, "--progress") == 0)
            opt.progress = 1;
        else if (strcmp(a, "--no-progress") == 0)
            opt.progress = 0;
        else if (strncmp(a, "--inprocess-child=", 18) == 0)
            inprocess_runs = atoi(a + 18);
        else if (strncmp(a, "--filter=", 9) == 0)
            opt.filter = a + 9;
        else if (strncmp(a, "--ntrun=", 8) == 0)
            opt.ntrun = a + 8;
        else if (strncmp(a, "--pe=", 5) == 0)
            opt.pe = a + 5;
        else if (strncmp(a, "--hello-exe=", 12) == 0)
            opt.hello_exe = a + 12;
        else if (strncmp(a, "--hello-native=", 15) == 0)
            opt.hello_native = a + 15;
        else if (strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "ntbench: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }
    start_ns = now_ns();
    if (inprocess_runs > 0)
        return inprocess_child(inprocess_runs); /* before this process touches the runtime */
    bool runtime_ok = rt_process_init() == 0;
    /* probed before this thread is armed: the probe ends with PR_SYS_DISPATCH_OFF */
    (void)rt_sud_inclusive_available();
    if (!runtime_ok || rt_thread_init_current() < 0) {
        fprintf(stderr, "ntbench: cannot set up the runtime\n");
        return 1;
    }
    run_native_cases();
    run_pe_cases();
    run_pe_inclusive_cases();
    run_startup_cases();
    stdio_cases();
    lua_cases();
    if (nresults == 0) {
        fprintf(stderr, "ntbench: no case matches the filter\n");
        return 2;
    }
    if (opt.json)
        print_json();
    else
        print_table();
    int failed = 0;
    for (int i = 0; i < nresults; i++)
        if (!results[i].ok && !results[i].skipped)
            failed = 1;
    return failed ? 1 : 0;
}
