# refmt 3.6.0 (Reason's formatter from bs-platform 8.4.2: OCaml 4.06, mingw-w64, msvcrt): a .re
# file formatted, printed as OCaml (--print ml), OCaml converted to Reason (--parse ml), an
# interface (-i true), a syntax error (its location on stderr, exit 1); then standard input
# formatted and --version, which it writes in text mode (CR LF; the file outputs above are LF).
put t.re 'let f = (x) => { let y = x + 1; y * 2 };\ntype t = | A | B(int);\n'
put t.ml 'let rec fact n = if n <= 1 then 1 else n * fact (n - 1)\nlet () = print_endline (string_of_int (fact 5))\n'
put t.rei 'let x: int;\nlet f: (int, string) => list(string);\n'
put bad.re 'let x = (;\n'
run refmt t.re
expect_stdout 'let f = x => {\n  let y = x + 1;\n  y * 2;\n};\ntype t =\n  | A\n  | B(int);\n'
expect_exit 0
run refmt --print ml t.re
expect_stdout 'let f x = let y = x + 1 in y * 2\ntype t =\n  | A \n  | B of int '
expect_exit 0
run refmt --parse ml --print re t.ml
expect_stdout 'let rec fact = n =>\n  if (n <= 1) {\n    1;\n  } else {\n    n * fact(n - 1);\n  };\nlet () = print_endline(string_of_int(fact(5)));\n'
expect_exit 0
run refmt -i true --print re t.rei
expect_stdout 'let x: int;\nlet f: (int, string) => list(string);\n'
expect_exit 0
run refmt bad.re
expect_stdout ''
expect_exit 1
native_crlf
stdin 'let a=1\n'
run refmt --parse re --print re
expect_stdout 'let a = 1;\r\n'
expect_exit 0
run refmt --version
expect_stdout 'Reason 3.6.0 @ 8f71db0\r\n'
expect_exit 0
