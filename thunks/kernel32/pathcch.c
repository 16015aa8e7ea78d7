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
