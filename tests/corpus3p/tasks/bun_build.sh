# Bun 1.4.5 (see bun_version): bundles two TypeScript modules into one minified file (the types
# and the unused export dropped; bun build prints its own timing, so its stdout is not compared),
# then runs the bundle.
differs wine 'see bun_run_fs ("ENOENT: failed to write file" for out/app.js)'
put src/util.ts 'export interface Point { x: number; y: number }\nexport const add = (a: Point, b: Point): Point => ({ x: a.x + b.x, y: a.y + b.y });\nexport function unused(): string { return "never bundled"; }\n'
put src/main.ts 'import { add, type Point } from "./util";\nconst p: Point = add({ x: 1, y: 2 }, { x: 3, y: 4 });\nconsole.log(`sum ${p.x},${p.y}`);\n'
run bun build src/main.ts --outfile out/app.js --minify
expect_exit 0
expect_file out/app.js 'var t=(n,o)=>({x:n.x+o.x,y:n.y+o.y});var e=t({x:1,y:2},{x:3,y:4});console.log(`sum ${e.x},${e.y}`);\n'
run bun out/app.js
expect_stdout 'sum 4,6\n'
expect_exit 0
