#!/bin/sh
# A job's grandchild that outlives its parent (the job's member) and is then killed from
# outside (kill -9; on Windows, TerminateProcess by another program) is reported as Windows
# reports it: JOB_OBJECT_MSG_EXIT_PROCESS for it after the member's, then
# ACTIVE_PROCESS_ZERO (before, nobody told: its parent had gone, and the port waited in
# vain). process_job_grand_port.exe's "killed" case names the grandchild's pid on stderr once
# the member's exit message is in; this script kills it.
# usage: job-orphan.sh NTRUN PROCESS_JOB_GRAND_PORT_EXE
ntrun=$1 exe=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-cli.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
"$ntrun" "$exe" killed > "$work/out" 2> "$work/err" &
top=$!
i=0 # the line comes at once; 60 s only keeps a broken run from hanging the test
until grep -q "^kill the grandchild: [0-9]" "$work/err"; do
    i=$((i + 1))
    if [ $i -gt 600 ] || ! kill -0 $top 2>/dev/null; then break; fi
    sleep 0.1
done
grand=$(tr -d '\r' < "$work/err" | sed -n 's/^kill the grandchild: \([0-9]*\)$/\1/p')
[ -n "$grand" ] && kill -9 "$grand"
wait $top
status=$?
tr -d '\r' < "$work/out" > "$work/out.lf" # the program's text-mode CR LF
cat > "$work/want" <<'END'
-- child outlives the member and is killed
member exit code 7
NEW_PROCESS member key 0x77
NEW_PROCESS grandchild key 0x77
EXIT_PROCESS member key 0x77
EXIT_PROCESS grandchild key 0x77
ACTIVE_PROCESS_ZERO - key 0x77
total 2 active 0 terminated 0
END
if [ -n "$grand" ] && [ $status = 0 ] && cmp -s "$work/want" "$work/out.lf"; then
    echo "ok: the killed grandchild's exit, then ACTIVE_PROCESS_ZERO (grandchild pid $grand)"
    exit 0
fi
echo "FAIL: status $status, grandchild pid '${grand}'; stdout against the expected:"
diff -u "$work/want" "$work/out.lf"
echo "--- stderr:"; cat "$work/err"
exit 1
