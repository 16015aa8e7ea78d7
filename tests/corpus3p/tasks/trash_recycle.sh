# windows-trash 2.0.0 (the `trash` npm package's Windows helper: C, mingw-w64, msvcrt): --version,
# --help, no argument (exit 1), then a file, a folder holding a file and a name with a space
# moved to the Recycle Bin in one run through the shell's IFileOperation (ILCreateFromPathW,
# SHCreateShellItemArrayFromIDLists, CoCreateInstance(CLSID_FileOperation), a progress sink
# that refuses any deletion that would not go to the bin): they are gone from the folder, the
# file beside them stays, and the program's exit status is the operation's final Release (0).
# On Windows the bin is the drive's $Recycle.Bin; ntrun's is the Linux user's trash
# (freedesktop.org, as Wine's), here $XDG_DATA_HOME/Trash in the scratch folder: the items are
# checked there too.
if [ "$runner" = native ]; then
    echo "skip corpus3p.$name: the trash package has no Linux program (it is JavaScript there)"
    exit 77
fi
# Any failing call ends in the program's own use after free: its CHECK_OBJ macro evaluates the
# call twice, so on failure it calls the method again after Release.
differs wine 'Wine 8.0: IFileOperation::SetOperationFlags is E_NOTIMPL, then the program calls it again after Release (page fault)'
export XDG_DATA_HOME="$tmp/xdg"
put a.txt 'a\n'
put dir/inner.txt 'inner\n'
put 'with space.txt' 'space\n'
put keep.txt 'keep\n'
run trash --version
expect_stdout '2.0.0\r\n'
expect_exit 0
run trash --help
expect_stdout '\r\n  Move files and folders to the recycle bin\r\n\r\n  Usage: recycle-bin <path> [...]\r\n\r\n  Created by Sindre Sorhus\r\n'
expect_exit 0
run trash
expect_stdout 'Specify at least one path\r\n'
expect_exit 1
run trash a.txt dir 'with space.txt'
expect_stdout ''
expect_exit 0
for f in a.txt dir 'with space.txt'; do
    if [ -e "$cwd/$f" ]; then
        echo "FAIL $suite.$name: $f is still there"
        fail=1
    fi
done
expect_file keep.txt 'keep\n'
expect_file ../xdg/Trash/files/a.txt 'a\n'
expect_file ../xdg/Trash/files/dir/inner.txt 'inner\n'
expect_file '../xdg/Trash/files/with space.txt' 'space\n'
