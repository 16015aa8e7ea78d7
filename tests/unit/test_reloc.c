/* Base relocation and mapping (loader/map.c): DIR64 entries are patched by the load delta
 * (positive and negative, across several blocks, ABSOLUTE padding skipped, zero padding after
 * the last block accepted); any other type is refused naming it, before anything is patched;
 * bogus block sizes, truncated blocks, pages and entries outside the image and a directory
 * outside the image are refused. Mapping a synthetic image (tests/unit/pe_builder.h) whose
 * preferred base is taken relocates it to a 64K-aligned address and fixes the header's
 * ImageBase; a free preferred base is used as is; stripped relocations with a taken base are
 * refused; NTRUN_RELOCATE=always moves an image off a free preferred base (a stripped one is
 * refused); the final protections follow the section characteristics, with the gaps between
 * sections and after the last inaccessible, in a small and a large image (ldr_protect_image's
 * two ways). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "loader/loader_private.h"
#include "pe_builder.h"

static uint8_t image[TPE_IMAGE_SIZE];
static char err[512];

static void setup(void)
{
    memset(image, 0, sizeof image);
    err[0] = 0;
}

TestSuite(reloc, .init = setup);

static void put16(uint32_t rva, uint16_t v) { memcpy(image + rva, &v, 2); }
static void put32(uint32_t rva, uint32_t v) { memcpy(image + rva, &v, 4); }
static void put64(uint32_t rva, uint64_t v) { memcpy(image + rva, &v, 8); }
static uint64_t get64(uint32_t rva) { uint64_t v; memcpy(&v, image + rva, 8); return v; }

/* A block header at `rva` for `page` with `n` entries; returns the RVA after it. */
static uint32_t block(uint32_t rva, uint32_t page, const uint16_t *entries, uint32_t n)
{
    put32(rva, page);
    put32(rva + 4, 8 + 2 * n);
    for (uint32_t i = 0; i < n; i++)
        put16(rva + 8 + 2 * i, entries[i]);
    return rva + 8 + 2 * n;
}

static int apply(uint32_t dir_rva, uint32_t dir_size, uint64_t delta)
{
    return ldr_apply_relocations(image, sizeof image, dir_rva, dir_size, delta, err, sizeof err);
}

#define EXPECT_REFUSED(call, want)                                                            \
    do {                                                                                      \
        int r_ = (call);                                                                      \
        cr_assert_eq(r_, -1, "returned %d (expected a refusal: %s)", r_, want);               \
        cr_assert(strstr(err, want) != NULL, "message '%s' does not say '%s'", err, want);    \
    } while (0)

Test(reloc, dir64_entries_are_patched_by_the_delta)
{
    put64(0x3000, 0x140003000);
    put64(0x3008, 0x140001000);
    put64(0x3010, 0x1111111111111111); /* no relocation: must stay */
    put64(0x2ff8, 0x140002000);
    uint16_t b1[] = {0xa000, 0xa008, 0x0000, 0x0000}; /* two DIR64 and ABSOLUTE padding */
    uint16_t b2[] = {0xaff8, 0x0000};
    uint32_t end = block(0x4000, 0x3000, b1, 4);
    end = block(end, 0x2000, b2, 2);
    int r = apply(0x4000, end - 0x4000, 0x10000);
    cr_assert_eq(r, 0, "apply failed: %s", err);
    cr_assert_eq(get64(0x3000), 0x140013000ull, "got 0x%llx", (unsigned long long)get64(0x3000));
    cr_assert_eq(get64(0x3008), 0x140011000ull, "got 0x%llx", (unsigned long long)get64(0x3008));
    cr_assert_eq(get64(0x2ff8), 0x140012000ull, "got 0x%llx", (unsigned long long)get64(0x2ff8));
    cr_assert_eq(get64(0x3010), 0x1111111111111111ull, "untouched value changed: 0x%llx",
                 (unsigned long long)get64(0x3010));
}

Test(reloc, negative_delta_moves_values_down)
{
    put64(0x3000, 0x140003000);
    uint16_t b[] = {0xa000, 0x0000};
    uint32_t end = block(0x4000, 0x3000, b, 2);
    uint64_t new_base = 0x7f1234560000ull, old_base = 0x140000000ull;
    int r = apply(0x4000, end - 0x4000, new_base - old_base);
    cr_assert_eq(r, 0, "apply failed: %s", err);
    cr_assert_eq(get64(0x3000), new_base + 0x3000, "got 0x%llx",
                 (unsigned long long)get64(0x3000));
    setup();
    put64(0x3000, 0x7f1234563000ull);
    end = block(0x4000, 0x3000, b, 2);
    r = apply(0x4000, end - 0x4000, old_base - new_base); /* wraps: a downward move */
    cr_assert_eq(r, 0, "apply failed: %s", err);
    cr_assert_eq(get64(0x3000), 0x140003000ull, "got 0x%llx", (unsigned long long)get64(0x3000));
}

Test(reloc, unaligned_dir64_target_is_patched)
{
    put64(0x3003, 0x140000123);
    uint16_t b[] = {0xa003, 0x0000};
    uint32_t end = block(0x4000, 0x3000, b, 2);
    cr_assert_eq(apply(0x4000, end - 0x4000, 0x1000), 0, "apply failed: %s", err);
    uint64_t v;
    memcpy(&v, image + 0x3003, 8);
    cr_assert_eq(v, 0x140001123ull, "got 0x%llx", (unsigned long long)v);
}

Test(reloc, zero_padding_after_the_last_block_is_accepted)
{
    put64(0x3000, 0x140003000);
    uint16_t b[] = {0xa000, 0x0000};
    uint32_t end = block(0x4000, 0x3000, b, 2);
    int r = apply(0x4000, end - 0x4000 + 16, 0x10000); /* 16 zero bytes follow */
    cr_assert_eq(r, 0, "apply failed: %s", err);
    cr_assert_eq(get64(0x3000), 0x140013000ull, "got 0x%llx", (unsigned long long)get64(0x3000));
}

Test(reloc, unknown_type_is_refused_by_name_before_patching)
{
    put64(0x3000, 0x140003000);
    uint16_t b[] = {0xa000, 0x3008}; /* DIR64, then HIGHLOW */
    uint32_t end = block(0x4000, 0x3000, b, 2);
    EXPECT_REFUSED(apply(0x4000, end - 0x4000, 0x10000),
                   "unsupported base relocation type 3 at RVA 0x3008");
    cr_assert_eq(get64(0x3000), 0x140003000ull, "patched before refusing: 0x%llx",
                 (unsigned long long)get64(0x3000));
    uint16_t b2[] = {0x5010};
    end = block(0x4000, 0x3000, b2, 1);
    EXPECT_REFUSED(apply(0x4000, end - 0x4000, 0x10000),
                   "unsupported base relocation type 5 at RVA 0x3010");
}

Test(reloc, bogus_block_sizes_are_refused)
{
    put32(0x4000, 0x3000);
    put32(0x4004, 4); /* smaller than the header */
    EXPECT_REFUSED(apply(0x4000, 0x10, 1), "base relocation block at RVA 0x4000 has a bad size "
                                           "(0x4)");
    put32(0x4004, 0x100); /* larger than the directory */
    EXPECT_REFUSED(apply(0x4000, 0x10, 1), "has a bad size (0x100)");
    put32(0x4004, 11); /* half an entry */
    EXPECT_REFUSED(apply(0x4000, 0x10, 1), "has a bad size (0xb)");
    put32(0x4004, 0); /* zero size with a page: not padding */
    EXPECT_REFUSED(apply(0x4000, 0x10, 1), "has a bad size (0x0)");
}

Test(reloc, truncated_block_header_is_refused)
{
    uint16_t b[] = {0xa000, 0x0000};
    uint32_t end = block(0x4000, 0x3000, b, 2);
    put32(end, 0x2000);
    EXPECT_REFUSED(apply(0x4000, end - 0x4000 + 4, 1),
                   "base relocation block at RVA 0x400c is truncated");
}

Test(reloc, page_outside_the_image_is_refused)
{
    uint16_t b[] = {0xa000, 0x0000};
    uint32_t end = block(0x4000, 0x9000, b, 2);
    EXPECT_REFUSED(apply(0x4000, end - 0x4000, 1), "is for page 0x9000, outside the image");
}

Test(reloc, entry_running_past_the_image_is_refused)
{
    uint16_t b[] = {0xaffc, 0x0000};
    uint32_t end = block(0x4000, 0x4000, b, 2);
    EXPECT_REFUSED(apply(0x4000, end - 0x4000, 1),
                   "base relocation at RVA 0x4ffc lies outside the image");
}

Test(reloc, directory_outside_the_image_is_refused)
{
    EXPECT_REFUSED(apply(0x4ff8, 0x100, 1), "base relocation directory lies outside the image");
    EXPECT_REFUSED(apply(0xfffffff8, 0x10, 1),
                   "base relocation directory lies outside the image");
}

Test(reloc, empty_directory_is_a_no_op)
{
    put64(0x3000, 0x140003000);
    cr_assert_eq(apply(0, 0, 0x10000), 0, "failed: %s", err);
    cr_assert_eq(get64(0x3000), 0x140003000ull, "got 0x%llx", (unsigned long long)get64(0x3000));
}

/* ---- the whole mapping path ---- */

/* A base address nobody uses in the test process, 64K-aligned. */
#define FREE_BASE 0x300000000000ull

static tpe file;
static ldr_pe pe;
static ldr_image img;

/* The synthetic image with a pointer to .data+0x10 at .data+0 covered by a DIR64 relocation. */
static void build_relocatable(uint64_t base)
{
    tpe_init(&file);
    tpe_opt(&file)->ImageBase = base;
    tpe_put64(&file, 0x3000, base + 0x3010);
    tpe_put32(&file, 0x4000, 0x3000);
    tpe_put32(&file, 0x4004, 12);
    tpe_put16(&file, 0x4008, 0xa000);
    tpe_put16(&file, 0x400a, 0x0000);
    tpe_set_dir(&file, IMAGE_DIRECTORY_ENTRY_BASERELOC, 0x4000, 12);
    cr_assert_eq(ldr_pe_parse(file.file, file.size, &pe, err, sizeof err), 0, "parse: %s", err);
}

Test(reloc, taken_preferred_base_relocates_the_image)
{
    build_relocatable(FREE_BASE);
    void *blocker = mmap((void *)FREE_BASE, 0x1000, PROT_NONE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    cr_assert(blocker == (void *)FREE_BASE, "cannot take the preferred base for the test");
    cr_assert_eq(ldr_map_image(&pe, "reloc.exe", &img, err, sizeof err), 0, "map: %s", err);
    cr_assert(!img.at_preferred_base, "mapped at the taken preferred base");
    cr_assert_neq((uint64_t)(uintptr_t)img.base, FREE_BASE, "base %p", (void *)img.base);
    cr_assert_eq((uintptr_t)img.base & 0xffff, 0, "base %p is not 64K-aligned", (void *)img.base);
    cr_assert_eq(ldr_relocate_image(&pe, &img, err, sizeof err), 0, "relocate: %s", err);
    uint64_t v;
    memcpy(&v, img.base + 0x3000, 8);
    cr_assert_eq(v, (uint64_t)(uintptr_t)img.base + 0x3010, "pointer 0x%llx, base %p",
                 (unsigned long long)v, (void *)img.base);
    uint64_t hdr_base;
    memcpy(&hdr_base, img.base + TPE_LFANEW + 4 + sizeof(IMAGE_FILE_HEADER) +
                          offsetof(IMAGE_OPTIONAL_HEADER64, ImageBase), 8);
    cr_assert_eq(hdr_base, (uint64_t)(uintptr_t)img.base, "header ImageBase 0x%llx",
                 (unsigned long long)hdr_base);
    ldr_unmap_image(&img);
    munmap(blocker, 0x1000);
}

Test(reloc, free_preferred_base_is_used_unrelocated)
{
    build_relocatable(FREE_BASE);
    cr_assert_eq(ldr_map_image(&pe, "reloc.exe", &img, err, sizeof err), 0, "map: %s", err);
    cr_assert(img.at_preferred_base, "not at the free preferred base: %p", (void *)img.base);
    cr_assert_eq(ldr_relocate_image(&pe, &img, err, sizeof err), 0, "relocate: %s", err);
    uint64_t v;
    memcpy(&v, img.base + 0x3000, 8);
    cr_assert_eq(v, FREE_BASE + 0x3010, "pointer changed: 0x%llx", (unsigned long long)v);
    cr_assert_eq(memcmp(img.base + 0x1000, "\xb8\x2a\x00\x00\x00\xc3", 6), 0, ".text copied");
    cr_assert_eq(img.base[0x1800], 0, "the part of .text beyond its raw data is zero");
    ldr_unmap_image(&img);
}

/* NTRUN_RELOCATE=always (the mutation check's mode that meets what the sanitizer build
 * meets): a free preferred base is not used, the image is relocated; a stripped one is
 * refused. (criterion runs each test in a process of its own: the loader reads it once.) */
Test(reloc, relocate_always_moves_the_image_from_its_free_preferred_base)
{
    cr_assert_eq(setenv("NTRUN_RELOCATE", "always", 1), 0);
    build_relocatable(FREE_BASE);
    cr_assert_eq(ldr_map_image(&pe, "reloc.exe", &img, err, sizeof err), 0, "map: %s", err);
    cr_assert(!img.at_preferred_base, "left at the preferred base %p", (void *)img.base);
    cr_assert_neq((uint64_t)(uintptr_t)img.base, FREE_BASE, "base %p", (void *)img.base);
    cr_assert_eq(ldr_relocate_image(&pe, &img, err, sizeof err), 0, "relocate: %s", err);
    uint64_t v;
    memcpy(&v, img.base + 0x3000, 8);
    cr_assert_eq(v, (uint64_t)(uintptr_t)img.base + 0x3010, "pointer 0x%llx, base %p",
                 (unsigned long long)v, (void *)img.base);
    ldr_unmap_image(&img);

    pe.characteristics |= IMAGE_FILE_RELOCS_STRIPPED;
    EXPECT_REFUSED(ldr_map_image(&pe, "reloc.exe", &img, err, sizeof err),
                   "cannot be loaded away from its preferred base 0x300000000000 "
                   "(NTRUN_RELOCATE=always): its relocations are stripped");
}

/* Windows relocates every DYNAMIC_BASE image (ASLR): a damaged block is refused whether or not
 * this load keeps the preferred base, and nothing is patched. */
Test(reloc, damaged_block_at_free_preferred_base_is_refused)
{
    build_relocatable(FREE_BASE);
    tpe_put32(&file, 0x4004, 0x7); /* SizeOfBlock below the block header */
    cr_assert_eq(ldr_pe_parse(file.file, file.size, &pe, err, sizeof err), 0, "parse: %s", err);
    cr_assert_eq(ldr_map_image(&pe, "reloc.exe", &img, err, sizeof err), 0, "map: %s", err);
    cr_assert(img.at_preferred_base, "not at the free preferred base: %p", (void *)img.base);
    EXPECT_REFUSED(ldr_relocate_image(&pe, &img, err, sizeof err),
                   "base relocation block at RVA 0x4000 has a bad size (0x7)");
    ldr_unmap_image(&img);

    build_relocatable(FREE_BASE);
    tpe_put16(&file, 0x4008, 0x3000); /* IMAGE_REL_BASED_HIGHLOW: not for a PE32+ image */
    cr_assert_eq(ldr_pe_parse(file.file, file.size, &pe, err, sizeof err), 0, "parse: %s", err);
    cr_assert_eq(ldr_map_image(&pe, "reloc.exe", &img, err, sizeof err), 0, "map: %s", err);
    EXPECT_REFUSED(ldr_relocate_image(&pe, &img, err, sizeof err),
                   "unsupported base relocation type 3 at RVA 0x3000");
    ldr_unmap_image(&img);
}

/* A PE32 image (an image section's: ldr_pe_parse_section) relocates with HIGHLOW entries, the
 * low 32 bits of the move added to a 32-bit field, and leaves its 32-bit ImageBase field as it
 * is; a DIR64 entry is refused there as HIGHLOW is in a PE32+ image. The PE32+ test image
 * stands in for one (pe.pe32 set): the relocation code reads only the parsed fields. */
Test(reloc, pe32_image_takes_highlow_relocations)
{
    build_relocatable(FREE_BASE);
    tpe_put64(&file, 0x3000, 0x5555555500000000ull | (uint32_t)(FREE_BASE + 0x3010));
    tpe_put16(&file, 0x4008, 0x3000); /* IMAGE_REL_BASED_HIGHLOW at .data+0 */
    cr_assert_eq(ldr_pe_parse(file.file, file.size, &pe, err, sizeof err), 0, "parse: %s", err);
    pe.pe32 = true;
    void *blocker = mmap((void *)FREE_BASE, 0x1000, PROT_NONE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    cr_assert(blocker == (void *)FREE_BASE, "cannot take the preferred base for the test");
    cr_assert_eq(ldr_map_image(&pe, "reloc32.dll", &img, err, sizeof err), 0, "map: %s", err);
    cr_assert(!img.at_preferred_base, "mapped at the taken preferred base");
    cr_assert_eq(ldr_relocate_image(&pe, &img, err, sizeof err), 0, "relocate: %s", err);
    uint64_t v;
    memcpy(&v, img.base + 0x3000, 8);
    cr_assert_eq(v, 0x5555555500000000ull | (uint32_t)((uintptr_t)img.base + 0x3010),
                 "field 0x%llx, base %p (only the low 32 bits may change)",
                 (unsigned long long)v, (void *)img.base);
    uint64_t hdr_base;
    memcpy(&hdr_base, img.base + TPE_LFANEW + 4 + sizeof(IMAGE_FILE_HEADER) +
                          offsetof(IMAGE_OPTIONAL_HEADER64, ImageBase), 8);
    cr_assert_eq(hdr_base, FREE_BASE, "header ImageBase rewritten: 0x%llx",
                 (unsigned long long)hdr_base);
    ldr_unmap_image(&img);

    build_relocatable(FREE_BASE); /* DIR64 */
    pe.pe32 = true;
    cr_assert_eq(ldr_map_image(&pe, "reloc32.dll", &img, err, sizeof err), 0, "map: %s", err);
    EXPECT_REFUSED(ldr_relocate_image(&pe, &img, err, sizeof err),
                   "unsupported base relocation type 10 at RVA 0x3000");
    ldr_unmap_image(&img);
    munmap(blocker, 0x1000);
}

/* ... unless the image says its relocations are stripped: then they are never read. */
Test(reloc, damaged_block_of_stripped_image_at_preferred_base_is_ignored)
{
    build_relocatable(FREE_BASE);
    tpe_put32(&file, 0x4004, 0x7);
    cr_assert_eq(ldr_pe_parse(file.file, file.size, &pe, err, sizeof err), 0, "parse: %s", err);
    pe.characteristics |= IMAGE_FILE_RELOCS_STRIPPED;
    cr_assert_eq(ldr_map_image(&pe, "reloc.exe", &img, err, sizeof err), 0, "map: %s", err);
    cr_assert_eq(ldr_relocate_image(&pe, &img, err, sizeof err), 0, "relocate: %s", err);
    ldr_unmap_image(&img);
}

Test(reloc, stripped_relocations_with_taken_base_are_refused)
{
    build_relocatable(FREE_BASE);
    pe.characteristics |= IMAGE_FILE_RELOCS_STRIPPED;
    void *blocker = mmap((void *)FREE_BASE, 0x1000, PROT_NONE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    cr_assert(blocker == (void *)FREE_BASE, "cannot take the preferred base for the test");
    EXPECT_REFUSED(ldr_map_image(&pe, "reloc.exe", &img, err, sizeof err),
                   "cannot be loaded at its preferred base 0x300000000000 (address in use) and "
                   "its relocations are stripped");
    munmap(blocker, 0x1000);
}

/* Permissions of the mapping containing addr, from /proc/self/maps ("r-xp"). */
static void perms_of(const void *addr, char out[5])
{
    strcpy(out, "????");
    FILE *f = fopen("/proc/self/maps", "r");
    cr_assert(f);
    char line[512];
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char p[5];
        if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) == 3 && (uintptr_t)addr >= lo &&
            (uintptr_t)addr < hi) {
            memcpy(out, p, 5);
            break;
        }
    }
    fclose(f);
}

Test(reloc, protections_follow_the_section_characteristics)
{
    build_relocatable(FREE_BASE);
    cr_assert_eq(ldr_map_image(&pe, "reloc.exe", &img, err, sizeof err), 0, "map: %s", err);
    cr_assert_eq(ldr_protect_image(&pe, &img, err, sizeof err), 0, "protect: %s", err);
    static const struct { uint32_t rva; const char *perms; } want[] = {
        {0x0000, "r--p"}, {0x1000, "r-xp"}, {0x2000, "r--p"}, {0x3000, "rw-p"}, {0x4000, "r--p"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char p[5];
        perms_of(img.base + want[i].rva, p);
        cr_expect_str_eq(p, want[i].perms, "RVA 0x%x: got %s, want %s", want[i].rva, p,
                         want[i].perms);
    }
    ldr_unmap_image(&img);
}

/* Sections apart, with inaccessible gaps between them and after the last, in both of
 * ldr_protect_image's ways: one mprotect per run that is not read-write already (a small image,
 * or one where that makes fewer calls), and the whole image made inaccessible first, then each
 * run that is not (34 pages or more, when that makes fewer calls: here 7 calls against 9). */
static void check_spaced_sections(uint32_t step, uint32_t size_of_image)
{
    build_relocatable(FREE_BASE);
    for (uint32_t i = 0; i < pe.nsections; i++)
        pe.sections[i].vaddr = 0x1000 + i * step;
    pe.size_of_image = size_of_image;
    cr_assert_eq(ldr_map_image(&pe, "reloc.exe", &img, err, sizeof err), 0, "map: %s", err);
    cr_assert_eq(ldr_protect_image(&pe, &img, err, sizeof err), 0, "protect: %s", err);
    static const char *const want[] = {"r-xp", "r--p", "rw-p", "r--p"}; /* the builder's */
    char p[5];
    perms_of(img.base, p);
    cr_expect_str_eq(p, "r--p", "headers: got %s", p);
    for (uint32_t i = 0; i < pe.nsections; i++) {
        uint32_t rva = 0x1000 + i * step;
        perms_of(img.base + rva, p);
        cr_expect_str_eq(p, want[i], "section %u at 0x%x: got %s, want %s", i, rva, p, want[i]);
        perms_of(img.base + rva + 0x1000, p);
        cr_expect_str_eq(p, "---p", "gap after section %u (0x%x): got %s", i, rva + 0x1000, p);
    }
    perms_of(img.base + size_of_image - 0x1000, p);
    cr_expect_str_eq(p, "---p", "the image's last page: got %s", p);
    ldr_unmap_image(&img);
}

Test(reloc, protections_of_sections_apart_in_a_small_image)
{
    check_spaced_sections(0x3000, 0x10000); /* 16 pages */
}

Test(reloc, protections_of_sections_apart_in_a_large_image)
{
    check_spaced_sections(0x8000, 0x2a000); /* 42 pages */
}
