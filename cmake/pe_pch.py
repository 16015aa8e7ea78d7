#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Precompiled headers for the mingw-w64 test programs (tests/CMakeLists.txt).

Most of a test program's compile time is the front end reading <windows.h> (about 97,000
lines); code generation is a few percent. Many programs begin with the same lines, e.g.

    #include <stdio.h>
    #include <string.h>
    #include <windows.h>

Such a run of system #includes at the top of a file (only comments and blank lines around
them) is its "lead". The build precompiles the commonest leads once (gcc -x c-header) and
compiles each program whose lead starts with one of them with `-include LEAD.h`: the
compiler reads the precompiled lines first, and the program's own #includes of the same
headers, in the same order, are then no-ops (include guards). The program is compiled from
exactly the same text as before: nothing it does not include is added, nothing is moved
before a #define it makes.

  pe_pch.py leads SRC...                  one line per SRC: "SRC<TAB>h1.h,h2.h,windows.h"
                                          (the lead up to <windows.h>; empty without one)
  pe_pch.py gch -- COMPILER ARGS...       run COMPILER ARGS (that make a .gch)
  pe_pch.py cc --pch HDR --src SRC -- COMPILER ARGS...
                                          run COMPILER ARGS with `-include HDR` when HDR's
                                          #includes start SRC's lead now (the check is made
                                          at every compile, so an edited program whose lead
                                          changed is compiled without it), else without.
Both let ccache, when the compiler is ccache, cache precompiled headers and their users
(its sloppiness pch_defines,time_macros: these programs do not use __TIME__ or __DATE__).
"""
import os
import re
import sys

INCLUDE = re.compile(r'#\s*include\s*<([^>]+)>')


def lead(path):
    """The system headers a C file #includes before anything else, in order."""
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            text = f.read()
    except OSError:
        return []
    headers = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in ' \t\r\n\f\v':
            i += 1
        elif text.startswith('/*', i):
            end = text.find('*/', i + 2)
            if end < 0:
                break
            i = end + 2
        elif text.startswith('//', i):
            end = text.find('\n', i)
            if end < 0:
                break
            # a comment continued onto the next line by a backslash: stop (unusual)
            if text[i:end].rstrip('\r').endswith('\\'):
                break
            i = end
        elif c == '#':
            m = INCLUDE.match(text, i)
            if not m:
                break
            i = m.end()
            # the rest of the line may only hold spaces and comments
            j = i
            while j < n and text[j] in ' \t\r':
                j += 1
            if j < n and text[j] != '\n' and not text.startswith('/*', j) \
                    and not text.startswith('//', j):
                break
            headers.append(m.group(1))
        else:
            break
    return headers


def windows_lead(path):
    """The lead up to and with <windows.h>, or [] when the lead does not include it."""
    headers = lead(path)
    if 'windows.h' not in headers:
        return []
    return headers[:headers.index('windows.h') + 1]


def header_includes(hdr):
    with open(hdr, encoding='utf-8') as f:
        return INCLUDE.findall(f.read())


def run(cmd):
    sloppy = [x for x in os.environ.get('CCACHE_SLOPPINESS', '').split(',') if x]
    for x in ('pch_defines', 'time_macros'):
        if x not in sloppy:
            sloppy.append(x)
    os.environ['CCACHE_SLOPPINESS'] = ','.join(sloppy)
    os.execvp(cmd[0], cmd)


def main(argv):
    if len(argv) >= 2 and argv[1] == 'leads':
        for src in argv[2:]:
            print(src + '\t' + ','.join(windows_lead(src)))
        return 0
    if len(argv) >= 7 and argv[1] == 'cc' and argv[2] == '--pch' and argv[4] == '--src' \
            and argv[6] == '--':
        hdr, src, cmd = argv[3], argv[5], argv[7:]
        want = header_includes(hdr)
        if want and lead(src)[:len(want)] == want:
            cmd = cmd[:1] + ['-include', hdr, '-Winvalid-pch'] + cmd[1:]
        run(cmd)
    if len(argv) >= 4 and argv[1] == 'gch' and argv[2] == '--':
        run(argv[3:])
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
