/* msvcrt's _l functions take their locale argument, not the thread's: _create_locale(LC_ALL,
 * "German_Germany.1252") gives ',' as the decimal point to _strtod_l/_atof_l/_wcstod_l/
 * _atodbl_l and to the _printf_l family (%f %e %g, narrow and wide), 1252's letters to
 * _tolower_l/_toupper_l/_stricmp_l/_strnicmp_l/_memicmp_l/_strupr_l/_isalpha_l, while the
 * process stays in the "C" locale (plain strtod, sprintf, toupper unchanged) and a "C" locale
 * object keeps '.' and ASCII-only case. Expected values: Windows' msvcrt.dll; Wine 8.0 prints
 * the same but has no _printf_l, and its _memicmp_l folds 0xDC/0xFC in the "C" locale (Windows'
 * compares ASCII case only there, as its _stricmp_l does). The wide forms _towlower_l/
 * _towupper_l/_wcsicmp_l/_wcsnicmp_l/_wcsupr_l/_wcslwr_l (and towlower/_wcsicmp/_wcsupr after
 * setlocale) map every letter in a German locale (LCMapStringEx's simple case mapping: 'ß'
 * stays) and ASCII letters only in "C"; _iswctype_l does not depend on the locale. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

typedef void *loc_t;
static HMODULE crt;
#define FN(type, name) ((type)GetProcAddress(crt, name))

static void show(const char *what, const char *s)
{
    printf("  %s \"", what);
    for (; *s; s++)
        printf((unsigned char)*s < 0x80 ? "%c" : "\\x%02x", (unsigned char)*s);
    printf("\"\n");
}

static int sign(int v) { return v < 0 ? -1 : v > 0; }

static void wshow(const char *what, const WCHAR *s)
{
    printf("  %s \"", what);
    for (; *s; s++)
        printf(*s < 0x80 ? "%c" : "\\x%04x", *s);
    printf("\"\n");
}

/* The wide case functions: "C" maps ASCII letters only, another LC_CTYPE every letter
 * (LCMapStringEx in the locale's name), below 256 by Unicode, not by its code page;
 * _iswctype_l classifies the same in every locale. */
static void wide(loc_t l)
{
    WCHAR (__cdecl *wlower)(WCHAR, loc_t) = FN(WCHAR (__cdecl *)(WCHAR, loc_t), "_towlower_l");
    WCHAR (__cdecl *wupper)(WCHAR, loc_t) = FN(WCHAR (__cdecl *)(WCHAR, loc_t), "_towupper_l");
    int (__cdecl *wctype)(WCHAR, WORD, loc_t) =
        FN(int (__cdecl *)(WCHAR, WORD, loc_t), "_iswctype_l");
    printf("  _towlower_l(c4) %04x (416) %04x (41) %04x _towupper_l(e4) %04x (3c9) %04x"
           " (7a) %04x\n", wlower(0xc4, l), wlower(0x416, l), wlower('A', l), wupper(0xe4, l),
           wupper(0x3c9, l), wupper('z', l));
    /* below 256 the mapping is Unicode's, not the code page's (1252: byte 0x9A is U+0161) */
    printf("  _towupper_l(9a) %04x (161) %04x\n", wupper(0x9a, l), wupper(0x161, l));
    printf("  _iswctype_l(e4, _ALPHA|_LOWER) %x (3a9, _UPPER) %x (41, _UPPER) %x\n",
           wctype(0xe4, 0x102, l), wctype(0x3a9, 0x1, l), wctype('A', 0x1, l));
    int (__cdecl *wicmp)(const WCHAR *, const WCHAR *, loc_t) =
        FN(int (__cdecl *)(const WCHAR *, const WCHAR *, loc_t), "_wcsicmp_l");
    int (__cdecl *wnicmp)(const WCHAR *, const WCHAR *, size_t, loc_t) =
        FN(int (__cdecl *)(const WCHAR *, const WCHAR *, size_t, loc_t), "_wcsnicmp_l");
    printf("  _wcsicmp_l %d %d _wcsnicmp_l(1) %d (2) %d\n",
           sign(wicmp(L"\xc4rger", L"\xe4RGER", l)), sign(wicmp(L"abc", L"ABD", l)),
           sign(wnicmp(L"\x3a9x", L"\x3c9Y", 1, l)), sign(wnicmp(L"\x3a9x", L"\x3c9Y", 2, l)));
    WCHAR w[16];
    wcscpy(w, L"\xe4\xf6\xdf\x3c9\x436" "abc");
    wshow("_wcsupr_l", FN(WCHAR *(__cdecl *)(WCHAR *, loc_t), "_wcsupr_l")(w, l));
    wcscpy(w, L"\xc4\xd6\xdf\x3a9\x416" "ABC");
    wshow("_wcslwr_l", FN(WCHAR *(__cdecl *)(WCHAR *, loc_t), "_wcslwr_l")(w, l));
}

static void run(const char *name, loc_t l)
{
    printf("%s:\n", name);
    char *end;
    const char *num = "1,5e1x";
    double d = FN(double (__cdecl *)(const char *, char **, loc_t), "_strtod_l")(num, &end, l);
    printf("  _strtod_l(\"1,5e1x\") %g end %d\n", d, (int)(end - num));
    printf("  _atof_l(\"2,75\") %g\n", FN(double (__cdecl *)(const char *, loc_t), "_atof_l")("2,75", l));
    const WCHAR *wnum = L"3,25";
    WCHAR *wend;
    d = FN(double (__cdecl *)(const WCHAR *, WCHAR **, loc_t), "_wcstod_l")(wnum, &wend, l);
    printf("  _wcstod_l(L\"3,25\") %g end %d\n", d, (int)(wend - wnum));
    double db = 0;
    int r = FN(int (__cdecl *)(double *, char *, loc_t), "_atodbl_l")(&db, (char *)"4,5", l);
    printf("  _atodbl_l(\"4,5\") %d %g\n", r, db);

    char buf[64];
    r = FN(int (__cdecl *)(char *, const char *, loc_t, ...), "_sprintf_l")(
        buf, "%.2f|%g|%e|%d", l, 1.5, 0.25, 12.5, 7);
    printf("  _sprintf_l %d \"%s\"\n", r, buf);
    memset(buf, 'x', sizeof buf);
    r = FN(int (__cdecl *)(char *, size_t, const char *, loc_t, ...), "_snprintf_l")(
        buf, 3, "%.1f", l, 0.5);
    printf("  _snprintf_l(3) %d \"%.3s\" %c\n", r, buf, buf[3]);
    r = FN(int (__cdecl *)(const char *, loc_t, ...), "_scprintf_l")("%f", l, 1.0);
    printf("  _scprintf_l %d\n", r);
    WCHAR wbuf[32];
    r = FN(int (__cdecl *)(WCHAR *, size_t, const WCHAR *, loc_t, ...), "_snwprintf_l")(
        wbuf, 32, L"%.3f", l, 2.5);
    printf("  _snwprintf_l %d \"%ls\"\n", r, wbuf);
    fflush(stdout);
    int (__cdecl *printf_l)(const char *, loc_t, ...) =
        FN(int (__cdecl *)(const char *, loc_t, ...), "_printf_l"); /* Wine 8.0 lacks it */
    if (printf_l)
        printf_l("  _printf_l %.1f\n", l, 0.5);
    fflush(stdout);

    int (__cdecl *lower)(int, loc_t) = FN(int (__cdecl *)(int, loc_t), "_tolower_l");
    int (__cdecl *upper)(int, loc_t) = FN(int (__cdecl *)(int, loc_t), "_toupper_l");
    int (__cdecl *alpha)(int, loc_t) = FN(int (__cdecl *)(int, loc_t), "_isalpha_l");
    printf("  _tolower_l(c4) %02x _toupper_l(e4) %02x _toupper_l(61) %02x _isalpha_l(c4) %d"
           " (41) %d\n", lower(0xc4, l), upper(0xe4, l), upper('a', l), alpha(0xc4, l) != 0,
           alpha('A', l) != 0);
    int (__cdecl *icmp)(const char *, const char *, loc_t) =
        FN(int (__cdecl *)(const char *, const char *, loc_t), "_stricmp_l");
    int (__cdecl *nicmp)(const char *, const char *, size_t, loc_t) =
        FN(int (__cdecl *)(const char *, const char *, size_t, loc_t), "_strnicmp_l");
    int (__cdecl *micmp)(const void *, const void *, size_t, loc_t) =
        FN(int (__cdecl *)(const void *, const void *, size_t, loc_t), "_memicmp_l");
    printf("  _stricmp_l %d _strnicmp_l(2) %d _memicmp_l %d\n",
           sign(icmp("\xc4rger", "\xe4RGER", l)), sign(nicmp("\xd6lx", "\xf6LY", 2, l)),
           sign(micmp("\xdc", "\xfc", 1, l)));
    strcpy(buf, "\xe4\xf6\xfc" "abc");
    show("_strupr_l", FN(char *(__cdecl *)(char *, loc_t), "_strupr_l")(buf, l));
    show("_strlwr_l", FN(char *(__cdecl *)(char *, loc_t), "_strlwr_l")(buf, l));
    wide(l);
}

int main(void)
{
    crt = GetModuleHandleA("msvcrt.dll");
    loc_t (__cdecl *create)(int, const char *) =
        FN(loc_t (__cdecl *)(int, const char *), "_create_locale");
    void (__cdecl *freel)(loc_t) = FN(void (__cdecl *)(loc_t), "_free_locale");
    loc_t de = create(LC_ALL, "German_Germany.1252");
    loc_t c = create(LC_ALL, "C");
    loc_t num = create(LC_NUMERIC, "German_Germany.1252");
    printf("_create_locale: de %s C %s LC_NUMERIC %s\n", de ? "ok" : "NULL", c ? "ok" : "NULL",
           num ? "ok" : "NULL");
    if (!de || !c || !num)
        return 1;
    run("German_Germany.1252", de);
    run("C", c);
    run("LC_NUMERIC German, LC_CTYPE C", num);
    char buf[32];
    sprintf(buf, "%.1f", 0.5);
    printf("process locale %s: strtod(\"1,5\") %g sprintf \"%s\" toupper(e4) %02x\n",
           setlocale(LC_ALL, NULL), strtod("1,5", NULL), buf, toupper(0xe4));
    printf("process locale: towlower(c4) %04x _wcsicmp %d\n", towlower(0xc4),
           sign(_wcsicmp(L"\xc4", L"\xe4")));
    setlocale(LC_ALL, "German_Germany.1252");
    WCHAR w[8];
    wcscpy(w, L"\xe4\x3c9z");
    printf("process locale German: towlower(c4) %04x towupper(3c9) %04x _wcsicmp %d\n",
           towlower(0xc4), towupper(0x3c9), sign(_wcsicmp(L"\xc4", L"\xe4")));
    wshow("_wcsupr", _wcsupr(w));
    setlocale(LC_ALL, "C");
    freel(de);
    freel(c);
    freel(num);
    return 0;
}
