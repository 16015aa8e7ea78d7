# Node.js 26.10.0: fs.watch on a folder under the temporary folder (the C: drive's, under ntrun):
# libuv's directory watch is ReadDirectoryChangesW on a FILE_FLAG_OVERLAPPED handle with a
# completion port (inotify under Linux). Each step makes its changes and then a fence folder,
# waits for the fence's event and prints the distinct events before it (how many "change" events
# a write gives is the system's business): a file made and written, appended to, renamed,
# removed, a folder made and removed. Then fs.watch of one file (libuv watches its folder and
# keeps the file's events) and fs.watchFile (libuv's stat polling) see it grow.
differs wine "Wine 8.0's prefix says Windows 7, which Node.js refuses before running a script"
put watch.js 'const fs = require("fs"), path = require("path"), os = require("os");
const root = fs.mkdtempSync(path.join(os.tmpdir(), "fswatch-"));
const at = (...p) => path.join(root, ...p);
let events = [], waiting = null;
const guard = setTimeout(() => { console.log("no event for", waiting && waiting.fence); process.exit(1); }, 60000);
function record(type, name) {
  name = name ? String(name).split(path.sep).join("/") : name;
  events.push(type + " " + name);
  if (waiting && name === waiting.fence) { const w = waiting; waiting = null; setImmediate(w.resolve); }
}
function step(title, fence, action) {
  return new Promise((resolve) => { events = []; waiting = { fence, resolve }; action(); }).then(() => {
    const i = events.findIndex((e) => e.endsWith(" " + fence));
    console.log(title + ":", [...new Set(events.slice(0, i))].sort().join(", ") || "(none)");
  });
}
(async () => {
  const w = fs.watch(root, record);
  await step("create", "f1", () => { fs.writeFileSync(at("a.txt"), "hello"); fs.mkdirSync(at("f1")); });
  await step("append", "f2", () => { fs.appendFileSync(at("a.txt"), " world"); fs.mkdirSync(at("f2")); });
  await step("rename", "f3", () => { fs.renameSync(at("a.txt"), at("b.txt")); fs.mkdirSync(at("f3")); });
  await step("delete", "f4", () => { fs.unlinkSync(at("b.txt")); fs.mkdirSync(at("f4")); });
  await step("mkdir and rmdir", "f5", () => { fs.mkdirSync(at("d")); fs.rmdirSync(at("d")); fs.mkdirSync(at("f5")); });
  w.close();
  console.log("closed");
  fs.writeFileSync(at("polled.txt"), "hello");
  await new Promise((resolve) => {
    const fw = fs.watch(at("polled.txt"), (type, name) => { console.log("file watch:", type, name); fw.close(); resolve(); });
    fs.appendFileSync(at("polled.txt"), "!");
  });
  await new Promise((resolve) => {
    fs.watchFile(at("polled.txt"), { interval: 20 }, (cur, prev) => {
      console.log("watchFile:", prev.size, "->", cur.size);
      fs.unwatchFile(at("polled.txt"));
      resolve();
    });
    setTimeout(() => fs.writeFileSync(at("polled.txt"), "hello world"), 100);
  });
  fs.rmSync(root, { recursive: true });
  clearTimeout(guard);
  console.log("left:", fs.existsSync(root));
})();
'
run node watch.js
expect_stdout 'create: change a.txt, rename a.txt
append: change a.txt
rename: rename a.txt, rename b.txt
delete: rename b.txt
mkdir and rmdir: rename d
closed
file watch: change polled.txt
watchFile: 6 -> 11
left: false
'
expect_exit 0
