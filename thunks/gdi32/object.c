/* SPDX-License-Identifier: MIT */
/* gdi32's object deletion, which console programs reach through libraries that link gdi32 for
 * their drawing paths (GHC's Win32 package: Elm 0.19.1 calls DeleteObject as it exits). ntrun
 * makes no GDI object (no pen, brush, font, bitmap, region or DC: nothing in gdi32 creates
 * one, and GetStockObject is not there), so every handle a program can pass is not a GDI object
 * and DeleteObject answers FALSE, as Windows does for a handle that is not valid, leaving the
 * last error alone. */
#include "thunks/thunks_private.h"

static int32_t WINAPI gdi_DeleteObject(void *obj)
{
    (void)obj;
    return 0;
}
THK_EXPORT_AS(gdi32, DeleteObject, gdi_DeleteObject, 1);
