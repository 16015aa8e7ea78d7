/* The time names msvcp140's time facets ask the UCRT for: _Getdays and _Getmonths (":Sun:Sunday:..."
 * in one string on the CRT heap), their wide forms _W_Getdays/_W_Getmonths, and _Gettnames /
 * _W_Gettnames (one heap block holding the "C" locale's __crt_lc_time_data with its strings:
 * names, AM/PM, date and time formats, calendar type 1), all freed with free(). */
#include "ucrt.h"

__declspec(dllimport) char *__cdecl _Getdays(void);
__declspec(dllimport) char *__cdecl _Getmonths(void);
__declspec(dllimport) void *__cdecl _Gettnames(void);
__declspec(dllimport) wchar16 *__cdecl _W_Getdays(void);
__declspec(dllimport) wchar16 *__cdecl _W_Getmonths(void);
__declspec(dllimport) void *__cdecl _W_Gettnames(void);

struct lc_time_data {
    char *str[43]; /* wday_abbr[7], wday[7], month_abbr[12], month[12], ampm[2], 3 formats */
    int caltype;
    long refcount;
    wchar16 *wstr[43];
    wchar16 *locale_name;
};

static void print_wide(const char *label, const wchar16 *w)
{
    char buf[256];
    int i = 0;
    for (; w[i] && i < 255; i++)
        buf[i] = w[i] < 128 ? (char)w[i] : '?';
    buf[i] = 0;
    printf("%s: %s\n", label, buf);
}

int main(void)
{
    char *d = _Getdays(), *m = _Getmonths();
    printf("days: %s\n", d);
    printf("months: %s\n", m);
    free(d);
    free(m);
    wchar16 *wd = _W_Getdays(), *wm = _W_Getmonths();
    print_wide("wide days", wd);
    print_wide("wide months", wm);
    free(wd);
    free(wm);

    struct lc_time_data *t = _Gettnames();
    printf("wday_abbr[0] %s, wday[6] %s, month_abbr[11] %s, month[8] %s\n", t->str[0], t->str[13],
           t->str[25], t->str[34]);
    printf("ampm %s %s, formats \"%s\" \"%s\" \"%s\", caltype %d\n", t->str[38], t->str[39],
           t->str[40], t->str[41], t->str[42], t->caltype);
    print_wide("wide month[0]", t->wstr[26]);
    print_wide("wide time format", t->wstr[42]);
    free(t);
    t = _W_Gettnames();
    printf("_W_Gettnames: %s %s\n", t->str[7], t->str[38]);
    print_wide("and wide", t->wstr[7]);
    free(t);
    return 0;
}
