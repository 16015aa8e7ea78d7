/* userenv's directory queries, the W and A forms side by side: GetProfilesDirectory,
 * GetAllUsersProfileDirectory and GetUserProfileDirectory (the process's token) with a NULL
 * size (ERROR_INVALID_PARAMETER), a NULL buffer and a buffer one unit short
 * (ERROR_INSUFFICIENT_BUFFER, *size set to the length + 1), then room enough (*size the length
 * + 1, the path NUL-ended); the A form's path is the W form's. Paths other than the user's
 * profile are printed: on Windows they are C:\Users and C:\ProgramData on the system drive C:. */
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include <userenv.h>

typedef BOOL(WINAPI *get_w)(WCHAR *, DWORD *);
typedef BOOL(WINAPI *get_a)(char *, DWORD *);

static BOOL WINAPI profile_w(WCHAR *out, DWORD *size)
{
    return GetUserProfileDirectoryW(GetCurrentProcessToken(), out, size);
}

static BOOL WINAPI profile_a(char *out, DWORD *size)
{
    return GetUserProfileDirectoryA(GetCurrentProcessToken(), out, size);
}

static void show(const char *name, get_w fw, get_a fa, BOOL print_path)
{
    WCHAR w[MAX_PATH];
    char a[MAX_PATH];
    SetLastError(0);
    BOOL ok = fw(w, NULL);
    printf("%sW NULL size: %d err %lu\n", name, ok, GetLastError());
    SetLastError(0);
    ok = fa(a, NULL);
    printf("%sA NULL size: %d err %lu\n", name, ok, GetLastError());

    DWORD nw = 0, na = 0;
    SetLastError(0);
    ok = fw(NULL, &nw);
    printf("%sW NULL buffer: %d err %lu\n", name, ok, GetLastError());
    SetLastError(0);
    ok = fa(NULL, &na);
    printf("%sA NULL buffer: %d err %lu, sizes equal %d\n", name, ok, GetLastError(), na == nw);

    DWORD sw = nw - 1, sa = na - 1;
    memset(w, 0xcc, sizeof w);
    memset(a, 0xcc, sizeof a);
    SetLastError(0);
    ok = fw(w, &sw);
    printf("%sW one short: %d err %lu size %s\n", name, ok, GetLastError(),
           sw == nw ? "length+1" : "other");
    SetLastError(0);
    ok = fa(a, &sa);
    printf("%sA one short: %d err %lu size %s\n", name, ok, GetLastError(),
           sa == na ? "length+1" : "other");

    sw = MAX_PATH;
    sa = MAX_PATH;
    ok = fw(w, &sw);
    BOOL ok_a = fa(a, &sa);
    char from_w[MAX_PATH];
    WideCharToMultiByte(CP_ACP, 0, w, -1, from_w, sizeof from_w, NULL, NULL);
    printf("%sW: %d size %s; %sA: %d size %s, the same path %d\n", name, ok,
           sw == (DWORD)lstrlenW(w) + 1 ? "length+1" : "other", name, ok_a,
           sa == (DWORD)strlen(a) + 1 ? "length+1" : "other", strcmp(a, from_w) == 0);
    if (print_path)
        printf("%s: %s\n", name, a);
}

int main(void)
{
    show("GetProfilesDirectory", GetProfilesDirectoryW, GetProfilesDirectoryA, TRUE);
    show("GetAllUsersProfileDirectory", GetAllUsersProfileDirectoryW,
         GetAllUsersProfileDirectoryA, TRUE);
    show("GetUserProfileDirectory", profile_w, profile_a, FALSE);
    return 0;
}
