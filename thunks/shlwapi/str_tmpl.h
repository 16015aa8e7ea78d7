/* SPDX-License-Identifier: MIT */
/* The Str* functions of thunks/shlwapi/string.c for both character types (see path_tmpl.h for
 * T, F and S). Case is folded for ASCII and Latin-1 letters. */

static unsigned S(fold)(T c)
{
    unsigned u = (unsigned)(sizeof(T) == 1 ? (unsigned char)c : c);
    if ((u >= 'A' && u <= 'Z') || (sizeof(T) > 1 && u >= 0xc0 && u <= 0xde && u != 0xd7))
        return u + 32;
    return u;
}

static size_t S(slen)(const T *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* -1, 0 or 1 over at most n characters, letters compared without case first; unless `fold`,
 * the first difference in case decides a tie, the lower case first (the linguistic order of
 * CompareString, which these functions use on Windows) */
static int S(cmp)(const T *a, const T *b, size_t n, int fold)
{
    int tie = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned x = S(fold)(a[i]), y = S(fold)(b[i]);
        if (x != y)
            return x < y ? -1 : 1;
        if (!x)
            break;
        if (!tie && a[i] != b[i])
            tie = S(fold)(a[i]) == (unsigned)(sizeof(T) == 1 ? (unsigned char)a[i] : a[i]) ? -1 : 1;
    }
    return fold ? 0 : tie;
}

int WINAPI F(StrCmpI)(const T *a, const T *b) { return S(cmp)(a, b, SIZE_MAX, 1); }
THK_EXPORT(shlwapi, F(StrCmpI), 2);
int WINAPI F(StrCmpN)(const T *a, const T *b, int n) { return n > 0 ? S(cmp)(a, b, (size_t)n, 0) : 0; }
THK_EXPORT(shlwapi, F(StrCmpN), 3);
int WINAPI F(StrCmpNI)(const T *a, const T *b, int n) { return n > 0 ? S(cmp)(a, b, (size_t)n, 1) : 0; }
THK_EXPORT(shlwapi, F(StrCmpNI), 3);

T *WINAPI F(StrChr)(const T *s, WORD c)
{
    if (!s)
        return NULL;
    for (; *s; s++)
        if ((WORD)*s == c)
            return (T *)s;
    return NULL;
}
THK_EXPORT(shlwapi, F(StrChr), 2);

T *WINAPI F(StrChrI)(const T *s, WORD c)
{
    if (!s)
        return NULL;
    for (; *s; s++)
        if (S(fold)(*s) == S(fold)((T)c))
            return (T *)s;
    return NULL;
}
THK_EXPORT(shlwapi, F(StrChrI), 2);

T *WINAPI F(StrRChr)(const T *s, const T *end, WORD c)
{
    const T *last = NULL;
    if (!s)
        return NULL;
    if (!end)
        end = s + S(slen)(s);
    for (; s < end && *s; s++)
        if ((WORD)*s == c)
            last = s;
    return (T *)last;
}
THK_EXPORT(shlwapi, F(StrRChr), 3);

static T *S(find)(const T *s, const T *sub, int fold)
{
    if (!s || !sub)
        return NULL;
    size_t n = S(slen)(sub);
    for (; *s; s++)
        if (!S(cmp)(s, sub, n, fold))
            return (T *)s;
    return NULL;
}

T *WINAPI F(StrStr)(const T *s, const T *sub) { return S(find)(s, sub, 0); }
THK_EXPORT(shlwapi, F(StrStr), 2);
T *WINAPI F(StrStrI)(const T *s, const T *sub) { return S(find)(s, sub, 1); }
THK_EXPORT(shlwapi, F(StrStrI), 2);

T *WINAPI F(StrRStrI)(const T *s, const T *last, const T *sub)
{
    const T *found = NULL;
    if (!s || !sub || !*sub)
        return NULL;
    if (!last)
        last = s + S(slen)(s);
    size_t n = S(slen)(sub);
    for (const T *p = s; p < last && *p; p++)
        if (!S(cmp)(p, sub, n, 1))
            found = p;
    return (T *)found;
}
THK_EXPORT(shlwapi, F(StrRStrI), 3);

T *WINAPI F(StrPBrk)(const T *s, const T *set)
{
    if (!s || !set)
        return NULL;
    for (; *s; s++)
        for (const T *c = set; *c; c++)
            if (*c == *s)
                return (T *)s;
    return NULL;
}
THK_EXPORT(shlwapi, F(StrPBrk), 2);

static int S(span)(const T *s, const T *set, int in)
{
    int n = 0;
    if (!s || !set)
        return 0;
    for (; s[n]; n++) {
        int found = 0;
        for (const T *c = set; *c && !found; c++)
            found = *c == s[n];
        if (found != in)
            break;
    }
    return n;
}

int WINAPI F(StrSpn)(const T *s, const T *set) { return S(span)(s, set, 1); }
THK_EXPORT(shlwapi, F(StrSpn), 2);
int WINAPI F(StrCSpn)(const T *s, const T *set) { return S(span)(s, set, 0); }
THK_EXPORT(shlwapi, F(StrCSpn), 2);

static int S(digit)(T c) { return c >= '0' && c <= '9'; }

BOOL WINAPI F(StrToIntEx)(const T *s, DWORD flags, int *out)
{
    unsigned v = 0;
    int neg = 0;
    if (!s || !out)
        return FALSE;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    if (*s == '-')
        neg = 1, s++;
    else if (*s == '+')
        s++;
    if ((flags & 1 /* STIF_SUPPORT_HEX */) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        int any = 0;
        for (;; s++, any = 1) {
            unsigned d = S(digit)(*s) ? (unsigned)(*s - '0')
                         : S(fold)(*s) >= 'a' && S(fold)(*s) <= 'f' ? S(fold)(*s) - 'a' + 10 : 16;
            if (d > 15)
                break;
            v = v * 16 + d;
        }
        if (!any)
            return FALSE;
        *out = (int)v; /* a hex number's sign is not applied, as Windows */
        return TRUE;
    }
    if (!S(digit)(*s))
        return FALSE;
    for (; S(digit)(*s); s++)
        v = v * 10 + (unsigned)(*s - '0');
    *out = neg ? (int)(0u - v) : (int)v;
    return TRUE;
}
THK_EXPORT(shlwapi, F(StrToIntEx), 3);

int WINAPI F(StrToInt)(const T *s)
{
    int v = 0;
    if (s && (*s == '-' || S(digit)(*s)))
        F(StrToIntEx)(s, 0, &v);
    return v;
}
THK_EXPORT(shlwapi, F(StrToInt), 1);

BOOL WINAPI F(StrTrim)(T *s, const T *set)
{
    if (!s || !set || !*s)
        return FALSE;
    size_t n = S(slen)(s), a = (size_t)S(span)(s, set, 1), b = n;
    while (b > a && S(span)(s + b - 1, set, 1))
        b--;
    if (a == 0 && b == n)
        return FALSE;
    memmove(s, s + a, (b - a) * sizeof(T));
    s[b - a] = 0;
    return TRUE;
}
THK_EXPORT(shlwapi, F(StrTrim), 2);

T *WINAPI F(StrDup)(const T *s)
{
    size_t n = s ? S(slen)(s) : 0;
    T *d = LocalAlloc(0 /* LMEM_FIXED */, (n + 1) * sizeof(T));
    if (d) {
        if (s)
            memcpy(d, s, n * sizeof(T));
        d[n] = 0;
    }
    return d;
}
THK_EXPORT(shlwapi, F(StrDup), 1);

T *WINAPI F(StrCpyN)(T *dst, const T *src, int n)
{
    T *d = dst;
    if (!dst || n <= 0)
        return dst;
    if (src)
        for (; n > 1 && *src; n--)
            *d++ = *src++;
    *d = 0;
    return dst;
}
THK_EXPORT(shlwapi, F(StrCpyN), 3);

T *WINAPI F(StrNCat)(T *dst, const T *src, int n)
{
    if (!dst || !src)
        return dst;
    F(StrCpyN)(dst + S(slen)(dst), src, n);
    return dst;
}
THK_EXPORT(shlwapi, F(StrNCat), 3);

T *WINAPI F(StrCatBuff)(T *dst, const T *src, int size)
{
    if (!dst)
        return NULL;
    int n = (int)S(slen)(dst);
    if (n < size)
        F(StrCpyN)(dst + n, src, size - n);
    return dst;
}
THK_EXPORT(shlwapi, F(StrCatBuff), 3);

/* StrFormatByteSize's text: bytes below 1 KB, else three significant digits of the unit,
 * truncated (not rounded) */
static T *S(byte_size)(int64_t bytes, T *buf, UINT cch)
{
    char tmp[32];
    static const char units[] = "KMGTPE";
    if (!buf || !cch)
        return buf;
    if (bytes < 1024) {
        snprintf(tmp, sizeof tmp, "%lld bytes", (long long)bytes);
    } else {
        double b = (double)bytes + 0.00001, base = 1024.0;
        int u = 0, dec = 2;
        for (;;) {
            double lim10 = 10 * base, lim100 = 100 * base, lim1000 = 1000 * base;
            if (b < lim10 || u == 5) {
                dec = 2;
                break;
            }
            if (b < lim100) {
                dec = 1;
                break;
            }
            if (b < lim1000) {
                dec = 0;
                break;
            }
            base *= 1024.0;
            u++;
        }
        double scale = dec == 2 ? 100.0 : dec == 1 ? 10.0 : 1.0;
        double v = floor(b / (base / scale)) / scale;
        snprintf(tmp, sizeof tmp, "%.*f %cB", dec, v, units[u]);
    }
    UINT i = 0;
    for (; tmp[i] && i + 1 < cch; i++)
        buf[i] = (T)tmp[i];
    buf[i] = 0;
    return buf;
}
