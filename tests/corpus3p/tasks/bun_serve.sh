# Bun 1.4.5 (see bun_version): Bun.serve on the loopback answering Bun's own fetch (lib/fetch-
# checks.js: a GET with a header and a query, a POST with a JSON body, 20 requests at once), then
# server.stop. Bun takes its socket calls from wsock32.dll by ordinal (ioctlsocket is #12 there,
# #10 in ws2_32); its listening socket must be non-blocking (libuv's uv_poll_init_socket) for
# uSockets' accept loop.
use fetch-checks
put serve.js '
import { echo, fetchChecks } from "./fetch-checks.js";
const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: echo });
await fetchChecks(`http://127.0.0.1:${server.port}`);
server.stop(true);
console.log("stopped");
'
run bun serve.js
expect_stdout "get: 200 application/json;charset=utf-8 $fetch_checks_get_body
${fetch_checks_lines}stopped
"
expect_exit 0
