# Azure MCP Server 2.0.5 (@azure/mcp-win32-x64; @azure/mcp-linux-x64 for the reference): C# built
# ahead of time by .NET 10's NativeAOT, a 108 MB program. Before main its runtime asked for
# ole32!CoCreateGuid, kernel32!WerRegisterRuntimeExceptionModule, ole32!CoGetContextToken,
# combase!RoInitialize (through the delay-load helper: 0xC06D007F without it) and advapi32's
# RegisterEventSourceW (pe.co_create_guid, pe.dotnet_runtime_start). Telemetry is off, as a user
# without network would set it.
differs native 'LF line ends (Environment.NewLine)'
export AZURE_MCP_COLLECT_TELEMETRY=false
run azmcp --version
expect_stdout '2.0.5+2712e19ddf1c55f8e73ead8fb671915ec92801cc\r\n'
expect_exit 0
# Its help text holds en dashes (U+2013), which .NET writes to a redirected standard output in
# the console's code page: WideCharToMultiByte(437) gives '-' by best fit on Windows (Wine 8.0
# answers GetConsoleOutputCP with 0 off a console, so .NET takes 1252 and prints 0x96).
differs wine 'its help text is written in code page 1252 (en dash 0x96)'
run azmcp --help
expect_exit 0
grep -q 'metadata-including Azure resource IDs' "$out" ||
    { echo "FAIL corpus3p.$name: no 'metadata-including' in azmcp --help (en dash best fit)"; fail=1; }
grep -q "$(printf '[\200-\377]')" "$out" &&
    { echo "FAIL corpus3p.$name: azmcp --help holds bytes above 0x7f"; fail=1; }
