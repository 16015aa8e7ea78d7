# rcedit 5.0.2 (electron's resource editor, rcedit-x64.exe: MSVC 14.37, static CRT) on a copy of
# itself: it opens the program it edits with LoadLibraryEx(LOAD_LIBRARY_AS_DATAFILE), reads the
# version resource, string tables and icons (EnumResourceNames/Languages, FindResourceEx), then
# rewrites them with Begin/Update/EndUpdateResource. Version strings are read, set (a new value
# and a new key), the file and product versions set, and everything read back in new runs (the
# file version string follows --set-file-version). rcedit prints a value without a line end.
# There is no Linux build of rcedit.
if [ "$runner" = native ]; then
    echo "skip corpus3p.$name: rcedit has no Linux build"
    exit 77
fi
program rcedit
cp "$exe" target.exe
run rcedit target.exe --get-version-string FileDescription
expect_stdout 'Edit resources of exe'
expect_exit 0
run rcedit target.exe --get-version-string CompanyName
expect_stdout 'GitHub, Inc'
run rcedit target.exe --set-version-string FileDescription 'Edited under ntrun' --set-version-string Comments 'a new key' --set-file-version 1.2.3.4 --set-product-version 5.6.7
expect_stdout ''
expect_exit 0
run rcedit target.exe --get-version-string FileDescription
expect_stdout 'Edited under ntrun'
run rcedit target.exe --get-version-string Comments
expect_stdout 'a new key'
run rcedit target.exe --get-version-string FileVersion
expect_stdout '1.2.3.4'
run rcedit target.exe --get-version-string ProductVersion
expect_stdout '5.6.7'
run rcedit target.exe --get-version-string CompanyName
expect_stdout 'GitHub, Inc'
run rcedit target.exe --get-version-string NoSuchKey
expect_exit 1
