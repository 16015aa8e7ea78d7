/* SPDX-License-Identifier: MIT */
/* Native COM objects handed to foreign code: an object whose methods are built-in ms_abi C
 * functions (an IStream from shlwapi!SHCreateMemStream, a class object from ole32).
 *
 * A COM object is a pointer to a pointer to a vtable; foreign code calls its methods like any
 * function pointer, so each vtable entry must be a stub that crosses the boundary exactly as a
 * built-in export's thunk does (selector ALLOW on entry, BLOCK on return, stack arguments
 * beyond the fourth copied; thunks/thunk_asm.S). thk_com_vtable builds such a vtable once per
 * interface description and keeps it for the life of the process.
 *
 * Usage:
 *     static const thk_com_method stream_methods[] = {
 *         THK_COM_METHOD(stream_QueryInterface, 3), THK_COM_METHOD(stream_AddRef, 1), ...};
 *     static thk_com_vtbl stream_vtbl = THK_COM_VTBL("IStream", stream_methods);
 *     obj->vtbl = thk_com_vtable(&stream_vtbl);   // NULL when out of memory
 * `nargs` counts 64-bit argument slots including `this`, as THK_EXPORT's does.
 *
 * Calling a COM object from native code (native or foreign object alike): always through
 * thk_call_foreign*(obj->vtbl[i], obj, ...), never by calling the vtable entry directly: the
 * stub leaves the selector at BLOCK when it returns. */
#ifndef NTRUN_THUNKS_COM_NATIVE_H
#define NTRUN_THUNKS_COM_NATIVE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct thk_com_method {
    const void *fn; /* ms_abi C function; its first argument is the object */
    int nargs;      /* 64-bit argument slots, `this` included */
} thk_com_method;

typedef struct thk_com_vtbl {
    const char *iface;             /* for messages */
    size_t n;                      /* number of methods */
    const thk_com_method *methods; /* in the interface's vtable order */
    void *const *built;            /* the vtable of stubs, made on first use */
} thk_com_vtbl;

#define THK_COM_METHOD(fn, nargs) {(const void *)(fn), (nargs)}
#define THK_COM_VTBL(name, methods) \
    {(name), sizeof(methods) / sizeof((methods)[0]), (methods), NULL}

/* The vtable of foreign-callable stubs for `v` (built once, thread-safe), or NULL when out of
 * memory. */
void *const *thk_com_vtable(thk_com_vtbl *v);

/* A GUID / IID as Windows lays it out (16 bytes). */
typedef struct thk_guid {
    uint32_t d1;
    uint16_t d2, d3;
    uint8_t d4[8];
} thk_guid;
_Static_assert(sizeof(thk_guid) == 16, "GUID");

static inline int thk_guid_eq(const thk_guid *a, const thk_guid *b)
{
    return !memcmp(a, b, sizeof *a);
}
/* IID_IUnknown {00000000-0000-0000-C000-000000000046} */
extern const thk_guid thk_iid_iunknown;

/* The class object (an IClassFactory, not referenced: it lives as long as the process) of a
 * class a built-in DLL serves, or NULL (thunks/com_classes.c). */
void *thk_builtin_class_object(const thk_guid *clsid);

/* COM's HRESULTs the native objects return */
#define THK_S_OK 0
#define THK_S_FALSE 1
#define THK_E_NOTIMPL ((int32_t)0x80004001)
#define THK_E_NOINTERFACE ((int32_t)0x80004002)
#define THK_E_POINTER ((int32_t)0x80004003)
#define THK_E_FAIL ((int32_t)0x80004005)
#define THK_E_OUTOFMEMORY ((int32_t)0x8007000E)
#define THK_E_INVALIDARG ((int32_t)0x80070057)

#endif
