#!/usr/bin/env python3
"""Draws ntbench's results as an SVG bar chart (Python 3 standard library only).

    ntbench --json > results.json
    python3 tools/ntbench/chart.py results.json docs/ntbench.svg   # or: ... - out.svg (stdin)
    python3 tools/ntbench/chart.py --table results.json            # Markdown table

One row per available case: a bar for the median ns per operation on a log scale (the cases
span 0.3 ns to milliseconds), a tick for the best repetition, a thin second bar for the Wine
median when the run had --compare-wine, and on the right the figure and its ratio to the
case's baseline. Bars are coloured by group: native.*, pe.* (foreign code under ntrun),
startup.*. Skipped cases are listed at the bottom with the reason.

A case with a goal (GOALS: the targets of issues 4 and 12, each relative to another case of the
same run) gets a red dashed goal line across its row at the goal's ns, and its label says
whether the median meets it; the goals drawn are listed under the chart."""

import json
import math
import sys
from xml.sax.saxutils import escape

COLOURS = {"native": "#4c78a8", "pe": "#f58518", "startup": "#54a24b"}
WINE = "#b279a2"
ROW, LEFT, BAR_W, RIGHT, TOP = 22, 250, 520, 400, 70
GOAL = "#d62728"

# case -> (reference case, factor, extra ns, what the goal says): goal ns = factor x the
# reference's median + extra. From issue 4 (targets) and issue 12 (fast paths).
GOALS = {
    "pe.import.trivial": ("pe.call.indirect", 1.8, 0, "a trivial import <= 1.8x a local call"),
    "pe.import.pid": ("pe.call.indirect", 1.8, 0, "a trivial import <= 1.8x a local call"),
    "pe.nt.systime.import.cpu1t": ("native.clock_gettime", 1.2, 0,
                                   "imported NtQuerySystemTime <= 1.2x clock_gettime"),
    "pe.nt.systime.import.cpu8t": ("pe.nt.systime.import.cpu1t", 1.0, 0,
                                   "flat from 1 to 8 threads (<= 1.0x one thread, +noise)"),
    "pe.nt.systime.rewritten": ("pe.nt.systime.import", 1.0, 10,
                                "a rewritten stub <= 10 ns over the import"),
    "pe.nt.systime.inline": ("pe.nt.systime.import", 1.0, 10,
                             "a rewritten inline site <= 10 ns over the import"),
    "pe.nt.systime.stub1011": ("pe.nt.systime.import", 1.0, 10,
                               "Windows 10/11's stub (int 2e route) rewritten <= 10 ns over the import"),
    "pe.nt.qpc.rewritten": ("pe.nt.qpc.import", 1.0, 10, "a rewritten stub <= 10 ns over the import"),
    "pe.nt.qpc.trap": ("native.sigsys.bare", 1.25, 0, "a trap <= 1.25x a bare SIGSYS"),
    "pe.nt.systime.trap": ("native.sigsys.bare", 1.25, 0, "a trap <= 1.25x a bare SIGSYS"),
    "native.syscall.allow": ("native.syscall.sud_off", 1.05, 0,
                             "SUD armed + ALLOW <= 1.05x SUD off"),
    "pe.cpu": ("native.cpu", 1 / 0.99, 0, "CPU-bound PE >= 0.99x native speed"),
    "startup.ntrun_hello": ("startup.native_hello", 1.3, 0, "start-up <= 1.3x native hello"),
    "stdio.lua_lines": ("stdio.lua_lines.native", 1.3, 0, "Lua's stream I/O <= 1.3x native"),
}


def goal_of(c, by_name):
    """(goal ns, met, text) for a case with a goal whose reference ran, else None."""
    g = GOALS.get(c["name"])
    ref = by_name.get(g[0]) if g else None
    if not ref or not ref.get("available") or not ref.get("median_ns"):
        return None
    goal = g[1] * ref["median_ns"] + g[2]
    return goal, c["median_ns"] <= goal, g[3]


def fmt_ns(v):
    if v >= 1e6:
        return "%.2f ms" % (v / 1e6)
    if v >= 1e3:
        return "%.2f us" % (v / 1e3)
    return "%.2f ns" % v


def fill_baselines(data):
    """baseline_median_ns from the baseline case itself (JSON from before ntbench wrote it)."""
    by_name = {c["name"]: c for c in data["cases"]}
    for c in data["cases"]:
        b = by_name.get(c.get("baseline") or "")
        if c.get("baseline_median_ns") is None and b and b.get("available"):
            c["baseline_median_ns"] = b["median_ns"]
    return data


def markdown_table(data):
    """The results as a Markdown table (docs/performance.md)."""
    wine = any(c.get("wine_median_ns") for c in data["cases"])
    head = ("| case | what | median | best | baseline (its median) | ratio |" +
            (" Wine |" if wine else ""))
    rows = [head, "|" + "---|" * (head.count("|") - 1)]
    for c in data["cases"]:
        if not c.get("available"):
            rows.append("| %s | %s | skipped: %s | | | |%s" % (c["name"], c.get("what", ""),
                        c.get("skipped") or "failed", " |" if wine else ""))
            continue
        extra = []
        if c.get("cpu_ns"):
            extra.append("CPU " + fmt_ns(c["cpu_ns"]))
        if c.get("rss_kb"):
            extra.append("RSS %d KiB" % c["rss_kb"])
        ratio = "%.2fx" % c["ratio"] if c.get("ratio") is not None else ""
        row = "| %s | %s | %s%s | %s | %s | %s |" % (
            c["name"], c.get("what", ""), fmt_ns(c["median_ns"]),
            (" (" + ", ".join(extra) + ")") if extra else "", fmt_ns(c["best_ns"]),
            (c["baseline"] + (" (%s)" % fmt_ns(c["baseline_median_ns"])
                              if c.get("baseline_median_ns") else "")) if c.get("baseline") else "",
            ratio)
        if wine:
            row += " %s |" % (fmt_ns(c["wine_median_ns"]) if c.get("wine_median_ns") else "")
        rows.append(row)
    return "\n".join(rows) + "\n"


def main(argv):
    if len(argv) == 3 and argv[1] == "--table":
        src = sys.stdin if argv[2] == "-" else open(argv[2], encoding="utf-8")
        sys.stdout.write(markdown_table(fill_baselines(json.load(src))))
        return 0
    if len(argv) != 3:
        sys.stderr.write("usage: chart.py RESULTS.json|- OUT.svg\n"
                         "       chart.py --table RESULTS.json|-   (Markdown table on stdout)\n")
        return 2
    src = sys.stdin if argv[1] == "-" else open(argv[1], encoding="utf-8")
    data = fill_baselines(json.load(src))
    cases = [c for c in data["cases"] if c.get("available") and c.get("median_ns")]
    skipped = [c for c in data["cases"] if not c.get("available")]
    if not cases:
        sys.stderr.write("chart.py: no available case in the input\n")
        return 1
    values = [c["median_ns"] for c in cases] + [c["best_ns"] for c in cases if c.get("best_ns")]
    values += [c["wine_median_ns"] for c in cases if c.get("wine_median_ns")]
    lo = 10 ** math.floor(math.log10(min(values)))
    hi = 10 ** math.ceil(math.log10(max(values)))
    span = math.log10(hi) - math.log10(lo)

    def x_of(v):
        return LEFT + BAR_W * (math.log10(max(v, lo)) - math.log10(lo)) / span

    ngoals = sum(1 for c in cases if c["name"] in GOALS)
    height = TOP + ROW * (len(cases) + len(skipped) + ngoals) + 60
    width = LEFT + BAR_W + RIGHT
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="12">' % (width, height),
           '<rect width="100%" height="100%" fill="white"/>']
    title = "ntbench %s: median ns per operation (log scale), kernel %s, %s CPUs%s" % (
        data.get("version", "?"), data.get("kernel", "?"), data.get("cpus", "?"),
        ", --quick" if data.get("quick") else "")
    out.append('<text x="10" y="20" font-size="14" font-weight="bold">%s</text>' % escape(title))
    legend = [("native (ELF)", COLOURS["native"]), ("foreign PE under ntrun", COLOURS["pe"]),
              ("start-up", COLOURS["startup"]), ("Wine, same PE", WINE)]
    lx = 10
    for label, colour in legend:
        out.append('<rect x="%d" y="32" width="12" height="12" fill="%s"/>' % (lx, colour))
        out.append('<text x="%d" y="43">%s</text>' % (lx + 16, escape(label)))
        lx += 30 + 7 * len(label)
    out.append('<text x="%d" y="43" fill="#333">| = best repetition</text>' % lx)
    lx += 130
    out.append('<line x1="%d" y1="32" x2="%d" y2="46" stroke="%s" stroke-width="2" '
               'stroke-dasharray="3,2"/>' % (lx, lx, GOAL))
    out.append('<text x="%d" y="43" fill="#333">goal (label: met / NOT met)</text>' % (lx + 6))
    by_name = {c["name"]: c for c in data["cases"]}
    # decade grid
    d = lo
    while d <= hi * 1.0001:
        x = x_of(d)
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>'
                   % (x, TOP - 8, x, TOP + ROW * len(cases)))
        out.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%s</text>'
                   % (x, TOP - 12, escape(fmt_ns(d))))
        d *= 10
    for i, c in enumerate(cases):
        y = TOP + i * ROW
        group = c["name"].split(".")[0]
        colour = COLOURS.get(group, "#888")
        out.append('<text x="%d" y="%d" text-anchor="end">%s</text>'
                   % (LEFT - 6, y + 14, escape(c["name"])))
        wine = c.get("wine_median_ns")
        bar_h = 10 if wine else 16
        out.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"><title>%s</title></rect>'
                   % (LEFT, y + 2, x_of(c["median_ns"]) - LEFT, bar_h, colour,
                      escape("%s: %s" % (c["name"], c.get("what", "")))))
        if c.get("best_ns"):
            bx = x_of(c["best_ns"])
            out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="black" stroke-width="2"/>'
                       % (bx, y + 1, bx, y + 3 + bar_h))
        if wine:
            out.append('<rect x="%d" y="%d" width="%.1f" height="6" fill="%s"/>'
                       % (LEFT, y + 13, x_of(wine) - LEFT, WINE))
        label = fmt_ns(c["median_ns"])
        if c.get("ratio") is not None and c.get("baseline"):
            label += "  %.2fx %s" % (c["ratio"], c["baseline"])
            if c.get("baseline_median_ns"):
                label += " (%s)" % fmt_ns(c["baseline_median_ns"])
        if wine:
            label += "  (Wine %s)" % fmt_ns(wine)
        if c.get("rss_kb"):
            label += "  RSS %d KiB" % c["rss_kb"]
        goal = goal_of(c, by_name)
        if goal:
            gx = x_of(goal[0])
            out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s" stroke-width="2" '
                       'stroke-dasharray="3,2"><title>%s</title></line>'
                       % (gx, y, gx, y + ROW - 2, GOAL, escape("goal: %s (%s)" % (
                           goal[2], fmt_ns(goal[0])))))
            label += "  goal %s: %s" % (fmt_ns(goal[0]), "met" if goal[1] else "NOT met")
        out.append('<text x="%d" y="%d" font-size="11">%s</text>'
                   % (LEFT + BAR_W + 8, y + 14, escape(label)))
    y = TOP + ROW * len(cases) + 20
    drawn = [(c["name"], goal_of(c, by_name)) for c in cases]
    for name, goal in drawn:
        if goal:
            out.append('<text x="%d" y="%d" fill="%s">%s: %s, %s</text>'
                       % (LEFT - 240, y, GOAL, escape(name), escape(goal[2]),
                          "met" if goal[1] else "NOT met"))
            y += ROW
    for c in skipped:
        out.append('<text x="%d" y="%d" fill="#777">%s: skipped (%s)</text>'
                   % (LEFT - 240, y, escape(c["name"]), escape(c.get("skipped") or "failed")))
        y += ROW
    out.append("</svg>")
    with open(argv[2], "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
