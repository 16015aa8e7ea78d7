/* shlwapi's Path* and Str* functions (W and A) as Windows answers them: file names and
 * extensions found, components removed and appended, backslashes added and removed, roots,
 * arguments, quoting, canonical forms ("." and ".."), wildcard matching, the string compares,
 * searches, conversions (StrToInt(Ex), StrFormatByteSize) and the logical (numeric) order.
 * Expected output from Wine 8.0, whose shlwapi is tested against Windows. */
#include <windows.h>
#include <shlwapi.h>
#include <stdio.h>
#include <string.h>

static void pw(const WCHAR *s)
{
    if (!s) {
        printf("(null)");
        return;
    }
    putchar('"');
    for (; *s; s++)
        putchar(*s < 0x80 ? (int)*s : '?');
    putchar('"');
}

#define OFF(p, base) ((p) ? (int)((p) - (base)) : -1)

static const WCHAR *paths[] = {
    L"C:\\dir\\file.txt", L"C:\\dir\\", L"C:\\", L"C:", L"\\", L"file", L"file.tar.gz",
    L"C:\\dir.d\\file", L"\\\\server\\share\\x.y", L"\\\\server\\share", L"\\\\server", L"a/b/c.d",
    L"C:\\a b\\c d.e f", L".hidden", L"dir\\", L"", L"C:\\dir\\..\\x", L"\\\\?\\C:\\x\\y.z",
    NULL};

static void one(const WCHAR *p)
{
    WCHAR b[MAX_PATH];
    pw(p);
    printf(":\n");
    printf("  filename %d ext %d next %d skiproot %d", OFF(PathFindFileNameW(p), p),
           OFF(PathFindExtensionW(p), p), OFF(PathFindNextComponentW(p), p),
           OFF(PathSkipRootW(p), p));
    printf(" relative %d root %d unc %d filespec %d drive %d\n", PathIsRelativeW(p),
           PathIsRootW(p), PathIsUNCW(p), PathIsFileSpecW(p), PathGetDriveNumberW(p));
    lstrcpyW(b, p);
    BOOL r = PathRemoveFileSpecW(b);
    printf("  removefilespec %d ", r);
    pw(b);
    lstrcpyW(b, p);
    WCHAR *e = PathAddBackslashW(b);
    printf(" addbackslash %d ", OFF(e, b));
    pw(b);
    lstrcpyW(b, p);
    e = PathRemoveBackslashW(b);
    printf(" removebackslash %d ", OFF(e, b));
    pw(b);
    printf("\n");
    lstrcpyW(b, p);
    PathStripPathW(b);
    printf("  strippath ");
    pw(b);
    lstrcpyW(b, p);
    PathRemoveExtensionW(b);
    printf(" removeext ");
    pw(b);
    lstrcpyW(b, p);
    r = PathRenameExtensionW(b, L".bak");
    printf(" renameext %d ", r);
    pw(b);
    lstrcpyW(b, p);
    r = PathStripToRootW(b);
    printf(" striptoroot %d ", r);
    pw(b);
    printf("\n");
    lstrcpyW(b, p);
    r = PathAddExtensionW(b, L".exe");
    printf("  addext %d ", r);
    pw(b);
    lstrcpyW(b, p);
    r = PathAppendW(b, L"more\\x");
    printf(" append %d ", r);
    pw(b);
    WCHAR *c = PathCombineW(b, p, L"..\\up");
    printf(" combine ");
    pw(c);
    printf("\n");
}

static void combine(const WCHAR *a, const WCHAR *b)
{
    WCHAR out[MAX_PATH];
    memset(out, 0xcc, sizeof out);
    WCHAR *r = PathCombineW(out, a, b);
    printf("combine ");
    pw(a);
    printf(" + ");
    pw(b);
    printf(" = ");
    pw(r);
    printf("\n");
}

static void canon(const WCHAR *s)
{
    WCHAR out[MAX_PATH];
    BOOL r = PathCanonicalizeW(out, s);
    printf("canonicalize ");
    pw(s);
    printf(" = %d ", r);
    pw(out);
    printf("\n");
}

static void args(const WCHAR *s)
{
    WCHAR b[MAX_PATH];
    printf("args ");
    pw(s);
    printf(": getargs ");
    pw(PathGetArgsW(s));
    lstrcpyW(b, s);
    PathRemoveArgsW(b);
    printf(" removeargs ");
    pw(b);
    lstrcpyW(b, s);
    PathQuoteSpacesW(b);
    printf(" quote ");
    pw(b);
    lstrcpyW(b, s);
    PathUnquoteSpacesW(b);
    printf(" unquote ");
    pw(b);
    printf("\n");
}

static void match(const WCHAR *f, const WCHAR *spec)
{
    printf("match ");
    pw(f);
    printf(" ");
    pw(spec);
    printf(" = %d\n", PathMatchSpecW(f, spec));
}

int main(void)
{
    for (int i = 0; paths[i]; i++)
        one(paths[i]);
    combine(L"C:\\a", L"b");
    combine(L"C:\\a\\", L"\\b");
    combine(L"C:\\a", L"D:\\b");
    combine(L"C:\\a", L"..\\..\\..\\b");
    combine(L"C:\\a", NULL);
    combine(NULL, L"b");
    combine(L"", L"");
    combine(L"a", L"b");
    combine(L"\\\\srv\\sh", L"x");
    combine(L"C:\\a", L".");
    canon(L"C:\\a\\.\\b\\..\\c");
    canon(L"C:\\..\\x");
    canon(L"a\\..\\..\\b");
    canon(L"\\\\srv\\sh\\..\\x");
    canon(L"C:\\a\\b\\.");
    canon(L"C:\\a\\b\\..");
    canon(L"...\\x");
    canon(L"");
    canon(L"C:");
    args(L"prog.exe arg1 arg2");
    args(L"\"C:\\Program Files\\x.exe\" -a");
    args(L"C:\\Program Files\\x.exe");
    args(L"\"quoted\"");
    args(L"noargs");
    match(L"file.txt", L"*.txt");
    match(L"file.txt", L"*.TXT");
    match(L"file.txt", L"f?le.*");
    match(L"file.txt", L"*.doc;*.txt");
    match(L"file.txt", L"*.doc; *.txt");
    match(L"file", L"*.*");
    match(L"file.txt", L"*");
    match(L"file.txt", L"file");
    match(L"C:\\dir\\file.txt", L"*.txt");
    match(L"abc", L"a*c*");

    /* ---- Str ---- */
    printf("StrCmpIW %d %d %d\n", StrCmpIW(L"abc", L"ABC") == 0, StrCmpIW(L"abc", L"abd") < 0,
           StrCmpIW(L"b", L"A") > 0);
    printf("StrCmpW %d %d\n", StrCmpW(L"abc", L"ABC") > 0, StrCmpW(L"a", L"b") < 0);
    printf("StrCmpNW %d StrCmpNIW %d\n", StrCmpNW(L"abcd", L"abce", 3), StrCmpNIW(L"ABcd", L"abCE", 3));
    const WCHAR *hay = L"Hello, World";
    printf("StrChrW %d StrChrIW %d StrRChrW %d StrStrW %d StrStrIW %d StrRStrIW %d\n",
           OFF(StrChrW(hay, L'o'), hay), OFF(StrChrIW(hay, L'W'), hay),
           OFF(StrRChrW(hay, NULL, L'o'), hay), OFF(StrStrW(hay, L"World"), hay),
           OFF(StrStrIW(hay, L"WORLD"), hay), OFF(StrRStrIW(hay, NULL, L"L"), hay));
    printf("StrChrW none %d StrStrW none %d StrPBrkW %d StrSpnW %d StrCSpnW %d\n",
           OFF(StrChrW(hay, L'z'), hay), OFF(StrStrW(hay, L"xyz"), hay),
           OFF(StrPBrkW(hay, L",W"), hay), StrSpnW(hay, L"leH"), StrCSpnW(hay, L" ,"));
    static const WCHAR *nums[] = {L"123", L"-45", L"  12", L"+7", L"0x1A", L"12abc", L"abc",
                                   L"0x", L"-0x10", L"2147483648", NULL};
    for (int i = 0; nums[i]; i++) {
        int v = -99;
        BOOL ok = StrToIntExW(nums[i], STIF_SUPPORT_HEX, &v);
        int v2 = -99;
        BOOL ok2 = StrToIntExW(nums[i], STIF_DEFAULT, &v2);
        printf("StrToInt ");
        pw(nums[i]);
        printf(" = %d ex-hex %d %d ex %d %d\n", StrToIntW(nums[i]), ok, v, ok2, v2);
    }
    WCHAR t[64];
    lstrcpyW(t, L"  xx trim  xx ");
    BOOL tr = StrTrimW(t, L" x");
    printf("StrTrimW %d ", tr);
    pw(t);
    printf("\n");
    static const WCHAR *logical[][2] = {{L"file2", L"file10"}, {L"a10", L"a9"}, {L"abc", L"ABD"},
                                        {L"x01", L"x1"}, {L"1.5", L"1.10"}, {L"b", L"a5"}};
    for (int i = 0; i < 6; i++) {
        int r = StrCmpLogicalW(logical[i][0], logical[i][1]);
        printf("StrCmpLogicalW ");
        pw(logical[i][0]);
        pw(logical[i][1]);
        printf(" %d\n", r < 0 ? -1 : r > 0);
    }
    static const LONGLONG sizes[] = {0, 532, 1023, 1024, 1536, 10240, 123456, 1048576, 1073741824,
                                     1099511627776LL, 5000000000000000LL};
    for (int i = 0; i < 11; i++) {
        WCHAR buf[64];
        char abuf[64];
        StrFormatByteSizeW(sizes[i], buf, 64);
        StrFormatByteSize64A(sizes[i], abuf, 64);
        printf("StrFormatByteSize %lld ", sizes[i]);
        pw(buf);
        printf(" %s\n", abuf);
    }
    WCHAR *dup = StrDupW(L"dup");
    printf("StrDupW ");
    pw(dup);
    printf("\n");
    LocalFree(dup);
    WCHAR cat[16] = L"abc";
    StrCatBuffW(cat, L"defghijklmnopqrstuvwxyz", 8);
    printf("StrCatBuffW ");
    pw(cat);
    printf("\n");
    StrCpyNW(cat, L"123456789", 5);
    printf("StrCpyNW ");
    pw(cat);
    printf("\n");

    /* ---- A forms ---- */
    const char *pa = "C:\\dir\\file.tar.gz";
    printf("A: filename %d ext %d", (int)(PathFindFileNameA(pa) - pa), (int)(PathFindExtensionA(pa) - pa));
    char ab[MAX_PATH];
    strcpy(ab, pa);
    PathRemoveFileSpecA(ab);
    printf(" removefilespec %s", ab);
    PathAppendA(ab, "x.y");
    printf(" append %s", ab);
    printf(" relative %d exists %d", PathIsRelativeA("a\\b"), PathFileExistsA("C:\\no\\such\\file"));
    printf(" StrCmpIA %d StrStrIA %d StrToIntA %d\n", StrCmpIA("aBc", "AbC"),
           (int)(StrStrIA("Hello", "LL") - "Hello" >= 0), StrToIntA("-12x"));
    WCHAR tmp[MAX_PATH];
    GetTempPathW(MAX_PATH, tmp);
    printf("temp dir: exists %d isdir %d\n", PathFileExistsW(tmp), PathIsDirectoryW(tmp) != 0);
    return 0;
}
