# cdxrs 4.1.1 (cdxgen's CycloneDX BOM tool: Rust, MSVC, UCRT): a BOM's summary, its validation
# (schema and semantic checks: three warnings, valid), one of an unsupported spec version read
# from standard input (exit 3), one with a duplicated component written to a file (exit 3), and
# a BOM cut short (exit 1). Its log lines go to stderr.
put bom.json '{"bomFormat": "CycloneDX", "specVersion": "1.6",
 "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", "version": 1,
 "metadata": {"component": {"type": "application", "name": "shop", "version": "2.0.0", "bom-ref": "pkg:npm/shop@2.0.0"}},
 "components": [
  {"type": "library", "name": "left-pad", "version": "1.3.0", "purl": "pkg:npm/left-pad@1.3.0", "bom-ref": "pkg:npm/left-pad@1.3.0",
   "licenses": [{"license": {"id": "WTFPL"}}], "hashes": [{"alg": "SHA-256", "content": "9ad27a8c3e6a8c1f5a8c1e2b0b5bb7a1e2b3c4d5e6f708192a3b4c5d6e7f8091"}]},
  {"type": "library", "name": "lodash", "version": "4.17.21", "purl": "pkg:npm/lodash@4.17.21", "bom-ref": "pkg:npm/lodash@4.17.21",
   "licenses": [{"license": {"id": "MIT"}}]},
  {"type": "library", "group": "org.slf4j", "name": "slf4j-api", "version": "2.0.9", "purl": "pkg:maven/org.slf4j/slf4j-api@2.0.9", "bom-ref": "pkg:maven/org.slf4j/slf4j-api@2.0.9"}],
 "dependencies": [
  {"ref": "pkg:npm/shop@2.0.0", "dependsOn": ["pkg:npm/left-pad@1.3.0", "pkg:npm/lodash@4.17.21"]},
  {"ref": "pkg:npm/lodash@4.17.21", "dependsOn": []}]}\n'
run cdxrs info -i bom.json
expect_stdout '{\n  "bomFormat": "CycloneDX",\n  "specVersion": "1.6",\n  "componentCount": 3,\n  "dependencyCount": 2,\n  "serviceCount": 0,\n  "vulnerabilityCount": 0,\n  "hasEvidence": false,\n  "cdxrsVersion": "4.1.1"\n}\n'
expect_exit 0
run cdxrs validate -i bom.json --compact
expect_stdout '{"valid":true,"specVersion":"1.6","findings":[{"id":"props.missing-evidence","severity":"warning","path":"/components/pkg:npm/left-pad@1.3.0","message":"pkg:npm/left-pad@1.3.0 lacks evidence."},{"id":"props.missing-properties","severity":"warning","path":"/components/pkg:npm/left-pad@1.3.0","message":"pkg:npm/left-pad@1.3.0 lacks properties."},{"id":"metadata.component-purl-missing","severity":"warning","path":"/metadata/component/purl","message":"purl is missing for metadata.component"}],"summary":{"error":0,"warning":3,"info":0}}\n'
expect_exit 0
sed 's/"1.6"/"9.9"/' bom.json > "$tmp/v99.json"
stdin_file=$tmp/v99.json
run cdxrs validate --compact
expect_stdout '{"valid":false,"specVersion":"9.9","findings":[{"id":"schema.unsupported-version","severity":"error","path":"/specVersion","message":"Unsupported CycloneDX specVersion \0479.9\047. Supported versions are 1.6, 1.7.","hint":"Set specVersion to \\"1.6\\" or \\"1.7\\"."}],"summary":{"error":1,"warning":0,"info":0}}\n'
expect_exit 3
python3 -c 'import json; b = json.load(open("bom.json")); b["components"].append(dict(b["components"][1])); json.dump(b, open("dup.json", "w"), indent=1)'
run cdxrs validate -i dup.json --compact -o report.json
expect_stdout ''
expect_exit 3
expect_sha256 report.json fef72ef88210d18e11d0f156a08de844414258bc676498318913f886c0256283
stdin '{"bomFormat": "CycloneDX", "specVersion": '
run cdxrs info --compact
expect_stdout ''
expect_exit 1
