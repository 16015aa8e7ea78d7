/* SPDX-License-Identifier: MIT */
/* oleaut32's scalar conversions and the CY and DECIMAL arithmetic. Every numeric value goes
 * through one intermediate (oa_num): a signed or unsigned 64-bit integer, a double, or an exact
 * decimal (a 256-bit magnitude, a scale and a sign) for VT_CY, VT_DECIMAL and parsed strings, so
 * CY and DECIMAL convert exactly. Windows' rules: reals round half to even into integers and CY
 * (x 10000); an out-of-range result is DISP_E_OVERFLOW, an impossible one DISP_E_TYPEMISMATCH;
 * a DATE is a double limited to 1/1/100..12/31/9999 (thunks/oleaut32/vardate.c); R8 -> DECIMAL
 * keeps 15 significant digits (R4: 7), as VarDecFromR8 does; DECIMAL sums and products keep
 * their scale (-10.00 + 4 is -6.00, as in .NET, whose decimal used these functions), quotients
 * the shortest exact scale or 28 digits. Strings parse the en-US way: blanks, a sign or
 * parentheses, "$", "," between digits, a fraction, an exponent (e/d), "&H"/"&O" numbers, with
 * the LCID's decimal and thousands separators and currency symbol in place of en-US's
 * (varlocale.c); numbers become strings with the LCID's decimal separator, dates with its
 * short date and time (vardate.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/oleaut32/oleaut32_private.h"

/* ---- a 256-bit magnitude ---- */

#define BIG_WORDS 8
typedef struct {
    uint32_t w[BIG_WORDS]; /* little-endian */
} oa_big;

typedef unsigned __int128 u128;

static void big_set(oa_big *b, u128 v)
{
    memset(b, 0, sizeof *b);
    for (int i = 0; i < 4; i++, v >>= 32)
        b->w[i] = (uint32_t)v;
}

static u128 big_low(const oa_big *b)
{
    u128 v = 0;
    for (int i = 3; i >= 0; i--)
        v = (v << 32) | b->w[i];
    return v;
}

static int big_bits(const oa_big *b)
{
    for (int i = BIG_WORDS - 1; i >= 0; i--)
        if (b->w[i])
            return i * 32 + 32 - __builtin_clz(b->w[i]);
    return 0;
}

/* b = b * mul + add; the carry out (nonzero: overflow) */
static uint32_t big_muladd(oa_big *b, uint32_t mul, uint32_t add)
{
    uint64_t carry = add;
    for (int i = 0; i < BIG_WORDS; i++) {
        uint64_t t = (uint64_t)b->w[i] * mul + carry;
        b->w[i] = (uint32_t)t;
        carry = t >> 32;
    }
    return (uint32_t)carry;
}

/* b /= d; the remainder */
static uint32_t big_div(oa_big *b, uint32_t d)
{
    uint64_t rem = 0;
    for (int i = BIG_WORDS - 1; i >= 0; i--) {
        uint64_t t = (rem << 32) | b->w[i];
        b->w[i] = (uint32_t)(t / d);
        rem = t % d;
    }
    return (uint32_t)rem;
}

static int big_cmp(const oa_big *a, const oa_big *b)
{
    for (int i = BIG_WORDS - 1; i >= 0; i--)
        if (a->w[i] != b->w[i])
            return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

/* a += b; the carry out */
static uint32_t big_add(oa_big *a, const oa_big *b)
{
    uint64_t carry = 0;
    for (int i = 0; i < BIG_WORDS; i++) {
        uint64_t t = (uint64_t)a->w[i] + b->w[i] + carry;
        a->w[i] = (uint32_t)t;
        carry = t >> 32;
    }
    return (uint32_t)carry;
}

/* a -= b, a >= b */
static void big_sub(oa_big *a, const oa_big *b)
{
    int64_t borrow = 0;
    for (int i = 0; i < BIG_WORDS; i++) {
        int64_t t = (int64_t)a->w[i] - b->w[i] - borrow;
        borrow = t < 0;
        a->w[i] = (uint32_t)t;
    }
}

/* r = a * b; nonzero when the product does not fit */
static int big_mul(oa_big *r, const oa_big *a, const oa_big *b)
{
    uint32_t t[2 * BIG_WORDS] = {0};
    for (int i = 0; i < BIG_WORDS; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < BIG_WORDS; j++) {
            uint64_t v = (uint64_t)a->w[i] * b->w[j] + t[i + j] + carry;
            t[i + j] = (uint32_t)v;
            carry = v >> 32;
        }
        t[i + BIG_WORDS] = (uint32_t)carry;
    }
    for (int i = BIG_WORDS; i < 2 * BIG_WORDS; i++)
        if (t[i])
            return 1;
    memcpy(r->w, t, sizeof r->w);
    return 0;
}

/* ---- exact decimals ---- */

/* |value| = m / 10^scale */
typedef struct {
    oa_big m;
    int scale;
    int neg;
} oa_dec;

static int dec_is_zero(const oa_dec *d)
{
    return big_bits(&d->m) == 0;
}

/* m *= 10^k, scale += k; nonzero on overflow */
static int dec_scale_up(oa_dec *d, int k)
{
    for (; k > 0; k--, d->scale++)
        if (big_muladd(&d->m, 10, 0))
            return 1;
    return 0;
}

/* drop digits (rounding half to even) until scale <= max_scale and m has at most max_bits;
 * DISP_E_OVERFLOW when that needs a negative scale */
static HRESULT dec_reduce(oa_dec *d, int max_scale, int max_bits)
{
    for (;;) {
        unsigned last = 0;
        int sticky = 0, dropped = 0;
        while (d->scale > max_scale || big_bits(&d->m) > max_bits) {
            if (d->scale <= 0)
                return OA_DISP_E_OVERFLOW;
            if (dropped)
                sticky |= last != 0;
            last = big_div(&d->m, 10);
            d->scale--;
            dropped = 1;
            if (!sticky && !last && big_bits(&d->m) == 0 && d->scale > max_scale) {
                d->scale = max_scale; /* zero: no more digits to look at */
                break;
            }
        }
        if (!dropped)
            return OA_S_OK;
        if (last > 5 || (last == 5 && (sticky || (d->m.w[0] & 1))))
            big_muladd(&d->m, 1, 1);
        if (big_bits(&d->m) <= max_bits)
            return OA_S_OK;
    }
}

/* a DECIMAL in the 96-bit, scale <= 28 form; E_INVALIDARG for a scale above 28 */
static HRESULT dec_of_decimal(const DECIMAL *in, oa_dec *d)
{
    if (in->scale > 28)
        return OA_E_INVALIDARG;
    big_set(&d->m, ((u128)in->Hi32 << 64) | in->Lo64);
    d->scale = in->scale;
    d->neg = (in->sign & OA_DECIMAL_NEG) != 0;
    return OA_S_OK;
}

/* `d` into a DECIMAL, rounded to 96 bits and 28 decimals; wReserved is left alone */
static HRESULT dec_to_decimal(oa_dec d, DECIMAL *out)
{
    HRESULT hr = dec_reduce(&d, 28, 96);
    if (hr < 0)
        return hr;
    u128 v = big_low(&d.m);
    out->scale = (uint8_t)d.scale;
    out->sign = d.neg ? OA_DECIMAL_NEG : 0;
    out->Hi32 = (uint32_t)(v >> 64);
    out->Lo64 = (uint64_t)v;
    return OA_S_OK;
}

/* as Windows' VarR8FromDec: Hi32 / 10^scale x 2^64 + Lo64 / 10^scale in doubles */
static double dec_to_double(const oa_dec *d)
{
    u128 m = big_low(&d->m); /* a DECIMAL's 96 bits */
    double div = pow(10.0, d->scale);
    double v = (double)(uint32_t)(m >> 64) / div * 4294967296.0 * 4294967296.0 +
               (double)(uint64_t)m / div;
    return d->neg ? -v : v;
}

static void dec_of_i64(int64_t v, int scale, oa_dec *d)
{
    big_set(&d->m, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
    d->scale = scale;
    d->neg = v < 0;
}

/* -1, 0, 1 as |a| is below, equal to or above |b| */
static int dec_cmp_abs(const oa_dec *a, const oa_dec *b)
{
    oa_dec x = *a, y = *b;
    int over_x = dec_scale_up(&x, y.scale - x.scale);
    int over_y = dec_scale_up(&y, x.scale - y.scale);
    if (over_x || over_y)
        return over_x ? 1 : -1;
    return big_cmp(&x.m, &y.m);
}

static int dec_cmp(const oa_dec *a, const oa_dec *b)
{
    int za = dec_is_zero(a), zb = dec_is_zero(b);
    int sa = za ? 0 : a->neg ? -1 : 1, sb = zb ? 0 : b->neg ? -1 : 1;
    if (sa != sb)
        return sa < sb ? -1 : 1;
    if (!sa)
        return 0;
    int c = dec_cmp_abs(a, b);
    return a->neg ? -c : c;
}

static HRESULT dec_add(const oa_dec *a, const oa_dec *b, oa_dec *r)
{
    oa_dec x = *a, y = *b;
    if (dec_scale_up(&x, y.scale - x.scale) || dec_scale_up(&y, x.scale - y.scale))
        return OA_DISP_E_OVERFLOW;
    if (x.neg == y.neg) {
        big_add(&x.m, &y.m); /* < 2^190: no carry out */
    } else if (big_cmp(&x.m, &y.m) >= 0) {
        big_sub(&x.m, &y.m);
    } else {
        big_sub(&y.m, &x.m);
        x.m = y.m;
        x.neg = y.neg;
    }
    if (dec_is_zero(&x))
        x.neg = 0;
    *r = x;
    return OA_S_OK;
}

static HRESULT dec_mul(const oa_dec *a, const oa_dec *b, oa_dec *r)
{
    oa_dec x;
    if (big_mul(&x.m, &a->m, &b->m))
        return OA_DISP_E_OVERFLOW;
    x.scale = a->scale + b->scale;
    x.neg = a->neg != b->neg && big_bits(&x.m) != 0;
    *r = x;
    return OA_S_OK;
}

/* a / b to 28 decimals at most (rounded half to even), the shortest scale that is exact */
static HRESULT dec_div(const oa_dec *a, const oa_dec *b, oa_dec *r)
{
    if (dec_is_zero(b))
        return OA_DISP_E_DIVBYZERO;
    oa_dec x = *a, y = *b;
    HRESULT hr = dec_reduce(&x, 28, 96);
    if (hr >= 0)
        hr = dec_reduce(&y, 28, 96);
    if (hr < 0)
        return hr;
    u128 n = big_low(&x.m), d = big_low(&y.m), q = n / d, rem = n % d;
    const u128 lim = (u128)1 << 96;
    int scale = x.scale - y.scale;
    while (scale < 0 || (rem && scale < 28 && q < lim / 10)) {
        if (q >= lim / 10 && scale < 0)
            return OA_DISP_E_OVERFLOW;
        rem *= 10;
        q = q * 10 + rem / d;
        rem %= d;
        scale++;
    }
    if (rem * 2 > d || (rem * 2 == d && (q & 1)))
        q++;
    oa_dec res;
    big_set(&res.m, q);
    res.scale = scale;
    res.neg = x.neg != y.neg && q;
    if (q >= lim && dec_reduce(&res, 28, 96) < 0)
        return OA_DISP_E_OVERFLOW;
    while (res.scale > 0) {
        oa_big t = res.m;
        if (big_div(&t, 10))
            break;
        res.m = t;
        res.scale--;
    }
    *r = res;
    return OA_S_OK;
}

/* ---- the intermediate value ---- */

typedef struct {
    enum { NUM_INT, NUM_UINT, NUM_REAL, NUM_DEC } kind;
    int single; /* a NUM_REAL that was a VT_R4 (7 significant digits into a DECIMAL) */
    int from_str; /* a NUM_DEC parsed from a string: into VT_CY through its double, as Windows */
    int64_t i;
    uint64_t u;
    double d;   /* NUM_REAL; also NUM_DEC's value as a double */
    oa_dec x;   /* NUM_DEC */
} oa_num;

static HRESULT num_of(const VARIANT *v, oa_num *n)
{
    memset(n, 0, sizeof *n);
    switch (v->vt) {
    case VT_EMPTY: n->kind = NUM_INT; return OA_S_OK;
    case VT_I1: n->kind = NUM_INT; n->i = v->u.cVal; return OA_S_OK;
    case VT_I2: n->kind = NUM_INT; n->i = v->u.iVal; return OA_S_OK;
    case VT_BOOL: n->kind = NUM_INT; n->i = v->u.boolVal; return OA_S_OK;
    case VT_I4: case VT_INT: n->kind = NUM_INT; n->i = v->u.lVal; return OA_S_OK;
    case VT_I8: n->kind = NUM_INT; n->i = v->u.llVal; return OA_S_OK;
    case VT_UI1: n->kind = NUM_UINT; n->u = v->u.bVal; return OA_S_OK;
    case VT_UI2: n->kind = NUM_UINT; n->u = v->u.uiVal; return OA_S_OK;
    case VT_UI4: case VT_UINT: n->kind = NUM_UINT; n->u = v->u.ulVal; return OA_S_OK;
    case VT_UI8: n->kind = NUM_UINT; n->u = v->u.ullVal; return OA_S_OK;
    case VT_R4: n->kind = NUM_REAL; n->single = 1; n->d = v->u.fltVal; return OA_S_OK;
    case VT_R8: case VT_DATE: n->kind = NUM_REAL; n->d = v->u.dblVal; return OA_S_OK;
    case VT_CY:
        n->kind = NUM_DEC;
        dec_of_i64(v->u.llVal, 4, &n->x);
        n->d = (double)v->u.llVal / 10000.0;
        return OA_S_OK;
    case VT_DECIMAL: {
        HRESULT hr = dec_of_decimal((const DECIMAL *)v, &n->x);
        n->kind = NUM_DEC;
        n->d = dec_to_double(&n->x);
        return hr;
    }
    default: return OA_DISP_E_TYPEMISMATCH;
    }
}

static int is_blank(WCHAR c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xa0;
}

/* a string as a number (see the top of the file): an exact decimal, or an integer for &H/&O */
static HRESULT num_of_str(const WCHAR *s, size_t len, oa_num *n)
{
    char clean[820]; /* the number for strtod: sign, digits, '.', digits, 'e', exponent */
    size_t k = 0, i = 0;
    memset(n, 0, sizeof *n);
    while (i < len && is_blank(s[i]))
        i++;
    int paren = 0, neg = 0, cur = 0;
    for (;;) {
        if (i < len && s[i] == '(' && !paren && !neg) {
            paren = neg = 1;
        } else if (i < len && (s[i] == '-' || s[i] == '+') && !neg) {
            if (s[i] == '-') {
                if (paren)
                    return OA_DISP_E_TYPEMISMATCH;
                neg = 1;
            }
        } else if (i < len && s[i] == '$' && !cur) {
            cur = 1;
        } else {
            break;
        }
        i++;
        while (i < len && is_blank(s[i]))
            i++;
    }
    if (i + 1 < len && s[i] == '&' && (s[i + 1] == 'H' || s[i + 1] == 'h' || s[i + 1] == 'O' ||
                                       s[i + 1] == 'o')) {
        unsigned base = (s[i + 1] == 'H' || s[i + 1] == 'h') ? 16 : 8, digits = 0;
        uint64_t v = 0;
        for (i += 2; i < len; i++, digits++) {
            WCHAR c = s[i];
            unsigned dv = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : 99;
            if (dv >= base)
                break;
            if (v > UINT64_MAX / base)
                return OA_DISP_E_OVERFLOW;
            v = v * base + dv;
        }
        while (i < len && is_blank(s[i]))
            i++;
        if (!digits || i != len || paren)
            return OA_DISP_E_TYPEMISMATCH;
        n->kind = neg ? NUM_INT : NUM_UINT;
        if (neg) {
            if (v > (uint64_t)INT64_MAX + 1)
                return OA_DISP_E_OVERFLOW;
            n->i = (int64_t)(0 - v);
        } else {
            n->u = v;
        }
        return OA_S_OK;
    }
    oa_dec x = {.neg = neg};
    int ndig = 0, exp10 = 0, seen_point = 0, sticky = 0;
    if (neg)
        clean[k++] = '-';
    for (; i < len; i++) {
        WCHAR c = s[i];
        if (c >= '0' && c <= '9') {
            if (ndig || c != '0') {
                if (ndig < 75) {
                    big_muladd(&x.m, 10, c - '0');
                    if (seen_point)
                        exp10--;
                } else {
                    sticky |= c != '0';
                    if (!seen_point)
                        exp10++;
                }
                ndig++;
            } else if (seen_point) {
                exp10--; /* a leading zero of the fraction */
            }
            if (k < 780)
                clean[k++] = (char)c;
            n->kind = NUM_DEC; /* a digit seen */
        } else if (c == ',' && !seen_point && n->kind == NUM_DEC) {
            continue;
        } else if (c == '.' && !seen_point) {
            seen_point = 1;
            if (k < 780)
                clean[k++] = '.';
        } else {
            break;
        }
    }
    if (n->kind != NUM_DEC)
        return OA_DISP_E_TYPEMISMATCH;
    if (i < len && (s[i] == 'e' || s[i] == 'E' || s[i] == 'd' || s[i] == 'D')) {
        size_t j = i + 1;
        int eneg = 0, e = 0, edig = 0;
        if (j < len && (s[j] == '+' || s[j] == '-'))
            eneg = s[j++] == '-';
        for (; j < len && s[j] >= '0' && s[j] <= '9'; j++, edig++)
            if (e < 100000)
                e = e * 10 + (s[j] - '0');
        if (edig) {
            exp10 += eneg ? -e : e;
            k += (size_t)snprintf(clean + k, sizeof clean - k, "e%s%d", eneg ? "-" : "", e);
            i = j;
        }
    }
    while (i < len && is_blank(s[i]))
        i++;
    if (paren) {
        if (i >= len || s[i] != ')')
            return OA_DISP_E_TYPEMISMATCH;
        i++;
        while (i < len && is_blank(s[i]))
            i++;
    }
    if (i != len)
        return OA_DISP_E_TYPEMISMATCH;
    clean[k] = 0;
    (void)sticky;
    n->d = strtod(clean, NULL);
    n->from_str = 1;
    if (exp10 > 0) {
        if (dec_scale_up(&x, exp10)) {
            x.scale = 0;
            n->kind = NUM_REAL; /* too big for anything but a double */
            if (isinf(n->d))
                return OA_DISP_E_OVERFLOW;
            return OA_S_OK;
        }
        x.scale = 0;
    } else {
        x.scale = -exp10;
    }
    /* trailing zeros of the fraction are not significant ("1.50" is 15 scale 1) */
    while (x.scale > 0) {
        oa_big t = x.m;
        if (big_div(&t, 10))
            break;
        x.m = t;
        x.scale--;
    }
    if (dec_is_zero(&x))
        x.neg = 0, x.scale = 0;
    n->x = x;
    return OA_S_OK;
}

/* ---- into each type ---- */

static double round_even(double d)
{
    return nearbyint(d); /* the default rounding mode: to nearest, ties to even */
}

/* an integer value of `n` in [lo, hi]: *neg and *is or *iu */
static HRESULT to_int_range(const oa_num *n, int64_t lo, uint64_t hi, int64_t *is, uint64_t *iu,
                            int *neg)
{
    oa_num v = *n;
    if (v.kind == NUM_DEC) {
        oa_dec x = v.x;
        if (dec_reduce(&x, 0, 256) < 0 || big_bits(&x.m) > 64)
            return OA_DISP_E_OVERFLOW;
        uint64_t m = (uint64_t)big_low(&x.m);
        if (x.neg && m) {
            if (m > (uint64_t)INT64_MAX + 1)
                return OA_DISP_E_OVERFLOW;
            v.kind = NUM_INT;
            v.i = (int64_t)(0 - m);
        } else {
            v.kind = NUM_UINT;
            v.u = m;
        }
    }
    if (v.kind == NUM_REAL) {
        double r = round_even(v.d);
        if (!(r >= (double)lo && r <= (double)hi) || r >= 18446744073709551616.0)
            return OA_DISP_E_OVERFLOW;
        if (r < 0) {
            if (r < -9223372036854775808.0)
                return OA_DISP_E_OVERFLOW;
            *is = (int64_t)r;
            *neg = 1;
            return *is < lo ? OA_DISP_E_OVERFLOW : OA_S_OK;
        }
        *iu = r >= 9223372036854775808.0 ? (uint64_t)(r - 9223372036854775808.0) + 0x8000000000000000ull
                                         : (uint64_t)(int64_t)r;
        *neg = 0;
        return *iu > hi ? OA_DISP_E_OVERFLOW : OA_S_OK;
    }
    if (v.kind == NUM_INT && v.i < 0) {
        if (v.i < lo)
            return OA_DISP_E_OVERFLOW;
        *is = v.i;
        *neg = 1;
        return OA_S_OK;
    }
    uint64_t u = v.kind == NUM_INT ? (uint64_t)v.i : v.u;
    if (u > hi)
        return OA_DISP_E_OVERFLOW;
    *iu = u;
    *neg = 0;
    return OA_S_OK;
}

/* a double as a decimal the way VarDecFromR8 (15 digits) and VarDecFromR4 (7) do */
static HRESULT dec_of_double(double d, int single, oa_dec *x)
{
    char buf[64];
    WCHAR w[64];
    if (isnan(d) || isinf(d))
        return OA_DISP_E_OVERFLOW;
    int n = snprintf(buf, sizeof buf, single ? "%.7G" : "%.15G", d);
    for (int i = 0; i <= n; i++)
        w[i] = (unsigned char)buf[i];
    oa_num v;
    HRESULT hr = num_of_str(w, (size_t)n, &v);
    if (hr < 0)
        return hr;
    if (v.kind != NUM_DEC)
        return OA_DISP_E_OVERFLOW;
    *x = v.x;
    return OA_S_OK;
}

/* `n` as an exact decimal (any kind) */
static HRESULT num_dec(const oa_num *n, oa_dec *x)
{
    switch (n->kind) {
    case NUM_INT: dec_of_i64(n->i, 0, x); return OA_S_OK;
    case NUM_UINT: big_set(&x->m, n->u); x->scale = 0; x->neg = 0; return OA_S_OK;
    case NUM_REAL: return dec_of_double(n->d, n->single, x);
    default: *x = n->x; return OA_S_OK;
    }
}

static double num_double(const oa_num *n)
{
    return n->kind == NUM_INT ? (double)n->i : n->kind == NUM_UINT ? (double)n->u : n->d;
}

/* d x 10000 rounded half to even, computed exactly (d is m x 2^e with a 53-bit m): what the
 * x87's 64-bit product and FISTP give, where a double product would round first */
static HRESULT cy_of_double(double d, int64_t *out)
{
    if (isnan(d) || isinf(d))
        return OA_DISP_E_OVERFLOW;
    int e;
    double m = frexp(d, &e);
    int64_t mi = (int64_t)ldexp(m, 53);
    e -= 53;
    __int128 v = (__int128)mi * 10000, q;
    if (e >= 0) {
        if (e > 60)
            return OA_DISP_E_OVERFLOW;
        q = v * ((__int128)1 << e);
    } else if (e <= -100) {
        q = 0; /* below 2^-46: far under half a unit */
    } else {
        int sh = -e;
        q = v >> sh; /* floor */
        __int128 rem = v - q * ((__int128)1 << sh), half = (__int128)1 << (sh - 1);
        if (rem > half || (rem == half && (q & 1)))
            q++;
    }
    if (q > INT64_MAX || q < INT64_MIN)
        return OA_DISP_E_OVERFLOW;
    *out = (int64_t)q;
    return OA_S_OK;
}

static HRESULT num_to_cy(const oa_num *n, int64_t *out)
{
    if (n->kind == NUM_REAL || (n->kind == NUM_DEC && n->from_str))
        return cy_of_double(n->d, out);
    oa_dec x;
    HRESULT hr = num_dec(n, &x);
    if (hr < 0)
        return hr;
    if (x.scale < 4 ? dec_scale_up(&x, 4 - x.scale) : dec_reduce(&x, 4, 256) < 0)
        return OA_DISP_E_OVERFLOW;
    if (big_bits(&x.m) > 64)
        return OA_DISP_E_OVERFLOW;
    uint64_t m = (uint64_t)big_low(&x.m);
    if (m > (uint64_t)INT64_MAX + (x.neg ? 1 : 0))
        return OA_DISP_E_OVERFLOW;
    *out = x.neg ? (int64_t)(0 - m) : (int64_t)m;
    return OA_S_OK;
}

static HRESULT num_to_date(const oa_num *n, double *out)
{
    if (n->kind == NUM_INT) {
        if (n->i < OA_DATE_MIN || n->i > OA_DATE_MAX)
            return OA_DISP_E_OVERFLOW;
    } else if (n->kind == NUM_UINT) {
        if (n->u > OA_DATE_MAX)
            return OA_DISP_E_OVERFLOW;
    }
    double d = num_double(n);
    if (!(d > OA_DATE_MIN - 1.0 && d < OA_DATE_MAX + 1.0))
        return OA_DISP_E_OVERFLOW;
    *out = d;
    return OA_S_OK;
}

static HRESULT num_to(const oa_num *n, VARTYPE vt, VARIANT *out)
{
    static const struct { VARTYPE vt; uint8_t size; int64_t lo; uint64_t hi; } ranges[] = {
        {VT_I1, 1, INT8_MIN, INT8_MAX}, {VT_UI1, 1, 0, UINT8_MAX},
        {VT_I2, 2, INT16_MIN, INT16_MAX}, {VT_UI2, 2, 0, UINT16_MAX},
        {VT_I4, 4, INT32_MIN, INT32_MAX}, {VT_INT, 4, INT32_MIN, INT32_MAX},
        {VT_UI4, 4, 0, UINT32_MAX}, {VT_UINT, 4, 0, UINT32_MAX},
        {VT_I8, 8, INT64_MIN, INT64_MAX}, {VT_UI8, 8, 0, UINT64_MAX}};
    double d = num_double(n);
    switch (vt) {
    case VT_R8:
        out->u.dblVal = d;
        return OA_S_OK;
    case VT_R4:
        if (fabs(d) > 3.402823466e38)
            return OA_DISP_E_OVERFLOW;
        out->u.fltVal = (float)d;
        return OA_S_OK;
    case VT_BOOL: {
        int nz = n->kind == NUM_DEC ? !dec_is_zero(&n->x) : n->kind == NUM_UINT ? n->u != 0 : d != 0;
        out->u.boolVal = nz ? OA_VARIANT_TRUE : 0;
        return OA_S_OK;
    }
    case VT_CY:
        return num_to_cy(n, &out->u.llVal);
    case VT_DATE:
        return num_to_date(n, &out->u.dblVal);
    case VT_DECIMAL: {
        oa_dec x;
        HRESULT hr = num_dec(n, &x);
        return hr < 0 ? hr : dec_to_decimal(x, (DECIMAL *)out);
    }
    default:
        break;
    }
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        if (ranges[i].vt != vt)
            continue;
        int64_t s = 0;
        uint64_t u = 0;
        int neg = 0;
        HRESULT hr = to_int_range(n, ranges[i].lo, ranges[i].hi, &s, &u, &neg);
        if (hr < 0)
            return hr;
        uint64_t bits = neg ? (uint64_t)s : u;
        out->u.ullVal = 0;
        memcpy(&out->u, &bits, ranges[i].size); /* little-endian: the low bytes */
        return OA_S_OK;
    }
    return OA_DISP_E_TYPEMISMATCH;
}

/* ---- into a string ---- */

static BSTR bstr_of_ascii(const char *s)
{
    WCHAR w[128];
    size_t n = strlen(s);
    if (n > 128)
        n = 128;
    for (size_t i = 0; i < n; i++)
        w[i] = (unsigned char)s[i];
    return SysAllocStringLen(w, (UINT)n);
}

/* an exact decimal's digits, its trailing fraction zeros dropped */
static void dec_format(const oa_dec *x, char *buf)
{
    char digits[100];
    int n = 0;
    oa_big m = x->m;
    do
        digits[n++] = (char)('0' + big_div(&m, 10));
    while (big_bits(&m));
    int scale = x->scale, skip = 0;
    while (skip < scale && skip < n && digits[skip] == '0')
        skip++;
    if (skip == n) { /* zero */
        strcpy(buf, "0");
        return;
    }
    char *p = buf;
    if (x->neg)
        *p++ = '-';
    if (scale >= n) {
        *p++ = '0';
        if (scale > skip) {
            *p++ = '.';
            for (int i = scale; i > n; i--)
                *p++ = '0';
        }
        for (int i = n - 1; i >= skip; i--)
            *p++ = digits[i];
    } else {
        for (int i = n - 1; i >= scale; i--)
            *p++ = digits[i];
        if (scale > skip) {
            *p++ = '.';
            for (int i = scale - 1; i >= skip; i--)
                *p++ = digits[i];
        }
    }
    *p = 0;
}

static HRESULT to_bstr(const VARIANT *src, uint16_t flags, uint32_t lcid, BSTR *out)
{
    char buf[128];
    switch (src->vt) {
    case VT_EMPTY:
        *out = SysAllocStringLen(NULL, 0);
        return *out ? OA_S_OK : OA_E_OUTOFMEMORY;
    case VT_BOOL:
        if (flags & OA_VARIANT_ALPHABOOL)
            snprintf(buf, sizeof buf, "%s", src->u.boolVal ? "True" : "False");
        else
            snprintf(buf, sizeof buf, "%d", src->u.boolVal ? -1 : 0);
        break;
    case VT_R4:
        snprintf(buf, sizeof buf, "%.7G", (double)src->u.fltVal);
        break;
    case VT_R8:
        snprintf(buf, sizeof buf, "%.15G", src->u.dblVal);
        break;
    case VT_DATE:
        return oa_date_to_str(src->u.dblVal, 0, lcid, out);
    default: {
        oa_num n;
        HRESULT hr = num_of(src, &n);
        if (hr < 0)
            return hr;
        if (n.kind == NUM_DEC)
            dec_format(&n.x, buf);
        else if (n.kind == NUM_INT)
            snprintf(buf, sizeof buf, "%lld", (long long)n.i);
        else
            snprintf(buf, sizeof buf, "%llu", (unsigned long long)n.u);
    }
    }
    *out = bstr_of_ascii(buf);
    if (!*out)
        return OA_E_OUTOFMEMORY;
    if (src->vt != VT_BOOL) { /* the locale's decimal separator */
        oa_locale l;
        oa_locale_get(lcid, &l);
        oa_locale_from_us(&l, *out, SysStringLen(*out));
    }
    return OA_S_OK;
}

static int bstr_ieq(BSTR s, const char *word)
{
    UINT n = SysStringLen(s);
    if (n != strlen(word))
        return 0;
    for (UINT i = 0; i < n; i++) {
        WCHAR c = s[i] >= 'A' && s[i] <= 'Z' ? (WCHAR)(s[i] + 32) : s[i];
        if (c != (WCHAR)word[i])
            return 0;
    }
    return 1;
}

HRESULT oa_convert_scalar(const VARIANT *src, VARTYPE vt, uint16_t flags, VARIANT *out)
{
    return oa_convert_scalar_lcid(src, vt, flags, 0x0400 /* LOCALE_USER_DEFAULT */, out);
}

/* A string of locale `lcid` read as a number (the locale's separators and currency symbol). */
static HRESULT num_of_locale_str(BSTR s, uint32_t lcid, oa_num *n)
{
    oa_locale l;
    oa_locale_get(lcid, &l);
    if (oa_locale_is_us(&l))
        return num_of_str(s, SysStringLen(s), n);
    WCHAR *us = oa_locale_to_us(&l, s, SysStringLen(s), false);
    if (!us)
        return OA_E_OUTOFMEMORY;
    size_t len = 0;
    while (us[len])
        len++;
    HRESULT hr = num_of_str(us, len, n);
    free(us);
    return hr;
}

HRESULT oa_convert_scalar_lcid(const VARIANT *src, VARTYPE vt, uint16_t flags, uint32_t lcid,
                               VARIANT *out)
{
    if (vt == VT_EMPTY)
        return OA_S_OK;
    if (src->vt == VT_NULL || vt == VT_NULL)
        return OA_DISP_E_TYPEMISMATCH;
    if (vt == VT_BSTR)
        return to_bstr(src, flags, lcid, &out->u.bstrVal);
    if (vt == VT_ERROR || src->vt == VT_ERROR)
        return OA_DISP_E_TYPEMISMATCH;
    oa_num n;
    HRESULT hr;
    if (src->vt == VT_BSTR) {
        BSTR s = src->u.bstrVal;
        if (vt == VT_BOOL && (bstr_ieq(s, "true") || bstr_ieq(s, "false"))) {
            out->u.boolVal = bstr_ieq(s, "true") ? OA_VARIANT_TRUE : 0;
            return OA_S_OK;
        }
        if (vt == VT_DATE)
            return oa_date_from_str(s, SysStringLen(s), lcid, &out->u.dblVal);
        hr = num_of_locale_str(s, lcid, &n);
    } else {
        hr = num_of(src, &n);
    }
    return hr < 0 ? hr : num_to(&n, vt, out);
}

/* ---- the Var<To>From<From> functions ---- */

/* `in` (a value of type `from`) converted to `to` into `out` (a value of type `to`) */
static HRESULT var_conv(VARTYPE from, const void *in, VARTYPE to, void *out, uint32_t flags,
                        uint32_t lcid)
{
    static const uint8_t size[VT_UI8 + 1] = {
        [VT_I1] = 1, [VT_UI1] = 1, [VT_I2] = 2, [VT_UI2] = 2, [VT_BOOL] = 2, [VT_I4] = 4,
        [VT_UI4] = 4, [VT_R4] = 4, [VT_R8] = 8, [VT_DATE] = 8, [VT_CY] = 8, [VT_I8] = 8,
        [VT_UI8] = 8, [VT_BSTR] = 8};
    VARIANT s = {.vt = from}, d = {.vt = to};
    if (from == VT_DECIMAL)
        memcpy((char *)&s + 2, (const char *)in + 2, 14);
    else if (from == VT_BSTR) {
        const WCHAR *str = in;
        if (!str)
            return OA_DISP_E_TYPEMISMATCH;
        s.u.bstrVal = SysAllocString(str);
        if (!s.u.bstrVal)
            return OA_E_OUTOFMEMORY;
    } else
        memcpy(&s.u, in, size[from]);
    HRESULT hr;
    if (to == VT_BSTR && from == VT_DATE)
        hr = oa_date_to_str(s.u.dblVal, flags, lcid, &d.u.bstrVal);
    else
        hr = oa_convert_scalar_lcid(&s, to, (uint16_t)(flags & OA_VARIANT_ALPHABOOL), lcid, &d);
    if (from == VT_BSTR)
        SysFreeString(s.u.bstrVal);
    if (hr < 0)
        return hr;
    if (to == VT_DECIMAL)
        memcpy((char *)out + 2, (const char *)&d + 2, 14);
    else
        memcpy(out, &d.u, size[to]);
    return OA_S_OK;
}

/* VarXFromY(Y in, X *out) for the scalar types */
#define VAR_FROM(Name, TIn, from, to)                                                          \
    HRESULT WINAPI Name(TIn in, void *out)                                                     \
    {                                                                                          \
        return var_conv(from, &in, to, out, 0, 0x0400);                                        \
    }                                                                                          \
    THK_EXPORT(oleaut32, Name, 2);
/* VarXFromDec(DECIMAL *in, X *out) */
#define VAR_FROM_DEC(Name, to)                                                                 \
    HRESULT WINAPI Name(const DECIMAL *in, void *out)                                          \
    {                                                                                          \
        return var_conv(VT_DECIMAL, in, to, out, 0, 0x0400);                                   \
    }                                                                                          \
    THK_EXPORT(oleaut32, Name, 2);
/* VarXFromStr(OLECHAR *in, LCID, ULONG flags, X *out) */
#define VAR_FROM_STR(Name, to)                                                                 \
    HRESULT WINAPI Name(const WCHAR *in, uint32_t lcid, uint32_t flags, void *out)             \
    {                                                                                          \
        return var_conv(VT_BSTR, in, to, out, flags, lcid);                                    \
    }                                                                                          \
    THK_EXPORT(oleaut32, Name, 4);
/* VarBstrFromY(Y in, LCID, ULONG flags, BSTR *out) */
#define VAR_BSTR_FROM(Name, TIn, from)                                                         \
    HRESULT WINAPI Name(TIn in, uint32_t lcid, uint32_t flags, BSTR *out)                      \
    {                                                                                          \
        if (!out)                                                                              \
            return OA_E_INVALIDARG;                                                            \
        return var_conv(from, &in, VT_BSTR, out, flags, lcid);                                 \
    }                                                                                          \
    THK_EXPORT(oleaut32, Name, 4);

/* VarXFromY for each target X, from every other scalar type, DECIMAL and strings */
#define F_UI1(To, to) VAR_FROM(Var##To##FromUI1, uint8_t, VT_UI1, to)
#define F_I2(To, to) VAR_FROM(Var##To##FromI2, int16_t, VT_I2, to)
#define F_UI2(To, to) VAR_FROM(Var##To##FromUI2, uint16_t, VT_UI2, to)
#define F_I4(To, to) VAR_FROM(Var##To##FromI4, int32_t, VT_I4, to)
#define F_UI4(To, to) VAR_FROM(Var##To##FromUI4, uint32_t, VT_UI4, to)
#define F_I8(To, to) VAR_FROM(Var##To##FromI8, int64_t, VT_I8, to)
#define F_UI8(To, to) VAR_FROM(Var##To##FromUI8, uint64_t, VT_UI8, to)
#define F_R4(To, to) VAR_FROM(Var##To##FromR4, float, VT_R4, to)
#define F_R8(To, to) VAR_FROM(Var##To##FromR8, double, VT_R8, to)
#define F_DATE(To, to) VAR_FROM(Var##To##FromDate, double, VT_DATE, to)
#define F_CY(To, to) VAR_FROM(Var##To##FromCy, CY, VT_CY, to)
#define F_BOOL(To, to) VAR_FROM(Var##To##FromBool, int16_t, VT_BOOL, to)
#define F_I1(To, to) VAR_FROM(Var##To##FromI1, signed char, VT_I1, to)
#define F_DEC(To, to) VAR_FROM_DEC(Var##To##FromDec, to)
#define F_STR(To, to) VAR_FROM_STR(Var##To##FromStr, to)

/* I1 */
F_UI1(I1, VT_I1) F_I2(I1, VT_I1) F_UI2(I1, VT_I1) F_I4(I1, VT_I1) F_UI4(I1, VT_I1)
F_I8(I1, VT_I1) F_UI8(I1, VT_I1) F_R4(I1, VT_I1) F_R8(I1, VT_I1) F_DATE(I1, VT_I1)
F_CY(I1, VT_I1) F_BOOL(I1, VT_I1) F_DEC(I1, VT_I1) F_STR(I1, VT_I1)

/* UI1 */
F_I1(UI1, VT_UI1) F_I2(UI1, VT_UI1) F_UI2(UI1, VT_UI1) F_I4(UI1, VT_UI1) F_UI4(UI1, VT_UI1)
F_I8(UI1, VT_UI1) F_UI8(UI1, VT_UI1) F_R4(UI1, VT_UI1) F_R8(UI1, VT_UI1) F_DATE(UI1, VT_UI1)
F_CY(UI1, VT_UI1) F_BOOL(UI1, VT_UI1) F_DEC(UI1, VT_UI1) F_STR(UI1, VT_UI1)
/* I2 */
F_I1(I2, VT_I2) F_UI1(I2, VT_I2) F_UI2(I2, VT_I2) F_I4(I2, VT_I2) F_UI4(I2, VT_I2)
F_I8(I2, VT_I2) F_UI8(I2, VT_I2) F_R4(I2, VT_I2) F_R8(I2, VT_I2) F_DATE(I2, VT_I2)
F_CY(I2, VT_I2) F_BOOL(I2, VT_I2) F_DEC(I2, VT_I2) F_STR(I2, VT_I2)
/* UI2 */
F_I1(UI2, VT_UI2) F_UI1(UI2, VT_UI2) F_I2(UI2, VT_UI2) F_I4(UI2, VT_UI2) F_UI4(UI2, VT_UI2)
F_I8(UI2, VT_UI2) F_UI8(UI2, VT_UI2) F_R4(UI2, VT_UI2) F_R8(UI2, VT_UI2) F_DATE(UI2, VT_UI2)
F_CY(UI2, VT_UI2) F_BOOL(UI2, VT_UI2) F_DEC(UI2, VT_UI2) F_STR(UI2, VT_UI2)
/* I4 */
F_I1(I4, VT_I4) F_UI1(I4, VT_I4) F_I2(I4, VT_I4) F_UI2(I4, VT_I4) F_UI4(I4, VT_I4)
F_I8(I4, VT_I4) F_UI8(I4, VT_I4) F_R4(I4, VT_I4) F_R8(I4, VT_I4) F_DATE(I4, VT_I4)
F_CY(I4, VT_I4) F_BOOL(I4, VT_I4) F_DEC(I4, VT_I4) F_STR(I4, VT_I4)
/* UI4 */
F_I1(UI4, VT_UI4) F_UI1(UI4, VT_UI4) F_I2(UI4, VT_UI4) F_UI2(UI4, VT_UI4) F_I4(UI4, VT_UI4)
F_I8(UI4, VT_UI4) F_UI8(UI4, VT_UI4) F_R4(UI4, VT_UI4) F_R8(UI4, VT_UI4) F_DATE(UI4, VT_UI4)
F_CY(UI4, VT_UI4) F_BOOL(UI4, VT_UI4) F_DEC(UI4, VT_UI4) F_STR(UI4, VT_UI4)
/* I8 */
F_I1(I8, VT_I8) F_UI1(I8, VT_I8) F_I2(I8, VT_I8) F_UI2(I8, VT_I8) F_I4(I8, VT_I8)
F_UI4(I8, VT_I8) F_UI8(I8, VT_I8) F_R4(I8, VT_I8) F_R8(I8, VT_I8) F_DATE(I8, VT_I8)
F_CY(I8, VT_I8) F_BOOL(I8, VT_I8) F_DEC(I8, VT_I8) F_STR(I8, VT_I8)
/* UI8 */
F_I1(UI8, VT_UI8) F_UI1(UI8, VT_UI8) F_I2(UI8, VT_UI8) F_UI2(UI8, VT_UI8) F_I4(UI8, VT_UI8)
F_UI4(UI8, VT_UI8) F_I8(UI8, VT_UI8) F_R4(UI8, VT_UI8) F_R8(UI8, VT_UI8) F_DATE(UI8, VT_UI8)
F_CY(UI8, VT_UI8) F_BOOL(UI8, VT_UI8) F_DEC(UI8, VT_UI8) F_STR(UI8, VT_UI8)
/* R4 */
F_I1(R4, VT_R4) F_UI1(R4, VT_R4) F_I2(R4, VT_R4) F_UI2(R4, VT_R4) F_I4(R4, VT_R4)
F_UI4(R4, VT_R4) F_I8(R4, VT_R4) F_UI8(R4, VT_R4) F_R8(R4, VT_R4) F_DATE(R4, VT_R4)
F_CY(R4, VT_R4) F_BOOL(R4, VT_R4) F_DEC(R4, VT_R4) F_STR(R4, VT_R4)
/* R8 */
F_I1(R8, VT_R8) F_UI1(R8, VT_R8) F_I2(R8, VT_R8) F_UI2(R8, VT_R8) F_I4(R8, VT_R8)
F_UI4(R8, VT_R8) F_I8(R8, VT_R8) F_UI8(R8, VT_R8) F_R4(R8, VT_R8) F_DATE(R8, VT_R8)
F_CY(R8, VT_R8) F_BOOL(R8, VT_R8) F_DEC(R8, VT_R8) F_STR(R8, VT_R8)
/* DATE */
F_I1(Date, VT_DATE) F_UI1(Date, VT_DATE) F_I2(Date, VT_DATE) F_UI2(Date, VT_DATE)
F_I4(Date, VT_DATE) F_UI4(Date, VT_DATE) F_I8(Date, VT_DATE) F_UI8(Date, VT_DATE)
F_R4(Date, VT_DATE) F_R8(Date, VT_DATE) F_CY(Date, VT_DATE) F_BOOL(Date, VT_DATE)
F_DEC(Date, VT_DATE) F_STR(Date, VT_DATE)
/* CY */
F_I1(Cy, VT_CY) F_UI1(Cy, VT_CY) F_I2(Cy, VT_CY) F_UI2(Cy, VT_CY) F_I4(Cy, VT_CY)
F_UI4(Cy, VT_CY) F_I8(Cy, VT_CY) F_UI8(Cy, VT_CY) F_R4(Cy, VT_CY) F_R8(Cy, VT_CY)
F_DATE(Cy, VT_CY) F_BOOL(Cy, VT_CY) F_DEC(Cy, VT_CY) F_STR(Cy, VT_CY)
/* BOOL */
F_I1(Bool, VT_BOOL) F_UI1(Bool, VT_BOOL) F_I2(Bool, VT_BOOL) F_UI2(Bool, VT_BOOL)
F_I4(Bool, VT_BOOL) F_UI4(Bool, VT_BOOL) F_I8(Bool, VT_BOOL) F_UI8(Bool, VT_BOOL)
F_R4(Bool, VT_BOOL) F_R8(Bool, VT_BOOL) F_DATE(Bool, VT_BOOL) F_CY(Bool, VT_BOOL)
F_DEC(Bool, VT_BOOL) F_STR(Bool, VT_BOOL)
/* DECIMAL */
F_I1(Dec, VT_DECIMAL) F_UI1(Dec, VT_DECIMAL) F_I2(Dec, VT_DECIMAL) F_UI2(Dec, VT_DECIMAL)
F_I4(Dec, VT_DECIMAL) F_UI4(Dec, VT_DECIMAL) F_I8(Dec, VT_DECIMAL) F_UI8(Dec, VT_DECIMAL)
F_R4(Dec, VT_DECIMAL) F_R8(Dec, VT_DECIMAL) F_DATE(Dec, VT_DECIMAL) F_CY(Dec, VT_DECIMAL)
F_BOOL(Dec, VT_DECIMAL) F_STR(Dec, VT_DECIMAL)

VAR_BSTR_FROM(VarBstrFromI1, signed char, VT_I1)
VAR_BSTR_FROM(VarBstrFromUI1, uint8_t, VT_UI1)
VAR_BSTR_FROM(VarBstrFromI2, int16_t, VT_I2)
VAR_BSTR_FROM(VarBstrFromUI2, uint16_t, VT_UI2)
VAR_BSTR_FROM(VarBstrFromI4, int32_t, VT_I4)
VAR_BSTR_FROM(VarBstrFromUI4, uint32_t, VT_UI4)
VAR_BSTR_FROM(VarBstrFromI8, int64_t, VT_I8)
VAR_BSTR_FROM(VarBstrFromUI8, uint64_t, VT_UI8)
VAR_BSTR_FROM(VarBstrFromR4, float, VT_R4)
VAR_BSTR_FROM(VarBstrFromR8, double, VT_R8)
VAR_BSTR_FROM(VarBstrFromDate, double, VT_DATE)
VAR_BSTR_FROM(VarBstrFromCy, CY, VT_CY)
VAR_BSTR_FROM(VarBstrFromBool, int16_t, VT_BOOL)

HRESULT WINAPI VarBstrFromDec(const DECIMAL *in, uint32_t lcid, uint32_t flags, BSTR *out)
{
    if (!out)
        return OA_E_INVALIDARG;
    return var_conv(VT_DECIMAL, in, VT_BSTR, out, flags, lcid);
}
THK_EXPORT(oleaut32, VarBstrFromDec, 4);

/* ---- CY arithmetic (exact, as Windows; overflow is DISP_E_OVERFLOW) ---- */

static HRESULT cy_store(__int128 v, CY *out)
{
    if (v > INT64_MAX || v < INT64_MIN)
        return OA_DISP_E_OVERFLOW;
    out->int64 = (int64_t)v;
    return OA_S_OK;
}

/* v / div rounded half to even */
static __int128 div_even(__int128 v, int64_t div)
{
    __int128 q = v / div, r = v % div;
    __int128 r2 = (r < 0 ? -r : r) * 2;
    if (r2 > div || (r2 == div && (q & 1)))
        q += v < 0 ? -1 : 1;
    return q;
}

HRESULT WINAPI VarCyAdd(CY a, CY b, CY *out)
{
    return cy_store((__int128)a.int64 + b.int64, out);
}
THK_EXPORT(oleaut32, VarCyAdd, 3);

HRESULT WINAPI VarCySub(CY a, CY b, CY *out)
{
    return cy_store((__int128)a.int64 - b.int64, out);
}
THK_EXPORT(oleaut32, VarCySub, 3);

HRESULT WINAPI VarCyMul(CY a, CY b, CY *out)
{
    return cy_store(div_even((__int128)a.int64 * b.int64, 10000), out);
}
THK_EXPORT(oleaut32, VarCyMul, 3);

HRESULT WINAPI VarCyMulI4(CY a, int32_t b, CY *out)
{
    return cy_store((__int128)a.int64 * b, out);
}
THK_EXPORT(oleaut32, VarCyMulI4, 3);

HRESULT WINAPI VarCyMulI8(CY a, int64_t b, CY *out)
{
    return cy_store((__int128)a.int64 * b, out);
}
THK_EXPORT(oleaut32, VarCyMulI8, 3);

HRESULT WINAPI VarCyAbs(CY a, CY *out)
{
    return cy_store(a.int64 < 0 ? -(__int128)a.int64 : a.int64, out);
}
THK_EXPORT(oleaut32, VarCyAbs, 2);

HRESULT WINAPI VarCyNeg(CY a, CY *out)
{
    return cy_store(-(__int128)a.int64, out);
}
THK_EXPORT(oleaut32, VarCyNeg, 2);

HRESULT WINAPI VarCyFix(CY a, CY *out)
{
    out->int64 = a.int64 / 10000 * 10000;
    return OA_S_OK;
}
THK_EXPORT(oleaut32, VarCyFix, 2);

HRESULT WINAPI VarCyInt(CY a, CY *out)
{
    int64_t q = a.int64 / 10000;
    if (a.int64 % 10000 < 0)
        q--;
    out->int64 = q * 10000;
    return OA_S_OK;
}
THK_EXPORT(oleaut32, VarCyInt, 2);

HRESULT WINAPI VarCyRound(CY a, int32_t decimals, CY *out)
{
    static const int64_t pow10[] = {10000, 1000, 100, 10};
    if (decimals < 0)
        return OA_E_INVALIDARG;
    if (decimals >= 4) {
        *out = a;
        return OA_S_OK;
    }
    int64_t unit = pow10[decimals];
    return cy_store(div_even(a.int64, unit) * unit, out);
}
THK_EXPORT(oleaut32, VarCyRound, 3);

#define OA_VARCMP_LT 0
#define OA_VARCMP_EQ 1
#define OA_VARCMP_GT 2

HRESULT WINAPI VarCyCmp(CY a, CY b)
{
    return a.int64 < b.int64 ? OA_VARCMP_LT : a.int64 > b.int64 ? OA_VARCMP_GT : OA_VARCMP_EQ;
}
THK_EXPORT(oleaut32, VarCyCmp, 2);

HRESULT WINAPI VarCyCmpR8(CY a, double b)
{
    CY c;
    HRESULT hr = var_conv(VT_R8, &b, VT_CY, &c, 0, 0x0400);
    return hr < 0 ? hr : VarCyCmp(a, c);
}
THK_EXPORT(oleaut32, VarCyCmpR8, 2);

/* ---- DECIMAL arithmetic ---- */

typedef HRESULT (*dec_op)(const oa_dec *, const oa_dec *, oa_dec *);

static HRESULT dec_binary(const DECIMAL *a, const DECIMAL *b, DECIMAL *out, dec_op op)
{
    oa_dec x, y, r;
    if (!a || !b || !out)
        return OA_E_INVALIDARG;
    HRESULT hr = dec_of_decimal(a, &x);
    if (hr >= 0)
        hr = dec_of_decimal(b, &y);
    if (hr >= 0)
        hr = op(&x, &y, &r);
    if (hr >= 0)
        hr = dec_to_decimal(r, out);
    return hr;
}

static HRESULT dec_sub(const oa_dec *a, const oa_dec *b, oa_dec *r)
{
    oa_dec nb = *b;
    nb.neg = !nb.neg;
    return dec_add(a, &nb, r);
}

HRESULT WINAPI VarDecAdd(const DECIMAL *a, const DECIMAL *b, DECIMAL *out)
{
    return dec_binary(a, b, out, dec_add);
}
THK_EXPORT(oleaut32, VarDecAdd, 3);

HRESULT WINAPI VarDecSub(const DECIMAL *a, const DECIMAL *b, DECIMAL *out)
{
    return dec_binary(a, b, out, dec_sub);
}
THK_EXPORT(oleaut32, VarDecSub, 3);

HRESULT WINAPI VarDecMul(const DECIMAL *a, const DECIMAL *b, DECIMAL *out)
{
    return dec_binary(a, b, out, dec_mul);
}
THK_EXPORT(oleaut32, VarDecMul, 3);

HRESULT WINAPI VarDecDiv(const DECIMAL *a, const DECIMAL *b, DECIMAL *out)
{
    return dec_binary(a, b, out, dec_div);
}
THK_EXPORT(oleaut32, VarDecDiv, 3);

HRESULT WINAPI VarDecCmp(const DECIMAL *a, const DECIMAL *b)
{
    oa_dec x, y;
    if (!a || !b)
        return OA_E_INVALIDARG;
    HRESULT hr = dec_of_decimal(a, &x);
    if (hr >= 0)
        hr = dec_of_decimal(b, &y);
    if (hr < 0)
        return hr;
    int c = dec_cmp(&x, &y);
    return c < 0 ? OA_VARCMP_LT : c > 0 ? OA_VARCMP_GT : OA_VARCMP_EQ;
}
THK_EXPORT(oleaut32, VarDecCmp, 2);

HRESULT WINAPI VarDecCmpR8(const DECIMAL *a, double b)
{
    DECIMAL d;
    HRESULT hr = var_conv(VT_R8, &b, VT_DECIMAL, &d, 0, 0x0400);
    return hr < 0 ? hr : VarDecCmp(a, &d);
}
THK_EXPORT(oleaut32, VarDecCmpR8, 2);

/* the unary operations: 0 negate, 1 absolute value, 2 truncate (Fix), 3 floor (Int), 4 round */
static HRESULT dec_unary(const DECIMAL *in, DECIMAL *out, int op, int decimals)
{
    oa_dec x;
    if (!in || !out)
        return OA_E_INVALIDARG;
    HRESULT hr = dec_of_decimal(in, &x);
    if (hr < 0)
        return hr;
    switch (op) {
    case 0: x.neg = !x.neg; break;
    case 1: x.neg = 0; break;
    case 2:
    case 3: {
        int frac = 0;
        while (x.scale > 0) {
            frac |= big_div(&x.m, 10) != 0;
            x.scale--;
        }
        if (op == 3 && frac && x.neg)
            big_muladd(&x.m, 1, 1);
        break;
    }
    default:
        if (decimals < 0)
            return OA_E_INVALIDARG;
        if (x.scale > decimals)
            dec_reduce(&x, decimals, 256);
        break;
    }
    if (op >= 2 && dec_is_zero(&x))
        x.neg = 0;
    return dec_to_decimal(x, out);
}

HRESULT WINAPI VarDecNeg(const DECIMAL *in, DECIMAL *out)
{
    return dec_unary(in, out, 0, 0);
}
THK_EXPORT(oleaut32, VarDecNeg, 2);

HRESULT WINAPI VarDecAbs(const DECIMAL *in, DECIMAL *out)
{
    return dec_unary(in, out, 1, 0);
}
THK_EXPORT(oleaut32, VarDecAbs, 2);

HRESULT WINAPI VarDecFix(const DECIMAL *in, DECIMAL *out)
{
    return dec_unary(in, out, 2, 0);
}
THK_EXPORT(oleaut32, VarDecFix, 2);

HRESULT WINAPI VarDecInt(const DECIMAL *in, DECIMAL *out)
{
    return dec_unary(in, out, 3, 0);
}
THK_EXPORT(oleaut32, VarDecInt, 2);

HRESULT WINAPI VarDecRound(const DECIMAL *in, int32_t decimals, DECIMAL *out)
{
    return dec_unary(in, out, 4, decimals);
}
THK_EXPORT(oleaut32, VarDecRound, 3);
