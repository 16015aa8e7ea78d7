/* The UCRT's _s functions on bad arguments: each failure calls the invalid-parameter handler
 * (the thread's own when one is set, else the process's), sets errno, returns EINVAL or ERANGE
 * and clears the destination as the UCRT does (the first character of a string; all of
 * memcpy_s's destination; nothing for memmove_s). A _TRUNCATE copy that cuts returns STRUNCATE
 * without a handler call. With no handler left, the next failure ends the process with
 * __fastfail(FAST_FAIL_INVALID_ARG): exit status 0xC0000409 (9 in the low 8 bits), buffered
 * output lost (Windows 8 and later; Windows 7's _invoke_watson raised
 * STATUS_INVALID_CRUNTIME_PARAMETER, 0xC0000417, instead). Expected values: the UCRT
 * documentation (strcpy_s, strncpy_s, memcpy_s, memmove_s, _itoa_s,
 * _set_thread_local_invalid_parameter_handler) and its sources (_VALIDATE_RETURN_ERRCODE,
 * _RESET_STRING). */
#include "ucrt.h"

__declspec(dllimport) int *__cdecl _errno(void);
#define errno (*_errno())
typedef void(__cdecl *iph_t)(const wchar16 *, const wchar16 *, const wchar16 *, unsigned,
                             unsigned long long);
__declspec(dllimport) iph_t __cdecl _set_invalid_parameter_handler(iph_t h);
__declspec(dllimport) iph_t __cdecl _get_invalid_parameter_handler(void);
__declspec(dllimport) iph_t __cdecl _set_thread_local_invalid_parameter_handler(iph_t h);
__declspec(dllimport) iph_t __cdecl _get_thread_local_invalid_parameter_handler(void);
__declspec(dllimport) int __cdecl strcpy_s(char *d, size_t n, const char *s);
__declspec(dllimport) int __cdecl strcat_s(char *d, size_t n, const char *s);
__declspec(dllimport) int __cdecl strncpy_s(char *d, size_t n, const char *s, size_t count);
__declspec(dllimport) int __cdecl strncat_s(char *d, size_t n, const char *s, size_t count);
__declspec(dllimport) int __cdecl wcscpy_s(wchar16 *d, size_t n, const wchar16 *s);
__declspec(dllimport) int __cdecl memcpy_s(void *d, size_t n, const void *s, size_t count);
__declspec(dllimport) int __cdecl memmove_s(void *d, size_t n, const void *s, size_t count);
__declspec(dllimport) int __cdecl _itoa_s(int v, char *b, size_t n, int radix);

static int calls, thread_calls;
static void __cdecl handler(const wchar16 *e, const wchar16 *f, const wchar16 *file, unsigned line,
                            unsigned long long r)
{
    calls++;
}
static void __cdecl thread_handler(const wchar16 *e, const wchar16 *f, const wchar16 *file,
                                   unsigned line, unsigned long long r)
{
    thread_calls++;
}

static void show(const char *what, int r, const char *buf)
{
    printf("%-34s -> %2d, errno %2d, handler calls %d, buf [%s]\n", what, r, errno, calls, buf);
    errno = 0;
}

int main(void)
{
    char buf[8];
    unsigned char mem[4];
    wchar16 wbuf[4];

    printf("default handler: %d\n", _get_invalid_parameter_handler() == 0);
    _set_invalid_parameter_handler(handler);
    printf("handler set: %d\n", _get_invalid_parameter_handler() == handler);

    show("strcpy_s ok", strcpy_s(buf, 8, "fits"), buf);
    show("strcpy_s(4, \"toolong\")", strcpy_s(buf, 4, "toolong"), buf);
    show("strcpy_s(NULL, 4, \"x\")", strcpy_s(0, 4, "x"), "");
    strcpy_s(buf, 8, "keep");
    show("strcpy_s(buf, 0, \"x\")", strcpy_s(buf, 0, "x"), buf);
    show("strcpy_s(buf, 8, NULL)", strcpy_s(buf, 8, 0), buf);
    strcpy_s(buf, 8, "ab");
    show("strcat_s(\"ab\", 4, \"cd\")", strcat_s(buf, 4, "cd"), buf);
    show("strncpy_s(4, \"abcdef\", _TRUNCATE)", strncpy_s(buf, 4, "abcdef", _TRUNCATE), buf);
    show("strncpy_s(4, \"abcdef\", 5)", strncpy_s(buf, 4, "abcdef", 5), buf);
    show("strncpy_s(4, \"abcdef\", 3)", strncpy_s(buf, 4, "abcdef", 3), buf);
    strcpy_s(buf, 8, "ab");
    show("strncat_s(\"ab\", 4, \"cdef\", 5)", strncat_s(buf, 4, "cdef", 5), buf);
    strcpy_s(buf, 8, "ab");
    show("strncat_s(\"ab\", 4, \"cdef\", _TRUNC)", strncat_s(buf, 4, "cdef", _TRUNCATE), buf);
    show("_itoa_s(12345, 3)", _itoa_s(12345, buf, 3, 10), buf);
    strcpy_s(buf, 8, "keep");
    show("_itoa_s(1, radix 1)", _itoa_s(1, buf, 8, 1), buf);
    show("_itoa_s(-255, 10)", _itoa_s(-255, buf, 8, 10), buf);

    int r = wcscpy_s(wbuf, 2, L"abc");
    printf("wcscpy_s(2, L\"abc\") -> %d, errno %d, handler calls %d, wbuf[0] %d\n", r, errno,
           calls, wbuf[0]);
    errno = 0;
    for (int i = 0; i < 4; i++)
        mem[i] = 0xaa;
    r = memcpy_s(mem, 4, "12345678", 8);
    printf("memcpy_s(4, 8 bytes) -> %d, errno %d, handler calls %d, mem %x %x %x %x\n", r, errno,
           calls, mem[0], mem[1], mem[2], mem[3]);
    for (int i = 0; i < 4; i++)
        mem[i] = 0xaa;
    r = memcpy_s(mem, 4, 0, 2);
    printf("memcpy_s(src NULL) -> %d, errno %d, handler calls %d, mem %x %x %x %x\n", r, errno,
           calls, mem[0], mem[1], mem[2], mem[3]);
    for (int i = 0; i < 4; i++)
        mem[i] = 0xaa;
    r = memmove_s(mem, 2, "1234", 4);
    printf("memmove_s(2, 4 bytes) -> %d, errno %d, handler calls %d, mem %x %x %x %x\n", r,
           errno, calls, mem[0], mem[1], mem[2], mem[3]);
    r = memcpy_s(0, 0, 0, 0);
    printf("memcpy_s(NULL, 0, NULL, 0) -> %d, handler calls %d\n", r, calls);

    /* the thread's own handler comes first */
    printf("thread handler was %d\n", _set_thread_local_invalid_parameter_handler(thread_handler) == 0);
    printf("thread handler is set: %d\n",
           _get_thread_local_invalid_parameter_handler() == thread_handler);
    r = strcpy_s(buf, 2, "xyz");
    printf("with a thread handler -> %d, process handler calls %d, thread handler calls %d\n", r,
           calls, thread_calls);
    _set_thread_local_invalid_parameter_handler(0);
    r = strcpy_s(buf, 2, "xyz");
    printf("thread handler removed -> %d, process handler calls %d, thread handler calls %d\n", r,
           calls, thread_calls);

    printf("no handler: the process ends\n");
    fflush(stdout);
    _set_invalid_parameter_handler(0);
    printf("buffered, lost\n");
    strcpy_s(buf, 2, "xyz");
    printf("not reached\n");
    return 0;
}
