/* SPDX-License-Identifier: MIT */
/* What psapi's two files share. */
#ifndef NTRUN_THUNKS_PSAPI_PRIVATE_H
#define NTRUN_THUNKS_PSAPI_PRIVATE_H

#include "runtime/win.h"

/* An A function over its W twin (GetModuleBaseNameA, GetModuleFileNameExA, GetMappedFileNameA):
 * the W name converted to the ANSI code page, cut to size - 1 bytes and terminated; the second
 * argument (a module or an address) is passed through to the W function. */
DWORD psapi_name_a(HANDLE process, void *what, char *buf, DWORD size,
                   DWORD(WINAPI *w_fn)(HANDLE, void *, WCHAR *, DWORD));

#endif
