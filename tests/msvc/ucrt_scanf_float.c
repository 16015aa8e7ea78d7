/* The UCRT's scanf reads floating-point fields with its strtod parser (__stdio_common_vsscanf
 * and swscanf): "inf" and "infinity" in any case, "nan", "nan(chars)" and the indeterminate
 * "nan(ind)" (sign bit set: printf shows it as -nan(ind)), hexadecimal significands with a
 * binary exponent ("0x1.8p3" is 12), for %a as for %e %f %g, into float and double, within
 * the field width. msvcrt.dll's scanf reads none of these (tests/pe). Results are shown as
 * bits. Expected values: the C standard's fscanf/strtod rules, which the UCRT follows, and
 * its documented indeterminate NaN. Wine 8.0 differs (no %a, NaN read as 0x7fffffffffffffff,
 * "nan(" not consumed, -1 instead of 0 for a matching failure). */
#include "ucrt.h"

__declspec(dllimport) int __cdecl __stdio_common_vswscanf(unsigned long long options,
                                                          const wchar16 *buffer, size_t count,
                                                          const wchar16 *format, void *locale,
                                                          va_list args);

static int swscanf_(const wchar16 *buf, const wchar16 *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __stdio_common_vswscanf(0, buf, (size_t)-1, fmt, 0, ap);
    va_end(ap);
    return r;
}

static unsigned long long bits(double d)
{
    unsigned long long b;
    __builtin_memcpy(&b, &d, 8);
    return b;
}

static unsigned fbits(float f)
{
    unsigned b;
    __builtin_memcpy(&b, &f, 4);
    return b;
}

static void one(const char *in, const char *fmt)
{
    double d = 0;
    char rest[16] = "";
    int r = sscanf(in, fmt, &d, rest);
    printf("%-16s %-9s -> %d %016llx [%s]\n", in, fmt, r, bits(d), rest);
}

int main(void)
{
    one("0x1.8p3", "%lf%s");
    one("0X1.8P3", "%la%s");
    one("0x10 z", "%lg %s");
    one("0x.8", "%le%s");
    one("-0x1p-2", "%lf%s");
    one("inf", "%lf%s");
    one("-Infinity!", "%lf%s");
    one("INFx", "%lf%s");
    one("nan", "%lf%s");
    one("-nan", "%lf%s");
    one("nan(ind)", "%lf%s");
    one("NaN(123)rest", "%lf%s");
    one("0x1.8p3", "%4lf%s");
    one("1.5e3x", "%lf%s");
    one("-x", "%lf%s");
    one("nax", "%lf%s");

    float f = 0;
    int r = sscanf("0xAp-1", "%a", &f);
    printf("%%a float: %d %08x\n", r, fbits(f));
    r = sscanf("-inf", "%f", &f);
    printf("%%f -inf: %d %08x\n", r, fbits(f));
    r = sscanf("nan(ind)", "%g", &f);
    printf("%%g nan(ind): %d %08x\n", r, fbits(f));

    double d = 0;
    r = swscanf_(L"0x1p4", L"%lf", &d);
    printf("swscanf 0x1p4: %d %g\n", r, d);
    r = swscanf_(L"Infinity", L"%lf", &d);
    printf("swscanf Infinity: %d %016llx\n", r, bits(d));
    return 0;
}
