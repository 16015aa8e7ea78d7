# cmd /c "set X=1&& echo %X%": Wine's cmd.exe expands %X% when each command of the line runs,
# so echo sees the value set just before (Windows' own cmd.exe expands the whole line first).
blocked - 'GetConsoleOutputCP() is 65001: cmd.exe converts its piped output with WideCharToMultiByte(GetConsoleOutputCP(), 0, ..., "?", &used), which fails for UTF-8 as on Windows (Windows consoles default to the OEM code page, 437)'
run cmd /c 'set X=1&& echo %X%'
expect_stdout '1\r\n'
expect_exit 0
