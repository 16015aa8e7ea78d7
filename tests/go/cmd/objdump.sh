# cmd/objdump: disassemble main.main of a Windows executable (tests/go's hello.exe, a PE file)
# with its source lines, and of the Linux build (an ELF file).
copy hello.exe
copy hello.linux
run objdump -s '^main\.main$' hello.exe
expect_exit 0
expect_lines 20
run objdump -s '^main\.main$' hello.linux
expect_exit 0
expect_lines 20
