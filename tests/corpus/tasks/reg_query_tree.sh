# reg add of a value two levels down creates the keys between; reg add of a key alone gives it
# an empty default value. reg query lists the values, then the subkeys in name order without
# regard to case; /s walks the whole tree. reg delete /va removes the values but not the subkeys;
# reg delete /f removes the tree, and deleting it again fails (exit 1).
key='HKCU\Software\ntrun-corpus-tree'
run reg delete "$key" /f
run reg add "$key" /v Top /d 1 /f
expect_exit 0
run reg add "$key\\sub1\\deep" /v X /d y /f
expect_exit 0
run reg add "$key\\Sub0" /f
expect_exit 0
run reg query "$key"
expect_stdout '\r\nHKEY_CURRENT_USER\\Software\\ntrun-corpus-tree\r\n    Top    REG_SZ    1\r\n\r\nHKEY_CURRENT_USER\\Software\\ntrun-corpus-tree\\Sub0\r\nHKEY_CURRENT_USER\\Software\\ntrun-corpus-tree\\sub1\r\n'
expect_exit 0
run reg query "$key" /s
expect_stdout '\r\nHKEY_CURRENT_USER\\Software\\ntrun-corpus-tree\r\n    Top    REG_SZ    1\r\n\r\nHKEY_CURRENT_USER\\Software\\ntrun-corpus-tree\\Sub0\r\n    (Default)    REG_SZ    \r\n\r\nHKEY_CURRENT_USER\\Software\\ntrun-corpus-tree\\sub1\r\n\r\nHKEY_CURRENT_USER\\Software\\ntrun-corpus-tree\\sub1\\deep\r\n    X    REG_SZ    y\r\n\r\n'
expect_exit 0
run reg delete "$key" /va /f
expect_stdout 'reg: The operation completed successfully\r\n'
expect_exit 0
run reg query "$key"
expect_stdout '\r\nHKEY_CURRENT_USER\\Software\\ntrun-corpus-tree\\Sub0\r\nHKEY_CURRENT_USER\\Software\\ntrun-corpus-tree\\sub1\r\n'
expect_exit 0
run reg delete "$key" /f
expect_stdout 'reg: The operation completed successfully\r\n'
expect_exit 0
run reg delete "$key" /f
expect_stdout 'reg: Unable to find the specified registry key\r\n'
expect_exit 1
