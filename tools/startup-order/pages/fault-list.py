#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# The page faults of one run, one a line: address, mapping+offset, the user-side call chain.
#   perf record -e page-faults -c 1 -d -g -o pf.data setarch -R ./NTRUN hello.exe
#   tools/startup-order/pages/fault-list.py pf.data NTRUN   (NTRUN: the comm, the binary's name)
import sys,subprocess,re
data,comm=sys.argv[1],sys.argv[2]
out=subprocess.run(['perf','script','-i',data,'-F','comm,addr,ip,sym,dso','--show-mmap-events'],capture_output=True,text=True).stdout
maps=[]
recs=[];cur=None
for line in out.split('\n'):
    if 'PERF_RECORD_MMAP' in line and line.split()[0]==comm:
        m=re.search(r'\[(0x[0-9a-f]+)\((0x[0-9a-f]+)\) @ (\S+) .*?\]: (\S+) (\S*)',line)
        if m: maps.append((int(m.group(1),16),int(m.group(2),16),int(m.group(3),16) if m.group(3).startswith('0x') else 0,m.group(5)))
        continue
    if not line.strip(): 
        if cur: recs.append(cur); cur=None
        continue
    if not line.startswith('\t') and not line.startswith(' '*8):
        f=line.split()
        if f[0]!=comm: cur=None; continue
        cur={'addr':int(f[1],16),'frames':[]}
        continue
    if cur is not None:
        f=line.split(None,2)
        cur['frames'].append((f[1] if len(f)>1 else '?',f[2] if len(f)>2 else ''))
if cur: recs.append(cur)
for i,r in enumerate(recs):
    a=r['addr']
    reg='?'
    for s,l,o,n in maps:
        if s<=a<s+l: reg='%s+%#x'%(n.split('/')[-1],a-s+o)
    fr=[f[0] for f in r['frames'] if 'kernel.kallsyms' not in f[1]]
    kf=[f[0] for f in r['frames'] if 'kernel.kallsyms' in f[1]]
    print('%2d %#014x %-28s %s | k:%s'%(i+1,a,reg,' < '.join(fr[:4]), ','.join(kf[:2]) if not fr else ''))
