# Bun 1.4.5 (see bun_version): Bun.serve on the loopback answering Bun's own fetch: a GET with a
# header and a query, a POST with a JSON body, 20 requests at once, then server.stop. Bun takes
# its socket calls from wsock32.dll by ordinal (ioctlsocket is #12 there, #10 in ws2_32); its
# listening socket must be non-blocking (libuv's uv_poll_init_socket) for uSockets' accept loop.
differs wine 'see bun_run_fs'
put serve.js '
const server = Bun.serve({ hostname: "127.0.0.1", port: 0, async fetch(req) {
  const url = new URL(req.url);
  const body = req.method === "POST" ? await req.text() : "";
  return Response.json({ method: req.method, path: url.pathname, q: url.searchParams.get("q"), body, x: req.headers.get("x-test") });
} });
const base = `http://127.0.0.1:${server.port}`;
const a = await fetch(`${base}/hello?q=1`, { headers: { "x-test": "yes" } });
console.log("get:", a.status, a.headers.get("content-type"), await a.text());
const b = await fetch(`${base}/post`, { method: "POST", body: JSON.stringify({ x: [1, 2] }) });
console.log("post:", b.status, await b.text());
const many = await Promise.all(Array.from({ length: 20 }, (_, i) => fetch(`${base}/n${i}`).then((r) => r.json())));
console.log("parallel:", many.length, many.map((j) => j.path).join(","));
server.stop(true);
console.log("stopped");
'
run bun serve.js
expect_stdout 'get: 200 application/json;charset=utf-8 {"method":"GET","path":"/hello","q":"1","body":"","x":"yes"}
post: 200 {"method":"POST","path":"/post","q":null,"body":"{\\"x\\":[1,2]}","x":null}
parallel: 20 /n0,/n1,/n2,/n3,/n4,/n5,/n6,/n7,/n8,/n9,/n10,/n11,/n12,/n13,/n14,/n15,/n16,/n17,/n18,/n19
stopped
'
expect_exit 0
