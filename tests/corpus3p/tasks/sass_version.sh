# Dart Sass 1.105.0 (sass-embedded-win32-x64, the Dart VM): its version.
run dart @DIR@/sass.snapshot --version
expect_stdout '1.105.0\n'
expect_exit 0
