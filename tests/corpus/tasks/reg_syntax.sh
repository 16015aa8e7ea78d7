# reg without arguments: a string-table message, exit 1.
run reg
expect_stdout 'reg: Invalid syntax. Type "REG /?" for help.\r\n'
expect_exit 1
