# esbuild 0.28.2 (@esbuild/win32-x64, Go): bundle to a file (the summary it prints on stderr
# holds a timing, so only the file is checked).
put main.js 'import { add } from "./lib.js";\nconsole.log(add(1, 2));\n'
put lib.js 'export function add(a, b) {\n  return a + b;\n}\n'
run esbuild --bundle main.js --outfile=out.js
expect_exit 0
expect_file out.js '(() => {\n  // lib.js\n  function add(a, b) {\n    return a + b;\n  }\n\n  // main.js\n  console.log(add(1, 2));\n})();\n'
