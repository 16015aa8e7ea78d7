# cmd /c "set X=1&& echo %X%": Wine's cmd.exe expands %X% when each command of the line runs,
# so echo sees the value set just before (Windows' own cmd.exe expands the whole line first).
run cmd /c 'set X=1&& echo %X%'
expect_stdout '1\r\n'
expect_exit 0
