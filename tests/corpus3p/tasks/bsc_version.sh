# ReScript 12.2.0's compiler, bsc (@rescript/win32-x64: OCaml, mingw-w64, msvcrt): its version.
# The Linux build ends lines with LF.
native_crlf
run bsc -version
expect_stdout 'ReScript 12.2.0\r\n'
expect_exit 0
