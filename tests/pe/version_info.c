/* version.dll: a program reads the VERSIONINFO resource windres linked into it
 * (GetFileVersionInfoSize/GetFileVersionInfo W and A, VerQueryValue of "\", the translation
 * table and string values, keys compared ignoring case, a missing key), and kernel32.dll's
 * version, which names the running Windows (the same major.minor as RtlGetVersion and a build
 * no later than it), by name and by its System32 path; a missing file. */
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

typedef LONG(WINAPI *rtl_get_version_fn)(OSVERSIONINFOW *);

static void show_fixed(const char *what, void *block)
{
    VS_FIXEDFILEINFO *f = NULL;
    UINT len = 0;
    BOOL ok = VerQueryValueW(block, L"\\", (void **)&f, &len);
    printf("%s fixed: %d len %u sig %08lx file %u.%u.%u.%u product %u.%u.%u.%u type %lu\n",
           what, ok, len, f->dwSignature, HIWORD(f->dwFileVersionMS), LOWORD(f->dwFileVersionMS),
           HIWORD(f->dwFileVersionLS), LOWORD(f->dwFileVersionLS), HIWORD(f->dwProductVersionMS),
           LOWORD(f->dwProductVersionMS), HIWORD(f->dwProductVersionLS),
           LOWORD(f->dwProductVersionLS), f->dwFileType);
}

int main(void)
{
    WCHAR self[MAX_PATH];
    GetModuleFileNameW(NULL, self, MAX_PATH);
    DWORD handle = 77;
    DWORD size = GetFileVersionInfoSizeW(self, &handle);
    printf("size: %d handle %lu\n", size > 100, handle);
    void *block = malloc(size);
    printf("info: %d\n", GetFileVersionInfoW(self, 0, size, block));
    show_fixed("self", block);

    WORD *tr = NULL;
    UINT len = 0;
    BOOL ok = VerQueryValueW(block, L"\\VarFileInfo\\Translation", (void **)&tr, &len);
    printf("translation: %d len %u %04x %04x\n", ok, len, tr[0], tr[1]);
    WCHAR *s = NULL;
    ok = VerQueryValueW(block, L"\\StringFileInfo\\040904B0\\ProductName", (void **)&s, &len);
    printf("ProductName: %d \"%ls\" len>0 %d\n", ok, s, len > 0);
    ok = VerQueryValueW(block, L"\\stringfileinfo\\040904b0\\PRODUCTNAME", (void **)&s, &len);
    printf("any case: %d \"%ls\"\n", ok, s);
    s = NULL;
    ok = VerQueryValueW(block, L"\\StringFileInfo\\040904B0\\CompanyName", (void **)&s, &len);
    printf("missing key: %d\n", ok);
    free(block);

    char selfa[MAX_PATH];
    GetModuleFileNameA(NULL, selfa, MAX_PATH);
    size = GetFileVersionInfoSizeA(selfa, NULL);
    block = malloc(size);
    printf("info A: %d\n", GetFileVersionInfoA(selfa, 0, size, block));
    char *a = NULL;
    ok = VerQueryValueA(block, "\\StringFileInfo\\040904B0\\FileDescription", (void **)&a, &len);
    printf("FileDescription A: %d \"%s\"\n", ok, a);
    free(block);

    OSVERSIONINFOW osv = {sizeof osv};
    ((rtl_get_version_fn)GetProcAddress(GetModuleHandleA("ntdll.dll"), "RtlGetVersion"))(&osv);
    WCHAR sys[MAX_PATH];
    GetSystemDirectoryW(sys, MAX_PATH);
    wcscat(sys, L"\\kernel32.dll");
    const WCHAR *names[] = {L"kernel32.dll", sys};
    for (int i = 0; i < 2; i++) {
        size = GetFileVersionInfoSizeW(names[i], NULL);
        block = malloc(size ? size : 1);
        ok = GetFileVersionInfoW(names[i], 0, size, block);
        VS_FIXEDFILEINFO *f = NULL;
        VerQueryValueW(block, L"\\", (void **)&f, &len);
        printf("kernel32 %d: %d same major.minor %d build not later %d\n", i, ok && size > 0,
               f && HIWORD(f->dwProductVersionMS) == osv.dwMajorVersion &&
                   LOWORD(f->dwProductVersionMS) == osv.dwMinorVersion,
               f && HIWORD(f->dwProductVersionLS) <= osv.dwBuildNumber &&
                   HIWORD(f->dwProductVersionLS) >= 10240);
        ok = VerQueryValueW(block, L"\\StringFileInfo\\040904B0\\CompanyName", (void **)&s,
                            &len);
        printf("kernel32 %d CompanyName: %d \"%ls\"\n", i, ok, ok ? s : L"");
        free(block);
    }

    SetLastError(0);
    size = GetFileVersionInfoSizeW(L"no-such-file.exe", &handle);
    printf("missing file: %lu error %lu\n", size, GetLastError());
    return 0;
}
