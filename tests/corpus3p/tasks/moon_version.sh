# moon 2.5.5 (@moonrepo/core-windows-x64-msvc: a monorepo task runner, Rust, MSVC; imports
# crypt32, pdh, powrprof, psapi, user32, WinRT): its version.
export MOON_TELEMETRY=false NO_COLOR=1
run moon --version
expect_stdout 'moon 2.5.5\n'
expect_exit 0
