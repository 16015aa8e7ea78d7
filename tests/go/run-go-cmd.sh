#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs one task of tests/go/cmd: Go's own commands (cmd/gofmt, cmd/test2json, ...), programs
# nobody here wrote, built by golang-go from the source in its GOROOT for Windows and for Linux.
# usage: run-go-cmd.sh NTRUN GO_DIR TASK.sh   (GO_DIR: the folder of the builds, "-" without go)
#
# The task is sourced twice, each time in a scratch directory of its own: first running the Linux
# builds natively (GO_DIR/cmd/NAME.linux), then the Windows builds under ntrun
# (GO_DIR/cmd/NAME.exe). Each run's stdout and exit status under ntrun must be the native run's,
# and the scratch directories must end up holding the same files. Task language:
#   put FILE FORMAT     write `printf FORMAT` to FILE
#   copy FILE           copy GO_DIR/FILE (a Go program built for tests/go) into the directory
#   stdin FORMAT        standard input of the next run; else /dev/null
#   run NAME [ARG...]   run Go's command NAME
#   expect_exit N       the last run exited with N (in both passes: the native build too)
#   expect_lines N      the last run printed at least N lines (in both passes)
# $out is the last run's stdout (for a task that derives the next input from it).
ntrun=$1 godir=$2 task=$3
name=$(basename "$task" .sh)
if [ "$godir" = "-" ]; then
    echo "skip go.$name: golang-go is not installed (tools/bootstrap.sh installs it)"
    exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-gocmd-$name.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
fail=0

put() {
    mkdir -p "$(dirname "$cwd/$1")"
    printf "$2" > "$cwd/$1"
}
copy() { cp "$godir/$1" "$cwd/$1"; }
stdin() {
    printf "$1" > "$dir/stdin"
    stdin_file=$dir/stdin
}
. "$(dirname "$0")/compare-passes.sh"
run() {
    cmd=$1
    shift
    run_prog "$godir/cmd/$cmd" "$@"
}
expect_exit() {
    got=$(cat "$dir/status.$runs")
    if [ "$got" != "$1" ]; then
        echo "FAIL go.$name: run $runs ($pass) exited with $got, expected $1"
        fail=1
    fi
}
expect_lines() {
    got=$(wc -l < "$out")
    if [ "$got" -lt "$1" ]; then
        echo "FAIL go.$name: run $runs ($pass) printed $got lines, expected at least $1"
        fail=1
    fi
}

for pass in native ntrun; do
    dir=$work/$pass cwd=$work/$pass/cwd runs=0 stdin_file=/dev/null
    mkdir -p "$cwd"
    : > "$dir/stderr"
    cd "$cwd" || exit 2
    . "$task"
    cd "$work" || exit 2
done
compare_passes "go.$name"
if [ $fail != 0 ]; then
    echo "--- stderr under ntrun:"
    head -40 "$work/ntrun/stderr"
    exit 1
fi
echo "ok go.$name ($runs runs, $(cat "$work"/ntrun/stdout.* | wc -l) lines of output)"
