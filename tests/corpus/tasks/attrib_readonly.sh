# attrib +r sets the read-only attribute of the files a pattern matches, attrib -r clears it;
# the listing shows R.
put a.txt 'a\r\n'
put b.txt 'b\r\n'
run attrib +r 'a*'
expect_stdout ''
expect_exit 0
run attrib
expect_stdout 'A    R       @CWD@\\a.txt\r\nA            @CWD@\\b.txt\r\n'
run attrib -r a.txt
expect_stdout ''
expect_exit 0
run attrib a.txt
expect_stdout 'A            @CWD@\\a.txt\r\n'
