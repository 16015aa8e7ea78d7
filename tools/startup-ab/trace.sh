#!/bin/sh
# Exec and exit of a command, from kernel tracepoints (issue 12; docs/performance.md, "twenty-fourth
# pass, start-up: the A/B tool"). Root and tracefs (/sys/kernel/tracing) needed.
#
# usage: trace.sh [-o OUT] N COMMAND...      then: python3 tools/startup-ab/trace-parse.py OUT
#
# Runs COMMAND about N times (startup-ab --self, so in pairs: N rounded up to even) in a tracefs
# instance of its own, with the events of the spawner's process tree only (set_event_pid + the
# event-fork option): execve enter/exit, sched_process_exec/exit/free, sched_switch, exit_group
# and the mmap_lock tracepoints (the unmap and free of the address space at exit take the lock).
# Writes the trace to OUT (default /tmp/startup-ab-trace.txt, ~100 KB a run of hello.exe: delete it after).
# STARTUP_AB: the spawner (default build/startup-ab, or startup-ab in PATH).
out=/tmp/startup-ab-trace.txt
[ "$1" = -o ] && { out=$2; shift 2; }
[ $# -ge 2 ] || { echo "usage: trace.sh [-o OUT] N COMMAND..." >&2; exit 2; }
n=$1; shift
ab=${STARTUP_AB:-build/startup-ab}
[ -x "$ab" ] || ab=$(command -v startup-ab) || { echo "trace.sh: no startup-ab (set STARTUP_AB)" >&2; exit 2; }
tr=/sys/kernel/tracing
[ -d $tr/instances ] || { echo "trace.sh: no tracefs at $tr (root needed)" >&2; exit 2; }
T=$tr/instances/startup-ab-$$
mkdir $T || exit 1
trap 'echo 0 > $T/tracing_on; echo > $T/set_event; rmdir $T' EXIT
echo 0 > $T/tracing_on
echo 8192 > $T/buffer_size_kb
echo mono > $T/trace_clock
echo 1 > $T/options/event-fork
echo 1 > $T/options/record-tgid
for e in syscalls:sys_enter_execve syscalls:sys_exit_execve sched:sched_process_exec \
         syscalls:sys_enter_exit_group sched:sched_process_exit sched:sched_switch \
         mmap_lock:mmap_lock_acquire_returned mmap_lock:mmap_lock_released sched:sched_process_free; do
    echo $e >> $T/set_event || exit 1
done
# The shell below puts itself in set_event_pid, turns tracing on and becomes the spawner.
sh -c 'echo $$ > "$1/set_event_pid"; echo 1 > "$1/tracing_on"; shift; exec "$@"' sh "$T" \
    "$ab" -w 0 -n $(( (n + 1) / 2 )) --self -- "$@" >&2
echo 0 > $T/tracing_on
cat $T/trace > "$out"
echo "trace.sh: $out ($(wc -l < "$out") lines)" >&2
