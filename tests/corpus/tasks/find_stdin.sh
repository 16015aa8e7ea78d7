# find without a file reads standard input and prints the matching lines without a header.
stdin 'apple\r\nbanana\r\ncherry x\r\n'
run find x
expect_stdout 'cherry x\r\n'
expect_exit 0
