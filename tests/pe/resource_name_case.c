/* FindResourceW compares names upper-cased with Windows' one-to-one case table, not a locale's:
 * "datai" finds DATAI and "data\u00e9" finds DATA\u00c9, but U+0131 (dotless i) and U+017F
 * (long s) are not upper-cased to I and S, and U+0130 (I with dot) is not I, so those names find
 * nothing (ERROR_RESOURCE_NAME_NOT_FOUND 1814). The type's name is compared the same way.
 * Output as on Windows. */
#include <windows.h>
#include <stdio.h>

static void find(const char *label, const WCHAR *name, const WCHAR *type)
{
    SetLastError(0xdeadbeef);
    HRSRC r = FindResourceW(NULL, name, type);
    if (!r) {
        printf("%s: not found, error %lu\n", label, GetLastError());
        return;
    }
    HGLOBAL g = LoadResource(NULL, r);
    printf("%s: found \"%s\" (%lu bytes)\n", label, (const char *)LockResource(g),
           SizeofResource(NULL, r));
}

int main(void)
{
    find("DATAI", L"DATAI", L"MYTYPE");
    find("datai", L"datai", L"mytype");
    find("DATA+U0131", L"DATA\x0131", L"MYTYPE");
    find("DATA+U0130", L"DATA\x0130", L"MYTYPE");
    find("datas", L"datas", L"MyType");
    find("DATA+U017F", L"DATA\x017f", L"MYTYPE");
    find("DATAE type+U0131", L"DATAE", L"MYT\x0131PE");
    find("dAtAe", L"dAtAe", L"MYTYPE");
    find("DATA+U00C9", L"DATA\x00c9", L"MYTYPE");
    find("data+U00E9", L"data\x00e9", L"mytype");
    return 0;
}
