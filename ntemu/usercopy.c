/* SPDX-License-Identifier: MIT */
/* Access to foreign memory that survives bad pointers (rt_safe_copy's fault fix-up). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include "ntemu/ntemu_private.h"

int nt_copy_from_user(void *dst, const void *user_src, size_t n)
{
    if (n == 0)
        return 0;
    if (!user_src)
        return -EFAULT;
    return rt_safe_copy(dst, user_src, n);
}

int nt_copy_to_user(void *user_dst, const void *src, size_t n)
{
    if (n == 0)
        return 0;
    if (!user_dst)
        return -EFAULT;
    return rt_safe_copy(user_dst, src, n);
}

/* Every page of [user, user + n) can be read: one byte per page (and the last one). */
bool nt_probe_read(const void *user, size_t n)
{
    if (n == 0)
        return true;
    uintptr_t a = (uintptr_t)user, last = a + n - 1;
    if (!user || last < a)
        return false;
    for (;;) {
        uint8_t b;
        if (rt_safe_copy(&b, (const void *)a, 1) != 0)
            return false;
        if ((a | 0xfff) >= last)
            break;
        a = (a | 0xfff) + 1;
    }
    uint8_t b;
    return rt_safe_copy(&b, (const void *)last, 1) == 0;
}

/* The caller's buffer can take n bytes: every page readable, and the first and last bytes
 * written back unchanged (Windows' ProbeForWrite writes each page; writing back only the ends
 * keeps a probe of memory another thread is changing from losing its stores). A small buffer
 * (an IO_STATUS_BLOCK, a length) is written back whole. */
bool nt_probe_write(void *user, size_t n)
{
    uint8_t tmp[64];
    if (n == 0)
        return true;
    if (!nt_probe_read(user, n))
        return false;
    if (n <= sizeof tmp)
        return rt_safe_copy(tmp, user, n) == 0 && rt_safe_copy(user, tmp, n) == 0;
    uint8_t *p = user;
    return rt_safe_copy(tmp, p, 1) == 0 && rt_safe_copy(p, tmp, 1) == 0 &&
           rt_safe_copy(tmp, p + n - 1, 1) == 0 && rt_safe_copy(p + n - 1, tmp, 1) == 0;
}

WCHAR *nt_strdup_from_user_w(const WCHAR *user, size_t max)
{
    size_t cap = 64, len = 0;
    WCHAR *out = malloc(cap * sizeof *out);
    if (!out)
        return NULL;
    for (;;) {
        WCHAR c;
        if (len >= max || nt_copy_from_user(&c, user + len, sizeof c) != 0)
            goto fail;
        if (len + 1 >= cap) {
            WCHAR *bigger = realloc(out, cap * 2 * sizeof *out);
            if (!bigger)
                goto fail;
            out = bigger;
            cap *= 2;
        }
        out[len] = c;
        if (c == 0)
            return out;
        len++;
    }
fail:
    free(out);
    return NULL;
}
