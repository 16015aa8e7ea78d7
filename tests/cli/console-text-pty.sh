#!/bin/sh
# The screen buffer follows text written to the console: tests/pe/console_text.c "tty" on an
# 80x24 pseudo-terminal (tests/tools/pty-drive.py with tests/cli/console-text.pty), stdout
# redirected to a file. Text from WriteConsoleA/W and WriteFile read back with
# ReadConsoleOutputCharacterW/Attribute, the cursor from GetConsoleScreenBufferInfo, as the
# console host keeps them in processed output mode (CR, LF, TAB, BS, the last column, a line
# feed on the last row), escape sequences (cursor moves, erasures, saved cursors), SGR's
# attributes, the line editor's echo, wide characters, ENABLE_WRAP_AT_EOL_OUTPUT off (DECAWM
# on the terminal), IRM, tab stops, REP, WriteConsoleOutputCharacterW's wide characters, the
# output mode without VT processing or processed output (the terminal shown the glyphs), origin
# mode (rows from the top margin; SetConsoleCursorPosition's CUP from it, the buffer calls'
# drawing with it off); the terminal is asked where the cursor is only once, after an escape
# sequence that is not followed (CSI W, in origin mode: the answer counted from the margin).
# usage: console-text-pty.sh NTRUN EXE
. "$(dirname "$0")/pty-test.sh"
pty_run "$here/console-text.pty"
pty_status
n=$(grep -o "$(printf '\033')\[6n" "$work/tty" | wc -l)
if [ "$n" = 1 ]; then echo "ok: the cursor asked for once"; else
    echo "FAIL: the cursor asked for $n times, not 1 (only after CSI W)"; fail=1; fi
if grep -qF "$(printf '\033')[4;8H" "$work/tty"; then
    echo "ok: SetConsoleCursorPosition's CUP counted from the top margin in origin mode"; else
    echo "FAIL: no ESC [4;8H for SetConsoleCursorPosition(7, 5) in origin mode"; fail=1; fi
if grep -qF "$(printf '\033')7$(printf '\033')[?6l" "$work/tty"; then
    echo "ok: the buffer calls' drawing turns origin mode off after ESC 7"; else
    echo "FAIL: no ESC 7 ESC [?6l before the drawing in origin mode"; fail=1; fi
n=$(grep -o "$(printf '\033')\[?7l" "$work/tty" | wc -l)
if [ "$n" = 2 ]; then echo "ok: SetConsoleMode turned the terminal's wrapping off"; else
    echo "FAIL: DECAWM off $n times on the terminal, not 2 (SetConsoleMode's, the program's)"; fail=1; fi
glyph=$(printf '\342\206\220')
if grep -q "${glyph}\[31mR" "$work/tty"; then echo "ok: ESC shown as its glyph with VT processing off"; else
    echo "FAIL: no glyph for ESC with VT processing off"; fail=1; fi
if grep -q "a$(printf '\342\227\213')b$(printf '\342\231\252\342\227\231')${glyph}" "$work/tty"; then
    echo "ok: TAB, CR, LF and ESC shown as glyphs with processed output off"; else
    echo "FAIL: no glyphs for TAB, CR, LF, ESC with processed output off"; fail=1; fi
pty_report <<'OUT'
text 1 [hello...] cursor 5,2
wide text 1 [hello.w<00f6>rld.] cursor 11,2
attributes 4: 0007 0016 0016 0016
CR 1 [HEllo.w<00f6>rld.] cursor 2,2
LF and TAB 1 [a.......b.] cursor 9,3
BS 1 [Zy.] cursor 1,4
BS at the start 1 [qy.] cursor 1,4
to the last column 1 [01234] cursor 79,5
wrapped 1 [56789.] cursor 5,6
TAB near the end 1 [abcX] cursor 79,7
CR LF after the last column 1 [.] cursor 0,8
UTF-8 by WriteFile 1 [<00e9>t<00e9>!.] cursor 4,9
SGR 1 [<00e9>t<00e9>!red] cursor 7,9
scrolled: the last row 1 [last] cursor 0,23
scrolled: the one before 1 [second.last] cursor 0,23
scrolled: the new row 1 [....] cursor 0,23
scrolled: row 1 (was 2) 1 [HEllo] cursor 0,23
after the scroll 1 [end] cursor 3,23
after CUP 1 [end] cursor 4,4
CUB 1 [abcXef] cursor 4,10
CUU 1 [] cursor 4,8
CUD CUF 1 [] cursor 9,11
CHA VPA 1 [] cursor 19,12
EL 1 [ab....] cursor 2,10
EL to the start 1 [...] cursor 4,10
ECH 1 [01...56789] cursor 2,11
ICH 1 [01.....567] cursor 2,11
DCH 1 [01.56789..] cursor 2,11
DECSC DECRC 1 [saved] cursor 2,11
SCOSC SCORC 1 [01!567] cursor 3,11
ED below: row 12 1 [ke..] cursor 2,12
ED below: row 13 1 [.....] cursor 2,12
SGR attributes: 0004 001c 0014 4014 8014 0007 00ca 00cc 0007 0007
SetConsoleTextAttribute 4017: 4017, then bold: 401f
cells in SGR colours 3: 0002 0057 0007
read 6: 61 58 62 63 0d 0a
the echo 1 [...aXbc.] cursor 0,16
wide 1 [a<4e2d><6587>b] cursor 6,17
wide attributes 6: 0007 0107 0207 0107 0207 0007
from a right half 1 [..] cursor 6,17
ReadConsoleOutputW 1: 0061/0007 4e2d/0107 4e2d/0207 6587/0107 6587/0207 0062/0007
half overwritten 1 [a.x<6587>b] cursor 3,17
wide in the last column: the column 1 [.] cursor 2,19
wide in the last column: wrapped 1 [<4e2d>] cursor 2,19
no wrap 1 [abf] cursor 79,20
no wrap, wide 1 [.a<4e2d>] cursor 79,20
output mode 7, after DECAWM off 5, on 7
IRM 1 [abcdXYef..] cursor 6,2
IRM reset 1 [abcdXYZf..] cursor 7,2
tab stops 1 [.....A......B.] cursor 79,3
tab stops: the last column 1 [C] cursor 79,3
TBC at the cursor, CHT 1 [] cursor 79,3
REP 1 [abbbb.] cursor 5,4
ECH on a right half 1 [a..b] cursor 2,5
WriteConsoleOutputCharacterW wide 1 3
wide cells 1 [x<4e2d>y] cursor 2,5
their halves 0000 0100 0200 0000
in the last column 1 1
in the last column: the column 1 [.] cursor 2,5
in the last column: the next row 1 [<6587>] cursor 2,5
VT processing off 1 [<001b>[31mRd] cursor 6,8
its attribute 0007
processed output off 1 [a<0009>b<000d><000a><001b>.] cursor 6,9
origin mode: the cursor home 1 [a] cursor 0,2
CUP from the top margin 1 [ab] cursor 6,3
CUP below the region 1 [c] cursor 1,9
VPA from the top margin 1 [d] cursor 2,5
DECSC, origin mode reset: home 1 [s] cursor 0,0
DECRC: origin mode back 1 [e] cursor 1,2
SetConsoleCursorPosition in origin mode 1 [f] cursor 8,5
SetConsoleCursorPosition below the region 1 [<000d>] cursor 3,9
WriteConsoleOutputCharacterW in origin mode 1 [WO] cursor 3,9
asked in origin mode 1 [...] cursor 4,6
origin mode reset 1 [...] cursor 0,0
OUT
pty_end
