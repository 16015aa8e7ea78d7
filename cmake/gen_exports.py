#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generates the built-in DLLs' export tables (thunks/dlldata.h describes them) from data:

  thunks/dlls.list          which DLLs are built in, where their export names come from, and
                            where implementations come from when a DLL has no THK_EXPORT of a name
  thunks/exports-extra.list exports the import libraries lack, and known ordinals
  thunks/ordinals.list      Windows' ordinals of the DLLs programs import by number (the
                            import libraries record none: their hints are name-order indexes)
  lib<name>.a               the mingw-w64 import libraries (Debian: /usr/x86_64-w64-mingw32/lib),
                            ar archives of COFF import objects made by dlltool (or short import
                            objects made by llvm-dlltool): one member per export, its name in
                            .idata$6 (or an ordinal in .idata$4), its DLL in the .idata$7 of the
                            archive's tail member; a member without a jmp thunk is a DATA export.

usage: gen_exports.py --libdir DIR --list thunks/dlls.list --extra thunks/exports-extra.list
                      [--extra thunks/ordinals.list ...] --out generated/thk_dlldata.c [--dump]
The output is read-only data: one string pool, DLLs sorted by name, each DLL's named exports
sorted by strcmp (binary search at run time, no start-up work)."""
import argparse, collections, fnmatch, os, struct, sys

# ---- reading import libraries ----

def ar_members(data, path):
    if data[:8] != b'!<arch>\n':
        sys.exit('%s: not an ar archive' % path)
    off, longnames = 8, b''
    while off + 60 <= len(data):
        hdr = data[off:off + 60]
        name = hdr[:16].decode('latin-1').rstrip()
        size = int(hdr[48:58])
        body = data[off + 60:off + 60 + size]
        off += 60 + size + (size & 1)
        if name in ('/', '/SYM64/'):
            continue
        if name == '//':
            longnames = body
            continue
        yield body


def coff_parse(body):
    """(sections {name: bytes}, [(symbol, section number, storage class)])"""
    mach, nsec, _ts, symoff, nsym, opt, _ch = struct.unpack_from('<HHIIIHH', body)
    secs, order = {}, []
    for i in range(nsec):
        o = 20 + opt + 40 * i
        nm = body[o:o + 8].rstrip(b'\0').decode('latin-1')
        rsz, rptr = struct.unpack_from('<II', body, o + 16)
        secs[nm] = body[rptr:rptr + rsz] if rptr else b''
        order.append(nm)
    strtab = body[symoff + 18 * nsym:]
    syms, i = [], 0
    while i < nsym:
        o = symoff + 18 * i
        if body[o:o + 4] == b'\0\0\0\0':
            so = struct.unpack_from('<I', body, o + 4)[0]
            nm = strtab[so:strtab.index(b'\0', so)].decode('latin-1')
        else:
            nm = body[o:o + 8].rstrip(b'\0').decode('latin-1')
        _val, sec, _typ, scl, naux = struct.unpack_from('<IhHBB', body, o + 8)
        syms.append((nm, order[sec - 1] if sec > 0 else None, scl))
        i += 1 + naux
    return secs, syms


def scan_lib(path):
    """{dll name (lower case): {export name or '#ordinal': (ordinal or None, is_data)}}"""
    data = open(path, 'rb').read()
    inames, heads, imports = {}, {}, []
    for body in ar_members(data, path):
        if len(body) < 20:
            continue
        s1, s2 = struct.unpack_from('<HH', body)
        if s1 == 0 and s2 == 0xffff:  # short import object (llvm-dlltool, MSVC lib.exe)
            _v, _m, _ts, size, ord_hint, typ = struct.unpack_from('<HHIIHH', body, 4)
            sym, dll = body[20:20 + size].split(b'\0')[:2]
            by_ord = (typ >> 2) & 7 == 0
            imports.append(('dll:' + dll.decode(), None if by_ord else sym.decode(),
                            ord_hint if by_ord else None, typ & 3 == 1))
            continue
        try:
            secs, syms = coff_parse(body)
        except (struct.error, IndexError, ValueError):
            continue
        external = [s for s in syms if s[2] == 2]
        undef = [s[0] for s in external if s[1] is None]
        for nm, sec, _ in external:
            if sec == '.idata$7' and nm.endswith('_iname'):
                inames[nm] = secs[sec].split(b'\0')[0].decode()
            if sec == '.idata$2' and nm.startswith('_head_'):
                heads[nm] = next((u for u in undef if u.endswith('_iname')), None)
        if not any(nm.startswith('__imp_') and sec == '.idata$5' for nm, sec, _ in external):
            continue  # not an import member (a helper object of the library)
        head = next((u for u in undef if u.startswith('_head_')), None)
        if head is None:
            continue
        is_data = len(secs.get('.text', b'')) == 0
        if '.idata$6' in secs:
            name = secs['.idata$6'][2:].split(b'\0')[0].decode()
            imports.append((head, name, None, is_data))
        else:
            v = struct.unpack('<Q', secs.get('.idata$4', b'\0' * 8)[:8])[0]
            if v >> 63:
                imports.append((head, None, v & 0xffff, is_data))
    out = collections.defaultdict(dict)
    for head, name, ordinal, is_data in imports:
        if head.startswith('dll:'):
            dll = head[4:]
        elif head in heads and heads[head] in inames:
            dll = inames[heads[head]]
        else:
            continue
        key = name if name is not None else '#%d' % ordinal
        out[dll.lower()][key] = (ordinal, is_data)
    return out

# ---- the data files ----

def read_list(path):
    """dlls.list: `scan LIB...`, `dll NAME [names=A,B] [impl=X,Y]`, `apiset PREFIX host=X,Y`."""
    scans, dlls, apisets = [], [], []
    for ln, line in enumerate(open(path), 1):
        words = line.split('#', 1)[0].split()
        if not words:
            continue
        kw, rest = words[0], words[1:]
        opts = dict(w.split('=', 1) for w in rest[1:] if '=' in w)
        bad = [w for w in rest[1:] if '=' not in w]
        if kw == 'scan':
            scans += rest
            continue
        if not rest or bad or kw not in ('dll', 'apiset'):
            sys.exit('%s:%d: cannot read "%s"' % (path, ln, line.strip()))
        if kw == 'dll':
            dlls.append((norm(rest[0]), [n for n in opts.get('names', '').split(',') if n],
                         [norm(n) for n in opts.get('impl', '').split(',') if n]))
        else:
            apisets.append((rest[0].lower(), [norm(n) for n in opts.get('host', '').split(',') if n]))
    return scans, dlls, apisets


def read_extra(path):
    """exports-extra.list: `DLL NAME [@ORDINAL] [DATA]` (NAME `-` with @ORDINAL: no name)."""
    extra = []
    for ln, line in enumerate(open(path), 1):
        words = line.split('#', 1)[0].split()
        if not words:
            continue
        if len(words) < 2:
            sys.exit('%s:%d: want "DLL NAME [@ORDINAL] [DATA]"' % (path, ln))
        ordinal, is_data = None, False
        for w in words[2:]:
            if w.startswith('@') and w[1:].isdigit():
                ordinal = int(w[1:])
            elif w == 'DATA':
                is_data = True
            else:
                sys.exit('%s:%d: unknown word "%s"' % (path, ln, w))
        extra.append((norm(words[0]), None if words[1] == '-' else words[1], ordinal, is_data))
    return extra


def norm(name):
    name = name.lower()
    return name if '.' in name else name + '.dll'

# ---- building the tables ----

def build(args):
    scans, dll_lines, apiset_lines = read_list(args.list)
    extra = [e for path in args.extra for e in read_extra(path)]
    pool = collections.defaultdict(dict)  # dll -> {name: (ordinal, is_data)}
    for lib in scans:
        path = os.path.join(args.libdir, 'lib%s.a' % lib)
        if not os.path.exists(path):
            sys.exit('gen_exports: %s is missing (Debian: mingw-w64-x86-64-dev)' % path)
        for dll, exports in scan_lib(path).items():
            for k, v in exports.items():
                pool[dll].setdefault(k, v)
    dlls = {}  # name -> {'kind', 'exports': {name: [ordinal, data]}, 'chain': [..]}
    for name, names_from, impl in dll_lines:
        srcs = names_from or [name]
        exports = {}
        for src in srcs:
            matched = [d for d in pool if fnmatch.fnmatchcase(d, src)] if '*' in src else \
                      [src] if src in pool else []
            for d in matched:
                for k, (o, data) in pool[d].items():
                    if not k.startswith('#'):
                        exports.setdefault(k, [None, data])
        dlls[name] = {'kind': 0, 'exports': exports, 'chain': impl}
    rules = []
    for prefix, hosts in apiset_lines:
        rules.append((prefix, hosts))
    for d in sorted(pool):
        if d in dlls:
            continue
        for prefix, hosts in rules:
            if d.startswith(prefix):
                dlls[d] = {'kind': 1, 'chain': hosts,
                           'exports': {k: [None, v[1]] for k, v in pool[d].items()
                                       if not k.startswith('#')}}
                break
    for dll, name, ordinal, is_data in extra:
        if dll not in dlls:
            sys.exit('gen_exports: %s (an --extra list) is not in dlls.list' % dll)
        key = name if name is not None else '#%d' % ordinal
        e = dlls[dll]['exports'].setdefault(key, [None, is_data])
        if ordinal is not None:
            e[0] = ordinal
        e[1] = e[1] or is_data
    for name, d in dlls.items():
        for c in d['chain']:
            if c not in dlls or dlls[c]['kind'] != 0:
                sys.exit('gen_exports: %s names %s, which is no built-in DLL' % (name, c))
    return dlls, rules


def emit(dlls, rules, out):
    strings, offsets = bytearray(b'\0'), {}

    def s(text):
        if text not in offsets:
            offsets[text] = len(strings)
            strings.extend(text.encode() + b'\0')
        return offsets[text]
    names = sorted(dlls, key=lambda n: n.encode())
    index = {n: i for i, n in enumerate(names)}
    # The DLL names and API-set prefixes last, together: every start looks DLLs up by name (a
    # binary search over thk_gen_dlls), which would otherwise read a string in each 64 KB of
    # the pool; at its end they lie next to the other tables a start reads (the link's
    # start-up order, cmake/startup-order.cmake; issue 12, RSS). Each DLL's exports' names lie
    # together before them.
    for n in names:
        for k in sorted((k for k in dlls[n]['exports'] if not k.startswith('#')),
                        key=lambda k: k.encode()):
            s(k)
    # The DLL names begin a 64 KB window: thk_gen_pool_pad, placed right before the pool
    # (cmake/startup-order.cmake, which starts it at a 64 KB boundary), is as long as it takes.
    # The fault a start takes on them then maps them and the tables after them, not the pages
    # of export names before them, which no start of hello reads (11 pages).
    # (Whole pages of it: what follows the pool keeps its alignment within a page, the
    # templates' page-aligned blobs their place, so the padding after them evens it out; the
    # first page of the window may then hold the last export names too.)
    pad = (-len(strings) % 0x10000 + 0xfff) & ~0xfff
    for n in names:
        s(n)
    for p, _ in rules:
        s(p)
    dll_rows, exp_rows = [], []
    nexp = 0
    for n in names:
        d = dlls[n]
        ex = d['exports']
        taken = {v[0] for v in ex.values() if v[0] is not None}
        if len(taken) != sum(1 for v in ex.values() if v[0] is not None):
            dup = collections.Counter(v[0] for v in ex.values() if v[0] is not None)
            sys.exit('gen_exports: %s: ordinal %d given to two exports' %
                     (n, next(o for o, c in dup.items() if c > 1)))
        named = sorted((k for k in ex if not k.startswith('#')), key=lambda k: k.encode())
        # ordinals in name order after the known ones (Windows' gaps stay gaps: an import of
        # such an ordinal fails by its number instead of binding some other function)
        nxt = max(taken) + 1 if taken else 1
        for k in named:
            if ex[k][0] is None:
                while nxt in taken:
                    nxt += 1
                ex[k][0] = nxt
                taken.add(nxt)
        if taken and max(taken) > 0xffff:
            sys.exit('gen_exports: %s: ordinal above 65535' % n)
        first = nexp
        for k in named:
            exp_rows.append((s(k), ex[k][0], 1 if ex[k][1] else 0))
            nexp += 1
        ord_only = sorted(ex[k][0] for k in ex if k.startswith('#'))
        for o in ord_only:
            exp_rows.append((0, o, 2 | (1 if ex['#%d' % o][1] else 0)))
            nexp += 1
        chain = [index[c] for c in d['chain']]
        if len(chain) > 6:
            sys.exit('gen_exports: %s: more than 6 DLLs in its chain' % n)
        dll_rows.append((s(n), first, len(named), len(ord_only), max(taken) if taken else 0,
                         d['kind'], chain))
    rule_rows = [(s(p), [index[h] for h in hosts]) for p, hosts in rules]
    w = []
    w.append('/* Generated by cmake/gen_exports.py from thunks/dlls.list, thunks/exports-extra.list and the')
    w.append(' * mingw-w64 import libraries. Do not edit. Layout: thunks/dlldata.h. */')
    w.append('#include "thunks/dlldata.h"')
    w.append('')
    w.append('_Static_assert(THK_GEN_NDLLS == %d, "generated/thk_dlldata.h is stale");' % len(names))
    w.append('__attribute__((section(".rodata.thk_gen_pool_pad"), used))')
    w.append('static const char thk_gen_pool_pad[%d];' % max(32, pad))
    w.append('const char thk_gen_strings[] =')
    text = bytes(strings)
    chunk = []
    for piece in text.split(b'\0')[:-1]:
        chunk.append(piece.decode().replace('\\', '\\\\').replace('"', '\\"').replace('?', '\\?'))
        if len(chunk) == 8:
            w.append('    "%s\\0"' % '\\0'.join(chunk))
            chunk = []
    if chunk:
        w.append('    "%s\\0"' % '\\0'.join(chunk))
    w.append('    ;')
    w.append('const thk_gen_export thk_gen_exports[%d] = {' % max(1, len(exp_rows)))
    for r in exp_rows:
        w.append('    {%d, %d, %d},' % r)
    w.append('};')
    w.append('const thk_gen_dll thk_gen_dlls[THK_GEN_NDLLS] = {')
    for (nm, first, count, nords, maxord, kind, chain) in dll_rows:
        ch = ', '.join(str(c) for c in chain) or '0'
        w.append('    {%d, %d, %d, %d, %d, %d, %d, {%s}}, /* %s */' %
                 (nm, first, count, nords, maxord, kind, len(chain), ch, text[nm:text.index(b'\0', nm)].decode()))
    w.append('};')
    w.append('const thk_gen_apiset_rule thk_gen_apiset_rules[THK_GEN_NRULES] = {')
    for p, hosts in rule_rows:
        w.append('    {%d, %d, {%s}},' % (p, len(hosts), ', '.join(str(h) for h in hosts) or '0'))
    w.append('};')
    src = '\n'.join(w) + '\n'
    hdr = ('/* Generated by cmake/gen_exports.py. Do not edit. */\n'
           '#define THK_GEN_NDLLS %d\n#define THK_GEN_NRULES %d\n#define THK_GEN_NEXPORTS %d\n'
           % (len(names), len(rule_rows), len(exp_rows)))
    write_if_changed(out, src)
    write_if_changed(os.path.splitext(out)[0] + '.h', hdr)
    return names


def write_if_changed(path, text):
    try:
        if open(path).read() == text:
            return
    except OSError:
        pass
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--libdir', required=True)
    ap.add_argument('--list', required=True)
    ap.add_argument('--extra', required=True, action='append',
                    help='an exports-extra.list-style file (repeatable)')
    ap.add_argument('--out')
    ap.add_argument('--dump', action='store_true', help='print DLL: export count and exit')
    args = ap.parse_args()
    dlls, rules = build(args)
    if args.dump:
        for n in sorted(dlls):
            print('%-48s %s %5d  -> %s' % (n, 'set' if dlls[n]['kind'] else 'dll',
                                          len(dlls[n]['exports']), ','.join(dlls[n]['chain'])))
        return
    emit(dlls, rules, args.out)


if __name__ == '__main__':
    main()
