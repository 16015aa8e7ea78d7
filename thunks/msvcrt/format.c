/* SPDX-License-Identifier: MIT */
/* msvcrt's printf family: one formatting engine with msvcrt.dll's semantics, used for narrow
 * (crt_vformat) and wide (crt_vwformat) formats, and the exports printf, fprintf, sprintf,
 * _snprintf, _scprintf, wprintf, fwprintf, swprintf, _snwprintf, _scwprintf, their v forms and
 * the _s forms msvcrt.dll exports.
 *
 * The engine reproduces msvcrt's conversion state machine (a character class times the state
 * after '%', flags, width, '.', precision and size): a character that does not fit the state
 * is printed as ordinary text, so "%zd" prints "zd" and "%5%" prints "%". Size modifiers: h (hh
 * is h), l (32 bits, long is int), ll, I64, I32, I (pointer sized), w (wide); L, F and N are
 * accepted and ignored. %p is 16 upper-case hex digits; %n is refused (errno EINVAL, -1).
 *
 * Floating point follows msvcrt's two roundings: the value is first converted to at most 17
 * significant digits (rounded half up, trailing zeros dropped, as its $I10_OUTPUT does), then
 * that digit string is rounded half up again at the requested precision and padded with
 * zeros. Infinities and NaNs go through the same path as the digit strings "1#INF", "1#QNAN",
 * "1#SNAN" and "1#IND" (negative default NaN), which gives msvcrt's 1.#INF00, 1.#QNAN0,
 * -1.#IND00, and "1.#J" for %.2f of an infinity. Exponents have three digits.
 *
 * Characters: in narrow output %s/%c are narrow and %S/%C/%ls/%lc/%ws/%wc wide; in wide output
 * %s/%c are wide and %S/%C/%hs/%hc narrow. The ANSI code page is UTF-8, so wide text written
 * to a narrow destination becomes UTF-8 (a surrogate pair becomes one 4-byte sequence) and
 * narrow text written to a wide destination is decoded as UTF-8; a character that does not
 * convert ends the call with -1, like msvcrt's failed wctomb/mbtowc. Widths and precisions
 * count in the argument's own characters (wide units for %ls, code points for %hs in wide
 * output), as msvcrt counts them. */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/msvcrt/crt.h"
#include "thunks/msvcrt/msvcrt_lib.h"

/* ---------------------------------------------------------------------------------------------
 * Output: the engine writes narrow bytes (crt_out) or UTF-16 units (crt_wout).
 */
#define FMT_ARGMAX 100 /* the UCRT's _ARGMAX: the highest %n$ */

typedef struct fmt_state {
    const crt_out *out;   /* narrow engine */
    const crt_wout *wout; /* wide engine */
    bool wide;
    crt_fmt_mode *ucrt;   /* NULL: msvcrt's rules; else the UCRT's (see crt.h) */
    int count;            /* characters written, -1 once an output or conversion failed */
    /* positional parameters (the _p functions: ucrt->positional, msvcrt's fmt_positional) */
    bool positional;
    bool scan;            /* the first pass: positions are checked, nothing is written */
    enum { POS_UNKNOWN, POS_OFF, POS_ON } pos;   /* decided by the first conversion */
    int maxpos;           /* highest %n$ seen */
    uint8_t used[FMT_ARGMAX + 1];
    __builtin_ms_va_list base; /* the first variadic slot */
} fmt_state;

#define FMT_CHUNK 256

/* msvcrt's _l forms (_printf_l, ...): the locale argument of the call in progress on this
 * thread (NULL: the thread's locale). Set for the duration of one call, which makes no
 * callback that could format again. */
static __thread const void *fmt_locale;
/* msvcrt's _p forms (_printf_p, ...): positional parameters for the call in progress. */
static __thread bool fmt_positional;

static void fmt_account(fmt_state *st, size_t got, size_t want)
{
    if (st->scan)
        return;
    if (got < want || want > (size_t)(INT_MAX - st->count))
        st->count = -1;
    else
        st->count += (int)want;
}

static void fmt_units(fmt_state *st, const WCHAR *w, size_t n)
{
    if (st->count < 0 || !n || st->scan)
        return;
    fmt_account(st, st->wout->write(st->wout->ctx, w, n), n);
}

/* Bytes of the engine's own text (literal format text of a narrow format, digits, padding):
 * written as is by the narrow engine, widened unit by unit by the wide engine (ASCII only). */
static void fmt_bytes(fmt_state *st, const char *s, size_t n)
{
    if (st->count < 0 || !n || st->scan)
        return;
    if (!st->wide) {
        fmt_account(st, st->out->write(st->out->ctx, s, n), n);
        return;
    }
    WCHAR tmp[FMT_CHUNK];
    while (n && st->count >= 0) {
        size_t k = n < FMT_CHUNK ? n : FMT_CHUNK;
        for (size_t i = 0; i < k; i++)
            tmp[i] = (unsigned char)s[i];
        fmt_units(st, tmp, k);
        s += k;
        n -= k;
    }
}

static void fmt_fill(fmt_state *st, char c, int n)
{
    char tmp[FMT_CHUNK];
    if (n <= 0)
        return;
    memset(tmp, c, sizeof tmp);
    while (n > 0 && st->count >= 0) {
        int k = n < FMT_CHUNK ? n : FMT_CHUNK;
        fmt_bytes(st, tmp, (size_t)k);
        n -= k;
    }
}

/* Wide text (UTF-16). The narrow engine converts it to UTF-8; an unpaired surrogate does not
 * convert and fails the call after the text before it. */
static void fmt_wide_text(fmt_state *st, const WCHAR *w, size_t n)
{
    if (st->wide) {
        fmt_units(st, w, n);
        return;
    }
    char tmp[FMT_CHUNK + 4];
    size_t len = 0;
    for (size_t i = 0; i < n && st->count >= 0; i++) {
        uint32_t cp = w[i];
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            if (cp <= 0xDBFF && i + 1 < n && w[i + 1] >= 0xDC00 && w[i + 1] <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (w[i + 1] - 0xDC00);
                i++;
            } else {
                fmt_bytes(st, tmp, len);
                st->count = -1;
                return;
            }
        }
        len += (size_t)crt_utf8_encode(cp, tmp + len);
        if (len >= FMT_CHUNK) {
            fmt_bytes(st, tmp, len);
            len = 0;
        }
    }
    fmt_bytes(st, tmp, len);
}

/* Narrow (multibyte, UTF-8) text of `n` bytes. The wide engine decodes it; a byte sequence that
 * is not UTF-8 fails the call after the text before it. */
static void fmt_mb_text(fmt_state *st, const char *s, size_t n)
{
    if (!st->wide) {
        fmt_bytes(st, s, n);
        return;
    }
    WCHAR tmp[FMT_CHUNK + 2];
    size_t len = 0;
    while (n && st->count >= 0) {
        uint32_t cp;
        int k = crt_utf8_decode(s, n, &cp);
        if (k <= 0) {
            fmt_units(st, tmp, len);
            st->count = -1;
            return;
        }
        if (cp >= 0x10000) {
            tmp[len++] = (WCHAR)(0xD800 + ((cp - 0x10000) >> 10));
            tmp[len++] = (WCHAR)(0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            tmp[len++] = (WCHAR)cp;
        }
        s += k;
        n -= (size_t)k;
        if (len >= FMT_CHUNK) {
            fmt_units(st, tmp, len);
            len = 0;
        }
    }
    fmt_units(st, tmp, len);
}

/* ---------------------------------------------------------------------------------------------
 * Floating point, msvcrt style.
 */
#define FLT_MAX_PRECISION 512 /* msvcrt caps every precision here */

typedef struct crt_flt {
    char sign;     /* '-' or ' ' */
    int decpt;     /* position of the decimal point relative to man[0] */
    char man[24];  /* significant digits, no trailing zeros; or "1#INF" and friends */
} crt_flt;

/* The decimal digits of |v| (v finite, not zero) rounded half up to 17 significant digits with
 * trailing zeros removed, as msvcrt's _fltout does. glibc prints the exact expansion; 41 digits
 * decide the 18th exactly unless everything after the 18th printed as zeros, which may hide a
 * carry from the 41st, and then the full expansion is used. */
static void flt_digits17(double a, crt_flt *f)
{
    char buf[820];
    char dig[24];
    int nd = 0, exp10 = 0;

    snprintf(buf, sizeof buf, "%.40e", a);
    const char *e = strchr(buf, 'e');
    bool exact_needed = true;
    if (e) {
        int seen = 0;
        for (const char *p = buf; p < e; p++) {
            if (*p < '0' || *p > '9')
                continue;
            if (seen++ >= 18 && *p != '0')
                exact_needed = false;
        }
    }
    if (exact_needed)
        snprintf(buf, sizeof buf, "%.800e", a);
    e = strchr(buf, 'e');
    if (!e) { /* cannot happen for a finite value; keep the output sane */
        f->decpt = 0;
        strcpy(f->man, "0");
        return;
    }
    for (const char *p = buf; p < e && nd < 18; p++)
        if (*p >= '0' && *p <= '9')
            dig[nd++] = *p;
    while (nd < 18)
        dig[nd++] = '0';
    exp10 = atoi(e + 1);
    f->decpt = exp10 + 1;

    if (dig[17] >= '5') {
        int i = 16;
        while (i >= 0 && dig[i] == '9')
            dig[i--] = '0';
        if (i >= 0) {
            dig[i]++;
        } else {
            dig[0] = '1';
            f->decpt++;
        }
    }
    nd = 17;
    while (nd > 1 && dig[nd - 1] == '0')
        nd--;
    memcpy(f->man, dig, (size_t)nd);
    f->man[nd] = 0;
}

static void flt_decompose(double v, crt_flt *f)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    uint64_t mant = bits & ((1ULL << 52) - 1);
    unsigned exp = (unsigned)(bits >> 52) & 0x7FF;
    f->sign = (bits >> 63) ? '-' : ' ';
    if (exp == 0x7FF) {
        const char *s;
        if (!mant)
            s = "1#INF";
        else if (f->sign == '-' && mant == (1ULL << 51))
            s = "1#IND";
        else if (mant & (1ULL << 51))
            s = "1#QNAN";
        else
            s = "1#SNAN";
        strcpy(f->man, s);
        f->decpt = 1;
        return;
    }
    if (!exp && !mant) {
        strcpy(f->man, "0");
        f->decpt = 0;
        return;
    }
    uint64_t abits = bits & ~(1ULL << 63);
    double a;
    memcpy(&a, &abits, sizeof a);
    flt_digits17(a, f);
}

/* msvcrt's _fptostr: `digits` characters of the mantissa, padded with '0', rounded half up on
 * the next mantissa character (compared as a byte, also for "1#INF"). A carry out of the first
 * digit adds a leading '1' and moves the decimal point. `out` needs digits + 2 bytes. Returns
 * the length written (NUL-terminated). */
static int flt_round(char *out, int digits, crt_flt *f)
{
    const char *m = f->man;
    int n = 0;
    out[0] = '0'; /* room for the carry */
    for (int i = 0; i < digits; i++)
        out[1 + n++] = *m ? *m++ : '0';
    out[1 + n] = 0;
    if (digits >= 0 && *m >= '5') {
        char *p = out + n;
        while (*p == '9')
            *p-- = '0';
        (*p)++;
    }
    if (out[0] == '1') {
        f->decpt++;
        return n + 1;
    }
    memmove(out, out + 1, (size_t)n + 1);
    return n;
}

/* d[.ddd]e+ddd from `dig`; `point` forces the '.', `ndec` digits follow it. */
static char *flt_put_e(char *p, const crt_flt *f, const char *dig, int ndec, bool point,
                       bool caps)
{
    *p++ = dig[0];
    if (point)
        *p++ = '.';
    memcpy(p, dig + 1, (size_t)ndec);
    p += ndec;
    *p++ = caps ? 'E' : 'e';
    int e = 0;
    char sign = '+';
    if (f->man[0] != '0') {
        e = f->decpt - 1;
        if (e < 0) {
            e = -e;
            sign = '-';
        }
    }
    *p++ = sign;
    *p++ = (char)('0' + e / 100);
    *p++ = (char)('0' + e / 10 % 10);
    *p++ = (char)('0' + e % 10);
    return p;
}

/* ddd.ddd from `ndig` digits in `dig`: msvcrt's _cftof layout. For %g (g_fmt) every leading
 * zero after the point is written; for %f at most ndec of them (the digits fill the rest). */
static char *flt_put_f(char *p, const crt_flt *f, const char *dig, int ndig, int ndec, bool g_fmt)
{
    if (f->decpt <= 0) {
        *p++ = '0';
        if (ndec > 0) {
            *p++ = '.';
            int z = -f->decpt;
            if (!g_fmt && z > ndec)
                z = ndec;
            memset(p, '0', (size_t)z);
            p += z;
            memcpy(p, dig, (size_t)ndig);
            p += ndig;
        }
        return p;
    }
    int ip = f->decpt < ndig ? f->decpt : ndig;
    memcpy(p, dig, (size_t)ip);
    p += ip;
    if (ndec > 0) {
        *p++ = '.';
        memcpy(p, dig + ip, (size_t)(ndig - ip));
        p += ndig - ip;
    }
    return p;
}

/* %a: hexadecimal mantissa and binary exponent, 13 digits by default, rounded half up. */
static char *flt_put_a(char *p, double v, int prec, bool caps, bool alt)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    uint64_t mant = bits & ((1ULL << 52) - 1);
    unsigned exp = (unsigned)(bits >> 52) & 0x7FF;
    const char *hex = caps ? "0123456789ABCDEF" : "0123456789abcdef";
    if (bits >> 63)
        *p++ = '-';
    *p++ = '0';
    *p++ = caps ? 'X' : 'x';
    if (exp == 0x7FF) {
        /* the %e text of the special value with a 'p' exponent: 0x1.#INF000000000p+0 */
        crt_flt f;
        char dig[FLT_MAX_PRECISION + 4];
        flt_decompose(v, &f);
        flt_round(dig, prec + 1, &f);
        *p++ = dig[0];
        if (prec > 0 || alt)
            *p++ = '.';
        memcpy(p, dig + 1, (size_t)prec);
        p += prec;
        *p++ = caps ? 'P' : 'p';
        *p++ = '+';
        *p++ = '0';
        return p;
    }
    int lead = exp ? 1 : 0;
    int e = exp ? (int)exp - 1023 : (mant ? -1022 : 0);
    int digits = prec < 13 ? prec : 13;
    if (digits < 13) {
        int shift = 4 * (13 - digits);
        mant += 1ULL << (shift - 1);
        if (mant >> 52) {
            lead++;
            mant &= (1ULL << 52) - 1;
        }
        mant >>= shift;
    }
    *p++ = (char)('0' + lead);
    if (prec > 0 || alt)
        *p++ = '.';
    for (int i = digits - 1; i >= 0; i--)
        *p++ = hex[(mant >> (4 * i)) & 0xF];
    for (int i = digits; i < prec; i++)
        *p++ = '0';
    *p++ = caps ? 'P' : 'p';
    *p++ = e < 0 ? '-' : '+';
    char tmp[8];
    int n = snprintf(tmp, sizeof tmp, "%d", e < 0 ? -e : e);
    memcpy(p, tmp, (size_t)n);
    return p + n;
}

/* msvcrt's _forcdecpt: insert a '.' after the leading digits (or before a leading 'e'). */
static void flt_force_point(char *s)
{
    char *p = s;
    if (*p != 'e' && *p != 'E') {
        do
            p++;
        while (*p >= '0' && *p <= '9');
    }
    memmove(p + 1, p, strlen(p) + 1);
    *p = '.';
}

/* msvcrt's _cropzeros: drop trailing zeros of the fraction, and the '.' if nothing is left. */
static void flt_crop_zeros(char *s)
{
    char *p = strchr(s, '.');
    if (!p)
        return;
    char *stop = p + 1;
    while (*stop && *stop != 'e' && *stop != 'E')
        stop++;
    char *q = stop - 1;
    while (*q == '0')
        q--;
    if (*q == '.')
        q--;
    memmove(q + 1, stop, strlen(stop) + 1);
}

/* Formats v for conversion `type` (e, f, g, a; lower case) into out, with a leading '-' when
 * negative. out needs FLT_BUF_SIZE bytes. */
#define FLT_BUF_SIZE (FLT_MAX_PRECISION + 400)
static void flt_format(char *out, double v, char type, int prec, bool caps, bool alt)
{
    char *p = out;
    if (type == 'a') {
        p = flt_put_a(p, v, prec, caps, alt);
        *p = 0;
        return;
    }
    crt_flt f;
    char dig[FLT_MAX_PRECISION + 340];
    flt_decompose(v, &f);
    if (f.sign == '-')
        *p++ = '-';
    if (type == 'e') {
        flt_round(dig, prec + 1, &f);
        p = flt_put_e(p, &f, dig, prec, prec > 0, caps);
    } else if (type == 'f') {
        int n = flt_round(dig, prec + f.decpt, &f);
        p = flt_put_f(p, &f, dig, n, prec, false);
    } else { /* g: prec significant digits, %e style below 1e-4 or at 10^prec and above */
        flt_round(dig, prec, &f);
        int magnitude = f.decpt - 1;
        if (magnitude < -4 || magnitude >= prec)
            p = flt_put_e(p, &f, dig, prec - 1, true, caps);
        else
            p = flt_put_f(p, &f, dig, prec, prec, true);
    }
    *p = 0;
    if (alt && prec == 0)
        flt_force_point(out + (out[0] == '-'));
    if (type == 'g' && !alt)
        flt_crop_zeros(out);
}

/* The UCRT's floating point (Windows 10 2004 and later, programs built by VS 2019 16.2 or
 * newer): the exact decimal value rounded to nearest-even at the requested precision, which is
 * what glibc prints, C99 special values ("inf", "nan", "-nan(ind)" for the default NaN,
 * "nan(snan)"; upper case for %E %F %G %A) and exponents of at least two digits, or three with
 * CRT_PRINTF_LEGACY_THREE_DIGIT_EXPONENTS. `type` is e, f, g or a; out needs FLT_BUF_SIZE. */
static void flt_format_ucrt(char *out, double v, char type, int prec, bool caps, bool alt,
                            bool three_digits)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    uint64_t mant = bits & ((1ULL << 52) - 1);
    if ((unsigned)(bits >> 52 & 0x7FF) == 0x7FF) {
        const char *t;
        if (!mant)
            t = caps ? "INF" : "inf";
        else if (!(mant & (1ULL << 51)))
            t = caps ? "NAN(SNAN)" : "nan(snan)";
        else if ((bits >> 63) && mant == (1ULL << 51))
            t = caps ? "NAN(IND)" : "nan(ind)";
        else
            t = caps ? "NAN" : "nan";
        snprintf(out, FLT_BUF_SIZE, "%s%s", (bits >> 63) ? "-" : "", t);
        return;
    }
    if (type == 'a') {
        *flt_put_a(out, v, prec, caps, alt) = 0;
        return;
    }
    char spec[8], *p = spec;
    *p++ = '%';
    if (alt)
        *p++ = '#';
    *p++ = '.';
    *p++ = '*';
    *p++ = (char)(caps ? type - ('a' - 'A') : type);
    *p = 0;
    snprintf(out, FLT_BUF_SIZE - 1, spec, prec, v);
    char *e = strpbrk(out, "eE");
    if (three_digits && e && strlen(e + 2) == 2) { /* e+dd -> e+0dd */
        memmove(e + 3, e + 2, 3);
        e[2] = '0';
    }
}

/* ---------------------------------------------------------------------------------------------
 * The engine.
 */
enum { ST_NORMAL, ST_PERCENT, ST_FLAG, ST_WIDTH, ST_DOT, ST_PRECIS, ST_SIZE, ST_TYPE };
enum { CH_OTHER, CH_PERCENT, CH_DOT, CH_STAR, CH_ZERO, CH_DIGIT, CH_FLAG, CH_SIZE, CH_TYPE };

/* next state = fmt_next[class][state]; msvcrt's table, by character class */
static const uint8_t fmt_next[9][8] = {
    /*              NORMAL     PERCENT    FLAG       WIDTH      DOT        PRECIS     SIZE       TYPE */
    [CH_OTHER]   = {ST_NORMAL, ST_NORMAL, ST_NORMAL, ST_NORMAL, ST_NORMAL, ST_NORMAL, ST_NORMAL, ST_NORMAL},
    [CH_PERCENT] = {ST_PERCENT, ST_NORMAL, ST_NORMAL, ST_NORMAL, ST_NORMAL, ST_NORMAL, ST_NORMAL, ST_PERCENT},
    [CH_DOT]     = {ST_NORMAL, ST_DOT, ST_DOT, ST_DOT, ST_NORMAL, ST_NORMAL, ST_NORMAL, ST_NORMAL},
    [CH_STAR]    = {ST_NORMAL, ST_WIDTH, ST_WIDTH, ST_NORMAL, ST_PRECIS, ST_NORMAL, ST_NORMAL, ST_NORMAL},
    [CH_ZERO]    = {ST_NORMAL, ST_FLAG, ST_FLAG, ST_WIDTH, ST_PRECIS, ST_PRECIS, ST_NORMAL, ST_NORMAL},
    [CH_DIGIT]   = {ST_NORMAL, ST_WIDTH, ST_WIDTH, ST_WIDTH, ST_PRECIS, ST_PRECIS, ST_NORMAL, ST_NORMAL},
    [CH_FLAG]    = {ST_NORMAL, ST_FLAG, ST_FLAG, ST_NORMAL, ST_NORMAL, ST_NORMAL, ST_NORMAL, ST_NORMAL},
    [CH_SIZE]    = {ST_NORMAL, ST_SIZE, ST_SIZE, ST_SIZE, ST_SIZE, ST_SIZE, ST_SIZE, ST_NORMAL},
    [CH_TYPE]    = {ST_NORMAL, ST_TYPE, ST_TYPE, ST_TYPE, ST_TYPE, ST_TYPE, ST_TYPE, ST_NORMAL},
};

static int fmt_class(uint32_t c, bool ucrt)
{
    if (c < ' ' || c > 'z')
        return CH_OTHER;
    switch (c) {
    case '%': return CH_PERCENT;
    case '.': return CH_DOT;
    case '*': return CH_STAR;
    case '0': return CH_ZERO;
    case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
        return CH_DIGIT;
    case ' ': case '+': case '-': case '#':
        return CH_FLAG;
    case 'h': case 'l': case 'L': case 'N': case 'F': case 'w': case 'I':
        return CH_SIZE;
    case 'A': case 'C': case 'E': case 'G': case 'S': case 'X': case 'Z': case 'a': case 'c':
    case 'd': case 'e': case 'f': case 'g': case 'i': case 'n': case 'o': case 'p': case 's':
    case 'u': case 'x':
        return CH_TYPE;
    case 'j': case 't': case 'z': /* C99 sizes: the UCRT's */
        return ucrt ? CH_SIZE : CH_OTHER;
    case 'T':
        return ucrt ? CH_SIZE : CH_OTHER;
    case 'y':
        return CH_OTHER;
    default:
        return CH_OTHER;
    }
}

#define FL_SIGN       0x0001 /* '+' */
#define FL_SIGNSP     0x0002 /* ' ' */
#define FL_LEFT       0x0004 /* '-' */
#define FL_LEADZERO   0x0008 /* '0' */
#define FL_LONG       0x0010 /* l */
#define FL_SHORT      0x0020 /* h */
#define FL_SIGNED     0x0040
#define FL_ALTERNATE  0x0080 /* '#' */
#define FL_NEGATIVE   0x0100
#define FL_FORCEOCTAL 0x0200
#define FL_WIDECHAR   0x0800 /* w */
#define FL_LONGLONG   0x1000 /* ll */
#define FL_I64        0x8000 /* I64, I, %p; the UCRT's z, j, t */
#define FL_CHAR       0x10000 /* the UCRT's hh */
#define FL_NATURAL    0x20000 /* the UCRT's T: %Ts is the function's own width */

#define INT_BUF_SIZE (FLT_MAX_PRECISION + 8)

/* a counted string: ANSI_STRING / UNICODE_STRING, for %Z */
typedef struct fmt_counted {
    uint16_t length;  /* in bytes */
    uint16_t maximum;
    uint32_t pad;
    void *buffer;     /* 0x08 */
} fmt_counted;

static uint32_t fmt_at(const void *fmt, bool wide, size_t i)
{
    return wide ? ((const WCHAR *)fmt)[i] : ((const unsigned char *)fmt)[i];
}

/* Number of UTF-8 characters in at most `max` characters of s (a malformed byte counts as
 * one), and their byte length in *bytes. */
static int fmt_mb_chars(const char *s, int max, size_t *bytes)
{
    size_t i = 0;
    int n = 0;
    while (n < max && s[i]) {
        uint32_t cp;
        size_t avail = strnlen(s + i, 4);
        int k = crt_utf8_decode(s + i, avail, &cp);
        i += k > 0 ? (size_t)k : 1;
        n++;
    }
    *bytes = i;
    return n;
}

/* One conversion (the TYPE state): reads its argument, builds the text and writes it with the
 * padding, sign and prefix. false when the call must stop with -1 (%n). */
static bool fmt_convert(fmt_state *st, uint32_t ch, int flags, int width, int precision,
                        __builtin_ms_va_list *ap)
{
    const bool wide = st->wide;
    char buf[FLT_BUF_SIZE > INT_BUF_SIZE ? FLT_BUF_SIZE : INT_BUF_SIZE];
    enum { TX_ASCII, TX_MB, TX_WIDE } kind = TX_ASCII;
    const char *text = buf;      /* TX_ASCII, TX_MB */
    const WCHAR *wtext = NULL;   /* TX_WIDE */
    WCHAR wbuf[1];
    int textlen = 0;             /* in the argument's characters (for padding) */
    size_t textbytes = 0;        /* TX_MB: bytes to write */
    char prefix[2];
    int prefixlen = 0;
    bool no_output = false;

    /* The UCRT's ISO mode: in a wide function %s and %c are narrow, %S and %C wide. */
    if (st->ucrt && wide && !(st->ucrt->options & CRT_PRINTF_LEGACY_WIDE_SPECIFIERS) &&
        !(flags & (FL_SHORT | FL_LONG | FL_WIDECHAR | FL_NATURAL))) {
        if (ch == 's' || ch == 'c')
            flags |= FL_SHORT;
        else if (ch == 'S' || ch == 'C')
            flags |= FL_LONG;
    }

    switch (ch) {
    case 'C':
        if (!(flags & (FL_SHORT | FL_LONG | FL_WIDECHAR)))
            flags |= wide ? FL_SHORT : FL_WIDECHAR;
        /* fall through */
    case 'c': {
        bool wide_arg = wide ? !(flags & FL_SHORT) : (flags & (FL_LONG | FL_WIDECHAR));
        int v = __builtin_va_arg(*ap, int);
        if (wide_arg) {
            WCHAR wc = (WCHAR)v;
            if (wide) {
                wbuf[0] = wc;
                wtext = wbuf;
                kind = TX_WIDE;
                textlen = 1;
            } else if (wc >= 0xD800 && wc <= 0xDFFF) {
                no_output = true; /* wctomb fails: nothing is printed */
            } else {
                textbytes = (size_t)crt_utf8_encode(wc, buf);
                kind = TX_MB;
                textlen = (int)textbytes;
            }
        } else {
            buf[0] = (char)v;
            textbytes = 1;
            textlen = 1;
            kind = TX_MB;
            if (wide && (unsigned char)buf[0] >= 0x80)
                no_output = true; /* a lone UTF-8 byte does not convert */
        }
        break;
    }
    case 'Z': {
        const fmt_counted *cs = __builtin_va_arg(*ap, const fmt_counted *);
        if (!cs || !cs->buffer) {
            text = "(null)";
            textbytes = 6;
            textlen = 6;
            kind = TX_MB;
        } else if (flags & FL_WIDECHAR) {
            wtext = cs->buffer;
            textlen = cs->length / 2;
            kind = TX_WIDE;
        } else {
            text = cs->buffer;
            textbytes = cs->length;
            textlen = cs->length;
            kind = TX_MB;
        }
        break;
    }
    case 'S':
        if (!(flags & (FL_SHORT | FL_LONG | FL_WIDECHAR)))
            flags |= wide ? FL_SHORT : FL_WIDECHAR;
        /* fall through */
    case 's': {
        bool wide_arg = wide ? !(flags & FL_SHORT) : (flags & (FL_LONG | FL_WIDECHAR));
        int max = precision < 0 ? INT_MAX : precision;
        void *arg = __builtin_va_arg(*ap, void *);
        if (wide_arg) {
            static const WCHAR wnull[] = {'(', 'n', 'u', 'l', 'l', ')', 0};
            wtext = arg ? arg : wnull;
            while (textlen < max && wtext[textlen])
                textlen++;
            kind = TX_WIDE;
        } else {
            text = arg ? arg : "(null)";
            kind = TX_MB;
            if (wide) {
                textlen = fmt_mb_chars(text, max, &textbytes);
            } else {
                while (textlen < max && text[textlen])
                    textlen++;
                textbytes = (size_t)textlen;
            }
        }
        break;
    }
    case 'n': {
        /* %n stores the count through a pointer: refused, as msvcrt does when the count
         * output is disabled (invalid parameter: EINVAL, -1); the UCRT stores it once
         * _set_printf_count_output enabled it. */
        void *p = __builtin_va_arg(*ap, void *);
        if (st->ucrt && st->ucrt->count_output && p) {
            if (flags & FL_CHAR)
                *(signed char *)p = (signed char)st->count;
            else if (flags & FL_SHORT)
                *(short *)p = (short)st->count;
            else if (flags & (FL_I64 | FL_LONGLONG))
                *(int64_t *)p = st->count;
            else
                *(int32_t *)p = st->count;
            no_output = true;
            break;
        }
        if (st->ucrt)
            st->ucrt->invalid = true;
        crt_set_errno(CRT_EINVAL);
        return false;
    }
    case 'E': case 'G': case 'A': case 'e': case 'f': case 'g': case 'a': case 'F': {
        bool caps = ch == 'E' || ch == 'G' || ch == 'A' || ch == 'F';
        char type = (char)(caps ? ch + ('a' - 'A') : ch);
        flags |= FL_SIGNED;
        if (precision < 0)
            precision = type == 'a' ? 13 : 6;
        else if (precision == 0 && type == 'g')
            precision = 1;
        else if (precision > FLT_MAX_PRECISION)
            precision = FLT_MAX_PRECISION;
        double v = __builtin_va_arg(*ap, double);
        if (st->ucrt && !((st->ucrt->options & CRT_PRINTF_LEGACY_MSVCRT_COMPATIBILITY) &&
                          __builtin_isfinite(v) == 0))
            flt_format_ucrt(buf, v, type, precision, caps, flags & FL_ALTERNATE,
                            st->ucrt->options & CRT_PRINTF_LEGACY_THREE_DIGIT_EXPONENTS);
        else
            flt_format(buf, v, type, precision, caps, flags & FL_ALTERNATE);
        { /* the locale's decimal point */
            char dp = crt_locale_arg(st->ucrt ? st->ucrt->locale : fmt_locale)->decimal;
            char *pt = dp != '.' ? strchr(buf, '.') : NULL;
            if (pt)
                *pt = dp;
        }
        if (buf[0] == '-') {
            flags |= FL_NEGATIVE;
            text = buf + 1;
        }
        textlen = (int)strlen(text);
        break;
    }
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': case 'p': {
        unsigned radix = 10;
        const char *digits = "0123456789abcdef";
        if (ch == 'd' || ch == 'i')
            flags |= FL_SIGNED;
        if (ch == 'p') {
            precision = 16;
            flags |= FL_I64;
        }
        if (ch == 'x' || ch == 'X' || ch == 'p') {
            radix = 16;
            if (ch != 'x')
                digits = "0123456789ABCDEF";
            if (flags & FL_ALTERNATE) {
                prefix[0] = '0';
                prefix[1] = ch == 'x' ? 'x' : 'X';
                prefixlen = 2;
            }
        } else if (ch == 'o') {
            radix = 8;
            if (flags & FL_ALTERNATE)
                flags |= FL_FORCEOCTAL;
        }

        int64_t l;
        if (flags & (FL_I64 | FL_LONGLONG))
            l = __builtin_va_arg(*ap, int64_t);
        else if (flags & FL_CHAR)
            l = (flags & FL_SIGNED) ? (int64_t)(signed char)__builtin_va_arg(*ap, int)
                                    : (int64_t)(unsigned char)__builtin_va_arg(*ap, int);
        else if (flags & FL_SHORT)
            l = (flags & FL_SIGNED) ? (int64_t)(short)__builtin_va_arg(*ap, int)
                                    : (int64_t)(unsigned short)__builtin_va_arg(*ap, int);
        else
            l = (flags & FL_SIGNED) ? (int64_t)__builtin_va_arg(*ap, int)
                                    : (int64_t)__builtin_va_arg(*ap, unsigned int);
        uint64_t number;
        if ((flags & FL_SIGNED) && l < 0) {
            number = 0 - (uint64_t)l;
            flags |= FL_NEGATIVE;
        } else {
            number = (uint64_t)l;
        }
        if (!(flags & (FL_I64 | FL_LONGLONG)))
            number &= 0xFFFFFFFFu;
        if (precision < 0) {
            precision = 1;
        } else {
            flags &= ~FL_LEADZERO;
            if (precision > FLT_MAX_PRECISION)
                precision = FLT_MAX_PRECISION;
        }
        if (!number)
            prefixlen = 0;
        char *end = buf + INT_BUF_SIZE, *q = end;
        while (precision-- > 0 || number) {
            *--q = digits[number % radix];
            number /= radix;
        }
        if ((flags & FL_FORCEOCTAL) && (q == end || *q != '0'))
            *--q = '0';
        text = q;
        textlen = (int)(end - q);
        break;
    }
    }

    if (!no_output) {
        if (flags & FL_SIGNED) {
            if (flags & FL_NEGATIVE) {
                prefix[0] = '-';
                prefixlen = 1;
            } else if (flags & FL_SIGN) {
                prefix[0] = '+';
                prefixlen = 1;
            } else if (flags & FL_SIGNSP) {
                prefix[0] = ' ';
                prefixlen = 1;
            }
        }
        int padding = width - textlen - prefixlen;
        if (!(flags & (FL_LEFT | FL_LEADZERO)))
            fmt_fill(st, ' ', padding);
        fmt_bytes(st, prefix, (size_t)prefixlen);
        if ((flags & FL_LEADZERO) && !(flags & FL_LEFT))
            fmt_fill(st, '0', padding);
        if (kind == TX_WIDE)
            fmt_wide_text(st, wtext, (size_t)textlen);
        else if (kind == TX_MB)
            fmt_mb_text(st, text, textbytes);
        else
            fmt_bytes(st, text, (size_t)textlen);
        if (flags & FL_LEFT)
            fmt_fill(st, ' ', padding);
    }
    return true;
}

/* ---------------------------------------------------------------------------------------------
 * Positional parameters (the UCRT's and msvcrt's _p functions): "%2$s %1$d". The first conversion decides:
 * with an n$ every conversion and every '*' must name its argument (n from 1 to 100), and
 * every argument from 1 to the highest named must be used; anything else fails as an invalid
 * parameter (EINVAL, -1). An argument may be used more than once. A first pass over the
 * format checks this and writes nothing; the second formats, taking argument n from the n-th
 * 8-byte slot of the x64 variadic area (every argument printf takes, double included, fills
 * exactly one slot, so no type is needed to find it). Types are not checked across uses of
 * one argument, as the UCRT does.
 */
static int fmt_invalid(fmt_state *st)
{
    if (st->ucrt)
        st->ucrt->invalid = true;
    crt_set_errno(CRT_EINVAL);
    st->count = -1;
    return -1;
}

/* The n of an "n$" at fmt[*i], moving *i past the '$': n, 0 when n is out of range, -1 when
 * there is no "n$" there (*i unchanged). */
static int fmt_position(const void *fmt, bool wide, size_t *i)
{
    size_t k = *i;
    unsigned n = 0;
    uint32_t c;
    while ((c = fmt_at(fmt, wide, k)) >= '0' && c <= '9') {
        if (n <= FMT_ARGMAX)
            n = n * 10 + (c - '0');
        k++;
    }
    if (k == *i || c != '$')
        return -1;
    *i = k + 1;
    return n >= 1 && n <= FMT_ARGMAX ? (int)n : 0;
}

static void fmt_use(fmt_state *st, int n)
{
    st->used[n] = 1;
    if (n > st->maxpos)
        st->maxpos = n;
}

/* A '*' width or precision: the next variadic int, or the one its n$ names. */
static bool fmt_star(fmt_state *st, const void *fmt, size_t *i, __builtin_ms_va_list *ap,
                     int *value)
{
    if (st->pos != POS_ON) {
        *value = __builtin_va_arg(*ap, int);
        return true;
    }
    int n = fmt_position(fmt, st->wide, i);
    if (n <= 0)
        return false;
    fmt_use(st, n);
    *value = st->scan ? 0 : *(const int *)(st->base + 8 * (n - 1));
    return true;
}

static bool fmt_convert(fmt_state *st, uint32_t ch, int flags, int width, int precision,
                        __builtin_ms_va_list *ap);

/* A conversion, with its argument at position argpos in positional mode. */
static bool fmt_convert_at(fmt_state *st, uint32_t ch, int flags, int width, int precision,
                           __builtin_ms_va_list *ap, int argpos)
{
    if (st->pos != POS_ON)
        return fmt_convert(st, ch, flags, width, precision, ap);
    fmt_use(st, argpos);
    if (st->scan)
        return true;
    __builtin_ms_va_list at = st->base + 8 * (argpos - 1);
    return fmt_convert(st, ch, flags, width, precision, &at);
}

static int fmt_engine(fmt_state *st, const void *fmt, __builtin_ms_va_list *ap)
{
    const bool wide = st->wide;
    int state = ST_NORMAL;
    int flags = 0, width = 0, precision = -1, argpos = 0;
    size_t i = 0;
    uint32_t ch;

    while ((ch = fmt_at(fmt, wide, i++)) != 0 && st->count >= 0) {
        int cls = fmt_class(ch, st->ucrt != NULL);
        state = fmt_next[cls][state];
        switch (state) {
        case ST_NORMAL:
        normal_state: {
            /* a run of ordinary text in one write */
            size_t start = i - 1;
            while (fmt_at(fmt, wide, i) != 0 && fmt_at(fmt, wide, i) != '%')
                i++;
            if (wide)
                fmt_units(st, (const WCHAR *)fmt + start, i - start);
            else
                fmt_bytes(st, (const char *)fmt + start, i - start);
            break;
        }
        case ST_PERCENT:
            flags = 0;
            width = 0;
            precision = -1;
            if (st->positional && fmt_at(fmt, wide, i) != '%' &&
                st->pos != POS_OFF) {
                int n = fmt_position(fmt, wide, &i);
                if (st->pos == POS_UNKNOWN)
                    st->pos = n < 0 ? POS_OFF : POS_ON;
                if (st->pos == POS_OFF && st->scan)
                    return 0; /* nothing to check */
                if (n <= 0)
                    return fmt_invalid(st);
                argpos = n;
            }
            break;
        case ST_FLAG:
            switch (ch) {
            case '-': flags |= FL_LEFT; break;
            case '+': flags |= FL_SIGN; break;
            case ' ': flags |= FL_SIGNSP; break;
            case '#': flags |= FL_ALTERNATE; break;
            case '0': flags |= FL_LEADZERO; break;
            }
            break;
        case ST_WIDTH:
            if (ch == '*') {
                if (!fmt_star(st, fmt, &i, ap, &width))
                    return fmt_invalid(st);
                if (width < 0) {
                    flags |= FL_LEFT;
                    width = (int)(0u - (unsigned)width);
                }
            } else { /* wraps like msvcrt's int arithmetic, without C's overflow */
                width = (int)((unsigned)width * 10u + (ch - '0'));
            }
            break;
        case ST_DOT:
            precision = 0;
            break;
        case ST_PRECIS:
            if (ch == '*') {
                if (!fmt_star(st, fmt, &i, ap, &precision))
                    return fmt_invalid(st);
                if (precision < 0)
                    precision = -1;
            } else {
                precision = (int)((unsigned)precision * 10u + (ch - '0'));
            }
            break;
        case ST_SIZE:
            switch (ch) {
            case 'l':
                if (fmt_at(fmt, wide, i) == 'l') {
                    i++;
                    flags |= FL_LONGLONG;
                } else {
                    flags |= FL_LONG;
                }
                break;
            case 'I': {
                uint32_t c1 = fmt_at(fmt, wide, i), c2 = c1 ? fmt_at(fmt, wide, i + 1) : 0;
                flags |= FL_I64; /* pointer sized */
                if (c1 == '6' && c2 == '4') {
                    i += 2;
                } else if (c1 == '3' && c2 == '2') {
                    i += 2;
                    flags &= ~FL_I64;
                } else if (!(c1 == 'd' || c1 == 'i' || c1 == 'o' || c1 == 'u' || c1 == 'x' ||
                             c1 == 'X')) {
                    state = ST_NORMAL; /* not a size after all: 'I' is text */
                    goto normal_state;
                }
                break;
            }
            case 'h':
                if (st->ucrt && fmt_at(fmt, wide, i) == 'h') {
                    i++;
                    flags |= FL_CHAR;
                } else {
                    flags |= FL_SHORT;
                }
                break;
            case 'w': flags |= FL_WIDECHAR; break;
            case 'j': case 't': case 'z': flags |= FL_I64; break;
            case 'T': flags |= FL_NATURAL; break;
            case 'F':
                /* the UCRT's %F conversion; msvcrt's (and the legacy mode's) far-pointer size */
                if (st->ucrt && !(st->ucrt->options & CRT_PRINTF_LEGACY_MSVCRT_COMPATIBILITY)) {
                    state = ST_TYPE;
                    if (!fmt_convert_at(st, ch, flags, width, precision, ap, argpos))
                        return -1;
                }
                break;
            default: break; /* L, F, N: no effect (long double is double) */
            }
            break;
        case ST_TYPE:
            if (!fmt_convert_at(st, ch, flags, width, precision, ap, argpos))
                return -1;
            break;
        }
    }
    return st->count;
}

/* The engine over a format; the _p functions' positional check first. */
static int fmt_run(fmt_state *st, const void *fmt, __builtin_ms_va_list *ap)
{
    st->positional = st->ucrt ? st->ucrt->positional : fmt_positional;
    if (st->positional) {
        st->base = *ap;
        st->scan = true;
        if (fmt_engine(st, fmt, ap) < 0)
            return -1;
        st->scan = false;
        if (st->pos == POS_ON)
            for (int n = 1; n <= st->maxpos; n++)
                if (!st->used[n])
                    return fmt_invalid(st);
        st->count = 0;
    }
    return fmt_engine(st, fmt, ap);
}

static int fmt_narrow(const crt_out *out, const char *fmt, crt_fmt_mode *mode,
                      __builtin_ms_va_list ap)
{
    fmt_state st = {.out = out, .wide = false, .ucrt = mode};
    if (!fmt) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    return fmt_run(&st, fmt, &ap);
}

static int fmt_wide(const crt_wout *out, const WCHAR *fmt, crt_fmt_mode *mode,
                    __builtin_ms_va_list ap)
{
    fmt_state st = {.wout = out, .wide = true, .ucrt = mode};
    if (!fmt) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    return fmt_run(&st, fmt, &ap);
}

int crt_vformat_ucrt(const crt_out *out, const char *fmt, crt_fmt_mode *mode,
                     __builtin_ms_va_list ap)
{
    return fmt_narrow(out, fmt, mode, ap);
}

int crt_vwformat_ucrt(const crt_wout *out, const WCHAR *fmt, crt_fmt_mode *mode,
                      __builtin_ms_va_list ap)
{
    return fmt_wide(out, fmt, mode, ap);
}

int crt_vformat(const crt_out *out, const char *fmt, __builtin_ms_va_list ap)
{
    fmt_state st = {.out = out, .wide = false};
    if (!fmt) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    return fmt_run(&st, fmt, &ap);
}

int crt_vwformat(const crt_wout *out, const WCHAR *fmt, __builtin_ms_va_list ap)
{
    fmt_state st = {.wout = out, .wide = true};
    if (!fmt) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    return fmt_run(&st, fmt, &ap);
}

/* ---------------------------------------------------------------------------------------------
 * Destinations.
 */

/* A memory buffer of `cap` characters (SIZE_MAX: unbounded); writes past the end are cut and
 * reported short, which ends the call with -1 as msvcrt's string FILE does. buf NULL: count. */
typedef struct fmt_mem {
    void *buf;
    size_t cap, len;
} fmt_mem;

static size_t fmt_mem_write(void *ctx, const char *s, size_t n)
{
    fmt_mem *m = ctx;
    if (!m->buf)
        return n;
    size_t room = m->cap - m->len, k = n < room ? n : room;
    memcpy((char *)m->buf + m->len, s, k);
    m->len += k;
    return k;
}

static size_t fmt_wmem_write(void *ctx, const WCHAR *s, size_t n)
{
    fmt_mem *m = ctx;
    if (!m->buf)
        return n;
    size_t room = m->cap - m->len, k = n < room ? n : room;
    memcpy((WCHAR *)m->buf + m->len, s, k * sizeof(WCHAR));
    m->len += k;
    return k;
}

/* Formats into buf (at most cap characters) and, as msvcrt's string FILE does, puts the NUL
 * where the output stopped when there is room for it (also after a failed conversion). */
static int fmt_to_mem(char *buf, size_t cap, const char *fmt, __builtin_ms_va_list ap)
{
    fmt_mem m = {buf, cap, 0};
    crt_out out = {fmt_mem_write, &m};
    int r = crt_vformat(&out, fmt, ap);
    if (buf && m.len < cap)
        buf[m.len] = 0;
    return r;
}

static int fmt_to_wmem(WCHAR *buf, size_t cap, const WCHAR *fmt, __builtin_ms_va_list ap)
{
    fmt_mem m = {buf, cap, 0};
    crt_wout out = {fmt_wmem_write, &m};
    int r = crt_vwformat(&out, fmt, ap);
    if (buf && m.len < cap)
        buf[m.len] = 0;
    return r;
}

/* A FILE: text is gathered in a small buffer and handed to crt_stream_write in chunks. */
typedef struct fmt_file {
    crt_FILE *f;
    bool text;     /* wide output: text mode converts to UTF-8, binary mode writes UTF-16LE */
    bool failed;
    WCHAR high;    /* wide text mode: a high surrogate waiting for its pair */
    size_t n;
    char buf[512];
} fmt_file;

static bool fmt_file_flush(fmt_file *ff)
{
    if (ff->n && !ff->failed && crt_stream_write(ff->f, ff->buf, ff->n) < ff->n)
        ff->failed = true;
    ff->n = 0;
    return !ff->failed;
}

static bool fmt_file_put(fmt_file *ff, const char *s, size_t n)
{
    while (n && !ff->failed) {
        size_t k = sizeof ff->buf - ff->n;
        if (k > n)
            k = n;
        memcpy(ff->buf + ff->n, s, k);
        ff->n += k;
        s += k;
        n -= k;
        if (ff->n == sizeof ff->buf)
            fmt_file_flush(ff);
    }
    return !ff->failed;
}

static size_t fmt_file_write(void *ctx, const char *s, size_t n)
{
    return fmt_file_put(ctx, s, n) ? n : 0;
}

static size_t fmt_file_wwrite(void *ctx, const WCHAR *s, size_t n)
{
    fmt_file *ff = ctx;
    for (size_t i = 0; i < n; i++) {
        WCHAR c = s[i];
        char mb[4];
        int k;
        if (!ff->text) {
            mb[0] = (char)(c & 0xFF);
            mb[1] = (char)(c >> 8);
            k = 2;
        } else if (ff->high) {
            if (c < 0xDC00 || c > 0xDFFF)
                return 0; /* an unpaired surrogate does not convert */
            k = crt_utf8_encode(0x10000 + ((uint32_t)(ff->high - 0xD800) << 10) + (c - 0xDC00), mb);
            ff->high = 0;
        } else if (c >= 0xD800 && c <= 0xDBFF) {
            ff->high = c;
            continue;
        } else if (c >= 0xDC00 && c <= 0xDFFF) {
            return 0;
        } else {
            k = crt_utf8_encode(c, mb);
        }
        if (!fmt_file_put(ff, mb, (size_t)k))
            return 0;
    }
    return n;
}

/* The stream stays locked for the whole call, so that other threads' output does not land in
 * the middle of it. */
static int fmt_to_file_mode(crt_FILE *f, const char *fmt, crt_fmt_mode *mode,
                            __builtin_ms_va_list ap)
{
    fmt_file ff = {.f = f};
    crt_out out = {fmt_file_write, &ff};
    crt_stream_lock(f);
    int r = fmt_narrow(&out, fmt, mode, ap);
    if (!fmt_file_flush(&ff))
        r = -1;
    crt_stream_unlock(f);
    return r;
}

static int fmt_to_wfile_mode(crt_FILE *f, const WCHAR *fmt, crt_fmt_mode *mode,
                             __builtin_ms_va_list ap)
{
    fmt_file ff = {.f = f, .text = crt_fd_is_text(f->_file) != 0};
    crt_wout out = {fmt_file_wwrite, &ff};
    crt_stream_lock(f);
    int r = fmt_wide(&out, fmt, mode, ap);
    if (ff.high)
        r = -1; /* the text ended in the middle of a pair */
    if (!fmt_file_flush(&ff))
        r = -1;
    crt_stream_unlock(f);
    return r;
}

static int fmt_to_file(crt_FILE *f, const char *fmt, __builtin_ms_va_list ap)
{
    return fmt_to_file_mode(f, fmt, NULL, ap);
}

static int fmt_to_wfile(crt_FILE *f, const WCHAR *fmt, __builtin_ms_va_list ap)
{
    return fmt_to_wfile_mode(f, fmt, NULL, ap);
}

int crt_format_stream(crt_FILE *f, const void *fmt, bool wide, crt_fmt_mode *mode,
                      __builtin_ms_va_list ap)
{
    return wide ? fmt_to_wfile_mode(f, fmt, mode, ap) : fmt_to_file_mode(f, fmt, mode, ap);
}

/* The UCRT's string destination: the first `cap` characters land in the buffer, the count
 * goes on past its end (the callers decide about the terminator and the result). */
static size_t fmt_count_write(void *ctx, const char *s, size_t n)
{
    fmt_mem *m = ctx;
    size_t room = m->len < m->cap ? m->cap - m->len : 0, k = n < room ? n : room;
    if (m->buf && k)
        memcpy((char *)m->buf + m->len, s, k);
    m->len += n;
    return n;
}

static size_t fmt_wcount_write(void *ctx, const WCHAR *s, size_t n)
{
    fmt_mem *m = ctx;
    size_t room = m->len < m->cap ? m->cap - m->len : 0, k = n < room ? n : room;
    if (m->buf && k)
        memcpy((WCHAR *)m->buf + m->len, s, k * sizeof(WCHAR));
    m->len += n;
    return n;
}

int crt_format_buffer(void *buf, size_t cap, const void *fmt, bool wide, crt_fmt_mode *mode,
                      __builtin_ms_va_list ap)
{
    fmt_mem m = {buf, buf ? cap : 0, 0};
    if (wide) {
        crt_wout out = {fmt_wcount_write, &m};
        return fmt_wide(&out, fmt, mode, ap);
    }
    crt_out out = {fmt_count_write, &m};
    return fmt_narrow(&out, fmt, mode, ap);
}

int crt_format_console(const void *fmt, bool wide, crt_fmt_mode *mode, __builtin_ms_va_list ap)
{
    crt_conio_sink k = {false};
    crt_conio_lock();
    int r;
    if (wide) {
        crt_wout out = crt_conio_wout(&k);
        r = fmt_wide(&out, fmt, mode, ap);
    } else {
        crt_out out = crt_conio_out(&k);
        r = fmt_narrow(&out, fmt, mode, ap);
    }
    crt_conio_unlock();
    return k.failed ? -1 : r;
}

static crt_FILE *fmt_stream(void *f)
{
    crt_FILE *s = f ? crt_stream_check(f) : NULL;
    if (!s)
        crt_set_errno(CRT_EINVAL);
    return s;
}

/* ---------------------------------------------------------------------------------------------
 * Exports: narrow.
 */
static int WINAPI msvcrt_vfprintf(void *f, const char *fmt, __builtin_ms_va_list ap)
{
    crt_FILE *s = fmt_stream(f);
    if (!s || !fmt) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    return fmt_to_file(s, fmt, ap);
}
THK_EXPORT_AS(msvcrt, vfprintf, msvcrt_vfprintf, 3);
THK_EXPORT_AS(msvcrt, vfprintf_s, msvcrt_vfprintf, 3);

static int WINAPI msvcrt_fprintf(void *f, const char *fmt, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, fmt);
    int r = msvcrt_vfprintf(f, fmt, ap);
    __builtin_ms_va_end(ap);
    return r;
}
THK_EXPORT_AS(msvcrt, fprintf, msvcrt_fprintf, THK_VARIADIC);
THK_EXPORT_AS(msvcrt, fprintf_s, msvcrt_fprintf, THK_VARIADIC);

static int WINAPI msvcrt_vprintf(const char *fmt, __builtin_ms_va_list ap)
{
    return msvcrt_vfprintf(&crt_iob[1], fmt, ap);
}
THK_EXPORT_AS(msvcrt, vprintf, msvcrt_vprintf, 2);
THK_EXPORT_AS(msvcrt, vprintf_s, msvcrt_vprintf, 2);

static int WINAPI msvcrt_printf(const char *fmt, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, fmt);
    int r = msvcrt_vfprintf(&crt_iob[1], fmt, ap);
    __builtin_ms_va_end(ap);
    return r;
}
THK_EXPORT_AS(msvcrt, printf, msvcrt_printf, THK_VARIADIC);
THK_EXPORT_AS(msvcrt, printf_s, msvcrt_printf, THK_VARIADIC);

static int WINAPI msvcrt_vsprintf(char *buf, const char *fmt, __builtin_ms_va_list ap)
{
    if (!buf || !fmt) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    return fmt_to_mem(buf, SIZE_MAX, fmt, ap);
}
THK_EXPORT_AS(msvcrt, vsprintf, msvcrt_vsprintf, 3);

static int WINAPI msvcrt_sprintf(char *buf, const char *fmt, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, fmt);
    int r = msvcrt_vsprintf(buf, fmt, ap);
    __builtin_ms_va_end(ap);
    return r;
}
THK_EXPORT_AS(msvcrt, sprintf, msvcrt_sprintf, THK_VARIADIC);

/* _vsnprintf: at most `count` characters; the NUL only when there is room for it; -1 when the
 * text did not fit (the buffer then holds its first `count` characters). NULL with count 0
 * returns the length the text would have. */
static int WINAPI msvcrt__vsnprintf(char *buf, size_t count, const char *fmt,
                                    __builtin_ms_va_list ap)
{
    if (!fmt || (!buf && count)) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    if (count > INT_MAX)
        count = INT_MAX;
    return fmt_to_mem(buf, count, fmt, ap);
}
THK_EXPORT_AS(msvcrt, _vsnprintf, msvcrt__vsnprintf, 4);

static int WINAPI msvcrt__snprintf(char *buf, size_t count, const char *fmt, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, fmt);
    int r = msvcrt__vsnprintf(buf, count, fmt, ap);
    __builtin_ms_va_end(ap);
    return r;
}
THK_EXPORT_AS(msvcrt, _snprintf, msvcrt__snprintf, THK_VARIADIC);

static int WINAPI msvcrt__vscprintf(const char *fmt, __builtin_ms_va_list ap)
{
    return fmt_to_mem(NULL, 0, fmt, ap);
}
THK_EXPORT_AS(msvcrt, _vscprintf, msvcrt__vscprintf, 2);

static int WINAPI msvcrt__scprintf(const char *fmt, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, fmt);
    int r = fmt_to_mem(NULL, 0, fmt, ap);
    __builtin_ms_va_end(ap);
    return r;
}
THK_EXPORT_AS(msvcrt, _scprintf, msvcrt__scprintf, THK_VARIADIC);

#define CRT_TRUNCATE ((size_t)-1)

/* _vsnprintf_s: always NUL-terminated. count _TRUNCATE: as much as fits, -1 when cut; count
 * below size: at most count characters, -1 when cut; otherwise a text that does not fit empties
 * the buffer with ERANGE and -1. */
static int WINAPI msvcrt__vsnprintf_s(char *buf, size_t size, size_t count, const char *fmt,
                                      __builtin_ms_va_list ap)
{
    if (!fmt || !buf || !size) {
        if (buf && size)
            buf[0] = 0;
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    if (size > INT_MAX)
        size = INT_MAX;
    bool truncate = count == CRT_TRUNCATE || count < size;
    size_t cap = count == CRT_TRUNCATE || count >= size ? size - 1 : count;
    fmt_mem m = {buf, cap, 0};
    crt_out out = {fmt_mem_write, &m};
    int r = crt_vformat(&out, fmt, ap);
    if (r >= 0) {
        buf[r] = 0;
        return r;
    }
    if (truncate && m.len == cap) { /* cut to fit */
        buf[m.len] = 0;
        return -1;
    }
    buf[0] = 0;
    crt_set_errno(truncate ? CRT_EILSEQ : CRT_ERANGE);
    return -1;
}
THK_EXPORT_AS(msvcrt, _vsnprintf_s, msvcrt__vsnprintf_s, 5);

static int WINAPI msvcrt__snprintf_s(char *buf, size_t size, size_t count, const char *fmt, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, fmt);
    int r = msvcrt__vsnprintf_s(buf, size, count, fmt, ap);
    __builtin_ms_va_end(ap);
    return r;
}
THK_EXPORT_AS(msvcrt, _snprintf_s, msvcrt__snprintf_s, THK_VARIADIC);

/* ---------------------------------------------------------------------------------------------
 * Exports: wide.
 */
static int WINAPI msvcrt_vfwprintf(void *f, const WCHAR *fmt, __builtin_ms_va_list ap)
{
    crt_FILE *s = fmt_stream(f);
    if (!s || !fmt) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    return fmt_to_wfile(s, fmt, ap);
}
THK_EXPORT_AS(msvcrt, vfwprintf, msvcrt_vfwprintf, 3);
THK_EXPORT_AS(msvcrt, vfwprintf_s, msvcrt_vfwprintf, 3);

static int WINAPI msvcrt_fwprintf(void *f, const WCHAR *fmt, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, fmt);
    int r = msvcrt_vfwprintf(f, fmt, ap);
    __builtin_ms_va_end(ap);
    return r;
}
THK_EXPORT_AS(msvcrt, fwprintf, msvcrt_fwprintf, THK_VARIADIC);
THK_EXPORT_AS(msvcrt, fwprintf_s, msvcrt_fwprintf, THK_VARIADIC);

static int WINAPI msvcrt_vwprintf(const WCHAR *fmt, __builtin_ms_va_list ap)
{
    return msvcrt_vfwprintf(&crt_iob[1], fmt, ap);
}
THK_EXPORT_AS(msvcrt, vwprintf, msvcrt_vwprintf, 2);
THK_EXPORT_AS(msvcrt, vwprintf_s, msvcrt_vwprintf, 2);

static int WINAPI msvcrt_wprintf(const WCHAR *fmt, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, fmt);
    int r = msvcrt_vfwprintf(&crt_iob[1], fmt, ap);
    __builtin_ms_va_end(ap);
    return r;
}
THK_EXPORT_AS(msvcrt, wprintf, msvcrt_wprintf, THK_VARIADIC);
THK_EXPORT_AS(msvcrt, wprintf_s, msvcrt_wprintf, THK_VARIADIC);

/* msvcrt's swprintf and vswprintf (and _vswprintf) take no count: the old non-ISO forms. */
static int WINAPI msvcrt_vswprintf(WCHAR *buf, const WCHAR *fmt, __builtin_ms_va_list ap)
{
    if (!buf || !fmt) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    return fmt_to_wmem(buf, SIZE_MAX, fmt, ap);
}
THK_EXPORT_AS(msvcrt, vswprintf, msvcrt_vswprintf, 3);
THK_EXPORT_AS(msvcrt, _vswprintf, msvcrt_vswprintf, 3);

static int WINAPI msvcrt_swprintf(WCHAR *buf, const WCHAR *fmt, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, fmt);
    int r = msvcrt_vswprintf(buf, fmt, ap);
    __builtin_ms_va_end(ap);
    return r;
}
THK_EXPORT_AS(msvcrt, swprintf, msvcrt_swprintf, THK_VARIADIC);

static int WINAPI msvcrt__vsnwprintf(WCHAR *buf, size_t count, const WCHAR *fmt,
                                     __builtin_ms_va_list ap)
{
    if (!fmt || (!buf && count)) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    if (count > INT_MAX)
        count = INT_MAX;
    return fmt_to_wmem(buf, count, fmt, ap);
}
THK_EXPORT_AS(msvcrt, _vsnwprintf, msvcrt__vsnwprintf, 4);

static int WINAPI msvcrt__snwprintf(WCHAR *buf, size_t count, const WCHAR *fmt, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, fmt);
    int r = msvcrt__vsnwprintf(buf, count, fmt, ap);
    __builtin_ms_va_end(ap);
    return r;
}
THK_EXPORT_AS(msvcrt, _snwprintf, msvcrt__snwprintf, THK_VARIADIC);

static int WINAPI msvcrt__vscwprintf(const WCHAR *fmt, __builtin_ms_va_list ap)
{
    return fmt_to_wmem(NULL, 0, fmt, ap);
}
THK_EXPORT_AS(msvcrt, _vscwprintf, msvcrt__vscwprintf, 2);

static int WINAPI msvcrt__scwprintf(const WCHAR *fmt, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, fmt);
    int r = fmt_to_wmem(NULL, 0, fmt, ap);
    __builtin_ms_va_end(ap);
    return r;
}
THK_EXPORT_AS(msvcrt, _scwprintf, msvcrt__scwprintf, THK_VARIADIC);

static int WINAPI msvcrt__vsnwprintf_s(WCHAR *buf, size_t size, size_t count, const WCHAR *fmt,
                                       __builtin_ms_va_list ap)
{
    if (!fmt || !buf || !size) {
        if (buf && size)
            buf[0] = 0;
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    if (size > INT_MAX)
        size = INT_MAX;
    bool truncate = count == CRT_TRUNCATE || count < size;
    size_t cap = count == CRT_TRUNCATE || count >= size ? size - 1 : count;
    fmt_mem m = {buf, cap, 0};
    crt_wout out = {fmt_wmem_write, &m};
    int r = crt_vwformat(&out, fmt, ap);
    if (r >= 0) {
        buf[r] = 0;
        return r;
    }
    if (truncate && m.len == cap) {
        buf[m.len] = 0;
        return -1;
    }
    buf[0] = 0;
    crt_set_errno(truncate ? CRT_EILSEQ : CRT_ERANGE);
    return -1;
}
THK_EXPORT_AS(msvcrt, _vsnwprintf_s, msvcrt__vsnwprintf_s, 5);

static int WINAPI msvcrt__snwprintf_s(WCHAR *buf, size_t size, size_t count, const WCHAR *fmt,
                                      ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, fmt);
    int r = msvcrt__vsnwprintf_s(buf, size, count, fmt, ap);
    __builtin_ms_va_end(ap);
    return r;
}
THK_EXPORT_AS(msvcrt, _snwprintf_s, msvcrt__snwprintf_s, THK_VARIADIC);

/* vswprintf_s / swprintf_s: like _vsnwprintf_s without truncation. */
static int WINAPI msvcrt_vswprintf_s(WCHAR *buf, size_t size, const WCHAR *fmt,
                                     __builtin_ms_va_list ap)
{
    return msvcrt__vsnwprintf_s(buf, size, size, fmt, ap);
}
THK_EXPORT_AS(msvcrt, vswprintf_s, msvcrt_vswprintf_s, 4);

static int WINAPI msvcrt_swprintf_s(WCHAR *buf, size_t size, const WCHAR *fmt, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, fmt);
    int r = msvcrt__vsnwprintf_s(buf, size, size, fmt, ap);
    __builtin_ms_va_end(ap);
    return r;
}
THK_EXPORT_AS(msvcrt, swprintf_s, msvcrt_swprintf_s, THK_VARIADIC);

/* _vcprintf / _vcwprintf: to the console (crt_format_console), never to stdout. */
int WINAPI msvcrt__vcprintf(const char *fmt, __builtin_ms_va_list ap)
{
    return crt_format_console(fmt, false, NULL, ap);
}
THK_EXPORT_AS(msvcrt, _vcprintf, msvcrt__vcprintf, 2);
THK_EXPORT_AS(msvcrt, _vcprintf_s, msvcrt__vcprintf, 2);

int WINAPI msvcrt__vcwprintf(const WCHAR *fmt, __builtin_ms_va_list ap)
{
    return crt_format_console(fmt, true, NULL, ap);
}
THK_EXPORT_AS(msvcrt, _vcwprintf, msvcrt__vcwprintf, 2);
THK_EXPORT_AS(msvcrt, _vcwprintf_s, msvcrt__vcwprintf, 2);

static int WINAPI msvcrt__cprintf(const char *fmt, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, fmt);
    int r = msvcrt__vcprintf(fmt, ap);
    __builtin_ms_va_end(ap);
    return r;
}
THK_EXPORT_AS(msvcrt, _cprintf, msvcrt__cprintf, THK_VARIADIC);
THK_EXPORT_AS(msvcrt, _cprintf_s, msvcrt__cprintf, THK_VARIADIC);

static int WINAPI msvcrt__cwprintf(const WCHAR *fmt, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, fmt);
    int r = msvcrt__vcwprintf(fmt, ap);
    __builtin_ms_va_end(ap);
    return r;
}
THK_EXPORT_AS(msvcrt, _cwprintf, msvcrt__cwprintf, THK_VARIADIC);
THK_EXPORT_AS(msvcrt, _cwprintf_s, msvcrt__cwprintf, THK_VARIADIC);

/* ---------------------------------------------------------------------------------------------
 * Exports: the _l forms of msvcrt's rules (the decimal point of %e %f %g %a is their locale's)
 * and the _p forms (msvcrt's rules with the positional parameters "%2$s %1$d" as the UCRT's
 * _p functions take them, see fmt_position; the _p_l forms both). Each is its plain form
 * called with the locale (and the positional switch) set for the call on this thread.
 */
#define FMT_CALL_(positional, call)                                                          \
    do {                                                                                     \
        const void *saved_ = fmt_locale;                                                     \
        bool saved_p_ = fmt_positional;                                                      \
        fmt_locale = locale;                                                                 \
        fmt_positional = (positional);                                                       \
        int r_ = (call);                                                                     \
        fmt_locale = saved_;                                                                 \
        fmt_positional = saved_p_;                                                           \
        return r_;                                                                           \
    } while (0)
#define FMT_L(call) FMT_CALL_(false, call)
#define FMT_P(call) FMT_CALL_(true, call)
#define FMT_P0(call)                                                                         \
    do {                                                                                     \
        const void *locale = NULL;                                                           \
        FMT_CALL_(true, call);                                                               \
    } while (0)

/* A v form over another: name(params) { mode(msvcrt_callee args) } */
#define FMT_V(mode, name, nargs, callee, params, args)                                       \
    static int WINAPI msvcrt_##name params { mode(msvcrt_##callee args); }                 \
    THK_EXPORT_AS(msvcrt, name, msvcrt_##name, nargs)

/* A variadic form over its v form: name(fixed..., last, ...) */
#define FMT_VARIADIC_(name, vname, last, params, args)                                       \
    static int WINAPI msvcrt_##name params                                                   \
    {                                                                                        \
        __builtin_ms_va_list ap;                                                             \
        __builtin_ms_va_start(ap, last);                                                     \
        int r = msvcrt_##vname args;                                                         \
        __builtin_ms_va_end(ap);                                                             \
        return r;                                                                            \
    }                                                                                        \
    THK_EXPORT_AS(msvcrt, name, msvcrt_##name, THK_VARIADIC)
#define FMT_VARIADIC_L(name, vname, params, args) FMT_VARIADIC_(name, vname, locale, params, args)
#define FMT_VARIADIC(name, vname, params, args) FMT_VARIADIC_(name, vname, fmt, params, args)

typedef const char *fmt_cstr;
typedef const WCHAR *fmt_wstr;
typedef __builtin_ms_va_list fmt_va;

/* narrow, _l */
FMT_V(FMT_L, _vfprintf_l, 4, vfprintf, (void *f, fmt_cstr fmt, void *locale, fmt_va ap), (f, fmt, ap));
THK_EXPORT_AS(msvcrt, _vfprintf_s_l, msvcrt__vfprintf_l, 4);
FMT_V(FMT_L, _vprintf_l, 3, vprintf, (fmt_cstr fmt, void *locale, fmt_va ap), (fmt, ap));
THK_EXPORT_AS(msvcrt, _vprintf_s_l, msvcrt__vprintf_l, 3);
FMT_V(FMT_L, _vsprintf_l, 4, vsprintf, (char *buf, fmt_cstr fmt, void *locale, fmt_va ap),
      (buf, fmt, ap));
FMT_V(FMT_L, _vsnprintf_l, 5, _vsnprintf,
      (char *buf, size_t count, fmt_cstr fmt, void *locale, fmt_va ap), (buf, count, fmt, ap));
FMT_V(FMT_L, _vscprintf_l, 3, _vscprintf, (fmt_cstr fmt, void *locale, fmt_va ap), (fmt, ap));
FMT_V(FMT_L, _vsnprintf_s_l, 6, _vsnprintf_s,
      (char *buf, size_t size, size_t count, fmt_cstr fmt, void *locale, fmt_va ap),
      (buf, size, count, fmt, ap));

FMT_VARIADIC_L(_fprintf_l, _vfprintf_l, (void *f, fmt_cstr fmt, void *locale, ...),
               (f, fmt, locale, ap));
THK_EXPORT_AS(msvcrt, _fprintf_s_l, msvcrt__fprintf_l, THK_VARIADIC);
FMT_VARIADIC_L(_printf_l, _vprintf_l, (fmt_cstr fmt, void *locale, ...), (fmt, locale, ap));
THK_EXPORT_AS(msvcrt, _printf_s_l, msvcrt__printf_l, THK_VARIADIC);
FMT_VARIADIC_L(_sprintf_l, _vsprintf_l, (char *buf, fmt_cstr fmt, void *locale, ...),
               (buf, fmt, locale, ap));
FMT_VARIADIC_L(_snprintf_l, _vsnprintf_l,
               (char *buf, size_t count, fmt_cstr fmt, void *locale, ...),
               (buf, count, fmt, locale, ap));
FMT_VARIADIC_L(_scprintf_l, _vscprintf_l, (fmt_cstr fmt, void *locale, ...), (fmt, locale, ap));
FMT_VARIADIC_L(_snprintf_s_l, _vsnprintf_s_l,
               (char *buf, size_t size, size_t count, fmt_cstr fmt, void *locale, ...),
               (buf, size, count, fmt, locale, ap));

/* wide, _l */
FMT_V(FMT_L, _vfwprintf_l, 4, vfwprintf, (void *f, fmt_wstr fmt, void *locale, fmt_va ap),
      (f, fmt, ap));
THK_EXPORT_AS(msvcrt, _vfwprintf_s_l, msvcrt__vfwprintf_l, 4);
FMT_V(FMT_L, _vwprintf_l, 3, vwprintf, (fmt_wstr fmt, void *locale, fmt_va ap), (fmt, ap));
THK_EXPORT_AS(msvcrt, _vwprintf_s_l, msvcrt__vwprintf_l, 3);
FMT_V(FMT_L, _vsnwprintf_l, 5, _vsnwprintf,
      (WCHAR *buf, size_t count, fmt_wstr fmt, void *locale, fmt_va ap), (buf, count, fmt, ap));
FMT_V(FMT_L, _vscwprintf_l, 3, _vscwprintf, (fmt_wstr fmt, void *locale, fmt_va ap), (fmt, ap));
FMT_V(FMT_L, _vsnwprintf_s_l, 6, _vsnwprintf_s,
      (WCHAR *buf, size_t size, size_t count, fmt_wstr fmt, void *locale, fmt_va ap),
      (buf, size, count, fmt, ap));
FMT_V(FMT_L, _vswprintf_s_l, 5, _vsnwprintf_s,
      (WCHAR *buf, size_t size, fmt_wstr fmt, void *locale, fmt_va ap), (buf, size, size, fmt, ap));

FMT_VARIADIC_L(_fwprintf_l, _vfwprintf_l, (void *f, fmt_wstr fmt, void *locale, ...),
               (f, fmt, locale, ap));
THK_EXPORT_AS(msvcrt, _fwprintf_s_l, msvcrt__fwprintf_l, THK_VARIADIC);
FMT_VARIADIC_L(_wprintf_l, _vwprintf_l, (fmt_wstr fmt, void *locale, ...), (fmt, locale, ap));
THK_EXPORT_AS(msvcrt, _wprintf_s_l, msvcrt__wprintf_l, THK_VARIADIC);
FMT_VARIADIC_L(_snwprintf_l, _vsnwprintf_l,
               (WCHAR *buf, size_t count, fmt_wstr fmt, void *locale, ...),
               (buf, count, fmt, locale, ap));
FMT_VARIADIC_L(_scwprintf_l, _vscwprintf_l, (fmt_wstr fmt, void *locale, ...), (fmt, locale, ap));
FMT_VARIADIC_L(_snwprintf_s_l, _vsnwprintf_s_l,
               (WCHAR *buf, size_t size, size_t count, fmt_wstr fmt, void *locale, ...),
               (buf, size, count, fmt, locale, ap));
FMT_VARIADIC_L(_swprintf_s_l, _vswprintf_s_l,
               (WCHAR *buf, size_t size, fmt_wstr fmt, void *locale, ...),
               (buf, size, fmt, locale, ap));

/* _p and _p_l: _vsprintf_p/_vswprintf_p are sprintf_s/swprintf_s (a text that does not fit
 * leaves an empty string, -1 and ERANGE) */
FMT_V(FMT_P0, _vprintf_p, 2, vprintf, (fmt_cstr fmt, fmt_va ap), (fmt, ap));
FMT_V(FMT_P, _vprintf_p_l, 3, vprintf, (fmt_cstr fmt, void *locale, fmt_va ap), (fmt, ap));
FMT_V(FMT_P0, _vfprintf_p, 3, vfprintf, (void *f, fmt_cstr fmt, fmt_va ap), (f, fmt, ap));
FMT_V(FMT_P, _vfprintf_p_l, 4, vfprintf, (void *f, fmt_cstr fmt, void *locale, fmt_va ap),
      (f, fmt, ap));
FMT_V(FMT_P0, _vsprintf_p, 4, _vsnprintf_s, (char *buf, size_t size, fmt_cstr fmt, fmt_va ap),
      (buf, size, size, fmt, ap));
FMT_V(FMT_P, _vsprintf_p_l, 5, _vsnprintf_s,
      (char *buf, size_t size, fmt_cstr fmt, void *locale, fmt_va ap), (buf, size, size, fmt, ap));
FMT_V(FMT_P0, _vscprintf_p, 2, _vscprintf, (fmt_cstr fmt, fmt_va ap), (fmt, ap));
FMT_V(FMT_P, _vscprintf_p_l, 3, _vscprintf, (fmt_cstr fmt, void *locale, fmt_va ap), (fmt, ap));
FMT_VARIADIC(_printf_p, _vprintf_p, (fmt_cstr fmt, ...), (fmt, ap));
FMT_VARIADIC_L(_printf_p_l, _vprintf_p_l, (fmt_cstr fmt, void *locale, ...), (fmt, locale, ap));
FMT_VARIADIC(_fprintf_p, _vfprintf_p, (void *f, fmt_cstr fmt, ...), (f, fmt, ap));
FMT_VARIADIC_L(_fprintf_p_l, _vfprintf_p_l, (void *f, fmt_cstr fmt, void *locale, ...),
               (f, fmt, locale, ap));
FMT_VARIADIC_L(_sprintf_p_l, _vsprintf_p_l, (char *buf, size_t size, fmt_cstr fmt, void *locale, ...),
               (buf, size, fmt, locale, ap));
FMT_VARIADIC_L(_scprintf_p_l, _vscprintf_p_l, (fmt_cstr fmt, void *locale, ...), (fmt, locale, ap));

FMT_V(FMT_P0, _vwprintf_p, 2, vwprintf, (fmt_wstr fmt, fmt_va ap), (fmt, ap));
FMT_V(FMT_P, _vwprintf_p_l, 3, vwprintf, (fmt_wstr fmt, void *locale, fmt_va ap), (fmt, ap));
FMT_V(FMT_P0, _vfwprintf_p, 3, vfwprintf, (void *f, fmt_wstr fmt, fmt_va ap), (f, fmt, ap));
FMT_V(FMT_P, _vfwprintf_p_l, 4, vfwprintf, (void *f, fmt_wstr fmt, void *locale, fmt_va ap),
      (f, fmt, ap));
FMT_V(FMT_P0, _vswprintf_p, 4, _vsnwprintf_s, (WCHAR *buf, size_t size, fmt_wstr fmt, fmt_va ap),
      (buf, size, size, fmt, ap));
FMT_V(FMT_P, _vswprintf_p_l, 5, _vsnwprintf_s,
      (WCHAR *buf, size_t size, fmt_wstr fmt, void *locale, fmt_va ap), (buf, size, size, fmt, ap));
FMT_V(FMT_P0, _vscwprintf_p, 2, _vscwprintf, (fmt_wstr fmt, fmt_va ap), (fmt, ap));
FMT_V(FMT_P, _vscwprintf_p_l, 3, _vscwprintf, (fmt_wstr fmt, void *locale, fmt_va ap), (fmt, ap));
FMT_VARIADIC(_wprintf_p, _vwprintf_p, (fmt_wstr fmt, ...), (fmt, ap));
FMT_VARIADIC_L(_wprintf_p_l, _vwprintf_p_l, (fmt_wstr fmt, void *locale, ...), (fmt, locale, ap));
FMT_VARIADIC(_fwprintf_p, _vfwprintf_p, (void *f, fmt_wstr fmt, ...), (f, fmt, ap));
FMT_VARIADIC_L(_fwprintf_p_l, _vfwprintf_p_l, (void *f, fmt_wstr fmt, void *locale, ...),
               (f, fmt, locale, ap));
FMT_VARIADIC_L(_swprintf_p_l, _vswprintf_p_l,
               (WCHAR *buf, size_t size, fmt_wstr fmt, void *locale, ...),
               (buf, size, fmt, locale, ap));
FMT_VARIADIC_L(_scwprintf_p_l, _vscwprintf_p_l, (fmt_wstr fmt, void *locale, ...),
               (fmt, locale, ap));

/* the console's: _cprintf_l, _p, _p_l, _s_l and their v and wide forms */
FMT_V(FMT_L, _vcprintf_l, 3, _vcprintf, (fmt_cstr fmt, void *locale, fmt_va ap), (fmt, ap));
THK_EXPORT_AS(msvcrt, _vcprintf_s_l, msvcrt__vcprintf_l, 3);
FMT_V(FMT_P0, _vcprintf_p, 2, _vcprintf, (fmt_cstr fmt, fmt_va ap), (fmt, ap));
FMT_V(FMT_P, _vcprintf_p_l, 3, _vcprintf, (fmt_cstr fmt, void *locale, fmt_va ap), (fmt, ap));
FMT_VARIADIC_L(_cprintf_l, _vcprintf_l, (fmt_cstr fmt, void *locale, ...), (fmt, locale, ap));
THK_EXPORT_AS(msvcrt, _cprintf_s_l, msvcrt__cprintf_l, THK_VARIADIC);
FMT_VARIADIC(_cprintf_p, _vcprintf_p, (fmt_cstr fmt, ...), (fmt, ap));
FMT_VARIADIC_L(_cprintf_p_l, _vcprintf_p_l, (fmt_cstr fmt, void *locale, ...), (fmt, locale, ap));
FMT_V(FMT_L, _vcwprintf_l, 3, _vcwprintf, (fmt_wstr fmt, void *locale, fmt_va ap), (fmt, ap));
THK_EXPORT_AS(msvcrt, _vcwprintf_s_l, msvcrt__vcwprintf_l, 3);
FMT_V(FMT_P0, _vcwprintf_p, 2, _vcwprintf, (fmt_wstr fmt, fmt_va ap), (fmt, ap));
FMT_V(FMT_P, _vcwprintf_p_l, 3, _vcwprintf, (fmt_wstr fmt, void *locale, fmt_va ap), (fmt, ap));
FMT_VARIADIC_L(_cwprintf_l, _vcwprintf_l, (fmt_wstr fmt, void *locale, ...), (fmt, locale, ap));
THK_EXPORT_AS(msvcrt, _cwprintf_s_l, msvcrt__cwprintf_l, THK_VARIADIC);
FMT_VARIADIC(_cwprintf_p, _vcwprintf_p, (fmt_wstr fmt, ...), (fmt, ap));
FMT_VARIADIC_L(_cwprintf_p_l, _vcwprintf_p_l, (fmt_wstr fmt, void *locale, ...),
               (fmt, locale, ap));
