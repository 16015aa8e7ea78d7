#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs one task of tests/go/deb: real Go programs nobody here wrote (gojq, chroma, go-toml's
# commands, gxz, glua), built by golang-go from Debian's Go source packages for Windows and
# for Linux (deb/programs.list: name, import path, Debian package).
# usage: run-go-deb.sh NTRUN DEB_DIR PROGRAMS.LIST TASK.sh
#   DEB_DIR: the folder of the builds (NAME.exe, NAME.linux); "-" when golang-go is missing.
#
# The task is sourced twice, each time in a scratch directory of its own: first running the Linux
# builds natively, then the Windows builds under ntrun. The test passes when
#   - the stdout of every run under ntrun, all runs one after the other, is TASK.stdout (what the
#     Windows programs print: LF line ends, as Go writes them);
#   - each run's stdout and exit status under ntrun are the native run's;
#   - every run is followed by an `expect_exit N` that holds in both passes;
#   - the scratch directories end up holding the same files.
# Task language (as tests/go/run-go-cmd.sh's):
#   put FILE FORMAT     write `printf FORMAT` to FILE
#   stdin FORMAT        standard input of the next run; else /dev/null
#   run NAME [ARG...]   run the program NAME of programs.list
#   expect_exit N       the last run exited with N
# Environment a task exports (TZ, ...) reaches both builds; ntrun maps TZ to Windows' zone.
# A program whose build is missing (its Debian package was not installed when the build was
# configured) makes the test a skip (77) naming the package.
# $NTRUN_TEST_SUD=inclusive (ctest godeb_inclusive.TASK, label sud_inclusive): ntrun runs with
# --sud=inclusive, and the test is skipped (77) when ntrun says it fell back to the default mode.
# $GODEB_WRITE_EXPECTED=FILE: also write ntrun's stdout of all runs to FILE (to make TASK.stdout).
ntrun=$1 debdir=$2 list=$3 task=$4
name=$(basename "$task" .sh)
expected=${task%.sh}.stdout
if [ "$debdir" = "-" ]; then
    echo "skip godeb.$name: golang-go is not installed (tools/bootstrap.sh installs it)"
    exit 77
fi
for prog in $(sed -n 's/^run[ \t]\{1,\}\([^ \t]*\).*/\1/p' "$task" | sort -u); do
    pkg=$(awk -v p="$prog" '$1 == p { print $3 }' "$list")
    if [ -z "$pkg" ]; then
        echo "FAIL godeb.$name: program $prog is not in $list"
        exit 1
    fi
    if [ ! -x "$debdir/$prog.exe" ] || [ ! -x "$debdir/$prog.linux" ]; then
        echo "skip godeb.$name: $prog is not built: Debian's $pkg is not installed" \
             "(tools/bootstrap.sh installs it; then reconfigure the build)"
        exit 77
    fi
done
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-godeb-$name.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
fail=0
sud=
[ -n "$NTRUN_TEST_SUD" ] && sud="--sud=$NTRUN_TEST_SUD"

put() {
    mkdir -p "$(dirname "$cwd/$1")"
    printf "$2" > "$cwd/$1"
}
stdin() {
    printf "$1" > "$dir/stdin"
    stdin_file=$dir/stdin
}
. "$(dirname "$0")/compare-passes.sh"
run() {
    if [ "$runs" != "$checked" ]; then
        echo "FAIL godeb.$name: run $runs ($pass) has no expect_exit"
        fail=1
    fi
    prog=$1
    shift
    ntrun_opts=$sud
    run_prog "$debdir/$prog" "$@"
    cat "$out" >> "$dir/stdout"
}
expect_exit() {
    checked=$runs
    got=$(cat "$dir/status.$runs")
    if [ "$got" != "$1" ]; then
        echo "FAIL godeb.$name: run $runs ($pass) exited with $got, expected $1"
        fail=1
    fi
}

for pass in native ntrun; do
    dir=$work/$pass cwd=$work/$pass/cwd runs=0 checked=0 stdin_file=/dev/null
    mkdir -p "$cwd"
    : > "$dir/stderr"
    : > "$dir/stdout"
    cd "$cwd" || exit 2
    . "$task"
    cd "$work" || exit 2
    if [ "$runs" != "$checked" ]; then
        echo "FAIL godeb.$name: run $runs ($pass) has no expect_exit"
        fail=1
    fi
done
if [ -n "$sud" ] && grep -q -- "$sud: .*using the default mode" "$work/ntrun/stderr"; then
    echo "skip godeb.$name: $(grep -- "$sud: " "$work/ntrun/stderr" | head -1)"
    exit 77
fi
[ -n "$GODEB_WRITE_EXPECTED" ] && cp "$work/ntrun/stdout" "$GODEB_WRITE_EXPECTED"
if ! cmp -s "$expected" "$work/ntrun/stdout"; then
    echo "FAIL godeb.$name: stdout under ntrun is not $(basename "$expected")"
    diff -a -u "$expected" "$work/ntrun/stdout" | head -30
    fail=1
fi
compare_passes "godeb.$name"
if [ $fail != 0 ]; then
    echo "--- stderr under ntrun:"
    head -40 "$work/ntrun/stderr"
    exit 1
fi
echo "ok godeb.$name ($runs runs, $(wc -l < "$work/ntrun/stdout") lines of output)"
