/* SPDX-License-Identifier: MIT */
/* msvcrt's environment copy: _environ / _wenviron (data exports), getenv, _wgetenv,
 * getenv_s, _wgetenv_s, _putenv, _wputenv, _putenv_s, _wputenv_s.
 *
 * The arrays and their entries are process-heap blocks (the program's memory); the variables
 * _environ/_wenviron are in crt_g's page and are set again after every change. The runtime
 * works on its own pointers to the arrays: whatever the program stores in the variables, or
 * in the arrays' slots, it never makes the runtime resize or free memory that is not a live
 * block of the process heap.
 *
 * Like msvcrt, the CRT keeps its own "NAME=value" array, copied from the process environment
 * at start-up (thk_startup_info.envp) and not affected by later SetEnvironmentVariable calls;
 * _putenv changes the copy and passes the change on to kernel32. Names compare without
 * regard to ASCII case. _wenviron is built on first use of a wide function and then kept in
 * step. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/msvcrt/msvcrt_lib.h"
#include "thunks/ntdll/heap.h"
#include "thunks/thunks_private.h"

BOOL WINAPI SetEnvironmentVariableA(const char *name, const char *value);

static char **crt_environ;  /* NULL-terminated, entries process-heap blocks */
static WCHAR **crt_wenviron; /* NULL until a wide function needs it */
static size_t crt_env_count, crt_env_cap, crt_wenv_cap;
static pthread_mutex_t crt_env_lock = PTHREAD_MUTEX_INITIALIZER;
static rt_once_t crt_env_once = RT_ONCE_INIT;
/* _environ and _wenviron: crt_g (thunks/msvcrt/startup.c). */

/* Publishes the arrays in the program's variables. */
static void crt_env_publish(void)
{
    crt_g->environ_ = crt_environ;
    crt_g->wenviron = crt_wenviron;
}

/* An entry the runtime drops: freed only if it still is a live process-heap block (the program
 * may have replaced it with anything). */
static void crt_env_drop(void *p)
{
    if (p)
        hp_free(hp_process_heap(), 0, p);
}

/* A process-heap copy of s (n bytes); NULL when out of memory. */
static void *crt_env_hcopy(const void *s, size_t n)
{
    void *d = crt_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* The process-heap copy of a glibc wide string, which is freed. */
static WCHAR *crt_env_hwide(WCHAR *w)
{
    WCHAR *d = w ? crt_env_hcopy(w, (crt_wcslen(w) + 1) * sizeof(WCHAR)) : NULL;
    free(w);
    return d;
}

/* ---- the arrays ---- */
static bool crt_env_reserve(size_t n)
{
    if (n + 1 <= crt_env_cap)
        return true;
    size_t cap = crt_env_cap ? crt_env_cap * 2 : 64;
    while (cap < n + 1)
        cap *= 2;
    char **a = crt_realloc(crt_environ, cap * sizeof *a);
    if (!a)
        return false;
    crt_environ = a;
    crt_env_cap = cap;
    return true;
}

static bool crt_wenv_reserve(size_t n)
{
    if (n + 1 <= crt_wenv_cap)
        return true;
    size_t cap = crt_wenv_cap ? crt_wenv_cap * 2 : 64;
    while (cap < n + 1)
        cap *= 2;
    WCHAR **a = crt_realloc(crt_wenviron, cap * sizeof *a);
    if (!a)
        return false;
    crt_wenviron = a;
    crt_wenv_cap = cap;
    return true;
}

static void crt_env_build(void)
{
    char **src = thk_startup_info.envp;
    crt_env_reserve(0);
    if (!crt_environ)
        return;
    crt_environ[0] = NULL;
    for (size_t i = 0; src && src[i]; i++) {
        const char *eq = strchr(src[i], '=');
        if (!eq || eq == src[i])
            continue; /* no name: not a variable (Windows' "=C:=..." entries are skipped too) */
        char *copy = crt_env_hcopy(src[i], strlen(src[i]) + 1);
        if (!copy || !crt_env_reserve(crt_env_count + 1)) {
            crt_env_drop(copy);
            break;
        }
        crt_environ[crt_env_count++] = copy;
        crt_environ[crt_env_count] = NULL;
    }
    crt_env_publish();
}

void crt_env_init(void) { rt_once(&crt_env_once, crt_env_build); }

char **crt_env_get(void)
{
    crt_env_init();
    return crt_environ;
}

/* Builds _wenviron from _environ (lock held). */
static void crt_wenv_build_locked(void)
{
    if (crt_wenviron || !crt_wenv_reserve(crt_env_count))
        return;
    size_t n = 0;
    for (size_t i = 0; i < crt_env_count; i++) {
        WCHAR *w = crt_env_hwide(crt_utf8_to_wide(crt_environ[i]));
        if (w)
            crt_wenviron[n++] = w;
    }
    crt_wenviron[n] = NULL;
    crt_env_publish();
}

WCHAR **crt_wenv_get(void)
{
    crt_env_init();
    pthread_mutex_lock(&crt_env_lock);
    crt_wenv_build_locked();
    pthread_mutex_unlock(&crt_env_lock);
    return crt_wenviron;
}

/* Index of the entry whose name is `name` (len bytes), ASCII case ignored; -1 if none. */
static ptrdiff_t crt_env_find(const char *name, size_t len)
{
    for (size_t i = 0; i < crt_env_count; i++) {
        const char *e = crt_environ[i];
        size_t k = 0;
        while (k < len && e[k] && crt_tolower_c((unsigned char)e[k]) ==
                                      crt_tolower_c((unsigned char)name[k]))
            k++;
        if (k == len && e[k] == '=')
            return (ptrdiff_t)i;
    }
    return -1;
}

static ptrdiff_t crt_wenv_find(const WCHAR *name, size_t len)
{
    for (size_t i = 0; crt_wenviron && crt_wenviron[i]; i++) {
        const WCHAR *e = crt_wenviron[i];
        size_t k = 0;
        while (k < len && e[k] && crt_towlower_c(e[k]) == crt_towlower_c(name[k]))
            k++;
        if (k == len && e[k] == '=')
            return (ptrdiff_t)i;
    }
    return -1;
}

static size_t crt_wenv_count(void)
{
    size_t n = 0;
    while (crt_wenviron && crt_wenviron[n])
        n++;
    return n;
}

/* Sets (value non-empty) or removes (value empty) `name`; the entry text is "name=value".
 * Lock held. 0, or -1 with errno ENOMEM. */
static int crt_env_set_locked(const char *name, size_t len, const char *value)
{
    bool remove = !*value;
    ptrdiff_t i = crt_env_find(name, len);
    char *entry = NULL;
    if (!remove) {
        size_t vlen = strlen(value);
        entry = crt_malloc(len + 1 + vlen + 1);
        if (!entry || (i < 0 && !crt_env_reserve(crt_env_count + 1))) {
            crt_env_drop(entry);
            crt_set_errno(CRT_ENOMEM);
            return -1;
        }
        memcpy(entry, name, len);
        entry[len] = '=';
        memcpy(entry + len + 1, value, vlen + 1);
    }
    if (i >= 0) {
        crt_env_drop(crt_environ[i]);
        if (remove) {
            memmove(crt_environ + i, crt_environ + i + 1,
                    (crt_env_count - (size_t)i) * sizeof *crt_environ);
            crt_env_count--;
        } else {
            crt_environ[i] = entry;
        }
    } else if (!remove) {
        crt_environ[crt_env_count++] = entry;
        crt_environ[crt_env_count] = NULL;
    }

    if (crt_wenviron) { /* keep the wide copy in step */
        WCHAR *wentry = entry ? crt_env_hwide(crt_utf8_to_wide(entry)) : NULL;
        char *nname = strndup(name, len);
        WCHAR *wname = nname ? crt_utf8_to_wide(nname) : NULL;
        free(nname);
        size_t wcount = crt_wenv_count();
        ptrdiff_t w = wname ? crt_wenv_find(wname, crt_wcslen(wname)) : -1;
        free(wname);
        if (w >= 0) {
            crt_env_drop(crt_wenviron[w]);
            if (wentry) {
                crt_wenviron[w] = wentry;
            } else {
                memmove(crt_wenviron + w, crt_wenviron + w + 1,
                        (wcount - (size_t)w) * sizeof *crt_wenviron);
            }
        } else if (wentry) {
            if (crt_wenv_reserve(wcount + 1)) {
                crt_wenviron[wcount] = wentry;
                crt_wenviron[wcount + 1] = NULL;
            } else {
                crt_env_drop(wentry);
            }
        }
    }
    crt_env_publish();
    return 0;
}

/* The common part of _putenv/_putenv_s: update the copy, then kernel32. */
static int crt_env_set(const char *name, size_t len, const char *value)
{
    crt_env_init();
    pthread_mutex_lock(&crt_env_lock);
    int r = crt_env_set_locked(name, len, value);
    pthread_mutex_unlock(&crt_env_lock);
    if (r == 0) {
        char *nname = strndup(name, len);
        if (nname)
            SetEnvironmentVariableA(nname, *value ? value : NULL);
        free(nname);
    }
    return r;
}

char *crt_env_dup(const char *name)
{
    crt_env_init();
    pthread_mutex_lock(&crt_env_lock);
    size_t len = strlen(name);
    ptrdiff_t i = len ? crt_env_find(name, len) : -1;
    char *v = i >= 0 ? strdup(crt_environ[i] + len + 1) : NULL;
    pthread_mutex_unlock(&crt_env_lock);
    return v;
}

/* ---- exports ---- */
static char *WINAPI msvcrt_getenv(const char *name)
{
    if (!name) {
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    crt_env_init();
    pthread_mutex_lock(&crt_env_lock);
    size_t len = strlen(name);
    ptrdiff_t i = len ? crt_env_find(name, len) : -1;
    char *v = i >= 0 ? crt_environ[i] + len + 1 : NULL;
    pthread_mutex_unlock(&crt_env_lock);
    return v;
}
THK_EXPORT_AS(msvcrt, getenv, msvcrt_getenv, 1);

static WCHAR *WINAPI msvcrt__wgetenv(const WCHAR *name)
{
    if (!name) {
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    crt_env_init();
    pthread_mutex_lock(&crt_env_lock);
    crt_wenv_build_locked();
    size_t len = crt_wcslen(name);
    ptrdiff_t i = len ? crt_wenv_find(name, len) : -1;
    WCHAR *v = i >= 0 ? crt_wenviron[i] + len + 1 : NULL;
    pthread_mutex_unlock(&crt_env_lock);
    return v;
}
THK_EXPORT_AS(msvcrt, _wgetenv, msvcrt__wgetenv, 1);

int WINAPI msvcrt_getenv_s(size_t *ret, char *buf, size_t size, const char *name)
{
    if (!ret || (!buf && size) || !name) {
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    if (buf)
        buf[0] = 0;
    *ret = 0;
    crt_env_init();
    pthread_mutex_lock(&crt_env_lock);
    size_t len = strlen(name);
    ptrdiff_t i = len ? crt_env_find(name, len) : -1;
    int status = 0;
    if (i >= 0) {
        const char *v = crt_environ[i] + len + 1;
        size_t need = strlen(v) + 1;
        *ret = need;
        if (size && need > size)
            status = CRT_ERANGE;
        else if (size)
            memcpy(buf, v, need);
    }
    pthread_mutex_unlock(&crt_env_lock);
    if (status)
        crt_set_errno(status);
    return status;
}
THK_EXPORT_AS(msvcrt, getenv_s, msvcrt_getenv_s, 4);

int WINAPI msvcrt__wgetenv_s(size_t *ret, WCHAR *buf, size_t size, const WCHAR *name)
{
    if (!ret || (!buf && size) || !name) {
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    if (buf)
        buf[0] = 0;
    *ret = 0;
    crt_env_init();
    pthread_mutex_lock(&crt_env_lock);
    crt_wenv_build_locked();
    size_t len = crt_wcslen(name);
    ptrdiff_t i = len ? crt_wenv_find(name, len) : -1;
    int status = 0;
    if (i >= 0) {
        const WCHAR *v = crt_wenviron[i] + len + 1;
        size_t need = crt_wcslen(v) + 1;
        *ret = need;
        if (size && need > size)
            status = CRT_ERANGE;
        else if (size)
            memcpy(buf, v, need * sizeof(WCHAR));
    }
    pthread_mutex_unlock(&crt_env_lock);
    if (status)
        crt_set_errno(status);
    return status;
}
THK_EXPORT_AS(msvcrt, _wgetenv_s, msvcrt__wgetenv_s, 4);

/* _putenv("NAME=value") sets, "NAME=" removes; no '=' or no name: -1 and EINVAL. */
static int WINAPI msvcrt__putenv(const char *str)
{
    const char *eq = str ? strchr(str, '=') : NULL;
    if (!eq || eq == str) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    return crt_env_set(str, (size_t)(eq - str), eq + 1);
}
THK_EXPORT_AS(msvcrt, _putenv, msvcrt__putenv, 1);

static int WINAPI msvcrt__wputenv(const WCHAR *str)
{
    if (!str) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    char *narrow = crt_wide_to_utf8(str);
    if (!narrow) {
        crt_set_errno(CRT_EILSEQ);
        return -1;
    }
    int r = msvcrt__putenv(narrow);
    free(narrow);
    return r;
}
THK_EXPORT_AS(msvcrt, _wputenv, msvcrt__wputenv, 1);

static int WINAPI msvcrt__putenv_s(const char *name, const char *value)
{
    if (!name || !value || !*name || strchr(name, '=')) {
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    if (crt_env_set(name, strlen(name), value) != 0)
        return *crt_errno_ptr();
    return 0;
}
THK_EXPORT_AS(msvcrt, _putenv_s, msvcrt__putenv_s, 2);

static int WINAPI msvcrt__wputenv_s(const WCHAR *name, const WCHAR *value)
{
    if (!name || !value) {
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    char *n = crt_wide_to_utf8(name), *v = crt_wide_to_utf8(value);
    int r = n && v ? msvcrt__putenv_s(n, v) : CRT_EILSEQ;
    if (!n || !v)
        crt_set_errno(CRT_EILSEQ);
    free(n);
    free(v);
    return r;
}
THK_EXPORT_AS(msvcrt, _wputenv_s, msvcrt__wputenv_s, 2);

static char ***WINAPI msvcrt___p__environ(void)
{
    crt_env_init();
    return &crt_g->environ_;
}
THK_EXPORT_AS(msvcrt, __p__environ, msvcrt___p__environ, 0);
static WCHAR ***WINAPI msvcrt___p__wenviron(void)
{
    crt_wenv_get();
    return &crt_g->wenviron;
}
THK_EXPORT_AS(msvcrt, __p__wenviron, msvcrt___p__wenviron, 0);

/* libntrun teardown (thk_process_teardown): the copy goes; the next run copies its own. */
void crt_env_reset(void)
{
    pthread_mutex_lock(&crt_env_lock);
    /* No free: the blocks go with the process heap (k32_heaps_reset). */
    crt_environ = NULL;
    crt_wenviron = NULL;
    crt_env_publish();
    crt_env_count = crt_env_cap = crt_wenv_cap = 0;
    crt_env_once = (rt_once_t)RT_ONCE_INIT;
    pthread_mutex_unlock(&crt_env_lock);
}
