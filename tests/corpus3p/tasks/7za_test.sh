# 7-Zip 21.07 (7zip-bin, MSVC): test the integrity of a .7z it made.
differs native "p7zip 16.02 prints another banner and makes a 180-byte archive"
put a.txt 'hello\n'
put d/b.txt 'two\n'
touch -d '2020-01-02 03:04:05' a.txt d/b.txt d
run 7za a -bso0 -bsp0 t.7z a.txt d
expect_exit 0
run 7za t t.7z
expect_stdout '\r
7-Zip (a) 21.07 (x64) : Copyright (c) 1999-2021 Igor Pavlov : 2021-12-26\r
\r
Scanning the drive for archives:\r
1 file, 175 bytes (1 KiB)\r
\r
Testing archive: t.7z\r
--\r
Path = t.7z\r
Type = 7z\r
Physical Size = 175\r
Headers Size = 161\r
Method = LZMA2:12\r
Solid = +\r
Blocks = 1\r
\r
Everything is Ok\r
\r
Folders: 1\r
Files: 2\r
Size:       10\r
Compressed: 175\r\n'
expect_exit 0
