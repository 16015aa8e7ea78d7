# Node.js 26.10.0: the network on the loopback: a TCP server and client of the net module (libuv
# over ws2_32 with AcceptEx/WSARecv on an I/O completion port), an HTTP server answering an
# http.get and a POST with a JSON body, a UDP datagram echoed by a dgram socket (WSARecvFrom),
# then dns.lookup of localhost (GetAddrInfoW). Loading the dns binding sets up c-ares, which
# ranks the DNS servers by the route to them (iphlpapi!GetBestRoute2).
differs wine "Wine 8.0's prefix says Windows 7, which Node.js refuses before running a script"
put net.js 'const net = require("net"), http = require("http"), dns = require("dns");
const srv = net.createServer((c) => { c.setEncoding("utf8"); c.on("data", (d) => c.end("echo:" + d.toUpperCase())); });
srv.listen(0, "127.0.0.1", () => {
  const c = net.connect(srv.address().port, "127.0.0.1", () => c.write("hello"));
  let got = ""; c.setEncoding("utf8"); c.on("data", (d) => (got += d));
  c.on("end", () => { console.log("tcp:", got); srv.close(); web(); });
});
function web() {
  const h = http.createServer((q, r) => {
    let body = ""; q.on("data", (d) => (body += d));
    q.on("end", () => { r.setHeader("content-type", "application/json"); r.end(JSON.stringify({ method: q.method, url: q.url, body })); });
  });
  h.listen(0, "127.0.0.1", () => {
    const port = h.address().port;
    http.get({ host: "127.0.0.1", port, path: "/a?b=1" }, (res) => {
      let b = ""; res.on("data", (d) => (b += d));
      res.on("end", () => {
        console.log("get:", res.statusCode, res.headers["content-type"], b);
        const req = http.request({ host: "127.0.0.1", port, method: "POST", path: "/p" }, (res2) => {
          let b2 = ""; res2.on("data", (d) => (b2 += d));
          res2.on("end", () => { console.log("post:", res2.statusCode, b2); h.close(); udp(); });
        });
        req.end(JSON.stringify({ x: [1, 2] }));
      });
    });
  });
}
function udp() {
  const dgram = require("dgram");
  const s = dgram.createSocket("udp4"), c = dgram.createSocket("udp4");
  s.on("message", (m, r) => s.send("re:" + m, r.port, r.address));
  s.bind(0, "127.0.0.1", () => {
    c.on("message", (m) => {
      console.log("udp:", String(m));
      s.close(); c.close();
      dns.lookup("localhost", { family: 4 }, (e, a) => console.log("dns:", e, a));
    });
    c.send("ping", s.address().port, "127.0.0.1");
  });
}
'
run node net.js
expect_stdout 'tcp: echo:HELLO
get: 200 application/json {"method":"GET","url":"/a?b=1","body":""}
post: 200 {"method":"POST","url":"/p","body":"{\\"x\\":[1,2]}"}
udp: re:ping
dns: null 127.0.0.1
'
expect_exit 0
