# find in two files: one section per file, in command-line order.
put a.txt 'hello x\r\nworld\r\nxyz\r\n'
put b.txt 'x in b\r\nnot here\r\n'
run find x a.txt b.txt
expect_stdout '\r\n---------- A.TXT\r\nhello x\r\nxyz\r\n\r\n---------- B.TXT\r\nx in b\r\n'
expect_exit 0
