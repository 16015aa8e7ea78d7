#!/bin/sh
# The run's options reach the program's CreateProcess children (docs/design.md, "What a child
# inherits of the run's options"), and ntrun's messages of a child go to the first ntrun's stderr,
# not to the child's (a pipe its parent program reads): process_child_mode.exe starts a child
# that starts a grandchild, each with stdout and stderr on pipes.
#  - --trace=loader: each child's trace lines on ntrun's stderr, marked with its pid; the stderr the
#    programs captured holds only what they wrote.
#  - --sud=inclusive (Linux >= 6.17; else skipped): the three processes armed over the foreign
#    range, each saying its refusal of executable memory outside it once, on ntrun's stderr; a
#    kernel without the mode (NTRUN_TEST_SUD_EINVAL=inclusive) says so once, not once per child.
#  - --strict: a child importing what ntrun lacks (builtin_dlls.exe) is refused, its missing
#    imports listed on ntrun's stderr; without --strict it runs.
# usage: child-options.sh NTRUN CHILD_MODE_EXE BUILTIN_DLLS_EXE
ntrun=$1 exe=$2 missing=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-cli.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
fail=0
check() { # name file pattern (the programs' CR LF line ends read as LF)
    if tr -d '\r' < "$2" | grep -q -- "$3"; then echo "ok $1"; else
        echo "FAIL $1: no \"$3\" in:"; cat "$2"; fail=1; fi
}
count() { # name file pattern n
    n=$(tr -d '\r' < "$2" | grep -c -- "$3")
    if [ "$n" = "$4" ]; then echo "ok $1 ($n)"; else
        echo "FAIL $1: $n lines with \"$3\", not $4, in:"; cat "$2"; fail=1; fi
}
clean_capture() { # name
    if tr -d '\r' < "$work/out" | grep -q "^stderr of level 1$" && ! grep -q "ntrun" "$work/out"; then
        echo "ok $1: the captured stderr holds only the programs' lines"
    else echo "FAIL $1: captured stderr:"; cat "$work/out"; fail=1; fi
}

"$ntrun" --trace=loader "$exe" > "$work/out" 2> "$work/err"
check "--trace=loader: the tree agrees" "$work/out" "the three processes run in the same mode: yes"
clean_capture "--trace=loader"
pids=$(sed -n 's/^ntrun: \[pid \([0-9]*\)\] \[loader\] .*/\1/p' "$work/err" | sort -u | wc -l | tr -d ' ')
[ "$pids" = 2 ] && echo "ok --trace=loader: trace lines of 2 children, by pid" || {
    echo "FAIL --trace=loader: trace lines of $pids child pids, not 2:"; head -20 "$work/err"; fail=1; }
check "--trace=loader: the first ntrun's lines unmarked" "$work/err" "^ntrun: \[loader\] "

"$ntrun" --sud=inclusive --trace=sud "$exe" > "$work/out" 2> "$work/err"
if grep -q -- "--sud=inclusive: .*using the default mode" "$work/err"; then
    echo "skip --sud=inclusive: $(grep -- "--sud=inclusive: " "$work/err" | head -1)"
else
    check "--sud=inclusive: the tree agrees" "$work/out" "the three processes run in the same mode: yes"
    clean_capture "--sud=inclusive"
    count "--sud=inclusive: the first ntrun armed" "$work/err" \
        "^ntrun: \[sud\] inclusive mode: system calls from" 1
    count "--sud=inclusive: child and grandchild armed" "$work/err" \
        "^ntrun: \[pid [0-9]*\] \[sud\] inclusive mode: system calls from" 2
    count "--sud=inclusive: each process refused RWX outside the range" "$work/err" \
        "^ntrun: --sud=inclusive: executable memory at 0x500000000000-.* is outside the foreign range" 3
fi

NTRUN_TEST_SUD_EINVAL=inclusive "$ntrun" --sud=inclusive "$exe" > "$work/out" 2> "$work/err"
check "no inclusive mode: the tree agrees" "$work/out" "the three processes run in the same mode: yes"
count "no inclusive mode: said once" "$work/err" "using the default mode" 1

"$ntrun" --strict "$exe" run "$missing" > "$work/out" 2> "$work/err"
name=$(basename "$missing")
if tr -d '\r' < "$work/out" | grep -q "^child exit code 0$"; then
    echo "FAIL --strict: the child ran:"; cat "$work/out"; fail=1
else
    check "--strict: the child was refused" "$work/out" "^child exit code 0x[0-9a-f]*$"
fi
check "--strict: its missing imports on ntrun's stderr" "$work/err" \
    "^ntrun: $name: missing import [^ ]*![^ ]* (not implemented)$"
"$ntrun" "$exe" run "$missing" > "$work/out" 2> "$work/err"
check "without --strict: the child runs" "$work/out" "^child exit code 0$"
exit $fail
