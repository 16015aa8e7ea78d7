/* Foreign-DLL pieces of the loader (loader/dll.c, loader/imports.c) on a synthetic image
 * (tests/unit/pe_builder.h) and the built-in DLL "dlltest.dll" declared here: an export
 * directory entry by ordinal (Base honoured), a forwarder entry reporting its "DLL.name" string,
 * ldr_get_export following forwarders to a built-in DLL by name, a forwarder to a DLL that is
 * nowhere failing with "cannot find", an absent export named; DLL references resolving to
 * built-ins in any case and through API-set names (api-ms-win-core-* -> kernel32,
 * api-ms-win-crt-* -> ucrtbase or msvcrt); a missing DLL failing with the directories searched
 * (--dll-path's list included); ldr_find_module_by_address knowing nothing outside images;
 * kernel32's GetProcAddress/LoadLibraryA/GetModuleHandleA with an unreadable name failing
 * instead of crashing; a TLS index past the first 64 slots growing TEB.ThreadLocalStoragePointer
 * with the existing blocks kept. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "loader/loader_private.h"
#include "thunks/thunks.h"
#include "pe_builder.h"

static uint64_t WINAPI dll_test_add(uint64_t a, uint64_t b) { return a + b; }
THK_EXPORT_AS(dlltest, DllTestAdd, dll_test_add, 2);

void *WINAPI GetProcAddress(HMODULE mod, const char *name);
HMODULE WINAPI LoadLibraryA(const char *name);
HMODULE WINAPI LoadLibraryW(const WCHAR *name);
HMODULE WINAPI GetModuleHandleA(const char *name);

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
    ldr_set_dll_search_path(NULL);
}

TestSuite(dlls, .init = setup, .fini = teardown);

/* Export directory at 0x2000 with Base 10: ordinal 10 "Alpha" (code), 11 "Fwd" (forwarder to
 * `fwd`), 12 "Loop" (forwarder to `loop`). */
static void build(const char *fwd, const char *loop)
{
    static const char *const names[] = {"Alpha", "Fwd", "Loop"};
    const uint32_t funcs = 0x2040, name_ptrs = 0x2060, ords = 0x2080, strs = 0x2100;
    IMAGE_EXPORT_DIRECTORY ed = {
        .Base = 10, .NumberOfFunctions = 3, .NumberOfNames = 3,
        .AddressOfFunctions = funcs, .AddressOfNames = name_ptrs, .AddressOfNameOrdinals = ords,
    };
    memcpy(tpe_at(&file, 0x2000), &ed, sizeof ed);
    uint32_t s = strs;
    for (uint32_t i = 0; i < 3; i++) {
        tpe_put32(&file, name_ptrs + 4 * i, s);
        s = tpe_putstr(&file, s, names[i]);
        tpe_put16(&file, ords + 2 * i, (uint16_t)i);
    }
    tpe_put32(&file, funcs, 0x1000);
    tpe_put32(&file, funcs + 4, s);
    s = tpe_putstr(&file, s, fwd);
    tpe_put32(&file, funcs + 8, s);
    s = tpe_putstr(&file, s, loop);
    tpe_set_dir(&file, IMAGE_DIRECTORY_ENTRY_EXPORT, 0x2000, s - 0x2000);
    cr_assert_eq(ldr_pe_parse(file.file, file.size, &pe, err, sizeof err), 0, "parse: %s", err);
    cr_assert_eq(ldr_map_image(&pe, "dlls.dll", &img, err, sizeof err), 0, "map: %s", err);
}

Test(dlls, export_entry_by_ordinal_honours_base)
{
    build("dlltest.DllTestAdd", "x.y");
    size_t size = img.size_of_image;
    cr_assert_eq(ldr_export_entry(img.base, size, NULL, 0, 10, true, NULL), img.base + 0x1000);
    cr_assert_null(ldr_export_entry(img.base, size, NULL, 0, 9, true, NULL), "below Base");
    cr_assert_null(ldr_export_entry(img.base, size, NULL, 0, 13, true, NULL), "past the end");
}

Test(dlls, export_entry_reports_the_forwarder_string)
{
    build("dlltest.DllTestAdd", "x.y");
    const char *fwd = NULL;
    void *p = ldr_export_entry(img.base, img.size_of_image, "Fwd", 0, 0, false, &fwd);
    cr_assert_null(p, "forwarder returned as an address %p", p);
    cr_assert_not_null(fwd, "no forwarder string");
    cr_assert_str_eq(fwd, "dlltest.DllTestAdd");
}

Test(dlls, get_export_follows_a_forwarder_to_a_builtin)
{
    build("DLLTEST.DllTestAdd", "x.y");
    void *want = thk_resolve("dlltest.dll", "DllTestAdd");
    void *got = ldr_get_export(NULL, img.base, img.size_of_image, "Fwd", 0, err, sizeof err);
    cr_assert_eq(got, want, "got %p, want %p (%s)", got, want, err);
    got = ldr_get_export(NULL, img.base, img.size_of_image, NULL, 11, err, sizeof err);
    cr_assert_eq(got, want, "by ordinal: got %p, want %p (%s)", got, want, err);
}

Test(dlls, forwarder_to_a_missing_dll_says_cannot_find)
{
    build("nosuchdll_xyz.Thing", "x.y");
    void *got = ldr_get_export(NULL, img.base, img.size_of_image, "Fwd", 0, err, sizeof err);
    cr_assert_null(got, "got %p", got);
    cr_assert(strstr(err, "cannot find nosuchdll_xyz.dll (searched: ") != NULL, "err: %s", err);
}

Test(dlls, absent_export_is_named)
{
    build("dlltest.DllTestAdd", "x.y");
    cr_assert_null(ldr_get_export(NULL, img.base, img.size_of_image, "Nope", 0, err, sizeof err));
    cr_assert(strstr(err, "does not export Nope") != NULL, "err: %s", err);
}

Test(dlls, builtin_names_in_any_case_resolve_to_builtins)
{
    ldr_module *m = (ldr_module *)1;
    char name[64];
    int r = ldr_dll_load_dep(NULL, "KERNEL32", NULL, &m, name, sizeof name, err, sizeof err);
    cr_assert_eq(r, 1, "r = %d (%s)", r, err);
    cr_assert_null(m, "module %p", (void *)m);
    cr_assert_str_eq(name, "kernel32.dll", "the built-in's own name");
    cr_assert(thk_is_builtin_dll(name));
}

Test(dlls, api_sets_map_to_builtins)
{
    ldr_module *m;
    char name[64];
    int r = ldr_dll_load_dep(NULL, "api-ms-win-core-synch-l1-2-0.dll", NULL, &m, name,
                             sizeof name, err, sizeof err);
    cr_assert_eq(r, 1, "r = %d (%s)", r, err);
    cr_assert_str_eq(name, "kernelbase.dll", "the core sets' host (thunks/dlls.list)");
    r = ldr_dll_load_dep(NULL, "API-MS-WIN-CRT-RUNTIME-L1-1-0.DLL", NULL, &m, name, sizeof name,
                         err, sizeof err);
    cr_assert_eq(r, 1, "r = %d (%s)", r, err);
    cr_assert_str_eq(name, "ucrtbase.dll");
}

Test(dlls, missing_dll_names_the_directories_searched)
{
    ldr_set_dll_search_path("/nonexistent-one:/nonexistent-two");
    ldr_module *m;
    char name[64];
    int r = ldr_dll_load_dep(NULL, "nosuchdll_abc.dll", NULL, &m, name, sizeof name, err,
                             sizeof err);
    cr_assert_eq(r, -2, "r = %d (%s)", r, err);
    cr_assert(strstr(err, "cannot find nosuchdll_abc.dll (searched: ") == err, "err: %s", err);
    cr_assert(strstr(err, "/nonexistent-one, /nonexistent-two") != NULL, "err: %s", err);
}

Test(dlls, find_module_by_address_outside_images_is_false)
{
    void *base = (void *)1;
    size_t size = 1;
    cr_assert(!ldr_find_module_by_address((uintptr_t)&base, &base, &size), "stack in an image");
    cr_assert_eq(base, (void *)1, "base written");
}

Test(dlls, unreadable_names_fail_without_a_crash)
{
    cr_assert_eq(rt_process_init(), 0); /* rt_safe_copy's fault fix-up */
    cr_assert_eq(rt_thread_init_current(), 0);
    const char *bad = (const char *)(uintptr_t)0x10000; /* below any mapping we make */
    HMODULE k32 = thk_builtin_module("kernel32.dll");
    cr_assert_not_null(k32);
    cr_assert_null(GetProcAddress(k32, bad), "GetProcAddress with a bad name");
    cr_assert_null(LoadLibraryA(bad), "LoadLibraryA with a bad name");
    cr_assert_null(LoadLibraryW((const WCHAR *)bad), "LoadLibraryW with a bad name");
    cr_assert_null(GetModuleHandleA(bad), "GetModuleHandleA with a bad name");
    cr_assert_not_null(GetProcAddress(k32, "GetLastError"), "a good name after them");
    rt_thread_fini_current();
}

Test(dlls, tls_array_grows_for_a_high_index)
{
    cr_assert_eq(rt_process_init(), 0);
    cr_assert_eq(rt_thread_init_current(), 0);
    static const char tmpl_a[8] = "slot-0", tmpl_b[8] = "slot-99";
    ldr_module a = {.name = "a.dll"}, b = {.name = "b.dll"};
    a.tls = (ldr_tls){.present = true, .index = 0, .template_start = (uintptr_t)tmpl_a,
                      .template_size = sizeof tmpl_a, .zero_fill = 8, .alignment = 16};
    b.tls = (ldr_tls){.present = true, .index = 99, .template_start = (uintptr_t)tmpl_b,
                      .template_size = sizeof tmpl_b, .zero_fill = 0, .alignment = 16};
    cr_assert_eq(ldr_tls_thread_init(&a), 0);
    void **first = rt_current_teb()->ThreadLocalStoragePointer;
    cr_assert_eq(ldr_tls_array_slots(first), 64, "slots %zu", ldr_tls_array_slots(first));
    cr_assert_eq(ldr_tls_thread_init(&b), 0);
    void **array = rt_current_teb()->ThreadLocalStoragePointer;
    cr_assert_geq(ldr_tls_array_slots(array), 100, "slots %zu", ldr_tls_array_slots(array));
    cr_assert_str_eq((const char *)array[0], "slot-0", "slot 0 lost in the move");
    cr_assert_str_eq((const char *)array[99], "slot-99");
    ldr_tls_thread_fini(&b);
    ldr_tls_thread_fini(&a);
    cr_assert_null(rt_current_teb()->ThreadLocalStoragePointer, "array left after the last fini");
    rt_thread_fini_current();
}
