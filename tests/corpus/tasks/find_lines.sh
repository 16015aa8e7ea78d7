# find STRING FILE: a header naming the file (upper-cased), then the lines containing the string.
put a.txt 'hello x\r\nworld\r\nxyz\r\nHELLO\r\n'
run find x a.txt
expect_stdout '\r\n---------- A.TXT\r\nhello x\r\nxyz\r\n'
expect_exit 0
