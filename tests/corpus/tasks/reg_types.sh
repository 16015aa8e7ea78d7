# reg add of each common type (the default value with /ve, REG_BINARY from hex, REG_DWORD,
# REG_EXPAND_SZ kept unexpanded, REG_MULTI_SZ from \0-separated parts) and reg query of the key,
# of one value with /v (named as the command line spells it) and of the default with /ve; reg delete /v of one value, after which
# reg query /v says it is gone (exit 1). Values are created in name order: Windows lists them in
# creation order, Wine in name order, so both print the same.
key='HKCU\Software\ntrun-corpus-types'
run reg delete "$key" /f
run reg add "$key" /ve /d defval /f
expect_exit 0
run reg add "$key" /v B /t REG_BINARY /d 01ab02 /f
expect_exit 0
run reg add "$key" /v Count /t REG_DWORD /d 0x10 /f
expect_exit 0
run reg add "$key" /v E /t REG_EXPAND_SZ /d '%PATH%;x' /f
expect_exit 0
run reg add "$key" /v Multi /t REG_MULTI_SZ /d 'one\0two' /f
expect_stdout 'reg: The operation completed successfully\r\n'
expect_exit 0
run reg query "$key"
expect_stdout '\r\nHKEY_CURRENT_USER\\Software\\ntrun-corpus-types\r\n    (Default)    REG_SZ    defval\r\n    B    REG_BINARY    01AB02\r\n    Count    REG_DWORD    0x10\r\n    E    REG_EXPAND_SZ    %%PATH%%;x\r\n    Multi    REG_MULTI_SZ    one\\0two\r\n\r\n'
expect_exit 0
run reg query "$key" /v multi
expect_stdout '\r\nHKEY_CURRENT_USER\\Software\\ntrun-corpus-types\r\n    multi    REG_MULTI_SZ    one\\0two\r\n\r\n'
expect_exit 0
run reg query "$key" /ve
expect_stdout '\r\nHKEY_CURRENT_USER\\Software\\ntrun-corpus-types\r\n    (Default)    REG_SZ    defval\r\n\r\n'
expect_exit 0
run reg delete "$key" /v Count /f
expect_stdout 'reg: The operation completed successfully\r\n'
expect_exit 0
run reg query "$key" /v Count
expect_stdout '\r\nreg: Unable to find the specified registry value\r\n'
expect_exit 1
run reg delete "$key" /f
expect_exit 0
