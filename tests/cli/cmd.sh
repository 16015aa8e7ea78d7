#!/bin/sh
# ntrun's built-in cmd.exe from the command line: `ntrun cmd /c ...` (no such file: the
# built-in, programs/programs.h) with && and an EXIT /B code, C:\windows\system32\cmd.exe by
# its Windows path, the default environment's ComSpec (and a caller's kept), a known command it
# does not do (a message and exit code 1, never silently wrong), and a real cmd.exe put on C:
# winning over the built-in; an empty C: drive given its system32 folder and cmd.exe stand-in.
# usage: cmd.sh NTRUN HELLO_EXE
ntrun=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
hello=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-cmd.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
fail=0
mkdir -p "$work/c"
export NTRUN_C_DRIVE="$work/c"
cd "$work" || exit 2

check() { # name expected-status expected-stdout (printf format) command...
    name=$1 want=$2 expect=$3; shift 3
    "$@" > "$work/out" 2> "$work/err"; status=$?
    printf "$expect" > "$work/want"
    if [ "$status" != "$want" ] || ! cmp -s "$work/want" "$work/out"; then
        echo "FAIL $name: status $status (want $want), stdout:"; od -c "$work/out" | head -5
        echo "stderr:"; head -5 "$work/err"; fail=1
    else
        echo "ok $name"
    fi
}
check and-exit-b 4 'hi \r\n' "$ntrun" cmd /c "echo hi && exit /b 4"
check cmd-exe 3 'x\r\n' "$ntrun" cmd.exe /c "echo x& exit 3"
check system32-path 0 'y\r\n' "$ntrun" 'C:\Windows\System32\cmd.exe' /c echo y
# the default environment: ComSpec and PATHEXT as Windows has them, unless the caller sets them
check comspec-default 0 'C:\\windows\\system32\\cmd.exe .COM;.EXE;.BAT;.CMD\r\n' \
    env -u ComSpec -u COMSPEC -u PATHEXT "$ntrun" cmd /c "echo %ComSpec% %PATHEXT:~0,19%"
check comspec-kept 0 'Z:\\my\\cmd.exe\r\n' env COMSPEC='Z:\my\cmd.exe' "$ntrun" cmd /c echo %ComSpec%
check unsupported 1 "" "$ntrun" cmd /c label x:
if ! grep -q "LABEL is not supported" "$work/err"; then
    echo "FAIL unsupported: stderr does not name LABEL: $(cat "$work/err")"; fail=1
fi
# a C: drive that exists but is empty (no windows\system32) gets the folder and cmd.exe's
# stand-in there, as a new one does (the CRT's system/_popen look for it)
mkdir -p "$work/empty-c"
check empty-c-drive 0 'yes\r\n' env NTRUN_C_DRIVE="$work/empty-c" "$ntrun" cmd /c \
    "if exist C:\windows\system32\cmd.exe (echo yes) else (echo no)"
mkdir -p "$work/c/windows/system32"
cp "$hello" "$work/c/windows/system32/cmd.exe"
out=$("$ntrun" 'C:\windows\system32\cmd.exe' /c echo z 2>&1)
if ! printf '%s' "$out" | grep -q "Hello from a Windows program"; then
    echo "FAIL real-cmd-wins: $out"; fail=1
else
    echo "ok real-cmd-wins"
fi
exit $fail
