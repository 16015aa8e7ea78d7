# Node.js 26.10.0: Intl through its built-in ICU (full data): the time zone found from the
# system's (GetDynamicTimeZoneInformation, then GetUserGeoID and GetGeoInfoW for the region that
# picks the Olson name), numbers, currencies, dates in named zones, collation, plural rules,
# relative time, lists, case mapping and segmentation in several locales; then the local time
# zone as TZ sets it (the Windows zone ntrun reports for it, mapped back by ICU).
differs wine "Wine 8.0's prefix says Windows 7, which Node.js refuses before running a script"
put intl.js 'const d = new Date(Date.UTC(2026, 11, 5, 23, 53, 7));
console.log(Intl.DateTimeFormat().resolvedOptions().timeZone, d.getTimezoneOffset(), d.toString());
console.log(new Intl.NumberFormat("de-DE", { style: "currency", currency: "EUR" }).format(1234567.891));
console.log(new Intl.NumberFormat("en-IN").format(12345678.9), new Intl.NumberFormat("ja-JP", { style: "currency", currency: "JPY" }).format(5000));
console.log(new Intl.DateTimeFormat("fr-FR", { dateStyle: "full", timeStyle: "long", timeZone: "Europe/Paris" }).format(d));
console.log(d.toLocaleString("en-US", { timeZone: "America/New_York" }), d.toLocaleDateString("ja-JP", { timeZone: "Asia/Tokyo" }));
console.log(["ä", "a", "z", "Z", "é"].sort(new Intl.Collator("de").compare).join(""), ["ä", "a", "z"].sort(new Intl.Collator("sv").compare).join(""));
const pr = new Intl.PluralRules("en-US", { type: "ordinal" });
console.log([1, 2, 3, 4, 11, 22].map((n) => n + pr.select(n)).join(" "), new Intl.RelativeTimeFormat("es", { numeric: "auto" }).format(-1, "day"));
console.log(new Intl.ListFormat("en", { type: "conjunction" }).format(["a", "b", "c"]), "İstanbul".toLocaleLowerCase("tr").length, Intl.getCanonicalLocales("EN-us")[0]);
console.log(new Intl.Segmenter("en", { granularity: "word" }).segment("Hello, world!")[Symbol.iterator]().next().value.segment, (1234.5).toLocaleString());
'
run node intl.js
expect_stdout 'UTC 0 Sat Dec 05 2026 23:53:07 GMT+0000 (Coordinated Universal Time)
1.234.567,89 €
1,23,45,678.9 ￥5,000
dimanche 6 décembre 2026 à 00:53:07 UTC+1
12/5/2026, 6:53:07 PM 2026/12/6
aäézZ azä
1one 2two 3few 4other 11other 22two ayer
a, b, and c 8 en-US
Hello 1,234.5
'
expect_exit 0
export TZ=Asia/Tokyo
run node -p 'const d = new Date(Date.UTC(2026, 6, 1, 12)); Intl.DateTimeFormat().resolvedOptions().timeZone + " " + d.getTimezoneOffset() + " " + d.toString()'
expect_stdout 'Asia/Tokyo -540 Wed Jul 01 2026 21:00:00 GMT+0900 (Japan Standard Time)\n'
expect_exit 0
export TZ=America/New_York
run node -p 'const d = new Date(Date.UTC(2026, 6, 1, 12)); Intl.DateTimeFormat().resolvedOptions().timeZone + " " + d.getTimezoneOffset() + " " + d.toString()'
expect_stdout 'America/New_York 240 Wed Jul 01 2026 08:00:00 GMT-0400 (Eastern Daylight Time)\n'
expect_exit 0
export TZ=UTC
