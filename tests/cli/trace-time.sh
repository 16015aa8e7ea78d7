#!/bin/sh
# --trace=time: one line per phase of loading and running, each with a duration, in order; the
# program's own output and exit status are unchanged; another channel alone prints none of them.
ntrun=$1 hello=$2
fail=0
err=$(mktemp) out=$(mktemp)
trap 'rm -f "$err" "$out"' EXIT
"$ntrun" --trace=time "$hello" >"$out" 2>"$err"; status=$?
[ "$status" = 0 ] || { echo "FAIL: exit status $status"; fail=1; }
grep -q "Hello from a Windows program" "$out" || { echo "FAIL: the program's output is missing"; fail=1; }
phases="runtime (SUD, signal handlers, PEB)
NT system-call table and KUSER_SHARED_DATA
built-in DLLs
load hello.exe
process parameters and standard handles
run hello.exe (entry point to exit)
teardown"
got=$(sed -n 's/^ntrun: \[time\] \(.*\): [0-9][0-9]*\.[0-9] us$/\1/p' "$err")
if [ "$got" != "$phases" ]; then
    echo "FAIL: phases"; echo "want:"; echo "$phases"; echo "got:"; cat "$err"; fail=1
fi
"$ntrun" --trace=sud "$hello" >/dev/null 2>"$err"
if grep -q "\[time\]" "$err"; then echo "FAIL: --trace=sud printed [time] lines"; fail=1; fi
[ $fail = 0 ] && echo "ok: $(echo "$phases" | wc -l) phases timed"
exit $fail
