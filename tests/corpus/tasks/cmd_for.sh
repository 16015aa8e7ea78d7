# cmd /c "for %i in (a b c) do @echo %i"
blocked - 'GetConsoleOutputCP() is 65001: cmd.exe converts its piped output with WideCharToMultiByte(GetConsoleOutputCP(), 0, ..., "?", &used), which fails for UTF-8 as on Windows (Windows consoles default to the OEM code page, 437)'
run cmd /c 'for %i in (a b c) do @echo %i'
expect_stdout 'a\r\nb\r\nc\r\n'
expect_exit 0
