# cmd /c "exit /b 3": the exit status of cmd.exe is 3.
run cmd /c 'exit /b 3'
expect_stdout ''
expect_exit 3
