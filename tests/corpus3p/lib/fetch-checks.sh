# SPDX-License-Identifier: MIT
# `use fetch-checks` (tasks/bun_serve.sh, tasks/deno_serve.sh): lib/fetch-checks.js into the
# task's folder, and what its fetchChecks prints (a printf format, as expect_stdout takes it):
# fetch_checks_get_body, the JSON of the GET after its status and content type (which each
# server names its own way), then fetch_checks_lines, the POST's and the parallel requests'.
cp "$here/lib/fetch-checks.js" "$cwd/fetch-checks.js"
fetch_checks_get_body='{"method":"GET","path":"/hello","q":"1","body":"","x":"yes"}'
fetch_checks_lines='post: 200 {"method":"POST","path":"/post","q":null,"body":"{\\"x\\":[1,2]}","x":null}
parallel: 20 /n0,/n1,/n2,/n3,/n4,/n5,/n6,/n7,/n8,/n9,/n10,/n11,/n12,/n13,/n14,/n15,/n16,/n17,/n18,/n19
'
