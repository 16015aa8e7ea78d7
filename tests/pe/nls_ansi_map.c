/* nls_ansi_map: the narrow locale functions the static CRT of MSVC 2008 imports (setuptools'
 * cli-64.exe, tests/corpus3p), and SetHandleCount, which that CRT calls at start-up.
 * LCMapStringA: upper- and lower-casing an ASCII string (the size query with 0, a NUL-ended
 * source counted with its NUL, a counted one without), a buffer too small
 * (ERROR_INSUFFICIENT_BUFFER), both case flags (ERROR_INVALID_FLAGS), a NULL or empty source
 * (ERROR_INVALID_PARAMETER), and LCMAP_SORTKEY giving the bytes LCMapStringW gives for the same
 * characters. GetStringTypeA/GetStringTypeExA (the locale first, one type per character):
 * CT_CTYPE1 of letters, digits, blanks, punctuation and controls. SetHandleCount returns the
 * number it is given (Windows NT ignores it). Only ASCII: the ANSI code page is 1252 on a US
 * Windows and UTF-8 under ntrun, which agree there. Windows' C1_* values are those of winnls.h.
 * Wine 8.0 prints the same lines. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static void map(const char *what, DWORD flags, const char *src, int n, int size)
{
    char buf[64];
    memset(buf, '#', sizeof buf);
    SetLastError(0xdeadbeef);
    int r = LCMapStringA(LOCALE_USER_DEFAULT, flags, src, n, size ? buf : NULL, size);
    printf("%s: %d", what, r);
    if (r && size)
        printf(" \"%.*s\"%s", r, buf, buf[r - 1] == 0 ? " (NUL-ended)" : "");
    if (!r)
        printf(" error %lu", GetLastError());
    printf("\n");
}

static void types(const char *what, DWORD type, const char *s, int n)
{
    WORD t[16];
    memset(t, 0xcc, sizeof t);
    SetLastError(0xdeadbeef);
    BOOL ok = GetStringTypeA(LOCALE_USER_DEFAULT, type, s, n, t);
    printf("%s: %d", what, ok);
    if (ok) {
        int k = n < 0 ? (int)strlen(s) + 1 : n;
        for (int i = 0; i < k; i++)
            printf(" %04x", t[i]);
        printf(" then %04x", t[k]);
    } else {
        printf(" error %lu", GetLastError());
    }
    printf("\n");
}

int main(void)
{
    map("upper, size of a NUL-ended source", LCMAP_UPPERCASE, "Hello, World", -1, 0);
    map("upper, NUL-ended", LCMAP_UPPERCASE, "Hello, World", -1, 64);
    map("lower, counted", LCMAP_LOWERCASE, "Hello, World", 5, 64);
    map("upper, buffer too small", LCMAP_UPPERCASE, "Hello, World", -1, 4);
    map("upper and lower", LCMAP_UPPERCASE | LCMAP_LOWERCASE, "abc", 3, 64);
    map("empty source", LCMAP_UPPERCASE, "abc", 0, 64);
    map("NULL source", LCMAP_UPPERCASE, NULL, 3, 64);

    BYTE ka[64], kw[64];
    int na = LCMapStringA(LOCALE_USER_DEFAULT, LCMAP_SORTKEY, "Sort Me", -1, (char *)ka, sizeof ka);
    int nw = LCMapStringW(LOCALE_USER_DEFAULT, LCMAP_SORTKEY, L"Sort Me", -1, (WCHAR *)kw,
                          sizeof kw);
    printf("sort key: A %s W (%s), ends in 0: %s\n", na == nw ? "as long as" : "not as long as",
           na > 0 && na == nw && !memcmp(ka, kw, (size_t)na) ? "same bytes" : "other bytes",
           na > 0 && ka[na - 1] == 0 ? "yes" : "no");

    types("ctype1 \"Az09\"", CT_CTYPE1, "Az09", 4);
    types("ctype1 \" \\t!\\n\"", CT_CTYPE1, " \t!\n", 4);
    types("ctype1 \"x\" NUL-ended", CT_CTYPE1, "x", -1);
    WORD t[4];
    SetLastError(0xdeadbeef);
    BOOL ok = GetStringTypeExA(LOCALE_USER_DEFAULT, CT_CTYPE1, "a_", 2, t);
    printf("ex ctype1 \"a_\": %d %04x %04x\n", ok, t[0], t[1]);

    printf("SetHandleCount(20): %u\n", SetHandleCount(20));
    printf("SetHandleCount(255): %u\n", SetHandleCount(255));
    return 0;
}
