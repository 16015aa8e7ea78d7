/* SPDX-License-Identifier: MIT */
/* shlwapi's URL functions for the common cases: UrlGetPart (scheme, host, user, password,
 * port, query; URL_PARTFLAG_KEEPSCHEME), UrlEscape (unsafe characters of the path as %XX, the
 * query and fragment left alone; URL_ESCAPE_SPACES_ONLY, URL_ESCAPE_PERCENT,
 * URL_ESCAPE_SEGMENT_ONLY, URL_ESCAPE_AS_UTF8), UrlUnescape (URL_UNESCAPE_INPLACE,
 * URL_DONT_UNESCAPE_EXTRA_INFO), UrlCanonicalize ("." and ".." segments, URL_UNESCAPE,
 * URL_ESCAPE_SPACES_ONLY/UNSAFE, URL_DONT_SIMPLIFY; a file URL's backslashes become slashes),
 * UrlCombine (RFC 3986 references: a scheme, "//", "/", or a path merged with the base's
 * folder), PathIsURL (UrlIs is kernelbase's, thunks/kernel32/url.c), UrlCreateFromPath and
 * PathCreateFromUrl
 * (file URLs, drive and UNC paths), W and A. Sizes are characters: a success gives the length
 * without the NUL, a short buffer E_POINTER and the size with it. */
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

#define UR_S_OK 0
#define UR_S_FALSE 1
#define UR_E_POINTER ((int32_t)0x80004003)
#define UR_E_INVALIDARG ((int32_t)0x80070057)
#define UR_E_OUTOFMEMORY ((int32_t)0x8007000E)
#define UR_E_FAIL ((int32_t)0x80004005)

#define UR_PART_SCHEME 1u
#define UR_PART_HOSTNAME 2u
#define UR_PART_USERNAME 3u
#define UR_PART_PASSWORD 4u
#define UR_PART_PORT 5u
#define UR_PART_QUERY 6u
#define UR_PARTFLAG_KEEPSCHEME 1u

#define UR_UNESCAPE 0x10000000u
#define UR_ESCAPE_UNSAFE 0x20000000u
#define UR_DONT_SIMPLIFY 0x08000000u
#define UR_ESCAPE_SPACES_ONLY 0x04000000u
#define UR_DONT_EXTRA_INFO 0x02000000u /* URL_DONT_ESCAPE/UNESCAPE_EXTRA_INFO */
#define UR_UNESCAPE_INPLACE 0x00100000u
#define UR_ESCAPE_AS_UTF8 0x00040000u
#define UR_ESCAPE_SEGMENT_ONLY 0x00002000u
#define UR_ESCAPE_PERCENT 0x00001000u

typedef int32_t HRESULT;

/* ---- a growing wide string ---- */
typedef struct {
    WCHAR *p;
    size_t n, cap;
    bool failed;
} ur_str;

static void ur_put(ur_str *s, const WCHAR *w, size_t n)
{
    if (s->failed)
        return;
    if (s->n + n + 1 > s->cap) {
        size_t cap = (s->n + n + 1) * 2 + 16;
        WCHAR *p = realloc(s->p, cap * sizeof(WCHAR));
        if (!p) {
            s->failed = true;
            return;
        }
        s->p = p;
        s->cap = cap;
    }
    memcpy(s->p + s->n, w, n * sizeof(WCHAR));
    s->n += n;
    s->p[s->n] = 0;
}

static void ur_putc(ur_str *s, WCHAR c)
{
    ur_put(s, &c, 1);
}

static void ur_puta(ur_str *s, const char *a)
{
    while (*a)
        ur_putc(s, (WCHAR)(unsigned char)*a++);
}

static size_t ur_len(const WCHAR *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* The result into out (*cch characters): Windows' size rules. Frees s. */
static HRESULT ur_give(ur_str *s, WCHAR *out, DWORD *cch, HRESULT ok)
{
    HRESULT hr = ok;
    if (s->failed) {
        hr = UR_E_OUTOFMEMORY;
    } else if (!cch) {
        hr = UR_E_INVALIDARG;
    } else if (!out || *cch < s->n + 1) {
        *cch = (DWORD)s->n + 1;
        hr = UR_E_POINTER;
    } else {
        memcpy(out, s->p ? s->p : u"", (s->n + 1) * sizeof(WCHAR));
        *cch = (DWORD)s->n;
    }
    free(s->p);
    return hr;
}

/* ---- parsing ---- */

/* The scheme's length ("http" 4), 0 when the string has none (a drive letter is none). */
static size_t ur_scheme_len(const WCHAR *u)
{
    size_t i = 0;
    while ((u[i] >= 'a' && u[i] <= 'z') || (u[i] >= 'A' && u[i] <= 'Z') ||
           (i && ((u[i] >= '0' && u[i] <= '9') || u[i] == '+' || u[i] == '-' || u[i] == '.')))
        i++;
    return u[i] == ':' && i >= 2 ? i : 0;
}

static bool ur_scheme_is(const WCHAR *u, const char *name)
{
    size_t n = ur_scheme_len(u);
    if (n != strlen(name))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((u[i] | 0x20) != name[i])
            return false;
    return true;
}

typedef struct {
    const WCHAR *scheme, *user, *pass, *host, *port, *path, *query;
    size_t scheme_n, user_n, pass_n, host_n, port_n, path_n, query_n;
    bool has_auth;
} ur_parts;

static bool ur_parse(const WCHAR *u, ur_parts *p)
{
    memset(p, 0, sizeof *p);
    p->scheme_n = ur_scheme_len(u);
    if (!p->scheme_n)
        return false;
    p->scheme = u;
    const WCHAR *s = u + p->scheme_n + 1;
    if (s[0] == '/' && s[1] == '/') {
        p->has_auth = true;
        s += 2;
        const WCHAR *end = s;
        while (*end && *end != '/' && *end != '\\' && *end != '?' && *end != '#')
            end++;
        const WCHAR *at = NULL;
        for (const WCHAR *q = s; q < end; q++)
            if (*q == '@')
                at = q;
        const WCHAR *h = s;
        if (at) {
            const WCHAR *colon = s;
            while (colon < at && *colon != ':')
                colon++;
            p->user = s;
            p->user_n = (size_t)(colon - s);
            if (colon < at) {
                p->pass = colon + 1;
                p->pass_n = (size_t)(at - colon - 1);
            }
            h = at + 1;
        }
        const WCHAR *colon = h;
        while (colon < end && *colon != ':')
            colon++;
        p->host = h;
        p->host_n = (size_t)(colon - h);
        if (colon < end) {
            p->port = colon + 1;
            p->port_n = (size_t)(end - colon - 1);
        }
        s = end;
    }
    p->path = s;
    while (*s && *s != '?' && *s != '#')
        s++;
    p->path_n = (size_t)(s - p->path);
    if (*s == '?') {
        p->query = s + 1;
        p->query_n = ur_len(s + 1);
    }
    return true;
}

HRESULT WINAPI UrlGetPartW(const WCHAR *url, WCHAR *out, DWORD *cch, DWORD part, DWORD flags)
{
    if (!url || !out || !cch || !*cch)
        return UR_E_INVALIDARG;
    ur_parts p;
    ur_str s = {0};
    if (!ur_parse(url, &p)) {
        out[0] = 0;
        *cch = 0;
        return UR_S_OK; /* no scheme: an empty part, as Windows 8 and later */
    }
    const WCHAR *v = NULL;
    size_t n = 0;
    switch (part) {
    case UR_PART_SCHEME: v = p.scheme, n = p.scheme_n; break;
    case UR_PART_HOSTNAME: v = p.host, n = p.host_n; break;
    case UR_PART_USERNAME: v = p.user, n = p.user_n; break;
    case UR_PART_PASSWORD: v = p.pass, n = p.pass_n; break;
    case UR_PART_PORT: v = p.port, n = p.port_n; break;
    case UR_PART_QUERY: v = p.query ? p.query : u"", n = p.query_n; break;
    default: return UR_E_INVALIDARG;
    }
    if (!v && part != UR_PART_HOSTNAME)
        return UR_E_INVALIDARG;
    if ((flags & UR_PARTFLAG_KEEPSCHEME) && part != UR_PART_SCHEME) {
        ur_put(&s, p.scheme, p.scheme_n);
        ur_putc(&s, ':');
    }
    if (v)
        ur_put(&s, v, n);
    return ur_give(&s, out, cch, UR_S_OK);
}
THK_EXPORT(shlwapi, UrlGetPartW, 5);

/* ---- escaping ---- */

static bool ur_needs_escape(WCHAR c, DWORD flags, bool segment)
{
    if (flags & UR_ESCAPE_SPACES_ONLY)
        return c == ' ';
    if (c == '%')
        return (flags & UR_ESCAPE_PERCENT) != 0;
    if (c >= 0x80)
        return (flags & UR_ESCAPE_AS_UTF8) || c <= 0xff;
    if (c <= 31 || c == 127)
        return true;
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return false;
    switch (c) {
    case ' ': case '<': case '>': case '"': case '{': case '}': case '|': case '\\': case '^':
    case '[': case ']': case '`':
        return true;
    case '/': case '?': case '#':
        return segment;
    default:
        return false;
    }
}

static void ur_put_escaped(ur_str *s, unsigned b)
{
    static const char hex[] = "0123456789ABCDEF";
    WCHAR e[3] = {'%', (WCHAR)hex[(b >> 4) & 15], (WCHAR)hex[b & 15]};
    ur_put(s, e, 3);
}

static void ur_escape(const WCHAR *u, DWORD flags, ur_str *s)
{
    bool segment = flags & UR_ESCAPE_SEGMENT_ONLY;
    size_t i = 0;
    if (!segment) {
        size_t k = ur_scheme_len(u);
        if (k) {
            ur_put(s, u, k + 1);
            i = k + 1;
        }
    }
    for (; u[i]; i++) {
        WCHAR c = u[i];
        if (!segment && !(flags & UR_ESCAPE_SPACES_ONLY) && (c == '?' || c == '#')) {
            ur_put(s, u + i, ur_len(u + i)); /* the query and fragment as they are */
            return;
        }
        if (!ur_needs_escape(c, flags, segment)) {
            ur_putc(s, c);
        } else if (c >= 0x80 && (flags & UR_ESCAPE_AS_UTF8)) {
            char b[4];
            int n = WideCharToMultiByte(65001, 0, &c, 1, b, 4, NULL, NULL);
            for (int k = 0; k < n; k++)
                ur_put_escaped(s, (unsigned char)b[k]);
        } else {
            ur_put_escaped(s, c);
        }
    }
}

HRESULT WINAPI UrlEscapeW(const WCHAR *url, WCHAR *out, DWORD *cch, DWORD flags)
{
    if (!url || !cch)
        return UR_E_INVALIDARG;
    ur_str s = {0};
    ur_escape(url, flags, &s);
    return ur_give(&s, out, cch, UR_S_OK);
}
THK_EXPORT(shlwapi, UrlEscapeW, 4);

static int ur_hex(WCHAR c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void ur_unescape(const WCHAR *u, DWORD flags, ur_str *s)
{
    for (size_t i = 0; u[i]; i++) {
        if ((flags & UR_DONT_EXTRA_INFO) && (u[i] == '?' || u[i] == '#')) {
            ur_put(s, u + i, ur_len(u + i));
            return;
        }
        int hi, lo;
        if (u[i] == '%' && (hi = ur_hex(u[i + 1])) >= 0 && (lo = ur_hex(u[i + 2])) >= 0) {
            ur_putc(s, (WCHAR)(hi << 4 | lo));
            i += 2;
        } else {
            ur_putc(s, u[i]);
        }
    }
}

HRESULT WINAPI UrlUnescapeW(WCHAR *url, WCHAR *out, DWORD *cch, DWORD flags)
{
    if (!url || (!(flags & UR_UNESCAPE_INPLACE) && (!out || !cch)))
        return UR_E_INVALIDARG;
    ur_str s = {0};
    ur_unescape(url, flags, &s);
    if (flags & UR_UNESCAPE_INPLACE) {
        if (s.failed) {
            free(s.p);
            return UR_E_OUTOFMEMORY;
        }
        memcpy(url, s.p ? s.p : u"", (s.n + 1) * sizeof(WCHAR)); /* never longer */
        free(s.p);
        return UR_S_OK;
    }
    return ur_give(&s, out, cch, UR_S_OK);
}
THK_EXPORT(shlwapi, UrlUnescapeW, 4);

/* ---- canonical form, combining ---- */

/* Removes "." and ".." segments from a path starting at p[0] == '/' (RFC 3986 5.2.4); a ".."
 * at the top stays. */
static void ur_dots(ur_str *path)
{
    WCHAR *p = path->p;
    size_t n = path->n, w = 0;
    if (!p)
        return;
    for (size_t r = 0; r < n;) {
        /* the segment starting at r (after its '/') */
        size_t start = r;
        if (p[r] == '/')
            r++;
        size_t e = r;
        while (e < n && p[e] != '/')
            e++;
        size_t len = e - r;
        bool last = e >= n;
        if (len == 1 && p[r] == '.') {
            if (last && start < n)
                p[w++] = '/';
        } else if (len == 2 && p[r] == '.' && p[r + 1] == '.') {
            size_t k = w;
            while (k > 0 && p[k - 1] != '/')
                k--;
            bool top = k == 0 || (k >= 3 && w - k == 2 && p[k] == '.' && p[k + 1] == '.');
            if (w == 0 || top) {
                memmove(p + w, p + start, (e - start) * sizeof(WCHAR));
                w += e - start;
            } else {
                w = k > 0 ? k - 1 : 0; /* drop the previous segment and its '/' */
                if (last)
                    p[w++] = '/';
            }
        } else {
            memmove(p + w, p + start, (e - start) * sizeof(WCHAR));
            w += e - start;
        }
        r = e;
    }
    path->n = w;
    p[w] = 0;
}

static void ur_canonical(const WCHAR *url, DWORD flags, ur_str *out)
{
    ur_str u = {0};
    ur_put(&u, url, ur_len(url));
    if (u.failed) {
        out->failed = true;
        return;
    }
    bool file = ur_scheme_is(u.p, "file");
    if (file) { /* backslashes are slashes; "file://C:" is a local path: "file:///C:" */
        for (size_t i = 5; i < u.n; i++)
            if (u.p[i] == '\\')
                u.p[i] = '/';
        WCHAR *r = u.p + 5;
        if (r[0] == '/' && r[1] == '/' && r[2] && r[3] == ':') {
            ur_str t = {0};
            ur_puta(&t, "file:///");
            ur_put(&t, r + 2, ur_len(r + 2));
            free(u.p);
            u = t;
        }
    }
    ur_parts p;
    if (!ur_parse(u.p, &p)) {
        ur_put(out, u.p, u.n);
    } else {
        size_t head = (size_t)(p.path - u.p);
        ur_put(out, u.p, head);
        ur_str path = {0};
        ur_put(&path, p.path, p.path_n);
        if (!(flags & UR_DONT_SIMPLIFY) && path.n && path.p[0] == '/')
            ur_dots(&path);
        ur_put(out, path.p ? path.p : u"", path.n);
        free(path.p);
        const WCHAR *rest = p.path + p.path_n;
        ur_put(out, rest, ur_len(rest));
    }
    free(u.p);
    if (flags & (UR_UNESCAPE | UR_ESCAPE_SPACES_ONLY | UR_ESCAPE_UNSAFE)) {
        ur_str t = {0};
        if (flags & UR_UNESCAPE)
            ur_unescape(out->p ? out->p : u"", 0, &t);
        else
            ur_escape(out->p ? out->p : u"", flags & (UR_ESCAPE_SPACES_ONLY | UR_ESCAPE_PERCENT),
                      &t);
        free(out->p);
        *out = t;
    }
}

HRESULT WINAPI UrlCanonicalizeW(const WCHAR *url, WCHAR *out, DWORD *cch, DWORD flags)
{
    if (!url || !out || !cch || !*cch)
        return UR_E_INVALIDARG;
    ur_str s = {0};
    ur_canonical(url, flags, &s);
    return ur_give(&s, out, cch, UR_S_OK);
}
THK_EXPORT(shlwapi, UrlCanonicalizeW, 4);

HRESULT WINAPI UrlCombineW(const WCHAR *base, const WCHAR *rel, WCHAR *out, DWORD *cch,
                           DWORD flags)
{
    if (!base || !rel || !cch)
        return UR_E_INVALIDARG;
    ur_str s = {0};
    ur_parts b;
    if (ur_scheme_len(rel) || !ur_parse(base, &b)) {
        ur_put(&s, rel, ur_len(rel));
    } else if (rel[0] == '/' && rel[1] == '/') {
        ur_put(&s, b.scheme, b.scheme_n + 1);
        ur_put(&s, rel, ur_len(rel));
    } else {
        ur_put(&s, base, (size_t)(b.path - base)); /* scheme and authority */
        if (rel[0] == '/') {
            ur_put(&s, rel, ur_len(rel));
        } else {
            size_t k = b.path_n;
            while (k > 0 && b.path[k - 1] != '/')
                k--;
            if (!k && b.has_auth)
                ur_putc(&s, '/');
            ur_put(&s, b.path, k);
            ur_put(&s, rel, ur_len(rel));
        }
    }
    if (s.failed)
        return ur_give(&s, out, cch, UR_S_OK);
    ur_str c = {0};
    ur_canonical(s.p, flags, &c);
    free(s.p);
    return ur_give(&c, out, cch, UR_S_OK);
}
THK_EXPORT(shlwapi, UrlCombineW, 5);

BOOL WINAPI PathIsURLW(const WCHAR *path)
{
    return path && ur_scheme_len(path) != 0;
}
THK_EXPORT(shlwapi, PathIsURLW, 1);

/* ---- file URLs and paths ---- */

HRESULT WINAPI UrlCreateFromPathW(const WCHAR *path, WCHAR *out, DWORD *cch, DWORD reserved)
{
    (void)reserved;
    if (!path || !cch)
        return UR_E_INVALIDARG;
    ur_str s = {0};
    if (ur_scheme_len(path)) { /* already a URL */
        ur_put(&s, path, ur_len(path));
        return ur_give(&s, out, cch, UR_S_FALSE);
    }
    const WCHAR *p = path;
    if (p[0] == '\\' && p[1] == '\\') {
        ur_puta(&s, "file://");
        p += 2;
    } else {
        ur_puta(&s, "file:///");
    }
    for (; *p; p++) {
        WCHAR c = *p == '\\' ? '/' : *p;
        if (c == ' ' || c == '%' || c == '#' || c == '"' || c == '<' || c == '>')
            ur_put_escaped(&s, c);
        else
            ur_putc(&s, c);
    }
    return ur_give(&s, out, cch, UR_S_OK);
}
THK_EXPORT(shlwapi, UrlCreateFromPathW, 4);

HRESULT WINAPI PathCreateFromUrlW(const WCHAR *url, WCHAR *out, DWORD *cch, DWORD reserved)
{
    (void)reserved;
    if (!url || !cch || !ur_scheme_is(url, "file"))
        return UR_E_INVALIDARG;
    const WCHAR *p = url + 5;
    ur_str raw = {0}, s = {0};
    if (p[0] == '/' && p[1] == '/') {
        p += 2;
        static const WCHAR localhost[] = u"localhost/";
        size_t k = 0;
        while (k < 10 && (p[k] | (p[k] >= 'A' && p[k] <= 'Z' ? 0x20 : 0)) == localhost[k])
            k++;
        if (k == 10)
            p += 9;
        if (p[0] != '/') { /* file://server/share: a UNC path */
            ur_puta(&raw, "\\\\");
        }
    }
    while (p[0] == '/' && p[1] == '/')
        p++;
    if (p[0] == '/' && p[1] && (p[2] == ':' || p[2] == '|'))
        p++; /* "/C:/x": the drive */
    ur_unescape(p, 0, &raw);
    for (size_t i = 0; i < raw.n; i++) {
        WCHAR c = raw.p[i];
        if (c == '/')
            c = '\\';
        if (c == '|' && i == 1)
            c = ':';
        ur_putc(&s, c);
    }
    if (raw.failed)
        s.failed = true;
    free(raw.p);
    return ur_give(&s, out, cch, UR_S_OK);
}
THK_EXPORT(shlwapi, PathCreateFromUrlW, 4);

/* ---- A forms: the W function on ANSI-code-page copies ---- */

static WCHAR *ur_w(const char *a)
{
    bool ok = true;
    return a ? k32_a_to_w(a, &ok) : NULL;
}

/* the W result `w` (hr from the W call with a big buffer) given as A with the size rules */
static HRESULT ur_give_a(HRESULT hr, const WCHAR *w, char *out, DWORD *cch)
{
    if (hr < 0 || !cch)
        return hr < 0 ? hr : UR_E_INVALIDARG;
    int need = WideCharToMultiByte(0, 0, w, -1, NULL, 0, NULL, NULL);
    if (need <= 0)
        return UR_E_FAIL;
    if (!out || *cch < (DWORD)need) {
        *cch = (DWORD)need;
        return UR_E_POINTER;
    }
    WideCharToMultiByte(0, 0, w, -1, out, need, NULL, NULL);
    *cch = (DWORD)need - 1;
    return hr;
}

#define UR_BIG 4096

HRESULT WINAPI UrlGetPartA(const char *url, char *out, DWORD *cch, DWORD part, DWORD flags)
{
    if (!url || !out || !cch || !*cch)
        return UR_E_INVALIDARG;
    WCHAR *w = ur_w(url), *r = malloc(UR_BIG * sizeof(WCHAR));
    DWORD n = UR_BIG;
    HRESULT hr = w && r ? UrlGetPartW(w, r, &n, part, flags) : UR_E_OUTOFMEMORY;
    hr = ur_give_a(hr, r, out, cch);
    free(w);
    free(r);
    return hr;
}
THK_EXPORT(shlwapi, UrlGetPartA, 5);

HRESULT WINAPI UrlEscapeA(const char *url, char *out, DWORD *cch, DWORD flags)
{
    if (!url || !cch)
        return UR_E_INVALIDARG;
    WCHAR *w = ur_w(url), *r = malloc(UR_BIG * sizeof(WCHAR));
    DWORD n = UR_BIG;
    HRESULT hr = w && r ? UrlEscapeW(w, r, &n, flags & ~UR_ESCAPE_AS_UTF8) : UR_E_OUTOFMEMORY;
    hr = ur_give_a(hr, r, out, cch);
    free(w);
    free(r);
    return hr;
}
THK_EXPORT(shlwapi, UrlEscapeA, 4);

HRESULT WINAPI UrlCanonicalizeA(const char *url, char *out, DWORD *cch, DWORD flags)
{
    if (!url || !out || !cch || !*cch)
        return UR_E_INVALIDARG;
    WCHAR *w = ur_w(url), *r = malloc(UR_BIG * sizeof(WCHAR));
    DWORD n = UR_BIG;
    HRESULT hr = w && r ? UrlCanonicalizeW(w, r, &n, flags) : UR_E_OUTOFMEMORY;
    hr = ur_give_a(hr, r, out, cch);
    free(w);
    free(r);
    return hr;
}
THK_EXPORT(shlwapi, UrlCanonicalizeA, 4);

HRESULT WINAPI UrlCombineA(const char *base, const char *rel, char *out, DWORD *cch, DWORD flags)
{
    if (!base || !rel || !cch)
        return UR_E_INVALIDARG;
    WCHAR *wb = ur_w(base), *wr = ur_w(rel), *r = malloc(UR_BIG * sizeof(WCHAR));
    DWORD n = UR_BIG;
    HRESULT hr = wb && wr && r ? UrlCombineW(wb, wr, r, &n, flags) : UR_E_OUTOFMEMORY;
    hr = ur_give_a(hr, r, out, cch);
    free(wb);
    free(wr);
    free(r);
    return hr;
}
THK_EXPORT(shlwapi, UrlCombineA, 5);

BOOL WINAPI PathIsURLA(const char *path)
{
    WCHAR *w = ur_w(path);
    BOOL r = w && PathIsURLW(w);
    free(w);
    return r;
}
THK_EXPORT(shlwapi, PathIsURLA, 1);
