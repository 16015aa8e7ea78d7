/* SPDX-License-Identifier: MIT */
/* Windows Runtime activation (combase RoGetActivationFactory, RoActivateInstance;
 * api-ms-win-core-winrt-l1-1-0). ntrun registers no Windows Runtime class, so every class is one
 * Windows does not know: REGDB_E_CLASSNOTREG, what Windows (and Wine 8.0) answer for a class
 * missing from HKLM\Software\Microsoft\WindowsRuntime\ActivatableClassId. A thread outside any
 * apartment gets CO_E_NOTINITIALIZED first (Microsoft's RoGetActivationFactory page: "the thread
 * has not been initialized in the Windows Runtime by calling RoInitialize"; Wine 8.0 enters the
 * MTA instead), NULL arguments E_INVALIDARG. .NET's runtime asks for a factory at start-up and
 * goes on without one. */
#include "thunks/combase/combase_private.h"
#include "thunks/thunks.h"

#define RO_E_INVALIDARG ((int32_t)0x80070057)
#define RO_CO_E_NOTINITIALIZED ((int32_t)0x800401F0)
#define RO_REGDB_E_CLASSNOTREG ((int32_t)0x80040154)

int32_t WINAPI RoGetActivationFactory(void *classid, const void *iid, void **factory)
{
    if (!iid || !factory)
        return RO_E_INVALIDARG;
    *factory = NULL;
    if (!cb_thread_has_apartment())
        return RO_CO_E_NOTINITIALIZED;
    (void)classid;
    return RO_REGDB_E_CLASSNOTREG;
}
THK_EXPORT(combase, RoGetActivationFactory, 3);

int32_t WINAPI RoActivateInstance(void *classid, void **instance)
{
    if (!instance)
        return RO_E_INVALIDARG;
    *instance = NULL;
    if (!cb_thread_has_apartment())
        return RO_CO_E_NOTINITIALIZED;
    (void)classid;
    return RO_REGDB_E_CLASSNOTREG;
}
THK_EXPORT(combase, RoActivateInstance, 2);
