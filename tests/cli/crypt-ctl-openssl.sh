#!/bin/sh
# The other way of pe.crypt_ctl's check: the CTLs ntrun writes are read by openssl.
# - ctl.der (CryptEncodeObjectEx(PKCS_CTL)) parses with `openssl asn1parse` and holds the
#   usages, the list identifier and the subjects asked for.
# - ctl_cms.p7 (CryptMsgEncodeAndSignCTL with CMSG_CMS_ENCAPSULATED_CTL_FLAG) verifies with
#   `openssl cms -verify` and its content is ctl.der.
# - ctl_pkcs7.p7 (PKCS #7, the CTL itself as the content, as Windows writes it) prints with
#   `openssl pkcs7 -print` with the content type szOID_CTL; openssl cannot verify a content of
#   another type than data there, so its parts are taken out of `openssl asn1parse`'s listing and
#   checked with `openssl dgst`: the messageDigest attribute is the SHA-256 of the CTL's
#   contents (PKCS #7 9.3), and the signature over the attributes verifies with the signer's key.
# usage: crypt-ctl-openssl.sh NTRUN CRYPT_CTL_EXE
ntrun=$1 exe=$2
if ! command -v openssl > /dev/null 2>&1; then
    echo "skip: openssl is missing"
    exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-ctl.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
"$ntrun" "$exe" write "Z:$work" > "$work/out" 2>&1 ||
    { echo "FAIL: the program failed:"; cat "$work/out"; exit 1; }
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
cd "$work" || exit 2

if openssl asn1parse -inform DER -in ctl.der > ctl.txt 2>&1 &&
    grep -q ':Code Signing' ctl.txt && grep -q ':Microsoft Trust List Signing' ctl.txt &&
    grep -q 'OCTET STRING *:ntrun-list' ctl.txt && grep -q 'OBJECT *:sha1' ctl.txt &&
    [ "$(grep -c 'OCTET STRING *\[HEX DUMP\]:' ctl.txt)" -ge 3 ]; then
    ok "openssl asn1parse reads the CTL's usages, list identifier and subjects"
else
    bad "openssl asn1parse ctl.der:"
    cat ctl.txt
fi

openssl x509 -inform DER -in signer.der -out signer.pem 2> err || bad "signer.der"
if openssl cms -verify -noverify -binary -inform DER -in ctl_cms.p7 -certfile signer.pem \
    -out cms_content 2> err && cmp -s cms_content ctl.der; then
    ok "openssl cms -verify: the CMS-encapsulated CTL verifies, its content is the CTL"
else
    bad "openssl cms -verify ctl_cms.p7:"
    cat err
fi

if openssl pkcs7 -inform DER -in ctl_pkcs7.p7 -print -noout > p7.txt 2> err &&
    grep -q '(1.3.6.1.4.1.311.10.1)' p7.txt && grep -q ':ntrun-list' p7.txt; then
    ok "openssl pkcs7 -print: a signed message of type szOID_CTL holding the CTL"
else
    bad "openssl pkcs7 -print ctl_pkcs7.p7:"
    cat err p7.txt
fi

# The PKCS #7 form's signature, by hand: asn1parse's listing gives each element's offset,
# header and content length (depth 5: inside a SignerInfo or the encapsulated content): the
# first SEQUENCE at depth 5 is the CTL, the first [0] the signed attributes, the OCTET STRING
# after the messageDigest OID its value, the last OCTET STRING at depth 5 the signature.
openssl asn1parse -inform DER -in ctl_pkcs7.p7 > p7parse.txt 2> err || bad "asn1parse ctl_pkcs7.p7"
field() { # OFFSET HEADER LENGTH of the first line matching the awk condition $1
    awk -v want="$1" '
        { split($1, a, ":"); off = a[1]; d = a[2]; sub("d=", "", d); hl = $2; sub("hl=", "", hl)
          l = $3; sub("l=", "", l); if (l == "") { l = $4 } }
        want == "ctl" && d == 5 && $0 ~ /cons: SEQUENCE/ && !done { print off, hl, l; done = 1 }
        want == "attrs" && d == 5 && $0 ~ /cont \[ 0 \]/ && !done { print off, hl, l; done = 1 }
        want == "digest" && seen && $0 ~ /OCTET STRING/ && !done { print off, hl, l; done = 1 }
        want == "digest" && $0 ~ /:messageDigest/ { seen = 1 }
        want == "sig" && d == 5 && $0 ~ /prim: OCTET STRING/ { last = off " " hl " " l }
        END { if (want == "sig") print last }' p7parse.txt
}
cut_bytes() { # FILE OFFSET COUNT
    dd if="$1" bs=1 skip="$2" count="$3" 2> /dev/null
}
set -- $(field ctl)
ctl_off=$1 ctl_hl=$2 ctl_len=$3
set -- $(field attrs)
attrs_off=$1 attrs_hl=$2 attrs_len=$3
set -- $(field digest)
dig_off=$1 dig_hl=$2 dig_len=$3
set -- $(field sig)
sig_off=$1 sig_hl=$2 sig_len=$3
if [ -z "$ctl_off" ] || [ -z "$attrs_off" ] || [ -z "$dig_off" ] || [ -z "$sig_off" ]; then
    bad "the PKCS #7 CTL's parts are not where a SignedData has them:"
    cat p7parse.txt
else
    # the CTL's contents (no tag and length) hashed, against messageDigest's value
    cut_bytes ctl_pkcs7.p7 $((ctl_off + ctl_hl)) "$ctl_len" > ctl_contents
    want=$(openssl dgst -sha256 -binary ctl_contents | od -An -tx1 | tr -d ' \n')
    got=$(cut_bytes ctl_pkcs7.p7 $((dig_off + dig_hl)) "$dig_len" | od -An -tx1 | tr -d ' \n')
    if [ -n "$want" ] && [ "$want" = "$got" ]; then
        ok "messageDigest is the SHA-256 of the CTL's contents"
    else
        bad "messageDigest $got, the CTL's contents hash to $want"
    fi
    # the signature covers the attributes as a SET OF (tag 0x31 for [0])
    { printf '\061'; cut_bytes ctl_pkcs7.p7 $((attrs_off + 1)) $((attrs_hl + attrs_len - 1)); } \
        > attrs.der
    cut_bytes ctl_pkcs7.p7 $((sig_off + sig_hl)) "$sig_len" > sig.bin
    openssl x509 -in signer.pem -pubkey -noout > pub.pem 2> err
    if openssl dgst -sha256 -verify pub.pem -signature sig.bin attrs.der > err 2>&1; then
        ok "the PKCS #7 CTL's signature verifies with the signer's key (openssl dgst -verify)"
    else
        bad "openssl dgst -verify of the PKCS #7 CTL's attributes:"
        cat err
    fi
fi
exit $fail
