# cmd /c "echo x| find x": a pipe between a built-in command and an external program (Wine's
# find.exe, copied beside the work files: cmd.exe looks in the current directory first).
cp "$corpus/bin/find.exe" .
run cmd /c 'echo x| find x'
expect_stdout 'x\r\n'
expect_exit 0
