# xcopy /l lists what it would copy and copies nothing.
put src/one.txt 'one\r\n'
put src/sub/two.txt 'two\r\n'
run xcopy /l src dst /s /e /i /y
expect_stdout 'src\\one.txt\r\nsrc\\sub\\two.txt\r\n0 file(s) would be copied\r\n'
expect_exit 0
expect_tree . '.\n./src\n./src/one.txt\n./src/sub\n./src/sub/two.txt\n'
