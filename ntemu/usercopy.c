/* SPDX-License-Identifier: MIT */
/* Access to foreign memory that survives bad pointers (rt_safe_copy's fault fix-up). */
#include <errno.h>
#include <stdlib.h>
#include "ntemu/ntemu.h"

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
