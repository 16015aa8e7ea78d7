/* ncrypt's persisted keys in the Microsoft Software Key Storage Provider: an ECDSA P-256 key
 * created with a name (Export Policy set before NCryptFinalizeKey), its Name and Unique Name;
 * the name again without NCRYPT_OVERWRITE_KEY_FLAG (NTE_EXISTS); NCryptOpenKey by the name in
 * other letter case: the same key (a signature made before verifies, the same public blob, its
 * Export Policy and algorithm kept); the key opened and used by a second process (this
 * program run again); NCryptEnumKeys lists it (NCryptKeyName, NTE_NO_MORE_ITEMS at the end);
 * NCryptDeleteKey, then NCryptOpenKey NTE_BAD_KEYSET and the list without it; a key replaced
 * with NCRYPT_OVERWRITE_KEY_FLAG; an RSA machine key (NCRYPT_MACHINE_KEY_FLAG), not among the
 * user's (the test runs elevated, ncrypt_persist.token: Windows lets only administrators make
 * machine keys). Keys left by an earlier run that stopped half-way are deleted first, silently.
 * Expected output: Microsoft's pages of these functions (NTE_EXISTS, NTE_BAD_KEYSET,
 * NCryptDeleteKey frees the handle). Not checked on Windows: nothing here depends on where the
 * files are (Windows: %APPDATA%\Microsoft\Crypto\Keys, as here) or on their names. Wine 8.0 has
 * no persisted keys (NCryptCreatePersistedKey with a name is NTE_NOT_SUPPORTED), so it is no second
 * opinion. */
#include <windows.h>
#include <ncrypt.h>
#include <stdio.h>
#include <string.h>

static NCRYPT_PROV_HANDLE prov;
static BYTE hash[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                        17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static void status(const char *what, SECURITY_STATUS st)
{
    printf("%s: %08lx\n", what, (unsigned long)st);
}

static void forget(const WCHAR *name, DWORD flags)
{
    NCRYPT_KEY_HANDLE k;
    if (!NCryptOpenKey(prov, &k, name, 0, flags))
        NCryptDeleteKey(k, 0);
}

static DWORD public_blob(NCRYPT_KEY_HANDLE k, BYTE *out, DWORD cap)
{
    DWORD n = 0;
    SECURITY_STATUS st = NCryptExportKey(k, 0, BCRYPT_ECCPUBLIC_BLOB, NULL, out, cap, &n, 0);
    if (st)
        status("  export public", st);
    return n;
}

/* Whether NCryptEnumKeys lists the name (and with which algorithm) */
static void listed(const WCHAR *name, DWORD flags)
{
    NCryptKeyName *kn = NULL;
    void *state = NULL;
    SECURITY_STATUS st;
    int found = 0;
    while (!(st = NCryptEnumKeys(prov, NULL, &kn, &state, flags))) {
        if (!lstrcmpiW(kn->pszName, name)) {
            found = 1;
            printf("  listed: %ls, %ls\n", kn->pszName, kn->pszAlgid);
        }
        NCryptFreeBuffer(kn);
    }
    if (!found)
        printf("  not listed\n");
    printf("  enumeration ends with %08lx\n", (unsigned long)st);
    if (state)
        NCryptFreeBuffer(state);
}

static void hexarg(const BYTE *p, DWORD n, char *out)
{
    for (DWORD i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
}

static int child(const char *sighex)
{
    BYTE sig[128];
    DWORD n = (DWORD)strlen(sighex) / 2;
    for (DWORD i = 0; i < n && i < sizeof sig; i++)
        sscanf(sighex + 2 * i, "%2hhx", &sig[i]);
    NCryptOpenStorageProvider(&prov, MS_KEY_STORAGE_PROVIDER, 0);
    NCRYPT_KEY_HANDLE k;
    SECURITY_STATUS st = NCryptOpenKey(prov, &k, L"ntrun Persist Test", 0, 0);
    printf("child: open %08lx", (unsigned long)st);
    if (!st) {
        st = NCryptVerifySignature(k, NULL, hash, sizeof hash, sig, n, 0);
        printf(", verify the parent's signature %08lx", (unsigned long)st);
        NCryptFreeObject(k);
    }
    printf("\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "child")) /* never the parent again, whatever failed */
        return child(argc > 2 ? argv[2] : "");
    status("open provider", NCryptOpenStorageProvider(&prov, MS_KEY_STORAGE_PROVIDER, 0));
    forget(L"ntrun persist test", 0);
    forget(L"ntrun replaced key", 0);
    forget(L"ntrun machine key", NCRYPT_MACHINE_KEY_FLAG);

    NCRYPT_KEY_HANDLE k = 0, o = 0, x = 0;
    status("create", NCryptCreatePersistedKey(prov, &k, NCRYPT_ECDSA_P256_ALGORITHM,
                                              L"ntrun Persist Test", 0, 0));
    DWORD policy = NCRYPT_ALLOW_PLAINTEXT_EXPORT_FLAG, n = 0;
    status("set Export Policy", NCryptSetProperty(k, NCRYPT_EXPORT_POLICY_PROPERTY,
                                                  (BYTE *)&policy, sizeof policy, 0));
    status("finalize", NCryptFinalizeKey(k, 0));
    WCHAR name[64] = {0}, unique[128] = {0};
    status("Name", NCryptGetProperty(k, NCRYPT_NAME_PROPERTY, (BYTE *)name, sizeof name, &n, 0));
    printf("  %ls (%lu bytes)\n", name, (unsigned long)n);
    SECURITY_STATUS st = NCryptGetProperty(k, NCRYPT_UNIQUE_NAME_PROPERTY, (BYTE *)unique,
                                           sizeof unique, &n, 0);
    printf("Unique Name: %08lx, %s\n", (unsigned long)st, unique[0] ? "not empty" : "empty");
    BYTE sig[128], pub1[128], pub2[128];
    DWORD sig_len = 0;
    status("sign", NCryptSignHash(k, NULL, hash, sizeof hash, sig, sizeof sig, &sig_len, 0));
    DWORD pub1_len = public_blob(k, pub1, sizeof pub1);

    status("create the name again", NCryptCreatePersistedKey(prov, &x,
                                                             NCRYPT_ECDSA_P256_ALGORITHM,
                                                             L"ntrun Persist Test", 0, 0));
    status("open in other case", NCryptOpenKey(prov, &o, L"NTRUN persist test", 0, 0));
    status("  verify the signature", NCryptVerifySignature(o, NULL, hash, sizeof hash, sig,
                                                           sig_len, 0));
    DWORD pub2_len = public_blob(o, pub2, sizeof pub2);
    printf("  same public key: %s\n",
           pub1_len == pub2_len && !memcmp(pub1, pub2, pub1_len) ? "yes" : "no");
    WCHAR alg[32] = {0};
    NCryptGetProperty(o, NCRYPT_ALGORITHM_PROPERTY, (BYTE *)alg, sizeof alg, &n, 0);
    DWORD got_policy = 0;
    NCryptGetProperty(o, NCRYPT_EXPORT_POLICY_PROPERTY, (BYTE *)&got_policy, sizeof got_policy,
                      &n, 0);
    name[0] = 0;
    NCryptGetProperty(o, NCRYPT_NAME_PROPERTY, (BYTE *)name, sizeof name, &n, 0);
    printf("  algorithm %ls, export policy %lu, name %ls\n", alg, (unsigned long)got_policy,
           name);
    NCryptFreeObject(o);

    /* a second process opens it */
    char cmd[600], self[MAX_PATH];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    int len = snprintf(cmd, sizeof cmd, "\"%s\" child ", self);
    hexarg(sig, sig_len, cmd + len);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    fflush(stdout);
    if (CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        WaitForSingleObject(pi.hProcess, INFINITE);
        CloseHandle(pi.hProcess);
        CloseHandle(pi.hThread);
    } else {
        printf("cannot run the child: %lu\n", GetLastError());
    }

    printf("enumerate:\n");
    listed(L"ntrun persist test", 0);
    status("delete", NCryptDeleteKey(k, 0));
    status("open after the delete", NCryptOpenKey(prov, &o, L"ntrun Persist Test", 0, 0));
    printf("enumerate:\n");
    listed(L"ntrun persist test", 0);

    /* replaced */
    NCryptCreatePersistedKey(prov, &k, NCRYPT_ECDSA_P256_ALGORITHM, L"ntrun replaced key", 0, 0);
    status("first key", NCryptFinalizeKey(k, 0));
    pub1_len = public_blob(k, pub1, sizeof pub1);
    NCryptFreeObject(k);
    status("overwrite", NCryptCreatePersistedKey(prov, &k, NCRYPT_ECDSA_P256_ALGORITHM,
                                                 L"ntrun replaced key", 0,
                                                 NCRYPT_OVERWRITE_KEY_FLAG));
    status("second key", NCryptFinalizeKey(k, 0));
    pub2_len = public_blob(k, pub2, sizeof pub2);
    NCryptFreeObject(k);
    status("open", NCryptOpenKey(prov, &o, L"ntrun replaced key", 0, 0));
    BYTE pub3[128];
    DWORD pub3_len = public_blob(o, pub3, sizeof pub3);
    printf("  the second key: %s, the first: %s\n",
           pub3_len == pub2_len && !memcmp(pub3, pub2, pub2_len) ? "yes" : "no",
           pub3_len == pub1_len && !memcmp(pub3, pub1, pub1_len) ? "yes" : "no");
    status("delete", NCryptDeleteKey(o, 0));

    /* a machine key */
    status("create a machine key", NCryptCreatePersistedKey(prov, &k, NCRYPT_RSA_ALGORITHM,
                                                            L"ntrun machine key", 0,
                                                            NCRYPT_MACHINE_KEY_FLAG));
    DWORD bits = 1024;
    NCryptSetProperty(k, NCRYPT_LENGTH_PROPERTY, (BYTE *)&bits, sizeof bits, 0);
    status("finalize", NCryptFinalizeKey(k, 0));
    NCryptFreeObject(k);
    status("open as a user key", NCryptOpenKey(prov, &o, L"ntrun machine key", 0, 0));
    status("open as a machine key", NCryptOpenKey(prov, &o, L"ntrun machine key", 0,
                                                  NCRYPT_MACHINE_KEY_FLAG));
    bits = 0;
    NCryptGetProperty(o, NCRYPT_LENGTH_PROPERTY, (BYTE *)&bits, sizeof bits, &n, 0);
    printf("  length %lu\n", (unsigned long)bits);
    printf("machine keys:\n");
    listed(L"ntrun machine key", NCRYPT_MACHINE_KEY_FLAG);
    printf("user keys:\n");
    listed(L"ntrun machine key", 0);
    status("delete", NCryptDeleteKey(o, 0));
    NCryptFreeObject(prov);
    return 0;
}
