# attrib with no argument lists every file of the current directory with its full path, in
# name order; new files have the archive attribute.
put a.txt 'a\r\n'
put b.txt 'b\r\n'
put c.txt 'c\r\n'
run attrib
expect_stdout 'A            @CWD@\\a.txt\r\nA            @CWD@\\b.txt\r\nA            @CWD@\\c.txt\r\n'
expect_exit 0
