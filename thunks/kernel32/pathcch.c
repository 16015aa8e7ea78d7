/* SPDX-License-Identifier: MIT */
/* kernelbase's PathCch canonicalisation (api-ms-win-core-path-l1-1-0, pathcch.h):
 * PathAllocCanonicalize, PathCchCanonicalizeEx, PathCchCanonicalize. The Dart VM calls
 * PathAllocCanonicalize on the script path at start-up.
 *
 * The path keeps its root (X:\, X:, \, \\, \\?\X:\, \\?\UNC\); after it, "." segments go and
 * ".." removes the segment before it (never the root); other segments, repeated backslashes
 * and forward slashes stay as they are (PathCch does not turn / into \). Dots at the end of the
 * path go ("a\b." gives "a\b"), except after a "*". "X:" gets its backslash once a segment was
 * removed after it ("C:.." gives "C:\"). An empty result is "\". Without
 * PATHCCH_ALLOW_LONG_PATHS a result of MAX_PATH characters or more fails with
 * ERROR_FILENAME_EXCED_RANGE; with it, a long X:\ path gets the \\?\ prefix, as with
 * PATHCCH_ENSURE_IS_EXTENDED_LENGTH_PATH. PATHCCH_ENSURE_TRAILING_SLASH adds a final backslash;
 * PATHCCH_DO_NOT_NORMALIZE_SEGMENTS keeps the dots at the end; the long-name
 * process flags only need to be consistent. UNC paths never get the \\?\UNC\ form. */
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

#define PC_ALLOW_LONG_PATHS 0x01u
#define PC_FORCE_ENABLE_LONG_NAME_PROCESS 0x02u
#define PC_FORCE_DISABLE_LONG_NAME_PROCESS 0x04u
#define PC_DO_NOT_NORMALIZE_SEGMENTS 0x08u
#define PC_ENSURE_IS_EXTENDED_LENGTH_PATH 0x10u
#define PC_ENSURE_TRAILING_SLASH 0x20u
#define PC_FLAGS_VALID 0x3fu

#define PC_S_OK 0
#define PC_E_INVALIDARG ((int32_t)0x80070057)
#define PC_E_OUTOFMEMORY ((int32_t)0x8007000E)
#define PC_E_FILENAME_EXCED_RANGE ((int32_t)0x800700CE)
#define PC_E_INSUFFICIENT_BUFFER ((int32_t)0x8007007A)
#define PC_PATHCCH_MAX_CCH 32768

static size_t pc_len(const WCHAR *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static bool pc_letter(WCHAR c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

static bool pc_prefix(const WCHAR *p, const char *lit)
{
    for (; *lit; lit++, p++)
        if (*p != (WCHAR)*lit && !(*lit >= 'A' && *lit <= 'Z' && *p == (WCHAR)(*lit + 32)))
            return false;
    return true;
}

/* Length of the root of p (0: a relative path). */
static size_t pc_root(const WCHAR *p)
{
    if (pc_prefix(p, "\\\\?\\UNC\\"))
        return 8;
    if (pc_prefix(p, "\\\\?\\") && pc_letter(p[4]) && p[5] == ':')
        return p[6] == '\\' ? 7 : 6;
    if (p[0] == '\\' && p[1] == '\\')
        return 2;
    if (p[0] == '\\')
        return 1;
    if (pc_letter(p[0]) && p[1] == ':')
        return p[2] == '\\' ? 3 : 2;
    return 0;
}

/* Canonicalises `in` into a malloc'd string. */
static int32_t pc_canonicalize(const WCHAR *in, DWORD flags, WCHAR **out)
{
    *out = NULL;
    if (flags & ~PC_FLAGS_VALID)
        return PC_E_INVALIDARG;
    if ((flags & PC_FORCE_ENABLE_LONG_NAME_PROCESS) &&
        (flags & PC_FORCE_DISABLE_LONG_NAME_PROCESS))
        return PC_E_INVALIDARG;
    size_t n = pc_len(in);
    if (n >= PC_PATHCCH_MAX_CCH)
        return PC_E_FILENAME_EXCED_RANGE;
    WCHAR *buf = malloc((n + 3) * sizeof *buf);
    if (!buf)
        return PC_E_OUTOFMEMORY;
    size_t root = pc_root(in), d = root, s = root;
    memcpy(buf, in, root * sizeof *buf);
    bool keep_dots = (flags & PC_DO_NOT_NORMALIZE_SEGMENTS) != 0;
    while (s < n) {
        size_t e = s;
        while (e < n && in[e] != '\\')
            e++;
        size_t len = e - s;
        bool last = e >= n;
        bool dot = len == 1 && in[s] == '.';
        bool dotdot = len == 2 && in[s] == '.' && in[s + 1] == '.';
        if (dot || dotdot) {
            if (dotdot) {
                /* drop the segment before, with its backslash, never the root */
                while (d > root && buf[d - 1] == '\\')
                    d--;
                while (d > root && buf[d - 1] != '\\')
                    d--;
            }
            if (root == 2 && pc_letter(buf[0]) && buf[1] == ':') {
                buf[2] = '\\';  /* "C:.." -> "C:\" */
                root = d = 3;
            }
            s = last ? e : e + 1;
            continue;
        }
        memcpy(buf + d, in + s, len * sizeof *buf);
        d += len;
        if (!last)
            buf[d++] = '\\';
        s = last ? e : e + 1;
    }
    /* a "." or ".." at the end leaves the backslash before it: "a\.." is "a" as Windows has it */
    if (d > root && buf[d - 1] == '\\' && n > 0 && in[n - 1] == '.')
        d--;
    if (!keep_dots)
        while (d > root && buf[d - 1] == '.' && !(d >= 2 && buf[d - 2] == '*'))
            d--;
    if (d == 0)
        buf[d++] = '\\';
    if ((flags & PC_ENSURE_TRAILING_SLASH) && buf[d - 1] != '\\')
        buf[d++] = '\\';
    buf[d] = 0;
    if (d >= MAX_PATH || (flags & PC_ENSURE_IS_EXTENDED_LENGTH_PATH)) {
        bool drive = pc_letter(buf[0]) && buf[1] == ':' && buf[2] == '\\';
        if (d >= MAX_PATH && !(flags & PC_ALLOW_LONG_PATHS)) {
            free(buf);
            return PC_E_FILENAME_EXCED_RANGE;
        }
        if (drive) { /* a long X:\ path gets the \\?\ prefix */
            WCHAR *ext = malloc((d + 5) * sizeof *ext);
            if (!ext) {
                free(buf);
                return PC_E_OUTOFMEMORY;
            }
            static const WCHAR prefix[4] = {'\\', '\\', '?', '\\'};
            memcpy(ext, prefix, sizeof prefix);
            memcpy(ext + 4, buf, (d + 1) * sizeof *ext);
            free(buf);
            buf = ext;
        }
    }
    *out = buf;
    return PC_S_OK;
}

int32_t WINAPI PathAllocCanonicalize(const WCHAR *in, DWORD flags, WCHAR **out)
{
    if (out)
        *out = NULL;
    if (!in || !out)
        return PC_E_INVALIDARG;
    WCHAR *buf;
    int32_t hr = pc_canonicalize(in, flags, &buf);
    if (hr != PC_S_OK)
        return hr;
    size_t size = (pc_len(buf) + 1) * sizeof *buf;
    WCHAR *mem = LocalAlloc(0, size);
    if (mem)
        memcpy(mem, buf, size);
    free(buf);
    if (!mem)
        return PC_E_OUTOFMEMORY;
    *out = mem;
    return PC_S_OK;
}
THK_EXPORT(kernelbase, PathAllocCanonicalize, 3);

int32_t WINAPI PathCchCanonicalizeEx(WCHAR *out, SIZE_T size, const WCHAR *in, DWORD flags)
{
    if (!out || !size || size > PC_PATHCCH_MAX_CCH)
        return PC_E_INVALIDARG;
    out[0] = 0;
    if (!in)
        return PC_E_INVALIDARG;
    if (!(flags & PC_ALLOW_LONG_PATHS) && size > MAX_PATH)
        size = MAX_PATH;
    WCHAR *buf;
    int32_t hr = pc_canonicalize(in, flags | PC_ALLOW_LONG_PATHS, &buf);
    if (hr != PC_S_OK)
        return hr;
    size_t n = pc_len(buf);
    if (n + 1 > size) {
        free(buf);
        return (flags & PC_ALLOW_LONG_PATHS) || size < MAX_PATH ? PC_E_INSUFFICIENT_BUFFER
                                                                : PC_E_FILENAME_EXCED_RANGE;
    }
    memcpy(out, buf, (n + 1) * sizeof *buf);
    free(buf);
    return PC_S_OK;
}
THK_EXPORT(kernelbase, PathCchCanonicalizeEx, 4);

int32_t WINAPI PathCchCanonicalize(WCHAR *out, SIZE_T size, const WCHAR *in)
{
    return PathCchCanonicalizeEx(out, size, in, 0);
}
THK_EXPORT(kernelbase, PathCchCanonicalize, 3);

/* ---- Roots: PathCchSkipRoot, PathCchIsRoot, PathCchRemoveBackslash(Ex),
 * PathCchRemoveFileSpec. A root is X:\, X:, \, \\server\share\, \\?\X:\, \\?\UNC\server\share\
 * or \\?\Volume{GUID}\; other \\?\ paths have none. quick-lint-js walks up from a file to its
 * folders' roots with these. */

static bool pc_prefixed_unc(const WCHAR *p) { return pc_prefix(p, "\\\\?\\UNC\\"); }

static bool pc_prefixed_disk(const WCHAR *p)
{
    return pc_prefix(p, "\\\\?\\") && pc_letter(p[4]) && p[5] == ':';
}

/* \\?\Volume{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} */
static bool pc_prefixed_volume(const WCHAR *p)
{
    if (!pc_prefix(p, "\\\\?\\Volume{"))
        return false;
    for (size_t i = 0; i < 36; i++) {
        WCHAR c = p[11 + i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (dash ? c != '-' : !hex)
            return false;
    }
    return p[47] == '}';
}

static bool pc_plain_unc(const WCHAR *p) { return p[0] == '\\' && p[1] == '\\' && p[2] != '?'; }

/* The last character of the root, NULL for a path without one. */
static const WCHAR *pc_root_end(const WCHAR *p)
{
    if (pc_prefixed_volume(p))
        return p[48] == '\\' ? p + 48 : p + 47;
    if (pc_prefixed_unc(p))
        return p + 7;
    if (pc_prefixed_disk(p))
        return p[6] == '\\' ? p + 6 : p + 5;
    if (p[0] == '\\' && p[1] == '\\')
        return p + 1;
    if (p[0] == '\\')
        return p;
    if (pc_letter(p[0]) && p[1] == ':')
        return p[2] == '\\' ? p + 2 : p + 1;
    return NULL;
}

/* Moves past the segment at p and its backslash; false when no backslash ended it. */
static bool pc_next_segment(const WCHAR *p, const WCHAR **next)
{
    while (*p && *p != '\\')
        p++;
    *next = *p == '\\' ? p + 1 : p;
    return *p == '\\';
}

int32_t WINAPI PathCchSkipRoot(const WCHAR *path, const WCHAR **root_end)
{
    if (!path || !path[0] || !root_end ||
        (pc_prefix(path, "\\\\?") && !pc_prefixed_volume(path) && !pc_prefixed_unc(path) &&
         !pc_prefixed_disk(path)))
        return PC_E_INVALIDARG;
    const WCHAR *end = pc_root_end(path);
    if (end) {
        end++;
        if (pc_prefixed_unc(path)) {
            pc_next_segment(end, &end);
            pc_next_segment(end, &end);
        } else if (pc_plain_unc(path)) {
            pc_next_segment(end, &end);      /* the server */
            if (*end != '\\')                /* an empty share name is not skipped */
                pc_next_segment(end, &end);
        }
    }
    *root_end = end;
    return end ? PC_S_OK : PC_E_INVALIDARG;
}
THK_EXPORT(kernelbase, PathCchSkipRoot, 2);

BOOL WINAPI PathCchIsRoot(const WCHAR *path)
{
    if (!path || !path[0])
        return FALSE;
    const WCHAR *end = pc_root_end(path), *next;
    if (!end)
        return FALSE;
    if (pc_prefixed_unc(path) || pc_plain_unc(path)) {
        next = end + 1;
        if (!*next)
            return TRUE;                     /* \\ or \\?\UNC\ alone */
        if (pc_next_segment(next, &next))    /* \\server\ ... */
            return *next && !pc_next_segment(next, &next) && !*next; /* \\server\share */
        return TRUE;                         /* \\server */
    }
    return *end == '\\' && !end[1];
}
THK_EXPORT(kernelbase, PathCchIsRoot, 1);

int32_t WINAPI PathCchRemoveBackslashEx(WCHAR *path, SIZE_T size, WCHAR **path_end,
                                         SIZE_T *free_size)
{
    if (!path || !size || !path_end || !free_size) {
        if (path_end)
            *path_end = NULL;
        if (free_size)
            *free_size = 0;
        return PC_E_INVALIDARG;
    }
    size_t n = 0;
    while (n < size && path[n])
        n++;
    if (n == size) {
        *path_end = NULL;
        *free_size = 0;
        return PC_E_INVALIDARG;
    }
    const WCHAR *root_end = pc_root_end(path);
    if (n > 0 && path[n - 1] == '\\') {
        *path_end = path + n - 1;
        *free_size = size - n + 1;
        if (!root_end || path + n - 1 > root_end) {
            path[n - 1] = 0;
            return PC_S_OK;
        }
        return 1; /* S_FALSE: the backslash belongs to the root */
    }
    *path_end = path + n;
    *free_size = size - n;
    return 1;
}
THK_EXPORT(kernelbase, PathCchRemoveBackslashEx, 4);

int32_t WINAPI PathCchRemoveBackslash(WCHAR *path, SIZE_T size)
{
    WCHAR *end;
    SIZE_T free_size;
    return PathCchRemoveBackslashEx(path, size, &end, &free_size);
}
THK_EXPORT(kernelbase, PathCchRemoveBackslash, 2);

int32_t WINAPI PathCchRemoveFileSpec(WCHAR *path, SIZE_T size)
{
    if (!path || !size || size > PC_PATHCCH_MAX_CCH)
        return PC_E_INVALIDARG;
    if (PathCchIsRoot(path))
        return 1;
    const WCHAR *root_end = NULL;
    PathCchSkipRoot(path, &root_end);
    /* the backslash ending a UNC root is not part of it here */
    if (root_end && root_end > path && root_end[-1] == '\\' &&
        (pc_prefixed_unc(path) || pc_plain_unc(path)))
        root_end--;
    size_t n = pc_len(path);
    WCHAR *last = path + n - 1;
    while (last >= path && (!root_end || last >= root_end)) {
        if ((size_t)(last - path) >= size)
            return PC_E_INVALIDARG;
        WCHAR c = *last;
        *last-- = 0;
        if (c == '\\')
            break;
    }
    return last != path + n - 1 ? PC_S_OK : 1;
}
THK_EXPORT(kernelbase, PathCchRemoveFileSpec, 2);
