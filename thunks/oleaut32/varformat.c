/* SPDX-License-Identifier: MIT */
/* oleaut32's named formats, with US English rules (the user's default locale here; they take no
 * LCID): VarFormatNumber,
 * VarFormatPercent (the value times 100 and "%"), VarFormatCurrency ("$" before the number,
 * negatives in parentheses by default) and VarFormatDateTime (0 general: date and/or time as
 * VT_DATE -> VT_BSTR gives them, 1 long date "Saturday, December 5, 2026", 2 short date
 * "12/5/2026", 3 long time "3:04:05 PM", 4 short time "15:04").
 *
 * The value is read as the decimal text VariantChangeType gives for it (15 significant digits
 * for R8, exact for CY and DECIMAL; a BSTR is read as R8 first) and rounded half away from zero
 * to the digits asked, as the locale formatting functions round. The tristate arguments take
 * -1 (yes), 0 (no) and -2 (the locale's default: a leading zero, no parentheses for numbers,
 * parentheses for currency, digit grouping by threes). A VT_NULL or DATE value or anything
 * else that is no number is DISP_E_TYPEMISMATCH. The format strings of VarFormat are
 * varfmtstr.c's, which follow the LCID (VarFormatFromTokens) or the user's default locale
 * (VarFormat). oa_fmt_give reads the buffer as UTF-8 (a locale's names). */
#include <stdio.h>
#include <string.h>
#include "thunks/oleaut32/oleaut32_private.h"

HRESULT WINAPI VariantChangeType(VARIANT *dst, const VARIANT *src, uint16_t flags, VARTYPE vt);
HRESULT WINAPI VariantCopyInd(VARIANT *dst, const VARIANT *src);
HRESULT WINAPI VarUdateFromDate(DATE d, uint32_t flags, UDATE *out);

#define VF_TRUE (-1)
#define VF_DEFAULT (-2)

void oa_fmt_put(oa_fmt_buf *b, const char *s)
{
    for (; *s && b->n + 1 < sizeof b->s; s++)
        b->s[b->n++] = *s;
    b->s[b->n] = 0;
}

HRESULT oa_fmt_read(const VARIANT *in, double scale100, oa_fmt_num *num)
{
    VARIANT v, s;
    memset(&v, 0, sizeof v);
    memset(&s, 0, sizeof s);
    HRESULT hr = VariantCopyInd(&v, in);
    if (hr < 0)
        return hr;
    VARTYPE vt = v.vt;
    if (vt == VT_NULL || vt == VT_DATE || (vt != VT_CY && vt != VT_DECIMAL && vt != VT_I1 &&
                                           vt != VT_UI1 && vt != VT_I2 && vt != VT_UI2 &&
                                           vt != VT_I4 && vt != VT_UI4 && vt != VT_I8 &&
                                           vt != VT_UI8 && vt != VT_INT && vt != VT_UINT &&
                                           vt != VT_EMPTY && vt != VT_BOOL && vt != VT_R4 &&
                                           vt != VT_R8 && vt != VT_BSTR)) {
        VariantClear(&v);
        return OA_DISP_E_TYPEMISMATCH;
    }
    if (vt == VT_BSTR || vt == VT_R4 || scale100 != 1) {
        hr = VariantChangeType(&v, &v, 0, VT_R8);
        if (hr >= 0)
            v.u.dblVal *= scale100;
    }
    if (hr >= 0)
        hr = VariantChangeType(&s, &v, 0, VT_BSTR);
    VariantClear(&v);
    if (hr < 0)
        return hr;
    /* "-123.45", "1.5E+20", "1E-05" */
    const WCHAR *p = s.u.bstrVal;
    int n = 0, point = -1, exp = 0;
    num->neg = false;
    if (*p == '-') {
        num->neg = true;
        p++;
    }
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n < 300)
                num->digits[n++] = (char)*p;
        } else if (*p == '.') {
            point = n;
        } else if (*p == 'E' || *p == 'e') {
            bool eneg = p[1] == '-';
            p += (p[1] == '-' || p[1] == '+') ? 2 : 1;
            for (; *p >= '0' && *p <= '9'; p++)
                exp = exp * 10 + (*p - '0');
            if (eneg)
                exp = -exp;
            break;
        }
    }
    SysFreeString(s.u.bstrVal);
    if (point < 0)
        point = n;
    point += exp;
    /* leading zeros so the point is inside or right after the digits */
    while (point <= 0 && n < 340) {
        memmove(num->digits + 1, num->digits, (size_t)n);
        num->digits[0] = '0';
        n++;
        point++;
    }
    while (n < point && n < 340)
        num->digits[n++] = '0';
    num->digits[n] = 0;
    num->point = point;
    return OA_S_OK;
}

int oa_fmt_round(char *d, int keep, int *point)
{
    bool up = d[keep] >= '5';
    d[keep] = 0;
    for (int i = keep - 1; up && i >= 0; i--) {
        if (d[i] == '9') {
            d[i] = '0';
        } else {
            d[i]++;
            up = false;
        }
    }
    if (!up)
        return keep;
    memmove(d + 1, d, (size_t)keep + 1);
    d[0] = '1';
    (*point)++;
    return keep + 1;
}

/* Rounds to `frac` fraction digits (half away from zero) and formats. */
static void vf_number(oa_fmt_num *num, int frac, bool lead, bool parens, bool group,
                      const char *pre, const char *post, oa_fmt_buf *b)
{
    int n = (int)strlen(num->digits);
    int keep = num->point + frac;
    char d[360];
    memcpy(d, num->digits, (size_t)n + 1);
    while (n < keep && n < 350)
        d[n++] = '0';
    d[n] = 0;
    int point = num->point;
    if (keep < n)
        n = oa_fmt_round(d, keep, &point);
    bool zero = true;
    for (int i = 0; i < n; i++)
        if (d[i] != '0')
            zero = false;
    bool neg = num->neg && !zero;
    /* integer digits without leading zeros */
    int first = 0;
    while (first < point - 1 && d[first] == '0')
        first++;
    if (neg)
        oa_fmt_put(b, parens ? "(" : "-");
    oa_fmt_put(b, pre);
    bool int_zero = point - first == 1 && d[first] == '0';
    if (!int_zero || lead || frac == 0) {
        for (int i = first; i < point; i++) {
            char c[2] = {d[i], 0};
            oa_fmt_put(b, c);
            int left = point - 1 - i;
            if (group && left > 0 && left % 3 == 0)
                oa_fmt_put(b, ",");
        }
    }
    if (frac > 0) {
        oa_fmt_put(b, ".");
        for (int i = point; i < point + frac; i++) {
            char c[2] = {d[i], 0};
            oa_fmt_put(b, c);
        }
    }
    oa_fmt_put(b, post);
    if (neg && parens)
        oa_fmt_put(b, ")");
}

HRESULT oa_fmt_give(const oa_fmt_buf *b, BSTR *out)
{
    WCHAR w[400];
    size_t k = 0;
    for (size_t i = 0; i < b->n && k < 400;) { /* UTF-8 (ASCII, or a locale's names) */
        unsigned c = (unsigned char)b->s[i++];
        if (c >= 0xe0 && i + 1 < b->n) {
            c = (c & 0x0f) << 12 | ((unsigned char)b->s[i] & 0x3f) << 6 |
                ((unsigned char)b->s[i + 1] & 0x3f);
            i += 2;
        } else if (c >= 0xc0 && i < b->n) {
            c = (c & 0x1f) << 6 | ((unsigned char)b->s[i++] & 0x3f);
        }
        w[k++] = (WCHAR)c;
    }
    *out = SysAllocStringLen(w, (UINT)k);
    return *out ? OA_S_OK : OA_E_OUTOFMEMORY;
}

static HRESULT vf_format(const VARIANT *in, int digits, int lead, int parens, int group,
                         BSTR *out, int kind)
{
    if (!in || !out)
        return OA_E_INVALIDARG;
    *out = NULL;
    if (digits < -1 || digits > 99 || lead < -2 || lead > 0 || parens < -2 || parens > 0 ||
        group < -2 || group > 0)
        return OA_E_INVALIDARG;
    oa_fmt_num num;
    HRESULT hr = oa_fmt_read(in, kind == 1 ? 100 : 1, &num);
    if (hr < 0)
        return hr;
    oa_fmt_buf b = {{0}, 0};
    bool use_parens = parens == VF_DEFAULT ? kind == 2 : parens == VF_TRUE;
    vf_number(&num, digits < 0 ? 2 : digits, lead != 0, use_parens, group != 0,
              kind == 2 ? "$" : "", kind == 1 ? "%" : "", &b);
    return oa_fmt_give(&b, out);
}

static HRESULT WINAPI VarFormatNumber(const VARIANT *in, int digits, int lead, int parens,
                                      int group, uint32_t flags, BSTR *out)
{
    (void)flags;
    return vf_format(in, digits, lead, parens, group, out, 0);
}
THK_EXPORT(oleaut32, VarFormatNumber, 7);

static HRESULT WINAPI VarFormatPercent(const VARIANT *in, int digits, int lead, int parens,
                                       int group, uint32_t flags, BSTR *out)
{
    (void)flags;
    return vf_format(in, digits, lead, parens, group, out, 1);
}
THK_EXPORT(oleaut32, VarFormatPercent, 7);

static HRESULT WINAPI VarFormatCurrency(const VARIANT *in, int digits, int lead, int parens,
                                        int group, uint32_t flags, BSTR *out)
{
    (void)flags;
    return vf_format(in, digits, lead, parens, group, out, 2);
}
THK_EXPORT(oleaut32, VarFormatCurrency, 7);

const char *const oa_fmt_months[12] = {"January", "February", "March", "April", "May", "June",
                                          "July", "August", "September", "October", "November",
                                          "December"};
const char *const oa_fmt_days[7] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
                                       "Friday", "Saturday"};

static HRESULT WINAPI VarFormatDateTime(const VARIANT *in, int named, uint32_t flags, BSTR *out)
{
    (void)flags;
    if (!in || !out || named < 0 || named > 4)
        return OA_E_INVALIDARG;
    *out = NULL;
    VARIANT v;
    memset(&v, 0, sizeof v);
    HRESULT hr = VariantChangeType(&v, in, 0, VT_DATE);
    if (hr < 0)
        return hr;
    if (named == 0) {
        VARIANT s;
        memset(&s, 0, sizeof s);
        hr = VariantChangeType(&s, &v, 0, VT_BSTR);
        if (hr >= 0)
            *out = s.u.bstrVal;
        return hr;
    }
    UDATE ud;
    if ((hr = VarUdateFromDate(v.u.dblVal, 0, &ud)) < 0)
        return hr;
    char t[96];
    const SYSTEMTIME *st = &ud.st;
    switch (named) {
    case 1:
        snprintf(t, sizeof t, "%s, %s %u, %u", oa_fmt_days[st->wDayOfWeek % 7],
                 oa_fmt_months[(st->wMonth + 11) % 12], st->wDay, st->wYear);
        break;
    case 2: snprintf(t, sizeof t, "%u/%u/%u", st->wMonth, st->wDay, st->wYear); break;
    case 3:
        snprintf(t, sizeof t, "%u:%02u:%02u %s", st->wHour % 12 ? st->wHour % 12 : 12,
                 st->wMinute, st->wSecond, st->wHour < 12 ? "AM" : "PM");
        break;
    default: snprintf(t, sizeof t, "%02u:%02u", st->wHour, st->wMinute); break;
    }
    oa_fmt_buf b = {{0}, 0};
    oa_fmt_put(&b, t);
    return oa_fmt_give(&b, out);
}
THK_EXPORT(oleaut32, VarFormatDateTime, 4);
