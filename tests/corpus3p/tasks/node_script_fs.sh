# Node.js 26.10.0: a script file that reads and writes files: JSON in and out (fs sync), path
# (Windows separators, path.resolve against the current directory), a folder tree made,
# listed, renamed into and removed, fs.promises and callbacks, a stream piped through a
# Transform into a file, a missing file's ENOENT, and the files it leaves behind.
differs native "path is path.posix on Linux: / separators, the scratch folder as /tmp/..., C:\\t not absolute"
differs wine "Wine 8.0's prefix says Windows 7, which Node.js refuses before running a script"
put data.json '{"items": [{"name": "b", "qty": 2}, {"name": "a", "qty": 5}, {"name": "c", "qty": 1}]}\n'
put words.txt 'alpha\nbeta\ngamma\n'
put script.js 'const fs = require("fs"), path = require("path"), { Transform } = require("stream");
const data = JSON.parse(fs.readFileSync("data.json", "utf8"));
const total = data.items.reduce((n, i) => n + i.qty, 0);
const sorted = data.items.map(i => i.name).sort();
fs.mkdirSync(path.join("out", "deep", "er"), { recursive: true });
fs.writeFileSync(path.join("out", "summary.json"), JSON.stringify({ total, sorted }, null, 1) + "\\n");
fs.appendFileSync(path.join("out", "summary.json"), "// end\\n");
console.log(path.join("out", "deep", "..", "summary.json"), path.basename("a/b/c.txt", ".txt"), path.extname("x.tar.gz"), path.sep);
console.log(path.resolve("out") === path.join(process.cwd(), "out"), path.resolve("out"));
console.log(path.win32.normalize("C:/x//y/../z"), path.posix.join("/a", "b"), path.isAbsolute("C:\\\\t"));
fs.renameSync(path.join("out", "summary.json"), path.join("out", "deep", "s.json"));
console.log(fs.readdirSync("out").join(","), fs.readdirSync("out", { recursive: true }).sort().join(","));
const st = fs.statSync(path.join("out", "deep", "s.json"));
console.log(st.isFile(), st.isDirectory(), st.size);
try { fs.readFileSync("missing.txt"); } catch (e) { console.log(e.code, e.syscall); }
fs.readFile("missing.txt", (e) => console.log("callback:", e.code));
(async () => {
  const fsp = fs.promises;
  await fsp.writeFile("async.txt", "one\\n");
  await fsp.appendFile("async.txt", "two\\n");
  const lines = (await fsp.readFile("async.txt", "utf8")).split("\\n").filter(Boolean);
  console.log("async:", lines.join("+"), (await fsp.stat("async.txt")).size);
  const upper = new Transform({ transform(chunk, enc, cb) { cb(null, chunk.toString().toUpperCase()); } });
  fs.createReadStream("words.txt").pipe(upper).pipe(fs.createWriteStream("upper.txt")).on("finish", () => {
    console.log("stream:", fs.readFileSync("upper.txt", "utf8").trim().split("\\n").join(" "));
    fs.rmSync("out", { recursive: true });
    console.log("left:", fs.readdirSync(".").sort().join(","));
  });
})();
'
run node script.js
expect_stdout 'out\\summary.json c .gz \\
true @CWD@\\out
C:\\x\\z /a/b true
deep deep,deep\\er,deep\\s.json
true false 60
ENOENT open
callback: ENOENT
async: one+two 8
stream: ALPHA BETA GAMMA
left: async.txt,data.json,script.js,upper.txt,words.txt
'
expect_exit 0
expect_file async.txt 'one\ntwo\n'
expect_file upper.txt 'ALPHA\nBETA\nGAMMA\n'
