# cmd /c type FILE copies the file to standard output.
put b.txt 'hi there\r\nsecond line\r\n'
run cmd /c type b.txt
expect_stdout 'hi there\r\nsecond line\r\n'
expect_exit 0
