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
