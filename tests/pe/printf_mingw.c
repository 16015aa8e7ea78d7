/* printf_mingw: mingw-w64's own C99 printf (the default when compiling C99 or later against
 * msvcrt: __USE_MINGW_ANSI_STDIO=1). It formats inside the program and writes through msvcrt's
 * FILE machinery (_lock_file, fputc/fwrite, the stream buffer), so this checks that the
 * stream functions keep the output in order: printf interleaved with fputs, puts, putchar,
 * fwrite and writes to stderr (stderr is not compared, it must just not disturb stdout).
 * Also C99 formats msvcrt lacks: %zu %zd %hhd %hhu %lld %jd %td %a %Lf %Le, inf/nan spelled
 * the C99 way, two-digit exponents, and C99 snprintf (always NUL-terminates, returns the full
 * length).
 *
 * Expected output checked with Wine 8 (the formatting is mingw-w64's code inside the program,
 * so Wine's msvcrt only supplies the stream functions). */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fail_check.h"

#if !__USE_MINGW_ANSI_STDIO
#error "this test is about mingw-w64's printf: do not define __USE_MINGW_ANSI_STDIO=0"
#endif

static double from_bits(unsigned long long bits)
{
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

int main(void)
{
    char buf[64];
    int r;

    /* ---- C99 length modifiers ---- */
    printf("z: [%zu] [%zd] [%zx]\n", sizeof(long long), (ptrdiff_t)-5, (size_t)0xdeadbeefcafeULL);
    printf("hh: [%hhd] [%hhu] [%hhx]\n", (signed char)-1, (unsigned char)200, (unsigned char)0xab);
    printf("ll: [%lld] [%llu] [%llx]\n", -9223372036854775807LL - 1, 18446744073709551615ULL,
           0x123456789abcdefULL);
    printf("j t: [%jd] [%ju] [%td]\n", (intmax_t)-42, (uintmax_t)42, (ptrdiff_t)-1000);
    printf("l (32-bit): [%ld] [%lu]\n", -2147483647L - 1, 4294967295UL);
    printf("flags: [%+d] [% d] [%-6d] [%06d] [%#x] [%#o] [%.3d] [%*d] [%-*d]\n", 5, 5, 5, -5,
           0x1f, 8, 7, 5, 1, 5, 2);
    printf("p: [%p]\n", (void *)0x1234);

    /* ---- strings ---- */
    printf("s: [%s] [%10s] [%-10s] [%.2s] [%c] [%%]\n", "str", "right", "left", "trunc", 'Z');
    printf("ls: [%ls] [%6ls]\n", L"wide", L"w");

    /* ---- floating point ---- */
    printf("f: [%f] [%.2f] [%.0f] [%.0f] [%.0f] [%#.0f] [%10.3f] [%+.1f]\n", 3.14159265, 2.675,
           0.5, 1.5, 2.5, 3.0, -1.5, 2.25);
    printf("e: [%e] [%E] [%.2e] [%.0e] [%e] [%e]\n", 1234.5, 0.000123, 9.999, 5e10, 1e100, 0.0);
    printf("g: [%g] [%g] [%g] [%g] [%G] [%#g] [%.3g]\n", 100000.0, 1e6, 1e-5, 123.456, 1.5e-10,
           1.0, 3.14159);
    printf("a: [%a] [%a] [%A] [%.2a]\n", 1.0, 3.0, -0.5, 1.0 / 3.0);
    printf("exact: [%.20f] [%.0f]\n", 0.1, pow(2.0, 80.0));
    printf("long double: [%Lf] [%.3Le] [%Lg]\n", 1.5L, 12345.678L, 0.25L);
    printf("negative zero: [%f] [%g]\n", -0.0, -0.0);
    double pinf = from_bits(0x7ff0000000000000ULL), ninf = from_bits(0xfff0000000000000ULL);
    double qnan = from_bits(0x7ff8000000000000ULL);
    printf("inf nan: [%f] [%f] [%F] [%e] [%g] [%f] [%8.2f] [%-6f]\n", pinf, ninf, pinf, ninf, pinf,
           qnan, pinf, qnan);

    /* ---- return values ---- */
    r = printf("twelve chars\n");
    printf("printf returned %d\n", r);
    r = snprintf(buf, 6, "%s", "hello world");
    printf("snprintf truncated returns %d: \"%s\"\n", r, buf);
    CHECK(10, r == 11 && strcmp(buf, "hello") == 0);
    r = snprintf(NULL, 0, "%d", 123456);
    printf("snprintf(NULL, 0) returns %d\n", r);
    CHECK(11, r == 6);
    r = sprintf(buf, "%05.1f|%-4s|", 2.25, "ab");
    printf("sprintf: %d \"%s\"\n", r, buf);
    CHECK(12, r == 11);

    /* ---- interleaving with the stream functions and stderr ---- */
    fputs("fputs line\n", stdout);
    fprintf(stderr, "to stderr 1\n");
    putchar('p');
    putchar('c');
    putchar('\n');
    puts("puts line");
    fwrite("fwrite line\n", 1, 12, stdout);
    fprintf(stdout, "fprintf(stdout) %d\n", 7);
    fputs("stderr 2\n", stderr);
    printf("partial ");
    fflush(stdout);
    printf("line completed after fflush\n");
    for (int i = 0; i < 3; i++)
        printf("loop %d%c", i, i == 2 ? '\n' : ' ');
    /* A long line: more than one stream buffer's worth is not needed, but longer than 512. */
    memset(buf, 'x', 63);
    buf[63] = '\0';
    for (int i = 0; i < 10; i++)
        printf("%s", buf);
    printf("\nlong line done (630 x)\n");
    return 0;
}
