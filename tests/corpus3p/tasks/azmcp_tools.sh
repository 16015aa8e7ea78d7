# Azure MCP Server 2.0.5 (see azmcp_version), offline: `tools list`, the JSON description of its
# 235 commands in 55 service groups (972 KB), and `azureterraformbestpractices get`, text from its
# embedded resources, both by digest with the "duration" line (milliseconds taken) left out. On
# Windows the JSON's text and lines end with CR LF (the Linux build's with LF).
# Culture data comes from .NET's invariant mode: in its NLS mode (no ICU, as on a Windows
# without icu.dll) `new CultureInfo("en-US")` now succeeds under ntrun (pe.nls_culture_data),
# but the run then stops at kernel32!FindNLSStringEx, not built yet ("Entry point was not found."),
# where Wine prints the help (the dispatcher's crash and the preferred UI languages that stopped it
# first are fixed: pe.seh_foreign_jump, pe.ui_languages; docs/corpus.md).
differs native 'LF line ends and LF inside the JSON strings'
export AZURE_MCP_COLLECT_TELEMETRY=false DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
run azmcp tools list
expect_exit 0
tools=$(grep -c '"command": "' "$out")
[ "$tools" = 235 ] || { echo "FAIL corpus3p.$name: $tools commands listed, expected 235"; fail=1; }
sed -i '/"duration":/d' "$out"
expect_stdout_sha256 6ad26b83f2911e17ae0de7d22c1913f17942d7067829c873f9cf13221806864b
run azmcp azureterraformbestpractices get
expect_exit 0
sed -i '/"duration":/d' "$out"
expect_stdout_sha256 6e676fe40a221f87938974194990a4e25541bb98ce83b1b04d170f2c2fe057e4
