/* SPDX-License-Identifier: MIT */
/* oleaut32's BSTRs: a counted UTF-16 string whose 32-bit byte length sits just before the
 * characters, followed by a NUL the length does not count. On x64 the block starts 8 bytes
 * before the characters (4 bytes of padding, then the length) so the characters are 8-aligned,
 * as on Windows; blocks come from the COM task allocator (CoTaskMemAlloc, the process heap).
 * A NULL BSTR is a valid empty string: its length is 0 and freeing it does nothing. */
#include <string.h>
#include "thunks/oleaut32/oleaut32_private.h"

void *WINAPI CoTaskMemAlloc(SIZE_T size);
void *WINAPI CoTaskMemRealloc(void *p, SIZE_T size);
void WINAPI CoTaskMemFree(void *p);

#define BSTR_HEADER 8u
/* the largest byte length a BSTR can have (its block must fit the 32-bit length plus header) */
#define BSTR_MAX_BYTES (0xffffffffu - BSTR_HEADER - 2u)

static inline char *bstr_block(BSTR b)
{
    return (char *)b - BSTR_HEADER;
}

static inline uint32_t bstr_bytes(BSTR b)
{
    uint32_t n;
    memcpy(&n, (char *)b - 4, 4);
    return n;
}

/* a block for `bytes` bytes of string (plus the header and a WCHAR NUL), the length set and the
 * two bytes after the string zeroed; the string itself is the caller's to fill */
static BSTR bstr_alloc(uint32_t bytes)
{
    if (bytes > BSTR_MAX_BYTES)
        return NULL;
    size_t total = (BSTR_HEADER + (size_t)bytes + 2u + 7u) & ~(size_t)7;
    char *blk = CoTaskMemAlloc(total);
    if (!blk)
        return NULL;
    memset(blk, 0, BSTR_HEADER);
    memcpy(blk + 4, &bytes, 4);
    memset(blk + BSTR_HEADER + bytes, 0, total - BSTR_HEADER - bytes);
    return (BSTR)(blk + BSTR_HEADER);
}

static size_t wcs_len(const WCHAR *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

BSTR WINAPI SysAllocStringLen(const WCHAR *s, UINT len)
{
    if (len > BSTR_MAX_BYTES / 2)
        return NULL;
    BSTR b = bstr_alloc(len * 2u);
    if (b && s)
        memcpy(b, s, len * 2u);
    else if (b)
        memset(b, 0, len * 2u);
    return b;
}
THK_EXPORT(oleaut32, SysAllocStringLen, 2);

BSTR WINAPI SysAllocString(const WCHAR *s)
{
    if (!s)
        return NULL;
    size_t n = wcs_len(s);
    return n > BSTR_MAX_BYTES / 2 ? NULL : SysAllocStringLen(s, (UINT)n);
}
THK_EXPORT(oleaut32, SysAllocString, 1);

/* `len` bytes of `s` (not converted), then a NUL byte and a NUL WCHAR: the result is a valid
 * ANSI string and a valid (odd-length) wide one */
BSTR WINAPI SysAllocStringByteLen(const char *s, UINT len)
{
    BSTR b = bstr_alloc(len);
    if (!b)
        return NULL;
    if (s)
        memcpy(b, s, len);
    else
        memset(b, 0, len);
    return b;
}
THK_EXPORT(oleaut32, SysAllocStringByteLen, 2);

void WINAPI SysFreeString(BSTR b)
{
    if (b)
        CoTaskMemFree(bstr_block(b));
}
THK_EXPORT(oleaut32, SysFreeString, 1);

UINT WINAPI SysStringLen(BSTR b)
{
    return b ? bstr_bytes(b) / 2u : 0;
}
THK_EXPORT(oleaut32, SysStringLen, 1);

UINT WINAPI SysStringByteLen(BSTR b)
{
    return b ? bstr_bytes(b) : 0;
}
THK_EXPORT(oleaut32, SysStringByteLen, 1);

/* *pb becomes a `len`-character BSTR holding s (which may point into *pb itself); a NULL s keeps
 * the old characters as far as they go. FALSE (and *pb unchanged) on a NULL pb or no memory. */
INT WINAPI SysReAllocStringLen(BSTR *pb, const WCHAR *s, UINT len)
{
    if (!pb || len > BSTR_MAX_BYTES / 2)
        return FALSE;
    BSTR old = *pb;
    if (!old) {
        BSTR b = SysAllocStringLen(s, len);
        if (!b)
            return FALSE;
        *pb = b;
        return TRUE;
    }
    uint32_t bytes = len * 2u;
    char *blk = bstr_block(old);
    size_t total = (BSTR_HEADER + (size_t)bytes + 2u + 7u) & ~(size_t)7;
    if (s && (const char *)s >= (const char *)old &&
        (const char *)s < (const char *)old + bstr_bytes(old) + 2u) {
        /* a part of the old string: move it to the front first, then resize */
        size_t off = (size_t)((const char *)s - (const char *)old);
        size_t avail = bstr_bytes(old) + 2u - off;
        memmove(old, s, bytes < avail ? bytes : avail);
        s = NULL;
    }
    uint32_t kept = bstr_bytes(old);
    char *nblk = CoTaskMemRealloc(blk, total);
    if (!nblk)
        return FALSE;
    BSTR b = (BSTR)(nblk + BSTR_HEADER);
    if (s)
        memmove(b, s, bytes);
    else if (bytes > kept)
        memset((char *)b + kept, 0, bytes - kept);
    memcpy(nblk + 4, &bytes, 4);
    memset((char *)b + bytes, 0, 2);
    *pb = b;
    return TRUE;
}
THK_EXPORT(oleaut32, SysReAllocStringLen, 3);

/* *pb becomes a copy of s (NULL s: a NULL BSTR); FALSE only for a NULL pb */
INT WINAPI SysReAllocString(BSTR *pb, const WCHAR *s)
{
    if (!pb)
        return FALSE;
    BSTR old = *pb;
    *pb = SysAllocString(s);
    SysFreeString(old);
    return TRUE;
}
THK_EXPORT(oleaut32, SysReAllocString, 2);
