#!/bin/sh
# libuv's raw console read on a real terminal: tests/pe/console_wait.c "tty" on a pseudo-terminal
# (tests/tools/pty-drive.py with tests/cli/console-wait.pty), stdout redirected to a file. A
# thread-pool wait on the console input handle, woken by a record written with
# WriteConsoleInputW (from another thread, then 200 times from the registering thread, as
# uv_tty_read_stop does) and by a key typed; the handle signalled exactly while a record waits.
# usage: console-wait-pty.sh NTRUN EXE
ntrun=$1 exe=$2
here=$(dirname "$0")
command -v python3 > /dev/null || { echo "skip: python3 (its pty module) is not installed"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-conwait.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
python3 "$here/../tools/pty-drive.py" --size 80x24 --stdout "$work/out" "$here/console-wait.pty" \
    -- "$ntrun" "$exe" tty > "$work/tty"
fail=0
grep -q "status 0" "$work/tty" || { echo "FAIL: exit status"; fail=1; }
sed 's/$/\r/' > "$work/want" <<'OUT'
raw mode 1
empty: events 0, wait 258
armed 1
after 200 ms: callbacks 0
written by another thread 0: woke 0, callbacks 1, saw no handle 0, handle left 0
events 1, wait 0
read type 16, then events 0, wait 258
200 rounds: callbacks 200, saw no handle 0, handle left 0, lost 0, focus records read 200, unsignalled after the read 200
typed: woke 0, callbacks 1, key k
OUT
if cmp -s "$work/want" "$work/out"; then echo "ok: the program's report"; else
    echo "FAIL: the program's report"; diff -u "$work/want" "$work/out" | head -40; fail=1; fi
if [ $fail != 0 ]; then
    echo "--- the terminal's output:"; cat -v "$work/tty" | head -40
fi
exit $fail
