/* printf_msvcrt: msvcrt.dll's own printf family (built with -D__USE_MINGW_ANSI_STDIO=0, so
 * printf/sprintf/sscanf are msvcrt's exports): integer and string conversions, %ls/%S in the
 * "C" locale, %p, floating point with msvcrt's quirks (three-digit exponents, 1.#INF00, 1.#QNAN0,
 * -1.#IND00, the "1.#J" rounding of special values, only 17 significant digits before zero
 * padding), width/precision/star/flags, return values, _snprintf truncation (no NUL, -1),
 * _scprintf, and sscanf.
 *
 * Expected output checked with Wine 8, except where Wine is known to differ from Windows:
 *  - msvcrt.dll (the pre-2015 CRT) formats at most 17 significant digits and pads the rest with
 *    zeros: printf("%.0f", 2^80) gives 1208925819614629200000000 on Windows (Microsoft's own
 *    example in the Visual Studio 2015 breaking-changes notes), where Wine prints the exact
 *    1208925819614629174706176. The expected file has the Windows text.
 * In the "C" locale msvcrt converts a wide character to one byte when it is below 256 (no
 * UTF-8): L"caf\u00e9" prints the bytes 'c' 'a' 'f' 0xE9. Characters above 255 are not used:
 * how far the output gets before the failure differs between msvcrt versions. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fail_check.h"

#if __USE_MINGW_ANSI_STDIO
#error "build with -D__USE_MINGW_ANSI_STDIO=0 (printf_msvcrt.flags)"
#endif

static double from_bits(unsigned long long bits)
{
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* Prints a buffer byte by byte so that a missing NUL or fill bytes show. */
static void show_bytes(const char *label, const char *buf, int n)
{
    printf("%s: \"", label);
    for (int i = 0; i < n; i++)
        putchar(buf[i] ? buf[i] : '0');
    printf("\"\n");
}

int main(void)
{
    char buf[64];
    int r;

    /* ---- integers ---- */
    printf("d i u: [%d] [%i] [%u] [%u]\n", -123, 456, 3000000000u, -1);
    printf("x X o: [%x] [%X] [%o] [%#x] [%#X] [%#o] [%#x]\n", 0xbeef, 0xbeef, 8, 255, 255, 8, 0);
    printf("ld (32-bit long): [%ld] [%lu] [%lx]\n", -2147483647L - 1, 4294967295UL, -1L);
    printf("I64: [%I64d] [%I64u] [%I64x]\n", -9223372036854775807LL - 1, 18446744073709551615ULL,
           0x123456789abcdefULL);
    printf("lld llu: [%lld] [%llu]\n", -1234567890123LL, 9876543210ULL);
    printf("hd hu: [%hd] [%hu] [%hx]\n", (short)-2, (unsigned short)65535, (unsigned short)0xabcd);
    printf("width: [%5d] [%-5d] [%05d] [%+d] [% d] [%+05d] [%-+5d]\n", 42, 42, 42, 42, 42, -42, 7);
    printf("precision: [%.3d] [%.0d] [%8.3d] [%-8.3x] [%.5u]\n", 7, 0, -7, 0xa, 12);
    printf("star: [%*d] [%-*d] [%*d] [%.*d] [%*.*d]\n", 6, 1, 6, 2, -6, 3, 4, 5, 7, 3, 9);

    /* ---- characters and strings ---- */
    printf("c: [%c] [%3c] [%-3c]\n", 'A', 'b', 'c');
    printf("s: [%s] [%8s] [%-8s] [%.3s] [%8.2s] [%*s]\n", "hello", "right", "left", "truncate",
           "ab", 4, "x");
    char *volatile null_string = NULL; /* volatile: keep gcc from seeing the NULL */
    printf("null s: [%s]\n", null_string);
    printf("ls: [%ls] [%5ls] [%.2ls]\n", L"wide", L"w", L"wide");
    printf("non-ASCII ls: [%ls]\n", L"caf\u00e9");
    printf("S: [%S]\n", L"upper S is wide");
    printf("lc C: [%lc] [%C]\n", L'w', L'\u00e9');
    printf("percent: [%%] [%d%%]\n", 50);

    /* ---- pointers ---- */
    printf("p: [%p] [%p]\n", (void *)0x1234, (void *)0);
    printf("p big: [%p]\n", (void *)0x7ffe12345678ULL);

    /* ---- floating point ---- */
    printf("f: [%f] [%.2f] [%.0f] [%.0f] [%.0f] [%#.0f] [%10.3f] [%-10.1f] [%+f]\n", 3.14159265,
           2.675, 0.5, 1.5, 2.5, 3.0, -1.5, 2.25, 1.0);
    printf("e: [%e] [%E] [%.2e] [%.0e] [%e] [%e] [%e]\n", 1234.5, 0.000123, 9.999, 5e10, 1e100,
           1e-300, 0.0);
    printf("g: [%g] [%g] [%g] [%g] [%g] [%G] [%#g] [%.3g] [%g]\n", 100000.0, 1e6, 1e-5, 0.0001,
           123.456, 1.5e-10, 1.0, 3.14159, 0.0);
    printf("negative zero: [%f] [%e] [%g] [%.1f]\n", -0.0, -0.0, -0.0, -0.0);
    printf("big: [%f] [%.0f] [%e]\n", 1e15, 123456789012.0, 1e300);
    printf("2^80: [%.0f]\n", pow(2.0, 80.0));
    printf("star float: [%*.*f] [%-*.*e]\n", 9, 2, 3.14159, 12, 1, 31.4);

    double pinf = from_bits(0x7ff0000000000000ULL), ninf = from_bits(0xfff0000000000000ULL);
    double qnan = from_bits(0x7ff8000000000000ULL), ind = from_bits(0xfff8000000000000ULL);
    printf("inf f: [%f] [%f] [%e] [%E] [%g]\n", pinf, ninf, pinf, ninf, pinf);
    printf("nan f: [%f] [%f] [%e] [%g] [%G]\n", qnan, ind, ind, qnan, ind);
    printf("inf precision: [%.2f] [%10.2f] [%-10f]\n", pinf, pinf, qnan);

    /* ---- return values ---- */
    r = printf("twelve chars\n");
    printf("printf returned %d\n", r);
    r = sprintf(buf, "%d-%s", 123, "abc");
    printf("sprintf: %d \"%s\"\n", r, buf);
    CHECK(10, r == 7 && strcmp(buf, "123-abc") == 0);
    r = _scprintf("%s=%d", "count", 12345);
    printf("_scprintf: %d\n", r);
    CHECK(11, r == 11);

    /* _snprintf: no NUL and -1 when the text does not fit; no NUL either on an exact fit. */
    memset(buf, '#', sizeof buf);
    r = _snprintf(buf, 5, "hello world");
    printf("_snprintf truncated returns %d\n", r);
    show_bytes("buffer", buf, 8);
    CHECK(12, r == -1 && memcmp(buf, "hello###", 8) == 0);
    memset(buf, '#', sizeof buf);
    r = _snprintf(buf, 5, "hello");
    printf("_snprintf exact fit returns %d\n", r);
    show_bytes("buffer", buf, 8);
    CHECK(13, r == 5 && memcmp(buf, "hello###", 8) == 0);
    memset(buf, '#', sizeof buf);
    r = _snprintf(buf, 8, "%s", "hi");
    printf("_snprintf room to spare returns %d\n", r);
    show_bytes("buffer", buf, 8);
    CHECK(14, r == 2 && memcmp(buf, "hi\0#####", 8) == 0);
    memset(buf, '#', sizeof buf);
    r = _snprintf(buf, 0, "abc");
    printf("_snprintf size 0 returns %d, buffer untouched: %s\n", r, buf[0] == '#' ? "yes" : "no");
    CHECK(15, r == -1 && buf[0] == '#');

    /* ---- sscanf ---- */
    int i1 = 0, i2 = 0, n = 0;
    unsigned int ux = 0;
    long long ll = 0;
    char word[16] = "", set[16] = "";
    char ch = 0;
    float fl = 0;
    double db = 0;
    r = sscanf("  -17 0x1F abc,def Z 2.5 -1e3 9000000000 rest",
               "%d %x %15[a-z],%15s %c %f %lf %I64d%n", &i1, &ux, set, word, &ch, &fl, &db, &ll,
               &n);
    printf("sscanf returned %d: %d %u [%s] [%s] [%c] %.2f %.1f %I64d n=%d\n", r, i1, ux, set, word,
           ch, fl, db, ll, n);
    CHECK(20, r == 8 && i1 == -17 && ux == 31 && ll == 9000000000LL);
    r = sscanf("12 34", "%*d %d", &i2);
    printf("sscanf with %%*d: %d, %d\n", r, i2);
    r = sscanf("abc", "%d", &i2);
    printf("sscanf no match: %d\n", r);
    r = sscanf("", "%d", &i2);
    printf("sscanf empty input: %d\n", r);
    r = sscanf("077 0x10 10", "%i %i %i", &i1, &i2, &n);
    printf("sscanf %%i: %d: %d %d %d\n", r, i1, i2, n);

    fflush(stdout);
    return 0;
}
