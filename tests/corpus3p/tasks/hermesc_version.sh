# Hermes's compiler hermesc (hermes-compiler 260318099.0.8: MSVC C++, its own msvcp140.dll and the
# system's vcruntime140, UCRT): its version. The Windows build is a debug build of LLVH.
differs native "the Linux build says \"Optimized build\" where the Windows one says \"DEBUG build\""
run hermesc -version
expect_stdout 'LLVM (http://llvm.org/):\n  LLVH version 8.0.0svn\n  DEBUG build\n\nHermes JavaScript compiler.\n  Hermes release version: 1.0.0\n  HBC bytecode version: 99\n\n'
expect_exit 0
