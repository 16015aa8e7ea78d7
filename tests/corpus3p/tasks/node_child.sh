# Node.js 26.10.0: child processes of node.exe itself (libuv's uv_spawn: CreateProcess with the
# child's stdio on overlapped named pipes, \\.\pipe\uv\...): execFileSync's output, spawnSync
# feeding standard input and reading stdout, stderr and the exit status, a failing child's
# status, and spawn with its stdout read as events. (Commands through the shell: node_shell.)
differs wine "Wine 8.0's prefix says Windows 7, which Node.js refuses before running a script"
put child.js 'const cp = require("child_process");
const out = cp.execFileSync(process.execPath, ["-e", "console.log(6 * 7)"], { encoding: "utf8" });
console.log("execFileSync:", out.trim());
const r = cp.spawnSync(process.execPath, ["-e", "let s = \\"\\"; process.stdin.on(\\"data\\", (c) => (s += c)).on(\\"end\\", () => { console.log(s.toUpperCase().trim()); console.error(\\"to stderr\\"); process.exit(5); })"],
  { input: "piped in\\n", encoding: "utf8" });
console.log("spawnSync:", r.status, JSON.stringify(r.stdout), JSON.stringify(r.stderr));
try { cp.execFileSync(process.execPath, ["-e", "process.exit(3)"], { stdio: "pipe" }); } catch (e) { console.log("failed child:", e.status); }
const c = cp.spawn(process.execPath, ["-e", "for (let i = 0; i < 3; i++) console.log(\\"line\\", i)"]);
let got = "";
c.stdout.on("data", (d) => (got += d));
c.on("close", (code) => console.log("spawn:", code, got.trim().split("\\n").join("|")));
'
run node child.js
expect_stdout 'execFileSync: 42
spawnSync: 5 "PIPED IN\\n" "to stderr\\n"
failed child: 3
spawn: 0 line 0|line 1|line 2
'
expect_exit 0
