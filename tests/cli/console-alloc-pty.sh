#!/bin/sh
# AllocConsole/AttachConsole/FreeConsole/GetConsoleWindow on a real terminal:
# tests/pe/console_alloc.c "tty" on a pseudo-terminal, its stdout redirected to a file. Attached
# the console window is there and the console calls on standard input and error work; after
# FreeConsole the window is NULL and they fail with ERROR_INVALID_HANDLE (6); AllocConsole and
# AttachConsole(ATTACH_PARENT_PROCESS) attach again, and are refused (5) while attached.
# usage: console-alloc-pty.sh NTRUN EXE
. "$(dirname "$0")/pty-test.sh"
printf '# no keys: the program runs to its end\n' > "$work/script.pty"
pty_run "$work/script.pty"
pty_status
pty_report <<'OUT'
start: GetConsoleWindow non-NULL
start: GetConsoleMode(stdin) 1, error 0
start: SetConsoleMode(stdin) 1, error 0
start: GetConsoleScreenBufferInfo(stderr) 1, error 0
AllocConsole while attached: 0, error 5
AttachConsole(parent) while attached: 0, error 5
FreeConsole: 1, error 0
detached: GetConsoleWindow NULL
detached: GetConsoleMode(stdin) 0, error 6
detached: SetConsoleMode(stdin) 0, error 6
detached: GetConsoleScreenBufferInfo(stderr) 0, error 6
AllocConsole: 1, error 0
allocated: GetConsoleWindow non-NULL
allocated: GetConsoleMode(stdin) 1, error 0
allocated: SetConsoleMode(stdin) 1, error 0
allocated: GetConsoleScreenBufferInfo(stderr) 1, error 0
AllocConsole again: 0, error 5
FreeConsole: 1, error 0
AttachConsole(parent): 1, error 0
attached: GetConsoleWindow non-NULL
attached: GetConsoleMode(stdin) 1, error 0
attached: SetConsoleMode(stdin) 1, error 0
attached: GetConsoleScreenBufferInfo(stderr) 1, error 0
OUT
pty_end
