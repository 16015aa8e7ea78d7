#!/bin/sh
# ntrun --sud=inclusive (Linux >= 6.17): the mode is armed over the foreign range (--trace=sud
# says so), executable memory the program gets without naming an address lands in that range
# (and in the default mode it does not need to), executable memory at a chosen address outside
# it is refused with ERROR_INVALID_ADDRESS (allowed in the default mode), and on a kernel without
# the mode (NTRUN_TEST_SUD_EINVAL=inclusive acts as one) ntrun says so and runs the program in
# the default mode. Skipped (77) where this kernel lacks the mode.
# usage: sud-inclusive.sh NTRUN HELLO_EXE EXEC_ALLOC_EXE
ntrun=$1 hello=$2 exe=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-cli.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
fail=0
check() { # name file pattern
    if grep -q -- "$3" "$2"; then echo "ok $1"; else
        echo "FAIL $1: no \"$3\" in:"; cat "$2"; fail=1; fi
}

"$ntrun" --sud=inclusive --trace=sud "$hello" > "$work/out" 2> "$work/err"
if grep -q -- "--sud=inclusive: .*using the default mode" "$work/err"; then
    echo "skip: $(grep -- "--sud=inclusive: " "$work/err" | head -1)"
    exit 77
fi
check "armed over the foreign range" "$work/err" \
    "inclusive mode: system calls from 0x10000-0x400000000000 are dispatched"
check "hello runs" "$work/out" "Hello from a Windows program"

# 16 TiB slices: 2 and 3 are where ntrun places memory in the range; the exe at its base (0),
# the built-in DLLs below 0x180000000 (0: RT_BUILTIN_PLACE, twenty-fifth pass)
"$ntrun" --sud=inclusive "$exe" where > "$work/out" 2> "$work/err"
check "executable allocations in the range" "$work/out" \
    "slice (16 TiB): VirtualAlloc [23], view [23], ntdll 0, exe 0"

"$ntrun" --sud=inclusive "$exe" outside > "$work/out" 2> "$work/err"
check "RWX outside the range refused" "$work/out" "RWX at 0*500000000000: error 487"
check "VirtualProtect RX outside the range refused" "$work/out" \
    "RW at 0*500000000000: ok, VirtualProtect RX: error 487"
check "the refusal said once" "$work/err" "executable memory at 0x500000000000-.* is outside"
[ "$(grep -c "is outside the foreign range" "$work/err")" = 1 ] || {
    echo "FAIL: the refusal said more than once"; cat "$work/err"; fail=1; }

"$ntrun" "$exe" outside > "$work/out" 2> "$work/err"
check "RWX outside allowed by default" "$work/out" "RWX at 0*500000000000: ok 0"
check "VirtualProtect RX allowed by default" "$work/out" "VirtualProtect RX: ok 0"

NTRUN_TEST_SUD_EINVAL=inclusive "$ntrun" --sud=inclusive "$exe" > "$work/out" 2> "$work/err"
status=$?
check "a kernel without the mode: said" "$work/err" \
    "ntrun: --sud=inclusive: this kernel has no inclusive mode of Syscall User Dispatch (PR_SYS_DISPATCH_INCLUSIVE_ON, Linux 6.17 or later); using the default mode"
[ $status = 0 ] && [ "$(grep -c "time current" "$work/out")" = 10 ] && echo "ok ...and the default mode runs it" || {
    echo "FAIL: status $status in the default mode after the fallback:"; cat "$work/out"; fail=1; }
exit $fail
