# Deno 2.9.6 (see deno_version): a TypeScript script run with -A: Deno's file API (a directory
# tree made, a file written, appended to, renamed, listed, stat'ed, read, removed), Web Crypto's
# SHA-256, Intl in de-DE and a time zone; then `deno eval` with BigInt.
differs wine 'see deno_version'
export DENO_DIR=deno-dir NO_COLOR=1
put t.ts 'interface Item { name: string; n: number }
const items: Item[] = [{ name: "b", n: 2 }, { name: "a", n: 1 }];
items.sort((x, y) => x.name.localeCompare(y.name));
await Deno.mkdir("d/e", { recursive: true });
await Deno.writeTextFile("d/a.txt", "alpha\\n");
await Deno.writeTextFile("d/a.txt", "more\\n", { append: true });
await Deno.rename("d/a.txt", "d/e/b.txt");
const names: string[] = [];
for await (const e of Deno.readDir("d/e")) names.push(e.name + (e.isFile ? ":file" : ""));
console.log(JSON.stringify(items), names.join(","), (await Deno.stat("d/e/b.txt")).size);
console.log((await Deno.readTextFile("d/e/b.txt")).split("\\n").join("|"));
await Deno.remove("d", { recursive: true });
const dig = await crypto.subtle.digest("SHA-256", new TextEncoder().encode("abc"));
console.log(Array.from(new Uint8Array(dig)).map((b) => b.toString(16).padStart(2, "0")).join(""));
console.log(new Intl.NumberFormat("de-DE").format(1234567.891), new Date(Date.UTC(2024, 2, 31, 12)).toLocaleString("en-US", { timeZone: "Europe/Berlin" }));
console.log(typeof Deno.pid, await Deno.stat("d").then(() => "left", () => "removed"));
'
run deno run -A t.ts
expect_stdout '[{"name":"a","n":1},{"name":"b","n":2}] b.txt:file 11\nalpha|more|\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n1.234.567,891 3/31/2024, 2:00:00 PM\nnumber removed\n'
expect_exit 0
run deno eval 'console.log([1, 2, 3].map((x) => x * x).join(","), 2n ** 70n)'
expect_stdout '1,4,9 1180591620717411303424n\n'
expect_exit 0
