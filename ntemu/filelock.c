/* SPDX-License-Identifier: MIT */
/* Byte-range locks: NtLockFile, NtUnlockFile, and the check NtReadFile/NtWriteFile make before
 * touching a locked range (Windows' locks are mandatory).
 *
 * Each lock is held on the file object's open file description with Linux's OFD locks
 * (F_OFD_SETLK), so it is owned by the file object as on Windows: other handles to the file, in
 * this process or another ntrun process, are refused an overlapping lock
 * (STATUS_LOCK_NOT_GRANTED, or a wait without FailImmediately), duplicated handles share it,
 * and closing the last handle releases it. Linux merges a description's own overlapping locks,
 * Windows does not, so the locks of this process's file objects are also listed here: an
 * exclusive lock may not overlap any lock, even of the same handle; a shared one no other
 * handle's exclusive lock; an unlock must name a locked range exactly (else
 * STATUS_RANGE_NOT_LOCKED), and the description's other locks over the range are put back after
 * it. A zero-length lock at X overlaps the ranges holding X; it is listed only (another process
 * does not see it). Ranges past 2^63 are held up to the end of the range Linux can express.
 *
 * Reads and writes (nt_file_lock_check): a read of a range another file object holds an
 * exclusive lock over fails with STATUS_FILE_LOCK_CONFLICT; a write fails over any other file
 * object's lock, and over a shared lock of its own (a shared lock denies everyone writing).
 * Other file objects' locks, this process's or another's, are the OFD locks F_OFD_GETLK
 * reports (it ignores the asking description's own); one query of the whole file first keeps
 * the usual case, a file nobody locks, at one system call; and none at all while no ntrun
 * process of the user holds a lock on a file of its bucket (fl_page below).
 *
 * A handle without FILE_SYNCHRONOUS_IO_* (opened for overlapped I/O) does not wait: a lock
 * that must wait returns STATUS_PENDING and is granted later through ntemu/async.c (below).
 *
 * The OFD locks are held on a description of the file object's own (fl_lock_fd), not on the
 * one its handle reads and writes through: a child process that inherited the handle shares
 * that one (and the file position), but not the locks, which Windows gives to the file object
 * and the process together. So the child is refused its parent's locked ranges, its own locks
 * refuse the parent, and each process's locks end with its last handle.
 *
 * The Key: a lock belongs to the file object, the process and the key it was taken with
 * (FsRtl's FILE_LOCK_INFO; [MS-FSA] 2.1.5.9: an unlock names the same Open and LockKey, else
 * STATUS_RANGE_NOT_LOCKED; 2.1.4.10: an exclusive lock of another Open or key conflicts). So
 * among one file object's locks: a read with key K is refused over an exclusive lock taken with
 * another key, a write over a shared lock or an exclusive one of another key, a shared lock
 * over an exclusive one of another key (with the same key it is granted, as LockFileEx's page
 * says for one handle), an exclusive lock over any. Win32 (ReadFile, LockFileEx) always passes
 * key 0; NtReadFile/NtWriteFile pass theirs. Other file objects' locks conflict whatever the
 * keys (the OFD locks). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"
#include "runtime/runtime.h"

typedef struct fl_lock {
    struct fl_lock *next;
    const nt_file *file; /* the owner */
    int fd;
    dev_t dev;
    ino_t ino;
    uint64_t off, len;
    bool exclusive;
    uint32_t key;
} fl_lock;

static fl_lock *fl_locks;
static uint32_t fl_count; /* entries of fl_locks: read without the mutex as a hint */
static uint32_t fl_keyed; /* of them, taken with a key other than 0 (a hint as well) */
static pthread_mutex_t fl_mutex = PTHREAD_MUTEX_INITIALIZER;

/* ---- which files any ntrun process holds locks on: the fast path of reads and writes ----
 * A page the ntrun processes of a user share (/dev/shm/ntrun-filelocks2-UID): a count per
 * bucket of files (a hash of the file's device and inode) of the processes that hold (or are
 * taking) byte-range locks on a file of that bucket, and a slot per such process with its pid
 * and the buckets it counts in. NtReadFile/NtWriteFile of a file whose bucket counts 0 make no
 * F_OFD_GETLK query: a file read or written in 4 KiB pieces paid one more system call per piece
 * (1.35x the time of 80000 WriteFile/ReadFile calls), and with one count for the whole user
 * every ntrun process paid it while any other held a lock on any file (2-5% of Lua's 50 MB
 * write+read while the test suite ran). A file object finds its bucket once (an fstat at its
 * first check while some lock is held anywhere). Several files share a bucket: a lock on one
 * only costs the others the query.
 *
 * A process claims its slot before it takes its first lock and frees it when it holds none
 * (under fl_mutex); it counts a file's bucket before it takes its first lock on the file (a
 * reader that then sees 0 asks before the lock exists, as it would have without the page) and
 * stops counting it once it holds none on the file. A slot lists FL_SLOT_FILES files: a
 * process that locks more claims further slots (up to FL_PROC_SLOTS, FL_PROC_SLOTS *
 * FL_SLOT_FILES files), each with its pid, and gives back each one it no longer needs. Only a
 * process that locks more files than that, or finds no free slot, counts in `wild` instead:
 * every read and write then asks while it holds any lock (before Lua's twentieth pass, one
 * with more than 8 locked files did, as the test suite's pe.file_lock_files does with 10: 1.5%
 * of Lua's 50 MB write+read in F_OFD_GETLK while it ran). The slots of processes that ended holding locks (killed, or exited
 * without unlocking) are taken back by the next process that maps the page, their buckets with
 * them; a slot left by a process whose pid is in use again only costs queries until that
 * process ends. Without the page (no /dev/shm): the query is always made. (The name changed
 * with the layout: a process of an older ntrun, which counts only in the old page's total,
 * does not see this one's files, nor this one its.) */
#define FL_SLOTS 500
#define FL_SLOT_FILES 8
#define FL_PROC_SLOTS 16 /* slots one process may hold */
#define FL_BUCKETS 4096
#define FL_SLOT_RECLAIMING (-1) /* a slot's pid while a mapper takes a dead process's back */
typedef struct {
    uint32_t in_use; /* slots claimed: 0 means no lock anywhere */
    uint32_t wild;   /* processes whose locks are not all in buckets */
    struct {
        int32_t pid;
        uint16_t nfiles;   /* entries of file[] */
        uint16_t wild;     /* counted in `wild` */
        uint16_t file[FL_SLOT_FILES]; /* the buckets it counts in */
    } slot[FL_SLOTS];
    uint32_t bucket[FL_BUCKETS];
} fl_shared_page;

static fl_shared_page *fl_page;
static pthread_once_t fl_page_once = PTHREAD_ONCE_INIT;
static int fl_slot = -1; /* this process's slot (under fl_mutex): -1 none, -2 counted without */
static bool fl_wild;     /* this process counts in fl_page->wild (under fl_mutex) */
/* Its further slots (under fl_mutex): fl_pub[k] is listed by slot fl_slot_of(k), at k %
 * FL_SLOT_FILES. */
static int fl_more[FL_PROC_SLOTS - 1];
static unsigned fl_nmore;
/* The files this process counts in their buckets (under fl_mutex), as its slots list them. */
static struct {
    dev_t dev;
    ino_t ino;
} fl_pub[FL_PROC_SLOTS * FL_SLOT_FILES];
static unsigned fl_npub;

static int fl_slot_of(unsigned k)
{
    return k < FL_SLOT_FILES ? fl_slot : fl_more[k / FL_SLOT_FILES - 1];
}

static uint32_t fl_bucket_of(uint64_t dev, uint64_t ino)
{
    uint64_t h = (ino * 0x9e3779b97f4a7c15ull) ^ (dev * 0xc2b2ae3d27d4eb4full);
    return (uint32_t)(h >> 52) & (FL_BUCKETS - 1);
}

/* A dead process's slot i (its pid `pid`): its buckets and wild count back, then the slot. */
static void fl_slot_reclaim(fl_shared_page *pg, int i, int32_t pid)
{
    if (!__atomic_compare_exchange_n(&pg->slot[i].pid, &pid, FL_SLOT_RECLAIMING, false,
                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return; /* another mapper took it back first */
    unsigned n = pg->slot[i].nfiles < FL_SLOT_FILES ? pg->slot[i].nfiles : FL_SLOT_FILES;
    for (unsigned k = 0; k < n; k++)
        __atomic_sub_fetch(&pg->bucket[pg->slot[i].file[k] & (FL_BUCKETS - 1)], 1,
                           __ATOMIC_ACQ_REL);
    if (pg->slot[i].wild)
        __atomic_sub_fetch(&pg->wild, 1, __ATOMIC_ACQ_REL);
    pg->slot[i].nfiles = 0;
    pg->slot[i].wild = 0;
    __atomic_sub_fetch(&pg->in_use, 1, __ATOMIC_ACQ_REL);
    __atomic_store_n(&pg->slot[i].pid, 0, __ATOMIC_RELEASE);
}

static void fl_page_map(void)
{
    char path[64];
    uid_t uid = getuid(); /* asked once: the page's name and its owner */
    snprintf(path, sizeof path, "/dev/shm/ntrun-filelocks2-%u", (unsigned)uid);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return;
    struct stat st;
    bool ok = fstat(fd, &st) == 0 && st.st_uid == uid && S_ISREG(st.st_mode) &&
              (st.st_size >= (off_t)sizeof(fl_shared_page) ||
               ftruncate(fd, sizeof(fl_shared_page)) == 0);
    void *p = ok ? mmap(NULL, sizeof(fl_shared_page), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
                 : MAP_FAILED;
    close(fd);
    if (p == MAP_FAILED)
        return;
    fl_shared_page *pg = p;
    for (int i = 0; i < FL_SLOTS; i++) { /* the slots of processes that are gone */
        int32_t pid = __atomic_load_n(&pg->slot[i].pid, __ATOMIC_ACQUIRE);
        if (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH)
            fl_slot_reclaim(pg, i, pid);
    }
    fl_page = pg;
}

/* May a read or write of f skip the lock query: no ntrun process holds a lock on a file of
 * its bucket? */
static bool fl_none_on(nt_file *f)
{
    pthread_once(&fl_page_once, fl_page_map);
    if (!fl_page)
        return false;
    if (__atomic_load_n(&fl_page->in_use, __ATOMIC_ACQUIRE) == 0)
        return true;
    if (__atomic_load_n(&fl_page->wild, __ATOMIC_ACQUIRE) != 0)
        return false;
    nt_file_ext *fx = nt_file_ext_of(f);
    uint32_t b = __atomic_load_n(&fx->lock_bucket, __ATOMIC_RELAXED);
    if (!b) {
        struct stat st;
        if (fstat(f->fd, &st) != 0)
            return false;
        b = fl_bucket_of(st.st_dev, st.st_ino) + 1;
        __atomic_store_n(&fx->lock_bucket, b, __ATOMIC_RELAXED);
    }
    return __atomic_load_n(&fl_page->bucket[b - 1], __ATOMIC_ACQUIRE) == 0;
}

/* Under fl_mutex, before a lock is taken: this process's slot. Without a free slot the count
 * alone says "in use" (the slot index stays -2: freed with the count). */
static void fl_slot_claim(void)
{
    pthread_once(&fl_page_once, fl_page_map);
    if (!fl_page || fl_slot != -1)
        return;
    __atomic_add_fetch(&fl_page->in_use, 1, __ATOMIC_ACQ_REL);
    fl_slot = -2;
    int32_t me = (int32_t)getpid();
    for (int i = 0; i < FL_SLOTS && fl_slot == -2; i++) {
        int32_t free_pid = 0;
        if (__atomic_compare_exchange_n(&fl_page->slot[i].pid, &free_pid, me, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            fl_slot = i;
    }
}

/* Under fl_mutex, with the first slot held: a further one (its index), or -1 when none is free
 * or this process holds as many as it may. Counted in in_use, as a reclaimer takes it back. */
static int fl_slot_claim_more(void)
{
    if (fl_nmore == FL_PROC_SLOTS - 1)
        return -1;
    int32_t me = (int32_t)getpid();
    for (int i = 0; i < FL_SLOTS; i++) {
        int32_t free_pid = 0;
        if (__atomic_compare_exchange_n(&fl_page->slot[i].pid, &free_pid, me, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            __atomic_add_fetch(&fl_page->in_use, 1, __ATOMIC_ACQ_REL);
            fl_more[fl_nmore++] = i;
            return i;
        }
    }
    return -1;
}

/* Under fl_mutex, after fl_slot_claim, before a lock on the file (dev, ino) is taken: the
 * file counted in its bucket (or the process in `wild`). */
static void fl_publish(dev_t dev, ino_t ino)
{
    if (!fl_page || fl_slot == -1 || fl_wild)
        return;
    for (unsigned k = 0; k < fl_npub; k++)
        if (fl_pub[k].dev == dev && fl_pub[k].ino == ino)
            return;
    if (fl_slot >= 0 && fl_npub == (1 + fl_nmore) * FL_SLOT_FILES)
        fl_slot_claim_more(); /* the slots are full: one more, if there is one */
    if (fl_slot < 0 || fl_npub == (1 + fl_nmore) * FL_SLOT_FILES) {
        /* counts up before the slot says so, down after (fl_slot_release): a process that
         * dies in between leaves a count too many for its reclaimer, never one too few */
        __atomic_add_fetch(&fl_page->wild, 1, __ATOMIC_ACQ_REL);
        if (fl_slot >= 0)
            __atomic_store_n(&fl_page->slot[fl_slot].wild, 1, __ATOMIC_RELEASE);
        fl_wild = true;
        return;
    }
    uint32_t b = fl_bucket_of(dev, ino);
    int slot = fl_slot_of(fl_npub);
    unsigned at = fl_npub % FL_SLOT_FILES;
    fl_pub[fl_npub].dev = dev;
    fl_pub[fl_npub].ino = ino;
    __atomic_add_fetch(&fl_page->bucket[b], 1, __ATOMIC_ACQ_REL); /* before the list too */
    fl_page->slot[slot].file[at] = (uint16_t)b;
    fl_npub++;
    __atomic_store_n(&fl_page->slot[slot].nfiles, (uint16_t)(at + 1), __ATOMIC_RELEASE);
}

/* Under fl_mutex, after locks were given up or not taken: the files this process no longer
 * holds a lock on out of their buckets. */
static void fl_unpublish_unused(void)
{
    for (unsigned k = 0; k < fl_npub;) {
        bool held = false;
        for (const fl_lock *l = fl_locks; l && !held; l = l->next)
            held = l->dev == fl_pub[k].dev && l->ino == fl_pub[k].ino;
        if (held) {
            k++;
            continue;
        }
        /* out of the slots' lists first: the last entry out of its slot, then written over
         * entry k; a reclaimer of a process that dies in between then leaves a count too many
         * (a query too many), never one too few */
        int ks = fl_slot_of(k), ls = fl_slot_of(fl_npub - 1);
        unsigned ka = k % FL_SLOT_FILES, la = (fl_npub - 1) % FL_SLOT_FILES;
        uint16_t b = fl_page->slot[ks].file[ka], moved = fl_page->slot[ls].file[la];
        fl_npub--;
        __atomic_store_n(&fl_page->slot[ls].nfiles, (uint16_t)la, __ATOMIC_RELEASE);
        if (k != fl_npub) {
            fl_pub[k] = fl_pub[fl_npub];
            __atomic_store_n(&fl_page->slot[ks].file[ka], moved, __ATOMIC_RELEASE);
        }
        __atomic_sub_fetch(&fl_page->bucket[b], 1, __ATOMIC_ACQ_REL);
    }
    /* the further slots no entry needs back to the page */
    while (fl_nmore && fl_npub <= fl_nmore * FL_SLOT_FILES) {
        int i = fl_more[--fl_nmore];
        __atomic_store_n(&fl_page->slot[i].pid, 0, __ATOMIC_RELEASE);
        __atomic_sub_fetch(&fl_page->in_use, 1, __ATOMIC_ACQ_REL);
    }
}

/* Under fl_mutex, after a lock is given up or not taken: the buckets of the files no lock is
 * held on any more, and the slot back when none is held. */
static void fl_slot_release(void)
{
    if (fl_slot == -1)
        return;
    fl_unpublish_unused();
    if (__atomic_load_n(&fl_count, __ATOMIC_ACQUIRE))
        return;
    if (fl_wild) {
        if (fl_slot >= 0)
            __atomic_store_n(&fl_page->slot[fl_slot].wild, 0, __ATOMIC_RELEASE);
        __atomic_sub_fetch(&fl_page->wild, 1, __ATOMIC_ACQ_REL);
        fl_wild = false;
    }
    if (fl_slot >= 0)
        __atomic_store_n(&fl_page->slot[fl_slot].pid, 0, __ATOMIC_RELEASE);
    __atomic_sub_fetch(&fl_page->in_use, 1, __ATOMIC_ACQ_REL);
    fl_slot = -1;
}

/* The description f's locks are held on, opened at its first lock (under fl_mutex): a file
 * object's own one, the file opened again, so that the file object of another process (a
 * handle inherited by a child, or duplicated into another process) shares the open file but
 * not the locks: Windows' locks belong to the file object and the process (FsRtl's ProcessId).
 * It is opened for reading and writing when the file allows, as an exclusive lock through a
 * read-only handle needs (Linux's F_WRLCK needs a writable description); else in the mode of
 * f's own, and f's fd itself for what is not a regular file or cannot be opened again. */
static int fl_lock_fd(nt_file *f)
{
    nt_file_ext *fx = nt_file_ext_of(f);
    if (fx->lock_fd >= 0)
        return fx->lock_fd;
    int fd = -1;
    struct stat a, b;
    if (fstat(f->fd, &a) == 0 && S_ISREG(a.st_mode)) {
        char path[48];
        snprintf(path, sizeof path, "/proc/self/fd/%d", f->fd);
        fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY);
        int mode = fcntl(f->fd, F_GETFL);
        if (fd < 0 && mode >= 0)
            fd = open(path, (mode & O_ACCMODE) | O_CLOEXEC | O_NOCTTY);
        if (fd >= 0 && (fstat(fd, &b) != 0 || b.st_dev != a.st_dev || b.st_ino != a.st_ino)) {
            close(fd); /* another file under the name by now */
            fd = -1;
        }
    }
    __atomic_store_n(&fx->lock_fd, fd >= 0 ? fd : f->fd, __ATOMIC_RELEASE);
    return fx->lock_fd;
}

/* The description to ask F_OFD_GETLK with: f's lock description, or f's fd before any lock. */
static int fl_query_fd(nt_file *f)
{
    int fd = __atomic_load_n(&nt_file_ext_of(f)->lock_fd, __ATOMIC_ACQUIRE);
    return fd >= 0 ? fd : f->fd;
}

static bool fl_same_file(const fl_lock *l, const nt_file *f, const struct stat *st)
{
    return l->file == f && l->fd == f->fd && l->dev == st->st_dev && l->ino == st->st_ino;
}

/* Whether two ranges overlap; a zero-length lock at X overlaps the ranges that hold X (Wine's
 * tests of Windows: a zero-byte lock at 100 refuses 98+4 and 100+10, allows 90+10). */
static bool fl_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
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

/* The struct flock of [off, off+len) (l_len 0: to the end of the range Linux can express). */
static struct flock fl_range(short type, uint64_t off, uint64_t len)
{
    struct flock fl = {0};
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = (off_t)off;
    fl.l_len = len > (uint64_t)INT64_MAX - off ? 0 : (off_t)len;
    return fl;
}

/* Sets (type F_RDLCK/F_WRLCK/F_UNLCK) the OFD lock over [off, off+len). */
static int fl_fcntl(int fd, short type, uint64_t off, uint64_t len)
{
    if (!len || off > (uint64_t)INT64_MAX)
        return 0;
    struct flock fl = fl_range(type, off, len);
    int r;
    do
        r = fcntl(fd, F_OFD_SETLK, &fl);
    while (r != 0 && errno == EINTR);
    return r;
}

/* The file object behind h, with a reference, and its stat; STATUS_INVALID_HANDLE for what
 * has no byte ranges (sockets, console streams without a file). */
static NTSTATUS fl_get(HANDLE h, nt_file **f, struct stat *st)
{
    NTSTATUS s = nt_file_get(h, f);
    if (s != STATUS_SUCCESS)
        return s;
    if ((*f)->fd < 0 || (*f)->is_socket || fstat((*f)->fd, st) != 0) {
        nt_object_release(&(*f)->hdr);
        return STATUS_INVALID_HANDLE;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS fl_args(IO_STATUS_BLOCK *io, LARGE_INTEGER *offset, LARGE_INTEGER *length,
                        uint64_t *off, uint64_t *len)
{
    LARGE_INTEGER o, l;
    if (!nt_probe_write(io, sizeof *io) || !offset || !length ||
        nt_copy_from_user(&o, offset, sizeof o) != 0 ||
        nt_copy_from_user(&l, length, sizeof l) != 0)
        return STATUS_ACCESS_VIOLATION;
    *off = (uint64_t)o.QuadPart;
    *len = (uint64_t)l.QuadPart;
    return STATUS_SUCCESS;
}

static void fl_done(IO_STATUS_BLOCK *io)
{
    IO_STATUS_BLOCK done = {.Status = STATUS_SUCCESS, .Information = 0};
    nt_copy_to_user(io, &done, sizeof done);
}

/* Under fl_mutex: does the new lock conflict with a lock this process lists, or (zero length)
 * with another process's lock over its point? */
static bool fl_conflict_listed(const nt_file *f, const struct stat *st, bool exclusive,
                               uint32_t key, uint64_t off, uint64_t len)
{
    for (fl_lock *o = fl_locks; o; o = o->next) {
        if (o->dev != st->st_dev || o->ino != st->st_ino || !fl_overlap(off, len, o->off, o->len))
            continue;
        if (fl_same_file(o, f, st)) {
            if (exclusive)
                return true; /* an exclusive lock overlaps none, even of its own handle */
            if (o->exclusive && o->key != key)
                return true; /* a shared one only the exclusive locks of its own key */
        } else if ((!len || !o->len) && (exclusive || o->exclusive)) {
            return true; /* other handles' ranges are the OFD locks' business */
        }
    }
    if (!len && off <= (uint64_t)INT64_MAX) {
        struct flock fl = fl_range(exclusive ? F_WRLCK : F_RDLCK, off, 1);
        return fcntl(fl_query_fd((nt_file *)f), F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    }
    return false;
}

/* One try at lock l (of file object f): 0 granted (l is listed: the list owns it), 1 refused
 * for now (another lock holds the range), -1 refused for good (Linux's error). */
static int fl_try(nt_file *f, const struct stat *st, fl_lock *l)
{
    pthread_mutex_lock(&fl_mutex);
    fl_slot_claim(); /* before the lock exists: readers elsewhere then look for it */
    fl_publish(st->st_dev, st->st_ino);
    int lfd = fl_lock_fd(f);
    int r = fl_conflict_listed(f, st, l->exclusive, l->key, l->off, l->len) ? 1 : 0;
    if (!r && fl_fcntl(lfd, l->exclusive ? F_WRLCK : F_RDLCK, l->off, l->len) != 0)
        r = errno == EAGAIN || errno == EACCES ? 1 : -1;
    if (r) {
        fl_slot_release();
        pthread_mutex_unlock(&fl_mutex);
        return r;
    }
    l->next = fl_locks;
    fl_locks = l;
    __atomic_add_fetch(&fl_count, 1, __ATOMIC_RELEASE);
    if (l->key)
        __atomic_add_fetch(&fl_keyed, 1, __ATOMIC_RELEASE);
    if (!l->exclusive) /* Linux turned the handle's exclusive locks under it shared */
        for (fl_lock *o = fl_locks; o; o = o->next)
            if (o->exclusive && fl_same_file(o, f, st) && fl_overlap(l->off, l->len, o->off, o->len))
                fl_fcntl(lfd, F_WRLCK, o->off, o->len);
    pthread_mutex_unlock(&fl_mutex);
    return 0;
}

/* ---- a lock asked for on a handle without FILE_SYNCHRONOUS_IO_* (LockFileEx on an overlapped
 * handle): a polled request of ntemu/async.c, so a lock that must wait returns STATUS_PENDING
 * and is granted later with the request's notifications (status block, event, port packet,
 * APC); closing the file or CancelIo(Ex) cancels it. The file object is not referenced: its
 * pending requests end before it goes. */
typedef struct {
    nt_file *f;
    struct stat st;
    fl_lock *l; /* NULL once granted */
    bool fail_immediately;
} fl_async_arg;

static bool fl_async_attempt(int fd, void *p, NTSTATUS *status, ULONG_PTR *info)
{
    (void)fd;
    fl_async_arg *a = p;
    int r = fl_try(a->f, &a->st, a->l);
    if (r == 1 && !a->fail_immediately)
        return false;
    *info = 0;
    *status = r ? STATUS_LOCK_NOT_GRANTED : STATUS_SUCCESS;
    if (!r)
        a->l = NULL;
    return true;
}

static void fl_async_finish(void *p)
{
    fl_async_arg *a = p;
    free(a->l);
    free(a);
}

NTSTATUS NTAPI NtLockFile(HANDLE h, HANDLE event, void *apc, void *apc_ctx, IO_STATUS_BLOCK *io,
                          LARGE_INTEGER *offset, LARGE_INTEGER *length, uint32_t key,
                          uint8_t fail_immediately, uint8_t exclusive)
{
    nt_file *f;
    struct stat st;
    uint64_t off, len;
    NTSTATUS s = fl_get(h, &f, &st);
    if (s != STATUS_SUCCESS)
        return s;
    s = fl_args(io, offset, length, &off, &len);
    if (s != STATUS_SUCCESS)
        goto release;
    fl_lock *l = calloc(1, sizeof *l);
    if (!l) {
        s = STATUS_NO_MEMORY;
        goto release;
    }
    *l = (fl_lock){NULL, f, f->fd, st.st_dev, st.st_ino, off, len, exclusive != 0, key};
    if (!(f->options & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT))) {
        fl_async_arg *a = malloc(sizeof *a);
        if (!a) {
            free(l);
            s = STATUS_NO_MEMORY;
            goto release;
        }
        *a = (fl_async_arg){f, st, l, fail_immediately != 0};
        nt_async_io aio = {.attempt = fl_async_attempt, .finish = fl_async_finish, .arg = a,
                           .polled = true};
        nt_async_notify n = {.iosb = io, .event = event, .apc = apc, .apc_ctx = apc_ctx};
        s = nt_async_submit(f, &aio, &n, NULL);
        goto release;
    }
    for (;;) {
        int r = fl_try(f, &st, l);
        if (r == 0)
            break;
        if (fail_immediately || r < 0) {
            free(l);
            s = STATUS_LOCK_NOT_GRANTED;
            goto release;
        }
        /* until the holder unlocks; a terminating thread ends here */
        if (rt_thread_pending()) {
            free(l);
            nt_object_release(&f->hdr);
            rt_thread_check_pending();
            return STATUS_THREAD_IS_TERMINATING;
        }
        usleep(1000);
    }
    fl_done(io);
release:
    nt_object_release(&f->hdr);
    return s;
}

NTSTATUS NTAPI NtUnlockFile(HANDLE h, IO_STATUS_BLOCK *io, LARGE_INTEGER *offset,
                            LARGE_INTEGER *length, uint32_t key)
{
    nt_file *f;
    struct stat st;
    uint64_t off, len;
    NTSTATUS s = fl_get(h, &f, &st);
    if (s != STATUS_SUCCESS)
        return s;
    s = fl_args(io, offset, length, &off, &len);
    if (s != STATUS_SUCCESS)
        goto release;
    pthread_mutex_lock(&fl_mutex);
    /* the lock of this range, file object and key; of a shared and an exclusive one (a shared
     * lock may sit on its own exclusive one), the exclusive one ([MS-FSA] 2.1.5.9) */
    fl_lock **pp = NULL;
    for (fl_lock **q = &fl_locks; *q; q = &(*q)->next)
        if (fl_same_file(*q, f, &st) && (*q)->off == off && (*q)->len == len &&
            (*q)->key == key && (!pp || (*q)->exclusive)) {
            pp = q;
            if ((*q)->exclusive)
                break;
        }
    if (!pp) {
        pthread_mutex_unlock(&fl_mutex);
        s = STATUS_RANGE_NOT_LOCKED;
        goto release;
    }
    fl_lock *gone = *pp;
    *pp = gone->next;
    __atomic_sub_fetch(&fl_count, 1, __ATOMIC_RELEASE);
    if (gone->key)
        __atomic_sub_fetch(&fl_keyed, 1, __ATOMIC_RELEASE);
    int lfd = fl_query_fd(f);
    fl_fcntl(lfd, F_UNLCK, off, len);
    fl_slot_release();
    /* the description's other locks over the range: shared first, exclusive over them */
    for (int pass = 0; pass < 2; pass++)
        for (fl_lock *o = fl_locks; o; o = o->next)
            if (fl_same_file(o, f, &st) && o->exclusive == (pass == 1) &&
                fl_overlap(off, len, o->off, o->len))
                fl_fcntl(lfd, o->exclusive ? F_WRLCK : F_RDLCK, o->off, o->len);
    pthread_mutex_unlock(&fl_mutex);
    free(gone);
    fl_done(io);
release:
    nt_object_release(&f->hdr);
    return s;
}

/* Does a lock of f's own (this process's file object) refuse a read or write with key? */
static bool fl_own_conflict(const fl_lock *o, bool write, uint32_t key)
{
    if (o->exclusive)
        return o->key != key;
    return write; /* a shared lock denies everyone writing, its owner too */
}

NTSTATUS nt_file_lock_check(nt_file *f, int64_t off, uint64_t len, bool write, uint32_t key)
{
    if (!len || f->fd < 0 || f->is_socket || fl_none_on(f))
        return STATUS_SUCCESS;
    /* another file object's lock anywhere in the file (the usual answer: none) */
    struct flock any = fl_range(write ? F_WRLCK : F_RDLCK, 0, UINT64_MAX);
    int qfd = fl_query_fd(f);
    bool others = fcntl(qfd, F_OFD_GETLK, &any) == 0 && any.l_type != F_UNLCK;
    /* this file object's own locks: a write meets its shared ones; a read only an exclusive
     * one of another key (none while no lock has a key and the read has none) */
    bool own = __atomic_load_n(&fl_count, __ATOMIC_ACQUIRE) &&
               (write || key || __atomic_load_n(&fl_keyed, __ATOMIC_ACQUIRE));
    if (!others && !own)
        return STATUS_SUCCESS;
    if (off < 0) { /* the file pointer, or the end for an append */
        struct stat st;
        off = f->append ? (fstat(f->fd, &st) == 0 ? st.st_size : 0) : lseek(f->fd, 0, SEEK_CUR);
        if (off < 0)
            return STATUS_SUCCESS; /* no position: not a file with ranges */
    }
    if (others) {
        struct flock fl = fl_range(write ? F_WRLCK : F_RDLCK, (uint64_t)off, len);
        if (fcntl(qfd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
            return STATUS_FILE_LOCK_CONFLICT;
    }
    NTSTATUS s = STATUS_SUCCESS;
    if (own) {
        struct stat st;
        if (fstat(f->fd, &st) != 0)
            return STATUS_SUCCESS;
        pthread_mutex_lock(&fl_mutex);
        for (fl_lock *o = fl_locks; o && s == STATUS_SUCCESS; o = o->next)
            if (o->len && fl_same_file(o, f, &st) && fl_own_conflict(o, write, key) &&
                fl_overlap((uint64_t)off, len, o->off, o->len))
                s = STATUS_FILE_LOCK_CONFLICT;
        pthread_mutex_unlock(&fl_mutex);
    }
    return s;
}

void nt_file_locks_drop(nt_file *f)
{
    nt_file_ext *fx = nt_file_ext_of(f);
    if (fx->lock_fd >= 0 && fx->lock_fd != f->fd)
        close(fx->lock_fd); /* its OFD locks go with it */
    fx->lock_fd = -1;
    if (!__atomic_load_n(&fl_count, __ATOMIC_ACQUIRE))
        return;
    pthread_mutex_lock(&fl_mutex);
    for (fl_lock **pp = &fl_locks; *pp;) {
        fl_lock *l = *pp;
        if (l->file == f) {
            *pp = l->next;
            __atomic_sub_fetch(&fl_count, 1, __ATOMIC_RELEASE);
            if (l->key)
                __atomic_sub_fetch(&fl_keyed, 1, __ATOMIC_RELEASE);
            free(l);
        } else {
            pp = &l->next;
        }
    }
    fl_slot_release();
    pthread_mutex_unlock(&fl_mutex);
}
