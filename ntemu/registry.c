/* SPDX-License-Identifier: MIT */
/* The registry: \Registry\Machine and \Registry\User\<sid> as one tree of keys and values, the
 * NT key calls over it, and its persistence per C: drive.
 *
 * The tree lives in memory and in one text file, <C:>\windows\system32\config\registry.txt
 * (the folder where Windows keeps its hives). Every change is written at once: under an
 * exclusive flock(2) of registry.lock beside it, the process reloads the file when another
 * process replaced it, applies the change, writes the whole tree to a temporary file, fsyncs it
 * and renames it over registry.txt. A reader never sees a torn file and a crash in the middle
 * leaves the previous version. Before every call the file's identity (device, inode, size,
 * mtime) is compared with the one loaded, so `reg add` in one process is seen by the next call
 * of another. Without the file (a new C: drive) the tree is the seed below, written with the
 * first change. The values that describe the running Windows (CurrentVersion: ProductName,
 * CurrentBuild, ...) are set again at every load, so they follow --windows-build.
 *
 * Key names keep their case and are compared case-insensitively (Windows upper-casing);
 * subkeys are kept sorted (the order NtEnumerateKey gives, as hives do), values in the order
 * they were created. A handle names its key by path: a key deleted by another handle or
 * process gives STATUS_KEY_DELETED (so does a handle below a key another handle renamed).
 *
 * Symbolic links: a key created with REG_OPTION_CREATE_LINK takes one value,
 * SymbolicLinkValue of type REG_LINK, the absolute name of its target (\Registry\...); a path
 * through it continues at the target, for every component but a last one opened with
 * OBJ_OPENLINK (which opens the link itself). The seeded CurrentControlSet is a plain key.
 * Wow6432Node redirection of 64-bit programs' KEY_WOW64_32KEY is advapi32's (as on Windows,
 * the NT calls of a 64-bit process do not redirect). Not done: security descriptors,
 * transactions.
 *
 * Volatile keys (REG_OPTION_VOLATILE; their subkeys must be volatile too, else
 * STATUS_CHILD_MUST_BE_VOLATILE) are not written to registry.txt but to
 * registry.volatile.txt beside it (same format), rewritten with it at every change so other
 * processes see them. They last as long as the "session": the ntrun processes that use this
 * C: drive's registry, each holding a shared flock of registry.session from its first
 * registry call to its exit. A process that finds no other holder (an exclusive flock succeeds)
 * starts a new session and deletes registry.volatile.txt, as a reboot empties Windows' volatile
 * keys.
 *
 * Change notification: a change this process makes completes the watches on the key (and on
 * its ancestors watching the tree) at once. Changes of other processes arrive as a new
 * registry.txt: while any watch is pending, a thread waits on inotify for it, reloads, and
 * completes each watch whose key's digest (XXH3 of the subkey names for
 * REG_NOTIFY_CHANGE_NAME, of the values for REG_NOTIFY_CHANGE_LAST_SET, the whole subtree
 * for a tree watch) differs from the one taken when the watch was set.
 *
 * File format (UTF-8 text, one record a line, parents before children):
 *   NTRUN-REGISTRY 1
 *   K <last write time, 100 ns since 1601> <path below \Registry, components joined by \>
 *   C <class name>                                    (optional, after its K)
 *   L 1                                               (the key is a symbolic link)
 *   V <type> <data in hex, "-" when empty> <value name, the rest of the line>
 * Names escape %, control characters and lone surrogates as %XX or %uXXXX. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#define XXH_INLINE_ALL /* Debian's libxxhash-dev, header-only: no library to link */
#include <xxhash.h>
#include "ntemu/ntemu_private.h"

#define REG_NONE 0
#define REG_SZ 1
#define REG_EXPAND_SZ 2
#define REG_BINARY 3
#define REG_DWORD 4
#define REG_LINK 6
#define REG_MULTI_SZ 7
#define REG_QWORD 11

#define KEY_QUERY_VALUE 0x0001
#define KEY_SET_VALUE 0x0002
#define KEY_CREATE_SUB_KEY 0x0004
#define KEY_ENUMERATE_SUB_KEYS 0x0008
#define KEY_NOTIFY 0x0010
#define KEY_CREATE_LINK 0x0020
#define NT_DELETE 0x00010000
#define NT_READ_CONTROL 0x00020000
#define NT_MAXIMUM_ALLOWED 0x02000000
#define NT_GENERIC_READ 0x80000000u
#define NT_GENERIC_WRITE 0x40000000u
#define NT_GENERIC_EXECUTE 0x20000000u
#define NT_GENERIC_ALL 0x10000000u
#define KEY_READ 0x20019
#define KEY_WRITE 0x20006
#define KEY_ALL_ACCESS 0xF003F

#define REG_OPTION_CREATE_LINK 0x2
#define REG_OPTION_VOLATILE 0x1
#ifndef STATUS_REGISTRY_CORRUPT
#define STATUS_REGISTRY_CORRUPT ((NTSTATUS)0xC000014C)
#endif
#ifndef STATUS_CHILD_MUST_BE_VOLATILE
#define STATUS_CHILD_MUST_BE_VOLATILE ((NTSTATUS)0xC0000181)
#endif
#define STATUS_PRIVILEGE_NOT_HELD ((NTSTATUS)0xC0000061)
#define NT_OBJ_OPENLINK 0x100
#define REG_MAX_LINKS 16 /* links followed in one path */

#define REG_CREATED_NEW_KEY 1
#define REG_OPENED_EXISTING_KEY 2

#define NT_STATUS_NO_MORE_ENTRIES ((NTSTATUS)0x8000001A)
#define NT_STATUS_KEY_DELETED ((NTSTATUS)0xC000017C)
#define NT_STATUS_NOTIFY_CLEANUP ((NTSTATUS)0x0000010B)
#define NT_STATUS_NOTIFY_ENUM_DIR ((NTSTATUS)0x0000010C)

#define REG_MAX_KEY_NAME 255    /* characters of one key name */
#define REG_MAX_VALUE_NAME 16383

/* ---- the tree ---- */
typedef struct reg_value {
    WCHAR *name;
    size_t name_len;
    uint32_t type;
    uint8_t *data;
    uint32_t size;
} reg_value;

typedef struct reg_key {
    WCHAR *name;
    size_t name_len;
    struct reg_key *parent;
    struct reg_key **sub; /* sorted, case-insensitively */
    size_t nsub, capsub;
    reg_value *val;       /* creation order */
    size_t nval, capval;
    WCHAR *cls;
    size_t cls_len;
    int64_t mtime;
    bool link; /* created with REG_OPTION_CREATE_LINK */
    bool volatile_; /* created with REG_OPTION_VOLATILE: in registry.volatile.txt only */
    char *hive_file; /* a hive loaded here by NtLoadKey: its Linux path (the subtree lives there) */
    bool app_root;   /* \Registry\A: this process's application hives, shared with no other */
    uint32_t app_handles;         /* an application hive's root: open key handles inside it */
    struct nt_share *app_share;   /* an application hive's root: its file held, sharing nothing */
} reg_key;

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static reg_key *reg_root;      /* \REGISTRY */
static char *reg_dir;          /* the config folder of the C: drive the tree belongs to */
static struct {
    bool exists;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    uint64_t hash; /* XXH3 of the text loaded or written */
} reg_id;
static bool reg_warned;
static int reg_session_fd = -1; /* registry.session, flock'd shared while this process runs */
static void watches_recheck_locked(void); /* pending watches after a reload */

static int64_t reg_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return nt_time_from_timespec(&ts);
}

static WCHAR *wdup(const WCHAR *s, size_t n)
{
    WCHAR *d = malloc((n + 1) * sizeof *d);
    if (d) {
        if (n)
            memcpy(d, s, n * sizeof *d);
        d[n] = 0;
    }
    return d;
}

static void key_free(reg_key *k)
{
    if (!k)
        return;
    free(k->hive_file);
    if (k->app_share)
        nt_share_remove(k->app_share);
    for (size_t i = 0; i < k->nsub; i++)
        key_free(k->sub[i]);
    for (size_t i = 0; i < k->nval; i++) {
        free(k->val[i].name);
        free(k->val[i].data);
    }
    free(k->sub);
    free(k->val);
    free(k->name);
    free(k->cls);
    free(k);
}

static reg_key *key_new(const WCHAR *name, size_t len)
{
    reg_key *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    k->name = wdup(name, len);
    if (!k->name) {
        free(k);
        return NULL;
    }
    k->name_len = len;
    k->mtime = reg_now();
    return k;
}

/* Index of the subkey `name`, or -(insertion point) - 1. */
static ptrdiff_t key_find_sub(const reg_key *k, const WCHAR *name, size_t len)
{
    size_t lo = 0, hi = k->nsub;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = nt_wcsicmp_n(k->sub[mid]->name, k->sub[mid]->name_len, name, len);
        if (c == 0)
            return (ptrdiff_t)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -(ptrdiff_t)lo - 1;
}

static reg_key *key_child(const reg_key *k, const WCHAR *name, size_t len)
{
    ptrdiff_t i = key_find_sub(k, name, len);
    return i >= 0 ? k->sub[i] : NULL;
}

/* The subkey `name`, created when missing (*created set). NULL when out of memory. */
static reg_key *key_add_sub(reg_key *k, const WCHAR *name, size_t len, bool *created)
{
    ptrdiff_t i = key_find_sub(k, name, len);
    if (created)
        *created = false;
    if (i >= 0)
        return k->sub[i];
    size_t at = (size_t)(-i - 1);
    if (k->nsub == k->capsub) {
        size_t cap = k->capsub ? k->capsub * 2 : 4;
        reg_key **v = realloc(k->sub, cap * sizeof *v);
        if (!v)
            return NULL;
        k->sub = v;
        k->capsub = cap;
    }
    reg_key *c = key_new(name, len);
    if (!c)
        return NULL;
    c->parent = k;
    memmove(&k->sub[at + 1], &k->sub[at], (k->nsub - at) * sizeof *k->sub);
    k->sub[at] = c;
    k->nsub++;
    if (created)
        *created = true;
    return c;
}

static void key_remove_sub(reg_key *k, reg_key *c)
{
    for (size_t i = 0; i < k->nsub; i++) {
        if (k->sub[i] == c) {
            memmove(&k->sub[i], &k->sub[i + 1], (k->nsub - i - 1) * sizeof *k->sub);
            k->nsub--;
            key_free(c);
            return;
        }
    }
}

static reg_value *key_find_value(const reg_key *k, const WCHAR *name, size_t len)
{
    for (size_t i = 0; i < k->nval; i++)
        if (nt_wcsicmp_n(k->val[i].name, k->val[i].name_len, name, len) == 0)
            return &k->val[i];
    return NULL;
}

/* Sets (creates or replaces) a value; `data` is copied. */
static NTSTATUS key_set_value(reg_key *k, const WCHAR *name, size_t len, uint32_t type,
                              const void *data, uint32_t size)
{
    uint8_t *copy = NULL;
    if (size) {
        copy = malloc(size);
        if (!copy)
            return STATUS_NO_MEMORY;
        memcpy(copy, data, size);
    }
    reg_value *v = key_find_value(k, name, len);
    if (!v) {
        if (k->nval == k->capval) {
            size_t cap = k->capval ? k->capval * 2 : 4;
            reg_value *nv = realloc(k->val, cap * sizeof *nv);
            if (!nv) {
                free(copy);
                return STATUS_NO_MEMORY;
            }
            k->val = nv;
            k->capval = cap;
        }
        WCHAR *n = wdup(name, len);
        if (!n) {
            free(copy);
            return STATUS_NO_MEMORY;
        }
        v = &k->val[k->nval++];
        v->name = n;
        v->name_len = len;
    } else {
        free(v->data);
    }
    v->type = type;
    v->data = copy;
    v->size = size;
    return STATUS_SUCCESS;
}

static bool key_delete_value(reg_key *k, const WCHAR *name, size_t len)
{
    reg_value *v = key_find_value(k, name, len);
    if (!v)
        return false;
    size_t i = (size_t)(v - k->val);
    free(v->name);
    free(v->data);
    memmove(&k->val[i], &k->val[i + 1], (k->nval - i - 1) * sizeof *k->val);
    k->nval--;
    return true;
}

/* ---- paths: components of a path below \Registry ---- */
typedef struct {
    const WCHAR *s;
    size_t len;
} reg_comp;

/* Splits `p` at backslashes, skipping empty components. At most `max` components; returns
 * the count, or -1 when there are more or one is longer than a key name may be. */
static int split_path(const WCHAR *p, size_t len, reg_comp *out, int max)
{
    int n = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && p[i] == '\\')
            i++;
        size_t start = i;
        while (i < len && p[i] != '\\')
            i++;
        if (i == start)
            break;
        if (n == max || i - start > REG_MAX_KEY_NAME)
            return -1;
        out[n].s = p + start;
        out[n].len = i - start;
        n++;
    }
    return n;
}

#define REG_MAX_DEPTH 512

static reg_key *lookup_path(const WCHAR *p, size_t len)
{
    reg_comp c[REG_MAX_DEPTH];
    int n = split_path(p, len, c, REG_MAX_DEPTH);
    reg_key *k = reg_root;
    for (int i = 0; i < n && k; i++)
        k = key_child(k, c[i].s, c[i].len);
    return n < 0 ? NULL : k;
}

/* The path of `k` below \Registry (malloc'd), components joined by backslashes. */
static WCHAR *key_path(const reg_key *k, size_t *len)
{
    size_t n = 0;
    for (const reg_key *p = k; p && p != reg_root; p = p->parent)
        n += p->name_len + (n ? 1 : 0);
    WCHAR *s = malloc((n + 1) * sizeof *s);
    if (!s)
        return NULL;
    size_t at = n;
    s[n] = 0;
    for (const reg_key *p = k; p && p != reg_root; p = p->parent) {
        if (at != n)
            s[--at] = '\\';
        at -= p->name_len;
        memcpy(s + at, p->name, p->name_len * sizeof *s);
    }
    *len = n;
    return s;
}

/* ---- the file ---- */
static void esc_add(nt_sbuf *b, const WCHAR *s, size_t n)
{
    char tmp[16];
    for (size_t i = 0; i < n; i++) {
        uint32_t c = s[i];
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && s[i + 1] >= 0xdc00 && s[i + 1] <= 0xdfff) {
            uint32_t cp = 0x10000 + ((c - 0xd800) << 10) + (s[i + 1] - 0xdc00u);
            i++;
            tmp[0] = (char)(0xf0 | (cp >> 18));
            tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
            tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
            tmp[3] = (char)(0x80 | (cp & 0x3f));
            nt_sb_add(b, tmp, 4);
        } else if (c >= 0xd800 && c <= 0xdfff) {
            snprintf(tmp, sizeof tmp, "%%u%04X", c);
            nt_sb_adds(b, tmp);
        } else if (c < 0x20 || c == '%' || c == 0x7f) {
            snprintf(tmp, sizeof tmp, "%%%02X", c);
            nt_sb_adds(b, tmp);
        } else if (c < 0x80) {
            nt_sb_addc(b, (char)c);
        } else if (c < 0x800) {
            tmp[0] = (char)(0xc0 | (c >> 6));
            tmp[1] = (char)(0x80 | (c & 0x3f));
            nt_sb_add(b, tmp, 2);
        } else {
            tmp[0] = (char)(0xe0 | (c >> 12));
            tmp[1] = (char)(0x80 | ((c >> 6) & 0x3f));
            tmp[2] = (char)(0x80 | (c & 0x3f));
            nt_sb_add(b, tmp, 3);
        }
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes an escaped name (the rest of a line) into a malloc'd UTF-16 string. */
static WCHAR *unesc(const char *s, size_t n, size_t *out_len)
{
    WCHAR *w = malloc((n + 1) * sizeof *w);
    size_t k = 0;
    if (!w)
        return NULL;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%' && i + 5 < n + 0 && s[i + 1] == 'u') {
            uint32_t v = 0;
            for (int j = 0; j < 4; j++)
                v = v * 16 + (uint32_t)(hexval(s[i + 2 + j]) & 0xf);
            w[k++] = (WCHAR)v;
            i += 6;
        } else if (c == '%' && i + 2 < n + 1 && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            w[k++] = (WCHAR)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 3;
        } else {
            size_t len;
            /* one UTF-8 sequence */
            size_t seq = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
            if (i + seq > n)
                seq = n - i;
            WCHAR *part = nt_utf8_to_utf16(s + i, seq, &len);
            if (!part) {
                free(w);
                return NULL;
            }
            for (size_t j = 0; j < len; j++)
                w[k++] = part[j];
            free(part);
            i += seq;
        }
    }
    w[k] = 0;
    *out_len = k;
    return w;
}

/* What save_key writes: registry.txt (the persistent keys, not volatile ones nor loaded
 * hives), registry.volatile.txt (the volatile keys and an H record for each loaded hive), a
 * hive file (the subtree of `base`, paths relative to it, no volatile keys). */
typedef enum { SAVE_MAIN, SAVE_VOLATILE, SAVE_HIVE } save_mode;

static void save_key(nt_sbuf *b, const reg_key *k, save_mode mode, const reg_key *base)
{
    static const char hex[] = "0123456789abcdef";
    char tmp[48];
    if (k->volatile_ && mode != SAVE_VOLATILE)
        return;
    if (k->app_root) /* private to this process: other processes must not mount its hives */
        return;
    if (k->hive_file && mode == SAVE_MAIN)
        return;
    bool mount = k->hive_file && mode == SAVE_VOLATILE;
    bool emit = mode == SAVE_HIVE || (k != reg_root && (mode == SAVE_MAIN || k->volatile_ || mount));
    if (emit) {
        size_t plen;
        WCHAR *p = key_path(k, &plen);
        if (!p) {
            b->oom = true;
            return;
        }
        size_t skip = 0;
        if (mode == SAVE_HIVE) {
            size_t blen;
            WCHAR *bp = key_path(base, &blen);
            free(bp);
            skip = k == base ? plen : blen + 1;
        }
        snprintf(tmp, sizeof tmp, "K %lld ", (long long)k->mtime);
        nt_sb_adds(b, tmp);
        esc_add(b, p + skip, plen - skip);
        nt_sb_addc(b, '\n');
        free(p);
        if (mount) {
            nt_sb_adds(b, "H ");
            nt_sb_adds(b, k->hive_file);
            nt_sb_addc(b, '\n');
            return;
        }
        if (k->cls) {
            nt_sb_adds(b, "C ");
            esc_add(b, k->cls, k->cls_len);
            nt_sb_addc(b, '\n');
        }
        if (k->link)
            nt_sb_adds(b, "L 1\n");
        for (size_t i = 0; i < k->nval; i++) {
            const reg_value *v = &k->val[i];
            snprintf(tmp, sizeof tmp, "V %u ", v->type);
            nt_sb_adds(b, tmp);
            if (!v->size)
                nt_sb_addc(b, '-');
            for (uint32_t j = 0; j < v->size; j++) {
                char h[2] = {hex[v->data[j] >> 4], hex[v->data[j] & 15]};
                nt_sb_add(b, h, 2);
            }
            nt_sb_addc(b, ' ');
            esc_add(b, v->name, v->name_len);
            nt_sb_addc(b, '\n');
        }
    }
    for (size_t i = 0; i < k->nsub; i++)
        save_key(b, k->sub[i], mode, base);
}

static char *reg_file_path(const char *name)
{
    size_t n = strlen(reg_dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", reg_dir, name);
    return p;
}

static bool load_hive(reg_key *k, const char *file);

/* Parses a file's text into `root` (the keys of registry.volatile.txt marked volatile, a hive
 * file's relative to root); false when it is not such a file. */
static bool parse_into(reg_key *root, const char *text, size_t size, save_mode mode)
{
    bool volatile_ = mode == SAVE_VOLATILE;
    reg_key *cur = NULL;
    const char *p = text, *end = text + size;
    const char *nl = memchr(p, '\n', size);
    if (!nl || strncmp(p, mode == SAVE_HIVE ? "NTRUN-HIVE 1" : "NTRUN-REGISTRY 1",
                       mode == SAVE_HIVE ? 12 : 16) != 0)
        return false;
    p = nl + 1;
    for (; p < end; p = nl + 1) {
        nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            nl = end;
        size_t n = (size_t)(nl - p);
        if (n < 2 || p[1] != ' ')
            continue;
        if (p[0] == 'K') {
            char *after;
            long long t = strtoll(p + 2, &after, 10);
            if (after >= nl || *after != ' ')
                return false;
            size_t plen;
            WCHAR *path = unesc(after + 1, (size_t)(nl - after - 1), &plen);
            if (!path)
                return false;
            reg_comp c[REG_MAX_DEPTH];
            int nc = split_path(path, plen, c, REG_MAX_DEPTH);
            cur = nc > 0 || (nc == 0 && mode == SAVE_HIVE) ? root : NULL;
            for (int i = 0; i < nc && cur; i++)
                cur = key_add_sub(cur, c[i].s, c[i].len, NULL);
            free(path);
            if (!cur)
                return false;
            cur->mtime = t;
            cur->volatile_ = volatile_;
        } else if (p[0] == 'L' && cur) {
            cur->link = true;
        } else if (p[0] == 'H' && cur && volatile_) { /* a loaded hive */
            char *file = strndup(p + 2, n - 2);
            if (file && load_hive(cur, file)) {
                cur->volatile_ = false;
                free(cur->hive_file);
                cur->hive_file = file;
            } else {
                free(file); /* the file is gone: so is the key, with the session */
            }
        } else if (p[0] == 'C' && cur) {
            free(cur->cls);
            cur->cls = unesc(p + 2, n - 2, &cur->cls_len);
        } else if (p[0] == 'V' && cur) {
            char *after;
            unsigned long type = strtoul(p + 2, &after, 10);
            if (after >= nl || *after != ' ')
                return false;
            const char *h = after + 1;
            const char *sp = memchr(h, ' ', (size_t)(nl - h));
            if (!sp)
                return false;
            size_t hl = (size_t)(sp - h);
            uint8_t *data = NULL;
            uint32_t dsize = 0;
            if (!(hl == 1 && *h == '-')) {
                if (hl % 2)
                    return false;
                dsize = (uint32_t)(hl / 2);
                data = malloc(dsize ? dsize : 1);
                if (!data)
                    return false;
                for (uint32_t i = 0; i < dsize; i++) {
                    int hi = hexval(h[2 * i]), lo = hexval(h[2 * i + 1]);
                    if (hi < 0 || lo < 0) {
                        free(data);
                        return false;
                    }
                    data[i] = (uint8_t)(hi * 16 + lo);
                }
            }
            size_t nlen;
            WCHAR *name = unesc(sp + 1, (size_t)(nl - sp - 1), &nlen);
            NTSTATUS st = name ? key_set_value(cur, name, nlen, (uint32_t)type, data, dsize)
                               : STATUS_NO_MEMORY;
            free(name);
            free(data);
            if (st != STATUS_SUCCESS)
                return false;
        }
    }
    return true;
}

/* Parses the file's text into a new tree; NULL when it is not a registry file. */
static reg_key *parse_tree(const char *text, size_t size)
{
    reg_key *root = key_new(u"REGISTRY", 8);
    if (root && !parse_into(root, text, size, SAVE_MAIN)) {
        key_free(root);
        return NULL;
    }
    return root;
}

/* Reads a whole file (malloc'd, *size set); NULL when it cannot. */
static char *read_all(int fd, size_t *size)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return NULL;
    char *text = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (text && got < (size_t)st.st_size) {
        ssize_t r = read(fd, text + got, (size_t)st.st_size - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    *size = got;
    return text;
}

/* The volatile keys of the session into root (a damaged or missing file: none). */
/* The volatile keys into root; false when the file read is not the one whose digest registry.txt
 * names (`want`, 0: none named): a writer replaced it between our reads of the two files. */
static bool load_volatile(reg_key *root, uint64_t want)
{
    char *file = reg_file_path("registry.volatile.txt");
    int fd = file ? open(file, O_RDONLY | O_CLOEXEC) : -1;
    free(file);
    if (fd < 0)
        return true; /* none this session */
    size_t size;
    char *text = read_all(fd, &size);
    close(fd);
    bool same = !text || !want || XXH3_64bits(text, size) == want;
    if (text)
        parse_into(root, text, size, SAVE_VOLATILE);
    free(text);
    return same;
}

/* A hive file's keys and values into k; false when it cannot be read or is no hive. */
static bool load_hive(reg_key *k, const char *file)
{
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    size_t size;
    char *text = read_all(fd, &size);
    close(fd);
    bool ok = text && parse_into(k, text, size, SAVE_HIVE);
    free(text);
    return ok;
}

/* ---- the seed: keys and values Windows programs read ---- */
static reg_key *seed_key(reg_key *root, const char *path)
{
    size_t len;
    WCHAR *w = nt_utf8_to_utf16(path, strlen(path), &len);
    if (!w)
        return NULL;
    reg_comp c[32];
    int n = split_path(w, len, c, 32);
    reg_key *k = n > 0 ? root : NULL;
    for (int i = 0; i < n && k; i++)
        k = key_add_sub(k, c[i].s, c[i].len, NULL);
    free(w);
    return k;
}

/* always: replace the value even when it exists (it describes the running system). */
static void seed_sz(reg_key *k, const char *name, uint32_t type, const char *value, bool always)
{
    size_t nlen, vlen;
    if (!k)
        return;
    WCHAR *n = nt_utf8_to_utf16(name, strlen(name), &nlen);
    WCHAR *v = nt_utf8_to_utf16(value, strlen(value), &vlen);
    if (n && v && (always || !key_find_value(k, n, nlen)))
        key_set_value(k, n, nlen, type, v, (uint32_t)((vlen + 1) * sizeof *v));
    free(n);
    free(v);
}

static void seed_bin(reg_key *k, const char *name, uint32_t type, const void *data, uint32_t size,
                     bool always)
{
    size_t nlen;
    if (!k)
        return;
    WCHAR *n = nt_utf8_to_utf16(name, strlen(name), &nlen);
    if (n && (always || !key_find_value(k, n, nlen)))
        key_set_value(k, n, nlen, type, data, size);
    free(n);
}

static void seed_dword(reg_key *k, const char *name, uint32_t v, bool always)
{
    seed_bin(k, name, REG_DWORD, &v, sizeof v, always);
}

/* The user's profile folder and name, as kernel32 and secur32 name them. */
static void seed_user(reg_key *root, const char *sid)
{
    char path[256], user[128] = "user";
    struct passwd pw, *res = NULL;
    char pwbuf[1024];
    if (getpwuid_r(getuid(), &pw, pwbuf, sizeof pwbuf, &res) == 0 && res)
        snprintf(user, sizeof user, "%s", res->pw_name);
    else if (getenv("USER"))
        snprintf(user, sizeof user, "%s", getenv("USER"));
    snprintf(path, sizeof path, "USER\\%s", sid);
    reg_key *u = seed_key(root, path);
    snprintf(path, sizeof path, "USER\\%s\\Software\\Classes", sid);
    seed_key(root, path);
    snprintf(path, sizeof path, "USER\\%s\\Software\\Microsoft\\Windows\\CurrentVersion", sid);
    seed_key(root, path);
    snprintf(path, sizeof path, "USER\\%s\\Control Panel\\International", sid);
    reg_key *intl = seed_key(root, path);
    seed_sz(intl, "LocaleName", REG_SZ, "en-US", false);
    seed_sz(intl, "sDecimal", REG_SZ, ".", false);
    seed_sz(intl, "sThousand", REG_SZ, ",", false);
    seed_sz(intl, "sShortDate", REG_SZ, "M/d/yyyy", false);
    snprintf(path, sizeof path, "USER\\%s\\Environment", sid);
    reg_key *env = seed_key(root, path);
    seed_sz(env, "TEMP", REG_EXPAND_SZ, "%USERPROFILE%\\AppData\\Local\\Temp", false);
    seed_sz(env, "TMP", REG_EXPAND_SZ, "%USERPROFILE%\\AppData\\Local\\Temp", false);
    snprintf(path, sizeof path, "USER\\%s\\Volatile Environment", sid);
    reg_key *vol = seed_key(root, path);
    char prof[300];
    snprintf(prof, sizeof prof, "\\Users\\%s", user);
    seed_sz(vol, "HOMEDRIVE", REG_SZ, "C:", false);
    seed_sz(vol, "HOMEPATH", REG_SZ, prof, false);
    seed_sz(vol, "USERNAME", REG_SZ, user, false);
    snprintf(prof, sizeof prof, "C:\\Users\\%s", user);
    seed_sz(vol, "USERPROFILE", REG_SZ, prof, false);
    snprintf(prof, sizeof prof, "C:\\Users\\%s\\AppData\\Roaming", user);
    seed_sz(vol, "APPDATA", REG_SZ, prof, false);
    snprintf(prof, sizeof prof, "C:\\Users\\%s\\AppData\\Local", user);
    seed_sz(vol, "LOCALAPPDATA", REG_SZ, prof, false);
    (void)u;
}

/* seed_key of prefix\path */
static reg_key *seed_sw(reg_key *root, const char *prefix, const char *path)
{
    char full[256];
    snprintf(full, sizeof full, "%s\\%s", prefix, path);
    return seed_key(root, full);
}

/* What HKLM\HARDWARE\DESCRIPTION\System\CentralProcessor\N says of the processors, read
 * once from /proc/cpuinfo (the first processor's lines: ntrun presents one kind of processor)
 * and /sys/devices/system/cpu/cpu0/cpufreq. */
static struct {
    char name[128], vendor[32], ident[96];
    uint32_t mhz;
    unsigned count;
} seed_cpu;

static void seed_cpu_read(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN); /* SystemBasicInformation's count (ntemu/info.c) */
    seed_cpu.count = n > 0 ? (unsigned)n : 1;
    unsigned family = 0, model = 0, stepping = 0;
    double cur_mhz = 0;
    char line[512];
    FILE *f = fopen("/proc/cpuinfo", "re");
    while (f && fgets(line, sizeof line, f)) {
        if (line[0] == '\n')
            break; /* the first processor's block only */
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        char *v = colon + 1 + (colon[1] == ' ');
        v[strcspn(v, "\n")] = 0;
        size_t klen = (size_t)(colon - line);
        while (klen && (line[klen - 1] == ' ' || line[klen - 1] == '\t'))
            klen--;
        line[klen] = 0;
        if (!strcmp(line, "model name"))
            snprintf(seed_cpu.name, sizeof seed_cpu.name, "%s", v);
        else if (!strcmp(line, "vendor_id"))
            snprintf(seed_cpu.vendor, sizeof seed_cpu.vendor, "%s", v);
        else if (!strcmp(line, "cpu family"))
            family = (unsigned)strtoul(v, NULL, 10);
        else if (!strcmp(line, "model"))
            model = (unsigned)strtoul(v, NULL, 10);
        else if (!strcmp(line, "stepping"))
            stepping = (unsigned)strtoul(v, NULL, 10);
        else if (!strcmp(line, "cpu MHz"))
            cur_mhz = strtod(v, NULL);
    }
    if (f)
        fclose(f);
    /* Windows' Identifier: "Intel64 Family 6 Model 158 Stepping 10", "AMD64 Family ..." */
    snprintf(seed_cpu.ident, sizeof seed_cpu.ident, "%s Family %u Model %u Stepping %u",
             !strcmp(seed_cpu.vendor, "GenuineIntel") ? "Intel64" : "AMD64", family, model,
             stepping);
    /* ~MHz: the nominal clock, as Windows measures it at boot: cpufreq's base frequency or
     * maximum (kHz) when the kernel has them, else cpuinfo's (a virtual machine's) */
    static const char *const freq[] = {"base_frequency", "cpuinfo_max_freq"};
    for (size_t i = 0; i < 2 && !seed_cpu.mhz; i++) {
        char path[96];
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cpufreq/%s", freq[i]);
        FILE *q = fopen(path, "re");
        unsigned long khz = 0;
        if (q && fscanf(q, "%lu", &khz) == 1)
            seed_cpu.mhz = (uint32_t)((khz + 500) / 1000);
        if (q)
            fclose(q);
    }
    if (!seed_cpu.mhz && cur_mhz > 0)
        seed_cpu.mhz = (uint32_t)(cur_mhz + 0.5);
}

/* HKLM\HARDWARE\DESCRIPTION\System\CentralProcessor\N for each processor: ~MHz,
 * ProcessorNameString, Identifier, VendorIdentifier (libuv's uv_cpu_info, Node.js's os.cpus()
 * read the first two). Set at every load: they describe the running machine. */
static void seed_cpus(reg_key *root)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, seed_cpu_read);
    for (unsigned i = 0; i < seed_cpu.count; i++) {
        char path[96];
        snprintf(path, sizeof path, "MACHINE\\HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\%u", i);
        reg_key *k = seed_key(root, path);
        seed_dword(k, "~MHz", seed_cpu.mhz, true);
        seed_sz(k, "ProcessorNameString", REG_SZ, seed_cpu.name, true);
        seed_sz(k, "Identifier", REG_SZ, seed_cpu.ident, true);
        seed_sz(k, "VendorIdentifier", REG_SZ, seed_cpu.vendor, true);
    }
}

static void seed_tree(reg_key *root)
{
    bool w11 = nt_syscalls_build() == 11;
    reg_key *k;
    seed_cpus(root);
    seed_key(root, "MACHINE\\SAM");
    seed_key(root, "MACHINE\\SECURITY");
    seed_key(root, "MACHINE\\SOFTWARE\\Classes");
    seed_key(root, "MACHINE\\SOFTWARE\\Policies");
    seed_key(root, "MACHINE\\SYSTEM\\CurrentControlSet\\Services");
    seed_key(root, "MACHINE\\SYSTEM\\CurrentControlSet\\Hardware Profiles\\Current");
    seed_key(root, "USER\\.DEFAULT");
    seed_key(root, "USER\\S-1-5-18");

    /* the 64-bit view and the 32-bit one (Wow6432Node) that KEY_WOW64_32KEY opens */
    for (int w32 = 0; w32 < 2; w32++) {
        const char *sw = w32 ? "MACHINE\\SOFTWARE\\Wow6432Node" : "MACHINE\\SOFTWARE";
        k = seed_sw(root, sw, "Microsoft\\Windows NT\\CurrentVersion");
        seed_sz(k, "ProductName", REG_SZ, "Windows 10 Pro", true); /* also on Windows 11 */
        seed_sz(k, "EditionID", REG_SZ, "Professional", true);
        seed_sz(k, "InstallationType", REG_SZ, "Client", true);
        seed_sz(k, "CurrentVersion", REG_SZ, "6.3", true);
        seed_sz(k, "CurrentBuild", REG_SZ, w11 ? "26100" : "19045", true);
        seed_sz(k, "CurrentBuildNumber", REG_SZ, w11 ? "26100" : "19045", true);
        seed_sz(k, "DisplayVersion", REG_SZ, w11 ? "24H2" : "22H2", true);
        seed_sz(k, "ReleaseId", REG_SZ, "2009", true);
        seed_dword(k, "CurrentMajorVersionNumber", 10, true);
        seed_dword(k, "CurrentMinorVersionNumber", 0, true);
        seed_dword(k, "UBR", w11 ? 2314 : 5131, true);
        seed_sz(k, "BuildLab", REG_SZ,
                w11 ? "26100.ge_release.240331-1435" : "19041.vb_release.191206-1406", true);
        seed_sz(k, "SystemRoot", REG_SZ, "C:\\windows", true);
        seed_sz(k, "PathName", REG_SZ, "C:\\windows", true);
        seed_sz(k, "RegisteredOwner", REG_SZ, "user", false);
        seed_sz(k, "RegisteredOrganization", REG_SZ, "", false);
        seed_sw(root, sw, "Microsoft\\Windows NT\\CurrentVersion\\Fonts");
        seed_sw(root, sw, "Microsoft\\Windows NT\\CurrentVersion\\Time Zones");

        k = seed_sw(root, sw, "Microsoft\\Windows\\CurrentVersion");
        seed_sz(k, "ProgramFilesDir", REG_SZ,
                w32 ? "C:\\Program Files (x86)" : "C:\\Program Files", false);
        seed_sz(k, "CommonFilesDir", REG_SZ,
                w32 ? "C:\\Program Files (x86)\\Common Files"
                    : "C:\\Program Files\\Common Files",
                false);
        seed_sz(k, "ProgramFilesDir (x86)", REG_SZ, "C:\\Program Files (x86)", false);
        seed_sz(k, "ProgramW6432Dir", REG_SZ, "C:\\Program Files", false);
        seed_sw(root, sw, "Microsoft\\Windows\\CurrentVersion\\Uninstall");
        seed_sw(root, sw, "Microsoft\\Cryptography");
    }

    k = seed_key(root, "MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage");
    seed_sz(k, "ACP", REG_SZ, "65001", true); /* ntrun's ANSI code page is UTF-8 */
    seed_sz(k, "OEMCP", REG_SZ, "437", true);
    seed_sz(k, "MACCP", REG_SZ, "10000", true);
    k = seed_key(root, "MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Nls\\Language");
    seed_sz(k, "Default", REG_SZ, "0409", false);
    seed_sz(k, "InstallLanguage", REG_SZ, "0409", false);
    k = seed_key(root, "MACHINE\\SYSTEM\\CurrentControlSet\\Control\\FileSystem");
    seed_dword(k, "LongPathsEnabled", 1, false);
    k = seed_key(root, "MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment");
    seed_sz(k, "ComSpec", REG_EXPAND_SZ, "%SystemRoot%\\system32\\cmd.exe", false);
    seed_sz(k, "OS", REG_SZ, "Windows_NT", false);
    seed_sz(k, "PATHEXT", REG_SZ, ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC", false);
    seed_sz(k, "PROCESSOR_ARCHITECTURE", REG_SZ, "AMD64", false);
    seed_sz(k, "TEMP", REG_EXPAND_SZ, "%SystemRoot%\\TEMP", false);
    seed_sz(k, "TMP", REG_EXPAND_SZ, "%SystemRoot%\\TEMP", false);
    seed_sz(k, "windir", REG_EXPAND_SZ, "%SystemRoot%", false);

    /* UTC, the zone ntrun's GetTimeZoneInformation reports when TZ says nothing else */
    k = seed_key(root, "MACHINE\\SYSTEM\\CurrentControlSet\\Control\\TimeZoneInformation");
    seed_dword(k, "Bias", 0, false);
    seed_dword(k, "ActiveTimeBias", 0, false);
    seed_dword(k, "StandardBias", 0, false);
    seed_dword(k, "DaylightBias", 0, false);
    seed_sz(k, "StandardName", REG_SZ, "Coordinated Universal Time", false);
    seed_sz(k, "DaylightName", REG_SZ, "Coordinated Universal Time", false);
    seed_sz(k, "TimeZoneKeyName", REG_SZ, "UTC", false);
    uint8_t zero[16] = {0};
    seed_bin(k, "StandardStart", REG_BINARY, zero, sizeof zero, false);
    seed_bin(k, "DaylightStart", REG_BINARY, zero, sizeof zero, false);
    seed_dword(k, "DynamicDaylightTimeDisabled", 0, false);

    k = seed_key(root, "MACHINE\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName");
    (void)k;

    char sid[96];
    nt_token_user_sid_string(sid, sizeof sid);
    seed_user(root, sid);
}

/* ---- loading and saving ---- */
static void reg_forget_locked(void)
{
    if (reg_session_fd >= 0)
        close(reg_session_fd);
    reg_session_fd = -1;
    key_free(reg_root);
    reg_root = NULL;
    free(reg_dir);
    reg_dir = NULL;
    memset(&reg_id, 0, sizeof reg_id);
}

/* Under reg_lock, once per C: drive: joins the session of the processes using its registry,
 * starting a new one (no volatile keys) when there is none. */
static void reg_session_join_locked(void)
{
    if (reg_session_fd >= 0)
        return;
    nt_make_dirs(reg_dir);
    char *file = reg_file_path("registry.session");
    int fd = file ? open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0644) : -1;
    free(file);
    if (fd < 0)
        return; /* a read-only drive: nothing volatile can be written either */
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
        char *vol = reg_file_path("registry.volatile.txt");
        if (vol)
            unlink(vol);
        free(vol);
        memset(&reg_id, 0, sizeof reg_id); /* read the tree again, without them */
    }
    while (flock(fd, LOCK_SH) != 0 && errno == EINTR)
        ;
    reg_session_fd = fd;
}

/* The config folder of the current C: drive (malloc'd). */
static char *current_dir(void)
{
    const char *c = nt_path_get_drive('C');
    if (!c)
        return NULL;
    size_t n = strlen(c) + sizeof "/windows/system32/config";
    char *d = malloc(n);
    if (d)
        snprintf(d, n, "%s/windows/system32/config", c);
    return d;
}

static bool same_id(const struct stat *st)
{
    return reg_id.exists && reg_id.dev == st->st_dev && reg_id.ino == st->st_ino &&
           reg_id.size == st->st_size && reg_id.mtime.tv_sec == st->st_mtim.tv_sec &&
           reg_id.mtime.tv_nsec == st->st_mtim.tv_nsec;
}

static void set_id(const struct stat *st)
{
    reg_id.exists = st != NULL;
    if (!st)
        return;
    reg_id.dev = st->st_dev;
    reg_id.ino = st->st_ino;
    reg_id.size = st->st_size;
    reg_id.mtime = st->st_mtim;
}

/* Under reg_lock: makes the tree the current C: drive's latest. The file's identity decides
 * whether to read it; `exact` (a writer holding the lock) reads it anyway and compares its
 * digest, as a replaced file may show the same identity (an inode number reused, the same
 * size, a modification time within the file system's clock tick). */
static NTSTATUS reg_sync_exact_locked(bool exact);
static NTSTATUS reg_sync_locked(void) { return reg_sync_exact_locked(false); }

/* A tree read anew keeps this process's application hives (\Registry\A, in no file other
 * processes read): the old tree's node moves to the new root. */
static void carry_app_hives(reg_key *from, reg_key *to)
{
    for (size_t i = 0; from && i < from->nsub; i++) {
        reg_key *a = from->sub[i];
        if (!a->app_root)
            continue;
        reg_key *stale = key_child(to, a->name, a->name_len);
        if (stale)
            key_remove_sub(to, stale);
        reg_key *slot = key_add_sub(to, a->name, a->name_len, NULL);
        if (!slot)
            return; /* out of memory: the application hives go with the old tree */
        for (size_t j = 0; j < to->nsub; j++)
            if (to->sub[j] == slot)
                to->sub[j] = a;
        key_free(slot);
        a->parent = to;
        memmove(&from->sub[i], &from->sub[i + 1], (from->nsub - i - 1) * sizeof *from->sub);
        from->nsub--;
        return;
    }
}

/* Under reg_lock: makes the tree the current C: drive's latest. */
static NTSTATUS reg_sync_exact_locked(bool exact)
{
    char *dir = current_dir();
    if (!dir)
        return STATUS_NO_MEMORY;
    if (!reg_dir || strcmp(dir, reg_dir) != 0) {
        reg_forget_locked();
        reg_dir = dir;
    } else {
        free(dir);
    }
    reg_session_join_locked();
    char *file = reg_file_path("registry.txt");
    if (!file)
        return STATUS_NO_MEMORY;
    struct stat st;
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    free(file);
    if (fd < 0) {
        if (reg_root && !reg_id.exists)
            return STATUS_SUCCESS; /* still the seed */
        reg_key *root = key_new(u"REGISTRY", 8);
        if (!root)
            return STATUS_NO_MEMORY;
        seed_tree(root);
        carry_app_hives(reg_root, root);
        key_free(reg_root);
        reg_root = root;
        set_id(NULL);
        watches_recheck_locked();
        return STATUS_SUCCESS;
    }
    if (fstat(fd, &st) != 0 || (reg_root && !exact && same_id(&st))) {
        close(fd);
        return STATUS_SUCCESS;
    }
    char *text = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (text && got < (size_t)st.st_size) {
        ssize_t r = read(fd, text + got, (size_t)st.st_size - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (!text)
        return STATUS_NO_MEMORY;
    uint64_t hash = XXH3_64bits(text, got);
    if (reg_root && reg_id.exists && hash == reg_id.hash) {
        free(text); /* the same text: only its identity changed */
        set_id(&st);
        return STATUS_SUCCESS;
    }
    reg_key *root = parse_tree(text, got);
    unsigned long long want = 0;
    const char *dl = memmem(text, got < 128 ? got : 128, "\n# volatile ", 12);
    if (dl)
        sscanf(dl + 12, "%16llx", &want);
    free(text);
    if (!root) {
        if (!reg_warned) {
            reg_warned = true;
            rt_message("the registry file in %s is damaged; starting from the default", reg_dir);
        }
        root = key_new(u"REGISTRY", 8);
        if (!root)
            return STATUS_NO_MEMORY;
    }
    bool matched = load_volatile(root, want);
    seed_tree(root);
    carry_app_hives(reg_root, root);
    key_free(reg_root);
    reg_root = root;
    set_id(&st);
    reg_id.hash = hash;
    if (!matched) {
        /* registry.txt and registry.volatile.txt of two different writes (a lock-free reader
         * between a writer's two renames): forget the identity and the digest, so the next
         * call reads both again instead of taking this tree for registry.txt's, and a writer
         * does not write stale volatile keys (a hive's mount) back. */
        memset(&reg_id, 0, sizeof reg_id);
        reg_id.exists = true;
    }
    watches_recheck_locked();
    return STATUS_SUCCESS;
}

/* Under reg_lock: takes the cross-process lock and brings the tree up to date. *lockfd is -1
 * when the lock could not be taken (read-only C: drive): then the change stays in memory. */
static NTSTATUS reg_write_begin(int *lockfd)
{
    NTSTATUS st = reg_sync_locked();
    *lockfd = -1;
    if (st != STATUS_SUCCESS)
        return st;
    nt_make_dirs(reg_dir);
    char *lock = reg_file_path("registry.lock");
    if (!lock)
        return STATUS_NO_MEMORY;
    int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    free(lock);
    if (fd < 0)
        return nt_status_from_errno(errno);
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            int e = errno;
            close(fd);
            return nt_status_from_errno(e);
        }
    }
    *lockfd = fd;
    return reg_sync_exact_locked(true);
}

/* Replaces `file` with `text` (a temporary file renamed over it; fsync'd when `sync`). */
static NTSTATUS write_replace(const char *file, const char *text, bool sync)
{
    size_t n = strlen(file) + 32;
    char *tmp = malloc(n);
    if (!tmp)
        return STATUS_NO_MEMORY;
    snprintf(tmp, n, "%s.%d.tmp", file, (int)getpid());
    NTSTATUS st = STATUS_SUCCESS;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        st = nt_status_from_errno(errno);
        free(tmp);
        return st;
    }
    size_t len = strlen(text), done = 0;
    while (done < len) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            st = w < 0 ? nt_status_from_errno(errno) : STATUS_DISK_FULL;
            break;
        }
        done += (size_t)w;
    }
    if (st == STATUS_SUCCESS && sync && fsync(fd) != 0)
        st = nt_status_from_errno(errno);
    close(fd);
    if (st == STATUS_SUCCESS && rename(tmp, file) != 0)
        st = nt_status_from_errno(errno);
    if (st != STATUS_SUCCESS)
        unlink(tmp);
    free(tmp);
    return st;
}

/* registry.volatile.txt (under the writers' lock; not fsync'd: it need not survive a crash). */
static void write_volatile(const char *text)
{
    char *file = reg_file_path("registry.volatile.txt");
    if (file)
        write_replace(file, text, false);
    free(file);
}

/* The text of a hive file for k's subtree (malloc'd; NULL when out of memory). */
static char *hive_text(const reg_key *k)
{
    nt_sbuf b = {0};
    nt_sb_adds(&b, "NTRUN-HIVE 1\nN "); /* the root key's name, as a regf root cell has it */
    esc_add(&b, k->name, k->name_len);
    nt_sb_addc(&b, '\n');
    save_key(&b, k, SAVE_HIVE, k);
    return nt_sb_take(&b);
}

#define REG_NOTIFY_ALL_CHANGES 0xFFFFFFFFu /* the key itself went away (REG_NOTIFY_ALL) */

/* An application hive's file is held as Windows holds a loaded hive's: opened sharing nothing,
 * so another open or a DeleteFile gets a sharing violation (here and in other ntrun processes)
 * until the hive is unloaded. Held again after each rewrite, as that renames a new file in. */
static NTSTATUS app_hive_hold(reg_key *k)
{
    if (k->app_share) {
        nt_share_remove(k->app_share);
        k->app_share = NULL;
    }
    struct stat st;
    if (stat(k->hive_file, &st) != 0)
        return nt_status_from_errno(errno);
    return nt_share_add((uint64_t)st.st_dev, (uint64_t)st.st_ino, FILE_READ_DATA | FILE_WRITE_DATA,
                        0, &k->app_share);
}

/* Every loaded hive (the keys right below Machine, User and A) back to its file. */
static void write_hives(void)
{
    for (size_t i = 0; reg_root && i < reg_root->nsub; i++) {
        const reg_key *h = reg_root->sub[i];
        for (size_t j = 0; j < h->nsub; j++) {
            reg_key *k = h->sub[j];
            char *text = k->hive_file ? hive_text(k) : NULL;
            if (text && write_replace(k->hive_file, text, true) == STATUS_SUCCESS &&
                k->app_share)
                app_hive_hold(k);
            free(text);
        }
    }
}

/* The application hive (a key right below \Registry\A) that k is in, or NULL. */
static reg_key *app_hive_of(const reg_key *k)
{
    for (; k && k->parent; k = k->parent)
        if (k->parent->app_root)
            return (reg_key *)k;
    return NULL;
}

static void notify_key_locked(const reg_key *k, uint32_t what);

/* Under reg_lock: an application hive whose last handle went is written back and unloaded
 * (its file released), as Windows unloads it with its last handle. */
static void app_hive_unload_locked(reg_key *k)
{
    char *text = hive_text(k);
    if (text)
        write_replace(k->hive_file, text, true);
    free(text);
    reg_key *parent = k->parent;
    notify_key_locked(k, REG_NOTIFY_ALL_CHANGES);
    key_remove_sub(parent, k);
}

/* Under reg_lock: writes the tree and releases the lock. */
static NTSTATUS reg_write_end(int lockfd)
{
    NTSTATUS st = STATUS_SUCCESS;
    /* the volatile keys first, so a process that sees the new registry.txt finds them */
    nt_sbuf vb = {0};
    nt_sb_adds(&vb, "NTRUN-REGISTRY 1\n");
    save_key(&vb, reg_root, SAVE_VOLATILE, NULL);
    char *vtext = nt_sb_take(&vb);
    uint64_t vhash = 0;
    if (vtext) {
        vhash = XXH3_64bits(vtext, strlen(vtext));
        write_volatile(vtext);
        free(vtext);
    }
    write_hives();
    nt_sbuf b = {0};
    char line[64];
    /* the volatile text's digest: registry.txt changes with every change of them */
    snprintf(line, sizeof line, "NTRUN-REGISTRY 1\n# volatile %016llx\n",
             (unsigned long long)vhash);
    nt_sb_adds(&b, line);
    save_key(&b, reg_root, SAVE_MAIN, NULL);
    char *text = nt_sb_take(&b);
    char *file = reg_file_path("registry.txt");
    char tmpname[64];
    snprintf(tmpname, sizeof tmpname, "registry.txt.%d.tmp", (int)getpid());
    char *tmp = reg_file_path(tmpname);
    if (!text || !file || !tmp) {
        st = STATUS_NO_MEMORY;
        goto out;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        st = nt_status_from_errno(errno);
        goto out;
    }
    size_t len = strlen(text), done = 0;
    while (done < len) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            st = w < 0 ? nt_status_from_errno(errno) : STATUS_DISK_FULL;
            break;
        }
        done += (size_t)w;
    }
    if (st == STATUS_SUCCESS && fsync(fd) != 0)
        st = nt_status_from_errno(errno);
    struct stat sb;
    bool have = st == STATUS_SUCCESS && fstat(fd, &sb) == 0;
    close(fd);
    if (st == STATUS_SUCCESS && rename(tmp, file) != 0)
        st = nt_status_from_errno(errno);
    if (st != STATUS_SUCCESS) {
        unlink(tmp);
        memset(&reg_id, 0, sizeof reg_id); /* reload from the file at the next call */
        reg_id.exists = true;
    } else if (have) {
        set_id(&sb);
        reg_id.hash = XXH3_64bits(text, len);
    }
out:
    free(text);
    free(file);
    free(tmp);
    if (lockfd >= 0)
        close(lockfd); /* releases the flock */
    return st;
}

/* ---- change notification (changes made by this process) ---- */
typedef struct reg_watch {
    struct reg_watch *next;
    struct nt_key *key;
    HANDLE event;
    IO_STATUS_BLOCK *io;
    bool tree;
    uint32_t filter;
    uint64_t digest; /* of the key as it was when the watch was set (0: missing) */
} reg_watch;
static reg_watch *reg_watches;
static bool reg_watcher_started;
static int reg_watch_fd = -1; /* inotify, watching reg_dir */

/* ---- key objects ---- */
typedef struct nt_key {
    nt_object hdr;
    WCHAR *path; /* below \Registry */
    size_t len;
    uint32_t access;
} nt_key;

static void watch_fire(reg_watch *w, NTSTATUS status)
{
    IO_STATUS_BLOCK io = {.Status = status, .Information = 0};
    if (w->io)
        nt_copy_to_user(w->io, &io, sizeof io);
    if (w->event)
        NtSetEvent(w->event, NULL);
}

#define REG_NOTIFY_CHANGE_NAME 0x1
#define REG_NOTIFY_CHANGE_LAST_SET 0x4
#define REG_NOTIFY_ALL 0xFFFFFFFFu /* the key itself went away */

/* Under reg_lock: the key at `path` changed in the ways `what` says (REG_NOTIFY_CHANGE_*). */
static void notify_locked(const WCHAR *path, size_t len, uint32_t what)
{
    reg_watch **pp = &reg_watches;
    while (*pp) {
        reg_watch *w = *pp;
        size_t wl = w->key->len;
        bool hit = (w->filter & what) &&
                   (nt_wcsicmp_n(w->key->path, wl, path, len) == 0 ||
                    (w->tree && len > wl && (wl == 0 || path[wl] == '\\') &&
                     nt_wcsicmp_n(w->key->path, wl, path, wl) == 0));
        if (hit) {
            *pp = w->next;
            watch_fire(w, STATUS_SUCCESS);
            free(w);
        } else {
            pp = &w->next;
        }
    }
}

static void digest_key(XXH3_state_t *h, const reg_key *k, uint32_t filter, bool tree)
{
    static const uint8_t mark[4] = {'K', 'V', 'S', 'E'};
    if (filter & REG_NOTIFY_CHANGE_NAME) {
        for (size_t i = 0; i < k->nsub; i++) {
            XXH3_64bits_update(h, &mark[0], 1);
            XXH3_64bits_update(h, k->sub[i]->name, k->sub[i]->name_len * sizeof(WCHAR));
        }
    }
    if (filter & REG_NOTIFY_CHANGE_LAST_SET) {
        for (size_t i = 0; i < k->nval; i++) {
            const reg_value *v = &k->val[i];
            XXH3_64bits_update(h, &mark[1], 1);
            XXH3_64bits_update(h, v->name, v->name_len * sizeof(WCHAR));
            XXH3_64bits_update(h, &v->type, sizeof v->type);
            XXH3_64bits_update(h, &v->size, sizeof v->size);
            if (v->size)
                XXH3_64bits_update(h, v->data, v->size);
        }
    }
    if (tree) {
        for (size_t i = 0; i < k->nsub; i++) {
            XXH3_64bits_update(h, &mark[2], 1);
            digest_key(h, k->sub[i], filter, true);
        }
    }
    XXH3_64bits_update(h, &mark[3], 1);
}

/* Under reg_lock: the digest of what the watch looks at; 0 when its key is gone. */
static uint64_t watch_digest_locked(const reg_watch *w)
{
    const reg_key *k = lookup_path(w->key->path, w->key->len);
    if (!k)
        return 0;
    XXH3_state_t h;
    XXH3_64bits_reset(&h);
    digest_key(&h, k, w->filter, w->tree);
    return XXH3_64bits_digest(&h) | 1;
}

static void watch_fire(reg_watch *w, NTSTATUS status);

/* Under reg_lock, after the tree was reloaded: completes the watches whose keys changed. */
static void watches_recheck_locked(void)
{
    reg_watch **pp = &reg_watches;
    while (*pp) {
        reg_watch *w = *pp;
        if (watch_digest_locked(w) != w->digest) {
            *pp = w->next;
            watch_fire(w, STATUS_SUCCESS);
            free(w);
        } else {
            pp = &w->next;
        }
    }
}

/* The thread that brings other processes' changes to the pending watches. */
static void *reg_watcher(void *arg)
{
    (void)arg;
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t n = read(reg_watch_fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return NULL;
        pthread_mutex_lock(&reg_lock);
        if (reg_watches)
            reg_sync_locked();
        pthread_mutex_unlock(&reg_lock);
    }
}

/* Under reg_lock: starts the watcher once (without it, only this process's changes notify). */
static void reg_watcher_start_locked(void)
{
    if (reg_watcher_started || !reg_dir)
        return;
    reg_watcher_started = true;
    nt_make_dirs(reg_dir);
    reg_watch_fd = inotify_init1(IN_CLOEXEC);
    if (reg_watch_fd < 0)
        return;
    if (inotify_add_watch(reg_watch_fd, reg_dir, IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
        close(reg_watch_fd);
        reg_watch_fd = -1;
        return;
    }
    /* fault fix-ups: rt_safe_copy in watch_fire */
    if (rt_service_thread_start(reg_watcher, NULL, 128 * 1024, true) != 0) {
        close(reg_watch_fd);
        reg_watch_fd = -1;
    }
}

static void notify_key_locked(const reg_key *k, uint32_t what)
{
    size_t len;
    WCHAR *p = key_path(k, &len);
    if (p) {
        notify_locked(p, len, what);
        free(p);
    }
}

static void key_destroy(nt_object *o)
{
    nt_key *k = (nt_key *)o;
    pthread_mutex_lock(&reg_lock);
    for (reg_watch **pp = &reg_watches; *pp;) {
        reg_watch *w = *pp;
        if (w->key == k) {
            *pp = w->next;
            watch_fire(w, NT_STATUS_NOTIFY_CLEANUP);
            free(w);
        } else {
            pp = &w->next;
        }
    }
    /* a handle inside an application hive (a path A\name\...): the last one unloads it */
    if (k->len >= 2 && (k->path[0] == 'A' || k->path[0] == 'a') && k->path[1] == '\\') {
        size_t n = 2;
        while (n < k->len && k->path[n] != '\\')
            n++;
        reg_key *hive = lookup_path(k->path, n);
        if (hive && hive->parent && hive->parent->app_root && hive->app_handles &&
            !--hive->app_handles)
            app_hive_unload_locked(hive);
    }
    pthread_mutex_unlock(&reg_lock);
    free(k->path);
    free(k);
}

static uint32_t map_access(uint32_t a)
{
    if (a & NT_MAXIMUM_ALLOWED)
        a |= KEY_ALL_ACCESS;
    if (a & NT_GENERIC_READ)
        a |= KEY_READ;
    if (a & NT_GENERIC_WRITE)
        a |= KEY_WRITE;
    if (a & NT_GENERIC_EXECUTE)
        a |= KEY_READ;
    if (a & NT_GENERIC_ALL)
        a |= KEY_ALL_ACCESS;
    return a & (KEY_ALL_ACCESS | 0x01000000 /* ACCESS_SYSTEM_SECURITY */);
}

/* Handle -> key object with a reference, and the key it names (under reg_lock, synced). */
static NTSTATUS key_from_handle(HANDLE h, uint32_t need, nt_key **obj, reg_key **key)
{
    nt_object *o;
    *obj = NULL;
    *key = NULL;
    NTSTATUS st = nt_handle_get(h, NT_OBJ_KEY, &o);
    if (st != STATUS_SUCCESS)
        return st;
    nt_key *k = (nt_key *)o;
    if ((nt_handle_granted(h, k->access) & need) != need) { /* the handle's (duplicates) */
        nt_object_release(o);
        return STATUS_ACCESS_DENIED;
    }
    *obj = k;
    return STATUS_SUCCESS;
}

/* Under reg_lock: the tree node of a key object. */
static NTSTATUS key_node_locked(nt_key *k, reg_key **out)
{
    NTSTATUS st = reg_sync_locked();
    if (st != STATUS_SUCCESS)
        return st;
    *out = lookup_path(k->path, k->len);
    return *out ? STATUS_SUCCESS : NT_STATUS_KEY_DELETED;
}

/* Reads a UNICODE_STRING from foreign memory into a malloc'd copy (NULL string: empty). */
static NTSTATUS ustr_from_user(const UNICODE_STRING *user, WCHAR **out, size_t *len)
{
    UNICODE_STRING us = {0};
    *out = NULL;
    *len = 0;
    if (user && nt_copy_from_user(&us, user, sizeof us) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (us.Length & 1)
        return STATUS_INVALID_PARAMETER;
    size_t n = us.Length / 2;
    WCHAR *s = malloc((n + 1) * sizeof *s);
    if (!s)
        return STATUS_NO_MEMORY;
    if (n && nt_copy_from_user(s, us.Buffer, n * 2) != 0) {
        free(s);
        return STATUS_ACCESS_VIOLATION;
    }
    s[n] = 0;
    *out = s;
    *len = n;
    return STATUS_SUCCESS;
}

/* The path below \Registry that OBJECT_ATTRIBUTES names (malloc'd). */
static NTSTATUS attr_path(const OBJECT_ATTRIBUTES *user_attr, WCHAR **out, size_t *out_len,
                          uint32_t *attributes)
{
    OBJECT_ATTRIBUTES a;
    WCHAR *name;
    size_t len;
    *out = NULL;
    if (!user_attr)
        return STATUS_ACCESS_VIOLATION;
    if (nt_copy_from_user(&a, user_attr, sizeof a) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (a.Length != sizeof a)
        return STATUS_INVALID_PARAMETER;
    *attributes = a.Attributes;
    NTSTATUS st = ustr_from_user(a.ObjectName, &name, &len);
    if (st != STATUS_SUCCESS)
        return st;
    if (a.RootDirectory) {
        nt_object *o;
        st = nt_handle_get(a.RootDirectory, NT_OBJ_KEY, &o);
        if (st != STATUS_SUCCESS)
            goto out;
        nt_key *root = (nt_key *)o;
        if (len && name[0] == '\\') {
            nt_object_release(o);
            st = STATUS_OBJECT_PATH_SYNTAX_BAD;
            goto out;
        }
        WCHAR *p = malloc((root->len + 1 + len + 1) * sizeof *p);
        if (!p) {
            nt_object_release(o);
            st = STATUS_NO_MEMORY;
            goto out;
        }
        memcpy(p, root->path, root->len * sizeof *p);
        size_t n = root->len;
        if (n && len)
            p[n++] = '\\';
        memcpy(p + n, name, len * sizeof *p);
        n += len;
        p[n] = 0;
        nt_object_release(o);
        *out = p;
        *out_len = n;
    } else {
        static const WCHAR reg[] = u"\\Registry";
        if (!len || name[0] != '\\') {
            st = STATUS_OBJECT_PATH_SYNTAX_BAD;
            goto out;
        }
        if (len < 9 || nt_wcsicmp_n(name, 9, reg, 9) != 0 || (len > 9 && name[9] != '\\')) {
            st = STATUS_OBJECT_NAME_NOT_FOUND;
            goto out;
        }
        WCHAR *p = wdup(name + 9, len - 9);
        if (!p) {
            st = STATUS_NO_MEMORY;
            goto out;
        }
        *out = p;
        *out_len = len - 9;
    }
out:
    free(name);
    return st;
}

static const WCHAR link_value_name[] = u"SymbolicLinkValue";
#define LINK_VALUE_LEN 17

/* Under reg_lock: *path (below \Registry, malloc'd) with the symbolic links among its keys
 * replaced by their targets, the last component's too unless open_last. The path may name
 * keys that do not exist: the part from the first missing key on is kept as it is. */
static NTSTATUS resolve_links_locked(WCHAR **path, size_t *len, bool open_last)
{
    static const WCHAR reg[] = u"\\Registry\\";
    for (int hops = 0;; hops++) {
        reg_comp c[REG_MAX_DEPTH];
        int n = split_path(*path, *len, c, REG_MAX_DEPTH);
        if (n < 0)
            return STATUS_INVALID_PARAMETER;
        reg_key *k = reg_root;
        int i = 0;
        for (; i < n; i++) {
            k = key_child(k, c[i].s, c[i].len);
            if (!k)
                return STATUS_SUCCESS;
            if (k->link && !(open_last && i == n - 1))
                break;
        }
        if (i == n)
            return STATUS_SUCCESS;
        if (hops == REG_MAX_LINKS)
            return STATUS_INVALID_PARAMETER; /* a loop: Windows 10 1607 and later */
        const reg_value *v = key_find_value(k, link_value_name, LINK_VALUE_LEN);
        if (!v || v->type != REG_LINK || (v->size & 1) || !v->size)
            return STATUS_OBJECT_NAME_NOT_FOUND;
        const WCHAR *t = (const WCHAR *)v->data;
        size_t tl = v->size / 2;
        if (t[0] != '\\')
            return STATUS_OBJECT_NAME_INVALID; /* relative: Windows 10 1607 and later */
        if (tl < 10 || nt_wcsicmp_n(t, 10, reg, 10) != 0)
            return STATUS_OBJECT_NAME_NOT_FOUND;
        for (size_t j = 0; j < tl; j++)
            if (!t[j])
                return STATUS_OBJECT_NAME_NOT_FOUND; /* no key has a NUL in its name */
        const WCHAR *rest = i + 1 < n ? c[i + 1].s : NULL;
        size_t rl = rest ? (size_t)(*path + *len - rest) : 0;
        size_t nl = (tl - 10) + (rl ? 1 + rl : 0);
        WCHAR *np = malloc((nl + 1) * sizeof *np);
        if (!np)
            return STATUS_NO_MEMORY;
        memcpy(np, t + 10, (tl - 10) * sizeof *np);
        if (rl) {
            np[tl - 10] = '\\';
            memcpy(np + tl - 10 + 1, rest, rl * sizeof *np);
        }
        np[nl] = 0;
        free(*path);
        *path = np;
        *len = nl;
    }
}

/* Under reg_lock: a key object for `node` (one reference), or NULL when out of memory. Its
 * handle is made by key_handle_publish once reg_lock is released: dropping the object on a
 * failure runs key_destroy, which takes reg_lock (it used to run under it: a deadlock). */
static nt_key *key_object_new(const reg_key *node, uint32_t access)
{
    nt_key *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    nt_object_init(&k->hdr, NT_OBJ_KEY, key_destroy);
    k->path = key_path(node, &k->len);
    k->access = map_access(access);
    if (!k->path) {
        free(k);
        return NULL;
    }
    reg_key *hive = app_hive_of(node);
    if (hive)
        hive->app_handles++; /* key_destroy takes it back */
    return k;
}

/* Without reg_lock: a handle for k (its reference goes to the handle) in *user_handle. */
static NTSTATUS key_handle_publish(nt_key *k, HANDLE *user_handle)
{
    HANDLE h;
    NTSTATUS st = nt_handle_alloc(&k->hdr, &h);
    nt_object_release(&k->hdr);
    if (st != STATUS_SUCCESS)
        return st;
    nt_handle_set_granted(h, k->access); /* NtQueryObject's GrantedAccess */
    if (nt_copy_to_user(user_handle, &h, sizeof h) != 0) {
        nt_handle_close(h);
        return STATUS_ACCESS_VIOLATION;
    }
    return STATUS_SUCCESS;
}

/* Does attr name \Registry\A or a key below it by full path? Application hives are reached only
 * through the handle RegLoadAppKey gave (and keys relative to it): Windows denies the path. */
static bool names_app_root_by_path(const OBJECT_ATTRIBUTES *attr, const WCHAR *path, size_t len)
{
    OBJECT_ATTRIBUTES a;
    if (nt_copy_from_user(&a, attr, sizeof a) != 0 || a.RootDirectory)
        return false;
    while (len && *path == '\\') { /* the part below \Registry keeps its leading backslash */
        path++;
        len--;
    }
    return len >= 1 && (path[0] == 'A' || path[0] == 'a') && (len == 1 || path[1] == '\\');
}

/* NtOpenKeyEx; `app` lets NtLoadKeyEx open the application hive it mounted by its path. */
static NTSTATUS key_open(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr, bool app)
{
    WCHAR *path;
    size_t len;
    HANDLE zero = NULL;
    if (!handle || nt_copy_to_user(handle, &zero, sizeof zero) != 0)
        return STATUS_ACCESS_VIOLATION;
    uint32_t attrs;
    NTSTATUS st = attr_path(attr, &path, &len, &attrs);
    if (st != STATUS_SUCCESS)
        return st;
    reg_comp c[REG_MAX_DEPTH];
    if (split_path(path, len, c, REG_MAX_DEPTH) < 0) {
        free(path);
        return STATUS_INVALID_PARAMETER;
    }
    if (!app && names_app_root_by_path(attr, path, len)) {
        free(path);
        return STATUS_ACCESS_DENIED;
    }
    pthread_mutex_lock(&reg_lock);
    st = reg_sync_locked();
    if (st == STATUS_SUCCESS)
        st = resolve_links_locked(&path, &len, attrs & NT_OBJ_OPENLINK);
    nt_key *ko = NULL;
    if (st == STATUS_SUCCESS) {
        reg_key *k = lookup_path(path, len);
        ko = k ? key_object_new(k, access) : NULL;
        st = !k ? STATUS_OBJECT_NAME_NOT_FOUND : !ko ? STATUS_NO_MEMORY : STATUS_SUCCESS;
    }
    pthread_mutex_unlock(&reg_lock);
    free(path);
    return ko ? key_handle_publish(ko, handle) : st;
}

NTSTATUS NTAPI NtOpenKeyEx(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                           uint32_t options)
{
    (void)options;
    return key_open(handle, access, attr, false);
}

NTSTATUS NTAPI NtOpenKey(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr)
{
    return NtOpenKeyEx(handle, access, attr, 0);
}

/* A key to be created below RootDirectory: that handle must have been granted
 * KEY_CREATE_SUB_KEY (an existing key is opened without it), as ZwCreateKey documents. */
static NTSTATUS create_root_access(const OBJECT_ATTRIBUTES *attr)
{
    OBJECT_ATTRIBUTES a;
    nt_object *o;
    if (nt_copy_from_user(&a, attr, sizeof a) != 0 || !a.RootDirectory ||
        nt_handle_get(a.RootDirectory, NT_OBJ_KEY, &o) != STATUS_SUCCESS)
        return STATUS_SUCCESS; /* attr_path has checked these */
    uint32_t granted = nt_handle_granted(a.RootDirectory, ((nt_key *)o)->access);
    nt_object_release(o);
    return (granted & KEY_CREATE_SUB_KEY) ? STATUS_SUCCESS : STATUS_ACCESS_DENIED;
}

NTSTATUS NTAPI NtCreateKey(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                           uint32_t title_index, const UNICODE_STRING *cls, uint32_t options,
                           uint32_t *disposition)
{
    WCHAR *path, *cname = NULL;
    size_t len, clen = 0;
    HANDLE zero = NULL;
    int lockfd = -1;
    nt_key *ko = NULL;
    uint32_t disp = REG_OPENED_EXISTING_KEY;
    (void)title_index;
    if (!handle || nt_copy_to_user(handle, &zero, sizeof zero) != 0)
        return STATUS_ACCESS_VIOLATION;
    uint32_t attrs;
    NTSTATUS st = attr_path(attr, &path, &len, &attrs);
    if (st != STATUS_SUCCESS)
        return st;
    if (cls && (st = ustr_from_user(cls, &cname, &clen)) != STATUS_SUCCESS) {
        free(path);
        return st;
    }
    reg_comp c[REG_MAX_DEPTH];
    int n = split_path(path, len, c, REG_MAX_DEPTH);
    if (n < 0) {
        st = STATUS_INVALID_PARAMETER;
        goto out_free;
    }
    if (names_app_root_by_path(attr, path, len)) {
        st = STATUS_ACCESS_DENIED;
        goto out_free;
    }
    bool make_link = options & REG_OPTION_CREATE_LINK;
    bool make_volatile = options & REG_OPTION_VOLATILE;
    pthread_mutex_lock(&reg_lock);
    st = reg_sync_locked();
    if (st == STATUS_SUCCESS)
        st = resolve_links_locked(&path, &len, make_link || (attrs & NT_OBJ_OPENLINK));
    if (st != STATUS_SUCCESS)
        goto out_unlock;
    n = split_path(path, len, c, REG_MAX_DEPTH);
    if (n < 0) {
        st = STATUS_INVALID_PARAMETER;
        goto out_unlock;
    }
    reg_key *k = lookup_path(path, len);
    if (k && make_link) {
        st = STATUS_OBJECT_NAME_COLLISION;
        goto out_unlock;
    }
    if (!k) {
        /* only the last component may be missing; hive roots take no new keys */
        reg_key *parent = reg_root;
        for (int i = 0; i < n - 1 && parent; i++)
            parent = key_child(parent, c[i].s, c[i].len);
        if (!parent || n == 0) {
            st = STATUS_OBJECT_NAME_NOT_FOUND;
            goto out_unlock;
        }
        if ((st = create_root_access(attr)) != STATUS_SUCCESS)
            goto out_unlock;
        if (n <= 2) {
            st = STATUS_ACCESS_DENIED;
            goto out_unlock;
        }
        if (parent->volatile_ && !make_volatile) {
            st = STATUS_CHILD_MUST_BE_VOLATILE;
            goto out_unlock;
        }
        st = reg_write_begin(&lockfd);
        if (st != STATUS_SUCCESS)
            goto out_unlock;
        parent = reg_root; /* the tree may have been reloaded */
        for (int i = 0; i < n - 1 && parent; i++)
            parent = key_child(parent, c[i].s, c[i].len);
        if (!parent) {
            st = STATUS_OBJECT_NAME_NOT_FOUND;
            if (lockfd >= 0)
                close(lockfd);
            goto out_unlock;
        }
        bool created;
        k = key_add_sub(parent, c[n - 1].s, c[n - 1].len, &created);
        if (!k) {
            st = STATUS_NO_MEMORY;
            close(lockfd);
            goto out_unlock;
        }
        if (created) {
            disp = REG_CREATED_NEW_KEY;
            k->link = make_link;
            k->volatile_ = make_volatile;
            if (cname && clen) {
                k->cls = cname;
                k->cls_len = clen;
                cname = NULL;
            }
            parent->mtime = k->mtime;
            st = reg_write_end(lockfd);
            notify_key_locked(parent, REG_NOTIFY_CHANGE_NAME);
        } else {
            close(lockfd);
        }
        if (st != STATUS_SUCCESS)
            goto out_unlock;
        k = lookup_path(path, len);
        if (!k) {
            st = STATUS_NO_MEMORY;
            goto out_unlock;
        }
    }
    ko = key_object_new(k, access);
    if (!ko)
        st = STATUS_NO_MEMORY;
out_unlock:
    pthread_mutex_unlock(&reg_lock);
    if (ko)
        st = key_handle_publish(ko, handle);
    if (st == STATUS_SUCCESS && disposition &&
        nt_copy_to_user(disposition, &disp, sizeof disp) != 0)
        st = STATUS_ACCESS_VIOLATION;
out_free:
    free(cname);
    free(path);
    return st;
}

NTSTATUS NTAPI NtDeleteKey(HANDLE h)
{
    nt_key *obj;
    reg_key *k;
    int lockfd;
    NTSTATUS st = key_from_handle(h, NT_DELETE, &obj, &k);
    if (st != STATUS_SUCCESS)
        return st;
    pthread_mutex_lock(&reg_lock);
    st = key_node_locked(obj, &k);
    if (st == STATUS_SUCCESS && (!k->parent || !k->parent->parent || !k->parent->parent->parent))
        st = STATUS_ACCESS_DENIED; /* \Registry, its hives and their roots */
    if (st == STATUS_SUCCESS && k->nsub)
        st = STATUS_CANNOT_DELETE;
    if (st == STATUS_SUCCESS) {
        st = reg_write_begin(&lockfd);
        if (st == STATUS_SUCCESS) {
            k = lookup_path(obj->path, obj->len);
            if (!k)
                st = NT_STATUS_KEY_DELETED;
            else if (k->nsub)
                st = STATUS_CANNOT_DELETE;
            if (st != STATUS_SUCCESS) {
                close(lockfd);
            } else {
                reg_key *parent = k->parent;
                notify_key_locked(k, REG_NOTIFY_ALL);
                key_remove_sub(parent, k);
                parent->mtime = reg_now();
                st = reg_write_end(lockfd);
                notify_key_locked(parent, REG_NOTIFY_CHANGE_NAME);
            }
        }
    }
    pthread_mutex_unlock(&reg_lock);
    nt_object_release(&obj->hdr);
    return st;
}

/* Renames the key in its parent (subkeys and values go with it). The handle follows the key;
 * other handles naming it or keys below it by their old path see STATUS_KEY_DELETED. */
NTSTATUS NTAPI NtRenameKey(HANDLE h, const UNICODE_STRING *new_name)
{
    nt_key *obj;
    reg_key *k;
    WCHAR *name;
    size_t len;
    int lockfd;
    NTSTATUS st = key_from_handle(h, KEY_WRITE & ~NT_READ_CONTROL, &obj, &k);
    if (st != STATUS_SUCCESS)
        return st;
    st = ustr_from_user(new_name, &name, &len);
    if (st != STATUS_SUCCESS)
        goto out_obj;
    bool bad = !len || len > REG_MAX_KEY_NAME;
    for (size_t i = 0; i < len; i++)
        bad |= name[i] == '\\';
    if (bad) {
        st = STATUS_INVALID_PARAMETER; /* one name, not a path */
        goto out_name;
    }
    pthread_mutex_lock(&reg_lock);
    st = reg_write_begin(&lockfd);
    if (st == STATUS_SUCCESS) {
        k = lookup_path(obj->path, obj->len);
        if (!k)
            st = NT_STATUS_KEY_DELETED;
        else if (!k->parent || !k->parent->parent || !k->parent->parent->parent)
            st = STATUS_ACCESS_DENIED; /* \Registry, its hives and their roots */
        else if (key_child(k->parent, name, len))
            st = STATUS_CANNOT_DELETE; /* a sibling has the name (this one too) */
        size_t plen = 0;
        WCHAR *newpath = NULL;
        if (st == STATUS_SUCCESS) {
            reg_key *parent = k->parent;
            for (size_t i = 0; i < parent->nsub; i++) {
                if (parent->sub[i] == k) {
                    memmove(&parent->sub[i], &parent->sub[i + 1],
                            (parent->nsub - i - 1) * sizeof *parent->sub);
                    parent->nsub--;
                    break;
                }
            }
            free(k->name);
            k->name = name;
            k->name_len = len;
            name = NULL;
            size_t at = (size_t)(-key_find_sub(parent, k->name, k->name_len) - 1);
            memmove(&parent->sub[at + 1], &parent->sub[at],
                    (parent->nsub - at) * sizeof *parent->sub);
            parent->sub[at] = k;
            parent->nsub++;
            parent->mtime = k->mtime = reg_now();
            newpath = key_path(k, &plen);
            st = reg_write_end(lockfd);
            notify_key_locked(parent, REG_NOTIFY_CHANGE_NAME);
        } else {
            close(lockfd);
        }
        if (newpath) {
            free(obj->path);
            obj->path = newpath;
            obj->len = plen;
        }
    }
    pthread_mutex_unlock(&reg_lock);
out_name:
    free(name);
out_obj:
    nt_object_release(&obj->hdr);
    return st;
}

NTSTATUS NTAPI NtSetValueKey(HANDLE h, const UNICODE_STRING *name, uint32_t title_index,
                             uint32_t type, const void *data, uint32_t size)
{
    nt_key *obj;
    reg_key *k;
    WCHAR *vname;
    size_t vlen;
    int lockfd;
    (void)title_index;
    NTSTATUS st = key_from_handle(h, KEY_SET_VALUE, &obj, &k);
    if (st != STATUS_SUCCESS)
        return st;
    st = ustr_from_user(name, &vname, &vlen);
    if (st != STATUS_SUCCESS)
        goto out_obj;
    if (vlen > REG_MAX_VALUE_NAME) {
        st = STATUS_INVALID_PARAMETER;
        goto out_name;
    }
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy) {
        st = STATUS_NO_MEMORY;
        goto out_name;
    }
    if (size && nt_copy_from_user(copy, data, size) != 0) {
        st = STATUS_ACCESS_VIOLATION;
        goto out_copy;
    }
    pthread_mutex_lock(&reg_lock);
    st = reg_write_begin(&lockfd);
    if (st == STATUS_SUCCESS) {
        k = lookup_path(obj->path, obj->len);
        if (!k) {
            st = NT_STATUS_KEY_DELETED;
            close(lockfd);
        } else if (k->link && (type != REG_LINK || vlen != LINK_VALUE_LEN ||
                               nt_wcsicmp_n(vname, vlen, link_value_name, vlen) != 0)) {
            st = STATUS_ACCESS_DENIED; /* a link holds its target and nothing else */
            close(lockfd);
        } else {
            st = key_set_value(k, vname, vlen, type, copy, size);
            k->mtime = reg_now();
            NTSTATUS wst = reg_write_end(lockfd);
            if (st == STATUS_SUCCESS)
                st = wst;
            notify_key_locked(k, REG_NOTIFY_CHANGE_LAST_SET);
        }
    }
    pthread_mutex_unlock(&reg_lock);
out_copy:
    free(copy);
out_name:
    free(vname);
out_obj:
    nt_object_release(&obj->hdr);
    return st;
}

NTSTATUS NTAPI NtDeleteValueKey(HANDLE h, const UNICODE_STRING *name)
{
    nt_key *obj;
    reg_key *k;
    WCHAR *vname;
    size_t vlen;
    int lockfd;
    NTSTATUS st = key_from_handle(h, KEY_SET_VALUE, &obj, &k);
    if (st != STATUS_SUCCESS)
        return st;
    st = ustr_from_user(name, &vname, &vlen);
    if (st != STATUS_SUCCESS)
        goto out_obj;
    pthread_mutex_lock(&reg_lock);
    st = key_node_locked(obj, &k);
    if (st == STATUS_SUCCESS && !key_find_value(k, vname, vlen))
        st = STATUS_OBJECT_NAME_NOT_FOUND;
    if (st == STATUS_SUCCESS)
        st = reg_write_begin(&lockfd);
    if (st == STATUS_SUCCESS) {
        k = lookup_path(obj->path, obj->len);
        if (!k) {
            st = NT_STATUS_KEY_DELETED;
            close(lockfd);
        } else if (!key_delete_value(k, vname, vlen)) {
            st = STATUS_OBJECT_NAME_NOT_FOUND;
            close(lockfd);
        } else {
            k->mtime = reg_now();
            st = reg_write_end(lockfd);
            notify_key_locked(k, REG_NOTIFY_CHANGE_LAST_SET);
        }
    }
    pthread_mutex_unlock(&reg_lock);
    free(vname);
out_obj:
    nt_object_release(&obj->hdr);
    return st;
}

/* ---- information classes ---- */
enum { KeyValueBasicInformation, KeyValueFullInformation, KeyValuePartialInformation,
       KeyValueFullInformationAlign64, KeyValuePartialInformationAlign64 };
enum { KeyBasicInformation, KeyNodeInformation, KeyFullInformation, KeyNameInformation,
       KeyCachedInformation, KeyFlagsInformation, KeyVirtualizationInformation,
       KeyHandleTagsInformation };

/* Copies a built record to the caller: the whole of it, or only the fixed part
 * (STATUS_BUFFER_OVERFLOW), or nothing (STATUS_BUFFER_TOO_SMALL). *ret_len is the full size. */
static NTSTATUS put_info(void *info, uint32_t len, uint32_t *ret_len, const uint8_t *rec,
                         size_t fixed, size_t total)
{
    uint32_t t = (uint32_t)total;
    if (ret_len && nt_copy_to_user(ret_len, &t, sizeof t) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (len < fixed)
        return STATUS_BUFFER_TOO_SMALL;
    size_t n = len < total ? fixed : total;
    if (nt_copy_to_user(info, rec, n) != 0)
        return STATUS_ACCESS_VIOLATION;
    return n < total ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

/* The output and its length, probed whole before the key is looked at, as the system service
 * does (ProbeForWrite): a bad buffer is an access violation with nothing written. */
static bool reg_out_ok(void *info, uint32_t len, uint32_t *ret_len)
{
    return nt_probe_write(info, len) && (!ret_len || nt_probe_write(ret_len, sizeof *ret_len));
}

static NTSTATUS value_info(const reg_value *v, uint32_t klass, void *info, uint32_t len,
                           uint32_t *ret_len)
{
    size_t nb = v->name_len * 2, fixed, total, doff = 0;
    switch (klass) {
    case KeyValueBasicInformation: fixed = 12; total = fixed + nb; break;
    case KeyValueFullInformation:
    case KeyValueFullInformationAlign64:
        fixed = 20;
        doff = (fixed + nb + 7) & ~(size_t)7;
        total = doff + v->size;
        break;
    case KeyValuePartialInformation: fixed = 12; doff = 12; total = 12 + v->size; break;
    case KeyValuePartialInformationAlign64: fixed = 8; doff = 8; total = 8 + v->size; break;
    default: return STATUS_INVALID_PARAMETER;
    }
    uint8_t *rec = calloc(1, total);
    if (!rec)
        return STATUS_NO_MEMORY;
    switch (klass) {
    case KeyValueBasicInformation:
        put32(rec + 4, v->type);
        put32(rec + 8, (uint32_t)nb);
        memcpy(rec + 12, v->name, nb);
        break;
    case KeyValueFullInformation:
    case KeyValueFullInformationAlign64:
        put32(rec + 4, v->type);
        put32(rec + 8, (uint32_t)doff);
        put32(rec + 12, v->size);
        put32(rec + 16, (uint32_t)nb);
        memcpy(rec + 20, v->name, nb);
        if (v->size)
            memcpy(rec + doff, v->data, v->size);
        break;
    case KeyValuePartialInformation:
        put32(rec + 4, v->type);
        put32(rec + 8, v->size);
        if (v->size)
            memcpy(rec + 12, v->data, v->size);
        break;
    default:
        put32(rec, v->type);
        put32(rec + 4, v->size);
        if (v->size)
            memcpy(rec + 8, v->data, v->size);
        break;
    }
    /* a record too small for its data: the fixed part and, for Full, the name too */
    NTSTATUS st;
    if (len < total && (klass == KeyValueFullInformation || klass == KeyValueFullInformationAlign64) &&
        len >= fixed + nb) {
        st = put_info(info, len, ret_len, rec, fixed + nb, total);
    } else {
        st = put_info(info, len, ret_len, rec, fixed, total);
    }
    free(rec);
    return st;
}

static NTSTATUS key_info(const reg_key *k, uint32_t klass, void *info, uint32_t len,
                         uint32_t *ret_len)
{
    size_t nb = k->name_len * 2, cb = k->cls_len * 2, fixed, total;
    uint32_t max_name = 0, max_cls = 0, max_vname = 0, max_data = 0;
    WCHAR *full = NULL;
    size_t full_len = 0;
    for (size_t i = 0; i < k->nsub; i++) {
        if (k->sub[i]->name_len * 2 > max_name)
            max_name = (uint32_t)k->sub[i]->name_len * 2;
        if (k->sub[i]->cls_len * 2 > max_cls)
            max_cls = (uint32_t)k->sub[i]->cls_len * 2;
    }
    for (size_t i = 0; i < k->nval; i++) {
        if (k->val[i].name_len * 2 > max_vname)
            max_vname = (uint32_t)k->val[i].name_len * 2;
        if (k->val[i].size > max_data)
            max_data = k->val[i].size;
    }
    switch (klass) {
    case KeyBasicInformation: fixed = 16; total = fixed + nb; break;
    case KeyNodeInformation: fixed = 24; total = fixed + nb + cb; break;
    case KeyFullInformation: fixed = 44; total = fixed + cb; break;
    case KeyNameInformation: {
        size_t pl;
        WCHAR *p = key_path(k, &pl);
        if (!p)
            return STATUS_NO_MEMORY;
        full = malloc((pl + 10) * sizeof *full);
        if (!full) {
            free(p);
            return STATUS_NO_MEMORY;
        }
        memcpy(full, u"\\REGISTRY", 9 * sizeof *full);
        full_len = 9;
        if (pl) {
            full[full_len++] = '\\';
            memcpy(full + full_len, p, pl * sizeof *full);
            full_len += pl;
        }
        free(p);
        fixed = 4;
        total = 4 + full_len * 2;
        break;
    }
    case KeyCachedInformation: fixed = 40; total = 40; break;
    case KeyFlagsInformation: fixed = 12; total = 12; break;
    case KeyVirtualizationInformation: fixed = 4; total = 4; break;
    case KeyHandleTagsInformation: fixed = 4; total = 4; break;
    default: return STATUS_INVALID_PARAMETER;
    }
    uint8_t *rec = calloc(1, total);
    if (!rec) {
        free(full);
        return STATUS_NO_MEMORY;
    }
    switch (klass) {
    case KeyBasicInformation:
        memcpy(rec, &k->mtime, 8);
        put32(rec + 12, (uint32_t)nb);
        memcpy(rec + 16, k->name, nb);
        break;
    case KeyNodeInformation:
        memcpy(rec, &k->mtime, 8);
        put32(rec + 12, cb ? (uint32_t)(fixed + nb) : 0xffffffffu);
        put32(rec + 16, (uint32_t)cb);
        put32(rec + 20, (uint32_t)nb);
        memcpy(rec + 24, k->name, nb);
        if (cb)
            memcpy(rec + 24 + nb, k->cls, cb);
        break;
    case KeyFullInformation:
        memcpy(rec, &k->mtime, 8);
        put32(rec + 12, cb ? (uint32_t)fixed : 0xffffffffu);
        put32(rec + 16, (uint32_t)cb);
        put32(rec + 20, (uint32_t)k->nsub);
        put32(rec + 24, max_name);
        put32(rec + 28, max_cls);
        put32(rec + 32, (uint32_t)k->nval);
        put32(rec + 36, max_vname);
        put32(rec + 40, max_data);
        if (cb)
            memcpy(rec + 44, k->cls, cb);
        break;
    case KeyNameInformation:
        put32(rec, (uint32_t)full_len * 2);
        memcpy(rec + 4, full, full_len * 2);
        break;
    case KeyCachedInformation:
        memcpy(rec, &k->mtime, 8);
        put32(rec + 12, (uint32_t)k->nsub);
        put32(rec + 16, max_name);
        put32(rec + 20, (uint32_t)k->nval);
        put32(rec + 24, max_vname);
        put32(rec + 28, max_data);
        put32(rec + 32, (uint32_t)nb);
        break;
    case KeyFlagsInformation: /* Wow64Flags, KeyFlags (REG_FLAG_VOLATILE 1, REG_FLAG_LINK 2),
                               * ControlFlags */
        put32(rec + 4, (k->volatile_ ? 1u : 0u) | (k->link ? 2u : 0u));
        break;
    default:
        break;
    }
    free(full);
    NTSTATUS st = put_info(info, len, ret_len, rec, fixed, total);
    free(rec);
    return st;
}

NTSTATUS NTAPI NtQueryValueKey(HANDLE h, const UNICODE_STRING *name, uint32_t klass, void *info,
                               uint32_t len, uint32_t *ret_len)
{
    nt_key *obj;
    reg_key *k;
    WCHAR *vname;
    size_t vlen;
    if (!reg_out_ok(info, len, ret_len))
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS st = key_from_handle(h, KEY_QUERY_VALUE, &obj, &k);
    if (st != STATUS_SUCCESS)
        return st;
    st = ustr_from_user(name, &vname, &vlen);
    if (st != STATUS_SUCCESS)
        goto out_obj;
    pthread_mutex_lock(&reg_lock);
    st = key_node_locked(obj, &k);
    if (st == STATUS_SUCCESS) {
        const reg_value *v = key_find_value(k, vname, vlen);
        st = v ? value_info(v, klass, info, len, ret_len) : STATUS_OBJECT_NAME_NOT_FOUND;
    }
    pthread_mutex_unlock(&reg_lock);
    free(vname);
out_obj:
    nt_object_release(&obj->hdr);
    return st;
}

/* KEY_VALUE_ENTRY (24 bytes): the caller's name; DataLength, DataOffset and Type filled in. */
typedef struct {
    uint64_t ValueName; /* 0x00 PUNICODE_STRING */
    uint32_t DataLength; /* 0x08 */
    uint32_t DataOffset; /* 0x0c */
    uint32_t Type;       /* 0x10 */
    uint32_t pad;        /* 0x14 */
} nt_key_value_entry;
_Static_assert(sizeof(nt_key_value_entry) == 24, "KEY_VALUE_ENTRY");

/* Several values of one key at once, read under one lock (RegQueryMultipleValues). Each value's
 * data goes at the next ULONG-aligned offset of the buffer; a value that does not fit is not
 * copied but still counted. *BufferLength and *RequiredBufferLength get the total;
 * STATUS_BUFFER_OVERFLOW when it exceeds the buffer, STATUS_OBJECT_NAME_NOT_FOUND (entries up
 * to it filled in) when a value is missing. */
NTSTATUS NTAPI NtQueryMultipleValueKey(HANDLE h, void *user_entries, uint32_t count, void *buffer,
                                       uint32_t *buf_len, uint32_t *required)
{
    nt_key *obj;
    reg_key *k;
    uint32_t avail;
    if (!buf_len || nt_copy_from_user(&avail, buf_len, sizeof avail) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (count > 0x10000000u / sizeof(nt_key_value_entry))
        return STATUS_INVALID_PARAMETER;
    size_t ebytes = (size_t)count * sizeof(nt_key_value_entry);
    if (!nt_probe_write(user_entries, ebytes) || !nt_probe_write(buffer, avail) ||
        !nt_probe_write(buf_len, sizeof *buf_len) ||
        (required && !nt_probe_write(required, sizeof *required)))
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS st = key_from_handle(h, KEY_QUERY_VALUE, &obj, &k);
    if (st != STATUS_SUCCESS)
        return st;
    nt_key_value_entry *e = malloc(ebytes ? ebytes : 1);
    WCHAR **names = calloc(count ? count : 1, sizeof *names);
    size_t *lens = calloc(count ? count : 1, sizeof *lens);
    uint8_t *data = NULL;
    uint32_t done = 0;
    uint64_t total = 0;
    if (!e || !names || !lens) {
        st = STATUS_NO_MEMORY;
        goto out;
    }
    if (nt_copy_from_user(e, user_entries, ebytes) != 0) {
        st = STATUS_ACCESS_VIOLATION;
        goto out;
    }
    for (uint32_t i = 0; i < count && st == STATUS_SUCCESS; i++)
        st = ustr_from_user((const UNICODE_STRING *)(uintptr_t)e[i].ValueName, &names[i], &lens[i]);
    if (st != STATUS_SUCCESS)
        goto out;
    pthread_mutex_lock(&reg_lock);
    st = key_node_locked(obj, &k);
    for (; st == STATUS_SUCCESS && done < count; done++) { /* the layout first */
        const reg_value *v = key_find_value(k, names[done], lens[done]);
        if (!v) {
            st = STATUS_OBJECT_NAME_NOT_FOUND;
            break;
        }
        total = (total + 3) & ~(uint64_t)3;
        e[done].DataLength = v->size;
        e[done].DataOffset = (uint32_t)total;
        e[done].Type = v->type;
        total += v->size;
        if (total > 0xffffffffu)
            st = STATUS_INSUFFICIENT_RESOURCES;
    }
    if (st == STATUS_SUCCESS && total && !(data = malloc(total)))
        st = STATUS_NO_MEMORY;
    for (uint32_t i = 0; st == STATUS_SUCCESS && i < count; i++) { /* then the data */
        const reg_value *v = key_find_value(k, names[i], lens[i]);
        if (v->size)
            memcpy(data + e[i].DataOffset, v->data, v->size);
    }
    pthread_mutex_unlock(&reg_lock);
    if (st != STATUS_SUCCESS && st != STATUS_OBJECT_NAME_NOT_FOUND)
        goto out;
    /* entries up to a missing value, and every value's data that fits */
    if (nt_copy_to_user(user_entries, e, (size_t)done * sizeof *e) != 0) {
        st = STATUS_ACCESS_VIOLATION;
        goto out;
    }
    if (st != STATUS_SUCCESS)
        goto out;
    for (uint32_t i = 0; i < count; i++)
        if ((uint64_t)e[i].DataOffset + e[i].DataLength <= avail && e[i].DataLength &&
            nt_copy_to_user((uint8_t *)buffer + e[i].DataOffset, data + e[i].DataOffset,
                            e[i].DataLength) != 0) {
            st = STATUS_ACCESS_VIOLATION;
            goto out;
        }
    uint32_t t32 = (uint32_t)total;
    if (nt_copy_to_user(buf_len, &t32, sizeof t32) != 0 ||
        (required && nt_copy_to_user(required, &t32, sizeof t32) != 0))
        st = STATUS_ACCESS_VIOLATION;
    else if (total > avail)
        st = STATUS_BUFFER_OVERFLOW;
out:
    if (names)
        for (uint32_t i = 0; i < count; i++)
            free(names[i]);
    free(names);
    free(lens);
    free(data);
    free(e);
    nt_object_release(&obj->hdr);
    return st;
}

NTSTATUS NTAPI NtEnumerateValueKey(HANDLE h, uint32_t index, uint32_t klass, void *info,
                                   uint32_t len, uint32_t *ret_len)
{
    nt_key *obj;
    reg_key *k;
    if (!reg_out_ok(info, len, ret_len))
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS st = key_from_handle(h, KEY_QUERY_VALUE, &obj, &k);
    if (st != STATUS_SUCCESS)
        return st;
    pthread_mutex_lock(&reg_lock);
    st = key_node_locked(obj, &k);
    if (st == STATUS_SUCCESS)
        st = index < k->nval ? value_info(&k->val[index], klass, info, len, ret_len)
                             : NT_STATUS_NO_MORE_ENTRIES;
    pthread_mutex_unlock(&reg_lock);
    nt_object_release(&obj->hdr);
    return st;
}

NTSTATUS NTAPI NtEnumerateKey(HANDLE h, uint32_t index, uint32_t klass, void *info,
                              uint32_t len, uint32_t *ret_len)
{
    nt_key *obj;
    reg_key *k;
    if (!reg_out_ok(info, len, ret_len))
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS st = key_from_handle(h, KEY_ENUMERATE_SUB_KEYS, &obj, &k);
    if (st != STATUS_SUCCESS)
        return st;
    pthread_mutex_lock(&reg_lock);
    st = key_node_locked(obj, &k);
    if (st == STATUS_SUCCESS)
        st = index < k->nsub ? key_info(k->sub[index], klass, info, len, ret_len)
                             : NT_STATUS_NO_MORE_ENTRIES;
    pthread_mutex_unlock(&reg_lock);
    nt_object_release(&obj->hdr);
    return st;
}

NTSTATUS NTAPI NtQueryKey(HANDLE h, uint32_t klass, void *info, uint32_t len, uint32_t *ret_len)
{
    nt_key *obj;
    reg_key *k;
    if (!reg_out_ok(info, len, ret_len))
        return STATUS_ACCESS_VIOLATION;
    uint32_t need = klass == KeyNameInformation ? 0 : KEY_QUERY_VALUE;
    NTSTATUS st = key_from_handle(h, need, &obj, &k);
    if (st != STATUS_SUCCESS)
        return st;
    pthread_mutex_lock(&reg_lock);
    st = key_node_locked(obj, &k);
    if (st == STATUS_SUCCESS)
        st = key_info(k, klass, info, len, ret_len);
    pthread_mutex_unlock(&reg_lock);
    nt_object_release(&obj->hdr);
    return st;
}

/* Every change is on disk when the call that made it returns. */
/* ---- hives: NtSaveKey, NtLoadKey, NtUnloadKey ----
 * A hive file is ntrun's own format, the registry.txt records for one subtree: a first line
 * "NTRUN-HIVE 1", an N record with the saved key's name (what REG_WHOLE_HIVE_VOLATILE names
 * the new hive after), then K/C/L/V records whose key paths are relative to the saved key (the
 * saved key itself has an empty path). Volatile keys are not saved. NtLoadKey mounts such a
 * file as a new key right below \Registry\Machine or \Registry\User: its subtree is
 * written back to the file at every change (not to registry.txt) and the mount itself is
 * volatile (an H record in registry.volatile.txt), so it lasts until NtUnloadKey or the end
 * of the session, as a loaded hive lasts until Windows shuts down. As on Windows, saving
 * needs SeBackupPrivilege and restoring, loading, replacing or unloading a hive
 * SeRestorePrivilege, enabled in the caller's token (STATUS_PRIVILEGE_NOT_HELD). */
/* A hive's text as the whole contents of an open file. */
static NTSTATUS hive_write(nt_file *f, const char *text)
{
    NTSTATUS st = STATUS_SUCCESS;
    size_t len = strlen(text), done = 0;
    if (ftruncate(f->fd, 0) != 0 && errno != EINVAL)
        st = nt_status_from_errno(errno);
    while (st == STATUS_SUCCESS && done < len) {
        ssize_t w = pwrite(f->fd, text + done, len - done, (off_t)done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            st = w < 0 ? nt_status_from_errno(errno) : STATUS_DISK_FULL;
        else
            done += (size_t)w;
    }
    return st;
}

/* The root of the hive k is in: a hive NtLoadKey or RegLoadAppKey mounted, else the key right
 * below Machine or User (Software, System, a user's SID: one hive each, as on Windows). */
static const reg_key *key_hive(const reg_key *k)
{
    for (const reg_key *p = k; p; p = p->parent)
        if (p->hive_file)
            return p;
    while (k && k->parent && k->parent->parent && k->parent->parent->parent)
        k = k->parent;
    return k;
}

/* NtSaveKey (low NULL) and NtSaveMergedKeys(high, low, file): a key's subtree as a hive file,
 * or two keys' subtrees as one hive, the higher-precedence key's values, classes and subkeys
 * over the lower's (as HKEY_CLASSES_ROOT merges HKCU's and HKLM's Software\Classes); merged
 * keys must be in two hives. Needs SeBackupPrivilege and a file open for writing. */
static NTSTATUS save_keys(HANDLE high, HANDLE low, HANDLE file)
{
    if (!nt_token_privilege_enabled(NT_SE_BACKUP_PRIVILEGE))
        return STATUS_PRIVILEGE_NOT_HELD;
    nt_key *ho = NULL, *lo = NULL;
    reg_key *hk, *lk = NULL;
    nt_file *f = NULL;
    char *ht = NULL, *lt = NULL, *text = NULL;
    reg_key *tree = NULL;
    NTSTATUS st = key_from_handle(high, 0, &ho, &hk);
    if (st == STATUS_SUCCESS && low)
        st = key_from_handle(low, 0, &lo, &lk);
    if (st == STATUS_SUCCESS)
        st = nt_file_get(file, &f);
    if (st == STATUS_SUCCESS && !(f->access & FILE_WRITE_DATA))
        st = STATUS_ACCESS_DENIED;
    if (st == STATUS_SUCCESS) {
        pthread_mutex_lock(&reg_lock);
        st = reg_sync_locked();
        if (st == STATUS_SUCCESS)
            st = key_node_locked(ho, &hk);
        if (st == STATUS_SUCCESS && lo)
            st = key_node_locked(lo, &lk);
        if (st == STATUS_SUCCESS && lo && key_hive(hk) == key_hive(lk))
            st = STATUS_INVALID_PARAMETER; /* Windows merges two hives, never one with itself */
        if (st == STATUS_SUCCESS && (!(ht = hive_text(hk)) || (lo && !(lt = hive_text(lk)))))
            st = STATUS_NO_MEMORY;
        pthread_mutex_unlock(&reg_lock);
    }
    if (st == STATUS_SUCCESS && !lo) {
        text = ht;
        ht = NULL;
    } else if (st == STATUS_SUCCESS && /* the lower key's hive, then the higher's over it */
               (!(tree = key_new(u"", 0)) || !parse_into(tree, lt, strlen(lt), SAVE_HIVE) ||
                !parse_into(tree, ht, strlen(ht), SAVE_HIVE) || !(text = hive_text(tree)))) {
        st = STATUS_NO_MEMORY;
    }
    if (st == STATUS_SUCCESS)
        st = hive_write(f, text);
    key_free(tree);
    free(ht);
    free(lt);
    free(text);
    if (f)
        nt_object_release(&f->hdr);
    if (lo)
        nt_object_release(&lo->hdr);
    if (ho)
        nt_object_release(&ho->hdr);
    return st;
}

NTSTATUS NTAPI NtSaveKey(HANDLE h, HANDLE file) { return save_keys(h, NULL, file); }

NTSTATUS NTAPI NtSaveMergedKeys(HANDLE high, HANDLE low, HANDLE file)
{
    return save_keys(high, low, file);
}

NTSTATUS NTAPI NtSaveKeyEx(HANDLE h, HANDLE file, uint32_t format)
{
    if (format != 1 && format != 2 && format != 4) /* REG_STANDARD_FORMAT, _LATEST_, _NO_COMPRESSION */
        return STATUS_INVALID_PARAMETER;
    return save_keys(h, NULL, file);
}

/* A whole file from its start (malloc'd, *size set); NULL when it cannot be read. */
static char *pread_all(int fd, size_t *size)
{
    struct stat sb;
    if (fstat(fd, &sb) != 0)
        return NULL;
    char *text = malloc((size_t)sb.st_size + 1);
    size_t got = 0;
    while (text && got < (size_t)sb.st_size) {
        ssize_t r = pread(fd, text + got, (size_t)sb.st_size - got, (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    *size = got;
    return text;
}

/* Under reg_lock: k's values, subkeys and class become those of `from` (a parsed hive, freed);
 * k keeps its name, place and kind. Restored below a volatile key, the subtree is volatile. */
static void key_take_contents(reg_key *k, reg_key *from)
{
    for (size_t i = 0; i < k->nsub; i++)
        key_free(k->sub[i]);
    for (size_t i = 0; i < k->nval; i++) {
        free(k->val[i].name);
        free(k->val[i].data);
    }
    free(k->sub);
    free(k->val);
    free(k->cls);
    k->sub = from->sub, k->nsub = from->nsub, k->capsub = from->capsub;
    k->val = from->val, k->nval = from->nval, k->capval = from->capval;
    k->cls = from->cls, k->cls_len = from->cls_len;
    from->sub = NULL, from->nsub = from->capsub = 0;
    from->val = NULL, from->nval = from->capval = 0;
    from->cls = NULL;
    key_free(from);
    for (size_t i = 0; i < k->nsub; i++)
        k->sub[i]->parent = k;
    if (k->volatile_) {
        reg_key *stack[REG_MAX_DEPTH + 1];
        size_t idx[REG_MAX_DEPTH + 1], depth = 0;
        stack[0] = k, idx[0] = 0;
        for (;;) { /* every key below k, depth first */
            reg_key *cur = stack[depth];
            if (idx[depth] < cur->nsub && depth < REG_MAX_DEPTH) {
                reg_key *c = cur->sub[idx[depth]++];
                c->volatile_ = true;
                stack[++depth] = c, idx[depth] = 0;
            } else if (depth == 0) {
                break;
            } else {
                depth--;
            }
        }
    }
    k->mtime = reg_now();
}

/* ---- NtRestoreKey ----
 * The key's values and subkeys are replaced by those of a hive file NtSaveKey wrote (read
 * through the file handle, from its start; it needs FILE_READ_DATA). REG_FORCE_RESTORE,
 * REG_NO_LAZY_FLUSH and REG_REFRESH_HIVE change nothing here (handles below the key find the
 * restored keys by name, or STATUS_KEY_DELETED). REG_WHOLE_HIVE_VOLATILE makes the file a new
 * memory-only hive below the key, which must be \Registry\Machine or \Registry\User
 * (HKEY_LOCAL_MACHINE, HKEY_USERS: else STATUS_INVALID_PARAMETER), named as the saved key was
 * (STATUS_OBJECT_NAME_COLLISION when that name is taken); it lasts the session, as Windows'
 * lasts until the reboot. */

/* The root key's name a hive file records (its "N" line), malloc'd; NULL if it has none. */
static WCHAR *hive_root_name(const char *text, size_t size, size_t *len)
{
    const char *nl = memchr(text, '\n', size);
    if (!nl || (size_t)(nl + 1 - text) + 2 > size || nl[1] != 'N' || nl[2] != ' ')
        return NULL;
    const char *p = nl + 3, *e = memchr(p, '\n', size - (size_t)(p - text));
    WCHAR *name = unesc(p, e ? (size_t)(e - p) : size - (size_t)(p - text), len);
    if (name && !*len) {
        free(name);
        return NULL;
    }
    return name;
}

static void key_mark_volatile(reg_key *k)
{
    k->volatile_ = true;
    for (size_t i = 0; i < k->nsub; i++)
        key_mark_volatile(k->sub[i]);
}
#define REG_WHOLE_HIVE_VOLATILE 0x1u
#define REG_REFRESH_HIVE 0x2u
#define REG_NO_LAZY_FLUSH 0x4u
#define REG_FORCE_RESTORE 0x8u
NTSTATUS NTAPI NtRestoreKey(HANDLE h, HANDLE file, uint32_t flags)
{
    if (flags & ~(REG_WHOLE_HIVE_VOLATILE | REG_REFRESH_HIVE | REG_NO_LAZY_FLUSH |
                  REG_FORCE_RESTORE))
        return STATUS_INVALID_PARAMETER;
    if (!nt_token_privilege_enabled(NT_SE_RESTORE_PRIVILEGE))
        return STATUS_PRIVILEGE_NOT_HELD;
    nt_key *obj;
    reg_key *k;
    NTSTATUS st = key_from_handle(h, 0, &obj, &k);
    if (st != STATUS_SUCCESS)
        return st;
    nt_file *f;
    st = nt_file_get(file, &f);
    if (st != STATUS_SUCCESS) {
        nt_object_release(&obj->hdr);
        return st;
    }
    size_t size = 0, name_len = 0;
    char *text = NULL;
    WCHAR *name = NULL;
    reg_key *tree = NULL;
    bool whole = (flags & REG_WHOLE_HIVE_VOLATILE) != 0;
    static const WCHAR machine[] = u"Machine", user[] = u"User";
    const WCHAR *kp = obj->path;
    size_t kl = obj->len;
    while (kl && *kp == '\\')
        kp++, kl--;
    if (whole && !((kl == 7 && nt_wcsicmp_n(kp, 7, machine, 7) == 0) ||
                   (kl == 4 && nt_wcsicmp_n(kp, 4, user, 4) == 0)))
        st = STATUS_INVALID_PARAMETER;
    else if (!(f->access & FILE_READ_DATA))
        st = STATUS_ACCESS_DENIED;
    else if (!(text = pread_all(f->fd, &size)))
        st = STATUS_NO_MEMORY;
    else if (!(tree = key_new(u"", 0)))
        st = STATUS_NO_MEMORY;
    else if (!parse_into(tree, text, size, SAVE_HIVE))
        st = STATUS_REGISTRY_CORRUPT;
    else if (whole && !(name = hive_root_name(text, size, &name_len)))
        st = STATUS_REGISTRY_CORRUPT; /* a file without its root's name */
    free(text);
    if (st == STATUS_SUCCESS) {
        int lockfd = -1;
        pthread_mutex_lock(&reg_lock);
        st = reg_write_begin(&lockfd);
        if (st == STATUS_SUCCESS)
            st = key_node_locked(obj, &k);
        if (st == STATUS_SUCCESS && whole) { /* a new volatile hive below k */
            reg_key *hive = NULL;
            if (key_child(k, name, name_len))
                st = STATUS_OBJECT_NAME_COLLISION;
            else if (!(hive = key_add_sub(k, name, name_len, NULL)))
                st = STATUS_NO_MEMORY;
            if (hive) {
                key_take_contents(hive, tree);
                tree = NULL;
                key_mark_volatile(hive);
                st = reg_write_end(lockfd);
                lockfd = -1;
                notify_key_locked(k, REG_NOTIFY_CHANGE_NAME);
            }
        } else if (st == STATUS_SUCCESS) {
            key_take_contents(k, tree);
            tree = NULL;
            st = reg_write_end(lockfd);
            lockfd = -1;
            notify_key_locked(k, REG_NOTIFY_CHANGE_NAME | REG_NOTIFY_CHANGE_LAST_SET);
        }
        if (lockfd >= 0)
            close(lockfd);
        pthread_mutex_unlock(&reg_lock);
    }
    key_free(tree);
    free(name);
    nt_object_release(&f->hdr);
    nt_object_release(&obj->hdr);
    return st;
}

/* The target of NtLoadKey/NtUnloadKey: \Registry\Machine\X or \Registry\User\X; an
 * application hive's (`app`): \Registry\A\X. */
static NTSTATUS hive_target_in(const OBJECT_ATTRIBUTES *attr, WCHAR **path, size_t *len,
                               reg_comp *c, bool app)
{
    uint32_t attrs;
    NTSTATUS st = attr_path(attr, path, len, &attrs);
    if (st != STATUS_SUCCESS)
        return st;
    int n = split_path(*path, *len, c, REG_MAX_DEPTH);
    static const WCHAR machine[] = u"Machine", user[] = u"User", a[] = u"A";
    if (n != 2 || (app && !(c[0].len == 1 && nt_wcsicmp_n(c[0].s, 1, a, 1) == 0)) ||
        (!app && !((c[0].len == 7 && nt_wcsicmp_n(c[0].s, 7, machine, 7) == 0) ||
                   (c[0].len == 4 && nt_wcsicmp_n(c[0].s, 4, user, 4) == 0)))) {
        free(*path);
        *path = NULL;
        return STATUS_INVALID_PARAMETER;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS hive_target(const OBJECT_ATTRIBUTES *attr, WCHAR **path, size_t *len,
                            reg_comp *c)
{
    return hive_target_in(attr, path, len, c, false);
}

/* An application hive's file, created as an empty hive when missing (RegLoadAppKey). */
static NTSTATUS app_hive_file(const char *unix_path)
{
    int fd = open(unix_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return errno == EEXIST ? STATUS_SUCCESS : nt_status_from_errno(errno);
    static const char empty[] = "NTRUN-HIVE 1\n";
    ssize_t w = write(fd, empty, sizeof empty - 1);
    close(fd);
    return w == (ssize_t)(sizeof empty - 1) ? STATUS_SUCCESS : STATUS_DISK_FULL;
}

/* Under reg_lock: the application hive already mounted from file `real`, else NULL. */
static reg_key *app_hive_mounted(const reg_key *a, const char *real)
{
    for (size_t i = 0; a && i < a->nsub; i++)
        if (a->sub[i]->hive_file && !strcmp(a->sub[i]->hive_file, real))
            return a->sub[i];
    return NULL;
}

/* NtLoadKey's work: the hive file mounted at the target (for an application hive, `app`: below
 * \Registry\A, the file created when missing, and an application hive of the same file
 * already mounted shared); *mounted (when not NULL) the mount's path below \Registry. */
static NTSTATUS hive_load(const OBJECT_ATTRIBUTES *target, const OBJECT_ATTRIBUTES *file,
                          bool app, WCHAR **mounted, size_t *mounted_len)
{
    if (mounted)
        *mounted = NULL;
    WCHAR *path;
    size_t len;
    reg_comp c[REG_MAX_DEPTH];
    NTSTATUS st = hive_target_in(target, &path, &len, c, app);
    if (st != STATUS_SUCCESS)
        return st;
    char *unix_path = NULL;
    st = nt_attr_to_unix(file, &unix_path);
    if (st == STATUS_SUCCESS && app)
        st = app_hive_file(unix_path);
    if (st != STATUS_SUCCESS) {
        free(unix_path);
        free(path);
        return st;
    }
    char *real = realpath(unix_path, NULL);
    if (!real) {
        st = errno == ENOENT ? STATUS_OBJECT_NAME_NOT_FOUND : nt_status_from_errno(errno);
        goto out_free;
    }
    int lockfd = -1;
    pthread_mutex_lock(&reg_lock);
    st = reg_write_begin(&lockfd);
    if (st != STATUS_SUCCESS)
        goto out_unlock;
    reg_key *parent = key_child(reg_root, c[0].s, c[0].len);
    if (!parent && app) { /* \Registry\A: memory only, like the hives below it */
        bool created;
        if ((parent = key_add_sub(reg_root, c[0].s, c[0].len, &created)))
            parent->volatile_ = parent->app_root = true;
    }
    if (!parent) {
        st = app ? STATUS_NO_MEMORY : STATUS_OBJECT_NAME_NOT_FOUND;
        goto out_close;
    }
    if (app)
        parent->volatile_ = parent->app_root = true;
    reg_key *k = app ? app_hive_mounted(parent, real) : NULL;
    if (k) { /* the same file again: the hive already mounted */
        if (mounted && !(*mounted = key_path(k, mounted_len)))
            st = STATUS_NO_MEMORY;
        goto out_close;
    }
    if (key_child(parent, c[1].s, c[1].len)) {
        st = STATUS_OBJECT_NAME_COLLISION;
        goto out_close;
    }
    bool created;
    k = key_add_sub(parent, c[1].s, c[1].len, &created);
    if (!k) {
        st = STATUS_NO_MEMORY;
        goto out_close;
    }
    if (!load_hive(k, real)) {
        key_remove_sub(parent, k);
        st = STATUS_REGISTRY_CORRUPT;
        goto out_close;
    }
    k->hive_file = real;
    real = NULL;
    if (app && (st = app_hive_hold(k)) != STATUS_SUCCESS) {
        key_remove_sub(parent, k); /* the file is open elsewhere without sharing */
        goto out_close;
    }
    if (mounted && !(*mounted = key_path(k, mounted_len)))
        st = STATUS_NO_MEMORY;
    if (st != STATUS_SUCCESS)
        goto out_close;
    st = reg_write_end(lockfd);
    lockfd = -1;
    notify_key_locked(parent, REG_NOTIFY_CHANGE_NAME);
out_close:
    if (lockfd >= 0)
        close(lockfd);
out_unlock:
    pthread_mutex_unlock(&reg_lock);
out_free:
    free(real);
    free(unix_path);
    free(path);
    return st;
}

NTSTATUS NTAPI NtLoadKey(const OBJECT_ATTRIBUTES *target, const OBJECT_ATTRIBUTES *file)
{
    if (!nt_token_privilege_enabled(NT_SE_RESTORE_PRIVILEGE))
        return STATUS_PRIVILEGE_NOT_HELD;
    return hive_load(target, file, false, NULL, NULL);
}

NTSTATUS NTAPI NtLoadKey2(const OBJECT_ATTRIBUTES *target, const OBJECT_ATTRIBUTES *file,
                          uint32_t flags)
{
    (void)flags; /* REG_NO_LAZY_FLUSH and the like: every change is written at once anyway */
    return NtLoadKey(target, file);
}

/* NtLoadKeyEx(target, file, flags, trust class key, event, access, root handle, reserved):
 * NtLoadKey, then a handle to the hive's root when `root` is given. An application hive
 * (REG_APP_HIVE, RegLoadAppKey) is mounted below \Registry\A without any privilege, its file
 * created when missing, held sharing nothing while mounted; loading the same file again gives
 * the hive already mounted. The last handle inside it unloads it (key_destroy), as Windows
 * does; \Registry\A is not openable by path. The trust class key and the unload event are
 * not used. */
#define REG_APP_HIVE 0x10u
NTSTATUS NTAPI NtLoadKeyEx(const OBJECT_ATTRIBUTES *target, const OBJECT_ATTRIBUTES *file,
                           uint32_t flags, HANDLE trust_key, HANDLE event, uint32_t access,
                           HANDLE *root, void *reserved)
{
    (void)trust_key, (void)event, (void)reserved;
    HANDLE none = NULL;
    if (root && nt_copy_to_user(root, &none, sizeof none) != 0)
        return STATUS_ACCESS_VIOLATION;
    bool app = (flags & REG_APP_HIVE) != 0;
    if (app && !root)
        return STATUS_INVALID_PARAMETER; /* an application hive is reached by its handle */
    if (!app && !nt_token_privilege_enabled(NT_SE_RESTORE_PRIVILEGE))
        return STATUS_PRIVILEGE_NOT_HELD;
    WCHAR *mounted = NULL;
    size_t mlen = 0;
    NTSTATUS st = hive_load(target, file, app, root ? &mounted : NULL, &mlen);
    if (st == STATUS_SUCCESS && root) {
        static const WCHAR prefix[] = u"\\Registry\\";
        size_t plen = sizeof prefix / sizeof prefix[0] - 1;
        WCHAR *full = malloc((plen + mlen + 1) * sizeof *full);
        if (!full) {
            st = STATUS_NO_MEMORY;
        } else {
            memcpy(full, prefix, plen * sizeof *full);
            memcpy(full + plen, mounted, mlen * sizeof *full);
            UNICODE_STRING us = {.Length = (uint16_t)((plen + mlen) * sizeof *full),
                                 .MaximumLength = (uint16_t)((plen + mlen) * sizeof *full),
                                 .Buffer = full};
            OBJECT_ATTRIBUTES oa = {.Length = sizeof oa, .ObjectName = &us,
                                    .Attributes = 0x40 /* OBJ_CASE_INSENSITIVE */};
            st = key_open(root, access, &oa, app);
            free(full);
        }
    }
    if (st != STATUS_SUCCESS && app && mounted) { /* mounted for a handle it did not get */
        pthread_mutex_lock(&reg_lock);
        reg_key *k = lookup_path(mounted, mlen);
        if (k && k->parent && k->parent->app_root && !k->app_handles)
            app_hive_unload_locked(k);
        pthread_mutex_unlock(&reg_lock);
    }
    free(mounted);
    return st;
}

/* NtLoadKey3(target, file, flags, extended parameters, their count, access, root handle,
 * reserved): NtLoadKeyEx with the trust class key and event given as extended parameters
 * (CM_EXTENDED_PARAMETER: 8-byte type, 8-byte value), which ntrun does not use either. */
NTSTATUS NTAPI NtLoadKey3(const OBJECT_ATTRIBUTES *target, const OBJECT_ATTRIBUTES *file,
                          uint32_t flags, void *params, uint32_t nparams, uint32_t access,
                          HANDLE *root, void *reserved)
{
    (void)params, (void)nparams;
    return NtLoadKeyEx(target, file, flags, NULL, NULL, access, root, reserved);
}

/* NtReplaceKey(new file, key, old file): the key must be the root of a hive NtLoadKey mounted.
 * As on Windows the loaded hive goes on in its file under the old file's name (which must not
 * exist yet), and the new file (a valid hive) takes the hive file's name, so the next
 * NtLoadKey of that name sees the new contents. */
NTSTATUS NTAPI NtReplaceKey(const OBJECT_ATTRIBUTES *new_file, HANDLE h,
                            const OBJECT_ATTRIBUTES *old_file)
{
    if (!nt_token_privilege_enabled(NT_SE_RESTORE_PRIVILEGE))
        return STATUS_PRIVILEGE_NOT_HELD;
    nt_key *obj;
    reg_key *k;
    NTSTATUS st = key_from_handle(h, 0, &obj, &k);
    if (st != STATUS_SUCCESS)
        return st;
    char *new_path = NULL, *old_path = NULL, *new_real = NULL, *old_real = NULL;
    st = nt_attr_to_unix(new_file, &new_path);
    if (st == STATUS_SUCCESS)
        st = nt_attr_to_unix(old_file, &old_path);
    if (st != STATUS_SUCCESS)
        goto out_free;
    new_real = realpath(new_path, NULL);
    if (!new_real) {
        st = errno == ENOENT ? STATUS_OBJECT_NAME_NOT_FOUND : nt_status_from_errno(errno);
        goto out_free;
    }
    reg_key *probe = key_new(u"", 0);
    if (!probe) {
        st = STATUS_NO_MEMORY;
        goto out_free;
    }
    bool valid = load_hive(probe, new_real);
    key_free(probe);
    if (!valid) {
        st = STATUS_REGISTRY_CORRUPT;
        goto out_free;
    }
    struct stat sb;
    if (lstat(old_path, &sb) == 0) {
        st = STATUS_OBJECT_NAME_COLLISION;
        goto out_free;
    }
    int lockfd = -1;
    pthread_mutex_lock(&reg_lock);
    st = reg_write_begin(&lockfd);
    if (st == STATUS_SUCCESS)
        st = key_node_locked(obj, &k);
    if (st == STATUS_SUCCESS && !k->hive_file)
        st = STATUS_INVALID_PARAMETER; /* not a hive's root */
    if (st == STATUS_SUCCESS && rename(k->hive_file, old_path) != 0)
        st = nt_status_from_errno(errno);
    if (st == STATUS_SUCCESS && rename(new_real, k->hive_file) != 0) {
        st = nt_status_from_errno(errno);
        rename(old_path, k->hive_file);
    }
    if (st == STATUS_SUCCESS && !(old_real = realpath(old_path, NULL)))
        st = STATUS_NO_MEMORY;
    if (st == STATUS_SUCCESS) {
        free(k->hive_file);
        k->hive_file = old_real; /* the live hive's file now */
        old_real = NULL;
        st = reg_write_end(lockfd);
        lockfd = -1;
    }
    if (lockfd >= 0)
        close(lockfd);
    pthread_mutex_unlock(&reg_lock);
out_free:
    free(old_real);
    free(new_real);
    free(old_path);
    free(new_path);
    nt_object_release(&obj->hdr);
    return st;
}

NTSTATUS NTAPI NtUnloadKey(const OBJECT_ATTRIBUTES *target)
{
    if (!nt_token_privilege_enabled(NT_SE_RESTORE_PRIVILEGE))
        return STATUS_PRIVILEGE_NOT_HELD;
    WCHAR *path;
    size_t len;
    reg_comp c[REG_MAX_DEPTH];
    NTSTATUS st = hive_target(target, &path, &len, c);
    if (st != STATUS_SUCCESS)
        return st;
    int lockfd = -1;
    pthread_mutex_lock(&reg_lock);
    st = reg_write_begin(&lockfd);
    if (st == STATUS_SUCCESS) {
        reg_key *k = lookup_path(path, len);
        if (!k)
            st = STATUS_OBJECT_NAME_NOT_FOUND;
        else if (!k->hive_file)
            st = STATUS_INVALID_PARAMETER; /* not a hive's root */
        if (st == STATUS_SUCCESS) {
            char *text = hive_text(k);
            if (text)
                write_replace(k->hive_file, text, true);
            free(text);
            reg_key *parent = k->parent;
            notify_key_locked(k, REG_NOTIFY_ALL);
            key_remove_sub(parent, k);
            st = reg_write_end(lockfd);
            lockfd = -1;
            notify_key_locked(parent, REG_NOTIFY_CHANGE_NAME);
        }
        if (lockfd >= 0)
            close(lockfd);
    }
    pthread_mutex_unlock(&reg_lock);
    free(path);
    return st;
}

NTSTATUS NTAPI NtUnloadKey2(const OBJECT_ATTRIBUTES *target, uint32_t flags)
{
    (void)flags;
    return NtUnloadKey(target);
}

NTSTATUS NTAPI NtFlushKey(HANDLE h)
{
    nt_key *obj;
    reg_key *k;
    NTSTATUS st = key_from_handle(h, 0, &obj, &k);
    if (st != STATUS_SUCCESS)
        return st;
    pthread_mutex_lock(&reg_lock);
    st = key_node_locked(obj, &k);
    pthread_mutex_unlock(&reg_lock);
    nt_object_release(&obj->hdr);
    return st;
}

/* Asynchronous: STATUS_PENDING, then `event` is set and the IO_STATUS_BLOCK filled when this
 * process changes the key (or, with watch_tree, a key below it), or with
 * STATUS_NOTIFY_CLEANUP when the key handle is closed. Synchronous: waits for that. APC
 * routines are not called. */
NTSTATUS NTAPI NtNotifyChangeKey(HANDLE h, HANDLE event, void *apc, void *apc_ctx,
                                 IO_STATUS_BLOCK *io, uint32_t filter, BOOLEAN watch_tree,
                                 void *buffer, uint32_t buf_len, BOOLEAN async)
{
    nt_key *obj;
    reg_key *k;
    HANDLE own_event = NULL;
    (void)apc;
    (void)apc_ctx;
    (void)buffer;
    (void)buf_len;
    if (!filter || (filter & ~0x1Fu))
        return STATUS_INVALID_PARAMETER;
    NTSTATUS st = key_from_handle(h, KEY_NOTIFY, &obj, &k);
    if (st != STATUS_SUCCESS)
        return st;
    if (!async) {
        st = NtCreateEvent(&own_event, 0x1F0003, NULL, NT_NOTIFICATION_EVENT, 0);
        if (st != STATUS_SUCCESS)
            goto out_obj;
        event = own_event;
    } else if (event) {
        st = NtResetEvent(event, NULL);
        if (st != STATUS_SUCCESS)
            goto out_obj;
    }
    reg_watch *w = calloc(1, sizeof *w);
    if (!w) {
        st = STATUS_NO_MEMORY;
        goto out_event;
    }
    w->key = obj;
    w->event = event;
    w->io = async ? io : NULL;
    w->tree = watch_tree != 0;
    w->filter = filter;
    pthread_mutex_lock(&reg_lock);
    st = key_node_locked(obj, &k);
    if (st == STATUS_SUCCESS) {
        w->digest = watch_digest_locked(w);
        reg_watcher_start_locked();
        w->next = reg_watches;
        reg_watches = w;
        w = NULL;
    }
    pthread_mutex_unlock(&reg_lock);
    free(w);
    if (st != STATUS_SUCCESS)
        goto out_event;
    if (async) {
        IO_STATUS_BLOCK pending = {.Status = STATUS_PENDING};
        if (io)
            nt_copy_to_user(io, &pending, sizeof pending);
        st = STATUS_PENDING;
    } else {
        st = NtWaitForSingleObject(own_event, 0, NULL);
        pthread_mutex_lock(&reg_lock); /* a wait that ended otherwise leaves its watch */
        for (reg_watch **pp = &reg_watches; *pp; pp = &(*pp)->next) {
            if ((*pp)->event == own_event) {
                reg_watch *dead = *pp;
                *pp = dead->next;
                free(dead);
                break;
            }
        }
        pthread_mutex_unlock(&reg_lock);
        if (st == STATUS_SUCCESS && io) {
            IO_STATUS_BLOCK done = {.Status = STATUS_SUCCESS};
            nt_copy_to_user(io, &done, sizeof done);
        }
    }
out_event:
    if (own_event)
        NtClose(own_event);
out_obj:
    nt_object_release(&obj->hdr);
    return st;
}

/* For tests and libntrun: forget the tree, so the next call loads the file again. */
void nt_registry_reset(void)
{
    pthread_mutex_lock(&reg_lock);
    reg_forget_locked();
    pthread_mutex_unlock(&reg_lock);
}
