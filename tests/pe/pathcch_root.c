/* kernelbase's PathCch root functions (api-ms-win-core-path-l1-1-0): PathCchSkipRoot,
 * PathCchIsRoot, PathCchRemoveBackslash(Ex) and PathCchRemoveFileSpec on drive, UNC, \\?\ and
 * volume-GUID roots, relative paths, small buffers and bad arguments. quick-lint-js calls them
 * to walk from a file up to its root. Expected output: Wine 8.0's, whose kernelbase tests were
 * checked on Windows. */
#include <windows.h>
#include <pathcch.h>
#include <stdio.h>

static const wchar_t *paths[] = {
    L"C:\\", L"C:", L"C:\\a\\b", L"C:a\\b", L"\\", L"\\a\\b", L"a\\b", L"a", L"\\\\",
    L"\\\\server", L"\\\\server\\", L"\\\\server\\share", L"\\\\server\\share\\",
    L"\\\\server\\share\\a\\b", L"\\\\\\share\\a", L"\\\\?\\C:\\a", L"\\\\?\\C:",
    L"\\\\?\\C:\\", L"\\\\?\\UNC\\server\\share\\a", L"\\\\?\\UNC\\", L"\\\\?\\UNC\\server",
    L"\\\\?\\Volume{12345678-abcd-ABCD-1234-123456789abc}\\a",
    L"\\\\?\\Volume{12345678-abcd-ABCD-1234-123456789abc}", L"\\\\?\\abc", L"\\\\?\\",
    L"\\\\.\\C:\\a", L"C:\\a\\", L"C:\\a\\\\", L"",
};

int main(void)
{
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        const wchar_t *p = paths[i], *end = (const wchar_t *)0x1;
        HRESULT hr = PathCchSkipRoot(p, &end);
        printf("[%ls] skip hr %08lx", p, (unsigned long)hr);
        if (hr == S_OK)
            printf(" rest [%ls]", end);
        else
            printf(" end %s", end == NULL ? "NULL" : end == (const wchar_t *)0x1 ? "kept" : "set");
        printf(" root %d", PathCchIsRoot(p));

        wchar_t buf[80];
        lstrcpyW(buf, p);
        hr = PathCchRemoveBackslash(buf, 80);
        printf(" nobs %08lx [%ls]", (unsigned long)hr, buf);
        lstrcpyW(buf, p);
        hr = PathCchRemoveFileSpec(buf, 80);
        printf(" dir %08lx [%ls]\n", (unsigned long)hr, buf);
    }

    wchar_t buf[8] = L"C:\\ab\\", *end = (wchar_t *)0x1;
    SIZE_T free_size = 99;
    HRESULT hr = PathCchRemoveBackslashEx(buf, 8, &end, &free_size);
    printf("Ex: hr %08lx [%ls] end at %d free %lu\n", (unsigned long)hr, buf, (int)(end - buf),
           (unsigned long)free_size);
    hr = PathCchRemoveBackslashEx(buf, 8, &end, &free_size);
    printf("Ex again: hr %08lx end at %d free %lu\n", (unsigned long)hr, (int)(end - buf),
           (unsigned long)free_size);
    lstrcpyW(buf, L"C:\\");
    hr = PathCchRemoveBackslashEx(buf, 8, &end, &free_size);
    printf("Ex root: hr %08lx [%ls] end at %d free %lu\n", (unsigned long)hr, buf,
           (int)(end - buf), (unsigned long)free_size);
    end = (wchar_t *)0x1;
    free_size = 99;
    hr = PathCchRemoveBackslashEx(buf, 0, &end, &free_size);
    printf("Ex size 0: hr %08lx end %p free %lu\n", (unsigned long)hr, (void *)end,
           (unsigned long)free_size);
    printf("Ex no end: hr %08lx\n", (unsigned long)PathCchRemoveBackslashEx(buf, 8, NULL, &free_size));
    printf("skip NULL out: hr %08lx\n", (unsigned long)PathCchSkipRoot(L"C:\\", NULL));
    printf("skip NULL path: hr %08lx\n", (unsigned long)PathCchSkipRoot(NULL, (const wchar_t **)&end));
    printf("is root NULL: %d\n", PathCchIsRoot(NULL));
    lstrcpyW(buf, L"C:\\a");
    printf("filespec size 0: hr %08lx\n", (unsigned long)PathCchRemoveFileSpec(buf, 0));
    printf("filespec NULL: hr %08lx\n", (unsigned long)PathCchRemoveFileSpec(NULL, 8));
    printf("filespec too big: hr %08lx\n", (unsigned long)PathCchRemoveFileSpec(buf, 32769));
    return 0;
}
