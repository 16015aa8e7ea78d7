# Lightning CSS 1.33.0 (Rust): minify a stylesheet with nesting (colours and margins shortened,
# the nesting kept: no targets given).
put a.css '.a {\n  color: #ff0000;\n  & .b { margin: 0px 0px 0px 0px; }\n}\n.c{display:flex;user-select:none}\n'
run lightningcss --minify a.css
expect_stdout '.a{color:red;& .b{margin:0}}.c{user-select:none;display:flex}\n'
expect_exit 0
