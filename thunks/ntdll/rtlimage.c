/* SPDX-License-Identifier: MIT */
/* ntdll's PE header walkers: RtlImageNtHeader(Ex), RtlImageDirectoryEntryToData,
 * RtlImageRvaToSection, RtlImageRvaToVa and RtlAddressInSectionTable. Programs call them on
 * their own image or a file they mapped (GraalVM native images find their sections with
 * RtlImageNtHeader and RtlAddressInSectionTable; dbghelp-style code walks directories). dbghelp's
 * ImageNtHeader, ImageDirectoryEntryToData, ImageRvaToSection and ImageRvaToVa are the same.
 *
 * They only read memory the caller names, laid out as Windows lays PE files out; nothing here
 * knows about the loader's modules. Every read of that memory is a fault-safe copy: where
 * Windows' versions catch an access violation and return NULL (RtlImageNtHeader is wrapped in
 * __try), these return NULL, or STATUS_INVALID_IMAGE_FORMAT / STATUS_ACCESS_VIOLATION for the
 * Ex form, and never fault in the runtime. Like Windows they leave the last error alone.
 *
 * Offsets used (IMAGE_DOS_HEADER, IMAGE_NT_HEADERS64/32, IMAGE_SECTION_HEADER):
 *   DOS  +0x00 e_magic 'MZ'            +0x3c e_lfanew
 *   NT   +0x00 Signature 'PE\0\0'      +0x06 FileHeader.NumberOfSections
 *        +0x14 FileHeader.SizeOfOptionalHeader
 *        +0x18 OptionalHeader.Magic (0x20b PE32+, 0x10b PE32)
 *        +0x54 SizeOfHeaders (both)     PE32+: +0x84 NumberOfRvaAndSizes, +0x88 DataDirectory
 *                                       PE32:  +0x74 NumberOfRvaAndSizes, +0x78 DataDirectory
 *        +0x18 + SizeOfOptionalHeader: the section table, 0x28 bytes a section
 *   SECTION +0x0c VirtualAddress  +0x10 SizeOfRawData  +0x14 PointerToRawData */
#include <stdint.h>
#include "thunks/thunks_private.h"

#define RTL_IMAGE_NT_HEADER_EX_FLAG_NO_RANGE_CHECK 1u
#define RTL_DOS_SIGNATURE 0x5a4du      /* "MZ" */
#define RTL_NT_SIGNATURE 0x00004550u   /* "PE\0\0" */
#define RTL_OPT_MAGIC_PE32 0x10bu
#define RTL_OPT_MAGIC_PE32PLUS 0x20bu
/* Windows refuses an e_lfanew at or past 256 MiB, range check or not. */
#define RTL_MAX_LFANEW (256u * 1024 * 1024)
/* Signature and IMAGE_FILE_HEADER: what must lie inside the buffer with the range check. */
#define RTL_NT_MIN_SIZE (4u + 0x14u)
#define RTL_SECTION_SIZE 0x28u

static int rtl_read16(const void *p, uint16_t *v)
{
    return nt_copy_from_user(v, p, sizeof *v);
}

static int rtl_read32(const void *p, uint32_t *v)
{
    return nt_copy_from_user(v, p, sizeof *v);
}

NTSTATUS WINAPI RtlImageNtHeaderEx(uint32_t flags, void *base, uint64_t size, void **out)
{
    if (flags & ~RTL_IMAGE_NT_HEADER_EX_FLAG_NO_RANGE_CHECK)
        return STATUS_INVALID_PARAMETER;
    if (!out)
        return STATUS_INVALID_PARAMETER;
    void *none = NULL;
    if (nt_copy_to_user(out, &none, sizeof none) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (!base || base == (void *)(intptr_t)-1)
        return STATUS_INVALID_PARAMETER;
    int check = !(flags & RTL_IMAGE_NT_HEADER_EX_FLAG_NO_RANGE_CHECK);
    if (check && size < 0x40)
        return STATUS_INVALID_IMAGE_FORMAT;
    uint16_t magic;
    uint32_t lfanew;
    if (rtl_read16(base, &magic) != 0 || rtl_read32((const uint8_t *)base + 0x3c, &lfanew) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (magic != RTL_DOS_SIGNATURE || lfanew >= RTL_MAX_LFANEW)
        return STATUS_INVALID_IMAGE_FORMAT;
    if (check && (lfanew >= size || size - lfanew < RTL_NT_MIN_SIZE))
        return STATUS_INVALID_IMAGE_FORMAT;
    uintptr_t nt = (uintptr_t)base + lfanew;
    if (nt < (uintptr_t)base)
        return STATUS_INVALID_IMAGE_FORMAT; /* wraps around the address space */
    uint32_t sig;
    if (rtl_read32((const void *)nt, &sig) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (sig != RTL_NT_SIGNATURE)
        return STATUS_INVALID_IMAGE_FORMAT;
    void *found = (void *)nt;
    if (nt_copy_to_user(out, &found, sizeof found) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}
THK_EXPORT(ntdll, RtlImageNtHeaderEx, 4);

void *WINAPI RtlImageNtHeader(void *base)
{
    /* No range check, as Windows: the image is taken to be mapped. A fault (any failure of
     * the Ex form) is NULL. */
    void *nt = NULL;
    /* out is our own variable: the Ex form cannot fail writing it */
    if (RtlImageNtHeaderEx(RTL_IMAGE_NT_HEADER_EX_FLAG_NO_RANGE_CHECK, base, 0, &nt) < 0)
        return NULL;
    return nt;
}
THK_EXPORT(ntdll, RtlImageNtHeader, 1);

/* The section whose file data holds rva: VirtualAddress <= rva < VirtualAddress +
 * SizeOfRawData (Windows compares with the raw size, not VirtualSize: an RVA in a section's
 * zero-filled tail has no file offset). NULL when none or when the headers cannot be read. */
void *WINAPI RtlImageRvaToSection(void *nt, void *base, uint32_t rva)
{
    (void)base;
    uint16_t count, opt_size;
    if (!nt || rtl_read16((const uint8_t *)nt + 0x06, &count) != 0 ||
        rtl_read16((const uint8_t *)nt + 0x14, &opt_size) != 0)
        return NULL;
    const uint8_t *sec = (const uint8_t *)nt + 0x18 + opt_size;
    for (uint32_t i = 0; i < count; i++, sec += RTL_SECTION_SIZE) {
        uint32_t va, raw;
        if (rtl_read32(sec + 0x0c, &va) != 0 || rtl_read32(sec + 0x10, &raw) != 0)
            return NULL;
        if (rva >= va && rva - va < raw)
            return (void *)sec;
    }
    return NULL;
}
THK_EXPORT(ntdll, RtlImageRvaToSection, 3);

/* The address of rva in an image mapped as a flat file at base: base + rva - the section's
 * VirtualAddress + its PointerToRawData. *last (optional, in and out) is a section to try
 * first, and receives the one used. NULL when no section holds rva. */
void *WINAPI RtlImageRvaToVa(void *nt, void *base, uint32_t rva, void **last)
{
    const uint8_t *sec = NULL;
    uint32_t va, raw, ptr;
    if (last && nt_copy_from_user(&sec, last, sizeof sec) != 0)
        return NULL;
    if (sec && (rtl_read32(sec + 0x0c, &va) != 0 || rtl_read32(sec + 0x10, &raw) != 0 ||
                rva < va || rva - va >= raw))
        sec = NULL;
    if (!sec && !(sec = RtlImageRvaToSection(nt, base, rva)))
        return NULL;
    if (rtl_read32(sec + 0x0c, &va) != 0 || rtl_read32(sec + 0x14, &ptr) != 0)
        return NULL;
    if (last && nt_copy_to_user(last, &sec, sizeof sec) != 0)
        return NULL;
    return (uint8_t *)base + (rva - va) + ptr;
}
THK_EXPORT(ntdll, RtlImageRvaToVa, 4);

/* NT's name for RtlImageRvaToVa without the section hint. */
void *WINAPI RtlAddressInSectionTable(void *nt, void *base, uint32_t rva)
{
    return RtlImageRvaToVa(nt, base, rva, NULL);
}
THK_EXPORT(ntdll, RtlAddressInSectionTable, 3);

/* Directory `dir` (IMAGE_DIRECTORY_ENTRY_*) of the image at base: its address and, in *size,
 * its size. mapped_as_image FALSE, or base with its low bit set (a module loaded as a data
 * file), means a flat file: the address is then found through the section table, except in the
 * headers. NULL when the image has no such directory (index past NumberOfRvaAndSizes, or an
 * RVA of 0); *size is then left alone. */
void *WINAPI RtlImageDirectoryEntryToData(void *base, uint8_t mapped_as_image, uint16_t dir,
                                          uint32_t *size)
{
    if ((uintptr_t)base & 1)
        mapped_as_image = 0;
    base = (void *)((uintptr_t)base & ~(uintptr_t)3);
    uint8_t *nt = RtlImageNtHeader(base);
    if (!nt)
        return NULL;
    uint16_t magic;
    if (rtl_read16(nt + 0x18, &magic) != 0)
        return NULL;
    uint32_t count_off, dir_off;
    if (magic == RTL_OPT_MAGIC_PE32PLUS) {
        count_off = 0x84;
        dir_off = 0x88;
    } else if (magic == RTL_OPT_MAGIC_PE32) {
        count_off = 0x74;
        dir_off = 0x78;
    } else {
        return NULL;
    }
    uint32_t count, rva, dsize, headers;
    if (rtl_read32(nt + count_off, &count) != 0 || dir >= count)
        return NULL;
    if (rtl_read32(nt + dir_off + 8u * dir, &rva) != 0 ||
        rtl_read32(nt + dir_off + 8u * dir + 4, &dsize) != 0 || !rva)
        return NULL;
    if (!size || nt_copy_to_user(size, &dsize, sizeof dsize) != 0)
        return NULL;
    if (rtl_read32(nt + 0x54, &headers) != 0)
        return NULL;
    if (mapped_as_image || rva < headers)
        return (uint8_t *)base + rva;
    return RtlImageRvaToVa(nt, base, rva, NULL);
}
THK_EXPORT(ntdll, RtlImageDirectoryEntryToData, 4);

/* dbghelp's names for the same walkers (dbghelp's own forward to ntdll's) */
THK_EXPORT_AS(dbghelp, ImageNtHeader, RtlImageNtHeader, 1);
THK_EXPORT_AS(dbghelp, ImageDirectoryEntryToData, RtlImageDirectoryEntryToData, 4);
THK_EXPORT_AS(dbghelp, ImageRvaToSection, RtlImageRvaToSection, 3);
THK_EXPORT_AS(dbghelp, ImageRvaToVa, RtlImageRvaToVa, 4);
