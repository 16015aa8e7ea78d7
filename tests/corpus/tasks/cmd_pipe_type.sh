# cmd /c "type a.txt | find x": a file through a pipe into an external filter.
cp "$corpus/bin/find.exe" .
put a.txt 'one x\r\ntwo\r\nthree x\r\n'
run cmd /c 'type a.txt | find x'
expect_stdout 'one x\r\nthree x\r\n'
expect_exit 0
