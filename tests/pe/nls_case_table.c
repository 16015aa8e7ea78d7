/* kernel32/user32/ntdll case mapping beyond ASCII follows Windows' one-to-one case tables, the
 * "file system rules" that RtlUpcaseUnicodeChar, CompareStringOrdinal(bIgnoreCase), CharUpper/
 * CharLower and LCMapString without LCMAP_LINGUISTIC_CASING share:
 *  - Microsoft's CompareStringOrdinal page: bIgnoreCase compares "using the operating system
 *    uppercase table information"; [MS-UCODEREF] 3.1.5.5: a case-insensitive ordinal
 *    comparison upper-cases both strings first; the LCMapStringEx page: LCMAP_LINGUISTIC_CASING
 *    uses "linguistic rules for casing, instead of file system rules (default)";
 *  - that table keeps only the Unicode simple mappings that map back: U+0131 (dotless i) and
 *    U+017F (long s) are not upper-cased to I and S, nor U+00B5 (micro) to U+039C, U+03C2
 *    (final sigma) to U+03A3, U+01C5 (Dz) to U+01C4; the lower table leaves U+0130, U+212A
 *    (Kelvin), U+2126 (Ohm) and U+1E9E alone. Sources: the NTFS $UpCase tables of Windows XP-8
 *    (ntfs-3g's ntfs_upcase_table_build, compared with Windows' by md5: no entry for U+00B5,
 *    U+0131, U+017F, U+01C5; U+03C2 to itself from Windows 7), .NET's ordinal casing (which
 *    matches CompareStringOrdinal: U+0131 and U+017F to themselves) and invariant casing
 *    (LCMapStringEx: U+0131 upper and U+0130 lower to themselves); Wine 8.0 prints this file;
 *  - with LCMAP_LINGUISTIC_CASING en-US upper-cases U+0131 to I, U+017F to S, U+00B5 to U+039C;
 *  - IsCharLower/IsCharUpper are the letter's class: U+0131 and U+00DF are lower case. */
#include <windows.h>
#include <stdio.h>

typedef WCHAR(WINAPI *case_fn)(WCHAR);

static void show(const char *what, const WCHAR *s)
{
    printf("%s:", what);
    for (; *s; s++)
        printf(" %04X", *s);
    printf("\n");
}

static const char *cstr(int r)
{
    return r == CSTR_LESS_THAN ? "less" : r == CSTR_EQUAL ? "equal" : r == CSTR_GREATER_THAN ? "greater" : "0";
}

static void ordinal(const WCHAR *a, const WCHAR *b)
{
    printf("CompareStringOrdinal(%04X, %04X, TRUE) = %s, FALSE = %s\n", a[0], b[0],
           cstr(CompareStringOrdinal(a, -1, b, -1, TRUE)),
           cstr(CompareStringOrdinal(a, -1, b, -1, FALSE)));
}

int main(void)
{
    static const WCHAR lower[] = {'a', 0xe9, 0xff, 0x131, 0x17f, 0xb5, 0x3c2, 0x3c3, 0x1c5, 0x1c6,
                                  0xdf, 0x1f80, 0x3c9, 0x44f, 0xff41, 0};
    static const WCHAR upper[] = {'A', 0xc9, 0x178, 0x130, 'I', 0x212a, 0x2126, 0x1e9e, 0x3a3,
                                  0x1c5, 0x1c4, 0x39c, 0x42f, 0xff21, 0};
    HMODULE nt = GetModuleHandleA("ntdll.dll");
    case_fn up = (case_fn)GetProcAddress(nt, "RtlUpcaseUnicodeChar");
    case_fn down = (case_fn)GetProcAddress(nt, "RtlDowncaseUnicodeChar");
    WCHAR buf[32];

    show("lower", lower);
    for (int i = 0; lower[i]; i++)
        buf[i] = up(lower[i]), buf[i + 1] = 0;
    show("RtlUpcaseUnicodeChar", buf);
    lstrcpyW(buf, lower);
    CharUpperW(buf);
    show("CharUpperW", buf);
    lstrcpyW(buf, lower);
    CharUpperBuffW(buf, lstrlenW(buf));
    show("CharUpperBuffW", buf);
    printf("CharUpperW((LPWSTR)0x131) = %04X, (LPWSTR)0x17F = %04X, (LPWSTR)0xE9 = %04X\n",
           (unsigned)(ULONG_PTR)CharUpperW((WCHAR *)(ULONG_PTR)0x131),
           (unsigned)(ULONG_PTR)CharUpperW((WCHAR *)(ULONG_PTR)0x17f),
           (unsigned)(ULONG_PTR)CharUpperW((WCHAR *)(ULONG_PTR)0xe9));
    int n = LCMapStringW(LOCALE_INVARIANT, LCMAP_UPPERCASE, lower, -1, buf, 32);
    printf("LCMapStringW(invariant, UPPERCASE) %d ", n);
    show("", buf);
    n = LCMapStringEx(L"en-US", LCMAP_UPPERCASE, lower, -1, buf, 32, NULL, NULL, 0);
    printf("LCMapStringEx(en-US, UPPERCASE) %d ", n);
    show("", buf);

    printf("\n");
    show("upper", upper);
    for (int i = 0; upper[i]; i++)
        buf[i] = down(upper[i]), buf[i + 1] = 0;
    show("RtlDowncaseUnicodeChar", buf);
    lstrcpyW(buf, upper);
    CharLowerW(buf);
    show("CharLowerW", buf);
    n = LCMapStringW(LOCALE_INVARIANT, LCMAP_LOWERCASE, upper, -1, buf, 32);
    printf("LCMapStringW(invariant, LOWERCASE) %d ", n);
    show("", buf);

    printf("\n");
    static const WCHAR turk[] = {0x131, 0x17f, 0xb5, 'i', 0xe9, 0};
    n = LCMapStringEx(L"en-US", LCMAP_UPPERCASE | LCMAP_LINGUISTIC_CASING, turk, -1, buf, 32, NULL,
                      NULL, 0);
    printf("LCMapStringEx(en-US, UPPERCASE | LINGUISTIC_CASING) %d ", n);
    show("", buf);

    printf("\n");
    ordinal(L"\x131", L"I");
    ordinal(L"\x131", L"i");
    ordinal(L"\x17f", L"S");
    ordinal(L"\x17f", L"s");
    ordinal(L"\xb5", L"\x39c");
    ordinal(L"\x3c2", L"\x3c3");
    ordinal(L"\x130", L"i");
    ordinal(L"\xe9t\xe9", L"\xc9T\xc9");
    ordinal(L"\xff", L"\x178");
    ordinal(L"\x44f", L"\x42f");

    printf("\nIsCharLowerW: 131 %d DF %d 3C2 %d 41 %d; IsCharUpperW: 130 %d 212A %d 61 %d\n",
           !!IsCharLowerW(0x131), !!IsCharLowerW(0xdf), !!IsCharLowerW(0x3c2), !!IsCharLowerW('A'),
           !!IsCharUpperW(0x130), !!IsCharUpperW(0x212a), !!IsCharUpperW('a'));
    return 0;
}
