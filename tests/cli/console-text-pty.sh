#!/bin/sh
# The screen buffer follows text written to the console: tests/pe/console_text.c "tty" on an
# 80x24 pseudo-terminal (tests/tools/pty-drive.py with tests/cli/console-text.pty), stdout
# redirected to a file. Text from WriteConsoleA/W and WriteFile read back with
# ReadConsoleOutputCharacterW/Attribute, the cursor from GetConsoleScreenBufferInfo, as the
# console host keeps them in processed output mode (CR, LF, TAB, BS, the last column, a line
# feed on the last row); the terminal is asked where the cursor is only once, after an escape
# sequence that is not followed.
# usage: console-text-pty.sh NTRUN EXE
ntrun=$1 exe=$2
here=$(dirname "$0")
command -v python3 > /dev/null || { echo "skip: python3 (its pty module) is not installed"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-context.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
python3 "$here/../tools/pty-drive.py" --size 80x24 --stdout "$work/out" "$here/console-text.pty" \
    -- "$ntrun" "$exe" tty > "$work/tty"
fail=0
grep -q "status 0" "$work/tty" || { echo "FAIL: exit status"; fail=1; }
n=$(grep -o "$(printf '\033')\[6n" "$work/tty" | wc -l)
if [ "$n" = 1 ]; then echo "ok: the cursor asked for once"; else
    echo "FAIL: the cursor asked for $n times, not 1 (only after the cursor sequence)"; fail=1; fi
sed 's/$/\r/' > "$work/want" <<'OUT'
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
after a cursor sequence 1 [...] cursor 4,4
OUT
if cmp -s "$work/want" "$work/out"; then echo "ok: the program's report"; else
    echo "FAIL: the program's report"; diff -u "$work/want" "$work/out" | head -60; fail=1; fi
if [ $fail != 0 ]; then
    echo "--- the terminal's output:"; cat -v "$work/tty" | head -40
fi
exit $fail
