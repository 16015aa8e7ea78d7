#!/bin/sh
# libuv's raw console read on a real terminal: tests/pe/console_wait.c "tty" on a pseudo-terminal
# (tests/tools/pty-drive.py with tests/cli/console-wait.pty), stdout redirected to a file. A
# thread-pool wait on the console input handle, woken by a record written with
# WriteConsoleInputW (from another thread, then 200 times from the registering thread, as
# uv_tty_read_stop does) and by a key typed; the handle signalled exactly while a record waits.
# usage: console-wait-pty.sh NTRUN EXE
. "$(dirname "$0")/pty-test.sh"
pty_run "$here/console-wait.pty"
pty_status
pty_report 40 <<'OUT'
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
pty_end
