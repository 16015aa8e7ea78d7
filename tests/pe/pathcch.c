/* kernelbase's PathCch canonicalisation (api-ms-win-core-path-l1-1-0): PathAllocCanonicalize,
 * PathCchCanonicalize and PathCchCanonicalizeEx on "." and ".." segments, roots, trailing dots
 * and backslashes, small buffers and bad arguments. */
#include <windows.h>
#include <pathcch.h>
#include <stdio.h>

/* pathcch.h of mingw-w64 lacks the Windows 10 flags */
#define FORCE_ENABLE 0x02
#define FORCE_DISABLE 0x04
#define TRAILING_SLASH 0x20

static void show(const wchar_t *in, ULONG flags)
{
    PWSTR out = (PWSTR)0x1;
    HRESULT hr = PathAllocCanonicalize(in, flags, &out);
    if (hr == S_OK) {
        printf("%ls -> %ls\n", in, out);
        LocalFree(out);
    } else {
        printf("%ls -> hr %08lx out %p\n", in, (unsigned long)hr, (void *)out);
    }
}

int main(void)
{
    show(L"C:\\a\\.\\b\\..\\c", 0);
    show(L"C:\\a\\b\\..", 0);
    show(L"C:\\a\\b\\", 0);
    show(L"C:\\a\\b\\.\\", 0);
    show(L"C:\\..\\..\\x", 0);
    show(L"C:\\a.", 0);
    show(L"a\\..", 0);
    show(L"\\a\\..\\b", 0);
    show(L"C:\\a", TRAILING_SLASH);
    show(L"C:\\a", FORCE_ENABLE | FORCE_DISABLE);

    PWSTR out = (PWSTR)0x1;
    HRESULT hr = PathAllocCanonicalize(NULL, 0, &out);
    printf("null in: hr %08lx\n", (unsigned long)hr);
    printf("null out: hr %08lx\n", (unsigned long)PathAllocCanonicalize(L"C:\\a", 0, NULL));

    wchar_t buf[8];
    hr = PathCchCanonicalize(buf, 8, L"C:\\x\\..\\y");
    printf("PathCchCanonicalize: hr %08lx %ls\n", (unsigned long)hr, buf);
    hr = PathCchCanonicalize(buf, 4, L"C:\\abc\\def");
    printf("too small: hr %08lx\n", (unsigned long)hr);
    hr = PathCchCanonicalizeEx(buf, 8, L"C:\\a\\..\\b", PATHCCH_ALLOW_LONG_PATHS);
    printf("PathCchCanonicalizeEx: hr %08lx %ls\n", (unsigned long)hr, buf);

    wchar_t *longp = LocalAlloc(LPTR, 400 * sizeof(wchar_t));
    longp[0] = 'C';
    longp[1] = ':';
    for (int i = 2; i < 300; i++)
        longp[i] = '\\';
    for (int i = 3; i < 300; i += 2)
        longp[i] = 'x';
    out = (PWSTR)0x1;
    hr = PathAllocCanonicalize(longp, 0, &out);
    printf("300 chars: hr %08lx out %p\n", (unsigned long)hr, (void *)out);
    hr = PathAllocCanonicalize(longp, PATHCCH_ALLOW_LONG_PATHS, &out);
    printf("300 chars, long paths allowed: hr %08lx length %u\n", (unsigned long)hr,
           hr == S_OK ? (unsigned)lstrlenW(out) : 0u);
    return 0;
}
