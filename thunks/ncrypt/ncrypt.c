/* SPDX-License-Identifier: MIT */
/* ncrypt's key storage provider, the basics: a layer over bcrypt's key pairs (as Windows' own
 * Microsoft Software Key Storage Provider is over its primitives), for programs that hold
 * their keys through NCrypt (.NET's CngKey, rustls-cng, schannel-style TLS code).
 *
 *   NCryptOpenStorageProvider   MS_KEY_STORAGE_PROVIDER (or NULL); another provider (smart
 *                               cards, the TPM) is NTE_NOT_SUPPORTED here
 *   NCryptImportKey             the blob types bcrypt takes; the algorithm comes from the
 *                               blob's magic ("RSA1".."RSA3", "ECS1".."ECS6", "ECK1".."ECK6",
 *                               "DSPB"/"DSPV"/"DPB2"/"DPV2", "DHPB"/"DHPV"); with
 *                               NCRYPT_DO_NOT_FINALIZE_FLAG properties may follow until
 *                               NCryptFinalizeKey
 *   NCryptCreatePersistedKey    RSA (2048 bits unless Length is set), ECDSA_P256..,
 *   + NCryptFinalizeKey         ECDH_P256.., DH, DSA; ephemeral without a name, persisted with
 *                               one: the finalize writes it to the user's (or with
 *                               NCRYPT_MACHINE_KEY_FLAG the machine's) key folder (storage.c);
 *                               a name in use is NTE_EXISTS unless NCRYPT_OVERWRITE_KEY_FLAG
 *   NCryptExportKey             public blobs always, private ones when the Export Policy allows
 *                               plaintext export (NTE_NOT_SUPPORTED otherwise, as Windows; the
 *                               default policy is 0)
 *   NCryptSignHash, NCryptVerifySignature (NTE_BAD_SIGNATURE), NCryptEncrypt, NCryptDecrypt,
 *   NCryptSecretAgreement, NCryptDeriveKey, NCryptGetProperty/NCryptSetProperty (Name, Impl
 *   Type, Algorithm Name, Algorithm Group, Length, Export Policy, Key Usage, ECCCurveName,
 *   Provider Handle), NCryptIsAlgSupported, NCryptIsKeyHandle, NCryptFreeObject,
 *   NCryptFreeBuffer, NCryptDeleteKey (a persisted key's file deleted; the handle freed)
 *   NCryptOpenKey               a persisted key by name (names do not depend on case),
 *                               NTE_BAD_KEYSET when there is none; NCryptEnumKeys lists them
 *                               (NCryptKeyName, one a call, NTE_NO_MORE_ITEMS at the end)
 *
 * Not done: names given to NCryptImportKey (NCRYPTBUFFER_PKCS_KEY_NAME), PKCS#8 blobs, UI and
 * PIN properties, key files Windows wrote (DPAPI-protected; storage.c's are ntrun's own). */
#include <stdlib.h>
#include <string.h>
#include "thunks/bcrypt/bcrypt.h"
#include "thunks/ncrypt/ncrypt.h"
#include "thunks/ncrypt/ncrypt_private.h"
#include "thunks/thunks_private.h"

typedef int32_t SECURITY_STATUS;
#define NC_OK 0
#define NC_NTE_BAD_DATA ((SECURITY_STATUS)0x80090005)
#define NC_NTE_BAD_SIGNATURE ((SECURITY_STATUS)0x80090006)
#define NC_NTE_BAD_FLAGS ((SECURITY_STATUS)0x80090009)
#define NC_NTE_BAD_KEY_STATE ((SECURITY_STATUS)0x8009000B)
#define NC_NTE_NO_MEMORY ((SECURITY_STATUS)0x8009000E)
#define NC_NTE_NOT_FOUND ((SECURITY_STATUS)0x80090011)
#define NC_NTE_EXISTS ((SECURITY_STATUS)0x8009000F)
#define NC_NTE_BAD_KEYSET ((SECURITY_STATUS)0x80090016)
#define NC_NTE_FAIL ((SECURITY_STATUS)0x80090020)
#define NC_NTE_INVALID_HANDLE ((SECURITY_STATUS)0x80090026)
#define NC_NTE_INVALID_PARAMETER ((SECURITY_STATUS)0x80090027)
#define NC_NTE_BUFFER_TOO_SMALL ((SECURITY_STATUS)0x80090028)
#define NC_NTE_NOT_SUPPORTED ((SECURITY_STATUS)0x80090029)
#define NC_NTE_NO_MORE_ITEMS ((SECURITY_STATUS)0x8009002A)
#define NC_NTE_PERM_ ((SECURITY_STATUS)0x80090010) /* NTE_PERM */

#define NC_SILENT_FLAG 0x40u
#define NC_DO_NOT_FINALIZE_FLAG 0x400u
#define NC_MACHINE_KEY_FLAG 0x20u
#define NC_OVERWRITE_KEY_FLAG 0x80u
#define NC_PERSIST_FLAG 0x80000000u
#define NC_ALLOW_PLAINTEXT_EXPORT_FLAG 0x2u
#define NC_ALLOW_DECRYPT_FLAG 0x1u
#define NC_ALLOW_SIGNING_FLAG 0x2u
#define NC_ALLOW_KEY_AGREEMENT_FLAG 0x4u
#define NC_ALLOW_ALL_USAGES 0x00ffffffu
#define NC_IMPL_SOFTWARE_FLAG 0x2u
#define NC_BUFFER_PKCS_KEY_NAME 45u

#define NC_PROV_MAGIC 0x564f5250u   /* "PROV" */
#define NC_KEY_MAGIC 0x59454b4eu    /* "NKEY" */
#define NC_SECRET_MAGIC 0x4345534eu /* "NSEC" */

typedef struct {
    uint32_t magic;
} nc_prov;

typedef struct {
    uint32_t magic;
    nc_prov *prov;
    void *bkey;       /* bcrypt's key pair */
    const char *alg;  /* "RSA", "ECDSA_P256", ... */
    const char *group; /* "RSA", "ECDSA", "ECDH", "DH", "DSA" */
    bool final;
    bool created;     /* by NCryptCreatePersistedKey: bcrypt's finalize is still to come */
    uint32_t export_policy, usage;
    WCHAR *name;      /* a persisted key's name (malloc'd), or NULL */
    bool machine;     /* one of the machine's keys (NCRYPT_MACHINE_KEY_FLAG) */
} nc_key;

typedef struct {
    uint32_t magic;
    void *bsecret;
} nc_secret;

static const char nc_provider_name[] = "Microsoft Software Key Storage Provider";

/* The algorithms: name, group, bcrypt's pseudo-handle, the public and private magics of its
 * blobs (two of each at most), the usages and, for new keys, the default length */
static const struct {
    const char *name, *group;
    uintptr_t alg;
    uint32_t magics[4];
    uint32_t usage, bits;
} nc_algs[] = {
    {"RSA", "RSA", 0xe1, {0x31415352, 0x32415352, 0x33415352}, NC_ALLOW_ALL_USAGES, 2048},
    {"ECDSA_P256", "ECDSA", 0x2e1, {0x31534345, 0x32534345}, NC_ALLOW_SIGNING_FLAG, 256},
    {"ECDSA_P384", "ECDSA", 0x2f1, {0x33534345, 0x34534345}, NC_ALLOW_SIGNING_FLAG, 384},
    {"ECDSA_P521", "ECDSA", 0x301, {0x35534345, 0x36534345}, NC_ALLOW_SIGNING_FLAG, 521},
    {"ECDH_P256", "ECDH", 0x2a1, {0x314b4345, 0x324b4345}, NC_ALLOW_KEY_AGREEMENT_FLAG, 256},
    {"ECDH_P384", "ECDH", 0x2b1, {0x334b4345, 0x344b4345}, NC_ALLOW_KEY_AGREEMENT_FLAG, 384},
    {"ECDH_P521", "ECDH", 0x2c1, {0x354b4345, 0x364b4345}, NC_ALLOW_KEY_AGREEMENT_FLAG, 521},
    {"DH", "DH", 0x281, {0x42504844, 0x56504844}, NC_ALLOW_KEY_AGREEMENT_FLAG, 2048},
    {"DSA", "DSA", 0x2d1, {0x42505344, 0x56505344, 0x32425044, 0x32565044},
     NC_ALLOW_SIGNING_FLAG, 2048},
};
#define NC_NALGS (sizeof nc_algs / sizeof nc_algs[0])

/* Case-insensitive compare of a foreign UTF-16 string with ASCII */
static bool nc_is(const WCHAR *w, const char *a)
{
    for (;; w++, a++) {
        WCHAR c = *w, d = (WCHAR)(unsigned char)*a;
        if (c >= u'a' && c <= u'z')
            c = (WCHAR)(c - 32);
        if (d >= u'a' && d <= u'z')
            d = (WCHAR)(d - 32);
        if (c != d)
            return false;
        if (!c)
            return true;
    }
}

/* bcrypt's NTSTATUS as NCrypt's SECURITY_STATUS */
static SECURITY_STATUS nc_status(NTSTATUS st)
{
    switch ((uint32_t)st) {
    case 0x00000000u: return NC_OK;
    case 0xC0000008u: return NC_NTE_INVALID_HANDLE;
    case 0xC000000Du: return NC_NTE_INVALID_PARAMETER;
    case 0xC0000017u: return NC_NTE_NO_MEMORY;
    case 0xC0000023u: return NC_NTE_BUFFER_TOO_SMALL;
    case 0xC00000BBu: return NC_NTE_NOT_SUPPORTED;
    case 0xC0000206u: return NC_NTE_INVALID_PARAMETER; /* STATUS_INVALID_BUFFER_SIZE */
    case 0xC0000225u: return NC_NTE_NOT_FOUND;
    case 0xC000A000u: return NC_NTE_BAD_SIGNATURE;
    default: return ((uint32_t)st & 0xffff0000u) == 0x80090000u ? (SECURITY_STATUS)st : NC_NTE_FAIL;
    }
}

static nc_prov *nc_get_prov(uintptr_t h)
{
    nc_prov *p = (nc_prov *)h;
    return h >= 0x1000 && p->magic == NC_PROV_MAGIC ? p : NULL;
}

static nc_key *nc_get_key(uintptr_t h)
{
    nc_key *k = (nc_key *)h;
    return h >= 0x1000 && k->magic == NC_KEY_MAGIC ? k : NULL;
}

static nc_secret *nc_get_secret(uintptr_t h)
{
    nc_secret *s = (nc_secret *)h;
    return h >= 0x1000 && s->magic == NC_SECRET_MAGIC ? s : NULL;
}

/* A property's bytes: their size to *res, the bytes to out when there is one */
static SECURITY_STATUS nc_put(const void *v, uint32_t n, uint8_t *out, uint32_t cb,
                              uint32_t *res)
{
    if (!res)
        return NC_NTE_INVALID_PARAMETER;
    *res = n;
    if (!out)
        return NC_OK;
    if (cb < n)
        return NC_NTE_BUFFER_TOO_SMALL;
    memcpy(out, v, n);
    return NC_OK;
}

static SECURITY_STATUS nc_put_name(const char *s, uint8_t *out, uint32_t cb, uint32_t *res)
{
    WCHAR w[64];
    uint32_t i = 0;
    for (; s[i] && i < 63; i++)
        w[i] = (WCHAR)(unsigned char)s[i];
    w[i++] = 0;
    return nc_put(w, 2 * i, out, cb, res);
}

SECURITY_STATUS WINAPI nc_NCryptOpenStorageProvider(uintptr_t *out, const WCHAR *name,
                                                           uint32_t flags)
{
    (void)flags;
    if (!out)
        return NC_NTE_INVALID_PARAMETER;
    if (name && !nc_is(name, nc_provider_name))
        return NC_NTE_NOT_SUPPORTED; /* smart cards, the TPM, third-party providers */
    nc_prov *p = malloc(sizeof *p);
    if (!p)
        return NC_NTE_NO_MEMORY;
    p->magic = NC_PROV_MAGIC;
    *out = (uintptr_t)p;
    return NC_OK;
}
THK_EXPORT_AS(ncrypt, NCryptOpenStorageProvider, nc_NCryptOpenStorageProvider, 3);

static nc_key *nc_new_key(nc_prov *p, size_t alg, void *bkey)
{
    nc_key *k = calloc(1, sizeof *k);
    if (k) {
        k->magic = NC_KEY_MAGIC;
        k->prov = p;
        k->bkey = bkey;
        k->alg = nc_algs[alg].name;
        k->group = nc_algs[alg].group;
        k->usage = nc_algs[alg].usage;
    }
    return k;
}

SECURITY_STATUS WINAPI nc_NCryptImportKey(uintptr_t prov, uintptr_t wrap, const WCHAR *type,
                                                 const struct bc_buffer_desc *params,
                                                 uintptr_t *out, const uint8_t *in, uint32_t cbin,
                                                 uint32_t flags)
{
    nc_prov *p = nc_get_prov(prov);
    if (!p)
        return NC_NTE_INVALID_HANDLE;
    if (!type || !out || !in)
        return NC_NTE_INVALID_PARAMETER;
    if (wrap || params) /* wrapped keys, key names (persisted keys) */
        return NC_NTE_NOT_SUPPORTED;
    if (flags & ~(NC_SILENT_FLAG | NC_DO_NOT_FINALIZE_FLAG))
        return NC_NTE_BAD_FLAGS;
    uint32_t magic = 0;
    if (cbin >= 4)
        memcpy(&magic, in, 4);
    /* CAPI's RSA blobs (BLOBHEADER: bType, bVersion, reserved, aiKeyAlg) are RSA too */
    bool capi = nc_is(type, "CAPIPUBLICBLOB") || nc_is(type, "CAPIPRIVATEBLOB");
    size_t a = NC_NALGS;
    for (size_t i = 0; i < NC_NALGS && !capi; i++)
        for (size_t m = 0; m < 4; m++)
            if (nc_algs[i].magics[m] && nc_algs[i].magics[m] == magic)
                a = i;
    if (capi)
        a = 0;
    if (a == NC_NALGS)
        return NC_NTE_BAD_DATA;
    void *bkey = NULL;
    NTSTATUS st = bc_BCryptImportKeyPair((void *)nc_algs[a].alg, NULL, type, &bkey, in, cbin, 0);
    if (st)
        return nc_status(st);
    nc_key *k = nc_new_key(p, a, bkey);
    if (!k) {
        bc_BCryptDestroyKey(bkey);
        return NC_NTE_NO_MEMORY;
    }
    k->final = !(flags & NC_DO_NOT_FINALIZE_FLAG);
    *out = (uintptr_t)k;
    return NC_OK;
}
THK_EXPORT_AS(ncrypt, NCryptImportKey, nc_NCryptImportKey, 8);

SECURITY_STATUS WINAPI nc_NCryptFreeObject(uintptr_t h);

/* Writes a named key to its file: its private blob (whatever its export policy: this is the
 * provider keeping it), algorithm, export policy and usage */
static SECURITY_STATUS nc_persist(nc_key *k)
{
    nc_stored st = {0};
    uint32_t n = 0;
    NTSTATUS s = bc_BCryptExportKey(k->bkey, NULL, u"PRIVATEBLOB", NULL, 0, &n, 0);
    if (s)
        return nc_status(s);
    if (!(st.blob = malloc(n ? n : 1)))
        return NC_NTE_NO_MEMORY;
    s = bc_BCryptExportKey(k->bkey, NULL, u"PRIVATEBLOB", st.blob, n, &n, 0);
    SECURITY_STATUS ss = nc_status(s);
    if (!ss) {
        st.blob_len = n;
        strncpy(st.alg, k->alg, sizeof st.alg - 1);
        st.export_policy = k->export_policy;
        st.usage = k->usage;
        size_t i = 0;
        for (; k->name[i] && i + 1 < sizeof st.name / sizeof st.name[0]; i++)
            st.name[i] = k->name[i];
        st.name[i] = 0;
        ss = nc_store_save(&st, k->machine);
    }
    memset(st.blob, 0, n);
    free(st.blob);
    return ss;
}

SECURITY_STATUS WINAPI nc_NCryptCreatePersistedKey(uintptr_t prov, uintptr_t *out,
                                                          const WCHAR *alg, const WCHAR *name,
                                                          uint32_t spec, uint32_t flags)
{
    (void)spec, (void)flags;
    nc_prov *p = nc_get_prov(prov);
    if (!p)
        return NC_NTE_INVALID_HANDLE;
    if (!out || !alg)
        return NC_NTE_INVALID_PARAMETER;
    bool machine = flags & NC_MACHINE_KEY_FLAG;
    size_t nlen = 0;
    while (name && name[nlen])
        nlen++;
    if (name && (!nlen || nlen >= 256))
        return NC_NTE_INVALID_PARAMETER;
    if (name && !(flags & NC_OVERWRITE_KEY_FLAG) && nc_store_exists(name, machine))
        return NC_NTE_EXISTS;
    for (size_t i = 0; i < NC_NALGS; i++) {
        if (!nc_is(alg, nc_algs[i].name))
            continue;
        void *bkey = NULL;
        NTSTATUS st = bc_BCryptGenerateKeyPair((void *)nc_algs[i].alg, &bkey, nc_algs[i].bits, 0);
        if (st)
            return nc_status(st);
        nc_key *k = nc_new_key(p, i, bkey);
        if (!k) {
            bc_BCryptDestroyKey(bkey);
            return NC_NTE_NO_MEMORY;
        }
        k->created = true;
        k->machine = machine;
        if (name) {
            if (!(k->name = malloc((nlen + 1) * sizeof(WCHAR)))) {
                nc_NCryptFreeObject((uintptr_t)k);
                return NC_NTE_NO_MEMORY;
            }
            memcpy(k->name, name, (nlen + 1) * sizeof(WCHAR));
        }
        *out = (uintptr_t)k;
        return NC_OK;
    }
    return NC_NTE_NOT_SUPPORTED;
}
THK_EXPORT_AS(ncrypt, NCryptCreatePersistedKey, nc_NCryptCreatePersistedKey, 6);

SECURITY_STATUS WINAPI nc_NCryptFinalizeKey(uintptr_t key, uint32_t flags)
{
    (void)flags;
    nc_key *k = nc_get_key(key);
    if (!k)
        return NC_NTE_INVALID_HANDLE;
    if (k->final)
        return NC_NTE_BAD_KEY_STATE;
    if (k->created) { /* an imported key (NCRYPT_DO_NOT_FINALIZE_FLAG) is bcrypt's already */
        NTSTATUS st = bc_BCryptFinalizeKeyPair(k->bkey, 0);
        if (st)
            return nc_status(st);
    }
    if (k->name) {
        SECURITY_STATUS ss = nc_persist(k);
        if (ss)
            return ss;
    }
    k->final = true;
    return NC_OK;
}
THK_EXPORT_AS(ncrypt, NCryptFinalizeKey, nc_NCryptFinalizeKey, 2);

static SECURITY_STATUS WINAPI nc_NCryptOpenKey(uintptr_t prov, uintptr_t *out, const WCHAR *name,
                                               uint32_t spec, uint32_t flags)
{
    (void)spec;
    nc_prov *p = nc_get_prov(prov);
    if (!p)
        return NC_NTE_INVALID_HANDLE;
    if (!out || !name)
        return NC_NTE_INVALID_PARAMETER;
    bool machine = flags & NC_MACHINE_KEY_FLAG;
    nc_stored st;
    SECURITY_STATUS ss = nc_store_load(name, machine, &st);
    if (ss)
        return ss;
    size_t a = 0;
    while (a < NC_NALGS && strcmp(nc_algs[a].name, st.alg))
        a++;
    void *bkey = NULL;
    nc_key *k = NULL;
    if (a == NC_NALGS)
        ss = NC_NTE_BAD_DATA;
    else if (!(ss = nc_status(bc_BCryptImportKeyPair((void *)nc_algs[a].alg, NULL, u"PRIVATEBLOB",
                                                      &bkey, st.blob, st.blob_len, 0))) &&
             !(k = nc_new_key(p, a, bkey)))
        ss = NC_NTE_NO_MEMORY;
    size_t nlen = 0;
    while (st.name[nlen])
        nlen++;
    if (k && !(k->name = malloc((nlen + 1) * sizeof(WCHAR))))
        ss = NC_NTE_NO_MEMORY;
    if (ss) {
        if (k)
            nc_NCryptFreeObject((uintptr_t)k);
        else if (bkey)
            bc_BCryptDestroyKey(bkey);
    } else {
        memcpy(k->name, st.name, (nlen + 1) * sizeof(WCHAR));
        k->machine = machine;
        k->final = true;
        k->export_policy = st.export_policy;
        k->usage = st.usage;
        *out = (uintptr_t)k;
    }
    memset(st.blob, 0, st.blob_len);
    free(st.blob);
    return ss;
}
THK_EXPORT_AS(ncrypt, NCryptOpenKey, nc_NCryptOpenKey, 5);

/* NCryptEnumKeys' state: the names, and the next one's place. Its first 8 bytes are a value no
 * pointer has, where an NCryptKeyName has its pszName (NCryptFreeBuffer tells them apart). */
#define NC_ENUM_MAGIC 0xe5e5e5e5e5e5e5e5ull
typedef struct {
    uint64_t magic;
    WCHAR *names;
    size_t next;
} nc_enum_state;

static bool nc_is_enum_state(const nc_enum_state *es) { return es->magic == NC_ENUM_MAGIC; }

/* NCryptKeyName (x64) and its strings, in one block NCryptFreeBuffer frees */
typedef struct {
    uint64_t name;      /* 0x00 pszName */
    uint64_t alg;       /* 0x08 pszAlgid */
    uint32_t spec;      /* 0x10 dwLegacyKeySpec */
    uint32_t flags;     /* 0x14 dwFlags */
    WCHAR text[];       /* the name, then the algorithm */
} nc_key_name;
_Static_assert(sizeof(nc_key_name) == 0x18, "NCryptKeyName");

static SECURITY_STATUS WINAPI nc_NCryptEnumKeys(uintptr_t prov, const WCHAR *scope, void **name,
                                                void **state, uint32_t flags)
{
    (void)scope;
    if (!nc_get_prov(prov))
        return NC_NTE_INVALID_HANDLE;
    if (!name || !state)
        return NC_NTE_INVALID_PARAMETER;
    bool machine = flags & NC_MACHINE_KEY_FLAG;
    nc_enum_state *es = *state;
    if (!es) {
        if (!(es = calloc(1, sizeof *es)))
            return NC_NTE_NO_MEMORY;
        es->magic = NC_ENUM_MAGIC;
        es->names = nc_store_list(machine);
        *state = es;
    }
    for (;;) {
        if (!es->names || !es->names[es->next])
            return NC_NTE_NO_MORE_ITEMS;
        const WCHAR *n = es->names + es->next;
        size_t nlen = 0;
        while (n[nlen])
            nlen++;
        es->next += nlen + 1;
        nc_stored st;
        if (nc_store_load(n, machine, &st))
            continue; /* deleted since */
        memset(st.blob, 0, st.blob_len);
        free(st.blob);
        size_t alen = strlen(st.alg);
        nc_key_name *kn = malloc(sizeof *kn + (nlen + 1 + alen + 1) * sizeof(WCHAR));
        if (!kn)
            return NC_NTE_NO_MEMORY;
        memcpy(kn->text, n, (nlen + 1) * sizeof(WCHAR));
        for (size_t i = 0; i <= alen; i++)
            kn->text[nlen + 1 + i] = (WCHAR)(unsigned char)st.alg[i];
        kn->name = (uint64_t)(uintptr_t)kn->text;
        kn->alg = (uint64_t)(uintptr_t)(kn->text + nlen + 1);
        kn->spec = 0;
        kn->flags = machine ? NC_MACHINE_KEY_FLAG : 0;
        *name = kn;
        return NC_OK;
    }
}
THK_EXPORT_AS(ncrypt, NCryptEnumKeys, nc_NCryptEnumKeys, 5);

static SECURITY_STATUS WINAPI nc_NCryptFreeBuffer(void *p)
{
    /* NCryptEnumKeys' names (one block each) and its state (its names inside) */
    nc_enum_state *es = p;
    if (es && nc_is_enum_state(es))
        free(es->names);
    free(p);
    return NC_OK;
}
THK_EXPORT_AS(ncrypt, NCryptFreeBuffer, nc_NCryptFreeBuffer, 1);

SECURITY_STATUS WINAPI nc_NCryptFreeObject(uintptr_t h)
{
    nc_prov *p = nc_get_prov(h);
    nc_key *k = nc_get_key(h);
    nc_secret *s = nc_get_secret(h);
    if (p) {
        p->magic = 0;
        free(p);
    } else if (k) {
        bc_BCryptDestroyKey(k->bkey);
        k->magic = 0;
        free(k->name);
        free(k);
    } else if (s) {
        bc_BCryptDestroySecret(s->bsecret);
        s->magic = 0;
        free(s);
    } else {
        return NC_NTE_INVALID_HANDLE;
    }
    return NC_OK;
}
THK_EXPORT_AS(ncrypt, NCryptFreeObject, nc_NCryptFreeObject, 1);

static SECURITY_STATUS WINAPI nc_NCryptDeleteKey(uintptr_t key, uint32_t flags)
{
    (void)flags;
    nc_key *k = nc_get_key(key);
    if (!k)
        return NC_NTE_INVALID_HANDLE;
    if (k->name && k->final) /* a persisted key's file; an ephemeral key is only freed */
        nc_store_delete(k->name, k->machine);
    return nc_NCryptFreeObject(key);
}
THK_EXPORT_AS(ncrypt, NCryptDeleteKey, nc_NCryptDeleteKey, 2);

static uint32_t WINAPI nc_NCryptIsKeyHandle(uintptr_t h) { return nc_get_key(h) != NULL; }
THK_EXPORT_AS(ncrypt, NCryptIsKeyHandle, nc_NCryptIsKeyHandle, 1);

static SECURITY_STATUS WINAPI nc_NCryptIsAlgSupported(uintptr_t prov, const WCHAR *alg,
                                                      uint32_t flags)
{
    (void)flags;
    if (!nc_get_prov(prov))
        return NC_NTE_INVALID_HANDLE;
    if (!alg)
        return NC_NTE_INVALID_PARAMETER;
    for (size_t i = 0; i < NC_NALGS; i++)
        if (nc_is(alg, nc_algs[i].name))
            return NC_OK;
    return NC_NTE_NOT_SUPPORTED;
}
THK_EXPORT_AS(ncrypt, NCryptIsAlgSupported, nc_NCryptIsAlgSupported, 3);

/* Whether a blob type holds the private half: its name says so */
static bool nc_private_blob(const WCHAR *type)
{
    static const char *const priv[] = {"PRIVATEBLOB", "RSAPRIVATEBLOB", "RSAFULLPRIVATEBLOB",
                                       "ECCPRIVATEBLOB", "DHPRIVATEBLOB", "DSAPRIVATEBLOB",
                                       "CAPIPRIVATEBLOB", "ECCFULLPRIVATEBLOB"};
    for (size_t i = 0; i < sizeof priv / sizeof priv[0]; i++)
        if (nc_is(type, priv[i]))
            return true;
    return false;
}

SECURITY_STATUS WINAPI nc_NCryptExportKey(uintptr_t key, uintptr_t wrap, const WCHAR *type,
                                                 const void *params, uint8_t *out, uint32_t cb,
                                                 uint32_t *res, uint32_t flags)
{
    (void)params, (void)flags;
    nc_key *k = nc_get_key(key);
    if (!k)
        return NC_NTE_INVALID_HANDLE;
    if (!type || !res)
        return NC_NTE_INVALID_PARAMETER;
    if (wrap)
        return NC_NTE_NOT_SUPPORTED;
    if (!k->final)
        return NC_NTE_BAD_KEY_STATE;
    if (nc_private_blob(type) && !(k->export_policy & NC_ALLOW_PLAINTEXT_EXPORT_FLAG))
        return NC_NTE_NOT_SUPPORTED;
    return nc_status(bc_BCryptExportKey(k->bkey, NULL, type, out, cb, res, 0));
}
THK_EXPORT_AS(ncrypt, NCryptExportKey, nc_NCryptExportKey, 8);

/* A finalized key of the handle, for the operations */
static SECURITY_STATUS nc_usable(uintptr_t key, nc_key **out)
{
    nc_key *k = *out = nc_get_key(key);
    if (!k)
        return NC_NTE_INVALID_HANDLE;
    return k->final ? NC_OK : NC_NTE_BAD_KEY_STATE;
}

SECURITY_STATUS WINAPI nc_NCryptSignHash(uintptr_t key, const void *padinfo, const uint8_t *hash,
                                         uint32_t cbhash, uint8_t *sig, uint32_t cbsig,
                                         uint32_t *res, uint32_t flags)
{
    nc_key *k;
    SECURITY_STATUS ss = nc_usable(key, &k);
    if (ss)
        return ss;
    return nc_status(bc_BCryptSignHash(k->bkey, padinfo, hash, cbhash, sig, cbsig, res,
                                       flags & ~NC_SILENT_FLAG));
}
THK_EXPORT_AS(ncrypt, NCryptSignHash, nc_NCryptSignHash, 8);

static SECURITY_STATUS WINAPI nc_NCryptVerifySignature(uintptr_t key, const void *padinfo,
                                                       const uint8_t *hash, uint32_t cbhash,
                                                       const uint8_t *sig, uint32_t cbsig,
                                                       uint32_t flags)
{
    nc_key *k;
    SECURITY_STATUS ss = nc_usable(key, &k);
    if (ss)
        return ss;
    return nc_status(bc_BCryptVerifySignature(k->bkey, padinfo, hash, cbhash, sig, cbsig,
                                              flags & ~NC_SILENT_FLAG));
}
THK_EXPORT_AS(ncrypt, NCryptVerifySignature, nc_NCryptVerifySignature, 7);

static SECURITY_STATUS WINAPI nc_NCryptEncrypt(uintptr_t key, uint8_t *in, uint32_t inlen,
                                               void *padinfo, uint8_t *out, uint32_t outlen,
                                               uint32_t *res, uint32_t flags)
{
    nc_key *k;
    SECURITY_STATUS ss = nc_usable(key, &k);
    if (ss)
        return ss;
    return nc_status(bc_BCryptEncrypt(k->bkey, in, inlen, padinfo, NULL, 0, out, outlen, res,
                                      flags & ~NC_SILENT_FLAG));
}
THK_EXPORT_AS(ncrypt, NCryptEncrypt, nc_NCryptEncrypt, 8);

SECURITY_STATUS WINAPI nc_NCryptDecrypt(uintptr_t key, uint8_t *in, uint32_t inlen,
                                               void *padinfo, uint8_t *out, uint32_t outlen,
                                               uint32_t *res, uint32_t flags)
{
    nc_key *k;
    SECURITY_STATUS ss = nc_usable(key, &k);
    if (ss)
        return ss;
    return nc_status(bc_BCryptDecrypt(k->bkey, in, inlen, padinfo, NULL, 0, out, outlen, res,
                                      flags & ~NC_SILENT_FLAG));
}
THK_EXPORT_AS(ncrypt, NCryptDecrypt, nc_NCryptDecrypt, 8);

SECURITY_STATUS WINAPI nc_NCryptSecretAgreement(uintptr_t priv, uintptr_t pub,
                                                       uintptr_t *out, uint32_t flags)
{
    (void)flags;
    nc_key *a, *b;
    SECURITY_STATUS ss = nc_usable(priv, &a);
    if (!ss)
        ss = nc_usable(pub, &b);
    if (ss)
        return ss;
    if (!out)
        return NC_NTE_INVALID_PARAMETER;
    nc_secret *s = malloc(sizeof *s);
    if (!s)
        return NC_NTE_NO_MEMORY;
    NTSTATUS st = bc_BCryptSecretAgreement(a->bkey, b->bkey, &s->bsecret, 0);
    if (st) {
        free(s);
        return nc_status(st);
    }
    s->magic = NC_SECRET_MAGIC;
    *out = (uintptr_t)s;
    return NC_OK;
}
THK_EXPORT_AS(ncrypt, NCryptSecretAgreement, nc_NCryptSecretAgreement, 4);

SECURITY_STATUS WINAPI nc_NCryptDeriveKey(uintptr_t secret, const WCHAR *kdf,
                                                 const struct bc_buffer_desc *params,
                                                 uint8_t *out, uint32_t cb, uint32_t *res,
                                                 uint32_t flags)
{
    nc_secret *s = nc_get_secret(secret);
    if (!s)
        return NC_NTE_INVALID_HANDLE;
    return nc_status(bc_BCryptDeriveKey(s->bsecret, kdf, params, out, cb, res,
                                        flags & ~NC_SILENT_FLAG));
}
THK_EXPORT_AS(ncrypt, NCryptDeriveKey, nc_NCryptDeriveKey, 7);

SECURITY_STATUS WINAPI nc_NCryptGetProperty(uintptr_t h, const WCHAR *prop, uint8_t *out,
                                            uint32_t cb, uint32_t *res, uint32_t flags)
{
    (void)flags;
    nc_prov *p = nc_get_prov(h);
    nc_key *k = nc_get_key(h);
    if (!p && !k)
        return NC_NTE_INVALID_HANDLE;
    if (!prop || !res)
        return NC_NTE_INVALID_PARAMETER;
    uint32_t v = NC_IMPL_SOFTWARE_FLAG;
    if (nc_is(prop, "Impl Type"))
        return nc_put(&v, 4, out, cb, res);
    if (p)
        return nc_is(prop, "Name") ? nc_put_name(nc_provider_name, out, cb, res)
                                   : NC_NTE_NOT_SUPPORTED;
    if (nc_is(prop, "Algorithm Name"))
        return nc_put_name(k->alg, out, cb, res);
    if (nc_is(prop, "Algorithm Group"))
        return nc_put_name(k->group, out, cb, res);
    if (nc_is(prop, "Export Policy"))
        return nc_put(&k->export_policy, 4, out, cb, res);
    if (nc_is(prop, "Key Usage"))
        return nc_put(&k->usage, 4, out, cb, res);
    if (nc_is(prop, "Provider Handle"))
        return nc_put(&k->prov, sizeof k->prov, out, cb, res);
    if (k->name && nc_is(prop, "Name")) {
        size_t n = 0;
        while (k->name[n])
            n++;
        return nc_put(k->name, (uint32_t)(2 * n + 2), out, cb, res);
    }
    if (k->name && nc_is(prop, "Unique Name")) {
        WCHAR file[40];
        nc_store_file_name(k->name, file, 40);
        size_t n = 0;
        while (file[n])
            n++;
        return nc_put(file, (uint32_t)(2 * n + 2), out, cb, res);
    }
    if (nc_is(prop, "Name") || nc_is(prop, "Unique Name"))
        return NC_NTE_NOT_FOUND; /* an ephemeral key has none */
    if (nc_is(prop, "Length")) {
        uint32_t got = 0;
        NTSTATUS st = bc_BCryptGetProperty(k->bkey, u"KeyLength", (uint8_t *)&v, 4, &got, 0);
        return st ? nc_status(st) : nc_put(&v, 4, out, cb, res);
    }
    if (nc_is(prop, "ECCCurveName"))
        return nc_status(bc_BCryptGetProperty(k->bkey, u"ECCCurveName", out, cb, res, 0));
    return NC_NTE_NOT_SUPPORTED;
}
THK_EXPORT_AS(ncrypt, NCryptGetProperty, nc_NCryptGetProperty, 6);

static SECURITY_STATUS WINAPI nc_NCryptSetProperty(uintptr_t h, const WCHAR *prop, uint8_t *in,
                                                   uint32_t cb, uint32_t flags)
{
    (void)flags; /* NCRYPT_PERSIST_FLAG: nothing is persisted */
    nc_key *k = nc_get_key(h);
    if (!k)
        return nc_get_prov(h) ? NC_NTE_NOT_SUPPORTED : NC_NTE_INVALID_HANDLE;
    if (!prop || (cb && !in))
        return NC_NTE_INVALID_PARAMETER;
    bool policy = nc_is(prop, "Export Policy"), usage = nc_is(prop, "Key Usage");
    if (policy || usage || nc_is(prop, "Length")) {
        if (cb != 4)
            return NC_NTE_INVALID_PARAMETER;
        if (k->final)
            return NC_NTE_PERM_;
        uint32_t v;
        memcpy(&v, in, 4);
        if (policy)
            k->export_policy = v;
        else if (usage)
            k->usage = v;
        else
            return nc_status(bc_BCryptSetProperty(k->bkey, u"KeyLength", in, 4, 0));
        return NC_OK;
    }
    if (nc_is(prop, "ECCCurveName"))
        return nc_status(bc_BCryptSetProperty(k->bkey, u"ECCCurveName", in, cb, 0));
    return NC_NTE_NOT_SUPPORTED;
}
THK_EXPORT_AS(ncrypt, NCryptSetProperty, nc_NCryptSetProperty, 5);
