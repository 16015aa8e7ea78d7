/* WideCharToMultiByte's best fit in the single-byte pages 437, 850, 1252 (and what 1251, 1257
 * and 20127 keep to): without WC_NO_BEST_FIT_CHARS a character the page lacks becomes a
 * look-alike (U+2013 EN DASH -> '-', U+2019 -> '\'', U+201C -> '"', U+0141 L WITH STROKE ->
 * 'L', fullwidth ASCII -> ASCII, an IBM PC glyph -> its control byte in the OEM pages, a box
 * drawing -> '+' in 1252), which is not a use of the default character: lpUsedDefaultChar
 * stays FALSE and lpDefaultChar is not written; with WC_NO_BEST_FIT_CHARS the same character
 * is the default character and sets it. A character the page has converts exactly either
 * way; one without a look-alike is the default character either way. Each unit is converted
 * alone, then a help line as .NET writes it (the Azure MCP server's "--help" text holds en
 * dashes). Every value printed here is Windows' (checked against Wine 8.0's copy of
 * Microsoft's tables, which agrees); the units where ntrun's rules and Windows' tables differ
 * (437: U+2018 is '`' on Windows) are listed in docs/design.md and not asserted. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static void one(UINT cp, WCHAR u)
{
    char b[8], n[8];
    BOOL used = 7, nused = 7;
    memset(b, 0xcc, sizeof b);
    memset(n, 0xcc, sizeof n);
    int r = WideCharToMultiByte(cp, 0, &u, 1, b, sizeof b, "#", &used);
    int nr = WideCharToMultiByte(cp, WC_NO_BEST_FIT_CHARS, &u, 1, n, sizeof n, "#", &nused);
    printf("  U+%04X: %d %02x used %d | no best fit: %d %02x used %d\n", u, r,
           (unsigned char)b[0], used, nr, (unsigned char)n[0], nused);
}

static void page(UINT cp, const WCHAR *units)
{
    printf("cp %u\n", cp);
    for (const WCHAR *p = units; *p; p++)
        one(cp, *p);
}

static void line(UINT cp, const WCHAR *w, DWORD flags)
{
    char b[128];
    BOOL used = 7;
    int r = WideCharToMultiByte(cp, flags, w, -1, b, sizeof b, NULL, &used);
    printf("  %u%s: %d used %d \"%s\"\n", cp, flags ? " WC_NO_BEST_FIT_CHARS" : "", r, used,
           r ? b : "");
}

int main(void)
{
    /* punctuation, spaces, accents, letters, fullwidth, symbols, one unit without a fit */
    static const WCHAR common[] = {
        0x2013, 0x2014, 0x2010, 0x2212, 0x2019, 0x201c, 0x201d, 0x2039, 0x2002, 0x3000,
        0x2026, 0x2044, 0x00a0, 0x0100, 0x0107, 0x01d5, 0x0141, 0x0131, 0x00c6, 0xff21,
        0xff4d, 0xff1f, 0x2074, 0x2102, 0x212b, 0x0301, 0x4e00, 0x0416, 0};
    static const WCHAR ansi[] = {0x2022, 0x221e, 0x2190, 0x2500, 0x2502, 0x2554, 0x2591,
                                 0x263a, 0x03b1, 0x03a3, 0x0391, 0x03b2, 0x2264, 0};
    page(437, common);
    page(437, ansi);
    page(850, common);
    page(850, ansi);
    page(1252, common);
    page(1252, ansi);
    /* U+2018 in the pages where ntrun gives what Windows gives (437 has '`' for it) */
    printf("left single quotation mark\n");
    one(850, 0x2018);
    one(1252, 0x2018);
    /* pages whose tables hold fewer look-alikes: 1251 and 20127 base letters and fullwidth
     * ASCII, 1257 fullwidth ASCII only */
    static const WCHAR few[] = {0x0100, 0x0141, 0xff21, 0x00e9, 0x221e, 0x2264, 0};
    page(1251, few);
    page(1257, few);
    page(20127, few);

    static const WCHAR help[] = {' ', ' ', '-', '-', 'h', 'e', 'l', 'p', ' ', 0x2013, ' ', 'S',
                                 'h', 'o', 'w', ' ', 0x201c, 'h', 'e', 'l', 'p', 0x201d, ' ',
                                 'a', 'n', 'd', ' ', 'e', 'x', 'i', 't', 0x2019, 's', 0};
    printf("help line\n");
    line(437, help, 0);
    line(437, help, WC_NO_BEST_FIT_CHARS);
    line(850, help, 0);
    line(1252, help, 0);
    line(1252, help, WC_NO_BEST_FIT_CHARS);
    /* the bytes decode back as the look-alike: no round trip */
    WCHAR back[4];
    int r = MultiByteToWideChar(437, 0, "-'\"", 3, back, 4);
    printf("  437 back: %d %04x %04x %04x\n", r, back[0], back[1], back[2]);
    return 0;
}
