/* SPDX-License-Identifier: MIT */
/* The Windows Runtime's strings (combase WindowsCreateString & co, api-ms-win-core-winrt-string):
 * an HSTRING is immutable UTF-16 with a length, NULL being the empty string.
 *
 * The layout is Windows' own, since code builds HSTRINGs without asking combase (C++/WinRT makes
 * its "shared" strings and fast-pass references itself, then hands them to these functions):
 * a 24-byte header {flags, length, two reserved words, the buffer pointer}, where flag 1 marks a
 * fast-pass reference (WindowsCreateStringReference: the header is the caller's HSTRING_HEADER,
 * the characters the caller's, nothing to free); an allocated string continues the header with
 * its reference count and the characters, NUL-terminated. WindowsDuplicateString of a reference
 * makes an allocated copy; of an allocated string it counts one more reference.
 * Errors as Windows (and Wine 8.0): a NULL output E_INVALIDARG; characters NULL with a non-zero
 * length E_POINTER; a reference whose characters are not NUL-terminated at `length`
 * E_INVALIDARG; a substring starting past the end E_BOUNDS. */
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/thunks.h"

#define HS_S_OK 0
#define HS_E_POINTER ((int32_t)0x80004003)
#define HS_E_INVALIDARG ((int32_t)0x80070057)
#define HS_E_OUTOFMEMORY ((int32_t)0x8007000E)
#define HS_E_BOUNDS ((int32_t)0x8000000B)
#define HS_REFERENCE 0x1u

typedef struct hs_header {
    uint32_t flags;       /* 0x00: HS_REFERENCE */
    uint32_t length;      /* 0x04: in WCHARs, the NUL not counted */
    uint32_t reserved[2]; /* 0x08 */
    const WCHAR *ptr;     /* 0x10 */
} hs_header;
_Static_assert(sizeof(hs_header) == 24, "HSTRING_HEADER is 24 bytes on x64");

typedef struct hs_shared {
    hs_header h;
    _Atomic int32_t refs; /* 0x18 */
    WCHAR buffer[];       /* 0x1c */
} hs_shared;
_Static_assert(offsetof(hs_shared, refs) == 0x18, "shared HSTRING's count");
_Static_assert(offsetof(hs_shared, buffer) == 0x1c, "shared HSTRING's characters");

typedef hs_header *HSTRING;

/* A new allocated string of `len` characters copied from s (may be NULL: left zero). */
static HSTRING hs_alloc(const WCHAR *s, uint32_t len)
{
    if (len > (UINT32_MAX - sizeof(hs_shared)) / 2 - 1)
        return NULL;
    hs_shared *h = malloc(sizeof *h + ((size_t)len + 1) * sizeof(WCHAR));
    if (!h)
        return NULL;
    memset(&h->h, 0, sizeof h->h);
    h->h.length = len;
    h->h.ptr = h->buffer;
    atomic_init(&h->refs, 1);
    if (s)
        memcpy(h->buffer, s, (size_t)len * sizeof(WCHAR));
    else
        memset(h->buffer, 0, (size_t)len * sizeof(WCHAR));
    h->buffer[len] = 0;
    return &h->h;
}

int32_t WINAPI WindowsCreateString(const WCHAR *s, uint32_t len, HSTRING *out)
{
    if (!out)
        return HS_E_INVALIDARG;
    *out = NULL;
    if (!len)
        return HS_S_OK;
    if (!s)
        return HS_E_POINTER;
    *out = hs_alloc(s, len);
    return *out ? HS_S_OK : HS_E_OUTOFMEMORY;
}
THK_EXPORT(combase, WindowsCreateString, 3);

int32_t WINAPI WindowsCreateStringReference(const WCHAR *s, uint32_t len, hs_header *header,
                                            HSTRING *out)
{
    if (!out || !header)
        return HS_E_INVALIDARG;
    *out = NULL;
    if (!len)
        return HS_S_OK;
    if (!s)
        return HS_E_POINTER;
    if (s[len])
        return HS_E_INVALIDARG;
    memset(header, 0, sizeof *header);
    header->flags = HS_REFERENCE;
    header->length = len;
    header->ptr = s;
    *out = header;
    return HS_S_OK;
}
THK_EXPORT(combase, WindowsCreateStringReference, 4);

int32_t WINAPI WindowsDeleteString(HSTRING s)
{
    if (!s || (s->flags & HS_REFERENCE))
        return HS_S_OK;
    hs_shared *h = (hs_shared *)s;
    if (atomic_fetch_sub(&h->refs, 1) == 1)
        free(h);
    return HS_S_OK;
}
THK_EXPORT(combase, WindowsDeleteString, 1);

int32_t WINAPI WindowsDuplicateString(HSTRING s, HSTRING *out)
{
    if (!out)
        return HS_E_INVALIDARG;
    *out = NULL;
    if (!s)
        return HS_S_OK;
    if (s->flags & HS_REFERENCE) {
        *out = hs_alloc(s->ptr, s->length);
        return *out ? HS_S_OK : HS_E_OUTOFMEMORY;
    }
    atomic_fetch_add(&((hs_shared *)s)->refs, 1);
    *out = s;
    return HS_S_OK;
}
THK_EXPORT(combase, WindowsDuplicateString, 2);

const WCHAR *WINAPI WindowsGetStringRawBuffer(HSTRING s, uint32_t *len)
{
    if (len)
        *len = s ? s->length : 0;
    return s ? s->ptr : u"";
}
THK_EXPORT(combase, WindowsGetStringRawBuffer, 2);

uint32_t WINAPI WindowsGetStringLen(HSTRING s) { return s ? s->length : 0; }
THK_EXPORT(combase, WindowsGetStringLen, 1);

int32_t WINAPI WindowsIsStringEmpty(HSTRING s) { return !s || !s->length; }
THK_EXPORT(combase, WindowsIsStringEmpty, 1);

int32_t WINAPI WindowsStringHasEmbeddedNull(HSTRING s, int32_t *out)
{
    if (!out)
        return HS_E_INVALIDARG;
    *out = 0;
    for (uint32_t i = 0; s && i < s->length && !*out; i++)
        *out = s->ptr[i] == 0;
    return HS_S_OK;
}
THK_EXPORT(combase, WindowsStringHasEmbeddedNull, 2);

/* Ordinal (code unit) order: -1, 0 or 1. */
int32_t WINAPI WindowsCompareStringOrdinal(HSTRING a, HSTRING b, int32_t *result)
{
    if (!result)
        return HS_E_INVALIDARG;
    uint32_t la = a ? a->length : 0, lb = b ? b->length : 0;
    const WCHAR *pa = a ? a->ptr : NULL, *pb = b ? b->ptr : NULL;
    int32_t r = 0;
    for (uint32_t i = 0; !r && i < la && i < lb; i++)
        r = pa[i] < pb[i] ? -1 : pa[i] > pb[i];
    if (!r)
        r = la < lb ? -1 : la > lb;
    *result = r;
    return HS_S_OK;
}
THK_EXPORT(combase, WindowsCompareStringOrdinal, 3);

int32_t WINAPI WindowsConcatString(HSTRING a, HSTRING b, HSTRING *out)
{
    if (!out)
        return HS_E_INVALIDARG;
    *out = NULL;
    uint32_t la = a ? a->length : 0, lb = b ? b->length : 0;
    if (!la && !lb)
        return HS_S_OK;
    if (la + lb < la)
        return HS_E_OUTOFMEMORY;
    HSTRING h = hs_alloc(NULL, la + lb);
    if (!h)
        return HS_E_OUTOFMEMORY;
    WCHAR *buf = ((hs_shared *)h)->buffer;
    if (la)
        memcpy(buf, a->ptr, (size_t)la * sizeof(WCHAR));
    if (lb)
        memcpy(buf + la, b->ptr, (size_t)lb * sizeof(WCHAR));
    *out = h;
    return HS_S_OK;
}
THK_EXPORT(combase, WindowsConcatString, 3);

int32_t WINAPI WindowsSubstringWithSpecifiedLength(HSTRING s, uint32_t start, uint32_t len,
                                                   HSTRING *out)
{
    if (!out)
        return HS_E_INVALIDARG;
    *out = NULL;
    uint32_t n = s ? s->length : 0;
    if (start > n || len > n - start)
        return HS_E_BOUNDS;
    if (!len)
        return HS_S_OK;
    *out = hs_alloc(s->ptr + start, len);
    return *out ? HS_S_OK : HS_E_OUTOFMEMORY;
}
THK_EXPORT(combase, WindowsSubstringWithSpecifiedLength, 4);

int32_t WINAPI WindowsSubstring(HSTRING s, uint32_t start, HSTRING *out)
{
    uint32_t n = s ? s->length : 0;
    if (out && start > n) {
        *out = NULL;
        return HS_E_BOUNDS;
    }
    return WindowsSubstringWithSpecifiedLength(s, start, out ? n - start : 0, out);
}
THK_EXPORT(combase, WindowsSubstring, 3);
