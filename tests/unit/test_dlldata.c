/* The generated export tables (cmake/gen_exports.py -> generated/thk_dlldata.c, layout in
 * thunks/dlldata.h): DLL names and each DLL's export names strictly sorted (run-time binary
 * search relies on it), the exports Windows programs import present with Windows' names, the
 * Winsock 1.1 ordinals of exports-extra.list, Windows' oleaut32 ordinals of ordinals.list, the
 * supplement entries mingw-w64 lacks, API sets and their hosts; and built-in images built from
 * them: ordinals in the export directory, an ordinal Windows does not have refused. */
#include <criterion/criterion.h>
#include <string.h>
#include "thunks/dlldata.h"
#include "thunks/thunks.h"
#include "runtime/runtime.h"
#include "ntemu/ntemu.h"

static int find_dll(const char *name)
{
    for (int i = 0; i < THK_GEN_NDLLS; i++)
        if (strcmp(thk_gen_strings + thk_gen_dlls[i].name, name) == 0)
            return i;
    return -1;
}

static const thk_gen_export *find_export(const char *dll, const char *name)
{
    int d = find_dll(dll);
    cr_assert_geq(d, 0, "%s is not in the generated tables", dll);
    const thk_gen_dll *g = &thk_gen_dlls[d];
    for (uint32_t i = 0; i < g->count; i++) {
        const thk_gen_export *e = &thk_gen_exports[g->first + i];
        if (strcmp(thk_gen_strings + e->name, name) == 0)
            return e;
    }
    return NULL;
}

Test(dlldata, dlls_and_their_exports_are_strictly_sorted)
{
    cr_assert_gt(THK_GEN_NDLLS, 100, "%d DLLs", THK_GEN_NDLLS);
    for (int i = 0; i < THK_GEN_NDLLS; i++) {
        const thk_gen_dll *g = &thk_gen_dlls[i];
        if (i > 0)
            cr_assert_lt(strcmp(thk_gen_strings + thk_gen_dlls[i - 1].name,
                                thk_gen_strings + g->name), 0, "DLL %d out of order", i);
        for (uint32_t k = 1; k < g->count; k++)
            cr_assert_lt(strcmp(thk_gen_strings + thk_gen_exports[g->first + k - 1].name,
                                thk_gen_strings + thk_gen_exports[g->first + k].name), 0,
                         "%s: export %u out of order", thk_gen_strings + g->name, k);
    }
}

Test(dlldata, the_listed_system_dlls_are_all_there)
{
    static const char *const want[] = {
        "kernel32.dll", "kernelbase.dll", "ntdll.dll", "msvcrt.dll", "ucrtbase.dll",
        "vcruntime140.dll", "vcruntime140_1.dll", "advapi32.dll", "bcrypt.dll",
        "bcryptprimitives.dll", "combase.dll", "ole32.dll", "oleaut32.dll", "shell32.dll",
        "shlwapi.dll", "user32.dll", "gdi32.dll", "ws2_32.dll", "mswsock.dll", "crypt32.dll",
        "secur32.dll", "sspicli.dll", "userenv.dll", "iphlpapi.dll", "psapi.dll", "pdh.dll",
        "powrprof.dll", "version.dll", "dbghelp.dll", "rpcrt4.dll", "netapi32.dll", "winmm.dll",
        "imm32.dll", "setupapi.dll", "ncrypt.dll", "normaliz.dll"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int d = find_dll(want[i]);
        cr_assert_geq(d, 0, "%s missing", want[i]);
        cr_assert_eq(thk_gen_dlls[d].kind, THK_GEN_MODULE, "%s", want[i]);
        cr_assert(thk_is_builtin_dll(want[i]), "%s", want[i]);
    }
}

Test(dlldata, windows_export_names_are_present)
{
    cr_assert_not_null(find_export("kernel32.dll", "CreateFileW"));
    cr_assert_not_null(find_export("kernelbase.dll", "CreateFileW"));
    cr_assert_not_null(find_export("ntdll.dll", "RtlGetCurrentPeb"));
    cr_assert_not_null(find_export("advapi32.dll", "RegOpenKeyExW"));
    cr_assert_not_null(find_export("ws2_32.dll", "WSAStartup"));
    cr_assert_not_null(find_export("api-ms-win-crt-stdio-l1-1-0.dll", "__stdio_common_vfprintf"));
    cr_assert_not_null(find_export("vcruntime140.dll", "__CxxFrameHandler3"));
    cr_assert_not_null(find_export("vcruntime140_1.dll", "__CxxFrameHandler4"));
    cr_assert_not_null(find_export("bcryptprimitives.dll", "ProcessPrng"));
    cr_assert_null(find_export("kernel32.dll", "NoSuchExport"));
}

Test(dlldata, winsock_ordinals_come_from_the_supplement)
{
    cr_assert_eq(find_export("ws2_32.dll", "accept")->ordinal, 1);
    cr_assert_eq(find_export("ws2_32.dll", "socket")->ordinal, 23);
    cr_assert_eq(find_export("ws2_32.dll", "WSAStartup")->ordinal, 115);
    /* names without a known ordinal get free ones, never a taken one */
    const thk_gen_export *e = find_export("ws2_32.dll", "WSAIoctl");
    cr_assert(e->ordinal != 1 && e->ordinal != 23 && e->ordinal != 115, "%u", e->ordinal);
}

/* MSVC-built programs (7-Zip) import oleaut32 by number: the numbers are Windows' own
 * (thunks/ordinals.list), not positions in name order (BSTR_UserFree would be 1) */
Test(dlldata, oleaut32_ordinals_are_windows_ones)
{
    static const struct { const char *name; unsigned ord; } want[] = {
        {"SysAllocString", 2}, {"SysReAllocString", 3}, {"SysAllocStringLen", 4},
        {"SysReAllocStringLen", 5}, {"SysFreeString", 6}, {"SysStringLen", 7},
        {"VariantInit", 8}, {"VariantClear", 9}, {"VariantCopy", 10}, {"VariantCopyInd", 11},
        {"VariantChangeType", 12}, {"SafeArrayCreate", 15}, {"VariantChangeTypeEx", 147},
        {"SysStringByteLen", 149}, {"SysAllocStringByteLen", 150}, {"BSTR_UserFree", 286},
        {"OACleanup", 500}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const thk_gen_export *e = find_export("oleaut32.dll", want[i].name);
        cr_assert_not_null(e, "%s", want[i].name);
        cr_assert_eq(e->ordinal, want[i].ord, "%s: ordinal %u, want %u", want[i].name,
                     e->ordinal, want[i].ord);
    }
    /* Windows has no ordinal 1 nor 382-400: no name is put there */
    int d = find_dll("oleaut32.dll");
    const thk_gen_dll *g = &thk_gen_dlls[d];
    for (uint32_t i = 0; i < g->count; i++) {
        unsigned o = thk_gen_exports[g->first + i].ordinal;
        cr_assert(o != 1 && !(o >= 382 && o <= 400), "%s has ordinal %u",
                  thk_gen_strings + thk_gen_exports[g->first + i].name, o);
    }
    /* wsock32 keeps Winsock 1.1's numbers too */
    cr_assert_eq(find_export("wsock32.dll", "accept")->ordinal, 1);
    cr_assert_eq(find_export("wsock32.dll", "closesocket")->ordinal, 3);
    cr_assert_eq(find_export("wsock32.dll", "WSAStartup")->ordinal, 115);
    cr_assert_eq(find_export("ws2_32.dll", "closesocket")->ordinal, 3);
    cr_assert_eq(find_export("ws2_32.dll", "WSACleanup")->ordinal, 116);
    /* ... where 10 to 12 differ from ws2_32's (Bun imports wsock32's ioctlsocket as #12) */
    cr_assert_eq(find_export("wsock32.dll", "inet_addr")->ordinal, 10);
    cr_assert_eq(find_export("wsock32.dll", "inet_ntoa")->ordinal, 11);
    cr_assert_eq(find_export("wsock32.dll", "ioctlsocket")->ordinal, 12);
    cr_assert_eq(find_export("ws2_32.dll", "ioctlsocket")->ordinal, 10);
    cr_assert_eq(find_export("ws2_32.dll", "inet_addr")->ordinal, 11);
    cr_assert_eq(find_export("ws2_32.dll", "inet_ntoa")->ordinal, 12);
}

Test(dlldata, data_exports_are_marked)
{
    const thk_gen_export *e = find_export("msvcrt.dll", "_iob");
    cr_assert_not_null(e);
    cr_assert(e->flags & THK_GEN_EXP_DATA);
    cr_assert(!(find_export("msvcrt.dll", "printf")->flags & THK_GEN_EXP_DATA));
}

Test(dlldata, api_sets_name_their_hosts)
{
    int d = find_dll("api-ms-win-crt-runtime-l1-1-0.dll");
    cr_assert_geq(d, 0);
    cr_assert_eq(thk_gen_dlls[d].kind, THK_GEN_APISET);
    cr_assert_str_eq(thk_gen_strings + thk_gen_dlls[thk_gen_dlls[d].chain[0]].name,
                     "ucrtbase.dll");
    cr_assert_str_eq(thk_builtin_name("api-ms-win-core-synch-l1-2-0"), "kernelbase.dll");
    /* a set the libraries do not list resolves by its prefix */
    cr_assert_str_eq(thk_builtin_name("api-ms-win-core-synch-l1-9-9.dll"), "kernelbase.dll");
    cr_assert_str_eq(thk_builtin_name("API-MS-WIN-CRT-STDIO-L1-1-0.DLL"), "ucrtbase.dll");
}

/* The images: Windows' ordinal for an export given one, imports by ordinal, unimplemented
 * exports bound to a reporting stub but NULL for GetProcAddress. */
Test(dlldata, images_carry_the_ordinals)
{
    cr_assert_eq(rt_process_init(), 0);
    cr_assert_eq(nt_syscalls_init(10), 0);
    cr_assert_eq(thk_init(), 0);
    void *by_ord = NULL, *by_name = NULL;
    cr_assert_eq(thk_import("ws2_32.dll", NULL, 1, &by_ord), THK_IMPLEMENTED);
    cr_assert_eq(thk_import("WS2_32", "accept", 0, &by_name), THK_IMPLEMENTED);
    cr_assert_eq(by_ord, by_name, "ordinal 1 is accept");
    cr_assert_eq(thk_import("ws2_32.dll", NULL, 51, &by_ord), THK_UNIMPLEMENTED);
    cr_assert_eq(thk_import("WS2_32", "gethostbyaddr", 0, &by_name), THK_UNIMPLEMENTED);
    cr_assert_eq(by_ord, by_name, "ordinal 51 is gethostbyaddr");
    cr_assert_not_null(by_ord, "a reporting stub");
    HMODULE ws = thk_builtin_module("ws2_32.dll");
    cr_assert_null(thk_builtin_proc(ws, "gethostbyaddr"),
                   "GetProcAddress of an unimplemented export");
    cr_assert_null(thk_builtin_proc_ex(ws, NULL, 51));
    void *p = (void *)1;
    cr_assert_eq(thk_import("ws2_32.dll", "NoSuchExport", 0, &p), THK_NOT_EXPORTED);
    cr_assert_null(p);
    cr_assert_eq(thk_import("kernelbase.dll", "GetLastError", 0, &p), THK_IMPLEMENTED,
                 "kernelbase falls back to kernel32's implementation");
    cr_assert_eq(thk_import("nosuchdll.dll", "GetLastError", 0, &p), THK_NOT_EXPORTED);

    /* oleaut32 by number, as 7-Zip imports it */
    static const struct { uint32_t ord; const char *name; } oa[] = {
        {2, "SysAllocString"}, {4, "SysAllocStringLen"}, {6, "SysFreeString"},
        {7, "SysStringLen"}, {9, "VariantClear"}, {10, "VariantCopy"}};
    for (size_t i = 0; i < sizeof oa / sizeof oa[0]; i++) {
        cr_assert_eq(thk_import("oleaut32.dll", NULL, oa[i].ord, &by_ord), THK_IMPLEMENTED,
                     "#%u", oa[i].ord);
        cr_assert_eq(thk_import("OLEAUT32.dll", oa[i].name, 0, &by_name), THK_IMPLEMENTED);
        cr_assert_eq(by_ord, by_name, "ordinal %u is %s", oa[i].ord, oa[i].name);
    }
    /* ordinals Windows' oleaut32 does not have */
    cr_assert_eq(thk_import("oleaut32.dll", NULL, 1, &p), THK_NOT_EXPORTED);
    cr_assert_eq(thk_import("oleaut32.dll", NULL, 400, &p), THK_NOT_EXPORTED);
    cr_assert_eq(thk_import("oleaut32.dll", NULL, 9999, &p), THK_NOT_EXPORTED);
}
