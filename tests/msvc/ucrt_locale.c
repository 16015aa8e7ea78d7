/* The UCRT's setlocale beyond "C", on an en-US system whose ANSI code page is UTF-8 (Windows'
 * "Use Unicode UTF-8 for worldwide language support", which ntrun always is): "" and a code
 * page alone (".UTF-8", ".utf8", ".65001") select English_United States.utf8, as does that
 * name itself; a category set alone makes the LC_ALL query list every category; an unknown
 * name gives NULL and changes nothing; ___lc_codepage_func follows LC_CTYPE (0 in "C"),
 * localeconv follows LC_NUMERIC and LC_MONETARY (en-US: "," "\3" "USD" "$"), _create_locale
 * gives an object whose code page is 65001, _wsetlocale the same names. Expected values: the
 * UCRT documentation (setlocale, "UTF-8 support") and what Windows 10 returns with the UTF-8
 * code page (R for Windows prints the same LC_ALL strings from the UCRT). */
#include "ucrt.h"

struct lconv {
    char *decimal_point, *thousands_sep, *grouping, *int_curr_symbol, *currency_symbol,
        *mon_decimal_point, *mon_thousands_sep, *mon_grouping, *positive_sign, *negative_sign;
    char int_frac_digits, frac_digits, p_cs_precedes, p_sep_by_space, n_cs_precedes,
        n_sep_by_space, p_sign_posn, n_sign_posn;
};
__declspec(dllimport) char *__cdecl setlocale(int cat, const char *name);
__declspec(dllimport) wchar16 *__cdecl _wsetlocale(int cat, const wchar16 *name);
__declspec(dllimport) struct lconv *__cdecl localeconv(void);
__declspec(dllimport) unsigned __cdecl ___lc_codepage_func(void);
typedef struct { struct { const unsigned short *pctype; int mb_cur_max; unsigned cp; } *locinfo; void *mbcinfo; } *_locale_t;
__declspec(dllimport) _locale_t __cdecl _create_locale(int cat, const char *name);
__declspec(dllimport) void __cdecl _free_locale(_locale_t l);

#define LC_ALL 0
#define LC_CTYPE 2
#define LC_MONETARY 3
#define LC_NUMERIC 4

static const char *str(const char *s) { return s ? s : "(null)"; }

/* setlocale, then the code page (in this order: not two arguments of one call) */
static void set_cp(const char *what, int cat, const char *name)
{
    const char *r = str(setlocale(cat, name));
    printf("%s: %s, code page %u\n", what, r, ___lc_codepage_func());
}

static void show_lconv(void)
{
    struct lconv *lc = localeconv();
    printf("  lconv: [%s] [%s] grouping %d, [%s] [%s] frac %d\n", lc->decimal_point,
           lc->thousands_sep, lc->grouping[0], lc->int_curr_symbol, lc->currency_symbol,
           lc->frac_digits);
}

int main(void)
{
    printf("start: %s, code page %u\n", str(setlocale(LC_ALL, 0)), ___lc_codepage_func());
    show_lconv();
    set_cp("\".UTF-8\"", LC_ALL, ".UTF-8");
    show_lconv();
    printf("query: %s\n", str(setlocale(LC_ALL, 0)));
    printf("LC_NUMERIC \"C\": %s\n", str(setlocale(LC_NUMERIC, "C")));
    printf("query: %s\n", str(setlocale(LC_ALL, 0)));
    show_lconv();
    printf("\"klingon\": %s\n", str(setlocale(LC_ALL, "klingon")));
    printf("\".99999\": %s\n", str(setlocale(LC_ALL, ".99999")));
    printf("query after refusals: %s\n", str(setlocale(LC_CTYPE, 0)));
    set_cp("\"C\"", LC_ALL, "C");
    set_cp("LC_CTYPE \".65001\"", LC_CTYPE, ".65001");
    printf("query: %s\n", str(setlocale(LC_ALL, 0)));
    printf("\"\": %s\n", str(setlocale(LC_ALL, "")));
    printf("\"English_United States.utf8\": %s\n",
           str(setlocale(LC_MONETARY, "English_United States.utf8")));
    wchar16 *w = _wsetlocale(LC_ALL, L".utf8");
    char narrow[64];
    int i = 0;
    for (; w && w[i] && i < 63; i++)
        narrow[i] = (char)w[i];
    narrow[i] = 0;
    printf("_wsetlocale(L\".utf8\"): %s\n", w ? narrow : "(null)");
    _locale_t l = _create_locale(LC_ALL, ".UTF8");
    printf("_create_locale(\".UTF8\"): code page %u\n", l ? l->locinfo->cp : 0);
    _free_locale(l);
    l = _create_locale(LC_ALL, "C");
    printf("_create_locale(\"C\"): code page %u\n", l ? l->locinfo->cp : 99);
    _free_locale(l);
    printf("_create_locale(\"klingon\"): %s\n", _create_locale(LC_ALL, "klingon") ? "object" : "NULL");
    return 0;
}
