/* SPDX-License-Identifier: MIT */
/* Directory change notifications: NtNotifyChangeDirectoryFile(Ex) over inotify, with no thread
 * of its own.
 *
 * A directory's first request makes its watch (nt_dirwatch): an inotify descriptor watching the
 * directory (and with WatchTree every directory below it, including those made later), the
 * completion filter and tree flag of that first request (later ones' are ignored, as NTFS keeps
 * the first), and the size of its buffer, which is what Windows keeps of the changes made while
 * no request is pending. A request is an asynchronous request of the directory (ntemu/async.c)
 * whose readiness is the inotify descriptor's (nt_async_poll_fd): its attempt reads the pending
 * inotify events, turns them into changes (FILE_ACTION_*, names relative to the watched
 * directory with '\' between components) and, when there are any, writes them into the
 * caller's buffer as FILE_NOTIFY_INFORMATION (or _EXTENDED_INFORMATION) records. So the epoll
 * thread completes it, and its status block, event, APC and completion-port packet are those of
 * every overlapped request; CancelIo(Ex) ends it with STATUS_CANCELLED. Changes that do not fit
 * (the kept ones beyond the first buffer's size, or the request's buffer too small for them), or
 * an inotify queue overflow, end the next request with STATUS_NOTIFY_ENUM_DIR and 0 bytes: the
 * caller must look at the directory again. Closing the directory ends its pending request with
 * STATUS_NOTIFY_CLEANUP; the watched directory removed ends them with STATUS_DELETE_PENDING
 * (ERROR_ACCESS_DENIED), and every later one at once.
 *
 * How inotify's events become Windows' actions (filter bits in brackets):
 *   IN_CREATE            FILE_ACTION_ADDED           [FILE_NAME, or DIR_NAME for a directory]
 *   IN_DELETE            FILE_ACTION_REMOVED         [same]
 *   IN_MOVED_FROM + _TO  RENAMED_OLD_NAME + _NEW_NAME within one directory [same]; between
 *                        two directories (or in or out of the tree) REMOVED and ADDED, as NTFS
 *                        reports a move
 *   IN_MODIFY            FILE_ACTION_MODIFIED        [LAST_WRITE, SIZE]
 *   IN_ATTRIB            FILE_ACTION_MODIFIED        [ATTRIBUTES, LAST_WRITE, LAST_ACCESS,
 *                                                    CREATION, SECURITY, EA]
 * A MODIFIED repeating the change before it is not kept twice. A directory made in a watched
 * tree is watched as soon as its creation is read; what was made in it before that is reported
 * as ADDED then (a scan), without repeating what inotify reports after. A directory moved into
 * the tree is watched with what is below it, and only it is reported, as Windows does.
 *
 * Locking: a watch's changes and its inotify state are touched only by attempts, which run
 * under the directory's async lock; fx->lock guards the watch's creation. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"

#ifndef STATUS_NOTIFY_CLEANUP
#define STATUS_NOTIFY_CLEANUP ((NTSTATUS)0x0000010B)
#endif
#ifndef STATUS_NOTIFY_ENUM_DIR
#define STATUS_NOTIFY_ENUM_DIR ((NTSTATUS)0x0000010C)
#endif
#ifndef STATUS_DELETE_PENDING
#define STATUS_DELETE_PENDING ((NTSTATUS)0xC0000056)
#endif
#ifndef STATUS_DATATYPE_MISALIGNMENT
#define STATUS_DATATYPE_MISALIGNMENT ((NTSTATUS)0x80000002)
#endif
#ifndef STATUS_INVALID_INFO_CLASS
#define STATUS_INVALID_INFO_CLASS ((NTSTATUS)0xC0000003)
#endif

#define DN_FILE_NAME 0x001u
#define DN_DIR_NAME 0x002u
#define DN_ATTRIBUTES 0x004u
#define DN_SIZE 0x008u
#define DN_LAST_WRITE 0x010u
#define DN_LAST_ACCESS 0x020u
#define DN_CREATION 0x040u
#define DN_EA 0x080u
#define DN_SECURITY 0x100u
#define DN_VALID_MASK 0xfffu
#define DN_ATTRIB_BITS (DN_ATTRIBUTES | DN_LAST_WRITE | DN_LAST_ACCESS | DN_CREATION | DN_SECURITY | DN_EA)

#define DN_ADDED 1u
#define DN_REMOVED 2u
#define DN_MODIFIED 3u
#define DN_RENAMED_OLD 4u
#define DN_RENAMED_NEW 5u

/* DirectoryNotifyInformationClass */
#define DN_CLASS_BASIC 1u    /* FILE_NOTIFY_INFORMATION */
#define DN_CLASS_EXTENDED 2u /* FILE_NOTIFY_EXTENDED_INFORMATION */

/* FILE_NOTIFY_INFORMATION: NextEntryOffset 0x00, Action 0x04, FileNameLength (bytes) 0x08,
 * FileName 0x0c; records start at DWORD-aligned offsets. */
#define DN_BASIC_NAME_OFF 12u
/* FILE_NOTIFY_EXTENDED_INFORMATION: NextEntryOffset 0x00, Action 0x04, CreationTime 0x08,
 * LastModificationTime 0x10, LastChangeTime 0x18, LastAccessTime 0x20, AllocatedLength 0x28,
 * FileSize 0x30, FileAttributes 0x38, ReparsePointTag 0x3c, FileId 0x40, ParentFileId 0x48,
 * FileNameLength 0x50, FileName 0x54; records start at 8-byte-aligned offsets. */
#define DN_EXT_NAME_OFF 0x54u

#define DN_IN_MASK (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_MODIFY | IN_ATTRIB | \
                    IN_DELETE_SELF | IN_ONLYDIR | IN_EXCL_UNLINK)

typedef struct dn_change {
    uint32_t action;
    WCHAR *name; /* relative to the watched directory, '\' between components */
    size_t len;  /* in WCHARs */
    bool has_info;
    nt_stat st;  /* the extended record's fields (has_info) */
    uint64_t parent_ino;
} dn_change;

typedef struct dn_wd {
    int wd;
    char *rel; /* UTF-8, '/' between components, "" for the watched directory */
} dn_wd;

typedef struct dn_seen { /* a name a scan reported, whose IN_CREATE is not reported again */
    int wd;
    char *name;
} dn_seen;

struct nt_dirwatch {
    int ifd;             /* inotify, non-blocking */
    int root_fd;         /* the directory's descriptor (the file object's, not owned) */
    uint32_t filter;
    bool subtree;
    bool extended;       /* the first request asked for extended records: changes carry a stat */
    uint32_t limit;      /* bytes of changes kept between requests (the first buffer's size) */
    dn_wd *wds;
    size_t nwds, capwds;
    dn_change *ch;
    size_t nch, capch, bytes; /* bytes: their size as FILE_NOTIFY_INFORMATION records */
    bool overflow;       /* changes were lost: the next request gets STATUS_NOTIFY_ENUM_DIR */
    bool root_gone;      /* the directory itself was removed */
    int parent_wd;       /* its parent's watch (removals only: see dn_watch_of), -1: none */
    /* a rename's first half, waiting for its IN_MOVED_TO */
    bool held;
    int held_wd;
    uint32_t held_cookie;
    char *held_name;
    bool held_dir;
    dn_seen *seen;
    size_t nseen, capseen;
    nt_event *ev;        /* the file object's event: what a wait on the handle waits on */
};

/* A request: where its records go, and the file object's event it sets when it ends. */
typedef struct dn_req {
    struct nt_dirwatch *w;
    void *buf;
    uint32_t len, klass;
    nt_event *ev; /* referenced */
} dn_req;

/* The watches are made one at a time (a global lock: nt_async_poll_fd takes fx->lock). */
static pthread_mutex_t dn_create_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- the watch's tables ---- */
static bool dn_grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 8;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

static dn_wd *dn_wd_find(struct nt_dirwatch *w, int wd)
{
    for (size_t i = 0; i < w->nwds; i++)
        if (w->wds[i].wd == wd)
            return &w->wds[i];
    return NULL;
}

static void dn_wd_remove(struct nt_dirwatch *w, dn_wd *d)
{
    free(d->rel);
    *d = w->wds[--w->nwds];
}

/* "rel/name" (name alone under the watched directory), malloc'd. */
static char *dn_join(const char *rel, const char *name)
{
    size_t a = strlen(rel), b = strlen(name);
    char *s = malloc(a + b + 2);
    if (!s)
        return NULL;
    if (a) {
        memcpy(s, rel, a);
        s[a++] = '/';
    }
    memcpy(s + a, name, b + 1);
    return s;
}

/* Is `path` `dir` or below it? */
static bool dn_under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && (path[n] == 0 || path[n] == '/');
}

static void dn_changes_clear(struct nt_dirwatch *w)
{
    for (size_t i = 0; i < w->nch; i++)
        free(w->ch[i].name);
    w->nch = 0;
    w->bytes = 0;
}

static uint32_t dn_align(uint32_t n, uint32_t a) { return (n + a - 1) & ~(a - 1); }

/* A change to keep for the next request (lost, with the others, beyond the watch's limit). */
static void dn_add(struct nt_dirwatch *w, uint32_t action, const char *path)
{
    if (w->overflow)
        return;
    size_t len;
    WCHAR *name = nt_utf8_to_utf16(path, strlen(path), &len);
    if (!name) {
        w->overflow = true;
        dn_changes_clear(w);
        return;
    }
    for (size_t i = 0; i < len; i++)
        if (name[i] == '/')
            name[i] = '\\';
    if (action == DN_MODIFIED && w->nch) {
        dn_change *last = &w->ch[w->nch - 1];
        if (last->action == DN_MODIFIED && last->len == len &&
            memcmp(last->name, name, len * sizeof *name) == 0) {
            free(name);
            return;
        }
    }
    uint32_t size = dn_align(DN_BASIC_NAME_OFF + (uint32_t)len * 2, 4);
    if (w->bytes + size > w->limit || !dn_grow((void **)&w->ch, &w->capch, w->nch + 1,
                                               sizeof *w->ch)) {
        free(name);
        w->overflow = true;
        dn_changes_clear(w);
        return;
    }
    dn_change *c = &w->ch[w->nch++];
    memset(c, 0, sizeof *c);
    c->action = action;
    c->name = name;
    c->len = len;
    w->bytes += size;
    if (w->extended && action != DN_REMOVED && action != DN_RENAMED_OLD &&
        nt_stat_at(w->root_fd, path, AT_SYMLINK_NOFOLLOW, &c->st) == 0) {
        c->has_info = true;
        const char *slash = strrchr(path, '/');
        nt_stat parent;
        char *dir = slash ? strndup(path, (size_t)(slash - path)) : NULL;
        if (nt_stat_at(w->root_fd, dir ? dir : "", dir ? AT_SYMLINK_NOFOLLOW : AT_EMPTY_PATH,
                       &parent) == 0)
            c->parent_ino = parent.ino;
        free(dir);
    }
}

static void dn_add_if(struct nt_dirwatch *w, uint32_t bits, uint32_t action, const char *path)
{
    if (w->filter & bits)
        dn_add(w, action, path);
}

static void dn_seen_add(struct nt_dirwatch *w, int wd, const char *name)
{
    char *n = strdup(name);
    if (!n || !dn_grow((void **)&w->seen, &w->capseen, w->nseen + 1, sizeof *w->seen)) {
        free(n);
        return;
    }
    w->seen[w->nseen++] = (dn_seen){.wd = wd, .name = n};
}

/* Was (wd, name) reported by a scan? Forgets it. */
static bool dn_seen_take(struct nt_dirwatch *w, int wd, const char *name)
{
    for (size_t i = 0; i < w->nseen; i++) {
        if (w->seen[i].wd == wd && strcmp(w->seen[i].name, name) == 0) {
            free(w->seen[i].name);
            w->seen[i] = w->seen[--w->nseen];
            return true;
        }
    }
    return false;
}

static void dn_seen_clear(struct nt_dirwatch *w)
{
    for (size_t i = 0; i < w->nseen; i++)
        free(w->seen[i].name);
    w->nseen = 0;
}

/* Watches the directory `rel` (and, with a tree, every directory below it); with `report`,
 * what it holds is reported as added (it was made, or moved into the tree). */
static void dn_watch_dir(struct nt_dirwatch *w, const char *rel, bool report, int depth)
{
    /* (on the heap: this recurses on the epoll thread's small stack) */
    char *path = NULL;
    if (depth > 64 ||
        asprintf(&path, "/proc/self/fd/%d%s%s", w->root_fd, rel[0] ? "/" : "", rel) < 0)
        return;
    /* the directory itself through its descriptor's link, which must be followed */
    int wd = inotify_add_watch(w->ifd, path, DN_IN_MASK | (rel[0] ? IN_DONT_FOLLOW : 0));
    free(path);
    if (wd < 0)
        return; /* gone already, or out of watches: its changes are not seen */
    dn_wd *d = dn_wd_find(w, wd);
    char *copy = strdup(rel);
    if (!copy)
        return;
    if (d) {
        free(d->rel);
        d->rel = copy;
    } else if (dn_grow((void **)&w->wds, &w->capwds, w->nwds + 1, sizeof *w->wds)) {
        w->wds[w->nwds++] = (dn_wd){.wd = wd, .rel = copy};
    } else {
        free(copy);
        inotify_rm_watch(w->ifd, wd);
        return;
    }
    if (!w->subtree && !report)
        return;
    int dfd = openat(w->root_fd, rel[0] ? rel : ".", O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                                                         O_CLOEXEC);
    DIR *dir = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!dir) {
        if (dfd >= 0)
            close(dfd);
        return;
    }
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        bool is_dir = de->d_type == DT_DIR;
        struct stat st;
        if (de->d_type == DT_UNKNOWN && fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
            is_dir = S_ISDIR(st.st_mode);
        char *sub = dn_join(rel, de->d_name);
        if (!sub)
            continue;
        if (report) {
            dn_add_if(w, is_dir ? DN_DIR_NAME : DN_FILE_NAME, DN_ADDED, sub);
            dn_seen_add(w, wd, de->d_name);
        }
        if (is_dir && w->subtree)
            dn_watch_dir(w, sub, report, depth + 1);
        free(sub);
    }
    closedir(dir);
}

/* The directory `rel` left the tree: its watches (and those below it) go. */
static void dn_unwatch_dir(struct nt_dirwatch *w, const char *rel)
{
    for (size_t i = 0; i < w->nwds;) {
        if (w->wds[i].rel[0] && dn_under(w->wds[i].rel, rel)) {
            inotify_rm_watch(w->ifd, w->wds[i].wd);
            dn_wd_remove(w, &w->wds[i]);
        } else {
            i++;
        }
    }
}

/* The directory `from` is now `to`: the watches below it follow. */
static void dn_rename_dir(struct nt_dirwatch *w, const char *from, const char *to)
{
    size_t n = strlen(from);
    for (size_t i = 0; i < w->nwds; i++) {
        if (!w->wds[i].rel[0] || !dn_under(w->wds[i].rel, from))
            continue;
        char *rel = dn_join(to, w->wds[i].rel[n] ? w->wds[i].rel + n + 1 : "");
        if (!rel)
            continue;
        size_t m = strlen(rel);
        if (m && rel[m - 1] == '/')
            rel[m - 1] = 0;
        free(w->wds[i].rel);
        w->wds[i].rel = rel;
    }
}

/* The first half of a rename that no second half followed: moved out of the tree. */
static void dn_flush_held(struct nt_dirwatch *w)
{
    if (!w->held)
        return;
    dn_add_if(w, w->held_dir ? DN_DIR_NAME : DN_FILE_NAME, DN_REMOVED, w->held_name);
    if (w->held_dir && w->subtree)
        dn_unwatch_dir(w, w->held_name);
    free(w->held_name);
    w->held_name = NULL;
    w->held = false;
}

static void dn_event(struct nt_dirwatch *w, const struct inotify_event *e)
{
    if (e->mask & IN_Q_OVERFLOW) {
        dn_flush_held(w);
        w->overflow = true;
        dn_changes_clear(w);
        return;
    }
    if (e->wd == w->parent_wd) { /* something removed beside it: was it? */
        struct stat st;
        if (e->mask & IN_IGNORED)
            w->parent_wd = -1;
        else if (fstat(w->root_fd, &st) == 0 && st.st_nlink == 0)
            w->root_gone = true;
        return;
    }
    dn_wd *d = dn_wd_find(w, e->wd);
    if (!d)
        return;
    if (e->mask & (IN_IGNORED | IN_DELETE_SELF)) {
        if (!d->rel[0])
            w->root_gone = true;
        if (e->mask & IN_IGNORED)
            dn_wd_remove(w, d);
        return;
    }
    if (!e->len || !e->name[0])
        return; /* the directory's own attributes: its parent's watch reports them */
    bool is_dir = (e->mask & IN_ISDIR) != 0;
    uint32_t bits = is_dir ? DN_DIR_NAME : DN_FILE_NAME;
    if (w->held && !((e->mask & IN_MOVED_TO) && e->cookie == w->held_cookie))
        dn_flush_held(w);
    char *path = dn_join(d->rel, e->name);
    if (!path)
        return;
    if (e->mask & IN_CREATE) {
        if (!dn_seen_take(w, e->wd, e->name)) {
            dn_add_if(w, bits, DN_ADDED, path);
            if (is_dir && w->subtree)
                dn_watch_dir(w, path, true, 0);
        }
    } else if (e->mask & IN_DELETE) {
        dn_seen_take(w, e->wd, e->name);
        dn_add_if(w, bits, DN_REMOVED, path);
    } else if (e->mask & IN_MOVED_FROM) {
        dn_seen_take(w, e->wd, e->name);
        w->held = true;
        w->held_wd = e->wd;
        w->held_cookie = e->cookie;
        w->held_dir = is_dir;
        w->held_name = path;
        path = NULL;
    } else if (e->mask & IN_MOVED_TO) {
        if (w->held) { /* a rename within the tree */
            bool same_dir = w->held_wd == e->wd;
            dn_add_if(w, bits, same_dir ? DN_RENAMED_OLD : DN_REMOVED, w->held_name);
            dn_add_if(w, bits, same_dir ? DN_RENAMED_NEW : DN_ADDED, path);
            if (is_dir && w->subtree)
                dn_rename_dir(w, w->held_name, path);
            free(w->held_name);
            w->held_name = NULL;
            w->held = false;
        } else { /* moved in from outside: itself added, not what it holds (as on Windows) */
            dn_add_if(w, bits, DN_ADDED, path);
            if (is_dir && w->subtree)
                dn_watch_dir(w, path, false, 0);
        }
    } else if (e->mask & IN_MODIFY) {
        dn_add_if(w, DN_LAST_WRITE | DN_SIZE, DN_MODIFIED, path);
    } else if (e->mask & IN_ATTRIB) {
        dn_add_if(w, DN_ATTRIB_BITS, DN_MODIFIED, path);
    }
    free(path);
}

/* Reads every inotify event there is. */
static void dn_drain(struct nt_dirwatch *w)
{
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t n = read(w->ifd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        for (ssize_t off = 0; off + (ssize_t)sizeof(struct inotify_event) <= n;) {
            const struct inotify_event *e = (const void *)(buf + off);
            off += (ssize_t)(sizeof *e + e->len);
            dn_event(w, e);
        }
    }
    dn_flush_held(w);
    dn_seen_clear(w);
}

/* ---- records ---- */
static uint32_t dn_record_size(const dn_change *c, uint32_t klass)
{
    return (klass == DN_CLASS_EXTENDED ? DN_EXT_NAME_OFF : DN_BASIC_NAME_OFF) +
           (uint32_t)c->len * 2;
}

/* The changes as records of `klass`: their length (0 when they do not fit in `max`). */
static uint32_t dn_records(const struct nt_dirwatch *w, uint32_t klass, uint32_t max,
                           uint8_t **out)
{
    uint32_t align = klass == DN_CLASS_EXTENDED ? 8 : 4, total = 0;
    uint64_t need = 0;
    for (size_t i = 0; i < w->nch; i++)
        need = dn_align((uint32_t)need, align) + dn_record_size(&w->ch[i], klass);
    *out = NULL;
    if (need == 0 || need > max || !(*out = calloc(1, need)))
        return 0;
    uint8_t *b = *out;
    for (size_t i = 0; i < w->nch; i++) {
        const dn_change *c = &w->ch[i];
        uint32_t off = dn_align(total, align), size = dn_record_size(c, klass);
        uint32_t next = i + 1 < w->nch ? dn_align(size, align) : 0;
        uint32_t name_bytes = (uint32_t)c->len * 2;
        memcpy(b + off, &next, 4);
        memcpy(b + off + 4, &c->action, 4);
        if (klass == DN_CLASS_EXTENDED) {
            if (c->has_info) {
                int64_t t[6] = {c->st.creation, c->st.write, c->st.change, c->st.access,
                                (int64_t)c->st.alloc, (int64_t)c->st.size};
                memcpy(b + off + 0x08, t, sizeof t);
                uint32_t attrs = nt_file_attributes(&c->st, NULL);
                memcpy(b + off + 0x38, &attrs, 4);
                memcpy(b + off + 0x3c, &c->st.reparse_tag, 4);
                memcpy(b + off + 0x40, &c->st.ino, 8);
                memcpy(b + off + 0x48, &c->parent_ino, 8);
            }
            memcpy(b + off + 0x50, &name_bytes, 4);
            memcpy(b + off + DN_EXT_NAME_OFF, c->name, name_bytes);
        } else {
            memcpy(b + off + 8, &name_bytes, 4);
            memcpy(b + off + DN_BASIC_NAME_OFF, c->name, name_bytes);
        }
        total = off + size;
    }
    return total;
}

static bool dn_attempt(int fd, void *arg, NTSTATUS *status, ULONG_PTR *info)
{
    (void)fd; /* the watch's inotify descriptor */
    dn_req *q = arg;
    struct nt_dirwatch *w = q->w;
    dn_drain(w);
    *info = 0;
    if (w->overflow) {
        w->overflow = false;
        dn_changes_clear(w);
        *status = STATUS_NOTIFY_ENUM_DIR;
        return true;
    }
    if (!w->nch) {
        if (!w->root_gone)
            return false;
        *status = STATUS_DELETE_PENDING;
        return true;
    }
    uint8_t *rec;
    uint32_t n = dn_records(w, q->klass, q->len, &rec);
    dn_changes_clear(w);
    *status = STATUS_NOTIFY_ENUM_DIR; /* they do not fit in this buffer */
    if (n) {
        *status = nt_copy_to_user(q->buf, rec, n) == 0 ? STATUS_SUCCESS : STATUS_ACCESS_VIOLATION;
        *info = *status == STATUS_SUCCESS ? n : 0;
    }
    free(rec);
    return true;
}

static void dn_set_event(nt_event *ev, bool on)
{
    pthread_mutex_lock(&nt_wait_lock);
    ev->signalled = on;
    if (on)
        nt_sync_wake(&ev->s);
    pthread_mutex_unlock(&nt_wait_lock);
}

static void dn_finish(void *arg)
{
    dn_req *q = arg;
    dn_set_event(q->ev, true);
    nt_object_release(&q->ev->s.hdr);
    free(q);
}

static void dn_event_destroy(nt_object *o) { free(o); }

/* ---- the watch ---- */
static void dn_watch_delete(struct nt_dirwatch *w)
{
    if (w->ifd >= 0)
        close(w->ifd);
    for (size_t i = 0; i < w->nwds; i++)
        free(w->wds[i].rel);
    free(w->wds);
    dn_changes_clear(w);
    free(w->ch);
    dn_seen_clear(w);
    free(w->seen);
    free(w->held_name);
    if (w->ev)
        nt_object_release(&w->ev->s.hdr);
    free(w);
}

/* The directory's watch, made by its first request with that request's parameters. */
static NTSTATUS dn_watch_of(nt_file *f, uint32_t filter, bool subtree, uint32_t len,
                            uint32_t klass, struct nt_dirwatch **out)
{
    nt_file_ext *fx = nt_file_ext_of(f);
    NTSTATUS st = STATUS_SUCCESS;
    pthread_mutex_lock(&dn_create_lock);
    struct nt_dirwatch *w = fx->dirwatch;
    if (w)
        goto unlock;
    w = calloc(1, sizeof *w);
    if (!w) {
        st = STATUS_NO_MEMORY;
        goto unlock;
    }
    w->root_fd = f->fd;
    w->filter = filter;
    w->subtree = subtree;
    w->extended = klass == DN_CLASS_EXTENDED;
    w->limit = len;
    w->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    w->ev = calloc(1, sizeof *w->ev);
    if (w->ifd < 0 || !w->ev) {
        st = w->ifd < 0 ? nt_status_from_errno(errno) : STATUS_NO_MEMORY;
        goto fail;
    }
    nt_object_init(&w->ev->s.hdr, NT_OBJ_EVENT, dn_event_destroy);
    w->ev->manual = true;
    dn_watch_dir(w, "", false, 0);
    if (!dn_wd_find(w, w->nwds ? w->wds[0].wd : -1) || w->wds[0].rel[0]) {
        st = STATUS_INSUFFICIENT_RESOURCES; /* inotify refused the directory itself */
        goto fail;
    }
    /* The directory removed gives no IN_DELETE_SELF while the file object holds it open (the
     * inode lives on): its parent's removals are watched, and each looks at its link count. */
    char *parent = NULL;
    w->parent_wd = -1;
    if (asprintf(&parent, "/proc/self/fd/%d/..", w->root_fd) >= 0) {
        w->parent_wd = inotify_add_watch(w->ifd, parent, IN_DELETE | IN_ONLYDIR);
        free(parent);
    }
    if (!nt_async_poll_fd(f, w->ifd)) {
        st = STATUS_INSUFFICIENT_RESOURCES;
        goto fail;
    }
    __atomic_store_n(&fx->dirwatch, w, __ATOMIC_RELEASE);
    goto unlock;
fail:
    dn_watch_delete(w);
    w = NULL;
unlock:
    pthread_mutex_unlock(&dn_create_lock);
    *out = w;
    return st;
}

void nt_dirwatch_cleanup(nt_file_ext *fx)
{
    if (fx->dirwatch)
        nt_async_end_all(&fx->f, STATUS_NOTIFY_CLEANUP);
}

void nt_dirwatch_free(nt_file_ext *fx)
{
    if (!fx->dirwatch)
        return;
    dn_watch_delete(fx->dirwatch);
    fx->dirwatch = NULL;
}

nt_object *nt_dirwatch_waitable(nt_file *f)
{
    struct nt_dirwatch *w = __atomic_load_n(&nt_file_ext_of(f)->dirwatch, __ATOMIC_ACQUIRE);
    if (!w)
        return NULL;
    nt_object_ref(&w->ev->s.hdr);
    return &w->ev->s.hdr;
}

/* ---- the calls ---- */
NTSTATUS nt_dir_notify(HANDLE h, const nt_async_notify *n, void *buffer, uint32_t length,
                       uint32_t filter, bool subtree, uint32_t klass)
{
    if (!nt_probe_write(n->iosb, sizeof *n->iosb))
        return STATUS_ACCESS_VIOLATION;
    if (length && ((uintptr_t)buffer & 3))
        return STATUS_DATATYPE_MISALIGNMENT;
    if (length && !nt_probe_write(buffer, length))
        return STATUS_ACCESS_VIOLATION;
    if (!filter || (filter & ~DN_VALID_MASK))
        return STATUS_INVALID_PARAMETER;
    if (klass != DN_CLASS_BASIC && klass != DN_CLASS_EXTENDED)
        return STATUS_INVALID_INFO_CLASS;
    nt_file *f;
    NTSTATUS st = nt_file_get(h, &f);
    if (st != STATUS_SUCCESS)
        return st;
    if (!(nt_handle_granted(h, f->access) & FILE_LIST_DIRECTORY)) {
        st = STATUS_ACCESS_DENIED;
        goto release;
    }
    if (!f->is_dir) { /* the file system's answer for a file */
        st = STATUS_INVALID_PARAMETER;
        goto release;
    }
    struct nt_dirwatch *w;
    st = dn_watch_of(f, filter, subtree, length, klass, &w);
    if (st != STATUS_SUCCESS)
        goto release;
    dn_req *q = malloc(sizeof *q);
    if (!q) {
        st = STATUS_NO_MEMORY;
        goto release;
    }
    *q = (dn_req){.w = w, .buf = buffer, .len = length, .klass = klass, .ev = w->ev};
    nt_object_ref(&w->ev->s.hdr);
    dn_set_event(w->ev, false); /* the file object's event: reset as the request starts */
    nt_async_notify an = *n;
    an.wait = (f->options & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT)) != 0;
    nt_async_io io = {.attempt = dn_attempt, .finish = dn_finish, .arg = q};
    st = nt_async_submit(f, &io, &an, NULL);
release:
    nt_object_release(&f->hdr);
    return st;
}

NTSTATUS NTAPI NtNotifyChangeDirectoryFileEx(HANDLE h, HANDLE event, void *apc, void *apc_ctx,
                                             IO_STATUS_BLOCK *io, void *buffer, uint32_t length,
                                             uint32_t filter, BOOLEAN subtree, uint32_t klass)
{
    nt_async_notify n = {.iosb = io, .event = event, .apc = apc, .apc_ctx = apc_ctx};
    return nt_dir_notify(h, &n, buffer, length, filter, subtree != 0, klass);
}

NTSTATUS NTAPI NtNotifyChangeDirectoryFile(HANDLE h, HANDLE event, void *apc, void *apc_ctx,
                                           IO_STATUS_BLOCK *io, void *buffer, uint32_t length,
                                           uint32_t filter, BOOLEAN subtree)
{
    return NtNotifyChangeDirectoryFileEx(h, event, apc, apc_ctx, io, buffer, length, filter,
                                         subtree, DN_CLASS_BASIC);
}
