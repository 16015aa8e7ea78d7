# esbuild 0.28.2 (@esbuild/win32-x64, Go): strip TypeScript types from standard input.
blocked NtCreateWaitCompletionPacket "Go 1.23+ finds ntdll!NtCreateWaitCompletionPacket with GetProcAddress and uses it for its timers; the system call is not emulated"
stdin 'let x: number = 1;\nconsole.log(x)\n'
run esbuild --loader=ts
expect_stdout 'let x = 1;\nconsole.log(x);\n'
expect_exit 0
