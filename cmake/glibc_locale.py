# SPDX-License-Identifier: MIT
"""The locales ntrun knows and the reader of glibc's locale sources (/usr/share/i18n/locales,
Debian package `locales`), shared by cmake/gen_lctime.py (LC_TIME) and cmake/gen_lcnumeric.py
(LC_NUMERIC, LC_MONETARY, LC_MEASUREMENT): a locale's sections with a checked getter
(locale_sections), the C string writer and the header writers (header, run) both use. No Wine
file is read.

LOCALES is the one list of the locales: CMakeLists.txt reads the glibc names from the lines
below (one locale a line, in this form) for the generators' dependencies."""
import os
import re
import sys

LOCALES = [  # BCP-47 tag, glibc locale, Windows' LCID, its ANSI code page
    ("en-US", "en_US", 0x0409, 1252),
    ("de-DE", "de_DE", 0x0407, 1252),
    ("fr-FR", "fr_FR", 0x040C, 1252),
    ("es-ES", "es_ES", 0x0C0A, 1252),
    ("ru-RU", "ru_RU", 0x0419, 1251),
    ("ja-JP", "ja_JP", 0x0411, 932),
    ("zh-CN", "zh_CN", 0x0804, 936),
    ("it-IT", "it_IT", 0x0410, 1252),
    ("pt-BR", "pt_BR", 0x0416, 1252),
    ("pt-PT", "pt_PT", 0x0816, 1252),
    ("nl-NL", "nl_NL", 0x0413, 1252),
    ("pl-PL", "pl_PL", 0x0415, 1250),
    ("sv-SE", "sv_SE", 0x041D, 1252),
    ("tr-TR", "tr_TR", 0x041F, 1254),
    ("ko-KR", "ko_KR", 0x0412, 949),
    ("zh-TW", "zh_TW", 0x0404, 950),
    ("en-GB", "en_GB", 0x0809, 1252),
    ("cs-CZ", "cs_CZ", 0x0405, 1250),
    ("uk-UA", "uk_UA", 0x0422, 1251),
]

# The names the C runtimes' setlocale takes and answers for each locale ("Italian_Italy.1252"):
# Windows' English language and country names (LOCALE_SENGLISHLANGUAGENAME, as the UCRT spells
# it, and LOCALE_SENGLISHCOUNTRYNAME of Windows 10), the OEM code page (".OCP",
# LOCALE_IDEFAULTCODEPAGE) and another Language_Country name it also takes (Windows 7's, or
# None). A language name alone means the first locale of that language in LOCALES ("English":
# en-US, "Portuguese": pt-BR, "Chinese": zh-CN, as Windows picks the language's primary
# sublanguage).
CRT_NAMES = {
    "en-US": ("English", "United States", 437, None),
    "de-DE": ("German", "Germany", 850, None),
    "fr-FR": ("French", "France", 850, None),
    "es-ES": ("Spanish", "Spain", 850, None),
    "ru-RU": ("Russian", "Russia", 866, None),
    "ja-JP": ("Japanese", "Japan", 932, None),
    "zh-CN": ("Chinese (Simplified)", "China", 936, "Chinese_China"),
    "it-IT": ("Italian", "Italy", 850, None),
    "pt-BR": ("Portuguese", "Brazil", 850, None),
    "pt-PT": ("Portuguese", "Portugal", 850, None),
    "nl-NL": ("Dutch", "Netherlands", 850, None),
    "pl-PL": ("Polish", "Poland", 852, None),
    "sv-SE": ("Swedish", "Sweden", 850, None),
    "tr-TR": ("Turkish", "Turkey", 857, None),
    "ko-KR": ("Korean", "Korea", 949, None),
    "zh-TW": ("Chinese (Traditional)", "Taiwan", 950, "Chinese_Taiwan"),
    "en-GB": ("English", "United Kingdom", 850, None),
    "cs-CZ": ("Czech", "Czechia", 852, None),
    "uk-UA": ("Ukrainian", "Ukraine", 866, None),
}


def parse_locale(path, section, seen=None):
    """The keywords of one section (LC_TIME, LC_NUMERIC ...) of a glibc locale source:
    {key: [strings]}; a keyword whose value is not quoted (grouping 3;3, frac_digits 2) as
    [its text]. `copy "other"` takes the other file's keywords this one does not set."""
    seen = seen or set()
    if path in seen:
        raise SystemExit(f"glibc_locale: copy loop at {path}")
    seen.add(path)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    comment, escape = "%", "/"
    m = re.search(r"^comment_char\s+(\S)", text, re.M)
    if m:
        comment = m.group(1)
    m = re.search(r"^escape_char\s+(\S)", text, re.M)
    if m:
        escape = m.group(1)
    lines, inside, cur = [], False, ""
    for raw in text.split("\n"):
        if not inside:
            if raw.strip() == section:
                inside = True
            continue
        if raw.strip().startswith("END " + section):
            break
        if raw.lstrip().startswith(comment):
            continue
        s = raw.rstrip()
        if s.endswith(escape) and not s.endswith(escape * 2):
            cur += s[:-1]
            continue
        cur += s
        if cur.strip():
            lines.append(cur.strip())
        cur = ""
    if not inside:
        raise SystemExit(f"glibc_locale: {path}: no {section} section")
    out = {}
    for line in lines:
        m = re.match(r"(\S+)\s*(.*)", line)
        key, rest = m.group(1), m.group(2)
        if key == "copy":
            base = parse_locale(os.path.join(os.path.dirname(path), rest.strip('"')), section,
                                seen)
            for k, v in base.items():
                out.setdefault(k, v)
            continue
        if '"' not in rest:
            out[key] = [rest.strip()]
            continue
        out[key] = [decode(s, escape)
                    for s in re.findall(r'"((?:[^"]|' + re.escape(escape) + '")*)"', rest)]
    return out


def locale_sections(prog, root, glibc_name, *sections):
    """The sections a generator reads of one locale's source ({key: [strings]} each, in the
    order asked) and `first(section, key)`: a keyword's first value, which stops generator
    `prog` naming the locale when the section lacks it."""
    path = os.path.join(root, glibc_name)
    srcs = [parse_locale(path, sec) for sec in sections]

    def first(src, key):
        if key not in src:
            raise SystemExit(f"{prog}: {glibc_name}: no {key}")
        return src[key][0]

    return srcs, first


def header(guard, comment, body):
    """A generated header's lines: the comment's lines, the include guard around body."""
    return comment + [f"#ifndef {guard}", f"#define {guard}"] + body + ["#endif"]


def decode(s, escape):
    """A glibc string: <Uxxxx> symbols, the escape character doubled for itself."""
    res, i = [], 0
    while i < len(s):
        m = re.match(r"<U([0-9A-Fa-f]{4,8})>", s[i:])
        if m:
            res.append(chr(int(m.group(1), 16)))
            i += len(m.group(0))
        elif s[i] == escape and i + 1 < len(s):
            res.append(s[i + 1])
            i += 2
        else:
            res.append(s[i])
            i += 1
    return "".join(res)


def c_strings(strings, indent="    "):
    """One C string literal (as adjacent pieces, a line per 8) of the strings, each ended by a
    NUL: no pointers, so the table needs no relocation (thunks/kernel32/nls_tables.c)."""
    pieces = [c_string(s) + ' "\\0"' for s in strings]
    lines = [" ".join(pieces[i:i + 8]) for i in range(0, len(pieces), 8)]
    return (" \\\n" + indent).join(lines)


def c_string(s):
    """A C string literal of s in UTF-8; a hex escape before a hex digit ends its piece."""
    out, hexed = '"', False
    for b in s.encode("utf-8"):
        c = chr(b)
        if b < 0x80 and c not in '"\\?':
            if hexed and c in "0123456789abcdefABCDEF":
                out += '" "'
            out += c
            hexed = False
        else:
            out += f"\\x{b:02x}"
            hexed = True
    return out + '"'


def run(prog, description, build):
    """A generator's main: --locales (the glibc sources) and --out; build(root) gives the
    header's lines, written whole or not at all."""
    import argparse
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--locales", default="/usr/share/i18n/locales")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if not os.path.isdir(args.locales):
        sys.exit(f"{prog}: {args.locales} is missing (install Debian's `locales` package)")
    lines = build(args.locales)
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, args.out)
