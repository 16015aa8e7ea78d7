#!/bin/sh
# Two ntrun programs the shell starts, neither the other's parent: the target has started no
# child and was started by no ntrun process, so nothing made it listen for other processes
# before the opener asks (its rendezvous is bound on request: docs/design.md, "Any two ntrun
# processes: the rendezvous"). xproc_toplevel.exe's "open" finds it by id, sees it running,
# then (1) lets it end with 42, (2) terminates it with 77, (3) waits while this script kills it
# with SIGKILL: exit code 1 (as TerminateProcess(h, 1) of taskkill /F) and its named mutex
# WAIT_ABANDONED for the opener. (4) A process that is no ntrun process, even one that catches
# the signal ntrun asks with, is not opened (ERROR_INVALID_PARAMETER) and gets no signal. (5) One
# opened as soon as it is started, before it runs ntrun or while its runtime starts, is opened
# (and terminated with 77; main's ntrun before 2026-12-06 22:00: 87 about one time in two).
# usage: xproc-toplevel.sh NTRUN XPROC_TOPLEVEL_EXE
ntrun=$1 exe=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-cli.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
fail=0

wait_line() { # file pattern: waits (at most 60 s) for a line of the file to match
    i=0
    until [ -f "$1" ] && tr -d '\r' < "$1" | grep -q -- "$2"; do
        i=$((i + 1))
        [ $i -gt 600 ] && return 1
        sleep 0.1
    done
}

expect() { # name file expected-text
    tr -d '\r' < "$2" > "$2.lf"
    printf '%s\n' "$3" > "$2.want"
    if cmp -s "$2.want" "$2.lf"; then echo "ok $1"; else
        echo "FAIL $1:"; diff -u "$2.want" "$2.lf"; fail=1; fi
}

start_target() { # name code [mutex]: the target's pid in $pid, its shell job in $tjob
    "$ntrun" "$exe" target "$2" $3 > "$work/$1.t" 2> "$work/$1.terr" &
    tjob=$!
    if ! wait_line "$work/$1.t" "^pid [0-9]"; then
        echo "FAIL $1: the target did not start:"; cat "$work/$1.t" "$work/$1.terr"; fail=1
        pid=0; return 1
    fi
    pid=$(tr -d '\r' < "$work/$1.t" | sed -n 's/^pid \([0-9]*\).*/\1/p')
}

# (1) it ends on its own
if start_target end 42; then
    "$ntrun" "$exe" open "$pid" end > "$work/end.o" 2> "$work/end.oerr"
    wait $tjob; st=$?
    expect "a top-level process opened by id ends with 42" "$work/end.o" \
"opened: same id 1, exit code 1 STILL_ACTIVE, wait 258
told to end: 1
ended: wait 0, exit code 1 42"
    [ $st = 42 ] || { echo "FAIL end: the target's status $st"; fail=1; }
fi

# (2) terminated by the opener
if start_target terminate 5; then
    "$ntrun" "$exe" open "$pid" terminate > "$work/term.o" 2> "$work/term.oerr"
    wait $tjob; st=$?
    expect "a top-level process opened by id is terminated with 77" "$work/term.o" \
"opened: same id 1, exit code 1 STILL_ACTIVE, wait 258
TerminateProcess(77): 1
ended: wait 0, exit code 1 77"
    [ $st = 137 ] || { echo "FAIL terminate: the target's status $st, not 137 (SIGKILL)"; fail=1; }
fi

# (3) killed from outside while it owns a named mutex
mutex='Local\ntrun_xproc_toplevel_killed'
if start_target killed 5 "$mutex"; then
    "$ntrun" "$exe" open "$pid" killed "$mutex" > "$work/kill.o" 2> "$work/kill.oerr" &
    ojob=$!
    if wait_line "$work/kill.o" "^ready"; then kill -9 "$pid"; else kill -9 "$pid"; fi
    wait $ojob
    wait $tjob
    expect "a process killed by SIGKILL: exit code 1, its mutex abandoned" "$work/kill.o" \
"opened: same id 1, exit code 1 STILL_ACTIVE, wait 258
its mutex: 1, owned: 0x102
ready to see it killed
ended: wait 0, exit code 1 1
its mutex: 0x80, again 0"
fi

# (4) no ntrun process: a shell that catches the runtime's thread signal (SIGRTMIN + 3)
sig=37 # glibc's SIGRTMIN (34) + 3
sh -c "trap 'echo caught >> \"$work/caught\"' $sig; echo up > \"$work/up\"; i=0; while [ \$i -lt 100 ]; do sleep 0.1; i=\$((i + 1)); done" &
other=$!
wait_line "$work/up" "^up"
"$ntrun" "$exe" none "$other" > "$work/none.o" 2> "$work/none.oerr"
expect "a process that is no ntrun process is not opened" "$work/none.o" \
"OpenProcess of a process that is no ntrun process: 0, error 87"
kill "$other" 2>/dev/null
wait $other 2>/dev/null
if [ -e "$work/caught" ]; then echo "FAIL: the shell was sent the signal"; fail=1; else
    echo "ok the shell was sent no signal"; fi

# (5) opened while it is still starting: the opener starts together with the target (before
# the target runs ntrun's code, or before its runtime can answer); 8 times
i=0 opened=0
while [ $i -lt 8 ]; do
    "$ntrun" "$exe" target 5 > "$work/start$i.t" 2> "$work/start$i.terr" &
    pid=$!
    "$ntrun" "$exe" open "$pid" terminate > "$work/start$i.o" 2> "$work/start$i.oerr"
    tr -d '\r' < "$work/start$i.o" | grep -q "^ended: wait 0, exit code 1 77" &&
        opened=$((opened + 1)) || kill "$pid" 2>/dev/null
    wait $pid 2>/dev/null
    i=$((i + 1))
done
if [ $opened = 8 ]; then echo "ok a process still starting is opened (8 of 8)"; else
    echo "FAIL a process still starting was opened $opened times of 8:"; cat "$work"/start*.o; fail=1; fi

if [ $fail != 0 ]; then
    for f in "$work"/*err; do echo "--- $f"; head -20 "$f"; done
fi
exit $fail
