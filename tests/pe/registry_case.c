/* Registry key names are compared as Windows compares names: both sides upper-cased with
 * RtlUpcaseUnicodeChar's one-to-one table, then by code unit, beyond ASCII too.
 *  - RtlUpcaseUnicodeChar: Latin-1, Greek, Cyrillic and fullwidth letters go to their capitals
 *    (U+00FF to U+0178); U+00DF (sharp s) stays, and so do U+0131 (dotless i) and U+017F
 *    (long s), which Unicode maps to ASCII I and S and Windows does not (as .NET's ordinal
 *    casing, which follows Windows', records), and U+00B5 (micro sign), whose capital U+039C
 *    lowers to U+03BC: Windows' table keeps only the mappings that map back (the NTFS $UpCase
 *    table Windows writes has no entry for U+00B5; Wine 8.0 agrees; tests/pe/nls_case_table.c);
 *  - HKCU: "Ärger" then "äRGER" is the same key (REG_OPENED_EXISTING_KEY), "ſ" beside "S" and
 *    "ı" beside "I" are new keys;
 *  - HKEY_CLASSES_ROOT's merged view: the user's "Ärger" hides the machine's "ärger", opening
 *    "IX" finds the machine's "Ix" and not the user's "ıx", and the merged enumeration lists a
 *    name once, sorted by the upper-cased names (Ix, Ärger, Öl, ıx).
 * Runs elevated (it writes HKLM\Software\Classes). */
#include <windows.h>
#include <stdio.h>
#include <string.h>

#define CLS L"NtrunCaseTest"

typedef WCHAR(WINAPI *upcase_fn)(WCHAR);

static void show_name(const WCHAR *s)
{
    for (; *s; s++)
        printf(*s < 0x80 ? "%c" : "<%04X>", *s);
}

static HKEY create(HKEY root, const WCHAR *path, DWORD *disp)
{
    HKEY k = NULL;
    LONG r = RegCreateKeyExW(root, path, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &k, disp);
    if (r) {
        printf("RegCreateKeyExW ");
        show_name(path);
        printf(": %ld\n", r);
    }
    return k;
}

static void tag(HKEY root, const WCHAR *path, const WCHAR *who)
{
    DWORD disp;
    HKEY k = create(root, path, &disp);
    if (!k)
        return;
    RegSetValueExW(k, L"who", 0, REG_SZ, (const BYTE *)who, (DWORD)(wcslen(who) + 1) * 2);
    RegCloseKey(k);
}

static void open_who(HKEY root, const WCHAR *name)
{
    HKEY k;
    WCHAR who[16] = L"";
    DWORD size = sizeof who;
    LONG r = RegOpenKeyExW(root, name, 0, KEY_READ, &k);
    if (!r) {
        RegQueryValueExW(k, L"who", NULL, NULL, (BYTE *)who, &size);
        RegCloseKey(k);
    }
    printf("open HKCR\\" "NtrunCaseTest\\");
    show_name(name);
    printf(": %ld ", r);
    show_name(who);
    printf("\n");
}

int main(void)
{
    upcase_fn up = (upcase_fn)GetProcAddress(GetModuleHandleA("ntdll.dll"),
                                             "RtlUpcaseUnicodeChar");
    static const WCHAR chars[] = {'a',   'z',   0xdf,  0xe9,  0xb5,   0xff,  0x131, 0x17f,
                                  0x130, 0x3c9, 0x44f, 0x450, 0xff41, 0x3a9, 0};
    printf("RtlUpcaseUnicodeChar:");
    for (int i = 0; up && chars[i]; i++)
        printf(" %04X>%04X", chars[i], up(chars[i]));
    printf("\n");

    /* the user's own keys */
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\" CLS);
    DWORD disp;
    HKEY k;
    static const WCHAR *names[] = {L"\x00c4rger", L"\x00e4RGER", L"S", L"\x017f", L"I",
                                   L"\x0131", L"\x0399", L"\x03b9", NULL};
    for (int i = 0; names[i]; i++) {
        WCHAR path[64] = L"Software\\" CLS L"\\";
        wcscat(path, names[i]);
        k = create(HKEY_CURRENT_USER, path, &disp);
        printf("HKCU create ");
        show_name(names[i]);
        printf(": %s\n", !k ? "failed" : disp == REG_CREATED_NEW_KEY ? "new" : "existing");
        if (k)
            RegCloseKey(k);
    }
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\" CLS);

    /* HKEY_CLASSES_ROOT merged */
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\Classes\\" CLS);
    RegDeleteTreeW(HKEY_LOCAL_MACHINE, L"Software\\Classes\\" CLS);
    tag(HKEY_CURRENT_USER, L"Software\\Classes\\" CLS L"\\\x00c4rger", L"user");
    tag(HKEY_CURRENT_USER, L"Software\\Classes\\" CLS L"\\\x0131x", L"user");
    tag(HKEY_LOCAL_MACHINE, L"Software\\Classes\\" CLS L"\\\x00e4rger", L"machine");
    tag(HKEY_LOCAL_MACHINE, L"Software\\Classes\\" CLS L"\\\x00d6l", L"machine");
    tag(HKEY_LOCAL_MACHINE, L"Software\\Classes\\" CLS L"\\Ix", L"machine");
    HKEY cls;
    LONG r = RegOpenKeyExW(HKEY_CLASSES_ROOT, CLS, 0, KEY_READ, &cls);
    printf("open HKCR\\NtrunCaseTest: %ld\n", r);
    if (r)
        return 1;
    open_who(cls, L"\x00c4RGER");
    open_who(cls, L"\x00e4rger");
    open_who(cls, L"IX");
    open_who(cls, L"\x0131X");
    open_who(cls, L"\x00f6L");
    printf("enumeration:");
    for (DWORD i = 0;; i++) {
        WCHAR name[32];
        DWORD len = 32;
        r = RegEnumKeyExW(cls, i, name, &len, NULL, NULL, NULL, NULL);
        if (r)
            break;
        printf(" ");
        show_name(name);
    }
    printf(" (end %ld)\n", r);
    DWORD subkeys = 0;
    RegQueryInfoKeyW(cls, NULL, NULL, NULL, &subkeys, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    printf("RegQueryInfoKey subkeys: %lu\n", subkeys);
    RegCloseKey(cls);
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\Classes\\" CLS);
    RegDeleteTreeW(HKEY_LOCAL_MACHINE, L"Software\\Classes\\" CLS);
    return 0;
}
