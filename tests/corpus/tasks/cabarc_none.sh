# cabarc -m none stores the files (folder type 0); -s reserves header space and -i sets the
# cabinet set's id, both written in the CFHEADER (checked with od: version 1.3, 2 folders,
# 3 files, flags 4 = reserve present, set id 77, cabinet 0; then cbCFHeader 100). L and X read it.
put a.txt 'stored\r\n'
put b.txt 'also stored\r\n'
put c.txt 'third\r\n'
run cabarc -m none -s 100 -i 77 N s.cab a.txt b.txt + c.txt
expect_stdout ''
expect_exit 0
od -A n -t u2 -j 24 -N 14 s.cab | tr -s ' ' > header.txt
put expected.txt ' 259 2 3 4 77 0 100\n'
compare "s.cab's CFHEADER" expected.txt header.txt
run cabarc L s.cab
expect_stdout 'a.txt\r\nb.txt\r\nc.txt\r\n'
expect_exit 0
run cabarc X s.cab 'x\'
expect_exit 0
expect_file x/a.txt 'stored\r\n'
expect_file x/b.txt 'also stored\r\n'
expect_file x/c.txt 'third\r\n'
