// SPDX-License-Identifier: MIT
// What tasks/bun_serve.sh and tasks/deno_serve.sh share (`use fetch-checks` puts this file in
// the task's folder): the handler their HTTP servers answer with, echoing the request as JSON,
// and the requests their own fetch makes of it: a GET with a header and a query, a POST with a
// JSON body, 20 requests at once. lib/fetch-checks.sh has the lines they print.
export async function echo(req) {
  const url = new URL(req.url);
  const body = req.method === "POST" ? await req.text() : "";
  return Response.json({ method: req.method, path: url.pathname, q: url.searchParams.get("q"), body, x: req.headers.get("x-test") });
}

export async function fetchChecks(base) {
  const a = await fetch(`${base}/hello?q=1`, { headers: { "x-test": "yes" } });
  console.log("get:", a.status, a.headers.get("content-type"), await a.text());
  const b = await fetch(`${base}/post`, { method: "POST", body: JSON.stringify({ x: [1, 2] }) });
  console.log("post:", b.status, await b.text());
  const many = await Promise.all(Array.from({ length: 20 }, (_, i) => fetch(`${base}/n${i}`).then((r) => r.json())));
  console.log("parallel:", many.length, many.map((j) => j.path).join(","));
}
