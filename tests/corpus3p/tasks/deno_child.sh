# Deno 2.9.6 (see deno_version): child processes of deno.exe itself with Deno.Command: output()
# with stdout and stderr piped and an exit code, then spawn() writing the child's standard input
# through a stream and reading its output.
differs wine 'see deno_version'
export DENO_DIR=deno-dir NO_COLOR=1
put ch.ts 'const cmd = new Deno.Command(Deno.execPath(), { args: ["eval", "console.log(\\"child\\", 6 * 7); console.error(\\"to stderr\\"); Deno.exit(3)"], stdout: "piped", stderr: "piped" });
const r = await cmd.output();
console.log(r.code, r.success, JSON.stringify(new TextDecoder().decode(r.stdout)), JSON.stringify(new TextDecoder().decode(r.stderr)));
const p = new Deno.Command(Deno.execPath(), { args: ["eval", "const t = await new Response(Deno.stdin.readable).text(); console.log(t.toUpperCase().trim())"], stdin: "piped", stdout: "piped" }).spawn();
const w = p.stdin.getWriter();
await w.write(new TextEncoder().encode("piped in\\n"));
await w.close();
const o = await p.output();
console.log(o.code, JSON.stringify(new TextDecoder().decode(o.stdout)));
'
run deno run -A ch.ts
expect_stdout '3 false "child 42\\n" "to stderr\\n"\n0 "PIPED IN\\n"\n'
expect_exit 0
