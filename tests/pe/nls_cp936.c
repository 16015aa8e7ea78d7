/* kernel32's code page 936 (GBK, Simplified Chinese): GetCPInfo/GetCPInfoExA (MaxCharSize 2,
 * DefaultChar '?', lead bytes 0x81-0xFE, UnicodeDefaultChar '?', the name), IsDBCSLeadByteEx,
 * MultiByteToWideChar (ASCII, GB2312 hanzi, GBK extension hanzi, 0x80 = U+20AC, 0xFF = U+F8F5,
 * user-defined pairs = private-use units as GB18030-2000 numbers them, a lead byte with a
 * byte that is no trail byte (every pair with a trail byte is defined), at the end or before
 * a NUL; MB_ERR_INVALID_CHARS on each), WideCharToMultiByte (hanzi back to pairs, U+20AC,
 * private use, pinyin letters, a unit GBK lacks with the page's and a given default
 * character, lpUsedDefaultChar, WC_NO_BEST_FIT_CHARS, a short buffer that a double-byte
 * character does not go half into). Expected: Windows' table (c_936.nls), as Wine 8.0 (which
 * carries it) answers for every byte, pair and unit asserted here. Best fits are
 * pe.nls_bestfit_dbcs's (ntrun has only part of Windows' table, cmake/gen_codepages.py). */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "nls_show.h"

int main(void)
{
    CPINFOEXA ex;
    CPINFO ci;
    memset(&ex, 0xcc, sizeof ex);
    BOOL ok = GetCPInfo(936, &ci);
    BOOL okx = GetCPInfoExA(936, 0, &ex);
    printf("cp 936: valid %d GetCPInfo %d max %u def %02x %02x lead", IsValidCodePage(936), ok,
           ci.MaxCharSize, ci.DefaultChar[0], ci.DefaultChar[1]);
    for (int i = 0; i < 12 && ok && ci.LeadByte[i]; i++)
        printf(" %02x", ci.LeadByte[i]);
    printf(" | ex %d udef %04x cp %u \"%s\"\n", okx, ex.UnicodeDefaultChar, ex.CodePage,
           okx ? ex.CodePageName : "");
    printf("IsDBCSLeadByteEx:");
    static const int probe[] = {0x40, 0x7f, 0x80, 0x81, 0xa1, 0xd6, 0xfe, 0xff};
    for (size_t i = 0; i < sizeof probe / sizeof *probe; i++)
        printf(" %02x=%d", probe[i], IsDBCSLeadByteEx(936, (BYTE)probe[i]));
    printf("\n");

    printf("MultiByteToWideChar:\n");
    /* "中文" (GB2312 D6D0 CEC4), "丂" (GBK extension 8140), "€" 0x80, 0xFF */
    units(936, "ascii+hanzi", "a\xd6\xd0\xce\xc4z", 6, 0);
    units(936, "gbk ext 8140 fe4f", "\x81\x40\xfe\x4f", 4, 0);
    units(936, "80 ff", "\x80\xff", 2, 0);
    units(936, "80 ff invalid", "\x80\xff", 2, MB_ERR_INVALID_CHARS);
    units(936, "user-defined aaa1 f8a1 a140 a2ab fe50",
          "\xaa\xa1\xf8\xa1\xa1\x40\xa2\xab\xfe\x50", 10, 0);
    units(936, "user-defined invalid", "\xaa\xa1\xa1\x40", 4, MB_ERR_INVALID_CHARS);
    units(936, "user-defined a2a0", "\xa2\xa0x", 3, 0);
    units(936, "lead + 20", "\x81\x20y", 3, 0);
    units(936, "lead + 20 invalid", "\x81\x20y", 3, MB_ERR_INVALID_CHARS);
    units(936, "lead + 7f", "\x81\x7fy", 3, 0);
    units(936, "lead at end", "z\xd6", 2, 0);
    units(936, "lead at end invalid", "z\xd6", 2, MB_ERR_INVALID_CHARS);
    units(936, "lead + NUL", "\xd6\0q", 3, 0);
    units(936, "'?' invalid", "?", 1, MB_ERR_INVALID_CHARS);

    printf("WideCharToMultiByte:\n");
    static const WCHAR hanzi[] = {'a', 0x4e2d, 0x6587, 0x4e02, 0x20ac, 0xe000, 0xe766, 0xf8f5, 0};
    bytes(936, "hanzi euro pua", hanzi, -1, 0, NULL);
    static const WCHAR dot[] = {0x00b7, 0x2014, 0x3000, 0xff01, 0};
    bytes(936, "b7 2014 3000 ff01", dot, -1, WC_NO_BEST_FIT_CHARS, NULL);
    static const WCHAR thai[] = {'x', 0x0e01, 0xac00, 0};
    bytes(936, "thai hangul", thai, -1, 0, NULL);
    bytes(936, "thai hangul, def #", thai, -1, 0, "#");
    bytes(936, "thai hangul, def pair", thai, -1, 0, "\xa1\xf9");
    static const WCHAR half[] = {0xff61, 0};
    bytes(936, "halfwidth katakana", half, -1, 0, NULL);
    static const WCHAR agrave[] = {0x00e0, 0x00e9, 0};
    bytes(936, "pinyin e0 e9 no best fit", agrave, -1, WC_NO_BEST_FIT_CHARS, NULL);
    static const WCHAR two[] = {'a', 0x4e2d, 0};
    bytes_cap(936, "short buffer 2", two, 2, 0, NULL, 2);
    bytes_cap(936, "size only", two, 2, 0, NULL, 0);
    return 0;
}
