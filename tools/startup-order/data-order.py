#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The read-only data start-up reads, as far as the code tells: for each function of a start-up
order (ntrun.order), in that order, the read-only objects its instructions address (RIP-relative
operands and constants that land inside an object of .rodata), first use first. A reference is
not a read (a function may only read part of a table, or none of it on start-up's path), so an
object larger than --max-size is left where it is: one such table would pull the rest apart.
With --writable, the same for the objects of .data and .bss (ntrun-wdata.order): start-up's
variables, locks and once-flags together in a few pages instead of one first-write fault (two
when read first: the zero page, then a copy) in each of the ~40 pages they were spread over;
then the objects of .data that hold a dynamic relocation, of any size: the dynamic linker
writes them at every start, referenced or not (exported data such as msvcrt's _pctype, a COM
vtable's descriptor), so in the start-up block they cost no page of their own.
With --also FILE, the objects FILE names come last: those only foreign code writes at start
(the program's CRT start sets msvcrt's exported _fmode), which no function of ours addresses.
With --not FILE, the objects FILE names are left out (addressed, but no start writes them).
  usage: data-order.py BINARY ntrun.order [--writable [--also FILE] [--not FILE]] [--max-size BYTES]
         > ntrun-data.order"""
import argparse
import bisect
import re
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument('binary')
ap.add_argument('order')
ap.add_argument('--writable', action='store_true')
ap.add_argument('--max-size', type=int)
ap.add_argument('--not', dest='not_', help='writable objects start-up code addresses but no start writes (one a line, # comments): left out')
ap.add_argument('--also', help='a list of more writable objects (one a line, # comments)')
ap.add_argument('--exclude-archive', action='append', default=[],
                help="an archive whose objects are not listed (a static-pie ntrun's libc.a: its "
                     "members are placed whole, ntrun-libc.order; a name of theirs cannot be)")
a = ap.parse_args()
if a.max_size is None:
    a.max_size = 4096 if a.writable else 16384

sections = {}
for line in subprocess.run(['readelf', '-SW', a.binary], capture_output=True, text=True,
                           check=True).stdout.splitlines():
    m = re.match(r'\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)', line)
    if m:
        sections[m.group(1)] = (int(m.group(2), 16), int(m.group(3), 16))
if a.writable:  # .data.ntrun_startup and .bss.ntrun_startup too
    ro = [v for k, v in sections.items() if k.split('.')[1:2] in (['data'], ['bss'])
          and not k.startswith('.data.rel.ro')]
    kinds = 'dDbB'
else:  # .rodata.ntrun_startup too
    ro = [v for k, v in sections.items() if k.startswith('.rodata')]
    kinds = 'rR'
objs = []  # (start, end, name) of sized objects in those sections
for line in subprocess.run(['nm', '-S', '--defined-only', a.binary], capture_output=True,
                           text=True, check=True).stdout.splitlines():
    f = line.split()
    if len(f) == 4 and f[2] in kinds:
        start, size = int(f[0], 16), int(f[1], 16)
        if any(lo <= start < lo + n for lo, n in ro) and 0 < size <= a.max_size:
            objs.append((start, start + size, f[3]))
objs.sort()
starts = [o[0] for o in objs]

funcs = [l.strip() for l in open(a.order) if l.strip() and not l.startswith('#')]
want = set(funcs)
refs = {}  # function -> [object names in instruction order]
dis = subprocess.Popen(['objdump', '-d', '--no-show-raw-insn', a.binary],
                       stdout=subprocess.PIPE, text=True)
cur = None
for line in dis.stdout:
    m = re.match(r'^[0-9a-f]+ <(.+)>:$', line)
    if m:
        cur = m.group(1) if m.group(1) in want else None
        continue
    if cur is None:
        continue
    for h in re.findall(r'#\s*([0-9a-f]+) <|\$0x([0-9a-f]+)', line):
        addr = int(h[0] or h[1], 16)
        i = bisect.bisect_right(starts, addr) - 1
        if i >= 0 and objs[i][0] <= addr < objs[i][1]:
            refs.setdefault(cur, []).append(objs[i][2])
dis.wait()
relocated = []  # --writable: objects of .data written by the dynamic linker, in address order
if a.writable:
    data = [v for k, v in sections.items() if k == '.data' or k == '.data.ntrun_startup']
    dobjs = []
    for line in subprocess.run(['nm', '-S', '--defined-only', a.binary], capture_output=True,
                               text=True, check=True).stdout.splitlines():
        f = line.split()
        if len(f) == 4 and f[2] in 'dD':
            start, size = int(f[0], 16), int(f[1], 16)
            if any(lo <= start < lo + n for lo, n in data) and size > 0:
                dobjs.append((start, start + size, f[3]))
    dobjs.sort()
    dstarts = [o[0] for o in dobjs]
    rel = subprocess.run(['readelf', '-rW', a.binary], capture_output=True, text=True,
                         check=True).stdout
    hit = set()
    for m in re.finditer(r'^([0-9a-f]{16})\b', rel, re.M):  # RELA offsets and RELR's list
        addr = int(m.group(1), 16)
        i = bisect.bisect_right(dstarts, addr) - 1
        if i >= 0 and dobjs[i][0] <= addr < dobjs[i][1]:
            hit.add(i)
    relocated = [dobjs[i][2] for i in sorted(hit)]
seen = set()  # names already printed, or defined by an excluded archive
for ar in a.exclude_archive:
    for line in subprocess.run(['nm', '--defined-only', ar], capture_output=True,
                               text=True).stdout.splitlines():
        f = line.split()
        if len(f) == 3:
            seen.add(f[2])
if a.not_:
    seen.update(n for n in (l.split('#')[0].strip() for l in open(a.not_)) if n)
print('# Generated by tools/startup-order/gen-order.sh (data-order.py%s): the %s objects of at'
      % (' --writable' if a.writable else '', 'writable' if a.writable else 'read-only'))
print('# most %d bytes that the functions of ntrun.order address, in that order. Do not edit.'
      % a.max_size)
for fn in funcs:
    for o in refs.get(fn, []):
        if o not in seen:
            seen.add(o)
            print(o)
if relocated:
    print('# the objects of .data holding a dynamic relocation, of any size')
    for o in relocated:
        if o not in seen:
            seen.add(o)
            print(o)
if a.also:
    names = [l.split('#')[0].strip() for l in open(a.also)]
    names = [n for n in names if n and n not in seen]
    if names:
        print('# from %s' % a.also.split('/')[-1])
        for n in names:
            seen.add(n)
            print(n)
