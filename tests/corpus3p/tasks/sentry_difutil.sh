# sentry-cli 3.8.0 (@sentry/cli-win32-x64, Rust/MSVC): check a Breakpad symbol file.
put foo.sym 'MODULE windows x86_64 3249D99D0C4049318610F4E4FB0B69361 foo.pdb\nINFO CODE_ID 5AB380779000 foo.exe\nFILE 0 c:\\\\src\\\\foo.c\nFUNC 1000 20 0 main\n1000 10 3 0\n1010 10 4 0\n'
run sentry difutil check foo.sym
expect_stdout 'Debug Info File Check
  Type: breakpad debug companion
  Contained debug identifiers:
    > Debug ID: 3249d99d-0c40-4931-8610-f4e4fb0b6936-1
      Code ID:  5ab380779000
      Arch:     x86_64
  Contained debug information:
    > debug
  Usable: yes\n'
expect_exit 0
