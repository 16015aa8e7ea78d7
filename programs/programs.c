/* SPDX-License-Identifier: MIT */
/* The table of built-in programs (programs/programs.h). */
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "programs/programs.h"

uint32_t cmd_main(void); /* programs/cmd/main.c */

static const struct {
    const char *name; /* without ".exe" */
    prog_main_fn main;
} prog_table[] = {
    {"cmd", cmd_main},
};

/* The index of the built-in a last path component names ("cmd", "CMD.EXE"), or -1. */
static int prog_lookup(const char *base, size_t n)
{
    if (n > 4 && strncasecmp(base + n - 4, ".exe", 4) == 0)
        n -= 4;
    for (size_t i = 0; i < sizeof prog_table / sizeof prog_table[0]; i++)
        if (strlen(prog_table[i].name) == n && strncasecmp(base, prog_table[i].name, n) == 0)
            return (int)i;
    return -1;
}

prog_main_fn prog_builtin_for(const char *path)
{
    if (!path)
        return NULL;
    const char *base = path;
    for (const char *s = path; *s; s++)
        if (*s == '/' || *s == '\\' || (s == path + 1 && *s == ':'))
            base = s + 1;
    int i = prog_lookup(base, strlen(base));
    return i < 0 ? NULL : prog_table[i].main;
}

int prog_is_builtin_name_w(const char16_t *name, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++)
        if (name[i] == '/' || name[i] == '\\' || (i == 1 && name[i] == ':'))
            start = i + 1;
    char base[16];
    size_t k = 0;
    for (size_t i = start; i < n; i++) {
        if (name[i] >= 0x80 || k + 1 >= sizeof base)
            return 0;
        base[k++] = (char)name[i];
    }
    base[k] = 0;
    return prog_lookup(base, k) >= 0;
}

size_t prog_count(void) { return sizeof prog_table / sizeof prog_table[0]; }

const char *prog_name(size_t i) { return i < prog_count() ? prog_table[i].name : NULL; }

/* ---- the stand-in file ---- */

#define PROG_STUB_SIZE 0x200
#define PROG_PE_OFFSET 0x80

static void prog_put16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void prog_put32(unsigned char *p, uint32_t v)
{
    prog_put16(p, (uint16_t)v);
    prog_put16(p + 2, (uint16_t)(v >> 16));
}

/* The headers of a PE32+ console program (AMD64) with no section: what tools that read a
 * program's header (its subsystem: SHGetFileInfo's SHGFI_EXETYPE, CreateProcess' MZ check)
 * expect of cmd.exe. Offsets below are from the start of IMAGE_NT_HEADERS64 (at 0x80). */
static void prog_stub_build(unsigned char *b)
{
    static const char note[] = "ntrun: a built-in program; ntrun runs it, Windows cannot.\r\n$";
    memset(b, 0, PROG_STUB_SIZE);
    b[0] = 'M', b[1] = 'Z';
    prog_put32(b + 0x3c, PROG_PE_OFFSET); /* e_lfanew */
    memcpy(b + 0x40, note, sizeof note - 1);
    unsigned char *nt = b + PROG_PE_OFFSET;
    memcpy(nt, "PE\0\0", 4);
    prog_put16(nt + 0x04, 0x8664); /* Machine: AMD64 */
    prog_put16(nt + 0x14, 0xf0);   /* SizeOfOptionalHeader */
    prog_put16(nt + 0x16, 0x0022); /* EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE */
    unsigned char *opt = nt + 0x18;
    prog_put16(opt + 0x00, 0x20b);        /* Magic: PE32+ */
    prog_put32(opt + 0x18, 0x40000000);   /* ImageBase 0x140000000 (64 bits at 0x18) */
    prog_put32(opt + 0x1c, 0x1);
    prog_put32(opt + 0x20, 0x1000);       /* SectionAlignment */
    prog_put32(opt + 0x24, 0x200);        /* FileAlignment */
    prog_put16(opt + 0x28, 6);            /* MajorOperatingSystemVersion */
    prog_put16(opt + 0x30, 6);            /* MajorSubsystemVersion */
    prog_put32(opt + 0x38, 0x1000);       /* SizeOfImage */
    prog_put32(opt + 0x3c, 0x200);        /* SizeOfHeaders */
    prog_put16(opt + 0x44, 3);            /* Subsystem: IMAGE_SUBSYSTEM_WINDOWS_CUI */
    prog_put16(opt + 0x46, 0x8160);       /* DllCharacteristics: HIGH_ENTROPY_VA, DYNAMIC_BASE,
                                           * NX_COMPAT, TERMINAL_SERVER_AWARE */
    prog_put32(opt + 0x48, 0x100000);     /* SizeOfStackReserve */
    prog_put32(opt + 0x50, 0x1000);       /* SizeOfStackCommit */
    prog_put32(opt + 0x58, 0x100000);     /* SizeOfHeapReserve */
    prog_put32(opt + 0x60, 0x1000);       /* SizeOfHeapCommit */
    prog_put32(opt + 0x6c, 16);           /* NumberOfRvaAndSizes */
}

static unsigned char prog_stub[PROG_STUB_SIZE];
static void prog_stub_init(void) { prog_stub_build(prog_stub); }

const unsigned char *prog_stub_image(size_t *len)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, prog_stub_init);
    *len = PROG_STUB_SIZE;
    return prog_stub;
}

int prog_is_stub_file(const char *unix_path)
{
    size_t len;
    const unsigned char *want = prog_stub_image(&len);
    int fd = open(unix_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    unsigned char got[PROG_STUB_SIZE + 1];
    ssize_t n = read(fd, got, sizeof got); /* one byte more: a longer file is no stub */
    close(fd);
    return n == (ssize_t)len && !memcmp(got, want, len);
}
