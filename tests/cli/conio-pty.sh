#!/bin/sh
# conio.h on a real terminal: tests/pe/conio.c "tty" (msvcrt) and tests/msvc/ucrt_conio.c "tty"
# (ucrtbase's __conio_common_* families) run on a pseudo-terminal (tests/tools/pty-drive.py with
# the keys of tests/cli/conio.pty and ucrt-conio.pty) with their stdout redirected to a file.
# The console text (_cputs, _cprintf and its _l/_p/_s and wide forms) must reach the terminal
# and not the file; the keys typed (ahead of any read, while the program waits, or queued by the
# console input buffer) must come back as Windows gives them; _getch must not echo, _getche
# must. The program's own report (its stdout) is compared line by line. Then conio.c "redir"
# (stdin a file: _getch still reads the terminal) and "nocon" (setsid: no controlling terminal,
# no console: EOF).
# usage: conio-pty.sh NTRUN MSVCRT_EXE [UCRT_EXE (run when it exists)]
ntrun=$1 exe=$2 uexe=$3
here=$(dirname "$0")
command -v python3 > /dev/null || { echo "skip: python3 (its pty module) is not installed"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-conio.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
# run SCRIPT EXE ARG [DRIVER OPTIONS]: the terminal's output in $work/tty, stdout in $work/out
run() {
    script=$1 prog=$2 arg=$3
    shift 3
    python3 "$here/../tools/pty-drive.py" --size 80x24 --stdout "$work/out" "$@" "$here/$script" \
        -- "$ntrun" "$prog" "$arg" > "$work/tty"
}
fail=0
# the terminal's output on one line: CR dropped, each LF a '|'
flat() { tr -d '\r' < "$work/tty" | tr '\n' '|' > "$work/flat"; }
check() { # description, fixed string expected in the terminal's output ('|' for a line end)
    if grep -qF -- "$2" "$work/flat"; then echo "ok: $1"; else echo "FAIL: $1 (no \"$2\")"; fail=1; fi
}
absent() { # description, fixed string that must not be in file $3
    if grep -qF -- "$2" "$3"; then echo "FAIL: $1 (\"$2\" in $(basename "$3"))"; fail=1; else echo "ok: $1"; fi
}
same() { # the program's stdout (CR LF lines: a text-mode file) against the lines on stdin
    sed 's/$/\r/' > "$work/want"
    if cmp -s "$work/want" "$work/out"; then echo "ok: $1"; else
        echo "FAIL: $1"; diff -u "$work/want" "$work/out" | head -30; fail=1; fi
}
run conio.pty "$exe" tty
flat
check "_cputs on the terminal" "[cputs]|"
check "_cprintf" "[cprintf 42 abc 1.50]"
check "_cprintf_l: the locale's decimal point" "[cprintf_l 1,50]"
check "_cprintf_p: positional arguments" "[p 7]"
check "_cprintf_s" "[s 5]"
check "_cwprintf: UTF-8 on the terminal" "$(printf '[cwprintf w \303\251]')"
check "_cputws" "$(printf '[cputws \342\202\254]')"
check "_putch, _putwch" "$(printf '!\303\251[vcprintf ff]')"
check "_getch does not echo" "press Q|press Z|"
check "_getche echoes" "press Z|Z|"
check "typed ahead: echoed by the terminal's line mode only" "type ahead|ab^[[A^[OPpress Q|"
check "exit status 0" "status 0"
absent "the console text is not on stdout" "[c" "$work/out"
same "the program's report (stdout)" <<'OUT'
_cputs 0 _cprintf 21 _cprintf_l 16 _cprintf_p 5 _cprintf_s 6
_cwprintf 14 _cputws 0 _putch 33 _putwch e9 _vcprintf 14
typed ahead: 61 62 e0 48 00 3b
_kbhit before any key: 0
_getch: Q
_getche: Z
_ungetch m, again -1, _getch m, _kbhit 0
up: e0 48
enter: 13
ctrl-c: 3
e-acute: _getwch 00e9 _getch 82
_cgets: [hello conio] length 11 at +2 1
_cscanf: 2 12 34, then _getch 13
_kbhit: 1, _getch k
queued 13, _kbhit 1
x ctrl-up f12 shift-f1 delete alt-pgup: 78 e0 8d e0 86 00 54 e0 53 00 99
Shift alone and releases: _kbhit 0, events left 4
F5 written: _kbhit 1
f5 alt-a alt-1 shift-tab ctrl-tab home ctrl-pgup f11 alt-f12: 00 3f 00 1e 00 78 00 0f 00 94 00 47 00 84 e0 85 e0 8c
_getwch: d83d de00, up 00e0 0048
down e0, _ungetch meanwhile -1, then 50
OUT
if [ -n "$uexe" ] && [ -f "$uexe" ]; then
    run ucrt-conio.pty "$uexe" tty
    flat
    check "UCRT _cprintf" "[ucrt cprintf 42 1.50]"
    check "UCRT _cprintf_l: the locale's decimal point" "[ucrt cprintf_l 2,50]"
    check "UCRT _cprintf_p" "[ucrt b a]"
    check "UCRT _cwprintf" "$(printf '[ucrt cwprintf \303\251 w]')"
    check "UCRT _cputs" "[ucrt cputs]"
    check "UCRT exit status 0" "status 0"
    absent "the UCRT console text is not on stdout" "[ucrt" "$work/out"
    same "the UCRT program's report (stdout)" <<'OUT'
_cprintf 22 _cprintf_l 21 _cprintf_p 10 _cwprintf 19 _cputs 0
_getch x, _getwch 00e9
OUT
fi
if [ $fail != 0 ]; then
    echo "--- the terminal's output:"; cat -v "$work/tty" | head -60
fi
# stdin a file: the program reads it, and _getch reads the terminal
printf 'from the file\n' > "$work/in"
run conio-redir.pty "$exe" redir --stdin "$work/in"
flat
check "redirected stdin: exit status 0" "status 0"
same "redirected stdin: the program's report" <<'OUT'
stdin: from the file
_getch r, _kbhit 0
OUT
# no controlling terminal: no console
if command -v setsid > /dev/null; then
    setsid "$ntrun" "$exe" nocon < /dev/null > "$work/out" 2> "$work/err"
    same "no console: EOF" <<'OUT'
no console: _getch -1 _getche -1 _getwch ffff _kbhit 0
OUT
fi
exit $fail
