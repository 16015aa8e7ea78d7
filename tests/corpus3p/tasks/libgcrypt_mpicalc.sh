# mpicalc from libgcrypt 1.10.1 (Debian's libgcrypt-mingw-w64-dev: mingw-w64, msvcrt, with
# libgcrypt-20.dll beside it and libgpg-error-0.dll from libgpg-error-mingw-w64-dev; the Linux
# build from libgcrypt20-dev): libgcrypt's big-integer RPN calculator (hexadecimal) on standard
# input: a product of two 30-digit numbers, a difference and a quotient, errors on stderr.
native_crlf
# libgpg-error-0.dll's folder: ntrun's DLL path, Wine's WINEPATH
case $os in
win) program gpgerror
     export NTRUN_DLL_PATH="${exe%/*}" WINEPATH="${program%\\*}" ;;
esac
stdin '123456789012345678901234567890\n987654321098765432109876543210\n*\np\nc\nFFFF\n10\n-\np\n2\n/\np\n'
run mpicalc
expect_stdout '0AD77D742CE3C72E9159BCB6DFAE867FF795E359A707E4C62CCE1833A900\r\n10\r\n08\r\n'
expect_exit 0
