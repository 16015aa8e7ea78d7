/* shell_folders: shell32's known folders as a console program asks for them (Rust's
 * dirs/home crates, Go's os.UserConfigDir on old Windows): SHGetKnownFolderPath gives a
 * CoTaskMemAlloc'd path that CoTaskMemFree frees, the user's folders under the profile,
 * KF_FLAG_CREATE makes the folder, an unknown id is E_INVALIDARG (as documented)
 * with NULL, SHGetFolderPathW agrees with it by CSIDL. The user name is not printed. */
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

typedef struct { DWORD d1; WORD d2, d3; BYTE d4[8]; } ID;
HRESULT WINAPI SHGetKnownFolderPath(const ID *id, DWORD flags, HANDLE token, WCHAR **out);
HRESULT WINAPI SHGetFolderPathW(HWND hwnd, int csidl, HANDLE token, DWORD flags, WCHAR *out);
void WINAPI CoTaskMemFree(void *p);

static const ID profile = {0x5E6C858F, 0x0E22, 0x4760, {0x9A, 0xFE, 0xEA, 0x33, 0x17, 0xB6, 0x71, 0x73}};
static const ID local = {0xF1B32785, 0x6FBA, 0x4FCF, {0x9D, 0x55, 0x7B, 0x8E, 0x7F, 0x15, 0x70, 0x91}};
static const ID roaming = {0x3EB685DB, 0x65F9, 0x4CF6, {0xA0, 0x3A, 0xE3, 0xEF, 0x65, 0x72, 0x9F, 0x3D}};
static const ID system32 = {0x1AC14E77, 0x02E7, 0x4E5D, {0xB7, 0x44, 0x2E, 0xB1, 0xAE, 0x51, 0x98, 0xB7}};
static const ID bogus = {0x12345678, 0x1234, 0x1234, {1, 2, 3, 4, 5, 6, 7, 8}};

int main(void)
{
    WCHAR *prof = NULL, *p = NULL;
    HRESULT hr = SHGetKnownFolderPath(&profile, 0, NULL, &prof);
    printf("profile: %08lx, under C:\\Users\\: %d\n", (unsigned long)hr,
           prof && _wcsnicmp(prof, L"C:\\Users\\", 9) == 0 && !wcschr(prof + 9, L'\\'));
    size_t n = prof ? wcslen(prof) : 0;
    hr = SHGetKnownFolderPath(&local, 0x8000 /* KF_FLAG_CREATE */, NULL, &p);
    printf("local app data: %08lx, profile + \\AppData\\Local: %d\n", (unsigned long)hr,
           p && wcsncmp(p, prof, n) == 0 && wcscmp(p + n, L"\\AppData\\Local") == 0);
    DWORD attr = p ? GetFileAttributesW(p) : INVALID_FILE_ATTRIBUTES;
    printf("created: %d\n", attr != INVALID_FILE_ATTRIBUTES && (attr & FILE_ATTRIBUTE_DIRECTORY));
    CoTaskMemFree(p);
    p = NULL;
    hr = SHGetKnownFolderPath(&roaming, 0, NULL, &p);
    WCHAR buf[MAX_PATH];
    HRESULT hr2 = SHGetFolderPathW(NULL, 0x1a /* CSIDL_APPDATA */, NULL, 0, buf);
    printf("roaming: %08lx, SHGetFolderPathW %08lx, same: %d\n", (unsigned long)hr,
           (unsigned long)hr2, p && wcscmp(p, buf) == 0);
    CoTaskMemFree(p);
    p = NULL;
    hr = SHGetKnownFolderPath(&system32, 0, NULL, &p);
    WCHAR sys[MAX_PATH];
    GetSystemDirectoryW(sys, MAX_PATH);
    printf("system: %08lx, GetSystemDirectory agrees: %d\n", (unsigned long)hr,
           p && _wcsicmp(p, sys) == 0);
    CoTaskMemFree(p);
    p = (WCHAR *)1;
    hr = SHGetKnownFolderPath(&bogus, 0, NULL, &p);
    printf("unknown id: %08lx, out %s\n", (unsigned long)hr, p ? "set" : "NULL");
    CoTaskMemFree(prof);
    CoTaskMemFree(NULL);
    return 0;
}
