/* SPDX-License-Identifier: MIT */
/* File share modes within the process: every open file object of a regular file records its
 * granted access and the share mode it was opened with, keyed by device and inode (so every
 * name and hard link of the file counts), and a new open conflicting with one of them fails
 * with STATUS_SHARING_VIOLATION, as Windows' IoCheckShareAccess decides:
 *   - an open that asks for neither data access nor DELETE (attributes only) never conflicts;
 *   - reading (FILE_READ_DATA, FILE_EXECUTE) needs every other data opener's FILE_SHARE_READ,
 *     writing (FILE_WRITE_DATA, FILE_APPEND_DATA) their FILE_SHARE_WRITE, DELETE their
 *     FILE_SHARE_DELETE;
 *   - and the other way round: the new open must share what the existing ones were granted.
 * DeleteFile opens with DELETE, so deleting a file open without FILE_SHARE_DELETE fails.
 * Other ntrun processes do not see these records (no cross-process enforcement yet). */
#include <pthread.h>
#include <stdlib.h>
#include "ntemu/ntemu_private.h"

#define NT_SHARE_READ_ACCESS (FILE_READ_DATA | FILE_EXECUTE)
#define NT_SHARE_WRITE_ACCESS (FILE_WRITE_DATA | FILE_APPEND_DATA)
#define NT_SHARE_CHECKED (NT_SHARE_READ_ACCESS | NT_SHARE_WRITE_ACCESS | DELETE)

struct nt_share {
    struct nt_share *next;
    uint64_t dev, ino;
    uint32_t access, sharing;
};

static pthread_mutex_t share_lock = PTHREAD_MUTEX_INITIALIZER;
static struct nt_share *shares;

static bool share_conflicts(const struct nt_share *e, uint32_t access, uint32_t sharing)
{
    if (!(access & NT_SHARE_CHECKED) || !(e->access & NT_SHARE_CHECKED))
        return false;
    if (((access & NT_SHARE_READ_ACCESS) && !(e->sharing & FILE_SHARE_READ)) ||
        ((access & NT_SHARE_WRITE_ACCESS) && !(e->sharing & FILE_SHARE_WRITE)) ||
        ((access & DELETE) && !(e->sharing & FILE_SHARE_DELETE)))
        return true;
    return ((e->access & NT_SHARE_READ_ACCESS) && !(sharing & FILE_SHARE_READ)) ||
           ((e->access & NT_SHARE_WRITE_ACCESS) && !(sharing & FILE_SHARE_WRITE)) ||
           ((e->access & DELETE) && !(sharing & FILE_SHARE_DELETE));
}

static bool share_any_conflict(uint64_t dev, uint64_t ino, uint32_t access, uint32_t sharing)
{
    for (struct nt_share *e = shares; e; e = e->next)
        if (e->dev == dev && e->ino == ino && share_conflicts(e, access, sharing))
            return true;
    return false;
}

NTSTATUS nt_share_check(uint64_t dev, uint64_t ino, uint32_t access, uint32_t sharing)
{
    pthread_mutex_lock(&share_lock);
    bool conflict = share_any_conflict(dev, ino, access, sharing);
    pthread_mutex_unlock(&share_lock);
    return conflict ? STATUS_SHARING_VIOLATION : STATUS_SUCCESS;
}

NTSTATUS nt_share_add(uint64_t dev, uint64_t ino, uint32_t access, uint32_t sharing,
                      struct nt_share **out)
{
    *out = NULL;
    if (!(access & NT_SHARE_CHECKED))
        return STATUS_SUCCESS; /* attributes only: nothing to record */
    struct nt_share *e = malloc(sizeof *e);
    if (!e)
        return STATUS_NO_MEMORY;
    *e = (struct nt_share){.dev = dev, .ino = ino, .access = access, .sharing = sharing};
    pthread_mutex_lock(&share_lock);
    if (share_any_conflict(dev, ino, access, sharing)) {
        pthread_mutex_unlock(&share_lock);
        free(e);
        return STATUS_SHARING_VIOLATION;
    }
    e->next = shares;
    shares = e;
    pthread_mutex_unlock(&share_lock);
    *out = e;
    return STATUS_SUCCESS;
}

void nt_share_remove(struct nt_share *e)
{
    if (!e)
        return;
    pthread_mutex_lock(&share_lock);
    for (struct nt_share **pp = &shares; *pp; pp = &(*pp)->next)
        if (*pp == e) {
            *pp = e->next;
            break;
        }
    pthread_mutex_unlock(&share_lock);
    free(e);
}
