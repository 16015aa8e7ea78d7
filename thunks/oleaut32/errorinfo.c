/* SPDX-License-Identifier: MIT */
/* The thread's error object (oleaut32 GetErrorInfo/SetErrorInfo): the IErrorInfo a COM method
 * leaves behind to describe its failing HRESULT. Each thread holds at most one, referenced.
 * SetErrorInfo(0, p) references p and releases the one it replaces (p may be NULL: clearing it,
 * as CoreCLR does around its calls out); GetErrorInfo(0, &p) hands the reference over to the
 * caller and leaves the thread with none (S_FALSE and NULL when there was none). A reserved
 * argument other than 0 is E_INVALIDARG, as on Windows. The objects are the program's own (or
 * another built-in's): their AddRef/Release are called through the foreign-call boundary.
 * The object a thread made by the program still holds when it ends is released then, as
 * Windows' combase does at thread detach (the main thread's stays until the process ends).
 * Not here: CreateErrorInfo (oleaut32's own error object). */
#include "runtime/runtime.h"
#include "thunks/oleaut32/oleaut32_private.h"

#define OA_S_FALSE ((HRESULT)1)

static __thread void *oa_error_info; /* referenced */

static void *oa_method(void *obj, int slot) { return (*(void ***)obj)[slot]; }

/* A thread ends (rt_on_thread_detach, registered at the first object set): its object goes. */
static void oa_error_info_detach(void)
{
    void *old = oa_error_info;
    oa_error_info = NULL;
    if (old)
        thk_call_foreign1(oa_method(old, 2), (uint64_t)(uintptr_t)old); /* Release */
}

HRESULT WINAPI SetErrorInfo(ULONG reserved, void *info)
{
    if (reserved)
        return OA_E_INVALIDARG;
    if (info) {
        rt_on_thread_detach(oa_error_info_detach);
        thk_call_foreign1(oa_method(info, 1), (uint64_t)(uintptr_t)info); /* AddRef */
    }
    void *old = oa_error_info;
    oa_error_info = info;
    if (old)
        thk_call_foreign1(oa_method(old, 2), (uint64_t)(uintptr_t)old); /* Release */
    return OA_S_OK;
}
THK_EXPORT(oleaut32, SetErrorInfo, 2);

HRESULT WINAPI GetErrorInfo(ULONG reserved, void **info)
{
    if (reserved || !info)
        return OA_E_INVALIDARG;
    *info = oa_error_info;
    oa_error_info = NULL;
    return *info ? OA_S_OK : OA_S_FALSE;
}
THK_EXPORT(oleaut32, GetErrorInfo, 2);
