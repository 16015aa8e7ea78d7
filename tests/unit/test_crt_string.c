/* The built-in msvcrt's string side, called through its export table entries (the ms_abi C
 * functions, as a thunk would reach them) and checked against Windows msvcrt's results:
 * comparisons (-1/0/1 for strcmp, the lower-cased difference for _stricmp, '_' sorting before
 * letters), strtok state, the _s copy functions, the "C" locale ctype tables and functions,
 * strtol/strtoul overflow, "0x" without digits, msvcrt's wrapping atoi, strtod's 'd'
 * exponent, _itoa radixes, _ecvt/_fcvt/_gcvt rounding and format, UTF-8 multibyte
 * conversions. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include "thunks/msvcrt/msvcrt_lib.h"
#include "thunks/thunks_private.h"

/* The implementation behind msvcrt!name, from the export table. */
static void *crt_fn(const char *name)
{
    for (const thk_export *e = __start_thk_exports; e < __stop_thk_exports; e++)
        if (strcmp(thk_export_dll(e), "msvcrt.dll") == 0 && strcmp(thk_export_name(e), name) == 0)
            return thk_export_native(e);
    cr_assert_fail("msvcrt!%s is not exported", name);
    return NULL;
}
#define CRT(name, type) ((type)crt_fn(#name))

typedef int (WINAPI *cmp2_fn)(const char *, const char *);
typedef int (WINAPI *cmpn_fn)(const char *, const char *, size_t);
typedef int (WINAPI *wcmp2_fn)(const WCHAR *, const WCHAR *);
typedef int (WINAPI *int1_fn)(int);
typedef int32_t (WINAPI *strtol_fn)(const char *, char **, int);
typedef uint32_t (WINAPI *strtoul_fn)(const char *, char **, int);
typedef int64_t (WINAPI *strtoi64_fn)(const char *, char **, int);
typedef uint64_t (WINAPI *strtoui64_fn)(const char *, char **, int);
typedef int32_t (WINAPI *wcstol_fn)(const WCHAR *, WCHAR **, int);
typedef int (WINAPI *atoi_fn)(const char *);
typedef int64_t (WINAPI *atoi64_fn)(const char *);
typedef double (WINAPI *strtod_fn)(const char *, char **);
typedef char *(WINAPI *itoa_fn)(int, char *, int);
typedef char *(WINAPI *i64toa_fn)(int64_t, char *, int);
typedef char *(WINAPI *cvt_fn)(double, int, int *, int *);
typedef char *(WINAPI *gcvt_fn)(double, int, char *);
typedef char *(WINAPI *strtok_fn)(char *, const char *);
typedef int (WINAPI *strcpy_s_fn)(char *, size_t, const char *);
typedef int (WINAPI *strncpy_s_fn)(char *, size_t, const char *, size_t);
typedef size_t (WINAPI *mbstowcs_fn)(WCHAR *, const char *, size_t);
typedef size_t (WINAPI *wcstombs_fn)(char *, const WCHAR *, size_t);
typedef int (WINAPI *mbtowc_fn)(WCHAR *, const char *, size_t);

static int crt_errno(void) { return *crt_errno_ptr(); }

/* ---- comparisons ---- */

/* memcpy and memmove are THK_INLINE exports (code in msvcrt's image, foreign code): native
 * callers get a C function that copies as msvcrt's do, overlap either way included. */
Test(crt_string, memcpy_and_memmove_exports_give_native_callers_a_copy_that_allows_overlap)
{
    void *(WINAPI *cpy)(void *, const void *, size_t) = crt_fn("memcpy");
    void *(WINAPI *mov)(void *, const void *, size_t) = crt_fn("memmove");
    char b[128];
    for (int n = 0; n < 100; n += 7) {
        for (int i = 0; i < 128; i++)
            b[i] = (char)i;
        cr_expect_eq(mov(b + 3, b, (size_t)n), b + 3);
        for (int i = 0; i < n; i++)
            cr_expect_eq(b[3 + i], (char)i, "memmove forward %d: [%d] %d", n, i, b[3 + i]);
        for (int i = 0; i < 128; i++)
            b[i] = (char)i;
        cr_expect_eq(cpy(b, b + 5, (size_t)n), b);
        for (int i = 0; i < n; i++)
            cr_expect_eq(b[i], (char)(i + 5), "memcpy backward %d: [%d] %d", n, i, b[i]);
    }
}

Test(crt_string, strcmp_family_returns_minus_one_zero_one)
{
    cmp2_fn fstrcmp = CRT(strcmp, cmp2_fn);
    cmpn_fn fstrncmp = CRT(strncmp, cmpn_fn);
    cmpn_fn fmemcmp = CRT(memcmp, cmpn_fn);
    cr_expect_eq(fstrcmp("a", "b"), -1, "got %d", fstrcmp("a", "b"));
    cr_expect_eq(fstrcmp("b", "a"), 1, "got %d", fstrcmp("b", "a"));
    cr_expect_eq(fstrcmp("abc", "abc"), 0);
    cr_expect_eq(fstrncmp("abc", "abd", 3), -1, "got %d", fstrncmp("abc", "abd", 3));
    cr_expect_eq(fstrncmp("abc", "abd", 2), 0);
    cr_expect_eq(fmemcmp("a\xff", "a\x01", 2), 1, "got %d", fmemcmp("a\xff", "a\x01", 2));
}

Test(crt_string, stricmp_lowercases_both_and_returns_difference)
{
    cmp2_fn fstricmp = CRT(_stricmp, cmp2_fn);
    cmpn_fn fstrnicmp = CRT(_strnicmp, cmpn_fn);
    /* '_' (0x5F) against 'A' lowered to 'a' (0x61) */
    cr_expect_eq(fstricmp("_", "A"), -2, "got %d", fstricmp("_", "A"));
    cr_expect_eq(fstricmp("abc", "ABD"), -1, "got %d", fstricmp("abc", "ABD"));
    cr_expect_eq(fstricmp("HeLLo", "hello"), 0);
    cr_expect_eq(fstrnicmp("ab_", "AB[", 3), 4, "got %d", fstrnicmp("ab_", "AB[", 3));
    cr_expect_eq(fstrnicmp("abX", "ABY", 2), 0);
    cr_expect_eq(CRT(_strcmpi, cmp2_fn)("Z", "a"), 25, "got %d", CRT(_strcmpi, cmp2_fn)("Z", "a"));
    /* bytes above 0x7F are not letters in the "C" locale */
    cr_expect_eq(fstricmp("\xc9", "\xe9"), 0xc9 - 0xe9, "got %d", fstricmp("\xc9", "\xe9"));
}

Test(crt_string, wcsicmp_folds_ascii_only)
{
    wcmp2_fn f = CRT(_wcsicmp, wcmp2_fn);
    const WCHAR e_acute[] = {0xe9, 0}, E_acute[] = {0xc9, 0};
    const WCHAR abc[] = {'a', 'B', 'c', 0}, ABC[] = {'A', 'b', 'C', 0};
    cr_expect_eq(f(e_acute, E_acute), 32, "got %d", f(e_acute, E_acute));
    cr_expect_eq(f(abc, ABC), 0);
    cr_expect_eq(CRT(wcscmp, wcmp2_fn)(abc, ABC), 1, "got %d", CRT(wcscmp, wcmp2_fn)(abc, ABC));
}

Test(crt_string, strtok_keeps_per_thread_position)
{
    strtok_fn f = CRT(strtok, strtok_fn);
    char s[] = ",,one,,two;three,";
    cr_expect_str_eq(f(s, ",;"), "one");
    cr_expect_str_eq(f(NULL, ",;"), "two");
    cr_expect_str_eq(f(NULL, ",;"), "three");
    cr_expect_null(f(NULL, ",;"));
    cr_expect_null(f(NULL, ",;"));
}

Test(crt_string, strcpy_s_too_small_empties_and_returns_erange)
{
    strcpy_s_fn f = CRT(strcpy_s, strcpy_s_fn);
    char buf[4] = "xyz";
    int r = f(buf, sizeof buf, "long");
    cr_expect_eq(r, CRT_ERANGE, "got %d", r);
    cr_expect_eq(buf[0], 0);
    r = f(buf, sizeof buf, "abc");
    cr_expect_eq(r, 0, "got %d", r);
    cr_expect_str_eq(buf, "abc");
    r = f(NULL, 4, "a");
    cr_expect_eq(r, CRT_EINVAL, "got %d", r);

    strncpy_s_fn g = CRT(strncpy_s, strncpy_s_fn);
    r = g(buf, sizeof buf, "truncated", (size_t)-1);
    cr_expect_eq(r, CRT_STRUNCATE, "got %d", r);
    cr_expect_str_eq(buf, "tru");
    r = g(buf, sizeof buf, "truncated", 2);
    cr_expect_eq(r, 0, "got %d", r);
    cr_expect_str_eq(buf, "tr");
}

Test(crt_string, strdup_memory_has_exact_msize)
{
    char *(WINAPI *dup)(const char *) = crt_fn("_strdup");
    size_t (WINAPI *msize)(void *) = crt_fn("_msize");
    void (WINAPI *fr)(void *) = crt_fn("free");
    char *p = dup("hello");
    cr_assert_not_null(p);
    cr_expect_str_eq(p, "hello");
    cr_expect_eq(msize(p), 6, "got %zu", msize(p));
    fr(p);
}

Test(crt_string, strrev_strset_strlwr_edit_in_place)
{
    char s[] = "AbC_1";
    cr_expect_str_eq(((char *(WINAPI *)(char *))crt_fn("_strrev"))(s), "1_CbA");
    cr_expect_str_eq(((char *(WINAPI *)(char *))crt_fn("_strlwr"))(s), "1_cba");
    cr_expect_str_eq(((char *(WINAPI *)(char *))crt_fn("_strupr"))(s), "1_CBA");
    cr_expect_str_eq(((char *(WINAPI *)(char *, int, size_t))crt_fn("_strnset"))(s, '*', 2),
                     "**CBA");
}

/* ---- ctype ---- */
Test(crt_ctype, table_matches_windows_c_locale)
{
    const uint16_t *const *pctype = crt_fn("_pctype"); /* data export: the variable's address */
    const uint16_t *t = *pctype;
    cr_expect_eq(t[-1], 0, "EOF entry %#x", t[-1]);
    cr_expect_eq(t['\t'], 0x28, "tab %#x", t['\t']); /* _SPACE|_CONTROL, no _BLANK */
    cr_expect_eq(t[' '], 0x48, "space %#x", t[' ']);
    cr_expect_eq(t['0'], 0x84, "digit %#x", t['0']);
    cr_expect_eq(t['A'], 0x81, "A %#x", t['A']);
    cr_expect_eq(t['G'], 0x01, "G %#x", t['G']);
    cr_expect_eq(t['f'], 0x82, "f %#x", t['f']);
    cr_expect_eq(t['_'], 0x10, "_ %#x", t['_']);
    cr_expect_eq(t[0x7f], 0x20, "DEL %#x", t[0x7f]);
    cr_expect_eq(t[0xe9], 0, "e-acute %#x", t[0xe9]);
    const uint16_t *const *pw = crt_fn("_pwctype");
    cr_expect_eq((*pw)['\t'], 0x68, "wide tab %#x", (*pw)['\t']);
    cr_expect_eq((*pw)[0xe9], 0x102, "wide e-acute %#x", (*pw)[0xe9]);
    cr_expect_eq((*pw)['A'], 0x181, "wide A %#x", (*pw)['A']);
}

Test(crt_ctype, is_functions_return_masked_bits_and_zero_out_of_range)
{
    int1_fn isalpha_ = CRT(isalpha, int1_fn), isspace_ = CRT(isspace, int1_fn);
    cr_expect_eq(isalpha_('a'), 2, "got %d", isalpha_('a'));
    cr_expect_eq(isalpha_('Q'), 1, "got %d", isalpha_('Q'));
    cr_expect_eq(isalpha_(-1), 0);
    cr_expect_eq(isalpha_(300), 0);
    cr_expect_eq(isalpha_(0xe9), 0);
    cr_expect_eq(isspace_('\v'), 8, "got %d", isspace_('\v'));
    cr_expect_eq(CRT(isxdigit, int1_fn)('F'), 0x80);
    cr_expect_eq(CRT(isprint, int1_fn)(' '), 0x40);
    cr_expect_eq(CRT(isgraph, int1_fn)(' '), 0);
}

Test(crt_ctype, toupper_changes_ascii_letters_only)
{
    int1_fn up = CRT(toupper, int1_fn), lo = CRT(tolower, int1_fn);
    cr_expect_eq(up('a'), 'A');
    cr_expect_eq(up(0xe9), 0xe9, "got %#x", up(0xe9));
    cr_expect_eq(up(-1), -1);
    cr_expect_eq(up(300), 300);
    cr_expect_eq(lo('Z'), 'z');
    /* _toupper does not check */
    int1_fn raw_upper = CRT(_toupper, int1_fn);
    cr_expect_eq(raw_upper('1'), '1' - 'a' + 'A', "got %d", raw_upper('1'));
}

Test(crt_ctype, wide_classes_follow_unicode_above_latin1)
{
    int (WINAPI *iswctype_)(uint16_t, uint16_t) = crt_fn("iswctype");
    uint16_t (WINAPI *towupper_)(uint16_t) = crt_fn("towupper");
    cr_expect_eq(iswctype_(0x3b1, CRT_ALPHA), 0x102, "alpha %#x", iswctype_(0x3b1, CRT_ALPHA));
    cr_expect_eq(iswctype_(0x391, 0xffff), 0x301, "all %#x", iswctype_(0x391, 0xffff));
    cr_expect_eq(iswctype_(0x660, CRT_DIGIT), CRT_DIGIT);
    cr_expect_eq(iswctype_(0x3000, CRT_SPACE), CRT_SPACE);
    cr_expect_eq(iswctype_(0xe9, CRT_LOWER), CRT_LOWER);
    cr_expect_eq(towupper_(0xe9), 0xe9, "C locale maps ASCII only: %#x", towupper_(0xe9));
    cr_expect_eq(towupper_('q'), 'Q');
}

/* ---- conversions ---- */
Test(crt_conv, strtol_overflow_saturates_with_erange)
{
    strtol_fn f = CRT(strtol, strtol_fn);
    char *end;
    crt_set_errno(0);
    int32_t v = f("  99999999999x", &end, 10);
    cr_expect_eq(v, 0x7fffffff, "got %d", v);
    cr_expect_eq(crt_errno(), CRT_ERANGE, "errno %d", crt_errno());
    cr_expect_eq(*end, 'x');
    crt_set_errno(0);
    v = f("-99999999999", &end, 10);
    cr_expect_eq(v, INT32_MIN, "got %d", v);
    cr_expect_eq(crt_errno(), CRT_ERANGE);
    crt_set_errno(0);
    v = f("-2147483648", &end, 0);
    cr_expect_eq(v, INT32_MIN, "got %d", v);
    cr_expect_eq(crt_errno(), 0, "errno %d", crt_errno());
    v = f("0x1fZ", &end, 0);
    cr_expect_eq(v, 0x1f, "got %d", v);
    cr_expect_eq(*end, 'Z');
    v = f("0777", &end, 0);
    cr_expect_eq(v, 0777, "octal %d", v);
}

Test(crt_conv, strtol_without_digits_points_end_at_start)
{
    strtol_fn f = CRT(strtol, strtol_fn);
    const char *s = "0x";
    char *end = NULL;
    cr_expect_eq(f(s, &end, 16), 0);
    cr_expect_eq(end, s, "0x: end at +%td", end - s);
    s = "  -";
    cr_expect_eq(f(s, &end, 10), 0);
    cr_expect_eq(end, s, "sign only: end at +%td", end - s);
    crt_set_errno(0);
    s = "12";
    cr_expect_eq(f(s, &end, 1), 0);
    cr_expect_eq(end, s);
    cr_expect_eq(crt_errno(), CRT_EINVAL, "bad base errno %d", crt_errno());
}

Test(crt_conv, strtoul_negates_and_saturates_like_msvcrt)
{
    strtoul_fn f = CRT(strtoul, strtoul_fn);
    crt_set_errno(0);
    cr_expect_eq(f("-5", NULL, 10), 4294967291u, "got %u", f("-5", NULL, 10));
    cr_expect_eq(crt_errno(), 0);
    uint32_t v = f("99999999999", NULL, 10);
    cr_expect_eq(v, 0xffffffffu, "got %u", v);
    cr_expect_eq(crt_errno(), CRT_ERANGE);
    v = f("-99999999999", NULL, 10); /* the saturated value is negated too */
    cr_expect_eq(v, 1u, "got %u", v);
    strtoi64_fn g = CRT(_strtoi64, strtoi64_fn);
    crt_set_errno(0);
    int64_t w = g("-99999999999999999999", NULL, 10);
    cr_expect_eq(w, INT64_MIN, "got %lld", (long long)w);
    cr_expect_eq(crt_errno(), CRT_ERANGE);
    strtoui64_fn h = CRT(_strtoui64, strtoui64_fn);
    cr_expect_eq(h("-1", NULL, 10), UINT64_MAX);
}

Test(crt_conv, wcstol_reads_wide_digits)
{
    wcstol_fn f = CRT(wcstol, wcstol_fn);
    const WCHAR s[] = {' ', '-', '4', '2', 'z', 0};
    WCHAR *end;
    cr_expect_eq(f(s, &end, 10), -42);
    cr_expect_eq(end - s, 4, "end at %td", end - s);
    const WCHAR arabic[] = {0x661, 0x662, 0}; /* Arabic-Indic 1 2 */
    cr_expect_eq(f(arabic, NULL, 10), 12, "got %d", f(arabic, NULL, 10));
}

Test(crt_conv, atoi_wraps_without_errno)
{
    atoi_fn f = CRT(atoi, atoi_fn);
    crt_set_errno(0);
    cr_expect_eq(f("2147483648"), INT32_MIN, "got %d", f("2147483648"));
    cr_expect_eq(f("99999999999"), 1215752191, "got %d", f("99999999999"));
    cr_expect_eq(crt_errno(), 0, "errno %d", crt_errno());
    cr_expect_eq(f(" \t\n+12x"), 12);
    cr_expect_eq(f("0x12"), 0);
    cr_expect_eq(CRT(atol, atoi_fn)("-99999999999"), -1215752191);
    atoi64_fn g = CRT(_atoi64, atoi64_fn);
    cr_expect_eq(g("99999999999999999999"), INT64_MAX);
    cr_expect_eq(crt_errno(), CRT_ERANGE, "errno %d", crt_errno());
}

Test(crt_conv, strtod_takes_d_exponent_but_not_hex_or_inf)
{
    strtod_fn f = CRT(strtod, strtod_fn);
    char *end;
    const char *s = "1d2";
    cr_expect_eq(f(s, &end), 100.0, "got %g", f(s, &end));
    cr_expect_eq(end, s + 3);
    s = "0x1p3";
    cr_expect_eq(f(s, &end), 0.0);
    cr_expect_eq(end, s + 1, "end at +%td", end - s);
    s = "inf";
    cr_expect_eq(f(s, &end), 0.0);
    cr_expect_eq(end, s);
    s = "1e+";
    cr_expect_eq(f(s, &end), 1.0);
    cr_expect_eq(end, s + 1, "end at +%td", end - s);
    s = " -.5e-1x";
    cr_expect_eq(f(s, &end), -0.05);
    cr_expect_eq(*end, 'x');
    crt_set_errno(0);
    double v = f("1e999", NULL);
    cr_expect(isinf(v));
    cr_expect_eq(crt_errno(), CRT_ERANGE, "errno %d", crt_errno());
    cr_expect_eq(CRT(atof, double (WINAPI *)(const char *))("2.5"), 2.5);
}

Test(crt_conv, itoa_signs_only_radix_ten)
{
    char buf[70];
    itoa_fn f = CRT(_itoa, itoa_fn);
    cr_expect_str_eq(f(-255, buf, 16), "ffffff01");
    cr_expect_str_eq(f(-255, buf, 10), "-255");
    cr_expect_str_eq(f(-255, buf, 2), "11111111111111111111111100000001");
    cr_expect_str_eq(CRT(_ltoa, itoa_fn)(-255, buf, 36), "1z141s1");
    cr_expect_str_eq(CRT(_i64toa, i64toa_fn)(-255, buf, 16), "ffffffffffffff01");
    cr_expect_str_eq(CRT(_ui64toa, i64toa_fn)(-255, buf, 10), "18446744073709551361");
    cr_expect_str_eq(CRT(_ultoa, itoa_fn)(-255, buf, 8), "37777777401");
    cr_expect_str_eq(f(0, buf, 10), "0");
}

Test(crt_conv, ecvt_fcvt_round_the_17_digit_form_half_up)
{
    int dec, sign;
    cvt_fn ecvt = CRT(_ecvt, cvt_fn), fcvt = CRT(_fcvt, cvt_fn);
    cr_expect_str_eq(ecvt(3.14159, 5, &dec, &sign), "31416");
    cr_expect_eq(dec, 1);
    cr_expect_eq(sign, 0);
    cr_expect_str_eq(ecvt(-0.00123, 3, &dec, &sign), "123");
    cr_expect_eq(dec, -2, "decpt %d", dec);
    cr_expect_eq(sign, 1);
    cr_expect_str_eq(ecvt(0.0, 3, &dec, &sign), "000");
    cr_expect_eq(dec, 0);
    cr_expect_str_eq(ecvt(99.99, 1, &dec, &sign), "1");
    cr_expect_eq(dec, 3, "decpt %d", dec);
    cr_expect_str_eq(ecvt(0.125, 2, &dec, &sign), "13"); /* half up, not to even */
    cr_expect_str_eq(ecvt(123456789012345678901.0, 30, &dec, &sign),
                     "123456789012345680000000000000");
    cr_expect_eq(dec, 21);
    cr_expect_str_eq(fcvt(3.14159, 2, &dec, &sign), "314");
    cr_expect_str_eq(fcvt(1234.5, 0, &dec, &sign), "1235");
    cr_expect_str_eq(fcvt(0.0063, 2, &dec, &sign), "1");
    cr_expect_eq(dec, -1, "decpt %d", dec);
    cr_expect_str_eq(fcvt(0.0001, 1, &dec, &sign), "");
    cr_expect_eq(dec, -3, "decpt %d", dec);
    cr_expect_str_eq(fcvt(99.99, 1, &dec, &sign), "1000");
    cr_expect_eq(dec, 3, "decpt %d", dec);
    cr_expect_str_eq(fcvt(-123.0001, -1, &dec, &sign), "12");
}

Test(crt_conv, gcvt_uses_fortran_g_format_with_three_digit_exponent)
{
    char buf[64];
    gcvt_fn f = CRT(_gcvt, gcvt_fn);
    cr_expect_str_eq(f(-1234567890.123, 12, buf), "-1234567890.12");
    cr_expect_str_eq(f(-123456789012.3, 12, buf), "-123456789012");
    cr_expect_str_eq(f(-1234567890123.0, 12, buf), "-1.23456789012e+012");
    cr_expect_str_eq(f(-0.0123456789012, 12, buf), "-1.23456789012e-002");
    cr_expect_str_eq(f(-0.123456789012, 12, buf), "-0.123456789012");
    cr_expect_str_eq(f(1.0, 5, buf), "1.");
    cr_expect_str_eq(f(12345.0, 3, buf), "1.23e+004");
    cr_expect_str_eq(f(123.0, 3, buf), "123");
}

/* ---- multibyte (UTF-8) ---- */
Test(crt_mbcs, mbstowcs_decodes_utf8_with_surrogates)
{
    mbstowcs_fn f = CRT(mbstowcs, mbstowcs_fn);
    WCHAR w[8];
    size_t n = f(w, "a\xc3\xa9\xf0\x9f\x98\x80", 8); /* a, e-acute, U+1F600 */
    cr_expect_eq(n, 4, "got %zu", n);
    cr_expect_eq(w[1], 0xe9);
    cr_expect_eq(w[2], 0xd83d, "high %#x", w[2]);
    cr_expect_eq(w[3], 0xde00, "low %#x", w[3]);
    cr_expect_eq(w[4], 0);
    cr_expect_eq(f(NULL, "a\xc3\xa9", 0), 2);
    crt_set_errno(0);
    cr_expect_eq(f(w, "\xe9x", 8), (size_t)-1);
    cr_expect_eq(crt_errno(), CRT_EILSEQ, "errno %d", crt_errno());
}

Test(crt_mbcs, wcstombs_encodes_utf8_and_does_not_split_characters)
{
    wcstombs_fn f = CRT(wcstombs, wcstombs_fn);
    const WCHAR w[] = {'a', 0x3b1, 0};
    char buf[8];
    cr_expect_eq(f(buf, w, sizeof buf), 3);
    cr_expect_str_eq(buf, "a\xce\xb1");
    memset(buf, 'x', sizeof buf);
    cr_expect_eq(f(buf, w, 2), 1, "stops before the 2-byte character");
    cr_expect_eq(f(NULL, w, 0), 3);
    const WCHAR lone[] = {0xd800, 0};
    cr_expect_eq(f(buf, lone, sizeof buf), (size_t)-1);
}

Test(crt_mbcs, mbtowc_and_mb_cur_max)
{
    mbtowc_fn f = CRT(mbtowc, mbtowc_fn);
    WCHAR c;
    cr_expect_eq(f(&c, "\xce\xb1", 2), 2);
    cr_expect_eq(c, 0x3b1);
    cr_expect_eq(f(&c, "\xce\xb1", 1), -1, "incomplete sequence");
    cr_expect_eq(f(&c, "", 1), 0);
    cr_expect_eq(f(NULL, NULL, 0), 0, "no shift states");
    int (WINAPI *mbmax)(void) = crt_fn("___mb_cur_max_func");
    cr_expect_eq(mbmax(), 4, "MB_CUR_MAX %d", mbmax());
    unsigned (WINAPI *cp)(void) = crt_fn("___lc_codepage_func");
    cr_expect_eq(cp(), 0, "the \"C\" locale reports code page 0: %u", cp());
    char *(WINAPI *setloc)(int, const char *) = crt_fn("setlocale");
    cr_expect_str_eq(setloc(0, NULL), "C");
    cr_expect_str_eq(setloc(0, "German"), "German_Germany.1252");
    cr_expect_eq(mbmax(), 1, "a single-byte locale: MB_CUR_MAX %d", mbmax());
    cr_expect_null(setloc(0, ""), "the ANSI code page, UTF-8, is no msvcrt locale");
    cr_expect_str_eq(setloc(0, "C"), "C");
    cr_expect_eq(mbmax(), 4, "MB_CUR_MAX %d", mbmax());
}
