/* SPDX-License-Identifier: MIT */
/* File share modes, within the process and across ntrun processes of the same user. Every open
 * file object of a regular file records its granted access and the share mode it was opened
 * with, keyed by device and inode (so every name and hard link of the file counts), and a new
 * open conflicting with one of them fails with STATUS_SHARING_VIOLATION, as Windows'
 * IoCheckShareAccess decides:
 *   - an open that asks for neither data access nor DELETE (attributes only) never conflicts;
 *   - reading (FILE_READ_DATA, FILE_EXECUTE) needs every other data opener's FILE_SHARE_READ,
 *     writing (FILE_WRITE_DATA, FILE_APPEND_DATA) their FILE_SHARE_WRITE, DELETE their
 *     FILE_SHARE_DELETE;
 *   - and the other way round: the new open must share what the existing ones were granted.
 * DeleteFile opens with DELETE, so deleting a file open without FILE_SHARE_DELETE fails.
 *
 * An open is six facts about its file, the "bits": it reads, writes, deletes; it denies
 * reading, writing, deleting (a deny bit only for an open with data or delete access). A new
 * open conflicts when it needs a bit someone else holds (reading needs no "denies reading"
 * holder, not sharing reading needs no "reads" holder, and so on). Within the process the bits
 * are counted per file (no system call: the fast path). Across processes each file has a slot
 * of 8 bytes in one per-user lock file (/tmp/ntrun-share-UID, mode 0600, owned by the user),
 * at an offset hashed from dev/ino over 2^58 slots: byte 0 guards a check-and-record against a
 * racing process (an exclusive lock held for its duration), bytes 1-6 are the bits. The process
 * holds a shared open-file-description lock (F_OFD_SETLK, F_RDLCK) on a bit's byte while any of
 * its opens has that bit, and tests another process's bits with F_OFD_GETLK (which ignores the
 * locks of its own description, so the process's own opens are not seen twice). The kernel
 * drops the locks when the process ends however it ends, so a killed process leaves no stale
 * share. The lock file's descriptor is close-on-exec: children get their own. Without the lock
 * file (unwritable /tmp, someone else's file) share modes hold within the process only.
 * A hash collision of two files would make them conflict as one; at 2^58 slots it is not met. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"

#define NT_SHARE_READ_ACCESS (FILE_READ_DATA | FILE_EXECUTE)
#define NT_SHARE_WRITE_ACCESS (FILE_WRITE_DATA | FILE_APPEND_DATA)
#define NT_SHARE_CHECKED (NT_SHARE_READ_ACCESS | NT_SHARE_WRITE_ACCESS | DELETE)

enum { SB_READS, SB_WRITES, SB_DELETES, SB_DENIES_READ, SB_DENIES_WRITE, SB_DENIES_DELETE, SB_N };

/* The open files of the process with share bits, one per dev/ino. */
struct nt_share_file {
    struct nt_share_file *next;
    uint64_t dev, ino;
    uint32_t count[SB_N]; /* opens holding each bit */
};

/* One open's record. */
struct nt_share {
    struct nt_share_file *file;
    unsigned bits; /* 1 << SB_* */
};

static pthread_mutex_t share_lock = PTHREAD_MUTEX_INITIALIZER;
static struct nt_share_file *share_files;
static int share_fd = -1;

static void share_fd_init(void)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/ntrun-share-%u", (unsigned)getuid());
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    struct stat sb;
    if (fd < 0)
        return;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_uid != getuid()) {
        close(fd);
        return;
    }
    share_fd = fd;
}

/* The lock file's descriptor, or -1 (cross-process enforcement off). */
static int share_lock_fd(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, share_fd_init);
    return share_fd;
}

/* The bits an open of `access` sharing `sharing` holds (0 for attributes only). */
static unsigned share_bits(uint32_t access, uint32_t sharing)
{
    if (!(access & NT_SHARE_CHECKED))
        return 0;
    unsigned b = 0;
    if (access & NT_SHARE_READ_ACCESS) b |= 1u << SB_READS;
    if (access & NT_SHARE_WRITE_ACCESS) b |= 1u << SB_WRITES;
    if (access & DELETE) b |= 1u << SB_DELETES;
    if (!(sharing & FILE_SHARE_READ)) b |= 1u << SB_DENIES_READ;
    if (!(sharing & FILE_SHARE_WRITE)) b |= 1u << SB_DENIES_WRITE;
    if (!(sharing & FILE_SHARE_DELETE)) b |= 1u << SB_DENIES_DELETE;
    return b;
}

/* The bits another open must not hold for this one to be granted: the deny bits of what it
 * does, the access bits of what it does not share. */
static unsigned share_excluded(unsigned bits)
{
    unsigned does = bits & 7u, denies = (bits >> 3) & 7u;
    return (does << 3) | denies;
}

/* ---- the lock file ---- */

static off_t share_slot(uint64_t dev, uint64_t ino)
{
    uint64_t h = ino * 0x9e3779b97f4a7c15ull ^ (dev + 0x632be59bd9b4e019ull);
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 29;
    return (off_t)((h & ((1ull << 58) - 1)) * 8);
}

static int share_fcntl(int fd, int cmd, short type, off_t start, off_t len, struct flock *out)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    int r;
    do
        r = fcntl(fd, cmd, &fl);
    while (r != 0 && errno == EINTR);
    if (out)
        *out = fl;
    return r;
}

/* Whether another process holds any of `bits` on the slot. */
static bool share_held_elsewhere(int fd, off_t slot, unsigned bits)
{
    for (int i = 0; i < SB_N; i++) {
        struct flock fl;
        if ((bits & (1u << i)) &&
            share_fcntl(fd, F_OFD_GETLK, F_WRLCK, slot + 1 + i, 1, &fl) == 0 &&
            fl.l_type != F_UNLCK)
            return true;
    }
    return false;
}

/* ---- within the process (share_lock held) ---- */

static struct nt_share_file *share_file_find(uint64_t dev, uint64_t ino)
{
    for (struct nt_share_file *f = share_files; f; f = f->next)
        if (f->dev == dev && f->ino == ino)
            return f;
    return NULL;
}

static bool share_held_here(const struct nt_share_file *f, unsigned bits)
{
    for (int i = 0; f && i < SB_N; i++)
        if ((bits & (1u << i)) && f->count[i])
            return true;
    return false;
}

static NTSTATUS share_check_locked(uint64_t dev, uint64_t ino, unsigned excluded, int fd)
{
    if (share_held_here(share_file_find(dev, ino), excluded) ||
        (fd >= 0 && share_held_elsewhere(fd, share_slot(dev, ino), excluded)))
        return STATUS_SHARING_VIOLATION;
    return STATUS_SUCCESS;
}

NTSTATUS nt_share_check(uint64_t dev, uint64_t ino, uint32_t access, uint32_t sharing)
{
    unsigned excluded = share_excluded(share_bits(access, sharing));
    if (!excluded)
        return STATUS_SUCCESS;
    int fd = share_lock_fd();
    pthread_mutex_lock(&share_lock);
    NTSTATUS st = share_check_locked(dev, ino, excluded, fd);
    pthread_mutex_unlock(&share_lock);
    return st;
}

NTSTATUS nt_share_add(uint64_t dev, uint64_t ino, uint32_t access, uint32_t sharing,
                      struct nt_share **out)
{
    *out = NULL;
    unsigned bits = share_bits(access, sharing);
    if (!bits)
        return STATUS_SUCCESS; /* attributes only: nothing to record */
    struct nt_share *e = malloc(sizeof *e);
    struct nt_share_file *nf = malloc(sizeof *nf);
    if (!e || !nf) {
        free(e);
        free(nf);
        return STATUS_NO_MEMORY;
    }
    int fd = share_lock_fd();
    off_t slot = share_slot(dev, ino);
    pthread_mutex_lock(&share_lock);
    /* The guard: no other process checks-and-records this file meanwhile. */
    if (fd >= 0 && share_fcntl(fd, F_OFD_SETLKW, F_WRLCK, slot, 1, NULL) != 0)
        fd = -1;
    NTSTATUS st = share_check_locked(dev, ino, share_excluded(bits), fd);
    if (st == STATUS_SUCCESS) {
        struct nt_share_file *f = share_file_find(dev, ino);
        if (!f) {
            *nf = (struct nt_share_file){.next = share_files, .dev = dev, .ino = ino};
            share_files = f = nf;
            nf = NULL;
        }
        for (int i = 0; i < SB_N; i++)
            if ((bits & (1u << i)) && f->count[i]++ == 0 && fd >= 0)
                share_fcntl(fd, F_OFD_SETLK, F_RDLCK, slot + 1 + i, 1, NULL);
        *e = (struct nt_share){.file = f, .bits = bits};
        *out = e;
        e = NULL;
    }
    if (fd >= 0)
        share_fcntl(fd, F_OFD_SETLK, F_UNLCK, slot, 1, NULL);
    pthread_mutex_unlock(&share_lock);
    free(e);
    free(nf);
    return st;
}

void nt_share_remove(struct nt_share *e)
{
    if (!e)
        return;
    int fd = share_lock_fd();
    struct nt_share_file *f = e->file;
    off_t slot = share_slot(f->dev, f->ino);
    bool empty = true;
    pthread_mutex_lock(&share_lock);
    for (int i = 0; i < SB_N; i++) {
        if ((e->bits & (1u << i)) && --f->count[i] == 0 && fd >= 0)
            share_fcntl(fd, F_OFD_SETLK, F_UNLCK, slot + 1 + i, 1, NULL);
        empty = empty && f->count[i] == 0;
    }
    if (empty)
        for (struct nt_share_file **pp = &share_files; *pp; pp = &(*pp)->next)
            if (*pp == f) {
                *pp = f->next;
                free(f);
                break;
            }
    pthread_mutex_unlock(&share_lock);
    free(e);
}
