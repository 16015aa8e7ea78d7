# esbuild 0.28.2 (@esbuild/win32-x64, Go): its version.
blocked NtCreateWaitCompletionPacket "Go 1.23+ finds ntdll!NtCreateWaitCompletionPacket with GetProcAddress and uses it for its timers; the system call is not emulated"
run esbuild --version
expect_stdout '0.28.2\n'
expect_exit 0
