#!/bin/sh
# The other way of pe.crypt_envelope_ecdh's check: the key-agreement (ECDH) enveloped messages
# ntrun writes (rgCmsRecipients with CMSG_KEY_AGREE_RECIPIENT_ENCODE_INFO: sha256kdf with
# id-aes256-wrap; sha1kdf with id-aes128-wrap, user keying material and the recipient among two
# encrypted keys, named by its key identifier) must open with `openssl cms -decrypt` and the
# recipient's P-256 key that crypt_envelope_ecdh.gen made, giving content.txt back; so must
# the one with a static originator key (the recipient's own key, named by issuer and serial
# number), given the originator's certificate.
# usage: crypt-envelope-ecdh-openssl.sh NTRUN CRYPT_ENVELOPE_ECDH_EXE
ntrun=$1 exe=$2
data=$(dirname "$exe")/crypt_envelope_ecdh
if ! command -v openssl > /dev/null 2>&1; then
    echo "skip: openssl is missing"
    exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-ecdh.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
"$ntrun" "$exe" write "Z:$work" > "$work/out" 2>&1 ||
    { echo "FAIL: the program failed:"; cat "$work/out"; exit 1; }
fail=0
for msg in ntrun_ecdh_sha256.p7 ntrun_ecdh_two.p7; do
    if [ ! -f "$work/$msg" ]; then
        echo "FAIL: the program wrote no $msg"
        fail=1
    elif openssl cms -decrypt -binary -inform DER -in "$work/$msg" -recip "$data/ec.pem" \
        -inkey "$data/ec.key.pem" -out "$work/plain" 2> "$work/err" &&
        cmp -s "$work/plain" "$data/content.txt"; then
        echo "ok: openssl cms -decrypt $msg gives content.txt"
    else
        echo "FAIL: openssl cms -decrypt $msg:"
        cat "$work/err"
        fail=1
    fi
done
# a static originator key (the recipient's own, named by its certificate): openssl takes the
# originator's certificate with -originator
msg=ntrun_ecdh_static_ias.p7
if [ ! -f "$work/$msg" ]; then
    echo "FAIL: the program wrote no $msg"
    fail=1
elif openssl cms -decrypt -binary -inform DER -in "$work/$msg" -recip "$data/ec.pem" \
    -inkey "$data/ec.key.pem" -originator "$data/ec.pem" -out "$work/plain" 2> "$work/err" &&
    cmp -s "$work/plain" "$data/content.txt"; then
    echo "ok: openssl cms -decrypt -originator ec.pem $msg gives content.txt"
else
    echo "FAIL: openssl cms -decrypt -originator ec.pem $msg:"
    cat "$work/err"
    fail=1
fi
exit $fail
