#!/bin/sh
# The other way of pe.crypt_envelope's check: the enveloped messages ntrun writes
# (CryptMsgOpenToEncode(CMSG_ENVELOPED) with AES-256, CryptEncryptMessage with AES-128 and, for
# two recipients, DES-EDE3) must open with `openssl cms -decrypt` and `openssl smime -decrypt`
# and the recipient's key that crypt_envelope.gen made, giving content.txt back; so must its
# CMS recipients (rgCmsRecipients: by key identifier, KEK) with `openssl cms -decrypt`.
# usage: crypt-envelope-openssl.sh NTRUN CRYPT_ENVELOPE_EXE
ntrun=$1 exe=$2
data=$(dirname "$exe")/crypt_envelope
if ! command -v openssl > /dev/null 2>&1; then
    echo "skip: openssl is missing"
    exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-env.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
"$ntrun" "$exe" write "Z:$work" > "$work/out" 2>&1 ||
    { echo "FAIL: the program failed:"; cat "$work/out"; exit 1; }
fail=0
for msg in ntrun_aes256.p7 ntrun_aes128.p7 ntrun_des3_two.p7; do
    for cmd in cms smime; do
        if [ ! -f "$work/$msg" ]; then
            echo "FAIL: the program wrote no $msg"
            fail=1
        elif openssl $cmd -decrypt -binary -inform DER -in "$work/$msg" -recip "$data/recip.pem" \
            -inkey "$data/recip.key.pem" -out "$work/plain" 2> "$work/err" &&
            cmp -s "$work/plain" "$data/content.txt"; then
            echo "ok: openssl $cmd -decrypt $msg gives content.txt"
        else
            echo "FAIL: openssl $cmd -decrypt $msg:"
            cat "$work/err"
            fail=1
        fi
    done
done
# CMS recipients ntrun encoded (rgCmsRecipients): the key-transport recipient named by its
# subject key identifier, the KEK recipient (id-aes128-wrap, the key 000102..0f named
# "ntrun-kek"), and a message with both and a recipient by issuer and serial number, the
# certificate in originatorInfo and an unprotected attribute, opened both ways; RSAES-OAEP
# recipients (RFC 4055's default parameters, and SHA-256 with MGF1 over SHA-256)
kek="-secretkey 000102030405060708090a0b0c0d0e0f -secretkeyid 6e7472756e2d6b656b"
for case in "ntrun_cms_keyid.p7 key" "ntrun_cms_kek.p7 kek" "ntrun_cms_mixed.p7 key" \
    "ntrun_cms_mixed.p7 kek" "ntrun_cms_oaep.p7 key" "ntrun_cms_oaep256.p7 key"; do
    set -- $case
    if [ "$2" = key ]; then
        how="-recip $data/recip.pem -inkey $data/recip.key.pem"
    else
        how=$kek
    fi
    # shellcheck disable=SC2086 # $how is a list of arguments
    if [ ! -f "$work/$1" ]; then
        echo "FAIL: the program wrote no $1"
        fail=1
    elif openssl cms -decrypt -binary -inform DER -in "$work/$1" $how -out "$work/plain" \
        2> "$work/err" && cmp -s "$work/plain" "$data/content.txt"; then
        echo "ok: openssl cms -decrypt $1 with the $2 gives content.txt"
    else
        echo "FAIL: openssl cms -decrypt $1 with the $2:"
        cat "$work/err"
        fail=1
    fi
done
exit $fail
