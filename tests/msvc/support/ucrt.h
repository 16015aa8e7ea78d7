/* The few declarations MSVC-ABI test programs use, shaped as the Universal CRT's headers are:
 * printf and friends are inline functions over __stdio_common_*, stdout is __acrt_iob_func(1),
 * so a test program imports what an MSVC-built program imports (api-ms-win-crt-*.dll), not
 * msvcrt-style printf. No MSVC or Windows SDK headers are needed (none exist on Debian). */
#ifndef NTRUN_TEST_UCRT_H
#define NTRUN_TEST_UCRT_H

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned long long size_t;
typedef char *va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_end(ap) __builtin_va_end(ap)
typedef struct _iobuf { void *_Placeholder; } FILE;
typedef unsigned short wchar16;

/* The option bits of __stdio_common_* (corecrt_stdio_config.h). */
#define _CRT_INTERNAL_PRINTF_LEGACY_VSPRINTF_NULL_TERMINATION (1ULL << 0)
#define _CRT_INTERNAL_PRINTF_STANDARD_SNPRINTF_BEHAVIOR (1ULL << 1)
#define _CRT_INTERNAL_PRINTF_LEGACY_WIDE_SPECIFIERS (1ULL << 2)
#define _CRT_INTERNAL_PRINTF_LEGACY_MSVCRT_COMPATIBILITY (1ULL << 3)
#define _CRT_INTERNAL_PRINTF_LEGACY_THREE_DIGIT_EXPONENTS (1ULL << 4)
/* What a program built with default options passes: MSVC's start-up code sets the legacy
 * wide specifiers in __local_stdio_printf_options (default_local_stdio_options.cpp) unless
 * _CRT_STDIO_ISO_WIDE_SPECIFIERS is defined. */
#define _CRT_INTERNAL_LOCAL_PRINTF_OPTIONS _CRT_INTERNAL_PRINTF_LEGACY_WIDE_SPECIFIERS
#define _CRT_INTERNAL_SCANF_SECURECRT (1ULL << 0)
#define _CRT_INTERNAL_SCANF_LEGACY_WIDE_SPECIFIERS (1ULL << 1)
#define _CRT_INTERNAL_SCANF_LEGACY_MSVCRT_COMPATIBILITY (1ULL << 2)
#define _CRT_INTERNAL_LOCAL_SCANF_OPTIONS _CRT_INTERNAL_SCANF_LEGACY_WIDE_SPECIFIERS
#define _TRUNCATE ((size_t)-1)

__declspec(dllimport) FILE *__cdecl __acrt_iob_func(unsigned index);
__declspec(dllimport) int __cdecl __stdio_common_vfprintf(unsigned long long options, FILE *stream,
                                                          const char *format, void *locale,
                                                          va_list args);
__declspec(dllimport) int __cdecl __stdio_common_vsprintf(unsigned long long options, char *buffer,
                                                          size_t count, const char *format,
                                                          void *locale, va_list args);
__declspec(dllimport) int __cdecl __stdio_common_vsprintf_s(unsigned long long options,
                                                            char *buffer, size_t size,
                                                            const char *format, void *locale,
                                                            va_list args);
__declspec(dllimport) int __cdecl __stdio_common_vsnprintf_s(unsigned long long options,
                                                             char *buffer, size_t size,
                                                             size_t count, const char *format,
                                                             void *locale, va_list args);
__declspec(dllimport) int __cdecl __stdio_common_vfwprintf(unsigned long long options,
                                                           FILE *stream, const wchar16 *format,
                                                           void *locale, va_list args);
__declspec(dllimport) int __cdecl __stdio_common_vswprintf(unsigned long long options,
                                                           wchar16 *buffer, size_t count,
                                                           const wchar16 *format, void *locale,
                                                           va_list args);
__declspec(dllimport) int __cdecl __stdio_common_vsscanf(unsigned long long options,
                                                         const char *buffer, size_t count,
                                                         const char *format, void *locale,
                                                         va_list args);
__declspec(dllimport) int __cdecl __stdio_common_vfscanf(unsigned long long options,
                                                         FILE *stream, const char *format,
                                                         void *locale, va_list args);
__declspec(dllimport) int __cdecl puts(const char *s);
__declspec(dllimport) int __cdecl fflush(FILE *stream);
__declspec(dllimport) void *__cdecl malloc(size_t n);
__declspec(dllimport) void __cdecl free(void *p);
__declspec(dllimport) __declspec(noreturn) void __cdecl exit(int code);
__declspec(dllimport) __declspec(noreturn) void __cdecl abort(void);

#define stdin (__acrt_iob_func(0))
#define stdout (__acrt_iob_func(1))
#define stderr (__acrt_iob_func(2))

static __inline int vfprintf(FILE *f, const char *fmt, va_list ap)
{
    return __stdio_common_vfprintf(_CRT_INTERNAL_LOCAL_PRINTF_OPTIONS, f, fmt, 0, ap);
}
static __inline int fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vfprintf(f, fmt, ap);
    va_end(ap);
    return r;
}
static __inline int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return r;
}
static __inline int snprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __stdio_common_vsprintf(_CRT_INTERNAL_LOCAL_PRINTF_OPTIONS |
                                    _CRT_INTERNAL_PRINTF_STANDARD_SNPRINTF_BEHAVIOR,
                                    buf, n, fmt, 0, ap);
    va_end(ap);
    return r < 0 ? -1 : r;
}

static __inline int sprintf(char *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __stdio_common_vsprintf(_CRT_INTERNAL_LOCAL_PRINTF_OPTIONS |
                                    _CRT_INTERNAL_PRINTF_LEGACY_VSPRINTF_NULL_TERMINATION,
                                    buf, (size_t)-1, fmt, 0, ap);
    va_end(ap);
    return r < 0 ? -1 : r;
}
static __inline int _snprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __stdio_common_vsprintf(_CRT_INTERNAL_LOCAL_PRINTF_OPTIONS |
                                    _CRT_INTERNAL_PRINTF_LEGACY_VSPRINTF_NULL_TERMINATION,
                                    buf, n, fmt, 0, ap);
    va_end(ap);
    return r < 0 ? -1 : r;
}
static __inline int sprintf_s(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __stdio_common_vsprintf_s(_CRT_INTERNAL_LOCAL_PRINTF_OPTIONS, buf, size, fmt, 0, ap);
    va_end(ap);
    return r < 0 ? -1 : r;
}
static __inline int _snprintf_s(char *buf, size_t size, size_t count, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __stdio_common_vsnprintf_s(_CRT_INTERNAL_LOCAL_PRINTF_OPTIONS, buf, size, count, fmt,
                                       0, ap);
    va_end(ap);
    return r < 0 ? -1 : r;
}
static __inline int _scprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __stdio_common_vsprintf(_CRT_INTERNAL_LOCAL_PRINTF_OPTIONS |
                                    _CRT_INTERNAL_PRINTF_STANDARD_SNPRINTF_BEHAVIOR,
                                    0, 0, fmt, 0, ap);
    va_end(ap);
    return r < 0 ? -1 : r;
}
/* C's swprintf (count given): ISO termination, -1 when the text does not fit. */
static __inline int swprintf(wchar16 *buf, size_t n, const wchar16 *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __stdio_common_vswprintf(_CRT_INTERNAL_LOCAL_PRINTF_OPTIONS, buf, n, fmt, 0, ap);
    va_end(ap);
    return r < 0 ? -1 : r;
}
static __inline int fwprintf(FILE *f, const wchar16 *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __stdio_common_vfwprintf(_CRT_INTERNAL_LOCAL_PRINTF_OPTIONS, f, fmt, 0, ap);
    va_end(ap);
    return r;
}
static __inline int sscanf(const char *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __stdio_common_vsscanf(_CRT_INTERNAL_LOCAL_SCANF_OPTIONS, s, (size_t)-1, fmt, 0, ap);
    va_end(ap);
    return r;
}
static __inline int sscanf_s(const char *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __stdio_common_vsscanf(_CRT_INTERNAL_LOCAL_SCANF_OPTIONS | _CRT_INTERNAL_SCANF_SECURECRT,
                                   s, (size_t)-1, fmt, 0, ap);
    va_end(ap);
    return r;
}
static __inline int fscanf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __stdio_common_vfscanf(_CRT_INTERNAL_LOCAL_SCANF_OPTIONS, f, fmt, 0, ap);
    va_end(ap);
    return r;
}

#ifdef __cplusplus
}
#endif
#endif
