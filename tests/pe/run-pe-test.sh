#!/bin/sh
# Runs one PE corpus program under ntrun and compares stdout (exact bytes) and the exit status.
# usage: run-pe-test.sh NTRUN EXE STEM   (STEM.stdout, STEM.exit, STEM.args, STEM.ntrun, STEM.stdin,
#                                         STEM.requires, STEM.stderr-grep)
# STEM.stderr-absent: fixed strings, one a line, that stderr must not contain.
# STEM.token: "elevated" or "standard" ($NTRUN_TOKEN: the privileges of the program's token).
# STEM.requires lists what the program needs, one a line. "sud": the program executes
# raw `syscall` instructions, which only Syscall User Dispatch can emulate; when ntrun reports
# that the kernel lacks it, the test is skipped with exit status 77 (ctest: SKIP_RETURN_CODE 77).
# $NTRUN_TEST_SUD=inclusive (the sud_inclusive ctest label): run with --sud=inclusive, skipped
# (77) when ntrun says it fell back to the default mode.
ntrun=$1 exe=$2 stem=$3
name=$(basename "$stem")
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-pe-$name.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
set --
if [ -f "$stem.ntrun" ]; then
    while IFS= read -r line || [ -n "$line" ]; do set -- "$@" "$line"; done < "$stem.ntrun"
fi
[ -n "$NTRUN_TEST_SUD" ] && set -- "--sud=$NTRUN_TEST_SUD" "$@"
set -- "$@" "$exe"
if [ -f "$stem.args" ]; then
    while IFS= read -r line || [ -n "$line" ]; do set -- "$@" "$line"; done < "$stem.args"
fi
stdin=/dev/null
[ -f "$stem.stdin" ] && stdin="$stem.stdin"
# STEM.token: "elevated" or "standard", the token the program gets (an elevated administrator's
# or a standard user's privileges) whoever runs the test; without it, root's runs are elevated.
if [ -f "$stem.token" ]; then NTRUN_TOKEN=$(cat "$stem.token"); export NTRUN_TOKEN; fi
# Programs run in a scratch directory of their own: files they create do not leak.
(cd "$work" && NTRUN_TEST=1 "$ntrun" "$@" < "$stdin" > "$work/.stdout" 2> "$work/.stderr")
status=$?
if [ -f "$stem.requires" ] && grep -qx sud "$stem.requires" &&
   grep -q "Syscall User Dispatch is not available" "$work/.stderr"; then
    echo "skip $name: needs Syscall User Dispatch, which this kernel does not offer"
    exit 77
fi
if [ -n "$NTRUN_TEST_SUD" ] && grep -q -- "--sud=$NTRUN_TEST_SUD: .*using the default mode" "$work/.stderr"; then
    echo "skip $name: $(grep -- "--sud=$NTRUN_TEST_SUD: " "$work/.stderr" | head -1)"
    exit 77
fi
# "corpus": the program uses the pinned Wine tools of tests/corpus (their build folder beside
# the programs'); it exits with 77 when they are not there (the corpus is skipped).
if [ -f "$stem.requires" ] && grep -qx corpus "$stem.requires" && [ "$status" = 77 ]; then
    echo "skip $name: needs the pinned Wine tools of tests/corpus ($(head -1 "$work/.stdout"))"
    exit 77
fi
want_status=0
[ -f "$stem.exit" ] && want_status=$(cat "$stem.exit")
fail=0
if ! cmp -s "$stem.stdout" "$work/.stdout"; then
    echo "FAIL $name: stdout differs from $stem.stdout"
    diff -a -u "$stem.stdout" "$work/.stdout" | head -40
    fail=1
fi
# STEM.stderr-grep: fixed strings, one a line, that must each appear in stderr.
if [ -f "$stem.stderr-grep" ]; then
    while IFS= read -r pat || [ -n "$pat" ]; do
        [ -z "$pat" ] && continue
        if ! grep -qF -- "$pat" "$work/.stderr"; then
            echo "FAIL $name: stderr lacks \"$pat\" ($stem.stderr-grep)"
            fail=1
        fi
    done < "$stem.stderr-grep"
fi
if [ -f "$stem.stderr-absent" ]; then
    while IFS= read -r pat || [ -n "$pat" ]; do
        [ -z "$pat" ] && continue
        if grep -qF -- "$pat" "$work/.stderr"; then
            echo "FAIL $name: stderr contains \"$pat\" ($stem.stderr-absent)"
            fail=1
        fi
    done < "$stem.stderr-absent"
fi
if [ "$status" != "$want_status" ]; then
    echo "FAIL $name: exit status $status, expected $want_status"
    fail=1
fi
if [ $fail != 0 ]; then
    echo "--- stderr:"; head -40 "$work/.stderr"
    exit 1
fi
echo "ok $name (exit $status)"
