/* SPDX-License-Identifier: MIT */
/* Where the Microsoft Software Key Storage Provider keeps named (persisted) keys: one file a
 * key in the folder Windows uses, %APPDATA%\Microsoft\Crypto\Keys for the user's keys and
 * %ALLUSERSPROFILE%\Microsoft\Crypto\Keys for the machine's (NCRYPT_MACHINE_KEY_FLAG), on the
 * program's C: drive, through kernel32's files. A file is named after the MD5 of the key's name
 * in lower case (key names do not depend on case), as Windows names its own; its contents are
 * ntrun's (Windows protects its files with DPAPI; the two do not read each other's):
 *
 *   "NTRNKEY1", then little-endian DWORDs: export policy, key usage, the algorithm's name length
 *   and the name (ASCII), the key name's length in characters and the name (UTF-16), the private
 *   blob's length and the blob (bcrypt's BCRYPT_PRIVATE_KEY_BLOB).
 *
 * The private key is stored in the clear, readable by whoever reads the user's files. */
#include <stdlib.h>
#include <string.h>
#include "thunks/advapi32/crypt_digest.h"
#include "thunks/ncrypt/ncrypt_private.h"

typedef void *HANDLE_;
DWORD WINAPI GetEnvironmentVariableW(const WCHAR *name, WCHAR *buf, DWORD size);
BOOL WINAPI CreateDirectoryW(const WCHAR *path, void *sa);
HANDLE_ WINAPI CreateFileW(const WCHAR *name, DWORD access, DWORD share, void *sa, DWORD disp,
                           DWORD flags, HANDLE_ tmpl);
BOOL WINAPI ReadFile(HANDLE_ h, void *buf, DWORD n, DWORD *got, void *ov);
BOOL WINAPI WriteFile(HANDLE_ h, const void *buf, DWORD n, DWORD *put, void *ov);
BOOL WINAPI CloseHandle(HANDLE_ h);
BOOL WINAPI DeleteFileW(const WCHAR *name);
DWORD WINAPI GetFileAttributesW(const WCHAR *name);
HANDLE_ WINAPI FindFirstFileW(const WCHAR *pattern, void *data);
BOOL WINAPI FindNextFileW(HANDLE_ h, void *data);
BOOL WINAPI FindClose(HANDLE_ h);

#define S_INVALID_HANDLE ((HANDLE_)(intptr_t)-1)
#define S_GENERIC_READ 0x80000000u
#define S_GENERIC_WRITE 0x40000000u
#define S_OPEN_EXISTING 3u
#define S_CREATE_ALWAYS 2u
#define S_NTE_BAD_DATA ((int32_t)0x80090005)
#define S_NTE_NO_MEMORY ((int32_t)0x8009000E)
#define S_NTE_BAD_KEYSET ((int32_t)0x80090016)
#define S_NTE_FAIL ((int32_t)0x80090020)

static const char s_magic[8] = {'N', 'T', 'R', 'N', 'K', 'E', 'Y', '1'};

static size_t s_wlen(const WCHAR *w)
{
    size_t n = 0;
    while (w[n])
        n++;
    return n;
}

static void s_wcat(WCHAR *d, size_t cap, const WCHAR *s)
{
    size_t n = s_wlen(d);
    while (*s && n + 1 < cap)
        d[n++] = *s++;
    d[n] = 0;
}

/* The folder of the keys, made when make is set; false when there is no profile folder */
static bool s_folder(bool machine, WCHAR *dir, size_t cap, bool make)
{
    DWORD n = GetEnvironmentVariableW(machine ? u"ALLUSERSPROFILE" : u"APPDATA", dir,
                                      (DWORD)cap);
    if (!n || n >= cap - 40)
        return false;
    if (make) { /* a fresh C: drive may lack C:\ProgramData or the profile's AppData */
        for (size_t i = 3; i < n; i++)
            if (dir[i] == u'\\') {
                dir[i] = 0;
                CreateDirectoryW(dir, NULL); /* ERROR_ALREADY_EXISTS is fine */
                dir[i] = u'\\';
            }
        CreateDirectoryW(dir, NULL);
    }
    static const WCHAR *const parts[] = {u"\\Microsoft", u"\\Crypto", u"\\Keys"};
    for (size_t i = 0; i < 3; i++) {
        s_wcat(dir, cap, parts[i]);
        if (make)
            CreateDirectoryW(dir, NULL); /* ERROR_ALREADY_EXISTS is fine */
    }
    return true;
}

void nc_store_file_name(const WCHAR *name, WCHAR *out, size_t cap)
{
    cd_ctx h;
    uint8_t d[16];
    cd_init(&h, CD_MD5);
    for (const WCHAR *w = name; *w; w++) {
        WCHAR c = *w >= u'A' && *w <= u'Z' ? (WCHAR)(*w + 32) : *w;
        uint8_t le[2] = {(uint8_t)c, (uint8_t)(c >> 8)};
        cd_update(&h, le, 2);
    }
    cd_final(&h, d);
    static const char hexd[] = "0123456789abcdef";
    size_t k = 0;
    for (size_t i = 0; i < 16 && k + 2 < cap; i++) {
        out[k++] = (WCHAR)hexd[d[i] >> 4];
        out[k++] = (WCHAR)hexd[d[i] & 15];
    }
    out[k] = 0;
}

/* The full path of a key's file */
static bool s_path(const WCHAR *name, bool machine, WCHAR *path, size_t cap, bool make)
{
    WCHAR file[40];
    if (!s_folder(machine, path, cap, make))
        return false;
    nc_store_file_name(name, file, 40);
    s_wcat(path, cap, u"\\");
    s_wcat(path, cap, file);
    return true;
}

bool nc_store_exists(const WCHAR *name, bool machine)
{
    WCHAR path[600];
    return s_path(name, machine, path, 600, false) && GetFileAttributesW(path) != 0xffffffffu;
}

static void s_put(uint8_t *buf, size_t *n, const void *p, size_t len)
{
    memcpy(buf + *n, p, len);
    *n += len;
}

static void s_put32(uint8_t *buf, size_t *n, uint32_t v)
{
    uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    s_put(buf, n, le, 4);
}

int32_t nc_store_save(const nc_stored *k, bool machine)
{
    WCHAR path[600];
    if (!s_path(k->name, machine, path, 600, true))
        return S_NTE_FAIL;
    size_t alen = strlen(k->alg), nlen = s_wlen(k->name), n = 0;
    uint8_t *buf = malloc(8 + 4 * 5 + alen + 2 * nlen + k->blob_len);
    if (!buf)
        return S_NTE_NO_MEMORY;
    s_put(buf, &n, s_magic, 8);
    s_put32(buf, &n, k->export_policy);
    s_put32(buf, &n, k->usage);
    s_put32(buf, &n, (uint32_t)alen);
    s_put(buf, &n, k->alg, alen);
    s_put32(buf, &n, (uint32_t)nlen);
    for (size_t i = 0; i < nlen; i++) {
        uint8_t le[2] = {(uint8_t)k->name[i], (uint8_t)(k->name[i] >> 8)};
        s_put(buf, &n, le, 2);
    }
    s_put32(buf, &n, k->blob_len);
    s_put(buf, &n, k->blob, k->blob_len);
    HANDLE_ f = CreateFileW(path, S_GENERIC_WRITE, 0, NULL, S_CREATE_ALWAYS, 0, NULL);
    DWORD put = 0;
    bool ok = f != S_INVALID_HANDLE && WriteFile(f, buf, (DWORD)n, &put, NULL) && put == n;
    if (f != S_INVALID_HANDLE)
        CloseHandle(f);
    memset(buf, 0, n);
    free(buf);
    return ok ? 0 : S_NTE_FAIL;
}

static uint32_t s_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Parses a key file's bytes into k */
static int32_t s_parse(const uint8_t *p, size_t n, nc_stored *k)
{
    memset(k, 0, sizeof *k);
    size_t i = 8;
    if (n < 8 + 12 || memcmp(p, s_magic, 8))
        return S_NTE_BAD_DATA;
    k->export_policy = s_get32(p + i), i += 4;
    k->usage = s_get32(p + i), i += 4;
    uint32_t alen = s_get32(p + i);
    i += 4;
    if (alen >= sizeof k->alg || n - i < alen + 4)
        return S_NTE_BAD_DATA;
    memcpy(k->alg, p + i, alen);
    i += alen;
    uint32_t nlen = s_get32(p + i);
    i += 4;
    if (nlen >= sizeof k->name / sizeof k->name[0] || (n - i) / 2 < nlen + 2)
        return S_NTE_BAD_DATA;
    for (uint32_t c = 0; c < nlen; c++, i += 2)
        k->name[c] = (WCHAR)(p[i] | p[i + 1] << 8);
    uint32_t blen = s_get32(p + i);
    i += 4;
    if (n - i != blen || !blen)
        return S_NTE_BAD_DATA;
    if (!(k->blob = malloc(blen)))
        return S_NTE_NO_MEMORY;
    memcpy(k->blob, p + i, blen);
    k->blob_len = blen;
    return 0;
}

/* A key file's contents by its path, malloc'd; NULL when it cannot be read */
static uint8_t *s_read(const WCHAR *path, size_t *len)
{
    HANDLE_ f = CreateFileW(path, S_GENERIC_READ, 1, NULL, S_OPEN_EXISTING, 0, NULL);
    if (f == S_INVALID_HANDLE)
        return NULL;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    for (DWORD got = 1; buf && got;) {
        if (!ReadFile(f, buf + n, (DWORD)(cap - n), &got, NULL)) {
            free(buf);
            buf = NULL;
            break;
        }
        n += got;
        if (n == cap) {
            uint8_t *m = cap < (1u << 20) ? realloc(buf, cap *= 2) : NULL;
            if (!m)
                free(buf);
            buf = m;
        }
    }
    CloseHandle(f);
    *len = n;
    return buf;
}

int32_t nc_store_load(const WCHAR *name, bool machine, nc_stored *k)
{
    WCHAR path[600];
    size_t n = 0;
    uint8_t *p = s_path(name, machine, path, 600, false) ? s_read(path, &n) : NULL;
    if (!p)
        return S_NTE_BAD_KEYSET;
    int32_t st = s_parse(p, n, k);
    memset(p, 0, n);
    free(p);
    return st;
}

int32_t nc_store_delete(const WCHAR *name, bool machine)
{
    WCHAR path[600];
    return s_path(name, machine, path, 600, false) && DeleteFileW(path) ? 0 : S_NTE_BAD_KEYSET;
}

/* WIN32_FIND_DATAW: the file name at 0x2c (260 characters) */
typedef struct {
    uint8_t head[0x2c];
    WCHAR name[260];
    WCHAR alt[14];
    uint8_t tail[12];
} s_find_data;
_Static_assert(sizeof(((s_find_data *)0)->head) == 0x2c, "WIN32_FIND_DATAW.cFileName");

WCHAR *nc_store_list(bool machine)
{
    WCHAR dir[600], pattern[620], path[900];
    if (!s_folder(machine, dir, 600, false))
        return NULL;
    pattern[0] = 0;
    s_wcat(pattern, 620, dir);
    s_wcat(pattern, 620, u"\\*");
    s_find_data fd;
    HANDLE_ h = FindFirstFileW(pattern, &fd);
    if (h == S_INVALID_HANDLE)
        return NULL;
    WCHAR *list = NULL;
    size_t n = 0;
    do {
        if (fd.name[0] == u'.')
            continue;
        path[0] = 0;
        s_wcat(path, 900, dir);
        s_wcat(path, 900, u"\\");
        s_wcat(path, 900, fd.name);
        size_t len = 0;
        uint8_t *p = s_read(path, &len);
        nc_stored k;
        if (p && !s_parse(p, len, &k)) {
            size_t nl = s_wlen(k.name) + 1;
            WCHAR *m = realloc(list, (n + nl + 1) * sizeof *m);
            if (m) {
                list = m;
                memcpy(list + n, k.name, nl * sizeof *m);
                n += nl;
                list[n] = 0;
            }
            memset(k.blob, 0, k.blob_len);
            free(k.blob);
        }
        if (p)
            memset(p, 0, len);
        free(p);
    } while (FindNextFileW(h, &fd));
    FindClose(h);
    return list;
}
