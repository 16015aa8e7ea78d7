# Node.js 26.10.0: fs.watch with { recursive: true } on a folder under the temporary folder (the
# C: drive's, under ntrun): ReadDirectoryChangesW with bWatchSubtree, names relative to the
# watched folder. A folder made after the watch began is watched too (its event is waited for
# first); a file made in it, written and renamed. Each step waits for a fence folder's event and
# prints the distinct events before it, leaving out the folders' own "change" events (Windows
# reports their time stamps changing with their entries; Linux and ntrun do not).
differs wine "Wine 8.0's prefix says Windows 7, which Node.js refuses before running a script"
differs native "Linux's recursive watch (one inotify watch per folder, added when Node.js has looked at the new folder) misses the file made at once in it"
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
    const seen = events.slice(0, i).filter((e) => e !== "change sub" && e !== "change sub/deeper");
    console.log(title + ":", [...new Set(seen)].sort().join(", ") || "(none)");
  });
}
(async () => {
  const w = fs.watch(root, { recursive: true }, record);
  await step("mkdir", "sub", () => fs.mkdirSync(at("sub")));
  await step("in the new folder", "f1", () => {
    fs.writeFileSync(at("sub", "c.txt"), "c");
    fs.renameSync(at("sub", "c.txt"), at("sub", "e.txt"));
    fs.mkdirSync(at("f1"));
  });
  await step("deeper", "sub/deeper/f2", () => {
    fs.mkdirSync(at("sub", "deeper"));
    fs.mkdirSync(at("sub", "deeper", "f2"));
  });
  await step("moved up", "f3", () => { fs.renameSync(at("sub", "e.txt"), at("e.txt")); fs.mkdirSync(at("f3")); });
  w.close();
  fs.rmSync(root, { recursive: true });
  clearTimeout(guard);
  console.log("left:", fs.existsSync(root));
})();
'
run node watch.js
expect_stdout 'mkdir: (none)
in the new folder: change sub/c.txt, rename sub/c.txt, rename sub/e.txt
deeper: rename sub/deeper
moved up: rename e.txt, rename sub/e.txt
left: false
'
expect_exit 0
