# cabarc N makes a cabinet (MSZIP, cabarc's default; cabinet.dll's FCI) of two files and a
# directory tree (-r: recursed, -p: paths kept); L lists the names and -v L the attributes, sizes
# and dates too (FDICopy's fdintCOPY_FILE notifications). The dates are the files' times in UTC.
export TZ=UTC
put a.txt 'hello cab\r\n'
put e.txt ''
put d/sub/c.txt 'deep down\n'
touch -d '2020-01-02 03:04:06 UTC' a.txt e.txt d/sub/c.txt
run cabarc -r -p N t.cab a.txt d e.txt
expect_stdout ''
expect_exit 0
run cabarc L t.cab
expect_stdout 'a.txt\r\nd\\sub\\c.txt\r\ne.txt\r\n'
expect_exit 0
run cabarc -v L t.cab
expect_stdout ' --a--        11  2020/01/02 03:04:06  a.txt\r\n --a--        10  2020/01/02 03:04:06  d\\sub\\c.txt\r\n --a--         0  2020/01/02 03:04:06  e.txt\r\n'
expect_exit 0
# -v N says what it adds; without -p the tree's names lose their folders.
run cabarc -v -r N flat.cab d
expect_stdout 'adding c.txt\r\n'
expect_exit 0
run cabarc L flat.cab
expect_stdout 'c.txt\r\n'
expect_exit 0
