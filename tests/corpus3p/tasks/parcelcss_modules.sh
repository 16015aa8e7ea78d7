# Parcel CSS 1.13.1 (Rust, MSVC): nesting lowered for Chrome 90 into a file (-o), then a
# stylesheet and the one it imports bundled as CSS modules (names by a pattern, composes), code
# and exports printed as JSON.
put n.css '.a {\n  color: #ff0000;\n  & .b { margin: 0px 0px 0px 0px; }\n}\n'
run parcelcss --nesting --targets 'chrome 90' n.css -o n.min.css
expect_stdout ''
expect_exit 0
expect_file n.min.css '.a {\n  color: red;\n}\n\n.a .b {\n  margin: 0;\n}\n'
put m.css '@import "base.css";\n.btn { composes: base; color: hsl(0 100%% 50%%); }\n'
put base.css '.base { padding: 1px 2px 1px 2px; }\n'
run parcelcss --bundle --css-modules --css-modules-pattern '[name]-[local]' m.css
expect_stdout '{"code":".m-base {\\n  padding: 1px 2px;\\n}\\n\\n.m-btn {\\n  color: red;\\n}\\n","exports":{"base":{"composes":[],"isReferenced":false,"name":"m-base"},"btn":{"composes":[{"name":"m-base","type":"local"}],"isReferenced":false,"name":"m-btn"}}}\n'
expect_exit 0
