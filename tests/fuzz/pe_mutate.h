/* pe_mutate.h: a seeded, deterministic mutator of PE32+ images for the containment tests.
 *
 * pe_mutate(buf, &size, cap, seed, index, desc, desclen) damages a copy of a good image the way a
 * broken linker, a truncated download or a hostile file would: header fields (DOS, file and
 * optional header), the section table, the data directories, entries of the import, export,
 * base relocation, TLS and exception (.pdata) tables, the strings they point at, raw header
 * bytes, and truncation. Each mutant applies one to three mutations chosen from (seed, index)
 * alone, so mutant N of a run can be made again on its own (`mutation_check --only=N`), and
 * describes them in `desc` ("opt.AddressOfEntryPoint=0x0; truncate 4096"). Header-only: the
 * generator and the libFuzzer harness share it. */
#ifndef NTRUN_PE_MUTATE_H
#define NTRUN_PE_MUTATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct pm_rng {
    uint64_t s;
} pm_rng;

static inline uint64_t pm_next(pm_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull); /* splitmix64 */
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline uint32_t pm_below(pm_rng *r, uint32_t n) { return n ? (uint32_t)(pm_next(r) % n) : 0; }

/* What the mutator knows about the image it damages (re-read after every mutation). */
typedef struct pm_pe {
    uint8_t *buf;
    size_t size;
    size_t nt;      /* "PE\0\0" */
    size_t opt;     /* optional header */
    size_t sect;    /* section table */
    unsigned nsect; /* sections wholly inside the file */
    unsigned ndirs; /* data directories wholly inside the file */
    uint64_t image_base;
    uint32_t size_of_image;
} pm_pe;

static inline uint64_t pm_rd(const uint8_t *p, unsigned width)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < width; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static inline void pm_wr(uint8_t *p, unsigned width, uint64_t v)
{
    for (unsigned i = 0; i < width; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static inline bool pm_parse(pm_pe *pe, uint8_t *buf, size_t size)
{
    memset(pe, 0, sizeof *pe);
    pe->buf = buf;
    pe->size = size;
    if (size < 0x40)
        return false;
    pe->nt = (size_t)pm_rd(buf + 0x3c, 4);
    if (pe->nt > size || size - pe->nt < 24 + 112)
        return false;
    pe->opt = pe->nt + 24;
    pe->image_base = pm_rd(buf + pe->opt + 24, 8);
    pe->size_of_image = (uint32_t)pm_rd(buf + pe->opt + 56, 4);
    uint32_t ndirs = (uint32_t)pm_rd(buf + pe->opt + 108, 4);
    for (unsigned i = 0; i < ndirs && i < 16 && pe->opt + 112 + 8 * (i + 1) <= size; i++)
        pe->ndirs = i + 1;
    pe->sect = pe->opt + (size_t)pm_rd(buf + pe->nt + 20, 2);
    unsigned nsect = (unsigned)pm_rd(buf + pe->nt + 6, 2);
    for (unsigned i = 0; i < nsect && pe->sect + 40 * (size_t)(i + 1) <= size; i++)
        pe->nsect = i + 1;
    return true;
}

/* The file offset of `rva` and how many bytes of the file follow it there; SIZE_MAX if none. */
static inline size_t pm_rva_off(const pm_pe *pe, uint64_t rva, size_t *avail)
{
    for (unsigned i = 0; i < pe->nsect; i++) {
        const uint8_t *s = pe->buf + pe->sect + 40 * i;
        uint32_t va = (uint32_t)pm_rd(s + 12, 4), raw_size = (uint32_t)pm_rd(s + 16, 4);
        uint32_t raw = (uint32_t)pm_rd(s + 20, 4);
        if (rva >= va && rva - va < raw_size && (uint64_t)raw + (rva - va) < pe->size) {
            size_t off = (size_t)(raw + (rva - va));
            size_t left = raw_size - (size_t)(rva - va);
            if (left > pe->size - off)
                left = pe->size - off;
            if (avail)
                *avail = left;
            return off;
        }
    }
    return SIZE_MAX;
}

/* The file offset of data directory `index`'s data (at least `need` bytes of it), or SIZE_MAX. */
static inline size_t pm_dir_off(const pm_pe *pe, unsigned index, size_t need, size_t *avail)
{
    if (index >= pe->ndirs)
        return SIZE_MAX;
    uint32_t rva = (uint32_t)pm_rd(pe->buf + pe->opt + 112 + 8 * index, 4);
    size_t left = 0;
    size_t off = rva ? pm_rva_off(pe, rva, &left) : SIZE_MAX;
    if (off == SIZE_MAX || left < need)
        return SIZE_MAX;
    if (avail)
        *avail = left;
    return off;
}

static inline void pm_note(char *desc, size_t desclen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline void pm_note(char *desc, size_t desclen, const char *fmt, ...)
{
    size_t used = strlen(desc);
    if (used + 3 >= desclen)
        return;
    if (used) {
        memcpy(desc + used, "; ", 3);
        used += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(desc + used, desclen - used, fmt, ap);
    va_end(ap);
}

/* A value a field of `width` bytes that held `orig` is likely to break on. */
static inline uint64_t pm_value(pm_rng *r, const pm_pe *pe, uint64_t orig, unsigned width)
{
    uint64_t mask = width >= 8 ? ~0ull : (1ull << (8 * width)) - 1;
    uint64_t v;
    switch (pm_below(r, 14)) {
    case 0: v = 0; break;
    case 1: v = ~0ull; break;
    case 2: v = 1ull << (8 * width - 1); break;
    case 3: v = (1ull << (8 * width - 1)) - 1; break;
    case 4: v = orig + 1; break;
    case 5: v = orig - 1; break;
    case 6: v = orig ^ (1ull << pm_below(r, 8 * width)); break;
    case 7: v = pm_next(r); break;
    case 8: v = orig + ((uint64_t)pm_below(r, 64) - 32) * 0x1000; break;
    case 9: v = pe->size + pm_below(r, 3) - 1; break;
    case 10: v = pe->size_of_image + pm_below(r, 3) - 1; break;
    case 11: v = 0x4141414141414141ull; break;
    case 12: v = orig << (1 + pm_below(r, 12)); break;
    default: v = pe->image_base + pm_below(r, 0x20000); break;
    }
    return v & mask;
}

/* Sets the field at `off` (inside the file) to a bad value and notes it as `what`. */
static inline bool pm_field(pm_rng *r, pm_pe *pe, size_t off, unsigned width, const char *what,
                            char *desc, size_t desclen)
{
    if (off == SIZE_MAX || off > pe->size || pe->size - off < width)
        return false;
    uint64_t orig = pm_rd(pe->buf + off, width);
    uint64_t v = pm_value(r, pe, orig, width);
    pm_wr(pe->buf + off, width, v);
    pm_note(desc, desclen, "%s=0x%llx (was 0x%llx)", what, (unsigned long long)v,
            (unsigned long long)orig);
    return true;
}

/* A byte of a string the table at `off` points at: a bad character, a lost terminator, a path. */
static inline bool pm_string(pm_rng *r, pm_pe *pe, uint32_t rva, const char *what, char *desc,
                             size_t desclen)
{
    size_t left = 0;
    size_t off = pm_rva_off(pe, rva, &left);
    if (off == SIZE_MAX || left == 0)
        return false;
    size_t len = strnlen((const char *)pe->buf + off, left);
    static const uint8_t bad[] = {0, '/', '\\', '.', ':', '*', 0xff, 0x80, 'A', '%'};
    size_t at = off + pm_below(r, (uint32_t)(len < left ? len + 1 : len));
    uint8_t c = bad[pm_below(r, sizeof bad)];
    if (pm_below(r, 4) == 0 && len >= 2) { /* a path: "../x" over the first bytes */
        memcpy(pe->buf + off, "../", len >= 3 ? 3 : 2);
        pm_note(desc, desclen, "%s string \"../\" prefix", what);
        return true;
    }
    pe->buf[at] = c;
    pm_note(desc, desclen, "%s string[%zu]=0x%02x", what, at - off, c);
    return true;
}

static const struct pm_hdr_field {
    const char *name;
    unsigned base; /* 0: DOS, 1: file header (nt + 4), 2: optional header, 3: nt */
    unsigned off, width;
} pm_hdr_fields[] = {
    {"dos.e_magic", 0, 0, 2},
    {"dos.e_lfanew", 0, 0x3c, 4},
    {"nt.Signature", 3, 0, 4},
    {"file.Machine", 1, 0, 2},
    {"file.NumberOfSections", 1, 2, 2},
    {"file.SizeOfOptionalHeader", 1, 16, 2},
    {"file.Characteristics", 1, 18, 2},
    {"opt.Magic", 2, 0, 2},
    {"opt.SizeOfCode", 2, 4, 4},
    {"opt.AddressOfEntryPoint", 2, 16, 4},
    {"opt.BaseOfCode", 2, 20, 4},
    {"opt.ImageBase", 2, 24, 8},
    {"opt.SectionAlignment", 2, 32, 4},
    {"opt.FileAlignment", 2, 36, 4},
    {"opt.MajorSubsystemVersion", 2, 48, 2},
    {"opt.SizeOfImage", 2, 56, 4},
    {"opt.SizeOfHeaders", 2, 60, 4},
    {"opt.Subsystem", 2, 68, 2},
    {"opt.DllCharacteristics", 2, 70, 2},
    {"opt.SizeOfStackReserve", 2, 72, 8},
    {"opt.SizeOfStackCommit", 2, 80, 8},
    {"opt.SizeOfHeapReserve", 2, 88, 8},
    {"opt.LoaderFlags", 2, 104, 4},
    {"opt.NumberOfRvaAndSizes", 2, 108, 4},
};

static inline bool pm_mut_header(pm_rng *r, pm_pe *pe, char *desc, size_t desclen)
{
    const struct pm_hdr_field *f =
        &pm_hdr_fields[pm_below(r, sizeof pm_hdr_fields / sizeof pm_hdr_fields[0])];
    size_t base = f->base == 0 ? 0 : f->base == 1 ? pe->nt + 4 : f->base == 2 ? pe->opt : pe->nt;
    return pm_field(r, pe, base + f->off, f->width, f->name, desc, desclen);
}

static inline bool pm_mut_section(pm_rng *r, pm_pe *pe, char *desc, size_t desclen)
{
    static const struct { const char *name; unsigned off, width; } f[] = {
        {"VirtualSize", 8, 4},      {"VirtualAddress", 12, 4},  {"SizeOfRawData", 16, 4},
        {"PointerToRawData", 20, 4}, {"Characteristics", 36, 4}, {"Name", 0, 8},
    };
    if (!pe->nsect)
        return false;
    unsigned s = pm_below(r, pe->nsect), k = pm_below(r, 6);
    char what[48];
    snprintf(what, sizeof what, "section[%u].%s", s, f[k].name);
    return pm_field(r, pe, pe->sect + 40 * s + f[k].off, f[k].width, what, desc, desclen);
}

static inline bool pm_mut_dir(pm_rng *r, pm_pe *pe, char *desc, size_t desclen)
{
    if (!pe->ndirs)
        return false;
    /* Mostly the directories the loader reads: export, import, exception, reloc, TLS, IAT. */
    static const unsigned pick[] = {0, 1, 3, 5, 9, 12, 10, 2, 6};
    unsigned d = pick[pm_below(r, sizeof pick / sizeof pick[0])];
    if (d >= pe->ndirs)
        d = pm_below(r, pe->ndirs);
    unsigned sz = pm_below(r, 2);
    char what[48];
    snprintf(what, sizeof what, "dir[%u].%s", d, sz ? "Size" : "VirtualAddress");
    return pm_field(r, pe, pe->opt + 112 + 8 * d + 4 * sz, 4, what, desc, desclen);
}

static inline bool pm_mut_import(pm_rng *r, pm_pe *pe, char *desc, size_t desclen)
{
    size_t left = 0;
    size_t off = pm_dir_off(pe, 1, 20, &left);
    if (off == SIZE_MAX)
        return false;
    unsigned n = 0; /* descriptors before the terminator */
    while ((size_t)(n + 1) * 20 <= left && pm_rd(pe->buf + off + 20 * n + 12, 4) != 0)
        n++;
    unsigned d = pm_below(r, n + 1);
    size_t desc_off = off + 20 * (size_t)d;
    if (desc_off + 20 > off + left)
        return false;
    char what[64];
    switch (d < n ? pm_below(r, 4) : 0) {
    case 0: { /* a descriptor field */
        static const char *names[] = {"OriginalFirstThunk", "TimeDateStamp", "ForwarderChain",
                                      "Name", "FirstThunk"};
        unsigned k = pm_below(r, 5);
        snprintf(what, sizeof what, "import[%u].%s", d, names[k]);
        return pm_field(r, pe, desc_off + 4 * k, 4, what, desc, desclen);
    }
    case 1: /* the DLL name */
        snprintf(what, sizeof what, "import[%u].Name", d);
        return pm_string(r, pe, (uint32_t)pm_rd(pe->buf + desc_off + 12, 4), what, desc, desclen);
    default: { /* an entry of the lookup table (or the IAT), or the name it points at */
        bool iat = pm_below(r, 3) == 0;
        uint32_t tab = (uint32_t)pm_rd(pe->buf + desc_off + (iat ? 16 : 0), 4);
        size_t tleft = 0;
        size_t toff = tab ? pm_rva_off(pe, tab, &tleft) : SIZE_MAX;
        if (toff == SIZE_MAX || tleft < 8)
            return false;
        unsigned m = 0;
        while ((size_t)(m + 1) * 8 <= tleft && pm_rd(pe->buf + toff + 8 * m, 8) != 0)
            m++;
        unsigned e = pm_below(r, m + 1);
        if ((size_t)(e + 1) * 8 > tleft)
            return false;
        uint64_t entry = pm_rd(pe->buf + toff + 8 * e, 8);
        if (e < m && !(entry >> 63) && pm_below(r, 2)) {
            snprintf(what, sizeof what, "import[%u].thunk[%u] hint/name", d, e);
            return pm_string(r, pe, (uint32_t)entry + 2, what, desc, desclen);
        }
        snprintf(what, sizeof what, "import[%u].%s[%u]", d, iat ? "iat" : "thunk", e);
        if (pm_below(r, 3) == 0) { /* by ordinal */
            uint64_t v = 1ull << 63 | pm_below(r, 0x10000);
            pm_wr(pe->buf + toff + 8 * e, 8, v);
            pm_note(desc, desclen, "%s=ordinal %u", what, (unsigned)(v & 0xffff));
            return true;
        }
        return pm_field(r, pe, toff + 8 * e, 8, what, desc, desclen);
    }
    }
}

static inline bool pm_mut_export(pm_rng *r, pm_pe *pe, char *desc, size_t desclen)
{
    size_t left = 0;
    size_t off = pm_dir_off(pe, 0, 40, &left);
    if (off == SIZE_MAX)
        return false;
    uint8_t *ed = pe->buf + off;
    uint32_t nfuncs = (uint32_t)pm_rd(ed + 20, 4), nnames = (uint32_t)pm_rd(ed + 24, 4);
    char what[64];
    switch (pm_below(r, 5)) {
    case 0: {
        static const struct { const char *name; unsigned off; } f[] = {
            {"Name", 12}, {"Base", 16}, {"NumberOfFunctions", 20}, {"NumberOfNames", 24},
            {"AddressOfFunctions", 28}, {"AddressOfNames", 32}, {"AddressOfNameOrdinals", 36},
        };
        unsigned k = pm_below(r, 7);
        snprintf(what, sizeof what, "export.%s", f[k].name);
        return pm_field(r, pe, off + f[k].off, 4, what, desc, desclen);
    }
    case 1: { /* a function RVA: garbage, or into the directory (a forwarder string) */
        size_t fl = 0;
        size_t fo = nfuncs ? pm_rva_off(pe, (uint32_t)pm_rd(ed + 28, 4), &fl) : SIZE_MAX;
        if (fo == SIZE_MAX)
            return false;
        unsigned i = pm_below(r, nfuncs);
        if ((size_t)(i + 1) * 4 > fl)
            return false;
        snprintf(what, sizeof what, "export.function[%u]", i);
        if (pm_below(r, 3) == 0) {
            uint32_t v = (uint32_t)pm_rd(pe->buf + pe->opt + 112, 4) + pm_below(r, 40);
            pm_wr(pe->buf + fo + 4 * i, 4, v);
            pm_note(desc, desclen, "%s=0x%x (inside the directory: a forwarder)", what, v);
            return true;
        }
        return pm_field(r, pe, fo + 4 * i, 4, what, desc, desclen);
    }
    case 2: { /* a name ordinal */
        size_t ol = 0;
        size_t oo = nnames ? pm_rva_off(pe, (uint32_t)pm_rd(ed + 36, 4), &ol) : SIZE_MAX;
        unsigned i = pm_below(r, nnames);
        if (oo == SIZE_MAX || (size_t)(i + 1) * 2 > ol)
            return false;
        snprintf(what, sizeof what, "export.ordinal[%u]", i);
        return pm_field(r, pe, oo + 2 * i, 2, what, desc, desclen);
    }
    default: { /* a name RVA or the name */
        size_t nl = 0;
        size_t no = nnames ? pm_rva_off(pe, (uint32_t)pm_rd(ed + 32, 4), &nl) : SIZE_MAX;
        unsigned i = pm_below(r, nnames);
        if (no == SIZE_MAX || (size_t)(i + 1) * 4 > nl)
            return false;
        snprintf(what, sizeof what, "export.name[%u]", i);
        if (pm_below(r, 2))
            return pm_string(r, pe, (uint32_t)pm_rd(pe->buf + no + 4 * i, 4), what, desc, desclen);
        return pm_field(r, pe, no + 4 * i, 4, what, desc, desclen);
    }
    }
}

static inline bool pm_mut_reloc(pm_rng *r, pm_pe *pe, char *desc, size_t desclen)
{
    size_t left = 0;
    size_t off = pm_dir_off(pe, 5, 8, &left);
    if (off == SIZE_MAX)
        return false;
    /* Blocks: pick one of the first few. */
    unsigned want = pm_below(r, 8), b = 0;
    size_t at = 0;
    while (b < want && at + 8 <= left) {
        uint32_t bs = (uint32_t)pm_rd(pe->buf + off + at + 4, 4);
        if (bs < 8 || at + bs + 8 > left)
            break;
        at += bs;
        b++;
    }
    uint32_t bsize = (uint32_t)pm_rd(pe->buf + off + at + 4, 4);
    char what[64];
    if (pm_below(r, 2) == 0 || bsize <= 8 || at + bsize > left) {
        unsigned k = pm_below(r, 2);
        snprintf(what, sizeof what, "reloc.block[%u].%s", b, k ? "SizeOfBlock" : "VirtualAddress");
        return pm_field(r, pe, off + at + 4 * k, 4, what, desc, desclen);
    }
    unsigned e = pm_below(r, (bsize - 8) / 2);
    size_t eo = off + at + 8 + 2 * (size_t)e;
    uint16_t old = (uint16_t)pm_rd(pe->buf + eo, 2), v;
    switch (pm_below(r, 3)) {
    case 0: v = (uint16_t)(old & 0xf000) | 0x0fff; break;                 /* off the page */
    case 1: v = (uint16_t)(pm_below(r, 16) << 12 | (old & 0x0fff)); break; /* another type */
    default: v = (uint16_t)pm_next(r); break;
    }
    pm_wr(pe->buf + eo, 2, v);
    pm_note(desc, desclen, "reloc.block[%u].entry[%u]=0x%04x (was 0x%04x)", b, e, v, old);
    return true;
}

static inline bool pm_mut_tls(pm_rng *r, pm_pe *pe, char *desc, size_t desclen)
{
    size_t off = pm_dir_off(pe, 9, 40, NULL);
    if (off == SIZE_MAX)
        return false;
    if (pm_below(r, 2)) {
        static const struct { const char *name; unsigned off, width; } f[] = {
            {"StartAddressOfRawData", 0, 8}, {"EndAddressOfRawData", 8, 8},
            {"AddressOfIndex", 16, 8},       {"AddressOfCallBacks", 24, 8},
            {"SizeOfZeroFill", 32, 4},       {"Characteristics", 36, 4},
        };
        unsigned k = pm_below(r, 6);
        char what[48];
        snprintf(what, sizeof what, "tls.%s", f[k].name);
        return pm_field(r, pe, off + f[k].off, f[k].width, what, desc, desclen);
    }
    uint64_t cb = pm_rd(pe->buf + off + 24, 8);
    size_t cl = 0;
    size_t co = cb > pe->image_base ? pm_rva_off(pe, cb - pe->image_base, &cl) : SIZE_MAX;
    if (co == SIZE_MAX || cl < 8)
        return false;
    unsigned m = 0;
    while ((size_t)(m + 1) * 8 <= cl && pm_rd(pe->buf + co + 8 * m, 8) != 0)
        m++;
    unsigned e = pm_below(r, m + 1);
    if ((size_t)(e + 1) * 8 > cl)
        return false;
    char what[48];
    snprintf(what, sizeof what, "tls.callback[%u]", e);
    return pm_field(r, pe, co + 8 * e, 8, what, desc, desclen);
}

static inline bool pm_mut_pdata(pm_rng *r, pm_pe *pe, char *desc, size_t desclen)
{
    size_t left = 0;
    size_t off = pm_dir_off(pe, 3, 12, &left);
    if (off == SIZE_MAX)
        return false;
    unsigned i = pm_below(r, (uint32_t)(left / 12 < 4096 ? left / 12 : 4096));
    static const char *names[] = {"BeginAddress", "EndAddress", "UnwindData"};
    unsigned k = pm_below(r, 3);
    char what[48];
    snprintf(what, sizeof what, "pdata[%u].%s", i, names[k]);
    return pm_field(r, pe, off + 12 * (size_t)i + 4 * k, 4, what, desc, desclen);
}

static inline bool pm_mut_bytes(pm_rng *r, pm_pe *pe, char *desc, size_t desclen)
{
    size_t span = pe->size < 0x400 ? pe->size : 0x400;
    unsigned n = 1 + pm_below(r, 8);
    for (unsigned i = 0; i < n; i++)
        pe->buf[pm_below(r, (uint32_t)span)] ^= (uint8_t)(1 + pm_below(r, 255));
    pm_note(desc, desclen, "%u header bytes changed", n);
    return true;
}

static inline bool pm_mut_truncate(pm_rng *r, pm_pe *pe, char *desc, size_t desclen)
{
    size_t to;
    switch (pm_below(r, 4)) {
    case 0: to = pm_below(r, (uint32_t)(pe->sect + 40 * pe->nsect + 1)); break; /* headers */
    case 1: { /* at or near a section's raw end */
        if (!pe->nsect)
            return false;
        const uint8_t *s = pe->buf + pe->sect + 40 * pm_below(r, pe->nsect);
        to = (size_t)(pm_rd(s + 20, 4) + pm_rd(s + 16, 4)) - pm_below(r, 64);
        break;
    }
    default: to = pm_below(r, (uint32_t)pe->size); break;
    }
    if (to >= pe->size)
        return false;
    pm_note(desc, desclen, "truncate %zu of %zu", to, pe->size);
    pe->size = to;
    return true;
}

/* Damages buf[0..*size) in place (the size may shrink); desc says how. The same (seed, index)
 * always gives the same mutant of the same input. */
static inline void pe_mutate(uint8_t *buf, size_t *size, uint64_t seed, uint64_t index, char *desc,
                             size_t desclen)
{
    pm_rng r = {seed * 0x100000001B3ull ^ (index + 1) * 0x9E3779B97F4A7C15ull};
    pm_next(&r);
    desc[0] = 0;
    typedef bool (*mut_fn)(pm_rng *, pm_pe *, char *, size_t);
    static const mut_fn kinds[] = {
        pm_mut_header, pm_mut_section, pm_mut_dir, pm_mut_import, pm_mut_import, pm_mut_export,
        pm_mut_export, pm_mut_reloc, pm_mut_reloc, pm_mut_tls, pm_mut_tls, pm_mut_pdata,
        pm_mut_bytes, pm_mut_truncate,
    };
    unsigned n = 1 + pm_below(&r, 3);
    for (unsigned i = 0; i < n; i++) {
        pm_pe pe;
        if (!pm_parse(&pe, buf, *size)) {
            if (*size) { /* damaged beyond the parser: a byte of what is left */
                buf[pm_below(&r, (uint32_t)*size)] ^= 0x5a;
                pm_note(desc, desclen, "1 byte changed");
            }
            continue;
        }
        /* A kind that finds nothing to damage (a DLL without TLS) falls back to the headers. */
        unsigned tries = 0;
        while (!kinds[pm_below(&r, sizeof kinds / sizeof kinds[0])](&r, &pe, desc, desclen))
            if (++tries == 4) {
                pm_mut_header(&r, &pe, desc, desclen);
                break;
            }
        *size = pe.size;
    }
}

#endif
