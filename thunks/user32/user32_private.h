/* SPDX-License-Identifier: MIT */
/* Private to the built-in user32 (thunks/user32/): what a console program takes from it.
 *   thunks/user32/string.c   LoadStringA/W (string-table resources)
 *   thunks/user32/char.c     CharUpper/CharLower/CharNext/CharPrev, IsChar*
 *   thunks/user32/wsprintf.c wsprintfA/W, wvsprintfA/W */
#ifndef NTRUN_THUNKS_USER32_PRIVATE_H
#define NTRUN_THUNKS_USER32_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>
#include "ntemu/ntemu.h"
#include "thunks/thunks_private.h"

/* Windows' upper/lower case mapping of one UTF-16 unit (the C.UTF-8 locale's tables). */
WCHAR u32_toupper(WCHAR c);
WCHAR u32_tolower(WCHAR c);

#endif
