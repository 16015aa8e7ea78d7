# ReScript 12.2.0's rescript (Rust): format code from standard input; it writes it to a temporary
# file, runs bsc.exe -format on it (a child process, found next to rescript.exe) and prints what
# bsc printed.
# bsc writes its output in text mode, CR LF on Windows (as Wine 8.0 shows for bsc_format), which
# rescript passes on; LF on Linux.
native_crlf
stdin 'type point = {x: int, y: int}\nlet origin={x:0,y:0}\nlet show = p => switch p { | {x: 0, y: 0} => "origin" | _ => "elsewhere" }\n'
run rescript format --stdin .res
expect_stdout 'type point = {x: int, y: int}\r\nlet origin = {x: 0, y: 0}\r\nlet show = p =>\r\n  switch p {\r\n  | {x: 0, y: 0} => "origin"\r\n  | _ => "elsewhere"\r\n  }\r\n'
expect_exit 0
