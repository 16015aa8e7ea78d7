/* SPDX-License-Identifier: MIT */
/* oleaut32's named formats, for the user's default locale (LOCALE_USER_DEFAULT, with the user's
 * overrides: SetLocaleInfo), as Windows lays them out with kernel32's GetNumberFormatW and
 * GetCurrencyFormatW: VarFormatNumber, VarFormatPercent (the value times 100 and "%" after its
 * last digit), VarFormatCurrency and VarFormatDateTime (VarFormat's named formats: 0 General
 * Date, 1 Long Date, 2 Short Date, 3 Long Time, 4 Short Time, from the locale's pictures).
 *
 * The value is read as the decimal text VariantChangeType gives for it (15 significant digits
 * for R8, exact for CY and DECIMAL; a BSTR is read as R8 first) and rounded half away from zero
 * to the digits asked (-1: LOCALE_IDIGITS, LOCALE_ICURRDIGITS; 0 to 9, as NUMBERFMT takes). The
 * tristate arguments take -1 (yes), 0 (no) and -2 (the locale's): the leading zero
 * (LOCALE_ILZERO), grouping (yes: by threes; the locale's: LOCALE_SGROUPING, SMONGROUPING) and
 * parentheses (the locale's: LOCALE_INEGNUMBER, INEGCURR; yes: "(1.1)" or the locale's positive
 * currency form in parentheses, "($1.1)", "(1,1 €)"; no: "-1.1" or that form after a minus
 * sign, where the locale's own negative form has parentheses). A VT_NULL or DATE value or
 * anything else that is no number is DISP_E_TYPEMISMATCH. The format strings of VarFormat are
 * varfmtstr.c's, which follow the LCID (VarFormatFromTokens) or the user's default locale
 * (VarFormat). oa_fmt_give reads the buffer as UTF-8 (a locale's names). */
#include <string.h>
#include "thunks/oleaut32/oleaut32_private.h"

HRESULT WINAPI VariantChangeType(VARIANT *dst, const VARIANT *src, uint16_t flags, VARTYPE vt);
HRESULT WINAPI VariantCopyInd(VARIANT *dst, const VARIANT *src);
int WINAPI GetLocaleInfoW(uint32_t lcid, uint32_t type, WCHAR *buf, int size);
int WINAPI GetNumberFormatW(uint32_t lcid, uint32_t flags, const WCHAR *value, const void *fmt,
                            WCHAR *buf, int size);
int WINAPI GetCurrencyFormatW(uint32_t lcid, uint32_t flags, const WCHAR *value,
                              const void *fmt, WCHAR *buf, int size);

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

typedef struct {
    uint32_t NumDigits, LeadingZero, Grouping;
    WCHAR *lpDecimalSep, *lpThousandSep;
    uint32_t NegativeOrder, PositiveOrder;
    WCHAR *lpCurrencySymbol;
} vf_currencyfmt; /* CURRENCYFMTW; NUMBERFMTW is its first six fields */
_Static_assert(sizeof(vf_currencyfmt) == 0x30, "CURRENCYFMTW");

#define VF_LOCALE_USER_DEFAULT 0x0400u
#define VF_RETURN_NUMBER 0x20000000u

/* A number LCTYPE of the user's locale (with the user's overrides) */
static uint32_t vf_info_number(uint32_t type)
{
    uint32_t v = 0;
    GetLocaleInfoW(VF_LOCALE_USER_DEFAULT, type | VF_RETURN_NUMBER, (WCHAR *)&v, 2);
    return v;
}

/* A locale's grouping ("3;0", "3;2;0", "3") as NUMBERFMT's Grouping (3, 32, 30) */
static uint32_t vf_grouping(uint32_t type)
{
    WCHAR g[16];
    uint32_t n = 0;
    bool repeat = false;
    if (GetLocaleInfoW(VF_LOCALE_USER_DEFAULT, type, g, 16) <= 0)
        return 3;
    for (const WCHAR *p = g; *p; p++) {
        if (*p == '0') {
            repeat = n != 0;
            break;
        }
        if (*p >= '1' && *p <= '9')
            n = n * 10 + (*p - '0');
    }
    return repeat || !n ? n : n * 10;
}

/* kind 0 VarFormatNumber, 1 VarFormatPercent, 2 VarFormatCurrency: the value laid out by
 * GetNumberFormatW or GetCurrencyFormatW for the user's locale with the arguments' changes */
static HRESULT vf_format(const VARIANT *in, int digits, int lead, int parens, int group,
                         BSTR *out, int kind)
{
    if (!in || !out)
        return OA_E_INVALIDARG;
    *out = NULL;
    if (digits < -1 || digits > 9 || lead < -2 || lead > 0 || parens < -2 || parens > 0 ||
        group < -2 || group > 0)
        return OA_E_INVALIDARG;
    oa_fmt_num num;
    HRESULT hr = oa_fmt_read(in, kind == 1 ? 100 : 1, &num);
    if (hr < 0)
        return hr;
    WCHAR value[400];
    size_t k = 0, n = strlen(num.digits);
    if (num.neg)
        value[k++] = '-';
    for (size_t i = 0; i < n && k + 2 < sizeof value / sizeof *value; i++) {
        if ((int)i == num.point)
            value[k++] = '.';
        value[k++] = (WCHAR)num.digits[i];
    }
    value[k] = 0;
    bool money = kind == 2;
    WCHAR dec[8], thou[8], sym[16];
    GetLocaleInfoW(VF_LOCALE_USER_DEFAULT, money ? 0x16 : 0x0e, dec, 8); /* S(MON)DECIMAL(SEP) */
    GetLocaleInfoW(VF_LOCALE_USER_DEFAULT, money ? 0x17 : 0x0f, thou, 8);
    GetLocaleInfoW(VF_LOCALE_USER_DEFAULT, 0x14, sym, 16); /* LOCALE_SCURRENCY */
    vf_currencyfmt f = {
        .NumDigits = digits >= 0 ? (uint32_t)digits : vf_info_number(money ? 0x19 : 0x11),
        .LeadingZero = lead == VF_DEFAULT ? vf_info_number(0x12) : lead == VF_TRUE,
        .Grouping = group == VF_DEFAULT ? vf_grouping(money ? 0x18 : 0x10)
                    : group == VF_TRUE  ? 3
                                        : 0,
        .lpDecimalSep = dec,
        .lpThousandSep = thou,
        .PositiveOrder = vf_info_number(0x1b) & 3, /* LOCALE_ICURRENCY */
        .lpCurrencySymbol = sym,
    };
    /* the negative form: the locale's (INEGNUMBER, INEGCURR), or in parentheses / with a minus
     * sign around the positive form */
    static const uint8_t cur_paren[4] = {0, 4, 14, 15}, cur_minus[4] = {1, 5, 9, 8};
    uint32_t neg = vf_info_number(money ? 0x1c : 0x1010);
    bool neg_paren = money ? neg == 0 || neg == 4 || neg == 14 || neg == 15 : neg == 0;
    if (parens == VF_TRUE && !neg_paren)
        neg = money ? cur_paren[f.PositiveOrder] : 0;
    else if (parens == 0 && neg_paren)
        neg = money ? cur_minus[f.PositiveOrder] : 1;
    f.NegativeOrder = neg;
    WCHAR w[400];
    int len = money ? GetCurrencyFormatW(VF_LOCALE_USER_DEFAULT, 0, value, &f, w, 400)
                    : GetNumberFormatW(VF_LOCALE_USER_DEFAULT, 0, value, &f, w, 400);
    if (len <= 0)
        return OA_E_INVALIDARG;
    len--;
    if (kind == 1) { /* "%" after the last digit */
        int at = len;
        while (at > 0 && !(w[at - 1] >= '0' && w[at - 1] <= '9'))
            at--;
        memmove(w + at + 1, w + at, (size_t)(len - at) * sizeof(WCHAR));
        w[at] = '%';
        len++;
    }
    *out = SysAllocStringLen(w, (UINT)len);
    return *out ? OA_S_OK : OA_E_OUTOFMEMORY;
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

/* VarFormat's named formats General Date, Long Date, Short Date, Long Time and Short Time */
static HRESULT WINAPI VarFormatDateTime(const VARIANT *in, int named, uint32_t flags, BSTR *out)
{
    static const char *const names[5] = {"General Date", "Long Date", "Short Date",
                                          "Long Time", "Short Time"};
    if (!in || !out || named < 0 || named > 4)
        return OA_E_INVALIDARG;
    *out = NULL;
    VARIANT v;
    memset(&v, 0, sizeof v);
    HRESULT hr = VariantChangeType(&v, in, 0, VT_DATE);
    if (hr < 0)
        return hr;
    return oa_fmt_named(&v, names[named], VF_LOCALE_USER_DEFAULT, flags, out);
}
THK_EXPORT(oleaut32, VarFormatDateTime, 4);
