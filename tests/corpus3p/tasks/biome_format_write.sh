# Biome 2.6.9 (@biomejs/cli-win32-x64, Rust/MSVC): format a file in place.
put fmt.js 'const a = {b:1,\n c : [1,2,3]}\nfunction f( x ){return x*2}\n'
run biome format --write fmt.js
expect_exit 0
expect_file fmt.js 'const a = { b: 1, c: [1, 2, 3] };\nfunction f(x) {\n\treturn x * 2;\n}\n'
