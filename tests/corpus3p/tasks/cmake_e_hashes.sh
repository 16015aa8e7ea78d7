# CMake 4.0.2: -E md5sum, sha1sum, sha256sum, sha512sum of two files (one of 1000 bytes, across
# hash blocks), one line per file as `<digest>  <name>`.
put a.txt 'abc\n'
put b.bin '%1000s' ''
run cmake -E md5sum a.txt b.bin
expect_stdout '0bee89b07a248e27c83fc3d5951213c1  a.txt\n6934d9d33cd2d0c005994e7d96d2e0d9  b.bin\n'
expect_exit 0
run cmake -E sha1sum a.txt
expect_stdout '03cfd743661f07975fa2f1220c5194cbaff48451  a.txt\n'
expect_exit 0
run cmake -E sha256sum a.txt b.bin
expect_stdout 'edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb  a.txt\n08c9b52f61fadf1eff6fb89169f1735fbae7bb583b23cb119d0e1a0151bac952  b.bin\n'
expect_exit 0
run cmake -E sha512sum a.txt
expect_stdout '4f285d0c0cc77286d8731798b7aae2639e28270d4166f40d769cbbdca5230714d848483d364e2f39fe6cb9083c15229b39a33615ebc6d57605f7c43f6906739d  a.txt\n'
expect_exit 0
