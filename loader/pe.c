/* SPDX-License-Identifier: MIT */
/* PE32+ parsing and validation of a file held in memory: the DOS and NT headers, the section
 * table, each section's raw data and virtual range, and every data directory, checked against
 * the file size and SizeOfImage with overflow-safe (64-bit) arithmetic before anything else in
 * the loader uses them. Pure: no allocation, no global state; must not crash on any input. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "loader/loader_private.h"

void ldr_errf(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    /* A message that did not fit says so instead of ending mid-word. */
    if (n >= 0 && (size_t)n >= errlen && errlen > 4)
        memcpy(err + errlen - 4, "...", 4);
}

static const char *const ldr_dir_names[IMAGE_NUMBEROF_DIRECTORY_ENTRIES] = {
    "export", "import", "resource", "exception", "certificate", "base relocation", "debug",
    "architecture", "global pointer", "TLS", "load configuration", "bound import",
    "import address table", "delay import", "CLR runtime header", "reserved",
};

const char *ldr_dir_name(unsigned index)
{
    return index < IMAGE_NUMBEROF_DIRECTORY_ENTRIES ? ldr_dir_names[index] : "unknown";
}

static bool is_pow2(uint64_t v) { return v && !(v & (v - 1)); }
static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

/* Copies a printable version of at most `max` bytes of `src` (stopping at NUL) into dst. */
static void printable_name(char *dst, size_t dstlen, const uint8_t *src, size_t max)
{
    size_t n = 0;
    for (; n < max && n + 1 < dstlen && src[n]; n++)
        dst[n] = (src[n] >= 0x20 && src[n] < 0x7f) ? (char)src[n] : '?';
    dst[n] = 0;
}

/* A section's name: the 8-byte short name, or for "/123" the string at offset 123 of the COFF
 * string table (mingw-w64 keeps it for debug sections) when that table lies inside the file. */
static void section_name(char *dst, size_t dstlen, const IMAGE_SECTION_HEADER *sh,
                         const IMAGE_FILE_HEADER *fh, const uint8_t *file, size_t size)
{
    printable_name(dst, dstlen, sh->Name, IMAGE_SIZEOF_SHORT_NAME);
    if (dst[0] != '/' || dst[1] < '0' || dst[1] > '9' || !fh->PointerToSymbolTable)
        return;
    uint64_t off = 0;
    for (const char *p = dst + 1; *p; p++) {
        if (*p < '0' || *p > '9')
            return;
        off = off * 10 + (uint64_t)(*p - '0');
    }
    uint64_t strtab = (uint64_t)fh->PointerToSymbolTable + (uint64_t)fh->NumberOfSymbols * 18;
    if (strtab + 4 > size || off < 4 || off >= size - strtab)
        return;
    printable_name(dst, dstlen, file + strtab + off, size - strtab - off);
    if (!dst[0])
        printable_name(dst, dstlen, sh->Name, IMAGE_SIZEOF_SHORT_NAME);
}

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ldr_errf(err, errlen, "%s", buf);
    return -1;
}

static inline __attribute__((always_inline)) int
parse_sections(const uint8_t *file, size_t size, uint64_t sect_off, const IMAGE_FILE_HEADER *fh,
               ldr_pe *out, char *err, size_t errlen)
{
    uint64_t sa = out->section_alignment;
    uint64_t image_span = align_up(out->size_of_image, LDR_PAGE_SIZE);
    uint64_t prev_end = 0;
    const char *prev_name = NULL;
    for (uint32_t i = 0; i < out->nsections; i++) {
        IMAGE_SECTION_HEADER sh;
        memcpy(&sh, file + sect_off + (uint64_t)i * sizeof sh, sizeof sh);
        ldr_section *s = &out->sections[i];
        section_name(s->name, sizeof s->name, &sh, fh, file, size);
        uint64_t vaddr = sh.VirtualAddress;
        uint64_t vsize = sh.VirtualSize ? sh.VirtualSize : sh.SizeOfRawData;
        if (vaddr % sa)
            return fail(err, errlen, "section %s is not aligned to SectionAlignment "
                        "(RVA 0x%x, alignment 0x%x)", s->name, sh.VirtualAddress,
                        out->section_alignment);
        if (vaddr < out->size_of_headers)
            return fail(err, errlen, "section %s overlaps the headers (RVA 0x%x, SizeOfHeaders "
                        "0x%x)", s->name, sh.VirtualAddress, out->size_of_headers);
        if (vaddr < prev_end)
            return fail(err, errlen, "section %s overlaps section %s", s->name, prev_name);
        if (vaddr + vsize > out->size_of_image)
            return fail(err, errlen, "section %s extends past SizeOfImage (ends at 0x%llx, "
                        "SizeOfImage 0x%x)", s->name, (unsigned long long)(vaddr + vsize),
                        out->size_of_image);
        if (sh.SizeOfRawData &&
            (uint64_t)sh.PointerToRawData + sh.SizeOfRawData > (uint64_t)size)
            return fail(err, errlen, "section %s extends past end of file (raw data 0x%x+0x%x, "
                        "file size 0x%zx)", s->name, sh.PointerToRawData, sh.SizeOfRawData,
                        size);
        /* Raw data beyond the section's aligned virtual extent is not part of the image. */
        uint64_t copy = sh.SizeOfRawData;
        if (copy > align_up(vsize, sa))
            copy = align_up(vsize, sa);
        if (copy > image_span - vaddr)
            copy = image_span - vaddr;
        s->vaddr = (uint32_t)vaddr;
        s->vsize = (uint32_t)vsize;
        s->raw_offset = sh.PointerToRawData;
        s->raw_size = (uint32_t)copy;
        s->characteristics = sh.Characteristics;
        if (vsize) {
            prev_end = vaddr + align_up(vsize, sa);
            prev_name = s->name;
        }
    }
    return 0;
}

static inline __attribute__((always_inline)) int
check_directories(ldr_pe *pe, size_t size, char *err, size_t errlen)
{
    for (unsigned i = 0; i < pe->ndirs; i++) {
        IMAGE_DATA_DIRECTORY *d = &pe->dirs[i];
        if (i == IMAGE_DIRECTORY_ENTRY_ARCHITECTURE || i == IMAGE_DIRECTORY_ENTRY_GLOBALPTR ||
            i == 15) {
            *d = (IMAGE_DATA_DIRECTORY){0, 0}; /* reserved, must be zero: ignored as Windows does */
            continue;
        }
        if (i == IMAGE_DIRECTORY_ENTRY_SECURITY) {
            /* A file offset: the certificate table appended to the file, never mapped. */
            if (d->VirtualAddress &&
                (uint64_t)d->VirtualAddress + d->Size > (uint64_t)size)
                return fail(err, errlen, "certificate table lies outside the file");
            continue;
        }
        if (d->VirtualAddress == 0) {
            *d = (IMAGE_DATA_DIRECTORY){0, 0}; /* RVA 0: absent, whatever the size says */
            continue;
        }
        uint64_t need = d->Size;
        if (i == IMAGE_DIRECTORY_ENTRY_TLS && need < sizeof(IMAGE_TLS_DIRECTORY64))
            need = sizeof(IMAGE_TLS_DIRECTORY64);  /* Windows reads the whole structure */
        if (i == IMAGE_DIRECTORY_ENTRY_EXPORT && need < sizeof(IMAGE_EXPORT_DIRECTORY))
            need = sizeof(IMAGE_EXPORT_DIRECTORY);
        if (i == IMAGE_DIRECTORY_ENTRY_IMPORT && need < sizeof(IMAGE_IMPORT_DESCRIPTOR))
            need = sizeof(IMAGE_IMPORT_DESCRIPTOR);
        if ((uint64_t)d->VirtualAddress + need > pe->size_of_image)
            return fail(err, errlen, "%s directory lies outside the image (RVA 0x%x, size 0x%x, "
                        "SizeOfImage 0x%x)", ldr_dir_name(i), d->VirtualAddress, d->Size,
                        pe->size_of_image);
    }
    return 0;
}

/* A PE32 optional header (size bytes of it at p) in PE32+'s layout: the same fields, 64 bits
 * wide where PE32+ widens them. */
static void opt32_to_64(const uint8_t *p, size_t size, IMAGE_OPTIONAL_HEADER64 *o)
{
    IMAGE_OPTIONAL_HEADER32 h;
    memset(&h, 0, sizeof h);
    memcpy(&h, p, size < sizeof h ? size : sizeof h);
    memset(o, 0, sizeof *o);
    o->Magic = h.Magic;
    o->MajorLinkerVersion = h.MajorLinkerVersion;
    o->MinorLinkerVersion = h.MinorLinkerVersion;
    o->SizeOfCode = h.SizeOfCode;
    o->SizeOfInitializedData = h.SizeOfInitializedData;
    o->SizeOfUninitializedData = h.SizeOfUninitializedData;
    o->AddressOfEntryPoint = h.AddressOfEntryPoint;
    o->BaseOfCode = h.BaseOfCode;
    o->ImageBase = h.ImageBase;
    o->SectionAlignment = h.SectionAlignment;
    o->FileAlignment = h.FileAlignment;
    o->MajorOperatingSystemVersion = h.MajorOperatingSystemVersion;
    o->MinorOperatingSystemVersion = h.MinorOperatingSystemVersion;
    o->MajorImageVersion = h.MajorImageVersion;
    o->MinorImageVersion = h.MinorImageVersion;
    o->MajorSubsystemVersion = h.MajorSubsystemVersion;
    o->MinorSubsystemVersion = h.MinorSubsystemVersion;
    o->Win32VersionValue = h.Win32VersionValue;
    o->SizeOfImage = h.SizeOfImage;
    o->SizeOfHeaders = h.SizeOfHeaders;
    o->CheckSum = h.CheckSum;
    o->Subsystem = h.Subsystem;
    o->DllCharacteristics = h.DllCharacteristics;
    o->SizeOfStackReserve = h.SizeOfStackReserve;
    o->SizeOfStackCommit = h.SizeOfStackCommit;
    o->SizeOfHeapReserve = h.SizeOfHeapReserve;
    o->SizeOfHeapCommit = h.SizeOfHeapCommit;
    o->LoaderFlags = h.LoaderFlags;
    o->NumberOfRvaAndSizes = h.NumberOfRvaAndSizes;
    memcpy(o->DataDirectory, h.DataDirectory, sizeof o->DataDirectory);
}

/* Inlined into both entry points, as are parse_sections and check_directories: ldr_pe_parse is
 * on every start's path and stays where tools/startup-order/ntrun.order places it, with the
 * whole parse inside it (out of line they would be linked far from it: another page to fault
 * in at every start). */
static inline __attribute__((always_inline)) int
pe_parse(const uint8_t *file, size_t size, ldr_pe *out, bool pe32_ok, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->file_fd = -1;
    if (!file)
        size = 0;
    out->file = file;
    out->file_size = size;

    /* Every refusal below is STATUS_INVALID_IMAGE_FORMAT unless it says otherwise (Wine 8.0's
     * answers for the headers: no MZ, and an NT header past the end of the file). */
    out->fail_status = STATUS_INVALID_IMAGE_FORMAT;
    /* DOS header */
    if (size < 2 || file[0] != 'M' || file[1] != 'Z') {
        out->fail_status = size ? STATUS_INVALID_IMAGE_NOT_MZ : STATUS_INVALID_FILE_FOR_SECTION;
        return fail(err, errlen, "not a PE file (no MZ signature)");
    }
    if (size < sizeof(IMAGE_DOS_HEADER))
        return fail(err, errlen, "truncated file (DOS header extends past end of file)");
    IMAGE_DOS_HEADER dos;
    memcpy(&dos, file, sizeof dos);
    if (dos.e_lfanew < 0 || dos.e_lfanew >= 0x10000000)
        return fail(err, errlen, "not a PE file (bad e_lfanew 0x%x)", (uint32_t)dos.e_lfanew);
    uint64_t nt_off = (uint64_t)dos.e_lfanew;
    if (nt_off + 4 > size) {
        out->fail_status = STATUS_INVALID_IMAGE_PROTECT;
        return fail(err, errlen, "not a PE file (e_lfanew 0x%llx points past end of file)",
                    (unsigned long long)nt_off);
    }
    uint32_t sig;
    memcpy(&sig, file + nt_off, 4);
    if (sig != IMAGE_NT_SIGNATURE)
        return fail(err, errlen, "not a PE file (bad PE signature)");

    /* File header and the optional header's magic */
    uint64_t fh_off = nt_off + 4;
    uint64_t opt_off = fh_off + sizeof(IMAGE_FILE_HEADER);
    if (opt_off + 2 > size)
        return fail(err, errlen, "truncated file (PE header extends past end of file)");
    IMAGE_FILE_HEADER fh;
    memcpy(&fh, file + fh_off, sizeof fh);
    uint16_t magic;
    memcpy(&magic, file + opt_off, 2);
    bool pe32 = pe32_ok && magic == IMAGE_NT_OPTIONAL_HDR32_MAGIC &&
                fh.Machine == IMAGE_FILE_MACHINE_I386;
    if (!pe32 && (magic == IMAGE_NT_OPTIONAL_HDR32_MAGIC || fh.Machine == IMAGE_FILE_MACHINE_I386))
        return fail(err, errlen, "32-bit programs are not supported");
    if (!pe32 && magic != IMAGE_NT_OPTIONAL_HDR64_MAGIC)
        return fail(err, errlen, "not a PE file (unknown optional header magic 0x%x)", magic);
    if (!pe32 && fh.Machine != IMAGE_FILE_MACHINE_AMD64)
        return fail(err, errlen, "machine type 0x%x is not x86-64", fh.Machine);

    /* Optional header */
    const size_t dirs_off = pe32 ? offsetof(IMAGE_OPTIONAL_HEADER32, DataDirectory)
                                 : offsetof(IMAGE_OPTIONAL_HEADER64, DataDirectory);
    if (fh.SizeOfOptionalHeader < dirs_off)
        return fail(err, errlen, "bad PE header (SizeOfOptionalHeader 0x%x is too small)",
                    fh.SizeOfOptionalHeader);
    if (opt_off + fh.SizeOfOptionalHeader > size)
        return fail(err, errlen, "truncated file (PE header extends past end of file)");
    IMAGE_OPTIONAL_HEADER64 opt;
    memset(&opt, 0, sizeof opt);
    if (pe32)
        opt32_to_64(file + opt_off, fh.SizeOfOptionalHeader, &opt);
    else
        memcpy(&opt, file + opt_off,
               fh.SizeOfOptionalHeader < sizeof opt ? fh.SizeOfOptionalHeader : sizeof opt);
    uint32_t ndirs = opt.NumberOfRvaAndSizes < IMAGE_NUMBEROF_DIRECTORY_ENTRIES
                         ? opt.NumberOfRvaAndSizes : IMAGE_NUMBEROF_DIRECTORY_ENTRIES;
    if (dirs_off + (uint64_t)ndirs * sizeof(IMAGE_DATA_DIRECTORY) > fh.SizeOfOptionalHeader)
        return fail(err, errlen, "bad PE header (SizeOfOptionalHeader 0x%x cannot hold %u data "
                    "directories)", fh.SizeOfOptionalHeader, ndirs);

    out->machine = fh.Machine;
    out->pe32 = pe32;
    out->characteristics = fh.Characteristics;
    out->timestamp = fh.TimeDateStamp;
    out->dll_characteristics = opt.DllCharacteristics;
    out->subsystem = opt.Subsystem;
    out->subsystem_major = opt.MajorSubsystemVersion;
    out->subsystem_minor = opt.MinorSubsystemVersion;
    out->image_base = opt.ImageBase;
    out->size_of_image = opt.SizeOfImage;
    out->size_of_headers = opt.SizeOfHeaders;
    out->entry_rva = opt.AddressOfEntryPoint;
    out->section_alignment = opt.SectionAlignment;
    out->file_alignment = opt.FileAlignment;
    out->stack_reserve = opt.SizeOfStackReserve;
    out->stack_commit = opt.SizeOfStackCommit;
    out->ndirs = ndirs;
    for (uint32_t i = 0; i < ndirs; i++)
        out->dirs[i] = opt.DataDirectory[i];

    if (!(fh.Characteristics & IMAGE_FILE_EXECUTABLE_IMAGE))
        return fail(err, errlen, "not an executable image (IMAGE_FILE_EXECUTABLE_IMAGE is not "
                    "set)");

    /* Section table */
    if (fh.NumberOfSections == 0)
        return fail(err, errlen, "image has no sections");
    if (fh.NumberOfSections > LDR_MAX_SECTIONS)
        return fail(err, errlen, "too many sections (%u, at most %u)", fh.NumberOfSections,
                    LDR_MAX_SECTIONS);
    out->nsections = fh.NumberOfSections;
    uint64_t sect_off = opt_off + fh.SizeOfOptionalHeader;
    uint64_t sect_end = sect_off + (uint64_t)fh.NumberOfSections * sizeof(IMAGE_SECTION_HEADER);
    if (sect_end > size)
        return fail(err, errlen, "truncated file (section table extends past end of file)");

    /* Alignment */
    uint32_t sa = opt.SectionAlignment, fa = opt.FileAlignment;
    if (!is_pow2(sa) || sa > LDR_MAX_IMAGE_SIZE)
        return fail(err, errlen, "bad SectionAlignment 0x%x (not a power of two)", sa);
    if (!is_pow2(fa))
        return fail(err, errlen, "bad FileAlignment 0x%x (not a power of two)", fa);
    if (fa > sa)
        return fail(err, errlen, "FileAlignment 0x%x is larger than SectionAlignment 0x%x", fa,
                    sa);
    if (sa < LDR_PAGE_SIZE && fa != sa)
        return fail(err, errlen, "SectionAlignment 0x%x is below the page size but differs from "
                    "FileAlignment 0x%x", sa, fa);

    /* Sizes, base, entry point */
    if (opt.SizeOfImage == 0)
        return fail(err, errlen, "bad PE header (SizeOfImage is 0)");
    if (opt.SizeOfImage > LDR_MAX_IMAGE_SIZE)
        return fail(err, errlen, "SizeOfImage 0x%x is too large", opt.SizeOfImage);
    if (opt.SizeOfHeaders < sect_end)
        return fail(err, errlen, "bad PE header (SizeOfHeaders 0x%x does not cover the section "
                    "table, which ends at 0x%llx)", opt.SizeOfHeaders,
                    (unsigned long long)sect_end);
    if (opt.SizeOfHeaders > opt.SizeOfImage)
        return fail(err, errlen, "bad PE header (SizeOfHeaders 0x%x is larger than SizeOfImage "
                    "0x%x)", opt.SizeOfHeaders, opt.SizeOfImage);
    if (opt.ImageBase & 0xffff)
        return fail(err, errlen, "ImageBase 0x%llx is not a multiple of 64K",
                    (unsigned long long)opt.ImageBase);
    if (opt.AddressOfEntryPoint >= opt.SizeOfImage)
        return fail(err, errlen, "entry point 0x%x lies outside the image (SizeOfImage 0x%x)",
                    opt.AddressOfEntryPoint, opt.SizeOfImage);

    if (parse_sections(file, size, sect_off, &fh, out, err, errlen) < 0 ||
        check_directories(out, size, err, errlen) < 0)
        return -1;
    out->fail_status = 0;
    return 0;
}

int ldr_pe_parse(const uint8_t *file, size_t size, ldr_pe *out, char *err, size_t errlen)
{
    return pe_parse(file, size, out, false, err, errlen);
}

int ldr_pe_parse_section(const uint8_t *file, size_t size, ldr_pe *out, char *err,
                         size_t errlen)
{
    return pe_parse(file, size, out, true, err, errlen);
}
