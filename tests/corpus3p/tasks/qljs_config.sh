# quick-lint-js 3.2.0 (see qljs_lint): a quick-lint-js.config two folders up declares a global;
# the file's use of it is accepted, the other undeclared name is reported.
put quick-lint-js.config '{"globals": {"myGlobal": true}}\n'
put src/app/g.js 'myGlobal();\nother();\n'
run qljs --output-format=vim-qflist-json src/app/g.js
expect_stdout '{"qflist": [{"col": 1, "lnum": 2, "end_col": 5, "end_lnum": 2, "type": "W", "nr": "E0057", "vcol": 0, "text": "use of undeclared variable: other", "filename": "src/app/g.js"}]}'
expect_exit 1
