# Parcel CSS 1.13.1 (Rust, MSVC, VCRUNTIME140): minify a stylesheet for Safari 10 (user-select
# prefixed, the gradient's direction and colours shortened, longhands merged, the media query
# kept), then a missing input (exit 1, the system's message on stderr).
put a.css '.card {\n  display: flex;\n  transition: transform 0.3s ease-in-out;\n  user-select: none;\n  background: linear-gradient(to right, #ff0000 0%%, #0000ff 100%%);\n  margin: 0px 0px 0px 0px;\n}\n.card:hover { color: rgba(255, 0, 0, 1); }\n@media (min-width: 640px) and (max-width: 1023px) {\n  .card { padding: 10px 20px 10px 20px; }\n}\n'
run parcelcss -m --targets 'safari 10' a.css
expect_stdout '.card{-webkit-user-select:none;user-select:none;background:linear-gradient(90deg,red 0%%,#00f 100%%);margin:0;transition:transform .3s ease-in-out;display:flex}.card:hover{color:red}@media (min-width:640px) and (max-width:1023px){.card{padding:10px 20px}}\n'
expect_exit 0
run parcelcss missing.css
expect_stdout ''
expect_exit 1
