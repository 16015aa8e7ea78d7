# cmd /c "if exist FILE (echo yes) else (echo no)", with a file that exists and one that does not.
put a.txt 'a\r\n'
run cmd /c 'if exist a.txt (echo yes) else (echo no)'
expect_stdout 'yes\r\n'
expect_exit 0
run cmd /c 'if exist zz.txt (echo yes) else (echo no)'
expect_stdout 'no\r\n'
expect_exit 0
