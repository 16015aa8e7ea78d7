# An external program run from cmd: its output and exit code (find prints the file's header,
# matches nothing and exits 1), then a nested cmd.exe whose exit /b code reaches ||.
cp "$corpus/bin/find.exe" "$corpus/bin/cmd.exe" .
put a.txt 'one\r\n'
run cmd /c 'find zzz a.txt'
expect_stdout '\r\n---------- A.TXT\r\n'
expect_exit 1
run cmd /c 'cmd /c exit /b 3 || echo three'
expect_stdout 'three\r\n'
expect_exit 3
