/* SPDX-License-Identifier: MIT */
/* userenv's profile folders: GetUserProfileDirectoryW/A (Rust's std::env::home_dir and the
 * `home`/`dirs` crates ask it when USERPROFILE is not set), GetProfilesDirectoryW/A and
 * GetAllUsersProfileDirectoryW/A, named as shell32's known folders name them
 * (C:\Users\<user>, C:\Users, C:\ProgramData). Sizes count WCHARs (chars) with the NUL; a short
 * buffer gives ERROR_INSUFFICIENT_BUFFER and the size needed, as on Windows. The token is not
 * looked at beyond being non-NULL: there is one user. */
#include "thunks/kernel32/kernel32_private.h"
#include "thunks/shell32/shell32_private.h"

#define UE_ERROR_INVALID_HANDLE 6u
#define UE_ERROR_INVALID_PARAMETER 87u
#define UE_ERROR_INSUFFICIENT_BUFFER 122u

/* Copies the NUL-ended path into out (*size units: WCHARs, or chars when !wide), Windows' size
 * rules. The A forms' paths are ASCII (sh_profile_path replaces other characters): each unit
 * is copied as a char. */
static BOOL ue_give(const WCHAR *path, void *out, DWORD *size, bool wide)
{
    if (!size) {
        thk_set_last_error(UE_ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    DWORD len = 0;
    while (path[len])
        len++;
    if (!out || *size < len + 1) {
        *size = len + 1;
        thk_set_last_error(UE_ERROR_INSUFFICIENT_BUFFER);
        return FALSE;
    }
    for (DWORD i = 0; i <= len; i++) {
        if (wide)
            ((WCHAR *)out)[i] = path[i];
        else
            ((char *)out)[i] = (char)path[i];
    }
    *size = len + 1;
    return TRUE;
}

static BOOL ue_give_w(const WCHAR *path, WCHAR *out, DWORD *size)
{
    return ue_give(path, out, size, true);
}

static BOOL ue_give_a(const WCHAR *path, char *out, DWORD *size)
{
    return ue_give(path, out, size, false);
}

static bool ue_profile(HANDLE token, WCHAR *path)
{
    if (!token) {
        thk_set_last_error(UE_ERROR_INVALID_HANDLE);
        return false;
    }
    if (!sh_profile_path(path)) {
        thk_set_last_error(UE_ERROR_INVALID_HANDLE);
        return false;
    }
    return true;
}

BOOL WINAPI GetUserProfileDirectoryW(HANDLE token, WCHAR *out, DWORD *size)
{
    WCHAR path[MAX_PATH];
    return ue_profile(token, path) && ue_give_w(path, out, size);
}
THK_EXPORT(userenv, GetUserProfileDirectoryW, 3);

BOOL WINAPI GetUserProfileDirectoryA(HANDLE token, char *out, DWORD *size)
{
    WCHAR path[MAX_PATH];
    return ue_profile(token, path) && ue_give_a(path, out, size);
}
THK_EXPORT(userenv, GetUserProfileDirectoryA, 3);

BOOL WINAPI GetProfilesDirectoryW(WCHAR *out, DWORD *size)
{
    return ue_give_w(u"C:\\Users", out, size);
}
THK_EXPORT(userenv, GetProfilesDirectoryW, 2);

BOOL WINAPI GetProfilesDirectoryA(char *out, DWORD *size)
{
    return ue_give_a(u"C:\\Users", out, size);
}
THK_EXPORT(userenv, GetProfilesDirectoryA, 2);

BOOL WINAPI GetAllUsersProfileDirectoryW(WCHAR *out, DWORD *size)
{
    return ue_give_w(u"C:\\ProgramData", out, size);
}
THK_EXPORT(userenv, GetAllUsersProfileDirectoryW, 2);

BOOL WINAPI GetAllUsersProfileDirectoryA(char *out, DWORD *size)
{
    return ue_give_a(u"C:\\ProgramData", out, size);
}
THK_EXPORT(userenv, GetAllUsersProfileDirectoryA, 2);
