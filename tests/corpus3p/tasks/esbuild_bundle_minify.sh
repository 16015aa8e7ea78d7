# esbuild 0.28.2 (@esbuild/win32-x64, Go): bundle two ES modules into one minified script on
# standard output (the unused export is dropped, names are shortened).
put main.js 'import { add } from "./lib.js";\nconsole.log(add(1, 2));\n'
put lib.js 'export function add(a, b) {\n  return a + b;\n}\nexport function unused() { return 42; }\n'
run esbuild main.js --bundle --minify
expect_stdout '(()=>{function o(n,r){return n+r}console.log(o(1,2));})();\n'
expect_exit 0
