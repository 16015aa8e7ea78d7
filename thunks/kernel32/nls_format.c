/* SPDX-License-Identifier: MIT */
/* kernel32 GetNumberFormatEx/W/A and GetCurrencyFormatEx/W/A: a decimal string ("-1234.5")
 * laid out with a locale's number or currency format (nls.c's generated locale data:
 * LOCALE_IDIGITS, ILZERO, SGROUPING, SDECIMAL, STHOUSAND, INEGNUMBER; ICURRDIGITS, SMONGROUPING,
 * SMONDECIMALSEP, SMONTHOUSANDSEP, ICURRENCY, INEGCURR, SCURRENCY) or with the caller's
 * NUMBERFMT/CURRENCYFMT, as Microsoft documents them:
 * - the value: an optional '-', digits, an optional '.' and digits; anything else (spaces,
 *   '+', exponents, a second '.') is ERROR_INVALID_PARAMETER;
 * - rounding half away from zero to NumDigits fraction digits (zeros appended);
 * - LeadingZero 0 drops the 0 before the separator (".5");
 * - grouping: a locale's "3;0" / "3;2;0" (the last size repeats) or "3" / "3;2" (no repeat
 *   after the last size); NUMBERFMT's Grouping as digits (3: repeat 3s, 32: 3 then 2s, 30: one
 *   group of 3, 320: 3 then 2 then none; 0: no grouping);
 * - negative numbers: NegativeOrder 0 "(1.1)", 1 "-1.1", 2 "- 1.1", 3 "1.1-", 4 "1.1 -" with
 *   LOCALE_SNEGATIVESIGN; currencies: PositiveOrder 0-3 and NegativeOrder 0-15 (the 16
 *   patterns of LOCALE_INEGCURR).
 * Errors: a NUMBERFMT/CURRENCYFMT together with LOCALE_NOUSEROVERRIDE is ERROR_INVALID_FLAGS; a
 * format with a NULL separator or symbol or an order out of range, a NULL value or a negative
 * size ERROR_INVALID_PARAMETER; a short buffer ERROR_INSUFFICIENT_BUFFER (size 0 asks for the
 * length). A locale kernel32 has no data for formats as en-US (as GetLocaleInfoEx answers). */
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_LOCALE_NOUSEROVERRIDE 0x80000000u
#define K32_LOCALE_USE_CP_ACP 0x40000000u

typedef struct {
    UINT NumDigits, LeadingZero, Grouping;
    WCHAR *lpDecimalSep, *lpThousandSep;
    UINT NegativeOrder;
} NUMBERFMTW;
_Static_assert(offsetof(NUMBERFMTW, lpDecimalSep) == 0x10, "NUMBERFMTW.lpDecimalSep");
_Static_assert(sizeof(NUMBERFMTW) == 0x28, "NUMBERFMTW");

typedef struct {
    UINT NumDigits, LeadingZero, Grouping;
    WCHAR *lpDecimalSep, *lpThousandSep;
    UINT NegativeOrder, PositiveOrder;
    WCHAR *lpCurrencySymbol;
} CURRENCYFMTW;
_Static_assert(offsetof(CURRENCYFMTW, PositiveOrder) == 0x24, "CURRENCYFMTW.PositiveOrder");
_Static_assert(offsetof(CURRENCYFMTW, lpCurrencySymbol) == 0x28, "CURRENCYFMTW.lpCurrencySymbol");
_Static_assert(sizeof(CURRENCYFMTW) == 0x30, "CURRENCYFMTW");

/* The A forms carry char pointers at the same offsets. */
typedef struct {
    UINT NumDigits, LeadingZero, Grouping;
    char *lpDecimalSep, *lpThousandSep;
    UINT NegativeOrder, PositiveOrder;
    char *lpCurrencySymbol;
} CURRENCYFMTA;
_Static_assert(sizeof(CURRENCYFMTA) == sizeof(CURRENCYFMTW), "CURRENCYFMTA");

#define K32_SEP_MAX 16   /* separators and symbols (Windows allows 4 and 13 characters) */
#define K32_DIGITS_MAX 320

/* One format, whichever way it was given. */
typedef struct {
    unsigned digits, lzero;
    uint8_t group[10]; /* group sizes from the decimal separator leftwards */
    int ngroup;
    bool repeat; /* the last size repeats */
    WCHAR dec[K32_SEP_MAX], thou[K32_SEP_MAX], sym[K32_SEP_MAX], neg[K32_SEP_MAX];
    unsigned neg_order, pos_order;
} k32_numfmt;

/* A UTF-8 locale value into a separator buffer (cut at K32_SEP_MAX - 1 units). */
static void k32_sep_utf8(WCHAR *dst, const char *v)
{
    int n = MultiByteToWideChar(CP_UTF8, 0, v, -1, dst, K32_SEP_MAX);
    if (n <= 0)
        dst[K32_SEP_MAX - 1] = 0;
}

static bool k32_sep_w(WCHAR *dst, const WCHAR *v)
{
    if (!v)
        return false;
    size_t i = 0;
    for (; v[i] && i < K32_SEP_MAX - 1; i++)
        dst[i] = v[i];
    dst[i] = 0;
    return true;
}

/* A locale's "3;2;0" grouping. */
static void k32_group_string(k32_numfmt *f, const char *s)
{
    f->ngroup = 0;
    f->repeat = false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            continue;
        if (*s == '0') {
            f->repeat = f->ngroup > 0;
            break;
        }
        if (f->ngroup < (int)sizeof f->group)
            f->group[f->ngroup++] = (uint8_t)(*s - '0');
    }
}

/* NUMBERFMT's Grouping: its decimal digits, a final 0 meaning "no repeat". */
static void k32_group_number(k32_numfmt *f, UINT g)
{
    char digits[16];
    int n = 0;
    for (; g && n < 10; g /= 10)
        digits[n++] = (char)(g % 10);
    f->ngroup = 0;
    f->repeat = true;
    for (int i = n - 1; i >= 0; i--) {
        if (digits[i] == 0 && i == 0) {
            f->repeat = false;
            break;
        }
        f->group[f->ngroup++] = (uint8_t)digits[i];
    }
    if (f->ngroup && f->group[0] == 0)
        f->ngroup = 0;
}

/* The locale's format; user: with the user's overrides (nls_user.c). */
static void k32_locale_format(k32_numfmt *f, int loc, bool user, bool money)
{
#define K32_NUM(type) k32_locale_user_text(loc, (type), user)
    f->digits = (unsigned)atoi(K32_NUM(money ? 0x19 : 0x11));
    f->lzero = (unsigned)atoi(K32_NUM(0x12));
    k32_group_string(f, K32_NUM(money ? 0x18 : 0x10));
    k32_sep_utf8(f->dec, K32_NUM(money ? 0x16 : 0x0e));
    k32_sep_utf8(f->thou, K32_NUM(money ? 0x17 : 0x0f));
    k32_sep_utf8(f->sym, K32_NUM(0x14));
    f->neg_order = (unsigned)atoi(K32_NUM(money ? 0x1c : 0x1010));
    f->pos_order = (unsigned)atoi(K32_NUM(0x1b));
#undef K32_NUM
}

typedef struct {
    WCHAR b[512];
    size_t n;
} k32_out;

static void k32_put(k32_out *o, const WCHAR *s)
{
    for (; *s && o->n < sizeof o->b / sizeof *o->b - 1; s++)
        o->b[o->n++] = *s;
}

static void k32_putc(k32_out *o, WCHAR c)
{
    WCHAR s[2] = {c, 0};
    k32_put(o, s);
}

/* The unsigned number laid out (digits, groups, separator, fraction); false on a malformed
 * value. *negative says whether it had a '-'. */
static bool k32_layout(const WCHAR *value, const k32_numfmt *f, k32_out *o, bool *negative)
{
    const WCHAR *p = value;
    *negative = *p == '-';
    if (*negative)
        p++;
    char digits[K32_DIGITS_MAX + 2];
    size_t nint = 0, nfrac = 0;
    digits[0] = '0'; /* room for a carry */
    size_t n = 1;
    bool point = false;
    for (; *p; p++) {
        if (*p == '.' && !point) {
            point = true;
        } else if (*p >= '0' && *p <= '9') {
            if (!point && nint == 0 && *p == '0')
                continue; /* leading zeros */
            if (point && nfrac >= f->digits) {
                /* rounding looks at the first digit dropped only */
                if (nfrac == f->digits && *p >= '5') {
                    size_t i = n;
                    while (i > 0 && digits[i - 1] == '9')
                        digits[--i] = '0';
                    digits[i - 1]++;
                }
                nfrac++;
                continue;
            }
            if (n >= K32_DIGITS_MAX)
                return false;
            digits[n++] = (char)*p;
            if (point)
                nfrac++;
            else
                nint++;
        } else {
            return false;
        }
    }
    size_t kept = nfrac < f->digits ? nfrac : f->digits;
    /* the integer digits: digits[0] is the carry, then nint digits */
    size_t start = digits[0] == '0' ? 1 : 0;
    size_t int_len = nint + 1 - start;
    if (int_len == 0 && f->lzero) {
        k32_putc(o, '0');
    } else {
        for (size_t i = 0; i < int_len; i++) {
            k32_putc(o, (WCHAR)digits[start + i]);
            size_t left = int_len - 1 - i; /* digits still to come */
            if (!left || !f->ngroup)
                continue;
            /* is there a group boundary `left` digits from the separator? */
            size_t at = 0;
            for (int g = 0;; g++) {
                int size = g < f->ngroup ? f->group[g] : f->repeat ? f->group[f->ngroup - 1] : 0;
                if (!size)
                    break;
                at += (size_t)size;
                if (at >= left) {
                    if (at == left)
                        k32_put(o, f->thou);
                    break;
                }
            }
        }
    }
    if (f->digits) {
        k32_put(o, f->dec);
        for (size_t i = 0; i < f->digits; i++)
            k32_putc(o, i < kept ? (WCHAR)digits[1 + nint + i] : '0');
    }
    return true;
}

/* The whole result into buf (the Win32 size protocol, counting the NUL). */
static int k32_deliver(const k32_out *o, WCHAR *buf, int size)
{
    int len = (int)o->n + 1;
    if (size == 0)
        return len;
    if (size < len) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    memcpy(buf, o->b, o->n * sizeof(WCHAR));
    buf[o->n] = 0;
    return len;
}

/* What GetNumberFormat and GetCurrencyFormat share: the arguments checked, the locale's format
 * (its currency form for money) overridden by the caller's NUMBERFMT fields (a CURRENCYFMT's
 * first six), the value laid out into num with its sign in *negative and f->neg the locale's
 * negative sign. false: the error is set. */
static bool k32_format_begin(int loc, bool user, DWORD flags, const WCHAR *value, const NUMBERFMTW *fmt,
                             unsigned max_neg_order, bool money, WCHAR *buf, int size,
                             k32_numfmt *f, k32_out *num, bool *negative)
{
    if (!value || size < 0 || (size > 0 && !buf)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return false;
    }
    if (fmt && (flags & K32_LOCALE_NOUSEROVERRIDE)) {
        thk_set_last_error(ERROR_INVALID_FLAGS);
        return false;
    }
    k32_locale_format(f, loc, user, money);
    if (fmt) {
        if (!k32_sep_w(f->dec, fmt->lpDecimalSep) || !k32_sep_w(f->thou, fmt->lpThousandSep) ||
            fmt->NegativeOrder > max_neg_order || fmt->NumDigits > 9) {
            thk_set_last_error(ERROR_INVALID_PARAMETER);
            return false;
        }
        f->digits = fmt->NumDigits;
        f->lzero = fmt->LeadingZero;
        k32_group_number(f, fmt->Grouping);
        f->neg_order = fmt->NegativeOrder;
    }
    num->n = 0;
    if (!k32_layout(value, f, num, negative)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return false;
    }
    num->b[num->n] = 0;
    k32_sep_utf8(f->neg, k32_locale_user_text(loc, 0x51, user));
    return true;
}

static int k32_number(int loc, bool user, DWORD flags, const WCHAR *value, const NUMBERFMTW *fmt,
                      WCHAR *buf, int size)
{
    k32_numfmt f;
    k32_out num = {.n = 0}, o = {.n = 0};
    bool negative;
    if (!k32_format_begin(loc, user, flags, value, fmt, 4, false, buf, size, &f, &num, &negative))
        return 0;
    if (!negative) {
        k32_put(&o, num.b);
    } else {
        switch (f.neg_order) {
        case 0: k32_putc(&o, '('); k32_put(&o, num.b); k32_putc(&o, ')'); break;
        case 2: k32_put(&o, f.neg); k32_putc(&o, ' '); k32_put(&o, num.b); break;
        case 3: k32_put(&o, num.b); k32_put(&o, f.neg); break;
        case 4: k32_put(&o, num.b); k32_putc(&o, ' '); k32_put(&o, f.neg); break;
        default: k32_put(&o, f.neg); k32_put(&o, num.b); break;
        }
    }
    return k32_deliver(&o, buf, size);
}

/* The 16 negative and 4 positive currency patterns: 'n' the number, '$' the symbol, '-' the
 * negative sign. */
/* arrays, not pointers: read-only data the dynamic linker never writes at start */
static const char k32_neg_currency[16][8] = {
    "($n)", "-$n", "$-n", "$n-", "(n$)", "-n$", "n-$", "n$-",
    "-n $", "-$ n", "n $-", "$ n-", "$ -n", "n- $", "($ n)", "(n $)"};
static const char k32_pos_currency[4][4] = {"$n", "n$", "$ n", "n $"};

static int k32_currency(int loc, bool user, DWORD flags, const WCHAR *value, const CURRENCYFMTW *fmt,
                        WCHAR *buf, int size)
{
    NUMBERFMTW common, *pc = NULL;
    if (fmt) {
        common = (NUMBERFMTW){fmt->NumDigits,    fmt->LeadingZero,   fmt->Grouping,
                              fmt->lpDecimalSep, fmt->lpThousandSep, fmt->NegativeOrder};
        pc = &common;
    }
    k32_numfmt f;
    k32_out num = {.n = 0}, o = {.n = 0};
    bool negative;
    if (!k32_format_begin(loc, user, flags, value, pc, 15, true, buf, size, &f, &num, &negative))
        return 0;
    if (fmt) {
        if (!k32_sep_w(f.sym, fmt->lpCurrencySymbol) || fmt->PositiveOrder > 3) {
            thk_set_last_error(ERROR_INVALID_PARAMETER);
            return 0;
        }
        f.pos_order = fmt->PositiveOrder;
    }
    const char *pattern = negative ? k32_neg_currency[f.neg_order & 15]
                                   : k32_pos_currency[f.pos_order & 3];
    for (const char *p = pattern; *p; p++) {
        if (*p == 'n')
            k32_put(&o, num.b);
        else if (*p == '$')
            k32_put(&o, f.sym);
        else if (*p == '-')
            k32_put(&o, f.neg);
        else
            k32_putc(&o, (WCHAR)*p);
    }
    return k32_deliver(&o, buf, size);
}

int WINAPI GetNumberFormatEx(const WCHAR *locale, DWORD flags, const WCHAR *value,
                             const NUMBERFMTW *fmt, WCHAR *buf, int size)
{
    return k32_number(k32_locale_index_name(locale), k32_locale_name_user(locale, flags), flags,
                      value, fmt, buf, size);
}
THK_EXPORT(kernel32, GetNumberFormatEx, 6);

int WINAPI GetNumberFormatW(DWORD lcid, DWORD flags, const WCHAR *value, const NUMBERFMTW *fmt,
                            WCHAR *buf, int size)
{
    return k32_number(k32_locale_index_lcid(lcid), k32_locale_lcid_user(lcid, flags), flags,
                      value, fmt, buf, size);
}
THK_EXPORT(kernel32, GetNumberFormatW, 6);

int WINAPI GetCurrencyFormatEx(const WCHAR *locale, DWORD flags, const WCHAR *value,
                               const CURRENCYFMTW *fmt, WCHAR *buf, int size)
{
    return k32_currency(k32_locale_index_name(locale), k32_locale_name_user(locale, flags),
                        flags, value, fmt, buf, size);
}
THK_EXPORT(kernel32, GetCurrencyFormatEx, 6);

int WINAPI GetCurrencyFormatW(DWORD lcid, DWORD flags, const WCHAR *value,
                              const CURRENCYFMTW *fmt, WCHAR *buf, int size)
{
    return k32_currency(k32_locale_index_lcid(lcid), k32_locale_lcid_user(lcid, flags), flags,
                        value, fmt, buf, size);
}
THK_EXPORT(kernel32, GetCurrencyFormatW, 6);

/* A string of the A forms in the locale's ANSI code page (LOCALE_USE_CP_ACP: the process's)
 * into w (K32_SEP_MAX units for a separator, more for the value). */
static bool k32_a_in(UINT cp, const char *s, WCHAR *w, int cap)
{
    if (!s)
        return false;
    int n = MultiByteToWideChar(cp, 0, s, -1, w, cap);
    if (n <= 0)
        w[cap - 1] = 0;
    return true;
}

static int k32_format_a(DWORD lcid, DWORD flags, const char *value, const CURRENCYFMTA *fmt,
                        char *buf, int size, bool money)
{
    if (!value || size < 0 || (size > 0 && !buf)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    int loc = k32_locale_index_lcid(lcid);
    UINT cp = flags & K32_LOCALE_USE_CP_ACP ? CP_ACP : k32_locale_ansi_cp(loc);
    flags &= ~K32_LOCALE_USE_CP_ACP;
    WCHAR wvalue[K32_DIGITS_MAX + 8], dec[K32_SEP_MAX], thou[K32_SEP_MAX], sym[K32_SEP_MAX];
    k32_a_in(cp, value, wvalue, K32_DIGITS_MAX + 8);
    CURRENCYFMTW wfmt, *pf = NULL;
    if (fmt) {
        wfmt.NumDigits = fmt->NumDigits;
        wfmt.LeadingZero = fmt->LeadingZero;
        wfmt.Grouping = fmt->Grouping;
        wfmt.NegativeOrder = fmt->NegativeOrder;
        wfmt.lpDecimalSep = k32_a_in(cp, fmt->lpDecimalSep, dec, K32_SEP_MAX) ? dec : NULL;
        wfmt.lpThousandSep = k32_a_in(cp, fmt->lpThousandSep, thou, K32_SEP_MAX) ? thou : NULL;
        if (money) {
            wfmt.PositiveOrder = fmt->PositiveOrder;
            wfmt.lpCurrencySymbol =
                k32_a_in(cp, fmt->lpCurrencySymbol, sym, K32_SEP_MAX) ? sym : NULL;
        }
        pf = &wfmt;
    }
    WCHAR w[512];
    bool user = k32_locale_lcid_user(lcid, flags);
    int n = money ? k32_currency(loc, user, flags, wvalue, pf, w, 512)
                  : k32_number(loc, user, flags, wvalue, (const NUMBERFMTW *)pf, w, 512);
    if (!n)
        return 0;
    int len = WideCharToMultiByte(cp, 0, w, n, NULL, 0, NULL, NULL);
    if (size == 0)
        return len;
    if (size < len) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    return WideCharToMultiByte(cp, 0, w, n, buf, size, NULL, NULL);
}

/* NUMBERFMTA is CURRENCYFMTA's first six fields. */
int WINAPI GetNumberFormatA(DWORD lcid, DWORD flags, const char *value, const void *fmt,
                            char *buf, int size)
{
    CURRENCYFMTA f;
    if (fmt) {
        memset(&f, 0, sizeof f);
        memcpy(&f, fmt, sizeof(NUMBERFMTW));
    }
    return k32_format_a(lcid, flags, value, fmt ? &f : NULL, buf, size, false);
}
THK_EXPORT(kernel32, GetNumberFormatA, 6);

int WINAPI GetCurrencyFormatA(DWORD lcid, DWORD flags, const char *value,
                              const CURRENCYFMTA *fmt, char *buf, int size)
{
    return k32_format_a(lcid, flags, value, fmt, buf, size, true);
}
THK_EXPORT(kernel32, GetCurrencyFormatA, 6);
