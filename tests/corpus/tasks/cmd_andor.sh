# && and || follow the exit code of an external program: find exits 1 when nothing matches,
# 0 when a line does; cmd /c ends with the last command's code.
cp "$corpus/bin/find.exe" .
put a.txt 'one\r\ntwo\r\n'
run cmd /c 'find zzz a.txt >nul || echo notfound'
expect_stdout 'notfound\r\n'
expect_exit 1
run cmd /c 'find two a.txt >nul && echo found'
expect_stdout 'found\r\n'
expect_exit 0
