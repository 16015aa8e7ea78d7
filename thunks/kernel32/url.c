/* SPDX-License-Identifier: MIT */
/* kernelbase (shlwapi forwards here): UrlIsW/UrlIsA for the questions a console program asks of
 * a string: URLIS_URL (a scheme of two or more letters, digits, '+', '-' or '.' before ':'),
 * URLIS_FILEURL ("file:"), URLIS_OPAQUE (a scheme whose rest is not a path: mailto, news, ...).
 * The other questions (history, appliable, directory, query) answer FALSE. */
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

enum { URLIS_URL, URLIS_OPAQUE, URLIS_NOHISTORY, URLIS_FILEURL };

/* The scheme's length (before ':'), 0 when there is none. */
static size_t url_scheme_len(const WCHAR *u)
{
    size_t n = 0;
    while (u[n] && u[n] != u':') {
        WCHAR c = u[n];
        if (!((c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
              c == u'+' || c == u'-' || c == u'.'))
            return 0;
        n++;
    }
    return u[n] == u':' && n >= 2 ? n : 0;
}

static bool url_scheme_is(const WCHAR *u, size_t n, const char *name)
{
    if (strlen(name) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        WCHAR c = u[i] >= u'A' && u[i] <= u'Z' ? (WCHAR)(u[i] + 32) : u[i];
        if (c != (WCHAR)name[i])
            return false;
    }
    return true;
}

BOOL WINAPI UrlIsW(const WCHAR *url, int what)
{
    if (!url)
        return FALSE;
    size_t n = url_scheme_len(url);
    switch (what) {
    case URLIS_URL:
        return n != 0;
    case URLIS_FILEURL:
        return n && url_scheme_is(url, n, "file");
    case URLIS_OPAQUE: {
        static const char *const opaque[] = {"mailto", "news", "javascript", "about", "shell",
                                             "res", "vbscript", "snews", "local"};
        for (size_t i = 0; n && i < sizeof opaque / sizeof opaque[0]; i++)
            if (url_scheme_is(url, n, opaque[i]))
                return TRUE;
        return FALSE;
    }
    default:
        return FALSE;
    }
}
THK_EXPORT(kernelbase, UrlIsW, 2);

BOOL WINAPI UrlIsA(const char *url, int what)
{
    if (!url)
        return FALSE;
    WCHAR w[64];
    size_t i = 0;
    for (; url[i] && i < sizeof w / sizeof w[0] - 1; i++) /* the scheme decides: 63 are plenty */
        w[i] = (WCHAR)(unsigned char)url[i];
    w[i] = 0;
    return UrlIsW(w, what);
}
THK_EXPORT(kernelbase, UrlIsA, 2);
