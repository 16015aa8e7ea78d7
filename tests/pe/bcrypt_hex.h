/* SPDX-License-Identifier: MIT */
/* The bcrypt tests' hex printer and parser (bcrypt_aead, bcrypt_cipher, bcrypt_hash, bcrypt_rsa). */
#ifndef NTRUN_TESTS_PE_BCRYPT_HEX_H
#define NTRUN_TESTS_PE_BCRYPT_HEX_H
#include <windows.h>
#include <stdio.h>

/* "what 0a1b..." on a line of its own */
static inline void hex(const char *what, const UCHAR *p, ULONG n)
{
    printf("%s ", what);
    for (ULONG i = 0; i < n; i++)
        printf("%02x", p[i]);
    printf("\n");
}

/* The bytes a string of hex digit pairs spells, into out; their number. */
static inline ULONG unhex(const char *s, UCHAR *out)
{
    ULONG n = 0;
    for (; s[0] && s[1]; s += 2) {
        unsigned v;
        sscanf(s, "%2x", &v);
        out[n++] = (UCHAR)v;
    }
    return n;
}
#endif
