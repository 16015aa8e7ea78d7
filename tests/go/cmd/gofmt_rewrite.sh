# cmd/gofmt -r: a rewrite rule (pattern -> replacement, with wildcards) applied to a file on
# standard input and to a file in place (operands swapped); then -s -d on the rewritten file
# (the blank identifier in the range clause goes).
stdin 'package p\n\nfunc f(s []byte) int {\n\treturn bytesIndex(s, []byte("x")) + len(s[1:len(s)])\n}\n'
run gofmt -r 'bytesIndex(a, b) -> bytes.Index(a, b)'
expect_exit 0
expect_lines 5
put m.go 'package m\n\nfunc g(m map[string]int) {\n\tfor k, _ := range m {\n\t\tdelete(m, k)\n\t}\n\t_ = m["a"] + m["b"]\n}\n'
run gofmt -r 'm[x] + m[y] -> m[y] + m[x]' -w m.go
expect_exit 0
run gofmt -s -d m.go
expect_exit 0
expect_lines 5
