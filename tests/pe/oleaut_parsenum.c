/* oleaut32's VarParseNumFromStr (digits, nPwr10, flags in and out, characters used, hex and
 * octal with &H/&O, signs, parentheses, thousands separators, currency sign, exponents, too
 * many digits, white space, no number) and VarNumFromParseNum (the smallest type the allowed
 * VTBITs give: integers, reals, CY, DECIMAL; overflow). US English (LCID 0x409) rules.
 * Expected output: identical to Wine 8.0's. */
#include <windows.h>
#include <oleauto.h>
#include <stdio.h>

static void parse(const WCHAR *s, ULONG flags, int maxdig, ULONG vtbits)
{
    NUMPARSE np;
    BYTE dig[64];
    memset(dig, 0xee, sizeof dig);
    np.cDig = maxdig;
    np.dwInFlags = flags;
    HRESULT hr = VarParseNumFromStr((OLECHAR *)s, 0x409, 0, &np, dig);
    printf("'%ls' 0x%lx: ", s, flags);
    if (FAILED(hr)) {
        printf("hr 0x%08lx\n", (unsigned long)hr);
        return;
    }
    printf("cDig %d out 0x%lx used %d shift %d pwr10 %d digits ", np.cDig, np.dwOutFlags,
           np.cchUsed, np.nBaseShift, np.nPwr10);
    for (int i = 0; i < np.cDig && i < 64; i++)
        printf("%x", dig[i]);
    VARIANT v;
    VariantInit(&v);
    hr = VarNumFromParseNum(&np, dig, vtbits, &v);
    if (FAILED(hr)) {
        printf(" -> hr 0x%08lx\n", (unsigned long)hr);
        return;
    }
    printf(" -> ");
    switch (V_VT(&v)) {
    case VT_I1: printf("I1 %d", V_I1(&v)); break;
    case VT_UI1: printf("UI1 %u", V_UI1(&v)); break;
    case VT_I2: printf("I2 %d", V_I2(&v)); break;
    case VT_UI2: printf("UI2 %u", V_UI2(&v)); break;
    case VT_I4: printf("I4 %ld", V_I4(&v)); break;
    case VT_UI4: printf("UI4 %lu", V_UI4(&v)); break;
    case VT_I8: printf("I8 %lld", V_I8(&v)); break;
    case VT_UI8: printf("UI8 %llu", V_UI8(&v)); break;
    case VT_R4: printf("R4 %.9g", V_R4(&v)); break;
    case VT_R8: printf("R8 %.17g", V_R8(&v)); break;
    case VT_CY: printf("CY %lld", V_CY(&v).int64); break;
    case VT_DECIMAL: printf("DECIMAL scale %d sign %d hi %lu lo %llu", V_DECIMAL(&v).scale,
                            V_DECIMAL(&v).sign, V_DECIMAL(&v).Hi32, V_DECIMAL(&v).Lo64); break;
    default: printf("vt %d", V_VT(&v)); break;
    }
    printf("\n");
}

#define ALLINT (VTBIT_I1 | VTBIT_UI1 | VTBIT_I2 | VTBIT_UI2 | VTBIT_I4 | VTBIT_UI4 | VTBIT_I8 | VTBIT_UI8)
#define REALS (VTBIT_R4 | VTBIT_R8)

int main(void)
{
    parse(L"0", NUMPRS_STD, 30, ALLINT);
    parse(L"12", NUMPRS_STD, 30, ALLINT);
    parse(L"200", NUMPRS_STD, 30, ALLINT);
    parse(L"-200", NUMPRS_STD, 30, ALLINT);
    parse(L"40000", NUMPRS_STD, 30, VTBIT_I2 | VTBIT_I4);
    parse(L"1000", NUMPRS_STD, 30, VTBIT_I4);
    parse(L"00120", NUMPRS_STD, 30, VTBIT_I4);
    parse(L"  42  ", NUMPRS_STD, 30, VTBIT_I4);
    parse(L"  42  ", NUMPRS_STD & ~NUMPRS_TRAILING_WHITE, 30, VTBIT_I4);
    parse(L"42abc", NUMPRS_STD, 30, VTBIT_I4);
    parse(L"42abc", NUMPRS_STD | NUMPRS_USE_ALL, 30, VTBIT_I4);
    parse(L"+7", NUMPRS_STD, 30, VTBIT_I4);
    parse(L"7-", NUMPRS_STD, 30, VTBIT_I4);
    parse(L"(15)", NUMPRS_STD, 30, VTBIT_I4);
    parse(L"-15", NUMPRS_DECIMAL, 30, VTBIT_I4);
    parse(L"1,234,567", NUMPRS_STD, 30, VTBIT_I4);
    parse(L"1,234", NUMPRS_DECIMAL, 30, VTBIT_I4);
    parse(L"$12.50", NUMPRS_STD, 30, VTBIT_CY);
    parse(L"3.25", NUMPRS_STD, 30, VTBIT_R8);
    parse(L"3.25", NUMPRS_STD, 30, VTBIT_I4 | VTBIT_R8);
    parse(L"3.25", NUMPRS_STD, 30, VTBIT_DECIMAL);
    parse(L"3.25", NUMPRS_STD, 30, VTBIT_CY | VTBIT_R8);
    parse(L".5", NUMPRS_STD, 30, VTBIT_R8);
    parse(L"2.", NUMPRS_STD, 30, VTBIT_I4);
    parse(L"1.5e3", NUMPRS_STD, 30, VTBIT_I4 | VTBIT_R8);
    parse(L"1.5E-3", NUMPRS_STD, 30, VTBIT_R8);
    parse(L"1e", NUMPRS_STD, 30, VTBIT_R8);
    parse(L"&HFF", NUMPRS_STD, 30, ALLINT);
    parse(L"&h7fff", NUMPRS_STD, 30, ALLINT);
    parse(L"&o17", NUMPRS_STD, 30, ALLINT);
    parse(L"&HFF", NUMPRS_STD & ~NUMPRS_HEX_OCT, 30, ALLINT);
    parse(L"123456789", NUMPRS_STD, 4, VTBIT_I4 | VTBIT_R8);
    parse(L"123400000", NUMPRS_STD, 4, VTBIT_I4);
    parse(L"99999999999", NUMPRS_STD, 30, VTBIT_I4);
    parse(L"99999999999", NUMPRS_STD, 30, VTBIT_I4 | VTBIT_R8);
    parse(L"99999999999", NUMPRS_STD, 30, VTBIT_I8);
    parse(L"-0.0", NUMPRS_STD, 30, VTBIT_I4);
    parse(L"", NUMPRS_STD, 30, VTBIT_I4);
    parse(L"abc", NUMPRS_STD, 30, VTBIT_I4);
    parse(L"-", NUMPRS_STD, 30, VTBIT_I4);
    parse(L"0.1", NUMPRS_STD, 30, VTBIT_R4);
    return 0;
}
