# Rome 12.1.3 (@rometools/cli-win32-x64: Rust, Biome's predecessor, 2023): its version, a
# JavaScript file formatted from standard input and in place (--write), and `rome check` of a
# file with a debugger statement and a loose equality (exit 1; the diagnostics go to stderr).
run rome --version
expect_stdout 'Version: 12.1.3\n\n'
expect_exit 0
stdin 'const  x = {a:1,b:[1,2,3]}\nfunction f( a ){return a+1}\n'
run rome format --stdin-file-path=r.js
expect_stdout 'const x = { a: 1, b: [1, 2, 3] };\nfunction f(a) {\n\treturn a + 1;\n}\n'
expect_exit 0
put r.js 'const  x = {a:1,b:[1,2,3]}\nfunction f( a ){return a+1}\n'
run rome format --write r.js
expect_exit 0
expect_file r.js 'const x = { a: 1, b: [1, 2, 3] };\nfunction f(a) {\n\treturn a + 1;\n}\n'
put bad.js 'debugger;\nlet a = 1;\nif (a == 1) { console.log(a) }\n'
run rome check bad.js
expect_exit 1
