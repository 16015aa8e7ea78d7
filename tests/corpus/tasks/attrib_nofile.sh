# attrib of a missing file: the name and a message from attrib.exe's string table.
run attrib nofile.txt
expect_stdout 'nofile.txt: File Not Found\r\n'
expect_exit 0
