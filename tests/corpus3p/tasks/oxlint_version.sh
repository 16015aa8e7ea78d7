# oxlint 1.9.0 (@oxlint/win32-x64, Rust/MSVC): its version.
run oxlint --version
expect_stdout 'Version: 1.9.0\n\n'
expect_exit 0
