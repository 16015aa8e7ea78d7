#!/usr/bin/env python3
"""Exec and exit times of the processes in a trace of tools/startup-ab/trace.sh.

Usage: trace-parse.py TRACE

For each process (thread group) that the spawner started (startup-ab itself is left out), in us:
  exec       execve entered -> execve returned (the new image set up by the kernel)
  exit       exit_group entered -> the process's last switch out (the whole exit)
  unmap      the last mmap_lock read hold after exit_group (unmapping the address space)
  free       the last mmap_lock write hold after exit_group (freeing the page tables and VMAs)
  exit_pre   exit_group -> that unmap began (threads, files, signals before the mm goes)
  exit_post  the free's end -> the last switch out
  threads    threads seen in the process
  life       execve entered -> the last switch out
Prints the median and quartiles of each over the processes.
"""
import re
import statistics as st
import sys

rx = re.compile(r'^\s*(.+?)-(\d+)\s+\(\s*(\S+)\)\s+\[\d+\]\s+\S+\s+([\d.]+):\s+(\w+)(.*)$')
procs = {}
with open(sys.argv[1]) as f:
    for line in f:
        if line.startswith('#'):
            continue
        m = rx.match(line)
        if not m:
            continue
        comm, pid, tgid, ts, ev, rest = m.groups()
        pid = int(pid)
        tgid = int(tgid) if tgid.isdigit() else pid
        procs.setdefault(tgid, []).append((float(ts) * 1e6, pid, ev, rest, comm))

res = {k: [] for k in ('exec', 'exit', 'unmap', 'free', 'exit_pre', 'exit_post', 'threads', 'life')}
for tg, evs in procs.items():
    if any(e[2] == 'sched_process_exec' and 'startup-ab' in e[3] for e in evs):
        continue  # the spawner
    enter = [e[0] for e in evs if e[2] == 'sys_execve' and '->' not in e[3]]
    ret = [e[0] for e in evs if e[2] == 'sys_execve' and '->' in e[3]]
    eg = [e[0] for e in evs if e[2] == 'sys_exit_group']
    if not enter or not ret or not eg:
        continue
    t0, t1, teg = enter[0], ret[0], eg[0]
    switches = [e[0] for e in evs if e[2] == 'sched_switch' and ('prev_pid=%d ' % e[1]) in e[3]]
    if not switches:
        continue
    last = max(switches)
    pairs, cur = [], None  # (acquired, released, write) holds of mmap_lock after exit_group
    for e in evs:
        if e[0] < teg or not e[2].startswith('mmap_lock'):
            continue
        if e[2] == 'mmap_lock_acquire_returned':
            cur = e
        elif cur:
            pairs.append((cur[0], e[0], 'write=true' in e[3]))
            cur = None
    rd = [p for p in pairs if not p[2]]
    wr = [p for p in pairs if p[2]]
    if not rd or not wr:
        continue
    res['exec'].append(t1 - t0)
    res['exit'].append(last - teg)
    res['unmap'].append(rd[-1][1] - rd[-1][0])
    res['free'].append(wr[-1][1] - wr[-1][0])
    res['exit_pre'].append(rd[-1][0] - teg)
    res['exit_post'].append(last - wr[-1][1])
    res['threads'].append(len(set(e[1] for e in evs)))
    res['life'].append(last - t0)
for k, v in res.items():
    if len(v) >= 2:
        q = st.quantiles(v, n=4)
        print("%-10s n=%d median %.1f  q1 %.1f q3 %.1f" % (k, len(v), st.median(v), q[0], q[2]))
if not res['exec']:
    sys.exit("trace-parse.py: no complete process in the trace")
