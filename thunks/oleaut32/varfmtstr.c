/* SPDX-License-Identifier: MIT */
/* oleaut32's format strings, as Visual Basic's Format function reads them: VarFormat (the user's
 * default locale, en-US here), VarTokenizeFormatString and VarFormatFromTokens (the LCID's
 * locale). The locale gives (kernel32's GetLocaleInfoW) the decimal and thousands separators
 * that "." and "," print, the date and time separators "/" and ":" print (those of its short
 * date and time pictures), day and month names, AMPM's designators (AM/PM, am/pm and A/P are
 * themselves), the pictures of c, ddddd, dddddd, ttttt and of the named formats Short Date,
 * Long Date and Long Time (Windows' d/M/y/H/h/m/s/tt pictures read as these letters), and the
 * named format Currency (its symbol, LOCALE_ICURRENCY and LOCALE_INEGCURR's patterns).
 *
 * - Named formats: General Number, Currency, Fixed, Standard, Percent, Scientific, Yes/No,
 *   True/False, On/Off, General Date, Long Date, Medium Date, Short Date, Long Time,
 *   Medium Time, Short Time.
 * - Numbers: up to four sections "positive;negative;zero;null"; 0 and # digit placeholders, the
 *   first . the decimal point, , between placeholders groups by threes and right before the
 *   point (or the end) divides by 1000, % multiplies by 100, E+ E- e+ e- scientific notation;
 *   the value rounds half away from zero; a negative value in the first section gets "-".
 * - Dates and times: d dd ddd dddd ddddd dddddd, w ww, m mm mmm mmmm (minutes after h or before
 *   s), q, y yy yyyy, h hh, n nn, s ss, ttttt, c, AM/PM am/pm A/P a/p AMPM (a 12-hour clock),
 *   / and : (the date and time separators).
 * - Text: @ (a character or a space), & (a character or nothing), < lower case, > upper case,
 *   ! fills from the left.
 * - Everywhere: "quoted text", \x for the character x; other characters are themselves.
 *
 * The tokens VarTokenizeFormatString writes are this implementation's own (Windows documents
 * them only as a buffer for VarFormatFromTokens): a header, then the format string. */
#include <string.h>
#include "thunks/oleaut32/oleaut32_private.h"

HRESULT WINAPI VariantChangeType(VARIANT *dst, const VARIANT *src, uint16_t flags, VARTYPE vt);
HRESULT WINAPI VarUdateFromDate(DATE d, uint32_t flags, UDATE *out);
int WINAPI GetLocaleInfoW(uint32_t lcid, uint32_t type, WCHAR *buf, int size);

#define FS_LOCALE_USER_DEFAULT 0x400u

/* The locale a value is formatted for (see the top) */
typedef struct {
    WCHAR dec, thou, timesep;
    WCHAR datesep[8]; /* the short date picture's first separator: "/", ".", ". " */
    WCHAR days[7][32], sdays[7][24];       /* Sunday first */
    WCHAR months[12][32], smonths[12][24];
    WCHAR am[16], pm[16];
    WCHAR short_date[48], long_date[64], time[48]; /* as format strings */
    WCHAR currency[80];                            /* the named format Currency */
} fs_loc;

/* A value of the locale (with the user's overrides where it is the user's, as GetLocaleInfoW
 * gives them) */
static void fs_info(uint32_t lcid, uint32_t type, WCHAR *buf, int size, const char *dflt)
{
    if (GetLocaleInfoW(lcid, type, buf, size) > 0)
        return;
    int i = 0;
    for (; dflt[i] && i + 1 < size; i++)
        buf[i] = (unsigned char)dflt[i];
    buf[i] = 0;
}

/* Windows' picture (d M y h H m s tt, 'quoted') as a format string of these (m for months, n
 * for minutes, AMPM, "quoted"); the characters between its first two date fields into sep
 * (8 units) when given */
static void fs_picture(const WCHAR *pic, WCHAR *out, size_t cap, WCHAR *sep)
{
    if (sep) {
        size_t i = 0, k = 0;
        while (pic[i] && pic[i] != 'd' && pic[i] != 'M' && pic[i] != 'y')
            i++;
        WCHAR field = pic[i];
        while (pic[i] && pic[i] == field)
            i++;
        while (pic[i] && pic[i] != 'd' && pic[i] != 'M' && pic[i] != 'y' && pic[i] != '\'' &&
               k < 7)
            sep[k++] = pic[i++];
        sep[k] = 0;
    }
    size_t k = 0;
    for (size_t i = 0; pic[i] && k + 6 < cap; i++) {
        WCHAR c = pic[i];
        if (c == '\'') {
            out[k++] = '"';
            for (i++; pic[i] && pic[i] != '\'' && k + 2 < cap; i++)
                out[k++] = pic[i];
            out[k++] = '"';
            if (!pic[i])
                break;
        } else if (c == 'M') {
            out[k++] = 'm';
        } else if (c == 'm') {
            out[k++] = 'n';
        } else if (c == 'H') {
            out[k++] = 'h';
        } else if (c == 't') {
            while (pic[i + 1] == 't')
                i++;
            memcpy(out + k, u"AMPM", 4 * sizeof(WCHAR));
            k += 4;
        } else if (c == 'd' || c == 'y' || c == 'h' || c == 's') {
            out[k++] = c;
        } else {
            out[k++] = c; /* '/' and ':' print the locale's separators */
        }
    }
    out[k] = 0;
}

/* LOCALE_INEGCURR's patterns (Microsoft's table), $ the symbol, 1 the number */
static const char *const fs_negcurr[16] = {
    "($1)", "-$1", "$-1", "$1-", "(1$)", "-1$", "1-$", "1$-",
    "-1 $", "-$ 1", "1 $-", "$ 1-", "$ -1", "1- $", "($ 1)", "(1 $)"};

static void fs_loc_get(uint32_t lcid, fs_loc *l)
{
    WCHAR b[80];
    memset(l, 0, sizeof *l);
    fs_info(lcid, 0x0e, b, 8, "."); /* LOCALE_SDECIMAL */
    l->dec = b[0] ? b[0] : '.';
    fs_info(lcid, 0x0f, b, 8, ","); /* LOCALE_STHOUSAND */
    l->thou = b[0] ? b[0] : ',';
    for (int i = 0; i < 7; i++) { /* LOCALE_SDAYNAME1 is Monday */
        fs_info(lcid, 0x2a + (uint32_t)(i + 6) % 7, l->days[i], 32, oa_fmt_days[i]);
        fs_info(lcid, 0x31 + (uint32_t)(i + 6) % 7, l->sdays[i], 24, "");
    }
    for (int i = 0; i < 12; i++) {
        fs_info(lcid, 0x38 + (uint32_t)i, l->months[i], 32, oa_fmt_months[i]);
        fs_info(lcid, 0x44 + (uint32_t)i, l->smonths[i], 24, "");
    }
    fs_info(lcid, 0x28, l->am, 16, "AM"); /* LOCALE_S1159 */
    fs_info(lcid, 0x29, l->pm, 16, "PM");
    fs_info(lcid, 0x1f, b, 48, "M/d/yyyy"); /* LOCALE_SSHORTDATE */
    fs_picture(b, l->short_date, 48, l->datesep);
    if (!l->datesep[0])
        l->datesep[0] = '/', l->datesep[1] = 0;
    fs_info(lcid, 0x20, b, 64, "dddd, MMMM d, yyyy"); /* LOCALE_SLONGDATE */
    fs_picture(b, l->long_date, 64, NULL);
    fs_info(lcid, 0x1003, b, 48, "h:mm:ss tt"); /* LOCALE_STIMEFORMAT */
    l->timesep = ':';
    for (size_t i = 0; b[i]; i++)
        if (b[i] != 'h' && b[i] != 'H' && (b[i] < 'a' || b[i] > 'z') && b[i] != ' ') {
            l->timesep = b[i];
            break;
        }
    fs_picture(b, l->time, 48, NULL);
    /* Currency: "$#,##0.00;($#,##0.00)" in the locale's arrangement, the symbol quoted */
    WCHAR sym[16], digits[4], pos[4], neg[4];
    fs_info(lcid, 0x14, sym, 16, "$");  /* LOCALE_SCURRENCY */
    fs_info(lcid, 0x19, digits, 4, "2"); /* LOCALE_ICURRDIGITS */
    fs_info(lcid, 0x1b, pos, 4, "0");    /* LOCALE_ICURRENCY */
    fs_info(lcid, 0x1c, neg, 4, "0");    /* LOCALE_INEGCURR */
    int nd = digits[0] >= '0' && digits[0] <= '9' ? digits[0] - '0' : 2;
    int ip = pos[0] >= '0' && pos[0] <= '3' ? pos[0] - '0' : 0;
    int in = neg[0] >= '0' && neg[0] <= '9' ? (neg[1] >= '0' && neg[1] <= '9'
                                                   ? (neg[0] - '0') * 10 + neg[1] - '0'
                                                   : neg[0] - '0')
                                            : 0;
    static const char *const posfmt[4] = {"$1", "1$", "$ 1", "1 $"};
    const char *pats[2] = {posfmt[ip], fs_negcurr[in < 16 ? in : 0]};
    size_t k = 0;
    for (int p = 0; p < 2; p++) {
        if (p)
            l->currency[k++] = ';';
        for (const char *c = pats[p]; *c && k + 40 < 80; c++) {
            if (*c == '$') {
                l->currency[k++] = '"';
                for (size_t j = 0; sym[j] && k + 30 < 80; j++)
                    l->currency[k++] = sym[j];
                l->currency[k++] = '"';
            } else if (*c == '1') {
                static const char num[] = "#,##0";
                for (size_t j = 0; num[j]; j++)
                    l->currency[k++] = (unsigned char)num[j];
                if (nd)
                    l->currency[k++] = '.';
                for (int j = 0; j < nd; j++)
                    l->currency[k++] = '0';
            } else if (*c == '-' || *c == '(' || *c == ')') {
                l->currency[k++] = '\\';
                l->currency[k++] = (unsigned char)*c;
            } else {
                l->currency[k++] = (unsigned char)*c;
            }
        }
    }
    l->currency[k] = 0;
}

#define FS_TYPE_E_BUFFERTOOSMALL ((HRESULT)0x80028016)
#define FS_TOK_MAGIC 0x46544e00u /* "\0NTF" */
#define FS_MAX 256               /* format characters kept */

typedef struct {
    uint32_t magic;
    int32_t first_day, first_week;
    uint32_t len; /* WCHARs of format after the header */
} fs_tok_head;

/* Case-insensitive compare of n format characters with ASCII */
static bool fs_is(const WCHAR *f, size_t n, const char *a)
{
    for (size_t i = 0; i < n; i++) {
        WCHAR c = f[i], d = (unsigned char)a[i];
        if (!d)
            return false;
        if (c >= 'A' && c <= 'Z')
            c = (WCHAR)(c + 32);
        if (d >= 'A' && d <= 'Z')
            d = (WCHAR)(d + 32);
        if (c != d)
            return false;
    }
    return !a[n];
}

/* One unit, as UTF-8 (oa_fmt_give reads it back) */
static void fs_putc(oa_fmt_buf *b, WCHAR c)
{
    char s[4] = {0};
    if (c < 0x80) {
        s[0] = (char)c;
    } else if (c < 0x800) {
        s[0] = (char)(0xc0 | c >> 6), s[1] = (char)(0x80 | (c & 0x3f));
    } else {
        s[0] = (char)(0xe0 | c >> 12), s[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        s[2] = (char)(0x80 | (c & 0x3f));
    }
    oa_fmt_put(b, s);
}

static void fs_putw(oa_fmt_buf *b, const WCHAR *w)
{
    for (; *w; w++)
        fs_putc(b, *w);
}

static void fs_putu(oa_fmt_buf *b, unsigned v, int width)
{
    char s[16];
    int n = 0;
    do {
        s[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width)
        s[n++] = '0';
    for (int i = n - 1; i >= 0; i--)
        fs_putc(b, (WCHAR)s[i]);
}

/* A literal at f[*i] (a quoted string, \x): appended, *i moved past it. False when f[*i] is
 * neither. */
static bool fs_literal(const WCHAR *f, size_t n, size_t *i, oa_fmt_buf *b)
{
    if (f[*i] == '"') {
        for ((*i)++; *i < n && f[*i] != '"'; (*i)++)
            if (b)
                fs_putc(b, f[*i]);
        if (*i < n)
            (*i)++;
        return true;
    }
    if (f[*i] == '\\') {
        if (*i + 1 < n && b)
            fs_putc(b, f[*i + 1]);
        *i += *i + 1 < n ? 2 : 1;
        return true;
    }
    return false;
}

/* The sections of f split at ';' outside quotes: their count (1..4) */
static int fs_sections(const WCHAR *f, size_t n, const WCHAR *sec[4], size_t len[4])
{
    int k = 0;
    size_t start = 0, i = 0;
    while (i < n) {
        if (fs_literal(f, n, &i, NULL))
            continue;
        if (f[i] == ';' && k < 3) {
            sec[k] = f + start, len[k] = i - start, k++;
            start = ++i;
            continue;
        }
        i++;
    }
    sec[k] = f + start, len[k] = n - start;
    return k + 1;
}

/* ---- numbers ---- */

/* Whether f[i] starts an exponent: E+ E- e+ e- */
static bool fs_exp_at(const WCHAR *f, size_t n, size_t i)
{
    return (f[i] == 'E' || f[i] == 'e') && i + 1 < n && (f[i + 1] == '+' || f[i + 1] == '-');
}

/* The digits of num rounded to `frac` fraction digits: integer digits (no leading zeros, ""
 * for zero) to ip, fraction digits (exactly frac) to fp. */
static void fs_round(const oa_fmt_num *num, int frac, char *ip, char *fp)
{
    char d[1024]; /* 309 digits of DBL_MAX, 2 of %, FS_MAX placeholders */
    int n = (int)strlen(num->digits), point = num->point;
    memcpy(d, num->digits, (size_t)n + 1);
    while (point <= 0 && n < 1000) { /* leading zeros up to the point (after scaling) */
        memmove(d + 1, d, (size_t)n + 1);
        d[0] = '0';
        n++, point++;
    }
    int keep = point + frac;
    while (n < keep && n < 1000)
        d[n++] = '0';
    d[n] = 0;
    if (keep < n)
        n = oa_fmt_round(d, keep, &point);
    int first = 0;
    while (first < point && d[first] == '0')
        first++;
    memcpy(ip, d + first, (size_t)(point - first));
    ip[point - first] = 0;
    memcpy(fp, d + point, (size_t)frac);
    fp[frac] = 0;
}

typedef struct {
    int nint, nfrac, nexp;  /* digit placeholders before the point, after it, in the exponent */
    int exp_zeros;          /* '0's in the exponent */
    bool point, group, percent, sci, exp_plus;
    int scale;              /* commas that divide by 1000 */
} fs_numfmt;

/* The shape of a number section */
static void fs_scan_number(const WCHAR *f, size_t n, fs_numfmt *m)
{
    memset(m, 0, sizeof *m);
    int part = 0; /* 0 integer, 1 fraction, 2 exponent */
    bool comma_pending = false;
    for (size_t i = 0; i < n;) {
        if (fs_literal(f, n, &i, NULL))
            continue;
        WCHAR c = f[i];
        if (c == '0' || c == '#') {
            if (part == 0) {
                if (comma_pending && m->nint)
                    m->group = true;
                comma_pending = false;
                m->scale = 0;
                m->nint++;
            } else if (part == 1) {
                m->nfrac++;
            } else {
                m->nexp++;
                m->exp_zeros += c == '0';
            }
        } else if (c == '.' && part == 0) {
            if (comma_pending)
                m->scale = m->scale ? m->scale : 1;
            m->point = true;
            part = 1;
        } else if (c == ',' && part == 0) {
            if (m->nint) {
                comma_pending = true;
                m->scale++;
            }
        } else if (c == '%') {
            m->percent = true;
        } else if (part < 2 && fs_exp_at(f, n, i)) {
            m->sci = true;
            m->exp_plus = f[i + 1] == '+';
            part = 2;
            i++;
        }
        i++;
    }
    if (!comma_pending)
        m->scale = 0; /* commas followed by more placeholders only group */
}

/* Formats num (its sign already chosen by the section) with the section f */
static void fs_number(const WCHAR *f, size_t n, const oa_fmt_num *in, bool minus,
                      const fs_loc *loc, oa_fmt_buf *b)
{
    fs_numfmt m;
    fs_scan_number(f, n, &m);
    oa_fmt_num num = *in;
    num.point += (m.percent ? 2 : 0) - 3 * m.scale;
    char ip[1024], fp[1024];
    int exponent = 0;
    if (m.sci) {
        /* the first significant digit lands in the last integer placeholder (at least one) */
        int lead = m.nint ? m.nint : 1;
        const char *p = num.digits;
        int skip = 0;
        while (p[skip] == '0')
            skip++;
        if (p[skip]) {
            exponent = num.point - skip - lead;
            num.point = skip + lead;
            fs_round(&num, m.nfrac, ip, fp);
            if ((int)strlen(ip) > lead) { /* 9.99 rounded up to 10.0 */
                exponent++;
                num.point--;
                fs_round(&num, m.nfrac, ip, fp);
            }
        } else {
            fs_round(&num, m.nfrac, ip, fp);
        }
    } else {
        fs_round(&num, m.nfrac, ip, fp);
    }
    if (minus)
        oa_fmt_put(b, "-");
    int ilen = (int)strlen(ip), placeholder = 0, fracpos = 0, exppos = 0, part = 0;
    /* the last fraction digit to show: '#' drops trailing zeros */
    int last_frac = -1;
    for (size_t i = 0, k = 0; i < n;) {
        if (fs_literal(f, n, &i, NULL))
            continue;
        if (f[i] == '.' && !part) {
            part = 1;
        } else if (fs_exp_at(f, n, i)) {
            part = 2;
        } else if (part == 1 && (f[i] == '0' || f[i] == '#')) {
            if (f[i] == '0' || fp[k] != '0')
                last_frac = (int)k;
            k++;
        }
        i++;
    }
    part = 0;
    for (size_t i = 0; i < n;) {
        if (fs_literal(f, n, &i, b))
            continue;
        WCHAR c = f[i];
        if (c == '0' || c == '#') {
            if (part == 0) {
                int pos = m.nint - 1 - placeholder; /* position from the right */
                if (placeholder == 0)
                    for (int k = 0; k < ilen - m.nint; k++) { /* digits beyond the placeholders */
                        fs_putc(b, (WCHAR)ip[k]);
                        int left = ilen - 1 - k;
                        if (m.group && left % 3 == 0)
                            fs_putc(b, loc->thou);
                    }
                bool shown = pos < ilen || c == '0';
                if (pos < ilen)
                    fs_putc(b, (WCHAR)ip[ilen - 1 - pos]);
                else if (c == '0')
                    fs_putc(b, '0');
                if (shown && m.group && pos > 0 && pos % 3 == 0)
                    fs_putc(b, loc->thou);
                placeholder++;
            } else if (part == 1) {
                if (fracpos <= last_frac)
                    fs_putc(b, (WCHAR)fp[fracpos]);
                fracpos++;
            } else {
                if (exppos == 0) {
                    unsigned e = (unsigned)(exponent < 0 ? -exponent : exponent);
                    int width = m.exp_zeros ? m.exp_zeros : 1;
                    if (exponent < 0 || m.exp_plus)
                        oa_fmt_put(b, exponent < 0 ? "-" : "+");
                    fs_putu(b, e, width);
                }
                exppos++;
            }
        } else if (c == '.' && part == 0) {
            if (m.nint == 0 && ilen)
                for (int k = 0; k < ilen; k++)
                    fs_putc(b, (WCHAR)ip[k]);
            fs_putc(b, loc->dec);
            part = 1;
        } else if (c == ',' && part == 0) {
            /* grouping or scaling, done above */
        } else if (part < 2 && fs_exp_at(f, n, i)) {
            fs_putc(b, c);
            part = 2;
            i++;
        } else {
            fs_putc(b, c);
        }
        i++;
    }
}

/* ---- dates ---- */

typedef struct {
    UDATE ud;
    DATE date;
    int first_day, first_week; /* 1 Sunday .. 7 Saturday; 1..3 */
    const fs_loc *loc;
} fs_date;

static void fs_date_fmt(const WCHAR *f, size_t n, const fs_date *d, oa_fmt_buf *b);

static void fs_date_w(const WCHAR *w, const fs_date *d, oa_fmt_buf *b)
{
    size_t n = 0;
    while (w[n])
        n++;
    fs_date_fmt(w, n, d, b);
}

/* Whether the format has an AM/PM designator (a 12-hour clock) */
static bool fs_has_ampm(const WCHAR *f, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (fs_literal(f, n, &i, NULL))
            continue;
        size_t rest = n - i;
        if (fs_is(f + i, rest < 5 ? rest : 5, "am/pm") ||
            fs_is(f + i, rest < 3 ? rest : 3, "a/p") || fs_is(f + i, rest < 4 ? rest : 4, "ampm"))
            return true;
        i++;
    }
    return false;
}

/* The week of the year of d (ww), by the first day of the week and the first week's rule */
static unsigned fs_week(const fs_date *d)
{
    int fd = d->first_day - 1; /* 0 Sunday */
    int doy = d->ud.wDayOfYear - 1;
    int wd = d->ud.st.wDayOfWeek; /* of this day */
    int jan1 = ((wd - doy) % 7 + 7) % 7;
    int jan1_rel = (jan1 - fd + 7) % 7; /* days of the first partial week before Jan 1 */
    int week = (doy + jan1_rel) / 7 + 1;
    if (d->first_week == 2 && jan1_rel > 3)
        week--; /* the first week needs four days of the year */
    else if (d->first_week == 3 && jan1_rel > 0)
        week--; /* the first full week */
    return week < 1 ? 52 : (unsigned)week;
}

static void fs_date_fmt(const WCHAR *f, size_t n, const fs_date *d, oa_fmt_buf *b)
{
    const SYSTEMTIME *st = &d->ud.st;
    bool h12 = fs_has_ampm(f, n), after_h = false;
    for (size_t i = 0; i < n;) {
        if (fs_literal(f, n, &i, b))
            continue;
        WCHAR c = f[i] >= 'A' && f[i] <= 'Z' ? (WCHAR)(f[i] + 32) : f[i];
        size_t run = 1;
        while (i + run < n && (f[i + run] == c || f[i + run] == c - 32))
            run++;
        size_t rest = n - i;
        if (fs_is(f + i, rest < 5 ? rest : 5, "am/pm")) {
            bool lower = f[i] == 'a';
            oa_fmt_put(b, st->wHour < 12 ? (lower ? "am" : "AM") : (lower ? "pm" : "PM"));
            i += 5;
            continue;
        }
        if (fs_is(f + i, rest < 3 ? rest : 3, "a/p")) {
            bool lower = f[i] == 'a';
            oa_fmt_put(b, st->wHour < 12 ? (lower ? "a" : "A") : (lower ? "p" : "P"));
            i += 3;
            continue;
        }
        if (fs_is(f + i, rest < 4 ? rest : 4, "ampm")) { /* the locale's designators */
            fs_putw(b, st->wHour < 12 ? d->loc->am : d->loc->pm);
            i += 4;
            continue;
        }
        switch (c) {
        case 'c': {
            bool has_date = (long long)d->date != 0, has_time = d->date != (long long)d->date;
            if (has_date)
                fs_date_w(d->loc->short_date, d, b);
            if (has_date && has_time)
                oa_fmt_put(b, " ");
            if (has_time || !has_date)
                fs_date_w(d->loc->time, d, b);
            run = 1;
            break;
        }
        case 'd':
            if (run >= 6)
                fs_date_w(d->loc->long_date, d, b), run = 6;
            else if (run == 5)
                fs_date_w(d->loc->short_date, d, b);
            else if (run == 4)
                fs_putw(b, d->loc->days[st->wDayOfWeek % 7]);
            else if (run == 3)
                fs_putw(b, d->loc->sdays[st->wDayOfWeek % 7]);
            else
                fs_putu(b, st->wDay, (int)run);
            break;
        case 'w':
            if (run >= 2)
                fs_putu(b, fs_week(d), 1), run = 2;
            else
                fs_putu(b, (unsigned)((st->wDayOfWeek - (d->first_day - 1) + 7) % 7 + 1), 1);
            break;
        case 'm': {
            /* minutes after an hour or before seconds */
            size_t j = i + run;
            while (j < n && !((f[j] | 32) >= 'a' && (f[j] | 32) <= 'z'))
                j++;
            bool minute = run <= 2 && (after_h || (j < n && (f[j] | 32) == 's'));
            if (minute)
                fs_putu(b, st->wMinute, (int)run);
            else if (run >= 4)
                fs_putw(b, d->loc->months[(st->wMonth + 11) % 12]), run = 4;
            else if (run == 3)
                fs_putw(b, d->loc->smonths[(st->wMonth + 11) % 12]);
            else
                fs_putu(b, st->wMonth, (int)run);
            break;
        }
        case 'q': fs_putu(b, (st->wMonth + 2u) / 3u, 1), run = 1; break;
        case 'y':
            if (run >= 3)
                fs_putu(b, st->wYear, 4), run = run >= 4 ? 4 : 3;
            else if (run == 2)
                fs_putu(b, st->wYear % 100u, 2);
            else
                fs_putu(b, d->ud.wDayOfYear, 1);
            break;
        case 'h': {
            unsigned h = st->wHour;
            if (h12)
                h = h % 12 ? h % 12 : 12;
            fs_putu(b, h, run >= 2 ? 2 : 1), run = run >= 2 ? 2 : 1;
            break;
        }
        case 'n': fs_putu(b, st->wMinute, run >= 2 ? 2 : 1), run = run >= 2 ? 2 : 1; break;
        case 's': fs_putu(b, st->wSecond, run >= 2 ? 2 : 1), run = run >= 2 ? 2 : 1; break;
        case 't':
            if (run >= 5) {
                fs_date_w(d->loc->time, d, b);
                run = 5;
            } else {
                for (size_t k = 0; k < run; k++)
                    fs_putc(b, f[i + k]);
            }
            break;
        case '/': fs_putw(b, d->loc->datesep), run = 1; break;
        case ':': fs_putc(b, d->loc->timesep), run = 1; break;
        default:
            run = 1;
            fs_putc(b, f[i]);
            break;
        }
        if (c != ' ' && ((c >= 'a' && c <= 'z')))
            after_h = c == 'h';
        i += run;
    }
}

/* Whether a section is a date format (a date or time letter outside quotes) */
static bool fs_is_date(const WCHAR *f, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (fs_literal(f, n, &i, NULL))
            continue;
        WCHAR c = f[i] | 32;
        if ((c == 'd' || c == 'm' || c == 'y' || c == 'h' || c == 'n' || c == 's' || c == 'w' ||
             c == 'q' || c == 'c' || c == 't' || c == 'a') && f[i] >= 'A')
            return true;
        if (c == 'e' && !(i + 1 < n && (f[i + 1] == '+' || f[i + 1] == '-')))
            return false;
        i++;
    }
    return false;
}

static bool fs_is_text(const WCHAR *f, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (fs_literal(f, n, &i, NULL))
            continue;
        if (f[i] == '@' || f[i] == '&')
            return true;
        i++;
    }
    return false;
}

/* ---- text ---- */

static void fs_text(const WCHAR *f, size_t n, const WCHAR *s, oa_fmt_buf *b)
{
    int places = 0, case_ = 0, len = 0, place = 0;
    bool left = false;
    for (size_t i = 0; i < n;) {
        if (fs_literal(f, n, &i, NULL))
            continue;
        places += f[i] == '@' || f[i] == '&';
        left |= f[i] == '!';
        i++;
    }
    while (s[len])
        len++;
    /* right-aligned: placeholder p shows character p - offset; extra characters go to the
     * first placeholder. With '!', left-aligned: extra characters go to the last. */
    int offset = left ? 0 : places - len;
    for (size_t i = 0; i < n;) {
        if (fs_literal(f, n, &i, b))
            continue;
        WCHAR c = f[i++];
        if (c == '<' || c == '>') {
            case_ = c == '<' ? -1 : 1;
            continue;
        }
        if (c == '!')
            continue;
        if (c != '@' && c != '&') {
            fs_putc(b, c);
            continue;
        }
        int from = place - offset, to = from + 1;
        if (!left && place == 0 && offset < 0)
            from = 0;
        if (left && place == places - 1)
            to = len;
        if (from < 0 || from >= len) {
            if (c == '@')
                fs_putc(b, ' ');
        }
        for (int k = from < 0 ? 0 : from; k < to && k < len; k++) {
            WCHAR ch = s[k];
            if (case_ < 0 && ch >= 'A' && ch <= 'Z')
                ch = (WCHAR)(ch + 32);
            else if (case_ > 0 && ch >= 'a' && ch <= 'z')
                ch = (WCHAR)(ch - 32);
            fs_putc(b, ch);
        }
        place++;
    }
}

/* ---- the entry points ---- */

static const struct {
    const char *name, *fmt;
} fs_named[] = {
    {"fixed", "0.00"},
    {"standard", "#,##0.00"},
    {"percent", "0.00%"},
    {"scientific", "0.00E+00"},
    {"medium date", "dd-mmm-yy"},
    {"medium time", "hh:nn AM/PM"},
    {"short time", "hh:nn"},
};

static HRESULT fs_to_bstr(const VARIANT *in, BSTR *out)
{
    VARIANT s;
    memset(&s, 0, sizeof s);
    HRESULT hr = VariantChangeType(&s, in, 0, VT_BSTR);
    if (hr >= 0)
        *out = s.u.bstrVal;
    return hr;
}

static HRESULT fs_give_ascii(const char *a, BSTR *out)
{
    oa_fmt_buf b = {{0}, 0};
    oa_fmt_put(&b, a);
    return oa_fmt_give(&b, out);
}

static HRESULT fs_format(const VARIANT *in, const WCHAR *fmt, size_t n, int first_day,
                         int first_week, const fs_loc *loc, BSTR *out)
{
    VARIANT v;
    memset(&v, 0, sizeof v);
    HRESULT hr;
    /* named formats */
    if (!n || fs_is(fmt, n, "general number") || fs_is(fmt, n, "general date"))
        return fs_to_bstr(in, out);
    if (fs_is(fmt, n, "yes/no") || fs_is(fmt, n, "true/false") || fs_is(fmt, n, "on/off")) {
        if ((hr = VariantChangeType(&v, in, 0, VT_R8)) < 0)
            return hr;
        bool t = v.u.dblVal != 0;
        return fs_give_ascii((fmt[0] | 32) == 'y' ? (t ? "Yes" : "No")
                             : (fmt[0] | 32) == 't' ? (t ? "True" : "False")
                                                    : (t ? "On" : "Off"), out);
    }
    for (size_t i = 0; i < sizeof fs_named / sizeof fs_named[0]; i++) {
        if (fs_is(fmt, n, fs_named[i].name)) {
            WCHAR w[40];
            size_t k = 0;
            for (; fs_named[i].fmt[k]; k++)
                w[k] = (unsigned char)fs_named[i].fmt[k];
            return fs_format(in, w, k, first_day, first_week, loc, out);
        }
    }
    const WCHAR *named = fs_is(fmt, n, "currency")      ? loc->currency
                         : fs_is(fmt, n, "long date")   ? loc->long_date
                         : fs_is(fmt, n, "short date")  ? loc->short_date
                         : fs_is(fmt, n, "long time")   ? loc->time
                                                        : NULL;
    if (named) {
        size_t k = 0;
        while (named[k])
            k++;
        return fs_format(in, named, k, first_day, first_week, loc, out);
    }
    const WCHAR *sec[4];
    size_t len[4];
    int nsec = fs_sections(fmt, n, sec, len);
    oa_fmt_buf b = {{0}, 0};
    if (fs_is_date(sec[0], len[0])) {
        fs_date d;
        if ((hr = VariantChangeType(&v, in, 0, VT_DATE)) < 0)
            return hr;
        d.date = v.u.dblVal;
        d.first_day = first_day ? first_day : 1;
        d.first_week = first_week ? first_week : 1;
        d.loc = loc;
        if ((hr = VarUdateFromDate(d.date, 0, &d.ud)) < 0)
            return hr;
        fs_date_fmt(sec[0], len[0], &d, &b);
        return oa_fmt_give(&b, out);
    }
    if (fs_is_text(sec[0], len[0])) {
        BSTR s = NULL;
        if ((hr = fs_to_bstr(in, &s)) < 0)
            return hr;
        fs_text(sec[0], len[0], s, &b);
        SysFreeString(s);
        return oa_fmt_give(&b, out);
    }
    /* a number */
    const VARIANT *src = in;
    if ((in->vt & ~VT_BYREF) == VT_DATE) {
        if ((hr = VariantChangeType(&v, in, 0, VT_R8)) < 0)
            return hr;
        src = &v;
    }
    oa_fmt_num num;
    hr = oa_fmt_read(src, 1, &num);
    if (hr == OA_DISP_E_TYPEMISMATCH && (in->vt & ~VT_BYREF) == VT_BSTR)
        return fs_to_bstr(in, out); /* text that is no number stays as it is */
    if (hr < 0)
        return hr;
    bool zero = true;
    for (const char *p = num.digits; *p; p++)
        zero &= *p == '0';
    int s = zero ? (nsec >= 3 ? 2 : 0) : num.neg ? (nsec >= 2 ? 1 : 0) : 0;
    bool minus = num.neg && !zero && s == 0;
    num.neg = false;
    if (s && !len[s]) /* an empty section: the first one's format */
        s = 0;
    fs_number(sec[s], len[s], &num, minus, loc, &b);
    return oa_fmt_give(&b, out);
}

static HRESULT WINAPI VarFormat(const VARIANT *in, const WCHAR *fmt, int first_day,
                                int first_week, uint32_t flags, BSTR *out)
{
    (void)flags;
    if (!in || !out)
        return OA_E_INVALIDARG;
    *out = NULL;
    if (first_day < 0 || first_day > 7 || first_week < 0 || first_week > 3)
        return OA_E_INVALIDARG;
    if ((in->vt & ~VT_BYREF) == VT_NULL)
        return OA_S_OK; /* Format(Null) is Null: no string */
    size_t n = 0;
    while (fmt && fmt[n] && n < FS_MAX)
        n++;
    fs_loc loc;
    fs_loc_get(FS_LOCALE_USER_DEFAULT, &loc);
    return fs_format(in, fmt, n, first_day, first_week, &loc, out);
}
THK_EXPORT(oleaut32, VarFormat, 6);

HRESULT oa_fmt_named(const VARIANT *in, const char *name, uint32_t lcid, uint32_t flags,
                     BSTR *out)
{
    (void)flags;
    WCHAR w[40];
    size_t n = 0;
    for (; name[n] && n < 39; n++)
        w[n] = (unsigned char)name[n];
    fs_loc loc;
    fs_loc_get(lcid, &loc);
    return fs_format(in, w, n, 0, 0, &loc, out);
}

static HRESULT WINAPI VarTokenizeFormatString(const WCHAR *fmt, uint8_t *tok, int cb,
                                              int first_day, int first_week, uint32_t lcid,
                                              int *actual)
{
    (void)lcid;
    if (!tok || cb < 0 || first_day < 0 || first_day > 7 || first_week < 0 || first_week > 3)
        return OA_E_INVALIDARG;
    size_t n = 0;
    while (fmt && fmt[n] && n < FS_MAX)
        n++;
    fs_tok_head h = {FS_TOK_MAGIC, first_day, first_week, (uint32_t)n};
    size_t need = sizeof h + n * sizeof(WCHAR);
    if (actual)
        *actual = (int)need;
    if ((size_t)cb < need)
        return FS_TYPE_E_BUFFERTOOSMALL;
    memcpy(tok, &h, sizeof h);
    if (n)
        memcpy(tok + sizeof h, fmt, n * sizeof(WCHAR));
    return OA_S_OK;
}
THK_EXPORT(oleaut32, VarTokenizeFormatString, 7);

static HRESULT WINAPI VarFormatFromTokens(const VARIANT *in, const WCHAR *fmt, const uint8_t *tok,
                                          uint32_t flags, BSTR *out, uint32_t lcid)
{
    (void)fmt, (void)flags;
    if (!in || !tok || !out)
        return OA_E_INVALIDARG;
    *out = NULL;
    fs_tok_head h;
    memcpy(&h, tok, sizeof h);
    if (h.magic != FS_TOK_MAGIC || h.len > FS_MAX)
        return OA_E_INVALIDARG;
    if ((in->vt & ~VT_BYREF) == VT_NULL)
        return OA_S_OK;
    WCHAR f[FS_MAX];
    if (h.len)
        memcpy(f, tok + sizeof h, h.len * sizeof(WCHAR));
    fs_loc loc;
    fs_loc_get(lcid, &loc);
    return fs_format(in, f, h.len, h.first_day, h.first_week, &loc, out);
}
THK_EXPORT(oleaut32, VarFormatFromTokens, 6);
