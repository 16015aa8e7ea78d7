# cmd /c echo: the simplest command line.
blocked 'cannot find advapi32.dll'
run cmd /c echo hi
expect_stdout 'hi\r\n'
expect_exit 0
