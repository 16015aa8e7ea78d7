# cmd /c type FILE copies the file to standard output.
blocked - 'GetConsoleOutputCP() is 65001: cmd.exe converts its piped output with WideCharToMultiByte(GetConsoleOutputCP(), 0, ..., "?", &used), which fails for UTF-8 as on Windows (Windows consoles default to the OEM code page, 437)'
put b.txt 'hi there\r\nsecond line\r\n'
run cmd /c type b.txt
expect_stdout 'hi there\r\nsecond line\r\n'
expect_exit 0
