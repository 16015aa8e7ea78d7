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
 *
 * CreateErrorInfo makes oleaut32's own error object: one native COM object (thunks/com_native.h)
 * with three interfaces, each its own vtable pointer inside it, as Wine's is: ICreateErrorInfo
 * (what CreateErrorInfo returns: SetGUID, SetSource, SetDescription, SetHelpFile,
 * SetHelpContext), IErrorInfo (the getters, and the object's IUnknown) and ISupportErrorInfo
 * (InterfaceSupportsErrorInfo: S_OK for the GUID set, else S_FALSE). The strings are kept as
 * BSTR copies (a NULL one stays NULL); each getter hands out a new BSTR (NULL when unset), with
 * E_INVALIDARG for a NULL out pointer. A new object: GUID_NULL, no strings, help context 0. */
#include <stdatomic.h>
#include <stdlib.h>
#include "runtime/runtime.h"
#include "thunks/com_native.h"
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

/* ---- CreateErrorInfo: the error object ---- */

typedef struct oa_errinfo {
    void *const *ei_vtbl;  /* IErrorInfo (and IUnknown) */
    void *const *cei_vtbl; /* ICreateErrorInfo */
    void *const *sei_vtbl; /* ISupportErrorInfo */
    _Atomic uint32_t refs;
    thk_guid guid;
    BSTR source, description, help_file;
    uint32_t help_context;
} oa_errinfo;

/* {1CF2B120-547D-101B-8E65-08002B2BD119} */
static const thk_guid oa_iid_ierrorinfo = {
    0x1CF2B120, 0x547D, 0x101B, {0x8E, 0x65, 0x08, 0x00, 0x2B, 0x2B, 0xD1, 0x19}};
/* {22F03340-547D-101B-8E65-08002B2BD119} */
static const thk_guid oa_iid_icreateerrorinfo = {
    0x22F03340, 0x547D, 0x101B, {0x8E, 0x65, 0x08, 0x00, 0x2B, 0x2B, 0xD1, 0x19}};
/* {DF0B3D60-548F-101B-8E65-08002B2BD119} */
static const thk_guid oa_iid_isupporterrorinfo = {
    0xDF0B3D60, 0x548F, 0x101B, {0x8E, 0x65, 0x08, 0x00, 0x2B, 0x2B, 0xD1, 0x19}};

static oa_errinfo *ei_from(void *iface, size_t off) { return (oa_errinfo *)((char *)iface - off); }
#define EI_OF(p) ei_from((p), offsetof(oa_errinfo, ei_vtbl))
#define CEI_OF(p) ei_from((p), offsetof(oa_errinfo, cei_vtbl))
#define SEI_OF(p) ei_from((p), offsetof(oa_errinfo, sei_vtbl))

static HRESULT ei_query(oa_errinfo *e, const thk_guid *iid, void **out)
{
    if (!out)
        return THK_E_POINTER;
    *out = NULL;
    if (!iid)
        return OA_E_INVALIDARG;
    if (thk_guid_eq(iid, &thk_iid_iunknown) || thk_guid_eq(iid, &oa_iid_ierrorinfo))
        *out = &e->ei_vtbl;
    else if (thk_guid_eq(iid, &oa_iid_icreateerrorinfo))
        *out = &e->cei_vtbl;
    else if (thk_guid_eq(iid, &oa_iid_isupporterrorinfo))
        *out = &e->sei_vtbl;
    else
        return THK_E_NOINTERFACE;
    atomic_fetch_add(&e->refs, 1);
    return OA_S_OK;
}

static uint32_t ei_addref(oa_errinfo *e) { return atomic_fetch_add(&e->refs, 1) + 1; }

static uint32_t ei_release(oa_errinfo *e)
{
    uint32_t left = atomic_fetch_sub(&e->refs, 1) - 1;
    if (!left) {
        SysFreeString(e->source);
        SysFreeString(e->description);
        SysFreeString(e->help_file);
        free(e);
    }
    return left;
}

/* A BSTR copy of a stored string into a foreign out pointer. */
static HRESULT ei_get_string(BSTR stored, BSTR *out)
{
    if (!out)
        return OA_E_INVALIDARG;
    *out = stored ? SysAllocStringLen(stored, SysStringLen(stored)) : NULL;
    return stored && !*out ? OA_E_OUTOFMEMORY : OA_S_OK;
}

/* Replaces a stored string with a copy of s (NULL: none). */
static HRESULT ei_set_string(BSTR *stored, const WCHAR *s)
{
    BSTR copy = s ? SysAllocString(s) : NULL;
    if (s && !copy)
        return OA_E_OUTOFMEMORY;
    SysFreeString(*stored);
    *stored = copy;
    return OA_S_OK;
}

/* IErrorInfo */
static HRESULT WINAPI ei_QueryInterface(void *self, const thk_guid *iid, void **out)
{
    return ei_query(EI_OF(self), iid, out);
}
static uint32_t WINAPI ei_AddRef(void *self) { return ei_addref(EI_OF(self)); }
static uint32_t WINAPI ei_Release(void *self) { return ei_release(EI_OF(self)); }
static HRESULT WINAPI ei_GetGUID(void *self, thk_guid *guid)
{
    if (!guid)
        return OA_E_INVALIDARG;
    *guid = EI_OF(self)->guid;
    return OA_S_OK;
}
static HRESULT WINAPI ei_GetSource(void *self, BSTR *out)
{
    return ei_get_string(EI_OF(self)->source, out);
}
static HRESULT WINAPI ei_GetDescription(void *self, BSTR *out)
{
    return ei_get_string(EI_OF(self)->description, out);
}
static HRESULT WINAPI ei_GetHelpFile(void *self, BSTR *out)
{
    return ei_get_string(EI_OF(self)->help_file, out);
}
static HRESULT WINAPI ei_GetHelpContext(void *self, uint32_t *out)
{
    if (!out)
        return OA_E_INVALIDARG;
    *out = EI_OF(self)->help_context;
    return OA_S_OK;
}

/* ICreateErrorInfo */
static HRESULT WINAPI cei_QueryInterface(void *self, const thk_guid *iid, void **out)
{
    return ei_query(CEI_OF(self), iid, out);
}
static uint32_t WINAPI cei_AddRef(void *self) { return ei_addref(CEI_OF(self)); }
static uint32_t WINAPI cei_Release(void *self) { return ei_release(CEI_OF(self)); }
static HRESULT WINAPI cei_SetGUID(void *self, const thk_guid *guid)
{
    if (!guid)
        return OA_E_INVALIDARG;
    CEI_OF(self)->guid = *guid;
    return OA_S_OK;
}
static HRESULT WINAPI cei_SetSource(void *self, const WCHAR *s)
{
    return ei_set_string(&CEI_OF(self)->source, s);
}
static HRESULT WINAPI cei_SetDescription(void *self, const WCHAR *s)
{
    return ei_set_string(&CEI_OF(self)->description, s);
}
static HRESULT WINAPI cei_SetHelpFile(void *self, const WCHAR *s)
{
    return ei_set_string(&CEI_OF(self)->help_file, s);
}
static HRESULT WINAPI cei_SetHelpContext(void *self, uint32_t context)
{
    CEI_OF(self)->help_context = context;
    return OA_S_OK;
}

/* ISupportErrorInfo */
static HRESULT WINAPI sei_QueryInterface(void *self, const thk_guid *iid, void **out)
{
    return ei_query(SEI_OF(self), iid, out);
}
static uint32_t WINAPI sei_AddRef(void *self) { return ei_addref(SEI_OF(self)); }
static uint32_t WINAPI sei_Release(void *self) { return ei_release(SEI_OF(self)); }
static HRESULT WINAPI sei_InterfaceSupportsErrorInfo(void *self, const thk_guid *iid)
{
    return iid && thk_guid_eq(iid, &SEI_OF(self)->guid) ? OA_S_OK : OA_S_FALSE;
}

static const thk_com_method ei_methods[] = {
    THK_COM_METHOD(ei_QueryInterface, 3), THK_COM_METHOD(ei_AddRef, 1),
    THK_COM_METHOD(ei_Release, 1),        THK_COM_METHOD(ei_GetGUID, 2),
    THK_COM_METHOD(ei_GetSource, 2),      THK_COM_METHOD(ei_GetDescription, 2),
    THK_COM_METHOD(ei_GetHelpFile, 2),    THK_COM_METHOD(ei_GetHelpContext, 2)};
static thk_com_vtbl ei_vtbl = THK_COM_VTBL("IErrorInfo", ei_methods);
static const thk_com_method cei_methods[] = {
    THK_COM_METHOD(cei_QueryInterface, 3), THK_COM_METHOD(cei_AddRef, 1),
    THK_COM_METHOD(cei_Release, 1),        THK_COM_METHOD(cei_SetGUID, 2),
    THK_COM_METHOD(cei_SetSource, 2),      THK_COM_METHOD(cei_SetDescription, 2),
    THK_COM_METHOD(cei_SetHelpFile, 2),    THK_COM_METHOD(cei_SetHelpContext, 2)};
static thk_com_vtbl cei_vtbl = THK_COM_VTBL("ICreateErrorInfo", cei_methods);
static const thk_com_method sei_methods[] = {
    THK_COM_METHOD(sei_QueryInterface, 3), THK_COM_METHOD(sei_AddRef, 1),
    THK_COM_METHOD(sei_Release, 1), THK_COM_METHOD(sei_InterfaceSupportsErrorInfo, 2)};
static thk_com_vtbl sei_vtbl = THK_COM_VTBL("ISupportErrorInfo", sei_methods);

HRESULT WINAPI CreateErrorInfo(void **out)
{
    if (!out)
        return OA_E_INVALIDARG;
    *out = NULL;
    void *const *ev = thk_com_vtable(&ei_vtbl), *const *cv = thk_com_vtable(&cei_vtbl),
                *const *sv = thk_com_vtable(&sei_vtbl);
    oa_errinfo *e = ev && cv && sv ? calloc(1, sizeof *e) : NULL;
    if (!e)
        return OA_E_OUTOFMEMORY;
    e->ei_vtbl = ev;
    e->cei_vtbl = cv;
    e->sei_vtbl = sv;
    atomic_init(&e->refs, 1);
    *out = &e->cei_vtbl;
    return OA_S_OK;
}
THK_EXPORT(oleaut32, CreateErrorInfo, 1);
