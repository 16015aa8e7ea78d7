/* kernel32's table code pages: MultiByteToWideChar and WideCharToMultiByte in the single-byte
 * pages 1250, 1251, 1252, 1253, 1254, 1257, 437, 850, 866, 28591 and 20127 (bytes 0x80-0xFF
 * and back, the private-use units of 1253's and 1257's undefined bytes), and in the
 * double-byte 932 (Shift-JIS: ASCII, half-width katakana, kanji, a lead byte with an undefined
 * trail byte or at the end, MB_ERR_INVALID_CHARS, the NEC/IBM duplicate pairs encoding to one
 * code); the default character (the page's, lpDefaultChar, a double-byte one) and
 * lpUsedDefaultChar, WC_NO_BEST_FIT_CHARS; GetCPInfo/GetCPInfoExA (MaxCharSize, DefaultChar,
 * LeadByte, UnicodeDefaultChar, CodePageName), IsDBCSLeadByteEx and IsValidCodePage.
 * Best fit: without WC_NO_BEST_FIT_CHARS a character a page lacks may become a look-alike
 * (1252: U+0100 -> 'A', U+FF21 -> 'A'), which is not a use of the default character; a
 * best fit to the default character itself (U+FF1F -> '?') is one (more best fits in
 * nls_bestfit_sbcs.c). MB_USEGLYPHCHARS (437's
 * glyphs for control bytes) and MB_ERR_INVALID_CHARS on a single-byte page. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "nls_show.h"

static void info(UINT cp)
{
    CPINFOEXA ex;
    CPINFO ci;
    memset(&ex, 0xcc, sizeof ex);
    BOOL ok = GetCPInfo(cp, &ci);
    BOOL okx = GetCPInfoExA(cp, 0, &ex);
    printf("cp %u: valid %d GetCPInfo %d max %u def %02x %02x lead", cp, IsValidCodePage(cp), ok,
           ci.MaxCharSize, ci.DefaultChar[0], ci.DefaultChar[1]);
    for (int i = 0; i < 12 && ok && ci.LeadByte[i]; i++)
        printf(" %02x", ci.LeadByte[i]);
    printf(" | ex %d udef %04x cp %u \"%s\"\n", okx, ex.UnicodeDefaultChar, ex.CodePage,
           okx ? ex.CodePageName : "");
}

int main(void)
{
    static const UINT sbcs[] = {1250, 1251, 1252, 1253, 1254, 1257, 437, 850, 866, 28591, 20127};
    char high[128];
    for (int i = 0; i < 128; i++)
        high[i] = (char)(0x80 + i);
    for (size_t k = 0; k < sizeof sbcs / sizeof *sbcs; k++) {
        UINT cp = sbcs[k];
        info(cp);
        WCHAR w[128];
        int r = MultiByteToWideChar(cp, 0, high, 128, w, 128);
        printf("  0x80-0xff: %d\n", r);
        for (int i = 0; i < r; i += 16) {
            printf("   ");
            for (int j = i; j < i + 16 && j < r; j++)
                printf(" %04x", w[j]);
            printf("\n");
        }
        char back[128];
        BOOL used = FALSE;
        r = WideCharToMultiByte(cp, 0, w, 128, back, 128, NULL, &used);
        int same = 0;
        for (int i = 0; i < r; i++)
            same += back[i] == high[i];
        printf("  back: %d, %d the same, used %d\n", r, same, used);
    }
    static const WCHAR greek[] = {0x03b1, 0x0391, 0x20ac, 0xf8f9, 0x0100, 0};
    bytes(1253, "1253 alpha Alpha euro U+F8F9 U+0100", greek, -1, WC_NO_BEST_FIT_CHARS, NULL);
    static const WCHAR cyr[] = {0x0416, 0x0436, 0x0401, 0x4e00, 0};
    bytes(1251, "1251 Zhe zhe Yo U+4E00", cyr, -1, 0, "*");
    static const WCHAR emoji[] = {'a', 0xd83d, 0xde00, 'b', 0xdc00, 0};
    bytes(1252, "1252 a U+1F600 b lone-low", emoji, -1, 0, NULL);
    bytes(866, "866 Zhe zhe Yo e-acute", cyr, -1, WC_NO_BEST_FIT_CHARS, NULL);
    static const WCHAR latin[] = {0x0100, 0x0141, 0x015f, 0x011f, 0x0130, 0};
    bytes(1250, "1250 A-macron L-stroke s-cedilla g-breve I-dot", latin, -1, WC_NO_BEST_FIT_CHARS, NULL);
    bytes(1254, "1254 A-macron L-stroke s-cedilla g-breve I-dot", latin, -1, WC_NO_BEST_FIT_CHARS, NULL);
    bytes(1257, "1257 A-macron L-stroke s-cedilla g-breve I-dot", latin, -1, WC_NO_BEST_FIT_CHARS, NULL);
    bytes(20127, "20127 A-macron L-stroke s-cedilla g-breve I-dot", latin, -1, WC_NO_BEST_FIT_CHARS, NULL);

    static const WCHAR fits[] = {0x0100, 0x0107, 0x01cd, 0x015f, 0xff21, 0xff1f, 0x4e00, 0};
    bytes(1252, "1252 best fit A-macron c-acute A-caron s-cedilla fullwidth-A fullwidth-? U+4E00",
          fits, -1, 0, NULL);
    bytes(1252, "1252 the same, default *", fits, -1, 0, "*");
    bytes(1252, "1252 the same, WC_NO_BEST_FIT_CHARS", fits, -1, WC_NO_BEST_FIT_CHARS, NULL);
    bytes(437, "437 the same", fits, -1, 0, NULL);
    bytes(1251, "1251 the same", fits, -1, 0, NULL);
    bytes(28591, "28591 the same", fits, -1, 0, NULL);
    bytes(20127, "20127 the same", fits, -1, 0, NULL);
    char fitb[16];
    int fr = WideCharToMultiByte(1252, 0, fits, -1, fitb, sizeof fitb, NULL, NULL);
    printf("  1252 best fit, no default arguments: %d", fr);
    for (int i = 0; i < fr; i++)
        printf(" %02x", (unsigned char)fitb[i]);
    printf("\n");
    units(437, "437 01 02 7f, MB_USEGLYPHCHARS", "\x01\x02\x7f", 3, MB_USEGLYPHCHARS);
    units(437, "437 01 02 7f", "\x01\x02\x7f", 3, 0);
    units(1252, "1252 MB_USEGLYPHCHARS (no glyphs)", "\x01\x81", 2, MB_USEGLYPHCHARS);
    units(1253, "1253 aa, MB_ERR_INVALID_CHARS", "a\xaa", 2, MB_ERR_INVALID_CHARS);
    units(1253, "1253 aa", "a\xaa", 2, 0);
    units(1252, "1252 81 8d, MB_ERR_INVALID_CHARS", "\x81\x8d", 2, MB_ERR_INVALID_CHARS);

    info(932);
    printf("  lead 0x81 %d 0x9f %d 0xa0 %d 0xe0 %d 0xfc %d 0xfd %d 0x41 %d | 1252 0x81 %d | 65001 0xe3 %d\n",
           IsDBCSLeadByteEx(932, 0x81), IsDBCSLeadByteEx(932, 0x9f), IsDBCSLeadByteEx(932, 0xa0),
           IsDBCSLeadByteEx(932, 0xe0), IsDBCSLeadByteEx(932, 0xfc), IsDBCSLeadByteEx(932, 0xfd),
           IsDBCSLeadByteEx(932, 0x41), IsDBCSLeadByteEx(1252, 0x81), IsDBCSLeadByteEx(65001, 0xe3));
    units(932, "932 A \\ kana kanji(nihon) a", "A\\\xb1\x93\xfa\x96\x7b" "a", -1, 0);
    units(932, "932 80 a0 fd fe ff", "\x80\xa0\xfd\xfe\xff", 5, 0);
    units(932, "932 lead at end", "A\x88", 2, 0);
    units(932, "932 lead at end, MB_ERR_INVALID_CHARS", "A\x88", 2, MB_ERR_INVALID_CHARS);
    units(932, "932 undefined pair 85 40", "\x85\x40" "b", 3, 0);
    units(932, "932 undefined pair, MB_ERR_INVALID_CHARS", "\x85\x40" "b", 3, MB_ERR_INVALID_CHARS);
    units(932, "932 NEC/IBM duplicates 87 90, fa 5b, 81 e0", "\x87\x90\xfa\x5b\x81\xe0", 6, 0);
    static const WCHAR jp[] = {'A', 0xff71, 0x65e5, 0x672c, 0x2252, 0x2235, 0xff5e, 0};
    bytes(932, "932 A kana nihon U+2252 U+2235 U+FF5E", jp, -1, 0, NULL);
    static const WCHAR nojp[] = {'x', 0x0e01, 0x0e02, 0xd83d, 0xde00, 0};
    bytes(932, "932 x Thai ko kho U+1F600", nojp, -1, 0, NULL);
    bytes(932, "932 the same, default 81 48", nojp, -1, 0, "\x81\x48");
    static const WCHAR fit[] = {'x', 0x00e9, 0x0100, 0};
    bytes(932, "932 x e-acute A-macron, WC_NO_BEST_FIT_CHARS", fit, -1, WC_NO_BEST_FIT_CHARS, "#");
    char small[3];
    SetLastError(0xdeadbeef);
    int r = WideCharToMultiByte(932, 0, jp, 3, small, 2, NULL, NULL);
    printf("  932 short buffer: %d error %lu\n", r, GetLastError());
    r = WideCharToMultiByte(932, 0, jp, 3, NULL, 0, NULL, NULL);
    printf("  932 size of A kana nihon: %d\n", r);
    r = MultiByteToWideChar(932, 0, "\x93\xfa\x96\x7b", 4, NULL, 0);
    printf("  932 units of nihon: %d\n", r);

    CPINFO ci;
    printf("cp 12345: valid %d GetCPInfo %d IsDBCSLeadByteEx %d\n", IsValidCodePage(12345),
           GetCPInfo(12345, &ci), IsDBCSLeadByteEx(12345, 0x81));
    return 0;
}
