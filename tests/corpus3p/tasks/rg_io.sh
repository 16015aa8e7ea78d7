# ripgrep 14.1.1 (Claude Code 1.0.100's rg.exe): what goes in and out besides a tree walk:
# standard input (a file, which rg's Windows heuristic reads since it is a disk file), a UTF-16
# file with its byte-order mark (transcoded), a forced encoding, a binary file (the match
# suppressed), replacements (-r with a capture group), --passthru, --json's begin and match
# records, and --count-matches.
put notes.txt 'alpha=1\nbeta=22\ngamma=333\n'
printf '\377\376h\000i\000 \000t\000h\000e\000r\000e\000\n\000' > u16.txt
printf 'caf\351 latin1\n' > l1.txt
printf 'x\000foo_bin\n' > bin.dat
stdin 'one\nfoo_bar two\nthree foo_bar\n'
run rg -n foo_bar
expect_stdout '2:foo_bar two\n3:three foo_bar\n'
expect_exit 0
run rg -n there u16.txt
expect_stdout '1:hi there\n'
expect_exit 0
run rg -E latin1 -o 'caf.' l1.txt
expect_stdout 'caf\303\251\n'
expect_exit 0
run rg -c foo_bin bin.dat
expect_stdout '1\n'
expect_exit 0
run rg foo_bin bin.dat
expect_stdout 'binary file matches (found "\\0" byte around offset 1)\n'
expect_exit 0
run rg -r '$2:$1' '(\w+)=(\d+)' notes.txt
expect_stdout '1:alpha\n22:beta\n333:gamma\n'
expect_exit 0
run rg --passthru -r X beta notes.txt
expect_stdout 'alpha=1\nX=22\ngamma=333\n'
expect_exit 0
run rg --count-matches '\d' notes.txt
expect_stdout '6\n'
expect_exit 0
run rg --json gamma notes.txt
expect_stdout_head 2 '{"type":"begin","data":{"path":{"text":"notes.txt"}}}\n{"type":"match","data":{"path":{"text":"notes.txt"},"lines":{"text":"gamma=333\\n"},"line_number":3,"absolute_offset":16,"submatches":[{"match":{"text":"gamma"},"start":0,"end":5}]}}\n'
expect_exit 0
