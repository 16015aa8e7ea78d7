# Bun 1.4.5 (see bun_version): a script that makes a directory tree, writes, appends to, renames,
# lists, stats and removes files (node:fs, opened by NT paths relative to the current directory's
# handle), hashes (Bun.CryptoHasher SHA-256, CRC-32, node:crypto MD5), formats a number and a
# date in a time zone with Intl (ICU asks kernel32!GetUserGeoID and GetGeoInfoW for the user's
# nation) and prints JSON.
differs wine 'Wine 8.0 (with reference.sh'"'"'s bcryptprimitives.dll) runs Bun, but its writes into a folder it has just made fail: "ENOENT: no such file or directory"'
put run.js 'const fs = require("fs");\nfs.mkdirSync("d/e", { recursive: true });\nfs.writeFileSync("d/a.txt", "alpha\\n");\nfs.writeFileSync("d/e/b.txt", "beta beta\\n");\nfs.appendFileSync("d/a.txt", "more\\n");\nfs.renameSync("d/e/b.txt", "d/e/c.txt");\nconsole.log(fs.readFileSync("d/a.txt", "utf8").split("\\n").join("|"));\nconsole.log(fs.readdirSync("d").sort().join(","), fs.readdirSync("d/e").join(","));\nconsole.log(fs.statSync("d/e/c.txt").size, fs.statSync("d").isDirectory(), fs.existsSync("d/e/b.txt"));\nfs.rmSync("d", { recursive: true });\nconsole.log(fs.existsSync("d"));\nconsole.log(new Bun.CryptoHasher("sha256").update("abc").digest("hex"));\nconsole.log(Bun.hash.crc32("hello"), require("crypto").createHash("md5").update("x").digest("hex"));\nconsole.log(new Intl.NumberFormat("de-DE").format(1234567.891));\nconsole.log(new Date(Date.UTC(2024, 2, 31, 12)).toLocaleString("en-US", { timeZone: "Europe/Berlin" }));\nconsole.log(JSON.stringify({ a: [1, 2, { b: null }], s: "\303\251" }));\n'
run bun run.js
expect_stdout 'alpha|more|\na.txt,e c.txt\n10 true false\nfalse\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n907060870 9dd4e461268c8034f5c8564e155c67a6\n1.234.567,891\n3/31/2024, 2:00:00 PM\n{"a":[1,2,{"b":null}],"s":"\303\251"}\n'
expect_exit 0
