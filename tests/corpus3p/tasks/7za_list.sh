# 7-Zip 21.07 (7zip-bin, MSVC): list a .7z (bare listing: times, attributes, sizes, names).
differs native "p7zip 16.02 names d/b.txt with a slash and ends lines with LF"
put a.txt 'hello\n'
put d/b.txt 'two\n'
touch -d '2020-01-02 03:04:05' a.txt d/b.txt d
run 7za a -bso0 -bsp0 t.7z a.txt d
expect_exit 0
run 7za l -ba t.7z
expect_stdout '2020-01-02 03:04:05 D....            0            0  d\r
2020-01-02 03:04:05 ....A            6           14  a.txt\r
2020-01-02 03:04:05 ....A            4               d\\b.txt\r\n'
expect_exit 0
