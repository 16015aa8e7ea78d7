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

/* The caller's buffer can take n bytes: every page writable, as Windows' ProbeForWrite finds
 * before the call writes anything, so a buffer that runs into a read-only or unmapped page
 * fails whole instead of being written in part. Each page is tested with an atomic write that
 * changes nothing (rt_safe_probe_write), so memory another thread is changing loses no store. */
bool nt_probe_write(void *user, size_t n)
{
    if (n == 0)
        return true;
    uintptr_t a = (uintptr_t)user, last = a + n - 1;
    if (!user || last < a)
        return false;
    for (;;) {
        if (rt_safe_probe_write((void *)a) != 0)
            return false;
        if ((a | 0xfff) >= last)
            break;
        a = (a | 0xfff) + 1;
    }
    return rt_safe_probe_write((void *)last) == 0;
}

/* The buffers of a device or file-system control as the I/O manager probes them for a caller
 * in user mode, by the code's transfer method (its low two bits): METHOD_BUFFERED (0) reads
 * the input and writes the output; METHOD_IN_DIRECT (1) and METHOD_OUT_DIRECT (2) read the
 * input and lock the output for reading or writing; METHOD_NEITHER (3) leaves both to the
 * driver. A NULL or empty buffer is not looked at. */
bool nt_probe_ioctl(uint32_t code, const void *in, uint32_t in_len, void *out, uint32_t out_len)
{
    uint32_t method = code & 3;
    if (method == 3)
        return true;
    if (in && in_len && !nt_probe_read(in, in_len))
        return false;
    if (!out || !out_len)
        return true;
    return method == 1 ? nt_probe_read(out, out_len) : nt_probe_write(out, out_len);
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
