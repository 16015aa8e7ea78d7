/* SPDX-License-Identifier: MIT */
/* user32 GetSystemMetrics for a console program: ntrun has no desktop, so it describes one
 * plain 1024x768 screen (one monitor, a mouse with three buttons, no remote session); every other
 * metric is 0, as Windows returns for an index it does not know. */
#include "thunks/user32/user32_private.h"

int WINAPI GetSystemMetrics(int index)
{
    switch (index) {
    case 0:  /* SM_CXSCREEN */
    case 78: /* SM_CXVIRTUALSCREEN */
        return 1024;
    case 1:  /* SM_CYSCREEN */
    case 79: /* SM_CYVIRTUALSCREEN */
        return 768;
    case 16: /* SM_CXFULLSCREEN */
        return 1024;
    case 17: /* SM_CYFULLSCREEN */
        return 768 - 23;
    case 19: /* SM_MOUSEPRESENT */
        return 1;
    case 43: /* SM_CMOUSEBUTTONS */
        return 3;
    case 80: /* SM_CMONITORS */
        return 1;
    case 81: /* SM_SAMEDISPLAYFORMAT */
        return 1;
    default:
        return 0;
    }
}
THK_EXPORT(user32, GetSystemMetrics, 1);
