/* SPDX-License-Identifier: MIT */
/* shell32's CommandLineToArgvW: a command line split into arguments by the rules Windows
 * documents for it. The first argument (the program) ends at the next space or tab, or runs
 * between quotes, with no backslash processing; after it, arguments are separated by spaces or
 * tabs, quotes group, 2n backslashes before a quote give n backslashes and a grouping quote,
 * 2n+1 give n backslashes and a literal quote, other backslashes are literal. The result is one
 * LocalAlloc block (the pointer array, then the strings) that the caller frees with LocalFree.
 * An empty command line gives the program's path as the only argument. */
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

DWORD WINAPI GetModuleFileNameW(HMODULE mod, WCHAR *buf, DWORD size); /* kernel32/process.c */
void *WINAPI LocalAlloc(UINT flags, SIZE_T size);                        /* kernel32/memory.c */

static bool sh_blank(WCHAR c) { return c == ' ' || c == '\t'; }

/* Splits `s`; with `argv`/`buf` NULL only counts. Returns the argument count; *nchars gets the
 * characters the strings need, terminators included. */
static int sh_split(const WCHAR *s, WCHAR **argv, WCHAR *buf, size_t *nchars)
{
    size_t out = 0;
    int argc = 0;
#define SH_PUT(c) do { if (buf) buf[out] = (c); out++; } while (0)
    /* The program name. */
    if (argv)
        argv[argc] = buf + out;
    if (*s == '"') {
        for (s++; *s && *s != '"'; s++)
            SH_PUT(*s);
        if (*s == '"')
            s++;
    } else {
        for (; *s && !sh_blank(*s); s++)
            SH_PUT(*s);
    }
    SH_PUT(0);
    argc++;
    for (;;) {
        while (sh_blank(*s))
            s++;
        if (!*s)
            break;
        if (argv)
            argv[argc] = buf + out;
        bool quoted = false;
        while (*s && (quoted || !sh_blank(*s))) {
            if (*s == '\\') {
                size_t n = 0;
                while (s[n] == '\\')
                    n++;
                if (s[n] == '"') {
                    for (size_t i = 0; i < n / 2; i++)
                        SH_PUT('\\');
                    if (n % 2) {
                        SH_PUT('"');
                        s += n + 1;
                    } else {
                        s += n; /* the quote groups, below */
                    }
                } else {
                    for (size_t i = 0; i < n; i++)
                        SH_PUT('\\');
                    s += n;
                }
                continue;
            }
            if (*s == '"') {
                /* "" inside a quoted run is a literal quote (the run goes on). */
                if (quoted && s[1] == '"') {
                    SH_PUT('"');
                    s += 2;
                    continue;
                }
                quoted = !quoted;
                s++;
                continue;
            }
            SH_PUT(*s);
            s++;
        }
        SH_PUT(0);
        argc++;
    }
#undef SH_PUT
    *nchars = out;
    return argc;
}

static WCHAR **WINAPI sh_CommandLineToArgvW(const WCHAR *cmdline, int *numargs)
{
    if (!numargs) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    WCHAR self[1024];
    if (!cmdline || !*cmdline) {
        DWORD n = GetModuleFileNameW(NULL, self, 1024);
        if (!n)
            return NULL;
        self[n < 1024 ? n : 1023] = 0;
        /* the path alone, whatever it contains */
        size_t len = n < 1024 ? n : 1023;
        WCHAR **argv = LocalAlloc(0, 2 * sizeof(WCHAR *) + (len + 1) * sizeof(WCHAR));
        if (!argv)
            return NULL;
        WCHAR *str = (WCHAR *)(argv + 2);
        memcpy(str, self, (len + 1) * sizeof(WCHAR));
        argv[0] = str;
        argv[1] = NULL;
        *numargs = 1;
        return argv;
    }
    size_t nchars = 0;
    int argc = sh_split(cmdline, NULL, NULL, &nchars);
    WCHAR **argv = LocalAlloc(0, (size_t)(argc + 1) * sizeof(WCHAR *) + nchars * sizeof(WCHAR));
    if (!argv)
        return NULL;
    sh_split(cmdline, argv, (WCHAR *)(argv + argc + 1), &nchars);
    argv[argc] = NULL;
    *numargs = argc;
    return argv;
}
THK_EXPORT_AS(shell32, CommandLineToArgvW, sh_CommandLineToArgvW, 2);
