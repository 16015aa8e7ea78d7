# start.exe /wait /b: the program (found in the current folder, ".exe" added by the PATHEXT
# search) runs with start's console and standard handles, and start exits with its exit code;
# /d gives the program another working folder; without /b the program gets a console of its
# own (CREATE_NEW_CONSOLE), and its exit code still comes back. start asks
# kernel32!GetBinaryTypeW whether the file is a program (built in for it: SCS_64BIT_BINARY for
# find.exe) and starts it with CreateProcessW. Wine 8.0 prints the same.
cp "$corpus/bin/find.exe" "$corpus/bin/cmd.exe" .
put a.txt 'one\r\ntwo\r\n'
put sub/a.txt 'three\r\n'
run start /wait /b find one a.txt
expect_stdout '\r\n---------- A.TXT\r\none\r\n'
expect_exit 0
run start /wait /b find zzz a.txt
expect_stdout '\r\n---------- A.TXT\r\n'
expect_exit 1
run start /wait /b /d sub find.exe three a.txt
expect_stdout '\r\n---------- A.TXT\r\nthree\r\n'
expect_exit 0
run start /wait cmd /c exit 7
expect_exit 7
