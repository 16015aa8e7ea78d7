# go-toml's tomll (TOML linter): two files rewritten in place in its canonical layout, one with
# -multiLineArray; then standard input to standard output.
put a.toml 'b = 2\na = 1\n[tbl]\n  z = [1,2,3]\n  y = "s"\n'
put b.toml '[x.y]\nlist = ["p", "q"]\nf = 1.50\n[[arr]]\nn = 1\n[[arr]]\nn = 2\n'
run tomll a.toml
expect_exit 0
run tomll -multiLineArray b.toml
expect_exit 0
stdin 'key="v" # c\n[s]\nk2=true\n'
run tomll
expect_exit 0
