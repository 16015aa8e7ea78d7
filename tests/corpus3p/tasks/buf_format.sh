# buf 1.75.0 (@bufbuild/buf-win32-x64, Go): format a Protocol Buffers file already in buf's style
# (buf parses it, prints it formatted, and --exit-code finds nothing to change). A file buf
# would change is compared with the original by an external `diff`, which Windows lacks: there
# buf fails with 'exec: "diff": executable file not found in %PATH%' (bufbuild/buf#1251), as it
# does under ntrun.
put a.proto '// Foo messages.\nsyntax = "proto3";\n\npackage a.v1;\n\n// Foo is a foo.\nmessage Foo {\n  string name = 1;\n  int32 id = 2;\n  repeated Bar bars = 3;\n}\n\nmessage Bar {\n  oneof kind {\n    string text = 1;\n    int64 number = 2;\n  }\n}\n'
run buf format --exit-code a.proto
expect_stdout '// Foo messages.\nsyntax = "proto3";\n\npackage a.v1;\n\n// Foo is a foo.\nmessage Foo {\n  string name = 1;\n  int32 id = 2;\n  repeated Bar bars = 3;\n}\n\nmessage Bar {\n  oneof kind {\n    string text = 1;\n    int64 number = 2;\n  }\n}\n'
expect_exit 0
