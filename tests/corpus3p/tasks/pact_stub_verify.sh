# Pact CLI 18.1.2 (Rust, tokio and hyper, MSVC link 14.44): `pact stub` serves a consumer's pact
# (two interactions) on a free port of 127.0.0.1; curl (a native client) gets both answers and
# a 404 for a path no interaction has; `pact verifier` checks the pact against that server (pass,
# exit 0, with a JSON report), then a pact whose body and header differ (two failures named,
# exit 1); the server is killed at the end. Its timing and log lines are left out of the checks.
export PACT_DO_NOT_TRACK=true
put pact.json '{"consumer": {"name": "web"}, "provider": {"name": "orders"},
 "interactions": [
  {"description": "a request for order 7", "providerState": "order 7 exists",
   "request": {"method": "GET", "path": "/orders/7", "headers": {"Accept": "application/json"}},
   "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                "body": {"id": 7, "items": ["tea", "cake"], "total": 12.5}}},
  {"description": "a new order",
   "request": {"method": "POST", "path": "/orders", "headers": {"Content-Type": "application/json"},
               "body": {"items": ["scone"]}},
   "response": {"status": 201, "headers": {"Location": "/orders/8"}, "body": {"id": 8}}}],
 "metadata": {"pactSpecification": {"version": "2.0.0"}}}\n'
sed 's/"total": 12.5/"total": 13/; s|"/orders/8"|"/orders/9"|' pact.json > other.json
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run_bg pact stub -f pact.json -p "$port" -l info
i=0
while ! grep -q "Server started on port $port" "$bg_out" 2>/dev/null && [ $i -lt 600 ]; do
    sleep 0.1
    i=$((i + 1))
done
# the verifier's report without its log lines and timings
verifier_report() {
    # (a slow run's timings read "(1ms loading, 1s 54ms verification)": any durations)
    sed -E '/^[0-9]{4}-[0-9]{2}-[0-9]{2}T/d; s/ \([^()]* loading, [^()]* verification\)//' "$out" > "$tmp/report"
    cp "$tmp/report" "$out"
}
printf "curl: %s\n" "$(curl -s -H 'Accept: application/json' "http://127.0.0.1:$port/orders/7")" >> "$out.curl"
printf "curl: %s\n" "$(curl -s -X POST -H 'Content-Type: application/json' -d '{"items":["scone"]}' -o /dev/null -w '%{http_code} %{redirect_url}%header{location}' "http://127.0.0.1:$port/orders")" >> "$out.curl"
printf "curl: %s\n" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/nothing")" >> "$out.curl"
cp "$out.curl" "$out"
expect_stdout 'curl: {"id":7,"items":["tea","cake"],"total":12.5}\ncurl: 201 /orders/8\ncurl: 404\n'
run pact verifier -f pact.json --hostname 127.0.0.1 --port "$port" --no-colour --json report.json
expect_exit 0
verifier_report
expect_stdout '\nVerifying a pact between web and orders\n\n  a request for order 7\n     Given order 7 exists\n    returns a response which\n      has status code 200 (OK)\n      includes headers\n        "Content-Type" with value "application/json" (OK)\n      has a matching body (OK)\n\n  a new order\n    returns a response which\n      has status code 201 (OK)\n      includes headers\n        "Location" with value "/orders/8" (OK)\n      has a matching body (OK)\n\n\n'
grep -o '"result":true}$' report.json > "$out"
expect_stdout '"result":true}\n'
run pact verifier -f other.json --hostname 127.0.0.1 --port "$port" --no-colour
expect_exit 1
verifier_report
expect_stdout '\nVerifying a pact between web and orders\n\n  a request for order 7\n     Given order 7 exists\n    returns a response which\n      has status code 200 (OK)\n      includes headers\n        "Content-Type" with value "application/json" (OK)\n      has a matching body (FAILED)\n\n  a new order\n    returns a response which\n      has status code 201 (OK)\n      includes headers\n        "Location" with value "/orders/9" (FAILED)\n      has a matching body (OK)\n\n\nFailures:\n\n1) Verifying a pact between web and orders Given order 7 exists - a request for order 7\n    1.1) has a matching body\n           $.total -> Expected 12.5 (Decimal) to be equal to 13 (Integer)\n2) Verifying a pact between web and orders - a new order\n    2.1) includes header \047Location\047 with value \047/orders/9\047\n           Mismatch with header \047Location\047: Expected \047/orders/8\047 to be equal to \047/orders/9\047\n\nThere were 2 pact failures\n\n'
