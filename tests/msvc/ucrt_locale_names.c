/* The UCRT's named locales: setlocale with Windows names ("English_United States.1252",
 * "German_Germany", "French", "english", "en-US", "de-DE", "fr-FR", a code page alone ".1252",
 * ".437", ".850", ".utf8", ".949", the other locales' tags "it-IT", "ko-KR", "zh-TW.950" and
 * names "Korean", the LC_ALL query string given back to restore), the code page and
 * MB_CUR_MAX they select, localeconv's numeric and monetary fields for de-DE and fr-FR (bytes
 * in the locale's code page: the euro sign is 0x80 in 1252), the decimal point honoured by
 * printf (%f %e %g %a), sscanf, strtod, wcstod and atof and their locale-argument forms (a
 * _locale_t from _create_locale), and _configthreadlocale's per-thread locales.
 * Expected values: the UCRT documentation (setlocale, "Locale names, languages, and
 * country/region strings", _configthreadlocale) and Wine 8.0's ucrtbase, which prints the same
 * except: ".utf8" and "German_Germany.utf8" answer "...65001" there ("...utf8" on Windows, as
 * the UCRT's "UTF-8 support" page shows); "French_France.1252" and "Korean" answer "fr-FR" and "ko-KR" there; "C"
 * after mixed categories keeps some categories there; it refuses "de-DE.UTF-8" and "zh-TW.950" (Windows takes
 * a BCP-47 tag with a code page); its fr-FR n_sign_posn is 0 (Windows: 1, "-1,1 €"); and the "C" locale's MB_CUR_MAX
 * is 1 there (ntrun keeps 4: its "C" locale converts UTF-8). fr-FR's thousands separator is
 * U+202F as on Windows 10 since 1809 (Wine: U+00A0); 1252 lacks it, and the UCRT converts
 * LOCALE_STHOUSAND to the locale's code page: '?' (assuming Windows' 1252 best-fit table has no
 * entry for U+202F; not checked on Windows). */
#include "ucrt.h"

struct lconv {
    char *decimal_point, *thousands_sep, *grouping, *int_curr_symbol, *currency_symbol,
        *mon_decimal_point, *mon_thousands_sep, *mon_grouping, *positive_sign, *negative_sign;
    char int_frac_digits, frac_digits, p_cs_precedes, p_sep_by_space, n_cs_precedes,
        n_sep_by_space, p_sign_posn, n_sign_posn;
    wchar16 *w_decimal_point, *w_thousands_sep, *w_int_curr_symbol, *w_currency_symbol,
        *w_mon_decimal_point, *w_mon_thousands_sep;
};
typedef struct { struct { const unsigned short *pctype; int mb_cur_max; unsigned cp; } *locinfo; void *mbcinfo; } *_locale_t;
__declspec(dllimport) char *__cdecl setlocale(int cat, const char *name);
__declspec(dllimport) wchar16 *__cdecl _wsetlocale(int cat, const wchar16 *name);
__declspec(dllimport) struct lconv *__cdecl localeconv(void);
__declspec(dllimport) unsigned __cdecl ___lc_codepage_func(void);
__declspec(dllimport) int __cdecl ___mb_cur_max_func(void);
__declspec(dllimport) _locale_t __cdecl _create_locale(int cat, const char *name);
__declspec(dllimport) _locale_t __cdecl _get_current_locale(void);
__declspec(dllimport) void __cdecl _free_locale(_locale_t l);
__declspec(dllimport) int __cdecl _configthreadlocale(int type);
__declspec(dllimport) double __cdecl strtod(const char *s, char **end);
__declspec(dllimport) double __cdecl _strtod_l(const char *s, char **end, _locale_t l);
__declspec(dllimport) double __cdecl atof(const char *s);
__declspec(dllimport) double __cdecl _atof_l(const char *s, _locale_t l);
__declspec(dllimport) double __cdecl wcstod(const wchar16 *s, wchar16 **end);
__declspec(dllimport) void *__stdcall CreateThread(void *sa, size_t stack, unsigned long(__stdcall *fn)(void *), void *arg, unsigned flags, unsigned long *id);
__declspec(dllimport) unsigned __stdcall WaitForSingleObject(void *h, unsigned ms);
__declspec(dllimport) int __stdcall CloseHandle(void *h);

#define LC_ALL 0
#define LC_COLLATE 1
#define LC_CTYPE 2
#define LC_MONETARY 3
#define LC_NUMERIC 4
#define LC_TIME 5

static const char *str(const char *s) { return s ? s : "(null)"; }

/* A string's bytes, non-ASCII ones in hex (wide: the UTF-16 units). */
static void show(const char *what, const char *s, const wchar16 *w)
{
    char buf[128];
    int n = 0;
    for (; w ? *w : *s; w ? (void)w++ : (void)s++) {
        unsigned c = w ? *w : (unsigned char)*s;
        if (n > 100)
            break;
        if (c >= 0x20 && c < 0x7f)
            buf[n++] = (char)c;
        else
            n += sprintf(buf + n, w ? "\\u%04x" : "\\x%02x", c);
    }
    buf[n] = 0;
    printf(" %s=[%s]", what, buf);
}
#define bytes(what, s) show(what, s, 0)
#define wbytes(what, s) show(what, 0, s)

static void set(int cat, const char *name)
{
    const char *r = str(setlocale(cat, name));
    unsigned cp = ___lc_codepage_func();
    int max = ___mb_cur_max_func();
    printf("setlocale(%d, \"%s\") = %s, cp %u, MB_CUR_MAX %d\n", cat, name, r, cp, max);
}

static void show_lconv(void)
{
    struct lconv *lc = localeconv();
    bytes(" dp", lc->decimal_point);
    bytes("ts", lc->thousands_sep);
    printf(" grouping=%d,%d", lc->grouping[0], lc->grouping[0] ? lc->grouping[1] : -1);
    bytes("int", lc->int_curr_symbol);
    bytes("cur", lc->currency_symbol);
    bytes("mdp", lc->mon_decimal_point);
    bytes("mts", lc->mon_thousands_sep);
    bytes("neg", lc->negative_sign);
    printf("\n  frac %d/%d cs %d/%d sep %d/%d posn %d/%d", lc->int_frac_digits, lc->frac_digits,
           lc->p_cs_precedes, lc->n_cs_precedes, lc->p_sep_by_space, lc->n_sep_by_space,
           lc->p_sign_posn, lc->n_sign_posn);
    wbytes("wdp", lc->w_decimal_point);
    wbytes("wts", lc->w_thousands_sep);
    wbytes("wcur", lc->w_currency_symbol);
    printf(" .\n");
}

static int sprintf_l(char *buf, size_t n, _locale_t l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __stdio_common_vsprintf(_CRT_INTERNAL_LOCAL_PRINTF_OPTIONS, buf, n, fmt, l, ap);
    va_end(ap);
    return r;
}

static int sscanf_l(const char *s, _locale_t l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __stdio_common_vsscanf(_CRT_INTERNAL_LOCAL_SCANF_OPTIONS, s, (size_t)-1, fmt, l, ap);
    va_end(ap);
    return r;
}

static void numbers(const char *what)
{
    char buf[64];
    char *end;
    double d = 0, e = 0;
    printf("%s: %.3f %e %g %a|", what, 1234.5, 1234.5, 0.25, 1.5);
    int n = sscanf("2,5 3.25", "%lf %lf", &d, &e);
    printf(" sscanf %d %g %g|", n, d, e);
    d = strtod("7,75x", &end);
    printf(" strtod %g rest \"%s\"|", d, end);
    d = strtod("7.75x", &end);
    printf(" %g rest \"%s\"|", d, end);
    wchar16 w[] = {'1', ',', '5', 0};
    wchar16 *wend;
    d = wcstod(w, &wend);
    printf(" wcstod %g at %d|", d, (int)(wend - w));
    printf(" atof %g\n", atof("9,5"));
    _locale_t c = _create_locale(LC_ALL, "C"), de = _create_locale(LC_ALL, "de-DE");
    sprintf_l(buf, sizeof buf, c, "%.2f", 2.5);
    printf("  _l C: %s", buf);
    sprintf_l(buf, sizeof buf, de, "%.2f", 2.5);
    printf(" de: %s", buf);
    printf(" _strtod_l C %g de %g", _strtod_l("1,5", 0, c), _strtod_l("1,5", 0, de));
    printf(" _atof_l C %g de %g", _atof_l("6,5", c), _atof_l("6,5", de));
    d = 0;
    n = sscanf_l("4,5", de, "%lf", &d);
    printf(" sscanf_l de %d %g\n", n, d);
    _free_locale(c);
    _free_locale(de);
}

static unsigned long __stdcall thread_fn(void *arg)
{
    printf("thread: start %s\n", str(setlocale(LC_ALL, 0)));
    printf("thread: _configthreadlocale(1) was %d\n", _configthreadlocale(1));
    printf("thread: set %s\n", str(setlocale(LC_ALL, "fr-FR")));
    printf("thread: %.1f, cp %u\n", 0.5, ___lc_codepage_func());
    return 0;
}

int main(void)
{
    printf("start: %s\n", str(setlocale(LC_ALL, 0)));
    set(LC_ALL, "English_United States.1252");
    set(LC_ALL, "German_Germany");
    set(LC_ALL, "German_Germany.1252");
    set(LC_ALL, "French");
    set(LC_ALL, "english");
    set(LC_ALL, "en-US");
    set(LC_ALL, "de-DE");
    set(LC_ALL, "fr-FR");
    set(LC_ALL, ".1252");
    set(LC_ALL, ".437");
    set(LC_ALL, ".850");
    set(LC_ALL, ".utf8");
    set(LC_ALL, "German_Germany.utf8");
    set(LC_ALL, "German_Germany.850");
    set(LC_ALL, "de-DE.UTF-8");
    set(LC_ALL, "xx-YY");
    set(LC_ALL, ".1253");
    set(LC_ALL, "it-IT");
    set(LC_ALL, "ko-KR");
    set(LC_ALL, "zh-TW.950");
    set(LC_ALL, "Korean");
    set(LC_ALL, ".949");
    set(LC_ALL, "C");
    set(LC_NUMERIC, "de-DE");
    set(LC_CTYPE, ".850");
    char saved[256];
    const char *q = str(setlocale(LC_ALL, 0));
    int i = 0;
    for (; q[i] && i < 255; i++)
        saved[i] = q[i];
    saved[i] = 0;
    printf("query: %s\n", saved);
    set(LC_ALL, "C");
    set(LC_ALL, saved);
    printf("after restore: LC_NUMERIC %s, LC_TIME %s\n", str(setlocale(LC_NUMERIC, 0)),
           str(setlocale(LC_TIME, 0)));

    set(LC_ALL, "de-DE");
    show_lconv();
    numbers("de-DE");
    set(LC_ALL, "fr-FR");
    show_lconv();
    set(LC_ALL, "French_France.1252");
    show_lconv();
    set(LC_ALL, "en-US");
    show_lconv();
    set(LC_ALL, "C");
    show_lconv();
    numbers("C");
    set(LC_NUMERIC, "German_Germany.1252");
    numbers("LC_NUMERIC German");
    set(LC_ALL, "C");

    _locale_t l = _create_locale(LC_ALL, "German_Germany.850");
    printf("_create_locale German_Germany.850: cp %u, mb_cur_max %d\n", l ? l->locinfo->cp : 0,
           l ? l->locinfo->mb_cur_max : 0);
    _free_locale(l);
    l = _create_locale(LC_ALL, "de-DE");
    printf("_create_locale de-DE: cp %u, mb_cur_max %d\n", l ? l->locinfo->cp : 0,
           l ? l->locinfo->mb_cur_max : 0);
    _free_locale(l);

    /* per-thread locale: the thread's setlocale leaves the process's locale alone */
    printf("main: _configthreadlocale(0) = %d\n", _configthreadlocale(0));
    set(LC_ALL, "de-DE");
    void *h = CreateThread(0, 0, thread_fn, 0, 0, 0);
    WaitForSingleObject(h, 0xFFFFFFFF);
    CloseHandle(h);
    printf("main: %s, %.1f\n", str(setlocale(LC_ALL, 0)), 0.5);
    /* the main thread's own per-thread locale */
    printf("main: _configthreadlocale(1) was %d\n", _configthreadlocale(1));
    set(LC_ALL, "C");
    printf("main: _configthreadlocale(2) was %d\n", _configthreadlocale(2));
    printf("main after leaving per-thread: %s %.1f\n", str(setlocale(LC_ALL, 0)), 0.5);
    return 0;
}
