#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# The table of docs/performance.md (issue 12, twenty-third pass, second round): per mapping
# of a start of ntrun, the pages present at exit (pages-at-exit's OUT.pres, a run without
# ASLR), those of them a start touches (touched.py's PREFIX.{pre,clr,exit}, gdb: no ASLR
# either, so the addresses agree), and the present pages never touched; then a bitmap per
# section named (T touched and present, f present and never touched, t touched, not present).
#   usage: table.py PREFIX NTRUN PRESENT_FILE [SECTION...]
# TABLE_TOUCHED=FILE: also write the binary's touched pages (link addresses, hex) to FILE
# (tools/startup-order/rodata-order.py reads them).
# Anonymous mappings made after the start are not split by touched.py: their present pages
# count as touched.
import collections, os, re, subprocess, sys

def parse(fn):
    vmas, cur = [], None
    for l in open(fn):
        m = re.match(r'^([0-9a-f]+)-([0-9a-f]+) (\S+) (\S+) \S+ \S+\s*(.*)$', l)
        if m:
            cur = dict(lo=int(m[1], 16), hi=int(m[2], 16), perm=m[3], off=int(m[4], 16),
                       name=m[5].strip())
            vmas.append(cur)
            continue
        k, _, v = l.partition(':')
        if cur is not None and v.strip().endswith('kB'):
            cur[k] = int(v.split()[0])
    return vmas

prefix, binf, pres_file = sys.argv[1:4]
pre, clr, ex = (parse(prefix + t) for t in ('.pre', '.clr', '.exit'))
secs = []
for l in subprocess.run(['readelf', '-SW', binf], capture_output=True, text=True).stdout.splitlines():
    p = l.replace('[ ', '[').split()
    if len(p) > 5 and p[0].startswith('[') and p[0] != '[Nr]':
        try:
            if int(p[3], 16):
                secs.append((int(p[3], 16), int(p[5], 16), p[1]))
        except ValueError:
            pass
syms = {}
for l in subprocess.run(['nm', binf], capture_output=True, text=True).stdout.splitlines():
    p = l.split()
    if len(p) == 3 and p[2].startswith('ntrun_startup_'):
        syms[p[2]] = int(p[0], 16)
base = min(v['lo'] for v in ex if v['name'].endswith(binf.split('/')[-1]) and v['off'] == 0
           and v['lo'] > 0x500000000000)
end = base + ((max(x[0] + x[1] for x in secs) + 0xfff) & ~0xfff)  # .bss's end

def cls(v, a):
    n = v['name']
    if base <= a < end:
        o = a - base
        s = [x[2] for x in secs if x[0] <= o < x[0] + max(x[1], 1)]
        sec = s[-1] if s else 'header'
        if sec == '.text.ntrun_startup' and o < syms.get('ntrun_startup_text_end', 0):
            sec += ' (populated)'
        if sec == '.rodata.ntrun_startup' and \
                syms['ntrun_startup_rodata_start'] & ~0xfff <= o < syms['ntrun_startup_rodata_end']:
            sec += ' (populated)'
        return 'ntrun ' + sec
    if a >> 44 == 2:
        return 'built-in image %x' % (a & ~0xffff)
    if n:
        return n.split('/')[-1]
    return 'anon %s %x' % (v['perm'], v['lo']) if v['hi'] - v['lo'] > 4096 else 'anon %s' % v['perm']

def pages(vs):
    return {v['lo']: v.get('Rss', 0) for v in vs if v['hi'] - v['lo'] == 4096}

ppre, pclr = pages(pre), pages(clr)
touched = set()
for v in ex:
    if v['hi'] - v['lo'] == 4096:
        if ppre.get(v['lo']) or v.get('Referenced') or (v.get('Rss') and not pclr.get(v['lo'])):
            touched.add(v['lo'])
    elif v.get('Rss') and (v['lo'] >> 44 == 2 or not v['name'] or v['name'].startswith('[')):
        touched.update(range(v['lo'], v['hi'], 4096))
nat = set(int(x, 16) for x in open(pres_file).read().split())
if os.environ.get('TABLE_TOUCHED'):  # the binary's touched pages, as file offsets of the link (hex)
    with open(os.environ['TABLE_TOUCHED'], 'w') as f:
        f.writelines('%x\n' % (a - base) for a in sorted(touched) if base <= a < end)
agg = collections.OrderedDict()
unknown = set()  # file mappings made after the start other than the binary's: not split, not known
for v in sorted(ex, key=lambda v: v['lo']):
    for a in range(v['lo'], v['hi'], 4096):
        c = cls(v, a)
        if v['name'] and not v['name'].startswith('[') and not base <= a < end and \
                a >> 44 != 2 and v['hi'] - v['lo'] > 4096:
            unknown.add(c)
        r = agg.setdefault(c, [0, 0])
        if a in nat:
            r[0] += 1
            r[1] += a in touched
print('%-48s %7s %7s %9s' % ('mapping', 'present', 'touched', 'untouched'))
tot = [0, 0]
for k, r in agg.items():
    if r[0] and k in unknown:
        print('%-48s %7d %7s %9s' % (k, r[0], '?', '?'))
    elif r[0]:
        print('%-48s %7d %7d %9d' % (k, r[0], r[1], r[0] - r[1]))
    tot = [tot[0] + r[0], tot[1] + (r[0] if k in unknown else r[1])]
print('%-48s %7d %7d %9d  (? counted as touched)' % ('total', tot[0], tot[1], tot[0] - tot[1]))
for name in sys.argv[4:]:
    s = [x for x in secs if x[2] == name][0]
    lo, hi = base + (s[0] & ~0xfff), base + s[0] + s[1]
    line = ''.join(('T' if a in touched else 'f') if a in nat else ('t' if a in touched else '.')
                   for a in range(lo, hi, 4096))
    print(name, hex(s[0]))
    for i in range(0, len(line), 128):
        if line[i:i + 128].strip('.'):
            print('  %5x %s' % (s[0] // 4096 + i, line[i:i + 128]))
