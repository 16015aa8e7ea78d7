# /EHa for clang 14's MSVC C++ output: each FuncInfo's EHFlags (1: /EHs) becomes 0.
s/^\([[:space:]]*\.long[[:space:]]*\)1\([[:space:]]*# EHFlags\)/\10\2/
