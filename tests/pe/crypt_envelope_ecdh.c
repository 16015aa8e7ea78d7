/* crypt32's key-agreement (ECDH) recipients of enveloped messages, against openssl.
 * crypt_envelope_ecdh.gen makes (openssl, at build time) a recipient's P-256 key and
 * certificate, a bystander's certificate, and content.txt enveloped by `openssl cms -encrypt`
 * to the EC certificates (KeyAgreeRecipientInfo, RFC 5753: an ephemeral originator key,
 * dhSinglePass-stdDH-sha1kdf or -sha256kdf, AES key wrap):
 * - CMSG_CMS_RECIPIENT_COUNT_PARAM and CMSG_CMS_RECIPIENT_INFO_PARAM of each recipient:
 *   CMSG_KEY_AGREE_RECIPIENT, version 3, the originator's public key (id-ecPublicKey, the
 *   65-byte point), no user keying material, the key-encryption algorithm (the scheme, its
 *   parameters the key wrap's AlgorithmIdentifier), the encrypted keys with their recipient ids
 *   (issuer and serial number, or subject key identifier with -keyid).
 * - CMSG_CTRL_KEY_AGREE_DECRYPT with the recipient's NCrypt ECDH key (NCryptImportKey of the
 *   BCRYPT_ECCPRIVATE_BLOB, CERT_NCRYPT_KEY_SPEC) and the originator's public key from the
 *   recipient info: the content, CMSG_CMS_RECIPIENT_INDEX_PARAM and
 *   CMSG_CMS_RECIPIENT_ENCRYPTED_KEY_INDEX_PARAM; again (CRYPT_E_ALREADY_DECRYPTED); an encrypted
 *   key index past the last (CRYPT_E_INVALID_INDEX); the bystander's recipient (fails); another
 *   originator key (fails); CMSG_CTRL_KEY_TRANS_DECRYPT on a key-agreement recipient (fails).
 * - CryptDecryptMessage with a store holding the certificate and its
 *   CERT_NCRYPT_KEY_HANDLE_PROP_ID, for each message.
 * - Malformed messages: the originator's point damaged (not a point, not on the curve), the
 *   scheme's OID changed, the encrypted key changed, an encrypted key's length past its
 *   element: each fails without a crash; then every byte of a message changed in turn and
 *   every truncation decoded, the recipients read and the decryption tried (no crash).
 * - Encoded here (rgCmsRecipients, CMSG_KEY_AGREE_RECIPIENT_ENCODE_INFO with an ephemeral
 *   key): dhSinglePass-stdDH-sha256kdf with id-aes256-wrap to the recipient by issuer and serial
 *   number (ntrun_ecdh_sha256.p7); dhSinglePass-stdDH-sha1kdf with id-aes128-wrap, user keying
 *   material, and two encrypted keys: the bystander's and the recipient's by key identifier
 *   (ntrun_ecdh_two.p7); each read back and decrypted here. With a static sender key
 *   (CMSG_KEY_AGREE_STATIC_KEY_CHOICE: an NCrypt ECDH key made here, named by key identifier;
 *   the recipient's own key, named by its certificate's issuer and serial number,
 *   ntrun_ecdh_static_ias.p7): the originator is that id, CMSG_CTRL_KEY_AGREE_DECRYPT fails
 *   without the sender's public key and gives the content with it; a static key without
 *   pSenderId and a CryptoAPI one refused. With the argument "write DIR" the
 *   messages are written there, and tests/cli/crypt-envelope-ecdh-openssl.sh has
 *   `openssl cms -decrypt` open them with the recipient's key.
 * Expected output: Microsoft's pages of these functions and RFC 5652/5753; not checked on
 * Windows. Wine 8.0 does not implement key-agreement recipients. */
#define CMSG_ENVELOPED_ENCODE_INFO_HAS_CMS_FIELDS
#define FOLDER "crypt_envelope_ecdh"
#include "crypt_files.h"
#include "crypt_envelope_common.h"

/* Whether a CERT_ID names the recipient's certificate (issuer and serial, or key id) */
static const char *names(CERT_ID *id)
{
    BYTE kid[64];
    DWORD kn = sizeof kid;
    if (id->dwIdChoice == CERT_ID_ISSUER_SERIAL_NUMBER)
        return CertCompareCertificateName(X509_ASN_ENCODING, &id->IssuerSerialNumber.Issuer,
                                          &recip->pCertInfo->Issuer) &&
                       CertCompareIntegerBlob(&id->IssuerSerialNumber.SerialNumber,
                                              &recip->pCertInfo->SerialNumber)
                   ? "the recipient's issuer and serial"
                   : "another issuer and serial";
    if (id->dwIdChoice == CERT_ID_KEY_IDENTIFIER &&
        CertGetCertificateContextProperty(recip, CERT_KEY_IDENTIFIER_PROP_ID, kid, &kn))
        return id->KeyId.cbData == kn && !memcmp(id->KeyId.pbData, kid, kn)
                   ? "the recipient's key identifier"
                   : "another key identifier";
    return "other";
}

/* Recipient i's info; *k set to its encrypted key for the recipient (or -1); printed when
 * `print` (a message's recipients come in the order of their DER, which the random
 * originator keys decide: they are printed the recipient's first) */
static CMSG_KEY_AGREE_RECIPIENT_INFO *show_recipient(HCRYPTMSG m, DWORD i, BYTE *buf, DWORD size,
                                                     int *k, BOOL print)
{
    DWORD n = size;
    *k = -1;
    if (!CryptMsgGetParam(m, CMSG_CMS_RECIPIENT_INFO_PARAM, i, buf, &n)) {
        result("CMS recipient info", FALSE);
        return NULL;
    }
    CMSG_CMS_RECIPIENT_INFO *ri = (CMSG_CMS_RECIPIENT_INFO *)buf;
    if (ri->dwRecipientChoice != CMSG_KEY_AGREE_RECIPIENT) {
        printf("recipient: choice %lu\n", ri->dwRecipientChoice);
        return NULL;
    }
    CMSG_KEY_AGREE_RECIPIENT_INFO *ka = ri->pKeyAgree;
    for (DWORD e = 0; e < ka->cRecipientEncryptedKeys; e++)
        if (!strncmp(names(&ka->rgpRecipientEncryptedKeys[e]->RecipientId), "the recipient's", 15))
            *k = (int)e;
    if (!print)
        return ka;
    printf("recipient: key agreement, version %lu, originator choice %lu", ka->dwVersion,
           ka->dwOriginatorChoice);
    if (ka->dwOriginatorChoice == CMSG_KEY_AGREE_ORIGINATOR_PUBLIC_KEY) {
        CERT_PUBLIC_KEY_INFO *pk = &ka->OriginatorPublicKeyInfo;
        printf(" (%s, %lu parameter bytes, key %lu bytes, %lu unused bits, first %02x)",
               pk->Algorithm.pszObjId, pk->Algorithm.Parameters.cbData, pk->PublicKey.cbData,
               pk->PublicKey.cUnusedBits, pk->PublicKey.cbData ? pk->PublicKey.pbData[0] : 0);
    }
    printf("\n  user keying material %lu bytes; %s, parameters", ka->UserKeyingMaterial.cbData,
           ka->KeyEncryptionAlgorithm.pszObjId);
    for (DWORD b = 0; b < ka->KeyEncryptionAlgorithm.Parameters.cbData; b++)
        printf(" %02x", ka->KeyEncryptionAlgorithm.Parameters.pbData[b]);
    printf("\n  %lu encrypted key(s)\n", ka->cRecipientEncryptedKeys);
    for (DWORD e = 0; e < ka->cRecipientEncryptedKeys; e++) {
        CMSG_RECIPIENT_ENCRYPTED_KEY_INFO *ek = ka->rgpRecipientEncryptedKeys[e];
        printf("  key %lu: id choice %lu, %s, %lu bytes, date %s, other %s\n", e,
               ek->RecipientId.dwIdChoice, names(&ek->RecipientId), ek->EncryptedKey.cbData,
               ek->Date.dwLowDateTime || ek->Date.dwHighDateTime ? "set" : "none",
               ek->pOtherAttr ? "set" : "none");
    }
    return ka;
}

static BOOL agree_decrypt(HCRYPTMSG m, CMSG_KEY_AGREE_RECIPIENT_INFO *ka, DWORD i, DWORD k,
                          const CRYPT_BIT_BLOB *opub)
{
    CMSG_CTRL_KEY_AGREE_DECRYPT_PARA p = {sizeof p};
    p.hNCryptKey = key;
    p.dwKeySpec = CERT_NCRYPT_KEY_SPEC;
    p.pKeyAgree = ka;
    p.dwRecipientIndex = i;
    p.dwRecipientEncryptedKeyIndex = k;
    p.OriginatorPublicKey = *opub;
    return CryptMsgControl(m, 0, CMSG_CTRL_KEY_AGREE_DECRYPT, &p);
}

static HCRYPTMSG open_decode(const BYTE *msg, DWORD len)
{
    HCRYPTMSG m = CryptMsgOpenToDecode(ENC, 0, 0, 0, NULL, NULL);
    if (m && !CryptMsgUpdate(m, msg, len, TRUE)) {
        CryptMsgClose(m);
        return NULL;
    }
    return m;
}

static void decode(const char *name)
{
    DWORD len, n;
    BYTE *msg = load(name, &len), bufs[4][4096];
    printf("-- %s\n", name);
    HCRYPTMSG m = open_decode(msg, len);
    result("decode", m != NULL);
    if (!m)
        return;
    DWORD count = 0;
    n = sizeof count;
    CryptMsgGetParam(m, CMSG_CMS_RECIPIENT_COUNT_PARAM, 0, &count, &n);
    printf("CMS recipients %lu\n", count);
    int mine = -1, mine_k = -1, by = -1;
    CMSG_KEY_AGREE_RECIPIENT_INFO *kas[4] = {0};
    for (DWORD i = 0; i < count && i < 4; i++) {
        int k;
        kas[i] = show_recipient(m, i, bufs[i], sizeof bufs[i], &k, FALSE);
        if (k >= 0)
            mine = (int)i, mine_k = k;
        else if (kas[i])
            by = (int)i;
    }
    if (mine < 0) {
        printf("no recipient names the certificate\n");
        goto close_msg;
    }
    show_recipient(m, mine, bufs[mine], sizeof bufs[mine], &mine_k, TRUE);
    if (by >= 0)
        show_recipient(m, by, bufs[by], sizeof bufs[by], &(int){0}, TRUE);
    CMSG_KEY_AGREE_RECIPIENT_INFO *ka = kas[mine];
    const CRYPT_BIT_BLOB *opub = &ka->OriginatorPublicKeyInfo.PublicKey;
    result("key index past the last",
           agree_decrypt(m, ka, mine, ka->cRecipientEncryptedKeys, opub));
    if (by >= 0)
        printf("the bystander's recipient: %s\n",
               agree_decrypt(m, kas[by], by, 0, &kas[by]->OriginatorPublicKeyInfo.PublicKey)
                   ? "opens (wrong)"
                   : "fails");
    if (by >= 0)
        printf("another originator key: %s\n",
               agree_decrypt(m, ka, mine, mine_k, &kas[by]->OriginatorPublicKeyInfo.PublicKey)
                   ? "opens (wrong)"
                   : "fails");
    CMSG_CTRL_KEY_TRANS_DECRYPT_PARA kp = {sizeof kp};
    kp.hNCryptKey = key;
    kp.dwKeySpec = CERT_NCRYPT_KEY_SPEC;
    kp.dwRecipientIndex = mine;
    printf("CMSG_CTRL_KEY_TRANS_DECRYPT of it: %s\n",
           CryptMsgControl(m, 0, CMSG_CTRL_KEY_TRANS_DECRYPT, &kp) ? "opens (wrong)" : "fails");
    result("CMSG_CTRL_KEY_AGREE_DECRYPT", agree_decrypt(m, ka, mine, mine_k, opub));
    BYTE buf[512];
    n = sizeof buf;
    if (CryptMsgGetParam(m, CMSG_CONTENT_PARAM, 0, buf, &n))
        show_content("content", buf, n);
    DWORD index = 99, kindex = 99;
    n = sizeof index;
    CryptMsgGetParam(m, CMSG_CMS_RECIPIENT_INDEX_PARAM, 0, &index, &n);
    n = sizeof kindex;
    CryptMsgGetParam(m, CMSG_CMS_RECIPIENT_ENCRYPTED_KEY_INDEX_PARAM, 0, &kindex, &n);
    printf("CMS recipient index: %s, encrypted key index %lu\n",
           index == (DWORD)mine ? "the recipient's" : "another", kindex);
    result("decrypt again", agree_decrypt(m, ka, mine, mine_k, opub));
close_msg:
    CryptMsgClose(m);
    free(msg);
}

/* The message decoded, its first recipient read, and decrypted with the key the message
 * carries: whether it opened, or 0 when it could not be decoded or read */
static int try_open(const BYTE *msg, DWORD len)
{
    BYTE buf[4096];
    HCRYPTMSG m = open_decode(msg, len);
    if (!m)
        return 0;
    int got = 0;
    DWORD count = 0, n = sizeof count;
    CryptMsgGetParam(m, CMSG_CMS_RECIPIENT_COUNT_PARAM, 0, &count, &n);
    for (DWORD i = 0; i < count && i < 8; i++) {
        n = sizeof buf;
        if (!CryptMsgGetParam(m, CMSG_CMS_RECIPIENT_INFO_PARAM, i, buf, &n))
            continue;
        CMSG_CMS_RECIPIENT_INFO *ri = (CMSG_CMS_RECIPIENT_INFO *)buf;
        if (ri->dwRecipientChoice != CMSG_KEY_AGREE_RECIPIENT)
            continue;
        got = -1;
        CMSG_KEY_AGREE_RECIPIENT_INFO *ka = ri->pKeyAgree;
        for (DWORD k = 0; k < ka->cRecipientEncryptedKeys; k++)
            if (agree_decrypt(m, ka, i, k, &ka->OriginatorPublicKeyInfo.PublicKey))
                got = 1;
    }
    CryptMsgClose(m);
    return got;
}

static BYTE *find(BYTE *hay, DWORD n, const BYTE *needle, DWORD k)
{
    for (DWORD i = 0; k && i + k <= n; i++)
        if (!memcmp(hay + i, needle, k))
            return hay + i;
    return NULL;
}

static void malformed(void)
{
    DWORD len, n;
    BYTE *orig = load("ecdh_sha1.p7", &len), *msg = malloc(len), buf[4096];
    printf("-- malformed ecdh_sha1.p7\n");
    printf("as it is: %s\n", try_open(orig, len) == 1 ? "opens" : "FAILS");
    HCRYPTMSG m = open_decode(orig, len);
    n = sizeof buf;
    if (!m || !CryptMsgGetParam(m, CMSG_CMS_RECIPIENT_INFO_PARAM, 0, buf, &n)) {
        result("recipient info", FALSE);
        return;
    }
    CMSG_KEY_AGREE_RECIPIENT_INFO *ka = ((CMSG_CMS_RECIPIENT_INFO *)buf)->pKeyAgree;
    CRYPT_BIT_BLOB *pk = &ka->OriginatorPublicKeyInfo.PublicKey;
    CRYPT_DATA_BLOB *ek = &ka->rgpRecipientEncryptedKeys[0]->EncryptedKey;
    static const BYTE sha1kdf[] = {0x2b, 0x81, 0x05, 0x10, 0x86, 0x48, 0x3f, 0x00, 0x02};
    BYTE *point, *ekey, *scheme;
    struct {
        const char *what;
        int at; /* 0: the point's first byte, 1: its last, 2: the scheme's last, 3: the key's
                   middle byte, 4: the encrypted key's length */
        BYTE value;
    } cases[] = {
        {"the point compressed (03)", 0, 0x03},
        {"the point off the curve", 1, 0},
        {"an unknown scheme", 2, 0x09},
        {"the encrypted key changed", 3, 0},
        {"the encrypted key's length past its element", 4, 0x7f},
        {"the encrypted key's length too short", 4, 0x01},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        memcpy(msg, orig, len);
        point = find(msg, len, pk->pbData, pk->cbData);
        ekey = find(msg, len, ek->pbData, ek->cbData);
        scheme = find(msg, len, sha1kdf, sizeof sha1kdf);
        if (!point || !ekey || !scheme) {
            printf("cannot find the parts\n");
            break;
        }
        BYTE *at = cases[c].at == 0   ? point
                   : cases[c].at == 1 ? point + pk->cbData - 1
                   : cases[c].at == 2 ? scheme + sizeof sha1kdf - 1
                   : cases[c].at == 3 ? ekey + ek->cbData / 2
                                      : ekey - 1;
        *at = cases[c].at == 1 || cases[c].at == 3 ? *at ^ 0x5a : cases[c].value;
        int r = try_open(msg, len);
        printf("%s: %s\n", cases[c].what,
               r == 1 ? "opens (wrong)" : r == -1 ? "fails" : "recipient not read");
    }
    CryptMsgClose(m);
    /* every byte changed in turn, every truncation: none may crash */
    unsigned tries = 0;
    for (DWORD i = 0; i < len; i++) {
        static const BYTE xors[] = {0xff, 0x80, 0x01};
        for (size_t x = 0; x < sizeof xors; x++) {
            memcpy(msg, orig, len);
            msg[i] ^= xors[x];
            try_open(msg, len);
            tries++;
        }
        try_open(orig, i);
        tries++;
    }
    printf("%u changed and truncated messages read without a crash\n", tries);
    free(orig);
    free(msg);
}

/* Key agreement encoded: ECDH with an ephemeral key to the certificates' public keys */
static void encode(const char *dir)
{
    BYTE kid[64];
    DWORD kn = sizeof kid, len = 4096;
    CertGetCertificateContextProperty(recip, CERT_KEY_IDENTIFIER_PROP_ID, kid, &kn);
    CMSG_RECIPIENT_ENCRYPTED_KEY_ENCODE_INFO to_recip = {sizeof to_recip}, to_kid, to_other;
    to_recip.RecipientPublicKey = recip->pCertInfo->SubjectPublicKeyInfo.PublicKey;
    to_recip.RecipientId.dwIdChoice = CERT_ID_ISSUER_SERIAL_NUMBER;
    to_recip.RecipientId.IssuerSerialNumber.Issuer = recip->pCertInfo->Issuer;
    to_recip.RecipientId.IssuerSerialNumber.SerialNumber = recip->pCertInfo->SerialNumber;
    to_kid = to_recip;
    to_kid.RecipientId.dwIdChoice = CERT_ID_KEY_IDENTIFIER;
    to_kid.RecipientId.KeyId.cbData = kn;
    to_kid.RecipientId.KeyId.pbData = kid;
    to_other = to_recip;
    to_other.RecipientPublicKey = other->pCertInfo->SubjectPublicKeyInfo.PublicKey;
    to_other.RecipientId.IssuerSerialNumber.Issuer = other->pCertInfo->Issuer;
    to_other.RecipientId.IssuerSerialNumber.SerialNumber = other->pCertInfo->SerialNumber;
    PCMSG_RECIPIENT_ENCRYPTED_KEY_ENCODE_INFO one[1] = {&to_recip}, two[2] = {&to_other, &to_kid};
    CRYPT_ALGORITHM_IDENTIFIER eph = recip->pCertInfo->SubjectPublicKeyInfo.Algorithm;
    CMSG_KEY_AGREE_RECIPIENT_ENCODE_INFO ka = {sizeof ka};
    ka.KeyEncryptionAlgorithm.pszObjId = szOID_DH_SINGLE_PASS_STDDH_SHA256_KDF;
    ka.KeyWrapAlgorithm.pszObjId = szOID_NIST_AES256_WRAP;
    ka.dwKeyChoice = CMSG_KEY_AGREE_EPHEMERAL_KEY_CHOICE;
    ka.pEphemeralAlgorithm = &eph;
    ka.cRecipientEncryptedKeys = 1;
    ka.rgpRecipientEncryptedKeys = one;
    CMSG_RECIPIENT_ENCODE_INFO ri = {CMSG_KEY_AGREE_RECIPIENT};
    ri.pKeyAgree = &ka;
    CMSG_ENVELOPED_ENCODE_INFO ei = {sizeof ei};
    ei.ContentEncryptionAlgorithm.pszObjId = szOID_NIST_AES256_CBC;
    ei.cRecipients = 1;
    ei.rgCmsRecipients = &ri;
    const char *outs[2] = {"ntrun_ecdh_sha256.p7", "ntrun_ecdh_two.p7"};
    for (int i = 0; i < 2; i++) {
        if (i == 1) {
            ka.KeyEncryptionAlgorithm.pszObjId = szOID_DH_SINGLE_PASS_STDDH_SHA1_KDF;
            ka.KeyWrapAlgorithm.pszObjId = szOID_NIST_AES128_WRAP;
            ka.UserKeyingMaterial.cbData = 9;
            ka.UserKeyingMaterial.pbData = (BYTE *)"ntrun-ukm";
            ka.cRecipientEncryptedKeys = 2;
            ka.rgpRecipientEncryptedKeys = two;
            ei.ContentEncryptionAlgorithm.pszObjId = szOID_NIST_AES128_CBC;
        }
        printf("-- encode %s\n", outs[i]);
        BYTE out[4096];
        HCRYPTMSG m = CryptMsgOpenToEncode(ENC, 0, CMSG_ENVELOPED, &ei, NULL, NULL);
        len = sizeof out;
        BOOL ok = m && CryptMsgUpdate(m, content, content_len, TRUE) &&
                  CryptMsgGetParam(m, CMSG_CONTENT_PARAM, 0, out, &len);
        result("encode", ok);
        if (m)
            CryptMsgClose(m);
        if (!ok)
            continue;
        if (dir)
            save(dir, outs[i], out, len);
        /* read back as openssl's messages are */
        m = open_decode(out, len);
        DWORD version = 99, n = sizeof version;
        CryptMsgGetParam(m, CMSG_VERSION_PARAM, 0, &version, &n);
        printf("version %lu\n", version);
        BYTE buf[4096];
        int k;
        CMSG_KEY_AGREE_RECIPIENT_INFO *got = show_recipient(m, 0, buf, sizeof buf, &k, TRUE);
        if (got && k >= 0) {
            result("CMSG_CTRL_KEY_AGREE_DECRYPT",
                   agree_decrypt(m, got, 0, k, &got->OriginatorPublicKeyInfo.PublicKey));
            BYTE plain[512];
            n = sizeof plain;
            if (CryptMsgGetParam(m, CMSG_CONTENT_PARAM, 0, plain, &n))
                show_content("content", plain, n);
        }
        if (m)
            CryptMsgClose(m);
    }
    /* a static originator key (CMSG_KEY_AGREE_STATIC_KEY_CHOICE): the sender's NCrypt ECDH
     * key made here, named by a key identifier; decrypted with the sender's public key */
    printf("-- encode with a static sender key\n");
    NCRYPT_PROV_HANDLE sprov = 0;
    NCRYPT_KEY_HANDLE sender = 0;
    BYTE sblob[8 + 64], spoint[65];
    DWORD sn = 0;
    SECURITY_STATUS ss = NCryptOpenStorageProvider(&sprov, MS_KEY_STORAGE_PROVIDER, 0);
    if (!ss)
        ss = NCryptCreatePersistedKey(sprov, &sender, BCRYPT_ECDH_P256_ALGORITHM, NULL, 0, 0);
    if (!ss)
        ss = NCryptFinalizeKey(sender, 0);
    if (!ss)
        ss = NCryptExportKey(sender, 0, BCRYPT_ECCPUBLIC_BLOB, NULL, sblob, sizeof sblob, &sn, 0);
    printf("sender key: %08lx\n", (unsigned long)ss);
    spoint[0] = 4;
    memcpy(spoint + 1, sblob + 8, 64);
    CRYPT_BIT_BLOB spub = {65, spoint, 0};
    CERT_ID sid = {CERT_ID_KEY_IDENTIFIER};
    sid.KeyId.cbData = 12;
    sid.KeyId.pbData = (BYTE *)"ntrun-sender";
    ka.KeyEncryptionAlgorithm.pszObjId = szOID_DH_SINGLE_PASS_STDDH_SHA256_KDF;
    ka.KeyWrapAlgorithm.pszObjId = szOID_NIST_AES256_WRAP;
    ka.UserKeyingMaterial.cbData = 0;
    ka.cRecipientEncryptedKeys = 1;
    ka.rgpRecipientEncryptedKeys = one;
    ka.dwKeyChoice = CMSG_KEY_AGREE_STATIC_KEY_CHOICE;
    ka.hCryptProv = (HCRYPTPROV_LEGACY)sender; /* with CERT_NCRYPT_KEY_SPEC: an NCrypt key */
    ka.dwKeySpec = CERT_NCRYPT_KEY_SPEC;
    ka.pSenderId = &sid;
    ei.ContentEncryptionAlgorithm.pszObjId = szOID_NIST_AES256_CBC;
    for (int i = 0; i < 2 && !ss; i++) {
        if (i == 1) { /* the recipient's own key and certificate as the sender's (so that
                         * `openssl cms -decrypt -originator ec.pem` can open it) */
            sid.dwIdChoice = CERT_ID_ISSUER_SERIAL_NUMBER;
            sid.IssuerSerialNumber.Issuer = recip->pCertInfo->Issuer;
            sid.IssuerSerialNumber.SerialNumber = recip->pCertInfo->SerialNumber;
            ka.hCryptProv = (HCRYPTPROV_LEGACY)key;
            spub = recip->pCertInfo->SubjectPublicKeyInfo.PublicKey;
        }
        BYTE out[4096];
        HCRYPTMSG m = CryptMsgOpenToEncode(ENC, 0, CMSG_ENVELOPED, &ei, NULL, NULL);
        len = sizeof out;
        BOOL ok = m && CryptMsgUpdate(m, content, content_len, TRUE) &&
                  CryptMsgGetParam(m, CMSG_CONTENT_PARAM, 0, out, &len);
        result(i ? "encode, sender by issuer and serial number" : "encode, sender by key id", ok);
        if (m)
            CryptMsgClose(m);
        if (!ok)
            continue;
        if (dir)
            save(dir, i ? "ntrun_ecdh_static_ias.p7" : "ntrun_ecdh_static.p7", out, len);
        m = open_decode(out, len);
        BYTE buf[4096];
        int k;
        CMSG_KEY_AGREE_RECIPIENT_INFO *got = show_recipient(m, 0, buf, sizeof buf, &k, TRUE);
        if (got && got->dwOriginatorChoice == CMSG_KEY_AGREE_ORIGINATOR_CERT)
            printf("  originator: %s\n", got->OriginatorCertId.dwIdChoice == CERT_ID_KEY_IDENTIFIER
                                            ? (got->OriginatorCertId.KeyId.cbData == 12 &&
                                                       !memcmp(got->OriginatorCertId.KeyId.pbData,
                                                               "ntrun-sender", 12)
                                                   ? "key id ntrun-sender" : "another key id")
                                            : names(&got->OriginatorCertId));
        if (got && k >= 0) {
            CRYPT_BIT_BLOB none = {0};
            result("CMSG_CTRL_KEY_AGREE_DECRYPT without the sender's key",
                   agree_decrypt(m, got, 0, k, &none));
            result("CMSG_CTRL_KEY_AGREE_DECRYPT with the sender's key",
                   agree_decrypt(m, got, 0, k, &spub));
            BYTE plain[512];
            DWORD n = sizeof plain;
            if (CryptMsgGetParam(m, CMSG_CONTENT_PARAM, 0, plain, &n))
                show_content("content", plain, n);
        }
        if (m)
            CryptMsgClose(m);
    }
    ka.pSenderId = NULL;
    HCRYPTMSG sm = CryptMsgOpenToEncode(ENC, 0, CMSG_ENVELOPED, &ei, NULL, NULL);
    printf("a static key without pSenderId: %s\n", sm ? "opened (wrong)" : "refused");
    if (sm)
        CryptMsgClose(sm);
    ka.pSenderId = &sid;
    ka.dwKeySpec = AT_KEYEXCHANGE;
    sm = CryptMsgOpenToEncode(ENC, 0, CMSG_ENVELOPED, &ei, NULL, NULL);
    printf("a static CryptoAPI key: %s\n", sm ? "opened (wrong)" : "refused");
    if (sm)
        CryptMsgClose(sm);
    ka.dwKeyChoice = CMSG_KEY_AGREE_EPHEMERAL_KEY_CHOICE;
    ka.pEphemeralAlgorithm = &eph;
    NCryptFreeObject(sender);
    NCryptFreeObject(sprov);
    /* refused: a recipient's point on no curve, an unknown scheme */
    printf("-- encode refused\n");
    BYTE bad_point[10] = {4};
    CMSG_RECIPIENT_ENCRYPTED_KEY_ENCODE_INFO to_bad = to_recip;
    to_bad.RecipientPublicKey.cbData = sizeof bad_point;
    to_bad.RecipientPublicKey.pbData = bad_point;
    PCMSG_RECIPIENT_ENCRYPTED_KEY_ENCODE_INFO bad[1] = {&to_bad};
    ka.cRecipientEncryptedKeys = 1;
    ka.rgpRecipientEncryptedKeys = bad;
    HCRYPTMSG m = CryptMsgOpenToEncode(ENC, 0, CMSG_ENVELOPED, &ei, NULL, NULL);
    printf("a 10-byte point: %s\n",
           m && CryptMsgUpdate(m, content, content_len, TRUE) ? "encoded (wrong)" : "refused");
    if (m)
        CryptMsgClose(m);
    ka.rgpRecipientEncryptedKeys = one;
    ka.KeyEncryptionAlgorithm.pszObjId = "1.2.3.4";
    m = CryptMsgOpenToEncode(ENC, 0, CMSG_ENVELOPED, &ei, NULL, NULL);
    printf("scheme 1.2.3.4: %s\n",
           m && CryptMsgUpdate(m, content, content_len, TRUE) ? "encoded (wrong)" : "refused");
    if (m)
        CryptMsgClose(m);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 2 && !strcmp(argv[1], "write") ? argv[2] : NULL;
    NCRYPT_PROV_HANDLE prov = envelope_setup("ec.der", "ec.blob", BCRYPT_ECCPRIVATE_BLOB, "ECDH key");
    DWORD len;

    const char *files[] = {"ecdh_sha1.p7", "ecdh_sha256.p7", "ecdh_keyid.p7", "ecdh_two.p7"};
    for (int i = 0; i < 4; i++)
        decode(files[i]);

    printf("-- CryptDecryptMessage\n");
    HCERTSTORE with = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    HCERTSTORE without = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    PCCERT_CONTEXT added = NULL;
    CertAddCertificateContextToStore(with, recip, CERT_STORE_ADD_ALWAYS, &added);
    result("set CERT_NCRYPT_KEY_HANDLE_PROP_ID",
           CertSetCertificateContextProperty(added, CERT_NCRYPT_KEY_HANDLE_PROP_ID, 0, &key));
    CertAddCertificateContextToStore(without, other, CERT_STORE_ADD_ALWAYS, NULL);
    for (int i = 0; i < 4; i++) {
        BYTE *msg = load(files[i], &len);
        decrypt_message(files[i], msg, len, with);
        if (i == 0)
            decrypt_message("the bystander's store", msg, len, without);
        free(msg);
    }

    malformed();
    encode(dir);
    CertFreeCertificateContext(added);
    CertCloseStore(with, 0);
    CertCloseStore(without, 0);
    CertFreeCertificateContext(recip);
    CertFreeCertificateContext(other);
    NCryptFreeObject(key);
    NCryptFreeObject(prov);
    return 0;
}
