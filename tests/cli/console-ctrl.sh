#!/bin/bash
# Ctrl-C and termination signals (tests/pe/console_ctrl.c in its modes): SIGINT runs the
# SetConsoleCtrlHandler handler on a new thread; without a handler returning TRUE the process
# ends with STATUS_CONTROL_C_EXIT (0xC000013A: the shell sees 0x3A = 58) after the atexit
# handlers and the stdio flush; SIGTERM is CTRL_CLOSE_EVENT, which ends the process once the
# handler returns, without atexit handlers, and so is SIGHUP; msvcrt's signal(SIGINT) handler runs. A busy main
# thread runs on while a close handler runs, and is stopped before the default handler's
# ExitProcess runs the exit work.
# usage: console-ctrl.sh NTRUN EXE
ntrun=$1 exe=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-ctrl.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
set -m # background jobs keep SIGINT (a shell without job control ignores it for them)
fail=0
check() { # description, condition result
    if [ "$2" = 0 ]; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi
}
# run MODE SIGNAL [no]: starts the program, waits for "ready", sends SIGNAL, sets $st, and
# $ctrl_thread: whether the console-control dispatcher thread ("ntrun-ctrl") was there before
# the signal (it starts with the first handler a program registers, else with the first event;
# "no": none expected, one look).
run() {
    "$ntrun" "$exe" "$1" > "$work/out" 2> "$work/err" &
    pid=$!
    for _ in $(seq 1 400); do
        grep -q ready "$work/out" 2>/dev/null && break
        sleep 0.05
    done
    ctrl_thread=no
    for _ in $(seq 1 40); do
        grep -qx ntrun-ctrl /proc/"$pid"/task/*/comm 2>/dev/null && ctrl_thread=yes && break
        [ "$3" = no ] && break
        sleep 0.05
    done
    kill -"$2" "$pid"
    wait "$pid"
    st=$?
}

run handler INT
check "handler returns TRUE: main goes on and exits 7 (got $st)" "$([ $st = 7 ]; echo $?)"
check "handler: the dispatcher thread started with SetConsoleCtrlHandler (got $ctrl_thread)" \
    "$([ $ctrl_thread = yes ]; echo $?)"
grep -q "^handler: event 0" "$work/out"
check "handler: called with CTRL_C_EVENT" $?
grep -q "atexit ran" "$work/out"
check "handler: normal exit runs atexit" $?

run refuse INT
check "handler returns FALSE: exit 0xC000013A & 0xff = 58 (got $st)" "$([ $st = 58 ]; echo $?)"
grep -q "^handler: event 0" "$work/out"
check "refuse: the handler ran" $?
grep -q "buffered, not flushed" "$work/out" && grep -q "atexit ran" "$work/out"
check "refuse: atexit handlers ran and stdout was flushed" $?

run none INT no
check "no handler: exit 58 (got $st)" "$([ $st = 58 ]; echo $?)"
check "no handler: no dispatcher thread before the event (got $ctrl_thread)" \
    "$([ $ctrl_thread = no ]; echo $?)"
grep -q "buffered, not flushed" "$work/out" && grep -q "atexit ran" "$work/out"
check "no handler: atexit handlers ran and stdout was flushed" $?

run none QUIT
check "no handler, SIGQUIT (Ctrl-Break): exit 58 (got $st)" "$([ $st = 58 ]; echo $?)"

run close TERM
check "SIGTERM, handler returns TRUE: the process ends anyway, 58 (got $st)" "$([ $st = 58 ]; echo $?)"
grep -q "^handler: event 2" "$work/out"
check "close: called with CTRL_CLOSE_EVENT" $?
grep -q "atexit ran\|main: done" "$work/out"
check "close: no atexit handlers, main did not go on" "$([ $? != 0 ]; echo $?)"

run close HUP
check "SIGHUP (the terminal hung up), handler returns TRUE: ends anyway, 58 (got $st)" \
    "$([ $st = 58 ]; echo $?)"
grep -q "^handler: event 2" "$work/out"
check "SIGHUP: the handler is called with CTRL_CLOSE_EVENT" $?
grep -q "atexit ran\|main: done" "$work/out"
check "SIGHUP: no atexit handlers, main did not go on" "$([ $? != 0 ]; echo $?)"

run none HUP no
check "SIGHUP, no handler: exit 58 (got $st)" "$([ $st = 58 ]; echo $?)"

# nohup: a SIGHUP ignored when ntrun starts stays ignored (k32_ctrl_hup_install puts SIG_IGN back
# after the install that read it): no CTRL_CLOSE_EVENT; the Ctrl-C after it reaches the handler,
# which returns TRUE, and main exits 7 (a SIGHUP taken as a close event would end it with 58).
bash -c 'trap "" HUP; exec "$0" "$1" handler' "$ntrun" "$exe" > "$work/out" 2> "$work/err" &
pid=$!
for _ in $(seq 1 400); do
    grep -q ready "$work/out" 2>/dev/null && break
    sleep 0.05
done
kill -HUP "$pid"
kill -INT "$pid"
wait "$pid"
st=$?
check "nohup: SIGHUP stays ignored, then Ctrl-C to a handler returning TRUE: exit 7 (got $st)" \
    "$([ $st = 7 ]; echo $?)"
grep -q "^handler: event 2" "$work/out"
check "nohup: no CTRL_CLOSE_EVENT" "$([ $? != 0 ]; echo $?)"

run signal INT
check "msvcrt signal(SIGINT): the dispatcher thread started with it (got $ctrl_thread)" \
    "$([ $ctrl_thread = yes ]; echo $?)"
check "msvcrt signal(SIGINT): main goes on and exits 9 (got $st)" "$([ $st = 9 ]; echo $?)"
grep -q "main: done (crt signal 2)" "$work/out"
check "signal: the CRT handler got SIGINT" $?

run busyclose TERM
check "SIGTERM, busy main thread, handler returns TRUE: 58 (got $st)" "$([ $st = 58 ]; echo $?)"
grep -q "^handler: event 2, main ran meanwhile: yes" "$work/out"
check "busyclose: the main thread runs on while the close handler runs" $?

run busynone INT
check "busy main thread, no handler: 58 (got $st)" "$([ $st = 58 ]; echo $?)"
grep -q "^atexit: main stopped: yes" "$work/out" && grep -q "atexit ran" "$work/out"
check "busynone: ExitProcess stopped the main thread before the atexit handlers" $?

if [ $fail != 0 ]; then echo "--- last stdout:"; cat "$work/out"; echo "--- last stderr:"; cat "$work/err"; fi
exit $fail
