# Sourced by the console tests that drive a PE program on a pseudo-terminal
# (console-input-pty.sh, console-text-pty.sh, console-wait-pty.sh), called as
# "SCRIPT NTRUN EXE": skips without python3, makes a work directory (removed at exit), and
# gives
#   pty_run PTY       runs "NTRUN EXE tty" on an 80x24 pseudo-terminal with the keys and
#                     answers of the .pty script PTY (tests/tools/pty-drive.py), the program's
#                     stdout in $work/out, what the terminal showed in $work/tty
#   pty_status        checks the program's exit status (0)
#   pty_report [N]    compares $work/out with the report on stdin (LF line ends: the
#                     program's are CRLF), at most N lines of the difference shown
#   pty_end [N]       shows the terminal's output (N lines) when something failed; exits
# `fail` is 1 once a check failed.
ntrun=$1 exe=$2
here=$(dirname "$0")
command -v python3 > /dev/null || { echo "skip: python3 (its pty module) is not installed"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-pty.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
fail=0

pty_run() {
    python3 "$here/../tools/pty-drive.py" --size 80x24 --stdout "$work/out" "$1" \
        -- "$ntrun" "$exe" tty > "$work/tty"
}

pty_status() {
    grep -q "status 0" "$work/tty" || { echo "FAIL: exit status"; fail=1; }
}

pty_report() {
    sed 's/$/\r/' > "$work/want"
    if cmp -s "$work/want" "$work/out"; then echo "ok: the program's report"; else
        echo "FAIL: the program's report"; diff -u "$work/want" "$work/out" | head -"${1:-60}"
        fail=1
    fi
}

pty_end() {
    if [ $fail != 0 ]; then
        echo "--- the terminal's output:"; cat -v "$work/tty" | head -"${1:-40}"
    fi
    exit $fail
}
