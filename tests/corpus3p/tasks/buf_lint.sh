# buf 1.75.0 (@bufbuild/buf-win32-x64, Go): lint a Protocol Buffers file (three findings, exit 100).
# buf names the expected directory with the system's separator (normalpath.Unnormalize, Go's
# filepath.FromSlash): a\v1 on Windows, a/v1 on Linux.
native_text '"a/v1"' '"a\\v1"'
put a.proto 'syntax = "proto3";\npackage a.v1;\nmessage foo_bar {\n  string Name = 1;\n}\n'
run buf lint a.proto
expect_stdout 'a.proto:2:1:Files with package "a.v1" must be within a directory "a\\v1" relative to root but were in directory ".".
a.proto:3:9:Message name "foo_bar" should be PascalCase, such as "FooBar".
a.proto:4:10:Field name "Name" should be lower_snake_case, such as "name".\n'
expect_exit 100
