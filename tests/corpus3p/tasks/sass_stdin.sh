# Dart Sass 1.105.0 (sass-embedded-win32-x64, the Dart VM): compile nested rules from standard
# input, compressed.
stdin '$w: 10px;\n.a { .b { width: $w * 2; } }\n'
run dart @DIR@/sass.snapshot --stdin --style=compressed
expect_stdout '.a .b{width:20px}\n'
expect_exit 0
