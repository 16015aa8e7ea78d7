# .NET Core 2.0.0's dotnet.exe (the muxer host, MSVC C++) finding hostfxr.dll and the shared
# framework in the folders beside it: --info (the host's version and commit), the usage without
# an application (exit 129), --help (exit 129), --version, which only the SDK answers (exit 145,
# nothing on stdout), and an application that is not there (exit 129, nothing on stdout).
# Windows' host ends each line with CR CR LF (a CR LF of its own through the text-mode CRT);
# Wine 8.0 prints the same bytes. The Linux build's LF is normalised to that (`native_text`).
# The Linux host answers a missing application as it answers --version (exit 145): that run is
# `windows_only`.
native_text '\n' '\r\r\n'
run dotnet --info
expect_stdout '\r\r\nMicrosoft .NET Core Shared Framework Host\r\r\n\r\r\n  Version  : 2.0.0\r\r\n  Build    : e8b8861ac7faf042c87a5c2f9f2d04c98b69f28d\r\r\n\r\r\n'
expect_exit 0
run dotnet
expect_stdout '\r\r\nUsage: dotnet [options]\r\r\nUsage: dotnet [path-to-application]\r\r\n\r\r\nOptions:\r\r\n  -h|--help            Display help.\r\r\n  --version         Display version.\r\r\n\r\r\npath-to-application:\r\r\n  The path to an application .dll file to execute.\r\r\n'
expect_exit 129
run dotnet --help
expect_stdout '\r\r\nUsage: dotnet [host-options] [path-to-application]\r\r\n\r\r\npath-to-application:\r\r\n  The path to an application .dll file to execute.\r\r\n\r\r\nhost-options:\r\r\n  --additionalprobingpath <path>      Path containing probing policy and assemblies to probe for\r\r\n  --depsfile <path>                   Path to <application>.deps.json file\r\r\n  --runtimeconfig <path>              Path to <application>.runtimeconfig.json file\r\r\n  --fx-version <version>              Version of the installed Shared Framework to use to run the application.\r\r\n  --roll-forward-on-no-candidate-fx   Roll forward on no candidate shared framework is enabled\r\r\n  --additional-deps <path>            Path to additonal deps.json file\r\r\n\r\r\n\r\r\nCommon Options:\r\r\n  -h|--help                           Displays this help.\r\r\n  --info                              Displays the host information\r\r\n\r\r\n'
expect_exit 129
run dotnet --version
expect_stdout ''
expect_exit 145
run dotnet nothere.dll
windows_only 'the Linux host answers 145' expect_exit 129
expect_stdout ''
