# distlib 0.3.6's t64.exe (Debian's python3-distlib 0.3.6-1; C, MSVC 2010): the launcher that
# pip and distlib make a script's NAME.exe from, a copy of t64.exe with the script's #! line and
# a zip archive appended. It finds the archive from the end of its own file, reads the #! line
# just before it, and runs that command with its own full name and its arguments after it, in a
# job object (killed with it), handles inherited, and exits with the child's exit code. Here the
# #! line runs Strawberry Perl's perl.exe (exiftool-vendored.exe's) with -e code (perl would
# take the launcher itself for a script, and stop at the first ^Z of its text-mode read):
# arguments with spaces, a quote and an empty one, the launcher's own name first, standard input
# and output passed through, exit 5. A #! line naming a program that is not there, and t64.exe
# without anything appended: exit 1, nothing printed. Wine 8.0 gives the same lines and exit
# codes. There is no Linux build.
if [ "$runner" = native ]; then
    echo "skip corpus3p.$name: the launcher is Windows-only"
    exit 77
fi
program perl
perl=$program
program t64
# an empty zip archive: its end-of-central-directory record alone
empty_zip='PK\005\006\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0'
{ cat "$exe"
  printf '#!%s -e "print qq(launcher: ), shift, qq(\\n); print qq(args: ), join(qq(|), @ARGV), qq(\\n); print qq(stdin: ), scalar(<STDIN>); exit 5"\n' "$perl"
  printf "$empty_zip"; } > hello.exe
stdin 'line one\n'
run_made hello.exe a 'b c' 'd"e' ''
expect_stdout 'launcher: @CWD@\\hello.exe\r\nargs: a|b c|d"e|\r\nstdin: line one\r\n'
expect_exit 5
{ cat "$exe"; printf '#!Z:\\nothere\\nope.exe -x\n'; printf "$empty_zip"; } > nope.exe
run_made nope.exe x
expect_stdout ''
expect_exit 1
cp "$tmp/stderr.last" "$out"
expect_stdout ''
cp "$exe" plain.exe
run_made plain.exe x
expect_stdout ''
expect_exit 1
cp "$tmp/stderr.last" "$out"
expect_stdout ''
