#!/usr/bin/env python3
"""Plumbing test of ntbench (never a timing threshold): `ntbench --quick --json` runs every
case and exits 0, its output parses as JSON (also through `python3 -m json.tool`), every
expected case name is present once, each available case has numeric median/best/iterations
and a ratio when it names a baseline that ran, each skipped case says why; `--filter` selects a
subset (iocp, timer, tcp: each issue-11 service's pair, with the CPU time per operation); chart.py turns the JSON into a well-formed SVG.
    usage: check_ntbench.py NTBENCH CHART_PY"""

import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

EXPECTED = [
    "native.call.indirect", "native.selector.flip", "native.syscall.sud_off",
    "native.syscall.allow", "native.syscall.block_in_range", "native.syscall.inclusive",
    "native.sigsys.bare", "native.cpu", "native.clock_gettime",
    "pe.call.indirect", "pe.import.trivial", "pe.import.pid", "pe.callback", "pe.nt.qpc.trap",
    "pe.nt.qpc.import", "pe.nt.qpc.getproc", "pe.nt.systime.trap", "pe.nt.systime.import",
    "pe.nt.systime.getproc", "pe.nt.systime.stub1011", "pe.nt.systime.stub1011.trap", "pe.cpu", "native.heap.malloc32", "pe.heap.malloc32",
    "pe.heap.heapalloc48",
    "native.process.spawn", "pe.process.create",
    # issue 11's services: overlapped read through a port, timer wait, loopback TCP round trip
    "native.iocp.pread", "pe.iocp.read", "native.iocp.pipe", "pe.iocp.pipe",
    "native.timer.timerfd", "native.timer.nanosleep", "pe.timer.wait",
    "native.tcp.rtt", "pe.tcp.rtt", "native.tcp.rtt1t", "pe.tcp.rtt1t",
    "native.tcp.rtt.epoll", "pe.tcp.rtt.port", "pe.tcp.rtt.afd", "pe.tcp.rtt.poll",
    "startup.native_hello", "startup.ntrun_hello", "startup.ntrun_floor", "startup.inprocess_first",
    "startup.inprocess_repeat",
    "stdio.putc_getc.native", "stdio.putc_getc", "stdio.lines.native", "stdio.lines",
    "stdio.lua_lines.native", "stdio.lua_lines",
    # under ntrun --sud=inclusive, beside the default mode (skipped without the mode)
    "incl.pe.import.trivial", "incl.pe.callback", "incl.pe.nt.qpc.trap",
    "incl.pe.nt.qpc.rewritten", "incl.pe.nt.qpc.import", "incl.pe.nt.systime.trap",
    "incl.pe.nt.systime.import", "incl.pe.cs.enter_leave",
]


def fail(msg):
    sys.stderr.write("check_ntbench: FAIL: %s\n" % msg)
    sys.exit(1)


def run(ntbench, *args):
    p = subprocess.run([ntbench, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    if p.returncode != 0:
        fail("ntbench %s exited with %d; stderr:\n%s" % (" ".join(args), p.returncode,
                                                        p.stderr.decode(errors="replace")))
    return p.stdout


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def main():
    ntbench, chart = sys.argv[1], sys.argv[2]
    out = run(ntbench, "--quick", "--json", "--no-progress")
    tool = subprocess.run([sys.executable, "-m", "json.tool"], input=out,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if tool.returncode != 0:
        fail("python3 -m json.tool rejects the output: %s" % tool.stderr.decode())
    data = json.loads(out)
    for key in ("tool", "version", "kernel", "cpus", "quick", "sud", "sud_inclusive", "cases"):
        if key not in data:
            fail("top-level field %r missing" % key)
    names = [c.get("name") for c in data["cases"]]
    for name in EXPECTED:
        if names.count(name) != 1:
            fail("case %s appears %d times (want 1); got %s" % (name, names.count(name), names))
    ran = {c["name"] for c in data["cases"] if c.get("available")}
    for c in data["cases"]:
        if c.get("available"):
            for field in ("median_ns", "best_ns", "iterations"):
                if not is_num(c.get(field)) or c[field] <= 0:
                    fail("%s: %s = %r, want a positive number" % (c["name"], field, c.get(field)))
            if c["best_ns"] > c["median_ns"] * 1.000001:
                fail("%s: best %r > median %r" % (c["name"], c["best_ns"], c["median_ns"]))
            if c.get("baseline") in ran:
                for field in ("ratio", "baseline_median_ns"):
                    if not is_num(c.get(field)):
                        fail("%s: baseline %s ran but %s is %r" % (c["name"], c["baseline"],
                                                                  field, c.get(field)))
            if c["name"].startswith(("startup.", "stdio.")) and not (is_num(c.get("rss_kb")) and c["rss_kb"] > 0):
                fail("%s: rss_kb = %r" % (c["name"], c.get("rss_kb")))
        elif not c.get("skipped"):
            fail("%s: neither available nor skipped with a reason" % c["name"])
    for name in ("native.call.indirect", "native.cpu", "startup.native_hello"):
        if name not in ran:
            fail("%s needs nothing special but did not run" % name)
    if data["sud"]:
        for name in EXPECTED:
            # the Lua cases need a Lua source tree at configure time (NTBENCH_LUA_SOURCE)
            optional = ("native.syscall.inclusive", "stdio.lua_lines.native", "stdio.lua_lines")
            if name.startswith("incl.") and not data["sud_inclusive"]:
                continue
            if name not in optional and name not in ran:
                fail("%s did not run although SUD is available" % name)

    sub = json.loads(run(ntbench, "--quick", "--json", "--no-progress",
                         "--filter=native.call.indirect,pe.call.indirect"))
    got = sorted(c["name"] for c in sub["cases"])
    if got != ["native.call.indirect", "pe.call.indirect"]:
        fail("--filter=native.call.indirect,pe.call.indirect selected %s" % got)
    # each service's pair on its own, as docs/performance.md runs them
    for word, want in (("iocp", ["native.iocp.pipe", "native.iocp.pread", "pe.iocp.pipe",
                                 "pe.iocp.read"]),
                       ("timer", ["native.timer.nanosleep", "native.timer.timerfd",
                                  "pe.timer.wait"]),
                       ("tcp", ["native.tcp.rtt", "native.tcp.rtt.epoll", "native.tcp.rtt1t",
                                "pe.tcp.rtt", "pe.tcp.rtt.afd", "pe.tcp.rtt.poll", "pe.tcp.rtt.port",
                                "pe.tcp.rtt1t"])):
        sub = json.loads(run(ntbench, "--quick", "--json", "--no-progress", "--filter=" + word))
        got = sorted(c["name"] for c in sub["cases"])
        if got != want:
            fail("--filter=%s selected %s, want %s" % (word, got, want))
        for c in sub["cases"]:
            if not c.get("available"):
                fail("--filter=%s: %s did not run: %s" % (word, c["name"], c.get("skipped")))
            # the process's CPU time per operation, beside the wall time
            if not is_num(c.get("cpu_ns")) or c["cpu_ns"] < 0:
                fail("%s: cpu_ns = %r, want a number >= 0" % (c["name"], c.get("cpu_ns")))

    with tempfile.TemporaryDirectory() as d:
        src, svg = os.path.join(d, "r.json"), os.path.join(d, "r.svg")
        with open(src, "wb") as f:
            f.write(out)
        p = subprocess.run([sys.executable, chart, src, svg], stderr=subprocess.PIPE)
        if p.returncode != 0:
            fail("chart.py exited with %d: %s" % (p.returncode, p.stderr.decode()))
        root = ET.parse(svg).getroot()
        if not root.tag.endswith("svg"):
            fail("chart.py wrote <%s>, not <svg>" % root.tag)
        texts = "".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
        for name in ran:
            if name not in texts:
                fail("chart does not label %s" % name)
    print("check_ntbench: %d cases (%d ran), JSON and chart OK" % (len(names), len(ran)))


if __name__ == "__main__":
    main()
