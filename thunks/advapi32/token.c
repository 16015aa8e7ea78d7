/* SPDX-License-Identifier: MIT */
/* advapi32's access tokens and SIDs: OpenProcessToken/OpenThreadToken/GetTokenInformation over
 * ntemu/token.c, the SID helpers (validity, length, comparison, copies, allocation, the
 * well-known SID types of IsWellKnownSid,
 * S-1-... string forms), LookupAccountSid for the user's and the well-known SIDs,
 * GetUserName, CheckTokenMembership, and the privilege helpers programs call before asking for
 * a privilege. Failures set the last error and return FALSE, as Windows does. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ntemu/ntemu.h"
#include "thunks/thunks_private.h"

#define ADV_ERROR_NO_TOKEN 1008
#define ADV_ERROR_NONE_MAPPED 1332
#define ADV_ERROR_INVALID_SID 1337
#define ADV_ERROR_NO_SUCH_PRIVILEGE 1313
#define ADV_ERROR_NOT_ALL_ASSIGNED 1300
#define ADV_ERROR_NO_IMPERSONATION_TOKEN 1309
#define SID_MAX_SUB 15
#define TOKEN_QUERY 0x0008
#define SE_GROUP_ENABLED 0x4
#define SE_GROUP_USE_FOR_DENY_ONLY 0x10
#define PSEUDO_PROCESS_TOKEN ((HANDLE)(intptr_t)-4)

enum { SidTypeUser = 1, SidTypeGroup, SidTypeDomain, SidTypeAlias, SidTypeWellKnownGroup,
       SidTypeDeletedAccount, SidTypeInvalid, SidTypeUnknown, SidTypeComputer, SidTypeLabel };

void *WINAPI LocalAlloc(UINT flags, SIZE_T size);  /* kernel32 */
void *WINAPI LocalFree(void *mem);                 /* kernel32 */
HANDLE WINAPI GetProcessHeap(void);                /* kernel32 */
void *WINAPI HeapAlloc(HANDLE heap, DWORD flags, SIZE_T size);
BOOL WINAPI HeapFree(HANDLE heap, DWORD flags, void *mem);
BOOL WINAPI GetComputerNameW(WCHAR *buf, DWORD *size);

static BOOL fail(uint32_t err)
{
    thk_set_last_error(err);
    return 0;
}

static BOOL status_ok(NTSTATUS st)
{
    if (st == STATUS_SUCCESS)
        return 1;
    thk_set_last_status(st);
    return 0;
}

/* ---- tokens ---- */
BOOL WINAPI OpenProcessToken(HANDLE process, DWORD access, HANDLE *token)
{
    return status_ok(NtOpenProcessToken(process, access, token));
}
THK_EXPORT(advapi32, OpenProcessToken, 3);

BOOL WINAPI OpenThreadToken(HANDLE thread, DWORD access, BOOL as_self, HANDLE *token)
{
    return status_ok(NtOpenThreadToken(thread, access, as_self ? 1 : 0, token));
}
THK_EXPORT(advapi32, OpenThreadToken, 4);

BOOL WINAPI GetTokenInformation(HANDLE token, uint32_t klass, void *info, DWORD len,
                                DWORD *ret_len)
{
    return status_ok(NtQueryInformationToken(token, klass, info, len, ret_len));
}
THK_EXPORT(advapi32, GetTokenInformation, 5);

/* ---- impersonation ---- */
#define TOKEN_DUPLICATE 0x0002
#define TOKEN_IMPERSONATE 0x0004
#define TOKEN_TYPE_PRIMARY 1
#define TOKEN_TYPE_IMPERSONATION 2
#define THREAD_IMPERSONATION_TOKEN 5
#define SECURITY_IMPERSONATION 2

typedef struct {
    DWORD Length;
    DWORD ImpersonationLevel;
    uint8_t ContextTrackingMode;
    uint8_t EffectiveOnly;
} adv_sqos;

typedef struct {
    DWORD nLength;
    void *lpSecurityDescriptor;
    BOOL bInheritHandle;
} adv_security_attributes;

BOOL WINAPI DuplicateTokenEx(HANDLE existing, DWORD access, adv_security_attributes *sa,
                             DWORD level, DWORD type, HANDLE *out)
{
    adv_sqos q = {sizeof q, level, 0, 0};
    OBJECT_ATTRIBUTES oa = {.Length = sizeof oa, .SecurityQualityOfService = &q};
    if (sa && sa->bInheritHandle)
        oa.Attributes |= 0x2; /* OBJ_INHERIT */
    return status_ok(NtDuplicateToken(existing, access, &oa, 0, type, out));
}
THK_EXPORT(advapi32, DuplicateTokenEx, 6);

BOOL WINAPI DuplicateToken(HANDLE existing, DWORD level, HANDLE *out)
{
    return DuplicateTokenEx(existing, TOKEN_IMPERSONATE | TOKEN_QUERY, NULL, level,
                            TOKEN_TYPE_IMPERSONATION, out);
}
THK_EXPORT(advapi32, DuplicateToken, 3);

BOOL WINAPI SetThreadToken(HANDLE *thread, HANDLE token)
{
    HANDLE t = thread ? *thread : NtCurrentThread();
    return status_ok(NtSetInformationThread(t, THREAD_IMPERSONATION_TOKEN, &token, sizeof token));
}
THK_EXPORT(advapi32, SetThreadToken, 2);
THK_EXPORT_AS(kernel32, SetThreadToken, SetThreadToken, 2); /* kernel32 has it too (Windows 8+) */

BOOL WINAPI RevertToSelf(void)
{
    return SetThreadToken(NULL, NULL);
}
THK_EXPORT(advapi32, RevertToSelf, 0);

/* The calling thread impersonates a copy of the process's token at `level`. */
BOOL WINAPI ImpersonateSelf(DWORD level)
{
    HANDLE primary, imp;
    NTSTATUS st = NtOpenProcessToken(NtCurrentProcess(), TOKEN_DUPLICATE, &primary);
    if (st != STATUS_SUCCESS)
        return status_ok(st);
    BOOL ok = DuplicateTokenEx(primary, TOKEN_IMPERSONATE | TOKEN_QUERY, NULL, level,
                               TOKEN_TYPE_IMPERSONATION, &imp);
    NtClose(primary);
    if (!ok)
        return 0;
    ok = SetThreadToken(NULL, imp);
    NtClose(imp);
    return ok;
}
THK_EXPORT(advapi32, ImpersonateSelf, 1);

/* A primary token is impersonated through an impersonation-level copy, as Windows does. */
BOOL WINAPI ImpersonateLoggedOnUser(HANDLE token)
{
    DWORD type = 0, got;
    if (!GetTokenInformation(token, 8 /* TokenType */, &type, sizeof type, &got))
        return 0;
    if (type == TOKEN_TYPE_IMPERSONATION)
        return SetThreadToken(NULL, token);
    HANDLE imp;
    if (!DuplicateTokenEx(token, TOKEN_IMPERSONATE | TOKEN_QUERY, NULL, SECURITY_IMPERSONATION,
                          TOKEN_TYPE_IMPERSONATION, &imp))
        return 0;
    BOOL ok = SetThreadToken(NULL, imp);
    NtClose(imp);
    return ok;
}
THK_EXPORT(advapi32, ImpersonateLoggedOnUser, 1);

/* ---- SIDs ---- */
typedef struct {
    uint8_t Revision;
    uint8_t SubAuthorityCount;
    uint8_t IdentifierAuthority[6];
    uint32_t SubAuthority[];
} adv_sid;

BOOL WINAPI IsValidSid(const void *sid)
{
    const adv_sid *s = sid;
    return s && s->Revision == 1 && s->SubAuthorityCount <= SID_MAX_SUB;
}
THK_EXPORT(advapi32, IsValidSid, 1);

DWORD WINAPI GetLengthSid(const void *sid)
{
    return 8 + 4 * (DWORD)((const adv_sid *)sid)->SubAuthorityCount;
}
THK_EXPORT(advapi32, GetLengthSid, 1);

DWORD WINAPI GetSidLengthRequired(uint8_t count) { return 8 + 4 * (DWORD)count; }
THK_EXPORT(advapi32, GetSidLengthRequired, 1);

BOOL WINAPI EqualSid(const void *a, const void *b)
{
    if (!IsValidSid(a) || !IsValidSid(b))
        return fail(ADV_ERROR_INVALID_SID);
    thk_set_last_error(ERROR_SUCCESS);
    return GetLengthSid(a) == GetLengthSid(b) && memcmp(a, b, GetLengthSid(a)) == 0;
}
THK_EXPORT(advapi32, EqualSid, 2);

BOOL WINAPI EqualPrefixSid(const void *a, const void *b)
{
    const adv_sid *x = a, *y = b;
    if (!IsValidSid(a) || !IsValidSid(b))
        return fail(ADV_ERROR_INVALID_SID);
    if (x->SubAuthorityCount != y->SubAuthorityCount || !x->SubAuthorityCount)
        return 0;
    return memcmp(a, b, GetLengthSid(a) - 4) == 0;
}
THK_EXPORT(advapi32, EqualPrefixSid, 2);

BOOL WINAPI CopySid(DWORD len, void *dst, const void *src)
{
    if (!IsValidSid(src))
        return fail(ADV_ERROR_INVALID_SID);
    DWORD n = GetLengthSid(src);
    if (len < n)
        return fail(ERROR_INSUFFICIENT_BUFFER);
    memmove(dst, src, n);
    return 1;
}
THK_EXPORT(advapi32, CopySid, 3);

BOOL WINAPI InitializeSid(void *sid, const uint8_t *authority, uint8_t count)
{
    adv_sid *s = sid;
    if (count > SID_MAX_SUB)
        return 0;
    s->Revision = 1;
    s->SubAuthorityCount = count;
    memcpy(s->IdentifierAuthority, authority, 6);
    memset(s->SubAuthority, 0, 4 * (size_t)count);
    return 1;
}
THK_EXPORT(advapi32, InitializeSid, 3);

DWORD *WINAPI GetSidSubAuthority(void *sid, DWORD i)
{
    thk_set_last_error(ERROR_SUCCESS);
    return &((adv_sid *)sid)->SubAuthority[i];
}
THK_EXPORT(advapi32, GetSidSubAuthority, 2);

uint8_t *WINAPI GetSidSubAuthorityCount(void *sid)
{
    thk_set_last_error(ERROR_SUCCESS);
    return &((adv_sid *)sid)->SubAuthorityCount;
}
THK_EXPORT(advapi32, GetSidSubAuthorityCount, 1);

uint8_t *WINAPI GetSidIdentifierAuthority(void *sid)
{
    thk_set_last_error(ERROR_SUCCESS);
    return ((adv_sid *)sid)->IdentifierAuthority;
}
THK_EXPORT(advapi32, GetSidIdentifierAuthority, 1);

BOOL WINAPI AllocateAndInitializeSid(const uint8_t *authority, uint8_t count, DWORD s0, DWORD s1,
                                     DWORD s2, DWORD s3, DWORD s4, DWORD s5, DWORD s6, DWORD s7,
                                     void **out)
{
    if (count > 8)
        return fail(ERROR_INVALID_PARAMETER);
    adv_sid *s = HeapAlloc(GetProcessHeap(), 0, 8 + 4 * (size_t)count);
    if (!s)
        return fail(ERROR_NOT_ENOUGH_MEMORY);
    const DWORD sub[8] = {s0, s1, s2, s3, s4, s5, s6, s7};
    s->Revision = 1;
    s->SubAuthorityCount = count;
    memcpy(s->IdentifierAuthority, authority, 6);
    memcpy(s->SubAuthority, sub, 4 * (size_t)count);
    *out = s;
    return 1;
}
THK_EXPORT(advapi32, AllocateAndInitializeSid, 11);

void *WINAPI FreeSid(void *sid)
{
    if (sid)
        HeapFree(GetProcessHeap(), 0, sid);
    return NULL;
}
THK_EXPORT(advapi32, FreeSid, 1);

/* The well-known SIDs by WELL_KNOWN_SID_TYPE: identifier authority (its last byte) and
 * subauthorities. The account-domain ones (WinAccountAdministratorSid..., 38-50 and 72-77)
 * and WinLogonIdsSid are not in the table: IsWellKnownSid says FALSE for them. */
static const struct {
    uint8_t type, authority, count;
    uint32_t sub[2];
} adv_well_known[] = {
    {0, 0, 1, {0}},       {1, 1, 1, {0}},       {2, 2, 1, {0}},       {3, 3, 1, {0}},
    {4, 3, 1, {1}},       {5, 3, 1, {2}},       {6, 3, 1, {3}},       {7, 5, 0, {0}},
    {8, 5, 1, {1}},       {9, 5, 1, {2}},       {10, 5, 1, {3}},      {11, 5, 1, {4}},
    {12, 5, 1, {6}},      {13, 5, 1, {7}},      {14, 5, 1, {8}},      {15, 5, 1, {9}},
    {16, 5, 1, {10}},     {17, 5, 1, {11}},     {18, 5, 1, {12}},     {19, 5, 1, {13}},
    {20, 5, 1, {14}},     {22, 5, 1, {18}},     {23, 5, 1, {19}},     {24, 5, 1, {20}},
    {25, 5, 1, {32}},     {26, 5, 2, {32, 544}}, {27, 5, 2, {32, 545}}, {28, 5, 2, {32, 546}},
    {29, 5, 2, {32, 547}}, {30, 5, 2, {32, 548}}, {31, 5, 2, {32, 549}}, {32, 5, 2, {32, 550}},
    {33, 5, 2, {32, 551}}, {34, 5, 2, {32, 552}}, {35, 5, 2, {32, 554}}, {36, 5, 2, {32, 555}},
    {37, 5, 2, {32, 556}}, {51, 5, 2, {64, 10}},  {52, 5, 2, {64, 21}},  {53, 5, 2, {64, 14}},
    {54, 5, 1, {15}},     {55, 5, 1, {1000}},   {56, 5, 2, {32, 557}}, {57, 5, 2, {32, 558}},
    {58, 5, 2, {32, 559}}, {59, 5, 2, {32, 560}}, {60, 5, 2, {32, 561}}, {61, 5, 2, {32, 562}},
    {62, 5, 2, {32, 568}}, {63, 5, 1, {17}},     {64, 5, 2, {32, 569}}, {65, 16, 1, {0}},
    {66, 16, 1, {4096}},  {67, 16, 1, {8192}},  {68, 16, 1, {12288}}, {69, 16, 1, {16384}},
    {70, 5, 1, {33}},     {71, 3, 1, {4}},      {79, 16, 1, {8448}},
};
BOOL WINAPI IsWellKnownSid(const void *sid, int type)
{
    static const uint8_t auth_prefix[5] = {0};
    const adv_sid *s = sid;
    if (!IsValidSid(sid) || memcmp(s->IdentifierAuthority, auth_prefix, 5) != 0)
        return 0;
    for (size_t i = 0; i < sizeof adv_well_known / sizeof adv_well_known[0]; i++)
        if (adv_well_known[i].type == type)
            return s->IdentifierAuthority[5] == adv_well_known[i].authority &&
                   s->SubAuthorityCount == adv_well_known[i].count &&
                   memcmp(s->SubAuthority, adv_well_known[i].sub, 4 * (size_t)s->SubAuthorityCount) == 0;
    return 0;
}
THK_EXPORT(advapi32, IsWellKnownSid, 2);

/* "S-1-5-21-..." (UTF-8), or false for an invalid SID. */
static bool sid_to_text(const void *sid, char *buf, size_t n)
{
    const adv_sid *s = sid;
    if (!IsValidSid(sid))
        return false;
    uint64_t auth = 0;
    for (int i = 0; i < 6; i++)
        auth = auth << 8 | s->IdentifierAuthority[i];
    int k = auth >> 32 ? snprintf(buf, n, "S-1-0x%012llX", (unsigned long long)auth)
                       : snprintf(buf, n, "S-1-%llu", (unsigned long long)auth);
    for (int i = 0; i < s->SubAuthorityCount && k > 0 && (size_t)k < n; i++)
        k += snprintf(buf + k, n - (size_t)k, "-%u", s->SubAuthority[i]);
    return true;
}

BOOL WINAPI ConvertSidToStringSidW(const void *sid, WCHAR **out)
{
    char text[256];
    if (!out)
        return fail(ERROR_INVALID_PARAMETER);
    if (!sid_to_text(sid, text, sizeof text))
        return fail(ADV_ERROR_INVALID_SID);
    size_t n = strlen(text);
    WCHAR *w = LocalAlloc(0, (n + 1) * sizeof *w);
    if (!w)
        return fail(ERROR_NOT_ENOUGH_MEMORY);
    for (size_t i = 0; i <= n; i++)
        w[i] = (WCHAR)text[i];
    *out = w;
    return 1;
}
THK_EXPORT(advapi32, ConvertSidToStringSidW, 2);

BOOL WINAPI ConvertSidToStringSidA(const void *sid, char **out)
{
    char text[256];
    if (!out)
        return fail(ERROR_INVALID_PARAMETER);
    if (!sid_to_text(sid, text, sizeof text))
        return fail(ADV_ERROR_INVALID_SID);
    char *a = LocalAlloc(0, strlen(text) + 1);
    if (!a)
        return fail(ERROR_NOT_ENOUGH_MEMORY);
    strcpy(a, text);
    *out = a;
    return 1;
}
THK_EXPORT(advapi32, ConvertSidToStringSidA, 2);

/* The SDDL abbreviations of well-known SIDs (arrays, not pointers: read-only data the dynamic
 * linker never writes at start). */
static const struct {
    char abbr[3];
    char sid[16];
} adv_sddl[] = {
    {"AN", "S-1-5-7"},      {"AU", "S-1-5-11"},     {"BA", "S-1-5-32-544"},
    {"BG", "S-1-5-32-546"}, {"BU", "S-1-5-32-545"}, {"CO", "S-1-3-0"},
    {"CG", "S-1-3-1"},      {"IU", "S-1-5-4"},      {"LS", "S-1-5-19"},
    {"NS", "S-1-5-20"},     {"NU", "S-1-5-2"},      {"SY", "S-1-5-18"},
    {"WD", "S-1-1-0"},      {"LW", "S-1-16-4096"},  {"ME", "S-1-16-8192"},
    {"HI", "S-1-16-12288"}, {"SI", "S-1-16-16384"}, {"SU", "S-1-5-6"},
    {"PU", "S-1-5-32-547"}, {"RD", "S-1-5-32-555"}, {"AC", "S-1-15-2-1"},
};

/* Parses "S-1-..." or an SDDL abbreviation into sid (room for 15 subauthorities). */
static bool text_to_sid(const char *t, adv_sid *sid)
{
    for (size_t i = 0; i < sizeof adv_sddl / sizeof adv_sddl[0]; i++)
        if (strlen(t) == 2 && (t[0] & ~0x20) == adv_sddl[i].abbr[0] &&
            (t[1] & ~0x20) == adv_sddl[i].abbr[1])
            t = adv_sddl[i].sid;
    if ((t[0] != 'S' && t[0] != 's') || t[1] != '-' || t[2] != '1' || t[3] != '-')
        return false;
    const char *p = t + 4;
    char *end;
    unsigned long long auth;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        auth = strtoull(p + 2, &end, 16);
    else
        auth = strtoull(p, &end, 10);
    if (end == p || auth >> 48)
        return false;
    sid->Revision = 1;
    for (int i = 0; i < 6; i++)
        sid->IdentifierAuthority[i] = (uint8_t)(auth >> (8 * (5 - i)));
    int n = 0;
    p = end;
    while (*p == '-') {
        p++;
        if (*p < '0' || *p > '9' || n == SID_MAX_SUB)
            return false;
        unsigned long long v = strtoull(p, &end, 10);
        if (v > 0xffffffffull)
            return false;
        sid->SubAuthority[n++] = (uint32_t)v;
        p = end;
    }
    sid->SubAuthorityCount = (uint8_t)n;
    return *p == 0 && n > 0;
}

static BOOL string_to_sid(const char *t, void **out)
{
    uint8_t buf[8 + 4 * SID_MAX_SUB];
    adv_sid *s = (adv_sid *)buf;
    if (!t || !out)
        return fail(ERROR_INVALID_PARAMETER);
    if (!text_to_sid(t, s))
        return fail(ADV_ERROR_INVALID_SID);
    void *r = LocalAlloc(0, GetLengthSid(s));
    if (!r)
        return fail(ERROR_NOT_ENOUGH_MEMORY);
    memcpy(r, s, GetLengthSid(s));
    *out = r;
    return 1;
}

BOOL WINAPI ConvertStringSidToSidW(const WCHAR *text, void **out)
{
    if (!text)
        return fail(ERROR_INVALID_PARAMETER);
    char a[256];
    size_t i = 0;
    for (; text[i] && i < sizeof a - 1; i++)
        a[i] = text[i] < 0x80 ? (char)text[i] : '?';
    a[i] = 0;
    return string_to_sid(a, out);
}
THK_EXPORT(advapi32, ConvertStringSidToSidW, 2);

BOOL WINAPI ConvertStringSidToSidA(const char *text, void **out)
{
    return string_to_sid(text, out);
}
THK_EXPORT(advapi32, ConvertStringSidToSidA, 2);

/* ---- names ---- */
static void user_name(char *buf, size_t n)
{
    struct passwd pw, *res = NULL;
    char pwbuf[1024];
    if (getpwuid_r(getuid(), &pw, pwbuf, sizeof pwbuf, &res) == 0 && res)
        snprintf(buf, n, "%s", res->pw_name);
    else if (getenv("USER"))
        snprintf(buf, n, "%s", getenv("USER"));
    else
        snprintf(buf, n, "user");
}

static void computer_name(char *buf, size_t n)
{
    WCHAR w[64];
    DWORD len = 64;
    size_t i = 0;
    if (GetComputerNameW(w, &len))
        for (; i < len && i < n - 1; i++)
            buf[i] = (char)w[i];
    buf[i] = 0;
}

/* The account name, domain and use of a SID; false when none is known. */
static bool sid_account(const void *sid, char *name, size_t nn, char *dom, size_t dn, int *use)
{
    char text[256], user[128];
    uint32_t sub4 = 0;
    if (!sid_to_text(sid, text, sizeof text))
        return false;
    /* arrays, not pointers: read-only data the dynamic linker never writes at start
     * (docs/performance.md, fifteenth pass); each has room to spare (a string of exactly an
     * array's size would compile without its NUL) */
    static const struct {
        char sid[16], name[32], dom[20];
        int use;
    } known[] = {
        {"S-1-1-0", "Everyone", "", SidTypeWellKnownGroup},
        {"S-1-2-0", "LOCAL", "", SidTypeWellKnownGroup},
        {"S-1-2-1", "CONSOLE LOGON", "", SidTypeWellKnownGroup},
        {"S-1-3-0", "CREATOR OWNER", "", SidTypeWellKnownGroup},
        {"S-1-3-1", "CREATOR GROUP", "", SidTypeWellKnownGroup},
        {"S-1-5-2", "NETWORK", "NT AUTHORITY", SidTypeWellKnownGroup},
        {"S-1-5-4", "INTERACTIVE", "NT AUTHORITY", SidTypeWellKnownGroup},
        {"S-1-5-6", "SERVICE", "NT AUTHORITY", SidTypeWellKnownGroup},
        {"S-1-5-7", "ANONYMOUS LOGON", "NT AUTHORITY", SidTypeWellKnownGroup},
        {"S-1-5-11", "Authenticated Users", "NT AUTHORITY", SidTypeWellKnownGroup},
        {"S-1-5-15", "This Organization", "NT AUTHORITY", SidTypeWellKnownGroup},
        {"S-1-5-18", "SYSTEM", "NT AUTHORITY", SidTypeWellKnownGroup},
        {"S-1-5-19", "LOCAL SERVICE", "NT AUTHORITY", SidTypeWellKnownGroup},
        {"S-1-5-20", "NETWORK SERVICE", "NT AUTHORITY", SidTypeWellKnownGroup},
        {"S-1-5-64-10", "NTLM Authentication", "NT AUTHORITY", SidTypeWellKnownGroup},
        {"S-1-5-113", "Local account", "NT AUTHORITY", SidTypeWellKnownGroup},
        {"S-1-5-32", "BUILTIN", "BUILTIN", SidTypeDomain},
        {"S-1-5-32-544", "Administrators", "BUILTIN", SidTypeAlias},
        {"S-1-5-32-545", "Users", "BUILTIN", SidTypeAlias},
        {"S-1-5-32-546", "Guests", "BUILTIN", SidTypeAlias},
        {"S-1-5-32-547", "Power Users", "BUILTIN", SidTypeAlias},
        {"S-1-5-32-555", "Remote Desktop Users", "BUILTIN", SidTypeAlias},
        {"S-1-16-0", "Untrusted Mandatory Level", "Mandatory Label", SidTypeLabel},
        {"S-1-16-4096", "Low Mandatory Level", "Mandatory Label", SidTypeLabel},
        {"S-1-16-8192", "Medium Mandatory Level", "Mandatory Label", SidTypeLabel},
        {"S-1-16-12288", "High Mandatory Level", "Mandatory Label", SidTypeLabel},
        {"S-1-16-16384", "System Mandatory Level", "Mandatory Label", SidTypeLabel},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strcmp(text, known[i].sid) == 0) {
            snprintf(name, nn, "%s", known[i].name);
            snprintf(dom, dn, "%s", known[i].dom);
            *use = known[i].use;
            return true;
        }
    }
    /* the machine's own accounts: S-1-5-21-A-B-C-RID */
    char mine[96];
    nt_token_user_sid_string(mine, sizeof mine);
    char *last = strrchr(mine, '-');
    size_t prefix = (size_t)(last - mine);
    if (strncmp(text, mine, prefix) == 0 && text[prefix] == '-') {
        sub4 = (uint32_t)strtoul(text + prefix + 1, NULL, 10);
        computer_name(dom, dn);
        if (strcmp(text, mine) == 0) {
            user_name(user, sizeof user);
            snprintf(name, nn, "%s", user);
            *use = SidTypeUser;
            return true;
        }
        if (sub4 == 513) {
            snprintf(name, nn, "None");
            *use = SidTypeGroup;
            return true;
        }
        if (sub4 == 500 || sub4 == 501) {
            snprintf(name, nn, "%s", sub4 == 500 ? "Administrator" : "Guest");
            *use = SidTypeUser;
            return true;
        }
    }
    return false;
}

/* LookupAccountSid's buffer rules; units are characters of the result's encoding. */
static BOOL lookup_out(const char *name, const char *dom, int use, void *out_name, DWORD *cch_name,
                       void *out_dom, DWORD *cch_dom, int *puse, bool wide)
{
    size_t nl, dl;
    WCHAR *wn = NULL, *wd = NULL;
    if (wide) {
        wn = nt_utf8_to_utf16(name, strlen(name), &nl);
        wd = nt_utf8_to_utf16(dom, strlen(dom), &dl);
        if (!wn || !wd) {
            free(wn);
            free(wd);
            return fail(ERROR_NOT_ENOUGH_MEMORY);
        }
    } else {
        nl = strlen(name);
        dl = strlen(dom);
    }
    BOOL ok;
    if (!out_name || *cch_name <= nl || !out_dom || *cch_dom <= dl) {
        *cch_name = (DWORD)nl + 1;
        *cch_dom = (DWORD)dl + 1;
        ok = fail(ERROR_INSUFFICIENT_BUFFER);
    } else {
        size_t unit = wide ? 2 : 1;
        memcpy(out_name, wide ? (const void *)wn : name, (nl + 1) * unit);
        memcpy(out_dom, wide ? (const void *)wd : dom, (dl + 1) * unit);
        *cch_name = (DWORD)nl;
        *cch_dom = (DWORD)dl;
        if (puse)
            *puse = use;
        ok = 1;
    }
    free(wn);
    free(wd);
    return ok;
}

/* LookupAccountSidW/A: the sizes must be given and the SID valid and known; then lookup_out. */
static BOOL lookup_sid(const void *sid, void *name, DWORD *cch_name, void *dom, DWORD *cch_dom,
                       int *use, bool wide)
{
    char n[256], d[256];
    int u;
    if (!cch_name || !cch_dom)
        return fail(ERROR_INVALID_PARAMETER);
    if (!IsValidSid(sid))
        return fail(ADV_ERROR_INVALID_SID);
    if (!sid_account(sid, n, sizeof n, d, sizeof d, &u))
        return fail(ADV_ERROR_NONE_MAPPED);
    return lookup_out(n, d, u, name, cch_name, dom, cch_dom, use, wide);
}

BOOL WINAPI LookupAccountSidW(const WCHAR *system, const void *sid, WCHAR *name, DWORD *cch_name,
                              WCHAR *dom, DWORD *cch_dom, int *use)
{
    (void)system;
    return lookup_sid(sid, name, cch_name, dom, cch_dom, use, true);
}
THK_EXPORT(advapi32, LookupAccountSidW, 7);

BOOL WINAPI LookupAccountSidA(const char *system, const void *sid, char *name, DWORD *cch_name,
                              char *dom, DWORD *cch_dom, int *use)
{
    (void)system;
    return lookup_sid(sid, name, cch_name, dom, cch_dom, use, false);
}
THK_EXPORT(advapi32, LookupAccountSidA, 7);

/* *size: in, the buffer's capacity; out, the characters copied with the terminator, or the
 * capacity needed. */
BOOL WINAPI GetUserNameW(WCHAR *buf, DWORD *size)
{
    char u[128];
    size_t n;
    if (!size)
        return fail(ERROR_INVALID_PARAMETER);
    user_name(u, sizeof u);
    WCHAR *w = nt_utf8_to_utf16(u, strlen(u), &n);
    if (!w)
        return fail(ERROR_NOT_ENOUGH_MEMORY);
    BOOL ok;
    if (!buf || *size < n + 1) {
        *size = (DWORD)n + 1;
        ok = fail(ERROR_INSUFFICIENT_BUFFER);
    } else {
        memcpy(buf, w, (n + 1) * sizeof *w);
        *size = (DWORD)n + 1;
        ok = 1;
    }
    free(w);
    return ok;
}
THK_EXPORT(advapi32, GetUserNameW, 2);

BOOL WINAPI GetUserNameA(char *buf, DWORD *size)
{
    char u[128];
    if (!size)
        return fail(ERROR_INVALID_PARAMETER);
    user_name(u, sizeof u);
    size_t n = strlen(u);
    if (!buf || *size < n + 1) {
        *size = (DWORD)n + 1;
        return fail(ERROR_INSUFFICIENT_BUFFER);
    }
    memcpy(buf, u, n + 1);
    *size = (DWORD)n + 1;
    return 1;
}
THK_EXPORT(advapi32, GetUserNameA, 2);

/* ---- membership and privileges ---- */
/* TokenHandle NULL: the thread's impersonation token, else the process's. A token given must
 * be an impersonation token (a primary one: ERROR_NO_IMPERSONATION_TOKEN), as on Windows. A
 * deny-only group is no membership; a restricted token's restricting SIDs must name the SID
 * too (ntemu/token.c). */
BOOL WINAPI CheckTokenMembership(HANDLE token, const void *sid, BOOL *is_member)
{
    if (!is_member)
        return fail(ERROR_INVALID_PARAMETER);
    if (!IsValidSid(sid))
        return fail(ADV_ERROR_INVALID_SID);
    BOOLEAN m = 0;
    NTSTATUS st = nt_token_check_membership(token, sid, &m);
    if (st != STATUS_SUCCESS)
        return status_ok(st);
    *is_member = m;
    return 1;
}
THK_EXPORT(advapi32, CheckTokenMembership, 3);

BOOL WINAPI SetTokenInformation(HANDLE token, uint32_t klass, const void *info, DWORD len)
{
    return status_ok(NtSetInformationToken(token, klass, info, len));
}
THK_EXPORT(advapi32, SetTokenInformation, 4);

/* Over NtFilterToken: the SID_AND_ATTRIBUTES and LUID_AND_ATTRIBUTES arrays become the
 * TOKEN_GROUPS and TOKEN_PRIVILEGES it takes. */
BOOL WINAPI CreateRestrictedToken(HANDLE existing, DWORD flags, DWORD ndisable,
                                  const void *disable, DWORD ndelete, const void *delete_privs,
                                  DWORD nrestrict, const void *restricting, HANDLE *out)
{
    if ((ndisable && !disable) || (ndelete && !delete_privs) || (nrestrict && !restricting) ||
        ndisable > 0xFFFF || ndelete > 0xFFFF || nrestrict > 0xFFFF)
        return fail(ERROR_INVALID_PARAMETER);
    uint8_t *groups = malloc(8 + 16 * (size_t)ndisable), *res = malloc(8 + 16 * (size_t)nrestrict);
    uint8_t *privs = malloc(4 + 12 * (size_t)ndelete);
    BOOL ok = 0;
    if (!groups || !res || !privs) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        goto out;
    }
    memset(groups, 0, 8);
    memset(res, 0, 8);
    memcpy(groups, &ndisable, 4);
    memcpy(res, &nrestrict, 4);
    memcpy(privs, &ndelete, 4);
    if (ndisable)
        memcpy(groups + 8, disable, 16 * (size_t)ndisable);
    if (nrestrict)
        memcpy(res + 8, restricting, 16 * (size_t)nrestrict);
    if (ndelete)
        memcpy(privs + 4, delete_privs, 12 * (size_t)ndelete);
    ok = status_ok(NtFilterToken(existing, flags, ndisable ? groups : NULL,
                                 ndelete ? privs : NULL, nrestrict ? res : NULL, out));
out:
    free(groups);
    free(res);
    free(privs);
    return ok;
}
THK_EXPORT(advapi32, CreateRestrictedToken, 9);

/* Whether the token has restricting SIDs (TokenRestrictedSids is not empty). */
BOOL WINAPI IsTokenRestricted(HANDLE token)
{
    uint8_t buf[8];
    DWORD len = 0;
    if (GetTokenInformation(token, 11 /* TokenRestrictedSids */, buf, sizeof buf, &len)) {
        thk_set_last_error(ERROR_SUCCESS);
        return 0; /* fits in 8 bytes: no SIDs */
    }
    if (thk_get_last_error() != ERROR_INSUFFICIENT_BUFFER)
        return 0;
    thk_set_last_error(ERROR_SUCCESS);
    return 1;
}
THK_EXPORT(advapi32, IsTokenRestricted, 1);

/* The privileges by LUID (0 and 1 unused); arrays, not pointers: read-only data the dynamic
 * linker never writes at start. */
static const char adv_privileges[][48] = {
    "", "", "SeCreateTokenPrivilege", "SeAssignPrimaryTokenPrivilege",
    "SeLockMemoryPrivilege", "SeIncreaseQuotaPrivilege", "SeMachineAccountPrivilege",
    "SeTcbPrivilege", "SeSecurityPrivilege", "SeTakeOwnershipPrivilege",
    "SeLoadDriverPrivilege", "SeSystemProfilePrivilege", "SeSystemtimePrivilege",
    "SeProfileSingleProcessPrivilege", "SeIncreaseBasePriorityPrivilege",
    "SeCreatePagefilePrivilege", "SeCreatePermanentPrivilege", "SeBackupPrivilege",
    "SeRestorePrivilege", "SeShutdownPrivilege", "SeDebugPrivilege", "SeAuditPrivilege",
    "SeSystemEnvironmentPrivilege", "SeChangeNotifyPrivilege", "SeRemoteShutdownPrivilege",
    "SeUndockPrivilege", "SeSyncAgentPrivilege", "SeEnableDelegationPrivilege",
    "SeManageVolumePrivilege", "SeImpersonatePrivilege", "SeCreateGlobalPrivilege",
    "SeTrustedCredManAccessPrivilege", "SeRelabelPrivilege", "SeIncreaseWorkingSetPrivilege",
    "SeTimeZonePrivilege", "SeCreateSymbolicLinkPrivilege",
    "SeDelegateSessionUserImpersonatePrivilege",
};
#define ADV_NPRIV (sizeof adv_privileges / sizeof adv_privileges[0])

static int privilege_value(const char *name)
{
    for (size_t i = 2; i < ADV_NPRIV; i++) {
        const char *p = adv_privileges[i], *q = name;
        while (*p && *q && ((*p | 0x20) == (*q | 0x20)))
            p++, q++;
        if (!*p && !*q)
            return (int)i;
    }
    return -1;
}

BOOL WINAPI LookupPrivilegeValueA(const char *system, const char *name, uint32_t *luid)
{
    (void)system;
    int v = name ? privilege_value(name) : -1;
    if (v < 0)
        return fail(ADV_ERROR_NO_SUCH_PRIVILEGE);
    luid[0] = (uint32_t)v;
    luid[1] = 0;
    return 1;
}
THK_EXPORT(advapi32, LookupPrivilegeValueA, 3);

BOOL WINAPI LookupPrivilegeValueW(const WCHAR *system, const WCHAR *name, uint32_t *luid)
{
    char a[64];
    size_t i = 0;
    (void)system;
    if (name)
        for (; name[i] && i < sizeof a - 1; i++)
            a[i] = name[i] < 0x80 ? (char)name[i] : '?';
    a[i] = 0;
    return LookupPrivilegeValueA(NULL, name ? a : NULL, luid);
}
THK_EXPORT(advapi32, LookupPrivilegeValueW, 3);

/* Over NtAdjustPrivilegesToken: TRUE with ERROR_NOT_ALL_ASSIGNED when the token lacks one of
 * the privileges (the others change), as on Windows. */
BOOL WINAPI AdjustTokenPrivileges(HANDLE token, BOOL disable_all, const void *state, DWORD len,
                                  void *prev, DWORD *ret_len)
{
    NTSTATUS st = NtAdjustPrivilegesToken(token, disable_all != 0, state, len, prev, ret_len);
    if (!NT_SUCCESS(st))
        return status_ok(st);
    thk_set_last_error(st == 0x106 /* STATUS_NOT_ALL_ASSIGNED */ ? ADV_ERROR_NOT_ALL_ASSIGNED
                                                                  : ERROR_SUCCESS);
    return 1;
}
THK_EXPORT(advapi32, AdjustTokenPrivileges, 6);

/* Over NtPrivilegeCheck: the token must be an impersonation token (ERROR_NO_IMPERSONATION_TOKEN). */
BOOL WINAPI PrivilegeCheck(HANDLE token, void *set, BOOL *result)
{
    BOOLEAN r = 0;
    NTSTATUS st = NtPrivilegeCheck(token, set, &r);
    if (!NT_SUCCESS(st))
        return status_ok(st);
    if (result)
        *result = r;
    return 1;
}
THK_EXPORT(advapi32, PrivilegeCheck, 3);
