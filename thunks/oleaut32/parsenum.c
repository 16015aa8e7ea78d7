/* SPDX-License-Identifier: MIT */
/* oleaut32's VarParseNumFromStr and VarNumFromParseNum, with the LCID's decimal and thousands
 * separators and currency symbol (a symbol of one unit; varlocale.c) in en-US's rules.
 *
 * VarParseNumFromStr reads, as dwInFlags allow: leading white space, a leading + or - or an
 * opening parenthesis, a currency sign, &H/&O hex and octal numbers, digits with thousands
 * separators, a decimal point, an exponent, a trailing sign or closing parenthesis and trailing
 * white space; with NUMPRS_USE_ALL anything left over is DISP_E_TYPEMISMATCH, as is no digit
 * at all. The digits go to rgbDig without leading zeros and with trailing zeros folded into
 * nPwr10 (a zero is one digit 0); past cDig digits the rest only count in nPwr10 and set
 * NUMPRS_INEXACT when one is not 0. dwOutFlags says what was seen (NUMPRS_NEG for a minus or
 * parentheses), cchUsed how many characters were read, nBaseShift is 4 for hex, 3 for octal.
 *
 * VarNumFromParseNum gives the first allowed type the value fits: for an integer I1, UI1, I2,
 * UI2, I4, UI4, I8, UI8 (hex and octal numbers fit by their bits: &HFF is I1 -1), then R8, R4,
 * CY, DECIMAL; a number with a fraction goes to R8, R4, CY, DECIMAL before being rounded (half
 * to even) into the integer types. None fits: DISP_E_OVERFLOW. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/oleaut32/oleaut32_private.h"

typedef struct {
    int32_t cDig;       /* 0x00 */
    uint32_t dwInFlags; /* 0x04 */
    uint32_t dwOutFlags; /* 0x08 */
    int32_t cchUsed;    /* 0x0c */
    int32_t nBaseShift; /* 0x10 */
    int32_t nPwr10;     /* 0x14 */
} NUMPARSE;
_Static_assert(sizeof(NUMPARSE) == 24, "NUMPARSE");

#define NP_LEADING_WHITE 0x1u
#define NP_TRAILING_WHITE 0x2u
#define NP_LEADING_PLUS 0x4u
#define NP_TRAILING_PLUS 0x8u
#define NP_LEADING_MINUS 0x10u
#define NP_TRAILING_MINUS 0x20u
#define NP_HEX_OCT 0x40u
#define NP_PARENS 0x80u
#define NP_DECIMAL 0x100u
#define NP_THOUSANDS 0x200u
#define NP_CURRENCY 0x400u
#define NP_EXPONENT 0x800u
#define NP_USE_ALL 0x1000u
#define NP_NEG 0x10000u
#define NP_INEXACT 0x20000u

static bool np_white(WCHAR c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xa0; }

typedef struct {
    NUMPARSE *np;
    uint8_t *dig;
    int max;
    int n;          /* digits stored */
    int zeros;      /* significant zeros seen but not stored yet */
    bool any;       /* a digit (even 0) seen */
} np_acc;

/* One decimal digit of the integer part (frac false) or of the fraction. */
static void np_digit(np_acc *a, int d, bool frac)
{
    a->any = true;
    if (d == 0) {
        if (a->n == 0) {
            if (frac)
                a->np->nPwr10--;
            return;
        }
        a->zeros++;
        if (frac)
            a->np->nPwr10--;
        return;
    }
    /* the zeros before it are digits now; one that does not fit moves the point instead
     * (a fraction's zero counted in nPwr10 already is uncounted) */
    for (; a->zeros > 0; a->zeros--) {
        if (a->n < a->max)
            a->dig[a->n++] = 0;
        else
            a->np->nPwr10++;
    }
    if (a->n < a->max) {
        a->dig[a->n++] = (uint8_t)d;
        if (frac)
            a->np->nPwr10--;
    } else {
        a->np->dwOutFlags |= NP_INEXACT;
        if (!frac)
            a->np->nPwr10++;
    }
}

/* What the affixes have seen so far: a sign, an open parenthesis, a currency sign. */
typedef struct {
    bool neg, paren, cur;
} np_signs;

/* The white space, signs, parenthesis and currency sign before the digits (lead) or after
 * them, from s[i]; returns the index of the first character that is none of them. A closing
 * parenthesis is taken only after the digits, an opening one only before. */
static size_t np_affixes(const WCHAR *s, size_t i, uint32_t in, bool lead, NUMPARSE *np,
                         np_signs *sg)
{
    uint32_t white = lead ? NP_LEADING_WHITE : NP_TRAILING_WHITE;
    uint32_t plus = lead ? NP_LEADING_PLUS : NP_TRAILING_PLUS;
    uint32_t minus = lead ? NP_LEADING_MINUS : NP_TRAILING_MINUS;
    for (;; i++) {
        WCHAR c = s[i];
        if ((in & white) && np_white(c)) {
            np->dwOutFlags |= white;
        } else if ((in & plus) && c == '+' && !sg->neg) {
            np->dwOutFlags |= plus;
        } else if ((in & minus) && c == '-' && !sg->neg && !sg->paren) {
            np->dwOutFlags |= minus | NP_NEG;
            sg->neg = true;
        } else if (lead && (in & NP_PARENS) && c == '(' && !sg->paren && !sg->neg) {
            sg->paren = true;
        } else if (!lead && sg->paren && c == ')') {
            np->dwOutFlags |= NP_PARENS | NP_NEG;
            sg->paren = false;
            sg->neg = true;
        } else if ((in & NP_CURRENCY) && c == '$' && !sg->cur) {
            np->dwOutFlags |= NP_CURRENCY;
            sg->cur = true;
        } else {
            return i;
        }
    }
}

static HRESULT np_parse(const WCHAR *s, NUMPARSE *np, uint8_t *dig);

static HRESULT WINAPI VarParseNumFromStr(const WCHAR *s, uint32_t lcid, uint32_t flags,
                                         NUMPARSE *np, uint8_t *dig)
{
    (void)flags;
    if (!s || !np || !dig)
        return OA_E_INVALIDARG;
    oa_locale l;
    oa_locale_get(lcid, &l);
    if (oa_locale_is_us(&l))
        return np_parse(s, np, dig);
    size_t len = 0;
    while (s[len])
        len++;
    /* the locale's separators as en-US's, one unit for one: cchUsed counts the caller's */
    WCHAR *us = oa_locale_to_us(&l, s, len, true);
    if (!us)
        return OA_E_OUTOFMEMORY;
    HRESULT hr = np_parse(us, np, dig);
    free(us);
    return hr;
}

static HRESULT np_parse(const WCHAR *s, NUMPARSE *np, uint8_t *dig)
{
    uint32_t in = np->dwInFlags;
    np_acc a = {np, dig, np->cDig, 0, 0, false};
    size_t i = 0;
    np->dwOutFlags = 0;
    np->nBaseShift = 0;
    np->nPwr10 = 0;
    np->cchUsed = 0;
    np_signs sg = {false, false, false};
    i = np_affixes(s, i, in, true, np, &sg);
    if ((in & NP_HEX_OCT) && s[i] == '&' && (s[i + 1] == 'h' || s[i + 1] == 'H' ||
                                             s[i + 1] == 'o' || s[i + 1] == 'O')) {
        int shift = (s[i + 1] == 'h' || s[i + 1] == 'H') ? 4 : 3;
        size_t j = i + 2;
        for (;; j++) {
            WCHAR c = s[j];
            int d = c >= '0' && c <= '9' ? c - '0'
                    : shift == 4 && c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : shift == 4 && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0 || (shift == 3 && d > 7))
                break;
            a.any = true;
            if (d == 0 && a.n == 0)
                continue;
            if (a.n < a.max)
                dig[a.n++] = (uint8_t)d;
            else
                return OA_DISP_E_OVERFLOW;
        }
        if (a.any) {
            np->dwOutFlags |= NP_HEX_OCT;
            np->nBaseShift = shift;
            i = j;
            goto trailing;
        }
    }
    for (;; i++) {
        WCHAR c = s[i];
        if (c >= '0' && c <= '9')
            np_digit(&a, c - '0', false);
        else if ((in & NP_THOUSANDS) && c == ',' && a.any)
            np->dwOutFlags |= NP_THOUSANDS;
        else
            break;
    }
    if ((in & NP_DECIMAL) && s[i] == '.') {
        np->dwOutFlags |= NP_DECIMAL;
        i++;
        /* trailing zeros of the fraction are not significant */
        size_t end = i;
        while (s[end] >= '0' && s[end] <= '9')
            end++;
        size_t last = end;
        while (last > i && s[last - 1] == '0')
            last--;
        if (last == i && a.n == 0)
            last = end; /* a zero: its fraction's zeros count in nPwr10 */
        for (; i < last; i++)
            np_digit(&a, s[i] - '0', true);
        if (last < end)
            a.any = true;
        i = end;
    }
    if (!a.any)
        return OA_DISP_E_TYPEMISMATCH;
    if ((in & NP_EXPONENT) && (s[i] == 'e' || s[i] == 'E' || s[i] == 'd' || s[i] == 'D')) {
        size_t j = i + 1;
        bool eneg = false;
        if (s[j] == '+' || s[j] == '-')
            eneg = s[j++] == '-';
        if (s[j] >= '0' && s[j] <= '9') {
            int e = 0;
            for (; s[j] >= '0' && s[j] <= '9'; j++)
                if (e < 100000)
                    e = e * 10 + (s[j] - '0');
            np->nPwr10 += eneg ? -e : e;
            np->dwOutFlags |= NP_EXPONENT;
            i = j;
        }
    }
trailing:
    i = np_affixes(s, i, in, false, np, &sg);
    if (sg.paren || ((in & NP_USE_ALL) && s[i]))
        return OA_DISP_E_TYPEMISMATCH;
    if (a.n == 0) { /* the value 0 */
        dig[0] = 0;
        a.n = 1;
    } else if (!np->nBaseShift) {
        while (a.zeros-- > 0)
            np->nPwr10++; /* trailing zeros of the integer part */
    }
    np->cDig = a.n;
    np->cchUsed = (int32_t)i;
    return OA_S_OK;
}
THK_EXPORT(oleaut32, VarParseNumFromStr, 5);

static const VARTYPE np_int_order[] = {VT_I1, VT_UI1, VT_I2, VT_UI2, VT_I4, VT_UI4, VT_I8, VT_UI8};
static const VARTYPE np_real_order[] = {VT_R8, VT_R4, VT_CY, VT_DECIMAL};

/* A hex/octal number by its bits into the first integer type of that width or more. */
static HRESULT np_from_bits(const NUMPARSE *np, const uint8_t *dig, uint32_t bits, VARIANT *v)
{
    uint64_t x = 0;
    int used = 0;
    for (int k = 0; k < np->cDig; k++) {
        x = (x << np->nBaseShift) | dig[k];
        used += np->nBaseShift;
    }
    if (used > 64 && (x >> 63) != 0)
        return OA_DISP_E_OVERFLOW;
    static const int width[] = {8, 8, 16, 16, 32, 32, 64, 64};
    for (size_t k = 0; k < 8; k++) {
        VARTYPE t = np_int_order[k];
        if (!(bits & (1u << t)))
            continue;
        if (width[k] < 64 && x >> width[k])
            continue;
        v->vt = t;
        v->u.ullVal = 0;
        switch (width[k]) {
        case 8: v->u.bVal = (uint8_t)x; break;
        case 16: v->u.uiVal = (uint16_t)x; break;
        case 32: v->u.ulVal = (uint32_t)x; break;
        default: v->u.ullVal = x; break;
        }
        return OA_S_OK;
    }
    return OA_DISP_E_OVERFLOW;
}

static HRESULT np_try(const VARIANT *src, VARTYPE t, VARIANT *v)
{
    VARIANT out;
    memset(&out, 0, sizeof out);
    HRESULT hr = oa_convert_scalar(src, t, 0, &out);
    if (hr < 0)
        return hr;
    out.vt = t;
    *v = out;
    return OA_S_OK;
}

static HRESULT WINAPI VarNumFromParseNum(const NUMPARSE *np, const uint8_t *dig, uint32_t bits,
                                         VARIANT *v)
{
    if (!np || !dig || !v || np->cDig <= 0)
        return OA_E_INVALIDARG;
    if (np->nBaseShift)
        return np_from_bits(np, dig, bits, v);
    /* the number as text, read by the string conversions (exact for CY and DECIMAL) */
    WCHAR text[160];
    char tmp[160];
    size_t n = 0;
    if (np->dwOutFlags & NP_NEG)
        tmp[n++] = '-';
    for (int k = 0; k < np->cDig && n < 120; k++)
        tmp[n++] = (char)('0' + (dig[k] > 9 ? 9 : dig[k]));
    snprintf(tmp + n, sizeof tmp - n, "E%d", (int)np->nPwr10);
    for (n = 0; tmp[n]; n++)
        text[n] = (WCHAR)tmp[n];
    text[n] = 0;
    VARIANT src;
    memset(&src, 0, sizeof src);
    src.vt = VT_BSTR;
    src.u.bstrVal = SysAllocString(text);
    if (!src.u.bstrVal)
        return OA_E_OUTOFMEMORY;
    bool integral = np->nPwr10 >= 0 || (np->cDig == 1 && dig[0] == 0);
    HRESULT hr = OA_DISP_E_OVERFLOW;
    for (int pass = 0; pass < 2 && hr < 0; pass++) {
        bool ints = integral ? pass == 0 : pass == 1;
        const VARTYPE *order = ints ? np_int_order : np_real_order;
        size_t cnt = ints ? 8 : 4;
        for (size_t k = 0; k < cnt; k++) {
            if (!(bits & (1u << order[k])))
                continue;
            if (np_try(&src, order[k], v) >= 0) {
                hr = OA_S_OK;
                break;
            }
        }
    }
    SysFreeString(src.u.bstrVal);
    return hr;
}
THK_EXPORT(oleaut32, VarNumFromParseNum, 4);
