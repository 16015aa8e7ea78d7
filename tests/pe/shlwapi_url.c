/* shlwapi's URL functions on common inputs: UrlGetPartW (scheme, host, user, password, port,
 * query; URL_PARTFLAG_KEEPSCHEME; a missing part; sizes and E_POINTER), UrlEscapeW (default,
 * URL_ESCAPE_SPACES_ONLY, URL_ESCAPE_PERCENT, URL_ESCAPE_SEGMENT_ONLY), UrlUnescapeW (and
 * URL_UNESCAPE_INPLACE), UrlCanonicalizeW (dot segments, spaces, backslashes of file URLs,
 * URL_UNESCAPE), UrlCombineW (relative references), UrlIsW (URLIS_URL, URLIS_FILEURL),
 * UrlCreateFromPathW and PathCreateFromUrlW (file URLs), PathIsURLW, the A forms of a few.
 * Expected output: Wine 8.0's. Left out where Windows' documented behaviour and Wine's may
 * differ: a fragment after the query, a string without a scheme, non-ASCII characters,
 * spaces and ".." above the root in UrlCanonicalizeW, case, a query-only reference. */
#include <windows.h>
#include <shlwapi.h>
#include <stdio.h>

static const char *u8(const WCHAR *w)
{
    static char buf[4][1024];
    static int k;
    char *b = buf[k++ & 3];
    WideCharToMultiByte(CP_UTF8, 0, w, -1, b, sizeof buf[0], NULL, NULL);
    return b;
}

static void part(const WCHAR *url, DWORD p, DWORD flags)
{
    WCHAR out[256] = L"junk";
    DWORD n = 256;
    HRESULT hr = UrlGetPartW(url, out, &n, p, flags);
    printf("part %lu%s of %s: %08lx n %lu \"%s\"\n", p, flags ? "+keep" : "", u8(url), hr, n,
           hr == S_OK ? u8(out) : "");
}

static void esc(const WCHAR *url, DWORD flags)
{
    WCHAR out[256] = L"junk";
    DWORD n = 256;
    HRESULT hr = UrlEscapeW(url, out, &n, flags);
    printf("escape %08lx %s: %08lx n %lu \"%s\"\n", flags, u8(url), hr, n, u8(out));
}

static void canon(const WCHAR *url, DWORD flags)
{
    WCHAR out[256] = L"junk";
    DWORD n = 256;
    HRESULT hr = UrlCanonicalizeW(url, out, &n, flags);
    printf("canon %08lx %s: %08lx n %lu \"%s\"\n", flags, u8(url), hr, n, u8(out));
}

static void combine(const WCHAR *base, const WCHAR *rel)
{
    WCHAR out[256] = L"junk";
    DWORD n = 256;
    HRESULT hr = UrlCombineW(base, rel, out, &n, 0);
    printf("combine %s + %s: %08lx n %lu \"%s\"\n", u8(base), u8(rel), hr, n, u8(out));
}

int main(void)
{
    const WCHAR *u = L"http://user:pw@www.example.com:8080/a/b.html?x=1&y=2";
    for (DWORD p = 1; p <= 6; p++)
        part(u, p, 0);
    part(u, URL_PART_HOSTNAME, URL_PARTFLAG_KEEPSCHEME);
    part(L"https://example.com/path", URL_PART_PORT, 0);
    part(L"https://example.com/path", URL_PART_QUERY, 0);
    part(L"https://example.com/path", URL_PART_USERNAME, 0);
    part(L"file:///C:/dir/x.txt", URL_PART_SCHEME, 0);
    part(L"file:///C:/dir/x.txt", URL_PART_HOSTNAME, 0);
    WCHAR small[4];
    DWORD n = 4;
    HRESULT hr = UrlGetPartW(u, small, &n, URL_PART_HOSTNAME, 0);
    printf("part short: %08lx n %lu\n", hr, n);

    esc(L"http://host/a b/c<d>\"e\"?q=a b#f g", 0);
    esc(L"http://host/a b/c%41?q=a b", URL_ESCAPE_SPACES_ONLY);
    esc(L"http://host/100%/x", URL_ESCAPE_PERCENT);
    esc(L"a b/c?d#e", URL_ESCAPE_SEGMENT_ONLY);
    n = 5;
    hr = UrlEscapeW(L"http://host/a b", small, &n, 0);
    printf("escape short: %08lx n %lu\n", hr, n);

    WCHAR buf[256] = L"http://host/a%20b%2Fc%41?q=%7e";
    WCHAR out[256];
    n = 256;
    hr = UrlUnescapeW(buf, out, &n, 0);
    printf("unescape: %08lx n %lu \"%s\"\n", hr, n, u8(out));
    hr = UrlUnescapeW(buf, NULL, NULL, URL_UNESCAPE_INPLACE);
    printf("unescape in place: %08lx \"%s\"\n", hr, u8(buf));

    canon(L"http://www.example.com/a/./b/../c/d.html", 0);
    canon(L"http://www.example.com/a%20b/%41", URL_UNESCAPE);
    canon(L"file://C:\\dir\\sub\\..\\x.txt", 0);

    combine(L"http://host/a/b/c.html", L"d.html");
    combine(L"http://host/a/b/c.html", L"../d.html");
    combine(L"http://host/a/b/c.html", L"/root.html");
    combine(L"http://host/a/b/c.html", L"https://other/x");
    combine(L"http://host/a/b/", L"./e/f");

    printf("UrlIs URL %d %d FILEURL %d %d\n", UrlIsW(L"http://x/y", URLIS_URL),
           UrlIsW(L"C:\\x", URLIS_URL), UrlIsW(L"file:///C:/x", URLIS_FILEURL),
           UrlIsW(L"http://x/y", URLIS_FILEURL));
    printf("PathIsURL %d %d\n", PathIsURLW(L"http://x/y"), PathIsURLW(L"C:\\x"));
    n = 256;
    hr = UrlCreateFromPathW(L"C:\\dir\\a b.txt", out, &n, 0);
    printf("from path: %08lx n %lu \"%s\"\n", hr, n, u8(out));
    n = 256;
    hr = PathCreateFromUrlW(L"file:///C:/dir/a%20b.txt", out, &n, 0);
    printf("to path: %08lx n %lu \"%s\"\n", hr, n, u8(out));
    n = 256;
    hr = PathCreateFromUrlW(L"file://server/share/x.txt", out, &n, 0);
    printf("to path UNC: %08lx n %lu \"%s\"\n", hr, n, u8(out));
    n = 256;
    hr = PathCreateFromUrlW(L"http://x/y", out, &n, 0);
    printf("to path http: %08lx\n", hr);
    char a[256];
    n = 256;
    hr = UrlGetPartA("ftp://files.example.org/pub", a, &n, URL_PART_HOSTNAME, 0);
    printf("part A: %08lx n %lu \"%s\"\n", hr, n, a);
    n = 256;
    hr = UrlEscapeA("http://h/a b", a, &n, 0);
    printf("escape A: %08lx n %lu \"%s\"\n", hr, n, a);
    n = 256;
    hr = UrlCanonicalizeA("http://h/a/../b", a, &n, 0);
    printf("canon A: %08lx n %lu \"%s\"\n", hr, n, a);
    n = 256;
    hr = UrlCombineA("http://h/a/b", "c", a, &n, 0);
    printf("combine A: %08lx n %lu \"%s\"\n", hr, n, a);
    return 0;
}
