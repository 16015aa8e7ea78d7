# expand of a file that is not compressed copies it (LZOpenFile/LZCopy).
put plain.txt 'plain\r\n'
run expand plain.txt copy.txt
expect_stdout ''
expect_exit 0
expect_file copy.txt 'plain\r\n'
