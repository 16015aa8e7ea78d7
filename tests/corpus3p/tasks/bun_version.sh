# Bun 1.4.5 (@oven/bun-windows-x64: Zig, with JavaScriptCore and its C++ built by clang, linked
# by lld-link against kernel32 and ntdll alone): its version and the commit it was built from.
# Zig's standard library opens names relative to PEB CurrentDirectory.Handle and in the
# \Device\HarddiskVolumeN form, and waits with ntdll!RtlWaitOnAddress.
run bun --version
expect_stdout '1.4.5\n'
expect_exit 0
run bun --revision
expect_stdout '1.4.5+a7733435c\n'
expect_exit 0
