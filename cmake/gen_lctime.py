#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the LC_TIME data of the locales ntrun knows (generated/nls_lctime.h): day and month
names, AM/PM designators and Windows' date/time pictures (LOCALE_SSHORTDATE, LOCALE_SLONGDATE,
LOCALE_STIMEFORMAT), for the CRT's strftime/wcsftime (thunks/msvcrt/locale.c) and kernel32's
GetLocaleInfoEx/GetLocaleInfoW (thunks/kernel32/nls.c).

Source: glibc's locale definitions (/usr/share/i18n/locales/<ll_CC>, Debian package `locales`):
abday, day, abmon, mon (alt_mon / ab_alt_mon, the nominative forms, where the locale has them:
Windows' LOCALE_SMONTHNAME is the nominative), am_pm, and d_fmt / t_fmt turned into Windows
pictures (%d -> dd, %m -> MM, %Y -> yyyy, %H -> HH, %T -> HH:mm:ss ...). No Wine file is read.

Windows takes its locale data from CLDR, glibc its own; where they differ, WINDOWS below gives
Windows' value, and the comment says how it is known:
- "Windows 10": the value Windows 10 gives (ntrun's earlier hand-written tables, which
  tests/pe and tests/msvc already compare against: en-US, de-DE, fr-FR);
- "CLDR": the value of CLDR's Gregorian calendar that Windows 10 and Wine 8.0 (whose locale.nls
  is built from CLDR) give; each was checked against Wine 8.0's GetLocaleInfoEx, and where Wine
  and Windows are known to differ, that is said.
Every locale needs a long date picture here (glibc has none in Windows' form).
"""
import argparse
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
]

FIELDS = ("abday", "day", "abmon", "mon", "am", "pm", "short_date", "long_date", "time")

LOWER = "lower"  # glibc's names in lower case

WINDOWS = {
    "en-US": {  # Windows 10
        "short_date": "M/d/yyyy",
        "long_date": "dddd, MMMM d, yyyy",
        "time": "h:mm:ss tt",
    },
    "de-DE": {  # Windows 10 (Wine 8.0, CLDR: "So.", "d.M.yyyy")
        "am": "AM", "pm": "PM",
        "long_date": "dddd, d. MMMM yyyy",
    },
    "fr-FR": {  # Windows 10 (= CLDR and Wine 8.0)
        "abmon": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
                  "oct.", "nov.", "déc."],
        "am": "AM", "pm": "PM",
        "long_date": "dddd d MMMM yyyy",
    },
    "es-ES": {  # CLDR
        "abmon": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov",
                  "dic"],
        "am": "a.\u202fm.", "pm": "p.\u202fm.",  # U+202F NARROW NO-BREAK SPACE
        "short_date": "d/M/yyyy",
        "long_date": "dddd, d 'de' MMMM 'de' yyyy",
        "time": "H:mm:ss",
    },
    "ru-RU": {  # CLDR: glibc's names in lower case, CLDR's stand-alone month abbreviations
        "abday": LOWER, "day": LOWER, "mon": LOWER,
        "abmon": ["янв.", "февр.", "март", "апр.", "май", "июнь", "июль", "авг.", "сент.",
                  "окт.", "нояб.", "дек."],
        "am": "AM", "pm": "PM",
        "long_date": "dddd, d MMMM yyyy\u202f'г'.",
    },
    "ja-JP": {  # CLDR (glibc pads " 1月"); Windows 10's own short date may be yyyy/MM/dd
        "abmon": [f"{m}月" for m in range(1, 13)],
        "short_date": "yyyy/M/d",
        "long_date": "yyyy年M月d日dddd",
        "time": "H:mm:ss",
    },
    "zh-CN": {  # CLDR
        "abday": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
        "short_date": "yyyy/M/d",
        "long_date": "yyyy年M月d日dddd",
        "time": "HH:mm:ss",
    },
}


def parse_locale(path, seen=None, section="LC_TIME"):
    """The keywords of one section (LC_TIME) of a glibc locale source: {key: [strings]}; a
    keyword whose value is not quoted (grouping 3;3, frac_digits 2) as [its text]."""
    seen = seen or set()
    if path in seen:
        raise SystemExit(f"gen_lctime: copy loop at {path}")
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
        raise SystemExit(f"gen_lctime: {path}: no {section} section")
    out = {}
    for line in lines:
        m = re.match(r"(\S+)\s*(.*)", line)
        key, rest = m.group(1), m.group(2)
        if key == "copy":
            base = parse_locale(os.path.join(os.path.dirname(path), rest.strip('"')), seen,
                                section)
            for k, v in base.items():
                out.setdefault(k, v)
            continue
        if '"' not in rest:
            out[key] = [rest.strip()]
            continue
        out[key] = [decode(s, escape) for s in re.findall(r'"((?:[^"]|' + re.escape(escape) + '")*)"', rest)]
    return out


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


PICTURE = {"d": "dd", "e": "d", "m": "MM", "Y": "yyyy", "y": "yy", "H": "HH", "k": "H",
           "I": "hh", "l": "h", "M": "mm", "S": "ss", "p": "tt", "T": "HH:mm:ss",
           "r": "hh:mm:ss tt", "R": "HH:mm", "D": "MM/dd/yy", "F": "yyyy-MM-dd"}


def picture(fmt):
    """A glibc strftime format as a Windows date/time picture (literal letters quoted)."""
    out, i = "", 0
    while i < len(fmt):
        c = fmt[i]
        if c == "%" and i + 1 < len(fmt):
            conv = fmt[i + 1]
            if conv not in PICTURE:
                raise SystemExit(f"gen_lctime: no picture for %{conv} in {fmt!r}")
            out += PICTURE[conv]
            i += 2
        else:
            out += f"'{c}'" if c.isascii() and c.isalpha() else c
            i += 1
    return out


def locale_data(tag, glibc_name, root):
    src = parse_locale(os.path.join(root, glibc_name))

    def names(key, alt, n):
        v = src.get(alt) or src.get(key)
        if not v or len(v) != n:
            raise SystemExit(f"gen_lctime: {glibc_name}: {key} has {len(v or [])} names, not {n}")
        return v

    am_pm = src.get("am_pm", ["", ""])
    data = {
        "abday": names("abday", None, 7),
        "day": names("day", None, 7),
        "abmon": names("abmon", "ab_alt_mon", 12),
        "mon": names("mon", "alt_mon", 12),
        "am": am_pm[0],
        "pm": am_pm[1],
        "short_date": picture(src["d_fmt"][0]) if "d_fmt" in src else None,
        "long_date": None,
        "time": picture(src["t_fmt"][0]) if "t_fmt" in src else None,
    }
    for k, v in WINDOWS.get(tag, {}).items():
        data[k] = [n.lower() for n in data[k]] if v is LOWER else v
    for k in FIELDS:
        if data[k] is None:
            raise SystemExit(f"gen_lctime: {tag}: no {k} (add Windows' value to WINDOWS)")
    return data


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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--locales", default="/usr/share/i18n/locales")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if not os.path.isdir(args.locales):
        sys.exit(f"gen_lctime: {args.locales} is missing (install Debian's `locales` package)")
    lines = [
        "/* Generated by cmake/gen_lctime.py from glibc's locale sources (see there for the",
        " * corrections to Windows' values). LC_TIME of each locale as a crt_timenames initializer",
        " * (UTF-8): abbreviated and full day names (Sunday first), abbreviated and full month",
        " * names, AM, PM, short date, long date and time pictures. */",
        "#ifndef NTRUN_NLS_LCTIME_H",
        "#define NTRUN_NLS_LCTIME_H",
        f"#define NLS_LCTIME_COUNT {len(LOCALES)}",
    ]
    tags = []
    for tag, glibc_name, _, _ in LOCALES:
        d = locale_data(tag, glibc_name, args.locales)
        ident = tag.replace("-", "_")
        tags.append(f'"{tag}"')
        parts = []
        for k in ("abday", "day", "abmon", "mon"):
            parts.append("{" + ", ".join(c_string(s) for s in d[k]) + "}")
        for k in ("am", "pm", "short_date", "long_date", "time"):
            parts.append(c_string(d[k]))
        lines.append(f"#define NLS_LCTIME_{ident} \\")
        lines.append("    {" + ", \\\n     ".join(parts) + "}")
    lines.append("/* the tags in the order of NLS_LCTIME_LIST */")
    lines.append("#define NLS_LCTIME_TAGS " + ", ".join(tags))
    lines.append("#define NLS_LCTIME_LIST " + ", ".join(
        "NLS_LCTIME_" + t.replace("-", "_") for t, _, _, _ in LOCALES))
    lines.append("#define NLS_LCTIME_LCIDS " + ", ".join(f"0x{l:04x}" for _, _, l, _ in LOCALES))
    lines.append("#define NLS_LCTIME_ANSI_CPS " + ", ".join(str(c) for _, _, _, c in LOCALES))
    lines.append("#endif")
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
