# SPDX-License-Identifier: MIT
# Sourced by run-go-cmd.sh and run-go-deb.sh.
# run_prog BASE [ARG...]: one run of a task in the pass $pass: BASE.linux natively, BASE.exe
# under $ntrun (with $ntrun_opts, unquoted: empty or one option), in $cwd, stdin from
# $stdin_file; counts it in $runs, its stdout in $out ($dir/stdout.N), stderr appended to
# $dir/stderr, status in $dir/status.N; stdin goes back to /dev/null.
run_prog() {
    base=$1
    shift
    runs=$((runs + 1))
    out=$dir/stdout.$runs
    printf 'run %s: %s %s\n' "$runs" "$(basename "$base")" "$*" >> "$dir/stderr"
    if [ "$pass" = native ]; then
        (cd "$cwd" && "$base.linux" "$@" < "$stdin_file" > "$out" 2>> "$dir/stderr")
    else
        (cd "$cwd" && NTRUN_TEST=1 "$ntrun" $ntrun_opts "$base.exe" "$@" < "$stdin_file" \
            > "$out" 2>> "$dir/stderr")
    fi
    echo $? > "$dir/status.$runs"
    stdin_file=/dev/null
}

# After both passes of a task: compare_passes LABEL
# compares each run's stdout and exit status under ntrun with the native build's, and the files
# the two passes left in their scratch folders; sets fail=1 on a difference (the messages name
# LABEL, e.g. go.NAME). Uses $work (native/ and ntrun/ under it) and $runs.
compare_passes() {
    i=1
    while [ $i -le $runs ]; do
        if ! cmp -s "$work/native/stdout.$i" "$work/ntrun/stdout.$i"; then
            echo "FAIL $1: stdout of run $i under ntrun differs from the native build's"
            diff -a -u "$work/native/stdout.$i" "$work/ntrun/stdout.$i" | head -30
            fail=1
        fi
        a=$(cat "$work/native/status.$i") b=$(cat "$work/ntrun/status.$i")
        if [ "$a" != "$b" ]; then
            echo "FAIL $1: run $i exited with $b under ntrun, $a natively"
            fail=1
        fi
        i=$((i + 1))
    done
    if ! diff -r "$work/native/cwd" "$work/ntrun/cwd" > "$work/files.diff"; then
        echo "FAIL $1: the files left differ from the native runs':"
        head -30 "$work/files.diff"
        fail=1
    fi
}
