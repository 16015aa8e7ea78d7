/* SPDX-License-Identifier: MIT */
/* crypt32's object identifier table (thunks/crypt32/oid.c), in search order: one entry a line,
 * no commas between entries. Included by oid.c with E, EC and EX defined:
 *   E(oid, name, group, value)                       no CNG name, no extra data
 *   EC(oid, name, group, value, cng)                 a CNG algorithm name
 *   EX(oid, name, group, value, extra, cng, cng2)    extra data (an oid_extra), two CNG names
 * Strings are ASCII (the names and CNG names are made UTF-16 at the first look-up). */
    /* hash algorithms */
    EC("1.3.14.3.2.26", "sha1", G_HASH, CALG_SHA1, "SHA1")
    EC("1.2.840.113549.2.5", "md5", G_HASH, CALG_MD5, "MD5")
    EC("1.2.840.113549.2.4", "md4", G_HASH, CALG_MD4, "MD4")
    EC("1.2.840.113549.2.2", "md2", G_HASH, CALG_MD2, "MD2")
    EC("2.16.840.1.101.3.4.2.1", "sha256", G_HASH, CALG_SHA_256, "SHA256")
    EC("2.16.840.1.101.3.4.2.2", "sha384", G_HASH, CALG_SHA_384, "SHA384")
    EC("2.16.840.1.101.3.4.2.3", "sha512", G_HASH, CALG_SHA_512, "SHA512")
    EC("1.3.14.3.2.26", "sha", G_HASH, CALG_SHA1, "SHA1")
    /* encryption algorithms */
    EC("1.2.840.113549.3.2", "rc2", G_ENCRYPT, CALG_RC2, "RC2")
    EC("1.2.840.113549.3.4", "rc4", G_ENCRYPT, CALG_RC4, "RC4")
    EC("1.3.14.3.2.7", "des", G_ENCRYPT, CALG_DES, "DES")
    EC("1.2.840.113549.3.7", "3des", G_ENCRYPT, CALG_3DES, "3DES")
    EC("2.16.840.1.101.3.4.1.2", "aes128", G_ENCRYPT, CALG_AES_128, "AES")
    EC("2.16.840.1.101.3.4.1.22", "aes192", G_ENCRYPT, CALG_AES_192, "AES")
    EC("2.16.840.1.101.3.4.1.42", "aes256", G_ENCRYPT, CALG_AES_256, "AES")
    /* public key algorithms */
    EX("1.2.840.113549.1.1.1", "RSA", G_PUBKEY, CALG_RSA_KEYX, x_rsa_pub, "RSA", "")
    EX("1.2.840.10040.4.1", "DSA", G_PUBKEY, CALG_DSS_SIGN, x_dsa_pub, "DSA", "")
    EX("1.2.840.10046.2.1", "DH", G_PUBKEY, CALG_DH_SF, x_dh_pub, "DH", "")
    EX("1.2.840.113549.1.1.7", "RSAES_OAEP", G_PUBKEY, CALG_RSA_KEYX, x_rsa_pub, "RSA", "")
    EX("1.2.840.10045.2.1", "ECC", G_PUBKEY, CALG_OID_INFO_PARAMETERS, x_ecc_pub,
       "CryptOIDInfoECCParameters", "")
    EX("1.2.840.10045.3.1.7", "ECDSA_P256", G_PUBKEY, CALG_OID_INFO_CNG_ONLY, x_ecc_pub,
       "ECDSA_P256", "ECDH_P256")
    EX("1.3.132.0.34", "ECDSA_P384", G_PUBKEY, CALG_OID_INFO_CNG_ONLY, x_ecc_pub, "ECDSA_P384",
       "ECDH_P384")
    EX("1.3.132.0.35", "ECDSA_P521", G_PUBKEY, CALG_OID_INFO_CNG_ONLY, x_ecc_pub, "ECDSA_P521",
       "ECDH_P521")
    EX("1.2.840.113549.1.1.1", "RSA", G_PUBKEY, CALG_RSA_SIGN, x_rsa_pub, "RSA", "")
    /* signature algorithms: Algid is the hash's, ExtraInfo starts with the public key's */
    EX("1.2.840.113549.1.1.5", "sha1RSA", G_SIGN, CALG_SHA1, x_sig_rsa, "SHA1", "RSA")
    EX("1.2.840.113549.1.1.4", "md5RSA", G_SIGN, CALG_MD5, x_sig_rsa, "MD5", "RSA")
    EX("1.2.840.113549.1.1.3", "md4RSA", G_SIGN, CALG_MD4, x_sig_rsa, "MD4", "RSA")
    EX("1.2.840.113549.1.1.2", "md2RSA", G_SIGN, CALG_MD2, x_sig_rsa, "MD2", "RSA")
    EX("1.2.840.113549.1.1.11", "sha256RSA", G_SIGN, CALG_SHA_256, x_sig_rsa, "SHA256", "RSA")
    EX("1.2.840.113549.1.1.12", "sha384RSA", G_SIGN, CALG_SHA_384, x_sig_rsa, "SHA384", "RSA")
    EX("1.2.840.113549.1.1.13", "sha512RSA", G_SIGN, CALG_SHA_512, x_sig_rsa, "SHA512", "RSA")
    EX("1.3.14.3.2.29", "sha1RSA", G_SIGN, CALG_SHA1, x_sig_rsa, "SHA1", "RSA")
    EX("1.2.840.113549.1.1.10", "RSASSA-PSS", G_SIGN, CALG_OID_INFO_PARAMETERS, x_sig_pss,
       "CryptOIDInfoHashParameters", "RSA")
    EX("1.2.840.10040.4.3", "sha1DSA", G_SIGN, CALG_SHA1, x_sig_dsa, "SHA1", "DSA")
    EX("1.2.840.10045.4.1", "sha1ECDSA", G_SIGN, CALG_SHA1, x_sig_ecdsa, "SHA1", "ECDSA")
    EX("1.2.840.10045.4.3.2", "sha256ECDSA", G_SIGN, CALG_SHA_256, x_sig_ecdsa, "SHA256",
       "ECDSA")
    EX("1.2.840.10045.4.3.3", "sha384ECDSA", G_SIGN, CALG_SHA_384, x_sig_ecdsa, "SHA384",
       "ECDSA")
    EX("1.2.840.10045.4.3.4", "sha512ECDSA", G_SIGN, CALG_SHA_512, x_sig_ecdsa, "SHA512",
       "ECDSA")
    EX("1.2.840.10045.4.3", "specifiedECDSA", G_SIGN, CALG_OID_INFO_PARAMETERS, x_sig_ecdsa,
       "CryptOIDInfoHashParameters", "ECDSA")
    EX("1.3.6.1.5.5.7.6.2", "NULL", G_SIGN, CALG_NO_SIGN, x_sig_nosign, "", "")
    /* name (RDN) attributes */
    EX("2.5.4.3", "CN", G_RDN, 0, x_rdn_any, "", "")
    EX("2.5.4.4", "SN", G_RDN, 0, x_rdn_any, "", "")
    EX("2.5.4.5", "SERIALNUMBER", G_RDN, 0, x_rdn_print, "", "")
    EX("2.5.4.6", "C", G_RDN, 0, x_rdn_print, "", "")
    EX("2.5.4.7", "L", G_RDN, 0, x_rdn_any, "", "")
    EX("2.5.4.8", "S", G_RDN, 0, x_rdn_any, "", "")
    EX("2.5.4.9", "STREET", G_RDN, 0, x_rdn_any, "", "")
    EX("2.5.4.10", "O", G_RDN, 0, x_rdn_any, "", "")
    EX("2.5.4.11", "OU", G_RDN, 0, x_rdn_any, "", "")
    EX("2.5.4.12", "T", G_RDN, 0, x_rdn_any, "", "")
    EX("2.5.4.12", "Title", G_RDN, 0, x_rdn_any, "", "")
    EX("2.5.4.42", "G", G_RDN, 0, x_rdn_any, "", "")
    EX("2.5.4.42", "GivenName", G_RDN, 0, x_rdn_any, "", "")
    EX("2.5.4.43", "I", G_RDN, 0, x_rdn_any, "", "")
    EX("2.5.4.43", "Initials", G_RDN, 0, x_rdn_any, "", "")
    EX("2.5.4.46", "dnQualifier", G_RDN, 0, x_rdn_print, "", "")
    EX("1.2.840.113549.1.9.1", "E", G_RDN, 0, x_rdn_ia5, "", "")
    EX("1.2.840.113549.1.9.1", "Email", G_RDN, 0, x_rdn_ia5, "", "")
    EX("0.9.2342.19200300.100.1.25", "DC", G_RDN, 0, x_rdn_ia5, "", "")
    EX("0.9.2342.19200300.100.1.1", "UID", G_RDN, 0, x_rdn_any, "", "")
    /* extensions and attributes */
    E("2.5.29.14", "Subject Key Identifier", G_EXT, 0)
    E("2.5.29.15", "Key Usage", G_EXT, 0)
    E("2.5.29.17", "Subject Alternative Name", G_EXT, 0)
    E("2.5.29.18", "Issuer Alternative Name", G_EXT, 0)
    E("2.5.29.19", "Basic Constraints", G_EXT, 0)
    E("2.5.29.20", "CRL Number", G_EXT, 0)
    E("2.5.29.30", "Name Constraints", G_EXT, 0)
    E("2.5.29.31", "CRL Distribution Points", G_EXT, 0)
    E("2.5.29.32", "Certificate Policies", G_EXT, 0)
    E("2.5.29.35", "Authority Key Identifier", G_EXT, 0)
    E("2.5.29.37", "Enhanced Key Usage", G_EXT, 0)
    E("1.3.6.1.5.5.7.1.1", "Authority Information Access", G_EXT, 0)
    E("1.2.840.113549.1.9.3", "Content Type", G_EXT, 0)
    E("1.2.840.113549.1.9.4", "Message Digest", G_EXT, 0)
    E("1.2.840.113549.1.9.5", "Signing Time", G_EXT, 0)
    E("1.2.840.113549.1.9.6", "Counter Sign", G_EXT, 0)
    E("1.2.840.113549.1.9.15", "SMIME Capabilities", G_EXT, 0)
    /* enhanced key usages */
    E("1.3.6.1.5.5.7.3.1", "Server Authentication", G_EKU, 0)
    E("1.3.6.1.5.5.7.3.2", "Client Authentication", G_EKU, 0)
    E("1.3.6.1.5.5.7.3.3", "Code Signing", G_EKU, 0)
    E("1.3.6.1.5.5.7.3.4", "Secure Email", G_EKU, 0)
    E("1.3.6.1.5.5.7.3.8", "Time Stamping", G_EKU, 0)
    E("1.3.6.1.5.5.7.3.9", "OCSP Signing", G_EKU, 0)
    E("1.3.6.1.4.1.311.10.3.13", "Lifetime Signing", G_EKU, 0)
    /* policies */
    E("2.5.29.32.0", "All Issuance Policies", G_POLICY, 0)
