#!/bin/sh
# The screen buffer after VT output that moves cells about: tests/pe/console_vt.c "tty" on an
# 80x24 pseudo-terminal (tests/tools/pty-drive.py with tests/cli/console-vt.pty), stdout a
# file. DECSTBM's scrolling region (LF on its last row, RI on its first, IL inside it), the
# alternate screen (?1049h/l), DECCRA, read back with ReadConsoleOutputCharacterW and the
# cursor from GetConsoleScreenBufferInfo; the cursor is known throughout: the terminal is
# never asked where it is, and the sequences reach the terminal as written.
# usage: console-vt-pty.sh NTRUN EXE
. "$(dirname "$0")/pty-test.sh"
pty_run "$here/console-vt.pty"
pty_status
n=$(grep -o "$(printf '\033')\[6n" "$work/tty" | wc -l)
if [ "$n" = 0 ]; then echo "ok: the cursor never asked for"; else
    echo "FAIL: the cursor asked for $n times, not 0"; fail=1; fi
for s in '[3;6r' '[?1049h' '[?1049l' '[1;1;2;4;1;11;7;1$v'; do
    if grep -qF -- "$(printf '\033')$s" "$work/tty"; then echo "ok: the terminal got ESC $s"; else
        echo "FAIL: the terminal did not get ESC $s"; fail=1; fi
done
pty_report <<'OUT'
DECSTBM: the cursor home 1 [row0] cursor 0,0
LF on the region's last row 1 [row1] cursor 3,5
LF on the region's last row 1 [row3] cursor 3,5
LF on the region's last row 1 [row4] cursor 3,5
LF on the region's last row 1 [row5] cursor 3,5
LF on the region's last row 1 [new.] cursor 3,5
LF on the region's last row 1 [row6] cursor 3,5
LF on the region's last row 1 [row7] cursor 3,5
RI on its first row 1 [top.] cursor 3,2
RI on its first row 1 [row3] cursor 3,2
RI on its first row 1 [row4] cursor 3,2
RI on its first row 1 [row5] cursor 3,2
RI on its first row 1 [row6] cursor 3,2
IL inside it 1 [ins.] cursor 3,3
IL inside it 1 [row3] cursor 3,3
IL inside it 1 [row4] cursor 3,3
IL inside it 1 [row6] cursor 3,3
?1049h: blank 1 [....] cursor 5,2
?1049h: blank 1 [....] cursor 5,2
text on the alternate screen 1 [.....alt] cursor 8,2
?1049l: the main screen 1 [row0] cursor 5,2
?1049l: the main screen 1 [row2....] cursor 5,2
DECCRA: the source 1 [row0] cursor 0,20
DECCRA: the copy 1 [......row0] cursor 0,20
DECCRA: the copy 1 [......row1] cursor 0,20
OUT
pty_end
