# CMake 4.0.2: -E tar (libarchive) of a small tree: a plain tar, a gzip tar and a zip, each
# listed back (the order is the tree's), then extracted again in place of the tree.
put tree/a.txt 'one\n'
put tree/sub/b.txt 'two\n'
put tree/sub/c.txt ''
run cmake -E tar cf t.tar tree/a.txt tree/sub
expect_exit 0
run cmake -E tar tf t.tar
expect_stdout 'tree/a.txt\ntree/sub/\ntree/sub/b.txt\ntree/sub/c.txt\n'
expect_exit 0
run cmake -E tar czf t.tgz tree/a.txt tree/sub
expect_exit 0
run cmake -E tar tzf t.tgz
expect_stdout 'tree/a.txt\ntree/sub/\ntree/sub/b.txt\ntree/sub/c.txt\n'
expect_exit 0
run cmake -E tar cf t.zip --format=zip tree/a.txt tree/sub
expect_exit 0
run cmake -E rm -rf tree
expect_exit 0
run cmake -E tar xzf t.tgz
expect_exit 0
expect_file tree/a.txt 'one\n'
expect_file tree/sub/b.txt 'two\n'
expect_file tree/sub/c.txt ''
run cmake -E rm -rf tree
run cmake -E tar xf t.zip
expect_exit 0
expect_file tree/a.txt 'one\n'
expect_file tree/sub/b.txt 'two\n'
expect_file tree/sub/c.txt ''
