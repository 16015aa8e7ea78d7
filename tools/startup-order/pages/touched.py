# SPDX-License-Identifier: MIT
# The pages a start of ntrun touches (docs/performance.md, issue 12, twenty-third pass, second
# round). gdb script:
#   gdb -q -batch -x touched.py --args build/ntrun build/ntbench-hello.exe
# At the first instruction every mapping of the binary is split into one-page VMAs
# (MADV_DONTDUMP on every other page): fault-around and whole-folio mapping stop at a VMA's
# end, so from then on a page is present only if it is touched. Smaps are written to
# $TOUCHED_OUT.pre (before rt_populate_startup: present = touched), .clr (after it, accessed
# bits cleared by /proc/PID/clear_refs, so a populated page counts only if Referenced says it
# was used afterwards) and .exit (at exit_group). TOUCHED_IMAGES=1: instead, the built-in
# images' mappings are split and the accessed bits cleared after each thk_make_image returns,
# and smaps written at thk_before_entry (.entry) and exit (.exit). Caveats: gdb's own calls
# of madvise touch libc's madvise page; a software breakpoint copies the page it sits on.
import gdb, os
out = os.environ.get("TOUCHED_OUT", "/tmp/touched")
images = os.environ.get("TOUCHED_IMAGES") == "1"
for c in ("set pagination off", "set confirm off", "handle SIGSYS nostop noprint pass",
          "handle SIGSEGV nostop noprint pass"):
    gdb.execute(c)
gdb.execute("starti")
pid = gdb.selected_inferior().pid

def dump(tag):
    with open("/proc/%d/smaps" % pid) as f, open("%s.%s" % (out, tag), "w") as g:
        g.write(f.read())

def split(want):
    for l in open("/proc/%d/maps" % pid).read().splitlines():
        p = l.split()
        lo, hi = [int(x, 16) for x in p[0].split("-")]
        if want(lo, hi, p[5] if len(p) > 5 else ""):
            for a in range(lo, hi, 8192):
                gdb.execute("call (long)madvise((void*)%d, 4096, 16)" % a, to_string=True)

def clear_refs():
    with open("/proc/%d/clear_refs" % pid, "w") as f:
        f.write("1")

if not images:
    split(lambda lo, hi, name: not name.startswith("["))
    gdb.execute("break lib_cli_program_ahead")
    gdb.execute("continue")
    gdb.execute("delete")
    dump("pre")
    gdb.execute("finish")
    clear_refs()
    dump("clr")
else:
    done = set()
    gdb.execute("break thk_make_image")
    gdb.execute("break thk_before_entry")
    while True:
        gdb.execute("continue")
        if gdb.selected_frame().name() == "thk_before_entry":
            break
        gdb.execute("finish")
        new = lambda lo, hi, name: lo >> 44 == 2 and hi - lo > 4096 and lo not in done
        split(new)
        done.update(int(l.split("-")[0], 16) for l in open("/proc/%d/maps" % pid))
        clear_refs()
    gdb.execute("delete")
    dump("entry")
gdb.execute("catch syscall exit_group")
gdb.execute("continue")
dump("exit")
gdb.execute("kill")
