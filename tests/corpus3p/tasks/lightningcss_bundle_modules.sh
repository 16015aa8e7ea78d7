# Lightning CSS 1.33.0 (Rust): bundle a stylesheet and the one it imports as CSS modules
# (class names renamed by a pattern, composes), code and exports printed as JSON.
put main.css '@import "base.css";\n.btn { color: rgb(255 0 0 / 50%%); composes: base; }\n'
put base.css '.base { padding: 1px 2px 1px 2px; }\n'
run lightningcss --bundle --css-modules --css-modules-pattern '[local]_x' main.css
expect_stdout '{"code":".base_x {\\n  padding: 1px 2px;\\n}\\n\\n.btn_x {\\n  color: #ff000080;\\n}\\n","exports":{"btn":{"composes":[{"name":"base_x","type":"local"}],"isReferenced":false,"name":"btn_x"}}}\n'
expect_exit 0
