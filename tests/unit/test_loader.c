/* The loader end to end (loader/loader.c, loader/tls.c) on a synthetic program written to a
 * temporary directory (tests/unit/pe_builder.h), with the real runtime: messages for files that
 * cannot be read or are not programs start with the program's name; a program importing from the
 * built-in "ntruntest.dll" declared here loads, relocated when its preferred base is taken, and
 * its entry point runs through the import and returns 42; TLS: the index is written, the thread's
 * block is a copy of the template plus zeroed fill at TEB->ThreadLocalStoragePointer[index], the
 * callback runs once with (image base, DLL_PROCESS_ATTACH) before the entry point; malformed TLS
 * directories are refused; PEB->ImageBaseAddress and the exe's LDR_DATA_TABLE_ENTRY (names,
 * base, size, entry) are set and removed again by ldr_unload; ldr_describe_address names the
 * module and offset; the program's Linux name is its real name however the path spells it; at
 * its preferred base the program's relocation section is left to be filled on first access,
 * unless import names or the TLS callback array lie in it (then it is copied and all binds). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "loader/loader_private.h"
#include "ntemu/ntemu.h"
#include "thunks/thunks.h"
#include "pe_builder.h"

static uint64_t WINAPI ldr_test_add(uint64_t a, uint64_t b) { return a + b; }
THK_EXPORT_AS(ntruntest, LdrTestAdd, ldr_test_add, 2);

#define BASE 0x300000000000ull /* preferred base, free in the test process */

/* RVAs in the synthetic program */
#define RVA_ENTRY_CALL 0x1000  /* return LdrTestAdd(40, 2) */
#define RVA_ENTRY_TLS 0x1100   /* return *(uint32_t *)ThreadLocalStoragePointer[0] */
#define RVA_CALLBACK 0x1200    /* store rcx, edx, count++ */
#define RVA_TLS_DIR 0x2000
#define RVA_CALLBACKS 0x2040
#define RVA_IMPORTS 0x2100
#define RVA_TEMPLATE 0x3000    /* 16 bytes */
#define RVA_TLS_INDEX 0x3020
#define RVA_CB_BASE 0x3100
#define RVA_CB_REASON 0x3108
#define RVA_CB_COUNT 0x310c
#define RVA_IAT 0x3200
#define TLS_ZERO_FILL 0x20

static tpe file;
static char dir[64], path[128], err[1024];
static ldr_module *mod;

static void setup(void)
{
    cr_assert_eq(rt_process_init(), 0);
    cr_assert_eq(nt_syscalls_init(10), 0);
    cr_assert_eq(thk_init(), 0);
    cr_assert_eq(rt_thread_init_current(), 0);
    strcpy(dir, "/tmp/ntrun-ldr-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/prog.exe", dir);
    mod = NULL;
    err[0] = 0;
}

static void teardown(void)
{
    if (mod)
        ldr_unload(mod);
    unlink(path);
    rmdir(dir);
    rt_thread_fini_current();
}

TestSuite(loader, .init = setup, .fini = teardown);

static void put_code(uint32_t rva, const uint8_t *code, size_t n)
{
    memcpy(tpe_at(&file, rva), code, n);
}

static void put_rip_disp(uint32_t at, uint32_t next_ip, uint32_t target)
{
    tpe_put32(&file, at, target - next_ip);
}

/* The program: code, TLS directory with one callback, one import, and the relocations for the
 * TLS directory's VAs. */
static void build_program(void)
{
    tpe_init(&file);
    tpe_opt(&file)->ImageBase = BASE;
    /* entry: sub rsp,40; mov ecx,40; mov edx,2; call [rip+IAT]; add rsp,40; ret */
    static const uint8_t call[] = {0x48, 0x83, 0xec, 0x28, 0xb9, 0x28, 0, 0, 0, 0xba, 0x02, 0,
                                   0, 0, 0xff, 0x15, 0, 0, 0, 0, 0x48, 0x83, 0xc4, 0x28, 0xc3};
    put_code(RVA_ENTRY_CALL, call, sizeof call);
    put_rip_disp(RVA_ENTRY_CALL + 16, RVA_ENTRY_CALL + 20, RVA_IAT);
    /* mov rax, gs:[0x58]; mov rax, [rax]; mov eax, [rax]; ret */
    static const uint8_t tls[] = {0x65, 0x48, 0x8b, 0x04, 0x25, 0x58, 0, 0, 0,
                                  0x48, 0x8b, 0x00, 0x8b, 0x00, 0xc3};
    put_code(RVA_ENTRY_TLS, tls, sizeof tls);
    /* mov [rip+base], rcx; mov [rip+reason], edx; inc dword [rip+count]; ret */
    static const uint8_t cb[] = {0x48, 0x89, 0x0d, 0, 0, 0, 0, 0x89, 0x15, 0, 0, 0, 0,
                                 0xff, 0x05, 0, 0, 0, 0, 0xc3};
    put_code(RVA_CALLBACK, cb, sizeof cb);
    put_rip_disp(RVA_CALLBACK + 3, RVA_CALLBACK + 7, RVA_CB_BASE);
    put_rip_disp(RVA_CALLBACK + 9, RVA_CALLBACK + 13, RVA_CB_REASON);
    put_rip_disp(RVA_CALLBACK + 15, RVA_CALLBACK + 19, RVA_CB_COUNT);

    /* TLS */
    IMAGE_TLS_DIRECTORY64 td = {
        .StartAddressOfRawData = BASE + RVA_TEMPLATE,
        .EndAddressOfRawData = BASE + RVA_TEMPLATE + 16,
        .AddressOfIndex = BASE + RVA_TLS_INDEX,
        .AddressOfCallBacks = BASE + RVA_CALLBACKS,
        .SizeOfZeroFill = TLS_ZERO_FILL,
    };
    memcpy(tpe_at(&file, RVA_TLS_DIR), &td, sizeof td);
    tpe_put64(&file, RVA_CALLBACKS, BASE + RVA_CALLBACK);
    static const uint32_t tmpl[4] = {0x11223344, 0x55667788, 0x99aabbcc, 0xddeeff00};
    memcpy(tpe_at(&file, RVA_TEMPLATE), tmpl, sizeof tmpl);
    tpe_put32(&file, RVA_TLS_INDEX, 0xdeadbeef);
    tpe_set_dir(&file, IMAGE_DIRECTORY_ENTRY_TLS, RVA_TLS_DIR, sizeof td);

    /* import ntruntest.dll!LdrTestAdd: descriptor, INT at +0x80, hint/name at +0xc0, name +0xe0 */
    IMAGE_IMPORT_DESCRIPTOR d = {.OriginalFirstThunk = RVA_IMPORTS + 0x80,
                                 .Name = RVA_IMPORTS + 0xe0, .FirstThunk = RVA_IAT};
    memcpy(tpe_at(&file, RVA_IMPORTS), &d, sizeof d);
    tpe_put64(&file, RVA_IMPORTS + 0x80, RVA_IMPORTS + 0xc0);
    tpe_put64(&file, RVA_IAT, RVA_IMPORTS + 0xc0);
    tpe_putstr(&file, RVA_IMPORTS + 0xc2, "LdrTestAdd");
    tpe_putstr(&file, RVA_IMPORTS + 0xe0, "ntruntest.dll");
    tpe_set_dir(&file, IMAGE_DIRECTORY_ENTRY_IMPORT, RVA_IMPORTS, 2 * sizeof d);

    /* relocations: the four VAs of the TLS directory and the callback pointer */
    static const uint16_t rel[] = {0xa000, 0xa008, 0xa010, 0xa018, 0xa040, 0x0000};
    tpe_put32(&file, 0x4000, 0x2000);
    tpe_put32(&file, 0x4004, 8 + sizeof rel);
    memcpy(tpe_at(&file, 0x4008), rel, sizeof rel);
    tpe_set_dir(&file, IMAGE_DIRECTORY_ENTRY_BASERELOC, 0x4000, 8 + sizeof rel);
}

static void write_program(void)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(file.file, 1, file.size, f), file.size);
    fclose(f);
}

static ldr_module *load(bool strict)
{
    write_program();
    ldr_options opts = {.strict = strict};
    return mod = ldr_load_exe(path, &opts, err, sizeof err);
}

static uint64_t run_on_stack(void *arg) { return ldr_run_exe(arg); }

static uint32_t run(void)
{
    void *top = rt_thread_alloc_stack(ldr_stack_reserve(mod));
    cr_assert_not_null(top);
    return (uint32_t)rt_call_on_stack(top, run_on_stack, mod);
}

static uint64_t get64(uint32_t rva) { uint64_t v; memcpy(&v, (uint8_t *)ldr_module_base(mod) + rva, 8); return v; }
static uint32_t get32(uint32_t rva) { uint32_t v; memcpy(&v, (uint8_t *)ldr_module_base(mod) + rva, 4); return v; }

Test(loader, missing_file_is_named)
{
    snprintf(path, sizeof path, "%s/nosuch.exe", dir);
    cr_assert_null(ldr_load_exe(path, NULL, err, sizeof err));
    cr_assert_str_eq(err, "nosuch.exe: cannot open: No such file or directory");
}

Test(loader, directory_is_refused)
{
    cr_assert_null(ldr_load_exe(dir, NULL, err, sizeof err));
    cr_assert(strstr(err, ": cannot open: Is a directory"), "got '%s'", err);
}

Test(loader, bad_file_message_starts_with_the_program_name)
{
    build_program();
    file.file[0] = 'X';
    cr_assert_null(load(false));
    cr_assert_str_eq(err, "prog.exe: not a PE file (no MZ signature)");
}

Test(loader, dll_is_not_a_program)
{
    build_program();
    tpe_fh(&file)->Characteristics |= IMAGE_FILE_DLL;
    cr_assert_null(load(false));
    cr_assert_str_eq(err, "prog.exe: is a DLL, not a program");
}

Test(loader, strict_missing_import_is_listed_with_the_program_name)
{
    build_program();
    tpe_putstr(&file, RVA_IMPORTS + 0xc2, "Nope");
    cr_assert_null(load(true));
    cr_assert_str_eq(err, "prog.exe: 1 missing import (listed above)");
}

Test(loader, entry_point_calls_through_the_import)
{
    build_program();
    tpe_opt(&file)->AddressOfEntryPoint = RVA_ENTRY_CALL;
    cr_assert_not_null(load(false), "load failed: %s", err);
    uint32_t code = run();
    cr_assert_eq(code, 42, "entry point returned %u", code);
}

static void check_tls_and_callbacks(void)
{
    uint8_t *base = ldr_module_base(mod);
    cr_assert_eq(get32(RVA_TLS_INDEX), 0, "TLS index slot holds 0x%x", get32(RVA_TLS_INDEX));
    uint32_t code = run();
    cr_assert_eq(code, 0x11223344, "entry point read 0x%x from the TLS block", code);
    cr_assert_eq(get32(RVA_CB_COUNT), 1, "callback ran %u times", get32(RVA_CB_COUNT));
    cr_assert_eq(get64(RVA_CB_BASE), (uint64_t)(uintptr_t)base, "callback got base 0x%llx",
                 (unsigned long long)get64(RVA_CB_BASE));
    cr_assert_eq(get32(RVA_CB_REASON), DLL_PROCESS_ATTACH, "callback got reason %u",
                 get32(RVA_CB_REASON));
    void **array = rt_current_teb()->ThreadLocalStoragePointer;
    cr_assert_not_null(array, "no TLS array in the TEB");
    uint8_t *block = array[0];
    cr_assert(block && block != base + RVA_TEMPLATE, "block %p is the template", (void *)block);
    cr_assert_eq(memcmp(block, base + RVA_TEMPLATE, 16), 0, "block is not a copy of the template");
    for (int i = 0; i < TLS_ZERO_FILL; i++)
        cr_assert_eq(block[16 + i], 0, "zero fill byte %d is 0x%x", i, block[16 + i]);
    ldr_tls_thread_fini(mod);
    cr_assert_null(rt_current_teb()->ThreadLocalStoragePointer, "TLS array left after fini");
}

Test(loader, tls_block_and_callback_at_the_preferred_base)
{
    build_program();
    tpe_opt(&file)->AddressOfEntryPoint = RVA_ENTRY_TLS;
    cr_assert_not_null(load(false), "load failed: %s", err);
    cr_assert_eq((uint64_t)(uintptr_t)ldr_module_base(mod), BASE, "loaded at %p",
                 ldr_module_base(mod));
    check_tls_and_callbacks();
}

Test(loader, tls_block_and_callback_when_relocated)
{
    build_program();
    tpe_opt(&file)->AddressOfEntryPoint = RVA_ENTRY_TLS;
    void *blocker = mmap((void *)BASE, 0x1000, PROT_NONE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    cr_assert(blocker == (void *)BASE, "cannot take the preferred base for the test");
    cr_assert_not_null(load(false), "load failed: %s", err);
    cr_assert_neq((uint64_t)(uintptr_t)ldr_module_base(mod), BASE, "loaded at the taken base");
    check_tls_and_callbacks();
    munmap(blocker, 0x1000);
}

Test(loader, tls_template_outside_the_image_is_refused)
{
    build_program();
    tpe_put64(&file, RVA_TLS_DIR + 8, BASE + 0x10000); /* EndAddressOfRawData */
    cr_assert_null(load(false));
    cr_assert(strstr(err, "prog.exe: TLS directory: template 0x300000003000-0x300000010000 lies "
                          "outside the image"), "got '%s'", err);
}

Test(loader, tls_index_outside_the_image_is_refused)
{
    build_program();
    tpe_put64(&file, RVA_TLS_DIR + 16, BASE + TPE_IMAGE_SIZE - 2);
    cr_assert_null(load(false));
    cr_assert(strstr(err, "TLS directory: AddressOfIndex 0x300000004ffe lies outside the image"),
              "got '%s'", err);
}

Test(loader, unterminated_tls_callback_array_is_refused)
{
    build_program();
    tpe_opt(&file)->SizeOfImage = 0x4800;
    tpe_sec(&file, TPE_RELOC)->VirtualSize = 0x800;
    tpe_put64(&file, RVA_TLS_DIR + 24, BASE + 0x47f8); /* the image's last slot */
    tpe_put64(&file, 0x47f8, BASE + RVA_CALLBACK);
    cr_assert_null(load(false));
    cr_assert(strstr(err, "callback array at 0x3000000047f8 is not terminated inside the image"),
              "got '%s'", err);
}

/* At its preferred base the program's relocation section (.reloc, 0x4000) is not copied: it
 * is left to be filled from the file on first access (map.c's section_reloc_lazy), the blocks
 * validated from the file. Its page reads as the file's bytes all the same. */
Test(loader, relocation_section_is_filled_on_first_access)
{
    build_program();
    cr_assert_not_null(load(false), "load failed: %s", err);
    uint8_t *base = ldr_module_base(mod);
    cr_assert_eq((uint64_t)(uintptr_t)base, BASE, "not at the preferred base: %p", (void *)base);
    int prot = 0;
    cr_assert_eq(rt_lazy_span((uintptr_t)base + 0x4000, (uintptr_t)base + 0x5000, &prot), 0x1000,
                 "the relocation section's page is not left for later");
    cr_assert_eq(prot, PROT_READ, "its protection once filled: %d", prot);
    cr_assert_eq(memcmp(base + 0x4000, tpe_at(&file, 0x4000), 0x40), 0, "bytes differ");
    cr_assert_eq(run(), 42);
}

/* A program whose import names and TLS callback array lie in the relocation section (nothing
 * forbids it): the loader reads them before the protections, so the section is copied after all
 * (map.c's reloc_section_read_at_load) and the program binds and runs as before. */
Test(loader, imports_read_from_the_relocation_section_are_bound)
{
    build_program();
    tpe_putstr(&file, 0x4100 + 2, "LdrTestAdd");
    tpe_putstr(&file, 0x4140, "ntruntest.dll");
    tpe_put64(&file, RVA_IMPORTS + 0x80, 0x4100);
    tpe_put64(&file, RVA_IAT, 0x4100);
    IMAGE_IMPORT_DESCRIPTOR d = {.OriginalFirstThunk = RVA_IMPORTS + 0x80, .Name = 0x4140,
                                 .FirstThunk = RVA_IAT};
    memcpy(tpe_at(&file, RVA_IMPORTS), &d, sizeof d);
    cr_assert_not_null(load(false), "load failed: %s", err);
    int prot = 0;
    uintptr_t base = (uintptr_t)ldr_module_base(mod);
    rt_lazy_span(base + 0x4000, base + 0x5000, &prot);
    cr_assert_eq(prot, -1, "the relocation section was left for later");
    cr_assert_eq(run(), 42);
}

Test(loader, tls_callbacks_in_the_relocation_section_run)
{
    build_program();
    tpe_put64(&file, 0x4200, BASE + RVA_CALLBACK);
    tpe_put64(&file, RVA_TLS_DIR + 24, BASE + 0x4200); /* AddressOfCallBacks */
    tpe_opt(&file)->AddressOfEntryPoint = RVA_ENTRY_TLS;
    cr_assert_not_null(load(false), "load failed: %s", err);
    int prot = 0;
    uintptr_t base = (uintptr_t)ldr_module_base(mod);
    rt_lazy_span(base + 0x4000, base + 0x5000, &prot);
    cr_assert_eq(prot, -1, "the relocation section was left for later");
    check_tls_and_callbacks();
}

Test(loader, peb_and_ldr_entry_describe_the_program)
{
    build_program();
    cr_assert_not_null(load(false), "load failed: %s", err);
    uint8_t *base = ldr_module_base(mod);
    PEB *peb = rt_proc.peb;
    cr_assert_eq(peb->ImageBaseAddress, (void *)base, "ImageBaseAddress %p",
                 peb->ImageBaseAddress);
    LIST_ENTRY *head = &peb->Ldr->InLoadOrderModuleList;
    cr_assert_neq(head->Flink, head, "load-order list is empty");
    LDR_DATA_TABLE_ENTRY *e = (LDR_DATA_TABLE_ENTRY *)head->Flink; /* InLoadOrderLinks first */
    cr_assert_eq(e->DllBase, (void *)base, "DllBase %p", e->DllBase);
    cr_assert_eq(e->SizeOfImage, TPE_IMAGE_SIZE, "SizeOfImage 0x%x", e->SizeOfImage);
    cr_assert_eq(e->EntryPoint, (void *)(base + 0x1000), "EntryPoint %p", e->EntryPoint);
    LIST_ENTRY *mhead = &peb->Ldr->InMemoryOrderModuleList;
    cr_assert_eq(mhead->Flink, &e->InMemoryOrderLinks, "memory-order list head");
    /* Then the built-in DLLs, ntdll first (loader/modlist.c). */
    LDR_DATA_TABLE_ENTRY *next = (LDR_DATA_TABLE_ENTRY *)e->InLoadOrderLinks.Flink;
    cr_assert_neq(&next->InLoadOrderLinks, head, "no built-in DLL follows the program");
    cr_assert_eq(next->DllBase, thk_builtin_module("ntdll.dll"), "second entry %p",
                 next->DllBase);
    cr_assert_eq(head->Blink->Flink, head, "list is circular");
    char *basename = nt_utf16_to_utf8(e->BaseDllName.Buffer, e->BaseDllName.Length / 2, NULL);
    char *full = nt_utf16_to_utf8(e->FullDllName.Buffer, e->FullDllName.Length / 2, NULL);
    cr_assert_not_null(basename);
    cr_assert_not_null(full);
    cr_assert_str_eq(basename, "prog.exe");
    size_t n = strlen(full);
    cr_assert(n > 11 && strcmp(full + n - 9, "\\prog.exe") == 0 && full[1] == ':' &&
                  full[2] == '\\', "FullDllName '%s'", full);
    free(basename);
    free(full);
    ldr_unload(mod);
    mod = NULL;
    cr_assert_eq(head->Flink, &next->InLoadOrderLinks, "entry left in the load-order list");
    cr_assert_eq(mhead->Flink, &next->InMemoryOrderLinks, "entry left in the memory-order list");
    cr_assert_null(peb->ImageBaseAddress, "ImageBaseAddress left at %p", peb->ImageBaseAddress);
}

/* ldr_module_unix_path is the file's real name (what realpath() gives: the DLL search starts in
 * its directory, and the module list compares it with realpath()'s names of DLLs), however the
 * path spelled it: relative, with ".", ".." and doubled slashes, through a symbolic link to the
 * file or through a linked directory (loader/loader.c, ldr_open_real). */
static void expect_unix_path(const char *spelling, const char *real)
{
    ldr_options opts = {0};
    mod = ldr_load_exe(spelling, &opts, err, sizeof err);
    cr_assert_not_null(mod, "load of %s failed: %s", spelling, err);
    cr_assert_str_eq(ldr_module_unix_path(mod), real, "unix path of %s", spelling);
    ldr_unload(mod);
    mod = NULL;
}

Test(loader, unix_path_is_the_real_name_however_spelled)
{
    build_program();
    write_program();
    char real[PATH_MAX], sub[160], link[160], dlink[160], via[200], cwd[PATH_MAX];
    cr_assert_not_null(realpath(path, real));
    snprintf(sub, sizeof sub, "%s/sub", dir);
    snprintf(link, sizeof link, "%s/link.exe", dir);
    snprintf(dlink, sizeof dlink, "%s/dlink", dir);
    cr_assert_eq(mkdir(sub, 0700), 0);
    cr_assert_eq(symlink("prog.exe", link), 0);
    cr_assert_eq(symlink(".", dlink), 0);
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    cr_assert_eq(chdir(sub), 0);
    expect_unix_path("../prog.exe", real);
    expect_unix_path(".//..//./prog.exe", real);
    expect_unix_path("../sub/../prog.exe", real);
    expect_unix_path("../link.exe", real);
    expect_unix_path("../dlink/prog.exe", real);
    snprintf(via, sizeof via, "%s/sub/../prog.exe", dir);
    expect_unix_path(via, real);
    snprintf(via, sizeof via, "%s/sub/../dlink/link.exe", dir);
    expect_unix_path(via, real);
    cr_assert_eq(chdir(cwd), 0);
    unlink(link);
    unlink(dlink);
    rmdir(sub);
}

Test(loader, describe_address_names_the_module)
{
    build_program();
    cr_assert_not_null(load(false), "load failed: %s", err);
    uintptr_t base = (uintptr_t)ldr_module_base(mod);
    const char *name = NULL;
    uintptr_t off = 0;
    cr_assert(ldr_describe_address(base + 0x1234, &name, &off), "address not found");
    cr_assert_str_eq(name, "prog.exe");
    cr_assert_eq(off, 0x1234, "offset 0x%lx", (unsigned long)off);
    cr_assert(!ldr_describe_address(base + TPE_IMAGE_SIZE + 0x1000, &name, &off),
              "address after the image described");
    cr_assert(!ldr_describe_address((uintptr_t)&off, &name, &off), "stack address described");
    cr_assert_eq(ldr_module_size(mod), TPE_IMAGE_SIZE, "size 0x%zx", ldr_module_size(mod));
    cr_assert_str_eq(ldr_module_name(mod), "prog.exe");
    cr_assert_eq(ldr_stack_reserve(mod), 0x200000, "stack reserve 0x%zx", ldr_stack_reserve(mod));
    ldr_unload(mod);
    mod = NULL;
    cr_assert(!ldr_describe_address(base + 0x1234, &name, &off), "unloaded module described");
}

Test(loader, tls_template_in_an_inaccessible_section_is_refused)
{
    build_program();
    tpe_sec(&file, TPE_DATA)->Characteristics = 0x00000040; /* no READ, WRITE or EXECUTE */
    cr_assert_null(load(false));
    cr_assert(strstr(err, "TLS directory: template 0x300000003000-0x300000003010 is not in "
                          "readable sections"), "got '%s'", err);
}
