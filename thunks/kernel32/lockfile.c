/* SPDX-License-Identifier: MIT */
/* Byte-range locks: LockFile, LockFileEx, UnlockFile, UnlockFileEx (moon's workspace lock, Cargo,
 * SQLite-style lock files).
 *
 * Each lock is held on the handle's open file description with Linux's OFD locks
 * (F_OFD_SETLK / F_OFD_SETLKW), so it is owned by the file object as on Windows: other handles
 * to the file, in this process or another ntrun process, are refused an overlapping lock
 * (ERROR_LOCK_VIOLATION, or a wait without LOCKFILE_FAIL_IMMEDIATELY), duplicated handles share
 * it, and closing the last handle releases it. Linux merges a description's own overlapping
 * locks, Windows does not, so the locks of this process's file objects are also listed here: an
 * exclusive lock may not overlap any lock, even of the same handle; a shared one no other
 * handle's exclusive lock; an unlock must name a locked range exactly (else ERROR_NOT_LOCKED,
 * from STATUS_RANGE_NOT_LOCKED; Wine 8.0 says ERROR_LOCK_VIOLATION), and the description's other
 * locks over the range are put back after it. A zero-length lock at X overlaps the ranges
 * holding X; it is listed only (another process does not see it). Ranges past 2^63 are held up
 * to the end of the range Linux can express.
 * Not done: Windows' locks are mandatory (ReadFile/WriteFile of another handle in a locked
 * range fail); these are advisory, checked only by other lock calls. A handle opened for
 * overlapped I/O waits in LockFileEx instead of returning ERROR_IO_PENDING. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32L_ERROR_INVALID_HANDLE 6
#define K32L_ERROR_NOT_ENOUGH_MEMORY 8
#define K32L_ERROR_LOCK_VIOLATION 33
#define K32L_ERROR_INVALID_PARAMETER 87
#define K32L_ERROR_NOT_LOCKED 158
#define K32L_LOCKFILE_FAIL_IMMEDIATELY 1u
#define K32L_LOCKFILE_EXCLUSIVE_LOCK 2u

typedef struct k32l_lock {
    struct k32l_lock *next;
    const nt_file *file; /* the owner, checked against fd/dev/ino (a reused pointer) */
    int fd;
    dev_t dev;
    ino_t ino;
    uint64_t off, len;
    bool exclusive;
} k32l_lock;

static k32l_lock *k32l_locks;
static pthread_mutex_t k32l_mutex = PTHREAD_MUTEX_INITIALIZER;

static bool k32l_same_file(const k32l_lock *l, const nt_file *f, const struct stat *st)
{
    return l->file == f && l->fd == f->fd && l->dev == st->st_dev && l->ino == st->st_ino;
}

/* Drops the entries of file objects that are gone (their pointer now names another file). */
static void k32l_prune(const nt_file *f, const struct stat *st)
{
    for (k32l_lock **pp = &k32l_locks; *pp;) {
        k32l_lock *l = *pp;
        if (l->file == f && !k32l_same_file(l, f, st)) {
            *pp = l->next;
            free(l);
        } else {
            pp = &l->next;
        }
    }
}

/* Whether two ranges overlap; a zero-length lock at X overlaps the ranges that hold X (Wine's
 * tests of Windows: a zero-byte lock at 100 refuses 98+4 and 100+10, allows 90+10). */
static bool k32l_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    if (!alen && !blen)
        return false;
    if (!alen)
        return b <= a && a - b < blen;
    if (!blen)
        return a <= b && b - a < alen;
    uint64_t aend = a + alen - 1 < a ? UINT64_MAX : a + alen - 1;
    uint64_t bend = b + blen - 1 < b ? UINT64_MAX : b + blen - 1;
    return a <= bend && b <= aend;
}

/* Sets (type F_RDLCK/F_WRLCK/F_UNLCK) the OFD lock over [off, off+len). */
static int k32l_fcntl(int fd, short type, uint64_t off, uint64_t len, bool wait)
{
    if (!len || off > (uint64_t)INT64_MAX)
        return 0;
    struct flock fl = {0};
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = (off_t)off;
    /* 0: to the end of the range Linux can express */
    fl.l_len = len > (uint64_t)INT64_MAX - off ? 0 : (off_t)len;
    int r;
    do
        r = fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &fl);
    while (r != 0 && errno == EINTR);
    return r;
}

static BOOL k32l_fail(DWORD error)
{
    SetLastError(error);
    return FALSE;
}

static BOOL k32l_get(HANDLE h, nt_file **f, struct stat *st)
{
    NTSTATUS s = nt_file_get(h, f);
    if (!NT_SUCCESS(s)) {
        thk_set_last_status(s);
        return FALSE;
    }
    if ((*f)->fd < 0 || fstat((*f)->fd, st) != 0 || (*f)->is_socket) {
        nt_object_release(&(*f)->hdr);
        return k32l_fail(K32L_ERROR_INVALID_HANDLE);
    }
    return TRUE;
}

static BOOL k32l_lock_range(HANDLE h, bool exclusive, bool fail_now, uint64_t off, uint64_t len)
{
    nt_file *f;
    struct stat st;
    if (!k32l_get(h, &f, &st))
        return FALSE;
    k32l_lock *l = calloc(1, sizeof *l);
    if (!l) {
        nt_object_release(&f->hdr);
        return k32l_fail(K32L_ERROR_NOT_ENOUGH_MEMORY);
    }
    *l = (k32l_lock){NULL, f, f->fd, st.st_dev, st.st_ino, off, len, exclusive};
    for (;;) {
        pthread_mutex_lock(&k32l_mutex);
        k32l_prune(f, &st);
        /* the locks of this process's handles to the file: an exclusive lock overlaps none,
         * a shared one no other handle's exclusive lock (its own, it may) */
        bool conflict = false;
        for (k32l_lock *o = k32l_locks; o && !conflict; o = o->next) {
            if (o->dev != st.st_dev || o->ino != st.st_ino ||
                !k32l_overlap(off, len, o->off, o->len))
                continue;
            if (k32l_same_file(o, f, &st))
                conflict = exclusive;
            else /* other handles' ranges are the OFD locks' business (gone with the handle) */
                conflict = (!len || !o->len) && (exclusive || o->exclusive);
        }
        if (!conflict && !len && off <= (uint64_t)INT64_MAX) {
            /* a zero-length lock: another process's lock over its point */
            struct flock fl = {.l_type = exclusive ? F_WRLCK : F_RDLCK, .l_whence = SEEK_SET,
                               .l_start = (off_t)off, .l_len = 1};
            conflict = fcntl(f->fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
        }
        if (conflict) {
            pthread_mutex_unlock(&k32l_mutex);
            if (fail_now) {
                free(l);
                nt_object_release(&f->hdr);
                return k32l_fail(K32L_ERROR_LOCK_VIOLATION);
            }
            usleep(1000); /* until a thread of this process unlocks it */
            continue;
        }
        /* Another description's lock: fail or wait without the list's mutex held. */
        if (k32l_fcntl(f->fd, exclusive ? F_WRLCK : F_RDLCK, off, len, false) != 0) {
            int e = errno;
            pthread_mutex_unlock(&k32l_mutex);
            if (fail_now || (e != EAGAIN && e != EACCES)) {
                free(l);
                nt_object_release(&f->hdr);
                return k32l_fail(K32L_ERROR_LOCK_VIOLATION);
            }
            usleep(1000);
            continue;
        }
        l->next = k32l_locks;
        k32l_locks = l;
        if (!exclusive) /* Linux turned the handle's exclusive locks under it shared */
            for (k32l_lock *o = k32l_locks; o; o = o->next)
                if (o->exclusive && k32l_same_file(o, f, &st) &&
                    k32l_overlap(off, len, o->off, o->len))
                    k32l_fcntl(f->fd, F_WRLCK, o->off, o->len, false);
        pthread_mutex_unlock(&k32l_mutex);
        nt_object_release(&f->hdr);
        return TRUE;
    }
}

static BOOL k32l_unlock_range(HANDLE h, uint64_t off, uint64_t len)
{
    nt_file *f;
    struct stat st;
    if (!k32l_get(h, &f, &st))
        return FALSE;
    pthread_mutex_lock(&k32l_mutex);
    k32l_prune(f, &st);
    k32l_lock **pp = &k32l_locks;
    while (*pp && !(k32l_same_file(*pp, f, &st) && (*pp)->off == off && (*pp)->len == len))
        pp = &(*pp)->next;
    if (!*pp) {
        pthread_mutex_unlock(&k32l_mutex);
        nt_object_release(&f->hdr);
        return k32l_fail(K32L_ERROR_NOT_LOCKED);
    }
    k32l_lock *gone = *pp;
    *pp = gone->next;
    k32l_fcntl(f->fd, F_UNLCK, off, len, false);
    /* the description's other locks over the range: shared first, exclusive over them */
    for (int pass = 0; pass < 2; pass++)
        for (k32l_lock *o = k32l_locks; o; o = o->next)
            if (k32l_same_file(o, f, &st) && o->exclusive == (pass == 1) &&
                k32l_overlap(off, len, o->off, o->len))
                k32l_fcntl(f->fd, o->exclusive ? F_WRLCK : F_RDLCK, o->off, o->len, false);
    pthread_mutex_unlock(&k32l_mutex);
    free(gone);
    nt_object_release(&f->hdr);
    return TRUE;
}

static uint64_t k32l_u64(DWORD lo, DWORD hi)
{
    return (uint64_t)hi << 32 | lo;
}

BOOL WINAPI LockFile(HANDLE h, DWORD off_lo, DWORD off_hi, DWORD len_lo, DWORD len_hi)
{
    return k32l_lock_range(h, true, true, k32l_u64(off_lo, off_hi), k32l_u64(len_lo, len_hi));
}
THK_EXPORT(kernel32, LockFile, 5);

BOOL WINAPI LockFileEx(HANDLE h, DWORD flags, DWORD reserved, DWORD len_lo, DWORD len_hi,
                       OVERLAPPED *ov)
{
    if (reserved || !ov || (flags & ~(K32L_LOCKFILE_FAIL_IMMEDIATELY |
                                       K32L_LOCKFILE_EXCLUSIVE_LOCK)))
        return k32l_fail(K32L_ERROR_INVALID_PARAMETER);
    BOOL ok = k32l_lock_range(h, flags & K32L_LOCKFILE_EXCLUSIVE_LOCK,
                              flags & K32L_LOCKFILE_FAIL_IMMEDIATELY,
                              k32l_u64(ov->Offset, ov->OffsetHigh), k32l_u64(len_lo, len_hi));
    if (ok) {
        ov->Internal = 0; /* STATUS_SUCCESS */
        ov->InternalHigh = 0;
    }
    return ok;
}
THK_EXPORT(kernel32, LockFileEx, 6);

BOOL WINAPI UnlockFile(HANDLE h, DWORD off_lo, DWORD off_hi, DWORD len_lo, DWORD len_hi)
{
    return k32l_unlock_range(h, k32l_u64(off_lo, off_hi), k32l_u64(len_lo, len_hi));
}
THK_EXPORT(kernel32, UnlockFile, 5);

BOOL WINAPI UnlockFileEx(HANDLE h, DWORD reserved, DWORD len_lo, DWORD len_hi, OVERLAPPED *ov)
{
    if (reserved || !ov)
        return k32l_fail(K32L_ERROR_INVALID_PARAMETER);
    return k32l_unlock_range(h, k32l_u64(ov->Offset, ov->OffsetHigh), k32l_u64(len_lo, len_hi));
}
THK_EXPORT(kernel32, UnlockFileEx, 5);
