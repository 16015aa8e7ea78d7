/* SPDX-License-Identifier: MIT */
/* kernel32 resources: FindResource(Ex)A/W, LoadResource, LockResource, SizeofResource,
 * FreeResource over the shared resource-directory walk (thunks/resource.c). An HRSRC is the
 * IMAGE_RESOURCE_DATA_ENTRY inside the image, an HGLOBAL from LoadResource the data itself, as
 * on Windows; a NULL module is the program. Built-in DLLs carry no resources. */
#include <stdlib.h>
#include "thunks/kernel32/kernel32_private.h"
#include "thunks/resource.h"

static const void *k32_res_module(HMODULE mod) { return mod ? mod : GetModuleHandleW(NULL); }

HANDLE WINAPI FindResourceExW(HMODULE mod, const WCHAR *type, const WCHAR *name, uint16_t lang)
{
    const thk_res_data_entry *e;
    uint32_t err = thk_res_find(k32_res_module(mod), type, name, lang ? lang : THK_RES_LANG_DEFAULT,
                                &e);
    if (err) {
        thk_set_last_error(err);
        return NULL;
    }
    return (HANDLE)e;
}
THK_EXPORT(kernel32, FindResourceExW, 4);

HANDLE WINAPI FindResourceW(HMODULE mod, const WCHAR *name, const WCHAR *type)
{
    return FindResourceExW(mod, type, name, 0);
}
THK_EXPORT(kernel32, FindResourceW, 3);

bool k32_res_arg_w(const char *s, const WCHAR **w, WCHAR **tmp)
{
    *tmp = NULL;
    *w = (const WCHAR *)s;
    if ((uintptr_t)s < 0x10000)
        return true;
    if (!k32_arg_w(s, tmp))
        return false;
    *w = *tmp;
    return true;
}

HANDLE WINAPI FindResourceExA(HMODULE mod, const char *type, const char *name, uint16_t lang)
{
    WCHAR *wt = NULL, *wn = NULL;
    const WCHAR *t, *n;
    HANDLE r = NULL;
    if (k32_res_arg_w(type, &t, &wt) && k32_res_arg_w(name, &n, &wn))
        r = FindResourceExW(mod, t, n, lang);
    free(wt);
    free(wn);
    return r;
}
THK_EXPORT(kernel32, FindResourceExA, 4);

HANDLE WINAPI FindResourceA(HMODULE mod, const char *name, const char *type)
{
    return FindResourceExA(mod, type, name, 0);
}
THK_EXPORT(kernel32, FindResourceA, 3);

HANDLE WINAPI LoadResource(HMODULE mod, HANDLE res)
{
    uint32_t size;
    const void *data = res ? thk_res_data(k32_res_module(mod), res, &size) : NULL;
    if (!data)
        thk_set_last_error(res ? ERROR_INVALID_HANDLE : ERROR_INVALID_PARAMETER);
    return (HANDLE)data;
}
THK_EXPORT(kernel32, LoadResource, 2);

void *WINAPI LockResource(HANDLE data) { return data; }
THK_EXPORT(kernel32, LockResource, 1);

BOOL WINAPI FreeResource(HANDLE data) { return FALSE; }
THK_EXPORT(kernel32, FreeResource, 1);

DWORD WINAPI SizeofResource(HMODULE mod, HANDLE res)
{
    uint32_t size;
    if (!res || !thk_res_data(k32_res_module(mod), res, &size)) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return 0;
    }
    return size;
}
THK_EXPORT(kernel32, SizeofResource, 2);

/* ---- EnumResourceTypes/Names/Languages(Ex)A/W: the directory's entries in its order (names,
 * then IDs); a name reaches the callback as a NUL-terminated copy (ANSI for the A forms). The
 * callback stopping the walk gives FALSE with ERROR_RESOURCE_ENUM_USER_STOP, as since Vista. */
typedef struct {
    const void *proc;
    HMODULE mod;
    const void *type, *name; /* what the caller passed (A or W), given back to the callback */
    LONG_PTR param;
    int level;
    bool ansi;
    bool nomem;
} k32_res_enum;

static bool k32_res_enum_one(void *ctx, const WCHAR *key, uint16_t lang)
{
    k32_res_enum *en = ctx;
    uint64_t k = (uint64_t)(uintptr_t)key;
    char *a = NULL;
    if (en->ansi && (uintptr_t)key >= 0x10000) {
        a = k32_w_to_a(key, nt_wcslen(key));
        if (!a) {
            en->nomem = true;
            return false;
        }
        k = (uint64_t)(uintptr_t)a;
    }
    uint64_t r;
    uint64_t m = (uint64_t)(uintptr_t)en->mod, p = (uint64_t)en->param;
    if (en->level == 0)
        r = thk_call_foreign3(en->proc, m, k, p);
    else if (en->level == 1)
        r = thk_call_foreign4(en->proc, m, (uint64_t)(uintptr_t)en->type, k, p);
    else {
        uint64_t v[5] = {m, (uint64_t)(uintptr_t)en->type, (uint64_t)(uintptr_t)en->name, lang, p};
        r = thk_call_foreign(en->proc, 5, v);
    }
    free(a);
    return (uint32_t)r != 0;
}

static BOOL k32_res_enum_run(k32_res_enum *en)
{
    if (!en->proc) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (!en->mod)
        en->mod = GetModuleHandleW(NULL);
    WCHAR *wt = NULL, *wn = NULL;
    const WCHAR *t = en->type, *n = en->name;
    if (en->ansi) {
        t = n = NULL;
        if ((en->level >= 1 && !k32_res_arg_w(en->type, &t, &wt)) ||
            (en->level >= 2 && !k32_res_arg_w(en->name, &n, &wn))) {
            free(wt);
            return FALSE;
        }
    }
    uint32_t err = thk_res_enum(en->mod, en->level, t, n, k32_res_enum_one, en);
    free(wt);
    free(wn);
    if (en->nomem)
        err = ERROR_NOT_ENOUGH_MEMORY;
    if (err) {
        thk_set_last_error(err);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI EnumResourceTypesExW(HMODULE mod, const void *proc, LONG_PTR param, DWORD flags,
                                 uint16_t lang)
{
    (void)flags, (void)lang; /* RESOURCE_ENUM_LN/MUI: a module has no MUI files here */
    k32_res_enum en = {.proc = proc, .mod = mod, .param = param, .level = 0};
    return k32_res_enum_run(&en);
}
THK_EXPORT(kernel32, EnumResourceTypesExW, 5);

BOOL WINAPI EnumResourceTypesExA(HMODULE mod, const void *proc, LONG_PTR param, DWORD flags,
                                 uint16_t lang)
{
    (void)flags, (void)lang;
    k32_res_enum en = {.proc = proc, .mod = mod, .param = param, .level = 0, .ansi = true};
    return k32_res_enum_run(&en);
}
THK_EXPORT(kernel32, EnumResourceTypesExA, 5);

BOOL WINAPI EnumResourceTypesW(HMODULE mod, const void *proc, LONG_PTR param)
{
    return EnumResourceTypesExW(mod, proc, param, 0, 0);
}
THK_EXPORT(kernel32, EnumResourceTypesW, 3);

BOOL WINAPI EnumResourceTypesA(HMODULE mod, const void *proc, LONG_PTR param)
{
    return EnumResourceTypesExA(mod, proc, param, 0, 0);
}
THK_EXPORT(kernel32, EnumResourceTypesA, 3);

BOOL WINAPI EnumResourceNamesExW(HMODULE mod, const WCHAR *type, const void *proc,
                                 LONG_PTR param, DWORD flags, uint16_t lang)
{
    (void)flags, (void)lang;
    k32_res_enum en = {.proc = proc, .mod = mod, .type = type, .param = param, .level = 1};
    return k32_res_enum_run(&en);
}
THK_EXPORT(kernel32, EnumResourceNamesExW, 6);

BOOL WINAPI EnumResourceNamesExA(HMODULE mod, const char *type, const void *proc,
                                 LONG_PTR param, DWORD flags, uint16_t lang)
{
    (void)flags, (void)lang;
    k32_res_enum en = {.proc = proc, .mod = mod, .type = type, .param = param, .level = 1,
                       .ansi = true};
    return k32_res_enum_run(&en);
}
THK_EXPORT(kernel32, EnumResourceNamesExA, 6);

BOOL WINAPI EnumResourceNamesW(HMODULE mod, const WCHAR *type, const void *proc, LONG_PTR param)
{
    return EnumResourceNamesExW(mod, type, proc, param, 0, 0);
}
THK_EXPORT(kernel32, EnumResourceNamesW, 4);

BOOL WINAPI EnumResourceNamesA(HMODULE mod, const char *type, const void *proc, LONG_PTR param)
{
    return EnumResourceNamesExA(mod, type, proc, param, 0, 0);
}
THK_EXPORT(kernel32, EnumResourceNamesA, 4);

BOOL WINAPI EnumResourceLanguagesExW(HMODULE mod, const WCHAR *type, const WCHAR *name,
                                     const void *proc, LONG_PTR param, DWORD flags, uint16_t lang)
{
    (void)flags, (void)lang;
    k32_res_enum en = {.proc = proc, .mod = mod, .type = type, .name = name, .param = param,
                       .level = 2};
    return k32_res_enum_run(&en);
}
THK_EXPORT(kernel32, EnumResourceLanguagesExW, 7);

BOOL WINAPI EnumResourceLanguagesExA(HMODULE mod, const char *type, const char *name,
                                     const void *proc, LONG_PTR param, DWORD flags, uint16_t lang)
{
    (void)flags, (void)lang;
    k32_res_enum en = {.proc = proc, .mod = mod, .type = type, .name = name, .param = param,
                       .level = 2, .ansi = true};
    return k32_res_enum_run(&en);
}
THK_EXPORT(kernel32, EnumResourceLanguagesExA, 7);

BOOL WINAPI EnumResourceLanguagesW(HMODULE mod, const WCHAR *type, const WCHAR *name,
                                   const void *proc, LONG_PTR param)
{
    return EnumResourceLanguagesExW(mod, type, name, proc, param, 0, 0);
}
THK_EXPORT(kernel32, EnumResourceLanguagesW, 5);

BOOL WINAPI EnumResourceLanguagesA(HMODULE mod, const char *type, const char *name,
                                   const void *proc, LONG_PTR param)
{
    return EnumResourceLanguagesExA(mod, type, name, proc, param, 0, 0);
}
THK_EXPORT(kernel32, EnumResourceLanguagesA, 5);
