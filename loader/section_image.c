/* SPDX-License-Identifier: MIT */
/* SEC_IMAGE sections for ntemu/section.c: ntemu cannot call the loader (dependencies point
 * down), so the loader hands it these operations (nt_set_image_ops) when it loads the program.
 * A view of an image section is mapped exactly as the loader maps a DLL, with the same code
 * (ldr_pe_parse, ldr_map_image, ldr_relocate_image, ldr_protect_image): headers and sections at
 * their RVAs, relocated when it cannot have its preferred base, each section with its
 * protection, registered as MEM_IMAGE; at an address of the caller's choosing when it gives one
 * (STATUS_CONFLICTING_ADDRESSES when that is occupied). A PE32 (x86) image is mapped too, as
 * Windows maps one into a 64-bit process: CoreCLR maps .NET's any-CPU assemblies, PE32 files
 * holding only IL, with SEC_IMAGE. Imports are not bound and no entry point runs, as
 * NtMapViewOfSection does not do those either. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "loader/loader_private.h"
#include "ntemu/ntemu.h"

#ifndef STATUS_INVALID_IMAGE_NOT_MZ
#define STATUS_INVALID_IMAGE_NOT_MZ ((NTSTATUS)0xC000012F)
#endif
#ifndef STATUS_INVALID_IMAGE_FORMAT
#define STATUS_INVALID_IMAGE_FORMAT ((NTSTATUS)0xC000007B)
#endif
#ifndef STATUS_IMAGE_NOT_AT_BASE
#define STATUS_IMAGE_NOT_AT_BASE ((NTSTATUS)0x40000003)
#endif

/* Mapped image views, under view_lock. */
typedef struct image_view {
    struct image_view *next;
    ldr_image img;
} image_view;
static pthread_mutex_t view_lock = PTHREAD_MUTEX_INITIALIZER;
static image_view *views;

/* The file in fd, mapped read-only, and parsed. */
static NTSTATUS read_image(int fd, uint8_t **file, size_t *size, ldr_pe *pe)
{
    char err[256];
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size < 2)
        return STATUS_INVALID_IMAGE_NOT_MZ;
    *size = (size_t)sb.st_size;
    *file = mmap(NULL, *size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (*file == MAP_FAILED)
        return STATUS_NO_MEMORY;
    if (ldr_pe_parse_section(*file, *size, pe, err, sizeof err) == 0)
        return STATUS_SUCCESS;
    NTSTATUS st = (*file)[0] == 'M' && (*file)[1] == 'Z' ? STATUS_INVALID_IMAGE_FORMAT
                                                         : STATUS_INVALID_IMAGE_NOT_MZ;
    ldr_free_file(*file, *size);
    return st;
}

static NTSTATUS image_query(int fd, nt_image_info *info)
{
    uint8_t *file;
    size_t size;
    ldr_pe pe;
    NTSTATUS st = read_image(fd, &file, &size, &pe);
    if (st != STATUS_SUCCESS)
        return st;
    /* ldr_pe_parse checked that the headers lie in the file */
    IMAGE_DOS_HEADER dos;
    IMAGE_OPTIONAL_HEADER64 opt;
    memcpy(&dos, file, sizeof dos);
    memcpy(&opt, file + dos.e_lfanew + 4 + sizeof(IMAGE_FILE_HEADER), sizeof opt);
    if (pe.pe32) { /* the fields below lie where PE32+ has them up to CheckSum, not after */
        IMAGE_OPTIONAL_HEADER32 o32;
        memcpy(&o32, file + dos.e_lfanew + 4 + sizeof(IMAGE_FILE_HEADER), sizeof o32);
        opt.LoaderFlags = o32.LoaderFlags;
    }
    memset(info, 0, sizeof *info);
    info->image_base = pe.image_base;
    info->size_of_image = (pe.size_of_image + LDR_PAGE_SIZE - 1) & ~(LDR_PAGE_SIZE - 1);
    SECTION_IMAGE_INFORMATION *ii = &info->sii;
    ii->TransferAddress = pe.entry_rva ? (void *)(uintptr_t)(pe.image_base + pe.entry_rva) : NULL;
    ii->MaximumStackSize = pe.stack_reserve;
    ii->CommittedStackSize = pe.stack_commit;
    ii->SubSystemType = pe.subsystem;
    ii->SubSystemMinorVersion = pe.subsystem_minor;
    ii->SubSystemMajorVersion = pe.subsystem_major;
    ii->MajorOperatingSystemVersion = opt.MajorOperatingSystemVersion;
    ii->MinorOperatingSystemVersion = opt.MinorOperatingSystemVersion;
    ii->ImageCharacteristics = pe.characteristics;
    ii->DllCharacteristics = pe.dll_characteristics;
    ii->Machine = pe.machine;
    ii->ImageContainsCode = opt.SizeOfCode != 0;
    ii->LoaderFlags = opt.LoaderFlags;
    ii->ImageFileSize = (uint32_t)size;
    ii->CheckSum = opt.CheckSum;
    ldr_free_file(file, size);
    return STATUS_SUCCESS;
}

static NTSTATUS image_map(int fd, void *at, void **base, size_t *size)
{
    char err[256];
    uint8_t *file;
    size_t file_size;
    ldr_pe pe;
    NTSTATUS st = read_image(fd, &file, &file_size, &pe);
    if (st != STATUS_SUCCESS)
        return st;
    uintptr_t want = (uintptr_t)at;
    if (want) {
        /* Hold the space the caller chose while the file is read again: the first copy may
         * sit in it (the caller freed it just before, and Linux hands it out again). */
        size_t need = (pe.size_of_image + LDR_PAGE_SIZE - 1) & ~(size_t)(LDR_PAGE_SIZE - 1);
        ldr_free_file(file, file_size);
        void *hold = mmap(at, need, PROT_NONE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
        if (hold != at) {
            if (hold != MAP_FAILED)
                munmap(hold, need); /* a kernel without MAP_FIXED_NOREPLACE */
            return STATUS_CONFLICTING_ADDRESSES;
        }
        st = read_image(fd, &file, &file_size, &pe);
        munmap(hold, need);
        if (st != STATUS_SUCCESS)
            return st;
    }
    image_view *v = calloc(1, sizeof *v);
    if (!v) {
        ldr_free_file(file, file_size);
        return STATUS_NO_MEMORY;
    }
    pe.file_fd = fd;
    if (ldr_map_image_at(&pe, NULL, (uintptr_t)at, &v->img, err, sizeof err) != 0) {
        st = STATUS_CONFLICTING_ADDRESSES; /* no room, or relocations stripped */
        goto free_view;
    }
    if (ldr_relocate_image(&pe, &v->img, err, sizeof err) != 0 ||
        ldr_protect_image(&pe, &v->img, err, sizeof err) != 0) {
        st = STATUS_INVALID_IMAGE_FORMAT;
        goto unmap;
    }
    ldr_image_take_file(&v->img, file, file_size);
    *base = v->img.base;
    *size = v->img.size;
    st = v->img.at_preferred_base ? STATUS_SUCCESS : STATUS_IMAGE_NOT_AT_BASE;
    pthread_mutex_lock(&view_lock);
    v->next = views;
    views = v;
    pthread_mutex_unlock(&view_lock);
    return st;
unmap:
    nt_vm_unregister_image(v->img.base, v->img.size);
    ldr_unmap_image(&v->img);
free_view:
    ldr_free_file(file, file_size);
    free(v);
    return st;
}

static void image_unmap(void *base)
{
    pthread_mutex_lock(&view_lock);
    image_view **pp = &views, *v;
    while ((v = *pp) && v->img.base != base)
        pp = &v->next;
    if (v)
        *pp = v->next;
    pthread_mutex_unlock(&view_lock);
    if (v) {
        ldr_unmap_image(&v->img);
        free(v);
    }
}

static NTSTATUS image_unmap_module(void *addr)
{
    return ldr_dll_forget(addr);
}

static const nt_image_ops image_ops = {image_query, image_map, image_unmap, image_unmap_module};

void ldr_section_image_init(void)
{
    nt_set_image_ops(&image_ops);
}
