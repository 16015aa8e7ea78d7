# Biome 2.6.9 (@biomejs/cli-win32-x64, Rust/MSVC): format JavaScript from standard input.
stdin 'const a = {b:1,\n c : [1,2,3]}\nfunction f( x ){return x*2}\n'
run biome format --stdin-file-path=x.js
expect_stdout 'const a = { b: 1, c: [1, 2, 3] };\nfunction f(x) {\n\treturn x * 2;\n}\n'
expect_exit 0
