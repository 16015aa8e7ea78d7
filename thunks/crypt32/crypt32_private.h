/* SPDX-License-Identifier: MIT */
/* Shared by crypt32's files: the Windows x64 layouts of the certificate structures a program
 * reads (pinned below), the DER decoder (asn1.c) that fills them into one block of memory, and
 * the certificate contexts and stores (cert.c, store.c, name.c). */
#ifndef NTRUN_THUNKS_CRYPT32_PRIVATE_H
#define NTRUN_THUNKS_CRYPT32_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "thunks/thunks.h"

#ifndef TRUE
#define TRUE 1
#define FALSE 0
#endif

#define C32_CRYPT_E_NOT_FOUND 0x80092004u
#define C32_CRYPT_E_EXISTS 0x80092005u
#define C32_CRYPT_E_PENDING_CLOSE 0x8009200Fu
#define C32_CRYPT_E_ASN1_EOD 0x80093102u
#define C32_CRYPT_E_ASN1_CORRUPT 0x80093103u
#define C32_CRYPT_E_ASN1_LARGE 0x80093104u
#define C32_CRYPT_E_ASN1_BADTAG 0x8009310Bu
#define C32_E_INVALIDARG 0x80070057u
#define C32_ERROR_FILE_NOT_FOUND 2u
#define C32_ERROR_NOT_ENOUGH_MEMORY 8u
#define C32_ERROR_INVALID_PARAMETER 87u
#define C32_ERROR_MORE_DATA 234u

/* ---- Windows layouts (x64); pointers are uint64_t so a block can be built for an address
 * other than the one it is built at (see c32_arena) ---- */
typedef struct {
    uint32_t cb; /* 0x00 cbData */
    uint32_t pad_;
    uint64_t pb; /* 0x08 pbData */
} c32_blob;
typedef struct {
    uint64_t oid;      /* 0x00 pszObjId */
    c32_blob params;   /* 0x08 Parameters */
} c32_algid;
typedef struct {
    uint32_t cb;       /* 0x00 cbData */
    uint32_t pad_;
    uint64_t pb;       /* 0x08 pbData */
    uint32_t unused;   /* 0x10 cUnusedBits */
    uint32_t pad2_;
} c32_bits;
typedef struct {
    c32_algid alg;     /* 0x00 Algorithm */
    c32_bits key;      /* 0x18 PublicKey */
} c32_pkinfo;
typedef struct {
    uint64_t oid;      /* 0x00 pszObjId */
    uint32_t critical; /* 0x08 fCritical */
    uint32_t pad_;
    c32_blob value;    /* 0x10 Value */
} c32_ext;
typedef struct {
    uint32_t version;        /* 0x00 dwVersion */
    uint32_t pad_;
    c32_blob serial;         /* 0x08 SerialNumber (little-endian) */
    c32_algid sigalg;        /* 0x18 SignatureAlgorithm */
    c32_blob issuer;         /* 0x30 Issuer (the DER Name) */
    uint64_t not_before;     /* 0x40 NotBefore (FILETIME) */
    uint64_t not_after;      /* 0x48 NotAfter */
    c32_blob subject;        /* 0x50 Subject */
    c32_pkinfo pk;           /* 0x60 SubjectPublicKeyInfo */
    c32_bits issuer_uid;     /* 0x90 IssuerUniqueId */
    c32_bits subject_uid;    /* 0xa8 SubjectUniqueId */
    uint32_t n_ext;          /* 0xc0 cExtension */
    uint32_t pad2_;
    uint64_t exts;           /* 0xc8 rgExtension */
} c32_certinfo;
typedef struct {
    uint64_t oid;      /* 0x00 pszObjId */
    uint32_t type;     /* 0x08 dwValueType (CERT_RDN_*) */
    uint32_t pad_;
    c32_blob value;    /* 0x10 Value */
} c32_rdn_attr;
typedef struct {
    uint32_t n;        /* 0x00 cRDNAttr / cRDN / cExtension / cAltEntry */
    uint32_t pad_;
    uint64_t items;    /* 0x08 rgRDNAttr / rgRDN / rgExtension / rgAltEntry */
} c32_array;
typedef struct {
    uint32_t choice;   /* 0x00 dwAltNameChoice */
    uint32_t pad_;
    union {
        uint64_t str;  /* 0x08 pwszRfc822Name, pwszDNSName, pwszURL, pszRegisteredID */
        c32_blob blob; /* 0x08 DirectoryName, IPAddress */
    } u;
} c32_alt_entry;
typedef struct {
    c32_blob tbs;      /* 0x00 ToBeSigned */
    c32_algid alg;     /* 0x10 SignatureAlgorithm */
    c32_bits sig;      /* 0x28 Signature */
} c32_signed;
typedef struct {
    uint32_t ca, has_path, path; /* fCA, fPathLenConstraint, dwPathLenConstraint */
} c32_basic2;
typedef struct {
    uint32_t enc_type; /* 0x00 dwCertEncodingType */
    uint32_t pad_;
    uint64_t enc;      /* 0x08 pbCertEncoded */
    uint32_t enc_len;  /* 0x10 cbCertEncoded */
    uint32_t pad2_;
    uint64_t info;     /* 0x18 pCertInfo */
    uint64_t store;    /* 0x20 hCertStore */
} c32_cert_context;

typedef struct {
    c32_blob serial;         /* 0x00 SerialNumber (little-endian) */
    uint64_t when;           /* 0x10 RevocationDate (FILETIME) */
    uint32_t n_ext;          /* 0x18 cExtension */
    uint32_t pad_;
    uint64_t exts;           /* 0x20 rgExtension */
} c32_crl_entry;
typedef struct {
    uint32_t version;        /* 0x00 dwVersion (CRL_V1 0, CRL_V2 1) */
    uint32_t pad_;
    c32_algid sigalg;        /* 0x08 SignatureAlgorithm */
    c32_blob issuer;         /* 0x20 Issuer (the DER Name) */
    uint64_t this_update;    /* 0x30 ThisUpdate (FILETIME) */
    uint64_t next_update;    /* 0x38 NextUpdate (0: none) */
    uint32_t n_entry;        /* 0x40 cCRLEntry */
    uint32_t pad2_;
    uint64_t entries;        /* 0x48 rgCRLEntry */
    uint32_t n_ext;          /* 0x50 cExtension */
    uint32_t pad3_;
    uint64_t exts;           /* 0x58 rgExtension */
} c32_crlinfo;

/* Certificate trust lists (ctl.c) */
typedef struct {
    uint64_t oid;            /* 0x00 pszObjId */
    uint32_t n;              /* 0x08 cValue */
    uint32_t pad_;
    uint64_t values;         /* 0x10 rgValue: CRYPT_ATTR_BLOBs, each value's DER */
} c32_attr;
typedef struct {
    c32_blob subject;        /* 0x00 SubjectIdentifier */
    uint32_t n_attr;         /* 0x10 cAttribute */
    uint32_t pad_;
    uint64_t attrs;          /* 0x18 rgAttribute */
} c32_ctl_entry;
typedef struct {
    uint32_t version;        /* 0x00 dwVersion (CTL_V1 0) */
    uint32_t pad_;
    c32_array usage;         /* 0x08 SubjectUsage: cUsageIdentifier, rgpszUsageIdentifier */
    c32_blob list_id;        /* 0x18 ListIdentifier */
    c32_blob seq;            /* 0x28 SequenceNumber (little-endian) */
    uint64_t this_update;    /* 0x38 ThisUpdate (FILETIME) */
    uint64_t next_update;    /* 0x40 NextUpdate (0: none) */
    c32_algid subject_alg;   /* 0x48 SubjectAlgorithm */
    uint32_t n_entry;        /* 0x60 cCTLEntry */
    uint32_t pad2_;
    uint64_t entries;        /* 0x68 rgCTLEntry */
    uint32_t n_ext;          /* 0x70 cExtension */
    uint32_t pad3_;
    uint64_t exts;           /* 0x78 rgExtension */
} c32_ctlinfo;
_Static_assert(sizeof(c32_attr) == 24 && sizeof(c32_ctl_entry) == 32, "CRYPT_ATTRIBUTE, CTL_ENTRY");
_Static_assert(offsetof(c32_ctlinfo, this_update) == 0x38 &&
                   offsetof(c32_ctlinfo, subject_alg) == 0x48 &&
                   offsetof(c32_ctlinfo, entries) == 0x68 && sizeof(c32_ctlinfo) == 0x80,
               "CTL_INFO layout");

_Static_assert(sizeof(c32_blob) == 16 && sizeof(c32_algid) == 24, "blob layouts");
_Static_assert(sizeof(c32_bits) == 24 && sizeof(c32_pkinfo) == 48, "bit blob layouts");
_Static_assert(sizeof(c32_ext) == 32 && sizeof(c32_rdn_attr) == 32, "extension, RDN layouts");
_Static_assert(offsetof(c32_certinfo, not_before) == 0x40 && offsetof(c32_certinfo, pk) == 0x60,
               "CERT_INFO layout");
_Static_assert(offsetof(c32_certinfo, n_ext) == 0xc0 && sizeof(c32_certinfo) == 0xd0,
               "CERT_INFO layout");
_Static_assert(sizeof(c32_alt_entry) == 24 && sizeof(c32_signed) == 64, "alt name, signed");
_Static_assert(sizeof(c32_cert_context) == 40, "CERT_CONTEXT layout (CRL_CONTEXT's too)");
_Static_assert(sizeof(c32_crl_entry) == 0x28 && offsetof(c32_crl_entry, exts) == 0x20,
               "CRL_ENTRY layout");
_Static_assert(offsetof(c32_crlinfo, this_update) == 0x30 && offsetof(c32_crlinfo, n_entry) == 0x40 &&
                   sizeof(c32_crlinfo) == 0x60, "CRL_INFO layout");

/* Certificate properties that name a private key (CERT_*_PROP_ID) */
#define C32_KEY_CONTEXT_PROP 5u
#define C32_NCRYPT_KEY_HANDLE_PROP 78u

/* CERT_RDN_* value types */
#define C32_RDN_ENCODED_BLOB 1u
#define C32_RDN_OCTET_STRING 2u
#define C32_RDN_BMP_STRING 12u
#define C32_RDN_UTF8_STRING 13u
#define C32_RDN_UNIVERSAL_STRING 11u

/* ---- DER ---- */
typedef struct {
    uint8_t tag;
    const uint8_t *p;   /* the contents */
    size_t len;
    const uint8_t *tlv; /* the whole element */
    size_t tlv_len;
} c32_tlv;

/* Reads one element at *pp (< end) and moves *pp past it; 0 or a CRYPT_E_ASN1_* code. */
uint32_t c32_der_read(const uint8_t **pp, const uint8_t *end, c32_tlv *t);
/* The same, the element's tag must be `tag` (CRYPT_E_ASN1_BADTAG). */
uint32_t c32_der_expect(const uint8_t **pp, const uint8_t *end, uint8_t tag, c32_tlv *t);

/* A block being filled: native memory at buf, whose pointers are written as if it lived at
 * vbase (the caller copies it there). Allocation past cap sets `over` and returns NULL. */
typedef struct {
    uint8_t *buf;
    uint64_t vbase;
    size_t off, cap;
    bool over;
} c32_arena;

void *c32_alloc(c32_arena *a, size_t n, size_t align);
uint64_t c32_addr(const c32_arena *a, const void *p);

/* Pieces of the decoder for other files: a copy of bytes into a blob (none for 0 bytes), an
 * OBJECT IDENTIFIER as its dotted string, an AlgorithmIdentifier, an INTEGER as a
 * little-endian blob (asn1.c). */
uint32_t c32_put_bytes(c32_arena *a, const uint8_t *p, size_t n, c32_blob *b);
uint32_t c32_put_oid(c32_arena *a, const c32_tlv *t, uint64_t *out);
uint32_t c32_dec_algid(c32_arena *a, const c32_tlv *t, c32_algid *out);
uint32_t c32_dec_int_blob(c32_arena *a, const c32_tlv *t, c32_blob *out);
/* A UTCTime or GeneralizedTime as a FILETIME */
uint32_t c32_dec_time(const c32_tlv *t, uint64_t *out);

/* ---- the DER writer (encode.c) ---- */
/* A growing DER buffer; err keeps the first failure (every write after it does nothing). */
typedef struct {
    uint8_t *p;
    size_t n, cap;
    uint32_t err;
} c32_der;
void c32_der_put(c32_der *d, const void *src, size_t n);
void c32_der_byte(c32_der *d, uint8_t b);
void c32_der_head(c32_der *d, uint8_t tag, size_t len);
/* tag, length, then the contents gathered in `in` (freed and zeroed) */
void c32_der_wrap(c32_der *d, uint8_t tag, c32_der *in);
void c32_der_tlv(c32_der *d, uint8_t tag, const void *p, size_t n);
/* An OBJECT IDENTIFIER from its dotted string */
void c32_enc_oid(c32_der *d, const char *s);
/* An INTEGER from a little-endian two's-complement blob, in its shortest form */
void c32_enc_int_le(c32_der *d, const uint8_t *le, size_t n);
/* An AlgorithmIdentifier whose OID and parameters' pointers are readable here */
void c32_enc_algid(c32_der *d, const c32_algid *a);

/* The structures CryptDecodeObjectEx knows (X509_* numbers). */
typedef enum {
    C32_T_CERT = 1,           /* X509_CERT: CERT_SIGNED_CONTENT_INFO */
    C32_T_CERT_TBS = 2,       /* X509_CERT_TO_BE_SIGNED: CERT_INFO */
    C32_T_CRL_TBS = 3,        /* X509_CERT_CRL_TO_BE_SIGNED: CRL_INFO */
    C32_T_EXTENSIONS = 5,     /* CERT_EXTENSIONS */
    C32_T_NAME = 7,           /* CERT_NAME_INFO */
    C32_T_PUBKEY = 8,         /* CERT_PUBLIC_KEY_INFO */
    C32_T_ALT_NAME = 12,      /* CERT_ALT_NAME_INFO */
    C32_T_KEY_USAGE = 14,     /* CRYPT_BIT_BLOB */
    C32_T_BASIC2 = 15,        /* CERT_BASIC_CONSTRAINTS2_INFO */
    C32_T_UNICODE_NAME = 20,  /* CERT_NAME_INFO, values as UTF-16 */
    C32_T_OCTETS = 25,        /* CRYPT_DATA_BLOB */
    C32_T_BITS = 26,          /* CRYPT_BIT_BLOB */
    C32_T_INTEGER = 27,       /* int */
    C32_T_MULTI_INTEGER = 28, /* CRYPT_INTEGER_BLOB */
    C32_T_ENUMERATED = 29,    /* X509_ENUMERATED (X509_CRL_REASON_CODE): int */
    C32_T_ENHKEY_USAGE = 36,  /* X509_ENHANCED_KEY_USAGE: CERT_ENHKEY_USAGE (a c32_array of
                                 OID string pointers) */
    C32_T_CTL = 37,           /* PKCS_CTL: CTL_INFO */
} c32_type;

/* The c32_type of a lpszStructType (a small number or an OID string); 0 when unknown. */
int c32_struct_type(const char *type);
/* CryptDecodeObjectEx's and CryptEncodeObjectEx's first checks: the encoding type
 * (ERROR_FILE_NOT_FOUND), their arguments (args_ok, else ERROR_INVALID_PARAMETER), the structure
 * (ERROR_FILE_NOT_FOUND); its c32_type, or 0 with the last error set (cert.c). */
int c32_struct_type_checked(uint32_t enc, const char *type, bool args_ok);
/* Decodes `in` as `type` into the arena; the structure is at the arena's start. 0 or an error
 * (CRYPT_E_ASN1_*; the arena's `over` flag when it ran out of room). */
uint32_t c32_decode(c32_arena *a, int type, const uint8_t *in, size_t len);
/* Decodes into a native block of its own (malloc'd, pointers to itself); NULL with *err set. */
void *c32_decode_alloc(int type, const uint8_t *in, size_t len, uint32_t *err);

/* ---- strings ---- */
/* A growing UTF-16 string */
typedef struct {
    WCHAR *p;
    size_t n, cap;
    bool failed;
} c32_wstr;
void c32_wput(c32_wstr *s, const WCHAR *w, size_t n);
void c32_wputa(c32_wstr *s, const char *a);
/* Gives the string Windows' way: returns the characters with the NUL when out is NULL or
 * cch 0, else copies at most cch - 1 and a NUL and returns the count written with it. */
DWORD c32_wgive(const c32_wstr *s, WCHAR *out, DWORD cch);

/* A decoded name's text (CertNameToStrW's rules for str_type). */
void c32_name_to_str(const c32_array *name, uint32_t str_type, c32_wstr *s);
/* The text of one RDN value as CertRDNValueToStrW gives it. */
void c32_value_str(uint32_t type, const c32_blob *v, c32_wstr *s);
/* The first attribute of a decoded name with this OID, or NULL. */
const c32_rdn_attr *c32_find_attr(const c32_array *name, const char *oid);

/* ---- certificate contexts (cert.c) and stores (store.c) ---- */
typedef struct c32_prop {
    struct c32_prop *next;
    uint32_t id, len;
    uint8_t data[];
} c32_prop;

typedef struct c32_store c32_store;

/* A certificate, CRL or CTL context: the CERT_CONTEXT (or CRL_CONTEXT, the same layout; or
 * CTL_CONTEXT, which goes on with the ctl_* fields) a program reads comes first. refs counts the
 * references handed out, plus one while the context is in a store; each reference handed out
 * from a store also holds the store (see store.c). A CRL has `crl` set and no `info` (crl.c); a
 * CTL has `ctl` set and its message (ctl.c). */
typedef struct c32_cert {
    c32_cert_context ctx;
    uint64_t ctl_msg;         /* 0x28 CTL_CONTEXT's hCryptMsg */
    uint64_t ctl_content;     /* 0x30 pbCtlContent (the CTL's DER, after enc in its block) */
    uint32_t ctl_content_len; /* 0x38 cbCtlContent */
    uint32_t ctl_pad_;
    uint32_t magic;
    int32_t refs;
    c32_store *store; /* the store it was added to (kept after a delete), or NULL */
    bool in_store;
    struct c32_cert *next; /* in the store's list */
    c32_prop *props;
    uint8_t *enc;          /* the DER, native copy */
    c32_certinfo *info;    /* its own block (c32_decode_alloc); NULL for a CRL */
    c32_crlinfo *crl;      /* a CRL's CRL_INFO, its own block; NULL for a certificate */
    c32_ctlinfo *ctl;      /* a CTL's CTL_INFO (ctx.info too), its own block */
    const uint8_t *spki;   /* the SubjectPublicKeyInfo's DER inside enc */
    size_t spki_len;
} c32_cert;

#define C32_CERT_MAGIC 0x54524543u /* "CERT" */
#define C32_CRL_MAGIC 0x204c5243u  /* "CRL " */
#define C32_CTL_MAGIC 0x204c5443u  /* "CTL " */
_Static_assert(offsetof(c32_cert, ctl_content_len) == 0x38, "CTL_CONTEXT layout");

/* What a store list holds (c32_next_matching) */
#define C32_KIND_CERT 0
#define C32_KIND_CRL 1
#define C32_KIND_CTL 2

struct c32_store {
    uint32_t magic;
    int32_t refs;
    c32_cert *head; /* certificates */
    c32_cert *crls; /* CRLs */
    c32_cert *ctls; /* CTLs */
};
#define C32_STORE_MAGIC 0x4e545354u /* "TSTN" */

/* One lock for every store and context count (stores are small and rarely hot). */
void c32_lock(void);
void c32_unlock(void);

/* A new context for this DER (refs 1, in no store); NULL with the last error set. */
c32_cert *c32_cert_new(uint32_t enc_type, const void *der, uint32_t len);
/* The certificate behind a context a program passes, or NULL. */
c32_cert *c32_cert_get(const void *ctx);
/* Drops a reference handed out (and its store's); NULL does nothing. */
void c32_context_free(c32_cert *c);
/* Takes a reference for the caller (and on its store), as CertDuplicate*Context do; returns c.
 * NULL does nothing. */
c32_cert *c32_context_ref(c32_cert *c);
/* The same, under the lock (c not NULL). */
void c32_context_unref_locked(c32_cert *c);
/* The CRL behind a CRL context a program passes, or NULL (crl.c). */
c32_cert *c32_crl_get(const void *ctx);
/* The CTL behind a CTL context a program passes, or NULL (cert.c). */
c32_cert *c32_ctl_get(const void *ctx);
/* A new CTL context for this signed message (refs 1, in no store); NULL with the last error
 * set (ctl.c). */
c32_cert *c32_ctl_new(uint32_t enc_type, const void *der, uint32_t len);
/* A new CRL context for this DER (refs 1, in no store); NULL with the last error set. */
c32_cert *c32_crl_new(uint32_t enc_type, const void *der, uint32_t len);
/* Adds the new context `c` (refs 1, owned by this call) to s by the disposition
 * (CERT_STORE_ADD_*); *out (when given) the context in the store, handed out (store.c). */
BOOL c32_store_add(c32_store *s, c32_cert *c, DWORD how, void **out);
/* Copies src's properties to the new context dst (its own list empty). */
void c32_props_copy(c32_cert *dst, const c32_cert *src);
/* Removes a context from its store and frees the reference passed (CertDelete*FromStore);
 * E_INVALIDARG for NULL. */
BOOL c32_store_delete(c32_cert *c);
/* The context after prev (the first when prev is NULL) in s's certificates, CRLs or CTLs
 * (kind: C32_KIND_*) that `match` accepts, handed out; prev freed. NULL with
 * CRYPT_E_NOT_FOUND. */
void *c32_next_matching(c32_store *s, const void *prev, int kind,
                        bool (*match)(const c32_cert *, const void *), const void *arg);
/* The first extension of this OID in an array of n, or NULL (cert.c). */
const c32_ext *c32_ext_in(const c32_ext *e, uint32_t n, const char *oid);
/* A FILETIME of now. */
uint64_t c32_filetime_now(void);
/* Whether `issuer` (a certificate) signed the certificate or CRL `c`: 0 yes, -1 no, -2 an
 * algorithm not supported. */
int c32_signed_by(const c32_cert *c, const c32_cert *issuer);

/* ---- revocation from CRLs (crl.c), for CertVerifyRevocation and the chains ---- */
typedef enum {
    C32_REV_GOOD = 0,    /* a current CRL of the issuer does not list it */
    C32_REV_REVOKED,     /* listed */
    C32_REV_NO_CHECK,    /* no CRL, and nowhere to fetch one (no CRL distribution point) */
    C32_REV_OFFLINE,     /* no current CRL here, and one would have to be fetched */
} c32_rev;
/* Looks for the CRLs of `issuer` (signed by its key, current at `when`) in the n stores and
 * checks `cert` against them. Under the lock. *crl_out (when given): the CRL used, a reference
 * taken; *entry: its entry for the certificate when revoked. */
c32_rev c32_revocation_locked(c32_store *const *stores, size_t n, const c32_cert *cert,
                              const c32_cert *issuer, uint64_t when, c32_cert **crl_out,
                              const c32_crl_entry **entry);
/* The reason code (CRL_REASON_*) of a CRL entry, 0 when it has none. */
uint32_t c32_entry_reason(const c32_crl_entry *e);
BOOL WINAPI CertFreeCRLContext(const void *ctx);
/* Takes a reference (and one on its store, when it is in one). Under the lock. */
void c32_cert_ref_locked(c32_cert *c);
/* Drops one reference; frees the certificate at zero. Under the lock. */
void c32_cert_unref_locked(c32_cert *c);
/* Drops a store reference; frees it (and the certificates only it holds) at zero. Locked. */
void c32_store_unref_locked(c32_store *s);
/* The SHA-1 of the certificate's DER (20 bytes). */
void c32_cert_sha1(const c32_cert *c, uint8_t out[20]);
BOOL WINAPI CertFreeCertificateContext(const void *ctx);
/* The store standalone contexts name as their hCertStore (never freed). */
extern c32_store c32_no_store;
/* The store behind a handle a program passes, or NULL. */
c32_store *c32_store_from(const void *h);
/* Whether a CRL has the Delta CRL Indicator extension (crl.c). */
bool c32_crl_is_delta(const c32_cert *crl);
/* Fills s from CertOpenStore's pvPara for the providers FILE (3), PKCS7 (5), SERIALIZED (6),
 * FILENAME_A (7) and FILENAME_W (8); false with the last error set (serial.c). */
bool c32_store_open_format(c32_store *s, uintptr_t kind, const void *para);
/* The host's roots ("ROOT"), loaded once and kept for the chains (chain.c). */
c32_store *c32_root_store(void);
LONG WINAPI CertVerifyTimeValidity(const uint64_t *when, const c32_certinfo *ci);

/* ---- signatures (verify.c) ---- */
/* Whether the certificate `der` was signed with the key of the SubjectPublicKeyInfo `spki`:
 * 0 yes, -1 no (or malformed), -2 an algorithm not supported. */
int c32_verify_signed(const uint8_t *der, size_t len, const uint8_t *spki, size_t spki_len);

/* Whether `sig` (the raw signature: PKCS #1 v1.5 bytes for RSA, the DER Ecdsa-Sig-Value for
 * ECDSA) signs `digest` (made by `dg`, a cd_algo) with the key of the SubjectPublicKeyInfo
 * `spki`: 0 yes, -1 no (or malformed), -2 a key not supported. */
int c32_verify_digest(const uint8_t *spki, size_t spki_len, int dg, const uint8_t *digest,
                      const uint8_t *sig, size_t sig_len);

#endif
