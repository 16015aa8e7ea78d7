/* SPDX-License-Identifier: MIT */
/* version.dll: GetFileVersionInfoSize(Ex)W/A, GetFileVersionInfo(Ex)W/A and VerQueryValueW/A.
 *
 * The version resource (RT_VERSION, ID 1) is read from the PE file itself: the file is read
 * whole, its headers and sections laid out at their RVAs in a scratch buffer, and the resource
 * found with the same walk as FindResource (thunks/resource.c). A built-in system DLL (a name
 * such as kernel32.dll or C:\Windows\System32\ntdll.dll that is no file on disk) answers with a
 * resource made here whose file and product versions are the Windows version ntrun reports
 * (PEB OSMajorVersion.OSMinorVersion.OSBuildNumber, and the registry's UBR as the revision), as
 * programs read kernel32.dll's version to learn the OS build.
 *
 * Sizes follow Windows: GetFileVersionInfoSize returns twice the resource plus 4 (room for the
 * ANSI copies VerQueryValueA makes and the "FE2X" signature); VerQueryValue's length is in
 * characters (terminator included) for string values and in bytes otherwise. Errors:
 * ERROR_FILE_NOT_FOUND / ERROR_PATH_NOT_FOUND from the open, ERROR_BAD_FORMAT (11) for a file
 * that is not a PE image, ERROR_RESOURCE_TYPE_NOT_FOUND (1813) without a version resource,
 * ERROR_INSUFFICIENT_BUFFER is never raised (the copy is truncated, as on Windows). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"
#include "thunks/resource.h"

#define VER_RT_VERSION 16
#define VER_ERROR_BAD_FORMAT 11
#define VER_ERROR_RESOURCE_DATA_NOT_FOUND 1812
#define VER_ERROR_RESOURCE_TYPE_NOT_FOUND 1813
#define VER_MAX_FILE (256u << 20)

BOOL WINAPI ReadFile(HANDLE h, void *buf, DWORD n, DWORD *nread, void *ov);
BOOL WINAPI GetFileSizeEx(HANDLE h, LARGE_INTEGER *size);

/* ---- reading the resource from a PE file ---- */
static uint8_t *ver_read_file(const WCHAR *name, size_t *size, uint32_t *err)
{
    HANDLE h = CreateFileW(name, 0x80000000u /* GENERIC_READ */, 7, NULL, 3 /* OPEN_EXISTING */,
                           0, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        *err = GetLastError();
        return NULL;
    }
    LARGE_INTEGER li;
    uint8_t *buf = NULL;
    if (!GetFileSizeEx(h, &li) || li.QuadPart < 0x40 || (uint64_t)li.QuadPart > VER_MAX_FILE) {
        *err = VER_ERROR_BAD_FORMAT;
        goto close;
    }
    buf = malloc((size_t)li.QuadPart);
    DWORD got = 0;
    if (!buf || !ReadFile(h, buf, (DWORD)li.QuadPart, &got, NULL) || got != li.QuadPart) {
        *err = buf ? VER_ERROR_BAD_FORMAT : ERROR_NOT_ENOUGH_MEMORY;
        free(buf);
        buf = NULL;
        goto close;
    }
    *size = (size_t)li.QuadPart;
close:
    CloseHandle(h);
    return buf;
}

static uint32_t ver_rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint16_t ver_rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }

/* The file laid out as an image (headers and sections at their RVAs), or NULL. */
static uint8_t *ver_layout(const uint8_t *file, size_t size, uint32_t *err)
{
    *err = VER_ERROR_BAD_FORMAT;
    if (ver_rd16(file) != 0x5a4d)
        return NULL;
    uint32_t pe = ver_rd32(file + 0x3c);
    if (pe > size - 0x18 || ver_rd32(file + pe) != 0x4550)
        return NULL;
    uint16_t nsec = ver_rd16(file + pe + 6), optsize = ver_rd16(file + pe + 0x14);
    const uint8_t *opt = file + pe + 0x18;
    if ((size_t)(opt - file) + optsize > size)
        return NULL;
    uint16_t magic = ver_rd16(opt);
    uint32_t image_size = optsize >= 0x3c ? ver_rd32(opt + 0x38) : 0;
    uint32_t headers = optsize >= 0x40 ? ver_rd32(opt + 0x3c) : 0;
    if ((magic != 0x10b && magic != 0x20b) || image_size == 0 || image_size > VER_MAX_FILE)
        return NULL;
    const uint8_t *sec = opt + optsize;
    if ((size_t)(sec - file) + (size_t)nsec * 40 > size)
        return NULL;
    uint8_t *img = calloc(1, image_size);
    if (!img) {
        *err = ERROR_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    size_t hdr = headers < size ? headers : size;
    memcpy(img, file, hdr < image_size ? hdr : image_size);
    for (uint16_t i = 0; i < nsec; i++, sec += 40) {
        uint32_t va = ver_rd32(sec + 12), raw = ver_rd32(sec + 16), off = ver_rd32(sec + 20);
        if (va >= image_size || off >= size)
            continue;
        size_t n = raw;
        if (n > size - off)
            n = size - off;
        if (n > image_size - va)
            n = image_size - va;
        memcpy(img + va, file + off, n);
    }
    *err = 0;
    return img;
}

/* ---- the built-in DLLs' resource ---- */
typedef struct {
    uint8_t *p;
    size_t len, cap;
} ver_buf;

static bool ver_put(ver_buf *b, const void *data, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *p = realloc(b->p, cap);
        if (!p)
            return false;
        b->p = p;
        b->cap = cap;
    }
    if (data)
        memcpy(b->p + b->len, data, n);
    else
        memset(b->p + b->len, 0, n);
    b->len += n;
    return true;
}

static bool ver_align(ver_buf *b) { return ver_put(b, NULL, (4 - (b->len & 3)) & 3); }

static bool ver_put_wstr(ver_buf *b, const char *s)
{
    for (;; s++) {
        uint16_t c = (uint8_t)*s;
        if (!ver_put(b, &c, 2))
            return false;
        if (!*s)
            return true;
    }
}

/* Opens a node (header, key, value); returns its offset, or SIZE_MAX. */
static size_t ver_node(ver_buf *b, const char *key, int type, const void *bin, size_t bin_len,
                       const char *text)
{
    if (!ver_align(b))
        return SIZE_MAX;
    size_t at = b->len;
    uint16_t hdr[3] = {0, (uint16_t)(text ? strlen(text) + 1 : bin_len), (uint16_t)type};
    if (!ver_put(b, hdr, sizeof hdr) || !ver_put_wstr(b, key) || !ver_align(b))
        return SIZE_MAX;
    if (text ? !ver_put_wstr(b, text) : (bin_len && !ver_put(b, bin, bin_len)))
        return SIZE_MAX;
    return at;
}

static void ver_close(ver_buf *b, size_t at)
{
    uint16_t len = (uint16_t)(b->len - at);
    memcpy(b->p + at, &len, 2);
}

static bool ver_builtin_name(const WCHAR *path, char *out, size_t cap)
{
    const WCHAR *base = path;
    for (const WCHAR *s = path; *s; s++)
        if (*s == '\\' || *s == '/' || *s == ':')
            base = s + 1;
    size_t n = 0;
    for (; base[n]; n++) {
        if (base[n] >= 0x80 || n + 5 >= cap)
            return false;
        char c = (char)base[n];
        out[n] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    out[n] = 0;
    if (n < 5 || strcmp(out + n - 4, ".dll") != 0) {
        if (strchr(out, '.'))
            return false;
        memcpy(out + n, ".dll", 5); /* "kernel32" names kernel32.dll, as LoadLibrary would */
    }
    return thk_is_builtin_dll(out);
}

static uint8_t *ver_builtin_resource(const char *dll, size_t *size)
{
    PEB *peb = rt_proc.peb;
    uint32_t major = peb && peb->OSMajorVersion ? peb->OSMajorVersion : 10;
    uint32_t minor = peb ? peb->OSMinorVersion : 0;
    uint32_t build = peb && peb->OSBuildNumber ? peb->OSBuildNumber : 19045;
    uint32_t rev = build >= 22000 ? 2314 : 5131; /* the registry's UBR (ntemu/registry.c) */
    uint32_t fixed[13] = {
        0xfeef04bd, 0x10000,                      /* signature, structure version */
        (major << 16) | minor, (build << 16) | rev, /* file version */
        (major << 16) | minor, (build << 16) | rev, /* product version */
        0x3f, 0,                                  /* flags mask, flags */
        0x40004,                                  /* VOS_NT_WINDOWS32 */
        2, 0,                                     /* VFT_DLL */
        0, 0,                                     /* date */
    };
    char ver[64], internal[64];
    snprintf(ver, sizeof ver, "%u.%u.%u.%u", major, minor, build, rev);
    snprintf(internal, sizeof internal, "%s", dll);
    char *dot = strrchr(internal, '.');
    if (dot)
        *dot = 0;
    static const char *const keys[] = {"CompanyName", "FileDescription", "FileVersion",
                                       "InternalName", "LegalCopyright", "OriginalFilename",
                                       "ProductName", "ProductVersion"};
    const char *values[] = {"Microsoft Corporation", "ntrun built-in DLL", ver, internal,
                            "\xa9 Microsoft Corporation. All rights reserved.", dll,
                            "Microsoft\xae Windows\xae Operating System", ver};
    ver_buf b = {0};
    size_t root = ver_node(&b, "VS_VERSION_INFO", 0, fixed, sizeof fixed, NULL);
    size_t sfi = ver_node(&b, "StringFileInfo", 1, NULL, 0, NULL);
    size_t table = ver_node(&b, "040904B0", 1, NULL, 0, NULL);
    bool ok = root != SIZE_MAX && sfi != SIZE_MAX && table != SIZE_MAX;
    for (size_t i = 0; ok && i < sizeof keys / sizeof keys[0]; i++) {
        /* Latin-1 text (the two symbols) widened byte by byte */
        size_t s = ver_node(&b, keys[i], 1, NULL, 0, values[i]);
        ok = s != SIZE_MAX;
        if (ok)
            ver_close(&b, s);
    }
    if (ok) {
        ver_close(&b, table);
        ver_close(&b, sfi);
        size_t vfi = ver_node(&b, "VarFileInfo", 1, NULL, 0, NULL);
        uint16_t tr[2] = {0x0409, 0x04b0};
        size_t t = vfi == SIZE_MAX ? SIZE_MAX : ver_node(&b, "Translation", 0, tr, sizeof tr, NULL);
        ok = t != SIZE_MAX;
        if (ok) {
            ver_close(&b, t);
            ver_close(&b, vfi);
            ver_close(&b, root);
        }
    }
    if (!ok) {
        free(b.p);
        return NULL;
    }
    *size = b.len;
    return b.p;
}

/* The version resource of `name` (malloc'd) or NULL with the last error set. */
static uint8_t *ver_resource(const WCHAR *name, size_t *size)
{
    if (!name) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    uint32_t err = 0;
    size_t fsize = 0;
    uint8_t *file = ver_read_file(name, &fsize, &err);
    if (!file) {
        char dll[64];
        if ((err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND) &&
            ver_builtin_name(name, dll, sizeof dll)) {
            uint8_t *r = ver_builtin_resource(dll, size);
            if (!r)
                thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
            return r;
        }
        thk_set_last_error(err);
        return NULL;
    }
    uint8_t *img = ver_layout(file, fsize, &err);
    free(file);
    if (!img) {
        thk_set_last_error(err);
        return NULL;
    }
    const thk_res_data_entry *e = NULL;
    uint8_t *out = NULL;
    err = thk_res_find(img, (const WCHAR *)(uintptr_t)VER_RT_VERSION, (const WCHAR *)(uintptr_t)1,
                       THK_RES_LANG_DEFAULT, &e);
    if (err == THK_RES_ERROR_NAME_NOT_FOUND || err == THK_RES_ERROR_LANG_NOT_FOUND ||
        err == VER_ERROR_RESOURCE_DATA_NOT_FOUND)
        err = VER_ERROR_RESOURCE_TYPE_NOT_FOUND;
    if (err == 0) {
        uint32_t n = 0;
        const void *data = thk_res_data(img, e, &n);
        if (!data || n < 6) {
            err = VER_ERROR_RESOURCE_TYPE_NOT_FOUND;
        } else if ((out = malloc(n)) == NULL) {
            err = ERROR_NOT_ENOUGH_MEMORY;
        } else {
            memcpy(out, data, n);
            *size = n;
        }
    }
    free(img);
    if (!out)
        thk_set_last_error(err);
    return out;
}

static size_t ver_total(const uint8_t *res, size_t size)
{
    uint16_t len = ver_rd16(res);
    return len && len <= size ? len : size;
}

static DWORD WINAPI ver_GetFileVersionInfoSizeExW(DWORD flags, const WCHAR *name, DWORD *handle)
{
    size_t size = 0;
    if (handle)
        *handle = 0;
    uint8_t *res = ver_resource(name, &size);
    if (!res)
        return 0;
    DWORD n = (DWORD)(ver_total(res, size) * 2 + 4);
    free(res);
    thk_set_last_error(0);
    return n;
}
THK_EXPORT_AS(version, GetFileVersionInfoSizeExW, ver_GetFileVersionInfoSizeExW, 3);

static DWORD WINAPI ver_GetFileVersionInfoSizeW(const WCHAR *name, DWORD *handle)
{
    return ver_GetFileVersionInfoSizeExW(0, name, handle);
}
THK_EXPORT_AS(version, GetFileVersionInfoSizeW, ver_GetFileVersionInfoSizeW, 2);

static BOOL WINAPI ver_GetFileVersionInfoExW(DWORD flags, const WCHAR *name, DWORD handle,
                                             DWORD len, void *data)
{
    size_t size = 0;
    if (!data || !len) {
        thk_set_last_error(ERROR_INVALID_DATA);
        return FALSE;
    }
    uint8_t *res = ver_resource(name, &size);
    if (!res)
        return FALSE;
    size_t total = ver_total(res, size);
    size_t n = total < len ? total : len;
    if (rt_safe_copy(data, res, n) != 0) {
        free(res);
        thk_set_last_error(ERROR_NOACCESS);
        return FALSE;
    }
    if (len >= total + 4) /* Windows marks a converted 32-bit block this way */
        rt_safe_copy((uint8_t *)data + total, "FE2X", 4);
    free(res);
    thk_set_last_error(0);
    return TRUE;
}
THK_EXPORT_AS(version, GetFileVersionInfoExW, ver_GetFileVersionInfoExW, 5);

static BOOL WINAPI ver_GetFileVersionInfoW(const WCHAR *name, DWORD handle, DWORD len, void *data)
{
    return ver_GetFileVersionInfoExW(0, name, handle, len, data);
}
THK_EXPORT_AS(version, GetFileVersionInfoW, ver_GetFileVersionInfoW, 4);

static WCHAR *ver_name_a(const char *name, bool *ok)
{
    *ok = true;
    if (!name)
        return NULL;
    WCHAR *w = k32_a_to_w(name, ok);
    if (!*ok)
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
    return w;
}

static DWORD WINAPI ver_GetFileVersionInfoSizeExA(DWORD flags, const char *name, DWORD *handle)
{
    bool ok;
    WCHAR *w = ver_name_a(name, &ok);
    DWORD r = ok ? ver_GetFileVersionInfoSizeExW(flags, w, handle) : 0;
    free(w);
    return r;
}
THK_EXPORT_AS(version, GetFileVersionInfoSizeExA, ver_GetFileVersionInfoSizeExA, 3);

static DWORD WINAPI ver_GetFileVersionInfoSizeA(const char *name, DWORD *handle)
{
    return ver_GetFileVersionInfoSizeExA(0, name, handle);
}
THK_EXPORT_AS(version, GetFileVersionInfoSizeA, ver_GetFileVersionInfoSizeA, 2);

static BOOL WINAPI ver_GetFileVersionInfoExA(DWORD flags, const char *name, DWORD handle,
                                             DWORD len, void *data)
{
    bool ok;
    WCHAR *w = ver_name_a(name, &ok);
    BOOL r = ok ? ver_GetFileVersionInfoExW(flags, w, handle, len, data) : FALSE;
    free(w);
    return r;
}
THK_EXPORT_AS(version, GetFileVersionInfoExA, ver_GetFileVersionInfoExA, 5);

static BOOL WINAPI ver_GetFileVersionInfoA(const char *name, DWORD handle, DWORD len, void *data)
{
    return ver_GetFileVersionInfoExA(0, name, handle, len, data);
}
THK_EXPORT_AS(version, GetFileVersionInfoA, ver_GetFileVersionInfoA, 4);

/* ---- VerQueryValue ---- */
typedef struct {
    const uint8_t *node;
    uint16_t len, value_len, type;
    const uint16_t *key;
    const uint8_t *value;
    size_t value_bytes;
    const uint8_t *children, *end;
} ver_node_info;

static size_t ver_align_off(size_t off) { return (off + 3) & ~(size_t)3; }

static bool ver_parse(const uint8_t *block, const uint8_t *node, const uint8_t *limit,
                      ver_node_info *out)
{
    if (node + 6 > limit)
        return false;
    out->node = node;
    out->len = ver_rd16(node);
    out->value_len = ver_rd16(node + 2);
    out->type = ver_rd16(node + 4);
    if (out->len < 6 || node + out->len > limit)
        return false;
    out->end = node + out->len;
    out->key = (const uint16_t *)(node + 6);
    const uint8_t *k = node + 6;
    while (k + 2 <= out->end && ver_rd16(k))
        k += 2;
    if (k + 2 > out->end)
        return false;
    out->value = block + ver_align_off((size_t)(k + 2 - block));
    out->value_bytes = out->type == 1 ? (size_t)out->value_len * 2 : out->value_len;
    if (out->value + out->value_bytes > out->end)
        out->value_bytes = out->value > out->end ? 0 : (size_t)(out->end - out->value);
    out->children = block + ver_align_off((size_t)(out->value + out->value_bytes - block));
    return true;
}

static bool ver_key_eq(const uint16_t *key, const WCHAR *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint16_t a = key[i], c = s[i];
        if (a >= 'a' && a <= 'z')
            a -= 32;
        if (c >= 'a' && c <= 'z')
            c -= 32;
        if (a != c || !a)
            return false;
    }
    return key[n] == 0;
}

/* Finds `sub` (\-separated) under the block; the node found, or false. */
static bool ver_find(const uint8_t *block, const WCHAR *sub, ver_node_info *out)
{
    uint16_t total = ver_rd16(block);
    const uint8_t *limit = block + total;
    if (!ver_parse(block, block, limit, out))
        return false;
    while (*sub) {
        while (*sub == '\\')
            sub++;
        if (!*sub)
            break;
        size_t n = 0;
        while (sub[n] && sub[n] != '\\')
            n++;
        const uint8_t *c = out->children;
        ver_node_info child;
        bool found = false;
        while (c + 6 <= out->end && ver_parse(block, c, out->end, &child)) {
            if (ver_key_eq(child.key, sub, n)) {
                found = true;
                break;
            }
            c = block + ver_align_off((size_t)(child.end - block));
        }
        if (!found)
            return false;
        *out = child;
        sub += n;
    }
    return true;
}

static BOOL WINAPI ver_VerQueryValueW(const void *block, const WCHAR *sub, void **buf, UINT *len)
{
    ver_node_info n;
    if (!block || !buf) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    static const WCHAR root[] = {'\\', 0};
    if (!sub || !*sub)
        sub = root;
    if (!ver_find(block, sub, &n) || (n.node == block && n.value_len == 0)) {
        thk_set_last_error(VER_ERROR_RESOURCE_TYPE_NOT_FOUND);
        if (len)
            *len = 0;
        return FALSE;
    }
    *buf = (void *)n.value;
    if (len)
        *len = n.type == 1 ? n.value_len : (UINT)n.value_bytes;
    return TRUE;
}
THK_EXPORT_AS(version, VerQueryValueW, ver_VerQueryValueW, 4);

/* The ANSI form: the path converted; a string value converted into the second half of the
 * buffer GetFileVersionInfoSize made room for, at half the offset of its UTF-16 original. */
static BOOL WINAPI ver_VerQueryValueA(const void *block, const char *sub, void **buf, UINT *len)
{
    bool ok = true;
    WCHAR *w = sub ? k32_a_to_w(sub, &ok) : NULL;
    if (!ok) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    void *value = NULL;
    UINT n = 0;
    ver_node_info node;
    static const WCHAR root[] = {'\\', 0};
    BOOL r = ver_VerQueryValueW(block, w ? w : root, &value, &n);
    if (r && ver_find(block, w ? w : root, &node) && node.type == 1) {
        const uint8_t *b = block;
        char *dst = (char *)b + ver_rd16(b) + 4 + ((const uint8_t *)value - b) / 2;
        int m = WideCharToMultiByte(0 /* CP_ACP */, 0, value, (int)n, dst, (int)n, NULL, NULL);
        value = dst;
        n = m > 0 ? (UINT)m : 0;
    }
    free(w);
    if (r) {
        *buf = value;
        if (len)
            *len = n;
    }
    return r;
}
THK_EXPORT_AS(version, VerQueryValueA, ver_VerQueryValueA, 4);
