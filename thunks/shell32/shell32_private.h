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

#endif
