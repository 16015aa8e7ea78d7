/* SPDX-License-Identifier: MIT */
/* msvcrt's scanf family: one input engine with msvcrt.dll's semantics for narrow (crt_vscan)
 * and wide (crt_vwscan) formats, and the exports scanf, fscanf, sscanf, _snscanf, wscanf,
 * fwscanf, swscanf, _snwscanf and their _s forms (which take a buffer size after each %c, %s
 * and %[ pointer).
 *
 * msvcrt's rules, kept here: sizes h (short; hh is not char: it cancels the default and stores
 * 32 bits), l (32-bit integers, double for %f), ll and I64 (64 bits), I (pointer sized), L
 * (double), w (wide); %f %e %g store a float without l (and a double with h). Integers wrap
 * instead of saturating; %d takes no 0x prefix, %i and %x do. %D %O %U %X %E %G are their
 * lower-case forms, a conversion letter msvcrt does not know matches itself after white space.
 * No inf/nan/hex-float input. A width of 0 fails the conversion. For ucrtbase's
 * __stdio_common_v*scanf (CRT_SCAN_UCRT) hh stores a char and z, j, t store 64 bits, and
 * floating-point fields (%a too) take inf, infinity, nan, nan(...) and hexadecimal input as
 * the UCRT's parser does (scan_ucrt_float). %n
 * stores the characters read so far and does not count. The result is the number of fields assigned, or EOF (-1)
 * when the input ended (or failed) before any field matched.
 *
 * In narrow input %s/%c/%[ store bytes and %ls/%S/%lc/%C/%l[ store UTF-16 decoded from the
 * UTF-8 input (a malformed sequence stores '?'); in wide input %s/%c/%[ store UTF-16 and
 * %hs/%S/%hc/%C store UTF-8. */
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/msvcrt/crt.h"
#include "thunks/msvcrt/msvcrt_lib.h"

#define SCAN_EOF (-1)

typedef struct scan_state {
    const crt_in *in;
    bool wide;
    bool secure;    /* _s forms: %c %s %[ take a size */
    bool ucrt;      /* the UCRT's sizes: hh (char), z, j, t (64 bits) */
    int charcount;  /* characters read, for %n */
    int decimal;    /* the decimal point of floating-point fields */
} scan_state;

static int scan_inc(scan_state *st)
{
    st->charcount++;
    return st->in->getc(st->in->ctx);
}

static void scan_uninc(scan_state *st, int ch)
{
    st->charcount--;
    if (ch != SCAN_EOF)
        st->in->ungetc(st->in->ctx, ch);
}

static bool scan_isspace(const scan_state *st, int ch)
{
    if (ch < 0)
        return false;
    if (!st->wide || ch < 256)
        return ch < 256 && crt_isspace_c(ch);
    return (crt_wctype_of((uint16_t)ch) & CRT_SPACE) != 0;
}

/* msvcrt's _whiteout: the first character that is not white space (counted), or EOF. */
static int scan_white(scan_state *st)
{
    int ch;
    do
        ch = scan_inc(st);
    while (ch != SCAN_EOF && scan_isspace(st, ch));
    return ch;
}

static bool scan_isdigit(int ch) { return ch >= '0' && ch <= '9'; }
static bool scan_isxdigit(int ch)
{
    return scan_isdigit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}
static int scan_hexval(int ch) { return scan_isdigit(ch) ? ch - '0' : (ch | 0x20) - 'a' + 10; }

static uint32_t scan_fmt_at(const void *fmt, bool wide, size_t i)
{
    return wide ? ((const WCHAR *)fmt)[i] : ((const unsigned char *)fmt)[i];
}

/* A destination for %c %s %[: counts what it stores and, in the _s forms, refuses to go past
 * the size the caller gave (in destination units: bytes or WCHARs). */
typedef struct scan_dest {
    void *p;          /* next unit; NULL when suppressed */
    bool wide;        /* WCHAR units */
    size_t stored;    /* units stored (or characters matched when suppressed) */
    bool limited;
    size_t room;      /* units left, when limited */
    bool overflow;
    WCHAR high;       /* wide input to narrow storage: a high surrogate waiting for its pair */
} scan_dest;

static void scan_store_unit(scan_dest *d, uint32_t u)
{
    if (d->limited && !d->room) {
        d->overflow = true;
        return;
    }
    if (d->wide)
        *(WCHAR *)d->p = (WCHAR)u;
    else
        *(char *)d->p = (char)u;
    d->p = (char *)d->p + (d->wide ? sizeof(WCHAR) : 1);
    d->stored++;
    if (d->limited)
        d->room--;
}

/* Stores code point cp as UTF-16 (d->wide) or UTF-8. */
static void scan_store_cp(scan_dest *d, uint32_t cp)
{
    if (d->wide) {
        if (cp >= 0x10000) {
            if (d->limited && d->room < 2) {
                d->overflow = true;
                return;
            }
            scan_store_unit(d, 0xD800 + ((cp - 0x10000) >> 10));
            scan_store_unit(d, 0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            scan_store_unit(d, cp);
        }
        return;
    }
    char mb[4];
    int k = crt_utf8_encode(cp, mb);
    if (d->limited && d->room < (size_t)k) {
        d->overflow = true;
        return;
    }
    for (int i = 0; i < k; i++)
        scan_store_unit(d, (unsigned char)mb[i]);
}

/* Narrow input, wide storage: ch is the first byte of a UTF-8 sequence; the rest is read here
 * (and counted). A malformed sequence stores '?', as msvcrt stores it when mbtowc fails. A
 * character outside the BMP stores a surrogate pair, except for %lc, which has room for one
 * unit only. */
static void scan_store_mb_as_wide(scan_state *st, scan_dest *d, int ch, bool one_unit)
{
    char seq[4];
    int need = ch < 0x80 ? 1 : ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : ch >= 0xC0 ? 2 : 1;
    int n = 1;
    seq[0] = (char)ch;
    while (n < need) {
        int c = scan_inc(st);
        if (c == SCAN_EOF || (c & 0xC0) != 0x80) {
            scan_uninc(st, c);
            break;
        }
        seq[n++] = (char)c;
    }
    uint32_t cp;
    if (crt_utf8_decode(seq, (size_t)n, &cp) != n || (one_unit && cp >= 0x10000))
        cp = '?';
    scan_store_cp(d, cp);
}

/* Wide input, narrow storage: UTF-16 unit u as UTF-8; a surrogate pair makes one character, a
 * lone surrogate stores nothing (msvcrt: wctomb fails, nothing is stored). */
static void scan_store_wide_as_mb(scan_dest *d, uint32_t u)
{
    if (u >= 0xD800 && u <= 0xDBFF) {
        d->high = (WCHAR)u;
        return;
    }
    if (u >= 0xDC00 && u <= 0xDFFF) {
        if (d->high)
            scan_store_cp(d, 0x10000 + ((uint32_t)(d->high - 0xD800) << 10) + (u - 0xDC00));
        d->high = 0;
        return;
    }
    d->high = 0;
    scan_store_cp(d, u);
}

/* The text of a floating-point field, handed to strtod once complete. */
typedef struct scan_text {
    char *buf;
    size_t used, cap;
} scan_text;

static bool scan_text_put(scan_text *t, int c)
{
    if (t->used + 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        char *nb = realloc(t->buf, cap);
        if (!nb)
            return false;
        t->buf = nb;
        t->cap = cap;
    }
    t->buf[t->used++] = (char)c;
    t->buf[t->used] = 0;
    return true;
}

/* A floating-point field as the UCRT reads it (its parse_floating_point): an optional sign,
 * then "inf" or "infinity", "nan" with an optional "(chars)" ("nan(ind)" is the indeterminate
 * NaN, whose sign bit is set), a hexadecimal significand after 0x with an optional binary
 * exponent after p, or decimal digits with an optional exponent after e; letters in either
 * case, all of it within the width (-1: none). The text goes to t in strtod's syntax. ch is
 * the field's first character, and the one after it on return. False: no number. */
static bool scan_ucrt_float(scan_state *st, int *chp, int width, scan_text *t, bool *ind)
{
    int ch = *chp;
    bool ok = true, started = false, hex = false;
    *ind = false;
#define SCAN_TAKE(c) (ok = ok && scan_text_put(t, (c)), width--, ch = scan_inc(st))
    if ((ch == '-' || ch == '+') && width)
        SCAN_TAKE(ch);
    int lc = ch | 0x20;
    if (lc == 'i' || lc == 'n') {
        const char *word = lc == 'i' ? "inf" : "nan";
        for (const char *w = word; *w; w++) {
            if (!width || (ch | 0x20) != *w) {
                *chp = ch;
                return false;
            }
            SCAN_TAKE(*w);
        }
        if (lc == 'i') {
            for (const char *w = "inity"; *w && width && (ch | 0x20) == *w; w++)
                width--, ch = scan_inc(st);
        } else if (ch == '(' && width) {
            char seq[8];
            size_t n = 0;
            width--, ch = scan_inc(st);
            while (width && (scan_isdigit(ch) || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') ||
                             ch == '_')) {
                if (n < sizeof seq - 1)
                    seq[n++] = (char)(ch | 0x20);
                width--, ch = scan_inc(st);
            }
            seq[n] = 0;
            if (ch == ')' && width) {
                width--, ch = scan_inc(st);
                *ind = strcmp(seq, "ind") == 0;
            }
        }
        *chp = ch;
        return ok;
    }
    if (ch == '0' && width) {
        started = true;
        SCAN_TAKE('0');
        if ((ch | 0x20) == 'x' && width) {
            hex = true;
            SCAN_TAKE('x');
        }
    }
    while (ok && width && (scan_isdigit(ch) || (hex && (ch | 0x20) >= 'a' && (ch | 0x20) <= 'f'))) {
        started = true;
        SCAN_TAKE(ch);
    }
    if (ok && ch == st->decimal && width) {
        SCAN_TAKE('.');
        while (ok && width &&
               (scan_isdigit(ch) || (hex && (ch | 0x20) >= 'a' && (ch | 0x20) <= 'f'))) {
            started = true;
            SCAN_TAKE(ch);
        }
    }
    if (ok && started && (ch | 0x20) == (hex ? 'p' : 'e') && width) {
        SCAN_TAKE(hex ? 'p' : 'e');
        if ((ch == '-' || ch == '+') && width)
            SCAN_TAKE(ch);
        while (ok && width && scan_isdigit(ch))
            SCAN_TAKE(ch);
    }
#undef SCAN_TAKE
    *chp = ch;
    return ok && started;
}

static int scan_engine(scan_state *st, const void *fmt, __builtin_ms_va_list *ap)
{
    const bool wide = st->wide;
    int count = 0, match = 0;
    int ch = 0;
    size_t i = 0;
    uint8_t *table = NULL; /* %[ set: 256 bits (narrow) or 65536 bits (wide) */
    size_t table_size = wide ? 8192 : 32;
    uint32_t fc;

    st->charcount = 0;
    while ((fc = scan_fmt_at(fmt, wide, i)) != 0) {
        if (scan_isspace(st, (int)fc)) {
            scan_uninc(st, scan_white(st)); /* ch keeps its value here, as in msvcrt */
            while (scan_isspace(st, (int)scan_fmt_at(fmt, wide, ++i)))
                ;
            continue;
        }

        if (fc == '%' && scan_fmt_at(fmt, wide, i + 1) != '%') {
            int width = 0, widthset = 0, longone = 1, integer64 = 0, widechar = 0;
            bool charsize = false; /* the UCRT's hh */
            bool suppress = false, done = false, negative = false, started = false;
            uint32_t comchr;
            __builtin_ms_va_list saved = *ap;
            void *pointer = NULL;

            while (!done) {
                comchr = scan_fmt_at(fmt, wide, ++i);
                if (scan_isdigit((int)comchr)) {
                    widthset++;
                    width = (int)((unsigned)width * 10u + (comchr - '0'));
                    continue;
                }
                switch (comchr) {
                case 'F': case 'N':
                    break;
                case 'h':
                    if (st->ucrt && scan_fmt_at(fmt, wide, i + 1) == 'h') {
                        i++;
                        charsize = true;
                    }
                    longone--;
                    widechar--;
                    break;
                case 'z': case 'j': case 't':
                    if (!st->ucrt) {
                        done = true; /* msvcrt: a conversion letter it does not know */
                        break;
                    }
                    integer64++;
                    break;
                case 'I': {
                    uint32_t c1 = scan_fmt_at(fmt, wide, i + 1);
                    uint32_t c2 = c1 ? scan_fmt_at(fmt, wide, i + 2) : 0;
                    if (c1 == '6' && c2 == '4') {
                        i += 2;
                        integer64++;
                    } else if (c1 == '3' && c2 == '2') {
                        i += 2;
                    } else if (c1 == 'd' || c1 == 'i' || c1 == 'o' || c1 == 'x' || c1 == 'X') {
                        integer64++;
                    } else {
                        /* 'I' itself becomes the conversion character: %i, 64 bits */
                        integer64++;
                        done = true;
                    }
                    break;
                }
                case 'L':
                    longone++;
                    break;
                case 'l':
                    if (scan_fmt_at(fmt, wide, i + 1) == 'l') {
                        i++;
                        integer64++;
                        break;
                    }
                    longone++;
                    /* fall through */
                case 'w':
                    widechar++;
                    break;
                case '*':
                    suppress = true;
                    break;
                default:
                    done = true;
                    break;
                }
            }
            if (comchr == 0)
                goto error_return; /* the format ended inside a conversion */

            if (!suppress) {
                saved = *ap;
                pointer = __builtin_va_arg(*ap, void *);
            }
            if (!widechar) {
                bool upper = comchr == 'S' || comchr == 'C';
                widechar = upper == wide ? -1 : 1;
            }
            comchr |= 'a' - 'A'; /* %E %G %X ... and '[' becomes '{' */

            if (comchr != 'n') {
                ch = (comchr != 'c' && comchr != '{') ? scan_white(st) : scan_inc(st);
                if (ch == SCAN_EOF)
                    goto error_return;
            }
            if (widthset && !width) { /* a zero width fails */
                if (comchr != 'n')
                    scan_uninc(st, ch);
                goto error_return;
            }

            size_t array_size = 0;
            bool limited = false;
            if (st->secure && !suppress && (comchr == 'c' || comchr == 's' || comchr == '{')) {
                array_size = __builtin_va_arg(*ap, unsigned int);
                limited = true;
                if (!array_size) {
                    if (widechar > 0)
                        *(WCHAR *)pointer = 0;
                    else
                        *(char *)pointer = 0;
                    crt_set_errno(CRT_ENOMEM);
                    goto error_return;
                }
            }

            switch (comchr) {
            case 'c':
            case 's':
            case '{': {
                bool reject = false;
                if (comchr == 'c' && !widthset) {
                    widthset = 1;
                    width = 1;
                }
                if (comchr == '{') {
                    size_t j = i + 1;
                    uint32_t prev = 0;
                    if (!table) {
                        table = calloc(1, table_size);
                        if (!table)
                            goto error_return;
                    } else {
                        memset(table, 0, table_size);
                    }
                    if (scan_fmt_at(fmt, wide, j) == '^') {
                        j++;
                        reject = true;
                    }
                    if (scan_fmt_at(fmt, wide, j) == ']') {
                        prev = ']';
                        table[']' >> 3] |= 1 << (']' & 7);
                        j++;
                    }
                    uint32_t c;
                    while ((c = scan_fmt_at(fmt, wide, j)) != ']' && c != 0) {
                        j++;
                        uint32_t next = scan_fmt_at(fmt, wide, j);
                        if (c != '-' || !prev || next == ']' || next == 0) {
                            prev = c;
                            table[c >> 3] |= (uint8_t)(1 << (c & 7));
                            continue;
                        }
                        /* a range; reversed ends are swapped */
                        uint32_t lo = prev, hi = next;
                        j++;
                        if (lo > hi) {
                            uint32_t t = lo;
                            lo = hi;
                            hi = t;
                        }
                        for (uint32_t r = lo; r <= hi; r++)
                            table[r >> 3] |= (uint8_t)(1 << (r & 7));
                        prev = 0;
                    }
                    if (!c)
                        goto error_return; /* no closing ']' */
                    i = j; /* at the ']' */
                }

                bool wide_dest = widechar > 0;
                scan_dest d = {.p = suppress ? NULL : pointer, .wide = wide_dest,
                               .limited = limited,
                               .room = limited ? array_size - (comchr != 'c') : 0};
                scan_uninc(st, ch);
                while (!widthset || width--) {
                    ch = scan_inc(st);
                    bool take = false;
                    if (ch != SCAN_EOF) {
                        if (comchr == 'c')
                            take = true;
                        else if (comchr == 's')
                            take = !(ch >= '\t' && ch <= '\r') && ch != ' ';
                        else
                            take = ((table[ch >> 3] >> (ch & 7)) & 1) != reject;
                    }
                    if (!take) {
                        scan_uninc(st, ch);
                        break;
                    }
                    if (suppress) {
                        d.stored++;
                        continue;
                    }
                    if (wide == wide_dest)
                        scan_store_unit(&d, (uint32_t)ch);
                    else if (wide)
                        scan_store_wide_as_mb(&d, (uint32_t)ch);
                    else if (ch < 0x80)
                        scan_store_cp(&d, (uint32_t)ch);
                    else
                        scan_store_mb_as_wide(st, &d, ch, comchr == 'c');
                    if (d.overflow)
                        break;
                }
                if (d.overflow) {
                    if (wide_dest)
                        *(WCHAR *)pointer = 0;
                    else
                        *(char *)pointer = 0;
                    crt_set_errno(CRT_ENOMEM);
                    goto error_return;
                }
                if (!d.stored)
                    goto error_return;
                if (!suppress) {
                    count++;
                    if (comchr != 'c') {
                        if (wide_dest)
                            *(WCHAR *)d.p = 0;
                        else
                            *(char *)d.p = 0;
                    }
                }
                break;
            }

            case 'i':
            case 'x':
            case 'p':
            case 'o':
            case 'u':
            case 'd': {
                /* computed in 64 bits; a 32-bit conversion wraps at 2^32 as msvcrt's does */
                uint64_t number = 0;
                bool num_done = false;
                bool prefixed = comchr == 'i' || comchr == 'x'; /* 0x, and 0 for octal (%i) */
                if (comchr == 'i')
                    comchr = 'd';
                if (comchr == 'p') {
                    longone = 1;
                    integer64++;
                }
                if (ch == '-' || ch == '+') {
                    negative = ch == '-';
                    if (!--width && widthset)
                        num_done = true; /* the sign used the whole width */
                    else
                        ch = scan_inc(st);
                }
                if (prefixed && ch == '0') {
                    ch = scan_inc(st);
                    if (ch == 'x' || ch == 'X') {
                        ch = scan_inc(st);
                        if (widthset) {
                            width -= 2;
                            if (width < 1)
                                num_done = true;
                        }
                        comchr = 'x';
                    } else {
                        started = true;
                        if (comchr != 'x') {
                            /* msvcrt: when the width ends here, the character after the 0
                             * has been read and is not put back */
                            if (widthset && !--width)
                                num_done = true;
                            comchr = 'o';
                        } else {
                            scan_uninc(st, ch); /* hex starting with 0: read the 0 as a digit */
                            ch = '0';
                        }
                    }
                }
                while (!num_done) {
                    int digit = -1;
                    if (comchr == 'x' || comchr == 'p') {
                        if (scan_isxdigit(ch))
                            digit = scan_hexval(ch);
                    } else if (scan_isdigit(ch) && !(comchr == 'o' && ch >= '8')) {
                        digit = ch - '0';
                    }
                    if (digit < 0) {
                        scan_uninc(st, ch);
                        break;
                    }
                    if (comchr == 'x' || comchr == 'p')
                        number <<= 4;
                    else if (comchr == 'o')
                        number <<= 3;
                    else
                        number *= 10;
                    number += (uint64_t)digit;
                    started = true;
                    if (widthset && !--width)
                        num_done = true; /* the last digit is consumed, nothing read after */
                    else
                        ch = scan_inc(st);
                }
                if (negative)
                    number = 0 - number;
                if (!started)
                    goto error_return;
                if (!suppress) {
                    count++;
                    if (integer64) {
                        memcpy(pointer, &number, 8);
                    } else if (charsize) {
                        *(uint8_t *)pointer = (uint8_t)number;
                    } else if (longone) {
                        uint32_t v = (uint32_t)number;
                        memcpy(pointer, &v, 4);
                    } else {
                        uint16_t v = (uint16_t)number;
                        memcpy(pointer, &v, 2);
                    }
                }
                break;
            }

            case 'n':
                if (!suppress) {
                    int64_t v = st->charcount;
                    if (integer64)
                        memcpy(pointer, &v, 8);
                    else if (charsize)
                        *(int8_t *)pointer = (int8_t)v;
                    else if (longone) {
                        int32_t v32 = (int32_t)v;
                        memcpy(pointer, &v32, 4);
                    } else {
                        int16_t v16 = (int16_t)v;
                        memcpy(pointer, &v16, 2);
                    }
                }
                break;

            case 'a':
                if (!st->ucrt)
                    goto unknown_letter; /* msvcrt has no %a */
                /* fall through */
            case 'e':
            case 'f':
            case 'g':
                if (st->ucrt) {
                    scan_text t = {0};
                    bool ind;
                    bool ok = scan_ucrt_float(st, &ch, widthset ? width : -1, &t, &ind);
                    scan_uninc(st, ch);
                    if (ok && !suppress) {
                        count++;
                        double v = ind ? -(double)NAN : strtod_l(t.buf, NULL, crt_c_locale());
                        if (ind && t.buf[0] == '-')
                            v = -v;
                        if (longone - 1) {
                            memcpy(pointer, &v, sizeof v);
                        } else {
                            float f = ind ? (float)v : strtof_l(t.buf, NULL, crt_c_locale());
                            memcpy(pointer, &f, sizeof f);
                        }
                    }
                    free(t.buf);
                    if (!ok)
                        goto error_return;
                    break;
                }
                {
                scan_text t = {0};
                bool ok = true;
                if (ch == '-' || ch == '+') {
                    if (ch == '-')
                        ok = ok && scan_text_put(&t, '-');
                    --width;
                    ch = scan_inc(st);
                }
                if (!widthset)
                    width = -1; /* unlimited */
                while (ok && scan_isdigit(ch) && width--) {
                    started = true;
                    ok = ok && scan_text_put(&t, ch);
                    ch = scan_inc(st);
                }
                if (ok && ch == st->decimal && width--) {
                    ch = scan_inc(st);
                    ok = ok && scan_text_put(&t, '.');
                    while (ok && scan_isdigit(ch) && width--) {
                        started = true;
                        ok = ok && scan_text_put(&t, ch);
                        ch = scan_inc(st);
                    }
                }
                if (ok && started && (ch == 'e' || ch == 'E') && width--) {
                    ok = ok && scan_text_put(&t, 'e');
                    ch = scan_inc(st);
                    if (ch == '-' || ch == '+') {
                        if (ch == '-')
                            ok = ok && scan_text_put(&t, '-');
                        if (!width--)
                            ++width;
                        else
                            ch = scan_inc(st);
                    }
                    while (ok && scan_isdigit(ch) && width--) {
                        started = true;
                        ok = ok && scan_text_put(&t, ch);
                        ch = scan_inc(st);
                    }
                }
                scan_uninc(st, ch);
                if (ok && started && !suppress) {
                    const char *buf = t.buf;
                    count++;
                    if (longone - 1) {
                        double v = strtod_l(buf, NULL, crt_c_locale());
                        memcpy(pointer, &v, sizeof v);
                    } else {
                        float v = strtof_l(buf, NULL, crt_c_locale());
                        memcpy(pointer, &v, sizeof v);
                    }
                }
                free(t.buf);
                if (!ok || !started)
                    goto error_return;
                break;
            }

            default: /* '%' or a letter msvcrt does not know: matches itself */
            unknown_letter:
                if (scan_fmt_at(fmt, wide, i) != (uint32_t)ch) {
                    scan_uninc(st, ch);
                    goto error_return;
                }
                match--;
                if (!suppress)
                    *ap = saved;
                break;
            }
            match++;
            i++; /* past the conversion character (or the ']' of a set) */
        } else {
            if (fc == '%')
                i++; /* "%%" matches one '%' */
            ch = scan_inc(st);
            if (scan_fmt_at(fmt, wide, i++) != (uint32_t)ch) {
                scan_uninc(st, ch);
                goto error_return;
            }
        }

        if (ch == SCAN_EOF &&
            !(scan_fmt_at(fmt, wide, i) == '%' && scan_fmt_at(fmt, wide, i + 1) == 'n'))
            break;
    }

error_return:
    free(table);
    if (ch == SCAN_EOF)
        return (count || match) ? count : SCAN_EOF;
    return count;
}

static int scan_run(const crt_in *in, const void *fmt, bool wide, unsigned secure,
                    __builtin_ms_va_list ap)
{
    scan_state st = {.in = in, .wide = wide, .secure = (secure & CRT_SCAN_SECURE) != 0,
                     .ucrt = (secure & CRT_SCAN_UCRT) != 0,
                     .decimal = secure >> 8 ? (int)(secure >> 8)
                                            : (uint8_t)crt_locale_current()->decimal};
    if (!fmt) {
        crt_set_errno(CRT_EINVAL);
        return SCAN_EOF;
    }
    return scan_engine(&st, fmt, &ap);
}

int crt_vscan(const crt_in *in, const char *fmt, __builtin_ms_va_list ap)
{
    return scan_run(in, fmt, false, false, ap);
}

int crt_vwscan(const crt_in *in, const WCHAR *fmt, __builtin_ms_va_list ap)
{
    return scan_run(in, fmt, true, false, ap);
}

/* ---------------------------------------------------------------------------------------------
 * Sources.
 */

/* The console's keys (_cscanf family: conio.c's source, echoed; the key looked at last is put
 * back with _ungetch). */
int crt_scan_console(const void *fmt, bool wide, unsigned flags, __builtin_ms_va_list ap)
{
    crt_in in = crt_conio_in(wide);
    return scan_run(&in, fmt, wide, flags, ap);
}

/* A string of `len` units (msvcrt's string FILE: NUL bytes inside the count are input too). */
typedef struct scan_str {
    const void *s;
    size_t pos, len;
    bool wide;
} scan_str;

static int scan_str_getc(void *ctx)
{
    scan_str *ss = ctx;
    if (ss->pos >= ss->len)
        return SCAN_EOF;
    return ss->wide ? ((const WCHAR *)ss->s)[ss->pos++] : ((const unsigned char *)ss->s)[ss->pos++];
}

static void scan_str_ungetc(void *ctx, int c)
{
    scan_str *ss = ctx;
    if (ss->pos)
        ss->pos--;
}

static int scan_string(const void *s, size_t len, bool wide, const void *fmt, unsigned secure,
                       __builtin_ms_va_list ap)
{
    if (!s || !fmt) {
        crt_set_errno(CRT_EINVAL);
        return SCAN_EOF;
    }
    scan_str ss = {s, 0, len, wide};
    crt_in in = {scan_str_getc, scan_str_ungetc, &ss};
    return scan_run(&in, fmt, wide, secure, ap);
}

/* A FILE, bytes. */
static int scan_file_getc(void *ctx) { return crt_stream_getc(ctx); }
static void scan_file_ungetc(void *ctx, int c) { crt_stream_ungetc(c, ctx); }

static int scan_file(void *f, const char *fmt, unsigned secure, __builtin_ms_va_list ap)
{
    crt_FILE *s = f ? crt_stream_check(f) : NULL;
    if (!s || !fmt) {
        crt_set_errno(CRT_EINVAL);
        return SCAN_EOF;
    }
    crt_in in = {scan_file_getc, scan_file_ungetc, s};
    crt_stream_lock(s); /* the whole call reads as one */
    int r = scan_run(&in, fmt, false, secure, ap);
    crt_stream_unlock(s);
    return r;
}

/* A FILE, UTF-16 units: decoded from UTF-8 in text mode (a malformed sequence reads as '?'),
 * read as little-endian pairs of bytes in binary mode. Units put back are kept here and
 * returned to the stream (as bytes) when the call ends. */
typedef struct scan_wfile {
    crt_FILE *f;
    bool text;
    int npending;
    int pending[3];
} scan_wfile;

static int scan_wfile_getc(void *ctx)
{
    scan_wfile *wf = ctx;
    if (wf->npending)
        return wf->pending[--wf->npending];
    int b = crt_stream_getc(wf->f);
    if (b < 0)
        return SCAN_EOF;
    if (!wf->text) {
        int b1 = crt_stream_getc(wf->f);
        return b1 < 0 ? SCAN_EOF : b | (b1 << 8);
    }
    if (b < 0x80)
        return b;
    char seq[4];
    int need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1, n = 1;
    seq[0] = (char)b;
    while (n < need) {
        int c = crt_stream_getc(wf->f);
        if (c < 0 || (c & 0xC0) != 0x80) {
            if (c >= 0)
                crt_stream_ungetc(c, wf->f);
            break;
        }
        seq[n++] = (char)c;
    }
    uint32_t cp;
    if (crt_utf8_decode(seq, (size_t)n, &cp) != n)
        return '?';
    if (cp >= 0x10000) {
        wf->pending[wf->npending++] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
        return 0xD800 + ((cp - 0x10000) >> 10);
    }
    return (int)cp;
}

static void scan_wfile_ungetc(void *ctx, int c)
{
    scan_wfile *wf = ctx;
    if (wf->npending < 3)
        wf->pending[wf->npending++] = c;
}

/* Gives units still pending back to the stream, last read first. */
static void scan_wfile_finish(scan_wfile *wf)
{
    while (wf->npending) {
        int u = wf->pending[--wf->npending];
        char b[4];
        int k;
        if (!wf->text) {
            b[0] = (char)(u & 0xFF);
            b[1] = (char)(u >> 8);
            k = 2;
        } else if (u >= 0xD800 && u <= 0xDFFF) {
            continue; /* half of a pair cannot go back as UTF-8 */
        } else {
            k = crt_utf8_encode((uint32_t)u, b);
        }
        for (int i = k - 1; i >= 0; i--)
            crt_stream_ungetc((unsigned char)b[i], wf->f);
    }
}

static int scan_wide_file(void *f, const WCHAR *fmt, unsigned secure, __builtin_ms_va_list ap)
{
    crt_FILE *s = f ? crt_stream_check(f) : NULL;
    if (!s || !fmt) {
        crt_set_errno(CRT_EINVAL);
        return SCAN_EOF;
    }
    scan_wfile wf = {.f = s, .text = crt_fd_is_text(s->_file) != 0};
    crt_in in = {scan_wfile_getc, scan_wfile_ungetc, &wf};
    crt_stream_lock(s);
    int r = scan_run(&in, fmt, true, secure, ap);
    scan_wfile_finish(&wf);
    crt_stream_unlock(s);
    return r;
}

static size_t scan_wcslen(const WCHAR *s)
{
    size_t n = 0;
    if (s)
        while (s[n])
            n++;
    return n;
}

/* ---------------------------------------------------------------------------------------------
 * Exports. Each variadic one exists twice: plain and _s (sizes after %c %s %[ pointers).
 */
#define SCAN_EXPORTS(name, body_call, ...)                                                     \
    static int WINAPI msvcrt_##name(__VA_ARGS__, ...)                                          \
    {                                                                                          \
        __builtin_ms_va_list ap;                                                               \
        __builtin_ms_va_start(ap, fmt);                                                        \
        int r = body_call;                                                                     \
        __builtin_ms_va_end(ap);                                                               \
        return r;                                                                              \
    }                                                                                          \
    THK_EXPORT_AS(msvcrt, name, msvcrt_##name, THK_VARIADIC)

SCAN_EXPORTS(sscanf, scan_string(s, s ? strlen(s) : 0, false, fmt, false, ap),
             const char *s, const char *fmt);
SCAN_EXPORTS(sscanf_s, scan_string(s, s ? strlen(s) : 0, false, fmt, true, ap),
             const char *s, const char *fmt);
SCAN_EXPORTS(_snscanf, scan_string(s, n, false, fmt, false, ap),
             const char *s, size_t n, const char *fmt);
SCAN_EXPORTS(_snscanf_s, scan_string(s, n, false, fmt, true, ap),
             const char *s, size_t n, const char *fmt);
SCAN_EXPORTS(fscanf, scan_file(f, fmt, false, ap), void *f, const char *fmt);
SCAN_EXPORTS(fscanf_s, scan_file(f, fmt, true, ap), void *f, const char *fmt);
SCAN_EXPORTS(scanf, scan_file(&crt_iob[0], fmt, false, ap), const char *fmt);
SCAN_EXPORTS(scanf_s, scan_file(&crt_iob[0], fmt, true, ap), const char *fmt);

SCAN_EXPORTS(swscanf, scan_string(s, scan_wcslen(s), true, fmt, false, ap),
             const WCHAR *s, const WCHAR *fmt);
SCAN_EXPORTS(swscanf_s, scan_string(s, scan_wcslen(s), true, fmt, true, ap),
             const WCHAR *s, const WCHAR *fmt);
SCAN_EXPORTS(_snwscanf, scan_string(s, n, true, fmt, false, ap),
             const WCHAR *s, size_t n, const WCHAR *fmt);
SCAN_EXPORTS(_snwscanf_s, scan_string(s, n, true, fmt, true, ap),
             const WCHAR *s, size_t n, const WCHAR *fmt);
SCAN_EXPORTS(fwscanf, scan_wide_file(f, fmt, false, ap), void *f, const WCHAR *fmt);
SCAN_EXPORTS(fwscanf_s, scan_wide_file(f, fmt, true, ap), void *f, const WCHAR *fmt);
SCAN_EXPORTS(wscanf, scan_wide_file(&crt_iob[0], fmt, false, ap), const WCHAR *fmt);
SCAN_EXPORTS(wscanf_s, scan_wide_file(&crt_iob[0], fmt, true, ap), const WCHAR *fmt);

/* ---------------------------------------------------------------------------------------------
 * For ucrtbase's __stdio_common_v*scanf (crt.h).
 */
int crt_scan_string(const void *s, size_t len, bool wide, const void *fmt, unsigned secure,
                    __builtin_ms_va_list ap)
{
    if (s && len == SIZE_MAX)
        len = wide ? scan_wcslen(s) : strlen(s);
    return scan_string(s, len, wide, fmt, secure, ap);
}

int crt_scan_stream(void *f, const void *fmt, bool wide, unsigned secure, __builtin_ms_va_list ap)
{
    return wide ? scan_wide_file(f, fmt, secure, ap) : scan_file(f, fmt, secure, ap);
}
