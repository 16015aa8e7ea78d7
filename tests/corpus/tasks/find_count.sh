# find /c. Windows' own find.exe prints "---------- A.TXT: 2"; Wine 8.0's find.exe knows no
# switch and says so (a string-table message), exit 2: what this binary prints on Windows.
put a.txt 'hello x\r\nworld\r\nxyz\r\n'
run find /c x a.txt
expect_stdout 'FIND: Invalid switch\r\n'
expect_exit 2
