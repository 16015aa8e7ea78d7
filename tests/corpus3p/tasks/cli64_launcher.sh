# setuptools 66.1.1's cli-64.exe (Debian's python3-setuptools-whl; C, MSVC 2008 with its static
# CRT): the launcher setuptools puts beside a script as NAME.exe, which runs NAME-script.py with
# the interpreter its #! line names (CreateProcess of the interpreter, the script's full path
# and the launcher's own arguments, handles inherited), waits for it and exits with its exit
# code. The interpreter here is Strawberry Perl's perl.exe (exiftool-vendored.exe's): the
# script beside the launcher gets arguments with spaces, a quote and an empty one, standard
# input and its own full name, and exits 3; a #! line without quotes passing -w; an interpreter
# that is not there ("failed to create process." on stderr, exit 0: the launcher's own way); no
# script at all (exit 2). Wine 8.0 gives the same lines and exit codes. There is no Linux build.
if [ "$runner" = native ]; then
    echo "skip corpus3p.$name: the launcher is Windows-only"
    exit 77
fi
program perl
perl=$program
program cli64
script=$(dirname "$exe")/cli-64-script.py
printf '#!"%s" -l\nprint "args: ", join("|", @ARGV);\nprint "script: ", $0 =~ /\\\\cli-64-script\\.py$/ ? "its full name" : $0;\nprint "stdin: ", scalar(<STDIN>) =~ s/\\s+$//r;\nexit 3;\n' \
    "$perl" > "$script"
stdin 'line one\n'
run cli64 a 'b c' 'd"e' ''
expect_stdout 'args: a|b c|d"e|\r\nscript: its full name\r\nstdin: line one\r\n'
expect_exit 3
printf '#!%s -w\nmy $n = @ARGV; printf "%%d arguments, sum %%d\\n", $n, eval join("+", @ARGV);\n' "$perl" > "$script"
run cli64 1 2 39
expect_stdout '3 arguments, sum 42\r\n'
expect_exit 0
printf '#!Z:\\nothere\\nope.exe\nprint 1;\n' > "$script"
run cli64 x
expect_stdout ''
expect_exit 0
tr -d '\r' < "$tmp/stderr.last" > "$out"
expect_stdout 'failed to create process.\n'
rm -f "$script"
run cli64 x
expect_stdout ''
expect_exit 2
# its message names the script it looked for by its full name
printf 'Cannot open Z:%s\n' "$(printf '%s' "$script" | tr / '\\')" > "$tmp/want"
tr -d '\r' < "$tmp/stderr.last" > "$tmp/got"
{ cmp -s "$tmp/want" "$tmp/got" && echo "the script's full name" || cat "$tmp/got"; } > "$out"
expect_stdout "the script's full name\n"
