/* msvcrt's printf engine (crt_vformat / crt_vwformat) and its exports, against msvcrt.dll's
 * output: 32-bit %ld, %I64d/%lld/%I32d/%Id, %hhd as %hd, unknown conversions printed as text
 * (%zd, %5%, %Is), %p as 16 upper-case digits, flags/width/precision/'*', narrow and wide
 * strings in both directions (%ls/%S to UTF-8, %s/%hs in wide output), three-digit exponents,
 * msvcrt's half-up rounding of its 17-digit string (0.5 -> 1, 2.675 -> 2.67, 0.125 -> 0.13, 2^80),
 * 1.#INF00 / -1.#IND00 / 1.#QNAN0 / 1.#SNAN0 and their rounding (1.#J, 1.$, 1.#IO), %a, '#'
 * forms, %n refused, and _snprintf / _scprintf / swprintf / _vsnprintf_s buffer rules.
 *
 * Expected texts were checked with Wine 8's msvcrt (x86_64-w64-mingw32-gcc
 * -D__USE_MINGW_ANSI_STDIO=0) except where Wine differs from msvcrt.dll, which are marked
 * "msvcrt:" and follow msvcrt's own conversion code: only 17 significant digits (Wine prints
 * exact digits), "%5%" printing '%' (Wine prints nothing), %#.0o of 0 printing "0", %Z, and
 * wide/narrow text being UTF-8 (the ANSI code page here). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "thunks/msvcrt/msvcrt_lib.h"
#include "thunks/thunks_private.h"

/* ---- a string destination for the engines ---- */
typedef struct sink {
    char buf[2048];
    size_t len;
} sink;

static size_t sink_write(void *ctx, const char *s, size_t n)
{
    sink *k = ctx;
    size_t room = sizeof k->buf - 1 - k->len, c = n < room ? n : room;
    memcpy(k->buf + k->len, s, c);
    k->len += c;
    k->buf[k->len] = 0;
    return c;
}

typedef struct wsink {
    WCHAR buf[512];
    size_t len;
} wsink;

static size_t wsink_write(void *ctx, const WCHAR *s, size_t n)
{
    wsink *k = ctx;
    size_t room = 511 - k->len, c = n < room ? n : room;
    memcpy(k->buf + k->len, s, c * sizeof(WCHAR));
    k->len += c;
    k->buf[k->len] = 0;
    return c;
}

static sink out;
static wsink wout;

/* printf into `out` through the engine, as a ms_abi variadic caller would reach it */
static int WINAPI fmt(const char *f, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, f);
    out.len = 0;
    out.buf[0] = 0;
    crt_out o = {sink_write, &out};
    int r = crt_vformat(&o, f, ap);
    __builtin_ms_va_end(ap);
    return r;
}

static int WINAPI wfmt(const WCHAR *f, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, f);
    wout.len = 0;
    wout.buf[0] = 0;
    crt_wout o = {wsink_write, &wout};
    int r = crt_vwformat(&o, f, ap);
    __builtin_ms_va_end(ap);
    return r;
}

/* Formats and compares text and return value (the byte count). */
#define EXPECT_FMT(expected, ...)                                                              \
    do {                                                                                       \
        const char *exp_ = (expected);                                                         \
        int r_ = fmt(__VA_ARGS__);                                                             \
        cr_expect_str_eq(out.buf, exp_, "%s: got \"%s\", want \"%s\"", #__VA_ARGS__, out.buf,  \
                         exp_);                                                                \
        cr_expect_eq(r_, (int)strlen(exp_), "%s: returned %d, want %d", #__VA_ARGS__, r_,      \
                     (int)strlen(exp_));                                                       \
    } while (0)

static double from_bits(uint64_t bits)
{
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}
#define D_PINF from_bits(0x7ff0000000000000ULL)
#define D_NINF from_bits(0xfff0000000000000ULL)
#define D_QNAN from_bits(0x7ff8000000000000ULL)
#define D_IND from_bits(0xfff8000000000000ULL) /* the default NaN, negative */
#define D_SNAN from_bits(0x7ff0000000000001ULL)

/* u"" literal as WCHAR */
#define W(s) ((const WCHAR *)u##s)

static void *crt_fn(const char *name)
{
    for (const thk_export *e = __start_thk_exports; e < __stop_thk_exports; e++)
        if (strcmp(thk_export_dll(e), "msvcrt.dll") == 0 && strcmp(thk_export_name(e), name) == 0)
            return thk_export_native(e);
    cr_assert_fail("msvcrt!%s is not exported", name);
    return NULL;
}

/* ---- integers ---- */
Test(format_int, basic_conversions_match_msvcrt)
{
    EXPECT_FMT("[-123] [456] [3000000000] [4294967295]", "[%d] [%i] [%u] [%u]", -123, 456,
               3000000000u, -1);
    EXPECT_FMT("[beef] [BEEF] [10] [0xff] [0XFF] [010] [0]", "[%x] [%X] [%o] [%#x] [%#X] [%#o] [%#x]",
               0xbeef, 0xbeef, 8, 255, 255, 8, 0);
}

Test(format_int, l_modifier_is_32_bits)
{
    EXPECT_FMT("[-2147483648] [4294967295] [ffffffff]", "[%ld] [%lu] [%lx]", -2147483647 - 1,
               4294967295u, -1);
    /* a 64-bit slot holding 0x100000005: %ld reads its low 32 bits */
    EXPECT_FMT("5 7", "%ld %d", (int64_t)0x100000005LL, 7);
}

Test(format_int, sixty_four_bit_modifiers)
{
    EXPECT_FMT("[-9223372036854775808] [18446744073709551615] [123456789abcdef]",
               "[%I64d] [%I64u] [%I64x]", INT64_MIN, UINT64_MAX, 0x123456789abcdefULL);
    EXPECT_FMT("[-1234567890123] [9876543210]", "[%lld] [%llu]", -1234567890123LL, 9876543210ULL);
    EXPECT_FMT("[-9] [123456789] [8]", "[%Id] [%Ix] [%I32d]", (int64_t)-9, (int64_t)0x123456789,
               8);
}

Test(format_int, h_and_hh_are_short)
{
    EXPECT_FMT("[-2] [65535] [abcd]", "[%hd] [%hu] [%hx]", -2, 65535, 0xabcd);
    EXPECT_FMT("[300] [300]", "[%hhd] [%hhu]", 300, 300); /* hh is h in msvcrt */
}

Test(format_int, flags_width_precision_and_star)
{
    EXPECT_FMT("[   42] [42   ] [00042] [+42] [ 42] [-0042] [+7   ]",
               "[%5d] [%-5d] [%05d] [%+d] [% d] [%+05d] [%-+5d]", 42, 42, 42, 42, 42, -42, 7);
    EXPECT_FMT("[007] [] [    -007] [00a     ] [00012]", "[%.3d] [%.0d] [%8.3d] [%-8.3x] [%.5u]", 7,
               0, -7, 0xa, 12);
    EXPECT_FMT("[     1] [2     ] [3     ] [0005] [    009]", "[%*d] [%-*d] [%*d] [%.*d] [%*.*d]",
               6, 1, 6, 2, -6, 3, 4, 5, 7, 3, 9);
    EXPECT_FMT("[5         ] [+5] [  0x1] [0x001] [010]", "[%-010d] [%+ d] [%#5x] [%#05x] [%#.3o]",
               5, 5, 1, 1, 8);
    EXPECT_FMT("[-0003]", "[%.*d]", 4, -3);
}

Test(format_int, pointer_is_sixteen_upper_case_digits)
{
    EXPECT_FMT("[0000000000001234] [0000000000000000] [00007FFE12345678]", "[%p] [%p] [%p]",
               (void *)0x1234, (void *)0, (void *)0x7ffe12345678ULL);
    EXPECT_FMT("[0X0000000000001234] [0000000000000012    ]", "[%#p] [%-20p]", (void *)0x1234,
               (void *)0x12);
}

Test(format_int, octal_alternate_zero_precision_prints_zero)
{
    /* msvcrt: '#' forces a leading 0 even when the precision removed every digit */
    EXPECT_FMT("[] [0]", "[%.0o] [%#.0o]", 0, 0);
}

/* ---- the state machine: what is not a conversion is text ---- */
Test(format_parse, unknown_conversions_print_as_text)
{
    /* msvcrt.dll has no z, j, t: the letter prints and consumes no argument */
    EXPECT_FMT("[zd] [5]", "[%zd] [%d]", 5);
    EXPECT_FMT("[y][k]5", "[%y][%k]%d", 5);
    EXPECT_FMT("[Is][I6d]", "[%Is][%I6d]");
    EXPECT_FMT("[-d]", "[%5-d]");
    /* msvcrt: '%' after a width is printed (Wine prints nothing) */
    EXPECT_FMT("[%][%] [%] [50%]", "[%5%][%-5%] [%%] [%d%%]", 50);
    EXPECT_FMT("abc", "abc%");
}

Test(format_parse, width_digits_after_star_append)
{
    /* '*' then '5': the 5 is appended to the width taken from the argument (3 -> 35) */
    EXPECT_FMT("[                                  2]", "[%*5d]", 3, 2);
}

Test(format_parse, F_N_L_are_ignored_sizes)
{
    /* msvcrt.dll has no %F: F is a size modifier, the argument is not consumed */
    EXPECT_FMT("[][1.500000]", "[%F][%f]", 1.5);
    EXPECT_FMT("[7] [2.500000]", "[%Nd] [%Lf]", 7, 2.5);
    EXPECT_FMT("[5]", "[%Ld]", (int64_t)0x100000005LL); /* L does not widen integers */
}

Test(format_parse, n_is_refused)
{
    int n = 1234;
    *crt_errno_ptr() = 0;
    int r = fmt("abc%nxyz", &n);
    cr_expect_eq(r, -1, "returned %d", r);
    cr_expect_eq(n, 1234, "%%n stored %d", n);
    cr_expect_eq(*crt_errno_ptr(), CRT_EINVAL, "errno %d", *crt_errno_ptr());
    cr_expect_str_eq(out.buf, "abc", "got \"%s\"", out.buf);
}

/* ---- characters and strings ---- */
Test(format_str, narrow_strings_and_null)
{
    EXPECT_FMT("[hello] [   right] [left    ] [tru] [      ab] [   x]",
               "[%s] [%8s] [%-8s] [%.3s] [%8.2s] [%*s]", "hello", "right", "left", "truncate", "ab",
               4, "x");
    EXPECT_FMT("[(null)] [(nu]", "[%s] [%.3s]", (char *)NULL, (char *)NULL);
    EXPECT_FMT("[A] [  b] [c  ] [0000c] [000ab]", "[%c] [%3c] [%-3c] [%05c] [%05s]", 'A', 'b', 'c',
               'c', "ab");
}

Test(format_str, wide_strings_become_utf8)
{
    EXPECT_FMT("[wide] [    w] [wi] [S] [ws] [hs]", "[%ls] [%5ls] [%.2ls] [%S] [%ws] [%hs]",
               W("wide"), W("w"), W("wide"), W("S"), W("ws"), "hs");
    EXPECT_FMT("[caf\xc3\xa9]", "[%ls]", W("caf\u00e9"));
    /* the width counts UTF-16 units, the result counts bytes */
    EXPECT_FMT("[  caf\xc3\xa9]", "[%6ls]", W("caf\u00e9"));
    EXPECT_FMT("[\xf0\x9f\x98\x80]", "[%ls]", W("\U0001F600")); /* a pair is one character */
    EXPECT_FMT("[w] [\xc3\xa9] [\xe2\x82\xac]", "[%lc] [%C] [%wc]", 'w', 0xe9, 0x20ac);
    EXPECT_FMT("[(null)]", "[%ls]", (WCHAR *)NULL);
}

Test(format_str, unpaired_surrogate_fails)
{
    static const WCHAR lone[] = {'a', 0xD800, 'b', 0};
    int r = fmt("x%lsy", lone);
    cr_expect_eq(r, -1, "returned %d", r);
    cr_expect_str_eq(out.buf, "xa", "got \"%s\"", out.buf);
    /* %lc of a surrogate prints nothing but is no error */
    EXPECT_FMT("[]", "[%lc]", 0xDC00);
}

Test(format_str, counted_strings)
{
    struct { uint16_t len, max; uint32_t pad; const void *buf; }
        a = {3, 8, 0, "abcdef"}, w = {4, 8, 0, u"wxyz"};
    EXPECT_FMT("[abc] [wx] [(null)]", "[%Z] [%wZ] [%Z]", &a, &w, NULL);
}

/* ---- floating point ---- */
Test(format_float, fixed_rounds_half_up)
{
    EXPECT_FMT("[3.141593] [2.67] [1] [2] [3] [3.] [    -1.500] [2.3       ] [+1.000000]",
               "[%f] [%.2f] [%.0f] [%.0f] [%.0f] [%#.0f] [%10.3f] [%-10.1f] [%+f]", 3.14159265,
               2.675, 0.5, 1.5, 2.5, 3.0, -1.5, 2.25, 1.0);
    EXPECT_FMT("[0.13] [0.063] [0.01] [0.0] [10] [0.9]", "[%.2f] [%.3f] [%.2f] [%.1f] [%.0f] [%.1f]",
               0.125, 0.0625, 0.005, 0.04, 9.5, 0.95);
    EXPECT_FMT("[-0.000000] [-0.0] [ 0002.50] [-0001.50]", "[%f] [%.1f] [% 08.2f] [%08.2f]", -0.0,
               -0.0, 2.5, -1.5);
}

Test(format_float, seventeen_significant_digits_then_zeros)
{
    /* msvcrt: Wine prints the exact 1208925819614629174706176 and 0.10000000000000000555 */
    EXPECT_FMT("[1208925819614629200000000]", "[%.0f]", pow(2.0, 80.0));
    EXPECT_FMT("[0.10000000000000001000]", "[%.20f]", 0.1);
    EXPECT_FMT("[1000000000000000.000000] [123456789012] [99999999999999992000000]",
               "[%f] [%.0f] [%.0f]", 1e15, 123456789012.0, 1e23);
    /* msvcrt: two roundings: 17 digits (...019549|557 -> ...01955), then 15 (-> ...0196) */
    EXPECT_FMT("[-5415.67122780196]", "[%.15g]", from_bits(0xc0b527abd595d190ULL));
}

Test(format_float, exponent_has_three_digits)
{
    EXPECT_FMT("[1.234500e+003] [1.230000E-004] [1.00e+001] [5e+010] [1.000000e+100]",
               "[%e] [%E] [%.2e] [%.0e] [%e]", 1234.5, 0.000123, 9.999, 5e10, 1e100);
    EXPECT_FMT("[1.000000e-300] [0.000000e+000] [-0.000000e+000] [4.941e-324] [1.e+000]",
               "[%e] [%e] [%e] [%.3e] [%#.0e]", 1e-300, 0.0, -0.0, 5e-324, 1.0);
    EXPECT_FMT("[1e+001] [3.1e+001    ]", "[%.0e] [%-*.*e]", 9.5, 12, 1, 31.4);
}

Test(format_float, general_format)
{
    EXPECT_FMT("[100000] [1e+006] [1e-005] [0.0001] [123.456] [1.5E-010] [1.00000] [3.14] [0]",
               "[%g] [%g] [%g] [%g] [%g] [%G] [%#g] [%.3g] [%g]", 100000.0, 1e6, 1e-5, 0.0001,
               123.456, 1.5e-10, 1.0, 3.14159, 0.0);
    EXPECT_FMT("[1e+001] [10] [1e+006] [1e+007] [0.0001] [1.0e-005] [0.000123457] [-0]",
               "[%.1g] [%.2g] [%g] [%g] [%#.1g] [%#.2g] [%g] [%g]", 9.96, 9.96, 999999.5,
               9999995.0, 0.0001, 1e-5, 0.0001234567, -0.0);
    /* '#' with %g keeps the point of the e form; %#g of 0 has six zeros (msvcrt's layout) */
    EXPECT_FMT("[1.e+002] [0.000000]", "[%#.0g] [%#g]", 123.0, 0.0);
}

Test(format_float, infinities_and_nans)
{
    EXPECT_FMT("[1.#INF00] [-1.#INF00] [1.#INF00e+000] [-1.#INF00E+000] [1.#INF]",
               "[%f] [%f] [%e] [%E] [%g]", D_PINF, D_NINF, D_PINF, D_NINF, D_PINF);
    EXPECT_FMT("[1.#QNAN0] [-1.#IND00] [-1.#IND00e+000] [1.#QNAN] [-1.#IND]",
               "[%f] [%f] [%e] [%g] [%G]", D_QNAN, D_IND, D_IND, D_QNAN, D_IND);
    /* msvcrt: a signalling NaN keeps its own name (Wine prints 1.#QNAN0) */
    EXPECT_FMT("[1.#SNAN0] [-1.#QNAN0]", "[%f] [%f]", D_SNAN, from_bits(0xfff8000000000001ULL));
    EXPECT_FMT("[  1.#QNAN0] [001.#QNAN0] [1.#INF00  ]", "[%10f] [%010f] [%-10f]", D_QNAN, D_QNAN,
               D_PINF);
}

Test(format_float, special_values_round_as_text)
{
    /* the digit string "1#INF" is rounded like digits: 'N' >= '5' bumps 'I' to 'J' */
    EXPECT_FMT("[1][1.$][1.#J][1.#IO][1.#INF][1.#INF0][1.#INF00][1.#INF000]",
               "[%.0f][%.1f][%.2f][%.3f][%.4f][%.5f][%.6f][%.7f]", D_PINF, D_PINF, D_PINF, D_PINF, D_PINF,
               D_PINF, D_PINF, D_PINF);
    EXPECT_FMT("[1e+000][1.$e+000][1.#Je+000][1][1.$][1.#QNB][1.#QNBe+000][      1.#J]",
               "[%.0e][%.1e][%.2e][%.1g][%.2g][%.4f][%.4e][%10.2f]", D_PINF, D_PINF, D_PINF, D_PINF, D_PINF,
               D_QNAN, D_QNAN, D_PINF);
}

Test(format_float, hexadecimal)
{
    EXPECT_FMT("[0x1.0000000000000p+0] [0X1.FF00000000000P+7] [0x1.55p-2] [-0x0.0000000000000p+0]",
               "[%a] [%A] [%.2a] [%a]", 1.0, 255.5, 1.0 / 3, -0.0);
    EXPECT_FMT("[0x0.0000000000001p-1022] [0x1.8p+0] [0x2p+0] [0x2.0p+0] [0x1.5p+0] [0x1.p+0]",
               "[%a] [%.1a] [%.0a] [%.1a] [%.1a] [%#.0a]", from_bits(1), 1.5, 1.5,
               from_bits(0x3FFF800000000000ULL), from_bits(0x3FF4800000000000ULL), 1.0);
}

Test(format_float, precision_is_capped_at_512)
{
    int r = fmt("%.600f", 1.0);
    cr_expect_eq(r, 514, "returned %d", r);
    cr_expect_eq(out.buf[513], '0', "last char %c", out.buf[513]);
}

/* ---- wide output ---- */
Test(format_wide, s_is_wide_and_hs_is_narrow)
{
    int r = wfmt(W("[%s][%hs][%S][%c][%hc][%C][%ls][%ws][%d]"), W("wide"), "narrow", "S", 'w', 'n',
                 'C', W("ls"), W("ws"), 42);
    const WCHAR *want = W("[wide][narrow][S][w][n][C][ls][ws][42]");
    cr_expect_eq(r, 38, "returned %d", r);
    cr_expect(memcmp(wout.buf, want, 39 * sizeof(WCHAR)) == 0, "wide text differs");
}

Test(format_wide, utf8_narrow_argument_is_decoded)
{
    int r = wfmt(W("%hs|%5.3hs|%e"), "caf\xc3\xa9", "\xc3\xa9t\xc3\xa9s", 1.5);
    const WCHAR *want = W("caf\u00e9|  \u00e9t\u00e9|1.500000e+000");
    size_t n = 0;
    while (want[n])
        n++;
    cr_expect_eq(r, (int)n, "returned %d, want %d", r, (int)n);
    cr_expect(memcmp(wout.buf, want, (n + 1) * sizeof(WCHAR)) == 0, "wide text differs");
}

Test(format_wide, invalid_utf8_fails)
{
    int r = wfmt(W("a%hsb"), "x\xff");
    cr_expect_eq(r, -1, "returned %d", r);
    cr_expect_eq(wout.len, 2, "wrote %zu units", wout.len);
}

/* ---- exports and buffer rules ---- */
typedef int (WINAPI *sprintf_fn)(char *, const char *, ...);
typedef int (WINAPI *snprintf_fn)(char *, size_t, const char *, ...);
typedef int (WINAPI *snprintf_s_fn)(char *, size_t, size_t, const char *, ...);
typedef int (WINAPI *scprintf_fn)(const char *, ...);
typedef int (WINAPI *swprintf_fn)(WCHAR *, const WCHAR *, ...);
typedef int (WINAPI *snwprintf_fn)(WCHAR *, size_t, const WCHAR *, ...);

Test(format_exports, sprintf_terminates_and_counts)
{
    char buf[32];
    sprintf_fn f = (sprintf_fn)crt_fn("sprintf");
    int r = f(buf, "%d-%s", 123, "abc");
    cr_expect_eq(r, 7, "returned %d", r);
    cr_expect_str_eq(buf, "123-abc", "got \"%s\"", buf);
    scprintf_fn sc = (scprintf_fn)crt_fn("_scprintf");
    r = sc("%s=%d", "count", 12345);
    cr_expect_eq(r, 11, "_scprintf returned %d", r);
}

Test(format_exports, snprintf_truncates_without_nul)
{
    char buf[16];
    snprintf_fn f = (snprintf_fn)crt_fn("_snprintf");
    memset(buf, '#', sizeof buf);
    int r = f(buf, 5, "hello world");
    cr_expect_eq(r, -1, "truncated: returned %d", r);
    cr_expect(memcmp(buf, "hello###", 8) == 0, "truncated: got \"%.8s\"", buf);
    memset(buf, '#', sizeof buf);
    r = f(buf, 5, "hello");
    cr_expect_eq(r, 5, "exact fit: returned %d", r);
    cr_expect(memcmp(buf, "hello###", 8) == 0, "exact fit: got \"%.8s\"", buf);
    memset(buf, '#', sizeof buf);
    r = f(buf, 8, "%s", "hi");
    cr_expect_eq(r, 2, "room: returned %d", r);
    cr_expect(memcmp(buf, "hi\0#####", 8) == 0, "room: NUL missing");
    memset(buf, '#', sizeof buf);
    r = f(buf, 0, "abc");
    cr_expect_eq(r, -1, "size 0: returned %d", r);
    cr_expect_eq(buf[0], '#', "size 0 wrote");
    r = f(NULL, 0, "hello %d", 5);
    cr_expect_eq(r, 7, "NULL, 0: returned %d", r);
}

Test(format_exports, snprintf_s_truncate_and_too_small)
{
    char buf[8];
    snprintf_s_fn f = (snprintf_s_fn)crt_fn("_snprintf_s");
    int r = f(buf, sizeof buf, (size_t)-1, "%s", "truncated text");
    cr_expect_eq(r, -1, "_TRUNCATE returned %d", r);
    cr_expect_str_eq(buf, "truncat", "_TRUNCATE got \"%s\"", buf);
    r = f(buf, sizeof buf, 3, "%s", "abcdef");
    cr_expect_eq(r, -1, "count 3 returned %d", r);
    cr_expect_str_eq(buf, "abc", "count 3 got \"%s\"", buf);
    *crt_errno_ptr() = 0;
    r = f(buf, sizeof buf, 100, "%s", "much too long");
    cr_expect_eq(r, -1, "too small returned %d", r);
    cr_expect_eq(buf[0], 0, "too small left \"%s\"", buf);
    cr_expect_eq(*crt_errno_ptr(), CRT_ERANGE, "errno %d", *crt_errno_ptr());
    r = f(buf, sizeof buf, 100, "%d", 1234567);
    cr_expect_eq(r, 7, "fits returned %d", r);
    cr_expect_str_eq(buf, "1234567", "fits got \"%s\"", buf);
}

Test(format_exports, swprintf_has_no_count)
{
    WCHAR buf[32];
    swprintf_fn f = (swprintf_fn)crt_fn("swprintf");
    int r = f(buf, W("%s=%d"), W("n"), 5);
    cr_expect_eq(r, 3, "returned %d", r);
    cr_expect(memcmp(buf, W("n=5"), 4 * sizeof(WCHAR)) == 0, "text differs");
    snwprintf_fn g = (snwprintf_fn)crt_fn("_snwprintf");
    for (size_t i = 0; i < 32; i++)
        buf[i] = '#';
    r = g(buf, 3, W("abcdef"));
    cr_expect_eq(r, -1, "_snwprintf returned %d", r);
    cr_expect(buf[2] == 'c' && buf[3] == '#', "_snwprintf wrote past the count");
}
