# cmd /c "if exist FILE (echo yes) else (echo no)", with a file that exists and one that does not.
blocked - 'GetConsoleOutputCP() is 65001: cmd.exe converts its piped output with WideCharToMultiByte(GetConsoleOutputCP(), 0, ..., "?", &used), which fails for UTF-8 as on Windows (Windows consoles default to the OEM code page, 437)'
put a.txt 'a\r\n'
run cmd /c 'if exist a.txt (echo yes) else (echo no)'
expect_stdout 'yes\r\n'
expect_exit 0
run cmd /c 'if exist zz.txt (echo yes) else (echo no)'
expect_stdout 'no\r\n'
expect_exit 0
