/* Import binding (loader/imports.c) on synthetic images (tests/unit/pe_builder.h) importing from
 * "ntruntest.dll", a built-in DLL declared in this file with THK_EXPORT_AS/THK_EXPORT_DATA:
 * by-name imports resolve to the built-in export (whatever the hint, any DLL-name case);
 * a data import gets the variable's address; an ordinal, an unknown function and any function
 * of a DLL that is not built in bind distinct non-NULL stubs; strict mode refuses, listing every
 * missing import; an image without OriginalFirstThunk binds through the IAT; malformed tables
 * (DLL name, hint/name entry, thunk array or descriptor array outside the image) are refused
 * naming the problem. Also ldr_find_export: hint hit, hint miss, absent name, forwarder. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "loader/loader_private.h"
#include "thunks/thunks.h"
#include "pe_builder.h"

static uint64_t WINAPI ldr_test_add(uint64_t a, uint64_t b) { return a + b; }
static uint64_t WINAPI ldr_test_sub(uint64_t a, uint64_t b) { return a - b; }
static int32_t ldr_test_var = 1234;
THK_EXPORT_AS(ntruntest, LdrTestAdd, ldr_test_add, 2);
THK_EXPORT_AS(ntruntest, LdrTestSub, ldr_test_sub, 2);
THK_EXPORT_DATA(ntruntest, ldr_test_var, &ldr_test_var);

static tpe file;
static ldr_pe pe;
static ldr_image img;
static char err[1024];

static void setup(void)
{
    cr_assert_eq(thk_init(), 0, "thk_init failed");
    tpe_init(&file);
    memset(&img, 0, sizeof img);
    err[0] = 0;
}

static void teardown(void)
{
    ldr_unmap_image(&img);
}

TestSuite(imports, .init = setup, .fini = teardown);

/* ---- an import directory builder ----
 * Descriptors at .rdata+0 (0x2000), name tables from 0x2100, hint/name entries and DLL names
 * from 0x2400; the IATs in .data from 0x3000. A function name "#12" is an import by ordinal. */
typedef struct imp_fn {
    const char *name;
    uint16_t hint;
} imp_fn;
typedef struct imp_dll {
    const char *dll;
    imp_fn fns[8]; /* up to the first NULL name */
} imp_dll;

#define MAX_DLLS 4
static uint32_t iat_rva[MAX_DLLS][8];
static uint32_t int_rva[MAX_DLLS];
static uint32_t name_rva[MAX_DLLS];

static void build_imports(const imp_dll *dlls, int n, bool with_int)
{
    uint32_t desc = 0x2000, ints = 0x2100, strs = 0x2400, iats = 0x3000;
    for (int i = 0; i < n; i++) {
        int nf = 0;
        while (nf < 8 && dlls[i].fns[nf].name)
            nf++;
        int_rva[i] = ints;
        uint32_t iat = iats;
        for (int j = 0; j < nf; j++) {
            uint64_t entry;
            const char *name = dlls[i].fns[j].name;
            if (name[0] == '#') {
                entry = IMAGE_ORDINAL_FLAG64 | (uint64_t)strtoul(name + 1, NULL, 10);
            } else {
                entry = strs;
                tpe_put16(&file, strs, dlls[i].fns[j].hint);
                strs = tpe_putstr(&file, strs + 2, name);
                strs = (strs + 1) & ~1u;
            }
            tpe_put64(&file, ints + 8 * (uint32_t)j, entry);
            tpe_put64(&file, iat + 8 * (uint32_t)j, entry);
            iat_rva[i][j] = iat + 8 * (uint32_t)j;
        }
        name_rva[i] = strs;
        strs = tpe_putstr(&file, strs, dlls[i].dll);
        IMAGE_IMPORT_DESCRIPTOR d = {
            .OriginalFirstThunk = with_int ? ints : 0,
            .Name = name_rva[i],
            .FirstThunk = iat,
        };
        memcpy(tpe_at(&file, desc), &d, sizeof d);
        desc += sizeof d;
        ints += 8 * (uint32_t)(nf + 1);
        iats += 8 * (uint32_t)(nf + 1);
    }
    tpe_set_dir(&file, IMAGE_DIRECTORY_ENTRY_IMPORT, 0x2000,
                (uint32_t)((n + 1) * sizeof(IMAGE_IMPORT_DESCRIPTOR)));
}

static int load(bool strict)
{
    cr_assert_eq(ldr_pe_parse(file.file, file.size, &pe, err, sizeof err), 0, "parse: %s", err);
    cr_assert_eq(ldr_map_image(&pe, "imports.exe", &img, err, sizeof err), 0, "map: %s", err);
    ldr_options opts = {.strict = strict};
    return ldr_bind_imports(&pe, &img, &opts, "imports.exe", err, sizeof err);
}

static void *iat(int dll, int fn)
{
    uint64_t v;
    memcpy(&v, img.base + iat_rva[dll][fn], 8);
    return (void *)(uintptr_t)v;
}

static const imp_dll mixed[] = {
    {"ntruntest.dll", {{"LdrTestAdd", 0}, {"#12", 0}, {"NoSuchFunction", 0}, {"ldr_test_var", 0}}},
    {"USER32.dll", {{"DrawIcon", 0}}},
};

Test(imports, by_name_builtin_export_resolves)
{
    build_imports(mixed, 2, true);
    int r = load(false);
    cr_assert_eq(r, 0, "bind failed: %s", err);
    void *want = thk_resolve("ntruntest.dll", "LdrTestAdd");
    cr_assert_not_null(want, "thk_resolve does not know LdrTestAdd");
    cr_assert_eq(iat(0, 0), want, "IAT has %p, thk_resolve says %p", iat(0, 0), want);
}

Test(imports, data_import_gets_the_variable_address)
{
    build_imports(mixed, 2, true);
    cr_assert_eq(load(false), 0, "bind failed: %s", err);
    cr_assert_eq(iat(0, 3), (void *)&ldr_test_var, "IAT has %p, variable at %p", iat(0, 3),
                 (void *)&ldr_test_var);
}

Test(imports, missing_imports_bind_distinct_stubs)
{
    build_imports(mixed, 2, true);
    cr_assert_eq(load(false), 0, "bind failed: %s", err);
    void *real[] = {thk_resolve("ntruntest.dll", "LdrTestAdd"),
                    thk_resolve("ntruntest.dll", "LdrTestSub"), (void *)&ldr_test_var};
    void *stubs[] = {iat(0, 1), iat(0, 2), iat(1, 0)}; /* ordinal, unknown name, foreign DLL */
    for (int i = 0; i < 3; i++) {
        cr_assert_not_null(stubs[i], "stub %d is NULL", i);
        for (int j = 0; j < 3; j++)
            cr_assert_neq(stubs[i], real[j], "stub %d (%p) is a real export", i, stubs[i]);
        for (int j = 0; j < i; j++)
            cr_assert_neq(stubs[i], stubs[j], "stubs %d and %d are both %p", i, j, stubs[i]);
    }
}

Test(imports, hint_right_or_wrong_gives_the_same_export)
{
    static const imp_dll d[] = {
        {"ntruntest.dll", {{"LdrTestSub", 1}, {"LdrTestSub", 0}, {"LdrTestAdd", 0xffff},
                           {"LdrTestAdd", 1}}},
    };
    build_imports(d, 1, true);
    cr_assert_eq(load(false), 0, "bind failed: %s", err);
    void *sub = thk_resolve("ntruntest.dll", "LdrTestSub");
    void *add = thk_resolve("ntruntest.dll", "LdrTestAdd");
    cr_assert_eq(iat(0, 0), sub, "good hint: %p, want %p", iat(0, 0), sub);
    cr_assert_eq(iat(0, 1), sub, "wrong hint: %p, want %p", iat(0, 1), sub);
    cr_assert_eq(iat(0, 2), add, "hint out of range: %p, want %p", iat(0, 2), add);
    cr_assert_eq(iat(0, 3), add, "hint naming another export: %p, want %p", iat(0, 3), add);
}

Test(imports, dll_name_case_does_not_matter)
{
    static const imp_dll d[] = {{"NTRUNTEST.DLL", {{"LdrTestAdd", 0}}},
                                {"NtRunTest", {{"LdrTestSub", 0}}}};
    build_imports(d, 2, true);
    cr_assert_eq(load(true), 0, "bind failed: %s", err);
    cr_assert_eq(iat(0, 0), thk_resolve("ntruntest.dll", "LdrTestAdd"), "got %p", iat(0, 0));
    cr_assert_eq(iat(1, 0), thk_resolve("ntruntest.dll", "LdrTestSub"), "got %p", iat(1, 0));
}

/* The strict-mode report: one line per missing import (rt_message), nothing cut short. */
static char strict_lines[4096];
static void strict_sink(void *ctx, const char *line, size_t len)
{
    (void)ctx;
    size_t have = strlen(strict_lines);
    if (have + len + 1 < sizeof strict_lines) {
        memcpy(strict_lines + have, line, len);
        strict_lines[have + len] = 0;
    }
}

Test(imports, strict_mode_lists_every_missing_import)
{
    build_imports(mixed, 2, true);
    strict_lines[0] = 0;
    rt_set_message_sink(strict_sink, NULL);
    int r = load(true);
    rt_set_message_sink(NULL, NULL);
    cr_assert_eq(r, -1, "strict bind of missing imports succeeded");
    cr_assert_str_eq(err, "3 missing imports (listed above)");
    cr_assert_str_eq(strict_lines,
                     "ntrun: imports.exe: missing import ntruntest.dll!#12 (not exported)\n"
                     "ntrun: imports.exe: missing import ntruntest.dll!NoSuchFunction (not exported)\n"
                     "ntrun: imports.exe: missing import USER32.dll!DrawIcon (not implemented)\n");
}

Test(imports, strict_mode_with_one_missing_import_says_so)
{
    static const imp_dll d[] = {{"ntruntest.dll", {{"LdrTestAdd", 0}, {"Nope", 0}}}};
    build_imports(d, 1, true);
    cr_assert_eq(load(true), -1, "strict bind succeeded");
    cr_assert_str_eq(err, "1 missing import (listed above)");
}

Test(imports, strict_mode_with_everything_present_binds)
{
    static const imp_dll d[] = {{"ntruntest.dll", {{"LdrTestAdd", 0}, {"ldr_test_var", 0}}}};
    build_imports(d, 1, true);
    cr_assert_eq(load(true), 0, "bind failed: %s", err);
    cr_assert_eq(iat(0, 1), (void *)&ldr_test_var, "got %p", iat(0, 1));
}

Test(imports, iat_without_name_table_binds)
{
    build_imports(mixed, 2, false); /* OriginalFirstThunk 0: the IAT holds the names */
    cr_assert_eq(load(false), 0, "bind failed: %s", err);
    cr_assert_eq(iat(0, 0), thk_resolve("ntruntest.dll", "LdrTestAdd"), "got %p", iat(0, 0));
    cr_assert_eq(iat(0, 3), (void *)&ldr_test_var, "got %p", iat(0, 3));
}

Test(imports, no_import_directory_is_fine)
{
    cr_assert_eq(load(true), 0, "bind failed: %s", err);
}

#define EXPECT_REFUSED(want)                                                                  \
    do {                                                                                      \
        int r_ = load(false);                                                                 \
        cr_assert_eq(r_, -1, "bind returned %d (expected a refusal: %s)", r_, want);          \
        cr_assert(strstr(err, want) != NULL, "message '%s' does not say '%s'", err, want);    \
    } while (0)

Test(imports, descriptor_name_rva_out_of_range_is_refused)
{
    build_imports(mixed, 2, true);
    IMAGE_IMPORT_DESCRIPTOR d;
    memcpy(&d, tpe_at(&file, 0x2000 + sizeof d), sizeof d);
    d.Name = 0x9000;
    memcpy(tpe_at(&file, 0x2000 + sizeof d), &d, sizeof d);
    EXPECT_REFUSED("import descriptor 1 has a DLL name outside the image (RVA 0x9000)");
}

Test(imports, descriptor_name_running_off_the_image_is_refused)
{
    build_imports(mixed, 2, true);
    /* The name's last byte is the image's last byte, with no terminator after it. */
    tpe_opt(&file)->SizeOfImage = 0x4800;
    tpe_sec(&file, TPE_RELOC)->VirtualSize = 0x800;
    memset(tpe_at(&file, 0x47f0), 'A', 0x10);
    IMAGE_IMPORT_DESCRIPTOR d;
    memcpy(&d, tpe_at(&file, 0x2000), sizeof d);
    d.Name = 0x47f0;
    memcpy(tpe_at(&file, 0x2000), &d, sizeof d);
    EXPECT_REFUSED("import descriptor 0 has a DLL name outside the image (RVA 0x47f0)");
}

Test(imports, hint_name_rva_out_of_range_is_refused)
{
    build_imports(mixed, 2, true);
    tpe_put64(&file, int_rva[0], 0x7fff0000);
    EXPECT_REFUSED("import 0 of ntruntest.dll (descriptor 0) has a name outside the image");
}

Test(imports, thunk_array_running_off_the_image_is_refused)
{
    build_imports(mixed, 2, true);
    tpe_opt(&file)->SizeOfImage = 0x4800;
    tpe_sec(&file, TPE_RELOC)->VirtualSize = 0x800;
    tpe_put64(&file, 0x47f8, 0x2400 + 0); /* a valid hint/name entry, then the image ends */
    IMAGE_IMPORT_DESCRIPTOR d;
    memcpy(&d, tpe_at(&file, 0x2000), sizeof d);
    d.OriginalFirstThunk = 0x47f8;
    memcpy(tpe_at(&file, 0x2000), &d, sizeof d);
    EXPECT_REFUSED("import table of ntruntest.dll runs past the end of the image");
}

Test(imports, descriptor_array_running_off_the_image_is_refused)
{
    build_imports(mixed, 1, true);
    tpe_opt(&file)->SizeOfImage = 0x4800;
    tpe_sec(&file, TPE_RELOC)->VirtualSize = 0x800;
    uint32_t at = 0x4800 - sizeof(IMAGE_IMPORT_DESCRIPTOR);
    memcpy(tpe_at(&file, at), tpe_at(&file, 0x2000), sizeof(IMAGE_IMPORT_DESCRIPTOR));
    tpe_set_dir(&file, IMAGE_DIRECTORY_ENTRY_IMPORT, at, sizeof(IMAGE_IMPORT_DESCRIPTOR));
    EXPECT_REFUSED("import directory is not terminated inside the image");
}

/* ---- ldr_find_export on an export directory built in .rdata ---- */

static void build_exports(void)
{
    /* Directory at 0x2000; names sorted; "Fwd" is a forwarder (its RVA points inside). */
    static const char *const names[] = {"Alpha", "Beta", "Fwd", "Gamma"};
    const uint32_t funcs = 0x2040, name_ptrs = 0x2060, ords = 0x2080, strs = 0x2100;
    IMAGE_EXPORT_DIRECTORY ed = {
        .Base = 1, .NumberOfFunctions = 4, .NumberOfNames = 4,
        .AddressOfFunctions = funcs, .AddressOfNames = name_ptrs, .AddressOfNameOrdinals = ords,
    };
    memcpy(tpe_at(&file, 0x2000), &ed, sizeof ed);
    uint32_t s = strs;
    for (uint32_t i = 0; i < 4; i++) {
        tpe_put32(&file, name_ptrs + 4 * i, s);
        s = tpe_putstr(&file, s, names[i]);
        tpe_put16(&file, ords + 2 * i, (uint16_t)(3 - i)); /* functions in reverse order */
    }
    uint32_t fwd = s;
    s = tpe_putstr(&file, s, "OTHER.Thing");
    tpe_put32(&file, funcs + 4 * 3, 0x1000); /* Alpha */
    tpe_put32(&file, funcs + 4 * 2, 0x1010); /* Beta */
    tpe_put32(&file, funcs + 4 * 1, fwd);    /* Fwd */
    tpe_put32(&file, funcs + 4 * 0, 0x1030); /* Gamma */
    tpe_set_dir(&file, IMAGE_DIRECTORY_ENTRY_EXPORT, 0x2000, s - 0x2000);
    cr_assert_eq(load(false), 0, "load: %s", err);
}

Test(imports, find_export_uses_hint_then_name)
{
    build_exports();
    size_t size = img.size_of_image;
    cr_assert_eq(ldr_find_export(img.base, size, "Beta", 1), img.base + 0x1010, "hint hit");
    cr_assert_eq(ldr_find_export(img.base, size, "Beta", 3), img.base + 0x1010, "hint miss");
    cr_assert_eq(ldr_find_export(img.base, size, "Alpha", 900), img.base + 0x1000, "bad hint");
    cr_assert_eq(ldr_find_export(img.base, size, "Gamma", 0), img.base + 0x1030, "last name");
    cr_assert_null(ldr_find_export(img.base, size, "Delta", 0), "absent name found");
    cr_assert_null(ldr_find_export(img.base, size, "Alph", 0), "prefix matched");
    cr_assert_null(ldr_find_export(img.base, size, "Fwd", 2), "forwarder returned");
}

Test(imports, find_export_without_directory_finds_nothing)
{
    cr_assert_eq(load(false), 0, "load: %s", err);
    cr_assert_null(ldr_find_export(img.base, img.size_of_image, "Alpha", 0), "found something");
    cr_assert_null(ldr_find_export(img.base, 0x20, "Alpha", 0), "tiny image found something");
}

Test(imports, find_export_in_a_builtin_image_matches_thk_resolve)
{
    const uint8_t *mod = thk_builtin_module("ntruntest.dll");
    cr_assert_not_null(mod, "ntruntest.dll has no built-in image");
    int32_t lfanew;
    memcpy(&lfanew, mod + 0x3c, 4);
    uint32_t size;
    memcpy(&size, mod + lfanew + 4 + sizeof(IMAGE_FILE_HEADER) +
                      offsetof(IMAGE_OPTIONAL_HEADER64, SizeOfImage), 4);
    void *add = thk_resolve("ntruntest.dll", "LdrTestAdd");
    void *sub = thk_resolve("ntruntest.dll", "LdrTestSub");
    cr_assert_eq(ldr_find_export(mod, size, "LdrTestAdd", 0), add, "LdrTestAdd by hint");
    cr_assert_eq(ldr_find_export(mod, size, "LdrTestSub", 0), sub, "LdrTestSub by name");
    cr_assert_null(ldr_find_export(mod, size, "ldr_test_var", 0), "data is not in the directory");
}
