/* msvcrt in code page 936 (GBK): _setmbcp(936) and the _mbs*, _mbc*, _ismbb* functions on its
 * lead bytes (0x81-0xFE) and trail bytes (0x40-0xFE), the _mbctype table; setlocale(LC_ALL,
 * ".936") and "Chinese_China.936" (the answers, MB_CUR_MAX, ___lc_codepage_func, isleadbyte,
 * the _LEADBYTE bit of _pctype) and mbtowc/mblen/wctomb/mbstowcs/wcstombs/_mbstrlen in that
 * locale (a hanzi pair, 0x80 = U+20AC, a lead byte before the NUL, a unit GBK lacks),
 * _setmbcp(_MB_CP_LOCALE). The string "A<zhong><wen>b<\x95\x5c>\\" has 0x5C as the trail byte
 * of 0x95 0x5C, which strchr would find. Expected: Windows' msvcrt (its CRT sources' tables,
 * GetCPInfo's lead bytes, mbtowc's checks); Wine 8.0 agrees but for mbtowc of a lead byte
 * with n 1, which it takes for a character (1) where Windows' mbtowc needs n >= MB_CUR_MAX
 * (-1, EILSEQ). Not asserted: the "C" locale's conversions (ntrun's are UTF-8, msvcrt_lib.h),
 * the whole _pctype entry of a lead byte (Wine sets other bits beside _LEADBYTE). */
#include <ctype.h>
#include <locale.h>
#include <mbctype.h>
#include <mbstring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static void hex(const char *what, const unsigned char *s)
{
    printf("  %s:", what);
    for (; *s; s++)
        printf(" %02x", *s);
    printf("\n");
}

static void mbstring(void)
{
    int r = _setmbcp(936);
    printf("_setmbcp(936) %d -> %d\n", r, _getmbcp());
    const unsigned char s[] = "A\xd6\xd0\xce\xc4" "b\x95\x5c\\";
    printf("  _mbslen %u strlen %u _mbsnextc(s+1) %04x _mbclen(s+1) %u\n", (unsigned)_mbslen(s),
           (unsigned)strlen((const char *)s), _mbsnextc(s + 1), (unsigned)_mbclen(s + 1));
    const unsigned char *p = _mbschr(s, '\\');
    printf("  _mbschr '\\\\' at %d, _mbschr 0xcec4 at %d, strchr '\\\\' at %d\n",
           p ? (int)(p - s) : -1, _mbschr(s, 0xcec4) ? (int)(_mbschr(s, 0xcec4) - s) : -1,
           (int)((const unsigned char *)strchr((const char *)s, '\\') - s));
    printf("  _ismbblead:");
    static const int b[] = {0x40, 0x7e, 0x7f, 0x80, 0x81, 0xa1, 0xfe, 0xff};
    for (size_t i = 0; i < sizeof b / sizeof *b; i++)
        printf(" %02x=%d", b[i], _ismbblead(b[i]) != 0);
    printf("\n  _ismbbtrail:");
    for (size_t i = 0; i < sizeof b / sizeof *b; i++)
        printf(" %02x=%d", b[i], _ismbbtrail(b[i]) != 0);
    printf("\n  _ismbclegal(8140) %d (817f) %d (81ff) %d (ff40) %d\n", _ismbclegal(0x8140) != 0,
           _ismbclegal(0x817f) != 0, _ismbclegal(0x81ff) != 0, _ismbclegal(0xff40) != 0);
    unsigned char rev[16];
    strcpy((char *)rev, (const char *)s);
    hex("_mbsrev", _mbsrev(rev));
    /* full-width a (A3E1) and A (A3C1) */
    printf("  _mbctoupper(a3e1) %04x _mbctolower(a3c1) %04x _mbctoupper(61) %04x\n",
           _mbctoupper(0xa3e1), _mbctolower(0xa3c1), _mbctoupper(0x61));
    unsigned char up[] = "a\xa3\xe1z\xd6\xd0";
    hex("_mbsupr", _mbsupr(up));
    printf("  _mbbtype(81,0) %d (40,1) %d (7f,1) %d (ff,1) %d\n", _mbbtype(0x81, 0),
           _mbbtype(0x40, 1), _mbbtype(0x7f, 1), _mbbtype(0xff, 1));
    const unsigned char *mbctype =
        (const unsigned char *)GetProcAddress(GetModuleHandleA("msvcrt.dll"), "_mbctype");
    printf("  _mbctype[0x40..]:");
    for (int c = 0x40; c < 0x100; c += 0x3f)
        printf(" %02x=%02x", c, mbctype[c + 1]);
    printf(" 7f=%02x fe=%02x ff=%02x\n", mbctype[0x80], mbctype[0xff], mbctype[0x100]);
}

static void conv(void)
{
    wchar_t w[16];
    char m[16];
    int r = mbtowc(w, "\xd6\xd0", 2);
    printf("  mbtowc(d6 d0) %d %04x", r, w[0]);
    r = mbtowc(w, "\x80", 1);
    printf(" mbtowc(80) %d %04x", r, w[0]);
    r = mbtowc(w, "\xd6", 1);
    printf(" mbtowc(d6, n 1) %d", r);
    r = mbtowc(w, "\xd6", 2);
    printf(" mbtowc(d6 00) %d", r);
    printf(" mblen(d6 d0) %d mblen(a) %d\n", mblen("\xd6\xd0", 2), mblen("a", 1));
    memset(m, 0, sizeof m);
    r = wctomb(m, 0x6587);
    printf("  wctomb(6587) %d %02x %02x", r, (unsigned char)m[0], (unsigned char)m[1]);
    r = wctomb(m, 0x20ac);
    printf(" wctomb(20ac) %d %02x", r, (unsigned char)m[0]);
    errno = 0;
    r = wctomb(m, 0x0e01);
    printf(" wctomb(0e01) %d errno %d\n", r, errno);
    size_t n = mbstowcs(w, "A\xd6\xd0\xce\xc4\x80z", 16);
    printf("  mbstowcs %d:", (int)n);
    for (size_t i = 0; i < n && i < 16; i++)
        printf(" %04x", w[i]);
    printf(" (count only %d)\n", (int)mbstowcs(NULL, "A\xd6\xd0\xce\xc4\x80z", 0));
    static const wchar_t back[] = {'A', 0x4e2d, 0x6587, 0x20ac, 'z', 0};
    memset(m, 0, sizeof m);
    n = wcstombs(m, back, sizeof m);
    hex("wcstombs", (const unsigned char *)m);
    printf("  wcstombs %d (count only %d, 3 bytes %d)\n", (int)n,
           (int)wcstombs(NULL, back, 0), (int)wcstombs(m, back, 3));
    static const wchar_t thai[] = {'x', 0x0e01, 0};
    errno = 0;
    n = wcstombs(m, thai, sizeof m);
    printf("  wcstombs(x, 0e01) %d errno %d\n", (int)n, errno);
    printf("  _mbstrlen %d\n", (int)_mbstrlen("A\xd6\xd0\xce\xc4z"));
}

static void locale(const char *name)
{
    const char *r = setlocale(LC_ALL, name);
    printf("setlocale(LC_ALL, \"%s\") \"%s\"\n", name, r ? r : "(null)");
    if (!r)
        return;
    printf("  MB_CUR_MAX %d ___lc_codepage_func %u isleadbyte(d6) %d isleadbyte(7f) %d "
           "isleadbyte(ff) %d _pctype[d6] & _LEADBYTE %04x\n", MB_CUR_MAX,
           ___lc_codepage_func(), isleadbyte(0xd6) != 0, isleadbyte(0x7f) != 0,
           isleadbyte(0xff) != 0, _pctype[0xd6] & _LEADBYTE);
    conv();
}

int main(void)
{
    mbstring();
    _setmbcp(0);
    locale(".936");
    locale("Chinese_China.936");
    int r = _setmbcp(_MB_CP_LOCALE);
    printf("_setmbcp(_MB_CP_LOCALE) %d -> %d _ismbblead(81) %d\n", r, _getmbcp(),
           _ismbblead(0x81) != 0);
    const char *c = setlocale(LC_ALL, "C");
    printf("setlocale(LC_ALL, \"C\") \"%s\" isleadbyte(d6) %d\n", c, isleadbyte(0xd6) != 0);
    return 0;
}
