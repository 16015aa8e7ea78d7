# Deno 2.9.6 (see deno_version): its formatter (dprint's TypeScript plugin, built in) on
# standard input, --check of an unformatted file (exit 1), the file formatted in place; its
# type checker (TypeScript 6.0.3 in V8) on a type error (exit 1) and on a clean file; its linter
# on an unused variable and a constant condition (exit 1) and on a clean file.
differs wine 'see deno_version'
export DENO_DIR=deno-dir NO_COLOR=1
put f.ts 'const  x = {a:1,b:[1,2,3]}\nfunction f( a:number ){return a+1}\n'
stdin 'const  x = {a:1,b:[1,2,3]}\nfunction f( a:number ){return a+1}\n'
run deno fmt -
expect_stdout 'const x = { a: 1, b: [1, 2, 3] };\nfunction f(a: number) {\n  return a + 1;\n}\n'
expect_exit 0
run deno fmt --check f.ts
expect_exit 1
run deno fmt f.ts
expect_exit 0
expect_file f.ts 'const x = { a: 1, b: [1, 2, 3] };\nfunction f(a: number) {\n  return a + 1;\n}\n'
put bad.ts 'const n: number = "not a number";\nconsole.log(n);\n'
put good.ts 'export function g(): number {\n  return 1;\n}\n'
run deno check bad.ts
expect_exit 1
run deno check good.ts
expect_exit 0
put lint.ts 'let unused = 1;\nexport function g() { if (true) { return 1 } }\n'
run deno lint lint.ts
expect_exit 1
run deno lint good.ts
expect_exit 0
