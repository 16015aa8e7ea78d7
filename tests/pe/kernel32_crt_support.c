/* kernel32 functions the static MSVC CRT imports (Ninja's): EncodePointer/DecodePointer round
 * trips, LCMapStringW's case mapping and size query, GetStringTypeW's CT_CTYPE1 classes (with
 * C1_DEFINED), EnumSystemLocalesW calling back, GetActiveProcessorCount agreeing with
 * GetSystemInfo, GetSystemTimes (kernel time includes idle time). */
#include <windows.h>
#include <stdio.h>

static int locales;
static BOOL CALLBACK on_locale(LPWSTR name)
{
    (void)name;
    locales++;
    return TRUE;
}

int main(void)
{
    int x;
    void *enc = EncodePointer(&x);
    printf("DecodePointer(EncodePointer(p)) == p: %d\n", DecodePointer(enc) == &x);
    printf("DecodePointer(EncodePointer(NULL)) == NULL: %d\n",
           DecodePointer(EncodePointer(NULL)) == NULL);

    WCHAR out[16];
    int n = LCMapStringW(LOCALE_USER_DEFAULT, LCMAP_UPPERCASE, L"Hello \x00e4!", -1, NULL, 0);
    printf("LCMapStringW size: %d\n", n);
    n = LCMapStringW(LOCALE_USER_DEFAULT, LCMAP_UPPERCASE, L"Hello \x00e4!", -1, out, 16);
    printf("LCMapStringW upper: %d %d", n, out[8] == 0);
    for (int i = 0; i < 8; i++)
        printf(" %04x", out[i]);
    n = LCMapStringW(LOCALE_USER_DEFAULT, LCMAP_LOWERCASE, L"ABC\x00c4", 4, out, 16);
    printf("\nLCMapStringW lower: %d", n);
    for (int i = 0; i < 4; i++)
        printf(" %04x", out[i]);
    SetLastError(0);
    n = LCMapStringW(LOCALE_USER_DEFAULT, LCMAP_UPPERCASE, L"abcdef", -1, out, 3);
    printf("\nLCMapStringW small buffer: %d error %lu\n", n, GetLastError());

    WORD types[6];
    BOOL ok = GetStringTypeW(CT_CTYPE1, L"Aa1 \t.", 6, types);
    printf("GetStringTypeW: %d", ok);
    for (int i = 0; i < 6; i++)
        printf(" %03x", types[i]);
    printf("\n");

    ok = EnumSystemLocalesW(on_locale, LCID_INSTALLED);
    printf("EnumSystemLocalesW: %d called %d\n", ok, locales > 0);

    SYSTEM_INFO si;
    GetSystemInfo(&si);
    printf("GetActiveProcessorCount == dwNumberOfProcessors: %d\n",
           GetActiveProcessorCount(ALL_PROCESSOR_GROUPS) == si.dwNumberOfProcessors);
    FILETIME idle, kernel, user;
    ok = GetSystemTimes(&idle, &kernel, &user);
    ULONGLONG i64 = ((ULONGLONG)idle.dwHighDateTime << 32) | idle.dwLowDateTime;
    ULONGLONG k64 = ((ULONGLONG)kernel.dwHighDateTime << 32) | kernel.dwLowDateTime;
    printf("GetSystemTimes: %d kernel >= idle %d\n", ok, k64 >= i64);
    return 0;
}
