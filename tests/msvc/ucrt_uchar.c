/* Characters outside the BMP through the UCRT's restartable conversions under
 * setlocale(LC_ALL, ".UTF8"): mbrtoc16 and mbrtowc give a surrogate pair for one 4-byte UTF-8
 * character, the high surrogate with the count of bytes taken, then (the mbstate_t carrying
 * the low one) the low surrogate with (size_t)-3 and no byte taken; the bytes may also come
 * one call at a time. c16rtomb/wcrtomb keep a high surrogate (returning 0) until its low one
 * and reject a lone low one (EILSEQ); mbrtoc32/c32rtomb convert the whole code point, reject
 * surrogates and values past U+10FFFF, and stop an invalid sequence with EILSEQ. Expected
 * values: C11 7.28.1 (mbrtoc16's -3), Microsoft's documentation of mbrtoc16/c16rtomb/
 * mbrtoc32/c32rtomb (UTF-8 <-> UTF-16/UTF-32) and the UCRT's mbrtowc in a UTF-8 locale, which
 * is its mbrtoc16. (Wine 8.0's ucrtbase does not convert UTF-8 in mbrtowc, see
 * ucrt_mbrtowc.c, so it is no second opinion here.) */
#include "ucrt.h"

typedef struct { unsigned wchar; unsigned short bytes, state; } mbstate_t;
__declspec(dllimport) size_t __cdecl mbrtowc(wchar16 *dst, const char *s, size_t n, mbstate_t *st);
__declspec(dllimport) size_t __cdecl wcrtomb(char *s, wchar16 wc, mbstate_t *st);
__declspec(dllimport) size_t __cdecl mbrtoc16(wchar16 *dst, const char *s, size_t n, mbstate_t *st);
__declspec(dllimport) size_t __cdecl mbrtoc32(unsigned *dst, const char *s, size_t n, mbstate_t *st);
__declspec(dllimport) size_t __cdecl c16rtomb(char *s, wchar16 c, mbstate_t *st);
__declspec(dllimport) size_t __cdecl c32rtomb(char *s, unsigned c, mbstate_t *st);
__declspec(dllimport) char *__cdecl setlocale(int cat, const char *name);
__declspec(dllimport) int *__cdecl _errno(void);

typedef size_t(__cdecl *to16)(wchar16 *, const char *, size_t, mbstate_t *);
typedef size_t(__cdecl *from16)(char *, wchar16, mbstate_t *);

static const char grin[] = "\xf0\x9f\x98\x80"; /* U+1F600 */

static void in16(const char *what, to16 f, const char *s, size_t n, mbstate_t *st)
{
    wchar16 w = 0xcccc;
    *_errno() = 0;
    size_t r = f(&w, s, n, st);
    printf("  %s: %d %04x errno %d\n", what, (int)r, w, *_errno());
}

static void out16(const char *what, from16 f, wchar16 c, mbstate_t *st)
{
    unsigned char b[8] = {0};
    *_errno() = 0;
    size_t r = f((char *)b, c, st);
    printf("  %s: %d", what, (int)r);
    for (size_t i = 0; i < r && r <= 4; i++)
        printf(" %02x", b[i]);
    printf(" errno %d\n", *_errno());
}

static void run16(const char *name, to16 in, from16 out)
{
    mbstate_t st = {0};
    printf("%s\n", name);
    in16("U+1F600 whole", in, grin, 4, &st);
    in16("second half", in, "z", 1, &st);
    in16("then 'z'", in, "z", 1, &st);
    in16("byte 1", in, grin, 1, &st);
    in16("byte 2", in, grin + 1, 1, &st);
    in16("byte 3", in, grin + 2, 1, &st);
    in16("byte 4", in, grin + 3, 1, &st);
    in16("second half", in, "", 1, &st);
    in16("U+10FFFF and more", in, "\xf4\x8f\xbf\xbfq", 5, &st);
    in16("second half", in, "q", 1, &st);
    in16("U+110000", in, "\xf4\x90\x80\x80", 4, &st);
    in16("a CESU surrogate", in, "\xed\xa0\xbd", 3, &st);
    out16("high", out, 0xd83d, &st);
    out16("low", out, 0xde00, &st);
    out16("high", out, 0xdbff, &st);
    out16("low", out, 0xdfff, &st);
    out16("lone low", out, 0xde00, &st);
    out16("e-acute", out, 0xe9, &st);
}

static void in32(const char *what, const char *s, size_t n, mbstate_t *st)
{
    unsigned c = 0xcccccccc;
    *_errno() = 0;
    size_t r = mbrtoc32(&c, s, n, st);
    printf("  %s: %d %x errno %d\n", what, (int)r, c, *_errno());
}

static void out32(const char *what, unsigned c, mbstate_t *st)
{
    unsigned char b[8] = {0};
    *_errno() = 0;
    size_t r = c32rtomb((char *)b, c, st);
    printf("  %s: %d", what, (int)r);
    for (size_t i = 0; i < r && r <= 4; i++)
        printf(" %02x", b[i]);
    printf(" errno %d\n", *_errno());
}

int main(void)
{
    printf("%s\n", setlocale(0, ".UTF8"));
    run16("mbrtoc16/c16rtomb", mbrtoc16, c16rtomb);
    run16("mbrtowc/wcrtomb", mbrtowc, wcrtomb);

    mbstate_t st = {0};
    printf("mbrtoc32/c32rtomb\n");
    in32("U+1F600 whole", grin, 4, &st);
    in32("first two bytes", grin, 2, &st);
    in32("last two bytes", grin + 2, 2, &st);
    in32("euro", "\xe2\x82\xac", 3, &st);
    in32("NUL", "", 1, &st);
    in32("n = 0", "a", 0, &st);
    in32("bad continuation", "\xf0\x41", 2, &st);
    out32("U+1F600", 0x1f600, &st);
    out32("U+10FFFF", 0x10ffff, &st);
    out32("U+110000", 0x110000, &st);
    out32("U+D800", 0xd800, &st);
    out32("U+00E9", 0xe9, &st);
    out32("U+0041", 'A', &st);

    /* the internal states (a NULL mbstate_t) carry the pair too */
    wchar16 a = 0, b = 0;
    size_t r1 = mbrtoc16(&a, grin, 4, 0), r2 = mbrtoc16(&b, "", 1, 0);
    printf("internal state: %d %04x, %d %04x\n", (int)r1, a, (int)r2, b);
    char out[8] = {0};
    size_t w1 = c16rtomb(out, 0xd83d, 0), w2 = c16rtomb(out, 0xde00, 0);
    printf("internal state: %d, %d %02x%02x%02x%02x\n", (int)w1, (int)w2, (unsigned char)out[0],
           (unsigned char)out[1], (unsigned char)out[2], (unsigned char)out[3]);

    /* mbrtoc16 is UTF-8 whatever the locale; mbrtowc follows it */
    setlocale(0, ".1252");
    st = (mbstate_t){0};
    in16("1252: mbrtoc16 U+1F600", mbrtoc16, grin, 4, &st);
    in16("1252: second half", mbrtoc16, "", 1, &st);
    in16("1252: mbrtowc 0xf0", mbrtowc, grin, 4, &st);
    return 0;
}
