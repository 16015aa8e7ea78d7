# rcedit 5.0.2 (see rcedit_version) setting an icon and a string in a copy of ExifTool's launcher
# exiftool.exe (mingw-w64; four icons in a group, a version resource, a manifest): the group and
# first icon become the 1x1 icon written here, a string table is added and read back, and the
# version strings stay readable. The resources of the edited file are listed by llvm-readobj
# (type/name/language and size): rcedit 5.0.2 leaves the old icons 2-4 in place.
if [ "$runner" = native ]; then
    echo "skip corpus3p.$name: rcedit has no Linux build"
    exit 77
fi
if ! command -v llvm-readobj > /dev/null 2>&1; then
    echo "skip corpus3p.$name: no llvm-readobj"
    exit 77
fi
program exiftool
cp "$exe" target.exe
put red.ico '\000\000\001\000\001\000\001\001\000\000\001\000\040\000\060\000\000\000\026\000\000\000\050\000\000\000\001\000\000\000\002\000\000\000\001\000\040\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\377\377\000\000\000\000'
run rcedit target.exe --set-icon red.ico --set-resource-string 1 'hello from rcedit' --set-resource-string 20 'block two'
expect_stdout ''
expect_exit 0
run rcedit target.exe --get-resource-string 1
expect_stdout 'hello from rcedit'
run rcedit target.exe --get-resource-string 20
expect_stdout 'block two'
run rcedit target.exe --get-version-string ProductName
expect_stdout 'Exiftool'
llvm-readobj --coff-resources target.exe | awk '/^  Type: /{t=$0; sub(/^  Type: /,"",t); sub(/ \[$/,"",t)} /^    Name: /{n=$0; sub(/^    Name: /,"",n); sub(/ \[$/,"",n)} /^      Language: /{l=$0; sub(/^      Language: /,"",l); sub(/ \[$/,"",l)} /DataSize:/{print t "/" n "/" l, $2}' > resources.txt
expect_file resources.txt 'ICON (ID 3)/(ID 1)/(ID 1033) 48\nICON (ID 3)/(ID 2)/(ID 1033) 4264\nICON (ID 3)/(ID 3)/(ID 1033) 9640\nICON (ID 3)/(ID 4)/(ID 1033) 23939\nSTRINGTABLE (ID 6)/(ID 1)/(ID 1033) 66\nSTRINGTABLE (ID 6)/(ID 2)/(ID 1033) 50\nGROUP_ICON (ID 14)/(ID 4711)/(ID 1033) 20\nVERSIONINFO (ID 16)/(ID 1)/(ID 1033) 720\nMANIFEST (ID 24)/(ID 1)/(ID 1033) 385\n'
