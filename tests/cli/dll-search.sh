#!/bin/sh
# The foreign-DLL search: a program whose DLLs (ghost.dll, ghost2.dll) are in a directory
# outside the default search fails to start naming the first missing DLL and the directories
# searched (--strict names both); NTRUN_DLL_PATH (colon-separated) and --dll-path find them.
# usage: dll-search.sh NTRUN EXE DLLDIR
ntrun=$1 exe=$2 dlldir=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-dll-search.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
fail=0
check() { # description, condition result
    if [ "$2" = 0 ]; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi
}
cd "$work" || exit 2

"$ntrun" "$exe" > out 2> err; st=$?
check "missing DLL: exit 126 (got $st)" "$([ $st = 126 ]; echo $?)"
grep -q "^ntrun: dll_search.exe: cannot find ghost.dll (searched: .*$work" err
check "missing DLL: message names ghost.dll and the directories searched" $?
grep -q ghost2 err
check "missing DLL: without --strict only the first is named" "$([ $? != 0 ]; echo $?)"

"$ntrun" --strict "$exe" > out 2> err; st=$?
check "--strict: exit 126 (got $st)" "$([ $st = 126 ]; echo $?)"
grep -q "^ntrun: dll_search.exe: cannot find ghost.dll " err && grep -q "^ntrun: dll_search.exe: cannot find ghost2.dll " err
check "--strict: both missing DLLs are named, one per line" $?

NTRUN_DLL_PATH="/nonexistent:$dlldir" "$ntrun" "$exe" > out 2> err; st=$?
check "NTRUN_DLL_PATH: exit 0 (got $st)" "$([ $st = 0 ]; echo $?)"
grep -q "ghost.dll says hello, number 2" out
check "NTRUN_DLL_PATH: the DLLs ran" $?

"$ntrun" --dll-path="$dlldir" "$exe" > out 2> err; st=$?
check "--dll-path: exit 0 (got $st)" "$([ $st = 0 ]; echo $?)"
grep -q "ghost.dll says hello, number 2" out
check "--dll-path: the DLLs ran" $?

if [ $fail != 0 ]; then echo "--- last stderr:"; cat err; fi
exit $fail
