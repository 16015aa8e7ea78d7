#!/bin/sh
# SPDX-License-Identifier: MIT
# Checks the expected outputs of tests/corpus3p against the references: each task run with the
# native Linux build of the same tool at the same version, and with the Windows build under Wine
# (never through ntrun). Prints one line per task: NAME native=RESULT wine=RESULT, RESULT being
# pass, FAIL, differs (a known difference the task names) or skip; native passes after the
# platform normalisations the task names (native_crlf, native_text, windows_only: run-task.sh).
# usage: reference.sh [NTRUN] [TASK.sh...]   (NTRUN: also run under ntrun; default: the tasks)
# Environment: NTRUN_CORPUS3P_CACHE (default ~/.cache/ntrun/corpus3p), PKGDIR (default a
# folder in the cache), REFERENCES (default "native wine": the references run; "native" alone is
# minutes for all tasks, Wine's start-up makes the whole an hour on a loaded host).
here=$(cd "$(dirname "$0")" && pwd)
ntrun=""
case ${1:-} in *.sh|"") ;; *) ntrun=$1; shift ;; esac
[ $# = 0 ] && set -- "$here"/tasks/*.sh
cache=${NTRUN_CORPUS3P_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ntrun/corpus3p}
pkgdir=${PKGDIR:-$cache/unpacked}
result() {
    log=$("$here/run-task.sh" "$1" "$here/packages.list" "$cache" "$pkgdir" "$2" 2>&1)
    case $? in
    0) echo pass ;;
    3) echo differs ;;
    77) echo skip ;;
    *) echo FAIL; printf '%s\n' "$log" | head -12 | sed 's/^/    /' >&2 ;;
    esac
}
for task in "$@"; do
    name=$(basename "$task" .sh)
    line=$name
    for ref in ${REFERENCES:-native wine}; do
        line="$line $ref=$(result "$ref" "$task")"
    done
    [ -n "$ntrun" ] && line="$line ntrun=$(result "$ntrun" "$task")"
    echo "$line"
done
