# oxlint 1.9.0 (@oxlint/win32-x64, Rust/MSVC): lint a file (a debugger statement made an error,
# a comparison with NaN), the report in the unix format.
put l.js 'debugger;\nlet x = 1;\nif (x == NaN) {}\n'
run oxlint -D no-debugger --format=unix l.js
expect_stdout 'l.js:1:1: `debugger` statement is not allowed [Error/eslint(no-debugger)]
l.js:3:10: Requires calls to isNaN() when checking for NaN [Warning/eslint(use-isnan)]

2 problems\n'
expect_exit 1
