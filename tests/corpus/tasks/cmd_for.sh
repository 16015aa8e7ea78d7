# cmd /c "for %i in (a b c) do @echo %i"
run cmd /c 'for %i in (a b c) do @echo %i'
expect_stdout 'a\r\nb\r\nc\r\n'
expect_exit 0
