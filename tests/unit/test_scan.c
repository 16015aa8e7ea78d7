/* msvcrt's scanf engine (crt_vscan / crt_vwscan) and its exports, against msvcrt.dll's
 * results: conversions, sizes (32-bit %ld, 64-bit %lld/%I64d, %hd, %hhd storing 32 bits),
 * wrapping integers, %i/%x prefixes, widths, %*d suppression, %n, scansets (']' first,
 * ranges, reversed ranges, '^'), float/double, literal and %% matching, return values at end
 * of input (EOF before the first match), narrow/wide destinations (UTF-8 <-> UTF-16), and the
 * _s forms' buffer sizes.
 *
 * Expected results were checked with Wine 8's msvcrt except where Wine differs from msvcrt's
 * own input code, marked "msvcrt:": Wine returns 0 instead of EOF for input that ends inside
 * white space or a failed number, accepts "%0s", stores a float for %hf and does not know
 * %D or "%{". */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#include "thunks/msvcrt/msvcrt_lib.h"
#include "thunks/thunks_private.h"

typedef struct src {
    const void *s;
    size_t pos, len;
    bool wide;
} src;

static src in_src;

static int src_getc(void *ctx)
{
    src *s = ctx;
    if (s->pos >= s->len)
        return -1;
    return s->wide ? ((const WCHAR *)s->s)[s->pos++] : ((const unsigned char *)s->s)[s->pos++];
}

static void src_ungetc(void *ctx, int c)
{
    src *s = ctx;
    s->pos--;
}

/* sscanf through the engine, as a ms_abi variadic caller would reach it */
static int WINAPI scan(const char *input, const char *f, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, f);
    in_src = (src){input, 0, strlen(input), false};
    crt_in in = {src_getc, src_ungetc, &in_src};
    int r = crt_vscan(&in, f, ap);
    __builtin_ms_va_end(ap);
    return r;
}

static size_t wlen(const WCHAR *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static int WINAPI wscan(const WCHAR *input, const WCHAR *f, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, f);
    in_src = (src){input, 0, wlen(input), true};
    crt_in in = {src_getc, src_ungetc, &in_src};
    int r = crt_vwscan(&in, f, ap);
    __builtin_ms_va_end(ap);
    return r;
}

#define W(s) ((const WCHAR *)u##s)

static void *crt_fn(const char *name)
{
    for (const thk_export *e = __start_thk_exports; e < __stop_thk_exports; e++)
        if (strcmp(thk_export_dll(e), "msvcrt.dll") == 0 && strcmp(thk_export_name(e), name) == 0)
            return thk_export_native(e);
    cr_assert_fail("msvcrt!%s is not exported", name);
    return NULL;
}

Test(scan_basic, mixed_conversions)
{
    int i1 = 0, n = 0;
    unsigned ux = 0;
    int64_t ll = 0;
    char word[16] = "", set[16] = "", ch = 0;
    float fl = 0;
    double db = 0;
    int r = scan("  -17 0x1F abc,def Z 2.5 -1e3 9000000000 rest",
                 "%d %x %15[a-z],%15s %c %f %lf %I64d%n", &i1, &ux, set, word, &ch, &fl, &db, &ll,
                 &n);
    cr_expect_eq(r, 8, "returned %d", r);
    cr_expect_eq(i1, -17, "%%d got %d", i1);
    cr_expect_eq(ux, 31u, "%%x got %u", ux);
    cr_expect_str_eq(set, "abc", "%%[ got \"%s\"", set);
    cr_expect_str_eq(word, "def", "%%s got \"%s\"", word);
    cr_expect_eq(ch, 'Z', "%%c got %c", ch);
    cr_expect_eq(fl, 2.5f, "%%f got %f", fl);
    cr_expect_eq(db, -1000.0, "%%lf got %f", db);
    cr_expect_eq(ll, 9000000000LL, "%%I64d got %lld", (long long)ll);
    cr_expect_eq(n, 40, "%%n got %d", n);
}

Test(scan_basic, i_accepts_octal_and_hex_prefixes)
{
    int a = 0, b = 0, c = 0;
    int r = scan("077 0x10 10", "%i %i %i", &a, &b, &c);
    cr_expect_eq(r, 3, "returned %d", r);
    cr_expect(a == 63 && b == 16 && c == 10, "got %d %d %d", a, b, c);
    /* %d takes no prefix: "0x10" is 0 and the x stops it */
    r = scan("0x10", "%d%c", &a, &c);
    cr_expect(r == 2 && a == 0 && (char)c == 'x', "%%d on 0x10: %d, %d, %c", r, a, (char)c);
}

Test(scan_sizes, l_is_32_bits_and_ll_64)
{
    int64_t v = -1;
    int r = scan("5", "%ld", &v);
    cr_expect_eq(r, 1, "returned %d", r);
    cr_expect_eq((uint64_t)v, 0xFFFFFFFF00000005ULL, "%%ld wrote more than 32 bits: %llx",
                 (unsigned long long)v);
    r = scan("-9000000000", "%lld", &v);
    cr_expect(r == 1 && v == -9000000000LL, "%%lld: %d, %lld", r, (long long)v);
    r = scan("123456789abcdef0", "%I64x", &v);
    cr_expect(r == 1 && (uint64_t)v == 0x123456789abcdef0ULL, "%%I64x: %d, %llx", r,
              (unsigned long long)v);
}

Test(scan_sizes, h_is_short_and_hh_stores_32_bits)
{
    uint8_t b[8];
    memset(b, 0xAA, sizeof b);
    int r = scan("-2", "%hd", (short *)b);
    cr_expect(r == 1 && b[0] == 0xFE && b[1] == 0xFF && b[2] == 0xAA, "%%hd: %d %02x %02x %02x", r,
              b[0], b[1], b[2]);
    memset(b, 0xAA, sizeof b);
    r = scan("5", "%hhd", (char *)b); /* msvcrt: hh cancels h and l: a 32-bit store */
    cr_expect(r == 1 && b[0] == 5 && b[1] == 0 && b[3] == 0 && b[4] == 0xAA,
              "%%hhd: %d %02x %02x %02x %02x", r, b[0], b[1], b[3], b[4]);
}

Test(scan_sizes, integers_wrap)
{
    int a = 0;
    unsigned u1 = 0, u2 = 0;
    int r = scan("9000000000", "%d", &a);
    cr_expect(r == 1 && a == 410065408, "%d, %d", r, a);
    r = scan("4294967295 -1", "%u %u", &u1, &u2);
    cr_expect(r == 2 && u1 == 4294967295u && u2 == 4294967295u, "%d, %u %u", r, u1, u2);
}

Test(scan_sizes, pointer_is_64_bit_hex)
{
    void *p = NULL;
    int r = scan("DEADbeef12345678", "%p", &p);
    cr_expect(r == 1 && (uintptr_t)p == 0xDEADBEEF12345678ULL, "%d, %p", r, p);
}

Test(scan_width, widths_split_fields)
{
    int a = 0, b = 0;
    char s[8] = "", s2[8] = "";
    int r = scan("12345", "%3d%d", &a, &b);
    cr_expect(r == 2 && a == 123 && b == 45, "%d: %d %d", r, a, b);
    r = scan("hello world", "%3c%s", s, s2);
    s[3] = 0;
    cr_expect(r == 2 && strcmp(s, "hel") == 0 && strcmp(s2, "lo") == 0, "%d: [%s] [%s]", r, s, s2);
    r = scan("+5", "%1d", &a); /* the sign uses the whole width */
    cr_expect_eq(r, 0, "returned %d", r);
    double d = 0;
    r = scan("1.5e10", "%4lf%s", &d, s2); /* msvcrt: "1.5e" is the field */
    cr_expect(r == 2 && d == 1.5 && strcmp(s2, "10") == 0, "%d: %f [%s]", r, d, s2);
    r = scan("abc", "%0s", s); /* msvcrt: a zero width fails */
    cr_expect_eq(r, 0, "returned %d", r);
}

Test(scan_suppress, starred_fields_do_not_count)
{
    int a = 0;
    int r = scan("12 34", "%*d %d", &a);
    cr_expect(r == 1 && a == 34, "%d, %d", r, a);
    r = scan("5 6", "%*d %*d");
    cr_expect_eq(r, 0, "returned %d", r);
    r = scan("x", "%*d");
    cr_expect_eq(r, 0, "returned %d", r);
}

Test(scan_eof, end_of_input_before_a_match_is_eof)
{
    int a = 0;
    char s[8];
    cr_expect_eq(scan("", "%d", &a), -1, "empty input");
    cr_expect_eq(scan("abc", "%d", &a), 0, "no match");
    cr_expect_eq(scan("5", "%d%d", &a, &a), 1, "second field at the end");
    cr_expect_eq(scan("5", "%*d %d", &a), 0, "suppressed match then end");
    /* msvcrt (Wine returns 0 for these) */
    cr_expect_eq(scan("   ", "%d", &a), -1, "only white space");
    cr_expect_eq(scan("-", "%d", &a), -1, "a sign then the end");
    cr_expect_eq(scan("a", "ab"), -1, "literal cut by the end");
    cr_expect_eq(scan("", "%s", s), -1, "%%s at the end");
}

Test(scan_n, n_counts_characters_without_counting_a_field)
{
    int a = 0, n = -1, m = -1;
    char c;
    int r = scan("12", "%d%n", &a, &n);
    cr_expect(r == 1 && n == 2, "%d, n=%d", r, n);
    r = scan("12 ", "%d %n", &a, &n);
    cr_expect(r == 1 && n == 3, "%d, n=%d", r, n);
    r = scan("ab", "a%n%c%n", &n, &c, &m);
    cr_expect(r == 1 && n == 1 && m == 2 && c == 'b', "%d, %d %d %c", r, n, m, c);
}

Test(scan_set, scansets)
{
    char s[16] = "", s2[16] = "";
    int r = scan("abc]def", "%[]a-c]%s", s, s2);
    cr_expect(r == 2 && strcmp(s, "abc]") == 0 && strcmp(s2, "def") == 0, "%d [%s] [%s]", r, s, s2);
    r = scan("a-b-c", "%[-a]", s);
    cr_expect(r == 1 && strcmp(s, "a-") == 0, "%d [%s]", r, s);
    r = scan("zyx", "%[z-x]", s);
    cr_expect(r == 1 && strcmp(s, "zyx") == 0, "%d [%s]", r, s);
    r = scan("key=value;rest", "%[^=]=%[^;]", s, s2);
    cr_expect(r == 2 && strcmp(s, "key") == 0 && strcmp(s2, "value") == 0, "%d [%s] [%s]", r, s,
              s2);
    r = scan("abc", "%{abc]", s); /* msvcrt: '{' is '[' lowered */
    cr_expect(r == 1 && strcmp(s, "abc") == 0, "%d [%s]", r, s);
}

Test(scan_float, float_unless_l)
{
    float f = 0;
    double d = 0;
    int r = scan("1e5x", "%f", &f);
    cr_expect(r == 1 && f == 100000.0f, "%d, %f", r, f);
    r = scan("0.1", "%lf", &d);
    cr_expect(r == 1 && d == 0.1, "%d, %.17g", r, d);
    r = scan("-.5E-1", "%lf", &d);
    cr_expect(r == 1 && d == -0.05, "%d, %g", r, d);
    r = scan("inf", "%lf", &d);
    cr_expect_eq(r, 0, "inf: returned %d", r);
    char s[8];
    r = scan("0x1p3", "%lf%s", &d, s);
    cr_expect(r == 2 && d == 0.0 && strcmp(s, "x1p3") == 0, "hex: %d %f [%s]", r, d, s);
    d = 0;
    r = scan("2.5", "%hf", &d); /* msvcrt: h makes a double */
    cr_expect(r == 1 && d == 2.5, "%%hf: %d %f", r, d);
}

Test(scan_literal, literals_and_unknown_letters_match_themselves)
{
    int a = 0;
    cr_expect_eq(scan("50%", "%d%%", &a), 1, "%%%%");
    cr_expect_eq(scan("5 y", "%d %y", &a), 1, "%%y");
    cr_expect_eq(scan("ab", "ax"), 0, "mismatch");
    int r = scan("12", "%D", &a); /* msvcrt: %D is %d */
    cr_expect(r == 1 && a == 12, "%%D: %d, %d", r, a);
}

Test(scan_wide, narrow_input_to_wide_storage)
{
    WCHAR w[8];
    WCHAR c = 0;
    int r = scan("caf\xc3\xa9 x", "%ls %lc", w, &c);
    cr_expect_eq(r, 2, "returned %d", r);
    cr_expect(memcmp(w, W("caf\u00e9"), 5 * sizeof(WCHAR)) == 0, "%%ls: %04x %04x %04x %04x",
              w[0], w[1], w[2], w[3]);
    cr_expect_eq(c, 'x', "%%lc got %04x", c);
    r = scan("\xff", "%S", w); /* not UTF-8: stores '?' */
    cr_expect(r == 1 && w[0] == '?' && w[1] == 0, "%d %04x", r, w[0]);
}

Test(scan_wide, wide_input)
{
    WCHAR w[8];
    char n[8];
    int a = 0;
    int r = wscan(W("caf\u00e9 42 \u00e9t\u00e9"), W("%s %d %hs"), w, &a, n);
    cr_expect_eq(r, 3, "returned %d", r);
    cr_expect(memcmp(w, W("caf\u00e9"), 5 * sizeof(WCHAR)) == 0, "%%s differs");
    cr_expect_eq(a, 42, "%%d got %d", a);
    cr_expect_str_eq(n, "\xc3\xa9t\xc3\xa9", "%%hs got \"%s\"", n);
    r = wscan(W("abc"), W("%S"), n); /* %S is narrow in wide input */
    cr_expect(r == 1 && strcmp(n, "abc") == 0, "%d [%s]", r, n);
}

typedef int (WINAPI *sscanf_fn)(const char *, const char *, ...);
typedef int (WINAPI *snscanf_fn)(const char *, size_t, const char *, ...);
typedef int (WINAPI *swscanf_fn)(const WCHAR *, const WCHAR *, ...);

Test(scan_exports, sscanf_and_snscanf)
{
    int a = 0, b = 0;
    sscanf_fn f = (sscanf_fn)crt_fn("sscanf");
    int r = f("12 34", "%d %d", &a, &b);
    cr_expect(r == 2 && a == 12 && b == 34, "%d: %d %d", r, a, b);
    snscanf_fn g = (snscanf_fn)crt_fn("_snscanf");
    r = g("12345", 2, "%d", &a);
    cr_expect(r == 1 && a == 12, "_snscanf: %d, %d", r, a);
    swscanf_fn h = (swscanf_fn)crt_fn("swscanf");
    r = h(W("7 x"), W("%d %c"), &a, &b);
    cr_expect(r == 2 && a == 7 && (WCHAR)b == 'x', "swscanf: %d, %d %x", r, a, b);
}

Test(scan_exports, sscanf_s_checks_sizes)
{
    char s[4] = "zzz", c2[2];
    sscanf_fn f = (sscanf_fn)crt_fn("sscanf_s");
    int r = f("abc", "%s", s, 4);
    cr_expect(r == 1 && strcmp(s, "abc") == 0, "fits: %d [%s]", r, s);
    *crt_errno_ptr() = 0;
    r = f("abcd", "%s", s, 4);
    cr_expect_eq(r, 0, "too long: returned %d", r);
    cr_expect_eq(s[0], 0, "too long: buffer not emptied");
    cr_expect_eq(*crt_errno_ptr(), CRT_ENOMEM, "errno %d", *crt_errno_ptr());
    r = f("xy", "%2c", c2, 2);
    cr_expect(r == 1 && c2[0] == 'x' && c2[1] == 'y', "%%2c: %d", r);
}
