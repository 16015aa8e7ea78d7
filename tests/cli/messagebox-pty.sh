#!/bin/sh
# MessageBoxW with stderr on a terminal: tests/pe/messagebox_stderr.c "tty" on a pseudo-terminal
# (tests/tools/pty-drive.py), stdout redirected to a file. The box reaches the terminal through
# WriteConsoleW as UTF-8 whatever the console code page (437), line by line (the terminal's
# ONLCR turns each LF into CR LF), and the program gets the default button, IDNO (7).
# usage: messagebox-pty.sh NTRUN EXE
. "$(dirname "$0")/pty-test.sh"
pty_run "$here/messagebox.pty"
pty_status
pty_report <<'OUT'
stderr is a console: 1
W YESNO DEFBUTTON2 to the terminal: 7
OUT
rule=---------------------------
printf '%s\r\nCaption \303\274\r\n%s\r\nterminal text \303\251\342\202\254\r\nsecond line\r\n%s\r\nYes   [No]\r\n%s\r\n' \
    $rule $rule $rule $rule > "$work/want-box"
if python3 - "$work/want-box" "$work/tty" <<'PY'
import sys
want, got = (open(p, 'rb').read() for p in sys.argv[1:])
sys.exit(0 if want in got else 1)
PY
then echo "ok: the box on the terminal, in UTF-8"; else
    echo "FAIL: the box on the terminal"; fail=1
fi
pty_end
