/* SPDX-License-Identifier: MIT */
/* Mapping a parsed PE32+ image: reserving it at its preferred base (else at a 64K-aligned
 * address anywhere), copying headers and sections (large page-aligned ones mapped from the
 * file instead), applying base relocations (DIR64 and ABSOLUTE, every block validated before
 * anything is patched), and the final per-section protections. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include "loader/loader_private.h"
#include "ntemu/ntemu.h"
#include "runtime/runtime.h"

#define LDR_BASE_GRANULARITY 0x10000u   /* Windows' allocation granularity */
#define LDR_USER_SPACE_END 0x7ffffffff000ull

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

/* DWARF left in the image (mingw-w64 links ~200 KB of .debug_* sections into every program):
 * read-only, on pages of its own — left PROT_NONE and filled from the file on first access
 * (runtime/lazy.c) instead of copied, unless a base relocation has to write into it. Windows
 * maps sections on demand too; the program itself never reads its DWARF in normal operation
 * (debuggers read the file). */
static bool section_dwarf(const ldr_pe *pe, const ldr_image *img, const ldr_section *s)
{
    return s->raw_size && strncmp(s->name, ".debug_", 7) == 0 &&
           !(s->characteristics & (IMAGE_SCN_MEM_WRITE | IMAGE_SCN_MEM_EXECUTE)) &&
           pe->section_alignment >= LDR_PAGE_SIZE && s->vaddr % LDR_PAGE_SIZE == 0 &&
           s->vaddr < img->size;
}

/* The section holding the base relocation blocks (".reloc"), in an image at its preferred base:
 * left PROT_NONE and filled on first access like the DWARF. There the blocks are only
 * validated (ldr_relocate_image), from the file, and nothing else reads them in normal
 * operation: hello.exe's page was copied, made present and then read-only (an mprotect that
 * split the mapping and flushed the page) for that one read. Only a read-only section whose
 * raw data holds the whole directory and that holds no other data directory qualifies. */
static bool section_reloc_lazy(const ldr_pe *pe, const ldr_image *img, const ldr_section *s)
{
    const IMAGE_DATA_DIRECTORY *d = &pe->dirs[IMAGE_DIRECTORY_ENTRY_BASERELOC];
    if (!img->at_preferred_base || img->cached || !d->VirtualAddress || !d->Size ||
        !s->raw_size || (s->characteristics & (IMAGE_SCN_MEM_WRITE | IMAGE_SCN_MEM_EXECUTE)) ||
        pe->section_alignment < LDR_PAGE_SIZE || s->vaddr % LDR_PAGE_SIZE || s->vaddr >= img->size)
        return false;
    uint64_t data_end = (uint64_t)s->vaddr + (s->raw_size < s->vsize ? s->raw_size : s->vsize);
    uint64_t end = s->vaddr + align_up(s->vsize, LDR_PAGE_SIZE);
    if (d->VirtualAddress < s->vaddr || (uint64_t)d->VirtualAddress + d->Size > data_end)
        return false;
    if (pe->entry_rva >= s->vaddr && pe->entry_rva < end)
        return false;
    for (unsigned i = 0; i < IMAGE_NUMBEROF_DIRECTORY_ENTRIES; i++) {
        const IMAGE_DATA_DIRECTORY *o = &pe->dirs[i];
        /* the security directory's "address" is a file offset */
        if (i == IMAGE_DIRECTORY_ENTRY_BASERELOC || i == IMAGE_DIRECTORY_ENTRY_SECURITY ||
            !o->VirtualAddress)
            continue;
        if (o->VirtualAddress < end && (uint64_t)o->VirtualAddress + (o->Size ? o->Size : 1) >
                                           s->vaddr)
            return false;
    }
    return true;
}

/* Does the loader read or write the relocation section s between the copies and
 * ldr_protect_image, where its pages are still zero? Binding the imports reads the descriptors,
 * the DLL names, both thunk arrays and the hint/name entries, and writes the address table;
 * ldr_tls_setup reads the TLS directory and its callback array and writes the index. Walked as
 * those walk them (a table that ends in a DWARF section left for later ends there for them
 * too); anything in s, or a name running into it, says yes. */
static bool reloc_section_read_at_load(const ldr_pe *pe, const ldr_image *img,
                                       const ldr_section *s)
{
    const uint8_t *image = img->base;
    uint64_t size = img->size_of_image;
    uint64_t lo = s->vaddr, hi = s->vaddr + align_up(s->vsize, LDR_PAGE_SIZE);
#define RELOC_HITS(rva, len) ((uint64_t)(rva) < hi && (uint64_t)(rva) + (uint64_t)(len) > lo)
#define RELOC_NAME_HITS(rva)                                                                    \
    ((uint64_t)(rva) < size &&                                                                  \
     (RELOC_HITS(rva, 1) || ((uint64_t)(rva) < lo && !memchr(image + (rva), 0, lo - (rva)))))
    const IMAGE_DATA_DIRECTORY *d = &pe->dirs[IMAGE_DIRECTORY_ENTRY_IMPORT];
    IMAGE_IMPORT_DESCRIPTOR desc;
    for (uint64_t off = d->VirtualAddress; d->VirtualAddress && off + sizeof desc <= size;
         off += sizeof desc) {
        if (RELOC_HITS(off, sizeof desc))
            return true;
        memcpy(&desc, image + off, sizeof desc);
        if (!desc.Name || !desc.FirstThunk)
            break;
        if (RELOC_NAME_HITS(desc.Name))
            return true;
        uint64_t int_rva = desc.OriginalFirstThunk ? desc.OriginalFirstThunk : desc.FirstThunk;
        for (uint64_t j = 0; int_rva + 8 * j + 8 <= size && desc.FirstThunk + 8 * j + 8 <= size;
             j++) {
            if (RELOC_HITS(int_rva + 8 * j, 8) || RELOC_HITS(desc.FirstThunk + 8 * j, 8))
                return true;
            uint64_t e;
            memcpy(&e, image + int_rva + 8 * j, 8);
            if (!e)
                break;
            if (!(e & IMAGE_ORDINAL_FLAG64) && (RELOC_HITS(e & 0x7fffffff, 2) ||
                                                RELOC_NAME_HITS((e & 0x7fffffff) + 2)))
                return true;
        }
    }
    d = &pe->dirs[IMAGE_DIRECTORY_ENTRY_TLS];
    if (d->VirtualAddress && (uint64_t)d->VirtualAddress + sizeof(IMAGE_TLS_DIRECTORY64) <= size) {
        IMAGE_TLS_DIRECTORY64 t;
        if (RELOC_HITS(d->VirtualAddress, sizeof t))
            return true;
        memcpy(&t, image + d->VirtualAddress, sizeof t);
        uint64_t base = pe->image_base; /* at the preferred base: VAs are base + RVA */
        if (t.AddressOfIndex && RELOC_HITS(t.AddressOfIndex - base, 4))
            return true;
        for (uint64_t i = 0; t.AddressOfCallBacks && i < LDR_TLS_MAX_CALLBACKS; i++) {
            uint64_t slot = t.AddressOfCallBacks - base + 8 * i;
            if (slot + 8 > size || slot + 8 < slot)
                break;
            if (RELOC_HITS(slot, 8))
                return true;
            uint64_t cb;
            memcpy(&cb, image + slot, 8);
            if (!cb)
                break;
        }
    }
    return false;
#undef RELOC_NAME_HITS
#undef RELOC_HITS
}

static bool section_lazy(const ldr_pe *pe, const ldr_image *img, const ldr_section *s)
{
    return (img->lazy_ok && section_dwarf(pe, img, s)) ||
           (img->reloc_lazy && s == &pe->sections[img->reloc_lazy - 1]);
}

/* Can the DWARF sections be left to be filled on first access? Not when a base relocation
 * block (read from the image, where .reloc has been copied) patches a page of one while the
 * image moves, nor when the relocation directory itself lies in one (ldr_relocate_image reads
 * the blocks before those pages are filled, moved or not). Anything malformed counts as no
 * (ldr_relocate_image reports it). */
static bool relocs_touch_dwarf(const ldr_pe *pe, const ldr_image *img)
{
    const IMAGE_DATA_DIRECTORY *d = &pe->dirs[IMAGE_DIRECTORY_ENTRY_BASERELOC];
    if (!d->VirtualAddress || !d->Size || (pe->characteristics & IMAGE_FILE_RELOCS_STRIPPED))
        return false;
    if (d->VirtualAddress > img->size || d->Size > img->size - d->VirtualAddress)
        return true;
    for (uint32_t i = 0; i < pe->nsections; i++) {
        const ldr_section *s = &pe->sections[i];
        if (section_dwarf(pe, img, s) &&
            d->VirtualAddress < s->vaddr + align_up(s->vsize, LDR_PAGE_SIZE) &&
            (uint64_t)d->VirtualAddress + d->Size > s->vaddr)
            return true;
    }
    if (img->at_preferred_base)
        return false;
    for (uint32_t off = 0; off + 8 <= d->Size;) {
        uint32_t page, size;
        memcpy(&page, img->base + d->VirtualAddress + off, 4);
        memcpy(&size, img->base + d->VirtualAddress + off + 4, 4);
        if (size < 8 || size > d->Size - off)
            return true;
        for (uint32_t i = 0; i < pe->nsections; i++) {
            const ldr_section *s = &pe->sections[i];
            if (section_dwarf(pe, img, s) && page + LDR_PAGE_SIZE > s->vaddr &&
                page < s->vaddr + align_up(s->vsize, LDR_PAGE_SIZE))
                return true;
        }
        off += size;
    }
    return false;
}

/* A read-write anonymous mapping of `size` bytes at a 64K-aligned address (in the foreign range
 * under --sud=inclusive), or MAP_FAILED. */
static void *map_anywhere(size_t size)
{
    return rt_foreign_mmap(size, PROT_READ | PROT_WRITE, 0, LDR_BASE_GRANULARITY);
}

/* NTRUN_RELOCATE=always: every image is mapped away from its preferred base and relocated, as
 * Windows does under ASLR and as the sanitizer build does (ASan's shadow gap holds the usual
 * bases), so that a Release run meets what only a moved image meets (a damaged relocation
 * entry's effect; docs/testing.md, the mutation check). A relocation-stripped image is then
 * refused. Read once (the loader's runs in one process all see the same). */
static bool relocate_always(void)
{
    static int on = -1;
    if (on < 0) {
        const char *v = getenv("NTRUN_RELOCATE");
        on = v && strcmp(v, "always") == 0;
    }
    return on;
}

/* Sections with at least this much raw data in whole pages are mapped from the file when they
 * can be (section_file_bytes). */
#define LDR_FILE_MAP_MIN (64u << 10)
/* A run of pages to copy at least this long is backed by huge pages when it can be. */
#define LDR_HUGE_COPY_MIN (4u << 20)
/* A writable section's zero tail populated with the copies up to this size (prefault_copies). */
#define LDR_PREFAULT_ZERO_MAX (16u * 1024)

/* How ldr_map_image_at may map sections from the file: not at all (no descriptor, or sections
 * that share pages), or all but executable ones (a file system mounted noexec refuses
 * PROT_EXEC for its files' mappings, which ldr_protect_image would ask for). */
typedef struct file_map_plan {
    const ldr_pe *pe;
    bool ok;
    int exec_ok; /* -1: not asked yet (hello.exe has no section to map: no fstatvfs) */
} file_map_plan;

static file_map_plan file_map_plan_of(const ldr_pe *pe)
{
    return (file_map_plan){pe, pe->file_fd >= 0 && pe->section_alignment >= LDR_PAGE_SIZE, -1};
}

static bool file_map_exec_ok(file_map_plan *p)
{
    if (p->exec_ok < 0) {
        struct statvfs vfs;
        p->exec_ok = fstatvfs(p->pe->file_fd, &vfs) == 0 && !(vfs.f_flag & ST_NOEXEC);
    }
    return p->exec_ok;
}

/* The bytes at the start of section s that ldr_map_image_at maps from the file (whole pages,
 * private: copy-on-write, as Windows maps an image's pages; the program's writes stay its own
 * and never reach the file), 0 for a section copied whole. Only a section whose address and
 * file offset are both page-aligned can be: mmap maps whole pages at page-aligned offsets
 * (MSVC and GNU ld align raw data to 512 bytes by default, which such images fail; GraalVM's
 * and Go's use 4 KB). The last partial page is copied, so the rest of that page stays zero as
 * Windows leaves it. Relocations write into such pages as into copied ones (each written page
 * becomes private). raw_size never reaches past the section's aligned extent (ldr_pe_parse). */
static size_t section_file_bytes(file_map_plan *plan, const ldr_section *s)
{
    size_t n = s->raw_size & ~(size_t)(LDR_PAGE_SIZE - 1);
    if (!plan->ok || n < LDR_FILE_MAP_MIN || ((s->vaddr | s->raw_offset) & (LDR_PAGE_SIZE - 1)) ||
        ((s->characteristics & IMAGE_SCN_MEM_EXECUTE) && !file_map_exec_ok(plan)))
        return 0;
    return n;
}

/* The pages the copies of one pass (headers and sections, see ldr_map_image_at) will write,
 * populated beforehand in runs of adjacent pages: one madvise instead of a write fault per page
 * (~17 us each on the project's VM, ~11 us populated; docs/performance.md, seventh pass).
 * Best effort: a kernel without MADV_POPULATE_WRITE (< 5.14) takes the faults. Pages mapped
 * from the file are left alone. */
static void prefault_copies(const ldr_pe *pe, const ldr_image *img, int pass, size_t hdr,
                            file_map_plan *plan)
{
    size_t run_a = 0, run_b = pass == 0 ? (size_t)align_up(hdr, LDR_PAGE_SIZE) : 0;
    for (uint32_t i = 0; i <= pe->nsections; i++) {
        size_t a = 0, b = 0;
        if (i < pe->nsections) {
            const ldr_section *s = &pe->sections[i];
            /* A small writable zero tail (.bss: the CRT's start-up variables, the TLS index
             * the loader writes) goes with the copies: its pages are written at start, one
             * fault each, and it joins the runs around it (docs/performance.md, twenty-first
             * pass). A large one is left to fault in as the program uses it. */
            size_t zero_end = 0;
            if (pass == 0 && (s->characteristics & IMAGE_SCN_MEM_WRITE) &&
                s->vsize > s->raw_size && s->vsize - s->raw_size <= LDR_PREFAULT_ZERO_MAX)
                zero_end = (size_t)s->vaddr + s->vsize;
            if ((!s->raw_size && !zero_end) || section_dwarf(pe, img, s) != (pass == 1) ||
                section_lazy(pe, img, s))
                continue;
            a = (s->vaddr + section_file_bytes(plan, s)) & ~(size_t)(LDR_PAGE_SIZE - 1);
            b = (size_t)align_up((uint64_t)s->vaddr + s->raw_size, LDR_PAGE_SIZE);
            if (zero_end > b)
                b = (size_t)align_up(zero_end, LDR_PAGE_SIZE);
            if (a >= b)
                continue;
            if (b > img->size)
                b = img->size;
            if (a >= run_a && a <= run_b) { /* adjacent or overlapping: one run */
                if (b > run_b)
                    run_b = b;
                continue;
            }
        }
        if (run_b > run_a) {
            /* Megabytes to copy (node.exe: 98 MB): in huge pages where the kernel has them
             * (transparent_hugepage "madvise" or "always"), 2 MB a fault instead of 4 KB */
            if (run_b - run_a >= LDR_HUGE_COPY_MIN)
                madvise(img->base + run_a, run_b - run_a, MADV_HUGEPAGE);
            madvise(img->base + run_a, run_b - run_a, MADV_POPULATE_WRITE);
        }
        run_a = a;
        run_b = b;
    }
}

/* The image cache's entry fd (its first `size` bytes the image laid out at its preferred
 * base) mapped private at base, read-write as ldr_map_image_at leaves an image (ldr_protect_image
 * gives the protections): 0, or -1 with nothing mapped. Nothing is populated: the pages are the
 * page cache's until written (each write makes a copy), the DWARF is read-only file pages (no
 * lazy fill) and a page the program never touches costs nothing. Populating (the writable pages,
 * then all below the DWARF) gained nothing on hello.exe and cost a 14 MB program ~35% of its
 * start (docs/performance.md, twenty-fourth pass). Nothing is mapped over anything
 * (MAP_FIXED_NOREPLACE): a base in use takes today's path, which relocates. */
static int map_cached(const ldr_pe *pe, uint8_t *base, size_t size, int fd)
{
    void *p = mmap(base, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 0);
    if (p != base) {
        if (p != MAP_FAILED)
            munmap(p, size); /* a kernel without MAP_FIXED_NOREPLACE placed it elsewhere */
        return -1;
    }
    if (!ldr_image_cache_check(pe, base, size)) {
        munmap(base, size);
        return -1;
    }
    return 0;
}

/* Maps len bytes of the file at offset off over the image's anonymous pages at `at`, private
 * and writable (ldr_protect_image sets the section's protection later). 0; 1 with the range
 * anonymous and zero again (a failed MAP_FIXED may have unmapped it already): the caller
 * copies the section instead; -1 (errno set) when not even that could be mapped. */
static int map_from_file(const ldr_pe *pe, uint8_t *at, size_t len, uint32_t off)
{
    if (mmap(at, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, pe->file_fd,
             (off_t)off) == at)
        return 0;
    if (mmap(at, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
        at)
        return 1;
    return -1;
}

/* Copies len bytes of the file at offset off to `to`. A large copy is read from the
 * descriptor: the kernel copies from the page cache, where a memcpy from pe->file would fault
 * the file's pages into this process first (a 64 KB fault-around each, and all of them counted
 * in its RSS while the image loads). Node.js's 104 MB node.exe, whose sections are 512-byte
 * aligned in the file and so cannot be mapped, is loaded this way. */
static void copy_section(const ldr_pe *pe, uint8_t *to, uint32_t off, size_t len)
{
    size_t done = 0;
    if (pe->file_fd >= 0 && len >= LDR_FILE_MAP_MIN) {
        while (done < len) {
            ssize_t n = pread(pe->file_fd, to + done, len - done, (off_t)off + (off_t)done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break; /* the rest from the mapping (a file cut short faults there as before) */
            done += (size_t)n;
        }
    }
    memcpy(to + done, pe->file + off + done, len - done);
}

int ldr_map_image(const ldr_pe *pe, const char *name, ldr_image *img, char *err, size_t errlen)
{
    return ldr_map_image_at(pe, name, 0, img, err, errlen);
}

int ldr_map_image_at(const ldr_pe *pe, const char *name, uint64_t at, ldr_image *img, char *err,
                     size_t errlen)
{
    memset(img, 0, sizeof *img);
    size_t size = (size_t)align_up(pe->size_of_image, LDR_PAGE_SIZE);
    uint8_t *base = MAP_FAILED;
    uint64_t want = at ? at : pe->image_base;
    /* --sud=inclusive: an image outside the foreign range is relocated into it */
    bool in_range = rt_foreign_range_has((uintptr_t)want, (uintptr_t)(want + size));
    if (!in_range && at) {
        ldr_errf(err, errlen, "cannot be mapped at 0x%llx: outside the range that holds foreign "
                 "code under --sud=inclusive", (unsigned long long)at);
        return -1;
    }
    bool move = !at && relocate_always();
    if (move && (pe->characteristics & IMAGE_FILE_RELOCS_STRIPPED)) {
        ldr_errf(err, errlen, "cannot be loaded away from its preferred base 0x%llx "
                 "(NTRUN_RELOCATE=always): its relocations are stripped",
                 (unsigned long long)want);
        return -1;
    }
    if (!in_range && (pe->characteristics & IMAGE_FILE_RELOCS_STRIPPED)) {
        ldr_errf(err, errlen, "cannot be loaded at its preferred base 0x%llx: outside the range "
                 "that holds foreign code under --sud=inclusive (0x%lx-0x%lx), and its relocations "
                 "are stripped", (unsigned long long)want, (unsigned long)RT_FOREIGN_START,
                 (unsigned long)RT_FOREIGN_END);
        return -1;
    }
    bool cached = false;
    if (!move && !at && in_range && want && want + size > want &&
        want + size <= LDR_USER_SPACE_END && pe->file_st_valid) {
        /* the program's image from the cache of laid-out images (image_cache.c) */
        int fd = ldr_image_cache_open(pe, size);
        if (fd >= 0) {
            cached = map_cached(pe, (uint8_t *)(uintptr_t)want, size, fd) == 0;
            if (cached)
                base = (uint8_t *)(uintptr_t)want;
            close(fd);
        } else if (fd == -ENOENT) {
            ldr_image_cache_store(pe, size);
        }
    }
    if (!cached && !move && in_range && want && want + size > want &&
        want + size <= LDR_USER_SPACE_END) {
        void *p = mmap((void *)(uintptr_t)want, size, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (p == (void *)(uintptr_t)want)
            base = p;
        else if (p != MAP_FAILED)
            munmap(p, size); /* a kernel without MAP_FIXED_NOREPLACE placed it elsewhere */
    }
    if (base == MAP_FAILED && at) {
        ldr_errf(err, errlen, "cannot be mapped at 0x%llx (address in use)",
                 (unsigned long long)at);
        return -1;
    }
    if (base != MAP_FAILED && want != pe->image_base) {
        if (pe->characteristics & IMAGE_FILE_RELOCS_STRIPPED) {
            munmap(base, size);
            ldr_errf(err, errlen, "cannot be mapped at 0x%llx: its relocations are stripped",
                     (unsigned long long)at);
            return -1;
        }
    } else if (base == MAP_FAILED) {
        if (pe->characteristics & IMAGE_FILE_RELOCS_STRIPPED) {
            ldr_errf(err, errlen, "cannot be loaded at its preferred base 0x%llx (address in use) "
                     "and its relocations are stripped", (unsigned long long)want);
            return -1;
        }
        base = map_anywhere(size);
        if (move && base != MAP_FAILED && (uintptr_t)base == want) {
            /* "anywhere" happened to be the preferred base: keep it taken, map again */
            uint8_t *again = map_anywhere(size);
            munmap(base, size);
            base = again;
        }
        if (base == MAP_FAILED) {
            ldr_errf(err, errlen, "cannot reserve 0x%zx bytes for the image: %s", size,
                     strerror(errno));
            return -1;
        }
    } else {
        img->at_preferred_base = true;
    }
    img->base = base;
    img->size = size;
    img->size_of_image = pe->size_of_image;
    /* Headers, then each section's raw data; the rest stays zero (anonymous memory). DWARF
     * sections last, and only when they cannot be left to be filled on first access. */
    size_t hdr = pe->size_of_headers < pe->file_size ? pe->size_of_headers : pe->file_size;
    file_map_plan plan = file_map_plan_of(pe);
    size_t from_file = 0;
    img->cached = cached;
    for (uint32_t i = 0; i < pe->nsections && !cached && rt_lazy_available(); i++) {
        if (section_reloc_lazy(pe, img, &pe->sections[i])) {
            img->reloc_lazy = i + 1;
            break;
        }
    }
    for (int pass = 0; pass < 2 && !cached; pass++) {
        if (pass == 1)
            img->lazy_ok = rt_lazy_available() && !relocs_touch_dwarf(pe, img);
        prefault_copies(pe, img, pass, hdr, &plan);
        if (pass == 0) /* the headers' pages populated with the first run: no fault */
            memcpy(base, pe->file, hdr);
        for (uint32_t i = 0; i < pe->nsections; i++) {
            const ldr_section *s = &pe->sections[i];
            if (!s->raw_size || section_dwarf(pe, img, s) != (pass == 1) ||
                section_lazy(pe, img, s))
                continue;
            size_t fb = section_file_bytes(&plan, s);
            int r = fb ? map_from_file(pe, base + s->vaddr, fb, s->raw_offset) : 1;
            if (r < 0) {
                ldr_errf(err, errlen, "cannot map section %s: %s", s->name, strerror(errno));
                munmap(base, size);
                memset(img, 0, sizeof *img);
                return -1;
            }
            if (r > 0)
                fb = 0; /* anonymous zeros: copied */
            from_file += fb;
            copy_section(pe, base + s->vaddr + fb, s->raw_offset + fb, s->raw_size - fb);
        }
    }
    if (img->reloc_lazy &&
        reloc_section_read_at_load(pe, img, &pe->sections[img->reloc_lazy - 1])) {
        const ldr_section *s = &pe->sections[img->reloc_lazy - 1];
        img->reloc_lazy = 0; /* copied after all (a memcpy: a second caller of copy_section
                              * took it out of line, off start-up's text pages) */
        memcpy(base + s->vaddr, pe->file + s->raw_offset, s->raw_size);
    }
    nt_vm_register_image(base, size, name);
    if (RT_TRACING(RT_TRACE_LOADER))
        rt_trace("loader", "%s: mapped at %p (preferred 0x%llx), 0x%zx bytes, %u sections, "
                 "0x%zx bytes mapped from the file%s", name, (void *)base,
                 (unsigned long long)want, size, pe->nsections, cached ? size : from_file,
                 cached ? " (the image cache's entry)" : "");
    return 0;
}

void ldr_unmap_image(ldr_image *img)
{
    if (img->lazy_sections)
        rt_lazy_remove(img->base, img->size);
    img->lazy_sections = 0;
    if (img->file)
        ldr_free_file(img->file, img->file_size);
    img->file = NULL;
    if (img->base)
        munmap(img->base, img->size);
    img->base = NULL;
    img->size = 0;
}

/* One pass over the relocation directory: validates every block and entry, and patches the
 * image when `apply` is set. */
static int reloc_pass(uint8_t *image, size_t image_size, const uint8_t *dir, uint32_t dir_rva,
                      uint32_t dir_size, uint64_t delta, bool apply, bool pe32, char *err,
                      size_t errlen)
{
    uint64_t off = 0;
    while (off < dir_size) {
        uint64_t block_rva = dir_rva + off;
        IMAGE_BASE_RELOCATION blk;
        if (dir_size - off < sizeof blk) {
            ldr_errf(err, errlen, "base relocation block at RVA 0x%llx is truncated",
                     (unsigned long long)block_rva);
            return -1;
        }
        memcpy(&blk, dir + off, sizeof blk);
        if (blk.SizeOfBlock == 0 && blk.VirtualAddress == 0)
            break; /* zero padding after the last block */
        if (blk.SizeOfBlock < sizeof blk || blk.SizeOfBlock > dir_size - off ||
            (blk.SizeOfBlock & 1)) {
            ldr_errf(err, errlen, "base relocation block at RVA 0x%llx has a bad size (0x%x)",
                     (unsigned long long)block_rva, blk.SizeOfBlock);
            return -1;
        }
        if (blk.VirtualAddress >= image_size) {
            ldr_errf(err, errlen, "base relocation block at RVA 0x%llx is for page 0x%x, outside "
                     "the image", (unsigned long long)block_rva, blk.VirtualAddress);
            return -1;
        }
        uint32_t n = (blk.SizeOfBlock - (uint32_t)sizeof blk) / 2;
        const uint8_t *entries = dir + off + sizeof blk;
        for (uint32_t i = 0; i < n; i++) {
            uint16_t e;
            memcpy(&e, entries + 2 * (size_t)i, 2);
            unsigned type = e >> 12;
            uint64_t rva = (uint64_t)blk.VirtualAddress + (e & 0xfff);
            if (type == IMAGE_REL_BASED_ABSOLUTE)
                continue;
            /* a PE32 image's are HIGHLOW, a PE32+ image's DIR64 */
            unsigned want = pe32 ? IMAGE_REL_BASED_HIGHLOW : IMAGE_REL_BASED_DIR64;
            if (type != want) {
                ldr_errf(err, errlen, "unsupported base relocation type %u at RVA 0x%llx", type,
                         (unsigned long long)rva);
                return -1;
            }
            if (rva + (pe32 ? 4 : 8) > image_size) {
                ldr_errf(err, errlen, "base relocation at RVA 0x%llx lies outside the image",
                         (unsigned long long)rva);
                return -1;
            }
            if (apply && pe32) {
                /* the low 32 bits of the move, as Windows adds them (the image's 32-bit
                 * addresses are only right below 4 GB; CoreCLR never runs its x86 stub) */
                uint32_t v;
                memcpy(&v, image + rva, 4);
                v += (uint32_t)delta;
                memcpy(image + rva, &v, 4);
            } else if (apply) {
                uint64_t v;
                memcpy(&v, image + rva, 8);
                v += delta;
                memcpy(image + rva, &v, 8);
            }
        }
        off += blk.SizeOfBlock;
    }
    return 0;
}

/* dir: the directory's bytes (NULL: the image's, at dir_rva) */
static int check_relocations(const uint8_t *image, size_t image_size, const uint8_t *dir,
                             uint32_t dir_rva, uint32_t dir_size, bool pe32, char *err,
                             size_t errlen)
{
    if (dir_rva == 0 || dir_size == 0)
        return 0;
    if (dir_rva > image_size || dir_size > image_size - dir_rva) {
        ldr_errf(err, errlen, "base relocation directory lies outside the image (RVA 0x%x, "
                 "0x%x bytes)", dir_rva, dir_size);
        return -1;
    }
    return reloc_pass((uint8_t *)(uintptr_t)image, image_size, dir ? dir : image + dir_rva,
                      dir_rva, dir_size, 0, false, pe32, err, errlen);
}

static int apply_relocations(uint8_t *image, size_t image_size, uint32_t dir_rva,
                             uint32_t dir_size, uint64_t delta, bool pe32, char *err,
                             size_t errlen)
{
    if (check_relocations(image, image_size, NULL, dir_rva, dir_size, pe32, err, errlen) < 0)
        return -1;
    if (dir_rva == 0 || dir_size == 0)
        return 0;
    return reloc_pass(image, image_size, image + dir_rva, dir_rva, dir_size, delta, true, pe32,
                      err, errlen);
}

int ldr_check_relocations(const uint8_t *image, size_t image_size, uint32_t dir_rva,
                          uint32_t dir_size, char *err, size_t errlen)
{
    return check_relocations(image, image_size, NULL, dir_rva, dir_size, false, err, errlen);
}

int ldr_apply_relocations(uint8_t *image, size_t image_size, uint32_t dir_rva, uint32_t dir_size,
                          uint64_t delta, char *err, size_t errlen)
{
    return apply_relocations(image, image_size, dir_rva, dir_size, delta, false, err, errlen);
}

/* The relocation directory in the .exe's mapping: where one section's raw data holds all of
 * it and no other section's raw data overlaps it (the image has exactly those bytes there),
 * else NULL (read in the image). */
static const uint8_t *reloc_dir_in_file(const ldr_pe *pe, const IMAGE_DATA_DIRECTORY *d)
{
    uint64_t lo = d->VirtualAddress, hi = lo + d->Size;
    const uint8_t *dir = NULL;
    for (uint32_t i = 0; i < pe->nsections; i++) {
        const ldr_section *s = &pe->sections[i];
        uint64_t data = s->raw_size < s->vsize ? s->raw_size : s->vsize;
        if (lo >= s->vaddr && hi <= (uint64_t)s->vaddr + data &&
            (uint64_t)s->raw_offset + data <= pe->file_size && !dir)
            dir = pe->file + s->raw_offset + (lo - s->vaddr);
        else if (lo < (uint64_t)s->vaddr + s->raw_size && hi > s->vaddr)
            return NULL; /* a second section writes there too */
    }
    return dir;
}

/* Applies the image's base relocations when it does not lie at its preferred base. At the
 * preferred base they are validated all the same (unless the image says they are stripped):
 * Windows relocates every DYNAMIC_BASE image under ASLR, so it reads them on every load, and
 * a damaged block must be refused whether or not this load happened to keep the base (the
 * sanitizer build, whose shadow gap holds the usual bases, relocates every image). */
int ldr_relocate_image(const ldr_pe *pe, ldr_image *img, char *err, size_t errlen)
{
    const IMAGE_DATA_DIRECTORY *d = &pe->dirs[IMAGE_DIRECTORY_ENTRY_BASERELOC];
    if (img->at_preferred_base) {
        if (pe->characteristics & IMAGE_FILE_RELOCS_STRIPPED)
            return 0;
        /* The blocks where the .exe's mapping has them, present already, when the image's
         * page would fault: a relocation section left for its first access (not copied), or a
         * cache entry's page (same key, same headers). NULL: read in the image. */
        const uint8_t *dir = img->reloc_lazy || img->cached ? reloc_dir_in_file(pe, d) : NULL;
        return check_relocations(img->base, img->size_of_image, dir, d->VirtualAddress, d->Size,
                                 pe->pe32, err, errlen);
    }
    uint64_t delta = (uint64_t)(uintptr_t)img->base - pe->image_base;
    if (RT_TRACING(RT_TRACE_LOADER))
        rt_trace("loader", "relocating by 0x%llx (%u bytes of relocation blocks)",
                 (unsigned long long)delta, d->Size);
    if (apply_relocations(img->base, img->size_of_image, d->VirtualAddress, d->Size, delta,
                          pe->pe32, err, errlen) < 0)
        return -1;
    if (pe->pe32)
        return 0; /* a 32-bit ImageBase field cannot hold every base: left as it is */
    /* The headers' ImageBase is what GetModuleHandle users and the CRT read: the real one. */
    IMAGE_DOS_HEADER dos;
    memcpy(&dos, img->base, sizeof dos);
    uint64_t ib_off = (uint64_t)dos.e_lfanew + 4 + sizeof(IMAGE_FILE_HEADER) +
                      offsetof(IMAGE_OPTIONAL_HEADER64, ImageBase);
    if (ib_off + 8 <= pe->size_of_headers && ib_off + 8 <= img->size) {
        uint64_t ib = (uint64_t)(uintptr_t)img->base;
        memcpy(img->base + ib_off, &ib, 8);
    }
    return 0;
}

static int section_prot(uint32_t ch)
{
    int prot = PROT_NONE;
    if (ch & IMAGE_SCN_MEM_READ)
        prot |= PROT_READ;
    if (ch & IMAGE_SCN_MEM_WRITE)
        prot |= PROT_READ | PROT_WRITE;
    if (ch & IMAGE_SCN_MEM_EXECUTE)
        prot |= PROT_READ | PROT_EXEC;
    return prot;
}

/* The lazy sections' pages are PROT_NONE now: register them, or (no room) copy them after all. */
static int register_lazy(const ldr_pe *pe, ldr_image *img)
{
    uint32_t reloc = 0; /* the relocation section registered (section_reloc_lazy) */
    for (uint32_t i = 0; i < pe->nsections; i++) {
        const ldr_section *s = &pe->sections[i];
        if (!section_lazy(pe, img, s))
            continue;
        size_t len = (size_t)align_up(s->vsize, LDR_PAGE_SIZE);
        if (len > img->size - s->vaddr)
            len = img->size - s->vaddr;
        size_t n = s->raw_size < len ? s->raw_size : len;
        uint8_t *at = img->base + s->vaddr;
        int prot = section_prot(s->characteristics);
        if (rt_lazy_add(at, len, pe->file + s->raw_offset, n, prot) == 0) {
            img->lazy_sections++;
            reloc += img->reloc_lazy == i + 1;
            continue;
        }
        if (mprotect(at, len, PROT_READ | PROT_WRITE) != 0)
            return -1;
        memcpy(at, pe->file + s->raw_offset, n);
        if (mprotect(at, len, prot) != 0)
            return -1;
    }
    if (img->lazy_sections && RT_TRACING(RT_TRACE_LOADER)) {
        if (img->lazy_sections > reloc)
            rt_trace("loader", "%u DWARF section(s) filled from the file on first access",
                     img->lazy_sections - reloc);
        if (reloc)
            rt_trace("loader", "the base relocations' section %s filled from the file on "
                     "first access", pe->sections[img->reloc_lazy - 1].name);
    }
    return 0;
}

void ldr_image_take_file(ldr_image *img, uint8_t *file, size_t size)
{
    /* An image from the cache keeps the file's mapping too: released here it cost more (the
     * munmap) than it saves at exit (docs/performance.md, twenty-fourth pass). */
    if (img->lazy_sections || img->cached) {
        img->file = file;
        img->file_size = size;
    } else {
        ldr_free_file(file, size);
    }
}

/* Gives an image whose sections are in address order its protections: one mprotect per run of
 * pages with the same protection (headers, sections, the gaps and the tail inaccessible),
 * except runs that have the protection `have` already. With `dry`, only counts the calls.
 * The number of calls, or -1 (errno set). */
static int protect_runs(const ldr_pe *pe, const ldr_image *img, size_t hdr, int have, bool dry)
{
    int calls = 0;
    size_t run_start = 0, run_end = hdr;
    int run_prot = PROT_READ;
    for (uint32_t i = 0; i <= pe->nsections; i++) {
        size_t start = img->size, len = 0;
        int prot = PROT_NONE;
        if (i < pe->nsections) {
            const ldr_section *s = &pe->sections[i];
            if (!s->vsize)
                continue;
            start = s->vaddr;
            len = (size_t)align_up(s->vsize, LDR_PAGE_SIZE);
            if (len > img->size - start)
                len = img->size - start;
            prot = section_lazy(pe, img, s) ? PROT_NONE : section_prot(s->characteristics);
        }
        /* the gap before this section (or the image's tail), then the section */
        for (int part = 0; part < 2; part++) {
            size_t a = part ? start : run_end, b = part ? start + len : start;
            int pr = part ? prot : PROT_NONE;
            if (a == b)
                continue;
            if (pr != run_prot) {
                if (run_end > run_start && run_prot != have) {
                    if (!dry && mprotect(img->base + run_start, run_end - run_start, run_prot) != 0)
                        return -1;
                    calls++;
                }
                run_start = a;
                run_prot = pr;
            }
            run_end = b;
        }
    }
    if (run_end > run_start && run_prot != have) {
        if (!dry && mprotect(img->base + run_start, run_end - run_start, run_prot) != 0)
            return -1;
        calls++;
    }
    return calls;
}

int ldr_protect_image(const ldr_pe *pe, ldr_image *img, char *err, size_t errlen)
{
    if (pe->section_alignment < LDR_PAGE_SIZE) {
        /* Sections share pages: like Windows, the whole image is read-write-execute. */
        if (mprotect(img->base, img->size, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
            goto protect_failed;
        return 0;
    }
    /* Gaps between sections stay inaccessible, as reserved-but-uncommitted pages would.
     * Sections in address order (the usual layout) get one mprotect per run of pages with the
     * same protection: hello.exe's 20 sections (mostly read-only debug sections) took 22 calls,
     * then 6, now 5 (below), each a VMA split the exit has to undo (see docs/performance.md). */
    size_t hdr = (size_t)align_up(pe->size_of_headers, LDR_PAGE_SIZE);
    if (hdr > img->size)
        hdr = img->size;
    bool ordered = true;
    size_t end = hdr;
    for (uint32_t i = 0; i < pe->nsections && ordered; i++) {
        const ldr_section *s = &pe->sections[i];
        if (!s->vsize)
            continue;
        ordered = s->vaddr >= end && s->vaddr <= img->size;
        end = s->vaddr + (size_t)align_up(s->vsize, LDR_PAGE_SIZE);
    }
    /* Each mprotect that splits the image's mapping costs ~10 us on the project's VM, more than
     * the TLB flushes it makes (docs/performance.md, twenty-third pass): the fewest calls win. The image is read-write as ldr_map_image_at left it, so a run that stays
     * read-write needs no call ("direct"). An image of at least 34 pages can instead be made
     * inaccessible as a whole first, its last page made present beforehand so that the change
     * spans the image (one full flush rather than one per page: the nineteenth pass), and each
     * run then given its protection, runs that stay inaccessible (gaps, lazy DWARF) needing
     * no call ("blanket"): 2 calls more, fewer for an image with many inaccessible runs.
     * hello.exe: direct 5 calls (R, RX, R, R, NONE), blanket 8. */
    if (ordered) {
        int direct = protect_runs(pe, img, hdr, PROT_READ | PROT_WRITE, true);
        bool blanket = img->size >= LDR_FLUSH_ALL_PAGES * LDR_PAGE_SIZE &&
                       2 + protect_runs(pe, img, hdr, PROT_NONE, true) < direct &&
                       madvise(img->base + img->size - LDR_PAGE_SIZE, LDR_PAGE_SIZE,
                               MADV_POPULATE_WRITE) == 0;
        if (blanket && mprotect(img->base, img->size, PROT_NONE) != 0)
            goto protect_failed;
        if (protect_runs(pe, img, hdr, blanket ? PROT_NONE : PROT_READ | PROT_WRITE, false) < 0)
            goto protect_failed;
        if (register_lazy(pe, img) != 0)
            goto protect_failed;
        return 0;
    }
    if (mprotect(img->base, img->size, PROT_NONE) != 0)
        goto protect_failed;
    if (mprotect(img->base, hdr, PROT_READ) != 0)
        goto protect_failed;
    for (uint32_t i = 0; i < pe->nsections; i++) {
        const ldr_section *s = &pe->sections[i];
        if (!s->vsize)
            continue;
        size_t len = (size_t)align_up(s->vsize, LDR_PAGE_SIZE);
        if (len > img->size - s->vaddr)
            len = img->size - s->vaddr;
        int prot = section_lazy(pe, img, s) ? PROT_NONE : section_prot(s->characteristics);
        if (mprotect(img->base + s->vaddr, len, prot) != 0)
            goto protect_failed;
    }
    if (register_lazy(pe, img) != 0)
        goto protect_failed;
    return 0;
protect_failed:
    ldr_errf(err, errlen, "cannot set the image's protections: %s", strerror(errno));
    return -1;
}
