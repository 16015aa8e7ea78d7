#!/bin/sh
# Programs whose TLS callback or .CRT initializer pointer is not a valid address (made by
# tests/tools/pe_poke.c): a .CRT initializer's must end as the program's unhandled access
# violation (exit status 0xC0000005 & 0xff = 5, "execute at <target>"); a TLS callback's is
# taken by the loader's __except around the callbacks, as on Windows (and Wine 8.0), and the
# program runs to its end; never a crash of ntrun.
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

runs() { # name: the loader took the fault, the program ran
    name=$1
    "$ntrun" "$dir/$name.exe" > "$work/out" 2> "$work/err"
    status=$?
    if [ $status -ne 0 ] || ! grep -q "Hello from a Windows program" "$work/out"; then
        echo "FAIL $name: exit status $status, expected 0 and the program's output"
        cat "$work/out" "$work/err"; fail=1
        return
    fi
    echo "ok $name: ran to its end"
}

runs tls_noncanonical
runs tls_unmapped
expect crt_noncanonical 0x8000000000000000
expect crt_unmapped 0x7ffffff00000
exit $fail
