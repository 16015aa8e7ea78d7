# SPDX-License-Identifier: MIT
# The task language shared by tests/corpus/run-task.sh and tests/corpus3p/run-task.sh (sourced,
# not run). The caller sets: suite (the test-name prefix), name, task, tmp, cwd, wcwd (the scratch
# directory as the program names it), out (the file holding the last run's stdout), and defines
# run(). Each check sets fail=1 and says why; task_finish ends the script as ctest expects
# (0 pass, 1 fail, 77 skip), honouring `blocked` lines.
fail=0 blocked_by="" blocked_why="" last_status="" stdin_file=/dev/null runs=0
: > "$tmp/stderr"
: > "$out"

put() {
    mkdir -p "$(dirname "$cwd/$1")"
    printf "$2" > "$cwd/$1"
}
stdin() {
    printf "$1" > "$tmp/stdin"
    stdin_file=$tmp/stdin
}
blocked() { blocked_by=$1 blocked_why=${2:-}; }
# compare WHAT EXPECTED-FILE ACTUAL-FILE
compare() {
    if ! cmp -s "$2" "$3"; then
        echo "FAIL $suite.$name: $1 differs (expected, then got):"
        od -c "$2" | head -20
        echo "--"
        od -c "$3" | head -20
        fail=1
    fi
}
expected() {
    rep=$(printf '%s' "$wcwd" | sed 's/[\\&|]/\\&/g')
    printf -- "$1" | sed "s|@CWD@|$rep|g" > "$tmp/expected"
}
expect_stdout() {
    expected "$1"
    compare "stdout of run $runs" "$tmp/expected" "$out"
}
expect_exit() {
    if [ "$last_status" != "$1" ]; then
        echo "FAIL $suite.$name: run $runs exited with $last_status, expected $1"
        fail=1
    fi
}
expect_file() {
    expected "$2"
    if [ ! -f "$cwd/$1" ]; then
        echo "FAIL $suite.$name: $1 was not created"
        fail=1
        return
    fi
    compare "$1" "$tmp/expected" "$(actual_file "$cwd/$1")"
}
# the file expect_file compares with the expected text (a runner may give a normalised copy)
actual_file() { printf '%s' "$1"; }

task_finish() {
    if [ -n "$blocked_by" ]; then
        if [ "$fail" = 0 ]; then
            echo "FAIL $suite.$name: passes now: remove 'blocked $blocked_by' from $task"
            exit 1
        fi
        if [ "$blocked_by" = - ]; then
            echo "skip $suite.$name: blocked: $blocked_why"
            exit 77
        fi
        if grep -qF -- "$blocked_by" "$tmp/stderr"; then
            echo "skip $suite.$name: blocked by $blocked_by (see ntrun's stderr below)"
            grep -v '^run [0-9]*:' "$tmp/stderr" | head -5
            exit 77
        fi
        echo "FAIL $suite.$name: fails, and not on '$blocked_by'; ntrun's stderr:"
    fi
    if [ "$fail" != 0 ]; then
        echo "stderr:"
        head -30 "$tmp/stderr"
        exit 1
    fi
    echo "pass $suite.$name ($runs runs)"
    exit 0
}
