# Azure MCP Server 2.0.5 (see azmcp_version), offline: `tools list`, the JSON description of its
# 235 commands in 55 service groups (972 KB), and `azureterraformbestpractices get`, text from its
# embedded resources, both by digest with the "duration" line (milliseconds taken) left out, then
# `tools list --name-only` filtered by two namespaces, one of them in capitals (the filter
# ignores case). On Windows the JSON's text and lines end with CR LF (the Linux build's with LF).
# .NET's NLS globalization mode, as on a Windows without icu.dll: culture data from
# GetLocaleInfoEx (pe.nls_culture_data), culture-aware searches through FindNLSStringEx
# (pe.nls_find_string), thread names (pe.thread_description); its answers are byte for byte
# those of the invariant mode (DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1, which these tasks set
# before) and of Wine 8.0 in NLS mode.
differs native 'LF line ends and LF inside the JSON strings'
export AZURE_MCP_COLLECT_TELEMETRY=false
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
run azmcp tools list --name-only --namespace storage --namespace KEYVAULT
expect_exit 0
sed -i '/"duration":/d' "$out"
expect_stdout_sha256 99a07f0248ae85f4bd16858424ab6566e9da830b23d47c887481834436103b09
