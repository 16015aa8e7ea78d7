/* SPDX-License-Identifier: MIT */
/* Private to the built-in oleaut32 (thunks/oleaut32/): the BSTR and VARIANT layouts and the
 * functions one file calls in another.
 *
 *   thunks/oleaut32/bstr.c     BSTRs: SysAllocString & co (length-prefixed, on the COM task heap)
 *   thunks/oleaut32/variant.c  VARIANTs: VariantInit/Clear/Copy/CopyInd/ChangeType(Ex)
 *   thunks/oleaut32/safearray.c SAFEARRAYs: SafeArrayCreate & co */
#ifndef NTRUN_THUNKS_OLEAUT32_PRIVATE_H
#define NTRUN_THUNKS_OLEAUT32_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include "runtime/win.h"
#include "thunks/thunks.h"

#ifndef TRUE
#define TRUE 1
#define FALSE 0
#endif

typedef int32_t HRESULT;
typedef WCHAR *BSTR;
typedef uint16_t VARTYPE;
typedef int16_t VARIANT_BOOL;

#define OA_S_OK ((HRESULT)0)
#define OA_E_INVALIDARG ((HRESULT)0x80070057)
#define OA_E_OUTOFMEMORY ((HRESULT)0x8007000E)
#define OA_DISP_E_BADVARTYPE ((HRESULT)0x80020008)
#define OA_DISP_E_TYPEMISMATCH ((HRESULT)0x80020005)
#define OA_DISP_E_OVERFLOW ((HRESULT)0x8002000A)
#define OA_DISP_E_ARRAYISLOCKED ((HRESULT)0x8002000D)

#define OA_VARIANT_TRUE ((VARIANT_BOOL)-1)
#define OA_VARIANT_ALPHABOOL 0x02 /* VariantChangeType: VT_BOOL <-> "True"/"False" */

enum {
    VT_EMPTY = 0, VT_NULL = 1, VT_I2 = 2, VT_I4 = 3, VT_R4 = 4, VT_R8 = 5, VT_CY = 6,
    VT_DATE = 7, VT_BSTR = 8, VT_DISPATCH = 9, VT_ERROR = 10, VT_BOOL = 11, VT_VARIANT = 12,
    VT_UNKNOWN = 13, VT_DECIMAL = 14, VT_I1 = 16, VT_UI1 = 17, VT_UI2 = 18, VT_UI4 = 19,
    VT_I8 = 20, VT_UI8 = 21, VT_INT = 22, VT_UINT = 23, VT_VOID = 24, VT_RECORD = 36,
    VT_CLSID = 72, VT_VECTOR = 0x1000, VT_ARRAY = 0x2000, VT_BYREF = 0x4000,
    VT_RESERVED = 0x8000, VT_TYPEMASK = 0x0fff,
};

/* VARIANT (oaidl.h), x64: 24 bytes, the value at 8 (BRECORD's two pointers are the widest). */
typedef struct VARIANT {
    VARTYPE vt;          /* 0x00 */
    uint16_t wReserved1; /* 0x02 */
    uint16_t wReserved2; /* 0x04 */
    uint16_t wReserved3; /* 0x06 */
    union {              /* 0x08 */
        int64_t llVal;
        uint64_t ullVal;
        int32_t lVal;
        uint32_t ulVal;
        int16_t iVal;
        uint16_t uiVal;
        int8_t cVal;
        uint8_t bVal;
        float fltVal;
        double dblVal;
        VARIANT_BOOL boolVal;
        HRESULT scode;
        BSTR bstrVal;
        void *punkVal;     /* IUnknown*, IDispatch* */
        void *parray;      /* SAFEARRAY* */
        void *byref;       /* any VT_BYREF: a pointer to the value */
        struct VARIANT *pvarVal;
        struct {
            void *pvRecord;
            void *pRecInfo; /* IRecordInfo* */
        } brecVal;
    } u;
} VARIANT;
_Static_assert(sizeof(VARIANT) == 0x18, "VARIANT");
_Static_assert(offsetof(VARIANT, u) == 0x08, "VARIANT value");

BSTR WINAPI SysAllocString(const WCHAR *s);
BSTR WINAPI SysAllocStringLen(const WCHAR *s, UINT len);
BSTR WINAPI SysAllocStringByteLen(const char *s, UINT len);
void WINAPI SysFreeString(BSTR b);
UINT WINAPI SysStringLen(BSTR b);
UINT WINAPI SysStringByteLen(BSTR b);
HRESULT WINAPI VariantClear(VARIANT *v);
HRESULT WINAPI VariantCopy(VARIANT *dst, const VARIANT *src);

#define OA_E_UNEXPECTED ((HRESULT)0x8000FFFF)
#define OA_DISP_E_BADINDEX ((HRESULT)0x8002000B)

/* SAFEARRAY (oaidl.h), x64: the bounds follow the header, the last dimension first */
typedef struct {
    uint32_t cElements; /* 0x00 */
    int32_t lLbound;    /* 0x04 */
} SAFEARRAYBOUND;
typedef struct {
    uint16_t cDims;               /* 0x00 */
    uint16_t fFeatures;           /* 0x02 */
    uint32_t cbElements;          /* 0x04 */
    uint32_t cLocks;              /* 0x08 */
    void *pvData;                 /* 0x10 */
    SAFEARRAYBOUND rgsabound[1];  /* 0x18 */
} SAFEARRAY;
_Static_assert(offsetof(SAFEARRAY, pvData) == 0x10, "SAFEARRAY.pvData");
_Static_assert(offsetof(SAFEARRAY, rgsabound) == 0x18, "SAFEARRAY.rgsabound");
_Static_assert(sizeof(SAFEARRAY) == 0x20, "SAFEARRAY");
HRESULT WINAPI SafeArrayDestroy(SAFEARRAY *psa);
HRESULT WINAPI SafeArrayCopy(SAFEARRAY *psa, SAFEARRAY **out);

#endif
