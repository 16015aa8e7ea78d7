/* What the signed-message tests (crypt_msg, crypt_ctl) share: load(name, &len) reads
 * crypt_msg\NAME beside the program (the data crypt_msg.gen makes; crypt_ctl signs with the
 * same keys) whole into a new 64 KiB buffer (*len 0, after saying so, when it cannot);
 * hex(label, p, n) prints bytes 32 to a line; result(what, ok) prints "what: ok" or
 * "what: error XXXXXXXX" (GetLastError). */
#ifndef NTRUN_TESTS_PE_CRYPT_MSG_COMMON_H
#define NTRUN_TESTS_PE_CRYPT_MSG_COMMON_H
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>
#include "crypt_files.h"

#define CRYPT_MSG_FOLDER "crypt_msg"

static inline BYTE *load(const char *name, DWORD *len)
{
    return crypt_load_new(CRYPT_MSG_FOLDER, name, len);
}

static inline void hex(const char *label, const BYTE *p, DWORD n)
{
    printf("%s (%lu bytes):", label, (unsigned long)n);
    for (DWORD i = 0; i < n; i++)
        printf("%s%02x", i % 32 ? "" : "\n  ", p[i]);
    printf("\n");
}

static inline void result(const char *what, BOOL ok)
{
    if (ok)
        printf("%s: ok\n", what);
    else
        printf("%s: error %08lx\n", what, (unsigned long)GetLastError());
}
#endif
