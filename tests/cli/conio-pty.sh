#!/bin/sh
# conio.h on a real terminal: tests/pe/conio.c "tty" (msvcrt) and tests/msvc/ucrt_conio.c "tty"
# (ucrtbase's __conio_common_* families) run on a pseudo-terminal (Python's pty module) with
# their stdout redirected to a file. The console text (_cputs, _cprintf and its _l/_p/_s and
# wide forms) must reach the terminal and not the file; the keys typed (each sent once the
# program has put the terminal in raw mode for _getch, seen from the master side) must come
# back as Windows gives them; _getch must not echo, _getche must. The program's own report (its
# stdout) is compared line by line.
# usage: conio-pty.sh NTRUN MSVCRT_EXE [UCRT_EXE (run when it exists)]
ntrun=$1 exe=$2 uexe=$3
command -v python3 > /dev/null || { echo "skip: python3 (its pty module) is not installed"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-conio.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
# run EXE: the terminal's output in $work/tty, stdout in $work/out; the keys after each prompt
run() {
python3 - "$ntrun" "$1" "$work/out" > "$work/tty" <<'PY'
import os, pty, select, sys, termios, time
ntrun, exe, out = sys.argv[1:4]
pid, fd = pty.fork()
if pid == 0:
    o = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(o, 1)
    os.execv(ntrun, [ntrun, exe, "tty"])
buf = b""
def pump(t):
    global buf
    r, _, _ = select.select([fd], [], [], t)
    if r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            return False
        if not data:
            return False
        buf += data
    return True
def until(text, limit=30):
    end = time.time() + limit
    while text not in buf and time.time() < end:
        if not pump(0.2):
            return
def raw(limit=30):
    # the program's _getch has put the terminal in raw mode (the master sees the slave's modes)
    end = time.time() + limit
    while time.time() < end:
        if not termios.tcgetattr(fd)[3] & termios.ICANON:
            return
        pump(0.01)
def key(prompt, data, wait_raw=True):
    until(prompt)
    if wait_raw:
        raw()
    os.write(fd, data)
if os.path.basename(exe) == "conio.exe":
    key(b"press Q", b"Q")
    key(b"press Z", b"Z")
    key(b"press up", b"\x1b[A")
    key(b"press enter", b"\r")
    key(b"press ctrl-c", b"\x03")
    key(b"press e-acute twice", "\u00e9".encode())
    raw()
    os.write(fd, "\u00e9".encode())
    key(b"type a line", b"hello conio\r", wait_raw=False)
    key(b"type numbers", b"12 34\r")
    key(b"waiting for a key", b"k", wait_raw=False)
    until(b"done")
else:
    key(b"press x", b"x")
    key(b"press e-acute", "\u00e9".encode())
    until(b"done")
until(b"\x00", 2)
end = time.time() + 20  # a program stuck on a key it did not get is ended
while True:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    if time.time() > end:
        os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
        break
    pump(0.1)
sys.stdout.buffer.write(buf)
sys.stdout.write("\nstatus %d\n" % os.waitstatus_to_exitcode(status))
PY
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
run "$exe"
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
check "exit status 0" "status 0"
absent "the console text is not on stdout" "[c" "$work/out"
same "the program's report (stdout)" <<'OUT'
_cputs 0 _cprintf 21 _cprintf_l 16 _cprintf_p 5 _cprintf_s 6
_cwprintf 14 _cputws 0 _putch 33 _putwch e9 _vcprintf 14
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
OUT
if [ -n "$uexe" ] && [ -f "$uexe" ]; then
    run "$uexe"
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
exit $fail
