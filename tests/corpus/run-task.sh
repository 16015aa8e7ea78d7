#!/bin/sh
# Runs one corpus task under ntrun: a Wine 8.0 PE console tool doing a small real job.
# usage: run-task.sh NTRUN CORPUS_BUILD_DIR TASK.sh
#
# A task is a shell script sourced by this one in a scratch directory of its own (the tools run
# there too); it says what the tool is given and what it must print, with these commands:
#   put FILE FORMAT          write `printf FORMAT` to FILE (its directories are created)
#   stdin FORMAT             standard input of the next run (`printf FORMAT`); else /dev/null
#   run TOOL [ARG...]        run TOOL.exe under ntrun with these arguments (argv: ntrun quotes
#                            them into the command line as Windows programs expect)
#   expect_stdout FORMAT     the last run printed exactly `printf FORMAT`; @CWD@ in it stands for
#                            the scratch directory's Windows path (Z:\tmp\...)
#   expect_exit N            the last run's exit status was N
#   expect_stderr TEXT       the last run's stderr contains TEXT
#   expect_file FILE FORMAT  FILE holds exactly `printf FORMAT`
#   expect_tree DIR FORMAT   `find DIR | sort` prints exactly `printf FORMAT`
#   blocked TEXT [WHY]       known not to run yet: TEXT (the function or feature that stops it)
#                            is on ntrun's stderr when it fails. Such a failure is reported as a
#                            skip naming TEXT; when the task passes the test fails, so the line
#                            gets removed. TEXT "-" is for a stop that leaves no trace on stderr
#                            (WHY says what it is): then any failure is that skip.
# Expected outputs are what the pinned tool prints on Windows: Wine's tools are ordinary Windows
# programs, and where Wine 8.0's tool does less than Windows' own (a switch it rejects, a stub)
# the task expects what this binary does, as the task's comment says.
ntrun=$1 corpus=$2 task=$3
unset WINEDEBUG
name=$(basename "$task" .sh)
if [ -f "$corpus/skip-reason" ]; then
    echo "skip corpus.$name: $(cat "$corpus/skip-reason")"
    exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-corpus-$name.XXXXXX") || exit 2
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir "$tmp/cwd"
cwd=$(cd "$tmp/cwd" && pwd -P)
wcwd="Z:$(printf '%s' "$cwd" | tr / '\\')"
suite=corpus out=$tmp/stdout
. "$(dirname "$0")/../task-lib.sh"
run() {
    tool=$1
    shift
    if [ ! -f "$corpus/bin/$tool.exe" ]; then
        echo "skip corpus.$name: $corpus/bin/$tool.exe is missing"
        exit 77
    fi
    runs=$((runs + 1))
    printf "run %s: %s %s\n" "$runs" "$tool" "$*" >> "$tmp/stderr"
    (cd "$cwd" && NTRUN_TEST=1 "$ntrun" "$corpus/bin/$tool.exe" "$@" < "$stdin_file" \
        > "$out" 2> "$tmp/stderr.last")
    last_status=$?
    cat "$tmp/stderr.last" >> "$tmp/stderr"
    stdin_file=/dev/null
}
expect_stderr() {
    if ! grep -qF -- "$1" "$tmp/stderr.last"; then
        echo "FAIL corpus.$name: stderr of run $runs lacks \"$1\""
        fail=1
    fi
}
expect_tree() {
    expected "$2"
    (cd "$cwd" && find "$1" | LC_ALL=C sort) > "$tmp/tree"
    compare "the tree $1" "$tmp/expected" "$tmp/tree"
}

cd "$cwd" || exit 2
. "$task"
cd "$tmp" || exit 2
task_finish
