# Bun 1.4.5 (see bun_version): child processes of bun.exe itself. Bun.spawnSync's exit code and
# output (Bun then asks kernel32!GetProcessIoCounters for the child's resource usage), standard
# input from a Buffer, stderr apart and an environment of the parent's choosing, a cwd; then
# Bun.spawn with its stdout read as a stream and its exit code awaited.
differs wine 'Wine 8.0 (with reference.sh'"'"'s bcryptprimitives.dll) runs Bun, but its writes into a folder it has just made fail: "ENOENT: no such file or directory"'
put spawn.js 'const exe = process.execPath;
const a = Bun.spawnSync([exe, "-e", "console.log(\\"child\\", 6 * 7); process.exit(3)"]);
console.log(a.exitCode, JSON.stringify(a.stdout.toString()), a.success, a.pid > 0);
const b = Bun.spawnSync([exe, "-e", "process.stdin.on(\\"data\\", d => process.stdout.write(String(d).toUpperCase()))"], { stdin: Buffer.from("piped in\\n") });
console.log(b.exitCode, JSON.stringify(b.stdout.toString()));
const c = Bun.spawnSync([exe, "-e", "console.error(\\"to stderr\\"); console.log(process.env.NTRUN_X)"], { env: { ...process.env, NTRUN_X: "from the parent" } });
console.log(c.exitCode, JSON.stringify(c.stdout.toString()), JSON.stringify(c.stderr.toString()));
const fs = require("fs");
fs.mkdirSync("sub", { recursive: true });
fs.writeFileSync("sub/f.txt", "in sub\\n");
const d = Bun.spawnSync([exe, "-e", "console.log(require(\\"fs\\").readFileSync(\\"f.txt\\", \\"utf8\\").trim())"], { cwd: "sub" });
console.log(d.exitCode, JSON.stringify(d.stdout.toString()));
fs.rmSync("sub", { recursive: true });
const p = Bun.spawn([exe, "-e", "setTimeout(() => { console.log(\\"async child\\"); process.exit(5) }, 10)"], { stdout: "pipe" });
const out = await new Response(p.stdout).text();
console.log(await p.exited, JSON.stringify(out));
'
run bun spawn.js
expect_stdout '3 "child 42\\n" false true
0 "PIPED IN\\n"
0 "from the parent\\n" "to stderr\\n"
0 "in sub\\n"
5 "async child\\n"
'
expect_exit 0
