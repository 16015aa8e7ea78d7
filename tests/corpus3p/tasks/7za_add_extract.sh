# 7-Zip 21.07 (7zip-bin, MSVC): make a .7z of a file and a folder, then take it apart again, to
# standard output and to a folder.
put a.txt 'hello\n'
put d/b.txt 'two\n'
run 7za a -bso0 -bsp0 t.7z a.txt d
expect_stdout ''
expect_exit 0
run 7za x -so t.7z a.txt
expect_stdout 'hello\n'
expect_exit 0
run 7za x -bso0 -bsp0 -oout t.7z
expect_exit 0
expect_file out/a.txt 'hello\n'
expect_file out/d/b.txt 'two\n'
