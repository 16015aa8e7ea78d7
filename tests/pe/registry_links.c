/* Registry symbolic links, key renaming and the 32-bit view of HKLM\Software, as Windows does
 * them: a key made with REG_OPTION_CREATE_LINK takes only its SymbolicLinkValue (REG_LINK, the
 * target's absolute name, no terminator); opening it, or a path through it, reaches the target,
 * missing until the target exists; REG_OPTION_OPEN_LINK opens the link itself; creating through
 * a link creates the target; a second REG_OPTION_CREATE_LINK collides; a loop gives
 * ERROR_INVALID_PARAMETER and a relative target ERROR_INVALID_NAME (Windows 10 1607 and
 * later); NtDeleteKey on the link leaves the target. RegRenameKey/NtRenameKey keep values and
 * subkeys, refuse a taken name and a path. KEY_WOW64_32KEY in advapi32 reaches
 * Software\Wow6432Node, but not for the shared Software\Classes; the NT calls of a 64-bit
 * program do not redirect. Expected output from Windows' documented behaviour and Wine's
 * registry tests, which were written against Windows. Wine 8.0 differs in three lines: a
 * relative link target gives ERROR_FILE_NOT_FOUND there (Windows before 10 1607), and its
 * 32-bit view neither shares Software\Classes nor has Wow6432Node's CurrentVersion values.
 * ntrun shares all of Software\Classes (Windows redirects a few of its subkeys, CLSID among
 * them). */
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <winternl.h>

#define ROOT L"Software\\ntrun-pe-links"

typedef NTSTATUS(NTAPI *open_fn)(HANDLE *, ACCESS_MASK, OBJECT_ATTRIBUTES *);
typedef NTSTATUS(NTAPI *setv_fn)(HANDLE, UNICODE_STRING *, ULONG, ULONG, const void *, ULONG);
typedef NTSTATUS(NTAPI *del_fn)(HANDLE);
typedef NTSTATUS(NTAPI *ren_fn)(HANDLE, UNICODE_STRING *);
typedef LONG(WINAPI *regren_fn)(HKEY, const WCHAR *, const WCHAR *);

static open_fn pNtOpenKey;
static setv_fn pNtSetValueKey;
static del_fn pNtDeleteKey;
static ren_fn pNtRenameKey;

static void ustr(UNICODE_STRING *u, const WCHAR *s)
{
    u->Length = u->MaximumLength = (USHORT)(wcslen(s) * 2);
    u->Buffer = (WCHAR *)s;
}

static DWORD read_dword(HKEY root, const WCHAR *path, DWORD options, REGSAM extra, LONG *r)
{
    HKEY k;
    DWORD v = 0, size = sizeof v;
    *r = RegOpenKeyExW(root, path, options, KEY_READ | extra, &k);
    if (*r)
        return 0;
    *r = RegQueryValueExW(k, L"value", NULL, NULL, (BYTE *)&v, &size);
    RegCloseKey(k);
    return v;
}

static void show_dword(const char *what, HKEY root, const WCHAR *path, REGSAM extra)
{
    LONG r;
    DWORD v = read_dword(root, path, 0, extra, &r);
    printf("%s: %ld value %lu\n", what, r, v);
}

static void set_dword(HKEY k, DWORD v)
{
    RegSetValueExW(k, L"value", 0, REG_DWORD, (const BYTE *)&v, 4);
}

static void list(const char *what, HKEY k)
{
    WCHAR name[64];
    printf("%s:", what);
    for (DWORD i = 0;; i++) {
        DWORD n = 64;
        if (RegEnumKeyExW(k, i, name, &n, NULL, NULL, NULL, NULL))
            break;
        printf(" %ls", name);
    }
    printf("\n");
}

/* \Registry\User\<sid>\Software\ntrun-pe-links\<leaf>, without a terminator */
static WCHAR target[300];
static DWORD target_bytes(HKEY root, const WCHAR *leaf)
{
    BYTE buf[600];
    ULONG got;
    typedef NTSTATUS(NTAPI * qk_fn)(HANDLE, int, void *, ULONG, ULONG *);
    qk_fn q = (qk_fn)(void *)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQueryKey");
    q(root, 3 /* KeyNameInformation */, buf, sizeof buf, &got);
    ULONG nb = *(ULONG *)buf;
    memcpy(target, buf + 4, nb);
    target[nb / 2] = 0;
    wcscat(target, L"\\");
    wcscat(target, leaf);
    return (DWORD)(wcslen(target) * 2);
}

int main(void)
{
    HMODULE nt = GetModuleHandleA("ntdll.dll");
    pNtOpenKey = (open_fn)(void *)GetProcAddress(nt, "NtOpenKey");
    pNtSetValueKey = (setv_fn)(void *)GetProcAddress(nt, "NtSetValueKey");
    pNtDeleteKey = (del_fn)(void *)GetProcAddress(nt, "NtDeleteKey");
    pNtRenameKey = (ren_fn)(void *)GetProcAddress(nt, "NtRenameKey");
    regren_fn pRegRenameKey =
        (regren_fn)(void *)GetProcAddress(GetModuleHandleA("advapi32.dll"), "RegRenameKey");
    HKEY root, link, k, t;
    DWORD disp = 0, type, size;
    LONG r;
    UNICODE_STRING us;
    BYTE buf[600];

    RegDeleteTreeW(HKEY_CURRENT_USER, ROOT);
    r = RegCreateKeyExW(HKEY_CURRENT_USER, ROOT, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &root, NULL);
    printf("root: %ld\n", r);

    /* ---- symbolic links ---- */
    r = RegCreateKeyExW(root, L"link", 0, NULL, REG_OPTION_CREATE_LINK, KEY_ALL_ACCESS, NULL,
                        &link, &disp);
    printf("create link: %ld disposition %lu\n", r, disp);
    DWORD tb = target_bytes(root, L"target");
    ustr(&us, L"SymbolicLinkValue");
    printf("link value as REG_SZ: 0x%08lx\n",
           (unsigned long)pNtSetValueKey(link, &us, 0, REG_SZ, target, tb));
    printf("link value: %ld\n",
           RegSetValueExW(link, L"SymbolicLinkValue", 0, REG_LINK, (const BYTE *)target, tb));
    printf("other value on a link: %ld\n",
           RegSetValueExW(link, L"other", 0, REG_LINK, (const BYTE *)target, tb));
    show_dword("open link, no target yet", root, L"link", 0);

    RegCreateKeyExW(root, L"target\\child", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &k, NULL);
    set_dword(k, 7);
    RegCloseKey(k);
    RegOpenKeyExW(root, L"target", 0, KEY_ALL_ACCESS, &t);
    set_dword(t, 0xbeef);
    show_dword("open link", root, L"link", 0);
    show_dword("path through link", root, L"link\\child", 0);
    r = RegOpenKeyExW(root, L"link", REG_OPTION_OPEN_LINK, KEY_READ, &k);
    size = sizeof buf;
    LONG q = RegQueryValueExW(k, L"SymbolicLinkValue", NULL, &type, buf, &size);
    printf("open the link itself: %ld, query %ld type %lu same target %d\n", r, q, type,
           size == tb && !memcmp(buf, target, tb));
    RegCloseKey(k);
    r = RegOpenKeyExW(root, L"link", 0, KEY_READ, &k);
    size = sizeof buf;
    q = RegQueryValueExW(k, L"SymbolicLinkValue", NULL, &type, buf, &size);
    printf("through the link, its value: %ld\n", q);
    RegCloseKey(k);
    list("keys", root);

    RegDeleteKeyW(t, L"child");
    printf("delete target: %ld\n", RegDeleteKeyW(root, L"target"));
    RegCloseKey(t);
    show_dword("open link, target gone", root, L"link", 0);
    r = RegCreateKeyExW(root, L"link", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &k, &disp);
    printf("create through link: %ld disposition %lu\n", r, disp);
    set_dword(k, 5);
    RegCloseKey(k);
    show_dword("target made through the link", root, L"target", 0);
    r = RegCreateKeyExW(root, L"link", 0, NULL, REG_OPTION_CREATE_LINK, KEY_ALL_ACCESS, NULL, &k,
                        &disp);
    printf("create link again: %ld\n", r);

    /* a relative target, then a loop */
    RegSetValueExW(link, L"SymbolicLinkValue", 0, REG_LINK, (const BYTE *)L"target", 12);
    show_dword("relative target", root, L"link", 0);
    tb = target_bytes(root, L"link");
    RegSetValueExW(link, L"SymbolicLinkValue", 0, REG_LINK, (const BYTE *)target, tb);
    show_dword("loop", root, L"link", 0);
    r = RegOpenKeyExW(root, L"link", REG_OPTION_OPEN_LINK, KEY_ALL_ACCESS, &k);
    printf("open looping link itself: %ld\n", r);
    printf("NtDeleteKey of the link: 0x%08lx\n", (unsigned long)pNtDeleteKey(k));
    RegCloseKey(k);
    RegCloseKey(link);
    list("keys", root);

    /* ---- renaming ---- */
    RegCreateKeyExW(root, L"target\\child", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &k, NULL);
    set_dword(k, 3);
    RegCloseKey(k);
    RegCreateKeyExW(root, L"other", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &k, NULL);
    RegCloseKey(k);
    printf("rename: %ld\n", pRegRenameKey(root, L"target", L"Renamed"));
    list("keys", root);
    show_dword("old name", root, L"target", 0);
    show_dword("new name", root, L"renamed", 0);
    show_dword("subkey moved", root, L"Renamed\\child", 0);
    printf("rename to a taken name: %ld\n", pRegRenameKey(root, L"Renamed", L"OTHER"));
    RegOpenKeyExW(root, L"Renamed", 0, KEY_ALL_ACCESS, &k);
    ustr(&us, L"a\\b");
    printf("NtRenameKey to a path: 0x%08lx\n", (unsigned long)pNtRenameKey(k, &us));
    ustr(&us, L"other");
    printf("NtRenameKey to a taken name: 0x%08lx\n", (unsigned long)pNtRenameKey(k, &us));
    ustr(&us, L"again");
    printf("NtRenameKey: 0x%08lx\n", (unsigned long)pNtRenameKey(k, &us));
    set_dword(k, 9); /* the handle follows the key */
    RegCloseKey(k);
    show_dword("renamed by handle", root, L"again", 0);
    list("keys", root);
    RegCloseKey(root);
    printf("cleanup: %ld\n", RegDeleteTreeW(HKEY_CURRENT_USER, ROOT));

    /* ---- the 32-bit view ---- */
    const WCHAR *wk = L"Software\\ntrun-pe-wow";
    RegDeleteTreeW(HKEY_LOCAL_MACHINE, wk);
    RegDeleteTreeW(HKEY_LOCAL_MACHINE, L"Software\\Wow6432Node\\ntrun-pe-wow");
    r = RegCreateKeyExW(HKEY_LOCAL_MACHINE, wk, 0, NULL, 0, KEY_ALL_ACCESS | KEY_WOW64_32KEY, NULL,
                        &k, NULL);
    printf("create 32-bit: %ld\n", r);
    set_dword(k, 32);
    RegCloseKey(k);
    r = RegCreateKeyExW(HKEY_LOCAL_MACHINE, wk, 0, NULL, 0, KEY_ALL_ACCESS | KEY_WOW64_64KEY, NULL,
                        &k, &disp);
    printf("create 64-bit: %ld disposition %lu\n", r, disp);
    set_dword(k, 64);
    RegCloseKey(k);
    show_dword("default view", HKEY_LOCAL_MACHINE, wk, 0);
    show_dword("64-bit view", HKEY_LOCAL_MACHINE, wk, KEY_WOW64_64KEY);
    show_dword("32-bit view", HKEY_LOCAL_MACHINE, wk, KEY_WOW64_32KEY);
    show_dword("Wow6432Node by name", HKEY_LOCAL_MACHINE, L"Software\\Wow6432Node\\ntrun-pe-wow",
               0);
    HKEY sw;
    RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"Software", 0, KEY_READ | KEY_WOW64_32KEY, &sw);
    show_dword("below Software opened in the 32-bit view", sw, L"ntrun-pe-wow", 0);
    RegCloseKey(sw);
    OBJECT_ATTRIBUTES oa = {.Length = sizeof oa, .ObjectName = &us,
                            .Attributes = OBJ_CASE_INSENSITIVE};
    ustr(&us, L"\\Registry\\Machine\\Software\\ntrun-pe-wow");
    HANDLE h;
    NTSTATUS st = pNtOpenKey(&h, KEY_READ | KEY_WOW64_32KEY, &oa);
    DWORD v = 0;
    size = 4;
    RegQueryValueExW((HKEY)h, L"value", NULL, NULL, (BYTE *)&v, &size);
    printf("NtOpenKey with KEY_WOW64_32KEY: 0x%08lx value %lu\n", (unsigned long)st, v);
    CloseHandle(h);
    r = RegCreateKeyExW(HKEY_LOCAL_MACHINE, L"Software\\Classes\\ntrun-pe-wow", 0, NULL, 0,
                        KEY_ALL_ACCESS | KEY_WOW64_32KEY, NULL, &k, NULL);
    set_dword(k, 33);
    RegCloseKey(k);
    show_dword("Classes is shared", HKEY_LOCAL_MACHINE, L"Software\\Classes\\ntrun-pe-wow", 0);
    WCHAR pf[MAX_PATH];
    size = sizeof pf;
    r = RegGetValueW(HKEY_LOCAL_MACHINE, L"Software\\Microsoft\\Windows\\CurrentVersion",
                     L"ProgramFilesDir", RRF_RT_REG_SZ | RRF_SUBKEY_WOW6432KEY, NULL, pf, &size);
    printf("32-bit ProgramFilesDir: %ld %ls\n", r, pf);
    size = sizeof pf;
    r = RegGetValueW(HKEY_LOCAL_MACHINE, L"Software\\Microsoft\\Windows\\CurrentVersion",
                     L"ProgramFilesDir", RRF_RT_REG_SZ, NULL, pf, &size);
    printf("64-bit ProgramFilesDir: %ld %ls\n", r, pf);
    RegDeleteTreeW(HKEY_LOCAL_MACHINE, L"Software\\Classes\\ntrun-pe-wow");
    printf("cleanup 32: %ld\n", RegDeleteKeyExW(HKEY_LOCAL_MACHINE, wk, KEY_WOW64_32KEY, 0));
    printf("cleanup 64: %ld\n", RegDeleteKeyExW(HKEY_LOCAL_MACHINE, wk, KEY_WOW64_64KEY, 0));
    show_dword("after cleanup", HKEY_LOCAL_MACHINE, L"Software\\Wow6432Node\\ntrun-pe-wow", 0);
    return 0;
}
