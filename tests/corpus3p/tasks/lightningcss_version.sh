# Lightning CSS 1.33.0's CLI (lightningcss-cli-win32-x64-msvc: Rust, MSVC link 14.51): its version
# (the CLI crate calls itself 1.0.0-alpha.72).
run lightningcss --version
expect_stdout 'lightningcss 1.0.0-alpha.72\n'
expect_exit 0
