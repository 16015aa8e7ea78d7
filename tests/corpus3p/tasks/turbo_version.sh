# Turborepo 2.8.17 (turbo-windows-64, Rust): its version.
export TURBO_TELEMETRY_DISABLED=1
run turbo --version
expect_stdout '2.8.17\n'
expect_exit 0
