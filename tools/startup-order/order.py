# SPDX-License-Identifier: MIT
# gdb script of gen-order.sh: runs one ntrun command with a one-shot breakpoint on every function
# of the binary and writes the functions' names in the order they were first entered.
#   ORDER_BIN=build/ntrun ORDER_OUT=FILE gdb -q -batch -x order.py --args build/ntrun ARGS...
# Breakpoints stay inserted (one ptrace write each, removed when hit), so a start costs one stop
# per function it enters. The runtime's own signals (SIGSYS of the trap, the fault handlers) go
# to the program untouched.
import os
import subprocess

import gdb

binary = os.environ['ORDER_BIN']
out = os.environ['ORDER_OUT']
names = {}
nm = subprocess.run(['nm', '--defined-only', binary], capture_output=True, text=True, check=True)
for line in nm.stdout.splitlines():
    f = line.split()
    if len(f) == 3 and f[1] in 'tTwW':
        names.setdefault(int(f[0], 16), f[2])

for cmd in ('set pagination off', 'set confirm off', 'set startup-with-shell off',
            'handle SIGSYS SIGSEGV SIGILL SIGBUS SIGFPE SIGUSR1 SIGUSR2 SIGPIPE nostop noprint pass'):
    gdb.execute(cmd)
gdb.execute('starti')
base = None
real = os.path.realpath(binary)
for line in gdb.execute('info proc mappings', to_string=True).splitlines():
    f = line.split()
    if len(f) >= 5 and f[-1] == real:
        base = int(f[0], 16)
        break
if base is None:
    raise gdb.GdbError('order.py: %s is not mapped' % real)
gdb.execute('set breakpoint always-inserted on')
by_number = {}
for addr, name in names.items():
    bp = gdb.Breakpoint('*%#x' % (base + addr), internal=True, temporary=True)
    by_number[bp.number] = name
order = []


def on_stop(ev):
    if isinstance(ev, gdb.BreakpointEvent):
        for bp in ev.breakpoints:
            if bp.number in by_number:
                order.append(by_number.pop(bp.number))


gdb.events.stop.connect(on_stop)
while gdb.selected_inferior().pid:
    try:
        gdb.execute('continue', to_string=True)
    except gdb.error:
        break
with open(out, 'w') as f:
    f.write(''.join(n + '\n' for n in order))
