#!/bin/sh
# The line editor's pop-ups on a terminal: tests/pe/console_popup.c "tty" on an 80x24
# pseudo-terminal (tests/tools/pty-drive.py with tests/cli/console-popup.pty), stdout a file.
# F2 copies the last command up to a character, F4 deletes up to one, F7's list enters the
# command chosen, F9 recalls one by number; each pop-up reaches the terminal (its border and
# prompt) and the marker under it is there again after it.
# usage: console-popup-pty.sh NTRUN EXE
. "$(dirname "$0")/pty-test.sh"
pty_run "$here/console-popup.pty"
pty_status
tr -d '\r' < "$work/tty" | tr '\n' '|' > "$work/flat"
for s in "$(printf '\342\224\214')" Enter char to copy up to: delete command number: "0:" "3:" alpha; do
    if grep -qF -- "$s" "$work/flat"; then echo "ok: the terminal showed \"$s\""; else
        echo "FAIL: the terminal did not show \"$s\""; fail=1; fi
done
pty_report <<'OUT'
first 1 [alpha\r\n]
second 1 [beta\r\n]
F2 1 [bet\r\n]
after F2: 6 [MARKER]
F4 1 [two\r\n]
F7 1 [beta\r\n]
after F7: 6 [MARKER]
F9 1 [alpha!\r\n]
after F9: 6 [MARKER]
OUT
pty_end
