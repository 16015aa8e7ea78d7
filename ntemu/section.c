/* SPDX-License-Identifier: MIT */
/* Sections (file mappings): NtCreateSection, NtOpenSection, NtMapViewOfSection,
 * NtUnmapViewOfSection(Ex), NtQuerySection, NtExtendSection, NtFlushVirtualMemory.
 *
 * A section is an fd: the file's own (dup'd, so the section outlives the file handle, as on
 * Windows) or, for a pagefile-backed section, a memfd of the section's size. A view is an mmap
 * of that fd at a 64 KiB-aligned address: MAP_SHARED for read-only and read-write views (every
 * view of a section, and the file itself, see the same pages), MAP_PRIVATE for copy-on-write
 * views (PAGE_WRITECOPY / FILE_MAP_COPY). Views are registered with virtual.c as MEM_MAPPED, so
 * VirtualQuery reports them and VirtualFree refuses them. Named sections share the namespace of
 * events and mutants (sync.c's name list) within a process.
 *
 * A named pagefile-backed section is shared with other ntrun processes, as Windows shares it
 * between programs: its memory is POSIX shared memory named after the section
 * (/dev/shm/ntrun-UID-sec-<XXH3-128 of the upper-cased NT name>), created or opened by
 * NtCreateSection (STATUS_OBJECT_NAME_EXISTS when another process has it) and found by
 * NtOpenSection. Each process holding the section keeps a shared flock(2) on it; the last one
 * to let go (its exclusive try-lock succeeds) unlinks the name while holding the lock, and an
 * opener that finds the name unlinked under it starts again, so the name lives exactly as
 * long as a handle of the section does in some process (a view keeps its memory, not the name,
 * as Windows removes a temporary object's name at its last handle). Another process's section opens
 * read-write (its creation protection is not recorded).
 *
 * A named file-backed section is shared the same way through a descriptor page in POSIX shared
 * memory (/ntrun-UID-secf-<same hash>, same lifetime rule): the file's Linux path, device and
 * inode, the creator's pid and fd (the file is reopened through /proc/PID/fd/FD when the path no
 * longer names it), the protection, and the section's size, which NtExtendSection grows for
 * every process. Every process maps the file itself, so views of the section in all of them are
 * the same page-cache pages. The two kinds share one namespace: creating either finds the
 * other's existing section first.
 *
 * SEC_IMAGE sections are the loader's work (loader/section_image.c hands its operations over
 * with nt_set_image_ops, as ntemu cannot call up into the loader): NtCreateSection validates
 * the PE and keeps its SectionImageInformation; a view is the image mapped as the loader maps a
 * DLL (sections at their RVAs with their protections, relocated when it is not at its
 * preferred base: STATUS_IMAGE_NOT_AT_BASE), at the caller's address when it gives one,
 * MEM_IMAGE for VirtualQuery. A named one is shared like a named file-backed section, its
 * descriptor marked SEC_IMAGE. NtUnmapViewOfSection of an address no view holds asks the loader
 * (nt_image_ops.unmap_module): a DLL the program loaded goes, as on Windows.
 *
 * SEC_RESERVE pagefile sections keep one bit a page in front of their bytes (struct sec_rhdr,
 * in the memfd or the shared memory): a view maps PROT_NONE but for the committed pages;
 * NtAllocateVirtualMemory(MEM_COMMIT) in a view sets the bits and opens the pages in the
 * section's other views here (nt_section_committed); another process's commits are picked up
 * when the program asks NtQueryVirtualMemory about the view (nt_section_sync).
 *
 * NtExtendSection grows a SEC_RESERVE pagefile section (its bitmap is sized for 1 GiB or the
 * first size, whichever is more) for every process, views mapped after it see the new size; a
 * SEC_COMMIT pagefile section cannot grow (STATUS_SECTION_NOT_EXTENDED), as on Windows.
 *
 * A page another process committed opens here at the first touch (nt_section_fault, the
 * SIGSEGV handler's access-fault hook), at a VirtualQuery, or at a commit of it here. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#define XXH_INLINE_ALL /* Debian's libxxhash-dev, header-only */
#include <xxhash.h>
#include "ntemu/ntemu_private.h"

#define NT_SEC_GRANULARITY 0x10000ull
#define NT_SEC_PAGE 0x1000ull
#define NT_SEC_FILE    0x00800000u
#define NT_SEC_IMAGE   0x01000000u
#define NT_SEC_RESERVE 0x04000000u
#define NT_SEC_COMMIT  0x08000000u
#define NT_SEC_IMAGE_NO_EXECUTE 0x11000000u

#ifndef STATUS_MAPPED_FILE_SIZE_ZERO
#define STATUS_MAPPED_FILE_SIZE_ZERO ((NTSTATUS)0xC000011E)
#endif
#ifndef STATUS_SECTION_TOO_BIG
#define STATUS_SECTION_TOO_BIG ((NTSTATUS)0xC0000040)
#endif
#ifndef STATUS_SECTION_PROTECTION
#define STATUS_SECTION_PROTECTION ((NTSTATUS)0xC000004E)
#endif
#ifndef STATUS_SECTION_NOT_IMAGE
#define STATUS_SECTION_NOT_IMAGE ((NTSTATUS)0xC0000049)
#endif
#ifndef STATUS_MAPPED_ALIGNMENT
#define STATUS_MAPPED_ALIGNMENT ((NTSTATUS)0xC0000220)
#endif
#ifndef STATUS_INVALID_VIEW_SIZE
#define STATUS_INVALID_VIEW_SIZE ((NTSTATUS)0xC000001F)
#endif
#ifndef STATUS_CONFLICTING_ADDRESSES
#define STATUS_CONFLICTING_ADDRESSES ((NTSTATUS)0xC0000018)
#endif
#ifndef STATUS_NOT_MAPPED_VIEW
#define STATUS_NOT_MAPPED_VIEW ((NTSTATUS)0xC0000019)
#endif
#ifndef STATUS_NOT_MAPPED_DATA
#define STATUS_NOT_MAPPED_DATA ((NTSTATUS)0xC0000088)
#endif
#ifndef STATUS_INVALID_FILE_FOR_SECTION
#define STATUS_INVALID_FILE_FOR_SECTION ((NTSTATUS)0xC0000020)
#endif
#ifndef STATUS_INVALID_PARAMETER_3
#define STATUS_INVALID_PARAMETER_3 ((NTSTATUS)0xC00000F1)
#endif

typedef struct nt_section {
    nt_sync s;          /* named sections share sync.c's name list */
    int fd;
    uint64_t size;
    uint32_t protect;   /* PAGE_* given at creation */
    uint32_t attributes; /* SEC_* */
    char *shm_name;     /* shared with other processes: its shm_open name */
    int lock_fd;        /* the shm object holding our shared flock (== fd for pagefile), or -1 */
    struct nt_sec_desc *desc; /* file-backed and shared: the descriptor page, mapped */
    nt_image_info *image;     /* SEC_IMAGE: what the loader found in the file */
    struct sec_rhdr *rhdr;    /* SEC_RESERVE: the header and commit bitmap (mapped) */
    uint64_t data_off;        /* where the section's bytes start in fd (after rhdr) */
} nt_section;

static const nt_image_ops *image_ops;

void nt_set_image_ops(const nt_image_ops *ops)
{
    image_ops = ops;
}

/* The descriptor of a named file-backed section (one page of shared memory). magic is written
 * last by the creator; size is the section's, for every process. */
#define NT_SEC_DESC_MAGIC 0x3146434553544e52ull /* "RNTSECF1" */
typedef struct nt_sec_desc {
    _Atomic uint64_t magic;
    _Atomic uint64_t size;
    uint32_t protect, attributes;
    uint64_t dev, ino;
    int32_t pid, fd;
    char path[4096 - 48];
} nt_sec_desc;
_Static_assert(sizeof(nt_sec_desc) == 4096, "one page");

/* A pagefile-backed SEC_RESERVE section keeps which of its pages are committed in front of its
 * bytes, in the same memfd or shared memory (so every view, in every process, sees one
 * state): this header, then one bit per page, then the bytes at data_off (a page boundary). */
#define NT_SEC_RHDR_MAGIC 0x3152434553544e52ull /* "RNTSECR1" */
typedef struct sec_rhdr {
    _Atomic uint64_t magic; /* written last by the creator */
    _Atomic uint64_t size;  /* the section's size (NtExtendSection grows it, for everyone) */
    uint64_t data_off;      /* where its bytes start */
    uint8_t bits[];         /* bit n: page n is committed (__atomic ops) */
} sec_rhdr;

/* The bitmap has room for at least 1 GiB of pages (32 KiB, untouched pages cost nothing), so
 * NtExtendSection can grow the section in place up to there (or up to its first size). */
#define NT_SEC_RESERVE_MIN_PAGES (1ull << 18)

/* The header's length (a page multiple) for a section of size bytes. */
static uint64_t rhdr_len(uint64_t size)
{
    uint64_t pages = (size + NT_SEC_PAGE - 1) / NT_SEC_PAGE;
    if (pages < NT_SEC_RESERVE_MIN_PAGES)
        pages = NT_SEC_RESERVE_MIN_PAGES;
    return (sizeof(sec_rhdr) + (pages + 7) / 8 + NT_SEC_PAGE - 1) & ~(NT_SEC_PAGE - 1);
}

/* How many pages the header's bitmap holds. */
static uint64_t rhdr_capacity(const sec_rhdr *h)
{
    return (h->data_off - sizeof(sec_rhdr)) * 8;
}

static bool rhdr_test(const sec_rhdr *h, uint64_t page)
{
    return (__atomic_load_n(&h->bits[page / 8], __ATOMIC_ACQUIRE) >> (page % 8)) & 1;
}

static void rhdr_set(sec_rhdr *h, uint64_t page)
{
    __atomic_fetch_or(&h->bits[page / 8], (uint8_t)(1u << (page % 8)), __ATOMIC_RELEASE);
}

/* Maps the header of a SEC_RESERVE section in fd; create: writes it for size bytes (fd is
 * sized already). NULL when it cannot be mapped or its creator never finished it. */
static sec_rhdr *rhdr_map(int fd, bool create, uint64_t size)
{
    sec_rhdr first;
    if (create) {
        first.data_off = rhdr_len(size);
    } else {
        for (int i = 0;; i++) { /* its creator may be filling it in */
            if (pread(fd, &first, sizeof first, 0) == (ssize_t)sizeof first &&
                atomic_load(&first.magic) == NT_SEC_RHDR_MAGIC)
                break;
            if (i == 1000)
                return NULL;
            struct timespec ms = {0, 1000000};
            nanosleep(&ms, NULL);
        }
        if (first.data_off == 0 || first.data_off % NT_SEC_PAGE || first.data_off > (1ull << 40))
            return NULL;
    }
    sec_rhdr *h = mmap(NULL, first.data_off, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (h == MAP_FAILED)
        return NULL;
    if (create) {
        atomic_store(&h->size, size);
        h->data_off = first.data_off;
        atomic_store(&h->magic, NT_SEC_RHDR_MAGIC);
    }
    return h;
}

static uint64_t sec_size(const nt_section *s)
{
    return s->desc ? atomic_load(&s->desc->size)
           : s->rhdr ? atomic_load(&s->rhdr->size)
                     : s->size;
}

/* Mapped views, under nt_view_lock (a short list: programs map few views). */
typedef struct nt_view {
    struct nt_view *next;
    uintptr_t base;
    size_t size;
    bool image;         /* mapped by the loader (image_ops) */
    /* a view of a SEC_RESERVE section: its own mapping of the section's header, the
     * section's identity (the memfd or shm's inode), where the view starts in it, the view's
     * protection, and which of its pages it has made accessible (one byte a page) */
    sec_rhdr *rhdr;
    uint64_t dev, ino, off;
    uint32_t protect;
    uint8_t *applied;
} nt_view;
static pthread_mutex_t nt_view_lock = PTHREAD_MUTEX_INITIALIZER;
static nt_view *nt_views;

static void nt_section_destroy(nt_object *o)
{
    nt_section *s = (nt_section *)o;
    nt_sync_free_name(&s->s);
    if (s->shm_name && s->lock_fd >= 0 && flock(s->lock_fd, LOCK_EX | LOCK_NB) == 0)
        shm_unlink(s->shm_name); /* no other process holds it: the section ends here */
    if (s->desc)
        munmap(s->desc, sizeof *s->desc);
    if (s->rhdr)
        munmap(s->rhdr, s->data_off);
    free(s->image);
    if (s->lock_fd >= 0 && s->lock_fd != s->fd)
        close(s->lock_fd);
    if (s->fd >= 0)
        close(s->fd);
    free(s->shm_name);
    free(s);
}

/* ---- named pagefile sections shared between processes ---- */
static char *shared_name(const WCHAR *name, size_t len, const char *kind)
{
    WCHAR *up = malloc((len + 1) * sizeof *up);
    char *out = malloc(64);
    if (!up || !out) {
        free(up);
        free(out);
        return NULL;
    }
    for (size_t i = 0; i < len; i++)
        up[i] = nt_towupper(name[i]);
    XXH128_hash_t h = XXH3_128bits(up, len * sizeof *up);
    free(up);
    snprintf(out, 64, "/ntrun-%u-%s-%016llx%016llx", (unsigned)getuid(), kind,
             (unsigned long long)h.high64, (unsigned long long)h.low64);
    return out;
}

/* Does fd still name /dev/shm/<shm> (not unlinked by a last holder meanwhile)? */
static bool shm_still_named(int fd, const char *shm)
{
    char path[96];
    struct stat a, b;
    snprintf(path, sizeof path, "/dev/shm%s", shm);
    return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

/* Creates (create: size bytes) or opens the shared memory named shm, holding a shared lock
 * on it. *existed: another process had it; *size: its size. -1 with *st on failure. */
static int shm_attach(const char *shm, bool create, uint64_t *size, bool *existed, NTSTATUS *st)
{
    for (int attempt = 0; attempt < 100; attempt++) {
        int fd = -1;
        *existed = false;
        if (create) {
            fd = shm_open(shm, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            if (fd >= 0 && ftruncate(fd, (off_t)*size) != 0) {
                close(fd);
                shm_unlink(shm);
                *st = STATUS_NO_MEMORY;
                return -1;
            }
            if (fd < 0 && errno != EEXIST) {
                *st = STATUS_NO_MEMORY;
                return -1;
            }
        }
        if (fd < 0) {
            fd = shm_open(shm, O_RDWR | O_CLOEXEC, 0);
            if (fd < 0) {
                if (errno == ENOENT && create)
                    continue; /* the last holder unlinked it meanwhile: create it */
                *st = errno == ENOENT ? STATUS_OBJECT_NAME_NOT_FOUND : STATUS_ACCESS_DENIED;
                return -1;
            }
            *existed = true;
        }
        while (flock(fd, LOCK_SH) != 0 && errno == EINTR)
            ;
        struct stat sb;
        if (!shm_still_named(fd, shm) || fstat(fd, &sb) != 0 || sb.st_size == 0) {
            close(fd); /* unlinked by its last holder, or its creator has not sized it yet */
            struct timespec ms = {0, 1000000};
            nanosleep(&ms, NULL);
            continue;
        }
        *size = (uint64_t)sb.st_size;
        return fd;
    }
    *st = STATUS_INSUFFICIENT_RESOURCES;
    return -1;
}

/* Which views a section's protection allows: 1 read, 2 write (shared), 4 copy-on-write,
 * 8 execute. */
static unsigned nt_section_allows(uint32_t protect)
{
    switch (protect & 0xff) {
    case PAGE_READONLY: return 1 | 4;
    case PAGE_READWRITE: return 1 | 2 | 4;
    case PAGE_WRITECOPY: return 1 | 4;
    case PAGE_EXECUTE: return 8;
    case PAGE_EXECUTE_READ: return 1 | 4 | 8;
    case PAGE_EXECUTE_READWRITE: return 1 | 2 | 4 | 8;
    case PAGE_EXECUTE_WRITECOPY: return 1 | 4 | 8;
    default: return 0;
    }
}

/* What a view's protection needs (same bits), 0 for an invalid one. */
static unsigned nt_view_needs(uint32_t protect)
{
    switch (protect & 0xff) {
    case PAGE_NOACCESS: return 1;
    case PAGE_READONLY: return 1;
    case PAGE_READWRITE: return 1 | 2;
    case PAGE_WRITECOPY: return 1 | 4;
    case PAGE_EXECUTE: return 8;
    case PAGE_EXECUTE_READ: return 1 | 8;
    case PAGE_EXECUTE_READWRITE: return 1 | 2 | 8;
    case PAGE_EXECUTE_WRITECOPY: return 1 | 4 | 8;
    default: return 0;
    }
}

/* The SECTION_MAP_* access a view of that protection needs (Windows' MmMakeSectionAccess):
 * read-write asks for MAP_WRITE alone, write-copy for MAP_READ. */
static uint32_t nt_view_access(uint32_t protect)
{
    enum { MAP_WRITE = 0x2, MAP_READ = 0x4, MAP_EXECUTE = 0x8 };
    switch (protect & 0xff) {
    case PAGE_EXECUTE: return MAP_EXECUTE;
    case PAGE_EXECUTE_READ:
    case PAGE_EXECUTE_WRITECOPY: return MAP_EXECUTE | MAP_READ;
    case PAGE_READWRITE: return MAP_WRITE;
    case PAGE_EXECUTE_READWRITE: return MAP_EXECUTE | MAP_WRITE;
    default: return MAP_READ; /* no access, read-only, write-copy */
    }
}

/* A new section object; NULL when out of memory (nothing taken then). */
static nt_section *sec_new(int fd, uint64_t size, uint32_t protect, uint32_t attributes,
                           char *shm, int lock_fd, nt_sec_desc *desc)
{
    nt_section *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    nt_object_init(&s->s.hdr, NT_OBJ_SECTION, nt_section_destroy);
    s->fd = fd;
    s->size = size;
    s->protect = protect;
    s->attributes = attributes;
    s->shm_name = shm;
    s->lock_fd = lock_fd;
    s->desc = desc;
    return s;
}

/* The file a descriptor names, opened for the section's views; -1 when it is gone. */
static int desc_open_file(const nt_sec_desc *d)
{
    int flags = (nt_section_allows(d->protect) & 2 ? O_RDWR : O_RDONLY) | O_CLOEXEC;
    char proc[64];
    const char *tries[2] = {d->path, proc};
    snprintf(proc, sizeof proc, "/proc/%d/fd/%d", (int)d->pid, (int)d->fd);
    for (int i = 0; i < 2; i++) {
        struct stat sb;
        int fd = open(tries[i], flags);
        if (fd < 0)
            continue;
        if (fstat(fd, &sb) == 0 && (uint64_t)sb.st_dev == d->dev && (uint64_t)sb.st_ino == d->ino)
            return fd;
        close(fd);
    }
    return -1;
}

/* A section from the descriptor held by lfd (shared-locked); takes shm and lfd. */
static NTSTATUS sec_from_desc(char *shm, int lfd, nt_section **out)
{
    NTSTATUS st = STATUS_NO_MEMORY;
    int fd = -1;
    nt_sec_desc *d = mmap(NULL, sizeof *d, PROT_READ | PROT_WRITE, MAP_SHARED, lfd, 0);
    if (d == MAP_FAILED)
        goto close_lock;
    for (int i = 0; i < 1000 && atomic_load(&d->magic) != NT_SEC_DESC_MAGIC; i++) {
        struct timespec ms = {0, 1000000}; /* its creator is filling it in */
        nanosleep(&ms, NULL);
    }
    st = STATUS_OBJECT_NAME_NOT_FOUND; /* never filled in, or its file is gone */
    if (atomic_load(&d->magic) != NT_SEC_DESC_MAGIC || (fd = desc_open_file(d)) < 0)
        goto unmap_desc;
    st = STATUS_NO_MEMORY;
    nt_image_info *ii = NULL;
    if (d->attributes & NT_SEC_IMAGE) { /* an image section: described as its creator did */
        if (!image_ops || !(ii = malloc(sizeof *ii)))
            goto close_file;
        if ((st = image_ops->query(fd, ii)) != STATUS_SUCCESS) {
            free(ii);
            goto close_file;
        }
        st = STATUS_NO_MEMORY;
    }
    if (!(*out = sec_new(fd, 0, d->protect, d->attributes, shm, lfd, d))) {
        free(ii);
        goto close_file;
    }
    (*out)->image = ii;
    return STATUS_SUCCESS;
close_file:
    close(fd);
unmap_desc:
    munmap(d, sizeof *d);
close_lock:
    close(lfd);
    free(shm);
    return st;
}

/* A SEC_RESERVE section over fd (its header written or to be read); takes shm and fd. */
static NTSTATUS sec_reserve_new(int fd, bool create, uint64_t size, uint32_t protect, char *shm,
                                nt_section **out)
{
    sec_rhdr *h = rhdr_map(fd, create, size);
    if (!h || !(*out = sec_new(fd, atomic_load(&h->size), protect, NT_SEC_RESERVE, shm, shm ? fd : -1, NULL))) {
        if (h)
            munmap(h, h->data_off);
        if (create && shm)
            shm_unlink(shm); /* ours, never seen by anyone */
        close(fd);
        free(shm);
        return h ? STATUS_NO_MEMORY : STATUS_OBJECT_NAME_NOT_FOUND;
    }
    (*out)->rhdr = h;
    (*out)->data_off = h->data_off;
    return STATUS_SUCCESS;
}

/* Attaches to a section of that name another process has, of one kind: "sec" (pagefile, the
 * memory itself), "secr" (pagefile SEC_RESERVE, its header and memory) or "secf"
 * (file-backed, its descriptor). STATUS_OBJECT_NAME_NOT_FOUND when there is none. */
static NTSTATUS sec_attach_other(const WCHAR *name, size_t nlen, const char *kind,
                                 nt_section **out)
{
    NTSTATUS st;
    uint64_t size = 0;
    bool existed;
    char *shm = shared_name(name, nlen, kind);
    if (!shm)
        return STATUS_NO_MEMORY;
    int fd = shm_attach(shm, false, &size, &existed, &st);
    if (fd < 0) {
        free(shm);
        return st;
    }
    if (strcmp(kind, "secf") == 0)
        return sec_from_desc(shm, fd, out);
    if (strcmp(kind, "secr") == 0)
        return sec_reserve_new(fd, false, 0, PAGE_READWRITE, shm, out);
    if (!(*out = sec_new(fd, size, PAGE_READWRITE, NT_SEC_COMMIT, shm, fd, NULL))) {
        close(fd);
        free(shm);
        return STATUS_NO_MEMORY;
    }
    return STATUS_SUCCESS;
}

/* Another process's section of that name, of any kind but `except`. */
static NTSTATUS sec_attach_any(const WCHAR *name, size_t nlen, const char *except,
                               nt_section **out)
{
    static const char *const kinds[] = {"sec", "secr", "secf"};
    NTSTATUS st = STATUS_OBJECT_NAME_NOT_FOUND;
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds && st == STATUS_OBJECT_NAME_NOT_FOUND; i++)
        if (!except || strcmp(kinds[i], except) != 0)
            st = sec_attach_other(name, nlen, kinds[i], out);
    return st;
}

/* Creates the shared side of a named section: pagefile-backed (file_fd < 0, *size bytes) or
 * over file_fd (which it takes). *existed: another process's section of that name, returned
 * instead (the arguments are ignored then, as Windows ignores them). */
static NTSTATUS sec_create_shared(const WCHAR *name, size_t nlen, int file_fd, uint64_t size,
                                  uint32_t protect, uint32_t attributes, nt_section **out,
                                  bool *existed)
{
    bool reserve = file_fd < 0 && (attributes & NT_SEC_RESERVE);
    const char *kind = file_fd >= 0 ? "secf" : reserve ? "secr" : "sec";
    NTSTATUS st = sec_attach_any(name, nlen, kind, out);
    *existed = st == STATUS_SUCCESS;
    if (st != STATUS_OBJECT_NAME_NOT_FOUND)
        goto close_file; /* another kind's section, or a failure */
    char *shm = shared_name(name, nlen, kind);
    st = STATUS_NO_MEMORY;
    if (!shm)
        goto close_file;
    uint64_t have = file_fd >= 0 ? sizeof(nt_sec_desc)
                    : reserve    ? rhdr_len(size) + ((size + NT_SEC_PAGE - 1) & ~(NT_SEC_PAGE - 1))
                                 : size;
    int lfd = shm_attach(shm, true, &have, existed, &st);
    if (lfd < 0) {
        free(shm);
        goto close_file;
    }
    if (reserve) { /* its header and memory, ours or another process's */
        return sec_reserve_new(lfd, !*existed, size, protect, shm, out);
    }
    if (file_fd < 0) { /* the memory itself, ours or another process's */
        if (!(*out = sec_new(lfd, have, protect, attributes, shm, lfd, NULL))) {
            if (!*existed)
                shm_unlink(shm);
            close(lfd);
            free(shm);
            return STATUS_NO_MEMORY;
        }
        return STATUS_SUCCESS;
    }
    if (*existed) {
        close(file_fd);
        return sec_from_desc(shm, lfd, out);
    }
    nt_sec_desc *d = mmap(NULL, sizeof *d, PROT_READ | PROT_WRITE, MAP_SHARED, lfd, 0);
    char link[64];
    struct stat sb;
    ssize_t n = -1;
    snprintf(link, sizeof link, "/proc/self/fd/%d", file_fd);
    if (d != MAP_FAILED)
        n = readlink(link, d->path, sizeof d->path - 1);
    if (d == MAP_FAILED || n < 0 || fstat(file_fd, &sb) != 0 ||
        !(*out = sec_new(file_fd, 0, protect, attributes, shm, lfd, d))) {
        if (d != MAP_FAILED)
            munmap(d, sizeof *d);
        shm_unlink(shm);
        close(lfd);
        free(shm);
        st = STATUS_NO_MEMORY;
        goto close_file;
    }
    d->path[n] = 0;
    d->dev = (uint64_t)sb.st_dev;
    d->ino = (uint64_t)sb.st_ino;
    d->pid = (int32_t)getpid();
    d->fd = file_fd;
    d->protect = protect;
    d->attributes = attributes;
    atomic_store(&d->size, size);
    atomic_store(&d->magic, NT_SEC_DESC_MAGIC);
    return STATUS_SUCCESS;
close_file:
    if (file_fd >= 0)
        close(file_fd);
    return st;
}

/* SEC_IMAGE: the file must be a PE image the loader accepts; its views are mapped by the
 * loader. The section's size is the image's. A named one is shared with other processes as a
 * named file-backed section is (its descriptor says SEC_IMAGE: an opener maps the same file as
 * an image). */
static NTSTATUS nt_create_image_section(HANDLE *handle, const OBJECT_ATTRIBUTES *attr,
                                        uint32_t protect, HANDLE file)
{
    nt_file *f;
    WCHAR *name;
    size_t nlen;
    bool existed = false;
    if (!image_ops)
        return STATUS_NOT_SUPPORTED;
    if (!file)
        return STATUS_INVALID_FILE_FOR_SECTION;
    NTSTATUS st = nt_object_attr_name(attr, &name, &nlen);
    if (st != STATUS_SUCCESS)
        return st;
    st = nt_file_get(file, &f);
    if (st != STATUS_SUCCESS) {
        free(name);
        return st;
    }
    nt_image_info *ii = malloc(sizeof *ii);
    int fd = -1;
    nt_section *s = NULL;
    st = STATUS_INVALID_FILE_FOR_SECTION;
    if (!ii || f->is_dir) {
        st = ii ? st : STATUS_NO_MEMORY;
        goto release_file;
    }
    st = STATUS_ACCESS_DENIED;
    if (!(f->access & (FILE_READ_DATA | GENERIC_READ | FILE_EXECUTE | GENERIC_EXECUTE)))
        goto release_file;
    st = image_ops->query(f->fd, ii);
    if (st != STATUS_SUCCESS)
        goto release_file;
    fd = fcntl(f->fd, F_DUPFD_CLOEXEC, 0);
    st = STATUS_INSUFFICIENT_RESOURCES;
    if (fd < 0)
        goto release_file;
    nt_object_release(&f->hdr);
    if (name) {
        st = sec_create_shared(name, nlen, fd, ii->size_of_image, protect & 0xff,
                               NT_SEC_IMAGE | NT_SEC_FILE, &s, &existed);
        free(name);
        if (st != STATUS_SUCCESS) {
            free(ii);
            return st;
        }
        if (s->image || (s->attributes & NT_SEC_IMAGE) == 0)
            free(ii); /* another process's section: it is described already, or no image */
        else
            s->image = ii;
    } else {
        s = sec_new(fd, ii->size_of_image, protect & 0xff, NT_SEC_IMAGE | NT_SEC_FILE, NULL, -1,
                    NULL);
        if (!s) {
            close(fd);
            free(ii);
            return STATUS_NO_MEMORY;
        }
        s->image = ii;
    }
    st = nt_create_named(&s->s, attr, handle);
    return st == STATUS_SUCCESS && existed ? STATUS_OBJECT_NAME_EXISTS : st;
release_file:
    nt_object_release(&f->hdr);
    free(ii);
    free(name);
    return st;
}

static NTSTATUS sec_create(HANDLE *handle, const OBJECT_ATTRIBUTES *attr,
                           const LARGE_INTEGER *max_size, uint32_t protect, uint32_t attributes,
                           HANDLE file)
{
    HANDLE zero = NULL;
    if (nt_copy_to_user(handle, &zero, sizeof zero) != 0)
        return STATUS_ACCESS_VIOLATION;
    unsigned allows = nt_section_allows(protect);
    if (!allows || (protect & ~0xffu & ~(uint32_t)(0x200u | 0x400u) /* PAGE_NOCACHE, PAGE_WRITECOMBINE */))
        return STATUS_INVALID_PAGE_PROTECTION;
    if (attributes & NT_SEC_IMAGE)
        return nt_create_image_section(handle, attr, protect, file);
    if ((attributes & (NT_SEC_RESERVE | NT_SEC_COMMIT)) == (NT_SEC_RESERVE | NT_SEC_COMMIT))
        return STATUS_INVALID_PARAMETER_6;
    if (!(attributes & (NT_SEC_RESERVE | NT_SEC_COMMIT)))
        attributes |= NT_SEC_COMMIT;
    int64_t want = 0;
    if (max_size && nt_copy_from_user(&want, &max_size->QuadPart, sizeof want) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (want < 0)
        return STATUS_INVALID_PARAMETER_4;

    WCHAR *name;
    size_t nlen;
    NTSTATUS st = nt_object_attr_name(attr, &name, &nlen);
    if (st != STATUS_SUCCESS)
        return st;
    int fd = -1;
    uint64_t size = (uint64_t)want;
    bool existed = false;
    nt_section *s = NULL;
    nt_file *f = NULL;
    if (!file) { /* backed by the pagefile: a memfd of the size asked, shm when named */
        st = STATUS_INVALID_PARAMETER_4;
        if (size == 0)
            goto free_name;
        attributes &= ~NT_SEC_FILE;
        if (name) {
            st = sec_create_shared(name, nlen, -1, size, protect & 0xff, attributes, &s, &existed);
            if (st != STATUS_SUCCESS)
                goto free_name;
        } else {
            bool reserve = attributes & NT_SEC_RESERVE;
            uint64_t len = reserve ? rhdr_len(size) + ((size + NT_SEC_PAGE - 1) & ~(NT_SEC_PAGE - 1))
                                   : size;
            st = STATUS_NO_MEMORY;
            fd = memfd_create("ntrun-section", MFD_CLOEXEC);
            if (fd < 0 || ftruncate(fd, (off_t)len) != 0) {
                if (fd >= 0)
                    close(fd);
                goto free_name;
            }
            if (reserve && (st = sec_reserve_new(fd, true, size, protect & 0xff, NULL, &s)) !=
                               STATUS_SUCCESS)
                goto free_name;
        }
    } else {
        st = nt_file_get(file, &f);
        if (st != STATUS_SUCCESS)
            goto free_name;
        bool writable = (allows & 2) != 0;
        struct stat sb;
        st = STATUS_INVALID_FILE_FOR_SECTION;
        if (f->is_dir || fstat(f->fd, &sb) != 0 || !S_ISREG(sb.st_mode))
            goto release_file;
        st = STATUS_ACCESS_DENIED;
        if (!(f->access & (FILE_READ_DATA | GENERIC_READ)) ||
            (writable && !(f->access & (FILE_WRITE_DATA | GENERIC_WRITE))))
            goto release_file;
        if (size == 0)
            size = (uint64_t)sb.st_size;
        st = STATUS_MAPPED_FILE_SIZE_ZERO;
        if (size == 0)
            goto release_file;
        /* A writable section grows its file to the section's size; a read-only one cannot. */
        st = STATUS_SECTION_TOO_BIG;
        if (size > (uint64_t)sb.st_size && (!writable || ftruncate(f->fd, (off_t)size) != 0))
            goto release_file;
        fd = fcntl(f->fd, F_DUPFD_CLOEXEC, 0);
        nt_object_release(&f->hdr);
        if (fd < 0) {
            st = STATUS_INSUFFICIENT_RESOURCES;
            goto free_name;
        }
        attributes |= NT_SEC_FILE;
        if (name) {
            st = sec_create_shared(name, nlen, fd, size, protect & 0xff, attributes, &s, &existed);
            if (st != STATUS_SUCCESS)
                goto free_name;
        }
    }
    free(name);
    if (!s && !(s = sec_new(fd, size, protect & 0xff, attributes, NULL, -1, NULL))) {
        close(fd);
        return STATUS_NO_MEMORY;
    }
    st = nt_create_named(&s->s, attr, handle);
    return st == STATUS_SUCCESS && existed ? STATUS_OBJECT_NAME_EXISTS : st;
release_file:
    nt_object_release(&f->hdr);
free_name:
    free(name);
    return st;
}

/* The handle gets the access asked for, mapped (SECTION_MAP_* checked by NtMapViewOfSection). */
NTSTATUS NTAPI NtCreateSection(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                               const LARGE_INTEGER *max_size, uint32_t protect,
                               uint32_t attributes, HANDLE file)
{
    return nt_handle_grant_user(handle, NT_OBJ_SECTION, access,
                                sec_create(handle, attr, max_size, protect, attributes, file));
}

static NTSTATUS sec_open(HANDLE *handle, const OBJECT_ATTRIBUTES *attr)
{
    NTSTATUS st = nt_open_named(NT_OBJ_SECTION, attr, handle);
    if (st != STATUS_OBJECT_NAME_NOT_FOUND)
        return st;
    /* another process's section of that name */
    WCHAR *name;
    size_t nlen;
    if (nt_object_attr_name(attr, &name, &nlen) != STATUS_SUCCESS || !name)
        return st;
    nt_section *s;
    st = sec_attach_any(name, nlen, NULL, &s);
    free(name);
    if (st != STATUS_SUCCESS)
        return st;
    st = nt_create_named(&s->s, attr, handle);
    return st == STATUS_OBJECT_NAME_EXISTS ? STATUS_SUCCESS : st;
}

NTSTATUS NTAPI NtOpenSection(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr)
{
    return nt_handle_grant_user(handle, NT_OBJ_SECTION, access, sec_open(handle, attr));
}

/* A 64 KiB-aligned address where `len` bytes of address space are free (reserved PROT_NONE,
 * to be replaced with MAP_FIXED), or 0. */
static uintptr_t nt_section_place(size_t len)
{
    /* in the foreign range under --sud=inclusive: a view may be made executable */
    void *p = rt_foreign_mmap(len, PROT_NONE, MAP_NORESERVE, NT_SEC_GRANULARITY);
    return p == MAP_FAILED ? 0 : (uintptr_t)p;
}

static void nt_view_add(nt_view *v)
{
    pthread_mutex_lock(&nt_view_lock);
    v->next = nt_views;
    nt_views = v;
    pthread_mutex_unlock(&nt_view_lock);
}

/* Frees a view's record (its memory is unmapped already, or never was). */
static void view_free(nt_view *v)
{
    if (!v)
        return;
    if (v->rhdr)
        munmap(v->rhdr, v->rhdr->data_off);
    free(v->applied);
    free(v);
}

/* A SEC_RESERVE view: makes the pages the section has committed (in any view, in any process)
 * and this view has not yet opened accessible with the view's protection, and tells virtual.c.
 * nt_view_lock held (taken before virtual.c's lock, never after). */
static void view_apply(nt_view *v)
{
    size_t pages = v->size / NT_SEC_PAGE;
    uint64_t first = v->off / NT_SEC_PAGE;
    int prot = nt_vm_prot_to_unix(v->protect);
    for (size_t i = 0; i < pages;) {
        if (v->applied[i] || !rhdr_test(v->rhdr, first + i)) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < pages && !v->applied[j] && rhdr_test(v->rhdr, first + j))
            v->applied[j++] = 1;
        void *at = (void *)(v->base + i * NT_SEC_PAGE);
        size_t n = (j - i) * NT_SEC_PAGE;
        if (mprotect(at, n, prot) == 0)
            nt_vm_register_region(at, n, MEM_COMMIT, v->protect, MEM_MAPPED, (void *)v->base,
                                  v->protect);
        i = j;
    }
}

/* The view of a SEC_RESERVE section holding addr, or NULL (nt_view_lock held). */
static nt_view *reserve_view_at(uintptr_t addr)
{
    for (nt_view *v = nt_views; v; v = v->next)
        if (v->rhdr && addr >= v->base && addr < v->base + v->size)
            return v;
    return NULL;
}

void nt_section_committed(uintptr_t start, uintptr_t end)
{
    pthread_mutex_lock(&nt_view_lock);
    nt_view *v = reserve_view_at(start);
    if (v) {
        if (end > v->base + v->size)
            end = v->base + v->size;
        for (uintptr_t a = start & ~(uintptr_t)(NT_SEC_PAGE - 1); a < end; a += NT_SEC_PAGE) {
            size_t i = (a - v->base) / NT_SEC_PAGE;
            rhdr_set(v->rhdr, v->off / NT_SEC_PAGE + i);
            v->applied[i] = 1; /* virtual.c gave it the commit's protection */
        }
        for (nt_view *w = nt_views; w; w = w->next)
            if (w != v && w->rhdr && w->dev == v->dev && w->ino == v->ino)
                view_apply(w);
    }
    pthread_mutex_unlock(&nt_view_lock);
}

void nt_section_sync(uintptr_t addr)
{
    pthread_mutex_lock(&nt_view_lock);
    nt_view *v = nt_views ? reserve_view_at(addr) : NULL;
    if (v)
        view_apply(v);
    pthread_mutex_unlock(&nt_view_lock);
}

/* rt_access_fault_hook: a fault on a page of a SEC_RESERVE view that the section has committed
 * (another process did, after this view last looked) opens the page and retries the access,
 * so the program never sees the difference. The view lock is only tried: a thread that faults
 * while it holds it (never in foreign code) gets the ordinary access violation. */
static bool nt_section_fault(uintptr_t addr)
{
    bool opened = false;
    int tries = 0;
    while (pthread_mutex_trylock(&nt_view_lock) != 0)
        if (++tries == 1000)
            return false;
        else
            sched_yield();
    nt_view *v = reserve_view_at(addr);
    if (v) {
        size_t i = (addr - v->base) / NT_SEC_PAGE;
        if (!v->applied[i] && rhdr_test(v->rhdr, v->off / NT_SEC_PAGE + i)) {
            view_apply(v);
            opened = v->applied[i] != 0;
        }
    }
    pthread_mutex_unlock(&nt_view_lock);
    return opened;
}

/* A view of an image section: the whole image, at the caller's address or where the loader puts
 * it (its preferred base when free). */
static NTSTATUS nt_map_image_view(nt_section *s, void *want_base, int64_t off, void **base,
                                  SIZE_T *view_size)
{
    void *p;
    size_t len;
    if (off != 0)
        return STATUS_INVALID_PARAMETER_6;
    if ((uintptr_t)want_base % NT_SEC_GRANULARITY)
        return STATUS_MAPPED_ALIGNMENT;
    nt_view *v = calloc(1, sizeof *v);
    if (!v)
        return STATUS_NO_MEMORY;
    NTSTATUS st = image_ops->map(s->fd, want_base, &p, &len);
    if (st < 0) {
        free(v);
        return st;
    }
    v->base = (uintptr_t)p;
    v->size = len;
    v->image = true;
    nt_view_add(v);
    SIZE_T out_size = len;
    if (nt_copy_to_user(base, &p, sizeof p) != 0 ||
        nt_copy_to_user(view_size, &out_size, sizeof out_size) != 0)
        return STATUS_ACCESS_VIOLATION;
    return st;
}

/* Unmaps a view nt_view_take removed from the list. */
static void nt_view_unmap(nt_view *v)
{
    nt_vm_unregister_image((void *)v->base, v->size);
    if (v->image && image_ops)
        image_ops->unmap((void *)v->base);
    else
        munmap((void *)v->base, v->size);
    view_free(v);
}

NTSTATUS NTAPI NtMapViewOfSection(HANDLE section, HANDLE process, void **base, ULONG_PTR zero_bits,
                                  SIZE_T commit_size, LARGE_INTEGER *offset, SIZE_T *view_size,
                                  uint32_t inherit, uint32_t alloc_type, uint32_t protect)
{
    nt_object *o;
    void *want_base;
    SIZE_T want_size;
    int64_t off = 0;
    NTSTATUS st = nt_handle_get(section, NT_OBJ_SECTION, &o);
    if (st != STATUS_SUCCESS)
        return st;
    nt_section *s = (nt_section *)o;
    nt_child *target;
    if ((st = nt_process_target(process, 0x8u /* PROCESS_VM_OPERATION */, &target)) !=
        STATUS_SUCCESS)
        goto release;
    if (inherit != 1 /* ViewShare */ && inherit != 2 /* ViewUnmap */) {
        st = STATUS_INVALID_PARAMETER_8; /* InheritDisposition, as Windows names it */
        if (target)
            nt_process_target_done(target);
        goto release;
    }
    if (target) { /* a child's: its runtime maps it (ntemu/process_remote.c) */
        st = !nt_view_needs(protect) ? STATUS_INVALID_PAGE_PROTECTION
                                     : nt_handle_access(section, o, nt_view_access(protect));
        if (st == STATUS_SUCCESS)
            st = nt_rc_map_view(target, o, base, zero_bits, commit_size, offset, view_size,
                                alloc_type, protect);
        nt_process_target_done(target);
        goto release;
    }
    if (nt_copy_from_user(&want_base, base, sizeof want_base) != 0 ||
        nt_copy_from_user(&want_size, view_size, sizeof want_size) != 0 ||
        (offset && nt_copy_from_user(&off, &offset->QuadPart, sizeof off) != 0)) {
        st = STATUS_ACCESS_VIOLATION;
        goto release;
    }
    if (zero_bits > 21 && zero_bits < 32) {
        st = STATUS_INVALID_PARAMETER_4;
        goto release;
    }
    unsigned needs = nt_view_needs(protect);
    if (!needs) {
        st = STATUS_INVALID_PAGE_PROTECTION;
        goto release;
    }
    if ((st = nt_handle_access(section, o, nt_view_access(protect))) != STATUS_SUCCESS)
        goto release;
    if (s->image) {
        st = nt_map_image_view(s, want_base, off, base, view_size);
        goto release;
    }
    if ((needs & nt_section_allows(s->protect)) != needs) {
        st = STATUS_SECTION_PROTECTION;
        goto release;
    }
    if (off < 0 || (uint64_t)off % NT_SEC_GRANULARITY || (uintptr_t)want_base % NT_SEC_GRANULARITY) {
        st = STATUS_MAPPED_ALIGNMENT;
        goto release;
    }
    uint64_t sec_bytes = sec_size(s);
    if ((uint64_t)off >= sec_bytes) {
        st = STATUS_INVALID_VIEW_SIZE;
        goto release;
    }
    if (want_size == 0)
        want_size = (SIZE_T)(sec_bytes - (uint64_t)off);
    else if ((uint64_t)want_size > sec_bytes - (uint64_t)off) {
        st = STATUS_INVALID_VIEW_SIZE;
        goto release;
    }
    size_t len = (want_size + NT_SEC_PAGE - 1) & ~(size_t)(NT_SEC_PAGE - 1);
    int prot = s->rhdr ? PROT_NONE : nt_vm_prot_to_unix(protect & 0xff);
    int flags = (needs & 4) ? MAP_PRIVATE : MAP_SHARED;
    off_t at_off = (off_t)((uint64_t)off + s->data_off);
    nt_view *v = calloc(1, sizeof *v);
    struct stat sb;
    st = STATUS_NO_MEMORY;
    if (!v)
        goto release;
    if (s->rhdr) { /* SEC_RESERVE: the view's own header mapping, for after the section */
        if (fstat(s->fd, &sb) != 0 || !(v->rhdr = rhdr_map(s->fd, false, 0)) ||
            !(v->applied = calloc(len / NT_SEC_PAGE, 1)))
            goto free_view;
        v->dev = (uint64_t)sb.st_dev;
        v->ino = (uint64_t)sb.st_ino;
        v->off = (uint64_t)off;
        v->protect = protect & 0xff;
    }
    uintptr_t at = (uintptr_t)want_base;
    void *p;
    if (at && (nt_vm_prot_to_unix(protect & 0xff) & PROT_EXEC) > 0 && !nt_vm_exec_allowed(at, len)) {
        st = STATUS_CONFLICTING_ADDRESSES;
        goto free_view;
    }
    if (at) {
        p = mmap((void *)at, len, prot, flags | MAP_FIXED_NOREPLACE, s->fd, at_off);
        if (p == MAP_FAILED || p != (void *)at) {
            if (p != MAP_FAILED)
                munmap(p, len);
            st = errno == ENOMEM && p == MAP_FAILED ? STATUS_NO_MEMORY : STATUS_CONFLICTING_ADDRESSES;
            goto free_view;
        }
    } else {
        at = nt_section_place(len);
        p = at ? mmap((void *)at, len, prot, flags | MAP_FIXED, s->fd, at_off) : MAP_FAILED;
        if (p == MAP_FAILED) {
            if (at)
                munmap((void *)at, len);
            goto free_view;
        }
    }
    v->base = at;
    v->size = len;
    /* The mapping keeps the memory; the section object itself goes with its last handle, its
     * name with it, as Windows takes a temporary object's name away at its last handle. */
    v->image = false;
    nt_object_release(o);
    if (v->rhdr) { /* reserved, but for the pages committed in another view or process */
        rt_access_fault_hook = nt_section_fault;
        nt_vm_register_region(p, len, MEM_RESERVE, 0, MEM_MAPPED, p, protect & 0xff);
        pthread_mutex_lock(&nt_view_lock);
        v->next = nt_views;
        nt_views = v;
        view_apply(v);
        pthread_mutex_unlock(&nt_view_lock);
    } else {
        nt_view_add(v);
        nt_vm_register_region(p, len, MEM_COMMIT, protect & 0xff, MEM_MAPPED, p, protect & 0xff);
    }
    SIZE_T out_size = len;
    if (nt_copy_to_user(base, &p, sizeof p) != 0 ||
        nt_copy_to_user(view_size, &out_size, sizeof out_size) != 0)
        return STATUS_ACCESS_VIOLATION; /* the view stays mapped, as on Windows */
    return STATUS_SUCCESS;
free_view:
    view_free(v);
release:
    nt_object_release(o);
    return st;
}

/* Removes and returns the view that contains `addr`, or NULL. */
static nt_view *nt_view_take(uintptr_t addr)
{
    pthread_mutex_lock(&nt_view_lock);
    nt_view **pp = &nt_views, *v;
    while ((v = *pp) && !(addr >= v->base && addr < v->base + v->size))
        pp = &v->next;
    if (v)
        *pp = v->next;
    pthread_mutex_unlock(&nt_view_lock);
    return v;
}

NTSTATUS NTAPI NtUnmapViewOfSectionEx(HANDLE process, void *base, uint32_t flags)
{
    (void)flags;
    nt_child *target;
    NTSTATUS st = nt_process_target(process, 0x8u /* PROCESS_VM_OPERATION */, &target);
    if (st != STATUS_SUCCESS)
        return st;
    if (target) {
        st = nt_rc_unmap_view(target, base);
        nt_process_target_done(target);
        return st;
    }
    nt_view *v = nt_view_take((uintptr_t)base);
    if (!v) /* a DLL the loader mapped, perhaps */
        return image_ops && image_ops->unmap_module ? image_ops->unmap_module(base)
                                                     : STATUS_NOT_MAPPED_VIEW;
    nt_view_unmap(v);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtUnmapViewOfSection(HANDLE process, void *base)
{
    return NtUnmapViewOfSectionEx(process, base, 0);
}

NTSTATUS NTAPI NtQuerySection(HANDLE section, uint32_t klass, void *info, SIZE_T len,
                              SIZE_T *ret_len)
{
    struct {
        void *BaseAddress;            /* 0x00 */
        uint32_t AllocationAttributes; /* 0x08 */
        uint32_t pad;
        int64_t MaximumSize;          /* 0x10 */
    } sbi = {0};
    _Static_assert(sizeof sbi == 0x18, "SECTION_BASIC_INFORMATION");
    if (!nt_probe_write(info, len) || (ret_len && !nt_probe_write(ret_len, sizeof *ret_len)))
        return STATUS_ACCESS_VIOLATION; /* the whole output first, as Windows probes it */
    nt_object *o;
    NTSTATUS st = nt_handle_get(section, NT_OBJ_SECTION, &o);
    if (st != STATUS_SUCCESS)
        return st;
    nt_section *s = (nt_section *)o;
    if (klass == 1 && !s->image) /* SectionImageInformation */
        st = STATUS_SECTION_NOT_IMAGE;
    else if (klass == 1 && len < sizeof s->image->sii)
        st = STATUS_INFO_LENGTH_MISMATCH;
    else if (klass == 1) {
        SIZE_T n = sizeof s->image->sii;
        if (nt_copy_to_user(info, &s->image->sii, n) != 0 ||
            (ret_len && nt_copy_to_user(ret_len, &n, sizeof n) != 0))
            st = STATUS_ACCESS_VIOLATION;
    } else if (klass != 0)
        st = STATUS_INVALID_INFO_CLASS;
    else if (len < sizeof sbi)
        st = STATUS_INFO_LENGTH_MISMATCH;
    else {
        sbi.AllocationAttributes = s->attributes;
        sbi.MaximumSize = (int64_t)sec_size(s);
        SIZE_T n = sizeof sbi;
        if (nt_copy_to_user(info, &sbi, sizeof sbi) != 0 ||
            (ret_len && nt_copy_to_user(ret_len, &n, sizeof n) != 0))
            st = STATUS_ACCESS_VIOLATION;
    }
    nt_object_release(o);
    return st;
}

#ifndef STATUS_DISK_FULL
#define STATUS_DISK_FULL ((NTSTATUS)0xC000007F)
#endif
#ifndef STATUS_INVALID_PARAMETER_2
#define STATUS_INVALID_PARAMETER_2 ((NTSTATUS)0xC00000F0)
#endif
#ifndef STATUS_SECTION_NOT_EXTENDED
#define STATUS_SECTION_NOT_EXTENDED ((NTSTATUS)0xC0000087)
#endif

/* Grows a file-backed section (and its file) to *new_size; a smaller size leaves it as it is.
 * *new_size receives the section's size. Existing views keep their size; new views may map the
 * added part, in every process that holds the section. */
NTSTATUS NTAPI NtExtendSection(HANDLE section, LARGE_INTEGER *new_size)
{
    int64_t want;
    nt_object *o;
    if (nt_copy_from_user(&want, &new_size->QuadPart, sizeof want) != 0)
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS st = nt_handle_get(section, NT_OBJ_SECTION, &o);
    if (st != STATUS_SUCCESS)
        return st;
    nt_section *s = (nt_section *)o;
    if ((!(s->attributes & NT_SEC_FILE) && !s->rhdr) || (s->attributes & NT_SEC_IMAGE)) {
        st = STATUS_SECTION_NOT_EXTENDED; /* a committed pagefile section keeps its size */
        goto release;
    }
    if (want < 0) {
        st = STATUS_INVALID_PARAMETER_2;
        goto release;
    }
    uint64_t cur = sec_size(s);
    if (s->rhdr && (uint64_t)want > cur) { /* SEC_RESERVE pagefile: its memory grows */
        uint64_t bytes = ((uint64_t)want + NT_SEC_PAGE - 1) & ~(NT_SEC_PAGE - 1);
        struct stat sb;
        if (bytes / NT_SEC_PAGE > rhdr_capacity(s->rhdr)) {
            st = STATUS_SECTION_NOT_EXTENDED;
            goto release;
        }
        if (fstat(s->fd, &sb) != 0 ||
            ((uint64_t)sb.st_size < s->data_off + bytes &&
             ftruncate(s->fd, (off_t)(s->data_off + bytes)) != 0)) {
            st = (NTSTATUS)0xC000012D; /* STATUS_COMMITMENT_LIMIT */
            goto release;
        }
        while (cur < bytes && !atomic_compare_exchange_weak(&s->rhdr->size, &cur, bytes))
            ;
        cur = sec_size(s);
    } else if ((uint64_t)want > cur) {
        struct stat sb;
        if (!(nt_section_allows(s->protect) & 2)) {
            st = STATUS_SECTION_NOT_EXTENDED; /* a read-only section cannot grow its file */
            goto release;
        }
        if (fstat(s->fd, &sb) != 0 ||
            ((uint64_t)sb.st_size < (uint64_t)want && ftruncate(s->fd, (off_t)want) != 0)) {
            st = STATUS_DISK_FULL;
            goto release;
        }
        if (s->desc) { /* grow only: another process may have grown it further meanwhile */
            while (cur < (uint64_t)want &&
                   !atomic_compare_exchange_weak(&s->desc->size, &cur, (uint64_t)want))
                ;
        } else {
            s->size = (uint64_t)want;
        }
        cur = sec_size(s);
    }
    want = (int64_t)cur;
    if (nt_copy_to_user(&new_size->QuadPart, &want, sizeof want) != 0)
        st = STATUS_ACCESS_VIOLATION;
release:
    nt_object_release(o);
    return st;
}

NTSTATUS NTAPI NtFlushVirtualMemory(HANDLE process, void **base, SIZE_T *size, IO_STATUS_BLOCK *iosb)
{
    void *b;
    SIZE_T n;
    nt_child *target;
    NTSTATUS st = nt_process_target(process, 0x8u /* PROCESS_VM_OPERATION */, &target);
    if (st != STATUS_SUCCESS) /* a closed handle, or another object's (an event) */
        return st;
    if (target) { /* another process's views are not flushed from here */
        nt_process_target_done(target);
        return STATUS_INVALID_HANDLE;
    }
    if (nt_copy_from_user(&b, base, sizeof b) != 0 || nt_copy_from_user(&n, size, sizeof n) != 0)
        return STATUS_ACCESS_VIOLATION;
    uintptr_t start = (uintptr_t)b & ~(uintptr_t)(NT_SEC_PAGE - 1), end;
    pthread_mutex_lock(&nt_view_lock);
    nt_view *v = nt_views;
    while (v && !(start >= v->base && start < v->base + v->size))
        v = v->next;
    if (!v) {
        pthread_mutex_unlock(&nt_view_lock);
        return STATUS_NOT_MAPPED_DATA;
    }
    end = n ? ((uintptr_t)b + n + NT_SEC_PAGE - 1) & ~(uintptr_t)(NT_SEC_PAGE - 1)
            : v->base + v->size;
    if (end > v->base + v->size)
        end = v->base + v->size;
    int r = msync((void *)start, end - start, MS_SYNC);
    pthread_mutex_unlock(&nt_view_lock);
    if (r != 0)
        return STATUS_NOT_MAPPED_DATA;
    b = (void *)start;
    n = end - start;
    IO_STATUS_BLOCK io = {.Status = STATUS_SUCCESS, .Information = 0};
    if (nt_copy_to_user(base, &b, sizeof b) != 0 || nt_copy_to_user(size, &n, sizeof n) != 0 ||
        (iosb && nt_copy_to_user(iosb, &io, sizeof io) != 0))
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

/* libntrun teardown: every view is unmapped (their sections go with the handle table). */
void nt_section_release_all(void)
{
    pthread_mutex_lock(&nt_view_lock);
    nt_view *v = nt_views;
    nt_views = NULL;
    pthread_mutex_unlock(&nt_view_lock);
    while (v) {
        nt_view *next = v->next;
        nt_view_unmap(v);
        v = next;
    }
}

/* ---- sections in another process (ntemu/process_remote.c) ----
 * A section travels to a child (an inherited handle, DuplicateHandle into it, a view mapped in
 * it) as its memfd or file (SCM_RIGHTS or an inherited fd) and "S<size>.<protect>.<attributes>.
 * <shm name or ->": a named section is attached again by its shared-memory name, so the child
 * holds its own shared lock on it (the fd's open file description is the parent's, whose lock
 * it must not take for its own: see nt_section_destroy); the fd serves when the name is gone. */
bool nt_section_export(nt_object *o, char *buf, size_t size, int *fd)
{
    nt_section *s = (nt_section *)o;
    *fd = -1;
    if (s->image || s->fd < 0)
        return false; /* an image section does not travel */
    *fd = fcntl(s->fd, F_DUPFD_CLOEXEC, 0);
    if (*fd < 0)
        return false;
    snprintf(buf, size, "S%llu.%u.%u.%s", (unsigned long long)sec_size(s), s->protect,
             s->attributes, s->shm_name ? s->shm_name + 1 : "-");
    return true;
}

/* The section a description names; takes fd (closed whatever happens). */
NTSTATUS nt_section_import(const char *desc, int fd, nt_object **out)
{
    unsigned long long size;
    unsigned protect, attributes;
    char name[80];
    nt_section *s = NULL;
    NTSTATUS st;
    *out = NULL;
    if (sscanf(desc, "S%llu.%u.%u.%79[^./,]", &size, &protect, &attributes, name) != 4) {
        close(fd);
        return STATUS_INVALID_PARAMETER;
    }
    if (strcmp(name, "-") != 0) { /* named: attached by its name, as NtOpenSection does */
        char *shm = malloc(strlen(name) + 2);
        uint64_t have = 0;
        bool existed;
        int lfd = shm ? (snprintf(shm, strlen(name) + 2, "/%s", name),
                         shm_attach(shm, false, &have, &existed, &st))
                      : -1;
        if (lfd >= 0) {
            if (strstr(shm, "-secf-"))
                st = sec_from_desc(shm, lfd, &s);
            else if (strstr(shm, "-secr-"))
                st = sec_reserve_new(lfd, false, 0, protect, shm, &s);
            else if ((s = sec_new(lfd, have, protect, attributes, shm, lfd, NULL)))
                st = STATUS_SUCCESS;
            else {
                close(lfd);
                free(shm);
                st = STATUS_NO_MEMORY;
            }
            if (st == STATUS_SUCCESS) {
                s->protect = protect;
                close(fd);
                *out = &s->s.hdr;
                return STATUS_SUCCESS;
            }
        } else {
            free(shm);
        }
        /* the name is gone: the memory itself, through the fd */
    }
    if (attributes & NT_SEC_RESERVE) {
        st = sec_reserve_new(fd, false, 0, protect, NULL, &s);
        if (st != STATUS_SUCCESS)
            return st;
    } else if (!(s = sec_new(fd, size, protect, attributes, NULL, -1, NULL))) {
        close(fd);
        return STATUS_NO_MEMORY;
    }
    *out = &s->s.hdr;
    return STATUS_SUCCESS;
}
