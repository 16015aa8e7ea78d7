# Node.js 26.10.0: -e and -p scripts computing something: a sieve of primes, BigInt, JSON,
# regular expressions, Map and typed arrays, Math, dates in UTC, an exit code set by the script
# (process.exitCode) and an uncaught exception (exit 1, its message on stderr).
differs wine "Wine 8.0's prefix says Windows 7, which Node.js refuses before running a script"
run node -e 'const N = 100, s = new Uint8Array(N + 1); const p = [];
for (let i = 2; i <= N; i++) { if (!s[i]) { p.push(i); for (let j = i * i; j <= N; j += i) s[j] = 1; } }
console.log(p.length, p.slice(-5).join(" "));
let f = 1n; for (let i = 1n; i <= 30n; i++) f *= i; console.log(f.toString(), (f % 1000007n).toString(16));
const o = JSON.parse("{\"b\":[1,2,{\"c\":null}],\"a\":\"x\\u00e9\"}");
console.log(JSON.stringify(o, Object.keys(o).sort()), JSON.stringify({n: 1.5e300, s: "tab\t"}));
console.log("2026-12-05, 1999-01-31".replace(/(\d+)-(\d+)-(\d+)/g, "$3/$2/$1"));
const m = new Map(); for (const w of "the cat and the hat and the bat".split(" ")) m.set(w, (m.get(w) || 0) + 1);
console.log([...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(e => e.join("=")).join(","));
console.log(Math.sqrt(2), Math.hypot(3, 4), (0.1 + 0.2).toFixed(20), Number.MAX_SAFE_INTEGER.toString(36));
console.log(new Date(Date.UTC(2024, 1, 29, 12, 30)).toISOString(), new Date(1e12).toUTCString());
process.exitCode = 3;'
expect_stdout '25 73 79 83 89 97
265252859812191058636308480000000 c1063
{"a":"xé","b":[1,2,{}]} {"n":1.5e+300,"s":"tab\\t"}
05/12/2026, 31/01/1999
the=3,and=2,bat=1,cat=1,hat=1
1.4142135623730951 5 0.30000000000000004441 2gosa7pa2gv
2024-02-29T12:30:00.000Z Sun, 09 Sep 2001 01:46:40 GMT
'
expect_exit 3
run node -p '[1, 2, 3].map(x => x * x).reduce((a, b) => a + b) + " " + typeof require("fs").readFileSync'
expect_stdout '14 function\n'
expect_exit 0
run node -e 'throw new Error("boom")'
expect_stdout ''
expect_exit 1
