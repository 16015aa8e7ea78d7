/* kernel32's code pages 949 (Korean, Unified Hangul Code) and 950 (Traditional Chinese, Big5),
 * the ANSI code pages of ko-KR and zh-TW: GetCPInfo/GetCPInfoExW (MaxCharSize 2, '?', lead
 * bytes 0x81-0xFE, UnicodeDefaultChar '?'), every single byte and every lead/trail pair through
 * MultiByteToWideChar and every unit U+0000-U+FFFF through WideCharToMultiByte with
 * WC_NO_BEST_FIT_CHARS, each table summed into an FNV-1a hash; some values by name (Hangul and
 * hanzi, the user-defined areas in the private use area, 0xFF, Big5's box drawings that have
 * two codes, a lead byte before a NUL, MB_ERR_INVALID_CHARS); GetLocaleInfoA and
 * GetDateFormatA of ko-KR and zh-TW in them. Expected: Windows' tables (c_949.nls,
 * c_950.nls), as Wine 8.0 (which carries them) gives every byte, pair and unit; Windows' best
 * fits (without WC_NO_BEST_FIT_CHARS) are not asserted: ntrun gives these pages none
 * (cmake/gen_codepages.py). ko-KR's time marker is CLDR's 오후 (Wine 8.0: PM, see
 * pe.nls_lctime). */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static unsigned fnv(unsigned h, const void *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ ((const unsigned char *)p)[i]) * 16777619u;
    return h;
}

static void hex(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        printf("%02x", (unsigned char)s[i]);
}

static void page(UINT cp)
{
    CPINFOEXW ex;
    memset(&ex, 0xcc, sizeof ex);
    BOOL ok = GetCPInfoExW(cp, 0, &ex);
    printf("cp %u: valid %d info %d max %u def %02x%02x udef %04x lead", cp, IsValidCodePage(cp),
           ok, ex.MaxCharSize, ex.DefaultChar[0], ex.DefaultChar[1], ex.UnicodeDefaultChar);
    for (int i = 0; i < 12 && ex.LeadByte[i]; i++)
        printf(" %02x", ex.LeadByte[i]);
    printf("\n");
    unsigned hb = 2166136261u, hp = 2166136261u, hu = 2166136261u;
    for (int b = 0; b < 256; b++) {
        char s[1] = {(char)b};
        WCHAR w[4] = {0};
        int n = MultiByteToWideChar(cp, 0, s, 1, w, 4);
        hb = fnv(fnv(hb, &n, sizeof n), w, sizeof w);
    }
    for (int l = 0x81; l < 0xff; l++)
        for (int t = 0x01; t < 0x100; t++) {
            char s[2] = {(char)l, (char)t};
            WCHAR w[4] = {0};
            int n = MultiByteToWideChar(cp, 0, s, 2, w, 4);
            int e = MultiByteToWideChar(cp, MB_ERR_INVALID_CHARS, s, 2, NULL, 0);
            hp = fnv(fnv(fnv(hp, &n, sizeof n), w, sizeof w), &e, sizeof e);
        }
    for (int u = 0; u < 0x10000; u++) {
        WCHAR w[1] = {(WCHAR)u};
        char s[4] = {0};
        BOOL used = 0;
        int n = WideCharToMultiByte(cp, WC_NO_BEST_FIT_CHARS, w, 1, s, 4, NULL, &used);
        hu = fnv(fnv(fnv(hu, &n, sizeof n), s, sizeof s), &used, sizeof used);
    }
    printf("  bytes %08x pairs %08x units %08x\n", hb, hp, hu);
}

static void mb(UINT cp, const char *s, int n, DWORD flags)
{
    WCHAR w[8] = {0};
    SetLastError(0xdeadbeef);
    int r = MultiByteToWideChar(cp, flags, s, n, w, 8);
    printf("  mb %u [", cp);
    hex(s, n);
    printf("]%s -> %d", flags ? " ERR_INVALID" : "", r);
    for (int i = 0; i < r; i++)
        printf(" %04x", w[i]);
    if (!r)
        printf(" error %lu", GetLastError());
    printf("\n");
}

static void wc(UINT cp, const WCHAR *w, int n)
{
    char s[16] = {0};
    BOOL used = 0;
    int r = WideCharToMultiByte(cp, WC_NO_BEST_FIT_CHARS, w, n, s, sizeof s, NULL, &used);
    printf("  wc %u [", cp);
    for (int i = 0; i < n; i++)
        printf("%s%04x", i ? " " : "", w[i]);
    printf("] -> %d ", r);
    hex(s, r);
    printf(" used %d\n", used);
}

int main(void)
{
    page(949);
    page(950);
    mb(949, "\xc7\xd1\xb1\xb9\xbe\xee", 6, 0);       /* 한국어 */
    mb(949, "\x81\x41", 2, 0);                        /* UHC extension: 갂 */
    mb(949, "\xc9\xa1\xfe\xfe", 4, 0);                /* user-defined: U+E000, U+E0BB */
    mb(949, "\xff", 1, 0);
    mb(949, "\xa1\x00", 2, 0);                        /* a lead byte before a NUL */
    mb(949, "\xa1\x20", 2, MB_ERR_INVALID_CHARS);
    mb(950, "\xa4\xa4\xa4\xe5", 4, 0);                /* 中文 */
    mb(950, "\xfa\x40\x81\x40\xc6\xa1", 6, 0);        /* user-defined areas */
    mb(950, "\xf9\xf9\xa2\xa4", 4, 0);                /* U+2550 twice */
    mb(950, "\xff", 1, 0);
    mb(950, "\x81\x20", 2, MB_ERR_INVALID_CHARS);
    wc(949, L"\xd55c\xad6d\xc5b4", 3);
    wc(949, L"\xe000\xe0bb", 2);
    wc(950, L"\x4e2d\x6587", 2);
    wc(950, L"\x2550\x256d\xe000\xf848", 4);
    wc(950, L"\xac00", 1);                            /* Hangul: not in Big5 */
    char a[64];
    int n = GetLocaleInfoA(0x0412, LOCALE_SDAYNAME1, a, sizeof a);
    printf("GetLocaleInfoA 0412 SDAYNAME1: %d ", n);
    hex(a, n > 0 ? n - 1 : 0);
    n = GetLocaleInfoA(0x0404, LOCALE_SDAYNAME1, a, sizeof a);
    printf("\nGetLocaleInfoA 0404 SDAYNAME1: %d ", n);
    hex(a, n > 0 ? n - 1 : 0);
    SYSTEMTIME st = {2026, 12, 6, 5, 15, 4, 5, 0};
    n = GetDateFormatA(0x0404, DATE_LONGDATE, &st, NULL, a, sizeof a);
    printf("\nGetDateFormatA 0404 long: %d ", n);
    hex(a, n > 0 ? n - 1 : 0);
    n = GetTimeFormatA(0x0412, 0, &st, NULL, a, sizeof a);
    printf("\nGetTimeFormatA 0412: %d ", n);
    hex(a, n > 0 ? n - 1 : 0);
    printf("\n");
    return 0;
}
