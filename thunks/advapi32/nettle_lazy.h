/* SPDX-License-Identifier: MIT */
/* Nettle, hogweed and GMP, opened on a program's first crypto call (issue 12): linking them
 * made every start map and bind three libraries that a hello.exe never uses. The headers
 * (nettle-dev, libgmp-dev) still give every type; each Nettle/GMP name the crypto code uses is
 * redirected here to a slot of a table filled by dlopen/dlsym once (ntl_get). Include this
 * header AFTER the Nettle headers (it includes the ones it names itself, so later includes of
 * them are no-ops). The API entry points call ntl_ready() first and fail the Windows way when
 * the libraries are missing; ntl_get() loads them on any other first use. */
#ifndef THUNKS_ADVAPI32_NETTLE_LAZY_H
#define THUNKS_ADVAPI32_NETTLE_LAZY_H
#include <stdbool.h>
#include <gmp.h>
#include <nettle/aes.h>
#include <nettle/cbc.h>
#include <nettle/ccm.h>
#include <nettle/cfb.h>
#include <nettle/chacha-poly1305.h>
#include <nettle/ctr.h>
#include <nettle/curve25519.h>
#include <nettle/des.h>
#include <nettle/dsa.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/ecdsa.h>
#include <nettle/gcm.h>
#include <nettle/hmac.h>
#include <nettle/md2.h>
#include <nettle/md4.h>
#include <nettle/md5.h>
#include <nettle/memops.h>
#include <nettle/nettle-meta.h>
#include <nettle/nist-keywrap.h>
#include <nettle/pbkdf2.h>
#include <nettle/pss-mgf1.h>
#include <nettle/pss.h>
#include <nettle/rsa.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

/* Every Nettle/hogweed/GMP symbol the crypto code references (functions and the descriptors
 * whose addresses it takes): `nm -u` of the crypto objects must list nothing else. */
#define NTL_SYMBOLS(X)                                                                         \
    X(nettle_aes128) X(nettle_aes192) X(nettle_aes256)                                         \
    X(nettle_md2) X(nettle_md4) X(nettle_md5) X(nettle_sha1)                                   \
    X(nettle_sha256) X(nettle_sha384) X(nettle_sha512)                                         \
    X(nettle_cbc_encrypt) X(nettle_cbc_decrypt) X(nettle_cfb8_encrypt) X(nettle_cfb8_decrypt)  \
    X(nettle_gcm_set_key) X(nettle_gcm_set_iv) X(nettle_gcm_update) X(nettle_gcm_encrypt)      \
    X(nettle_gcm_decrypt) X(nettle_gcm_digest)                                                 \
    X(nettle_ccm_encrypt_message) X(nettle_ccm_decrypt_message) X(nettle_ctr_crypt)            \
    X(nettle_des_set_key) X(nettle_des_encrypt) X(nettle_des_decrypt)                          \
    X(nettle_des3_set_key) X(nettle_des3_encrypt) X(nettle_des3_decrypt)                       \
    X(nettle_hmac_set_key) X(nettle_hmac_update) X(nettle_hmac_digest) X(nettle_pbkdf2)        \
    X(nettle_memeql_sec)                                                                       \
    X(nettle_rsa_public_key_init) X(nettle_rsa_public_key_prepare)                             \
    X(nettle_rsa_public_key_clear) X(nettle_rsa_pkcs1_verify)                                  \
    X(nettle_get_secp_256r1) X(nettle_get_secp_384r1)                                          \
    X(nettle_ecc_point_init) X(nettle_ecc_point_set) X(nettle_ecc_point_clear)                 \
    X(nettle_ecdsa_verify) X(nettle_dsa_signature_init) X(nettle_dsa_signature_clear)          \
    X(__gmpz_init) X(__gmpz_clear) X(__gmpz_inits) X(__gmpz_clears) X(__gmpz_import)         \
    X(nettle_rsa_private_key_init) X(nettle_rsa_private_key_clear)                             \
    X(nettle_rsa_private_key_prepare) X(nettle_rsa_generate_keypair)                           \
    X(nettle_rsa_pkcs1_sign_tr) X(nettle_rsa_compute_root_tr) X(nettle_rsa_encrypt)            \
    X(nettle_rsa_decrypt_tr) X(nettle_pss_encode_mgf1) X(nettle_pss_verify_mgf1)               \
    X(nettle_pss_mgf1) X(nettle_get_secp_521r1) X(nettle_ecc_point_get)                        \
    X(nettle_ecc_point_mul) X(nettle_ecc_point_mul_g) X(nettle_ecc_scalar_init)                \
    X(nettle_ecc_scalar_clear) X(nettle_ecc_scalar_set) X(nettle_ecc_scalar_get)               \
    X(nettle_ecc_bit_size) X(nettle_ecdsa_sign) X(nettle_ecdsa_generate_keypair)               \
    X(__gmpz_export) X(__gmpz_sizeinbase) X(__gmpz_set) X(__gmpz_set_ui) X(__gmpz_get_ui)      \
    X(__gmpz_cmp) X(__gmpz_cmp_ui) X(__gmpz_sub_ui) X(__gmpz_mul) X(__gmpz_lcm)                \
    X(__gmpz_invert) X(__gmpz_fdiv_r) X(__gmpz_powm)                                          \
    X(nettle_curve25519_mul) X(nettle_curve25519_mul_g) X(__gmpz_add_ui)                      \
    X(nettle_dsa_params_init) X(nettle_dsa_params_clear) X(nettle_dsa_sign)                    \
    X(nettle_dsa_verify) X(nettle_dsa_generate_params) X(nettle_dsa_generate_keypair)        \
    X(nettle_chacha_poly1305_set_key) X(nettle_chacha_poly1305_set_nonce)                      \
    X(nettle_chacha_poly1305_update) X(nettle_chacha_poly1305_encrypt)                         \
    X(nettle_chacha_poly1305_decrypt) X(nettle_chacha_poly1305_digest)                         \
    X(nettle_nist_keyunwrap16) X(nettle_nist_keywrap16)

#define NTL_SLOT(name) __typeof__(name) *name;
typedef struct ntl_api {
    NTL_SYMBOLS(NTL_SLOT)
} ntl_api;
#undef NTL_SLOT

/* The table, loading the libraries on first use; NULL when they cannot be loaded (ntl_ready
 * said so first at every API entry point, with one diagnostic naming the library). */
const ntl_api *ntl_get(void);
/* What a crypto call answers when the libraries cannot be loaded. */
#define NTL_NTE_PROV_DLL_NOT_FOUND 0x8009001Du
#define NTL_ERROR_DLL_NOT_FOUND 1157u /* ERROR_DLL_NOT_FOUND */

/* True when the libraries are loaded (loading them now if needed). */
static inline bool ntl_ready(void) { return ntl_get() != NULL; }

#ifndef NTL_NO_REDIRECT
/* Each name becomes its slot: calls, address-of and descriptor uses keep their syntax. */
#define nettle_aes128 (*ntl_get()->nettle_aes128)
#define nettle_aes192 (*ntl_get()->nettle_aes192)
#define nettle_aes256 (*ntl_get()->nettle_aes256)
#define nettle_md2 (*ntl_get()->nettle_md2)
#define nettle_md4 (*ntl_get()->nettle_md4)
#define nettle_md5 (*ntl_get()->nettle_md5)
#define nettle_sha1 (*ntl_get()->nettle_sha1)
#define nettle_sha256 (*ntl_get()->nettle_sha256)
#define nettle_sha384 (*ntl_get()->nettle_sha384)
#define nettle_sha512 (*ntl_get()->nettle_sha512)
#define nettle_cbc_encrypt (*ntl_get()->nettle_cbc_encrypt)
#define nettle_cbc_decrypt (*ntl_get()->nettle_cbc_decrypt)
#define nettle_cfb8_encrypt (*ntl_get()->nettle_cfb8_encrypt)
#define nettle_cfb8_decrypt (*ntl_get()->nettle_cfb8_decrypt)
#define nettle_gcm_set_key (*ntl_get()->nettle_gcm_set_key)
#define nettle_gcm_set_iv (*ntl_get()->nettle_gcm_set_iv)
#define nettle_gcm_update (*ntl_get()->nettle_gcm_update)
#define nettle_gcm_encrypt (*ntl_get()->nettle_gcm_encrypt)
#define nettle_gcm_decrypt (*ntl_get()->nettle_gcm_decrypt)
#define nettle_gcm_digest (*ntl_get()->nettle_gcm_digest)
#define nettle_ccm_encrypt_message (*ntl_get()->nettle_ccm_encrypt_message)
#define nettle_ccm_decrypt_message (*ntl_get()->nettle_ccm_decrypt_message)
#define nettle_ctr_crypt (*ntl_get()->nettle_ctr_crypt)
#define nettle_des_set_key (*ntl_get()->nettle_des_set_key)
#define nettle_des_encrypt (*ntl_get()->nettle_des_encrypt)
#define nettle_des_decrypt (*ntl_get()->nettle_des_decrypt)
#define nettle_des3_set_key (*ntl_get()->nettle_des3_set_key)
#define nettle_des3_encrypt (*ntl_get()->nettle_des3_encrypt)
#define nettle_des3_decrypt (*ntl_get()->nettle_des3_decrypt)
#define nettle_hmac_set_key (*ntl_get()->nettle_hmac_set_key)
#define nettle_hmac_update (*ntl_get()->nettle_hmac_update)
#define nettle_hmac_digest (*ntl_get()->nettle_hmac_digest)
#define nettle_pbkdf2 (*ntl_get()->nettle_pbkdf2)
#define nettle_memeql_sec (*ntl_get()->nettle_memeql_sec)
#define nettle_rsa_public_key_init (*ntl_get()->nettle_rsa_public_key_init)
#define nettle_rsa_public_key_prepare (*ntl_get()->nettle_rsa_public_key_prepare)
#define nettle_rsa_public_key_clear (*ntl_get()->nettle_rsa_public_key_clear)
#define nettle_rsa_pkcs1_verify (*ntl_get()->nettle_rsa_pkcs1_verify)
#define nettle_get_secp_256r1 (*ntl_get()->nettle_get_secp_256r1)
#define nettle_get_secp_384r1 (*ntl_get()->nettle_get_secp_384r1)
#define nettle_ecc_point_init (*ntl_get()->nettle_ecc_point_init)
#define nettle_ecc_point_set (*ntl_get()->nettle_ecc_point_set)
#define nettle_ecc_point_clear (*ntl_get()->nettle_ecc_point_clear)
#define nettle_ecdsa_verify (*ntl_get()->nettle_ecdsa_verify)
#define nettle_dsa_signature_init (*ntl_get()->nettle_dsa_signature_init)
#define nettle_dsa_signature_clear (*ntl_get()->nettle_dsa_signature_clear)
#define __gmpz_init (*ntl_get()->__gmpz_init)
#define __gmpz_clear (*ntl_get()->__gmpz_clear)
#define __gmpz_inits (*ntl_get()->__gmpz_inits)
#define __gmpz_clears (*ntl_get()->__gmpz_clears)
#define __gmpz_import (*ntl_get()->__gmpz_import)
#define nettle_rsa_private_key_init (*ntl_get()->nettle_rsa_private_key_init)
#define nettle_rsa_private_key_clear (*ntl_get()->nettle_rsa_private_key_clear)
#define nettle_rsa_private_key_prepare (*ntl_get()->nettle_rsa_private_key_prepare)
#define nettle_rsa_generate_keypair (*ntl_get()->nettle_rsa_generate_keypair)
#define nettle_rsa_pkcs1_sign_tr (*ntl_get()->nettle_rsa_pkcs1_sign_tr)
#define nettle_rsa_compute_root_tr (*ntl_get()->nettle_rsa_compute_root_tr)
#define nettle_rsa_encrypt (*ntl_get()->nettle_rsa_encrypt)
#define nettle_rsa_decrypt_tr (*ntl_get()->nettle_rsa_decrypt_tr)
#define nettle_pss_encode_mgf1 (*ntl_get()->nettle_pss_encode_mgf1)
#define nettle_pss_verify_mgf1 (*ntl_get()->nettle_pss_verify_mgf1)
#define nettle_pss_mgf1 (*ntl_get()->nettle_pss_mgf1)
#define nettle_get_secp_521r1 (*ntl_get()->nettle_get_secp_521r1)
#define nettle_ecc_point_get (*ntl_get()->nettle_ecc_point_get)
#define nettle_ecc_point_mul (*ntl_get()->nettle_ecc_point_mul)
#define nettle_ecc_point_mul_g (*ntl_get()->nettle_ecc_point_mul_g)
#define nettle_ecc_scalar_init (*ntl_get()->nettle_ecc_scalar_init)
#define nettle_ecc_scalar_clear (*ntl_get()->nettle_ecc_scalar_clear)
#define nettle_ecc_scalar_set (*ntl_get()->nettle_ecc_scalar_set)
#define nettle_ecc_scalar_get (*ntl_get()->nettle_ecc_scalar_get)
#define nettle_ecc_bit_size (*ntl_get()->nettle_ecc_bit_size)
#define nettle_ecdsa_sign (*ntl_get()->nettle_ecdsa_sign)
#define nettle_ecdsa_generate_keypair (*ntl_get()->nettle_ecdsa_generate_keypair)
#define __gmpz_export (*ntl_get()->__gmpz_export)
#define __gmpz_sizeinbase (*ntl_get()->__gmpz_sizeinbase)
#define __gmpz_set (*ntl_get()->__gmpz_set)
#define __gmpz_set_ui (*ntl_get()->__gmpz_set_ui)
#define __gmpz_get_ui (*ntl_get()->__gmpz_get_ui)
#define __gmpz_cmp (*ntl_get()->__gmpz_cmp)
#define __gmpz_cmp_ui (*ntl_get()->__gmpz_cmp_ui)
#define __gmpz_sub_ui (*ntl_get()->__gmpz_sub_ui)
#define __gmpz_mul (*ntl_get()->__gmpz_mul)
#define __gmpz_lcm (*ntl_get()->__gmpz_lcm)
#define __gmpz_invert (*ntl_get()->__gmpz_invert)
#define __gmpz_fdiv_r (*ntl_get()->__gmpz_fdiv_r)
#define __gmpz_powm (*ntl_get()->__gmpz_powm)
#define nettle_curve25519_mul (*ntl_get()->nettle_curve25519_mul)
#define nettle_curve25519_mul_g (*ntl_get()->nettle_curve25519_mul_g)
#define __gmpz_add_ui (*ntl_get()->__gmpz_add_ui)
#define nettle_dsa_params_init (*ntl_get()->nettle_dsa_params_init)
#define nettle_dsa_params_clear (*ntl_get()->nettle_dsa_params_clear)
#define nettle_dsa_sign (*ntl_get()->nettle_dsa_sign)
#define nettle_dsa_verify (*ntl_get()->nettle_dsa_verify)
#define nettle_dsa_generate_params (*ntl_get()->nettle_dsa_generate_params)
#define nettle_dsa_generate_keypair (*ntl_get()->nettle_dsa_generate_keypair)
#define nettle_chacha_poly1305_set_key (*ntl_get()->nettle_chacha_poly1305_set_key)
#define nettle_chacha_poly1305_set_nonce (*ntl_get()->nettle_chacha_poly1305_set_nonce)
#define nettle_chacha_poly1305_update (*ntl_get()->nettle_chacha_poly1305_update)
#define nettle_chacha_poly1305_encrypt (*ntl_get()->nettle_chacha_poly1305_encrypt)
#define nettle_chacha_poly1305_decrypt (*ntl_get()->nettle_chacha_poly1305_decrypt)
#define nettle_chacha_poly1305_digest (*ntl_get()->nettle_chacha_poly1305_digest)
#define nettle_nist_keyunwrap16 (*ntl_get()->nettle_nist_keyunwrap16)
#define nettle_nist_keywrap16 (*ntl_get()->nettle_nist_keywrap16)
#endif
#endif
