#!/bin/sh
# Programs whose TLS callback or .CRT initializer pointer is not a valid address (made by
# tests/tools/pe_poke.c): each must end as the program's unhandled access violation (exit status
# 0xC0000005 & 0xff = 5, "execute at <target>"), never as a crash of ntrun.
# usage: bad-pointers.sh NTRUN DIR
ntrun=$1 dir=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-cli.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
fail=0

expect() { # name target
    name=$1 target=$2
    "$ntrun" "$dir/$name.exe" > "$work/out" 2> "$work/err"
    status=$?
    if [ $status -ne 5 ]; then
        echo "FAIL $name: exit status $status, expected 5 (0xC0000005)"; cat "$work/err"; fail=1
        return
    fi
    if ! grep -q "unhandled exception 0xC0000005 .*execute at $target" "$work/err" ||
       grep -q "internal error" "$work/err"; then
        echo "FAIL $name: stderr does not report the access violation at $target:"
        cat "$work/err"; fail=1; return
    fi
    echo "ok $name: $(head -1 "$work/err")"
}

expect tls_noncanonical 0x4141414141414141
expect tls_unmapped 0x10
expect crt_noncanonical 0x8000000000000000
expect crt_unmapped 0x7ffffff00000
exit $fail
