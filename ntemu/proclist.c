/* SPDX-License-Identifier: MIT */
/* The other ntrun processes of the user, as NtQuerySystemInformation(SystemProcessInformation)
 * lists them (EnumProcesses, CreateToolhelp32Snapshot, taskkill /IM): the processes in /proc
 * of the caller's uid that run ntrun's code (nt_rdv_is_ntrun, the test OpenProcess makes
 * before it asks a process for its rendezvous) on the same C: drive (the same Windows system:
 * one registry, one set of files; a build's tests use a C: drive of their own), with their
 * parent, start time, threads and the program each runs. Wine lists the processes of one
 * wineserver (one prefix) the same way: other Linux programs are not Windows processes, and
 * another prefix is another machine.
 *
 * The program's name comes from the process's command line, as ntrun's CLI and a CreateProcess
 * child's launcher write it (tools/ntrun.c, ntemu/process.c): options first, all of the form
 * --NAME or --NAME=VALUE, an optional "--", then the program's path. A process that is still
 * between its fork and its exec of ntrun, or has ended and waits for its parent (a zombie), is
 * not listed. Nothing here is on a hot path: each call reads /proc afresh. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"

/* The whole of /proc/PID/WHAT (NUL-terminated; its own NULs kept), malloc'd; NULL if unreadable. */
static char *pl_read_file(pid_t pid, const char *what, size_t *len)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, what);
    FILE *f = fopen(path, "re");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        char *more = realloc(buf, cap * 2 + 1);
        if (!more) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = more;
        cap *= 2;
    }
    fclose(f);
    if (buf) {
        buf[n] = 0;
        *len = n;
    }
    return buf;
}

char *nt_proc_program_path(pid_t pid)
{
    size_t len = 0;
    char *cmd = pl_read_file(pid, "cmdline", &len);
    if (!cmd)
        return NULL;
    char *r = NULL;
    size_t off = strlen(cmd) + 1; /* past argv[0] */
    while (off < len) {
        char *a = cmd + off;
        off += strlen(a) + 1;
        if (a[0] == '-' && a[1] != 0) {
            if (strcmp(a, "--") == 0) {
                if (off < len)
                    r = strdup(cmd + off);
                break;
            }
            continue; /* an option: --NAME or --NAME=VALUE (the child launcher's mode too) */
        }
        r = strdup(a);
        break;
    }
    free(cmd);
    return r;
}

/* The image name SystemProcessInformation gives: the program's file name, ".exe" added when
 * the command line left it out (ntrun finds "prog" as prog.exe). */
static char *pl_image_name(pid_t pid)
{
    char *p = nt_proc_program_path(pid);
    if (!p)
        return strdup("ntrun.exe");
    const char *base = p;
    for (const char *s = p; *s; s++)
        if (*s == '/' || *s == '\\')
            base = s + 1;
    char *r = NULL;
    if (asprintf(&r, "%s%s", base, strchr(base, '.') ? "" : ".exe") < 0)
        r = NULL;
    free(p);
    return r;
}

/* The ids of pid's threads (/proc/PID/task), malloc'd; their count in *n. */
static int32_t *pl_threads(pid_t pid, int *n)
{
    char path[48];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    *n = 0;
    DIR *d = opendir(path);
    if (!d)
        return NULL;
    int cap = 16;
    int32_t *tids = malloc(sizeof *tids * (size_t)cap);
    struct dirent *e;
    while (tids && (e = readdir(d))) {
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        if (*n == cap) {
            int32_t *more = realloc(tids, sizeof *tids * (size_t)cap * 2);
            if (!more)
                break;
            tids = more;
            cap *= 2;
        }
        tids[(*n)++] = (int32_t)atoi(e->d_name);
    }
    closedir(d);
    return tids;
}

/* The C: directory another process's run uses, from its environment as ntemu/path.c reads
 * ours: NTRUN_CHILD_DRIVE_C (a CreateProcess child), else NTRUN_C_DRIVE, else ~/.ntrun/c;
 * malloc'd, NULL when its environment cannot be read. */
static char *pl_c_drive_of(pid_t pid)
{
    size_t len = 0;
    char *env = pl_read_file(pid, "environ", &len);
    if (!env)
        return NULL;
    const char *child = NULL, *c = NULL, *home = NULL;
    for (size_t off = 0; off < len; off += strlen(env + off) + 1) {
        const char *e = env + off;
        if (!strncmp(e, "NTRUN_CHILD_DRIVE_C=", 20))
            child = e + 20;
        else if (!strncmp(e, "NTRUN_C_DRIVE=", 14))
            c = e + 14;
        else if (!strncmp(e, "HOME=", 5))
            home = e + 5;
    }
    char *r = NULL;
    if (child && *child)
        r = strdup(child);
    else if (c && *c)
        r = strdup(c);
    else if (home && *home && asprintf(&r, "%s/.ntrun/c", home) < 0)
        r = NULL;
    free(env);
    return r;
}

/* Whether pid's run has our C: drive: the same Windows system as far as a program can tell
 * (its registry and its files). Runs of other C: drives (other builds' tests, other users'
 * set-ups) are other machines, not listed. */
static bool pl_same_system(pid_t pid, const char *mine, const struct stat *mine_st)
{
    char *theirs = pl_c_drive_of(pid);
    if (!theirs)
        return false;
    struct stat st;
    bool same = mine_st ? stat(theirs, &st) == 0 && st.st_dev == mine_st->st_dev &&
                              st.st_ino == mine_st->st_ino
                        : mine && strcmp(theirs, mine) == 0;
    free(theirs);
    return same;
}

static int pl_by_pid(const void *a, const void *b)
{
    const nt_proc_entry *x = a, *y = b;
    return (x->pid > y->pid) - (x->pid < y->pid);
}

int nt_other_processes(nt_proc_entry **out)
{
    *out = NULL;
    DIR *d = opendir("/proc");
    if (!d)
        return 0;
    struct timespec now, boot;
    clock_gettime(CLOCK_REALTIME, &now);
    clock_gettime(CLOCK_BOOTTIME, &boot);
    int64_t boot_t = nt_time_from_timespec(&now) -
                     ((int64_t)boot.tv_sec * 10000000 + boot.tv_nsec / 100);
    long hz = sysconf(_SC_CLK_TCK);
    if (hz <= 0)
        hz = 100;
    pid_t self = getpid();
    uid_t uid = getuid();
    const char *c_root = nt_path_get_drive('C');
    struct stat c_st;
    bool c_known = c_root && stat(c_root, &c_st) == 0;
    nt_proc_entry *list = NULL;
    int n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        pid_t pid = (pid_t)atoi(e->d_name);
        char path[48];
        struct stat st;
        snprintf(path, sizeof path, "/proc/%d", (int)pid);
        if (pid == self || stat(path, &st) != 0 || st.st_uid != uid)
            continue;
        unsigned long long f[NT_STAT_FIELDS + 1];
        if (!nt_proc_stat((unsigned)pid, f) || f[3] == 'Z' || f[3] == 'X' ||
            !nt_rdv_is_ntrun(pid) || !pl_same_system(pid, c_root, c_known ? &c_st : NULL))
            continue;
        if (n == cap) {
            nt_proc_entry *more = realloc(list, sizeof *list * (size_t)(cap ? cap * 2 : 16));
            if (!more)
                break;
            list = more;
            cap = cap ? cap * 2 : 16;
        }
        nt_proc_entry *p = &list[n];
        p->pid = pid;
        p->ppid = (pid_t)f[4];
        p->create_time = boot_t + (int64_t)(f[22] * 10000000ull / (unsigned long long)hz);
        p->name = pl_image_name(pid);
        p->tids = pl_threads(pid, &p->ntids);
        if (!p->name || !p->ntids) { /* gone meanwhile */
            free(p->name);
            free(p->tids);
            continue;
        }
        n++;
    }
    closedir(d);
    if (n > 1)
        qsort(list, (size_t)n, sizeof *list, pl_by_pid);
    *out = list;
    return n;
}

void nt_proc_entries_free(nt_proc_entry *list, int n)
{
    for (int i = 0; i < n; i++) {
        free(list[i].name);
        free(list[i].tids);
    }
    free(list);
}
