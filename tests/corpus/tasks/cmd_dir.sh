# cmd /c dir /b: the bare names of the current directory's files and directories, in name order.
put b.txt 'b\r\n'
put a.txt 'a\r\n'
mkdir sub
run cmd /c dir /b
expect_stdout 'a.txt\r\nb.txt\r\nsub\r\n'
expect_exit 0
