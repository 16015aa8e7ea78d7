/* msvcrt's _atoldbl/_atoldbl_l (the 10-byte x87 extended value in an _LDOUBLE), _atodbl/_atodbl_l
 * (_CRT_DOUBLE) and _atoflt_l (_CRT_FLOAT): the bytes stored and the result, 0 or _OVERFLOW (3) /
 * _UNDERFLOW (4). Windows' rules, from Microsoft's documentation of these functions (the return
 * values) and Wine's msvcrt test test__atodbl, which records Windows: "1e309" _OVERFLOW,
 * "1e-309" _UNDERFLOW with the denormal stored (not zero). The extended values are the nearest
 * 64-bit significands (0.1 = 0xCCCCCCCCCCCCCCCD * 2^-67); an overflowing _atoldbl stores an
 * infinity, one below the smallest denormal zero. Wine 8.0 prints the same. (A value in the
 * x87 denormal range, 1e-4940, gives _UNDERFLOW here as _atodbl's denormals do on Windows;
 * Wine 8.0 returns 0 there, so it is not asserted.) The _l forms take the locale's decimal
 * point (German: ','); the text after the number is ignored. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

static void ld(const char *text)
{
    _LDOUBLE v;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", text);
    for (int i = 0; i < 10; i++)
        v.ld[i] = 0xcc;
    int r = _atoldbl(&v, buf);
    printf("_atoldbl(\"%s\") %d:", text, r);
    for (int i = 9; i >= 0; i--) /* most significant byte first: sign+exponent, significand */
        printf(i == 7 ? " %02x" : "%02x", v.ld[i]);
    printf("\n");
}

static void dbl(const char *text)
{
    _CRT_DOUBLE d = {-1.0};
    char buf[64];
    snprintf(buf, sizeof buf, "%s", text);
    int r = _atodbl(&d, buf);
    printf("_atodbl(\"%s\") %d: %.17g\n", text, r, d.x);
}

static void flt(const char *text, _locale_t l)
{
    _CRT_FLOAT f = {-1.0f};
    char buf[64];
    snprintf(buf, sizeof buf, "%s", text);
    int r = _atoflt_l(&f, buf, l);
    printf("_atoflt_l(\"%s\") %d: %.9g\n", text, r, (double)f.f);
}

int main(void)
{
    ld("1.5");
    ld("0.1");
    ld("-2.25e10");
    ld("  +3.0000000000000000001xyz");
    ld("1e4932");
    ld("1e5000");
    ld("-1e5000");
    ld("1e-5000");
    ld("1.18973149535723176502e+4932");
    ld("0");
    ld("abc");
    dbl("1e308");
    dbl("1e309");
    dbl("1e-309");
    dbl("1e-400");
    _locale_t c = _create_locale(LC_ALL, "C");
    flt("3.5", c);
    flt("1e39", c);
    flt("1e-50", c);
    _locale_t de = _create_locale(LC_ALL, "German_Germany.1252");
    _LDOUBLE v;
    char buf[] = "4,5";
    int r = _atoldbl_l(&v, buf, de);
    long double x; /* mingw's long double is the same x87 format */
    __builtin_memcpy(&x, v.ld, 10);
    printf("_atoldbl_l(\"4,5\", German) %d: %.3f\n", r, (double)x);
    r = _atoldbl_l(&v, buf, c);
    __builtin_memcpy(&x, v.ld, 10);
    printf("_atoldbl_l(\"4,5\", C) %d: %.3f\n", r, (double)x);
    _free_locale(de);
    _free_locale(c);
    return 0;
}
