# gpg-error from libgpg-error 1.46 (Debian's libgpg-error-mingw-w64-dev: mingw-w64, msvcrt,
# libgpg-error-0.dll beside it; no Linux build in Debian): error codes named and described (a
# number, a symbol, a code with the source bits set), then --list (602 lines: the system errors'
# texts come from msvcrt's strerror) and --defines, by digest. CR LF line ends.
if [ "$runner" = native ]; then
    echo "skip corpus3p.$name: Debian ships no Linux build of gpg-error"
    exit 77
fi
differs wine 'Wine 8.0 msvcrt strerror gives glibc texts (Argument list too long) where Windows msvcrt says Arg list too long, Resource device, Domain error'
run gpgerror 1 17 GPG_ERR_EOF 0x80000011
expect_stdout '1 = (0, 1) = (GPG_ERR_SOURCE_UNKNOWN, GPG_ERR_GENERAL) = (Unspecified source, General error)\r\n17 = (0, 17) = (GPG_ERR_SOURCE_UNKNOWN, GPG_ERR_NO_SECKEY) = (Unspecified source, No secret key)\r\n16383 = (0, 16383) = (GPG_ERR_SOURCE_UNKNOWN, GPG_ERR_EOF) = (Unspecified source, End of file)\r\n2147483665 = (0, 17) = (GPG_ERR_SOURCE_UNKNOWN, GPG_ERR_NO_SECKEY) = (Unspecified source, No secret key)\r\n'
expect_exit 0
run gpgerror --list
expect_stdout_sha256 9eb95bcdd5dbadd5499fe8b0daf785673e2a2d6d4cdd39f817b8bc6ba3526223
expect_exit 0
run gpgerror --defines
expect_stdout_sha256 f4969f4c34cb19c12deb35ab7acf120037c620708da0be595f0b81dc47baa560
expect_exit 0
