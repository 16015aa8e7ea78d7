/* GetNLSVersionEx: the sorting version of a locale (PostgreSQL records it as a collation's
 * version, "major.minor,major.minor" of dwNLSVersion and dwDefinedVersion): Windows 10's 6.3.5
 * (0x60305, "1539.5" in PostgreSQL's pg_collation on Windows 10) for en-US and de-DE, the LCID
 * as dwEffectiveId; an unknown locale name is ERROR_INVALID_PARAMETER (PostgreSQL then records
 * no version), another NLS function ERROR_INVALID_FLAGS, a structure that is too small
 * ERROR_INSUFFICIENT_BUFFER. Output as on Windows 10. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static void show(const WCHAR *name, const char *label, DWORD size, NLS_FUNCTION f)
{
    NLSVERSIONINFOEX v;
    memset(&v, 0xcc, sizeof v);
    v.dwNLSVersionInfoSize = size;
    if (!GetNLSVersionEx(f, name, &v)) {
        printf("%s: error %lu\n", label, GetLastError());
        return;
    }
    printf("%s: %lu.%lu,%lu.%lu effective 0x%lx\n", label, (v.dwNLSVersion >> 8) & 0xFFFF,
           v.dwNLSVersion & 0xFF, (v.dwDefinedVersion >> 8) & 0xFFFF, v.dwDefinedVersion & 0xFF,
           v.dwEffectiveId);
}

int main(void)
{
    show(L"en-US", "en-US", sizeof(NLSVERSIONINFOEX), COMPARE_STRING);
    show(L"de-DE", "de-DE", sizeof(NLSVERSIONINFOEX), COMPARE_STRING);
    show(L"English_United States.1252", "a CRT locale name", sizeof(NLSVERSIONINFOEX),
         COMPARE_STRING);
    show(L"en-US", "another function", sizeof(NLSVERSIONINFOEX), (NLS_FUNCTION)2);
    show(L"en-US", "size 8", 8, COMPARE_STRING);
    return 0;
}
