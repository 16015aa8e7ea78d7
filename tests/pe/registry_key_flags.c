/* NtQueryKey(KeyFlagsInformation): KEY_FLAGS_INFORMATION {Wow64Flags, KeyFlags, ControlFlags},
 * KeyFlags REG_FLAG_VOLATILE (1) for a key created with REG_OPTION_VOLATILE, REG_FLAG_LINK (2)
 * for a symbolic link opened as itself (REG_OPTION_OPEN_LINK), 0 for an ordinary key; a short
 * buffer gives STATUS_BUFFER_TOO_SMALL with the 12 bytes needed. Output as on Windows; Wine 8.0
 * does not implement the class (STATUS_INVALID_PARAMETER for every line). */
#include <stdio.h>
#include <windows.h>
#include <winternl.h>

typedef NTSTATUS(NTAPI *query_key_fn)(HANDLE, int, void *, ULONG, ULONG *);
static query_key_fn query_key;

static void show(const char *what, HKEY k)
{
    ULONG info[3] = {0xcccccccc, 0xcccccccc, 0xcccccccc}, got = 0;
    NTSTATUS st = query_key(k, 5 /* KeyFlagsInformation */, info, sizeof info, &got);
    printf("%-9s 0x%08lx, %lu bytes, Wow64Flags %lu KeyFlags %lu ControlFlags %lu\n", what,
           (unsigned long)st, got, info[0], info[1], info[2]);
}

int main(void)
{
    query_key = (query_key_fn)(void *)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQueryKey");
    char base[96], path[128];
    snprintf(base, sizeof base, "Software\\ntrun-pe-keyflags-%lu", GetCurrentProcessId());
    HKEY root, vol, link;
    DWORD disp;
    RegCreateKeyExA(HKEY_CURRENT_USER, base, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &root, &disp);
    show("ordinary", root);
    RegCreateKeyExA(root, "volatile", 0, NULL, REG_OPTION_VOLATILE, KEY_ALL_ACCESS, NULL, &vol,
                    &disp);
    show("volatile", vol);
    LONG r = RegCreateKeyExA(root, "link", 0, NULL, REG_OPTION_CREATE_LINK | REG_OPTION_VOLATILE,
                             KEY_ALL_ACCESS | KEY_CREATE_LINK, NULL, &link, &disp);
    WCHAR target[160];
    int n = swprintf(target, 160, L"\\Registry\\Machine\\Software");
    RegSetValueExW(link, L"SymbolicLinkValue", 0, REG_LINK, (const BYTE *)target,
                   n * sizeof(WCHAR));
    RegCloseKey(link);
    snprintf(path, sizeof path, "%s\\link", base);
    r = RegOpenKeyExA(HKEY_CURRENT_USER, path, REG_OPTION_OPEN_LINK, KEY_ALL_ACCESS, &link);
    printf("open link: %ld\n", r);
    show("link", link);

    ULONG small[2], got = 0;
    NTSTATUS st = query_key(root, 5, small, sizeof small, &got);
    printf("short buffer: 0x%08lx, %lu bytes needed\n", (unsigned long)st, got);

    RegDeleteKeyA(link, "");
    RegCloseKey(link);
    RegCloseKey(vol);
    RegDeleteKeyA(root, "volatile");
    RegCloseKey(root);
    RegDeleteKeyA(HKEY_CURRENT_USER, base);
    return 0;
}
