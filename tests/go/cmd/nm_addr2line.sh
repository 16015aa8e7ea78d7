# cmd/nm and cmd/addr2line on a Windows executable (tests/go's hello.exe, a PE file built by
# golang-go): the symbols sorted by address with their sizes; then the source line of main.main
# and of the runtime's entry, found from nm's listing, and cmd/nm on the Linux build (ELF).
copy hello.exe
copy hello.linux
run nm -sort address -size hello.exe
expect_exit 0
expect_lines 1000
a=$(awk '$4 == "main.main" { print "0x" $1 }' "$out")
b=$(awk '$4 == "_rt0_amd64_windows" { print "0x" $1 }' "$out")
stdin "$a\n$b\n"
run addr2line hello.exe
expect_exit 0
expect_lines 4
run nm -type hello.linux
expect_exit 0
expect_lines 1000
