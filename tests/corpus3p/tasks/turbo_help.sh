# Turborepo 2.8.17 (turbo-windows-64, Rust): the start of its help.
# It names itself after its program file (clap's bin name from argv[0]): turbo.exe on Windows.
native_text 'Usage: turbo ' 'Usage: turbo.exe '
export TURBO_TELEMETRY_DISABLED=1
run turbo --help
expect_stdout_head 3 'The build system that makes ship happen\n\nUsage: turbo.exe [OPTIONS] [COMMAND]\n'
expect_exit 0
