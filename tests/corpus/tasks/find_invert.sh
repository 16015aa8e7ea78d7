# find /v. Windows' own find.exe prints the lines without the string; Wine 8.0's find.exe
# rejects every switch (exit 2).
put a.txt 'hello x\r\nworld\r\n'
run find /v x a.txt
expect_stdout 'FIND: Invalid switch\r\n'
expect_exit 2
