#!/usr/bin/env python3
"""How a file's page cache is held: pages in small (4 KB) folios and in large ones.

Usage (root: /proc/kpageflags): tools/pagecache-folios.py FILE...

Maps each file, reads one byte of every page (which brings the whole file into the page cache
if it was not), and looks up each page's frame in /proc/self/pagemap and its flags in
/proc/kpageflags (KPF_COMPOUND_HEAD 15, KPF_COMPOUND_TAIL 16). Issue 12, twenty-third pass,
second round (docs/performance.md): the same ntrun command costs ~10% more CPU a start with its
page cache in small folios (as the linker leaves it) than in large ones (as a copy_file_range
copy leaves it): compare binaries for start-up only with their page cache held alike.
"""
import mmap
import os
import struct
import sys


def folios(path):
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        m = mmap.mmap(f.fileno(), size, prot=mmap.PROT_READ)
        npages = (size + 4095) // 4096
        for i in range(npages):
            m[i * 4096]
        real = os.path.realpath(path)
        base = None
        with open("/proc/self/maps") as maps:
            for line in maps:
                p = line.split()
                lo, hi = (int(x, 16) for x in p[0].split("-"))
                if len(p) > 5 and p[5] == real and p[2] == "00000000" and hi - lo >= npages * 4096:
                    base = lo
        if base is None:
            raise SystemExit(f"{path}: mapping not found")
        small = head = tail = absent = 0
        with open("/proc/self/pagemap", "rb") as pm, open("/proc/kpageflags", "rb") as kf:
            for i in range(npages):
                pm.seek((base // 4096 + i) * 8)
                e = struct.unpack("Q", pm.read(8))[0]
                if not e >> 63:
                    absent += 1
                    continue
                kf.seek((e & ((1 << 55) - 1)) * 8)
                fl = struct.unpack("Q", kf.read(8))[0]
                if fl >> 15 & 1:
                    head += 1
                elif fl >> 16 & 1:
                    tail += 1
                else:
                    small += 1
        m.close()
    return npages, small, head, tail, absent


for path in sys.argv[1:]:
    n, small, head, tail, absent = folios(path)
    print(f"{path}: {n} pages, {small} in small folios, {head + tail} in {head} large folios"
          + (f", {absent} not present" if absent else ""))
