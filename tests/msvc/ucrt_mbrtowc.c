/* UCRT exports the C++ library and Rust/C programs import beyond the basics: mbrtowc, mbrlen
 * and wcrtomb with a state across calls (a UTF-8 character split over calls, a surrogate pair
 * given to wcrtomb one unit at a time, a single-byte locale), rand_s, __strncnt, _pipe (both
 * ends as fds, data through them), _Strftime and _Wcsftime (msvcp140's time_put), and
 * vcruntime's __AdjustPointer (a sub-object through a virtual base table). Expected values: the
 * C standard's mbrtowc/wcrtomb contract and the UCRT documentation; Wine 8.0's ucrtbase prints
 * the same from ".1252" on, but answers ".utf8" with "English_United States.65001" and does not
 * convert UTF-8 in mbrtowc/mbrlen/wcrtomb (every byte U+FFFD, 1 byte at a time). In 1252
 * wcrtomb gives U+0100 its best fit 'A', as WideCharToMultiByte does without
 * WC_NO_BEST_FIT_CHARS (Wine agrees; Windows' hand-picked best fits such as U+03B1 -> 'a',
 * which ntrun's decomposition-derived tables lack, are not asserted). */
#include "ucrt.h"

typedef struct { unsigned wchar; unsigned short bytes, state; } mbstate_t;
struct tm { int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday, tm_isdst; };
typedef struct { int mdisp, pdisp, vdisp; } PMD;
__declspec(dllimport) size_t __cdecl mbrtowc(wchar16 *dst, const char *s, size_t n, mbstate_t *st);
__declspec(dllimport) size_t __cdecl mbrlen(const char *s, size_t n, mbstate_t *st);
__declspec(dllimport) size_t __cdecl wcrtomb(char *s, wchar16 wc, mbstate_t *st);
__declspec(dllimport) char *__cdecl setlocale(int cat, const char *name);
__declspec(dllimport) int *__cdecl _errno(void);
__declspec(dllimport) int __cdecl rand_s(unsigned *r);
__declspec(dllimport) size_t __cdecl __strncnt(const char *s, size_t n);
__declspec(dllimport) int __cdecl _pipe(int *fds, unsigned size, int mode);
__declspec(dllimport) int __cdecl _write(int fd, const void *b, unsigned n);
__declspec(dllimport) int __cdecl _read(int fd, void *b, unsigned n);
__declspec(dllimport) int __cdecl _close(int fd);
__declspec(dllimport) size_t __cdecl _Strftime(char *b, size_t n, const char *f, const struct tm *t, void *lc);
__declspec(dllimport) size_t __cdecl _Wcsftime(wchar16 *b, size_t n, const wchar16 *f, const struct tm *t, void *lc);
__declspec(dllimport) void *__cdecl __AdjustPointer(void *obj, const PMD *pmd);

static void mb(const char *what, const char *s, size_t n, mbstate_t *st)
{
    wchar16 w = 0xcccc;
    *_errno() = 0;
    size_t r = mbrtowc(&w, s, n, st);
    printf("  %s: %d %04x errno %d, pending %u\n", what, (int)r, w, *_errno(), st->bytes);
}

static void wc(const char *what, wchar16 c, mbstate_t *st)
{
    unsigned char b[8] = {0};
    *_errno() = 0;
    size_t r = wcrtomb((char *)b, c, st);
    printf("  %s: %d", what, (int)r);
    for (size_t i = 0; i < r && r <= 4; i++)
        printf(" %02x", b[i]);
    printf(" errno %d\n", *_errno());
}

int main(void)
{
    mbstate_t st = {0};
    printf("%s\n", setlocale(0, ".utf8"));
    mb("e-acute whole", "\xc3\xa9", 2, &st);
    mb("euro, first byte", "\xe2", 1, &st);
    mb("euro, second byte", "\x82", 1, &st);
    mb("euro, last byte", "\xac" "z", 2, &st);
    mb("stray continuation", "\x80", 1, &st);
    mb("n = 0", "a", 0, &st);
    mb("NUL", "", 1, &st);
    int l3 = (int)mbrlen("\xe2\x82\xac", 3, 0);
    int l2 = (int)mbrlen("\xe2\x82", 2, 0);
    int l1 = (int)mbrlen("\xac", 1, 0);
    printf("  mbrlen(3-byte char, 3) %d, (2) %d, then (1) %d\n", l3, l2, l1);
    wc("e-acute", 0xe9, &st);
    wc("high surrogate", 0xd83d, &st);
    wc("low surrogate", 0xde00, &st);
    wc("lone low surrogate", 0xde00, &st);
    printf("  wcrtomb(NULL) %d\n", (int)wcrtomb(0, 'x', &st));
    printf("%s\n", setlocale(0, ".1252"));
    mb("0x80", "\x80", 1, &st);
    wc("euro", 0x20ac, &st);
    wc("A-macron", 0x100, &st);
    setlocale(0, "C");

    unsigned r1 = 0, r2 = 0;
    int a = rand_s(&r1), b = rand_s(&r2);
    printf("rand_s %d %d, differ %d\n", a, b, r1 != r2);
    printf("__strncnt %d %d %d\n", (int)__strncnt("hello", 10), (int)__strncnt("hello", 3),
           (int)__strncnt("", 4));

    int fds[2] = {-1, -1};
    int p = _pipe(fds, 4096, 0x8000 /* _O_BINARY */);
    char buf[16] = {0};
    int w = _write(fds[1], "ping\n", 5);
    int rd = _read(fds[0], buf, sizeof buf - 1);
    printf("_pipe %d, fds distinct %d, write %d read %d \"%.4s\"\n", p, fds[0] != fds[1], w, rd,
           buf);
    _close(fds[1]);
    printf("after closing the write end: read %d\n", _read(fds[0], buf, sizeof buf));
    _close(fds[0]);

    struct tm t = {7, 6, 15, 4, 2, 126, 3, 62, 0};
    char out[64];
    wchar16 wout[64];
    static const wchar16 wfmt[] = {'%', 'A', ' ', '%', 'B', ' ', '%', 'd', 0};
    size_t n = _Strftime(out, sizeof out, "%a %b %d %H:%M:%S %Y", &t, 0);
    size_t wn = _Wcsftime(wout, 64, wfmt, &t, 0);
    char narrow[64];
    size_t k = 0;
    for (; k < wn && k < sizeof narrow - 1; k++)
        narrow[k] = (char)wout[k];
    narrow[k] = 0;
    printf("_Strftime %d \"%s\", _Wcsftime %d \"%s\"\n", (int)n, out, (int)wn, narrow);

    /* an object with a virtual base: the vbtable (at +8) gives the base's offset (+24) */
    long long obj[5] = {0};
    int vbtable[2] = {-8, 24};
    obj[1] = (long long)vbtable;
    PMD direct = {16, -1, 0}, virt = {4, 8, 4};
    printf("__AdjustPointer: direct +%d, virtual base +%d\n",
           (int)((char *)__AdjustPointer(obj, &direct) - (char *)obj),
           (int)((char *)__AdjustPointer(obj, &virt) - (char *)obj));
    return 0;
}
