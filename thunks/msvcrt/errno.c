/* SPDX-License-Identifier: MIT */
/* msvcrt errno: the per-thread errno and _doserrno, the Linux errno / NTSTATUS -> msvcrt errno
 * mappings (msvcrt's _dosmaperr table), the error message table (_sys_errlist, strerror,
 * _strerror, _wcserror, perror: straight to fd 2 with _write, as msvcrt does). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ntemu/ntemu.h"
#include "thunks/msvcrt/msvcrt_lib.h"

static __thread int crt_errno_value;
static __thread uint32_t crt_doserrno_value;
static __thread char crt_errmsg[CRT_ERRMSG_SIZE];
static __thread WCHAR crt_werrmsg[CRT_ERRMSG_SIZE];

int *crt_errno_ptr(void) { return &crt_errno_value; }
void crt_set_errno(int crt_errno) { crt_errno_value = crt_errno; }
uint32_t *crt_doserrno_ptr(void) { return &crt_doserrno_value; }
char *crt_errmsg_buffer(void) { return crt_errmsg; }

int crt_errno_from_unix(int e)
{
    if (e >= 1 && e <= 34 && e != ENOTBLK && e != ETXTBSY)
        return e; /* EPERM..ERANGE have the same numbers */
    switch (e) {
    case ENOTBLK: return CRT_ENODEV;
    case ETXTBSY: return CRT_EACCES;
    case EDEADLK: return CRT_EDEADLK;
    case ENAMETOOLONG: return CRT_ENAMETOOLONG;
    case ENOLCK: return CRT_ENOLCK;
    case ENOSYS: return CRT_ENOSYS;
    case ENOTEMPTY: return CRT_ENOTEMPTY;
    case EILSEQ: return CRT_EILSEQ;
    case ELOOP: return CRT_ENOENT;
    case EOVERFLOW: return CRT_EFBIG;
    case EDQUOT: return CRT_ENOSPC;
    case ENOTSUP: return CRT_EINVAL;
    default: return CRT_EINVAL;
    }
}

/* msvcrt's _dosmaperr: Win32 error -> errno. */
static int crt_errno_from_win32(uint32_t err)
{
    static const struct { uint16_t win32; uint8_t crt; } map[] = {
        {1, CRT_EINVAL},    {2, CRT_ENOENT},    {3, CRT_ENOENT},    {4, CRT_EMFILE},
        {5, CRT_EACCES},    {6, CRT_EBADF},     {7, CRT_ENOMEM},    {8, CRT_ENOMEM},
        {9, CRT_ENOMEM},    {10, CRT_E2BIG},    {11, CRT_ENOEXEC},  {12, CRT_EINVAL},
        {13, CRT_EINVAL},   {15, CRT_ENOENT},   {16, CRT_EACCES},   {17, CRT_EXDEV},
        {18, CRT_ENOENT},   {33, CRT_EACCES},   {53, CRT_ENOENT},   {65, CRT_EACCES},
        {67, CRT_ENOENT},   {80, CRT_EEXIST},   {82, CRT_EACCES},   {83, CRT_EACCES},
        {87, CRT_EINVAL},   {89, CRT_EAGAIN},   {108, CRT_EACCES},  {109, CRT_EPIPE},
        {112, CRT_ENOSPC},  {114, CRT_EBADF},   {128, CRT_ECHILD},  {129, CRT_ECHILD},
        {130, CRT_EBADF},   {131, CRT_EINVAL},  {132, CRT_EACCES},  {145, CRT_ENOTEMPTY},
        {158, CRT_EACCES},  {161, CRT_ENOENT},  {164, CRT_EAGAIN},  {167, CRT_EACCES},
        {183, CRT_EEXIST},  {206, CRT_ENOENT},  {215, CRT_EAGAIN},  {1816, CRT_ENOMEM},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].win32 == err)
            return map[i].crt;
    if (err >= 19 && err <= 36) /* ERROR_WRITE_PROTECT .. ERROR_SHARING_BUFFER_EXCEEDED */
        return CRT_EACCES;
    /* ERROR_INVALID_STARTING_CODESEG .. ERROR_INFLOOP_IN_RELOC_CHAIN */
    if (err >= 188 && err <= 202)
        return CRT_ENOEXEC;
    return CRT_EINVAL;
}

int crt_errno_from_status(NTSTATUS st)
{
    uint32_t win32 = nt_status_to_win32(st);
    crt_doserrno_value = win32;
    return crt_errno_from_win32(win32);
}

/* ---- the message table ---- */
static const char *const crt_sys_errlist[] = {
    "No error",
    "Operation not permitted",
    "No such file or directory",
    "No such process",
    "Interrupted function call",
    "Input/output error",
    "No such device or address",
    "Arg list too long",
    "Exec format error",
    "Bad file descriptor",
    "No child processes",
    "Resource temporarily unavailable",
    "Not enough space",
    "Permission denied",
    "Bad address",
    "Unknown error",
    "Resource device",
    "File exists",
    "Improper link",
    "No such device",
    "Not a directory",
    "Is a directory",
    "Invalid argument",
    "Too many open files in system",
    "Too many open files",
    "Inappropriate I/O control operation",
    "Unknown error",
    "File too large",
    "No space left on device",
    "Invalid seek",
    "Read-only file system",
    "Too many links",
    "Broken pipe",
    "Domain error",
    "Result too large",
    "Unknown error",
    "Resource deadlock avoided",
    "Unknown error",
    "Filename too long",
    "No locks available",
    "Function not implemented",
    "Directory not empty",
    "Illegal byte sequence",
    "Unknown error",
};
#define CRT_SYS_NERR 43
_Static_assert(sizeof crt_sys_errlist / sizeof crt_sys_errlist[0] == CRT_SYS_NERR + 1,
               "43 messages and the trailing \"Unknown error\"");
static int32_t crt_sys_nerr = CRT_SYS_NERR;
THK_EXPORT_DATA(msvcrt, _sys_errlist, crt_sys_errlist);
THK_EXPORT_DATA(msvcrt, _sys_nerr, &crt_sys_nerr);

const char *crt_errno_text(int e)
{
    return (unsigned)e < CRT_SYS_NERR ? crt_sys_errlist[e] : crt_sys_errlist[CRT_SYS_NERR];
}

static void crt_copy_trunc(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}

/* "prefix: message\n" (or "message\n" without a prefix), as _strerror and perror build it. */
static void crt_format_errmsg(char *buf, size_t size, const char *prefix, int e)
{
    if (prefix && *prefix)
        snprintf(buf, size, "%.94s: %s\n", prefix, crt_errno_text(e));
    else
        snprintf(buf, size, "%s\n", crt_errno_text(e));
}

static void crt_widen_ascii(WCHAR *dst, const char *src)
{
    while ((*dst++ = (unsigned char)*src++))
        ;
}

/* ---- exports ---- */
static int *WINAPI msvcrt__errno(void) { return &crt_errno_value; }
THK_EXPORT_AS(msvcrt, _errno, msvcrt__errno, 0);

static uint32_t *WINAPI msvcrt___doserrno(void) { return &crt_doserrno_value; }
THK_EXPORT_AS(msvcrt, __doserrno, msvcrt___doserrno, 0);

static int WINAPI msvcrt__get_errno(int *out)
{
    if (!out) {
        crt_errno_value = CRT_EINVAL;
        return CRT_EINVAL;
    }
    *out = crt_errno_value;
    return 0;
}
THK_EXPORT_AS(msvcrt, _get_errno, msvcrt__get_errno, 1);

static int WINAPI msvcrt__set_errno(int value)
{
    crt_errno_value = value;
    return 0;
}
THK_EXPORT_AS(msvcrt, _set_errno, msvcrt__set_errno, 1);

static int WINAPI msvcrt__get_doserrno(uint32_t *out)
{
    if (!out) {
        crt_errno_value = CRT_EINVAL;
        return CRT_EINVAL;
    }
    *out = crt_doserrno_value;
    return 0;
}
THK_EXPORT_AS(msvcrt, _get_doserrno, msvcrt__get_doserrno, 1);

static int WINAPI msvcrt__set_doserrno(uint32_t value)
{
    crt_doserrno_value = value;
    return 0;
}
THK_EXPORT_AS(msvcrt, _set_doserrno, msvcrt__set_doserrno, 1);

static char *WINAPI msvcrt_strerror(int e)
{
    crt_copy_trunc(crt_errmsg, sizeof crt_errmsg, crt_errno_text(e));
    return crt_errmsg;
}
THK_EXPORT_AS(msvcrt, strerror, msvcrt_strerror, 1);

static int WINAPI msvcrt_strerror_s(char *buf, size_t size, int e)
{
    if (!buf || !size) {
        crt_errno_value = CRT_EINVAL;
        return CRT_EINVAL;
    }
    crt_copy_trunc(buf, size, crt_errno_text(e));
    return 0;
}
THK_EXPORT_AS(msvcrt, strerror_s, msvcrt_strerror_s, 3);

static char *WINAPI msvcrt__strerror(const char *prefix)
{
    crt_format_errmsg(crt_errmsg, sizeof crt_errmsg, prefix, crt_errno_value);
    return crt_errmsg;
}
THK_EXPORT_AS(msvcrt, _strerror, msvcrt__strerror, 1);

static int WINAPI msvcrt__strerror_s(char *buf, size_t size, const char *prefix)
{
    if (!buf || !size) {
        crt_errno_value = CRT_EINVAL;
        return CRT_EINVAL;
    }
    char tmp[CRT_ERRMSG_SIZE];
    crt_format_errmsg(tmp, sizeof tmp, prefix, crt_errno_value);
    crt_copy_trunc(buf, size, tmp);
    return 0;
}
THK_EXPORT_AS(msvcrt, _strerror_s, msvcrt__strerror_s, 3);

static WCHAR *WINAPI msvcrt__wcserror(int e)
{
    crt_widen_ascii(crt_werrmsg, crt_errno_text(e));
    return crt_werrmsg;
}
THK_EXPORT_AS(msvcrt, _wcserror, msvcrt__wcserror, 1);

static int WINAPI msvcrt__wcserror_s(WCHAR *buf, size_t size, int e)
{
    if (!buf || !size) {
        crt_errno_value = CRT_EINVAL;
        return CRT_EINVAL;
    }
    const char *msg = crt_errno_text(e);
    size_t i = 0;
    for (; msg[i] && i + 1 < size; i++)
        buf[i] = (unsigned char)msg[i];
    buf[i] = 0;
    return 0;
}
THK_EXPORT_AS(msvcrt, _wcserror_s, msvcrt__wcserror_s, 3);

/* __wcserror(prefix): the wide _strerror. */
static WCHAR *WINAPI msvcrt___wcserror(const WCHAR *prefix)
{
    char *narrow = prefix ? crt_wide_to_utf8(prefix) : NULL;
    char tmp[CRT_ERRMSG_SIZE];
    crt_format_errmsg(tmp, sizeof tmp, narrow, crt_errno_value);
    free(narrow);
    WCHAR *wide = crt_utf8_to_wide(tmp);
    size_t i = 0;
    if (wide)
        for (; wide[i] && i + 1 < CRT_ERRMSG_SIZE; i++)
            crt_werrmsg[i] = wide[i];
    crt_werrmsg[i] = 0;
    free(wide);
    return crt_werrmsg;
}
THK_EXPORT_AS(msvcrt, __wcserror, msvcrt___wcserror, 1);

static void crt_perror_common(const char *prefix)
{
    char buf[CRT_ERRMSG_SIZE + 512];
    int e = crt_errno_value;
    if (prefix && *prefix)
        snprintf(buf, sizeof buf, "%.500s: %s\n", prefix, crt_errno_text(e));
    else
        snprintf(buf, sizeof buf, "%s\n", crt_errno_text(e));
    crt_fd_write(2, buf, (unsigned)strlen(buf)); /* msvcrt's perror writes to fd 2 itself */
}

static void WINAPI msvcrt_perror(const char *prefix) { crt_perror_common(prefix); }
THK_EXPORT_AS(msvcrt, perror, msvcrt_perror, 1);

static void WINAPI msvcrt__wperror(const WCHAR *prefix)
{
    char *narrow = prefix ? crt_wide_to_utf8(prefix) : NULL;
    crt_perror_common(narrow);
    free(narrow);
}
THK_EXPORT_AS(msvcrt, _wperror, msvcrt__wperror, 1);

static int WINAPI msvcrt___wcserror_s(WCHAR *buf, size_t size, const WCHAR *prefix)
{
    if (!buf || !size) {
        crt_errno_value = CRT_EINVAL;
        return CRT_EINVAL;
    }
    WCHAR *msg = msvcrt___wcserror(prefix);
    size_t i = 0;
    for (; msg[i] && i + 1 < size; i++)
        buf[i] = msg[i];
    buf[i] = 0;
    return 0;
}
THK_EXPORT_AS(msvcrt, __wcserror_s, msvcrt___wcserror_s, 3);
