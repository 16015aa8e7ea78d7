/* SPDX-License-Identifier: MIT */
/* shell32: known folders. SHGetKnownFolderPath and SHGetFolderPathW name the user's profile
 * folders as the registry's Volatile Environment does (C:\Users\<user>\..., ntemu/registry.c)
 * and the system folders of the C: drive; KF_FLAG_CREATE makes the folder. The string of
 * SHGetKnownFolderPath comes from CoTaskMemAlloc (the caller frees it with CoTaskMemFree). */
#include <stdio.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"
#include "thunks/shell32/shell32_private.h"

BOOL WINAPI GetUserNameW(WCHAR *buf, DWORD *size);
void *WINAPI CoTaskMemAlloc(SIZE_T size);
BOOL WINAPI CreateDirectoryW(const WCHAR *path, void *sa);

#define SH_S_OK 0
#define SH_E_INVALIDARG 0x80070057u
#define SH_E_FILE_NOT_FOUND 0x80070002u /* HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND) */
#define SH_E_OUTOFMEMORY 0x8007000Eu
#define SH_KF_FLAG_CREATE 0x00008000u
#define SH_CSIDL_FLAG_CREATE 0x8000
#define SH_CSIDL_MASK 0xff

typedef struct { uint32_t d1; uint16_t d2, d3; uint8_t d4[8]; } sh_guid;

/* Where each folder is: under the profile (user = true) or the drive's root. */
static const struct {
    sh_guid id;
    int csidl;
    bool user;
    char rel[24]; /* an array, not a pointer: read-only data ld.so never writes at start */
} sh_folders[] = {
    {{0x5E6C858F, 0x0E22, 0x4760, {0x9A, 0xFE, 0xEA, 0x33, 0x17, 0xB6, 0x71, 0x73}}, 0x28, true, ""},
    {{0xF1B32785, 0x6FBA, 0x4FCF, {0x9D, 0x55, 0x7B, 0x8E, 0x7F, 0x15, 0x70, 0x91}}, 0x1c, true, "\\AppData\\Local"},
    {{0x3EB685DB, 0x65F9, 0x4CF6, {0xA0, 0x3A, 0xE3, 0xEF, 0x65, 0x72, 0x9F, 0x3D}}, 0x1a, true, "\\AppData\\Roaming"},
    {{0xFDD39AD0, 0x238F, 0x46AF, {0xAD, 0xB4, 0x6C, 0x85, 0x48, 0x03, 0x69, 0xC7}}, 0x05, true, "\\Documents"},
    {{0xB4BFCC3A, 0xDB2C, 0x424C, {0xB0, 0x29, 0x7F, 0xE9, 0x9A, 0x87, 0xC6, 0x41}}, 0x10, true, "\\Desktop"},
    {{0x374DE290, 0x123F, 0x4565, {0x91, 0x64, 0x39, 0xC4, 0x92, 0x5E, 0x46, 0x7B}}, -1, true, "\\Downloads"},
    {{0x62AB5D82, 0xFDC1, 0x4DC3, {0xA9, 0xDD, 0x07, 0x0D, 0x1D, 0x49, 0x5D, 0x97}}, 0x23, false, "C:\\ProgramData"},
    {{0xF38BF404, 0x1D43, 0x42F2, {0x93, 0x05, 0x67, 0xDE, 0x0B, 0x28, 0xFC, 0x23}}, 0x24, false, "C:\\windows"},
    {{0x1AC14E77, 0x02E7, 0x4E5D, {0xB7, 0x44, 0x2E, 0xB1, 0xAE, 0x51, 0x98, 0xB7}}, 0x25, false, "C:\\windows\\system32"},
    {{0x905E63B6, 0xC1BF, 0x494E, {0xB2, 0x9C, 0x65, 0xB7, 0x32, 0xD3, 0xD2, 0x1A}}, 0x26, false, "C:\\Program Files"},
};

/* The folder's path into out (MAX_PATH WCHARs); false when unknown. */
static bool sh_folder_path(int i, WCHAR *out)
{
    char path[520];
    size_t n = 0;
    if (sh_folders[i].user) {
        WCHAR name[128];
        DWORD size = 128;
        if (!GetUserNameW(name, &size))
            return false;
        n = (size_t)snprintf(path, sizeof path, "C:\\Users\\");
        for (DWORD k = 0; name[k] && n < sizeof path - 1; k++)
            path[n++] = name[k] < 0x80 ? (char)name[k] : '_';
        path[n] = 0;
    }
    snprintf(path + n, sizeof path - n, "%s", sh_folders[i].rel);
    size_t len = strlen(path);
    if (len >= MAX_PATH)
        return false;
    for (size_t k = 0; k <= len; k++)
        out[k] = (WCHAR)(unsigned char)path[k];
    return true;
}

bool sh_profile_path(WCHAR *out)
{
    return sh_folder_path(0, out); /* sh_folders[0] is FOLDERID_Profile */
}

/* Makes the folder and its parents (KF_FLAG_CREATE, CSIDL_FLAG_CREATE). */
static void sh_create(WCHAR *path)
{
    for (WCHAR *p = path + 3; *p; p++)
        if (*p == u'\\') {
            *p = 0;
            CreateDirectoryW(path, NULL);
            *p = u'\\';
        }
    CreateDirectoryW(path, NULL);
}

static uint32_t WINAPI sh_SHGetKnownFolderPath(const sh_guid *id, DWORD flags, HANDLE token,
                                               WCHAR **out)
{
    (void)token;
    if (!out)
        return SH_E_INVALIDARG;
    *out = NULL;
    if (!id)
        return SH_E_INVALIDARG;
    for (size_t i = 0; i < sizeof sh_folders / sizeof sh_folders[0]; i++) {
        if (memcmp(&sh_folders[i].id, id, sizeof *id) != 0)
            continue;
        WCHAR path[MAX_PATH];
        if (!sh_folder_path((int)i, path))
            return SH_E_FILE_NOT_FOUND;
        if (flags & SH_KF_FLAG_CREATE)
            sh_create(path);
        size_t len = 0;
        while (path[len])
            len++;
        WCHAR *s = CoTaskMemAlloc((len + 1) * sizeof(WCHAR));
        if (!s)
            return SH_E_OUTOFMEMORY;
        memcpy(s, path, (len + 1) * sizeof(WCHAR));
        *out = s;
        return SH_S_OK;
    }
    return SH_E_INVALIDARG; /* "a KNOWNFOLDERID that is not present on the system" */
}
THK_EXPORT_AS(shell32, SHGetKnownFolderPath, sh_SHGetKnownFolderPath, 4);

static uint32_t WINAPI sh_SHGetFolderPathW(HANDLE hwnd, int csidl, HANDLE token, DWORD flags,
                                           WCHAR *out)
{
    (void)hwnd, (void)token, (void)flags;
    if (!out)
        return SH_E_INVALIDARG;
    out[0] = 0;
    for (size_t i = 0; i < sizeof sh_folders / sizeof sh_folders[0]; i++) {
        if (sh_folders[i].csidl != (csidl & SH_CSIDL_MASK))
            continue;
        if (!sh_folder_path((int)i, out))
            return SH_E_FILE_NOT_FOUND;
        if (csidl & SH_CSIDL_FLAG_CREATE)
            sh_create(out);
        return SH_S_OK;
    }
    return SH_E_INVALIDARG;
}
THK_EXPORT_AS(shell32, SHGetFolderPathW, sh_SHGetFolderPathW, 5);
