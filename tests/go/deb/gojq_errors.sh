# gojq's exit statuses: -e with a null result (1), a query that does not parse (3; message on
# stderr, nothing on stdout), an error raised by the query (5), a file that does not exist (5; the message on stderr
# is the system's: Windows' own text under ntrun).
printf '{"a": {"b": false}}\n' > in.json
run gojq -e '.a.b' in.json
expect_exit 1
run gojq -e '.a | has("b")' in.json
expect_exit 0
run gojq '.a[' in.json
expect_exit 3
run gojq '.a | error("boom")' in.json
expect_exit 5
run gojq '.' missing.json
expect_exit 5
