# buf 1.75.0 (@bufbuild/buf-win32-x64, Go): format a Protocol Buffers file.
blocked NtCreateWaitCompletionPacket "Go 1.23+ finds ntdll!NtCreateWaitCompletionPacket with GetProcAddress and uses it for its timers; the system call is not emulated"
put a.proto 'syntax="proto3";\npackage  a.v1;\nmessage  Foo{string name=1;int32 id  = 2;}\n'
run buf format a.proto
expect_stdout 'syntax = "proto3";\npackage a.v1;\nmessage Foo {\n  string name = 1;\n  int32 id = 2;\n}\n'
expect_exit 0
