# workerd 1.20261023.1 (Cloudflare's Workers runtime: C++ with V8 and BoringSSL, Rust parts,
# lld-link, msvcp140 from hermesc's folder as for PostgreSQL): `workerd test` of a one-worker
# config (Cap'n Proto text with the module embedded) whose ES module exports four tests: an
# arithmetic check, a SHA-256 through crypto.subtle (the FIPS 180-2 "abc" vector), a fetch to the
# worker's own fetch handler through a service binding with a text binding in the answer, and a
# test that throws. workerd reports each test on stderr ([ PASS ] / [ FAIL ], with timings,
# compared here without them) and exits 1 because one failed. At start-up its TLS verifier
# (rustls-platform-verifier) makes a crypt32 certificate chain engine.
put config.capnp 'using Workerd = import "/workerd/workerd.capnp";\n\nconst config :Workerd.Config = (\n  services = [ (name = "main", worker = .mainWorker) ],\n);\n\nconst mainWorker :Workerd.Worker = (\n  modules = [ (name = "worker", esModule = embed "worker.js") ],\n  compatibilityDate = "2024-01-01",\n  bindings = [ (name = "SELF", service = "main"), (name = "GREETING", text = "hello") ],\n);\n'
put worker.js 'export default {\n  async fetch(req, env) {\n    return new Response(env.GREETING + " " + new URL(req.url).pathname);\n  }\n};\nexport const arithmetic = {\n  async test() {\n    if (6 * 7 !== 42) throw new Error("arithmetic is broken");\n  }\n};\nexport const digest = {\n  async test() {\n    const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode("abc"));\n    const hex = [...new Uint8Array(d)].map(b => b.toString(16).padStart(2, "0")).join("");\n    if (hex !== "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") throw new Error(hex);\n  }\n};\nexport const service_binding = {\n  async test(ctrl, env) {\n    const text = await (await env.SELF.fetch("http://example.test/some/path")).text();\n    if (text !== "hello /some/path") throw new Error(text);\n  }\n};\nexport const failing = {\n  async test() {\n    throw new Error("this test fails on purpose");\n  }\n};\n'
differs wine 'Wine 8.0 has no FileCompressionInformation: "config.capnp: GetFileInformationByHandleEx(FileCompressionInfo): #1 Invalid function" (exit 1)'
program hermesc
export NTRUN_DLL_PATH="${exe%/*}"
run workerd --version
expect_stdout 'workerd 2026-10-23\n'
expect_exit 0
run workerd test config.capnp
expect_exit 1
sed -n 's/.*\[ \(PASS\|FAIL\) \] \([^ ]*\).*/\1 \2/p' "$tmp/stderr.last" > results.txt
expect_file results.txt 'PASS main:arithmetic\nPASS main:digest\nFAIL main:failing\nPASS main:service_binding\n'
run workerd test config.capnp main:digest
expect_exit 0
sed -n 's/.*\[ \(PASS\|FAIL\) \] \([^ ]*\).*/\1 \2/p' "$tmp/stderr.last" > results.txt
expect_file results.txt 'PASS main:digest\n'
