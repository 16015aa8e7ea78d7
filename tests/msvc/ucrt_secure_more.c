/* More of the UCRT's _s functions on bad arguments, with a process invalid-parameter handler
 * that counts its calls: strtok_s and wcstok_s (no context, no delimiters, nothing to go on),
 * mbstowcs_s and wcstombs_s (mismatched buffer and size, no source, a destination too small:
 * ERANGE through the handler; _TRUNCATE: STRUNCATE without it; the size query), getenv_s
 * (validation order: *required cleared, then buffer and size must agree; a buffer too small is ERANGE with the size needed and no handler call, the caller
 * asks again) and _dupenv_s (the outputs cleared before the name is checked). Expected values
 * from the UCRT's documentation of each function and its sources (_VALIDATE_RETURN_ERRCODE,
 * _RESET_STRING, _RETURN_BUFFER_TOO_SMALL, common_getenv_s_nolock). */
#include "ucrt.h"

__declspec(dllimport) int *__cdecl _errno(void);
#define errno (*_errno())
typedef void(__cdecl *iph_t)(const wchar16 *, const wchar16 *, const wchar16 *, unsigned,
                             unsigned long long);
__declspec(dllimport) iph_t __cdecl _set_invalid_parameter_handler(iph_t h);
__declspec(dllimport) char *__cdecl strtok_s(char *s, const char *delim, char **ctx);
__declspec(dllimport) wchar16 *__cdecl wcstok_s(wchar16 *s, const wchar16 *delim,
                                                wchar16 **ctx);
__declspec(dllimport) int __cdecl mbstowcs_s(size_t *ret, wchar16 *d, size_t n, const char *s,
                                             size_t count);
__declspec(dllimport) int __cdecl wcstombs_s(size_t *ret, char *d, size_t n, const wchar16 *s,
                                             size_t count);
__declspec(dllimport) int __cdecl getenv_s(size_t *ret, char *buf, size_t n, const char *name);
__declspec(dllimport) int __cdecl _dupenv_s(char **buf, size_t *n, const char *name);
__declspec(dllimport) int __cdecl _putenv_s(const char *name, const char *value);
__declspec(dllimport) void __cdecl free(void *p);
__declspec(dllimport) int __cdecl strcpy_s(char *d, size_t n, const char *s);

static int calls;
static void __cdecl handler(const wchar16 *e, const wchar16 *f, const wchar16 *file, unsigned line,
                            unsigned long long r)
{
    calls++;
}

static void show(const char *what, long long r, size_t n, const char *buf)
{
    printf("%-40s -> %2lld, errno %2d, calls %d, n %d, [%s]\n", what, r, errno, calls, (int)n,
           buf);
    errno = 0;
}

/* the call first: the arguments of show() are evaluated in no particular order */
#define SHOW(what, call, n, buf)                                                           \
    do {                                                                                   \
        long long r_ = (call);                                                             \
        show(what, r_, n, buf);                                                            \
    } while (0)

static const char *narrow(const wchar16 *w)
{
    static char out[16];
    int i = 0;
    for (; w[i] && i < 15; i++)
        out[i] = (char)w[i];
    out[i] = 0;
    return out;
}

int main(void)
{
    _set_invalid_parameter_handler(handler);
    char buf[8], *ctx = 0, *tok;
    wchar16 wbuf[4], *wctx = 0;
    size_t n;

    printf("strtok_s\n");
    char text[] = "a,b;;c";
    for (tok = strtok_s(text, ",;", &ctx); tok; tok = strtok_s(0, ",;", &ctx))
        printf("  token [%s]\n", tok);
    ctx = 0;
    SHOW("strtok_s(NULL, \",\", &NULL)", strtok_s(0, ",", &ctx) != 0, 0, "");
    SHOW("strtok_s(text, NULL, &ctx)", strtok_s(text, 0, &ctx) != 0, 0, "");
    SHOW("strtok_s(text, \",\", NULL)", strtok_s(text, ",", 0) != 0, 0, "");
    SHOW("wcstok_s(NULL, L\",\", &NULL)", wcstok_s(0, L",", &wctx) != 0, 0, "");

    printf("mbstowcs_s / wcstombs_s\n");
    n = 99;
    wbuf[0] = 'x';
    SHOW("mbstowcs_s(4, \"abcdef\", 5)", mbstowcs_s(&n, wbuf, 4, "abcdef", 5), n, narrow(wbuf));
    n = 99;
    SHOW("mbstowcs_s(4, \"abcdef\", _TRUNCATE)", mbstowcs_s(&n, wbuf, 4, "abcdef", _TRUNCATE), n,
         narrow(wbuf));
    n = 99;
    SHOW("mbstowcs_s(NULL, 0, \"abcdef\", 0)", mbstowcs_s(&n, 0, 0, "abcdef", 0), n, "");
    n = 99;
    SHOW("mbstowcs_s(NULL, 4, \"abc\", 3)", mbstowcs_s(&n, 0, 4, "abc", 3), n, "");
    n = 99;
    wbuf[0] = 'x';
    SHOW("mbstowcs_s(wbuf, 4, NULL, 3)", mbstowcs_s(&n, wbuf, 4, 0, 3), n, narrow(wbuf));
    n = 99;
    SHOW("mbstowcs_s(wbuf, 4, \"ab\", 2)", mbstowcs_s(&n, wbuf, 4, "ab", 2), n, narrow(wbuf));
    n = 99;
    buf[0] = 'x';
    SHOW("wcstombs_s(3, L\"abcd\", 4)", wcstombs_s(&n, buf, 3, L"abcd", 4), n, buf);
    n = 99;
    SHOW("wcstombs_s(3, L\"abcd\", _TRUNCATE)", wcstombs_s(&n, buf, 3, L"abcd", _TRUNCATE), n,
         buf);

    printf("getenv_s / _dupenv_s\n");
    _putenv_s("UCRT_SECURE_VAR", "hello");
    n = 99;
    SHOW("getenv_s(8, set)", getenv_s(&n, buf, 8, "UCRT_SECURE_VAR"), n, buf);
    n = 99;
    SHOW("getenv_s(NULL, 0, set)", getenv_s(&n, 0, 0, "UCRT_SECURE_VAR"), n, "");
    n = 99;
    buf[0] = 'x';
    int r = getenv_s(&n, buf, 3, "UCRT_SECURE_VAR");
    printf("%-40s -> %2d, calls %d, n %d, [%s]\n", "getenv_s(3, set)", r, calls, (int)n, buf);
    errno = 0;
    n = 99;
    SHOW("getenv_s(8, unset)", getenv_s(&n, buf, 8, "UCRT_SECURE_UNSET"), n, buf);
    SHOW("getenv_s(NULL ret)", getenv_s(0, buf, 8, "UCRT_SECURE_VAR"), 0, "");
    n = 99;
    strcpy_s(buf, 8, "keep");
    SHOW("getenv_s(buf, 0)", getenv_s(&n, buf, 0, "UCRT_SECURE_VAR"), n, buf);
    n = 99;
    SHOW("getenv_s(NULL, 8)", getenv_s(&n, 0, 8, "UCRT_SECURE_VAR"), n, "");

    char *p = (char *)1;
    n = 99;
    r = _dupenv_s(&p, &n, "UCRT_SECURE_VAR");
    SHOW("_dupenv_s(set)", r, n, p ? p : "(null)");
    free(p);
    p = (char *)1;
    n = 99;
    SHOW("_dupenv_s(unset)", _dupenv_s(&p, &n, "UCRT_SECURE_UNSET"), n, p ? "set" : "(null)");
    n = 99;
    SHOW("_dupenv_s(NULL, &n, name)", _dupenv_s(0, &n, "UCRT_SECURE_VAR"), n, "");
    p = (char *)1;
    n = 99;
    SHOW("_dupenv_s(&p, &n, NULL)", _dupenv_s(&p, &n, 0), n, p ? "set" : "(null)");
    return 0;
}
