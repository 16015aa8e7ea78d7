/* SPDX-License-Identifier: MIT */
/* msvcrt number <-> string conversions: atoi/atol (wrap around, no errno, as msvcrt.dll's
 * do), _atoi64, strtol/strtoul (32-bit long) and the 64-bit forms, narrow and wide; strtod,
 * wcstod, atof (msvcrt's parser: 'd'/'D' exponents, no hex, inf or nan); _itoa and friends;
 * _ecvt/_fcvt/_gcvt on msvcrt's 17-significant-digit decimal form, rounded half up. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/msvcrt/msvcrt_lib.h"

/* A string that is either narrow or wide, read one unit at a time. */
typedef struct crt_src {
    const void *p;
    bool wide;
} crt_src;

static inline unsigned crt_src_at(const crt_src *s, size_t i)
{
    return s->wide ? ((const uint16_t *)s->p)[i] : ((const uint8_t *)s->p)[i];
}
static inline bool crt_src_space(const crt_src *s, unsigned c)
{
    return s->wide ? (crt_wctype_of((uint16_t)c) & CRT_SPACE) : (crt_ctype_of((int)c) & CRT_SPACE);
}
static inline int crt_src_digit(const crt_src *s, unsigned c)
{
    if (s->wide)
        return crt_wdigit_value((uint16_t)c);
    return c >= '0' && c <= '9' ? (int)(c - '0') : -1;
}

/* ---- strtol family: msvcrt's algorithm ----
 * Skips white space, takes a sign, a "0x"/"0X" prefix for base 16 (base 0 picks 16, 8 or 10),
 * then digits. No digits at all: returns 0 and *end = 0 (the start), even after "0x".
 * Overflow: ERANGE and the limit; for the unsigned forms the limit (all ones) is negated too
 * when a '-' was given, and "-5" converts to 2^n - 5 without error. */
static uint64_t crt_strtox(const crt_src *s, size_t *end, int base, bool is_unsigned, int bits)
{
    const uint64_t maxval = bits == 32 ? 0xFFFFFFFFull : UINT64_MAX;
    const uint64_t smax = maxval >> 1; /* LONG_MAX */
    size_t i = 0;
    *end = 0;
    if (base < 0 || base == 1 || base > 36) {
        crt_set_errno(CRT_EINVAL);
        return 0;
    }
    unsigned c = crt_src_at(s, i++);
    while (crt_src_space(s, c))
        c = crt_src_at(s, i++);
    bool neg = false;
    if (c == '-') {
        neg = true;
        c = crt_src_at(s, i++);
    } else if (c == '+') {
        c = crt_src_at(s, i++);
    }
    if (base == 0) {
        unsigned n = crt_src_at(s, i);
        if (crt_src_digit(s, c) != 0)
            base = 10;
        else if (n == 'x' || n == 'X')
            base = 16;
        else
            base = 8;
    }
    if (base == 16 && crt_src_digit(s, c) == 0) {
        unsigned n = crt_src_at(s, i);
        if (n == 'x' || n == 'X') {
            i++;
            c = crt_src_at(s, i++);
        }
    }
    uint64_t number = 0;
    const uint64_t lim = maxval / (unsigned)base, limd = maxval % (unsigned)base;
    bool read = false, overflow = false;
    for (;; c = crt_src_at(s, i++)) {
        int d = crt_src_digit(s, c);
        if (d < 0) {
            if (c < 0x80 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
                d = (int)((c | 0x20) - 'a') + 10;
            else
                break;
        }
        if (d >= base)
            break;
        read = true;
        if (number < lim || (number == lim && (unsigned)d <= limd))
            number = number * (unsigned)base + (unsigned)d;
        else
            overflow = true;
    }
    if (!read)
        return 0; /* *end stays at the start */
    *end = i - 1;
    if (overflow || (!is_unsigned && ((neg && number > smax + 1) || (!neg && number > smax)))) {
        crt_set_errno(CRT_ERANGE);
        if (is_unsigned)
            number = maxval;
        else if (neg)
            number = smax + 1;
        else
            number = smax;
    }
    if (neg)
        number = (0 - number) & maxval;
    return number;
}

static uint64_t crt_strtox_narrow(const char *p, char **endp, int base, bool u, int bits)
{
    crt_src s = {p, false};
    size_t end;
    uint64_t v = crt_strtox(&s, &end, base, u, bits);
    if (endp)
        *endp = (char *)p + end;
    return v;
}

static uint64_t crt_strtox_wide(const WCHAR *p, WCHAR **endp, int base, bool u, int bits)
{
    crt_src s = {p, true};
    size_t end;
    uint64_t v = crt_strtox(&s, &end, base, u, bits);
    if (endp)
        *endp = (WCHAR *)p + end;
    return v;
}

static int32_t WINAPI msvcrt_strtol(const char *p, char **end, int base)
{
    return (int32_t)crt_strtox_narrow(p, end, base, false, 32);
}
THK_EXPORT_AS(msvcrt, strtol, msvcrt_strtol, 3);
static uint32_t WINAPI msvcrt_strtoul(const char *p, char **end, int base)
{
    return (uint32_t)crt_strtox_narrow(p, end, base, true, 32);
}
THK_EXPORT_AS(msvcrt, strtoul, msvcrt_strtoul, 3);
static int64_t WINAPI msvcrt__strtoi64(const char *p, char **end, int base)
{
    return (int64_t)crt_strtox_narrow(p, end, base, false, 64);
}
THK_EXPORT_AS(msvcrt, _strtoi64, msvcrt__strtoi64, 3);
static uint64_t WINAPI msvcrt__strtoui64(const char *p, char **end, int base)
{
    return crt_strtox_narrow(p, end, base, true, 64);
}
THK_EXPORT_AS(msvcrt, _strtoui64, msvcrt__strtoui64, 3);
static int32_t WINAPI msvcrt__strtol_l(const char *p, char **end, int base, void *locale)
{
    return msvcrt_strtol(p, end, base);
}
THK_EXPORT_AS(msvcrt, _strtol_l, msvcrt__strtol_l, 4);
static uint32_t WINAPI msvcrt__strtoul_l(const char *p, char **end, int base, void *locale)
{
    return msvcrt_strtoul(p, end, base);
}
THK_EXPORT_AS(msvcrt, _strtoul_l, msvcrt__strtoul_l, 4);
static int64_t WINAPI msvcrt__strtoi64_l(const char *p, char **end, int base, void *locale)
{
    return msvcrt__strtoi64(p, end, base);
}
THK_EXPORT_AS(msvcrt, _strtoi64_l, msvcrt__strtoi64_l, 4);
static uint64_t WINAPI msvcrt__strtoui64_l(const char *p, char **end, int base, void *locale)
{
    return msvcrt__strtoui64(p, end, base);
}
THK_EXPORT_AS(msvcrt, _strtoui64_l, msvcrt__strtoui64_l, 4);

static int32_t WINAPI msvcrt_wcstol(const WCHAR *p, WCHAR **end, int base)
{
    return (int32_t)crt_strtox_wide(p, end, base, false, 32);
}
THK_EXPORT_AS(msvcrt, wcstol, msvcrt_wcstol, 3);
static uint32_t WINAPI msvcrt_wcstoul(const WCHAR *p, WCHAR **end, int base)
{
    return (uint32_t)crt_strtox_wide(p, end, base, true, 32);
}
THK_EXPORT_AS(msvcrt, wcstoul, msvcrt_wcstoul, 3);
static int64_t WINAPI msvcrt__wcstoi64(const WCHAR *p, WCHAR **end, int base)
{
    return (int64_t)crt_strtox_wide(p, end, base, false, 64);
}
THK_EXPORT_AS(msvcrt, _wcstoi64, msvcrt__wcstoi64, 3);
static uint64_t WINAPI msvcrt__wcstoui64(const WCHAR *p, WCHAR **end, int base)
{
    return crt_strtox_wide(p, end, base, true, 64);
}
THK_EXPORT_AS(msvcrt, _wcstoui64, msvcrt__wcstoui64, 3);
static int32_t WINAPI msvcrt__wcstol_l(const WCHAR *p, WCHAR **end, int base, void *locale)
{
    return msvcrt_wcstol(p, end, base);
}
THK_EXPORT_AS(msvcrt, _wcstol_l, msvcrt__wcstol_l, 4);
static uint32_t WINAPI msvcrt__wcstoul_l(const WCHAR *p, WCHAR **end, int base, void *locale)
{
    return msvcrt_wcstoul(p, end, base);
}
THK_EXPORT_AS(msvcrt, _wcstoul_l, msvcrt__wcstoul_l, 4);
static int64_t WINAPI msvcrt__wcstoi64_l(const WCHAR *p, WCHAR **end, int base, void *locale)
{
    return msvcrt__wcstoi64(p, end, base);
}
THK_EXPORT_AS(msvcrt, _wcstoi64_l, msvcrt__wcstoi64_l, 4);
static uint64_t WINAPI msvcrt__wcstoui64_l(const WCHAR *p, WCHAR **end, int base, void *locale)
{
    return msvcrt__wcstoui64(p, end, base);
}
THK_EXPORT_AS(msvcrt, _wcstoui64_l, msvcrt__wcstoui64_l, 4);

/* ---- atoi family ----
 * msvcrt.dll's atoi/atol (and the wide forms) accumulate in 32 bits and wrap, without
 * errno; _atoi64 saturates with ERANGE like _strtoi64. */
static int32_t crt_atol(const crt_src *s)
{
    size_t i = 0;
    unsigned c = crt_src_at(s, i);
    while (crt_src_space(s, c))
        c = crt_src_at(s, ++i);
    bool neg = c == '-';
    if (c == '-' || c == '+')
        c = crt_src_at(s, ++i);
    uint32_t total = 0;
    while (c >= '0' && c <= '9') {
        total = total * 10 + (c - '0');
        c = crt_src_at(s, ++i);
    }
    return (int32_t)(neg ? 0u - total : total);
}

static int WINAPI msvcrt_atoi(const char *p)
{
    if (!p)
        return 0;
    crt_src s = {p, false};
    return crt_atol(&s);
}
THK_EXPORT_AS(msvcrt, atoi, msvcrt_atoi, 1);
THK_EXPORT_AS(msvcrt, atol, msvcrt_atoi, 1);
static int WINAPI msvcrt__atoi_l(const char *p, void *locale) { return msvcrt_atoi(p); }
THK_EXPORT_AS(msvcrt, _atoi_l, msvcrt__atoi_l, 2);
THK_EXPORT_AS(msvcrt, _atol_l, msvcrt__atoi_l, 2);
static int64_t WINAPI msvcrt__atoi64(const char *p)
{
    return (int64_t)crt_strtox_narrow(p, NULL, 10, false, 64);
}
THK_EXPORT_AS(msvcrt, _atoi64, msvcrt__atoi64, 1);
static int64_t WINAPI msvcrt__atoi64_l(const char *p, void *locale) { return msvcrt__atoi64(p); }
THK_EXPORT_AS(msvcrt, _atoi64_l, msvcrt__atoi64_l, 2);

static int WINAPI msvcrt__wtoi(const WCHAR *p)
{
    if (!p)
        return 0;
    crt_src s = {p, true};
    return crt_atol(&s);
}
THK_EXPORT_AS(msvcrt, _wtoi, msvcrt__wtoi, 1);
THK_EXPORT_AS(msvcrt, _wtol, msvcrt__wtoi, 1);
static int WINAPI msvcrt__wtoi_l(const WCHAR *p, void *locale) { return msvcrt__wtoi(p); }
THK_EXPORT_AS(msvcrt, _wtoi_l, msvcrt__wtoi_l, 2);
THK_EXPORT_AS(msvcrt, _wtol_l, msvcrt__wtoi_l, 2);
static int64_t WINAPI msvcrt__wtoi64(const WCHAR *p)
{
    return (int64_t)crt_strtox_wide(p, NULL, 10, false, 64);
}
THK_EXPORT_AS(msvcrt, _wtoi64, msvcrt__wtoi64, 1);
static int64_t WINAPI msvcrt__wtoi64_l(const WCHAR *p, void *locale) { return msvcrt__wtoi64(p); }
THK_EXPORT_AS(msvcrt, _wtoi64_l, msvcrt__wtoi64_l, 2);

/* ---- strtod ----
 * [white space][sign]digits[.digits][(e|E|d|D)[sign]digits], with the locale's decimal point
 * (LC_NUMERIC, or the _l forms' locale) for '.'; an exponent marker without digits is not
 * consumed. The accepted text is converted by glibc (correct rounding). */
static pthread_once_t crt_c_locale_once = PTHREAD_ONCE_INIT;
static locale_t crt_c_locale_value;
static void crt_c_locale_init(void)
{
    crt_c_locale_value = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}
locale_t crt_c_locale(void)
{
    pthread_once(&crt_c_locale_once, crt_c_locale_init);
    return crt_c_locale_value;
}

/* msvcrt's grammar, the value rounded once to a double, or to the x87's 80-bit extended format
 * when `extended` (_atoldbl: the 64-bit significand of Windows' _LDOUBLE). */
static long double crt_strtofp(const crt_src *s, size_t *end, char dp, bool extended)
{
    size_t i = 0;
    *end = 0;
    unsigned c = crt_src_at(s, i);
    while (crt_src_space(s, c))
        c = crt_src_at(s, ++i);
    /* scan: [sign] digits [. digits] */
    size_t start = i, ndigits = 0;
    if (c == '-' || c == '+')
        c = crt_src_at(s, ++i);
    while (c >= '0' && c <= '9') {
        ndigits++;
        c = crt_src_at(s, ++i);
    }
    if (c == (uint8_t)dp) {
        c = crt_src_at(s, ++i);
        while (c >= '0' && c <= '9') {
            ndigits++;
            c = crt_src_at(s, ++i);
        }
    }
    if (!ndigits)
        return 0.0;
    size_t mant_end = i;
    /* exponent: kept only with at least one digit; leading zeros dropped, huge ones capped */
    char exp_text[16] = "";
    if (c == 'e' || c == 'E' || c == 'd' || c == 'D') {
        size_t j = i + 1, n = 0;
        unsigned e = crt_src_at(s, j);
        if (e == '-' || e == '+') {
            exp_text[n++] = (char)e;
            e = crt_src_at(s, ++j);
        }
        if (e >= '0' && e <= '9') {
            size_t sig = 0;
            while (e >= '0' && e <= '9') {
                if (sig || e != '0') {
                    if (sig < 7)
                        exp_text[n + sig] = (char)e;
                    sig++;
                }
                e = crt_src_at(s, ++j);
            }
            if (sig > 7)
                memcpy(exp_text + n, "9999999", 7), sig = 7;
            if (!sig)
                exp_text[n + sig++] = '0';
            exp_text[n + sig] = 0;
            i = j;
        } else {
            exp_text[0] = 0;
        }
    }
    *end = i;
    size_t mlen = mant_end - start;
    char stackbuf[256];
    char *buf = mlen + 20 <= sizeof stackbuf ? stackbuf : malloc(mlen + 20);
    if (!buf) {
        crt_set_errno(CRT_ENOMEM);
        return 0.0;
    }
    for (size_t k = 0; k < mlen; k++) {
        unsigned u = crt_src_at(s, start + k);
        buf[k] = u == (uint8_t)dp ? '.' : (char)u;
    }
    buf[mlen] = 0;
    if (exp_text[0]) {
        buf[mlen] = 'e';
        strcpy(buf + mlen + 1, exp_text);
    }
    int saved = errno;
    errno = 0;
    long double v = extended ? strtold_l(buf, NULL, crt_c_locale())
                             : strtod_l(buf, NULL, crt_c_locale());
    if (errno == ERANGE)
        crt_set_errno(CRT_ERANGE);
    errno = saved;
    if (buf != stackbuf)
        free(buf);
    return v;
}

static double crt_strtod(const crt_src *s, size_t *end, char dp)
{
    return (double)crt_strtofp(s, end, dp, false);
}

static double WINAPI msvcrt__strtod_l(const char *p, char **endp, void *locale)
{
    crt_src s = {p, false};
    size_t end;
    double v = crt_strtod(&s, &end, crt_locale_arg(locale)->decimal);
    if (endp)
        *endp = (char *)p + end;
    return v;
}
THK_EXPORT_AS(msvcrt, _strtod_l, msvcrt__strtod_l, 3);
static double WINAPI msvcrt_strtod(const char *p, char **endp)
{
    return msvcrt__strtod_l(p, endp, NULL);
}
THK_EXPORT_AS(msvcrt, strtod, msvcrt_strtod, 2);
static double WINAPI msvcrt__wcstod_l(const WCHAR *p, WCHAR **endp, void *locale)
{
    crt_src s = {p, true};
    size_t end;
    double v = crt_strtod(&s, &end, crt_locale_arg(locale)->decimal);
    if (endp)
        *endp = (WCHAR *)p + end;
    return v;
}
THK_EXPORT_AS(msvcrt, _wcstod_l, msvcrt__wcstod_l, 3);
static double WINAPI msvcrt_wcstod(const WCHAR *p, WCHAR **endp)
{
    return msvcrt__wcstod_l(p, endp, NULL);
}
THK_EXPORT_AS(msvcrt, wcstod, msvcrt_wcstod, 2);
static double WINAPI msvcrt_atof(const char *p) { return msvcrt_strtod(p, NULL); }
THK_EXPORT_AS(msvcrt, atof, msvcrt_atof, 1);
static double WINAPI msvcrt__atof_l(const char *p, void *locale)
{
    return msvcrt__strtod_l(p, NULL, locale);
}
THK_EXPORT_AS(msvcrt, _atof_l, msvcrt__atof_l, 2);
static double WINAPI msvcrt__wtof(const WCHAR *p) { return msvcrt_wcstod(p, NULL); }
THK_EXPORT_AS(msvcrt, _wtof, msvcrt__wtof, 1);
static double WINAPI msvcrt__wtof_l(const WCHAR *p, void *locale)
{
    return msvcrt__wcstod_l(p, NULL, locale);
}
THK_EXPORT_AS(msvcrt, _wtof_l, msvcrt__wtof_l, 2);

/* _atodbl / _atoflt: 0, or _OVERFLOW (3) / _UNDERFLOW (4). */
static int crt_atodbl(double *out, char *str, void *locale)
{
    int saved = *crt_errno_ptr();
    crt_set_errno(0);
    double v = msvcrt__strtod_l(str, NULL, locale);
    int e = *crt_errno_ptr();
    crt_set_errno(saved);
    *out = v;
    if (e == CRT_ERANGE)
        return fabs(v) > 1.0 ? 3 : 4;
    return 0;
}
static int WINAPI msvcrt__atodbl(double *out, char *str) { return crt_atodbl(out, str, NULL); }
THK_EXPORT_AS(msvcrt, _atodbl, msvcrt__atodbl, 2);
static int crt_atoflt(float *out, char *str, void *locale)
{
    double v;
    int r = crt_atodbl(&v, str, locale);
    *out = (float)v;
    if (!r && isinf(*out) && !isinf(v))
        r = 3;
    else if (!r && *out == 0.0f && v != 0.0)
        r = 4;
    return r;
}
static int WINAPI msvcrt__atoflt(float *out, char *str) { return crt_atoflt(out, str, NULL); }
THK_EXPORT_AS(msvcrt, _atoflt, msvcrt__atoflt, 2);

/* ---- integer -> string ---- */
/* Digits of v in `radix` (lower case), '-' first when neg. dst has room for 66 chars. */
static size_t crt_utoa(uint64_t v, bool neg, int radix, char *dst)
{
    char tmp[65];
    size_t n = 0;
    do {
        unsigned d = (unsigned)(v % (unsigned)radix);
        tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= (unsigned)radix;
    } while (v);
    size_t o = 0;
    if (neg)
        dst[o++] = '-';
    while (n)
        dst[o++] = tmp[--n];
    dst[o] = 0;
    return o;
}

/* msvcrt: only radix 10 shows a sign; other radixes print the two's complement. */
static size_t crt_itoa_text(int64_t v, bool is_signed, int bits, int radix, char *dst)
{
    uint64_t mask = bits == 32 ? 0xFFFFFFFFull : UINT64_MAX;
    if (is_signed && radix == 10 && v < 0)
        return crt_utoa((0 - (uint64_t)v) & mask, true, radix, dst);
    return crt_utoa((uint64_t)v & mask, false, radix, dst);
}

static char *crt_itoa_narrow(int64_t v, bool s, int bits, char *buf, int radix)
{
    if (radix < 2 || radix > 36) {
        if (buf)
            buf[0] = 0;
        crt_set_errno(CRT_EINVAL);
        return buf;
    }
    crt_itoa_text(v, s, bits, radix, buf);
    return buf;
}

static WCHAR *crt_itoa_wide(int64_t v, bool s, int bits, WCHAR *buf, int radix)
{
    if (radix < 2 || radix > 36) {
        if (buf)
            buf[0] = 0;
        crt_set_errno(CRT_EINVAL);
        return buf;
    }
    char tmp[70];
    size_t n = crt_itoa_text(v, s, bits, radix, tmp);
    for (size_t i = 0; i <= n; i++)
        buf[i] = (unsigned char)tmp[i];
    return buf;
}

static char *WINAPI msvcrt__itoa(int v, char *b, int r)
{
    return crt_itoa_narrow(v, true, 32, b, r);
}
THK_EXPORT_AS(msvcrt, _itoa, msvcrt__itoa, 3);
THK_EXPORT_AS(msvcrt, _ltoa, msvcrt__itoa, 3);
static char *WINAPI msvcrt__ultoa(uint32_t v, char *b, int r)
{
    return crt_itoa_narrow(v, false, 32, b, r);
}
THK_EXPORT_AS(msvcrt, _ultoa, msvcrt__ultoa, 3);
static char *WINAPI msvcrt__i64toa(int64_t v, char *b, int r)
{
    return crt_itoa_narrow(v, true, 64, b, r);
}
THK_EXPORT_AS(msvcrt, _i64toa, msvcrt__i64toa, 3);
static char *WINAPI msvcrt__ui64toa(uint64_t v, char *b, int r)
{
    return crt_itoa_narrow((int64_t)v, false, 64, b, r);
}
THK_EXPORT_AS(msvcrt, _ui64toa, msvcrt__ui64toa, 3);
static WCHAR *WINAPI msvcrt__itow(int v, WCHAR *b, int r)
{
    return crt_itoa_wide(v, true, 32, b, r);
}
THK_EXPORT_AS(msvcrt, _itow, msvcrt__itow, 3);
THK_EXPORT_AS(msvcrt, _ltow, msvcrt__itow, 3);
static WCHAR *WINAPI msvcrt__ultow(uint32_t v, WCHAR *b, int r)
{
    return crt_itoa_wide(v, false, 32, b, r);
}
THK_EXPORT_AS(msvcrt, _ultow, msvcrt__ultow, 3);
static WCHAR *WINAPI msvcrt__i64tow(int64_t v, WCHAR *b, int r)
{
    return crt_itoa_wide(v, true, 64, b, r);
}
THK_EXPORT_AS(msvcrt, _i64tow, msvcrt__i64tow, 3);
static WCHAR *WINAPI msvcrt__ui64tow(uint64_t v, WCHAR *b, int r)
{
    return crt_itoa_wide((int64_t)v, false, 64, b, r);
}
THK_EXPORT_AS(msvcrt, _ui64tow, msvcrt__ui64tow, 3);

/* The _s forms: EINVAL for no buffer or a bad radix, ERANGE (and "") when it does not fit. */
static int crt_itoa_s(int64_t v, bool s, int bits, void *buf, size_t size, int radix, bool wide)
{
    if (!buf || !size || radix < 2 || radix > 36) {
        if (buf && size) {
            if (wide)
                ((WCHAR *)buf)[0] = 0;
            else
                ((char *)buf)[0] = 0;
        }
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    char tmp[70];
    size_t n = crt_itoa_text(v, s, bits, radix, tmp);
    if (n + 1 > size) {
        if (wide)
            ((WCHAR *)buf)[0] = 0;
        else
            ((char *)buf)[0] = 0;
        crt_set_errno(CRT_ERANGE);
        return CRT_ERANGE;
    }
    for (size_t i = 0; i <= n; i++) {
        if (wide)
            ((WCHAR *)buf)[i] = (unsigned char)tmp[i];
        else
            ((char *)buf)[i] = tmp[i];
    }
    return 0;
}
int WINAPI msvcrt__itoa_s(int v, char *b, size_t n, int r)
{
    return crt_itoa_s(v, true, 32, b, n, r, false);
}
THK_EXPORT_AS(msvcrt, _itoa_s, msvcrt__itoa_s, 4);
THK_EXPORT_AS(msvcrt, _ltoa_s, msvcrt__itoa_s, 4);
int WINAPI msvcrt__ultoa_s(uint32_t v, char *b, size_t n, int r)
{
    return crt_itoa_s(v, false, 32, b, n, r, false);
}
THK_EXPORT_AS(msvcrt, _ultoa_s, msvcrt__ultoa_s, 4);
int WINAPI msvcrt__i64toa_s(int64_t v, char *b, size_t n, int r)
{
    return crt_itoa_s(v, true, 64, b, n, r, false);
}
THK_EXPORT_AS(msvcrt, _i64toa_s, msvcrt__i64toa_s, 4);
int WINAPI msvcrt__ui64toa_s(uint64_t v, char *b, size_t n, int r)
{
    return crt_itoa_s((int64_t)v, false, 64, b, n, r, false);
}
THK_EXPORT_AS(msvcrt, _ui64toa_s, msvcrt__ui64toa_s, 4);
int WINAPI msvcrt__itow_s(int v, WCHAR *b, size_t n, int r)
{
    return crt_itoa_s(v, true, 32, b, n, r, true);
}
THK_EXPORT_AS(msvcrt, _itow_s, msvcrt__itow_s, 4);
THK_EXPORT_AS(msvcrt, _ltow_s, msvcrt__itow_s, 4);
int WINAPI msvcrt__ultow_s(uint32_t v, WCHAR *b, size_t n, int r)
{
    return crt_itoa_s(v, false, 32, b, n, r, true);
}
THK_EXPORT_AS(msvcrt, _ultow_s, msvcrt__ultow_s, 4);
int WINAPI msvcrt__i64tow_s(int64_t v, WCHAR *b, size_t n, int r)
{
    return crt_itoa_s(v, true, 64, b, n, r, true);
}
THK_EXPORT_AS(msvcrt, _i64tow_s, msvcrt__i64tow_s, 4);
int WINAPI msvcrt__ui64tow_s(uint64_t v, WCHAR *b, size_t n, int r)
{
    return crt_itoa_s((int64_t)v, false, 64, b, n, r, true);
}
THK_EXPORT_AS(msvcrt, _ui64tow_s, msvcrt__ui64tow_s, 4);

/* ---- floating point -> decimal digits (_ecvt, _fcvt, _gcvt) ----
 * msvcrt first renders the value as at most 17 significant digits (crt_flt), then rounds
 * that string half up to the digits asked for (crt_fptostr), so 0.125 to two digits is "13"
 * and digits beyond the 17th are zeros. */
#define CRT_CVTBUFSIZE 349 /* 309 + 40, msvcrt's _CVTBUFSIZE */

typedef struct crt_flt {
    int sign;         /* 1 for negative */
    int decpt;        /* position of the decimal point relative to the digits */
    char mantissa[24]; /* significant digits, trailing zeros removed */
} crt_flt;

static void crt_flt_of(double v, crt_flt *f)
{
    f->sign = signbit(v) ? 1 : 0;
    v = fabs(v);
    if (isinf(v) || isnan(v)) {
        strcpy(f->mantissa, isinf(v) ? "1#INF" : "1#QNAN");
        f->decpt = 1;
        return;
    }
    if (v == 0.0) {
        strcpy(f->mantissa, "0");
        f->decpt = 0;
        return;
    }
    char buf[40];
    snprintf(buf, sizeof buf, "%.16e", v); /* d.dddddddddddddddde[+-]XX */
    size_t n = 0;
    f->mantissa[n++] = buf[0];
    for (int i = 2; i < 18; i++)
        f->mantissa[n++] = buf[i];
    while (n > 1 && f->mantissa[n - 1] == '0')
        n--;
    f->mantissa[n] = 0;
    f->decpt = atoi(buf + 19) + 1;
}

/* msvcrt's _fptostr: `digits` digits of f into buf (room for digits + 2), zero-padded,
 * rounded half up on the next mantissa digit; a carry out of the first digit gives "1000..."
 * with one digit more and decpt + 1. No rounding when digits < 0. */
static void crt_fptostr(char *buf, int digits, crt_flt *f)
{
    const char *m = f->mantissa;
    char *p = buf;
    *p++ = '0';
    while (digits > 0) {
        *p++ = *m ? *m++ : '0';
        digits--;
    }
    *p = 0;
    if (digits >= 0 && *m >= '5') {
        p--;
        while (*p == '9')
            *p-- = '0';
        *p += 1;
    }
    if (*buf == '1')
        f->decpt++;
    else
        memmove(buf, buf + 1, strlen(buf + 1) + 1);
}

static __thread char crt_cvtbuf[CRT_CVTBUFSIZE + 2];

static void crt_ecvt_into(char *buf, double v, int ndigit, int *decpt, int *sign)
{
    crt_flt f;
    crt_flt_of(v, &f);
    if (ndigit > CRT_CVTBUFSIZE - 1)
        ndigit = CRT_CVTBUFSIZE - 1;
    crt_fptostr(buf, ndigit, &f);
    if (ndigit >= 0 && strlen(buf) > (size_t)ndigit)
        buf[ndigit] = 0; /* a rounding carry made it one digit longer */
    else if (ndigit < 0)
        buf[0] = 0;
    *decpt = f.decpt;
    *sign = f.sign;
}

static void crt_fcvt_into(char *buf, double v, int ndec, int *decpt, int *sign)
{
    crt_flt f;
    crt_flt_of(v, &f);
    int digits = f.decpt + ndec;
    if (digits > CRT_CVTBUFSIZE - 1)
        digits = CRT_CVTBUFSIZE - 1;
    crt_fptostr(buf, digits, &f);
    *decpt = f.decpt;
    *sign = f.sign;
}

static char *WINAPI msvcrt__ecvt(double v, int ndigit, int *decpt, int *sign)
{
    crt_ecvt_into(crt_cvtbuf, v, ndigit, decpt, sign);
    return crt_cvtbuf;
}
THK_EXPORT_AS(msvcrt, _ecvt, msvcrt__ecvt, 4);
static char *WINAPI msvcrt__fcvt(double v, int ndec, int *decpt, int *sign)
{
    crt_fcvt_into(crt_cvtbuf, v, ndec, decpt, sign);
    return crt_cvtbuf;
}
THK_EXPORT_AS(msvcrt, _fcvt, msvcrt__fcvt, 4);

static int WINAPI msvcrt__ecvt_s(char *buf, size_t size, double v, int ndigit, int *decpt,
                                 int *sign)
{
    if (!buf || !size || !decpt || !sign) {
        if (buf && size)
            buf[0] = 0;
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    char tmp[CRT_CVTBUFSIZE + 2];
    crt_ecvt_into(tmp, v, ndigit, decpt, sign);
    if (strlen(tmp) + 1 > size) {
        buf[0] = 0;
        crt_set_errno(CRT_ERANGE);
        return CRT_ERANGE;
    }
    strcpy(buf, tmp);
    return 0;
}
THK_EXPORT_AS(msvcrt, _ecvt_s, msvcrt__ecvt_s, 6);
static int WINAPI msvcrt__fcvt_s(char *buf, size_t size, double v, int ndec, int *decpt,
                                 int *sign)
{
    if (!buf || !size || !decpt || !sign) {
        if (buf && size)
            buf[0] = 0;
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    char tmp[CRT_CVTBUFSIZE + 2];
    crt_fcvt_into(tmp, v, ndec, decpt, sign);
    if (strlen(tmp) + 1 > size) {
        buf[0] = 0;
        crt_set_errno(CRT_ERANGE);
        return CRT_ERANGE;
    }
    strcpy(buf, tmp);
    return 0;
}
THK_EXPORT_AS(msvcrt, _fcvt_s, msvcrt__fcvt_s, 6);

/* %e as msvcrt prints it: d.ddd e+XXX (three exponent digits). */
static void crt_cftoe(double v, char *out, int ndec)
{
    crt_flt f;
    crt_flt_of(v, &f);
    char digits[CRT_CVTBUFSIZE + 2];
    crt_fptostr(digits, ndec + 1, &f);
    char *o = out;
    if (f.sign)
        *o++ = '-';
    *o++ = digits[0];
    if (ndec > 0) {
        *o++ = '.';
        memcpy(o, digits + 1, (size_t)ndec);
        o += ndec;
    }
    int e = v == 0.0 ? 0 : f.decpt - 1;
    sprintf(o, "e%c%03d", e < 0 ? '-' : '+', e < 0 ? -e : e);
}

/* %f as msvcrt prints it, from the same rounded digits. */
static void crt_cftof(double v, char *out, int ndec)
{
    crt_flt f;
    crt_flt_of(v, &f);
    char digits[CRT_CVTBUFSIZE + 2];
    int want = f.decpt + ndec;
    if (want > CRT_CVTBUFSIZE - 1)
        want = CRT_CVTBUFSIZE - 1;
    crt_fptostr(digits, want, &f);
    int decpt = f.decpt;
    size_t nd = strlen(digits), di = 0;
    char *o = out;
    if (f.sign)
        *o++ = '-';
    if (decpt <= 0) {
        *o++ = '0';
    } else {
        for (int i = 0; i < decpt; i++)
            *o++ = di < nd ? digits[di++] : '0';
    }
    if (ndec > 0) {
        *o++ = '.';
        for (int i = 0; i < ndec; i++) {
            if (decpt < 0 && i < -decpt)
                *o++ = '0';
            else
                *o++ = di < nd ? digits[di++] : '0';
        }
    }
    *o = 0;
}

/* _gcvt: Fortran G format (F when -1 <= exponent < ndigit, else E with ndigit-1 decimals),
 * then the zeros after the last significant fraction digit are dropped (the point stays:
 * 1.0 -> "1."). */
static void crt_gcvt_into(double v, int ndigit, char *buf)
{
    crt_flt f;
    crt_flt_of(v, &f);
    int magnitude = f.decpt - 1;
    if (magnitude < -1 || magnitude > ndigit - 1)
        crt_cftoe(v, buf, ndigit - 1);
    else
        crt_cftof(v, buf, ndigit - f.decpt);
    char *s = buf;
    while (*s && *s != '.')
        s++;
    if (*s++) {
        while (*s && *s != 'e')
            s++;
        char *stop = s--;
        while (*s == '0')
            s--;
        while ((*++s = *stop++))
            ;
    }
}

static char *WINAPI msvcrt__gcvt(double v, int ndigit, char *buf)
{
    if (ndigit < 0) {
        crt_set_errno(CRT_ERANGE);
        return NULL;
    }
    if (ndigit > CRT_CVTBUFSIZE - 2)
        ndigit = CRT_CVTBUFSIZE - 2;
    crt_gcvt_into(v, ndigit, buf);
    return buf;
}
THK_EXPORT_AS(msvcrt, _gcvt, msvcrt__gcvt, 3);

static int WINAPI msvcrt__gcvt_s(char *buf, size_t size, double v, int ndigit)
{
    if (!buf || !size || ndigit < 0) {
        if (buf && size)
            buf[0] = 0;
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    if (ndigit > CRT_CVTBUFSIZE - 2)
        ndigit = CRT_CVTBUFSIZE - 2;
    char tmp[CRT_CVTBUFSIZE + 40];
    crt_gcvt_into(v, ndigit, tmp);
    if (strlen(tmp) + 1 > size) {
        buf[0] = 0;
        crt_set_errno(CRT_ERANGE);
        return CRT_ERANGE;
    }
    strcpy(buf, tmp);
    return 0;
}
THK_EXPORT_AS(msvcrt, _gcvt_s, msvcrt__gcvt_s, 4);
static int WINAPI msvcrt__atodbl_l(double *out, char *str, void *locale)
{
    return crt_atodbl(out, str, locale);
}
THK_EXPORT_AS(msvcrt, _atodbl_l, msvcrt__atodbl_l, 3);
static int WINAPI msvcrt__atoflt_l(float *out, char *str, void *locale)
{
    return crt_atoflt(out, str, locale);
}
THK_EXPORT_AS(msvcrt, _atoflt_l, msvcrt__atoflt_l, 3);

/* _atoldbl / _atoldbl_l: the x87 80-bit value (_LDOUBLE: 10 bytes, 64-bit significand with its
 * explicit integer bit, 15-bit exponent, sign) by msvcrt's grammar; 0, or _OVERFLOW (3, the
 * value is an infinity) / _UNDERFLOW (4, a denormal or zero), as _atodbl. */
static int crt_atoldbl(uint8_t out[10], char *str, void *locale)
{
    crt_src s = {str, false};
    size_t end;
    int saved = *crt_errno_ptr();
    crt_set_errno(0);
    long double v = crt_strtofp(&s, &end, crt_locale_arg(locale)->decimal, true);
    int e = *crt_errno_ptr();
    crt_set_errno(saved);
    _Static_assert(sizeof(long double) >= 10 && __LDBL_MANT_DIG__ == 64, "x87 long double");
    memcpy(out, &v, 10);
    if (e == CRT_ERANGE)
        return fabsl(v) > 1.0L ? 3 : 4;
    return 0;
}
static int WINAPI msvcrt__atoldbl(uint8_t *out, char *str) { return crt_atoldbl(out, str, NULL); }
THK_EXPORT_AS(msvcrt, _atoldbl, msvcrt__atoldbl, 2);
static int WINAPI msvcrt__atoldbl_l(uint8_t *out, char *str, void *locale)
{
    return crt_atoldbl(out, str, locale);
}
THK_EXPORT_AS(msvcrt, _atoldbl_l, msvcrt__atoldbl_l, 3);
