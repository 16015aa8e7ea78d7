/* Shared by the oleaut32 PE tests: a VARIANT printed as its type and value ("I4 5", "BSTR x"). */
#ifndef NTRUN_TESTS_PE_OLEAUT_SHOW_H
#define NTRUN_TESTS_PE_OLEAUT_SHOW_H
#include <windows.h>
#include <oleauto.h>
#include <stdio.h>

static void show(VARIANT *v)
{
    switch (V_VT(v)) {
    case VT_EMPTY: printf("EMPTY"); break;
    case VT_NULL: printf("NULL"); break;
    case VT_BOOL: printf("BOOL %d", V_BOOL(v)); break;
    case VT_UI1: printf("UI1 %u", V_UI1(v)); break;
    case VT_I2: printf("I2 %d", V_I2(v)); break;
    case VT_I4: printf("I4 %ld", V_I4(v)); break;
    case VT_I8: printf("I8 %lld", V_I8(v)); break;
    case VT_R4: printf("R4 %g", V_R4(v)); break;
    case VT_R8: printf("R8 %g", V_R8(v)); break;
    case VT_DATE: printf("DATE %g", V_DATE(v)); break;
    case VT_CY: printf("CY %lld", V_CY(v).int64); break;
    case VT_BSTR: printf("BSTR %ls", V_BSTR(v)); break;
    default: printf("vt %d", V_VT(v)); break;
    }
}

#endif
