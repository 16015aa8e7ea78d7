# buf 1.75.0 (@bufbuild/buf-win32-x64, Go): its version.
blocked CreateToolhelp32Snapshot "Go's x/sys/windows finds kernel32!CreateToolhelp32Snapshot at start and panics when it is missing: no process snapshots yet"
run buf --version
expect_stdout '1.75.0\n'
expect_exit 0
