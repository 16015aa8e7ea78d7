# go-toml 1.9.4's commands: tomljson (TOML to JSON) from a file and from standard input, jsontoml
# back to TOML, and tomljson on an unterminated array (exit 255, the position on stderr).
cat > config.toml <<'EOF'
# An example configuration
title = "TOML Example"

[owner]
name = "Tom Preston-Werner"
dob = 1979-05-27T07:32:00-08:00

[database]
server = "192.168.1.1"
ports = [ 8000, 8001, 8002 ]
connection_max = 5000
enabled = true
ratio = 0.75

[servers.alpha]
ip = "10.0.0.1"
dc = "eqx"

[[products]]
name = "Hammer"
sku = 738594937

[[products]]
name = "Nail"
sku = 284758393
color = "gray"
EOF
run tomljson config.toml
expect_exit 0
cp "$out" config.json
stdin 'a = "b"\n[t]\nlist = [[1, 2], ["x"]]\nmulti = """\nline one\nline two"""\n'
run tomljson
expect_exit 0
run jsontoml config.json
expect_exit 0
put bad.toml 'a = [1,\n'
run tomljson bad.toml
expect_exit 255
