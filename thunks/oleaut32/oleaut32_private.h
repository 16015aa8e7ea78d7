/* SPDX-License-Identifier: MIT */
/* Private to the built-in oleaut32 (thunks/oleaut32/): the BSTR and VARIANT layouts and the
 * functions one file calls in another.
 *
 *   thunks/oleaut32/bstr.c     BSTRs: SysAllocString & co (length-prefixed, on the COM task heap)
 *   thunks/oleaut32/variant.c  VARIANTs: VariantInit/Clear/Copy/CopyInd/ChangeType(Ex)
 *   thunks/oleaut32/safearray.c SAFEARRAYs: SafeArrayCreate & co
 *   thunks/oleaut32/varnum.c   the scalar conversions (VariantChangeType's core, Var*From*), CY
 *                              and DECIMAL arithmetic
 *   thunks/oleaut32/vardate.c  DATEs: calendar conversions, parsing and formatting
 *   thunks/oleaut32/vararith.c VarAdd/Sub/Mul/Div/Cmp/Pow, VarNeg/Abs/Not
 *   thunks/oleaut32/varlogic.c VarAnd/Or/Xor/Eqv/Imp, VarIdiv/VarMod
 *   thunks/oleaut32/parsenum.c VarParseNumFromStr, VarNumFromParseNum
 *   thunks/oleaut32/varformat.c VarFormatNumber/Percent/Currency/DateTime */
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
#define OA_DISP_E_DIVBYZERO ((HRESULT)0x80020012)

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

/* DECIMAL (wtypes.h): |value| = (Hi32:Lo64) / 10^scale, scale 0..28; in a VARIANT it overlays
 * the whole 16 bytes from offset 0, its wReserved being the vt */
typedef struct {
    uint16_t wReserved; /* 0x00 */
    uint8_t scale;      /* 0x02 */
    uint8_t sign;       /* 0x03: 0x80 negative */
    uint32_t Hi32;      /* 0x04 */
    uint64_t Lo64;      /* 0x08 */
} DECIMAL;
_Static_assert(sizeof(DECIMAL) == 16, "DECIMAL");
#define OA_DECIMAL_NEG 0x80
/* CY: a 64-bit integer scaled by 10000 (four decimals) */
typedef struct {
    int64_t int64;
} CY;
typedef double DATE; /* days since 1899-12-30; a negative date's fraction counts forwards too */

typedef struct {
    uint16_t wYear, wMonth, wDayOfWeek, wDay, wHour, wMinute, wSecond, wMilliseconds;
} SYSTEMTIME;
_Static_assert(sizeof(SYSTEMTIME) == 16, "SYSTEMTIME");
typedef struct {
    SYSTEMTIME st;       /* 0x00 */
    uint16_t wDayOfYear; /* 0x10 */
} UDATE;
_Static_assert(sizeof(UDATE) == 18, "UDATE");

/* Var*FromStr and VarBstrFrom* flags (oleauto.h) */
#define OA_VAR_TIMEVALUEONLY 0x01
#define OA_VAR_DATEVALUEONLY 0x02

/* thunks/oleaut32/varlocale.c: what an LCID changes in string conversions */
typedef struct {
    WCHAR dec, thou; /* LOCALE_SDECIMAL, LOCALE_STHOUSAND (their first unit) */
    WCHAR cur[8];    /* LOCALE_SCURRENCY */
    bool dmy;        /* the short date has the day before the month */
    bool ymd;        /* the short date begins with the year */
} oa_locale;
void oa_locale_get(uint32_t lcid, oa_locale *l);
bool oa_locale_is_us(const oa_locale *l);
/* s (len units) in en-US's form, malloc'd (NULL: no memory): the locale's separators as '.'
 * and ',', its currency symbol as '$', en-US's own '.' ',' '$' where the locale has other ones
 * as a character no number has. keep_length: the result is as long as s (a currency symbol
 * of more than one unit is left alone). */
WCHAR *oa_locale_to_us(const oa_locale *l, const WCHAR *s, size_t len, bool keep_length);
/* A number's text in en-US's form (s, len units) with the locale's decimal separator. */
void oa_locale_from_us(const oa_locale *l, WCHAR *s, size_t len);

/* thunks/oleaut32/vardate.c */
/* the DATE range: 1/1/100 to 12/31/9999 23:59:59 */
#define OA_DATE_MIN (-657434)
#define OA_DATE_MAX 2958465
/* a date string in the LCID's locale: its order of day, month and year, its month and day
 * names and AM/PM designators (and English ones) */
HRESULT oa_date_from_str(const WCHAR *s, size_t len, uint32_t lcid, DATE *out);
/* a date as the locale's short date and time (GetDateFormatW, GetTimeFormatW) */
HRESULT oa_date_to_str(DATE d, uint32_t flags, uint32_t lcid, BSTR *out);

/* thunks/oleaut32/varformat.c: text being formatted (ASCII), a number as decimal digits */
typedef struct {
    char s[400];
    size_t n;
} oa_fmt_buf;
typedef struct {
    bool neg;
    char digits[360]; /* all digits, the point after `point` of them */
    int point;
} oa_fmt_num;
/* Appends s (cut at the buffer's end). */
void oa_fmt_put(oa_fmt_buf *b, const char *s);
/* The value as oa_fmt_num, times scale100 (1 or 100); DISP_E_TYPEMISMATCH for no number. */
HRESULT oa_fmt_read(const VARIANT *in, double scale100, oa_fmt_num *num);
/* Cuts the digit string d (longer than keep, keep >= 1) to its first keep digits, rounded half
 * away from zero; a carry out of the first digit puts a '1' in front (d has room for it) and
 * moves *point one on. Returns the new length. */
int oa_fmt_round(char *d, int keep, int *point);
/* The text as a new BSTR */
HRESULT oa_fmt_give(const oa_fmt_buf *b, BSTR *out);
/* VarFormat's named format `name` ("Long Date") for an LCID's locale (thunks/oleaut32/varfmtstr.c) */
HRESULT oa_fmt_named(const VARIANT *in, const char *name, uint32_t lcid, uint32_t flags,
                     BSTR *out);
extern const char *const oa_fmt_months[12]; /* "January" ... */
extern const char *const oa_fmt_days[7];    /* "Sunday" ... */

/* thunks/oleaut32/varnum.c: a scalar (not by reference, not an array) converted to `vt` in
 * `out`, whose vt the caller sets; `flags` are VariantChangeType's */
HRESULT oa_convert_scalar(const VARIANT *src, VARTYPE vt, uint16_t flags, VARIANT *out);
/* The same with the strings of an LCID's locale (oa_convert_scalar: LOCALE_USER_DEFAULT). */
HRESULT oa_convert_scalar_lcid(const VARIANT *src, VARTYPE vt, uint16_t flags, uint32_t lcid,
                               VARIANT *out);

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
