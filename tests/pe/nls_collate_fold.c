/* CompareStringEx, LCMapStringEx's sort keys and FindNLSStringEx on what folds in Windows'
 * collation: U+00DF = "ss", U+00C6 = "AE", U+0153 = "oe" at every level; a letter with a
 * combining mark equals the precomposed letter (e + U+0301 = U+00E9) and differs from the bare
 * letter only at the diacritic level (NORM_IGNORENONSPACE makes them equal); the order of the
 * accents (acute < grave < circumflex < diaeresis < tilde < ring; macron, stroke, slash);
 * letters beyond Latin-1 (U+0101, U+0142, U+1EA1) as their base letter plus a diacritic;
 * katakana vs hiragana (equal under NORM_IGNOREKANATYPE, katakana first otherwise), half-width
 * katakana, fullwidth ASCII and U+3000 (equal under NORM_IGNOREWIDTH, after the narrow forms,
 * case before width: fullwidth "a" < "A"), voiced kana after their plain form. Sort keys of
 * strings CompareString finds equal are equal, and order as CompareString orders. Every
 * result printed is Windows' (Wine 8.0, which carries Windows' sort tables, prints the same). */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static const DWORD flags[] = {0, NORM_IGNORECASE, NORM_IGNORENONSPACE, NORM_IGNOREKANATYPE,
                              NORM_IGNOREWIDTH, NORM_IGNOREKANATYPE | NORM_IGNOREWIDTH,
                              SORT_STRINGSORT};

static int key(const WCHAR *s, DWORD f, BYTE *k, int cap)
{
    return LCMapStringEx(L"en-US", LCMAP_SORTKEY | f, s, -1, (WCHAR *)k, cap, NULL, NULL, 0);
}

static void cmp(const char *what, const WCHAR *a, const WCHAR *b)
{
    printf("%-28s", what);
    int bad = 0;
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
        int r = CompareStringEx(L"en-US", flags[i], a, -1, b, -1, NULL, NULL, 0);
        printf(" %d", r);
        BYTE ka[256], kb[256];
        int na = key(a, flags[i], ka, sizeof ka), nb = key(b, flags[i], kb, sizeof kb);
        int m = memcmp(ka, kb, na < nb ? na : nb);
        int kr = m < 0 || (m == 0 && na < nb) ? 1 : m > 0 || na > nb ? 3 : 2;
        if (!na || !nb || kr != r)
            bad = 1;
    }
    printf("%s\n", bad ? "  (sort keys order otherwise)" : "");
}

static void find(const char *what, DWORD f, const WCHAR *src, const WCHAR *val)
{
    int len = -7;
    int at = FindNLSStringEx(L"en-US", f, src, -1, val, -1, &len, NULL, NULL, 0);
    printf("find %-30s %d len %d\n", what, at, at >= 0 ? len : -1);
}

int main(void)
{
    printf("%-28s  0 IC IN IK IW KW SS\n", "");
    cmp("sharp s / ss", L"\x00df", L"ss");
    cmp("strasse", L"stra\x00df" L"e", L"strasse");
    cmp("sharp s / st", L"\x00df", L"st");
    cmp("sharp s / s", L"\x00df", L"s");
    cmp("AE ligature / AE", L"\x00c6", L"AE");
    cmp("ae ligature / ae", L"\x00e6", L"ae");
    cmp("oe ligature / oe", L"\x0153", L"oe");
    cmp("e + acute / e-acute", L"e\x0301", L"\x00e9");
    cmp("cafe + acute / cafe-acute", L"cafe\x0301", L"caf\x00e9");
    cmp("e + acute / e", L"e\x0301", L"e");
    cmp("e + acute a / e-acute b", L"e\x0301" L"a", L"\x00e9" L"b");
    cmp("e + acute + diaer / e-acute", L"e\x0301\x0308", L"\x00e9");
    cmp("a-grave / a-acute", L"\x00e0", L"\x00e1");
    cmp("a-acute / a-circumflex", L"\x00e1", L"\x00e2");
    cmp("a-circumflex / a-diaeresis", L"\x00e2", L"\x00e4");
    cmp("a-diaeresis / a-tilde", L"\x00e4", L"\x00e3");
    cmp("a-ring / a-diaeresis", L"\x00e5", L"\x00e4");
    cmp("A-grave / a-acute", L"\x00c0", L"\x00e1");
    cmp("a-macron / a", L"\x0101", L"a");
    cmp("a-macron / b", L"\x0101", L"b");
    cmp("a-macron / a-diaeresis", L"\x0101", L"\x00e4");
    cmp("a-dot-below / a", L"\x1ea1", L"a");
    cmp("l-stroke / l", L"\x0142", L"l");
    cmp("l-stroke / m", L"\x0142", L"m");
    cmp("o-slash / o", L"\x00f8", L"o");
    cmp("o-slash / p", L"\x00f8", L"p");
    cmp("hiragana a / katakana a", L"\x3042", L"\x30a2");
    cmp("hira a b / kata a a", L"\x3042" L"b", L"\x30a2" L"a");
    cmp("katakana a / half-width a", L"\x30a2", L"\xff71");
    cmp("hiragana a / half-width a", L"\x3042", L"\xff71");
    cmp("katakana ga / hiragana ga", L"\x30ac", L"\x304c");
    cmp("katakana ka / katakana ga", L"\x30ab", L"\x30ac");
    cmp("fullwidth A / A", L"\xff21", L"A");
    cmp("fullwidth A / a", L"\xff21", L"a");
    cmp("fullwidth a / A", L"\xff41", L"A");
    cmp("fullwidth A b / A c", L"\xff21" L"b", L"Ac");
    cmp("fullwidth A c / A b", L"\xff21" L"c", L"Ab");
    cmp("fullwidth 0 / 0", L"\xff10", L"0");
    cmp("ideographic space / space", L"a\x3000" L"b", L"a b");

    find("ss in strasse-sharp", 0, L"stra\x00df" L"e", L"ss");
    find("sharp s in strasse", 0, L"strasse", L"\x00df");
    find("e-acute in cafe + acute", 0, L"cafe\x0301!", L"\x00e9");
    find("e + acute in cafe-acute", 0, L"caf\x00e9!", L"e\x0301");
    find("e in cafe-acute, nonspace", NORM_IGNORENONSPACE | FIND_FROMSTART, L"caf\x00e9!", L"e");
    find("e in cafe-acute", FIND_FROMSTART, L"caf\x00e9!", L"e");
    find("katakana in hiragana, kanatype", NORM_IGNOREKANATYPE, L"\x3042\x3044\x3046", L"\x30a4");
    find("katakana in hiragana", 0, L"\x3042\x3044\x3046", L"\x30a4");
    find("AB in fullwidth, width", NORM_IGNOREWIDTH, L"x\xff21\xff22y", L"AB");
    find("AB in fullwidth", 0, L"x\xff21\xff22y", L"AB");
    find("ae in AE ligature, case", NORM_IGNORECASE, L"encyclop\x00c6" L"dia", L"ae");
    return 0;
}
