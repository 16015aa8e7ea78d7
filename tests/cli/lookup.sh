#!/bin/sh
# Finding the program as Wine does: without ".exe", by a Windows path on Z: (the Linux root) or
# C: ($NTRUN_C_DRIVE, looked up case-insensitively), a program whose name starts with '-'
# after "--"; and the command line's -h and NTRUN_TRACE.
# usage: lookup.sh NTRUN HELLO_EXE
ntrun=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") hello=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-lookup.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
fail=0
mkdir -p "$work/bin" "$work/c/Games"
cp "$hello" "$work/bin/hello.exe"
cp "$hello" "$work/c/Games/Hello.exe"
cp "$hello" "$work/bin/-dash.exe"
export NTRUN_C_DRIVE="$work/c"

check() { # name expected-status pattern command...
    name=$1 want=$2 pattern=$3; shift 3
    out=$("$@" 2>&1); status=$?
    if [ "$status" != "$want" ] || ! printf '%s' "$out" | grep -q -- "$pattern"; then
        echo "FAIL $name: status $status (want $want), output: $out"; fail=1
    else
        echo "ok $name"
    fi
}
winpath=$(printf '%s' "$work/bin/hello.exe" | tr / '\\')   # \tmp\...\bin\hello.exe

check no-extension 0 "argv\[1\] = one" sh -c 'cd "$1/bin" && "$2" hello one' - "$work" "$ntrun"
check no-extension-abs 0 "Hello from a Windows program" "$ntrun" "$work/bin/hello"
check z-drive 0 "argv\[1\] = two" "$ntrun" "Z:$winpath" two
check z-drive-slashes 0 "Hello from a Windows program" "$ntrun" "z:$work/bin/hello.exe"
check c-drive 0 "Hello from a Windows program" "$ntrun" 'C:\Games\Hello.exe'
check c-drive-any-case 0 "Hello from a Windows program" "$ntrun" 'c:\GAMES\hello.EXE'
check c-drive-no-extension 0 "Hello from a Windows program" "$ntrun" 'C:\games\hello'
check program-named-dash 0 "Hello from a Windows program" sh -c 'cd "$1/bin" && "$2" -- -dash.exe' - "$work" "$ntrun"
check missing-no-extension 126 "nosuch: cannot open" sh -c 'cd "$1" && "$2" nosuch' - "$work" "$ntrun"
check missing-c-drive 126 "cannot open" "$ntrun" 'C:\Games\nosuch.exe'
check dash-h 0 "usage: ntrun" "$ntrun" -h
check short-unknown-option 2 "unknown option '-x'" "$ntrun" -x "$work/bin/hello.exe"
check ntrun-trace 0 "\[time\] load hello.exe" env NTRUN_TRACE=time "$ntrun" "$work/bin/hello.exe"
check trace-option-wins 0 "\[loader\]" env NTRUN_TRACE=time "$ntrun" --trace=loader "$work/bin/hello.exe"
if env NTRUN_TRACE=time "$ntrun" --trace=loader "$work/bin/hello.exe" 2>&1 | grep -q "\[time\]"; then
    echo "FAIL trace-option-wins: NTRUN_TRACE was used with --trace"; fail=1
fi
exit $fail
