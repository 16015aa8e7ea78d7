# Node.js 26.10.0: standard input as a filter reads it, from a pipe (a FIFO another process
# writes, which Node.js opens as a named pipe: libuv's pipe stream) and from a file (libuv's
# file stream): lines counted, sorted and summed, a JSON document reformatted, readline's line
# events.
differs wine "Wine 8.0's prefix says Windows 7, which Node.js refuses before running a script"
put filter.js 'let text = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (c) => { text += c; });
process.stdin.on("end", () => {
  const lines = text.split("\\n").filter(Boolean);
  const nums = lines.map(Number).filter((n) => !Number.isNaN(n));
  console.log(lines.length, nums.reduce((a, b) => a + b, 0), lines.sort().join("|"));
});
'
mkfifo "$tmp/in"
(printf '3\n10\nx\n-4\n' > "$tmp/in") &
stdin_file=$tmp/in
run node filter.js
wait
expect_stdout '4 9 -4|10|3|x\n'
expect_exit 0
stdin '{"b": [1, 2], "a": {"c": true}}'
run node -e 'let s = ""; process.stdin.on("data", (c) => (s += c)).on("end", () => console.log(JSON.stringify(JSON.parse(s), null, 2)))'
expect_stdout '{\n  "b": [\n    1,\n    2\n  ],\n  "a": {\n    "c": true\n  }\n}\n'
expect_exit 0
mkfifo "$tmp/in2"
(printf 'first line\nsecond\n\nlast, no newline' > "$tmp/in2") &
stdin_file=$tmp/in2
run node -e 'const rl = require("readline").createInterface({ input: process.stdin }); let n = 0;
rl.on("line", (l) => console.log(++n, JSON.stringify(l))); rl.on("close", () => console.log("closed after", n));'
wait
expect_stdout '1 "first line"\n2 "second"\n3 ""\n4 "last, no newline"\nclosed after 4\n'
expect_exit 0
