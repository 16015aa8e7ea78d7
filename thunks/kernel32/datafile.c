/* SPDX-License-Identifier: MIT */
/* LoadLibraryEx of a module as data: LOAD_LIBRARY_AS_DATAFILE(_EXCLUSIVE) maps the file as it is
 * on disk, read-only, and gives its base + 1; LOAD_LIBRARY_AS_IMAGE_RESOURCE maps it as an image
 * (a SEC_IMAGE section: sections at their RVAs, nothing relocated, resolved or run) and gives
 * base + 2. The file must be a PE image (ERROR_BAD_EXE_FORMAT otherwise). FindResource,
 * LoadResource, SizeofResource, EnumResource*, LoadString and FormatMessage work on such a handle
 * (thunks/resource.c reads the view); GetModuleFileName, GetProcAddress and GetModuleHandle know
 * nothing of it, as on Windows; FreeLibrary unmaps the view. The file is opened with
 * FILE_SHARE_READ (exclusive) or FILE_SHARE_READ | FILE_SHARE_DELETE and closed once mapped.
 * A bare name is searched like a DLL (SearchPath's order) with ".dll" added when it has no
 * extension; a system DLL that is built in (no file anywhere) gives the built-in module, whose
 * resources are none. */
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"
#include "thunks/resource.h"

#define DF_AS_DATAFILE 0x2u
#define DF_AS_IMAGE_RESOURCE 0x20u
#define DF_AS_DATAFILE_EXCLUSIVE 0x40u
#define DF_ERROR_BAD_EXE_FORMAT 193u
#define DF_SEC_IMAGE 0x01000000u
#define DF_PAGE_READONLY 0x02u
#define DF_FILE_MAP_READ 0x4u

HANDLE WINAPI CreateFileMappingW(HANDLE file, void *sa, DWORD protect, DWORD size_high,
                                 DWORD size_low, const WCHAR *name);
void *WINAPI MapViewOfFile(HANDLE mapping, DWORD access, DWORD off_high, DWORD off_low,
                           SIZE_T size);
BOOL WINAPI UnmapViewOfFile(const void *base);
BOOL WINAPI GetFileSizeEx(HANDLE h, LARGE_INTEGER *size);
DWORD WINAPI SearchPathW(const WCHAR *path, const WCHAR *file, const WCHAR *ext, DWORD size,
                         WCHAR *buf, WCHAR **part);

bool k32_is_data_flags(DWORD flags)
{
    return (flags & (DF_AS_DATAFILE | DF_AS_DATAFILE_EXCLUSIVE | DF_AS_IMAGE_RESOURCE)) != 0;
}

/* The file to open: a name with a path as it is, a bare one searched like a DLL. */
static WCHAR *df_find(const WCHAR *name)
{
    bool has_path = false, has_ext = false;
    for (const WCHAR *p = name; *p; p++) {
        if (*p == '\\' || *p == '/' || *p == ':')
            has_path = true, has_ext = false;
        else if (*p == '.')
            has_ext = true;
    }
    if (has_path)
        return NULL; /* CreateFileW takes it as it is */
    WCHAR buf[MAX_PATH];
    DWORD n = SearchPathW(NULL, name, has_ext ? NULL : u".dll", MAX_PATH, buf, NULL);
    if (!n || n >= MAX_PATH)
        return NULL;
    WCHAR *r = malloc((n + 1) * sizeof *r);
    if (r)
        memcpy(r, buf, (n + 1) * sizeof *r);
    return r;
}

/* Whether the view starts with DOS and NT headers inside its `size` bytes. */
static bool df_is_pe(const uint8_t *v, uint64_t size)
{
    uint32_t pe;
    if (size < 0x40 || v[0] != 'M' || v[1] != 'Z')
        return false;
    memcpy(&pe, v + 0x3c, 4);
    return pe <= size - 24 && !memcmp(v + pe, "PE\0\0", 4);
}

HMODULE k32_load_datafile(const char *utf8_name, DWORD flags)
{
    WCHAR *name;
    if (!k32_arg_w(utf8_name, &name))
        return NULL;
    WCHAR *found = df_find(name);
    DWORD share = (flags & DF_AS_DATAFILE_EXCLUSIVE) ? 1u /* FILE_SHARE_READ */
                                                     : 5u /* FILE_SHARE_READ | FILE_SHARE_DELETE */;
    HANDLE file = CreateFileW(found ? found : name, 0x80000000u /* GENERIC_READ */, share, NULL,
                              3 /* OPEN_EXISTING */, 0, NULL);
    free(found);
    if (file == INVALID_HANDLE_VALUE) {
        uint32_t err = GetLastError();
        /* a system DLL built in: no file anywhere, the module itself */
        bool bare = true;
        for (const WCHAR *p = name; *p; p++)
            bare &= *p != '\\' && *p != '/' && *p != ':';
        HMODULE builtin = bare && err == ERROR_FILE_NOT_FOUND ? GetModuleHandleW(name) : NULL;
        free(name);
        if (builtin)
            return builtin;
        thk_set_last_error(err == ERROR_PATH_NOT_FOUND ? ERROR_FILE_NOT_FOUND : err); /* as Wine */
        return NULL;
    }
    free(name);
    bool image = (flags & DF_AS_IMAGE_RESOURCE) != 0;
    LARGE_INTEGER size = {0};
    HANDLE map = NULL;
    uint8_t *view = NULL;
    uint32_t err = DF_ERROR_BAD_EXE_FORMAT;
    if (!GetFileSizeEx(file, &size) || size.QuadPart < 0x40)
        goto close_file;
    map = CreateFileMappingW(file, NULL, DF_PAGE_READONLY | (image ? DF_SEC_IMAGE : 0), 0, 0,
                             NULL);
    if (!map) {
        err = image ? DF_ERROR_BAD_EXE_FORMAT : GetLastError();
        goto close_file;
    }
    view = MapViewOfFile(map, DF_FILE_MAP_READ, 0, 0, 0);
    if (!view) {
        err = GetLastError();
        goto close_map;
    }
    size_t view_size = (size_t)size.QuadPart;
    if (image) { /* the image's size, from the headers the section accepted */
        uint32_t pe, soi;
        memcpy(&pe, view + 0x3c, 4);
        memcpy(&soi, view + pe + 24 + 56, 4);
        view_size = soi;
    }
    if (!df_is_pe(view, view_size)) {
        err = DF_ERROR_BAD_EXE_FORMAT;
        goto unmap;
    }
    if (!thk_res_view_add(view, view_size, !image)) {
        err = ERROR_NOT_ENOUGH_MEMORY;
        goto unmap;
    }
    CloseHandle(map);
    CloseHandle(file);
    return (HMODULE)(view + (image ? 2 : 1));
unmap:
    UnmapViewOfFile(view);
close_map:
    CloseHandle(map);
close_file:
    CloseHandle(file);
    thk_set_last_error(err);
    return NULL;
}

bool k32_free_datafile(HMODULE mod)
{
    uintptr_t h = (uintptr_t)mod;
    if (!(h & 3))
        return false;
    void *base = (void *)(h & ~(uintptr_t)3);
    if (!thk_res_view_remove(base))
        return false;
    UnmapViewOfFile(base);
    return true;
}
