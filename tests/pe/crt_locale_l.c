/* msvcrt's _l functions take their locale argument, not the thread's: _create_locale(LC_ALL,
 * "German_Germany.1252") gives ',' as the decimal point to _strtod_l/_atof_l/_wcstod_l/
 * _atodbl_l and to the _printf_l family (%f %e %g, narrow and wide), 1252's letters to
 * _tolower_l/_toupper_l/_stricmp_l/_strnicmp_l/_memicmp_l/_strupr_l/_isalpha_l, while the
 * process stays in the "C" locale (plain strtod, sprintf, toupper unchanged) and a "C" locale
 * object keeps '.' and ASCII-only case. Expected values: Windows' msvcrt.dll; Wine 8.0 prints
 * the same but has no _printf_l, and its _memicmp_l folds 0xDC/0xFC in the "C" locale (Windows'
 * compares ASCII case only there, as its _stricmp_l does). */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    freel(de);
    freel(c);
    freel(num);
    return 0;
}
