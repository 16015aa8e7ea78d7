# SPDX-License-Identifier: MIT
# Sourced by run-go-cmd.sh and run-go-deb.sh after both passes of a task: compare_passes LABEL
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
