/* SPDX-License-Identifier: MIT */
/* user32 LoadStringW/LoadStringA: strings of a module's string table (RT_STRING). Table block
 * (id >> 4) + 1 holds 16 strings, each a UTF-16 length followed by that many units (no NUL).
 * A NULL instance is the program. */
#include <stdlib.h>
#include <string.h>
#include "thunks/resource.h"
#include "thunks/user32/user32_private.h"

HMODULE WINAPI GetModuleHandleW(const WCHAR *name); /* kernel32 */
int WINAPI WideCharToMultiByte(UINT cp, DWORD flags, const WCHAR *src, int srclen, char *dst,
                               int dstlen, const char *defchar, BOOL *used);

/* String `id` of the module: *len units at the returned pointer (inside the image); NULL when
 * the module has no such string (the last error set). */
static const WCHAR *u32_find_string(HMODULE mod, UINT id, size_t *len)
{
    const void *base = mod ? mod : GetModuleHandleW(NULL);
    const thk_res_data_entry *e;
    uint32_t err = thk_res_find(base, (const WCHAR *)(uintptr_t)THK_RT_STRING,
                                (const WCHAR *)(uintptr_t)((id >> 4) + 1), THK_RES_LANG_DEFAULT,
                                &e);
    uint32_t size;
    const uint8_t *p = err ? NULL : thk_res_data(base, e, &size);
    if (!p) {
        thk_set_last_error(err ? err : THK_RES_ERROR_NAME_NOT_FOUND);
        return NULL;
    }
    const uint8_t *end = p + size;
    for (UINT i = 0; i < (id & 15); i++) {
        uint16_t n;
        if (end - p < 2)
            return NULL;
        memcpy(&n, p, 2);
        p += 2 + 2 * (size_t)n;
    }
    uint16_t n;
    if (end - p < 2)
        return NULL;
    memcpy(&n, p, 2);
    if ((size_t)(end - p - 2) < 2 * (size_t)n)
        return NULL;
    *len = n;
    return (const WCHAR *)(p + 2);
}

/* size 0: *buf receives a read-only pointer to the string itself (not terminated) and the
 * result is its length. Otherwise at most size - 1 units are copied and terminated. */
int WINAPI LoadStringW(HMODULE mod, UINT id, WCHAR *buf, int size)
{
    size_t len = 0;
    if (!buf) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    const WCHAR *s = u32_find_string(mod, id, &len);
    if (size == 0) {
        *(const WCHAR **)buf = s;
        return s ? (int)len : 0;
    }
    if (!s || !len) {
        buf[0] = 0;
        return 0;
    }
    if (len > (size_t)size - 1)
        len = (size_t)size - 1;
    memcpy(buf, s, len * sizeof *buf);
    buf[len] = 0;
    return (int)len;
}
THK_EXPORT(user32, LoadStringW, 4);

int WINAPI LoadStringA(HMODULE mod, UINT id, char *buf, int size)
{
    size_t len = 0;
    if (!buf || size <= 0) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    const WCHAR *s = u32_find_string(mod, id, &len);
    int n = s && len ? WideCharToMultiByte(0, 0, s, (int)len, buf, size - 1, NULL, NULL) : 0;
    if (n <= 0 && s && len) { /* too long for buf: as much as fits */
        char *all = NULL;
        int need = WideCharToMultiByte(0, 0, s, (int)len, NULL, 0, NULL, NULL);
        if (need > 0 && (all = malloc((size_t)need))) {
            WideCharToMultiByte(0, 0, s, (int)len, all, need, NULL, NULL);
            n = need < size - 1 ? need : size - 1;
            memcpy(buf, all, (size_t)n);
            free(all);
        }
    }
    buf[n > 0 ? n : 0] = 0;
    return n > 0 ? n : 0;
}
THK_EXPORT(user32, LoadStringA, 4);
