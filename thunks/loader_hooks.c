/* SPDX-License-Identifier: MIT */
/* The loader's operations on foreign DLLs as kernel32 reaches them (thk_loader, registered by
 * loader/ when it loads the program; NULL before that). */
#include "thunks/thunks.h"

const thk_loader_ops *thk_loader;

void thk_set_loader_ops(const thk_loader_ops *ops)
{
    __atomic_store_n(&thk_loader, ops, __ATOMIC_RELEASE);
}
