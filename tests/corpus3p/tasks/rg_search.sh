# ripgrep 14.1.1 (Claude Code 1.0.100's vendored rg.exe: Rust, MSVC, PCRE2 with its JIT): a
# small tree searched as a user would: line numbers sorted by path, file lists, counts, a type
# filter, globs, an .ignore file honoured and then not, hidden files, a PCRE2 look-behind, a
# multi-line match, context lines, --vimgrep columns, no match (exit 1), a bad pattern (exit 2).
# Windows' rg names files with backslashes.
# The Linux build names the files with forward slashes: these five paths, nothing else.
native_text 'src/deep/er/x.txt' 'src\\deep\\er\\x.txt'
native_text 'src/main.rs' 'src\\main.rs'
native_text 'src/util.py' 'src\\util.py'
native_text 'target/x.rs' 'target\\x.rs'
native_text '.hidden/h.txt' '.hidden\\h.txt'
put src/main.rs 'fn main() {\n    println!("hello");\n    let foo_bar = 1;\n}\n'
put src/util.py 'def foo_bar():\n    return 42\n'
put src/deep/er/x.txt 'FOO_BAR deep\n'
put target/x.rs 'foo_bar in target\n'
put .ignore 'target/\n*.log\n'
put a.log 'foo_bar log\n'
put .hidden/h.txt 'foo_bar hidden\n'
run rg -n --sort path foo_bar
expect_stdout 'src\\main.rs:3:    let foo_bar = 1;\nsrc\\util.py:1:def foo_bar():\n'
expect_exit 0
run rg --files --sort path
expect_stdout 'src\\deep\\er\\x.txt\nsrc\\main.rs\nsrc\\util.py\n'
expect_exit 0
run rg -c -i --sort path FOO_BAR
expect_stdout 'src\\deep\\er\\x.txt:1\nsrc\\main.rs:1\nsrc\\util.py:1\n'
expect_exit 0
run rg -t py foo
expect_stdout 'src\\util.py:def foo_bar():\n'
expect_exit 0
run rg --sort path -l -g '!*.py' -g '!deep' foo
expect_stdout 'src\\main.rs\n'
expect_exit 0
run rg --no-ignore --sort path -l foo
expect_stdout 'a.log\nsrc\\main.rs\nsrc\\util.py\ntarget\\x.rs\n'
expect_exit 0
run rg --hidden --sort path -l foo_bar
expect_stdout '.hidden\\h.txt\nsrc\\main.rs\nsrc\\util.py\n'
expect_exit 0
run rg --max-depth 2 --sort path -il foo
expect_stdout 'src\\main.rs\nsrc\\util.py\n'
expect_exit 0
run rg -P -o '(?<=let )\w+' src
expect_stdout 'src\\main.rs:foo_bar\n'
expect_exit 0
run rg -U 'println!\("hello"\);\n\s+let' src/main.rs
expect_stdout '    println!("hello");\n    let foo_bar = 1;\n'
expect_exit 0
run rg -n -C1 hello src/main.rs
expect_stdout '1-fn main() {\n2:    println!("hello");\n3-    let foo_bar = 1;\n'
expect_exit 0
run rg --vimgrep --sort path foo_bar src
expect_stdout 'src\\main.rs:3:9:    let foo_bar = 1;\nsrc\\util.py:1:5:def foo_bar():\n'
expect_exit 0
run rg nothing_matches_this
expect_stdout ''
expect_exit 1
run rg '['
expect_stdout ''
expect_exit 2
