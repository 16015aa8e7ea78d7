#!/bin/sh
# The console on a real terminal: tests/pe/console_tty.c "tty" runs on a pseudo-terminal (Python's
# pty module) that types a line and then ^C into it. Checks GetConsoleMode on the terminal,
# ENABLE_VIRTUAL_TERMINAL_PROCESSING, WriteConsoleW's UTF-8 (é, €, a non-BMP emoji) and the count
# in UTF-16 units, the console handles' names (NtQueryObject \Device\ConDrv, type File,
# GetFileType FILE_TYPE_CHAR), an escape sequence passed through, ReadConsoleW of the typed line (CR LF at
# its end, as the Windows console gives it) and ^C reaching the SetConsoleCtrlHandler handler.
# usage: console-pty.sh NTRUN EXE
ntrun=$1 exe=$2
command -v python3 > /dev/null || { echo "skip: python3 (its pty module) is not installed"; exit 77; }
out=$(mktemp "${TMPDIR:-/tmp}/ntrun-pty.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT
python3 - "$ntrun" "$exe" > "$out" <<'PY'
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], sys.argv[2], "tty"])
buf = b""
def until(text, limit=30):
    global buf
    end = time.time() + limit
    while text not in buf and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                return
            if not data:
                return
            buf += data
until(b"type a line")
os.write(fd, "typed \u00e9 line\r".encode())
until(b"press ctrl-c")
os.write(fd, b"\x03")
until(b"ctrl-c: wait")
until(b"\n", 2)
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(buf)
sys.stdout.write("\nstatus %d\n" % os.waitstatus_to_exitcode(status))
PY
fail=0
check() { # description, fixed string expected in the terminal's output
    if grep -qF -- "$2" "$out"; then echo "ok: $1"; else echo "FAIL: $1 (no \"$2\")"; fail=1; fi
}
check "GetConsoleMode on the terminal" "out mode: 1 processed 1"
check "ENABLE_VIRTUAL_TERMINAL_PROCESSING set and read back" "set VT: 1, now 1"
check "GetConsoleMode on the terminal's input" "in mode: 1 line 1 echo 1"
check "console handles named as Windows names them" \
    'console names: stdout [\Device\ConDrv] type [File], CONOUT$ [\Device\ConDrv] type [File], GetFileType 2 2, GetFinalPathNameByHandle fails: yes'
check "WriteConsoleW: UTF-8 on the terminal" "$(printf 'h\303\251llo \342\202\254 \360\237\230\200')"
check "WriteConsoleW: the count in UTF-16 units" "WriteConsoleW: 1, 11 units"
check "an escape sequence passes through" "$(printf '\033[1mbold\033[0m')"
check "ReadConsoleW of the typed line" "$(printf 'ReadConsoleW: 1, 14 units, ends in CR LF yes: [typed \303\251 line]')"
check "^C reaches the handler as CTRL_C_EVENT" "ctrl-c: wait 0, event 0"
check "exit status 0" "status 0"
if [ $fail != 0 ]; then
    echo "--- the terminal's output:"; cat -v "$out" | head -40
fi
exit $fail
