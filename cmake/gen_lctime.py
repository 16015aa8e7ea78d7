#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the LC_TIME data of the locales ntrun knows (generated/nls_lctime.h): day and month
names, AM/PM designators and Windows' date/time pictures (LOCALE_SSHORTDATE, LOCALE_SLONGDATE,
LOCALE_STIMEFORMAT), for the CRT's strftime/wcsftime (thunks/msvcrt/locale.c) and kernel32's
GetLocaleInfoEx/GetLocaleInfoW (thunks/kernel32/nls.c).

Source: glibc's locale definitions (/usr/share/i18n/locales/<ll_CC>, Debian package `locales`):
abday, day, abmon, mon (alt_mon / ab_alt_mon, the nominative forms, where the locale has them:
Windows' LOCALE_SMONTHNAME is the nominative; mon itself is then the genitive GetDateFormat
writes for MMMM beside a day number), am_pm, and d_fmt / t_fmt turned into Windows
pictures (%d -> dd, %-d -> d, %m -> MM, %Y -> yyyy, %H -> HH, %T -> HH:mm:ss ...), read by
cmake/glibc_locale.py (which lists the locales). No Wine file is read.

Windows takes its locale data from CLDR, glibc its own; where they differ, WINDOWS below gives
Windows' value, and the comment says how it is known:
- "Windows 10": the value Windows 10 gives (ntrun's earlier hand-written tables, which
  tests/pe and tests/msvc already compare against: en-US, de-DE, fr-FR);
- "CLDR": the value of CLDR's Gregorian calendar that Windows 10 and Wine 8.0 (whose locale.nls
  is built from CLDR) give; each was checked against Wine 8.0's GetLocaleInfoEx, and where Wine
  and Windows are known to differ, that is said. For the locales added later (it-IT ... uk-UA)
  CLDR's value is also the one CLDR 42 gives through Debian's libicu72 (udat_getSymbols,
  udat_toPattern; the Windows picture of the date pattern is Wine 8.0's, which writes the year
  as yyyy where CLDR's short pattern has yy or y). None of those was checked on a Windows
  machine.
Every locale needs a long date picture here (glibc has none in Windows' form).
"""
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from glibc_locale import CRT_NAMES, LOCALES, c_string, c_strings, header, locale_sections, run  # noqa: E402

FIELDS = ("abday", "day", "abmon", "mon", "gen_mon", "am", "pm", "short_date", "long_date",
          "time")

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
    "it-IT": {  # CLDR (glibc: no AM/PM, "dd/MM/yyyy")
        "am": "AM", "pm": "PM",
        "short_date": "d/M/yyyy",
        "long_date": "dddd d MMMM yyyy",
    },
    "pt-BR": {  # CLDR (glibc: "seg", "segunda", "jan", no AM/PM)
        "abday": ["dom.", "seg.", "ter.", "qua.", "qui.", "sex.", "sáb."],
        "day": ["domingo", "segunda-feira", "terça-feira", "quarta-feira", "quinta-feira",
                "sexta-feira", "sábado"],
        "abmon": ["jan.", "fev.", "mar.", "abr.", "mai.", "jun.", "jul.", "ago.", "set.", "out.",
                  "nov.", "dez."],
        "am": "AM", "pm": "PM",
        "long_date": "dddd, d 'de' MMMM 'de' yyyy",
    },
    "pt-PT": {  # CLDR: its abbreviated day names are the short forms of the full ones; AM/PM
        # CLDR's abbreviated day periods (= Wine 8.0; libicu72's wide ones: "da manhã")
        "abday": ["domingo", "segunda", "terça", "quarta", "quinta", "sexta", "sábado"],
        "day": ["domingo", "segunda-feira", "terça-feira", "quarta-feira", "quinta-feira",
                "sexta-feira", "sábado"],
        "abmon": ["jan.", "fev.", "mar.", "abr.", "mai.", "jun.", "jul.", "ago.", "set.", "out.",
                  "nov.", "dez."],
        "am": "a.m.", "pm": "p.m.",
        "long_date": "dddd, d 'de' MMMM 'de' yyyy",
    },
    "nl-NL": {  # CLDR (glibc: "dd-MM-yy", no AM/PM)
        "am": "a.m.", "pm": "p.m.",
        "short_date": "d-M-yyyy",
        "long_date": "dddd d MMMM yyyy",
    },
    "pl-PL": {  # CLDR (glibc: "nie", "pon" ..., "dd.MM.yyyy")
        "abday": ["niedz.", "pon.", "wt.", "śr.", "czw.", "pt.", "sob."],
        "am": "AM", "pm": "PM",
        "short_date": "d.MM.yyyy",
        "long_date": "dddd, d MMMM yyyy",
    },
    "sv-SE": {  # CLDR (glibc: "tor", "jan", "mar" ...)
        "abday": ["sön", "mån", "tis", "ons", "tors", "fre", "lör"],
        "abmon": ["jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.", "okt.",
                  "nov.", "dec."],
        "am": "fm", "pm": "em",
        "long_date": "dddd d MMMM yyyy",
    },
    "tr-TR": {  # CLDR (glibc: "Çrş", "Prş", "Cts", "dd-MM-yyyy")
        "abday": ["Paz", "Pzt", "Sal", "Çar", "Per", "Cum", "Cmt"],
        "short_date": "dd.MM.yyyy",
        "long_date": "d MMMM yyyy dddd",
    },
    "ko-KR": {  # CLDR (glibc pads " 1월" and writes "yyyy년 MM월 dd일", "HH시 mm분 ss초"); AM/PM
        # glibc's = CLDR's 오전/오후 (Wine 8.0: "AM", "PM")
        "abmon": [f"{m}월" for m in range(1, 13)],
        "short_date": "yyyy. M. d.",
        "long_date": "yyyy년 M월 d일 dddd",
        "time": "tt h:mm:ss",
    },
    "zh-TW": {  # CLDR (glibc: "日", "週日" as the full name, "一月", " 1月", "yyyy年MM月dd日",
        # "HH時mm分ss秒"); CLDR's time "Bh:mm:ss" (B: day period) as Windows' "tth:mm:ss"
        "abday": ["週日", "週一", "週二", "週三", "週四", "週五", "週六"],
        "day": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "abmon": [f"{m}月" for m in range(1, 13)],
        "mon": [f"{m}月" for m in range(1, 13)],
        "short_date": "yyyy/M/d",
        "long_date": "yyyy年M月d日 dddd",
        "time": "tth:mm:ss",
    },
    "en-GB": {  # glibc's "Sep" is Windows' (CLDR, Wine 8.0: "Sept"; Windows PowerShell 5.1, whose
        # .NET Framework asks Windows' NLS, prints "01Sep22" where PowerShell 7.2 on ICU prints
        # "01Sept22": PowerShell/PowerShell#18165); CLDR's "dd/MM/yyyy" (glibc "dd/MM/yy")
        "short_date": "dd/MM/yyyy",
        "long_date": "dddd, d MMMM yyyy",
    },
    "cs-CZ": {  # CLDR: glibc's day names in lower case, "čvn", "čvc" (glibc "čen", "čec")
        "abday": LOWER, "day": LOWER,
        "abmon": ["led", "úno", "bře", "dub", "kvě", "čvn", "čvc", "srp", "zář", "říj", "lis",
                  "pro"],
        "am": "dop.", "pm": "odp.",
        "short_date": "d. M. yyyy",
        "long_date": "dddd d. MMMM yyyy",
        "time": "H:mm:ss",
    },
    "uk-UA": {  # CLDR: U+02BC MODIFIER LETTER APOSTROPHE in пʼятниця (glibc: '), "dd.MM.yyyy"
        "day": ["неділя", "понеділок", "вівторок", "середа", "четвер", "п\u02bcятниця", "субота"],
        "am": "дп", "pm": "пп",
        "short_date": "dd.MM.yyyy",
        "long_date": "dddd, d MMMM yyyy\u202f'р'.",
    },
}


PICTURE = {"d": "dd", "e": "d", "m": "MM", "Y": "yyyy", "y": "yy", "H": "HH", "k": "H",
           "I": "hh", "l": "h", "M": "mm", "S": "ss", "p": "tt", "T": "HH:mm:ss",
           "r": "hh:mm:ss tt", "R": "HH:mm", "D": "MM/dd/yy", "F": "yyyy-MM-dd"}
UNPADDED = {"d": "d", "e": "d", "m": "M", "H": "H", "I": "h"}  # %-d ...


def picture(fmt):
    """A glibc strftime format as a Windows date/time picture (literal letters quoted)."""
    out, i = "", 0
    while i < len(fmt):
        c = fmt[i]
        if c == "%" and i + 1 < len(fmt):
            conv = fmt[i + 1]
            if conv == "-" and fmt[i + 2:i + 3] in UNPADDED:  # glibc's "no padding" flag
                out += UNPADDED[fmt[i + 2]]
                i += 3
                continue
            if conv not in PICTURE:
                raise SystemExit(f"gen_lctime: no picture for %{conv} in {fmt!r}")
            out += PICTURE[conv]
            i += 2
        else:
            out += f"'{c}'" if c.isascii() and c.isalpha() else c
            i += 1
    return out


def locale_data(tag, glibc_name, root):
    (src,), first = locale_sections("gen_lctime", root, glibc_name, "LC_TIME")

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
        # the genitive month names ("5 декабря"): glibc's mon where the locale has alt_mon
        "gen_mon": names("mon", None, 12) if "alt_mon" in src else None,
        "am": am_pm[0],
        "pm": am_pm[1],
        "short_date": picture(first(src, "d_fmt")) if "d_fmt" in src else None,
        "long_date": None,
        "time": picture(first(src, "t_fmt")) if "t_fmt" in src else None,
    }
    for k, v in WINDOWS.get(tag, {}).items():
        data[k] = [n.lower() for n in data[k]] if v is LOWER else v
    if data["gen_mon"] is None:
        data["gen_mon"] = data["mon"]
    for k in FIELDS:
        if data[k] is None:
            raise SystemExit(f"gen_lctime: {tag}: no {k} (add Windows' value to WINDOWS)")
    return data


def build(root):
    comment = [
        "/* Generated by cmake/gen_lctime.py from glibc's locale sources (see there for the",
        " * corrections to Windows' values). LC_TIME of each locale, 43 NUL-ended strings in the",
        " * order of nls_lctime's fields (UTF-8): abbreviated and full day names (Sunday first),",
        " * abbreviated and full month names, AM, PM, short date, long date and time pictures. */",
    ]
    lines = [f"#define NLS_LCTIME_COUNT {len(LOCALES)}"]
    tags, genitive, strings = [], {}, []
    for tag, glibc_name, _, _ in LOCALES:
        d = locale_data(tag, glibc_name, root)
        genitive[tag] = d["gen_mon"]
        tags.append(f'"{tag}"')
        one = []
        for k in ("abday", "day", "abmon", "mon"):
            one += d[k]
        one += [d[k] for k in ("am", "pm", "short_date", "long_date", "time")]
        assert len(one) == 43
        strings.append(f"    /* {tag} */ " + c_strings(one, "    "))
    lines.append("#define NLS_LCTIME_STRINGS \\")
    lines.append(" \\\n".join(strings))
    lines.append("/* the tags in the order of NLS_LCTIME_STRINGS */")
    lines.append("#define NLS_LCTIME_TAGS " + ", ".join(tags))
    lines.append("#define NLS_LCTIME_LCIDS " + ", ".join(f"0x{l:04x}" for _, _, l, _ in LOCALES))
    lines.append("#define NLS_LCTIME_ANSI_CPS " + ", ".join(str(c) for _, _, _, c in LOCALES))
    lines.append("/* the C runtimes' names of each locale: language, country, OEM code page, another"
                 " Language_Country name it takes or NULL (cmake/glibc_locale.py's CRT_NAMES) */")
    lines.append("#define NLS_LCTIME_CRT_NAMES " + ", ".join(
        "{%s, %s, %d, %s}" % (c_string(CRT_NAMES[t][0]), c_string(CRT_NAMES[t][1]), CRT_NAMES[t][2],
                              c_string(CRT_NAMES[t][3]) if CRT_NAMES[t][3] else "NULL")
        for t, _, _, _ in LOCALES))
    lines.append("/* the genitive month names of each locale (GetDateFormat's MMMM beside a day"
                 " number; the nominative ones where the language has no other form) */")
    lines.append("#define NLS_LCTIME_GENITIVE_STRINGS \\")
    lines.append(" \\\n".join(
        f"    /* {t} */ " + c_strings(genitive[t], "    ") for t, _, _, _ in LOCALES))
    return header("NTRUN_NLS_LCTIME_H", comment, lines)


if __name__ == "__main__":
    run("gen_lctime", __doc__.split("\n")[0], build)
