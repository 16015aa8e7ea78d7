/* What the code page tests (nls_codepages.c, nls_cp936.c) share: one MultiByteToWideChar or
 * WideCharToMultiByte call printed as "  what: result [error] units-or-bytes", with the
 * default-character flag for the latter. */
#ifndef NTRUN_TESTS_PE_NLS_SHOW_H
#define NTRUN_TESTS_PE_NLS_SHOW_H
#include <stdio.h>
#include <string.h>
#include <windows.h>

static void units(UINT cp, const char *what, const char *s, int n, DWORD flags)
{
    WCHAR w[64];
    SetLastError(0xdeadbeef);
    int r = MultiByteToWideChar(cp, flags, s, n, w, 64);
    printf("  %s: %d", what, r);
    if (!r)
        printf(" error %lu", GetLastError());
    for (int i = 0; i < r; i++)
        printf(" %04x", w[i]);
    printf("\n");
}

/* Into a buffer of `cap` bytes (0: only the size is asked for, and printed). */
static void bytes_cap(UINT cp, const char *what, const WCHAR *w, int n, DWORD flags,
                      const char *def, int cap)
{
    char b[64];
    BOOL used = 7;
    memset(b, 0xcc, sizeof b);
    SetLastError(0xdeadbeef);
    int r = WideCharToMultiByte(cp, flags, w, n, b, cap, def, &used);
    printf("  %s: %d used %d", what, r, used);
    if (!r)
        printf(" error %lu", GetLastError());
    for (int i = 0; i < r && cap; i++)
        printf(" %02x", (unsigned char)b[i]);
    printf("\n");
}

static void bytes(UINT cp, const char *what, const WCHAR *w, int n, DWORD flags, const char *def)
{
    bytes_cap(cp, what, w, n, flags, def, 64);
}

#endif
