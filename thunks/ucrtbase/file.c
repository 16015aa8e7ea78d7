/* SPDX-License-Identifier: MIT */
/* The UCRT's file-system and environment names msvcrt lacks: fopen_s/_wfopen_s (streams opened
 * for exclusive writing), the _stat64i32 family (what the UCRT headers' stat and fstat are by
 * default: 64-bit times, 32-bit size, msvcrt's x64 `struct _stat`), _dupenv_s/_wdupenv_s
 * (copies on the CRT heap the program frees), timespec_get. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "thunks/msvcrt/msvcrt_lib.h"
#include "thunks/ucrtbase/ucrtbase_private.h"

/* ---- fopen_s ---- */

/* _SH_SECURE: others may read, nobody else may write. */
static int ucrt_fopen_s(crt_FILE **out, const char *name, const char *mode)
{
    if (!out || !name || !mode) {
        if (out)
            *out = NULL;
        ucrt_invalid_parameter(CRT_EINVAL);
        return CRT_EINVAL;
    }
    *out = crt_fsopen(name, mode, CRT_SH_DENYWR);
    return *out ? 0 : *crt_errno_ptr();
}

static int WINAPI ucrtbase_fopen_s(crt_FILE **out, const char *name, const char *mode)
{
    return ucrt_fopen_s(out, name, mode);
}
THK_EXPORT_AS(ucrtbase, fopen_s, ucrtbase_fopen_s, 3);

static int WINAPI ucrtbase__wfopen_s(crt_FILE **out, const WCHAR *name, const WCHAR *mode)
{
    if (!out || !name || !mode) {
        if (out)
            *out = NULL;
        ucrt_invalid_parameter(CRT_EINVAL);
        return CRT_EINVAL;
    }
    char *a = crt_wide_to_utf8(name), *m = crt_wide_to_utf8(mode);
    int r;
    if (!a || !m) {
        *out = NULL;
        crt_set_errno(CRT_ENOMEM);
        r = CRT_ENOMEM;
    } else {
        r = ucrt_fopen_s(out, a, m);
    }
    free(a);
    free(m);
    return r;
}
THK_EXPORT_AS(ucrtbase, _wfopen_s, ucrtbase__wfopen_s, 3);

/* ---- stat with a 32-bit size ---- */

static int WINAPI ucrtbase__stat64i32(const char *path, void *buf)
{
    return crt_stat_path(path, buf, false);
}
THK_EXPORT_AS(ucrtbase, _stat64i32, ucrtbase__stat64i32, 2);

static int WINAPI ucrtbase__wstat64i32(const WCHAR *path, void *buf)
{
    return crt_wstat_path(path, buf, false);
}
THK_EXPORT_AS(ucrtbase, _wstat64i32, ucrtbase__wstat64i32, 2);

static int WINAPI ucrtbase__fstat64i32(int fd, void *buf) { return crt_fstat(fd, buf, false); }
THK_EXPORT_AS(ucrtbase, _fstat64i32, ucrtbase__fstat64i32, 2);

/* ---- environment copies ---- */

static int WINAPI ucrtbase__dupenv_s(char **out, size_t *len, const char *name)
{
    if (!out) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return CRT_EINVAL;
    }
    *out = NULL; /* cleared before the name is checked, as the UCRT does */
    if (len)
        *len = 0;
    if (!name) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return CRT_EINVAL;
    }
    char *v = crt_env_dup(name);
    if (!v)
        return 0; /* not set: NULL and 0, success */
    size_t n = strlen(v) + 1;
    char *p = crt_malloc(n);
    if (p)
        memcpy(p, v, n);
    free(v);
    if (!p)
        return CRT_ENOMEM;
    *out = p;
    if (len)
        *len = n;
    return 0;
}
THK_EXPORT_AS(ucrtbase, _dupenv_s, ucrtbase__dupenv_s, 3);

static int WINAPI ucrtbase__wdupenv_s(WCHAR **out, size_t *len, const WCHAR *name)
{
    if (!out) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return CRT_EINVAL;
    }
    *out = NULL; /* cleared before the name is checked, as the UCRT does */
    if (len)
        *len = 0;
    if (!name) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return CRT_EINVAL;
    }
    char *a = crt_wide_to_utf8(name);
    char *v = a ? crt_env_dup(a) : NULL;
    free(a);
    if (!v)
        return 0;
    WCHAR *w = crt_utf8_to_wide(v);
    free(v);
    if (!w)
        return CRT_ENOMEM;
    size_t n = crt_wcslen(w) + 1;
    WCHAR *p = crt_malloc(n * sizeof(WCHAR));
    if (p)
        memcpy(p, w, n * sizeof(WCHAR));
    free(w);
    if (!p)
        return CRT_ENOMEM;
    *out = p;
    if (len)
        *len = n;
    return 0;
}
THK_EXPORT_AS(ucrtbase, _wdupenv_s, ucrtbase__wdupenv_s, 3);

/* ---- timespec_get ---- */

typedef struct ucrt_timespec64 {
    int64_t tv_sec;
    int32_t tv_nsec;
} ucrt_timespec64;
typedef struct ucrt_timespec32 {
    int32_t tv_sec;
    int32_t tv_nsec;
} ucrt_timespec32;
#define UCRT_TIME_UTC 1

static int WINAPI ucrtbase__timespec64_get(ucrt_timespec64 *ts, int base)
{
    if (!ts || base != UCRT_TIME_UTC) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return 0;
    }
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    /* FILETIME precision: 100 ns */
    ts->tv_sec = t.tv_sec;
    ts->tv_nsec = (int32_t)(t.tv_nsec / 100 * 100);
    return base;
}
THK_EXPORT_AS(ucrtbase, _timespec64_get, ucrtbase__timespec64_get, 2);
THK_EXPORT_AS(ucrtbase, timespec_get, ucrtbase__timespec64_get, 2);

static int WINAPI ucrtbase__timespec32_get(ucrt_timespec32 *ts, int base)
{
    if (!ts || base != UCRT_TIME_UTC) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return 0;
    }
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    if (t.tv_sec > INT32_MAX)
        return 0;
    ts->tv_sec = (int32_t)t.tv_sec;
    ts->tv_nsec = (int32_t)(t.tv_nsec / 100 * 100);
    return base;
}
THK_EXPORT_AS(ucrtbase, _timespec32_get, ucrtbase__timespec32_get, 2);

/* _Exit: C99's name for _exit */
static void WINAPI ucrtbase__Exit(int code) { crt_exit_quick((uint32_t)code); }
THK_EXPORT_AS(ucrtbase, _Exit, ucrtbase__Exit, 1);
