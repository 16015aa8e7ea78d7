# SPDX-License-Identifier: MIT
# `use nswag` (tasks/dotnet_nswag_*.sh): NSwag 11.20.1's .NET Core 2.0 build, run by .NET Core
# 2.0.0's dotnet.exe (packages.list: dotnet, nswag). Sets $nswag_dll, the path of
# dotnet-nswag.dll as the program names it, and $dotnet_exec, the arguments that go before it:
# none on Windows; under `native`, `exec --runtimeconfig` of a copy of NSwag's runtimeconfig.json
# with System.Globalization.Invariant, since the Linux build of .NET Core 2.0.0 knows no ICU as
# new as this system's (72) and otherwise stops at start-up ("Couldn't find a valid ICU
# package"): the tasks' outputs are culture-neutral. NSwag ends its lines with LF itself
# (NConsole), on Windows too. nswag_out takes out of the last run's
# stdout what differs between any two runs: the "Duration:" line (the run's time) and the
# folder NSwag names as its bin directory (the package's, under the task's scratch folder).
program nswag
nswag_dll=$program
dotnet_exec=""
if [ "$runner" = native ]; then
    printf '{"runtimeOptions":{"tfm":"netcoreapp2.0","framework":{"name":"Microsoft.NETCore.App","version":"2.0.0"},"configProperties":{"System.Globalization.Invariant":true}}}\n' \
        > "$tmp/nswag.runtimeconfig.json"
    dotnet_exec="exec --runtimeconfig $tmp/nswag.runtimeconfig.json"
fi
nswag_out() {
    sed -i '/^Duration: /d; s/^\(NSwag bin directory: \).*/\1DIR/' "$out"
}
