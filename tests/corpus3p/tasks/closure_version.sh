# Closure Compiler v20261109 (google-closure-compiler-windows: Google's JavaScript optimizer,
# Java compiled by GraalVM CE 25.0.2 Native Image, with the UCRT): --version. Java's println
# ends the last line with the system's line separator, CR LF on Windows (the first line break
# is part of the text).
differs wine "Wine 8.0 has no ntdll!RtlAddressInSectionTable: the native image exits 127 before main"
differs native "the Linux build ends the last line with LF"
run closure --version
expect_stdout 'Closure Compiler (http://github.com/google/closure-compiler)\nVersion: v20261109\r\n'
expect_exit 0
