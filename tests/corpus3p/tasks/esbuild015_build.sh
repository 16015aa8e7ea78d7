# esbuild 0.15.18 (esbuild-windows-64, the package name before @esbuild/win32-x64; built by Go
# 1.19.3, an older Go run-time than esbuild 0.28's): its version, TypeScript from standard input
# minified, and two ES modules bundled to standard output.
run esbuild015 --version
expect_stdout '0.15.18\n'
expect_exit 0
stdin 'export const add = (a: number, b: number): number => a + b;\nconsole.log(add(1, 2));\n'
run esbuild015 --loader=ts --minify
expect_stdout 'export const add=(e,n)=>e+n;console.log(add(1,2));\n'
expect_exit 0
put m/k.js 'export const k = 2;\n'
put main.js 'import { k } from "./m/k.js";\nconsole.log(k * 21);\n'
run esbuild015 main.js --bundle --format=esm
expect_stdout '// m/k.js\nvar k = 2;\n\n// main.js\nconsole.log(k * 21);\n'
expect_exit 0
