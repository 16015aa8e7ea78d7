# reg add creates a key with a REG_DWORD and a REG_SZ value; reg query lists them in the order
# they were created, or one with /v; reg delete /f removes the key again. The registry outlives
# each process, as on Windows.
key='HKCU\Software\ntrun-corpus-reg'
run reg add "$key" /v Count /t REG_DWORD /d 42 /f
expect_stdout 'reg: The operation completed successfully\r\n'
expect_exit 0
run reg add "$key" /v Name /t REG_SZ /d hello /f
expect_stdout 'reg: The operation completed successfully\r\n'
expect_exit 0
run reg query "$key"
expect_stdout '\r\nHKEY_CURRENT_USER\\Software\\ntrun-corpus-reg\r\n    Count    REG_DWORD    0x2a\r\n    Name    REG_SZ    hello\r\n\r\n'
expect_exit 0
run reg query "$key" /v Name
expect_stdout '\r\nHKEY_CURRENT_USER\\Software\\ntrun-corpus-reg\r\n    Name    REG_SZ    hello\r\n\r\n'
expect_exit 0
run reg delete "$key" /f
expect_stdout 'reg: The operation completed successfully\r\n'
expect_exit 0
run reg query "$key"
expect_stdout 'reg: Unable to find the specified registry key\r\n'
expect_exit 1
