# gojq (jq in Go): a report from a JSON file — group_by/map into compact JSON, a raw
# tab-separated listing with string interpolation, and a sorted, tab-indented pretty print.
cat > people.json <<'EOF'
[{"name": "Ada", "born": 1815, "langs": ["analytical engine"]},
 {"name": "Grace", "born": 1906, "langs": ["COBOL", "FLOW-MATIC"]},
 {"name": "Ken", "born": 1943, "langs": ["B", "C", "Go"]}]
EOF
run gojq -c 'group_by(.born > 1900) | map({n: length, names: map(.name)})' people.json
expect_exit 0
run gojq -r '.[] | "\(.name)\t\(.born)\t\(.langs | join(","))"' people.json
expect_exit 0
run gojq -C --tab 'map(select(.langs | length > 1)) | .[0]' people.json
expect_exit 0
run gojq '[.[].langs[]] | sort | unique | length, (map(ascii_downcase) | index("c"))' people.json
expect_exit 0
