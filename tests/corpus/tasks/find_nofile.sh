# find on a missing file: the message from find.exe's string table (LoadStringW), exit 1.
run find x nofile.txt
expect_stdout 'File not found - NOFILE.TXT\r\n'
expect_exit 1
