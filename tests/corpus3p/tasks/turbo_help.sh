# Turborepo 2.8.17 (turbo-windows-64, Rust): the start of its help.
differs native "the Linux build calls itself turbo, not turbo.exe"
export TURBO_TELEMETRY_DISABLED=1
run turbo --help
expect_stdout_head 3 'The build system that makes ship happen\n\nUsage: turbo.exe [OPTIONS] [COMMAND]\n'
expect_exit 0
