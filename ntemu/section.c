/* SPDX-License-Identifier: MIT */
/* Sections (file mappings): NtCreateSection, NtOpenSection, NtMapViewOfSection,
 * NtUnmapViewOfSection(Ex), NtQuerySection, NtFlushVirtualMemory.
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
 * Not done: SEC_IMAGE (STATUS_NOT_SUPPORTED; the loader maps images itself), SEC_RESERVE views
 * are committed at once, NtExtendSection, file-backed named sections across processes (each
 * maps the file itself). */
#include <errno.h>
#include <fcntl.h>
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
} nt_section;

/* Mapped views, under nt_view_lock (a short list: programs map few views). */
typedef struct nt_view {
    struct nt_view *next;
    uintptr_t base;
    size_t size;
} nt_view;
static pthread_mutex_t nt_view_lock = PTHREAD_MUTEX_INITIALIZER;
static nt_view *nt_views;

static void nt_section_destroy(nt_object *o)
{
    nt_section *s = (nt_section *)o;
    nt_sync_free_name(&s->s);
    if (s->shm_name && s->fd >= 0 && flock(s->fd, LOCK_EX | LOCK_NB) == 0)
        shm_unlink(s->shm_name); /* no other process holds it: the section ends here */
    if (s->fd >= 0)
        close(s->fd);
    free(s->shm_name);
    free(s);
}

/* ---- named pagefile sections shared between processes ---- */
static char *shared_name(const WCHAR *name, size_t len)
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
    snprintf(out, 64, "/ntrun-%u-sec-%016llx%016llx", (unsigned)getuid(),
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

NTSTATUS NTAPI NtCreateSection(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                               const LARGE_INTEGER *max_size, uint32_t protect,
                               uint32_t attributes, HANDLE file)
{
    (void)access;
    HANDLE zero = NULL;
    if (nt_copy_to_user(handle, &zero, sizeof zero) != 0)
        return STATUS_ACCESS_VIOLATION;
    unsigned allows = nt_section_allows(protect);
    if (!allows || (protect & ~0xffu & ~(uint32_t)(0x200u | 0x400u) /* PAGE_NOCACHE, PAGE_WRITECOMBINE */))
        return STATUS_INVALID_PAGE_PROTECTION;
    if (attributes & (NT_SEC_IMAGE | NT_SEC_IMAGE_NO_EXECUTE))
        return STATUS_NOT_SUPPORTED;
    if ((attributes & (NT_SEC_RESERVE | NT_SEC_COMMIT)) == (NT_SEC_RESERVE | NT_SEC_COMMIT))
        return STATUS_INVALID_PARAMETER_6;
    if (!(attributes & (NT_SEC_RESERVE | NT_SEC_COMMIT)))
        attributes |= NT_SEC_COMMIT;
    int64_t want = 0;
    if (max_size && nt_copy_from_user(&want, &max_size->QuadPart, sizeof want) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (want < 0)
        return STATUS_INVALID_PARAMETER_4;

    int fd = -1;
    uint64_t size = (uint64_t)want;
    char *shm = NULL;
    bool existed = false;
    if (!file) { /* backed by the pagefile: a memfd of the size asked, shm when named */
        if (size == 0)
            return STATUS_INVALID_PARAMETER_4;
        WCHAR *name;
        size_t nlen;
        NTSTATUS st = nt_object_attr_name(attr, &name, &nlen);
        if (st != STATUS_SUCCESS)
            return st;
        if (name) {
            shm = shared_name(name, nlen);
            free(name);
            if (!shm)
                return STATUS_NO_MEMORY;
            fd = shm_attach(shm, true, &size, &existed, &st);
            if (fd < 0) {
                free(shm);
                return st;
            }
        } else {
            fd = memfd_create("ntrun-section", MFD_CLOEXEC);
            if (fd < 0 || ftruncate(fd, (off_t)size) != 0) {
                if (fd >= 0)
                    close(fd);
                return STATUS_NO_MEMORY;
            }
        }
        attributes &= ~NT_SEC_FILE;
    } else {
        nt_file *f;
        NTSTATUS st = nt_file_get(file, &f);
        if (st != STATUS_SUCCESS)
            return st;
        bool writable = (allows & 2) != 0;
        struct stat sb;
        if (f->is_dir || fstat(f->fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            nt_object_release(&f->hdr);
            return STATUS_INVALID_FILE_FOR_SECTION;
        }
        if (!(f->access & (FILE_READ_DATA | GENERIC_READ)) ||
            (writable && !(f->access & (FILE_WRITE_DATA | GENERIC_WRITE)))) {
            nt_object_release(&f->hdr);
            return STATUS_ACCESS_DENIED;
        }
        if (size == 0)
            size = (uint64_t)sb.st_size;
        if (size == 0) {
            nt_object_release(&f->hdr);
            return STATUS_MAPPED_FILE_SIZE_ZERO;
        }
        if (size > (uint64_t)sb.st_size) {
            /* A writable section grows its file to the section's size; a read-only one
             * cannot. */
            if (!writable || ftruncate(f->fd, (off_t)size) != 0) {
                nt_object_release(&f->hdr);
                return STATUS_SECTION_TOO_BIG;
            }
        }
        fd = fcntl(f->fd, F_DUPFD_CLOEXEC, 0);
        nt_object_release(&f->hdr);
        if (fd < 0)
            return STATUS_INSUFFICIENT_RESOURCES;
        attributes |= NT_SEC_FILE;
    }
    nt_section *s = calloc(1, sizeof *s);
    if (!s) {
        if (shm && !existed)
            shm_unlink(shm);
        free(shm);
        close(fd);
        return STATUS_NO_MEMORY;
    }
    nt_object_init(&s->s.hdr, NT_OBJ_SECTION, nt_section_destroy);
    s->fd = fd;
    s->size = size;
    s->protect = protect & 0xff;
    s->attributes = attributes;
    s->shm_name = shm;
    NTSTATUS st = nt_create_named(&s->s, attr, handle);
    return st == STATUS_SUCCESS && existed ? STATUS_OBJECT_NAME_EXISTS : st;
}

NTSTATUS NTAPI NtOpenSection(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr)
{
    (void)access;
    NTSTATUS st = nt_open_named(NT_OBJ_SECTION, attr, handle);
    if (st != STATUS_OBJECT_NAME_NOT_FOUND)
        return st;
    /* another process's section of that name */
    WCHAR *name;
    size_t nlen;
    if (nt_object_attr_name(attr, &name, &nlen) != STATUS_SUCCESS || !name)
        return st;
    char *shm = shared_name(name, nlen);
    free(name);
    if (!shm)
        return STATUS_NO_MEMORY;
    uint64_t size = 0;
    bool existed;
    int fd = shm_attach(shm, false, &size, &existed, &st);
    if (fd < 0) {
        free(shm);
        return st;
    }
    nt_section *s = calloc(1, sizeof *s);
    if (!s) {
        free(shm);
        close(fd);
        return STATUS_NO_MEMORY;
    }
    nt_object_init(&s->s.hdr, NT_OBJ_SECTION, nt_section_destroy);
    s->fd = fd;
    s->size = size;
    s->protect = PAGE_READWRITE;
    s->attributes = NT_SEC_COMMIT;
    s->shm_name = shm;
    st = nt_create_named(&s->s, attr, handle);
    return st == STATUS_OBJECT_NAME_EXISTS ? STATUS_SUCCESS : st;
}

/* A 64 KiB-aligned address where `len` bytes of address space are free (reserved PROT_NONE,
 * to be replaced with MAP_FIXED), or 0. */
static uintptr_t nt_section_place(size_t len)
{
    size_t span = len + NT_SEC_GRANULARITY;
    uint8_t *p = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return 0;
    uintptr_t a = ((uintptr_t)p + NT_SEC_GRANULARITY - 1) & ~(uintptr_t)(NT_SEC_GRANULARITY - 1);
    if (a > (uintptr_t)p)
        munmap(p, a - (uintptr_t)p);
    if ((uintptr_t)p + span > a + len)
        munmap((void *)(a + len), (uintptr_t)p + span - (a + len));
    return a;
}

NTSTATUS NTAPI NtMapViewOfSection(HANDLE section, HANDLE process, void **base, ULONG_PTR zero_bits,
                                  SIZE_T commit_size, LARGE_INTEGER *offset, SIZE_T *view_size,
                                  uint32_t inherit, uint32_t alloc_type, uint32_t protect)
{
    (void)commit_size, (void)inherit, (void)alloc_type;
    nt_object *o;
    void *want_base;
    SIZE_T want_size;
    int64_t off = 0;
    NTSTATUS st = nt_handle_get(section, NT_OBJ_SECTION, &o);
    if (st != STATUS_SUCCESS)
        return st;
    nt_section *s = (nt_section *)o;
    if (process != NtCurrentProcess()) {
        st = STATUS_INVALID_HANDLE;
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
    if ((needs & nt_section_allows(s->protect)) != needs) {
        st = STATUS_SECTION_PROTECTION;
        goto release;
    }
    if (off < 0 || (uint64_t)off % NT_SEC_GRANULARITY || (uintptr_t)want_base % NT_SEC_GRANULARITY) {
        st = STATUS_MAPPED_ALIGNMENT;
        goto release;
    }
    if ((uint64_t)off >= s->size) {
        st = STATUS_INVALID_VIEW_SIZE;
        goto release;
    }
    if (want_size == 0)
        want_size = (SIZE_T)(s->size - (uint64_t)off);
    else if ((uint64_t)want_size > s->size - (uint64_t)off) {
        st = STATUS_INVALID_VIEW_SIZE;
        goto release;
    }
    size_t len = (want_size + NT_SEC_PAGE - 1) & ~(size_t)(NT_SEC_PAGE - 1);
    int prot = nt_vm_prot_to_unix(protect & 0xff);
    int flags = (needs & 4) ? MAP_PRIVATE : MAP_SHARED;
    uintptr_t at = (uintptr_t)want_base;
    void *p;
    if (at) {
        p = mmap((void *)at, len, prot, flags | MAP_FIXED_NOREPLACE, s->fd, (off_t)off);
        if (p == MAP_FAILED || p != (void *)at) {
            if (p != MAP_FAILED)
                munmap(p, len);
            st = errno == ENOMEM && p == MAP_FAILED ? STATUS_NO_MEMORY : STATUS_CONFLICTING_ADDRESSES;
            goto release;
        }
    } else {
        at = nt_section_place(len);
        p = at ? mmap((void *)at, len, prot, flags | MAP_FIXED, s->fd, (off_t)off) : MAP_FAILED;
        if (p == MAP_FAILED) {
            if (at)
                munmap((void *)at, len);
            st = STATUS_NO_MEMORY;
            goto release;
        }
    }
    nt_view *v = malloc(sizeof *v);
    if (!v) {
        munmap(p, len);
        st = STATUS_NO_MEMORY;
        goto release;
    }
    v->base = at;
    v->size = len;
    /* The mapping keeps the memory; the section object itself goes with its last handle, its
     * name with it, as Windows takes a temporary object's name away at its last handle. */
    nt_object_release(o);
    pthread_mutex_lock(&nt_view_lock);
    v->next = nt_views;
    nt_views = v;
    pthread_mutex_unlock(&nt_view_lock);
    nt_vm_register_region(p, len, MEM_COMMIT, protect & 0xff, MEM_MAPPED, p, protect & 0xff);
    SIZE_T out_size = len;
    if (nt_copy_to_user(base, &p, sizeof p) != 0 ||
        nt_copy_to_user(view_size, &out_size, sizeof out_size) != 0)
        return STATUS_ACCESS_VIOLATION; /* the view stays mapped, as on Windows */
    return STATUS_SUCCESS;
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
    if (process != NtCurrentProcess())
        return STATUS_INVALID_HANDLE;
    nt_view *v = nt_view_take((uintptr_t)base);
    if (!v)
        return STATUS_NOT_MAPPED_VIEW;
    nt_vm_unregister_image((void *)v->base, v->size);
    munmap((void *)v->base, v->size);
    free(v);
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
    nt_object *o;
    NTSTATUS st = nt_handle_get(section, NT_OBJ_SECTION, &o);
    if (st != STATUS_SUCCESS)
        return st;
    nt_section *s = (nt_section *)o;
    if (klass == 1) /* SectionImageInformation */
        st = STATUS_SECTION_NOT_IMAGE;
    else if (klass != 0)
        st = STATUS_INVALID_INFO_CLASS;
    else if (len < sizeof sbi)
        st = STATUS_INFO_LENGTH_MISMATCH;
    else {
        sbi.AllocationAttributes = s->attributes;
        sbi.MaximumSize = (int64_t)s->size;
        SIZE_T n = sizeof sbi;
        if (nt_copy_to_user(info, &sbi, sizeof sbi) != 0 ||
            (ret_len && nt_copy_to_user(ret_len, &n, sizeof n) != 0))
            st = STATUS_ACCESS_VIOLATION;
    }
    nt_object_release(o);
    return st;
}

NTSTATUS NTAPI NtFlushVirtualMemory(HANDLE process, void **base, SIZE_T *size, IO_STATUS_BLOCK *iosb)
{
    void *b;
    SIZE_T n;
    if (process != NtCurrentProcess())
        return STATUS_INVALID_HANDLE;
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
        nt_vm_unregister_image((void *)v->base, v->size);
        munmap((void *)v->base, v->size);
            free(v);
        v = next;
    }
}
