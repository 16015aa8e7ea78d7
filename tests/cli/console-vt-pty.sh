#!/bin/sh
# The screen buffer after VT output that moves cells about: tests/pe/console_vt.c "tty" on an
# 80x24 pseudo-terminal (tests/tools/pty-drive.py with tests/cli/console-vt.pty), stdout a
# file. DECSTBM's scrolling region (LF on its last row, RI on its first, IL inside it), the
# alternate screen (?1049h/l; GetConsoleScreenBufferInfo(Ex) the window-sized alternate
# buffer, then the main one; the buffer calls' range the alternate buffer's), DECCRA, read back with ReadConsoleOutputCharacterW and the
# cursor from GetConsoleScreenBufferInfo; WriteConsoleOutputW's leading and trailing halves;
# C1 control characters with VT processing off (characters in the buffer, '?' on the
# terminal) and on (dropped, a split one too); 256-colour and RGB SGR as legacy attributes. The cursor is known throughout: the
# terminal is never asked where it is, and the sequences reach the terminal as written.
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
if grep -qF 'x?y?31mz' "$work/tty" && ! grep -q "$(printf '\302\205')" "$work/tty"; then
    echo "ok: C1 control characters shown as '?' with VT processing off"; else
    echo "FAIL: C1 control characters reached the terminal with VT processing off"; fail=1; fi
if grep -qF 'xy31mz' "$work/tty" && grep -qF 'abc' "$work/tty" &&
    ! grep -q "$(printf '\302[\200-\237]')" "$work/tty"; then
    echo "ok: C1 control characters dropped with VT processing on (split ones too)"; else
    echo "FAIL: C1 control characters reached the terminal with VT processing on"; fail=1; fi
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
?1049h: the alternate buffer 1: buffer 80x24 window 0,0-79,23 largest 80x24 cursor 3,23
?1049h: the alternate buffer Ex 1: buffer 80x24 window 0,0-79,23 cursor 3,23
the alternate buffer: fill 200 from 0,23 1 80
the alternate buffer: write 4 at 78,23 1 2
the alternate buffer: read 200 from 0,23 1 80 [wx]
the alternate buffer: ReadConsoleOutputW 0,22-1,30 1: 0,22-1,23
the alternate buffer: scroll rows 24-25 0 87
the alternate buffer: SetConsoleCursorPosition 0,24 0 87
?1049l: the main screen 1 [row0] cursor 5,2
?1049l: the main screen 1 [row2....] cursor 5,2
?1049l: the main buffer 1: buffer 80x9001 window 0,0-79,23 largest 80x24 cursor 5,2
?1049l: the main buffer Ex 1: buffer 80x9001 window 0,0-79,23 cursor 5,2
the main buffer: fill 200 from 0,23 1 200
the main buffer: write 4 at 78,23 1 4
the main buffer: read 200 from 0,23 1 200 [wx]
the main buffer: ReadConsoleOutputW 0,22-1,30 1: 0,22-1,30
the main buffer: scroll rows 24-25 1 0
the main buffer: SetConsoleCursorPosition 0,24 1 0
DECCRA: the source 1 [row0] cursor 0,20
DECCRA: the copy 1 [......row0] cursor 0,20
DECCRA: the copy 1 [......row1] cursor 0,20
WriteConsoleOutputW pair 1: 0,12-3,12
WriteConsoleOutputW trailing first 1: 6,12-7,12
WriteConsoleOutputW leading last 1: 10,12-11,12
WriteConsoleOutputW no flags 1: 20,12-21,12
WriteConsoleOutputW leading in the last column 1: 79,13-79,13
WriteConsoleOutputW trailing in the first column 1: 0,15-0,15
ReadConsoleOutputW 0,12 1: 0061/0007 4e2d/0107 4e2d/0207 0062/0007 0020/0007 6587/0107 6587/0207 0063/0007 0020/0007 0020/0007 0064/0007 5b57/0107 5b57/0207 0020/0007
ReadConsoleOutputW 20,12 1: 4e2d/0007 0065/0007
ReadConsoleOutputW 78,13 1: 0020/0007 0020/0007
ReadConsoleOutputW 0,14 1: 6587/0107 6587/0207 0020/0007
ReadConsoleOutputW 0,15 1: 0020/0007 0020/0007
C1 with VT processing off 1 [x<0085>y<009b>31mz.] cursor 8,16
C1 with VT processing on 1 [xy31mz..] cursor 6,17
C1 split between writes 1 [abc.] cursor 3,18
SGR colours: 000c 0009 0006 0017 0004
OUT
pty_end
