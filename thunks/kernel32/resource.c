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

/* An A name or type: an ID stays as it is, a string becomes UTF-16 (*tmp to free). */
static const WCHAR *k32_res_name_a(const char *s, WCHAR **tmp, bool *ok)
{
    *tmp = NULL;
    *ok = true;
    if ((uintptr_t)s < 0x10000)
        return (const WCHAR *)s;
    *tmp = k32_a_to_w(s, ok);
    return *tmp;
}

HANDLE WINAPI FindResourceExA(HMODULE mod, const char *type, const char *name, uint16_t lang)
{
    WCHAR *wt, *wn;
    bool ok1, ok2;
    const WCHAR *t = k32_res_name_a(type, &wt, &ok1), *n = k32_res_name_a(name, &wn, &ok2);
    HANDLE r = NULL;
    if (!ok1 || !ok2)
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
    else
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
