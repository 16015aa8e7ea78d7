#!/bin/sh
# --strict: a program importing many functions ntrun does not implement (builtin_dlls.exe) is
# refused with exit 126, every missing import on its own line ("missing import DLL!name (not
# implemented)"), grouped by DLL, none cut short, and a count that matches the lines; without
# --strict the same program runs.
# usage: strict.sh NTRUN EXE
ntrun=$1 exe=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-strict.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
fail=0
check() { # description, condition result
    if [ "$2" = 0 ]; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi
}
name=$(basename "$exe")

"$ntrun" --strict "$exe" > "$work/out" 2> "$work/err"; st=$?
check "--strict: exit 126 (got $st)" "$([ $st = 126 ]; echo $?)"
lines=$(grep -c "^ntrun: $name: missing import [^ ]*![^ ]* (not implemented)$" "$work/err")
check "--strict: one line per missing import ($lines lines)" "$([ "$lines" -ge 5 ]; echo $?)"
count=$(sed -n "s/^ntrun: $name: \([0-9]*\) missing imports (listed above)$/\1/p" "$work/err")
check "--strict: the count ($count) matches the lines" "$([ "$count" = "$lines" ]; echo $?)"
for f in USER32.dll!DrawIcon SHELL32.dll!ExtractIconA ADVAPI32.dll!AbortSystemShutdownA \
         !OleFlushClipboard GDI32.dll!CreateSolidBrush; do
    grep -qi "missing import [^ ]*$f (not implemented)" "$work/err"
    check "--strict: $f is listed" $?
done
# grouped by DLL: each DLL's lines are contiguous
dlls=$(sed -n "s/^ntrun: $name: missing import \([^!]*\)!.*/\1/p" "$work/err" | uniq | sort | uniq -d)
check "--strict: lines grouped by DLL" "$([ -z "$dlls" ]; echo $?)"
grep -q '\.\.\.' "$work/err"
check "--strict: nothing cut short with ..." "$([ $? != 0 ]; echo $?)"

"$ntrun" "$exe" > "$work/out" 2> "$work/err"; st=$?
check "without --strict: runs (exit $st)" "$([ $st = 0 ]; echo $?)"
exit $fail
