/* HKEY_CLASSES_ROOT as Windows' merged view of HKCU\Software\Classes over
 * HKLM\Software\Classes (the cases of Wine's advapi32 test_classesroot/_enum, which record
 * Windows' answers; Wine 8.0 itself does not merge): keys opened through HKCR are the user's
 * when they exist and carry the HKCR tag (handle & 3 == 2); values are read from the user's
 * key first, then the machine's, and written to the user's key when it exists; new keys go to
 * the machine's classes; RegDeleteKey removes the user's key first; RegEnumKeyEx/RegEnumValue
 * and RegQueryInfoKey show both keys merged, a name both have once; a handle whose user key
 * was deleted answers ERROR_KEY_DELETED. Runs elevated (it writes HKLM\Software\Classes). */
#include <windows.h>
#include <stdio.h>
#include <string.h>

#define CLS "NtrunHkcrTest"
#define USER_ONLY "NtrunHkcrUserOnly"

static int tagged(HKEY k) { return ((ULONG_PTR)k & 3) == 2; }

static void query(const char *what, HKEY k, const char *name)
{
    char buf[32] = "";
    DWORD size = sizeof buf, type = 0;
    LONG r = RegQueryValueExA(k, name, NULL, &type, (BYTE *)buf, &size);
    printf("%s: %s -> %ld \"%s\"\n", what, name, r, r ? "" : buf);
}

static void set(HKEY k, const char *name, const char *data)
{
    LONG r = RegSetValueExA(k, name, 0, REG_SZ, (const BYTE *)data, (DWORD)strlen(data) + 1);
    if (r)
        printf("RegSetValueExA %s: %ld\n", name, r);
}

static void list(const char *what, HKEY k)
{
    char name[64];
    printf("%s: keys", what);
    LONG r;
    for (DWORD i = 0;; i++) {
        DWORD len = sizeof name;
        r = RegEnumKeyExA(k, i, name, &len, NULL, NULL, NULL, NULL);
        if (r)
            break;
        printf(" %s", name);
    }
    printf(" (%ld); values", r);
    for (DWORD i = 0;; i++) {
        DWORD len = sizeof name;
        r = RegEnumValueA(k, i, name, &len, NULL, NULL, NULL, NULL);
        if (r)
            break;
        printf(" %s", name);
    }
    DWORD subkeys = 99, values = 99;
    LONG q = RegQueryInfoKeyA(k, NULL, NULL, NULL, &subkeys, NULL, NULL, &values, NULL, NULL,
                              NULL, NULL);
    printf(" (%ld); RegQueryInfoKey %ld: %lu subkeys, %lu values\n", r, q, subkeys, values);
}

static LONG open_key(HKEY root, const char *path, HKEY *k)
{
    return RegOpenKeyExA(root, path, 0, KEY_ALL_ACCESS, k);
}

int main(void)
{
    HKEY hkcu, hklm, hkcr, sub, hkcr_sub, k;
    LONG r;
    RegDeleteTreeA(HKEY_CURRENT_USER, "Software\\Classes\\" CLS);
    RegDeleteTreeA(HKEY_CURRENT_USER, "Software\\Classes\\" USER_ONLY);
    RegDeleteTreeA(HKEY_LOCAL_MACHINE, "Software\\Classes\\" CLS);

    /* A class only the user has. */
    r = RegCreateKeyExA(HKEY_CURRENT_USER, "Software\\Classes\\" CLS, 0, NULL, 0, KEY_ALL_ACCESS,
                        NULL, &hkcu, NULL);
    printf("user class: %ld tagged %d\n", r, tagged(hkcu));
    r = open_key(HKEY_CLASSES_ROOT, CLS, &hkcr);
    printf("HKCR\\" CLS ": %ld tagged %d\n", r, tagged(hkcr));
    set(hkcu, "val1", "user");
    query("through HKCR", hkcr, "val1");
    set(hkcr, "val1", "hkcr");
    query("user's key", hkcu, "val1");
    RegCloseKey(hkcr);

    /* The machine's class too: values and subkeys of both. */
    r = RegCreateKeyExA(HKEY_LOCAL_MACHINE, "Software\\Classes\\" CLS, 0, NULL, 0,
                        KEY_ALL_ACCESS, NULL, &hklm, NULL);
    printf("machine class: %ld tagged %d\n", r, tagged(hklm));
    RegDeleteValueA(hkcu, "val1");
    set(hkcu, "X", "AA");
    set(hkcu, "Y", "B");
    RegCreateKeyA(hkcu, "A", &k), RegCloseKey(k);
    RegCreateKeyA(hkcu, "B", &k), RegCloseKey(k);
    set(hklm, "X", "AB");
    set(hklm, "Z", "C");
    RegCreateKeyA(hklm, "A", &k), RegCloseKey(k);
    RegCreateKeyA(hklm, "C", &k), RegCloseKey(k);
    r = open_key(HKEY_CLASSES_ROOT, CLS, &hkcr);
    printf("HKCR\\" CLS ": %ld tagged %d\n", r, tagged(hkcr));
    list("merged", hkcr);
    query("merged", hkcr, "X");
    query("merged", hkcr, "Z");
    set(hkcr, "X", "new");
    query("user's key", hkcu, "X");
    query("machine's key", hklm, "X");

    /* A subkey only the machine has, then the user's too. */
    r = open_key(hkcr, "C", &hkcr_sub);
    printf("HKCR\\" CLS "\\C: %ld tagged %d\n", r, tagged(hkcr_sub));
    set(hkcr_sub, "v", "hkcr");
    open_key(hklm, "C", &sub);
    query("machine's C", sub, "v");
    RegCreateKeyA(hkcu, "C", &k);
    set(k, "v", "user");
    query("HKCR C after the user's C appeared", hkcr_sub, "v");
    set(hkcr_sub, "v", "hkcr2");
    query("user's C", k, "v");
    query("machine's C", sub, "v");
    RegCloseKey(k);
    RegCloseKey(sub);
    RegCloseKey(hkcr_sub);

    /* New keys go to the machine's classes. */
    DWORD disp = 0;
    r = RegCreateKeyExA(hkcr, "D", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &k, &disp);
    printf("RegCreateKeyEx(HKCR\\" CLS ", D): %ld disposition %lu tagged %d\n", r, disp,
           tagged(k));
    RegCloseKey(k);
    printf("  in the user's classes: %ld, in the machine's: %ld\n", open_key(hkcu, "D", &k),
           (r = open_key(hklm, "D", &sub)));
    if (!r)
        RegCloseKey(sub);
    r = RegCreateKeyExA(hkcr, "A", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &k, &disp);
    printf("RegCreateKeyEx(HKCR\\" CLS ", A): %ld disposition %lu\n", r, disp);
    RegCloseKey(k);

    /* RegDeleteKey takes the user's key first. */
    printf("RegDeleteKey(HKCR, C): %ld\n", RegDeleteKeyA(hkcr, "C"));
    printf("  user's C %ld, machine's C %ld\n", open_key(hkcu, "C", &k),
           (r = open_key(hklm, "C", &sub)));
    if (!r)
        RegCloseKey(sub);
    printf("RegDeleteKey(HKCR, C) again: %ld\n", RegDeleteKeyA(hkcr, "C"));
    printf("  machine's C %ld\n", open_key(hklm, "C", &sub));

    /* HKCR's own subkeys: the class both have listed once, a user-only class listed. */
    r = RegCreateKeyA(HKEY_CURRENT_USER, "Software\\Classes\\" USER_ONLY, &k);
    RegCloseKey(k);
    int seen = 0, seen_user = 0;
    char name[256];
    for (DWORD i = 0;; i++) {
        DWORD len = sizeof name;
        if (RegEnumKeyExA(HKEY_CLASSES_ROOT, i, name, &len, NULL, NULL, NULL, NULL))
            break;
        seen += !strcmp(name, CLS);
        seen_user += !strcmp(name, USER_ONLY);
    }
    printf("HKCR lists " CLS " %d time(s), " USER_ONLY " %d time(s)\n", seen, seen_user);
    r = open_key(HKEY_CLASSES_ROOT, USER_ONLY, &k);
    printf("HKCR\\" USER_ONLY ": %ld\n", r);
    if (!r)
        RegCloseKey(k);

    /* The user's key deleted under an open HKCR handle, then the machine's alone. */
    RegDeleteTreeA(HKEY_CURRENT_USER, "Software\\Classes\\" CLS);
    DWORD len = sizeof name;
    printf("deleted user's key: RegEnumKeyEx %ld, RegEnumValue ",
           RegEnumKeyExA(hkcr, 0, name, &len, NULL, NULL, NULL, NULL));
    len = sizeof name;
    printf("%ld\n", RegEnumValueA(hkcr, 0, name, &len, NULL, NULL, NULL, NULL));
    RegCloseKey(hkcr);
    r = open_key(HKEY_CLASSES_ROOT, CLS, &hkcr);
    printf("HKCR\\" CLS " again: %ld tagged %d\n", r, tagged(hkcr));
    list("machine's only", hkcr);
    query("machine's only", hkcr, "X");

    RegCloseKey(hkcr);
    RegCloseKey(hkcu);
    RegCloseKey(hklm);
    RegDeleteTreeA(HKEY_CURRENT_USER, "Software\\Classes\\" USER_ONLY);
    RegDeleteTreeA(HKEY_LOCAL_MACHINE, "Software\\Classes\\" CLS);
    return 0;
}
