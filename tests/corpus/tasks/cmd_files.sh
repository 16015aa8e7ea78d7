# File commands of cmd.exe chained with && and ||: mkdir of a nested path, copy, ren, move,
# del, dir /b /s (a folder's entries, then each subfolder's), type, rmdir of a folder that is
# not empty (fails: || runs; the message goes to stderr), then of empty ones, if not exist.
# Then rmdir /s /q of a tree (shell32!SHFileOperationW's FO_DELETE, built in for it).
# Wine 8.0 prints the same.
put a.txt 'hello\r\n'
run cmd /c 'mkdir d1\d2 && copy a.txt d1\b.txt >nul && ren d1\b.txt c.txt && move d1\c.txt d1\d2 >nul && del a.txt && dir /b /s && type d1\d2\c.txt && rmdir d1\d2 || echo not empty & del d1\d2\c.txt && rmdir d1\d2 && rmdir d1 && if not exist d1 echo gone'
expect_stdout '@CWD@\\d1\r\n@CWD@\\d1\\d2\r\n@CWD@\\d1\\d2\\c.txt\r\nhello\r\nnot empty \r\ngone\r\n'
expect_exit 0
expect_stderr 'The directory is not empty.'
expect_tree . '.\n'
run cmd /c 'mkdir x\y\z && echo one> x\y\f.txt && echo two> x\g.txt && rmdir /s /q x && if not exist x echo removed'
expect_stdout 'removed\r\n'
expect_exit 0
expect_tree . '.\n'
