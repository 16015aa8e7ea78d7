# find without a string: a string-table message, exit 2.
run find
expect_stdout 'FIND: Parameter format not correct\r\n'
expect_exit 2
