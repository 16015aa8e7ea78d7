# gojq: arguments and inputs — --arg/--argjson, a stream slurped from standard input, reduce
# over the inputs of two files with -n, input_filename, base64, large numbers, limit, a query
# from a file (-f) importing a module from a search directory (-L), raw input lines (-R).
cat > a.json <<'EOF'
{"k": "a", "v": [1, 2, 3]}
{"k": "b", "v": []}
EOF
printf '{"k": "c", "v": [10]}\n' > b.json
run gojq -n -c --arg who gopher --argjson cfg '{"depth": 2}' \
    '$who, $cfg.depth, [limit(3; range(10))], (1e1000 | tostring), @base64 "\("ntrun")", ("bnRydW4=" | @base64d)'
expect_exit 0
stdin '{"a": 1}\n{"a": 2}\n3\n"x"\n'
run gojq -s -c 'map(.a? // .)'
expect_exit 0
run gojq -n 'reduce inputs as $x (0; . + ($x.v | add // 0))' a.json b.json
expect_exit 0
run gojq -r '"\(input_filename): \(.k)"' a.json b.json
expect_exit 0
mkdir -p jq/lib
printf 'def twice: . * 2;\ndef names: map(.k);\n' > jq/lib/util.jq
printf 'import "util" as u;\n[inputs] | u::names, (length | u::twice)\n' > query.jq
run gojq -n -c -L jq/lib -f query.jq a.json b.json
expect_exit 0
stdin 'first line\nsecond\n\nlast'
run gojq -R -c '[., length]'
expect_exit 0
