# cmd/fix (go tool fix): the "context" fix turns golang.org/x/net/context into the standard
# library's context, shown as a diff (-diff) and then applied in place.
put old.go 'package old\n\nimport (\n\t"fmt"\n\n\t"golang.org/x/net/context"\n)\n\nfunc Run(ctx context.Context) {\n\tfmt.Println(ctx.Err())\n}\n'
run fix -r context -diff old.go
expect_exit 0
expect_lines 8
run fix -r context old.go
expect_exit 0
