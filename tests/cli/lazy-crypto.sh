#!/bin/sh
# Nettle, hogweed and GMP are opened on a program's first crypto call (issue 12): ntrun does not
# link them, a hello.exe never maps them, a bcrypt program does; and when one cannot be opened
# the crypto call fails the Windows way (STATUS_NOT_FOUND) with one diagnostic naming it.
# usage: lazy-crypto.sh NTRUN HELLO.EXE BCRYPT_HASH.EXE
ntrun=$1 hello=$2 bhash=$3
fail=0
libs='libnettle|libhogweed|libgmp'
if readelf -d "$ntrun" | grep NEEDED | grep -E "$libs"; then
    echo "FAIL: ntrun links a crypto library"; fail=1
else
    echo "ok not linked"
fi
# ld.so names every object it loads, at start or by dlopen. A static-pie ntrun (the default
# build, CMakeLists.txt NTRUN_STATIC_PIE) has no ld.so to ask: its opens are read with strace.
loads() { # program -> the libraries' opens, one a line
    if readelf -lW "$ntrun" | grep -q INTERP; then
        LD_DEBUG=files "$ntrun" "$1" 2>&1
    else
        strace -f -qq -e trace=openat -e signal=none -o /dev/stdout "$ntrun" "$1" 2>/dev/null |
            sed -n 's|.*/\(lib[a-z]*\)\.so.*|file=\1|p'
    fi
}
if ! readelf -lW "$ntrun" | grep -q INTERP && ! command -v strace >/dev/null 2>&1; then
    echo "skip: a static ntrun and no strace to see what it opens"; exit 77
fi
out=$(loads "$hello")
if printf '%s\n' "$out" | grep -E "file=($libs)"; then
    echo "FAIL: hello.exe loads a crypto library"; fail=1
else
    echo "ok hello loads none"
fi
out=$(loads "$bhash")
for l in libnettle libhogweed libgmp; do
    if printf '%s\n' "$out" | grep -q "file=$l"; then
        echo "ok bcrypt loads $l"
    else
        echo "FAIL: bcrypt_hash.exe does not load $l"; fail=1
    fi
done
# A missing library: hogweed hidden under a bind mount of an empty file (needs a private mount
# namespace: skipped where unshare cannot make one).
hw=$(readlink -f "$(ldconfig -p | sed -n 's/.*libhogweed\.so\.[0-9]* (libc6,x86-64) => //p' | head -1)")
if [ -n "$hw" ] && unshare -m true 2>/dev/null; then
    out=$(unshare -m sh -c 'mount --bind /dev/null "$1" && exec "$2" "$3"' sh "$hw" "$ntrun" \
          "$bhash" 2>&1)
    status=$?
    n=$(printf '%s\n' "$out" | grep -c "cannot load libhogweed")
    if [ "$n" = 1 ] && printf '%s\n' "$out" | grep -q "^open RNG: 00000000" &&
       printf '%s\n' "$out" | grep -q "^open SHA256: c0000225" && [ "$status" -lt 128 ]; then
        echo "ok missing hogweed: STATUS_NOT_FOUND, one diagnostic, exit $status"
    else
        echo "FAIL missing hogweed: status $status, output:"; printf '%s\n' "$out"; fail=1
    fi
else
    echo "skip missing-library case: no private mount namespace"
fi
exit $fail
