/* nls_sort_key: LCMapStringEx's LCMAP_SORTKEY (.NET's culture-aware GetHashCode hashes it in NLS
 * mode): the size query, a buffer one byte short (ERROR_INSUFFICIENT_BUFFER), the key ending in
 * 0, the same key for a NUL-ended and a counted source; for pairs of strings under the flags
 * .NET passes, whether the keys are equal and whether memcmp of the keys orders them as
 * CompareStringEx does; a case flag with it (ERROR_INVALID_FLAGS), an empty or NULL source
 * (ERROR_INVALID_PARAMETER). The key's bytes are not printed: ntrun's weights are its own.
 * Wine 8.0 prints the same but for LCMAP_LOWERCASE, which it accepts; Windows' own NLS tests
 * (LCMapStringW "illegal combo sortkey") expect ERROR_INVALID_FLAGS. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#ifndef NORM_LINGUISTIC_CASING
#define NORM_LINGUISTIC_CASING 0x08000000
#endif

static int key(const WCHAR *s, int n, DWORD flags, BYTE *out, int size)
{
    return LCMapStringEx(L"en-US", LCMAP_SORTKEY | flags, s, n, (WCHAR *)out, size, NULL, NULL,
                         0);
}

static int sign(int v) { return v < 0 ? -1 : v > 0; }

static const struct {
    const WCHAR *a, *b;
    DWORD flags;
} pairs[] = {
    {L"Hello", L"HELLO", 0},
    {L"Hello", L"HELLO", NORM_IGNORECASE},
    {L"Hello", L"hELLO", LINGUISTIC_IGNORECASE | NORM_LINGUISTIC_CASING},
    {L"caf\x00e9", L"cafe", 0},
    {L"caf\x00e9", L"cafe", NORM_IGNORENONSPACE},
    {L"r\x00e9sum\x00e9", L"RESUME", LINGUISTIC_IGNOREDIACRITIC | NORM_IGNORECASE},
    {L"co-op", L"coop", 0},
    {L"coop", L"co-op", 0},
    {L"co-op", L"coo-p", 0},
    {L"co-op", L"coop", SORT_STRINGSORT},
    {L"a", L"b", 0},
    {L"abc", L"ab", 0},
    {L"ab", L"abc", NORM_IGNORECASE},
    {L"10", L"9", 0},
    {L"a b", L"a-b", 0},
    {L"a!b", L"ab", NORM_IGNORESYMBOLS},
    {L"Zebra", L"apple", 0},
    {L"apple", L"Apple", 0},
    {L"\x0434\x043e\x043c", L"\x0414\x041e\x041c", NORM_IGNORECASE},
    {L"same", L"same", 0},
};

int main(void)
{
    BYTE k1[256], k2[256];
    SetLastError(0xdead);
    int need = key(L"Hello", -1, 0, NULL, 0);
    int got = key(L"Hello", -1, 0, k1, need);
    printf("size query %s, filled %s, ends in 0 %d, error %lu\n", need > 0 ? "> 0" : "0",
           got == need ? "the same size" : "another size", got > 0 && k1[got - 1] == 0,
           GetLastError());
    int counted = key(L"Hello", 5, 0, k2, sizeof k2);
    printf("counted source: same key %d\n", counted == got && !memcmp(k1, k2, got));
    SetLastError(0xdead);
    got = key(L"Hello", -1, 0, k1, need - 1);
    printf("one byte short: %d error %lu\n", got, GetLastError());
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        int n1 = key(pairs[i].a, -1, pairs[i].flags, k1, sizeof k1);
        int n2 = key(pairs[i].b, -1, pairs[i].flags, k2, sizeof k2);
        int c = CompareStringEx(L"en-US", pairs[i].flags, pairs[i].a, -1, pairs[i].b, -1, NULL,
                                NULL, 0);
        int m = n1 && n2 ? sign(memcmp(k1, k2, n1 < n2 ? n1 : n2)) : 9;
        if (m == 0 && n1 != n2)
            m = n1 < n2 ? -1 : 1;
        printf("pair %2u flags 0x%08lx: CompareString %d, keys %s, key order %s\n", (unsigned)i,
               pairs[i].flags, c - 2, n1 == n2 && !memcmp(k1, k2, n1) ? "equal" : "differ",
               m == c - 2 ? "agrees" : "DISAGREES");
    }
    SetLastError(0xdead);
    got = key(L"abc", -1, LCMAP_LOWERCASE, k1, sizeof k1);
    printf("with LCMAP_LOWERCASE: %d error %lu\n", got, GetLastError());
    SetLastError(0xdead);
    got = key(L"abc", 0, 0, k1, sizeof k1);
    printf("empty source: %d error %lu\n", got, GetLastError());
    SetLastError(0xdead);
    got = key(NULL, 3, 0, k1, sizeof k1);
    printf("NULL source: %d error %lu\n", got, GetLastError());
    return 0;
}
