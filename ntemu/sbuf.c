/* SPDX-License-Identifier: MIT */
/* A growing NUL-terminated string (nt_sbuf in ntemu.h): paths here, command lines in kernel32. */
#include <stdlib.h>
#include <string.h>
#include "ntemu/ntemu.h"

void nt_sb_add(nt_sbuf *b, const char *p, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->oom = true;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
    memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = 0;
}

void nt_sb_adds(nt_sbuf *b, const char *p) { nt_sb_add(b, p, strlen(p)); }

void nt_sb_addc(nt_sbuf *b, char c) { nt_sb_add(b, &c, 1); }

char *nt_sb_take(nt_sbuf *b)
{
    if (b->oom || !b->s) {
        free(b->s);
        return b->oom ? NULL : strdup("");
    }
    return b->s;
}
