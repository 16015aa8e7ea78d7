/* SPDX-License-Identifier: MIT */
/* psapi's process and module calls, also kernel32's K32 names, and kernel32's
 * QueryFullProcessImageNameW/A:
 *  - EnumProcesses: the ids of NtQuerySystemInformation(SystemProcessInformation)'s list (the
 *    system's two, this process, the other ntrun processes of the user: ntemu/proclist.c), as
 *    many as the buffer holds; *needed is the bytes written (so a full buffer means "maybe more",
 *    as on Windows).
 *  - EnumProcessModules(Ex), GetModuleBaseNameW/A, GetModuleFileNameExW/A, GetModuleInformation:
 *    the process's loader list (PEB.Ldr, InLoadOrderModuleList, the program first) read with
 *    NtReadVirtualMemory, as Windows' psapi reads it, so another ntrun process's modules come
 *    through its control channel (its PEB address: nt_process_peb). A module the list does not
 *    hold: ERROR_INVALID_HANDLE; NULL names the program.
 *  - GetProcessImageFileNameW/A (NT device form) and QueryFullProcessImageNameW/A (Win32 form,
 *    or the device form with PROCESS_NAME_NATIVE) over NtQueryInformationProcess.
 * Names are cut to the buffer with their terminator, as GetModuleFileNameEx's documentation
 * says; the return value is the characters copied without it. */
#include <stdlib.h>
#include <string.h>
#include "runtime/teb.h"
#include "thunks/kernel32/kernel32_private.h"
#include "thunks/psapi/psapi_private.h"

#define PSAPI_SYSTEM_PROCESS_INFORMATION 5
#define PSAPI_ProcessImageFileName 27
#define PSAPI_ProcessImageFileNameWin32 43
#define PSAPI_PROCESS_NAME_NATIVE 1
#define PSAPI_ERROR_PARTIAL_COPY 299u
#define PSAPI_MAX_MODULES 8192

/* ---- EnumProcesses ---- */
static BOOL WINAPI psapi_EnumProcesses(DWORD *ids, DWORD cb, DWORD *needed)
{
    uint32_t len = 0x10000;
    uint8_t *buf = NULL;
    NTSTATUS st;
    for (;;) {
        free(buf);
        if (!(buf = malloc(len))) {
            thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
            return FALSE;
        }
        uint32_t need = 0;
        st = NtQuerySystemInformation(PSAPI_SYSTEM_PROCESS_INFORMATION, buf, len, &need);
        if (st != STATUS_INFO_LENGTH_MISMATCH)
            break;
        len = need > len ? need + 0x1000 : len * 2;
    }
    if (!NT_SUCCESS(st)) {
        free(buf);
        thk_set_last_status(st);
        return FALSE;
    }
    DWORD max = cb / sizeof(DWORD), n = 0;
    BOOL ok = TRUE;
    for (size_t off = 0; n < max;) {
        uint32_t next;
        ULONG_PTR pid;
        memcpy(&next, buf + off, sizeof next);
        memcpy(&pid, buf + off + 0x50, sizeof pid); /* UniqueProcessId */
        DWORD id = (DWORD)pid;
        if (rt_safe_copy(ids + n, &id, sizeof id) != 0) {
            ok = FALSE;
            break;
        }
        n++;
        if (!next)
            break;
        off += next;
    }
    free(buf);
    DWORD bytes = n * (DWORD)sizeof(DWORD);
    if (ok && rt_safe_copy(needed, &bytes, sizeof bytes) != 0)
        ok = FALSE;
    if (!ok)
        thk_set_last_error(ERROR_NOACCESS);
    return ok;
}
THK_EXPORT_AS(psapi, EnumProcesses, psapi_EnumProcesses, 3);
THK_EXPORT_AS(kernel32, K32EnumProcesses, psapi_EnumProcesses, 3);

/* ---- the loader list of a process ---- */
typedef struct {
    void *base;
    uint32_t size;
    void *entry;
    UNICODE_STRING full, name;
} psapi_module;

static bool psapi_read(HANDLE process, const void *addr, void *out, SIZE_T size)
{
    SIZE_T done = 0;
    NTSTATUS st = NtReadVirtualMemory(process, addr, out, size, &done);
    if (!NT_SUCCESS(st) || done != size) {
        thk_set_last_error(PSAPI_ERROR_PARTIAL_COPY);
        return false;
    }
    return true;
}

/* Calls fn for each module of the process, in load order, until it returns false; false with
 * the last error set when the list cannot be read. */
static bool psapi_walk(HANDLE process, bool (*fn)(const psapi_module *m, void *ctx), void *ctx)
{
    void *peb_addr;
    NTSTATUS st = nt_process_peb(process, &peb_addr);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return false;
    }
    PEB_LDR_DATA *ldr_addr;
    if (!peb_addr ||
        !psapi_read(process, (uint8_t *)peb_addr + offsetof(PEB, Ldr), &ldr_addr, sizeof ldr_addr))
        return false;
    if (!ldr_addr) { /* not yet initialised: Windows' answer for a process still starting */
        thk_set_last_error(PSAPI_ERROR_PARTIAL_COPY);
        return false;
    }
    const LIST_ENTRY *head = &ldr_addr->InLoadOrderModuleList;
    LIST_ENTRY *cur;
    if (!psapi_read(process, &head->Flink, &cur, sizeof cur))
        return false;
    for (int n = 0; cur != head; n++) {
        LDR_DATA_TABLE_ENTRY e;
        if (n >= PSAPI_MAX_MODULES || !psapi_read(process, cur, &e, 0x68))
            return false;
        psapi_module m = {e.DllBase, e.SizeOfImage, e.EntryPoint, e.FullDllName, e.BaseDllName};
        if (!fn(&m, ctx))
            return true;
        cur = e.InLoadOrderLinks.Flink;
    }
    return true;
}

typedef struct {
    HMODULE *out;
    DWORD cap, n;
    bool fault;
} psapi_enum_ctx;

static bool psapi_enum_one(const psapi_module *m, void *ctx)
{
    psapi_enum_ctx *c = ctx;
    if (c->n < c->cap && rt_safe_copy(c->out + c->n, &m->base, sizeof m->base) != 0) {
        c->fault = true;
        return false;
    }
    c->n++;
    return true;
}

static BOOL WINAPI psapi_EnumProcessModules(HANDLE process, HMODULE *mods, DWORD cb,
                                            DWORD *needed)
{
    psapi_enum_ctx c = {mods, cb / sizeof(HMODULE), 0, false};
    if (!psapi_walk(process, psapi_enum_one, &c))
        return FALSE;
    DWORD bytes = c.n * (DWORD)sizeof(HMODULE);
    if (c.fault || rt_safe_copy(needed, &bytes, sizeof bytes) != 0) {
        thk_set_last_error(ERROR_NOACCESS);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT_AS(psapi, EnumProcessModules, psapi_EnumProcessModules, 4);
THK_EXPORT_AS(kernel32, K32EnumProcessModules, psapi_EnumProcessModules, 4);

/* EnumProcessModulesEx: a 64-bit process's modules are the same for every filter
 * (LIST_MODULES_32BIT/64BIT/ALL/DEFAULT, 0..3); another filter is ERROR_INVALID_PARAMETER. */
static BOOL WINAPI psapi_EnumProcessModulesEx(HANDLE process, HMODULE *mods, DWORD cb,
                                              DWORD *needed, DWORD filter)
{
    if (filter > 3) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return psapi_EnumProcessModules(process, mods, cb, needed);
}
THK_EXPORT_AS(psapi, EnumProcessModulesEx, psapi_EnumProcessModulesEx, 5);
THK_EXPORT_AS(kernel32, K32EnumProcessModulesEx, psapi_EnumProcessModulesEx, 5);

typedef struct {
    HMODULE want;
    psapi_module found;
    bool ok;
} psapi_find_ctx;

static bool psapi_find_one(const psapi_module *m, void *ctx)
{
    psapi_find_ctx *c = ctx;
    if (c->want && m->base != c->want)
        return true;
    c->found = *m;
    c->ok = true;
    return false;
}

/* The module `mod` of the process (NULL: its program, the list's first). */
static bool psapi_find(HANDLE process, HMODULE mod, psapi_module *out)
{
    psapi_find_ctx c = {mod, {0}, false};
    if (!psapi_walk(process, psapi_find_one, &c))
        return false;
    if (!c.ok) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return false;
    }
    *out = c.found;
    return true;
}

/* The characters of a name in the process, cut to size - 1 and terminated; their count. */
static DWORD psapi_copy_name(HANDLE process, const UNICODE_STRING *us, WCHAR *buf, DWORD size)
{
    if (!size) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    DWORD n = us->Length / sizeof(WCHAR);
    if (n >= size)
        n = size - 1;
    WCHAR *tmp = malloc(((size_t)n + 1) * sizeof(WCHAR));
    if (!tmp) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    if (n && !psapi_read(process, us->Buffer, tmp, n * sizeof(WCHAR))) {
        free(tmp);
        return 0;
    }
    tmp[n] = 0;
    int bad = rt_safe_copy(buf, tmp, ((size_t)n + 1) * sizeof(WCHAR));
    free(tmp);
    if (bad) {
        thk_set_last_error(ERROR_NOACCESS);
        return 0;
    }
    return n;
}

static DWORD WINAPI psapi_GetModuleBaseNameW(HANDLE process, HMODULE mod, WCHAR *buf, DWORD size)
{
    psapi_module m;
    return psapi_find(process, mod, &m) ? psapi_copy_name(process, &m.name, buf, size) : 0;
}
THK_EXPORT_AS(psapi, GetModuleBaseNameW, psapi_GetModuleBaseNameW, 4);
THK_EXPORT_AS(kernel32, K32GetModuleBaseNameW, psapi_GetModuleBaseNameW, 4);

static DWORD WINAPI psapi_GetModuleFileNameExW(HANDLE process, HMODULE mod, WCHAR *buf,
                                               DWORD size)
{
    psapi_module m;
    return psapi_find(process, mod, &m) ? psapi_copy_name(process, &m.full, buf, size) : 0;
}
THK_EXPORT_AS(psapi, GetModuleFileNameExW, psapi_GetModuleFileNameExW, 4);
THK_EXPORT_AS(kernel32, K32GetModuleFileNameExW, psapi_GetModuleFileNameExW, 4);

DWORD psapi_name_a(HANDLE process, void *what, char *buf, DWORD size,
                   DWORD(WINAPI *w_fn)(HANDLE, void *, WCHAR *, DWORD))
{
    WCHAR *w = malloc(0x8000 * sizeof(WCHAR));
    if (!w) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    DWORD n = w_fn(process, what, w, 0x8000);
    if (!n) {
        free(w);
        return 0;
    }
    char *a = k32_w_to_a(w, n);
    free(w);
    if (!a) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    if (!size) {
        free(a);
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    DWORD len = (DWORD)strlen(a);
    if (len >= size)
        len = size - 1;
    int bad = rt_safe_copy(buf, a, len) != 0 || rt_safe_copy(buf + len, "", 1) != 0;
    free(a);
    if (bad) {
        thk_set_last_error(ERROR_NOACCESS);
        return 0;
    }
    return len;
}

static DWORD WINAPI psapi_GetModuleBaseNameA(HANDLE process, HMODULE mod, char *buf, DWORD size)
{
    return psapi_name_a(process, mod, buf, size, psapi_GetModuleBaseNameW);
}
THK_EXPORT_AS(psapi, GetModuleBaseNameA, psapi_GetModuleBaseNameA, 4);
THK_EXPORT_AS(kernel32, K32GetModuleBaseNameA, psapi_GetModuleBaseNameA, 4);

static DWORD WINAPI psapi_GetModuleFileNameExA(HANDLE process, HMODULE mod, char *buf,
                                               DWORD size)
{
    return psapi_name_a(process, mod, buf, size, psapi_GetModuleFileNameExW);
}
THK_EXPORT_AS(psapi, GetModuleFileNameExA, psapi_GetModuleFileNameExA, 4);
THK_EXPORT_AS(kernel32, K32GetModuleFileNameExA, psapi_GetModuleFileNameExA, 4);

/* MODULEINFO: base, size, entry point. A cb other than its size: ERROR_INSUFFICIENT_BUFFER. */
typedef struct {
    void *lpBaseOfDll;  /* 0x00 */
    DWORD SizeOfImage;  /* 0x08 */
    void *EntryPoint;   /* 0x10 */
} psapi_module_info;
_Static_assert(sizeof(psapi_module_info) == 0x18, "MODULEINFO");

static BOOL WINAPI psapi_GetModuleInformation(HANDLE process, HMODULE mod, psapi_module_info *mi,
                                              DWORD cb)
{
    if (cb < sizeof *mi) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return FALSE;
    }
    psapi_module m;
    if (!psapi_find(process, mod, &m))
        return FALSE;
    psapi_module_info v = {m.base, m.size, m.entry};
    if (rt_safe_copy(mi, &v, sizeof v) != 0) {
        thk_set_last_error(ERROR_NOACCESS);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT_AS(psapi, GetModuleInformation, psapi_GetModuleInformation, 4);
THK_EXPORT_AS(kernel32, K32GetModuleInformation, psapi_GetModuleInformation, 4);

/* ---- the program's file name ---- */
/* NtQueryInformationProcess's image file name (class 27 or 43) as a malloc'd W string. */
static WCHAR *psapi_image_name(HANDLE process, uint32_t klass, DWORD *len)
{
    uint32_t cap = sizeof(UNICODE_STRING) + 0x10000;
    uint8_t *tmp = malloc(cap);
    if (!tmp) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    NTSTATUS st = NtQueryInformationProcess(process, klass, tmp, cap, NULL);
    if (!NT_SUCCESS(st)) {
        free(tmp);
        thk_set_last_status(st);
        return NULL;
    }
    UNICODE_STRING us;
    memcpy(&us, tmp, sizeof us);
    *len = us.Length / sizeof(WCHAR);
    memmove(tmp, tmp + sizeof us, *len * sizeof(WCHAR));
    ((WCHAR *)tmp)[*len] = 0;
    return (WCHAR *)tmp;
}

/* The whole name (len units of `unit` bytes, then its terminator) into a caller's buffer of cap
 * units, or nothing: too small is ERROR_INSUFFICIENT_BUFFER, a bad buffer (or a bad *len_out,
 * when given: it receives len) ERROR_NOACCESS. */
static bool psapi_put_whole(void *buf, DWORD cap, const void *name, DWORD len, size_t unit,
                            DWORD *len_out)
{
    if (len >= cap)
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
    else if (rt_safe_copy(buf, name, ((size_t)len + 1) * unit) != 0 ||
             (len_out && rt_safe_copy(len_out, &len, sizeof len) != 0))
        thk_set_last_error(ERROR_NOACCESS);
    else
        return true;
    return false;
}

/* QueryFullProcessImageNameW: the whole name or nothing: *size (characters, with the
 * terminator) too small is ERROR_INSUFFICIENT_BUFFER; else *size becomes the length. */
static BOOL WINAPI k32_QueryFullProcessImageNameW(HANDLE process, DWORD flags, WCHAR *buf,
                                                  DWORD *size)
{
    if (flags & ~(DWORD)PSAPI_PROCESS_NAME_NATIVE) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    DWORD cap;
    if (rt_safe_copy(&cap, size, sizeof cap) != 0) {
        thk_set_last_error(ERROR_NOACCESS);
        return FALSE;
    }
    DWORD len = 0;
    WCHAR *name = psapi_image_name(process, flags & PSAPI_PROCESS_NAME_NATIVE
                                                ? PSAPI_ProcessImageFileName
                                                : PSAPI_ProcessImageFileNameWin32, &len);
    if (!name)
        return FALSE;
    BOOL ok = psapi_put_whole(buf, cap, name, len, sizeof(WCHAR), size);
    free(name);
    return ok;
}
THK_EXPORT_AS(kernel32, QueryFullProcessImageNameW, k32_QueryFullProcessImageNameW, 4);

static BOOL WINAPI k32_QueryFullProcessImageNameA(HANDLE process, DWORD flags, char *buf,
                                                  DWORD *size)
{
    DWORD cap;
    if (rt_safe_copy(&cap, size, sizeof cap) != 0) {
        thk_set_last_error(ERROR_NOACCESS);
        return FALSE;
    }
    WCHAR w[0x8000];
    DWORD wlen = 0x8000;
    if (!k32_QueryFullProcessImageNameW(process, flags, w, &wlen))
        return FALSE;
    char *a = k32_w_to_a(w, wlen);
    if (!a) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    BOOL ok = psapi_put_whole(buf, cap, a, (DWORD)strlen(a), 1, size);
    free(a);
    return ok;
}
THK_EXPORT_AS(kernel32, QueryFullProcessImageNameA, k32_QueryFullProcessImageNameA, 4);

/* GetProcessImageFileNameW/A: the NT device form, cut to the buffer and terminated. */
static DWORD WINAPI psapi_GetProcessImageFileNameW(HANDLE process, WCHAR *buf, DWORD size)
{
    DWORD len = 0;
    WCHAR *name = psapi_image_name(process, PSAPI_ProcessImageFileName, &len);
    if (!name)
        return 0;
    DWORD r = psapi_put_whole(buf, size, name, len, sizeof(WCHAR), NULL) ? len : 0;
    free(name);
    return r;
}
THK_EXPORT_AS(psapi, GetProcessImageFileNameW, psapi_GetProcessImageFileNameW, 3);
THK_EXPORT_AS(kernel32, K32GetProcessImageFileNameW, psapi_GetProcessImageFileNameW, 3);

static DWORD WINAPI psapi_GetProcessImageFileNameA(HANDLE process, char *buf, DWORD size)
{
    DWORD len = 0;
    WCHAR *name = psapi_image_name(process, PSAPI_ProcessImageFileName, &len);
    if (!name)
        return 0;
    char *a = k32_w_to_a(name, len);
    free(name);
    if (!a) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    DWORD alen = (DWORD)strlen(a);
    DWORD r = psapi_put_whole(buf, size, a, alen, 1, NULL) ? alen : 0;
    free(a);
    return r;
}
THK_EXPORT_AS(psapi, GetProcessImageFileNameA, psapi_GetProcessImageFileNameA, 3);
THK_EXPORT_AS(kernel32, K32GetProcessImageFileNameA, psapi_GetProcessImageFileNameA, 3);
