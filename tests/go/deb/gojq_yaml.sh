# gojq: YAML in and out (gopkg.in/yaml.v3), an update assignment, and dates in UTC
# (fromdate, todate, strftime, strptime).
cat > deploy.yaml <<'EOF'
name: web
replicas: 2
ports: [80, 443]
env:
  MODE: prod
  DEBUG: "false"
EOF
run gojq --yaml-input --yaml-output '.replicas *= 3 | .ports |= map(. + 8000) | .env.MODE = "test"' deploy.yaml
expect_exit 0
run gojq --yaml-input -c '[paths(scalars) | join(".")]' deploy.yaml
expect_exit 0
run gojq -n -r '"2015-03-05T23:51:47Z" | fromdate, (1425599507 | todate), (0 | strftime("%A %B %d %Y %H:%M")), ("10 Mar 2021" | strptime("%d %b %Y") | mktime)'
expect_exit 0
