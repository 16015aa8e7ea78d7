# dprint 0.54.0 (@dprint/win32-x64, Rust/MSVC): its version.
run dprint --version
expect_stdout 'dprint 0.54.0\n'
expect_exit 0
