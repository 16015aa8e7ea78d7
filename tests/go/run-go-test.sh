#!/bin/sh
# Runs one Go test program twice, built for Linux and cross-built for Windows from the same
# source, and compares stdout (exact bytes) and the exit status of the Windows build under ntrun
# with the native run.
# usage: run-go-test.sh NTRUN GO_EXE LINUX_EXE STEM   (STEM.args: arguments, one a line)
# Exit 77 (skip) when golang-go was not installed at configure time (GO_EXE is "-").
# $NTRUN_TEST_SUD=inclusive (ctest label sud_inclusive): ntrun runs with --sud=inclusive, and the
# test is skipped (77) when ntrun says it fell back to the default mode.
ntrun=$1 exe=$2 native=$3 stem=$4
name=$(basename "$stem")
if [ "$exe" = "-" ]; then
    echo "skip $name: golang-go is not installed (tools/bootstrap.sh installs it)"
    exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-go-$name.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
set --
if [ -f "$stem.args" ]; then
    while IFS= read -r line || [ -n "$line" ]; do set -- "$@" "$line"; done < "$stem.args"
fi
mkdir "$work/native" "$work/ntrun"
(cd "$work/native" && "$native" "$@" < /dev/null > "$work/native.stdout" 2> "$work/native.stderr")
want_status=$?
sud=
[ -n "$NTRUN_TEST_SUD" ] && sud="--sud=$NTRUN_TEST_SUD"
(cd "$work/ntrun" && NTRUN_TEST=1 "$ntrun" $sud "$exe" "$@" < /dev/null > "$work/ntrun.stdout" \
    2> "$work/ntrun.stderr")
status=$?
if [ -n "$sud" ] && grep -q -- "$sud: .*using the default mode" "$work/ntrun.stderr"; then
    echo "skip $name: $(grep -- "$sud: " "$work/ntrun.stderr" | head -1)"
    exit 77
fi
fail=0
if ! cmp -s "$work/native.stdout" "$work/ntrun.stdout"; then
    echo "FAIL $name: stdout under ntrun differs from the native build's"
    diff -a -u "$work/native.stdout" "$work/ntrun.stdout" | head -40
    fail=1
fi
if [ "$status" != "$want_status" ]; then
    echo "FAIL $name: exit status $status under ntrun, $want_status natively"
    fail=1
fi
if [ $fail != 0 ]; then
    echo "--- stderr under ntrun:"; head -40 "$work/ntrun.stderr"
    exit 1
fi
echo "ok $name (exit $status, $(wc -l < "$work/ntrun.stdout") lines)"
