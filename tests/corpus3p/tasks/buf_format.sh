# buf 1.75.0 (@bufbuild/buf-win32-x64, Go): format a Protocol Buffers file.
blocked CreateToolhelp32Snapshot "Go's x/sys/windows finds kernel32!CreateToolhelp32Snapshot at start and panics when it is missing: no process snapshots yet"
put a.proto 'syntax="proto3";\npackage  a.v1;\nmessage  Foo{string name=1;int32 id  = 2;}\n'
run buf format a.proto
expect_stdout 'syntax = "proto3";\npackage a.v1;\nmessage Foo {\n  string name = 1;\n  int32 id = 2;\n}\n'
expect_exit 0
