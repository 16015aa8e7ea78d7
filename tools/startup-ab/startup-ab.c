/* SPDX-License-Identifier: MIT */
/* startup-ab: A/B comparison of two commands' start-to-exit cost (issue 12; docs/performance.md,
 * "twenty-fourth pass, start-up: the A/B tool").
 *
 * usage: startup-ab [-n PAIRS] [-w WARMUP] [--self] [--gap-us N [--spin]] [--order abba|ab]
 *                   [--block K] [--stdout-pipe] -- [NAME=VALUE...] A-COMMAND... [-- [NAME=VALUE...] B-COMMAND...]
 *
 * Spawns A and B in turn, PAIRS pairs, alternating which runs first (A B, B A, A B, ...: the second
 * run of a pair costs ~0.7% less than the first, so a tool that always starts with A is biased by
 * that much). For each child: CPU = the rusage utime + stime that wait4 returns, wall =
 * CLOCK_MONOTONIC around posix_spawn .. wait4. Prints the medians (q1-q3) of each side and of the
 * per-pair B/A ratios, for the pairs where A ran first, those where B ran first, and all.
 * --self: B is A (the bias check: "all" should be 1.000, A-first below 1, B-first above).
 * --gap-us N: sleep N us before each spawn (default 0), so that the previous child's exit and its
 * deferred work are over before the next one starts (the "isolated start", twenty-fifth pass,
 * "the two instruments"). --spin: the gap is a busy wait instead (the CPU's caches kept).
 * --order ab: A first in every pair (ntbench's fixed order) instead of alternating (abba).
 * --block K: runs of K: K A's then K B's (pairs i..i+K-1), then the next group in the other order
 * (or the same with --order ab); each run then mostly follows a run of its own side. Default 1.
 * --stdout-pipe: the children's stdout is a pipe that the tool reads to its end before wait4
 * (as ntbench's process cases do) instead of /dev/null.
 * The children's stdout goes to /dev/null (stderr is kept); the environment is passed through, plus
 * the NAME=VALUE words that lead a side's command (as env(1) does, without the extra exec that
 * `env NAME=VALUE cmd` adds to that side). The program is looked up in PATH.
 * Before measuring, the page cache of each side's program file is described (small and large
 * folios, as tools/pagecache-folios.py; root needed for /proc/kpageflags): the same binary costs
 * ~8-10% more CPU a start with its page cache in small folios than in
 * large ones (on this kernel, 6.18: `cp` leaves large folios, `cmake -E copy` small ones, the
 * linker a mix); a warning is printed when the sides differ by more than a tenth of the pages.
 * Exit status: 0, 1 when a child failed (not exit status 0) or could not be spawned, 2 usage. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct side {
    char **argv;      /* the command, after the NAME=VALUE words */
    char **envp;      /* environ + the NAME=VALUE words */
    char path[4096];  /* the program file found in PATH ("" when not found) */
    double *cpu, *wall;
    int failed;
};

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The q-quantile (0..1) of v[0..n), linear between the closest ranks; sorts v. */
static double quantile(double *v, int n, double q)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    double pos = q * (n - 1);
    int i = (int)pos;
    return i + 1 < n ? v[i] + (pos - i) * (v[i + 1] - v[i]) : v[i];
}

static void side_setup(struct side *s, char **words, int nwords)
{
    int nassign = 0, nenv = 0;
    while (nassign < nwords && words[nassign][0] != '=' && strchr(words[nassign], '='))
        nassign++;
    while (environ[nenv])
        nenv++;
    s->envp = calloc(nenv + nassign + 1, sizeof *s->envp);
    int k = 0;
    for (int i = 0; i < nenv; i++) {
        int overridden = 0; /* a NAME=VALUE word replaces the inherited NAME */
        for (int j = 0; j < nassign; j++) {
            size_t len = strchr(words[j], '=') - words[j] + 1;
            if (!strncmp(environ[i], words[j], len))
                overridden = 1;
        }
        if (!overridden)
            s->envp[k++] = environ[i];
    }
    for (int j = 0; j < nassign; j++)
        s->envp[k++] = words[j];
    s->argv = calloc(nwords - nassign + 1, sizeof *s->argv);
    for (int i = nassign; i < nwords; i++)
        s->argv[i - nassign] = words[i];
    s->path[0] = 0;
    if (nwords == nassign)
        return;
    const char *prog = s->argv[0];
    if (strchr(prog, '/')) {
        snprintf(s->path, sizeof s->path, "%s", prog);
        return;
    }
    const char *p = getenv("PATH");
    while (p && *p) {
        const char *e = strchrnul(p, ':');
        char cand[4096];
        snprintf(cand, sizeof cand, "%.*s/%s", (int)(e - p), p, prog);
        if (access(cand, X_OK) == 0) {
            snprintf(s->path, sizeof s->path, "%s", cand);
            return;
        }
        p = *e ? e + 1 : e;
    }
}

/* Pages of the file in small (4 KB) folios and in large ones, as tools/pagecache-folios.py:
 * maps the file, reads a byte of each page, and looks up each page's frame in /proc/self/pagemap
 * and its flags in /proc/kpageflags (KPF_COMPOUND_HEAD 15, KPF_COMPOUND_TAIL 16).
 * Returns 0, or -1 (with why) when it cannot be known (not root, not a regular file). */
static int folios(const char *path, long *pages, long *small, long *large, const char **why)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC), pm = -1, kf = -1, ret = -1;
    struct stat st;
    unsigned char *m = MAP_FAILED;
    *why = "cannot open";
    if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size == 0)
        goto close_fd;
    long n = (st.st_size + 4095) / 4096;
    m = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED)
        goto close_fd;
    pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    kf = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
    *why = "needs root for /proc/kpageflags";
    if (pm < 0 || kf < 0)
        goto unmap;
    *pages = n;
    *small = *large = 0;
    for (long i = 0; i < n; i++) {
        volatile unsigned char c = m[i * 4096];
        (void)c;
        uint64_t e, fl;
        if (pread(pm, &e, 8, ((uintptr_t)m / 4096 + i) * 8) != 8)
            goto unmap;
        if (!(e >> 63))
            continue;
        uint64_t pfn = e & ((1ull << 55) - 1);
        if (pfn == 0) /* pagemap hides frame numbers from non-root */
            goto unmap;
        if (pread(kf, &fl, 8, pfn * 8) != 8)
            goto unmap;
        if (fl >> 15 & 3)
            ++*large;
        else
            ++*small;
    }
    ret = 0;
unmap:
    if (kf >= 0)
        close(kf);
    if (pm >= 0)
        close(pm);
    munmap(m, st.st_size);
close_fd:
    if (fd >= 0)
        close(fd);
    return ret;
}

static void print_folios(struct side *a, struct side *b)
{
    long pages[2], small[2], large[2];
    struct side *s[2] = {a, b};
    int ok = 1;
    for (int i = 0; i < 2; i++) {
        const char *why;
        if (!s[i]->path[0]) {
            printf("folios %c: program not found\n", "AB"[i]);
            ok = 0;
        } else if (folios(s[i]->path, &pages[i], &small[i], &large[i], &why)) {
            printf("folios %c: %s: unknown (%s)\n", "AB"[i], s[i]->path, why);
            ok = 0;
        } else {
            printf("folios %c: %s: %ld pages, %ld in small folios, %ld in large\n", "AB"[i],
                   s[i]->path, pages[i], small[i], large[i]);
        }
    }
    /* More than a tenth of the pages held differently: not a fair comparison of start-up (all small
     * against all large: ~8-10% CPU a start, twenty-third pass). */
    if (ok && labs(small[0] * pages[1] - small[1] * pages[0]) * 10 > pages[0] * pages[1])
        printf("warning: the programs' page cache is held differently (small folios %ld/%ld vs "
               "%ld/%ld): copy both the same way (docs/performance.md)\n",
               small[0], pages[0], small[1], pages[1]);
}

static long gap_us;       /* --gap-us: idle time before each spawn */
static int gap_spin;      /* --spin: the gap is a busy wait on the clock, not a sleep */
static int stdout_pipe;   /* --stdout-pipe */

/* Runs one child; stores its CPU and wall time in us. Returns 0, or -1 when it failed. */
static int run(struct side *s, posix_spawn_file_actions_t *fa, double *cpu, double *wall)
{
    pid_t pid;
    int status, pfd[2] = {-1, -1};
    struct rusage ru;
    posix_spawn_file_actions_t pfa;
    if (gap_us > 0 && gap_spin) {
        double until = now_us() + gap_us;
        while (now_us() < until)
            ;
    } else if (gap_us > 0) {
        struct timespec gap = {gap_us / 1000000, gap_us % 1000000 * 1000};
        while (nanosleep(&gap, &gap) && errno == EINTR)
            ;
    }
    if (stdout_pipe) {
        if (pipe2(pfd, O_CLOEXEC)) {
            perror("startup-ab: pipe");
            s->failed++;
            return -1;
        }
        posix_spawn_file_actions_init(&pfa);
        posix_spawn_file_actions_adddup2(&pfa, pfd[1], 1);
        fa = &pfa;
    }
    double t0 = now_us();
    int err = posix_spawnp(&pid, s->argv[0], fa, NULL, s->argv, s->envp);
    if (stdout_pipe) {
        posix_spawn_file_actions_destroy(&pfa);
        close(pfd[1]);
    }
    if (err) {
        fprintf(stderr, "startup-ab: %s: %s\n", s->argv[0], strerror(err));
        s->failed++;
        if (stdout_pipe)
            close(pfd[0]);
        return -1;
    }
    if (stdout_pipe) { /* read to the end, as ntbench's run_child */
        char buf[4096];
        for (ssize_t got;;) {
            errno = 0;
            if ((got = read(pfd[0], buf, sizeof buf)) <= 0 && errno != EINTR)
                break;
        }
        close(pfd[0]);
    }
    while (wait4(pid, &status, 0, &ru) < 0)
        if (errno != EINTR) {
            perror("startup-ab: wait4");
            return -1;
        }
    *wall = now_us() - t0;
    *cpu = ru.ru_utime.tv_sec * 1e6 + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1e6 +
           ru.ru_stime.tv_usec;
    if (!WIFEXITED(status) || WEXITSTATUS(status)) {
        if (s->failed++ < 3)
            fprintf(stderr, "startup-ab: %s: %s %d\n", s->argv[0],
                    WIFEXITED(status) ? "exit status" : "signal",
                    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        return -1;
    }
    return 0;
}

static void print_metric(const char *name, struct side *a, struct side *b, int n,
                         const unsigned char *afirst)
{
    double *r[3], *tmp = malloc(n * sizeof *tmp);
    int nr[3] = {0, 0, 0}; /* A first, B first, all */
    for (int k = 0; k < 3; k++)
        r[k] = malloc(n * sizeof *r[k]);
    double *va = strcmp(name, "cpu") ? a->wall : a->cpu, *vb = strcmp(name, "cpu") ? b->wall : b->cpu;
    for (int i = 0; i < n; i++) {
        double x = va[i] > 0 ? vb[i] / va[i] : 0;
        if (va[i] <= 0) /* a child under the rusage clock's tick: no ratio */
            continue;
        int k = afirst[i] ? 0 : 1;
        r[k][nr[k]++] = x;
        r[2][nr[2]++] = x;
    }
    memcpy(tmp, va, n * sizeof *tmp);
    printf("%-4s A  median %.1f us (q1 %.1f q3 %.1f)", name, quantile(tmp, n, .5),
           quantile(tmp, n, .25), quantile(tmp, n, .75));
    memcpy(tmp, vb, n * sizeof *tmp);
    printf("  B  median %.1f us (q1 %.1f q3 %.1f)\n", quantile(tmp, n, .5), quantile(tmp, n, .25),
           quantile(tmp, n, .75));
    static const char *label[3] = {"A first", "B first", "all"};
    printf("%-4s B/A", name);
    for (int k = 0; k < 3; k++)
        printf("%s %s %.3f (q1 %.3f q3 %.3f) n=%d", k ? ", " : "  ", label[k],
               quantile(r[k], nr[k], .5), quantile(r[k], nr[k], .25), quantile(r[k], nr[k], .75),
               nr[k]);
    printf("\n");
    /* Each side's median by the pairs' order: with the default protocol, a run in an A-first pair
     * follows a run of A and one in a B-first pair a run of B (A B, B A, A B: the run before each). */
    printf("%-4s by order: ", name);
    for (int k = 0; k < 2; k++) {
        int m[2] = {0, 0};
        double *v[2] = {malloc(n * sizeof(double)), malloc(n * sizeof(double))};
        for (int i = 0; i < n; i++)
            if ((afirst[i] == 0) == k)
                v[0][m[0]++] = va[i], v[1][m[1]++] = vb[i];
        printf("%s %s: A %.1f B %.1f us", k ? ";" : "", label[k], quantile(v[0], m[0], .5),
               quantile(v[1], m[1], .5));
        free(v[0]), free(v[1]);
    }
    printf("\n");
    for (int k = 0; k < 3; k++)
        free(r[k]);
    free(tmp);
}

static int usage(void)
{
    fprintf(stderr, "usage: startup-ab [-n PAIRS] [-w WARMUP] [--self] [--gap-us N [--spin]] "
                    "[--order abba|ab] [--block K] [--stdout-pipe] -- [NAME=VALUE...] A-COMMAND... "
                    "[-- [NAME=VALUE...] B-COMMAND...]\n");
    return 2;
}

int main(int argc, char **argv)
{
    int n = 100, warm = 2, self = 0, i = 1, fixed = 0, block = 1;
    for (; i < argc && strcmp(argv[i], "--"); i++) {
        char *end;
        if (!strcmp(argv[i], "-n") && i + 1 < argc)
            n = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--gap-us") && i + 1 < argc) {
            gap_us = strtol(argv[++i], &end, 10);
            if (*end || end == argv[i] || gap_us < 0)
                return usage();
        } else if (!strcmp(argv[i], "--order") && i + 1 < argc) {
            i++;
            if (strcmp(argv[i], "abba") && strcmp(argv[i], "ab"))
                return usage();
            fixed = !strcmp(argv[i], "ab");
        } else if (!strcmp(argv[i], "--block") && i + 1 < argc) {
            block = (int)strtol(argv[++i], &end, 10);
            if (*end || block < 1)
                return usage();
        } else if (!strcmp(argv[i], "--stdout-pipe"))
            stdout_pipe = 1;
        else if (!strcmp(argv[i], "--spin"))
            gap_spin = 1;
        else if (!strcmp(argv[i], "-w") && i + 1 < argc)
            warm = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--self"))
            self = 1;
        else
            return usage();
    }
    if (i >= argc || n < 1 || warm < 0)
        return usage();
    int a0 = ++i;
    while (i < argc && strcmp(argv[i], "--"))
        i++;
    int a1 = i, b0 = i < argc ? i + 1 : argc;
    if (a1 == a0 || (self ? b0 != argc : b0 >= argc))
        return usage();
    struct side a = {0}, b = {0};
    side_setup(&a, argv + a0, a1 - a0);
    side_setup(&b, self ? argv + a0 : argv + b0, self ? a1 - a0 : argc - b0);
    if (!a.argv[0] || !b.argv[0])
        return usage();
    a.cpu = calloc(n, sizeof(double)), a.wall = calloc(n, sizeof(double));
    b.cpu = calloc(n, sizeof(double)), b.wall = calloc(n, sizeof(double));

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);

    double load[3] = {0, 0, 0};
    getloadavg(load, 3);
    /* Which side runs first in pair k: groups of `block` pairs, alternating (or A with --order ab). */
    unsigned char *afirst = calloc(n, 1);
    int na = 0;
    for (int k = 0; k < n; k++)
        na += afirst[k] = fixed || !(k / block & 1);
    printf("startup-ab: %d pairs (A first in %d, B first in %d), %d warm-up, load %.2f%s\n", n, na,
           n - na, warm, load[0], self ? ", self-check: B is A" : "");
    if (gap_us || fixed || block > 1 || stdout_pipe)
        printf("protocol: gap %ld us%s, order %s, block %d, stdout %s\n", gap_us,
               gap_us && gap_spin ? " (spin)" : "",
               fixed ? "ab" : "abba", block, stdout_pipe ? "pipe" : "/dev/null");
    printf("A:");
    for (char **e = argv + a0; e < argv + a1; e++)
        printf(" %s", *e);
    printf("\nB:");
    for (char **e = self ? argv + a0 : argv + b0; e < (self ? argv + a1 : argv + argc); e++)
        printf(" %s", *e);
    printf("\n");
    print_folios(&a, &b);
    fflush(stdout);

    double t0 = now_us(), c, w;
    for (int k = 0; k < warm; k++)
        if (run(&a, &fa, &c, &w) | run(&b, &fa, &c, &w))
            break;
    for (int g = 0; g < n; g += block) {
        /* Pairs g..g+block-1: the first side's runs, then the second's (block 1, abba: A B, B A, ...). */
        int end = g + block < n ? g + block : n;
        struct side *first = afirst[g] ? &a : &b, *second = afirst[g] ? &b : &a;
        for (int k = g; k < end; k++)
            run(first, &fa, &first->cpu[k], &first->wall[k]);
        for (int k = g; k < end; k++)
            run(second, &fa, &second->cpu[k], &second->wall[k]);
    }
    print_metric("cpu", &a, &b, n, afirst);
    print_metric("wall", &a, &b, n, afirst);
    printf("startup-ab: %.1f s, failed: A %d, B %d\n", (now_us() - t0) / 1e6, a.failed, b.failed);
    return a.failed || b.failed ? 1 : 0;
}
