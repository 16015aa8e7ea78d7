# Node.js 26.10.0 with a terminal as its console (stdin, stdout and stderr a pseudo-terminal,
# tests/tools/pty-drive.py): readline's question answered (the prompt on the terminal, a line
# typed and edited with Backspace) with the terminal's size; then process.stdin.setRawMode(true)
# reading keys as bytes (a character, an arrow key's escape sequence, Ctrl-C as the byte 3 and
# not a signal, a non-ASCII character) and setRawMode(false). Under ntrun this is libuv's console
# code: RegisterWaitForSingleObject on the input handle, ReadConsoleInputW with
# ENABLE_VIRTUAL_TERMINAL_INPUT, the line read cancelled with WriteConsoleInputW, WriteConsoleW.
# The scripts write what they got to files: the terminal's own text (escape sequences, echo)
# differs between builds.
differs wine "Wine 8.0's prefix says Windows 7, which Node.js refuses before running a script"
put ask.js 'const fs = require("fs");
const out = ["tty " + process.stdin.isTTY + " " + process.stdout.isTTY,
  "size " + process.stdout.columns + "x" + process.stdout.rows];
const rl = require("readline").createInterface({ input: process.stdin, output: process.stdout });
rl.question("name? ", (name) => {
  out.push("name " + JSON.stringify(name));
  rl.close();
  fs.writeFileSync("got.txt", out.join("\\n") + "\\n");
  console.log("done");
});
'
put ask.pty 'expect name?
send Adx\\x7fa\\r
expect done
'
run_pty ask.pty node ask.js
expect_exit 0
expect_file got.txt 'tty true true\nsize 80x24\nname "Ada"\n'
put raw.js 'const fs = require("fs");
process.stdin.setRawMode(true);
const out = ["raw " + process.stdin.isRaw];
process.stdout.write("press keys\\n");
const got = [];
process.stdin.on("data", (d) => {
  got.push(...d);
  if (!d.includes(0x2e)) return;
  process.stdin.setRawMode(false);
  out.push("keys " + JSON.stringify(Buffer.from(got).toString("utf8")), "raw " + process.stdin.isRaw);
  fs.writeFileSync("keys.txt", out.join("\\n") + "\\n");
  process.stdin.pause();
  console.log("done");
});
'
put raw.pty 'expect press keys
send x
send \\x1b[A
send \\x03
send \\u00e9
send .
expect done
'
run_pty raw.pty node raw.js
expect_exit 0
expect_file keys.txt 'raw true\nkeys "x\\u001b[A\\u0003\303\251."\nraw false\n'
