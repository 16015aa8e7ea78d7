/* nls_find_string: FindNLSStringEx, FindNLSString and FindStringOrdinal (.NET's culture-aware
 * IndexOf/LastIndexOf/StartsWith/EndsWith and its ordinal ignore-case search in NLS mode):
 * FIND_FROMSTART, FIND_FROMEND, FIND_STARTSWITH, FIND_ENDSWITH with and without the case and
 * diacritic flags .NET passes (always with NORM_LINGUISTIC_CASING), the length found, a value
 * longer than the source, NUL-ended lengths, and the errors: NULL or empty strings and a bad
 * length (ERROR_INVALID_PARAMETER), two find flags at once or a flag of another function
 * (ERROR_INVALID_FLAGS); the last error is cleared ("ERROR_SUCCESS: the action completed
 * successfully but yielded no results", as FindStringOrdinal does on Windows). The hyphen cases
 * are Windows' answers as Wine's kernel32 tests record them. Wine 8.0 prints the same results
 * but for the documented parts it lacks: it leaves the last error alone, searches from the end
 * with no find flag (FIND_FROMSTART is the default, the FindNLSStringEx page says) and checks no
 * flags. */
#include <stdio.h>
#include <windows.h>

#ifndef FIND_STARTSWITH
#define FIND_STARTSWITH 0x00100000
#define FIND_ENDSWITH 0x00200000
#define FIND_FROMSTART 0x00400000
#define FIND_FROMEND 0x00800000
#endif
#ifndef NORM_LINGUISTIC_CASING
#define NORM_LINGUISTIC_CASING 0x08000000
#endif

typedef int(WINAPI *find_ex_fn)(const WCHAR *, DWORD, const WCHAR *, int, const WCHAR *, int,
                                int *, void *, void *, LPARAM);
typedef int(WINAPI *find_fn)(LCID, DWORD, const WCHAR *, int, const WCHAR *, int, int *);
typedef int(WINAPI *find_ord_fn)(DWORD, const WCHAR *, int, const WCHAR *, int, BOOL);

static find_ex_fn find_ex;
static find_fn find_lcid;
static find_ord_fn find_ord;

static const struct {
    const char *what;
    DWORD flags;
    const WCHAR *src;
    int srclen;
    const WCHAR *val;
    int vallen;
} cases[] = {
    {"from start, case differs", FIND_FROMSTART, L"Hello World, hello world", -1, L"world", -1},
    {"from start, ignore case", FIND_FROMSTART | NORM_IGNORECASE, L"Hello World, hello world", -1,
     L"WORLD", -1},
    {"from start, linguistic ignore case", FIND_FROMSTART | LINGUISTIC_IGNORECASE |
     NORM_LINGUISTIC_CASING, L"Hello World, hello world", -1, L"wORLD", -1},
    {"no find flag (from start)", 0, L"abcabc", -1, L"bc", -1},
    {"from end", FIND_FROMEND, L"Hello World, hello world", -1, L"o", -1},
    {"from end, ignore case", FIND_FROMEND | NORM_IGNORECASE | NORM_LINGUISTIC_CASING,
     L"Hello World, hello world", -1, L"HELLO", -1},
    {"starts with", FIND_STARTSWITH, L"Hello World", -1, L"Hello", -1},
    {"starts with, not at the start", FIND_STARTSWITH, L"Hello World", -1, L"World", -1},
    {"starts with, ignore case", FIND_STARTSWITH | NORM_IGNORECASE, L"Hello World", -1, L"hELLO",
     -1},
    {"ends with", FIND_ENDSWITH, L"Hello World", -1, L"World", -1},
    {"ends with, ignore case", FIND_ENDSWITH | NORM_IGNORECASE, L"Hello World", -1, L"wORLD", -1},
    {"ends with, not at the end", FIND_ENDSWITH, L"Hello World", -1, L"Hello", -1},
    {"diacritic differs", FIND_FROMSTART, L"un caf\x00e9 noir", -1, L"cafe", -1},
    {"ignore nonspace", FIND_FROMSTART | NORM_IGNORENONSPACE, L"un caf\x00e9 noir", -1, L"cafe",
     -1},
    {"ignore nonspace and case", FIND_FROMSTART | NORM_IGNORENONSPACE | NORM_IGNORECASE,
     L"UN CAF\x00c9 NOIR", -1, L"caf\x00e9", -1},
    {"linguistic ignore diacritic", FIND_FROMEND | LINGUISTIC_IGNOREDIACRITIC,
     L"r\x00e9sum\x00e9 resume", -1, L"resume", -1},
    {"counted lengths", FIND_FROMSTART, L"abcdef", 3, L"cd", 2},
    {"counted value past the source", FIND_FROMSTART, L"abcdef", 3, L"cd", -1},
    {"value longer than source", FIND_FROMSTART, L"ab", -1, L"abc", -1},
    {"whole string", FIND_FROMSTART, L"abc", -1, L"abc", -1},
    {"digits and symbols", FIND_FROMSTART, L"v1.2.3 (x64)", -1, L"2.3 (", -1},
    /* hyphens (ignored at the first level of the word sort), as Windows answers */
    {"hyphens, starts with", FIND_STARTSWITH, L"--Option", -1, L"--", -1},
    {"hyphens, ends with", FIND_ENDSWITH, L"Option--", -1, L"--", -1},
    {"hyphens only, from start", FIND_FROMSTART, L"----", -1, L"--", -1},
    {"hyphens only, from end", FIND_FROMEND, L"----", -1, L"--", -1},
    {"hyphens, from start", FIND_FROMSTART, L"opt1--opt2--opt3", -1, L"--", -1},
    {"hyphens, from end", FIND_FROMEND, L"opt1--opt2--opt3", -1, L"--", -1},
    {"hyphenated prefix", FIND_FROMSTART, L"x-oss-security", -1, L"x-oss-", -1},
    {"hyphen first", FIND_FROMSTART, L"x-oss-security", -1, L"-oss", -1},
    {"hyphens not there", FIND_FROMSTART, L"x-oss-security", -1, L"-oss--", -1},
    {"hyphen first, from end", FIND_FROMEND, L"x-oss-oss2", -1, L"-oss", -1},
    {"null source", FIND_FROMSTART, NULL, 3, L"a", -1},
    {"null value", FIND_FROMSTART, L"abc", -1, NULL, 1},
    {"empty source", FIND_FROMSTART, L"abc", 0, L"a", -1},
    {"empty value", FIND_FROMSTART, L"abc", -1, L"a", 0},
    {"source length -2", FIND_FROMSTART, L"abc", -2, L"a", -1},
    {"value length -2", FIND_FROMSTART, L"abc", -1, L"a", -2},
    {"from start and from end", FIND_FROMSTART | FIND_FROMEND, L"abc", -1, L"b", -1},
    {"starts with and ends with", FIND_STARTSWITH | FIND_ENDSWITH, L"abc", -1, L"b", -1},
    {"a LCMapString flag", FIND_FROMSTART | LCMAP_LOWERCASE, L"abc", -1, L"b", -1},
};

static void show_ex(int i, const WCHAR *locale)
{
    int found = -7;
    SetLastError(0xdead);
    int r = find_ex(locale, cases[i].flags, cases[i].src, cases[i].srclen, cases[i].val,
                    cases[i].vallen, &found, NULL, NULL, 0);
    printf("%-36s %3d found %2d error %lu\n", cases[i].what, r, found, GetLastError());
}

static const struct {
    const char *what;
    DWORD flags;
    const WCHAR *src;
    int srclen;
    const WCHAR *val;
    int vallen;
    BOOL ignore_case;
} ord_cases[] = {
    {"from start", FIND_FROMSTART, L"abcABCabc", -1, L"ABC", -1, FALSE},
    {"from start, ignore case", FIND_FROMSTART, L"abcABCabc", -1, L"ABC", -1, TRUE},
    {"from end", FIND_FROMEND, L"abcABCabc", -1, L"abc", -1, FALSE},
    {"from end, ignore case", FIND_FROMEND, L"abcABCabc", -1, L"ABC", -1, TRUE},
    {"starts with", FIND_STARTSWITH, L"abcABC", -1, L"ab", -1, FALSE},
    {"starts with, case differs", FIND_STARTSWITH, L"abcABC", -1, L"AB", -1, FALSE},
    {"ends with, ignore case", FIND_ENDSWITH, L"abcABC", -1, L"bc", -1, TRUE},
    {"no diacritic folding", FIND_FROMSTART, L"caf\x00e9", -1, L"cafe", -1, TRUE},
    {"non-ASCII case", FIND_FROMSTART, L"\x0434\x043e\x043c", -1, L"\x041e\x041c", -1, TRUE},
    {"empty value", FIND_FROMSTART, L"abc", -1, L"", 0, FALSE},
    {"empty source and value", FIND_FROMEND, L"", 0, L"", 0, FALSE},
    {"longer value", FIND_FROMSTART, L"ab", -1, L"abc", -1, FALSE},
    {"counted", FIND_FROMEND, L"abcabc", 4, L"bc", 2, FALSE},
    {"null source", FIND_FROMSTART, NULL, 1, L"a", 1, FALSE},
    {"null value", FIND_FROMSTART, L"a", 1, NULL, 1, FALSE},
    {"no find flag", 0, L"abc", -1, L"b", -1, FALSE},
    {"two find flags", FIND_FROMSTART | FIND_FROMEND, L"abc", -1, L"b", -1, FALSE},
    {"ignore case as a flag", FIND_FROMSTART | NORM_IGNORECASE, L"abc", -1, L"b", -1, FALSE},
};

int main(void)
{
    HMODULE k32 = GetModuleHandleA("kernel32.dll");
    find_ex = (find_ex_fn)GetProcAddress(k32, "FindNLSStringEx");
    find_lcid = (find_fn)GetProcAddress(k32, "FindNLSString");
    find_ord = (find_ord_fn)GetProcAddress(k32, "FindStringOrdinal");
    if (!find_ex || !find_lcid || !find_ord) {
        printf("missing: %p %p %p\n", find_ex, find_lcid, find_ord);
        return 1;
    }
    printf("FindNLSStringEx (en-US)\n");
    for (int i = 0; i < (int)(sizeof cases / sizeof cases[0]); i++)
        show_ex(i, L"en-US");

    printf("locales\n");
    int found = -7;
    static const WCHAR *const locales[] = {NULL, L"", LOCALE_NAME_USER_DEFAULT, L"de-DE", L"fr",
                                           L"xx-YY"};
    static const char *const locale_names[] = {"NULL", "invariant", "user default", "de-DE",
                                               "fr", "xx-YY"};
    for (int i = 0; i < 6; i++) {
        found = -7;
        SetLastError(0xdead);
        int r = find_ex(locales[i], FIND_FROMSTART | NORM_IGNORECASE, L"Stra\x00df" L"e Weg", -1,
                        L"WEG", -1, &found, NULL, NULL, 0);
        printf("%-36s %3d found %2d error %lu\n", locale_names[i], r, found, GetLastError());
    }
    SetLastError(0xdead);
    int r = find_ex(L"en-US", FIND_FROMEND, L"xyzxyz", -1, L"yz", -1, NULL, NULL, NULL, 0);
    printf("%-36s %3d error %lu\n", "no found pointer", r, GetLastError());

    printf("FindNLSString\n");
    static const LCID lcids[] = {LOCALE_USER_DEFAULT, LOCALE_INVARIANT, 0x0407};
    for (int i = 0; i < 3; i++) {
        found = -7;
        SetLastError(0xdead);
        r = find_lcid(lcids[i], FIND_FROMEND | NORM_IGNORECASE, L"one Two three two", -1, L"TWO",
                      -1, &found);
        printf("lcid 0x%04lx %26s %3d found %2d error %lu\n", lcids[i], "", r, found,
               GetLastError());
    }

    printf("FindStringOrdinal\n");
    for (int i = 0; i < (int)(sizeof ord_cases / sizeof ord_cases[0]); i++) {
        SetLastError(0xdead);
        r = find_ord(ord_cases[i].flags, ord_cases[i].src, ord_cases[i].srclen, ord_cases[i].val,
                     ord_cases[i].vallen, ord_cases[i].ignore_case);
        printf("%-36s %3d error %lu\n", ord_cases[i].what, r, GetLastError());
    }
    return 0;
}
