# cmd /c echo: the simplest command line.
run cmd /c echo hi
expect_stdout 'hi\r\n'
expect_exit 0
