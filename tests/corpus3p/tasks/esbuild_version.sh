# esbuild 0.28.2 (@esbuild/win32-x64, Go): its version.
run esbuild --version
expect_stdout '0.28.2\n'
expect_exit 0
