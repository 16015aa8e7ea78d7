# SPDX-License-Identifier: MIT
# cdx-norm.py BOM NORMALISED: a CycloneDX BOM with what changes between two runs taken out (the serial
# number, the timestamp, and the random UUIDs trivy gives as bom-refs to what has no package URL,
# named by the component instead, and the order trivy gives by those UUIDs: components and
# dependencies sorted by reference) written to NORMALISED as sorted compact JSON; one line per
# component and per dependency on stdout.
import json, re, sys

bom = json.load(open(sys.argv[1]))
uuid = re.compile(r'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
refs = {}
comps = [bom.get('metadata', {}).get('component', {})] + bom.get('components', [])
for c in comps:
    if uuid.match(c.get('bom-ref', '')):
        refs[c['bom-ref']] = 'uuid:' + c.get('name', '')
        c['bom-ref'] = refs[c['bom-ref']]
for d in bom.get('dependencies', []):
    d['ref'] = refs.get(d['ref'], d['ref'])
    d['dependsOn'] = [refs.get(r, r) for r in d.get('dependsOn', [])]
bom['components'] = sorted(bom.get('components', []), key=lambda c: c.get('bom-ref', ''))
bom['dependencies'] = sorted(bom.get('dependencies', []), key=lambda d: d['ref'])
bom['serialNumber'] = 'urn:uuid:(serial)'
bom.get('metadata', {})['timestamp'] = '(timestamp)'
with open(sys.argv[2], 'w') as f:
    f.write(json.dumps(bom, sort_keys=True, separators=(',', ':')) + '\n')
for c in bom.get('components', []):
    lic = ','.join(l.get('license', {}).get('id', '') for l in c.get('licenses', []))
    print(c.get('type'), c.get('name'), c.get('version'), c.get('purl', '-'), lic or '-')
for d in bom.get('dependencies', []):
    print('dependency', d['ref'], '->', ' '.join(d['dependsOn']) or '-')
