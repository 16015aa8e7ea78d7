/* SPDX-License-Identifier: MIT */
/* The COM classes the built-in DLLs serve in process, as Windows registers them under
 * HKEY_CLASSES_ROOT\CLSID\{clsid}\InprocServer32 (combase's CoGetClassObject asks here when the
 * registry names no server for the class): shell32's FileOperation. */
#include "thunks/com_native.h"
#include "thunks/shell32/shell32_private.h"

void *thk_builtin_class_object(const thk_guid *clsid)
{
    return sh_file_operation_class(clsid);
}
