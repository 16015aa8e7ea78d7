# cabarc X extracts a cabinet of two folders (-m mszip, "+" closes the first) whose text file
# spans several 32 KiB MSZIP blocks, into a destination folder; then one file by name, then with
# -p the paths kept. cabinet.dll's FCI writes it, its FDI (libmspack) reads it back.
seq 1 20000 | sed 's/$/\r/' > seq.txt
put a.txt 'hello cab\r\n'
put d/b.txt 'second folder\r\n'
run cabarc -m mszip -p N t.cab a.txt seq.txt + d/b.txt
expect_stdout ''
expect_exit 0
run cabarc X t.cab 'out\'
expect_stdout ''
expect_exit 0
expect_tree out 'out\nout/a.txt\nout/b.txt\nout/seq.txt\n'
expect_file out/a.txt 'hello cab\r\n'
expect_file out/b.txt 'second folder\r\n'
compare "out/seq.txt" seq.txt out/seq.txt
run cabarc -v X t.cab seq.txt 'one\'
expect_stdout 'extracting one\\seq.txt\r\n'
expect_exit 0
expect_tree one 'one\none/seq.txt\n'
compare "one/seq.txt" seq.txt one/seq.txt
run cabarc -p X t.cab 'tree\'
expect_exit 0
expect_tree tree 'tree\ntree/a.txt\ntree/d\ntree/d/b.txt\ntree/seq.txt\n'
expect_file tree/d/b.txt 'second folder\r\n'
