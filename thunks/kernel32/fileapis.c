/* SPDX-License-Identifier: MIT */
/* The code page of the file functions' narrow (A) strings: SetFileApisToOEM,
 * SetFileApisToANSI, AreFileApisANSI. Console programs such as 7-Zip switch to the OEM code
 * page at start-up so that the names they print match the console's. ntrun keeps the switch
 * per process, as Windows does, and reports it; its A functions convert with the ANSI code
 * page (UTF-8, see nls.c) either way, so a narrow name with bytes >= 0x80 is read as UTF-8
 * even after SetFileApisToOEM (Windows would read it in code page 437). */
#include <stdatomic.h>
#include "thunks/kernel32/kernel32_private.h"

static atomic_bool k32_file_apis_oem;

void WINAPI SetFileApisToOEM(void) { atomic_store(&k32_file_apis_oem, true); }
THK_EXPORT(kernel32, SetFileApisToOEM, 0);

void WINAPI SetFileApisToANSI(void) { atomic_store(&k32_file_apis_oem, false); }
THK_EXPORT(kernel32, SetFileApisToANSI, 0);

BOOL WINAPI AreFileApisANSI(void) { return !atomic_load(&k32_file_apis_oem); }
THK_EXPORT(kernel32, AreFileApisANSI, 0);
