# reg query of a key that does not exist (RegOpenKeyExW fails with ERROR_FILE_NOT_FOUND), exit 1.
run reg query 'HKCU\Software\ntrun-corpus-no-such-key'
expect_stdout 'reg: Unable to find the specified registry key\r\n'
expect_exit 1
