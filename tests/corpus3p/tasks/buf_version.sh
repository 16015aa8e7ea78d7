# buf 1.75.0 (@bufbuild/buf-win32-x64, Go): its version.
run buf --version
expect_stdout '1.75.0\n'
expect_exit 0
