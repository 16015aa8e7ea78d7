#!/bin/sh
# ntrun where Syscall User Dispatch is missing, made so two ways: NTRUN_TEST_SUD_EINVAL=1 (the
# runtime's own test switch) and a real seccomp policy (tests/tools/no_sud.c) under which the
# SUD prctl fails with EINVAL as on Linux < 5.11. By default ntrun then traps the program's
# system calls with its seccomp filter (direct syscalls on 8 threads still work); --sud=require
# refuses to run and names the kernel needed; with seccomp refused too, it refuses to run.
# usage: no-sud.sh NTRUN NO_SUD HELLO_EXE PE_DIR PE_SRC_DIR
ntrun=$1 no_sud=$2 hello=$3 pe=$4 src=$5
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-cli.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
fail=0

"$no_sud" /bin/true || { echo "SKIP: seccomp filters are not available here"; exit 77; }

refuses() { # name pattern command...
    name=$1 pattern=$2
    shift 2
    "$@" > "$work/out" 2> "$work/err"
    status=$?
    if [ $status -ne 126 ] || ! grep -q -- "$pattern" "$work/err"; then
        echo "FAIL $name: exit status $status (expected 126), stderr:"; cat "$work/err"; fail=1
        return
    fi
    if [ -s "$work/out" ]; then
        echo "FAIL $name: the program ran:"; cat "$work/out"; fail=1; return
    fi
    echo "ok $name: $(head -1 "$work/err")"
}

runs() { # name program command...
    name=$1 prog=$2
    shift 2
    "$@" "$pe/$prog.exe" > "$work/out" 2> "$work/err"
    status=$?
    if [ $status -ne 0 ] || ! cmp -s "$work/out" "$src/$prog.stdout"; then
        echo "FAIL $name: exit status $status, stdout differs from $prog.stdout:"
        diff "$src/$prog.stdout" "$work/out" | head -20; cat "$work/err"; fail=1; return
    fi
    echo "ok $name"
}

refuses env-require "Linux 5.11" env NTRUN_TEST_SUD_EINVAL=1 "$ntrun" --sud=require "$hello"
refuses seccomp-require "Linux 5.11" "$no_sud" "$ntrun" --sud=require "$hello"
refuses seccomp-nothing "refusing to run" "$no_sud" --no-seccomp "$ntrun" "$hello"
refuses seccomp-forced "seccomp filter was refused" "$no_sud" --no-seccomp "$ntrun" --sud=seccomp "$hello"
runs env-auto syscall_direct env NTRUN_TEST_SUD_EINVAL=1 "$ntrun"
runs seccomp-auto syscall_direct "$no_sud" "$ntrun"
runs seccomp-auto-threads threads_stress "$no_sud" "$ntrun"
runs seccomp-auto-hardcoded syscall_hardcoded "$no_sud" "$ntrun"
runs forced-seccomp-threads threads_stress "$ntrun" --sud=seccomp
exit $fail
