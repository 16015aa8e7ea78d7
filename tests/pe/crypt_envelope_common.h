/* What the enveloped-message tests (crypt_envelope, crypt_envelope_ecdh) share: the data files
 * their .gen scripts made in FOLDER beside the program (define FOLDER before including), the
 * recipient's and a bystander's certificates, the recipient's private key in NCrypt, and
 * content.txt to compare what a message gives back with. */
#ifndef CRYPT_ENVELOPE_COMMON_H
#define CRYPT_ENVELOPE_COMMON_H
#include <windows.h>
#include <wincrypt.h>
#include <ncrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crypt_files.h"

#define ENC (X509_ASN_ENCODING | PKCS_7_ASN_ENCODING)

static PCCERT_CONTEXT recip, other;
static NCRYPT_KEY_HANDLE key;
static BYTE content[256];
static DWORD content_len;

/* FOLDER\NAME beside the program, read whole into a new 64 KiB buffer (*len 0 when unreadable) */
static BYTE *load(const char *name, DWORD *len)
{
    return crypt_load_new(FOLDER, name, len);
}

static void save(const char *dir, const char *name, const BYTE *p, DWORD n)
{
    char path[MAX_PATH];
    snprintf(path, sizeof path, "%s\\%s", dir, name);
    HANDLE h = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD done = 0;
    if (h == INVALID_HANDLE_VALUE || !WriteFile(h, p, n, &done, NULL) || done != n)
        printf("cannot write %s\n", path);
    CloseHandle(h);
}

static void result(const char *what, BOOL ok)
{
    if (ok)
        printf("%s: ok\n", what);
    else
        printf("%s: error %08lx\n", what, GetLastError());
}

/* The content a message gave back, compared with content.txt */
static void show_content(const char *what, const BYTE *p, DWORD n)
{
    printf("%s: %lu bytes, %s content.txt: %.*s", what, n,
           n == content_len && !memcmp(p, content, n) ? "the same as" : "NOT",
           (int)(n < 80 ? n : 80), (const char *)p);
}

/* CryptDecryptMessage of MSG with the certificates of STORE: the size asked first, then the
 * content (the same size) compared with content.txt, and whether the exchange certificate it
 * names is the recipient's */
static void decrypt_message(const char *what, const BYTE *msg, DWORD len, HCERTSTORE store)
{
    CRYPT_DECRYPT_MESSAGE_PARA dp = {sizeof dp, ENC, 1, &store};
    DWORD n = 0;
    BYTE buf[512];
    PCCERT_CONTEXT xchg = (PCCERT_CONTEXT)1;
    if (!CryptDecryptMessage(&dp, msg, len, NULL, &n, NULL)) {
        printf("%s: CryptDecryptMessage error %08lx\n", what, GetLastError());
        return;
    }
    DWORD need = n;
    n = sizeof buf;
    BOOL ok = CryptDecryptMessage(&dp, msg, len, buf, &n, &xchg);
    if (!ok || n != need) {
        printf("%s: CryptDecryptMessage error %08lx (size %lu, then %lu)\n", what,
               GetLastError(), need, n);
        return;
    }
    show_content(what, buf, n);
    printf("  exchange certificate: %s\n",
           xchg && CertCompareCertificate(X509_ASN_ENCODING, xchg->pCertInfo, recip->pCertInfo)
               ? "the recipient's"
               : "another");
    if (xchg)
        CertFreeCertificateContext(xchg);
}

/* Reads content.txt, the recipient's certificate CERT and other.der, and imports the
 * recipient's private key BLOB (of BLOB_TYPE) into the software key storage provider,
 * saying so as "import the recipient's WHAT: status"; gives the provider's handle */
static NCRYPT_PROV_HANDLE envelope_setup(const char *cert, const char *blob, LPCWSTR blob_type, const char *what)
{
    DWORD len;
    BYTE *p = load("content.txt", &len);
    memcpy(content, p, content_len = len < sizeof content ? len : sizeof content);
    free(p);
    p = load(cert, &len);
    recip = CertCreateCertificateContext(X509_ASN_ENCODING, p, len);
    free(p);
    p = load("other.der", &len);
    other = CertCreateCertificateContext(X509_ASN_ENCODING, p, len);
    free(p);
    NCRYPT_PROV_HANDLE prov = 0;
    p = load(blob, &len);
    SECURITY_STATUS ss = NCryptOpenStorageProvider(&prov, MS_KEY_STORAGE_PROVIDER, 0);
    if (!ss)
        ss = NCryptImportKey(prov, 0, blob_type, NULL, &key, p, len, 0);
    printf("import the recipient's %s: %08lx\n", what, ss);
    free(p);
    return prov;
}
#endif
