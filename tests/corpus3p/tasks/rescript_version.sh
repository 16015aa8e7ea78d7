# ReScript 12.2.0's build tool, rescript (@rescript/win32-x64: Rust, the windows-gnu target, GNU ld
# 2.46, UCRT): its version.
run rescript --version
expect_stdout 'rescript 12.2.0\n'
expect_exit 0
