# CMake 4.0.2: -E capabilities, the JSON IDEs read: the Windows build's generators (Visual
# Studio 14 to 17, NMake, MinGW/MSYS Makefiles, ...), file API versions, TLS and debugger support.
# One line, compared by digest; the same bytes as the Windows build prints under Wine 8.0.
differs native "the Linux build lists only the generators Linux has (no Visual Studio, NMake, MinGW)"
run cmake -E capabilities
expect_exit 0
if ! grep -q '"version":{"isDirty":false,"major":4,"minor":0,"patch":2,"string":"4.0.2","suffix":""}' "$out" ||
   ! grep -q '"name":"Visual Studio 17 2022"' "$out"; then
    echo "FAIL corpus3p.$name: no 4.0.2 version object or no Visual Studio 17 2022 generator:"
    head -c 300 "$out"
    fail=1
fi
got=$(sha256sum "$out" | cut -d' ' -f1)
if [ "$got" != f577d540a760dbeaf80178f5943d02005ab31aad3d277ea6788fa960087ae3c2 ]; then
    echo "FAIL corpus3p.$name: stdout's SHA-256 is $got"
    fail=1
fi
