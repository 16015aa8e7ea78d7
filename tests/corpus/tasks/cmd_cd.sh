# cmd /c echo %CD%: the current directory as a Windows path.
run cmd /c 'echo %CD%'
expect_stdout '@CWD@\r\n'
expect_exit 0
