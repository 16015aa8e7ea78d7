/* ntdll's in-memory image (thunks/builtin.c, thunks/ntdll/image.c) and KUSER_SHARED_DATA
 * (runtime/kuser.c), for both numberings: every Nt export is Windows' x64 stub byte for byte up
 * to and including `syscall; ret`, with the selected build's number; the `int 2e` branch of an
 * implemented call jumps through a table below 2 GiB to its thunk (an unimplemented one keeps
 * `int 2e`); Nt and Zw share the stub;
 * stubs are contiguous in number order (neighbours 32 bytes apart differ by one); calls ntrun
 * does not implement still have stubs; the export directory and thk_builtin_proc
 * (GetProcAddress) give the stub while the import route (thk_resolve) is the thunk; and
 * KUSER_SHARED_DATA's version fields follow the build; selecting another numbering later
 * (libntrun's next run) rebuilds ntdll's stubs; a forked child (libntrun's child runs) gets its
 * own page and, once its run starts, its own updater. Each test runs in its own process
 * (Criterion forks), so each builds the image afresh for its build. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>
#include "ntemu/ntemu.h"
#include "runtime/kuser.h"
#include "thunks/thunks.h"
#include "thunks/thunks_private.h"

static const uint8_t stub_head[] = {0x4c, 0x8b, 0xd1, 0xb8};
static const uint8_t stub_tail[] = {0xf6, 0x04, 0x25, 0x08, 0x03, 0xfe, 0x7f, 0x01,
                                    0x75, 0x03, 0x0f, 0x05, 0xc3};

/* The export directory's address for `name` (what a hand-written loader finds; GetProcAddress
 * gives NULL for a system call ntemu does not implement), or NULL. */
typedef struct { uint32_t count, funcs, names, ords; } export_dir;
static export_dir export_dir_of(const uint8_t *img)
{
    uint32_t lfanew, dir;
    export_dir d;
    memcpy(&lfanew, img + 0x3c, 4);
    memcpy(&dir, img + lfanew + 24 + 112, 4);
    memcpy(&d.count, img + dir + 24, 4);
    memcpy(&d.funcs, img + dir + 28, 4);
    memcpy(&d.names, img + dir + 32, 4);
    memcpy(&d.ords, img + dir + 36, 4);
    return d;
}

static const uint8_t *dir_export(HMODULE mod, const char *name)
{
    const uint8_t *img = (const uint8_t *)mod;
    export_dir d = export_dir_of(img);
    uint32_t count = d.count, funcs = d.funcs, names = d.names, ords = d.ords;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t nrva, frva;
        uint16_t ord;
        memcpy(&nrva, img + names + i * 4, 4);
        if (strcmp((const char *)img + nrva, name) != 0)
            continue;
        memcpy(&ord, img + ords + i * 2, 2);
        memcpy(&frva, img + funcs + ord * 4u, 4);
        return img + frva;
    }
    return NULL;
}

static const uint8_t *stub_of(HMODULE ntdll, const char *name)
{
    const uint8_t *p = dir_export(ntdll, name);
    cr_assert_not_null(p, "ntdll!%s has no export", name);
    const uint8_t *q = thk_builtin_proc(ntdll, name);
    cr_assert(q == p || !q, "ntdll!%s: GetProcAddress %p, directory %p", name, q, p);
    return p;
}

static uint32_t check_stub(HMODULE ntdll, const char *name)
{
    const uint8_t *p = stub_of(ntdll, name);
    cr_assert(memcmp(p, stub_head, sizeof stub_head) == 0,
              "%s: head %02x %02x %02x %02x", name, p[0], p[1], p[2], p[3]);
    cr_assert(memcmp(p + 8, stub_tail, sizeof stub_tail) == 0, "%s: bytes 8.. differ", name);
    uint32_t n;
    memcpy(&n, p + 4, 4);
    return n;
}

static HMODULE init_build(int build)
{
    cr_assert_eq(rt_process_init(), 0);
    if (!rt_proc.sud_available)
        cr_skip_test("needs Syscall User Dispatch: without it ntdll exports only thunks");
    cr_assert_eq(nt_syscalls_init(build), 0);
    cr_assert_eq(thk_init(), 0);
    HMODULE ntdll = thk_builtin_module("ntdll.dll");
    cr_assert_not_null(ntdll);
    return ntdll;
}

Test(ntdll_image, windows10_stubs_carry_windows10_numbers)
{
    HMODULE ntdll = init_build(10);
    cr_assert_eq(check_stub(ntdll, "NtClose"), 0x0f, "NtClose");
    cr_assert_eq(check_stub(ntdll, "NtWriteFile"), 0x08, "NtWriteFile");
    cr_assert_eq(check_stub(ntdll, "NtQueryFullAttributesFile"), 0x147, "NtQueryFullAttributesFile");
    cr_assert_eq(check_stub(ntdll, "NtCreateThreadEx"), 0xc2, "NtCreateThreadEx");
    cr_assert_eq(check_stub(ntdll, "ZwDeleteFile"), 0xd3, "ZwDeleteFile");
}

Test(ntdll_image, windows11_stubs_carry_windows11_numbers)
{
    HMODULE ntdll = init_build(11);
    cr_assert_eq(check_stub(ntdll, "NtClose"), 0x0f, "NtClose");
    cr_assert_eq(check_stub(ntdll, "NtQueryFullAttributesFile"), 0x151, "NtQueryFullAttributesFile");
    cr_assert_eq(check_stub(ntdll, "NtCreateThreadEx"), 0xc9, "NtCreateThreadEx");
    cr_assert_eq(check_stub(ntdll, "ZwDeleteFile"), 0xdb, "ZwDeleteFile");
    /* A call Windows 10 does not have. */
    cr_assert_eq(check_stub(ntdll, "NtChangeProcessState"), 0x98, "NtChangeProcessState");
}

Test(ntdll_image, windows10_lacks_windows11_only_calls)
{
    HMODULE ntdll = init_build(10);
    cr_assert_null(thk_builtin_proc(ntdll, "NtChangeProcessState"));
}

Test(ntdll_image, nt_and_zw_share_one_stub)
{
    HMODULE ntdll = init_build(10);
    cr_assert_eq(stub_of(ntdll, "NtClose"), stub_of(ntdll, "ZwClose"));
    cr_assert_eq(stub_of(ntdll, "NtCreateKey"), stub_of(ntdll, "ZwCreateKey"));
}

Test(ntdll_image, stubs_are_contiguous_in_number_order)
{
    HMODULE ntdll = init_build(10);
    const uint8_t *close = stub_of(ntdll, "NtClose"); /* 0x0f */
    const uint8_t *qif = stub_of(ntdll, "NtQueryInformationFile"); /* 0x11 */
    cr_assert_eq(qif - close, 2 * 32, "distance %td", qif - close);
    uint32_t n;
    memcpy(&n, close + 32 + 4, 4);
    cr_assert_eq(n, 0x10, "the neighbour's number is %#x", n);
}

Test(ntdll_image, unimplemented_calls_still_have_stubs)
{
    HMODULE ntdll = init_build(10);
    cr_assert_null(thk_resolve("ntdll.dll", "NtLockProductActivationKeys"),
                   "NtLockProductActivationKeys has no thunk");
    uint32_t n = check_stub(ntdll, "NtLockProductActivationKeys");
    cr_assert_eq(n, (uint32_t)nt_syscall_number("NtLockProductActivationKeys"));
    /* GetProcAddress: NULL, so a program that probes takes its fallback (Go's runtime and
     * NtCreateWaitCompletionPacket); the directory still names the stub. */
    cr_assert_null(thk_builtin_proc(ntdll, "NtLockProductActivationKeys"));
    cr_assert_null(thk_builtin_proc(ntdll, "ZwLockProductActivationKeys"));
}

Test(ntdll_image, imports_bind_the_thunk_and_the_directory_names_the_stub)
{
    HMODULE ntdll = init_build(10);
    const uint8_t *thunk = thk_resolve("ntdll.dll", "NtClose");
    const uint8_t *stub = stub_of(ntdll, "NtClose");
    cr_assert_not_null(thunk);
    cr_assert_neq(thunk, stub, "the import route would trap");
    cr_assert_neq(thunk[0], 0x4c, "the thunk is not a syscall stub");
    /* Both live inside the ntdll image. */
    uint32_t lfanew, soi;
    memcpy(&lfanew, (const uint8_t *)ntdll + 0x3c, 4);
    memcpy(&soi, (const uint8_t *)ntdll + lfanew + 24 + 56, 4);
    cr_assert(thunk > (const uint8_t *)ntdll && thunk < (const uint8_t *)ntdll + soi);
    cr_assert(stub > (const uint8_t *)ntdll && stub < (const uint8_t *)ntdll + soi);
}

Test(ntdll_image, other_dlls_export_their_thunks)
{
    init_build(10);
    HMODULE k32 = thk_builtin_module("kernel32.dll");
    cr_assert_not_null(k32);
    cr_assert_eq(thk_builtin_proc(k32, "GetLastError"), thk_resolve("kernel32.dll", "GetLastError"));
}

/* The linked export table is grouped by DLL and in name order within each (the linker sorts the
 * "thk_exports.<dll>.<name>" sections): start-up relies on it instead of sorting. An export
 * declared outside THK_EXPORT* would land out of order and fail here. */
Test(ntdll_image, linked_export_table_is_in_dll_then_name_order)
{
    const thk_export *v = __start_thk_exports;
    size_t n = (size_t)(__stop_thk_exports - __start_thk_exports);
    cr_assert_gt(n, 1000u);
    for (size_t i = 1; i < n; i++) {
        const char *pd = thk_export_dll(&v[i - 1]), *pn = thk_export_name(&v[i - 1]);
        const char *d = thk_export_dll(&v[i]), *nm = thk_export_name(&v[i]);
        int c = strcmp(pd, d);
        cr_assert(c < 0 || (c == 0 && strcmp(pn, nm) < 0), "%s!%s is linked before %s!%s", pd,
                  pn, d, nm);
    }
}

/* Every built-in DLL's export directory: names strictly ascending (binary search by foreign
 * code), each one resolving through thk_builtin_proc to the directory's own address, every
 * function export of the table present, and ntdll naming both Nt and Zw of every call. */
static void check_directory(const char *dll, size_t *nnames_out)
{
    const uint8_t *img = thk_builtin_module(dll);
    cr_assert_not_null(img, "%s", dll);
    export_dir d = export_dir_of(img);
    uint32_t count = d.count, funcs = d.funcs, names = d.names, ords = d.ords;
    const char *prev = NULL;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t nrva, frva;
        uint16_t ord;
        memcpy(&nrva, img + names + i * 4, 4);
        memcpy(&ord, img + ords + i * 2, 2);
        memcpy(&frva, img + funcs + ord * 4u, 4);
        const char *name = (const char *)img + nrva;
        if (prev)
            cr_assert_lt(strcmp(prev, name), 0, "%s: %s before %s", dll, prev, name);
        prev = name;
        /* implemented: GetProcAddress gives the directory's address; not implemented: NULL,
         * and the directory names a reporting stub (call tail) */
        void *p = thk_builtin_proc((HMODULE)img, name);
        /* ...or a system call ntemu does not implement: its Windows stub, NULL by name */
        cr_assert(p == img + frva || (!p && (img[frva] == 0xe8 || img[frva] == 0x4c)),
                  "%s!%s: %p, directory %p", dll, name, p, (void *)(img + frva));
    }
    size_t funcs_in_table = 0;
    for (const thk_export *e = __start_thk_exports; e < __stop_thk_exports; e++) {
        if (strcmp(thk_export_dll(e), dll) != 0 || e->nargs == THK_DATA)
            continue;
        funcs_in_table++;
        cr_assert_not_null(thk_builtin_proc((HMODULE)img, thk_export_name(e)), "%s!%s", dll, thk_export_name(e));
    }
    cr_assert_geq(count, funcs_in_table, "%s", dll);
    *nnames_out = count;
}

Test(ntdll_image, export_directories_are_sorted_and_complete)
{
    init_build(10);
    size_t n;
    check_directory("kernel32.dll", &n);
    check_directory("msvcrt.dll", &n);
    check_directory("ntdll.dll", &n);
    /* Nt and Zw names of every Windows 10 call, implemented or not. */
    static const char *const calls[] = {"Close", "CreateKey", "WriteFile", "QueryVirtualMemory",
                                        "AcceptConnectPort", "YieldExecution"};
    HMODULE ntdll = thk_builtin_module("ntdll.dll");
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        char nt[64], zw[64];
        snprintf(nt, sizeof nt, "Nt%s", calls[i]);
        snprintf(zw, sizeof zw, "Zw%s", calls[i]);
        cr_assert_eq(stub_of(ntdll, nt), stub_of(ntdll, zw), "%s", calls[i]);
    }
}

Test(kuser, version_fields_follow_the_build)
{
    init_build(11);
    KUSER_SHARED_DATA *k = rt_kuser_rw();
    if (!k)
        cr_skip_test("KUSER_SHARED_DATA could not be mapped at 0x7ffe0000");
    const volatile KUSER_SHARED_DATA *ro = (const KUSER_SHARED_DATA *)RT_KUSER_ADDRESS;
    cr_assert_eq(ro->NtMajorVersion, 10u);
    cr_assert_eq(ro->NtMinorVersion, 0u);
    cr_assert_eq(ro->NtBuildNumber, 26100u, "build %u", ro->NtBuildNumber);
    cr_assert_eq(ro->SystemCall, 1u, "the stubs' fast route is on");
    cr_assert_eq(ro->TickCountMultiplier, 0x0fa00000u);
    cr_assert_gt(ro->ActiveProcessorCount, 0u);
    nt_syscalls_init(10);
    cr_assert_eq(ro->NtBuildNumber, 19045u, "build %u", ro->NtBuildNumber);
}

/* Two threads' first reads of the hidden page at once: the second thread's handler finds the
 * page already shown by the first one's. Its read is tried again; a write stays the program's
 * access violation; an address outside the page is not the page's business. */
Test(kuser, a_read_fault_on_the_page_shown_meanwhile_is_retried)
{
    init_build(10);
    if (!rt_kuser_rw())
        cr_skip_test("KUSER_SHARED_DATA could not be mapped at 0x7ffe0000");
    rt_kuser_show();
    ucontext_t uc;
    memset(&uc, 0, sizeof uc);
    uc.uc_mcontext.gregs[REG_ERR] = 4; /* user-mode read */
    cr_assert(rt_kuser_fault(RT_KUSER_ADDRESS + 0x308, &uc, RT_SEL_BLOCK),
              "a read of the shown page is retried, not an access violation");
    cr_assert_eq(((const volatile KUSER_SHARED_DATA *)RT_KUSER_ADDRESS)->SystemCall, 1u);
    uc.uc_mcontext.gregs[REG_ERR] = 6; /* user-mode write */
    cr_assert_not(rt_kuser_fault(RT_KUSER_ADDRESS + 0x308, &uc, RT_SEL_BLOCK),
                  "a write to the read-only page is an access violation");
    uc.uc_mcontext.gregs[REG_ERR] = 4;
    cr_assert_not(rt_kuser_fault(RT_KUSER_ADDRESS + 0x1000, &uc, RT_SEL_BLOCK));
}

Test(ntdll_image, a_new_numbering_rebuilds_the_stubs)
{
    HMODULE ntdll = init_build(10);
    cr_assert_eq(check_stub(ntdll, "NtCreateThreadEx"), 0xc2);
    ntdll = init_build(11); /* libntrun: a later run with --windows-build=11 */
    cr_assert_eq(check_stub(ntdll, "NtCreateThreadEx"), 0xc9);
    cr_assert_eq(check_stub(ntdll, "NtChangeProcessState"), 0x98);
    ntdll = init_build(10);
    cr_assert_eq(check_stub(ntdll, "NtCreateThreadEx"), 0xc2);
    cr_assert_null(thk_builtin_proc(ntdll, "NtChangeProcessState"));
}

Test(kuser, forked_child_gets_its_own_page)
{
    cr_assert_eq(rt_process_init(), 0);
    if (rt_kuser_init(10) != 0)
        cr_skip_test("KUSER_SHARED_DATA could not be mapped at 0x7ffe0000");
    const volatile KUSER_SHARED_DATA *ro = (const KUSER_SHARED_DATA *)RT_KUSER_ADDRESS;
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        rt_kuser_init(11); /* a libntrun child run with the other numbering, */
        rt_kuser_start();  /* which starts the updater with the run (rt_run_process) */
        uint64_t t0 = ro->TickCountQuad;
        for (int i = 0; i < 200 && ro->TickCountQuad == t0; i++)
            usleep(5000);
        _exit(ro->NtBuildNumber == 26100 && ro->TickCountQuad != t0 ? 0 : 1);
    }
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "child: own build number and a ticking page (status %#x)", status);
    cr_assert_eq(ro->NtBuildNumber, 19045u, "the parent's page changed: %u", ro->NtBuildNumber);
}

Test(ntdll_image, int2e_branch_jumps_to_the_thunk)
{
    HMODULE ntdll = init_build(10);
    const uint8_t *p = stub_of(ntdll, "NtClose");
    cr_assert(p[0x15] == 0xff && p[0x16] == 0x24 && p[0x17] == 0x25, "jmp qword [abs32]");
    uint32_t slot;
    memcpy(&slot, p + 0x18, 4);
    cr_assert_lt(slot, 0x80000000u);
    void *target = *(void **)(uintptr_t)slot;
    cr_assert_eq(target, thk_resolve("ntdll.dll", "NtClose"), "the slot holds the thunk");
    const uint8_t *u = stub_of(ntdll, "NtLockProductActivationKeys"); /* not implemented */
    cr_assert(u[0x15] == 0xcd && u[0x16] == 0x2e && u[0x17] == 0xc3, "int 2e; ret");
}

Test(ntdll_image, calling_the_stub_takes_the_fast_route)
{
    HMODULE ntdll = init_build(10);
    if (!rt_kuser_rw())
        cr_skip_test("KUSER_SHARED_DATA could not be mapped at 0x7ffe0000");
    cr_assert_eq(rt_thread_init_current(), 0);
    typedef NTSTATUS(WINAPI * close_fn)(HANDLE);
    close_fn f = (close_fn)(void (*)(void))thk_builtin_proc(ntdll, "NtClose");
    /* Called from native code with the selector at ALLOW: the `syscall` would go to Linux
     * (close(0xbad0) = -EBADF), so a Windows status proves the jump reached the thunk. */
    NTSTATUS st = f((HANDLE)0xbad0);
    cr_assert_eq((uint32_t)st, (uint32_t)STATUS_INVALID_HANDLE, "got %#x", (uint32_t)st);
    rt_thread_fini_current();
}
