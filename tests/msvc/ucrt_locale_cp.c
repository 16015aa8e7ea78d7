/* The UCRT's code pages: mbstowcs, wcstombs, mbtowc, wctomb, mbstowcs_s, wcstombs_s and their
 * _l forms convert in LC_CTYPE's code page (1252, 437, 850, 65001), a character the code page
 * lacks fails with EILSEQ (wctomb takes its best fit when there is one: U+0100 -> 'A', as
 * WideCharToMultiByte without WC_NO_BEST_FIT_CHARS; wctomb of U+2591 is printed only where the
 * page has it: Windows' 1252 best-fits it to 0xA6, which ntrun's decomposition-derived best
 * fits lack); isalpha/isupper/islower, _isctype_l, __pctype_func and
 * toupper/tolower (and _l) classify and map the code page's letters (é, Ü, ÿ <-> Ÿ in 1252;
 * ß has no upper case there; in 850 0x82 is é, whose upper case is 0x90; in 437 0xE9 is Θ,
 * whose lower case 437 lacks). Expected values: the code pages' published tables (Windows'
 * c_1252.nls, c_437.nls, c_850.nls) and the UCRT's documented use of GetStringTypeA and
 * LCMapStringA in the locale's code page, as Wine 8.0's ucrtbase prints them except: Wine's
 * 437 and 850 locales classify
 * and map bytes as 1252 does (GetStringTypeA with the ANSI code page); and with .utf8 Wine's
 * mbtowc gives U+FFFD for a stray continuation byte and its mbstowcs_s succeeds, where the
 * UCRT's UTF-8 decoder fails with EILSEQ. */
#include "ucrt.h"

typedef struct { struct { const unsigned short *pctype; int mb_cur_max; unsigned cp; } *locinfo; void *mbcinfo; } *_locale_t;
__declspec(dllimport) char *__cdecl setlocale(int cat, const char *name);
__declspec(dllimport) _locale_t __cdecl _create_locale(int cat, const char *name);
__declspec(dllimport) void __cdecl _free_locale(_locale_t l);
__declspec(dllimport) size_t __cdecl mbstowcs(wchar16 *dst, const char *src, size_t n);
__declspec(dllimport) size_t __cdecl wcstombs(char *dst, const wchar16 *src, size_t n);
__declspec(dllimport) size_t __cdecl _mbstowcs_l(wchar16 *dst, const char *src, size_t n, _locale_t l);
__declspec(dllimport) size_t __cdecl _wcstombs_l(char *dst, const wchar16 *src, size_t n, _locale_t l);
__declspec(dllimport) int __cdecl mbtowc(wchar16 *dst, const char *s, size_t n);
__declspec(dllimport) int __cdecl wctomb(char *s, wchar16 wc);
__declspec(dllimport) int __cdecl mbstowcs_s(size_t *ret, wchar16 *dst, size_t size, const char *src, size_t n);
__declspec(dllimport) int __cdecl wcstombs_s(size_t *ret, char *dst, size_t size, const wchar16 *src, size_t n);
__declspec(dllimport) int __cdecl isalpha(int c);
__declspec(dllimport) int __cdecl isupper(int c);
__declspec(dllimport) int __cdecl islower(int c);
__declspec(dllimport) int __cdecl _isalpha_l(int c, _locale_t l);
__declspec(dllimport) int __cdecl _isctype_l(int c, int mask, _locale_t l);
__declspec(dllimport) int __cdecl toupper(int c);
__declspec(dllimport) int __cdecl tolower(int c);
__declspec(dllimport) int __cdecl _toupper_l(int c, _locale_t l);
__declspec(dllimport) int __cdecl _tolower_l(int c, _locale_t l);
__declspec(dllimport) const unsigned short *__cdecl __pctype_func(void);
__declspec(dllimport) int *__cdecl _errno(void);

#define LC_ALL 0
#define LC_CTYPE 2

static void hex(const char *s, int n)
{
    char buf[128];
    int k = 0;
    for (int i = 0; i < n && k < 120; i++)
        k += sprintf(buf + k, "%02x", (unsigned char)s[i]);
    buf[k] = 0;
    printf("%s", buf);
}

static void whex(const wchar16 *w, int n)
{
    char buf[160];
    int k = 0;
    for (int i = 0; i < n && k < 150; i++)
        k += sprintf(buf + k, "%s%04x", i ? "." : "", w[i]);
    buf[k] = 0;
    printf("%s", buf);
}

/* "é€Ü" and friends as UTF-16 */
static const wchar16 text[] = {'a', 0xE9, 0x20AC, 0xDC, 0x2591, 0x0100, 0};

static void conv(const char *name)
{
    printf("%s: %s\n", name, setlocale(LC_ALL, name) ? "ok" : "refused");
    const char bytes[] = {'a', (char)0x80, (char)0xE9, (char)0x9A, (char)0xB0, (char)0xFF, 0};
    wchar16 w[16];
    size_t n = mbstowcs(w, bytes, 16);
    printf("  mbstowcs(80 e9 9a b0 ff) = %d: ", (int)n);
    if (n != (size_t)-1)
        whex(w, (int)n);
    printf(" .\n");
    for (int i = 1; i < 6; i++) {
        wchar16 one[] = {text[i], 0};
        char out[16];
        *_errno() = 0;
        n = wcstombs(out, one, sizeof out);
        int e = *_errno();
        printf("  wcstombs(%04x) = %d errno %d ", text[i], (int)n, e);
        if (n != (size_t)-1)
            hex(out, (int)n);
        if (text[i] == 0x2591 && n == (size_t)-1) {
            printf(" .\n");
            continue;
        }
        int r = wctomb(out, text[i]);
        printf(" | wctomb %d ", r);
        if (r > 0)
            hex(out, r);
        printf(" .\n");
    }
    wchar16 wc = 0;
    int r = mbtowc(&wc, "\x82z", 2);
    printf("  mbtowc(82) = %d %04x\n", r, wc);
    size_t got = 0;
    r = wcstombs_s(&got, 0, 0, text, 0);
    printf("  wcstombs_s(size) = %d, %d\n", r, (int)got);
    wchar16 w2[8];
    r = mbstowcs_s(&got, w2, 8, "\xe9t\xe9", 8);
    printf("  mbstowcs_s = %d, %d: ", r, (int)got);
    whex(w2, (int)got);
    printf(" .\n");
}

static void classes(const char *name)
{
    setlocale(LC_ALL, name);
    static const int cs[] = {0xE9, 0xC9, 0xDC, 0xFC, 0xDF, 0xFF, 0x9F, 0x8A, 0x9A, 0xA0, 0x82, 0xB0};
    char buf[256];
    int k = 0;
    const unsigned short *t = __pctype_func();
    for (int i = 0; i < (int)(sizeof cs / sizeof *cs); i++) {
        int c = cs[i];
        k += sprintf(buf + k, " %02x:%c%c%c/%03x/%02x/%02x", c, isalpha(c) ? 'A' : '-',
                     isupper(c) ? 'U' : '-', islower(c) ? 'L' : '-', t[c] & 0x1ff,
                     toupper(c) & 0xff, tolower(c) & 0xff);
    }
    buf[k] = 0;
    printf("%s:%s\n", name, buf);
}

int main(void)
{
    conv(".1252");
    conv(".437");
    conv(".850");
    conv(".utf8");
    conv("de-DE");
    classes(".1252");
    classes(".850");
    classes(".437");
    classes("C");

    /* the _l forms follow their argument, not the process's locale */
    setlocale(LC_ALL, "C");
    _locale_t l1252 = _create_locale(LC_ALL, ".1252"), l850 = _create_locale(LC_ALL, ".850");
    wchar16 w[4];
    char out[8];
    size_t n = _mbstowcs_l(w, "\x82", 4, l850);
    printf("_mbstowcs_l 850: %d %04x\n", (int)n, w[0]);
    n = _mbstowcs_l(w, "\x82", 4, l1252);
    printf("_mbstowcs_l 1252: %d %04x\n", (int)n, w[0]);
    wchar16 e[] = {0xE9, 0};
    n = _wcstombs_l(out, e, 8, l850);
    printf("_wcstombs_l 850: %d %02x\n", (int)n, (unsigned char)out[0]);
    printf("_toupper_l(e9) 1252 %02x 850 %02x C %02x; _tolower_l(c9) 1252 %02x\n",
           _toupper_l(0xE9, l1252), _toupper_l(0xE9, l850), toupper(0xE9), _tolower_l(0xC9, l1252));
    printf("_isalpha_l(e9) 1252 %d 850 %d; _isctype_l(82, _ALPHA|_LOWER) 850 %x\n",
           _isalpha_l(0xE9, l1252) != 0, _isalpha_l(0xE9, l850) != 0,
           _isctype_l(0x82, 0x102, l850));
    _free_locale(l1252);
    _free_locale(l850);
    return 0;
}
