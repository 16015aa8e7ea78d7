# tsgo 7.0.0-dev.20260707.2 (@typescript/native-preview-win32-x64: the TypeScript compiler ported
# to Go, built by Microsoft's Go 1.26.4 toolchain, whose crypto goes through CNG: it looks up
# bcrypt!BCryptGetFipsAlgorithmMode at start-up): its version.
run tsgo --version
expect_stdout 'Version 7.0.0-dev.20260707.2\n'
expect_exit 0
