#!/bin/sh
# The console-input and screen-buffer API on a real terminal: tests/pe/console_input.c "tty" on
# a pseudo-terminal (tests/tools/pty-drive.py with the keys of tests/cli/console-input.pty),
# stdout redirected to a file. The records of the keys typed, the waits, the resize event and
# the reads are compared with what Windows gives (ConPTY's decoding of a terminal's input: US
# layout virtual-key and scan codes, ENHANCED_KEY for the cursor and editing keys, Ctrl/Alt/
# Shift state); the screen-buffer calls' VT sequences must reach the terminal.
# usage: console-input-pty.sh NTRUN EXE
. "$(dirname "$0")/pty-test.sh"
pty_run "$here/console-input.pty"
tr -d '\r' < "$work/tty" | tr '\n' '|' > "$work/flat"
check() { # description, fixed string expected on the terminal ('|' for a line end)
    if grep -qF -- "$2" "$work/flat"; then echo "ok: $1"; else echo "FAIL: $1 (no \"$2\")"; fail=1; fi
}
esc=$(printf '\033') bs=$(printf '\b')
check "exit status 0" "status 0"
check "raw mode does not echo the keys" "press keys|press b|"
check "type-ahead is echoed once, when the reads take it (Tab wakes without echo)" \
    "type a line|hex$bs ${bs}llo|type cd tab|cd|edit a line|"
check "a line read echoes the edits: Backspace, Escape, Enter" "zz$bs$bs  $bs${bs}ab$bs ${bs}cx|"
check "ReadFile's lines are echoed, ^Z as ^Z" "type for ReadFile|ok|^Z|$(printf '\303\251')|press k"
n=$(grep -o "${esc}\[6n" "$work/flat" | wc -l)
if [ "$n" = 3 ]; then echo "ok: the cursor asked for 3 times"; else
    echo "FAIL: the cursor asked for $n times, not 3 (after the screen calls, where, no answer)"; fail=1; fi
check "SetConsoleCursorPosition moves the cursor" "${esc}[5;4H"
check "FillConsoleOutputCharacterW: the cursor saved, moved, 5 x" "${esc}7${esc}[0;37;40m${esc}[4;3Hxxxxx"
check "the clear fill erases with ECH" "${esc}[1;1H${esc}[80X"
check "FillConsoleOutputAttribute erases the blanks in its colours" "${esc}[0;31;44m${esc}[1;1H${esc}[80X"
check "SetConsoleCursorInfo hides the cursor" "${esc}[?25l"
check "a full-width scroll: a region and SU" "${esc}[1;24r${esc}[1S${esc}[r"
check "a box moves with DECCRA" "${esc}[6;11;7;20;1;6;31;1\$v"
check "the colours and cursor come back" "${esc}[0;37;40m${esc}8"
check "WriteConsoleOutputAttribute draws the cells in their colours" \
    "${esc}[0;31;40m${esc}[11;1Hh${esc}[0;32;44mi"
check "FillConsoleOutputAttribute redraws the characters in the new colour" \
    "${esc}[0;94;40m${esc}[11;1Hhi${esc}[0;37;40m"
check "WriteConsoleOutputW draws the rectangle" "${esc}[0;34;44m${esc}[13;6HA${esc}[0;32;44mB"
pty_report <<'OUT'
input mode 1f7
raw: 1
input mode now 8
wait: 0
key vk=41 scan=1e ch=0061 state=0000
key vk=41 scan=1e ch=0041 state=0010
key vk=00 scan=00 ch=00e9 state=0000
key vk=26 scan=48 ch=0000 state=0100
key vk=27 scan=4d ch=0000 state=0108
key vk=2e scan=53 ch=0000 state=0100
key vk=70 scan=3b ch=0000 state=0000
key vk=74 scan=3f ch=0000 state=0000
key vk=0d scan=1c ch=000d state=0000
key vk=41 scan=1e ch=0001 state=0008
key vk=58 scan=2d ch=0078 state=0002
key vk=08 scan=0e ch=0008 state=0000
key vk=09 scan=0f ch=0009 state=0000
key vk=00 scan=00 ch=d83d state=0000
key vk=00 scan=00 ch=de00 state=0000
key vk=be scan=34 ch=002e state=0000
key-ups: 16
wait with nothing typed: 258
events: 0
WriteConsoleInputW 1 2
events: 2, wait 0
peek 1 2: key vk=5a scan=00 ch=007a state=0000
read 1 2, down 1 up 0
events: 0
wait two: 1
ReadConsoleInputA: b down 1
resized: 100x30
raw ReadConsoleW 2 [xy]
line ReadConsoleW 7 [hello\r\n]
control ReadConsoleW 5 [abcd\t]
cancelled ReadConsoleW 2 [\r\n]
edited ReadConsoleW 5 [acx\r\n]
ReadFile 1 4 [ok\r\n]
ReadFile of ^Z 1 0
ReadFile of 1 byte 1 1 c3, 1 1 a9, the rest 1 2
key vk=4b scan=25 ch=006b state=0000
input mode 7
FillConsoleOutputCharacterW 1 5
clear 1 1920, attributes 1 1920
at the buffer's end 1 1
cursor size 0: 0 87
cursor 1: 50 0
scroll up a line 1
move a box 1
largest window 80x24
window relative 0: 1, too large 0 87
buffer smaller than the window 0 87, 80x500 1: 80x500
fill on the input handle 0 6
records from the output handle 0 6
cursor 11,6, again 11,6
SetConsoleCursorPosition 1: 3,4
after a fill 3,4
after abc 6,4
typed during the query: key vk=51 scan=10 ch=0071 state=0000
SetConsoleCursorPosition 80,0: 0 87
SetConsoleCursorPosition 0,500: 0 87
SetConsoleCursorPosition -1,0: 0 87
SetConsoleCursorPosition on the input handle: 0 6
unanswered 1: 15,4
arrows ReadConsoleW 9 [>hello<\r\n]
delete ReadConsoleW 5 [abc\r\n]
recalled ReadConsoleW 9 [>hello<\r\n]
edited recall ReadConsoleW 10 [>hell!o<\r\n]
initial characters taken back ReadConsoleW 3 [z\r\n]
WriteConsoleOutputCharacterW 1 3, WriteConsoleOutputAttribute 1 2
ReadConsoleOutputCharacterW 1 4 [0068 0069 00e9 0020], attributes 1 4 [0004 0012 0007 0007], A 1 4 [68 69 82 20]
recoloured 1: 0009 0009 0007
WriteConsoleOutputW 1: 5,12-7,13, ReadConsoleOutputW 1: 5,12-7,13, same cells
clipped WriteConsoleOutputW 1: 78,15-79,15
read at the buffer's end 1 1
after other output 1 2 [0020 0020]
OUT
pty_end 60
