/* SPDX-License-Identifier: MIT */
/* shlwapi's exports Windows has only by ordinal (thunks/ordinals.list gives the numbers), the
 * ones console programs use: string conversions SHAnsiToUnicode(CP) #215/#216 (0 when the
 * string does not fit), SHUnicodeToAnsi(CP) #217/#218 (a truncated copy ends with a NUL and
 * counts the whole buffer), SHUnicodeToUnicode #346 and SHAnsiToAnsi #345 (truncated, and 0
 * then; the NUL counted otherwise); the C-locale compares StrCmpC/IC/NC/NIC
 * A and W #151-#158; GUIDs as strings SHStringFromGUIDA/W #23/#24 and GUIDFromStringA/W
 * #269/#270; character classes IsCharSpaceW, IsCharBlankW, IsCharPunctW, IsCharCntrlW,
 * IsCharDigitW, IsCharXDigitW #29-#34; StrCpyNXA/W #399/#400; IUnknown_AtomicRelease #169 and
 * IUnknown_Set #199 (calling the object's own AddRef/Release); WhichPlatform #276 and IsOS
 * #437 (Windows 10 Pro, not a server, not WOW64). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

#define SO_CP_ACP 0u

/* Windows' truncation rule: a buffer too short gets what fits and a NUL, and its size back. */
static int so_a_to_w(UINT cp, const char *src, WCHAR *dst, int cch)
{
    if (!dst || cch <= 0)
        return 0;
    if (!src) {
        dst[0] = 0;
        return 0;
    }
    return MultiByteToWideChar(cp, 0, src, -1, dst, cch);
}

static int so_w_to_a(UINT cp, const WCHAR *src, char *dst, int cch)
{
    if (!dst || cch <= 0)
        return 0;
    if (!src) {
        dst[0] = 0;
        return 0;
    }
    int n = WideCharToMultiByte(cp, 0, src, -1, dst, cch, NULL, NULL);
    if (n)
        return n;
    int need = WideCharToMultiByte(cp, 0, src, -1, NULL, 0, NULL, NULL);
    char *tmp = need > 0 ? malloc((size_t)need) : NULL;
    if (!tmp) {
        dst[0] = 0;
        return 0;
    }
    WideCharToMultiByte(cp, 0, src, -1, tmp, need, NULL, NULL);
    memcpy(dst, tmp, (size_t)cch - 1);
    dst[cch - 1] = 0;
    free(tmp);
    return cch;
}

int WINAPI SHAnsiToUnicode(const char *src, WCHAR *dst, int cch)
{
    return so_a_to_w(SO_CP_ACP, src, dst, cch);
}
THK_EXPORT(shlwapi, SHAnsiToUnicode, 3);

int WINAPI SHAnsiToUnicodeCP(UINT cp, const char *src, WCHAR *dst, int cch)
{
    return so_a_to_w(cp, src, dst, cch);
}
THK_EXPORT(shlwapi, SHAnsiToUnicodeCP, 4);

int WINAPI SHUnicodeToAnsi(const WCHAR *src, char *dst, int cch)
{
    return so_w_to_a(SO_CP_ACP, src, dst, cch);
}
THK_EXPORT(shlwapi, SHUnicodeToAnsi, 3);

int WINAPI SHUnicodeToAnsiCP(UINT cp, const WCHAR *src, char *dst, int cch)
{
    return so_w_to_a(cp, src, dst, cch);
}
THK_EXPORT(shlwapi, SHUnicodeToAnsiCP, 4);

int WINAPI SHUnicodeToUnicode(const WCHAR *src, WCHAR *dst, int cch)
{
    if (!src || !dst || cch <= 0)
        return 0;
    int i = 0;
    for (; i < cch - 1 && src[i]; i++)
        dst[i] = src[i];
    dst[i] = 0;
    return src[i] ? 0 : i + 1;
}
THK_EXPORT(shlwapi, SHUnicodeToUnicode, 3);

int WINAPI SHAnsiToAnsi(const char *src, char *dst, int cch)
{
    if (!src || !dst || cch <= 0)
        return 0;
    int i = 0;
    for (; i < cch - 1 && src[i]; i++)
        dst[i] = src[i];
    dst[i] = 0;
    return src[i] ? 0 : i + 1;
}
THK_EXPORT(shlwapi, SHAnsiToAnsi, 3);

/* ---- C-locale compares: code-unit order; the I forms fold ASCII letters only ---- */

#define SO_CMP(T, NAME, FOLD, LIMITED)                                                        \
    static int NAME##_impl(const T *a, const T *b, int n)                                   \
    {                                                                                        \
        for (int i = 0; !LIMITED || i < n; i++) {                                            \
            unsigned ca = (unsigned)(a[i] & (T)~0), cb = (unsigned)(b[i] & (T)~0);          \
            if (sizeof(T) == 1)                                                             \
                ca &= 0xff, cb &= 0xff;                                                     \
            if (FOLD) {                                                                      \
                if (ca >= 'A' && ca <= 'Z')                                                  \
                    ca += 32;                                                                \
                if (cb >= 'A' && cb <= 'Z')                                                  \
                    cb += 32;                                                                \
            }                                                                                \
            if (ca != cb)                                                                    \
                return ca < cb ? -1 : 1;                                                     \
            if (!ca)                                                                         \
                return 0;                                                                    \
        }                                                                                    \
        return 0;                                                                            \
    }

SO_CMP(char, so_cmp_a, 0, 0)
SO_CMP(char, so_cmpi_a, 1, 0)
SO_CMP(char, so_cmpn_a, 0, 1)
SO_CMP(char, so_cmpni_a, 1, 1)
SO_CMP(WCHAR, so_cmp_w, 0, 0)
SO_CMP(WCHAR, so_cmpi_w, 1, 0)
SO_CMP(WCHAR, so_cmpn_w, 0, 1)
SO_CMP(WCHAR, so_cmpni_w, 1, 1)

int WINAPI StrCmpCA(const char *a, const char *b) { return so_cmp_a_impl(a, b, 0); }
THK_EXPORT(shlwapi, StrCmpCA, 2);
int WINAPI StrCmpCW(const WCHAR *a, const WCHAR *b) { return so_cmp_w_impl(a, b, 0); }
THK_EXPORT(shlwapi, StrCmpCW, 2);
int WINAPI StrCmpICA(const char *a, const char *b) { return so_cmpi_a_impl(a, b, 0); }
THK_EXPORT(shlwapi, StrCmpICA, 2);
int WINAPI StrCmpICW(const WCHAR *a, const WCHAR *b) { return so_cmpi_w_impl(a, b, 0); }
THK_EXPORT(shlwapi, StrCmpICW, 2);
int WINAPI StrCmpNCA(const char *a, const char *b, int n) { return so_cmpn_a_impl(a, b, n); }
THK_EXPORT(shlwapi, StrCmpNCA, 3);
int WINAPI StrCmpNCW(const WCHAR *a, const WCHAR *b, int n) { return so_cmpn_w_impl(a, b, n); }
THK_EXPORT(shlwapi, StrCmpNCW, 3);
int WINAPI StrCmpNICA(const char *a, const char *b, int n) { return so_cmpni_a_impl(a, b, n); }
THK_EXPORT(shlwapi, StrCmpNICA, 3);
int WINAPI StrCmpNICW(const WCHAR *a, const WCHAR *b, int n)
{
    return so_cmpni_w_impl(a, b, n);
}
THK_EXPORT(shlwapi, StrCmpNICW, 3);

char *WINAPI StrCpyNXA(char *dst, const char *src, int n)
{
    if (dst && src && n > 0) {
        while (--n > 0 && *src)
            *dst++ = *src++;
        *dst = 0;
    }
    return dst;
}
THK_EXPORT(shlwapi, StrCpyNXA, 3);

WCHAR *WINAPI StrCpyNXW(WCHAR *dst, const WCHAR *src, int n)
{
    if (dst && src && n > 0) {
        while (--n > 0 && *src)
            *dst++ = *src++;
        *dst = 0;
    }
    return dst;
}
THK_EXPORT(shlwapi, StrCpyNXW, 3);

/* ---- GUIDs ---- */

typedef struct {
    uint32_t d1;
    uint16_t d2, d3;
    uint8_t d4[8];
} so_guid;

static void so_guid_text(const so_guid *g, char out[39])
{
    snprintf(out, 39, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", g->d1, g->d2, g->d3,
             g->d4[0], g->d4[1], g->d4[2], g->d4[3], g->d4[4], g->d4[5], g->d4[6], g->d4[7]);
}

int WINAPI SHStringFromGUIDA(const so_guid *g, char *out, int cch)
{
    char s[39];
    if (!g || !out || cch < 39)
        return 0;
    so_guid_text(g, s);
    memcpy(out, s, 39);
    return 39;
}
THK_EXPORT(shlwapi, SHStringFromGUIDA, 3);

int WINAPI SHStringFromGUIDW(const so_guid *g, WCHAR *out, int cch)
{
    char s[39];
    if (!g || !out || cch < 39)
        return 0;
    so_guid_text(g, s);
    for (int i = 0; i < 39; i++)
        out[i] = (WCHAR)s[i];
    return 39;
}
THK_EXPORT(shlwapi, SHStringFromGUIDW, 3);

static int so_hex(unsigned c)
{
    return c >= '0' && c <= '9' ? (int)(c - '0') : c >= 'a' && c <= 'f' ? (int)(c - 'a' + 10)
           : c >= 'A' && c <= 'F' ? (int)(c - 'A' + 10) : -1;
}

/* "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" exactly, from 38 code units */
static BOOL so_guid_parse(const unsigned *s, so_guid *g)
{
    static const int groups[] = {8, 4, 4, 4, 12};
    uint8_t b[16];
    int k = 0, pos = 1;
    if (s[0] != '{' || s[37] != '}')
        return FALSE;
    for (int gi = 0; gi < 5; gi++) {
        if (gi && s[pos++] != '-')
            return FALSE;
        for (int i = 0; i < groups[gi]; i += 2) {
            int hi = so_hex(s[pos]), lo = so_hex(s[pos + 1]);
            if (hi < 0 || lo < 0)
                return FALSE;
            b[k++] = (uint8_t)(hi << 4 | lo);
            pos += 2;
        }
    }
    g->d1 = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    g->d2 = (uint16_t)(b[4] << 8 | b[5]);
    g->d3 = (uint16_t)(b[6] << 8 | b[7]);
    memcpy(g->d4, b + 8, 8);
    return TRUE;
}

BOOL WINAPI GUIDFromStringW(const WCHAR *s, so_guid *g)
{
    unsigned u[38];
    if (!s || !g)
        return FALSE;
    for (int i = 0; i < 38; i++) {
        if (!s[i])
            return FALSE;
        u[i] = s[i];
    }
    return so_guid_parse(u, g);
}
THK_EXPORT(shlwapi, GUIDFromStringW, 2);

BOOL WINAPI GUIDFromStringA(const char *s, so_guid *g)
{
    unsigned u[38];
    if (!s || !g)
        return FALSE;
    for (int i = 0; i < 38; i++) {
        if (!s[i])
            return FALSE;
        u[i] = (unsigned char)s[i];
    }
    return so_guid_parse(u, g);
}
THK_EXPORT(shlwapi, GUIDFromStringA, 2);

/* ---- character classes ---- */

BOOL WINAPI IsCharSpaceW(WCHAR c)
{
    return (c >= 9 && c <= 13) || c == 0x20 || c == 0x85 || c == 0xa0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
           c == 0x205f || c == 0x3000;
}
THK_EXPORT(shlwapi, IsCharSpaceW, 1);

BOOL WINAPI IsCharBlankW(WCHAR c)
{
    return c == 9 || c == 0x20 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
           c == 0x202f || c == 0x205f || c == 0x3000;
}
THK_EXPORT(shlwapi, IsCharBlankW, 1);

BOOL WINAPI IsCharPunctW(WCHAR c)
{
    if (c < 0x80)
        return c > 0x20 && c < 0x7f && !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
                                         (c >= 'a' && c <= 'z'));
    return (c >= 0xa1 && c <= 0xbf && c != 0xaa && c != 0xb2 && c != 0xb3 && c != 0xb5 &&
            c != 0xb9 && c != 0xba && c != 0xbc && c != 0xbd && c != 0xbe) ||
           c == 0xd7 || c == 0xf7 || (c >= 0x2010 && c <= 0x2027) ||
           (c >= 0x2030 && c <= 0x205e) || (c >= 0x3001 && c <= 0x3003);
}
THK_EXPORT(shlwapi, IsCharPunctW, 1);

BOOL WINAPI IsCharCntrlW(WCHAR c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}
THK_EXPORT(shlwapi, IsCharCntrlW, 1);

BOOL WINAPI IsCharDigitW(WCHAR c)
{
    return (c >= '0' && c <= '9') || (c >= 0x660 && c <= 0x669) || (c >= 0x6f0 && c <= 0x6f9) ||
           (c >= 0x966 && c <= 0x96f) || (c >= 0xff10 && c <= 0xff19);
}
THK_EXPORT(shlwapi, IsCharDigitW, 1);

BOOL WINAPI IsCharXDigitW(WCHAR c)
{
    return so_hex(c) >= 0;
}
THK_EXPORT(shlwapi, IsCharXDigitW, 1);

/* ---- COM helpers: the object's own AddRef (vtable slot 1) and Release (slot 2) ---- */

static void so_call_slot(void *obj, int slot)
{
    void **vtbl = *(void ***)obj;
    thk_call_foreign1(vtbl[slot], (uint64_t)(uintptr_t)obj);
}

void WINAPI IUnknown_AtomicRelease(void **pp)
{
    if (pp && *pp) {
        void *obj = __atomic_exchange_n(pp, NULL, __ATOMIC_ACQ_REL);
        if (obj)
            so_call_slot(obj, 2);
    }
}
THK_EXPORT(shlwapi, IUnknown_AtomicRelease, 1);

void WINAPI IUnknown_Set(void **pp, void *obj)
{
    if (!pp || *pp == obj)
        return;
    if (*pp)
        so_call_slot(*pp, 2);
    *pp = obj;
    if (obj)
        so_call_slot(obj, 1);
}
THK_EXPORT(shlwapi, IUnknown_Set, 2);

/* PLATFORM_INTEGRATED: the shell and the browser are one */
UINT WINAPI WhichPlatform(void)
{
    return 2;
}
THK_EXPORT(shlwapi, WhichPlatform, 0);

/* Windows 10/11 Pro on a workgroup machine, 64-bit (not WOW64) */
BOOL WINAPI IsOS(DWORD what)
{
    switch (what) {
    case 1:  /* OS_NT */
    case 3:  /* OS_NT4ORGREATER */
    case 7:  /* OS_WIN2000ORGREATER */
    case 18: /* OS_XPORGREATER */
    case 20: /* OS_PROFESSIONAL */
    case 26: /* OS_FASTUSERSWITCHING */
    case 27: /* OS_WELCOMELOGONUI */
        return TRUE;
    default:
        return FALSE;
    }
}
THK_EXPORT(shlwapi, IsOS, 1);
