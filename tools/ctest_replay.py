#!/usr/bin/env python3
"""ctest_replay: replays `ctest -jN`'s scheduling of a build tree's tests with measured times,
to see what the order costs. Tests with a COST property start first (highest first), the rest
in declaration order, as in a clean clone that has no CTestCostData.txt yet; a test whose
RESOURCE_LOCK is held waits and the next one starts instead. Prints the replayed wall time, the
bound of the times' sum divided by N, and the same replay with every test of THRESHOLD seconds
or more given a COST of its measured seconds.
  usage: tools/ctest_replay.py BUILD_DIR COSTDATA [N [THRESHOLD]]
COSTDATA: a CTestCostData.txt (NAME RUNS SECONDS lines) from a full run."""
import json
import subprocess
import sys


def tests_of(build):
    out = subprocess.run(["ctest", "--show-only=json-v1"], cwd=build, capture_output=True,
                         check=True, text=True).stdout
    order = []
    for t in json.loads(out)["tests"]:
        props = {p["name"]: p["value"] for p in t.get("properties", [])}
        lock = props.get("RESOURCE_LOCK")
        order.append((t["name"], float(props.get("COST", 0)), lock[0] if lock else None))
    return order


def replay(order, dur, slots, costs):
    tests = [(n, costs.get(n, c), lock, i) for i, (n, c, lock) in enumerate(order) if n in dur]
    tests.sort(key=lambda t: (-t[1], t[3]))
    pending, running, locks, now, last = tests, [], set(), 0.0, None
    while pending or running:
        while len(running) < slots:
            k = next((k for k, t in enumerate(pending) if not (t[2] and t[2] in locks)), None)
            if k is None:
                break
            name, _, lock, _ = pending.pop(k)
            if lock:
                locks.add(lock)
            running.append((now + dur[name], name, lock))
        running.sort()
        now, last, lock = running.pop(0)
        locks.discard(lock)
    return now, last


def main():
    build, costdata = sys.argv[1], sys.argv[2]
    slots = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    threshold = float(sys.argv[4]) if len(sys.argv) > 4 else 15.0
    dur = {}
    for line in open(costdata):
        f = line.split()
        if len(f) == 3:
            dur[f[0]] = float(f[2])
    order = tests_of(build)
    total = sum(dur[n] for n, _, _ in order if n in dur)
    print(f"{sum(1 for n, _, _ in order if n in dur)} tests timed, {total:.0f} s in all; "
          f"bound {total / slots:.0f} s at -j{slots}")
    wall, last = replay(order, dur, slots, {})
    print(f"replay with the tree's COSTs: {wall:.0f} s (last to end: {last})")
    costs = {n: d for n, d in dur.items() if d >= threshold}
    wall, last = replay(order, dur, slots, costs)
    print(f"replay with a COST for every test of {threshold:g} s or more: {wall:.0f} s "
          f"(last to end: {last})")


if __name__ == "__main__":
    main()
