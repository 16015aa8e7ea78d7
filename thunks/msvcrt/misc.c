/* SPDX-License-Identifier: MIT */
/* msvcrt odds and ends: qsort/qsort_s, bsearch/bsearch_s, _lfind/_lsearch (the comparators
 * are foreign functions, called through thk_call_foreign), rand/srand (msvcrt's LCG, per
 * thread), abs/labs/_abs64, div/ldiv, _rotl/_rotr and friends, _getpid, _sleep,
 * _splitpath/_makepath.
 *
 * qsort follows msvcrt's algorithm step for step (median-of-three quicksort, a selection
 * "short sort" for 8 elements or fewer, the smaller partition first), so that elements that
 * compare equal end up in the same order as on Windows. */
#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include "thunks/msvcrt/msvcrt_lib.h"

/* ---- comparators ---- */
typedef struct crt_cmp {
    const void *fn;
    void *ctx;
    bool with_ctx; /* qsort_s/bsearch_s: fn(ctx, a, b) */
} crt_cmp;

static int crt_compare(const crt_cmp *c, const void *a, const void *b)
{
    uint64_t r = c->with_ctx
                     ? thk_call_foreign3(c->fn, (uint64_t)(uintptr_t)c->ctx, (uint64_t)(uintptr_t)a,
                                         (uint64_t)(uintptr_t)b)
                     : thk_call_foreign2(c->fn, (uint64_t)(uintptr_t)a, (uint64_t)(uintptr_t)b);
    return (int32_t)r;
}

static void crt_swap(char *a, char *b, size_t width)
{
    if (a == b)
        return;
    while (width--) {
        char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

/* Selection sort: repeatedly move the largest element of lo..hi to hi. */
static void crt_shortsort(char *lo, char *hi, size_t width, const crt_cmp *c)
{
    while (hi > lo) {
        char *max = lo;
        for (char *p = lo + width; p <= hi; p += width)
            if (crt_compare(c, p, max) > 0)
                max = p;
        crt_swap(max, hi, width);
        hi -= width;
    }
}

#define CRT_QSORT_CUTOFF 8
#define CRT_QSORT_STACK (8 * sizeof(void *) - 2)

static void crt_qsort(void *base, size_t num, size_t width, const crt_cmp *c)
{
    char *lostk[CRT_QSORT_STACK], *histk[CRT_QSORT_STACK];
    int sp = 0;
    if (num < 2 || !width)
        return;
    char *lo = base, *hi = (char *)base + width * (num - 1);
    for (;;) {
        size_t size = (size_t)(hi - lo) / width + 1;
        if (size <= CRT_QSORT_CUTOFF) {
            crt_shortsort(lo, hi, width, c);
        } else {
            char *mid = lo + (size / 2) * width;
            /* order lo, mid, hi */
            if (crt_compare(c, lo, mid) > 0)
                crt_swap(lo, mid, width);
            if (crt_compare(c, lo, hi) > 0)
                crt_swap(lo, hi, width);
            if (crt_compare(c, mid, hi) > 0)
                crt_swap(mid, hi, width);
            char *loguy = lo, *higuy = hi;
            for (;;) {
                if (mid > loguy) {
                    do
                        loguy += width;
                    while (loguy < mid && crt_compare(c, loguy, mid) <= 0);
                }
                if (mid <= loguy) {
                    do
                        loguy += width;
                    while (loguy <= hi && crt_compare(c, loguy, mid) <= 0);
                }
                do
                    higuy -= width;
                while (higuy > mid && crt_compare(c, higuy, mid) > 0);
                if (higuy < loguy)
                    break;
                crt_swap(loguy, higuy, width);
                if (mid == higuy) /* the partition element moved */
                    mid = loguy;
            }
            /* skip the elements equal to the partition element on the low side */
            higuy += width;
            if (mid < higuy) {
                do
                    higuy -= width;
                while (higuy > mid && crt_compare(c, higuy, mid) == 0);
            }
            if (mid >= higuy) {
                do
                    higuy -= width;
                while (higuy > lo && crt_compare(c, higuy, mid) == 0);
            }
            /* lo..higuy and loguy..hi remain: push the larger, loop on the smaller */
            if (higuy - lo >= hi - loguy) {
                if (lo < higuy) {
                    lostk[sp] = lo;
                    histk[sp] = higuy;
                    ++sp;
                }
                if (loguy < hi) {
                    lo = loguy;
                    continue;
                }
            } else {
                if (loguy < hi) {
                    lostk[sp] = loguy;
                    histk[sp] = hi;
                    ++sp;
                }
                if (lo < higuy) {
                    hi = higuy;
                    continue;
                }
            }
        }
        if (--sp < 0)
            return;
        lo = lostk[sp];
        hi = histk[sp];
    }
}

static void WINAPI msvcrt_qsort(void *base, size_t num, size_t width, const void *cmp)
{
    crt_cmp c = {cmp, NULL, false};
    crt_qsort(base, num, width, &c);
}
THK_EXPORT_AS(msvcrt, qsort, msvcrt_qsort, 4);

static void WINAPI msvcrt_qsort_s(void *base, size_t num, size_t width, const void *cmp,
                                  void *ctx)
{
    if ((!base && num) || !cmp) {
        crt_set_errno(CRT_EINVAL);
        return;
    }
    crt_cmp c = {cmp, ctx, true};
    crt_qsort(base, num, width, &c);
}
THK_EXPORT_AS(msvcrt, qsort_s, msvcrt_qsort_s, 5);

/* msvcrt's bsearch: halves with an odd/even rule, which decides which of several equal
 * elements is found. */
static void *crt_bsearch(const void *key, const void *base, size_t num, size_t width,
                         const crt_cmp *c)
{
    if (!num)
        return NULL;
    const char *lo = base, *hi = (const char *)base + (num - 1) * width;
    while (lo <= hi) {
        size_t half = num / 2;
        if (half) {
            const char *mid = lo + ((num & 1) ? half : half - 1) * width;
            int r = crt_compare(c, key, mid);
            if (!r)
                return (void *)mid;
            if (r < 0) {
                hi = mid - width;
                num = (num & 1) ? half : half - 1;
            } else {
                lo = mid + width;
                num = half;
            }
        } else if (num) {
            return crt_compare(c, key, lo) ? NULL : (void *)lo;
        } else {
            break;
        }
    }
    return NULL;
}

static void *WINAPI msvcrt_bsearch(const void *key, const void *base, size_t num, size_t width,
                                   const void *cmp)
{
    crt_cmp c = {cmp, NULL, false};
    return crt_bsearch(key, base, num, width, &c);
}
THK_EXPORT_AS(msvcrt, bsearch, msvcrt_bsearch, 5);

static void *WINAPI msvcrt_bsearch_s(const void *key, const void *base, size_t num,
                                     size_t width, const void *cmp, void *ctx)
{
    if (!cmp || (!base && num)) {
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    crt_cmp c = {cmp, ctx, true};
    return crt_bsearch(key, base, num, width, &c);
}
THK_EXPORT_AS(msvcrt, bsearch_s, msvcrt_bsearch_s, 6);

/* _lfind/_lsearch: linear search with a comparator that returns 0 on a match; _lsearch
 * appends the key (and bumps *num) when it is not there. */
static void *crt_lfind(const void *key, const void *base, uint32_t *num, size_t width,
                       const crt_cmp *c)
{
    const char *p = base;
    for (uint32_t i = 0; i < *num; i++, p += width)
        if (crt_compare(c, key, p) == 0)
            return (void *)p;
    return NULL;
}

static void *WINAPI msvcrt__lfind(const void *key, const void *base, uint32_t *num,
                                  uint32_t width, const void *cmp)
{
    crt_cmp c = {cmp, NULL, false};
    return crt_lfind(key, base, num, width, &c);
}
THK_EXPORT_AS(msvcrt, _lfind, msvcrt__lfind, 5);

static void *WINAPI msvcrt__lfind_s(const void *key, const void *base, uint32_t *num,
                                    size_t width, const void *cmp, void *ctx)
{
    if (!key || !num || !cmp || (!base && *num)) {
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    crt_cmp c = {cmp, ctx, true};
    return crt_lfind(key, base, num, width, &c);
}
THK_EXPORT_AS(msvcrt, _lfind_s, msvcrt__lfind_s, 6);

static void *crt_lsearch(const void *key, void *base, uint32_t *num, size_t width,
                         const crt_cmp *c)
{
    void *p = crt_lfind(key, base, num, width, c);
    if (p)
        return p;
    p = (char *)base + (size_t)*num * width;
    memcpy(p, key, width);
    (*num)++;
    return p;
}

static void *WINAPI msvcrt__lsearch(const void *key, void *base, uint32_t *num, uint32_t width,
                                    const void *cmp)
{
    crt_cmp c = {cmp, NULL, false};
    return crt_lsearch(key, base, num, width, &c);
}
THK_EXPORT_AS(msvcrt, _lsearch, msvcrt__lsearch, 5);

static void *WINAPI msvcrt__lsearch_s(const void *key, void *base, uint32_t *num,
                                      size_t width, const void *cmp, void *ctx)
{
    if (!key || !num || !cmp || (!base && *num)) {
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    crt_cmp c = {cmp, ctx, true};
    return crt_lsearch(key, base, num, width, &c);
}
THK_EXPORT_AS(msvcrt, _lsearch_s, msvcrt__lsearch_s, 6);

/* ---- rand: msvcrt's LCG, one seed per thread starting at 1 ---- */
static __thread uint32_t crt_rand_seed = 1;
static void WINAPI msvcrt_srand(uint32_t seed) { crt_rand_seed = seed; }
THK_EXPORT_AS(msvcrt, srand, msvcrt_srand, 1);
static int WINAPI msvcrt_rand(void)
{
    crt_rand_seed = crt_rand_seed * 214013u + 2531011u;
    return (int)((crt_rand_seed >> 16) & 0x7fff);
}
THK_EXPORT_AS(msvcrt, rand, msvcrt_rand, 0);

/* rand_s: a random unsigned int from the kernel (RtlGenRandom on Windows); EINVAL for NULL. */
static int WINAPI msvcrt_rand_s(uint32_t *out)
{
    if (!out) {
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    uint32_t v = 0;
    while (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v)
        if (errno != EINTR && errno != EAGAIN)
            break;
    *out = v;
    return 0;
}
THK_EXPORT_AS(msvcrt, rand_s, msvcrt_rand_s, 1);

/* ---- integer arithmetic ---- */
static int WINAPI msvcrt_abs(int v) { return v < 0 ? (int)(0u - (unsigned)v) : v; }
THK_EXPORT_AS(msvcrt, abs, msvcrt_abs, 1);
THK_EXPORT_AS(msvcrt, labs, msvcrt_abs, 1);
static int64_t WINAPI msvcrt__abs64(int64_t v) { return v < 0 ? (int64_t)(0ull - (uint64_t)v) : v; }
THK_EXPORT_AS(msvcrt, _abs64, msvcrt__abs64, 1);

/* div_t / ldiv_t are two 32-bit ints: 8 bytes, returned in RAX under the Windows ABI.
 * Dividing by zero (or INT_MIN by -1) raises an exception on Windows; here it must not
 * bring the runtime down, so those give a zero quotient and remainder. */
typedef struct crt_div {
    int32_t quot;
    int32_t rem;
} crt_div;
_Static_assert(sizeof(crt_div) == 8, "div_t");
static crt_div WINAPI msvcrt_div(int32_t num, int32_t den)
{
    crt_div r = {0, 0};
    if (den != 0 && !(den == -1 && num == INT32_MIN)) {
        r.quot = num / den;
        r.rem = num % den;
    } else if (den == -1) {
        r.quot = INT32_MIN;
    }
    return r;
}
THK_EXPORT_AS(msvcrt, div, msvcrt_div, 2);
THK_EXPORT_AS(msvcrt, ldiv, msvcrt_div, 2);

static uint32_t WINAPI msvcrt__rotl(uint32_t v, int shift)
{
    shift &= 31;
    return shift ? (v << shift) | (v >> (32 - shift)) : v;
}
THK_EXPORT_AS(msvcrt, _rotl, msvcrt__rotl, 2);
THK_EXPORT_AS(msvcrt, _lrotl, msvcrt__rotl, 2);
static uint32_t WINAPI msvcrt__rotr(uint32_t v, int shift)
{
    shift &= 31;
    return shift ? (v >> shift) | (v << (32 - shift)) : v;
}
THK_EXPORT_AS(msvcrt, _rotr, msvcrt__rotr, 2);
THK_EXPORT_AS(msvcrt, _lrotr, msvcrt__rotr, 2);
static uint64_t WINAPI msvcrt__rotl64(uint64_t v, int shift)
{
    shift &= 63;
    return shift ? (v << shift) | (v >> (64 - shift)) : v;
}
THK_EXPORT_AS(msvcrt, _rotl64, msvcrt__rotl64, 2);
static uint64_t WINAPI msvcrt__rotr64(uint64_t v, int shift)
{
    shift &= 63;
    return shift ? (v >> shift) | (v << (64 - shift)) : v;
}
THK_EXPORT_AS(msvcrt, _rotr64, msvcrt__rotr64, 2);

/* ---- process ---- */
static int WINAPI msvcrt__getpid(void) { return (int)getpid(); }
THK_EXPORT_AS(msvcrt, _getpid, msvcrt__getpid, 0);

static void WINAPI msvcrt__sleep(uint32_t ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}
THK_EXPORT_AS(msvcrt, _sleep, msvcrt__sleep, 1);

/* ---- _splitpath / _makepath ---- */
#define CRT_MAX_DRIVE 3
#define CRT_MAX_DIR 256
#define CRT_MAX_FNAME 256
#define CRT_MAX_EXT 256

/* "C:\dir\sub\name.ext" -> "C:", "\dir\sub\", "name", ".ext": [start, end) of each part. The
 * extension starts at the last '.' after the last separator. */
typedef struct crt_split {
    size_t start[4], len[4]; /* drive, dir, fname, ext */
} crt_split;

static void crt_split_path(const void *path, bool wide, crt_split *sp)
{
#define CRT_AT(i) (wide ? ((const uint16_t *)path)[i] : ((const uint8_t *)path)[i])
    size_t i = 0, n = 0;
    while (CRT_AT(n))
        n++;
    memset(sp, 0, sizeof *sp);
    if (n >= 2 && CRT_AT(1) == ':') {
        sp->len[0] = 2;
        i = 2;
    }
    size_t last_sep = (size_t)-1, last_dot = (size_t)-1;
    for (size_t k = i; k < n; k++) {
        if (CRT_AT(k) == '/' || CRT_AT(k) == '\\')
            last_sep = k;
        else if (CRT_AT(k) == '.')
            last_dot = k;
    }
#undef CRT_AT
    size_t name = last_sep == (size_t)-1 ? i : last_sep + 1;
    sp->start[1] = i;
    sp->len[1] = name - i;
    sp->start[2] = name;
    if (last_dot != (size_t)-1 && last_dot >= name) {
        sp->len[2] = last_dot - name;
        sp->start[3] = last_dot;
        sp->len[3] = n - last_dot;
    } else {
        sp->len[2] = n - name;
        sp->start[3] = n;
    }
}

/* Copies part k into dst (cap units); false when it does not fit. */
static bool crt_split_copy(const void *path, bool wide, const crt_split *sp, int k, void *dst,
                           size_t cap)
{
    if (!dst)
        return true;
    size_t len = sp->len[k];
    bool fits = len < cap;
    if (!fits)
        len = cap ? cap - 1 : 0;
    size_t unit = wide ? 2 : 1;
    if (cap) {
        memcpy(dst, (const char *)path + sp->start[k] * unit, len * unit);
        memset((char *)dst + len * unit, 0, unit);
    }
    return fits;
}

static void WINAPI msvcrt__splitpath(const char *path, char *drive, char *dir, char *fname,
                                     char *ext)
{
    crt_split sp;
    crt_split_path(path, false, &sp);
    crt_split_copy(path, false, &sp, 0, drive, CRT_MAX_DRIVE);
    crt_split_copy(path, false, &sp, 1, dir, CRT_MAX_DIR);
    crt_split_copy(path, false, &sp, 2, fname, CRT_MAX_FNAME);
    crt_split_copy(path, false, &sp, 3, ext, CRT_MAX_EXT);
}
THK_EXPORT_AS(msvcrt, _splitpath, msvcrt__splitpath, 5);

static void WINAPI msvcrt__wsplitpath(const WCHAR *path, WCHAR *drive, WCHAR *dir, WCHAR *fname,
                                      WCHAR *ext)
{
    crt_split sp;
    crt_split_path(path, true, &sp);
    crt_split_copy(path, true, &sp, 0, drive, CRT_MAX_DRIVE);
    crt_split_copy(path, true, &sp, 1, dir, CRT_MAX_DIR);
    crt_split_copy(path, true, &sp, 2, fname, CRT_MAX_FNAME);
    crt_split_copy(path, true, &sp, 3, ext, CRT_MAX_EXT);
}
THK_EXPORT_AS(msvcrt, _wsplitpath, msvcrt__wsplitpath, 5);

/* _splitpath_s: a buffer and its size for each part (NULL and 0 to skip it); EINVAL for a
 * mismatched pair, ERANGE (and every part emptied) when a part does not fit. */
static int crt_splitpath_s(const void *path, bool wide, void *parts[4], const size_t caps[4])
{
    bool bad = !path;
    for (int k = 0; k < 4; k++)
        bad |= (!parts[k]) != (!caps[k]);
    int err = 0;
    if (!bad) {
        crt_split sp;
        crt_split_path(path, wide, &sp);
        for (int k = 0; k < 4 && !err; k++)
            if (!crt_split_copy(path, wide, &sp, k, parts[k], caps[k]))
                err = CRT_ERANGE;
    } else {
        err = CRT_EINVAL;
    }
    if (err) {
        for (int k = 0; k < 4; k++)
            if (parts[k] && caps[k])
                memset(parts[k], 0, wide ? 2 : 1);
        crt_set_errno(err);
    }
    return err;
}

static int WINAPI msvcrt__splitpath_s(const char *path, char *drive, size_t ndrive, char *dir,
                                      size_t ndir, char *fname, size_t nfname, char *ext,
                                      size_t next)
{
    void *parts[4] = {drive, dir, fname, ext};
    size_t caps[4] = {ndrive, ndir, nfname, next};
    return crt_splitpath_s(path, false, parts, caps);
}
THK_EXPORT_AS(msvcrt, _splitpath_s, msvcrt__splitpath_s, 9);

static int WINAPI msvcrt__wsplitpath_s(const WCHAR *path, WCHAR *drive, size_t ndrive, WCHAR *dir,
                                       size_t ndir, WCHAR *fname, size_t nfname, WCHAR *ext,
                                       size_t next)
{
    void *parts[4] = {drive, dir, fname, ext};
    size_t caps[4] = {ndrive, ndir, nfname, next};
    return crt_splitpath_s(path, true, parts, caps);
}
THK_EXPORT_AS(msvcrt, _wsplitpath_s, msvcrt__wsplitpath_s, 9);

/* _makepath: "d:" + dir (a '\' added unless it ends in '/' or '\') + fname + ext (a '.'
 * added unless it has one). Units written, or -1 when more than cap would be needed. */
static ptrdiff_t crt_make_path(void *out, size_t cap, bool wide, const void *drive,
                               const void *dir, const void *fname, const void *ext)
{
    size_t o = 0;
    bool over = false;
#define CRT_GET(p, i) (wide ? ((const uint16_t *)(p))[i] : ((const uint8_t *)(p))[i])
#define CRT_PUT(ch)                                                                            \
    do {                                                                                       \
        if (o + 1 >= cap) {                                                                    \
            over = true;                                                                       \
        } else if (wide) {                                                                     \
            ((uint16_t *)out)[o++] = (uint16_t)(ch);                                           \
        } else {                                                                               \
            ((uint8_t *)out)[o++] = (uint8_t)(ch);                                             \
        }                                                                                      \
    } while (0)
    if (drive && CRT_GET(drive, 0)) {
        CRT_PUT(CRT_GET(drive, 0));
        CRT_PUT(':');
    }
    if (dir && CRT_GET(dir, 0)) {
        size_t i = 0;
        for (; CRT_GET(dir, i); i++)
            CRT_PUT(CRT_GET(dir, i));
        unsigned last = CRT_GET(dir, i - 1);
        if (last != '/' && last != '\\')
            CRT_PUT('\\');
    }
    for (size_t i = 0; fname && CRT_GET(fname, i); i++)
        CRT_PUT(CRT_GET(fname, i));
    if (ext && CRT_GET(ext, 0)) {
        if (CRT_GET(ext, 0) != '.')
            CRT_PUT('.');
        for (size_t i = 0; CRT_GET(ext, i); i++)
            CRT_PUT(CRT_GET(ext, i));
    }
#undef CRT_PUT
#undef CRT_GET
    if (wide)
        ((uint16_t *)out)[o] = 0;
    else
        ((uint8_t *)out)[o] = 0;
    return over ? -1 : (ptrdiff_t)o;
}

static void WINAPI msvcrt__makepath(char *path, const char *drive, const char *dir,
                                    const char *fname, const char *ext)
{
    crt_make_path(path, (size_t)-1, false, drive, dir, fname, ext);
}
THK_EXPORT_AS(msvcrt, _makepath, msvcrt__makepath, 5);

static void WINAPI msvcrt__wmakepath(WCHAR *path, const WCHAR *drive, const WCHAR *dir,
                                     const WCHAR *fname, const WCHAR *ext)
{
    crt_make_path(path, (size_t)-1, true, drive, dir, fname, ext);
}
THK_EXPORT_AS(msvcrt, _wmakepath, msvcrt__wmakepath, 5);

static int crt_makepath_s(void *path, size_t size, bool wide, const void *drive,
                          const void *dir, const void *fname, const void *ext)
{
    if (!path || !size) {
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    if (crt_make_path(path, size, wide, drive, dir, fname, ext) < 0) {
        memset(path, 0, wide ? 2 : 1);
        crt_set_errno(CRT_ERANGE);
        return CRT_ERANGE;
    }
    return 0;
}

static int WINAPI msvcrt__makepath_s(char *path, size_t size, const char *drive,
                                     const char *dir, const char *fname, const char *ext)
{
    return crt_makepath_s(path, size, false, drive, dir, fname, ext);
}
THK_EXPORT_AS(msvcrt, _makepath_s, msvcrt__makepath_s, 6);

static int WINAPI msvcrt__wmakepath_s(WCHAR *path, size_t size, const WCHAR *drive,
                                      const WCHAR *dir, const WCHAR *fname, const WCHAR *ext)
{
    return crt_makepath_s(path, size, true, drive, dir, fname, ext);
}
THK_EXPORT_AS(msvcrt, _wmakepath_s, msvcrt__wmakepath_s, 6);

/* ---- threads and error mode ---- */
static uint32_t WINAPI msvcrt___threadid(void)
{
    TEB *teb = rt_current_teb();
    return teb ? (uint32_t)(uintptr_t)teb->ClientId.UniqueThread : 0;
}
THK_EXPORT_AS(msvcrt, __threadid, msvcrt___threadid, 0);
static HANDLE WINAPI msvcrt___threadhandle(void) { return (HANDLE)(intptr_t)-2; }
THK_EXPORT_AS(msvcrt, __threadhandle, msvcrt___threadhandle, 0);

/* _set_error_mode: where run-time error messages go; _REPORT_ERRMODE (3) queries. */
static int crt_error_mode;
static int WINAPI msvcrt__set_error_mode(int mode)
{
    int old = crt_error_mode;
    if (mode >= 0 && mode <= 2)
        crt_error_mode = mode;
    else if (mode != 3) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    return old;
}
THK_EXPORT_AS(msvcrt, _set_error_mode, msvcrt__set_error_mode, 1);
