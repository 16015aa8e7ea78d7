/* crypt32's enveloped messages, against openssl both ways. crypt_envelope.gen makes (openssl, at
 * build time) a recipient's RSA key and certificate, a bystander's certificate, and content.txt
 * enveloped for the recipient by `openssl cms -encrypt` (AES-256, AES-128, DES-EDE3; one for
 * the bystander and the recipient) and `openssl smime -encrypt` (PKCS #7, AES-192):
 * - openssl's messages decoded (CryptMsgOpenToDecode): CMSG_TYPE_PARAM, CMSG_RECIPIENT_COUNT_PARAM,
 *   CMSG_RECIPIENT_INFO_PARAM (issuer, serial number), CMSG_ENVELOPE_ALGORITHM_PARAM,
 *   CMSG_INNER_CONTENT_TYPE_PARAM, CMSG_CONTENT_PARAM before the decryption (fails),
 *   CMSG_CTRL_DECRYPT with the recipient's NCrypt key (NCryptImportKey of the
 *   BCRYPT_RSAPRIVATE_BLOB, dwKeySpec CERT_NCRYPT_KEY_SPEC), then the content and
 *   CMSG_RECIPIENT_INDEX_PARAM; a second CMSG_CTRL_DECRYPT (CRYPT_E_ALREADY_DECRYPTED), a
 *   recipient index past the last (CRYPT_E_INVALID_INDEX), the wrong recipient's slot (the key
 *   does not open it: fails); RSAES-OAEP key transport (SHA-1, SHA-256) the same way.
 * - CryptDecryptMessage with a store holding the certificate and its
 *   CERT_NCRYPT_KEY_HANDLE_PROP_ID: the content (the size asked first) and the exchange
 *   certificate; a store without it (CRYPT_E_NO_DECRYPT_CERT).
 * - CMS recipients (cms_keyid.p7, cms_kek.p7): CMSG_CMS_RECIPIENT_COUNT_PARAM,
 *   CMSG_CMS_RECIPIENT_INFO_PARAM of a key-transport recipient named by its subject key
 *   identifier (version 2, CERT_ID_KEY_IDENTIFIER) and of a KEK recipient (version 4, its key
 *   id, id-aes128-wrap); CMSG_CTRL_KEY_TRANS_DECRYPT with the NCrypt key, CryptDecryptMessage
 *   finding the certificate by its key identifier; CMSG_CTRL_MAIL_LIST_DECRYPT with the KEK as
 *   a CryptoAPI AES key (another key fails, so does CMSG_CTRL_DECRYPT on that recipient), then
 *   CMSG_CMS_RECIPIENT_INDEX_PARAM.
 * - Encoded here: CryptMsgOpenToEncode(CMSG_ENVELOPED) with AES-256 (CMSG_BARE_CONTENT_PARAM
 *   the EnvelopedData inside CMSG_CONTENT_PARAM's, the same bytes) and CryptEncryptMessage
 *   with AES-128 and DES-EDE3 for the recipient (and the bystander), each decrypted again here;
 *   an unknown content-encryption algorithm (RC4: CRYPT_E_UNKNOWN_ALGO).
 * - CMS recipients encoded here (CMSG_ENVELOPED_ENCODE_INFO's rgCmsRecipients): key transport
 *   by subject key identifier (ntrun_cms_keyid.p7), RSAES-OAEP with the default parameters and
 *   with SHA-256 (ntrun_cms_oaep.p7, ntrun_cms_oaep256.p7), a KEK recipient with a CryptoAPI AES-128
 *   key, id-aes128-wrap and a date (ntrun_cms_kek.p7), and both with a key-transport recipient
 *   by issuer and serial number, the certificate in originatorInfo and an unprotected attribute
 *   (ntrun_cms_mixed.p7): CMSG_VERSION_PARAM (2), the recipients read back (and
 *   CMSG_CERT_COUNT/CERT/CRL_COUNT_PARAM, CMSG_UNPROTECTED_ATTR_PARAM), each decrypted
 *   again here (CryptDecryptMessage, CMSG_CTRL_MAIL_LIST_DECRYPT). Refused: rgpRecipients and
 *   rgCmsRecipients both, a NULL pKeyTrans, an unknown recipient choice, a KEK whose size is not
 *   the wrap's. With the argument
 *   "write DIR" the messages are written there, and tests/cli/crypt-envelope-openssl.sh has
 *   `openssl cms -decrypt` open them.
 * Expected output: Microsoft's pages of these functions and RFC 5652; not checked on Windows:
 * CMSG_CONTENT_PARAM before the decryption (ntrun fails with CRYPT_E_INVALID_MSG_TYPE, as Wine
 * does). Wine 8.0 decrypts only with CryptoAPI keys (no NCrypt key property). */
#define CMSG_ENVELOPED_ENCODE_INFO_HAS_CMS_FIELDS
#define FOLDER "crypt_envelope"
#include "crypt_files.h"
#include "crypt_envelope_common.h"
#define AES256 "2.16.840.1.101.3.4.1.42"
#define AES128 "2.16.840.1.101.3.4.1.2"
#define DES3 "1.2.840.113549.3.7"

static void decode(const char *name)
{
    DWORD len, n;
    BYTE *msg = load(name, &len), buf[4096];
    printf("-- %s\n", name);
    HCRYPTMSG m = CryptMsgOpenToDecode(ENC, 0, 0, 0, NULL, NULL);
    result("update", CryptMsgUpdate(m, msg, len, TRUE));
    DWORD type = 0, count = 0;
    n = sizeof type;
    CryptMsgGetParam(m, CMSG_TYPE_PARAM, 0, &type, &n);
    n = sizeof count;
    CryptMsgGetParam(m, CMSG_RECIPIENT_COUNT_PARAM, 0, &count, &n);
    printf("type %lu, recipients %lu\n", type, count);
    DWORD mine = count;
    for (DWORD i = 0; i < count; i++) {
        n = sizeof buf;
        if (!CryptMsgGetParam(m, CMSG_RECIPIENT_INFO_PARAM, i, buf, &n)) {
            result("recipient info", FALSE);
            continue;
        }
        CERT_INFO *ci = (CERT_INFO *)buf;
        char issuer[256];
        CertNameToStrA(X509_ASN_ENCODING, &ci->Issuer, CERT_X500_NAME_STR, issuer, sizeof issuer);
        printf("recipient %lu: %s, serial", i, issuer);
        for (DWORD k = ci->SerialNumber.cbData; k; k--)
            printf(" %02x", ci->SerialNumber.pbData[k - 1]);
        printf("\n");
        if (CertCompareCertificate(X509_ASN_ENCODING, ci, recip->pCertInfo))
            mine = i;
    }
    n = sizeof buf;
    if (CryptMsgGetParam(m, CMSG_ENVELOPE_ALGORITHM_PARAM, 0, buf, &n))
        printf("algorithm %s, %lu parameter bytes\n",
               ((CRYPT_ALGORITHM_IDENTIFIER *)buf)->pszObjId,
               ((CRYPT_ALGORITHM_IDENTIFIER *)buf)->Parameters.cbData);
    n = sizeof buf;
    if (CryptMsgGetParam(m, CMSG_INNER_CONTENT_TYPE_PARAM, 0, buf, &n))
        printf("inner content type %s\n", (char *)buf);
    n = sizeof buf;
    result("content before the decryption", CryptMsgGetParam(m, CMSG_CONTENT_PARAM, 0, buf, &n));
    CMSG_CTRL_DECRYPT_PARA dp = {sizeof dp};
    dp.hNCryptKey = key;
    dp.dwKeySpec = CERT_NCRYPT_KEY_SPEC;
    dp.dwRecipientIndex = count;
    result("decrypt past the last recipient", CryptMsgControl(m, 0, CMSG_CTRL_DECRYPT, &dp));
    if (mine != 0) {
        dp.dwRecipientIndex = 0;
        printf("decrypt the bystander's slot: %s\n",
               CryptMsgControl(m, 0, CMSG_CTRL_DECRYPT, &dp) ? "opens (wrong)" : "fails");
    }
    dp.dwRecipientIndex = mine;
    result("decrypt", CryptMsgControl(m, 0, CMSG_CTRL_DECRYPT, &dp));
    n = 0;
    CryptMsgGetParam(m, CMSG_CONTENT_PARAM, 0, NULL, &n);
    DWORD need = n;
    n = sizeof buf;
    if (CryptMsgGetParam(m, CMSG_CONTENT_PARAM, 0, buf, &n) && n == need)
        show_content("content", buf, n);
    DWORD index = 99;
    n = sizeof index;
    CryptMsgGetParam(m, CMSG_RECIPIENT_INDEX_PARAM, 0, &index, &n);
    printf("recipient index %lu\n", index);
    result("decrypt again", CryptMsgControl(m, 0, CMSG_CTRL_DECRYPT, &dp));
    CryptMsgClose(m);
    free(msg);
}

/* A CMS recipient (CMSG_CMS_RECIPIENT_INFO_PARAM): key transport or KEK */
static void show_cms_recipient(HCRYPTMSG m, DWORD i, BYTE *buf, DWORD size)
{
    DWORD n = size;
    if (!CryptMsgGetParam(m, CMSG_CMS_RECIPIENT_INFO_PARAM, i, buf, &n)) {
        result("CMS recipient info", FALSE);
        return;
    }
    CMSG_CMS_RECIPIENT_INFO *ri = (CMSG_CMS_RECIPIENT_INFO *)buf;
    if (ri->dwRecipientChoice == CMSG_KEY_TRANS_RECIPIENT) {
        CMSG_KEY_TRANS_RECIPIENT_INFO *kt = ri->pKeyTrans;
        BYTE kid[64];
        DWORD kn = sizeof kid;
        CertGetCertificateContextProperty(recip, CERT_KEY_IDENTIFIER_PROP_ID, kid, &kn);
        CRYPT_HASH_BLOB *id = &kt->RecipientId.KeyId;
        CERT_ISSUER_SERIAL_NUMBER *is = &kt->RecipientId.IssuerSerialNumber;
        printf("recipient %lu: key transport, version %lu, id choice %lu (%s), %s, encrypted key %lu "
               "bytes\n", i, kt->dwVersion, kt->RecipientId.dwIdChoice,
               kt->RecipientId.dwIdChoice == CERT_ID_KEY_IDENTIFIER && id->cbData == kn &&
                       !memcmp(id->pbData, kid, kn)
                   ? "the recipient's key identifier"
               : kt->RecipientId.dwIdChoice == CERT_ID_ISSUER_SERIAL_NUMBER &&
                       CertCompareCertificateName(X509_ASN_ENCODING, &is->Issuer,
                                                  &recip->pCertInfo->Issuer) &&
                       CertCompareIntegerBlob(&is->SerialNumber, &recip->pCertInfo->SerialNumber)
                   ? "the recipient's issuer and serial number"
                   : "other",
               kt->KeyEncryptionAlgorithm.pszObjId, kt->EncryptedKey.cbData);
    } else if (ri->dwRecipientChoice == CMSG_MAIL_LIST_RECIPIENT) {
        CMSG_MAIL_LIST_RECIPIENT_INFO *ml = ri->pMailList;
        printf("recipient %lu: mail list, version %lu, key id \"%.*s\", %s, encrypted key %lu "
               "bytes, date %s\n", i, ml->dwVersion, (int)ml->KeyId.cbData,
               (const char *)ml->KeyId.pbData, ml->KeyEncryptionAlgorithm.pszObjId,
               ml->EncryptedKey.cbData,
               ml->Date.dwLowDateTime || ml->Date.dwHighDateTime ? "set" : "none");
    } else {
        printf("recipient %lu: choice %lu\n", i, ri->dwRecipientChoice);
    }
}

static void show_decrypted(HCRYPTMSG m)
{
    BYTE buf[512];
    DWORD n = sizeof buf, index = 99, in = sizeof index;
    if (CryptMsgGetParam(m, CMSG_CONTENT_PARAM, 0, buf, &n))
        show_content("content", buf, n);
    CryptMsgGetParam(m, CMSG_CMS_RECIPIENT_INDEX_PARAM, 0, &index, &in);
    printf("CMS recipient index %lu\n", index);
}

static HCRYPTMSG open_decode(const char *name, BYTE **msg, DWORD *len)
{
    *msg = load(name, len);
    printf("-- %s\n", name);
    HCRYPTMSG m = CryptMsgOpenToDecode(ENC, 0, 0, 0, NULL, NULL);
    result("update", CryptMsgUpdate(m, *msg, *len, TRUE));
    DWORD count = 0, n = sizeof count;
    CryptMsgGetParam(m, CMSG_CMS_RECIPIENT_COUNT_PARAM, 0, &count, &n);
    printf("CMS recipients %lu\n", count);
    return m;
}

/* Recipients openssl names by subject key identifier and by a key-encryption key (KEK):
 * CMSG_CTRL_KEY_TRANS_DECRYPT with the NCrypt key, CryptDecryptMessage finding the
 * certificate by its key identifier; CMSG_CTRL_MAIL_LIST_DECRYPT with a CryptoAPI AES key (a
 * wrong one fails; CMSG_CTRL_DECRYPT, for key transport, fails on a KEK recipient) */
static void cms_recipients(HCERTSTORE with)
{
    BYTE *msg, buf[4096];
    DWORD len;
    HCRYPTMSG m = open_decode("cms_keyid.p7", &msg, &len);
    show_cms_recipient(m, 0, buf, sizeof buf);
    CMSG_CTRL_KEY_TRANS_DECRYPT_PARA kp = {sizeof kp};
    kp.hNCryptKey = key;
    kp.dwKeySpec = CERT_NCRYPT_KEY_SPEC;
    kp.pKeyTrans = ((CMSG_CMS_RECIPIENT_INFO *)buf)->pKeyTrans;
    result("CMSG_CTRL_KEY_TRANS_DECRYPT", CryptMsgControl(m, 0, CMSG_CTRL_KEY_TRANS_DECRYPT, &kp));
    show_decrypted(m);
    CryptMsgClose(m);
    decrypt_message("CryptDecryptMessage by key identifier", msg, len, with);
    free(msg);

    m = open_decode("cms_kek.p7", &msg, &len);
    show_cms_recipient(m, 0, buf, sizeof buf);
    CMSG_CTRL_DECRYPT_PARA dp = {sizeof dp};
    dp.hNCryptKey = key;
    dp.dwKeySpec = CERT_NCRYPT_KEY_SPEC;
    printf("CMSG_CTRL_DECRYPT of the KEK recipient: %s\n",
           CryptMsgControl(m, 0, CMSG_CTRL_DECRYPT, &dp) ? "opens (wrong)" : "fails");
    HCRYPTPROV prov = 0;
    HCRYPTKEY kek = 0, wrong = 0;
    struct {
        BLOBHEADER hdr;
        DWORD len;
        BYTE key[16];
    } blob = {{PLAINTEXTKEYBLOB, CUR_BLOB_VERSION, 0, CALG_AES_128}, 16};
    BOOL ok = CryptAcquireContextW(&prov, NULL, NULL, PROV_RSA_AES, CRYPT_VERIFYCONTEXT);
    memset(blob.key, 0xee, 16);
    ok = ok && CryptImportKey(prov, (BYTE *)&blob, sizeof blob, 0, 0, &wrong);
    for (int i = 0; i < 16; i++)
        blob.key[i] = (BYTE)i;
    ok = ok && CryptImportKey(prov, (BYTE *)&blob, sizeof blob, 0, 0, &kek);
    result("import the KEK", ok);
    CMSG_CTRL_MAIL_LIST_DECRYPT_PARA mp = {sizeof mp};
    mp.hCryptProv = prov;
    mp.pMailList = ((CMSG_CMS_RECIPIENT_INFO *)buf)->pMailList;
    mp.dwKeyChoice = CMSG_MAIL_LIST_HANDLE_KEY_CHOICE;
    mp.hKeyEncryptionKey = wrong;
    printf("CMSG_CTRL_MAIL_LIST_DECRYPT with another key: %s\n",
           CryptMsgControl(m, 0, CMSG_CTRL_MAIL_LIST_DECRYPT, &mp) ? "opens (wrong)" : "fails");
    mp.hKeyEncryptionKey = kek;
    result("CMSG_CTRL_MAIL_LIST_DECRYPT", CryptMsgControl(m, 0, CMSG_CTRL_MAIL_LIST_DECRYPT, &mp));
    show_decrypted(m);
    CryptMsgClose(m);
    free(msg);
    CryptDestroyKey(kek);
    CryptDestroyKey(wrong);
    CryptReleaseContext(prov, 0);
}

/* CryptEncryptMessage for the certificates with the algorithm; decrypted again; saved */
static void encrypt(const char *alg, PCCERT_CONTEXT *to, DWORD nto, HCERTSTORE store,
                    const char *dir, const char *file)
{
    CRYPT_ENCRYPT_MESSAGE_PARA ep = {sizeof ep, ENC};
    ep.ContentEncryptionAlgorithm.pszObjId = (char *)alg;
    DWORD n = 0;
    BYTE out[4096];
    printf("-- CryptEncryptMessage %s for %lu\n", alg, nto);
    if (!CryptEncryptMessage(&ep, nto, to, content, content_len, NULL, &n)) {
        result("size", FALSE);
        return;
    }
    DWORD need = n;
    n = sizeof out;
    result("encrypt", CryptEncryptMessage(&ep, nto, to, content, content_len, out, &n));
    printf("size asked %s the size written\n", need >= n ? "covers" : "is short of");
    decrypt_message("decrypted again", out, n, store);
    if (dir)
        save(dir, file, out, n);
}

static BOOL quiet; /* the refusals' errors are not printed (not checked on Windows) */

/* An enveloped message for the CMS recipients encoded; NULL (the error printed) when refused */
static BYTE *encode_with(CMSG_ENVELOPED_ENCODE_INFO *ei, DWORD *len)
{
    HCRYPTMSG m = CryptMsgOpenToEncode(ENC, 0, CMSG_ENVELOPED, ei, NULL, NULL);
    BYTE *out = malloc(4096);
    *len = 4096;
    BOOL ok = m && CryptMsgUpdate(m, content, content_len, TRUE) &&
              CryptMsgGetParam(m, CMSG_CONTENT_PARAM, 0, out, len);
    if (!ok && !quiet)
        printf("encode: error %08lx\n", GetLastError());
    if (!ok) {
        free(out);
        out = NULL;
    }
    if (m)
        CryptMsgClose(m);
    return out;
}

/* The CMS message read back: version, recipients; decrypted for recipient `which` (key
 * transport through CryptDecryptMessage, KEK with CMSG_CTRL_MAIL_LIST_DECRYPT) */
static void read_back(const BYTE *msg, DWORD len, HCERTSTORE with, HCRYPTPROV prov,
                      HCRYPTKEY kek)
{
    BYTE buf[4096];
    HCRYPTMSG m = CryptMsgOpenToDecode(ENC, 0, 0, 0, NULL, NULL);
    result("decode", CryptMsgUpdate(m, msg, len, TRUE));
    DWORD version = 99, count = 0, n = sizeof version;
    CryptMsgGetParam(m, CMSG_VERSION_PARAM, 0, &version, &n);
    n = sizeof count;
    CryptMsgGetParam(m, CMSG_CMS_RECIPIENT_COUNT_PARAM, 0, &count, &n);
    printf("version %lu, CMS recipients %lu\n", version, count);
    int kek_at = -1, trans = 0;
    for (DWORD i = 0; i < count; i++) {
        show_cms_recipient(m, i, buf, sizeof buf);
        n = sizeof buf;
        if (CryptMsgGetParam(m, CMSG_CMS_RECIPIENT_INFO_PARAM, i, buf, &n)) {
            if (((CMSG_CMS_RECIPIENT_INFO *)buf)->dwRecipientChoice == CMSG_MAIL_LIST_RECIPIENT)
                kek_at = (int)i;
            else
                trans++;
        }
    }
    DWORD certs = 99, crls = 99;
    n = sizeof certs;
    CryptMsgGetParam(m, CMSG_CERT_COUNT_PARAM, 0, &certs, &n);
    n = sizeof crls;
    CryptMsgGetParam(m, CMSG_CRL_COUNT_PARAM, 0, &crls, &n);
    n = sizeof buf;
    BOOL cert0 = certs && certs != 99 && CryptMsgGetParam(m, CMSG_CERT_PARAM, 0, buf, &n) &&
                 n == recip->cbCertEncoded && !memcmp(buf, recip->pbCertEncoded, n);
    printf("originator's certificates %lu%s, CRLs %lu\n", certs,
           cert0 ? " (the recipient's)" : "", crls);
    n = sizeof buf;
    if (CryptMsgGetParam(m, CMSG_UNPROTECTED_ATTR_PARAM, 0, buf, &n)) {
        CRYPT_ATTRIBUTES *ua = (CRYPT_ATTRIBUTES *)buf;
        printf("unprotected attributes %lu: %s, %lu value(s) of %lu bytes\n", ua->cAttr,
               ua->cAttr ? ua->rgAttr[0].pszObjId : "-", ua->cAttr ? ua->rgAttr[0].cValue : 0,
               ua->cAttr && ua->rgAttr[0].cValue ? ua->rgAttr[0].rgValue[0].cbData : 0);
    } else {
        printf("unprotected attributes: none\n");
    }
    n = sizeof buf;
    CRYPT_ALGORITHM_IDENTIFIER *alg = (CRYPT_ALGORITHM_IDENTIFIER *)buf;
    if (CryptMsgGetParam(m, CMSG_ENVELOPE_ALGORITHM_PARAM, 0, buf, &n))
        printf("algorithm %s\n", alg->pszObjId);
    if (kek_at >= 0) {
        n = sizeof buf;
        CryptMsgGetParam(m, CMSG_CMS_RECIPIENT_INFO_PARAM, kek_at, buf, &n);
        CMSG_CTRL_MAIL_LIST_DECRYPT_PARA mp = {sizeof mp};
        mp.hCryptProv = prov;
        mp.pMailList = ((CMSG_CMS_RECIPIENT_INFO *)buf)->pMailList;
        mp.dwRecipientIndex = kek_at;
        mp.dwKeyChoice = CMSG_MAIL_LIST_HANDLE_KEY_CHOICE;
        mp.hKeyEncryptionKey = kek;
        result("CMSG_CTRL_MAIL_LIST_DECRYPT",
               CryptMsgControl(m, 0, CMSG_CTRL_MAIL_LIST_DECRYPT, &mp));
        show_decrypted(m);
    }
    CryptMsgClose(m);
    if (trans)
        decrypt_message("CryptDecryptMessage", msg, len, with);
}

/* rgCmsRecipients: key transport by key identifier and by issuer and serial, KEK; each message
 * read back here, and saved for tests/cli/crypt-envelope-openssl.sh */
static void encode_cms(HCERTSTORE with, const char *dir)
{
    BYTE kid[64];
    DWORD kn = sizeof kid, len;
    CertGetCertificateContextProperty(recip, CERT_KEY_IDENTIFIER_PROP_ID, kid, &kn);
    CMSG_KEY_TRANS_RECIPIENT_ENCODE_INFO by_kid = {sizeof by_kid}, by_serial;
    by_kid.KeyEncryptionAlgorithm.pszObjId = szOID_RSA_RSA;
    by_kid.RecipientPublicKey = recip->pCertInfo->SubjectPublicKeyInfo.PublicKey;
    by_kid.RecipientId.dwIdChoice = CERT_ID_KEY_IDENTIFIER;
    by_kid.RecipientId.KeyId.cbData = kn;
    by_kid.RecipientId.KeyId.pbData = kid;
    by_serial = by_kid;
    by_serial.RecipientId.dwIdChoice = CERT_ID_ISSUER_SERIAL_NUMBER;
    by_serial.RecipientId.IssuerSerialNumber.Issuer = recip->pCertInfo->Issuer;
    by_serial.RecipientId.IssuerSerialNumber.SerialNumber = recip->pCertInfo->SerialNumber;

    HCRYPTPROV prov = 0;
    HCRYPTKEY kek = 0;
    struct {
        BLOBHEADER hdr;
        DWORD len;
        BYTE key[16];
    } blob = {{PLAINTEXTKEYBLOB, CUR_BLOB_VERSION, 0, CALG_AES_128}, 16};
    for (int i = 0; i < 16; i++)
        blob.key[i] = (BYTE)i;
    result("import the KEK", CryptAcquireContextW(&prov, NULL, NULL, PROV_RSA_AES,
                                                  CRYPT_VERIFYCONTEXT) &&
                                 CryptImportKey(prov, (BYTE *)&blob, sizeof blob, 0, 0, &kek));
    CMSG_MAIL_LIST_RECIPIENT_ENCODE_INFO ml = {sizeof ml};
    ml.KeyEncryptionAlgorithm.pszObjId = szOID_NIST_AES128_WRAP;
    ml.hCryptProv = prov;
    ml.dwKeyChoice = CMSG_MAIL_LIST_HANDLE_KEY_CHOICE;
    ml.hKeyEncryptionKey = kek;
    ml.KeyId.cbData = 9;
    ml.KeyId.pbData = (BYTE *)"ntrun-kek";
    SYSTEMTIME st = {2026, 12, 0, 6, 21, 0, 0, 0};
    SystemTimeToFileTime(&st, &ml.Date);

    CMSG_RECIPIENT_ENCODE_INFO rs[3] = {{CMSG_KEY_TRANS_RECIPIENT}, {CMSG_MAIL_LIST_RECIPIENT},
                                        {CMSG_KEY_TRANS_RECIPIENT}};
    rs[0].pKeyTrans = &by_kid;
    rs[1].pMailList = &ml;
    rs[2].pKeyTrans = &by_serial;
    CMSG_ENVELOPED_ENCODE_INFO ei = {sizeof ei};
    ei.ContentEncryptionAlgorithm.pszObjId = AES256;
    ei.cRecipients = 1;
    ei.rgCmsRecipients = rs;
    printf("-- rgCmsRecipients: key transport by key identifier\n");
    BYTE *msg = encode_with(&ei, &len);
    if (msg) {
        read_back(msg, len, with, prov, kek);
        if (dir)
            save(dir, "ntrun_cms_keyid.p7", msg, len);
        free(msg);
    }
    printf("-- rgCmsRecipients: KEK\n");
    ei.ContentEncryptionAlgorithm.pszObjId = AES128;
    ei.rgCmsRecipients = rs + 1;
    if ((msg = encode_with(&ei, &len))) {
        read_back(msg, len, with, prov, kek);
        if (dir)
            save(dir, "ntrun_cms_kek.p7", msg, len);
        free(msg);
    }
    /* RSAES-OAEP: no parameters (RFC 4055's defaults: SHA-1, MGF1 with SHA-1) and
     * RSAES-OAEP-params of SHA-256 with MGF1 over SHA-256 */
    static BYTE oaep256[] = {
        0x30, 0x2f, 0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
        0x04, 0x02, 0x01, 0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48,
        0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
        0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00};
    CMSG_KEY_TRANS_RECIPIENT_ENCODE_INFO oaep = by_serial;
    oaep.KeyEncryptionAlgorithm.pszObjId = szOID_RSAES_OAEP;
    CMSG_RECIPIENT_ENCODE_INFO ro = {CMSG_KEY_TRANS_RECIPIENT};
    ro.pKeyTrans = &oaep;
    ei.ContentEncryptionAlgorithm.pszObjId = AES256;
    ei.rgCmsRecipients = &ro;
    for (int k = 0; k < 2; k++) {
        printf("-- rgCmsRecipients: key transport with RSAES-OAEP, %s\n",
               k ? "SHA-256" : "no parameters");
        if (k) {
            oaep.KeyEncryptionAlgorithm.Parameters.cbData = sizeof oaep256;
            oaep.KeyEncryptionAlgorithm.Parameters.pbData = oaep256;
        }
        if ((msg = encode_with(&ei, &len))) {
            read_back(msg, len, with, prov, kek);
            if (dir)
                save(dir, k ? "ntrun_cms_oaep256.p7" : "ntrun_cms_oaep.p7", msg, len);
            free(msg);
        }
    }
    printf("-- rgCmsRecipients: all three, a certificate, an unprotected attribute\n");
    BYTE when[] = {0x17, 0x0d, '2', '6', '1', '2', '0', '6', '2', '1', '0', '0', '0', '0', 'Z'};
    CRYPT_ATTR_BLOB val = {sizeof when, when};
    CRYPT_ATTRIBUTE attr = {szOID_RSA_signingTime, 1, &val};
    CERT_BLOB cert = {recip->cbCertEncoded, recip->pbCertEncoded};
    ei.ContentEncryptionAlgorithm.pszObjId = AES256;
    ei.cRecipients = 3;
    ei.rgCmsRecipients = rs;
    ei.cCertEncoded = 1;
    ei.rgCertEncoded = &cert;
    ei.cUnprotectedAttr = 1;
    ei.rgUnprotectedAttr = &attr;
    if ((msg = encode_with(&ei, &len))) {
        read_back(msg, len, with, prov, kek);
        if (dir)
            save(dir, "ntrun_cms_mixed.p7", msg, len);
        free(msg);
    }
    printf("-- rgCmsRecipients refused\n");
    quiet = TRUE;
    PCERT_INFO infos[1] = {recip->pCertInfo};
    ei.rgpRecipients = infos;
    ei.cRecipients = 1;
    printf("rgpRecipients and rgCmsRecipients: %s\n",
           (msg = encode_with(&ei, &len)) ? "encoded (wrong)" : "refused");
    free(msg);
    ei.rgpRecipients = NULL;
    ei.cCertEncoded = ei.cUnprotectedAttr = 0;
    CMSG_RECIPIENT_ENCODE_INFO bad = {CMSG_KEY_TRANS_RECIPIENT};
    ei.rgCmsRecipients = &bad;
    printf("a NULL pKeyTrans: %s\n", (msg = encode_with(&ei, &len)) ? "encoded (wrong)" : "refused");
    free(msg);
    bad.dwRecipientChoice = 9;
    bad.pKeyTrans = &by_kid;
    printf("recipient choice 9: %s\n", (msg = encode_with(&ei, &len)) ? "encoded (wrong)" : "refused");
    free(msg);
    ml.KeyEncryptionAlgorithm.pszObjId = szOID_NIST_AES256_WRAP;
    ei.rgCmsRecipients = rs + 1;
    printf("an AES-128 KEK with id-aes256-wrap: %s\n",
           (msg = encode_with(&ei, &len)) ? "encoded (wrong)" : "refused");
    free(msg);
    CryptDestroyKey(kek);
    CryptReleaseContext(prov, 0);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 2 && !strcmp(argv[1], "write") ? argv[2] : NULL;
    NCRYPT_PROV_HANDLE prov = envelope_setup("recip.der", "recip.blob", BCRYPT_RSAPRIVATE_BLOB, "key");
    DWORD len, n;

    decode("cms_aes256.p7");
    decode("cms_aes128.p7");
    decode("cms_des3.p7");
    decode("cms_two.p7");
    decode("smime.p7");
    decode("cms_oaep.p7");
    decode("cms_oaep256.p7");

    HCERTSTORE with = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    HCERTSTORE without = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    PCCERT_CONTEXT added = NULL;
    CertAddCertificateContextToStore(with, recip, CERT_STORE_ADD_ALWAYS, &added);
    result("set CERT_NCRYPT_KEY_HANDLE_PROP_ID",
           CertSetCertificateContextProperty(added, CERT_NCRYPT_KEY_HANDLE_PROP_ID, 0, &key));
    CertAddCertificateContextToStore(without, other, CERT_STORE_ADD_ALWAYS, NULL);
    const char *names[] = {"cms_aes256.p7", "cms_des3.p7", "cms_two.p7", "smime.p7"};
    for (int i = 0; i < 4; i++) {
        BYTE *msg = load(names[i], &len);
        decrypt_message(names[i], msg, len, with);
        if (i == 0) {
            CRYPT_DECRYPT_MESSAGE_PARA dp = {sizeof dp, ENC, 1, &without};
            DWORD k = 0;
            result("CryptDecryptMessage, no recipient's certificate in the store",
                   CryptDecryptMessage(&dp, msg, len, NULL, &k, NULL));
        }
        free(msg);
    }

    cms_recipients(with);

    /* encoded here */
    CMSG_ENVELOPED_ENCODE_INFO ei = {sizeof ei};
    ei.ContentEncryptionAlgorithm.pszObjId = AES256;
    PCERT_INFO infos[1] = {recip->pCertInfo};
    ei.cRecipients = 1;
    ei.rgpRecipients = infos;
    printf("-- CryptMsgOpenToEncode CMSG_ENVELOPED %s\n", AES256);
    HCRYPTMSG m = CryptMsgOpenToEncode(ENC, 0, CMSG_ENVELOPED, &ei, NULL, NULL);
    result("open", m != NULL);
    result("update", CryptMsgUpdate(m, content, content_len, TRUE));
    BYTE out[4096];
    n = sizeof out;
    result("content", CryptMsgGetParam(m, CMSG_CONTENT_PARAM, 0, out, &n));
    BYTE bare[4096];
    DWORD nb = sizeof bare;
    BOOL inside = CryptMsgGetParam(m, CMSG_BARE_CONTENT_PARAM, 0, bare, &nb) && nb < n;
    for (DWORD i = 0; inside && i + nb <= n; i++)
        if (!memcmp(out + i, bare, nb))
            inside = 2;
    printf("bare content: %s\n", inside == 2 ? "the EnvelopedData inside the content" : "other");
    CryptMsgClose(m);
    decrypt_message("decrypted again", out, n, with);
    if (dir)
        save(dir, "ntrun_aes256.p7", out, n);
    ei.ContentEncryptionAlgorithm.pszObjId = szOID_RSA_RC4;
    m = CryptMsgOpenToEncode(ENC, 0, CMSG_ENVELOPED, &ei, NULL, NULL);
    BOOL ok = m && CryptMsgUpdate(m, content, content_len, TRUE);
    result("RC4", ok);
    if (m)
        CryptMsgClose(m);

    PCCERT_CONTEXT both[2] = {other, recip};
    encrypt(AES128, &recip, 1, with, dir, "ntrun_aes128.p7");
    encrypt(DES3, both, 2, with, dir, "ntrun_des3_two.p7");

    encode_cms(with, dir);

    CertFreeCertificateContext(added);
    CertCloseStore(with, 0);
    CertCloseStore(without, 0);
    CertFreeCertificateContext(recip);
    CertFreeCertificateContext(other);
    NCryptFreeObject(key);
    NCryptFreeObject(prov);
    return 0;
}
