/* SPDX-License-Identifier: MIT */
/* comctl32's initialisation calls, which console programs make at start-up because a library
 * they link (Strawberry Perl's perl5xx.dll, for Win32::GUI's sake) imports comctl32 and calls
 * InitCommonControls. On Windows they register the common controls' window classes; ntrun
 * draws no window, so none is registered: InitCommonControls does nothing and
 * InitCommonControlsEx checks its argument as Windows does (FALSE for a NULL pointer or a
 * dwSize other than sizeof(INITCOMMONCONTROLSEX), 8) and returns TRUE. A program that then
 * creates a "SysListView32" window gets ERROR_CANNOT_FIND_WND_CLASS from user32. */
#include "thunks/thunks_private.h"

typedef struct {
    uint32_t dwSize; /* 0x00 */
    uint32_t dwICC;  /* 0x04: ICC_* classes to register */
} CC_INITCOMMONCONTROLSEX;
_Static_assert(sizeof(CC_INITCOMMONCONTROLSEX) == 8, "INITCOMMONCONTROLSEX");

static void WINAPI cc_InitCommonControls(void)
{
}
THK_EXPORT_AS(comctl32, InitCommonControls, cc_InitCommonControls, 0);

static int32_t WINAPI cc_InitCommonControlsEx(const CC_INITCOMMONCONTROLSEX *icc)
{
    CC_INITCOMMONCONTROLSEX v;
    if (!icc || nt_copy_from_user(&v, icc, sizeof v) != 0 || v.dwSize != sizeof v)
        return 0;
    return 1;
}
THK_EXPORT_AS(comctl32, InitCommonControlsEx, cc_InitCommonControlsEx, 1);
