#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the code page tables of kernel32's conversions and the CRT's locales
(thunks/kernel32/codepage.c) and, from the host's Unicode database, the base letter of each
Latin letter up to U+024F (collation, thunks/msvcrt/collate.c).

Sources: only Python's own data and glibc's iconv modules (no Wine file is read; Wine is a
peer to compare against, never a build input).

- Byte <-> unit mappings: Python's codecs (cp1252, cp437, cp850, cp852, cp857, cp1250,
  cp1251, cp1253, cp1254, cp1257, cp866, latin-1, cp932, cp949, cp950), which are Microsoft's/Unicode.org's
  published mapping tables (Public/MAPPINGS/VENDORS/MICSFT). Windows' own tables differ from them only
  in the bytes they leave undefined, which Windows maps anyway: a single-byte page's undefined
  byte becomes the C1 control / Latin-1 unit of the same value (c_1252.nls maps 0x81 to
  U+0081), except the few 1253 and 1257 bytes Windows maps into the private use area
  (PRIVATE_USE below); 20127 (US-ASCII) strips the high bit. 932's lead bytes are 0x81-0x9F
  and 0xE0-0xFC, its undefined pairs decode to U+30FB (KATAKANA MIDDLE DOT, which 0x8145 is
  legitimately), and where the NEC and IBM extensions give one character two codes, the code
  the codec encodes is Windows' choice.
- 949 (Unified Hangul Code) and 950 (Big5): Python's cp949 and cp950 (Microsoft's CP949.TXT
  and CP950.TXT), lead bytes 0x81-0xFE, undefined pairs '?', the single byte 0xFF to U+F8F7 /
  U+F8F8, the user-defined areas to the private use area by formula (eudc_decoder), four of
  Big5's doubled box drawings encoded to row 0xF9. Checked against Wine 8.0's c_949.nls and
  c_950.nls the same way as 936 below: every byte, pair and exact unit -> code mapping agrees;
  Windows' best fits (394 for 949, 480 for 950) are given by the rules of dbcs_best_fit below
  where those match them.
- 936 (GBK): glibc's CP936 (Python's gbk is the same table without 0x80 = U+20AC, the euro
  sign Windows has), lead bytes 0x81-0xFE, undefined pairs decode to '?' (CPINFOEX says
  U+003F), the single byte 0xFF to U+F8F5 (PRIVATE_USE), and the 2149 pairs GBK leaves
  undefined but GB18030 defines decode to the private-use units GB18030-2000 gave them
  (cp936_decoder). Checked against Wine 8.0's c_936.nls (which carries Microsoft's table)
  with a program dumping every byte, every lead/trail pair (with and without
  MB_ERR_INVALID_CHARS) and every unit (with and without WC_NO_BEST_FIT_CHARS): bytes, pairs
  and exact unit -> code mappings all agree (21886 GBK pairs, 2149 private-use pairs, 0x80,
  0xFF); the only differences are Windows' 412 best fits (U+F900-FAFF compatibility
  ideographs, parenthesized ideographs U+3192-32xx, Latin-1 and pinyin letters U+00A2-01DC),
  of which ntrun gives the compatibility ideographs (dbcs_best_fit) and '?' for the others.
- MB_USEGLYPHCHARS (437, 850, 852, 857, 866): the IBM PC's glyphs for the control bytes 0x01-0x1F and
  0x7F (GLYPHS below, the well-known CP437 graphics: U+263A WHITE SMILING FACE ...).
  No codec or glibc charmap carries them.
- Best fit of the single-byte pages (WideCharToMultiByte without WC_NO_BEST_FIT_CHARS):
  Microsoft publishes its best-fit tables (WindowsBestFit/bestfit<cp>.txt, and the OEM pages'
  in its code page data files) but no Debian package other than Wine ships them, so they are
  built from rules over Python's unicodedata and a list written here (sbcs_best_fit): a unit
  the page lacks becomes the first of its candidates the page has, else the default char.
  The candidates: LOOK_ALIKES (punctuation, spacing accents, a few symbols: U+2013 EN DASH ->
  '-', U+2018/2019 -> "'", U+201C/201D -> '"', U+2000-2006 -> ' ', U+221E -> U+221E or '8');
  the IBM PC's box drawings (box_look_alike: '-', broken bar, '+', or the double-line form)
  and Greek letters (GREEK_PC: U+03B1 -> 'a', U+0391 -> U+03B1); for U+00C0-U+01F0 the base
  letter, NFD's first character when the rest are combining marks (U+0100 -> 'A', U+01D5 ->
  'U') or the letter the name is built on (LATIN_NAME: U+0141 L WITH STROKE -> 'L', U+0131
  DOTLESS I -> 'i'); U+2100-U+214F's canonical equivalents (U+212B -> U+00C5); the
  compatibility decomposition of fullwidth ASCII (U+FF01-U+FF5E), super- and subscript digits
  and the letterlike symbols U+2102-U+2134; and in the OEM pages the IBM PC glyph of a control
  byte (GLYPHS: U+263A -> 0x01, U+2022 -> 0x07). Windows' tables are hand-made and differ per
  page, so each page takes the subset of rules (SBCS_RULES) that agrees best with them,
  measured against Wine 8.0's c_<cp>.nls (built from Microsoft's code page data files) by a
  program printing WideCharToMultiByte(cp, 0) of every BMP unit; the figures per page are in
  docs/design.md ("Code pages"). In short: 1252 and 437 agree on 438 of 441 and 459 of 472
  of Windows' best fits with 6 and 7 units mapped that Windows leaves to '?'; everything
  Windows does not map in U+0200-U+1FFF (Latin Extended-B's end, Latin Extended Additional)
  stays '?' as on Windows. Known differences: 437 maps U+2018 to '`' (ntrun: "'"); Windows'
  1250 and 1254 box drawings; U+01B5, U+01E0-01E3, U+2079, which Windows leaves to '?'.
- Best fit of the double-byte pages 936, 949 and 950 (dbcs_best_fit): no decomposition rule
  describes Windows' tables as a whole (its parenthesized and circled forms, Latin letters and
  compatibility ideographs are each mapped in some ranges and left to '?' in others), so only
  rules that each match Windows' table over their whole range are taken, each measured against
  Wine 8.0's c_<cp>.nls (Microsoft's tables) with a program dumping WideCharToMultiByte(cp, 0)
  of every unit (the figures in docs/design.md):
  - U+F900-FA0D (CJK compatibility ideographs) -> their canonical one-character decomposition
    (U+F900 -> U+8C48), all three pages: 936 263 of 263, 949 1 of 1, 950 263 of 265, Windows
    leaving U+F92C and U+F9E7 to '?' in 950 (DBCS_BEST_FIT_NONE);
  - 949 and 950: U+00C0-00FF letter + one combining mark -> the letter (as the single-byte
    pages; 53 of 53 each) and U+3200-32FF "(x)" compatibility forms -> x (parenthesized Hangul
    and ideographs, 34 of 34 each).
  Not taken (Windows gives '?' for a large part of what the rule would map): Latin letters of
  936 and beyond U+00FF, width variants, circled, superscript and other compatibility forms,
  U+FA0E-FAFF. The rest of Windows' best fits (936: 149 of 412, 949: 306 of 394, 950: 130 of
  480) stays '?'.
- Default characters: '?' (0x3F) for every page, U+003F for an undefined code of a
  single-byte page and of 936, U+30FB (0x8145) for 932's.

Each page's table is written as in Windows' c_<cp>.nls: the byte -> unit table, the glyph
table, the double-byte rows of each lead byte, and the unit -> code table, this one as a
two-level table (a block index per high byte, 256-entry blocks, identical blocks shared)."""
import argparse
import re
import unicodedata

# (number, Python codec (None: 20127; 936 decodes with cp936_decoder), GetCPInfoEx name as Windows spells it, lead byte ranges)
CODEPAGES = [
    (1252, "cp1252", "1252  (ANSI - Latin I)", []),
    (437, "cp437", "437   (OEM - United States)", []),
    (850, "cp850", "850   (OEM - Multilingual Latin I)", []),
    (1250, "cp1250", "1250  (ANSI - Central Europe)", []),
    (1251, "cp1251", "1251  (ANSI - Cyrillic)", []),
    (1253, "cp1253", "1253  (ANSI - Greek)", []),
    (1254, "cp1254", "1254  (ANSI - Turkish)", []),
    (1257, "cp1257", "1257  (ANSI - Baltic)", []),
    (866, "cp866", "866   (OEM - Russian)", []),
    # the OEM pages of the CRT's Polish and Czech (852) and Turkish (857) locales
    (852, "cp852", "852   (OEM - Latin II)", []),
    (857, "cp857", "857   (OEM - Turkish)", []),
    (28591, "latin-1", "28591 (ISO 8859-1 Latin I)", []),
    (20127, None, "20127 (US-ASCII)", []),
    (932, "cp932", "932   (ANSI/OEM - Japanese Shift-JIS)", [(0x81, 0x9F), (0xE0, 0xFC)]),
    (936, "gbk", "936   (ANSI/OEM - Simplified Chinese GBK)", [(0x81, 0xFE)]),
    (949, "cp949", "949   (ANSI/OEM - Korean)", [(0x81, 0xFE)]),
    (950, "cp950", "950   (ANSI/OEM - Traditional Chinese Big5)", [(0x81, 0xFE)]),
]

# Undefined bytes Windows maps into the private use area (its c_1253.nls, c_1257.nls).
PRIVATE_USE = {
    1253: {0xAA: 0xF8F9, 0xD2: 0xF8FA, 0xFF: 0xF8FB},
    1257: {0xA1: 0xF8FC, 0xA5: 0xF8FD},
    936: {0xFF: 0xF8F5},
    949: {0xFF: 0xF8F7},
    950: {0xFF: 0xF8F8},
}

# The OEM pages' glyphs for the control bytes (MB_USEGLYPHCHARS): the IBM PC character set's
# graphics for 0x01-0x1F and 0x7F, the same in every OEM page here.
GLYPH_PAGES = (437, 850, 852, 857, 866)
GLYPHS = {
    0x01: 0x263A, 0x02: 0x263B, 0x03: 0x2665, 0x04: 0x2666, 0x05: 0x2663, 0x06: 0x2660,
    0x07: 0x2022, 0x08: 0x25D8, 0x09: 0x25CB, 0x0A: 0x25D9, 0x0B: 0x2642, 0x0C: 0x2640,
    0x0D: 0x266A, 0x0E: 0x266B, 0x0F: 0x263C, 0x10: 0x25BA, 0x11: 0x25C4, 0x12: 0x2195,
    0x13: 0x203C, 0x14: 0x00B6, 0x15: 0x00A7, 0x16: 0x25AC, 0x17: 0x21A8, 0x18: 0x2191,
    0x19: 0x2193, 0x1A: 0x2192, 0x1B: 0x2190, 0x1C: 0x221F, 0x1D: 0x2194, 0x1E: 0x25B2,
    0x1F: 0x25BC, 0x7F: 0x2302,
}

DEFAULT_CHAR = 0x3F
# Which of sbcs_best_fit's rules each single-byte page takes: for each page the set that agrees
# best with Windows' table (measured, see the module comment). "all": look-alikes, the IBM PC's
# box drawings and Greek letters, letters, super/subscript digits, letterlike symbols,
# fullwidth ASCII; "punct": the same without box drawings and Greek letters; "letters": base
# letters and fullwidth ASCII; "wide": fullwidth ASCII only.
SBCS_RULES = {1252: "all", 437: "all", 850: "all", 852: "punct", 857: "punct", 1250: "punct",
              1254: "punct", 1251: "letters", 1253: "letters", 866: "letters",
              28591: "letters", 20127: "letters", 1257: "wide"}
# The double-byte pages whose best fits are dbcs_best_fit's (see the module comment), and the
# units its compatibility-ideograph rule would map that Windows leaves to the default character.
DBCS_BEST_FIT = (936, 949, 950)
DBCS_BEST_FIT_NONE = {950: (0xF92C, 0xF9E7)}
# The unit of an undefined code of a double-byte page (CPINFOEX.UnicodeDefaultChar).
DBCS_UNI_DEFAULT = {932: 0x30FB, 936: 0x003F, 949: 0x003F, 950: 0x003F}  # 932: KATAKANA MIDDLE DOT


class Iconv:
    """glibc's iconv (libc6's gconv modules), one short byte string at a time."""

    def __init__(self, charset):
        import ctypes
        import ctypes.util
        self.ct = ctypes
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        libc.iconv_open.restype = ctypes.c_void_p
        libc.iconv_open.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        pp = ctypes.POINTER(ctypes.c_char_p)
        ps = ctypes.POINTER(ctypes.c_size_t)
        libc.iconv.argtypes = [ctypes.c_void_p, pp, ps, pp, ps]
        libc.iconv.restype = ctypes.c_size_t
        self.libc = libc
        self.cd = libc.iconv_open(b"UTF-16LE", charset.encode())
        if self.cd in (None, ctypes.c_void_p(-1).value, 2**64 - 1):
            raise SystemExit(f"gen_codepages.py: glibc iconv lacks {charset} (libc6's gconv modules)")

    def decode(self, data, astral=False):
        """The single BMP unit `data` decodes to as a whole, None otherwise (`astral`: a
        character outside the BMP counts, as -1)."""
        ct = self.ct
        self.libc.iconv(self.cd, None, None, None, None)
        inb = ct.create_string_buffer(data, len(data))
        out = ct.create_string_buffer(8)
        ip, op = ct.c_char_p(ct.addressof(inb)), ct.c_char_p(ct.addressof(out))
        il, ol = ct.c_size_t(len(data)), ct.c_size_t(8)
        r = self.libc.iconv(self.cd, ct.byref(ip), ct.byref(il), ct.byref(op), ct.byref(ol))
        if r == ct.c_size_t(-1).value or il.value:
            return None
        if ol.value == 4 and astral and 0xD8 <= out.raw[1] <= 0xDB:
            return -1
        return out.raw[0] | out.raw[1] << 8 if ol.value == 6 else None


def gbk_user_defined(code):
    """GB18030-2000's private-use unit of a code in one of GBK's user-defined areas, or None."""
    lead, trail = code >> 8, code & 0xFF
    if 0xAA <= lead <= 0xAF and trail >= 0xA1:
        return 0xE000 + (lead - 0xAA) * 94 + (trail - 0xA1)
    if 0xF8 <= lead <= 0xFE and trail >= 0xA1:
        return 0xE234 + (lead - 0xF8) * 94 + (trail - 0xA1)
    if 0xA1 <= lead <= 0xA7 and trail <= 0xA0:
        return 0xE4C6 + (lead - 0xA1) * 96 + (trail - 0x40 - (trail > 0x7F))
    return None


def eudc_decoder(cp, codec):
    """Windows' 949 and 950 as decode functions: Python's cp949 / cp950 (Microsoft's published
    CP949.TXT / CP950.TXT) with the user-defined (EUDC) areas mapped to the private use area in
    code order, as Windows' c_949.nls / c_950.nls do, over whatever the codec has there:
    949's rows 0xC9 and 0xFE (trail 0xA1-0xFE) from U+E000; 950's areas 0xFA40-0xFEFE from
    U+E000, 0x8E40-0xA0FE from U+E311, 0x8140-0x8DFE from U+EEB8 and 0xC6A1-0xC8FE from U+F6B1
    (trail 0x40-0x7E, 0xA1-0xFE)."""
    if cp == 949:
        areas = [((0xC9, 0xA1), (0xC9, 0xFE), 0xE000), ((0xFE, 0xA1), (0xFE, 0xFE), 0xE05E)]
        trails = list(range(0xA1, 0xFF))
    else:
        areas = [((0xFA, 0x40), (0xFE, 0xFE), 0xE000), ((0x8E, 0x40), (0xA0, 0xFE), 0xE311),
                 ((0x81, 0x40), (0x8D, 0xFE), 0xEEB8), ((0xC6, 0xA1), (0xC8, 0xFE), 0xF6B1)]
        trails = list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF))
    pua = {}
    for (l0, t0), (l1, t1), u in areas:
        for lead in range(l0, l1 + 1):
            for trail in trails:
                if (lead, trail) < (l0, t0) or (lead, trail) > (l1, t1):
                    continue
                pua[bytes([lead, trail])] = u
                u += 1

    def dec(data):
        if data in pua:
            return pua[data]
        return decode(codec, data)
    return dec


def cp936_decoder():
    """Windows' 936 as a decode function: glibc's CP936 (GBK with 0x80 = U+20AC, which
    Python's gbk codec lacks), and for the double-byte codes GBK leaves undefined but GB18030
    defines (glibc's GB18030 decodes them), the private-use units GB18030-2000 gave them and
    Windows' c_936.nls keeps: the three user-defined areas by formula (gbk_user_defined), the
    other 80 such codes U+E766 onwards in code order (glibc's GB18030 follows GB18030-2005 and
    later, which moved most of these to real characters; Windows did not)."""
    cp936, gb18030 = Iconv("CP936"), Iconv("GB18030")
    pua, nxt = {}, 0xE766
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            b = bytes([lead, trail])
            if trail == 0x7F or cp936.decode(b) is not None or gb18030.decode(b, True) is None:
                continue
            code = lead << 8 | trail
            u = gbk_user_defined(code)
            if u is None:
                u, nxt = nxt, nxt + 1
            pua[b] = u
    assert nxt == 0xE865, hex(nxt)

    def decode(data):
        return pua.get(data, cp936.decode(data))
    return decode


def is_lead(b, leads):
    return any(lo <= b <= hi for lo, hi in leads)


def decode(codec, data):
    """The single unit `data` decodes to, None when undefined."""
    if callable(codec):
        return codec(data)
    try:
        u = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return ord(u) if len(u) == 1 and ord(u) < 0x10000 else None


def best_fit_base(u, dbcs):
    """The character a unit's best fit is the code of in 932 (dbcs), or None: its NFKD
    decomposition when that is a width variant (U+FF21 FULLWIDTH A -> 'A', halfwidth forms)."""
    if 0xD800 <= u <= 0xDFFF:
        return None
    ch = chr(u)
    if unicodedata.decomposition(ch).startswith(("<wide>", "<narrow>")):
        d = unicodedata.normalize("NFKD", ch)
        return ord(d) if len(d) == 1 else None
    return None


# Look-alikes of punctuation, spacing accents and symbols that no decomposition gives, written
# for ntrun (not taken from any table): unit -> the characters it may become, best first (the
# first one the page has is taken). Where Windows' tables pick differently per page (U+2018 is
# '`' in 437 but '\'' in 850) one choice is made for all pages (docs/design.md lists them).
LOOK_ALIKES = {
    **{u: "-" for u in (0x00AD, 0x2010, 0x2011, 0x2013, 0x2014, 0x2212)},
    **{u: "'" for u in (0x02B9, 0x02BC, 0x02C8, 0x2018, 0x2019, 0x2032)},
    **{u: '"' for u in (0x02BA, 0x030E, 0x201C, 0x201D)},
    **{u: " " for u in (*range(0x2000, 0x2007), 0x3000)},  # the spaces of Unicode 1.1
    0x201A: ",", 0x201E: ",", 0x2035: "`", 0x2039: "<", 0x203A: ">",
    0x2026: "\u2026.", 0x2030: "\u2030%", 0x2020: "\u2020+", 0x2022: "\u2022\u00B7",
    0x2024: "\u00B7", 0x2219: "\u00B7", 0x22C5: "\u00B7", 0x30FB: "\u00B7",
    0x2044: "/", 0x2215: "/", 0x2216: "\\", 0x2217: "*", 0x2223: "|", 0x2758: "|",
    0x01C0: "|", 0x01C3: "!", 0x0589: ":", 0x2236: ":", 0x037E: ";", 0x066A: "%",
    0x223C: "~", 0x2261: "=", 0x2264: "\u2264=", 0x2265: "\u2265=", 0x2229: "\u2229n",
    0x2248: "\u2248\u02DC", 0x2329: "<", 0x3008: "<", 0x232A: ">", 0x3009: ">",
    0x300A: "\u00AB", 0x300B: "\u00BB", 0x226A: "\u00AB", 0x226B: "\u00BB",
    0x301A: "[", 0x301B: "]", 0x2303: "^", 0x2310: "\u00AC", 0x2320: "\u2320(",
    0x2321: "\u2321)", 0x2213: "\u00B1", 0x2218: "\u00B0", 0x2070: "\u00B0",
    0x221E: "\u221E8", 0x221A: "\u221Av", 0x2713: "\u221A", 0x2205: "\u00D8\u03C6",
    0x2211: "\u03A3", 0x01A9: "\u03A3", 0x0278: "\u03C6", 0x20A1: "\u00A2",
    0x20A4: "\u00A3", 0x20A7: "\u20A7P", 0x2107: "E", 0x2118: "P", 0x212E: "e",
    0x263C: "\u00A4",
    # spacing accents and the combining marks they are made of
    0x02C4: "^", 0x02C6: "^", 0x02CB: "`", 0x02CA: "\u00B4'", 0x02C9: "\u00AF",
    0x02CD: "_", 0x02DA: "\u00B0", 0x02DC: "~",
    0x0300: "`", 0x0301: "\u00B4'", 0x0302: "^", 0x0303: "~", 0x0304: "\u00AF",
    0x0305: "\u00AF", 0x0308: "\u00A8\"", 0x030A: "\u00B0", 0x0327: "\u00B8,",
    0x0331: "_", 0x0332: "_",
    0x00A8: '"', 0x00B4: "'", 0x00B8: ",", 0x00AF: "_",
    # letters and signs read as a letter
    0x00D0: "D", 0x00F0: "d", 0x00D7: "x", 0x00A9: "c", 0x00AE: "r", 0x2122: "T",
    0x0110: "\u00D0D", 0x0189: "\u00D0D", 0x0191: "\u0192F", 0x03B2: "\u00DF",
    0x03BC: "\u00B5", 0x04BB: "h",
    # the IBM PC's block elements, in pages without them
    **{u: "\u00A6|" for u in (0x2588, 0x258C, 0x2590, 0x2591, 0x2592, 0x2593, 0x25A0, 0x2302)},
    0x2580: "\u00AF", 0x2584: "_",
}

# The Greek letters of the IBM PC character set (437's 0xE0-0xEE) and the Latin letter each
# becomes in a page without it (U+03B1 ALPHA -> 'a'); their capitals take them where the
# page has them (437: U+0391 -> 0xE0).
GREEK_PC = dict(zip("\u0393\u0398\u03A3\u03A6\u03A9\u03B1\u03B4\u03B5\u03C0\u03C3\u03C4\u03C6",
                    "GTSFOadepstf"))

# Latin letters whose name says which letter they are built on, for the modifiers a reader
# sees through (U+0141 L WITH STROKE -> 'L'); hooks, top bars, other ligatures and digraphs
# are left to the default character.
LATIN_NAME = re.compile(r"LATIN (CAPITAL|SMALL) (?:LETTER (?:DOTLESS |SCRIPT |AFRICAN )?([A-Z])"
                        r"(?:$| WITH (?:STROKE|BAR|MIDDLE TILDE|PALATAL HOOK|RETROFLEX HOOK)$)"
                        r"|LIGATURE (O)E$)")


def box_look_alike(u):
    """The IBM PC's box drawings (U+2500-U+256C, those 437 has) in a page without them: one
    of single and double lines the double-line form (850: U+2552 -> U+2554), else a
    horizontal line '-', a vertical one (and a vertical line with a branch) the broken bar,
    a corner or crossing '+'."""
    if not 0x2500 <= u <= 0x256C or u not in PC_BOX:
        return ""
    name = unicodedata.name(chr(u))
    words = name.split()
    if "SINGLE" in words and "DOUBLE" in words:
        rest = " ".join(w for w in words[2:] if w not in ("SINGLE", "DOUBLE"))
        double = unicodedata.lookup("BOX DRAWINGS DOUBLE " + rest)
    else:
        double = ""
    if "HORIZONTAL" in name and "VERTICAL" not in name:
        return double + "-"
    if "VERTICAL" in name and "HORIZONTAL" not in name and u != 0x251C:
        return double + "\u00A6|"
    return double + "+"


PC_BOX = {ord(c) for c in bytes(range(0xB0, 0xE0)).decode("cp437")
          if unicodedata.name(c).startswith("BOX DRAWINGS")}


def sbcs_best_fit(u, rules="all"):
    """The characters a unit may become in a single-byte page that lacks it, best first
    (see the module comment): LOOK_ALIKES, box drawings (box_look_alike), the Greek letters
    of GREEK_PC, the canonical equivalent of U+2100-U+214F (U+212B ANGSTROM SIGN -> U+00C5),
    for U+00C0-U+01F0 the base letter (NFD's first character when the rest are combining marks,
    else the letter LATIN_NAME finds), and the compatibility decomposition of fullwidth ASCII
    (U+FF01-U+FF5E), super- and subscript digits and U+2102-U+2134's letterlike symbols."""
    if 0xD800 <= u <= 0xDFFF:
        return []
    ch = chr(u)
    out = []
    sym = rules in ("all", "punct")
    if sym:
        out += list(LOOK_ALIKES.get(u, ""))
    if rules == "all":
        out += list(box_look_alike(u))
        if ch in GREEK_PC:
            out.append(GREEK_PC[ch])
        if ch.lower() in GREEK_PC and ch.lower() != ch:
            out.append(ch.lower())
    nfc = unicodedata.normalize("NFC", ch)
    if 0x2100 <= u <= 0x214F and nfc != ch and len(nfc) == 1 and sym:
        out.append(nfc)
    if 0xC0 <= u <= 0x1F0 and rules != "wide":
        d = unicodedata.normalize("NFD", ch)
        if d != ch and all(unicodedata.category(c) == "Mn" for c in d[1:]):
            out.append(d[0])
        else:
            m = LATIN_NAME.match(unicodedata.name(ch, ""))
            if m:
                letter = m.group(2) or m.group(3)
                out.append(letter if m.group(1) == "CAPITAL" else letter.lower())
    dec = unicodedata.decomposition(ch)
    k = unicodedata.normalize("NFKD", ch)
    if len(k) == 1 and (
            (dec.startswith("<wide>") and 0xFF01 <= u <= 0xFF5E)
            or (dec.startswith(("<super>", "<sub>")) and k.isdigit() and sym)
            or (dec.startswith("<font>") and 0x2102 <= u <= 0x2134 and sym)):
        out.append(k)
    return [ord(c) for c in out]


def dbcs_best_fit(u, cp):
    """The character a unit's best fit is the code of in double-byte page cp (936, 949, 950),
    or None (see the module comment)."""
    if 0xD800 <= u <= 0xDFFF or u in DBCS_BEST_FIT_NONE.get(cp, ()):
        return None
    ch = chr(u)
    d = unicodedata.decomposition(ch)
    if 0xF900 <= u <= 0xFA0D and d and not d.startswith("<"):
        n = unicodedata.normalize("NFD", ch)
        return ord(n) if len(n) == 1 else None
    if cp in (949, 950) and 0xC0 <= u <= 0xFF:
        n = unicodedata.normalize("NFD", ch)
        if n != ch and len(n) == 2 and unicodedata.category(n[1]) == "Mn":
            return ord(n[0])
    if cp in (949, 950) and 0x3200 <= u <= 0x32FF and d.startswith("<compat>"):
        k = unicodedata.normalize("NFKD", ch)
        if len(k) == 3 and k[0] == "(" and k[2] == ")":
            return ord(k[1])
    return None


def build_page(cp, codec, leads):
    """The page as Windows' c_<cp>.nls holds it (see the module comment)."""
    dbcs = bool(leads)
    uni_def = DBCS_UNI_DEFAULT[cp] if dbcs else DEFAULT_CHAR
    enc_codec = codec
    if cp == 936:
        codec = cp936_decoder()
    elif cp in (949, 950):
        codec = eudc_decoder(cp, codec)
    t = {"cp": cp, "max_char": 2 if dbcs else 1, "def_char": DEFAULT_CHAR, "uni_def": uni_def,
         "trans_def": DEFAULT_CHAR, "trans_uni_def": DEFAULT_CHAR}
    lead = [b for r in leads for b in r]
    t["lead"] = lead + [0] * (12 - len(lead))
    mb = []
    for b in range(256):
        if codec is None:
            mb.append(b & 0x7F)
        elif is_lead(b, leads):
            mb.append(0)
        elif b in PRIVATE_USE.get(cp, {}):
            mb.append(PRIVATE_USE[cp][b])
        else:
            u = decode(codec, bytes([b]))
            mb.append(b if u is None else u)
    t["mb"] = mb
    t["glyph"] = [GLYPHS.get(b, mb[b]) for b in range(256)] if cp in GLYPH_PAGES else None
    t["dbcs"] = {}
    for lo, hi in leads:
        for b in range(lo, hi + 1):
            row = []
            for trail in range(256):
                u = decode(codec, bytes([b, trail])) if trail else None
                row.append(uni_def if u is None else u)
            t["dbcs"][b] = row
    if dbcs:  # the code that legitimately decodes to uni_def (932: 0x8145; 936: '?')
        enc = chr(uni_def).encode(enc_codec)
        t["trans_uni_def"] = enc[0] if len(enc) == 1 else enc[0] << 8 | enc[1]
    # unit -> code: every code's unit maps back to it; where several codes decode to one unit,
    # the one the codec encodes it to, else the first.
    cands = {}
    for b in range(256):
        if not is_lead(b, leads):
            cands.setdefault(mb[b], []).append(b)
    for b, row in sorted(t["dbcs"].items()):
        for trail, u in enumerate(row):
            if u != uni_def or (b << 8 | trail) == t["trans_uni_def"]:
                cands.setdefault(u, []).append(b << 8 | trail)
    wc = [None] * 65536
    for u, codes in cands.items():
        if len(codes) > 1 and codec is not None:  # (20127: the low byte)
            # 932: a character of the NEC-selected IBM extensions (lead 0xED, 0xEE) that is also
            # in the IBM extensions (0xFA-0xFC) or NEC row 13 (0x87) takes the other code, as
            # Windows (and the WHATWG Shift_JIS encoder) do; else the codec's choice.
            if cp == 932:
                codes = [c for c in codes if c >> 8 not in (0xED, 0xEE)] or codes
            # 950: four of the box drawings Big5 has twice (0xA2A4 and 0xF9F9 are U+2550 ...)
            # encode to the ETEN row 0xF9 in Windows' c_950.nls, the other ones (U+256D-2570)
            # to row 0xA2 as the codec does
            if cp == 950 and u in (0x2550, 0x255E, 0x2561, 0x256A):
                codes = [c for c in codes if c >> 8 == 0xF9] or codes
            try:
                enc = chr(u).encode(enc_codec)
                enc = enc[0] if len(enc) == 1 else enc[0] << 8 | enc[1]
                if enc in codes:
                    codes = [enc]
            except UnicodeEncodeError:
                pass
        wc[u] = codes[0]
    # best fit (an approximation of Windows' tables, see the module comment)
    glyph_byte = {g: b for b, g in GLYPHS.items()}
    for u in range(65536):
        if wc[u] is None:
            if dbcs:
                f = dbcs_best_fit(u, cp) if cp in DBCS_BEST_FIT else best_fit_base(u, dbcs)
                wc[u] = wc[f] if f is not None and f in cands else DEFAULT_CHAR
                continue
            wc[u] = DEFAULT_CHAR
            if cp in GLYPH_PAGES and u in glyph_byte:
                wc[u] = glyph_byte[u]  # an IBM PC glyph: its control byte (U+263A -> 0x01)
                continue
            for f in sbcs_best_fit(u, SBCS_RULES.get(cp, "all")):
                if f in cands:
                    wc[u] = wc[f]
                    break
    t["wc"] = wc
    return t


def two_level(wc):
    """(block index per high byte, the distinct blocks)."""
    blocks, index, hi = [], {}, []
    for h in range(256):
        blk = tuple(wc[h * 256:(h + 1) * 256])
        if blk not in index:
            index[blk] = len(blocks)
            blocks.append(blk)
        hi.append(index[blk])
    return hi, blocks


def latin_base(limit=0x250):
    """The lower-case ASCII letter each of U+0000..limit-1 is built on (canonical
    decomposition), 0 for anything else."""
    out = []
    for u in range(limit):
        ch = chr(u)
        base = unicodedata.normalize("NFD", ch)[0].lower()
        out.append(ord(base) if "a" <= base <= "z" and ch.isalpha() else 0)
    return out


# Collation (thunks/kernel32/nls.c, CompareString and LCMapString's sort keys): the weight of
# each combining mark U+0300-U+036F at the diacritic level, in the order Windows sorts them
# (a + U+0301 < a + U+0300 < ... as CompareString orders the accented letters: acute, grave,
# dot above, circumflex, diaeresis, caron, breve, macron, tilde, ring, ogonek, cedilla, double
# acute, short and long stroke overlays, then the other marks by code point). Written here
# from that order, not copied: the values are ntrun's own. 0: ignorable (U+034F).
MARK_ORDER = [0x0301, 0x0300, 0x0307, 0x0302, 0x0308, 0x030C, 0x0306, 0x0304, 0x0303, 0x030A,
              0x0328, 0x0327, 0x030B, 0x0335, 0x0337, 0x0338]
# Letters without a decomposition that Windows sorts as a base letter with a diacritic (the
# stroke overlays above): the letter and the mark.
STROKE_LETTERS = {0x00D0: ("D", 0x0335), 0x00F0: ("d", 0x0335), 0x0110: ("D", 0x0335),
                  0x0111: ("d", 0x0335), 0x0126: ("H", 0x0335), 0x0127: ("h", 0x0335),
                  0x0141: ("L", 0x0337), 0x0142: ("l", 0x0337), 0x00D8: ("O", 0x0338),
                  0x00F8: ("o", 0x0338)}
DAKUTEN = {0x3099: 40, 0x309A: 41}  # the kana voicing marks, after the others


def mark_weight(m):
    if m in DAKUTEN:
        return DAKUTEN[m]
    if m == 0x034F or not 0x0300 <= m <= 0x036F:
        return 0
    if m in MARK_ORDER:
        return 1 + MARK_ORDER.index(m)
    return 0x30 + (m - 0x0300)  # 0x30-0x9F


# The ranges whose characters collate as another character plus diacritics (coll_decomp).
COLL_RANGES = [(0x00C0, 0x0250), (0x1E00, 0x1F00), (0x3040, 0x3100), (0xFF61, 0xFFA0)]


def coll_decomp():
    """For each unit of COLL_RANGES: the unit it collates as (0: itself) and the sum of its
    marks' weights (capped at 255): the canonical decomposition's first character and marks
    (U+00E9 -> 'e' + acute, U+30AC GA -> U+30AB + U+3099), STROKE_LETTERS, and halfwidth
    katakana's compatibility decomposition (U+FF71 -> U+30A2)."""
    base, dia = [], []
    for lo, hi in COLL_RANGES:
        for u in range(lo, hi):
            ch = chr(u)
            b, w = 0, 0
            if u in STROKE_LETTERS:
                letter, m = STROKE_LETTERS[u]
                b, w = ord(letter), mark_weight(m)
            else:
                d = unicodedata.normalize("NFKD" if u >= 0xFF61 else "NFD", ch)
                if d != ch and all(unicodedata.combining(c) or ord(c) in DAKUTEN for c in d[1:]):
                    b = ord(d[0])
                    w = min(255, sum(mark_weight(ord(c)) for c in d[1:]))
            base.append(b)
            dia.append(w)
    return base, dia


def rows(values, per, fmt):
    return ["    " + ", ".join(fmt(v) for v in values[i:i + per]) + ","
            for i in range(0, len(values), per)]


def hex4(v):
    return f"0x{v:04X}"


def hex2(v):
    return f"0x{v:02X}"


def array(lines, ctype, name, values, per, fmt):
    lines.append(f"static const {ctype} {name}[{len(values)}] = {{")
    lines += rows(values, per, fmt)
    lines.append("};")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    lines = ["/* Generated by cmake/gen_codepages.py: do not edit. */",
             "#ifndef NTRUN_CRT_CODEPAGES_H", "#define NTRUN_CRT_CODEPAGES_H", "#include <stdint.h>"]
    base = latin_base()
    lines.append("/* The ASCII letter a Latin letter is built on (NFD), 0 for others. */")
    array(lines, "uint8_t", "crt_latin_base", base, 16, str)
    lines.append("")
    lines.append("/* Collation (thunks/kernel32/nls.c only: NLS_COLLATION_TABLES). */")
    lines.append("#ifdef NLS_COLLATION_TABLES")
    lines.append("/* The diacritic weight of each combining mark U+0300-U+036F. */")
    array(lines, "uint8_t", "nls_mark_weight", [mark_weight(m) for m in range(0x300, 0x370)], 16, str)
    lines.append(f"#define NLS_DAKUTEN_WEIGHT {DAKUTEN[0x3099]}")
    lines.append(f"#define NLS_HANDAKUTEN_WEIGHT {DAKUTEN[0x309A]}")
    lines.append("/* Ranges of nls_coll_base / nls_coll_dia: first unit, end, offset in the tables. */")
    off = 0
    for i, (lo, hi) in enumerate(COLL_RANGES):
        lines.append(f"#define NLS_COLL_RANGE{i} 0x{lo:04X}, 0x{hi:04X}, {off}")
        off += hi - lo
    cb, cd = coll_decomp()
    lines.append("/* The unit each collates as (0: itself) and its diacritic weight. */")
    array(lines, "uint16_t", "nls_coll_base", cb, 8, hex4)
    array(lines, "uint8_t", "nls_coll_dia", cd, 16, str)
    lines.append("#endif")
    lines.append("")
    lines.append("/* The code pages (thunks/kernel32/codepage.c only: NLS_CODEPAGE_TABLES). */")
    lines.append("#ifdef NLS_CODEPAGE_TABLES")
    # Without pointers, so that the tables are read-only data the dynamic linker never writes
    # at start (docs/performance.md, fifteenth pass): every array is a member of one structure,
    # the descriptors hold their offsets in it (NLS_CP_NONE: none), and codepage.c makes the
    # nls_cp records from them at the first look-up.
    members = []  # (C type, member name, values, per line, format) of struct nls_cp_data_s
    descs = []

    def member(ctype, mname, values, per, fmt):
        members.append((ctype, mname, values, per, fmt))
        return f"offsetof(struct nls_cp_data_s, {mname})"

    none = "NLS_CP_NONE"
    for cp, codec, name, leads in CODEPAGES:
        t = build_page(cp, codec, leads)
        dbcs = bool(t["dbcs"])
        p = f"cp{cp}"
        name_off = member("char", f"{p}_name", [ord(c) for c in name] + [0], 16, str)
        mb = member("uint16_t", f"{p}_mb", t["mb"], 8, hex4)
        glyph = lead_row_off = dbcs_rows = none
        if t["glyph"]:
            glyph = member("uint16_t", f"{p}_glyph", t["glyph"], 8, hex4)
        lead_row = [0] * 256
        if dbcs:
            flat = []
            for i, lead in enumerate(sorted(t["dbcs"])):
                lead_row[lead] = i + 1
                flat += t["dbcs"][lead]
            lead_row_off = member("uint8_t", f"{p}_lead_row", lead_row, 16, str)
            dbcs_rows = member("uint16_t", f"{p}_dbcs", flat, 8, hex4)
        hi, blocks = two_level(t["wc"])
        wc_hi = member("uint8_t", f"{p}_wc_hi", hi, 16, str)
        flat = [v for blk in blocks for v in blk]
        if dbcs:
            wc = f"{none}, " + member("uint16_t", f"{p}_wc_db", flat, 8, hex4)
        else:
            wc = member("uint8_t", f"{p}_wc_sb", flat, 16, hex2) + f", {none}"
        lead = ", ".join(hex2(b) for b in t["lead"])
        descs.append(
            f"    {{{cp}, {t['max_char']}, {hex4(t['def_char'])}, {hex4(t['uni_def'])}, "
            f"{hex4(t['trans_def'])}, {hex4(t['trans_uni_def'])}, {{{lead}}}, {name_off}, "
            f"{mb}, {glyph}, {lead_row_off}, {dbcs_rows}, {wc_hi}, {wc}}},")
    lines.append("#include <stddef.h>")
    lines.append("struct nls_cp_data_s {")
    for ctype, mname, values, per, fmt in members:
        lines.append(f"    {ctype} {mname}[{len(values)}];")
    lines.append("};")
    lines.append("static const struct nls_cp_data_s nls_cp_data = {")
    for ctype, mname, values, per, fmt in members:
        lines.append(f"  .{mname} = {{")
        lines += rows(values, per, fmt)
        lines.append("  },")
    lines.append("};")
    lines.append("#define NLS_CP_NONE 0xffffffffu")
    lines.append("/* nls_cp's fields, the arrays as offsets in nls_cp_data */")
    lines.append("typedef struct nls_cp_src {")
    lines.append("    uint16_t cp;")
    lines.append("    uint8_t max_char;")
    lines.append("    uint16_t def_char, uni_def, trans_def, trans_uni_def;")
    lines.append("    uint8_t lead[12];")
    lines.append("    uint32_t name, mb, glyph, lead_row, dbcs, wc_hi, wc_sb, wc_db;")
    lines.append("} nls_cp_src;")
    lines.append("static const nls_cp_src nls_cp_srcs[] = {")
    lines += descs
    lines.append("};")
    lines.append("#endif")
    lines.append("#endif")
    text = "\n".join(lines) + "\n"
    try:
        with open(args.out) as f:
            if f.read() == text:
                return
    except OSError:
        pass
    with open(args.out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
