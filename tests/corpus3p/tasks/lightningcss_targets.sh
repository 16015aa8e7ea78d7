# Lightning CSS 1.33.0 (Rust): lower a stylesheet for Safari 12 into a file (nesting flattened,
# user-select prefixed).
put a.css '.a {\n  color: #ff0000;\n  & .b { margin: 0px 0px 0px 0px; }\n}\n.c{display:flex;user-select:none}\n'
run lightningcss --targets 'safari 12' a.css -o out.css
expect_stdout ''
expect_exit 0
expect_file out.css '.a {\n  color: red;\n}\n\n.a .b {\n  margin: 0;\n}\n\n.c {\n  -webkit-user-select: none;\n  user-select: none;\n  display: flex;\n}\n'
