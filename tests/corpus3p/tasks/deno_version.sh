# Deno 2.9.6 (@deno/win32-x64: Rust and V8, MSVC; @deno/linux-x64-glibc for the reference): its
# version, V8's and TypeScript's, then the same from a script (`deno eval -p`). Deno delay-loads
# psapi!GetPerformanceInfo for its system memory figures at the first script.
# Each build names its own target triple.
native_text 'x86_64-unknown-linux-gnu' 'x86_64-pc-windows-msvc'
differs wine 'under Wine 8.0 (with reference.sh'"'"'s bcryptprimitives.dll) --version answers, then V8 stops at the first script: "Fatal process out of memory: SegmentedTable::InitializeTable" (exit 3), as Node.js does'
export DENO_DIR=deno-dir NO_COLOR=1
run deno --version
expect_stdout 'deno 2.9.6 (stable, release, x86_64-pc-windows-msvc)\nv8 15.0.245.2-rusty\ntypescript 6.0.3\n'
expect_exit 0
run deno eval -p 'Deno.version.deno + " " + Deno.version.typescript'
expect_stdout '2.9.6 6.0.3\n'
expect_exit 0
