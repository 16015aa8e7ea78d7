/* LCMapStringEx's LCMAP_SORTHANDLE and LCMAP_HASH as .NET's NLS mode uses them (CompareInfo's
 * GetSortHandle: a handle for the culture, checked by hashing "a" with it, then passed as the
 * sortHandle argument with a NULL locale name): the handle is not 0 and comes back in a
 * buffer of a handle's size; LCMAP_SORTHANDLE with another flag is ERROR_INVALID_FLAGS, an
 * unknown locale name ERROR_INVALID_PARAMETER. LCMAP_HASH writes an int (its size asked with
 * 0; a 2-byte buffer is ERROR_INSUFFICIENT_BUFFER; with LCMAP_LOWERCASE ERROR_INVALID_FLAGS);
 * strings CompareString finds equal under the flags hash alike (Windows' documentation: "Strings
 * that appear equivalent typically return the same hash"). The values themselves are not
 * printed: Windows' are its own. CompareStringEx, FindNLSStringEx and LCMapStringEx's sort
 * key work with the handle and a NULL locale name. Wine 8.0 gives out no sort handle and
 * computes no hash (it prints ret 0 for both), so it is no peer here. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#ifndef LCMAP_SORTHANDLE
#define LCMAP_SORTHANDLE 0x20000000
#endif
#ifndef LCMAP_HASH
#define LCMAP_HASH 0x00040000
#endif

static int hash(const WCHAR *s, DWORD flags, LONG_PTR h, int *out)
{
    return LCMapStringEx(h ? NULL : L"en-US", LCMAP_HASH | flags, s, -1, (WCHAR *)out,
                         sizeof *out, NULL, NULL, h);
}

static void same(const WCHAR *a, const WCHAR *b, DWORD flags, const char *what)
{
    int ha = 0, hb = 0;
    int ra = hash(a, flags, 0, &ha), rb = hash(b, flags, 0, &hb);
    int c = CompareStringEx(L"en-US", flags, a, -1, b, -1, NULL, NULL, 0);
    printf("%-34s CompareString %d, hash %d %d, %s\n", what, c, ra, rb,
           ha == hb ? "same hash" : "hashes differ");
}

int main(void)
{
    LONG_PTR h = 0;
    SetLastError(0xdeadbeef);
    int r = LCMapStringEx(L"en-US", LCMAP_SORTHANDLE, NULL, 0, (WCHAR *)&h, sizeof h, NULL, NULL,
                          0);
    printf("sort handle: %s, handle %s\n", r > 0 ? "ret > 0" : "ret 0",
           h ? "not 0" : "0");
    LONG_PTR h2 = 0;
    LCMapStringEx(L"en-US", LCMAP_SORTHANDLE, NULL, 0, (WCHAR *)&h2, sizeof h2, NULL, NULL, 0);
    printf("again: %s\n", h2 == h ? "the same handle" : "another handle");
    SetLastError(0xdeadbeef);
    r = LCMapStringEx(L"en-US", LCMAP_SORTHANDLE | NORM_IGNORECASE, NULL, 0, (WCHAR *)&h2,
                      sizeof h2, NULL, NULL, 0);
    printf("with NORM_IGNORECASE: %d error %lu\n", r, GetLastError());
    SetLastError(0xdeadbeef);
    r = LCMapStringEx(L"xx-nowhere", LCMAP_SORTHANDLE, NULL, 0, (WCHAR *)&h2, sizeof h2, NULL,
                      NULL, 0);
    printf("unknown locale: %d error %lu\n", r, GetLastError());

    int v = 0;
    WCHAR a = 'a';
    r = LCMapStringEx(NULL, LCMAP_HASH, &a, 1, (WCHAR *)&v, sizeof v, NULL, NULL, h);
    printf("hash of a with the handle: %d\n", r);
    r = LCMapStringEx(L"en-US", LCMAP_HASH, &a, 1, NULL, 0, NULL, NULL, 0);
    printf("hash size: %d\n", r);
    SetLastError(0xdeadbeef);
    r = LCMapStringEx(L"en-US", LCMAP_HASH, &a, 1, (WCHAR *)&v, 2, NULL, NULL, 0);
    printf("2-byte buffer: %d error %lu\n", r, GetLastError());
    SetLastError(0xdeadbeef);
    r = LCMapStringEx(L"en-US", LCMAP_HASH | LCMAP_LOWERCASE, &a, 1, (WCHAR *)&v, sizeof v,
                      NULL, NULL, 0);
    printf("with LCMAP_LOWERCASE: %d error %lu\n", r, GetLastError());

    same(L"Hello", L"HELLO", NORM_IGNORECASE, "Hello / HELLO, ignore case");
    same(L"stra\x00df" L"e", L"strasse", 0, "strasse with sharp s / ss");
    same(L"cafe\x0301", L"caf\x00e9", 0, "cafe + acute / cafe-acute");
    same(L"r\x00e9sum\x00e9", L"resume", NORM_IGNORENONSPACE, "resume, ignore nonspace");
    int x = 0, y = 0;
    hash(L"a-b", 0, h, &x);
    hash(L"a-b", 0, 0, &y);
    printf("with the handle and by name: %s\n", x == y ? "same hash" : "hashes differ");

    printf("CompareStringEx with the handle: %d\n",
           CompareStringEx(NULL, NORM_IGNORECASE, L"abc", -1, L"ABC", -1, NULL, NULL, h));
    int len = 0;
    printf("FindNLSStringEx with the handle: %d",
           FindNLSStringEx(NULL, FIND_FROMSTART, L"xxabc", -1, L"abc", -1, &len, NULL, NULL, h));
    printf(" len %d\n", len);
    BYTE k1[64], k2[64];
    int n1 = LCMapStringEx(NULL, LCMAP_SORTKEY, L"abc", -1, (WCHAR *)k1, sizeof k1, NULL, NULL, h);
    int n2 = LCMapStringEx(L"en-US", LCMAP_SORTKEY, L"abc", -1, (WCHAR *)k2, sizeof k2, NULL, NULL,
                           0);
    printf("sort key with the handle: %s\n",
           n1 > 0 && n1 == n2 && !memcmp(k1, k2, n1) ? "the same key" : "another key");
    return 0;
}
