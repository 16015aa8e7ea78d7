# ReScript 12.2.0's bsc (OCaml): reformat a source file (-format) to standard output.
# The Linux build ends lines with LF.
native_crlf
put a.res 'let add = (a, b) => a + b\nlet s = switch add(1,2) { | 3 => "three" | _ => "other" }\n'
run bsc -format a.res
expect_stdout 'let add = (a, b) => a + b\r\nlet s = switch add(1, 2) {\r\n| 3 => "three"\r\n| _ => "other"\r\n}\r\n'
expect_exit 0
