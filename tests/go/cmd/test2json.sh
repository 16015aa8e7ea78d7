# cmd/test2json: the output of `go test -v` on standard input (passing, failing and skipped
# tests, a subtest, log lines, a package summary) turned into a JSON event stream.
stdin '=== RUN   TestAdd\n--- PASS: TestAdd (0.00s)\n=== RUN   TestDiv\n    div_test.go:12: divide by zero\n--- FAIL: TestDiv (0.01s)\n=== RUN   TestTable\n=== RUN   TestTable/neg\n--- PASS: TestTable (0.00s)\n    --- PASS: TestTable/neg (0.00s)\n=== RUN   TestSlow\n    slow_test.go:4: skipped: short mode\n--- SKIP: TestSlow (0.00s)\nFAIL\nexit status 1\nFAIL\texample.com/calc\t0.012s\n'
run test2json -p example.com/calc
expect_exit 0
expect_lines 20
