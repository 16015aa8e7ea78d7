/* The UCRT's console printf as conio.h's inline functions call it: _cprintf, _cprintf_l,
 * _cprintf_p and _cwprintf over __conio_common_vcprintf(_p)/__conio_common_vcwprintf with the
 * local printf options, and _cputs, _getch, _getwch (api-ms-win-crt-conio-l1-1-0.dll). The text
 * goes to the console (CONOUT$), never to stdout.
 * Plain run (stdout a file, perhaps no console): stdout holds only the report; each call gave
 * its count when a console exists, or -1 without one (Windows' result in a process without a
 * console). "tty" (tests/cli/conio-pty.sh, a pseudo-terminal): the exact counts, then a key
 * read by _getch and 'é' by _getwch (U+00E9). */
#include "ucrt.h"

typedef void *_locale_t;
__declspec(dllimport) int __cdecl __conio_common_vcprintf(unsigned long long options,
                                                          const char *format, _locale_t locale,
                                                          va_list args);
__declspec(dllimport) int __cdecl __conio_common_vcprintf_p(unsigned long long options,
                                                            const char *format,
                                                            _locale_t locale, va_list args);
__declspec(dllimport) int __cdecl __conio_common_vcwprintf(unsigned long long options,
                                                           const wchar16 *format,
                                                           _locale_t locale, va_list args);
__declspec(dllimport) int __cdecl _cputs(const char *s);
__declspec(dllimport) int __cdecl _getch(void);
__declspec(dllimport) unsigned short __cdecl _getwch(void);
__declspec(dllimport) _locale_t __cdecl _create_locale(int cat, const char *name);
__declspec(dllimport) void __cdecl _free_locale(_locale_t l);

/* conio.h's inline forms */
static int _cprintf_l(const char *fmt, _locale_t l, ...)
{
    va_list ap;
    va_start(ap, l);
    int r = __conio_common_vcprintf(_CRT_INTERNAL_LOCAL_PRINTF_OPTIONS, fmt, l, ap);
    va_end(ap);
    return r;
}
static int _cprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __conio_common_vcprintf(_CRT_INTERNAL_LOCAL_PRINTF_OPTIONS, fmt, 0, ap);
    va_end(ap);
    return r;
}
static int _cprintf_p(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __conio_common_vcprintf_p(_CRT_INTERNAL_LOCAL_PRINTF_OPTIONS, fmt, 0, ap);
    va_end(ap);
    return r;
}
static int _cwprintf(const wchar16 *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __conio_common_vcwprintf(_CRT_INTERNAL_LOCAL_PRINTF_OPTIONS, fmt, 0, ap);
    va_end(ap);
    return r;
}

static const char *either(int r, int count)
{
    return r == count || r == -1 ? "count-or-none" : "WRONG";
}

int main(int argc, char **argv)
{
    int tty = argc > 1 && argv[1][0] == 't';
    _locale_t de = _create_locale(0 /* LC_ALL */, "de-DE");
    int a = _cprintf("[ucrt cprintf %d %.2f]", 42, 1.5);
    int b = _cprintf_l("[ucrt cprintf_l %.2f]", de, 2.5);
    int c = _cprintf_p("[ucrt %2$s %1$s]", "a", "b");
    int d = _cwprintf(L"[ucrt cwprintf \x00e9 %s]", L"w");
    int e = _cputs("[ucrt cputs]\n");
    _free_locale(de);
    if (!tty) {
        printf("_cprintf %s\n_cprintf_l %s\n_cprintf_p %s\n_cwprintf %s\n_cputs %s\n",
               either(a, 22), either(b, 21), either(c, 10), either(d, 19), either(e, 0));
        printf("stdout has only these lines\n");
        return 0;
    }
    printf("_cprintf %d _cprintf_l %d _cprintf_p %d _cwprintf %d _cputs %d\n", a, b, c, d, e);
    _cputs("press x\n");
    int k = _getch();
    _cputs("press e-acute\n");
    int w = _getwch();
    printf("_getch %c, _getwch %04x\n", k, w);
    _cputs("done\n");
    return 0;
}
