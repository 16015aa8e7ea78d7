/* SPDX-License-Identifier: MIT */
/* Windows paths <-> Linux paths.
 *
 * Drives: Z: is "/", C: is $NTRUN_C_DRIVE or ~/.ntrun/c (created on first use), other letters
 * unmapped unless nt_path_set_drive maps them. "\" and "/" both separate components. The
 * current directory is the run's (nt_cwd_set, below), not the process's working directory;
 * its drive is the drive whose directory contains it. Accepted forms: "C:\d\f", "C:d\f"
 * (drive-relative), "\d\f" (current drive), "d\f" (relative), NT forms "\??\C:\d\f",
 * "\\?\C:\d\f", "\\.\C:\d\f", "\DosDevices\C:\...", "\??\unix\home\x" (a raw
 * Linux path, what nt_path_from_unix returns for paths outside every drive), the device form
 * "\Device\HarddiskVolume3\d\f" (C:, the letter's index + 1, as handles' names read), and the devices
 * NUL (/dev/null) and CON, CONIN$, CONOUT$ (/dev/tty).
 *
 * Win32 (non-NT) forms are normalized as Windows does: "." and ".." (never above the drive
 * root), a single trailing dot of a component removed, trailing dots and spaces of the last
 * component removed. Each component is then looked up as given and, when that name does not
 * exist, case-insensitively in its directory (Windows upper-casing). A missing last component is
 * kept as given (it may be about to be created); a missing directory component gives
 * STATUS_OBJECT_PATH_NOT_FOUND. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"

/* ---- a list of path components ---- */
typedef struct {
    char **v;
    size_t n, cap;
    bool oom;
} nt_comps;

static void comps_push(nt_comps *c, const char *p, size_t n)
{
    if (c->oom)
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        char **v = realloc(c->v, cap * sizeof *v);
        if (!v) {
            c->oom = true;
            return;
        }
        c->v = v;
        c->cap = cap;
    }
    char *s = strndup(p, n);
    if (!s) {
        c->oom = true;
        return;
    }
    c->v[c->n++] = s;
}

static void comps_pop(nt_comps *c)
{
    if (c->n)
        free(c->v[--c->n]);
}

static void comps_free(nt_comps *c)
{
    while (c->n)
        comps_pop(c);
    free(c->v);
}

static inline bool is_sep(char c) { return c == '\\' || c == '/'; }
static inline char up_ascii(char c) { return (c >= 'a' && c <= 'z') ? (char)(c - 32) : c; }
static inline bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static bool prefix_ci(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (up_ascii(*s) != up_ascii(*prefix))
            return false;
    return true;
}

static bool equal_ci(const char *a, size_t alen, const char *b)
{
    return strlen(b) == alen && prefix_ci(a, b);
}

/* ---- the current directory of a run ----
 * A run's current directory is its own, not the process's working directory (which belongs to
 * the host of libntrun: a launcher's other threads keep theirs, and nothing here calls chdir):
 * an O_PATH directory fd, set at load and by SetCurrentDirectory/_chdir (a relative name is
 * opened with openat from the current one). Every Linux path the path code hands out is
 * absolute, so the process's working directory is never consulted during a run: a relative
 * Windows name is joined to the directory's name, as Windows joins it to the current directory
 * string in RtlDosPathNameToNtPathName. The name is read from the fd each time
 * (/proc/self/fd/N; but the read right after nt_cwd_set, see nt_cwd_fresh), so a directory renamed under a run is followed as a working directory
 * would be. The program cannot remove or rename it: an open of the current directory for
 * DELETE fails with STATUS_SHARING_VIOLATION (ntemu/file.c), as Windows' current-directory
 * handle shares neither; one removed from outside (another process, the host) keeps the last
 * name it had. Without an fd (the ntrun tool before the program's first
 * SetCurrentDirectory, a child process), the process's working directory. */
static pthread_mutex_t nt_cwd_lock = PTHREAD_MUTEX_INITIALIZER;
static int nt_cwd_fd = -1;
static char *nt_cwd_name; /* the name the fd had when last read */
/* nt_cwd_name was read by nt_cwd_set and not handed out since: the next nt_cwd_get returns it
 * without reading /proc again. Start-up sets the directory and reads it back at once (the PEB's
 * CurrentDirectory): a second readlink a few microseconds later cannot see anything newer that
 * the first could not have. Every later read goes to /proc as before. */
static bool nt_cwd_fresh;

/* The name of directory fd `fd` (malloc'd, absolute), NULL when /proc cannot tell. */
static char *dir_fd_name(int fd)
{
    static const char deleted[] = " (deleted)";
    char link[64], buf[PATH_MAX];
    struct stat st;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, buf, sizeof buf - 1);
    if (n <= 0 || (size_t)n >= sizeof buf - 1 || buf[0] != '/')
        return NULL;
    buf[n] = 0;
    /* A removed directory's link reads "<name> (deleted)": only a name ending so needs the
     * fstat that tells it from a directory really called that (one system call less per read). */
    size_t dl = sizeof deleted - 1;
    if ((size_t)n > dl && memcmp(buf + n - dl, deleted, dl) == 0 && fstat(fd, &st) == 0 &&
        st.st_nlink == 0)
        return NULL;
    return strdup(buf);
}

int nt_cwd_set(const char *unix_dir)
{
    int fd = -1;
    char *name = NULL;
    pthread_mutex_lock(&nt_cwd_lock);
    if (unix_dir) {
        fd = openat(nt_cwd_fd >= 0 ? nt_cwd_fd : AT_FDCWD, unix_dir,
                    O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            int e = errno;
            pthread_mutex_unlock(&nt_cwd_lock);
            return -e;
        }
        /* the process's working directory itself (a start: "."): its name from getcwd, one
         * system call, instead of a readlink of /proc/self/fd/N, whose lookup of /proc's
         * entries cost ~2% of a start (docs/performance.md, twenty-second pass); the same
         * name, which the kernel makes the same way (d_path) */
        if (nt_cwd_fd < 0 && strcmp(unix_dir, ".") == 0) {
            char buf[PATH_MAX];
            if (getcwd(buf, sizeof buf) && buf[0] == '/')
                name = strdup(buf);
        }
        if (!name)
            name = dir_fd_name(fd);
        if (!name) {
            int e = errno ? errno : ENOENT;
            pthread_mutex_unlock(&nt_cwd_lock);
            close(fd);
            return -e;
        }
    }
    int old = nt_cwd_fd;
    char *old_name = nt_cwd_name;
    nt_cwd_fd = fd;
    nt_cwd_name = name;
    nt_cwd_fresh = name != NULL;
    pthread_mutex_unlock(&nt_cwd_lock);
    if (old >= 0)
        close(old);
    free(old_name);
    return 0;
}

char *nt_cwd_get(void)
{
    pthread_mutex_lock(&nt_cwd_lock);
    if (nt_cwd_fd < 0) {
        pthread_mutex_unlock(&nt_cwd_lock);
        return getcwd(NULL, 0);
    }
    char *name = nt_cwd_fresh ? NULL : dir_fd_name(nt_cwd_fd);
    nt_cwd_fresh = false;
    if (name && strcmp(name, nt_cwd_name) != 0) {
        char *keep = strdup(name);
        if (keep) {
            free(nt_cwd_name);
            nt_cwd_name = keep;
        }
    } else if (!name) {
        name = strdup(nt_cwd_name);
    }
    pthread_mutex_unlock(&nt_cwd_lock);
    if (!name)
        errno = ENOMEM;
    return name;
}

/* A copy of the run's current directory's fd and the name it had when last read (both the
 * caller's); -ENOENT without one. */
int nt_cwd_dup(char **name)
{
    pthread_mutex_lock(&nt_cwd_lock);
    int fd = nt_cwd_fd >= 0 ? fcntl(nt_cwd_fd, F_DUPFD_CLOEXEC, 0) : -1;
    int e = nt_cwd_fd < 0 ? ENOENT : errno;
    *name = fd >= 0 && nt_cwd_name ? strdup(nt_cwd_name) : NULL;
    pthread_mutex_unlock(&nt_cwd_lock);
    if (fd >= 0 && !*name) {
        close(fd);
        return -ENOMEM;
    }
    return fd >= 0 ? fd : -e;
}

bool nt_cwd_is(uint64_t dev, uint64_t ino)
{
    struct stat st;
    pthread_mutex_lock(&nt_cwd_lock);
    int r = nt_cwd_fd >= 0 ? fstat(nt_cwd_fd, &st) : stat(".", &st);
    pthread_mutex_unlock(&nt_cwd_lock);
    return r == 0 && st.st_dev == dev && st.st_ino == ino;
}

/* ---- drives ---- */
static pthread_mutex_t nt_drive_lock = PTHREAD_MUTEX_INITIALIZER;
static char *nt_drive_dir[26];  /* Linux directory: "/" or without a trailing slash */
static char *nt_drive_real[26]; /* realpath() of it, once it exists, if it differs */
/* What realpath() said of the drive's directory: asked once, not at every path (it reads
 * the link of each component: 2-4 system calls, 7 times in a start of hello.exe when the
 * directory does not exist yet). A directory that did not exist is asked about again once
 * ntrun makes it or finds it there (drive_root: any use of a C: path), or the drive is
 * remapped; one made by another process meanwhile is seen at its next use by name. */
/* DRIVE_REAL_DIFFERS: nt_drive_real[i] is set (only then is it read or written: a start whose
 * drive directories are their own realpath() leaves the array out of the pages it writes,
 * tools/startup-order/wdata-not.list) */
enum { DRIVE_REAL_UNKNOWN, DRIVE_REAL_KNOWN, DRIVE_REAL_ABSENT, DRIVE_REAL_DIFFERS };
static uint8_t nt_drive_real_state[26];
static bool nt_drives_ready;

/* Absolute, without trailing slashes (except "/"), lexically normalized; malloc'd. */
static char *unix_normalize(const char *p)
{
    nt_comps c = {0};
    nt_sbuf b = {0};
    char *cwd = NULL;
    if (p[0] != '/') {
        cwd = nt_cwd_get();
        if (!cwd)
            return NULL;
    }
    for (int pass = 0; pass < 2; pass++) {
        const char *s = pass == 0 ? (cwd ? cwd : "") : p;
        while (*s) {
            while (*s == '/')
                s++;
            const char *e = s;
            while (*e && *e != '/')
                e++;
            size_t n = (size_t)(e - s);
            if (n == 1 && s[0] == '.') {
            } else if (n == 2 && s[0] == '.' && s[1] == '.') {
                comps_pop(&c);
            } else if (n) {
                comps_push(&c, s, n);
            }
            s = e;
        }
    }
    free(cwd);
    if (c.oom) {
        comps_free(&c);
        return NULL;
    }
    if (!c.n)
        nt_sb_adds(&b, "/");
    for (size_t i = 0; i < c.n; i++) {
        nt_sb_adds(&b, "/");
        nt_sb_adds(&b, c.v[i]);
    }
    comps_free(&c);
    return nt_sb_take(&b);
}

static void drives_init_locked(void)
{
    if (nt_drives_ready)
        return;
    nt_drives_ready = true;
    nt_drive_dir['Z' - 'A'] = strdup("/");
    const char *c = getenv("NTRUN_C_DRIVE");
    if (c && *c) {
        nt_drive_dir['C' - 'A'] = unix_normalize(c);
    } else {
        const char *home = getenv("HOME");
        if (!home || !*home) {
            struct passwd *pw = getpwuid(getuid());
            home = pw ? pw->pw_dir : "/tmp";
        }
        size_t n = strlen(home) + sizeof "/.ntrun/c";
        char *dir = malloc(n);
        if (dir) {
            snprintf(dir, n, "%s/.ntrun/c", home);
            nt_drive_dir['C' - 'A'] = unix_normalize(dir);
            free(dir);
        }
    }
    /* a child's: the drives of the parent's run (nt_path_child_drive_env) */
    for (int i = 0; i < 26; i++) {
        char name[] = "NTRUN_CHILD_DRIVE_X";
        name[sizeof name - 2] = (char)('A' + i);
        const char *dir = getenv(name);
        if (!dir)
            continue;
        free(nt_drive_dir[i]);
        nt_drive_dir[i] = *dir ? unix_normalize(dir) : NULL;
    }
}

static int drive_index(char letter)
{
    char u = up_ascii(letter);
    return (u >= 'A' && u <= 'Z') ? u - 'A' : -1;
}

void nt_path_set_drive(char letter, const char *unix_dir)
{
    int i = drive_index(letter);
    if (i < 0)
        return;
    pthread_mutex_lock(&nt_drive_lock);
    drives_init_locked();
    free(nt_drive_dir[i]);
    if (nt_drive_real_state[i] == DRIVE_REAL_DIFFERS) {
        free(nt_drive_real[i]);
        nt_drive_real[i] = NULL;
    }
    nt_drive_dir[i] = unix_dir ? unix_normalize(unix_dir) : NULL;
    nt_drive_real_state[i] = DRIVE_REAL_UNKNOWN;
    pthread_mutex_unlock(&nt_drive_lock);
}

/* The returned string stays valid until the drive is remapped (set drives up before starting
 * threads). */
const char *nt_path_get_drive(char letter)
{
    int i = drive_index(letter);
    const char *r;
    if (i < 0)
        return NULL;
    pthread_mutex_lock(&nt_drive_lock);
    drives_init_locked();
    r = nt_drive_dir[i];
    pthread_mutex_unlock(&nt_drive_lock);
    return r;
}

size_t nt_path_child_drive_env(char **out)
{
    size_t k = 0;
    pthread_mutex_lock(&nt_drive_lock);
    drives_init_locked();
    for (int i = 0; i < 26; i++) {
        const char *dir = nt_drive_dir[i];
        char name[] = "NTRUN_CHILD_DRIVE_X";
        name[sizeof name - 2] = (char)('A' + i);
        if (i == 'C' - 'A' && dir)
            strcpy(name, "NTRUN_C_DRIVE");
        else if (i == 'Z' - 'A' ? dir && !strcmp(dir, "/") : i != 'C' - 'A' && !dir)
            continue; /* as a child has it by default */
        size_t n = strlen(name) + (dir ? strlen(dir) : 0) + 2;
        if ((out[k] = malloc(n)))
            snprintf(out[k], n, "%s=%s", name, dir ? dir : "");
        k++;
    }
    pthread_mutex_unlock(&nt_drive_lock);
    return k;
}

void nt_make_dirs(const char *dir)
{
    char *p = strdup(dir);
    if (!p)
        return;
    for (char *s = p + 1; *s; s++) {
        if (*s == '/') {
            *s = 0;
            mkdir(p, 0755);
            *s = '/';
        }
    }
    mkdir(p, 0755);
    free(p);
}

static void (*nt_c_seeder)(const char *c_root);
static char *nt_c_seeded;                 /* the C: root seeded last, under nt_c_seed_lock */
static pthread_mutex_t nt_c_seed_lock = PTHREAD_MUTEX_INITIALIZER;

void nt_path_set_c_drive_seeder(void (*seed)(const char *c_root))
{
    __atomic_store_n(&nt_c_seeder, seed, __ATOMIC_RELEASE);
}

/* The seeder's call for this C: root, once (waiting for another thread's call in progress). */
static void c_drive_seed(const char *root)
{
    void (*seed)(const char *) = __atomic_load_n(&nt_c_seeder, __ATOMIC_ACQUIRE);
    if (!seed)
        return;
    pthread_mutex_lock(&nt_c_seed_lock);
    if (!nt_c_seeded || strcmp(nt_c_seeded, root) != 0) {
        seed(root);
        free(nt_c_seeded);
        nt_c_seeded = strdup(root);
    }
    pthread_mutex_unlock(&nt_c_seed_lock);
}

/* Copy of the drive's directory (C: is created on first use); NULL when unmapped. */
static char *drive_root(int i)
{
    char *r = NULL;
    pthread_mutex_lock(&nt_drive_lock);
    drives_init_locked();
    if (nt_drive_dir[i])
        r = strdup(nt_drive_dir[i]);
    pthread_mutex_unlock(&nt_drive_lock);
    if (r && i == 'C' - 'A') {
        /* A C: drive without the folder GetSystemDirectory names (C:\windows\system32), new or
         * made empty by the user, gets it: programs probe it (Go's runtime checks long-path
         * support there at start) and the CRT's system/_popen look for cmd.exe in it. */
        size_t n = strlen(r);
        char *sys = malloc(n + sizeof "/windows/system32");
        if (sys) {
            memcpy(sys, r, n);
            memcpy(sys + n, "/windows/system32", sizeof "/windows/system32");
            if (access(sys, F_OK) != 0)
                nt_make_dirs(sys);
            free(sys);
        } else if (access(r, F_OK) != 0) {
            nt_make_dirs(r);
        }
        /* it exists now (or cannot be made): realpath() may answer otherwise than before */
        pthread_mutex_lock(&nt_drive_lock);
        if (nt_drive_real_state[i] == DRIVE_REAL_ABSENT)
            nt_drive_real_state[i] = DRIVE_REAL_UNKNOWN;
        pthread_mutex_unlock(&nt_drive_lock);
    }
    if (r && i == 'C' - 'A')
        c_drive_seed(r);
    return r;
}

/* realpath() of a drive's directory (absolute and lexically normal: unix_normalize). One with
 * no symbolic link on its way is its own real name, which one openat2 with RESOLVE_NO_SYMLINKS
 * tells (2 calls, one walk of the name) where realpath reads the link of each component (3
 * readlinks for ~/.ntrun/c, 1 + 2 + 3 lookups); ENOENT there (a missing component, no link
 * before it) is realpath's ENOENT too. Anything else (a link on the way: ELOOP, a kernel
 * without openat2, EACCES, ENOTDIR) asks realpath. */
static char *drive_realpath(const char *dir)
{
    if (!strcmp(dir, "/")) /* Z: (realpath asks nothing either) */
        return strdup(dir);
    struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS};
    /* raw: libc's syscall() would be a text fault outside the start-up block */
    long fd = rt_raw_syscall6(SYS_openat2, AT_FDCWD, (long)dir, (long)&how, sizeof how, 0, 0);
    if (fd >= 0) {
        close((int)fd);
        return strdup(dir);
    }
    if (fd == -ENOENT) {
        errno = ENOENT;
        return NULL;
    }
    return realpath(dir, NULL);
}

/* Length of the drive directory `dir` when it contains `abs`, else -1. "/" contains all. */
static ssize_t dir_match(const char *dir, const char *abs)
{
    size_t n;
    if (!dir)
        return -1;
    if (strcmp(dir, "/") == 0)
        return 0;
    n = strlen(dir);
    if (strncmp(abs, dir, n) == 0 && (abs[n] == 0 || abs[n] == '/'))
        return (ssize_t)n;
    return -1;
}

/* The drive containing the normalized absolute Linux path `abs` (longest match; C: wins a tie
 * over later letters), with *rest_off the offset of what follows the drive directory. */
static int drive_of_unix_locked(const char *abs, size_t *rest_off)
{
    int best = -1;
    ssize_t best_len = -1;
    drives_init_locked();
    for (int i = 0; i < 26; i++) {
        if (!nt_drive_dir[i])
            continue;
        if (nt_drive_real_state[i] == DRIVE_REAL_UNKNOWN) {
            char *real = drive_realpath(nt_drive_dir[i]);
            nt_drive_real_state[i] = real ? DRIVE_REAL_KNOWN : DRIVE_REAL_ABSENT;
            if (real && strcmp(real, nt_drive_dir[i]) != 0) {
                nt_drive_real[i] = real;
                nt_drive_real_state[i] = DRIVE_REAL_DIFFERS;
            } else {
                free(real);
            }
        }
        ssize_t a = dir_match(nt_drive_dir[i], abs);
        ssize_t b = nt_drive_real_state[i] == DRIVE_REAL_DIFFERS ? dir_match(nt_drive_real[i], abs) : -1;
        ssize_t m = a > b ? a : b;
        if (m > best_len) {
            best_len = m;
            best = i;
        }
    }
    if (best >= 0)
        *rest_off = (size_t)best_len;
    return best;
}

WCHAR *nt_path_from_unix(const char *unix_path)
{
    char *abs = unix_normalize(unix_path);
    nt_sbuf b = {0};
    size_t rest = 0;
    int d;
    if (!abs)
        return NULL;
    pthread_mutex_lock(&nt_drive_lock);
    d = drive_of_unix_locked(abs, &rest);
    pthread_mutex_unlock(&nt_drive_lock);
    if (d >= 0) {
        char drive[3] = {(char)('A' + d), ':', 0};
        nt_sb_adds(&b, drive);
        if (!abs[rest])
            nt_sb_adds(&b, "\\");
        else
            nt_sb_adds(&b, abs + rest);
    } else {
        nt_sb_adds(&b, "\\\\?\\unix");
        nt_sb_adds(&b, abs);
    }
    free(abs);
    char *s = nt_sb_take(&b);
    if (!s)
        return NULL;
    for (char *p = s; *p; p++)
        if (*p == '/')
            *p = '\\';
    WCHAR *w = nt_utf8_to_utf16(s, strlen(s), NULL);
    free(s);
    return w;
}

/* The current directory: its drive (or -1 when no drive contains it) and its components below
 * the drive directory (or below "/" for -1). */
static int cwd_components(nt_comps *c)
{
    char *cwd = unix_normalize(".");
    size_t rest = 0;
    int d;
    if (!cwd)
        return -1;
    pthread_mutex_lock(&nt_drive_lock);
    d = drive_of_unix_locked(cwd, &rest);
    pthread_mutex_unlock(&nt_drive_lock);
    const char *s = d >= 0 ? cwd + rest : cwd;
    while (*s) {
        while (*s == '/')
            s++;
        const char *e = s;
        while (*e && *e != '/')
            e++;
        if (e > s)
            comps_push(c, s, (size_t)(e - s));
        s = e;
    }
    free(cwd);
    return d;
}

/* ---- case-insensitive lookup ---- */

/* The entry of `dir` equal to `name` ignoring case (the smallest such name, for a stable
 * answer when several differ only in case); malloc'd, or NULL. */
static char *find_ci(const char *dir, const char *name)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char *best = NULL;
    if (!d)
        return NULL;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (nt_name_equal_utf8(de->d_name, name) && (!best || strcmp(de->d_name, best) < 0)) {
            free(best);
            best = strdup(de->d_name);
        }
    }
    closedir(d);
    return best;
}

static void join(nt_sbuf *b, const char *name)
{
    if (!(b->len == 1 && b->s[0] == '/'))
        nt_sb_adds(b, "/");
    nt_sb_adds(b, name);
}

/* root + components, each component looked up case-insensitively when the exact name does not
 * exist. */
static NTSTATUS resolve_components(const char *root, const nt_comps *c, char **out)
{
    nt_sbuf b = {0};
    struct stat st;
    *out = NULL;
    nt_sb_adds(&b, root);
    for (size_t i = 0; i < c->n; i++)
        join(&b, c->v[i]);
    if (b.oom)
        goto oom;
    if (c->n == 0 || lstat(b.s, &st) == 0) {
        *out = b.s;
        return STATUS_SUCCESS;
    }
    if (errno == ENOTDIR) {
        free(b.s);
        return STATUS_OBJECT_PATH_NOT_FOUND;
    }
    if (errno != ENOENT) { /* e.g. EACCES or ENAMETOOLONG: the open will tell */
        *out = b.s;
        return STATUS_SUCCESS;
    }
    /* Something is missing: walk the components. */
    b.len = 0;
    nt_sb_adds(&b, root);
    for (size_t i = 0; i < c->n; i++) {
        size_t keep = b.len;
        join(&b, c->v[i]);
        if (b.oom)
            goto oom;
        if (lstat(b.s, &st) == 0)
            continue;
        if (errno == ENOTDIR) {
            free(b.s);
            return STATUS_OBJECT_PATH_NOT_FOUND;
        }
        if (errno != ENOENT) { /* e.g. EACCES: keep the rest as given, the open will tell */
            for (size_t j = i + 1; j < c->n; j++)
                join(&b, c->v[j]);
            break;
        }
        b.len = keep;
        b.s[keep] = 0;
        char *found = find_ci(b.s, c->v[i]);
        if (found) {
            join(&b, found);
            free(found);
        } else if (i + 1 == c->n) {
            join(&b, c->v[i]); /* a new last component */
        } else {
            free(b.s);
            return STATUS_OBJECT_PATH_NOT_FOUND;
        }
    }
    if (b.oom)
        goto oom;
    *out = b.s;
    return STATUS_SUCCESS;
oom:
    free(b.s);
    return STATUS_NO_MEMORY;
}

/* ---- Windows path parsing ---- */

/* Characters Windows never accepts in a file name. */
static bool name_invalid(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || strchr("\"*:<>?|", ch))
            return true;
    }
    return false;
}

/* NUL, CON, CONIN$, CONOUT$ as the last component: the Linux device, else NULL. As on
 * Windows 10, "nul.txt" and "NUL " are NUL too. */
static const char *device_of(const char *name, size_t n)
{
    size_t stem = 0;
    while (stem < n && name[stem] != '.')
        stem++;
    while (stem > 0 && name[stem - 1] == ' ')
        stem--;
    if (equal_ci(name, stem, "NUL"))
        return "/dev/null";
    if (equal_ci(name, stem, "CON") || equal_ci(name, n, "CONIN$") ||
        equal_ci(name, n, "CONOUT$"))
        return "/dev/tty";
    return NULL;
}

/* The last component of p (after the last separator). */
static const char *last_component(const char *p, size_t *n)
{
    const char *end = p + strlen(p), *s = end;
    while (s > p && !is_sep(s[-1]))
        s--;
    *n = (size_t)(end - s);
    return s;
}

/* Splits p into components onto c, applying "." and ".." and, for Win32 paths, the trimming
 * rules. */
static NTSTATUS push_path(nt_comps *c, const char *p, bool win32, unsigned flags)
{
    size_t len = strlen(p);
    bool ends_with_sep = len && is_sep(p[len - 1]);
    const char *s = p;
    while (*s) {
        while (is_sep(*s))
            s++;
        if (!*s)
            break;
        const char *e = s;
        while (*e && !is_sep(*e))
            e++;
        size_t n = (size_t)(e - s);
        bool last = !*e;
        if (n == 1 && s[0] == '.') {
            s = e;
            continue;
        }
        if (n == 2 && s[0] == '.' && s[1] == '.') {
            comps_pop(c); /* never above the root */
            s = e;
            continue;
        }
        if (win32) {
            if (last && !ends_with_sep) {
                while (n && (s[n - 1] == '.' || s[n - 1] == ' '))
                    n--;
            } else if (n >= 2 && s[n - 1] == '.' && s[n - 2] != '.') {
                n--;
            }
            if (!n) {
                s = e;
                continue;
            }
        }
        if ((flags & NT_PATH_STRICT) && name_invalid(s, n))
            return STATUS_OBJECT_NAME_INVALID;
        comps_push(c, s, n);
        s = e;
    }
    return c->oom ? STATUS_NO_MEMORY : STATUS_SUCCESS;
}

NTSTATUS nt_path_to_unix_ex(const char *path, unsigned flags, char **out)
{
    const char *p = path;
    bool win32 = true;     /* Win32 normalization applies */
    bool devices = true;   /* NUL/CON as the last component are devices */
    bool raw_unix = false; /* "\??\unix\..." */
    int drive = -1;
    bool relative = false; /* relative to the current directory of `drive` */
    nt_comps c = {0};
    NTSTATUS st;
    char *root = NULL;

    *out = NULL;
    if (prefix_ci(p, "\\??\\") || prefix_ci(p, "\\DosDevices\\") || prefix_ci(p, "\\GLOBAL??\\")) {
        p = strchr(p + 1, '\\') + 1;
        win32 = false;
    } else if (prefix_ci(p, "\\\\?\\")) {
        p += 4;
        win32 = false;
        devices = false;
    } else if (prefix_ci(p, "\\\\.\\") || prefix_ci(p, "//./")) {
        p += 4;
        win32 = false;
    } else if (prefix_ci(p, "\\Device\\Null") && !p[12]) {
        goto dev_null;
    } else if (prefix_ci(p, "\\Device\\HarddiskVolume")) {
        /* the device form of a drive's path, as ObjectNameInformation and
         * GetFinalPathNameByHandle(VOLUME_NAME_NT) give it (ntemu/object.c): volume N is the
         * drive letter of index N - 1. Zig's standard library (Bun) opens names so. */
        const char *d = p + 22;
        unsigned vol = 0;
        while (*d >= '0' && *d <= '9' && vol <= 26)
            vol = vol * 10 + (unsigned)(*d++ - '0');
        if (d == p + 22 || vol < 1 || vol > 26 || (*d && !is_sep(*d)))
            return STATUS_OBJECT_PATH_NOT_FOUND;
        drive = (int)vol - 1;
        p = d;
        win32 = false;
        devices = false;
    }

    if (drive >= 0) {
        /* a volume's device path: the rest is the path from its root */
    } else if (!win32) {
        if (prefix_ci(p, "UNC\\"))
            return STATUS_BAD_NETWORK_PATH;
        if (prefix_ci(p, "unix") && (is_sep(p[4]) || !p[4])) {
            raw_unix = true;
            devices = false;
            p += 4;
        } else if (is_letter(p[0]) && p[1] == ':' && (is_sep(p[2]) || !p[2])) {
            drive = drive_index(p[0]);
            p += 2;
        } else {
            /* an object in \??\ itself: only the devices exist there */
            const char *dev = devices && !strpbrk(p, "\\/") ? device_of(p, strlen(p)) : NULL;
            if (!dev)
                return STATUS_OBJECT_NAME_NOT_FOUND;
            return (*out = strdup(dev)) ? STATUS_SUCCESS : STATUS_NO_MEMORY;
        }
    } else {
        if (is_sep(p[0]) && is_sep(p[1]))
            return STATUS_BAD_NETWORK_PATH; /* UNC: \\server\share */
        if (is_letter(p[0]) && p[1] == ':') {
            drive = drive_index(p[0]);
            p += 2;
            relative = !is_sep(p[0]);
        } else {
            drive = -2; /* the current drive */
            relative = !is_sep(p[0]);
        }
    }

    /* An NT name (\??\C:\..., a volume's device path) separates with '\' alone: the rest goes
     * to the file system as it is, and '/' is a character NTFS takes in no name. The NT calls
     * (NT_PATH_STRICT) fail it as Windows does; Win32 paths had their '/' turned into '\'
     * before (kernel32's k32_nt_path, as RtlDosPathNameToNtPathName_U), and the built-ins that
     * hand this function Win32-style names keep the lenient reading. */
    if ((flags & NT_PATH_STRICT) && !win32 && drive >= 0 && strchr(p, '/'))
        return STATUS_OBJECT_NAME_INVALID;
    if (devices) {
        size_t n;
        const char *last = last_component(p, &n);
        const char *dev = n ? device_of(last, n) : NULL;
        if (dev)
            return (*out = strdup(dev)) ? STATUS_SUCCESS : STATUS_NO_MEMORY;
    }

    if (drive == -2 || relative) {
        nt_comps cwd = {0};
        int cwd_drive = cwd_components(&cwd);
        if (drive == -2 || drive == cwd_drive) {
            drive = cwd_drive;
            raw_unix = cwd_drive < 0;
            if (relative) {
                comps_free(&c);
                c = cwd;
                cwd = (nt_comps){0};
            }
        }
        comps_free(&cwd);
    }
    if (raw_unix) {
        root = strdup("/");
    } else if (drive >= 0) {
        root = drive_root(drive);
        if (!root) {
            st = STATUS_OBJECT_PATH_NOT_FOUND; /* unmapped drive */
            goto done;
        }
    } else {
        st = STATUS_OBJECT_PATH_NOT_FOUND;
        goto done;
    }
    if (!root) {
        st = STATUS_NO_MEMORY;
        goto done;
    }
    st = push_path(&c, p, win32, flags);
    if (st == STATUS_SUCCESS)
        st = resolve_components(root, &c, out);
done:
    free(root);
    comps_free(&c);
    return st;
dev_null:
    return (*out = strdup("/dev/null")) ? STATUS_SUCCESS : STATUS_NO_MEMORY;
}

NTSTATUS nt_path_to_unix(const WCHAR *path, size_t len, char **out)
{
    char *u;
    NTSTATUS st;
    *out = NULL;
    for (size_t i = 0; i < len; i++)
        if (!path[i])
            return STATUS_OBJECT_NAME_INVALID;
    u = nt_utf16_to_utf8(path, len, NULL);
    if (!u)
        return STATUS_NO_MEMORY;
    st = nt_path_to_unix_ex(u, 0, out);
    free(u);
    return st;
}

NTSTATUS nt_path_to_unix_a(const char *path, char **out)
{
    return nt_path_to_unix_ex(path, 0, out);
}

NTSTATUS nt_path_resolve_under(const char *base_dir, const char *rel, unsigned flags, char **out)
{
    nt_comps c = {0};
    NTSTATUS st = STATUS_SUCCESS;
    const char *s = rel;
    *out = NULL;
    if (*s == '\\')
        return STATUS_OBJECT_PATH_SYNTAX_BAD;
    while (*s) {
        const char *e = s;
        while (*e && *e != '\\')
            e++;
        size_t n = (size_t)(e - s);
        if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.') ||
            memchr(s, '/', n) || ((flags & NT_PATH_STRICT) && name_invalid(s, n))) {
            st = STATUS_OBJECT_NAME_INVALID;
            goto done;
        }
        comps_push(&c, s, n);
        s = *e ? e + 1 : e;
    }
    if (c.oom)
        st = STATUS_NO_MEMORY;
    else
        st = resolve_components(base_dir, &c, out);
done:
    comps_free(&c);
    return st;
}
