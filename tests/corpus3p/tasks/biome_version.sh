# Biome 2.6.9 (@biomejs/cli-win32-x64, Rust/MSVC): its version.
run biome --version
expect_stdout 'Version: 2.6.9\n\n'
expect_exit 0
