#!/bin/sh
# ntrun on files that are not runnable Windows programs: each must end with a clear one-line
# message naming the problem and exit status 126, never a crash.
# usage: bad-files.sh NTRUN GOOD_EXE
ntrun=$1 good=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-cli.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
fail=0

expect() { # name file pattern
    name=$1 file=$2 pattern=$3
    "$ntrun" "$file" > "$work/out" 2> "$work/err"
    status=$?
    if [ $status -ne 126 ]; then
        echo "FAIL $name: exit status $status, expected 126"; cat "$work/err"; fail=1; return
    fi
    if ! grep -q -- "$pattern" "$work/err"; then
        echo "FAIL $name: stderr does not say '$pattern':"; cat "$work/err"; fail=1; return
    fi
    echo "ok $name: $(head -1 "$work/err")"
}

expect missing "$work/nosuch.exe" "nosuch.exe: cannot open"
: > "$work/empty.exe"
expect empty "$work/empty.exe" "not a PE file"
head -c 4096 /dev/urandom | tr -d 'M' > "$work/garbage.exe"
expect garbage "$work/garbage.exe" "not a PE file"
cp /bin/true "$work/elf.exe"
expect elf "$work/elf.exe" "not a PE file"
head -c 200 "$good" > "$work/trunc200.exe"
expect truncated-headers "$work/trunc200.exe" "truncated\|past end of file\|not a PE file"
size=$(wc -c < "$good")
head -c $((size / 2)) "$good" > "$work/half.exe"
expect truncated-sections "$work/half.exe" "past end of file"
mkdir "$work/dir.exe"
expect directory "$work/dir.exe" "dir.exe: cannot"
exit $fail
