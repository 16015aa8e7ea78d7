# find of a string no line contains: the header alone, exit status 1.
put a.txt 'hello x\r\nworld\r\n'
run find nothing a.txt
expect_stdout '\r\n---------- A.TXT\r\n'
expect_exit 1
