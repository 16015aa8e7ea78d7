/* SPDX-License-Identifier: MIT */
/* shlwapi's Str* functions, W and A (str_tmpl.h): compares (case folded for ASCII and
 * Latin-1), searches from either end, spans, StrToInt/StrToIntEx (Windows' rules: StrToInt takes
 * no blanks or '+', a hex number's sign is dropped, overflow wraps), StrTrim, StrDup (LocalAlloc),
 * the bounded copies, StrCmpLogicalW (numbers by value) and StrFormatByteSize (three significant
 * digits, truncated, en-US). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

void *WINAPI LocalAlloc(UINT flags, SIZE_T size);

#define T WCHAR
#define F(name) name##W
#define S(name) sw_##name
#include "thunks/shlwapi/str_tmpl.h"
#undef T
#undef F
#undef S

#define T char
#define F(name) name##A
#define S(name) sa_##name
#include "thunks/shlwapi/str_tmpl.h"
#undef T
#undef F
#undef S

int WINAPI StrCmpW(const WCHAR *a, const WCHAR *b)
{
    return sw_cmp(a, b, SIZE_MAX, 0);
}
THK_EXPORT(shlwapi, StrCmpW, 2);

WCHAR *WINAPI StrCpyW(WCHAR *dst, const WCHAR *src)
{
    if (dst && src)
        memcpy(dst, src, (sw_slen(src) + 1) * sizeof *dst);
    return dst;
}
THK_EXPORT(shlwapi, StrCpyW, 2);

WCHAR *WINAPI StrCatW(WCHAR *dst, const WCHAR *src)
{
    if (dst && src)
        StrCpyW(dst + sw_slen(dst), src);
    return dst;
}
THK_EXPORT(shlwapi, StrCatW, 2);

/* digit runs compare by value, other characters case-folded */
int WINAPI StrCmpLogicalW(const WCHAR *a, const WCHAR *b)
{
    if (!a || !b)
        return a ? 1 : b ? -1 : 0;
    while (*a) {
        if (!*b)
            return 1;
        if (sw_digit(*a)) {
            int x = 0, y = 0;
            if (!sw_digit(*b))
                return -1;
            StrToIntExW(a, 0, &x);
            StrToIntExW(b, 0, &y);
            if (x != y)
                return x < y ? -1 : 1;
            while (sw_digit(*a))
                a++;
            while (sw_digit(*b))
                b++;
        } else if (sw_digit(*b)) {
            return 1;
        } else {
            unsigned x = sw_fold(*a), y = sw_fold(*b);
            if (x != y)
                return x < y ? -1 : 1;
            a++, b++;
        }
    }
    return *b ? -1 : 0;
}
THK_EXPORT(shlwapi, StrCmpLogicalW, 2);

WCHAR *WINAPI StrFormatByteSizeW(int64_t bytes, WCHAR *buf, UINT cch)
{
    return sw_byte_size(bytes, buf, cch);
}
THK_EXPORT(shlwapi, StrFormatByteSizeW, 3);

char *WINAPI StrFormatByteSize64A(int64_t bytes, char *buf, UINT cch)
{
    return sa_byte_size(bytes, buf, cch);
}
THK_EXPORT(shlwapi, StrFormatByteSize64A, 3);

char *WINAPI StrFormatByteSizeA(DWORD bytes, char *buf, UINT cch)
{
    return sa_byte_size(bytes, buf, cch);
}
THK_EXPORT(shlwapi, StrFormatByteSizeA, 3);
