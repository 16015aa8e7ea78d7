# clang-format 22.1.8 (clang-format-node 3.0.7: LLVM's C++, built by mingw-w64 GCC 14.2 against
# the UCRT with winpthreads; the Linux build from the same package): --version, C++ from
# standard input in LLVM's and Google's styles (includes sorted, a long call wrapped), a
# JavaScript file's text (--assume-filename) with an inline style, and --dump-config's 300-odd
# lines (by digest).
run clangformat --version
expect_stdout 'clang-format version 22.1.8 (https://github.com/llvm/llvm-project ca7933e47d3a3451d81e72ac174dcb5aa28b59d1)\n'
expect_exit 0
stdin '#include <vector>\n#include "b.h"\n#include "a.h"\nnamespace n{int  f( int a,int b ){if(a>b){return a;}else return g(aaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbbb,ccccccccccccccccccc,ddddddddddd);}}\n'
run clangformat --assume-filename=x.cpp
expect_stdout '#include "a.h"\n#include "b.h"\n#include <vector>\nnamespace n {\nint f(int a, int b) {\n  if (a > b) {\n    return a;\n  } else\n    return g(aaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbb, ccccccccccccccccccc,\n             ddddddddddd);\n}\n} // namespace n\n'
expect_exit 0
stdin '#include <vector>\n#include "b.h"\n#include "a.h"\nnamespace n{int  f( int a,int b ){if(a>b){return a;}else return g(aaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbbb,ccccccccccccccccccc,ddddddddddd);}}\n'
run clangformat --style=Google --assume-filename=x.cc
expect_stdout '#include <vector>\n\n#include "a.h"\n#include "b.h"\nnamespace n {\nint f(int a, int b) {\n  if (a > b) {\n    return a;\n  } else\n    return g(aaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbb, ccccccccccccccccccc,\n             ddddddddddd);\n}\n}  // namespace n\n'
expect_exit 0
stdin 'const f=(a,b)=>{return {x:a,y:[b,b]}};\nexport default f;\n'
run clangformat '--style={BasedOnStyle: LLVM, IndentWidth: 4}' --assume-filename=m.js
expect_stdout 'const f = (a, b) => {\n    return { x: a, y: [ b, b ] }\n};\nexport default f;\n'
expect_exit 0
run clangformat --style=Chromium --dump-config
expect_stdout_sha256 b80bf2f8fedc1e0bc4ca78ebd9c3f6be3bce40d84563d016c8a67d2cdc012090
expect_exit 0
