/* The built-in msvcrt's non-string side, called through its export table entries and
 * checked against Windows msvcrt's results: errno numbering and the Win32/NTSTATUS mappings,
 * strerror/_strerror texts, the heap (_msize exact, realloc(p, 0), _aligned_malloc), the
 * environment copy (getenv/_putenv round trip, case-insensitive names, _environ), qsort and
 * bsearch with a comparator called through thk_call_foreign (msvcrt's order for equal keys),
 * rand after srand(1), ldiv/div, time conversions (gmtime/_mkgmtime round trip, range limits,
 * asctime, strftime formats and errors), math errno and _fpclass, signal/raise (handler run
 * once, then reset), _splitpath/_makepath. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ntemu/ntemu.h"
#include "thunks/msvcrt/msvcrt_lib.h"
#include "thunks/thunks_private.h"

static void *crt_fn(const char *name)
{
    for (const thk_export *e = __start_thk_exports; e < __stop_thk_exports; e++)
        if (strcmp(thk_export_dll(e), "msvcrt.dll") == 0 && strcmp(thk_export_name(e), name) == 0)
            return thk_export_native(e);
    cr_assert_fail("msvcrt!%s is not exported", name);
    return NULL;
}
#define CRT(name, type) ((type)crt_fn(#name))

static int crt_errno(void) { return *crt_errno_ptr(); }

/* ---- errno ---- */
Test(crt_errno, errno_is_per_thread_storage_behind__errno)
{
    int *(WINAPI *errno_fn)(void) = crt_fn("_errno");
    cr_expect_eq(errno_fn(), crt_errno_ptr());
    crt_set_errno(CRT_ERANGE);
    cr_expect_eq(*errno_fn(), 34);
}

Test(crt_errno, unix_and_status_map_to_msvcrt_numbers)
{
    cr_expect_eq(crt_errno_from_unix(2), CRT_ENOENT);
    cr_expect_eq(crt_errno_from_unix(39 /* Linux ENOTEMPTY */), CRT_ENOTEMPTY);
    cr_expect_eq(crt_errno_from_unix(38 /* Linux ENOSYS */), CRT_ENOSYS);
    cr_expect_eq(crt_errno_from_unix(84 /* Linux EILSEQ */), CRT_EILSEQ);
    cr_expect_eq(crt_errno_from_unix(36 /* Linux ENAMETOOLONG */), CRT_ENAMETOOLONG);
    int e = crt_errno_from_status(STATUS_OBJECT_NAME_NOT_FOUND);
    cr_expect_eq(e, CRT_ENOENT, "got %d", e);
    cr_expect_eq(*crt_doserrno_ptr(), ERROR_FILE_NOT_FOUND, "_doserrno %u", *crt_doserrno_ptr());
    e = crt_errno_from_status(STATUS_ACCESS_DENIED);
    cr_expect_eq(e, CRT_EACCES, "got %d", e);
    e = crt_errno_from_status(STATUS_OBJECT_NAME_COLLISION);
    cr_expect_eq(e, CRT_EEXIST, "got %d", e);
    e = crt_errno_from_status(STATUS_INVALID_HANDLE);
    cr_expect_eq(e, CRT_EBADF, "got %d", e);
}

Test(crt_errno, strerror_uses_msvcrt_texts)
{
    char *(WINAPI *f)(int) = crt_fn("strerror");
    cr_expect_str_eq(f(0), "No error");
    cr_expect_str_eq(f(2), "No such file or directory");
    cr_expect_str_eq(f(12), "Not enough space");
    cr_expect_str_eq(f(16), "Resource device");
    cr_expect_str_eq(f(33), "Domain error");
    cr_expect_str_eq(f(34), "Result too large");
    cr_expect_str_eq(f(42), "Illegal byte sequence");
    cr_expect_str_eq(f(43), "Unknown error");
    cr_expect_str_eq(f(80), "Unknown error");
    cr_expect_str_eq(f(-1), "Unknown error");
    const int *nerr = crt_fn("_sys_nerr");
    cr_expect_eq(*nerr, 43);
}

Test(crt_errno, strerror_with_prefix_formats_prefix_colon_message_newline)
{
    char *(WINAPI *f)(const char *) = crt_fn("_strerror");
    crt_set_errno(CRT_ENOENT);
    cr_expect_str_eq(f("open"), "open: No such file or directory\n");
    cr_expect_str_eq(f(NULL), "No such file or directory\n");
}

/* ---- heap ---- */
Test(crt_heap, msize_is_exact_and_blocks_are_16_aligned)
{
    void *(WINAPI *m)(size_t) = crt_fn("malloc");
    void *(WINAPI *re)(void *, size_t) = crt_fn("realloc");
    size_t (WINAPI *ms)(void *) = crt_fn("_msize");
    void (WINAPI *fr)(void *) = crt_fn("free");
    void *p = m(13);
    cr_assert_not_null(p);
    cr_expect_eq((uintptr_t)p % 16, 0, "misaligned %p", p);
    cr_expect_eq(ms(p), 13, "got %zu", ms(p));
    p = re(p, 1000);
    cr_assert_not_null(p);
    cr_expect_eq(ms(p), 1000, "got %zu", ms(p));
    void *z = m(0);
    cr_expect_not_null(z, "malloc(0) gives a block");
    cr_expect_eq(ms(z), 0);
    cr_expect_null(re(z, 0), "realloc(p, 0) frees and returns NULL");
    fr(p);
    fr(NULL);
}

Test(crt_heap, huge_requests_fail_with_enomem)
{
    void *(WINAPI *m)(size_t) = crt_fn("malloc");
    void *(WINAPI *c)(size_t, size_t) = crt_fn("calloc");
    crt_set_errno(0);
    cr_expect_null(m((size_t)-1));
    cr_expect_eq(crt_errno(), CRT_ENOMEM, "errno %d", crt_errno());
    crt_set_errno(0);
    cr_expect_null(c((size_t)1 << 62, 16));
    cr_expect_eq(crt_errno(), CRT_ENOMEM, "errno %d", crt_errno());
}

Test(crt_heap, aligned_malloc_aligns_and_reallocs)
{
    void *(WINAPI *am)(size_t, size_t) = crt_fn("_aligned_malloc");
    void *(WINAPI *ar)(void *, size_t, size_t) = crt_fn("_aligned_realloc");
    void (WINAPI *af)(void *) = crt_fn("_aligned_free");
    char *p = am(100, 256);
    cr_assert_not_null(p);
    cr_expect_eq((uintptr_t)p % 256, 0, "misaligned %p", (void *)p);
    memset(p, 'x', 100);
    p = ar(p, 5000, 256);
    cr_assert_not_null(p);
    cr_expect_eq((uintptr_t)p % 256, 0);
    cr_expect_eq(p[99], 'x');
    af(p);
    crt_set_errno(0);
    cr_expect_null(am(10, 3), "alignment must be a power of two");
    cr_expect_eq(crt_errno(), CRT_EINVAL);
}

Test(crt_heap, recalloc_zeroes_the_new_tail)
{
    void *(WINAPI *m)(size_t) = crt_fn("malloc");
    void *(WINAPI *rc)(void *, size_t, size_t) = crt_fn("_recalloc");
    unsigned char *p = m(4);
    memset(p, 0xaa, 4);
    p = rc(p, 8, 4);
    cr_assert_not_null(p);
    cr_expect_eq(p[3], 0xaa);
    for (int i = 4; i < 32; i++)
        cr_expect_eq(p[i], 0, "byte %d = %#x", i, p[i]);
    CRT(free, void (WINAPI *)(void *))(p);
}

/* ---- environment ---- */
static void crossing_setup(void);
static void crossing_teardown(void);
TestSuite(crt_env, .init = crossing_setup, .fini = crossing_teardown);
static char *test_envp[] = {"PATH=/usr/bin", "Home=/home/x", "NTRUN_A=1", NULL};

Test(crt_env, getenv_putenv_round_trip_case_insensitive)
{
    thk_startup_info.envp = test_envp;
    char *(WINAPI *get)(const char *) = crt_fn("getenv");
    int (WINAPI *put)(const char *) = crt_fn("_putenv");
    cr_expect_str_eq(get("path"), "/usr/bin");
    cr_expect_str_eq(get("HOME"), "/home/x");
    cr_expect_null(get("NTRUN_MISSING"));
    cr_expect_eq(put("ntrun_b=two words"), 0);
    cr_expect_str_eq(get("NTRUN_B"), "two words");
    cr_expect_eq(put("NTRUN_B=three"), 0);
    cr_expect_str_eq(get("ntrun_b"), "three");
    cr_expect_eq(put("NTRUN_B="), 0, "NAME= removes");
    cr_expect_null(get("NTRUN_B"));
    crt_set_errno(0);
    cr_expect_eq(put("NOEQUALS"), -1);
    cr_expect_eq(crt_errno(), CRT_EINVAL);
    cr_expect_eq(put("=x"), -1);
    /* _environ (data export) reflects the changes */
    char ***env = crt_fn("_environ");
    bool found = false;
    cr_expect_eq(put("NTRUN_C=c"), 0);
    for (char **e = *env; *e; e++)
        found |= strcmp(*e, "NTRUN_C=c") == 0;
    cr_expect(found, "NTRUN_C=c in _environ");
}

Test(crt_env, wide_environment_follows_narrow_changes)
{
    thk_startup_info.envp = test_envp;
    WCHAR *(WINAPI *wget)(const WCHAR *) = crt_fn("_wgetenv");
    int (WINAPI *put)(const char *) = crt_fn("_putenv");
    const WCHAR name[] = {'n', 't', 'r', 'u', 'n', '_', 'a', 0};
    WCHAR *v = wget(name);
    cr_assert_not_null(v);
    cr_expect_eq(v[0], '1');
    cr_expect_eq(put("NTRUN_A=\xce\xb1"), 0); /* U+03B1 in UTF-8 */
    v = wget(name);
    cr_assert_not_null(v);
    cr_expect_eq(v[0], 0x3b1, "got %#x", v[0]);
    int (WINAPI *gets)(size_t *, char *, size_t, const char *) = crt_fn("getenv_s");
    size_t need;
    char small[2];
    cr_expect_eq(gets(&need, small, sizeof small, "NTRUN_A"), CRT_ERANGE);
    cr_expect_eq(need, 3, "needed %zu", need);
}

/* ---- qsort / bsearch (comparators are foreign: reached through thk_call_foreign) ---- */
static int comparisons;
static int WINAPI cmp_tens(const void *a, const void *b)
{
    comparisons++;
    return *(const int *)a / 10 - *(const int *)b / 10;
}
static int WINAPI cmp_ctx(void *ctx, const void *a, const void *b)
{
    (*(int *)ctx)++;
    return *(const int *)a - *(const int *)b;
}

static void crossing_setup(void)
{
    cr_assert_eq(rt_process_init(), 0);
    cr_assert_eq(nt_syscalls_init(10), 0);
    cr_assert_eq(thk_init(), 0);
    cr_assert_eq(rt_thread_init_current(), 0);
}
static void crossing_teardown(void) { rt_thread_fini_current(); }
TestSuite(crt_sort, .init = crossing_setup, .fini = crossing_teardown);

Test(crt_sort, qsort_orders_equal_keys_like_msvcrt)
{
    /* keys are the tens digit: many equal keys, so the exact algorithm shows */
    int a[] = {31, 12, 35, 10, 15, 38, 11, 33, 14, 36, 19, 32, 17, 13, 30,
               16, 34, 18, 37, 39, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29};
    const int want[] = {16, 12, 13, 10, 15, 17, 11, 19, 14, 18, 24, 27, 28, 23, 29,
                        22, 25, 26, 21, 20, 39, 37, 34, 30, 32, 36, 33, 38, 35, 31};
    void (WINAPI *qs)(void *, size_t, size_t, const void *) = crt_fn("qsort");
    qs(a, 30, sizeof(int), (const void *)cmp_tens);
    for (int i = 0; i < 30; i++)
        cr_expect_eq(a[i], want[i], "a[%d] = %d, want %d", i, a[i], want[i]);
}

Test(crt_sort, qsort_s_passes_context_and_sorts)
{
    int a[200];
    for (int i = 0; i < 200; i++)
        a[i] = (i * 7919) % 200;
    int calls = 0;
    void (WINAPI *qs)(void *, size_t, size_t, const void *, void *) = crt_fn("qsort_s");
    qs(a, 200, sizeof(int), (const void *)cmp_ctx, &calls);
    for (int i = 0; i < 200; i++)
        cr_expect_eq(a[i], i, "a[%d] = %d", i, a[i]);
    cr_expect_gt(calls, 0);
}

Test(crt_sort, bsearch_picks_msvcrt_element_among_equals)
{
    int b[13];
    for (int i = 0; i < 13; i++)
        b[i] = 5;
    int key = 5;
    void *(WINAPI *bs)(const void *, const void *, size_t, size_t, const void *) =
        crt_fn("bsearch");
    int *f = bs(&key, b, 13, sizeof(int), (const void *)cmp_tens);
    cr_expect_eq(f - b, 6, "found index %td", f - b);
    f = bs(&key, b, 12, sizeof(int), (const void *)cmp_tens);
    cr_expect_eq(f - b, 5, "found index %td", f - b);
    int sorted[] = {10, 20, 30, 40, 50};
    key = 45;
    f = bs(&key, sorted, 5, sizeof(int), (const void *)cmp_tens);
    cr_expect_eq(f, &sorted[3]);
    key = 99;
    cr_expect_null(bs(&key, sorted, 5, sizeof(int), (const void *)cmp_tens));
    cr_expect_null(bs(&key, sorted, 0, sizeof(int), (const void *)cmp_tens));
}

/* ---- rand, div ---- */
Test(crt_misc, rand_after_srand_1_matches_windows_sequence)
{
    void (WINAPI *sr)(uint32_t) = crt_fn("srand");
    int (WINAPI *r)(void) = crt_fn("rand");
    sr(1);
    const int want[] = {41, 18467, 6334, 26500, 19169};
    for (int i = 0; i < 5; i++) {
        int v = r();
        cr_expect_eq(v, want[i], "rand #%d = %d", i, v);
    }
}

typedef struct {
    int32_t quot, rem;
} test_div_t;

Test(crt_misc, ldiv_returns_the_struct_in_rax)
{
    test_div_t (WINAPI *ld)(int32_t, int32_t) = crt_fn("ldiv");
    test_div_t d = ld(-7, 2);
    cr_expect_eq(d.quot, -3, "quot %d", d.quot);
    cr_expect_eq(d.rem, -1, "rem %d", d.rem);
    d = CRT(div, test_div_t (WINAPI *)(int32_t, int32_t))(17, 5);
    cr_expect_eq(d.quot, 3);
    cr_expect_eq(d.rem, 2);
}

Test(crt_misc, rotations_and_abs)
{
    uint32_t (WINAPI *rotl)(uint32_t, int) = crt_fn("_rotl");
    cr_expect_eq(rotl(0x80000001u, 1), 3u);
    cr_expect_eq(CRT(_rotr, uint32_t (WINAPI *)(uint32_t, int))(1, 1), 0x80000000u);
    cr_expect_eq(CRT(labs, int (WINAPI *)(int))(-5), 5);
}

/* ---- time ---- */
typedef struct {
    int32_t tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday, tm_isdst;
} test_tm;

Test(crt_time, gmtime_mkgmtime_round_trip)
{
    test_tm *(WINAPI *gm)(const int64_t *) = crt_fn("_gmtime64");
    int64_t (WINAPI *mkg)(test_tm *) = crt_fn("_mkgmtime64");
    int64_t t = 1700000000; /* 2023-11-14 22:13:20 UTC, a Tuesday */
    test_tm *tm = gm(&t);
    cr_assert_not_null(tm);
    cr_expect_eq(tm->tm_year, 123);
    cr_expect_eq(tm->tm_mon, 10);
    cr_expect_eq(tm->tm_mday, 14);
    cr_expect_eq(tm->tm_hour, 22);
    cr_expect_eq(tm->tm_wday, 2);
    cr_expect_eq(tm->tm_yday, 317, "yday %d", tm->tm_yday);
    test_tm copy = *tm;
    cr_expect_eq(mkg(&copy), t);
    /* normalization: month 13, day 35 of 2000 -> 2001-03-07 */
    test_tm n = {0, 0, 0, 35, 13, 100, 0, 0, 0};
    int64_t v = mkg(&n);
    cr_expect_eq(v, 983923200, "got %lld", (long long)v);
    cr_expect_eq(n.tm_year, 101);
    cr_expect_eq(n.tm_mon, 2);
    cr_expect_eq(n.tm_mday, 7);
    cr_expect_eq(n.tm_wday, 3);
    cr_expect_eq(n.tm_yday, 65);
}

Test(crt_time, mktime_round_trips_local_time)
{
    test_tm *(WINAPI *lt)(const int64_t *) = crt_fn("_localtime64");
    int64_t (WINAPI *mk)(test_tm *) = crt_fn("_mktime64");
    int64_t t = 1234567890;
    test_tm *tm = lt(&t);
    cr_assert_not_null(tm);
    test_tm copy = *tm;
    copy.tm_isdst = -1;
    cr_expect_eq(mk(&copy), t, "mktime(localtime(t)) = %lld", (long long)mk(&copy));
}

Test(crt_time, range_limits_match_msvcrt)
{
    test_tm *(WINAPI *lt)(const int64_t *) = crt_fn("_localtime64");
    test_tm *(WINAPI *gm)(const int64_t *) = crt_fn("_gmtime64");
    int64_t (WINAPI *mkg)(test_tm *) = crt_fn("_mkgmtime64");
    int64_t t = -1;
    crt_set_errno(0);
    cr_expect_null(lt(&t));
    cr_expect_eq(crt_errno(), CRT_EINVAL);
    cr_expect_not_null(gm(&t), "gmtime allows 12 hours before 1970");
    t = 32535215999LL;
    test_tm *tm = gm(&t);
    cr_assert_not_null(tm);
    cr_expect_eq(tm->tm_year, 1100);
    t += 1 + 86400;
    cr_expect_null(gm(&t));
    test_tm before = {0, 0, 23, 31, 11, 69, 0, 0, 0};
    cr_expect_eq(mkg(&before), -1);
    /* localtime and gmtime share one buffer */
    t = 0;
    cr_expect_eq(gm(&t), lt(&t));
}

Test(crt_time, asctime_zero_pads_the_day)
{
    char *(WINAPI *asc)(const test_tm *) = crt_fn("asctime");
    test_tm tm = {5, 3, 2, 2, 0, 80, 3, 1, 0};
    cr_expect_str_eq(asc(&tm), "Wed Jan 02 02:03:05 1980\n");
    tm.tm_mon = 12;
    crt_set_errno(0);
    cr_expect_null(asc(&tm));
    cr_expect_eq(crt_errno(), CRT_EINVAL);
}

Test(crt_time, strftime_c_locale_formats)
{
    size_t (WINAPI *sf)(char *, size_t, const char *, const test_tm *) = crt_fn("strftime");
    test_tm tm = {5, 3, 2, 2, 0, 80, 3, 1, 0};
    char buf[128];
    struct { const char *fmt, *want; } cases[] = {
        {"%a %A %b %B", "Wed Wednesday Jan January"},
        {"%c", "01/02/80 02:03:05"},
        {"%#c", "Wednesday, January 02, 1980 02:03:05"},
        {"%x|%#x|%X", "01/02/80|Wednesday, January 02, 1980|02:03:05"},
        {"%d %H %I %j %m %M %p %S %U %w %W %y %Y",
         "02 02 02 002 01 03 AM 05 00 3 00 80 1980"},
        {"%#d %#H %#I %#j %#m %#M %#S %#U %#w %#W %#y %#Y", "2 2 2 2 1 3 5 0 3 0 80 1980"},
        {"%#p%%%#a", "AM%Wed"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = sf(buf, sizeof buf, cases[i].fmt, &tm);
        cr_expect_str_eq(buf, cases[i].want, "%s", cases[i].fmt);
        cr_expect_eq(n, strlen(cases[i].want), "%s: %zu", cases[i].fmt, n);
    }
}

Test(crt_time, strftime_rejects_c99_conversions_and_bad_fields)
{
    size_t (WINAPI *sf)(char *, size_t, const char *, const test_tm *) = crt_fn("strftime");
    test_tm tm = {5, 3, 2, 2, 0, 80, 3, 1, 0};
    char buf[64];
    const char *bad[] = {"%e", "%D", "%F", "%T", "%n", "%C", "%u", "%r", "abc%"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        strcpy(buf, "XX");
        crt_set_errno(0);
        cr_expect_eq(sf(buf, sizeof buf, bad[i], &tm), 0, "%s", bad[i]);
        cr_expect_str_eq(buf, "", "%s", bad[i]);
        cr_expect_eq(crt_errno(), CRT_EINVAL, "%s: errno %d", bad[i], crt_errno());
    }
    crt_set_errno(0);
    cr_expect_eq(sf(buf, 5, "%A", &tm), 0);
    cr_expect_eq(crt_errno(), CRT_ERANGE, "errno %d", crt_errno());
    tm.tm_hour = 25;
    cr_expect_eq(sf(buf, sizeof buf, "%H", &tm), 0, "hour 25");
    cr_expect_eq(sf(buf, sizeof buf, "%M", &tm), 2, "only the fields used are checked");
}

/* ---- math ---- */
Test(crt_math, errno_edom_and_erange)
{
    double (WINAPI *sq)(double) = crt_fn("sqrt");
    double (WINAPI *lg)(double) = crt_fn("log");
    double (WINAPI *ex)(double) = crt_fn("exp");
    crt_set_errno(0);
    cr_expect(isnan(sq(-1)));
    cr_expect_eq(crt_errno(), CRT_EDOM, "sqrt(-1) errno %d", crt_errno());
    crt_set_errno(0);
    cr_expect(isinf(lg(0)));
    cr_expect_eq(crt_errno(), CRT_ERANGE, "log(0) errno %d", crt_errno());
    crt_set_errno(0);
    cr_expect(isinf(ex(1000)));
    cr_expect_eq(crt_errno(), CRT_ERANGE);
    crt_set_errno(0);
    cr_expect_eq(ex(-1000), 0.0);
    cr_expect_eq(crt_errno(), 0, "underflow leaves errno: %d", crt_errno());
    cr_expect_eq(CRT(pow, double (WINAPI *)(double, double))(2, 10), 1024.0);
}

Test(crt_math, fpclass_and_ieee_helpers)
{
    int (WINAPI *cls)(double) = crt_fn("_fpclass");
    cr_expect_eq(cls(-INFINITY), 0x0004);
    cr_expect_eq(cls(-0.0), 0x0020);
    cr_expect_eq(cls(1.0), 0x0100);
    cr_expect_eq(cls(NAN), 0x0002);
    cr_expect_eq(CRT(_finite, int (WINAPI *)(double))(INFINITY), 0);
    cr_expect_eq(CRT(_isnan, int (WINAPI *)(double))(NAN), 1);
    cr_expect_eq(CRT(_chgsign, double (WINAPI *)(double))(2.0), -2.0);
    unsigned (WINAPI *cfp)(unsigned, unsigned) = crt_fn("_controlfp");
    cr_expect_eq(cfp(0, 0), 0x8001fu, "default control word %#x", cfp(0, 0));
}

/* ---- signal / raise (handlers are foreign: reached through thk_call_foreign) ---- */
static int raised_count, raised_sig;
static void WINAPI on_signal(int sig)
{
    raised_count++;
    raised_sig = sig;
}

Test(crt_sort, raise_calls_the_handler_then_resets_it)
{
    uintptr_t (WINAPI *sig)(int, uintptr_t) = crt_fn("signal");
    int (WINAPI *rs)(int) = crt_fn("raise");
    cr_expect_eq(sig(15 /* SIGTERM */, (uintptr_t)on_signal), 0, "previous was SIG_DFL");
    cr_expect_eq(rs(15), 0);
    cr_expect_eq(raised_count, 1, "handler ran %d times", raised_count);
    cr_expect_eq(raised_sig, 15);
    cr_expect_eq(sig(15, 1 /* SIG_IGN */), 0, "reset to SIG_DFL before the call");
    cr_expect_eq(rs(15), 0, "ignored");
    cr_expect_eq(raised_count, 1);
    crt_set_errno(0);
    cr_expect_eq(sig(99, 0), (uintptr_t)-1, "SIG_ERR for an unknown signal");
    cr_expect_eq(crt_errno(), CRT_EINVAL);
    cr_expect_eq(rs(99), -1);
}

/* ---- _splitpath / _makepath ---- */
Test(crt_misc, splitpath_and_makepath)
{
    void (WINAPI *split)(const char *, char *, char *, char *, char *) = crt_fn("_splitpath");
    void (WINAPI *make)(char *, const char *, const char *, const char *, const char *) =
        crt_fn("_makepath");
    char d[4], dir[64], f[64], x[64], out[128];
    split("C:\\dir\\sub.d/name.tar.gz", d, dir, f, x);
    cr_expect_str_eq(d, "C:");
    cr_expect_str_eq(dir, "\\dir\\sub.d/");
    cr_expect_str_eq(f, "name.tar");
    cr_expect_str_eq(x, ".gz");
    split("dir.x\\", d, dir, f, x);
    cr_expect_str_eq(d, "");
    cr_expect_str_eq(dir, "dir.x\\");
    cr_expect_str_eq(f, "");
    cr_expect_str_eq(x, "");
    make(out, "c", "\\a\\b", "file", "txt");
    cr_expect_str_eq(out, "c:\\a\\b\\file.txt");
    make(out, "c:", "a/", "file", ".txt");
    cr_expect_str_eq(out, "c:a/file.txt");
    int (WINAPI *make_s)(char *, size_t, const char *, const char *, const char *,
                         const char *) = crt_fn("_makepath_s");
    cr_expect_eq(make_s(out, 5, "c", "dir", "f", "e"), CRT_ERANGE);
    cr_expect_str_eq(out, "");
}
