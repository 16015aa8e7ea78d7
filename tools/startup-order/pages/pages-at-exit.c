/* SPDX-License-Identifier: MIT */
/* The pages a start has present at exit (docs/performance.md, issue 12, twenty-third pass,
 * second round): runs a program traced only for its end; at PTRACE_EVENT_EXIT (the address
 * space still whole) copies /proc/PID/smaps to OUT and the present pages (pagemap) to
 * OUT.pres, one address a line. Reads nothing of the process, so faults nothing in.
 *   usage: pages-at-exit OUT PROGRAM ARGS...   (setarch -R for the addresses of touched.py) */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <unistd.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
static void dump(pid_t pid, const char *out) {
    char p[64], buf[1 << 16]; snprintf(p, sizeof p, "/proc/%d/smaps", pid);
    FILE *in = fopen(p, "r"), *o = fopen(out, "w"); size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, o);
    fclose(in); fclose(o);
    char po[512]; snprintf(po, sizeof po, "%s.pres", out); o = fopen(po, "w");
    snprintf(p, sizeof p, "/proc/%d/maps", pid); in = fopen(p, "r");
    snprintf(p, sizeof p, "/proc/%d/pagemap", pid); int pm = open(p, O_RDONLY);
    char line[1024];
    while (fgets(line, sizeof line, in)) {
        unsigned long lo, hi; sscanf(line, "%lx-%lx", &lo, &hi);
        if (lo >= 0xffffffffff600000ul) continue;
        for (unsigned long a = lo; a < hi; a += 4096) {
            uint64_t e; pread(pm, &e, 8, a / 4096 * 8);
            if (e >> 63) fprintf(o, "%lx\n", a);
        }
    }
    fclose(in); fclose(o); close(pm);
}
int main(int argc, char **argv) {
    pid_t pid = fork();
    if (!pid) { ptrace(PTRACE_TRACEME, 0, 0, 0); raise(SIGSTOP); int fd = open("/dev/null", O_WRONLY); dup2(fd, 1); execv(argv[2], argv + 2); _exit(127); }
    int st; waitpid(pid, &st, 0);
    ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL);
    ptrace(PTRACE_CONT, pid, 0, 0);
    for (;;) {
        if (waitpid(pid, &st, 0) < 0 || WIFEXITED(st) || WIFSIGNALED(st)) break;
        int sig = 0;
        if (st >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8))) dump(pid, argv[1]);
        else if (WIFSTOPPED(st) && WSTOPSIG(st) != SIGTRAP) sig = WSTOPSIG(st);
        ptrace(PTRACE_CONT, pid, 0, sig);
    }
    return 0;
}
