/* msvcrt's _mbs* functions after _setmbcp(932) (Shift-JIS: a lead byte 0x81-0x9F or 0xE0-0xFC
 * and the byte after it are one character) and after _setmbcp(1252) / with no multibyte code
 * page (every byte a character): _mbslen, _mbsnlen, _mbschr, _mbsrchr, _mbsstr, _mbsinc,
 * _mbsninc, _mbsdec, _mbsnextc, _mbclen, _ismbblead/_ismbbtrail, _ismbslead/_ismbstrail,
 * _mbsbtype, _mbbtype, _mbstok, _mbsupr/_mbslwr (full-width letters too), _mbctoupper,
 * _mbccpy, _mbsnbcpy (a cut character dropped), _mbsncpy, _mbsnbcnt/_mbsnccnt, _mbscmp/
 * _mbsicmp/_mbsncmp/_mbsnbcmp, _mbsspn/_mbscspn/_mbspbrk, _mbsrev, _mbsnbcat, _mbstok and
 * msvcrt's _mbctype table. The string "A<nihon>b<\x95\x5c>\\" has 0x5C ('\\') as the trail
 * byte of 0x95 0x5C, which strchr would find. Expected values: Windows' msvcrt as its CRT
 * sources define them; Wine 8.0 agrees but for two places where it differs from Windows:
 * its _mbsstr is strstr (Windows matches on character boundaries only: "{b" is not found
 * inside 96 7B 62) and its _mbbtype takes a half-width katakana (0xB1, _MS) for illegal
 * (Windows' _ismbbprint counts _MS/_MP bytes). */
#include <mbctype.h>
#include <mbstring.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>

/* msvcrt.dll's _mbctype array (mingw's <mbctype.h> reads the import as a pointer variable) */
static const unsigned char *mbctype;

static void hex(const char *what, const unsigned char *s)
{
    printf("  %s:", what);
    for (; *s; s++)
        printf(" %02x", *s);
    printf("\n");
}

static int sign(int v) { return v < 0 ? -1 : v > 0; }

static void run(int cp)
{
    int r = _setmbcp(cp);
    printf("_setmbcp(%d) %d -> %d\n", cp, r, _getmbcp());
    /* A, nihon (93 fa 96 7b), b, the kanji 95 5c, ASCII backslash */
    const unsigned char s[] = "A\x93\xfa\x96\x7b" "b\x95\x5c\\";
    printf("  _mbslen %u _mbsnlen(4) %u _mbsnbcnt(3 chars) %u _mbsnccnt(4 bytes) %u strlen %u\n",
           (unsigned)_mbslen(s), (unsigned)_mbsnlen(s, 4), (unsigned)_mbsnbcnt(s, 3),
           (unsigned)_mbsnccnt(s, 4), (unsigned)strlen((const char *)s));
    const unsigned char *p = _mbschr(s, '\\');
    const unsigned char *q = _mbsrchr(s, '\\');
    printf("  _mbschr('\\\\') %d _mbsrchr %d _mbschr(0x967b) %d _mbschr(0x7b) %d\n",
           p ? (int)(p - s) : -1, q ? (int)(q - s) : -1,
           _mbschr(s, 0x967b) ? (int)(_mbschr(s, 0x967b) - s) : -1,
           _mbschr(s, 0x7b) ? (int)(_mbschr(s, 0x7b) - s) : -1);
    const unsigned char *st = _mbsstr(s, (const unsigned char *)"\x7b" "b");
    printf("  _mbsstr(7b 62) %d\n", st ? (int)(st - s) : -1);
    printf("  _mbsinc %d %d _mbsninc(3) %d _mbsdec(end) %d _mbsdec(6) %d _mbsnextc(1) %04x\n",
           (int)(_mbsinc(s) - s), (int)(_mbsinc(s + 1) - s), (int)(_mbsninc(s, 3) - s),
           (int)(_mbsdec(s, s + 9) - s), (int)(_mbsdec(s, s + 6) - s), _mbsnextc(s + 1));
    printf("  _mbclen %u %u lead(93) %d lead(41) %d trail(5c) %d trail(7f) %d\n",
           (unsigned)_mbclen(s), (unsigned)_mbclen(s + 1), _ismbblead(0x93) != 0,
           _ismbblead(0x41) != 0, _ismbbtrail(0x5c) != 0, _ismbbtrail(0x7f) != 0);
    printf("  _ismbslead(2) %d (1) %d _ismbstrail(2) %d (8) %d _mbsbtype 0:%d 1:%d 2:%d 8:%d 10:%d"
           " _mbbtype(93,0) %d (5c,1) %d (b1,0) %d\n",
           _ismbslead(s, s + 2), _ismbslead(s, s + 1), _ismbstrail(s, s + 2), _ismbstrail(s, s + 8),
           _mbsbtype(s, 0), _mbsbtype(s, 1), _mbsbtype(s, 2), _mbsbtype(s, 8), _mbsbtype(s, 10),
           _mbbtype(0x93, 0), _mbbtype(0x5c, 1), _mbbtype(0xb1, 0));
    printf("  _mbctype[0x82] %02x [0x41] %02x [0x61] %02x [0x40] %02x [0xb1] %02x [0xa1] %02x\n",
           mbctype[0x83], mbctype[0x42], mbctype[0x62],
           mbctype[0x41], mbctype[0xb2], mbctype[0xa2]);

    unsigned char t[32];
    strcpy((char *)t, "ab\x82\x60\x82\x81z");  /* a b, full-width A, full-width a, z */
    hex("_mbsupr", _mbsupr(t));
    hex("_mbslwr", _mbslwr(t));
    printf("  _mbctoupper(8281) %04x _mbctolower(8260) %04x _mbctoupper(61) %04x\n",
           _mbctoupper(0x8281), _mbctolower(0x8260), _mbctoupper('a'));

    unsigned char d[16];
    memset(d, 'x', sizeof d);
    _mbsnbcpy(d, s, 2);
    printf("  _mbsnbcpy(2) %02x %02x %02x\n", d[0], d[1], d[2]);
    memset(d, 'x', sizeof d);
    _mbsncpy(d, s, 2);
    printf("  _mbsncpy(2 chars) %02x %02x %02x %02x\n", d[0], d[1], d[2], d[3]);
    memset(d, 0, sizeof d);
    _mbccpy(d, s + 1);
    printf("  _mbccpy %02x %02x %02x\n", d[0], d[1], d[2]);
    strcpy((char *)d, "x\x93");
    _mbsnbcat(d, (const unsigned char *)"yz", 5);
    hex("_mbsnbcat over a dangling lead", d);

    printf("  _mbscmp %d _mbsicmp %d _mbsncmp(2) %d _mbsnbcmp(2) %d\n",
           sign(_mbscmp(s, (const unsigned char *)"A\x93\xfa\x96\x7c")),
           sign(_mbsicmp((const unsigned char *)"a\x93\xfa", (const unsigned char *)"A\x93\xfa")),
           sign(_mbsncmp(s, (const unsigned char *)"A\x93\xfa\x97", 2)),
           sign(_mbsnbcmp(s, (const unsigned char *)"A\x93\xfb", 2)));
    printf("  _mbsspn %u _mbscspn %u _mbspbrk %d\n",
           (unsigned)_mbsspn(s, (const unsigned char *)"A\x93\xfa"),
           (unsigned)_mbscspn(s, (const unsigned char *)"\x95\x5c"),
           _mbspbrk(s, (const unsigned char *)"\\") ? (int)(_mbspbrk(s, (const unsigned char *)"\\") - s) : -1);
    strcpy((char *)t, (const char *)s);
    hex("_mbsrev", _mbsrev(t));

    strcpy((char *)t, "a\x95\x5c" "b\\c");
    unsigned char *tok = _mbstok(t, (const unsigned char *)"\\");
    printf("  _mbstok:");
    while (tok) {
        printf(" [");
        for (unsigned char *c = tok; *c; c++)
            printf("%02x", *c);
        printf("]");
        tok = _mbstok(NULL, (const unsigned char *)"\\");
    }
    printf("\n");
}

int main(void)
{
    mbctype = (const unsigned char *)GetProcAddress(GetModuleHandleA("msvcrt.dll"), "_mbctype");
    run(932);
    run(1252);
    run(0);
    printf("_setmbcp(65001) %d, _setmbcp(12345) %d -> %d\n", _setmbcp(65001), _setmbcp(12345),
           _getmbcp());
    return 0;
}
