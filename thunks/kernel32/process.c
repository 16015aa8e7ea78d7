/* SPDX-License-Identifier: MIT */
/* kernel32 process state: the process parameters (thk_process_setup), command line,
 * environment, standard handles, startup info, process/thread identity and exit, modules
 * (GetModuleHandle, GetProcAddress, GetModuleFileName, LoadLibrary), version and system
 * information, the current directory and full-path computation (shared with thunks/kernel32/file.c),
 * the unhandled-exception filter, debug output and the console functions.
 *
 * The command line is built from argv with the quoting that CommandLineToArgvW and msvcrt
 * parse back into the same argv. argv[0] is given in Windows form (an absolute Linux path
 * becomes its DOS path, a relative one gets backslashes). The environment block is UTF-16,
 * kept in PEB->ProcessParameters->Environment and guarded by one lock; new variables are
 * inserted in the (case-insensitive) sorted position, as RtlSetEnvironmentVariable does.
 *
 * Modules: the program, the built-in DLLs, and foreign DLLs, which the loader maps and counts
 * (reached through thk_loader: LoadLibrary, FreeLibrary, GetProcAddress with forwarders, their
 * paths); GetProcAddress walks the export directory of built-in ones itself.
 *
 * The console is the terminal: a handle is a console handle when its fd is a tty. The console
 * code page is UTF-8 (65001). WriteConsole/ReadConsole fail with ERROR_INVALID_HANDLE on
 * anything else, as Windows does for redirected handles. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/platform/x86.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "thunks/held_locks.h"
#include "thunks/kernel32/kernel32_private.h"
#include "thunks/ntdll/heap.h"

thk_startup thk_startup_info;

static pthread_mutex_t k32_env_lock = PTHREAD_MUTEX_INITIALIZER;
static WCHAR *k32_cmdline_w;
static char *k32_cmdline_a;

static RTL_USER_PROCESS_PARAMETERS *k32_params(void)
{
    return rt_proc.peb ? rt_proc.peb->ProcessParameters : NULL;
}

static WCHAR *k32_wcsdup_n(const WCHAR *s, size_t n)
{
    WCHAR *d = malloc((n + 1) * sizeof *d);
    if (d) {
        memcpy(d, s, n * sizeof *d);
        d[n] = 0;
    }
    return d;
}

/* A copy of n bytes in the process heap. The strings the program is handed to read (command
 * line, image path, current directory, environment block) live in its own memory, as on
 * Windows, where VirtualQuery shows them committed and readable (glibc's heap is the runtime's:
 * a reservation to the program). NULL when out of memory. */
static void *k32_prog_dup(const void *src, size_t n)
{
    void *d = k32_heap_alloc(n, false);
    if (d)
        memcpy(d, src, n);
    return d;
}

/* Frees a k32_prog_dup copy; anything else (a buffer not of the process heap) is left alone. */
static void k32_prog_free(void *p)
{
    if (p)
        hp_free(hp_process_heap(), 0, p);
}

static void k32_set_ustr(UNICODE_STRING *us, WCHAR *buf, size_t len, size_t cap)
{
    us->Buffer = buf;
    us->Length = (uint16_t)(len * sizeof(WCHAR) > 0xfffe ? 0xfffe : len * sizeof(WCHAR));
    us->MaximumLength = (uint16_t)(cap * sizeof(WCHAR) > 0xfffe ? 0xfffe : cap * sizeof(WCHAR));
}

/* ======================================================================================== */
/* Command line                                                                             */
/* ======================================================================================== */


/* One argument as the msvcrt/CommandLineToArgvW parser reads it back: quoted when empty or
 * containing white space; a quote is escaped with a backslash; backslashes are doubled only
 * where they precede a quote (an escaped one or the closing one). */
static void k32_quote_arg(nt_sbuf *b, const char *arg)
{
    bool quote = !*arg || strpbrk(arg, " \t\n\v") != NULL;
    if (quote)
        nt_sb_addc(b, '"');
    for (const char *p = arg;; p++) {
        size_t backslashes = 0;
        while (*p == '\\') {
            backslashes++;
            p++;
        }
        if (!*p) {
            for (size_t i = 0; i < (quote ? backslashes * 2 : backslashes); i++)
                nt_sb_addc(b, '\\');
            break;
        }
        if (*p == '"') {
            for (size_t i = 0; i < backslashes * 2 + 1; i++)
                nt_sb_addc(b, '\\');
        } else {
            for (size_t i = 0; i < backslashes; i++)
                nt_sb_addc(b, '\\');
        }
        nt_sb_addc(b, *p);
    }
    if (quote)
        nt_sb_addc(b, '"');
}

/* argv[0] in Windows form. The parsers take the program name up to the next quote (when it
 * starts with one) or white space, without escapes: quote it when it has white space. */
static void k32_program_arg(nt_sbuf *b, const char *arg0)
{
    char *win = NULL;
    if (arg0[0] == '/') {
        WCHAR *w = nt_path_from_unix(arg0);
        if (w) {
            win = nt_utf16_to_utf8(w, nt_wcslen(w), NULL);
            free(w);
        }
    }
    if (!win) {
        win = strdup(arg0);
        if (!win) {
            b->oom = true;
            return;
        }
        for (char *p = win; *p; p++)
            if (*p == '/')
                *p = '\\';
    }
    bool quote = !*win || strpbrk(win, " \t") != NULL;
    if (quote)
        nt_sb_addc(b, '"');
    for (const char *p = win; *p; p++)
        if (*p != '"')
            nt_sb_addc(b, *p);
    if (quote)
        nt_sb_addc(b, '"');
    free(win);
}

/* Exposed for the unit tests through GetCommandLineW after thk_process_setup. */
static char *k32_build_cmdline(int argc, char **argv)
{
    nt_sbuf b = {0};
    nt_sb_add(&b, "", 0);
    for (int i = 0; i < argc; i++) {
        if (i == 0) {
            k32_program_arg(&b, argv[0]);
        } else {
            nt_sb_addc(&b, ' ');
            k32_quote_arg(&b, argv[i]);
        }
    }
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* ======================================================================================== */
/* Paths                                                                                    */
/* ======================================================================================== */

static bool k32_is_sep(WCHAR c) { return c == '\\' || c == '/'; }
static bool k32_is_letter(WCHAR c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

WCHAR *k32_current_dir(void)
{
    char *cwd = nt_cwd_get();
    if (!cwd) {
        thk_set_last_status(nt_status_from_errno(errno));
        return NULL;
    }
    WCHAR *w = nt_path_from_unix(cwd);
    free(cwd);
    if (!w) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    size_t n = nt_wcslen(w);
    /* "C:\" keeps its backslash; "C:\dir\" (never produced, but be safe) loses it */
    if (n > 3 && k32_is_sep(w[n - 1]))
        w[n - 1] = 0;
    return w;
}

typedef struct {
    WCHAR *s;
    size_t len, cap;
    bool oom;
} k32_wsb;

static void k32_wsb_add(k32_wsb *b, const WCHAR *p, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 128;
        while (cap < b->len + n + 1)
            cap *= 2;
        WCHAR *s = realloc(b->s, cap * sizeof *s);
        if (!s) {
            b->oom = true;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
    memcpy(b->s + b->len, p, n * sizeof *p);
    b->len += n;
    b->s[b->len] = 0;
}

static void k32_wsb_addc(k32_wsb *b, WCHAR c) { k32_wsb_add(b, &c, 1); }

/* Is the last component of path[0..n) a DOS device (NUL, CON, ..., as Windows 10 sees them:
 * an extension and trailing spaces do not matter)? Sets the stem to keep. */
bool k32_dos_device(const WCHAR *path, size_t n, size_t *start, size_t *len)
{
    static const char *const names[] = {"CON", "PRN", "AUX", "NUL"};
    size_t s = n;
    while (s > 0 && !k32_is_sep(path[s - 1]) && !(s == 2 && path[1] == ':'))
        s--;
    size_t end = n - s, stem = 0;
    const WCHAR *c = path + s;
    if (end == 6 && !k32_wcsnicmp(c, u"CONIN$", 6)) {
        *start = s;
        *len = 6;
        return true;
    }
    if (end == 7 && !k32_wcsnicmp(c, u"CONOUT$", 7)) {
        *start = s;
        *len = 7;
        return true;
    }
    while (stem < end && c[stem] != '.' && c[stem] != ':')
        stem++;
    size_t trimmed = stem;
    while (trimmed > 0 && c[trimmed - 1] == ' ')
        trimmed--;
    bool match = false;
    if (trimmed == 3) {
        for (size_t i = 0; i < 4; i++) {
            WCHAR w[3] = {(WCHAR)names[i][0], (WCHAR)names[i][1], (WCHAR)names[i][2]};
            if (!k32_wcsnicmp(c, w, 3))
                match = true;
        }
    } else if (trimmed == 4 && c[3] >= '1' && c[3] <= '9' &&
               (!k32_wcsnicmp(c, u"COM", 3) || !k32_wcsnicmp(c, u"LPT", 3))) {
        match = true;
    }
    if (match) {
        *start = s;
        *len = trimmed;
    }
    return match;
}

/* Appends the components of p[0..n) to the result above `root_len`, resolving "." and "..",
 * dropping one trailing dot of a directory component, and the trailing dots and spaces of the
 * last one (unless the path ends with a separator), as Win32 path normalization does. */
static void k32_push_components(k32_wsb *b, size_t root_len, const WCHAR *p, size_t n,
                                bool is_last_part)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && k32_is_sep(p[i]))
            i++;
        if (i >= n)
            break;
        size_t e = i;
        while (e < n && !k32_is_sep(p[e]))
            e++;
        size_t len = e - i;
        bool last = is_last_part && e == n;
        if (len == 1 && p[i] == '.') {
        } else if (len == 2 && p[i] == '.' && p[i + 1] == '.') {
            size_t k = b->len;
            while (k > root_len && !k32_is_sep(b->s[k - 1]))
                k--;
            if (k > root_len)
                k--; /* the separator before it */
            if (k < root_len)
                k = root_len;
            b->len = k;
            if (b->s)
                b->s[k] = 0;
        } else {
            if (last) {
                while (len && (p[i + len - 1] == '.' || p[i + len - 1] == ' '))
                    len--;
            } else if (p[i + len - 1] == '.') {
                len--; /* one trailing dot: "a.." is "a.", "..." is ".." (a plain name) */
            }
            if (len) {
                if (b->len > root_len || (b->len && !k32_is_sep(b->s[b->len - 1])))
                    k32_wsb_addc(b, '\\');
                k32_wsb_add(b, p + i, len);
            }
        }
        i = e;
    }
}

/* The value of the "=C:" variable (the per-drive current directory); malloc'd or NULL. */
static WCHAR *k32_drive_cwd(WCHAR letter)
{
    WCHAR name[4] = {'=', k32_towupper(letter), ':', 0};
    WCHAR buf[MAX_PATH * 2];
    DWORD n = GetEnvironmentVariableW(name, buf, MAX_PATH * 2);
    if (!n || n >= MAX_PATH * 2)
        return NULL;
    return k32_wcsdup_n(buf, n);
}

WCHAR *k32_full_path(const WCHAR *path, ptrdiff_t *file_part)
{
    if (file_part)
        *file_part = -1;
    if (!path) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    size_t n = nt_wcslen(path);
    if (n == 0)
        return NULL; /* GetFullPathName("") fails without setting an error, as on Windows */
    k32_wsb b = {0};
    WCHAR *cwd = NULL, *base = NULL;
    size_t root_len, dev_start, dev_len;
    const WCHAR *rest = path;
    size_t rest_len = n;

    if (n >= 4 && path[0] == '\\' && path[1] == '\\' && path[2] == '?' && path[3] == '\\') {
        k32_wsb_add(&b, path, n); /* \\?\ paths are taken verbatim */
        goto done;
    }
    if (!(n >= 4 && k32_is_sep(path[0]) && k32_is_sep(path[1]) && path[2] == '.' &&
          k32_is_sep(path[3])) &&
        k32_dos_device(path, n, &dev_start, &dev_len)) {
        k32_wsb_add(&b, u"\\\\.\\", 4);
        k32_wsb_add(&b, path + dev_start, dev_len);
        goto done;
    }
    if (k32_is_sep(path[0]) && k32_is_sep(path[1])) {
        if ((path[2] == '.' || path[2] == '?') && (n == 3 || k32_is_sep(path[3]))) {
            k32_wsb_add(&b, u"\\\\", 2); /* \\.\ device namespace */
            k32_wsb_addc(&b, path[2]);
            k32_wsb_addc(&b, '\\');
            root_len = 4;
            rest = path + 4 > path + n ? path + n : path + 4;
            rest_len = n > 4 ? n - 4 : 0;
        } else {
            /* UNC: \\server\share is the root */
            size_t i = 2, parts = 0;
            k32_wsb_add(&b, u"\\\\", 2);
            while (i < n && parts < 2) {
                size_t e = i;
                while (e < n && !k32_is_sep(path[e]))
                    e++;
                if (parts)
                    k32_wsb_addc(&b, '\\');
                k32_wsb_add(&b, path + i, e - i);
                parts++;
                i = e;
                while (i < n && k32_is_sep(path[i]))
                    i++;
            }
            root_len = b.len;
            rest = path + i;
            rest_len = n - i;
        }
    } else if (n >= 2 && k32_is_letter(path[0]) && path[1] == ':') {
        WCHAR drive[3] = {k32_towupper(path[0]), ':', '\\'};
        k32_wsb_add(&b, drive, 3);
        root_len = 3;
        rest = path + 2;
        rest_len = n - 2;
        if (!(n >= 3 && k32_is_sep(path[2]))) {
            /* drive-relative: that drive's current directory */
            cwd = k32_current_dir();
            if (cwd && cwd[0] && k32_towupper(cwd[0]) == drive[0] && cwd[1] == ':')
                base = cwd;
            else
                base = k32_drive_cwd(path[0]);
            if (base && nt_wcslen(base) >= 3)
                k32_push_components(&b, root_len, base + 3, nt_wcslen(base) - 3, false);
        }
    } else {
        cwd = k32_current_dir();
        if (!cwd)
            goto fail;
        size_t clen = nt_wcslen(cwd);
        if (clen >= 4 && cwd[0] == '\\' && cwd[1] == '\\' && cwd[2] == '?' && cwd[3] == '\\') {
            /* a directory outside every drive (\\?\unix\...): its root is \\?\unix */
            size_t r = 4;
            while (r < clen && !k32_is_sep(cwd[r]))
                r++;
            k32_wsb_add(&b, cwd, r);
            root_len = b.len;
            if (!k32_is_sep(path[0]))
                k32_push_components(&b, root_len, cwd + r, clen - r, false);
        } else if (clen >= 2 && cwd[1] == ':') {
            WCHAR drive[3] = {k32_towupper(cwd[0]), ':', '\\'};
            k32_wsb_add(&b, drive, 3);
            root_len = 3;
            if (!k32_is_sep(path[0]) && clen > 3)
                k32_push_components(&b, root_len, cwd + 3, clen - 3, false);
        } else {
            thk_set_last_error(ERROR_INVALID_NAME);
            goto fail;
        }
    }
    k32_push_components(&b, root_len, rest, rest_len, true);
    if (rest_len && k32_is_sep(rest[rest_len - 1]) && b.len && !k32_is_sep(b.s[b.len - 1]))
        k32_wsb_addc(&b, '\\');
done:
    if (base != cwd)
        free(base);
    free(cwd);
    cwd = base = NULL;
    if (b.oom || !b.s) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        goto fail;
    }
    if (file_part && b.len && !k32_is_sep(b.s[b.len - 1])) {
        size_t k = b.len;
        while (k > 0 && !k32_is_sep(b.s[k - 1]))
            k--;
        if (k > 0 && !(b.s[0] == '\\' && b.s[1] == '\\' && b.s[2] == '.' && k == 4))
            *file_part = (ptrdiff_t)k;
    }
    return b.s;
fail:
    if (base != cwd)
        free(base);
    free(cwd);
    free(b.s);
    return NULL;
}

bool k32_nt_path(const WCHAR *dos, UNICODE_STRING *us)
{
    memset(us, 0, sizeof *us);
    if (!dos) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return false;
    }
    size_t n = nt_wcslen(dos);
    if (n == 0) {
        thk_set_last_error(ERROR_PATH_NOT_FOUND);
        return false;
    }
    WCHAR *nt = NULL;
    size_t len = 0;
    if ((n >= 4 && dos[0] == '\\' && dos[1] == '\\' && dos[2] == '?' && dos[3] == '\\') ||
        (n >= 4 && dos[0] == '\\' && dos[1] == '?' && dos[2] == '?' && dos[3] == '\\')) {
        nt = k32_wcsdup_n(dos, n); /* verbatim: \\?\X is \??\X */
        if (nt) {
            nt[1] = '?';
            len = n;
        }
    } else {
        WCHAR *full = k32_full_path(dos, NULL);
        if (!full)
            return false;
        size_t flen = nt_wcslen(full);
        const WCHAR *tail = full;
        const WCHAR *prefix = u"\\??\\";
        size_t plen = 4;
        if (flen >= 4 && full[0] == '\\' && full[1] == '\\' && (full[2] == '.' || full[2] == '?') &&
            full[3] == '\\') {
            tail = full + 4; /* \\.\X and \\?\X are \??\X */
        } else if (flen >= 2 && full[0] == '\\' && full[1] == '\\') {
            prefix = u"\\??\\UNC\\";
            plen = 8;
            tail = full + 2;
        }
        size_t tlen = flen - (size_t)(tail - full);
        nt = malloc((plen + tlen + 1) * sizeof *nt);
        if (nt) {
            memcpy(nt, prefix, plen * sizeof *nt);
            memcpy(nt + plen, tail, (tlen + 1) * sizeof *nt);
            len = plen + tlen;
        }
        free(full);
    }
    if (!nt) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return false;
    }
    if (len * sizeof(WCHAR) > 0xfffe) {
        free(nt);
        thk_set_last_error(ERROR_FILENAME_EXCED_RANGE);
        return false;
    }
    k32_set_ustr(us, nt, len, len + 1);
    return true;
}

void k32_free_nt_path(UNICODE_STRING *us)
{
    free(us->Buffer);
    memset(us, 0, sizeof *us);
}

void k32_init_attr(OBJECT_ATTRIBUTES *attr, UNICODE_STRING *name)
{
    memset(attr, 0, sizeof *attr);
    attr->Length = sizeof *attr;
    attr->ObjectName = name;
    attr->Attributes = OBJ_CASE_INSENSITIVE;
}

/* CurrentDirectory.Handle: as RtlSetCurrentDirectory_U opens it, a handle to the directory for
 * FILE_TRAVERSE | SYNCHRONIZE, sharing read and write (the directory cannot be removed or
 * renamed while current), replacing the one before. Programs open files relative to it with
 * NtCreateFile's RootDirectory (Zig's std.fs.cwd() is this handle: Bun opens every relative
 * name so). Left NULL when the directory cannot be opened (removed from outside). */
static void k32_update_peb_cwd_handle(RTL_USER_PROCESS_PARAMETERS *p, const WCHAR *cwd)
{
    UNICODE_STRING nt;
    OBJECT_ATTRIBUTES attr;
    IO_STATUS_BLOCK io;
    HANDLE h = NULL;
    /* from the run's directory fd when there is one (one dup: no stat, lstat and open by name) */
    NTSTATUS st = nt_cwd_handle(FILE_TRAVERSE | SYNCHRONIZE, &h);
    if (st != STATUS_SUCCESS && k32_nt_path(cwd, &nt)) {
        h = NULL;
        k32_init_attr(&attr, &nt);
        if (!NT_SUCCESS(NtOpenFile(&h, FILE_TRAVERSE | SYNCHRONIZE, &attr, &io,
                                   FILE_SHARE_READ | FILE_SHARE_WRITE,
                                   FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT)))
            h = NULL;
        k32_free_nt_path(&nt);
    }
    HANDLE old = p->CurrentDirectory.Handle;
    p->CurrentDirectory.Handle = h;
    if (old)
        NtClose(old);
}

/* Keeps PEB->ProcessParameters->CurrentDirectory in step with the run's current directory
 * (thunks_private.h: msvcrt's _chdir calls it too): its DosPath and its Handle. */
void k32_update_peb_cwd(void)
{
    RTL_USER_PROCESS_PARAMETERS *p = k32_params();
    WCHAR *cwd = k32_current_dir();
    if (!p || !cwd) {
        free(cwd);
        return;
    }
    k32_update_peb_cwd_handle(p, cwd);
    size_t n = nt_wcslen(cwd);
    size_t cap = n + 2 > MAX_PATH ? n + 2 : MAX_PATH;
    WCHAR *buf = k32_heap_alloc(cap * sizeof *buf, false);
    if (buf) {
        memcpy(buf, cwd, n * sizeof *buf);
        if (!n || !k32_is_sep(buf[n - 1]))
            buf[n++] = '\\';
        buf[n] = 0;
        WCHAR *old = p->CurrentDirectory.DosPath.Buffer;
        k32_set_ustr(&p->CurrentDirectory.DosPath, buf, n, cap);
        k32_prog_free(old);
    }
    free(cwd);
}

/* ======================================================================================== */
/* Environment                                                                              */
/* ======================================================================================== */

/* Length in WCHARs of the block including its final terminator. */
static size_t k32_env_block_len(const WCHAR *env)
{
    if (!env)
        return 0;
    const WCHAR *p = env;
    while (*p)
        p += nt_wcslen(p) + 1;
    return (size_t)(p - env) + 1;
}

/* The end of the name in entry `e`: the first '=' after its first character. */
static size_t k32_env_name_len(const WCHAR *e)
{
    size_t i = e[0] ? 1 : 0;
    while (e[i] && e[i] != '=')
        i++;
    return i;
}

/* The entry for name[0..n) in the block, or NULL. Caller holds k32_env_lock. */
static const WCHAR *k32_env_find(const WCHAR *env, const WCHAR *name, size_t n)
{
    if (!env || !n)
        return NULL;
    for (const WCHAR *p = env; *p; p += nt_wcslen(p) + 1) {
        size_t len = k32_env_name_len(p);
        if (len == n && p[len] == '=' && !k32_wcsnicmp(p, name, n))
            return p;
    }
    return NULL;
}

/* The block, len WCHARs, becomes the environment: a copy of it in the process heap, it freed
 * (in_heap: it is of the process heap already, taken as it is). */
static void k32_env_install(WCHAR *block, size_t len, bool in_heap)
{
    RTL_USER_PROCESS_PARAMETERS *p = k32_params();
    static bool owned; /* the first block may be someone else's */
    if (!p)
        return;
    WCHAR *old = p->Environment;
    WCHAR *copy = in_heap ? block : k32_prog_dup(block, len * sizeof(WCHAR));
    if (copy) {
        if (!in_heap)
            free(block);
        block = copy;
    } else {
        owned = false; /* out of memory: the block stays glibc's */
    }
    p->Environment = block;
    p->EnvironmentSize = len * sizeof(WCHAR);
    p->EnvironmentVersion++;
    if (owned)
        k32_prog_free(old);
    owned = copy != NULL;
}

static void k32_env_replace(WCHAR *block, size_t len) { k32_env_install(block, len, false); }

/* Builds the environment block from a Linux envp, in the process heap: one block of the
 * bound (a UTF-8 byte gives at most one UTF-16 unit: exact for ASCII), each variable converted
 * into it. A block grown by doubling from glibc's heap, a malloc per variable and the copy
 * into the process heap wrote 16 KB of glibc's heap at every start for a 4 KB block
 * (docs/performance.md, twenty-fourth pass). */
static WCHAR *k32_env_from_envp(char **envp, size_t *out_len)
{
    size_t bound = 1;
    for (size_t i = 0; envp && envp[i]; i++)
        if (envp[i][0] && strchr(envp[i] + 1, '='))
            bound += strlen(envp[i]) + 1;
    WCHAR *b = k32_heap_alloc(bound * sizeof *b, false);
    if (!b)
        return NULL;
    size_t len = 0;
    for (size_t i = 0; envp && envp[i]; i++)
        if (envp[i][0] && strchr(envp[i] + 1, '='))
            len += nt_utf8_to_utf16_into(envp[i], strlen(envp[i]), b + len) + 1;
    b[len++] = 0;
    *out_len = len;
    return b;
}

/* Sets (value non-NULL) or removes name[0..n). Caller holds k32_env_lock. */
static bool k32_env_set_locked(const WCHAR *name, size_t n, const WCHAR *value)
{
    RTL_USER_PROCESS_PARAMETERS *p = k32_params();
    WCHAR *env = p ? p->Environment : NULL;
    size_t old_len = k32_env_block_len(env);
    const WCHAR *found = k32_env_find(env, name, n);
    if (!found && !value)
        return true;
    k32_wsb b = {0};
    bool inserted = value == NULL;
    for (const WCHAR *e = env; e && *e; e += nt_wcslen(e) + 1) {
        size_t elen = nt_wcslen(e);
        if (e == found) {
            continue;
        }
        if (!inserted) {
            size_t len = k32_env_name_len(e);
            size_t m = len < n ? len : n;
            int c = k32_wcsnicmp(e, name, m);
            if (c > 0 || (c == 0 && len > n)) {
                k32_wsb_add(&b, name, n);
                k32_wsb_addc(&b, '=');
                k32_wsb_add(&b, value, nt_wcslen(value) + 1);
                inserted = true;
            }
        }
        k32_wsb_add(&b, e, elen + 1);
    }
    if (!inserted) {
        k32_wsb_add(&b, name, n);
        k32_wsb_addc(&b, '=');
        k32_wsb_add(&b, value, nt_wcslen(value) + 1);
    }
    k32_wsb_addc(&b, 0);
    if (b.oom) {
        free(b.s);
        return false;
    }
    (void)old_len;
    k32_env_replace(b.s, b.len);
    return true;
}

DWORD WINAPI GetEnvironmentVariableW(const WCHAR *name, WCHAR *buf, DWORD size)
{
    if (!name || !*name) {
        thk_set_last_error(ERROR_ENVVAR_NOT_FOUND);
        return 0;
    }
    size_t n = nt_wcslen(name);
    thk_held_mutex_lock(&k32_env_lock);
    RTL_USER_PROCESS_PARAMETERS *p = k32_params();
    const WCHAR *e = k32_env_find(p ? p->Environment : NULL, name, n);
    DWORD r = 0;
    if (!e) {
        thk_set_last_error(ERROR_ENVVAR_NOT_FOUND);
    } else {
        const WCHAR *v = e + n + 1;
        r = k32_return_w(v, nt_wcslen(v), buf, size);
    }
    thk_held_mutex_unlock(&k32_env_lock);
    return r;
}
THK_EXPORT(kernel32, GetEnvironmentVariableW, 3);

DWORD WINAPI GetEnvironmentVariableA(const char *name, char *buf, DWORD size)
{
    if (!name || !*name) {
        thk_set_last_error(ERROR_ENVVAR_NOT_FOUND);
        return 0;
    }
    WCHAR *wname;
    if (!k32_arg_w(name, &wname))
        return 0;
    DWORD r = 0;
    thk_held_mutex_lock(&k32_env_lock);
    RTL_USER_PROCESS_PARAMETERS *p = k32_params();
    size_t n = nt_wcslen(wname);
    const WCHAR *e = k32_env_find(p ? p->Environment : NULL, wname, n);
    if (!e) {
        thk_set_last_error(ERROR_ENVVAR_NOT_FOUND);
    } else {
        const WCHAR *v = e + n + 1;
        r = k32_return_a(v, nt_wcslen(v), buf, size);
    }
    thk_held_mutex_unlock(&k32_env_lock);
    free(wname);
    return r;
}
THK_EXPORT(kernel32, GetEnvironmentVariableA, 3);

BOOL WINAPI SetEnvironmentVariableW(const WCHAR *name, const WCHAR *value)
{
    if (!name || !*name) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    size_t n = nt_wcslen(name);
    for (size_t i = 1; i < n; i++) {
        if (name[i] == '=') {
            thk_set_last_error(ERROR_INVALID_PARAMETER);
            return FALSE;
        }
    }
    thk_held_mutex_lock(&k32_env_lock);
    bool ok = k32_env_set_locked(name, n, value);
    thk_held_mutex_unlock(&k32_env_lock);
    if (!ok) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, SetEnvironmentVariableW, 2);

BOOL WINAPI SetEnvironmentVariableA(const char *name, const char *value)
{
    WCHAR *wn, *wv;
    BOOL r =
        k32_args_w(name, &wn, value, &wv, NULL, NULL) ? SetEnvironmentVariableW(wn, wv) : FALSE;
    free(wn);
    free(wv);
    return r;
}
THK_EXPORT(kernel32, SetEnvironmentVariableA, 2);

WCHAR *WINAPI GetEnvironmentStringsW(void)
{
    thk_held_mutex_lock(&k32_env_lock);
    RTL_USER_PROCESS_PARAMETERS *p = k32_params();
    const WCHAR *env = p && p->Environment ? p->Environment : u"\0";
    size_t len = k32_env_block_len(env);
    if (len < 2)
        len = 2; /* an empty block is two terminators */
    WCHAR *copy = k32_heap_alloc(len * sizeof(WCHAR), true);
    if (copy)
        memcpy(copy, env, k32_env_block_len(env) * sizeof(WCHAR));
    thk_held_mutex_unlock(&k32_env_lock);
    if (!copy)
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
    return copy;
}
THK_EXPORT(kernel32, GetEnvironmentStringsW, 0);

char *WINAPI GetEnvironmentStringsA(void)
{
    WCHAR *w = GetEnvironmentStringsW();
    if (!w)
        return NULL;
    size_t wlen = k32_env_block_len(w), alen = 0;
    if (wlen < 2)
        wlen = 2;
    char *a = nt_utf16_to_utf8(w, wlen, &alen);
    k32_heap_free(w);
    if (!a) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    char *copy = k32_heap_alloc(alen + 1, true);
    if (copy)
        memcpy(copy, a, alen);
    else
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
    free(a);
    return copy;
}
THK_EXPORT(kernel32, GetEnvironmentStringsA, 0);
THK_EXPORT_AS(kernel32, GetEnvironmentStrings, GetEnvironmentStringsA, 0);

BOOL WINAPI FreeEnvironmentStringsW(void *block)
{
    return HeapFree(k32_process_heap(), 0, block);
}
THK_EXPORT(kernel32, FreeEnvironmentStringsW, 1);
THK_EXPORT_AS(kernel32, FreeEnvironmentStringsA, FreeEnvironmentStringsW, 1);

/* Expands %NAME% references; unknown names stay as written. Returns the expansion, malloc'd. */
static WCHAR *k32_expand(const WCHAR *src, size_t *out_len)
{
    k32_wsb b = {0};
    k32_wsb_add(&b, u"", 0);
    thk_held_mutex_lock(&k32_env_lock);
    RTL_USER_PROCESS_PARAMETERS *p = k32_params();
    const WCHAR *env = p ? p->Environment : NULL;
    for (const WCHAR *s = src; *s;) {
        if (*s != '%') {
            k32_wsb_addc(&b, *s++);
            continue;
        }
        const WCHAR *end = s + 1;
        while (*end && *end != '%')
            end++;
        if (!*end) { /* no closing %: the rest is literal */
            k32_wsb_add(&b, s, nt_wcslen(s));
            break;
        }
        size_t n = (size_t)(end - s - 1);
        const WCHAR *e = k32_env_find(env, s + 1, n);
        if (e) {
            const WCHAR *v = e + n + 1;
            k32_wsb_add(&b, v, nt_wcslen(v));
            s = end + 1;
        } else {
            k32_wsb_add(&b, s, (size_t)(end - s)); /* "%NAME" and go on from the second % */
            s = end;
        }
    }
    thk_held_mutex_unlock(&k32_env_lock);
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    *out_len = b.len;
    return b.s;
}

DWORD WINAPI ExpandEnvironmentStringsW(const WCHAR *src, WCHAR *dst, DWORD size)
{
    size_t len;
    WCHAR *r = k32_expand(src ? src : u"", &len);
    if (!r) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    if (dst && size > len)
        memcpy(dst, r, (len + 1) * sizeof *r);
    else if (dst && size)
        dst[0] = 0;
    free(r);
    return (DWORD)(len + 1);
}
THK_EXPORT(kernel32, ExpandEnvironmentStringsW, 3);

DWORD WINAPI ExpandEnvironmentStringsA(const char *src, char *dst, DWORD size)
{
    bool ok;
    WCHAR *w = k32_a_to_w(src ? src : "", &ok);
    size_t len, alen;
    WCHAR *r = w ? k32_expand(w, &len) : NULL;
    free(w);
    char *a = r ? nt_utf16_to_utf8(r, len, &alen) : NULL;
    free(r);
    if (!a) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    if (dst && size > alen)
        memcpy(dst, a, alen + 1);
    else if (dst && size)
        dst[0] = 0;
    free(a);
    return (DWORD)(alen + 1);
}
THK_EXPORT(kernel32, ExpandEnvironmentStringsA, 3);

/* ======================================================================================== */
/* Process setup                                                                            */
/* ======================================================================================== */

static WCHAR *k32_image_path_w;   /* Windows form of the exe */
static char *k32_image_path_a;

typedef struct {
    DWORD cb;              /* 0x00 */
    uint32_t pad0;
    void *lpReserved;      /* 0x08 */
    void *lpDesktop;       /* 0x10 */
    void *lpTitle;         /* 0x18 */
    DWORD dwX;             /* 0x20 */
    DWORD dwY;             /* 0x24 */
    DWORD dwXSize;         /* 0x28 */
    DWORD dwYSize;         /* 0x2c */
    DWORD dwXCountChars;   /* 0x30 */
    DWORD dwYCountChars;   /* 0x34 */
    DWORD dwFillAttribute; /* 0x38 */
    DWORD dwFlags;         /* 0x3c */
    WORD wShowWindow;      /* 0x40 */
    WORD cbReserved2;      /* 0x42 */
    uint32_t pad1;
    BYTE *lpReserved2;     /* 0x48 */
    HANDLE hStdInput;      /* 0x50 */
    HANDLE hStdOutput;     /* 0x58 */
    HANDLE hStdError;      /* 0x60 */
} STARTUPINFO_X; /* STARTUPINFOA and STARTUPINFOW share the layout */
_Static_assert(offsetof(STARTUPINFO_X, dwFlags) == 0x3c, "STARTUPINFO.dwFlags");
_Static_assert(offsetof(STARTUPINFO_X, wShowWindow) == 0x40, "STARTUPINFO.wShowWindow");
_Static_assert(offsetof(STARTUPINFO_X, lpReserved2) == 0x48, "STARTUPINFO.lpReserved2");
_Static_assert(offsetof(STARTUPINFO_X, hStdError) == 0x60, "STARTUPINFO.hStdError");
_Static_assert(sizeof(STARTUPINFO_X) == 0x68, "STARTUPINFO");

/* The access a std handle gets: what the fd was opened for. NULL handle for a closed fd. */
static HANDLE k32_std_handle(int fd, int slot)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0)
        return NULL;
    uint32_t access = SYNCHRONIZE | FILE_READ_ATTRIBUTES;
    if ((fl & O_ACCMODE) != O_WRONLY)
        access |= FILE_GENERIC_READ;
    if ((fl & O_ACCMODE) != O_RDONLY)
        access |= FILE_GENERIC_WRITE;
    HANDLE h = NULL;
    if (!NT_SUCCESS(nt_file_from_fd(fd, access, &h)))
        return NULL;
    nt_file *f;
    if (NT_SUCCESS(nt_file_get(h, &f))) {
        if (nt_file_isatty(f)) /* the console's input or screen buffer */
            f->console = slot == 0 ? NT_CONSOLE_INPUT : NT_CONSOLE_OUTPUT;
        nt_object_release(&f->hdr);
    }
    return h;
}

int thk_process_setup(const thk_startup *st)
{
    thk_startup_info = *st;
    if (!rt_proc.peb)
        return -EINVAL;
    RTL_USER_PROCESS_PARAMETERS *p = rt_proc.peb->ProcessParameters;
    if (!p) {
        p = calloc(1, sizeof *p);
        if (!p)
            return -ENOMEM;
        p->MaximumLength = p->Length = sizeof *p;
        p->Flags = 1; /* normalized */
        rt_proc.peb->ProcessParameters = p;
    }
    if (!rt_proc.peb->ImageBaseAddress)
        rt_proc.peb->ImageBaseAddress = st->image_base;

    /* A child of a Windows program (ntemu/process.c): its handles first, at the values the
     * parent had, and the command line exactly as the parent gave it. */
    nt_process_child_setup();
    const char *child_cmd = getenv("NTRUN_CHILD_CMDLINE");
    char *cmd = child_cmd ? strdup(child_cmd) : k32_build_cmdline(st->argc, st->argv);
    if (!cmd)
        return -ENOMEM;
    size_t wlen = 0;
    WCHAR *wcmd = nt_utf8_to_utf16(cmd, strlen(cmd), &wlen);
    if (!wcmd) {
        free(cmd);
        return -ENOMEM;
    }
    k32_prog_free(k32_cmdline_w);
    k32_prog_free(k32_cmdline_a);
    k32_cmdline_w = k32_prog_dup(wcmd, (wlen + 1) * sizeof *wcmd);
    k32_cmdline_a = k32_prog_dup(cmd, strlen(cmd) + 1);
    free(wcmd);
    free(cmd);
    if (!k32_cmdline_w || !k32_cmdline_a)
        return -ENOMEM;
    k32_set_ustr(&p->CommandLine, k32_cmdline_w, wlen, wlen + 1);

    /* image path */
    if (st->exe_path) {
        char *own = st->exe_real_path ? NULL : realpath(st->exe_path, NULL);
        const char *real = st->exe_real_path ? st->exe_real_path : own;
        WCHAR *img = nt_path_from_unix(real ? real : st->exe_path);
        free(own);
        if (img) {
            size_t n = nt_wcslen(img);
            char *a = nt_utf16_to_utf8(img, n, NULL);
            k32_prog_free(k32_image_path_w);
            k32_prog_free(k32_image_path_a);
            k32_image_path_w = k32_prog_dup(img, (n + 1) * sizeof *img);
            k32_image_path_a = a ? k32_prog_dup(a, strlen(a) + 1) : NULL;
            free(img);
            free(a);
            if (k32_image_path_w)
                k32_set_ustr(&p->ImagePathName, k32_image_path_w, n, n + 1);
        }
    }

    /* environment, without what a parent ntrun passed for the runtime, and without the shell's
     * PWD/OLDPWD: Linux paths Windows has no variable for (Wine hides them too); programs such
     * as CMake would take PWD for their current directory. */
    size_t nenv = 0, elen = 0;
    while (st->envp && st->envp[nenv])
        nenv++;
    char **envp = calloc(nenv + 1, sizeof *envp);
    if (!envp)
        return -ENOMEM;
    size_t kept = 0;
    for (size_t i = 0; i < nenv; i++)
        if (strncmp(st->envp[i], "NTRUN_CHILD_", 12) && strncmp(st->envp[i], "NTRUN_CTRL_C_", 13) &&
            strncmp(st->envp[i], "PWD=", 4) && strncmp(st->envp[i], "OLDPWD=", 7) &&
            (!child_cmd || strncmp(st->envp[i], "NTRUN_C_DRIVE=", 14))) /* the parent's C: */
            envp[kept++] = st->envp[i];
    /* The system's variables (COMSPEC, SystemRoot, PATHEXT, ...) for a program ntrun starts;
     * a Windows program's child gets its parent's block as it is (process_env.c). */
    if (!child_cmd) {
        char **full = k32_env_add_defaults(envp, kept);
        if (!full) {
            free(envp);
            return -ENOMEM;
        }
        envp = full;
    }
    WCHAR *env = k32_env_from_envp(envp, &elen);
    /* The CRTs copy their environ from this same list (thk_startup_info.envp). */
    static char **filtered_envp;
    free(filtered_envp);
    filtered_envp = envp;
    thk_startup_info.envp = envp;
    if (!env)
        return -ENOMEM;
    thk_held_mutex_lock(&k32_env_lock);
    k32_env_install(env, elen, true);
    thk_held_mutex_unlock(&k32_env_lock);

    /* A child's std handles that it inherited are those handles, at the parent's values (as
     * on Windows: GetStdHandle gives STARTUPINFO's hStdOutput); the others are made over
     * fds 0, 1, 2. */
    unsigned long inherited[3] = {0, 0, 0};
    const char *stdv = getenv("NTRUN_CHILD_STD");
    if (!stdv || sscanf(stdv, "%lu:%lu:%lu", &inherited[0], &inherited[1], &inherited[2]) != 3)
        inherited[0] = inherited[1] = inherited[2] = 0;
    HANDLE *std_slot[3] = {&p->StandardInput, &p->StandardOutput, &p->StandardError};
    for (int i = 0; i < 3; i++) {
        HANDLE h = (HANDLE)(uintptr_t)inherited[i];
        nt_file *f;
        if (h && NT_SUCCESS(nt_file_get(h, &f))) {
            if (!f->console && f->fd >= 0 && isatty(f->fd)) /* the console buffer it stands for */
                f->console = i == 0 ? NT_CONSOLE_INPUT : NT_CONSOLE_OUTPUT;
            nt_object_release(&f->hdr);
            *std_slot[i] = h;
        } else {
            *std_slot[i] = k32_std_handle(st->std_fds ? st->std_fds[i] : i, i);
        }
    }
    p->CurrentDirectory.Handle = NULL; /* a new run's handle table has none of the last one's */
    k32_update_peb_cwd();
    k32_process_heap();
    k32_ctrl_setup();
    const char *ign = getenv("NTRUN_CTRL_C_IGNORED");
    if (ign && *ign == '1')
        k32_ctrl_set_c_ignored(true);
    unsetenv("NTRUN_CHILD_CMDLINE");
    unsetenv("NTRUN_CHILD_HANDLES");
    unsetenv("NTRUN_CHILD_STD");
    unsetenv("NTRUN_CHILD_STATUS_FD");
    unsetenv("NTRUN_CHILD_RESUME_FD");
    unsetenv("NTRUN_CHILD_JOBMEM");
    unsetenv("NTRUN_CHILD_CTL_FD");
    unsetenv("NTRUN_CHILD_UP_FD");
    unsetenv("NTRUN_CHILD_LISTEN_FD");
    unsetenv("NTRUN_CTRL_C_IGNORED");
    return 0;
}

WCHAR *WINAPI GetCommandLineW(void)
{
    if (!k32_cmdline_w) {
        RTL_USER_PROCESS_PARAMETERS *p = k32_params();
        return p && p->CommandLine.Buffer ? p->CommandLine.Buffer : (WCHAR *)u"";
    }
    return k32_cmdline_w;
}
THK_EXPORT(kernel32, GetCommandLineW, 0);

char *WINAPI GetCommandLineA(void)
{
    return k32_cmdline_a ? k32_cmdline_a : (char *)"";
}
THK_EXPORT(kernel32, GetCommandLineA, 0);

/* ======================================================================================== */
/* Standard handles, startup info, identity, exit                                          */
/* ======================================================================================== */

static HANDLE *k32_std_slot(DWORD which)
{
    RTL_USER_PROCESS_PARAMETERS *p = k32_params();
    if (!p)
        return NULL;
    switch (which) {
    case STD_INPUT_HANDLE:
        return &p->StandardInput;
    case STD_OUTPUT_HANDLE:
        return &p->StandardOutput;
    case STD_ERROR_HANDLE:
        return &p->StandardError;
    default:
        return NULL;
    }
}

HANDLE WINAPI GetStdHandle(DWORD which)
{
    HANDLE *slot = k32_std_slot(which);
    if (!slot) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return INVALID_HANDLE_VALUE;
    }
    return *slot;
}
THK_EXPORT(kernel32, GetStdHandle, 1);

BOOL WINAPI SetStdHandle(DWORD which, HANDLE h)
{
    HANDLE *slot = k32_std_slot(which);
    if (!slot) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    *slot = h;
    return TRUE;
}
THK_EXPORT(kernel32, SetStdHandle, 2);

void WINAPI GetStartupInfoW(STARTUPINFO_X *si)
{
    memset(si, 0, sizeof *si);
    si->cb = sizeof *si;
    si->lpTitle = k32_image_path_w;
    si->wShowWindow = 1; /* SW_SHOWNORMAL; not used without STARTF_USESHOWWINDOW */
}
THK_EXPORT(kernel32, GetStartupInfoW, 1);

void WINAPI GetStartupInfoA(STARTUPINFO_X *si)
{
    GetStartupInfoW(si);
    si->lpTitle = k32_image_path_a;
}
THK_EXPORT(kernel32, GetStartupInfoA, 1);

HANDLE WINAPI GetCurrentProcess(void) { return NtCurrentProcess(); }
THK_EXPORT(kernel32, GetCurrentProcess, 0);
HANDLE WINAPI GetCurrentThread(void) { return NtCurrentThread(); }
THK_EXPORT(kernel32, GetCurrentThread, 0);

/* The TEB is read inline and the host-thread fallbacks are ms_abi helpers: a SysV call in an
 * ms_abi function makes it save xmm6-15 on every call (see thunks/kernel32/sync.c). */
extern __thread TEB *rt_tls_teb __attribute__((tls_model("initial-exec")));
static __attribute__((ms_abi, noinline, cold)) DWORD k32_host_pid(void) { return (DWORD)getpid(); }
static __attribute__((ms_abi, noinline, cold)) DWORD k32_host_tid(void)
{
    return (DWORD)syscall(SYS_gettid);
}

DWORD WINAPI GetCurrentProcessId(void)
{
    TEB *teb = rt_tls_teb;
    return teb ? (DWORD)(uintptr_t)teb->ClientId.UniqueProcess : k32_host_pid();
}
/* thunks/teb_entry.S: foreign callers run its code in kernel32's image, no crossing */
extern const thk_inline thk_inline_GetCurrentProcessId, thk_inline_GetCurrentThreadId;
THK_EXPORT_INLINE(kernel32, GetCurrentProcessId, thk_inline_GetCurrentProcessId);

DWORD WINAPI GetCurrentThreadId(void)
{
    TEB *teb = rt_tls_teb;
    return teb ? (DWORD)(uintptr_t)teb->ClientId.UniqueThread : k32_host_tid();
}
THK_EXPORT_INLINE(kernel32, GetCurrentThreadId, thk_inline_GetCurrentThreadId);

__attribute__((noreturn)) void WINAPI ExitProcess(UINT code)
{
    rt_exit_process(code);
}
THK_EXPORT(kernel32, ExitProcess, 1);

BOOL WINAPI TerminateProcess(HANDLE process, UINT code)
{
    if (!process) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    NTSTATUS st = NtTerminateProcess(process, (NTSTATUS)code); /* a child: ntemu/process.c */
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, TerminateProcess, 2);

/* ======================================================================================== */
/* Modules                                                                                  */
/* ======================================================================================== */

#define K32_GET_MODULE_HANDLE_EX_FLAG_PIN 0x1
#define K32_GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT 0x2
#define K32_GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS 0x4

typedef struct {
    const uint8_t *base;
    uint32_t size_of_image;
    uint32_t export_rva, export_size;
} k32_pe;

static HMODULE k32_exe_base(void)
{
    if (rt_proc.peb && rt_proc.peb->ImageBaseAddress)
        return rt_proc.peb->ImageBaseAddress;
    return thk_startup_info.image_base;
}

/* Reads the PE headers of a mapped image, fault-safely. */
static bool k32_pe_parse(const void *mod, k32_pe *pe)
{
    uint8_t dos[0x40];
    if (!mod || rt_safe_copy(dos, mod, sizeof dos) != 0 || dos[0] != 'M' || dos[1] != 'Z')
        return false;
    uint32_t lfanew;
    memcpy(&lfanew, dos + 0x3c, 4);
    if (lfanew > 0x10000)
        return false;
    uint8_t nt[4 + 20 + 0xf0];
    if (rt_safe_copy(nt, (const uint8_t *)mod + lfanew, sizeof nt) != 0 ||
        memcmp(nt, "PE\0\0", 4) != 0)
        return false;
    const uint8_t *oh = nt + 24;
    uint16_t magic, nopt;
    memcpy(&nopt, nt + 4 + 16, 2);
    memcpy(&magic, oh, 2);
    if (magic != 0x20b || nopt < 112 + 8)
        return false;
    pe->base = mod;
    memcpy(&pe->size_of_image, oh + 56, 4);
    uint32_t ndirs;
    memcpy(&ndirs, oh + 108, 4);
    pe->export_rva = pe->export_size = 0;
    if (ndirs >= 1) {
        memcpy(&pe->export_rva, oh + 112, 4);
        memcpy(&pe->export_size, oh + 116, 4);
    }
    return true;
}

/* Is `mod` the base of a module ntrun knows: the program, a built-in DLL, or a mapped image? */
static bool k32_is_module(HMODULE mod, k32_pe *pe)
{
    if (!k32_pe_parse(mod, pe))
        return false;
    if (mod == k32_exe_base())
        return true;
    MEMORY_BASIC_INFORMATION mbi;
    SIZE_T ret = 0;
    if (NT_SUCCESS(NtQueryVirtualMemory(NtCurrentProcess(), mod, 0, &mbi, sizeof mbi, &ret)) &&
        mbi.Type == MEM_IMAGE && mbi.AllocationBase == mod)
        return true;
    return false;
}

/* The DLL name in an image's export directory ("kernel32.dll"), or NULL. */
static const char *k32_export_name(const k32_pe *pe)
{
    if (!pe->export_rva || pe->export_rva + 40 > pe->size_of_image)
        return NULL;
    uint32_t name_rva;
    memcpy(&name_rva, pe->base + pe->export_rva + 12, 4);
    if (!name_rva || name_rva >= pe->size_of_image)
        return NULL;
    return (const char *)pe->base + name_rva;
}

static bool k32_is_builtin_image(const k32_pe *pe)
{
    const char *name = k32_export_name(pe);
    return name && thk_builtin_module(name) == (HMODULE)pe->base;
}

/* An export by name or ordinal (name == NULL) from the export directory; NULL if absent.
 * Forwarders ("dll.func") resolve when the target DLL is built in. */
static void *k32_find_export(const k32_pe *pe, const char *name, uint32_t ordinal)
{
    const uint8_t *b = pe->base;
    if (!pe->export_rva || (uint64_t)pe->export_rva + 40 > pe->size_of_image)
        return NULL;
    const uint8_t *dir = b + pe->export_rva;
    uint32_t base, nfuncs, nnames, funcs_rva, names_rva, ords_rva;
    memcpy(&base, dir + 16, 4);
    memcpy(&nfuncs, dir + 20, 4);
    memcpy(&nnames, dir + 24, 4);
    memcpy(&funcs_rva, dir + 28, 4);
    memcpy(&names_rva, dir + 32, 4);
    memcpy(&ords_rva, dir + 36, 4);
    if ((uint64_t)funcs_rva + (uint64_t)nfuncs * 4 > pe->size_of_image ||
        (uint64_t)names_rva + (uint64_t)nnames * 4 > pe->size_of_image ||
        (uint64_t)ords_rva + (uint64_t)nnames * 2 > pe->size_of_image)
        return NULL;
    uint32_t index;
    if (name) {
        /* binary search: the name table is sorted */
        uint32_t lo = 0, hi = nnames;
        bool found = false;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2, nrva;
            memcpy(&nrva, b + names_rva + mid * 4, 4);
            if (nrva >= pe->size_of_image)
                return NULL;
            int c = strcmp(name, (const char *)b + nrva);
            if (c == 0) {
                uint16_t o;
                memcpy(&o, b + ords_rva + mid * 2, 2);
                index = o;
                found = true;
                break;
            }
            if (c < 0)
                hi = mid;
            else
                lo = mid + 1;
        }
        if (!found)
            return NULL;
    } else {
        if (ordinal < base)
            return NULL;
        index = ordinal - base;
    }
    if (index >= nfuncs)
        return NULL;
    uint32_t rva;
    memcpy(&rva, b + funcs_rva + index * 4, 4);
    if (!rva || rva >= pe->size_of_image)
        return NULL;
    if (rva >= pe->export_rva && rva < pe->export_rva + pe->export_size) {
        const char *fwd = (const char *)b + rva, *dot = strrchr(fwd, '.');
        if (!dot || dot - fwd >= 64 || dot[1] == '#')
            return NULL;
        char dll[64];
        memcpy(dll, fwd, (size_t)(dot - fwd));
        dll[dot - fwd] = 0;
        return thk_resolve(dll, dot + 1);
    }
    return (void *)(b + rva);
}

/* The base name of a module name as GetModuleHandle reads it: the last path component with
 * ".dll" appended when it has no extension (a trailing '.' means "no extension"). */
static char *k32_module_base_name(const char *name)
{
    const char *s = name + strlen(name);
    while (s > name && s[-1] != '\\' && s[-1] != '/')
        s--;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--; /* LoadLibrary("kernel32   ") is kernel32.dll */
    char *r = malloc(n + 5);
    if (!r)
        return NULL;
    memcpy(r, s, n);
    r[n] = 0;
    if (n && r[n - 1] == '.')
        r[n - 1] = 0;
    else if (!strchr(r, '.'))
        strcat(r, ".dll");
    return r;
}

static const char *k32_exe_name(void)
{
    if (rt_proc.exe_name)
        return rt_proc.exe_name;
    if (thk_startup_info.exe_path) {
        const char *s = strrchr(thk_startup_info.exe_path, '/');
        return s ? s + 1 : thk_startup_info.exe_path;
    }
    return NULL;
}

/* A malloc'd copy of the NUL-terminated string of `unit`-byte characters (1 or 2) at the
 * foreign pointer p, read fault-safely (at most 32767 characters); NULL for a bad pointer, an
 * unterminated string or no memory. */
static void *k32_copy_foreign_string(const void *p, size_t unit)
{
    size_t cap = 64, len = 0; /* len in bytes */
    uint8_t *buf = malloc(cap);
    const uint8_t *src = p;
    while (buf) {
        /* Read up to the end of the page only: the string may end right before a hole. */
        size_t chunk = 0x1000 - ((uintptr_t)(src + len) & 0xfff);
        if (chunk > 64)
            chunk = 64;
        chunk &= ~(unit - 1);
        if (!chunk)
            chunk = unit;
        if (len + chunk + unit > cap) {
            if (cap >= 32768 * unit)
                break;
            uint8_t *nb = realloc(buf, cap * 2);
            if (!nb)
                break;
            buf = nb;
            cap *= 2;
        }
        if (rt_safe_copy(buf + len, src + len, chunk) != 0)
            break;
        for (size_t i = 0; i < chunk; i += unit) {
            if (buf[len + i] == 0 && (unit == 1 || buf[len + i + 1] == 0)) {
                memset(buf + len + i, 0, unit);
                return buf;
            }
        }
        len += chunk;
    }
    free(buf);
    return NULL;
}

/* The program or a built-in DLL by name; with `foreign`, also a loaded foreign DLL. */
static HMODULE k32_find_module_ex(const char *foreign_name, bool foreign)
{
    char *name = k32_copy_foreign_string(foreign_name, 1);
    if (!name)
        return NULL;
    char *base = k32_module_base_name(name);
    if (!base)
        return NULL;
    HMODULE mod = NULL;
    const char *exe = k32_exe_name();
    if (exe && strcasecmp(base, exe) == 0)
        mod = k32_exe_base();
    else
        mod = thk_builtin_module(base);
    if (!mod && foreign && thk_loader)
        mod = thk_loader->find(name);
    free(base);
    free(name);
    return mod;
}

static HMODULE k32_find_module_a(const char *name) { return k32_find_module_ex(name, true); }

static HMODULE k32_find_module_w(const WCHAR *foreign_name)
{
    WCHAR *name = k32_copy_foreign_string(foreign_name, 2);
    char *a = name ? nt_utf16_to_utf8(name, nt_wcslen(name), NULL) : NULL;
    free(name);
    if (!a)
        return NULL;
    HMODULE mod = k32_find_module_a(a);
    free(a);
    return mod;
}

HMODULE WINAPI GetModuleHandleA(const char *name)
{
    if (!name)
        return k32_exe_base();
    HMODULE mod = k32_find_module_a(name);
    if (!mod)
        thk_set_last_error(ERROR_MOD_NOT_FOUND);
    return mod;
}
THK_EXPORT(kernel32, GetModuleHandleA, 1);

HMODULE WINAPI GetModuleHandleW(const WCHAR *name)
{
    if (!name)
        return k32_exe_base();
    HMODULE mod = k32_find_module_w(name);
    if (!mod)
        thk_set_last_error(ERROR_MOD_NOT_FOUND);
    return mod;
}
THK_EXPORT(kernel32, GetModuleHandleW, 1);

/* The module containing `addr`: the program, or a registered image. */
static HMODULE k32_module_from_address(const void *addr)
{
    k32_pe pe;
    HMODULE exe = k32_exe_base();
    if (exe && k32_pe_parse(exe, &pe) && (const uint8_t *)addr >= pe.base &&
        (const uint8_t *)addr < pe.base + pe.size_of_image)
        return exe;
    MEMORY_BASIC_INFORMATION mbi;
    SIZE_T ret = 0;
    if (NT_SUCCESS(NtQueryVirtualMemory(NtCurrentProcess(), addr, 0, &mbi, sizeof mbi, &ret)) &&
        mbi.Type == MEM_IMAGE && k32_pe_parse(mbi.AllocationBase, &pe))
        return mbi.AllocationBase;
    return NULL;
}

static BOOL k32_get_module_handle_ex(DWORD flags, const void *name, bool wide, HMODULE *out)
{
    if (!out || (flags & ~7u) ||
        ((flags & K32_GET_MODULE_HANDLE_EX_FLAG_PIN) &&
         (flags & K32_GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT))) {
        if (out)
            *out = NULL;
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    HMODULE mod;
    if (flags & K32_GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS)
        mod = k32_module_from_address(name);
    else if (!name)
        mod = k32_exe_base();
    else
        mod = wide ? k32_find_module_w(name) : k32_find_module_a(name);
    *out = mod;
    if (!mod) {
        thk_set_last_error(ERROR_MOD_NOT_FOUND);
        return FALSE;
    }
    if (thk_loader && !(flags & K32_GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT))
        thk_loader->addref(mod, flags & K32_GET_MODULE_HANDLE_EX_FLAG_PIN);
    return TRUE;
}

BOOL WINAPI GetModuleHandleExA(DWORD flags, const char *name, HMODULE *out)
{
    return k32_get_module_handle_ex(flags, name, false, out);
}
THK_EXPORT(kernel32, GetModuleHandleExA, 3);

BOOL WINAPI GetModuleHandleExW(DWORD flags, const WCHAR *name, HMODULE *out)
{
    return k32_get_module_handle_ex(flags, name, true, out);
}
THK_EXPORT(kernel32, GetModuleHandleExW, 3);

void *WINAPI GetProcAddress(HMODULE mod, const char *name)
{
    k32_pe pe;
    if (!mod)
        mod = k32_exe_base();
    if (!k32_is_module(mod, &pe)) {
        thk_set_last_error(ERROR_MOD_NOT_FOUND);
        return NULL;
    }
    void *p;
    bool by_ordinal = (uintptr_t)name <= 0xffff;
    char *copy = by_ordinal ? NULL : k32_copy_foreign_string(name, 1);
    if (!by_ordinal && !copy) {
        thk_set_last_error(ERROR_INVALID_PARAMETER); /* an unreadable name */
        return NULL;
    }
    if (copy)
        name = copy;
    if (!k32_is_builtin_image(&pe) && thk_loader)
        p = thk_loader->proc(mod, by_ordinal ? NULL : name,
                             by_ordinal ? (uint32_t)(uintptr_t)name : 0); /* follows forwarders */
    else if (k32_is_builtin_image(&pe)) /* includes data exports; NULL if not implemented */
        p = thk_builtin_proc_ex(mod, by_ordinal ? NULL : name,
                                by_ordinal ? (uint32_t)(uintptr_t)name : 0);
    else if (by_ordinal)
        p = k32_find_export(&pe, NULL, (uint32_t)(uintptr_t)name);
    else
        p = k32_find_export(&pe, name, 0);
    free(copy);
    if (!p)
        thk_set_last_error(ERROR_PROC_NOT_FOUND);
    return p;
}
THK_EXPORT(kernel32, GetProcAddress, 2);

/* Windows path of a module: the program's image path, or the system directory for built-ins.
 * malloc'd, NULL (last error set) for an unknown module. */
static WCHAR *k32_module_path(HMODULE mod)
{
    k32_pe pe;
    if (!mod || mod == k32_exe_base()) {
        const WCHAR *img = k32_image_path_w ? k32_image_path_w : u"";
        return k32_wcsdup_n(img, nt_wcslen(img));
    }
    if (!k32_is_module(mod, &pe)) {
        thk_set_last_error(ERROR_MOD_NOT_FOUND);
        return NULL;
    }
    const char *unix_path = thk_loader ? thk_loader->unix_path(mod) : NULL;
    if (unix_path)
        return nt_path_from_unix(unix_path); /* a foreign DLL */
    const char *name = k32_export_name(&pe);
    char buf[MAX_PATH];
    snprintf(buf, sizeof buf, "C:\\windows\\system32\\%s", name ? name : "unknown.dll");
    return nt_utf8_to_utf16(buf, strlen(buf), NULL);
}

DWORD WINAPI GetModuleFileNameW(HMODULE mod, WCHAR *buf, DWORD size)
{
    WCHAR *path = k32_module_path(mod);
    if (!path)
        return 0;
    size_t len = nt_wcslen(path);
    DWORD r;
    if (size == 0) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        r = 0;
    } else if (len < size) {
        memcpy(buf, path, (len + 1) * sizeof *buf);
        thk_set_last_error(ERROR_SUCCESS); /* Vista and later reset it */
        r = (DWORD)len;
    } else {
        memcpy(buf, path, (size - 1) * sizeof *buf);
        buf[size - 1] = 0;
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        r = size;
    }
    free(path);
    return r;
}
THK_EXPORT(kernel32, GetModuleFileNameW, 3);

DWORD WINAPI GetModuleFileNameA(HMODULE mod, char *buf, DWORD size)
{
    WCHAR *path = k32_module_path(mod);
    if (!path)
        return 0;
    size_t len = 0;
    char *a = nt_utf16_to_utf8(path, nt_wcslen(path), &len);
    free(path);
    if (!a) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    DWORD r;
    if (size == 0) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        r = 0;
    } else if (len < size) {
        memcpy(buf, a, len + 1);
        thk_set_last_error(ERROR_SUCCESS);
        r = (DWORD)len;
    } else {
        memcpy(buf, a, size - 1);
        buf[size - 1] = 0;
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        r = size;
    }
    free(a);
    return r;
}
THK_EXPORT(kernel32, GetModuleFileNameA, 3);

/* LoadLibrary: the program or a built-in DLL by name, else the loader (foreign DLLs, API sets).
 * NULL with *status what LdrLoadDll returns (0 for a data file: its last error is set). */
static HMODULE k32_load_library_status(const char *name, DWORD flags, const char *search_path,
                                       NTSTATUS *status)
{
    *status = STATUS_SUCCESS;
    if (k32_is_data_flags(flags))
        return k32_load_datafile(name, flags); /* datafile.c */
    HMODULE mod = k32_find_module_ex(name, false);
    if (mod)
        return mod;
    if (!thk_loader) {
        *status = STATUS_DLL_NOT_FOUND;
        return NULL;
    }
    *status = STATUS_DLL_NOT_FOUND;
    return thk_loader->load(name, flags, search_path, status);
}

static HMODULE k32_load_library(const char *name, DWORD flags)
{
    NTSTATUS st;
    HMODULE mod = k32_load_library_status(name, flags, NULL, &st);
    if (!mod && st)
        thk_set_last_error(nt_status_to_win32(st));
    return mod;
}

HMODULE k32_ldr_load_dll(const WCHAR *name, const WCHAR *search_path, NTSTATUS *status)
{
    char *a = nt_utf16_to_utf8(name, nt_wcslen(name), NULL);
    char *sp = search_path ? nt_utf16_to_utf8(search_path, nt_wcslen(search_path), NULL) : NULL;
    HMODULE mod = NULL;
    if (!a || (search_path && !sp))
        *status = STATUS_NO_MEMORY;
    else
        mod = k32_load_library_status(a, 0, sp, status);
    free(sp);
    free(a);
    return mod;
}

HMODULE WINAPI LoadLibraryExA(const char *name, HANDLE file, DWORD flags)
{
    char *copy = name && !file ? k32_copy_foreign_string(name, 1) : NULL;
    if (!copy) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    HMODULE mod = k32_load_library(copy, flags);
    free(copy);
    return mod;
}
THK_EXPORT(kernel32, LoadLibraryExA, 3);

HMODULE WINAPI LoadLibraryExW(const WCHAR *name, HANDLE file, DWORD flags)
{
    WCHAR *copy = name && !file ? k32_copy_foreign_string(name, 2) : NULL;
    if (!copy) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    char *a = nt_utf16_to_utf8(copy, nt_wcslen(copy), NULL);
    free(copy);
    if (!a) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    HMODULE mod = k32_load_library(a, flags);
    free(a);
    return mod;
}
THK_EXPORT(kernel32, LoadLibraryExW, 3);

HMODULE WINAPI LoadLibraryA(const char *name) { return LoadLibraryExA(name, NULL, 0); }
THK_EXPORT(kernel32, LoadLibraryA, 1);
HMODULE WINAPI LoadLibraryW(const WCHAR *name) { return LoadLibraryExW(name, NULL, 0); }
THK_EXPORT(kernel32, LoadLibraryW, 1);

/* Foreign DLLs drop a reference (unloaded at zero); the program and built-ins stay. */
BOOL WINAPI FreeLibrary(HMODULE mod)
{
    k32_pe pe;
    if (k32_free_datafile(mod))
        return TRUE;
    if (thk_loader && thk_loader->free(mod))
        return TRUE;
    if (!mod || !k32_is_module(mod, &pe)) {
        thk_set_last_error(ERROR_MOD_NOT_FOUND);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, FreeLibrary, 1);

/* Built-in DLLs get no thread calls anyway; a foreign DLL with static TLS cannot opt out. */
BOOL WINAPI DisableThreadLibraryCalls(HMODULE mod)
{
    k32_pe pe;
    if (thk_loader && thk_loader->disable_thread_calls(mod))
        return TRUE;
    if (!mod || !k32_is_module(mod, &pe) || (thk_loader && thk_loader->unix_path(mod))) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, DisableThreadLibraryCalls, 1);

/* ======================================================================================== */
/* Version and system information                                                           */
/* ======================================================================================== */

typedef struct {
    DWORD dwOSVersionInfoSize; /* 0x00 */
    DWORD dwMajorVersion;      /* 0x04 */
    DWORD dwMinorVersion;      /* 0x08 */
    DWORD dwBuildNumber;       /* 0x0c */
    DWORD dwPlatformId;        /* 0x10 */
    WCHAR szCSDVersion[128];   /* 0x14 */
    WORD wServicePackMajor;    /* 0x114 */
    WORD wServicePackMinor;    /* 0x116 */
    WORD wSuiteMask;           /* 0x118 */
    BYTE wProductType;         /* 0x11a */
    BYTE wReserved;            /* 0x11b */
} OSVERSIONINFOEXW;
_Static_assert(offsetof(OSVERSIONINFOEXW, wServicePackMajor) == 0x114, "OSVERSIONINFOEXW.SP");
_Static_assert(offsetof(OSVERSIONINFOEXW, wProductType) == 0x11a, "OSVERSIONINFOEXW.ProductType");
_Static_assert(sizeof(OSVERSIONINFOEXW) == 0x11c, "OSVERSIONINFOEXW");

typedef struct {
    DWORD dwOSVersionInfoSize; /* 0x00 */
    DWORD dwMajorVersion;      /* 0x04 */
    DWORD dwMinorVersion;      /* 0x08 */
    DWORD dwBuildNumber;       /* 0x0c */
    DWORD dwPlatformId;        /* 0x10 */
    char szCSDVersion[128];    /* 0x14 */
    WORD wServicePackMajor;    /* 0x94 */
    WORD wServicePackMinor;    /* 0x96 */
    WORD wSuiteMask;           /* 0x98 */
    BYTE wProductType;         /* 0x9a */
    BYTE wReserved;            /* 0x9b */
} OSVERSIONINFOEXA;
_Static_assert(offsetof(OSVERSIONINFOEXA, wServicePackMajor) == 0x94, "OSVERSIONINFOEXA.SP");
_Static_assert(sizeof(OSVERSIONINFOEXA) == 0x9c, "OSVERSIONINFOEXA");

#define K32_OSVERSIONINFOW_SIZE 0x114
#define K32_OSVERSIONINFOA_SIZE 0x94

static void k32_version(DWORD *major, DWORD *minor, DWORD *build)
{
    PEB *peb = rt_proc.peb;
    *major = peb && peb->OSMajorVersion ? peb->OSMajorVersion : 10;
    *minor = peb ? peb->OSMinorVersion : 0;
    *build = peb && peb->OSBuildNumber ? peb->OSBuildNumber : 19045;
}

DWORD WINAPI GetVersion(void)
{
    DWORD major, minor, build;
    k32_version(&major, &minor, &build);
    return (build << 16) | (minor << 8) | major;
}
THK_EXPORT(kernel32, GetVersion, 0);

/* ext: the EX structures' last 8 bytes (wServicePackMajor on), as a pointer into the whole
 * structure (one to the member alone lets GCC's -Wstringop-overflow, in an ASan build, see the
 * stores past it as overflows) */
static void k32_fill_version(DWORD size, DWORD *fields, BYTE *ext)
{
    k32_version(&fields[0], &fields[1], &fields[2]);
    fields[3] = 2; /* VER_PLATFORM_WIN32_NT */
    (void)size;
    if (ext) {
        /* service pack 0.0; VER_SUITE_SINGLEUSERTS (0x100); VER_NT_WORKSTATION; reserved */
        static const BYTE tail[8] = {0, 0, 0, 0, 0x00, 0x01, 1, 0};
        memcpy(ext, tail, sizeof tail);
    }
}

BOOL WINAPI GetVersionExW(OSVERSIONINFOEXW *vi)
{
    if (!vi || (vi->dwOSVersionInfoSize != K32_OSVERSIONINFOW_SIZE &&
                vi->dwOSVersionInfoSize != sizeof *vi)) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return FALSE;
    }
    memset(vi->szCSDVersion, 0, sizeof vi->szCSDVersion);
    k32_fill_version(vi->dwOSVersionInfoSize, &vi->dwMajorVersion,
                     vi->dwOSVersionInfoSize == sizeof *vi
                         ? (BYTE *)vi + offsetof(OSVERSIONINFOEXW, wServicePackMajor)
                         : NULL);
    return TRUE;
}
THK_EXPORT(kernel32, GetVersionExW, 1);

BOOL WINAPI GetVersionExA(OSVERSIONINFOEXA *vi)
{
    if (!vi || (vi->dwOSVersionInfoSize != K32_OSVERSIONINFOA_SIZE &&
                vi->dwOSVersionInfoSize != sizeof *vi)) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return FALSE;
    }
    memset(vi->szCSDVersion, 0, sizeof vi->szCSDVersion);
    k32_fill_version(vi->dwOSVersionInfoSize, &vi->dwMajorVersion,
                     vi->dwOSVersionInfoSize == sizeof *vi
                         ? (BYTE *)vi + offsetof(OSVERSIONINFOEXA, wServicePackMajor)
                         : NULL);
    return TRUE;
}
THK_EXPORT(kernel32, GetVersionExA, 1);

/* ntdll's RtlGetVersion: the same, and never lies about the version. */
static NTSTATUS WINAPI k32_RtlGetVersion(OSVERSIONINFOEXW *vi)
{
    if (!vi || (vi->dwOSVersionInfoSize != K32_OSVERSIONINFOW_SIZE &&
                vi->dwOSVersionInfoSize != sizeof *vi))
        return STATUS_INVALID_PARAMETER;
    memset(vi->szCSDVersion, 0, sizeof vi->szCSDVersion);
    k32_fill_version(vi->dwOSVersionInfoSize, &vi->dwMajorVersion,
                     vi->dwOSVersionInfoSize == sizeof *vi
                         ? (BYTE *)vi + offsetof(OSVERSIONINFOEXW, wServicePackMajor)
                         : NULL);
    return STATUS_SUCCESS;
}
THK_EXPORT_AS(ntdll, RtlGetVersion, k32_RtlGetVersion, 1);

/* ntdll's RtlGetNtVersionNumbers: major, minor and the build with 0xF0000000 (a free build),
 * as Windows reports it; any pointer may be NULL. */
static void WINAPI k32_RtlGetNtVersionNumbers(DWORD *major, DWORD *minor, DWORD *build)
{
    DWORD v[3];
    k32_version(&v[0], &v[1], &v[2]);
    v[2] |= 0xF0000000u;
    if (major)
        nt_copy_to_user(major, &v[0], sizeof v[0]);
    if (minor)
        nt_copy_to_user(minor, &v[1], sizeof v[1]);
    if (build)
        nt_copy_to_user(build, &v[2], sizeof v[2]);
}
THK_EXPORT_AS(ntdll, RtlGetNtVersionNumbers, k32_RtlGetNtVersionNumbers, 3);

/* ntdll's RtlGetCurrentPeb: the PEB of the process (NtCurrentTeb()->ProcessEnvironmentBlock). */
static PEB *WINAPI k32_RtlGetCurrentPeb(void) { return rt_proc.peb; }
THK_EXPORT_AS(ntdll, RtlGetCurrentPeb, k32_RtlGetCurrentPeb, 0);

typedef struct {
    WORD wProcessorArchitecture;        /* 0x00 */
    WORD wReserved;                     /* 0x02 */
    DWORD dwPageSize;                   /* 0x04 */
    void *lpMinimumApplicationAddress;  /* 0x08 */
    void *lpMaximumApplicationAddress;  /* 0x10 */
    ULONG_PTR dwActiveProcessorMask;    /* 0x18 */
    DWORD dwNumberOfProcessors;         /* 0x20 */
    DWORD dwProcessorType;              /* 0x24 */
    DWORD dwAllocationGranularity;      /* 0x28 */
    WORD wProcessorLevel;               /* 0x2c */
    WORD wProcessorRevision;            /* 0x2e */
} SYSTEM_INFO;
_Static_assert(offsetof(SYSTEM_INFO, dwActiveProcessorMask) == 0x18, "SYSTEM_INFO.mask");
_Static_assert(offsetof(SYSTEM_INFO, dwAllocationGranularity) == 0x28, "SYSTEM_INFO.granularity");
_Static_assert(sizeof(SYSTEM_INFO) == 0x30, "SYSTEM_INFO");

static void k32_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

void WINAPI GetSystemInfo(SYSTEM_INFO *si)
{
    memset(si, 0, sizeof *si);
    si->wProcessorArchitecture = 9; /* PROCESSOR_ARCHITECTURE_AMD64 */
    si->dwPageSize = 4096;
    si->lpMinimumApplicationAddress = (void *)0x10000;
    si->lpMaximumApplicationAddress = (void *)0x7ffffffeffffull;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > 64)
        n = 64;
    si->dwNumberOfProcessors = (DWORD)n;
    si->dwActiveProcessorMask = n == 64 ? ~(ULONG_PTR)0 : (((ULONG_PTR)1 << n) - 1);
    si->dwProcessorType = 8664; /* PROCESSOR_AMD_X8664 */
    si->dwAllocationGranularity = 65536;
    uint32_t family, model, stepping; /* display family and model, as Windows reports them */
    k32_cpu_signature(&family, &model, &stepping);
    si->wProcessorLevel = (WORD)family;
    si->wProcessorRevision = (WORD)((model << 8) | stepping);
}
THK_EXPORT(kernel32, GetSystemInfo, 1);
THK_EXPORT_AS(kernel32, GetNativeSystemInfo, GetSystemInfo, 1);

/* CPU_FEATURE_ACTIVE reads glibc's cached cpuid bits. __builtin_cpu_supports would link
 * libgcc's constructor, which runs a dozen cpuid instructions (VM exits) in every process at
 * start-up whether or not this function is ever called (~0.06 ms of `ntrun hello.exe`). */
BOOL WINAPI IsProcessorFeaturePresent(DWORD feature)
{
    switch (feature) {
    case 2:  /* PF_COMPARE_EXCHANGE_DOUBLE */
    case 3:  /* PF_MMX_INSTRUCTIONS_AVAILABLE */
    case 6:  /* PF_XMMI_INSTRUCTIONS_AVAILABLE (SSE) */
    case 8:  /* PF_RDTSC_INSTRUCTION_AVAILABLE */
    case 9:  /* PF_PAE_ENABLED */
    case 10: /* PF_XMMI64_INSTRUCTIONS_AVAILABLE (SSE2) */
    case 12: /* PF_NX_ENABLED */
    case 23: /* PF_FASTFAIL_AVAILABLE */
        return TRUE;
    case 13: /* PF_SSE3_INSTRUCTIONS_AVAILABLE */
        return CPU_FEATURE_ACTIVE(SSE3);
    case 14: { /* PF_COMPARE_EXCHANGE128 */
        uint32_t r[4];
        k32_cpuid(1, 0, r);
        return (r[2] >> 13) & 1;
    }
    case 17: { /* PF_XSAVE_ENABLED */
        uint32_t r[4];
        k32_cpuid(1, 0, r);
        return (r[2] >> 27) & 1; /* OSXSAVE */
    }
    case 28: { /* PF_RDRAND_INSTRUCTION_AVAILABLE */
        uint32_t r[4];
        k32_cpuid(1, 0, r);
        return (r[2] >> 30) & 1;
    }
    case 36: /* PF_SSSE3_INSTRUCTIONS_AVAILABLE */
        return CPU_FEATURE_ACTIVE(SSSE3);
    case 37: /* PF_SSE4_1_INSTRUCTIONS_AVAILABLE */
        return CPU_FEATURE_ACTIVE(SSE4_1);
    case 38: /* PF_SSE4_2_INSTRUCTIONS_AVAILABLE */
        return CPU_FEATURE_ACTIVE(SSE4_2);
    case 39: /* PF_AVX_INSTRUCTIONS_AVAILABLE */
        return CPU_FEATURE_ACTIVE(AVX);
    case 40: /* PF_AVX2_INSTRUCTIONS_AVAILABLE */
        return CPU_FEATURE_ACTIVE(AVX2);
    case 41: /* PF_AVX512F_INSTRUCTIONS_AVAILABLE */
        return CPU_FEATURE_ACTIVE(AVX512F);
    default: /* 22 PF_RDWRFSGSBASE_AVAILABLE: not enabled on the machines ntrun runs on */
        return FALSE;
    }
}
THK_EXPORT(kernel32, IsProcessorFeaturePresent, 1);

static DWORD k32_put_ascii_path(const char *s, WCHAR *buf, DWORD size)
{
    WCHAR w[64];
    size_t n = strlen(s);
    for (size_t i = 0; i <= n; i++)
        w[i] = (WCHAR)(uint8_t)s[i];
    return k32_return_w(w, n, buf, size);
}

UINT WINAPI GetWindowsDirectoryW(WCHAR *buf, UINT size)
{
    return k32_put_ascii_path("C:\\windows", buf, size);
}
THK_EXPORT(kernel32, GetWindowsDirectoryW, 2);
THK_EXPORT_AS(kernel32, GetSystemWindowsDirectoryW, GetWindowsDirectoryW, 2);

UINT WINAPI GetWindowsDirectoryA(char *buf, UINT size)
{
    return k32_return_a(u"C:\\windows", 10, buf, size);
}
THK_EXPORT(kernel32, GetWindowsDirectoryA, 2);
THK_EXPORT_AS(kernel32, GetSystemWindowsDirectoryA, GetWindowsDirectoryA, 2);

UINT WINAPI GetSystemDirectoryW(WCHAR *buf, UINT size)
{
    return k32_put_ascii_path("C:\\windows\\system32", buf, size);
}
THK_EXPORT(kernel32, GetSystemDirectoryW, 2);

UINT WINAPI GetSystemDirectoryA(char *buf, UINT size)
{
    return k32_return_a(u"C:\\windows\\system32", 19, buf, size);
}
THK_EXPORT(kernel32, GetSystemDirectoryA, 2);

/* GetComputerName: the host name, upper-cased and cut to 15 characters like a NetBIOS name. */
size_t k32_computer_name(char out[16])
{
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    char *dot = strchr(host, '.');
    if (dot)
        *dot = 0;
    size_t n = 0;
    /* ASCII letters only, as toupper does in the C locale ntrun runs in (toupper reads libc's
     * C-ctype table: a page fault and ~15 pages of ntrun's file at every start,
     * docs/performance.md, twenty-fourth pass, second round). */
    for (; host[n] && n < 15; n++) {
        char c = host[n];
        out[n] = c >= 'a' && c <= 'z' ? (char)(c - ('a' - 'A')) : c;
    }
    if (!n)
        out[n++] = 'N';
    out[n] = 0;
    return n;
}

BOOL WINAPI GetComputerNameA(char *buf, DWORD *size)
{
    char name[16];
    size_t n = k32_computer_name(name);
    if (!size || *size <= n) {
        if (size)
            *size = (DWORD)n + 1;
        thk_set_last_error(K32_ERROR_BUFFER_OVERFLOW);
        return FALSE;
    }
    memcpy(buf, name, n + 1);
    *size = (DWORD)n;
    return TRUE;
}
THK_EXPORT(kernel32, GetComputerNameA, 2);

BOOL WINAPI GetComputerNameW(WCHAR *buf, DWORD *size)
{
    char name[16];
    size_t n = k32_computer_name(name);
    if (!size || *size <= n) {
        if (size)
            *size = (DWORD)n + 1;
        thk_set_last_error(K32_ERROR_BUFFER_OVERFLOW);
        return FALSE;
    }
    for (size_t i = 0; i <= n; i++)
        buf[i] = (WCHAR)(uint8_t)name[i];
    *size = (DWORD)n;
    return TRUE;
}
THK_EXPORT(kernel32, GetComputerNameW, 2);

/* GetComputerNameEx: the NetBIOS forms as GetComputerName; the DNS host name is the host name up
 * to its first dot, as the system spells it; the domain what follows that dot (empty without
 * one); the fully qualified name both. The physical forms are the same (no cluster). A buffer
 * too small fails with ERROR_MORE_DATA and *size the length needed with the NUL. */
#define K32_ERROR_MORE_DATA 234
#define K32_ERROR_INVALID_PARAMETER 87
enum { K32_NAME_NETBIOS, K32_NAME_DNS_HOST, K32_NAME_DNS_DOMAIN, K32_NAME_DNS_FULL, K32_NAME_MAX = 8 };

static bool k32_computer_name_ex(int format, char out[256])
{
    if (format < 0 || format >= K32_NAME_MAX)
        return false;
    format &= 3; /* ComputerNamePhysical* (4-7) are the same names */
    if (format == K32_NAME_NETBIOS) {
        k32_computer_name(out);
        return true;
    }
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    char *dot = strchr(host, '.');
    const char *domain = dot ? dot + 1 : "";
    if (dot)
        *dot = 0;
    if (format == K32_NAME_DNS_HOST)
        snprintf(out, 256, "%s", host);
    else if (format == K32_NAME_DNS_DOMAIN)
        snprintf(out, 256, "%s", domain);
    else
        snprintf(out, 256, "%s%s%s", host, *domain ? "." : "", domain);
    return true;
}

/* The checks GetComputerNameExA and GetComputerNameExW share: the name in `name` and its length
 * in *len, or FALSE with the last error and *size set as Windows does (the size needed, with its
 * terminator, when buf is NULL or *size too small). */
static bool k32_computer_name_ex_fits(int format, bool have_buf, DWORD *size, char name[256],
                                      size_t *len)
{
    if (!size || !k32_computer_name_ex(format, name)) {
        thk_set_last_error(K32_ERROR_INVALID_PARAMETER);
        return false;
    }
    *len = strlen(name);
    if (!have_buf || *size <= *len) {
        *size = (DWORD)*len + 1;
        thk_set_last_error(K32_ERROR_MORE_DATA);
        return false;
    }
    return true;
}

BOOL WINAPI GetComputerNameExA(int format, char *buf, DWORD *size)
{
    char name[256];
    size_t n;
    if (!k32_computer_name_ex_fits(format, buf != NULL, size, name, &n))
        return FALSE;
    memcpy(buf, name, n + 1);
    *size = (DWORD)n;
    return TRUE;
}
THK_EXPORT(kernel32, GetComputerNameExA, 3);

BOOL WINAPI GetComputerNameExW(int format, WCHAR *buf, DWORD *size)
{
    char name[256];
    size_t n;
    if (!k32_computer_name_ex_fits(format, buf != NULL, size, name, &n))
        return FALSE;
    for (size_t i = 0; i <= n; i++)
        buf[i] = (WCHAR)(uint8_t)name[i];
    *size = (DWORD)n;
    return TRUE;
}
THK_EXPORT(kernel32, GetComputerNameExW, 3);

/* ======================================================================================== */
/* Current directory and full paths                                                         */
/* ======================================================================================== */

DWORD WINAPI GetCurrentDirectoryW(DWORD size, WCHAR *buf)
{
    WCHAR *cwd = k32_current_dir();
    if (!cwd)
        return 0;
    DWORD r = k32_return_w(cwd, nt_wcslen(cwd), buf, size);
    free(cwd);
    return r;
}
THK_EXPORT(kernel32, GetCurrentDirectoryW, 2);

DWORD WINAPI GetCurrentDirectoryA(DWORD size, char *buf)
{
    WCHAR *cwd = k32_current_dir();
    if (!cwd)
        return 0;
    DWORD r = k32_return_a(cwd, nt_wcslen(cwd), buf, size);
    free(cwd);
    return r;
}
THK_EXPORT(kernel32, GetCurrentDirectoryA, 2);

BOOL WINAPI SetCurrentDirectoryW(const WCHAR *path)
{
    UNICODE_STRING nt;
    if (!k32_nt_path(path, &nt))
        return FALSE;
    char *unix_path = NULL;
    NTSTATUS st = nt_path_to_unix(nt.Buffer, nt.Length / sizeof(WCHAR), &unix_path);
    k32_free_nt_path(&nt);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    struct stat sb;
    if (stat(unix_path, &sb) != 0) {
        thk_set_last_status(nt_status_from_errno(errno));
        free(unix_path);
        return FALSE;
    }
    if (!S_ISDIR(sb.st_mode)) {
        thk_set_last_error(ERROR_DIRECTORY);
        free(unix_path);
        return FALSE;
    }
    int r = nt_cwd_set(unix_path); /* the run's, not the host process's working directory */
    if (r < 0) {
        thk_set_last_status(nt_status_from_errno(-r));
        free(unix_path);
        return FALSE;
    }
    free(unix_path);
    k32_update_peb_cwd();
    return TRUE;
}
THK_EXPORT(kernel32, SetCurrentDirectoryW, 1);

BOOL WINAPI SetCurrentDirectoryA(const char *path)
{
    WCHAR *w;
    BOOL r = k32_arg_w(path, &w) ? SetCurrentDirectoryW(w) : FALSE;
    free(w);
    return r;
}
THK_EXPORT(kernel32, SetCurrentDirectoryA, 1);

DWORD WINAPI GetFullPathNameW(const WCHAR *path, DWORD size, WCHAR *buf, WCHAR **file_part)
{
    ptrdiff_t fp;
    WCHAR *full = k32_full_path(path, &fp);
    if (!full)
        return 0;
    size_t len = nt_wcslen(full);
    DWORD r = k32_return_w(full, len, buf, size);
    if (r == len && file_part)
        *file_part = fp >= 0 ? buf + fp : NULL;
    free(full);
    return r;
}
THK_EXPORT(kernel32, GetFullPathNameW, 4);

DWORD WINAPI GetFullPathNameA(const char *path, DWORD size, char *buf, char **file_part)
{
    WCHAR *w;
    if (!k32_arg_w(path, &w))
        return 0;
    ptrdiff_t fp;
    WCHAR *full = k32_full_path(w, &fp);
    free(w);
    if (!full)
        return 0;
    size_t len = nt_wcslen(full);
    DWORD r = k32_return_a(full, len, buf, size);
    if (r && r < size && file_part) {
        *file_part = NULL;
        if (fp >= 0) {
            size_t off = 0;
            char *prefix = nt_utf16_to_utf8(full, (size_t)fp, &off);
            free(prefix);
            *file_part = buf + off;
        }
    }
    free(full);
    return r;
}
THK_EXPORT(kernel32, GetFullPathNameA, 4);

/* ======================================================================================== */
/* Exceptions and debugging                                                                 */
/* ======================================================================================== */

/* SetUnhandledExceptionFilter, UnhandledExceptionFilter, RaiseException: exception.c. */
static void *k32_unhandled_filter; /* unused: the filter lives in exception.c */

BOOL WINAPI IsDebuggerPresent(void) { return FALSE; }
THK_EXPORT(kernel32, IsDebuggerPresent, 0);

void WINAPI OutputDebugStringA(const char *s)
{
    if (rt_trace_mask && s)
        rt_trace("debug", "%s", s);
}
THK_EXPORT(kernel32, OutputDebugStringA, 1);

void WINAPI OutputDebugStringW(const WCHAR *s)
{
    if (!rt_trace_mask || !s)
        return;
    char *a = nt_utf16_to_utf8(s, nt_wcslen(s), NULL);
    if (a)
        rt_trace("debug", "%s", a);
    free(a);
}
THK_EXPORT(kernel32, OutputDebugStringW, 1);

/* ======================================================================================== */
/* Console                                                                                  */
/* ======================================================================================== */

#define K32_FILE_TYPE_UNKNOWN 0
#define K32_FILE_TYPE_DISK 1
#define K32_FILE_TYPE_CHAR 2
#define K32_FILE_TYPE_PIPE 3
#define K32_OUTPUT_MODE_DEFAULT 0x3   /* processed output, wrap at end of line */

static pthread_mutex_t k32_console_lock = PTHREAD_MUTEX_INITIALIZER;
static DWORD k32_console_out_mode = K32_OUTPUT_MODE_DEFAULT;
/* The console code pages start as the OEM code page (437), as a Windows console's do: console
 * programs convert what they write to a pipe or file with GetConsoleOutputCP() and a default
 * character, which UTF-8 refuses. Text reaches the UTF-8 terminal through WriteConsoleW, or
 * through WriteConsoleA converted from the output code page. */
#define K32_CONSOLE_CP_DEFAULT 437
static UINT k32_console_cp = K32_CONSOLE_CP_DEFAULT, k32_console_output_cp = K32_CONSOLE_CP_DEFAULT;

/* The fd behind a console handle (a tty) and whether it is the input buffer; -1 if the handle
 * is not a console. The role is the handle's (the standard handles, CONIN$, CONOUT$, CON:
 * ntemu/file.c); a terminal handle without one (inherited by number) is the input buffer when
 * it is standard input or was opened for reading only. */
int k32_console_fd(HANDLE h, bool *input)
{
    nt_file *f;
    if (!h || __atomic_load_n(&k32_console_detached, __ATOMIC_ACQUIRE) ||
        !NT_SUCCESS(nt_file_get(h, &f)))
        return -1;
    int fd = f->fd;
    bool in = f->console ? f->console == NT_CONSOLE_INPUT
                         : h == GetStdHandle(STD_INPUT_HANDLE) ||
                               ((f->access & FILE_READ_DATA) && !(f->access & FILE_WRITE_DATA));
    nt_object_release(&f->hdr);
    if (fd < 0 || !isatty(fd))
        return -1;
    if (input)
        *input = in;
    return fd;
}

/* Modes belong to the console's two objects, the input buffer (console_input.c) and the
 * screen buffer, not to the handle: CONOUT$ and standard output share one. */
BOOL WINAPI GetConsoleMode(HANDLE h, DWORD *mode)
{
    bool input;
    if (k32_console_fd(h, &input) < 0) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    DWORD m = input ? k32_con_in_mode() : __atomic_load_n(&k32_console_out_mode, __ATOMIC_RELAXED);
    if (mode)
        *mode = m;
    return TRUE;
}
THK_EXPORT(kernel32, GetConsoleMode, 2);

BOOL WINAPI SetConsoleMode(HANDLE h, DWORD mode)
{
    bool input;
    int fd = k32_console_fd(h, &input);
    if (fd < 0) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    if (input)
        return k32_con_in_set_mode(fd, mode);
    DWORD old = __atomic_exchange_n(&k32_console_out_mode, mode, __ATOMIC_RELAXED);
    if ((old ^ mode) & K32_ENABLE_WRAP_AT_EOL_OUTPUT) /* the terminal wraps, or not (DECAWM) */
        k32_write_all(h, (mode & K32_ENABLE_WRAP_AT_EOL_OUTPUT) ? "\x1b[?7h" : "\x1b[?7l", 5);
    return TRUE;
}
THK_EXPORT(kernel32, SetConsoleMode, 2);

DWORD k32_con_out_mode(void) { return __atomic_load_n(&k32_console_out_mode, __ATOMIC_RELAXED); }

void k32_con_out_mode_set(DWORD mode) { __atomic_store_n(&k32_console_out_mode, mode, __ATOMIC_RELAXED); }

void k32_con_out_wrap(bool on)
{
    if (on)
        __atomic_fetch_or(&k32_console_out_mode, K32_ENABLE_WRAP_AT_EOL_OUTPUT, __ATOMIC_RELAXED);
    else
        __atomic_fetch_and(&k32_console_out_mode, ~(DWORD)K32_ENABLE_WRAP_AT_EOL_OUTPUT,
                           __ATOMIC_RELAXED);
}

UINT WINAPI GetConsoleCP(void) { return k32_console_cp; }
THK_EXPORT(kernel32, GetConsoleCP, 0);
UINT WINAPI GetConsoleOutputCP(void) { return k32_console_output_cp; }
THK_EXPORT(kernel32, GetConsoleOutputCP, 0);

BOOL WINAPI SetConsoleCP(UINT cp)
{
    if (!IsValidCodePage(cp)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    k32_console_cp = cp; /* recorded; the terminal stays UTF-8 */
    return TRUE;
}
THK_EXPORT(kernel32, SetConsoleCP, 1);

BOOL WINAPI SetConsoleOutputCP(UINT cp)
{
    if (!IsValidCodePage(cp)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    k32_console_output_cp = cp;
    return TRUE;
}
THK_EXPORT(kernel32, SetConsoleOutputCP, 1);

/* The terminal's sequences the runtime writes itself (k32_write_all), as opposed to the
 * program's text (k32_write_text): the output mode's filter leaves them alone. */
__thread bool k32_out_raw;

static BOOL k32_write(HANDLE h, const char *buf, size_t n);

/* Writes all of buf through NtWriteFile: the runtime's own sequences. */
BOOL k32_write_all(HANDLE h, const char *buf, size_t n)
{
    bool was = k32_out_raw;
    k32_out_raw = true;
    BOOL ok = k32_write(h, buf, n);
    k32_out_raw = was;
    return ok;
}

/* Writes all of buf through NtWriteFile: the program's text (WriteConsole), shown as the
 * output mode says. */
BOOL k32_write_text(HANDLE h, const char *buf, size_t n) { return k32_write(h, buf, n); }

static BOOL k32_write(HANDLE h, const char *buf, size_t n)
{
    while (n) {
        IO_STATUS_BLOCK io = {0};
        uint32_t chunk = n > 0x40000000 ? 0x40000000 : (uint32_t)n;
        NTSTATUS st = NtWriteFile(h, NULL, NULL, NULL, &io, buf, chunk, NULL, NULL);
        if (!NT_SUCCESS(st)) {
            thk_set_last_status(st);
            return FALSE;
        }
        if (!io.Information) {
            thk_set_last_error(ERROR_INVALID_FUNCTION);
            return FALSE;
        }
        buf += io.Information;
        n -= io.Information;
    }
    return TRUE;
}

BOOL WINAPI WriteConsoleW(HANDLE h, const WCHAR *buf, DWORD n, DWORD *written, void *reserved)
{
    if (written)
        *written = 0;
    if (k32_console_fd(h, NULL) < 0) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    size_t alen = 0;
    char *a = nt_utf16_to_utf8(buf, n, &alen);
    if (!a) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    BOOL ok = k32_write_text(h, a, alen);
    free(a);
    if (ok && written)
        *written = n;
    return ok;
}
THK_EXPORT(kernel32, WriteConsoleW, 5);

BOOL WINAPI WriteConsoleA(HANDLE h, const char *buf, DWORD n, DWORD *written, void *reserved)
{
    if (written)
        *written = 0;
    if (k32_console_fd(h, NULL) < 0) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    UINT cp = GetConsoleOutputCP();
    BOOL ok;
    if (cp == CP_UTF8 || !n) {
        ok = k32_write_text(h, buf, n);
    } else { /* the terminal is UTF-8: convert from the console's code page */
        int wn = MultiByteToWideChar(cp, 0, buf, (int)n, NULL, 0);
        WCHAR *w = wn > 0 ? malloc((size_t)wn * sizeof *w) : NULL;
        size_t alen = 0;
        char *a = NULL;
        if (w && MultiByteToWideChar(cp, 0, buf, (int)n, w, wn) == wn)
            a = nt_utf16_to_utf8(w, (size_t)wn, &alen);
        free(w);
        if (!a) {
            thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
            return FALSE;
        }
        ok = k32_write_text(h, a, alen);
        free(a);
    }
    if (ok && written)
        *written = n;
    return ok;
}
THK_EXPORT(kernel32, WriteConsoleA, 5);

/* ReadConsoleW/A, the input records and the input mode: console_input.c. */

typedef struct {
    int16_t X, Y;
} COORD;
typedef struct {
    int16_t Left, Top, Right, Bottom;
} SMALL_RECT;
typedef struct {
    COORD dwSize;              /* 0x00 */
    COORD dwCursorPosition;    /* 0x04 */
    WORD wAttributes;          /* 0x08 */
    SMALL_RECT srWindow;       /* 0x0a */
    COORD dwMaximumWindowSize; /* 0x12 */
} CONSOLE_SCREEN_BUFFER_INFO;
_Static_assert(offsetof(CONSOLE_SCREEN_BUFFER_INFO, srWindow) == 0x0a, "CSBI.srWindow");
_Static_assert(sizeof(CONSOLE_SCREEN_BUFFER_INFO) == 0x16, "CONSOLE_SCREEN_BUFFER_INFO");

BOOL WINAPI GetConsoleScreenBufferInfo(HANDLE h, CONSOLE_SCREEN_BUFFER_INFO *info)
{
    bool input;
    int fd = k32_console_fd(h, &input);
    if (fd < 0 || input) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    struct winsize ws = {0};
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || !ws.ws_col || !ws.ws_row) {
        ws.ws_col = 80;
        ws.ws_row = 25;
    }
    memset(info, 0, sizeof *info);
    /* SetConsoleScreenBufferSize's, else the terminal's width by 9001 (the default Windows 10
     * buffer height); conhost's alternate buffer (?1049h) is the window's size */
    k32_screen_dims(ws.ws_col, ws.ws_row, &info->dwSize.X, &info->dwSize.Y);
    info->wAttributes = k32_text_attr_get(); /* SetConsoleTextAttribute's, or SGR's */
    k32_con_cursor(fd, &info->dwCursorPosition.X, &info->dwCursorPosition.Y); /* asked */
    info->srWindow.Right = (int16_t)(ws.ws_col - 1);
    info->srWindow.Bottom = (int16_t)(ws.ws_row - 1);
    info->dwMaximumWindowSize.X = (int16_t)ws.ws_col;
    info->dwMaximumWindowSize.Y = (int16_t)ws.ws_row;
    return TRUE;
}
THK_EXPORT(kernel32, GetConsoleScreenBufferInfo, 2);

/* Console colours become ANSI SGR sequences on the terminal. */
BOOL WINAPI SetConsoleTextAttribute(HANDLE h, WORD attr)
{
    bool input;
    if (k32_console_fd(h, &input) < 0 || input) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    char seq[32];
    int n = k32_sgr(attr, seq, sizeof seq);
    uint64_t before = nt_console_output_count();
    BOOL ok = k32_write_all(h, seq, (size_t)n);
    k32_text_attr_set(attr); /* exactly, after the SGR (which has no COMMON_LVB_ flags) */
    if (ok)
        k32_screen_cells_kept(before); /* colours for what comes: no cell changed */
    return ok;
}
THK_EXPORT(kernel32, SetConsoleTextAttribute, 2);

/* The SGR sequence of a console attribute; its length. */
int k32_sgr(WORD attr, char *seq, size_t size)
{
    static const uint8_t ansi[8] = {0, 4, 2, 6, 1, 5, 3, 7}; /* BGR bits -> ANSI colour */
    int fg = ansi[attr & 7], bg = ansi[(attr >> 4) & 7];
    return snprintf(seq, size, "\x1b[0;%d;%dm", (attr & 8) ? 90 + fg : 30 + fg,
                    (attr & 0x80) ? 100 + bg : 40 + bg);
}

/* GetConsoleWindow, AllocConsole, FreeConsole, GetConsoleScreenBufferInfoEx: console.c. */

DWORD WINAPI GetFileType(HANDLE h)
{
    nt_file *f;
    NTSTATUS st = h ? nt_file_get(h, &f) : STATUS_INVALID_HANDLE;
    if (!NT_SUCCESS(st)) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return K32_FILE_TYPE_UNKNOWN;
    }
    struct stat sb;
    DWORD type = K32_FILE_TYPE_UNKNOWN;
    if (f->fd >= 0 && fstat(f->fd, &sb) == 0) {
        if (S_ISCHR(sb.st_mode))
            type = K32_FILE_TYPE_CHAR;
        else if (S_ISFIFO(sb.st_mode) || S_ISSOCK(sb.st_mode))
            type = K32_FILE_TYPE_PIPE;
        else if (S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode) || S_ISBLK(sb.st_mode))
            type = K32_FILE_TYPE_DISK;
    }
    nt_object_release(&f->hdr);
    if (type == K32_FILE_TYPE_UNKNOWN)
        thk_set_last_error(ERROR_SUCCESS);
    return type;
}
THK_EXPORT(kernel32, GetFileType, 1);

/* libntrun teardown (thk_process_teardown): the process-wide settings a program changed. */
void k32_process_reset(void)
{
    __atomic_store_n(&k32_unhandled_filter, NULL, __ATOMIC_RELEASE);
    k32_con_in_reset();
    k32_screen_reset();
    thk_held_mutex_lock(&k32_console_lock);
    k32_console_out_mode = K32_OUTPUT_MODE_DEFAULT;
    k32_console_cp = k32_console_output_cp = K32_CONSOLE_CP_DEFAULT;
    thk_held_mutex_unlock(&k32_console_lock);
    /* The environment block and current-directory buffer of the process parameters (the next
     * thk_process_setup makes new ones; free(NULL) then). */
    RTL_USER_PROCESS_PARAMETERS *p = k32_params();
    if (p) {
        thk_held_mutex_lock(&k32_env_lock);
        k32_prog_free(p->Environment);
        p->Environment = NULL;
        p->EnvironmentSize = 0;
        thk_held_mutex_unlock(&k32_env_lock);
        k32_prog_free(p->CurrentDirectory.DosPath.Buffer);
        p->CurrentDirectory.DosPath.Buffer = NULL;
        p->CurrentDirectory.DosPath.Length = p->CurrentDirectory.DosPath.MaximumLength = 0;
        p->CurrentDirectory.Handle = NULL; /* closed with the handle table */
        memset(&p->CommandLine, 0, sizeof p->CommandLine);
        memset(&p->ImagePathName, 0, sizeof p->ImagePathName);
    }
    /* The command line and image path are process-heap copies: freed before the heaps go. */
    k32_prog_free(k32_cmdline_w);
    k32_prog_free(k32_cmdline_a);
    k32_prog_free(k32_image_path_w);
    k32_prog_free(k32_image_path_a);
    k32_cmdline_w = NULL;
    k32_cmdline_a = NULL;
    k32_image_path_w = NULL;
    k32_image_path_a = NULL;
}
