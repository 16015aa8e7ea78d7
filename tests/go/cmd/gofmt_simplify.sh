# cmd/gofmt: list the files that are not formatted, show the simplifying diff of one (-s -d:
# spacing, composite literals, a[i:len(a)]), rewrite it in place (-w), and list again (nothing
# left); a file with a syntax error exits 2.
put a.go 'package main\nimport "fmt"\ntype P struct{ X, Y int }\nfunc main(){\nps:=[]P{P{1,2},P{X:3}}\nfor i:=0;i<len(ps);i++{ fmt.Println(ps[i:len(ps)]) }\n}\n'
put ok.go 'package ok\n\nfunc Ok() int { return 1 }\n'
put bad.go 'package bad\n\nfunc Bad( {\n'
run gofmt -l a.go ok.go
expect_exit 0
expect_lines 1
run gofmt -s -d a.go
expect_exit 0
expect_lines 10
run gofmt -s -w a.go
expect_exit 0
run gofmt -l a.go ok.go
expect_exit 0
run gofmt bad.go
expect_exit 2
