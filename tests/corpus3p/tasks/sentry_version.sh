# sentry-cli 3.8.0 (@sentry/cli-win32-x64, Rust/MSVC): its version.
run sentry --version
expect_stdout 'sentry-cli 3.8.0\n'
expect_exit 0
