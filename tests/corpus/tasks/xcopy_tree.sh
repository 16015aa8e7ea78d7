# xcopy SRC DST /s /e /i /y copies a directory tree, empty directories included, printing each
# file copied and the count.
put src/one.txt 'one\r\n'
put src/sub/two.txt 'two\r\n'
put src/sub/deep/three.txt 'three\r\n'
mkdir src/empty
run xcopy src dst /s /e /i /y
expect_stdout 'src\\one.txt\r\nsrc\\sub\\two.txt\r\nsrc\\sub\\deep\\three.txt\r\n3 file(s) copied\r\n'
expect_exit 0
expect_tree dst 'dst\ndst/empty\ndst/one.txt\ndst/sub\ndst/sub/deep\ndst/sub/deep/three.txt\ndst/sub/two.txt\n'
expect_file dst/sub/deep/three.txt 'three\r\n'
