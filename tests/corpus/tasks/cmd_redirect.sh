# Redirection to a file, then type reads it back in the same command line.
run cmd /c 'echo hello>out.txt&& type out.txt'
expect_stdout 'hello\r\n'
expect_file out.txt 'hello\r\n'
expect_exit 0
