#!/bin/sh
# The command line itself: --help and --version succeed, bad options and a missing program are
# usage errors (exit 2) with a message.
ntrun=$1
fail=0
check() { # name expected-status pattern args...
    name=$1 want=$2 pattern=$3; shift 3
    out=$("$ntrun" "$@" 2>&1); status=$?
    if [ "$status" != "$want" ] || ! printf '%s' "$out" | grep -q -- "$pattern"; then
        echo "FAIL $name: status $status (want $want), output: $out"; fail=1
    else
        echo "ok $name"
    fi
}
check help 0 "usage: ntrun" --help
check version 0 "ntrun [0-9]" --version
check no-program 2 "usage: ntrun"
check bad-option 2 "unknown option '--bogus'" --bogus x.exe
check bad-trace 2 "unknown trace channel" --trace=nope x.exe
check bad-build 2 "must be 10 or 11" --windows-build=7 x.exe
exit $fail
