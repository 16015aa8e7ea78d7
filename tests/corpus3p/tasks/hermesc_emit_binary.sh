# hermesc (MSVC C++): compile a script to Hermes bytecode in a file; the bytecode is the same
# as the Linux build's, byte for byte.
put f.js 'function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nprint(fib(10));\n'
run hermesc -emit-binary -out f.hbc f.js
expect_stdout ''
expect_exit 0
expect_sha256 f.hbc 06453574fca5208c1eab8681c9e08eb26d94d8d6de263607faf7a23614d7afa7
