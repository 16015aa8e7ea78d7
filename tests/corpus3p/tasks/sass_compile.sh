# Dart Sass 1.105.0 (sass-embedded-win32-x64: the Dart VM, dart.exe, running sass.snapshot):
# compile a stylesheet with a map, a loop and sass:math.
put s.scss '@use "sass:math";\n$sizes: (small: 8px, large: 24px);\n@each $name, $s in $sizes {\n  .pad-#{$name} { padding: math.div($s, 2) $s; }\n}\n'
run dart @DIR@/sass.snapshot --no-source-map s.scss
expect_stdout '.pad-small {\n  padding: 4px 8px;\n}\n\n.pad-large {\n  padding: 12px 24px;\n}\n'
expect_exit 0
