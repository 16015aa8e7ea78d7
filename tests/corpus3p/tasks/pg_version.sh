# PostgreSQL 18.4 (@embedded-postgres/windows-x64 18.4.0-beta.17: the EDB Windows build, MSVC
# link 14.44, the UCRT, with ICU 77, OpenSSL 3, libintl and libxml2 as DLLs beside it): the
# versions of pg_ctl, initdb and postgres. ICU's DLLs need Microsoft's C++ library,
# msvcp140.dll, which the Visual C++ redistributable puts in System32 on Windows and which the
# package does not ship: the task takes hermes-compiler's copy of it (the same Microsoft DLL,
# shipped beside hermesc.exe) through NTRUN_DLL_PATH, as if the redistributable were installed.
# Each program looks up ntdll!RtlGetLastNtStatus and NtFlushBuffersFileEx at start
# (src/port/win32ntdll.c) and reports itself an "invalid binary" without them.
differs native 'the Linux build needs the library links the package'"'"'s install script makes (pg-symlinks.json); with them it prints the same lines, ending in LF'
program hermesc
export NTRUN_DLL_PATH="${exe%/*}"
run pgctl --version
expect_stdout 'pg_ctl (PostgreSQL) 18.4\r\n'
expect_exit 0
run initdb --version
expect_stdout 'initdb (PostgreSQL) 18.4\r\n'
expect_exit 0
run postgres --version
expect_stdout 'postgres (PostgreSQL) 18.4\r\n'
expect_exit 0
