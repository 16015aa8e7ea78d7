/* SPDX-License-Identifier: MIT */
/* NtQueryDirectoryFile: directory listings in the FileDirectory, FileFullDirectory,
 * FileBothDirectory, FileNames, FileIdBothDirectory and FileIdFullDirectory formats.
 *
 * Windows (NTFS) behaviour reproduced: the mask given on the first call for a handle is kept for
 * the life of the handle (RestartScan starts over with it); "." and ".." come first, except in a
 * drive's root directory; the other names follow in NTFS order (upper-cased ordinal); * and ?
 * match as in FsRtlIsNameInExpression, with the DOS wildcards < > " too, case-insensitively.
 * The first call that matches nothing returns STATUS_NO_SUCH_FILE (IO_STATUS_BLOCK untouched),
 * later calls past the end STATUS_NO_MORE_FILES. Entries are 8-byte aligned; a buffer too small
 * for the first entry gets its fixed part and as much of the name as fits, with
 * STATUS_BUFFER_OVERFLOW. Short names are empty (8.3 names disabled). The listing is a snapshot
 * taken by the first call and by each RestartScan. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"

#define NT_FileIdBothDirectoryInformation 37
#define NT_FileIdFullDirectoryInformation 38

typedef struct nt_dir_entry {
    char *name;   /* UTF-8, for stat */
    WCHAR *wname; /* UTF-16, as reported */
    size_t wlen;
} nt_dir_entry;

struct nt_dir_scan {
    WCHAR *mask; /* upper-cased; NULL matches everything */
    size_t mask_len;
    nt_dir_entry *entries;
    size_t count, pos;
};

typedef struct {
    uint32_t klass;
    uint32_t name_off;  /* FileName */
    uint32_t len_off;   /* FileNameLength */
    int32_t file_id_off; /* FileId, or -1 */
} nt_dir_class;

static const nt_dir_class nt_dir_classes[] = {
    {FileDirectoryInformation, 0x40, 0x3c, -1},
    {FileFullDirectoryInformation, 0x44, 0x3c, -1},
    {FileBothDirectoryInformation, 0x5e, 0x3c, -1},
    {FileNamesInformation, 0x0c, 0x08, -1},
    {NT_FileIdBothDirectoryInformation, 0x68, 0x3c, 0x60},
    {NT_FileIdFullDirectoryInformation, 0x50, 0x3c, 0x48},
};

static void entries_free(struct nt_dir_scan *s)
{
    for (size_t i = 0; i < s->count; i++) {
        free(s->entries[i].name);
        free(s->entries[i].wname);
    }
    free(s->entries);
    s->entries = NULL;
    s->count = s->pos = 0;
}

void nt_dir_scan_free(struct nt_dir_scan *scan)
{
    if (!scan)
        return;
    entries_free(scan);
    free(scan->mask);
    free(scan);
}

/* ---- wildcard matching (mask upper-cased, name upper-cased here) ---- */
static bool has_dot_after(const WCHAR *n, size_t from, size_t len)
{
    for (size_t i = from; i < len; i++)
        if (n[i] == '.')
            return true;
    return false;
}

static bool match_at(const WCHAR *m, size_t mi, size_t ml, const WCHAR *n, size_t ni, size_t nl,
                     int depth)
{
    if (depth > 64) /* pathological masks: give up rather than recurse forever */
        return false;
    while (mi < ml) {
        WCHAR c = m[mi];
        switch (c) {
        case '*':
            mi++;
            if (mi == ml)
                return true;
            for (size_t k = ni; k <= nl; k++)
                if (match_at(m, mi, ml, n, k, nl, depth + 1))
                    return true;
            return false;
        case '<': /* DOS_STAR: any characters up to (not past) the last dot */
            mi++;
            for (size_t k = ni; k <= nl; k++) {
                if (match_at(m, mi, ml, n, k, nl, depth + 1))
                    return true;
                if (k < nl && n[k] == '.' && !has_dot_after(n, k + 1, nl))
                    break;
            }
            return false;
        case '>': /* DOS_QM: one character, or none at a dot or the end */
            mi++;
            if (ni < nl && n[ni] != '.')
                ni++;
            break;
        case '"': /* DOS_DOT: a dot, or nothing at the end */
            mi++;
            if (ni < nl && n[ni] == '.')
                ni++;
            else if (ni != nl)
                return false;
            break;
        case '?':
            if (ni == nl)
                return false;
            mi++, ni++;
            break;
        default:
            if (ni == nl || nt_towupper(n[ni]) != c)
                return false;
            mi++, ni++;
            break;
        }
    }
    return ni == nl;
}

static bool mask_match(const struct nt_dir_scan *s, const WCHAR *name, size_t len)
{
    if (!s->mask)
        return true;
    return match_at(s->mask, 0, s->mask_len, name, 0, len, 0);
}

static int entry_cmp(const void *a, const void *b)
{
    const nt_dir_entry *x = a, *y = b;
    int r = nt_wcsicmp_n(x->wname, x->wlen, y->wname, y->wlen);
    return r ? r : strcmp(x->name, y->name);
}

static bool entry_add(struct nt_dir_scan *s, size_t *cap, const char *name)
{
    size_t wlen;
    WCHAR *w = nt_utf8_to_utf16(name, strlen(name), &wlen);
    if (!w)
        return false;
    if (!mask_match(s, w, wlen)) {
        free(w);
        return true;
    }
    if (s->count == *cap) {
        size_t c = *cap ? *cap * 2 : 32;
        nt_dir_entry *e = realloc(s->entries, c * sizeof *e);
        if (!e) {
            free(w);
            return false;
        }
        s->entries = e;
        *cap = c;
    }
    char *copy = strdup(name);
    if (!copy) {
        free(w);
        return false;
    }
    s->entries[s->count++] = (nt_dir_entry){copy, w, wlen};
    return true;
}

static bool is_drive_root(const nt_file *f)
{
    WCHAR *dos = f->unix_path ? nt_path_from_unix(f->unix_path) : NULL;
    bool root = dos && nt_wcslen(dos) == 3 && dos[1] == ':';
    free(dos);
    return root;
}

/* Takes the snapshot: ".", "..", then the sorted names matching the mask. */
static NTSTATUS scan_directory(nt_file *f, struct nt_dir_scan *s)
{
    size_t cap = 0, first;
    struct dirent *de;
    int dfd;
    DIR *d;
    entries_free(s);
    if (!is_drive_root(f) && (!entry_add(s, &cap, ".") || !entry_add(s, &cap, "..")))
        return STATUS_NO_MEMORY;
    first = s->count;
    dfd = openat(f->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return nt_status_from_errno(errno);
    d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return STATUS_NO_MEMORY;
    }
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (!entry_add(s, &cap, de->d_name)) {
            closedir(d);
            return STATUS_NO_MEMORY;
        }
    }
    closedir(d);
    if (s->count > first + 1)
        qsort(s->entries + first, s->count - first, sizeof *s->entries, entry_cmp);
    s->pos = 0;
    return STATUS_SUCCESS;
}

static NTSTATUS mask_from_user(struct nt_dir_scan *s, const UNICODE_STRING *user_mask)
{
    UNICODE_STRING us;
    if (!user_mask)
        return STATUS_SUCCESS;
    if (nt_copy_from_user(&us, user_mask, sizeof us) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (us.Length < 2)
        return STATUS_SUCCESS;
    s->mask_len = us.Length / 2;
    s->mask = malloc(s->mask_len * sizeof(WCHAR));
    if (!s->mask)
        return STATUS_NO_MEMORY;
    if (nt_copy_from_user(s->mask, us.Buffer, s->mask_len * sizeof(WCHAR)) != 0) {
        free(s->mask);
        s->mask = NULL;
        return STATUS_ACCESS_VIOLATION;
    }
    for (size_t i = 0; i < s->mask_len; i++)
        s->mask[i] = nt_towupper(s->mask[i]);
    if (s->mask_len == 1 && s->mask[0] == '*') { /* the common case: no matching needed */
        free(s->mask);
        s->mask = NULL;
    }
    return STATUS_SUCCESS;
}

static void put32(uint8_t *p, size_t off, uint32_t v) { memcpy(p + off, &v, 4); }
static void put64(uint8_t *p, size_t off, int64_t v) { memcpy(p + off, &v, 8); }

/* The fixed part of one entry at p (name_off bytes). */
static void fill_fixed(uint8_t *p, const nt_dir_class *c, const nt_dir_entry *e,
                       const nt_stat *st)
{
    put32(p, c->len_off, (uint32_t)(e->wlen * sizeof(WCHAR)));
    if (c->klass == FileNamesInformation)
        return;
    bool dir = S_ISDIR(st->mode) || S_ISLNK(st->mode); /* (a link has no size) */
    put64(p, 0x08, st->creation);
    put64(p, 0x10, st->access);
    put64(p, 0x18, st->write);
    put64(p, 0x20, st->change);
    put64(p, 0x28, dir ? 0 : (int64_t)st->size);
    put64(p, 0x30, dir ? 0 : (int64_t)st->alloc);
    put32(p, 0x38, nt_file_attributes(st, e->name));
    if (c->name_off > 0x44 && st->reparse_tag) /* EaSize holds a reparse point's tag */
        put32(p, 0x40, st->reparse_tag);
    if (c->file_id_off >= 0)
        put64(p, (size_t)c->file_id_off, (int64_t)st->ino);
}

static bool entry_stat(nt_file *f, const nt_dir_entry *e, nt_stat *st)
{
    /* a symbolic link is listed as itself: a reparse point (ntemu/reparse.c) */
    return nt_stat_at(f->fd, e->name, AT_SYMLINK_NOFOLLOW, st) == 0;
}

/* Fills buf (len bytes, zeroed) from the scan position; *used = bytes filled. */
static NTSTATUS fill_entries(nt_file *f, struct nt_dir_scan *s, const nt_dir_class *c,
                             uint8_t *buf, size_t len, bool single, size_t *used)
{
    size_t end = 0, last = SIZE_MAX;
    NTSTATUS st = STATUS_SUCCESS;
    while (s->pos < s->count) {
        const nt_dir_entry *e = &s->entries[s->pos];
        nt_stat sb;
        if (!entry_stat(f, e, &sb)) { /* removed since the snapshot */
            s->pos++;
            continue;
        }
        size_t start = last == SIZE_MAX ? 0 : (end + 7) & ~(size_t)7;
        size_t name_bytes = e->wlen * sizeof(WCHAR), need = c->name_off + name_bytes;
        if (start + need > len) {
            if (last == SIZE_MAX) { /* not even one entry: as much as fits */
                fill_fixed(buf, c, e, &sb);
                memcpy(buf + c->name_off, e->wname, len - c->name_off);
                end = len;
                st = STATUS_BUFFER_OVERFLOW;
                s->pos++;
            }
            break;
        }
        fill_fixed(buf + start, c, e, &sb);
        memcpy(buf + start + c->name_off, e->wname, name_bytes);
        if (last != SIZE_MAX)
            put32(buf, last, (uint32_t)(start - last));
        last = start;
        end = start + need;
        s->pos++;
        if (single)
            break;
    }
    *used = end;
    if (end == 0)
        return STATUS_NO_MORE_FILES;
    return st;
}

NTSTATUS NTAPI NtQueryDirectoryFile(HANDLE h, HANDLE event, void *apc, void *apc_ctx,
                                    IO_STATUS_BLOCK *io, void *info, uint32_t len,
                                    uint32_t klass, BOOLEAN single_entry, UNICODE_STRING *mask,
                                    BOOLEAN restart_scan)
{
    const nt_dir_class *c = NULL;
    nt_file *f;
    nt_file_ext *fx;
    uint8_t *buf = NULL;
    size_t used = 0;
    bool first;
    NTSTATUS st = nt_file_get(h, &f);
    if (st != STATUS_SUCCESS)
        return st;
    fx = nt_file_ext_of(f);
    for (size_t i = 0; i < sizeof nt_dir_classes / sizeof nt_dir_classes[0]; i++)
        if (nt_dir_classes[i].klass == klass)
            c = &nt_dir_classes[i];
    /* The I/O status block and the whole buffer first: a buffer that runs into a page the
     * caller cannot write gets nothing, as Windows probes it before the scan. */
    if (!nt_probe_write(io, sizeof *io) || !nt_probe_write(info, len)) {
        st = STATUS_ACCESS_VIOLATION;
        goto release;
    }
    if (!c) {
        st = STATUS_INVALID_INFO_CLASS;
        goto release;
    }
    if (len < ((c->name_off + sizeof(WCHAR) + 7) & ~7u)) {
        st = STATUS_INFO_LENGTH_MISMATCH;
        goto release;
    }
    if (!f->is_dir) {
        st = STATUS_INVALID_PARAMETER;
        goto release;
    }
    if (!(f->access & FILE_LIST_DIRECTORY)) {
        st = STATUS_ACCESS_DENIED;
        goto release;
    }
    buf = calloc(1, len);
    if (!buf) {
        st = STATUS_NO_MEMORY;
        goto release;
    }

    pthread_mutex_lock(&fx->lock);
    first = !fx->scan;
    if (first) {
        struct nt_dir_scan *s = calloc(1, sizeof *s);
        if (!s) {
            st = STATUS_NO_MEMORY;
            goto unlock;
        }
        st = mask_from_user(s, mask);
        if (st != STATUS_SUCCESS) {
            nt_dir_scan_free(s);
            goto unlock;
        }
        fx->scan = s;
    }
    if (first || restart_scan) {
        st = scan_directory(f, fx->scan);
        if (st != STATUS_SUCCESS)
            goto unlock;
    }
    size_t saved_pos = fx->scan->pos;
    st = fill_entries(f, fx->scan, c, buf, len, single_entry, &used);
    if (st == STATUS_NO_MORE_FILES) {
        IO_STATUS_BLOCK end = {.Status = STATUS_NO_MORE_FILES};
        if (first)
            st = STATUS_NO_SUCH_FILE; /* the IO_STATUS_BLOCK stays untouched */
        else if (nt_copy_to_user(io, &end, sizeof end) != 0)
            st = STATUS_ACCESS_VIOLATION;
        goto unlock;
    }
    if (nt_copy_to_user(info, buf, used) != 0) {
        fx->scan->pos = saved_pos;
        st = STATUS_ACCESS_VIOLATION;
        goto unlock;
    }
    IO_STATUS_BLOCK iosb = {.Status = st, .Information = used};
    if (nt_copy_to_user(io, &iosb, sizeof iosb) != 0)
        st = STATUS_ACCESS_VIOLATION;
unlock:
    pthread_mutex_unlock(&fx->lock);
    free(buf);
release:
    nt_object_release(&f->hdr);
    return st;
}

NTSTATUS NTAPI NtQueryDirectoryFileEx(HANDLE h, HANDLE event, void *apc, void *apc_ctx,
                                      IO_STATUS_BLOCK *io, void *info, uint32_t len,
                                      uint32_t klass, uint32_t flags, UNICODE_STRING *mask)
{
    /* SL_RETURN_ON_DISK_ENTRIES_ONLY (8) changes nothing here; SL_INDEX_SPECIFIED and
     * SL_NO_CURSOR_UPDATE_QUERY are not supported. */
    if (flags & ~0xbu)
        return STATUS_INVALID_PARAMETER;
    return NtQueryDirectoryFile(h, event, apc, apc_ctx, io, info, len, klass,
                                (flags & 2) != 0, mask, (flags & 1) != 0);
}
