/* SSPI through secur32: InitSecurityInterfaceW/A give a function table whose entries work, the
 * package list agrees with QuerySecurityPackageInfo (every listed package is found, Negotiate is
 * found exactly when listed), an unknown package is SEC_E_SECPKG_NOT_FOUND for
 * QuerySecurityPackageInfo and AcquireCredentialsHandle, and handles never given out are
 * SEC_E_INVALID_HANDLE. Holds on Windows too, whatever packages it has. */
#define SECURITY_WIN32
#include <windows.h>
#include <security.h>
#include <stdio.h>

int main(void)
{
    PSecurityFunctionTableW tw = InitSecurityInterfaceW();
    PSecurityFunctionTableA ta = InitSecurityInterfaceA();
    printf("tables: W %d, A %d, version >= 1 %d\n", tw != NULL, ta != NULL,
           tw && tw->dwVersion >= SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION);
    printf("entries: %d %d %d %d\n", tw->EnumerateSecurityPackagesW != NULL,
           tw->FreeContextBuffer != NULL, ta->AcquireCredentialsHandleA != NULL,
           ta->QuerySecurityPackageInfoA != NULL);

    ULONG n = 12345;
    PSecPkgInfoW pkgs = NULL;
    SECURITY_STATUS st = tw->EnumerateSecurityPackagesW(&n, &pkgs);
    printf("enumerate: 0x%lx, buffer %d\n", (unsigned long)st, pkgs != NULL);
    int consistent = n != 12345, negotiate_listed = 0;
    for (ULONG i = 0; i < n; i++) {
        PSecPkgInfoW info = NULL;
        if (QuerySecurityPackageInfoW(pkgs[i].Name, &info) != SEC_E_OK ||
            lstrcmpW(info->Name, pkgs[i].Name) != 0)
            consistent = 0;
        if (info)
            FreeContextBuffer(info);
        negotiate_listed |= lstrcmpiW(pkgs[i].Name, L"Negotiate") == 0;
    }
    printf("free list: 0x%lx\n", (unsigned long)tw->FreeContextBuffer(pkgs));
    PSecPkgInfoW neg = NULL;
    st = QuerySecurityPackageInfoW((SEC_WCHAR *)L"Negotiate", &neg);
    printf("listed packages found %d, Negotiate found exactly when listed %d\n", consistent,
           negotiate_listed ? st == SEC_E_OK : st == SEC_E_SECPKG_NOT_FOUND);
    if (st == SEC_E_OK)
        FreeContextBuffer(neg);

    PSecPkgInfoA ia = NULL;
    st = ta->QuerySecurityPackageInfoA((SEC_CHAR *)"No Such Package", &ia);
    printf("unknown package, A: 0x%lx\n", (unsigned long)st);
    st = QuerySecurityPackageInfoW((SEC_WCHAR *)L"No Such Package", &neg);
    printf("unknown package, W: 0x%lx\n", (unsigned long)st);
    CredHandle cred;
    TimeStamp expiry;
    st = AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)L"No Such Package", SECPKG_CRED_OUTBOUND,
                                   NULL, NULL, NULL, NULL, &cred, &expiry);
    printf("credentials of an unknown package: 0x%lx\n", (unsigned long)st);
    st = ta->AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"No Such Package", SECPKG_CRED_OUTBOUND,
                                       NULL, NULL, NULL, NULL, &cred, &expiry);
    printf("the same, A table: 0x%lx\n", (unsigned long)st);

    CredHandle bogus = {0x1234, 0x5678};
    CtxtHandle ctx = {0x4321, 0x8765}, out_ctx;
    SecBufferDesc out = {SECBUFFER_VERSION, 0, NULL};
    ULONG attrs;
    printf("free bogus credentials: 0x%lx\n", (unsigned long)FreeCredentialsHandle(&bogus));
    printf("delete bogus context: 0x%lx\n", (unsigned long)tw->DeleteSecurityContext(&ctx));
    st = InitializeSecurityContextW(&bogus, NULL, (SEC_WCHAR *)L"host/example", 0, 0,
                                    SECURITY_NATIVE_DREP, NULL, 0, &out_ctx, &out, &attrs, &expiry);
    printf("initialize with bogus credentials: 0x%lx\n", (unsigned long)st);
    SecPkgContext_Sizes sizes;
    st = QueryContextAttributesW(&ctx, SECPKG_ATTR_SIZES, &sizes);
    printf("query bogus context: 0x%lx\n", (unsigned long)st);
    printf("free NULL: 0x%lx\n", (unsigned long)FreeContextBuffer(NULL));
    return 0;
}
