/* SPDX-License-Identifier: MIT */
/* Shared by shell32's files and the DLLs that name the same folders (userenv). */
#ifndef NTRUN_THUNKS_SHELL32_PRIVATE_H
#define NTRUN_THUNKS_SHELL32_PRIVATE_H

#include <stdbool.h>
#include "thunks/thunks.h"

/* The user's profile folder (C:\Users\<user>, as FOLDERID_Profile and the registry's Volatile
 * Environment name it) into out, MAX_PATH WCHARs with the NUL; false when the user name is
 * unknown. */
bool sh_profile_path(WCHAR *out);

/* Deletes a file or a folder with everything under it for good (read-only files too): 0 or the
 * first failure's Win32 error (thunks/shell32/fileop.c). */
DWORD sh_delete(const WCHAR *path);

/* CLSID_FileOperation's class object, NULL for another class (thunks/shell32/fileoperation.c). */
struct thk_guid;
void *sh_file_operation_class(const struct thk_guid *clsid);

#endif
