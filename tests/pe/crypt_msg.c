/* crypt32's low-level messages and the simplified message functions on data made at build time
 * by crypt_msg.gen (openssl cms): content.txt signed by a fixed RSA-2048 key (SHA-256) without
 * attributes, with openssl's default attributes and the certificate, detached, and by an ECDSA
 * P-256 key (SHA-384); a digested message; a data message.
 * - CMSG_DATA: encoded (CMSG_BARE_CONTENT_PARAM, CMSG_CONTENT_PARAM: openssl's data message
 *   byte for byte), a non-final update refused (CRYPT_E_MSG_ERROR), an update after the final
 *   one too; openssl's decoded (type, content; the size asked first, ERROR_MORE_DATA when short).
 * - CMSG_HASHED: encoded with SHA-256 (the digest is content.txt's SHA-256, as `sha256sum`
 *   gives it); openssl's decoded (CMSG_HASH_DATA_PARAM = CMSG_COMPUTED_HASH_PARAM,
 *   CMSG_CTRL_VERIFY_HASH), a changed content CRYPT_E_HASH_VALUE.
 * - CMSG_SIGNED decoded: inner content type, content, signer, certificate and CRL counts,
 *   CMSG_SIGNER_INFO (issuer, serial number, algorithms), the authenticated attributes' types,
 *   CMSG_SIGNER_CERT_INFO; CMSG_CTRL_VERIFY_SIGNATURE with the signer's CERT_INFO, with another
 *   certificate's (CRYPT_E_SIGNER_NOT_FOUND); CMSG_CTRL_VERIFY_SIGNATURE_EX by public key and by
 *   certificate; a changed content (CRYPT_E_HASH_VALUE: the messageDigest attribute no longer
 *   matches), a changed signature (NTE_BAD_SIGNATURE); a detached message given its content in
 *   a second update; the ECDSA signer; CryptMsgDuplicate.
 * - CMSG_SIGNED encoded with an NCrypt key (the fixed RSA key imported; dwKeySpec
 *   CERT_NCRYPT_KEY_SPEC): without attributes the message is printed whole (checked with
 *   `openssl cms -verify -inform DER -noverify -certfile signer.pem -content content.txt`) and
 *   its signature is openssl's (PKCS #1 v1.5 is deterministic); with an authenticated attribute
 *   and the certificate, contentType and messageDigest are added and it verifies; the ECDSA key
 *   signs and verifies.
 * - CryptSignMessage with the certificate's CERT_NCRYPT_KEY_HANDLE property (attached and
 *   detached), without a key (CRYPT_E_NO_KEY_PROPERTY); CryptVerifyMessageSignature (the
 *   content and the signer's certificate from the message), a short buffer, signer index 1
 *   (CRYPT_E_NO_SIGNER), a message without certificates (CRYPT_E_NOT_FOUND) and with the
 *   program's pfnGetSignerCertificate; CryptVerifyDetachedMessageSignature;
 *   CryptGetMessageSignerCount.
 * - CryptQueryObject's message handle (phMsg) and CertOpenStore(CERT_STORE_PROV_MSG).
 * Expected output: Microsoft's pages of these functions and RFC 2315/5652; Windows writes
 * digest algorithms with NULL parameters (openssl omits them, so the messages differ there and
 * only there). Not checked on Windows: whether it sorts the authenticated attributes it writes
 * (DER's SET OF order here; the test prints their types sorted). Wine 8.0 prints the same for
 * the data and hashed messages and the decoding, but: it has no CMSG_VERSION_PARAM
 * (CRYPT_E_INVALID_MSG_TYPE), does not compare the messageDigest attribute with the content
 * (a changed content and a detached message given other content still verify), cannot verify
 * ECDSA (CRYPT_E_ASN1_BADTAG), takes no CERT_NCRYPT_KEY_HANDLE_PROP_ID (CRYPT_E_NO_KEY_PROPERTY)
 * and cannot sign with an NCrypt key (CryptMsgOpenToEncode E_INVALIDARG, so nothing of the
 * encoded signed messages and CryptSignMessage runs there).  */
#include <windows.h>
#include <wincrypt.h>
#include <ncrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crypt_files.h"
#include "crypt_msg_common.h"

#define ENC (X509_ASN_ENCODING | PKCS_7_ASN_ENCODING)

/* A parameter, allocated after asking its size; NULL after printing the error */
static BYTE *param(HCRYPTMSG m, DWORD type, DWORD index, DWORD *len)
{
    *len = 0;
    if (!CryptMsgGetParam(m, type, index, NULL, len)) {
        printf("  param %lu: error %08lx\n", (unsigned long)type, (unsigned long)GetLastError());
        return NULL;
    }
    BYTE *p = malloc(*len ? *len : 1);
    if (!CryptMsgGetParam(m, type, index, p, len)) {
        printf("  param %lu: error %08lx\n", (unsigned long)type, (unsigned long)GetLastError());
        free(p);
        return NULL;
    }
    return p;
}

static DWORD dword_param(HCRYPTMSG m, DWORD type)
{
    DWORD v = 0xcccccccc, len = sizeof v;
    if (!CryptMsgGetParam(m, type, 0, &v, &len))
        printf("  param %lu: error %08lx\n", (unsigned long)type, (unsigned long)GetLastError());
    return v;
}

static HCRYPTMSG decode(const BYTE *p, DWORD n, DWORD flags)
{
    HCRYPTMSG m = CryptMsgOpenToDecode(ENC, flags, 0, 0, NULL, NULL);
    if (!CryptMsgUpdate(m, p, n, TRUE))
        printf("  decode: error %08lx\n", (unsigned long)GetLastError());
    return m;
}

static void show_content(HCRYPTMSG m)
{
    DWORD n;
    BYTE *c = param(m, CMSG_CONTENT_PARAM, 0, &n);
    if (c)
        printf("  content: \"%.*s\"\n", (int)(n && c[n - 1] == '\n' ? n - 1 : n), c);
    free(c);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void show_signer(HCRYPTMSG m)
{
    DWORD n;
    CMSG_SIGNER_INFO *si = (CMSG_SIGNER_INFO *)param(m, CMSG_SIGNER_INFO_PARAM, 0, &n);
    if (!si)
        return;
    char name[256];
    CertNameToStrA(X509_ASN_ENCODING, &si->Issuer, CERT_X500_NAME_STR, name, sizeof name);
    printf("  signer: version %lu, issuer \"%s\", serial ", (unsigned long)si->dwVersion, name);
    for (DWORD i = si->SerialNumber.cbData; i--;)
        printf("%02x", si->SerialNumber.pbData[i]);
    /* an ECDSA signature's DER length changes with its random k: RSA's only */
    printf("\n  hash %s, signature %s", si->HashAlgorithm.pszObjId,
           si->HashEncryptionAlgorithm.pszObjId);
    if (!strcmp(si->HashEncryptionAlgorithm.pszObjId, szOID_RSA_RSA))
        printf(" (%lu bytes)", (unsigned long)si->EncryptedHash.cbData);
    printf("\n");
    const char *types[16];
    DWORD k = 0;
    for (DWORD i = 0; i < si->AuthAttrs.cAttr && k < 16; i++)
        types[k++] = si->AuthAttrs.rgAttr[i].pszObjId;
    qsort(types, k, sizeof types[0], cmp_str);
    printf("  authenticated attributes (%lu):", (unsigned long)si->AuthAttrs.cAttr);
    for (DWORD i = 0; i < k; i++)
        printf(" %s", types[i]);
    printf("\n  unauthenticated attributes: %lu\n", (unsigned long)si->UnauthAttrs.cAttr);
    free(si);
}

static PCCERT_CONTEXT signer_cert, ec_cert;
static BYTE content[64];
static DWORD content_len;

static void data_messages(void)
{
    printf("== data\n");
    DWORD n, ossl_len;
    BYTE *ossl = load("data.p7", &ossl_len);
    HCRYPTMSG m = CryptMsgOpenToEncode(ENC, 0, CMSG_DATA, NULL, NULL, NULL);
    BOOL ok = CryptMsgUpdate(m, content, content_len, FALSE);
    printf("non-final update: %d, error %08lx\n", ok, (unsigned long)GetLastError());
    result("final update", CryptMsgUpdate(m, content, content_len, TRUE));
    ok = CryptMsgUpdate(m, content, content_len, TRUE);
    printf("update after the final one: %d, error %08lx\n", ok, (unsigned long)GetLastError());
    BYTE *bare = param(m, CMSG_BARE_CONTENT_PARAM, 0, &n);
    if (bare)
        hex("bare content", bare, n);
    free(bare);
    BYTE *p = param(m, CMSG_CONTENT_PARAM, 0, &n);
    if (p) {
        hex("message", p, n);
        printf("same as openssl's: %s\n", n == ossl_len && !memcmp(p, ossl, n) ? "yes" : "no");
    }
    free(p);
    CryptMsgClose(m);

    m = decode(ossl, ossl_len, 0);
    printf("openssl's: type %lu\n", (unsigned long)dword_param(m, CMSG_TYPE_PARAM));
    BYTE small[4];
    n = sizeof small;
    ok = CryptMsgGetParam(m, CMSG_CONTENT_PARAM, 0, small, &n);
    printf("  short buffer: %d, error %08lx, size %lu\n", ok, (unsigned long)GetLastError(),
           (unsigned long)n);
    show_content(m);
    n = 0;
    ok = CryptMsgGetParam(m, CMSG_INNER_CONTENT_TYPE_PARAM, 0, NULL, &n);
    printf("  inner content type: %d, error %08lx\n", ok, (unsigned long)GetLastError());
    CryptMsgClose(m);
    free(ossl);
}

static void hashed_messages(void)
{
    printf("== hashed\n");
    CMSG_HASHED_ENCODE_INFO info = {sizeof info, 0, {szOID_NIST_sha256, {0, NULL}}, NULL};
    HCRYPTMSG m = CryptMsgOpenToEncode(ENC, 0, CMSG_HASHED, &info, NULL, NULL);
    result("open", m != NULL);
    result("update", CryptMsgUpdate(m, content, content_len, TRUE));
    DWORD n;
    BYTE *p = param(m, CMSG_COMPUTED_HASH_PARAM, 0, &n);
    if (p)
        hex("computed hash", p, n);
    free(p);
    p = param(m, CMSG_CONTENT_PARAM, 0, &n);
    if (p)
        hex("message", p, n);
    CryptMsgClose(m);
    /* ours decoded */
    m = decode(p, n, 0);
    printf("decoded: type %lu, version %lu\n", (unsigned long)dword_param(m, CMSG_TYPE_PARAM),
           (unsigned long)dword_param(m, CMSG_VERSION_PARAM));
    result("  verify hash", CryptMsgControl(m, 0, CMSG_CTRL_VERIFY_HASH, NULL));
    CryptMsgClose(m);
    free(p);

    DWORD ossl_len;
    BYTE *ossl = load("digest.p7", &ossl_len);
    m = decode(ossl, ossl_len, 0);
    printf("openssl's: type %lu\n", (unsigned long)dword_param(m, CMSG_TYPE_PARAM));
    show_content(m);
    p = param(m, CMSG_INNER_CONTENT_TYPE_PARAM, 0, &n);
    if (p)
        printf("  inner content type: %s\n", (char *)p);
    free(p);
    CRYPT_ALGORITHM_IDENTIFIER *alg = (void *)param(m, CMSG_HASH_ALGORITHM_PARAM, 0, &n);
    if (alg)
        printf("  hash algorithm: %s\n", alg->pszObjId);
    free(alg);
    DWORD hn, cn;
    BYTE *h = param(m, CMSG_HASH_DATA_PARAM, 0, &hn);
    BYTE *c = param(m, CMSG_COMPUTED_HASH_PARAM, 0, &cn);
    if (h && c)
        printf("  hash in the message is the computed one: %s\n",
               hn == cn && !memcmp(h, c, hn) ? "yes" : "no");
    free(h);
    free(c);
    result("  verify hash", CryptMsgControl(m, 0, CMSG_CTRL_VERIFY_HASH, NULL));
    CryptMsgClose(m);
    /* the content changed: one letter of "ntrun" */
    for (DWORD i = 0; i + 5 < ossl_len; i++)
        if (!memcmp(ossl + i, "ntrun", 5)) {
            ossl[i] = 'N';
            break;
        }
    m = decode(ossl, ossl_len, 0);
    BOOL ok = CryptMsgControl(m, 0, CMSG_CTRL_VERIFY_HASH, NULL);
    printf("changed content: verify hash %d, error %08lx\n", ok, (unsigned long)GetLastError());
    CryptMsgClose(m);
    free(ossl);
}

static void verify_with(HCRYPTMSG m, const char *label, PCCERT_CONTEXT c)
{
    BOOL ok = CryptMsgControl(m, 0, CMSG_CTRL_VERIFY_SIGNATURE, c->pCertInfo);
    if (ok)
        printf("  %s: verified\n", label);
    else
        printf("  %s: error %08lx\n", label, (unsigned long)GetLastError());
}

static void verify_ex(HCRYPTMSG m, const char *label, DWORD type, void *signer)
{
    CMSG_CTRL_VERIFY_SIGNATURE_EX_PARA v = {sizeof v, 0, 0, type, signer};
    BOOL ok = CryptMsgControl(m, 0, CMSG_CTRL_VERIFY_SIGNATURE_EX, &v);
    if (ok)
        printf("  %s: verified\n", label);
    else
        printf("  %s: fails\n", label);
}

/* Changes the first "ntrun" of the content inside a message */
static void change_content(BYTE *p, DWORD n)
{
    for (DWORD i = 0; i + 5 < n; i++)
        if (!memcmp(p + i, "ntrun signs", 11)) {
            p[i] = 'N';
            return;
        }
}

static void decoded_signed(void)
{
    printf("== signed, decoded\n");
    DWORD n, len;
    BYTE *msg = load("rsa_attr.p7", &len);
    HCRYPTMSG m = decode(msg, len, 0);
    printf("openssl's with attributes: type %lu, version %lu\n",
           (unsigned long)dword_param(m, CMSG_TYPE_PARAM),
           (unsigned long)dword_param(m, CMSG_VERSION_PARAM));
    BYTE *p = param(m, CMSG_INNER_CONTENT_TYPE_PARAM, 0, &n);
    if (p)
        printf("  inner content type: %s\n", (char *)p);
    free(p);
    show_content(m);
    printf("  signers %lu, certificates %lu, CRLs %lu\n",
           (unsigned long)dword_param(m, CMSG_SIGNER_COUNT_PARAM),
           (unsigned long)dword_param(m, CMSG_CERT_COUNT_PARAM),
           (unsigned long)dword_param(m, CMSG_CRL_COUNT_PARAM));
    p = param(m, CMSG_CERT_PARAM, 0, &n);
    if (p)
        printf("  certificate 0 is the signer's: %s\n",
               n == signer_cert->cbCertEncoded && !memcmp(p, signer_cert->pbCertEncoded, n)
                   ? "yes"
                   : "no");
    free(p);
    BOOL ok = CryptMsgGetParam(m, CMSG_CERT_PARAM, 1, NULL, &n);
    printf("  certificate 1: %d, error %08lx\n", ok, (unsigned long)GetLastError());
    show_signer(m);
    CERT_INFO *ci = (CERT_INFO *)param(m, CMSG_SIGNER_CERT_INFO_PARAM, 0, &n);
    if (ci)
        printf("  signer's CERT_INFO is the certificate's issuer and serial: %s\n",
               CertCompareCertificateName(X509_ASN_ENCODING, &ci->Issuer,
                                          &signer_cert->pCertInfo->Issuer) &&
                       CertCompareIntegerBlob(&ci->SerialNumber,
                                              &signer_cert->pCertInfo->SerialNumber)
                   ? "yes"
                   : "no");
    free(ci);
    p = param(m, CMSG_ENCODED_SIGNER, 0, &n);
    printf("  encoded signer is a SEQUENCE: %s\n", p && p[0] == 0x30 ? "yes" : "no");
    free(p);
    verify_with(m, "verify with the signer's certificate", signer_cert);
    verify_with(m, "verify with another certificate", ec_cert);
    verify_ex(m, "verify by public key", CMSG_VERIFY_SIGNER_PUBKEY,
              &signer_cert->pCertInfo->SubjectPublicKeyInfo);
    verify_ex(m, "verify by the other public key", CMSG_VERIFY_SIGNER_PUBKEY,
              &ec_cert->pCertInfo->SubjectPublicKeyInfo);
    verify_ex(m, "verify by certificate", CMSG_VERIFY_SIGNER_CERT, (void *)signer_cert);
    HCRYPTMSG dup = CryptMsgDuplicate(m);
    printf("  duplicate is the same handle: %s\n", dup == m ? "yes" : "no");
    CryptMsgClose(m);
    printf("  after one close: type %lu\n", (unsigned long)dword_param(dup, CMSG_TYPE_PARAM));
    CryptMsgClose(dup);
    change_content(msg, len);
    m = decode(msg, len, 0);
    verify_with(m, "changed content", signer_cert);
    CryptMsgClose(m);
    free(msg);

    msg = load("rsa_noattr.p7", &len);
    m = decode(msg, len, 0);
    printf("openssl's without attributes: certificates %lu\n",
           (unsigned long)dword_param(m, CMSG_CERT_COUNT_PARAM));
    show_signer(m);
    verify_with(m, "verify", signer_cert);
    CryptMsgClose(m);
    msg[len - 1] ^= 1; /* the signature's last byte */
    m = decode(msg, len, 0);
    verify_with(m, "changed signature", signer_cert);
    CryptMsgClose(m);
    free(msg);

    msg = load("rsa_detached.p7", &len);
    m = decode(msg, len, CMSG_DETACHED_FLAG);
    printf("openssl's detached:\n");
    result("  content update", CryptMsgUpdate(m, content, content_len, TRUE));
    verify_with(m, "verify", signer_cert);
    CryptMsgClose(m);
    m = decode(msg, len, CMSG_DETACHED_FLAG);
    result("  other content update", CryptMsgUpdate(m, (const BYTE *)"other", 5, TRUE));
    verify_with(m, "verify", signer_cert);
    CryptMsgClose(m);
    free(msg);

    msg = load("ec_attr.p7", &len);
    m = decode(msg, len, 0);
    printf("openssl's ECDSA:\n");
    show_signer(m);
    verify_with(m, "verify", ec_cert);
    verify_ex(m, "verify by certificate", CMSG_VERIFY_SIGNER_CERT, (void *)ec_cert);
    CryptMsgClose(m);
    free(msg);
}

static NCRYPT_KEY_HANDLE import_key(const char *file, const WCHAR *type)
{
    NCRYPT_PROV_HANDLE prov = 0;
    NCRYPT_KEY_HANDLE key = 0;
    DWORD n;
    BYTE *blob = load(file, &n);
    SECURITY_STATUS st = NCryptOpenStorageProvider(&prov, MS_KEY_STORAGE_PROVIDER, 0);
    if (!st)
        st = NCryptImportKey(prov, 0, type, NULL, &key, blob, n, 0);
    if (st)
        printf("import %s: %08lx\n", file, (unsigned long)st);
    free(blob);
    return key;
}

static BYTE *sign(NCRYPT_KEY_HANDLE key, PCCERT_CONTEXT cert, const char *hash, DWORD n_auth,
                  CRYPT_ATTRIBUTE *auth, BOOL with_cert, DWORD *len)
{
    CMSG_SIGNER_ENCODE_INFO signer = {sizeof signer};
    signer.pCertInfo = cert->pCertInfo;
    signer.hNCryptKey = key;
    signer.dwKeySpec = CERT_NCRYPT_KEY_SPEC;
    signer.HashAlgorithm.pszObjId = (char *)hash;
    signer.cAuthAttr = n_auth;
    signer.rgAuthAttr = auth;
    CERT_BLOB certs[1] = {{cert->cbCertEncoded, cert->pbCertEncoded}};
    CMSG_SIGNED_ENCODE_INFO info = {sizeof info, 1, &signer, with_cert, certs};
    HCRYPTMSG m = CryptMsgOpenToEncode(ENC, 0, CMSG_SIGNED, &info, NULL, NULL);
    if (!m) {
        printf("open to encode: error %08lx\n", (unsigned long)GetLastError());
        return NULL;
    }
    BYTE *p = NULL;
    if (CryptMsgUpdate(m, content, content_len, TRUE))
        p = param(m, CMSG_CONTENT_PARAM, 0, len);
    else
        printf("update: error %08lx\n", (unsigned long)GetLastError());
    CryptMsgClose(m);
    return p;
}

static NCRYPT_KEY_HANDLE rsa_key;

static void encoded_signed(void)
{
    printf("== signed, encoded\n");
    rsa_key = import_key("signer.blob", BCRYPT_RSAPRIVATE_BLOB);
    DWORD n, on, len;
    BYTE *p = sign(rsa_key, signer_cert, szOID_NIST_sha256, 0, NULL, FALSE, &len);
    if (!p)
        return;
    hex("message", p, len);
    HCRYPTMSG m = decode(p, len, 0);
    show_signer(m);
    verify_with(m, "verify", signer_cert);
    CMSG_SIGNER_INFO *si = (void *)param(m, CMSG_SIGNER_INFO_PARAM, 0, &n);
    BYTE *ossl = load("rsa_noattr.p7", &on);
    HCRYPTMSG o = decode(ossl, on, 0);
    CMSG_SIGNER_INFO *osi = (void *)param(o, CMSG_SIGNER_INFO_PARAM, 0, &n);
    if (si && osi)
        printf("signature is openssl's: %s\n",
               si->EncryptedHash.cbData == osi->EncryptedHash.cbData &&
                       !memcmp(si->EncryptedHash.pbData, osi->EncryptedHash.pbData,
                               si->EncryptedHash.cbData)
                   ? "yes"
                   : "no");
    free(si);
    free(osi);
    CryptMsgClose(o);
    CryptMsgClose(m);
    free(ossl);
    free(p);

    /* a signing time (2026-01-01 00:00:00 UTC), with the certificate */
    static BYTE when[] = {0x17, 0x0d, '2', '6', '0', '1', '0', '1', '0', '0', '0', '0', '0', '0', 'Z'};
    CRYPT_ATTR_BLOB wv = {sizeof when, when};
    CRYPT_ATTRIBUTE at = {szOID_RSA_signingTime, 1, &wv};
    p = sign(rsa_key, signer_cert, szOID_NIST_sha256, 1, &at, TRUE, &len);
    if (!p)
        return;
    m = decode(p, len, 0);
    printf("with an attribute and the certificate: certificates %lu\n",
           (unsigned long)dword_param(m, CMSG_CERT_COUNT_PARAM));
    show_signer(m);
    verify_with(m, "verify", signer_cert);
    CryptMsgClose(m);
    change_content(p, len);
    m = decode(p, len, 0);
    verify_with(m, "changed content", signer_cert);
    CryptMsgClose(m);
    free(p);

    NCRYPT_KEY_HANDLE ec = import_key("ec.blob", BCRYPT_ECCPRIVATE_BLOB);
    p = sign(ec, ec_cert, szOID_NIST_sha256, 0, NULL, FALSE, &len);
    if (p) {
        m = decode(p, len, 0);
        printf("ECDSA:\n");
        verify_with(m, "verify", ec_cert);
        verify_with(m, "verify with the RSA certificate", signer_cert);
        CryptMsgClose(m);
    }
    free(p);
    NCryptFreeObject(ec);

    CMSG_SIGNER_ENCODE_INFO signer = {sizeof signer};
    signer.pCertInfo = signer_cert->pCertInfo;
    signer.hNCryptKey = rsa_key;
    signer.dwKeySpec = CERT_NCRYPT_KEY_SPEC;
    signer.HashAlgorithm.pszObjId = "1.2.3.4";
    CMSG_SIGNED_ENCODE_INFO info = {sizeof info, 1, &signer};
    m = CryptMsgOpenToEncode(ENC, 0, CMSG_SIGNED, &info, NULL, NULL);
    printf("unknown hash algorithm: %s, error %08lx\n", m ? "opened" : "refused",
           (unsigned long)GetLastError());
    if (m)
        CryptMsgClose(m);
}

static PCCERT_CONTEXT WINAPI get_signer(void *arg, DWORD enc, PCERT_INFO id, HCERTSTORE store)
{
    (void)store;
    printf("  callback: arg %s, encoding %lx, serial matches: %s\n", (char *)arg,
           (unsigned long)enc,
           CertCompareIntegerBlob(&id->SerialNumber, &signer_cert->pCertInfo->SerialNumber)
               ? "yes"
               : "no");
    return CertDuplicateCertificateContext(signer_cert);
}

static void simplified(void)
{
    printf("== CryptSignMessage, CryptVerifyMessageSignature\n");
    PCCERT_CONTEXT cert = CertCreateCertificateContext(X509_ASN_ENCODING,
                                                       signer_cert->pbCertEncoded,
                                                       signer_cert->cbCertEncoded);
    CRYPT_SIGN_MESSAGE_PARA sp = {sizeof sp, ENC, cert, {szOID_NIST_sha256, {0, NULL}}};
    sp.cMsgCert = 1;
    sp.rgpMsgCert = &cert;
    const BYTE *pieces[1] = {content};
    DWORD sizes[1] = {content_len}, len = 0;
    BOOL ok = CryptSignMessage(&sp, FALSE, 1, pieces, sizes, NULL, &len);
    printf("without a key: %d, error %08lx\n", ok, (unsigned long)GetLastError());
    result("set CERT_NCRYPT_KEY_HANDLE_PROP_ID",
           CertSetCertificateContextProperty(cert, CERT_NCRYPT_KEY_HANDLE_PROP_ID, 0, &rsa_key));
    result("size", CryptSignMessage(&sp, FALSE, 1, pieces, sizes, NULL, &len));
    BYTE *blob = malloc(len);
    DWORD small = 10;
    ok = CryptSignMessage(&sp, FALSE, 1, pieces, sizes, blob, &small);
    printf("short buffer: %d, error %08lx, size is the one asked: %s\n", ok,
           (unsigned long)GetLastError(), small == len ? "yes" : "no");
    result("sign", CryptSignMessage(&sp, FALSE, 1, pieces, sizes, blob, &len));
    printf("signer count: %ld\n", CryptGetMessageSignerCount(ENC, blob, len));

    CRYPT_VERIFY_MESSAGE_PARA vp = {sizeof vp, ENC};
    BYTE out[64];
    DWORD out_len = sizeof out;
    PCCERT_CONTEXT who = NULL;
    ok = CryptVerifyMessageSignature(&vp, 0, blob, len, out, &out_len, &who);
    printf("verify: %d", ok);
    if (ok) {
        char name[128];
        CertGetNameStringA(who, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, sizeof name);
        printf(", content \"%.*s\", signer \"%s\"\n", (int)out_len - 1, out, name);
        CertFreeCertificateContext(who);
    } else {
        printf(", error %08lx\n", (unsigned long)GetLastError());
    }
    out_len = 3;
    ok = CryptVerifyMessageSignature(&vp, 0, blob, len, out, &out_len, NULL);
    printf("short buffer: %d, error %08lx, size %lu\n", ok, (unsigned long)GetLastError(),
           (unsigned long)out_len);
    out_len = sizeof out;
    ok = CryptVerifyMessageSignature(&vp, 1, blob, len, out, &out_len, &who);
    printf("signer 1: %d, error %08lx, signer %p\n", ok, (unsigned long)GetLastError(),
           (void *)who);
    change_content(blob, len);
    ok = CryptVerifyMessageSignature(&vp, 0, blob, len, NULL, NULL, NULL);
    printf("changed content: %d, error %08lx\n", ok, (unsigned long)GetLastError());
    free(blob);

    DWORD nl;
    BYTE *noattr = load("rsa_noattr.p7", &nl);
    ok = CryptVerifyMessageSignature(&vp, 0, noattr, nl, NULL, NULL, NULL);
    printf("no certificate in the message: %d, error %08lx\n", ok,
           (unsigned long)GetLastError());
    vp.pfnGetSignerCertificate = get_signer;
    vp.pvGetArg = "mine";
    ok = CryptVerifyMessageSignature(&vp, 0, noattr, nl, NULL, NULL, &who);
    printf("with the callback: %d\n", ok);
    if (ok)
        CertFreeCertificateContext(who);
    vp.pfnGetSignerCertificate = NULL;
    free(noattr);

    len = 0;
    result("detached size", CryptSignMessage(&sp, TRUE, 1, pieces, sizes, NULL, &len));
    blob = malloc(len);
    result("detached", CryptSignMessage(&sp, TRUE, 1, pieces, sizes, blob, &len));
    result("verify detached",
           CryptVerifyDetachedMessageSignature(&vp, 0, blob, len, 1, pieces, sizes, NULL));
    const BYTE *other[1] = {(const BYTE *)"other"};
    DWORD other_len[1] = {5};
    ok = CryptVerifyDetachedMessageSignature(&vp, 0, blob, len, 1, other, other_len, NULL);
    printf("verify detached, other content: %d, error %08lx\n", ok,
           (unsigned long)GetLastError());
    free(blob);
    CertFreeCertificateContext(cert);
}

static void query(void)
{
    printf("== CryptQueryObject, CERT_STORE_PROV_MSG\n");
    DWORD len, enc = 0, type = 0, format = 0;
    BYTE *msg = load("rsa_attr.p7", &len);
    CERT_BLOB b = {len, msg};
    HCERTSTORE store = NULL;
    HCRYPTMSG m = NULL;
    BOOL ok = CryptQueryObject(CERT_QUERY_OBJECT_BLOB, &b, CERT_QUERY_CONTENT_FLAG_ALL,
                               CERT_QUERY_FORMAT_FLAG_ALL, 0, &enc, &type, &format, &store, &m,
                               NULL);
    printf("query: %d, encoding %lx, content %lu, message %s\n", ok, (unsigned long)enc,
           (unsigned long)type, m ? "given" : "none");
    if (m) {
        printf("  type %lu, signers %lu\n", (unsigned long)dword_param(m, CMSG_TYPE_PARAM),
               (unsigned long)dword_param(m, CMSG_SIGNER_COUNT_PARAM));
        verify_with(m, "verify", signer_cert);
        HCERTSTORE ms = CertOpenStore(CERT_STORE_PROV_MSG, ENC, 0, 0, m);
        int n = 0;
        for (PCCERT_CONTEXT c = NULL; ms && (c = CertEnumCertificatesInStore(ms, c));)
            n++;
        printf("  message store: %d certificate(s)\n", n);
        CertCloseStore(ms, 0);
        CryptMsgClose(m);
    }
    CertCloseStore(store, 0);
    free(msg);
}

int main(void)
{
    DWORD n;
    BYTE *c = load("content.txt", &content_len);
    memcpy(content, c, content_len);
    free(c);
    BYTE *der = load("signer.der", &n);
    signer_cert = CertCreateCertificateContext(X509_ASN_ENCODING, der, n);
    free(der);
    der = load("ec.der", &n);
    ec_cert = CertCreateCertificateContext(X509_ASN_ENCODING, der, n);
    free(der);
    if (!signer_cert || !ec_cert) {
        printf("no certificates\n");
        return 1;
    }
    data_messages();
    hashed_messages();
    decoded_signed();
    encoded_signed();
    simplified();
    query();
    return 0;
}
