# quick-lint-js 3.2.0 (see qljs_lint): lint standard input (an await outside an async function
# and two undeclared names), then a clean file (an empty list, exit 0).
stdin 'let a = b;\nfunction f() { return; await x; }\n'
run qljs --stdin --output-format=vim-qflist-json
expect_stdout '{"qflist": [{"col": 24, "lnum": 2, "end_col": 28, "end_lnum": 2, "type": "E", "nr": "E0162", "vcol": 0, "text": "\047await\047 is only allowed in async functions", "filename": "<stdin>"},
{"col": 9, "lnum": 1, "end_col": 9, "end_lnum": 1, "type": "W", "nr": "E0057", "vcol": 0, "text": "use of undeclared variable: b", "filename": "<stdin>"},
{"col": 30, "lnum": 2, "end_col": 30, "end_lnum": 2, "type": "W", "nr": "E0057", "vcol": 0, "text": "use of undeclared variable: x", "filename": "<stdin>"}]}'
expect_exit 1
put ok.js 'export const sum = (a, b) => a + b;\n'
run qljs --output-format=vim-qflist-json ok.js
expect_stdout '{"qflist": []}'
expect_exit 0
