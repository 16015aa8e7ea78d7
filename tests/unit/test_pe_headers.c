/* PE32+ header parsing and validation (loader/pe.c) on synthetic images built in memory
 * (tests/unit/pe_builder.h): a valid minimal image parses with the expected fields; each
 * malformation is refused with a message naming it (truncation at several points, no MZ, bad
 * e_lfanew, bad PE signature, PE32, wrong machine, no/too many sections, section raw data past
 * end of file, virtual range past SizeOfImage, overlapping or unaligned sections, alignment,
 * SizeOfHeaders, entry point, each data directory outside the image with overflow-safe sums);
 * and a deterministic mutation run over the headers that must never crash and never accept an
 * image whose sections or directories leave the file or the image. ldr_pe_parse_section
 * (NtCreateSection's parse) also takes a PE32 image of an x86 machine, its fields read from the
 * 32-bit optional header, and nothing else 32-bit. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "loader/loader_private.h"
#include "pe_builder.h"

static tpe img;
static ldr_pe pe;
static char err[512];

static void setup(void)
{
    tpe_init(&img);
    memset(&pe, 0, sizeof pe);
    err[0] = 0;
}

TestSuite(pe_headers, .init = setup);

static int parse(void) { return ldr_pe_parse(img.file, img.size, &pe, err, sizeof err); }

/* Parse must fail with a message containing `want`. */
#define EXPECT_REFUSED(want)                                                                  \
    do {                                                                                      \
        int r_ = parse();                                                                     \
        cr_assert_eq(r_, -1, "parse returned %d (expected a refusal: %s)", r_, want);         \
        cr_assert(strstr(err, want) != NULL, "message '%s' does not say '%s'", err, want);    \
        cr_assert(strchr(err, '\n') == NULL, "message is not one line: '%s'", err);           \
    } while (0)

Test(pe_headers, minimal_image_parses_with_its_fields)
{
    int r = parse();
    cr_assert_eq(r, 0, "parse failed: %s", err);
    cr_assert_eq(pe.machine, IMAGE_FILE_MACHINE_AMD64, "machine 0x%x", pe.machine);
    cr_assert_eq(pe.image_base, TPE_DEFAULT_BASE, "image base 0x%llx",
                 (unsigned long long)pe.image_base);
    cr_assert_eq(pe.size_of_image, TPE_IMAGE_SIZE, "SizeOfImage 0x%x", pe.size_of_image);
    cr_assert_eq(pe.size_of_headers, TPE_HEADERS, "SizeOfHeaders 0x%x", pe.size_of_headers);
    cr_assert_eq(pe.entry_rva, 0x1000u, "entry 0x%x", pe.entry_rva);
    cr_assert_eq(pe.stack_reserve, 0x200000u, "stack reserve 0x%llx",
                 (unsigned long long)pe.stack_reserve);
    cr_assert_eq(pe.nsections, TPE_NSECT, "nsections %u", pe.nsections);
    cr_assert_str_eq(pe.sections[0].name, ".text");
    cr_assert_str_eq(pe.sections[3].name, ".reloc");
    cr_assert_eq(pe.sections[2].vaddr, 0x3000u, "vaddr 0x%x", pe.sections[2].vaddr);
    cr_assert_eq(pe.sections[2].raw_offset, 0x1400u, "raw 0x%x", pe.sections[2].raw_offset);
    cr_assert_eq(pe.sections[2].raw_size, TPE_RAW, "raw size 0x%x", pe.sections[2].raw_size);
    cr_assert_eq(pe.sections[2].characteristics, 0xc0000040u, "chars 0x%x",
                 pe.sections[2].characteristics);
}

Test(pe_headers, empty_file_is_not_a_pe_file)
{
    img.size = 0;
    EXPECT_REFUSED("not a PE file (no MZ signature)");
}

Test(pe_headers, null_buffer_is_refused_without_crashing)
{
    cr_assert_eq(ldr_pe_parse(NULL, 100, &pe, err, sizeof err), -1, "NULL buffer accepted");
    cr_assert(strstr(err, "no MZ signature"), "got '%s'", err);
}

Test(pe_headers, missing_mz_is_refused)
{
    img.file[0] = 'Z';
    EXPECT_REFUSED("not a PE file (no MZ signature)");
}

Test(pe_headers, truncated_in_dos_header_is_refused)
{
    img.size = 0x20;
    EXPECT_REFUSED("truncated file (DOS header extends past end of file)");
}

Test(pe_headers, truncated_before_pe_signature_is_refused)
{
    img.size = TPE_LFANEW + 2;
    EXPECT_REFUSED("e_lfanew 0x40 points past end of file");
}

Test(pe_headers, truncated_in_file_header_is_refused)
{
    img.size = TPE_LFANEW + 10;
    EXPECT_REFUSED("truncated file (PE header extends past end of file)");
}

Test(pe_headers, truncated_in_optional_header_is_refused)
{
    img.size = 0x100;
    EXPECT_REFUSED("truncated file (PE header extends past end of file)");
}

Test(pe_headers, truncated_in_section_table_is_refused)
{
    img.size = 0x148 + 0x28 + 10; /* the second section header is cut */
    EXPECT_REFUSED("truncated file (section table extends past end of file)");
}

Test(pe_headers, truncated_in_section_data_names_the_section)
{
    img.size = TPE_FILE_SIZE - 1;
    EXPECT_REFUSED("section .reloc extends past end of file");
    img.size = TPE_HEADERS + TPE_RAW + 0x10; /* in the middle of .rdata */
    EXPECT_REFUSED("section .rdata extends past end of file");
}

Test(pe_headers, negative_e_lfanew_is_refused)
{
    int32_t v = -8;
    memcpy(img.file + 0x3c, &v, 4);
    EXPECT_REFUSED("not a PE file (bad e_lfanew 0xfffffff8)");
}

Test(pe_headers, e_lfanew_past_end_of_file_is_refused)
{
    uint32_t v = 0x7ffff000;
    memcpy(img.file + 0x3c, &v, 4);
    EXPECT_REFUSED("not a PE file (bad e_lfanew 0x7ffff000)");
    v = 0x9000;
    memcpy(img.file + 0x3c, &v, 4);
    EXPECT_REFUSED("not a PE file (e_lfanew 0x9000 points past end of file)");
}

Test(pe_headers, bad_pe_signature_is_refused)
{
    img.file[TPE_LFANEW + 2] = 'X';
    EXPECT_REFUSED("not a PE file (bad PE signature)");
}

Test(pe_headers, pe32_optional_header_is_refused_as_32_bit)
{
    tpe_opt(&img)->Magic = IMAGE_NT_OPTIONAL_HDR32_MAGIC;
    EXPECT_REFUSED("32-bit programs are not supported");
}

Test(pe_headers, i386_machine_is_refused_as_32_bit)
{
    tpe_fh(&img)->Machine = IMAGE_FILE_MACHINE_I386;
    EXPECT_REFUSED("32-bit programs are not supported");
}

/* The minimal image rewritten as PE32 (x86): the same fields in IMAGE_OPTIONAL_HEADER32's
 * layout, SizeOfOptionalHeader kept (the 16 bytes after the directories are padding). */
static void to_pe32(uint32_t base)
{
    IMAGE_OPTIONAL_HEADER64 o = *tpe_opt(&img);
    IMAGE_OPTIONAL_HEADER32 h;
    memset(&h, 0, sizeof h);
    h.Magic = IMAGE_NT_OPTIONAL_HDR32_MAGIC;
    h.SizeOfCode = o.SizeOfCode;
    h.AddressOfEntryPoint = o.AddressOfEntryPoint;
    h.BaseOfCode = o.BaseOfCode;
    h.ImageBase = base;
    h.SectionAlignment = o.SectionAlignment;
    h.FileAlignment = o.FileAlignment;
    h.MajorSubsystemVersion = o.MajorSubsystemVersion;
    h.SizeOfImage = o.SizeOfImage;
    h.SizeOfHeaders = o.SizeOfHeaders;
    h.Subsystem = o.Subsystem;
    h.DllCharacteristics = o.DllCharacteristics;
    h.SizeOfStackReserve = 0x100000;
    h.SizeOfStackCommit = 0x1000;
    h.NumberOfRvaAndSizes = o.NumberOfRvaAndSizes;
    memcpy(h.DataDirectory, o.DataDirectory, sizeof h.DataDirectory);
    memset(tpe_opt(&img), 0, sizeof o);
    memcpy(tpe_opt(&img), &h, sizeof h);
    tpe_fh(&img)->Machine = IMAGE_FILE_MACHINE_I386;
}

Test(pe_headers, pe32_image_is_refused_as_a_program_and_mapped_as_a_section)
{
    to_pe32(0x400000);
    EXPECT_REFUSED("32-bit programs are not supported");
    int r = ldr_pe_parse_section(img.file, img.size, &pe, err, sizeof err);
    cr_assert_eq(r, 0, "section parse failed: %s", err);
    cr_assert(pe.pe32, "not marked PE32");
    cr_assert_eq(pe.machine, IMAGE_FILE_MACHINE_I386, "machine 0x%x", pe.machine);
    cr_assert_eq(pe.image_base, 0x400000u, "image base 0x%llx", (unsigned long long)pe.image_base);
    cr_assert_eq(pe.size_of_image, TPE_IMAGE_SIZE, "SizeOfImage 0x%x", pe.size_of_image);
    cr_assert_eq(pe.entry_rva, 0x1000u, "entry 0x%x", pe.entry_rva);
    cr_assert_eq(pe.stack_reserve, 0x100000u, "stack reserve 0x%llx",
                 (unsigned long long)pe.stack_reserve);
    cr_assert_eq(pe.nsections, TPE_NSECT, "nsections %u", pe.nsections);
    cr_assert_str_eq(pe.sections[3].name, ".reloc");
    cr_assert_eq(pe.sections[2].raw_offset, 0x1400u, "raw 0x%x", pe.sections[2].raw_offset);
}

Test(pe_headers, pe32_magic_of_another_machine_is_refused_as_a_section)
{
    to_pe32(0x400000);
    tpe_fh(&img)->Machine = IMAGE_FILE_MACHINE_AMD64;
    cr_assert_eq(ldr_pe_parse_section(img.file, img.size, &pe, err, sizeof err), -1,
                 "PE32 with an x86-64 machine accepted");
    cr_assert(strstr(err, "32-bit programs are not supported"), "got '%s'", err);
    setup();
    tpe_fh(&img)->Machine = IMAGE_FILE_MACHINE_I386; /* PE32+ layout, x86 machine */
    cr_assert_eq(ldr_pe_parse_section(img.file, img.size, &pe, err, sizeof err), -1,
                 "PE32+ with an x86 machine accepted");
    cr_assert(!pe.pe32, "marked PE32");
}

Test(pe_headers, other_machine_is_named_in_hex)
{
    tpe_fh(&img)->Machine = 0x1c4;
    EXPECT_REFUSED("machine type 0x1c4 is not x86-64");
    tpe_fh(&img)->Machine = 0xaa64;
    EXPECT_REFUSED("machine type 0xaa64 is not x86-64");
}

Test(pe_headers, unknown_optional_magic_is_refused)
{
    tpe_opt(&img)->Magic = 0x107;
    EXPECT_REFUSED("unknown optional header magic 0x107");
}

Test(pe_headers, small_optional_header_is_refused)
{
    tpe_fh(&img)->SizeOfOptionalHeader = 0x40;
    EXPECT_REFUSED("SizeOfOptionalHeader 0x40 is too small");
    tpe_fh(&img)->SizeOfOptionalHeader = 0x80; /* room for 2 directories, 16 claimed */
    EXPECT_REFUSED("cannot hold 16 data directories");
}

Test(pe_headers, object_file_is_not_executable)
{
    tpe_fh(&img)->Characteristics = 0x0020;
    EXPECT_REFUSED("not an executable image");
}

Test(pe_headers, zero_sections_are_refused)
{
    tpe_fh(&img)->NumberOfSections = 0;
    EXPECT_REFUSED("image has no sections");
}

Test(pe_headers, too_many_sections_are_refused)
{
    tpe_fh(&img)->NumberOfSections = 97;
    EXPECT_REFUSED("too many sections (97, at most 96)");
    tpe_fh(&img)->NumberOfSections = 0xffff;
    EXPECT_REFUSED("too many sections (65535, at most 96)");
}

Test(pe_headers, section_raw_data_past_eof_is_refused)
{
    tpe_sec(&img, TPE_TEXT)->SizeOfRawData = 0x10000;
    EXPECT_REFUSED("section .text extends past end of file");
}

Test(pe_headers, section_raw_pointer_overflow_is_refused)
{
    tpe_sec(&img, TPE_DATA)->PointerToRawData = 0xfffffe00;
    tpe_sec(&img, TPE_DATA)->SizeOfRawData = 0x400;
    EXPECT_REFUSED("section .data extends past end of file");
}

Test(pe_headers, section_virtual_range_past_size_of_image_is_refused)
{
    tpe_sec(&img, TPE_DATA)->VirtualSize = 0x100000;
    EXPECT_REFUSED("section .data extends past SizeOfImage");
}

Test(pe_headers, section_virtual_address_overflow_is_refused)
{
    tpe_sec(&img, TPE_RELOC)->VirtualAddress = 0xfffff000;
    tpe_sec(&img, TPE_RELOC)->VirtualSize = 0x2000;
    EXPECT_REFUSED("section .reloc extends past SizeOfImage");
}

Test(pe_headers, overlapping_sections_are_refused)
{
    tpe_sec(&img, TPE_RDATA)->VirtualSize = 0x1800; /* runs into .data */
    EXPECT_REFUSED("section .data overlaps section .rdata");
}

Test(pe_headers, unaligned_section_is_refused)
{
    tpe_sec(&img, TPE_DATA)->VirtualAddress = 0x3200;
    EXPECT_REFUSED("section .data is not aligned to SectionAlignment");
}

Test(pe_headers, section_over_headers_is_refused)
{
    tpe_opt(&img)->SizeOfHeaders = 0x1400;
    EXPECT_REFUSED("section .text overlaps the headers");
}

Test(pe_headers, bad_alignments_are_refused)
{
    tpe_opt(&img)->SectionAlignment = 0x1800;
    EXPECT_REFUSED("bad SectionAlignment 0x1800");
    setup();
    tpe_opt(&img)->FileAlignment = 0;
    EXPECT_REFUSED("bad FileAlignment 0x0");
    setup();
    tpe_opt(&img)->FileAlignment = 0x2000;
    EXPECT_REFUSED("FileAlignment 0x2000 is larger than SectionAlignment 0x1000");
}

Test(pe_headers, size_of_headers_must_cover_section_table)
{
    tpe_opt(&img)->SizeOfHeaders = 0x100;
    EXPECT_REFUSED("SizeOfHeaders 0x100 does not cover the section table");
}

Test(pe_headers, size_of_image_limits_are_enforced)
{
    tpe_opt(&img)->SizeOfImage = 0;
    EXPECT_REFUSED("SizeOfImage is 0");
    tpe_opt(&img)->SizeOfImage = 0xfffff000;
    EXPECT_REFUSED("SizeOfImage 0xfffff000 is too large");
}

Test(pe_headers, entry_point_outside_image_is_refused)
{
    tpe_opt(&img)->AddressOfEntryPoint = TPE_IMAGE_SIZE;
    EXPECT_REFUSED("entry point 0x5000 lies outside the image");
}

Test(pe_headers, unaligned_image_base_is_refused)
{
    tpe_opt(&img)->ImageBase = 0x140001000;
    EXPECT_REFUSED("ImageBase 0x140001000 is not a multiple of 64K");
}

static void check_dir_outside(unsigned index, const char *want)
{
    setup();
    tpe_set_dir(&img, index, 0x4ff0, 0x100);
    EXPECT_REFUSED(want);
    setup(); /* RVA + size wraps around 32 bits */
    tpe_set_dir(&img, index, 0xfffffff0, 0x20);
    EXPECT_REFUSED(want);
}

Test(pe_headers, data_directories_outside_the_image_are_refused)
{
    check_dir_outside(IMAGE_DIRECTORY_ENTRY_IMPORT, "import directory lies outside the image");
    check_dir_outside(IMAGE_DIRECTORY_ENTRY_EXPORT, "export directory lies outside the image");
    check_dir_outside(IMAGE_DIRECTORY_ENTRY_BASERELOC,
                      "base relocation directory lies outside the image");
    check_dir_outside(IMAGE_DIRECTORY_ENTRY_TLS, "TLS directory lies outside the image");
    check_dir_outside(IMAGE_DIRECTORY_ENTRY_EXCEPTION,
                      "exception directory lies outside the image");
    check_dir_outside(IMAGE_DIRECTORY_ENTRY_IAT,
                      "import address table directory lies outside the image");
}

Test(pe_headers, tls_directory_too_close_to_the_end_is_refused)
{
    /* The size field says 8 bytes, but the loader reads the whole 0x28-byte structure. */
    tpe_set_dir(&img, IMAGE_DIRECTORY_ENTRY_TLS, TPE_IMAGE_SIZE - 0x10, 8);
    EXPECT_REFUSED("TLS directory lies outside the image");
}

Test(pe_headers, certificate_table_is_checked_against_the_file)
{
    tpe_set_dir(&img, IMAGE_DIRECTORY_ENTRY_SECURITY, TPE_FILE_SIZE - 8, 0x100);
    EXPECT_REFUSED("certificate table lies outside the file");
}

Test(pe_headers, directory_inside_the_image_is_accepted)
{
    tpe_set_dir(&img, IMAGE_DIRECTORY_ENTRY_IMPORT, 0x2000, 0x28);
    tpe_set_dir(&img, IMAGE_DIRECTORY_ENTRY_BASERELOC, 0x4000, 0x0c);
    int r = parse();
    cr_assert_eq(r, 0, "parse failed: %s", err);
    cr_assert_eq(pe.dirs[IMAGE_DIRECTORY_ENTRY_IMPORT].VirtualAddress, 0x2000u, "import RVA 0x%x",
                 pe.dirs[IMAGE_DIRECTORY_ENTRY_IMPORT].VirtualAddress);
    cr_assert_eq(pe.dirs[IMAGE_DIRECTORY_ENTRY_BASERELOC].Size, 0x0cu, "reloc size 0x%x",
                 pe.dirs[IMAGE_DIRECTORY_ENTRY_BASERELOC].Size);
}

Test(pe_headers, directories_beyond_number_of_rva_and_sizes_are_ignored)
{
    tpe_opt(&img)->NumberOfRvaAndSizes = 2;
    tpe_set_dir(&img, IMAGE_DIRECTORY_ENTRY_TLS, 0xfffffff0, 0x20); /* not counted */
    int r = parse();
    cr_assert_eq(r, 0, "parse failed: %s", err);
    cr_assert_eq(pe.ndirs, 2u, "ndirs %u", pe.ndirs);
    cr_assert_eq(pe.dirs[IMAGE_DIRECTORY_ENTRY_TLS].VirtualAddress, 0u, "TLS RVA 0x%x",
                 pe.dirs[IMAGE_DIRECTORY_ENTRY_TLS].VirtualAddress);
}

Test(pe_headers, uninitialized_section_needs_no_file_data)
{
    IMAGE_SECTION_HEADER *sh = tpe_sec(&img, TPE_DATA);
    sh->SizeOfRawData = 0;
    sh->PointerToRawData = 0;
    sh->Characteristics = 0xc0000080; /* .bss */
    img.size = TPE_FILE_SIZE;
    int r = parse();
    cr_assert_eq(r, 0, "parse failed: %s", err);
    cr_assert_eq(pe.sections[TPE_DATA].raw_size, 0u, "raw size 0x%x",
                 pe.sections[TPE_DATA].raw_size);
    cr_assert_eq(pe.sections[TPE_DATA].vsize, 0x1000u, "vsize 0x%x", pe.sections[TPE_DATA].vsize);
}

Test(pe_headers, size_of_image_not_section_aligned_is_accepted)
{
    tpe_sec(&img, TPE_RELOC)->VirtualSize = 0x10; /* its aligned extent still covers the raw data */
    tpe_opt(&img)->SizeOfImage = 0x4010;          /* not a multiple of SectionAlignment */
    int r = parse();
    cr_assert_eq(r, 0, "parse failed: %s", err);
    cr_assert_eq(pe.sections[TPE_RELOC].raw_size, TPE_RAW, "raw size 0x%x",
                 pe.sections[TPE_RELOC].raw_size);
    cr_assert(pe.sections[TPE_RELOC].vaddr + pe.sections[TPE_RELOC].raw_size <= 0x5000u,
              "copy stays inside the page-rounded image");
}

/* xorshift64*: deterministic, so a failure reproduces. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

Test(pe_headers, mutated_headers_never_crash_or_escape)
{
    static tpe base;
    tpe_init(&base);
    tpe_set_dir(&base, IMAGE_DIRECTORY_ENTRY_IMPORT, 0x2000, 0x28);
    tpe_set_dir(&base, IMAGE_DIRECTORY_ENTRY_BASERELOC, 0x4000, 0x0c);
    tpe_set_dir(&base, IMAGE_DIRECTORY_ENTRY_TLS, 0x3000, 0x28);
    unsigned accepted = 0;
    for (int iter = 0; iter < 20000; iter++) {
        memcpy(&img, &base, sizeof img);
        int nmut = 1 + (int)(rng() % 4);
        for (int m = 0; m < nmut; m++) {
            size_t off = (size_t)(rng() % TPE_HEADERS);
            switch (rng() % 3) {
            case 0: img.file[off] = (uint8_t)rng(); break;
            case 1: img.file[off] ^= (uint8_t)(1u << (rng() % 8)); break;
            default: { uint32_t v = (uint32_t)rng(); memcpy(img.file + (off & ~3u), &v, 4); }
            }
        }
        if (rng() % 8 == 0)
            img.size = (size_t)(rng() % (TPE_FILE_SIZE + 1));
        /* Parse from an exactly-sized heap copy so ASan catches any read past the end. */
        uint8_t *copy = malloc(img.size ? img.size : 1);
        cr_assert(copy);
        memcpy(copy, img.file, img.size);
        int r = ldr_pe_parse(copy, img.size, &pe, err, sizeof err);
        if (r == 0) {
            accepted++;
            for (uint32_t i = 0; i < pe.nsections; i++) {
                const ldr_section *s = &pe.sections[i];
                cr_assert((uint64_t)s->vaddr + s->vsize <= pe.size_of_image,
                          "iteration %d: section %u escapes the image", iter, i);
                cr_assert((uint64_t)s->vaddr + s->raw_size <=
                              ((uint64_t)pe.size_of_image + 0xfff) / 0x1000 * 0x1000,
                          "iteration %d: section %u copy escapes the mapping", iter, i);
                cr_assert(s->raw_size == 0 ||
                              (uint64_t)s->raw_offset + s->raw_size <= img.size,
                          "iteration %d: section %u raw data escapes the file", iter, i);
            }
            for (unsigned d = 0; d < pe.ndirs; d++) {
                if (d == IMAGE_DIRECTORY_ENTRY_SECURITY)
                    continue;
                cr_assert((uint64_t)pe.dirs[d].VirtualAddress + pe.dirs[d].Size <=
                              pe.size_of_image,
                          "iteration %d: directory %u escapes the image", iter, d);
            }
        } else {
            cr_assert(err[0] != 0, "iteration %d: refusal without a message", iter);
        }
        free(copy);
    }
    cr_assert(accepted > 0, "no mutant was accepted: the base image must be valid");
}
