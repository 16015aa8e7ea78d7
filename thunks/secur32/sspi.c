/* SPDX-License-Identifier: MIT */
/* The SSPI dispatch layer of secur32/sspicli: InitSecurityInterfaceA/W and the functions of the
 * SecurityFunctionTable it returns, with no security package behind them.
 *
 * ntrun provides no package (no Negotiate, Kerberos, NTLM, Schannel, ...): the package list is
 * empty, a package asked for by name is SEC_E_SECPKG_NOT_FOUND, and since no credentials or
 * context handle can ever be made, every function taking one answers SEC_E_INVALID_HANDLE, as
 * Windows does for a handle it never gave out. Programs that only set SSPI up (curl's SSPI and
 * Schannel back-ends do it in curl_global_init) run; one that really authenticates gets the
 * error a Windows machine without that package gives. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "ntemu/ntemu.h"
#include "thunks/thunks_private.h"

typedef int32_t SECURITY_STATUS;
#define SEC_E_OK ((SECURITY_STATUS)0)
#define SEC_E_INSUFFICIENT_MEMORY ((SECURITY_STATUS)0x80090300)
#define SEC_E_INVALID_HANDLE ((SECURITY_STATUS)0x80090301)
#define SEC_E_SECPKG_NOT_FOUND ((SECURITY_STATUS)0x80090305)
#define SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_4 4

typedef struct {
    ULONG_PTR dwLower, dwUpper;
} SecHandle;

HANDLE WINAPI GetProcessHeap(void);                               /* kernel32 */
void *WINAPI HeapAlloc(HANDLE heap, DWORD flags, SIZE_T size);    /* kernel32 */
BOOL WINAPI HeapFree(HANDLE heap, DWORD flags, void *p);          /* kernel32 */

/* ---- the package list (empty) and the buffers it is returned in ---- */

/* EnumerateSecurityPackages: no package. The (empty) array is still a context buffer, so the
 * caller's FreeContextBuffer of it succeeds. */
static SECURITY_STATUS s32_enumerate(ULONG *count, void **info)
{
    if (!count || !info)
        return SEC_E_INSUFFICIENT_MEMORY; /* what sspicli answers for missing outputs */
    void *p = HeapAlloc(GetProcessHeap(), 0, 16);
    if (!p)
        return SEC_E_INSUFFICIENT_MEMORY;
    *count = 0;
    *info = p;
    return SEC_E_OK;
}

SECURITY_STATUS WINAPI EnumerateSecurityPackagesW(ULONG *count, void **info)
{
    return s32_enumerate(count, info);
}
THK_EXPORT(secur32, EnumerateSecurityPackagesW, 2);

SECURITY_STATUS WINAPI EnumerateSecurityPackagesA(ULONG *count, void **info)
{
    return s32_enumerate(count, info);
}
THK_EXPORT(secur32, EnumerateSecurityPackagesA, 2);

SECURITY_STATUS WINAPI QuerySecurityPackageInfoW(const WCHAR *name, void **info)
{
    (void)name;
    if (info)
        *info = NULL;
    return SEC_E_SECPKG_NOT_FOUND;
}
THK_EXPORT(secur32, QuerySecurityPackageInfoW, 2);

SECURITY_STATUS WINAPI QuerySecurityPackageInfoA(const char *name, void **info)
{
    (void)name;
    if (info)
        *info = NULL;
    return SEC_E_SECPKG_NOT_FOUND;
}
THK_EXPORT(secur32, QuerySecurityPackageInfoA, 2);

SECURITY_STATUS WINAPI FreeContextBuffer(void *p)
{
    if (p)
        HeapFree(GetProcessHeap(), 0, p);
    return SEC_E_OK;
}
THK_EXPORT(secur32, FreeContextBuffer, 1);

/* ---- credentials: a package is needed to make any ---- */
SECURITY_STATUS WINAPI AcquireCredentialsHandleW(const WCHAR *principal, const WCHAR *package,
                                                 ULONG usage, void *logon_id, void *auth_data,
                                                 void *get_key, void *get_key_arg,
                                                 SecHandle *cred, int64_t *expiry)
{
    (void)principal, (void)package, (void)usage, (void)logon_id, (void)auth_data;
    (void)get_key, (void)get_key_arg, (void)cred, (void)expiry;
    return SEC_E_SECPKG_NOT_FOUND;
}
THK_EXPORT(secur32, AcquireCredentialsHandleW, 9);

SECURITY_STATUS WINAPI AcquireCredentialsHandleA(const char *principal, const char *package,
                                                 ULONG usage, void *logon_id, void *auth_data,
                                                 void *get_key, void *get_key_arg,
                                                 SecHandle *cred, int64_t *expiry)
{
    (void)principal, (void)package, (void)usage, (void)logon_id, (void)auth_data;
    (void)get_key, (void)get_key_arg, (void)cred, (void)expiry;
    return SEC_E_SECPKG_NOT_FOUND;
}
THK_EXPORT(secur32, AcquireCredentialsHandleA, 9);

SECURITY_STATUS WINAPI ImportSecurityContextW(const WCHAR *package, void *packed, void *token,
                                              SecHandle *ctx)
{
    (void)package, (void)packed, (void)token, (void)ctx;
    return SEC_E_SECPKG_NOT_FOUND;
}
THK_EXPORT(secur32, ImportSecurityContextW, 4);

SECURITY_STATUS WINAPI ImportSecurityContextA(const char *package, void *packed, void *token,
                                              SecHandle *ctx)
{
    (void)package, (void)packed, (void)token, (void)ctx;
    return SEC_E_SECPKG_NOT_FOUND;
}
THK_EXPORT(secur32, ImportSecurityContextA, 4);

SECURITY_STATUS WINAPI ChangeAccountPasswordW(WCHAR *package, WCHAR *domain, WCHAR *account,
                                              WCHAR *old_pw, WCHAR *new_pw, BOOLEAN impersonating,
                                              ULONG reserved, void *output)
{
    (void)package, (void)domain, (void)account, (void)old_pw, (void)new_pw;
    (void)impersonating, (void)reserved, (void)output;
    return SEC_E_SECPKG_NOT_FOUND;
}
THK_EXPORT(secur32, ChangeAccountPasswordW, 8);

SECURITY_STATUS WINAPI ChangeAccountPasswordA(char *package, char *domain, char *account,
                                              char *old_pw, char *new_pw, BOOLEAN impersonating,
                                              ULONG reserved, void *output)
{
    (void)package, (void)domain, (void)account, (void)old_pw, (void)new_pw;
    (void)impersonating, (void)reserved, (void)output;
    return SEC_E_SECPKG_NOT_FOUND;
}
THK_EXPORT(secur32, ChangeAccountPasswordA, 8);

/* ---- everything on a credentials or context handle: none was ever given out ---- */
#define S32_NO_HANDLE_1(name)                                                                 \
    SECURITY_STATUS WINAPI name(SecHandle *h)                                                  \
    {                                                                                          \
        (void)h;                                                                               \
        return SEC_E_INVALID_HANDLE;                                                           \
    }                                                                                          \
    THK_EXPORT(secur32, name, 1)
#define S32_NO_HANDLE_2(name)                                                                 \
    SECURITY_STATUS WINAPI name(SecHandle *h, void *a)                                         \
    {                                                                                          \
        (void)h, (void)a;                                                                      \
        return SEC_E_INVALID_HANDLE;                                                           \
    }                                                                                          \
    THK_EXPORT(secur32, name, 2)
#define S32_NO_HANDLE_3(name)                                                                 \
    SECURITY_STATUS WINAPI name(SecHandle *h, ULONG_PTR a, void *b)                            \
    {                                                                                          \
        (void)h, (void)a, (void)b;                                                             \
        return SEC_E_INVALID_HANDLE;                                                           \
    }                                                                                          \
    THK_EXPORT(secur32, name, 3)
#define S32_NO_HANDLE_4(name)                                                                 \
    SECURITY_STATUS WINAPI name(SecHandle *h, ULONG_PTR a, void *b, ULONG_PTR c)               \
    {                                                                                          \
        (void)h, (void)a, (void)b, (void)c;                                                    \
        return SEC_E_INVALID_HANDLE;                                                           \
    }                                                                                          \
    THK_EXPORT(secur32, name, 4)

S32_NO_HANDLE_1(FreeCredentialsHandle);
S32_NO_HANDLE_1(DeleteSecurityContext);
S32_NO_HANDLE_1(ImpersonateSecurityContext);
S32_NO_HANDLE_1(RevertSecurityContext);
S32_NO_HANDLE_2(CompleteAuthToken);
S32_NO_HANDLE_2(ApplyControlToken);
S32_NO_HANDLE_2(QuerySecurityContextToken);
S32_NO_HANDLE_3(QueryCredentialsAttributesW);
S32_NO_HANDLE_3(QueryCredentialsAttributesA);
S32_NO_HANDLE_3(QueryContextAttributesW);
S32_NO_HANDLE_3(QueryContextAttributesA);
S32_NO_HANDLE_4(MakeSignature);  /* (ctx, qop, message, seq) */
S32_NO_HANDLE_4(VerifySignature); /* (ctx, message, seq, qop*) */
S32_NO_HANDLE_4(EncryptMessage);
S32_NO_HANDLE_4(DecryptMessage);
S32_NO_HANDLE_4(ExportSecurityContext);
S32_NO_HANDLE_4(SetContextAttributesW);
S32_NO_HANDLE_4(SetContextAttributesA);
S32_NO_HANDLE_4(SetCredentialsAttributesW);
S32_NO_HANDLE_4(SetCredentialsAttributesA);
S32_NO_HANDLE_4(QueryContextAttributesExW);
S32_NO_HANDLE_4(QueryContextAttributesExA);
S32_NO_HANDLE_4(QueryCredentialsAttributesExW);
S32_NO_HANDLE_4(QueryCredentialsAttributesExA);

SECURITY_STATUS WINAPI InitializeSecurityContextW(SecHandle *cred, SecHandle *ctx,
                                                  const WCHAR *target, ULONG req, ULONG res1,
                                                  ULONG rep, void *input, ULONG res2,
                                                  SecHandle *new_ctx, void *output, ULONG *attrs,
                                                  int64_t *expiry)
{
    (void)cred, (void)ctx, (void)target, (void)req, (void)res1, (void)rep, (void)input;
    (void)res2, (void)new_ctx, (void)output, (void)attrs, (void)expiry;
    return SEC_E_INVALID_HANDLE;
}
THK_EXPORT(secur32, InitializeSecurityContextW, 12);

SECURITY_STATUS WINAPI InitializeSecurityContextA(SecHandle *cred, SecHandle *ctx,
                                                  const char *target, ULONG req, ULONG res1,
                                                  ULONG rep, void *input, ULONG res2,
                                                  SecHandle *new_ctx, void *output, ULONG *attrs,
                                                  int64_t *expiry)
{
    (void)cred, (void)ctx, (void)target, (void)req, (void)res1, (void)rep, (void)input;
    (void)res2, (void)new_ctx, (void)output, (void)attrs, (void)expiry;
    return SEC_E_INVALID_HANDLE;
}
THK_EXPORT(secur32, InitializeSecurityContextA, 12);

SECURITY_STATUS WINAPI AcceptSecurityContext(SecHandle *cred, SecHandle *ctx, void *input,
                                             ULONG req, ULONG rep, SecHandle *new_ctx,
                                             void *output, ULONG *attrs, int64_t *expiry)
{
    (void)cred, (void)ctx, (void)input, (void)req, (void)rep, (void)new_ctx, (void)output;
    (void)attrs, (void)expiry;
    return SEC_E_INVALID_HANDLE;
}
THK_EXPORT(secur32, AcceptSecurityContext, 9);

SECURITY_STATUS WINAPI AddCredentialsW(SecHandle *cred, WCHAR *principal, WCHAR *package,
                                       ULONG usage, void *auth_data, void *get_key,
                                       void *get_key_arg, int64_t *expiry)
{
    (void)cred, (void)principal, (void)package, (void)usage, (void)auth_data, (void)get_key;
    (void)get_key_arg, (void)expiry;
    return SEC_E_INVALID_HANDLE;
}
THK_EXPORT(secur32, AddCredentialsW, 8);

SECURITY_STATUS WINAPI AddCredentialsA(SecHandle *cred, char *principal, char *package,
                                       ULONG usage, void *auth_data, void *get_key,
                                       void *get_key_arg, int64_t *expiry)
{
    (void)cred, (void)principal, (void)package, (void)usage, (void)auth_data, (void)get_key;
    (void)get_key_arg, (void)expiry;
    return SEC_E_INVALID_HANDLE;
}
THK_EXPORT(secur32, AddCredentialsA, 8);

/* ---- the function tables ---- */
/* SecurityFunctionTableW/A (sspi.h): the same layout, the W or A entry points. */
typedef struct {
    ULONG dwVersion;                      /* 0x00 */
    void *EnumerateSecurityPackages;      /* 0x08 */
    void *QueryCredentialsAttributes;     /* 0x10 */
    void *AcquireCredentialsHandle;       /* 0x18 */
    void *FreeCredentialsHandle;          /* 0x20 */
    void *Reserved2;                      /* 0x28 */
    void *InitializeSecurityContext;      /* 0x30 */
    void *AcceptSecurityContext;          /* 0x38 */
    void *CompleteAuthToken;              /* 0x40 */
    void *DeleteSecurityContext;          /* 0x48 */
    void *ApplyControlToken;              /* 0x50 */
    void *QueryContextAttributes;         /* 0x58 */
    void *ImpersonateSecurityContext;     /* 0x60 */
    void *RevertSecurityContext;          /* 0x68 */
    void *MakeSignature;                  /* 0x70 */
    void *VerifySignature;                /* 0x78 */
    void *FreeContextBuffer;              /* 0x80 */
    void *QuerySecurityPackageInfo;       /* 0x88 */
    void *Reserved3;                      /* 0x90 */
    void *Reserved4;                      /* 0x98 */
    void *ExportSecurityContext;          /* 0xa0 */
    void *ImportSecurityContext;          /* 0xa8 */
    void *AddCredentials;                 /* 0xb0 */
    void *Reserved8;                      /* 0xb8 */
    void *QuerySecurityContextToken;      /* 0xc0 */
    void *EncryptMessage;                 /* 0xc8 */
    void *DecryptMessage;                 /* 0xd0 */
    void *SetContextAttributes;           /* 0xd8 */
    void *SetCredentialsAttributes;       /* 0xe0 */
    void *ChangeAccountPassword;          /* 0xe8 */
    void *QueryContextAttributesEx;       /* 0xf0 */
    void *QueryCredentialsAttributesEx;   /* 0xf8 */
} s32_function_table;
_Static_assert(offsetof(s32_function_table, FreeContextBuffer) == 0x80, "SFT.FreeContextBuffer");
_Static_assert(offsetof(s32_function_table, EncryptMessage) == 0xc8, "SFT.EncryptMessage");
_Static_assert(sizeof(s32_function_table) == 0x100, "SecurityFunctionTable");

/* The tables hold the addresses foreign code calls: the exports' stubs (a C function's own
 * address would be entered without the boundary crossing), looked up on each call since the
 * built images belong to a run (libntrun runs several programs in one process). */
static s32_function_table s32_table_w, s32_table_a;
static pthread_mutex_t s32_table_lock = PTHREAD_MUTEX_INITIALIZER;

static void *s32_entry(const char *name)
{
    return thk_resolve("secur32.dll", name);
}

static void s32_fill(s32_function_table *t, bool wide)
{
#define S32_AW(field, base) t->field = s32_entry(wide ? base "W" : base "A")
#define S32_ONE(field, name) t->field = s32_entry(name)
    t->dwVersion = SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_4;
    S32_AW(EnumerateSecurityPackages, "EnumerateSecurityPackages");
    S32_AW(QueryCredentialsAttributes, "QueryCredentialsAttributes");
    S32_AW(AcquireCredentialsHandle, "AcquireCredentialsHandle");
    S32_ONE(FreeCredentialsHandle, "FreeCredentialsHandle");
    S32_AW(InitializeSecurityContext, "InitializeSecurityContext");
    S32_ONE(AcceptSecurityContext, "AcceptSecurityContext");
    S32_ONE(CompleteAuthToken, "CompleteAuthToken");
    S32_ONE(DeleteSecurityContext, "DeleteSecurityContext");
    S32_ONE(ApplyControlToken, "ApplyControlToken");
    S32_AW(QueryContextAttributes, "QueryContextAttributes");
    S32_ONE(ImpersonateSecurityContext, "ImpersonateSecurityContext");
    S32_ONE(RevertSecurityContext, "RevertSecurityContext");
    S32_ONE(MakeSignature, "MakeSignature");
    S32_ONE(VerifySignature, "VerifySignature");
    S32_ONE(FreeContextBuffer, "FreeContextBuffer");
    S32_AW(QuerySecurityPackageInfo, "QuerySecurityPackageInfo");
    S32_ONE(ExportSecurityContext, "ExportSecurityContext");
    S32_AW(ImportSecurityContext, "ImportSecurityContext");
    S32_AW(AddCredentials, "AddCredentials");
    S32_ONE(QuerySecurityContextToken, "QuerySecurityContextToken");
    S32_ONE(EncryptMessage, "EncryptMessage");
    S32_ONE(DecryptMessage, "DecryptMessage");
    S32_AW(SetContextAttributes, "SetContextAttributes");
    S32_AW(SetCredentialsAttributes, "SetCredentialsAttributes");
    S32_AW(ChangeAccountPassword, "ChangeAccountPassword");
    S32_AW(QueryContextAttributesEx, "QueryContextAttributesEx");
    S32_AW(QueryCredentialsAttributesEx, "QueryCredentialsAttributesEx");
#undef S32_AW
#undef S32_ONE
}

static void *s32_table(bool wide)
{
    s32_function_table *t = wide ? &s32_table_w : &s32_table_a;
    pthread_mutex_lock(&s32_table_lock);
    s32_fill(t, wide);
    pthread_mutex_unlock(&s32_table_lock);
    return t;
}

void *WINAPI InitSecurityInterfaceW(void)
{
    return s32_table(true);
}
THK_EXPORT(secur32, InitSecurityInterfaceW, 0);

void *WINAPI InitSecurityInterfaceA(void)
{
    return s32_table(false);
}
THK_EXPORT(secur32, InitSecurityInterfaceA, 0);
