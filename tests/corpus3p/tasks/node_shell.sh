# Node.js 26.10.0: commands through the shell (child_process with shell: true: cmd.exe /d /s /c
# on Windows, /bin/sh -c on Linux). libuv looks for C:\windows\system32\cmd.exe as a file before
# it starts it; under ntrun that file is the stand-in of the built-in cmd (docs/design.md).
# execSync's output, a failing command's exit status, exec with a pipe into node.exe itself, and
# spawn with shell: true. The outputs are trimmed: cmd's echo ends lines with CR LF.
differs wine "Wine 8.0's prefix says Windows 7, which Node.js refuses before running a script"
put shell.js 'const cp = require("child_process");
console.log("execSync:", JSON.stringify(cp.execSync("echo hi", { encoding: "utf8" }).trim()));
try { cp.execSync("exit 3", { stdio: "pipe" }); } catch (e) { console.log("exit status:", e.status); }
const node = JSON.stringify(process.execPath);
cp.exec("echo hello pipe| " + node + " -e \\"process.stdin.on(String.fromCharCode(100,97,116,97), (d) => process.stdout.write(String(d).toUpperCase()))\\"", (e, out, err) => {
  console.log("exec:", e, JSON.stringify(out.trim()), JSON.stringify(err));
  const c = cp.spawn("echo spawned", { shell: true });
  let got = "";
  c.stdout.on("data", (d) => (got += d));
  c.on("close", (code) => console.log("spawn:", code, JSON.stringify(got.trim())));
});
'
run node shell.js
expect_stdout 'execSync: "hi"
exit status: 3
exec: null "HELLO PIPE" ""
spawn: 0 "spawned"
'
expect_exit 0
