# reg query of the values programs read to learn the Windows version: CurrentMajorVersionNumber
# is 10 on Windows 10 and 11 (Wine 8's own prefix, which reports Windows 7 there, lacks it).
run reg query 'HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion' /v CurrentMajorVersionNumber
expect_stdout '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\r\n    CurrentMajorVersionNumber    REG_DWORD    0xa\r\n\r\n'
expect_exit 0
run reg query 'HKLM\SYSTEM\CurrentControlSet\Control\Nls\CodePage' /v OEMCP
expect_stdout '\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage\r\n    OEMCP    REG_SZ    437\r\n\r\n'
expect_exit 0
run reg add 'HKXX\foo' /f
expect_stdout 'reg: Invalid system key\r\n'
expect_exit 1
