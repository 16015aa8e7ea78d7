/* shlwapi beyond the Path and Str functions: PathCommonPrefix and PathRelativePathTo (files and directories,
 * drives, UNC, no common root), the registry helpers SHSetValue/SHGetValue/SHRegGetValue
 * (REG_EXPAND_SZ expanded, type filters, sizes)/SHDeleteValue/SHDeleteKey, and exports
 * Windows has only by ordinal, looked up by number as SDK-linked programs import them:
 * SHAnsiToUnicode #215 (0 when it does not fit), SHUnicodeToAnsi #217 (truncates),
 * SHUnicodeToUnicode #346 (truncates, returns 0),
 * StrCmpCW #156, StrCmpICW #158, StrCmpNCA #151, StrCmpNICW #154, SHStringFromGUIDW #24,
 * GUIDFromStringW #270, IsCharSpaceW #29, IsCharXDigitW #34, StrCpyNXW #400, SHRegGetIntW #280,
 * WhichPlatform #276, IsOS #437. Expected output: Wine 8.0's. */
#include <windows.h>
#include <shlwapi.h>
#include <stdio.h>

static const char *u8(const WCHAR *w)
{
    static char buf[4][512];
    static int k;
    char *b = buf[k++ & 3];
    WideCharToMultiByte(CP_UTF8, 0, w, -1, b, sizeof buf[0], NULL, NULL);
    return b;
}

static void rel(const WCHAR *from, DWORD af, const WCHAR *to, DWORD at)
{
    WCHAR out[MAX_PATH] = L"junk";
    BOOL ok = PathRelativePathToW(out, from, af, to, at);
    printf("relative %s (%s) -> %s (%s): %d \"%s\"\n", u8(from), af ? "dir" : "file", u8(to),
           at ? "dir" : "file", ok, u8(out));
}

static void common(const WCHAR *a, const WCHAR *b)
{
    WCHAR out[MAX_PATH] = L"junk";
    int n = PathCommonPrefixW(a, b, out);
    printf("common %s | %s: %d \"%s\"\n", u8(a), u8(b), n, n ? u8(out) : "");
}

int main(void)
{
    common(L"C:\\a\\b\\c.txt", L"c:\\A\\b\\d.txt");
    common(L"C:\\a\\bc", L"C:\\a\\bd");
    common(L"C:\\x", L"C:\\y");
    common(L"C:\\x", L"D:\\x");
    common(L"\\\\srv\\share\\a", L"\\\\srv\\share\\b");
    common(L"\\\\srv\\share\\a", L"C:\\share\\b");
    rel(L"C:\\a\\b\\file.txt", 0, L"C:\\a\\c\\other.txt", 0);
    rel(L"C:\\a\\b", FILE_ATTRIBUTE_DIRECTORY, L"C:\\a\\b\\c\\d", FILE_ATTRIBUTE_DIRECTORY);
    rel(L"C:\\a\\b", FILE_ATTRIBUTE_DIRECTORY, L"C:\\a", FILE_ATTRIBUTE_DIRECTORY);
    rel(L"C:\\a\\b", FILE_ATTRIBUTE_DIRECTORY, L"C:\\a\\b", FILE_ATTRIBUTE_DIRECTORY);
    rel(L"C:\\a", 0, L"C:\\b.txt", 0);
    rel(L"C:\\a\\b\\c", FILE_ATTRIBUTE_DIRECTORY, L"C:\\x\\y.txt", 0);
    rel(L"C:\\a", FILE_ATTRIBUTE_DIRECTORY, L"D:\\a", FILE_ATTRIBUTE_DIRECTORY);
    char ra[MAX_PATH];
    BOOL ok = PathRelativePathToA(ra, "C:\\p\\q\\r", FILE_ATTRIBUTE_DIRECTORY, "C:\\p\\s",
                                  FILE_ATTRIBUTE_DIRECTORY);
    printf("relative A: %d \"%s\"\n", ok, ra);

    /* registry */
    const WCHAR *key = L"Software\\ntrun-shlwapi-test";
    DWORD v = 42;
    printf("set dword: %ld\n", SHSetValueW(HKEY_CURRENT_USER, key, L"n", REG_DWORD, &v, 4));
    const WCHAR ex[] = L"%SystemRoot%\\x";
    printf("set expand: %ld\n", SHSetValueW(HKEY_CURRENT_USER, key, L"e", REG_EXPAND_SZ, ex,
                                            sizeof ex));
    printf("set sz A: %ld\n", SHSetValueA(HKEY_CURRENT_USER, "Software\\ntrun-shlwapi-test",
                                          "s", REG_SZ, "12abc", 6));
    DWORD type = 0, got = 0, size = sizeof got;
    LONG r = SHGetValueW(HKEY_CURRENT_USER, key, L"n", &type, &got, &size);
    printf("get dword: %ld type %lu value %lu size %lu\n", r, type, got, size);
    WCHAR buf[MAX_PATH];
    size = sizeof buf;
    r = SHGetValueW(HKEY_CURRENT_USER, key, L"e", &type, buf, &size);
    WCHAR want[MAX_PATH];
    ExpandEnvironmentStringsW(ex, want, MAX_PATH);
    printf("get expand: %ld type %lu expanded %d size ok %d\n", r, type, !lstrcmpW(buf, want),
           size >= (lstrlenW(want) + 1) * sizeof(WCHAR));
    size = 4;
    r = SHGetValueW(HKEY_CURRENT_USER, key, L"s", &type, buf, &size);
    printf("get short: %ld size %lu\n", r, size);
    char abuf[16];
    size = sizeof abuf;
    r = SHGetValueA(HKEY_CURRENT_USER, "Software\\ntrun-shlwapi-test", "s", &type, abuf, &size);
    printf("get A: %ld type %lu \"%s\" size %lu\n", r, type, abuf, size);
    size = sizeof got;
    r = SHRegGetValueW(HKEY_CURRENT_USER, key, L"n", SRRF_RT_REG_DWORD, &type, &got, &size);
    printf("reg get dword: %ld %lu\n", r, got);
    size = sizeof buf;
    r = SHRegGetValueW(HKEY_CURRENT_USER, key, L"n", SRRF_RT_REG_SZ, &type, buf, &size);
    printf("reg get dword as sz: %ld\n", r);
    size = sizeof buf;
    r = SHRegGetValueW(HKEY_CURRENT_USER, key, L"e", SRRF_RT_REG_EXPAND_SZ | SRRF_NOEXPAND,
                       &type, buf, &size);
    printf("reg get noexpand: %ld type %lu \"%s\"\n", r, type, u8(buf));
    r = SHGetValueW(HKEY_CURRENT_USER, key, L"missing", &type, buf, &size);
    printf("get missing: %ld\n", r);
    HKEY hk;
    RegOpenKeyExW(HKEY_CURRENT_USER, key, 0, KEY_READ, &hk);
    int (WINAPI *get_int)(HKEY, LPCWSTR, int) =
        (void *)GetProcAddress(GetModuleHandleA("shlwapi.dll"), MAKEINTRESOURCEA(280));
    printf("SHRegGetIntW #280: %d %d\n", get_int(hk, L"s", 7), get_int(hk, L"missing", 7));
    RegCloseKey(hk);
    printf("delete value: %ld\n", SHDeleteValueW(HKEY_CURRENT_USER, key, L"n"));
    printf("delete value again: %ld\n", SHDeleteValueW(HKEY_CURRENT_USER, key, L"n"));
    SHSetValueW(HKEY_CURRENT_USER, L"Software\\ntrun-shlwapi-test\\sub\\deeper", L"x", REG_SZ,
                L"y", 4);
    printf("delete key: %ld\n", SHDeleteKeyW(HKEY_CURRENT_USER, key));
    printf("open after delete: %ld\n", RegOpenKeyExW(HKEY_CURRENT_USER, key, 0, KEY_READ, &hk));

    /* by ordinal */
    HMODULE sh = LoadLibraryA("shlwapi.dll");
#define ORD(n) GetProcAddress(sh, MAKEINTRESOURCEA(n))
    int (WINAPI *a2u)(LPCSTR, LPWSTR, int) = (void *)ORD(215);
    int (WINAPI *u2a)(LPCWSTR, LPSTR, int) = (void *)ORD(217);
    int (WINAPI *u2u)(LPCWSTR, LPWSTR, int) = (void *)ORD(346);
    WCHAR w[8];
    char a[8];
    int n = a2u("hello", w, 8);
    printf("SHAnsiToUnicode: %d \"%s\"", n, u8(w));
    printf(" short %d\n", a2u("hello world", w, 4));
    n = u2a(L"hello", a, 8);
    printf("SHUnicodeToAnsi: %d \"%s\"", n, a);
    n = u2a(L"hello world", a, 4);
    printf(" short %d \"%s\"\n", n, a);
    n = u2u(L"abcdef", w, 4);
    printf("SHUnicodeToUnicode: %d \"%s\"\n", n, u8(w));
    int (WINAPI *cmpcw)(LPCWSTR, LPCWSTR) = (void *)ORD(156);
    int (WINAPI *cmpicw)(LPCWSTR, LPCWSTR) = (void *)ORD(158);
    int (WINAPI *cmpnca)(LPCSTR, LPCSTR, int) = (void *)ORD(151);
    int (WINAPI *cmpnicw)(LPCWSTR, LPCWSTR, int) = (void *)ORD(154);
    printf("StrCmpCW: %d %d %d StrCmpICW: %d %d\n", cmpcw(L"abc", L"abd"), cmpcw(L"abc", L"ab"),
           cmpcw(L"x", L"x"), cmpicw(L"ABC", L"abc"), cmpicw(L"_", L"a"));
    printf("StrCmpNCA: %d %d StrCmpNICW: %d %d\n", cmpnca("abcX", "abcY", 3),
           cmpnca("abcX", "abcY", 4), cmpnicw(L"HELLOx", L"helloy", 5),
           cmpnicw(L"HELLOx", L"helloy", 6));
    int (WINAPI *g2s)(const GUID *, LPWSTR, int) = (void *)ORD(24);
    BOOL (WINAPI *s2g)(LPCWSTR, GUID *) = (void *)ORD(270);
    static const GUID g = {0x12345678, 0x9abc, 0xdef0, {1, 2, 3, 4, 5, 6, 7, 8}};
    WCHAR gs[64];
    n = g2s(&g, gs, 64);
    printf("SHStringFromGUIDW: %d %s", n, u8(gs));
    printf(" short %d\n", g2s(&g, gs, 38));
    GUID back;
    BOOL good = s2g(L"{12345678-9ABC-def0-0102-030405060708}", &back);
    printf("GUIDFromStringW: %d same %d", good, !memcmp(&back, &g, sizeof g));
    printf(" bad %d\n", s2g(L"12345678-9ABC-def0-0102-030405060708", &back));
    BOOL (WINAPI *space)(WCHAR) = (void *)ORD(29);
    BOOL (WINAPI *xdig)(WCHAR) = (void *)ORD(34);
    printf("IsCharSpaceW: %d %d %d IsCharXDigitW: %d %d\n", space(' '), space('\t'), space('x'),
           xdig('f'), xdig('g'));
    LPWSTR (WINAPI *cpynx)(LPWSTR, LPCWSTR, int) = (void *)ORD(400);
    WCHAR d[8];
    LPWSTR end = cpynx(d, L"abcdefgh", 5);
    printf("StrCpyNXW: \"%s\" end at %d\n", u8(d), (int)(end - d));
    UINT (WINAPI *platform)(void) = (void *)ORD(276);
    BOOL (WINAPI *is_os)(DWORD) = (void *)ORD(437);
    printf("WhichPlatform: %u IsOS NT %d WOW6432 %d\n", platform(), is_os(1), is_os(30));
    return 0;
}
