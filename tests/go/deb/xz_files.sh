# gxz (github.com/ulikunitz/xz): a 109 kB file compressed in place (the input goes), decompressed
# in place, compressed again keeping the input, and to the .lzma format, all read back (-d -k,
# -d -c of a small .lzma file to standard output); refusals: an existing output (1), a missing
# file (1), a file that is not xz (1).
seq 1 20000 > data.txt
run gxz data.txt
expect_exit 0
run gxz -d data.txt.xz
expect_exit 0
run gxz -k -9 data.txt
expect_exit 0
run gxz -k -F lzma data.txt
expect_exit 0
put small.txt 'one\ntwo\nthree\n'
run gxz -F lzma small.txt
expect_exit 0
run gxz -d -c small.txt.lzma
expect_exit 0
mv data.txt orig.txt
run gxz -d -k data.txt.xz
expect_exit 0
run gxz -k data.txt
expect_exit 1
run gxz -d missing.xz
expect_exit 1
put notxz.xz 'plain text\n'
run gxz -d notxz.xz
expect_exit 1
cmp -s orig.txt data.txt && echo "round trip: same bytes" > roundtrip.txt
rm orig.txt
