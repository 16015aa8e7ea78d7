/* mutation_check: the mutation regression test. Damages good PE32+ programs and DLLs with the
 * seeded generator of pe_mutate.h and runs every mutant twice: through the ntrun CLI (a child
 * process) and in-process through libntrun (ntrun_load + ntrun_run in a worker process that runs
 * mutant after mutant, as a launcher would). Each run is classified:
 *   refused     the load failed with a message (CLI: exit status 126 and "ntrun: ..." on stderr)
 *   ran         the program ended by itself (exit code, an unimplemented import)
 *   exception   the program's unhandled exception (an access violation, heap fail-fast, ...)
 *   prog-hang   the program ran past the time limit and was ended as asked (ntrun still in control)
 *   CRASH       ntrun died: a Linux signal, "internal error", the in-process host died
 *   HANG        ntrun itself did not end: the time limit or SIGTERM did not end it within the grace
 *   SILENT      a refusal without a message
 * and the counts are printed per route. Exit status 1 when any CRASH, HANG or SILENT happened
 * (each is listed with its mutant number and the mutations, to make again with --only=N).
 *
 * usage: mutation_check [--seed=N] [--count=N] [--timeout=MS] [--work=DIR] [--only=N]
 *                       [--keep=DIR] [--list=FILE] [--no-cli] [--no-inproc] NTRUN CASE...
 *        mutation_check --compare LIST_A LIST_B
 * CASE is PROG.exe (the program is mutated) or HOST.exe:LIB.dll[:OTHER.dll...] (LIB.dll is
 * mutated, HOST.exe, which loads it, runs with it; OTHER DLLs are copied beside them).
 * --list writes one line per mutant: its number, case, each route's outcome and message (the
 * CLI's first stderr line naming ntrun, or the first line; in-process, ntrun_error_message of a
 * refusal) and the mutations, tab-separated. --compare reads two such listings (two builds, the
 * same seed and cases: Release and the sanitizer build) and prints the mutants whose outcome
 * differs, then the differences counted by outcome and by message (numbers masked), so that a
 * difference in the totals comes with its cause. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ntrun.h"
#include "pe_mutate.h"

enum { R_REFUSED, R_RAN, R_EXCEPTION, R_PROG_HANG, R_CRASH, R_HANG, R_SILENT, R_COUNT };
static const char *const result_names[R_COUNT] = {
    "refused", "ran", "exception", "prog-hang", "CRASH", "HANG", "SILENT",
};

typedef struct mcase {
    char *dir;       /* work/caseK */
    char *run_path;  /* the program to run (in dir) */
    char *mut_path;  /* the file that is mutated (in dir) */
    char *label;
    uint8_t *orig;   /* the good image */
    size_t orig_size;
} mcase;

static mcase *cases;
static unsigned ncases;
static uint64_t seed = 1;
static unsigned count = 1000, timeout_ms = 5000;
static const char *ntrun_path, *keep_dir;
static FILE *list_file;
static char *work;
/* Beyond the time limit, before we call it a hang: SIGTERM is CTRL_CLOSE_EVENT, whose handlers get
 * Windows' 5 s before the process is ended, and ending it waits up to 5 s more for threads that do not
 * stop (a TLS callback spinning under the loader lock), so a slow but honest exit takes ~10 s. */
static const unsigned grace_ms = 15000;

static void die(const char *fmt, const char *arg)
{
    fprintf(stderr, "mutation_check: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (%s)\n", strerror(errno));
    exit(2);
}

static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    if (!buf || n < 0 || fread(buf, 1, (size_t)n, f) != (size_t)n)
        die("cannot read %s", path);
    fclose(f);
    *size = (size_t)n;
    return buf;
}

/* Writes through a temporary name and a rename, so a mapping of the previous mutant (a run
 * that leaked it) never sees the new bytes. */
static void write_file(const char *path, const uint8_t *buf, size_t size)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    if (fd < 0)
        die("cannot create %s", tmp);
    for (size_t done = 0; done < size;) {
        ssize_t w = write(fd, buf + done, size - done);
        if (w <= 0)
            die("cannot write %s", tmp);
        done += (size_t)w;
    }
    close(fd);
    if (rename(tmp, path) != 0)
        die("cannot rename to %s", path);
}

static char *join(const char *dir, const char *file)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    char *p;
    if (asprintf(&p, "%s/%s", dir, base) < 0)
        exit(2);
    return p;
}

static void setup_case(mcase *c, unsigned k, char *spec)
{
    if (asprintf(&c->dir, "%s/case%u", work, k) < 0)
        exit(2);
    if (mkdir(c->dir, 0755) != 0 && errno != EEXIST)
        die("cannot create %s", c->dir);
    char *parts[16];
    unsigned n = 0;
    for (char *tok = strtok(spec, ":"); tok && n < 16; tok = strtok(NULL, ":"))
        parts[n++] = tok;
    if (n == 0)
        exit(2);
    for (unsigned i = 0; i < n; i++) { /* copies of everything, the mutated file rewritten later */
        size_t size;
        uint8_t *buf = read_file(parts[i], &size);
        char *dst = join(c->dir, parts[i]);
        write_file(dst, buf, size);
        if (i == (n > 1 ? 1u : 0u)) {
            c->orig = buf;
            c->orig_size = size;
            c->mut_path = dst;
        } else {
            free(buf);
            if (i != 0)
                free(dst);
        }
        if (i == 0)
            c->run_path = dst;
    }
    const char *rb = strrchr(parts[0], '/'), *mb = strrchr(parts[n > 1 ? 1 : 0], '/');
    rb = rb ? rb + 1 : parts[0];
    mb = mb ? mb + 1 : parts[n > 1 ? 1 : 0];
    if (n > 1) {
        if (asprintf(&c->label, "%s (run by %s)", mb, rb) < 0)
            exit(2);
    } else {
        c->label = strdup(rb);
    }
}

/* Mutant `i`: writes it in place of its case's file; returns the case. */
static mcase *make_mutant(unsigned i, char *desc, size_t desclen)
{
    mcase *c = &cases[i % ncases];
    uint8_t *buf = malloc(c->orig_size ? c->orig_size : 1);
    if (!buf)
        exit(2);
    memcpy(buf, c->orig, c->orig_size);
    size_t size = c->orig_size;
    pe_mutate(buf, &size, seed, i, desc, desclen);
    write_file(c->mut_path, buf, size);
    free(buf);
    return c;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- the CLI route ---- */

static pid_t cli_start(const mcase *c, const char *err_path)
{
    pid_t pid = fork();
    if (pid < 0)
        die("fork%s", "");
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (null < 0 || err < 0)
            _exit(2);
        dup2(null, 0);
        dup2(null, 1);
        dup2(err, 2);
        setpgid(0, 0); /* a program's children go with it */
        execl(ntrun_path, ntrun_path, c->run_path, (char *)NULL);
        _exit(2);
    }
    return pid;
}

static bool file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[4096];
    bool found = false;
    while (!found && fgets(line, sizeof line, f))
        found = strstr(line, needle) != NULL;
    fclose(f);
    return found;
}

/* The line of the file that names ntrun ("ntrun: ..."), else its first line, tabs and the
 * line end taken out; "" for none. */
static void first_message(const char *path, char *out, size_t size)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    *out = 0;
    if (!f)
        return;
    bool first = true;
    while (fgets(line, sizeof line, f)) {
        bool named = strstr(line, "ntrun: ") != NULL;
        if (first || named) {
            size_t k = strlen(line) < size - 1 ? strlen(line) : size - 1;
            memcpy(out, line, k);
            out[k] = 0;
        }
        first = false;
        if (named)
            break;
    }
    fclose(f);
    for (char *p = out; *p; p++)
        if (*p == '\t' || *p == '\n' || *p == '\r')
            *p = *p == '\t' ? ' ' : 0;
}

static int cli_classify(int status, bool termed, const char *err_path)
{
    if (WIFSIGNALED(status)) {
        if (WTERMSIG(status) == SIGKILL && termed)
            return R_HANG;
        if (WTERMSIG(status) == SIGTERM && termed)
            return R_HANG; /* SIGTERM before the console handlers existed: stuck loading */
        return R_CRASH;
    }
    if (file_has(err_path, "internal error"))
        return R_CRASH;
    if (termed)
        return R_PROG_HANG; /* SIGTERM was served as CTRL_CLOSE_EVENT */
    int code = WEXITSTATUS(status);
    if (code == 126)
        return file_has(err_path, "ntrun: ") ? R_REFUSED : R_SILENT;
    if (file_has(err_path, "unhandled exception") || file_has(err_path, "heap corruption") ||
        file_has(err_path, "HEAP_CORRUPTION") || file_has(err_path, "fail-fast") ||
        file_has(err_path, "__fastfail"))
        return R_EXCEPTION;
    return R_RAN;
}

/* ---- the in-process route: a worker process linked with libntrun ---- */

typedef struct wreply {
    uint32_t index;
    int32_t result;
    uint32_t code;
    char msg[244]; /* a refusal's ntrun_error_message */
} wreply;

static pid_t worker_pid = -1;
static int worker_cmd = -1, worker_res = -1;

static int inproc_run(const mcase *c, uint32_t *code_out, char *msg_out, size_t msg_size)
{
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    ntrun_config *cfg = ntrun_config_new();
    const char *argv[] = {c->run_path};
    ntrun_config_set_argv(cfg, 1, argv);
    ntrun_config_set_stdin_fd(cfg, null);
    ntrun_config_set_stdout_fd(cfg, null);
    ntrun_config_set_stderr_fd(cfg, null);
    ntrun_config_set_time_limit(cfg, timeout_ms);
    ntrun_program *prog = NULL;
    int result;
    *code_out = 0;
    *msg_out = 0;
    if (ntrun_load(cfg, c->run_path, &prog) != NTRUN_OK) {
        const char *msg = ntrun_error_message();
        result = msg && *msg ? R_REFUSED : R_SILENT;
        if (msg)
            snprintf(msg_out, msg_size, "%s", msg);
    } else {
        uint32_t code = 0;
        ntrun_error e = ntrun_run(prog, &code);
        ntrun_exit_info info = {.size = sizeof info};
        ntrun_get_exit_info(prog, &info);
        *code_out = code;
        if (e != NTRUN_OK) {
            result = R_REFUSED; /* the run could not start (a message says why) */
            const char *msg = ntrun_error_message();
            if (msg)
                snprintf(msg_out, msg_size, "%s", msg);
        }
        else if (info.reason == NTRUN_END_EXCEPTION)
            result = R_EXCEPTION;
        else if (info.reason == NTRUN_END_TIMED_OUT)
            result = R_PROG_HANG;
        else if ((code & 0xF0000000u) == 0xC0000000u && code != 0xC0000139u)
            result = R_EXCEPTION; /* fail-fast, heap corruption: ended with the status */
        else
            result = R_RAN;
        ntrun_program_free(prog);
    }
    ntrun_config_free(cfg);
    close(null);
    return result;
}

static void worker_main(int cmd, int res)
{
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2); /* runtime messages of in-process runs go to the host's stderr */
    close(null);
    uint32_t index;
    while (read(cmd, &index, sizeof index) == (ssize_t)sizeof index) {
        wreply r = {.index = index};
        r.result = inproc_run(&cases[index % ncases], &r.code, r.msg, sizeof r.msg);
        for (char *p = r.msg; *p; p++)
            if (*p == '\t' || *p == '\n')
                *p = ' ';
        if (write(res, &r, sizeof r) != (ssize_t)sizeof r)
            _exit(3);
    }
    _exit(0);
}

static void worker_stop(void)
{
    if (worker_pid > 0) {
        kill(worker_pid, SIGKILL);
        waitpid(worker_pid, NULL, 0);
        close(worker_cmd);
        close(worker_res);
    }
    worker_pid = -1;
}

static void worker_start(void)
{
    int cmd[2], res[2];
    if (pipe2(cmd, O_CLOEXEC) != 0 || pipe2(res, O_CLOEXEC) != 0)
        die("pipe%s", "");
    worker_pid = fork();
    if (worker_pid < 0)
        die("fork%s", "");
    if (worker_pid == 0) {
        close(cmd[1]);
        close(res[0]);
        worker_main(cmd[0], res[1]);
    }
    close(cmd[0]);
    close(res[1]);
    worker_cmd = cmd[1];
    worker_res = res[0];
}

/* ---- the driver ---- */

static unsigned counts[2][R_COUNT];
static unsigned failures;

static void report(const char *route, unsigned i, int result, const char *what, const char *desc)
{
    failures++;
    fprintf(stdout, "%s %s: mutant %u of %s: %s [%s]\n", result_names[result], route, i,
            cases[i % ncases].label, what, desc);
    if (keep_dir) {
        char *dst;
        if (asprintf(&dst, "%s/mutant-%u-%s", keep_dir, i,
                     strrchr(cases[i % ncases].mut_path, '/') + 1) >= 0) {
            size_t size;
            uint8_t *buf = read_file(cases[i % ncases].mut_path, &size);
            write_file(dst, buf, size);
            free(buf);
            free(dst);
        }
    }
}

static void run_one(unsigned i, bool cli, bool inproc)
{
    char desc[512];
    mcase *c = make_mutant(i, desc, sizeof desc);
    char err_path[4096];
    snprintf(err_path, sizeof err_path, "%s/stderr", work);
    pid_t pid = cli ? cli_start(c, err_path) : -1;
    bool asked = false;
    if (inproc) {
        if (worker_pid < 0)
            worker_start();
        uint32_t idx = i;
        asked = write(worker_cmd, &idx, sizeof idx) == (ssize_t)sizeof idx;
    }

    /* Both routes run at once; wait for each with its own deadline. */
    uint64_t start = now_ms();
    int cli_status = 0;
    bool cli_done = pid < 0, termed = false, killed = false;
    bool in_done = !inproc;
    int cli_result = -1, in_result = -1;
    char cli_msg[256] = "", in_msg[256] = "";
    while (!cli_done || !in_done) {
        if (!cli_done) {
            pid_t w = waitpid(pid, &cli_status, WNOHANG);
            if (w == pid) {
                cli_done = true;
                kill(-pid, SIGKILL); /* whatever the program started */
                int result = cli_classify(cli_status, termed, err_path);
                counts[0][result]++;
                cli_result = result;
                if (list_file)
                    first_message(err_path, cli_msg, sizeof cli_msg);
                if (result == R_CRASH || result == R_HANG || result == R_SILENT) {
                    char what[128];
                    if (WIFSIGNALED(cli_status))
                        snprintf(what, sizeof what, "signal %d", WTERMSIG(cli_status));
                    else
                        snprintf(what, sizeof what, "exit status %d", WEXITSTATUS(cli_status));
                    report("cli", i, result, what, desc);
                }
            } else {
                uint64_t t = now_ms() - start;
                if (!termed && t > timeout_ms) {
                    kill(pid, SIGTERM); /* CTRL_CLOSE_EVENT: the program ends within 5 s */
                    termed = true;
                } else if (!killed && t > timeout_ms + grace_ms) {
                    kill(-pid, SIGKILL);
                    kill(pid, SIGKILL);
                    killed = true;
                }
            }
        }
        if (!in_done) {
            struct pollfd p = {.fd = worker_res, .events = POLLIN};
            int rc = asked ? poll(&p, 1, cli_done ? 50 : 5) : 0;
            wreply r;
            if (rc == 1 && read(worker_res, &r, sizeof r) == (ssize_t)sizeof r && r.index == i) {
                in_done = true;
                counts[1][r.result]++;
                in_result = r.result;
                snprintf(in_msg, sizeof in_msg, "%.*s", (int)sizeof r.msg, r.msg);
                if (r.result == R_SILENT)
                    report("in-process", i, r.result, "load failed without a message", desc);
            } else if (rc == 1 || !asked) { /* the worker died: it took the host with it */
                int st = 0;
                waitpid(worker_pid, &st, 0);
                close(worker_cmd);
                close(worker_res);
                worker_pid = -1;
                in_done = true;
                counts[1][R_CRASH]++;
                in_result = R_CRASH;
                char what[64];
                snprintf(what, sizeof what, "the host process died (%s %d)",
                         WIFSIGNALED(st) ? "signal" : "exit status",
                         WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
                report("in-process", i, R_CRASH, what, desc);
            } else if (now_ms() - start > timeout_ms + grace_ms) {
                worker_stop();
                in_done = true;
                counts[1][R_HANG]++;
                in_result = R_HANG;
                report("in-process", i, R_HANG, "ntrun_run did not return", desc);
            }
        } else if (!cli_done) {
            usleep(2000);
        }
    }
    if (list_file)
        fprintf(list_file, "%u\t%s\t%s\t%s\t%s\t%s\t[%s]\n", i, c->label,
                cli_result >= 0 ? result_names[cli_result] : "-", cli_msg,
                in_result >= 0 ? result_names[in_result] : "-", in_msg, desc);
}

/* ---- --compare: two listings, mutant by mutant ---- */

typedef struct lrow {
    char *fields[7]; /* number, case, cli, cli message, in-process, its message, mutations */
} lrow;

static lrow *read_listing(const char *path, unsigned *n)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot open %s", path);
    lrow *rows = NULL;
    unsigned cap = 0;
    char *line = NULL;
    size_t len = 0;
    *n = 0;
    while (getline(&line, &len, f) > 0) {
        line[strcspn(line, "\n")] = 0;
        unsigned idx = (unsigned)strtoul(line, NULL, 10);
        if (idx >= cap) {
            unsigned ncap = idx + 256;
            rows = realloc(rows, ncap * sizeof *rows);
            memset(rows + cap, 0, (ncap - cap) * sizeof *rows);
            cap = ncap;
        }
        char *p = strdup(line);
        for (int k = 0; k < 7; k++) {
            rows[idx].fields[k] = p ? p : "";
            p = p ? strchr(p, '\t') : NULL;
            if (p)
                *p++ = 0;
        }
        if (idx + 1 > *n)
            *n = idx + 1;
    }
    free(line);
    fclose(f);
    return rows;
}

/* A message with its numbers masked (addresses, sizes, mutant-specific values): "#". */
static void mask_numbers(const char *in, char *out, size_t size)
{
    size_t o = 0;
    for (const char *p = in; *p && o + 2 < size;) {
        if ((*p >= '0' && *p <= '9')) {
            out[o++] = '#';
            if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
                p += 2;
            while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F'))
                p++;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = 0;
}

typedef struct tally {
    char key[512];
    unsigned n;
} tally;

static void tally_add(tally *t, unsigned *nt, unsigned cap, const char *key)
{
    for (unsigned k = 0; k < *nt; k++)
        if (strcmp(t[k].key, key) == 0) {
            t[k].n++;
            return;
        }
    if (*nt < cap) {
        snprintf(t[*nt].key, sizeof t[*nt].key, "%s", key);
        t[(*nt)++].n = 1;
    }
}

static int tally_cmp(const void *a, const void *b)
{
    const tally *x = a, *y = b;
    return x->n != y->n ? (x->n < y->n ? 1 : -1) : strcmp(x->key, y->key);
}

static int compare_listings(const char *a_path, const char *b_path)
{
    unsigned na, nb;
    lrow *a = read_listing(a_path, &na), *b = read_listing(b_path, &nb);
    unsigned n = na < nb ? na : nb, differ = 0, nt = 0;
    static tally t[4096];
    for (unsigned i = 0; i < n; i++) {
        if (!a[i].fields[0] || !b[i].fields[0])
            continue;
        for (int route = 0; route < 2; route++) {
            int f = route ? 4 : 2;
            const char *ra = a[i].fields[f], *rb = b[i].fields[f];
            if (strcmp(ra, rb) == 0 || strcmp(ra, "-") == 0 || strcmp(rb, "-") == 0)
                continue;
            differ++;
            printf("mutant %s of %s, %s: %s -> %s\n  A: %s\n  B: %s\n  %s\n", a[i].fields[0],
                   a[i].fields[1], route ? "in-process" : "cli", ra, rb, a[i].fields[f + 1],
                   b[i].fields[f + 1], a[i].fields[6]);
            char ma[256], mb[256], key[512];
            mask_numbers(a[i].fields[f + 1], ma, sizeof ma);
            mask_numbers(b[i].fields[f + 1], mb, sizeof mb);
            snprintf(key, sizeof key, "%s: %s -> %s | B: %s", route ? "in-process" : "cli", ra,
                     rb, mb);
            tally_add(t, &nt, sizeof t / sizeof t[0], key);
        }
    }
    qsort(t, nt, sizeof t[0], tally_cmp);
    printf("mutation_check: %u differences between %s (A) and %s (B) over %u mutants:\n", differ,
           a_path, b_path, n);
    for (unsigned k = 0; k < nt; k++)
        printf("%6u  %s\n", t[k].n, t[k].key);
    return 0;
}

int main(int argc, char **argv)
{
    bool cli = true, inproc = true;
    long only = -1;
    int i = 1;
    if (argc == 4 && strcmp(argv[1], "--compare") == 0)
        return compare_listings(argv[2], argv[3]);
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--seed=", 7) == 0)
            seed = strtoull(a + 7, NULL, 0);
        else if (strncmp(a, "--count=", 8) == 0)
            count = (unsigned)strtoul(a + 8, NULL, 0);
        else if (strncmp(a, "--timeout=", 10) == 0)
            timeout_ms = (unsigned)strtoul(a + 10, NULL, 0);
        else if (strncmp(a, "--work=", 7) == 0)
            work = strdup(a + 7);
        else if (strncmp(a, "--only=", 7) == 0)
            only = strtol(a + 7, NULL, 0);
        else if (strncmp(a, "--keep=", 7) == 0)
            keep_dir = a + 7;
        else if (strncmp(a, "--list=", 7) == 0) {
            list_file = fopen(a + 7, "w");
            if (!list_file)
                die("cannot create %s", a + 7);
            setvbuf(list_file, NULL, _IOLBF, 0);
        }
        else if (strcmp(a, "--no-cli") == 0)
            cli = false;
        else if (strcmp(a, "--no-inproc") == 0)
            inproc = false;
        else {
            fprintf(stderr, "mutation_check: unknown option %s\n", a);
            return 2;
        }
    }
    if (argc - i < 2) {
        fprintf(stderr, "usage: mutation_check [--seed=N] [--count=N] [--timeout=MS] [--work=DIR] "
                        "[--only=N] [--keep=DIR] [--list=FILE] [--no-cli] [--no-inproc] NTRUN "
                        "CASE...\n       mutation_check --compare LIST_A LIST_B\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    ntrun_path = argv[i++];
    char tmpl[] = "/tmp/ntrun-mutants.XXXXXX";
    bool own_work = !work;
    if (own_work) {
        const char *t = getenv("TMPDIR");
        if (!t || !*t || asprintf(&work, "%s/ntrun-mutants.XXXXXX", t) < 0)
            work = strdup(tmpl);
        if (!mkdtemp(work))
            die("cannot create %s", work);
    } else {
        mkdir(work, 0755);
    }
    ncases = (unsigned)(argc - i);
    cases = calloc(ncases, sizeof *cases);
    for (unsigned k = 0; k < ncases; k++)
        setup_case(&cases[k], k, argv[i + (int)k]);

    printf("mutation_check: seed %" PRIu64 ", %u mutants of %u files:", seed,
           only >= 0 ? 1 : count, ncases);
    for (unsigned k = 0; k < ncases; k++)
        printf("%s %s", k ? "," : "", cases[k].label);
    printf("\n");
    fflush(stdout);
    uint64_t t0 = now_ms();
    for (unsigned n = 0; n < count; n++) {
        if (only >= 0 && n != (unsigned long)only)
            continue;
        run_one(n, cli, inproc);
        fflush(stdout);
    }
    worker_stop();
    printf("%-11s", "route");
    for (int r = 0; r < R_COUNT; r++)
        printf(" %9s", result_names[r]);
    printf("\n");
    for (int route = 0; route < 2; route++) {
        if (!(route ? inproc : cli))
            continue;
        printf("%-11s", route ? "in-process" : "cli");
        for (int r = 0; r < R_COUNT; r++)
            printf(" %9u", counts[route][r]);
        printf("\n");
    }
    printf("mutation_check: %u runtime crashes, hangs or silent refusals; %.1f s\n", failures,
           (double)(now_ms() - t0) / 1000.0);
    if (list_file)
        fclose(list_file);
    if (own_work) {
        char *cmd;
        if (asprintf(&cmd, "rm -rf '%s'", work) >= 0 && system(cmd) != 0)
            fprintf(stderr, "mutation_check: could not remove %s\n", work);
    }
    return failures ? 1 : 0;
}
