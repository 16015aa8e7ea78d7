# quick-lint-js 3.2.0 (C++, mingw-w64 with the UCRT): lint two JavaScript files; the findings of
# the bad one (a redeclaration, an assignment in a condition, a missing operand, an undeclared
# variable) as a Vim quickfix list in JSON on standard output, exit 1. Finding the
# configuration walks up from each file's folder to its root (kernelbase's PathCch* functions).
put bad.js 'let x = 1;\nlet x = 2;\nconsole.log(y);\nif (x = 3) { }\nconst z = ;\n'
put good.js 'const a = 1;\nexport default a;\n'
run qljs --output-format=vim-qflist-json bad.js good.js
expect_stdout '{"qflist": [{"col": 5, "lnum": 2, "end_col": 5, "end_lnum": 2, "type": "E", "nr": "E0034", "vcol": 0, "text": "redeclaration of variable: x", "filename": "bad.js"},
{"col": 7, "lnum": 4, "end_col": 7, "end_lnum": 4, "type": "W", "nr": "E0188", "vcol": 0, "text": "\047=\047 changes variables; to compare, use \047===\047 instead", "filename": "bad.js"},
{"col": 9, "lnum": 5, "end_col": 9, "end_lnum": 5, "type": "E", "nr": "E0026", "vcol": 0, "text": "missing operand for operator", "filename": "bad.js"},
{"col": 13, "lnum": 3, "end_col": 13, "end_lnum": 3, "type": "W", "nr": "E0057", "vcol": 0, "text": "use of undeclared variable: y", "filename": "bad.js"}]}'
expect_exit 1
