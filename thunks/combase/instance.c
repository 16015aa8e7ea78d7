/* SPDX-License-Identifier: MIT */
/* combase (ole32) CoCreateInstance/CoCreateInstanceEx/CoGetClassObject: no COM class is
 * registered under ntrun, so every class gives REGDB_E_CLASSNOTREG with the output NULLed, as
 * Windows does for a class its registry lacks (programs then take their fallback path, e.g.
 * CMake without the Visual Studio setup query). */
#include "thunks/kernel32/kernel32_private.h"

#define CB_E_POINTER ((int32_t)0x80004003)
#define CB_REGDB_E_CLASSNOTREG ((int32_t)0x80040154)

int32_t WINAPI CoCreateInstance(const void *clsid, void *outer, DWORD ctx, const void *iid,
                                void **out)
{
    (void)clsid; (void)outer; (void)ctx; (void)iid;
    if (!out)
        return CB_E_POINTER;
    *out = NULL;
    return CB_REGDB_E_CLASSNOTREG;
}
THK_EXPORT(combase, CoCreateInstance, 5);

typedef struct {
    const void *pIID; /* 0x00 */
    void *pItf;       /* 0x08 */
    int32_t hr;       /* 0x10 */
} CB_MULTI_QI;
_Static_assert(sizeof(CB_MULTI_QI) == 0x18, "MULTI_QI");

int32_t WINAPI CoCreateInstanceEx(const void *clsid, void *outer, DWORD ctx, void *server,
                                  DWORD count, CB_MULTI_QI *results)
{
    (void)clsid; (void)outer; (void)ctx; (void)server;
    if (!count || !results)
        return (int32_t)0x80070057; /* E_INVALIDARG */
    for (DWORD i = 0; i < count; i++) {
        results[i].pItf = NULL;
        results[i].hr = CB_REGDB_E_CLASSNOTREG;
    }
    return CB_REGDB_E_CLASSNOTREG;
}
THK_EXPORT(combase, CoCreateInstanceEx, 6);

int32_t WINAPI CoGetClassObject(const void *clsid, DWORD ctx, void *server, const void *iid,
                                void **out)
{
    (void)clsid; (void)ctx; (void)server; (void)iid;
    if (!out)
        return CB_E_POINTER;
    *out = NULL;
    return CB_REGDB_E_CLASSNOTREG;
}
THK_EXPORT(combase, CoGetClassObject, 5);
