/* Synthetic PE32+ images for the loader's unit tests (test_pe_headers, test_reloc, test_imports):
 * a minimal valid executable built in memory, which each test then edits or cuts up.
 *
 * Layout (FileAlignment 0x200, SectionAlignment 0x1000, SizeOfImage 0x5000):
 *   file 0x000  DOS header (e_lfanew 0x40), NT headers, section table; SizeOfHeaders 0x400
 *   .text  RVA 0x1000  raw 0x0400+0x800  RX   entry point: mov eax, 42; ret
 *   .rdata RVA 0x2000  raw 0x0c00+0x800  R
 *   .data  RVA 0x3000  raw 0x1400+0x800  RW
 *   .reloc RVA 0x4000  raw 0x1c00+0x800  R
 * Each section's VirtualSize is 0x1000; only its first 0x800 bytes come from the file. */
#ifndef NTRUN_TESTS_PE_BUILDER_H
#define NTRUN_TESTS_PE_BUILDER_H

#include <stdint.h>
#include <string.h>
#include "loader/loader_private.h"

enum { TPE_TEXT, TPE_RDATA, TPE_DATA, TPE_RELOC, TPE_NSECT };
#define TPE_LFANEW 0x40u
#define TPE_HEADERS 0x400u
#define TPE_RAW 0x800u
#define TPE_IMAGE_SIZE 0x5000u
#define TPE_FILE_SIZE (TPE_HEADERS + TPE_NSECT * TPE_RAW)
#define TPE_FILE_MAX 0x3000u
#define TPE_DEFAULT_BASE 0x140000000ull

typedef struct tpe {
    uint8_t file[TPE_FILE_MAX];
    size_t size;
} tpe;

static inline IMAGE_FILE_HEADER *tpe_fh(tpe *t)
{
    return (IMAGE_FILE_HEADER *)(t->file + TPE_LFANEW + 4);
}

static inline IMAGE_OPTIONAL_HEADER64 *tpe_opt(tpe *t)
{
    return (IMAGE_OPTIONAL_HEADER64 *)(t->file + TPE_LFANEW + 4 + sizeof(IMAGE_FILE_HEADER));
}

static inline IMAGE_SECTION_HEADER *tpe_sec(tpe *t, int i)
{
    return (IMAGE_SECTION_HEADER *)((uint8_t *)tpe_opt(t) + sizeof(IMAGE_OPTIONAL_HEADER64)) + i;
}

static inline uint32_t tpe_sec_rva(int i) { return 0x1000u * (uint32_t)(i + 1); }

/* The file bytes behind `rva` (which must lie in a section's file-backed part). */
static inline uint8_t *tpe_at(tpe *t, uint32_t rva)
{
    int i = (int)(rva / 0x1000) - 1;
    uint32_t off = rva % 0x1000;
    if (i < 0 || i >= TPE_NSECT || off >= TPE_RAW)
        return NULL;
    return t->file + TPE_HEADERS + (uint32_t)i * TPE_RAW + off;
}

static inline void tpe_put16(tpe *t, uint32_t rva, uint16_t v) { memcpy(tpe_at(t, rva), &v, 2); }
static inline void tpe_put32(tpe *t, uint32_t rva, uint32_t v) { memcpy(tpe_at(t, rva), &v, 4); }
static inline void tpe_put64(tpe *t, uint32_t rva, uint64_t v) { memcpy(tpe_at(t, rva), &v, 8); }
static inline uint32_t tpe_putstr(tpe *t, uint32_t rva, const char *s)
{
    size_t n = strlen(s) + 1;
    memcpy(tpe_at(t, rva), s, n);
    return rva + (uint32_t)n;
}

static inline void tpe_init(tpe *t)
{
    static const char *const names[TPE_NSECT] = {".text", ".rdata", ".data", ".reloc"};
    static const uint32_t chars[TPE_NSECT] = {
        0x60000020, /* CODE | EXECUTE | READ */
        0x40000040, /* INITIALIZED_DATA | READ */
        0xc0000040, /* INITIALIZED_DATA | READ | WRITE */
        0x42000040, /* INITIALIZED_DATA | DISCARDABLE | READ */
    };
    memset(t, 0, sizeof *t);
    t->size = TPE_FILE_SIZE;
    t->file[0] = 'M';
    t->file[1] = 'Z';
    uint32_t lfanew = TPE_LFANEW;
    memcpy(t->file + 0x3c, &lfanew, 4);
    memcpy(t->file + TPE_LFANEW, "PE\0\0", 4);
    IMAGE_FILE_HEADER *fh = tpe_fh(t);
    fh->Machine = IMAGE_FILE_MACHINE_AMD64;
    fh->NumberOfSections = TPE_NSECT;
    fh->SizeOfOptionalHeader = sizeof(IMAGE_OPTIONAL_HEADER64);
    fh->Characteristics = 0x0022; /* EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE */
    IMAGE_OPTIONAL_HEADER64 *opt = tpe_opt(t);
    opt->Magic = IMAGE_NT_OPTIONAL_HDR64_MAGIC;
    opt->AddressOfEntryPoint = tpe_sec_rva(TPE_TEXT);
    opt->ImageBase = TPE_DEFAULT_BASE;
    opt->SectionAlignment = 0x1000;
    opt->FileAlignment = 0x200;
    opt->MajorSubsystemVersion = 5;
    opt->SizeOfImage = TPE_IMAGE_SIZE;
    opt->SizeOfHeaders = TPE_HEADERS;
    opt->Subsystem = 3; /* console */
    opt->DllCharacteristics = 0x0160;
    opt->SizeOfStackReserve = 0x200000;
    opt->SizeOfStackCommit = 0x1000;
    opt->NumberOfRvaAndSizes = IMAGE_NUMBEROF_DIRECTORY_ENTRIES;
    for (int i = 0; i < TPE_NSECT; i++) {
        IMAGE_SECTION_HEADER *sh = tpe_sec(t, i);
        memcpy(sh->Name, names[i], strlen(names[i]));
        sh->VirtualSize = 0x1000;
        sh->VirtualAddress = tpe_sec_rva(i);
        sh->SizeOfRawData = TPE_RAW;
        sh->PointerToRawData = TPE_HEADERS + (uint32_t)i * TPE_RAW;
        sh->Characteristics = chars[i];
    }
    static const uint8_t code[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3}; /* mov eax, 42; ret */
    memcpy(tpe_at(t, tpe_sec_rva(TPE_TEXT)), code, sizeof code);
}

static inline void tpe_set_dir(tpe *t, unsigned index, uint32_t rva, uint32_t size)
{
    tpe_opt(t)->DataDirectory[index].VirtualAddress = rva;
    tpe_opt(t)->DataDirectory[index].Size = size;
}

#endif
