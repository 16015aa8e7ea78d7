/* crypt32's OID table: CryptFindOIDInfo by OID, name (case-insensitive), ALG_ID, signature
 * {hash, key} pair and CNG names, within a group or all; an unknown key gives NULL;
 * CryptEnumOIDInfo counts a group and stops when the callback returns FALSE;
 * CertOIDToAlgId/CertAlgIdToOID. */
#include <stdio.h>
#define CRYPT_OID_INFO_HAS_EXTRA_FIELDS
#include <windows.h>
#include <wincrypt.h>

static void show(const char *what, PCCRYPT_OID_INFO i)
{
    if (!i) {
        printf("%s: none\n", what);
        return;
    }
    printf("%s: cb=%lu oid=%s name=%ls group=%lu algid=0x%lx", what, i->cbSize,
           i->pszOID, i->pwszName, i->dwGroupId, (unsigned long)i->Algid);
    /* a signature's extra data starts with its public key's ALG_ID */
    if (i->dwGroupId == CRYPT_SIGN_ALG_OID_GROUP_ID && i->ExtraInfo.cbData >= 4)
        printf(" extra=0x%lx", *(const DWORD *)i->ExtraInfo.pbData);
    printf(" cng=%ls/%ls\n", i->pwszCNGAlgid, i->pwszCNGExtraAlgid);
}

static int count;
static BOOL WINAPI counter(PCCRYPT_OID_INFO info, void *arg)
{
    (void)info;
    count++;
    return count < *(int *)arg;
}

int main(void)
{
    show("oid sha1", CryptFindOIDInfo(CRYPT_OID_INFO_OID_KEY, "1.3.14.3.2.26", 0));
    show("oid sha256", CryptFindOIDInfo(CRYPT_OID_INFO_OID_KEY, "2.16.840.1.101.3.4.2.1", 0));
    show("oid sha256RSA", CryptFindOIDInfo(CRYPT_OID_INFO_OID_KEY, "1.2.840.113549.1.1.11", 0));
    show("oid rsa", CryptFindOIDInfo(CRYPT_OID_INFO_OID_KEY, "1.2.840.113549.1.1.1",
                                     CRYPT_PUBKEY_ALG_OID_GROUP_ID));
    show("oid CN", CryptFindOIDInfo(CRYPT_OID_INFO_OID_KEY, "2.5.4.3", 0));
    show("oid eku", CryptFindOIDInfo(CRYPT_OID_INFO_OID_KEY, "1.3.6.1.5.5.7.3.3", 0));
    show("oid basic", CryptFindOIDInfo(CRYPT_OID_INFO_OID_KEY, "2.5.29.19", 0));
    show("oid wrong group",
         CryptFindOIDInfo(CRYPT_OID_INFO_OID_KEY, "1.3.14.3.2.26", CRYPT_SIGN_ALG_OID_GROUP_ID));
    show("oid unknown", CryptFindOIDInfo(CRYPT_OID_INFO_OID_KEY, "1.2.3.4.5", 0));
    show("oid ds flag", CryptFindOIDInfo(CRYPT_OID_INFO_OID_KEY, "1.2.840.113549.2.5",
                                         CRYPT_HASH_ALG_OID_GROUP_ID |
                                             CRYPT_OID_DISABLE_SEARCH_DS_FLAG));
    show("name SHA256", CryptFindOIDInfo(CRYPT_OID_INFO_NAME_KEY, (void *)L"SHA256", 0));
    show("name md5RSA", CryptFindOIDInfo(CRYPT_OID_INFO_NAME_KEY, (void *)L"md5RSA", 0));
    show("name nothing", CryptFindOIDInfo(CRYPT_OID_INFO_NAME_KEY, (void *)L"nothing", 0));
    ALG_ID alg = CALG_SHA_384;
    show("algid sha384", CryptFindOIDInfo(CRYPT_OID_INFO_ALGID_KEY, &alg, 0));
    alg = CALG_AES_256;
    show("algid aes256", CryptFindOIDInfo(CRYPT_OID_INFO_ALGID_KEY, &alg, 0));
    ALG_ID pair[2] = {CALG_SHA_256, CALG_RSA_SIGN};
    show("sign sha256/rsa", CryptFindOIDInfo(CRYPT_OID_INFO_SIGN_KEY, pair, 0));
    pair[1] = CALG_DSS_SIGN;
    show("sign sha256/dss", CryptFindOIDInfo(CRYPT_OID_INFO_SIGN_KEY, pair, 0));
    show("cng SHA512", CryptFindOIDInfo(CRYPT_OID_INFO_CNG_ALGID_KEY, (void *)L"SHA512",
                                        CRYPT_HASH_ALG_OID_GROUP_ID));
    const WCHAR *cng[2] = {L"SHA384", L"ECDSA"};
    show("cng sign", CryptFindOIDInfo(CRYPT_OID_INFO_CNG_SIGN_KEY, (void *)cng, 0));

    int stop = 1000;
    count = 0;
    BOOL r = CryptEnumOIDInfo(CRYPT_HASH_ALG_OID_GROUP_ID, 0, &stop, counter);
    printf("enum hash: %d, at least 7: %d\n", r, count >= 7);
    stop = 3;
    count = 0;
    r = CryptEnumOIDInfo(0, 0, &stop, counter);
    printf("enum stop: %d %d\n", r, count);

    printf("CertOIDToAlgId md5 0x%lx unknown 0x%lx\n",
           (unsigned long)CertOIDToAlgId("1.2.840.113549.2.5"),
           (unsigned long)CertOIDToAlgId("1.2.3"));
    printf("CertAlgIdToOID sha1 %s\n", CertAlgIdToOID(CALG_SHA1));
    printf("CertAlgIdToOID 0 %s\n", CertAlgIdToOID(0) ? "found" : "NULL");
    return 0;
}
