#!/bin/sh
# tools/startup-ab (docs/performance.md): the output's format, the order of the runs (A B, B A, ...;
# --block, --order ab), --gap-us's parsing, --stdout-pipe,
# the per-side NAME=VALUE words, the children's stdout kept out of the report, a failing child
# reported in the exit status, usage errors. No timing is checked: the runs are `true` and `sh -c`.
# usage: startup-ab.sh STARTUP_AB
ab=$1
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
fail() { echo "FAIL: $*"; cat "$out"; exit 1; }
num='[0-9][0-9]*\.[0-9]'
ratio='[0-9][0-9]*\.[0-9][0-9][0-9] (q1 [0-9.]* q3 [0-9.]*)'

"$ab" -n 3 -- true -- true >"$out" || fail "true vs true: exit status $?"
grep -q '^startup-ab: 3 pairs (A first in 2, B first in 1), 2 warm-up, load [0-9.]*$' "$out" || fail "header"
grep -q '^A: true$' "$out" && grep -q '^B: true$' "$out" || fail "commands"
grep -q '^folios A: ' "$out" && grep -q '^folios B: ' "$out" || fail "folios lines"
for m in cpu wall; do
    grep -q "^$m *A  median $num us (q1 $num q3 $num)  B  median $num us (q1 $num q3 $num)\$" "$out" ||
        fail "$m medians"
    grep -q "^$m *B/A   A first $ratio n=2,  B first $ratio n=1,  all $ratio n=3\$" "$out" ||
        fail "$m ratios"
    grep -q "^$m *by order:  A first: A $num B $num us; B first: A $num B $num us\$" "$out" || fail "$m by order"
done
grep -q '^startup-ab: [0-9.]* s, failed: A 0, B 0$' "$out" || fail "summary"

# --self, the NAME=VALUE words reach the child (its test fails otherwise), its stdout does not
# reach the report.
"$ab" -n 2 --self -- AB_SMOKE=yes sh -c 'echo child-output; test "$AB_SMOKE" = yes' >"$out" ||
    fail "--self with NAME=VALUE: exit status $?"
grep -q 'self-check: B is A' "$out" || fail "self-check header"
grep -q '^B: AB_SMOKE=yes sh -c' "$out" || fail "self-check B"
grep -qx child-output "$out" && fail "the child's stdout reached the report"
# the word applies to its side only
AB_SMOKE=no "$ab" -n 2 -w 0 -- sh -c 'test "$AB_SMOKE" = no' -- AB_SMOKE=yes sh -c 'test "$AB_SMOKE" = yes' \
    >"$out" || fail "per-side environment: exit status $?"

# The order: A B, B A, A B (each child appends its letter; no warm-up).
order=$(mktemp) || exit 1
trap 'rm -f "$out" "$order"' EXIT
"$ab" -n 3 -w 0 -- sh -c 'echo A >> "$1"' sh "$order" -- sh -c 'echo B >> "$1"' sh "$order" >"$out" ||
    fail "order: exit status $?"
[ "$(tr -d '\n' < "$order")" = ABBAAB ] || fail "order: $(tr -d '\n' < "$order"), not ABBAAB"

# --block 2: groups of two pairs, A A B B, then B B A A, then A B for the fifth pair.
: >"$order"
"$ab" -n 5 -w 0 --block 2 -- sh -c 'echo A >> "$1"' sh "$order" -- sh -c 'echo B >> "$1"' sh "$order" >"$out" ||
    fail "--block 2: exit status $?"
[ "$(tr -d '\n' < "$order")" = AABBBBAAAB ] || fail "--block 2: $(tr -d '\n' < "$order"), not AABBBBAAAB"
grep -q '^startup-ab: 5 pairs (A first in 3, B first in 2), 0 warm-up' "$out" || fail "--block 2 header"
grep -q '^protocol: gap 0 us, order abba, block 2, stdout /dev/null$' "$out" || fail "--block 2 protocol line"
grep -q "^cpu *B/A   A first $ratio n=3,  B first $ratio n=2,  all $ratio n=5\$" "$out" || fail "--block 2 ratios"
# --order ab (A first in every pair, as ntbench), with --gap-us parsed and reported.
: >"$order"
"$ab" -n 3 -w 0 --order ab --gap-us 1000 -- sh -c 'echo A >> "$1"' sh "$order" -- sh -c 'echo B >> "$1"' sh "$order" \
    >"$out" || fail "--order ab: exit status $?"
[ "$(tr -d '\n' < "$order")" = ABABAB ] || fail "--order ab: $(tr -d '\n' < "$order"), not ABABAB"
grep -q '^startup-ab: 3 pairs (A first in 3, B first in 0), 0 warm-up' "$out" || fail "--order ab header"
grep -q '^protocol: gap 1000 us, order ab, block 1, stdout /dev/null$' "$out" || fail "--gap-us protocol line"
# --spin: the gap is a busy wait, reported as such
"$ab" -n 1 -w 0 --gap-us 100 --spin -- true -- true >"$out" || fail "--spin: exit status $?"
grep -q '^protocol: gap 100 us (spin), order abba, block 1, stdout /dev/null$' "$out" || fail "--spin protocol line"
# the default protocol prints no protocol line
"$ab" -n 1 -w 0 -- true -- true >"$out" || fail "default: exit status $?"
grep -q '^protocol:' "$out" && fail "a protocol line for the default protocol"
# --stdout-pipe: the child's stdout is a pipe (not /dev/null), drained, kept out of the report.
"$ab" -n 2 -w 0 --stdout-pipe -- sh -c 'test -p /dev/stdout && echo child-output' -- true >"$out" ||
    fail "--stdout-pipe: exit status $?"
grep -q '^protocol: gap 0 us, order abba, block 1, stdout pipe$' "$out" || fail "--stdout-pipe protocol line"
grep -qx child-output "$out" && fail "--stdout-pipe: the child's stdout reached the report"
"$ab" -n 1 -w 0 -- sh -c 'test -p /dev/stdout' -- true >"$out" 2>/dev/null &&
    fail "without --stdout-pipe the child's stdout was a pipe"

# A failing child: exit status 1 and counted.
"$ab" -n 2 -w 0 -- true -- false >"$out" 2>/dev/null && fail "a failing child gave exit status 0"
grep -q '^startup-ab: [0-9.]* s, failed: A 0, B 2$' "$out" || fail "failures not counted"

# Usage errors: exit status 2.
"$ab" -n 2 -- true >/dev/null 2>&1; [ $? = 2 ] || fail "one command without --self"
"$ab" -n 0 -- true -- true >/dev/null 2>&1; [ $? = 2 ] || fail "-n 0"
"$ab" --self -- true -- true >/dev/null 2>&1; [ $? = 2 ] || fail "--self with two commands"
for bad in "--gap-us -1" "--gap-us x" "--gap-us" "--order ba" "--block 0" "--block 2x"; do
    "$ab" $bad -- true -- true >/dev/null 2>&1; [ $? = 2 ] || fail "usage: $bad accepted"
done
echo ok
