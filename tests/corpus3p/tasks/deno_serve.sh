# Deno 2.9.6 (see deno_version): an HTTP server of its own on the loopback (Deno.serve: hyper on
# tokio, whose mio reactor polls sockets through the \Device\Afd driver) answering its own
# fetch (hyper's client; lib/fetch-checks.js: a GET with a header and a query, a POST with a JSON
# body, 20 requests at once), a chunked streamed body, a WebSocket echo (Deno.upgradeWebSocket
# and the WebSocket client), a graceful shutdown; then a TCP echo with Deno.listen and Deno.connect. The server's
# sockets come from accept() on a non-blocking listener, whose mode they inherit (pe.ws_accept_
# nonblocking: ntrun left them blocking and the server hung in its second recv).
differs wine 'see deno_version'
export DENO_DIR=deno-dir NO_COLOR=1
use fetch-checks
put serve.ts '
import { echo, fetchChecks } from "./fetch-checks.js";
const ac = new AbortController();
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen() {} }, async (req) => {
  const url = new URL(req.url);
  if (url.pathname === "/ws") {
    const { socket, response } = Deno.upgradeWebSocket(req);
    socket.onmessage = (e) => socket.send("ws:" + String(e.data).toUpperCase());
    return response;
  }
  if (url.pathname === "/stream") {
    let i = 0;
    const body = new ReadableStream({ pull(c) { if (i < 3) c.enqueue(new TextEncoder().encode(`chunk${i++};`)); else c.close(); } });
    return new Response(body);
  }
  return echo(req);
});
const base = `http://127.0.0.1:${server.addr.port}`;
await fetchChecks(base);
const s = await fetch(`${base}/stream`);
console.log("stream:", s.headers.get("transfer-encoding"), await s.text());
const ws = new WebSocket(`ws://127.0.0.1:${server.addr.port}/ws`);
const got = await new Promise((res) => { ws.onopen = () => ws.send("hi there"); ws.onmessage = (e) => res(e.data); });
console.log("websocket:", got);
ws.close();
await new Promise((res) => (ws.onclose = res));
ac.abort();
await server.finished;
console.log("server finished");
const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
(async () => { for await (const c of l) { const buf = new Uint8Array(64); const n = await c.read(buf); await c.write(new TextEncoder().encode("echo:" + new TextDecoder().decode(buf.subarray(0, n!)).toUpperCase())); c.close(); } })();
const c = await Deno.connect({ hostname: "127.0.0.1", port: (l.addr as Deno.NetAddr).port });
await c.write(new TextEncoder().encode("hello"));
const out = new Uint8Array(64); const n = await c.read(out);
console.log("tcp:", new TextDecoder().decode(out.subarray(0, n!)));
c.close(); l.close();
'
run deno run -A serve.ts
expect_stdout "get: 200 application/json $fetch_checks_get_body
${fetch_checks_lines}stream: chunked chunk0;chunk1;chunk2;
websocket: ws:HI THERE
server finished
tcp: echo:HELLO
"
expect_exit 0
