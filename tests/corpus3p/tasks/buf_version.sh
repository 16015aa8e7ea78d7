# buf 1.75.0 (@bufbuild/buf-win32-x64, Go): its version.
blocked NtCreateWaitCompletionPacket "Go 1.23+ finds ntdll!NtCreateWaitCompletionPacket with GetProcAddress and uses it for its timers; the system call is not emulated"
run buf --version
expect_stdout '1.75.0\n'
expect_exit 0
