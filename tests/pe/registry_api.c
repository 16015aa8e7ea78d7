/* advapi32's registry functions as Windows documents and does them, on a key of its own under
 * HKEY_CURRENT_USER: RegCreateKeyEx (nested paths made in one call, dispositions),
 * RegOpenKeyEx (missing keys, case-insensitive names, access checked), values of every common
 * type written and read back (REG_SZ counted with and without its terminator, EXPAND_SZ,
 * MULTI_SZ, DWORD, QWORD, BINARY), ERROR_MORE_DATA with the size needed, ERROR_FILE_NOT_FOUND,
 * the ANSI forms converting strings, RegGetValue (type filters, terminators added, expansion),
 * enumeration of subkeys and values with ERROR_NO_MORE_ITEMS, RegQueryInfoKey, deleting a key
 * with subkeys (ERROR_ACCESS_DENIED), RegDeleteTree, RegNotifyChangeKeyValue's event,
 * predefined keys (closing one, HKLM's CurrentVersion), a bad handle, and the same functions
 * found in kernelbase and api-ms-win-core-registry-l1-1-0. */
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

#define KEY L"Software\\ntrun-pe-registry"

static void show(const char *what, LONG r) { printf("%s: %ld\n", what, r); }

int main(void)
{
    HKEY k, sub;
    DWORD disp = 0, type = 0, size, v;
    LONG r;
    BYTE buf[256];

    RegDeleteTreeW(HKEY_CURRENT_USER, KEY); /* a previous run's leftovers */
    show("open missing", RegOpenKeyExW(HKEY_CURRENT_USER, KEY, 0, KEY_READ, &k));
    r = RegCreateKeyExW(HKEY_CURRENT_USER, KEY L"\\a\\b", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &k,
                        &disp);
    printf("create nested: %ld, disposition %lu\n", r, disp);
    RegCloseKey(k);
    r = RegCreateKeyExW(HKEY_CURRENT_USER, KEY, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &k, &disp);
    printf("create existing: %ld, disposition %lu\n", r, disp);

    /* strings: counted with the terminator, without it (added), and raw */
    show("set sz", RegSetValueExW(k, L"sz", 0, REG_SZ, (const BYTE *)L"hello", 12));
    show("set sz short", RegSetValueExW(k, L"short", 0, REG_SZ, (const BYTE *)L"abc", 6));
    show("set sz raw", RegSetValueExW(k, L"raw", 0, REG_SZ, (const BYTE *)L"abcX", 6));
    size = 0;
    r = RegQueryValueExW(k, L"short", NULL, &type, NULL, &size);
    printf("short: %ld type %lu size %lu\n", r, type, size);
    size = 0;
    r = RegQueryValueExW(k, L"raw", NULL, &type, NULL, &size);
    printf("raw: %ld type %lu size %lu\n", r, type, size);
    size = sizeof buf;
    r = RegGetValueW(k, NULL, L"raw", RRF_RT_REG_SZ, &type, buf, &size);
    printf("RegGetValue raw: %ld size %lu [%ls]\n", r, size, (WCHAR *)buf);

    v = 42;
    show("set dword", RegSetValueExW(k, L"Count", 0, REG_DWORD, (const BYTE *)&v, 4));
    ULONGLONG q = 0x1122334455667788ULL;
    show("set qword", RegSetValueExW(k, L"Big", 0, REG_QWORD, (const BYTE *)&q, 8));
    show("set multi", RegSetValueExW(k, L"List", 0, REG_MULTI_SZ,
                                     (const BYTE *)L"one\0two\0", 18));
    BYTE bin[3] = {1, 2, 0xff};
    show("set binary", RegSetValueExW(k, L"Bin", 0, REG_BINARY, bin, 3));
    SetEnvironmentVariableW(L"NTRUN_REG_T", L"xyz");
    show("set expand", RegSetValueExW(k, L"Exp", 0, REG_EXPAND_SZ,
                                      (const BYTE *)L"%NTRUN_REG_T%\\d", 32));

    size = sizeof buf;
    r = RegQueryValueExW(k, L"count", NULL, &type, buf, &size);
    printf("query count: %ld type %lu size %lu value %lu\n", r, type, size, *(DWORD *)buf);
    size = 4;
    r = RegQueryValueExW(k, L"sz", NULL, &type, buf, &size);
    printf("query sz into 4 bytes: %ld size %lu\n", r, size);
    size = sizeof buf;
    show("query missing", RegQueryValueExW(k, L"nope", NULL, &type, buf, &size));
    show("query data without size", RegQueryValueExW(k, L"sz", NULL, &type, buf, NULL));
    size = sizeof buf;
    r = RegQueryValueExA(k, "sz", NULL, &type, buf, &size);
    printf("query sz (A): %ld type %lu size %lu [%s]\n", r, type, size, buf);
    size = sizeof buf;
    r = RegQueryValueExA(k, "List", NULL, &type, buf, &size);
    printf("query list (A): %ld size %lu [%s|%s]\n", r, size, buf, buf + 4);

    size = sizeof buf;
    r = RegGetValueW(HKEY_CURRENT_USER, KEY, L"Exp", RRF_RT_REG_SZ, &type, buf, &size);
    printf("RegGetValue exp: %ld type %lu size %lu [%ls]\n", r, type, size, (WCHAR *)buf);
    size = sizeof buf;
    r = RegGetValueW(HKEY_CURRENT_USER, KEY, L"Exp", RRF_RT_REG_EXPAND_SZ | RRF_NOEXPAND, &type,
                     buf, &size);
    printf("RegGetValue exp noexpand: %ld type %lu [%ls]\n", r, type, (WCHAR *)buf);
    size = sizeof buf;
    show("RegGetValue sz as dword",
         RegGetValueW(HKEY_CURRENT_USER, KEY, L"sz", RRF_RT_REG_DWORD, &type, buf, &size));
    size = sizeof buf;
    r = RegGetValueW(HKEY_CURRENT_USER, KEY, L"Big", RRF_RT_QWORD, &type, buf, &size);
    printf("RegGetValue qword: %ld size %lu %llx\n", r, size, *(ULONGLONG *)buf);
    size = sizeof buf;
    r = RegGetValueA(HKEY_CURRENT_USER, "Software\\ntrun-pe-registry", "sz", RRF_RT_REG_SZ,
                     &type, buf, &size);
    printf("RegGetValueA sz: %ld size %lu [%s]\n", r, size, buf);
    size = 2;
    show("RegGetValue small", RegGetValueW(k, NULL, L"sz", RRF_RT_ANY, NULL, buf, &size));
    printf("  needed %lu\n", size);

    /* enumeration: values in creation order, subkeys sorted */
    RegCreateKeyExW(k, L"Zed", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &sub, NULL);
    RegCloseKey(sub);
    RegCreateKeyExW(k, L"M", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &sub, NULL);
    RegCloseKey(sub);
    for (DWORD i = 0;; i++) {
        WCHAR name[64];
        DWORD n = 64;
        size = sizeof buf;
        r = RegEnumValueW(k, i, name, &n, NULL, &type, buf, &size);
        if (r) {
            printf("enum value %lu: %ld\n", i, r);
            break;
        }
        printf("value %lu: %ls (%lu chars) type %lu size %lu\n", i, name, n, type, size);
    }
    for (DWORD i = 0;; i++) {
        WCHAR name[64];
        DWORD n = 64;
        r = RegEnumKeyExW(k, i, name, &n, NULL, NULL, NULL, NULL);
        if (r) {
            printf("enum key %lu: %ld\n", i, r);
            break;
        }
        printf("key %lu: %ls (%lu chars)\n", i, name, n);
    }
    {
        WCHAR name[2];
        DWORD n = 2;
        show("enum value, short name", RegEnumValueW(k, 0, name, &n, NULL, NULL, NULL, NULL));
        char an[64];
        n = 64;
        r = RegEnumKeyExA(k, 2, an, &n, NULL, NULL, NULL, NULL);
        printf("enum key (A) 2: %ld %s %lu\n", r, an, n);
    }
    DWORD nsub, maxsub, nval, maxvname, maxvlen;
    r = RegQueryInfoKeyW(k, NULL, NULL, NULL, &nsub, &maxsub, NULL, &nval, &maxvname, &maxvlen,
                         NULL, NULL);
    printf("info: %ld subkeys %lu (max %lu) values %lu (max name %lu, max data %lu)\n", r, nsub,
           maxsub, nval, maxvname, maxvlen);

    /* access and deletion */
    HKEY ro;
    RegOpenKeyExW(HKEY_CURRENT_USER, L"SOFTWARE\\NTRUN-PE-REGISTRY", 0, KEY_READ, &ro);
    show("set through KEY_READ", RegSetValueExW(ro, L"x", 0, REG_DWORD, (const BYTE *)&v, 4));
    RegCloseKey(ro);
    show("delete key with subkeys", RegDeleteKeyW(k, L"a"));
    show("delete missing value", RegDeleteValueW(k, L"nope"));
    show("delete value", RegDeleteValueW(k, L"Bin"));
    show("delete missing key", RegDeleteKeyW(k, L"nope"));

    /* a change notifies */
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    show("notify", RegNotifyChangeKeyValue(k, FALSE, REG_NOTIFY_CHANGE_LAST_SET, ev, TRUE));
    printf("event before: %lu\n", WaitForSingleObject(ev, 0));
    RegSetValueExW(k, L"Count", 0, REG_DWORD, (const BYTE *)&v, 4);
    printf("event after: %lu\n", WaitForSingleObject(ev, 0));
    CloseHandle(ev);

    RegCloseKey(k);
    show("delete tree", RegDeleteTreeW(HKEY_CURRENT_USER, KEY));
    show("open deleted", RegOpenKeyExW(HKEY_CURRENT_USER, KEY, 0, KEY_READ, &k));

    /* predefined keys */
    size = sizeof v;
    r = RegGetValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
                     L"CurrentMajorVersionNumber", RRF_RT_REG_DWORD, &type, &v, &size);
    printf("CurrentMajorVersionNumber: %ld %lu\n", r, v);
    size = sizeof buf;
    r = RegGetValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
                     L"ProductName", RRF_RT_REG_SZ, &type, buf, &size);
    printf("ProductName starts with Windows: %ld %d\n", r, !wcsncmp((WCHAR *)buf, L"Windows", 7));
    show("close HKLM", RegCloseKey(HKEY_LOCAL_MACHINE));
    show("close bad handle", RegCloseKey((HKEY)(ULONG_PTR)0x1234));
    show("open under bad handle", RegOpenKeyExW((HKEY)(ULONG_PTR)0x1234, L"x", 0, KEY_READ, &k));
    r = RegOpenCurrentUser(KEY_READ, &k);
    printf("RegOpenCurrentUser: %ld\n", r);
    r = RegOpenKeyExW(k, L"Software", 0, KEY_READ, &sub);
    printf("its Software key: %ld\n", r);
    RegCloseKey(sub);
    RegCloseKey(k);

    /* kernelbase and the API set export the same functions */
    HMODULE kb = LoadLibraryA("kernelbase.dll");
    HMODULE set = LoadLibraryA("api-ms-win-core-registry-l1-1-0.dll");
    printf("kernelbase!RegOpenKeyExW %d, RegGetValueW %d; api set!RegQueryValueExW %d\n",
           kb && GetProcAddress(kb, "RegOpenKeyExW") != NULL,
           kb && GetProcAddress(kb, "RegGetValueW") != NULL,
           set && GetProcAddress(set, "RegQueryValueExW") != NULL);
    return 0;
}
