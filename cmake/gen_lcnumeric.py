#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the number and currency data of the locales ntrun knows (generated/nls_lcnumeric.h) as
Windows' LCTYPE strings, for kernel32's GetLocaleInfoEx/GetNumberFormatEx/GetCurrencyFormatEx
(thunks/kernel32/nls.c, nls_format.c) and the CRT's localeconv (thunks/msvcrt/locale.c).

Source: glibc's locale definitions (/usr/share/i18n/locales/<ll_CC>, Debian package `locales`,
read by cmake/glibc_locale.py as for cmake/gen_lctime.py), turned into Windows' form:
- LC_NUMERIC decimal_point, thousands_sep -> LOCALE_SDECIMAL, LOCALE_STHOUSAND; grouping
  (C's list, the last size repeating) -> LOCALE_SGROUPING ("3;3" and "3" -> "3;0": Windows'
  ";0" says "repeat the last group");
- LC_MONETARY currency_symbol -> SCURRENCY; int_curr_symbol without its separator -> SINTLSYMBOL;
  mon_decimal_point, mon_thousands_sep, mon_grouping -> SMONDECIMALSEP, SMONTHOUSANDSEP,
  SMONGROUPING; frac_digits, int_frac_digits -> ICURRDIGITS, IINTLCURRDIGITS; positive_sign,
  negative_sign -> SPOSITIVESIGN, SNEGATIVESIGN; p_cs_precedes/p_sep_by_space -> ICURRENCY
  and n_cs_precedes/n_sep_by_space/n_sign_posn -> INEGCURR (the 4 and 16 patterns of
  Microsoft's LOCALE_ICURRENCY and LOCALE_INEGCURR pages);
- LC_MEASUREMENT measurement (1 metric, 2 US) -> LOCALE_IMEASURE (0 metric, 1 US);
- LOCALE_SLIST (glibc has none): ";" where the decimal separator is ",", else ",";
- LOCALE_IDIGITS 2, ILZERO 1, INEGNUMBER 1 ("-1.1"): glibc has no such fields, and Windows 10
  gives these values for every locale here.

Windows 10 (1809 and later) and Windows 11 take their locale data from CLDR, glibc from its own
sources; where Windows differs, WINDOWS below gives Windows' value and says how it is known.
Wine 8.0 (locale data from CLDR) is a second opinion only; where it differs from Windows, that
is said too. No Wine file is read.
"""
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from glibc_locale import LOCALES, c_string, c_strings, header, locale_sections, run  # noqa: E402

# The LCTYPE strings, in the order of the generated strings (NLS_NUM_*, nls_tables.c).
FIELDS = ("decimal", "thousand", "grouping", "digits", "lzero", "negnumber", "positive",
          "negative", "currency", "intl_symbol", "mon_decimal", "mon_thousand", "mon_grouping",
          "curr_digits", "intl_curr_digits", "icurrency", "inegcurr", "list", "measure")

WINDOWS = {
    "en-US": {
        # Windows: "($1.10)" (LOCALE_INEGCURR 0; .NET Framework's CurrencyNegativePattern 0 on
        # Windows, = Wine 8.0); glibc: "-$1.10"
        "inegcurr": "0",
    },
    "fr-FR": {
        # Windows 10 1809 and later give U+202F NARROW NO-BREAK SPACE, CLDR's and glibc's
        # value; ntrun takes it. Windows before 1809 and Wine 8.0: U+00A0.
        # Windows: "-1 234,50 €" (INEGCURR 8, as de-DE; Wine 8.0: 15, "(1 234,50 €)")
    },
    "ru-RU": {
        # Windows: U+00A0 NO-BREAK SPACE (= Wine 8.0); glibc: U+202F
        "thousand": "\u00a0", "mon_thousand": "\u00a0",
    },
    "ja-JP": {
        # Windows: U+00A5 YEN SIGN (Wine 8.0, CLDR, glibc: U+FFE5 FULLWIDTH YEN SIGN), and
        # "-¥1" (INEGCURR 1; glibc "¥-1"; Wine 8.0: 0, "(¥1)")
        "currency": "\u00a5", "inegcurr": "1",
    },
    "zh-CN": {
        # Windows: U+00A5 YEN SIGN (= Wine 8.0; glibc: U+FFE5), "¥-1.10" (INEGCURR 2 = glibc;
        # Wine 8.0: 0)
        "currency": "\u00a5",
    },
    # The locales added later (it-IT ... uk-UA): CLDR 42's number and currency data as Debian's
    # libicu72 gives it (unum_toPattern of UNUM_CURRENCY, unum_getSymbol), in Windows' terms;
    # Wine 8.0 gives the same but for INEGCURR, where it takes CLDR's accounting pattern (the
    # negative amount in parentheses: pt-PT, pl-PL 15, nl-NL 14, tr-TR, ko-KR, zh-TW, en-GB 0)
    # as it does for fr-FR and ja-JP above. None was checked on a Windows machine.
    "it-IT": {
        # CLDR "#,##0.00 ¤": "1,10 €", "-1,10 €" (glibc "€ 1,10", "-€ 1,10")
        "icurrency": "3", "inegcurr": "8",
    },
    "pt-PT": {
        # CLDR: thousands U+00A0 in groups of three, also for money (glibc: no thousands
        # separator, "." for money)
        "thousand": "\u00a0", "grouping": "3;0", "mon_thousand": "\u00a0",
    },
    "pl-PL": {
        # CLDR: U+00A0 NO-BREAK SPACE (glibc: U+202F)
        "thousand": "\u00a0", "mon_thousand": "\u00a0",
    },
    "sv-SE": {
        # CLDR: U+00A0 NO-BREAK SPACE (glibc: U+202F)
        "thousand": "\u00a0", "mon_thousand": "\u00a0",
    },
    "tr-TR": {
        # CLDR "¤#,##0.00": "₺1,10", "-₺1,10" (glibc "1,10 ₺", "-1,10 ₺")
        "icurrency": "0", "inegcurr": "1",
    },
    "ko-KR": {
        # CLDR "¤#,##0": "-₩1" (glibc "₩-1")
        "inegcurr": "1",
    },
    "zh-TW": {
        # "NT$" is glibc's and Windows' own (CLDR 42, Wine 8.0: "$"); "-NT$1.10" as CLDR's
        # "-¤#,##0.00" and glibc
    },
    "cs-CZ": {
        # CLDR: U+00A0 NO-BREAK SPACE (glibc: U+202F)
        "thousand": "\u00a0", "mon_thousand": "\u00a0",
    },
    "uk-UA": {
        # CLDR: the hryvnia sign U+20B4 (glibc "грн."), "1,10 ₴" (glibc without the space),
        # U+00A0 NO-BREAK SPACE (glibc: U+202F)
        "currency": "\u20b4", "icurrency": "3",
        "thousand": "\u00a0", "mon_thousand": "\u00a0",
    },
}

# (cs_precedes, sep_by_space) -> LOCALE_ICURRENCY
ICURRENCY = {(1, 0): 0, (0, 0): 1, (1, 1): 2, (0, 1): 3}
# (cs_precedes, sep_by_space, sign_posn) -> LOCALE_INEGCURR. sign_posn: 0 parentheses, 1 sign
# before all, 2 after all, 3 right before the symbol, 4 right after the symbol.
INEGCURR = {
    (1, 0, 0): 0, (1, 0, 1): 1, (1, 0, 4): 2, (1, 0, 3): 1, (1, 0, 2): 3,
    (0, 0, 0): 4, (0, 0, 1): 5, (0, 0, 3): 6, (0, 0, 4): 7, (0, 0, 2): 7,
    (0, 1, 1): 8, (1, 1, 1): 9, (1, 1, 3): 9, (0, 1, 4): 10, (0, 1, 2): 10, (1, 1, 2): 11,
    (1, 1, 4): 12, (0, 1, 3): 13, (1, 1, 0): 14, (0, 1, 0): 15,
    (1, 2, 4): 12,  # sep_by_space 2: the space between symbol and sign (nl_NL: "€ -1,10")
}


def grouping(value, where):
    """glibc's "3;3" / "3" / "-1" as Windows' "3;0"; "0" for no grouping."""
    sizes = [int(x) for x in value.split(";") if x.strip()]
    if not sizes or sizes[0] <= 0:
        return "0"
    if -1 in sizes:  # no grouping after the sizes before it
        sizes = sizes[:sizes.index(-1)]
        return ";".join(str(s) for s in sizes)
    while len(sizes) > 1 and sizes[-1] == sizes[-2]:
        sizes.pop()
    if any(s > 9 for s in sizes):
        raise SystemExit(f"gen_lcnumeric: {where}: group size over 9 in {value!r}")
    return ";".join(str(s) for s in sizes) + ";0"


def locale_data(tag, glibc_name, root):
    (num, mon, meas), get = locale_sections("gen_lcnumeric", root, glibc_name, "LC_NUMERIC",
                                            "LC_MONETARY", "LC_MEASUREMENT")

    def flag(key):
        return int(get(mon, key))

    decimal = get(num, "decimal_point")
    fix = WINDOWS.get(tag, {})
    icur = fix.get("icurrency") or ICURRENCY.get((flag("p_cs_precedes"), flag("p_sep_by_space")))
    ineg = fix.get("inegcurr") or INEGCURR.get((flag("n_cs_precedes"), flag("n_sep_by_space"),
                                                flag("n_sign_posn")))
    if icur is None or ineg is None:
        raise SystemExit(f"gen_lcnumeric: {glibc_name}: no Windows currency pattern for its "
                         "cs_precedes/sep_by_space/sign_posn")
    data = {
        "decimal": decimal,
        "thousand": get(num, "thousands_sep"),
        "grouping": grouping(get(num, "grouping"), glibc_name),
        "digits": "2", "lzero": "1", "negnumber": "1",
        "positive": get(mon, "positive_sign"),
        "negative": get(mon, "negative_sign"),
        "currency": get(mon, "currency_symbol"),
        "intl_symbol": get(mon, "int_curr_symbol")[:3],
        "mon_decimal": get(mon, "mon_decimal_point"),
        "mon_thousand": get(mon, "mon_thousands_sep"),
        "mon_grouping": grouping(get(mon, "mon_grouping"), glibc_name),
        "curr_digits": get(mon, "frac_digits"),
        "intl_curr_digits": get(mon, "int_frac_digits"),
        "icurrency": str(icur),
        "inegcurr": str(ineg),
        "list": ";" if decimal == "," else ",",
        "measure": "1" if get(meas, "measurement") == "2" else "0",
    }
    data.update(fix)
    return data


def build(root):
    comment = [
        "/* Generated by cmake/gen_lcnumeric.py from glibc's locale sources (see there for the",
        " * corrections to Windows' values). The number and currency LCTYPEs of each locale, in",
        " * the order of gen_lctime.py's locales (NLS_LCTIME_TAGS), as NUL-ended Windows strings (UTF-8): "
        + ", ".join(FIELDS) + ". */",
    ]
    entries = []
    for tag, glibc_name, _, _ in LOCALES:
        d = locale_data(tag, glibc_name, root)
        entries.append(f"    /* {tag} */ " + c_strings([d[k] for k in FIELDS], "    "))
    return header("NTRUN_NLS_LCNUMERIC_H", comment, [
        f"#define NLS_LCNUMERIC_FIELDS {len(FIELDS)}",
        "#define NLS_LCNUMERIC_STRINGS \\",
        " \\\n".join(entries),
    ])


if __name__ == "__main__":
    run("gen_lcnumeric", __doc__.split("\n")[0], build)
